//! Signing in and out: login (with the second factor), logout, password reset and email
//! verification, with the helpers the other account pages share. The account page itself is
//! in `account_pages.rs`, the admin's pages in `admin_pages.rs`.

use crate::db::Db;
use crate::web::extract::{Form, Query};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::actions;
use super::repo;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::identity::{Principal, Via};
use crate::state::AppState;
use crate::web::context::session_cookie;
use crate::web::page::render;
use crate::web::{Ctx, PageCtx};

/// A `next` target is only ever a path on this site (see [`super::safe_next_path`]);
/// anything else goes to the account page.
fn safe_next(state: &AppState, next: Option<&str>, lang: Lang) -> String {
    let base = url::Url::parse(&state.settings.base_url).ok();
    next.zip(base.as_ref())
        .and_then(|(n, base)| super::safe_next_path(base, n))
        .unwrap_or_else(|| format!("/{}/account", lang.code()))
}

/// The browser's device cookie: set after a right password, it keeps the account's own
/// browsers out of the login limits that strangers' failures fill (see `super::login`).
pub const DEVICE_COOKIE: &str = "hromada_device";

fn device_cookie(state: &AppState, value: &str) -> axum::http::HeaderValue {
    let secure = if state.settings.secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    let text = format!(
        "{DEVICE_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        actions::DEVICE_DAYS * 86_400
    );
    axum::http::HeaderValue::from_str(&text)
        .unwrap_or_else(|_| axum::http::HeaderValue::from_static(""))
}

pub(super) fn principal(ctx: &Ctx) -> AppResult<&Principal> {
    ctx.principal.as_ref().ok_or(AppError::LoginRequired)
}

pub(super) fn session_hash(p: &Principal) -> Option<&str> {
    match &p.via {
        Via::Session { token_hash, .. } => Some(token_hash.as_str()),
        Via::Token { .. } => None,
    }
}

/// Field errors in the page's language, for re-rendering a form.
pub(super) fn field_errors(lang: Lang, err: AppError) -> AppResult<Vec<(String, String)>> {
    match err {
        AppError::Invalid(fields) => Ok(fields.into_iter().map(|(f, k)| (f, lang.t(&k))).collect()),
        other => Err(other),
    }
}

pub(super) fn with_status(status: StatusCode, html: Html<String>) -> Response {
    (status, html).into_response()
}

// --- login ---

#[derive(Template)]
#[template(path = "auth/login.html")]
struct LoginPage {
    p: PageCtx,
    email: String,
    next: String,
    errors: Vec<(String, String)>,
    notice: Option<String>,
}

#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    reset: Option<String>,
}

pub async fn login_form(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Query(q): Query<LoginQuery>,
) -> AppResult<Html<String>> {
    let notice = q.reset.is_some().then(|| lang.t("password-reset-done"));
    render(&LoginPage {
        p: PageCtx::new(&ctx, "login-title"),
        email: String::new(),
        // Empty when the visitor came for no page in particular: the account's role decides.
        next: q
            .next
            .as_deref()
            .map(|n| safe_next(&state, Some(n), lang))
            .unwrap_or_default(),
        errors: Vec::new(),
        notice,
    })
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    next: Option<String>,
}

