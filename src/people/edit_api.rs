//! The API twins of people's forms: staff record and end posts in a community, a person (or
//! an admin) changes their contacts, and the owner of a contact address confirms it with the
//! mailed link's token. Each runs the use case the page runs (`actions.rs`).

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::actions::{self, ContactsDraft, PostDraft};
use super::api::PostOut;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::registry::UnitCode;
use crate::state::AppState;
use crate::web::Ctx;
use crate::web::extract::{Json, Path};

/// A post to record in a community.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct PostIn {
    /// head, starosta, secretary, deputy or executive.
    #[schema(pattern = "^(head|starosta|secretary|deputy|executive)$")]
    pub kind: String,
    /// A person already recorded; without it, `name_uk` names a new person.
    #[serde(default)]
    pub person_id: Option<i64>,
    /// A new person's name in Ukrainian (up to 200 characters); the English name is its
    /// official transliteration.
    #[serde(default)]
    #[schema(max_length = 200)]
    pub name_uk: String,
    /// The first day, YYYY-MM-DD.
    #[schema(format = Date)]
    pub since: String,
    /// The last day, YYYY-MM-DD, for a post that has ended; empty while it runs.
    #[serde(default)]
    #[schema(pattern = "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$")]
    pub until: String,
    /// How it ended (with `until`): term_ended, resigned, dismissed, captured, killed or died.
    #[serde(default)]
    pub end_reason: String,
    /// For a new head in office: how the current head's post ends on the new head's first
    /// day; term_ended when empty.
    #[serde(default)]
    pub previous_end: String,
}

/// A recorded post with its holder.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PostRecordOut {
    /// The person who holds it.
    pub person: i64,
    #[serde(flatten)]
    pub post: PostOut,
}

#[derive(Deserialize)]
pub struct CodePath {
    code: UnitCode,
}

/// Records a post in a community (admins; coordinators of the office that covers its
/// oblast). A new head in office takes over: the current head's post ends on the new head's
/// first day. 422 names the field that does not fit (`since` for a rule of the dates).
#[utoipa::path(post, path = "/api/v1/members/{code}/posts", tag = "association",
    operation_id = "record_post", security(("bearer" = []), ("session" = [])),
    params(("code" = String, Path, description = "the community's codifier code", pattern = r"^UA[0-9]{17}$")),
    request_body = PostIn,
    responses((status = 201, body = PostRecordOut),
              (status = 404, body = crate::web::api::ErrorEnvelope, description = "No person with that `person_id`."),
              (status = 422, body = crate::web::api::ErrorEnvelope)))]
pub async fn record_post(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(path): Path<CodePath>,
    Json(body): Json<PostIn>,
) -> AppResult<(StatusCode, Json<PostRecordOut>)> {
    let p = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let snap = crate::registry::snapshot::current(&state).await?;
    let draft = PostDraft {
        kind: body.kind,
        person_id: body.person_id.map(|id| id.to_string()).unwrap_or_default(),
        name_uk: body.name_uk,
        since: body.since,
        until: body.until,
        end_reason: body.end_reason,
        previous_end: body.previous_end,
    };
    let post = actions::record_post(&state.db, &snap, p, &ctx.ip, &path.code, &draft).await?;
    let out = PostRecordOut {
        person: post.person_id,
        post: post.into(),
    };
    Ok((StatusCode::CREATED, Json(out)))
}

/// How a post ended.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct PostEndIn {
    /// The last day, YYYY-MM-DD.
    #[schema(format = Date)]
    pub until: String,
    /// term_ended, resigned, dismissed, captured, killed or died.
    #[schema(pattern = "^(term_ended|resigned|dismissed|captured|killed|died)$")]
    pub reason: String,
}

#[derive(Deserialize)]
pub struct IdPath {
    id: i64,
}

/// Ends a post (admins; coordinators of the office that covers its community's oblast); the
/// post as it now is. 422 names the field (`since` when the post has ended already or would
/// end before it began).
#[utoipa::path(post, path = "/api/v1/posts/{id}/end", tag = "association",
    operation_id = "end_post", security(("bearer" = []), ("session" = [])),
    params(("id" = i64, Path, description = "the post")),
    request_body = PostEndIn,
    responses((status = 200, body = PostOut), (status = 422, body = crate::web::api::ErrorEnvelope)))]
