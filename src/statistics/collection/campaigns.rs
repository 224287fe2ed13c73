//! Campaigns: the shipped data sets and rules loaded where missing, starting a campaign for a
//! scope (an office's oblasts, a list, every member), asking for reminders, closing, locking
//! periods, and which campaigns and reports each account sees. Each change is one
//! transaction with its audit entry.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde_json::json;

use super::Scope;
use super::actions::may_review;
use super::repo::{self, CampaignRow, CampaignUnitRow};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::identity::{Principal, Role};
use crate::members::actions::Reach;
use crate::registry::snapshot::Snapshot;
use crate::state::AppState;
use crate::statistics::{Period, Periodicity};
use crate::work::Actor;
use crate::work::Work;

/// Loads the shipped rules and data sets, and the shipped change thresholds, where the
/// database has none yet (a database made before they existed gets them too).
pub async fn ensure_defaults(db: &Db, actor: &Actor) -> anyhow::Result<()> {
    if repo::count(db, "stat_indicators").await? == 0 {
        return Ok(());
    }
    let have_rules = repo::count(db, "stat_rules").await? > 0;
    let have_sets = repo::count(db, "stat_datasets").await? > 0;
    let ids = repo::indicator_ids(db).await?;
    let mut work = Work::begin(db, actor.clone()).await?;
    let now = work.now;
    for d in crate::statistics::shipped::indicators()? {
        repo::set_warn_change(&mut work.tx, &d.code, d.warn_change_pct).await?;
    }
    let mut loaded = json!({});
    if !have_rules {
        let shipped = crate::statistics::shipped::rules()?;
        for r in shipped
            .iter()
            .filter(|r| r.codes().all(|c| ids.contains_key(c)))
        {
            repo::insert_rule(&mut work.tx, r, now).await?;
        }
        loaded["rules"] = json!(shipped.len());
    }
    if !have_sets {
        let shipped = crate::statistics::shipped::datasets()?;
        for d in &shipped {
            if d.items.iter().all(|i| ids.contains_key(&i.indicator)) {
                repo::insert_dataset(&mut work.tx, d, &ids, now).await?;
            }
        }
        loaded["datasets"] = json!(shipped.len());
    }
    // Indicators' settings may have changed: caches of them start over.
    crate::statistics::analysis::repo::raise_revision(&mut work.tx, now).await?;
    if !have_rules || !have_sets {
        work.audit("load", "statistics", "collection", loaded)
            .await?;
    }
    work.commit().await?;
    Ok(())
}

/// What staff ask for when they start a campaign.
pub struct CampaignInput {
    pub dataset: String,
    pub period: String,
    pub scope: Scope,
    pub deadline: String,
    pub note: String,
}

pub(super) fn is_admin(p: &Principal) -> bool {
    p.has_role(Role::Admin)
}

/// Whether the community `unit` lies in one of the oblasts the office `office` covers.
pub(super) fn in_office_oblasts(
    snap: &Snapshot,
    office_oblasts: &[(String, i64)],
    office: i64,
    unit: &str,
) -> bool {
    snap.find(unit).is_some_and(|i| {
        let oblast = crate::members::oblast_of(snap, i);
        office_oblasts
            .iter()
            .any(|(c, id)| *id == office && c == oblast)
    })
}

