//! JSON API for accounts: who am I, API tokens, the caller's password and email verification,
//! users (admin).

use crate::db::Db;
use crate::web::extract::{Json, Query};
use crate::work::Actor;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::{actions, repo};
use crate::error::{AppError, AppResult, ErrorInfo};
use crate::i18n::Lang;
use crate::identity::{Role, RoleGrant, Via};
use crate::state::AppState;
use crate::web::Ctx;
use crate::web::api::{ErrorEnvelope, ListOf, Paging};

#[derive(Serialize, utoipa::ToSchema)]
pub struct RoleOut {
    /// admin, editor, coordinator, community_official, section_coordinator, partner, club_committee or club_chair.
    pub role: Role,
    /// Regional office, community or section the role is limited to; empty for national roles.
    pub scope: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Me {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub lang: String,
    pub email_verified: bool,
    pub totp_enrolled: bool,
    pub roles: Vec<RoleOut>,
    /// `session` or `token`.
    pub via: String,
    pub token_id: Option<i64>,
}

fn principal(ctx: &Ctx) -> AppResult<&crate::identity::Principal> {
    ctx.principal.as_ref().ok_or(AppError::LoginRequired)
}

/// Whose token or session this is.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts", operation_id = "get_me", security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Me)))]
pub async fn me(ctx: Ctx) -> AppResult<Json<Me>> {
    let p = principal(&ctx)?;
    let (via, token_id) = match p.via {
        Via::Session { .. } => ("session", None),
        Via::Token { id, .. } => ("token", Some(id)),
    };
    Ok(Json(Me {
        id: p.user.id,
        email: p.user.email.clone(),
        display_name: p.user.display_name.clone(),
        lang: p.user.lang.clone(),
        email_verified: p.user.email_verified,
        totp_enrolled: p.user.totp_enrolled,
        roles: p
            .roles
            .iter()
            .map(|g| RoleOut {
                role: g.role,
                scope: g.scope.clone(),
            })
            .collect(),
        via: via.into(),
        token_id,
    }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TokenOut {
    pub id: i64,
    pub name: String,
    /// The first characters of the token, to recognise it.
    pub prefix: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub last_used_at: Option<chrono::DateTime<chrono::Utc>>,
    pub revoked_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// The caller's own API tokens.
#[utoipa::path(get, path = "/api/v1/tokens", tag = "accounts", operation_id = "list_tokens",
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = ListOf<TokenOut>)))]
pub async fn list_tokens(State(db): State<Db>, ctx: Ctx) -> AppResult<Json<ListOf<TokenOut>>> {
    let p = principal(&ctx)?;
    let items: Vec<TokenOut> = repo::list_tokens(&db, p.user.id)
        .await?
        .into_iter()
        .map(|t| TokenOut {
            id: t.id,
            name: t.name,
            prefix: t.prefix,
            created_at: t.created_at,
            last_used_at: t.last_used_at,
            revoked_at: t.revoked_at,
        })
        .collect();
    let total = i64::try_from(items.len()).unwrap_or(i64::MAX);
    Ok(Json(ListOf { items, total }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewToken {
    /// What the token is for (not blank).
    #[schema(min_length = 1)]
    pub name: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CreatedToken {
    pub id: i64,
    /// Shown once; only its hash is stored.
    pub token: String,
}

/// Creates an API token for the caller. A token acts with the privileges it was made with:
/// staff accounts make tokens only from a session that passed the second factor (never with
/// another token; operators use `hromada token create`), and a change of the account's roles,
/// second factor or password revokes its tokens.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "accounts", operation_id = "create_token",
    request_body = NewToken, security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = CreatedToken)))]
pub async fn create_token(
    State(state): State<AppState>,
    ctx: Ctx,
    Json(body): Json<NewToken>,
) -> AppResult<Response> {
    let p = principal(&ctx)?;
    if let Err(key) = p.may_create_token() {
        // Forbidden, with the reason rather than the generic message.
        let mut refused = StatusCode::FORBIDDEN.into_response();
        refused
            .extensions_mut()
            .insert(ErrorInfo::new("forbidden", key));
        return Ok(refused);
    }
    let (id, token) = actions::create_own_token(&state.db, p, &ctx.ip, &body.name).await?;
    Ok((StatusCode::CREATED, Json(CreatedToken { id, token })).into_response())
}

/// Revokes one of the caller's tokens.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "accounts", operation_id = "revoke_token",
    params(("id" = i64, Path, description = "token id")), security(("bearer" = []), ("session" = [])),
    responses((status = 204, description = "Revoked.")))]
