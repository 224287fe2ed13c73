//! JSON API of published digests: the list, one digest laid out in a language, and (editors)
//! its sending: progress, start, and retrying the failed.

use axum::extract::{Path, State};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::repo;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::web::api::ListOf;
use crate::web::extract::{Json, Query};
use crate::work::Actor;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DigestOut {
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub title_uk: String,
    pub title_en: String,
    pub published_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The web version in Ukrainian.
    pub url: String,
}

/// Published digests, the latest first.
#[utoipa::path(get, path = "/api/v1/digests", tag = "news", operation_id = "list_digests", security((), ("bearer" = []), ("session" = [])),
    responses((status = 200, body = ListOf<DigestOut>)))]
pub async fn list(State(state): State<AppState>) -> AppResult<Json<ListOf<DigestOut>>> {
    let items: Vec<DigestOut> = repo::digests(&state.db, true)
        .await?
        .into_iter()
        .map(|d| DigestOut {
            url: state.link(&format!("/uk/digest/{}", d.ends_on)),
            starts_on: d.starts_on,
            ends_on: d.ends_on,
            title_uk: d.title_uk,
            title_en: d.title_en,
            published_at: d.published_at,
        })
        .collect();
    Ok(Json(ListOf {
        total: items.len() as i64,
        items,
    }))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EntryOut {
    pub item: i64,
    pub title: String,
    pub summary: String,
    pub url: String,
    /// Set when the item lacks the requested language and is given in this one.
    pub lang: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct GroupOut {
    /// `top` or a sector's slug.
    pub key: String,
    pub title: String,
    pub entries: Vec<EntryOut>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DigestDetail {
    pub title: String,
    pub range: String,
    pub intro: Vec<String>,
    pub groups: Vec<GroupOut>,
    pub closing: Vec<String>,
    pub url: String,
}

#[derive(Deserialize)]
pub struct DatePath {
    date: String,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LangQuery {
    /// uk (default) or en.
    #[serde(default)]
    #[param(pattern = "^(uk|en)?$")]
    lang: String,
}

/// One published digest, by its last day, laid out in a language.
#[utoipa::path(get, path = "/api/v1/digests/{date}", tag = "news", operation_id = "get_digest",
    params(("date" = String, Path, format = Date, description = "the digest's last day, YYYY-MM-DD"),
        LangQuery), security((), ("bearer" = []), ("session" = [])),
    responses((status = 200, body = DigestDetail), (status = 404, body = crate::web::api::ErrorEnvelope)))]
pub async fn get_digest(
    State(state): State<AppState>,
    Path(path): Path<DatePath>,
    Query(q): Query<LangQuery>,
) -> AppResult<Json<DigestDetail>> {
    let lang = match q.lang.as_str() {
        "" => Lang::Uk,
        code => Lang::parse(code).ok_or(AppError::field("lang", "lang-invalid"))?,
    };
    let day = NaiveDate::parse_from_str(&path.date, "%Y-%m-%d")
        .map_err(|_| AppError::BadRequest("news-error-date"))?;
    let d = repo::published_by_end(&state.db, day)
        .await?
        .ok_or(AppError::NotFound)?;
    let v = super::view::view(&state, &d, lang).await?;
    Ok(Json(DigestDetail {
        title: v.title,
        range: v.range,
        intro: v.intro,
        groups: v
            .groups
            .into_iter()
            .map(|g| GroupOut {
                key: g.key,
                title: g.title,
                entries: g
                    .entries
                    .into_iter()
                    .map(|e| EntryOut {
                        item: e.item_id,
                        title: e.title,
                        summary: e.summary,
                        url: e.href,
                        lang: e.other_lang.map(str::to_string),
                    })
                    .collect(),
            })
            .collect(),
        closing: v.closing,
        url: v.web_url,
    }))
}

async fn published(db: &Db, date: &str) -> AppResult<repo::DigestRow> {
    let day = NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map_err(|_| AppError::BadRequest("news-error-date"))?;
    repo::published_by_end(db, day)
        .await?
        .ok_or(AppError::NotFound)
}

/// Where the sending of a published digest stands (editors).
#[utoipa::path(get, path = "/api/v1/digests/{date}/sending", tag = "news",
    operation_id = "get_digest_sending",
    params(("date" = String, Path, format = Date, description = "the digest's last day, YYYY-MM-DD")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = super::send::Progress), (status = 404, body = crate::web::api::ErrorEnvelope)))]
pub async fn sending(
    State(state): State<AppState>,
    Path(path): Path<DatePath>,
) -> AppResult<Json<super::send::Progress>> {
    let d = published(&state.db, &path.date).await?;
    Ok(Json(super::send::progress(&state, d.id).await?))
}

/// Sends a published digest to its subscribers in the background, or, when it was sent
/// already, to those who have not had it yet (editors). Answers 202 with the progress.
#[utoipa::path(post, path = "/api/v1/digests/{date}/send", tag = "news", operation_id = "send_digest",
    params(("date" = String, Path, format = Date, description = "the digest's last day, YYYY-MM-DD")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 202, body = super::send::Progress), (status = 404, body = crate::web::api::ErrorEnvelope)))]
pub async fn send(
    State(state): State<AppState>,
    actor: Actor,
    Path(path): Path<DatePath>,
) -> AppResult<(axum::http::StatusCode, Json<super::send::Progress>)> {
    let d = published(&state.db, &path.date).await?;
    super::send::start(&state, &d, &actor).await?;
    Ok((
        axum::http::StatusCode::ACCEPTED,
        Json(super::send::progress(&state, d.id).await?),
    ))
}

/// Queues again a published digest's messages whose delivery failed for good (editors), as
/// the sending page's button does. Answers 202 with the progress.
#[utoipa::path(post, path = "/api/v1/digests/{date}/send/retry", tag = "news",
    operation_id = "retry_digest_sending",
    params(("date" = String, Path, format = Date, description = "the digest's last day, YYYY-MM-DD")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 202, body = super::send::Progress), (status = 404, body = crate::web::api::ErrorEnvelope)))]
pub async fn retry(
    State(state): State<AppState>,
    actor: Actor,
    Path(path): Path<DatePath>,
) -> AppResult<(axum::http::StatusCode, Json<super::send::Progress>)> {
    let d = published(&state.db, &path.date).await?;
    super::send::retry_failed(&state, d.id, &actor).await?;
    Ok((
        axum::http::StatusCode::ACCEPTED,
        Json(super::send::progress(&state, d.id).await?),
    ))
}
