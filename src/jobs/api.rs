//! Background jobs in the JSON API (admin): the list, and queueing a quarantined job again.

use axum::extract::{Path, State};

use super::pages::JobsQuery;
use super::repo::{self, JobRow};
use crate::db::Db;
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::api::{ErrorEnvelope, ListOf, Paging};
use crate::web::extract::{Json, Query};
use crate::work::Actor;

/// Background jobs, newest first (admin). `status=quarantined` lists the jobs that ran out of
/// attempts, each with its last error.
#[utoipa::path(get, path = "/api/v1/jobs", tag = "jobs", operation_id = "list_jobs",
    params(JobsQuery), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ListOf<JobRow>)))]
pub async fn list(
    State(db): State<Db>,
    Query(q): Query<JobsQuery>,
) -> AppResult<Json<ListOf<JobRow>>> {
    let (limit, offset) = Paging {
        limit: q.limit,
        offset: q.offset,
    }
    .resolve()?;
    let (items, total) = repo::list(&db, q.status, limit, offset).await?;
    Ok(Json(ListOf { items, total }))
}

/// Queues a quarantined job again with fresh attempts (admin; recorded in the audit log).
/// A job that is not quarantined is a 409.
#[utoipa::path(post, path = "/api/v1/jobs/{id}/retry", tag = "jobs", operation_id = "retry_job",
    params(("id" = i64, Path, description = "the job")), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = JobRow), (status = 409, body = ErrorEnvelope,
        description = "The job is not quarantined.")))]
pub async fn retry(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<JobRow>> {
    Ok(Json(super::retry(&state, &actor, id).await?))
}
