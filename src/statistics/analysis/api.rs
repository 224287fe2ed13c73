//! JSON API of the analysis: rankings, aggregates by oblast or raion, and series over periods,
//! all on approved values. The same selection rules serve the pages ([`Selection::resolve`]).

use std::sync::Arc;

use axum::extract::State;
use serde::{Deserialize, Serialize};

use super::cube::{Cube, Series};
use super::query::{Measure, Scope, View, aggregates, in_scope};
use super::{Band, Order};
use crate::error::{AppError, AppResult};
use crate::registry::attributes::{HromadaType, Status};
use crate::registry::{Level, UnitCode};
use crate::state::AppState;
use crate::statistics::repo::IndicatorRow;
use crate::statistics::{Aggregation, Period};
use crate::web::extract::{Json, Query};

/// The largest page of a ranking.
pub const MAX_LIMIT: i64 = 2_000;
/// The most units one series request may name.
pub const MAX_SERIES_UNITS: usize = 100;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RankingQuery {
    /// An indicator's code (required).
    #[param(required = true)]
    pub indicator: Option<String>,
    /// `2022`, `2022-Q3` or `2022-07`; the latest period with values when absent.
    pub period: Option<String>,
    /// hromada (default), raion or oblast; raions and oblasts are ranked by their aggregate.
    #[param(pattern = "^(hromada|raion|oblast)?$")]
    pub level: Option<String>,
    /// An oblast's or raion's codifier code: only what lies beneath it.
    #[param(value_type = Option<String>, pattern = r"^\s*(UA[0-9]{17})?\s*$")]
    #[serde(default, deserialize_with = "crate::registry::code::blank_as_none")]
    pub parent: Option<UnitCode>,
    /// value (default) or per_capita (indicators shown per inhabitant only).
    pub measure: Option<String>,
    /// desc (default: the largest first) or asc.
    pub order: Option<String>,
    /// Hromadas of one type: urban, settlement or rural.
    pub kind: Option<String>,
    /// Hromadas of one population band: 0-5k, 5k-10k, 10k-20k, 20k-50k, 50k-100k, 100k-250k, 250k+.
    pub band: Option<String>,
    /// Hromadas of one wartime status: rear, frontline, occupied, deoccupied.
    pub status: Option<String>,
    /// Rows of the ranking to answer with: 1 to 2,000, 100 when absent.
    #[param(minimum = 1, maximum = 2000)]
    pub limit: Option<i64>,
    /// Rows to skip first: 0 or more.
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

/// A checked selection: everything a ranking, an aggregate or a page needs.
pub struct Selection {
    pub cube: Arc<Cube>,
    pub indicator: IndicatorRow,
    pub series: Arc<Series>,
    pub population: Option<Arc<Series>>,
    pub weights: Option<Arc<Series>>,
    pub rule: Aggregation,
    /// The period's index in the series; `None` when the indicator has no values yet.
    pub period: Option<usize>,
    pub level: Level,
    pub scope: Scope,
    pub measure: Measure,
    pub order: Order,
}

impl Selection {
    /// Reads and checks a query; every bad field is named in one 422.
    pub async fn resolve(state: &AppState, q: &RankingQuery) -> AppResult<Selection> {
        let cube = crate::statistics::analysis::cube::current(state).await?;
        let mut problems: Vec<(String, String)> = Vec::new();
        let mut bad = |field: &str, key: &str| problems.push((field.into(), key.into()));
        let indicator = match q.indicator.as_deref().map(str::trim) {
            None | Some("") => {
                bad("indicator", "stat-error-indicator-missing");
                None
            }
            Some(code) => {
                let found = cube.indicator(code).cloned();
                if found.is_none() {
                    bad("indicator", "stat-error-indicator");
                }
                found
            }
        };
        let period = match q.period.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
            None => None,
            Some(p) => match Period::parse(p) {
                Ok(p) => Some(p),
                Err(key) => {
                    bad("period", key);
                    None
                }
            },
        };
        let level = match q.level.as_deref().unwrap_or("hromada") {
            "hromada" | "" => Level::Hromada,
            "raion" => Level::Raion,
            "oblast" => Level::Oblast,
            _ => {
                bad("level", "stat-error-level");
                Level::Hromada
            }
        };
        let mut scope = Scope::default();
        if let Some(code) = &q.parent {
            match cube.snapshot.find(code.as_str()).and_then(|n| cube.slot(n)) {
                Some(s)
                    if matches!(
                        cube.snapshot.node(cube.node(s)).level(),
                        Level::Oblast | Level::Raion
                    ) =>
                {
                    scope.within = Some(s)
                }
                _ => bad("parent", "stat-error-parent"),
            }
        }
        let given = |raw: &Option<String>| {
            raw.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        if let Some(k) = given(&q.kind) {
            match HromadaType::parse(&k) {
                Some(k) => scope.kind = Some(k),
                None => bad("kind", "stat-error-kind"),
            }
        }
        if let Some(b) = given(&q.band) {
            match Band::parse(&b) {
                Some(b) => scope.band = Some(b),
                None => bad("band", "stat-error-band"),
            }
        }
        if let Some(s) = given(&q.status) {
            match Status::parse(&s) {
                Some(s) => scope.status = Some(s),
                None => bad("status", "stat-error-status"),
            }
        }
        let measure = match Measure::parse(q.measure.as_deref().unwrap_or("").trim()) {
            Some(Measure::PerCapita) if indicator.as_ref().is_some_and(|i| !i.is_per_capita) => {
                bad("measure", "stat-error-measure");
                Measure::Value
            }
            Some(m) => m,
            None => {
                bad("measure", "stat-error-measure");
                Measure::Value
            }
        };
        let order = match Order::parse(q.order.as_deref().unwrap_or("desc").trim()) {
            Some(o) => o,
            None => {
                bad("order", "stat-error-order");
                Order::Descending
            }
        };
        if q.limit.is_some_and(|l| !(1..=MAX_LIMIT).contains(&l)) {
            bad("limit", "stat-error-limit");
        }
        if q.offset.is_some_and(|o| o < 0) {
            bad("offset", "error-offset-range");
        }
        let Some(indicator) = indicator.filter(|_| problems.is_empty()) else {
            return Err(AppError::Invalid(problems));
        };
        let series = cube.series(&state.db, indicator.id).await?;
        let period = match period {
            Some(p) => match series.period_index(p) {
                Some(i) => Some(i),
                None => return Err(AppError::field("period", "stat-error-period-none")),
            },
            None => series.last_period(),
        };
        let population = match cube.indicator(super::POPULATION) {
            Some(p) if measure == Measure::PerCapita => Some(cube.series(&state.db, p.id).await?),
            _ => None,
        };
        let rule = Aggregation::parse(&indicator.aggregation).unwrap_or(Aggregation::None);
        let weights = match &rule {
            Aggregation::WeightedMean(by) => match cube.indicator(by) {
                Some(w) => Some(cube.series(&state.db, w.id).await?),
                None => None,
            },
            _ => None,
        };
        Ok(Selection {
            cube,
            indicator,
            series,
            population,
            weights,
            rule,
            period,
            level,
            scope,
            measure,
            order,
        })
    }

    pub fn view(&self) -> View<'_> {
        View {
            cube: &self.cube,
            series: &self.series,
            population: self.population.as_deref(),
            measure: self.measure,
        }
    }

    pub fn period_code(&self) -> Option<String> {
        self.period.map(|p| self.series.periods[p].code())
    }

    /// The ranking the selection asks for: hromadas by value, or raions and oblasts by their
    /// aggregate (those in `parent`, when given).
    pub fn ranking(&self) -> Vec<RankedUnit> {
        let Some(p) = self.period else {
            return Vec::new();
        };
        let cube = &self.cube;
        let view = self.view();
        let unit =
            |slot: usize, value: f64, rank: u32, coverage: Option<(u32, u32, Option<f64>)>| {
                let node = cube.snapshot.node(cube.node(slot));
                RankedUnit {
                    rank,
                    unit: node.code.clone(),
                    name_uk: node.name_uk.clone(),
                    name_en: node.name_en.clone(),
                    value,
                    covered: coverage.map(|c| c.0),
                    expected: coverage.map(|c| c.1),
                    population_share: coverage.and_then(|c| c.2),
                    slot,
                }
            };
        if self.level == Level::Hromada {
            return view
                .ranking(p, &self.scope, self.order)
                .into_iter()
                .map(|r| unit(r.key, r.value, r.rank, None))
                .collect();
        }
        let all = aggregates(&view, &self.rule, self.weights.as_deref(), p, self.level);
        let within = |area: usize| {
            self.scope.within.is_none_or(|w| {
                w == area || cube.oblast_of(area) == Some(w) || cube.raion_of(area) == Some(w)
            })
        };
        let coverage: std::collections::HashMap<usize, (u32, u32, Option<f64>)> = all
            .iter()
            .map(|a| {
                (
                    a.area,
                    (
                        a.aggregate.covered,
                        a.aggregate.expected,
                        a.aggregate.population_share(),
                    ),
                )
            })
            .collect();
        super::rank(
            all.iter()
                .filter(|a| within(a.area))
                .filter_map(|a| Some((a.area, a.aggregate.value?))),
            self.order,
        )
        .into_iter()
        .map(|r| unit(r.key, r.value, r.rank, coverage.get(&r.key).copied()))
        .collect()
    }

    /// Whether a hromada (slot) is in the selection's scope.
    pub fn includes(&self, slot: usize) -> bool {
        in_scope(&self.cube, slot, &self.scope)
    }
}

