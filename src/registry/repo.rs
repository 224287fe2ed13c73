//! SQL of the registry.

use chrono::{DateTime, NaiveDate, Utc};

use super::attributes::{Attribute, Source, Status, StatusRow};
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
    if let Tx::Pg(t) = tx {
        return insert_units_pg(t, units, edition_id).await;
    }
    for chunk in units.chunks(rows_per_insert(WIDTH)) {
        let sql = format!(
            "INSERT INTO units (code, level, category, parent_code, name_uk, name_en, sort_key, \
             first_edition_id) VALUES {}",
            value_rows(tx.kind(), chunk.len(), WIDTH)
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

/// PostgreSQL takes the whole edition in one statement, each column as an array (a first start
/// inserts some 30,000 units; many statements of a few rows each cost it a plan apiece).
async fn insert_units_pg(
    tx: &mut sqlx::Transaction<'static, sqlx::Postgres>,
    units: &[CodifierUnit],
    edition_id: i64,
) -> sqlx::Result<()> {
    let codes: Vec<&str> = units.iter().map(|u| u.code.as_str()).collect();
    let levels: Vec<&str> = units.iter().map(|u| u.category.level().code()).collect();
    let categories: Vec<&str> = units.iter().map(|u| u.category.letter()).collect();
    let parents: Vec<Option<&str>> = units.iter().map(|u| u.parent.as_deref()).collect();
    let names_uk: Vec<&str> = units.iter().map(|u| u.name_uk.as_str()).collect();
    let names_en: Vec<String> = units
        .iter()
        .map(|u| english_name(u.category, &u.name_uk))
        .collect();
    let sort_keys: Vec<String> = units.iter().map(|u| sort_key(&u.name_uk)).collect();
    sqlx::query(
        "INSERT INTO units (code, level, category, parent_code, name_uk, name_en, sort_key, \
         first_edition_id) SELECT c, l, k, p, u, e, s, $8 \
         FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], \
         $7::text[]) AS t (c, l, k, p, u, e, s)",
    )
    .bind(&codes)
    .bind(&levels)
    .bind(&categories)
    .bind(&parents)
    .bind(&names_uk)
    .bind(&names_en)
    .bind(&sort_keys)
    .bind(edition_id)
    .execute(&mut **tx)
    .await?;
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
    // The baseline is the first start's bulk load: its units' keys are checked once, after.
    // Loaded again at the next start if a crash loses it (the registry would be empty).
    let load = if baseline {
        tx.commit_without_waiting().await?;
        Some(tx.begin_bulk_load(&["units"]).await?)
    } else {
        None
    };
    insert_units(tx, &diff.added, edition_id).await?;
    if let Some(load) = load {
        tx.end_bulk_load(load).await?;
    }
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
    bump_revision(tx, now).await?;
    Ok(edition_id)
}

/// Counts of current units per category letter.
pub async fn counts_by_category(db: &Db) -> sqlx::Result<Vec<(String, i64)>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT category, COUNT(*) FROM units WHERE removed_edition_id IS NULL GROUP BY category ORDER BY category")
        .fetch_all(c).await)
}

/// Raises the registry's revision in the caller's transaction, so every app instance rebuilds
/// its snapshot (see `registry::snapshot`).
pub async fn bump_revision(tx: &mut Tx, now: DateTime<Utc>) -> sqlx::Result<()> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "INSERT INTO registry_revision (id, revision, changed_at) VALUES (1, 1, $1) \
         ON CONFLICT (id) DO UPDATE SET revision = registry_revision.revision + 1, \
         changed_at = excluded.changed_at")
        .bind(now).execute(c).await)?;
    Ok(())
}

pub async fn revision(db: &Db) -> sqlx::Result<i64> {
    let r: Option<i64> = on_db!(db, c => sqlx::query_scalar(
        "SELECT revision FROM registry_revision WHERE id = 1").fetch_optional(c).await)?;
    Ok(r.unwrap_or(0))
}

pub async fn has_sources(db: &Db) -> sqlx::Result<bool> {
    let n: i64 = on_db!(db, c => sqlx::query_scalar("SELECT COUNT(*) FROM data_sources")
        .fetch_one(c).await)?;
    Ok(n > 0)
}

pub async fn insert_sources(tx: &mut Tx, sources: &[Source]) -> sqlx::Result<()> {
    for s in sources {
        let retrieved =
            NaiveDate::parse_from_str(s.retrieved_on, "%Y-%m-%d").unwrap_or(NaiveDate::MIN);
        crate::db_exec!(&mut *tx, c => sqlx::query(
            "INSERT INTO data_sources (id, title_uk, title_en, publisher, url, licence, retrieved_on) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING")
            .bind(s.id).bind(s.title_uk).bind(s.title_en).bind(s.publisher).bind(s.url)
            .bind(s.licence).bind(retrieved).execute(c).await)?;
    }
    Ok(())
}

