//! JSON API of the Mayors' Club: applying is public, and so are the applicant's answer and a
//! record owner's confirmation (each by the secret of its mailed link); the committee lists,
//! reads and reviews applications; the chair decides; admins set the quorum; the list of
//! members who agreed to be listed is public.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::actions::{self, ApplyError};
use super::{Draft, repo};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::Ctx;
use crate::web::extract::Json;
use crate::work::Actor;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewApplication {
    pub name: String,
    /// The community's KATOTTH code, or its exact name.
    pub community: String,
    /// The day the term began, YYYY-MM-DD.
    #[schema(format = Date)]
    pub term_since: String,
    /// The day it ends, YYYY-MM-DD; empty while it runs.
    #[serde(default)]
    #[schema(pattern = "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$")]
    pub term_until: String,
    pub email: String,
    #[serde(default)]
    pub phone: String,
    pub motivation: String,
    /// `uk` or `en`: the language of the letters.
    #[schema(pattern = "^(uk|en)$")]
    pub lang: String,
    /// Whether the applicant agrees to be listed on the public club page once accepted.
    #[serde(default)]
    pub listed: bool,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Received {
    /// Always `received`.
    pub status: String,
}

/// Applies to the club. Answers 422 with every problem. A sound application is answered 202
/// the same way whatever the address's state (new, a member's, or one with an open
/// application), so the answer reveals nobody's membership; the address's owner learns what
/// happened by mail, with the private status link when there is one.
#[utoipa::path(post, path = "/api/v1/club/applications", tag = "club",
    operation_id = "create_club_application", request_body = NewApplication, security((), ("bearer" = []), ("session" = [])),
    responses((status = 202, body = Received), (status = 429, body = crate::web::api::ErrorEnvelope,
        description = "Too many applications from this address; see `Retry-After`.")))]
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Json(body): Json<NewApplication>,
) -> AppResult<(StatusCode, Json<Received>)> {
    let key = format!("club:address:{}", ctx.ip);
    crate::auth::actions::take(&state.db, &key, super::pages::APPLICATIONS_PER_ADDRESS).await?;
    let draft = Draft {
        name: body.name,
        community: body.community,
        term_since: body.term_since,
        term_until: body.term_until,
        email: body.email,
        phone: body.phone,
        motivation: body.motivation,
        lang: body.lang,
        listed: body.listed,
    };
    match actions::apply(&state, &ctx.ip, &draft).await {
        Ok(()) => Ok((
            StatusCode::ACCEPTED,
            Json(Received {
                status: "received".into(),
            }),
        )),
        Err(ApplyError::Refused(r)) => {
            // A form with mistakes sends no mail: it does not use up the address's allowance.
            crate::auth::actions::give_back(&state.db, &key).await?;
            Err(AppError::Invalid(r.errors))
        }
        Err(ApplyError::App(e)) => Err(e),
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApplicationOut {
    pub id: i64,
    pub name: String,
    pub community: String,
    pub term_since: NaiveDate,
    pub term_until: Option<NaiveDate>,
    pub email: String,
    pub phone: String,
    pub motivation: String,
    pub lang: String,
    /// submitted, more_info, accepted, declined or withdrawn.
    pub status: super::Status,
    pub listed: bool,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub reviews: i64,
    /// The person on record the committee confirmed as the applicant, if any.
    pub match_person: Option<i64>,
}

fn application_out(a: repo::ApplicationRow, reviews: i64) -> ApplicationOut {
    ApplicationOut {
        id: a.id,
        name: a.name,
        community: a.community_code,
        term_since: a.term_since_on,
        term_until: a.term_until_on,
        email: a.email,
        phone: a.phone,
        motivation: a.motivation,
        lang: a.lang,
        status: a.status,
        listed: a.is_listing_agreed,
        created_at: a.created_at,
        decided_at: a.decided_at,
        reviews,
        match_person: a.match_person_id,
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApplicationList {
    pub items: Vec<ApplicationOut>,
    pub total: i64,
    /// Reviews needed before the chair may decide.
    pub quorum: i64,
}

/// Every application, newest first, with its number of reviews (committee).
#[utoipa::path(get, path = "/api/v1/club/applications", tag = "club",
    operation_id = "list_club_applications", security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ApplicationList)))]
