//! Account use cases shared by the pages, the JSON API and the command line. Each one runs in
//! one transaction that also writes its audit entry and any mail it sends.

use chrono::Duration;
use serde_json::json;

use super::repo::{self, NewSession, NewUser, Purpose};
use super::{check_new_password, parse_email};
use crate::clock::now;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::i18n::{Arg, Lang};
use crate::identity::Role;
use crate::mail;
use crate::secrets::new_secret;
use crate::secrets::secret_hash;
use crate::state::AppState;
use crate::work::Actor;
use crate::work::Work;

pub const RESET_HOURS: i64 = 2;
pub const INVITE_HOURS: i64 = 7 * 24;
pub const VERIFY_HOURS: i64 = 48;

pub struct NewAccount {
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub scope: String,
    pub lang: Lang,
    /// With a password the account can log in at once; without one, an invitation mail with a
    /// link to set it is queued.
    pub password: Option<String>,
    pub email_verified: bool,
    pub is_demo: bool,
}

/// Checks the fields of a new account; every problem is reported at once.
pub fn validate_account(
    email: &str,
    display_name: &str,
    role: Role,
    scope: &str,
) -> AppResult<String> {
    let mut errors = Vec::new();
    let email = match parse_email(email) {
        Ok(e) => e,
        Err(key) => {
            errors.push(("email".to_string(), key.to_string()));
            String::new()
        }
    };
    if display_name.trim().is_empty() || display_name.chars().count() > 200 {
        errors.push(("display_name".to_string(), "name-required".to_string()));
    }
    match role.scope_kind() {
        Some(_) if scope.trim().is_empty() => {
            errors.push(("scope".to_string(), "scope-required".to_string()))
        }
        None if !scope.trim().is_empty() => {
            errors.push(("scope".to_string(), "scope-not-allowed".to_string()))
        }
        _ => {}
    }
    if errors.is_empty() {
        Ok(email)
    } else {
        Err(AppError::Invalid(errors))
    }
}

pub async fn create_account(state: &AppState, actor: &Actor, new: NewAccount) -> AppResult<i64> {
    let email = validate_account(&new.email, &new.display_name, new.role, &new.scope)?;
    if let Some(pw) = &new.password {
        check_new_password(pw, &email).map_err(|k| AppError::field("password", k))?;
    }
    let hash = new
        .password
        .as_deref()
        .map(super::hash_password)
        .transpose()?;
    let mut work = Work::begin(&state.db, actor.clone()).await?;
    let now = work.now;
    let record = NewUser {
        email: &email,
        display_name: new.display_name.trim(),
        password_hash: hash.as_deref(),
        lang: new.lang.code(),
        email_verified: new.email_verified,
        is_demo: new.is_demo,
    };
    let Some(id) = repo::create_user(&mut work.tx, &record, now).await? else {
        return Err(AppError::Invalid(vec![(
            "email".into(),
            "email-taken".into(),
        )]));
    };
    let scope = new.scope.trim();
    repo::grant_role(&mut work.tx, id, new.role, scope, now).await?;
    let changes = json!({"email": email, "display_name": record.display_name, "role": new.role.code(), "scope": scope});
    work.audit("create", "user", id, changes).await?;
    if new.password.is_none() {
        let token = invitation_token(&mut work.tx, id, now).await?;
        let link = state.link(&format!(
            "/{}/password/reset?token={token}",
            new.lang.code()
        ));
        let msg = mail::action_mail(
            new.lang,
            &email,
            record.display_name,
            "invite",
            &link,
            INVITE_HOURS,
        );
        mail::repo::enqueue(&mut work.tx, &msg, &state.mail_domain(), now).await?;
    } else if !new.email_verified {
        queue_verification(state, &mut work, id, &email, record.display_name, new.lang).await?;
    }
    work.wake(&state.mail_wakeup);
    work.commit().await?;
    Ok(id)
}

