//! SQL of the jobs table. Status moves queued → running → done, or back to queued after a
//! failed or interrupted attempt, or → quarantined when out of attempts (never claimed again
//! until an admin retries it). `failed` is the old name of that end, kept by older rows.

use chrono::{DateTime, Duration, Utc};

use crate::db::{Db, DbKind, Tx};
use crate::on_db;

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize, utoipa::ToSchema)]
pub struct JobRow {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    /// queued, running, done, quarantined (out of attempts; `failed` on older rows).
    pub status: super::Status,
    /// Times the job was claimed, counted when claimed: a run that kills its worker counts.
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

/// Claims the oldest due job for `owner`, as `mail::repo::claim_next` claims mail. The attempt
/// is counted here, before the job runs, so a job that kills its worker uses up attempts
/// too; a job out of attempts is never claimed (see [`requeue_abandoned`]).
pub async fn claim_next(
    db: &Db,
    now: DateTime<Utc>,
    lease: Duration,
    owner: &str,
    max_attempts: i64,
) -> sqlx::Result<Option<JobRow>> {
    let lock = match db.kind() {
        DbKind::Sqlite => "",
        DbKind::Postgres => " FOR UPDATE SKIP LOCKED",
    };
    let sql = format!(
        "UPDATE jobs SET status = 'running', lease_expires_at = $2, lease_owner = $3, attempts = attempts + 1 \
         WHERE id = (SELECT id FROM jobs WHERE status = 'queued' AND next_attempt_at <= $1 AND attempts < $4 \
                     ORDER BY next_attempt_at, id LIMIT 1{lock}) AND status = 'queued' RETURNING {COLUMNS}"
    );
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(now).bind(now + lease).bind(owner)
        .bind(max_attempts).fetch_optional(c).await)
}

pub async fn mark_done(db: &Db, id: i64, now: DateTime<Utc>) -> sqlx::Result<()> {
    crate::db_exec!(db, c => sqlx::query(
        "UPDATE jobs SET status = 'done', finished_at = $1, lease_owner = NULL, lease_expires_at = NULL, \
         last_error = NULL WHERE id = $2").bind(now).bind(id).execute(c).await)?;
    Ok(())
}

/// A failed attempt: queued again at `retry_at`, or quarantined.
pub async fn mark_failed(
    db: &Db,
    id: i64,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    let (status, finished) = match retry_at {
        Some(_) => (super::Status::Queued, None),
        None => (super::Status::Quarantined, Some(now)),
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

/// Jobs whose instance died while running them go back to the queue (jobs are idempotent),
/// unless they are out of attempts: a job that kills its worker would otherwise be claimed
/// again at every start and kill each one. Those, and queued jobs out of attempts (the limit
/// was lowered), are quarantined.
pub async fn requeue_abandoned(
    db: &Db,
    now: DateTime<Utc>,
    max_attempts: i64,
) -> sqlx::Result<u64> {
    let quarantined = crate::db_exec!(db, c => sqlx::query(
        "UPDATE jobs SET status = 'quarantined', finished_at = $1, lease_owner = NULL, lease_expires_at = NULL, \
         last_error = CASE WHEN status = 'running' \
             THEN 'interrupted at every attempt: its instance stopped while running it' \
             ELSE last_error END \
         WHERE attempts >= $2 AND (status = 'queued' OR (status = 'running' AND lease_expires_at < $1))")
        .bind(now).bind(max_attempts).execute(c).await)?;
    if quarantined > 0 {
        tracing::warn!(jobs = quarantined, "jobs out of attempts were quarantined");
    }
    let requeued = crate::db_exec!(db, c => sqlx::query(
        "UPDATE jobs SET status = 'queued', next_attempt_at = $1, lease_owner = NULL, lease_expires_at = NULL, \
         last_error = 'interrupted; run again' WHERE status = 'running' AND lease_expires_at < $1")
        .bind(now).execute(c).await)?;
    Ok(quarantined + requeued)
}

/// Jobs, newest first, of one status or all.
pub async fn list(
    db: &Db,
    status: Option<super::Status>,
    limit: i64,
    offset: i64,
) -> sqlx::Result<(Vec<JobRow>, i64)> {
    let sql = format!(
        "SELECT {COLUMNS} FROM jobs WHERE ($1 IS NULL OR status = $1) ORDER BY id DESC LIMIT $2 OFFSET $3"
    );
    let items = on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
        .bind(status).bind(limit).bind(offset).fetch_all(c).await)?;
    let total = on_db!(db, c => sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE ($1 IS NULL OR status = $1)")
        .bind(status).fetch_one(c).await)?;
    Ok((items, total))
}

/// Queues a quarantined (or old failed) job again with fresh attempts, in the caller's
/// transaction with its audit entry. Returns whether it was such a job.
pub async fn retry(tx: &mut Tx, id: i64, now: DateTime<Utc>) -> sqlx::Result<bool> {
    let n = crate::db_exec!(tx, c => sqlx::query(
        "UPDATE jobs SET status = 'queued', attempts = 0, next_attempt_at = $1, finished_at = NULL \
         WHERE id = $2 AND status IN ('quarantined', 'failed')")
        .bind(now).bind(id).execute(c).await)?;
    Ok(n == 1)
}

/// The newest job of `kind` with exactly this payload (as [`crate::jobs::enqueue`] wrote it).
pub async fn find_by_payload(db: &Db, kind: &str, payload: &str) -> sqlx::Result<Option<JobRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM jobs WHERE kind = $1 AND payload = $2 ORDER BY id DESC LIMIT 1"
    );
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(kind).bind(payload)
        .fetch_optional(c).await)
}
