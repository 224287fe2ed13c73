//! SQL of the registry.

use chrono::{DateTime, NaiveDate, Utc};

use super::codifier::CodifierUnit;
use super::edition::{Current, Diff};
use super::{Category, english_name, sort_key};
use crate::db::{Db, Tx, rows_per_insert, value_rows};
use crate::on_db;

/// Units in the current edition (not removed).
pub async fn current(db: &Db) -> sqlx::Result<Vec<Current>> {
    let rows: Vec<(String, String, Option<String>, String)> = on_db!(db, c => sqlx::query_as(
        "SELECT code, category, parent_code, name_uk FROM units WHERE removed_edition_id IS NULL")
        .fetch_all(c).await)?;
    Ok(rows
        .into_iter()
        .filter_map(|(code, category, parent, name_uk)| {
            Category::from_letter(&category).map(|category| Current {
                code,
                category,
                parent,
                name_uk,
            })
        })
        .collect())
}

pub async fn edition_loaded(db: &Db, sha256: &str) -> sqlx::Result<Option<NaiveDate>> {
    on_db!(db, c => sqlx::query_scalar("SELECT edition_on FROM registry_editions WHERE sha256 = $1")
        .bind(sha256).fetch_optional(c).await)
}

pub async fn has_units(db: &Db) -> sqlx::Result<bool> {
    let n: i64 = on_db!(db, c => sqlx::query_scalar("SELECT COUNT(*) FROM (SELECT 1 FROM units LIMIT 1) x")
        .fetch_one(c).await)?;
    Ok(n > 0)
}

pub struct NewEdition<'a> {
    pub edition_on: NaiveDate,
    pub source: &'a str,
    pub sha256: &'a str,
}

async fn insert_units(tx: &mut Tx, units: &[CodifierUnit], edition_id: i64) -> sqlx::Result<()> {
    const WIDTH: usize = 8;
    for chunk in units.chunks(rows_per_insert(WIDTH)) {
        let sql = format!(
            "INSERT INTO units (code, level, category, parent_code, name_uk, name_en, sort_key, \
             first_edition_id) VALUES {}",
            value_rows(chunk.len(), WIDTH)
        );
        crate::db_exec!(&mut *tx, c => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
            for u in chunk {
                q = q
                    .bind(&u.code)
                    .bind(u.category.level().code())
                    .bind(u.category.letter())
                    .bind(&u.parent)
                    .bind(&u.name_uk)
                    .bind(english_name(u.category, &u.name_uk))
                    .bind(sort_key(&u.name_uk))
                    .bind(edition_id);
            }
            q.execute(c).await
        })?;
    }
    Ok(())
}

async fn record_change(
    tx: &mut Tx,
    code: &str,
    edition_id: i64,
    change: &str,
    names: (Option<&str>, Option<&str>),
    parents: (Option<&str>, Option<&str>),
) -> sqlx::Result<()> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "INSERT INTO unit_changes (code, edition_id, change, old_name_uk, new_name_uk, old_parent_code, \
         new_parent_code) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(code).bind(edition_id).bind(change).bind(names.0).bind(names.1)
        .bind(parents.0).bind(parents.1).execute(c).await)?;
    Ok(())
}

/// Applies an edition's differences inside the caller's transaction and returns the edition's
/// id. On an empty registry the edition is the baseline: its units are not listed as changes.
pub async fn apply_edition(
    tx: &mut Tx,
    edition: &NewEdition<'_>,
    diff: &Diff,
    categories: &std::collections::HashMap<String, Category>,
    baseline: bool,
    now: DateTime<Utc>,
) -> sqlx::Result<i64> {
    tx.defer_foreign_keys().await?;
    let edition_id: i64 = on_db!(&mut *tx, c => sqlx::query_scalar(
        "INSERT INTO registry_editions (edition_on, source, sha256, loaded_at, added, renamed, moved, removed) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id")
        .bind(edition.edition_on).bind(edition.source).bind(edition.sha256).bind(now)
        .bind(diff.added.len() as i64).bind(diff.renamed.len() as i64)
        .bind(diff.moved.len() as i64).bind(diff.removed.len() as i64)
        .fetch_one(c).await)?;
    insert_units(tx, &diff.added, edition_id).await?;
    if !baseline {
        for u in &diff.added {
            record_change(
                tx,
                &u.code,
                edition_id,
                "added",
                (None, Some(&u.name_uk)),
                (None, u.parent.as_deref()),
            )
            .await?;
        }
    }
    for (code, old, new) in &diff.renamed {
        let category = categories.get(code).copied().unwrap_or(Category::Village);
        crate::db_exec!(&mut *tx, c => sqlx::query(
            "UPDATE units SET name_uk = $1, name_en = $2, sort_key = $3 WHERE code = $4")
            .bind(new).bind(english_name(category, new)).bind(sort_key(new)).bind(code)
            .execute(c).await)?;
        record_change(
            tx,
            code,
            edition_id,
            "renamed",
            (Some(old), Some(new)),
            (None, None),
        )
        .await?;
    }
    for (code, old, new) in &diff.moved {
        crate::db_exec!(&mut *tx, c => sqlx::query("UPDATE units SET parent_code = $1 WHERE code = $2")
            .bind(new).bind(code).execute(c).await)?;
        record_change(
            tx,
            code,
            edition_id,
            "moved",
            (None, None),
            (old.as_deref(), new.as_deref()),
        )
        .await?;
    }
    for code in &diff.removed {
        crate::db_exec!(&mut *tx, c => sqlx::query("UPDATE units SET removed_edition_id = $1 WHERE code = $2")
            .bind(edition_id).bind(code).execute(c).await)?;
        record_change(tx, code, edition_id, "removed", (None, None), (None, None)).await?;
    }
    for (old, new) in &diff.recoded {
        crate::db_exec!(&mut *tx, c => sqlx::query(
            "INSERT INTO unit_aliases (old_code, code, edition_id) VALUES ($1, $2, $3) \
             ON CONFLICT (old_code) DO UPDATE SET code = excluded.code, edition_id = excluded.edition_id")
            .bind(old).bind(new).bind(edition_id).execute(c).await)?;
    }
    Ok(edition_id)
}

/// Counts of current units per category letter.
pub async fn counts_by_category(db: &Db) -> sqlx::Result<Vec<(String, i64)>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT category, COUNT(*) FROM units WHERE removed_edition_id IS NULL GROUP BY category ORDER BY category")
        .fetch_all(c).await)
}