/// One place of a ranking.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RankedUnit {
    pub rank: u32,
    /// The unit's codifier code.
    pub unit: String,
    pub name_uk: String,
    pub name_en: String,
    pub value: f64,
    /// For raions and oblasts: hromadas whose values entered the aggregate, of how many.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub covered: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<u32>,
    /// For raions and oblasts: the share (0–1) of the population the aggregate covers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub population_share: Option<f64>,
    #[serde(skip)]
    pub slot: usize,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RankingOut {
    pub indicator: String,
    /// The period ranked; null when the indicator has no values.
    pub period: Option<String>,
    pub level: String,
    pub measure: String,
    pub order: String,
    /// Units ranked in all (the page holds `limit` of them from `offset`).
    pub total: usize,
    pub items: Vec<RankedUnit>,
}

/// A ranking of hromadas by an indicator (or of raions and oblasts by its aggregate), with
/// ties sharing a place.
#[utoipa::path(get, path = "/api/v1/statistics/rankings", tag = "statistics", operation_id = "get_ranking",
    params(RankingQuery), security((), ("bearer" = []), ("session" = [])),
    responses((status = 200, body = RankingOut)))]
pub async fn rankings(
    State(state): State<AppState>,
    Query(q): Query<RankingQuery>,
) -> AppResult<Json<RankingOut>> {
    let sel = Selection::resolve(&state, &q).await?;
    let all = sel.ranking();
    // `resolve` checked both: within 0.. and 1..=MAX_LIMIT.
    let offset = usize::try_from(q.offset.unwrap_or(0)).unwrap_or(0);
    let limit = usize::try_from(q.limit.unwrap_or(100)).unwrap_or(0);
    Ok(Json(RankingOut {
        indicator: sel.indicator.code.clone(),
        period: sel.period_code(),
        level: sel.level.code().to_string(),
        measure: sel.measure.code().to_string(),
        order: sel.order.code().to_string(),
        total: all.len(),
        items: all.into_iter().skip(offset).take(limit).collect(),
    }))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AggregateQuery {
    /// An indicator's code (required).
    #[param(required = true)]
    pub indicator: Option<String>,
    /// The period; the latest with values when absent.
    pub period: Option<String>,
    /// oblast (default) or raion.
    #[param(pattern = "^(oblast|raion)$")]
    pub level: Option<String>,
    /// value (default) or per_capita.
    pub measure: Option<String>,
}

/// One area's aggregate.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AggregateOut {
    pub unit: String,
    pub name_uk: String,
    pub name_en: String,
    /// Null when no hromada of the area counts, or the indicator does not add up.
    pub value: Option<f64>,
    /// Hromadas whose values entered the aggregate, and all the area's hromadas.
    pub covered: u32,
    pub expected: u32,
    /// Population (1 January 2022) of the hromadas covered, and of all of them.
    pub population_covered: i64,
    pub population_total: i64,
    pub population_share: Option<f64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AggregatesOut {
    pub indicator: String,
    pub period: Option<String>,
    pub level: String,
    pub measure: String,
    /// sum, weighted_mean:<indicator>, mean, min, max or none (per inhabitant: a mean weighted
    /// by population, which is the sum of the values over the sum of the populations).
    pub rule: String,
    pub items: Vec<AggregateOut>,
}

/// Aggregates the selection's period by oblast or raion; every area listed, with coverage.
pub fn aggregates_of(sel: &Selection) -> Vec<AggregateOut> {
    let Some(p) = sel.period else {
        return Vec::new();
    };
    let cube = &sel.cube;
    aggregates(&sel.view(), &sel.rule, sel.weights.as_deref(), p, sel.level)
        .into_iter()
        .map(|a| {
            let node = cube.snapshot.node(cube.node(a.area));
            AggregateOut {
                unit: node.code.clone(),
                name_uk: node.name_uk.clone(),
                name_en: node.name_en.clone(),
                value: a.aggregate.value,
                covered: a.aggregate.covered,
                expected: a.aggregate.expected,
                population_covered: a.aggregate.population_covered,
                population_total: a.aggregate.population_total,
                population_share: a.aggregate.population_share(),
            }
        })
        .collect()
}

/// An indicator added up by oblast or raion with its own rule (a sum for money, a mean weighted
/// by population for shares), with how many hromadas and how much of the population it covers.
#[utoipa::path(get, path = "/api/v1/statistics/aggregates", tag = "statistics",
    operation_id = "get_aggregates", params(AggregateQuery), security((), ("bearer" = []), ("session" = [])),
    responses((status = 200, body = AggregatesOut)))]
