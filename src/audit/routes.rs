//! The routes of the audit log, each with who may use it: this feature's part of
//! the permission matrix, which the composition root (`crate::app`) joins into the one table
//! the router and the matrix test walk.

use super::{api, pages};
use crate::web::routes::ADMIN;
use crate::web::routes::Route;

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/{lang}/admin/audit", ADMIN, pages::browse),
        Route::get("/api/v1/audit", ADMIN, api::list),
    ]
}

/// The feature's operations in the API document (the composition root joins every feature's).
#[derive(utoipa::OpenApi)]
#[openapi(paths(super::api::list,))]
pub struct Doc;
