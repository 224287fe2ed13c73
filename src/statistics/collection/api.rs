//! JSON API of collection: data sets and rules (public), campaigns with their completeness
//! (staff), and a community's report: read, save or submit, review.

use std::collections::{BTreeMap, HashMap};

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::actions::{self, CampaignInput, Decision, Intent};
use super::repo::{self, DatasetRow, ItemRow};
use super::{Completeness, ReportStatus, Scope, Timeliness};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::registry::UnitCode;
use crate::state::AppState;
use crate::statistics::rules::Rule;
use crate::web::Ctx;
use crate::web::api::ListOf;
use crate::web::extract::{Json, Path};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DatasetOut {
    #[serde(flatten)]
    pub dataset: DatasetRow,
    /// The form's fields in order, with their sections and help texts.
    pub items: Vec<ItemRow>,
}

async fn dataset_out(db: &Db, d: DatasetRow) -> AppResult<DatasetOut> {
    let items = repo::items(db, d.id).await?;
    Ok(DatasetOut { dataset: d, items })
}

/// Every data set with its form layout.
#[utoipa::path(get, path = "/api/v1/datasets", tag = "statistics", operation_id = "list_datasets",
    security((), ("bearer" = []), ("session" = [])),
    responses((status = 200, body = ListOf<DatasetOut>)))]
pub async fn datasets(State(state): State<AppState>) -> AppResult<Json<ListOf<DatasetOut>>> {
    let mut items = Vec::new();
    for d in repo::datasets(&state.db).await? {
        items.push(dataset_out(&state.db, d).await?);
    }
    Ok(Json(ListOf {
        total: items.len() as i64,
        items,
    }))
}

#[derive(Deserialize)]
pub struct CodePath {
    code: String,
}

/// One data set by its code.
#[utoipa::path(get, path = "/api/v1/datasets/{code}", tag = "statistics", operation_id = "get_dataset",
    params(("code" = String, Path, description = "the data set's code, such as budget_revenues")),
    security((), ("bearer" = []), ("session" = [])),
    responses((status = 200, body = DatasetOut), (status = 404, body = crate::web::api::ErrorEnvelope)))]
pub async fn dataset(
    State(state): State<AppState>,
    Path(path): Path<CodePath>,
) -> AppResult<Json<DatasetOut>> {
    let d = repo::dataset_by_code(&state.db, &path.code)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(dataset_out(&state.db, d).await?))
}

/// The rules between indicators that forms and imports check.
#[utoipa::path(get, path = "/api/v1/rules", tag = "statistics", operation_id = "list_rules", security((), ("bearer" = []), ("session" = [])),
    responses((status = 200, body = ListOf<Rule>)))]
