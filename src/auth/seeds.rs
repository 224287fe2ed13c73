//! Second-factor seeds at rest: sealed with the process keyring (`crate::secrets`) for
//! `totp:{user id}`. Seeds written before sealing existed are read as they are, sealed at their
//! first use and by [`seal_legacy_secrets`] at start-up; [`reseal_secrets`] moves seeds sealed
//! by an older key to the current one after `hromada secrets rotate`.

use super::repo;

/// Seals every second-factor seed still stored in plain (written before sealing existed);
/// returns how many. Run at start-up; a plain seed is also sealed at its first use.
pub async fn seal_legacy_secrets(db: &crate::db::Db) -> anyhow::Result<u64> {
    let mut sealed = 0;
    for (user_id, stored) in repo::stored_totp_seeds(db).await? {
        if crate::secrets::is_sealed(&stored) {
            continue;
        }
        let new = repo::seal_totp(user_id, &stored);
        if repo::replace_totp_seed(db, user_id, &stored, &new).await? {
            sealed += 1;
        }
    }
    Ok(sealed)
}

/// Seals again under the current key every seed sealed by an older one (after
/// `hromada secrets rotate` put a new key first), and any plain seed left; returns how many.
/// A seed no key opens is left as it is and named in the log: its account needs a reset.
pub async fn reseal_secrets(db: &crate::db::Db) -> anyhow::Result<u64> {
    let ring = crate::secrets::keyring();
    let mut resealed = 0;
    for (user_id, stored) in repo::stored_totp_seeds(db).await? {
        if crate::secrets::is_sealed(&stored) && !ring.is_stale(&stored) {
            continue;
        }
        let plain = match repo::open_totp(user_id, &stored) {
            Ok(plain) => plain,
            Err(e) => {
                tracing::error!(user_id, error = %e, "cannot open a second-factor seed to seal it again; reset the account's second factor");
                continue;
            }
        };
        let new = repo::seal_totp(user_id, &plain);
        if repo::replace_totp_seed(db, user_id, &stored, &new).await? {
            resealed += 1;
        }
    }
    Ok(resealed)
}
