//! The admin's view of the audit log: filter by entity, action, actor and dates; page through.

use crate::db::Db;
use crate::web::extract::Query;
use askama::Template;
use axum::extract::State;
use axum::response::Html;
use serde::Deserialize;

use super::{AuditEntry, AuditFilter, repo};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::web::page::render;
use crate::web::{Ctx, PageCtx};

const PAGE: i64 = 50;

#[derive(Deserialize, Default)]
pub struct BrowseQuery {
    #[serde(flatten)]
    filter: AuditFilter,
    page: Option<i64>,
}

#[derive(Template)]
#[template(path = "audit/browse.html")]
struct BrowsePage {
    p: PageCtx,
    entries: Vec<AuditEntry>,
    total: i64,
    filter: AuditFilter,
    entities: Vec<String>,
    page: i64,
    pages: i64,
    query_base: String,
}

pub async fn browse(
    State(db): State<Db>,
    _lang: Lang,
    ctx: Ctx,
    Query(q): Query<BrowseQuery>,
) -> AppResult<Html<String>> {
    let filter = q.filter.normalised();
    let (from, to) = filter
        .range()
        .map_err(|field| AppError::field(field, "error-date"))?;
    let page = q.page.unwrap_or(1).max(1);
    let (entries, total) = repo::list(&db, &filter, from, to, PAGE, (page - 1) * PAGE).await?;
    let pages = ((total + PAGE - 1) / PAGE).max(1);
    let query_base = serde_urlencoded::to_string([
        ("entity", filter.entity.clone().unwrap_or_default()),
        ("entity_id", filter.entity_id.clone().unwrap_or_default()),
        ("action", filter.action.clone().unwrap_or_default()),
        ("actor", filter.actor.clone().unwrap_or_default()),
        ("from", filter.from.clone().unwrap_or_default()),
        ("to", filter.to.clone().unwrap_or_default()),
    ])
    .unwrap_or_default();
    let entities = repo::entities(&db).await?;
    render(&BrowsePage {
        p: PageCtx::new(&ctx, "audit-title"),
        entries,
        total,
        filter,
        entities,
        page,
        pages,
        query_base,
    })
}