pub async fn rules(State(db): State<Db>) -> AppResult<Json<ListOf<Rule>>> {
    let items = repo::rules(&db).await?;
    Ok(Json(ListOf {
        total: items.len() as i64,
        items,
    }))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CampaignOut {
    pub id: i64,
    pub dataset: String,
    pub period: String,
    /// members, office or list.
    pub scope: String,
    pub deadline: chrono::NaiveDate,
    pub note: String,
    pub closed: bool,
    /// Over the communities the caller may see.
    pub completeness: Completeness,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReportOut {
    pub unit: String,
    pub status: ReportStatus,
    pub timeliness: Timeliness,
    pub first_submitted_at: Option<chrono::DateTime<chrono::Utc>>,
    pub submitted_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CampaignDetail {
    #[serde(flatten)]
    pub campaign: CampaignOut,
    /// Completeness by oblast (its codifier code).
    pub by_oblast: BTreeMap<String, Completeness>,
    pub reports: Vec<ReportOut>,
}

pub(super) async fn campaign_detail(
    state: &AppState,
    principal: &crate::identity::Principal,
    c: repo::CampaignRow,
) -> AppResult<CampaignDetail> {
    let reports = actions::visible_reports(state, principal, c.id).await?;
    let snapshot = crate::registry::snapshot::current(state).await?;
    let mut total = Completeness::default();
    let mut by_oblast: BTreeMap<String, Completeness> = BTreeMap::new();
    let mut out = Vec::new();
    for r in reports {
        let status = r.status;
        let timeliness = Timeliness::of(r.first_submitted_at, c.deadline_on);
        total.add(status, timeliness);
        let oblast = snapshot
            .find(&r.unit_code)
            .and_then(|i| snapshot.ancestors(i).first().copied())
            .map(|o| snapshot.node(o).code.clone())
            .unwrap_or_default();
        by_oblast.entry(oblast).or_default().add(status, timeliness);
        out.push(ReportOut {
            unit: r.unit_code,
            status,
            timeliness,
            first_submitted_at: r.first_submitted_at,
            submitted_at: r.submitted_at,
        });
    }
    Ok(CampaignDetail {
        campaign: CampaignOut {
            id: c.id,
            dataset: c.dataset_code,
            period: c.period,
            scope: c.scope_kind,
            deadline: c.deadline_on,
            note: c.note,
            closed: c.closed_at.is_some(),
            completeness: total,
        },
        by_oblast,
        reports: out,
    })
}

/// The campaigns the caller follows: all for admins, their office's for coordinators.
#[utoipa::path(get, path = "/api/v1/campaigns", tag = "statistics", operation_id = "list_campaigns",
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = ListOf<CampaignOut>)))]
pub async fn campaigns(
    State(state): State<AppState>,
    ctx: Ctx,
) -> AppResult<Json<ListOf<CampaignOut>>> {
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let mut items = Vec::new();
    for c in actions::campaigns_for(&state, principal).await? {
        items.push(campaign_detail(&state, principal, c).await?.campaign);
    }
    Ok(Json(ListOf {
        total: items.len() as i64,
        items,
    }))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct CampaignIn {
    /// The data set's code.
    pub dataset: String,
    pub period: String,
    /// members (admins only), office or list.
    #[schema(pattern = "^(members|office|list)$")]
    pub scope: String,
    /// The office's slug, for scope office.
    #[serde(default)]
    pub office: Option<String>,
    /// Codifier codes of hromadas, for scope list.
    #[serde(default)]
    #[schema(inline)]
    pub units: Vec<UnitCode>,
    /// YYYY-MM-DD, today or later.
    #[schema(format = Date)]
    pub deadline: String,
    #[serde(default)]
    pub note: String,
}

/// Starts a campaign; 422 names every bad field.
#[utoipa::path(post, path = "/api/v1/campaigns", tag = "statistics", operation_id = "create_campaign",
    request_body = CampaignIn, security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = CampaignDetail)))]
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Json(input): Json<CampaignIn>,
) -> AppResult<(StatusCode, Json<CampaignDetail>)> {
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let scope = match input.scope.as_str() {
        "members" => Scope::Members,
        "office" => Scope::Office(input.office.clone().unwrap_or_default()),
        "list" => Scope::List(input.units.into_iter().map(UnitCode::into_string).collect()),
        _ => return Err(AppError::field("scope", "stat-error-scope")),
    };
    let id = actions::create_campaign(
        &state,
        principal,
        &ctx.ip,
        CampaignInput {
            dataset: input.dataset,
            period: input.period,
            scope,
            deadline: input.deadline,
            note: input.note,
        },
    )
    .await?;
    let c = repo::campaign(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((
        StatusCode::CREATED,
        Json(campaign_detail(&state, principal, c).await?),
    ))
}

/// One campaign with its completeness and each community's report the caller may see.
#[utoipa::path(get, path = "/api/v1/campaigns/{id}", tag = "statistics", operation_id = "get_campaign",
    params(("id" = i64, Path, description = "the campaign")), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = CampaignDetail)))]
