//! The use cases of a digest subscription, shared by the pages (`subscribers.rs`) and the API
//! (`subscription_api.rs`): subscribing with double opt-in, confirming by the mailed token,
//! the preferences behind the subscription's secret, and unsubscribing. Each one unit of work
//! whose actor is the address itself.
//!
//! Nobody learns from subscribing whether an address was subscribed already: the answer is
//! the same, and only the address's owner is told, by mail.

use chrono::Duration;
use serde_json::json;

use super::repo::{self, SubscriberRow};
use crate::clock::now;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::secrets::new_secret;
use crate::secrets::secret_hash;
use crate::state::AppState;
use crate::work::Actor;
use crate::work::Work;

/// How long a confirmation link works.
pub const CONFIRM_HOURS: i64 = 48;

/// The sectors chosen (each a sector's slug), checked against the list, as the subscription
/// stores them: comma-separated, empty for all. 422 `sectors` for a slug that is no sector.
async fn sectors_of(db: &Db, chosen: &[String]) -> AppResult<String> {
    let known: Vec<String> = crate::news::repo::sectors(db)
        .await?
        .into_iter()
        .map(|s| s.slug)
        .collect();
    let mut kept: Vec<&str> = Vec::new();
    for slug in chosen {
        if !known.contains(slug) {
            return Err(AppError::field("sectors", "news-error-sector"));
        }
        if !kept.contains(&slug.as_str()) {
            kept.push(slug);
        }
    }
    Ok(kept.join(","))
}

/// Subscribes `email` in `lang` to the `chosen` sectors (none: all), or asks again: mails a
/// confirmation link, or to a confirmed address its preferences link instead. Counted per
/// client address and per address before any work, so parallel requests cannot all pass.
pub async fn subscribe(
    state: &AppState,
    ip: &str,
    email: &str,
    lang: Lang,
    chosen: &[String],
) -> AppResult<()> {
    let email = crate::auth::parse_email(email).map_err(|k| AppError::field("email", k))?;
    let sectors = &sectors_of(&state.db, chosen).await?;
    let ip_key = format!(
        "subscribe:ip:{}",
        crate::auth::actions::rate_key_address(ip)
    );
    crate::auth::actions::take(&state.db, &ip_key, 10).await?;
    crate::auth::actions::take(&state.db, &format!("subscribe:email:{email}"), 3).await?;
    let mut work = Work::begin(&state.db, Actor::visitor(&email, ip)).await?;
    let (kind, link) = match repo::subscriber_by_email(&mut work.tx, &email).await? {
        Some(s) if s.status == super::SubscriberStatus::Confirmed => {
            // Already subscribed: tell the owner of the address, and only them.
            let secret = s.manage_secret()?;
            let link = format!("/{}/digest/subscription/{secret}", lang.code());
            ("digest-already", link)
        }
        existing => {
            let confirm = new_secret("conf.");
            let expires = work.now + Duration::hours(CONFIRM_HOURS);
            let hash = secret_hash(&confirm);
            match existing {
                Some(s) => {
                    repo::renew_subscriber(&mut work.tx, s.id, lang.code(), sectors, &hash, expires)
                        .await?
                }
                None => {
                    let manage = new_secret("sub.");
                    repo::insert_subscriber(
                        &mut work.tx,
                        &email,
                        lang.code(),
                        sectors,
                        &manage,
                        &hash,
                        expires,
                        work.now,
                    )
                    .await?;
                }
            }
            let link = format!("/{}/digest/confirm?token={confirm}", lang.code());
            ("digest-confirm", link)
        }
    };
    let link = state.link(&link);
    let msg = crate::mail::action_mail(lang, &email, &email, kind, &link, CONFIRM_HOURS);
    crate::mail::repo::enqueue(&mut work.tx, &msg, &state.mail_domain(), work.now).await?;
    let detail = json!({ "lang": lang.code(), "sectors": sectors });
    work.audit("subscribe", "subscriber", &email, detail)
        .await?;
    work.wake(&state.mail_wakeup);
    work.commit().await?;
    Ok(())
}

/// The subscription waiting for confirmation by `token`, while the token still works.
pub async fn pending(db: &Db, token: &str) -> AppResult<Option<SubscriberRow>> {
    if token.is_empty() || token.len() > 200 {
        return Ok(None);
    }
    Ok(repo::subscriber_by_confirm(db, &secret_hash(token))
        .await?
        .filter(|s| {
            s.status == super::SubscriberStatus::Pending
                && s.confirm_expires_at.is_some_and(|t| t > now())
        }))
}

/// Confirms the subscription waiting for `token`; answers it. 410 when the token is unknown,
/// used or expired.
pub async fn confirm(db: &Db, ip: &str, token: &str) -> AppResult<SubscriberRow> {
    let gone = AppError::Expired("digest-confirm-gone");
    let Some(s) = pending(db, token).await? else {
        return Err(gone);
    };
    let mut work = Work::begin(db, Actor::visitor(&s.email, ip)).await?;
    if repo::confirm_subscriber(&mut work.tx, s.id, work.now).await? == 0 {
        return Err(gone);
    }
    work.audit("confirm", "subscriber", &s.email, json!({}))
        .await?;
    work.commit().await?;
    by_secret(db, &s.manage_secret()?).await
}

/// The subscription whose secret (of its preferences and unsubscribe links) is `secret`; 404
/// for none.
pub async fn by_secret(db: &Db, secret: &str) -> AppResult<SubscriberRow> {
    if secret.len() > 200 {
        return Err(AppError::NotFound);
    }
    repo::subscriber_by_manage(db, secret)
        .await?
        .ok_or(AppError::NotFound)
}

/// Sets the subscription's language and the `chosen` sectors (none: all).
pub async fn save_preferences(
    db: &Db,
    ip: &str,
    s: &SubscriberRow,
    lang: Lang,
    chosen: &[String],
) -> AppResult<()> {
    let sectors = sectors_of(db, chosen).await?;
    let mut work = Work::begin(db, Actor::visitor(&s.email, ip)).await?;
    repo::set_preferences(&mut work.tx, s.id, lang.code(), &sectors).await?;
    let detail = json!({ "lang": lang.code(), "sectors": sectors });
    work.audit("preferences", "subscriber", &s.email, detail)
        .await?;
    work.commit().await?;
    Ok(())
}

/// Unsubscribes; `one_click` says it came from a mail client (RFC 8058), for the audit log.
pub async fn unsubscribe(db: &Db, ip: &str, s: &SubscriberRow, one_click: bool) -> AppResult<()> {
    let mut work = Work::begin(db, Actor::visitor(&s.email, ip)).await?;
    repo::unsubscribe(&mut work.tx, s.id, work.now).await?;
    let detail = json!({ "one_click": one_click });
    work.audit("unsubscribe", "subscriber", &s.email, detail)
        .await?;
    work.commit().await?;
    Ok(())
}
