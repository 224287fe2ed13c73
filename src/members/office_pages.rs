//! Regional offices' pages: the list with the oblasts each covers and its members, one office,
//! and the admin's forms to add an office and change its details and oblasts.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::Period;
use super::actions;
use super::pages::office_name;
use super::repo::{self, Office};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::registry::snapshot::Snapshot;
use crate::web::extract::Form;
use crate::web::page::render;
use crate::web::{AppState, Ctx, PageCtx};

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
    let today = actions::today();
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
    let snap = state.registry.get(&state.db).await?;
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
    let snap = state.registry.get(&state.db).await?;
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

/// An office's fields from a form, checked. The form posts `oblast` once per ticked box, so it
/// is read as pairs.
struct OfficeFields {
    slug: String,
    name_uk: String,
    name_en: String,
    head_name: String,
    email: String,
    phone: String,
    address: String,
    oblasts: Vec<String>,
}

fn office_fields(
    pairs: &[(String, String)],
    snap: &Snapshot,
    lang: Lang,
) -> Result<OfficeFields, Vec<(String, String)>> {
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    let mut errors = Vec::new();
    let slug = get("slug");
    if !(2..=40).contains(&slug.len())
        || !slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        errors.push(("slug".into(), lang.t("offices-error-slug")));
    }
    for (field, value) in [("name_uk", get("name_uk")), ("name_en", get("name_en"))] {
        if value.is_empty() || value.chars().count() > 200 {
            errors.push((field.into(), lang.t("offices-error-name")));
        }
    }
    let mut email = get("email");
    if !email.is_empty() {
        match crate::auth::parse_email(&email) {
            Ok(e) => email = e,
            Err(key) => errors.push(("email".into(), lang.t(key))),
        }
    }
    for field in ["head_name", "phone", "address"] {
        if get(field).chars().count() > 300 {
            errors.push((field.into(), lang.t("offices-error-long")));
        }
    }
    let mut oblasts = Vec::new();
    for (_, code) in pairs.iter().filter(|(k, _)| k == "oblast") {
        match snap.find(code).filter(|&i| snap.node(i).parent.is_none()) {
            Some(_) if !oblasts.contains(code) => oblasts.push(code.clone()),
            Some(_) => {}
            None => errors.push(("oblast".into(), lang.t("error-filter"))),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(OfficeFields {
        slug,
        name_uk: get("name_uk"),
        name_en: get("name_en"),
        head_name: get("head_name"),
        email,
        phone: get("phone"),
        address: get("address"),
        oblasts,
    })
}

impl OfficeFields {
    fn as_new(&self) -> repo::NewOffice<'_> {
        repo::NewOffice {
            slug: &self.slug,
            name_uk: &self.name_uk,
            name_en: &self.name_en,
            head_name: &self.head_name,
            email: &self.email,
            phone: &self.phone,
            address: &self.address,
            is_demo: false,
        }
    }
}

/// The signed-in admin. The route table lets only admins here; checked again because an
/// office's oblasts decide where its coordinators act, so no other role may ever change them.
fn admin(ctx: &Ctx) -> AppResult<&crate::auth::Principal> {
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    if !principal.has_role(crate::auth::Role::Admin) {
        return Err(AppError::Forbidden);
    }
    Ok(principal)
}

/// Admins add a regional office.
pub async fn create_office(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let snap = state.registry.get(&state.db).await?;
    let fields = office_fields(&pairs, &snap, lang).map_err(AppError::Invalid)?;
    let principal = admin(&ctx)?;
    let actor = crate::auth::Actor::of(principal, &ctx.ip);
    match actions::create_office(&state.db, &actor, &fields.as_new(), &fields.oblasts).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/{}/offices/{}", lang.code(), fields.slug)).into_response())
        }
        Err(e) if crate::db::is_unique_violation(&e) => {
            Err(AppError::Conflict("offices-error-taken"))
        }
        Err(e) => Err(e.into()),
    }
}

/// Admins change an office's details and oblasts (its short name stays).
pub async fn update_office(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<SlugPath>,
    Form(mut pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let office = repo::office_by_slug(&state.db, &path.slug)
        .await?
        .ok_or(AppError::NotFound)?;
    pairs.retain(|(k, _)| k != "slug");
    pairs.push(("slug".into(), office.slug.clone()));
    let snap = state.registry.get(&state.db).await?;
    let fields = office_fields(&pairs, &snap, lang).map_err(AppError::Invalid)?;
    let principal = admin(&ctx)?;
    let actor = crate::auth::Actor::of(principal, &ctx.ip);
    actions::update_office(
        &state.db,
        &actor,
        office.id,
        &fields.as_new(),
        &fields.oblasts,
    )
    .await?;
    Ok(Redirect::to(&format!("/{}/offices/{}", lang.code(), office.slug)).into_response())
}
