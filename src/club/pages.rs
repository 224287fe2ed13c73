//! The Mayors' Club's public pages: the application form, and the page where an applicant
//! follows their application through the secret link the acknowledgement mail carries.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::actions::ApplyError;
use super::{Draft, Status, repo};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::secrets::secret_hash;
use crate::state::AppState;
use crate::web::extract::{Form, Query};
use crate::web::page::DoneQuery;
use crate::web::page::render;
use crate::web::{Ctx, PageCtx};

#[derive(Template)]
#[template(path = "club/apply.html")]
struct ApplyPage {
    p: PageCtx,
    draft: Draft,
    errors: Vec<(String, String)>,
    /// Communities that match the name typed: (code, title).
    candidates: Vec<(String, String)>,
}

pub async fn apply_form(lang: Lang, ctx: Ctx) -> AppResult<Response> {
    let draft = Draft {
        lang: lang.code().to_string(),
        ..Draft::default()
    };
    Ok(render(&ApplyPage {
        p: PageCtx::new(&ctx, "club-apply-title"),
        draft,
        errors: Vec::new(),
        candidates: Vec::new(),
    })?
    .into_response())
}

#[derive(Deserialize, Default)]
pub struct ApplyForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    community: String,
    #[serde(default)]
    term_since: String,
    #[serde(default)]
    term_until: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    motivation: String,
    #[serde(default)]
    lang: String,
    #[serde(default)]
    listed: Option<String>,
}

/// Sound applications taken from one client address (an IPv6 /64) in the rate-limit window
/// (15 minutes): enough for a regional office sending in several mayors' forms, too few for a
/// flood. Each is counted before it is handled, so concurrent requests cannot slip past the
/// limit; a form refused for its mistakes is given back.
pub const APPLICATIONS_PER_ADDRESS: u32 = 5;

