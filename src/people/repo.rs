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
    /// When the person's data was erased on their request (what law keeps stays).
    pub erased_at: Option<DateTime<Utc>>,
    /// When the owner of `email` followed the mailed link; a typed address counts for nothing
    /// (privacy export, erasure, club matching) until then. Cleared when the address changes.
    pub email_verified_at: Option<DateTime<Utc>>,
}

impl Person {
    /// The name in `lang`: the English one where there is one, else the Ukrainian.
    pub fn name_in(&self, lang: crate::i18n::Lang) -> &str {
        match lang {
            crate::i18n::Lang::En if !self.name_en.is_empty() => &self.name_en,
            _ => &self.name_uk,
        }
    }

    /// The contact address, when its owner proved it is theirs.
    pub fn verified_email(&self) -> Option<&str> {
        (!self.email.is_empty() && self.email_verified_at.is_some()).then_some(self.email.as_str())
    }
}

const PERSON_COLUMNS: &str = "id, name_uk, name_en, email, phone, is_email_public, \
     is_phone_public, user_id, is_demo, erased_at, email_verified_at";
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

/// Changes contacts; a changed address loses its verification (the right-hand sides read the
/// row as it was, on both databases).
pub async fn update_contacts(tx: &mut Tx, id: i64, c: &Contacts<'_>) -> sqlx::Result<u64> {
    crate::db_exec!(&mut *tx, conn => sqlx::query(
        "UPDATE people SET email = $1, phone = $2, is_email_public = $3, is_phone_public = $4, \
         email_verified_at = CASE WHEN email = $1 THEN email_verified_at ELSE NULL END \
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

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MayorText {
    pub field: String,
    pub lang: String,
    pub draft: String,
    pub published: String,
    pub state: String,
    pub edited_at: DateTime<Utc>,
    pub reviewed_at: Option<DateTime<Utc>>,
}

/// Every text of a person's mayor page.
pub async fn mayor_texts(db: &Db, person_id: i64) -> sqlx::Result<Vec<MayorText>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT field, lang, draft, published, state, edited_at, reviewed_at FROM mayor_texts \
         WHERE person_id = $1").bind(person_id).fetch_all(c).await)
}

/// Saves the draft of one field in one language with its new state.
#[allow(clippy::too_many_arguments)]
pub async fn save_mayor_draft(
    tx: &mut Tx,
    person_id: i64,
    field: &str,
    lang: &str,
    draft: &str,
    state: &str,
    user_id: Option<i64>,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "INSERT INTO mayor_texts (person_id, field, lang, draft, state, edited_by, edited_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (person_id, field, lang) DO UPDATE SET \
         draft = excluded.draft, state = excluded.state, edited_by = excluded.edited_by, \
         edited_at = excluded.edited_at")
        .bind(person_id).bind(field).bind(lang).bind(draft).bind(state).bind(user_id).bind(now)
        .execute(c).await)?;
    Ok(())
}

/// Publishes the draft of one field in one language.
pub async fn publish_mayor_text(
    tx: &mut Tx,
    person_id: i64,
    field: &str,
    lang: &str,
    state: &str,
    user_id: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<u64> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "UPDATE mayor_texts SET published = draft, state = $1, reviewed_by = $2, reviewed_at = $3 \
         WHERE person_id = $4 AND field = $5 AND lang = $6 AND state = 'draft'")
        .bind(state).bind(user_id).bind(now).bind(person_id).bind(field).bind(lang)
        .execute(c).await)
}

/// People whose mayor pages have drafts waiting for an editor: (id, Ukrainian name, English
/// name, drafts), the longest waiting first.
pub async fn mayor_drafts(db: &Db) -> sqlx::Result<Vec<(i64, String, String, i64)>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT p.id, p.name_uk, p.name_en, COUNT(*) FROM mayor_texts t \
         JOIN people p ON p.id = t.person_id WHERE t.state = 'draft' \
         GROUP BY p.id, p.name_uk, p.name_en ORDER BY MIN(t.edited_at), p.id").fetch_all(c).await)
}

