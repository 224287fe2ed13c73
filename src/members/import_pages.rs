//! Staff's member import: a CSV of communities joining, all rows or none, every bad row named
//! with its line and the rule it breaks.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::actions;
use super::pages::office_name;
use super::repo;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::i18n::{Arg, Lang};
use crate::state::AppState;
use crate::web::extract::Query;
use crate::web::page::render;
use crate::web::{Ctx, PageCtx};

#[derive(Template)]
#[template(path = "members/import.html")]
struct ImportPage {
    p: PageCtx,
    problems: Vec<String>,
    notice: Option<String>,
    offices: Vec<(String, String)>,
}

#[derive(Deserialize, Default)]
pub struct ImportQuery {
    imported: Option<usize>,
}

async fn import_page(
    db: &Db,
    ctx: &Ctx,
    problems: Vec<String>,
    notice: Option<String>,
    status: StatusCode,
) -> AppResult<Response> {
    let offices = repo::offices(db).await?;
    let manageable = offices
        .iter()
        .filter(|o| {
            ctx.principal
                .as_ref()
                .is_some_and(|p| actions::may_manage(p, o))
        })
        .map(|o| (o.slug.clone(), office_name(o, ctx.lang).to_string()))
        .collect();
    let page = ImportPage {
        p: PageCtx::new(ctx, "members-import-title"),
        problems,
        notice,
        offices: manageable,
    };
    Ok((status, render(&page)?).into_response())
}

/// Staff's page for importing members from a CSV file.
pub async fn import_form(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Query(q): Query<ImportQuery>,
) -> AppResult<Response> {
    let notice = q
        .imported
        .map(|n| lang.t_args("members-imported", &[("count", Arg::Num(n as i64))]));
    import_page(&state.db, &ctx, Vec::new(), notice, StatusCode::OK).await
}

/// Imports members from a CSV file: all rows or none, every bad row reported by line.
pub async fn import(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    multipart: axum::extract::Multipart,
) -> AppResult<Response> {
    let refused = StatusCode::UNPROCESSABLE_ENTITY;
    let text = match crate::web::extract::uploaded_text(multipart).await {
        Ok(text) => text,
        Err(key) => return import_page(&state.db, &ctx, vec![lang.t(key)], None, refused).await,
    };
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let snap = crate::registry::snapshot::current(&state).await?;
    match actions::import_file(&state.db, &snap, principal, &ctx.ip, &text).await? {
        Ok(n) => Ok(
            Redirect::to(&format!("/{}/members/import?imported={n}", lang.code())).into_response(),
        ),
        Err(why) => import_page(&state.db, &ctx, why.messages(lang), None, refused).await,
    }
}
