//! The Mayors' Club's use cases, shared by the pages and the JSON API: apply, review, decide,
//! answer the committee's questions, and a member's own choices (being listed, resigning,
//! delegates). Each runs in one transaction with its audit entry and any mail it sends.

use serde_json::json;

use super::{Application, Draft, Recommendation, Refusal, Status, check, is_open, repo};
use crate::auth::repo::NewUser;
use crate::auth::{Actor, Principal, new_secret, now, secret_hash};
use crate::error::{AppError, AppResult};
use crate::i18n::{Arg, Lang};
use crate::mail;
use crate::people::repo::{NewPerson, NewPost};
use crate::web::AppState;

/// The setting that holds how many committee members must review before the chair decides.
pub const QUORUM_KEY: &str = "club.quorum";
pub const DEFAULT_QUORUM: i64 = 2;
pub const MAX_QUORUM: i64 = 50;

pub async fn quorum(db: &crate::db::Db) -> sqlx::Result<i64> {
    Ok(crate::db::settings::get(db, QUORUM_KEY)
        .await?
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_QUORUM))
}

/// An admin sets the quorum (1 to 50).
pub async fn set_quorum(state: &AppState, actor: &Actor, value: &str) -> AppResult<i64> {
    let n: i64 = value
        .trim()
        .parse()
        .ok()
        .filter(|n| (1..=MAX_QUORUM).contains(n))
        .ok_or(AppError::field("quorum", "club-error-quorum-range"))?;
    let now = now();
    let mut tx = state.db.begin().await?;
    crate::db::settings::set(&mut tx, QUORUM_KEY, &n.to_string(), now).await?;
    crate::audit::repo::record(
        &mut tx,
        actor,
        "update",
        "setting",
        QUORUM_KEY,
        json!({ "value": n }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(n)
}

pub enum ApplyError {
    Refused(Refusal),
    App(AppError),
}

impl<E: Into<AppError>> From<E> for ApplyError {
    fn from(e: E) -> Self {
        ApplyError::App(e.into())
    }
}

fn refusal(field: &str, key: &str) -> ApplyError {
    ApplyError::Refused(Refusal {
        errors: vec![(field.to_string(), key.to_string())],
        candidates: Vec::new(),
    })
}

/// A sent application: its id and the secret of its status link.
pub struct Applied {
    pub id: i64,
    pub token: String,
    pub application: Application,
}

/// Checks and records an application and queues the acknowledgement with the status link.
pub async fn apply(state: &AppState, ip: &str, draft: &Draft) -> Result<Applied, ApplyError> {
    let snap = state.registry.get(&state.db).await?;
    let application =
        check(draft, &snap, crate::members::actions::today()).map_err(ApplyError::Refused)?;
    if repo::is_member_email(&state.db, &application.email).await? {
        return Err(refusal("email", "club-error-member-already"));
    }
    let token = new_secret("club.");
    let now = now();
    let mut tx = state.db.begin().await?;
    let id = match repo::insert(&mut tx, &application, &secret_hash(&token), now).await {
        Ok(id) => id,
        Err(e) if crate::db::is_unique_violation(&e) => {
            return Err(refusal("email", "club-error-open"));
        }
        Err(e) => return Err(e.into()),
    };
    let link = state.link(&format!(
        "/{}/club/applications/{token}",
        application.lang.code()
    ));
    let msg = mail::action_mail(
        application.lang,
        &application.email,
        &application.name,
        "club-received",
        &link,
        0,
    );
    mail::repo::enqueue(&mut tx, &msg, &state.mail_domain(), now).await?;
    crate::audit::repo::record(
        &mut tx,
        &Actor::visitor(&application.email, ip),
        "apply",
        "club_application",
        &id.to_string(),
        json!({ "name": application.name, "community": application.community_code,
                "lang": application.lang.code(), "listed": application.is_listing_agreed }),
        now,
    )
    .await?;
    tx.commit().await?;
    state.mail_wakeup.notify_one();
    Ok(Applied {
        id,
        token,
        application,
    })
}

/// A committee member gives (or changes) their recommendation on an open application.
pub async fn review(
    state: &AppState,
    principal: &Principal,
    ip: &str,
    id: i64,
    recommendation: &str,
    comment: &str,
) -> AppResult<()> {
    let a = repo::application(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !is_open(&a.status) {
        return Err(AppError::Conflict("club-error-closed"));
    }
    let recommendation = Recommendation::parse(recommendation).ok_or(AppError::field(
        "recommendation",
        "club-error-recommendation",
    ))?;
    let comment = comment.trim();
    if comment.is_empty() || comment.chars().count() > 5000 {
        return Err(AppError::field("comment", "club-error-comment"));
    }
    let now = now();
    let mut tx = state.db.begin().await?;
    repo::upsert_review(
        &mut tx,
        a.id,
        principal.user.id,
        recommendation.code(),
        comment,
        now,
    )
    .await?;
    crate::audit::repo::record(
        &mut tx,
        &Actor::of(principal, ip),
        "review",
        "club_application",
        &a.id.to_string(),
        json!({ "recommendation": recommendation.code(), "comment": comment }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What a decision did.
pub struct Decided {
    pub status: Status,
    /// For an acceptance: the member's person record.
    pub person_id: Option<i64>,
}

/// The chair records the decision once the quorum of reviews is met. Accepting makes the
/// applicant a member (with a person record, their head post where it fits the records, and
/// an account invitation when they have none); every decision sends the letter in the
/// applicant's language.
pub async fn decide(
    state: &AppState,
    principal: &Principal,
    ip: &str,
    id: i64,
    decision: &str,
    note: &str,
) -> AppResult<Decided> {
    let a = repo::application(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !is_open(&a.status) {
        return Err(AppError::Conflict("club-error-closed"));
    }
    let decision = Recommendation::parse(decision)
        .ok_or(AppError::field("decision", "club-error-recommendation"))?;
    let note = note.trim();
    let note_needed = decision != Recommendation::Accept;
    if (note_needed && note.is_empty()) || note.chars().count() > 5000 {
        return Err(AppError::field("note", "club-error-note"));
    }
    let reviews = repo::review_count(&state.db, a.id).await?;
    if reviews < quorum(&state.db).await? {
        return Err(AppError::Conflict("club-error-quorum"));
    }
    let lang = Lang::parse(&a.lang).unwrap_or(Lang::Uk);
    let now = now();
    let mut tx = state.db.begin().await?;
    repo::insert_decision(&mut tx, a.id, principal.user.id, decision.code(), note, now).await?;
    let mut paragraphs = vec![lang.t(&format!("mail-club-{}-body", decision.code()))];
    if !note.is_empty() {
        paragraphs.push(note.to_string());
    }
    let (status, person_id, msg) = match decision {
        Recommendation::Accept => {
            repo::set_status(&mut tx, a.id, Status::Accepted.code(), Some(now)).await?;
            let (person_id, link, label) = admit(state, &mut tx, &a, lang).await?;
            paragraphs.push(lang.t("mail-club-accept-next"));
            let msg = mail::letter(
                lang,
                &a.email,
                &a.name,
                "club-accept",
                &paragraphs,
                Some((&label, &link)),
            );
            (Status::Accepted, Some(person_id), msg)
        }
        Recommendation::Decline => {
            repo::set_status(&mut tx, a.id, Status::Declined.code(), Some(now)).await?;
            let msg = mail::letter(lang, &a.email, &a.name, "club-decline", &paragraphs, None);
            (Status::Declined, None, msg)
        }
        Recommendation::MoreInfo => {
            repo::set_status(&mut tx, a.id, Status::MoreInfo.code(), None).await?;
            // The applicant answers through a fresh status link; the old one stops working.
            let token = new_secret("club.");
            repo::set_token_hash(&mut tx, a.id, &secret_hash(&token)).await?;
            let link = state.link(&format!("/{}/club/applications/{token}", lang.code()));
            let label = lang.t("mail-club-more_info-action");
            let msg = mail::letter(
                lang,
                &a.email,
                &a.name,
                "club-more_info",
                &paragraphs,
                Some((&label, &link)),
            );
            (Status::MoreInfo, None, msg)
        }
    };
    mail::repo::enqueue(&mut tx, &msg, &state.mail_domain(), now).await?;
    crate::audit::repo::record(
        &mut tx,
        &Actor::of(principal, ip),
        "decide",
        "club_application",
        &a.id.to_string(),
        json!({ "decision": decision.code(), "note": note, "reviews": reviews,
                "person": person_id }),
        now,
    )
    .await?;
    tx.commit().await?;
    state.mail_wakeup.notify_one();
    Ok(Decided { status, person_id })
}

/// Makes an accepted applicant a member: finds the person (by email, else by name among the
/// community's recorded heads) or records them, records the head post
/// when no other head is recorded for those days, starts the membership and finds or invites
/// the account. Returns the person and the letter's link with its label.
async fn admit(
    state: &AppState,
    tx: &mut crate::db::Tx,
    a: &repo::ApplicationRow,
    lang: Lang,
) -> AppResult<(i64, String, String)> {
    let now = now();
    let found = match repo::person_by_email(tx, &a.email).await? {
        Some(found) => Some(found),
        None => repo::head_by_name(tx, &a.community_code, &a.name).await?,
    };
    let (person_id, linked_user) = match found {
        Some(found) => found,
        None => {
            let name_en = crate::registry::translit::transliterate(&a.name);
            let person = NewPerson {
                name_uk: &a.name,
                name_en: &name_en,
                email: &a.email,
                phone: &a.phone,
                is_demo: false,
            };
            (
                crate::people::repo::insert_person(tx, &person, now).await?,
                None,
            )
        }
    };
    if repo::overlapping_heads(tx, &a.community_code, a.term_since_on, a.term_until_on).await? == 0
    {
        let post = NewPost {
            person_id,
            unit_code: &a.community_code,
            kind: crate::people::PostKind::Head.code(),
            since: a.term_since_on,
            until: a.term_until_on,
            end_reason: None,
        };
        crate::people::repo::insert_post(tx, &post, now).await?;
    }
    let today = crate::members::actions::today();
    repo::insert_member(tx, person_id, Some(a.id), today, a.is_listing_agreed, now).await?;
    let existing = match linked_user {
        Some(id) => Some(id),
        None => repo::user_by_email(tx, &a.email).await?,
    };
    let (link, label) = match existing {
        Some(user_id) => {
            repo::link_person_to_user(tx, person_id, user_id).await?;
            club_page_link(state, lang)
        }
        None => {
            let (user_id, token) = invite_account(tx, &a.email, &a.name, lang).await?;
            repo::link_person_to_user(tx, person_id, user_id).await?;
            password_link(state, lang, &token)
        }
    };
    Ok((person_id, link, label))
}

/// Creates an account without a password for `email` and returns it with its invitation
/// secret.
async fn invite_account(
    tx: &mut crate::db::Tx,
    email: &str,
    name: &str,
    lang: Lang,
) -> AppResult<(i64, String)> {
    let now = now();
    let user = NewUser {
        email,
        display_name: name,
        password_hash: None,
        lang: lang.code(),
        email_verified: false,
        is_demo: false,
    };
    let user_id = crate::auth::repo::create_user(tx, &user, now)
        .await?
        .ok_or(AppError::Conflict("email-taken"))?;
    let token = crate::auth::actions::invitation_token(tx, user_id, now).await?;
    Ok((user_id, token))
}

/// The link to set a new account's password, with its label for a letter.
fn password_link(state: &AppState, lang: Lang, token: &str) -> (String, String) {
    (
        state.link(&format!("/{}/password/reset?token={token}", lang.code())),
        lang.t_args(
            "mail-club-accept-password",
            &[("count", Arg::Num(crate::auth::actions::INVITE_HOURS / 24))],
        ),
    )
}

/// The link to one's club page, with its label for a letter.
fn club_page_link(state: &AppState, lang: Lang) -> (String, String) {
    (
        state.link(&format!("/{}/club/me", lang.code())),
        lang.t("mail-club-accept-open"),
    )
}

/// The applicant answers the committee's questions through the status link; the application
/// goes back to the committee.
pub async fn answer(state: &AppState, ip: &str, token: &str, body: &str) -> AppResult<i64> {
    let a = repo::by_token_hash(&state.db, &secret_hash(token))
        .await?
        .ok_or(AppError::NotFound)?;
    if Status::parse(&a.status) != Some(Status::MoreInfo) {
        return Err(AppError::Conflict("club-error-no-question"));
    }
    let body = body.trim();
    if body.is_empty() || body.chars().count() > 5000 {
        return Err(AppError::field("answer", "club-error-answer"));
    }
    let now = now();
    let mut tx = state.db.begin().await?;
    repo::insert_answer(&mut tx, a.id, body, now).await?;
    repo::set_status(&mut tx, a.id, Status::Submitted.code(), None).await?;
    crate::audit::repo::record(
        &mut tx,
        &Actor::visitor(&a.email, ip),
        "answer",
        "club_application",
        &a.id.to_string(),
        json!({ "answer": body }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(a.id)
}

/// The club membership of the signed-in account's own person record, if any. Delegates act
/// for a member in some things but never stand in for them here.
pub async fn own_membership(
    state: &AppState,
    principal: &Principal,
) -> AppResult<Option<repo::MemberRow>> {
    let Some(person_id) = repo::person_of_user(&state.db, principal.user.id).await? else {
        return Ok(None);
    };
    Ok(repo::member_of_person(&state.db, person_id).await?)
}

async fn require_member(state: &AppState, principal: &Principal) -> AppResult<repo::MemberRow> {
    own_membership(state, principal)
        .await?
        .ok_or(AppError::Conflict("club-error-not-member"))
}

/// A member chooses whether the public club page lists them.
pub async fn set_listed(
    state: &AppState,
    principal: &Principal,
    ip: &str,
    listed: bool,
) -> AppResult<()> {
    let m = require_member(state, principal).await?;
    let now = now();
    let mut tx = state.db.begin().await?;
    repo::set_listed(&mut tx, m.id, listed).await?;
    crate::audit::repo::record(
        &mut tx,
        &Actor::of(principal, ip),
        "set_listed",
        "club_member",
        &m.id.to_string(),
        json!({ "listed": listed }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A member leaves the club; their delegations end with it.
pub async fn resign(state: &AppState, principal: &Principal, ip: &str) -> AppResult<()> {
    let m = require_member(state, principal).await?;
    let now = now();
    let mut tx = state.db.begin().await?;
    repo::resign(&mut tx, m.id, crate::members::actions::today()).await?;
    repo::revoke_all_delegates(&mut tx, m.person_id, now).await?;
    crate::audit::repo::record(
        &mut tx,
        &Actor::of(principal, ip),
        "resign",
        "club_member",
        &m.id.to_string(),
        json!({}),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A member names a delegate by email: an existing account, or a new one invited by mail.
/// Only the member may do this: not a delegate, not staff on their behalf.
pub async fn name_delegate(
    state: &AppState,
    principal: &Principal,
    ip: &str,
    email: &str,
    name: &str,
    lang: Lang,
) -> AppResult<i64> {
    let m = require_member(state, principal).await?;
    let email = crate::auth::parse_email(email).map_err(|k| AppError::field("email", k))?;
    if email == principal.user.email {
        return Err(AppError::field("email", "club-error-delegate-self"));
    }
    let name = name.trim();
    let now = now();
    let mut tx = state.db.begin().await?;
    let (user_id, link) = match repo::user_by_email(&mut tx, &email).await? {
        Some(id) => (id, club_page_link(state, lang)),
        None => {
            if name.chars().count() < 3 || name.chars().count() > 200 {
                return Err(AppError::field("name", "club-error-delegate-name"));
            }
            let (id, token) = invite_account(&mut tx, &email, name, lang).await?;
            (id, password_link(state, lang, &token))
        }
    };
    let id = repo::insert_delegate(&mut tx, m.person_id, user_id, now)
        .await?
        .ok_or(AppError::Conflict("club-error-delegate-already"))?;
    let member_name = match lang {
        Lang::Uk => &m.name_uk,
        Lang::En => &m.name_en,
    };
    let paragraphs = vec![lang.t_args(
        "mail-club-delegate-body",
        &[("name", Arg::Str(member_name))],
    )];
    let delegate_name = if name.is_empty() { &email } else { name };
    let msg = mail::letter(
        lang,
        &email,
        delegate_name,
        "club-delegate",
        &paragraphs,
        Some((&link.1, &link.0)),
    );
    mail::repo::enqueue(&mut tx, &msg, &state.mail_domain(), now).await?;
    crate::audit::repo::record(
        &mut tx,
        &Actor::of(principal, ip),
        "name_delegate",
        "club_member",
        &m.id.to_string(),
        json!({ "delegate": id, "user": user_id, "email": email }),
        now,
    )
    .await?;
    tx.commit().await?;
    state.mail_wakeup.notify_one();
    Ok(id)
}

/// A member ends one of their delegations.
pub async fn revoke_delegate(
    state: &AppState,
    principal: &Principal,
    ip: &str,
    delegate_id: i64,
) -> AppResult<()> {
    let m = require_member(state, principal).await?;
    let now = now();
    let mut tx = state.db.begin().await?;
    if repo::revoke_delegate(&mut tx, m.person_id, delegate_id, now).await? == 0 {
        return Err(AppError::NotFound);
    }
    crate::audit::repo::record(
        &mut tx,
        &Actor::of(principal, ip),
        "revoke_delegate",
        "club_member",
        &m.id.to_string(),
        json!({ "delegate": delegate_id }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
