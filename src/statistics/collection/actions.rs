//! Collection use cases shared by the pages and the API: the shipped data sets and rules,
//! starting a campaign, what an account may do with a report, saving and submitting a report,
//! reviewing it, and locking periods. Each change is one transaction with its audit entry.

use std::collections::HashMap;

use serde_json::json;

use super::ReportStatus;
use super::repo::{self, CampaignRow, CampaignUnitRow, ItemRow};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::identity::{Principal, Role};
use crate::members::actions::Reach;
use crate::registry::UnitCode;
use crate::registry::snapshot::Snapshot;
use crate::state::AppState;
use crate::statistics::rules::{self, Rule};
use crate::statistics::{Period, ValueState, ValueType, check_range, parse_value};
use crate::work::Actor;
use crate::work::Work;

// --- the data sets, campaigns, locks and what each account sees: see `campaigns.rs` ---

use super::campaigns::is_admin;
pub use super::campaigns::{
    CampaignInput, campaigns_for, close_campaign, create_campaign, ensure_defaults, owed,
    reminder_units, request_reminders, set_lock, visible_reports,
};

/// Whether `p` may fill in `report`: the community's officials, and staff who may review it
/// (a coordinator may type in what a community phoned through; admins anywhere).
pub fn may_report(p: &Principal, reach: &Reach, snap: &Snapshot, report: &CampaignUnitRow) -> bool {
    is_official_of(p, &report.unit_code) || may_review(reach, snap, report)
}

/// Whether `p` reports for the community `unit` as its official.
fn is_official_of(p: &Principal, unit: &str) -> bool {
    p.roles
        .iter()
        .any(|g| g.role == Role::CommunityOfficial && g.scope == unit)
}

/// Whether the holder of `reach` may review `report`: admins, and the coordinators of the
/// office that covers the community's oblast. The office the report was filed under is not
/// enough: it comes from the membership, which could once be recorded in another oblast's
/// office.
pub fn may_review(reach: &Reach, snap: &Snapshot, report: &CampaignUnitRow) -> bool {
    reach.covers(snap, &report.unit_code)
}

/// A campaign and one community's report in it, for someone allowed to see it.
pub struct Report {
    pub campaign: CampaignRow,
    pub report: CampaignUnitRow,
    pub items: Vec<ItemRow>,
    pub may_report: bool,
    pub may_review: bool,
    pub locked: bool,
    /// The viewer entered or submitted values of this report, so another person approves it
    /// (an admin may, with a written reason).
    pub own_entry: bool,
    /// The viewer is an admin (who may approve their own entry with a reason).
    pub is_admin: bool,
}

pub async fn report(
    state: &AppState,
    principal: &Principal,
    campaign: i64,
    unit: &str,
) -> AppResult<Report> {
    let db = &state.db;
    let c = repo::campaign(db, campaign)
        .await?
        .ok_or(AppError::NotFound)?;
    let r = repo::campaign_unit(db, campaign, unit)
        .await?
        .ok_or(AppError::NotFound)?;
    let snap = state
        .part::<crate::registry::snapshot::Cache>()
        .get(db)
        .await?;
    let reach = Reach::of(db, principal).await?;
    let (may_report, may_review) = (
        may_report(principal, &reach, &snap, &r),
        may_review(&reach, &snap, &r),
    );
    if !may_report && !may_review {
        return Err(AppError::OutOfScope);
    }
    let items = repo::items(db, c.dataset_id).await?;
    let locked = repo::is_locked(db, &c.period).await?;
    let own_entry = repo::hands(db, campaign, unit)
        .await?
        .contains(&principal.user.id);
    Ok(Report {
        campaign: c,
        report: r,
        items,
        may_report,
        may_review,
        locked,
        own_entry,
        is_admin: is_admin(principal),
    })
}

/// One field of a report as the form shows it.
#[derive(Debug, Clone)]
pub struct Field {
    pub item: ItemRow,
    /// What the field holds: the draft as typed, else the value on record.
    pub raw: String,
    pub comment: String,
    /// The value on record and its state.
    pub value: Option<f64>,
    pub state: Option<ValueState>,
    /// The coordinator's note on a returned value.
    pub review_note: String,
    /// Last period's approved value.
    pub last: Option<f64>,
    pub editable: bool,
    /// A UI string key, or `rule:<code>` for a broken rule (the page shows its message).
    pub error: Option<String>,
    /// The change from last period in percent, when it needs a comment that is missing.
    pub change_needs_comment: Option<f64>,
}

