//! Comparison (`/{lang}/statistics/compare`): up to ten communities and up to ten indicators,
//! each indicator as a table of the communities over its periods and a line chart of the same.
//! Communities are named by codifier code or by name (the registry's search picks the best
//! hromada); each table downloads as CSV, XLSX or JSON and each chart as SVG.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};

use super::api::{RankingQuery, Selection, series_of};
use super::query::Measure;
use super::svg;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::registry::Level;
use crate::state::AppState;
use crate::statistics::ValueType;
use crate::statistics::pages::format_value;
use crate::web::Ctx;
use crate::web::download::{Cell, Format, Table};
use crate::web::page::{PageCtx, render};

/// The most communities and indicators one comparison holds.
pub const MOST: usize = 10;

#[derive(Debug, Default)]
struct CompareQuery {
    units: String,
    indicators: Vec<String>,
    per_capita: bool,
    format: Option<String>,
    /// The indicator whose chart to give as SVG.
    chart: Option<String>,
}

/// Reads the query; `indicators` may come once per ticked box.
fn parse(raw: Option<&str>) -> AppResult<CompareQuery> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.unwrap_or_default())
        .map_err(|_| AppError::BadRequest("error-bad-request"))?;
    let mut q = CompareQuery::default();
    for (k, v) in pairs {
        match k.as_str() {
            "units" => q.units = v,
            "indicators" => q.indicators.extend(
                v.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from),
            ),
            "measure" => q.per_capita = v == "per_capita",
            "format" => q.format = Some(v),
            "chart" => q.chart = Some(v),
            _ => {}
        }
    }
    q.indicators.dedup();
    Ok(q)
}

/// One indicator compared.
pub struct Block {
    pub code: String,
    pub title: String,
    pub periods: Vec<String>,
    /// (community, values as shown per period)
    pub rows: Vec<(String, Vec<String>)>,
    pub chart: String,
}

#[derive(Template)]
#[template(path = "statistics/compare.html")]
struct ComparePage {
    p: PageCtx,
    units_text: String,
    indicators: Vec<(String, String, bool)>,
    per_capita: bool,
    /// The communities found, by name.
    found: Vec<String>,
    blocks: Vec<Block>,
    keep: String,
}

