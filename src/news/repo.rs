//! SQL of news: sectors, items with their sectors and units, the public list with its filters.

use chrono::{DateTime, Utc};

use super::{Checked, State};
use crate::db::{Db, Tx};
use crate::on_db;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SectorRow {
    pub id: i64,
    pub slug: String,
    pub name_uk: String,
    pub name_en: String,
    pub position: i64,
    pub is_campaign: bool,
}

pub async fn sectors(db: &Db) -> sqlx::Result<Vec<SectorRow>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT id, slug, name_uk, name_en, position, is_campaign FROM news_sectors \
         ORDER BY position, id")
        .fetch_all(c).await)
}

pub async fn insert_sector(
    tx: &mut Tx,
    slug: &str,
    name_uk: &str,
    name_en: &str,
    position: i64,
    is_campaign: bool,
) -> sqlx::Result<()> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "INSERT INTO news_sectors (slug, name_uk, name_en, position, is_campaign) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (slug) DO NOTHING")
        .bind(slug).bind(name_uk).bind(name_en).bind(position).bind(is_campaign)
        .execute(c).await)?;
    Ok(())
}

pub async fn update_sector(
    tx: &mut Tx,
    id: i64,
    name_uk: &str,
    name_en: &str,
    position: i64,
) -> sqlx::Result<()> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "UPDATE news_sectors SET name_uk = $1, name_en = $2, position = $3 WHERE id = $4")
        .bind(name_uk).bind(name_en).bind(position).bind(id).execute(c).await)?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ItemRow {
    pub id: i64,
    pub title_uk: String,
    pub title_en: String,
    pub summary_uk: String,
    pub summary_en: String,
    pub body_uk: String,
    pub body_en: String,
    pub body_html_uk: String,
    pub body_html_en: String,
    pub source_url: String,
    pub state: State,
    pub author: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    pub is_demo: bool,
    pub is_top_pick: bool,
}

const ITEM_COLUMNS: &str = "n.id, n.title_uk, n.title_en, n.summary_uk, n.summary_en, n.body_uk, \
     n.body_en, n.body_html_uk, n.body_html_en, n.source_url, n.state, u.display_name AS author, \
     n.published_at, n.updated_at, n.is_demo, n.is_top_pick";

pub async fn insert_item(
    tx: &mut Tx,
    c_: &Checked,
    author: Option<i64>,
    is_demo: bool,
    now: DateTime<Utc>,
) -> sqlx::Result<i64> {
    on_db!(&mut *tx, c => sqlx::query_scalar(
        "INSERT INTO news_items (title_uk, title_en, summary_uk, summary_en, body_uk, body_en, \
         body_html_uk, body_html_en, source_url, state, author_id, created_at, updated_at, is_demo, \
         is_top_pick) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'draft', $10, $11, $11, $12, $13) \
         RETURNING id")
        .bind(&c_.title_uk).bind(&c_.title_en).bind(&c_.summary_uk).bind(&c_.summary_en)
        .bind(&c_.body_uk).bind(&c_.body_en).bind(&c_.body_html_uk).bind(&c_.body_html_en)
        .bind(&c_.source_url).bind(author).bind(now).bind(is_demo).bind(c_.top_pick)
        .fetch_one(c).await)
}

pub async fn update_item(
    tx: &mut Tx,
    id: i64,
    c_: &Checked,
    now: DateTime<Utc>,
) -> sqlx::Result<u64> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "UPDATE news_items SET title_uk = $1, title_en = $2, summary_uk = $3, summary_en = $4, \
         body_uk = $5, body_en = $6, body_html_uk = $7, body_html_en = $8, source_url = $9, \
         updated_at = $10, is_top_pick = $12 WHERE id = $11")
        .bind(&c_.title_uk).bind(&c_.title_en).bind(&c_.summary_uk).bind(&c_.summary_en)
        .bind(&c_.body_uk).bind(&c_.body_en).bind(&c_.body_html_uk).bind(&c_.body_html_en)
        .bind(&c_.source_url).bind(now).bind(id).bind(c_.top_pick).execute(c).await)
}

/// Replaces an item's sectors (by slug) and units.
pub async fn set_links(tx: &mut Tx, id: i64, c_: &Checked) -> sqlx::Result<()> {
    crate::db_exec!(&mut *tx, c => sqlx::query("DELETE FROM news_item_sectors WHERE item_id = $1")
        .bind(id).execute(c).await)?;
    crate::db_exec!(&mut *tx, c => sqlx::query("DELETE FROM news_item_units WHERE item_id = $1")
        .bind(id).execute(c).await)?;
    for slug in &c_.sectors {
        crate::db_exec!(&mut *tx, c => sqlx::query(
            "INSERT INTO news_item_sectors (item_id, sector_id) \
             SELECT $1, id FROM news_sectors WHERE slug = $2")
            .bind(id).bind(slug).execute(c).await)?;
    }
    for (code, oblast) in &c_.units {
        crate::db_exec!(&mut *tx, c => sqlx::query(
            "INSERT INTO news_item_units (item_id, unit_code, oblast_code) VALUES ($1, $2, $3)")
            .bind(id).bind(code).bind(oblast).execute(c).await)?;
    }
    Ok(())
}

