//! Storage: one SQLite file by default, PostgreSQL when the URL says so.
//!
//! sqlx's `Any` driver cannot decode booleans or timestamps from SQLite, so the two pools live
//! side by side in [`Db`] and every query goes through [`on_db!`], which compiles the same query
//! once per backend. A query that one backend cannot type becomes a compile error, not a
//! run-time surprise.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, Postgres, Sqlite, SqlitePool, Transaction};

pub mod archive;
pub mod schema;
pub mod settings;
pub mod text_enum;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static PG_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbKind {
    Sqlite,
    Postgres,
}

impl DbKind {
    /// Only the two schemes we support. Anything else is refused here, so a typo never
    /// becomes a silently created empty SQLite file.
    pub fn from_url(url: &str) -> anyhow::Result<DbKind> {
        if url.starts_with("sqlite:") {
            Ok(DbKind::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(DbKind::Postgres)
        } else {
            let scheme = url.split(':').next().unwrap_or_default();
            anyhow::bail!(
                "DATABASE_URL scheme {scheme:?} is not supported: use sqlite://FILE or postgres://USER@HOST/DB"
            )
        }
    }
}

/// The file of a `sqlite://` URL; `None` for an in-memory database or another scheme.
pub fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    if !url.starts_with("sqlite:") || url.contains("mode=memory") {
        return None;
    }
    let options = SqliteConnectOptions::from_str(url).ok()?;
    let file = options.get_filename();
    (file.as_os_str() != ":memory:" && !file.as_os_str().is_empty()).then(|| file.to_path_buf())
}

#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Pg(PgPool),
}

/// A write transaction on either backend. Audit rows and outbox mail are written through the
/// same `Tx` as the change they describe.
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Pg(Transaction<'static, Postgres>),
}

/// Runs one query body against whichever backend `$db` holds. `$db` may be a `&Db` (a pool)
/// or a `&mut Tx`; the body sees `$c` as the matching executor.
#[macro_export]
macro_rules! on_db {
    ($db:expr, $c:ident => $body:expr) => {
        match $crate::db::Executor::exec($db) {
            $crate::db::Exec::Sqlite($c) => $body,
            $crate::db::Exec::Pg($c) => $body,
        }
    };
}

/// Like [`on_db!`] for statements: runs the body (an `execute`) and yields the rows affected.
#[macro_export]
macro_rules! db_exec {
    ($db:expr, $c:ident => $body:expr) => {
        match $crate::db::Executor::exec($db) {
            $crate::db::Exec::Sqlite($c) => ($body).map(|r| r.rows_affected()),
            $crate::db::Exec::Pg($c) => ($body).map(|r| r.rows_affected()),
        }
    };
}

pub enum Exec<S, P> {
    Sqlite(S),
    Pg(P),
}

pub trait Executor {
    type S;
    type P;
    fn exec(self) -> Exec<Self::S, Self::P>;
}

impl<'a> Executor for &'a Db {
    type S = &'a SqlitePool;
    type P = &'a PgPool;
    fn exec(self) -> Exec<Self::S, Self::P> {
        match self {
            Db::Sqlite(p) => Exec::Sqlite(p),
            Db::Pg(p) => Exec::Pg(p),
        }
    }
}

impl<'a> Executor for &'a mut Tx {
    type S = &'a mut sqlx::SqliteConnection;
    type P = &'a mut sqlx::PgConnection;
    fn exec(self) -> Exec<Self::S, Self::P> {
        match self {
            Tx::Sqlite(t) => Exec::Sqlite(&mut **t),
            Tx::Pg(t) => Exec::Pg(&mut **t),
        }
    }
}

impl Db {
    /// Connects without migrating. The SQLite file is created when missing.
    pub async fn connect(url: &str, max_connections: u32) -> anyhow::Result<Db> {
        match DbKind::from_url(url)? {
            DbKind::Sqlite => {
                let options = SqliteConnectOptions::from_str(url)?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    // Statement journals (kept while a multi-row statement runs, to undo it
                    // alone) and temporary tables stay in memory instead of temporary files.
                    .pragma("temp_store", "memory")
                    .busy_timeout(Duration::from_secs(10));
                let pool = SqlitePoolOptions::new()
                    .max_connections(max_connections)
                    .connect_with(options)
                    .await?;
                Ok(Db::Sqlite(pool))
            }
            DbKind::Postgres => {
                let options = PgConnectOptions::from_str(url)?;
                Db::connect_pg(options, max_connections).await
            }
        }
    }

