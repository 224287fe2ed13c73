//! Releases: publishing a data set's period copies its approved values into an immutable,
//! dated version with its own address (`/api/v1/releases/{dataset}/{period}/{version}`).
//! Publishing the same period again after corrections makes the next version, which must say
//! what changed; a version identical to the last is refused. Nothing updates or deletes a
//! release. The catalogue (`/api/v1/catalog`) describes the released data sets in DCAT-AP.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::db::{Db, Tx};
use crate::error::{AppError, AppResult};
use crate::identity::{Principal, Role};
use crate::on_db;
use crate::state::AppState;
use crate::statistics::Period;
use crate::web::Ctx;
use crate::web::download::{Cell, Format, Table};
use crate::web::extract::{Form, Json};
use crate::web::page::{PageCtx, render};
use crate::work::Actor;
use crate::work::Work;

/// The longest change note.
pub const NOTE_MAX: usize = 2_000;

#[derive(Debug, Clone, sqlx::FromRow, Serialize, utoipa::ToSchema)]
pub struct ReleaseRow {
    #[serde(skip)]
    pub id: i64,
    /// The data set's code.
    pub dataset: String,
    #[serde(skip)]
    pub dataset_id: i64,
    pub dataset_name_uk: String,
    pub dataset_name_en: String,
    #[serde(skip)]
    pub dataset_description_uk: String,
    #[serde(skip)]
    pub dataset_description_en: String,
    pub period: String,
    pub version: i64,
    /// What changed since the previous version (empty for the first).
    pub note: String,
    pub value_count: i64,
    pub published_at: DateTime<Utc>,
}

impl ReleaseRow {
    pub fn name(&self, lang: &crate::i18n::Lang) -> &str {
        lang.pick(&self.dataset_name_uk, &self.dataset_name_en)
    }

    /// The release's own address (JSON; `?format=csv` or `xlsx` for files).
    pub fn href(&self) -> String {
        format!(
            "/api/v1/releases/{}/{}/{}",
            self.dataset, self.period, self.version
        )
    }
}

const RELEASE_COLUMNS: &str = "r.id, d.code AS dataset, r.dataset_id, d.name_uk AS dataset_name_uk, \
     d.name_en AS dataset_name_en, d.description_uk AS dataset_description_uk, \
     d.description_en AS dataset_description_en, r.period, r.version, r.note, r.value_count, r.published_at";

pub async fn releases(db: &Db) -> sqlx::Result<Vec<ReleaseRow>> {
    let sql = format!(
        "SELECT {RELEASE_COLUMNS} FROM stat_releases r JOIN stat_datasets d ON d.id = r.dataset_id \
         ORDER BY r.published_at DESC, r.id DESC"
    );
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(c).await)
}

pub async fn release(
    db: &Db,
    dataset: &str,
    period: &str,
    version: i64,
) -> sqlx::Result<Option<ReleaseRow>> {
    let sql = format!(
        "SELECT {RELEASE_COLUMNS} FROM stat_releases r JOIN stat_datasets d ON d.id = r.dataset_id \
         WHERE d.code = $1 AND r.period = $2 AND r.version = $3"
    );
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(dataset).bind(period)
        .bind(version).fetch_optional(c).await)
}

/// One value of a release.
#[derive(Debug, Clone, sqlx::FromRow, Serialize, utoipa::ToSchema)]
pub struct ReleasedValue {
    pub unit: String,
    pub indicator: String,
    pub value: f64,
    pub is_partial: bool,
    pub source: String,
}

pub async fn release_values(db: &Db, release: i64) -> sqlx::Result<Vec<ReleasedValue>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT v.unit_code AS unit, i.code AS indicator, v.value, v.is_partial, v.source \
         FROM stat_release_values v JOIN stat_indicators i ON i.id = v.indicator_id \
         WHERE v.release_id = $1 ORDER BY i.id, v.unit_code")
        .bind(release).fetch_all(c).await)
}

/// The latest version of a data set's period, inside the caller's transaction.
async fn latest(tx: &mut Tx, dataset: i64, period: &str) -> sqlx::Result<Option<(i64, i64)>> {
    on_db!(&mut *tx, c => sqlx::query_as(
        "SELECT id, version FROM stat_releases WHERE dataset_id = $1 AND period = $2 \
         ORDER BY version DESC LIMIT 1")
        .bind(dataset).bind(period).fetch_optional(c).await)
}

/// How many values differ between a release and the approved values of its data set and
/// period now (in either direction).
async fn differences(tx: &mut Tx, release: i64, dataset: i64, period: &str) -> sqlx::Result<i64> {
    on_db!(&mut *tx, c => sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM (SELECT v.unit_code, v.indicator_id, v.value, v.is_partial, \
         v.source FROM stat_values v JOIN stat_dataset_items i ON i.indicator_id = v.indicator_id \
         WHERE i.dataset_id = $2 AND v.period = $3 AND v.state = 'approved' \
         EXCEPT SELECT unit_code, indicator_id, value, is_partial, source FROM stat_release_values \
         WHERE release_id = $1) added) \
         + (SELECT COUNT(*) FROM (SELECT unit_code, indicator_id, value, is_partial, source \
         FROM stat_release_values WHERE release_id = $1 \
         EXCEPT SELECT v.unit_code, v.indicator_id, v.value, v.is_partial, v.source FROM stat_values v \
         JOIN stat_dataset_items i ON i.indicator_id = v.indicator_id \
         WHERE i.dataset_id = $2 AND v.period = $3 AND v.state = 'approved') removed)")
        .bind(release).bind(dataset).bind(period).fetch_one(c).await)
}

