//! The staff's pages of collection: campaigns (list, start, completeness by oblast, regional
//! office and community, reminders, closing) and locked periods. Coordinators see the
//! communities of their own office; admins see all.

use std::collections::BTreeMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::actions::{self, CampaignInput};
use super::{Completeness, Scope, Timeliness, repo};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::web::page::{DoneQuery, PageCtx, render};

use crate::state::AppState;
use crate::web::Ctx;

pub struct CampaignLine {
    pub href: String,
    pub dataset: String,
    pub period: String,
    pub deadline: String,
    pub closed: bool,
}

#[derive(Template)]
#[template(path = "statistics/campaigns.html")]
struct CampaignsPage {
    p: PageCtx,
    campaigns: Vec<CampaignLine>,
    datasets: Vec<(String, String)>,
    offices: Vec<(String, String)>,
    is_admin: bool,
    errors: Vec<(String, String)>,
    form: CampaignForm,
}

#[derive(Deserialize)]
pub struct IdPath {
    id: i64,
}

#[derive(Deserialize, Default, Clone)]
pub struct CampaignForm {
    #[serde(default)]
    pub dataset: String,
    #[serde(default)]
    pub period: String,
    /// members, office or list.
    #[serde(default)]
    pub scope: String,
    #[serde(default)]
    pub office: String,
    /// Codifier codes, separated by spaces, commas or new lines.
    #[serde(default)]
    pub units: String,
    #[serde(default)]
    pub deadline: String,
    #[serde(default)]
    pub note: String,
}

impl CampaignForm {
    pub fn scope(&self) -> Scope {
        match self.scope.as_str() {
            "office" => Scope::Office(self.office.trim().to_string()),
            "list" => Scope::List(
                self.units
                    .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
                    .filter(|s| !s.is_empty())
                    .map(|s| s.trim().to_uppercase())
                    .collect(),
            ),
            _ => Scope::Members,
        }
    }
}

async fn campaigns_page(
    state: &AppState,
    ctx: &Ctx,
    form: CampaignForm,
    errors: Vec<(String, String)>,
) -> AppResult<CampaignsPage> {
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let lang = ctx.lang;
    let campaigns = actions::campaigns_for(state, principal)
        .await?
        .into_iter()
        .map(|c| CampaignLine {
            href: format!("/{}/statistics/campaigns/{}", lang.code(), c.id),
            dataset: c.name(lang).to_string(),
            period: c.period.clone(),
            deadline: c.deadline_on.format("%d.%m.%Y").to_string(),
            closed: c.closed_at.is_some(),
        })
        .collect();
    let datasets = repo::datasets(&state.db)
        .await?
        .into_iter()
        .map(|d| (d.code.clone(), d.name(lang).to_string()))
        .collect();
    let is_admin = principal.has_role(crate::identity::Role::Admin);
    let offices = repo::offices(&state.db)
        .await?
        .into_iter()
        .filter(|(_, slug, _, _)| {
            is_admin
                || principal
                    .roles
                    .iter()
                    .any(|g| g.role == crate::identity::Role::Coordinator && &g.scope == slug)
        })
        .map(|(_, slug, uk, en)| (slug, lang.pick(uk, en)))
        .collect();
    let errors = errors.into_iter().map(|(f, k)| (f, lang.t(&k))).collect();
    Ok(CampaignsPage {
        p: PageCtx::new(ctx, "stat-campaigns-title"),
        campaigns,
        datasets,
        offices,
        is_admin,
        errors,
        form,
    })
}

pub async fn campaigns(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let page = campaigns_page(&state, &ctx, CampaignForm::default(), Vec::new()).await?;
    Ok(render(&page)?.into_response())
}

/// Starts a campaign; a form with problems comes back with each named (422).
pub async fn create(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Form(form): Form<CampaignForm>,
) -> AppResult<Response> {
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let input = CampaignInput {
        dataset: form.dataset.clone(),
        period: form.period.clone(),
        scope: form.scope(),
        deadline: form.deadline.clone(),
        note: form.note.clone(),
    };
    match actions::create_campaign(&state, principal, &ctx.ip, input).await {
        Ok(id) => Ok(Redirect::to(&format!(
            "/{}/statistics/campaigns/{id}?done=created",
            lang.code()
        ))
        .into_response()),
        Err(AppError::Invalid(errors)) => {
            let page = campaigns_page(&state, &ctx, form, errors).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
        }
        Err(e) => Err(e),
    }
}

