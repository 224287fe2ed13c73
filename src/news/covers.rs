//! A news item's cover image: editors upload it (JPEG, PNG or WebP, re-encoded as a clean JPEG
//! within 1200 pixels) with a text alternative per language, change those texts, or remove it.
//! The image is public once the item is; editors see it on drafts too.

use super::edit_pages::IdPath;
use super::{actions, repo};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::web::Ctx;
use crate::work::Actor;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};

/// The stored cover fits in a square of this many pixels.
pub const COVER_SIDE: u32 = 1200;
/// The longest text alternative.
pub const MAX_ALT: usize = 300;

fn refuse(key: &str) -> AppError {
    AppError::Invalid(vec![("cover".into(), key.into())])
}

fn back(lang: Lang, id: i64, done: &str) -> Response {
    Redirect::to(&format!("/{}/news/{id}/edit?done={done}", lang.code())).into_response()
}

/// Uploads or replaces the cover; without a file, changes the text alternatives of the
/// cover there is.
pub async fn upload(
    State(state): State<AppState>,
    lang: Lang,
    actor: Actor,
    Path(path): Path<IdPath>,
    multipart: axum::extract::Multipart,
) -> AppResult<Response> {
    save(&state.db, &actor, path.id, multipart).await?;
    Ok(back(lang, path.id, "cover"))
}

/// The form or API upload: a multipart body with an optional `file` and the `alt_uk`,
/// `alt_en` texts, read here and stored by [`actions::set_cover`].
pub async fn save(
    db: &Db,
    actor: &Actor,
    id: i64,
    multipart: axum::extract::Multipart,
) -> AppResult<()> {
    let item = repo::item(db, id).await?.ok_or(AppError::NotFound)?;
    let (file, fields) = crate::web::extract::uploaded_form(multipart)
        .await
        .map_err(refuse)?;
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    let (alt_uk, alt_en) = (field("alt_uk"), field("alt_en"));
    if alt_uk.chars().count() > MAX_ALT || alt_en.chars().count() > MAX_ALT {
        return Err(refuse("news-cover-error-alt"));
    }
    let image = match file {
        // Decoding and resizing take CPU time; they run beside the async workers.
        Some(bytes) => Some(
            tokio::task::spawn_blocking(move || crate::web::images::fit_jpeg(&bytes, COVER_SIDE))
                .await
                .map_err(|e| AppError::Internal(e.into()))?
                .map_err(refuse)?,
        ),
        None => None,
    };
    let cover = actions::Cover {
        image: image.as_ref(),
        alt: (&alt_uk, &alt_en),
    };
    actions::set_cover(db, actor, item.id, cover).await
}

pub async fn delete(
    State(state): State<AppState>,
    lang: Lang,
    actor: Actor,
    Path(path): Path<IdPath>,
) -> AppResult<Response> {
    actions::remove_cover(&state.db, &actor, path.id).await?;
    Ok(back(lang, path.id, "cover-deleted"))
}

/// The cover's JPEG: public for a published item, for editors otherwise.
pub async fn image(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(path): Path<IdPath>,
) -> AppResult<Response> {
    let item = super::pages::visible_item(&state, &ctx, path.id).await?;
    let bytes = repo::cover_bytes(&state.db, item.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let published = item.state == super::State::Published;
    Ok(crate::web::images::jpeg_response(
        bytes,
        if published {
            "public, max-age=3600"
        } else {
            "private, no-store"
        },
    ))
}
