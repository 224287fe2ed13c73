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
         phone, motivation, lang, status, token_hash, created_at, is_listing_agreed) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'submitted', $9, $10, $11) RETURNING id")
        .bind(&a.name).bind(&a.community_code).bind(a.term_since).bind(a.term_until)
        .bind(&a.email).bind(&a.phone).bind(&a.motivation).bind(a.lang.code()).bind(token_hash)
        .bind(now).bind(a.is_listing_agreed).fetch_one(c).await)
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
    pub status: super::Status,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub is_listing_agreed: bool,
    /// The person on record whom the committee confirmed as the applicant.
    pub match_person_id: Option<i64>,
}

/// The application a status link points to.
pub async fn by_token_hash(db: &Db, token_hash: &str) -> sqlx::Result<Option<ApplicationRow>> {
    let sql = format!("SELECT {APPLICATION_COLUMNS} FROM club_applications WHERE token_hash = $1");
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(token_hash).fetch_optional(c).await)
}

const APPLICATION_COLUMNS: &str = "id, name, community_code, term_since_on, term_until_on, email, \
     phone, motivation, lang, status, created_at, decided_at, is_listing_agreed, match_person_id";

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

/// One application, inside a transaction.
pub async fn application_tx(tx: &mut Tx, id: i64) -> sqlx::Result<Option<ApplicationRow>> {
    let sql = format!("SELECT {APPLICATION_COLUMNS} FROM club_applications WHERE id = $1");
    on_db!(&mut *tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(c).await)
}

pub async fn application(db: &Db, id: i64) -> sqlx::Result<Option<ApplicationRow>> {
    let sql = format!("SELECT {APPLICATION_COLUMNS} FROM club_applications WHERE id = $1");
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(c).await)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReviewRow {
    pub user_id: i64,
    pub reviewer: String,
    pub recommendation: super::Recommendation,
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
    recommendation: super::Recommendation,
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

pub async fn review_count(db: &Db, application_id: i64) -> sqlx::Result<i64> {
    on_db!(db, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM club_reviews WHERE application_id = $1")
        .bind(application_id).fetch_one(c).await)
}

/// Sets an application's status; a final one (accepted, declined) also dates the decision.
pub async fn set_status(
    tx: &mut Tx,
    id: i64,
    status: super::Status,
    decided_at: Option<DateTime<Utc>>,
) -> sqlx::Result<()> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "UPDATE club_applications SET status = $1, decided_at = $2 WHERE id = $3")
        .bind(status).bind(decided_at).bind(id).execute(c).await)?;
    Ok(())
}

/// Gives the application a new status link (the old one stops working).
pub async fn set_token_hash(tx: &mut Tx, id: i64, token_hash: &str) -> sqlx::Result<()> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "UPDATE club_applications SET token_hash = $1 WHERE id = $2")
        .bind(token_hash).bind(id).execute(c).await)?;
    Ok(())
}

pub async fn insert_decision(
    tx: &mut Tx,
    application_id: i64,
    user_id: i64,
    decision: super::Recommendation,
    note: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "INSERT INTO club_decisions (application_id, user_id, decision, note, created_at) \
         VALUES ($1, $2, $3, $4, $5)")
        .bind(application_id).bind(user_id).bind(decision).bind(note).bind(now)
        .execute(c).await)?;
    Ok(())
}

/// One step of an application's history after it was sent: a decision of the chair or an
/// answer of the applicant.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StepRow {
    pub kind: super::StepKind,
    /// The chair's name (empty for answers).
    pub by_name: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

/// Decisions and answers, oldest first.
pub async fn steps(db: &Db, application_id: i64) -> sqlx::Result<Vec<StepRow>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT d.decision AS kind, u.display_name AS by_name, d.note AS body, d.created_at \
         FROM club_decisions d JOIN users u ON u.id = d.user_id WHERE d.application_id = $1 \
         UNION ALL \
         SELECT 'answer' AS kind, '' AS by_name, a.body, a.created_at \
         FROM club_answers a WHERE a.application_id = $1 \
         ORDER BY created_at").bind(application_id).fetch_all(c).await)
}

