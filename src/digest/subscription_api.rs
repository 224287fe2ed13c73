//! The API twin of the subscription pages, for a client with no account and no cookies (a
//! partner's site, a mobile app): subscribing with double opt-in, confirming with the mailed
//! token, and reading or changing the preferences by the subscription's secret. The same use
//! cases as the pages (`subscription.rs`); unsubscribing is the one-click `POST
//! /unsubscribe/{secret}` of every digest mail.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::repo::SubscriberRow;
use super::subscription;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::web::Ctx;
use crate::web::api::ErrorEnvelope;
use crate::web::extract::Json;

/// A subscription to the weekly digest.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SubscriptionOut {
    pub email: String,
    /// The language of the mail: uk or en.
    pub lang: String,
    /// The sectors' slugs; empty for every sector.
    pub sectors: Vec<String>,
    /// pending (waiting for confirmation), confirmed or unsubscribed.
    pub status: super::SubscriberStatus,
    /// The subscription's secret: its address here, and in every digest mail's preferences
    /// and unsubscribe links. Whoever holds it manages the subscription; keep it so.
    pub secret: String,
    /// The preferences page in a browser.
    pub url: String,
}

fn out(state: &AppState, s: SubscriberRow) -> AppResult<Json<SubscriptionOut>> {
    let secret = s.manage_secret()?;
    let lang = Lang::parse(&s.lang).unwrap_or(Lang::Uk);
    Ok(Json(SubscriptionOut {
        url: state.link(&format!("/{}/digest/subscription/{secret}", lang.code())),
        email: s.email,
        lang: lang.code().to_string(),
        sectors: s
            .sectors
            .split(',')
            .filter(|x| !x.is_empty())
            .map(str::to_string)
            .collect(),
        status: s.status,
        secret,
    }))
}

/// The language a body names (422 `lang` for another), else `fallback`.
fn lang_of(code: Option<&str>, fallback: Lang) -> AppResult<Lang> {
    match code {
        None => Ok(fallback),
        Some(code) => Lang::parse(code).ok_or(AppError::field("lang", "lang-invalid")),
    }
}

/// Who subscribes, and to what.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct SubscribeIn {
    #[schema(min_length = 3)]
    pub email: String,
    /// The language of the mail: uk or en; absent, the request's (`Accept-Language`,
    /// Ukrainian by default).
    #[schema(pattern = "^(uk|en)$")]
    pub lang: Option<String>,
    /// Sectors' slugs (see `GET /api/v1/news-sectors`); empty or absent for every sector.
    #[serde(default)]
    pub sectors: Vec<String>,
}

/// Subscribes an address to the weekly digest, or asks again (no credentials needed): a
/// confirmation link goes to the address, or, when it is subscribed already, its preferences
/// link. The answer is the same either way, so it never tells whether an address was
/// subscribed. 429 when an address or a client asks too often.
#[utoipa::path(post, path = "/api/v1/digest-subscriptions", tag = "news",
    operation_id = "subscribe_to_digest", request_body = SubscribeIn,
    security((), ("bearer" = []), ("session" = [])),
    responses((status = 202, description = "A mail is on its way to the address."),
        (status = 422, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope)))]
pub async fn subscribe(
    State(state): State<AppState>,
    ctx: Ctx,
    Json(body): Json<SubscribeIn>,
) -> AppResult<StatusCode> {
    let lang = lang_of(body.lang.as_deref(), ctx.lang)?;
    subscription::subscribe(&state, &ctx.ip, &body.email, lang, &body.sectors).await?;
    Ok(StatusCode::ACCEPTED)
}

/// The token of a confirmation link (`token=` of the mailed link).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ConfirmIn {
    #[schema(min_length = 1, max_length = 200)]
    pub token: String,
}

/// Confirms a subscription with the token of its mailed link (no credentials needed); answers
/// the subscription with its secret. 410 when the token is unknown, used or expired.
#[utoipa::path(post, path = "/api/v1/digest-subscriptions/confirm", tag = "news",
    operation_id = "confirm_digest_subscription", request_body = ConfirmIn,
    security((), ("bearer" = []), ("session" = [])),
    responses((status = 200, body = SubscriptionOut), (status = 410, body = ErrorEnvelope)))]
pub async fn confirm(
    State(state): State<AppState>,
    ctx: Ctx,
    Json(body): Json<ConfirmIn>,
) -> AppResult<Json<SubscriptionOut>> {
    let s = subscription::confirm(&state.db, &ctx.ip, &body.token).await?;
    out(&state, s)
}

#[derive(Deserialize)]
pub struct SecretPath {
    secret: String,
}

/// A subscription by its secret (no credentials needed).
#[utoipa::path(get, path = "/api/v1/digest-subscriptions/{secret}", tag = "news",
    operation_id = "get_digest_subscription",
    params(("secret" = String, Path, description = "the subscription's secret")),
    security((), ("bearer" = []), ("session" = [])),
    responses((status = 200, body = SubscriptionOut), (status = 404, body = ErrorEnvelope)))]
pub async fn get_subscription(
    State(state): State<AppState>,
    Path(path): Path<SecretPath>,
) -> AppResult<Json<SubscriptionOut>> {
    out(
        &state,
        subscription::by_secret(&state.db, &path.secret).await?,
    )
}

/// A subscription's preferences.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct PreferencesIn {
    /// The language of the mail: uk or en.
    #[schema(pattern = "^(uk|en)$")]
    pub lang: String,
    /// Sectors' slugs; empty or absent for every sector.
    #[serde(default)]
    pub sectors: Vec<String>,
}

/// Sets a subscription's language and sectors by its secret (no credentials needed), as its
/// preferences page does.
#[utoipa::path(put, path = "/api/v1/digest-subscriptions/{secret}", tag = "news",
    operation_id = "update_digest_subscription", request_body = PreferencesIn,
    params(("secret" = String, Path, description = "the subscription's secret")),
    security((), ("bearer" = []), ("session" = [])),
    responses((status = 200, body = SubscriptionOut), (status = 404, body = ErrorEnvelope),
        (status = 422, body = ErrorEnvelope)))]
pub async fn save_preferences(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(path): Path<SecretPath>,
    Json(body): Json<PreferencesIn>,
) -> AppResult<Json<SubscriptionOut>> {
    let s = subscription::by_secret(&state.db, &path.secret).await?;
    let lang = lang_of(Some(&body.lang), ctx.lang)?;
    subscription::save_preferences(&state.db, &ctx.ip, &s, lang, &body.sectors).await?;
    out(
        &state,
        subscription::by_secret(&state.db, &path.secret).await?,
    )
}
