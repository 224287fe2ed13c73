//! HTTP: the toolkit every feature's pages and API stand on — shared state, the request context,
//! extractors, errors, page helpers, downloads, the access rules of routes — and the middleware
//! every request passes through. The router itself is assembled in `crate::app`.

use std::sync::Arc;

use tokio::sync::Notify;

use crate::config::Settings;
use crate::db::Db;

pub mod api;
pub mod cache;
pub mod context;
pub mod csrf;
pub mod csv_upload;
pub mod download;
pub mod errors;
pub mod extract;
pub mod home;
pub mod images;
pub mod ops;
pub mod page;
pub mod routes;
pub mod site_routes;

pub use context::{ClientIp, Ctx};
pub use page::PageCtx;

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
    /// The registry as this instance last read it; rebuilt when the database's revision moves.
    pub registry: crate::registry::snapshot::Cache,
    /// Approved statistics in memory for rankings and aggregates; started over when the
    /// statistics revision or the registry moves.
    pub stat_cube: crate::statistics::analysis::cube::CubeCache,
    /// The news search index as this instance last built it; rebuilt when the news revision
    /// moves.
    pub news_search: crate::news::search::Cache,
    /// Public pages as anonymous visitors see them, rendered and compressed once per change.
    pub pages: cache::PageCache,
    /// Digest PDFs this instance laid out lately.
    pub digest_pdfs: crate::digest::pdf::Cache,
    /// This running instance, as the owner of the leases it takes on outbox messages and jobs.
    pub instance: String,
    /// Rows written so far by the statistics imports this instance is running (their outcome
    /// is in the database; only the count while they run lives here).
    pub imports_running:
        std::sync::Mutex<std::collections::HashMap<i64, Arc<std::sync::atomic::AtomicU64>>>,
    /// The kinds of background job this instance runs (from `crate::app::jobs`).
    pub job_kinds: Vec<crate::jobs::JobKind>,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    /// The state of an instance that runs the jobs `job_kinds` (`crate::app::state` gives it
    /// every feature's).
    pub fn new(db: Db, settings: Settings, job_kinds: Vec<crate::jobs::JobKind>) -> AppState {
        let pages = cache::PageCache::new(
            settings.page_cache_mb,
            std::time::Duration::from_millis(settings.page_cache_ms),
        );
        AppState(Arc::new(Inner {
            db,
            settings,
            mail_wakeup: Arc::new(Notify::new()),
            jobs_wakeup: Arc::new(Notify::new()),
            metrics: ops::metrics_handle(),
            registry: Default::default(),
            stat_cube: Default::default(),
            news_search: Default::default(),
            digest_pdfs: Default::default(),
            pages,
            instance: format!("{}.{}", std::process::id(), crate::secrets::new_secret("")),
            imports_running: Default::default(),
            job_kinds,
        }))
    }

    /// Starts (`Some`) or ends (`None`) the progress count of an import this instance runs.
    pub fn import_progress(&self, id: i64, counter: Option<Arc<std::sync::atomic::AtomicU64>>) {
        let mut running = self
            .imports_running
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match counter {
            Some(c) => running.insert(id, c),
            None => running.remove(&id),
        };
    }

    /// Rows written so far by an import running on this instance.
    pub fn import_rows_written(&self, id: i64) -> Option<u64> {
        self.imports_running
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&id)
            .map(|c| c.load(std::sync::atomic::Ordering::Relaxed))
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
