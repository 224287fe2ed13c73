//! JSON API of the outbox (admins): the messages, and queueing a failed one again (the twin
//! of the message page's button). Links in bodies are hidden, as on the pages.

use axum::extract::{Path, State};

use super::pages::OutboxQuery;
use super::repo::{self, OutboxRow};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::api::{ListOf, Paging};
use crate::web::extract::{Json, Query};
use crate::work::Actor;

/// A message as admins see it: links carry secrets (a reset, an invitation, a subscriber's
/// page), so only that there is one shows.
fn for_admins(mut m: OutboxRow) -> OutboxRow {
    m.body_text = crate::mail::mask_for_admins(&m.body_text, "[link hidden]");
    m.body_html = m
        .body_html
        .as_deref()
        .map(|h| crate::mail::mask_for_admins(h, "[link hidden]"));
    m
}

/// Outbox messages, newest first (admin).
#[utoipa::path(get, path = "/api/v1/outbox", tag = "mail", operation_id = "list_outbox",
    params(OutboxQuery), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ListOf<OutboxRow>)))]
pub async fn list(
    State(db): State<Db>,
    Query(q): Query<OutboxQuery>,
) -> AppResult<Json<ListOf<OutboxRow>>> {
    let (limit, offset) = Paging {
        limit: q.limit,
        offset: q.offset,
    }
    .resolve()?;
    let (items, total) = repo::list(&db, q.status, limit, offset).await?;
    let items = items.into_iter().map(for_admins).collect();
    Ok(Json(ListOf { items, total }))
}

/// Queues a failed message again, its attempts counted from nought (admin); answers the
/// message. 409 when it has not failed.
#[utoipa::path(post, path = "/api/v1/outbox/{id}/requeue", tag = "mail",
    operation_id = "requeue_outbox_message",
    params(("id" = i64, Path, description = "the message")), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = OutboxRow),
        (status = 409, body = crate::web::api::ErrorEnvelope, description = "The message has not failed.")))]
pub async fn requeue(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<OutboxRow>> {
    super::actions::requeue(&state, actor, id).await?;
    let m = repo::find(&state.db, id).await?.ok_or(AppError::NotFound)?;
    Ok(Json(for_admins(m)))
}
