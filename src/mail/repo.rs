//! SQL of the outbox. Status moves queued → sending → sent, or → failed; a failed message is
//! queued again only by an admin.

use chrono::{DateTime, Duration, Utc};

use super::Outgoing;
use crate::db::{Db, DbKind, Tx};
use crate::on_db;

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize, utoipa::ToSchema)]
pub struct OutboxRow {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    pub message_id: String,
    pub to_addr: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    pub lang: String,
    pub kind: String,
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub sent_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str = "id, created_at, message_id, to_addr, subject, body_text, body_html, lang, kind, status, \
     attempts, next_attempt_at, last_error, sent_at";

/// Queues a message inside the caller's transaction. The Message-ID is fixed now, so a
/// receiving server can tell a repeated delivery from a new message.
pub async fn enqueue(
    tx: &mut Tx,
    msg: &Outgoing,
    domain: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<i64> {
    let message_id = format!("<{}@{domain}>", crate::auth::new_secret("m."));
    on_db!(tx, c => sqlx::query_scalar(
        "INSERT INTO outbox (created_at, message_id, to_addr, subject, body_text, body_html, lang, kind, status, \
         next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'queued', $1) RETURNING id")
        .bind(now).bind(message_id).bind(&msg.to).bind(&msg.subject).bind(&msg.text).bind(&msg.html)
        .bind(msg.lang.code()).bind(msg.kind).fetch_one(c).await)
}

/// Claims the oldest due message for `lease`. Two workers (on two instances) never claim the
/// same row: the UPDATE re-checks the status, and PostgreSQL skips rows another worker holds.
pub async fn claim_next(
    db: &Db,
    now: DateTime<Utc>,
    lease: Duration,
) -> sqlx::Result<Option<OutboxRow>> {
    let sql = match db.kind() {
        DbKind::Sqlite => format!(
            "UPDATE outbox SET status = 'sending', lease_expires_at = $2, attempts = attempts + 1 \
             WHERE id = (SELECT id FROM outbox WHERE status = 'queued' AND next_attempt_at <= $1 \
                         ORDER BY next_attempt_at, id LIMIT 1) AND status = 'queued' RETURNING {COLUMNS}"
        ),
        DbKind::Postgres => format!(
            "UPDATE outbox SET status = 'sending', lease_expires_at = $2, attempts = attempts + 1 \
             WHERE id = (SELECT id FROM outbox WHERE status = 'queued' AND next_attempt_at <= $1 \
                         ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) \
             AND status = 'queued' RETURNING {COLUMNS}"
        ),
    };
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(now).bind(now + lease).fetch_optional(c).await)
}

pub async fn mark_sent(db: &Db, id: i64, now: DateTime<Utc>) -> sqlx::Result<()> {
    crate::db_exec!(db, c => sqlx::query(
        "UPDATE outbox SET status = 'sent', sent_at = $1, lease_expires_at = NULL, last_error = NULL WHERE id = $2")
        .bind(now).bind(id).execute(c).await)?;
    Ok(())
}

/// A failed attempt: back to the queue at `retry_at`, or failed for good when `retry_at` is None.
pub async fn mark_attempt_failed(
    db: &Db,
    id: i64,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
) -> sqlx::Result<()> {
    let status = if retry_at.is_some() {
        "queued"
    } else {
        "failed"
    };
    crate::db_exec!(db, c => sqlx::query(
        "UPDATE outbox SET status = $1, next_attempt_at = COALESCE($2, next_attempt_at), lease_expires_at = NULL, \
         last_error = $3 WHERE id = $4")
        .bind(status).bind(retry_at).bind(error).bind(id).execute(c).await)?;
    Ok(())
}

/// Messages left in `sending` by a worker that died mid-delivery may or may not have reached
/// the server. They are not retried automatically (that could send them twice): they become
/// failed with a note, and an admin decides.
pub async fn fail_abandoned(db: &Db, now: DateTime<Utc>) -> sqlx::Result<u64> {
    crate::db_exec!(db, c => sqlx::query(
        "UPDATE outbox SET status = 'failed', lease_expires_at = NULL, \
         last_error = 'delivery was interrupted; it may have been delivered. Check before sending again.' \
         WHERE status = 'sending' AND lease_expires_at < $1")
        .bind(now).execute(c).await)
}

/// An admin queues a failed message again.
pub async fn requeue(tx: &mut Tx, id: i64, now: DateTime<Utc>) -> sqlx::Result<bool> {
    let n = crate::db_exec!(tx, c => sqlx::query(
        "UPDATE outbox SET status = 'queued', next_attempt_at = $1, attempts = 0 WHERE id = $2 AND status = 'failed'")
        .bind(now).bind(id).execute(c).await)?;
    Ok(n == 1)
}

pub async fn list(
    db: &Db,
    status: Option<&str>,
    limit: i64,
    offset: i64,
) -> sqlx::Result<(Vec<OutboxRow>, i64)> {
    let sql = format!(
        "SELECT {COLUMNS} FROM outbox WHERE ($1 IS NULL OR status = $1) ORDER BY id DESC LIMIT $2 OFFSET $3"
    );
    let items = on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
        .bind(status).bind(limit).bind(offset).fetch_all(c).await)?;
    let total = on_db!(db, c => sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE ($1 IS NULL OR status = $1)")
        .bind(status).fetch_one(c).await)?;
    Ok((items, total))
}

pub async fn find(db: &Db, id: i64) -> sqlx::Result<Option<OutboxRow>> {
    let sql = format!("SELECT {COLUMNS} FROM outbox WHERE id = $1");
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(id).fetch_optional(c).await)
}

/// Messages waiting to go out (queued or being sent), for /metrics.
pub async fn backlog(db: &Db) -> sqlx::Result<(i64, i64)> {
    let waiting: i64 = on_db!(db, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE status IN ('queued', 'sending')").fetch_one(c).await)?;
    let failed: i64 = on_db!(db, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE status = 'failed'").fetch_one(c).await)?;
    Ok((waiting, failed))
}
