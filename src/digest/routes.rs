//! The routes of the weekly digest and its subscribers, each with who may use it: this feature's part of
//! the permission matrix, which the composition root (`crate::app`) joins into the one table
//! the router and the matrix test walk.

use super::{api, edit_api, edit_pages, pages, send_pages, subscribers, subscription_api};
use crate::web::routes::Access::Public;
use crate::web::routes::EDITORS;
use crate::web::routes::Route;
use axum::http::Method;

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/{lang}/digest", Public, pages::archive),
        Route::get("/{lang}/digest/manage", EDITORS, edit_pages::manage),
        Route::get("/{lang}/digest/{key}/preview", EDITORS, edit_pages::preview),
        Route::get(
            "/{lang}/digest/{key}/mail/{mail_lang}",
            EDITORS,
            edit_pages::mail_html,
        ),
        Route::post("/{lang}/digest/subscribe", Public, subscribers::subscribe)
            .twin(Method::POST, "/api/v1/digest-subscriptions"),
        Route::get("/{lang}/digest/confirm", Public, subscribers::confirm_page).uncached(),
        Route::post("/{lang}/digest/confirm", Public, subscribers::confirm)
            .twin(Method::POST, "/api/v1/digest-subscriptions/confirm"),
        Route::get(
            "/{lang}/digest/subscription/{token}",
            Public,
            subscribers::subscription,
        )
        .uncached(),
        Route::post(
            "/{lang}/digest/subscription/{token}",
            Public,
            subscribers::save_preferences,
        )
        .twin(Method::PUT, "/api/v1/digest-subscriptions/{secret}"),
        Route::post("/unsubscribe/{token}", Public, subscribers::unsubscribe).page_only(
            "one-click unsubscribe (RFC 8058): already a cookieless POST for mail clients",
        ),
        Route::get(
            "/unsubscribe/{token}",
            Public,
            subscribers::unsubscribe_page,
        )
        .uncached(),
        Route::post("/{lang}/digest/new", EDITORS, edit_pages::create)
            .twin(Method::POST, "/api/v1/digests"),
        Route::get("/{lang}/digest/{key}", Public, pages::show),
        Route::get("/{lang}/digest/{key}/edit", EDITORS, edit_pages::edit_form),
        Route::post("/{lang}/digest/{key}/edit", EDITORS, edit_pages::save)
            .twin(Method::PUT, "/api/v1/digests/{date}"),
        Route::post("/{lang}/digest/{key}/add", EDITORS, edit_pages::add)
            .twin(Method::POST, "/api/v1/digests/{date}/entries"),
        Route::post("/{lang}/digest/{key}/publish", EDITORS, edit_pages::publish)
            .twin(Method::POST, "/api/v1/digests/{date}/publish"),
        Route::get("/{lang}/digest/{key}/sending", EDITORS, send_pages::sending),
        Route::post("/{lang}/digest/{key}/send", EDITORS, send_pages::start)
            .twin(Method::POST, "/api/v1/digests/{date}/send"),
        Route::post(
            "/{lang}/digest/{key}/send/retry",
            EDITORS,
            send_pages::retry,
        )
        .twin(Method::POST, "/api/v1/digests/{date}/send/retry"),
        Route::get("/api/v1/digests", Public, api::list),
        Route::post("/api/v1/digests", EDITORS, edit_api::draft),
        Route::put("/api/v1/digests/{date}", EDITORS, edit_api::curate),
        Route::get("/api/v1/digests/{date}/draft", EDITORS, edit_api::get_draft),
        Route::post(
            "/api/v1/digests/{date}/entries",
            EDITORS,
            edit_api::add_entry,
        ),
        Route::post("/api/v1/digests/{date}/publish", EDITORS, edit_api::publish),
        Route::get("/api/v1/digests/{date}", Public, api::get_digest),
        Route::get("/api/v1/digests/{date}/sending", EDITORS, api::sending),
        Route::post("/api/v1/digests/{date}/send", EDITORS, api::send),
        Route::post("/api/v1/digests/{date}/send/retry", EDITORS, api::retry),
        Route::post(
            "/api/v1/digest-subscriptions",
            Public,
            subscription_api::subscribe,
        ),
        Route::post(
            "/api/v1/digest-subscriptions/confirm",
            Public,
            subscription_api::confirm,
        ),
        // The secret in the address is the subscription's: never kept in the page cache.
        Route::get(
            "/api/v1/digest-subscriptions/{secret}",
            Public,
            subscription_api::get_subscription,
        )
        .uncached(),
        Route::put(
            "/api/v1/digest-subscriptions/{secret}",
            Public,
            subscription_api::save_preferences,
        ),
    ]
}

/// The digest's background job: queueing an issue's mail for every subscriber.
pub fn jobs() -> Vec<crate::jobs::JobKind> {
    vec![crate::jobs::JobKind {
        kind: super::send::JOB,
        run: |state, payload| Box::pin(super::send::queue_mail(state, payload)),
    }]
}

/// The feature's operations in the API document (the composition root joins every feature's).
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    super::api::list,
    super::api::get_digest,
    super::api::sending,
    super::api::send,
    super::api::retry,
    super::subscription_api::subscribe,
    super::subscription_api::confirm,
    super::subscription_api::get_subscription,
    super::subscription_api::save_preferences,
    super::edit_api::draft,
    super::edit_api::get_draft,
    super::edit_api::curate,
    super::edit_api::add_entry,
    super::edit_api::publish,
))]
pub struct Doc;
