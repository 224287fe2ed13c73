//! The association's pages: the member directory with its figures, filters, downloads and map;
//! finding a community to add; the sections. One member's page with its forms shows the posts
//! of its people too, so it is composed above the features (`crate::composed::member_page`);
//! the regional offices are in `office_pages.rs`.

use std::collections::{HashMap, HashSet};

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;

use super::actions;
use super::repo::{self, Office};
use super::{Band, Figures, Period, parse_day};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::i18n::{Arg, Lang};
use crate::registry::UnitCode;
use crate::registry::attributes::{HromadaType, Status};
use crate::registry::pages::group;
use crate::registry::snapshot::Snapshot;
use crate::state::AppState;
use crate::web::download::{Cell, Format, Table};
use crate::web::extract::Query;
use crate::web::page::render;
use crate::web::{Ctx, PageCtx};

const PAGE: usize = 50;

/// A member in the directory.
pub struct MemberRow {
    pub code: String,
    pub href: String,
    pub title: String,
    pub oblast: String,
    pub office: String,
    pub kind: String,
    pub population: Option<i64>,
    pub population_text: String,
    pub status: String,
    pub since: NaiveDate,
    pub is_demo: bool,
    sort_key: String,
}

#[derive(Deserialize, Default)]
pub struct DirectoryQuery {
    #[serde(default)]
    oblast: String,
    #[serde(default)]
    office: String,
    #[serde(default, rename = "type")]
    kind: String,
    #[serde(default)]
    band: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    on: String,
    page: Option<usize>,
    format: Option<String>,
}

/// The directory's filters, parsed.
struct Filters {
    oblast: Option<usize>,
    office: Option<Office>,
    kind: Option<HromadaType>,
    band: Option<Band>,
    status: Option<Status>,
    day: NaiveDate,
}

fn parse_filters(q: &DirectoryQuery, snap: &Snapshot, offices: &[Office]) -> AppResult<Filters> {
    let bad = |field: &str| AppError::field(field, "error-filter");
    let oblast = match q.oblast.as_str() {
        "" => None,
        code => Some(
            snap.find(code)
                .filter(|&i| snap.node(i).parent.is_none())
                .ok_or_else(|| bad("oblast"))?,
        ),
    };
    let office = match q.office.as_str() {
        "" => None,
        slug => Some(
            offices
                .iter()
                .find(|o| o.slug == slug)
                .cloned()
                .ok_or_else(|| bad("office"))?,
        ),
    };
    let opt = |raw: &str, parse: fn(&str) -> Option<_>, field: &str| match raw {
        "" => Ok(None),
        s => parse(s).map(Some).ok_or_else(|| bad(field)),
    };
    Ok(Filters {
        oblast,
        office,
        kind: opt(&q.kind, HromadaType::parse, "type")?,
        band: opt_band(&q.band)?,
        status: opt_status(&q.status)?,
        day: match q.on.as_str() {
            "" => crate::clock::today(),
            s => parse_day(s).ok_or(AppError::field("on", "error-date"))?,
        },
    })
}

fn opt_band(raw: &str) -> AppResult<Option<Band>> {
    match raw {
        "" => Ok(None),
        s => Band::parse(s)
            .map(Some)
            .ok_or(AppError::field("band", "error-filter")),
    }
}

fn opt_status(raw: &str) -> AppResult<Option<Status>> {
    match raw {
        "" => Ok(None),
        s => Status::parse(s)
            .map(Some)
            .ok_or(AppError::field("status", "error-filter")),
    }
}

