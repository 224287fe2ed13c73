//! The routes of the registry of territorial units, each with who may use it: this feature's part of
//! the permission matrix, which the composition root (`crate::app`) joins into the one table
//! the router and the matrix test walk.

use super::{api, pages, status_pages};
use crate::web::routes::ADMIN;
use crate::web::routes::Access::Public;
use crate::web::routes::Route;
use axum::http::Method;

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/{lang}/units", Public, pages::browse),
        // A unit's page and its status form: `crate::composed::routes`.
        Route::post(
            "/{lang}/units/{code}/statuses/{id}/delete",
            ADMIN,
            status_pages::delete_status,
        )
        .twin(Method::DELETE, "/api/v1/units/{code}/statuses/{id}"),
        Route::get("/{lang}/about/data", Public, pages::about_data),
        Route::get("/{lang}/admin/statuses", ADMIN, status_pages::statuses_form),
        Route::post(
            "/{lang}/admin/statuses",
            ADMIN,
            status_pages::import_statuses,
        )
        .twin(Method::POST, "/api/v1/unit-statuses"),
        Route::get("/api/v1/units", Public, api::list),
        Route::get("/api/v1/units/{code}", Public, api::get_unit),
        Route::get("/api/v1/units/{code}/children", Public, api::children),
        Route::post("/api/v1/units/{code}/statuses", ADMIN, api::add_status),
        Route::delete(
            "/api/v1/units/{code}/statuses/{id}",
            ADMIN,
            api::delete_status,
        ),
        Route::post("/api/v1/unit-statuses", ADMIN, api::import_statuses),
    ]
}

/// The feature's operations in the API document (the composition root joins every feature's).
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    super::api::list,
    super::api::get_unit,
    super::api::children,
    super::api::add_status,
    super::api::delete_status,
    super::api::import_statuses,
))]
pub struct Doc;
