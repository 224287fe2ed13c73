//! The routes of the composed pages, each with who may use it: their part of the permission
//! matrix, which the composition root (`crate::app`) joins into the one table the router and
//! the matrix test walk.

use axum::http::Method;

use super::{member_page, unit_page};
use crate::web::routes::Access::Public;
use crate::web::routes::Route;
use crate::web::routes::{ADMIN, MEMBER_STAFF};

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
        ),
        Route::post("/{lang}/members/{code}/end", MEMBER_STAFF, member_page::end),
    ]
}
