//! What admins do to accounts besides creating them: granting and revoking roles, disabling
//! and enabling, resetting the second factor. Each is one transaction with its audit entry;
//! a change of powers revokes the account's API tokens and tells the account by mail.

use serde_json::json;

use super::actions::revoke_tokens;
use super::repo;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::identity::Role;
use crate::state::AppState;
use crate::work::Actor;
use crate::work::Work;

/// The scope rule of a role: national roles have none, scoped roles need one.
fn check_scope(role: Role, scope: &str) -> AppResult<String> {
    let scope = scope.trim();
    match role.scope_kind() {
        Some(_) if scope.is_empty() => Err(AppError::field("scope", "scope-required")),
        None if !scope.is_empty() => Err(AppError::field("scope", "scope-not-allowed")),
        _ if scope.chars().count() > 100 => Err(AppError::field("scope", "scope-too-long")),
        _ => Ok(scope.to_string()),
    }
}

async fn existing_user(tx: &mut crate::db::Tx, user_id: i64) -> AppResult<repo::UserRow> {
    repo::find_user_tx(tx, user_id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Refuses a change that would leave no enabled admin (nobody could then manage accounts).
async fn keep_an_admin(tx: &mut crate::db::Tx, user_id: i64) -> AppResult<()> {
    if repo::holds_role(tx, user_id, Role::Admin, "").await?
        && repo::other_active_admins(tx, user_id).await? == 0
    {
        return Err(AppError::Conflict("last-admin"));
    }
    Ok(())
}

/// Gives an account a role; false when it already held it.
pub async fn grant_role(
    state: &AppState,
    actor: &Actor,
    user_id: i64,
    role: Role,
    scope: &str,
) -> AppResult<bool> {
    let scope = check_scope(role, scope)?;
    let mut work = Work::begin(&state.db, actor.clone()).await?;
    let user = existing_user(&mut work.tx, user_id).await?;
    if repo::holds_role(&mut work.tx, user_id, role, &scope).await? {
        return Ok(false);
    }
    repo::grant_role(&mut work.tx, user_id, role, &scope, work.now).await?;
    // A token made before must not act as staff: staff tokens are made after the second factor.
    let revoked = if role.is_staff() {
        revoke_tokens(state, &mut work, &user, "role-granted").await?
    } else {
        0
    };
    work.audit(
        "grant_role",
        "user",
        user_id,
        json!({"role": role.code(), "scope": scope, "tokens_revoked": revoked}),
    )
    .await?;
    work.commit().await?;
    Ok(true)
}

/// Takes a role away. The last enabled admin keeps theirs.
pub async fn revoke_role(
    state: &AppState,
    actor: &Actor,
    user_id: i64,
    role: Role,
    scope: &str,
) -> AppResult<()> {
    let scope = scope.trim();
    let mut work = Work::begin(&state.db, actor.clone()).await?;
    let user = existing_user(&mut work.tx, user_id).await?;
    if role == Role::Admin {
        keep_an_admin(&mut work.tx, user_id).await?;
    }
    if !repo::revoke_role(&mut work.tx, user_id, role, scope).await? {
        return Err(AppError::NotFound);
    }
    // A role change takes effect at once: the account signs in again and makes new tokens.
    repo::delete_sessions_of(&mut work.tx, user_id, None).await?;
    let revoked = revoke_tokens(state, &mut work, &user, "role-removed").await?;
    work.audit(
        "revoke_role",
        "user",
        user_id,
        json!({"role": role.code(), "scope": scope, "tokens_revoked": revoked}),
    )
    .await?;
    work.commit().await?;
    Ok(())
}

/// Disables an account (its sessions end, its tokens stop working) or enables it again.
/// Nobody disables their own account or the last enabled admin.
pub async fn set_disabled(db: &Db, actor: &Actor, user_id: i64, disabled: bool) -> AppResult<()> {
    let mut work = Work::begin(db, actor.clone()).await?;
    existing_user(&mut work.tx, user_id).await?;
    if disabled {
        if actor.user_id == Some(user_id) {
            return Err(AppError::Conflict("cannot-disable-self"));
        }
        keep_an_admin(&mut work.tx, user_id).await?;
    }
    if !repo::set_disabled(&mut work.tx, user_id, disabled.then_some(work.now)).await? {
        return Ok(());
    }
    if disabled {
        repo::delete_sessions_of(&mut work.tx, user_id, None).await?;
    }
    work.audit(
        if disabled { "disable" } else { "enable" },
        "user",
        user_id,
        json!({}),
    )
    .await?;
    work.commit().await?;
    Ok(())
}

/// For a lost phone: forgets the account's second factor and ends its sessions; a staff
/// account enrols again at its next login.
pub async fn reset_second_factor(state: &AppState, actor: &Actor, user_id: i64) -> AppResult<()> {
    let mut work = Work::begin(&state.db, actor.clone()).await?;
    let user = existing_user(&mut work.tx, user_id).await?;
    if !repo::clear_totp(&mut work.tx, user_id).await? {
        return Err(AppError::Conflict("totp-not-enrolled"));
    }
    repo::delete_sessions_of(&mut work.tx, user_id, None).await?;
    // Tokens were made after the second factor that is now gone.
    let revoked = revoke_tokens(state, &mut work, &user, "second-factor").await?;
    work.audit(
        "reset_second_factor",
        "user",
        user_id,
        json!({"tokens_revoked": revoked}),
    )
    .await?;
    work.commit().await?;
    Ok(())
}
