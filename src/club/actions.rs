//! The Mayors' Club's use cases, shared by the pages and the JSON API: apply, review, decide,
//! answer the committee's questions, and a member's own choices (being listed, resigning,
//! delegates). Each runs in one transaction with its audit entry and any mail it sends.

use serde_json::json;

use super::{Draft, Recommendation, Refusal, Status, check, is_open, repo};
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
    let snap = state.registry.get(&state.db).await?;
    let application =
        check(draft, &snap, crate::members::actions::today()).map_err(ApplyError::Refused)?;
    let now = now();
    let member = repo::member_by_email(&state.db, &application.email).await?;
    let mut tx = state.db.begin().await?;
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
            mail::repo::queued_since(&mut tx, &application.email, MEMBER_NOTICE, quiet_since)
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
    } else if let Some(open) = repo::open_application(&mut tx, &application.email).await? {
        let entity_id = open.id.to_string();
        if mail::repo::queued_since(&mut tx, &application.email, OPEN_NOTICE, quiet_since).await? {
            // The owner had a fresh link today: theirs keeps working, nobody is mailed.
            (None, "apply_while_open", "club_application", entity_id)
        } else {
            // Only the hash of the status link is kept, so the owner gets a fresh one.
            let lang = Lang::parse(&open.lang).unwrap_or(application.lang);
            let token = new_secret("club.");
            repo::set_token_hash(&mut tx, open.id, &secret_hash(&token)).await?;
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
        let id = match repo::insert(&mut tx, &application, &secret_hash(&token), now).await {
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
        mail::repo::enqueue(&mut tx, msg, &state.mail_domain(), now).await?;
    }
    crate::audit::repo::record(
        &mut tx,
        &Actor::visitor(&application.email, ip),
        action,
        entity,
        &entity_id,
        json!({ "name": application.name, "community": application.community_code,
                "lang": application.lang.code(), "listed": application.is_listing_agreed,
                "notified": notified }),
        now,
    )
    .await?;
    tx.commit().await?;
    state.mail_wakeup.notify_one();
    Ok(())
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
    // Re-read inside the transaction: a match confirmed or withdrawn (or another decision) since
    // the first read must not be acted on from a stale copy.
    let a = repo::application_tx(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !is_open(&a.status) {
        return Err(AppError::Conflict("club-error-closed"));
    }
    let mut owner_asked = false;
    repo::insert_decision(&mut tx, a.id, principal.user.id, decision.code(), note, now).await?;
    let mut paragraphs = vec![lang.t(&format!("mail-club-{}-body", decision.code()))];
    if !note.is_empty() {
        paragraphs.push(note.to_string());
    }
    let (status, person_id, msg) = match decision {
        Recommendation::Accept => {
            repo::set_status(&mut tx, a.id, Status::Accepted.code(), Some(now)).await?;
            let admitted = admit(state, &mut tx, &a, lang).await?;
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
                "person": person_id, "match": a.match_person_id, "owner_asked": owner_asked }),
        now,
    )
    .await?;
    tx.commit().await?;
    state.mail_wakeup.notify_one();
    Ok(Decided { status, person_id })
}

/// How long the owner of a record has to confirm that a new member is them.
pub const LINK_DAYS: i64 = 14;

/// What admitting a member did.
struct Admitted {
    person_id: i64,
    link: String,
    label: String,
    /// The committee's match waits for the record's owner to confirm it.
    pending_link: bool,
}

/// Makes an accepted applicant a member, on a person record chosen safely:
/// 1. the record whose owner proved the application's address (verified contact address, or
///    the login address of its account): the letters go to that address anyway;
/// 2. else the record the committee confirmed as the applicant's, when nobody owns it yet (no
///    account, no verified address): nobody else could be asked;
/// 3. else a new record. When the committee's match has an owner (an account or a verified
///    address), that owner is mailed a confirmation link and, once they confirm, the
///    membership moves to their record.
///
/// A name alone never links: anyone can type a head's name. Records the head post when no
/// other head is recorded for those days, starts the membership and finds or invites the
/// account.
async fn admit(
    state: &AppState,
    tx: &mut crate::db::Tx,
    a: &repo::ApplicationRow,
    lang: Lang,
) -> AppResult<Admitted> {
    let now = now();
    let mut ask_owner = None;
    let found = match repo::person_for_address(tx, &a.email).await? {
        Some(found) => Some(found),
        None => match a.match_person_id {
            Some(id) => match crate::people::repo::person_tx(tx, id).await? {
                // An erased record has lost its account and address, not its owner: nobody
                // may be linked to it (the new member gets a record of their own).
                Some(p) if p.erased_at.is_some() => None,
                Some(p) if p.user_id.is_none() && p.email_verified_at.is_none() => {
                    Some((p.id, None))
                }
                Some(p) => {
                    ask_owner = Some(p);
                    None
                }
                None => None,
            },
            None => None,
        },
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
    let pending_link = match ask_owner {
        Some(owner) => ask_owner_to_confirm(state, tx, a, &owner, person_id).await?,
        None => false,
    };
    Ok(Admitted {
        person_id,
        link,
        label,
        pending_link,
    })
}

/// Mails the owner of the record the committee matched (at their account's address, else their
/// verified contact address) a link to confirm that the new member is them. Returns whether a
/// mail went out.
async fn ask_owner_to_confirm(
    state: &AppState,
    tx: &mut crate::db::Tx,
    a: &repo::ApplicationRow,
    owner: &crate::people::repo::Person,
    new_person_id: i64,
) -> AppResult<bool> {
    let account = match owner.user_id {
        Some(id) => crate::auth::repo::find_user_tx(tx, id).await?,
        None => None,
    };
    let (to, lang) = match (&account, owner.verified_email()) {
        (Some(u), _) => (u.email.clone(), Lang::parse(&u.lang).unwrap_or(Lang::Uk)),
        (None, Some(email)) => (email.to_string(), Lang::Uk),
        (None, None) => return Ok(false),
    };
    let now = now();
    let token = new_secret("link.");
    repo::insert_link_request(
        tx,
        &secret_hash(&token),
        a.id,
        owner.id,
        new_person_id,
        now,
        now + chrono::Duration::days(LINK_DAYS),
    )
    .await?;
    let snap = state.registry.get(&state.db).await?;
    let community = snap
        .find(&a.community_code)
        .map(|i| snap.node(i).title(lang))
        .unwrap_or_else(|| a.community_code.clone());
    let owner_name = match lang {
        Lang::En if !owner.name_en.is_empty() => &owner.name_en,
        _ => &owner.name_uk,
    };
    let paragraphs = vec![
        lang.t_args(
            "mail-club-link-body",
            &[
                ("name", Arg::Str(&format!("{} ({community})", a.name))),
                ("count", Arg::Num(LINK_DAYS)),
            ],
        ),
        lang.t_args(
            "mail-club-link-details",
            &[
                ("email", Arg::Str(&a.email)),
                (
                    "date",
                    Arg::Str(&a.created_at.format("%Y-%m-%d").to_string()),
                ),
            ],
        ),
        lang.t("club-link-warning"),
        lang.t("mail-club-link-ignore"),
    ];
    let link = state.link(&format!("/{}/club/link?token={token}", lang.code()));
    let label = lang.t("mail-club-link-action");
    let msg = mail::letter(
        lang,
        &to,
        owner_name,
        "club-link",
        &paragraphs,
        Some((&label, &link)),
    );
    mail::repo::enqueue(tx, &msg, &state.mail_domain(), now).await?;
    Ok(true)
}

/// The committee (or an admin) cancels the confirmation requests still waiting for an
/// application: the mailed link stops working. Returns how many were cancelled.
pub async fn cancel_link(
    state: &AppState,
    principal: &Principal,
    ip: &str,
    id: i64,
) -> AppResult<u64> {
    let a = repo::application(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = now();
    let mut tx = state.db.begin().await?;
    let n = repo::cancel_application_link_requests(&mut tx, a.id).await?;
    crate::audit::repo::record(
        &mut tx,
        &Actor::of(principal, ip),
        "cancel_link",
        "club_application",
        &a.id.to_string(),
        json!({ "cancelled": n }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(n)
}

/// The committee confirms that the applicant is a person on record (a head of the community
/// they named), or withdraws that (`None`). The link is made only at acceptance, and needs the
/// record's owner's own confirmation when the record has one.
pub async fn confirm_match(
    state: &AppState,
    principal: &Principal,
    ip: &str,
    id: i64,
    person_id: Option<i64>,
) -> AppResult<()> {
    let a = repo::application(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !is_open(&a.status) {
        return Err(AppError::Conflict("club-error-closed"));
    }
    if let Some(pid) = person_id
        && !repo::heads_of(&state.db, &a.community_code)
            .await?
            .iter()
            .any(|h| h.id == pid)
    {
        return Err(AppError::field("person", "club-error-match"));
    }
    let now = now();
    let mut tx = state.db.begin().await?;
    repo::set_match(&mut tx, a.id, person_id, principal.user.id, now).await?;
    crate::audit::repo::record(
        &mut tx,
        &Actor::of(principal, ip),
        "confirm_match",
        "club_application",
        &a.id.to_string(),
        json!({ "person": person_id }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The owner of a record confirms, through the mailed link, that the new member is them: the
/// membership moves to their record and the new record's delegations end (the owner never chose
/// those delegates). The new member's account moves onto the owner's record only when it proved
/// that record's own address; otherwise the record stays its owner's alone. Works only while the
/// membership the application made is current. Returns the record's id; `None` for an unknown,
/// used, expired or cancelled link, or a membership that has ended.
pub async fn confirm_link(state: &AppState, token: &str, ip: &str) -> AppResult<Option<i64>> {
    let now = now();
    let mut tx = state.db.begin().await?;
    let Some(request) = repo::take_link_request(&mut tx, &secret_hash(token), now).await? else {
        return Ok(None);
    };
    // Dropping the transaction un-takes the link: nothing changed.
    if !repo::membership_current(&mut tx, request.new_person_id, request.application_id).await? {
        return Ok(None);
    }
    let moved = repo::move_membership(
        &mut tx,
        request.new_person_id,
        request.person_id,
        crate::members::actions::today(),
        now,
    )
    .await?;
    let account = repo::move_account(&mut tx, request.new_person_id, request.person_id).await?;
    crate::audit::repo::record(
        &mut tx,
        &Actor::visitor("link confirmation", ip),
        "confirm_link",
        "person",
        &request.person_id.to_string(),
        json!({ "application": request.application_id, "from_person": request.new_person_id,
                "membership_moved": moved, "account_moved": account > 0 }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Some(request.person_id))
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
