//! People's forms and the parts of their pages: the lines of posts, changing contacts and
//! verifying a contact address, the staff forms that record a post in a community and end one.
//! A person's page links to their mayor's page, which a club member has too, so it is composed
//! above the features (`crate::composed::person_page`).

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;

use axum::http::StatusCode;

use super::actions::{self, AddPost, EmailCheck, Holder, PostError};
use super::repo::{self, Contacts, Person};
use super::{Post, PostEnd, PostKind};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::web::extract::{Form, Query};
use crate::web::page::render;
use crate::web::{AppState, Ctx, PageCtx};

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
    let snap = state.registry.get(&state.db).await?;
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
    ctx.principal.as_ref().is_some_and(|p| {
        p.second_factor_ok()
            && (p.has_role(crate::auth::Role::Admin) || person.user_id == Some(p.user.id))
    })
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
    let person = repo::person(&state.db, path.id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !can_edit_person(&ctx, &person) {
        return Err(AppError::OutOfScope);
    }
    let email = match form.email.trim() {
        "" => String::new(),
        raw => crate::auth::parse_email(raw).map_err(|key| AppError::field("email", key))?,
    };
    let phone = form.phone.trim();
    if phone.chars().count() > 50 {
        return Err(AppError::field("phone", "offices-error-long"));
    }
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let actor = crate::auth::Actor::of(principal, &ctx.ip);
    let contacts = Contacts {
        email: &email,
        phone,
        is_email_public: form.email_public.is_some(),
        is_phone_public: form.phone_public.is_some(),
    };
    let check = actions::update_contacts(&state, &actor, &person, &contacts, lang)
        .await
        .map_err(post_error)?;
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
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Query(q): Query<VerifyQuery>,
) -> AppResult<Response> {
    let mut target = None;
    if q.token.len() <= 200
        && let Some((person_id, email)) = repo::peek_email_token(
            &state.db,
            &crate::auth::secret_hash(&q.token),
            crate::auth::now(),
        )
        .await?
        && let Some(person) = repo::person(&state.db, person_id).await?
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
    if form.token.len() > 200 {
        return Err(AppError::Conflict("people-verify-dead"));
    }
    match actions::verify_email(&state, &form.token, &ctx.ip)
        .await
        .map_err(post_error)?
    {
        Some(id) => Ok(Redirect::to(&format!(
            "/{}/people/email/verified?person={id}",
            lang.code()
        ))
        .into_response()),
        None => Err(AppError::Conflict("people-verify-dead")),
    }
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

fn post_error(e: PostError) -> AppError {
    match e {
        PostError::Problem(p) => AppError::field("since", p.key()),
        PostError::NotFound => AppError::NotFound,
        PostError::Db(e) => e.into(),
        PostError::App(e) => e,
    }
}

#[derive(Deserialize)]
pub struct CodePath {
    code: String,
}

#[derive(Deserialize, Default)]
pub struct PostForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name_uk: String,
    #[serde(default)]
    person_id: String,
    #[serde(default)]
    since: String,
    #[serde(default)]
    until: String,
    #[serde(default)]
    end_reason: String,
    #[serde(default)]
    previous_end: String,
}

fn day(raw: &str, field: &str) -> AppResult<Option<NaiveDate>> {
    match raw.trim() {
        "" => Ok(None),
        s => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| AppError::field(field, "error-date")),
    }
}

/// Staff record a post in a community (a new head takes over from the current one).
pub async fn add_post(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<CodePath>,
    Form(form): Form<PostForm>,
) -> AppResult<Response> {
    let principal = ctx.principal.clone().ok_or(AppError::LoginRequired)?;
    let snap = state.registry.get(&state.db).await?;
    if !actions::may_edit(&state.db, &snap, &principal, &path.code).await? {
        return Err(AppError::OutOfScope);
    }
    let kind = PostKind::parse(&form.kind).ok_or(AppError::field("kind", "posts-error-kind"))?;
    let since = day(&form.since, "since")?.ok_or(AppError::field("since", "error-date"))?;
    let until = day(&form.until, "until")?;
    let end_reason = match (until, form.end_reason.as_str()) {
        (None, _) => None,
        (Some(_), code) => {
            Some(PostEnd::parse(code).ok_or(AppError::field("end_reason", "posts-error-end"))?)
        }
    };
    let previous_end = match form.previous_end.as_str() {
        "" => PostEnd::TermEnded,
        code => PostEnd::parse(code).ok_or(AppError::field("previous_end", "posts-error-end"))?,
    };
    let name = form.name_uk.trim();
    let holder = match (form.person_id.trim(), name) {
        ("", "") => return Err(AppError::field("name_uk", "posts-error-person")),
        ("", name) if name.chars().count() <= 200 => Holder::New { name_uk: name },
        ("", _) => return Err(AppError::field("name_uk", "posts-error-person")),
        (id, _) => Holder::Existing(
            id.parse()
                .map_err(|_| AppError::field("person_id", "posts-error-person"))?,
        ),
    };
    let actor = crate::auth::Actor::of(&principal, &ctx.ip);
    let add = AddPost {
        code: &path.code,
        holder,
        kind,
        since,
        until,
        end_reason,
        previous_end,
    };
    actions::add_post(&state.db, &actor, &snap, &add)
        .await
        .map_err(post_error)?;
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
    let principal = ctx.principal.clone().ok_or(AppError::LoginRequired)?;
    let until = day(&form.until, "until")?.ok_or(AppError::field("until", "error-date"))?;
    let reason =
        PostEnd::parse(&form.reason).ok_or(AppError::field("reason", "posts-error-end"))?;
    let code = repo::post_by_id(&state.db, path.id)
        .await?
        .ok_or(AppError::NotFound)?
        .unit_code;
    let snap = state.registry.get(&state.db).await?;
    if !actions::may_edit(&state.db, &snap, &principal, &code).await? {
        return Err(AppError::OutOfScope);
    }
    let actor = crate::auth::Actor::of(&principal, &ctx.ip);
    actions::end_post(&state.db, &actor, path.id, until, reason)
        .await
        .map_err(post_error)?;
    Ok(Redirect::to(&format!("/{}/members/{code}?done=post", lang.code())).into_response())
}
