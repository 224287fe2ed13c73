//! SQL for accounts, roles, sessions, API tokens, one-time tokens and rate limits.

use chrono::{DateTime, Duration, Utc};

use crate::db::{Db, Tx};
use crate::identity::{Principal, Role, RoleGrant, User, Via};
use crate::on_db;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub password_hash: Option<String>,
    pub lang: String,
    pub email_verified_at: Option<DateTime<Utc>>,
    /// The second-factor seed (base32), opened as the row is read; `None` when there is none
    /// or when the key does not open it (see [`UserRow::totp_unreadable`]).
    #[sqlx(skip)]
    pub totp_secret: Option<String>,
    /// The seed as stored: sealed with the process keyring for `totp:{id}`, or plain when
    /// written before sealing existed.
    pub totp_stored: Option<String>,
    pub totp_enabled_at: Option<DateTime<Utc>>,
    pub totp_last_step: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub disabled_at: Option<DateTime<Utc>>,
    pub is_demo: bool,
}

impl UserRow {
    pub fn to_user(&self) -> User {
        User {
            id: self.id,
            email: self.email.clone(),
            display_name: self.display_name.clone(),
            lang: self.lang.clone(),
            email_verified: self.email_verified_at.is_some(),
            totp_enrolled: self.totp_enabled_at.is_some(),
            is_demo: self.is_demo,
        }
    }

    /// A seed is stored but cannot be opened (a key file that lost its key).
    pub fn totp_unreadable(&self) -> bool {
        self.totp_stored.is_some() && self.totp_secret.is_none()
    }

    /// Fills `totp_secret` from the stored value: nothing above this file sees a sealed seed.
    fn opened(mut self) -> UserRow {
        self.totp_secret = self.totp_stored.as_deref().and_then(|stored| {
            open_totp(self.id, stored)
                .inspect_err(|e| {
                    tracing::error!(user_id = self.id, error = %e, "cannot open the account's second-factor seed");
                })
                .ok()
        });
        self
    }
}

/// What a sealed TOTP seed is bound to, so a value copied to another account does not open.
pub fn totp_context(user_id: i64) -> String {
    format!("totp:{user_id}")
}

/// The seed of a stored value: sealed ones are opened, plain ones (from before) taken as they are.
pub fn open_totp(user_id: i64, stored: &str) -> Result<String, crate::secrets::SecretError> {
    if crate::secrets::is_sealed(stored) {
        crate::secrets::keyring().open_str(stored, &totp_context(user_id))
    } else {
        Ok(stored.to_string())
    }
}

/// A seed sealed under the current key, for storing.
pub fn seal_totp(user_id: i64, secret: &str) -> String {
    crate::secrets::keyring().seal_str(secret, &totp_context(user_id))
}

const USER_COLUMNS: &str = "id, email, display_name, password_hash, lang, email_verified_at, \
     totp_secret AS totp_stored, \
     totp_enabled_at, totp_last_step, created_at, disabled_at, is_demo";

pub struct NewUser<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub password_hash: Option<&'a str>,
    pub lang: &'a str,
    pub email_verified: bool,
    pub is_demo: bool,
}

pub async fn find_user_by_email(db: &Db, email: &str) -> sqlx::Result<Option<UserRow>> {
    let sql = const_format_user("WHERE email = $1");
    let row: Option<UserRow> = on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(email).fetch_optional(c).await)?;
    Ok(row.map(UserRow::opened))
}

pub async fn find_user(db: &Db, id: i64) -> sqlx::Result<Option<UserRow>> {
    let sql = const_format_user("WHERE id = $1");
    let row: Option<UserRow> =
        on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(c).await)?;
    Ok(row.map(UserRow::opened))
}

pub async fn find_user_tx(tx: &mut Tx, id: i64) -> sqlx::Result<Option<UserRow>> {
    let sql = const_format_user("WHERE id = $1");
    let row: Option<UserRow> =
        on_db!(tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(c).await)?;
    Ok(row.map(UserRow::opened))
}

/// The column list is a constant and the clause a literal from this file: no input reaches it.
fn const_format_user(clause: &'static str) -> String {
    format!("SELECT {USER_COLUMNS} FROM users {clause}")
}

pub async fn list_users(db: &Db, limit: i64, offset: i64) -> sqlx::Result<(Vec<UserRow>, i64)> {
    // Lists never need the seed, so it stays closed (`totp_secret` is `None`).
    let sql = const_format_user("ORDER BY email LIMIT $1 OFFSET $2");
    let rows: Vec<UserRow> = on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(limit).bind(offset).fetch_all(c).await)?;
    let total: i64 =
        on_db!(db, c => sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(c).await)?;
    Ok((rows, total))
}

