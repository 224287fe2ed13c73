//! The routes of news, each with who may use it: this feature's part of
//! the permission matrix, which the composition root (`crate::app`) joins into the one table
//! the router and the matrix test walk.

use super::api::NewsInRules;
use super::{api, covers, edit_pages, feeds, pages, sector_api, sector_pages};
use crate::web::routes::Access::Public;
use crate::web::routes::Route;
use crate::web::routes::{ADMIN, EDITORS};
use axum::http::Method;

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/{lang}/news", Public, pages::list),
        Route::get("/{lang}/admin/news-sectors", ADMIN, sector_pages::page),
        Route::post("/{lang}/admin/news-sectors", ADMIN, sector_pages::save)
            .twin(Method::PUT, "/api/v1/news-sectors"),
        Route::post("/{lang}/admin/news-sectors/new", ADMIN, sector_pages::add)
            .twin(Method::POST, "/api/v1/news-sectors"),
        Route::get("/api/v1/news-sectors", Public, sector_api::list),
        Route::put("/api/v1/news-sectors", ADMIN, sector_api::save),
        Route::post("/api/v1/news-sectors", ADMIN, sector_api::add),
        Route::get("/{lang}/news/feed.atom", Public, feeds::feed),
        Route::get("/sitemap.xml", Public, feeds::sitemap_index),
        Route::get("/sitemaps/{part}", Public, feeds::sitemap_part),
        Route::get("/{lang}/news/manage", EDITORS, edit_pages::manage),
        Route::get("/{lang}/news/new", EDITORS, edit_pages::new_form),
        Route::post("/{lang}/news/new", EDITORS, edit_pages::create)
            .twin(Method::POST, "/api/v1/news"),
        Route::get("/{lang}/news/{id}", Public, pages::item),
        Route::get("/{lang}/news/{id}/edit", EDITORS, edit_pages::edit_form),
        Route::post("/{lang}/news/{id}/edit", EDITORS, edit_pages::update)
            .twin(Method::PUT, "/api/v1/news/{id}"),
        Route::post("/{lang}/news/{id}/move", EDITORS, edit_pages::move_item)
            .twin(Method::POST, "/api/v1/news/{id}/move"),
        Route::post("/{lang}/news/{id}/cover", EDITORS, covers::upload)
            .body_limit(crate::web::images::MAX_UPLOAD_BYTES + 64 * 1024)
            .twin(Method::PUT, "/api/v1/news/{id}/cover"),
        Route::post("/{lang}/news/{id}/cover/delete", EDITORS, covers::delete)
            .twin(Method::DELETE, "/api/v1/news/{id}/cover"),
        Route::get("/covers/news/{id}", Public, covers::image),
        Route::get("/api/v1/news", Public, api::list),
        Route::post("/api/v1/news", EDITORS, api::create),
        Route::put("/api/v1/news/{id}/cover", EDITORS, api::put_cover)
            .body_limit(crate::web::images::MAX_UPLOAD_BYTES + 64 * 1024),
        Route::delete("/api/v1/news/{id}/cover", EDITORS, api::delete_cover),
        Route::get("/api/v1/news/{id}", Public, api::get_item),
        Route::put("/api/v1/news/{id}", EDITORS, api::update),
        Route::post("/api/v1/news/{id}/publish", EDITORS, api::publish),
        Route::post("/api/v1/news/{id}/withdraw", EDITORS, api::withdraw),
        Route::post("/api/v1/news/{id}/move", EDITORS, api::move_item),
    ]
}

/// The feature's operations in the API document (the composition root joins every feature's).
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        super::api::list,
        super::api::get_item,
        super::api::create,
        super::api::update,
        super::api::publish,
        super::api::withdraw,
        super::api::move_item,
        super::api::put_cover,
        super::api::delete_cover,
        super::sector_api::list,
        super::sector_api::save,
        super::sector_api::add,
    ),
    modifiers(&NewsInRules),
)]
pub struct Doc;