/// Whether the person holds or held a head post.
pub async fn was_head(db: &Db, person_id: i64) -> sqlx::Result<bool> {
    let n: i64 = on_db!(db, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM posts WHERE person_id = $1 AND kind = 'head'")
        .bind(person_id).fetch_one(c).await)?;
    Ok(n > 0)
}

pub async fn save_photo(
    tx: &mut Tx,
    person_id: i64,
    photo: &super::mayor::Photo,
    user_id: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "INSERT INTO person_photos (person_id, content_type, bytes, width, height, uploaded_by, \
         uploaded_at) VALUES ($1, 'image/jpeg', $2, $3, $4, $5, $6) ON CONFLICT (person_id) DO \
         UPDATE SET content_type = excluded.content_type, bytes = excluded.bytes, \
         width = excluded.width, height = excluded.height, uploaded_by = excluded.uploaded_by, \
         uploaded_at = excluded.uploaded_at")
        .bind(person_id).bind(&photo.jpeg).bind(i64::from(photo.width))
        .bind(i64::from(photo.height)).bind(user_id).bind(now).execute(c).await)?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PhotoRow {
    pub bytes: Vec<u8>,
    pub width: i64,
    pub height: i64,
    pub uploaded_at: DateTime<Utc>,
}

pub async fn photo(db: &Db, person_id: i64) -> sqlx::Result<Option<PhotoRow>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT bytes, width, height, uploaded_at FROM person_photos WHERE person_id = $1")
        .bind(person_id).fetch_optional(c).await)
}

/// The size and date of a person's photo, without its bytes.
pub async fn photo_meta(
    db: &Db,
    person_id: i64,
) -> sqlx::Result<Option<(i64, i64, DateTime<Utc>)>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT width, height, uploaded_at FROM person_photos WHERE person_id = $1")
        .bind(person_id).fetch_optional(c).await)
}

pub async fn delete_photo(tx: &mut Tx, person_id: i64) -> sqlx::Result<u64> {
    crate::db_exec!(&mut *tx, c => sqlx::query("DELETE FROM person_photos WHERE person_id = $1")
        .bind(person_id).execute(c).await)
}

/// Erases what a person asked to erase: contacts, photo, mayor's page texts; the name too
/// when `keep_name` is false (no post of public office keeps it).
pub async fn erase_person(
    tx: &mut Tx,
    id: i64,
    keep_name: bool,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    let placeholder = format!("#{id}");
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "UPDATE people SET email = '', phone = '', is_email_public = FALSE, \
         is_phone_public = FALSE, erased_at = $1, \
         name_uk = CASE WHEN $2 THEN name_uk ELSE $3 END, \
         name_en = CASE WHEN $2 THEN name_en ELSE $3 END WHERE id = $4")
        .bind(now).bind(keep_name).bind(&placeholder).bind(id).execute(c).await)?;
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "UPDATE people SET email_verified_at = NULL WHERE id = $1").bind(id).execute(c).await)?;
    crate::db_exec!(&mut *tx, c => sqlx::query("DELETE FROM mayor_texts WHERE person_id = $1")
        .bind(id).execute(c).await)?;
    crate::db_exec!(&mut *tx, c => sqlx::query("DELETE FROM person_photos WHERE person_id = $1")
        .bind(id).execute(c).await)?;
    delete_photo_draft(tx, id).await?;
    delete_email_tokens(tx, id).await?;
    Ok(())
}

// --- contact address verification ---

/// Stores the hash of a link secret that proves `email` belongs to the person's owner.
pub async fn insert_email_token(
    tx: &mut Tx,
    person_id: i64,
    email: &str,
    token_hash: &str,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> sqlx::Result<()> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "INSERT INTO person_email_tokens (token_hash, person_id, email, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)")
        .bind(token_hash).bind(person_id).bind(email).bind(now).bind(expires_at)
        .execute(c).await)?;
    Ok(())
}

