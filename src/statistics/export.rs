//! Export of any selection of approved values (indicators × units × periods) as CSV, XLSX or
//! JSON, each row with the unit's and the indicator's names in both languages. The public
//! page `/{lang}/statistics` chooses; `/{lang}/statistics/export` and
//! `/api/v1/values/export` answer with the file.

use std::collections::HashSet;

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::{Period, repo};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::Ctx;
use crate::web::download::{Cell, Format, Table};
use crate::web::page::{PageCtx, render};

/// The most rows one export holds; a larger selection is refused with a request to narrow it.
pub const MAX_ROWS: usize = 500_000;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// Indicator codes, separated by commas; none means every indicator.
    #[serde(default)]
    pub indicators: String,
    /// Periods (`2022`, `2022-Q3`, `2022-07`), separated by commas; none means every period.
    #[serde(default)]
    pub periods: String,
    /// A unit's codifier code: its own values.
    #[serde(default)]
    pub unit: String,
    /// A unit's codifier code: the values of every unit beneath it.
    #[serde(default)]
    pub parent: String,
    /// csv (default), xlsx or json.
    #[serde(default)]
    #[param(pattern = "^(csv|xlsx|json)?$")]
    pub format: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ExportRow {
    pub unit: String,
    pub unit_name_uk: String,
    pub unit_name_en: String,
    pub indicator: String,
    pub indicator_name_uk: String,
    pub indicator_name_en: String,
    pub measure_uk: String,
    pub measure_en: String,
    pub period: String,
    pub value: f64,
    pub is_partial: bool,
    pub source: String,
}

fn list(text: &str) -> Vec<String> {
    text.split([',', ' ', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The rows a query selects, checked: every unknown code or period is named.
pub async fn select(state: &AppState, q: &ExportQuery) -> AppResult<Vec<ExportRow>> {
    let catalogue = repo::indicators(&state.db).await?;
    let wanted = list(&q.indicators);
    let mut problems = Vec::new();
    let chosen: Vec<&repo::IndicatorRow> = if wanted.is_empty() {
        catalogue.iter().collect()
    } else {
        if wanted
            .iter()
            .any(|w| !catalogue.iter().any(|i| &i.code == w))
        {
            problems.push(("indicators".to_string(), "stat-error-indicator".to_string()));
        }
        catalogue
            .iter()
            .filter(|i| wanted.contains(&i.code))
            .collect()
    };
    let mut periods = Vec::new();
    for p in list(&q.periods) {
        match Period::parse(&p) {
            Ok(p) => periods.push(p.code()),
            Err(key) => problems.push(("periods".to_string(), key.to_string())),
        }
    }
    let snap = crate::registry::snapshot::current(state).await?;
    let mut units: Option<HashSet<String>> = None;
    for (field, code, beneath) in [("unit", &q.unit, false), ("parent", &q.parent, true)] {
        let code = code.trim();
        if code.is_empty() {
            continue;
        }
        let Some(i) = snap.find(code) else {
            problems.push((field.to_string(), "stat-error-unit".to_string()));
            continue;
        };
        let set: HashSet<String> = if beneath {
            snap.descendants(i)
                .into_iter()
                .map(|d| snap.node(d).code.clone())
                .collect()
        } else {
            HashSet::from([snap.node(i).code.clone()])
        };
        units = Some(match units {
            Some(have) => have.intersection(&set).cloned().collect(),
            None => set,
        });
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let ids: Vec<i64> = chosen.iter().map(|i| i.id).collect();
    let values = repo::approved_values(&state.db, &ids, &periods).await?;
    let mut out = Vec::new();
    for v in values {
        if units.as_ref().is_some_and(|u| !u.contains(&v.unit_code)) {
            continue;
        }
        let Some(ind) = chosen.iter().find(|i| i.id == v.indicator_id) else {
            continue;
        };
        if out.len() == MAX_ROWS {
            return Err(AppError::field("indicators", "stat-error-export-too-big"));
        }
        let (uk, en) = snap
            .find(&v.unit_code)
            .map(|i| {
                (
                    snap.node(i).title(crate::i18n::Lang::Uk),
                    snap.node(i).title(crate::i18n::Lang::En),
                )
            })
            .unwrap_or_default();
        out.push(ExportRow {
            unit: v.unit_code,
            unit_name_uk: uk,
            unit_name_en: en,
            indicator: ind.code.clone(),
            indicator_name_uk: ind.name_uk.clone(),
            indicator_name_en: ind.name_en.clone(),
            measure_uk: ind.measure_uk.clone(),
            measure_en: ind.measure_en.clone(),
            period: v.period,
            value: v.value,
            is_partial: v.is_partial,
            source: v.source,
        });
    }
    Ok(out)
}

fn table(rows: &[ExportRow]) -> Table {
    let headers = [
        "unit",
        "unit_name_uk",
        "unit_name_en",
        "indicator",
        "indicator_name_uk",
        "indicator_name_en",
        "measure_uk",
        "measure_en",
        "period",
        "value",
        "is_partial",
        "source",
    ];
    Table {
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    Cell::from(r.unit.as_str()),
                    Cell::from(r.unit_name_uk.as_str()),
                    Cell::from(r.unit_name_en.as_str()),
                    Cell::from(r.indicator.as_str()),
                    Cell::from(r.indicator_name_uk.as_str()),
                    Cell::from(r.indicator_name_en.as_str()),
                    Cell::from(r.measure_uk.as_str()),
                    Cell::from(r.measure_en.as_str()),
                    Cell::from(r.period.as_str()),
                    Cell::Number(Some(r.value)),
                    Cell::Number(Some(if r.is_partial { 1.0 } else { 0.0 })),
                    Cell::from(r.source.as_str()),
                ]
            })
            .collect(),
    }
}

/// The selection as a file: CSV (the default), XLSX or JSON.
pub async fn respond(state: &AppState, q: &ExportQuery) -> AppResult<Response> {
    let format = q.format.as_str();
    if !["", "csv", "xlsx", "json"].contains(&format) {
        return Err(AppError::field("format", "stat-error-export-format"));
    }
    let rows = select(state, q).await?;
    match format {
        "json" => Ok(crate::web::extract::Json(crate::web::api::ListOf {
            total: rows.len() as i64,
            items: rows,
        })
        .into_response()),
        "xlsx" => table(&rows).respond(Format::Xlsx, "hromada-statistics"),
        _ => table(&rows).respond(Format::Csv, "hromada-statistics"),
    }
}

/// Reads the query: a field may come more than once (a form's checkboxes send `indicators`
/// once per box); its values are joined.
fn parse_query(raw: Option<&str>) -> AppResult<ExportQuery> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.unwrap_or_default())
        .map_err(|_| AppError::BadRequest("error-bad-request"))?;
    let mut q = ExportQuery::default();
    for (key, value) in pairs {
        let slot = match key.as_str() {
            "indicators" => &mut q.indicators,
            "periods" => &mut q.periods,
            "unit" => &mut q.unit,
            "parent" => &mut q.parent,
            "format" => &mut q.format,
            _ => continue,
        };
        if !slot.is_empty() {
            slot.push(',');
        }
        slot.push_str(&value);
    }
    Ok(q)
}

