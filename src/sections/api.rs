//! JSON API of one section: purpose, coordinators, number of members and announcements; and
//! the twins of every form on the section's page (joining, leaving, decisions, announcements,
//! materials, the purpose), running the same use cases in `actions.rs`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{actions, repo};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::web::Ctx;
use crate::web::extract::Json;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AnnouncementOut {
    pub title: String,
    pub body: String,
    /// The language it was written in.
    pub lang: String,
    pub author: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SectionDetail {
    pub slug: String,
    pub name_uk: String,
    pub name_en: String,
    pub purpose_uk: String,
    pub purpose_en: String,
    pub coordinators: Vec<String>,
    pub members: i64,
    /// The latest 20, newest first.
    pub announcements: Vec<AnnouncementOut>,
}

#[derive(Deserialize)]
pub struct SlugPath {
    slug: String,
}

/// One professional section.
#[utoipa::path(get, path = "/api/v1/sections/{slug}", tag = "association",
    operation_id = "get_section",
    params(("slug" = String, Path, description = "the section's short name")), security((), ("bearer" = []), ("session" = [])),
    responses((status = 200, body = SectionDetail), (status = 404, body = crate::web::api::ErrorEnvelope)))]
pub async fn get_section(
    State(db): State<Db>,
    Path(path): Path<SlugPath>,
) -> AppResult<Json<SectionDetail>> {
    let s = crate::members::repo::section_by_slug(&db, &path.slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let announcements = repo::announcements(&db, s.id, 20)
        .await?
        .into_iter()
        .map(|a| AnnouncementOut {
            title: a.title,
            body: a.body,
            lang: a.lang,
            author: a.author,
            created_at: a.created_at,
        })
        .collect();
    Ok(Json(SectionDetail {
        coordinators: repo::coordinators(&db, &s.slug).await?,
        members: repo::approved_count(&db, s.id).await?,
        slug: s.slug,
        name_uk: s.name_uk,
        name_en: s.name_en,
        purpose_uk: s.purpose_uk,
        purpose_en: s.purpose_en,
        announcements,
    }))
}

// ---- the twins of the section page's forms -------------------------------------------------

#[derive(Deserialize)]
pub struct ItemPath {
    slug: String,
    id: i64,
}

/// A request to join, with a note for the coordinators.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct JoinIn {
    /// Up to 500 characters.
    #[serde(default)]
    pub note: String,
}

/// The id of what was created.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SectionCreated {
    pub id: i64,
}

/// The signed-in account asks to join; a coordinator decides.
#[utoipa::path(post, path = "/api/v1/sections/{slug}/requests", tag = "association", operation_id = "request_section_membership",
    security(("bearer" = []), ("session" = [])),
    params(("slug" = String, Path, description = "the section's short name")),
    request_body = JoinIn,
    responses((status = 201, body = SectionCreated), (status = 404, body = crate::web::api::ErrorEnvelope),
              (status = 409, body = crate::web::api::ErrorEnvelope),
              (status = 422, body = crate::web::api::ErrorEnvelope)))]
pub async fn request_join(
    State(db): State<Db>,
    ctx: Ctx,
    Path(path): Path<SlugPath>,
    Json(body): Json<JoinIn>,
) -> AppResult<(StatusCode, Json<SectionCreated>)> {
    let p = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let id = actions::request_join(&db, p, &ctx.ip, &path.slug, &body.note).await?;
    Ok((StatusCode::CREATED, Json(SectionCreated { id })))
}

/// The signed-in account leaves the section, or withdraws its pending request.
#[utoipa::path(delete, path = "/api/v1/sections/{slug}/membership", tag = "association", operation_id = "leave_section",
    security(("bearer" = []), ("session" = [])),
    params(("slug" = String, Path, description = "the section's short name")),
    responses((status = 204), (status = 404, body = crate::web::api::ErrorEnvelope),
              (status = 409, body = crate::web::api::ErrorEnvelope)))]
pub async fn leave(
    State(db): State<Db>,
    ctx: Ctx,
    Path(path): Path<SlugPath>,
) -> AppResult<StatusCode> {
    let p = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    actions::leave(&db, p, &ctx.ip, &path.slug).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A coordinator's decision on a membership or a request.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct DecisionIn {
    pub decision: actions::Decision,
}

/// A membership's status after a decision: `approved`, `declined` or `left`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MembershipOut {
    pub id: i64,
    pub status: super::MemberStatus,
}

/// A coordinator approves or declines a request, or removes a member.
#[utoipa::path(post, path = "/api/v1/sections/{slug}/requests/{id}", tag = "association", operation_id = "decide_section_membership",
    security(("bearer" = []), ("session" = [])),
    params(("slug" = String, Path, description = "the section's short name"),
           ("id" = i64, Path, description = "the request's or membership's id")),
    request_body = DecisionIn,
    responses((status = 200, body = MembershipOut), (status = 404, body = crate::web::api::ErrorEnvelope)))]
