//! What tables and columns a database holds, read from the database itself. The schema parity
//! test compares the two migration trees with it; export and import walk the tables with it.
//!
//! SQLite's STRICT tables know only INTEGER, REAL, TEXT and BLOB, so the logical kind of a
//! SQLite column also follows its name: `at` or `…_at` is a timestamp, `…_on` a date, `is_…` a
//! boolean. The parity test holds both trees to that convention, since PostgreSQL reports the
//! kinds directly.

use std::collections::{BTreeMap, BTreeSet};

use crate::db::Db;

/// The logical type of a column, the same on both backends.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Integer,
    Float,
    Text,
    Bool,
    Timestamp,
    Date,
    Bytes,
    /// A type the portable archive cannot carry (named as the database names it).
    Unsupported(String),
}

impl Kind {
    fn from_sqlite(declared: &str, column: &str) -> Kind {
        match declared.to_ascii_uppercase().as_str() {
            "INTEGER" | "INT" if column.starts_with("is_") => Kind::Bool,
            "INTEGER" | "INT" => Kind::Integer,
            "REAL" => Kind::Float,
            "TEXT" if column == "at" || column.ends_with("_at") => Kind::Timestamp,
            "TEXT" if column.ends_with("_on") => Kind::Date,
            "TEXT" => Kind::Text,
            "BLOB" => Kind::Bytes,
            other => Kind::Unsupported(other.to_string()),
        }
    }

    fn from_pg(data_type: &str) -> Kind {
        match data_type {
            "bigint" | "integer" | "smallint" => Kind::Integer,
            "double precision" | "real" => Kind::Float,
            "text" | "character varying" => Kind::Text,
            "boolean" => Kind::Bool,
            "timestamp with time zone" => Kind::Timestamp,
            "date" => Kind::Date,
            "bytea" => Kind::Bytes,
            other => Kind::Unsupported(other.to_string()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Column {
    pub table: String,
    pub name: String,
    pub kind: Kind,
    pub nullable: bool,
    pub primary_key: bool,
}

/// A table with its columns and the tables its foreign keys point to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub name: String,
    pub columns: Vec<Column>,
    pub references: BTreeSet<String>,
}

/// Columns of every application table (not sqlx's own bookkeeping), sorted.
pub async fn columns(db: &Db) -> Result<Vec<Column>, sqlx::Error> {
    let mut cols: Vec<Column> = match db {
        Db::Sqlite(p) => {
            // A primary key is never NULL, though SQLite reports INTEGER PRIMARY KEY as nullable.
            let rows: Vec<(String, String, String, i64, i64)> = sqlx::query_as(
                "SELECT m.name, c.name, c.type, (c.\"notnull\" OR c.pk > 0), c.pk FROM sqlite_master m \
                 JOIN pragma_table_info(m.name) c \
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations'",
            )
            .fetch_all(p)
            .await?;
            rows.into_iter()
                .map(|(table, name, declared, notnull, pk)| Column {
                    kind: Kind::from_sqlite(&declared, &name),
                    table,
                    name,
                    nullable: notnull == 0,
                    primary_key: pk > 0,
                })
                .collect()
        }
        Db::Pg(p) => {
            let rows: Vec<(String, String, String, String)> = sqlx::query_as(
                "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text \
                 FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name <> '_sqlx_migrations'",
            )
            .fetch_all(p)
            .await?;
            let keys: BTreeSet<(String, String)> = sqlx::query_as(
                "SELECT t.relname::text, a.attname::text FROM pg_constraint c \
                 JOIN pg_class t ON t.oid = c.conrelid \
                 JOIN pg_namespace n ON n.oid = c.connamespace \
                 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey) \
                 WHERE c.contype = 'p' AND n.nspname = current_schema()",
            )
            .fetch_all(p)
            .await?
            .into_iter()
            .collect();
            rows.into_iter()
                .map(|(table, name, data_type, nullable)| Column {
                    kind: Kind::from_pg(&data_type),
                    primary_key: keys.contains(&(table.clone(), name.clone())),
                    table,
                    name,
                    nullable: nullable == "YES",
                })
                .collect()
        }
    };
    cols.sort();
    Ok(cols)
}

/// Foreign-key edges as (referencing table, referenced table).
async fn references(db: &Db) -> Result<Vec<(String, String)>, sqlx::Error> {
    match db {
        Db::Sqlite(p) => {
            sqlx::query_as(
                "SELECT m.name, f.\"table\" FROM sqlite_master m \
                 JOIN pragma_foreign_key_list(m.name) f \
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'",
            )
            .fetch_all(p)
            .await
        }
        Db::Pg(p) => {
            sqlx::query_as(
                "SELECT a.relname::text, b.relname::text FROM pg_constraint c \
                 JOIN pg_class a ON a.oid = c.conrelid JOIN pg_class b ON b.oid = c.confrelid \
                 JOIN pg_namespace n ON n.oid = c.connamespace \
                 WHERE c.contype = 'f' AND n.nspname = current_schema()",
            )
            .fetch_all(p)
            .await
        }
    }
}

/// Every application table, each after the tables it references (ties by name), so rows can
/// be inserted in this order. A table referencing itself is allowed; other cycles are an error
/// in the schema and reported as such.
pub async fn tables(db: &Db) -> anyhow::Result<Vec<Table>> {
    let mut by_table: BTreeMap<String, Table> = BTreeMap::new();
    for column in columns(db).await? {
        by_table
            .entry(column.table.clone())
            .or_insert_with(|| Table {
                name: column.table.clone(),
                columns: Vec::new(),
                references: BTreeSet::new(),
            })
            .columns
            .push(column);
    }
    for (from, to) in references(db).await? {
        if from != to
            && let Some(t) = by_table.get_mut(&from)
        {
            t.references.insert(to);
        }
    }
    let mut ordered: Vec<Table> = Vec::with_capacity(by_table.len());
    let mut placed: BTreeSet<String> = BTreeSet::new();
    while !by_table.is_empty() {
        let ready: Vec<String> = by_table
            .values()
            .filter(|t| t.references.iter().all(|r| placed.contains(r)))
            .map(|t| t.name.clone())
            .collect();
        if ready.is_empty() {
            let stuck: Vec<&String> = by_table.keys().collect();
            anyhow::bail!("foreign keys form a cycle among tables {stuck:?}");
        }
        for name in ready {
            if let Some(table) = by_table.remove(&name) {
                placed.insert(name);
                ordered.push(table);
            }
        }
    }
    Ok(ordered)
}

/// Versions of the migrations applied to this database, in order.
pub async fn migrations(db: &Db) -> Result<Vec<i64>, sqlx::Error> {
    crate::on_db!(db, c => sqlx::query_scalar(
        "SELECT version FROM _sqlx_migrations WHERE success ORDER BY version").fetch_all(c).await)
}

/// PostgreSQL identity columns as (table, column); SQLite has none to reset.
pub async fn identity_columns(db: &Db) -> Result<Vec<(String, String)>, sqlx::Error> {
    match db {
        Db::Sqlite(_) => Ok(Vec::new()),
        Db::Pg(p) => {
            sqlx::query_as(
                "SELECT table_name::text, column_name::text FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND is_identity = 'YES'",
            )
            .fetch_all(p)
            .await
        }
    }
}
