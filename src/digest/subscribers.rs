//! Subscribing to the digest with double opt-in: the form asks for an address, a language and
//! (if wanted) sectors; the mailed link leads to a page whose button confirms (a mail scanner
//! following the link confirms nothing); a secret link, the same in every mail, opens the
//! preferences page (asking again never changes it); one POST to
//! `/unsubscribe/{secret}` unsubscribes (RFC 8058 one-click, so it needs no CSRF token: the
//! secret in the address is the proof). The answer to the form never says whether an address
//! was subscribed already.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::repo;
use super::subscription;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::web::extract::{Form, Query};
use crate::web::page::DoneQuery;
use crate::web::page::render;
use crate::web::{Ctx, PageCtx};

/// The sectors a form chose (its `sectors` fields).
fn chosen(pairs: &[(String, String)]) -> Vec<String> {
    pairs
        .iter()
        .filter(|(k, _)| k == "sectors")
        .map(|(_, v)| v.clone())
        .collect()
}

fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

#[derive(Template)]
#[template(path = "digest/message.html")]
struct MessagePage {
    p: PageCtx,
    message: String,
}

fn message(ctx: &Ctx, title: &str, key: &str, status: StatusCode) -> AppResult<Response> {
    let page = MessagePage {
        p: PageCtx::new(ctx, title),
        message: ctx.lang.t(key),
    };
    Ok((status, render(&page)?).into_response())
}

/// Subscribes an address (or asks it again), mailing the confirmation link.
pub async fn subscribe(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let lang = Lang::parse(field(&pairs, "lang")).unwrap_or(ctx.lang);
    let email = field(&pairs, "email");
    subscription::subscribe(&state, &ctx.ip, email, lang, &chosen(&pairs)).await?;
    message(
        &ctx,
        "digest-subscribe-title",
        "digest-subscribe-sent",
        StatusCode::OK,
    )
}

#[derive(Deserialize, Default)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

#[derive(Template)]
#[template(path = "digest/confirm.html")]
struct ConfirmPage {
    p: PageCtx,
    token: String,
    email: String,
}

/// The confirmation link's page: one button confirms.
pub async fn confirm_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<TokenQuery>,
) -> AppResult<Response> {
    match subscription::pending(&state.db, &q.token).await? {
        Some(s) => Ok(render(&ConfirmPage {
            p: PageCtx::new(&ctx, "digest-subscribe-title"),
            token: q.token,
            email: s.email,
        })?
        .into_response()),
        None => message(
            &ctx,
            "digest-subscribe-title",
            "digest-confirm-gone",
            StatusCode::GONE,
        ),
    }
}

#[derive(Deserialize, Default)]
pub struct ConfirmForm {
    #[serde(default)]
    token: String,
}

pub async fn confirm(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Form(form): Form<ConfirmForm>,
) -> AppResult<Response> {
    let s = match subscription::confirm(&state.db, &ctx.ip, &form.token).await {
        Ok(s) => s,
        Err(AppError::Expired(key)) => {
            return message(&ctx, "digest-subscribe-title", key, StatusCode::GONE);
        }
        Err(e) => return Err(e),
    };
    Ok(Redirect::to(&format!(
        "/{}/digest/subscription/{}?done=confirmed",
        lang.code(),
        s.manage_secret()?
    ))
    .into_response())
}

#[derive(Template)]
#[template(path = "digest/subscription.html")]
struct SubscriptionPage {
    p: PageCtx,
    s: repo::SubscriberRow,
    token: String,
    sectors: Vec<(String, String, bool)>,
    notice: Option<String>,
}

#[derive(Deserialize)]
pub struct SecretPath {
    token: String,
}

/// The preferences page behind the secret link.
pub async fn subscription(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<SecretPath>,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    let s = subscription::by_secret(&state.db, &path.token).await?;
    let chosen: Vec<&str> = s.sectors.split(',').filter(|x| !x.is_empty()).collect();
    let sectors = crate::news::repo::sectors(&state.db)
        .await?
        .iter()
        .map(|x| {
            (
                x.slug.clone(),
                crate::news::sector_name(x, lang),
                chosen.contains(&x.slug.as_str()),
            )
        })
        .collect();
    Ok(render(&SubscriptionPage {
        p: PageCtx::new(&ctx, "digest-subscription-title"),
        token: path.token,
        sectors,
        notice: q
            .done
            .as_deref()
            .filter(|d| ["confirmed", "saved", "unsubscribed"].contains(d))
            .map(|d| lang.t(&format!("digest-sub-done-{d}"))),
        s,
    })?
    .into_response())
}

pub async fn save_preferences(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<SecretPath>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let s = subscription::by_secret(&state.db, &path.token).await?;
    let new_lang =
        Lang::parse(field(&pairs, "lang")).ok_or(AppError::field("lang", "lang-invalid"))?;
    subscription::save_preferences(&state.db, &ctx.ip, &s, new_lang, &chosen(&pairs)).await?;
    Ok(Redirect::to(&format!(
        "/{}/digest/subscription/{}?done=saved",
        lang.code(),
        path.token
    ))
    .into_response())
}

/// The unsubscribe link opened in a browser: the preferences page, whose button unsubscribes
/// (a GET must not change anything, since link checkers follow links in mail).
pub async fn unsubscribe_page(
    State(state): State<AppState>,
    Path(path): Path<SecretPath>,
) -> AppResult<Response> {
    let s = subscription::by_secret(&state.db, &path.token).await?;
    let lang = Lang::parse(&s.lang).unwrap_or(Lang::Uk);
    Ok(Redirect::to(&format!(
        "/{}/digest/subscription/{}#unsubscribe",
        lang.code(),
        path.token
    ))
    .into_response())
}

/// One-click unsubscribe (RFC 8058) and the preferences page's button: the secret in the
/// address is the proof, so no CSRF token is needed. A mail client gets 200; a browser goes
/// back to the preferences page.
pub async fn unsubscribe(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(path): Path<SecretPath>,
    body: String,
) -> AppResult<Response> {
    let s = subscription::by_secret(&state.db, &path.token).await?;
    let one_click = body.contains("List-Unsubscribe=One-Click");
    subscription::unsubscribe(&state.db, &ctx.ip, &s, one_click).await?;
    if one_click {
        return Ok((StatusCode::OK, "unsubscribed").into_response());
    }
    let lang = Lang::parse(&s.lang).unwrap_or(Lang::Uk);
    Ok(Redirect::to(&format!(
        "/{}/digest/subscription/{}?done=unsubscribed",
        lang.code(),
        path.token
    ))
    .into_response())
}
