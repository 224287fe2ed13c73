//! The page of one indicator (`/{lang}/statistics/indicators/{code}`): the ranking of hromadas
//! (sorted, filtered by oblast, type, population band and status, in pages), its distribution,
//! a choropleth map with a quantile legend, and aggregates by oblast or raion with coverage.
//! Each table downloads as CSV, XLSX or JSON, each chart as SVG.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::api::{AggregateOut, RankedUnit, RankingQuery, Selection, aggregates_of};
use super::map::{Area, choropleth};
use super::pages::{band_text, rule_text};
use super::query::Measure;
use super::{Band, class_of, quantile_breaks, svg};
use crate::error::{AppError, AppResult};
use crate::i18n::{Arg, Lang};
use crate::registry::attributes::{HromadaType, Status};
use crate::registry::{Level, UnitCode};
use crate::state::AppState;
use crate::statistics::ValueType;
use crate::statistics::pages::format_value;
use crate::web::Ctx;
use crate::web::download::{Cell, Format, Table};
use crate::web::page::{PageCtx, render};

/// Hromadas per page of the ranking.
pub const PAGE_SIZE: usize = 50;
/// Quantile classes on the map.
pub const CLASSES: usize = 5;

#[derive(Deserialize)]
pub struct CodePath {
    code: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    period: Option<String>,
    measure: Option<String>,
    order: Option<String>,
    /// An oblast's code: only its hromadas.
    oblast: Option<String>,
    kind: Option<String>,
    band: Option<String>,
    status: Option<String>,
    /// oblast (default) or raion: the level of the aggregates.
    agg: Option<String>,
    page: Option<usize>,
    /// csv, xlsx or json: the ranking (or, with `table=aggregates`, the aggregates) as a file.
    format: Option<String>,
    table: Option<String>,
}

impl PageQuery {
    /// The API's query for this page's; a malformed oblast is refused as the API refuses an
    /// unknown `parent`.
    fn selection_query(&self, code: &str) -> AppResult<RankingQuery> {
        let parent = match self.oblast.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(raw) => {
                Some(UnitCode::parse(raw).ok_or(AppError::field("parent", "stat-error-parent"))?)
            }
        };
        Ok(RankingQuery {
            indicator: Some(code.to_string()),
            period: self.period.clone(),
            level: Some("hromada".into()),
            parent,
            measure: self.measure.clone(),
            order: self.order.clone(),
            kind: self.kind.clone(),
            band: self.band.clone(),
            status: self.status.clone(),
            limit: None,
            offset: None,
        })
    }

    /// The query string that keeps the selection (for pager, downloads and charts), without
    /// the page, the format and the table.
    fn keep(&self) -> String {
        let pairs: Vec<(&str, &str)> = [
            ("period", &self.period),
            ("measure", &self.measure),
            ("order", &self.order),
            ("oblast", &self.oblast),
            ("kind", &self.kind),
            ("band", &self.band),
            ("status", &self.status),
            ("agg", &self.agg),
        ]
        .into_iter()
        .filter_map(|(k, v)| Some((k, v.as_deref().filter(|v| !v.is_empty())?)))
        .collect();
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }
}

/// A value of the selection as people read it (per inhabitant: two decimals).
fn shown(sel: &Selection, v: f64, lang: Lang) -> String {
    let t = match sel.measure {
        Measure::PerCapita => ValueType::Decimal,
        Measure::Value => ValueType::parse(&sel.indicator.value_type).unwrap_or(ValueType::Decimal),
    };
    format_value(v, t, lang)
}

fn name_of(lang: Lang, uk: &str, en: &str) -> String {
    lang.pick(uk, en).to_string()
}

pub struct RankRow {
    pub rank: u32,
    pub code: String,
    pub name: String,
    pub oblast: String,
    pub value: String,
    pub partial: bool,
}

pub struct AggRow {
    pub code: String,
    pub name: String,
    pub value: String,
    pub covered: u32,
    pub expected: u32,
    pub share: String,
}

