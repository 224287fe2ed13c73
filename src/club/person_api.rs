//! The API twins of a person's pages that reach into the club: the mayor's page as its
//! editors see it, saving its drafts, an editor publishing them, its photo, and erasing a
//! person's data. Each runs the use case the page runs (`mayor_page.rs`, `privacy.rs`).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::mayor_page::{self, photo_version, text_of};
use super::privacy;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::people::mayor::{self, Field};
use crate::people::repo;
use crate::state::AppState;
use crate::web::Ctx;
use crate::web::extract::Json;

#[derive(Deserialize)]
pub struct IdPath {
    id: i64,
}

/// One field of a mayor's page in one language.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MayorTextSlot {
    /// bio, vision, social_impact or achievements.
    pub field: String,
    /// uk or en.
    pub lang: String,
    /// The text being edited.
    pub draft: String,
    /// The text the public sees.
    pub published: String,
    /// missing (neither written nor published), draft (waiting for an editor) or reviewed
    /// (the published text is the draft).
    pub state: String,
}

/// A mayor's page as those who may edit it see it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MayorPageOut {
    pub person: i64,
    /// Every field in both languages.
    pub texts: Vec<MayorTextSlot>,
    /// The published photo's URL, when there is one.
    pub photo: Option<String>,
    /// The version of the photo waiting for an editor, when there is one: publishing names
    /// it.
    pub photo_waiting: Option<String>,
}

async fn page_out(state: &AppState, person: i64) -> AppResult<Json<MayorPageOut>> {
    let texts = repo::mayor_texts(&state.db, person).await?;
    let slots = Field::ALL
        .into_iter()
        .flat_map(|f| [(f, Lang::Uk), (f, Lang::En)])
        .map(|(f, l)| {
            let t = text_of(&texts, f, l);
            MayorTextSlot {
                field: f.code().into(),
                lang: l.code().into(),
                draft: t.map(|t| t.draft.clone()).unwrap_or_default(),
                published: t.map(|t| t.published.clone()).unwrap_or_default(),
                state: t
                    .map_or(mayor::State::Missing, |t| mayor::State::parse(&t.state))
                    .code()
                    .into(),
            }
        })
        .collect();
    let photo = repo::photo_meta(&state.db, person)
        .await?
        .map(|(_, _, at)| format!("/photos/people/{person}?v={}", at.timestamp()));
    let photo_waiting = repo::photo_draft_meta(&state.db, person)
        .await?
        .map(|(_, _, at)| photo_version(&at));
    Ok(Json(MayorPageOut {
        person,
        texts: slots,
        photo,
        photo_waiting,
    }))
}

/// A mayor's page with its drafts (the person, their club delegates, editors).
#[utoipa::path(get, path = "/api/v1/people/{id}/mayor-page", tag = "club",
    operation_id = "get_mayor_page", security(("bearer" = []), ("session" = [])),
    params(("id" = i64, Path, description = "the person")),
    responses((status = 200, body = MayorPageOut)))]
pub async fn get_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(path): Path<IdPath>,
) -> AppResult<Json<MayorPageOut>> {
    let p = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let person = mayor_page::editable(&state.db, p, path.id).await?;
    page_out(&state, person.id).await
}

/// Drafts of a mayor's page: each field given (in each language) replaces its draft; a field
/// left out stays as it is. Up to 10,000 characters each.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct MayorDraftsIn {
    pub bio_uk: Option<String>,
    pub bio_en: Option<String>,
    pub vision_uk: Option<String>,
    pub vision_en: Option<String>,
    pub social_impact_uk: Option<String>,
    pub social_impact_en: Option<String>,
    pub achievements_uk: Option<String>,
    pub achievements_en: Option<String>,
}

impl MayorDraftsIn {
    fn drafts(self) -> Vec<(Field, Lang, String)> {
        use Field::{Achievements, Bio, SocialImpact, Vision};
        use Lang::{En, Uk};
        [
            (Bio, Uk, self.bio_uk),
            (Bio, En, self.bio_en),
            (Vision, Uk, self.vision_uk),
            (Vision, En, self.vision_en),
            (SocialImpact, Uk, self.social_impact_uk),
            (SocialImpact, En, self.social_impact_en),
            (Achievements, Uk, self.achievements_uk),
            (Achievements, En, self.achievements_en),
        ]
        .into_iter()
        .filter_map(|(f, l, text)| text.map(|t| (f, l, t)))
        .collect()
    }
}

/// Saves drafts of a mayor's page (the person, their club delegates, editors); they wait for
/// an editor. 422 names each text that is too long, and nothing is saved.
#[utoipa::path(put, path = "/api/v1/people/{id}/mayor-page", tag = "club",
    operation_id = "save_mayor_page", security(("bearer" = []), ("session" = [])),
    params(("id" = i64, Path, description = "the person")),
    request_body = MayorDraftsIn,
    responses((status = 200, body = MayorPageOut), (status = 422, body = crate::web::api::ErrorEnvelope)))]
