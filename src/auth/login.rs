//! Signing in with a password under the login limits.
//!
//! Every attempt from a browser that is not a known device of the account is counted before
//! its password is checked, in one database statement per counter, and refused when a count
//! goes over its limit: concurrent requests cannot all slip past a limit read before any of
//! them is counted. The counters, per window of [`LIMIT_WINDOW_MINUTES`]:
//!
//! - per (address, account) pair, `login_limit_account`: an attacker's address hammering an
//!   account locks out only itself; cleared by a successful login;
//! - per address across accounts, `login_limit_address`;
//! - per account across every address, [`NEW_DEVICE_ATTEMPTS`] times the pair limit: a crowd
//!   of addresses (a botnet, or one IPv6 network rotating) gets no more guesses than that.
//!
//! Addresses are keyed by [`rate_key_address`] (an IPv6 address by its /64). A successful
//! login gives back its address and account attempts, so only failures fill them.
//!
//! A known device (a browser that signed in to the account before, remembered by a cookie
//! stored as SHA-256) is counted too but refused by none of the three: the owner's own
//! browsers are never locked out by strangers' failures. The account-wide cap can hold back
//! the owner on a *new* device while an attack lasts; that is the chosen trade-off, because
//! exempting "addresses that have not failed" would give every fresh address a free guess and
//! so no cap at all. The owner still gets in from any known device, and from a new one
//! through a password reset: the browser that completes the reset link (proof of the
//! mailbox) becomes a known device.
//! A device that keeps failing is forgotten (see [`authenticate`]). The owner gets one mail
//! per burst.
//!
//! Each successful login gives the browser a new random device value (a value the browser
//! brought is never stored as given, so a planted cookie cannot be fixed onto an account) and
//! drops the account's devices whose life has ended.

use chrono::Duration;
use serde_json::json;

use super::actions::{
    LIMIT_WINDOW_MINUTES, bump, clear, give_back, rate_key_address, take, too_many, window_start,
};
use super::repo;
use crate::clock::now;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::i18n::{Arg, Lang};
use crate::mail;
use crate::secrets::new_secret;
use crate::secrets::secret_hash;
use crate::state::AppState;
use crate::work::Actor;
use crate::work::Work;

/// How long a browser stays a known device of an account after signing in to it.
pub const DEVICE_DAYS: i64 = 180;
/// Attempts from new devices an account takes per window across every address, in multiples
/// of the per-pair limit (4 × 5 = 20 by default): room for the owner on a few new browsers,
/// few for a crowd guessing.
pub const NEW_DEVICE_ATTEMPTS: u32 = 4;

/// A password accepted: the account, and the device cookie the browser keeps.
#[derive(Debug)]
pub struct Authenticated {
    pub user_id: i64,
    pub device: String,
}

