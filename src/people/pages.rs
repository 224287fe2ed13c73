//! People's forms and the parts of their pages: the lines of posts, changing contacts and
//! verifying a contact address, the staff forms that record a post in a community and end one.
//! A person's page links to their mayor's page, which a club member has too, so it is composed
//! above the features (`crate::composed::person_page`).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::actions::{self, ContactsDraft, EmailCheck, PostDraft};
use super::repo::{self, Person};
use super::{Post, PostEnd, PostKind};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::web::extract::{Form, Path, Query};
use crate::web::page::render;
use crate::web::{Ctx, PageCtx};

/// A post as a line in a list.
pub struct PostLine {
    pub id: i64,
    pub kind: String,
    pub person: String,
    pub person_href: String,
    pub unit: String,
    pub unit_href: String,
    pub since: String,
    pub until: String,
    pub end: String,
    pub open: bool,
}

/// Lines for posts, naming people and communities in `lang`.
pub async fn post_lines(state: &AppState, posts: &[Post], lang: Lang) -> AppResult<Vec<PostLine>> {
    let snap = crate::registry::snapshot::current(state).await?;
    let ids: Vec<i64> = posts.iter().map(|p| p.person_id).collect();
    let names = repo::names(&state.db, &ids).await?;
    Ok(posts
        .iter()
        .map(|p| {
            let name = names
                .iter()
                .find(|(id, _, _)| *id == p.person_id)
                .map(|(_, uk, en)| {
                    if lang == Lang::Uk {
                        uk.clone()
                    } else {
                        en.clone()
                    }
                })
                .unwrap_or_default();
            PostLine {
                id: p.id,
                kind: lang.t(&format!("posts-kind-{}", p.kind)),
                person: name,
                person_href: format!("/{}/people/{}", lang.code(), p.person_id),
                unit: snap
                    .find(&p.unit_code)
                    .map(|i| snap.node(i).title(lang))
                    .unwrap_or_else(|| p.unit_code.clone()),
                unit_href: format!("/{}/members/{}", lang.code(), p.unit_code),
                since: p.since_on.to_string(),
                until: p.until_on.map(|d| d.to_string()).unwrap_or_default(),
                end: p
                    .end_reason
                    .as_deref()
                    .map(|r| lang.t(&format!("posts-end-{r}")))
                    .unwrap_or_default(),
                open: p.until_on.is_none(),
            }
        })
        .collect())
}

/// The choices of the post forms: kinds and endings with their labels.
pub fn kinds(lang: Lang) -> Vec<(&'static str, String)> {
    PostKind::ALL
        .iter()
        .map(|k| (k.code(), lang.t(&format!("posts-kind-{}", k.code()))))
        .collect()
}

pub fn endings(lang: Lang) -> Vec<(&'static str, String)> {
    PostEnd::ALL
        .iter()
        .map(|e| (e.code(), lang.t(&format!("posts-end-{}", e.code()))))
        .collect()
}

#[derive(Deserialize)]
pub struct IdPath {
    id: i64,
}

/// Whether the visitor may change the person's contacts: the person themself or an admin, past
/// the second factor.
pub fn can_edit_person(ctx: &Ctx, person: &Person) -> bool {
    ctx.principal
        .as_ref()
        .is_some_and(|p| actions::may_change_person(p, person))
}

#[derive(Deserialize, Default)]
pub struct ContactsForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email_public: Option<String>,
    #[serde(default)]
    phone_public: Option<String>,
}

/// The person (or an admin) changes their contacts and what is public.
pub async fn update_contacts(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<IdPath>,
    Form(form): Form<ContactsForm>,
) -> AppResult<Response> {
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let draft = ContactsDraft {
        email: form.email,
        phone: form.phone,
        is_email_public: form.email_public.is_some(),
        is_phone_public: form.phone_public.is_some(),
    };
    let (person, check) =
        actions::change_contacts(&state, principal, &ctx.ip, path.id, &draft, lang).await?;
    let done = match check {
        EmailCheck::Mailed => "contacts-mailed",
        _ => "contacts",
    };
    Ok(Redirect::to(&format!(
        "/{}/people/{}?done={done}",
        lang.code(),
        person.id
    ))
    .into_response())
}