    pub async fn connect_pg(options: PgConnectOptions, max_connections: u32) -> anyhow::Result<Db> {
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        Ok(Db::Pg(pool))
    }

    pub fn kind(&self) -> DbKind {
        match self {
            Db::Sqlite(_) => DbKind::Sqlite,
            Db::Pg(_) => DbKind::Postgres,
        }
    }

    /// Applies the embedded migrations of this backend; safe to run on every start.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        match self {
            Db::Sqlite(p) => SQLITE_MIGRATIONS.run(p).await?,
            Db::Pg(p) => PG_MIGRATIONS.run(p).await?,
        }
        Ok(())
    }

    /// Starts a write transaction. SQLite takes the write lock at once (`BEGIN IMMEDIATE`), so
    /// two writers queue on the busy timeout instead of failing when a read turns into a write.
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        Ok(match self {
            Db::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Db::Pg(p) => Tx::Pg(p.begin().await?),
        })
    }

    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        crate::db_exec!(self, c => sqlx::query("SELECT 1").execute(c).await).map(|_| ())
    }

    pub async fn close(&self) {
        match self {
            Db::Sqlite(p) => p.close().await,
            Db::Pg(p) => p.close().await,
        }
    }
}

/// What a bulk load dropped: foreign keys (table, name, definition) and indexes (name,
/// definition); see [`Tx::begin_bulk_load`].
#[derive(Default)]
#[must_use = "what was dropped must be put back with Tx::end_bulk_load before the commit"]
pub struct BulkLoad {
    keys: Vec<(String, String, String)>,
    indexes: Vec<(String, String)>,
}

