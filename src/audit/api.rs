//! `GET /api/v1/audit`: the audit log as JSON (admin).

use crate::db::Db;
use crate::web::extract::{Json, Query};
use axum::extract::State;
use serde::Deserialize;

use super::{AuditEntry, AuditFilter, repo};
use crate::error::{AppError, AppResult};
use crate::web::api::{ListOf, Paging};

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(flatten)]
    filter: AuditFilter,
    limit: Option<i64>,
    offset: Option<i64>,
}

/// Audit entries, newest first.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", operation_id = "list_audit_entries",
    params(AuditFilter, Paging), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ListOf<AuditEntry>)))]
pub async fn list(
    State(db): State<Db>,
    Query(q): Query<ListQuery>,
) -> AppResult<Json<ListOf<AuditEntry>>> {
    let (limit, offset) = Paging {
        limit: q.limit,
        offset: q.offset,
    }
    .resolve()?;
    let filter = q.filter.normalised();
    let (from, to) = filter
        .range()
        .map_err(|field| AppError::field(field, "error-date"))?;
    let (items, total) = repo::list(&db, &filter, from, to, limit, offset).await?;
    Ok(Json(ListOf { items, total }))
}
