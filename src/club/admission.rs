//! Admitting a member after the chair's decision: their person record (a record proven to be
//! theirs, one the committee matched and its owner confirmed, or a new one), their head term,
//! their account (an invitation when they have none), and the owner's confirmation by mail
//! when the committee matched a record that has an owner.

use serde_json::json;

use super::{is_open, repo};
use crate::auth::repo::NewUser;
use crate::clock::now;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::i18n::{Arg, Lang};
use crate::identity::Principal;
use crate::mail;
use crate::people::repo::{NewPerson, NewPost};
use crate::secrets::new_secret;
use crate::secrets::secret_hash;
use crate::state::AppState;
use crate::work::Actor;
use crate::work::Work;

/// How long the owner of a record has to confirm that a new member is them.
pub const LINK_DAYS: i64 = 14;

/// What admitting a member did.
pub(super) struct Admitted {
    pub(super) person_id: i64,
    /// The link for the letter (the club page, or setting the new account's password).
    pub(super) link: String,
    pub(super) label: String,
    /// The committee's match waits for the record's owner to confirm it.
    pub(super) pending_link: bool,
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
pub(super) async fn admit(
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
    let today = crate::clock::today();
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
    let snap = crate::registry::snapshot::current(state).await?;
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
pub async fn cancel_link(db: &Db, principal: &Principal, ip: &str, id: i64) -> AppResult<u64> {
    let a = repo::application(db, id).await?.ok_or(AppError::NotFound)?;
    let mut w = Work::begin(db, Actor::of(principal, ip)).await?;
    let n = repo::cancel_application_link_requests(&mut w.tx, a.id).await?;
    w.audit(
        "cancel_link",
        "club_application",
        a.id,
        json!({ "cancelled": n }),
    )
    .await?;
    w.commit().await?;
    Ok(n)
}

/// The committee confirms that the applicant is a person on record (a head of the community
/// they named), or withdraws that (`None`). The link is made only at acceptance, and needs the
/// record's owner's own confirmation when the record has one.
pub async fn confirm_match(
    db: &Db,
    principal: &Principal,
    ip: &str,
    id: i64,
    person_id: Option<i64>,
) -> AppResult<()> {
    let a = repo::application(db, id).await?.ok_or(AppError::NotFound)?;
    if !is_open(a.status) {
        return Err(AppError::Conflict("club-error-closed"));
    }
    if let Some(pid) = person_id
        && !repo::heads_of(db, &a.community_code)
            .await?
            .iter()
            .any(|h| h.id == pid)
    {
        return Err(AppError::field("person", "club-error-match"));
    }
    let mut w = Work::begin(db, Actor::of(principal, ip)).await?;
    let now = w.now;
    repo::set_match(&mut w.tx, a.id, person_id, principal.user.id, now).await?;
    w.audit(
        "confirm_match",
        "club_application",
        a.id,
        json!({ "person": person_id }),
    )
    .await?;
    w.commit().await?;
    Ok(())
}

/// The owner of a record confirms, through the mailed link, that the new member is them: the
/// membership moves to their record and the new record's delegations end (the owner never chose
/// those delegates). The new member's account moves onto the owner's record only when it proved
/// that record's own address; otherwise the record stays its owner's alone. Works only while the
/// membership the application made is current. Returns the record's id; 409 for an unknown,
/// used, expired or cancelled link, or a membership that has ended.
pub async fn confirm_link(db: &Db, token: &str, ip: &str) -> AppResult<i64> {
    let dead = AppError::Conflict("club-link-dead");
    if token.len() > 200 {
        return Err(dead);
    }
    let mut w = Work::begin(db, Actor::visitor("link confirmation", ip)).await?;
    let now = w.now;
    let Some(request) = repo::take_link_request(&mut w.tx, &secret_hash(token), now).await? else {
        return Err(dead);
    };
    // Dropping the unit of work un-takes the link: nothing changed.
    if !repo::membership_current(&mut w.tx, request.new_person_id, request.application_id).await? {
        return Err(dead);
    }
    let moved = repo::move_membership(
        &mut w.tx,
        request.new_person_id,
        request.person_id,
        crate::clock::today(),
        now,
    )
    .await?;
    let account = repo::move_account(&mut w.tx, request.new_person_id, request.person_id).await?;
    w.audit(
        "confirm_link",
        "person",
        request.person_id,
        json!({ "application": request.application_id, "from_person": request.new_person_id,
            "membership_moved": moved, "account_moved": account > 0 }),
    )
    .await?;
    w.commit().await?;
    Ok(request.person_id)
}

/// Creates an account without a password for `email` and returns it with its invitation
/// secret.
pub(super) async fn invite_account(
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
pub(super) fn password_link(state: &AppState, lang: Lang, token: &str) -> (String, String) {
    (
        state.link(&format!("/{}/password/reset?token={token}", lang.code())),
        lang.t_args(
            "mail-club-accept-password",
            &[("count", Arg::Num(crate::auth::actions::INVITE_HOURS / 24))],
        ),
    )
}

/// The link to one's club page, with its label for a letter.
pub(super) fn club_page_link(state: &AppState, lang: Lang) -> (String, String) {
    (
        state.link(&format!("/{}/club/me", lang.code())),
        lang.t("mail-club-accept-open"),
    )
}
