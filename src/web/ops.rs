//! Operations: health check, Prometheus metrics, request accounting, the stylesheet.

use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

use crate::db::Db;
use crate::state::AppState;

const STYLESHEET: &str = include_str!("../../static/style.css");

/// The process-wide metrics recorder; installed once, shared by every router in the process.
pub fn metrics_handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets(&[
                    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
                ])
                .unwrap_or_else(|_| PrometheusBuilder::new());
            match builder.install_recorder() {
                Ok(handle) => handle,
                // Another recorder is installed already: keep a private one so /metrics works.
                Err(_) => PrometheusBuilder::new().build_recorder().handle(),
            }
        })
        .clone()
}

/// Counts requests and their latency per route pattern (never per raw path, which would let
/// any client create new series).
pub async fn track(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().to_string();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| "unmatched".to_string());
    let response = next.run(req).await;
    let status = response.status().as_u16().to_string();
    let labels = [("method", method), ("route", route), ("status", status)];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels[..2])
        .record(start.elapsed().as_secs_f64());
    response
}

pub async fn healthz(State(db): State<Db>) -> Response {
    match db.ping().await {
        Ok(()) => (StatusCode::OK, "ok\n").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable\n").into_response()
        }
    }
}

/// Prometheus metrics are for the scraper that holds `HROMADA_METRICS_TOKEN` (as a bearer
/// token). Without a configured token the endpoint does not exist: route names, request counts
/// and the mail backlog tell an outsider more than they should. `Some` is the refusal to give.
pub fn refuse_metrics(state: &AppState, headers: &axum::http::HeaderMap) -> Option<Response> {
    let Some(expected) = state.settings.metrics_token.as_deref() else {
        return Some(crate::error::AppError::NotFound.into_response());
    };
    let sent = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    // Compare digests, so the time taken says nothing about how much of the token matched.
    use sha2::{Digest, Sha256};
    if Sha256::digest(sent.as_bytes()) != Sha256::digest(expected.as_bytes()) {
        // JSON, so the error pages leave it as it is (a scraper is not sent to the login page).
        return Some(
            (
                StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Bearer realm=\"metrics\"")],
                axum::Json(serde_json::json!({"error": {"code": "unauthorized",
                "message": "a metrics token is required", "fields": []}})),
            )
                .into_response(),
        );
    }
    None
}

/// The process's counters followed by `more` (the features' gauges, which the composition
/// root reads from the database at scrape time so every instance reports the same truth).
pub fn metrics_response(state: &AppState, more: &str) -> Response {
    let mut body = state.metrics.render();
    body.push_str(more);
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body).into_response()
}

/// The stylesheet's address, named by its content (`/static/style.1a2b3c4d5e6f.css`): browsers
/// keep it for a year without asking, and a new release has a new name.
pub fn stylesheet_href() -> &'static str {
    static HREF: OnceLock<String> = OnceLock::new();
    HREF.get_or_init(|| {
        let digest = <sha2::Sha256 as sha2::Digest>::digest(STYLESHEET.as_bytes());
        format!("/static/style.{}.css", hex::encode(&digest[..6]))
    })
}

#[derive(serde::Deserialize)]
pub struct StaticFile {
    file: String,
}

/// `/static/{file}`: the stylesheet under its content name (immutable), or under its plain
/// name for pages rendered by an older release (kept an hour).
pub async fn stylesheet(
    axum::extract::Path(StaticFile { file }): axum::extract::Path<StaticFile>,
) -> Response {
    let cache = if Some(file.as_str()) == stylesheet_href().strip_prefix("/static/") {
        "public, max-age=31536000, immutable"
    } else if file == "style.css" {
        "public, max-age=3600"
    } else {
        return crate::error::AppError::NotFound.into_response();
    };
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, cache),
        ],
        STYLESHEET,
    )
        .into_response()
}
