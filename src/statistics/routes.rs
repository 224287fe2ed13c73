//! The routes of municipal statistics, each with who may use it: this feature's part of
//! the permission matrix, which the composition root (`crate::app`) joins into the one table
//! the router and the matrix test walk.

use super::{analysis, api, collection, export, import_pages};
use crate::web::routes::Access::{Public, SignedIn};
use crate::web::routes::Route;
use crate::web::routes::{ADMIN, CAMPAIGN_STAFF};
use axum::http::Method;

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/api/v1/indicators", Public, api::indicators),
        Route::get("/api/v1/indicators/{code}", Public, api::indicator),
        Route::get("/api/v1/values", Public, api::values),
        Route::get("/api/v1/datasets", Public, collection::api::datasets),
        Route::get("/api/v1/datasets/{code}", Public, collection::api::dataset),
        Route::get("/api/v1/rules", Public, collection::api::rules),
        Route::get(
            "/api/v1/campaigns",
            CAMPAIGN_STAFF,
            collection::api::campaigns,
        ),
        Route::post("/api/v1/campaigns", CAMPAIGN_STAFF, collection::api::create),
        Route::get(
            "/api/v1/campaigns/{id}",
            CAMPAIGN_STAFF,
            collection::api::campaign,
        ),
        Route::post(
            "/api/v1/campaigns/{id}/reminders",
            CAMPAIGN_STAFF,
            collection::staff_api::remind,
        ),
        Route::post(
            "/api/v1/campaigns/{id}/close",
            ADMIN,
            collection::staff_api::close,
        ),
        Route::get("/api/v1/locks", ADMIN, collection::staff_api::locks),
        Route::put(
            "/api/v1/locks/{period}",
            ADMIN,
            collection::staff_api::set_lock,
        ),
        Route::get(
            "/api/v1/campaigns/{id}/reports/{unit}",
            SignedIn,
            collection::api::report,
        ),
        Route::put(
            "/api/v1/campaigns/{id}/reports/{unit}",
            SignedIn,
            collection::api::put_report,
        ),
        Route::post(
            "/api/v1/campaigns/{id}/reports/{unit}/review",
            CAMPAIGN_STAFF,
            collection::api::review,
        ),
        Route::get("/static/report.js", Public, collection::pages::script),
        Route::get("/{lang}/statistics/owe", SignedIn, collection::pages::owe),
        Route::get(
            "/{lang}/statistics/campaigns",
            CAMPAIGN_STAFF,
            collection::staff_pages::campaigns,
        ),
        Route::post(
            "/{lang}/statistics/campaigns",
            CAMPAIGN_STAFF,
            collection::staff_pages::create,
        )
        .twin(Method::POST, "/api/v1/campaigns"),
        Route::get(
            "/{lang}/statistics/campaigns/{id}",
            CAMPAIGN_STAFF,
            collection::staff_pages::campaign,
        ),
        Route::post(
            "/{lang}/statistics/campaigns/{id}/remind",
            CAMPAIGN_STAFF,
            collection::staff_pages::remind,
        )
        .twin(Method::POST, "/api/v1/campaigns/{id}/reminders"),
        Route::post(
            "/{lang}/statistics/campaigns/{id}/close",
            ADMIN,
            collection::staff_pages::close,
        )
        .twin(Method::POST, "/api/v1/campaigns/{id}/close"),
        Route::get(
            "/{lang}/statistics/campaigns/{id}/report/{unit}",
            SignedIn,
            collection::pages::report,
        ),
        Route::post(
            "/{lang}/statistics/campaigns/{id}/report/{unit}",
            SignedIn,
            collection::pages::save,
        )
        .twin(Method::PUT, "/api/v1/campaigns/{id}/reports/{unit}"),
        Route::post(
            "/{lang}/statistics/campaigns/{id}/report/{unit}/review",
            CAMPAIGN_STAFF,
            collection::pages::review,
        )
        .twin(Method::POST, "/api/v1/campaigns/{id}/reports/{unit}/review"),
        Route::get(
            "/{lang}/statistics/locks",
            ADMIN,
            collection::staff_pages::locks,
        ),
        Route::post(
            "/{lang}/statistics/locks",
            ADMIN,
            collection::staff_pages::set_lock,
        )
        .twin(Method::PUT, "/api/v1/locks/{period}"),
        Route::get("/{lang}/statistics", Public, export::index),
        Route::get("/{lang}/statistics/export", Public, export::download),
        Route::get("/api/v1/values/export", Public, export::api),
        Route::get("/{lang}/statistics/import", ADMIN, import_pages::form),
        Route::post("/{lang}/statistics/import", ADMIN, import_pages::upload)
            .body_limit(super::actions::MAX_IMPORT_BYTES + 64 * 1024)
            .twin(Method::POST, "/api/v1/imports"),
        Route::get(
            "/{lang}/statistics/imports/{id}",
            ADMIN,
            import_pages::status,
        ),
        Route::get(
            "/{lang}/statistics/imports/{id}/errors.csv",
            ADMIN,
            import_pages::errors_csv,
        ),
        Route::post("/api/v1/imports", ADMIN, import_pages::api_upload)
            .body_limit(super::actions::MAX_IMPORT_BYTES + 64 * 1024),
        Route::get("/api/v1/imports/{id}", ADMIN, import_pages::api_status),
        Route::get(
            "/{lang}/units/{code}/statistics",
            Public,
            analysis::pages::community,
        ),
        Route::get(
            "/{lang}/statistics/indicators/{code}",
            Public,
            analysis::indicator_pages::page,
        ),
        Route::get(
            "/{lang}/statistics/indicators/{code}/map.svg",
            Public,
            analysis::indicator_pages::map_svg,
        ),
        Route::get(
            "/{lang}/statistics/indicators/{code}/histogram.svg",
            Public,
            analysis::indicator_pages::histogram_svg,
        ),
        Route::get(
            "/{lang}/statistics/compare",
            Public,
            analysis::compare::page,
        ),
        Route::get(
            "/{lang}/statistics/releases",
            Public,
            analysis::releases::page,
        ),
        Route::post(
            "/{lang}/statistics/releases",
            ADMIN,
            analysis::releases::publish_form,
        )
        .twin(Method::POST, "/api/v1/releases"),
        Route::get("/api/v1/releases", Public, analysis::releases::list_api),
        Route::post("/api/v1/releases", ADMIN, analysis::releases::publish_api),
        Route::get(
            "/api/v1/releases/{dataset}/{period}/{version}",
            Public,
            analysis::releases::get_api,
        ),
        Route::get("/api/v1/catalog", Public, analysis::catalog::catalog),
        Route::get(
            "/api/v1/statistics/rankings",
            Public,
            analysis::api::rankings,
        ),
        Route::get(
            "/api/v1/statistics/aggregates",
            Public,
            analysis::api::aggregates_api,
        ),
        Route::get("/api/v1/statistics/series", Public, analysis::api::series),
    ]
}

