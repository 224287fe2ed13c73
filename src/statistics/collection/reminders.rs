//! Reminders to the officials of communities that still owe a report, through the outbox: one
//! in the three days before the deadline, one after it, and one whenever staff ask (at most
//! one a day). Each is recorded with the mail in one transaction, so a pass that runs twice
//! (two instances, a retried job) sends nothing twice.
//!
//! The automatic pass is the job [`JOB`] with an empty payload; it queues its own next run an
//! hour later. Staff ask for one campaign with `{"campaign": id}`, and a coordinator's request
//! names the communities it may reach, `{"campaign": id, "units": [code, …]}` (those in the
//! oblasts of their offices), so it never mails another office's officials.

use chrono::{Duration, NaiveDate};
use serde_json::json;

use super::ReportStatus;
use super::repo::{self, CampaignRow};
use crate::clock::now;
use crate::i18n::{Arg, Lang};
use crate::state::AppState;
use crate::work::Actor;
use crate::work::Work;

pub const JOB: &str = "stat-reminders";
/// Days before the deadline when the first reminder goes.
pub const DAYS_BEFORE: i64 = 3;

/// Which reminder a campaign is due on `today`, if any.
pub fn due(deadline: NaiveDate, today: NaiveDate) -> Option<&'static str> {
    if today > deadline {
        Some("after")
    } else if deadline - today <= Duration::days(DAYS_BEFORE) {
        Some("before")
    } else {
        None
    }
}

/// The payload of the automatic pass; staff's requests name a campaign.
const PASS: &str = "{}";

/// Queues the automatic pass at `at` unless one is queued already, or, with `or_running`,
/// runs; returns whether it queued one. Staff's requests (same kind, a campaign in the
/// payload) and quarantined passes do not count: a quarantined pass stays listed for admins
/// but must not keep the hourly chain from going on. The check and the insert are one
/// statement, and on PostgreSQL a transaction lock also serializes two instances doing this
/// at once (SQLite has one writer anyway), so two chains never start side by side.
async fn schedule(
    state: &AppState,
    at: chrono::DateTime<chrono::Utc>,
    or_running: bool,
) -> anyhow::Result<bool> {
    let busy = if or_running {
        "('queued', 'running')"
    } else {
        "('queued')"
    };
    let sql = format!(
        "INSERT INTO jobs (kind, payload, status, next_attempt_at, created_at) \
         SELECT $1, $2, 'queued', $3, $4 WHERE NOT EXISTS \
         (SELECT 1 FROM jobs WHERE kind = $1 AND payload = $2 AND status IN {busy})"
    );
    // Not a use case but the job queue's own bookkeeping (no actor, no audit entry): a plain
    // transaction, held only for the advisory lock below.
    let mut tx = state.db.begin().await?;
    if let crate::db::Exec::Pg(c) = crate::db::Executor::exec(&mut tx) {
        // Any fixed key works: only this function takes it.
        sqlx::query("SELECT pg_advisory_xact_lock(7262616016)")
            .execute(c)
            .await?;
    }
    let added = crate::db_exec!(&mut tx, c => sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
        .bind(JOB).bind(PASS).bind(at).bind(now()).execute(c).await)?;
    tx.commit().await?;
    if added > 0 {
        state.jobs_wakeup.notify_one();
    }
    Ok(added > 0)
}

/// Queues the automatic pass unless one is queued or running already (at start-up of every
/// instance). A quarantined one does not count: it stays for admins to see.
pub async fn ensure_scheduled(state: &AppState) -> anyhow::Result<()> {
    schedule(state, now() + Duration::minutes(1), true).await?;
    Ok(())
}