#[derive(Template)]
#[template(path = "statistics/indicator.html")]
struct IndicatorPage {
    p: PageCtx,
    code: String,
    definition: String,
    measure: String,
    source: String,
    rule: String,
    per_capita_allowed: bool,
    per_capita: bool,
    period: String,
    periods: Vec<String>,
    oblasts: Vec<(String, String)>,
    kinds: Vec<(String, String)>,
    bands: Vec<(String, String)>,
    statuses: Vec<(String, String)>,
    q_oblast: String,
    q_kind: String,
    q_band: String,
    q_status: String,
    ascending: bool,
    raions: bool,
    keep: String,
    total: usize,
    rows: Vec<RankRow>,
    first: usize,
    prev: Option<String>,
    next: Option<String>,
    histogram: String,
    legend: Vec<(String, String)>,
    map_alt: String,
    /// The map itself, when one oblast is chosen.
    map_inline: Option<String>,
    aggregates: Vec<AggRow>,
    any_partial: bool,
}

/// Equal-width bins from the smallest value to the 95th percentile, and one bin above it: money
/// is so skewed that equal bins over the whole range would put nearly every hromada in one.
fn bins(values: &[f64], sel: &Selection, lang: Lang) -> Vec<(String, u32)> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if sorted.is_empty() {
        return Vec::new();
    }
    sorted.sort_by(f64::total_cmp);
    let lo = sorted[0];
    let top = sorted[((sorted.len() - 1) * 95) / 100];
    let n = 10;
    if top <= lo {
        return vec![(shown(sel, lo, lang), sorted.len() as u32)];
    }
    let width = (top - lo) / n as f64;
    let mut counts = vec![0u32; n + 1];
    for v in &sorted {
        let i = if *v > top {
            n
        } else {
            (((v - lo) / width) as usize).min(n - 1)
        };
        counts[i] += 1;
    }
    let mut out: Vec<(String, u32)> = (0..n)
        .map(|i| (shown(sel, lo + width * i as f64, lang), counts[i]))
        .collect();
    if counts[n] > 0 {
        out.push((format!("> {}", shown(sel, top, lang)), counts[n]));
    }
    out
}

/// The map's legend: one label per class, "from – to".
fn legend(breaks: &[f64], values: &[f64], sel: &Selection, lang: Lang) -> Vec<String> {
    let lo = values
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .fold(f64::INFINITY, f64::min);
    let mut from = lo;
    breaks
        .iter()
        .map(|b| {
            let label = format!("{} – {}", shown(sel, from, lang), shown(sel, *b, lang));
            from = *b;
            label
        })
        .collect()
}

/// The selection a page or chart asks for; an unknown indicator is a 404.
async fn selection(state: &AppState, code: &str, q: &PageQuery) -> AppResult<Selection> {
    let cube = crate::statistics::analysis::cube::current(state).await?;
    if cube.indicator(code).is_none() {
        return Err(AppError::NotFound);
    }
    Selection::resolve(state, &q.selection_query(code)?).await
}