pub async fn login(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> AppResult<Response> {
    let next = safe_next(&state, form.next.as_deref(), lang);
    let chosen = form.next.as_deref().is_some_and(|n| !n.is_empty());
    let device = crate::web::context::cookie(&headers, DEVICE_COOKIE);
    let signed_in =
        actions::authenticate(&state, &form.email, &form.password, &ctx.ip, device).await;
    let (user_id, device) = match signed_in {
        Ok(ok) => (ok.user_id, ok.device),
        Err(e) => {
            let errors = field_errors(lang, e)?;
            let page = LoginPage {
                p: PageCtx::new(&ctx, "login-title"),
                email: form.email,
                next: if chosen { next } else { String::new() },
                errors,
                notice: None,
            };
            return Ok(with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                render(&page)?,
            ));
        }
    };
    let ua = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let token = actions::start_session(&state, user_id, ua, &ctx.ip).await?;
    let roles = repo::roles_of(&state.db, user_id).await?;
    let user = repo::find_user(&state.db, user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let to = if roles.iter().any(|g| g.role.is_staff()) {
        let encoded: String = url::form_urlencoded::byte_serialize(next.as_bytes()).collect();
        if user.totp_enabled_at.is_some() {
            format!("/{}/login/2fa?next={encoded}", lang.code())
        } else {
            format!("/{}/account/2fa", lang.code())
        }
    } else if !chosen
        && roles
            .iter()
            .any(|g| g.role == crate::identity::Role::CommunityOfficial)
    {
        // Community officials land on what their community owes.
        format!("/{}/statistics/owe", lang.code())
    } else {
        next
    };
    Ok((
        // Appended: an array of headers would keep only the last cookie.
        axum::response::AppendHeaders([
            (header::SET_COOKIE, session_cookie(&state, Some(&token))),
            (header::SET_COOKIE, device_cookie(&state, &device)),
        ]),
        Redirect::to(&to),
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "auth/second_factor.html")]
struct SecondFactorPage {
    p: PageCtx,
    next: String,
    errors: Vec<(String, String)>,
}

pub async fn second_factor_form(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Query(q): Query<LoginQuery>,
) -> AppResult<Response> {
    let p = principal(&ctx)?;
    if p.second_factor_ok() {
        return Ok(Redirect::to(&safe_next(&state, q.next.as_deref(), lang)).into_response());
    }
    if !p.user.totp_enrolled {
        return Ok(Redirect::to(&format!("/{}/account/2fa", lang.code())).into_response());
    }
    let page = SecondFactorPage {
        p: PageCtx::new(&ctx, "second-factor-title"),
        next: safe_next(&state, q.next.as_deref(), lang),
        errors: Vec::new(),
    };
    Ok(render(&page)?.into_response())
}

#[derive(Deserialize)]
pub struct CodeForm {
    pub(super) code: String,
    next: Option<String>,
}

pub async fn second_factor(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Form(form): Form<CodeForm>,
) -> AppResult<Response> {
    let p = principal(&ctx)?;
    let next = safe_next(&state, form.next.as_deref(), lang);
    let actor = crate::work::Actor::of(p, &ctx.ip);
    if let Err(e) =
        actions::confirm_totp(&state, &actor, p.user.id, session_hash(p), &form.code).await
    {
        let errors = field_errors(lang, e)?;
        let page = SecondFactorPage {
            p: PageCtx::new(&ctx, "second-factor-title"),
            next,
            errors,
        };
        return Ok(with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&page)?,
        ));
    }
    Ok(Redirect::to(&next).into_response())
}

pub async fn logout(State(state): State<AppState>, lang: Lang, ctx: Ctx) -> AppResult<Response> {
    let p = principal(&ctx)?;
    if let Some(hash) = session_hash(p) {
        actions::end_session(
            &state.db,
            &crate::work::Actor::of(p, &ctx.ip),
            p.user.id,
            hash,
        )
        .await?;
    }
    let to = format!("/{}/", lang.code());
    Ok((
        [(header::SET_COOKIE, session_cookie(&state, None))],
        Redirect::to(&to),
    )
        .into_response())
}

// --- password reset and email verification ---