/// Publishes a data set's period (admins): the next version with a copy of its approved
/// values, in one transaction with its audit entry. Returns the new release.
pub async fn publish(
    state: &AppState,
    principal: &Principal,
    ip: &str,
    dataset: &str,
    period: &str,
    note: &str,
) -> AppResult<ReleaseRow> {
    if !principal.has_role(Role::Admin) {
        return Err(AppError::Forbidden);
    }
    publish_as(state, &Actor::of(principal, ip), dataset, period, note).await
}

/// [`publish`] for an actor already allowed to (the command line, tests).
pub async fn publish_as(
    state: &AppState,
    actor: &Actor,
    dataset: &str,
    period: &str,
    note: &str,
) -> AppResult<ReleaseRow> {
    let mut problems = Vec::new();
    let set =
        crate::statistics::collection::repo::dataset_by_code(&state.db, dataset.trim()).await?;
    if set.is_none() {
        problems.push(("dataset".to_string(), "stat-error-dataset".to_string()));
    }
    let period = match Period::parse(period) {
        Ok(p) => Some(p.code()),
        Err(key) => {
            problems.push(("period".to_string(), key.to_string()));
            None
        }
    };
    let note = note.trim();
    if note.chars().count() > NOTE_MAX {
        problems.push((
            "note".to_string(),
            "stat-error-release-note-long".to_string(),
        ));
    }
    let (Some(set), Some(period)) = (set, period) else {
        return Err(AppError::Invalid(problems));
    };
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let mut work = Work::begin(&state.db, actor.clone()).await?;
    let now = work.now;
    let previous = latest(&mut work.tx, set.id, &period).await?;
    if let Some((id, _)) = previous {
        if note.is_empty() {
            return Err(AppError::field("note", "stat-error-release-note"));
        }
        if differences(&mut work.tx, id, set.id, &period).await? == 0 {
            return Err(AppError::Conflict("stat-error-release-same"));
        }
    }
    let version = previous.map_or(1, |(_, v)| v + 1);
    // Counted first: the release row is written once, complete (the database refuses to change
    // a release afterwards).
    let count: i64 = on_db!(&mut work.tx, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM stat_values v JOIN stat_dataset_items i ON i.indicator_id = v.indicator_id \
         WHERE i.dataset_id = $1 AND v.period = $2 AND v.state = 'approved'")
        .bind(set.id).bind(&period).fetch_one(c).await)?;
    if count == 0 {
        return Err(AppError::field("period", "stat-error-release-empty"));
    }
    let id: i64 = on_db!(&mut work.tx, c => sqlx::query_scalar(
        "INSERT INTO stat_releases (dataset_id, period, version, note, value_count, published_by, \
         published_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
        .bind(set.id).bind(&period).bind(version).bind(note).bind(count).bind(actor.user_id).bind(now)
        .fetch_one(c).await)?;
    let copied = crate::db_exec!(&mut work.tx, c => sqlx::query(
        "INSERT INTO stat_release_values (release_id, unit_code, indicator_id, value, is_partial, source) \
         SELECT $1, v.unit_code, v.indicator_id, v.value, v.is_partial, v.source FROM stat_values v \
         JOIN stat_dataset_items i ON i.indicator_id = v.indicator_id \
         WHERE i.dataset_id = $2 AND v.period = $3 AND v.state = 'approved'")
        .bind(id).bind(set.id).bind(&period).execute(c).await)?;
    if copied != count as u64 {
        // Values were approved meanwhile (PostgreSQL, read committed): nothing is kept.
        return Err(AppError::Conflict("stat-error-release-moved"));
    }
    work.audit(
        "publish",
        "stat_release",
        format!("{}/{period}/{version}", set.code),
        json!({ "values": count, "note": note }),
    )
    .await?;
    work.commit().await?;
    release(&state.db, &set.code, &period, version)
        .await?
        .ok_or(AppError::NotFound)
}

#[derive(Template)]
#[template(path = "statistics/releases.html")]
struct ReleasesPage {
    p: PageCtx,
    /// (code, name) of the data sets, for the admin's form.
    datasets: Vec<(String, String)>,
    can_publish: bool,
    releases: Vec<ReleaseRow>,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    done: Option<String>,
}

/// Every release, newest first, with its files; admins publish from here.
pub async fn page(
    State(db): State<Db>,
    ctx: Ctx,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    let lang = ctx.lang;
    let can_publish = ctx
        .principal
        .as_ref()
        .is_some_and(|p| p.has_role(Role::Admin) && p.second_factor_ok());
    let datasets = crate::statistics::collection::repo::datasets(&db)
        .await?
        .into_iter()
        .map(|d| (d.code.clone(), d.name(lang).to_string()))
        .collect();
    Ok(render(&ReleasesPage {
        p: PageCtx::new(&ctx, "stat-releases-title"),
        datasets,
        can_publish,
        releases: releases(&db).await?,
        notice: q
            .done
            .filter(|d| d == "published")
            .map(|_| lang.t("stat-release-published")),
    })?
    .into_response())
}

#[derive(Deserialize)]
pub struct PublishForm {
    dataset: String,
    period: String,
    #[serde(default)]
    note: String,
}

pub async fn publish_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<PublishForm>,
) -> AppResult<Response> {
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    publish(
        &state,
        principal,
        &ctx.ip,
        &form.dataset,
        &form.period,
        &form.note,
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/{}/statistics/releases?done=published",
        ctx.lang.code()
    ))
    .into_response())
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct PublishIn {
    /// The data set's code.
    dataset: String,
    /// `2023`, `2023-Q3` or `2023-07`.
    period: String,
    /// What changed; required from the second version on.
    #[serde(default)]
    note: String,
}