/// The page, or its ranking or aggregates as a file.
pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(path): Path<CodePath>,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let lang = ctx.lang;
    let format = Format::from_query(q.format.as_deref())?;
    let raions = match q.agg.as_deref().unwrap_or("oblast") {
        "oblast" | "" => false,
        "raion" => true,
        _ => return Err(AppError::field("agg", "stat-error-level")),
    };
    let mut sel = selection(&state, &path.code, &q).await?;
    let ranking = sel.ranking();
    sel.level = if raions { Level::Raion } else { Level::Oblast };
    let mut aggregates = aggregates_of(&sel);
    sel.level = Level::Hromada;
    // With an oblast chosen, its raions (or itself) only.
    if let Some(within) = sel.scope.within {
        let cube = &sel.cube;
        aggregates.retain(|a| {
            cube.snapshot
                .find(&a.unit)
                .and_then(|n| cube.slot(n))
                .is_some_and(|s| s == within || cube.oblast_of(s) == Some(within))
        });
    }
    if let Some(format) = format {
        let stem = format!(
            "{}-{}",
            sel.indicator.code,
            sel.period_code().unwrap_or_default()
        );
        return match q.table.as_deref() {
            Some("aggregates") => aggregates_table(&aggregates, lang).respond(format, &stem),
            _ => ranking_table(&ranking, &sel, lang).respond(format, &stem),
        };
    }
    let i = &sel.indicator;
    let cube = &sel.cube;
    let values: Vec<f64> = ranking.iter().map(|r| r.value).collect();
    let histogram = svg::histogram(
        &lang.t_args(
            "stat-histogram-title",
            &[("name", Arg::Str(&name_of(lang, &i.name_uk, &i.name_en)))],
        ),
        &bins(&values, &sel, lang),
    );
    let breaks = quantile_breaks(&values, CLASSES);
    let legend_labels = legend(&breaks, &values, &sel, lang);
    // One oblast's map is small enough to stand in the page; the whole country's is an image.
    let map_inline = sel.scope.within.and_then(|_| map_of(&sel, &ranking, lang));
    let total = ranking.len();
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = q.page.unwrap_or(1).clamp(1, pages);
    let keep = q.keep();
    let page_href = |n: usize| format!("?{keep}{}page={n}", if keep.is_empty() { "" } else { "&" });
    let rows: Vec<RankRow> = ranking
        .iter()
        .skip((page - 1) * PAGE_SIZE)
        .take(PAGE_SIZE)
        .map(|r| {
            let node = cube.snapshot.node(cube.node(r.slot));
            let oblast = cube
                .oblast_of(r.slot)
                .map(|o| cube.snapshot.node(cube.node(o)).name(lang).to_string())
                .unwrap_or_default();
            let partial = sel.period.is_some_and(|p| sel.series.note(r.slot, p).1);
            RankRow {
                rank: r.rank,
                code: node.code.clone(),
                name: node.name(lang).to_string(),
                oblast,
                value: shown(&sel, r.value, lang),
                partial,
            }
        })
        .collect();
    let any_partial = rows.iter().any(|r| r.partial);
    let mut oblasts: Vec<(String, String)> = cube
        .snapshot
        .at_level(Level::Oblast)
        .filter(|&n| cube.slot(n).is_some())
        .map(|n| {
            let node = cube.snapshot.node(n);
            (node.code.clone(), node.name(lang).to_string())
        })
        .collect();
    oblasts.sort_by(|a, b| a.1.cmp(&b.1));
    let name = name_of(lang, &i.name_uk, &i.name_en);
    let period = sel.period_code().unwrap_or_default();
    let title = format!("{name}, {period}");
    Ok(render(&IndicatorPage {
        p: PageCtx::new(&ctx, "stat-indicator-title").with_title(title),
        code: i.code.clone(),
        definition: name_of(lang, &i.definition_uk, &i.definition_en),
        measure: name_of(lang, &i.measure_uk, &i.measure_en),
        source: name_of(lang, &i.source_uk, &i.source_en),
        rule: rule_text(&sel.rule, cube, lang),
        per_capita_allowed: i.is_per_capita,
        per_capita: sel.measure == Measure::PerCapita,
        periods: sel.series.periods.iter().rev().map(|p| p.code()).collect(),
        oblasts,
        kinds: HromadaType::ALL
            .iter()
            .map(|k| {
                (
                    k.code().to_string(),
                    lang.t(&format!("stat-kind-{}", k.code())),
                )
            })
            .collect(),
        bands: Band::ALL
            .iter()
            .map(|b| (b.code().to_string(), band_text(*b, lang)))
            .collect(),
        statuses: Status::ALL
            .iter()
            .map(|s| {
                (
                    s.code().to_string(),
                    lang.t(&format!("unit-status-{}", s.code())),
                )
            })
            .collect(),
        q_oblast: q.oblast.clone().unwrap_or_default(),
        q_kind: q.kind.clone().unwrap_or_default(),
        q_band: q.band.clone().unwrap_or_default(),
        q_status: q.status.clone().unwrap_or_default(),
        ascending: sel.order == super::Order::Ascending,
        raions,
        total,
        first: (page - 1) * PAGE_SIZE + 1,
        prev: (page > 1).then(|| page_href(page - 1)),
        next: (page < pages).then(|| page_href(page + 1)),
        rows,
        histogram,
        legend: legend_labels
            .into_iter()
            .enumerate()
            .map(|(k, l)| (format!("q{k}"), l))
            .collect(),
        map_alt: lang.t_args(
            "stat-map-alt",
            &[("name", Arg::Str(&name)), ("period", Arg::Str(&period))],
        ),
        map_inline,
        aggregates: aggregates
            .iter()
            .map(|a| AggRow {
                code: a.unit.clone(),
                name: name_of(lang, &a.name_uk, &a.name_en),
                value: a.value.map(|v| shown(&sel, v, lang)).unwrap_or_default(),
                covered: a.covered,
                expected: a.expected,
                share: a
                    .population_share
                    .map(|s| format_value(s * 100.0, ValueType::Percent, lang))
                    .unwrap_or_default(),
            })
            .collect(),
        any_partial,
        keep,
        period,
    })?
    .into_response())
}