#[derive(Template)]
#[template(path = "auth/forgot.html")]
struct ForgotPage {
    p: PageCtx,
    email: String,
    errors: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage {
    p: PageCtx,
    text: String,
    link: String,
    link_label: String,
}

fn message(
    ctx: &Ctx,
    title_key: &str,
    text_key: &str,
    link: &str,
    link_key: &str,
) -> AppResult<Html<String>> {
    render(&MessagePage {
        p: PageCtx::new(ctx, title_key),
        text: ctx.lang.t(text_key),
        link: format!("/{}{link}", ctx.lang.code()),
        link_label: ctx.lang.t(link_key),
    })
}

pub async fn forgot_form(_lang: Lang, ctx: Ctx) -> AppResult<Html<String>> {
    render(&ForgotPage {
        p: PageCtx::new(&ctx, "forgot-title"),
        email: String::new(),
        errors: Vec::new(),
    })
}

#[derive(Deserialize)]
pub struct EmailForm {
    email: String,
}

pub async fn forgot(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Form(form): Form<EmailForm>,
) -> AppResult<Response> {
    if let Err(key) = super::parse_email(&form.email) {
        let page = ForgotPage {
            p: PageCtx::new(&ctx, "forgot-title"),
            email: form.email,
            errors: vec![("email".into(), lang.t(key))],
        };
        return Ok(with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&page)?,
        ));
    }
    actions::request_reset(&state, &form.email, lang, &ctx.ip).await?;
    Ok(message(&ctx, "forgot-title", "forgot-sent", "/login", "login-title")?.into_response())
}

#[derive(Deserialize)]
pub struct TokenQuery {
    token: Option<String>,
}

#[derive(Template)]
#[template(path = "auth/reset.html")]
struct ResetPage {
    p: PageCtx,
    token: String,
    errors: Vec<(String, String)>,
}

pub async fn reset_form(
    State(db): State<Db>,
    _lang: Lang,
    ctx: Ctx,
    Query(q): Query<TokenQuery>,
) -> AppResult<Html<String>> {
    let token = q.token.unwrap_or_default();
    let hash = crate::secrets::secret_hash(&token);
    let live = repo::peek_one_time_token(
        &db,
        &hash,
        repo::Purpose::ResetPassword,
        crate::clock::now(),
    )
    .await?;
    if live.is_none() {
        return Err(AppError::Expired("link-invalid"));
    }
    render(&ResetPage {
        p: PageCtx::new(&ctx, "reset-title"),
        token,
        errors: Vec::new(),
    })
}

#[derive(Deserialize)]
pub struct ResetForm {
    token: String,
    password: String,
    password2: String,
}

pub async fn reset(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    headers: HeaderMap,
    Form(form): Form<ResetForm>,
) -> AppResult<Response> {
    let result = if form.password != form.password2 {
        Err(AppError::field("password2", "password-mismatch"))
    } else {
        actions::reset_password(&state, &form.token, &form.password, &ctx.ip).await
    };
    match result {
        Ok(user_id) => {
            // The browser that opened the mailed link is the owner's: a known device, so a
            // crowd's failures on the account never keep it out of the login that follows.
            let old = crate::web::context::cookie(&headers, DEVICE_COOKIE)
                .filter(|d| crate::secrets::looks_like_secret(d))
                .map(crate::secrets::secret_hash);
            let device = super::login::new_device(&state.db, user_id, old.as_deref()).await?;
            Ok((
                [(header::SET_COOKIE, device_cookie(&state, &device))],
                Redirect::to(&format!("/{}/login?reset=1", lang.code())),
            )
                .into_response())
        }
        Err(e) => {
            let errors = field_errors(lang, e)?;
            let page = ResetPage {
                p: PageCtx::new(&ctx, "reset-title"),
                token: form.token,
                errors,
            };
            Ok(with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                render(&page)?,
            ))
        }
    }
}

pub async fn verify_email(
    State(state): State<AppState>,
    _lang: Lang,
    ctx: Ctx,
    Query(q): Query<TokenQuery>,
) -> AppResult<Html<String>> {
    actions::verify_email(&state, &q.token.unwrap_or_default(), &ctx.ip).await?;
    message(
        &ctx,
        "verify-title",
        "verify-done",
        "/account",
        "account-title",
    )
}
