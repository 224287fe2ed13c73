//! SQL of digests: digests and their entries, sendings, subscribers.

use chrono::{DateTime, NaiveDate, Utc};

use crate::db::{Db, Tx};
use crate::on_db;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DigestRow {
    pub id: i64,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub title_uk: String,
    pub title_en: String,
    pub intro_uk: String,
    pub intro_en: String,
    pub closing_uk: String,
    pub closing_en: String,
    pub state: super::State,
    pub published_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    pub is_demo: bool,
}

const DIGEST_COLUMNS: &str = "id, starts_on, ends_on, title_uk, title_en, intro_uk, intro_en, \
     closing_uk, closing_en, state, published_at, updated_at, is_demo";

pub struct NewDigest<'a> {
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub title_uk: &'a str,
    pub title_en: &'a str,
    pub created_by: Option<i64>,
    pub is_demo: bool,
}

/// Creates a draft; `Ok(None)` when a digest ends on that day already.
pub async fn insert(
    tx: &mut Tx,
    d: &NewDigest<'_>,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<i64>> {
    let r: sqlx::Result<i64> = on_db!(&mut *tx, c => sqlx::query_scalar(
        "INSERT INTO digests (starts_on, ends_on, title_uk, title_en, state, created_by, \
         created_at, updated_at, is_demo) VALUES ($1, $2, $3, $4, 'draft', $5, $6, $6, $7) \
         RETURNING id")
        .bind(d.starts_on).bind(d.ends_on).bind(d.title_uk).bind(d.title_en).bind(d.created_by)
        .bind(now).bind(d.is_demo).fetch_one(c).await);
    match r {
        Ok(id) => Ok(Some(id)),
        Err(e) if crate::db::is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

pub async fn insert_entry(
    tx: &mut Tx,
    digest: i64,
    item: i64,
    group: &str,
    position: i64,
) -> sqlx::Result<()> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "INSERT INTO digest_entries (digest_id, item_id, group_key, position) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (digest_id, item_id) DO NOTHING")
        .bind(digest).bind(item).bind(group).bind(position).execute(c).await)?;
    Ok(())
}

pub async fn digest(db: &Db, id: i64) -> sqlx::Result<Option<DigestRow>> {
    let sql = format!("SELECT {DIGEST_COLUMNS} FROM digests WHERE id = $1");
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(c).await)
}

pub async fn published_by_end(db: &Db, ends_on: NaiveDate) -> sqlx::Result<Option<DigestRow>> {
    let sql =
        format!("SELECT {DIGEST_COLUMNS} FROM digests WHERE ends_on = $1 AND state = 'published'");
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(ends_on).fetch_optional(c).await)
}

/// The digest ending on `ends_on`, in any state (one per last day).
pub async fn by_end(db: &Db, ends_on: NaiveDate) -> sqlx::Result<Option<DigestRow>> {
    let sql = format!("SELECT {DIGEST_COLUMNS} FROM digests WHERE ends_on = $1");
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(ends_on).fetch_optional(c).await)
}

/// Digests, the latest range first: published ones only, or all (for editors).
pub async fn digests(db: &Db, published_only: bool) -> sqlx::Result<Vec<DigestRow>> {
    let filter = if published_only {
        "WHERE state = 'published'"
    } else {
        ""
    };
    let sql = format!("SELECT {DIGEST_COLUMNS} FROM digests {filter} ORDER BY ends_on DESC");
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(c).await)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EntryRow {
    pub id: i64,
    pub item_id: i64,
    pub group_key: String,
    pub position: i64,
    pub summary_uk: String,
    pub summary_en: String,
}

/// A digest's entries in their groups' and positions' order (groups sorted by the caller).
pub async fn entries(db: &Db, digest: i64) -> sqlx::Result<Vec<EntryRow>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT id, item_id, group_key, position, summary_uk, summary_en FROM digest_entries \
         WHERE digest_id = $1 ORDER BY position, id").bind(digest).fetch_all(c).await)
}

pub struct Texts<'a> {
    pub title_uk: &'a str,
    pub title_en: &'a str,
    pub intro_uk: &'a str,
    pub intro_en: &'a str,
    pub closing_uk: &'a str,
    pub closing_en: &'a str,
}

pub async fn update_texts(
    tx: &mut Tx,
    id: i64,
    t: &Texts<'_>,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "UPDATE digests SET title_uk = $1, title_en = $2, intro_uk = $3, intro_en = $4, \
         closing_uk = $5, closing_en = $6, updated_at = $7 WHERE id = $8")
        .bind(t.title_uk).bind(t.title_en).bind(t.intro_uk).bind(t.intro_en).bind(t.closing_uk)
        .bind(t.closing_en).bind(now).bind(id).execute(c).await)?;
    Ok(())
}