pub async fn aggregates_api(
    State(state): State<AppState>,
    Query(q): Query<AggregateQuery>,
) -> AppResult<Json<AggregatesOut>> {
    let level = q.level.clone().unwrap_or_else(|| "oblast".into());
    if !["oblast", "raion"].contains(&level.as_str()) {
        return Err(AppError::field("level", "stat-error-aggregate-level"));
    }
    let sel = Selection::resolve(
        &state,
        &RankingQuery {
            indicator: q.indicator,
            period: q.period,
            level: Some(level),
            measure: q.measure,
            ..RankingQuery::default()
        },
    )
    .await?;
    let rule = if sel.measure == Measure::PerCapita {
        "weighted_mean:population".to_string()
    } else {
        sel.rule.code()
    };
    Ok(Json(AggregatesOut {
        indicator: sel.indicator.code.clone(),
        period: sel.period_code(),
        level: sel.level.code().to_string(),
        measure: sel.measure.code().to_string(),
        rule,
        items: aggregates_of(&sel),
    }))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SeriesQuery {
    /// An indicator's code (required).
    #[param(required = true)]
    pub indicator: Option<String>,
    /// Codifier codes of units, separated by commas (at most 100).
    #[serde(default, deserialize_with = "crate::registry::code::listed")]
    #[param(value_type = Option<String>)]
    pub units: Vec<UnitCode>,
    /// value (default) or per_capita.
    pub measure: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UnitSeries {
    pub unit: String,
    pub name_uk: String,
    pub name_en: String,
    /// One value per period of `periods`; null where there is none.
    pub values: Vec<Option<f64>>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SeriesOut {
    pub indicator: String,
    pub measure: String,
    pub periods: Vec<String>,
    pub series: Vec<UnitSeries>,
}

/// Units' values of one indicator over every period that has values.
pub fn series_of(sel: &Selection, slots: &[usize]) -> SeriesOut {
    let view = sel.view();
    let cube = &sel.cube;
    SeriesOut {
        indicator: sel.indicator.code.clone(),
        measure: sel.measure.code().to_string(),
        periods: sel.series.periods.iter().map(|p| p.code()).collect(),
        series: slots
            .iter()
            .map(|&s| {
                let node = cube.snapshot.node(cube.node(s));
                UnitSeries {
                    unit: node.code.clone(),
                    name_uk: node.name_uk.clone(),
                    name_en: node.name_en.clone(),
                    values: (0..sel.series.periods.len())
                        .map(|p| view.value(s, p))
                        .collect(),
                }
            })
            .collect(),
    }
}

/// The slots of a list of codes; unknown codes and units without statistics are named.
pub fn slots_of(cube: &Cube, codes: &[UnitCode], most: usize) -> AppResult<Vec<usize>> {
    if codes.is_empty() {
        return Err(AppError::field("units", "stat-error-units-missing"));
    }
    if codes.len() > most {
        return Err(AppError::field("units", "stat-error-units-many"));
    }
    let mut out = Vec::new();
    for code in codes {
        match cube.snapshot.find(code.as_str()).and_then(|n| cube.slot(n)) {
            Some(s) if !out.contains(&s) => out.push(s),
            Some(_) => {}
            None => return Err(AppError::field("units", "stat-error-unit")),
        }
    }
    Ok(out)
}

/// An indicator's values for chosen units over all periods, for charts and comparison.
#[utoipa::path(get, path = "/api/v1/statistics/series", tag = "statistics", operation_id = "get_series",
    params(SeriesQuery), security((), ("bearer" = []), ("session" = [])),
    responses((status = 200, body = SeriesOut)))]
pub async fn series(
    State(state): State<AppState>,
    Query(q): Query<SeriesQuery>,
) -> AppResult<Json<SeriesOut>> {
    let sel = Selection::resolve(
        &state,
        &RankingQuery {
            indicator: q.indicator,
            measure: q.measure,
            ..RankingQuery::default()
        },
    )
    .await?;
    let slots = slots_of(&sel.cube, &q.units, MAX_SERIES_UNITS)?;
    Ok(Json(series_of(&sel, &slots)))
}