pub async fn insert_answer(
    tx: &mut Tx,
    application_id: i64,
    body: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "INSERT INTO club_answers (application_id, body, created_at) VALUES ($1, $2, $3)")
        .bind(application_id).bind(body).bind(now).execute(c).await)?;
    Ok(())
}

/// The person whose owner proved `email`: by a verified contact address, or as the person of
/// the account with that login address. Never a typed, unverified address: that could be
/// anyone's. Returns (person, account).
pub async fn person_for_address(
    tx: &mut Tx,
    email: &str,
) -> sqlx::Result<Option<(i64, Option<i64>)>> {
    on_db!(&mut *tx, c => sqlx::query_as(
        "SELECT p.id, p.user_id FROM people p LEFT JOIN users u ON u.id = p.user_id \
         WHERE (p.email = $1 AND p.email <> '' AND p.email_verified_at IS NOT NULL) \
         OR (u.email = $1 AND u.email_verified_at IS NOT NULL) ORDER BY p.id LIMIT 1")
        .bind(email).fetch_optional(c).await)
}

/// A person recorded as head of the community, as the committee sees a possible match.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HeadRow {
    pub id: i64,
    pub name_uk: String,
    pub name_en: String,
    pub user_id: Option<i64>,
    pub email_verified_at: Option<DateTime<Utc>>,
}

/// People recorded as heads of the community (any time), by id.
pub async fn heads_of(db: &Db, code: &str) -> sqlx::Result<Vec<HeadRow>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT DISTINCT p.id, p.name_uk, p.name_en, p.user_id, p.email_verified_at \
         FROM people p JOIN posts s ON s.person_id = p.id \
         WHERE s.unit_code = $1 AND s.kind = 'head' AND p.erased_at IS NULL ORDER BY p.id").bind(code).fetch_all(c).await)
}

/// Heads of the community whose name (in either language, ignoring case) is the applicant's:
/// possible matches for the committee to confirm or not. Names are compared here, not in SQL,
/// since SQLite's LOWER() knows only ASCII.
pub async fn heads_named(db: &Db, code: &str, name: &str) -> sqlx::Result<Vec<HeadRow>> {
    let wanted = name.trim().to_lowercase();
    Ok(heads_of(db, code)
        .await?
        .into_iter()
        .filter(|h| h.name_uk.to_lowercase() == wanted || h.name_en.to_lowercase() == wanted)
        .collect())
}

/// Records (or clears) the committee's confirmation that the applicant is this person.
pub async fn set_match(
    tx: &mut Tx,
    id: i64,
    person_id: Option<i64>,
    user_id: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "UPDATE club_applications SET match_person_id = $1, match_confirmed_by = $2, \
         match_confirmed_at = $3 WHERE id = $4")
        .bind(person_id).bind(person_id.map(|_| user_id)).bind(person_id.map(|_| now)).bind(id)
        .execute(c).await)?;
    Ok(())
}

/// The open application from an address, inside a transaction.
pub async fn open_application(tx: &mut Tx, email: &str) -> sqlx::Result<Option<ApplicationRow>> {
    let sql = format!(
        "SELECT {APPLICATION_COLUMNS} FROM club_applications WHERE email = $1 \
         AND status IN ('submitted', 'more_info')"
    );
    on_db!(&mut *tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(email).fetch_optional(c).await)
}

/// A request to the owner of a record to confirm that a new member is them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LinkRequest {
    pub id: i64,
    pub application_id: i64,
    pub person_id: i64,
    pub new_person_id: i64,
}

pub async fn insert_link_request(
    tx: &mut Tx,
    token_hash: &str,
    application_id: i64,
    person_id: i64,
    new_person_id: i64,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> sqlx::Result<()> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "INSERT INTO club_link_requests (token_hash, application_id, person_id, new_person_id, \
         created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(token_hash).bind(application_id).bind(person_id).bind(new_person_id).bind(now)
        .bind(expires_at).execute(c).await)?;
    Ok(())
}

