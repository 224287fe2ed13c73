//! The committee's pages: every application with its review count, and one application with
//! the members' reviews and the form to give (or change) one's own.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{Recommendation, Status, actions, is_open, repo};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::web::extract::{Form, Query};
use crate::web::page::DoneQuery;
use crate::web::page::render;
use crate::web::{Ctx, PageCtx};
use crate::work::Actor;

pub struct Line {
    pub id: i64,
    pub name: String,
    pub community: String,
    pub status: String,
    pub reviews: i64,
    pub created: String,
}

#[derive(Template)]
#[template(path = "club/review_list.html")]
struct ListPage {
    p: PageCtx,
    lines: Vec<Line>,
}

fn status_label(lang: Lang, status: Status) -> String {
    lang.t(&format!("club-status-{status}"))
}

pub async fn list(State(state): State<AppState>, lang: Lang, ctx: Ctx) -> AppResult<Response> {
    let snap = crate::registry::snapshot::current(&state).await?;
    let page = PageCtx::new(&ctx, "club-review-title");
    let lines = repo::applications(&state.db)
        .await?
        .into_iter()
        .map(|(a, reviews)| Line {
            id: a.id,
            community: snap
                .find(&a.community_code)
                .map(|i| snap.node(i).title(lang))
                .unwrap_or_else(|| a.community_code.clone()),
            status: status_label(lang, a.status),
            created: page.when(&a.created_at),
            name: a.name,
            reviews,
        })
        .collect();
    Ok(render(&ListPage { p: page, lines })?.into_response())
}

#[derive(Deserialize)]
pub struct IdPath {
    id: i64,
}

pub struct ReviewLine {
    pub reviewer: String,
    pub recommendation: String,
    pub comment: String,
    pub when: String,
}

#[derive(Template)]
#[template(path = "club/review.html")]
struct ReviewPage {
    p: PageCtx,
    a: repo::ApplicationRow,
    community: String,
    status: String,
    reviews: Vec<ReviewLine>,
    open: bool,
    choices: Vec<(&'static str, String)>,
    notice: Option<String>,
    steps: Vec<super::pages::Step>,
    /// Reviews given and reviews needed before the chair decides.
    quorum_line: String,
    quorum_met: bool,
    is_chair: bool,
    /// Heads of the community with the applicant's name (and the one confirmed, if any).
    matches: Vec<MatchLine>,
    /// A record owner's confirmation request is still waiting: the committee may cancel it.
    pending_link: bool,
}

/// A person on record who may be the applicant, for the committee to confirm or not.
pub struct MatchLine {
    pub id: i64,
    pub name: String,
    pub href: String,
    /// The record has an account or a verified address: its owner must confirm too.
    pub has_owner: bool,
    pub confirmed: bool,
}

/// Possible matches for an application: same-name heads of its community, and the confirmed one.
pub async fn match_lines(
    db: &Db,
    lang: Lang,
    a: &repo::ApplicationRow,
) -> AppResult<Vec<MatchLine>> {
    let mut heads = repo::heads_named(db, &a.community_code, &a.name).await?;
    if let Some(id) = a.match_person_id
        && !heads.iter().any(|h| h.id == id)
    {
        heads.extend(
            repo::heads_of(db, &a.community_code)
                .await?
                .into_iter()
                .filter(|h| h.id == id),
        );
    }
    Ok(heads
        .into_iter()
        .map(|h| MatchLine {
            href: format!("/{}/people/{}", lang.code(), h.id),
            name: match lang {
                Lang::En if !h.name_en.is_empty() => h.name_en,
                _ => h.name_uk,
            },
            has_owner: h.user_id.is_some() || h.email_verified_at.is_some(),
            confirmed: a.match_person_id == Some(h.id),
            id: h.id,
        })
        .collect())
}

pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<IdPath>,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    let a = repo::application(&state.db, path.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let snap = crate::registry::snapshot::current(&state).await?;
    let page = PageCtx::new(&ctx, "club-review-title").with_title(a.name.clone());
    let reviews = repo::reviews(&state.db, a.id)
        .await?
        .into_iter()
        .map(|r| ReviewLine {
            recommendation: lang.t(&format!("club-recommend-{}", r.recommendation)),
            when: page.when(&r.created_at),
            reviewer: r.reviewer,
            comment: r.comment,
        })
        .collect::<Vec<_>>();
    let count = reviews.len() as i64;
    let quorum = actions::quorum(&state.db).await?;
    let steps = super::pages::step_lines(&page, lang, repo::steps(&state.db, a.id).await?);
    let is_chair = ctx
        .principal
        .as_ref()
        .is_some_and(|p| p.has_role(crate::identity::Role::ClubChair));
    let matches = match_lines(&state.db, lang, &a).await?;
    let pending_link = repo::has_pending_link(&state.db, a.id, crate::clock::now()).await?;
    Ok(render(&ReviewPage {
        matches,
        pending_link,
        quorum_line: lang.t_args(
            "club-quorum-line",
            &[
                ("count", crate::i18n::Arg::Num(count)),
                ("number", crate::i18n::Arg::Num(quorum)),
            ],
        ),
        quorum_met: count >= quorum,
        is_chair,
        steps,
        community: snap
            .find(&a.community_code)
            .map(|i| snap.node(i).title(lang))
            .unwrap_or_else(|| a.community_code.clone()),
        status: status_label(lang, a.status),
        open: is_open(a.status),
        choices: Recommendation::ALL
            .iter()
            .map(|r| (r.code(), lang.t(&format!("club-recommend-{}", r.code()))))
            .collect(),
        notice: match q.done.as_deref() {
            Some("reviewed") => Some(lang.t("club-reviewed")),
            Some("decided") => Some(lang.t("club-decided")),
            Some("matched") => Some(lang.t("club-matched")),
            Some("link_cancelled") => Some(lang.t("club-link-cancelled")),
            _ => None,
        },
        p: page,
        reviews,
        a,
    })?
    .into_response())
}

#[derive(Deserialize, Default)]
pub struct ReviewForm {
    /// Absent when no choice was made (an unknown one is refused by the extractor).
    #[serde(default)]
    recommendation: Option<Recommendation>,
    #[serde(default)]
    comment: String,
}

/// A committee member gives (or changes) their review of an open application.
pub async fn review(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<IdPath>,
    Form(form): Form<ReviewForm>,
) -> AppResult<Response> {
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let recommendation = form.recommendation.ok_or(AppError::field(
        "recommendation",
        "club-error-recommendation",
    ))?;
    actions::review(
        &state.db,
        principal,
        &ctx.ip,
        path.id,
        recommendation,
        &form.comment,
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/{}/club/review/{}?done=reviewed",
        lang.code(),
        path.id
    ))
    .into_response())
}

