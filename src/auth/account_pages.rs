//! The signed-in account's own page: its password, email verification, API tokens and the
//! enrolment of a second factor (TOTP).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::pages::{CodeForm, field_errors, principal, session_hash, with_status};
use super::repo::{self, TokenRow};
use super::{actions, totp};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::identity::RoleGrant;
use crate::state::AppState;
use crate::web::extract::{Form, Query};
use crate::web::page::render;
use crate::web::{Ctx, PageCtx};

#[derive(Template)]
#[template(path = "auth/account.html")]
struct AccountPage {
    p: PageCtx,
    user: crate::identity::User,
    roles: Vec<RoleGrant>,
    tokens: Vec<TokenRow>,
    new_token: Option<String>,
    notice: Option<String>,
    errors: Vec<(String, String)>,
}

impl AccountPage {
    fn role_label(&self, grant: &RoleGrant) -> String {
        let label = self.p.t(&grant.role.label_key());
        if grant.scope.is_empty() {
            label
        } else {
            format!("{label} ({})", grant.scope)
        }
    }
}

async fn account_page(
    db: &Db,
    ctx: &Ctx,
    new_token: Option<String>,
    notice: Option<String>,
    errors: Vec<(String, String)>,
) -> AppResult<Html<String>> {
    let p = principal(ctx)?;
    let tokens = repo::list_tokens(db, p.user.id).await?;
    render(&AccountPage {
        p: PageCtx::new(ctx, "account-title"),
        user: p.user.clone(),
        roles: p.roles.clone(),
        tokens,
        new_token,
        notice,
        errors,
    })
}

#[derive(Deserialize)]
pub struct AccountQuery {
    done: Option<String>,
}

pub async fn account(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Query(q): Query<AccountQuery>,
) -> AppResult<Html<String>> {
    let notice = match q.done.as_deref() {
        Some("password") => Some(lang.t("password-changed")),
        Some("verification") => Some(lang.t("verification-sent")),
        Some("revoked") => Some(lang.t("token-revoked")),
        Some("totp") => Some(lang.t("totp-enabled")),
        _ => None,
    };
    account_page(&state.db, &ctx, None, notice, Vec::new()).await
}

#[derive(Deserialize)]
pub struct PasswordForm {
    current: String,
    password: String,
    password2: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Form(form): Form<PasswordForm>,
) -> AppResult<Response> {
    let p = principal(&ctx)?;
    let result = if form.password != form.password2 {
        Err(AppError::field("password2", "password-mismatch"))
    } else {
        let actor = crate::work::Actor::of(p, &ctx.ip);
        actions::change_password(
            &state,
            &actor,
            p.user.id,
            session_hash(p),
            &form.current,
            &form.password,
        )
        .await
    };
    match result {
        Ok(()) => {
            Ok(Redirect::to(&format!("/{}/account?done=password", lang.code())).into_response())
        }
        Err(e) => {
            let errors = field_errors(lang, e)?;
            Ok(with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                account_page(&state.db, &ctx, None, None, errors).await?,
            ))
        }
    }
}

pub async fn resend_verification(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
) -> AppResult<Redirect> {
    let p = principal(&ctx)?;
    actions::resend_verification(&state, &crate::work::Actor::of(p, &ctx.ip), p.user.id, lang)
        .await?;
    Ok(Redirect::to(&format!(
        "/{}/account?done=verification",
        lang.code()
    )))
}

#[derive(Deserialize)]
pub struct TokenForm {
    name: String,
}

pub async fn create_token(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Form(form): Form<TokenForm>,
) -> AppResult<Response> {
    let p = principal(&ctx)?;
    if let Err(key) = p.may_create_token() {
        // A staff token posting the form: tokens come from a session after the second factor.
        let errors = vec![("name".to_string(), lang.t(key))];
        return Ok(with_status(
            StatusCode::FORBIDDEN,
            account_page(&state.db, &ctx, None, None, errors).await?,
        ));
    }
    match actions::create_own_token(&state.db, p, &ctx.ip, &form.name).await {
        Ok((_, token)) => Ok(account_page(&state.db, &ctx, Some(token), None, Vec::new())
            .await?
            .into_response()),
        Err(e) => {
            let errors = field_errors(lang, e)?;
            Ok(with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                account_page(&state.db, &ctx, None, None, errors).await?,
            ))
        }
    }
}

#[derive(Deserialize)]
pub struct IdPath {
    id: i64,
}

pub async fn revoke_token(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<IdPath>,
) -> AppResult<Redirect> {
    let p = principal(&ctx)?;
    actions::revoke_token(
        &state.db,
        &crate::work::Actor::of(p, &ctx.ip),
        p.user.id,
        path.id,
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/{}/account?done=revoked",
        lang.code()
    )))
}

// --- TOTP enrolment ---

#[derive(Template)]
#[template(path = "auth/enrol.html")]
struct EnrolPage {
    p: PageCtx,
    enrolled: bool,
    secret: String,
    qr_svg: String,
    errors: Vec<(String, String)>,
}

async fn enrol_page(db: &Db, ctx: &Ctx, errors: Vec<(String, String)>) -> AppResult<Html<String>> {
    let p = principal(ctx)?;
    let user = repo::find_user(db, p.user.id)
        .await?
        .ok_or(AppError::NotFound)?;
    if user.totp_enabled_at.is_some() {
        return render(&EnrolPage {
            p: PageCtx::new(ctx, "totp-title"),
            enrolled: true,
            secret: String::new(),
            qr_svg: String::new(),
            errors,
        });
    }
    let secret = match user.totp_secret.clone() {
        Some(s) => s,
        None => {
            let actor = crate::work::Actor::of(p, &ctx.ip);
            actions::start_totp_enrolment(db, &actor, user.id).await?
        }
    };
    let url = totp::otpauth_url(&secret, &user.email)?;
    let qr_svg = totp::qr_svg(&url)?;
    render(&EnrolPage {
        p: PageCtx::new(ctx, "totp-title"),
        enrolled: false,
        secret,
        qr_svg,
        errors,
    })
}

pub async fn enrol_form(
    State(state): State<AppState>,
    _lang: Lang,
    ctx: Ctx,
) -> AppResult<Html<String>> {
    enrol_page(&state.db, &ctx, Vec::new()).await
}

pub async fn enrol(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Form(form): Form<CodeForm>,
) -> AppResult<Response> {
    let p = principal(&ctx)?;
    if p.user.totp_enrolled {
        return Ok(Redirect::to(&format!("/{}/account", lang.code())).into_response());
    }
    match actions::confirm_totp(
        &state,
        &crate::work::Actor::of(p, &ctx.ip),
        p.user.id,
        session_hash(p),
        &form.code,
    )
    .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/{}/account?done=totp", lang.code())).into_response()),
        Err(e) => {
            let errors = field_errors(lang, e)?;
            Ok(with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                enrol_page(&state.db, &ctx, errors).await?,
            ))
        }
    }
}
