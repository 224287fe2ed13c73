//! The pages of reporting: what an official owes, and a community's report in a campaign,
//! which is the entry form (for the community), the review form (for its coordinator) and the
//! record of each value's history (for both). Everything works without JavaScript; the small
//! `report.js` saves drafts as one types and keeps a copy in the browser while offline.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::actions::{self, Decision, Field, Intent, Report};
use super::{ReportStatus, Timeliness};
use crate::error::{AppError, AppResult};
use crate::i18n::{Arg, Lang};
use crate::registry::UnitCode;
use crate::state::AppState;
use crate::statistics::ValueType;
use crate::statistics::pages::format_value;
use crate::statistics::rules::change_pct;
use crate::web::Ctx;
use crate::web::extract::Path;
use crate::web::page::{DoneQuery, PageCtx, render};

/// One campaign an official's community owes.
pub struct OweLine {
    pub href: String,
    pub dataset: String,
    pub period: String,
    pub unit: String,
    pub deadline: String,
    /// "3 days left", "due today", "5 days late".
    pub when: String,
    pub overdue: bool,
    pub status: String,
    pub missing: usize,
    pub returned: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "statistics/owe.html")]
struct OwePage {
    p: PageCtx,
    owed: Vec<OweLine>,
    done: Vec<OweLine>,
    /// For coordinators and admins: (campaign link, name and period, reports awaiting review).
    to_review: Vec<(String, String, usize)>,
}

fn unit_name(snapshot: &crate::registry::snapshot::Snapshot, code: &str, lang: Lang) -> String {
    snapshot
        .find(code)
        .map(|i| snapshot.node(i).title(lang))
        .unwrap_or_else(|| code.to_string())
}

/// A community's report in a campaign: its form, and where the form posts.
pub fn report_href(lang: Lang, campaign: i64, unit: &str) -> String {
    format!(
        "/{}/statistics/campaigns/{campaign}/report/{unit}",
        lang.code()
    )
}

/// Days left until the deadline, as words.
pub fn days_left(deadline: chrono::NaiveDate, lang: Lang) -> (String, bool) {
    let days = (deadline - crate::clock::today()).num_days();
    match days {
        0 => (lang.t("stat-due-today"), false),
        d if d > 0 => (lang.t_args("stat-days-left", &[("n", Arg::Num(d))]), false),
        d => (lang.t_args("stat-days-late", &[("n", Arg::Num(-d))]), true),
    }
}

/// What the signed-in official's communities owe: open campaigns, deadlines, what is missing
/// and what came back with which comment.
pub async fn owe(State(state): State<AppState>, lang: Lang, ctx: Ctx) -> AppResult<Response> {
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let snapshot = crate::registry::snapshot::current(&state).await?;
    let mut owed = Vec::new();
    let mut done = Vec::new();
    for (c, r) in actions::owed(&state.db, principal).await? {
        let report = actions::report(&state, principal, c.id, &r.unit_code).await?;
        let fields = actions::fields(&state.db, &report).await?;
        let status = r.status;
        let (when, overdue) = days_left(c.deadline_on, lang);
        let line = OweLine {
            href: report_href(lang, c.id, &r.unit_code),
            dataset: c.name(lang).to_string(),
            period: c.period.clone(),
            unit: unit_name(&snapshot, &r.unit_code, lang),
            deadline: c.deadline_on.format("%d.%m.%Y").to_string(),
            when,
            overdue: overdue && status.owes(),
            status: lang.t(&format!("stat-report-{}", status.code())),
            missing: fields.iter().filter(|f| f.value.is_none()).count(),
            returned: fields
                .iter()
                .filter(|f| f.state == Some(crate::statistics::ValueState::Returned))
                .map(|f| (f.item.name_in(lang).to_string(), f.review_note.clone()))
                .collect(),
        };
        if status.owes() {
            owed.push(line);
        } else {
            done.push(line);
        }
    }
    let mut to_review = Vec::new();
    if principal.has_role(crate::identity::Role::Coordinator)
        || principal.has_role(crate::identity::Role::Admin)
    {
        for c in actions::campaigns_for(&state, principal).await? {
            if c.closed_at.is_some() {
                continue;
            }
            let waiting = actions::visible_reports(&state, principal, c.id)
                .await?
                .iter()
                .filter(|r| r.status == ReportStatus::Submitted)
                .count();
            if waiting > 0 {
                to_review.push((
                    format!("/{}/statistics/campaigns/{}", lang.code(), c.id),
                    format!("{} {}", c.name(lang), c.period),
                    waiting,
                ));
            }
        }
    }
    let page = PageCtx::new(&ctx, "stat-owe-title");
    Ok(render(&OwePage {
        p: page,
        owed,
        done,
        to_review,
    })?
    .into_response())
}