/// The person and address a live link secret stands for, without using it up.
pub async fn peek_email_token(
    db: &Db,
    token_hash: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<(i64, String)>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT person_id, email FROM person_email_tokens WHERE token_hash = $1 \
         AND used_at IS NULL AND expires_at > $2")
        .bind(token_hash).bind(now).fetch_optional(c).await)
}

/// Uses up a link secret: at most one request gets its person and address back.
pub async fn take_email_token(
    tx: &mut Tx,
    token_hash: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<(i64, String)>> {
    on_db!(&mut *tx, c => sqlx::query_as(
        "UPDATE person_email_tokens SET used_at = $2 WHERE token_hash = $1 \
         AND used_at IS NULL AND expires_at > $2 RETURNING person_id, email")
        .bind(token_hash).bind(now).fetch_optional(c).await)
}

/// Whether a link for this address is still live (so saving again does not mail again).
pub async fn live_email_token(
    tx: &mut Tx,
    person_id: i64,
    email: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let n: i64 = on_db!(&mut *tx, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM person_email_tokens WHERE person_id = $1 AND email = $2 \
         AND used_at IS NULL AND expires_at > $3")
        .bind(person_id).bind(email).bind(now).fetch_one(c).await)?;
    Ok(n > 0)
}

/// Ends every live verification link of a person (their address changed), keeping the rows so
/// that the daily cap on verification mails still counts them.
pub async fn expire_email_tokens(
    tx: &mut Tx,
    person_id: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "UPDATE person_email_tokens SET expires_at = $2 WHERE person_id = $1 AND expires_at > $2")
        .bind(person_id).bind(now).execute(c).await)?;
    Ok(())
}

/// How many verification links went to a person's addresses since `since`.
pub async fn email_tokens_since(
    db: &Db,
    person_id: i64,
    since: DateTime<Utc>,
) -> sqlx::Result<i64> {
    on_db!(db, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM person_email_tokens WHERE person_id = $1 AND created_at > $2")
        .bind(person_id).bind(since).fetch_one(c).await)
}

pub async fn delete_email_tokens(tx: &mut Tx, person_id: i64) -> sqlx::Result<()> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "DELETE FROM person_email_tokens WHERE person_id = $1")
        .bind(person_id).execute(c).await)?;
    Ok(())
}

/// Marks the address verified, only while it is still the person's address; the number of
/// rows changed.
pub async fn mark_email_verified(
    tx: &mut Tx,
    person_id: i64,
    email: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<u64> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "UPDATE people SET email_verified_at = $1 WHERE id = $2 AND email = $3")
        .bind(now).bind(person_id).bind(email).execute(c).await)
}

