//! The composition root: every feature's routes and background jobs joined into the one
//! application. A feature plugs in here, with one line in [`routes`] (and in [`jobs`] if it
//! runs any); nothing below this module imports the router.
//!
//! Order for a request (outermost first): metrics → security headers → context (who is asking,
//! CSRF cookie, language) → error rendering → routing (404, 405) → the page cache (public `GET`
//! routes, anonymous visitors) → CSRF check → the route's access guard → handler.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::{from_fn, from_fn_with_state};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::config::Settings;
use crate::db::Db;
use crate::jobs::JobKind;
use crate::state::AppState;
use crate::web;
use crate::web::routes::Access::Public;
use crate::web::routes::Route;
use crate::{
    audit, auth, club, composed, digest, jobs, mail, members, news, people, registry, sections,
    statistics,
};
use utoipa::OpenApi;

/// Every route of the application with its access rule: the permission matrix.
pub fn routes() -> Vec<Route> {
    [
        web::site_routes::site(),
        auth::routes::routes(),
        registry::routes::routes(),
        members::routes::routes(),
        people::routes::routes(),
        club::routes::routes(),
        sections::routes::routes(),
        news::routes::routes(),
        digest::routes::routes(),
        statistics::routes::routes(),
        audit::routes::routes(),
        mail::routes::routes(),
        jobs::routes::routes(),
        composed::routes::routes(),
        vec![
            Route::get("/api/v1/openapi.json", Public, openapi_json),
            Route::get("/metrics", Public, metrics).uncached(),
        ],
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The API document: the common part and every feature's operations (a feature with API
/// operations adds its `Doc` here).
pub fn openapi() -> utoipa::openapi::OpenApi {
    web::api::document([
        auth::routes::Doc::openapi(),
        audit::routes::Doc::openapi(),
        mail::routes::Doc::openapi(),
        jobs::routes::Doc::openapi(),
        registry::routes::Doc::openapi(),
        members::routes::Doc::openapi(),
        people::routes::Doc::openapi(),
        club::routes::Doc::openapi(),
        sections::routes::Doc::openapi(),
        news::routes::Doc::openapi(),
        digest::routes::Doc::openapi(),
        statistics::routes::Doc::openapi(),
    ])
}

/// `GET /api/v1/openapi.json`: the document, built once per process.
async fn openapi_json() -> axum::Json<&'static utoipa::openapi::OpenApi> {
    static DOC: std::sync::OnceLock<utoipa::openapi::OpenApi> = std::sync::OnceLock::new();
    axum::Json(DOC.get_or_init(openapi))
}

/// `GET /metrics`: the process's counters and the features' gauges, for the token holder.
async fn metrics(
    axum::extract::State(state): axum::extract::State<AppState>,
    headers: axum::http::HeaderMap,
) -> axum::response::Response {
    if let Some(refused) = web::ops::refuse_metrics(&state, &headers) {
        return refused;
    }
    let gauges = mail::metrics(&state.db).await;
    web::ops::metrics_response(&state, &gauges)
}

/// Seals what was stored before sealing existed and re-seals what an older key sealed: every
/// kind of secret the database keeps (a feature that keeps one adds its sealer here).
/// Idempotent; run at start-up and by `secrets rotate`. Returns how many values it wrote.
pub async fn reseal_all(db: &Db) -> anyhow::Result<u64> {
    let mut n = crate::secrets::reseal_probe(db).await?;
    n += auth::actions::reseal_secrets(db).await?;
    n += mail::repo::reseal_secrets(db).await?;
    n += digest::repo::seal_subscriber_secrets(db).await?;
    Ok(n)
}

/// Every kind of background job.
pub fn jobs() -> Vec<JobKind> {
    [digest::routes::jobs(), statistics::routes::jobs()]
        .into_iter()
        .flatten()
        .collect()
}

/// The state of an instance on `db`: who is asking found by the accounts' lookups, every
/// feature's jobs, and what the people do when an account's address is verified.
pub fn state(db: Db, settings: Settings) -> AppState {
    AppState::new(db, settings)
        .with(auth::lookup())
        .with(jobs::Kinds(jobs()))
        .with(auth::actions::OnAddressVerified(vec![
            people::actions::account_address_verified,
        ]))
}

/// The whole application: every route behind its access guard, inside the middleware every
/// request passes through. Tests drive this router in-process.
pub fn router(state: AppState) -> Router {
    let mut router: Router<AppState> = Router::new();
    for route in routes() {
        let guard = from_fn_with_state((state.clone(), route.access), web::routes::guard);
        // The CSRF check runs for the routes there are, after routing: a method a path does
        // not have answers 405 (not 403 `csrf` for a request that carries cookies).
        let csrf = from_fn_with_state(state.clone(), web::csrf::check);
        let mut handler = route.handler.route_layer(guard).route_layer(csrf);
        // Public pages come from the cache for anonymous visitors; after any change this
        // instance handles, the cache asks the database before its next answer.
        if route.cached {
            handler = handler.route_layer(from_fn_with_state(state.clone(), web::cache::serve));
        } else if route.method != axum::http::Method::GET {
            handler =
                handler.route_layer(from_fn_with_state(state.clone(), web::cache::after_change));
        }
        router = router.route(route.path, handler);
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
        .fallback(web::errors::not_found)
        .layer(from_fn_with_state(state.clone(), web::errors::render))
        .layer(from_fn_with_state(state.clone(), web::context::resolve))
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
    // What the page cache did not answer is compressed on the way out, as the browser asks.
    router
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(from_fn(web::ops::track))
        .with_state(state)
}
