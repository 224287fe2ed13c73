//! JSON API of the registry: list and search units, one unit with its attributes, status and
//! parent chain, a unit's children, and (admins) recording a status, deleting a mistaken
//! one, and importing a file of them.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::attributes::{Status, StatusRow};
use super::snapshot::Snapshot;
use super::{Level, UnitCode, actions};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::Ctx;
use crate::web::api::{ErrorEnvelope, ListOf, Paging};
use crate::web::extract::{Json, Path, Query};
use crate::work::Actor;

/// A unit in a list.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UnitOut {
    /// The codifier code: `UA` and 17 digits.
    pub code: String,
    /// oblast, raion, hromada, settlement or district.
    pub level: String,
    /// The codifier's category letter: O, K, P, H, M, X, C or B.
    pub category: String,
    pub name_uk: String,
    pub name_en: String,
    /// The name with its kind, in Ukrainian and English ("Вінницька міська громада").
    pub title_uk: String,
    pub title_en: String,
    /// The parent unit's code; none for first-level units.
    pub parent: Option<String>,
    /// For hromadas: urban, settlement or rural.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Present population on 1 January 2022: a hromada's own, or the sum over the hromadas
    /// beneath an oblast or raion.
    pub population: Option<i64>,
    pub raions: u32,
    pub hromadas: u32,
    pub settlements: u32,
    /// The status in force (the unit's own or inherited): rear, frontline, occupied, deoccupied.
    pub status: Option<String>,
    pub status_since: Option<NaiveDate>,
}

