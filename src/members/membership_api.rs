//! The API twins of the staff's membership forms: a community joins, a member suspends its
//! membership or leaves, and a CSV file of communities joining is imported, all rows or none.
//! Each runs the use case the page runs (`actions.rs`).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::actions::{self, EndDraft, JoinDraft};
use super::repo;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::registry::UnitCode;
use crate::state::AppState;
use crate::web::Ctx;
use crate::web::api::ErrorEnvelope;
use crate::web::extract::{Json, Path};

/// One period of a community's membership.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MembershipPeriodOut {
    /// The regional office's short name.
    pub regional_office: String,
    pub since: NaiveDate,
    pub decision_number: String,
    pub decision_on: Option<NaiveDate>,
    /// The last day, once it ended.
    pub until: Option<NaiveDate>,
    /// suspended or left, once it ended.
    pub end_reason: Option<String>,
    pub end_decision_number: String,
    pub end_decision_on: Option<NaiveDate>,
}

/// A community's membership: whether it is a member now, and every period, oldest first.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CommunityMembershipOut {
    /// The community's codifier code.
    pub code: String,
    pub member: bool,
    pub periods: Vec<MembershipPeriodOut>,
}

async fn membership(db: &Db, code: &str) -> AppResult<Json<CommunityMembershipOut>> {
    let offices = repo::offices(db).await?;
    let periods: Vec<MembershipPeriodOut> = repo::periods_of_unit(db, code)
        .await?
        .into_iter()
        .map(|p| MembershipPeriodOut {
            regional_office: offices
                .iter()
                .find(|o| o.id == p.office_id)
                .map(|o| o.slug.clone())
                .unwrap_or_default(),
            since: p.since_on,
            decision_number: p.decision_number,
            decision_on: p.decision_on,
            until: p.until_on,
            end_reason: p.end_reason,
            end_decision_number: p.end_decision_number,
            end_decision_on: p.end_decision_on,
        })
        .collect();
    Ok(Json(CommunityMembershipOut {
        code: code.to_string(),
        member: periods.iter().any(|p| p.until.is_none()),
        periods,
    }))
}

#[derive(Deserialize)]
pub struct CodePath {
    code: UnitCode,
}

/// Records that a community joins (or rejoins) the association (admins; coordinators for
/// communities in their offices' oblasts). 422 names every field that does not fit and each
/// rule broken (`code` for a community that is no hromada or city, or a member already).
#[utoipa::path(post, path = "/api/v1/members/{code}/join", tag = "association",
    operation_id = "join_member", security(("bearer" = []), ("session" = [])),
    params(("code" = String, Path, description = "the community's codifier code", pattern = r"^UA[0-9]{17}$")),
    request_body = JoinDraft,
    responses((status = 201, body = CommunityMembershipOut), (status = 422, body = ErrorEnvelope)))]
pub async fn join(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(path): Path<CodePath>,
    Json(draft): Json<JoinDraft>,
) -> AppResult<(StatusCode, Json<CommunityMembershipOut>)> {
    let p = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let snap = crate::registry::snapshot::current(&state).await?;
    actions::join_community(&state.db, &snap, p, &ctx.ip, &path.code, &draft).await?;
    Ok((
        StatusCode::CREATED,
        membership(&state.db, path.code.as_str()).await?,
    ))
}

/// Records that a member suspends its membership or leaves (admins; the coordinators of the
/// office it joined through, in their oblasts). 422 names every field that does not fit and
/// each rule broken (`code` for a community that is no member).
#[utoipa::path(post, path = "/api/v1/members/{code}/end", tag = "association",
    operation_id = "end_member", security(("bearer" = []), ("session" = [])),
    params(("code" = String, Path, description = "the community's codifier code", pattern = r"^UA[0-9]{17}$")),
    request_body = EndDraft,
    responses((status = 200, body = CommunityMembershipOut), (status = 422, body = ErrorEnvelope)))]
pub async fn end(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(path): Path<CodePath>,
    Json(draft): Json<EndDraft>,
) -> AppResult<Json<CommunityMembershipOut>> {
    let p = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let snap = crate::registry::snapshot::current(&state).await?;
    actions::end_membership(&state.db, &snap, p, &ctx.ip, &path.code, &draft).await?;
    membership(&state.db, path.code.as_str()).await
}

/// An imported file.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MemberImportOut {
    /// Communities that joined.
    pub imported: i64,
}

/// Imports member communities from a CSV file (admins; coordinators for the offices they
/// manage): multipart with `file`, whose header is `code,since,regional_office` and
/// optionally `decision_number,decision_on`, comma or semicolon separated. All rows or none:
/// 422 lists every bad row under `file` with its line (the first 1,000, then how many more),
/// in the caller's language, and nothing changes.
#[utoipa::path(post, path = "/api/v1/members/import", tag = "association",
    operation_id = "import_members", security(("bearer" = []), ("session" = [])),
    request_body(content_type = "multipart/form-data", description = "file: the CSV"),
    responses((status = 200, body = MemberImportOut), (status = 422, body = ErrorEnvelope,
        description = "No file, or a file with problems: each one under `file`, with its line.")))]
pub async fn import(
    State(state): State<AppState>,
    ctx: Ctx,
    multipart: axum::extract::Multipart,
) -> AppResult<Response> {
    let p = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let text = crate::web::extract::uploaded_text(multipart)
        .await
        .map_err(|key| AppError::field("file", key))?;
    let snap = crate::registry::snapshot::current(&state).await?;
    match actions::import_file(&state.db, &snap, p, &ctx.ip, &text).await? {
        Ok(n) => Ok(Json(MemberImportOut { imported: n as i64 }).into_response()),
        Err(refused) => Ok(ErrorEnvelope::file_refused(
            ctx.lang,
            refused.messages(ctx.lang),
        )),
    }
}
