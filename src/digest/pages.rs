//! Public digest pages: the archive by year and one digest per language, addressed by its last
//! day (`/uk/digest/2025-02-14`), laid out by [`super::view`] as the mail and the PDF are.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use super::view::{View, view};
use super::{range_label, repo};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::web::page::render;
use crate::web::{Ctx, PageCtx};

/// A digest in the archive: (link, title, range).
type ArchiveLine = (String, String, String);

#[derive(Template)]
#[template(path = "digest/archive.html")]
struct ArchivePage {
    p: PageCtx,
    years: Vec<(i32, Vec<ArchiveLine>)>,
}

pub async fn archive(State(db): State<Db>, lang: Lang, ctx: Ctx) -> AppResult<Response> {
    let mut years: Vec<(i32, Vec<ArchiveLine>)> = Vec::new();
    for d in repo::digests(&db, true).await? {
        let line = (
            format!("/{}/digest/{}", lang.code(), d.ends_on),
            match lang {
                Lang::Uk => d.title_uk.clone(),
                Lang::En => d.title_en.clone(),
            },
            range_label(d.starts_on, d.ends_on, lang),
        );
        match years.last_mut() {
            Some((y, list)) if *y == d.ends_on.year() => list.push(line),
            _ => years.push((d.ends_on.year(), vec![line])),
        }
    }
    Ok(render(&ArchivePage {
        p: PageCtx::new(&ctx, "digest-title"),
        years,
    })?
    .into_response())
}

#[derive(Template)]
#[template(path = "digest/digest.html")]
struct DigestPage {
    p: PageCtx,
    v: View,
    is_demo: bool,
    pdf_href: String,
}

#[derive(Deserialize)]
pub struct KeyPath {
    key: String,
}

/// A published digest, by its last day.
pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<KeyPath>,
) -> AppResult<Response> {
    let (date, pdf) = match path.key.strip_suffix(".pdf") {
        Some(date) => (date, true),
        None => (path.key.as_str(), false),
    };
    let day = NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|_| AppError::NotFound)?;
    let d = repo::published_by_end(&state.db, day)
        .await?
        .ok_or(AppError::NotFound)?;
    let v = view(&state, &d, lang).await?;
    if pdf {
        let bytes = state
            .part::<super::pdf::Cache>()
            .get(&v, lang, d.is_demo)
            .await
            .map_err(AppError::Internal)?;
        let name = format!("hromada-digest-{}-{}.pdf", d.ends_on, lang.code());
        return Ok((
            [
                (header::CONTENT_TYPE, "application/pdf".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("inline; filename=\"{name}\""),
                ),
                (header::CACHE_CONTROL, "public, max-age=300".to_string()),
            ],
            bytes.to_vec(),
        )
            .into_response());
    }
    Ok(render(&DigestPage {
        pdf_href: format!("/{}/digest/{}.pdf", lang.code(), d.ends_on),
        p: PageCtx::new(&ctx, "digest-title").with_title(v.title.clone()),
        v,
        is_demo: d.is_demo,
    })?
    .into_response())
}