/// Checks email and password under the rate limits (see the module comment). On success
/// returns the account and the browser's new device cookie; the caller then starts a session.
pub async fn authenticate(
    state: &AppState,
    email: &str,
    password: &str,
    ip: &str,
    device: Option<&str>,
) -> AppResult<Authenticated> {
    let email = email.trim().to_lowercase();
    let address = rate_key_address(ip);
    let account_key = format!("login:account:{email}");
    let new_devices_key = format!("login:new-devices:{email}");
    let pair_key = format!("login:pair:{address}:{email}");
    let address_key = format!("login:address:{address}");
    let per_pair = state.settings.login_limit_account;
    let user = repo::find_user_by_email(&state.db, &email).await?;
    let device = device.filter(|d| crate::secrets::looks_like_secret(d));
    let device_hash = device.map(secret_hash);
    let device_key = match (&user, &device_hash) {
        (Some(u), Some(h)) => Some((u.id, h.as_str(), format!("login:device:{}:{h}", u.id))),
        _ => None,
    };
    // A stolen device cookie must not guess without limit: past as many attempts as a pair may
    // have, the device is forgotten and refused. Counted first, for any cookie value, so that
    // concurrent requests with one cookie cannot pass while another forgets it.
    let mut known = false;
    if let Some((user_id, h, key)) = &device_key {
        let (hits, started) = repo::rate_take(&state.db, key, now(), window_start()).await?;
        if hits > i64::from(per_pair) {
            repo::forget_device(&state.db, h, *user_id).await?;
            return Err(too_many(Some(started)));
        }
        known = repo::device_known(&state.db, h, *user_id, now()).await?;
    }
    if known {
        // Counted, never refused: a device that stops being known finds its pair full.
        bump(&state.db, &address_key).await?;
        bump(&state.db, &pair_key).await?;
    } else {
        take(&state.db, &address_key, state.settings.login_limit_address).await?;
        take(&state.db, &pair_key, per_pair).await?;
        take(&state.db, &new_devices_key, per_pair * NEW_DEVICE_ATTEMPTS).await?;
    }
    let hash = user.as_ref().and_then(|u| u.password_hash.clone());
    let ok = super::verify_password(password, hash.as_deref().unwrap_or(super::dummy_hash()));
    match user {
        Some(u) if ok && hash.is_some() && u.disabled_at.is_none() => {
            give_back(&state.db, &address_key).await?;
            if known {
                // The owner's device at a shared address takes back only its own attempt:
                // it must not empty the pair that a stranger behind that address fills.
                give_back(&state.db, &pair_key).await?;
            } else {
                clear(&state.db, &pair_key).await?;
                give_back(&state.db, &new_devices_key).await?;
            }
            if let Some((_, _, key)) = &device_key {
                repo::rate_clear(&state.db, key).await?;
            }
            let device = new_device(&state.db, u.id, device_hash.as_deref()).await?;
            Ok(Authenticated {
                user_id: u.id,
                device,
            })
        }
        user => {
            let failures = repo::rate_hit(&state.db, &account_key, now(), window_start()).await?;
            if let Some(u) = user.filter(|u| u.disabled_at.is_none()) {
                // The count passes the limit once per window, so one mail per burst.
                if failures == i64::from(per_pair) {
                    mail_login_burst(state, &u, failures, ip).await?;
                }
            }
            Err(AppError::field("password", "login-failed"))
        }
    }
}

/// Makes the browser a known device of the account under a new random value, which it
/// returns for the cookie. The rows of the value the browser held (`old_hash`), for whatever
/// accounts it was known to, move to the new value; a value the browser brought is never
/// stored itself. The account's expired devices are dropped on the way.
pub async fn new_device(db: &Db, user_id: i64, old_hash: Option<&str>) -> AppResult<String> {
    let device = new_secret("");
    let new_hash = secret_hash(&device);
    let now = now();
    if let Some(old) = old_hash {
        repo::rekey_device(db, old, &new_hash, now).await?;
    }
    repo::remember_device(
        db,
        &new_hash,
        user_id,
        now,
        now + Duration::days(DEVICE_DAYS),
    )
    .await?;
    repo::prune_devices_of(db, user_id, now).await?;
    Ok(device)
}

/// Tells the owner that their account met a burst of failed logins.
async fn mail_login_burst(
    state: &AppState,
    user: &repo::UserRow,
    failures: i64,
    ip: &str,
) -> AppResult<()> {
    let lang = Lang::parse(&user.lang).unwrap_or_default();
    let paragraphs = [
        lang.t_args(
            "mail-login-burst-body",
            &[
                ("count", Arg::Num(failures)),
                ("minutes", Arg::Num(LIMIT_WINDOW_MINUTES)),
                ("address", Arg::Str(ip)),
            ],
        ),
        lang.t("mail-login-burst-advice"),
    ];
    let link = state.link(&format!("/{}/account", lang.code()));
    let label = lang.t("mail-login-burst-action");
    let msg = mail::letter(
        lang,
        &user.email,
        &user.display_name,
        "login-burst",
        &paragraphs,
        Some((&label, &link)),
    );
    let mut work = Work::begin(&state.db, Actor::visitor("login form", ip)).await?;
    mail::repo::enqueue(&mut work.tx, &msg, &state.mail_domain(), work.now).await?;
    work.audit(
        "login_burst",
        "user",
        user.id,
        json!({"failures": failures}),
    )
    .await?;
    work.wake(&state.mail_wakeup);
    work.commit().await?;
    Ok(())
}
