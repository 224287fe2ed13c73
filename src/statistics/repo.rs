//! SQL of statistics: indicators and values with their history.

use chrono::{DateTime, Utc};

use super::shipped::{IndicatorDef, Shipped};
use crate::db::{Db, Tx};
use crate::on_db;

pub async fn has_indicators(db: &Db) -> sqlx::Result<bool> {
    let n: i64 = on_db!(db, c => sqlx::query_scalar("SELECT COUNT(*) FROM stat_indicators")
        .fetch_one(c).await)?;
    Ok(n > 0)
}

pub async fn insert_indicator(
    tx: &mut Tx,
    d: &IndicatorDef,
    now: DateTime<Utc>,
) -> sqlx::Result<i64> {
    on_db!(&mut *tx, c => sqlx::query_scalar(
        "INSERT INTO stat_indicators (code, name_uk, name_en, definition_uk, definition_en, measure_uk, \
         measure_en, value_type, periodicity, min_value, max_value, source_uk, source_en, aggregation, \
         is_per_capita, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16) RETURNING id")
        .bind(&d.code).bind(&d.name_uk).bind(&d.name_en).bind(&d.definition_uk).bind(&d.definition_en)
        .bind(&d.measure_uk).bind(&d.measure_en).bind(d.value_type.code()).bind(d.periodicity.code())
        .bind(d.min).bind(d.max).bind(&d.source_uk).bind(&d.source_en).bind(d.aggregation.code())
        .bind(d.per_capita).bind(now).fetch_one(c).await)
}

/// Rows per statement in a bulk insert of values.
const CHUNK: usize = 256;

/// Inserts approved values with their source (`source` maps an indicator id to its source
/// text) in statements of [`CHUNK`] rows. For a first load: values that exist already are an
/// error.
pub async fn insert_approved(
    tx: &mut Tx,
    values: &[(i64, &Shipped)],
    source: &dyn Fn(i64) -> String,
    user: Option<i64>,
    now: DateTime<Utc>,
) -> sqlx::Result<u64> {
    if let Tx::Pg(t) = tx {
        return insert_approved_pg(t, values, source, user, now).await;
    }
    let mut inserted = 0;
    let kind = tx.kind();
    let full = insert_approved_sql(kind, CHUNK);
    for chunk in values.chunks(CHUNK) {
        let sql = if chunk.len() == CHUNK {
            full.clone()
        } else {
            insert_approved_sql(kind, chunk.len())
        };
        inserted += crate::db_exec!(&mut *tx, c => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (indicator, v) in chunk {
                q = q.bind(&v.unit_code).bind(*indicator).bind(v.period.code()).bind(v.value)
                    .bind("approved").bind(source(*indicator)).bind(v.is_partial).bind(user)
                    .bind(now);
            }
            q.execute(c).await
        })?;
    }
    Ok(inserted)
}

