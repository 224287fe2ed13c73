//! What every handler, middleware and background task of one instance shares: the database,
//! the settings, this instance's wake-ups and name, the kept public pages, and one *part* per
//! feature that keeps something in memory (the registry's snapshot, the statistics cube, the
//! news search index, …).
//!
//! The state knows no feature: a part is any `Default` type, made on first use and then shared
//! by every clone of the state (the composition root may put one in beforehand with
//! [`AppState::with`]). Handlers take only what they use through axum's `FromRef`:
//! `State<Db>`, `State<Settings>` or `State<Part<registry::snapshot::Cache>>`; use cases take
//! `&Db` or the state when they also queue mail or wake a worker.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use axum::extract::FromRef;
use tokio::sync::Notify;

use crate::config::Settings;
use crate::db::Db;
use crate::web::cache::PageCache;

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub db: Db,
    pub settings: Settings,
    /// Wakes this instance's mail worker after a request queued mail.
    pub mail_wakeup: Arc<Notify>,
    /// Wakes this instance's job runner after a request queued a job.
    pub jobs_wakeup: Arc<Notify>,
    pub metrics: metrics_exporter_prometheus::PrometheusHandle,
    /// Public pages as anonymous visitors see them, rendered and compressed once per change.
    pub pages: PageCache,
    /// This running instance, as the owner of the leases it takes on outbox messages and jobs.
    pub instance: String,
    parts: RwLock<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    pub fn new(db: Db, settings: Settings) -> AppState {
        let pages = PageCache::new(
            settings.page_cache_mb,
            std::time::Duration::from_millis(settings.page_cache_ms),
        );
        AppState(Arc::new(Inner {
            db,
            settings,
            mail_wakeup: Arc::new(Notify::new()),
            jobs_wakeup: Arc::new(Notify::new()),
            metrics: crate::web::ops::metrics_handle(),
            pages,
            instance: format!("{}.{}", std::process::id(), crate::secrets::new_secret("")),
            parts: RwLock::default(),
        }))
    }

    /// The state with `part` in place of the default one (the composition root's settings for a
    /// feature, such as the kinds of job this instance runs).
    pub fn with<T: Send + Sync + 'static>(self, part: T) -> AppState {
        self.parts
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(TypeId::of::<T>(), Arc::new(part));
        self
    }

    /// The feature part of type `T`, made (as `T::default()`) on first use.
    pub fn part<T: Default + Send + Sync + 'static>(&self) -> Arc<T> {
        let found = self
            .parts
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&TypeId::of::<T>())
            .cloned();
        let part = match found {
            Some(part) => part,
            None => self
                .parts
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .entry(TypeId::of::<T>())
                .or_insert_with(|| Arc::new(T::default()))
                .clone(),
        };
        // Stored under T's own TypeId, so the downcast cannot miss; a miss would mean a new T.
        part.downcast::<T>().unwrap_or_default()
    }

    /// The domain part of Message-IDs and the host of emailed links.
    pub fn mail_domain(&self) -> String {
        url::Url::parse(&self.settings.base_url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_else(|| "localhost".into())
    }

    /// An absolute link for mail: base URL + path.
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.settings.base_url.trim_end_matches('/'))
    }
}

/// A feature's part of the state, for a handler: `State(Part(cache)): State<Part<Cache>>`.
pub struct Part<T>(pub Arc<T>);

impl<T> Clone for Part<T> {
    fn clone(&self) -> Self {
        Part(self.0.clone())
    }
}

impl<T> std::ops::Deref for Part<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: Default + Send + Sync + 'static> FromRef<AppState> for Part<T> {
    fn from_ref(state: &AppState) -> Part<T> {
        Part(state.part::<T>())
    }
}

impl FromRef<AppState> for Db {
    fn from_ref(state: &AppState) -> Db {
        state.db.clone()
    }
}

impl FromRef<AppState> for Settings {
    fn from_ref(state: &AppState) -> Settings {
        state.settings.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Counter(std::sync::atomic::AtomicU32);

    #[tokio::test]
    async fn a_part_is_made_once_and_shared_by_every_clone() {
        let db = Db::connect("sqlite::memory:", 1).await.expect("db");
        let state = AppState::new(db, Settings::default());
        let other = state.clone();
        state
            .part::<Counter>()
            .0
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let Part(seen) = Part::<Counter>::from_ref(&other);
        assert_eq!(seen.0.load(std::sync::atomic::Ordering::Relaxed), 1);
        let replaced = AppState::new(state.db.clone(), Settings::default())
            .with(Counter(std::sync::atomic::AtomicU32::new(7)));
        assert_eq!(
            replaced
                .part::<Counter>()
                .0
                .load(std::sync::atomic::Ordering::Relaxed),
            7
        );
    }
}
