//! The routes of the Mayors' Club, each with who may use it: this feature's part of
//! the permission matrix, which the composition root (`crate::app`) joins into the one table
//! the router and the matrix test walk.

use super::{api, member_api, member_pages, pages, person_api, review_pages};
use crate::web::routes::Access::{Public, SignedIn};
use crate::web::routes::Route;
use crate::web::routes::{ADMIN, CLUB_CHAIR, CLUB_COMMITTEE, EDITORS};
use axum::http::Method;

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/{lang}/club/apply", Public, pages::apply_form),
        Route::post("/{lang}/club/apply", Public, pages::apply)
            .twin(Method::POST, "/api/v1/club/applications"),
        Route::get("/{lang}/club/review", CLUB_COMMITTEE, review_pages::list),
        Route::get(
            "/{lang}/club/review/{id}",
            CLUB_COMMITTEE,
            review_pages::show,
        ),
        Route::post(
            "/{lang}/club/review/{id}",
            CLUB_COMMITTEE,
            review_pages::review,
        )
        .twin(Method::POST, "/api/v1/club/applications/{id}/reviews"),
        Route::get(
            "/{lang}/club/applications/{token}",
            Public,
            pages::application,
        )
        .uncached(),
        Route::post(
            "/{lang}/club/applications/{token}/answer",
            Public,
            pages::answer,
        )
        .twin(Method::POST, "/api/v1/club/answers"),
        Route::post(
            "/{lang}/club/review/{id}/decision",
            CLUB_CHAIR,
            review_pages::decide,
        )
        .twin(Method::POST, "/api/v1/club/applications/{id}/decision"),
        Route::get("/{lang}/club/apply/sent", Public, pages::apply_sent),
        Route::post(
            "/{lang}/club/review/{id}/match",
            CLUB_COMMITTEE,
            review_pages::confirm_match,
        )
        .twin(Method::POST, "/api/v1/club/applications/{id}/match"),
        Route::get("/{lang}/club/link", Public, pages::link_form).uncached(),
        Route::post("/{lang}/club/link", Public, pages::confirm_link)
            .twin(Method::POST, "/api/v1/club/link-confirmations"),
        Route::get("/{lang}/club", Public, member_pages::club),
        Route::get("/{lang}/club/me", SignedIn, member_pages::me),
        Route::post(
            "/{lang}/club/me/listing",
            SignedIn,
            member_pages::set_listed,
        )
        .twin(Method::PUT, "/api/v1/club/me/listing"),
        Route::post("/{lang}/club/me/resign", SignedIn, member_pages::resign)
            .twin(Method::DELETE, "/api/v1/club/me"),
        Route::post(
            "/{lang}/club/me/delegates",
            SignedIn,
            member_pages::name_delegate,
        )
        .twin(Method::POST, "/api/v1/club/me/delegates"),
        Route::post(
            "/{lang}/club/me/delegates/{id}/revoke",
            SignedIn,
            member_pages::revoke_delegate,
        )
        .twin(Method::DELETE, "/api/v1/club/me/delegates/{id}"),
        Route::get("/{lang}/admin/club", ADMIN, review_pages::settings),
        Route::post("/{lang}/admin/club", ADMIN, review_pages::save_settings)
            .twin(Method::PUT, "/api/v1/club/settings"),
        Route::get("/api/v1/club/applications", CLUB_COMMITTEE, api::list),
        Route::post("/api/v1/club/applications", Public, api::create),
        Route::get(
            "/api/v1/club/applications/{id}",
            CLUB_COMMITTEE,
            api::get_application,
        ),
        Route::post(
            "/api/v1/club/applications/{id}/reviews",
            CLUB_COMMITTEE,
            api::review,
        ),
        Route::post(
            "/api/v1/club/applications/{id}/decision",
            CLUB_CHAIR,
            api::decide,
        ),
        Route::post(
            "/api/v1/club/applications/{id}/match",
            CLUB_COMMITTEE,
            api::confirm_match,
        ),
        Route::get("/api/v1/club/members", Public, api::members),
        Route::post("/api/v1/club/answers", Public, api::answer),
        Route::post("/api/v1/club/link-confirmations", Public, api::confirm_link),
        Route::put("/api/v1/club/settings", ADMIN, api::update_settings),
        Route::get("/api/v1/club/me", SignedIn, member_api::get_own),
        Route::delete("/api/v1/club/me", SignedIn, member_api::resign),
        Route::put("/api/v1/club/me/listing", SignedIn, member_api::set_listing),
        Route::post(
            "/api/v1/club/me/delegates",
            SignedIn,
            member_api::name_delegate,
        ),
        Route::delete(
            "/api/v1/club/me/delegates/{id}",
            SignedIn,
            member_api::revoke_delegate,
        ),
        // The twins of a person's composed pages (`crate::composed`): the mayor's page, its
        // photo, erasure.
        Route::get(
            "/api/v1/people/{id}/mayor-page",
            SignedIn,
            person_api::get_page,
        ),
        Route::put(
            "/api/v1/people/{id}/mayor-page",
            SignedIn,
            person_api::save_page,
        ),
        Route::post(
            "/api/v1/people/{id}/mayor-page/publish",
            EDITORS,
            person_api::publish_page,
        ),
        Route::put("/api/v1/people/{id}/photo", SignedIn, person_api::put_photo)
            .body_limit(crate::people::mayor::MAX_PHOTO_BYTES + 64 * 1024),
        Route::delete(
            "/api/v1/people/{id}/photo",
            SignedIn,
            person_api::delete_photo,
        ),
        Route::post("/api/v1/people/{id}/erasure", SignedIn, person_api::erase),
    ]
}

/// The feature's operations in the API document (the composition root joins every feature's).
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    super::api::create,
    super::api::list,
    super::api::get_application,
    super::api::review,
    super::api::decide,
    super::api::confirm_match,
    super::api::members,
    super::api::answer,
    super::api::confirm_link,
    super::api::update_settings,
    super::member_api::get_own,
    super::member_api::set_listing,
    super::member_api::resign,
    super::member_api::name_delegate,
    super::member_api::revoke_delegate,
    super::person_api::get_page,
    super::person_api::save_page,
    super::person_api::publish_page,
    super::person_api::put_photo,
    super::person_api::delete_photo,
    super::person_api::erase,
))]
pub struct Doc;
