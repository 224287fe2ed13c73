//! JSON API of news: the published list (public, with the page's filters), one item, and for
//! editors create, update, publish, withdraw or any other move, and the cover.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::pages::{ListQuery, filter_of};
use super::{Draft, actions, repo};
use crate::error::{AppError, AppResult};
use crate::registry::UnitCode;
use crate::state::AppState;
use crate::web::api::{ListOf, Paging};
use crate::web::extract::{Json, Query};
use crate::work::Actor;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NewsOut {
    pub id: i64,
    pub title_uk: String,
    pub title_en: String,
    pub summary_uk: String,
    pub summary_en: String,
    /// Markdown as written.
    pub body_uk: String,
    pub body_en: String,
    /// The sanitized HTML the pages show.
    pub body_html_uk: String,
    pub body_html_en: String,
    pub source_url: String,
    /// draft, in_review, published or withdrawn.
    pub state: super::State,
    pub sectors: Vec<String>,
    /// Codifier codes of the units the item concerns.
    pub units: Vec<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    pub is_demo: bool,
    pub top_pick: bool,
    /// The cover image, if the item has one.
    pub cover: Option<CoverOut>,
    /// For searches: the passage with the words found in `<mark>` (escaped HTML).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snippet: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CoverOut {
    /// The JPEG's address.
    pub url: String,
    pub width: i64,
    pub height: i64,
    /// What the image shows, per language; empty when it is decoration.
    pub alt_uk: String,
    pub alt_en: String,
}

async fn out(state: &AppState, item: repo::ItemRow) -> AppResult<NewsOut> {
    let cover = repo::cover_meta(&state.db, item.id)
        .await?
        .map(|c| CoverOut {
            url: state.link(&format!("/covers/news/{}", item.id)),
            width: c.width,
            height: c.height,
            alt_uk: c.alt_uk,
            alt_en: c.alt_en,
        });
    let sectors = repo::item_sectors(&state.db, &[item.id])
        .await?
        .into_iter()
        .map(|(_, s)| s)
        .collect();
    let units = repo::item_units(&state.db, item.id).await?;
    Ok(NewsOut {
        id: item.id,
        title_uk: item.title_uk,
        title_en: item.title_en,
        summary_uk: item.summary_uk,
        summary_en: item.summary_en,
        body_uk: item.body_uk,
        body_en: item.body_en,
        body_html_uk: item.body_html_uk,
        body_html_en: item.body_html_en,
        source_url: item.source_url,
        state: item.state,
        sectors,
        units,
        published_at: item.published_at,
        updated_at: item.updated_at,
        is_demo: item.is_demo,
        top_pick: item.is_top_pick,
        cover,
        snippet: None,
    })
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NewsQuery {
    /// Words to search for in both languages (any inflection); ranks the results and ignores
    /// the other filters.
    #[serde(default)]
    q: String,
    /// The language that ranks first in a search: uk (default) or en.
    #[serde(default)]
    lang: String,
    /// A sector's slug.
    #[serde(default)]
    sector: String,
    /// A unit's codifier code: items that concern it.
    #[serde(default, deserialize_with = "crate::registry::code::blank_as_none")]
    community: Option<UnitCode>,
    /// An oblast's code: items that concern any unit in it.
    #[serde(default, deserialize_with = "crate::registry::code::blank_as_none")]
    oblast: Option<UnitCode>,
    /// First day (YYYY-MM-DD, Kyiv time).
    #[serde(default)]
    #[param(format = Date)]
    from: String,
    /// Last day, included.
    #[serde(default)]
    #[param(format = Date)]
    to: String,
    /// 1 to 500, 50 when absent.
    #[param(minimum = 1, maximum = 500)]
    limit: Option<i64>,
    /// 0 or more.
    #[param(minimum = 0)]
    offset: Option<i64>,
}

/// Published items, newest first.
#[utoipa::path(get, path = "/api/v1/news", tag = "news", operation_id = "list_news",
    params(NewsQuery), security((), ("bearer" = []), ("session" = [])),
    responses((status = 200, body = ListOf<NewsOut>)))]
pub async fn list(
    State(state): State<AppState>,
    Query(q): Query<NewsQuery>,
) -> AppResult<Json<ListOf<NewsOut>>> {
    let (limit, offset) = Paging {
        limit: q.limit,
        offset: q.offset,
    }
    .resolve()?;
    if !q.q.trim().is_empty() {
        let lang = match q.lang.as_str() {
            "" => crate::i18n::Lang::Uk,
            code => {
                crate::i18n::Lang::parse(code).ok_or(AppError::field("lang", "lang-invalid"))?
            }
        };
        let (found, total) =
            super::search::find(&state, &q.q, lang, limit as usize, offset as usize).await?;
        let mut list = Vec::with_capacity(found.len());
        for (item, snippet) in found {
            let mut o = out(&state, item).await?;
            o.snippet = Some(snippet);
            list.push(o);
        }
        return Ok(Json(ListOf { items: list, total }));
    }
    let filter = filter_of(
        &state,
        &ListQuery::new(&q.sector, q.community, q.oblast, &q.from, &q.to),
    )
    .await?;
    let (items, total) = repo::published(&state.db, &filter, limit, offset).await?;
    let mut list = Vec::with_capacity(items.len());
    for item in items {
        list.push(out(&state, item).await?);
    }
    Ok(Json(ListOf { items: list, total }))
}

