//! A member's own choices: being listed publicly, resigning, and naming or revoking the
//! delegates who may act for them in some things.

use serde_json::json;

use super::admission::{club_page_link, invite_account, password_link};
use super::repo;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::i18n::{Arg, Lang};
use crate::identity::Principal;
use crate::mail;
use crate::state::AppState;
use crate::work::Actor;
use crate::work::Work;

/// The club membership of the signed-in account's own person record, if any. Delegates act
/// for a member in some things but never stand in for them here.
pub async fn own_membership(db: &Db, principal: &Principal) -> AppResult<Option<repo::MemberRow>> {
    let Some(person_id) = repo::person_of_user(db, principal.user.id).await? else {
        return Ok(None);
    };
    Ok(repo::member_of_person(db, person_id).await?)
}

async fn require_member(db: &Db, principal: &Principal) -> AppResult<repo::MemberRow> {
    own_membership(db, principal)
        .await?
        .ok_or(AppError::Conflict("club-error-not-member"))
}

/// A member chooses whether the public club page lists them.
pub async fn set_listed(db: &Db, principal: &Principal, ip: &str, listed: bool) -> AppResult<()> {
    let m = require_member(db, principal).await?;
    let mut w = Work::begin(db, Actor::of(principal, ip)).await?;
    repo::set_listed(&mut w.tx, m.id, listed).await?;
    w.audit(
        "set_listed",
        "club_member",
        m.id,
        json!({ "listed": listed }),
    )
    .await?;
    w.commit().await?;
    Ok(())
}

/// A member leaves the club; their delegations end with it.
pub async fn resign(db: &Db, principal: &Principal, ip: &str) -> AppResult<()> {
    let m = require_member(db, principal).await?;
    let mut w = Work::begin(db, Actor::of(principal, ip)).await?;
    let now = w.now;
    repo::resign(&mut w.tx, m.id, crate::clock::today()).await?;
    repo::revoke_all_delegates(&mut w.tx, m.person_id, now).await?;
    w.audit("resign", "club_member", m.id, json!({})).await?;
    w.commit().await?;
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
    let m = require_member(&state.db, principal).await?;
    let email = crate::auth::parse_email(email).map_err(|k| AppError::field("email", k))?;
    if email == principal.user.email {
        return Err(AppError::field("email", "club-error-delegate-self"));
    }
    let name = name.trim();
    let mut w = Work::begin(&state.db, Actor::of(principal, ip)).await?;
    let now = w.now;
    let (user_id, link) = match repo::user_by_email(&mut w.tx, &email).await? {
        Some(id) => (id, club_page_link(state, lang)),
        None => {
            if name.chars().count() < 3 || name.chars().count() > 200 {
                return Err(AppError::field("name", "club-error-delegate-name"));
            }
            let (id, token) = invite_account(&mut w.tx, &email, name, lang).await?;
            (id, password_link(state, lang, &token))
        }
    };
    let id = repo::insert_delegate(&mut w.tx, m.person_id, user_id, now)
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
    mail::repo::enqueue(&mut w.tx, &msg, &state.mail_domain(), now).await?;
    w.audit(
        "name_delegate",
        "club_member",
        m.id,
        json!({ "delegate": id, "user": user_id, "email": email }),
    )
    .await?;
    w.wake(&state.mail_wakeup);
    w.commit().await?;
    Ok(id)
}

/// A member ends one of their delegations.
pub async fn revoke_delegate(
    db: &Db,
    principal: &Principal,
    ip: &str,
    delegate_id: i64,
) -> AppResult<()> {
    let m = require_member(db, principal).await?;
    let mut w = Work::begin(db, Actor::of(principal, ip)).await?;
    let now = w.now;
    if repo::revoke_delegate(&mut w.tx, m.person_id, delegate_id, now).await? == 0 {
        return Err(AppError::NotFound);
    }
    w.audit(
        "revoke_delegate",
        "club_member",
        m.id,
        json!({ "delegate": delegate_id }),
    )
    .await?;
    w.commit().await?;
    Ok(())
}