/// PostgreSQL takes every row in one statement, each column as an array: a statement of a few
/// hundred rows costs it tens of milliseconds to plan with thousands of parameters, and the
/// first start inserts some 80,000 values.
async fn insert_approved_pg(
    tx: &mut sqlx::Transaction<'static, sqlx::Postgres>,
    values: &[(i64, &Shipped)],
    source: &dyn Fn(i64) -> String,
    user: Option<i64>,
    now: DateTime<Utc>,
) -> sqlx::Result<u64> {
    let mut units = Vec::with_capacity(values.len());
    let mut indicators = Vec::with_capacity(values.len());
    let mut periods = Vec::with_capacity(values.len());
    let mut numbers = Vec::with_capacity(values.len());
    let mut sources = Vec::with_capacity(values.len());
    let mut partial = Vec::with_capacity(values.len());
    for (indicator, v) in values {
        units.push(v.unit_code.as_str());
        indicators.push(*indicator);
        periods.push(v.period.code());
        numbers.push(v.value);
        sources.push(source(*indicator));
        partial.push(v.is_partial);
    }
    let done = sqlx::query(
        "INSERT INTO stat_values (unit_code, indicator_id, period, value, state, source, is_partial, \
         entered_by, entered_at) \
         SELECT u, i, p, v, 'approved', s, x, $7, $8 \
         FROM UNNEST($1::text[], $2::bigint[], $3::text[], $4::float8[], $5::text[], $6::bool[]) \
         AS t (u, i, p, v, s, x)",
    )
    .bind(&units)
    .bind(&indicators)
    .bind(&periods)
    .bind(&numbers)
    .bind(&sources)
    .bind(&partial)
    .bind(user)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

fn insert_approved_sql(kind: crate::db::DbKind, rows: usize) -> String {
    format!(
        "INSERT INTO stat_values (unit_code, indicator_id, period, value, state, source, is_partial, \
         entered_by, entered_at) VALUES {}",
        crate::db::value_rows(kind, rows, 9)
    )
}

/// Records the current state of every value that has no history yet, as its first change.
pub async fn record_first_changes(tx: &mut Tx) -> sqlx::Result<u64> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "INSERT INTO stat_value_changes (value_id, value, state, source, comment, changed_by, changed_at) \
         SELECT v.id, v.value, v.state, v.source, v.comment, v.entered_by, v.entered_at FROM stat_values v \
         WHERE NOT EXISTS (SELECT 1 FROM stat_value_changes h WHERE h.value_id = v.id)")
        .execute(c).await)
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize, utoipa::ToSchema)]
pub struct UnitValue {
    pub indicator: String,
    pub name_uk: String,
    pub name_en: String,
    pub measure_uk: String,
    pub measure_en: String,
    pub value_type: String,
    pub period: String,
    pub value: f64,
    pub state: super::ValueState,
    /// The value's own source (what its importer or the shipped data named).
    pub source: String,
    /// The indicator's source, in each language.
    pub indicator_source_uk: String,
    pub indicator_source_en: String,
    pub is_partial: bool,
}

/// A unit's approved values, by indicator (in the order they were defined) and period.
pub async fn approved_for_unit(db: &Db, unit: &str) -> sqlx::Result<Vec<UnitValue>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT i.code AS indicator, i.name_uk, i.name_en, i.measure_uk, i.measure_en, i.value_type, \
         v.period, v.value, v.state, v.source, i.source_uk AS indicator_source_uk, \
         i.source_en AS indicator_source_en, v.is_partial \
         FROM stat_values v JOIN stat_indicators i ON i.id = v.indicator_id \
         WHERE v.unit_code = $1 AND v.state = 'approved' ORDER BY i.id, v.period")
        .bind(unit).fetch_all(c).await)
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize, utoipa::ToSchema)]
pub struct IndicatorRow {
    #[serde(skip)]
    pub id: i64,
    pub code: String,
    pub name_uk: String,
    pub name_en: String,
    pub definition_uk: String,
    pub definition_en: String,
    /// The unit of measure, in each language.
    pub measure_uk: String,
    pub measure_en: String,
    /// integer, decimal, percent or yes_no.
    pub value_type: String,
    /// year, quarter or month.
    pub periodicity: String,
    pub min_value: Option<f64>,
    pub max_value: Option<f64>,
    pub source_uk: String,
    pub source_en: String,
    /// sum, weighted_mean:<indicator>, mean, min, max or none.
    pub aggregation: String,
    /// Also shown per inhabitant.
    #[serde(rename = "per_capita")]
    pub is_per_capita: bool,
}

const INDICATOR_COLUMNS: &str = "id, code, name_uk, name_en, definition_uk, definition_en, measure_uk, \
     measure_en, value_type, periodicity, min_value, max_value, source_uk, source_en, aggregation, \
     is_per_capita";

pub async fn indicators(db: &Db) -> sqlx::Result<Vec<IndicatorRow>> {
    let sql = format!("SELECT {INDICATOR_COLUMNS} FROM stat_indicators ORDER BY id");
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(c).await)
}