/// A page of accounts with their roles, in three queries whatever the page size.
pub async fn list_users_with_roles(
    db: &Db,
    limit: i64,
    offset: i64,
) -> sqlx::Result<(Vec<(UserRow, Vec<RoleGrant>)>, i64)> {
    let (rows, total) = list_users(db, limit, offset).await?;
    let grants: Vec<(i64, String, String)> = on_db!(db, c => sqlx::query_as(
        "SELECT user_id, role, scope FROM user_roles WHERE user_id IN \
         (SELECT id FROM users ORDER BY email LIMIT $1 OFFSET $2) ORDER BY user_id, role, scope")
        .bind(limit).bind(offset).fetch_all(c).await)?;
    let mut by_user: std::collections::HashMap<i64, Vec<RoleGrant>> =
        std::collections::HashMap::new();
    for (user_id, role, scope) in grants {
        if let Some(role) = Role::parse(&role) {
            by_user
                .entry(user_id)
                .or_default()
                .push(RoleGrant { role, scope });
        }
    }
    let items = rows
        .into_iter()
        .map(|u| {
            let grants = by_user.remove(&u.id).unwrap_or_default();
            (u, grants)
        })
        .collect();
    Ok((items, total))
}

pub async fn count_users(db: &Db) -> sqlx::Result<i64> {
    on_db!(db, c => sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(c).await)
}

/// Creates an account; `Ok(None)` when the email is taken.
pub async fn create_user(
    tx: &mut Tx,
    new: &NewUser<'_>,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<i64>> {
    let verified = new.email_verified.then_some(now);
    let result: sqlx::Result<i64> = on_db!(tx, c => sqlx::query_scalar(
        "INSERT INTO users (email, display_name, password_hash, lang, email_verified_at, \
         password_changed_at, created_at, is_demo) VALUES ($1, $2, $3, $4, $5, $6, $6, $7) RETURNING id")
        .bind(new.email).bind(new.display_name).bind(new.password_hash).bind(new.lang)
        .bind(verified).bind(now).bind(new.is_demo)
        .fetch_one(c).await);
    match result {
        Ok(id) => Ok(Some(id)),
        Err(e) if crate::db::is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

pub async fn grant_role(
    tx: &mut Tx,
    user_id: i64,
    role: Role,
    scope: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    crate::db_exec!(tx, c => sqlx::query(
        "INSERT INTO user_roles (user_id, role, scope, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id, role, scope) DO NOTHING")
        .bind(user_id).bind(role.code()).bind(scope).bind(now).execute(c).await)?;
    Ok(())
}

pub async fn roles_of(db: &Db, user_id: i64) -> sqlx::Result<Vec<RoleGrant>> {
    let rows: Vec<(String, String)> = on_db!(db, c => sqlx::query_as(
        "SELECT role, scope FROM user_roles WHERE user_id = $1 ORDER BY role, scope")
        .bind(user_id).fetch_all(c).await)?;
    Ok(rows
        .into_iter()
        .filter_map(|(role, scope)| Role::parse(&role).map(|role| RoleGrant { role, scope }))
        .collect())
}

pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub user_id: i64,
    pub expires_at: DateTime<Utc>,
    pub user_agent: &'a str,
    pub ip: &'a str,
}

pub async fn create_session(
    tx: &mut Tx,
    s: &NewSession<'_>,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    crate::db_exec!(tx, c => sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, user_agent, ip) \
         VALUES ($1, $2, $3, $3, $4, $5, $6)")
        .bind(s.token_hash).bind(s.user_id).bind(now).bind(s.expires_at).bind(s.user_agent).bind(s.ip)
        .execute(c).await)?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    user_id: i64,
    last_seen_at: DateTime<Utc>,
    second_factor_at: Option<DateTime<Utc>>,
}

