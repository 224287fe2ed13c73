//! Settings that admins change at run time (such as the club committee's quorum), kept in the
//! database so every instance sees the same value. Each setting has its default in code; a
//! row exists only once an admin has changed it.

use chrono::{DateTime, Utc};

use super::{Db, Tx};
use crate::on_db;

/// The stored value of `key`, if an admin has set one.
pub async fn get(db: &Db, key: &str) -> sqlx::Result<Option<String>> {
    on_db!(db, c => sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
        .bind(key).fetch_optional(c).await)
}

pub async fn set(tx: &mut Tx, key: &str, value: &str, now: DateTime<Utc>) -> sqlx::Result<()> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at")
        .bind(key).bind(value).bind(now).execute(c).await)?;
    Ok(())
}
