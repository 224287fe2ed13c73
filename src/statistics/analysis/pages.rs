//! The statistics of one community (`/{lang}/units/{code}/statistics`): every indicator with its
//! latest approved value, a sparkline of its history, its place among all hromadas and among
//! its peers, the value per inhabitant where the indicator has one, and each number's source.
//! For an oblast or a raion: each indicator's aggregate with its coverage.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::cube::{Cube, Series};
use super::query::{Measure, Scope, View, aggregates};
use super::{Band, Peers, svg};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::i18n::{Arg, Lang};
use crate::registry::{Level, UnitCode};
use crate::state::AppState;
use crate::statistics::pages::format_value;
use crate::statistics::repo::IndicatorRow;
use crate::statistics::{Aggregation, ValueType};
use crate::web::Ctx;
use crate::web::download::{Cell, Format, Table};
use crate::web::extract::Path;
use crate::web::page::{PageCtx, render};

#[derive(Deserialize)]
pub struct UnitPath {
    code: UnitCode,
}

#[derive(Deserialize, Default)]
pub struct PeerQuery {
    /// Narrow the peers to the same oblast.
    #[serde(default)]
    oblast: Option<String>,
    /// Narrow the peers to the same wartime status.
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    format: Option<String>,
}

/// A place in a ranking as people read it: "12 з 1 469".
pub fn place_text(place: Option<(u32, u32)>, lang: Lang) -> String {
    use crate::registry::pages::group;
    place.map_or_else(String::new, |(n, total)| {
        let (n, total) = (group(i64::from(n), lang), group(i64::from(total), lang));
        lang.t_args(
            "stat-place",
            &[("n", Arg::Str(&n)), ("count", Arg::Str(&total))],
        )
    })
}

/// A value per inhabitant: two decimals.
pub fn per_capita_text(v: f64, lang: Lang) -> String {
    format_value(v, ValueType::Decimal, lang)
}

/// The source of a value in the page's language: shipped values carry their indicator's
/// Ukrainian source, which has an English twin.
pub fn source_in(source: &str, indicator: &IndicatorRow, lang: Lang) -> String {
    if source == indicator.source_uk {
        lang.pick(&indicator.source_uk, &indicator.source_en)
            .to_string()
    } else {
        source.to_string()
    }
}

/// A place in a ranking and how many were ranked.
pub type Place = (u32, u32);

/// One indicator's line on a hromada's page.
pub struct Line {
    pub code: String,
    pub name: String,
    pub measure: String,
    pub period: String,
    pub partial: bool,
    pub value: String,
    pub raw: f64,
    pub spark: String,
    pub place_all: Option<(u32, u32)>,
    pub place_peers: Option<(u32, u32)>,
    /// Per inhabitant: the value and its places.
    pub per_capita: Option<(f64, Option<Place>, Option<Place>)>,
    pub source: String,
}

/// One indicator's aggregate on an oblast's or raion's page.
pub struct AreaLine {
    pub code: String,
    pub name: String,
    pub measure: String,
    pub period: String,
    pub value: String,
    pub raw: Option<f64>,
    pub rule: String,
    pub covered: u32,
    pub expected: u32,
    pub share: String,
}

#[derive(Template)]
#[template(path = "statistics/community.html")]
struct CommunityPage {
    p: PageCtx,
    code: String,
    unit_title: String,
    /// The peer group, stated; empty when the hromada has none (no type or population).
    peers_text: String,
    same_oblast: bool,
    same_status: bool,
    has_status: bool,
    /// The peer options, to keep in the download links (`oblast=1&`).
    keep: String,
    lines: Vec<Line>,
    areas: Vec<AreaLine>,
    any_partial: bool,
}

impl CommunityPage {
    fn place(&self, place: &Option<(u32, u32)>) -> String {
        place_text(*place, self.p.lang)
    }

    fn per_capita(&self, v: &f64) -> String {
        per_capita_text(*v, self.p.lang)
    }
}

/// The peers of a hromada, stated: "сільські громади з населенням 10–20 тис. осіб у
/// Вінницькій області, 85 громад".
fn peers_text(cube: &Cube, peers: &Peers, count: usize, lang: Lang) -> String {
    let band = band_text(peers.band, lang);
    let mut text = lang.t_args(
        &format!("stat-peers-{}", peers.kind.code()),
        &[
            ("share", Arg::Str(&band)),
            ("count", Arg::Num(count as i64)),
        ],
    );
    if let Some(o) = peers.oblast {
        let name = cube.snapshot.node(cube.node(o)).title(lang);
        text.push_str(&lang.t_args("stat-peers-in", &[("name", Arg::Str(&name))]));
    }
    if let Some(s) = peers.status {
        let label = lang.t(&format!("unit-status-{}", s.code()));
        text.push_str(&lang.t_args("stat-peers-status", &[("name", Arg::Str(&label))]));
    }
    text
}

fn checked(v: &Option<String>) -> bool {
    matches!(v.as_deref(), Some("1" | "on" | "true"))
}

