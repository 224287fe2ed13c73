//! The routes of the site itself: the home page, the stylesheet, health: the site's own part of the permission matrix,
//! which the composition root (`crate::app`) joins with every feature's.

use super::{home, ops};
use crate::web::routes::Access::Public;
use crate::web::routes::Route;

pub fn site() -> Vec<Route> {
    vec![
        Route::get("/", Public, home::root),
        Route::get("/{lang}", Public, home::lang_root),
        Route::get("/{lang}/", Public, home::home),
        Route::get("/static/{file}", Public, ops::stylesheet),
        Route::get("/healthz", Public, ops::healthz).uncached(),
    ]
}
