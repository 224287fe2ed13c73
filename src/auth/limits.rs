//! Rate limits: attempts counted per key (an account, a client address, both) in windows of
//! [`LIMIT_WINDOW_MINUTES`], in the database so every instance sees the same counts. Client
//! addresses are keyed by [`rate_key_address`] (IPv6 by its /64).

use chrono::Duration;

use super::repo;
use crate::clock::now;
use crate::db::Db;
use crate::error::{AppError, AppResult};

/// The length of a rate-limit window.
pub const LIMIT_WINDOW_MINUTES: i64 = 15;

pub(super) fn window_start() -> chrono::DateTime<chrono::Utc> {
    now() - Duration::minutes(LIMIT_WINDOW_MINUTES)
}

/// The part of a client address that rate-limit keys use: an IPv4 address whole (an IPv4
/// address mapped into IPv6 as that IPv4 address), an IPv6 address by its /64 network, since
/// one subscriber line holds a whole /64 and rotating inside it would give endless buckets.
/// Anything that is not an address is kept as it is. The audit log keeps the full address.
pub fn rate_key_address(ip: &str) -> String {
    match ip.trim().parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(v4)) => v4.to_string(),
        Ok(std::net::IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        Err(_) => ip.to_string(),
    }
}

/// `key` with a trailing client address (`"club:address:{ip}"`) keyed by
/// [`rate_key_address`], so callers that build keys from the full address still share one
/// bucket per IPv6 /64. Keys that end otherwise, or are already keyed, stay as they are.
fn rate_key(key: &str) -> std::borrow::Cow<'_, str> {
    // The longest tail after a colon that is an address: for IPv6 the whole address.
    for (i, _) in key.match_indices(':') {
        let tail = &key[i + 1..];
        if tail.parse::<std::net::IpAddr>().is_ok() {
            return format!("{}{}", &key[..=i], rate_key_address(tail)).into();
        }
    }
    key.into()
}

pub(super) fn too_many(started: Option<chrono::DateTime<chrono::Utc>>) -> AppError {
    let ends = started.unwrap_or_else(now) + Duration::minutes(LIMIT_WINDOW_MINUTES);
    let secs = u64::try_from((ends - now()).num_seconds().max(1)).unwrap_or(60);
    AppError::TooMany {
        retry_after_secs: secs,
    }
}

/// Refuses when `key` has reached `max` hits in the current window. The check and a later
/// [`bump`] are two steps that concurrent requests can all pass between: where a guess must
/// not slip through, use [`take`].
pub async fn limit(db: &Db, key: &str, max: u32) -> AppResult<()> {
    let key = rate_key(key);
    let (hits, started) = repo::rate_hits(db, &key, window_start()).await?;
    if hits >= i64::from(max) {
        return Err(too_many(started));
    }
    Ok(())
}

pub async fn bump(db: &Db, key: &str) -> AppResult<()> {
    repo::rate_hit(db, &rate_key(key), now(), window_start()).await?;
    Ok(())
}

/// Counts one attempt for `key` first, in one statement, and refuses it when the new count is
/// over `max`: of any number of concurrent requests at most `max` pass in a window.
pub async fn take(db: &Db, key: &str, max: u32) -> AppResult<()> {
    let (hits, started) = repo::rate_take(db, &rate_key(key), now(), window_start()).await?;
    if hits > i64::from(max) {
        return Err(too_many(Some(started)));
    }
    Ok(())
}

/// Empties `key`'s count.
pub async fn clear(db: &Db, key: &str) -> AppResult<()> {
    repo::rate_clear(db, &rate_key(key)).await?;
    Ok(())
}

/// Gives back an attempt counted by [`take`] that turned out legitimate.
pub async fn give_back(db: &Db, key: &str) -> AppResult<()> {
    repo::rate_unhit(db, &rate_key(key), window_start()).await?;
    Ok(())
}