/// A signed change with one decimal, with the decimal comma in Ukrainian.
fn decimal(pct: f64, lang: Lang) -> String {
    let s = format!("{pct:+.1}");
    match lang {
        Lang::Uk => s.replace('.', ","),
        Lang::En => s,
    }
}

/// A field as the page shows it.
pub struct FieldView {
    pub id: i64,
    pub name: String,
    pub measure: String,
    pub help: String,
    pub raw: String,
    pub comment: String,
    pub shown: String,
    pub state: String,
    pub last: String,
    pub change: String,
    pub error: Option<String>,
    pub warning: Option<String>,
    pub review_note: String,
    pub editable: bool,
    pub numeric: bool,
    pub history: Vec<HistoryLine>,
}

pub struct HistoryLine {
    pub when: String,
    pub who: String,
    pub value: String,
    pub state: String,
    pub comment: String,
    pub note: String,
}

pub struct Section {
    pub name: String,
    pub fields: Vec<FieldView>,
}

#[derive(Template)]
#[template(path = "statistics/report.html")]
struct ReportPage {
    p: PageCtx,
    action: String,
    unit: String,
    dataset: String,
    period: String,
    deadline: String,
    when: String,
    status: String,
    timeliness: String,
    notice: Option<String>,
    problems: usize,
    sections: Vec<Section>,
    editable: bool,
    reviewable: bool,
    /// The viewer entered or submitted values: they may send values back, and approve only as
    /// an admin giving a reason.
    own_entry: bool,
    may_override: bool,
    locked: bool,
    /// For the script: where to keep the offline copy.
    storage_key: String,
}

