//! The routes of the composed pages, each with who may use it: their part of the permission
//! matrix, which the composition root (`crate::app`) joins into the one table the router and
//! the matrix test walk.

use axum::http::Method;

use super::{mayor_pages, member_page, person_page, privacy, unit_page};
use crate::web::routes::Access::{Public, SignedIn};
use crate::web::routes::Route;
use crate::web::routes::{ADMIN, EDITORS, MEMBER_STAFF};

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/{lang}/units/{code}", Public, unit_page::show),
        Route::post(
            "/{lang}/units/{code}/statuses",
            ADMIN,
            unit_page::add_status,
        )
        .twin(Method::POST, "/api/v1/units/{code}/statuses"),
        Route::get("/{lang}/members/{code}", Public, member_page::member),
        Route::post(
            "/{lang}/members/{code}/join",
            MEMBER_STAFF,
            member_page::join,
        )
        .twin(Method::POST, "/api/v1/members/{code}/join"),
        Route::post("/{lang}/members/{code}/end", MEMBER_STAFF, member_page::end)
            .twin(Method::POST, "/api/v1/members/{code}/end"),
        Route::get("/{lang}/people/{id}", Public, person_page::person),
        Route::get("/{lang}/people/{id}/mayor", Public, mayor_pages::page),
        Route::get("/{lang}/people/{id}/export", SignedIn, privacy::export),
        Route::get("/{lang}/people/{id}/erase", SignedIn, privacy::erase_form),
        Route::post("/{lang}/people/{id}/erase", SignedIn, privacy::erase)
            .twin(Method::POST, "/api/v1/people/{id}/erasure"),
        Route::get(
            "/{lang}/people/{id}/mayor/edit",
            SignedIn,
            mayor_pages::edit_form,
        ),
        Route::post(
            "/{lang}/people/{id}/mayor/edit",
            SignedIn,
            mayor_pages::save,
        )
        .twin(Method::PUT, "/api/v1/people/{id}/mayor-page"),
        Route::post(
            "/{lang}/people/{id}/mayor/publish",
            EDITORS,
            mayor_pages::publish,
        )
        .twin(Method::POST, "/api/v1/people/{id}/mayor-page/publish"),
        Route::get("/{lang}/mayors/review", EDITORS, mayor_pages::review),
        Route::post(
            "/{lang}/people/{id}/photo",
            SignedIn,
            mayor_pages::upload_photo,
        )
        .body_limit(crate::people::mayor::MAX_PHOTO_BYTES + 64 * 1024)
        .twin(Method::PUT, "/api/v1/people/{id}/photo"),
        Route::post(
            "/{lang}/people/{id}/photo/delete",
            SignedIn,
            mayor_pages::delete_photo,
        )
        .twin(Method::DELETE, "/api/v1/people/{id}/photo"),
        Route::get("/photos/people/{id}", Public, mayor_pages::photo),
        Route::get(
            "/photos/people/{id}/waiting",
            SignedIn,
            mayor_pages::photo_waiting,
        ),
    ]
}
