//! The routes of the outbox, each with who may use it: this feature's part of
//! the permission matrix, which the composition root (`crate::app`) joins into the one table
//! the router and the matrix test walk.

use super::{api, pages};
use crate::web::routes::ADMIN;
use crate::web::routes::Route;
use axum::http::Method;

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/{lang}/admin/outbox", ADMIN, pages::outbox),
        Route::get("/{lang}/admin/outbox/{id}", ADMIN, pages::message),
        Route::post("/{lang}/admin/outbox/{id}/requeue", ADMIN, pages::requeue)
            .twin(Method::POST, "/api/v1/outbox/{id}/requeue"),
        Route::get("/api/v1/outbox", ADMIN, api::list),
        Route::post("/api/v1/outbox/{id}/requeue", ADMIN, api::requeue),
    ]
}

/// The feature's operations in the API document (the composition root joins every feature's).
#[derive(utoipa::OpenApi)]
#[openapi(paths(super::api::list, super::api::requeue,))]
pub struct Doc;