async fn report_page(
    state: &AppState,
    ctx: &Ctx,
    r: &Report,
    fields: Vec<Field>,
    notice: Option<String>,
) -> AppResult<ReportPage> {
    let lang = ctx.lang;
    let snapshot = crate::registry::snapshot::current(state).await?;
    let rules = super::repo::rules(&state.db).await?;
    let p = PageCtx::new(ctx, "stat-report-title");
    let mut sections: Vec<Section> = Vec::new();
    let mut problems = 0;
    let editable = fields.iter().any(|f| f.editable);
    for f in fields {
        let t = ValueType::parse(&f.item.value_type).unwrap_or(ValueType::Decimal);
        let history = super::repo::history(
            &state.db,
            &r.report.unit_code,
            f.item.indicator_id,
            &r.campaign.period,
        )
        .await?
        .into_iter()
        .map(|h| HistoryLine {
            when: p.when(&h.changed_at),
            who: h
                .changed_by
                .unwrap_or_else(|| lang.t("stat-history-system")),
            value: format_value(h.value, t, lang),
            state: lang.t(&format!("stat-state-{}", h.state)),
            comment: h.comment,
            note: h.review_note,
        })
        .collect();
        let error = f.error.as_ref().map(|e| match e.strip_prefix("rule:") {
            Some(code) => rules
                .iter()
                .find(|r| r.code == code)
                .map(|r| r.message(lang).to_string())
                .unwrap_or_default(),
            None => lang.t(e),
        });
        let warning = f.change_needs_comment.map(|pct| {
            if pct.is_finite() {
                lang.t_args(
                    "stat-warn-change",
                    &[("pct", Arg::Str(&decimal(pct, lang)))],
                )
            } else {
                lang.t("stat-warn-change-from-zero")
            }
        });
        if error.is_some() || warning.is_some() {
            problems += 1;
        }
        let view = FieldView {
            id: f.item.indicator_id,
            name: f.item.name_in(lang).to_string(),
            measure: lang
                .pick(&f.item.measure_uk, &f.item.measure_en)
                .to_string(),
            help: lang.pick(&f.item.help_uk, &f.item.help_en).to_string(),
            shown: f
                .value
                .map(|v| format_value(v, t, lang))
                .unwrap_or_default(),
            state: f
                .state
                .map(|s| lang.t(&format!("stat-state-{}", s.code())))
                .unwrap_or_default(),
            last: f.last.map(|v| format_value(v, t, lang)).unwrap_or_default(),
            change: match (f.value, f.last) {
                (Some(v), Some(l)) => change_pct(v, l)
                    .map(|c| format!("{} %", decimal(c, lang)))
                    .unwrap_or_default(),
                _ => String::new(),
            },
            raw: f.raw,
            comment: f.comment,
            error,
            warning,
            review_note: f.review_note,
            editable: f.editable,
            numeric: t != ValueType::YesNo,
            history,
        };
        let section = lang
            .pick(&f.item.section_uk, &f.item.section_en)
            .to_string();
        match sections.last_mut() {
            Some(s) if s.name == section => s.fields.push(view),
            _ => sections.push(Section {
                name: section,
                fields: vec![view],
            }),
        }
    }
    let status = r.report.status;
    let (when, _) = days_left(r.campaign.deadline_on, lang);
    let timeliness = Timeliness::of(r.report.first_submitted_at, r.campaign.deadline_on);
    let unit = unit_name(&snapshot, &r.report.unit_code, lang);
    let p = p.with_title(format!(
        "{} {} — {unit}",
        r.campaign.name(lang),
        r.campaign.period
    ));
    Ok(ReportPage {
        action: report_href(lang, r.campaign.id, &r.report.unit_code),
        storage_key: format!("hromada-report-{}-{}", r.campaign.id, r.report.unit_code),
        unit,
        dataset: r.campaign.name(lang).to_string(),
        period: r.campaign.period.clone(),
        deadline: r.campaign.deadline_on.format("%d.%m.%Y").to_string(),
        when,
        status: lang.t(&format!("stat-report-{}", status.code())),
        timeliness: lang.t(&format!("stat-timeliness-{}", timeliness.code())),
        notice,
        problems,
        sections,
        editable,
        reviewable: r.may_review && status == ReportStatus::Submitted && !r.locked,
        own_entry: r.own_entry,
        may_override: r.own_entry && r.is_admin,
        locked: r.locked,
        p,
    })
}

#[derive(serde::Deserialize)]
pub struct ReportPath {
    pub id: i64,
    pub unit: UnitCode,
}

/// A report's path; a malformed unit code names no report: 404, as an unknown one.
fn report_path(path: Result<Path<ReportPath>, Response>) -> AppResult<ReportPath> {
    path.map(|Path(p)| p).map_err(|_| AppError::NotFound)
}

/// A community's report: the entry form while it is open or returned, the values and their
/// history always, and the review form for the coordinator once it is submitted.
pub async fn report(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    path: Result<Path<ReportPath>, Response>,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    let path = report_path(path)?;
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let r = actions::report(&state, principal, path.id, path.unit.as_str()).await?;
    let fields = actions::fields(&state.db, &r).await?;
    let notice = q
        .done
        .as_deref()
        .filter(|d| ["saved", "submitted", "approved", "returned"].contains(d))
        .map(|d| lang.t(&format!("stat-done-{d}")));
    let page = report_page(&state, &ctx, &r, fields, notice).await?;
    Ok(render(&page)?.into_response())
}

