//! The API twin of a member's own club page (`/{lang}/club/me`): the membership with its
//! delegates, being listed, resigning, naming and revoking delegates. Each runs the use case
//! the page runs (`membership.rs`); only the member themself may, never a delegate.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{actions, repo};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::web::Ctx;
use crate::web::extract::Json;

/// One delegate: an account that acts for the member in some things.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DelegateOut {
    pub id: i64,
    /// The delegate's account.
    pub user: i64,
    pub name: String,
    pub email: String,
    pub since: DateTime<Utc>,
}

/// The signed-in account's own club membership.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OwnMembershipOut {
    pub id: i64,
    /// The member's person record.
    pub person: i64,
    pub name_uk: String,
    pub name_en: String,
    pub since: NaiveDate,
    /// Whether the public club page lists them.
    pub listed: bool,
    /// Set once they resigned.
    pub resigned_on: Option<NaiveDate>,
    /// The current delegates.
    pub delegates: Vec<DelegateOut>,
}

fn delegate_out(d: repo::DelegateRow) -> DelegateOut {
    DelegateOut {
        id: d.id,
        user: d.user_id,
        name: d.display_name,
        email: d.email,
        since: d.created_at,
    }
}

async fn own(db: &Db, ctx: &Ctx) -> AppResult<OwnMembershipOut> {
    let p = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let m = actions::own_membership(db, p)
        .await?
        .ok_or(AppError::Conflict("club-error-not-member"))?;
    let delegates = repo::delegates(db, m.person_id)
        .await?
        .into_iter()
        .map(delegate_out)
        .collect();
    Ok(OwnMembershipOut {
        id: m.id,
        person: m.person_id,
        name_uk: m.name_uk,
        name_en: m.name_en,
        since: m.since_on,
        listed: m.is_listed,
        resigned_on: m.resigned_on,
        delegates,
    })
}

/// The signed-in account's own club membership and its delegates; 409 for an account that is
/// no member (a delegate is not).
#[utoipa::path(get, path = "/api/v1/club/me", tag = "club", operation_id = "get_own_club_membership",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = OwnMembershipOut), (status = 409, body = crate::web::api::ErrorEnvelope)))]
pub async fn get_own(State(state): State<AppState>, ctx: Ctx) -> AppResult<Json<OwnMembershipOut>> {
    Ok(Json(own(&state.db, &ctx).await?))
}

/// Whether the public club page lists the member.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ListingIn {
    pub listed: bool,
}

/// The member chooses whether the public club page lists them; the membership as it now is.
#[utoipa::path(put, path = "/api/v1/club/me/listing", tag = "club", operation_id = "set_own_club_listing",
    security(("bearer" = []), ("session" = [])), request_body = ListingIn,
    responses((status = 200, body = OwnMembershipOut), (status = 409, body = crate::web::api::ErrorEnvelope)))]
pub async fn set_listing(
    State(state): State<AppState>,
    ctx: Ctx,
    Json(body): Json<ListingIn>,
) -> AppResult<Json<OwnMembershipOut>> {
    let p = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    actions::set_listed(&state.db, p, &ctx.ip, body.listed).await?;
    Ok(Json(own(&state.db, &ctx).await?))
}

/// The member leaves the club; their delegations end with it. 409 for an account that is no
/// current member.
#[utoipa::path(delete, path = "/api/v1/club/me", tag = "club", operation_id = "resign_club_membership",
    security(("bearer" = []), ("session" = [])),
    responses((status = 204), (status = 409, body = crate::web::api::ErrorEnvelope)))]
pub async fn resign(State(state): State<AppState>, ctx: Ctx) -> AppResult<StatusCode> {
    let p = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    actions::resign(&state.db, p, &ctx.ip).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A delegate to name: an existing account by its address, or a new one invited by mail.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct DelegateIn {
    #[schema(format = Email)]
    pub email: String,
    /// Needed for an address with no account yet: 3 to 200 characters.
    #[serde(default)]
    #[schema(max_length = 200)]
    pub name: String,
    /// `uk` or `en`: the language of the letter; that of `Accept-Language` when absent.
    #[serde(default)]
    #[schema(pattern = "^(uk|en)?$")]
    pub lang: String,
}

/// The member names a delegate, who is told by mail (a new account gets a link to set its
/// password). 409 when the account is their delegate already or the caller is no member.
#[utoipa::path(post, path = "/api/v1/club/me/delegates", tag = "club", operation_id = "create_club_delegate",
    security(("bearer" = []), ("session" = [])), request_body = DelegateIn,
    responses((status = 201, body = DelegateOut), (status = 409, body = crate::web::api::ErrorEnvelope),
              (status = 422, body = crate::web::api::ErrorEnvelope)))]
pub async fn name_delegate(
    State(state): State<AppState>,
    ctx: Ctx,
    Json(body): Json<DelegateIn>,
) -> AppResult<(StatusCode, Json<DelegateOut>)> {
    let p = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let lang = match body.lang.as_str() {
        "" => ctx.lang,
        code => Lang::parse(code).ok_or(AppError::field("lang", "lang-invalid"))?,
    };
    let id = actions::name_delegate(&state, p, &ctx.ip, &body.email, &body.name, lang).await?;
    let m = actions::own_membership(&state.db, p)
        .await?
        .ok_or(AppError::NotFound)?;
    let d = repo::delegates(&state.db, m.person_id)
        .await?
        .into_iter()
        .find(|d| d.id == id)
        .ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(delegate_out(d))))
}

#[derive(Deserialize)]
pub struct IdPath {
    id: i64,
}

/// The member ends one of their delegations; 404 for one that is not theirs or ended already.
#[utoipa::path(delete, path = "/api/v1/club/me/delegates/{id}", tag = "club", operation_id = "revoke_club_delegate",
    security(("bearer" = []), ("session" = [])),
    params(("id" = i64, Path, description = "the delegation's id")),
    responses((status = 204), (status = 409, body = crate::web::api::ErrorEnvelope)))]
pub async fn revoke_delegate(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(path): Path<IdPath>,
) -> AppResult<StatusCode> {
    let p = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    actions::revoke_delegate(&state.db, p, &ctx.ip, path.id).await?;
    Ok(StatusCode::NO_CONTENT)
}