/// The live request a link secret stands for, without using it up.
pub async fn peek_link_request(
    db: &Db,
    token_hash: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<LinkRequest>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT id, application_id, person_id, new_person_id FROM club_link_requests \
         WHERE token_hash = $1 AND confirmed_at IS NULL AND expires_at > $2")
        .bind(token_hash).bind(now).fetch_optional(c).await)
}

/// Uses up a link secret: at most one request confirms.
pub async fn take_link_request(
    tx: &mut Tx,
    token_hash: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<LinkRequest>> {
    on_db!(&mut *tx, c => sqlx::query_as(
        "UPDATE club_link_requests SET confirmed_at = $2 WHERE token_hash = $1 \
         AND confirmed_at IS NULL AND expires_at > $2 \
         RETURNING id, application_id, person_id, new_person_id")
        .bind(token_hash).bind(now).fetch_optional(c).await)
}

/// Moves the new member's current membership from the record made at acceptance to the
/// confirmed record. When the confirmed record is a member already, the new membership ends
/// instead (one membership per person). The new record's delegations are revoked, never moved:
/// the applicant chose those delegates, and the owner never agreed to give them their record.
/// Returns whether it moved.
pub async fn move_membership(
    tx: &mut Tx,
    from: i64,
    to: i64,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let taken: i64 = on_db!(&mut *tx, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM club_members WHERE person_id = $1 AND resigned_on IS NULL")
        .bind(to).fetch_one(c).await)?;
    if taken > 0 {
        crate::db_exec!(&mut *tx, c => sqlx::query(
            "UPDATE club_members SET resigned_on = $1 WHERE person_id = $2 AND resigned_on IS NULL")
            .bind(today).bind(from).execute(c).await)?;
    } else {
        crate::db_exec!(&mut *tx, c => sqlx::query(
            "UPDATE club_members SET person_id = $1 WHERE person_id = $2 AND resigned_on IS NULL")
            .bind(to).bind(from).execute(c).await)?;
    }
    revoke_all_delegates(tx, from, now).await?;
    Ok(taken == 0)
}

/// Whether the membership an application made on a record is still current (a link may be
/// confirmed only then).
pub async fn membership_current(
    tx: &mut Tx,
    person_id: i64,
    application_id: i64,
) -> sqlx::Result<bool> {
    let n: i64 = on_db!(&mut *tx, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM club_members WHERE person_id = $1 AND application_id = $2 \
         AND resigned_on IS NULL")
        .bind(person_id).bind(application_id).fetch_one(c).await)?;
    Ok(n > 0)
}

/// Withdraws the unconfirmed requests of an application (the committee cancels them). Returns
/// how many there were.
pub async fn cancel_application_link_requests(
    tx: &mut Tx,
    application_id: i64,
) -> sqlx::Result<u64> {
    let n = crate::db_exec!(&mut *tx, c => sqlx::query(
        "DELETE FROM club_link_requests WHERE application_id = $1 AND confirmed_at IS NULL")
        .bind(application_id).execute(c).await)?;
    Ok(n)
}

/// Whether an application has an unconfirmed link request still waiting.
pub async fn has_pending_link(
    db: &Db,
    application_id: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let n: i64 = on_db!(db, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM club_link_requests WHERE application_id = $1 \
         AND confirmed_at IS NULL AND expires_at > $2")
        .bind(application_id).bind(now).fetch_one(c).await)?;
    Ok(n > 0)
}

/// Withdraws the unconfirmed requests that involve a person (on their erasure): an erased record
/// is linked to nobody.
pub async fn cancel_link_requests(tx: &mut Tx, person_id: i64) -> sqlx::Result<()> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "DELETE FROM club_link_requests WHERE (person_id = $1 OR new_person_id = $1) \
         AND confirmed_at IS NULL")
        .bind(person_id).execute(c).await)?;
    Ok(())
}