#[derive(Deserialize)]
pub struct IdPath {
    id: i64,
}

/// One published item.
#[utoipa::path(get, path = "/api/v1/news/{id}", tag = "news", operation_id = "get_news_item",
    params(("id" = i64, Path, description = "item id")), security((), ("bearer" = []), ("session" = [])),
    responses((status = 200, body = NewsOut), (status = 404, body = crate::web::api::ErrorEnvelope)))]
pub async fn get_item(
    State(state): State<AppState>,
    Path(path): Path<IdPath>,
) -> AppResult<Json<NewsOut>> {
    let item = repo::item(&state.db, path.id)
        .await?
        .filter(|i| i.state == super::State::Published)
        .ok_or(AppError::NotFound)?;
    Ok(Json(out(&state, item).await?))
}

/// An item as editors write it. At least one language has a title; a language with any text
/// has its title and its summary (the document says the first; the second answers 422).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewsIn {
    /// One line.
    #[serde(default)]
    #[schema(max_length = 300)]
    pub title_uk: String,
    #[serde(default)]
    #[schema(max_length = 300)]
    pub title_en: String,
    /// One paragraph.
    #[serde(default)]
    #[schema(max_length = 1500)]
    pub summary_uk: String,
    #[serde(default)]
    #[schema(max_length = 1500)]
    pub summary_en: String,
    /// Markdown.
    #[serde(default)]
    #[schema(max_length = 100000)]
    pub body_uk: String,
    #[serde(default)]
    #[schema(max_length = 100000)]
    pub body_en: String,
    /// An http or https address, or empty.
    #[serde(default)]
    #[schema(max_length = 500)]
    pub source_url: String,
    /// Sector slugs (at least one).
    #[serde(default)]
    #[schema(required = true, min_items = 1)]
    pub sectors: Vec<String>,
    /// Codifier codes.
    #[serde(default)]
    pub units: Vec<UnitCode>,
    /// Pick the item for the top of the week's digest.
    #[serde(default)]
    pub top_pick: bool,
}

/// What the derive cannot say of [`NewsIn`]: at least one of `title_uk` and `title_en` is
/// there and not empty (`news::check` refuses a draft without either).
pub struct NewsInRules;

impl utoipa::Modify for NewsInRules {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::schema::{AllOfBuilder, AnyOfBuilder, ObjectBuilder, Type};
        let Some(components) = openapi.components.as_mut() else {
            return;
        };
        let Some(derived) = components.schemas.remove("NewsIn") else {
            return;
        };
        let titled = |lang: &str| {
            let field = format!("title_{lang}");
            ObjectBuilder::new()
                .property(
                    &field,
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .min_length(Some(1)),
                )
                .required(&field)
        };
        let one_title = AnyOfBuilder::new().item(titled("uk")).item(titled("en"));
        components.schemas.insert(
            "NewsIn".to_string(),
            AllOfBuilder::new().item(derived).item(one_title).into(),
        );
    }
}

impl From<NewsIn> for Draft {
    fn from(n: NewsIn) -> Draft {
        Draft {
            title_uk: n.title_uk,
            title_en: n.title_en,
            summary_uk: n.summary_uk,
            summary_en: n.summary_en,
            body_uk: n.body_uk,
            body_en: n.body_en,
            source_url: n.source_url,
            sectors: n.sectors,
            units: n
                .units
                .iter()
                .map(UnitCode::as_str)
                .collect::<Vec<_>>()
                .join(" "),
            top_pick: n.top_pick,
        }
    }
}

async fn any_item(state: &AppState, id: i64) -> AppResult<NewsOut> {
    let item = repo::item(&state.db, id).await?.ok_or(AppError::NotFound)?;
    out(state, item).await
}

/// Creates a draft (editors).
#[utoipa::path(post, path = "/api/v1/news", tag = "news", operation_id = "create_news_item",
    request_body = NewsIn, security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = NewsOut), (status = 422, body = crate::web::api::ErrorEnvelope)))]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    Json(body): Json<NewsIn>,
) -> AppResult<(StatusCode, Json<NewsOut>)> {
    let id = actions::create(&state, &actor, actor.user_id, &body.into()).await?;
    Ok((StatusCode::CREATED, Json(any_item(&state, id).await?)))
}