/// Publishes a data set's period as a new version (admins).
#[utoipa::path(post, path = "/api/v1/releases", tag = "statistics", operation_id = "publish_release",
    request_body = PublishIn, security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = ReleaseRow), (status = 409, body = crate::web::api::ErrorEnvelope,
        description = "Nothing changed since the latest release of that period.")))]
pub async fn publish_api(
    State(state): State<AppState>,
    ctx: Ctx,
    Json(input): Json<PublishIn>,
) -> AppResult<(StatusCode, Json<ReleaseRow>)> {
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let r = publish(
        &state,
        principal,
        &ctx.ip,
        &input.dataset,
        &input.period,
        &input.note,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(r)))
}

/// Every release, newest first.
#[utoipa::path(get, path = "/api/v1/releases", tag = "statistics", operation_id = "list_releases",
    security((), ("bearer" = []), ("session" = [])),
    responses((status = 200, body = crate::web::api::ListOf<ReleaseRow>)))]
pub async fn list_api(
    State(db): State<Db>,
) -> AppResult<Json<crate::web::api::ListOf<ReleaseRow>>> {
    let items = releases(&db).await?;
    Ok(Json(crate::web::api::ListOf {
        total: items.len() as i64,
        items,
    }))
}

#[derive(Deserialize)]
pub struct ReleasePath {
    dataset: String,
    period: String,
    version: i64,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FormatQuery {
    /// json (default), csv or xlsx.
    #[param(pattern = "^(json|csv|xlsx)$")]
    format: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ReleaseOut {
    #[serde(flatten)]
    pub release: ReleaseRow,
    pub values: Vec<ReleasedValue>,
}

/// One release with its values, as JSON, CSV or XLSX; it never changes.
#[utoipa::path(get, path = "/api/v1/releases/{dataset}/{period}/{version}", tag = "statistics",
    operation_id = "get_release",
    params(("dataset" = String, Path, description = "the data set's code"),
        ("period" = String, Path, description = "the period, such as 2023"),
        ("version" = i64, Path, description = "1, 2, …"), FormatQuery), security((), ("bearer" = []), ("session" = [])),
    responses((status = 200, description = "The release as JSON, CSV or XLSX.",
        content((ReleaseOut = "application/json"), (String = "text/csv"),
            ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))))]
pub async fn get_api(
    State(db): State<Db>,
    Path(path): Path<ReleasePath>,
    Query(q): Query<FormatQuery>,
) -> AppResult<Response> {
    let Some(r) = release(&db, &path.dataset, &path.period, path.version).await? else {
        return Err(AppError::NotFound);
    };
    let values = release_values(&db, r.id).await?;
    let stem = format!("{}-{}-v{}", r.dataset, r.period, r.version);
    let table = |values: &[ReleasedValue]| Table {
        headers: [
            "unit",
            "indicator",
            "period",
            "value",
            "is_partial",
            "source",
        ]
        .map(String::from)
        .to_vec(),
        rows: values
            .iter()
            .map(|v| {
                vec![
                    Cell::from(v.unit.as_str()),
                    Cell::from(v.indicator.as_str()),
                    Cell::from(r.period.as_str()),
                    Cell::Number(Some(v.value)),
                    Cell::Number(Some(if v.is_partial { 1.0 } else { 0.0 })),
                    Cell::from(v.source.as_str()),
                ]
            })
            .collect(),
    };
    match q.format.as_deref().unwrap_or("json") {
        "json" => Ok(Json(ReleaseOut { release: r, values }).into_response()),
        "csv" => table(&values).respond(Format::Csv, &stem),
        "xlsx" => table(&values).respond(Format::Xlsx, &stem),
        _ => Err(AppError::field("format", "stat-error-export-format")),
    }
}
