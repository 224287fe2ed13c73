//! SQL of the outbox. Status moves queued → sending → sent, or → failed; a failed message is
//! queued again only by an admin. A message in `sending` whose lease ran out (its instance was
//! killed mid-delivery) is queued again under the same Message-ID, so a receiving server or
//! mail client can recognise the second copy of the few messages that were in flight.

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
    pub status: super::Status,
    pub attempts: i64,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub sent_at: Option<DateTime<Utc>>,
    /// A body shared with other messages (`outbox_bodies`); `body_text` is empty then.
    pub body_id: Option<i64>,
    /// `[placeholder, value]` pairs applied to the body and the headers at delivery: links
    /// with secrets in them, so the list is sealed (see [`seal_fills`]) and never shown.
    #[serde(skip)]
    pub fills: Option<String>,
    /// JSON list of `[name, value]` extra headers.
    pub headers: Option<String>,
}

impl OutboxRow {
    /// The fills, opened. Rows written before fills were sealed hold plain JSON.
    pub fn fill_pairs(&self) -> Result<Vec<(String, String)>, crate::secrets::SecretError> {
        match self.fills.as_deref() {
            Some(sealed) if crate::secrets::is_sealed(sealed) => {
                let json =
                    crate::secrets::keyring().open_str(sealed, &fills_context(&self.message_id))?;
                Ok(json_pairs(Some(&json)))
            }
            plain => Ok(json_pairs(plain)),
        }
    }

    pub fn header_pairs(&self) -> Vec<(String, String)> {
        json_pairs(self.headers.as_deref())
    }
}

fn json_pairs(json: Option<&str>) -> Vec<(String, String)> {
    json.and_then(|j| serde_json::from_str(j).ok())
        .unwrap_or_default()
}

fn fills_context(message_id: &str) -> String {
    format!("outbox-fills:{message_id}")
}

/// Fills as they are stored: sealed JSON, bound to the message; `None` when there are none.
fn seal_fills(fills: &[(String, String)], message_id: &str) -> Option<String> {
    if fills.is_empty() {
        return None;
    }
    let json = serde_json::to_string(fills).unwrap_or_default();
    Some(crate::secrets::keyring().seal_str(&json, &fills_context(message_id)))
}

/// Re-seals under the current key the fills of messages not yet sent (and seals plain ones
/// from before sealing); returns how many. A row no key opens is left for the worker, which
/// reports it on the message.
pub async fn reseal_secrets(db: &Db) -> anyhow::Result<u64> {
    let ring = crate::secrets::keyring();
    let rows: Vec<(i64, String, String)> = on_db!(db, c => sqlx::query_as(
        "SELECT id, message_id, fills FROM outbox WHERE fills IS NOT NULL AND status <> 'sent'")
        .fetch_all(c).await)?;
    // Re-sealing at start-up or in `hromada secrets rotate`, not a use case: no actor, no
    // audit entry, so a plain transaction.
    let mut tx = db.begin().await?;
    let mut n = 0;
    for (id, message_id, fills) in rows {
        let context = fills_context(&message_id);
        let plain = if crate::secrets::is_sealed(&fills) {
            if !ring.is_stale(&fills) {
                continue;
            }
            match ring.open_str(&fills, &context) {
                Ok(plain) => plain,
                Err(e) => {
                    tracing::warn!(id, error = %e, "an outbox message's links cannot be opened");
                    continue;
                }
            }
        } else {
            fills.clone()
        };
        let sealed = ring.seal_str(&plain, &context);
        // Only if nobody changed the row meanwhile (the worker drops fills once sent).
        n += crate::db_exec!(&mut tx, c => sqlx::query(
            "UPDATE outbox SET fills = $1 WHERE id = $2 AND fills = $3")
            .bind(sealed).bind(id).bind(&fills).execute(c).await)?;
    }
    tx.commit().await?;
    Ok(n)
}

/// Replaces every placeholder in `text` by its value.
pub fn apply_fills(text: &str, fills: &[(String, String)]) -> String {
    fills
        .iter()
        .fold(text.to_string(), |t, (k, v)| t.replace(k.as_str(), v))
}

