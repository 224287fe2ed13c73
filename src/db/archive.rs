//! The portable archive behind `hromada export` and `hromada import`: every table of one
//! database, readable by either backend.
//!
//! Format: gzip-compressed JSON Lines.
//! 1. a header `{"format":"hromada-archive","version":1,"migrations":[…],"exported_at":…,"source":…}`;
//! 2. per table, `{"table":NAME,"columns":[{"name":…,"kind":…},…]}` followed by one JSON array
//!    per row (timestamps as RFC 3339 UTC with microseconds, dates as `YYYY-MM-DD`, bytes as
//!    base64);
//! 3. a trailer `{"end":{TABLE:ROWS,…}}`, so a truncated file is recognised.
//!
//! Export reads one consistent snapshot and streams, so memory stays flat whatever the size.
//! Import runs in one transaction: all rows land or none do, and the first bad line is reported
//! with its number. The file holds password hashes and second-factor secrets: it is written
//! readable by its owner only.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};

use anyhow::{Context, bail};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use futures_util::TryStreamExt;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::Row;

use super::schema::{self, Column, Kind, Table};
use super::{Db, DbKind, Tx};

pub const FORMAT: &str = "hromada-archive";
pub const VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
struct Header {
    format: String,
    version: u32,
    migrations: Vec<i64>,
    exported_at: DateTime<Utc>,
    source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ColumnSpec {
    name: String,
    kind: Kind,
}

#[derive(Debug, Serialize, Deserialize)]
struct TableHeader {
    table: String,
    columns: Vec<ColumnSpec>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Trailer {
    end: BTreeMap<String, u64>,
}

/// Rows per table, in the order written or loaded.
pub type Summary = Vec<(String, u64)>;

fn quote(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

fn column_list(columns: &[Column]) -> String {
    columns
        .iter()
        .map(|c| quote(&c.name))
        .collect::<Vec<_>>()
        .join(", ")
}

fn check_supported(table: &Table) -> anyhow::Result<()> {
    for c in &table.columns {
        if let Kind::Unsupported(t) = &c.kind {
            bail!(
                "column {}.{} has type {t}, which the archive cannot carry",
                table.name,
                c.name
            );
        }
    }
    Ok(())
}

fn select_all(table: &Table) -> String {
    let keys: Vec<&Column> = table.columns.iter().filter(|c| c.primary_key).collect();
    let order = if keys.is_empty() {
        column_list(&table.columns)
    } else {
        keys.iter()
            .map(|c| quote(&c.name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "SELECT {} FROM {} ORDER BY {order}",
        column_list(&table.columns),
        quote(&table.name)
    )
}

fn timestamp_text(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// One row as archive values; a macro because the two backends' rows are different types.
macro_rules! row_values {
    ($row:expr, $table:expr) => {{
        let row = $row;
        let mut values = Vec::with_capacity($table.columns.len());
        for (i, c) in $table.columns.iter().enumerate() {
            let v: Value = match &c.kind {
                Kind::Integer => row.try_get::<Option<i64>, _>(i)?.into(),
                Kind::Float => match row.try_get::<Option<f64>, _>(i)? {
                    None => Value::Null,
                    Some(f) => serde_json::Number::from_f64(f)
                        .map(Value::Number)
                        .with_context(|| format!("{}.{} holds {f}", $table.name, c.name))?,
                },
                Kind::Text => row.try_get::<Option<String>, _>(i)?.into(),
                Kind::Bool => row.try_get::<Option<bool>, _>(i)?.into(),
                Kind::Timestamp => row
                    .try_get::<Option<DateTime<Utc>>, _>(i)?
                    .map(timestamp_text)
                    .into(),
                Kind::Date => row
                    .try_get::<Option<NaiveDate>, _>(i)?
                    .map(|d| d.format("%Y-%m-%d").to_string())
                    .into(),
                Kind::Bytes => row
                    .try_get::<Option<Vec<u8>>, _>(i)?
                    .map(|b| BASE64.encode(b))
                    .into(),
                Kind::Unsupported(_) => Value::Null,
            };
            values.push(v);
        }
        values
    }};
}

fn write_line(out: &mut impl Write, value: &impl Serialize) -> anyhow::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// Writes every table of `db` to `out` (uncompressed JSON Lines; the caller compresses).
/// Tables that are not data: `public_revision` only tells the instances' page caches that
/// something changed (an import raises it as it writes the audit log).
const NOT_ARCHIVED: &[&str] = &["public_revision"];

async fn archived_tables(db: &Db) -> anyhow::Result<Vec<schema::Table>> {
    let mut tables = schema::tables(db).await?;
    tables.retain(|t| !NOT_ARCHIVED.contains(&t.name.as_str()));
    Ok(tables)
}

pub async fn export(db: &Db, out: &mut impl Write) -> anyhow::Result<Summary> {
    let tables = archived_tables(db).await?;
    for t in &tables {
        check_supported(t)?;
    }
    let header = Header {
        format: FORMAT.into(),
        version: VERSION,
        migrations: schema::migrations(db).await?,
        exported_at: crate::clock::now(),
        source: match db.kind() {
            DbKind::Sqlite => "sqlite".into(),
            DbKind::Postgres => "postgres".into(),
        },
    };
    write_line(out, &header)?;
    // One snapshot for all tables, so the archive is consistent while the server runs.
    let mut tx = match db {
        Db::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN").await?),
        Db::Pg(p) => Tx::Pg(
            p.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                .await?,
        ),
    };
    let mut summary = Summary::new();
    for table in &tables {
        write_line(
            out,
            &TableHeader {
                table: table.name.clone(),
                columns: table
                    .columns
                    .iter()
                    .map(|c| ColumnSpec {
                        name: c.name.clone(),
                        kind: c.kind.clone(),
                    })
                    .collect(),
            },
        )?;
        let sql = sqlx::AssertSqlSafe(select_all(table));
        let mut rows = 0u64;
        match &mut tx {
            Tx::Sqlite(c) => {
                let mut stream = sqlx::query(sql).fetch(&mut **c);
                while let Some(row) = stream.try_next().await? {
                    write_line(out, &row_values!(&row, table))?;
                    rows += 1;
                }
            }
            Tx::Pg(c) => {
                let mut stream = sqlx::query(sql).fetch(&mut **c);
                while let Some(row) = stream.try_next().await? {
                    write_line(out, &row_values!(&row, table))?;
                    rows += 1;
                }
            }
        }
        summary.push((table.name.clone(), rows));
    }
    tx.commit().await?;
    write_line(
        out,
        &Trailer {
            end: summary.iter().cloned().collect(),
        },
    )?;
    out.flush()?;
    Ok(summary)
}

/// Writes a gzip-compressed archive to `path`, readable by its owner only.
pub async fn export_file(db: &Db, path: &std::path::Path) -> anyhow::Result<Summary> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options
        .open(path)
        .with_context(|| format!("cannot create {} (it must not exist yet)", path.display()))?;
    let mut gz = flate2::write::GzEncoder::new(
        std::io::BufWriter::new(file),
        flate2::Compression::default(),
    );
    let result = match export(db, &mut gz).await {
        Ok(summary) => gz
            .finish()
            .and_then(|mut w| w.flush())
            .map(|()| summary)
            .map_err(anyhow::Error::from),
        Err(e) => Err(e),
    };
    if result.is_err() {
        // Never leave a partial archive that looks like a whole one.
        let _ = std::fs::remove_file(path);
    }
    result
}

/// A value ready to bind, typed by its column so that NULL carries the right type too.
#[derive(Debug)]
enum Cell {
    Null(Kind),
    Integer(i64),
    Float(f64),
    Text(String),
    Bool(bool),
    Timestamp(DateTime<Utc>),
    Date(NaiveDate),
    Bytes(Vec<u8>),
}

fn cell(value: Value, column: &Column) -> Result<Cell, String> {
    if value.is_null() {
        return if column.nullable {
            Ok(Cell::Null(column.kind.clone()))
        } else {
            Err(format!("{} may not be empty", column.name))
        };
    }
    let wrong = |what: &str| format!("{} must be {what}, found {value}", column.name);
    Ok(match &column.kind {
        Kind::Integer => Cell::Integer(value.as_i64().ok_or_else(|| wrong("an integer"))?),
        Kind::Float => Cell::Float(value.as_f64().ok_or_else(|| wrong("a number"))?),
        Kind::Text => Cell::Text(value.as_str().ok_or_else(|| wrong("text"))?.to_string()),
        Kind::Bool => Cell::Bool(value.as_bool().ok_or_else(|| wrong("true or false"))?),
        Kind::Timestamp => Cell::Timestamp(
            value
                .as_str()
                .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
                .ok_or_else(|| wrong("an RFC 3339 timestamp"))?
                .with_timezone(&Utc),
        ),
        Kind::Date => Cell::Date(
            value
                .as_str()
                .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
                .ok_or_else(|| wrong("a date (YYYY-MM-DD)"))?,
        ),
        Kind::Bytes => Cell::Bytes(
            value
                .as_str()
                .and_then(|s| BASE64.decode(s).ok())
                .ok_or_else(|| wrong("base64"))?,
        ),
        Kind::Unsupported(t) => return Err(format!("{} has unsupported type {t}", column.name)),
    })
}

macro_rules! bind_cell {
    ($q:expr, $cell:expr) => {
        match $cell {
            Cell::Null(kind) => match kind {
                Kind::Integer => $q.bind(None::<i64>),
                Kind::Float => $q.bind(None::<f64>),
                Kind::Bool => $q.bind(None::<bool>),
                Kind::Timestamp => $q.bind(None::<DateTime<Utc>>),
                Kind::Date => $q.bind(None::<NaiveDate>),
                Kind::Bytes => $q.bind(None::<Vec<u8>>),
                Kind::Text | Kind::Unsupported(_) => $q.bind(None::<String>),
            },
            Cell::Integer(v) => $q.bind(v),
            Cell::Float(v) => $q.bind(v),
            Cell::Text(v) => $q.bind(v),
            Cell::Bool(v) => $q.bind(v),
            Cell::Timestamp(v) => $q.bind(v),
            Cell::Date(v) => $q.bind(v),
            Cell::Bytes(v) => $q.bind(v),
        }
    };
}

/// Rows of one table waiting to be inserted together.
struct Batch<'a> {
    table: &'a Table,
    /// The archive's column order, as indexes into `table.columns`.
    columns: Vec<usize>,
    rows: Vec<Vec<Cell>>,
    overriding: bool,
}

impl Batch<'_> {
    fn capacity(&self) -> usize {
        super::rows_per_insert(self.columns.len())
    }

    async fn flush(&mut self, tx: &mut Tx) -> anyhow::Result<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let names: Vec<String> = self
            .columns
            .iter()
            .map(|&i| quote(&self.table.columns[i].name))
            .collect();
        let width = names.len();
        let sql = format!(
            "INSERT INTO {} ({}){} VALUES {}",
            quote(&self.table.name),
            names.join(", "),
            if self.overriding {
                " OVERRIDING SYSTEM VALUE"
            } else {
                ""
            },
            super::value_rows(tx.kind(), self.rows.len(), width)
        );
        let rows = std::mem::take(&mut self.rows);
        match tx {
            Tx::Sqlite(c) => {
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                for cell in rows.into_iter().flatten() {
                    q = bind_cell!(q, cell);
                }
                q.execute(&mut **c).await?;
            }
            Tx::Pg(c) => {
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                for cell in rows.into_iter().flatten() {
                    q = bind_cell!(q, cell);
                }
                q.execute(&mut **c).await?;
            }
        }
        Ok(())
    }
}

/// Loads an archive (uncompressed JSON Lines) into `db`, which must be migrated to the same
/// version as the archive and hold no rows. All or nothing.
pub async fn import(db: &Db, input: impl BufRead) -> anyhow::Result<Summary> {
    let tables = archived_tables(db).await?;
    let by_name: BTreeMap<&str, &Table> = tables.iter().map(|t| (t.name.as_str(), t)).collect();
    let mut lines = input.lines().enumerate();

    let (_, first) = lines.next().context("the archive is empty")?;
    let first =
        first.context("cannot read the archive (is it a gzip file written by hromada export?)")?;
    let header: Header = serde_json::from_str(&first)
        .ok()
        .filter(|h: &Header| h.format == FORMAT)
        .context("not a hromada archive (line 1 is not its header)")?;
    if header.version != VERSION {
        bail!(
            "archive format version {} is not supported (this hromada reads version {VERSION})",
            header.version
        );
    }
    let ours = schema::migrations(db).await?;
    if header.migrations != ours {
        bail!(
            "the archive was written at schema migrations {:?}, this database is at {:?}: \
             import with the hromada version that wrote it",
            header.migrations,
            ours
        );
    }
    let mut not_empty = Vec::new();
    for t in &tables {
        let sql = format!(
            "SELECT COUNT(*) FROM (SELECT 1 FROM {} LIMIT 1) x",
            quote(&t.name)
        );
        let n: i64 = crate::on_db!(db, c => sqlx::query_scalar(sqlx::AssertSqlSafe(sql.clone())).fetch_one(c).await)?;
        if n > 0 {
            not_empty.push(t.name.as_str());
        }
    }
    if !not_empty.is_empty() {
        bail!(
            "import needs an empty database; these tables hold rows: {}",
            not_empty.join(", ")
        );
    }
    let identity = schema::identity_columns(db).await?;

    // The archive import below the features (ground floor, no actor): one plain transaction,
    // so a failed import leaves the database empty.
    let mut tx = db.begin().await?;
    tx.defer_foreign_keys().await?;
    let mut summary = Summary::new();
    let mut batch: Option<Batch> = None;
    let mut trailer: Option<Trailer> = None;
    for (index, line) in lines {
        let number = index + 1;
        let line = line.with_context(|| format!("line {number}: cannot read"))?;
        if trailer.is_some() {
            if line.trim().is_empty() {
                continue;
            }
            bail!("line {number}: data after the end of the archive");
        }
        let value: Value = serde_json::from_str(&line)
            .with_context(|| format!("line {number}: not valid JSON"))?;
        match value {
            Value::Array(values) => {
                let b = batch
                    .as_mut()
                    .with_context(|| format!("line {number}: a row before any table"))?;
                if values.len() != b.columns.len() {
                    bail!(
                        "line {number} (table {}): {} values for {} columns",
                        b.table.name,
                        values.len(),
                        b.columns.len()
                    );
                }
                let mut cells = Vec::with_capacity(values.len());
                for (v, &i) in values.into_iter().zip(&b.columns) {
                    let c = cell(v, &b.table.columns[i]).map_err(|e| {
                        anyhow::anyhow!("line {number} (table {}): {e}", b.table.name)
                    })?;
                    cells.push(c);
                }
                b.rows.push(cells);
                if let Some(last) = summary.last_mut() {
                    last.1 += 1;
                }
                if b.rows.len() >= b.capacity() {
                    b.flush(&mut tx)
                        .await
                        .with_context(|| format!("near line {number} (table {})", b.table.name))?;
                }
            }
            Value::Object(ref map) if map.contains_key("table") => {
                if let Some(b) = batch.as_mut() {
                    b.flush(&mut tx).await.with_context(|| {
                        format!("before line {number} (table {})", b.table.name)
                    })?;
                }
                let th: TableHeader = serde_json::from_value(value)
                    .with_context(|| format!("line {number}: a malformed table header"))?;
                let table = by_name.get(th.table.as_str()).with_context(|| {
                    format!("line {number}: this database has no table {}", th.table)
                })?;
                if summary.iter().any(|(name, _)| name == &th.table) {
                    bail!("line {number}: table {} appears twice", th.table);
                }
                let mut columns = Vec::with_capacity(th.columns.len());
                for spec in &th.columns {
                    let i = table
                        .columns
                        .iter()
                        .position(|c| c.name == spec.name && c.kind == spec.kind)
                        .with_context(|| {
                            format!(
                                "line {number}: table {} has no column {} of kind {:?}",
                                th.table, spec.name, spec.kind
                            )
                        })?;
                    columns.push(i);
                }
                if columns.len() != table.columns.len() {
                    bail!(
                        "line {number}: the archive has {} columns for table {}, the database {}",
                        columns.len(),
                        th.table,
                        table.columns.len()
                    );
                }
                summary.push((th.table.clone(), 0));
                batch = Some(Batch {
                    table,
                    columns,
                    rows: Vec::new(),
                    overriding: identity.iter().any(|(t, _)| t == &th.table),
                });
            }
            Value::Object(ref map) if map.contains_key("end") => {
                if let Some(b) = batch.as_mut() {
                    b.flush(&mut tx).await.with_context(|| {
                        format!("before line {number} (table {})", b.table.name)
                    })?;
                }
                let t: Trailer = serde_json::from_value(value)
                    .with_context(|| format!("line {number}: a malformed trailer"))?;
                let counted: BTreeMap<String, u64> = summary.iter().cloned().collect();
                if t.end != counted {
                    bail!(
                        "line {number}: the archive says it holds {:?} rows, but it held {:?}",
                        t.end,
                        counted
                    );
                }
                trailer = Some(t);
            }
            _ => bail!("line {number}: neither a row, a table header nor the trailer"),
        }
    }
    if trailer.is_none() {
        bail!("the archive ends early (no trailer): it is incomplete; nothing was imported");
    }
    if let Tx::Pg(c) = &mut tx {
        // New rows continue after the imported ids.
        for (table, column) in &identity {
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence($1, $2), COALESCE(MAX({col}), 0) + 1, false) FROM {tab}",
                col = quote(column),
                tab = quote(table)
            );
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(quote(table))
                .bind(column)
                .execute(&mut **c)
                .await?;
        }
    }
    tx.commit()
        .await
        .context("the archive's rows break the database's rules; nothing was imported")?;
    Ok(summary)
}

/// Reads a gzip-compressed archive from `path` into `db`.
pub async fn import_file(db: &Db, path: &std::path::Path) -> anyhow::Result<Summary> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let reader =
        std::io::BufReader::new(flate2::read::GzDecoder::new(std::io::BufReader::new(file)));
    import(db, reader).await
}
