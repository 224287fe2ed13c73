//! The admin's status pages: deleting a mistaken entry, and importing a CSV file of statuses
//! (all or nothing, every bad row reported by line). Marking a status is a form on the unit's
//! page (`crate::composed::unit_page`), which shows it again with the problems.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::UnitCode;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::web::extract::{Path, Query};
use crate::web::page::render;
use crate::web::{Ctx, PageCtx};
use crate::work::Actor;

#[derive(Deserialize)]
pub struct StatusPath {
    code: UnitCode,
    id: i64,
}

pub async fn delete_status(
    State(db): State<Db>,
    lang: Lang,
    actor: Actor,
    Path(path): Path<StatusPath>,
) -> AppResult<Response> {
    if !super::actions::delete_status(&db, &actor, &path.code, path.id).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(&format!(
        "/{}/units/{}?done=status-deleted",
        lang.code(),
        path.code
    ))
    .into_response())
}

#[derive(Template)]
#[template(path = "registry/statuses.html")]
struct StatusImportPage {
    p: PageCtx,
    problems: Vec<String>,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct ImportQuery {
    imported: Option<usize>,
}

/// The admin's page for importing statuses from a CSV file.
pub async fn statuses_form(
    lang: Lang,
    ctx: Ctx,
    Query(q): Query<ImportQuery>,
) -> AppResult<Html<String>> {
    let notice = q.imported.map(|n| {
        lang.t_args(
            "statuses-imported",
            &[("count", crate::i18n::Arg::Num(n as i64))],
        )
    });
    render(&StatusImportPage {
        p: PageCtx::new(&ctx, "statuses-title"),
        problems: Vec::new(),
        notice,
    })
}

/// Imports a status CSV: every row or none; every bad row is listed with its line.
pub async fn import_statuses(
    State(db): State<Db>,
    lang: Lang,
    ctx: Ctx,
    actor: Actor,
    multipart: axum::extract::Multipart,
) -> AppResult<Response> {
    let refuse = |problems: Vec<String>| -> AppResult<Response> {
        let page = StatusImportPage {
            p: PageCtx::new(&ctx, "statuses-title"),
            problems,
            notice: None,
        };
        Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
    };
    let text = match crate::web::extract::uploaded_text(multipart).await {
        Ok(text) => text,
        Err(key) => return refuse(vec![lang.t(key)]),
    };
    match super::actions::import_status_file(&db, &actor, &text).await? {
        Ok(n) => Ok(
            Redirect::to(&format!("/{}/admin/statuses?imported={n}", lang.code())).into_response(),
        ),
        Err(refused) => refuse(refused.messages(lang)),
    }
}