pub async fn indicator(db: &Db, code: &str) -> sqlx::Result<Option<IndicatorRow>> {
    let sql = format!("SELECT {INDICATOR_COLUMNS} FROM stat_indicators WHERE code = $1");
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(code).fetch_optional(c).await)
}

/// Which values to list. `units` None means any unit.
pub struct ValueFilter {
    pub indicator: Option<i64>,
    pub units: Option<Vec<String>>,
    pub period: Option<String>,
    pub state: super::ValueState,
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize, utoipa::ToSchema)]
pub struct ValueRow {
    /// The unit's codifier code.
    #[serde(rename = "unit")]
    pub unit_code: String,
    pub indicator: String,
    pub period: String,
    pub value: f64,
    /// approved (the public sees approved values only).
    pub state: super::ValueState,
    pub source: String,
    pub comment: String,
    /// The period is covered in part only (such as a year whose data stop in summer).
    pub is_partial: bool,
    pub entered_at: DateTime<Utc>,
}

/// Values by the filter, in unit, indicator and period order, with the total.
pub async fn values(
    db: &Db,
    f: &ValueFilter,
    limit: i64,
    offset: i64,
) -> sqlx::Result<(Vec<ValueRow>, i64)> {
    // $1 indicator, $2 period, $3 state, then the unit codes.
    let units = match &f.units {
        Some(codes) if codes.is_empty() => return Ok((Vec::new(), 0)),
        Some(codes) => format!(
            " AND v.unit_code IN ({})",
            (0..codes.len())
                .map(|i| format!("${}", i + 4))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None => String::new(),
    };
    let base = format!(
        "FROM stat_values v JOIN stat_indicators i ON i.id = v.indicator_id \
         WHERE ($1 IS NULL OR v.indicator_id = $1) AND ($2 IS NULL OR v.period = $2) AND v.state = $3{units}"
    );
    let n = f.units.as_ref().map_or(0, Vec::len);
    let list = format!(
        "SELECT v.unit_code, i.code AS indicator, v.period, v.value, v.state, v.source, v.comment, \
         v.is_partial, v.entered_at {base} ORDER BY v.unit_code, i.id, v.period LIMIT ${} OFFSET ${}",
        n + 4,
        n + 5
    );
    let count = format!("SELECT COUNT(*) {base}");
    let codes: &[String] = f.units.as_deref().unwrap_or(&[]);
    let rows = on_db!(db, c => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(list.clone()))
            .bind(f.indicator).bind(f.period.as_deref()).bind(f.state);
        for code in codes {
            q = q.bind(code);
        }
        q.bind(limit).bind(offset).fetch_all(c).await
    })?;
    let total = on_db!(db, c => {
        let mut q = sqlx::query_scalar(sqlx::AssertSqlSafe(count.clone()))
            .bind(f.indicator).bind(f.period.as_deref()).bind(f.state);
        for code in codes {
            q = q.bind(code);
        }
        q.fetch_one(c).await
    })?;
    Ok((rows, total))
}