pub async fn revoke_token(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    let p = principal(&ctx)?;
    actions::revoke_token(
        &state.db,
        &crate::work::Actor::of(p, &ctx.ip),
        p.user.id,
        id,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A new password, and the one it replaces.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct PasswordChangeIn {
    /// The password now. A token alone never changes the password: its owner proves it.
    #[schema(min_length = 1)]
    pub current: String,
    /// The new password: 10 to 256 characters, not the email address.
    #[schema(min_length = 10, max_length = 256)]
    pub password: String,
}

/// Changes the caller's password, as the account page does; the current password is the
/// proof, whatever the credentials. Every other session ends and every API token of the
/// account is revoked, the one that asks too (the owner is told by mail); a browser's session
/// that asks stays signed in. 422 `current` for a wrong current password (429 after too many),
/// `password` for a new one that is too short, too long or the address.
#[utoipa::path(put, path = "/api/v1/me/password", tag = "accounts", operation_id = "change_password",
    request_body = PasswordChangeIn, security(("bearer" = []), ("session" = [])),
    responses((status = 204, description = "Changed."), (status = 422, body = ErrorEnvelope),
        (status = 429, body = ErrorEnvelope)))]
pub async fn change_password(
    State(state): State<AppState>,
    ctx: Ctx,
    Json(body): Json<PasswordChangeIn>,
) -> AppResult<StatusCode> {
    let p = principal(&ctx)?;
    let keep = super::pages::session_hash(p);
    let actor = crate::work::Actor::of(p, &ctx.ip);
    actions::change_password(
        &state,
        &actor,
        p.user.id,
        keep,
        &body.current,
        &body.password,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Mails the caller a new link that verifies their email address (in the language of
/// `Accept-Language`), as the account page does: 202 when a link is on its way, 204 when the
/// address is verified already and nothing was sent. 429 when asked too often.
#[utoipa::path(post, path = "/api/v1/me/verify-email", tag = "accounts",
    operation_id = "resend_email_verification", security(("bearer" = []), ("session" = [])),
    responses((status = 202, description = "A link is on its way to the address."),
        (status = 204, description = "The address is verified already; nothing was sent."),
        (status = 429, body = ErrorEnvelope)))]
pub async fn resend_verification(State(state): State<AppState>, ctx: Ctx) -> AppResult<StatusCode> {
    let p = principal(&ctx)?;
    if p.user.email_verified {
        return Ok(StatusCode::NO_CONTENT);
    }
    let actor = crate::work::Actor::of(p, &ctx.ip);
    actions::resend_verification(&state, &actor, p.user.id, ctx.lang).await?;
    Ok(StatusCode::ACCEPTED)
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct UserOut {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub lang: String,
    pub email_verified: bool,
    pub totp_enrolled: bool,
    pub disabled: bool,
    pub is_demo: bool,
    pub roles: Vec<RoleOut>,
}

/// All accounts (admin).
#[utoipa::path(get, path = "/api/v1/users", tag = "accounts", operation_id = "list_users",
    params(Paging), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ListOf<UserOut>)))]
pub async fn list_users(
    State(db): State<Db>,
    Query(paging): Query<Paging>,
) -> AppResult<Json<ListOf<UserOut>>> {
    let (limit, offset) = paging.resolve()?;
    let (rows, total) = repo::list_users_with_roles(&db, limit, offset).await?;
    let items = rows
        .into_iter()
        .map(|(row, grants)| user_out_with(row, grants))
        .collect();
    Ok(Json(ListOf { items, total }))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewUserIn {
    #[schema(min_length = 3)]
    pub email: String,
    #[schema(min_length = 1)]
    pub display_name: String,
    /// admin, editor, coordinator, community_official, section_coordinator, partner,
    /// club_committee or club_chair.
    pub role: Role,
    /// Required for scoped roles: the regional office's, community's or section's short name.
    #[serde(default)]
    pub scope: String,
    /// `uk` (default) or `en`: the language of the invitation mail.
    #[serde(default)]
    #[schema(pattern = "^(uk|en)$")]
    pub lang: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CreatedUser {
    pub id: i64,
}

/// Creates an account and mails it an invitation to set a password (admin).
#[utoipa::path(post, path = "/api/v1/users", tag = "accounts", operation_id = "create_user",
    request_body = NewUserIn, security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = CreatedUser)))]
pub async fn create_user(
    State(state): State<AppState>,
    actor: Actor,
    Json(body): Json<NewUserIn>,
) -> AppResult<(StatusCode, Json<CreatedUser>)> {
    let role = body.role;
    let lang = match body.lang.as_deref() {
        None => Lang::Uk,
        Some(code) => Lang::parse(code).ok_or_else(|| AppError::field("lang", "lang-invalid"))?,
    };
    let account = actions::NewAccount {
        email: body.email,
        display_name: body.display_name,
        role,
        scope: body.scope,
        lang,
        password: None,
        email_verified: false,
        is_demo: false,
    };
    let id = actions::create_account(&state, &actor, account).await?;
    Ok((StatusCode::CREATED, Json(CreatedUser { id })))
}

async fn user_out(db: &Db, row: repo::UserRow) -> AppResult<UserOut> {
    let grants = repo::roles_of(db, row.id).await?;
    Ok(user_out_with(row, grants))
}

fn user_out_with(row: repo::UserRow, grants: Vec<RoleGrant>) -> UserOut {
    UserOut {
        id: row.id,
        email: row.email,
        display_name: row.display_name,
        lang: row.lang,
        email_verified: row.email_verified_at.is_some(),
        totp_enrolled: row.totp_enabled_at.is_some(),
        disabled: row.disabled_at.is_some(),
        is_demo: row.is_demo,
        roles: grants
            .into_iter()
            .map(|g| RoleOut {
                role: g.role,
                scope: g.scope,
            })
            .collect(),
    }
}