pub async fn campaign(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Json<CampaignDetail>> {
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let c = repo::campaign(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let detail = campaign_detail(&state, principal, c).await?;
    if detail.reports.is_empty() && !principal.has_role(crate::identity::Role::Admin) {
        return Err(AppError::OutOfScope);
    }
    Ok(Json(detail))
}

#[derive(Deserialize)]
pub struct ReportPath {
    id: i64,
    unit: UnitCode,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FieldOut {
    pub indicator: String,
    /// The draft as typed, else the value on record as typed.
    pub text: String,
    pub value: Option<f64>,
    /// draft, submitted, approved or returned; none before a value is on record.
    pub state: Option<crate::statistics::ValueState>,
    pub comment: String,
    pub review_note: String,
    pub last_period_value: Option<f64>,
    pub editable: bool,
    /// The problem's UI string key (or `rule:<code>`), after a submission.
    pub error: Option<String>,
    /// The change from last period in percent that needs a comment, after a submission.
    pub change_needs_comment: Option<f64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReportDetail {
    pub campaign: i64,
    pub unit: String,
    pub period: String,
    pub status: ReportStatus,
    /// Whether a submission went through.
    pub submitted: bool,
    pub fields: Vec<FieldOut>,
}

fn fields_out(fields: Vec<actions::Field>) -> Vec<FieldOut> {
    fields
        .into_iter()
        .map(|f| FieldOut {
            indicator: f.item.code,
            text: f.raw,
            value: f.value,
            state: f.state,
            comment: f.comment,
            review_note: f.review_note,
            last_period_value: f.last,
            editable: f.editable,
            error: f.error,
            change_needs_comment: f.change_needs_comment.filter(|p| p.is_finite()),
        })
        .collect()
}

/// A community's report in a campaign: each field with its draft or value, last period's
/// value, and its state.
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/reports/{unit}", tag = "statistics",
    operation_id = "get_report",
    params(("id" = i64, Path, description = "the campaign"), ("unit" = String, Path, description = "the community's codifier code", pattern = r"^UA[0-9]{17}$")), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ReportDetail), (status = 422, body = crate::web::api::ErrorEnvelope,
        description = "The unit is not `UA` and 17 digits.")))]
pub async fn report(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(path): Path<ReportPath>,
) -> AppResult<Json<ReportDetail>> {
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let r = actions::report(&state, principal, path.id, path.unit.as_str()).await?;
    let fields = actions::fields(&state.db, &r).await?;
    Ok(Json(ReportDetail {
        campaign: r.campaign.id,
        unit: r.report.unit_code.clone(),
        period: r.campaign.period.clone(),
        status: r.report.status,
        submitted: false,
        fields: fields_out(fields),
    }))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ReportIn {
    /// Indicator code → the value as typed ("387 439", "12,5", "так").
    #[serde(default)]
    pub values: HashMap<String, String>,
    /// Indicator code → comment.
    #[serde(default)]
    pub comments: HashMap<String, String>,
    /// Submit (true) or only keep as a draft (false).
    #[serde(default)]
    pub submit: bool,
}

/// What `PUT` of a report answers with 422: the report with each field's problem when a
/// submission did not go through, or the error envelope when the body or a value is refused
/// before any checking (a body that does not fit `ReportIn`, a field error).
// Only for the document: the handler answers the two through `ReportDetail` and `AppError`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum ReportRefused {
    Report(ReportDetail),
    Error(crate::web::api::ErrorEnvelope),
}

/// Saves the report's draft, or submits it. A submission with problems answers 422 with the
/// fields and their problems; the draft is kept either way. Sending the same body twice
/// stores it once.
#[utoipa::path(put, path = "/api/v1/campaigns/{id}/reports/{unit}", tag = "statistics",
    operation_id = "put_report",
    params(("id" = i64, Path, description = "the campaign"), ("unit" = String, Path, description = "the community's codifier code", pattern = r"^UA[0-9]{17}$")),
    request_body = ReportIn, security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ReportDetail), (status = 422, body = ReportRefused),
        (status = 409, body = crate::web::api::ErrorEnvelope, description = "The campaign is closed or the report locked.")))]