/// Writes imported values: new ones are inserted, changed ones updated, identical ones left
/// alone (so importing a file twice changes nothing); every insert or update is recorded in
/// the value's history. Returns how many values were written.
pub async fn upsert_values(
    tx: &mut Tx,
    rows: &[super::Entry],
    state: &str,
    source: &str,
    user: Option<i64>,
    now: DateTime<Utc>,
) -> sqlx::Result<u64> {
    let kind = tx.kind();
    let full = upsert_values_sql(kind, CHUNK);
    let sql_for = |n: usize| {
        if n == CHUNK {
            full.clone()
        } else {
            upsert_values_sql(kind, n)
        }
    };
    let mut written = 0;
    match tx {
        // SQLite: two temporary triggers on this connection write each inserted or changed
        // value's history as SQLite writes the value, so nothing comes back row by row (a
        // RETURNING clause has SQLite collect the rows and sqlx hand each one across threads).
        // They are dropped before returning, or undone with the caller's transaction.
        Tx::Sqlite(c) => {
            for sql in HISTORY_TRIGGERS {
                sqlx::query(sql).execute(&mut **c).await?;
            }
            for chunk in rows.chunks(CHUNK) {
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql_for(chunk.len())));
                for r in chunk {
                    q = q
                        .bind(r.unit.as_str())
                        .bind(r.indicator)
                        .bind(r.period.code())
                        .bind(r.value)
                        .bind(&r.comment);
                }
                let q = q.bind(state).bind(source).bind(user).bind(now);
                written += q.execute(&mut **c).await?.rows_affected();
            }
            sqlx::query("DROP TRIGGER temp.stat_values_history_insert")
                .execute(&mut **c)
                .await?;
            sqlx::query("DROP TRIGGER temp.stat_values_history_update")
                .execute(&mut **c)
                .await?;
        }
        Tx::Pg(c) => {
            let mut changed: Vec<i64> = Vec::with_capacity(rows.len());
            for chunk in rows.chunks(CHUNK) {
                let mut q = sqlx::query_scalar(sqlx::AssertSqlSafe(sql_for(chunk.len())));
                for r in chunk {
                    q = q
                        .bind(r.unit.as_str())
                        .bind(r.indicator)
                        .bind(r.period.code())
                        .bind(r.value)
                        .bind(&r.comment)
                        .bind(state)
                        .bind(source)
                        .bind(user)
                        .bind(now);
                }
                let ids: Vec<i64> = q.fetch_all(&mut **c).await?;
                written += ids.len() as u64;
                changed.extend(ids);
            }
            // The history of what was written, in a few statements: the ids are written into
            // the text (numbers the database gave), so there is nothing to bind.
            for ids in changed.chunks(HISTORY_CHUNK) {
                let list = ids
                    .iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join(", ");
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "INSERT INTO stat_value_changes (value_id, value, state, source, comment, \
                     review_note, changed_by, changed_at) SELECT id, value, state, source, comment, \
                     review_note, entered_by, entered_at FROM stat_values WHERE id IN ({list})"
                )))
                .execute(&mut **c)
                .await?;
            }
        }
    }
    Ok(written)
}

/// The history triggers of a SQLite import (see [`upsert_values`]): what the value became.
const HISTORY_TRIGGERS: [&str; 2] = [
    "CREATE TEMP TRIGGER stat_values_history_insert AFTER INSERT ON main.stat_values BEGIN \
     INSERT INTO stat_value_changes (value_id, value, state, source, comment, review_note, \
     changed_by, changed_at) VALUES (NEW.id, NEW.value, NEW.state, NEW.source, NEW.comment, \
     NEW.review_note, NEW.entered_by, NEW.entered_at); END",
    "CREATE TEMP TRIGGER stat_values_history_update AFTER UPDATE ON main.stat_values BEGIN \
     INSERT INTO stat_value_changes (value_id, value, state, source, comment, review_note, \
     changed_by, changed_at) VALUES (NEW.id, NEW.value, NEW.state, NEW.source, NEW.comment, \
     NEW.review_note, NEW.entered_by, NEW.entered_at); END",
];

