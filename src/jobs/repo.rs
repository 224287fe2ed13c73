//! SQL of the jobs table. Status moves queued → running → done, or back to queued after a
//! failed attempt, or → failed when out of attempts.

use chrono::{DateTime, Duration, Utc};

use crate::db::{Db, DbKind, Tx};
use crate::on_db;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct JobRow {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str = "id, kind, payload, status, attempts, last_error, created_at, finished_at";

pub async fn insert(
    tx: &mut Tx,
    kind: &str,
    payload: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<i64> {
    on_db!(&mut *tx, c => sqlx::query_scalar(
        "INSERT INTO jobs (kind, payload, status, next_attempt_at, created_at) \
         VALUES ($1, $2, 'queued', $3, $3) RETURNING id")
        .bind(kind).bind(payload).bind(now).fetch_one(c).await)
}

/// Whether a job of `kind` waits to run.
pub async fn pending(db: &Db, kind: &str) -> sqlx::Result<bool> {
    let n: i64 = on_db!(db, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM jobs WHERE kind = $1 AND status IN ('queued', 'running')")
        .bind(kind).fetch_one(c).await)?;
    Ok(n > 0)
}

pub async fn find(db: &Db, id: i64) -> sqlx::Result<Option<JobRow>> {
    let sql = format!("SELECT {COLUMNS} FROM jobs WHERE id = $1");
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(c).await)
}

/// Claims the oldest due job for `owner`, as `mail::repo::claim_next` claims mail.
pub async fn claim_next(
    db: &Db,
    now: DateTime<Utc>,
    lease: Duration,
    owner: &str,
) -> sqlx::Result<Option<JobRow>> {
    let lock = match db.kind() {
        DbKind::Sqlite => "",
        DbKind::Postgres => " FOR UPDATE SKIP LOCKED",
    };
    let sql = format!(
        "UPDATE jobs SET status = 'running', lease_expires_at = $2, lease_owner = $3, attempts = attempts + 1 \
         WHERE id = (SELECT id FROM jobs WHERE status = 'queued' AND next_attempt_at <= $1 \
                     ORDER BY next_attempt_at, id LIMIT 1{lock}) AND status = 'queued' RETURNING {COLUMNS}"
    );
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(now).bind(now + lease).bind(owner)
        .fetch_optional(c).await)
}

pub async fn mark_done(db: &Db, id: i64, now: DateTime<Utc>) -> sqlx::Result<()> {
    crate::db_exec!(db, c => sqlx::query(
        "UPDATE jobs SET status = 'done', finished_at = $1, lease_owner = NULL, lease_expires_at = NULL, \
         last_error = NULL WHERE id = $2").bind(now).bind(id).execute(c).await)?;
    Ok(())
}

/// A failed attempt: queued again at `retry_at`, or failed for good.
pub async fn mark_failed(
    db: &Db,
    id: i64,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    let (status, finished) = match retry_at {
        Some(_) => ("queued", None),
        None => ("failed", Some(now)),
    };
    crate::db_exec!(db, c => sqlx::query(
        "UPDATE jobs SET status = $1, next_attempt_at = COALESCE($2, next_attempt_at), finished_at = $3, \
         lease_owner = NULL, lease_expires_at = NULL, last_error = $4 WHERE id = $5")
        .bind(status).bind(retry_at).bind(finished).bind(error).bind(id).execute(c).await)?;
    Ok(())
}

pub async fn renew_leases(db: &Db, owner: &str, until: DateTime<Utc>) -> sqlx::Result<u64> {
    crate::db_exec!(db, c => sqlx::query(
        "UPDATE jobs SET lease_expires_at = $1 WHERE lease_owner = $2 AND status = 'running'")
        .bind(until).bind(owner).execute(c).await)
}

/// Jobs whose instance died while running them go back to the queue (jobs are idempotent).
pub async fn requeue_abandoned(db: &Db, now: DateTime<Utc>) -> sqlx::Result<u64> {
    crate::db_exec!(db, c => sqlx::query(
        "UPDATE jobs SET status = 'queued', next_attempt_at = $1, lease_owner = NULL, lease_expires_at = NULL, \
         last_error = 'interrupted; run again' WHERE status = 'running' AND lease_expires_at < $1")
        .bind(now).execute(c).await)
}