/// A link secret for a new account without a password: a password-reset token that lives for
/// [`INVITE_HOURS`]. The caller mails `/{lang}/password/reset?token=…`.
pub async fn invitation_token(
    tx: &mut crate::db::Tx,
    user_id: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> sqlx::Result<String> {
    let token = new_secret("");
    let expires = now + Duration::hours(INVITE_HOURS);
    repo::create_one_time_token(
        tx,
        user_id,
        Purpose::ResetPassword,
        &secret_hash(&token),
        now,
        expires,
    )
    .await?;
    Ok(token)
}

async fn queue_verification(
    state: &AppState,
    work: &mut Work,
    user_id: i64,
    email: &str,
    name: &str,
    lang: Lang,
) -> AppResult<()> {
    let now = work.now;
    let token = new_secret("");
    let expires = now + Duration::hours(VERIFY_HOURS);
    repo::create_one_time_token(
        &mut work.tx,
        user_id,
        Purpose::VerifyEmail,
        &secret_hash(&token),
        now,
        expires,
    )
    .await?;
    let link = state.link(&format!("/{}/verify-email?token={token}", lang.code()));
    let msg = mail::action_mail(lang, email, name, "verify", &link, VERIFY_HOURS);
    mail::repo::enqueue(&mut work.tx, &msg, &state.mail_domain(), now).await?;
    work.wake(&state.mail_wakeup);
    Ok(())
}

/// Queues a new verification mail for a signed-in account.
pub async fn resend_verification(
    state: &AppState,
    actor: &Actor,
    user_id: i64,
    lang: Lang,
) -> AppResult<()> {
    limit(&state.db, &format!("verify:user:{user_id}"), 5).await?;
    let Some(user) = repo::find_user(&state.db, user_id).await? else {
        return Err(AppError::NotFound);
    };
    if user.email_verified_at.is_some() {
        return Ok(());
    }
    let mut work = Work::begin(&state.db, actor.clone()).await?;
    queue_verification(
        state,
        &mut work,
        user.id,
        &user.email,
        &user.display_name,
        lang,
    )
    .await?;
    work.audit("verification_sent", "user", user.id, json!({}))
        .await?;
    work.commit().await?;
    bump(&state.db, &format!("verify:user:{user_id}")).await?;
    Ok(())
}

/// Makes the account the actor of its own action, named by its email like every other entry;
/// read in the work's transaction, since the work found the account (by a token) in it.
/// Returns the account's login address.
async fn act_as_account(work: &mut Work, user_id: i64, ip: &str) -> AppResult<String> {
    let user = repo::find_user_tx(&mut work.tx, user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    work.actor = Actor::user(user_id, &user.email, ip);
    Ok(user.email)
}

/// What another feature does in the same unit of work when an account's login address proves
/// to be its owner's (a verification or an invitation link was followed): the account's id and
/// address. The people count the contact address of the person the account belongs to as
/// verified when it is the same address.
pub type AddressVerified =
    for<'a> fn(&'a mut Work, i64, &'a str) -> futures_util::future::BoxFuture<'a, AppResult<()>>;

/// The state's list of [`AddressVerified`] steps, put in by the composition root.
#[derive(Default)]
pub struct OnAddressVerified(pub Vec<AddressVerified>);

/// Marks the account's login address verified and runs the other features' steps.
async fn address_verified(
    state: &AppState,
    work: &mut Work,
    user_id: i64,
    email: &str,
) -> AppResult<()> {
    repo::mark_email_verified(&mut work.tx, user_id, work.now).await?;
    for step in &state.part::<OnAddressVerified>().0 {
        step(work, user_id, email).await?;
    }
    Ok(())
}

pub async fn verify_email(state: &AppState, token: &str, ip: &str) -> AppResult<()> {
    // The actor is the account the link belongs to, known once the link is taken.
    let mut work = Work::begin(&state.db, Actor::visitor("email verification link", ip)).await?;
    let now = work.now;
    let Some(user_id) =
        repo::take_one_time_token(&mut work.tx, &secret_hash(token), Purpose::VerifyEmail, now)
            .await?
    else {
        return Err(AppError::Expired("link-invalid"));
    };
    let email = act_as_account(&mut work, user_id, ip).await?;
    address_verified(state, &mut work, user_id, &email).await?;
    work.audit("verify_email", "user", user_id, json!({}))
        .await?;
    work.commit().await?;
    Ok(())
}

// --- rate limits: see `limits.rs` ---

pub(super) use super::limits::{LIMIT_WINDOW_MINUTES, too_many, window_start};
pub use super::limits::{bump, clear, give_back, limit, rate_key_address, take};

// --- login: see `login.rs` ---

pub use super::login::{Authenticated, DEVICE_DAYS, authenticate};

/// Starts a session and returns the cookie value. The second factor is not yet done.
pub async fn start_session(
    state: &AppState,
    user_id: i64,
    user_agent: &str,
    ip: &str,
) -> AppResult<String> {
    let token = new_secret("");
    let mut work = Work::begin(&state.db, Actor::visitor("login form", ip)).await?;
    let now = work.now;
    let expires = now + Duration::days(i64::from(state.settings.session_days));
    let ua: String = user_agent.chars().take(300).collect();
    let session = NewSession {
        token_hash: &secret_hash(&token),
        user_id,
        expires_at: expires,
        user_agent: &ua,
        ip,
    };
    repo::create_session(&mut work.tx, &session, now).await?;
    act_as_account(&mut work, user_id, ip).await?;
    work.audit("login", "user", user_id, json!({})).await?;
    work.commit().await?;
    Ok(token)
}

/// Checks a TOTP code for the account; on success marks the session (if any) as having passed
/// the second factor and, for a pending enrolment, enables TOTP.
pub async fn confirm_totp(
    state: &AppState,
    actor: &Actor,
    user_id: i64,
    session: Option<&str>,
    code: &str,
) -> AppResult<()> {
    // Counted before the check: concurrent guesses must not all pass a limit read first.
    let key = format!("totp:user:{user_id}");
    take(&state.db, &key, state.settings.login_limit_account).await?;
    let Some(user) = repo::find_user(&state.db, user_id).await? else {
        return Err(AppError::NotFound);
    };
    if user.totp_unreadable() {
        return Err(AppError::field("code", "totp-unreadable"));
    }
    let Some(secret) = user.totp_secret.as_deref() else {
        return Err(AppError::field("code", "totp-not-started"));
    };
    let unix = u64::try_from(chrono::Utc::now().timestamp()).unwrap_or_default();
    let Some(step) = super::totp::check(secret, code, unix, user.totp_last_step) else {
        return Err(AppError::field("code", "totp-wrong"));
    };
    let mut work = Work::begin(&state.db, actor.clone()).await?;
    let now = work.now;
    if !repo::accept_totp_step(&mut work.tx, user_id, step, now).await? {
        return Err(AppError::field("code", "totp-wrong"));
    }
    // A seed stored before sealing existed is sealed at its first use.
    if let Some(stored) = user
        .totp_stored
        .as_deref()
        .filter(|s| !crate::secrets::is_sealed(s))
    {
        let sealed = repo::seal_totp(user_id, secret);
        repo::replace_totp_seed_tx(&mut work.tx, user_id, stored, &sealed).await?;
    }
    if let Some(token_hash) = session {
        repo::mark_second_factor(&mut work.tx, token_hash, now).await?;
    }
    let action = if user.totp_enabled_at.is_none() {
        "totp_enabled"
    } else {
        "second_factor"
    };
    work.audit(action, "user", user_id, json!({})).await?;
    work.commit().await?;
    repo::rate_clear(&state.db, &key).await?;
    Ok(())
}

/// Starts enrolling a second factor: a new seed, pending until a first code confirms it
/// ([`confirm_totp`]). Returns the seed (base32) to show. Nothing is audited until then.
pub async fn start_totp_enrolment(db: &Db, actor: &Actor, user_id: i64) -> AppResult<String> {
    let seed = super::totp::new_secret_base32();
    let mut work = Work::begin(db, actor.clone()).await?;
    repo::set_pending_totp(&mut work.tx, user_id, &seed).await?;
    work.commit().await?;
    Ok(seed)
}

/// A reset link for the account with this email, if there is one. The caller answers the same
/// way either way, so the form does not reveal which addresses have accounts.
pub async fn request_reset(state: &AppState, email: &str, lang: Lang, ip: &str) -> AppResult<()> {
    let email = email.trim().to_lowercase();
    let account_key = format!("reset:account:{email}");
    let address_key = format!("login:address:{}", rate_key_address(ip));
    take(&state.db, &account_key, 3).await?;
    take(&state.db, &address_key, state.settings.login_limit_address).await?;
    let Some(user) = repo::find_user_by_email(&state.db, &email).await? else {
        return Ok(());
    };
    if user.disabled_at.is_some() {
        return Ok(());
    }
    let token = new_secret("");
    let mut work = Work::begin(&state.db, Actor::visitor("password reset form", ip)).await?;
    let now = work.now;
    let expires = now + Duration::hours(RESET_HOURS);
    repo::create_one_time_token(
        &mut work.tx,
        user.id,
        Purpose::ResetPassword,
        &secret_hash(&token),
        now,
        expires,
    )
    .await?;
    let link = state.link(&format!("/{}/password/reset?token={token}", lang.code()));
    let msg = mail::action_mail(
        lang,
        &user.email,
        &user.display_name,
        "reset",
        &link,
        RESET_HOURS,
    );
    mail::repo::enqueue(&mut work.tx, &msg, &state.mail_domain(), now).await?;
    work.audit("reset_requested", "user", user.id, json!({}))
        .await?;
    work.wake(&state.mail_wakeup);
    work.commit().await?;
    Ok(())
}

/// Sets a new password from a reset (or invitation) link. Every session of the account ends.
pub async fn reset_password(
    state: &AppState,
    token: &str,
    password: &str,
    ip: &str,
) -> AppResult<i64> {
    let now = now();
    let hash_of_token = secret_hash(token);
    let Some(user_id) =
        repo::peek_one_time_token(&state.db, &hash_of_token, Purpose::ResetPassword, now).await?
    else {
        return Err(AppError::Expired("link-invalid"));
    };
    let Some(user) = repo::find_user(&state.db, user_id).await? else {
        return Err(AppError::Expired("link-invalid"));
    };
    check_new_password(password, &user.email).map_err(|k| AppError::field("password", k))?;
    let hash = super::hash_password(password)?;
    let mut work = Work::begin(&state.db, Actor::user(user_id, &user.email, ip)).await?;
    let now = work.now;
    if repo::take_one_time_token(&mut work.tx, &hash_of_token, Purpose::ResetPassword, now)
        .await?
        .is_none()
    {
        return Err(AppError::Expired("link-invalid"));
    }
    address_verified(state, &mut work, user_id, &user.email).await?;
    let changes = set_password(state, &mut work, &user, &hash, None).await?;
    work.audit("password_reset", "user", user_id, changes)
        .await?;
    work.commit().await?;
    Ok(user_id)
}

/// Changes the password of a signed-in account after checking the current one. Every other
/// session of the account ends; `keep` (the session making the change) stays.
pub async fn change_password(
    state: &AppState,
    actor: &Actor,
    user_id: i64,
    keep: Option<&str>,
    current: &str,
    new: &str,
) -> AppResult<()> {
    let Some(user) = repo::find_user(&state.db, user_id).await? else {
        return Err(AppError::NotFound);
    };
    // Only this signed-in account can fail here, so strangers' failed logins never block it.
    let key = format!("password:user:{user_id}");
    take(&state.db, &key, state.settings.login_limit_account).await?;
    if !user
        .password_hash
        .as_deref()
        .is_some_and(|h| super::verify_password(current, h))
    {
        return Err(AppError::field("current", "password-current-wrong"));
    }
    // The right current password: this attempt was no guess.
    give_back(&state.db, &key).await?;
    check_new_password(new, &user.email).map_err(|k| AppError::field("password", k))?;
    let hash = super::hash_password(new)?;
    let mut work = Work::begin(&state.db, actor.clone()).await?;
    let changes = set_password(state, &mut work, &user, &hash, keep).await?;
    work.audit("password_changed", "user", user_id, changes)
        .await?;
    work.commit().await?;
    Ok(())
}

/// Stores a new password hash and ends what the old password opened: every session but `keep`,
/// the known devices, the API tokens (the owner is told by mail). Returns the audit details.
async fn set_password(
    state: &AppState,
    work: &mut Work,
    user: &repo::UserRow,
    hash: &str,
    keep: Option<&str>,
) -> AppResult<serde_json::Value> {
    repo::set_password(&mut work.tx, user.id, hash, work.now).await?;
    let ended = repo::delete_sessions_of(&mut work.tx, user.id, keep).await?;
    repo::forget_devices_of(&mut work.tx, user.id).await?;
    let revoked = revoke_tokens(state, work, user, "password").await?;
    Ok(json!({"sessions_ended": ended, "tokens_revoked": revoked}))
}

/// Creates an API token for an operator on the command line (`hromada token create`): the
/// operator vouches for the account, so the token may act as staff. Returns it; only its hash
/// is kept. Pages and the API use [`create_own_token`].
pub async fn create_token(
    db: &Db,
    actor: &Actor,
    user_id: i64,
    name: &str,
) -> AppResult<(i64, String)> {
    insert_token(db, actor, user_id, name, true).await
}

/// Creates an API token for the signed-in account. Staff do so only from a session that
/// passed the second factor; the token then may act as staff, as long as nothing about the
/// account's roles, second factor or password changes (each revokes its tokens).
pub async fn create_own_token(
    db: &Db,
    principal: &crate::identity::Principal,
    ip: &str,
    name: &str,
) -> AppResult<(i64, String)> {
    let Ok(second_factor) = principal.may_create_token() else {
        return Err(AppError::Forbidden);
    };
    let actor = Actor::of(principal, ip);
    insert_token(db, &actor, principal.user.id, name, second_factor).await
}

async fn insert_token(
    db: &Db,
    actor: &Actor,
    user_id: i64,
    name: &str,
    second_factor: bool,
) -> AppResult<(i64, String)> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::field("name", "token-name-required"));
    }
    let token = new_secret("hro_");
    let prefix: String = token.chars().take(10).collect();
    let mut work = Work::begin(db, actor.clone()).await?;
    let now = work.now;
    let new = repo::NewToken {
        user_id,
        name,
        token_hash: &secret_hash(&token),
        prefix: &prefix,
        second_factor_at: second_factor.then_some(now),
    };
    let id = repo::create_token(&mut work.tx, &new, now).await?;
    let changes = json!({"name": name, "user_id": user_id, "second_factor": second_factor});
    work.audit("create", "api_token", id, changes).await?;
    work.commit().await?;
    Ok((id, token))
}

