//! The editors' use cases of a digest, shared by its pages and its API: drafting one for a
//! range from the news published in it, curating it (texts, groups, order, digest-only
//! summaries, dropping entries), adding an item, publishing. Each is one unit of work with its
//! audit entry.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;

use super::{Candidate, TOP, check_range, default_title, propose, repo};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::work::Actor;
use crate::work::Work;

/// The instants a range of Kyiv days covers: from the first day's midnight to the midnight
/// after the last.
pub fn bounds(from: NaiveDate, to: NaiveDate) -> AppResult<(DateTime<Utc>, DateTime<Utc>)> {
    let midnight = |d: NaiveDate| {
        crate::clock::kyiv_midnight(d).ok_or(AppError::BadRequest("digest-error-date"))
    };
    let next = to
        .succ_opt()
        .ok_or(AppError::BadRequest("digest-error-date"))?;
    Ok((midnight(from)?, midnight(next)?))
}

/// Items published in `[from, until)` as the proposal sees them, read through the news
/// feature: their sectors (in the sectors' order), how many units they concern and whether
/// editors picked them for the top.
pub async fn candidates(
    db: &Db,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> sqlx::Result<Vec<Candidate>> {
    let items = crate::news::repo::published_between(db, from, until).await?;
    let ids: Vec<i64> = items.iter().map(|i| i.id).collect();
    let sectors = crate::news::repo::item_sectors(db, &ids).await?;
    Ok(items
        .into_iter()
        .map(|i| Candidate {
            id: i.id,
            sectors: sectors
                .iter()
                .filter(|(item, _)| *item == i.id)
                .map(|(_, s)| s.clone())
                .collect(),
            units: usize::try_from(i.units).unwrap_or_default(),
            is_top_pick: i.is_top_pick,
            published: i.published_at.map_or(0, |t| t.timestamp()),
        })
        .collect())
}

/// The slugs of the news sectors, in their order: the groups a digest may use besides
/// [`TOP`].
async fn sector_order(db: &Db) -> AppResult<Vec<String>> {
    Ok(crate::news::repo::sectors(db)
        .await?
        .into_iter()
        .map(|s| s.slug)
        .collect())
}

/// The digest with id `id`.
pub async fn digest(db: &Db, id: i64) -> AppResult<repo::DigestRow> {
    repo::digest(db, id).await?.ok_or(AppError::NotFound)
}

/// Drafts a digest for `from`..=`to` with the items published in it, grouped as
/// [`propose`] suggests; its id. Refused (field, UI key) when the range is wrong, holds no
/// published item, or another digest ends on the same day.
pub async fn draft(
    db: &Db,
    actor: Actor,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Result<i64, Vec<(String, String)>>> {
    if let Err(key) = check_range(from, to) {
        return Ok(Err(vec![("to".into(), key.into())]));
    }
    let (start, end) = bounds(from, to)?;
    let candidates = candidates(db, start, end).await?;
    if candidates.is_empty() {
        return Ok(Err(vec![("from".into(), "digest-error-no-items".into())]));
    }
    let groups = propose(&candidates, &sector_order(db).await?);
    let title_uk = default_title(from, to, Lang::Uk);
    let title_en = default_title(from, to, Lang::En);
    let mut w = Work::begin(db, actor).await?;
    let new = repo::NewDigest {
        starts_on: from,
        ends_on: to,
        title_uk: &title_uk,
        title_en: &title_en,
        created_by: w.actor.user_id,
        is_demo: false,
    };
    let Some(id) = repo::insert(&mut w.tx, &new, w.now).await? else {
        return Ok(Err(vec![("to".into(), "digest-error-taken".into())]));
    };
    let mut position = 0;
    for (group, ids) in &groups {
        for item in ids {
            position += 1;
            repo::insert_entry(&mut w.tx, id, *item, group, position).await?;
        }
    }
    w.audit(
        "draft",
        "digest",
        id,
        json!({ "from": from.to_string(), "to": to.to_string(), "entries": position }),
    )
    .await?;
    w.commit().await?;
    Ok(Ok(id))
}

/// A digest's own texts, as typed.
#[derive(Debug, Default, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct Texts {
    /// Required, up to 300 characters.
    pub title_uk: String,
    /// Required, up to 300 characters.
    pub title_en: String,
    /// Up to 5,000 characters each.
    #[serde(default)]
    pub intro_uk: String,
    #[serde(default)]
    pub intro_en: String,
    #[serde(default)]
    pub closing_uk: String,
    #[serde(default)]
    pub closing_en: String,
}

/// What curating changes about one entry; what is `None` stays as it is.
#[derive(Debug, Default, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct EntryChange {
    /// The entry's id.
    pub id: i64,
    /// Takes the entry out of the digest.
    #[serde(default)]
    pub drop: bool,
    /// `top` or a news sector's slug.
    pub group: Option<String>,
    /// 0 to 10,000, as typed.
    pub position: Option<String>,
    /// The entry's summary in this digest (up to 1,500 characters), instead of the item's.
    pub summary_uk: Option<String>,
    pub summary_en: Option<String>,
}

