//! The routes of accounts: signing in, the second factor, passwords, tokens and account administration, each with who may use it: this feature's part of
//! the permission matrix, which the composition root (`crate::app`) joins into the one table
//! the router and the matrix test walk.

use super::{account_pages, admin_pages, api, pages};
use crate::web::routes::ADMIN;
use crate::web::routes::Access::{Public, SignedIn, SignedInAny};
use crate::web::routes::Route;

pub fn routes() -> Vec<Route> {
    vec![
        Route::get("/{lang}/login", Public, pages::login_form).uncached(),
        Route::post("/{lang}/login", Public, pages::login),
        Route::get("/{lang}/login/2fa", SignedInAny, pages::second_factor_form),
        Route::post("/{lang}/login/2fa", SignedInAny, pages::second_factor),
        Route::post("/{lang}/logout", SignedInAny, pages::logout),
        Route::get("/{lang}/password/forgot", Public, pages::forgot_form).uncached(),
        Route::post("/{lang}/password/forgot", Public, pages::forgot),
        Route::get("/{lang}/password/reset", Public, pages::reset_form).uncached(),
        Route::post("/{lang}/password/reset", Public, pages::reset),
        Route::get("/{lang}/verify-email", Public, pages::verify_email).uncached(),
        Route::get("/{lang}/account", SignedIn, account_pages::account),
        Route::post(
            "/{lang}/account/password",
            SignedIn,
            account_pages::change_password,
        ),
        Route::post(
            "/{lang}/account/verify-email",
            SignedIn,
            account_pages::resend_verification,
        ),
        Route::get(
            "/{lang}/account/2fa",
            SignedInAny,
            account_pages::enrol_form,
        ),
        Route::post("/{lang}/account/2fa", SignedInAny, account_pages::enrol),
        Route::post(
            "/{lang}/account/tokens",
            SignedIn,
            account_pages::create_token,
        ),
        Route::post(
            "/{lang}/account/tokens/{id}/revoke",
            SignedIn,
            account_pages::revoke_token,
        ),
        Route::get("/{lang}/admin/users", ADMIN, admin_pages::users),
        Route::post("/{lang}/admin/users", ADMIN, admin_pages::invite_user),
        Route::get("/{lang}/admin/users/{id}", ADMIN, admin_pages::show),
        Route::post("/{lang}/admin/users/{id}/roles", ADMIN, admin_pages::grant),
        Route::post(
            "/{lang}/admin/users/{id}/roles/remove",
            ADMIN,
            admin_pages::revoke,
        ),
        Route::post(
            "/{lang}/admin/users/{id}/disable",
            ADMIN,
            admin_pages::disable,
        ),
        Route::post(
            "/{lang}/admin/users/{id}/enable",
            ADMIN,
            admin_pages::enable,
        ),
        Route::post(
            "/{lang}/admin/users/{id}/reset-2fa",
            ADMIN,
            admin_pages::reset_second_factor,
        ),
        Route::get("/api/v1/me", SignedIn, api::me),
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