/// The principal behind a session cookie, if the session is live and the account enabled.
/// Extends a sliding session at most once an hour, so reads stay reads.
pub async fn principal_for_session(
    db: &Db,
    token_hash: &str,
    now: DateTime<Utc>,
    lifetime: Duration,
) -> sqlx::Result<Option<Principal>> {
    let row: Option<SessionRow> = on_db!(db, c => sqlx::query_as(
        "SELECT s.user_id, s.last_seen_at, s.second_factor_at FROM sessions s \
         JOIN users u ON u.id = s.user_id \
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled_at IS NULL")
        .bind(token_hash).bind(now).fetch_optional(c).await)?;
    let Some(row) = row else { return Ok(None) };
    if now - row.last_seen_at > Duration::hours(1) {
        crate::db_exec!(db, c => sqlx::query("UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE token_hash = $3")
            .bind(now).bind(now + lifetime).bind(token_hash).execute(c).await)?;
    }
    let via = Via::Session {
        token_hash: token_hash.to_string(),
        second_factor_done: row.second_factor_at.is_some(),
    };
    principal_for_user(db, row.user_id, via).await
}

async fn principal_for_user(db: &Db, user_id: i64, via: Via) -> sqlx::Result<Option<Principal>> {
    let Some(user) = find_user(db, user_id).await? else {
        return Ok(None);
    };
    let roles = roles_of(db, user_id).await?;
    Ok(Some(Principal {
        user: user.to_user(),
        roles,
        via,
    }))
}

pub async fn delete_session(tx: &mut Tx, token_hash: &str) -> sqlx::Result<()> {
    crate::db_exec!(tx, c => sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(c).await)?;
    Ok(())
}

/// Ends every session of the account (after a password change or reset), but `except`.
pub async fn delete_sessions_of(
    tx: &mut Tx,
    user_id: i64,
    except: Option<&str>,
) -> sqlx::Result<u64> {
    let done = crate::db_exec!(tx, c => sqlx::query(
        "DELETE FROM sessions WHERE user_id = $1 AND ($2 IS NULL OR token_hash <> $2)")
        .bind(user_id).bind(except).execute(c).await)?;
    Ok(done)
}

pub async fn mark_second_factor(
    tx: &mut Tx,
    token_hash: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    crate::db_exec!(tx, c => sqlx::query("UPDATE sessions SET second_factor_at = $1 WHERE token_hash = $2")
        .bind(now).bind(token_hash).execute(c).await)?;
    Ok(())
}

/// Stores a fresh, not yet confirmed TOTP secret (replacing an unconfirmed one), sealed.
pub async fn set_pending_totp(tx: &mut Tx, user_id: i64, secret: &str) -> sqlx::Result<()> {
    let sealed = seal_totp(user_id, secret);
    crate::db_exec!(tx, c => sqlx::query(
        "UPDATE users SET totp_secret = $1, totp_last_step = NULL WHERE id = $2 AND totp_enabled_at IS NULL")
        .bind(sealed).bind(user_id).execute(c).await)?;
    Ok(())
}

/// Every stored TOTP seed: (account id, stored value).
pub async fn stored_totp_seeds(db: &Db) -> sqlx::Result<Vec<(i64, String)>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT id, totp_secret FROM users WHERE totp_secret IS NOT NULL ORDER BY id")
        .fetch_all(c).await)
}

/// Replaces a stored seed by `new` only if it still reads `old`, so a seed changed meanwhile
/// (a new enrolment, a reset) is not overwritten. False when it had changed.
pub async fn replace_totp_seed(db: &Db, user_id: i64, old: &str, new: &str) -> sqlx::Result<bool> {
    let done = crate::db_exec!(db, c => sqlx::query(
        "UPDATE users SET totp_secret = $1 WHERE id = $2 AND totp_secret = $3")
        .bind(new).bind(user_id).bind(old).execute(c).await)?;
    Ok(done == 1)
}

/// The same, in the caller's transaction.
pub async fn replace_totp_seed_tx(
    tx: &mut Tx,
    user_id: i64,
    old: &str,
    new: &str,
) -> sqlx::Result<bool> {
    let done = crate::db_exec!(tx, c => sqlx::query(
        "UPDATE users SET totp_secret = $1 WHERE id = $2 AND totp_secret = $3")
        .bind(new).bind(user_id).bind(old).execute(c).await)?;
    Ok(done == 1)
}

/// Records an accepted TOTP step; enables TOTP if it was pending. False if a concurrent request
/// already used this or a later step (a replay).
pub async fn accept_totp_step(
    tx: &mut Tx,
    user_id: i64,
    step: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let done = crate::db_exec!(tx, c => sqlx::query(
        "UPDATE users SET totp_last_step = $1, totp_enabled_at = COALESCE(totp_enabled_at, $2) \
         WHERE id = $3 AND (totp_last_step IS NULL OR totp_last_step < $1)")
        .bind(step).bind(now).bind(user_id).execute(c).await)?;
    Ok(done == 1)
}