/// The page, or its table as CSV, XLSX or JSON.
pub async fn community(
    State(state): State<AppState>,
    ctx: Ctx,
    path: Result<Path<UnitPath>, Response>,
    Query(q): Query<PeerQuery>,
) -> AppResult<Response> {
    // A malformed code names no unit: 404 like an unknown one, as this page always answered.
    let Ok(Path(path)) = path else {
        return Err(AppError::NotFound);
    };
    let lang = ctx.lang;
    let format = Format::from_query(q.format.as_deref())?;
    let cube = crate::statistics::analysis::cube::current(&state).await?;
    let Some(node) = cube.snapshot.find(path.code.as_str()) else {
        return Err(AppError::NotFound);
    };
    let Some(slot) = cube.slot(node) else {
        return Err(AppError::NotFound);
    };
    let unit = cube.snapshot.node(node);
    let population = match cube.indicator(super::POPULATION) {
        Some(p) => Some(cube.series(&state.db, p.id).await?),
        None => None,
    };
    let (same_oblast, same_status) = (checked(&q.oblast), checked(&q.status));
    let mut lines = Vec::new();
    let mut areas = Vec::new();
    let mut peers_line = String::new();
    let profile = super::query::profile(&cube, slot);
    if unit.level() == Level::Hromada {
        let peers = Peers::of(&profile, same_oblast, same_status);
        if let Some(peers) = &peers {
            let count = cube
                .hromadas()
                .iter()
                .filter(|&&s| peers.includes(&super::query::profile(&cube, s)))
                .count();
            peers_line = peers_text(&cube, peers, count, lang);
        }
        for indicator in &cube.indicators {
            let series = cube.series(&state.db, indicator.id).await?;
            if let Some(line) = hromada_line(
                &cube,
                &series,
                population.as_deref(),
                indicator,
                slot,
                peers,
                lang,
            ) {
                lines.push(line);
            }
        }
    } else {
        let level = unit.level();
        for indicator in &cube.indicators {
            let series = cube.series(&state.db, indicator.id).await?;
            let weights = weight_series(&state.db, &cube, indicator).await?;
            if let Some(line) = area_line(
                &cube,
                &series,
                weights.as_deref(),
                indicator,
                slot,
                level,
                lang,
            ) {
                areas.push(line);
            }
        }
    }
    let unit_title = unit.title(lang);
    if let Some(format) = format {
        return download(&lines, &areas).respond(format, &format!("{}-statistics", unit.code));
    }
    let any_partial = lines.iter().any(|l| l.partial);
    let title = lang.t_args("stat-community-title", &[("name", Arg::Str(&unit_title))]);
    Ok(render(&CommunityPage {
        p: PageCtx::new(&ctx, "stat-community-title").with_title(title),
        code: unit.code.clone(),
        unit_title,
        peers_text: peers_line,
        same_oblast,
        same_status,
        has_status: profile.status.is_some(),
        keep: format!(
            "{}{}",
            if same_oblast { "oblast=1&" } else { "" },
            if same_status { "status=1&" } else { "" }
        ),
        lines,
        areas,
        any_partial,
    })?
    .into_response())
}

/// The series a weighted mean of `indicator` weighs by, if it has one.
pub async fn weight_series(
    db: &Db,
    cube: &Cube,
    indicator: &IndicatorRow,
) -> AppResult<Option<std::sync::Arc<Series>>> {
    if let Some(Aggregation::WeightedMean(by)) = Aggregation::parse(&indicator.aggregation)
        && let Some(w) = cube.indicator(&by)
    {
        return Ok(Some(cube.series(db, w.id).await?));
    }
    Ok(None)
}

fn hromada_line(
    cube: &Cube,
    series: &Series,
    population: Option<&Series>,
    indicator: &IndicatorRow,
    slot: usize,
    peers: Option<Peers>,
    lang: Lang,
) -> Option<Line> {
    let p = series.latest(slot)?;
    let value = series.get(slot, p)?;
    let t = ValueType::parse(&indicator.value_type).unwrap_or(ValueType::Decimal);
    let name = lang
        .pick(&indicator.name_uk, &indicator.name_en)
        .to_string();
    let history: Vec<Option<f64>> = (0..series.periods.len())
        .map(|k| series.get(slot, k))
        .collect();
    let label = series
        .periods
        .iter()
        .zip(&history)
        .filter_map(|(period, v)| {
            v.map(|v| format!("{}: {}", period.code(), format_value(v, t, lang)))
        })
        .collect::<Vec<_>>()
        .join("; ");
    let view = View {
        cube,
        series,
        population,
        measure: Measure::Value,
    };
    let all = Scope::default();
    let among = peers.map(|peers| Scope {
        peers: Some(peers),
        ..Scope::default()
    });
    let per_capita = (indicator.is_per_capita && population.is_some())
        .then(|| {
            let pc = View {
                measure: Measure::PerCapita,
                ..view
            };
            let v = pc.value(slot, p)?;
            Some((
                v,
                pc.place(slot, p, &all),
                among.and_then(|s| pc.place(slot, p, &s)),
            ))
        })
        .flatten();
    let (source, partial) = series.note(slot, p);
    Some(Line {
        code: indicator.code.clone(),
        spark: svg::sparkline(&history, &format!("{name}: {label}")),
        name,
        measure: lang
            .pick(&indicator.measure_uk, &indicator.measure_en)
            .to_string(),
        period: series.periods[p].code(),
        partial,
        value: format_value(value, t, lang),
        raw: value,
        place_all: view.place(slot, p, &all),
        place_peers: among.and_then(|s| view.place(slot, p, &s)),
        per_capita,
        source: source_in(source, indicator, lang),
    })
}