/// Hands the account of one record to another that has none (after its owner confirmed), but
/// only when that account proved the other record's own address (its verified login address is
/// the record's verified contact address): the owner's click alone must not give their record
/// to whoever applied. Otherwise the record stays its owner's.
pub async fn move_account(tx: &mut Tx, from: i64, to: i64) -> sqlx::Result<u64> {
    let user: Option<i64> = on_db!(&mut *tx, c => sqlx::query_scalar(
        "SELECT u.id FROM people f JOIN users u ON u.id = f.user_id \
         JOIN people t ON t.id = $2 \
         WHERE f.id = $1 AND u.email_verified_at IS NOT NULL AND t.email = u.email \
         AND t.email <> '' AND t.email_verified_at IS NOT NULL")
        .bind(from).bind(to).fetch_optional(c).await)?;
    let Some(user) = user else { return Ok(0) };
    let n = crate::db_exec!(&mut *tx, c => sqlx::query(
        "UPDATE people SET user_id = $1 WHERE id = $2 AND user_id IS NULL")
        .bind(user).bind(to).execute(c).await)?;
    if n > 0 {
        crate::db_exec!(&mut *tx, c => sqlx::query("UPDATE people SET user_id = NULL WHERE id = $1")
            .bind(from).execute(c).await)?;
    }
    Ok(n)
}

/// The user account with this address, inside a transaction.
pub async fn user_by_email(tx: &mut Tx, email: &str) -> sqlx::Result<Option<i64>> {
    on_db!(&mut *tx, c => sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email).fetch_optional(c).await)
}

/// The person an account belongs to.
pub async fn person_of_user(db: &Db, user_id: i64) -> sqlx::Result<Option<i64>> {
    on_db!(db, c => sqlx::query_scalar(
        "SELECT id FROM people WHERE user_id = $1 ORDER BY id LIMIT 1")
        .bind(user_id).fetch_optional(c).await)
}

pub async fn link_person_to_user(tx: &mut Tx, person_id: i64, user_id: i64) -> sqlx::Result<()> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "UPDATE people SET user_id = $1 WHERE id = $2 AND user_id IS NULL")
        .bind(user_id).bind(person_id).execute(c).await)?;
    Ok(())
}

/// Head posts in a community that overlap the days `since..=until` (open-ended when `until`
/// is `None`).
pub async fn overlapping_heads(
    tx: &mut Tx,
    code: &str,
    since: NaiveDate,
    until: Option<NaiveDate>,
) -> sqlx::Result<i64> {
    // A far date stands for "still in office"; both dialects compare ISO dates correctly.
    let until = until.unwrap_or(NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX));
    on_db!(&mut *tx, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM posts WHERE unit_code = $1 AND kind = 'head' \
         AND since_on <= $2 AND (until_on IS NULL OR until_on >= $3)")
        .bind(code).bind(until).bind(since).fetch_one(c).await)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberRow {
    pub id: i64,
    pub person_id: i64,
    pub name_uk: String,
    pub name_en: String,
    pub since_on: NaiveDate,
    pub is_listed: bool,
    pub resigned_on: Option<NaiveDate>,
    pub is_demo: bool,
}

const MEMBER_COLUMNS: &str = "m.id, m.person_id, p.name_uk, p.name_en, m.since_on, m.is_listed, \
     m.resigned_on, p.is_demo";

