//! News use cases shared by the editors' pages and the JSON API: seed the sectors, create and
//! change an item, move it through its states. One transaction each, with its audit entry.

use serde_json::json;

use super::{Draft, Move, State, check, repo};
use crate::auth::{Actor, now};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::web::AppState;
use crate::work::Work;

/// Seeds the sectors into an empty list; true when it did.
pub async fn ensure_sectors(db: &Db, actor: &Actor) -> sqlx::Result<bool> {
    if !repo::sectors(db).await?.is_empty() {
        return Ok(false);
    }
    let mut tx = db.begin().await?;
    for (i, (slug, uk, en, campaign)) in super::SECTORS.iter().enumerate() {
        repo::insert_sector(&mut tx, slug, uk, en, i as i64 + 1, *campaign).await?;
    }
    crate::audit::repo::record(
        &mut tx,
        actor,
        "load",
        "news_sectors",
        "shipped",
        json!({ "sectors": super::SECTORS.len() }),
        now(),
    )
    .await?;
    tx.commit().await?;
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
    let snap = state.registry.get(&state.db).await?;
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
    let now = now();
    let mut tx = state.db.begin().await?;
    let id = repo::insert_item(&mut tx, &c, author, false, now).await?;
    repo::set_links(&mut tx, id, &c).await?;
    crate::audit::repo::record(
        &mut tx,
        actor,
        "create",
        "news_item",
        &id.to_string(),
        json!({ "title_uk": c.title_uk, "title_en": c.title_en, "sectors": c.sectors }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes an item's texts, sectors and units (in any state; a published item changes in
/// place and keeps its publication date).
pub async fn update(state: &AppState, actor: &Actor, id: i64, draft: &Draft) -> AppResult<()> {
    let c = checked(state, draft).await?;
    let now = now();
    let mut tx = state.db.begin().await?;
    if repo::update_item(&mut tx, id, &c, now).await? == 0 {
        return Err(AppError::NotFound);
    }
    repo::set_links(&mut tx, id, &c).await?;
    bump_revision(&mut tx, now).await?;
    crate::audit::repo::record(
        &mut tx,
        actor,
        "update",
        "news_item",
        &id.to_string(),
        json!({ "title_uk": c.title_uk, "title_en": c.title_en, "sectors": c.sectors,
                "units": c.units.iter().map(|(u, _)| u).collect::<Vec<_>>() }),
        now,
    )
    .await?;
    tx.commit().await?;
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