/// The statistics' background jobs: imports of uploaded files, and the reminders pass.
pub fn jobs() -> Vec<crate::jobs::JobKind> {
    use crate::jobs::JobKind;
    vec![
        JobKind {
            kind: super::actions::IMPORT_JOB,
            run: |state, payload| Box::pin(super::actions::run_import_job(state, payload)),
        },
        JobKind {
            kind: super::collection::reminders::JOB,
            run: |state, payload| Box::pin(super::collection::reminders::run(state, payload)),
        },
    ]
}

/// The feature's operations in the API document (the composition root joins every feature's).
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    super::api::indicators,
    super::api::indicator,
    super::api::values,
    super::export::api,
    super::analysis::api::rankings,
    super::analysis::api::aggregates_api,
    super::analysis::api::series,
    super::analysis::releases::list_api,
    super::analysis::releases::publish_api,
    super::analysis::releases::get_api,
    super::analysis::catalog::catalog,
    super::collection::api::datasets,
    super::collection::api::dataset,
    super::collection::api::rules,
    super::collection::api::campaigns,
    super::collection::api::create,
    super::collection::api::campaign,
    super::collection::api::report,
    super::collection::api::put_report,
    super::collection::api::review,
    super::collection::staff_api::remind,
    super::collection::staff_api::close,
    super::collection::staff_api::locks,
    super::collection::staff_api::set_lock,
    super::import_pages::api_upload,
    super::import_pages::api_status,
))]
pub struct Doc;
