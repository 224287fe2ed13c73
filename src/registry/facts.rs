//! A unit's own records beyond the snapshot: its attributes with their sources, its status
//! entries, the editions' changes to it and the codes it had before. A unit's page and its API
//! answer need them on every render, and they change only with the registry, so the snapshot of
//! a registry revision keeps each unit's facts once they were first asked for (at most one entry
//! per unit, dropped with the snapshot when the revision moves).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::repo::{self, AttributeRow, ChangeEntry, StatusEntry};
use crate::db::Db;

/// Everything the registry records about one unit beyond its place in the tree.
#[derive(Debug)]
pub struct UnitFacts {
    /// Ordered by key.
    pub attributes: Vec<AttributeRow>,
    /// Newest first.
    pub statuses: Vec<StatusEntry>,
    /// Oldest first.
    pub changes: Vec<ChangeEntry>,
    pub old_codes: Vec<String>,
}

impl UnitFacts {
    async fn load(db: &Db, code: &str) -> sqlx::Result<UnitFacts> {
        let attributes = repo::attributes_of(db, code).await?;
        let statuses = repo::status_history(db, code).await?;
        let (changes, old_codes) = repo::history(db, code).await?;
        Ok(UnitFacts {
            attributes,
            statuses,
            changes,
            old_codes,
        })
    }
}

/// The facts of the units asked for so far, by the unit's place in its snapshot.
#[derive(Default)]
pub struct FactsCache {
    loaded: Mutex<HashMap<usize, Arc<UnitFacts>>>,
}

impl FactsCache {
    fn cached(&self, i: usize) -> Option<Arc<UnitFacts>> {
        let loaded = self.loaded.lock().unwrap_or_else(|p| p.into_inner());
        loaded.get(&i).cloned()
    }

    /// The facts of unit `i` (whose code is `code`): from memory, or read once from `db`.
    /// Two requests that miss together both read; the first to finish is kept.
    pub async fn get(&self, db: &Db, i: usize, code: &str) -> sqlx::Result<Arc<UnitFacts>> {
        if let Some(facts) = self.cached(i) {
            return Ok(facts);
        }
        let facts = Arc::new(UnitFacts::load(db, code).await?);
        let mut loaded = self.loaded.lock().unwrap_or_else(|p| p.into_inner());
        Ok(loaded.entry(i).or_insert(facts).clone())
    }
}
