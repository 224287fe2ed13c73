//! The routes of member communities and regional offices, each with who may use it: this feature's part of
//! the permission matrix, which the composition root (`crate::app`) joins into the one table
//! the router and the matrix test walk.

use super::{api, import_pages, membership_api, office_api, office_pages, pages};
use crate::web::routes::Access::Public;
use crate::web::routes::Route;
use crate::web::routes::{ADMIN, MEMBER_STAFF};
use axum::http::Method;

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/{lang}/members", Public, pages::directory),
        Route::get("/{lang}/members/find", MEMBER_STAFF, pages::find),
        Route::get(
            "/{lang}/members/import",
            MEMBER_STAFF,
            import_pages::import_form,
        ),
        Route::post("/{lang}/members/import", MEMBER_STAFF, import_pages::import)
            .twin(Method::POST, "/api/v1/members/import"),
        // A member's page and its forms: `crate::composed::routes`.
        Route::get("/{lang}/offices", Public, office_pages::offices),
        Route::post("/{lang}/offices", ADMIN, office_pages::create_office)
            .twin(Method::POST, "/api/v1/regional-offices"),
        Route::post("/{lang}/offices/{slug}", ADMIN, office_pages::update_office)
            .twin(Method::PUT, "/api/v1/regional-offices/{slug}"),
        Route::get("/{lang}/offices/{slug}", Public, office_pages::office),
        Route::get("/{lang}/sections", Public, pages::sections),
        Route::get("/api/v1/members", Public, api::list),
        Route::get("/api/v1/members/figures", Public, api::figures),
        Route::post(
            "/api/v1/members/import",
            MEMBER_STAFF,
            membership_api::import,
        ),
        Route::post(
            "/api/v1/members/{code}/join",
            MEMBER_STAFF,
            membership_api::join,
        ),
        Route::post(
            "/api/v1/members/{code}/end",
            MEMBER_STAFF,
            membership_api::end,
        ),
        Route::get("/api/v1/regional-offices", Public, api::offices),
        Route::post("/api/v1/regional-offices", ADMIN, office_api::create),
        Route::put("/api/v1/regional-offices/{slug}", ADMIN, office_api::update),
        Route::get("/api/v1/sections", Public, api::sections),
    ]
}

/// The feature's operations in the API document (the composition root joins every feature's).
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    super::api::list,
    super::api::figures,
    super::membership_api::import,
    super::membership_api::join,
    super::membership_api::end,
    super::api::offices,
    super::office_api::create,
    super::office_api::update,
    super::api::sections,
))]
pub struct Doc;