/// One upsert of `rows` values: a value is rewritten (and returned, for its history) only when
/// something about it differs, so importing the same file twice changes nothing.
fn upsert_values_sql(kind: crate::db::DbKind, rows: usize) -> String {
    // SQLite: the rows' own five values, then the four they share, bound once at the end (each
    // bound text is one more copy SQLite makes). PostgreSQL: nine per row.
    let source = match kind {
        crate::db::DbKind::Sqlite => format!(
            "SELECT v.column1, v.column2, v.column3, v.column4, v.column5, s.state, s.source, \
             s.entered_by, s.entered_at FROM (VALUES {}) AS v CROSS JOIN (SELECT ? AS state, \
             ? AS source, ? AS entered_by, ? AS entered_at) AS s WHERE true",
            crate::db::value_rows(kind, rows, 5)
        ),
        crate::db::DbKind::Postgres => format!("VALUES {}", crate::db::value_rows(kind, rows, 9)),
    };
    format!(
        "INSERT INTO stat_values (unit_code, indicator_id, period, value, comment, state, source, \
         entered_by, entered_at) {source} \
         ON CONFLICT (unit_code, indicator_id, period) DO UPDATE SET value = excluded.value, \
         comment = excluded.comment, state = excluded.state, source = excluded.source, \
         entered_by = excluded.entered_by, entered_at = excluded.entered_at, review_note = '' \
         WHERE stat_values.value <> excluded.value OR stat_values.comment <> excluded.comment \
         OR stat_values.state <> excluded.state OR stat_values.source <> excluded.source \
         OR stat_values.review_note <> ''{}",
        match kind {
            crate::db::DbKind::Sqlite => "",
            crate::db::DbKind::Postgres => " RETURNING id",
        }
    )
}

/// The values on record of `indicators` in `periods`, by (unit, period, indicator id), read
/// inside the caller's transaction.
pub async fn values_of(
    tx: &mut Tx,
    periods: &[String],
    indicators: &[i64],
) -> sqlx::Result<std::collections::HashMap<(String, String, i64), f64>> {
    let mut out = std::collections::HashMap::new();
    if indicators.is_empty() {
        return Ok(out);
    }
    let ids = indicators
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    for period in periods {
        let sql = format!(
            "SELECT unit_code, indicator_id, value FROM stat_values WHERE period = $1 \
             AND indicator_id IN ({ids})"
        );
        let rows: Vec<(String, i64, f64)> = on_db!(&mut *tx, c =>
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(period).fetch_all(c).await)?;
        for (unit, id, value) in rows {
            out.insert((unit, period.clone(), id), value);
        }
    }
    Ok(out)
}

/// Values whose history one statement writes.
const HISTORY_CHUNK: usize = 1_000;

/// The catalogue an import checks rows against: indicator code → what the reader needs.
pub async fn import_catalogue(
    db: &Db,
) -> sqlx::Result<std::collections::HashMap<String, super::import::IndicatorInfo>> {
    Ok(indicators(db)
        .await?
        .into_iter()
        .map(|i| {
            (
                i.code.clone(),
                super::import::IndicatorInfo {
                    id: i.id,
                    value_type: super::ValueType::parse(&i.value_type)
                        .unwrap_or(super::ValueType::Decimal),
                    periodicity: super::Periodicity::parse(&i.periodicity)
                        .unwrap_or(super::Periodicity::Year),
                    min: i.min_value,
                    max: i.max_value,
                },
            )
        })
        .collect())
}

// ---- uploaded imports ------------------------------------------------------------------

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize, utoipa::ToSchema)]
pub struct ImportRow {
    pub id: i64,
    pub file_name: String,
    /// csv or xlsx.
    pub kind: super::ImportKind,
    /// all (every row or none) or good (the good rows; the bad ones reported).
    pub mode: super::actions::ImportMode,
    pub source: String,
    pub size_bytes: i64,
    /// queued, running, done or failed.
    pub status: super::ImportStatus,
    pub rows_read: i64,
    pub good: i64,
    pub bad: i64,
    pub written: i64,
    /// Whether anything was kept.
    #[serde(rename = "committed")]
    pub is_committed: bool,
    #[serde(skip)]
    pub errors: String,
    /// Why a failed import failed.
    pub failure: String,
    #[serde(skip)]
    pub created_by: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

const IMPORT_COLUMNS: &str = "id, file_name, kind, mode, source, size_bytes, status, rows_read, good, bad, \
     written, is_committed, errors, failure, created_by, created_at, finished_at";

pub struct NewImport<'a> {
    pub file_name: &'a str,
    pub kind: super::ImportKind,
    pub mode: super::actions::ImportMode,
    pub source: &'a str,
    pub bytes: &'a [u8],
    pub user: Option<i64>,
}

