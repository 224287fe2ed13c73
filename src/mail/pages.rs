//! The admin's view of the outbox: what waits, what went, what failed; read a message; queue a
//! failed one again (`actions.rs`; the API in `api.rs`). Without SMTP this is where mail can
//! be read.

use crate::db::Db;
use crate::web::extract::Query;
use crate::work::Actor;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, Redirect};
use serde::Deserialize;

use super::repo::{self, OutboxRow};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::web::page::render;
use crate::web::{Ctx, PageCtx};

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutboxQuery {
    /// queued, sending, sent or failed; empty for all. Another value is refused (422 `status`
    /// in the API, 400 on the page).
    #[serde(default, deserialize_with = "crate::db::text_enum::empty_as_none")]
    #[param(inline)]
    pub status: Option<super::Status>,
    /// 1 to 500, 50 when absent.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// 0 or more.
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

#[derive(Template)]
#[template(path = "mail/outbox.html")]
struct OutboxPage {
    p: PageCtx,
    items: Vec<OutboxRow>,
    total: i64,
    status: Option<super::Status>,
    statuses: &'static [super::Status],
    smtp_configured: bool,
}

pub async fn outbox(
    State(state): State<AppState>,
    _lang: Lang,
    ctx: Ctx,
    Query(q): Query<OutboxQuery>,
) -> AppResult<Html<String>> {
    let status = q.status;
    let (items, total) = repo::list(&state.db, status, 200, 0).await?;
    render(&OutboxPage {
        p: PageCtx::new(&ctx, "outbox-title"),
        items,
        total,
        status,
        statuses: &super::Status::ALL,
        smtp_configured: state.settings.smtp_url.is_some(),
    })
}

#[derive(Template)]
#[template(path = "mail/message.html")]
struct MessageView {
    p: PageCtx,
    m: OutboxRow,
}

#[derive(Deserialize)]
pub struct IdPath {
    id: i64,
}

pub async fn message(
    State(db): State<Db>,
    _lang: Lang,
    ctx: Ctx,
    Path(path): Path<IdPath>,
) -> AppResult<Html<String>> {
    let mut m = repo::find(&db, path.id).await?.ok_or(AppError::NotFound)?;
    // A message of a bulk sending shows its shared body as this recipient gets it.
    if let Some(body) = m.body_id
        && let Some((text, _)) = repo::body(&db, body).await?
    {
        m.body_text = text;
    }
    // Links in mail carry secrets (a reset, an invitation, a subscriber's page): admins see
    // that there is one, never the link.
    m.body_text = crate::mail::mask_for_admins(&m.body_text, &ctx.lang.t("outbox-link-hidden"));
    let title = m.subject.clone();
    render(&MessageView {
        p: PageCtx::new(&ctx, "outbox-title").with_title(title),
        m,
    })
}

/// Queues a failed message again (the message page's button).
pub async fn requeue(
    State(state): State<AppState>,
    lang: Lang,
    actor: Actor,
    Path(path): Path<IdPath>,
) -> AppResult<Redirect> {
    super::actions::requeue(&state, actor, path.id).await?;
    Ok(Redirect::to(&format!(
        "/{}/admin/outbox/{}",
        lang.code(),
        path.id
    )))
}