/// Stores attributes, replacing a unit's earlier value of the same key (the last of several
/// given for one unit and key wins).
pub async fn upsert_attributes(tx: &mut Tx, attributes: &[Attribute]) -> sqlx::Result<()> {
    if let Tx::Pg(t) = tx {
        return upsert_attributes_pg(t, attributes).await;
    }
    const WIDTH: usize = 6;
    for chunk in attributes.chunks(rows_per_insert(WIDTH)) {
        let sql = format!(
            "INSERT INTO unit_attributes (code, key, value_text, value_number, as_of_on, source_id) \
             VALUES {} ON CONFLICT (code, key) DO UPDATE SET value_text = excluded.value_text, \
             value_number = excluded.value_number, as_of_on = excluded.as_of_on, \
             source_id = excluded.source_id",
            value_rows(tx.kind(), chunk.len(), WIDTH)
        );
        crate::db_exec!(&mut *tx, c => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
            for a in chunk {
                q = q.bind(&a.code).bind(a.key.code()).bind(&a.text).bind(a.number)
                    .bind(a.as_of).bind(a.source);
            }
            q.execute(c).await
        })?;
    }
    Ok(())
}

/// PostgreSQL takes every attribute in one statement, each column as an array (see
/// `insert_units_pg`). One statement may not touch a row twice, so only the last attribute of
/// a unit and key goes in, as the statements one after another would leave it.
async fn upsert_attributes_pg(
    tx: &mut sqlx::Transaction<'static, sqlx::Postgres>,
    attributes: &[Attribute],
) -> sqlx::Result<()> {
    let mut last: std::collections::HashMap<(&str, &str), usize> =
        std::collections::HashMap::with_capacity(attributes.len());
    for (i, a) in attributes.iter().enumerate() {
        last.insert((a.code.as_str(), a.key.code()), i);
    }
    let kept: Vec<&Attribute> = attributes
        .iter()
        .enumerate()
        .filter(|(i, a)| last.get(&(a.code.as_str(), a.key.code())) == Some(i))
        .map(|(_, a)| a)
        .collect();
    let codes: Vec<&str> = kept.iter().map(|a| a.code.as_str()).collect();
    let keys: Vec<&str> = kept.iter().map(|a| a.key.code()).collect();
    let texts: Vec<Option<&str>> = kept.iter().map(|a| a.text.as_deref()).collect();
    let numbers: Vec<Option<f64>> = kept.iter().map(|a| a.number).collect();
    let dates: Vec<Option<NaiveDate>> = kept.iter().map(|a| a.as_of).collect();
    let sources: Vec<&str> = kept.iter().map(|a| a.source).collect();
    sqlx::query(
        "INSERT INTO unit_attributes (code, key, value_text, value_number, as_of_on, source_id) \
         SELECT c, k, t, n, d, s FROM UNNEST($1::text[], $2::text[], $3::text[], \
         $4::float8[], $5::date[], $6::text[]) AS u (c, k, t, n, d, s) \
         ON CONFLICT (code, key) DO UPDATE SET value_text = excluded.value_text, \
         value_number = excluded.value_number, as_of_on = excluded.as_of_on, \
         source_id = excluded.source_id",
    )
    .bind(&codes)
    .bind(&keys)
    .bind(&texts)
    .bind(&numbers)
    .bind(&dates)
    .bind(&sources)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Records a status from `since`; a second status for the same unit and day replaces the first.
pub async fn set_status(
    tx: &mut Tx,
    row: &StatusRow,
    user_id: Option<i64>,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "INSERT INTO unit_statuses (code, status, since_on, note, created_at, created_by_user_id) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (code, since_on) DO UPDATE SET \
         status = excluded.status, note = excluded.note, created_at = excluded.created_at, \
         created_by_user_id = excluded.created_by_user_id")
        .bind(&row.code).bind(row.status.code()).bind(row.since).bind(&row.note).bind(now)
        .bind(user_id).execute(c).await)?;
    Ok(())
}

/// Deletes one status entry of a unit; returns it when there was one.
pub async fn delete_status(
    tx: &mut Tx,
    code: &str,
    id: i64,
) -> sqlx::Result<Option<(Status, NaiveDate)>> {
    on_db!(&mut *tx, c => sqlx::query_as(
        "DELETE FROM unit_statuses WHERE id = $1 AND code = $2 RETURNING status, since_on")
        .bind(id).bind(code).fetch_optional(c).await)
}

/// A unit as the snapshot holds it.
#[derive(sqlx::FromRow)]
pub struct UnitRow {
    pub code: String,
    pub category: String,
    pub parent_code: Option<String>,
    pub name_uk: String,
    pub name_en: String,
    pub sort_key: String,
}

