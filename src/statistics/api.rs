//! JSON API of statistics: the indicators, and values filtered by indicator, unit, parent unit
//! and period, with the units' names in both languages. The public reads approved values.

use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};

use super::repo::{self, IndicatorRow, ValueFilter, ValueRow};
use super::{Period, Periodicity};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::registry::UnitCode;
use crate::state::AppState;
use crate::web::api::{ListOf, Paging};
use crate::web::extract::{Json, Query};

/// Every indicator, in the order they were defined.
#[utoipa::path(get, path = "/api/v1/indicators", tag = "statistics", operation_id = "list_indicators",
    security((), ("bearer" = []), ("session" = [])),
    responses((status = 200, body = ListOf<IndicatorRow>)))]
pub async fn indicators(State(db): State<Db>) -> AppResult<Json<ListOf<IndicatorRow>>> {
    let items = repo::indicators(&db).await?;
    Ok(Json(ListOf {
        total: items.len() as i64,
        items,
    }))
}

#[derive(Deserialize)]
pub struct CodePath {
    code: String,
}

/// One indicator by its code.
#[utoipa::path(get, path = "/api/v1/indicators/{code}", tag = "statistics",
    operation_id = "get_indicator",
    params(("code" = String, Path, description = "the indicator's code, such as population_total")),
    security((), ("bearer" = []), ("session" = [])),
    responses((status = 200, body = IndicatorRow), (status = 404, body = crate::web::api::ErrorEnvelope)))]
pub async fn indicator(
    State(db): State<Db>,
    Path(path): Path<CodePath>,
) -> AppResult<Json<IndicatorRow>> {
    repo::indicator(&db, &path.code)
        .await?
        .map(Json)
        .ok_or(AppError::NotFound)
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ValuesQuery {
    /// An indicator's code.
    indicator: Option<String>,
    /// A unit's codifier code: its own values.
    #[param(value_type = Option<String>, pattern = r"^\s*(UA[0-9]{17})?\s*$")]
    #[serde(default, deserialize_with = "crate::registry::code::blank_as_none")]
    unit: Option<UnitCode>,
    /// A unit's codifier code: the values of every unit beneath it.
    #[param(value_type = Option<String>, pattern = r"^\s*(UA[0-9]{17})?\s*$")]
    #[serde(default, deserialize_with = "crate::registry::code::blank_as_none")]
    parent: Option<UnitCode>,
    /// `2022`, `2022-Q3` or `2022-07`.
    period: Option<String>,
    /// 1 to 500, 50 when absent.
    #[param(minimum = 1, maximum = 500)]
    limit: Option<i64>,
    /// 0 or more.
    #[param(minimum = 0)]
    offset: Option<i64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ValueOut {
    #[serde(flatten)]
    pub value: ValueRow,
    pub unit_name_uk: String,
    pub unit_name_en: String,
}

/// Approved values, filtered; `{"items", "total"}` with `limit` (1–500, default 50) and
/// `offset`.
#[utoipa::path(get, path = "/api/v1/values", tag = "statistics", operation_id = "list_values",
    params(ValuesQuery), security((), ("bearer" = []), ("session" = [])),
    responses((status = 200, body = ListOf<ValueOut>)))]
pub async fn values(
    State(state): State<AppState>,
    Query(q): Query<ValuesQuery>,
) -> AppResult<Json<ListOf<ValueOut>>> {
    let (limit, offset) = Paging {
        limit: q.limit,
        offset: q.offset,
    }
    .resolve()?;
    let indicator = match q.indicator.as_deref().filter(|s| !s.is_empty()) {
        Some(code) => Some(
            repo::indicator(&state.db, code)
                .await?
                .ok_or(AppError::field("indicator", "stat-error-indicator"))?,
        ),
        None => None,
    };
    let period = match q.period.as_deref().filter(|s| !s.is_empty()) {
        Some(text) => {
            let p = Period::parse(text).map_err(|key| AppError::field("period", key))?;
            if let Some(i) = &indicator
                && Periodicity::parse(&i.periodicity) != Some(p.periodicity())
            {
                return Err(AppError::field("period", "stat-error-periodicity"));
            }
            Some(p.code())
        }
        None => None,
    };
    let snap = crate::registry::snapshot::current(&state).await?;
    let find = |field: &'static str, code: &UnitCode| {
        snap.find(code.as_str())
            .ok_or(AppError::field(field, "stat-error-unit"))
    };
    let mut units: Option<Vec<String>> = None;
    if let Some(code) = &q.unit {
        units = Some(vec![snap.node(find("unit", code)?).code.clone()]);
    }
    if let Some(code) = &q.parent {
        let beneath: Vec<String> = snap
            .descendants(find("parent", code)?)
            .into_iter()
            .map(|i| snap.node(i).code.clone())
            .collect();
        units = Some(match units {
            Some(own) => own.into_iter().filter(|c| beneath.contains(c)).collect(),
            None => beneath,
        });
    }
    let filter = ValueFilter {
        indicator: indicator.map(|i| i.id),
        units,
        period,
        state: super::ValueState::Approved,
    };
    let (rows, total) = repo::values(&state.db, &filter, limit, offset).await?;
    let items = rows
        .into_iter()
        .map(|r| {
            let (uk, en) = snap
                .find(&r.unit_code)
                .map(|i| (snap.node(i).name_uk.clone(), snap.node(i).name_en.clone()))
                .unwrap_or_default();
            ValueOut {
                value: r,
                unit_name_uk: uk,
                unit_name_en: en,
            }
        })
        .collect();
    Ok(Json(ListOf { items, total }))
}