#[derive(Deserialize)]
pub struct UserIdPath {
    id: i64,
}

/// One account (admin).
#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "accounts", operation_id = "get_user",
    params(("id" = i64, Path, description = "account id")), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = UserOut)))]
pub async fn get_user(
    State(state): State<AppState>,
    Path(path): Path<UserIdPath>,
) -> AppResult<Json<UserOut>> {
    let row = repo::find_user(&state.db, path.id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(user_out(&state.db, row).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct RoleIn {
    /// admin, editor, coordinator, community_official, section_coordinator, partner, club_committee or club_chair.
    #[schema(
        value_type = String,
        pattern = r"^\s*(admin|editor|coordinator|community_official|section_coordinator|partner|club_committee|club_chair)\s*$"
    )]
    #[serde(deserialize_with = "crate::db::text_enum::trimmed")]
    pub role: Role,
    /// Required for scoped roles, empty for national ones.
    #[serde(default)]
    pub scope: String,
}

fn parse_role(code: &str) -> AppResult<Role> {
    Role::parse(code.trim()).ok_or_else(|| AppError::field("role", "role-invalid"))
}

/// Gives the account a role (admin). 201 when added, 200 when it already held it.
#[utoipa::path(post, path = "/api/v1/users/{id}/roles", tag = "accounts", operation_id = "grant_role",
    request_body = RoleIn, params(("id" = i64, Path, description = "account id")), security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = UserOut, description = "The role was added."),
        (status = 200, body = UserOut, description = "The account held the role already.")))]
pub async fn grant_role(
    State(state): State<AppState>,
    actor: Actor,
    Path(path): Path<UserIdPath>,
    Json(body): Json<RoleIn>,
) -> AppResult<(StatusCode, Json<UserOut>)> {
    let role = body.role;
    let added = actions::grant_role(&state, &actor, path.id, role, &body.scope).await?;
    let row = repo::find_user(&state.db, path.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let status = if added {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(user_out(&state.db, row).await?)))
}

#[derive(Deserialize)]
pub struct RolePath {
    id: i64,
    role: String,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ScopeQuery {
    /// The scope of the grant to remove; empty for national roles.
    #[serde(default)]
    pub scope: String,
}

/// Takes a role away (admin); the account's sessions end. 409 for the last active admin.
#[utoipa::path(delete, path = "/api/v1/users/{id}/roles/{role}", tag = "accounts",
    operation_id = "revoke_role",
    params(("id" = i64, Path, description = "account id"), ("role" = String, Path, description = "the role's code"),
        ScopeQuery), security(("bearer" = []), ("session" = [])),
    responses((status = 204, description = "Taken away."), (status = 409, body = ErrorEnvelope,
        description = "The last active administrator keeps the role.")))]
pub async fn revoke_role(
    State(state): State<AppState>,
    actor: Actor,
    Path(path): Path<RolePath>,
    Query(q): Query<ScopeQuery>,
) -> AppResult<StatusCode> {
    let role = parse_role(&path.role)?;
    actions::revoke_role(&state, &actor, path.id, role, &q.scope).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Disables the account (admin): it cannot sign in, its sessions end, its tokens stop working.
#[utoipa::path(post, path = "/api/v1/users/{id}/disable", tag = "accounts", operation_id = "disable_user",
    params(("id" = i64, Path, description = "account id")), security(("bearer" = []), ("session" = [])),
    responses((status = 204, description = "Disabled."), (status = 409, body = ErrorEnvelope,
        description = "Your own account, or the last active administrator.")))]
pub async fn disable_user(
    State(state): State<AppState>,
    actor: Actor,
    Path(path): Path<UserIdPath>,
) -> AppResult<StatusCode> {
    actions::set_disabled(&state.db, &actor, path.id, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Enables a disabled account again (admin).
#[utoipa::path(post, path = "/api/v1/users/{id}/enable", tag = "accounts", operation_id = "enable_user",
    params(("id" = i64, Path, description = "account id")), security(("bearer" = []), ("session" = [])),
    responses((status = 204, description = "Enabled.")))]
pub async fn enable_user(
    State(state): State<AppState>,
    actor: Actor,
    Path(path): Path<UserIdPath>,
) -> AppResult<StatusCode> {
    actions::set_disabled(&state.db, &actor, path.id, false).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Forgets the account's second factor (admin, for a lost phone); it enrols again at login.
#[utoipa::path(post, path = "/api/v1/users/{id}/reset-2fa", tag = "accounts",
    operation_id = "reset_second_factor",
    params(("id" = i64, Path, description = "account id")), security(("bearer" = []), ("session" = [])),
    responses((status = 204, description = "Forgotten."), (status = 409, body = ErrorEnvelope)))]
pub async fn reset_second_factor(
    State(state): State<AppState>,
    actor: Actor,
    Path(path): Path<UserIdPath>,
) -> AppResult<StatusCode> {
    actions::reset_second_factor(&state, &actor, path.id).await?;
    Ok(StatusCode::NO_CONTENT)
}