/// The typed fields of a posted form: `v_<indicator id>` and `c_<indicator id>`.
fn typed(pairs: &[(String, String)]) -> HashMap<i64, (String, String)> {
    let mut out: HashMap<i64, (String, String)> = HashMap::new();
    for (name, value) in pairs {
        let (is_value, id) = match (name.strip_prefix("v_"), name.strip_prefix("c_")) {
            (Some(id), _) => (true, id),
            (_, Some(id)) => (false, id),
            _ => continue,
        };
        let Ok(id) = id.parse::<i64>() else { continue };
        let entry = out.entry(id).or_default();
        if is_value {
            entry.0 = value.clone();
        } else {
            entry.1 = value.clone();
        }
    }
    out
}

fn field(pairs: &[(String, String)], name: &str) -> Option<String> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
}

crate::text_enum! {
    /// What the report form asks for: its buttons, or its script saving as the official types.
    pub enum FormIntent as "ReportFormIntent" {
        Save = "save",
        Submit = "submit",
        /// Answered with 204.
        Autosave = "autosave",
    }
}

/// Saves (`intent=save`, or `autosave` from the script, answered with 204) or submits the
/// report; without an intent, saves; an unknown intent is refused (422 `intent`). A
/// submission with problems comes back as the form with its messages.
pub async fn save(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    path: Result<Path<ReportPath>, Response>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let path = report_path(path)?;
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let r = actions::report(&state, principal, path.id, path.unit.as_str()).await?;
    let intent = match field(&pairs, "intent") {
        None => FormIntent::Save,
        Some(code) => {
            FormIntent::parse(&code).ok_or(AppError::field("intent", "error-field-value"))?
        }
    };
    let (ok, fields) = actions::save(
        &state.db,
        principal,
        &ctx.ip,
        &r,
        &typed(&pairs),
        match intent {
            FormIntent::Submit => Intent::Submit,
            FormIntent::Save | FormIntent::Autosave => Intent::Save,
        },
    )
    .await?;
    let back = |done: &str| {
        Redirect::to(&format!(
            "{}?done={done}",
            report_href(lang, path.id, path.unit.as_str())
        ))
        .into_response()
    };
    match intent {
        FormIntent::Autosave => Ok(StatusCode::NO_CONTENT.into_response()),
        FormIntent::Submit if ok => Ok(back("submitted")),
        FormIntent::Submit => {
            let page = report_page(&state, &ctx, &r, fields, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
        }
        FormIntent::Save => Ok(back("saved")),
    }
}

/// The coordinator's review: `r_<id>` marks a value to send back, `n_<id>` is its note.
pub async fn review(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    path: Result<Path<ReportPath>, Response>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let path = report_path(path)?;
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let r = actions::report(&state, principal, path.id, path.unit.as_str()).await?;
    let decisions: Vec<Decision> = r
        .items
        .iter()
        .map(|i| Decision {
            indicator_id: i.indicator_id,
            send_back: field(&pairs, &format!("r_{}", i.indicator_id)).is_some(),
            note: field(&pairs, &format!("n_{}", i.indicator_id)).unwrap_or_default(),
        })
        .collect();
    let reason = field(&pairs, "override_reason");
    let status = actions::review(
        &state,
        principal,
        &ctx.ip,
        &r,
        &decisions,
        reason.as_deref(),
    )
    .await?;
    Ok(Redirect::to(&format!(
        "{}?done={}",
        report_href(lang, path.id, path.unit.as_str()),
        if status == ReportStatus::Approved {
            "approved"
        } else {
            "returned"
        }
    ))
    .into_response())
}

static REPORT_JS: &str = include_str!("../../../static/report.js");

pub async fn script() -> Response {
    (
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/javascript; charset=utf-8",
            ),
            (axum::http::header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        REPORT_JS,
    )
        .into_response()
}