pub async fn put_report(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(path): Path<ReportPath>,
    Json(input): Json<ReportIn>,
) -> AppResult<(StatusCode, Json<ReportDetail>)> {
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let r = actions::report(&state, principal, path.id, path.unit.as_str()).await?;
    let mut typed: HashMap<i64, (String, String)> = HashMap::new();
    for item in &r.items {
        if let Some(v) = input.values.get(&item.code) {
            typed.entry(item.indicator_id).or_default().0 = v.clone();
        }
        if let Some(c) = input.comments.get(&item.code) {
            typed.entry(item.indicator_id).or_default().1 = c.clone();
        }
    }
    let intent = if input.submit {
        Intent::Submit
    } else {
        Intent::Save
    };
    let (submitted, fields) =
        actions::save(&state.db, principal, &ctx.ip, &r, &typed, intent).await?;
    let status = if input.submit && !submitted {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let now = repo::campaign_unit(&state.db, r.campaign.id, &r.report.unit_code)
        .await?
        .map(|u| u.status)
        .unwrap_or(ReportStatus::Open);
    Ok((
        status,
        Json(ReportDetail {
            campaign: r.campaign.id,
            unit: r.report.unit_code.clone(),
            period: r.campaign.period.clone(),
            status: now,
            submitted,
            fields: fields_out(fields),
        }),
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ReviewIn {
    /// Indicator code → why it goes back. Empty: approve the report.
    #[serde(default)]
    pub send_back: HashMap<String, String>,
    /// Nobody approves a report whose values they entered or submitted (409). An admin may,
    /// giving the reason here; it goes into the audit log.
    #[serde(default)]
    pub override_reason: Option<String>,
}

/// A review's outcome. Named apart from the club's `ReviewOut`: utoipa names a schema after its
/// type alone, so two types of one name would share (and one would misdescribe) one schema.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReportReviewOut {
    pub status: ReportStatus,
}

/// Reviews a submitted report: approves it, or sends the named values back with notes.
#[utoipa::path(post, path = "/api/v1/campaigns/{id}/reports/{unit}/review", tag = "statistics",
    operation_id = "review_report",
    params(("id" = i64, Path, description = "the campaign"), ("unit" = String, Path, description = "the community's codifier code", pattern = r"^UA[0-9]{17}$")),
    request_body = ReviewIn, security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ReportReviewOut), (status = 409, body = crate::web::api::ErrorEnvelope,
        description = "Not submitted, or the reviewer entered or submitted its values.")))]
pub async fn review(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(path): Path<ReportPath>,
    Json(input): Json<ReviewIn>,
) -> AppResult<Json<ReportReviewOut>> {
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let r = actions::report(&state, principal, path.id, path.unit.as_str()).await?;
    if let Some(code) = input
        .send_back
        .keys()
        .find(|c| !r.items.iter().any(|i| &i.code == *c))
    {
        return Err(AppError::field(
            &format!("send_back.{code}"),
            "stat-error-indicator",
        ));
    }
    if let Some((code, _)) = input.send_back.iter().find(|(_, n)| n.trim().is_empty()) {
        return Err(AppError::field(
            &format!("send_back.{code}"),
            "stat-error-note",
        ));
    }
    let decisions: Vec<Decision> = r
        .items
        .iter()
        .map(|i| Decision {
            indicator_id: i.indicator_id,
            send_back: input.send_back.contains_key(&i.code),
            note: input.send_back.get(&i.code).cloned().unwrap_or_default(),
        })
        .collect();
    let status = actions::review(
        &state,
        principal,
        &ctx.ip,
        &r,
        &decisions,
        input.override_reason.as_deref(),
    )
    .await?;
    Ok(Json(ReportReviewOut { status }))
}