pub async fn end_post(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(path): Path<IdPath>,
    Json(body): Json<PostEndIn>,
) -> AppResult<Json<PostOut>> {
    let p = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let snap = crate::registry::snapshot::current(&state).await?;
    let (until, reason) = (&body.until, &body.reason);
    let post = actions::end_post(&state.db, &snap, p, &ctx.ip, path.id, until, reason).await?;
    Ok(Json(post.into()))
}

/// A person's contacts and which of them are public.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ContactsIn {
    /// Empty, or an email address; a new one counts once its owner follows the link mailed
    /// to it.
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    #[schema(max_length = 50)]
    pub phone: String,
    #[serde(default)]
    pub email_public: bool,
    #[serde(default)]
    pub phone_public: bool,
    /// `uk` or `en`: the language of the verification letter; that of `Accept-Language`
    /// when absent.
    #[serde(default)]
    #[schema(pattern = "^(uk|en)?$")]
    pub lang: String,
}

/// A person's own contacts, as they and admins see them.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ContactsOut {
    pub person: i64,
    pub email: String,
    /// Whether the address's owner followed the mailed link (or it is the account's own
    /// verified address): only then does it count, or show when public.
    pub email_verified: bool,
    pub phone: String,
    pub email_public: bool,
    pub phone_public: bool,
    /// What became of the address: nothing, verified_by_account, mailed (a link went to it)
    /// or pending (a link sent earlier still works).
    pub email_check: String,
}

/// Changes a person's contacts and which of them are public (the person themself or an
/// admin). 409 when the address had too many verification mails today.
#[utoipa::path(put, path = "/api/v1/people/{id}/contacts", tag = "association",
    operation_id = "update_person_contacts", security(("bearer" = []), ("session" = [])),
    params(("id" = i64, Path, description = "the person")),
    request_body = ContactsIn,
    responses((status = 200, body = ContactsOut),
              (status = 409, body = crate::web::api::ErrorEnvelope),
              (status = 429, body = crate::web::api::ErrorEnvelope,
               description = "Too many verification mails for this person; see `Retry-After`.")))]
pub async fn update_contacts(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(path): Path<IdPath>,
    Json(body): Json<ContactsIn>,
) -> AppResult<Json<ContactsOut>> {
    let p = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let lang = match body.lang.as_str() {
        "" => ctx.lang,
        code => Lang::parse(code).ok_or(AppError::field("lang", "lang-invalid"))?,
    };
    let draft = ContactsDraft {
        email: body.email,
        phone: body.phone,
        is_email_public: body.email_public,
        is_phone_public: body.phone_public,
    };
    let (person, check) =
        actions::change_contacts(&state, p, &ctx.ip, path.id, &draft, lang).await?;
    Ok(Json(ContactsOut {
        person: person.id,
        email_verified: person.verified_email().is_some(),
        email: person.email,
        phone: person.phone,
        email_public: person.is_email_public,
        phone_public: person.is_phone_public,
        email_check: check.code().to_string(),
    }))
}

/// The secret of a verification link.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct EmailVerificationIn {
    /// The `token` of the link mailed to the address.
    #[schema(max_length = 200)]
    pub token: String,
}

/// The person whose address is now verified.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EmailVerifiedOut {
    pub person: i64,
}

/// The owner of a contact address confirms it with the mailed link's token (for an app that
/// opens the link itself); the address then counts as the person's. 409 when the link was
/// used, has expired, or the address has changed since.
#[utoipa::path(post, path = "/api/v1/people/email-verifications", tag = "association",
    operation_id = "verify_person_email", security((), ("bearer" = []), ("session" = [])),
    request_body = EmailVerificationIn,
    responses((status = 200, body = EmailVerifiedOut), (status = 409, body = crate::web::api::ErrorEnvelope)))]
pub async fn verify_email(
    State(state): State<AppState>,
    ctx: Ctx,
    Json(body): Json<EmailVerificationIn>,
) -> AppResult<Json<EmailVerifiedOut>> {
    let person = actions::verify_email(&state.db, &body.token, &ctx.ip).await?;
    Ok(Json(EmailVerifiedOut { person }))
}
