//! The two migration trees describe the same tables and columns, with the same kinds (see
//! `db::schema` for how a SQLite column's kind is read).

use hromada::db::{Db, schema};

#[tokio::test]
async fn sqlite_and_postgres_schemas_match() {
    let url = std::env::var("HROMADA_TEST_DATABASE_URL")
        .ok()
        .filter(|u| u.starts_with("postgres"))
        .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let (sqlite, _dir) = {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = Db::connect(
            &format!("sqlite://{}", dir.path().join("p.db").display()),
            1,
        )
        .await
        .expect("sqlite");
        db.migrate().await.expect("migrate sqlite");
        (db, dir)
    };
    let sqlite_cols = schema::columns(&sqlite).await.expect("sqlite columns");
    assert!(sqlite_cols.len() > 40, "{sqlite_cols:?}");
    let pg = match Db::connect(&url, 1).await {
        Ok(db) => db,
        Err(e) if std::env::var("HROMADA_TEST_DATABASE_URL").is_err() => {
            eprintln!(
                "schema parity: PostgreSQL at {url} unreachable ({e}); the PostgreSQL run checks it"
            );
            return;
        }
        Err(e) => panic!("PostgreSQL unreachable: {e}"),
    };
    let Db::Pg(pool) = &pg else {
        panic!("not PostgreSQL")
    };
    let schema_name = format!("parity_{}", std::process::id());
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP SCHEMA IF EXISTS {schema_name} CASCADE"
    )))
    .execute(pool)
    .await
    .expect("drop");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema_name}")))
        .execute(pool)
        .await
        .expect("create");
    pg.close().await;
    let options = <sqlx::postgres::PgConnectOptions as std::str::FromStr>::from_str(&url)
        .expect("url")
        .options([("search_path", schema_name.as_str())]);
    let pg = Db::connect_pg(options, 1).await.expect("pg");
    pg.migrate().await.expect("migrate postgres");
    let pg_cols = schema::columns(&pg).await.expect("pg columns");
    let only_sqlite: Vec<_> = sqlite_cols
        .iter()
        .filter(|c| !pg_cols.contains(c))
        .collect();
    let only_pg: Vec<_> = pg_cols
        .iter()
        .filter(|c| !sqlite_cols.contains(c))
        .collect();
    assert!(
        only_sqlite.is_empty() && only_pg.is_empty(),
        "only in SQLite: {only_sqlite:#?}\nonly in PostgreSQL: {only_pg:#?}"
    );
    if let Db::Pg(pool) = &pg {
        // Import loads a table referencing itself in key order, so such a foreign key must
        // wait for the end of the transaction (SQLite defers all of them during import).
        let stiff: Vec<String> = sqlx::query_scalar(
            "SELECT c.conname::text FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace \
             WHERE c.contype = 'f' AND c.conrelid = c.confrelid AND NOT c.condeferrable \
             AND n.nspname = current_schema()",
        )
        .fetch_all(pool)
        .await
        .expect("constraints");
        assert!(
            stiff.is_empty(),
            "self-references must be DEFERRABLE INITIALLY DEFERRED: {stiff:?}"
        );
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP SCHEMA {schema_name} CASCADE"
        )))
        .execute(pool)
        .await
        .expect("drop");
    }
}