pub async fn current_units(db: &Db) -> sqlx::Result<Vec<UnitRow>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT code, category, parent_code, name_uk, name_en, sort_key FROM units \
         WHERE removed_edition_id IS NULL").fetch_all(c).await)
}

/// The attributes the snapshot needs for every unit: the type and the population.
pub async fn summary_attributes(
    db: &Db,
) -> sqlx::Result<Vec<(String, String, Option<String>, Option<f64>)>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT code, key, value_text, value_number FROM unit_attributes \
         WHERE key IN ('type', 'population_total')").fetch_all(c).await)
}

/// Every status entry, oldest first.
pub async fn all_statuses(db: &Db) -> sqlx::Result<Vec<(String, Status, NaiveDate)>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT code, status, since_on FROM unit_statuses ORDER BY code, since_on")
        .fetch_all(c).await)
}

pub async fn aliases(db: &Db) -> sqlx::Result<Vec<(String, String)>> {
    on_db!(db, c => sqlx::query_as("SELECT old_code, code FROM unit_aliases").fetch_all(c).await)
}

/// One attribute with its source, for a unit's page.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttributeRow {
    pub key: String,
    pub value_text: Option<String>,
    pub value_number: Option<f64>,
    pub as_of_on: Option<NaiveDate>,
    pub source_id: String,
    pub title_uk: String,
    pub title_en: String,
    pub publisher: String,
    pub url: String,
    pub licence: String,
    pub retrieved_on: NaiveDate,
}

pub async fn attributes_of(db: &Db, code: &str) -> sqlx::Result<Vec<AttributeRow>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT a.key, a.value_text, a.value_number, a.as_of_on, a.source_id, s.title_uk, \
         s.title_en, s.publisher, s.url, s.licence, s.retrieved_on FROM unit_attributes a \
         JOIN data_sources s ON s.id = a.source_id WHERE a.code = $1 ORDER BY a.key")
        .bind(code).fetch_all(c).await)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SourceRow {
    pub id: String,
    pub title_uk: String,
    pub title_en: String,
    pub publisher: String,
    pub url: String,
    pub licence: String,
    pub retrieved_on: NaiveDate,
}

pub async fn sources(db: &Db) -> sqlx::Result<Vec<SourceRow>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT id, title_uk, title_en, publisher, url, licence, retrieved_on FROM data_sources \
         ORDER BY id").fetch_all(c).await)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StatusEntry {
    pub id: i64,
    pub status: Status,
    pub since_on: NaiveDate,
    pub note: String,
    pub created_at: DateTime<Utc>,
}

/// A unit's own status entries, newest first.
pub async fn status_history(db: &Db, code: &str) -> sqlx::Result<Vec<StatusEntry>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT id, status, since_on, note, created_at FROM unit_statuses WHERE code = $1 \
         ORDER BY since_on DESC").bind(code).fetch_all(c).await)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ChangeEntry {
    pub change: String,
    pub old_name_uk: Option<String>,
    pub new_name_uk: Option<String>,
    pub old_parent_code: Option<String>,
    pub new_parent_code: Option<String>,
    pub edition_on: NaiveDate,
}

/// What editions changed for a unit, oldest first, and the codes it had before.
pub async fn history(db: &Db, code: &str) -> sqlx::Result<(Vec<ChangeEntry>, Vec<String>)> {
    let changes = on_db!(db, c => sqlx::query_as(
        "SELECT ch.change, ch.old_name_uk, ch.new_name_uk, ch.old_parent_code, ch.new_parent_code, \
         e.edition_on FROM unit_changes ch JOIN registry_editions e ON e.id = ch.edition_id \
         WHERE ch.code = $1 ORDER BY e.edition_on, ch.id").bind(code).fetch_all(c).await)?;
    let old_codes = on_db!(db, c => sqlx::query_scalar(
        "SELECT old_code FROM unit_aliases WHERE code = $1 ORDER BY old_code")
        .bind(code).fetch_all(c).await)?;
    Ok((changes, old_codes))
}

/// A removed unit (no longer in the current edition), for a page that explains where it went.
pub async fn removed_unit(db: &Db, code: &str) -> sqlx::Result<Option<(String, NaiveDate)>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT u.name_uk, e.edition_on FROM units u JOIN registry_editions e \
         ON e.id = u.removed_edition_id WHERE u.code = $1").bind(code).fetch_optional(c).await)
}

/// Every edition loaded, newest first: (edition date, file, when loaded).
pub async fn editions(db: &Db) -> sqlx::Result<Vec<(NaiveDate, String, DateTime<Utc>)>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT edition_on, source, loaded_at FROM registry_editions ORDER BY edition_on DESC, id DESC")
        .fetch_all(c).await)
}
