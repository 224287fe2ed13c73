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
use chrono::Duration;
use serde::Deserialize;
use serde_json::json;

use super::repo;
use crate::auth::{Actor, new_secret, now, secret_hash};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::web::extract::{Form, Query};
use crate::web::page::DoneQuery;
use crate::web::page::render;
use crate::web::{AppState, Ctx, PageCtx};

/// How long a confirmation link works.
pub const CONFIRM_HOURS: i64 = 48;

/// The form's sectors, checked against the list: a comma-separated string (empty for all).
async fn sectors_of(state: &AppState, pairs: &[(String, String)]) -> AppResult<String> {
    let known: Vec<String> = crate::news::repo::sectors(&state.db)
        .await?
        .into_iter()
        .map(|s| s.slug)
        .collect();
    let mut chosen = Vec::new();
    for (k, v) in pairs {
        if k == "sectors" {
            if !known.contains(v) {
                return Err(AppError::field("sectors", "news-error-sector"));
            }
            if !chosen.contains(v) {
                chosen.push(v.clone());
            }
        }
    }
    Ok(chosen.join(","))
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
    let email = crate::auth::parse_email(field(&pairs, "email"))
        .map_err(|k| AppError::field("email", k))?;
    let lang = Lang::parse(field(&pairs, "lang")).unwrap_or(ctx.lang);
    let sectors = sectors_of(&state, &pairs).await?;
    // Counted before the work, so parallel requests cannot all pass the check.
    let ip_key = format!(
        "subscribe:ip:{}",
        crate::auth::actions::rate_key_address(&ctx.ip)
    );
    let email_key = format!("subscribe:email:{email}");
    crate::auth::actions::take(&state, &ip_key, 10).await?;
    crate::auth::actions::take(&state, &email_key, 3).await?;
    let now = now();
    let mut tx = state.db.begin().await?;
    let (kind, link) = match repo::subscriber_by_email(&mut tx, &email).await? {
        Some(s) if s.status == "confirmed" => {
            // Already subscribed: tell the owner of the address, and only them.
            (
                "digest-already",
                format!(
                    "/{}/digest/subscription/{}",
                    lang.code(),
                    s.manage_secret()?
                ),
            )
        }
        existing => {
            let confirm = new_secret("conf.");
            let expires = now + Duration::hours(CONFIRM_HOURS);
            match existing {
                Some(s) => {
                    repo::renew_subscriber(
                        &mut tx,
                        s.id,
                        lang.code(),
                        &sectors,
                        &secret_hash(&confirm),
                        expires,
                    )
                    .await?
                }
                None => {
                    let manage = new_secret("sub.");
                    repo::insert_subscriber(
                        &mut tx,
                        &email,
                        lang.code(),
                        &sectors,
                        &manage,
                        &secret_hash(&confirm),
                        expires,
                        now,
                    )
                    .await?;
                }
            }
            (
                "digest-confirm",
                format!("/{}/digest/confirm?token={confirm}", lang.code()),
            )
        }
    };
    let msg = crate::mail::action_mail(
        lang,
        &email,
        &email,
        kind,
        &state.link(&link),
        CONFIRM_HOURS,
    );
    crate::mail::repo::enqueue(&mut tx, &msg, &state.mail_domain(), now).await?;
    crate::audit::repo::record(
        &mut tx,
        &Actor::visitor(&email, &ctx.ip),
        "subscribe",
        "subscriber",
        &email,
        json!({ "lang": lang.code(), "sectors": sectors }),
        now,
    )
    .await?;
    tx.commit().await?;
    state.mail_wakeup.notify_one();
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

async fn pending(state: &AppState, token: &str) -> AppResult<Option<repo::SubscriberRow>> {
    if token.is_empty() || token.len() > 200 {
        return Ok(None);
    }
    Ok(repo::subscriber_by_confirm(&state.db, &secret_hash(token))
        .await?
        .filter(|s| s.status == "pending" && s.confirm_expires_at.is_some_and(|t| t > now())))
}

/// The confirmation link's page: one button confirms.
pub async fn confirm_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<TokenQuery>,
) -> AppResult<Response> {
    match pending(&state, &q.token).await? {
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
    let Some(s) = pending(&state, &form.token).await? else {
        return message(
            &ctx,
            "digest-subscribe-title",
            "digest-confirm-gone",
            StatusCode::GONE,
        );
    };
    let now = now();
    let manage = s.manage_secret()?;
    let mut tx = state.db.begin().await?;
    if repo::confirm_subscriber(&mut tx, s.id, now).await? == 0 {
        return message(
            &ctx,
            "digest-subscribe-title",
            "digest-confirm-gone",
            StatusCode::GONE,
        );
    }
    crate::audit::repo::record(
        &mut tx,
        &Actor::visitor(&s.email, &ctx.ip),
        "confirm",
        "subscriber",
        &s.email,
        json!({}),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!(
        "/{}/digest/subscription/{manage}?done=confirmed",
        lang.code()
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

async fn by_manage(state: &AppState, token: &str) -> AppResult<repo::SubscriberRow> {
    if token.len() > 200 {
        return Err(AppError::NotFound);
    }
    repo::subscriber_by_manage(&state.db, token)
        .await?
        .ok_or(AppError::NotFound)
}

/// The preferences page behind the secret link.
pub async fn subscription(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<SecretPath>,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    let s = by_manage(&state, &path.token).await?;
    let chosen: Vec<&str> = s.sectors.split(',').filter(|x| !x.is_empty()).collect();
    let sectors = crate::news::repo::sectors(&state.db)
        .await?
        .iter()
        .map(|x| {
            (
                x.slug.clone(),
                crate::news::pages::sector_name(x, lang),
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
    let s = by_manage(&state, &path.token).await?;
    let new_lang =
        Lang::parse(field(&pairs, "lang")).ok_or(AppError::field("lang", "lang-invalid"))?;
    let sectors = sectors_of(&state, &pairs).await?;
    let now = now();
    let mut tx = state.db.begin().await?;
    repo::set_preferences(&mut tx, s.id, new_lang.code(), &sectors).await?;
    crate::audit::repo::record(
        &mut tx,
        &Actor::visitor(&s.email, &ctx.ip),
        "preferences",
        "subscriber",
        &s.email,
        json!({ "lang": new_lang.code(), "sectors": sectors }),
        now,
    )
    .await?;
    tx.commit().await?;
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
    let s = by_manage(&state, &path.token).await?;
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
    let s = by_manage(&state, &path.token).await?;
    let now = now();
    let mut tx = state.db.begin().await?;
    repo::unsubscribe(&mut tx, s.id, now).await?;
    crate::audit::repo::record(
        &mut tx,
        &Actor::visitor(&s.email, &ctx.ip),
        "unsubscribe",
        "subscriber",
        &s.email,
        json!({ "one_click": body.contains("List-Unsubscribe=One-Click") }),
        now,
    )
    .await?;
    tx.commit().await?;
    if body.contains("List-Unsubscribe=One-Click") {
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
