//! SQL of the Mayors' Club.

use chrono::{DateTime, NaiveDate, Utc};

use super::Application;
use crate::db::{Db, Tx};
use crate::on_db;

pub async fn insert(
    tx: &mut Tx,
    a: &Application,
    token_hash: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<i64> {
    on_db!(&mut *tx, c => sqlx::query_scalar(
        "INSERT INTO club_applications (name, community_code, term_since_on, term_until_on, email, \
         phone, motivation, lang, status, token_hash, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'submitted', $9, $10) RETURNING id")
        .bind(&a.name).bind(&a.community_code).bind(a.term_since).bind(a.term_until)
        .bind(&a.email).bind(&a.phone).bind(&a.motivation).bind(a.lang.code()).bind(token_hash)
        .bind(now).fetch_one(c).await)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ApplicationRow {
    pub id: i64,
    pub name: String,
    pub community_code: String,
    pub term_since_on: NaiveDate,
    pub term_until_on: Option<NaiveDate>,
    pub email: String,
    pub phone: String,
    pub motivation: String,
    pub lang: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
}

/// The application a status link points to.
pub async fn by_token_hash(db: &Db, token_hash: &str) -> sqlx::Result<Option<ApplicationRow>> {
    let sql = format!("SELECT {APPLICATION_COLUMNS} FROM club_applications WHERE token_hash = $1");
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(token_hash).fetch_optional(c).await)
}

const APPLICATION_COLUMNS: &str = "id, name, community_code, term_since_on, term_until_on, email, \
     phone, motivation, lang, status, created_at, decided_at";

/// Every application, newest first, with how many reviews each has.
pub async fn applications(db: &Db) -> sqlx::Result<Vec<(ApplicationRow, i64)>> {
    let sql = format!(
        "SELECT {APPLICATION_COLUMNS} FROM club_applications ORDER BY created_at DESC, id DESC"
    );
    let rows: Vec<ApplicationRow> =
        on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(c).await)?;
    let counts: Vec<(i64, i64)> = on_db!(db, c => sqlx::query_as(
        "SELECT application_id, COUNT(*) FROM club_reviews GROUP BY application_id")
        .fetch_all(c).await)?;
    Ok(rows
        .into_iter()
        .map(|a| {
            let n = counts
                .iter()
                .find(|(id, _)| *id == a.id)
                .map_or(0, |(_, n)| *n);
            (a, n)
        })
        .collect())
}

pub async fn application(db: &Db, id: i64) -> sqlx::Result<Option<ApplicationRow>> {
    let sql = format!("SELECT {APPLICATION_COLUMNS} FROM club_applications WHERE id = $1");
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(c).await)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReviewRow {
    pub user_id: i64,
    pub reviewer: String,
    pub recommendation: String,
    pub comment: String,
    pub created_at: DateTime<Utc>,
}

pub async fn reviews(db: &Db, application_id: i64) -> sqlx::Result<Vec<ReviewRow>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT r.user_id, u.display_name AS reviewer, r.recommendation, r.comment, r.created_at \
         FROM club_reviews r JOIN users u ON u.id = r.user_id WHERE r.application_id = $1 \
         ORDER BY r.created_at, r.id").bind(application_id).fetch_all(c).await)
}

/// Records a member's review; a second one from the same member replaces the first.
pub async fn upsert_review(
    tx: &mut Tx,
    application_id: i64,
    user_id: i64,
    recommendation: &str,
    comment: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "INSERT INTO club_reviews (application_id, user_id, recommendation, comment, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (application_id, user_id) DO UPDATE SET \
         recommendation = excluded.recommendation, comment = excluded.comment, \
         created_at = excluded.created_at")
        .bind(application_id).bind(user_id).bind(recommendation).bind(comment).bind(now)
        .execute(c).await)?;
    Ok(())
}
