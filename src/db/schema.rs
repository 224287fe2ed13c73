//! What tables and columns a database holds: the schema parity test compares the two migration
//! trees with it, and export/import walk the tables in this order.

use crate::db::Db;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Column {
    pub table: String,
    pub name: String,
    pub nullable: bool,
}

/// Columns of every application table (not sqlx's own bookkeeping), sorted.
pub async fn columns(db: &Db) -> Result<Vec<Column>, sqlx::Error> {
    let mut cols: Vec<Column> = match db {
        Db::Sqlite(p) => {
            // A primary key is never NULL, though SQLite reports INTEGER PRIMARY KEY as nullable.
            let rows: Vec<(String, String, i64)> = sqlx::query_as(
                "SELECT m.name, c.name, (c.\"notnull\" OR c.pk > 0) FROM sqlite_master m \
                 JOIN pragma_table_info(m.name) c \
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations'",
            )
            .fetch_all(p)
            .await?;
            rows.into_iter()
                .map(|(table, name, notnull)| Column {
                    table,
                    name,
                    nullable: notnull == 0,
                })
                .collect()
        }
        Db::Pg(p) => {
            let rows: Vec<(String, String, String)> = sqlx::query_as(
                "SELECT table_name::text, column_name::text, is_nullable::text \
                 FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name <> '_sqlx_migrations'",
            )
            .fetch_all(p)
            .await?;
            rows.into_iter()
                .map(|(table, name, nullable)| Column {
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
