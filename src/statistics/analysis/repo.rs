//! SQL of the analysis side: the values' revision, one indicator's approved values, releases.

use chrono::{DateTime, Utc};

use crate::db::{Db, Tx};
use crate::on_db;

/// Raises the statistics revision in the caller's transaction, so every app instance reloads
/// the approved values it keeps in memory (see [`super::cube`]). Call it last before the
/// commit: on PostgreSQL the row stays locked until then.
pub async fn raise_revision(tx: &mut Tx, now: DateTime<Utc>) -> sqlx::Result<()> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "INSERT INTO stat_revision (id, revision, changed_at) VALUES (1, 1, $1) \
         ON CONFLICT (id) DO UPDATE SET revision = stat_revision.revision + 1, \
         changed_at = excluded.changed_at")
        .bind(now).execute(c).await)?;
    Ok(())
}

/// The revision and when it last moved (`None` before any value was written).
pub async fn revision(db: &Db) -> sqlx::Result<(i64, Option<DateTime<Utc>>)> {
    let r: Option<(i64, DateTime<Utc>)> = on_db!(db, c => sqlx::query_as(
        "SELECT revision, changed_at FROM stat_revision WHERE id = 1").fetch_optional(c).await)?;
    Ok(r.map_or((0, None), |(n, at)| (n, Some(at))))
}

/// One approved value of an indicator: unit, period, value, whether the period is covered in
/// part only, and its source.
pub type SeriesRow = (String, String, f64, bool, String);

pub async fn approved_series(db: &Db, indicator: i64) -> sqlx::Result<Vec<SeriesRow>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT unit_code, period, value, is_partial, source FROM stat_values \
         WHERE indicator_id = $1 AND state = 'approved'")
        .bind(indicator).fetch_all(c).await)
}