pub async fn set_password(
    tx: &mut Tx,
    user_id: i64,
    hash: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    crate::db_exec!(tx, c => sqlx::query("UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3")
        .bind(hash).bind(now).bind(user_id).execute(c).await)?;
    Ok(())
}

pub async fn mark_email_verified(
    tx: &mut Tx,
    user_id: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    crate::db_exec!(tx, c => sqlx::query(
        "UPDATE users SET email_verified_at = COALESCE(email_verified_at, $1) WHERE id = $2")
        .bind(now).bind(user_id).execute(c).await)?;
    Ok(())
}

pub async fn set_lang(tx: &mut Tx, user_id: i64, lang: &str) -> sqlx::Result<()> {
    crate::db_exec!(tx, c => sqlx::query("UPDATE users SET lang = $1 WHERE id = $2").bind(lang).bind(user_id).execute(c).await)?;
    Ok(())
}

// --- API tokens ---

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct TokenRow {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

pub struct NewToken<'a> {
    pub user_id: i64,
    pub name: &'a str,
    pub token_hash: &'a str,
    pub prefix: &'a str,
    /// Set when the token may act as staff: made after the second factor, or by an operator.
    pub second_factor_at: Option<DateTime<Utc>>,
}

pub async fn create_token(tx: &mut Tx, t: &NewToken<'_>, now: DateTime<Utc>) -> sqlx::Result<i64> {
    on_db!(tx, c => sqlx::query_scalar(
        "INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at, second_factor_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
        .bind(t.user_id).bind(t.name).bind(t.token_hash).bind(t.prefix).bind(now).bind(t.second_factor_at)
        .fetch_one(c).await)
}

/// The principal behind a bearer token. Its second-factor state is the token's own, from its
/// creation, never the account's: a token acts with the privileges it was made with.
pub async fn principal_for_token(
    db: &Db,
    token_hash: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<Principal>> {
    type Row = (i64, i64, Option<DateTime<Utc>>, Option<DateTime<Utc>>);
    let row: Option<Row> = on_db!(db, c => sqlx::query_as(
        "SELECT t.id, t.user_id, t.last_used_at, t.second_factor_at FROM api_tokens t \
         JOIN users u ON u.id = t.user_id \
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.disabled_at IS NULL")
        .bind(token_hash).fetch_optional(c).await)?;
    let Some((id, user_id, last_used, second_factor_at)) = row else {
        return Ok(None);
    };
    if last_used.is_none_or(|t| now - t > Duration::minutes(5)) {
        crate::db_exec!(db, c => sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(now).bind(id).execute(c).await)?;
    }
    let via = Via::Token {
        id,
        second_factor_done: second_factor_at.is_some(),
    };
    principal_for_user(db, user_id, via).await
}

/// Revokes every live token of the account; returns how many.
pub async fn revoke_tokens_of(tx: &mut Tx, user_id: i64, now: DateTime<Utc>) -> sqlx::Result<u64> {
    crate::db_exec!(tx, c => sqlx::query(
        "UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
        .bind(now).bind(user_id).execute(c).await)
}

pub async fn list_tokens(db: &Db, user_id: i64) -> sqlx::Result<Vec<TokenRow>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT id, name, prefix, created_at, last_used_at, revoked_at FROM api_tokens \
         WHERE user_id = $1 ORDER BY id DESC")
        .bind(user_id).fetch_all(c).await)
}

/// Revokes one of the account's own tokens; false if there is no such live token.
pub async fn revoke_token(
    tx: &mut Tx,
    user_id: i64,
    token_id: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let n = crate::db_exec!(tx, c => sqlx::query(
        "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL")
        .bind(now).bind(token_id).bind(user_id).execute(c).await)?;
    Ok(n == 1)
}

// --- one-time tokens (email verification, password reset, invitation) ---

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    VerifyEmail,
    ResetPassword,
}

impl Purpose {
    pub fn code(self) -> &'static str {
        match self {
            Purpose::VerifyEmail => "verify_email",
            Purpose::ResetPassword => "reset_password",
        }
    }
}

