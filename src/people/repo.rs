//! SQL of people and posts.

use chrono::{DateTime, NaiveDate, Utc};

use super::Post;
use crate::db::{Db, Tx};
use crate::on_db;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Person {
    pub id: i64,
    pub name_uk: String,
    pub name_en: String,
    pub email: String,
    pub phone: String,
    pub is_email_public: bool,
    pub is_phone_public: bool,
    pub user_id: Option<i64>,
    pub is_demo: bool,
}

const PERSON_COLUMNS: &str =
    "id, name_uk, name_en, email, phone, is_email_public, is_phone_public, user_id, is_demo";
const POST_COLUMNS: &str = "id, person_id, unit_code, kind, since_on, until_on, end_reason";

pub async fn person(db: &Db, id: i64) -> sqlx::Result<Option<Person>> {
    let sql = format!("SELECT {PERSON_COLUMNS} FROM people WHERE id = $1");
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(c).await)
}

/// People, by Ukrainian name, a page at a time, with the total.
pub async fn people(db: &Db, limit: i64, offset: i64) -> sqlx::Result<(Vec<Person>, i64)> {
    let sql =
        format!("SELECT {PERSON_COLUMNS} FROM people ORDER BY name_uk, id LIMIT $1 OFFSET $2");
    let list = on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(limit).bind(offset)
        .fetch_all(c).await)?;
    let total: i64 = on_db!(db, c => sqlx::query_scalar("SELECT COUNT(*) FROM people")
        .fetch_one(c).await)?;
    Ok((list, total))
}

pub struct NewPerson<'a> {
    pub name_uk: &'a str,
    pub name_en: &'a str,
    pub email: &'a str,
    pub phone: &'a str,
    pub is_demo: bool,
}

pub async fn insert_person(
    tx: &mut Tx,
    p: &NewPerson<'_>,
    now: DateTime<Utc>,
) -> sqlx::Result<i64> {
    on_db!(&mut *tx, c => sqlx::query_scalar(
        "INSERT INTO people (name_uk, name_en, email, phone, is_demo, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
        .bind(p.name_uk).bind(p.name_en).bind(p.email).bind(p.phone).bind(p.is_demo).bind(now)
        .fetch_one(c).await)
}

pub struct Contacts<'a> {
    pub email: &'a str,
    pub phone: &'a str,
    pub is_email_public: bool,
    pub is_phone_public: bool,
}

pub async fn update_contacts(tx: &mut Tx, id: i64, c: &Contacts<'_>) -> sqlx::Result<u64> {
    crate::db_exec!(&mut *tx, conn => sqlx::query(
        "UPDATE people SET email = $1, phone = $2, is_email_public = $3, is_phone_public = $4 \
         WHERE id = $5")
        .bind(c.email).bind(c.phone).bind(c.is_email_public).bind(c.is_phone_public).bind(id)
        .execute(conn).await)
}

/// A community's posts, newest first.
pub async fn posts_of_unit(db: &Db, code: &str) -> sqlx::Result<Vec<Post>> {
    let sql = format!(
        "SELECT {POST_COLUMNS} FROM posts WHERE unit_code = $1 ORDER BY since_on DESC, id DESC"
    );
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(code).fetch_all(c).await)
}

pub async fn posts_of_person(db: &Db, person_id: i64) -> sqlx::Result<Vec<Post>> {
    let sql = format!(
        "SELECT {POST_COLUMNS} FROM posts WHERE person_id = $1 ORDER BY since_on DESC, id DESC"
    );
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(person_id).fetch_all(c).await)
}

/// The community's head in office now (an open head post), read inside a transaction.
pub async fn current_head(tx: &mut Tx, code: &str) -> sqlx::Result<Option<Post>> {
    let sql = format!(
        "SELECT {POST_COLUMNS} FROM posts WHERE unit_code = $1 AND kind = 'head' \
         AND until_on IS NULL ORDER BY since_on DESC LIMIT 1"
    );
    on_db!(&mut *tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(code).fetch_optional(c).await)
}

pub async fn post(tx: &mut Tx, id: i64) -> sqlx::Result<Option<Post>> {
    let sql = format!("SELECT {POST_COLUMNS} FROM posts WHERE id = $1");
    on_db!(&mut *tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(c).await)
}

pub async fn post_by_id(db: &Db, id: i64) -> sqlx::Result<Option<Post>> {
    let sql = format!("SELECT {POST_COLUMNS} FROM posts WHERE id = $1");
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(c).await)
}

pub struct NewPost<'a> {
    pub person_id: i64,
    pub unit_code: &'a str,
    pub kind: &'a str,
    pub since: NaiveDate,
    pub until: Option<NaiveDate>,
    pub end_reason: Option<&'a str>,
}

pub async fn insert_post(tx: &mut Tx, p: &NewPost<'_>, now: DateTime<Utc>) -> sqlx::Result<i64> {
    on_db!(&mut *tx, c => sqlx::query_scalar(
        "INSERT INTO posts (person_id, unit_code, kind, since_on, until_on, end_reason, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
        .bind(p.person_id).bind(p.unit_code).bind(p.kind).bind(p.since).bind(p.until)
        .bind(p.end_reason).bind(now).fetch_one(c).await)
}

pub async fn end_post(tx: &mut Tx, id: i64, until: NaiveDate, reason: &str) -> sqlx::Result<u64> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "UPDATE posts SET until_on = $1, end_reason = $2 WHERE id = $3 AND until_on IS NULL")
        .bind(until).bind(reason).bind(id).execute(c).await)
}

/// The names of people by id, for lists of posts.
pub async fn names(db: &Db, ids: &[i64]) -> sqlx::Result<Vec<(i64, String, String)>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let placeholders: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT id, name_uk, name_en FROM people WHERE id IN ({})",
            placeholders.join(", ")
        );
        let rows: Vec<(i64, String, String)> = on_db!(db, c => {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()));
            for id in chunk {
                q = q.bind(id);
            }
            q.fetch_all(c).await
        })?;
        out.extend(rows);
    }
    Ok(out)
}