/// Revokes every live token of the account after a change of its roles, second factor or
/// password (a token keeps the privileges it was made with, never gains new ones), and mails
/// the account when there were any (the mail worker is woken once the work commits). In the
/// caller's work; `reason` names the change (`tokens-revoked-{reason}`).
pub(super) async fn revoke_tokens(
    state: &AppState,
    work: &mut Work,
    user: &repo::UserRow,
    reason: &str,
) -> AppResult<u64> {
    let now = work.now;
    let revoked = repo::revoke_tokens_of(&mut work.tx, user.id, now).await?;
    if revoked == 0 {
        return Ok(0);
    }
    let lang = Lang::parse(&user.lang).unwrap_or_default();
    let count = i64::try_from(revoked).unwrap_or(i64::MAX);
    let paragraphs = [
        lang.t_args(
            "mail-tokens-revoked-body",
            &[
                ("count", Arg::Num(count)),
                (
                    "reason",
                    Arg::Str(&lang.t(&format!("tokens-revoked-{reason}"))),
                ),
            ],
        ),
        lang.t("mail-tokens-revoked-advice"),
    ];
    let link = state.link(&format!("/{}/account", lang.code()));
    let label = lang.t("mail-tokens-revoked-action");
    let msg = mail::letter(
        lang,
        &user.email,
        &user.display_name,
        "tokens-revoked",
        &paragraphs,
        Some((&label, &link)),
    );
    mail::repo::enqueue(&mut work.tx, &msg, &state.mail_domain(), now).await?;
    work.wake(&state.mail_wakeup);
    Ok(revoked)
}

pub async fn revoke_token(db: &Db, actor: &Actor, user_id: i64, token_id: i64) -> AppResult<()> {
    let mut work = Work::begin(db, actor.clone()).await?;
    if !repo::revoke_token(&mut work.tx, user_id, token_id, work.now).await? {
        return Err(AppError::NotFound);
    }
    work.audit("revoke", "api_token", token_id, json!({}))
        .await?;
    work.commit().await?;
    Ok(())
}

/// Ends one session (logout).
pub async fn end_session(db: &Db, actor: &Actor, user_id: i64, token_hash: &str) -> AppResult<()> {
    let mut work = Work::begin(db, actor.clone()).await?;
    repo::delete_session(&mut work.tx, token_hash).await?;
    work.audit("logout", "user", user_id, json!({})).await?;
    work.commit().await?;
    Ok(())
}

// --- roles, disabling and second-factor resets by admins: see `roles.rs` ---

pub use super::roles::{grant_role, reset_second_factor, revoke_role, set_disabled};

// --- second-factor seeds at rest: see `seeds.rs` ---

pub use super::seeds::{reseal_secrets, seal_legacy_secrets};
