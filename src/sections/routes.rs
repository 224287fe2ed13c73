//! The routes of professional sections, each with who may use it: this feature's part of
//! the permission matrix, which the composition root (`crate::app`) joins into the one table
//! the router and the matrix test walk.

use super::{api, pages};
use crate::web::routes::Access::{Public, SignedIn};
use crate::web::routes::Route;
use crate::web::routes::SECTION_STAFF;

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/{lang}/sections/{slug}", Public, pages::page),
        Route::post("/{lang}/sections/{slug}/join", SignedIn, pages::join),
        Route::post("/{lang}/sections/{slug}/leave", SignedIn, pages::leave),
        Route::post(
            "/{lang}/sections/{slug}/requests/{id}",
            SECTION_STAFF,
            pages::decide,
        ),
        Route::post(
            "/{lang}/sections/{slug}/announcements",
            SECTION_STAFF,
            pages::announce,
        ),
        Route::post(
            "/{lang}/sections/{slug}/materials",
            SECTION_STAFF,
            pages::upload,
        )
        .body_limit(super::MAX_MATERIAL_BYTES + 64 * 1024),
        Route::get(
            "/{lang}/sections/{slug}/materials/{id}",
            SignedIn,
            pages::download,
        ),
        Route::post(
            "/{lang}/sections/{slug}/materials/{id}/delete",
            SECTION_STAFF,
            pages::delete_material,
        ),
        Route::post(
            "/{lang}/sections/{slug}/purpose",
            SECTION_STAFF,
            pages::set_purpose,
        ),
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