const COLUMNS: &str = "id, created_at, message_id, to_addr, subject, body_text, body_html, lang, kind, status, \
     attempts, next_attempt_at, last_error, sent_at, body_id, fills, headers";

fn new_message_id(domain: &str) -> String {
    format!("<{}@{domain}>", crate::secrets::new_secret("m."))
}

/// Queues a message inside the caller's transaction. The Message-ID is fixed now, so a
/// receiving server can tell a repeated delivery from a new message.
pub async fn enqueue(
    tx: &mut Tx,
    msg: &Outgoing,
    domain: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<i64> {
    let message_id = new_message_id(domain);
    let fills = seal_fills(&msg.fills, &message_id);
    on_db!(tx, c => sqlx::query_scalar(
        "INSERT INTO outbox (created_at, message_id, to_addr, subject, body_text, body_html, lang, kind, status, \
         next_attempt_at, fills) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'queued', $1, $9) RETURNING id")
        .bind(now).bind(&message_id).bind(&msg.to).bind(&msg.subject).bind(&msg.text).bind(&msg.html)
        .bind(msg.lang.code()).bind(msg.kind).bind(fills).fetch_one(c).await)
}

/// Whether a message of `kind` to `to` was queued since `since` (sent or not): for notices
/// that anyone can trigger, which an address then gets at most once in a while.
pub async fn queued_since(
    tx: &mut Tx,
    to: &str,
    kind: &str,
    since: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let n: i64 = on_db!(tx, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE to_addr = $1 AND kind = $2 AND created_at > $3")
        .bind(to).bind(kind).bind(since).fetch_one(c).await)?;
    Ok(n > 0)
}

/// Stores a body that many messages share (see [`enqueue_bulk`]).
pub async fn insert_body(
    tx: &mut Tx,
    text: &str,
    html: Option<&str>,
    now: DateTime<Utc>,
) -> sqlx::Result<i64> {
    on_db!(tx, c => sqlx::query_scalar(
        "INSERT INTO outbox_bodies (created_at, body_text, body_html) VALUES ($1, $2, $3) RETURNING id")
        .bind(now).bind(text).bind(html).fetch_one(c).await)
}

/// One message of a bulk sending: a shared body, this recipient's fills and extra headers.
pub struct Bulk<'a> {
    pub to: &'a str,
    pub subject: &'a str,
    pub lang: crate::i18n::Lang,
    pub kind: &'static str,
    pub body_id: i64,
    pub fills: &'a [(String, String)],
    pub headers: &'a [(String, String)],
}

pub async fn enqueue_bulk(
    tx: &mut Tx,
    msg: &Bulk<'_>,
    domain: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<i64> {
    let message_id = new_message_id(domain);
    let fills = seal_fills(msg.fills, &message_id);
    let headers = serde_json::to_string(msg.headers).unwrap_or_default();
    on_db!(tx, c => sqlx::query_scalar(
        "INSERT INTO outbox (created_at, message_id, to_addr, subject, body_text, lang, kind, status, \
         next_attempt_at, body_id, fills, headers) \
         VALUES ($1, $2, $3, $4, '', $5, $6, 'queued', $1, $7, $8, $9) RETURNING id")
        .bind(now).bind(&message_id).bind(msg.to).bind(msg.subject).bind(msg.lang.code())
        .bind(msg.kind).bind(msg.body_id).bind(fills).bind(headers).fetch_one(c).await)
}

/// A shared body: text and HTML.
pub async fn body(db: &Db, id: i64) -> sqlx::Result<Option<(String, Option<String>)>> {
    on_db!(db, c => sqlx::query_as("SELECT body_text, body_html FROM outbox_bodies WHERE id = $1")
        .bind(id).fetch_optional(c).await)
}

/// Claims the oldest due message for `lease`, for the instance `owner`. Two workers (on two
/// instances) never claim the same row: the UPDATE re-checks the status, and PostgreSQL skips
/// rows another worker holds.
pub async fn claim_next(
    db: &Db,
    now: DateTime<Utc>,
    lease: Duration,
    owner: &str,
) -> sqlx::Result<Option<OutboxRow>> {
    let sql = match db.kind() {
        DbKind::Sqlite => format!(
            "UPDATE outbox SET status = 'sending', lease_expires_at = $2, lease_owner = $3, attempts = attempts + 1 \
             WHERE id = (SELECT id FROM outbox WHERE status = 'queued' AND next_attempt_at <= $1 \
                         ORDER BY next_attempt_at, id LIMIT 1) AND status = 'queued' RETURNING {COLUMNS}"
        ),
        DbKind::Postgres => format!(
            "UPDATE outbox SET status = 'sending', lease_expires_at = $2, lease_owner = $3, attempts = attempts + 1 \
             WHERE id = (SELECT id FROM outbox WHERE status = 'queued' AND next_attempt_at <= $1 \
                         ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) \
             AND status = 'queued' RETURNING {COLUMNS}"
        ),
    };
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(now).bind(now + lease).bind(owner)
        .fetch_optional(c).await)
}

