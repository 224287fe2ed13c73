//! The routes of professional sections, each with who may use it: this feature's part of
//! the permission matrix, which the composition root (`crate::app`) joins into the one table
//! the router and the matrix test walk.

use super::{api, pages};
use crate::web::routes::Access::{Public, SignedIn};
use crate::web::routes::Route;
use crate::web::routes::SECTION_STAFF;
use axum::http::Method;

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/{lang}/sections/{slug}", Public, pages::page),
        Route::post("/{lang}/sections/{slug}/join", SignedIn, pages::join)
            .twin(Method::POST, "/api/v1/sections/{slug}/requests"),
        Route::post("/{lang}/sections/{slug}/leave", SignedIn, pages::leave)
            .twin(Method::DELETE, "/api/v1/sections/{slug}/membership"),
        Route::post(
            "/{lang}/sections/{slug}/requests/{id}",
            SECTION_STAFF,
            pages::decide,
        )
        .twin(Method::POST, "/api/v1/sections/{slug}/requests/{id}"),
        Route::post(
            "/{lang}/sections/{slug}/announcements",
            SECTION_STAFF,
            pages::announce,
        )
        .twin(Method::POST, "/api/v1/sections/{slug}/announcements"),
        Route::post(
            "/{lang}/sections/{slug}/materials",
            SECTION_STAFF,
            pages::upload,
        )
        .body_limit(super::MAX_MATERIAL_BYTES + 64 * 1024)
        .twin(Method::POST, "/api/v1/sections/{slug}/materials"),
        Route::get(
            "/{lang}/sections/{slug}/materials/{id}",
            SignedIn,
            pages::download,
        ),
        Route::post(
            "/{lang}/sections/{slug}/materials/{id}/delete",
            SECTION_STAFF,
            pages::delete_material,
        )
        .twin(Method::DELETE, "/api/v1/sections/{slug}/materials/{id}"),
        Route::post(
            "/{lang}/sections/{slug}/purpose",
            SECTION_STAFF,
            pages::set_purpose,
        )
        .twin(Method::PUT, "/api/v1/sections/{slug}/purpose"),
        Route::get("/api/v1/sections/{slug}", Public, api::get_section),
        Route::post(
            "/api/v1/sections/{slug}/requests",
            SignedIn,
            api::request_join,
        ),
        Route::delete("/api/v1/sections/{slug}/membership", SignedIn, api::leave),
        Route::post(
            "/api/v1/sections/{slug}/requests/{id}",
            SECTION_STAFF,
            api::decide,
        ),
        Route::post(
            "/api/v1/sections/{slug}/announcements",
            SECTION_STAFF,
            api::announce,
        ),
        Route::post(
            "/api/v1/sections/{slug}/materials",
            SECTION_STAFF,
            api::add_material,
        )
        .body_limit(super::MAX_MATERIAL_BYTES + 64 * 1024),
        Route::delete(
            "/api/v1/sections/{slug}/materials/{id}",
            SECTION_STAFF,
            api::delete_material,
        ),
        Route::put(
            "/api/v1/sections/{slug}/purpose",
            SECTION_STAFF,
            api::set_purpose,
        ),
    ]
}

/// The feature's operations in the API document (the composition root joins every feature's).
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    super::api::get_section,
    super::api::request_join,
    super::api::leave,
    super::api::decide,
    super::api::announce,
    super::api::add_material,
    super::api::delete_material,
    super::api::set_purpose,
))]
pub struct Doc;