fn ranking_table(ranking: &[RankedUnit], sel: &Selection, lang: Lang) -> Table {
    let cube = &sel.cube;
    Table {
        headers: [
            "rank", "unit", "name_uk", "name_en", "oblast", "period", "measure", "value",
        ]
        .map(String::from)
        .to_vec(),
        rows: ranking
            .iter()
            .map(|r| {
                let oblast = cube
                    .oblast_of(r.slot)
                    .map(|o| cube.snapshot.node(cube.node(o)).name(lang).to_string())
                    .unwrap_or_default();
                vec![
                    Cell::from(r.rank),
                    Cell::from(r.unit.as_str()),
                    Cell::from(r.name_uk.as_str()),
                    Cell::from(r.name_en.as_str()),
                    Cell::from(oblast),
                    Cell::from(sel.period_code().unwrap_or_default()),
                    Cell::from(sel.measure.code()),
                    Cell::Number(Some(r.value)),
                ]
            })
            .collect(),
    }
}

fn aggregates_table(rows: &[AggregateOut], lang: Lang) -> Table {
    Table {
        headers: [
            "unit",
            "name",
            "value",
            "covered",
            "expected",
            "population_covered",
            "population_total",
        ]
        .map(String::from)
        .to_vec(),
        rows: rows
            .iter()
            .map(|a| {
                vec![
                    Cell::from(a.unit.as_str()),
                    Cell::from(name_of(lang, &a.name_uk, &a.name_en)),
                    Cell::Number(a.value),
                    Cell::from(a.covered),
                    Cell::from(a.expected),
                    Cell::Number(Some(a.population_covered as f64)),
                    Cell::Number(Some(a.population_total as f64)),
                ]
            })
            .collect(),
    }
}

/// The map as an SVG document, for the page's image and for download.
pub async fn map_svg(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(path): Path<CodePath>,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let lang = ctx.lang;
    let sel = selection(&state, &path.code, &q).await?;
    let svg = map_of(&sel, &sel.ranking(), lang).ok_or(AppError::NotFound)?;
    let period = sel.period_code().unwrap_or_default();
    Ok(svg::response(
        svg,
        &format!("{}-{period}-map.svg", sel.indicator.code),
    ))
}

/// The choropleth of a selection: its hromadas (those of the chosen oblast, or all) by the
/// quantile class of their value.
fn map_of(sel: &Selection, ranking: &[RankedUnit], lang: Lang) -> Option<String> {
    let values: Vec<f64> = ranking.iter().map(|r| r.value).collect();
    let breaks = quantile_breaks(&values, CLASSES);
    let by_slot: std::collections::HashMap<usize, f64> =
        ranking.iter().map(|r| (r.slot, r.value)).collect();
    let cube = &sel.cube;
    let areas: Vec<Area> = cube
        .hromadas()
        .iter()
        .filter(|&&s| {
            sel.scope
                .within
                .is_none_or(|w| cube.oblast_of(s) == Some(w) || cube.raion_of(s) == Some(w))
        })
        .map(|&s| {
            let node = cube.snapshot.node(cube.node(s));
            let value = by_slot.get(&s).copied();
            Area {
                code: &node.code,
                label: match value {
                    Some(v) => format!("{}: {}", node.name(lang), shown(sel, v, lang)),
                    None => format!("{}: {}", node.name(lang), lang.t("stat-no-value")),
                },
                class: value.and_then(|v| class_of(v, &breaks)),
            }
        })
        .collect();
    let i = &sel.indicator;
    let period = sel.period_code().unwrap_or_default();
    let title = lang.t_args(
        "stat-map-alt",
        &[
            ("name", Arg::Str(&name_of(lang, &i.name_uk, &i.name_en))),
            ("period", Arg::Str(&period)),
        ],
    );
    choropleth(
        &title,
        &areas,
        &legend(&breaks, &values, sel, lang),
        &lang.t("stat-no-value"),
    )
}

/// The distribution chart as an SVG document.
pub async fn histogram_svg(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(path): Path<CodePath>,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let lang = ctx.lang;
    let sel = selection(&state, &path.code, &q).await?;
    let values: Vec<f64> = sel.ranking().iter().map(|r| r.value).collect();
    let i = &sel.indicator;
    let svg = svg::histogram(
        &lang.t_args(
            "stat-histogram-title",
            &[("name", Arg::Str(&name_of(lang, &i.name_uk, &i.name_en)))],
        ),
        &bins(&values, &sel, lang),
    );
    let period = sel.period_code().unwrap_or_default();
    Ok(svg::response(
        svg,
        &format!("{}-{period}-histogram.svg", i.code),
    ))
}