/// Curates digest `id`: its texts and the entries listed (the others stay as they are).
/// Every problem is reported at once; the digest as it now is.
pub async fn curate(
    db: &Db,
    actor: Actor,
    id: i64,
    texts: &Texts,
    changes: &[EntryChange],
) -> AppResult<repo::DigestRow> {
    let d = digest(db, id).await?;
    let clean = |s: &str| s.trim().replace("\r\n", "\n");
    let mut errors = Vec::new();
    let title_uk = clean(&texts.title_uk);
    let title_en = clean(&texts.title_en);
    for (field, title) in [("title_uk", &title_uk), ("title_en", &title_en)] {
        if title.is_empty() || title.chars().count() > 300 {
            errors.push((field.to_string(), "digest-error-title".to_string()));
        }
    }
    let blocks = [
        &texts.intro_uk,
        &texts.intro_en,
        &texts.closing_uk,
        &texts.closing_en,
    ]
    .map(|b| clean(b));
    if blocks.iter().any(|b| b.chars().count() > 5000) {
        errors.push(("intro_uk".to_string(), "digest-error-block".to_string()));
    }
    let sectors = sector_order(db).await?;
    let current = repo::entries(db, d.id).await?;
    let mut changed = Vec::new();
    let mut dropped = Vec::new();
    for c in changes {
        let Some(e) = current.iter().find(|e| e.id == c.id) else {
            errors.push(("entries".to_string(), "digest-error-entry".to_string()));
            continue;
        };
        if c.drop {
            dropped.push(e.id);
            continue;
        }
        let group = c.group.as_deref().map_or(e.group_key.clone(), clean);
        if group != TOP && !sectors.contains(&group) {
            errors.push(("group".to_string(), "digest-error-group".to_string()));
        }
        let position = match c.position.as_deref().map(clean) {
            Some(p) => match p.parse::<i64>() {
                Ok(n) if (0..=10_000).contains(&n) => n,
                _ => {
                    errors.push(("position".to_string(), "digest-error-position".to_string()));
                    e.position
                }
            },
            None => e.position,
        };
        let summary_uk = c.summary_uk.as_deref().map_or(e.summary_uk.clone(), clean);
        let summary_en = c.summary_en.as_deref().map_or(e.summary_en.clone(), clean);
        if summary_uk.chars().count() > 1500 || summary_en.chars().count() > 1500 {
            errors.push(("summary".to_string(), "news-error-summary".to_string()));
        }
        changed.push(repo::EntryRow {
            id: e.id,
            item_id: e.item_id,
            group_key: group,
            position,
            summary_uk,
            summary_en,
        });
    }
    if !errors.is_empty() {
        errors.dedup();
        return Err(AppError::Invalid(errors));
    }
    let mut w = Work::begin(db, actor).await?;
    let row = repo::Texts {
        title_uk: &title_uk,
        title_en: &title_en,
        intro_uk: &blocks[0],
        intro_en: &blocks[1],
        closing_uk: &blocks[2],
        closing_en: &blocks[3],
    };
    repo::update_texts(&mut w.tx, d.id, &row, w.now).await?;
    for e in &changed {
        repo::update_entry(&mut w.tx, d.id, e).await?;
    }
    for entry in &dropped {
        repo::delete_entry(&mut w.tx, d.id, *entry).await?;
    }
    w.audit(
        "curate",
        "digest",
        d.id,
        json!({ "dropped": dropped, "entries": changed.iter()
            .map(|e| json!({ "item": e.item_id, "group": e.group_key, "position": e.position }))
            .collect::<Vec<_>>() }),
    )
    .await?;
    w.commit().await?;
    digest(db, id).await
}

/// Adds news item `item`, published in the digest's range, to `group` (at the end); the
/// digest.
pub async fn add_entry(
    db: &Db,
    actor: Actor,
    id: i64,
    item: i64,
    group: &str,
) -> AppResult<repo::DigestRow> {
    let d = digest(db, id).await?;
    let (start, end) = bounds(d.starts_on, d.ends_on)?;
    if !candidates(db, start, end)
        .await?
        .iter()
        .any(|c| c.id == item)
    {
        return Err(AppError::field("item", "digest-error-item"));
    }
    if group != TOP && !sector_order(db).await?.iter().any(|s| s == group) {
        return Err(AppError::field("group", "digest-error-group"));
    }
    let entries = repo::entries(db, d.id).await?;
    if entries.iter().any(|e| e.item_id == item) {
        return Err(AppError::Conflict("digest-error-item-in"));
    }
    let position = entries.iter().map(|e| e.position).max().unwrap_or(0) + 1;
    let mut w = Work::begin(db, actor).await?;
    repo::insert_entry(&mut w.tx, d.id, item, group, position).await?;
    w.audit(
        "add_entry",
        "digest",
        d.id,
        json!({ "item": item, "group": group }),
    )
    .await?;
    w.commit().await?;
    Ok(d)
}

/// Publishes draft `id`, which must hold at least one entry; the digest.
pub async fn publish(db: &Db, actor: Actor, id: i64) -> AppResult<repo::DigestRow> {
    let d = digest(db, id).await?;
    if repo::entries(db, d.id).await?.is_empty() {
        return Err(AppError::Conflict("digest-error-empty"));
    }
    let mut w = Work::begin(db, actor).await?;
    if repo::publish(&mut w.tx, d.id, w.now).await? == 0 {
        return Err(AppError::Conflict("digest-error-published"));
    }
    w.audit(
        "publish",
        "digest",
        d.id,
        json!({ "ends_on": d.ends_on.to_string() }),
    )
    .await?;
    w.commit().await?;
    digest(db, id).await
}