/// Starts a campaign: checks the input (every problem named by its field), fixes the list of
/// communities it asks and their offices, and records it. Coordinators start campaigns for
/// their own office only.
pub async fn create_campaign(
    state: &AppState,
    principal: &Principal,
    ip: &str,
    input: CampaignInput,
) -> AppResult<i64> {
    let db = &state.db;
    let mut problems: Vec<(String, String)> = Vec::new();
    let mut bad = |field: &str, key: &str| problems.push((field.into(), key.into()));
    let dataset = repo::dataset_by_code(db, input.dataset.trim()).await?;
    if dataset.is_none() {
        bad("dataset", "stat-error-dataset");
    }
    let period = Period::parse(&input.period);
    match (&period, &dataset) {
        (Err(key), _) => bad("period", key),
        (Ok(p), Some(d)) if Some(p.periodicity()) != Periodicity::parse(&d.periodicity) => {
            bad("period", "stat-error-periodicity")
        }
        _ => {}
    }
    let deadline = NaiveDate::parse_from_str(input.deadline.trim(), "%Y-%m-%d").ok();
    match deadline {
        None => bad("deadline", "stat-error-deadline"),
        Some(d) if d < crate::clock::today() => bad("deadline", "stat-error-deadline-past"),
        Some(_) => {}
    }
    if input.note.chars().count() > 2_000 {
        bad("note", "stat-error-note-long");
    }
    let offices = repo::offices(db).await?;
    let snapshot = state
        .part::<crate::registry::snapshot::Cache>()
        .get(db)
        .await?;
    let mut office_id = None;
    let units: Vec<(String, Option<i64>)> = match &input.scope {
        Scope::Members => repo::current_members(db, None)
            .await?
            .into_iter()
            .map(|(u, o)| (u, Some(o)))
            .collect(),
        Scope::Office(slug) => match offices.iter().find(|o| &o.1 == slug) {
            Some(o) => {
                office_id = Some(o.0);
                // The members in the office's oblasts, whichever office they joined through:
                // one taken in from another oblast is not its to ask, and one whose oblast
                // moved to this office since is.
                let office_oblasts = crate::members::repo::office_oblasts(db).await?;
                let office = o.0;
                repo::current_members(db, None)
                    .await?
                    .into_iter()
                    .filter(|(u, _)| in_office_oblasts(&snapshot, &office_oblasts, office, u))
                    .map(|(u, _)| (u, Some(office)))
                    .collect()
            }
            None => {
                bad("office", "stat-error-office");
                Vec::new()
            }
        },
        Scope::List(codes) => {
            let members: HashMap<String, i64> =
                repo::current_members(db, None).await?.into_iter().collect();
            let by_oblast = repo::oblast_offices(db).await?;
            let mut out: Vec<(String, Option<i64>)> = Vec::new();
            let mut unknown = false;
            for code in codes {
                let Some(i) = snapshot.find(code) else {
                    unknown = true;
                    continue;
                };
                if snapshot.node(i).level() != crate::registry::Level::Hromada {
                    unknown = true;
                    continue;
                }
                if out.iter().any(|(c, _)| c == code) {
                    continue;
                }
                let office = members.get(code).copied().or_else(|| {
                    let oblast = snapshot.ancestors(i).first().copied()?;
                    by_oblast.get(&snapshot.node(oblast).code).copied()
                });
                out.push((code.clone(), office));
            }
            if unknown {
                bad("units", "stat-error-units");
            }
            out
        }
    };
    if units.is_empty() && !matches!(input.scope, Scope::Office(_) if office_id.is_none()) {
        bad("units", "stat-error-no-units");
    }
    // Coordinators ask their own office, and communities in its oblasts, only.
    if !is_admin(principal) {
        let reach = Reach::of(db, principal).await?;
        let outside = units.iter().any(|(code, _)| !reach.covers(&snapshot, code));
        let foreign_office = office_id.is_some_and(|o| !reach.has_office(o));
        if outside || foreign_office || input.scope == Scope::Members {
            return Err(AppError::OutOfScope);
        }
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let (Some(dataset), Ok(period), Some(deadline)) = (dataset, period, deadline) else {
        return Err(AppError::BadRequest("stat-error-dataset"));
    };
    if repo::is_locked(db, &period.code()).await? {
        return Err(AppError::Conflict("stat-error-locked"));
    }
    let actor = Actor::of(principal, ip);
    let mut work = Work::begin(db, actor).await?;
    let now = work.now;
    let new = repo::NewCampaign {
        dataset_id: dataset.id,
        period: &period.code(),
        scope_kind: input.scope.kind(),
        office_id,
        deadline,
        note: input.note.trim(),
        user: work.actor.user_id,
    };
    let id = repo::insert_campaign(&mut work.tx, &new, &units, now).await?;
    work.audit(
        "create",
        "stat_campaign",
        id,
        json!({ "dataset": dataset.code, "period": period.code(), "scope": input.scope.kind(),
                "communities": units.len(), "deadline": deadline }),
    )
    .await?;
    work.commit().await?;
    Ok(id)
}

/// Locks or unlocks a period (admins): a locked period's values no longer change by form,
/// review or import. Answers the period as written (`2024-Q1`).
pub async fn set_lock(
    db: &Db,
    principal: &Principal,
    ip: &str,
    period: &str,
    locked: bool,
) -> AppResult<String> {
    if !is_admin(principal) {
        return Err(AppError::Forbidden);
    }
    let period = Period::parse(period)
        .map_err(|key| AppError::field("period", key))?
        .code();
    let mut work = Work::begin(db, Actor::of(principal, ip)).await?;
    let changed = if locked {
        repo::lock(&mut work.tx, &period, work.actor.user_id, work.now).await?
    } else {
        repo::unlock(&mut work.tx, &period).await?
    };
    // Locking a locked period (or unlocking an open one) changes nothing and says nothing.
    if changed > 0 {
        let action = if locked { "lock" } else { "unlock" };
        work.audit(action, "stat_period", &period, json!({}))
            .await?;
    }
    work.commit().await?;
    Ok(period)
}

/// Asks for reminders of campaign `id` now: queued as a job (which mails each community at
/// most once a day). A coordinator's request reaches only the owing communities in their
/// offices' oblasts; answers those (`None` for an admin's, which reaches every community that
/// owes).
pub async fn request_reminders(
    state: &AppState,
    principal: &Principal,
    ip: &str,
    id: i64,
) -> AppResult<Option<Vec<String>>> {
    repo::campaign(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let units = reminder_units(state, principal, id).await?;
    let (payload, detail) = match &units {
        None => (json!({ "campaign": id }), json!({})),
        Some(units) => (
            json!({ "campaign": id, "units": units }),
            json!({ "units": units.len() }),
        ),
    };
    let mut work = Work::begin(&state.db, Actor::of(principal, ip)).await?;
    crate::jobs::enqueue(&mut work.tx, super::reminders::JOB, &payload, work.now).await?;
    work.audit("request_reminders", "stat_campaign", id, detail)
        .await?;
    work.wake(&state.jobs_wakeup);
    work.commit().await?;
    Ok(units)
}

/// Closes campaign `id` (admins only: a campaign may ask communities beyond any one office):
/// it leaves the officials' lists; reports stay as they are. A closed campaign is 409.
pub async fn close_campaign(db: &Db, principal: &Principal, ip: &str, id: i64) -> AppResult<()> {
    if !is_admin(principal) {
        return Err(AppError::Forbidden);
    }
    let campaign = repo::campaign(db, id).await?.ok_or(AppError::NotFound)?;
    if campaign.closed_at.is_some() {
        return Err(AppError::Conflict("stat-error-closed"));
    }
    let mut work = Work::begin(db, Actor::of(principal, ip)).await?;
    if repo::close_campaign(&mut work.tx, id, work.now).await? == 0 {
        // Closed by someone else in the meantime.
        return Err(AppError::Conflict("stat-error-closed"));
    }
    work.audit("close", "stat_campaign", id, json!({})).await?;
    work.commit().await?;
    Ok(())
}

/// The reports `p` owes: open campaigns asking the communities `p` reports for, whose report
/// is open or returned.
pub async fn owed(db: &Db, p: &Principal) -> AppResult<Vec<(CampaignRow, CampaignUnitRow)>> {
    let units: Vec<String> = p
        .roles
        .iter()
        .filter(|g| g.role == Role::CommunityOfficial)
        .map(|g| g.scope.clone())
        .collect();
    Ok(repo::asked_of(db, &units).await?)
}

/// The campaigns `p` may follow: all for admins, those asking communities in their offices'
/// oblasts for coordinators.
pub async fn campaigns_for(state: &AppState, p: &Principal) -> AppResult<Vec<CampaignRow>> {
    let db = &state.db;
    let all = repo::campaigns(db).await?;
    if is_admin(p) {
        return Ok(all);
    }
    let snap = state
        .part::<crate::registry::snapshot::Cache>()
        .get(db)
        .await?;
    let reach = Reach::of(db, p).await?;
    let mut out = Vec::new();
    for c in all {
        let units = repo::campaign_units(db, c.id).await?;
        if units.iter().any(|u| may_review(&reach, &snap, u)) {
            out.push(c);
        }
    }
    Ok(out)
}

/// The reports of a campaign `p` may see: all for admins, those of communities in their
/// offices' oblasts for coordinators.
pub async fn visible_reports(
    state: &AppState,
    p: &Principal,
    campaign: i64,
) -> AppResult<Vec<CampaignUnitRow>> {
    let snap = crate::registry::snapshot::current(state).await?;
    let reach = Reach::of(&state.db, p).await?;
    Ok(repo::campaign_units(&state.db, campaign)
        .await?
        .into_iter()
        .filter(|r| may_review(&reach, &snap, r))
        .collect())
}

/// The communities reminders asked by `p` may reach in a campaign: `None` for admins (every
/// community that owes), else the owing communities in their offices' oblasts — refused when
/// there are none to see at all.
pub async fn reminder_units(
    state: &AppState,
    p: &Principal,
    campaign: i64,
) -> AppResult<Option<Vec<String>>> {
    let visible = visible_reports(state, p, campaign).await?;
    if is_admin(p) {
        return Ok(None);
    }
    if visible.is_empty() {
        return Err(AppError::OutOfScope);
    }
    Ok(Some(
        visible
            .into_iter()
            .filter(|r| r.status.owes())
            .map(|r| r.unit_code)
            .collect(),
    ))
}
