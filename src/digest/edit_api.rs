//! The editors' JSON API of a digest, twin of its editing pages: draft one for a range, read a
//! draft with its entries, curate it, add an item, publish. A digest is named by its last day
//! (`YYYY-MM-DD`), as in the public API; these run the use cases in `actions.rs`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{actions, repo};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::extract::Json;
use crate::work::Actor;

#[derive(Deserialize)]
pub struct DatePath {
    date: String,
}

/// One entry of a digest as editors see it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DraftEntryOut {
    /// The entry's id (for curating).
    pub id: i64,
    /// The news item's id.
    pub item: i64,
    /// `top` or a news sector's slug.
    pub group: String,
    pub position: i64,
    /// The digest's own summaries; empty where the item's summary is used.
    pub summary_uk: String,
    pub summary_en: String,
}

/// A digest in any state, with its own texts and its entries.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DraftOut {
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// `draft` or `published`.
    pub state: super::State,
    pub title_uk: String,
    pub title_en: String,
    pub intro_uk: String,
    pub intro_en: String,
    pub closing_uk: String,
    pub closing_en: String,
    pub entries: Vec<DraftEntryOut>,
}

async fn out(state: &AppState, d: repo::DigestRow) -> AppResult<DraftOut> {
    let entries = repo::entries(&state.db, d.id)
        .await?
        .into_iter()
        .map(|e| DraftEntryOut {
            id: e.id,
            item: e.item_id,
            group: e.group_key,
            position: e.position,
            summary_uk: e.summary_uk,
            summary_en: e.summary_en,
        })
        .collect();
    Ok(DraftOut {
        starts_on: d.starts_on,
        ends_on: d.ends_on,
        state: d.state,
        title_uk: d.title_uk,
        title_en: d.title_en,
        intro_uk: d.intro_uk,
        intro_en: d.intro_en,
        closing_uk: d.closing_uk,
        closing_en: d.closing_en,
        entries,
    })
}

/// The digest ending on `date`, in any state.
async fn by_date(db: &Db, date: &str) -> AppResult<repo::DigestRow> {
    let day = NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map_err(|_| AppError::BadRequest("news-error-date"))?;
    repo::by_end(db, day).await?.ok_or(AppError::NotFound)
}

/// The range of a new digest.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct DraftIn {
    /// The first day, `YYYY-MM-DD`.
    #[schema(format = Date)]
    pub from: String,
    /// The last day, `YYYY-MM-DD`: it names the digest.
    #[schema(format = Date)]
    pub to: String,
}

/// Drafts a digest for a range from the news published in it, grouped by sector with the
/// three most read on top (editors).
#[utoipa::path(post, path = "/api/v1/digests", tag = "news", operation_id = "create_digest",
    security(("bearer" = []), ("session" = [])),
    request_body = DraftIn,
    responses((status = 201, body = DraftOut), (status = 422, body = crate::web::api::ErrorEnvelope)))]
pub async fn draft(
    State(state): State<AppState>,
    actor: Actor,
    Json(body): Json<DraftIn>,
) -> AppResult<(StatusCode, Json<DraftOut>)> {
    let parse = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
    let (Some(from), Some(to)) = (parse(&body.from), parse(&body.to)) else {
        return Err(AppError::field("from", "digest-error-date"));
    };
    let id = actions::draft(&state.db, actor, from, to)
        .await?
        .map_err(AppError::Invalid)?;
    let d = actions::digest(&state.db, id).await?;
    Ok((StatusCode::CREATED, Json(out(&state, d).await?)))
}

/// A digest in any state with its entries, as editors curate it.
#[utoipa::path(get, path = "/api/v1/digests/{date}/draft", tag = "news", operation_id = "get_digest_draft",
    security(("bearer" = []), ("session" = [])),
    params(("date" = String, Path, description = "the digest's last day, YYYY-MM-DD")),
    responses((status = 200, body = DraftOut), (status = 404, body = crate::web::api::ErrorEnvelope)))]
pub async fn get_draft(
    State(state): State<AppState>,
    Path(path): Path<DatePath>,
) -> AppResult<Json<DraftOut>> {
    let d = by_date(&state.db, &path.date).await?;
    Ok(Json(out(&state, d).await?))
}

/// Curating a digest: all its texts, and changes to the entries listed.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct CurationIn {
    #[serde(flatten)]
    pub texts: actions::Texts,
    /// Entries not listed stay as they are.
    #[serde(default)]
    pub entries: Vec<actions::EntryChange>,
}

/// Curates a digest: its titles, introduction and closing, and for the entries listed their
/// group, position, digest-only summaries, or that they are dropped (editors).
#[utoipa::path(put, path = "/api/v1/digests/{date}", tag = "news", operation_id = "update_digest",
    security(("bearer" = []), ("session" = [])),
    params(("date" = String, Path, description = "the digest's last day, YYYY-MM-DD")),
    request_body = CurationIn,
    responses((status = 200, body = DraftOut), (status = 404, body = crate::web::api::ErrorEnvelope),
              (status = 422, body = crate::web::api::ErrorEnvelope)))]
pub async fn curate(
    State(state): State<AppState>,
    actor: Actor,
    Path(path): Path<DatePath>,
    Json(body): Json<CurationIn>,
) -> AppResult<Json<DraftOut>> {
    let d = by_date(&state.db, &path.date).await?;
    let d = actions::curate(&state.db, actor, d.id, &body.texts, &body.entries).await?;
    Ok(Json(out(&state, d).await?))
}

/// A news item to add to a digest.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct EntryIn {
    /// The news item's id; it must have been published in the digest's range.
    pub item: i64,
    /// `top` or a news sector's slug.
    pub group: String,
}

/// Adds a news item published in the digest's range to a group, at its end (editors).
#[utoipa::path(post, path = "/api/v1/digests/{date}/entries", tag = "news", operation_id = "create_digest_entry",
    security(("bearer" = []), ("session" = [])),
    params(("date" = String, Path, description = "the digest's last day, YYYY-MM-DD")),
    request_body = EntryIn,
    responses((status = 201, body = DraftOut), (status = 404, body = crate::web::api::ErrorEnvelope),
              (status = 409, body = crate::web::api::ErrorEnvelope),
              (status = 422, body = crate::web::api::ErrorEnvelope)))]
pub async fn add_entry(
    State(state): State<AppState>,
    actor: Actor,
    Path(path): Path<DatePath>,
    Json(body): Json<EntryIn>,
) -> AppResult<(StatusCode, Json<DraftOut>)> {
    let d = by_date(&state.db, &path.date).await?;
    let d = actions::add_entry(&state.db, actor, d.id, body.item, &body.group).await?;
    Ok((StatusCode::CREATED, Json(out(&state, d).await?)))
}

/// Publishes a draft that holds at least one entry (editors); sending is a separate step.
#[utoipa::path(post, path = "/api/v1/digests/{date}/publish", tag = "news", operation_id = "publish_digest",
    security(("bearer" = []), ("session" = [])),
    params(("date" = String, Path, description = "the digest's last day, YYYY-MM-DD")),
    responses((status = 200, body = DraftOut), (status = 404, body = crate::web::api::ErrorEnvelope),
              (status = 409, body = crate::web::api::ErrorEnvelope)))]
pub async fn publish(
    State(state): State<AppState>,
    actor: Actor,
    Path(path): Path<DatePath>,
) -> AppResult<Json<DraftOut>> {
    let d = by_date(&state.db, &path.date).await?;
    let d = actions::publish(&state.db, actor, d.id).await?;
    Ok(Json(out(&state, d).await?))
}
