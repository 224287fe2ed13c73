//! Reminders to the officials of communities that still owe a report, through the outbox: one
//! in the three days before the deadline, one after it, and one whenever staff ask (at most
//! one a day). Each is recorded with the mail in one transaction, so a pass that runs twice
//! (two instances, a retried job) sends nothing twice.
//!
//! The automatic pass is the job [`JOB`] with an empty payload; it queues its own next run an
//! hour later. Staff ask for one campaign with `{"campaign": id}`.

use chrono::{Duration, NaiveDate};
use serde_json::json;

use super::ReportStatus;
use super::repo::{self, CampaignRow};
use crate::auth::{Actor, now};
use crate::i18n::{Arg, Lang};
use crate::web::AppState;

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

/// Queues the automatic pass unless one waits already (at start-up of every instance).
pub async fn ensure_scheduled(state: &AppState) -> anyhow::Result<()> {
    if crate::jobs::repo::pending(&state.db, JOB).await? {
        return Ok(());
    }
    let mut tx = state.db.begin().await?;
    crate::jobs::enqueue(&mut tx, JOB, &json!({}), now() + Duration::minutes(1)).await?;
    tx.commit().await?;
    Ok(())
}

/// Runs a reminder job: the automatic pass (and queues the next), or staff's request.
pub async fn run(state: &AppState, payload: &serde_json::Value) -> anyhow::Result<()> {
    let today = crate::members::actions::today();
    match payload.get("campaign").and_then(serde_json::Value::as_i64) {
        Some(id) => {
            if let Some(c) = repo::campaign(&state.db, id).await? {
                remind(state, &c, &format!("now-{today}")).await?;
            }
        }
        None => {
            for c in repo::campaigns(&state.db).await? {
                if c.closed_at.is_some() {
                    continue;
                }
                if let Some(kind) = due(c.deadline_on, today) {
                    remind(state, &c, kind).await?;
                }
            }
            let mut tx = state.db.begin().await?;
            crate::jobs::enqueue(&mut tx, JOB, &json!({}), now() + Duration::hours(1)).await?;
            tx.commit().await?;
        }
    }
    Ok(())
}

/// Sends reminder `kind` of a campaign to the officials of every community that owes its
/// report and has not had this reminder. Returns the messages queued.
pub async fn remind(state: &AppState, c: &CampaignRow, kind: &str) -> anyhow::Result<usize> {
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
        if !ReportStatus::parse(&report.status).owes() {
            continue;
        }
        let officials = repo::officials(&state.db, &report.unit_code).await?;
        if officials.is_empty() {
            continue;
        }
        let now = now();
        let mut tx = state.db.begin().await?;
        if !repo::record_reminder(
            &mut tx,
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
            if report.status == ReportStatus::Returned.code() {
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
            crate::mail::repo::enqueue(&mut tx, &msg, &state.mail_domain(), now).await?;
            queued += 1;
        }
        crate::audit::repo::record(
            &mut tx,
            &actor,
            "remind",
            "stat_report",
            &format!("{}/{}", c.id, report.unit_code),
            json!({ "kind": kind, "recipients": officials.len() }),
            now,
        )
        .await?;
        tx.commit().await?;
    }
    if queued > 0 {
        state.mail_wakeup.notify_one();
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
