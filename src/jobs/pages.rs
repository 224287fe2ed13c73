//! The admin's view of background jobs: the quarantined ones (out of attempts, with their last
//! error) first of all, and a button to queue one again. Works without JavaScript.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, Redirect};
use serde::Deserialize;

use super::repo::{self, JobRow};
use crate::db::Db;
use crate::error::AppResult;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::web::extract::Query;
use crate::web::page::render;
use crate::web::{Ctx, PageCtx};
use crate::work::Actor;

/// The page lists this many jobs at most (the API pages through all of them).
const PAGE_ROWS: i64 = 200;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct JobsQuery {
    /// queued, running, done, quarantined or failed (older rows); empty for all. Another value
    /// is refused (422 `status` in the API, 400 on the page).
    #[serde(default, deserialize_with = "crate::db::text_enum::empty_as_none")]
    #[param(inline)]
    pub status: Option<super::Status>,
    /// 1 to 500, 50 when absent.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// 0 or more.
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

#[derive(Template)]
#[template(path = "jobs/list.html")]
struct JobsPage {
    p: PageCtx,
    items: Vec<JobRow>,
    total: i64,
    quarantined: i64,
    status: Option<super::Status>,
    statuses: &'static [super::Status],
}

impl JobsPage {
    /// Whether an admin may queue the job again.
    fn retryable(&self, job: &JobRow) -> bool {
        job.status.is_stopped()
    }
}

pub async fn list(
    State(db): State<Db>,
    _lang: Lang,
    ctx: Ctx,
    Query(q): Query<JobsQuery>,
) -> AppResult<Html<String>> {
    let status = q.status;
    let (items, total) = repo::list(&db, status, PAGE_ROWS, 0).await?;
    let (_, quarantined) = repo::list(&db, Some(super::Status::Quarantined), 1, 0).await?;
    render(&JobsPage {
        p: PageCtx::new(&ctx, "jobs-title"),
        items,
        total,
        quarantined,
        status,
        statuses: &super::Status::ALL,
    })
}

#[derive(Deserialize)]
pub struct IdPath {
    id: i64,
}

/// Queues a quarantined job again (a form with the CSRF token; the audit log records it).
pub async fn retry(
    State(state): State<AppState>,
    lang: Lang,
    actor: Actor,
    Path(path): Path<IdPath>,
) -> AppResult<Redirect> {
    super::retry(&state, &actor, path.id).await?;
    Ok(Redirect::to(&format!("/{}/admin/jobs", lang.code())))
}