#[derive(Deserialize, Default)]
pub struct VerifyQuery {
    #[serde(default)]
    token: String,
}

#[derive(Template)]
#[template(path = "people/verify_email.html")]
struct VerifyPage {
    p: PageCtx,
    token: String,
    /// The person the address would belong to, and the address; `None` for a dead link.
    target: Option<(String, String)>,
}

/// The page a contact address's link opens: whose address it would become, and a button. A
/// button, not the link itself, confirms: mail scanners open links without anyone reading.
pub async fn verify_email_form(
    State(db): State<Db>,
    lang: Lang,
    ctx: Ctx,
    Query(q): Query<VerifyQuery>,
) -> AppResult<Response> {
    let mut target = None;
    if q.token.len() <= 200
        && let Some((person_id, email)) = repo::peek_email_token(
            &db,
            &crate::secrets::secret_hash(&q.token),
            crate::clock::now(),
        )
        .await?
        && let Some(person) = repo::person(&db, person_id).await?
    {
        target = Some((person.name_in(lang).to_string(), email));
    }
    let status = if target.is_some() {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    let page = VerifyPage {
        p: PageCtx::new(&ctx, "people-verify-title"),
        token: q.token,
        target,
    };
    Ok((status, render(&page)?).into_response())
}

#[derive(Deserialize, Default)]
pub struct VerifyForm {
    #[serde(default)]
    token: String,
}

/// The owner of the address confirms it.
pub async fn verify_email(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Form(form): Form<VerifyForm>,
) -> AppResult<Response> {
    let id = actions::verify_email(&state.db, &form.token, &ctx.ip).await?;
    Ok(Redirect::to(&format!(
        "/{}/people/email/verified?person={id}",
        lang.code()
    ))
    .into_response())
}

#[derive(Deserialize, Default)]
pub struct VerifiedQuery {
    #[serde(default)]
    person: Option<i64>,
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage {
    p: PageCtx,
    text: String,
    link: String,
    link_label: String,
}

/// Says the address is verified.
pub async fn email_verified(
    lang: Lang,
    ctx: Ctx,
    Query(q): Query<VerifiedQuery>,
) -> AppResult<Response> {
    let (link, link_label) = match q.person {
        Some(id) => (
            format!("/{}/people/{id}", lang.code()),
            lang.t("people-verify-back"),
        ),
        None => (format!("/{}/", lang.code()), lang.t("people-verify-home")),
    };
    Ok(render(&MessagePage {
        p: PageCtx::new(&ctx, "people-verify-title"),
        text: lang.t("people-verify-done"),
        link,
        link_label,
    })?
    .into_response())
}

#[derive(Deserialize)]
pub struct CodePath {
    code: crate::registry::UnitCode,
}

/// Staff record a post in a community (a new head takes over from the current one).
pub async fn add_post(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<CodePath>,
    Form(draft): Form<PostDraft>,
) -> AppResult<Response> {
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let snap = crate::registry::snapshot::current(&state).await?;
    actions::record_post(&state.db, &snap, principal, &ctx.ip, &path.code, &draft).await?;
    Ok(Redirect::to(&format!("/{}/members/{}?done=post", lang.code(), path.code)).into_response())
}

#[derive(Deserialize, Default)]
pub struct EndPostForm {
    #[serde(default)]
    until: String,
    #[serde(default)]
    reason: String,
}

/// Staff end a post (term ended, resigned, dismissed, captured, killed, died).
pub async fn end_post(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<IdPath>,
    Form(form): Form<EndPostForm>,
) -> AppResult<Response> {
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let snap = crate::registry::snapshot::current(&state).await?;
    let (until, reason) = (&form.until, &form.reason);
    let post =
        actions::end_post(&state.db, &snap, principal, &ctx.ip, path.id, until, reason).await?;
    let code = post.unit_code;
    Ok(Redirect::to(&format!("/{}/members/{code}?done=post", lang.code())).into_response())
}
