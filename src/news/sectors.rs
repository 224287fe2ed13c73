//! The use cases of news sectors, shared by the admins' page and the API: every sector's names
//! and order saved at once, and a new sector at the end of the order. Each one unit of work.

use serde_json::json;

use super::repo;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::work::Actor;
use crate::work::Work;

/// What may change of one sector; what is `None` stays as it is.
#[derive(Debug, Clone, Default)]
pub struct SectorEdit {
    pub id: i64,
    pub name_uk: Option<String>,
    pub name_en: Option<String>,
    /// 0 to 1,000; a smaller number comes first.
    pub position: Option<i64>,
}

/// A new sector.
#[derive(Debug, Clone, Default)]
pub struct NewSector {
    /// 2 to 40 of `a-z`, `0-9` and `-`.
    pub slug: String,
    pub name_uk: String,
    pub name_en: String,
    /// A campaign's sector rather than a field of work.
    pub campaign: bool,
}

fn name_ok(name: &str) -> bool {
    (1..=120).contains(&name.trim().chars().count())
}

/// Saves the names and order of every sector `edits` names; the others stay. Every problem
/// is answered at once, and an unknown sector is 422 `id`.
pub async fn save(db: &Db, actor: Actor, edits: &[SectorEdit]) -> AppResult<Vec<repo::SectorRow>> {
    let sectors = repo::sectors(db).await?;
    let mut changes = Vec::new();
    let mut errors = Vec::new();
    for e in edits {
        let Some(s) = sectors.iter().find(|s| s.id == e.id) else {
            errors.push(("id".to_string(), "sectors-error-unknown".to_string()));
            continue;
        };
        let uk = e
            .name_uk
            .as_deref()
            .unwrap_or(&s.name_uk)
            .trim()
            .to_string();
        let en = e
            .name_en
            .as_deref()
            .unwrap_or(&s.name_en)
            .trim()
            .to_string();
        if !name_ok(&uk) || !name_ok(&en) {
            errors.push(("name".to_string(), "sectors-error-name".to_string()));
        }
        match e.position.unwrap_or(s.position) {
            p @ 0..=1000 => changes.push((s.id, uk, en, p)),
            _ => errors.push(("position".to_string(), "digest-error-position".to_string())),
        }
    }
    if !errors.is_empty() {
        errors.sort();
        errors.dedup();
        return Err(AppError::Invalid(errors));
    }
    let mut work = Work::begin(db, actor).await?;
    for (id, uk, en, position) in &changes {
        repo::update_sector(&mut work.tx, *id, uk, en, *position).await?;
    }
    let audit: Vec<_> = changes
        .iter()
        .map(|(id, uk, en, p)| json!({"id": id, "uk": uk, "en": en, "position": p}))
        .collect();
    work.audit("update", "news_sectors", "all", json!({ "sectors": audit }))
        .await?;
    super::actions::bump_revision(&mut work.tx, work.now).await?;
    work.commit().await?;
    Ok(repo::sectors(db).await?)
}

/// Adds a sector at the end of the order; 409 when its short name is taken.
pub async fn add(db: &Db, actor: Actor, new: &NewSector) -> AppResult<repo::SectorRow> {
    let slug = new.slug.trim().to_lowercase();
    let mut errors = Vec::new();
    let slug_ok = (2..=40).contains(&slug.len())
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && slug != super::RESERVED_SECTOR;
    if !slug_ok {
        errors.push(("slug".to_string(), "sectors-error-slug".to_string()));
    }
    if !name_ok(&new.name_uk) || !name_ok(&new.name_en) {
        errors.push(("name_uk".to_string(), "sectors-error-name".to_string()));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let sectors = repo::sectors(db).await?;
    if sectors.iter().any(|s| s.slug == slug) {
        return Err(AppError::Conflict("sectors-error-taken"));
    }
    let position = sectors.len() as i64 + 1;
    let (uk, en) = (new.name_uk.trim(), new.name_en.trim());
    let mut work = Work::begin(db, actor).await?;
    repo::insert_sector(&mut work.tx, &slug, uk, en, position, new.campaign).await?;
    work.audit(
        "create",
        "news_sectors",
        &slug,
        json!({ "uk": uk, "en": en }),
    )
    .await?;
    super::actions::bump_revision(&mut work.tx, work.now).await?;
    work.commit().await?;
    repo::sectors(db)
        .await?
        .into_iter()
        .find(|s| s.slug == slug)
        .ok_or(AppError::NotFound)
}