pub async fn update_entry(tx: &mut Tx, digest: i64, entry: &EntryRow) -> sqlx::Result<()> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "UPDATE digest_entries SET group_key = $1, position = $2, summary_uk = $3, summary_en = $4 \
         WHERE id = $5 AND digest_id = $6")
        .bind(&entry.group_key).bind(entry.position).bind(&entry.summary_uk)
        .bind(&entry.summary_en).bind(entry.id).bind(digest).execute(c).await)?;
    Ok(())
}

pub async fn delete_entry(tx: &mut Tx, digest: i64, entry: i64) -> sqlx::Result<()> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "DELETE FROM digest_entries WHERE id = $1 AND digest_id = $2")
        .bind(entry).bind(digest).execute(c).await)?;
    Ok(())
}

/// Publishes a draft; rows changed (0 when it was published already).
pub async fn publish(tx: &mut Tx, id: i64, now: DateTime<Utc>) -> sqlx::Result<u64> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "UPDATE digests SET state = 'published', published_at = $1, updated_at = $1 \
         WHERE id = $2 AND state = 'draft'").bind(now).bind(id).execute(c).await)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SubscriberRow {
    pub id: i64,
    pub email: String,
    pub lang: String,
    /// Sector slugs separated by commas; empty means every sector.
    pub sectors: String,
    pub status: super::SubscriberStatus,
    pub confirm_expires_at: Option<DateTime<Utc>>,
    /// The SHA-256 of the secret that opens the preferences page and the unsubscribe link;
    /// the link is found by it.
    pub manage_hash: String,
    /// The same secret sealed (see `crate::secrets`), for putting it into each digest mail.
    /// `None` only for rows from before sealing, until start-up seals them.
    pub manage_sealed: Option<String>,
}

impl SubscriberRow {
    /// The secret of the subscriber's links, opened.
    pub fn manage_secret(&self) -> anyhow::Result<String> {
        match self.manage_sealed.as_deref() {
            Some(sealed) => {
                Ok(crate::secrets::keyring()
                    .open_str(sealed, &manage_context(&self.manage_hash))?)
            }
            // A row written by an instance from before sealing (during a rolling upgrade)
            // still holds the secret itself; the next start seals it.
            None => Ok(self.manage_hash.clone()),
        }
    }
}

/// What a subscriber's sealed secret is bound to: its own hash, so it opens only in its row.
pub fn manage_context(hash: &str) -> String {
    format!("subscriber-manage:{hash}")
}

/// Seals the secrets of subscribers stored before sealing (their `manage_token` still holds
/// the secret itself) and re-seals those sealed under an older key; returns how many changed.
/// A row no key opens is logged and left as it is.
pub async fn seal_subscriber_secrets(db: &Db) -> anyhow::Result<u64> {
    let ring = crate::secrets::keyring();
    let rows: Vec<(i64, String, Option<String>)> = on_db!(db, c => sqlx::query_as(
        "SELECT id, manage_token, manage_sealed FROM subscribers").fetch_all(c).await)?;
    // Re-sealing at start-up or in `hromada secrets rotate`, not a use case: no actor, no
    // audit entry, so a plain transaction.
    let mut tx = db.begin().await?;
    let mut n = 0;
    for (id, stored, sealed) in rows {
        let (hash, secret) = match &sealed {
            None => (crate::secrets::secret_hash(&stored), stored.clone()),
            Some(s) if ring.is_stale(s) => match ring.open_str(s, &manage_context(&stored)) {
                Ok(secret) => (stored.clone(), secret),
                Err(e) => {
                    tracing::warn!(id, error = %e, "a subscriber's link secret cannot be opened");
                    continue;
                }
            },
            Some(_) => continue,
        };
        let new_sealed = ring.seal_str(&secret, &manage_context(&hash));
        // Only if the row is still as read (another instance may be sealing it too).
        n += crate::db_exec!(&mut tx, c => sqlx::query(
            "UPDATE subscribers SET manage_token = $1, manage_sealed = $2 \
             WHERE id = $3 AND manage_token = $4 AND manage_sealed IS NOT DISTINCT FROM $5")
            .bind(&hash).bind(new_sealed).bind(id).bind(&stored).bind(&sealed).execute(c).await)?;
    }
    tx.commit().await?;
    Ok(n)
}

const SUBSCRIBER_COLUMNS: &str = "id, email, lang, sectors, status, confirm_expires_at, \
     manage_token AS manage_hash, manage_sealed";