fn area_line(
    cube: &Cube,
    series: &Series,
    weights: Option<&Series>,
    indicator: &IndicatorRow,
    slot: usize,
    level: Level,
    lang: Lang,
) -> Option<AreaLine> {
    let rule = Aggregation::parse(&indicator.aggregation).unwrap_or(Aggregation::None);
    let p = series.last_period()?;
    let view = View {
        cube,
        series,
        population: None,
        measure: Measure::Value,
    };
    let found = aggregates(&view, &rule, weights, p, level)
        .into_iter()
        .find(|a| a.area == slot)?;
    let a = found.aggregate;
    let t = ValueType::parse(&indicator.value_type).unwrap_or(ValueType::Decimal);
    Some(AreaLine {
        code: indicator.code.clone(),
        name: lang
            .pick(&indicator.name_uk, &indicator.name_en)
            .to_string(),
        measure: lang
            .pick(&indicator.measure_uk, &indicator.measure_en)
            .to_string(),
        period: series.periods[p].code(),
        value: a
            .value
            .map(|v| format_value(v, t, lang))
            .unwrap_or_default(),
        raw: a.value,
        rule: rule_text(&rule, cube, lang),
        covered: a.covered,
        expected: a.expected,
        share: a
            .population_share()
            .map(|s| format_value(s * 100.0, ValueType::Percent, lang))
            .unwrap_or_default(),
    })
}

/// How an indicator adds up, in words.
pub fn rule_text(rule: &Aggregation, cube: &Cube, lang: Lang) -> String {
    match rule {
        Aggregation::WeightedMean(by) => {
            let name = cube.indicator(by).map_or(by.clone(), |i| {
                lang.pick(&i.name_uk, &i.name_en).to_string()
            });
            lang.t_args("stat-rule-weighted_mean", &[("name", Arg::Str(&name))])
        }
        other => lang.t(&format!("stat-rule-{}", other.code())),
    }
}

/// The cells every row of a download starts with.
fn first_cells(code: &str, name: &str, measure: &str, period: &str) -> Vec<Cell> {
    [code, name, measure, period].map(Cell::from).to_vec()
}

fn download(lines: &[Line], areas: &[AreaLine]) -> Table {
    let n = |v: Option<(u32, u32)>| Cell::Number(v.map(|(n, _)| f64::from(n)));
    let of = |v: Option<(u32, u32)>| Cell::Number(v.map(|(_, t)| f64::from(t)));
    if !areas.is_empty() {
        return Table {
            headers: [
                "indicator",
                "name",
                "measure",
                "period",
                "value",
                "rule",
                "covered",
                "expected",
            ]
            .map(String::from)
            .to_vec(),
            rows: areas
                .iter()
                .map(|a| {
                    let mut row = first_cells(&a.code, &a.name, &a.measure, &a.period);
                    row.extend([
                        Cell::Number(a.raw),
                        Cell::from(a.rule.as_str()),
                        Cell::from(a.covered),
                        Cell::from(a.expected),
                    ]);
                    row
                })
                .collect(),
        };
    }
    Table {
        headers: [
            "indicator",
            "name",
            "measure",
            "period",
            "value",
            "is_partial",
            "rank",
            "ranked",
            "peer_rank",
            "peers_ranked",
            "per_capita",
            "per_capita_rank",
            "per_capita_peer_rank",
            "source",
        ]
        .map(String::from)
        .to_vec(),
        rows: lines
            .iter()
            .map(|l| {
                let mut row = first_cells(&l.code, &l.name, &l.measure, &l.period);
                row.extend([
                    Cell::Number(Some(l.raw)),
                    Cell::Number(Some(if l.partial { 1.0 } else { 0.0 })),
                    n(l.place_all),
                    of(l.place_all),
                    n(l.place_peers),
                    of(l.place_peers),
                    Cell::Number(l.per_capita.map(|p| p.0)),
                    n(l.per_capita.and_then(|p| p.1)),
                    n(l.per_capita.and_then(|p| p.2)),
                    Cell::from(l.source.as_str()),
                ]);
                row
            })
            .collect(),
    }
}

/// Bands in words, for filters.
pub fn band_text(band: Band, lang: Lang) -> String {
    let (lo, hi) = band.edges();
    match hi {
        Some(hi) => lang.t_args(
            "stat-band",
            &[("old", Arg::Num(lo / 1_000)), ("new", Arg::Num(hi / 1_000))],
        ),
        None => lang.t_args("stat-band-over", &[("old", Arg::Num(lo / 1_000))]),
    }
}
