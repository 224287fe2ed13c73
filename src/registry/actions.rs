//! Registry use cases shared by the command line and the server: loading the shipped codifier
//! into an empty database, and previewing and applying a newer edition.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::codifier::{self, CodifierUnit, RowError};
use super::edition::{self, Diff};
use super::{Category, data, repo};
use crate::auth::{Actor, now};
use crate::db::Db;

#[derive(Debug, thiserror::Error)]
pub enum EditionError {
    #[error("the file has {} bad rows:\n{}", .0.len(), .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    BadRows(Vec<RowError>),
    #[error("this file was already loaded as the edition of {0}")]
    AlreadyLoaded(NaiveDate),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// A parsed edition and what it would change.
pub struct Preview {
    pub units: Vec<CodifierUnit>,
    pub diff: Diff,
    pub sha256: String,
    pub baseline: bool,
}

pub async fn preview(db: &Db, bytes: &[u8]) -> Result<Preview, EditionError> {
    let sha256 = hex::encode(Sha256::digest(bytes));
    if let Some(on) = repo::edition_loaded(db, &sha256).await? {
        return Err(EditionError::AlreadyLoaded(on));
    }
    let units = codifier::parse(bytes).map_err(EditionError::BadRows)?;
    let current = repo::current(db).await?;
    let diff = edition::diff(&current, &units);
    Ok(Preview {
        baseline: current.is_empty(),
        units,
        diff,
        sha256,
    })
}

/// Applies a previewed edition in one transaction, with its audit entry.
pub async fn apply(
    db: &Db,
    actor: &Actor,
    preview: &Preview,
    edition_on: NaiveDate,
    source: &str,
) -> Result<i64, EditionError> {
    let categories: HashMap<String, Category> = preview
        .units
        .iter()
        .map(|u| (u.code.clone(), u.category))
        .collect();
    let now = now();
    let mut tx = db.begin().await?;
    let id = repo::apply_edition(
        &mut tx,
        &repo::NewEdition {
            edition_on,
            source,
            sha256: &preview.sha256,
        },
        &preview.diff,
        &categories,
        preview.baseline,
        now,
    )
    .await?;
    crate::audit::repo::record(
        &mut tx,
        actor,
        "load",
        "registry_edition",
        &id.to_string(),
        json!({
            "edition": edition_on.to_string(),
            "source": source,
            "added": preview.diff.added.len(),
            "renamed": preview.diff.renamed.len(),
            "moved": preview.diff.moved.len(),
            "removed": preview.diff.removed.len(),
            "recoded": preview.diff.recoded.len(),
        }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Loads the codifier shipped with hromada when the registry is empty. Returns whether it did.
pub async fn ensure_loaded(db: &Db, actor: &Actor) -> anyhow::Result<bool> {
    if repo::has_units(db).await? {
        return Ok(false);
    }
    let bytes = data::codifier()?;
    let preview = match preview(db, &bytes).await {
        Ok(p) => p,
        // Loaded before and since emptied by hand: nothing to do.
        Err(EditionError::AlreadyLoaded(_)) => return Ok(false),
        Err(e) => return Err(e.into()),
    };
    let on = NaiveDate::parse_from_str(data::CODIFIER_EDITION, "%Y-%m-%d")?;
    apply(db, actor, &preview, on, data::CODIFIER_FILE).await?;
    Ok(true)
}

/// The edition date in a codifier file name as the Ministry names them
/// (`kodifikator-02-07-2025.csv` → 2025-07-02).
pub fn edition_from_file_name(name: &str) -> Option<NaiveDate> {
    let stem = name.rsplit('/').next()?.split('.').next()?;
    let date: String = stem
        .chars()
        .rev()
        .take(10)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    NaiveDate::parse_from_str(&date, "%d-%m-%Y").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edition_dates_from_file_names() {
        assert_eq!(
            edition_from_file_name("/tmp/kodifikator-02-07-2025.csv"),
            NaiveDate::from_ymd_opt(2025, 7, 2)
        );
        assert_eq!(edition_from_file_name("codifier.csv"), None);
    }
}
