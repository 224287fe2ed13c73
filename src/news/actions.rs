//! News use cases shared by the editors' pages and the JSON API: seed the sectors, create and
//! change an item, move it through its states, set or remove its cover. One `Work` each, with
//! its audit entry.

use serde_json::json;

use super::{Draft, Move, State, check, repo};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::work::Actor;
use crate::work::Work;

/// Seeds the sectors into an empty list; true when it did.
pub async fn ensure_sectors(db: &Db, actor: &Actor) -> sqlx::Result<bool> {
    if !repo::sectors(db).await?.is_empty() {
        return Ok(false);
    }
    let mut work = Work::begin(db, actor.clone()).await?;
    for (i, (slug, uk, en, campaign)) in super::SECTORS.iter().enumerate() {
        repo::insert_sector(&mut work.tx, slug, uk, en, i as i64 + 1, *campaign).await?;
    }
    let detail = json!({ "sectors": super::SECTORS.len() });
    work.audit("load", "news_sectors", "shipped", detail)
        .await?;
    work.commit().await?;
    Ok(true)
}

/// Marks the published news as changed, so every instance rebuilds its search index.
pub(crate) async fn bump_revision(
    tx: &mut crate::db::Tx,
    now: chrono::DateTime<chrono::Utc>,
) -> sqlx::Result<()> {
    let revision = format!("{}-{}", now.timestamp_micros(), rand::random::<u32>());
    crate::db::settings::set(tx, super::search::REVISION_KEY, &revision, now).await
}

async fn checked(state: &AppState, draft: &Draft) -> AppResult<super::Checked> {
    let sectors: Vec<String> = repo::sectors(&state.db)
        .await?
        .into_iter()
        .map(|s| s.slug)
        .collect();
    let snap = crate::registry::snapshot::current(state).await?;
    check(draft, &sectors, &snap).map_err(AppError::Invalid)
}

/// Creates a draft; returns its id.
pub async fn create(
    state: &AppState,
    actor: &Actor,
    author: Option<i64>,
    draft: &Draft,
) -> AppResult<i64> {
    let c = checked(state, draft).await?;
    let mut work = Work::begin(&state.db, actor.clone()).await?;
    let id = repo::insert_item(&mut work.tx, &c, author, false, work.now).await?;
    repo::set_links(&mut work.tx, id, &c).await?;
    let detail = json!({ "title_uk": c.title_uk, "title_en": c.title_en, "sectors": c.sectors });
    work.audit("create", "news_item", id, detail).await?;
    work.commit().await?;
    Ok(id)
}

/// Changes an item's texts, sectors and units (in any state; a published item changes in
/// place and keeps its publication date).
pub async fn update(state: &AppState, actor: &Actor, id: i64, draft: &Draft) -> AppResult<()> {
    let c = checked(state, draft).await?;
    let mut work = Work::begin(&state.db, actor.clone()).await?;
    if repo::update_item(&mut work.tx, id, &c, work.now).await? == 0 {
        return Err(AppError::NotFound);
    }
    repo::set_links(&mut work.tx, id, &c).await?;
    bump_revision(&mut work.tx, work.now).await?;
    let detail = json!({ "title_uk": c.title_uk, "title_en": c.title_en, "sectors": c.sectors,
                "units": c.units.iter().map(|(u, _)| u).collect::<Vec<_>>() });
    work.audit("update", "news_item", id, detail).await?;
    work.commit().await?;
    Ok(())
}

/// Moves an item (submit, publish, withdraw, rework); refuses a move its state does not allow.
pub async fn move_item(state: &AppState, actor: &Actor, id: i64, m: Move) -> AppResult<State> {
    let item = repo::item(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let from = item.state;
    let to = m
        .apply(from)
        .ok_or(AppError::Conflict("news-error-move-state"))?;
    let mut work = Work::begin(&state.db, actor.clone()).await?;
    if repo::set_state(&mut work.tx, id, from, to, work.now).await? == 0 {
        // Someone else moved it in the meantime.
        return Err(AppError::Conflict("news-error-move-state"));
    }
    bump_revision(&mut work.tx, work.now).await?;
    let detail = json!({ "from": from.code(), "to": to.code() });
    work.audit(m.code(), "news_item", id, detail).await?;
    work.commit().await?;
    Ok(to)
}

/// A cover to store: the re-encoded image (none to change only the texts) and its text
/// alternatives (uk, en).
pub struct Cover<'a> {
    pub image: Option<&'a crate::web::images::Image>,
    pub alt: (&'a str, &'a str),
}

/// Stores or replaces an item's cover, or, without an image, changes the texts of the cover
/// there is (refused when there is none).
pub async fn set_cover(db: &Db, actor: &Actor, item: i64, cover: Cover<'_>) -> AppResult<()> {
    let mut work = Work::begin(db, actor.clone()).await?;
    let details = match cover.image {
        Some(image) => {
            // The uploader is an account: the route admits editors only.
            let by = work.actor.user_id.ok_or(AppError::LoginRequired)?;
            repo::save_cover(&mut work.tx, item, image, cover.alt, by, work.now).await?;
            json!({ "width": image.width, "height": image.height, "bytes": image.jpeg.len() })
        }
        None => {
            if repo::set_cover_alt(&mut work.tx, item, cover.alt).await? == 0 {
                return Err(AppError::Invalid(vec![(
                    "cover".into(),
                    "news-cover-error-none".into(),
                )]));
            }
            json!({ "alt_only": true })
        }
    };
    work.audit("cover", "news", item, details).await?;
    work.commit().await?;
    Ok(())
}

/// Removes an item's cover; 404 when there is none.
pub async fn remove_cover(db: &Db, actor: &Actor, item: i64) -> AppResult<()> {
    let mut work = Work::begin(db, actor.clone()).await?;
    if repo::delete_cover(&mut work.tx, item).await? == 0 {
        return Err(AppError::NotFound);
    }
    work.audit("delete_cover", "news", item, json!({})).await?;
    work.commit().await?;
    Ok(())
}
