//! The Mayors' Club's use cases, shared by the pages and the JSON API: apply, review, decide,
//! answer the committee's questions, and a member's own choices (being listed, resigning,
//! delegates). Each runs in one transaction with its audit entry and any mail it sends.

use serde_json::json;

use super::{Draft, Recommendation, Refusal, Status, check, is_open, repo};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::identity::Principal;
use crate::mail;
use crate::secrets::new_secret;
use crate::secrets::secret_hash;
use crate::state::AppState;
use crate::work::Actor;
use crate::work::Work;

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
pub async fn set_quorum(db: &Db, actor: &Actor, value: &str) -> AppResult<i64> {
    let n: i64 = value
        .trim()
        .parse()
        .ok()
        .filter(|n| (1..=MAX_QUORUM).contains(n))
        .ok_or(AppError::field("quorum", "club-error-quorum-range"))?;
    let mut w = Work::begin(db, actor.clone()).await?;
    let now = w.now;
    crate::db::settings::set(&mut w.tx, QUORUM_KEY, &n.to_string(), now).await?;
    w.audit("update", "setting", QUORUM_KEY, json!({ "value": n }))
        .await?;
    w.commit().await?;
    Ok(n)
}

/// The notes about an application that anyone can set off for an address (see [`apply`]).
const MEMBER_NOTICE: &str = "club-apply-member";
const OPEN_NOTICE: &str = "club-apply-open";
/// Each of those notes goes to an address at most once in this many hours.
pub const NOTICE_QUIET_HOURS: i64 = 24;

pub enum ApplyError {
    Refused(Refusal),
    App(AppError),
}

impl<E: Into<AppError>> From<E> for ApplyError {
    fn from(e: E) -> Self {
        ApplyError::App(e.into())
    }
}

