//! An admin's pages: the list of accounts with the invitation form, and the page for one
//! account: its roles (grant, revoke), disabling and enabling it, and resetting a lost second
//! factor. Every action is a form that posts back and redirects.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::actions;
use super::pages::{field_errors, with_status};
use super::repo::{self, UserRow};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::identity::{Role, RoleGrant};
use crate::state::AppState;
use crate::web::extract::{Form, Query};
use crate::web::page::render;
use crate::web::{Ctx, PageCtx};
use crate::work::Actor;

#[derive(Template)]
#[template(path = "auth/user.html")]
struct UserPage {
    p: PageCtx,
    user: UserRow,
    grants: Vec<RoleGrant>,
    roles: Vec<Role>,
    form: RoleForm,
    errors: Vec<(String, String)>,
    notice: Option<String>,
    is_self: bool,
}

impl UserPage {
    fn action(&self, rest: &str) -> String {
        self.p.url(&format!("/admin/users/{}/{rest}", self.user.id))
    }

    fn role_label(&self, g: &RoleGrant) -> String {
        self.p.t(&g.role.label_key())
    }

    /// Whether the form chose `r` (it comes back chosen after an error).
    fn chosen(&self, r: &Role) -> bool {
        self.form.role == Some(*r)
    }
}

#[derive(Deserialize)]
pub struct UserPath {
    id: i64,
}

#[derive(Deserialize, Default)]
pub struct UserQuery {
    done: Option<String>,
}

#[derive(Deserialize, Default, Clone)]
pub struct RoleForm {
    /// Absent or empty when none was chosen; an unknown role is refused by the extractor.
    #[serde(default, deserialize_with = "crate::db::text_enum::trimmed_or_none")]
    role: Option<Role>,
    #[serde(default)]
    scope: String,
}

const DONE: [&str; 5] = ["granted", "revoked", "disabled", "enabled", "totp-reset"];

async fn page(
    db: &Db,
    ctx: &Ctx,
    id: i64,
    form: RoleForm,
    errors: Vec<(String, String)>,
    notice: Option<String>,
) -> AppResult<Html<String>> {
    let user = repo::find_user(db, id).await?.ok_or(AppError::NotFound)?;
    let grants = repo::roles_of(db, id).await?;
    let is_self = ctx.principal.as_ref().is_some_and(|p| p.user.id == id);
    render(&UserPage {
        p: PageCtx::new(ctx, "user-title"),
        user,
        grants,
        roles: Role::ALL.to_vec(),
        form,
        errors,
        notice,
        is_self,
    })
}

pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<UserPath>,
    Query(q): Query<UserQuery>,
) -> AppResult<Html<String>> {
    let notice = q
        .done
        .filter(|d| DONE.contains(&d.as_str()))
        .map(|d| lang.t(&format!("user-done-{d}")));
    page(
        &state.db,
        &ctx,
        path.id,
        RoleForm::default(),
        Vec::new(),
        notice,
    )
    .await
}

/// After an action: back to the account page with a notice, or the page again with the
/// reason the action was refused (a conflict or a field error), in the visitor's language.
async fn outcome(
    db: &Db,
    ctx: &Ctx,
    lang: Lang,
    id: i64,
    form: RoleForm,
    result: AppResult<&'static str>,
) -> AppResult<Response> {
    let (status, errors) = match result {
        Ok(done) => {
            return Ok(
                Redirect::to(&format!("/{}/admin/users/{id}?done={done}", lang.code()))
                    .into_response(),
            );
        }
        Err(AppError::Invalid(fields)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            fields.into_iter().map(|(f, k)| (f, lang.t(&k))).collect(),
        ),
        Err(AppError::Conflict(key)) => (StatusCode::CONFLICT, vec![(String::new(), lang.t(key))]),
        Err(other) => return Err(other),
    };
    let html = page(db, ctx, id, form, errors, None).await?;
    Ok((status, html).into_response())
}

fn parse_role(form: &RoleForm) -> AppResult<Role> {
    form.role
        .ok_or_else(|| AppError::field("role", "role-invalid"))
}

pub async fn grant(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    actor: Actor,
    Path(path): Path<UserPath>,
    Form(form): Form<RoleForm>,
) -> AppResult<Response> {
    let result = match parse_role(&form) {
        Ok(role) => actions::grant_role(&state, &actor, path.id, role, &form.scope)
            .await
            .map(|_| "granted"),
        Err(e) => Err(e),
    };
    outcome(&state.db, &ctx, lang, path.id, form, result).await
}