/// Approved values of a selection as CSV, XLSX or JSON, with names in both languages.
#[utoipa::path(get, path = "/api/v1/values/export", tag = "statistics", operation_id = "export_values",
    params(ExportQuery), security((), ("bearer" = []), ("session" = [])),
    responses((status = 200, description = "The file (CSV, XLSX), or the rows as JSON.",
        content((crate::web::api::ListOf<ExportRow> = "application/json"),
            (String = "text/csv"),
            ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))))]
pub async fn api(State(state): State<AppState>, RawQuery(raw): RawQuery) -> AppResult<Response> {
    respond(&state, &parse_query(raw.as_deref())?).await
}

/// The same, from the statistics page's form.
pub async fn download(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> AppResult<Response> {
    respond(&state, &parse_query(raw.as_deref())?).await
}

#[derive(Template)]
#[template(path = "statistics/index.html")]
struct IndexPage {
    p: PageCtx,
    /// (code, name, periodicity word)
    indicators: Vec<(String, String)>,
    datasets: Vec<(String, String)>,
}

/// The public statistics page: the indicators, the data sets, and the export form.
pub async fn index(State(db): State<Db>, ctx: Ctx) -> AppResult<Response> {
    let lang = ctx.lang;
    let pick = |uk: &str, en: &str| lang.pick(uk, en).to_string();
    let indicators = repo::indicators(&db)
        .await?
        .into_iter()
        .map(|i| (i.code.clone(), pick(&i.name_uk, &i.name_en)))
        .collect();
    let datasets = super::collection::repo::datasets(&db)
        .await?
        .into_iter()
        .map(|d| {
            (
                pick(&d.name_uk, &d.name_en),
                pick(&d.description_uk, &d.description_en),
            )
        })
        .collect();
    Ok(render(&IndexPage {
        p: PageCtx::new(&ctx, "stat-index-title"),
        indicators,
        datasets,
    })?
    .into_response())
}
