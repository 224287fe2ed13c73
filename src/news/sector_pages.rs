//! Admins manage the sectors: names in both languages and their order (the order of the
//! digest's groups), and new sectors.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::repo;
use super::sectors::{self, NewSector, SectorEdit};
use crate::db::Db;
use crate::error::AppResult;
use crate::i18n::Lang;
use crate::web::extract::{Form, Query};
use crate::web::page::DoneQuery;
use crate::web::page::render;
use crate::web::{Ctx, PageCtx};
use crate::work::Actor;

#[derive(Template)]
#[template(path = "news/sectors.html")]
struct SectorsPage {
    p: PageCtx,
    sectors: Vec<repo::SectorRow>,
    notice: Option<String>,
}

pub async fn page(
    State(db): State<Db>,
    lang: Lang,
    ctx: Ctx,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    Ok(render(&SectorsPage {
        p: PageCtx::new(&ctx, "sectors-title"),
        sectors: repo::sectors(&db).await?,
        notice: q
            .done
            .as_deref()
            .filter(|d| ["saved", "added"].contains(d))
            .map(|d| lang.t(&format!("sectors-done-{d}"))),
    })?
    .into_response())
}

/// Saves every sector's names and order (a smaller number comes first).
pub async fn save(
    State(db): State<Db>,
    lang: Lang,
    actor: Actor,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let get = |k: String| {
        pairs
            .iter()
            .find(|(key, _)| *key == k)
            .map(|(_, v)| v.trim().to_string())
    };
    // Every sector the page shows, with what its form sent (a position that is no number
    // is out of range for the use case).
    let edits: Vec<SectorEdit> = repo::sectors(&db)
        .await?
        .iter()
        .map(|s| SectorEdit {
            id: s.id,
            name_uk: get(format!("name_uk_{}", s.id)),
            name_en: get(format!("name_en_{}", s.id)),
            position: get(format!("position_{}", s.id)).map(|p| p.parse().unwrap_or(-1)),
        })
        .collect();
    sectors::save(&db, actor, &edits).await?;
    Ok(Redirect::to(&format!("/{}/admin/news-sectors?done=saved", lang.code())).into_response())
}

#[derive(Deserialize, Default)]
pub struct NewSectorForm {
    #[serde(default)]
    slug: String,
    #[serde(default)]
    name_uk: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    campaign: Option<String>,
}

/// Adds a sector at the end of the order.
pub async fn add(
    State(db): State<Db>,
    lang: Lang,
    actor: Actor,
    Form(form): Form<NewSectorForm>,
) -> AppResult<Response> {
    let new = NewSector {
        slug: form.slug,
        name_uk: form.name_uk,
        name_en: form.name_en,
        campaign: form.campaign.is_some(),
    };
    sectors::add(&db, actor, &new).await?;
    Ok(Redirect::to(&format!("/{}/admin/news-sectors?done=added", lang.code())).into_response())
}
