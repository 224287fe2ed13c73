//! The routes of people, their posts and mayor pages, each with who may use it: this feature's part of
//! the permission matrix, which the composition root (`crate::app`) joins into the one table
//! the router and the matrix test walk.

use super::{api, mayor_pages, pages, privacy};
use crate::web::routes::Access::{Public, SignedIn};
use crate::web::routes::Route;
use crate::web::routes::{EDITORS, MEMBER_STAFF};

pub fn routes() -> Vec<Route> {
    vec![
        Route::post(
            "/{lang}/members/{code}/posts",
            MEMBER_STAFF,
            pages::add_post,
        ),
        Route::post("/{lang}/posts/{id}/end", MEMBER_STAFF, pages::end_post),
        Route::get("/{lang}/people/{id}", Public, pages::person),
        Route::post(
            "/{lang}/people/{id}/contacts",
            SignedIn,
            pages::update_contacts,
        ),
        Route::get("/{lang}/people/{id}/mayor", Public, mayor_pages::page),
        Route::get("/{lang}/people/{id}/export", SignedIn, privacy::export),
        Route::get("/{lang}/people/{id}/erase", SignedIn, privacy::erase_form),
        Route::post("/{lang}/people/{id}/erase", SignedIn, privacy::erase),
        Route::get(
            "/{lang}/people/{id}/mayor/edit",
            SignedIn,
            mayor_pages::edit_form,
        ),
        Route::post(
            "/{lang}/people/{id}/mayor/edit",
            SignedIn,
            mayor_pages::save,
        ),
        Route::post(
            "/{lang}/people/{id}/mayor/publish",
            EDITORS,
            mayor_pages::publish,
        ),
        Route::get("/{lang}/mayors/review", EDITORS, mayor_pages::review),
        Route::post(
            "/{lang}/people/{id}/photo",
            SignedIn,
            mayor_pages::upload_photo,
        )
        .body_limit(super::mayor::MAX_PHOTO_BYTES + 64 * 1024),
        Route::post(
            "/{lang}/people/{id}/photo/delete",
            SignedIn,
            mayor_pages::delete_photo,
        ),
        Route::get("/photos/people/{id}", Public, mayor_pages::photo),
        Route::get(
            "/{lang}/people/email/verify",
            Public,
            pages::verify_email_form,
        )
        .uncached(),
        Route::post("/{lang}/people/email/verify", Public, pages::verify_email),
        Route::get(
            "/{lang}/people/email/verified",
            Public,
            pages::email_verified,
        ),
        Route::get(
            "/photos/people/{id}/waiting",
            SignedIn,
            mayor_pages::photo_waiting,
        ),
        Route::get("/api/v1/people", Public, api::list),
        Route::get("/api/v1/people/{id}", Public, api::get_person),
    ]
}