pub async fn list(State(db): State<Db>) -> AppResult<Json<ApplicationList>> {
    let items: Vec<ApplicationOut> = repo::applications(&db)
        .await?
        .into_iter()
        .map(|(a, n)| application_out(a, n))
        .collect();
    Ok(Json(ApplicationList {
        total: items.len() as i64,
        items,
        quorum: actions::quorum(&db).await?,
    }))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReviewOut {
    pub reviewer: String,
    /// accept, decline or more_info.
    pub recommendation: super::Recommendation,
    pub comment: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StepOut {
    /// accept, decline, more_info (decisions) or answer (the applicant's).
    pub kind: super::StepKind,
    pub by: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApplicationDetail {
    #[serde(flatten)]
    pub application: ApplicationOut,
    pub review_list: Vec<ReviewOut>,
    pub steps: Vec<StepOut>,
    /// Heads of the community with the applicant's name: possible matches that the committee
    /// confirms explicitly (a name alone never links an applicant to a record).
    pub possible_matches: Vec<MatchOut>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MatchOut {
    pub person: i64,
    pub name: String,
    /// The record has an account or a verified address, whose owner must confirm by mail.
    pub has_owner: bool,
    pub confirmed: bool,
}

#[derive(Deserialize)]
pub struct IdPath {
    id: i64,
}

async fn detail(db: &Db, id: i64) -> AppResult<ApplicationDetail> {
    let a = repo::application(db, id).await?.ok_or(AppError::NotFound)?;
    let reviews: Vec<ReviewOut> = repo::reviews(db, id)
        .await?
        .into_iter()
        .map(|r| ReviewOut {
            reviewer: r.reviewer,
            recommendation: r.recommendation,
            comment: r.comment,
            created_at: r.created_at,
        })
        .collect();
    let steps = repo::steps(db, id)
        .await?
        .into_iter()
        .map(|s| StepOut {
            kind: s.kind,
            by: s.by_name,
            body: s.body,
            created_at: s.created_at,
        })
        .collect();
    let possible_matches = super::review_pages::match_lines(db, crate::i18n::Lang::Uk, &a)
        .await?
        .into_iter()
        .map(|m| MatchOut {
            person: m.id,
            name: m.name,
            has_owner: m.has_owner,
            confirmed: m.confirmed,
        })
        .collect();
    Ok(ApplicationDetail {
        possible_matches,
        application: application_out(a, reviews.len() as i64),
        review_list: reviews,
        steps,
    })
}

/// One application with its reviews, decisions and answers (committee).
#[utoipa::path(get, path = "/api/v1/club/applications/{id}", tag = "club",
    operation_id = "get_club_application",
    params(("id" = i64, Path, description = "application id")), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ApplicationDetail)))]
pub async fn get_application(
    State(state): State<AppState>,
    Path(path): Path<IdPath>,
) -> AppResult<Json<ApplicationDetail>> {
    Ok(Json(detail(&state.db, path.id).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewReview {
    /// accept, decline or more_info.
    pub recommendation: super::Recommendation,
    pub comment: String,
}

/// Gives (or replaces) the caller's recommendation on an open application (committee).
#[utoipa::path(post, path = "/api/v1/club/applications/{id}/reviews", tag = "club",
    operation_id = "review_club_application",
    params(("id" = i64, Path, description = "application id")), request_body = NewReview, security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ApplicationDetail), (status = 409, body = crate::web::api::ErrorEnvelope,
        description = "The application is decided already.")))]
pub async fn review(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(path): Path<IdPath>,
    Json(body): Json<NewReview>,
) -> AppResult<Json<ApplicationDetail>> {
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    actions::review(
        &state.db,
        principal,
        &ctx.ip,
        path.id,
        body.recommendation,
        &body.comment,
    )
    .await?;
    Ok(Json(detail(&state.db, path.id).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewMatch {
    /// The person on record who is the applicant (a head of the community), or null to
    /// withdraw the confirmation.
    #[serde(default)]
    pub person: Option<i64>,
    /// `true` cancels the record owner's confirmation request still waiting (after acceptance);
    /// `person` is then ignored.
    #[serde(default)]
    pub cancel: bool,
}

/// Confirms that the applicant is a person on record, or withdraws that (committee). At
/// acceptance the member is linked to that record; when the record has an account or a
/// verified address, its owner must confirm by mail first.
#[utoipa::path(post, path = "/api/v1/club/applications/{id}/match", tag = "club",
    operation_id = "confirm_club_match",
    params(("id" = i64, Path, description = "application id")), request_body = NewMatch, security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ApplicationDetail), (status = 409, body = crate::web::api::ErrorEnvelope)))]
pub async fn confirm_match(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(path): Path<IdPath>,
    Json(body): Json<NewMatch>,
) -> AppResult<Json<ApplicationDetail>> {
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    if body.cancel {
        actions::cancel_link(&state.db, principal, &ctx.ip, path.id).await?;
    } else {
        actions::confirm_match(&state.db, principal, &ctx.ip, path.id, body.person).await?;
    }
    Ok(Json(detail(&state.db, path.id).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewDecision {
    /// accept, decline or more_info.
    pub decision: super::Recommendation,
    /// For the letter: required when declining or asking for more information.
    #[serde(default)]
    pub note: String,
}

/// Records the decision once the quorum has reviewed (the chair); the letter goes out in the
/// applicant's language.
#[utoipa::path(post, path = "/api/v1/club/applications/{id}/decision", tag = "club",
    operation_id = "decide_club_application",
    params(("id" = i64, Path, description = "application id")), request_body = NewDecision, security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ApplicationDetail), (status = 409, body = crate::web::api::ErrorEnvelope,
        description = "Decided already, or the quorum has not reviewed it yet.")))]
