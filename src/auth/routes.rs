//! The routes of accounts: signing in, the second factor, passwords, tokens and account administration, each with who may use it: this feature's part of
//! the permission matrix, which the composition root (`crate::app`) joins into the one table
//! the router and the matrix test walk.

use super::{account_pages, admin_pages, api, pages};
use crate::web::routes::ADMIN;
use crate::web::routes::Access::{Public, SignedIn, SignedInAny};
use crate::web::routes::Route;
use axum::http::Method;

const SIGNS_IN: &str = "signs a browser in: a program uses an API token";

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/{lang}/login", Public, pages::login_form).uncached(),
        Route::post("/{lang}/login", Public, pages::login).page_only(SIGNS_IN),
        Route::get("/{lang}/login/2fa", SignedInAny, pages::second_factor_form),
        Route::post("/{lang}/login/2fa", SignedInAny, pages::second_factor).page_only(SIGNS_IN),
        Route::post("/{lang}/logout", SignedInAny, pages::logout)
            .page_only("ends a browser's session: a program revokes its token"),
        Route::get("/{lang}/password/forgot", Public, pages::forgot_form).uncached(),
        Route::post("/{lang}/password/forgot", Public, pages::forgot)
            .page_only("mails a link that only a browser follows"),
        Route::get("/{lang}/password/reset", Public, pages::reset_form).uncached(),
        Route::post("/{lang}/password/reset", Public, pages::reset)
            .page_only("the mailed link's form, followed in a browser"),
        Route::get("/{lang}/verify-email", Public, pages::verify_email).uncached(),
        Route::get("/{lang}/account", SignedIn, account_pages::account),
        Route::post(
            "/{lang}/account/password",
            SignedIn,
            account_pages::change_password,
        )
        .twin(Method::PUT, "/api/v1/me/password"),
        Route::post(
            "/{lang}/account/verify-email",
            SignedIn,
            account_pages::resend_verification,
        )
        .twin(Method::POST, "/api/v1/me/verify-email"),
        Route::get(
            "/{lang}/account/2fa",
            SignedInAny,
            account_pages::enrol_form,
        ),
        Route::post("/{lang}/account/2fa", SignedInAny, account_pages::enrol)
            .page_only("enrols the second factor of a browser's session"),
        Route::post(
            "/{lang}/account/tokens",
            SignedIn,
            account_pages::create_token,
        )
        .twin(Method::POST, "/api/v1/tokens"),
        Route::post(
            "/{lang}/account/tokens/{id}/revoke",
            SignedIn,
            account_pages::revoke_token,
        )
        .twin(Method::DELETE, "/api/v1/tokens/{id}"),
        Route::get("/{lang}/admin/users", ADMIN, admin_pages::users),
        Route::post("/{lang}/admin/users", ADMIN, admin_pages::invite_user)
            .twin(Method::POST, "/api/v1/users"),
        Route::get("/{lang}/admin/users/{id}", ADMIN, admin_pages::show),
        Route::post("/{lang}/admin/users/{id}/roles", ADMIN, admin_pages::grant)
            .twin(Method::POST, "/api/v1/users/{id}/roles"),
        Route::post(
            "/{lang}/admin/users/{id}/roles/remove",
            ADMIN,
            admin_pages::revoke,
        )
        .twin(Method::DELETE, "/api/v1/users/{id}/roles/{role}"),
        Route::post(
            "/{lang}/admin/users/{id}/disable",
            ADMIN,
            admin_pages::disable,
        )
        .twin(Method::POST, "/api/v1/users/{id}/disable"),
        Route::post(
            "/{lang}/admin/users/{id}/enable",
            ADMIN,
            admin_pages::enable,
        )
        .twin(Method::POST, "/api/v1/users/{id}/enable"),
        Route::post(
            "/{lang}/admin/users/{id}/reset-2fa",
            ADMIN,
            admin_pages::reset_second_factor,
        )
        .twin(Method::POST, "/api/v1/users/{id}/reset-2fa"),
        Route::get("/api/v1/me", SignedIn, api::me),
        Route::put("/api/v1/me/password", SignedIn, api::change_password),
        Route::post(
            "/api/v1/me/verify-email",
            SignedIn,
            api::resend_verification,
        ),
        Route::get("/api/v1/tokens", SignedIn, api::list_tokens),
        Route::post("/api/v1/tokens", SignedIn, api::create_token),
        Route::delete("/api/v1/tokens/{id}", SignedIn, api::revoke_token),
        Route::get("/api/v1/users", ADMIN, api::list_users),
        Route::post("/api/v1/users", ADMIN, api::create_user),
        Route::get("/api/v1/users/{id}", ADMIN, api::get_user),
        Route::post("/api/v1/users/{id}/roles", ADMIN, api::grant_role),
        Route::delete("/api/v1/users/{id}/roles/{role}", ADMIN, api::revoke_role),
        Route::post("/api/v1/users/{id}/disable", ADMIN, api::disable_user),
        Route::post("/api/v1/users/{id}/enable", ADMIN, api::enable_user),
        Route::post(
            "/api/v1/users/{id}/reset-2fa",
            ADMIN,
            api::reset_second_factor,
        ),
    ]
}

/// The feature's operations in the API document (the composition root joins every feature's).
#[derive(utoipa::OpenApi)]
#[openapi(paths(
    super::api::me,
    super::api::list_tokens,
    super::api::create_token,
    super::api::revoke_token,
    super::api::change_password,
    super::api::resend_verification,
    super::api::list_users,
    super::api::create_user,
    super::api::get_user,
    super::api::grant_role,
    super::api::revoke_role,
    super::api::disable_user,
    super::api::enable_user,
    super::api::reset_second_factor,
))]
pub struct Doc;