fn unit_out(snap: &Snapshot, i: usize) -> UnitOut {
    let n = snap.node(i);
    let status = snap.status(i);
    UnitOut {
        code: n.code.clone(),
        level: n.level().code().into(),
        category: n.category.letter().into(),
        name_uk: n.name_uk.clone(),
        name_en: n.name_en.clone(),
        title_uk: n.title(crate::i18n::Lang::Uk),
        title_en: n.title(crate::i18n::Lang::En),
        parent: n.parent.map(|p| snap.node(p).code.clone()),
        kind: n.hromada_type.map(|t| t.code().to_string()),
        population: n.population,
        raions: n.counts.raions,
        hromadas: n.counts.hromadas,
        settlements: n.counts.settlements,
        status: status.map(|s| s.status.code().to_string()),
        status_since: status.map(|s| s.since),
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UnitsQuery {
    /// oblast, raion, hromada, settlement or district.
    #[param(pattern = "^(oblast|raion|hromada|settlement|district)?$")]
    pub level: Option<String>,
    /// Only the children of this unit (its codifier code).
    #[param(value_type = Option<String>, pattern = r"^(UA[0-9]{17})?$")]
    #[serde(default, deserialize_with = "super::code::blank_as_none")]
    pub parent: Option<UnitCode>,
    /// Search by Ukrainian or English name (prefixes, inflected forms, one typo); best first.
    pub q: Option<String>,
    /// 1 to 500, 50 when absent.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// 0 or more.
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

/// Units by level, parent or search text; without any, the first-level units.
#[utoipa::path(get, path = "/api/v1/units", tag = "registry", operation_id = "list_units",
    params(UnitsQuery), security((), ("bearer" = []), ("session" = [])),
    responses((status = 200, body = ListOf<UnitOut>), (status = 404, body = ErrorEnvelope,
        description = "No unit has the `parent` code.")))]
pub async fn list(
    State(state): State<AppState>,
    Query(q): Query<UnitsQuery>,
) -> AppResult<Json<ListOf<UnitOut>>> {
    let (limit, offset) = Paging {
        limit: q.limit,
        offset: q.offset,
    }
    .resolve()?;
    let (limit, offset) = (limit as usize, offset as usize);
    let level = match q.level.as_deref().unwrap_or_default() {
        "" => None,
        s => Some(Level::parse(s).ok_or(AppError::field("level", "error-unit-level"))?),
    };
    let snap = crate::registry::snapshot::current(&state).await?;
    let parent = match &q.parent {
        Some(code) => Some(snap.find(code.as_str()).ok_or(AppError::NotFound)?),
        None => None,
    };
    let text = q.q.as_deref().map(str::trim).unwrap_or_default();
    let in_parent = |i: usize| parent.is_none_or(|p| snap.node(i).parent == Some(p));
    let (units, total): (Vec<usize>, usize) = if !text.is_empty() {
        if parent.is_some() {
            let (all, _) = snap.search(text, level, usize::MAX, 0);
            let all: Vec<usize> = all.into_iter().filter(|&i| in_parent(i)).collect();
            let total = all.len();
            (all.into_iter().skip(offset).take(limit).collect(), total)
        } else {
            snap.search(text, level, limit, offset)
        }
    } else {
        let all: Vec<usize> = match (parent, level) {
            (Some(p), _) => snap.node(p).children.clone(),
            (None, Some(l)) => snap.at_level(l).collect(),
            (None, None) => snap.roots().to_vec(),
        };
        let all: Vec<usize> = all
            .into_iter()
            .filter(|&i| level.is_none_or(|l| snap.node(i).level() == l))
            .collect();
        let total = all.len();
        (all.into_iter().skip(offset).take(limit).collect(), total)
    };
    Ok(Json(ListOf {
        items: units.into_iter().map(|i| unit_out(&snap, i)).collect(),
        total: total as i64,
    }))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AttributeOut {
    /// type, centre, area_km2, formed_on, voluntary, population_total or population_urban.
    pub key: String,
    pub value_text: Option<String>,
    pub value_number: Option<f64>,
    /// The day the value holds for, where the source gives one.
    pub as_of: Option<NaiveDate>,
    pub source: SourceOut,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SourceOut {
    pub id: String,
    pub title_uk: String,
    pub title_en: String,
    pub publisher: String,
    pub url: String,
    pub licence: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StatusOut {
    pub id: i64,
    pub status: Status,
    pub since: NaiveDate,
    pub note: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UnitDetail {
    #[serde(flatten)]
    pub unit: UnitOut,
    pub attributes: Vec<AttributeOut>,
    /// The units above, the first-level unit first.
    pub parents: Vec<UnitOut>,
    /// The unit's own status entries, newest first (the one in force may be inherited).
    pub status_history: Vec<StatusOut>,
    /// Codes earlier editions gave this unit.
    pub former_codes: Vec<String>,
}

async fn find(state: &AppState, code: &UnitCode) -> AppResult<(std::sync::Arc<Snapshot>, usize)> {
    let snap = crate::registry::snapshot::current(state).await?;
    let i = match snap.find(code.as_str()) {
        Some(i) => i,
        None => snap
            .alias(code.as_str())
            .and_then(|new| snap.find(new))
            .ok_or(AppError::NotFound)?,
    };
    Ok((snap, i))
}

#[derive(Deserialize)]
pub struct CodePath {
    code: UnitCode,
}

/// One unit with its attributes (each with its source), status and parent chain. A retired
/// code answers with the unit that now carries it.
#[utoipa::path(get, path = "/api/v1/units/{code}", tag = "registry", operation_id = "get_unit",
    params(("code" = String, Path, description = "codifier code", pattern = r"^UA[0-9]{17}$")),
    security((), ("bearer" = []), ("session" = [])),
    responses((status = 200, body = UnitDetail), (status = 422, body = ErrorEnvelope,
        description = "The code is not `UA` and 17 digits.")))]
pub async fn get_unit(
    State(state): State<AppState>,
    Path(path): Path<CodePath>,
) -> AppResult<Json<UnitDetail>> {
    let (snap, i) = find(&state, &path.code).await?;
    let facts = snap.facts(&state.db, i).await?;
    let attributes = facts
        .attributes
        .iter()
        .map(|a| AttributeOut {
            key: a.key.clone(),
            value_text: a.value_text.clone(),
            value_number: a.value_number,
            as_of: a.as_of_on,
            source: SourceOut {
                id: a.source_id.clone(),
                title_uk: a.title_uk.clone(),
                title_en: a.title_en.clone(),
                publisher: a.publisher.clone(),
                url: a.url.clone(),
                licence: a.licence.clone(),
            },
        })
        .collect();
    let status_history = facts
        .statuses
        .iter()
        .map(|s| StatusOut {
            id: s.id,
            status: s.status,
            since: s.since_on,
            note: s.note.clone(),
        })
        .collect();
    let former_codes = facts.old_codes.clone();
    Ok(Json(UnitDetail {
        unit: unit_out(&snap, i),
        attributes,
        parents: snap
            .ancestors(i)
            .into_iter()
            .map(|a| unit_out(&snap, a))
            .collect(),
        status_history,
        former_codes,
    }))
}

/// The units directly beneath a unit, in Ukrainian alphabetical order.
#[utoipa::path(get, path = "/api/v1/units/{code}/children", tag = "registry",
    operation_id = "list_unit_children",
    params(("code" = String, Path, description = "codifier code", pattern = r"^UA[0-9]{17}$"),
        Paging), security((), ("bearer" = []), ("session" = [])),
    responses((status = 200, body = ListOf<UnitOut>)))]
pub async fn children(
    State(state): State<AppState>,
    Path(path): Path<CodePath>,
    Query(paging): Query<Paging>,
) -> AppResult<Json<ListOf<UnitOut>>> {
    let (limit, offset) = paging.resolve()?;
    let (snap, i) = find(&state, &path.code).await?;
    let all = &snap.node(i).children;
    Ok(Json(ListOf {
        items: all
            .iter()
            .skip(offset as usize)
            .take(limit as usize)
            .map(|&c| unit_out(&snap, c))
            .collect(),
        total: all.len() as i64,
    }))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewStatus {
    /// rear, frontline, occupied or deoccupied.
    #[schema(pattern = "^(rear|frontline|occupied|deoccupied)$")]
    pub status: String,
    /// The day it holds from (2014-01-01 … today).
    pub since: NaiveDate,
    #[serde(default)]
    #[schema(max_length = 500)]
    pub note: String,
}

/// Records a status for a unit from a date (admins). The same day again replaces it.
#[utoipa::path(post, path = "/api/v1/units/{code}/statuses", tag = "registry",
    operation_id = "add_unit_status",
    params(("code" = String, Path, description = "codifier code", pattern = r"^UA[0-9]{17}$")),
    request_body = NewStatus, security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = UnitOut)))]
