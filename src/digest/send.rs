//! Sending a published digest to its subscribers.
//!
//! An editor starts a sending ([`start`]); that queues a job and returns at once. The job
//! ([`queue_mail`]) walks the confirmed subscribers in batches and, for each who wants this
//! digest, reserves a delivery row and queues the message in the outbox in the same
//! transaction. The delivery row is unique per digest and subscriber: a job resumed after a
//! restart, or a later sending for new subscribers, skips everyone who already has theirs. The
//! mail worker delivers; [`progress`] reads the state from the deliveries' outbox rows.
//!
//! Each variant of the mail (language × chosen sectors) is rendered once and stored as a
//! shared body. The subscriber's secret is left as a placeholder in it and filled in per
//! message, for the preferences and unsubscribe links and the `List-Unsubscribe` header.

use crate::jobs::Status as JobStatus;
use crate::mail::Status as MailStatus;
use std::collections::HashMap;

use anyhow::Context;
use chrono::{DateTime, Utc};
use serde_json::json;

use super::repo::{self, DigestRow, TroubleRow};
use super::view::View;
use crate::clock::now;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::mail::repo::Bulk;
use crate::state::AppState;
use crate::work::Actor;
use crate::work::Work;

/// The job kind that queues a digest's mail.
pub const JOB: &str = "digest-send";
/// Subscribers queued per transaction.
const BATCH: i64 = 500;

/// Starts a sending of a published digest, or a further one for subscribers who have not had
/// it yet. Does nothing while a sending of this digest is still being prepared.
pub async fn start(state: &AppState, d: &DigestRow, actor: &Actor) -> AppResult<()> {
    if d.state != super::State::Published {
        return Err(AppError::Conflict("digest-error-send-draft"));
    }
    if let Some(job) = repo::send_of(&state.db, d.id).await?.and_then(|s| s.job_id)
        && let Some(job) = crate::jobs::repo::find(&state.db, job).await?
        && job.status.is_busy()
    {
        return Ok(());
    }
    let mut work = Work::begin(&state.db, actor.clone()).await?;
    let now = work.now;
    let job = crate::jobs::enqueue(&mut work.tx, JOB, &json!({ "digest": d.id }), now).await?;
    repo::start_send(&mut work.tx, d.id, job, actor.user_id, now).await?;
    let detail = json!({ "ends_on": d.ends_on.to_string(), "job": job });
    work.audit("send", "digest", d.id, detail).await?;
    work.wake(&state.jobs_wakeup);
    work.commit().await?;
    Ok(())
}

fn manage_url(state: &AppState, lang: Lang, secret: &str) -> String {
    state.link(&format!("/{}/digest/subscription/{secret}", lang.code()))
}

fn unsubscribe_url(state: &AppState, secret: &str) -> String {
    state.link(&format!("/unsubscribe/{secret}"))
}

/// The job: queues the digest for every confirmed subscriber who wants it and has not had it.
pub async fn queue_mail(state: &AppState, payload: &serde_json::Value) -> anyhow::Result<()> {
    let id = payload["digest"]
        .as_i64()
        .context("the job names no digest")?;
    let d = repo::digest(&state.db, id)
        .await?
        .context("the digest is gone")?;
    anyhow::ensure!(
        d.state == super::State::Published,
        "the digest is not published"
    );
    let items: Vec<i64> = repo::entries(&state.db, d.id)
        .await?
        .iter()
        .map(|e| e.item_id)
        .collect();
    let mut item_sectors: HashMap<i64, Vec<String>> = HashMap::new();
    for (item, sector) in crate::news::repo::item_sectors(&state.db, &items).await? {
        item_sectors.entry(item).or_default().push(sector);
    }
    let mut full = HashMap::new();
    for lang in [Lang::Uk, Lang::En] {
        let v = super::view::view(state, &d, lang)
            .await
            .map_err(|e| anyhow::anyhow!("cannot lay out the digest: {e:?}"))?;
        full.insert(lang, v);
    }
    // The placeholder for each subscriber's secret: random, so no text in the digest can
    // contain it.
    let placeholder = crate::mail::hidden_link_placeholder();
    let headers = vec![
        (
            "List-Unsubscribe".to_string(),
            format!("<{}>", unsubscribe_url(state, &placeholder)),
        ),
        (
            "List-Unsubscribe-Post".to_string(),
            "List-Unsubscribe=One-Click".to_string(),
        ),
    ];
    let mut variants: HashMap<(Lang, String), Option<View>> = HashMap::new();
    let mut bodies: HashMap<(Lang, String), (i64, String)> = HashMap::new();
    let mut after = 0;
    let mut total = 0;
    loop {
        let batch = repo::confirmed_after(&state.db, after, BATCH).await?;
        let Some(last) = batch.last() else { break };
        after = last.id;
        // A batch of the job's own: no audit entry (starting the sending had one).
        let mut work = Work::begin(&state.db, Actor::system("digest sending")).await?;
        let now = work.now;
        let mut queued = 0;
        for s in &batch {
            let lang = Lang::parse(&s.lang).unwrap_or(Lang::Uk);
            let key = (lang, s.sectors.clone());
            let variant = variants
                .entry(key.clone())
                .or_insert_with(|| variant(&full[&lang], &s.sectors, &item_sectors));
            let Some(v) = variant else { continue };
            let Some(delivery) = repo::claim_delivery(&mut work.tx, d.id, s.id, now).await? else {
                continue;
            };
            if !bodies.contains_key(&key) {
                let m = super::mail::render(
                    v,
                    lang,
                    &manage_url(state, lang, &placeholder),
                    &unsubscribe_url(state, &placeholder),
                );
                let body =
                    crate::mail::repo::insert_body(&mut work.tx, &m.text, Some(&m.html), now)
                        .await?;
                bodies.insert(key.clone(), (body, m.subject));
            }
            let (body, subject) = &bodies[&key];
            let fills = [(placeholder.clone(), s.manage_secret()?)];
            let msg = Bulk {
                to: &s.email,
                subject,
                lang,
                kind: "digest",
                body_id: *body,
                fills: &fills,
                headers: &headers,
            };
            let outbox =
                crate::mail::repo::enqueue_bulk(&mut work.tx, &msg, &state.mail_domain(), now)
                    .await?;
            repo::set_delivery_mail(&mut work.tx, delivery, outbox).await?;
            work.wake(&state.mail_wakeup);
            queued += 1;
        }
        work.commit().await?;
        total += queued;
    }
    repo::send_queued(&state.db, d.id, now()).await?;
    tracing::info!(
        digest = d.id,
        queued = total,
        "digest queued for its subscribers"
    );
    Ok(())
}

