//! One member's page: the community's membership history with the staff forms to join,
//! suspend, leave and rejoin (members), and the posts of its people with their forms (people,
//! which stands on members: who may record posts follows the regional offices).

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;

use crate::error::{AppError, AppResult};
use crate::i18n::{Arg, Lang};
use crate::members::EndReason;
use crate::members::actions::{self, EndDraft, JoinDraft};
use crate::members::pages::office_name;
use crate::members::repo::{self, Office};
use crate::registry::UnitCode;
use crate::registry::snapshot::Snapshot;
use crate::state::AppState;
use crate::web::extract::{Form, Path, Query};
use crate::web::page::DoneQuery;
use crate::web::page::render;
use crate::web::{Ctx, PageCtx};

#[derive(Deserialize)]
pub struct CodePath {
    code: UnitCode,
}

pub struct PeriodLine {
    pub since: String,
    pub decision: String,
    pub until: String,
    pub end: String,
    pub office: String,
}

#[derive(Template)]
#[template(path = "members/member.html")]
struct MemberPage {
    p: PageCtx,
    code: String,
    unit_href: String,
    member_now: bool,
    periods: Vec<PeriodLine>,
    offices: Vec<(String, String)>,
    default_office: String,
    reasons: Vec<(&'static str, String)>,
    can_manage: bool,
    errors: Vec<(String, String)>,
    notice: Option<String>,
    today: String,
    /// The head in office now, and every post in the community, newest first.
    head: Option<crate::people::pages::PostLine>,
    posts: Vec<crate::people::pages::PostLine>,
    can_edit_posts: bool,
    post_kinds: Vec<(&'static str, String)>,
    post_endings: Vec<(&'static str, String)>,
}

/// The office that covers the unit's oblast, if any.
fn office_for(
    snap: &Snapshot,
    i: usize,
    office_oblasts: &[(String, i64)],
    offices: &[Office],
) -> Option<Office> {
    let top = snap.ancestors(i).first().copied().unwrap_or(i);
    let code = &snap.node(top).code;
    let id = office_oblasts
        .iter()
        .find(|(c, _)| c == code)
        .map(|(_, id)| *id)?;
    offices.iter().find(|o| o.id == id).cloned()
}

async fn member_page(
    state: &AppState,
    ctx: &Ctx,
    code: &UnitCode,
    errors: Vec<(String, String)>,
    notice: Option<String>,
    status: StatusCode,
) -> AppResult<Response> {
    let lang = ctx.lang;
    let code = code.as_str();
    let snap = crate::registry::snapshot::current(state).await?;
    let i = snap
        .find(code)
        .filter(|&i| crate::members::can_be_member(snap.node(i).category))
        .ok_or(AppError::NotFound)?;
    let offices = repo::offices(&state.db).await?;
    let periods = repo::periods_of_unit(&state.db, code).await?;
    let by_id: HashMap<i64, &Office> = offices.iter().map(|o| (o.id, o)).collect();
    let decision = |number: &str, on: Option<NaiveDate>| match (number.is_empty(), on) {
        (true, None) => String::new(),
        (_, on) => lang.t_args(
            "members-decision",
            &[
                ("number", Arg::Str(number)),
                (
                    "date",
                    Arg::Str(&on.map(|d| d.to_string()).unwrap_or_default()),
                ),
            ],
        ),
    };
    let lines = periods
        .iter()
        .rev()
        .map(|p| PeriodLine {
            since: p.since_on.to_string(),
            decision: decision(&p.decision_number, p.decision_on),
            until: p.until_on.map(|d| d.to_string()).unwrap_or_default(),
            end: match p.end_reason.as_deref() {
                Some(r) => format!(
                    "{} {}",
                    lang.t(&format!("members-end-{r}")),
                    decision(&p.end_decision_number, p.end_decision_on)
                )
                .trim()
                .to_string(),
                None => String::new(),
            },
            office: by_id
                .get(&p.office_id)
                .map(|o| office_name(o, lang).to_string())
                .unwrap_or_default(),
        })
        .collect();
    let office_oblasts = repo::office_oblasts(&state.db).await?;
    let default_office = office_for(&snap, i, &office_oblasts, &offices)
        .map(|o| o.slug)
        .unwrap_or_default();
    // Only the offices that cover the community's oblast, and of those the ones the visitor
    // manages: a coordinator from elsewhere sees no forms.
    let oblast = crate::members::oblast_of(&snap, i);
    let manageable: Vec<&Office> = match ctx.principal.as_ref() {
        Some(p) if p.second_factor_ok() => offices
            .iter()
            .filter(|o| actions::may_manage(p, o))
            .filter(|o| {
                office_oblasts
                    .iter()
                    .any(|(c, id)| *id == o.id && c == oblast)
            })
            .collect(),
        _ => Vec::new(),
    };
    let node = snap.node(i);
    let posts = crate::people::repo::posts_of_unit(&state.db, code).await?;
    let mut posts = crate::people::pages::post_lines(state, &posts, lang).await?;
    let head = posts
        .iter()
        .position(|p| p.open && p.kind == lang.t("posts-kind-head"))
        .map(|at| posts.remove(at));
    let can_edit_posts = match ctx.principal.as_ref() {
        Some(p) if p.second_factor_ok() => {
            crate::people::actions::may_edit(&state.db, &snap, p, code).await?
        }
        _ => false,
    };
    let page = MemberPage {
        head,
        posts,
        can_edit_posts,
        post_kinds: crate::people::pages::kinds(lang),
        post_endings: crate::people::pages::endings(lang),
        p: PageCtx::new(ctx, "members-title").with_title(node.title(lang)),
        code: code.to_string(),
        unit_href: format!("/{}/units/{code}", lang.code()),
        member_now: periods.iter().any(|p| p.until_on.is_none()),
        periods: lines,
        offices: manageable
            .iter()
            .map(|o| (o.slug.clone(), office_name(o, lang).to_string()))
            .collect(),
        default_office,
        reasons: EndReason::ALL
            .iter()
            .map(|r| (r.code(), lang.t(&format!("members-end-{}", r.code()))))
            .collect(),
        can_manage: !manageable.is_empty(),
        errors,
        notice,
        today: crate::clock::today().to_string(),
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn member(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<CodePath>,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    let notice = q
        .done
        .as_deref()
        .filter(|d| ["joined", "ended", "post"].contains(d))
        .map(|d| lang.t(&format!("members-done-{d}")));
    member_page(&state, &ctx, &path.code, Vec::new(), notice, StatusCode::OK).await
}

/// Staff record that a community joins (or rejoins) the association.
pub async fn join(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(path): Path<CodePath>,
    Form(draft): Form<JoinDraft>,
) -> AppResult<Response> {
    let p = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let snap = crate::registry::snapshot::current(&state).await?;
    let ip = &ctx.ip;
    let result = actions::join_community(&state.db, &snap, p, ip, &path.code, &draft).await;
    outcome(&state, &ctx, &path.code, result.map(|_| ()), "joined").await
}

/// After a membership change: back to the member page with a notice, or the page again with
/// what does not fit and the rules it broke.
async fn outcome(
    state: &AppState,
    ctx: &Ctx,
    code: &UnitCode,
    result: AppResult<()>,
    done: &str,
) -> AppResult<Response> {
    match result {
        Ok(()) => {
            let to = format!("/{}/members/{code}?done={done}", ctx.lang.code());
            Ok(Redirect::to(&to).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let lang = ctx.lang;
            let errors = errors.into_iter().map(|(f, k)| (f, lang.t(&k))).collect();
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            member_page(state, ctx, code, errors, None, status).await
        }
        Err(e) => Err(e),
    }
}

/// Staff record that a member suspends its membership or leaves.
pub async fn end(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(path): Path<CodePath>,
    Form(draft): Form<EndDraft>,
) -> AppResult<Response> {
    let p = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let snap = crate::registry::snapshot::current(&state).await?;
    let ip = &ctx.ip;
    let result = actions::end_membership(&state.db, &snap, p, ip, &path.code, &draft).await;
    outcome(&state, &ctx, &path.code, result, "ended").await
}
