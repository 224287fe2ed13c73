//! HTTP: the router, shared state and the middleware every request passes through.
//!
//! Order for a request (outermost first): metrics → security headers → context (who is asking,
//! CSRF cookie, language) → error rendering → routing (404, 405) → CSRF check → the route's
//! access guard → handler.

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::{from_fn, from_fn_with_state};
use tokio::sync::Notify;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::config::Settings;
use crate::db::Db;

pub mod api;
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
    /// The news list as anonymous visitors see it, rendered once per change.
    pub news_pages: crate::news::list_cache::ListCache,
    /// Digest PDFs this instance laid out lately.
    pub digest_pdfs: crate::digest::pdf::Cache,
    /// This running instance, as the owner of the leases it takes on outbox messages and jobs.
    pub instance: String,
    /// Rows written so far by the statistics imports this instance is running (their outcome
    /// is in the database; only the count while they run lives here).
    pub imports_running:
        std::sync::Mutex<std::collections::HashMap<i64, Arc<std::sync::atomic::AtomicU64>>>,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    pub fn new(db: Db, settings: Settings) -> AppState {
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
            news_pages: Default::default(),
            instance: format!("{}.{}", std::process::id(), crate::auth::new_secret("")),
            imports_running: Default::default(),
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

/// The whole application. Tests drive this router in-process.
pub fn app(state: AppState) -> Router {
    let mut router: Router<AppState> = Router::new();
    for route in routes::table() {
        let guard = from_fn_with_state((state.clone(), route.access), routes::guard);
        // The CSRF check runs for the routes there are, after routing: a method a path does
        // not have answers 405 (not 403 `csrf` for a request that carries cookies).
        let csrf = from_fn_with_state(state.clone(), csrf::check);
        router = router.route(
            route.path,
            route.handler.route_layer(guard).route_layer(csrf),
        );
    }
    let security = [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "same-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=()",
        ),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
    ];
    let mut router = router
        .fallback(errors::not_found)
        .layer(from_fn_with_state(state.clone(), errors::render))
        .layer(from_fn_with_state(state.clone(), context::resolve))
        .layer(DefaultBodyLimit::max(state.settings.max_body_bytes));
    for (name, value) in security {
        router = router.layer(SetResponseHeaderLayer::if_not_present(
            name,
            HeaderValue::from_static(value),
        ));
    }
    if state.settings.secure_cookies() {
        // Served over HTTPS: browsers should never try plain HTTP again for two years.
        router = router.layer(SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000"),
        ));
    }
    router.layer(from_fn(ops::track)).with_state(state)
}