/// The digest as a subscriber who chose `sectors` (comma-separated, empty for all) gets it:
/// only entries in those sectors; None when nothing is left.
fn variant(full: &View, sectors: &str, item_sectors: &HashMap<i64, Vec<String>>) -> Option<View> {
    let chosen: Vec<&str> = sectors.split(',').filter(|s| !s.is_empty()).collect();
    let v = if chosen.is_empty() {
        full.clone()
    } else {
        full.only(|item| {
            item_sectors
                .get(&item)
                .is_some_and(|ss| ss.iter().any(|s| chosen.contains(&s.as_str())))
        })
    };
    (!v.is_empty()).then_some(v)
}

crate::text_enum! {
    /// Where a digest's sending stands, as a whole.
    pub enum SendState {
        NotSent = "not-sent",
        /// Recipients being queued.
        Preparing = "preparing",
        Sending = "sending",
        Done = "done",
        /// The preparation failed, or some recipients could not be reached.
        Failed = "failed",
    }
}

/// Where a digest's sending stands.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Progress {
    /// `not-sent`, `preparing` (recipients being queued), `sending`, `done` or `failed` (the
    /// preparation failed, or some recipients could not be reached).
    pub state: SendState,
    pub started_at: Option<DateTime<Utc>>,
    /// Subscribers queued so far.
    pub recipients: i64,
    pub sent: i64,
    /// Queued or being delivered, including those waiting to retry after a failed attempt.
    pub waiting: i64,
    /// Failed for good (an editor may retry them).
    pub failed: i64,
    /// Why the preparation failed, if it did.
    pub error: Option<String>,
    /// Recipients whose delivery failed or is being retried, with the server's answer.
    pub troubles: Vec<TroubleRow>,
}

pub async fn progress(state: &AppState, digest: i64) -> AppResult<Progress> {
    let Some(send) = repo::send_of(&state.db, digest).await? else {
        return Ok(Progress {
            state: SendState::NotSent,
            started_at: None,
            recipients: 0,
            sent: 0,
            waiting: 0,
            failed: 0,
            error: None,
            troubles: Vec::new(),
        });
    };
    let job = match send.job_id {
        Some(id) => crate::jobs::repo::find(&state.db, id).await?,
        None => None,
    };
    let (mut sent, mut waiting, mut failed) = (0, 0, 0);
    for (status, n) in repo::delivery_counts(&state.db, digest).await? {
        match status {
            MailStatus::Sent => sent += n,
            MailStatus::Failed => failed += n,
            MailStatus::Queued | MailStatus::Sending => waiting += n,
        }
    }
    let job_status = job.as_ref().map_or(JobStatus::Done, |j| j.status);
    let state_name = match job_status {
        JobStatus::Queued | JobStatus::Running => SendState::Preparing,
        // A job out of attempts is quarantined until an admin runs it again.
        JobStatus::Quarantined | JobStatus::Failed => SendState::Failed,
        _ if waiting > 0 => SendState::Sending,
        _ if failed > 0 => SendState::Failed,
        _ => SendState::Done,
    };
    Ok(Progress {
        state: state_name,
        started_at: Some(send.started_at),
        recipients: sent + waiting + failed,
        sent,
        waiting,
        failed,
        error: job
            .filter(|j| j.status.is_stopped())
            .and_then(|j| j.last_error),
        troubles: repo::delivery_troubles(&state.db, digest, 200).await?,
    })
}

/// Queues again the digest's messages that failed for good; returns how many.
pub async fn retry_failed(state: &AppState, digest: i64, actor: &Actor) -> AppResult<u64> {
    let ids = repo::failed_mail(&state.db, digest).await?;
    let mut work = Work::begin(&state.db, actor.clone()).await?;
    let n = crate::mail::repo::requeue_failed(&mut work.tx, &ids, work.now).await?;
    work.audit("retry-sending", "digest", digest, json!({ "messages": n }))
        .await?;
    work.wake(&state.mail_wakeup);
    work.commit().await?;
    Ok(n)
}