pub async fn revoke(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    actor: Actor,
    Path(path): Path<UserPath>,
    Form(form): Form<RoleForm>,
) -> AppResult<Response> {
    let result = match parse_role(&form) {
        Ok(role) => actions::revoke_role(&state, &actor, path.id, role, &form.scope)
            .await
            .map(|()| "revoked"),
        Err(e) => Err(e),
    };
    outcome(&state.db, &ctx, lang, path.id, RoleForm::default(), result).await
}

pub async fn disable(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    actor: Actor,
    Path(path): Path<UserPath>,
) -> AppResult<Response> {
    let result = actions::set_disabled(&state.db, &actor, path.id, true)
        .await
        .map(|()| "disabled");
    outcome(&state.db, &ctx, lang, path.id, RoleForm::default(), result).await
}

pub async fn enable(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    actor: Actor,
    Path(path): Path<UserPath>,
) -> AppResult<Response> {
    let result = actions::set_disabled(&state.db, &actor, path.id, false)
        .await
        .map(|()| "enabled");
    outcome(&state.db, &ctx, lang, path.id, RoleForm::default(), result).await
}

pub async fn reset_second_factor(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    actor: Actor,
    Path(path): Path<UserPath>,
) -> AppResult<Response> {
    let result = actions::reset_second_factor(&state, &actor, path.id)
        .await
        .map(|()| "totp-reset");
    outcome(&state.db, &ctx, lang, path.id, RoleForm::default(), result).await
}

// --- the list of accounts and inviting one ---

#[derive(Template)]
#[template(path = "auth/users.html")]
struct UsersPage {
    p: PageCtx,
    users: Vec<(UserRow, Vec<RoleGrant>)>,
    total: i64,
    roles: Vec<Role>,
    form: InviteForm,
    errors: Vec<(String, String)>,
    notice: Option<String>,
}

impl UsersPage {
    fn user_url(&self, id: &i64) -> String {
        self.p.url(&format!("/admin/users/{id}"))
    }

    /// Whether the form chose `r` (it comes back chosen after an error).
    fn chosen(&self, r: &Role) -> bool {
        self.form.role == Some(*r)
    }

    fn roles_text(&self, grants: &[RoleGrant]) -> String {
        grants
            .iter()
            .map(|g| {
                let label = self.p.t(&g.role.label_key());
                if g.scope.is_empty() {
                    label
                } else {
                    format!("{label} ({})", g.scope)
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct InviteForm {
    email: String,
    display_name: String,
    /// Absent or empty when none was chosen; an unknown role is refused by the extractor.
    #[serde(default, deserialize_with = "crate::db::text_enum::trimmed_or_none")]
    role: Option<Role>,
    #[serde(default)]
    scope: String,
    #[serde(default)]
    lang: String,
}

async fn users_page(
    db: &Db,
    ctx: &Ctx,
    form: InviteForm,
    errors: Vec<(String, String)>,
    notice: Option<String>,
) -> AppResult<Html<String>> {
    let (users, total) = repo::list_users_with_roles(db, 500, 0).await?;
    render(&UsersPage {
        p: PageCtx::new(ctx, "users-title"),
        users,
        total,
        roles: Role::ALL.to_vec(),
        form,
        errors,
        notice,
    })
}

#[derive(Deserialize)]
pub struct UsersQuery {
    invited: Option<String>,
}

pub async fn users(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Query(q): Query<UsersQuery>,
) -> AppResult<Html<String>> {
    let notice = q
        .invited
        .map(|email| lang.t_args("user-invited", &[("email", crate::i18n::Arg::Str(&email))]));
    users_page(&state.db, &ctx, InviteForm::default(), Vec::new(), notice).await
}

pub async fn invite_user(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    actor: Actor,
    Form(form): Form<InviteForm>,
) -> AppResult<Response> {
    let result = match form.role {
        None => Err(AppError::field("role", "role-invalid")),
        Some(role) => {
            let account = actions::NewAccount {
                email: form.email.clone(),
                display_name: form.display_name.clone(),
                role,
                scope: form.scope.clone(),
                lang: Lang::parse(&form.lang).unwrap_or(lang),
                password: None,
                email_verified: false,
                is_demo: false,
            };
            actions::create_account(&state, &actor, account).await
        }
    };
    match result {
        Ok(_) => {
            let email: String =
                url::form_urlencoded::byte_serialize(form.email.trim().as_bytes()).collect();
            Ok(
                Redirect::to(&format!("/{}/admin/users?invited={email}", lang.code()))
                    .into_response(),
            )
        }
        Err(e) => {
            let errors = field_errors(lang, e)?;
            Ok(with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                users_page(&state.db, &ctx, form, errors, None).await?,
            ))
        }
    }
}