/// The units named in `text` (codes or names, separated by commas), as slots; every name not
/// found is reported.
fn resolve_units(sel: &Selection, text: &str) -> AppResult<Vec<usize>> {
    let cube = &sel.cube;
    let names: Vec<&str> = text
        .split([',', ';', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if names.len() > MOST {
        return Err(AppError::field("units", "stat-error-compare-many"));
    }
    let mut out = Vec::new();
    for name in names {
        let node = cube.snapshot.find(name).or_else(|| {
            cube.snapshot
                .search(name, Some(Level::Hromada), 1, 0)
                .0
                .first()
                .copied()
        });
        match node.and_then(|n| cube.slot(n)) {
            Some(s) if !out.contains(&s) => out.push(s),
            Some(_) => {}
            None => return Err(AppError::field("units", "stat-error-compare-unit")),
        }
    }
    Ok(out)
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    RawQuery(raw): RawQuery,
) -> AppResult<Response> {
    let lang = ctx.lang;
    let q = parse(raw.as_deref())?;
    let format = Format::from_query(q.format.as_deref())?;
    if q.indicators.len() > MOST {
        return Err(AppError::field("indicators", "stat-error-compare-many"));
    }
    let cube = crate::statistics::analysis::cube::current(&state).await?;
    let measure = if q.per_capita { "per_capita" } else { "value" };
    let mut blocks = Vec::new();
    let mut table = Table {
        headers: [
            "indicator",
            "unit",
            "name_uk",
            "name_en",
            "period",
            "measure",
            "value",
        ]
        .map(String::from)
        .to_vec(),
        rows: Vec::new(),
    };
    let mut found = Vec::new();
    for code in &q.indicators {
        let Some(indicator) = cube.indicator(code) else {
            return Err(AppError::field("indicators", "stat-error-indicator"));
        };
        // Per inhabitant where the indicator has it; as it is otherwise.
        let m = if q.per_capita && indicator.is_per_capita {
            measure
        } else {
            "value"
        };
        let sel = Selection::resolve(
            &state,
            &RankingQuery {
                indicator: Some(code.clone()),
                measure: Some(m.into()),
                ..RankingQuery::default()
            },
        )
        .await?;
        let slots = resolve_units(&sel, &q.units)?;
        if found.is_empty() {
            found = slots
                .iter()
                .map(|&s| sel.cube.snapshot.node(sel.cube.node(s)).title(lang))
                .collect();
        }
        let out = series_of(&sel, &slots);
        let t = if sel.measure == Measure::PerCapita {
            ValueType::Decimal
        } else {
            ValueType::parse(&indicator.value_type).unwrap_or(ValueType::Decimal)
        };
        let name = lang
            .pick(&indicator.name_uk, &indicator.name_en)
            .to_string();
        let title = if sel.measure == Measure::PerCapita {
            format!("{name}, {}", lang.t("stat-per-capita"))
        } else {
            let unit = lang.pick(&indicator.measure_uk, &indicator.measure_en);
            if unit.is_empty() {
                name
            } else {
                format!("{name}, {unit}")
            }
        };
        for s in &out.series {
            for (p, v) in out.periods.iter().zip(&s.values) {
                table.rows.push(vec![
                    Cell::from(code.as_str()),
                    Cell::from(s.unit.as_str()),
                    Cell::from(s.name_uk.as_str()),
                    Cell::from(s.name_en.as_str()),
                    Cell::from(p.as_str()),
                    Cell::from(sel.measure.code()),
                    Cell::Number(*v),
                ]);
            }
        }
        let labels: Vec<String> = out
            .series
            .iter()
            .map(|s| lang.pick(&s.name_uk, &s.name_en).to_string())
            .collect();
        let lines: Vec<svg::Line> = out
            .series
            .iter()
            .zip(&labels)
            .map(|(s, l)| svg::Line {
                label: l,
                values: s.values.clone(),
            })
            .collect();
        let chart = svg::line_chart(
            &format!("chart-{code}"),
            &title,
            &out.periods,
            &lines,
            &|v| short(v, lang),
        );
        if q.chart.as_deref() == Some(code.as_str()) {
            return Ok(svg::response(chart, &format!("{code}-comparison.svg")));
        }
        blocks.push(Block {
            code: code.clone(),
            rows: out
                .series
                .iter()
                .zip(&labels)
                .map(|(s, l)| {
                    (
                        l.clone(),
                        s.values
                            .iter()
                            .map(|v| v.map(|v| format_value(v, t, lang)).unwrap_or_default())
                            .collect(),
                    )
                })
                .collect(),
            periods: out.periods,
            title,
            chart,
        });
    }
    if q.chart.is_some() {
        return Err(AppError::NotFound);
    }
    if let Some(format) = format {
        return table.respond(format, "hromada-comparison");
    }
    let keep = serde_urlencoded::to_string(
        std::iter::once(("units", q.units.as_str()))
            .chain(q.indicators.iter().map(|i| ("indicators", i.as_str())))
            .chain(q.per_capita.then_some(("measure", "per_capita")))
            .collect::<Vec<_>>(),
    )
    .unwrap_or_default();
    let indicators = cube
        .indicators
        .iter()
        .map(|i| {
            (
                i.code.clone(),
                lang.pick(&i.name_uk, &i.name_en).to_string(),
                q.indicators.contains(&i.code),
            )
        })
        .collect();
    Ok(render(&ComparePage {
        p: PageCtx::new(&ctx, "stat-compare-title"),
        units_text: q.units.clone(),
        indicators,
        per_capita: q.per_capita,
        found,
        blocks,
        keep,
    })?
    .into_response())
}

/// An axis label: millions and thousands shortened.
fn short(v: f64, lang: Lang) -> String {
    let (scaled, suffix) = if v.abs() >= 1e9 {
        (v / 1e9, lang.t("stat-billion"))
    } else if v.abs() >= 1e6 {
        (v / 1e6, lang.t("stat-million"))
    } else if v.abs() >= 1e4 {
        (v / 1e3, lang.t("stat-thousand"))
    } else {
        return format_value(v, ValueType::Decimal, lang);
    };
    format!(
        "{} {suffix}",
        format_value(scaled, ValueType::Decimal, lang)
    )
}