/// The value as it would be typed back into the form (no grouping, a point for decimals).
fn as_typed(value: f64, t: ValueType) -> String {
    match t {
        ValueType::Integer | ValueType::YesNo => format!("{}", value.round() as i64),
        ValueType::Decimal | ValueType::Percent => {
            let s = format!("{value:.2}");
            s.strip_suffix(".00").map(str::to_string).unwrap_or(s)
        }
    }
}

fn value_type(item: &ItemRow) -> ValueType {
    ValueType::parse(&item.value_type).unwrap_or(ValueType::Decimal)
}

/// The fields of a report: drafts over values on record, with last period's values.
pub async fn fields(db: &Db, r: &Report) -> AppResult<Vec<Field>> {
    let unit = &r.report.unit_code;
    let period = Period::parse(&r.campaign.period).map_err(AppError::BadRequest)?;
    let drafts: HashMap<i64, repo::DraftRow> = repo::drafts(db, r.campaign.id, unit)
        .await?
        .into_iter()
        .map(|d| (d.indicator_id, d))
        .collect();
    let current: HashMap<i64, repo::CurrentValue> = repo::unit_values(db, unit, &r.campaign.period)
        .await?
        .into_iter()
        .map(|v| (v.indicator_id, v))
        .collect();
    let last = repo::approved_values(db, unit, &period.previous().code()).await?;
    let open = r.report.status != ReportStatus::Approved
        && r.report.status != ReportStatus::Submitted
        && r.campaign.closed_at.is_none()
        && !r.locked
        && r.may_report;
    Ok(r.items
        .iter()
        .map(|item| {
            let now = current.get(&item.indicator_id);
            let state = now.map(|v| v.state);
            let draft = drafts.get(&item.indicator_id);
            let (raw, comment) = match (draft, now) {
                (Some(d), _) => (d.raw.clone(), d.comment.clone()),
                (None, Some(v)) => (as_typed(v.value, value_type(item)), v.comment.clone()),
                (None, None) => (String::new(), String::new()),
            };
            Field {
                raw,
                comment,
                value: now.map(|v| v.value),
                state,
                review_note: now.map(|v| v.review_note.clone()).unwrap_or_default(),
                last: last.get(&item.indicator_id).copied(),
                editable: open
                    && !matches!(state, Some(ValueState::Approved | ValueState::Submitted)),
                error: None,
                change_needs_comment: None,
                item: item.clone(),
            }
        })
        .collect())
}

/// What the reporter asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    /// Keep what was typed.
    Save,
    /// Check and submit.
    Submit,
}