/// A current or former head applies; nothing typed is lost when the form comes back.
pub async fn apply(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Form(form): Form<ApplyForm>,
) -> AppResult<Response> {
    let draft = Draft {
        name: form.name,
        community: form.community,
        term_since: form.term_since,
        term_until: form.term_until,
        email: form.email,
        phone: form.phone,
        motivation: form.motivation,
        lang: form.lang,
        listed: form.listed.is_some(),
    };
    let address_key = format!("club:address:{}", ctx.ip);
    crate::auth::actions::take(&state.db, &address_key, APPLICATIONS_PER_ADDRESS).await?;
    match super::actions::apply(&state, &ctx.ip, &draft).await {
        // The same answer whatever the address's state; the status link goes by mail only.
        Ok(()) => Ok(Redirect::to(&format!("/{}/club/apply/sent", lang.code())).into_response()),
        Err(ApplyError::Refused(r)) => {
            // A form with mistakes sends no mail: it does not use up the address's allowance.
            crate::auth::actions::give_back(&state.db, &address_key).await?;
            let snap = crate::registry::snapshot::current(&state).await?;
            let page = ApplyPage {
                p: PageCtx::new(&ctx, "club-apply-title"),
                errors: r
                    .errors
                    .into_iter()
                    .map(|(field, key)| (field, lang.t(&key)))
                    .collect(),
                candidates: r
                    .candidates
                    .into_iter()
                    .map(|i| (snap.node(i).code.clone(), snap.node(i).title(lang)))
                    .collect(),
                draft,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
        }
        Err(ApplyError::App(e)) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage {
    p: PageCtx,
    text: String,
    link: String,
    link_label: String,
}

/// After a sound application: the same page whatever the address's state.
pub async fn apply_sent(lang: Lang, ctx: Ctx) -> AppResult<Response> {
    Ok(render(&MessagePage {
        p: PageCtx::new(&ctx, "club-apply-title"),
        text: lang.t("club-apply-sent"),
        link: format!("/{}/club", lang.code()),
        link_label: lang.t("club-title"),
    })?
    .into_response())
}

#[derive(Deserialize, Default)]
pub struct LinkQuery {
    #[serde(default)]
    token: String,
}

#[derive(Template)]
#[template(path = "club/link.html")]
struct LinkPage {
    p: PageCtx,
    token: String,
    /// (the new member's name, the community, the record's name, the applicant's address, the
    /// application's date); `None` for a dead link.
    request: Option<(String, String, String, String, String)>,
}

/// The page the owner of a record reaches from the mail: who was accepted, which record, and a
/// button (mail scanners open links; only a person presses buttons).
pub async fn link_form(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Query(q): Query<LinkQuery>,
) -> AppResult<Response> {
    let mut request = None;
    if q.token.len() <= 200
        && let Some(r) =
            repo::peek_link_request(&state.db, &secret_hash(&q.token), crate::clock::now()).await?
        && let Some(a) = repo::application(&state.db, r.application_id).await?
        && let Some(person) = crate::people::repo::person(&state.db, r.person_id).await?
    {
        let snap = crate::registry::snapshot::current(&state).await?;
        let community = snap
            .find(&a.community_code)
            .map(|i| snap.node(i).title(lang))
            .unwrap_or_else(|| a.community_code.clone());
        let name = person.name_in(lang).to_string();
        let p = PageCtx::new(&ctx, "club-link-title");
        request = Some((a.name, community, name, a.email, p.when(&a.created_at)));
    }
    let status = if request.is_some() {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    let page = LinkPage {
        p: PageCtx::new(&ctx, "club-link-title"),
        token: q.token,
        request,
    };
    Ok((status, render(&page)?).into_response())
}

#[derive(Deserialize, Default)]
pub struct LinkForm {
    #[serde(default)]
    token: String,
}

/// The owner confirms: the membership moves to their record.
pub async fn confirm_link(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Form(form): Form<LinkForm>,
) -> AppResult<Response> {
    let id = super::actions::confirm_link(&state.db, &form.token, &ctx.ip).await?;
    Ok(Redirect::to(&format!("/{}/people/{id}", lang.code())).into_response())
}

#[derive(Deserialize)]
pub struct TokenPath {
    token: String,
}

#[derive(Template)]
#[template(path = "club/application.html")]
struct ApplicationPage {
    p: PageCtx,
    a: repo::ApplicationRow,
    community: String,
    status: String,
    notice: Option<String>,
    steps: Vec<Step>,
    /// The committee waits for an answer.
    asked: bool,
    token: String,
}

/// A decision or an answer, as the applicant and the committee see it.
pub struct Step {
    pub title: String,
    pub body: String,
    pub when: String,
}

pub fn step_lines(page: &PageCtx, lang: Lang, steps: Vec<repo::StepRow>) -> Vec<Step> {
    steps
        .into_iter()
        .map(|s| Step {
            title: lang.t(&format!("club-step-{}", s.kind)),
            when: page.when(&s.created_at),
            body: s.body,
        })
        .collect()
}

/// The applicant's view of their application, through the secret link.
pub async fn application(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<TokenPath>,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    if path.token.len() > 200 {
        return Err(AppError::NotFound);
    }
    let a = repo::by_token_hash(&state.db, &secret_hash(&path.token))
        .await?
        .ok_or(AppError::NotFound)?;
    let snap = crate::registry::snapshot::current(&state).await?;
    let community = snap
        .find(&a.community_code)
        .map(|i| snap.node(i).title(lang))
        .unwrap_or_else(|| a.community_code.clone());
    let status = lang.t(&format!("club-status-{}", a.status));
    let page = PageCtx::new(&ctx, "club-application-title");
    let steps = step_lines(&page, lang, repo::steps(&state.db, a.id).await?);
    Ok(render(&ApplicationPage {
        notice: match q.done.as_deref() {
            Some("submitted") => Some(lang.t("club-submitted")),
            Some("answered") => Some(lang.t("club-answered")),
            _ => None,
        },
        asked: a.status == Status::MoreInfo,
        token: path.token,
        p: page,
        community,
        status,
        steps,
        a,
    })?
    .into_response())
}

#[derive(Deserialize, Default)]
pub struct AnswerForm {
    #[serde(default)]
    answer: String,
}

/// The applicant answers the committee's questions.
pub async fn answer(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<TokenPath>,
    Form(form): Form<AnswerForm>,
) -> AppResult<Response> {
    super::actions::answer(&state.db, &ctx.ip, &path.token, &form.answer).await?;
    Ok(Redirect::to(&format!(
        "/{}/club/applications/{}?done=answered",
        lang.code(),
        path.token
    ))
    .into_response())
}