/// One community's line in a campaign.
pub struct ReportLine {
    pub href: String,
    pub code: String,
    pub name: String,
    pub oblast: String,
    pub office: String,
    pub status: String,
    pub timeliness: String,
    pub submitted: String,
    pub reminders: String,
}

#[derive(Template)]
#[template(path = "statistics/campaign.html")]
struct CampaignPage {
    p: PageCtx,
    id: i64,
    dataset: String,
    period: String,
    deadline: String,
    note: String,
    closed: bool,
    total: Completeness,
    /// By oblast, then by regional office.
    groups: Vec<Grouping>,
    reports: Vec<ReportLine>,
    /// Links to the previous and next pages of communities, when there are more.
    prev: Option<String>,
    next: Option<String>,
    /// The communities shown: (first, last, of).
    range: (usize, usize, usize),
    notice: Option<String>,
    is_admin: bool,
}

/// (caption, column header, [(group, counts)]).
type Grouping = (String, String, Vec<(String, Completeness)>);

/// Communities per page of a campaign's table (the counts above it cover them all).
const REPORTS_PER_PAGE: usize = 100;

#[derive(Deserialize, Default)]
pub struct CampaignQuery {
    done: Option<String>,
    page: Option<usize>,
}

/// A campaign with its completeness: in all, by oblast, by regional office, and community by
/// community (reported, on time, late, missing), and the reminders sent.
pub async fn campaign(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Path(IdPath { id }): Path<IdPath>,
    Query(q): Query<CampaignQuery>,
) -> AppResult<Response> {
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let c = repo::campaign(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let reports = actions::visible_reports(&state, principal, id).await?;
    if reports.is_empty() && !principal.has_role(crate::identity::Role::Admin) {
        return Err(AppError::OutOfScope);
    }
    let snapshot = crate::registry::snapshot::current(&state).await?;
    let offices: std::collections::HashMap<i64, String> = repo::offices(&state.db)
        .await?
        .into_iter()
        .map(|(id, _, uk, en)| (id, lang.pick(uk, en)))
        .collect();
    let reminders = repo::reminders(&state.db, id).await?;
    let mut total = Completeness::default();
    let mut by_oblast: BTreeMap<String, Completeness> = BTreeMap::new();
    let mut by_office: BTreeMap<String, Completeness> = BTreeMap::new();
    let page = PageCtx::new(&ctx, "stat-campaign-title");
    let mut lines = Vec::new();
    for r in &reports {
        let status = r.status;
        let timeliness = Timeliness::of(r.first_submitted_at, c.deadline_on);
        let (name, oblast) = match snapshot.find(&r.unit_code) {
            Some(i) => (
                snapshot.node(i).title(lang),
                snapshot
                    .ancestors(i)
                    .first()
                    .map(|o| snapshot.node(*o).title(lang))
                    .unwrap_or_default(),
            ),
            None => (r.unit_code.clone(), String::new()),
        };
        let office = r
            .office_id
            .and_then(|o| offices.get(&o).cloned())
            .unwrap_or_else(|| lang.t("stat-no-office"));
        total.add(status, timeliness);
        by_oblast
            .entry(oblast.clone())
            .or_default()
            .add(status, timeliness);
        by_office
            .entry(office.clone())
            .or_default()
            .add(status, timeliness);
        lines.push(ReportLine {
            href: super::pages::report_href(lang, id, &r.unit_code),
            code: r.unit_code.clone(),
            name,
            oblast,
            office,
            status: lang.t(&format!("stat-report-{}", status.code())),
            timeliness: lang.t(&format!("stat-timeliness-{}", timeliness.code())),
            submitted: page.when_opt(&r.submitted_at),
            reminders: reminders
                .iter()
                .filter(|(u, ..)| *u == r.unit_code)
                .map(|(_, kind, n, at)| format!("{} ({kind}, {n})", page.when(at)))
                .collect::<Vec<_>>()
                .join("; "),
        });
    }
    let notice = q
        .done
        .as_deref()
        .filter(|d| ["created", "reminded", "closed"].contains(d))
        .map(|d| lang.t(&format!("stat-done-{d}")));
    let pages = lines.len().div_ceil(REPORTS_PER_PAGE).max(1);
    let page_no = q.page.unwrap_or(1).clamp(1, pages);
    let of = lines.len();
    let first = (page_no - 1) * REPORTS_PER_PAGE;
    let lines: Vec<ReportLine> = lines
        .into_iter()
        .skip(first)
        .take(REPORTS_PER_PAGE)
        .collect();
    let link = |n: usize| {
        format!(
            "/{}/statistics/campaigns/{id}?page={n}#reports",
            lang.code()
        )
    };
    let prev = (page_no > 1).then(|| link(page_no - 1));
    let next = (page_no < pages).then(|| link(page_no + 1));
    let range = (first + 1, first + lines.len(), of);
    let title = format!("{} {}", c.name(lang), c.period);
    Ok(render(&CampaignPage {
        p: page.with_title(title),
        id,
        dataset: c.name(lang).to_string(),
        period: c.period.clone(),
        deadline: c.deadline_on.format("%d.%m.%Y").to_string(),
        note: c.note.clone(),
        closed: c.closed_at.is_some(),
        total,
        groups: vec![
            (
                lang.t("stat-by-oblast"),
                lang.t("stat-oblast"),
                by_oblast.into_iter().collect(),
            ),
            (
                lang.t("stat-by-office"),
                lang.t("stat-office"),
                by_office.into_iter().collect(),
            ),
        ],
        reports: lines,
        prev,
        next,
        range,
        notice,
        is_admin: principal.has_role(crate::identity::Role::Admin),
    })?
    .into_response())
}

/// Staff ask for reminders now: queued as a job (at most one a day per community). A
/// coordinator's reach only the communities in their offices' oblasts.
pub async fn remind(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Path(IdPath { id }): Path<IdPath>,
) -> AppResult<Response> {
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    actions::request_reminders(&state, principal, &ctx.ip, id).await?;
    Ok(Redirect::to(&format!(
        "/{}/statistics/campaigns/{id}?done=reminded",
        lang.code()
    ))
    .into_response())
}

/// Closes a campaign (admins): it leaves the officials' lists; reports stay as they are.
pub async fn close(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Path(IdPath { id }): Path<IdPath>,
) -> AppResult<Response> {
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    actions::close_campaign(&state.db, principal, &ctx.ip, id).await?;
    Ok(Redirect::to(&format!(
        "/{}/statistics/campaigns/{id}?done=closed",
        lang.code()
    ))
    .into_response())
}

#[derive(Template)]
#[template(path = "statistics/locks.html")]
struct LocksPage {
    p: PageCtx,
    locks: Vec<(String, String)>,
    notice: Option<String>,
}

pub async fn locks(
    State(db): State<Db>,
    lang: Lang,
    ctx: Ctx,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    let page = PageCtx::new(&ctx, "stat-locks-title");
    let locks = repo::locks(&db)
        .await?
        .into_iter()
        .map(|(period, at)| (period, page.when(&at)))
        .collect();
    let notice = q
        .done
        .as_deref()
        .filter(|d| ["locked", "unlocked"].contains(d))
        .map(|d| lang.t(&format!("stat-done-{d}")));
    Ok(render(&LocksPage {
        p: page,
        locks,
        notice,
    })?
    .into_response())
}

#[derive(Deserialize, Default)]
pub struct LockForm {
    #[serde(default)]
    period: String,
    /// "lock" or "unlock".
    #[serde(default)]
    action: String,
}

pub async fn set_lock(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Form(form): Form<LockForm>,
) -> AppResult<Response> {
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let lock = form.action != "unlock";
    actions::set_lock(&state.db, principal, &ctx.ip, &form.period, lock).await?;
    Ok(Redirect::to(&format!(
        "/{}/statistics/locks?done={}",
        lang.code(),
        if lock { "locked" } else { "unlocked" }
    ))
    .into_response())
}