/// Saves the typed fields (indicator id → (text, comment)) as drafts and, to submit, checks
/// every field (type, range, rules between indicators, a comment for a big change). With a
/// problem, the drafts are kept and the fields come back with their messages; without, the
/// values are submitted and the drafts dropped. Saving the same form twice stores it once.
pub async fn save(
    db: &Db,
    principal: &Principal,
    ip: &str,
    r: &Report,
    typed: &HashMap<i64, (String, String)>,
    intent: Intent,
) -> AppResult<(bool, Vec<Field>)> {
    if !r.may_report {
        return Err(AppError::OutOfScope);
    }
    if r.locked {
        return Err(AppError::Conflict("stat-error-locked"));
    }
    if r.campaign.closed_at.is_some() {
        return Err(AppError::Conflict("stat-error-closed"));
    }
    if !r.report.status.owes() {
        return Err(AppError::Conflict("stat-error-not-open"));
    }
    let mut fields = fields(db, r).await?;
    for f in fields.iter_mut().filter(|f| f.editable) {
        if let Some((raw, comment)) = typed.get(&f.item.indicator_id) {
            f.raw = raw.trim().chars().take(100).collect();
            f.comment = comment.trim().chars().take(2_000).collect();
        }
    }
    let actor = Actor::of(principal, ip);
    let unit = r.report.unit_code.clone();
    let mut work = Work::begin(db, actor).await?;
    let now = work.now;
    // The checks above read the report before this transaction; a review, a second submission,
    // a closed campaign or a locked period may have come since. This guard is the real check.
    if repo::hold_owed_report(&mut work.tx, r.campaign.id, &unit).await? == 0 {
        return Err(AppError::Conflict("stat-error-not-open"));
    }
    let mut changed = 0;
    for f in fields.iter().filter(|f| f.editable) {
        changed += repo::save_draft(
            &mut work.tx,
            r.campaign.id,
            &unit,
            (f.item.indicator_id, &f.raw, &f.comment),
            work.actor.user_id,
            now,
        )
        .await?;
    }
    // Whoever types a value or submits the report may not approve it (four eyes).
    if let Some(user) = work.actor.user_id
        && (changed > 0 || intent == Intent::Submit)
    {
        repo::add_hand(&mut work.tx, r.campaign.id, &unit, user, now).await?;
    }
    if intent == Intent::Save {
        work.commit().await?;
        return Ok((false, fields));
    }
    let rules = repo::rules(db).await?;
    if !check(&mut fields, &rules) {
        work.commit().await?;
        return Ok((false, fields));
    }
    let period = Period::parse(&r.campaign.period).map_err(AppError::BadRequest)?;
    let code = UnitCode::parse(&unit).ok_or(AppError::NotFound)?;
    let rows: Vec<crate::statistics::Entry> = fields
        .iter()
        .filter(|f| f.editable)
        .filter_map(|f| {
            Some(crate::statistics::Entry {
                unit: code.clone(),
                indicator: f.item.indicator_id,
                period,
                value: f.value?,
                comment: f.comment.clone(),
            })
        })
        .collect();
    // The public see where a value came from: the community's own report, or the figures
    // the association's staff typed in for it.
    let origin = if is_official_of(principal, &unit) {
        "Звіт громади"
    } else {
        "Дані громади, внесені працівником асоціації"
    };
    let source = format!("{origin}: {}, {}", r.campaign.name_uk, r.campaign.period);
    let written = crate::statistics::repo::upsert_values(
        &mut work.tx,
        &rows,
        ValueState::Submitted.code(),
        &source,
        work.actor.user_id,
        now,
    )
    .await?;
    repo::delete_drafts(&mut work.tx, r.campaign.id, &unit).await?;
    repo::set_report_status(
        &mut work.tx,
        r.campaign.id,
        &unit,
        ReportStatus::Submitted,
        true,
        now,
    )
    .await?;
    work.audit(
        "submit",
        "stat_report",
        format!("{}/{unit}", r.campaign.id),
        json!({ "values": rows.len(), "written": written }),
    )
    .await?;
    crate::statistics::analysis::repo::raise_revision(&mut work.tx, now).await?;
    work.commit().await?;
    Ok((true, fields))
}

/// Checks the editable fields of a report: each value read and in range, the rules between
/// indicators (over the editable and the fixed values together), and a comment wherever the
/// change from last period is larger than the indicator allows silently. Sets `value` of the
/// good fields and the messages of the others; returns whether all passed.
pub fn check(fields: &mut [Field], rules: &[Rule]) -> bool {
    let mut ok = true;
    for f in fields.iter_mut().filter(|f| f.editable) {
        f.error = None;
        f.change_needs_comment = None;
        let parsed = parse_value(&f.raw, value_type(&f.item))
            .and_then(|v| check_range(v, f.item.min_value, f.item.max_value).map(|()| v));
        match parsed {
            Ok(v) => {
                f.value = Some(v);
                if f.comment.is_empty() {
                    f.change_needs_comment =
                        rules::change_to_explain(v, f.last, f.item.warn_change_pct);
                    if f.change_needs_comment.is_some() {
                        ok = false;
                    }
                }
            }
            Err(key) => {
                f.value = None;
                f.error = Some(key.to_string());
                ok = false;
            }
        }
    }
    let values: HashMap<&str, f64> = fields
        .iter()
        .filter_map(|f| Some((f.item.code.as_str(), f.value?)))
        .collect();
    let broken: Vec<(String, String)> = rules::broken(rules, &values)
        .into_iter()
        .map(|r| (r.left.clone(), format!("rule:{}", r.code)))
        .collect();
    for (left, key) in broken {
        // The message goes to the whole's field, or the first editable field of the rule.
        if let Some(f) = fields
            .iter_mut()
            .find(|f| f.item.code == left && f.editable && f.error.is_none())
        {
            f.error = Some(key);
            ok = false;
        } else if let Some(f) = fields.iter_mut().find(|f| f.editable && f.error.is_none()) {
            f.error = Some(key);
            ok = false;
        }
    }
    ok
}