/// Runs a reminder job: the automatic pass (and queues the next), or staff's request.
pub async fn run(state: &AppState, payload: &serde_json::Value) -> anyhow::Result<()> {
    let today = crate::clock::today();
    match payload.get("campaign").and_then(serde_json::Value::as_i64) {
        Some(id) => {
            // A request without a list (an admin's) reaches every community that owes.
            let only: Option<Vec<String>> = payload.get("units").map(|units| {
                units
                    .as_array()
                    .map(|list| {
                        list.iter()
                            .filter_map(|u| u.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default()
            });
            if let Some(c) = repo::campaign(&state.db, id).await? {
                remind(state, &c, &format!("now-{today}"), only.as_deref()).await?;
            }
        }
        None => {
            // The next pass is queued first, so a pass that fails (and at last is quarantined)
            // does not end the hourly chain. Not if another pass waits already: a pass an
            // admin retried while the chain went on, or a retry of this one, starts no second
            // chain (this one is `running`, so it does not count itself).
            schedule(state, now() + Duration::hours(1), false).await?;
            for c in repo::campaigns(&state.db).await? {
                if c.closed_at.is_some() {
                    continue;
                }
                if let Some(kind) = due(c.deadline_on, today) {
                    remind(state, &c, kind, None).await?;
                }
            }
        }
    }
    Ok(())
}

/// Sends reminder `kind` of a campaign to the officials of every community that owes its
/// report and has not had this reminder; with `only`, of those communities alone. Returns the
/// messages queued.
pub async fn remind(
    state: &AppState,
    c: &CampaignRow,
    kind: &str,
    only: Option<&[String]>,
) -> anyhow::Result<usize> {
    let actor = Actor::system("reminders");
    let mut queued = 0;
    let mail_kind: &'static str = if kind == "before" {
        "stat-reminder-before"
    } else if kind == "after" {
        "stat-reminder-after"
    } else {
        "stat-reminder-now"
    };
    for report in repo::campaign_units(&state.db, c.id).await? {
        if !report.status.owes() {
            continue;
        }
        if only.is_some_and(|units| !units.contains(&report.unit_code)) {
            continue;
        }
        let officials = repo::officials(&state.db, &report.unit_code).await?;
        if officials.is_empty() {
            continue;
        }
        let mut work = Work::begin(&state.db, actor.clone()).await?;
        let now = work.now;
        if !repo::record_reminder(
            &mut work.tx,
            (c.id, &report.unit_code, kind),
            officials.len() as i64,
            now,
        )
        .await?
        {
            continue;
        }
        for (email, name, lang) in &officials {
            let lang = Lang::parse(lang).unwrap_or(Lang::Uk);
            let link = format!(
                "{}{}",
                state.settings.base_url.trim_end_matches('/'),
                super::pages::report_href(lang, c.id, &report.unit_code)
            );
            let deadline = c.deadline_on.format("%d.%m.%Y").to_string();
            let mut paragraphs = vec![lang.t_args(
                &format!("mail-{mail_kind}-body"),
                &[
                    ("dataset", Arg::Str(c.name(lang))),
                    ("period", Arg::Str(&c.period)),
                    ("deadline", Arg::Str(&deadline)),
                ],
            )];
            if report.status == ReportStatus::Returned {
                paragraphs.push(lang.t("mail-stat-reminder-returned"));
            }
            let action = lang.t("mail-stat-reminder-action");
            let msg = crate::mail::letter(
                lang,
                email,
                name,
                mail_kind,
                &paragraphs,
                Some((&action, &link)),
            );
            crate::mail::repo::enqueue(&mut work.tx, &msg, &state.mail_domain(), now).await?;
            queued += 1;
        }
        work.wake(&state.mail_wakeup);
        work.audit(
            "remind",
            "stat_report",
            format!("{}/{}", c.id, report.unit_code),
            json!({ "kind": kind, "recipients": officials.len() }),
        )
        .await?;
        work.commit().await?;
    }
    Ok(queued)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reminders_fall_in_the_last_three_days_and_after() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 10).expect("date");
        let day = |n: u32| NaiveDate::from_ymd_opt(2026, 12, n).expect("date");
        assert_eq!(due(d, day(1)), None);
        assert_eq!(due(d, day(6)), None);
        assert_eq!(due(d, day(7)), Some("before"));
        assert_eq!(due(d, day(10)), Some("before"));
        assert_eq!(due(d, day(11)), Some("after"));
    }
}