pub async fn mark_sent(db: &Db, id: i64, now: DateTime<Utc>) -> sqlx::Result<()> {
    crate::db_exec!(db, c => sqlx::query(
        "UPDATE outbox SET status = 'sent', sent_at = $1, lease_expires_at = NULL, lease_owner = NULL, \
         last_error = NULL, fills = NULL WHERE id = $2")
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
        super::Status::Queued
    } else {
        super::Status::Failed
    };
    crate::db_exec!(db, c => sqlx::query(
        "UPDATE outbox SET status = $1, next_attempt_at = COALESCE($2, next_attempt_at), lease_expires_at = NULL, \
         lease_owner = NULL, last_error = $3 WHERE id = $4")
        .bind(status).bind(retry_at).bind(error).bind(id).execute(c).await)?;
    Ok(())
}

/// Messages left in `sending` by an instance that died mid-delivery (their lease ran out) may
/// or may not have reached the server. Every recipient must get their message, so they are
/// queued again under the same Message-ID, unless they are out of attempts.
pub async fn requeue_abandoned(
    db: &Db,
    now: DateTime<Utc>,
    max_attempts: i64,
) -> sqlx::Result<u64> {
    crate::db_exec!(db, c => sqlx::query(
        "UPDATE outbox SET status = CASE WHEN attempts >= $2 THEN 'failed' ELSE 'queued' END, \
         next_attempt_at = $1, lease_expires_at = NULL, lease_owner = NULL, \
         last_error = 'delivery was interrupted; sent again with the same Message-ID' \
         WHERE status = 'sending' AND lease_expires_at < $1")
        .bind(now).bind(max_attempts).execute(c).await)
}

/// Keeps this instance's messages in `sending` reserved while it works on them.
pub async fn renew_leases(db: &Db, owner: &str, until: DateTime<Utc>) -> sqlx::Result<u64> {
    crate::db_exec!(db, c => sqlx::query(
        "UPDATE outbox SET lease_expires_at = $1 WHERE lease_owner = $2 AND status = 'sending'")
        .bind(until).bind(owner).execute(c).await)
}

/// An admin queues a failed message again.
pub async fn requeue(tx: &mut Tx, id: i64, now: DateTime<Utc>) -> sqlx::Result<bool> {
    let n = crate::db_exec!(tx, c => sqlx::query(
        "UPDATE outbox SET status = 'queued', next_attempt_at = $1, attempts = 0 WHERE id = $2 AND status = 'failed'")
        .bind(now).bind(id).execute(c).await)?;
    Ok(n == 1)
}

/// Queues again every failed message of the given ids (a digest's failed recipients).
pub async fn requeue_failed(tx: &mut Tx, ids: &[i64], now: DateTime<Utc>) -> sqlx::Result<u64> {
    let mut n = 0;
    for id in ids {
        n += u64::from(requeue(tx, *id, now).await?);
    }
    Ok(n)
}

pub async fn list(
    db: &Db,
    status: Option<super::Status>,
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
