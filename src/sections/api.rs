//! JSON API of one section: purpose, coordinators, number of members and announcements.

use axum::extract::{Path, State};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::repo;
use crate::error::{AppError, AppResult};
use crate::web::AppState;
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
    State(state): State<AppState>,
    Path(path): Path<SlugPath>,
) -> AppResult<Json<SectionDetail>> {
    let s = crate::members::repo::section_by_slug(&state.db, &path.slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let announcements = repo::announcements(&state.db, s.id, 20)
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
        coordinators: repo::coordinators(&state.db, &s.slug).await?,
        members: repo::approved_count(&state.db, s.id).await?,
        slug: s.slug,
        name_uk: s.name_uk,
        name_en: s.name_en,
        purpose_uk: s.purpose_uk,
        purpose_en: s.purpose_en,
        announcements,
    }))
}
