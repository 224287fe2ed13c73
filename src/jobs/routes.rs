//! The routes of background jobs, each with who may use it: this feature's part of
//! the permission matrix, which the composition root (`crate::app`) joins into the one table
//! the router and the matrix test walk.

use super::{api, pages};
use crate::web::routes::ADMIN;
use crate::web::routes::Route;
use axum::http::Method;

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/{lang}/admin/jobs", ADMIN, pages::list),
        Route::post("/{lang}/admin/jobs/{id}/retry", ADMIN, pages::retry)
            .twin(Method::POST, "/api/v1/jobs/{id}/retry"),
        Route::get("/api/v1/jobs", ADMIN, api::list),
        Route::post("/api/v1/jobs/{id}/retry", ADMIN, api::retry),
    ]
}

/// The feature's operations in the API document (the composition root joins every feature's).
#[derive(utoipa::OpenApi)]
#[openapi(paths(super::api::list, super::api::retry,))]
pub struct Doc;