/// Moves an item from `from` to `to`; a first publication dates it. Rows changed.
pub async fn set_state(
    tx: &mut Tx,
    id: i64,
    from: State,
    to: State,
    now: DateTime<Utc>,
) -> sqlx::Result<u64> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "UPDATE news_items SET state = $1, updated_at = $2, \
         published_at = CASE WHEN $1 = 'published' AND published_at IS NULL THEN $2 \
         ELSE published_at END WHERE id = $3 AND state = $4")
        .bind(to).bind(now).bind(id).bind(from).execute(c).await)
}

pub async fn item(db: &Db, id: i64) -> sqlx::Result<Option<ItemRow>> {
    let sql = format!(
        "SELECT {ITEM_COLUMNS} FROM news_items n LEFT JOIN users u ON u.id = n.author_id \
         WHERE n.id = $1"
    );
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(c).await)
}

/// The sector slugs of the items: (item id, slug), in the sectors' order.
pub async fn item_sectors(db: &Db, ids: &[i64]) -> sqlx::Result<Vec<(i64, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = ids
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT s.item_id, c.slug FROM news_item_sectors s JOIN news_sectors c ON c.id = s.sector_id \
         WHERE s.item_id IN ({list}) ORDER BY c.position"
    );
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(c).await)
}

pub async fn item_units(db: &Db, id: i64) -> sqlx::Result<Vec<String>> {
    on_db!(db, c => sqlx::query_scalar(
        "SELECT unit_code FROM news_item_units WHERE item_id = $1 ORDER BY unit_code")
        .bind(id).fetch_all(c).await)
}

/// What the public list is filtered by; empty strings mean "any".
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub sector: String,
    pub unit: String,
    pub oblast: String,
    pub from: Option<DateTime<Utc>>,
    /// Exclusive.
    pub until: Option<DateTime<Utc>>,
}

const PUBLISHED_WHERE: &str = "n.state = 'published' \
     AND ($1 = '' OR EXISTS (SELECT 1 FROM news_item_sectors s JOIN news_sectors c \
          ON c.id = s.sector_id WHERE s.item_id = n.id AND c.slug = $1)) \
     AND ($2 = '' OR EXISTS (SELECT 1 FROM news_item_units t WHERE t.item_id = n.id AND t.unit_code = $2)) \
     AND ($3 = '' OR EXISTS (SELECT 1 FROM news_item_units t WHERE t.item_id = n.id AND t.oblast_code = $3)) \
     AND n.published_at >= $4 AND n.published_at < $5";

/// Open ends become dates both databases store and compare (SQLite compares the text, so the
/// year must keep four digits).
fn bounds(f: &Filter) -> (DateTime<Utc>, DateTime<Utc>) {
    let year = |y| {
        chrono::NaiveDate::from_ymd_opt(y, 1, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|t| t.and_utc())
            .unwrap_or_default()
    };
    (f.from.unwrap_or(year(1991)), f.until.unwrap_or(year(9999)))
}

/// Published items, newest first, a page at a time, with the total.
pub async fn published(
    db: &Db,
    f: &Filter,
    limit: i64,
    offset: i64,
) -> sqlx::Result<(Vec<ItemRow>, i64)> {
    let items = published_items(db, f, limit, offset).await?;
    let (from, until) = bounds(f);
    let sql = format!("SELECT COUNT(*) FROM news_items n WHERE {PUBLISHED_WHERE}");
    let total: i64 = on_db!(db, c => sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(&f.sector).bind(&f.unit).bind(&f.oblast).bind(from).bind(until)
        .fetch_one(c).await)?;
    Ok((items, total))
}

/// One page of published items, newest first, without counting them all.
pub async fn published_items(
    db: &Db,
    f: &Filter,
    limit: i64,
    offset: i64,
) -> sqlx::Result<Vec<ItemRow>> {
    let (from, until) = bounds(f);
    let sql = format!(
        "SELECT {ITEM_COLUMNS} FROM news_items n LEFT JOIN users u ON u.id = n.author_id \
         WHERE {PUBLISHED_WHERE} ORDER BY n.published_at DESC, n.id DESC LIMIT $6 OFFSET $7"
    );
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(&f.sector).bind(&f.unit).bind(&f.oblast).bind(from).bind(until)
        .bind(limit).bind(offset).fetch_all(c).await)
}

/// A published item as a digest of its range sees it.
#[derive(Debug, Clone)]
pub struct PublishedInRange {
    pub id: i64,
    pub is_top_pick: bool,
    pub published_at: Option<DateTime<Utc>>,
    /// How many units it concerns.
    pub units: i64,
}

