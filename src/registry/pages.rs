//! The registry's pages: browsing the hierarchy, one unit's page, search results, downloads of
//! any list, the admin's status forms and the "About the data" page.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::attributes::{Key, Status};
use super::snapshot::{Counts, Snapshot};
use super::{Level, is_valid_code, repo};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::web::download::{Cell, Format, Table};
use crate::web::extract::Query;
use crate::web::page::render;
use crate::web::{AppState, Ctx, PageCtx};

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

fn status_label(lang: Lang, status: Status) -> String {
    lang.t(&format!("unit-status-{}", status.code()))
}

fn kind_label(lang: Lang, snap: &Snapshot, i: usize) -> String {
    lang.t(&format!("unit-category-{}", snap.node(i).category.letter()))
}

fn list_row(snap: &Snapshot, i: usize, lang: Lang) -> ListRow {
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
fn download(snap: &Snapshot, units: &[usize], lang: Lang) -> Table {
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
fn any_counts(rows: &[ListRow]) -> bool {
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
    let snap = state.registry.get(&state.db).await?;
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

#[derive(Deserialize, Default)]
pub struct UnitQuery {
    format: Option<String>,
    done: Option<String>,
}

#[derive(Deserialize)]
pub struct UnitPath {
    pub(super) code: String,
}

pub struct Fact {
    pub label: String,
    pub value: String,
    pub href: Option<String>,
    pub as_of: String,
    pub source: Option<(String, String)>,
}

/// The status in force: its label, since when, and the unit it is inherited from (a link).
pub struct StatusNow {
    pub label: String,
    pub since: String,
    pub inherited: Option<(String, String)>,
}

pub struct StatusLine {
    pub id: i64,
    pub label: String,
    pub since: String,
    pub note: String,
}

pub struct ChangeLine {
    pub edition: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "registry/unit.html")]
struct UnitPage {
    p: PageCtx,
    code: String,
    name_uk: String,
    name_en: String,
    /// A hromada's full official name, in the page's language.
    full_name: Option<String>,
    kind: String,
    crumbs: Vec<(String, String)>,
    facts: Vec<Fact>,
    status: Option<StatusNow>,
    statuses: Vec<StatusLine>,
    status_choices: Vec<(&'static str, String)>,
    changes: Vec<ChangeLine>,
    old_codes: Vec<String>,
    children: Vec<ListRow>,
    children_level: String,
    show_counts: bool,
    map: Option<String>,
    /// Whether the map colours units by status (an oblast's map of its hromadas).
    map_legend: bool,
    can_edit: bool,
    notice: Option<String>,
    errors: Vec<(String, String)>,
    today: String,
    /// The latest news about the unit: (link, title, date).
    news: Vec<(String, String, String)>,
    /// The unit's approved statistics.
    stats: Vec<crate::statistics::pages::StatRow>,
    /// Whether some period shown covers part of the year only.
    stats_partial: bool,
}

#[derive(Template)]
#[template(path = "registry/missing.html")]
struct MissingPage {
    p: PageCtx,
    code: String,
    removed: Option<(String, String)>,
}

/// The answer for a code that is not a current unit: a retired code redirects to its
/// successor; a removed unit says when it went; anything else is a 404 with a search box.
async fn missing(state: &AppState, ctx: &Ctx, snap: &Snapshot, code: &str) -> AppResult<Response> {
    if let Some(new) = snap.alias(code) {
        let to = format!("/{}/units/{new}", ctx.lang.code());
        return Ok(Redirect::permanent(&to).into_response());
    }
    let removed = repo::removed_unit(&state.db, code)
        .await?
        .map(|(name, on)| (name, on.to_string()));
    let page = MissingPage {
        p: PageCtx::new(ctx, "unit-missing-title"),
        code: code.to_string(),
        removed,
    };
    Ok((StatusCode::NOT_FOUND, render(&page)?).into_response())
}

const DONE: [&str; 2] = ["status-saved", "status-deleted"];

pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<UnitPath>,
    Query(query): Query<UnitQuery>,
) -> AppResult<Response> {
    let format = Format::from_query(query.format.as_deref())?;
    if !is_valid_code(&path.code) {
        return Err(AppError::BadRequest("error-unit-code"));
    }
    let snap = state.registry.get(&state.db).await?;
    let Some(i) = snap.find(&path.code) else {
        return missing(&state, &ctx, &snap, &path.code).await;
    };
    let node = snap.node(i);
    if let Some(format) = format {
        let stem = format!("{}-{}", node.code, lang.t("units-children-file"));
        return download(&snap, &node.children, lang).respond(format, &stem);
    }
    let notice = query
        .done
        .as_deref()
        .filter(|d| DONE.contains(d))
        .map(|d| lang.t(&format!("unit-{d}")));
    unit_page(&state, &ctx, &snap, i, notice, Vec::new(), StatusCode::OK).await
}

pub(super) async fn unit_page(
    state: &AppState,
    ctx: &Ctx,
    snap: &Snapshot,
    i: usize,
    notice: Option<String>,
    errors: Vec<(String, String)>,
    status_code: StatusCode,
) -> AppResult<Response> {
    let lang = ctx.lang;
    let node = snap.node(i);
    let attributes = repo::attributes_of(&state.db, &node.code).await?;
    let own = repo::status_history(&state.db, &node.code).await?;
    let (changes, old_codes) = repo::history(&state.db, &node.code).await?;
    let news = crate::news::pages::latest_about(state, &node.code, lang, 5).await?;
    let stats = crate::statistics::pages::unit_rows(state, &node.code, lang).await?;
    let mut crumbs = vec![(format!("/{}/units", lang.code()), lang.t("units-title"))];
    crumbs.extend(snap.ancestors(i).into_iter().map(|a| {
        let n = snap.node(a);
        (format!("/{}/units/{}", lang.code(), n.code), n.title(lang))
    }));
    let mut facts = Vec::new();
    let mut ordered = attributes;
    ordered.sort_by_key(|a| Key::parse(&a.key));
    for a in &ordered {
        let Some(key) = Key::parse(&a.key) else {
            continue;
        };
        let (value, href) = match key {
            Key::Type => (
                a.value_text
                    .as_deref()
                    .and_then(super::attributes::HromadaType::parse)
                    .map(|t| t.adjective(lang).to_string())
                    .unwrap_or_default(),
                None,
            ),
            Key::Centre => match a.value_text.as_deref().and_then(|c| snap.find(c)) {
                Some(c) => (
                    snap.node(c).title(lang),
                    Some(format!("/{}/units/{}", lang.code(), snap.node(c).code)),
                ),
                None => (a.value_text.clone().unwrap_or_default(), None),
            },
            Key::FormedOn => (a.value_text.clone().unwrap_or_default(), None),
            Key::Voluntary => (
                lang.t(if a.value_number == Some(1.0) {
                    "unit-voluntary-yes"
                } else {
                    "unit-voluntary-no"
                }),
                None,
            ),
            Key::AreaKm2 => (
                a.value_number
                    .map(|n| format_area(n, lang))
                    .unwrap_or_default(),
                None,
            ),
            Key::PopulationTotal | Key::PopulationUrban => (
                a.value_number
                    .map(|n| group(n.round() as i64, lang))
                    .unwrap_or_default(),
                None,
            ),
        };
        let title = match lang {
            Lang::Uk => &a.title_uk,
            Lang::En => &a.title_en,
        };
        facts.push(Fact {
            label: lang.t(&format!("unit-attr-{}", key.code())),
            value,
            href,
            // Where the source gives no date for the value, the date of the source's copy.
            as_of: match a.as_of_on {
                Some(d) => d.to_string(),
                None => lang.t_args(
                    "unit-source-dated",
                    &[("date", crate::i18n::Arg::Str(&a.retrieved_on.to_string()))],
                ),
            },
            source: Some((
                format!("/{}/about/data#source-{}", lang.code(), a.source_id),
                title.clone(),
            )),
        });
    }
    // Counts beneath the unit come from the codifier itself.
    let codifier_source = Some((
        format!(
            "/{}/about/data#source-{}",
            lang.code(),
            super::attributes::CODIFIER
        ),
        lang.t("unit-source-codifier"),
    ));
    let count_facts = [
        ("unit-count-raions", node.counts.raions),
        ("unit-count-hromadas", node.counts.hromadas),
        ("unit-count-settlements", node.counts.settlements),
        ("unit-count-districts", node.counts.districts),
    ];
    for (key, n) in count_facts {
        if n > 0 {
            facts.push(Fact {
                label: lang.t(key),
                value: group(i64::from(n), lang),
                href: None,
                as_of: String::new(),
                source: codifier_source.clone(),
            });
        }
    }
    if node.level() != Level::Hromada
        && let Some(population) = node.population
        && node.counts.hromadas > 0
    {
        facts.push(Fact {
            label: lang.t("unit-population-sum"),
            value: group(population, lang),
            href: None,
            as_of: "2022-01-01".into(),
            source: Some((
                format!(
                    "/{}/about/data#source-{}",
                    lang.code(),
                    super::attributes::POPULATION
                ),
                lang.t("unit-source-population-sum"),
            )),
        });
    }
    let status = snap.status(i).map(|s| {
        let inherited = (s.from != i).then(|| {
            let n = snap.node(s.from);
            (format!("/{}/units/{}", lang.code(), n.code), n.title(lang))
        });
        StatusNow {
            label: status_label(lang, s.status),
            since: s.since.to_string(),
            inherited,
        }
    });
    let statuses = own
        .into_iter()
        .map(|s| StatusLine {
            id: s.id,
            label: Status::parse(&s.status)
                .map(|st| status_label(lang, st))
                .unwrap_or(s.status),
            since: s.since_on.to_string(),
            note: s.note,
        })
        .collect();
    let changes = changes
        .into_iter()
        .map(|c| ChangeLine {
            edition: c.edition_on.to_string(),
            text: describe_change(snap, lang, &c),
        })
        .collect();
    let children_level = node
        .children
        .first()
        .map(|&c| lang.t(&format!("unit-children-{}", snap.node(c).level().code())))
        .unwrap_or_default();
    let can_edit = ctx
        .principal
        .as_ref()
        .is_some_and(|p| p.has_role(crate::auth::Role::Admin) && p.second_factor_ok());
    let children: Vec<ListRow> = node
        .children
        .iter()
        .map(|&c| list_row(snap, c, lang))
        .collect();
    let page = UnitPage {
        p: PageCtx::new(ctx, "units-title").with_title(node.title(lang)),
        code: node.code.clone(),
        name_uk: node.name_uk.clone(),
        name_en: node.name_en.clone(),
        full_name: (node.level() == Level::Hromada).then(|| node.title(lang)),
        kind: kind_label(lang, snap, i),
        crumbs,
        facts,
        status,
        statuses,
        status_choices: Status::ALL
            .iter()
            .map(|s| (s.code(), status_label(lang, *s)))
            .collect(),
        changes,
        old_codes,
        show_counts: any_counts(&children),
        children,
        children_level,
        map: super::map::for_unit(snap, i, lang),
        map_legend: node.category == super::Category::Oblast,
        can_edit,
        notice,
        errors,
        today: crate::auth::now()
            .with_timezone(&chrono_tz::Europe::Kyiv)
            .date_naive()
            .to_string(),
        news,
        stats_partial: stats.iter().any(|s| s.values.iter().any(|v| v.2)),
        stats,
    };
    Ok((status_code, render(&page)?).into_response())
}

fn format_area(km2: f64, lang: Lang) -> String {
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

fn describe_change(snap: &Snapshot, lang: Lang, c: &repo::ChangeEntry) -> String {
    use crate::i18n::Arg;
    let unit = |code: &Option<String>| {
        code.as_deref()
            .map(|code| {
                snap.find(code)
                    .map(|i| snap.node(i).title(lang))
                    .unwrap_or_else(|| code.to_string())
            })
            .unwrap_or_default()
    };
    match c.change.as_str() {
        "renamed" => lang.t_args(
            "unit-change-renamed",
            &[
                (
                    "old",
                    Arg::Str(c.old_name_uk.as_deref().unwrap_or_default()),
                ),
                (
                    "new",
                    Arg::Str(c.new_name_uk.as_deref().unwrap_or_default()),
                ),
            ],
        ),
        "moved" => lang.t_args(
            "unit-change-moved",
            &[
                ("old", Arg::Str(&unit(&c.old_parent_code))),
                ("new", Arg::Str(&unit(&c.new_parent_code))),
            ],
        ),
        "added" => lang.t("unit-change-added"),
        other => lang.t(&format!("unit-change-{other}")),
    }
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
    let snap = state.registry.get(&state.db).await?;
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