pub async fn add_status(
    State(state): State<AppState>,
    actor: Actor,
    Path(path): Path<CodePath>,
    Json(body): Json<NewStatus>,
) -> AppResult<(StatusCode, Json<UnitOut>)> {
    let (snap, i) = find(&state, &path.code).await?;
    let status =
        Status::parse(&body.status).ok_or(AppError::field("status", "error-unit-status"))?;
    if body.note.chars().count() > 500 {
        return Err(AppError::field("note", "error-note-too-long"));
    }
    let code = UnitCode::parse(&snap.node(i).code).ok_or(AppError::NotFound)?;
    let row = StatusRow {
        line: 0,
        code: code.clone(),
        status,
        since: body.since,
        note: body.note.trim().to_string(),
    };
    match actions::set_statuses(&state.db, &actor, &[row]).await {
        Ok(_) => {}
        Err(actions::StatusesError::Rows(_)) => {
            return Err(AppError::field("since", "error-status-date-range"));
        }
        Err(actions::StatusesError::Db(e)) => return Err(e.into()),
    }
    let snap = crate::registry::snapshot::current(&state).await?;
    let i = snap.find(code.as_str()).ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(unit_out(&snap, i))))
}

#[derive(Deserialize)]
pub struct StatusPath {
    code: UnitCode,
    id: i64,
}

/// Deletes a mistaken status entry of a unit (admins); answers the unit with the status now
/// in force. 404 when the unit has no entry of that id.
#[utoipa::path(delete, path = "/api/v1/units/{code}/statuses/{id}", tag = "registry",
    operation_id = "delete_unit_status",
    params(("code" = String, Path, description = "codifier code", pattern = r"^UA[0-9]{17}$"),
        ("id" = i64, Path, description = "the entry: an `id` of the unit's `status_history`")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = UnitOut), (status = 422, body = ErrorEnvelope,
        description = "The code is not `UA` and 17 digits.")))]
pub async fn delete_status(
    State(state): State<AppState>,
    actor: Actor,
    Path(path): Path<StatusPath>,
) -> AppResult<Json<UnitOut>> {
    let (snap, i) = find(&state, &path.code).await?;
    let code = UnitCode::parse(&snap.node(i).code).ok_or(AppError::NotFound)?;
    if !actions::delete_status(&state.db, &actor, &code, path.id).await? {
        return Err(AppError::NotFound);
    }
    let snap = crate::registry::snapshot::current(&state).await?;
    let i = snap.find(code.as_str()).ok_or(AppError::NotFound)?;
    Ok(Json(unit_out(&snap, i)))
}

/// What a status file recorded.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StatusImportOut {
    /// The rows recorded: every row of the file.
    pub imported: usize,
}

/// Imports statuses from a CSV file (admins), as the admins' statuses page does: multipart
/// with `file`, UTF-8 text whose header is `code,status,since` and optionally `note` (comma
/// or semicolon separated; dates `YYYY-MM-DD` from 2014-01-01 to today). Every row or none:
/// a refused file answers 422 with each problem under `file` ("Line 3: …"), and nothing
/// changes.
#[utoipa::path(post, path = "/api/v1/unit-statuses", tag = "registry",
    operation_id = "import_unit_statuses",
    request_body(content_type = "multipart/form-data", description = "file: the CSV"),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = StatusImportOut), (status = 422, body = ErrorEnvelope,
        description = "No file, or a file with problems: each one under `file`, with its line.")))]
pub async fn import_statuses(
    State(db): State<Db>,
    ctx: Ctx,
    actor: Actor,
    multipart: axum::extract::Multipart,
) -> AppResult<Response> {
    let text = crate::web::extract::uploaded_text(multipart)
        .await
        .map_err(|key| AppError::field("file", key))?;
    match actions::import_status_file(&db, &actor, &text).await? {
        Ok(imported) => Ok(Json(StatusImportOut { imported }).into_response()),
        Err(refused) => Ok(ErrorEnvelope::file_refused(
            ctx.lang,
            refused.messages(ctx.lang),
        )),
    }
}