/// A reviewer's decision on one value: send it back (with a note) or let it pass.
pub struct Decision {
    pub indicator_id: i64,
    pub send_back: bool,
    pub note: String,
}

/// Reviews a submitted report: values sent back become `returned` with their notes and the
/// report goes back to the community; with none sent back, every value is approved. Nobody
/// approves a report whose values they entered or submitted; an admin may, giving
/// `override_reason`, which goes into the audit entry.
pub async fn review(
    state: &AppState,
    principal: &Principal,
    ip: &str,
    r: &Report,
    decisions: &[Decision],
    override_reason: Option<&str>,
) -> AppResult<ReportStatus> {
    if !r.may_review {
        return Err(AppError::OutOfScope);
    }
    if r.locked {
        return Err(AppError::Conflict("stat-error-locked"));
    }
    if r.report.status != ReportStatus::Submitted {
        return Err(AppError::Conflict("stat-error-not-submitted"));
    }
    let back: Vec<&Decision> = decisions
        .iter()
        .filter(|d| d.send_back && r.items.iter().any(|i| i.indicator_id == d.indicator_id))
        .collect();
    let missing_note: Vec<(String, String)> = back
        .iter()
        .filter(|d| d.note.trim().is_empty())
        .map(|d| {
            (
                format!("n_{}", d.indicator_id),
                "stat-error-note".to_string(),
            )
        })
        .collect();
    if !missing_note.is_empty() {
        return Err(AppError::Invalid(missing_note));
    }
    let reason: String = override_reason
        .unwrap_or_default()
        .trim()
        .chars()
        .take(2_000)
        .collect();
    let actor = Actor::of(principal, ip);
    let unit = r.report.unit_code.as_str();
    let period = r.campaign.period.as_str();
    let status = if back.is_empty() {
        ReportStatus::Approved
    } else {
        ReportStatus::Returned
    };
    let mut work = Work::begin(&state.db, actor).await?;
    let now = work.now;
    // The status changes first and only if the report is still submitted: of two reviews (or a
    // review and a resubmission) racing, the second finds nothing to change and is told so.
    // This also takes the report's write lock, so the contributors and values read below
    // cannot change before the commit (returning early drops `tx`, which rolls it back).
    if repo::decide_report(&mut work.tx, r.campaign.id, unit, status, now).await? == 0 {
        return Err(AppError::Conflict("stat-error-not-submitted"));
    }
    // Four eyes: the approval is someone else's (read here, in the transaction, not trusted
    // from the page or from a read before it).
    let own_entry = back.is_empty()
        && repo::hands_in(&mut work.tx, r.campaign.id, unit)
            .await?
            .contains(&principal.user.id);
    if own_entry {
        if !is_admin(principal) {
            return Err(AppError::Conflict("stat-error-four-eyes"));
        }
        if reason.is_empty() {
            return Err(AppError::field(
                "override_reason",
                "stat-error-override-reason",
            ));
        }
    }
    if back.is_empty() {
        let current: HashMap<i64, ValueState> = repo::unit_values_in(&mut work.tx, unit, period)
            .await?
            .into_iter()
            .map(|v| (v.indicator_id, v.state))
            .collect();
        for item in &r.items {
            if current.get(&item.indicator_id) == Some(&ValueState::Submitted) {
                repo::review_value(
                    &mut work.tx,
                    (unit, item.indicator_id, period),
                    ValueState::Approved,
                    "",
                    work.actor.user_id,
                    now,
                )
                .await?;
            }
        }
    } else {
        for d in &back {
            let note: String = d.note.trim().chars().take(2_000).collect();
            repo::review_value(
                &mut work.tx,
                (unit, d.indicator_id, period),
                ValueState::Returned,
                &note,
                work.actor.user_id,
                now,
            )
            .await?;
        }
    }
    work.audit(
        if back.is_empty() { "approve" } else { "return" },
        "stat_report",
        format!("{}/{unit}", r.campaign.id),
        if own_entry {
            json!({ "returned": [], "own_entry": true, "override_reason": reason })
        } else {
            json!({ "returned": back.iter().map(|d| d.indicator_id).collect::<Vec<_>>() })
        },
    )
    .await?;
    crate::statistics::analysis::repo::raise_revision(&mut work.tx, now).await?;
    work.commit().await?;
    Ok(status)
}