/// Replaces an item's texts, sectors and units (editors).
#[utoipa::path(put, path = "/api/v1/news/{id}", tag = "news", operation_id = "update_news_item",
    request_body = NewsIn, params(("id" = i64, Path, description = "item id")), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = NewsOut), (status = 422, body = crate::web::api::ErrorEnvelope)))]
pub async fn update(
    State(state): State<AppState>,
    actor: Actor,
    Path(path): Path<IdPath>,
    Json(body): Json<NewsIn>,
) -> AppResult<Json<NewsOut>> {
    actions::update(&state, &actor, path.id, &body.into()).await?;
    Ok(Json(any_item(&state, path.id).await?))
}

/// Publishes a draft or an item in review (editors); 409 from any other state.
#[utoipa::path(post, path = "/api/v1/news/{id}/publish", tag = "news",
    operation_id = "publish_news_item",
    params(("id" = i64, Path, description = "item id")), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = NewsOut), (status = 409, body = crate::web::api::ErrorEnvelope)))]
pub async fn publish(
    State(state): State<AppState>,
    actor: Actor,
    Path(path): Path<IdPath>,
) -> AppResult<Json<NewsOut>> {
    actions::move_item(&state, &actor, path.id, super::Move::Publish).await?;
    Ok(Json(any_item(&state, path.id).await?))
}

/// Withdraws a published item (editors).
#[utoipa::path(post, path = "/api/v1/news/{id}/withdraw", tag = "news",
    operation_id = "withdraw_news_item",
    params(("id" = i64, Path, description = "item id")), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = NewsOut), (status = 409, body = crate::web::api::ErrorEnvelope)))]
pub async fn withdraw(
    State(state): State<AppState>,
    actor: Actor,
    Path(path): Path<IdPath>,
) -> AppResult<Json<NewsOut>> {
    actions::move_item(&state, &actor, path.id, super::Move::Withdraw).await?;
    Ok(Json(any_item(&state, path.id).await?))
}

/// A move of an item between its states.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct MoveIn {
    /// submit (draft → in review), publish (draft or in review → published), withdraw
    /// (published → withdrawn) or rework (in review or withdrawn → draft).
    #[serde(rename = "move")]
    pub to: super::Move,
}

/// Moves an item between its states, as the editing page's buttons do (editors): 409 for a
/// move its state does not allow, 422 `move` for no such move.
#[utoipa::path(post, path = "/api/v1/news/{id}/move", tag = "news", operation_id = "move_news_item",
    request_body = MoveIn, params(("id" = i64, Path, description = "item id")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = NewsOut), (status = 409, body = crate::web::api::ErrorEnvelope),
        (status = 422, body = crate::web::api::ErrorEnvelope)))]
pub async fn move_item(
    State(state): State<AppState>,
    actor: Actor,
    Path(path): Path<IdPath>,
    Json(body): Json<MoveIn>,
) -> AppResult<Json<NewsOut>> {
    actions::move_item(&state, &actor, path.id, body.to).await?;
    Ok(Json(any_item(&state, path.id).await?))
}

/// Uploads or replaces an item's cover (editors): multipart with `file` (JPEG, PNG or WebP up
/// to 12 MB) and `alt_uk`, `alt_en`; without a file, changes the texts of the cover there is.
#[utoipa::path(put, path = "/api/v1/news/{id}/cover", tag = "news",
    operation_id = "put_news_cover",
    params(("id" = i64, Path, description = "item id")), security(("bearer" = []), ("session" = [])),
    request_body(content_type = "multipart/form-data", description = "file, alt_uk, alt_en"),
    responses((status = 200, body = NewsOut), (status = 422, body = crate::web::api::ErrorEnvelope)))]
pub async fn put_cover(
    State(state): State<AppState>,
    actor: Actor,
    Path(path): Path<IdPath>,
    multipart: axum::extract::Multipart,
) -> AppResult<Json<NewsOut>> {
    super::covers::save(&state.db, &actor, path.id, multipart).await?;
    Ok(Json(any_item(&state, path.id).await?))
}

/// Removes an item's cover (editors).
#[utoipa::path(delete, path = "/api/v1/news/{id}/cover", tag = "news",
    operation_id = "delete_news_cover",
    params(("id" = i64, Path, description = "item id")), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = NewsOut), (status = 404, body = crate::web::api::ErrorEnvelope)))]
pub async fn delete_cover(
    State(state): State<AppState>,
    actor: Actor,
    Path(path): Path<IdPath>,
) -> AppResult<Json<NewsOut>> {
    actions::remove_cover(&state.db, &actor, path.id).await?;
    Ok(Json(any_item(&state, path.id).await?))
}