/// Items published in `[from, until)`, in no particular order.
pub async fn published_between(
    db: &Db,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> sqlx::Result<Vec<PublishedInRange>> {
    let items: Vec<(i64, bool, Option<DateTime<Utc>>)> = on_db!(db, c => sqlx::query_as(
        "SELECT id, is_top_pick, published_at FROM news_items WHERE state = 'published' \
         AND published_at >= $1 AND published_at < $2")
        .bind(from).bind(until).fetch_all(c).await)?;
    let units: Vec<(i64, i64)> = on_db!(db, c => sqlx::query_as(
        "SELECT u.item_id, COUNT(*) FROM news_item_units u JOIN news_items n ON n.id = u.item_id \
         WHERE n.state = 'published' AND n.published_at >= $1 AND n.published_at < $2 \
         GROUP BY u.item_id").bind(from).bind(until).fetch_all(c).await)?;
    let units: std::collections::HashMap<i64, i64> = units.into_iter().collect();
    Ok(items
        .into_iter()
        .map(|(id, is_top_pick, published_at)| PublishedInRange {
            id,
            is_top_pick,
            published_at,
            units: units.get(&id).copied().unwrap_or(0),
        })
        .collect())
}

/// Every item in a state (or all), the latest change first, for editors.
pub async fn by_state(
    db: &Db,
    state: Option<State>,
    limit: i64,
    offset: i64,
) -> sqlx::Result<(Vec<ItemRow>, i64)> {
    let sql = format!(
        "SELECT {ITEM_COLUMNS} FROM news_items n LEFT JOIN users u ON u.id = n.author_id \
         WHERE ($1 = '' OR n.state = $1) ORDER BY n.updated_at DESC, n.id DESC LIMIT $2 OFFSET $3"
    );
    // '' for every state.
    let state = state.map_or("", State::code);
    let items = on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(state).bind(limit).bind(offset).fetch_all(c).await)?;
    let total: i64 = on_db!(db, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM news_items n WHERE ($1 = '' OR n.state = $1)")
        .bind(state).fetch_one(c).await)?;
    Ok((items, total))
}

/// Other published items sharing a sector with this one, newest first.
pub async fn related(db: &Db, id: i64, limit: i64) -> sqlx::Result<Vec<ItemRow>> {
    let sql = format!(
        "SELECT {ITEM_COLUMNS} FROM news_items n LEFT JOIN users u ON u.id = n.author_id \
         WHERE n.state = 'published' AND n.id <> $1 AND EXISTS (SELECT 1 FROM news_item_sectors a \
         JOIN news_item_sectors b ON b.sector_id = a.sector_id \
         WHERE a.item_id = $1 AND b.item_id = n.id) \
         ORDER BY n.published_at DESC, n.id DESC LIMIT $2"
    );
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).bind(limit).fetch_all(c).await)
}

/// Stores (or replaces) an item's cover.
pub async fn save_cover(
    tx: &mut Tx,
    item: i64,
    image: &crate::web::images::Image,
    alt: (&str, &str),
    user: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "INSERT INTO news_covers (item_id, bytes, width, height, alt_uk, alt_en, uploaded_by, uploaded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (item_id) DO UPDATE SET bytes = excluded.bytes, \
         width = excluded.width, height = excluded.height, alt_uk = excluded.alt_uk, alt_en = excluded.alt_en, \
         uploaded_by = excluded.uploaded_by, uploaded_at = excluded.uploaded_at")
        .bind(item).bind(&image.jpeg).bind(i64::from(image.width)).bind(i64::from(image.height))
        .bind(alt.0).bind(alt.1).bind(user).bind(now).execute(c).await)?;
    Ok(())
}

/// Changes the text alternatives of an item's cover; rows changed.
pub async fn set_cover_alt(tx: &mut Tx, item: i64, alt: (&str, &str)) -> sqlx::Result<u64> {
    crate::db_exec!(&mut *tx, c => sqlx::query(
        "UPDATE news_covers SET alt_uk = $1, alt_en = $2 WHERE item_id = $3")
        .bind(alt.0).bind(alt.1).bind(item).execute(c).await)
}

/// A cover without its bytes: width, height, alternative texts (uk, en).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CoverMeta {
    pub width: i64,
    pub height: i64,
    pub alt_uk: String,
    pub alt_en: String,
}

pub async fn cover_meta(db: &Db, item: i64) -> sqlx::Result<Option<CoverMeta>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT width, height, alt_uk, alt_en FROM news_covers WHERE item_id = $1")
        .bind(item).fetch_optional(c).await)
}

pub async fn cover_bytes(db: &Db, item: i64) -> sqlx::Result<Option<Vec<u8>>> {
    on_db!(db, c => sqlx::query_scalar("SELECT bytes FROM news_covers WHERE item_id = $1")
        .bind(item).fetch_optional(c).await)
}

pub async fn delete_cover(tx: &mut Tx, item: i64) -> sqlx::Result<u64> {
    crate::db_exec!(&mut *tx, c => sqlx::query("DELETE FROM news_covers WHERE item_id = $1")
        .bind(item).execute(c).await)
}
