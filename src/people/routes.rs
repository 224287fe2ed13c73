//! The routes of people and their posts, each with who may use it: this feature's part of
//! the permission matrix, which the composition root (`crate::app`) joins into the one table
//! the router and the matrix test walk.

use axum::http::Method;

use super::{api, edit_api, pages};
use crate::web::routes::Access::{Public, SignedIn};
use crate::web::routes::MEMBER_STAFF;
use crate::web::routes::Route;

pub fn routes() -> Vec<Route> {
    vec![
        Route::post(
            "/{lang}/members/{code}/posts",
            MEMBER_STAFF,
            pages::add_post,
        )
        .twin(Method::POST, "/api/v1/members/{code}/posts"),
        Route::post("/{lang}/posts/{id}/end", MEMBER_STAFF, pages::end_post)
            .twin(Method::POST, "/api/v1/posts/{id}/end"),
        // A person's page, their mayor's page, data download and erasure:
        // `crate::composed::routes`.
        Route::post(
            "/{lang}/people/{id}/contacts",
            SignedIn,
            pages::update_contacts,
        )
        .twin(Method::PUT, "/api/v1/people/{id}/contacts"),
        Route::get(
            "/{lang}/people/email/verify",
            Public,
            pages::verify_email_form,
        )
        .uncached(),
        Route::post("/{lang}/people/email/verify", Public, pages::verify_email)
            .twin(Method::POST, "/api/v1/people/email-verifications"),
        Route::get(
            "/{lang}/people/email/verified",
            Public,
            pages::email_verified,
        ),
        Route::get("/api/v1/people", Public, api::list),
        Route::get("/api/v1/people/{id}", Public, api::get_person),
        Route::post(
            "/api/v1/members/{code}/posts",
            MEMBER_STAFF,
            edit_api::record_post,
        ),
        Route::post("/api/v1/posts/{id}/end", MEMBER_STAFF, edit_api::end_post),
        Route::put(
            "/api/v1/people/{id}/contacts",
            SignedIn,
            edit_api::update_contacts,
        ),
        Route::post(
            "/api/v1/people/email-verifications",
            Public,
            edit_api::verify_email,
        ),
    ]
}

/// The feature's operations in the API document (the composition root joins every feature's).
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    super::api::list,
    super::api::get_person,
    super::edit_api::record_post,
    super::edit_api::end_post,
    super::edit_api::update_contacts,
    super::edit_api::verify_email,
))]
pub struct Doc;