pub async fn save_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(path): Path<IdPath>,
    Json(body): Json<MayorDraftsIn>,
) -> AppResult<Json<MayorPageOut>> {
    let p = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let drafts = body.drafts();
    let person = mayor_page::save_drafts(&state.db, p, &ctx.ip, path.id, &drafts).await?;
    page_out(&state, person.id).await
}

/// What an editor publishes.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct MayorPublishIn {
    /// The drafts to publish, each a field and a language: `bio_uk`, `social_impact_en`…
    /// Texts that are not drafts are passed over.
    #[serde(default)]
    pub texts: Vec<String>,
    /// The `photo_waiting` version seen, to publish that photo.
    #[serde(default)]
    pub photo: Option<String>,
}

/// An editor publishes drafts of a mayor's page and the photo waiting for review. 409 when
/// another photo was uploaded since the version named; 422 `texts` for a name that is no
/// field, `publish` when there is nothing to publish.
#[utoipa::path(post, path = "/api/v1/people/{id}/mayor-page/publish", tag = "club",
    operation_id = "publish_mayor_page", security(("bearer" = []), ("session" = [])),
    params(("id" = i64, Path, description = "the person")),
    request_body = MayorPublishIn,
    responses((status = 200, body = MayorPageOut), (status = 409, body = crate::web::api::ErrorEnvelope),
              (status = 422, body = crate::web::api::ErrorEnvelope)))]
pub async fn publish_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(path): Path<IdPath>,
    Json(body): Json<MayorPublishIn>,
) -> AppResult<Json<MayorPageOut>> {
    let p = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let chosen = body
        .texts
        .iter()
        .map(|name| mayor::parse_slot(name).ok_or(AppError::field("texts", "error-filter")))
        .collect::<AppResult<Vec<_>>>()?;
    let photo = body.photo.as_deref();
    let person = mayor_page::publish(&state.db, p, &ctx.ip, path.id, &chosen, photo).await?;
    page_out(&state, person.id).await
}

/// An uploaded photo as stored.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PhotoOut {
    pub width: u32,
    pub height: u32,
    /// Public at once (an editor's upload), or waiting for an editor.
    pub published: bool,
}

/// Uploads (or replaces) the photo of a mayor's page: multipart with `file` (JPEG, PNG or
/// WebP up to 12 MB), resized and without its metadata. The person's or a delegate's photo
/// waits for an editor; an editor's is public at once. 422 `photo` for no usable image.
#[utoipa::path(put, path = "/api/v1/people/{id}/photo", tag = "club",
    operation_id = "put_person_photo", security(("bearer" = []), ("session" = [])),
    params(("id" = i64, Path, description = "the person")),
    request_body(content_type = "multipart/form-data", description = "file"),
    responses((status = 200, body = PhotoOut), (status = 422, body = crate::web::api::ErrorEnvelope)))]
pub async fn put_photo(
    State(db): State<Db>,
    ctx: Ctx,
    Path(path): Path<IdPath>,
    multipart: axum::extract::Multipart,
) -> AppResult<Json<PhotoOut>> {
    let p = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let up = mayor_page::upload_photo(&db, p, &ctx.ip, path.id, multipart).await?;
    Ok(Json(PhotoOut {
        width: up.width,
        height: up.height,
        published: up.published,
    }))
}

/// Removes the photo of a mayor's page, published and waiting alike; 404 when there is none.
#[utoipa::path(delete, path = "/api/v1/people/{id}/photo", tag = "club",
    operation_id = "delete_person_photo", security(("bearer" = []), ("session" = [])),
    params(("id" = i64, Path, description = "the person")),
    responses((status = 204)))]
pub async fn delete_photo(
    State(db): State<Db>,
    ctx: Ctx,
    Path(path): Path<IdPath>,
) -> AppResult<StatusCode> {
    let p = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    mayor_page::delete_photo(&db, p, &ctx.ip, path.id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The person's confirmation that their data is to be erased.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ErasureIn {
    /// Must be true.
    #[serde(default)]
    pub confirm: bool,
}

/// What an erasure kept.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErasureOut {
    pub person: i64,
    /// The name stays with the posts of public office the person held.
    pub kept_name: bool,
}

/// Erases a person's data (the person themself, or an admin on their request): contacts,
/// photo, the mayor's page, the words and contacts of their club applications (found by their
/// verified addresses only); club membership and delegations end. Posts of public office keep
/// the name; the audit log stays. 422 `confirm` without the confirmation.
#[utoipa::path(post, path = "/api/v1/people/{id}/erasure", tag = "association",
    operation_id = "erase_person", security(("bearer" = []), ("session" = [])),
    params(("id" = i64, Path, description = "the person")),
    request_body = ErasureIn,
    responses((status = 200, body = ErasureOut), (status = 422, body = crate::web::api::ErrorEnvelope)))]
pub async fn erase(
    State(db): State<Db>,
    ctx: Ctx,
    Path(path): Path<IdPath>,
    Json(body): Json<ErasureIn>,
) -> AppResult<Json<ErasureOut>> {
    let p = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let erased = privacy::erase(&db, p, &ctx.ip, path.id, body.confirm).await?;
    Ok(Json(ErasureOut {
        person: path.id,
        kept_name: erased.kept_name,
    }))
}