pub async fn create_one_time_token(
    tx: &mut Tx,
    user_id: i64,
    purpose: Purpose,
    token_hash: &str,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> sqlx::Result<()> {
    crate::db_exec!(tx, c => sqlx::query(
        "INSERT INTO one_time_tokens (token_hash, user_id, purpose, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(token_hash).bind(user_id).bind(purpose.code()).bind(now).bind(expires_at).execute(c).await)?;
    Ok(())
}

/// The account a live one-time token belongs to, without using it up.
pub async fn peek_one_time_token(
    db: &Db,
    token_hash: &str,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<i64>> {
    on_db!(db, c => sqlx::query_scalar(
        "SELECT user_id FROM one_time_tokens WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3")
        .bind(token_hash).bind(purpose.code()).bind(now).fetch_optional(c).await)
}

/// Uses up a one-time token: at most one request ever gets its account back.
pub async fn take_one_time_token(
    tx: &mut Tx,
    token_hash: &str,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<i64>> {
    on_db!(tx, c => sqlx::query_scalar(
        "UPDATE one_time_tokens SET used_at = $3 WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL \
         AND expires_at > $3 RETURNING user_id")
        .bind(token_hash).bind(purpose.code()).bind(now).fetch_optional(c).await)
}

// --- known devices (for the login limits) ---

/// Remembers that the browser holding the device cookie signed in to the account.
pub async fn remember_device(
    db: &Db,
    token_hash: &str,
    user_id: i64,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> sqlx::Result<()> {
    crate::db_exec!(db, c => sqlx::query(
        "INSERT INTO login_devices (token_hash, user_id, created_at, last_used_at, expires_at) \
         VALUES ($1, $2, $3, $3, $4) \
         ON CONFLICT (token_hash, user_id) DO UPDATE SET last_used_at = $3, expires_at = $4")
        .bind(token_hash).bind(user_id).bind(now).bind(expires_at).execute(c).await)?;
    Ok(())
}

/// Whether the browser with this device cookie signed in to the account before.
pub async fn device_known(
    db: &Db,
    token_hash: &str,
    user_id: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let n: i64 = on_db!(db, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM login_devices WHERE token_hash = $1 AND user_id = $2 AND expires_at > $3")
        .bind(token_hash).bind(user_id).bind(now).fetch_one(c).await)?;
    Ok(n > 0)
}

pub async fn forget_device(db: &Db, token_hash: &str, user_id: i64) -> sqlx::Result<()> {
    crate::db_exec!(db, c => sqlx::query(
        "DELETE FROM login_devices WHERE token_hash = $1 AND user_id = $2")
        .bind(token_hash).bind(user_id).execute(c).await)?;
    Ok(())
}

/// Moves every still valid row of the browser's old device cookie to its new one, so a browser
/// keeps the accounts it is known to while its cookie value is replaced.
pub async fn rekey_device(
    db: &Db,
    old_hash: &str,
    new_hash: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<u64> {
    crate::db_exec!(db, c => sqlx::query(
        "UPDATE login_devices SET token_hash = $2 WHERE token_hash = $1 AND expires_at > $3")
        .bind(old_hash).bind(new_hash).bind(now).execute(c).await)
}

/// Deletes the account's devices whose life has ended.
pub async fn prune_devices_of(db: &Db, user_id: i64, now: DateTime<Utc>) -> sqlx::Result<u64> {
    crate::db_exec!(db, c => sqlx::query(
        "DELETE FROM login_devices WHERE user_id = $1 AND expires_at <= $2")
        .bind(user_id).bind(now).execute(c).await)
}

/// Forgets every device of the account (its password changed: they knew the old one).
pub async fn forget_devices_of(tx: &mut Tx, user_id: i64) -> sqlx::Result<u64> {
    crate::db_exec!(tx, c => sqlx::query("DELETE FROM login_devices WHERE user_id = $1")
        .bind(user_id).execute(c).await)
}

// --- rate limits (fixed windows, shared by every instance through the database) ---

/// Hits in the current window for `key`.
pub async fn rate_hits(
    db: &Db,
    key: &str,
    window_start: DateTime<Utc>,
) -> sqlx::Result<(i64, Option<DateTime<Utc>>)> {
    let row: Option<(i64, DateTime<Utc>)> = on_db!(db, c => sqlx::query_as(
        "SELECT hits, window_started_at FROM rate_limits WHERE key = $1 AND window_started_at > $2")
        .bind(key).bind(window_start).fetch_optional(c).await)?;
    Ok(row.map_or((0, None), |(h, s)| (h, Some(s))))
}

/// Counts one hit for `key`, starting a new window when the old one has passed.
pub async fn rate_hit(
    db: &Db,
    key: &str,
    now: DateTime<Utc>,
    window_start: DateTime<Utc>,
) -> sqlx::Result<i64> {
    on_db!(db, c => sqlx::query_scalar(
        "INSERT INTO rate_limits (key, window_started_at, hits) VALUES ($1, $2, 1) \
         ON CONFLICT (key) DO UPDATE SET \
           hits = CASE WHEN rate_limits.window_started_at > $3 THEN rate_limits.hits + 1 ELSE 1 END, \
           window_started_at = CASE WHEN rate_limits.window_started_at > $3 \
             THEN rate_limits.window_started_at ELSE $2 END \
         RETURNING hits")
        .bind(key).bind(now).bind(window_start).fetch_one(c).await)
}

/// Counts one hit for `key` like [`rate_hit`] and returns the new count with the start of its
/// window: one statement, so concurrent callers each see their own count.
pub async fn rate_take(
    db: &Db,
    key: &str,
    now: DateTime<Utc>,
    window_start: DateTime<Utc>,
) -> sqlx::Result<(i64, DateTime<Utc>)> {
    on_db!(db, c => sqlx::query_as(
        "INSERT INTO rate_limits (key, window_started_at, hits) VALUES ($1, $2, 1) \
         ON CONFLICT (key) DO UPDATE SET \
           hits = CASE WHEN rate_limits.window_started_at > $3 THEN rate_limits.hits + 1 ELSE 1 END, \
           window_started_at = CASE WHEN rate_limits.window_started_at > $3 \
             THEN rate_limits.window_started_at ELSE $2 END \
         RETURNING hits, window_started_at")
        .bind(key).bind(now).bind(window_start).fetch_one(c).await)
}

/// Takes back one hit of `key` in the current window (never below zero).
pub async fn rate_unhit(db: &Db, key: &str, window_start: DateTime<Utc>) -> sqlx::Result<()> {
    crate::db_exec!(db, c => sqlx::query(
        "UPDATE rate_limits SET hits = hits - 1 WHERE key = $1 AND hits > 0 AND window_started_at > $2")
        .bind(key).bind(window_start).execute(c).await)?;
    Ok(())
}

pub async fn rate_clear(db: &Db, key: &str) -> sqlx::Result<()> {
    crate::db_exec!(db, c => sqlx::query("DELETE FROM rate_limits WHERE key = $1").bind(key).execute(c).await)?;
    Ok(())
}

/// Removes one role grant; false when the account did not hold it.
pub async fn revoke_role(tx: &mut Tx, user_id: i64, role: Role, scope: &str) -> sqlx::Result<bool> {
    let done = crate::db_exec!(tx, c => sqlx::query(
        "DELETE FROM user_roles WHERE user_id = $1 AND role = $2 AND scope = $3")
        .bind(user_id).bind(role.code()).bind(scope).execute(c).await)?;
    Ok(done == 1)
}

/// Whether the account holds `role` with `scope` (read inside the caller's transaction).
pub async fn holds_role(tx: &mut Tx, user_id: i64, role: Role, scope: &str) -> sqlx::Result<bool> {
    let n: i64 = on_db!(tx, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM user_roles WHERE user_id = $1 AND role = $2 AND scope = $3")
        .bind(user_id).bind(role.code()).bind(scope).fetch_one(c).await)?;
    Ok(n > 0)
}

/// Enabled accounts holding the admin role, other than `user_id`.
pub async fn other_active_admins(tx: &mut Tx, user_id: i64) -> sqlx::Result<i64> {
    on_db!(tx, c => sqlx::query_scalar(
        "SELECT COUNT(DISTINCT u.id) FROM users u JOIN user_roles r ON r.user_id = u.id \
         WHERE r.role = 'admin' AND u.disabled_at IS NULL AND u.id <> $1")
        .bind(user_id).fetch_one(c).await)
}

/// Disables (with the time) or enables (`None`) an account; false when nothing changed.
pub async fn set_disabled(
    tx: &mut Tx,
    user_id: i64,
    disabled_at: Option<DateTime<Utc>>,
) -> sqlx::Result<bool> {
    let done = crate::db_exec!(tx, c => sqlx::query(
        "UPDATE users SET disabled_at = $1 WHERE id = $2 AND ((disabled_at IS NULL) <> ($1 IS NULL))")
        .bind(disabled_at).bind(user_id).execute(c).await)?;
    Ok(done == 1)
}

/// Forgets the account's second factor, so it enrols again at its next login.
pub async fn clear_totp(tx: &mut Tx, user_id: i64) -> sqlx::Result<bool> {
    let done = crate::db_exec!(tx, c => sqlx::query(
        "UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL \
         WHERE id = $1 AND totp_secret IS NOT NULL")
        .bind(user_id).execute(c).await)?;
    Ok(done == 1)
}
