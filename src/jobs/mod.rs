//! Background jobs: work that must not hold up a page and must be finished even if the
//! instance restarts, such as queueing a digest for every subscriber. A job is a row (kind,
//! JSON payload); any instance may claim a due one with a lease that it renews while it works.
//! A job whose lease ran out (its instance was killed) is claimed again, so every kind must be
//! idempotent: running it twice does what running it once does.
//!
//! Each kind lives with its feature, which lists it as a [`JobKind`] beside its routes; the
//! composition root (`crate::app::jobs`) hands the list to the state, and [`run_job`] runs a
//! claimed job by its kind.
//!
//! Every claim counts an attempt, before the job runs. A job out of attempts, whether its runs
//! failed or killed their instance, is quarantined: never claimed again, listed for admins
//! (`/{lang}/admin/jobs`, `GET /api/v1/jobs`) with its last error, and queued again only by
//! an admin's [`retry`].

pub mod api;
pub mod pages;
pub mod repo;
pub mod routes;

crate::text_enum! {
    /// Where a job is: queued → running → done, or back to queued after a failed or
    /// interrupted attempt, or → quarantined when out of attempts.
    pub enum Status as "JobStatus" {
        Queued = "queued",
        Running = "running",
        Done = "done",
        /// Out of attempts: never claimed again until an admin retries it.
        Quarantined = "quarantined",
        /// The old name of `quarantined`, kept by older rows.
        Failed = "failed",
    }
}

impl Status {
    /// Still to run, or running.
    pub fn is_busy(self) -> bool {
        matches!(self, Status::Queued | Status::Running)
    }

    /// Out of attempts (either name): an admin may queue it again.
    pub fn is_stopped(self) -> bool {
        matches!(self, Status::Quarantined | Status::Failed)
    }
}

use std::sync::Arc;

use chrono::Duration;
use tokio::sync::{Notify, watch};

use crate::clock::now;
use crate::db::Tx;
use crate::state::AppState;
use crate::work::Work;

/// How long a claimed job stays reserved; renewed every [`crate::mail::worker::RENEW`].
const LEASE: i64 = 15;
/// Attempts (claims) before a job is quarantined.
pub const MAX_ATTEMPTS: i64 = 5;

/// Queues a job inside the caller's transaction; wake the runner after the commit.
pub async fn enqueue(
    tx: &mut Tx,
    kind: &str,
    payload: &serde_json::Value,
    at: chrono::DateTime<chrono::Utc>,
) -> sqlx::Result<i64> {
    repo::insert(tx, kind, &payload.to_string(), at).await
}

/// What runs a job: its state and its payload in, success or the error to record out.
pub type JobFn = for<'a> fn(
    &'a AppState,
    &'a serde_json::Value,
) -> futures_util::future::BoxFuture<'a, anyhow::Result<()>>;

/// A kind of job a feature runs in the background.
#[derive(Clone, Copy)]
pub struct JobKind {
    /// The `kind` column of its rows.
    pub kind: &'static str,
    pub run: JobFn,
}

/// The kinds of job this instance runs: the state's part, put in by the composition root
/// (`crate::app::state`).
#[derive(Default)]
pub struct Kinds(pub Vec<JobKind>);

async fn run_job(state: &AppState, job: &repo::JobRow) -> anyhow::Result<()> {
    let payload: serde_json::Value = serde_json::from_str(&job.payload)?;
    match state.part::<Kinds>().0.iter().find(|k| k.kind == job.kind) {
        Some(k) => (k.run)(state, &payload).await,
        None => anyhow::bail!("no such job kind: {}", job.kind),
    }
}

/// Claims and runs one due job. Returns whether there was one.
pub async fn run_one(state: &AppState) -> anyhow::Result<bool> {
    repo::requeue_abandoned(&state.db, now(), MAX_ATTEMPTS).await?;
    let lease = Duration::seconds(LEASE);
    let Some(job) =
        repo::claim_next(&state.db, now(), lease, &state.instance, MAX_ATTEMPTS).await?
    else {
        return Ok(false);
    };
    let outcome = run_job(state, &job).await;
    // A job may have changed what public pages show (an import): ask before the next answer.
    state.pages.touch();
    match outcome {
        Ok(()) => {
            repo::mark_done(&state.db, job.id, now()).await?;
            tracing::info!(id = job.id, kind = %job.kind, "job done");
        }
        Err(e) => {
            let retry = (job.attempts < MAX_ATTEMPTS)
                .then(|| now() + crate::mail::worker::backoff(job.attempts));
            tracing::warn!(id = job.id, kind = %job.kind, error = %e, retry = retry.is_some(), "job failed");
            if retry.is_none() {
                tracing::error!(id = job.id, kind = %job.kind, "job quarantined: out of attempts");
            }
            repo::mark_failed(&state.db, job.id, &format!("{e:#}"), retry, now()).await?;
        }
    }
    Ok(true)
}

/// Queues a quarantined job again with fresh attempts: one `Work` with its audit entry.
/// A job that is not quarantined is a conflict.
pub async fn retry(
    state: &AppState,
    actor: &crate::work::Actor,
    id: i64,
) -> crate::error::AppResult<repo::JobRow> {
    use crate::error::AppError;
    let mut work = Work::begin(&state.db, actor.clone()).await?;
    let now = work.now;
    if !repo::retry(&mut work.tx, id, now).await? {
        drop(work);
        return Err(match repo::find(&state.db, id).await? {
            Some(_) => AppError::Conflict("jobs-error-not-quarantined"),
            None => AppError::NotFound,
        });
    }
    work.audit(
        "retry",
        "job",
        id,
        serde_json::json!({ "status": "queued" }),
    )
    .await?;
    work.wake(&state.jobs_wakeup);
    work.commit().await?;
    repo::find(&state.db, id).await?.ok_or(AppError::NotFound)
}

/// Runs due jobs until none is left; returns how many ran.
pub async fn run_due(state: &AppState) -> anyhow::Result<usize> {
    let mut n = 0;
    while run_one(state).await? {
        n += 1;
    }
    Ok(n)
}

/// The instance's job runner: runs until `shutdown` turns true, finishing the job at hand.
pub async fn run(state: AppState, wakeup: Arc<Notify>, mut shutdown: watch::Receiver<bool>) {
    let keeper = tokio::spawn(keep_leases(state.clone(), shutdown.clone()));
    loop {
        if *shutdown.borrow() {
            break;
        }
        match run_one(&state).await {
            Ok(true) => continue,
            Ok(false) => {}
            Err(e) => tracing::warn!(error = %e, "jobs query failed"),
        }
        tokio::select! {
            _ = wakeup.notified() => {}
            _ = tokio::time::sleep(std::time::Duration::from_secs(5)) => {}
            _ = shutdown.changed() => {}
        }
    }
    let _ = keeper.await;
}

async fn keep_leases(state: AppState, mut shutdown: watch::Receiver<bool>) {
    loop {
        let until = now() + Duration::seconds(LEASE);
        if let Err(e) = repo::renew_leases(&state.db, &state.instance, until).await {
            tracing::warn!(error = %e, "cannot renew job leases");
        }
        tokio::select! {
            _ = tokio::time::sleep(crate::mail::worker::RENEW) => {}
            _ = shutdown.changed() => return,
        }
    }
}