pub async fn subscriber_by_email(tx: &mut Tx, email: &str) -> sqlx::Result<Option<SubscriberRow>> {
    let sql = format!("SELECT {SUBSCRIBER_COLUMNS} FROM subscribers WHERE email = $1");
    on_db!(&mut *tx, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(email).fetch_optional(c).await)
}

pub async fn subscriber_by_confirm(db: &Db, hash: &str) -> sqlx::Result<Option<SubscriberRow>> {
    let sql = format!("SELECT {SUBSCRIBER_COLUMNS} FROM subscribers WHERE confirm_hash = $1");
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(hash).fetch_optional(c).await)
}

/// The subscriber whose link holds `secret` (found by its hash).
pub async fn subscriber_by_manage(db: &Db, secret: &str) -> sqlx::Result<Option<SubscriberRow>> {
    // By its hash; a row not sealed yet (from an older instance) holds the secret itself,
    // and only such a row may match it plainly, so a stored hash never works as a secret.
    let sql = format!(
        "SELECT {SUBSCRIBER_COLUMNS} FROM subscribers \
         WHERE manage_token = $1 OR (manage_token = $2 AND manage_sealed IS NULL)"
    );
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(crate::secrets::secret_hash(secret)).bind(secret).fetch_optional(c).await)
}

/// Records a new pending subscriber.
#[allow(clippy::too_many_arguments)]
pub async fn insert_subscriber(
    tx: &mut Tx,
    email: &str,
    lang: &str,
    sectors: &str,
    manage_secret: &str,
    confirm_hash: &str,
    expires: DateTime<Utc>,
    now: DateTime<Utc>,
) -> sqlx::Result<i64> {
    let hash = crate::secrets::secret_hash(manage_secret);
    let sealed = crate::secrets::keyring().seal_str(manage_secret, &manage_context(&hash));
    on_db!(&mut *tx, c => sqlx::query_scalar(
        "INSERT INTO subscribers (email, lang, sectors, status, manage_token, manage_sealed, confirm_hash, \
         confirm_expires_at, created_at) VALUES ($1, $2, $3, 'pending', $4, $8, $5, $6, $7) RETURNING id")
        .bind(email).bind(lang).bind(sectors).bind(hash).bind(confirm_hash).bind(expires)
        .bind(now).bind(sealed).fetch_one(c).await)
}

/// Asks again: new preferences and a new confirmation secret; the address is pending.
pub async fn renew_subscriber(
    tx: &mut Tx,
    id: i64,
    lang: &str,
    sectors: &str,
    confirm_hash: &str,
    expires: DateTime<Utc>,
) -> sqlx::Result<()> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "UPDATE subscribers SET lang = $1, sectors = $2, status = 'pending', confirm_hash = $3, \
         confirm_expires_at = $4 WHERE id = $5")
        .bind(lang).bind(sectors).bind(confirm_hash).bind(expires).bind(id).execute(c).await)?;
    Ok(())
}

/// Confirms a pending address (the confirmation secret is used up); rows changed.
pub async fn confirm_subscriber(tx: &mut Tx, id: i64, now: DateTime<Utc>) -> sqlx::Result<u64> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "UPDATE subscribers SET status = 'confirmed', confirmed_at = $1, confirm_hash = NULL, \
         confirm_expires_at = NULL WHERE id = $2 AND status = 'pending'")
        .bind(now).bind(id).execute(c).await)
}

pub async fn set_preferences(tx: &mut Tx, id: i64, lang: &str, sectors: &str) -> sqlx::Result<()> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "UPDATE subscribers SET lang = $1, sectors = $2 WHERE id = $3")
        .bind(lang).bind(sectors).bind(id).execute(c).await)?;
    Ok(())
}

pub async fn unsubscribe(tx: &mut Tx, id: i64, now: DateTime<Utc>) -> sqlx::Result<u64> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "UPDATE subscribers SET status = 'unsubscribed', unsubscribed_at = $1, confirm_hash = NULL \
         WHERE id = $2 AND status <> 'unsubscribed'").bind(now).bind(id).execute(c).await)
}

/// Confirmed subscribers, for the count before sending.
pub async fn confirmed_count(db: &Db) -> sqlx::Result<i64> {
    on_db!(db, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM subscribers WHERE status = 'confirmed'").fetch_one(c).await)
}

/// Confirmed subscribers: (language, sectors as stored).
pub async fn confirmed(db: &Db) -> sqlx::Result<Vec<(String, String)>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT lang, sectors FROM subscribers WHERE status = 'confirmed'").fetch_all(c).await)
}

