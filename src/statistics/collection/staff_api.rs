//! The API twin of the staff's campaign pages (`staff_pages.rs`): asking for reminders now,
//! closing a campaign, and the locked periods. The same use cases as the pages
//! (`campaigns.rs`).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::actions;
use super::api::{CampaignDetail, campaign_detail};
use super::repo;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::Ctx;
use crate::web::api::ListOf;
use crate::web::extract::Json;

/// A request for reminders, queued.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RemindersOut {
    pub campaign: i64,
    /// The communities the reminders may reach (those that still owe, in the coordinator's
    /// offices' oblasts); null for an admin's request, which reaches every community that owes.
    pub units: Option<Vec<String>>,
}

/// Asks for reminders to the communities of a campaign that still owe a report, now; a job
/// mails them (at most once a day each). A coordinator's request reaches the communities in
/// their offices' oblasts only. Answers 202.
#[utoipa::path(post, path = "/api/v1/campaigns/{id}/reminders", tag = "statistics",
    operation_id = "request_campaign_reminders",
    params(("id" = i64, Path, description = "the campaign")), security(("bearer" = []), ("session" = [])),
    responses((status = 202, body = RemindersOut)))]
pub async fn remind(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<(StatusCode, Json<RemindersOut>)> {
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let units = actions::request_reminders(&state, principal, &ctx.ip, id).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(RemindersOut {
            campaign: id,
            units,
        }),
    ))
}

/// Closes a campaign (admins): it leaves the officials' lists; reports stay as they are.
/// 409 when it is closed already.
#[utoipa::path(post, path = "/api/v1/campaigns/{id}/close", tag = "statistics",
    operation_id = "close_campaign",
    params(("id" = i64, Path, description = "the campaign")), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = CampaignDetail),
        (status = 409, body = crate::web::api::ErrorEnvelope, description = "Closed already.")))]
pub async fn close(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> AppResult<Json<CampaignDetail>> {
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    actions::close_campaign(&state.db, principal, &ctx.ip, id).await?;
    let c = repo::campaign(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(campaign_detail(&state, principal, c).await?))
}

/// A locked period: its values no longer change by form, review or import.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LockOut {
    /// `2024`, `2024-Q1` or `2024-01`.
    pub period: String,
    pub locked: bool,
    /// When it was locked; null when it is open.
    pub locked_at: Option<DateTime<Utc>>,
}

/// The locked periods, the latest first (admins).
#[utoipa::path(get, path = "/api/v1/locks", tag = "statistics", operation_id = "list_period_locks",
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = ListOf<LockOut>)))]
pub async fn locks(State(db): State<Db>) -> AppResult<Json<ListOf<LockOut>>> {
    let items: Vec<LockOut> = repo::locks(&db)
        .await?
        .into_iter()
        .map(|(period, at)| LockOut {
            period,
            locked: true,
            locked_at: Some(at),
        })
        .collect();
    Ok(Json(ListOf {
        total: items.len() as i64,
        items,
    }))
}

/// Whether a period is to be locked.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct LockIn {
    /// true locks the period, false opens it again.
    pub locked: bool,
}

/// Locks or unlocks a period (admins); doing what is done already changes nothing. 422
/// `period` for a period that cannot be read.
#[utoipa::path(put, path = "/api/v1/locks/{period}", tag = "statistics", operation_id = "set_period_lock",
    params(("period" = String, Path, description = "the period: `2024`, `2024-Q1` or `2024-01`")),
    request_body = LockIn, security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = LockOut), (status = 422, body = crate::web::api::ErrorEnvelope)))]
pub async fn set_lock(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(period): Path<String>,
    Json(body): Json<LockIn>,
) -> AppResult<Json<LockOut>> {
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let period = actions::set_lock(&state.db, principal, &ctx.ip, &period, body.locked).await?;
    let locked_at = repo::locks(&state.db)
        .await?
        .into_iter()
        .find_map(|(p, at)| (p == period).then_some(at));
    Ok(Json(LockOut {
        period,
        locked: locked_at.is_some(),
        locked_at,
    }))
}