#[derive(Deserialize, Default)]
pub struct MatchForm {
    /// The person's id, or empty to withdraw the confirmation.
    #[serde(default)]
    person: String,
    /// Set (by the cancel button) to cancel the owner's confirmation request still waiting.
    #[serde(default)]
    cancel: String,
}

/// A committee member confirms that the applicant is a person on record (or withdraws that).
pub async fn confirm_match(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<IdPath>,
    Form(form): Form<MatchForm>,
) -> AppResult<Response> {
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    if !form.cancel.is_empty() {
        actions::cancel_link(&state.db, principal, &ctx.ip, path.id).await?;
        return Ok(Redirect::to(&format!(
            "/{}/club/review/{}?done=link_cancelled",
            lang.code(),
            path.id
        ))
        .into_response());
    }
    let person = match form.person.trim() {
        "" => None,
        raw => Some(
            raw.parse::<i64>()
                .map_err(|_| AppError::field("person", "club-error-match"))?,
        ),
    };
    actions::confirm_match(&state.db, principal, &ctx.ip, path.id, person).await?;
    Ok(Redirect::to(&format!(
        "/{}/club/review/{}?done=matched",
        lang.code(),
        path.id
    ))
    .into_response())
}

#[derive(Deserialize, Default)]
pub struct DecisionForm {
    /// Absent when no choice was made (an unknown one is refused by the extractor).
    #[serde(default)]
    decision: Option<Recommendation>,
    #[serde(default)]
    note: String,
}

/// The chair records the decision; the letter goes to the applicant.
pub async fn decide(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<IdPath>,
    Form(form): Form<DecisionForm>,
) -> AppResult<Response> {
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let decision = form
        .decision
        .ok_or(AppError::field("decision", "club-error-recommendation"))?;
    actions::decide(&state, principal, &ctx.ip, path.id, decision, &form.note).await?;
    Ok(Redirect::to(&format!(
        "/{}/club/review/{}?done=decided",
        lang.code(),
        path.id
    ))
    .into_response())
}

#[derive(Template)]
#[template(path = "club/settings.html")]
struct SettingsPage {
    p: PageCtx,
    quorum: String,
    errors: Vec<(String, String)>,
    notice: Option<String>,
}

/// Admins set the committee's quorum.
pub async fn settings(
    State(db): State<Db>,
    lang: Lang,
    ctx: Ctx,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    let quorum = actions::quorum(&db).await?;
    Ok(render(&SettingsPage {
        p: PageCtx::new(&ctx, "club-settings-title"),
        quorum: quorum.to_string(),
        errors: Vec::new(),
        notice: (q.done.as_deref() == Some("saved")).then(|| lang.t("club-settings-saved")),
    })?
    .into_response())
}

#[derive(Deserialize, Default)]
pub struct SettingsForm {
    #[serde(default)]
    quorum: String,
}

pub async fn save_settings(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    actor: Actor,
    Form(form): Form<SettingsForm>,
) -> AppResult<Response> {
    match actions::set_quorum(&state.db, &actor, &form.quorum).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/{}/admin/club?done=saved", lang.code())).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let page = SettingsPage {
                p: PageCtx::new(&ctx, "club-settings-title"),
                quorum: form.quorum,
                errors: errors.into_iter().map(|(f, k)| (f, lang.t(&k))).collect(),
                notice: None,
            };
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
        }
        Err(e) => Err(e),
    }
}