/// Checks a draft and, when it is sound, answers the same whatever the address's state: the
/// form and the API cannot tell a new application from the address of a member or of an open
/// application (that would reveal club membership to anyone). The address's owner learns the
/// difference by mail: a new application's acknowledgement with its status link; a member's
/// note that someone tried to apply with their address; an applicant's note with a fresh
/// status link to their open application (the old link stops working). Since anyone can send
/// these two notes, an address gets each at most once a day ([`NOTICE_QUIET_HOURS`]); in
/// between, applying again changes nothing and mails nobody (the audit log still records it).
pub async fn apply(state: &AppState, ip: &str, draft: &Draft) -> Result<(), ApplyError> {
    let snap = crate::registry::snapshot::current(state).await?;
    let application = check(draft, &snap, crate::clock::today()).map_err(ApplyError::Refused)?;
    let member = repo::member_by_email(&state.db, &application.email).await?;
    let mut w = Work::begin(&state.db, Actor::visitor(&application.email, ip)).await?;
    let now = w.now;
    let quiet_since = now - chrono::Duration::hours(NOTICE_QUIET_HOURS);
    let (msg, action, entity, entity_id) = if let Some(m) = member {
        let lang = application.lang;
        let name = match lang {
            Lang::En if !m.name_en.is_empty() => m.name_en.clone(),
            _ => m.name_uk.clone(),
        };
        let (link, label) = club_page_link(state, lang);
        let paragraphs = vec![
            lang.t("mail-club-apply-member-body"),
            lang.t("mail-club-apply-ignore"),
        ];
        let quiet =
            mail::repo::queued_since(&mut w.tx, &application.email, MEMBER_NOTICE, quiet_since)
                .await?;
        let msg = (!quiet).then(|| {
            mail::letter(
                lang,
                &application.email,
                &name,
                MEMBER_NOTICE,
                &paragraphs,
                Some((&label, &link)),
            )
        });
        (msg, "apply_as_member", "club_member", m.id.to_string())
    } else if let Some(open) = repo::open_application(&mut w.tx, &application.email).await? {
        let entity_id = open.id.to_string();
        if mail::repo::queued_since(&mut w.tx, &application.email, OPEN_NOTICE, quiet_since).await?
        {
            // The owner had a fresh link today: theirs keeps working, nobody is mailed.
            (None, "apply_while_open", "club_application", entity_id)
        } else {
            // Only the hash of the status link is kept, so the owner gets a fresh one.
            let lang = Lang::parse(&open.lang).unwrap_or(application.lang);
            let token = new_secret("club.");
            repo::set_token_hash(&mut w.tx, open.id, &secret_hash(&token)).await?;
            let link = state.link(&format!("/{}/club/applications/{token}", lang.code()));
            let paragraphs = vec![
                lang.t("mail-club-apply-open-body"),
                lang.t("mail-club-apply-ignore"),
            ];
            let label = lang.t("mail-club-received-action");
            let msg = mail::letter(
                lang,
                &application.email,
                &open.name,
                OPEN_NOTICE,
                &paragraphs,
                Some((&label, &link)),
            );
            (Some(msg), "apply_while_open", "club_application", entity_id)
        }
    } else {
        let token = new_secret("club.");
        let id = match repo::insert(&mut w.tx, &application, &secret_hash(&token), now).await {
            Ok(id) => id,
            // Another request for the same address won the race: its mail tells the owner.
            Err(e) if crate::db::is_unique_violation(&e) => return Ok(()),
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
        (Some(msg), "apply", "club_application", id.to_string())
    };
    let notified = msg.is_some();
    if let Some(msg) = &msg {
        mail::repo::enqueue(&mut w.tx, msg, &state.mail_domain(), now).await?;
    }
    w.audit(
        action,
        entity,
        &entity_id,
        json!({ "name": application.name, "community": application.community_code,
            "lang": application.lang.code(), "listed": application.is_listing_agreed,
            "notified": notified }),
    )
    .await?;
    w.wake(&state.mail_wakeup);
    w.commit().await?;
    Ok(())
}

/// A committee member gives (or changes) their recommendation on an open application.
pub async fn review(
    db: &Db,
    principal: &Principal,
    ip: &str,
    id: i64,
    recommendation: Recommendation,
    comment: &str,
) -> AppResult<()> {
    let a = repo::application(db, id).await?.ok_or(AppError::NotFound)?;
    if !is_open(a.status) {
        return Err(AppError::Conflict("club-error-closed"));
    }
    let comment = comment.trim();
    if comment.is_empty() || comment.chars().count() > 5000 {
        return Err(AppError::field("comment", "club-error-comment"));
    }
    let mut w = Work::begin(db, Actor::of(principal, ip)).await?;
    let now = w.now;
    repo::upsert_review(
        &mut w.tx,
        a.id,
        principal.user.id,
        recommendation,
        comment,
        now,
    )
    .await?;
    w.audit(
        "review",
        "club_application",
        a.id,
        json!({ "recommendation": recommendation.code(), "comment": comment }),
    )
    .await?;
    w.commit().await?;
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
    decision: Recommendation,
    note: &str,
) -> AppResult<Decided> {
    let a = repo::application(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !is_open(a.status) {
        return Err(AppError::Conflict("club-error-closed"));
    }
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
    let mut w = Work::begin(&state.db, Actor::of(principal, ip)).await?;
    let now = w.now;
    // Re-read inside the transaction: a match confirmed or withdrawn (or another decision) since
    // the first read must not be acted on from a stale copy.
    let a = repo::application_tx(&mut w.tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !is_open(a.status) {
        return Err(AppError::Conflict("club-error-closed"));
    }
    let mut owner_asked = false;
    repo::insert_decision(&mut w.tx, a.id, principal.user.id, decision, note, now).await?;
    let mut paragraphs = vec![lang.t(&format!("mail-club-{}-body", decision.code()))];
    if !note.is_empty() {
        paragraphs.push(note.to_string());
    }
    let (status, person_id, msg) = match decision {
        Recommendation::Accept => {
            repo::set_status(&mut w.tx, a.id, Status::Accepted, Some(now)).await?;
            let admitted = admit(state, &mut w.tx, &a, lang).await?;
            owner_asked = admitted.pending_link;
            paragraphs.push(lang.t("mail-club-accept-next"));
            if admitted.pending_link {
                paragraphs.push(lang.t("mail-club-accept-pending-link"));
            }
            let (person_id, link, label) = (admitted.person_id, admitted.link, admitted.label);
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
            repo::set_status(&mut w.tx, a.id, Status::Declined, Some(now)).await?;
            let msg = mail::letter(lang, &a.email, &a.name, "club-decline", &paragraphs, None);
            (Status::Declined, None, msg)
        }
        Recommendation::MoreInfo => {
            repo::set_status(&mut w.tx, a.id, Status::MoreInfo, None).await?;
            // The applicant answers through a fresh status link; the old one stops working.
            let token = new_secret("club.");
            repo::set_token_hash(&mut w.tx, a.id, &secret_hash(&token)).await?;
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
    mail::repo::enqueue(&mut w.tx, &msg, &state.mail_domain(), now).await?;
    w.audit(
        "decide",
        "club_application",
        a.id,
        json!({ "decision": decision.code(), "note": note, "reviews": reviews,
            "person": person_id, "match": a.match_person_id, "owner_asked": owner_asked }),
    )
    .await?;
    w.wake(&state.mail_wakeup);
    w.commit().await?;
    Ok(Decided { status, person_id })
}

// --- admitting a member, and linking them to a record on file: see `admission.rs` ---

pub use super::admission::{LINK_DAYS, cancel_link, confirm_link, confirm_match};
use super::admission::{admit, club_page_link};

/// The applicant answers the committee's questions through the status link; the application
/// goes back to the committee. 404 for an unknown link, 409 when no question waits.
pub async fn answer(db: &Db, ip: &str, token: &str, body: &str) -> AppResult<i64> {
    if token.len() > 200 {
        return Err(AppError::NotFound);
    }
    let a = repo::by_token_hash(db, &secret_hash(token))
        .await?
        .ok_or(AppError::NotFound)?;
    if a.status != Status::MoreInfo {
        return Err(AppError::Conflict("club-error-no-question"));
    }
    let body = body.trim();
    if body.is_empty() || body.chars().count() > 5000 {
        return Err(AppError::field("answer", "club-error-answer"));
    }
    let mut w = Work::begin(db, Actor::visitor(&a.email, ip)).await?;
    let now = w.now;
    repo::insert_answer(&mut w.tx, a.id, body, now).await?;
    repo::set_status(&mut w.tx, a.id, Status::Submitted, None).await?;
    w.audit(
        "answer",
        "club_application",
        a.id,
        json!({ "answer": body }),
    )
    .await?;
    w.commit().await?;
    Ok(a.id)
}

// --- a member's own choices: see `membership.rs` ---

pub use super::membership::{name_delegate, own_membership, resign, revoke_delegate, set_listed};