/// Marks verified the contact address of the person account `user_id` belongs to, when it is
/// `email` and not verified yet; the person, if one was marked.
pub async fn verify_account_address(
    tx: &mut Tx,
    user_id: i64,
    email: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<i64>> {
    let id: Option<i64> = on_db!(&mut *tx, c => sqlx::query_scalar(
        "SELECT id FROM people WHERE user_id = $1 AND email = $2 AND email <> '' \
         AND email_verified_at IS NULL ORDER BY id LIMIT 1")
        .bind(user_id).bind(email).fetch_optional(c).await)?;
    if let Some(id) = id {
        mark_email_verified(tx, id, email, now).await?;
    }
    Ok(id)
}

/// The first person whose contact address `email` is verified (addresses are stored
/// normalised to lower case).
pub async fn person_by_verified_email(tx: &mut Tx, email: &str) -> sqlx::Result<Option<Person>> {
    let sql = format!(
        "SELECT {PERSON_COLUMNS} FROM people WHERE email = $1 AND email <> '' \
         AND email_verified_at IS NOT NULL ORDER BY id LIMIT 1"
    );
    on_db!(&mut *tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(email).fetch_optional(c).await)
}

/// A person, inside a transaction.
pub async fn person_tx(tx: &mut Tx, id: i64) -> sqlx::Result<Option<Person>> {
    let sql = format!("SELECT {PERSON_COLUMNS} FROM people WHERE id = $1");
    on_db!(&mut *tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(c).await)
}

// --- photos waiting for an editor ---

/// Keeps an uploaded photo until an editor publishes it (a newer upload replaces it).
pub async fn save_photo_draft(
    tx: &mut Tx,
    person_id: i64,
    photo: &super::mayor::Photo,
    user_id: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "INSERT INTO person_photo_drafts (person_id, content_type, bytes, width, height, \
         uploaded_by, uploaded_at) VALUES ($1, 'image/jpeg', $2, $3, $4, $5, $6) \
         ON CONFLICT (person_id) DO UPDATE SET content_type = excluded.content_type, \
         bytes = excluded.bytes, width = excluded.width, height = excluded.height, \
         uploaded_by = excluded.uploaded_by, uploaded_at = excluded.uploaded_at")
        .bind(person_id).bind(&photo.jpeg).bind(i64::from(photo.width))
        .bind(i64::from(photo.height)).bind(user_id).bind(now).execute(c).await)?;
    Ok(())
}

pub async fn photo_draft(db: &Db, person_id: i64) -> sqlx::Result<Option<PhotoRow>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT bytes, width, height, uploaded_at FROM person_photo_drafts WHERE person_id = $1")
        .bind(person_id).fetch_optional(c).await)
}

/// The size and date of the photo waiting for review, without its bytes.
pub async fn photo_draft_meta(
    db: &Db,
    person_id: i64,
) -> sqlx::Result<Option<(i64, i64, DateTime<Utc>)>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT width, height, uploaded_at FROM person_photo_drafts WHERE person_id = $1")
        .bind(person_id).fetch_optional(c).await)
}

pub async fn delete_photo_draft(tx: &mut Tx, person_id: i64) -> sqlx::Result<u64> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "DELETE FROM person_photo_drafts WHERE person_id = $1")
        .bind(person_id).execute(c).await)
}

/// Publishes the photo waiting for review; the number of photos published (0 or 1).
/// Only the draft uploaded at `uploaded_at` (the one the editor saw) is published; a newer one
/// publishes nothing.
pub async fn publish_photo_draft(
    tx: &mut Tx,
    person_id: i64,
    uploaded_at: DateTime<Utc>,
    reviewer: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<u64> {
    // The upload time becomes the publishing time: the public URL carries it, so browsers
    // that kept the previous photo fetch the new one.
    let n = crate::db_exec!(&mut *tx, c => sqlx::query(
        "INSERT INTO person_photos (person_id, content_type, bytes, width, height, uploaded_by, \
         uploaded_at) SELECT person_id, content_type, bytes, width, height, $2, $3 \
         FROM person_photo_drafts WHERE person_id = $1 AND uploaded_at = $4 \
         ON CONFLICT (person_id) DO UPDATE SET \
         content_type = excluded.content_type, bytes = excluded.bytes, width = excluded.width, \
         height = excluded.height, uploaded_by = excluded.uploaded_by, \
         uploaded_at = excluded.uploaded_at")
        .bind(person_id).bind(reviewer).bind(now).bind(uploaded_at).execute(c).await)?;
    if n > 0 {
        delete_photo_draft(tx, person_id).await?;
    }
    Ok(n)
}

/// People whose photo waits for an editor: (id, Ukrainian name, English name, since).
pub async fn photo_drafts(db: &Db) -> sqlx::Result<Vec<(i64, String, String, DateTime<Utc>)>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT p.id, p.name_uk, p.name_en, d.uploaded_at FROM person_photo_drafts d \
         JOIN people p ON p.id = d.person_id ORDER BY d.uploaded_at, p.id").fetch_all(c).await)
}