/// Confirmed subscribers after `after` in id order, a batch at a time.
pub async fn confirmed_after(db: &Db, after: i64, limit: i64) -> sqlx::Result<Vec<SubscriberRow>> {
    let sql = format!(
        "SELECT {SUBSCRIBER_COLUMNS} FROM subscribers WHERE status = 'confirmed' AND id > $1 \
         ORDER BY id LIMIT $2"
    );
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(after).bind(limit).fetch_all(c).await)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SendRow {
    pub job_id: Option<i64>,
    pub started_by: Option<i64>,
    pub started_at: DateTime<Utc>,
    pub queued_at: Option<DateTime<Utc>>,
}

pub async fn send_of(db: &Db, digest: i64) -> sqlx::Result<Option<SendRow>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT job_id, started_by, started_at, queued_at FROM digest_sends WHERE digest_id = $1")
        .bind(digest).fetch_optional(c).await)
}

/// Records a sending (or a later one, for subscribers who have not had the digest yet).
pub async fn start_send(
    tx: &mut Tx,
    digest: i64,
    job: i64,
    user: Option<i64>,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "INSERT INTO digest_sends (digest_id, job_id, started_by, started_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (digest_id) DO UPDATE SET job_id = excluded.job_id, started_by = excluded.started_by, \
         started_at = excluded.started_at, queued_at = NULL")
        .bind(digest).bind(job).bind(user).bind(now).execute(c).await)?;
    Ok(())
}

pub async fn send_queued(db: &Db, digest: i64, now: DateTime<Utc>) -> sqlx::Result<()> {
    crate::db_exec!(db, c => sqlx::query("UPDATE digest_sends SET queued_at = $1 WHERE digest_id = $2")
        .bind(now).bind(digest).execute(c).await)?;
    Ok(())
}

/// Reserves the subscriber's copy of the digest: the new delivery's id, or None when they
/// already have one.
pub async fn claim_delivery(
    tx: &mut Tx,
    digest: i64,
    subscriber: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<i64>> {
    on_db!(&mut *tx, c => sqlx::query_scalar(
        "INSERT INTO digest_deliveries (digest_id, subscriber_id, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (digest_id, subscriber_id) DO NOTHING RETURNING id")
        .bind(digest).bind(subscriber).bind(now).fetch_optional(c).await)
}

pub async fn set_delivery_mail(tx: &mut Tx, delivery: i64, outbox: i64) -> sqlx::Result<()> {
    crate::db_exec!(&mut *tx, c => sqlx::query("UPDATE digest_deliveries SET outbox_id = $1 WHERE id = $2")
        .bind(outbox).bind(delivery).execute(c).await)?;
    Ok(())
}

/// A digest's deliveries by the state of their mail: (status, count).
pub async fn delivery_counts(
    db: &Db,
    digest: i64,
) -> sqlx::Result<Vec<(crate::mail::Status, i64)>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT o.status, COUNT(*) FROM digest_deliveries d JOIN outbox o ON o.id = d.outbox_id \
         WHERE d.digest_id = $1 GROUP BY o.status ORDER BY o.status")
        .bind(digest).fetch_all(c).await)
}

/// A delivery whose mail failed or is being retried after a failed attempt.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize, utoipa::ToSchema)]
pub struct TroubleRow {
    pub outbox_id: i64,
    pub email: String,
    pub status: crate::mail::Status,
    pub attempts: i64,
    pub last_error: Option<String>,
}

pub async fn delivery_troubles(db: &Db, digest: i64, limit: i64) -> sqlx::Result<Vec<TroubleRow>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT o.id AS outbox_id, o.to_addr AS email, o.status, o.attempts, o.last_error \
         FROM digest_deliveries d JOIN outbox o ON o.id = d.outbox_id \
         WHERE d.digest_id = $1 AND (o.status = 'failed' OR (o.status <> 'sent' AND o.last_error IS NOT NULL)) \
         ORDER BY o.status, o.to_addr LIMIT $2")
        .bind(digest).bind(limit).fetch_all(c).await)
}

/// The outbox ids of a digest's failed deliveries.
pub async fn failed_mail(db: &Db, digest: i64) -> sqlx::Result<Vec<i64>> {
    on_db!(db, c => sqlx::query_scalar(
        "SELECT o.id FROM digest_deliveries d JOIN outbox o ON o.id = d.outbox_id \
         WHERE d.digest_id = $1 AND o.status = 'failed' ORDER BY o.id")
        .bind(digest).fetch_all(c).await)
}
