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
    on_db!(db, c => sqlx::query_as(
        "SELECT id, name, community_code, term_since_on, term_until_on, email, phone, motivation, \
         lang, status, created_at, decided_at FROM club_applications WHERE token_hash = $1")
        .bind(token_hash).fetch_optional(c).await)
}