/// Starts a membership; `Ok(None)` when the person is a member already.
pub async fn insert_member(
    tx: &mut Tx,
    person_id: i64,
    application_id: Option<i64>,
    since: NaiveDate,
    is_listed: bool,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<i64>> {
    let result: sqlx::Result<i64> = on_db!(&mut *tx, c => sqlx::query_scalar(
        "INSERT INTO club_members (person_id, application_id, since_on, is_listed, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id")
        .bind(person_id).bind(application_id).bind(since).bind(is_listed).bind(now)
        .fetch_one(c).await);
    match result {
        Ok(id) => Ok(Some(id)),
        Err(e) if crate::db::is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The current membership of a person.
pub async fn member_of_person(db: &Db, person_id: i64) -> sqlx::Result<Option<MemberRow>> {
    let sql = format!(
        "SELECT {MEMBER_COLUMNS} FROM club_members m JOIN people p ON p.id = m.person_id \
         WHERE m.person_id = $1 AND m.resigned_on IS NULL"
    );
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(person_id).fetch_optional(c).await)
}

/// The current member whose proven address (verified contact address, or the account's login
/// address) is `email`.
pub async fn member_by_email(db: &Db, email: &str) -> sqlx::Result<Option<MemberRow>> {
    let sql = format!(
        "SELECT {MEMBER_COLUMNS} FROM club_members m JOIN people p ON p.id = m.person_id \
         LEFT JOIN users u ON u.id = p.user_id \
         WHERE m.resigned_on IS NULL AND ((p.email = $1 AND p.email_verified_at IS NOT NULL) \
         OR (u.email = $1 AND u.email_verified_at IS NOT NULL)) ORDER BY m.id LIMIT 1"
    );
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(email).fetch_optional(c).await)
}

/// Current members who agreed to be listed (or every current member), by name.
pub async fn members(db: &Db, listed_only: bool) -> sqlx::Result<Vec<MemberRow>> {
    let filter = if listed_only {
        " AND m.is_listed = TRUE"
    } else {
        ""
    };
    let sql = format!(
        "SELECT {MEMBER_COLUMNS} FROM club_members m JOIN people p ON p.id = m.person_id \
         WHERE m.resigned_on IS NULL{filter} ORDER BY p.name_uk, m.id"
    );
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(c).await)
}

pub async fn count_members(db: &Db) -> sqlx::Result<i64> {
    on_db!(db, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM club_members WHERE resigned_on IS NULL").fetch_one(c).await)
}

pub async fn set_listed(tx: &mut Tx, member_id: i64, listed: bool) -> sqlx::Result<()> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "UPDATE club_members SET is_listed = $1 WHERE id = $2")
        .bind(listed).bind(member_id).execute(c).await)?;
    Ok(())
}

pub async fn resign(tx: &mut Tx, member_id: i64, on: NaiveDate) -> sqlx::Result<()> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "UPDATE club_members SET resigned_on = $1 WHERE id = $2")
        .bind(on).bind(member_id).execute(c).await)?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DelegateRow {
    pub id: i64,
    pub person_id: i64,
    pub user_id: i64,
    pub display_name: String,
    pub email: String,
    pub created_at: DateTime<Utc>,
}

/// The current delegates of a member.
pub async fn delegates(db: &Db, person_id: i64) -> sqlx::Result<Vec<DelegateRow>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT d.id, d.person_id, d.user_id, u.display_name, u.email, d.created_at \
         FROM club_delegates d JOIN users u ON u.id = d.user_id \
         WHERE d.person_id = $1 AND d.revoked_at IS NULL ORDER BY d.created_at, d.id")
        .bind(person_id).fetch_all(c).await)
}

/// The current members an account acts for as a delegate: (person id, Ukrainian name,
/// English name).
pub async fn delegated_to(db: &Db, user_id: i64) -> sqlx::Result<Vec<(i64, String, String)>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT p.id, p.name_uk, p.name_en FROM club_delegates d \
         JOIN people p ON p.id = d.person_id \
         JOIN club_members m ON m.person_id = d.person_id AND m.resigned_on IS NULL \
         WHERE d.user_id = $1 AND d.revoked_at IS NULL ORDER BY p.name_uk")
        .bind(user_id).fetch_all(c).await)
}

