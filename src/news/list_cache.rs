//! The news list as anonymous visitors see it, kept rendered per language and query. The list
//! is the most read page and changes only when news (or the registry's names) change, so each
//! instance renders a page once per change rather than once per visit.
//!
//! The cache is a copy of what the database says: it is emptied when this instance changes
//! news ([`ListCache::invalidate`], after the commit) and when the news or registry revision in
//! the database moves, which it reads at most once a second. A change made on another instance
//! therefore shows here within a second.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::db::Db;

/// How often the revisions are read from the database.
const CHECK_EVERY: Duration = Duration::from_secs(1);
/// Pages kept; the cache starts over when full (query strings are the visitors' to choose).
const KEEP: usize = 256;

#[derive(Default)]
pub struct ListCache {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    /// Raised whenever the pages are dropped, so a page rendered from older data is not kept.
    generation: u64,
    checked_at: Option<Instant>,
    revisions: Option<(String, i64)>,
    pages: HashMap<String, String>,
}

/// What [`ListCache::get`] found.
pub enum Lookup {
    Hit(String),
    /// Not there: render the page and give it back with this generation.
    Miss(u64),
}

impl ListCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub async fn get(&self, db: &Db, key: &str) -> sqlx::Result<Lookup> {
        let due = self
            .lock()
            .checked_at
            .is_none_or(|t| t.elapsed() >= CHECK_EVERY);
        if due {
            let news = crate::db::settings::get(db, super::search::REVISION_KEY)
                .await?
                .unwrap_or_default();
            let registry = crate::registry::repo::revision(db).await?;
            let mut inner = self.lock();
            let now = Some((news, registry));
            if inner.revisions != now {
                inner.revisions = now;
                inner.pages.clear();
                inner.generation += 1;
            }
            inner.checked_at = Some(Instant::now());
        }
        let inner = self.lock();
        Ok(match inner.pages.get(key) {
            Some(page) => Lookup::Hit(page.clone()),
            None => Lookup::Miss(inner.generation),
        })
    }

    /// Keeps a rendered page, unless the pages were dropped while it was rendered.
    pub fn put(&self, key: String, page: String, generation: u64) {
        let mut inner = self.lock();
        if inner.generation != generation {
            return;
        }
        if inner.pages.len() >= KEEP {
            inner.pages.clear();
        }
        inner.pages.insert(key, page);
    }

    /// Drops every page: this instance changed news.
    pub fn invalidate(&self) {
        let mut inner = self.lock();
        inner.pages.clear();
        inner.generation += 1;
        inner.checked_at = None;
    }
}
