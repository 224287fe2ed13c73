//! What admins do to the outbox, shared by its page and the API: queueing a failed message
//! again. One unit of work each.

use serde_json::json;

use super::repo;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::work::Actor;
use crate::work::Work;

/// Queues failed message `id` again, its attempts counted from nought, and wakes the mail
/// worker once that is committed. 404 for no such message; 409 for one that has not failed.
pub async fn requeue(state: &AppState, actor: Actor, id: i64) -> AppResult<()> {
    repo::find(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let mut work = Work::begin(&state.db, actor).await?;
    if !repo::requeue(&mut work.tx, id, work.now).await? {
        return Err(AppError::Conflict("outbox-not-failed"));
    }
    work.audit("requeue", "outbox", id, json!({"status": "queued"}))
        .await?;
    work.wake(&state.mail_wakeup);
    work.commit().await?;
    Ok(())
}
