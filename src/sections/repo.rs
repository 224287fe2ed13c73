//! SQL of the sections' work: members and requests, announcements, materials.

use chrono::{DateTime, Utc};

use super::MemberStatus;
use crate::db::{Db, Tx};
use crate::on_db;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberRow {
    pub id: i64,
    pub user_id: i64,
    pub display_name: String,
    pub email: String,
    pub status: MemberStatus,
    pub note: String,
    pub requested_at: DateTime<Utc>,
}

/// The open (pending or approved) requests and memberships of a section, by name.
pub async fn members(db: &Db, section_id: i64) -> sqlx::Result<Vec<MemberRow>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT m.id, m.user_id, u.display_name, u.email, m.status, m.note, m.requested_at \
         FROM section_members m JOIN users u ON u.id = m.user_id \
         WHERE m.section_id = $1 AND m.status IN ('pending', 'approved') \
         ORDER BY u.display_name, m.id").bind(section_id).fetch_all(c).await)
}

/// The account's open request or membership in a section: (id, status).
pub async fn membership(
    db: &Db,
    section_id: i64,
    user_id: i64,
) -> sqlx::Result<Option<(i64, MemberStatus)>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT id, status FROM section_members WHERE section_id = $1 AND user_id = $2 \
         AND status IN ('pending', 'approved')").bind(section_id).bind(user_id)
        .fetch_optional(c).await)
}

/// Asks to join; `Ok(None)` when a request or membership is open already.
pub async fn request(
    tx: &mut Tx,
    section_id: i64,
    user_id: i64,
    note: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<i64>> {
    let result: sqlx::Result<i64> = on_db!(&mut *tx, c => sqlx::query_scalar(
        "INSERT INTO section_members (section_id, user_id, status, note, requested_at) \
         VALUES ($1, $2, 'pending', $3, $4) RETURNING id")
        .bind(section_id).bind(user_id).bind(note).bind(now).fetch_one(c).await);
    match result {
        Ok(id) => Ok(Some(id)),
        Err(e) if crate::db::is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Moves a request or membership from `from` to `to`; the number of rows changed.
#[allow(clippy::too_many_arguments)]
pub async fn set_status(
    tx: &mut Tx,
    section_id: i64,
    id: i64,
    from: MemberStatus,
    to: MemberStatus,
    by: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<u64> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "UPDATE section_members SET status = $1, decided_at = $2, decided_by = $3 \
         WHERE id = $4 AND section_id = $5 AND status = $6")
        .bind(to).bind(now).bind(by).bind(id).bind(section_id).bind(from).execute(c).await)
}

/// The sections an account belongs to (approved): (slug, Ukrainian name, English name).
pub async fn sections_of(db: &Db, user_id: i64) -> sqlx::Result<Vec<(String, String, String)>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT s.slug, s.name_uk, s.name_en FROM section_members m \
         JOIN sections s ON s.id = m.section_id \
         WHERE m.user_id = $1 AND m.status = 'approved' ORDER BY s.position")
        .bind(user_id).fetch_all(c).await)
}

/// The coordinators of a section (accounts with the scoped role): names.
pub async fn coordinators(db: &Db, slug: &str) -> sqlx::Result<Vec<String>> {
    on_db!(db, c => sqlx::query_scalar(
        "SELECT u.display_name FROM user_roles r JOIN users u ON u.id = r.user_id \
         WHERE r.role = 'section_coordinator' AND r.scope = $1 AND u.disabled_at IS NULL \
         ORDER BY u.display_name").bind(slug).fetch_all(c).await)
}

pub async fn approved_count(db: &Db, section_id: i64) -> sqlx::Result<i64> {
    on_db!(db, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM section_members WHERE section_id = $1 AND status = 'approved'")
        .bind(section_id).fetch_one(c).await)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AnnouncementRow {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub lang: String,
    pub author: String,
    pub created_at: DateTime<Utc>,
}

/// A section's announcements, newest first.
pub async fn announcements(
    db: &Db,
    section_id: i64,
    limit: i64,
) -> sqlx::Result<Vec<AnnouncementRow>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT a.id, a.title, a.body, a.lang, u.display_name AS author, a.created_at \
         FROM section_announcements a JOIN users u ON u.id = a.author_id \
         WHERE a.section_id = $1 ORDER BY a.created_at DESC, a.id DESC LIMIT $2")
        .bind(section_id).bind(limit).fetch_all(c).await)
}

pub async fn insert_announcement(
    tx: &mut Tx,
    section_id: i64,
    title: &str,
    body: &str,
    lang: &str,
    author: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<i64> {
    on_db!(&mut *tx, c => sqlx::query_scalar(
        "INSERT INTO section_announcements (section_id, title, body, lang, author_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
        .bind(section_id).bind(title).bind(body).bind(lang).bind(author).bind(now)
        .fetch_one(c).await)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MaterialRow {
    pub id: i64,
    pub title: String,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub uploader: String,
    pub uploaded_at: DateTime<Utc>,
}

/// A section's materials (not deleted), newest first, without their bytes.
pub async fn materials(db: &Db, section_id: i64) -> sqlx::Result<Vec<MaterialRow>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT m.id, m.title, m.filename, m.content_type, m.size_bytes, \
         u.display_name AS uploader, m.uploaded_at FROM section_materials m \
         JOIN users u ON u.id = m.uploaded_by \
         WHERE m.section_id = $1 AND m.deleted_at IS NULL ORDER BY m.uploaded_at DESC, m.id DESC")
        .bind(section_id).fetch_all(c).await)
}

pub struct NewMaterial<'a> {
    pub title: &'a str,
    pub filename: &'a str,
    pub content_type: &'a str,
    pub bytes: &'a [u8],
}

pub async fn insert_material(
    tx: &mut Tx,
    section_id: i64,
    m: &NewMaterial<'_>,
    by: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<i64> {
    on_db!(&mut *tx, c => sqlx::query_scalar(
        "INSERT INTO section_materials (section_id, title, filename, content_type, bytes, \
         size_bytes, uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id")
        .bind(section_id).bind(m.title).bind(m.filename).bind(m.content_type).bind(m.bytes)
        .bind(m.bytes.len() as i64).bind(by).bind(now).fetch_one(c).await)
}

/// One material's file: (file name, type, bytes).
pub async fn material_file(
    db: &Db,
    section_id: i64,
    id: i64,
) -> sqlx::Result<Option<(String, String, Vec<u8>)>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT filename, content_type, bytes FROM section_materials \
         WHERE id = $1 AND section_id = $2 AND deleted_at IS NULL")
        .bind(id).bind(section_id).fetch_optional(c).await)
}

/// Marks a material deleted and drops its bytes; the row stays for the record.
pub async fn delete_material(
    tx: &mut Tx,
    section_id: i64,
    id: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<u64> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "UPDATE section_materials SET deleted_at = $1, bytes = $2 \
         WHERE id = $3 AND section_id = $4 AND deleted_at IS NULL")
        .bind(now).bind(Vec::<u8>::new()).bind(id).bind(section_id).execute(c).await)
}

pub async fn set_purpose(
    tx: &mut Tx,
    section_id: i64,
    purpose_uk: &str,
    purpose_en: &str,
) -> sqlx::Result<()> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "UPDATE sections SET purpose_uk = $1, purpose_en = $2 WHERE id = $3")
        .bind(purpose_uk).bind(purpose_en).bind(section_id).execute(c).await)?;
    Ok(())
}