/// The members on the filters' day that pass the filters.
fn members(
    snap: &Snapshot,
    periods: &[Period],
    offices: &[Office],
    f: &Filters,
    lang: Lang,
) -> Vec<MemberRow> {
    let office_names: HashMap<i64, &Office> = offices.iter().map(|o| (o.id, o)).collect();
    periods
        .iter()
        .filter(|p| p.active_on(f.day))
        .filter(|p| f.office.as_ref().is_none_or(|o| o.id == p.office_id))
        .filter_map(|p| {
            let i = snap.find(&p.unit_code)?;
            let n = snap.node(i);
            let top = snap.ancestors(i).first().copied().unwrap_or(i);
            if f.oblast.is_some_and(|o| o != top) {
                return None;
            }
            let hromada = super::population_unit(snap, i);
            let kind = hromada.and_then(|h| snap.node(h).hromada_type);
            if f.kind.is_some() && f.kind != kind {
                return None;
            }
            let population = hromada.and_then(|h| snap.node(h).population);
            if f.band
                .is_some_and(|b| population.is_none_or(|n| !b.contains(n)))
            {
                return None;
            }
            let status = snap.status(i).map(|s| s.status);
            if f.status.is_some() && f.status != status {
                return None;
            }
            Some(MemberRow {
                code: n.code.clone(),
                href: format!("/{}/members/{}", lang.code(), n.code),
                title: n.title(lang),
                oblast: snap.node(top).title(lang),
                office: office_names
                    .get(&p.office_id)
                    .map(|o| office_name(o, lang).to_string())
                    .unwrap_or_default(),
                kind: kind
                    .map(|k| k.adjective(lang).to_string())
                    .unwrap_or_default(),
                population,
                population_text: population.map(|n| group(n, lang)).unwrap_or_default(),
                status: status
                    .map(|s| lang.t(&format!("unit-status-{}", s.code())))
                    .unwrap_or_default(),
                since: p.since_on,
                is_demo: p.is_demo,
                sort_key: n.sort_key.clone(),
            })
        })
        .collect()
}

pub fn office_name(o: &Office, lang: Lang) -> &str {
    match lang {
        Lang::Uk => &o.name_uk,
        Lang::En => &o.name_en,
    }
}

fn figures_text(f: &Figures, lang: Lang) -> String {
    let share = match lang {
        Lang::Uk => format!("{:.1}", f.share_percent()).replace('.', ","),
        Lang::En => format!("{:.1}", f.share_percent()),
    };
    lang.t_args(
        "members-figures",
        &[
            ("count", Arg::Num(f.members as i64)),
            ("share", Arg::Str(&share)),
            ("population", Arg::Str(&group(f.population, lang))),
            ("date", Arg::Str(&f.day.to_string())),
        ],
    )
}

