//! SQL of the association: regional offices with their oblasts, membership periods, sections.

use chrono::{DateTime, NaiveDate, Utc};

use super::Period;
use crate::db::{Db, Tx};
use crate::on_db;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Office {
    pub id: i64,
    pub slug: String,
    pub name_uk: String,
    pub name_en: String,
    pub head_name: String,
    pub email: String,
    pub phone: String,
    pub address: String,
    pub is_demo: bool,
}

const OFFICE_COLUMNS: &str =
    "id, slug, name_uk, name_en, head_name, email, phone, address, is_demo";

pub async fn offices(db: &Db) -> sqlx::Result<Vec<Office>> {
    let sql = format!("SELECT {OFFICE_COLUMNS} FROM regional_offices ORDER BY slug");
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(c).await)
}

pub async fn office_by_slug(db: &Db, slug: &str) -> sqlx::Result<Option<Office>> {
    let sql = format!("SELECT {OFFICE_COLUMNS} FROM regional_offices WHERE slug = $1");
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(slug).fetch_optional(c).await)
}

/// Which office covers each oblast: (oblast code, office id).
pub async fn office_oblasts(db: &Db) -> sqlx::Result<Vec<(String, i64)>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT oblast_code, office_id FROM regional_office_oblasts ORDER BY oblast_code")
        .fetch_all(c).await)
}

pub struct NewOffice<'a> {
    pub slug: &'a str,
    pub name_uk: &'a str,
    pub name_en: &'a str,
    pub head_name: &'a str,
    pub email: &'a str,
    pub phone: &'a str,
    pub address: &'a str,
    pub is_demo: bool,
}

pub async fn insert_office(
    tx: &mut Tx,
    o: &NewOffice<'_>,
    now: DateTime<Utc>,
) -> sqlx::Result<i64> {
    on_db!(&mut *tx, c => sqlx::query_scalar(
        "INSERT INTO regional_offices (slug, name_uk, name_en, head_name, email, phone, address, \
         is_demo, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id")
        .bind(o.slug).bind(o.name_uk).bind(o.name_en).bind(o.head_name).bind(o.email)
        .bind(o.phone).bind(o.address).bind(o.is_demo).bind(now).fetch_one(c).await)
}

pub async fn update_office(tx: &mut Tx, id: i64, o: &NewOffice<'_>) -> sqlx::Result<u64> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "UPDATE regional_offices SET name_uk = $1, name_en = $2, head_name = $3, email = $4, \
         phone = $5, address = $6 WHERE id = $7")
        .bind(o.name_uk).bind(o.name_en).bind(o.head_name).bind(o.email).bind(o.phone)
        .bind(o.address).bind(id).execute(c).await)
}

/// Gives the office these oblasts (taking them from any other office).
pub async fn set_office_oblasts(tx: &mut Tx, id: i64, oblasts: &[String]) -> sqlx::Result<()> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "DELETE FROM regional_office_oblasts WHERE office_id = $1").bind(id).execute(c).await)?;
    for code in oblasts {
        crate::db_exec!(&mut *tx, c => sqlx::query(
            "INSERT INTO regional_office_oblasts (oblast_code, office_id) VALUES ($1, $2) \
             ON CONFLICT (oblast_code) DO UPDATE SET office_id = excluded.office_id")
            .bind(code).bind(id).execute(c).await)?;
    }
    Ok(())
}

const PERIOD_COLUMNS: &str = "id, unit_code, office_id, since_on, decision_number, decision_on, \
     until_on, end_reason, end_decision_number, end_decision_on, is_demo";

/// Every membership period, for the directory and the figures.
pub async fn periods(db: &Db) -> sqlx::Result<Vec<Period>> {
    let sql = format!("SELECT {PERIOD_COLUMNS} FROM memberships ORDER BY unit_code, since_on");
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(c).await)
}

/// A community's periods, oldest first, read inside the transaction that changes them.
pub async fn periods_of(tx: &mut Tx, code: &str) -> sqlx::Result<Vec<Period>> {
    let sql =
        format!("SELECT {PERIOD_COLUMNS} FROM memberships WHERE unit_code = $1 ORDER BY since_on");
    on_db!(&mut *tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(code).fetch_all(c).await)
}

pub async fn periods_of_unit(db: &Db, code: &str) -> sqlx::Result<Vec<Period>> {
    let sql =
        format!("SELECT {PERIOD_COLUMNS} FROM memberships WHERE unit_code = $1 ORDER BY since_on");
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(code).fetch_all(c).await)
}

pub struct NewPeriod<'a> {
    pub unit_code: &'a str,
    pub office_id: i64,
    pub since: NaiveDate,
    pub decision_number: &'a str,
    pub decision_on: Option<NaiveDate>,
    pub is_demo: bool,
}

pub async fn insert_period(
    tx: &mut Tx,
    p: &NewPeriod<'_>,
    now: DateTime<Utc>,
) -> sqlx::Result<i64> {
    on_db!(&mut *tx, c => sqlx::query_scalar(
        "INSERT INTO memberships (unit_code, office_id, since_on, decision_number, decision_on, \
         is_demo, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
        .bind(p.unit_code).bind(p.office_id).bind(p.since).bind(p.decision_number)
        .bind(p.decision_on).bind(p.is_demo).bind(now).fetch_one(c).await)
}

pub async fn end_period(
    tx: &mut Tx,
    id: i64,
    until: NaiveDate,
    reason: &str,
    decision_number: &str,
    decision_on: Option<NaiveDate>,
) -> sqlx::Result<u64> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "UPDATE memberships SET until_on = $1, end_reason = $2, end_decision_number = $3, \
         end_decision_on = $4 WHERE id = $5 AND until_on IS NULL")
        .bind(until).bind(reason).bind(decision_number).bind(decision_on).bind(id)
        .execute(c).await)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Section {
    pub id: i64,
    pub slug: String,
    pub name_uk: String,
    pub name_en: String,
    pub purpose_uk: String,
    pub purpose_en: String,
}

pub async fn sections(db: &Db) -> sqlx::Result<Vec<Section>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT id, slug, name_uk, name_en, purpose_uk, purpose_en FROM sections ORDER BY position")
        .fetch_all(c).await)
}

pub async fn section_by_slug(db: &Db, slug: &str) -> sqlx::Result<Option<Section>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT id, slug, name_uk, name_en, purpose_uk, purpose_en FROM sections WHERE slug = $1")
        .bind(slug).fetch_optional(c).await)
}

/// Sets a section's purpose where it is still empty; the number of rows changed.
pub async fn fill_purpose(tx: &mut Tx, slug: &str, uk: &str, en: &str) -> sqlx::Result<u64> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "UPDATE sections SET purpose_uk = $1, purpose_en = $2 WHERE slug = $3 AND purpose_uk = ''")
        .bind(uk).bind(en).bind(slug).execute(c).await)
}

pub async fn insert_section(
    tx: &mut Tx,
    slug: &str,
    name_uk: &str,
    name_en: &str,
    position: i64,
) -> sqlx::Result<()> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "INSERT INTO sections (slug, name_uk, name_en, position) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (slug) DO NOTHING")
        .bind(slug).bind(name_uk).bind(name_en).bind(position).execute(c).await)?;
    Ok(())
}