pub async fn insert_import(
    tx: &mut Tx,
    i: &NewImport<'_>,
    now: DateTime<Utc>,
) -> sqlx::Result<i64> {
    on_db!(&mut *tx, c => sqlx::query_scalar(
        "INSERT INTO stat_imports (file_name, kind, mode, source, size_bytes, file, status, created_by, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, 'queued', $7, $8) RETURNING id")
        .bind(i.file_name).bind(i.kind).bind(i.mode).bind(i.source).bind(i.bytes.len() as i64)
        .bind(i.bytes).bind(i.user).bind(now).fetch_one(c).await)
}

pub async fn find_import(db: &Db, id: i64) -> sqlx::Result<Option<ImportRow>> {
    let sql = format!("SELECT {IMPORT_COLUMNS} FROM stat_imports WHERE id = $1");
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(c).await)
}

pub async fn recent_imports(db: &Db, limit: i64) -> sqlx::Result<Vec<ImportRow>> {
    let sql = format!("SELECT {IMPORT_COLUMNS} FROM stat_imports ORDER BY id DESC LIMIT $1");
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(limit).fetch_all(c).await)
}

/// The uploaded file of a queued import, marking it running; None when it is gone (done).
pub async fn start_import(db: &Db, id: i64) -> sqlx::Result<Option<Vec<u8>>> {
    let file: Option<Option<Vec<u8>>> = on_db!(db, c => sqlx::query_scalar(
        "UPDATE stat_imports SET status = 'running' WHERE id = $1 AND file IS NOT NULL RETURNING file")
        .bind(id).fetch_optional(c).await)?;
    Ok(file.flatten())
}

/// Records how an import ended and drops its file.
pub async fn finish_import(
    db: &Db,
    id: i64,
    report: Result<&super::actions::ImportReport, &str>,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    let (status, rows, good, bad, written, is_committed, errors, failure) = match report {
        Ok(r) => (
            super::ImportStatus::Done,
            r.rows as i64,
            r.good as i64,
            r.bad as i64,
            r.written as i64,
            r.committed,
            serde_json::to_string(&r.errors).unwrap_or_else(|_| "[]".into()),
            String::new(),
        ),
        Err(e) => (
            super::ImportStatus::Failed,
            0,
            0,
            0,
            0,
            false,
            "[]".to_string(),
            e.to_string(),
        ),
    };
    crate::db_exec!(db, c => sqlx::query(
        "UPDATE stat_imports SET status = $2, rows_read = $3, good = $4, bad = $5, written = $6, \
         is_committed = $7, errors = $8, failure = $9, finished_at = $10, file = NULL WHERE id = $1")
        .bind(id).bind(status).bind(rows).bind(good).bind(bad).bind(written).bind(is_committed)
        .bind(errors).bind(failure).bind(now).execute(c).await)?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ApprovedValue {
    pub unit_code: String,
    pub indicator_id: i64,
    pub period: String,
    pub value: f64,
    pub is_partial: bool,
    pub source: String,
}

/// Approved values of `indicators` in `periods` (every period when empty), by unit, indicator
/// and period. The ids and periods (checked by the caller) are written into the text.
pub async fn approved_values(
    db: &Db,
    indicators: &[i64],
    periods: &[String],
) -> sqlx::Result<Vec<ApprovedValue>> {
    if indicators.is_empty() {
        return Ok(Vec::new());
    }
    let ids = indicators
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    // Periods passed Period::parse, so they hold digits, `-` and `Q` only.
    let period_filter = if periods.is_empty() {
        String::new()
    } else {
        format!(
            " AND period IN ({})",
            periods
                .iter()
                .filter(|p| p
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == '-' || c == 'Q'))
                .map(|p| format!("'{p}'"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let sql = format!(
        "SELECT unit_code, indicator_id, period, value, is_partial, source FROM stat_values \
         WHERE state = 'approved' AND indicator_id IN ({ids}){period_filter} \
         ORDER BY unit_code, indicator_id, period"
    );
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(c).await)
}