#[derive(Template)]
#[template(path = "members/directory.html")]
struct DirectoryPage {
    p: PageCtx,
    figures: String,
    rows: Vec<MemberRow>,
    total: usize,
    page: usize,
    pages: usize,
    query_base: String,
    oblasts: Vec<(String, String)>,
    offices: Vec<(String, String)>,
    kinds: Vec<(&'static str, String)>,
    bands: Vec<(&'static str, String)>,
    statuses: Vec<(&'static str, String)>,
    sorts: Vec<(&'static str, String)>,
    q: DirectoryQuery,
    map: Option<String>,
    can_manage: bool,
    any_demo: bool,
}

pub async fn directory(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Query(q): Query<DirectoryQuery>,
) -> AppResult<Response> {
    let format = Format::from_query(q.format.as_deref())?;
    let snap = crate::registry::snapshot::current(&state).await?;
    let offices = repo::offices(&state.db).await?;
    let periods = repo::periods(&state.db).await?;
    let filters = parse_filters(&q, &snap, &offices)?;
    let mut rows = members(&snap, &periods, &offices, &filters, lang);
    match q.sort.as_str() {
        "population" => rows.sort_by(|a, b| {
            b.population
                .cmp(&a.population)
                .then(a.sort_key.cmp(&b.sort_key))
        }),
        "since" => rows.sort_by(|a, b| a.since.cmp(&b.since).then(a.sort_key.cmp(&b.sort_key))),
        "" | "name" => rows.sort_by(|a, b| a.sort_key.cmp(&b.sort_key)),
        _ => return Err(AppError::field("sort", "error-filter")),
    }
    if let Some(format) = format {
        let table = Table {
            headers: [
                "code",
                "name",
                "oblast",
                "regional_office",
                "hromada_type",
                "population_2022",
                "status",
                "member_since",
            ]
            .iter()
            .map(|h| h.to_string())
            .collect(),
            rows: rows
                .iter()
                .map(|r| {
                    vec![
                        Cell::from(r.code.as_str()),
                        r.title.as_str().into(),
                        r.oblast.as_str().into(),
                        r.office.as_str().into(),
                        r.kind.as_str().into(),
                        r.population.into(),
                        r.status.as_str().into(),
                        r.since.to_string().into(),
                    ]
                })
                .collect(),
        };
        return table.respond(format, &format!("members-{}", filters.day));
    }
    let figures = super::figures(&periods, &snap, filters.day);
    let total = rows.len();
    let pages = total.div_ceil(PAGE).max(1);
    let page = q.page.unwrap_or(1).clamp(1, pages);
    let marked: HashSet<usize> = rows
        .iter()
        .filter_map(|r| snap.find(&r.code))
        .filter_map(|i| super::population_unit(&snap, i))
        .collect();
    let map = crate::registry::map::members(&snap, filters.oblast, &marked, lang);
    let query_base = serde_urlencoded::to_string([
        ("oblast", q.oblast.as_str()),
        ("office", q.office.as_str()),
        ("type", q.kind.as_str()),
        ("band", q.band.as_str()),
        ("status", q.status.as_str()),
        ("sort", q.sort.as_str()),
        ("on", q.on.as_str()),
    ])
    .unwrap_or_default();
    let any_demo = rows.iter().any(|r| r.is_demo);
    let rows: Vec<MemberRow> = rows
        .into_iter()
        .skip((page - 1) * PAGE)
        .take(PAGE)
        .collect();
    let can_manage = ctx
        .principal
        .as_ref()
        .is_some_and(|p| p.second_factor_ok() && offices.iter().any(|o| actions::may_manage(p, o)));
    let page_ctx = PageCtx::new(&ctx, "members-title");
    Ok(render(&DirectoryPage {
        p: page_ctx,
        figures: figures_text(&figures, lang),
        rows,
        total,
        page,
        pages,
        query_base,
        oblasts: snap
            .roots()
            .iter()
            .map(|&i| (snap.node(i).code.clone(), snap.node(i).title(lang)))
            .collect(),
        offices: offices
            .iter()
            .map(|o| (o.slug.clone(), office_name(o, lang).to_string()))
            .collect(),
        kinds: HromadaType::ALL
            .iter()
            .map(|k| (k.code(), k.adjective(lang).to_string()))
            .collect(),
        bands: Band::ALL
            .iter()
            .map(|b| (b.code(), lang.t(&format!("members-band-{}", b.code()))))
            .collect(),
        statuses: Status::ALL
            .iter()
            .map(|s| (s.code(), lang.t(&format!("unit-status-{}", s.code()))))
            .collect(),
        sorts: ["name", "population", "since"]
            .iter()
            .map(|s| (*s, lang.t(&format!("members-sort-{s}"))))
            .collect(),
        q,
        map,
        can_manage,
        any_demo,
    })?
    .into_response())
}

#[derive(Deserialize, Default)]
pub struct FindForm {
    #[serde(default, deserialize_with = "crate::registry::code::blank_as_none")]
    code: Option<UnitCode>,
}

/// Staff open a community's membership page by its code (the directory's "add a member").
pub async fn find(lang: Lang, Query(q): Query<FindForm>) -> AppResult<Redirect> {
    let Some(code) = q.code else {
        return Err(AppError::BadRequest("error-unit-code"));
    };
    Ok(Redirect::to(&format!("/{}/members/{code}", lang.code())))
}

#[derive(Template)]
#[template(path = "members/sections.html")]
struct SectionsPage {
    p: PageCtx,
    sections: Vec<repo::Section>,
}

pub async fn sections(State(db): State<Db>, ctx: Ctx) -> AppResult<Html<String>> {
    render(&SectionsPage {
        p: PageCtx::new(&ctx, "sections-title"),
        sections: repo::sections(&db).await?,
    })
}
