//! Admins manage the sectors: names in both languages and their order (the order of the
//! digest's groups), and new sectors.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;

use super::repo;
use crate::auth::{Actor, now};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::web::extract::{Form, Query};
use crate::web::page::DoneQuery;
use crate::web::page::render;
use crate::web::{AppState, Ctx, PageCtx};

#[derive(Template)]
#[template(path = "news/sectors.html")]
struct SectorsPage {
    p: PageCtx,
    sectors: Vec<repo::SectorRow>,
    notice: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    Ok(render(&SectorsPage {
        p: PageCtx::new(&ctx, "sectors-title"),
        sectors: repo::sectors(&state.db).await?,
        notice: q
            .done
            .as_deref()
            .filter(|d| ["saved", "added"].contains(d))
            .map(|d| lang.t(&format!("sectors-done-{d}"))),
    })?
    .into_response())
}

fn check_name(name: &str) -> bool {
    let n = name.trim().chars().count();
    (1..=120).contains(&n)
}

/// Saves every sector's names and order (a smaller number comes first).
pub async fn save(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let get = |k: String| {
        pairs
            .iter()
            .find(|(key, _)| *key == k)
            .map(|(_, v)| v.trim().to_string())
    };
    let sectors = repo::sectors(&state.db).await?;
    let mut changes = Vec::new();
    let mut errors = Vec::new();
    for s in &sectors {
        let uk = get(format!("name_uk_{}", s.id)).unwrap_or_else(|| s.name_uk.clone());
        let en = get(format!("name_en_{}", s.id)).unwrap_or_else(|| s.name_en.clone());
        if !check_name(&uk) || !check_name(&en) {
            errors.push(("name".to_string(), "sectors-error-name".to_string()));
        }
        let position = match get(format!("position_{}", s.id)) {
            Some(p) => p.parse::<i64>().ok().filter(|n| (0..=1000).contains(n)),
            None => Some(s.position),
        };
        match position {
            Some(p) => changes.push((s.id, uk, en, p)),
            None => errors.push(("position".to_string(), "digest-error-position".to_string())),
        }
    }
    if !errors.is_empty() {
        errors.dedup();
        return Err(AppError::Invalid(errors));
    }
    let now = now();
    let mut tx = state.db.begin().await?;
    for (id, uk, en, position) in &changes {
        repo::update_sector(&mut tx, *id, uk, en, *position).await?;
    }
    crate::audit::repo::record(
        &mut tx,
        &Actor::of(principal, &ctx.ip),
        "update",
        "news_sectors",
        "all",
        json!({ "sectors": changes.iter().map(|(id, uk, en, p)| json!({"id": id, "uk": uk, "en": en, "position": p})).collect::<Vec<_>>() }),
        now,
    )
    .await?;
    super::actions::bump_revision(&mut tx, now).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/{}/admin/news-sectors?done=saved", lang.code())).into_response())
}

#[derive(Deserialize, Default)]
pub struct NewSector {
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
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Form(form): Form<NewSector>,
) -> AppResult<Response> {
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let slug = form.slug.trim().to_lowercase();
    let mut errors = Vec::new();
    let slug_ok = (2..=40).contains(&slug.len())
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && slug != super::super::digest::TOP;
    if !slug_ok {
        errors.push(("slug".to_string(), "sectors-error-slug".to_string()));
    }
    if !check_name(&form.name_uk) || !check_name(&form.name_en) {
        errors.push(("name_uk".to_string(), "sectors-error-name".to_string()));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let sectors = repo::sectors(&state.db).await?;
    if sectors.iter().any(|s| s.slug == slug) {
        return Err(AppError::Conflict("sectors-error-taken"));
    }
    let position = sectors.len() as i64 + 1;
    let now = now();
    let mut tx = state.db.begin().await?;
    repo::insert_sector(
        &mut tx,
        &slug,
        form.name_uk.trim(),
        form.name_en.trim(),
        position,
        form.campaign.is_some(),
    )
    .await?;
    crate::audit::repo::record(
        &mut tx,
        &Actor::of(principal, &ctx.ip),
        "create",
        "news_sectors",
        &slug,
        json!({ "uk": form.name_uk.trim(), "en": form.name_en.trim() }),
        now,
    )
    .await?;
    super::actions::bump_revision(&mut tx, now).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/{}/admin/news-sectors?done=added", lang.code())).into_response())
}
