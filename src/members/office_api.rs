//! The API twin of the admins' office forms: adding a regional office and changing its
//! details and oblasts, through the same use cases (`offices.rs`).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;

use super::api::OfficeOut;
use super::offices::{self, OfficeDraft};
use super::repo;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::Ctx;
use crate::web::extract::Json;

/// A regional office's details and the oblasts it covers.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct OfficeIn {
    /// 2 to 40 of `a-z`, `0-9` and `-`. Needed to add an office; a change keeps the short
    /// name it has, whatever is sent.
    #[serde(default)]
    #[schema(pattern = "^[a-z0-9-]{2,40}$")]
    pub slug: String,
    #[schema(min_length = 1, max_length = 200)]
    pub name_uk: String,
    #[schema(min_length = 1, max_length = 200)]
    pub name_en: String,
    #[serde(default)]
    #[schema(max_length = 300)]
    pub head_name: String,
    /// Empty, or an email address.
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    #[schema(max_length = 300)]
    pub phone: String,
    #[serde(default)]
    #[schema(max_length = 300)]
    pub address: String,
    /// Codes of the oblasts (or cities with special status) it covers.
    #[serde(default)]
    pub oblasts: Vec<String>,
}

impl From<OfficeIn> for OfficeDraft {
    fn from(o: OfficeIn) -> OfficeDraft {
        OfficeDraft {
            slug: o.slug,
            name_uk: o.name_uk,
            name_en: o.name_en,
            head_name: o.head_name,
            email: o.email,
            phone: o.phone,
            address: o.address,
            oblasts: o.oblasts,
        }
    }
}

async fn out(db: &Db, office: repo::Office) -> AppResult<Json<OfficeOut>> {
    let oblasts = repo::office_oblasts(db).await?;
    Ok(Json(OfficeOut::of(office, &oblasts)))
}

/// Adds a regional office (admins); 409 when the short name is taken, 422 naming every field
/// that does not fit.
#[utoipa::path(post, path = "/api/v1/regional-offices", tag = "association",
    operation_id = "create_regional_office", security(("bearer" = []), ("session" = [])),
    request_body = OfficeIn,
    responses((status = 201, body = OfficeOut), (status = 409, body = crate::web::api::ErrorEnvelope),
              (status = 422, body = crate::web::api::ErrorEnvelope)))]
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Json(body): Json<OfficeIn>,
) -> AppResult<(StatusCode, Json<OfficeOut>)> {
    let p = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let snap = crate::registry::snapshot::current(&state).await?;
    let office = offices::create(&state.db, &snap, p, &ctx.ip, &body.into()).await?;
    Ok((StatusCode::CREATED, out(&state.db, office).await?))
}

#[derive(Deserialize)]
pub struct SlugPath {
    slug: String,
}

/// Changes a regional office's details and oblasts (admins); its short name stays.
#[utoipa::path(put, path = "/api/v1/regional-offices/{slug}", tag = "association",
    operation_id = "update_regional_office", security(("bearer" = []), ("session" = [])),
    params(("slug" = String, Path, description = "the office's short name")),
    request_body = OfficeIn,
    responses((status = 200, body = OfficeOut), (status = 422, body = crate::web::api::ErrorEnvelope)))]
pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(path): Path<SlugPath>,
    Json(body): Json<OfficeIn>,
) -> AppResult<Json<OfficeOut>> {
    let p = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let snap = crate::registry::snapshot::current(&state).await?;
    let office = offices::update(&state.db, &snap, p, &ctx.ip, &path.slug, &body.into()).await?;
    out(&state.db, office).await
}
