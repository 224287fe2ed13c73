//! The home page and the language roots.

use askama::Template;
use axum::response::{Html, Redirect};

use super::{Ctx, PageCtx};
use crate::error::AppResult;
use crate::i18n::Lang;

/// `/` → `/uk/`: Ukrainian is the default, whatever the browser prefers.
pub async fn root() -> Redirect {
    Redirect::to("/uk/")
}

pub async fn lang_root(lang: Lang) -> Redirect {
    Redirect::permanent(&format!("/{}/", lang.code()))
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    p: PageCtx,
}

pub async fn home(_lang: Lang, ctx: Ctx) -> AppResult<Html<String>> {
    let page = HomePage {
        p: PageCtx::new(&ctx, "home-title"),
    };
    super::page::render(&page)
}