/// Names a delegate; `Ok(None)` when the account is a delegate of this member already.
pub async fn insert_delegate(
    tx: &mut Tx,
    person_id: i64,
    user_id: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<i64>> {
    let result: sqlx::Result<i64> = on_db!(&mut *tx, c => sqlx::query_scalar(
        "INSERT INTO club_delegates (person_id, user_id, created_at) VALUES ($1, $2, $3) \
         RETURNING id")
        .bind(person_id).bind(user_id).bind(now).fetch_one(c).await);
    match result {
        Ok(id) => Ok(Some(id)),
        Err(e) if crate::db::is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Ends a delegation of this member; the number of rows changed (0 when there was none).
pub async fn revoke_delegate(
    tx: &mut Tx,
    person_id: i64,
    delegate_id: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<u64> {
    let r = crate::db_exec!(&mut *tx, c => sqlx::query(
        "UPDATE club_delegates SET revoked_at = $1 \
         WHERE id = $2 AND person_id = $3 AND revoked_at IS NULL")
        .bind(now).bind(delegate_id).bind(person_id).execute(c).await)?;
    Ok(r)
}

/// Ends every delegation of a member (when they resign).
pub async fn revoke_all_delegates(
    tx: &mut Tx,
    person_id: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "UPDATE club_delegates SET revoked_at = $1 WHERE person_id = $2 AND revoked_at IS NULL")
        .bind(now).bind(person_id).execute(c).await)?;
    Ok(())
}

/// Whether the account is a current delegate of the (current) member.
pub async fn is_delegate(db: &Db, person_id: i64, user_id: i64) -> sqlx::Result<bool> {
    let n: i64 = on_db!(db, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM club_delegates d \
         JOIN club_members m ON m.person_id = d.person_id AND m.resigned_on IS NULL \
         WHERE d.person_id = $1 AND d.user_id = $2 AND d.revoked_at IS NULL")
        .bind(person_id).bind(user_id).fetch_one(c).await)?;
    Ok(n > 0)
}

/// The communities current members head or headed, latest post first: (person id, code).
pub async fn member_communities(db: &Db) -> sqlx::Result<Vec<(i64, String)>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT p.person_id, p.unit_code FROM posts p \
         JOIN club_members m ON m.person_id = p.person_id AND m.resigned_on IS NULL \
         WHERE p.kind = 'head' ORDER BY p.since_on DESC, p.id DESC").fetch_all(c).await)
}

/// Erases the applicant's data from every application sent from `email`: the decisions stay
/// (the committee's record), the person's words and contacts go; open ones are withdrawn.
pub async fn erase_applications(tx: &mut Tx, email: &str, now: DateTime<Utc>) -> sqlx::Result<()> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "UPDATE club_answers SET body = '' WHERE application_id IN \
         (SELECT id FROM club_applications WHERE LOWER(email) = LOWER($1))")
        .bind(email).execute(c).await)?;
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "UPDATE club_applications SET name = '#' || CAST(id AS TEXT), phone = '', \
         motivation = '', email = 'erased-' || CAST(id AS TEXT) || '@invalid', \
         status = CASE WHEN status IN ('submitted', 'more_info') THEN 'withdrawn' ELSE status END, \
         decided_at = CASE WHEN status IN ('submitted', 'more_info') THEN $2 ELSE decided_at END \
         WHERE LOWER(email) = LOWER($1)")
        .bind(email).bind(now).execute(c).await)?;
    Ok(())
}

/// Ends a person's membership and delegations (on erasure).
pub async fn end_membership(
    tx: &mut Tx,
    person_id: i64,
    on: NaiveDate,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "UPDATE club_members SET resigned_on = $1, is_listed = FALSE \
         WHERE person_id = $2 AND resigned_on IS NULL")
        .bind(on).bind(person_id).execute(c).await)?;
    revoke_all_delegates(tx, person_id, now).await
}

/// Every membership of a person, current and past.
pub async fn memberships_of(db: &Db, person_id: i64) -> sqlx::Result<Vec<MemberRow>> {
    let sql = format!(
        "SELECT {MEMBER_COLUMNS} FROM club_members m JOIN people p ON p.id = m.person_id \
         WHERE m.person_id = $1 ORDER BY m.since_on"
    );
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(person_id).fetch_all(c).await)
}

/// Applications sent from an address.
pub async fn applications_of(db: &Db, email: &str) -> sqlx::Result<Vec<ApplicationRow>> {
    let sql = format!(
        "SELECT {APPLICATION_COLUMNS} FROM club_applications WHERE LOWER(email) = LOWER($1) \
         ORDER BY created_at"
    );
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(email).fetch_all(c).await)
}
