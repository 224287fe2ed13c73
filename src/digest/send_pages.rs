//! The editors' sending pages: start a sending from the preview, follow its progress (how
//! many are queued, sent, waiting, failed, and who could not be reached), retry the failed.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};

use super::edit_pages::KeyPath;
use super::repo;
use super::send::{self, Progress};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::web::page::render;
use crate::web::{Ctx, PageCtx};
use crate::work::Actor;

#[derive(Template)]
#[template(path = "digest/sending.html")]
struct SendingPage {
    p: PageCtx,
    d: repo::DigestRow,
    title: String,
    progress: Progress,
    /// Sent as a whole percentage, for the progress bar.
    percent: i64,
}

async fn digest(db: &Db, key: i64) -> AppResult<repo::DigestRow> {
    repo::digest(db, key).await?.ok_or(AppError::NotFound)
}

pub async fn sending(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(path): Path<KeyPath>,
) -> AppResult<Response> {
    let d = digest(&state.db, path.key).await?;
    let progress = send::progress(&state, d.id).await?;
    let percent = (progress.sent * 100)
        .checked_div(progress.recipients)
        .unwrap_or(0);
    let title = match ctx.lang {
        Lang::Uk => d.title_uk.clone(),
        Lang::En => d.title_en.clone(),
    };
    Ok(render(&SendingPage {
        p: PageCtx::new(&ctx, "digest-sending-title"),
        d,
        title,
        progress,
        percent,
    })?
    .into_response())
}

fn back(lang: Lang, key: i64) -> Response {
    Redirect::to(&format!("/{}/digest/{key}/sending", lang.code())).into_response()
}

/// Starts the sending (or one for new subscribers) and shows its progress at once.
pub async fn start(
    State(state): State<AppState>,
    lang: Lang,
    actor: Actor,
    Path(path): Path<KeyPath>,
) -> AppResult<Response> {
    let d = digest(&state.db, path.key).await?;
    send::start(&state, &d, &actor).await?;
    Ok(back(lang, d.id))
}

/// Queues the failed recipients again.
pub async fn retry(
    State(state): State<AppState>,
    lang: Lang,
    actor: Actor,
    Path(path): Path<KeyPath>,
) -> AppResult<Response> {
    let d = digest(&state.db, path.key).await?;
    send::retry_failed(&state, d.id, &actor).await?;
    Ok(back(lang, d.id))
}
