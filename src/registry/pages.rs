//! The registry's pages: browsing the hierarchy, search results, downloads of any list and the
//! "About the data" page, with the labels and number formats the unit's page shares (it shows
//! news and statistics too, so it is composed above the features: `crate::composed::unit_page`;
//! the admin's status forms are in `status_pages.rs`).

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::attributes::Status;
use super::snapshot::{Counts, Snapshot};
use super::{Level, repo};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::web::download::{Cell, Format, Table};
use crate::web::extract::Query;
use crate::web::page::render;
use crate::web::{Ctx, PageCtx};

const PAGE: usize = 50;

/// Whole numbers as people read them: `387 439` in Ukrainian, `387,439` in English.
pub fn group(n: i64, lang: Lang) -> String {
    let digits = n.unsigned_abs().to_string();
    let sep = match lang {
        Lang::Uk => '\u{a0}',
        Lang::En => ',',
    };
    let mut out = String::with_capacity(digits.len() + 4);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// One unit in a list.
pub struct ListRow {
    pub code: String,
    pub href: String,
    pub title: String,
    pub kind: String,
    pub parent: String,
    pub counts: Counts,
    pub population: String,
    pub status: String,
}

pub fn status_label(lang: Lang, status: Status) -> String {
    lang.t(&format!("unit-status-{}", status.code()))
}

pub fn kind_label(lang: Lang, snap: &Snapshot, i: usize) -> String {
    lang.t(&format!("unit-category-{}", snap.node(i).category.letter()))
}

pub fn list_row(snap: &Snapshot, i: usize, lang: Lang) -> ListRow {
    let n = snap.node(i);
    ListRow {
        code: n.code.clone(),
        href: format!("/{}/units/{}", lang.code(), n.code),
        title: n.title(lang),
        kind: kind_label(lang, snap, i),
        parent: where_is(snap, i, lang),
        counts: n.counts,
        population: n.population.map(|p| group(p, lang)).unwrap_or_default(),
        status: snap
            .status(i)
            .map(|s| status_label(lang, s.status))
            .unwrap_or_default(),
    }
}

/// Where a unit lies, for lists that mix places: its parent and, below that, its oblast
/// ("Вінницька міська громада, Вінницька область"), so the 55 villages called Зелений Гай can
/// be told apart.
fn where_is(snap: &Snapshot, i: usize, lang: Lang) -> String {
    let ancestors = snap.ancestors(i);
    match (ancestors.first(), ancestors.last()) {
        (Some(&top), Some(&parent)) if top != parent => format!(
            "{}, {}",
            snap.node(parent).title(lang),
            snap.node(top).title(lang)
        ),
        (_, Some(&parent)) => snap.node(parent).title(lang),
        _ => String::new(),
    }
}

/// The columns of every downloaded list of units.
pub fn download(snap: &Snapshot, units: &[usize], lang: Lang) -> Table {
    let headers = [
        "code",
        "level",
        "category",
        "name_uk",
        "name_en",
        "title",
        "parent_code",
        "hromada_type",
        "population_2022",
        "raions",
        "hromadas",
        "settlements",
        "status",
        "status_since",
    ];
    let rows = units
        .iter()
        .map(|&i| {
            let n = snap.node(i);
            let status = snap.status(i);
            vec![
                Cell::from(n.code.as_str()),
                n.level().code().into(),
                n.category.letter().into(),
                n.name_uk.as_str().into(),
                n.name_en.as_str().into(),
                n.title(lang).into(),
                n.parent
                    .map(|p| snap.node(p).code.clone())
                    .unwrap_or_default()
                    .into(),
                n.hromada_type.map(|t| t.code()).unwrap_or_default().into(),
                n.population.into(),
                n.counts.raions.into(),
                n.counts.hromadas.into(),
                n.counts.settlements.into(),
                status.map(|s| s.status.code()).unwrap_or_default().into(),
                status
                    .map(|s| s.since.to_string())
                    .unwrap_or_default()
                    .into(),
            ]
        })
        .collect();
    Table {
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows,
    }
}

fn parse_level(raw: Option<&str>) -> AppResult<Option<Level>> {
    match raw.unwrap_or_default() {
        "" => Ok(None),
        s => Level::parse(s)
            .map(Some)
            .ok_or(AppError::BadRequest("error-unit-level")),
    }
}

#[derive(Deserialize, Default)]
pub struct BrowseQuery {
    q: Option<String>,
    level: Option<String>,
    page: Option<usize>,
    format: Option<String>,
}

#[derive(Template)]
#[template(path = "registry/browse.html")]
struct BrowsePage {
    p: PageCtx,
    q: String,
    level: String,
    levels: Vec<(&'static str, String)>,
    rows: Vec<ListRow>,
    total: usize,
    page: usize,
    pages: usize,
    query_base: String,
    map: Option<String>,
    searching: bool,
    show_counts: bool,
}

/// Whether a list has anything beneath its units (settlement lists have not).
pub fn any_counts(rows: &[ListRow]) -> bool {
    rows.iter()
        .any(|r| r.counts.hromadas > 0 || r.counts.settlements > 0)
}

pub async fn browse(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Query(query): Query<BrowseQuery>,
) -> AppResult<Response> {
    let level = parse_level(query.level.as_deref())?;
    let format = Format::from_query(query.format.as_deref())?;
    let q = query.q.unwrap_or_default().trim().to_string();
    let snap = crate::registry::snapshot::current(&state).await?;
    let page = query.page.unwrap_or(1).max(1);
    let searching = !q.is_empty();
    let (units, total): (Vec<usize>, usize) = if searching {
        let (start, limit) = match format {
            Some(_) => (0, usize::MAX),
            None => ((page - 1) * PAGE, PAGE),
        };
        snap.search(&q, level, limit, start)
    } else if let Some(level) = level {
        let all: Vec<usize> = snap.at_level(level).collect();
        let total = all.len();
        match format {
            Some(_) => (all, total),
            None => (
                all.into_iter().skip((page - 1) * PAGE).take(PAGE).collect(),
                total,
            ),
        }
    } else {
        (snap.roots().to_vec(), snap.roots().len())
    };
    if let Some(format) = format {
        let stem = match (searching, level) {
            (true, _) => "units-search".to_string(),
            (false, Some(l)) => format!("units-{}", l.code()),
            (false, None) => "units".to_string(),
        };
        return download(&snap, &units, lang).respond(format, &stem);
    }
    let pages = total.div_ceil(PAGE).max(1);
    let query_base = serde_urlencoded::to_string([
        ("q", q.as_str()),
        ("level", level.map(|l| l.code()).unwrap_or_default()),
    ])
    .unwrap_or_default();
    // A page past the end (an old link, a shorter list) goes to the last one.
    if page > pages {
        let to = format!("/{}/units?{query_base}&page={pages}", lang.code());
        return Ok(Redirect::to(&to).into_response());
    }
    let title = if searching {
        lang.t_args(
            "units-search-title",
            &[("query", crate::i18n::Arg::Str(&q))],
        )
    } else {
        lang.t("units-title")
    };
    let map = (!searching && level.is_none())
        .then(|| super::map::country(&snap, lang))
        .flatten();
    let page_ctx = PageCtx::new(&ctx, "units-title").with_title(title);
    let rows: Vec<ListRow> = units.iter().map(|&i| list_row(&snap, i, lang)).collect();
    let body = render(&BrowsePage {
        show_counts: any_counts(&rows),
        levels: Level::ALL
            .iter()
            .map(|l| (l.code(), lang.t(&format!("unit-level-{}", l.code()))))
            .collect(),
        rows,
        p: page_ctx,
        q,
        level: level.map(|l| l.code().to_string()).unwrap_or_default(),
        total,
        page,
        pages,
        query_base,
        map,
        searching,
    })?;
    Ok(body.into_response())
}

pub fn format_area(km2: f64, lang: Lang) -> String {
    let whole = km2.trunc() as i64;
    let tenths = ((km2 - km2.trunc()) * 10.0).round() as i64;
    let (whole, tenths) = if tenths == 10 {
        (whole + 1, 0)
    } else {
        (whole, tenths)
    };
    let mark = match lang {
        Lang::Uk => ',',
        Lang::En => '.',
    };
    format!("{}{mark}{tenths}", group(whole, lang))
}

#[derive(Template)]
#[template(path = "registry/about.html")]
struct AboutPage {
    p: PageCtx,
    sources: Vec<repo::SourceRow>,
    editions: Vec<(String, String, String)>,
    units: usize,
}

pub async fn about_data(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
) -> AppResult<Html<String>> {
    let snap = crate::registry::snapshot::current(&state).await?;
    let sources = repo::sources(&state.db).await?;
    let editions = repo::editions(&state.db)
        .await?
        .into_iter()
        .map(|(on, source, loaded)| {
            (
                on.to_string(),
                source,
                loaded
                    .with_timezone(&chrono_tz::Europe::Kyiv)
                    .format("%Y-%m-%d")
                    .to_string(),
            )
        })
        .collect();
    let _ = lang;
    render(&AboutPage {
        p: PageCtx::new(&ctx, "about-data-title"),
        sources,
        editions,
        units: snap.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_per_language() {
        assert_eq!(group(387_439, Lang::Uk), "387\u{a0}439");
        assert_eq!(group(2_952_301, Lang::En), "2,952,301");
        assert_eq!(group(999, Lang::En), "999");
        assert_eq!(group(-1000, Lang::En), "-1,000");
        assert_eq!(format_area(86.14, Lang::Uk), "86,1");
        assert_eq!(format_area(1234.96, Lang::En), "1,235.0");
    }
}