pub async fn decide(
    State(db): State<Db>,
    ctx: Ctx,
    Path(path): Path<ItemPath>,
    Json(body): Json<DecisionIn>,
) -> AppResult<Json<MembershipOut>> {
    let p = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let to = actions::decide(&db, p, &ctx.ip, &path.slug, path.id, body.decision).await?;
    Ok(Json(MembershipOut {
        id: path.id,
        status: to,
    }))
}

/// An announcement to the section's members (and the public page).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct AnnouncementIn {
    pub title: String,
    pub body: String,
    /// The language it is written in, `uk` or `en`.
    pub lang: String,
}

/// A coordinator posts an announcement.
#[utoipa::path(post, path = "/api/v1/sections/{slug}/announcements", tag = "association", operation_id = "create_section_announcement",
    security(("bearer" = []), ("session" = [])),
    params(("slug" = String, Path, description = "the section's short name")),
    request_body = AnnouncementIn,
    responses((status = 201, body = SectionCreated), (status = 404, body = crate::web::api::ErrorEnvelope),
              (status = 422, body = crate::web::api::ErrorEnvelope)))]
pub async fn announce(
    State(db): State<Db>,
    ctx: Ctx,
    Path(path): Path<SlugPath>,
    Json(body): Json<AnnouncementIn>,
) -> AppResult<(StatusCode, Json<SectionCreated>)> {
    let p = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let lang = Lang::parse(&body.lang).ok_or(AppError::field("lang", "lang-invalid"))?;
    let text = (body.title.as_str(), body.body.as_str());
    let id = actions::announce(&db, p, &ctx.ip, &path.slug, text, lang.code()).await?;
    Ok((StatusCode::CREATED, Json(SectionCreated { id })))
}

/// A coordinator adds a material: a multipart form with `title` and `file` (PDF, office
/// documents, images; see the section page for the size limit).
#[utoipa::path(post, path = "/api/v1/sections/{slug}/materials", tag = "association", operation_id = "create_section_material",
    security(("bearer" = []), ("session" = [])),
    params(("slug" = String, Path, description = "the section's short name")),
    request_body(content_type = "multipart/form-data", description = "`title` and `file`"),
    responses((status = 201, body = SectionCreated), (status = 404, body = crate::web::api::ErrorEnvelope),
              (status = 422, body = crate::web::api::ErrorEnvelope)))]
pub async fn add_material(
    State(db): State<Db>,
    ctx: Ctx,
    Path(path): Path<SlugPath>,
    mut multipart: axum::extract::Multipart,
) -> AppResult<(StatusCode, Json<SectionCreated>)> {
    let p = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    actions::coordinated(&db, p, &path.slug).await?;
    let upload = super::pages::read_upload(&mut multipart).await?;
    let id = actions::add_material(&db, p, &ctx.ip, &path.slug, &upload).await?;
    Ok((StatusCode::CREATED, Json(SectionCreated { id })))
}

/// A coordinator deletes a material.
#[utoipa::path(delete, path = "/api/v1/sections/{slug}/materials/{id}", tag = "association", operation_id = "delete_section_material",
    security(("bearer" = []), ("session" = [])),
    params(("slug" = String, Path, description = "the section's short name"),
           ("id" = i64, Path, description = "the material's id")),
    responses((status = 204), (status = 404, body = crate::web::api::ErrorEnvelope)))]
pub async fn delete_material(
    State(db): State<Db>,
    ctx: Ctx,
    Path(path): Path<ItemPath>,
) -> AppResult<StatusCode> {
    let p = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    actions::delete_material(&db, p, &ctx.ip, &path.slug, path.id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The section's purpose in both languages.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct PurposeIn {
    /// Required, up to 2,000 characters.
    pub purpose_uk: String,
    /// Up to 2,000 characters.
    #[serde(default)]
    pub purpose_en: String,
}

/// A coordinator rewrites the purpose; the section as it now is.
#[utoipa::path(put, path = "/api/v1/sections/{slug}/purpose", tag = "association", operation_id = "update_section_purpose",
    security(("bearer" = []), ("session" = [])),
    params(("slug" = String, Path, description = "the section's short name")),
    request_body = PurposeIn,
    responses((status = 200, body = SectionDetail), (status = 404, body = crate::web::api::ErrorEnvelope),
              (status = 422, body = crate::web::api::ErrorEnvelope)))]
pub async fn set_purpose(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(path): Path<SlugPath>,
    Json(body): Json<PurposeIn>,
) -> AppResult<Json<SectionDetail>> {
    let p = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let purpose = (body.purpose_uk.as_str(), body.purpose_en.as_str());
    actions::set_purpose(&state.db, p, &ctx.ip, &path.slug, purpose).await?;
    get_section(State(state.db.clone()), Path(path)).await
}