pub async fn decide(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(path): Path<IdPath>,
    Json(body): Json<NewDecision>,
) -> AppResult<Json<ApplicationDetail>> {
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    actions::decide(
        &state,
        principal,
        &ctx.ip,
        path.id,
        body.decision,
        &body.note,
    )
    .await?;
    Ok(Json(detail(&state.db, path.id).await?))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MemberOut {
    pub person: i64,
    pub name_uk: String,
    pub name_en: String,
    pub since: NaiveDate,
    /// The mayor's page.
    pub page: String,
    pub is_demo: bool,
}

/// Club members who agreed to be listed.
#[utoipa::path(get, path = "/api/v1/club/members", tag = "club", operation_id = "list_club_members",
    security((), ("bearer" = []), ("session" = [])),
    responses((status = 200, body = crate::web::api::ListOf<MemberOut>)))]
pub async fn members(State(db): State<Db>) -> AppResult<Json<crate::web::api::ListOf<MemberOut>>> {
    let items: Vec<MemberOut> = repo::members(&db, true)
        .await?
        .into_iter()
        .map(|m| MemberOut {
            page: format!("/uk/people/{}/mayor", m.person_id),
            person: m.person_id,
            name_uk: m.name_uk,
            name_en: m.name_en,
            since: m.since_on,
            is_demo: m.is_demo,
        })
        .collect();
    Ok(Json(crate::web::api::ListOf {
        total: items.len() as i64,
        items,
    }))
}

/// The applicant's answer to the committee's questions.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct AnswerIn {
    /// The secret of the application's status link (the last part of its address).
    #[schema(max_length = 200)]
    pub token: String,
    /// 1 to 5,000 characters.
    #[schema(min_length = 1, max_length = 5000)]
    pub answer: String,
}

/// An application's status after a change.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApplicationStatusOut {
    /// submitted: back with the committee.
    pub status: super::Status,
}

/// The applicant answers the committee's questions, with the secret of the status link the
/// committee's letter carries; the application goes back to the committee. 404 for an unknown
/// link; 409 when no question waits for an answer.
#[utoipa::path(post, path = "/api/v1/club/answers", tag = "club",
    operation_id = "answer_club_application", request_body = AnswerIn,
    security((), ("bearer" = []), ("session" = [])),
    responses((status = 200, body = ApplicationStatusOut),
              (status = 404, body = crate::web::api::ErrorEnvelope),
              (status = 409, body = crate::web::api::ErrorEnvelope)))]
pub async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    Json(body): Json<AnswerIn>,
) -> AppResult<Json<ApplicationStatusOut>> {
    actions::answer(&state.db, &ctx.ip, &body.token, &body.answer).await?;
    Ok(Json(ApplicationStatusOut {
        status: super::Status::Submitted,
    }))
}

/// The secret of a record owner's confirmation link.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct LinkConfirmationIn {
    /// The `token` of the link mailed to the record's owner.
    #[schema(max_length = 200)]
    pub token: String,
}

/// The record a club membership now stands on.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LinkConfirmedOut {
    pub person: i64,
}

/// The owner of a person record confirms, with the mailed link's secret, that a new club
/// member is them: the membership moves to their record. 409 for a link used, expired or
/// cancelled, or a membership that has ended.
#[utoipa::path(post, path = "/api/v1/club/link-confirmations", tag = "club",
    operation_id = "confirm_club_link", request_body = LinkConfirmationIn,
    security((), ("bearer" = []), ("session" = [])),
    responses((status = 200, body = LinkConfirmedOut), (status = 409, body = crate::web::api::ErrorEnvelope)))]
pub async fn confirm_link(
    State(state): State<AppState>,
    ctx: Ctx,
    Json(body): Json<LinkConfirmationIn>,
) -> AppResult<Json<LinkConfirmedOut>> {
    let person = actions::confirm_link(&state.db, &body.token, &ctx.ip).await?;
    Ok(Json(LinkConfirmedOut { person }))
}

/// The club's settings.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ClubSettings {
    /// Reviews needed before the chair may decide: 1 to 50.
    #[schema(minimum = 1, maximum = 50)]
    pub quorum: i64,
}

/// Sets the committee's quorum (admins). 422 `quorum` outside 1 to 50.
#[utoipa::path(put, path = "/api/v1/club/settings", tag = "club",
    operation_id = "update_club_settings", request_body = ClubSettings,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ClubSettings)))]
pub async fn update_settings(
    State(state): State<AppState>,
    actor: Actor,
    Json(body): Json<ClubSettings>,
) -> AppResult<Json<ClubSettings>> {
    let quorum = actions::set_quorum(&state.db, &actor, &body.quorum.to_string()).await?;
    Ok(Json(ClubSettings { quorum }))
}