impl Tx {
    /// Checks foreign keys at commit instead of per statement, for loads that do not insert
    /// parents before children. On PostgreSQL this reaches constraints declared `DEFERRABLE`.
    pub async fn defer_foreign_keys(&mut self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(t) => sqlx::query("PRAGMA defer_foreign_keys = ON")
                .execute(&mut **t)
                .await
                .map(|_| ()),
            Tx::Pg(t) => sqlx::query("SET CONSTRAINTS ALL DEFERRED")
                .execute(&mut **t)
                .await
                .map(|_| ()),
        }
    }

    /// For a load that is made again when it is missing (what hromada ships, loaded at the first
    /// start): PostgreSQL commits this transaction without waiting for its log to reach the
    /// disk, so a crash just after the commit may lose it — and the next start loads it again.
    /// SQLite: nothing to do.
    pub async fn commit_without_waiting(&mut self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(_) => Ok(()),
            Tx::Pg(t) => sqlx::query("SET LOCAL synchronous_commit = off")
                .execute(&mut **t)
                .await
                .map(|_| ()),
        }
    }

    /// Starts a bulk load into `tables` on PostgreSQL: drops, inside this transaction, the
    /// tables' foreign keys and their indexes that back no constraint, keeping their
    /// definitions as the catalogue holds them; [`Tx::end_bulk_load`] puts them back before the
    /// commit. Rebuilt, an index is sorted once, and a key checks every row in one join,
    /// instead of an index insertion, a lookup and a row lock per inserted row (the way
    /// `pg_restore` loads data before indexes and constraints). Other sessions never see the
    /// tables without them: the change is part of the transaction, which holds the tables
    /// locked until it ends. SQLite: nothing to do (its checks are cheap).
    pub async fn begin_bulk_load(&mut self, tables: &[&str]) -> Result<BulkLoad, sqlx::Error> {
        let Tx::Pg(t) = self else {
            return Ok(BulkLoad::default());
        };
        // Table, key and index names as PostgreSQL writes identifiers (quoted where needed).
        let keys: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT c.conrelid::regclass::text, quote_ident(c.conname), \
             pg_get_constraintdef(c.oid) FROM pg_constraint c \
             WHERE c.contype = 'f' AND c.conrelid = ANY($1::text[]::regclass[]) \
             ORDER BY c.conname",
        )
        .bind(tables)
        .fetch_all(&mut **t)
        .await?;
        let indexes: Vec<(String, String)> = sqlx::query_as(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i \
             WHERE i.indrelid = ANY($1::text[]::regclass[]) AND NOT i.indisunique \
             AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) \
             ORDER BY 1",
        )
        .bind(tables)
        .fetch_all(&mut **t)
        .await?;
        for (table, name, _) in &keys {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "ALTER TABLE {table} DROP CONSTRAINT {name}"
            )))
            .execute(&mut **t)
            .await?;
        }
        for (name, _) in &indexes {
            sqlx::query(sqlx::AssertSqlSafe(format!("DROP INDEX {name}")))
                .execute(&mut **t)
                .await?;
        }
        Ok(BulkLoad { keys, indexes })
    }

    /// Ends a bulk load: builds the indexes [`Tx::begin_bulk_load`] dropped and puts back its
    /// keys; a row that breaks a key fails the statement, and with it the load.
    pub async fn end_bulk_load(&mut self, load: BulkLoad) -> Result<(), sqlx::Error> {
        let Tx::Pg(t) = self else {
            return Ok(());
        };
        for (_, definition) in load.indexes {
            sqlx::query(sqlx::AssertSqlSafe(definition))
                .execute(&mut **t)
                .await?;
        }
        for (table, name, definition) in load.keys {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "ALTER TABLE {table} ADD CONSTRAINT {name} {definition}"
            )))
            .execute(&mut **t)
            .await?;
        }
        Ok(())
    }

    /// Sets the page cache of this transaction's SQLite connection, in KiB (SQLite's default is
    /// 2,000): a bulk load whose indexes outgrow the cache spends its time moving pages. Call
    /// again with 2,000 before the commit to give the memory back. PostgreSQL: nothing to do.
    pub async fn sqlite_cache_kib(&mut self, kib: u32) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(t) => {
                sqlx::query(sqlx::AssertSqlSafe(format!("PRAGMA cache_size = -{kib}")))
                    .execute(&mut **t)
                    .await
                    .map(|_| ())
            }
            Tx::Pg(_) => Ok(()),
        }
    }

    pub fn kind(&self) -> DbKind {
        match self {
            Tx::Sqlite(_) => DbKind::Sqlite,
            Tx::Pg(_) => DbKind::Postgres,
        }
    }

    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(t) => t.commit().await,
            Tx::Pg(t) => t.commit().await,
        }
    }
}

/// The placeholders of a multi-row INSERT of `rows` rows of `width` columns, bound in order,
/// row after row: `(?, ?, …), (?, …)` for SQLite and `($1, $2, …), ($n+1, …)` for PostgreSQL.
///
/// SQLite gets plain `?`: sqlx's SQLite driver asks SQLite for every parameter's name to find
/// its argument, and SQLite finds a name by walking a list of all named parameters, so `$N`
/// costs time in the square of the parameters per statement (15 % of a statistics import was
/// that walk). Plain `?` have no names and bind in order.
pub fn value_rows(kind: DbKind, rows: usize, width: usize) -> String {
    let mut out = String::with_capacity(rows * (width * 6 + 4));
    for r in 0..rows {
        if r > 0 {
            out.push_str(", ");
        }
        out.push('(');
        for c in 1..=width {
            if c > 1 {
                out.push_str(", ");
            }
            match kind {
                DbKind::Sqlite => out.push('?'),
                DbKind::Postgres => {
                    out.push('$');
                    out.push_str(&(r * width + c).to_string());
                }
            }
        }
        out.push(')');
    }
    out
}

/// Rows per multi-row INSERT: under both backends' limits on bound parameters (SQLite 32,766;
/// PostgreSQL 65,535) and at most 50 rows. (The codifier loaded in 0.65 s at 50 rows per
/// statement and 1.5 s at 500 when SQLite's placeholders were `$N`, whose lookup grows with the
/// square of a statement's parameters; see [`value_rows`].)
pub fn rows_per_insert(width: usize) -> usize {
    (20_000 / width.max(1)).clamp(1, 50)
}

/// True when the error is a unique-constraint violation (either backend).
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(e) if e.is_unique_violation())
}
