//! Regional offices' pages: the list with the oblasts each covers and its members, one office,
//! and the admin's forms to add an office and change its details and oblasts.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::Period;
use super::offices::{self, OfficeDraft};
use super::pages::office_name;
use super::repo::{self, Office};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::registry::snapshot::Snapshot;
use crate::state::AppState;
use crate::web::extract::Form;
use crate::web::page::render;
use crate::web::{Ctx, PageCtx};

pub struct OfficeLine {
    pub slug: String,
    pub name: String,
    pub oblasts: String,
    pub members: usize,
    pub head: String,
    pub is_demo: bool,
}

#[derive(Template)]
#[template(path = "members/offices.html")]
struct OfficesPage {
    p: PageCtx,
    offices: Vec<OfficeLine>,
    /// For the admin's form: (code, title, ticked).
    oblasts: Vec<(String, String, bool)>,
    office: Office,
    action: String,
}

/// The first-level units for an office form, ticked where `office_id` covers them.
fn oblast_choices(
    snap: &Snapshot,
    office_oblasts: &[(String, i64)],
    office_id: i64,
    lang: Lang,
) -> Vec<(String, String, bool)> {
    snap.roots()
        .iter()
        .map(|&i| {
            let code = snap.node(i).code.clone();
            let ticked = office_oblasts
                .iter()
                .any(|(c, id)| *c == code && *id == office_id);
            (code, snap.node(i).title(lang), ticked)
        })
        .collect()
}

fn blank_office() -> Office {
    Office {
        id: 0,
        slug: String::new(),
        name_uk: String::new(),
        name_en: String::new(),
        head_name: String::new(),
        email: String::new(),
        phone: String::new(),
        address: String::new(),
        is_demo: false,
    }
}

fn office_lines(
    snap: &Snapshot,
    offices: &[Office],
    office_oblasts: &[(String, i64)],
    periods: &[Period],
    lang: Lang,
) -> Vec<OfficeLine> {
    let today = crate::clock::today();
    offices
        .iter()
        .map(|o| OfficeLine {
            slug: o.slug.clone(),
            name: office_name(o, lang).to_string(),
            oblasts: office_oblasts
                .iter()
                .filter(|(_, id)| *id == o.id)
                .filter_map(|(code, _)| snap.find(code).map(|i| snap.node(i).title(lang)))
                .collect::<Vec<_>>()
                .join(", "),
            members: periods
                .iter()
                .filter(|p| p.office_id == o.id && p.active_on(today))
                .count(),
            head: o.head_name.clone(),
            is_demo: o.is_demo,
        })
        .collect()
}

pub async fn offices(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
) -> AppResult<Html<String>> {
    let snap = crate::registry::snapshot::current(&state).await?;
    let offices = repo::offices(&state.db).await?;
    let office_oblasts = repo::office_oblasts(&state.db).await?;
    let periods = repo::periods(&state.db).await?;
    render(&OfficesPage {
        p: PageCtx::new(&ctx, "offices-title"),
        offices: office_lines(&snap, &offices, &office_oblasts, &periods, lang),
        oblasts: oblast_choices(&snap, &office_oblasts, 0, lang),
        office: blank_office(),
        action: format!("/{}/offices", lang.code()),
    })
}

#[derive(Deserialize)]
pub struct SlugPath {
    slug: String,
}

#[derive(Template)]
#[template(path = "members/office.html")]
struct OfficePage {
    p: PageCtx,
    office: Office,
    line: OfficeLine,
    oblasts: Vec<(String, String, bool)>,
    action: String,
}

pub async fn office(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<SlugPath>,
) -> AppResult<Html<String>> {
    let office = repo::office_by_slug(&state.db, &path.slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let snap = crate::registry::snapshot::current(&state).await?;
    let office_oblasts = repo::office_oblasts(&state.db).await?;
    let periods = repo::periods(&state.db).await?;
    let line = office_lines(
        &snap,
        std::slice::from_ref(&office),
        &office_oblasts,
        &periods,
        lang,
    )
    .into_iter()
    .next()
    .ok_or(AppError::NotFound)?;
    render(&OfficePage {
        p: PageCtx::new(&ctx, "offices-title").with_title(office_name(&office, lang).to_string()),
        oblasts: oblast_choices(&snap, &office_oblasts, office.id, lang),
        action: format!("/{}/offices/{}", lang.code(), office.slug),
        office,
        line,
    })
}

/// An office's draft from a form. The form posts `oblast` once per ticked box, so it is read
/// as pairs.
fn draft(pairs: &[(String, String)]) -> OfficeDraft {
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    OfficeDraft {
        slug: get("slug"),
        name_uk: get("name_uk"),
        name_en: get("name_en"),
        head_name: get("head_name"),
        email: get("email"),
        phone: get("phone"),
        address: get("address"),
        oblasts: pairs
            .iter()
            .filter(|(k, _)| k == "oblast")
            .map(|(_, v)| v.clone())
            .collect(),
    }
}

/// Admins add a regional office.
pub async fn create_office(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let snap = crate::registry::snapshot::current(&state).await?;
    let office = offices::create(&state.db, &snap, principal, &ctx.ip, &draft(&pairs)).await?;
    Ok(Redirect::to(&format!("/{}/offices/{}", lang.code(), office.slug)).into_response())
}

/// Admins change an office's details and oblasts (its short name stays).
pub async fn update_office(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<SlugPath>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let snap = crate::registry::snapshot::current(&state).await?;
    let d = draft(&pairs);
    let office = offices::update(&state.db, &snap, principal, &ctx.ip, &path.slug, &d).await?;
    Ok(Redirect::to(&format!("/{}/offices/{}", lang.code(), office.slug)).into_response())
}
