//! People and posts use cases: record a post (a new head takes over from the current one), end
//! a post, change a person's contacts and what of them is public, verify a contact address. One transaction each, with
//! its audit entry.

use chrono::NaiveDate;
use serde_json::json;

use super::repo::{self, Contacts, NewPerson, NewPost, Person};
use super::{PostEnd, PostKind, PostProblem, check_end, check_new_post};
use crate::auth::{Actor, Principal, Role, new_secret, now, secret_hash};
use crate::db::Db;
use crate::error::AppError;
use crate::i18n::{Arg, Lang};
use crate::registry::snapshot::Snapshot;
use crate::web::AppState;

#[derive(Debug, thiserror::Error)]
pub enum PostError {
    #[error("the post breaks a rule: {0:?}")]
    Problem(PostProblem),
    #[error("no such person or post")]
    NotFound,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    App(AppError),
}

/// Whether `principal` may record posts in the community `code`: admins anywhere,
/// coordinators where their office covers the community's oblast.
pub async fn may_edit(
    db: &Db,
    snap: &Snapshot,
    principal: &Principal,
    code: &str,
) -> sqlx::Result<bool> {
    if principal.has_role(Role::Admin) {
        return Ok(true);
    }
    let Some(i) = snap.find(code) else {
        return Ok(false);
    };
    let top = snap.ancestors(i).first().copied().unwrap_or(i);
    let oblast = &snap.node(top).code;
    let offices = crate::members::repo::offices(db).await?;
    let covering = crate::members::repo::office_oblasts(db).await?;
    Ok(covering.iter().any(|(c, id)| {
        c == oblast
            && offices.iter().any(|o| {
                o.id == *id
                    && principal
                        .roles
                        .iter()
                        .any(|g| g.role == Role::Coordinator && g.scope == o.slug)
            })
    }))
}

/// Who holds the post: a person already recorded, or a new one by name.
pub enum Holder<'a> {
    Existing(i64),
    New { name_uk: &'a str },
}

pub struct AddPost<'a> {
    pub code: &'a str,
    pub holder: Holder<'a>,
    pub kind: PostKind,
    pub since: NaiveDate,
    pub until: Option<NaiveDate>,
    pub end_reason: Option<PostEnd>,
    /// For a new head: how the current head's post ends (on the new head's first day).
    pub previous_end: PostEnd,
}

/// Records a post; returns (person id, post id).
pub async fn add_post(
    db: &Db,
    actor: &Actor,
    snap: &Snapshot,
    a: &AddPost<'_>,
) -> Result<(i64, i64), PostError> {
    if !snap
        .find(a.code)
        .is_some_and(|i| crate::members::can_be_member(snap.node(i).category))
    {
        return Err(PostError::Problem(PostProblem::NotACommunity));
    }
    let now = now();
    let mut tx = db.begin().await?;
    let current = repo::current_head(&mut tx, a.code).await?;
    check_new_post(
        a.kind,
        a.since,
        a.until,
        current.as_ref(),
        crate::clock::today(),
    )
    .map_err(PostError::Problem)?;
    let person_id = match a.holder {
        Holder::Existing(id) => {
            if repo::person(db, id).await?.is_none() {
                return Err(PostError::NotFound);
            }
            id
        }
        Holder::New { name_uk } => {
            let name_en = crate::registry::translit::transliterate(name_uk);
            let person = NewPerson {
                name_uk,
                name_en: &name_en,
                email: "",
                phone: "",
                is_demo: false,
            };
            repo::insert_person(&mut tx, &person, now).await?
        }
    };
    // A new head in office takes over: the current head's post ends on the first day.
    let mut took_over = None;
    if a.kind == PostKind::Head
        && a.until.is_none()
        && let Some(current) = current
    {
        repo::end_post(&mut tx, current.id, a.since, a.previous_end.code()).await?;
        took_over = Some(current.person_id);
    }
    let post = NewPost {
        person_id,
        unit_code: a.code,
        kind: a.kind.code(),
        since: a.since,
        until: a.until,
        end_reason: a.end_reason.map(PostEnd::code),
    };
    let post_id = repo::insert_post(&mut tx, &post, now).await?;
    crate::audit::repo::record(
        &mut tx,
        actor,
        "add_post",
        "community",
        a.code,
        json!({ "person": person_id, "post": post_id, "kind": a.kind.code(),
                "since": a.since.to_string(), "until": a.until.map(|d| d.to_string()),
                "previous_head": took_over }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok((person_id, post_id))
}

/// Ends a post; returns the community's code.
pub async fn end_post(
    db: &Db,
    actor: &Actor,
    id: i64,
    until: NaiveDate,
    reason: PostEnd,
) -> Result<String, PostError> {
    let mut tx = db.begin().await?;
    let post = repo::post(&mut tx, id).await?.ok_or(PostError::NotFound)?;
    check_end(&post, until, crate::clock::today()).map_err(PostError::Problem)?;
    repo::end_post(&mut tx, id, until, reason.code()).await?;
    crate::audit::repo::record(
        &mut tx,
        actor,
        "end_post",
        "community",
        &post.unit_code,
        json!({ "post": id, "until": until.to_string(), "reason": reason.code() }),
        now(),
    )
    .await?;
    tx.commit().await?;
    Ok(post.unit_code)
}

/// Verification mails per person in the rate-limit window: enough to fix a typo, too few to
/// turn the contact form into a way of mailing strangers.
pub const VERIFY_MAILS_PER_PERSON: u32 = 5;

/// Verification mails per person in a day, whatever the rate-limit window.
pub const VERIFY_MAILS_PER_DAY: i64 = 10;
/// How long a contact address's verification link lives.
pub const VERIFY_HOURS: i64 = crate::auth::actions::VERIFY_HOURS;

/// What saving contacts did about the address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailCheck {
    /// No address, or the address was verified already.
    Nothing,
    /// The account's own verified login address: it counts at once.
    VerifiedByAccount,
    /// A link went to the address; it counts once followed.
    Mailed,
    /// A link sent earlier is still live.
    Pending,
}

/// Changes a person's contacts and which of them are public. A new address counts for nothing
/// (export, erasure, club matching) until its owner follows the link mailed to it; the
/// account's own verified login address counts at once.
pub async fn update_contacts(
    state: &AppState,
    actor: &Actor,
    person: &Person,
    c: &Contacts<'_>,
    lang: Lang,
) -> Result<EmailCheck, PostError> {
    let changed = person.email != c.email;
    let needs_check = !c.email.is_empty() && (changed || person.email_verified_at.is_none());
    let limit_key = format!("people:verify:{}", person.id);
    let now = now();
    // A mail goes out only for a changed address that is not the account's own verified login
    // address (an unchanged one was mailed when it was saved; saving other fields mails nobody),
    // so only then do the limits apply.
    let account = match person.user_id {
        Some(id) => crate::auth::repo::find_user(&state.db, id).await?,
        None => None,
    };
    let by_account = account
        .as_ref()
        .is_some_and(|u| u.email == c.email && u.email_verified_at.is_some());
    if needs_check && changed && !by_account {
        crate::auth::actions::limit(state, &limit_key, VERIFY_MAILS_PER_PERSON)
            .await
            .map_err(PostError::App)?;
        let today =
            repo::email_tokens_since(&state.db, person.id, now - chrono::Duration::days(1)).await?;
        if today >= VERIFY_MAILS_PER_DAY {
            return Err(PostError::App(AppError::Conflict(
                "people-error-verify-daily",
            )));
        }
    }
    let mut tx = state.db.begin().await?;
    if repo::update_contacts(&mut tx, person.id, c).await? == 0 {
        return Err(PostError::NotFound);
    }
    if changed {
        // Links sent to the old address must not verify the new one, nor the old one again.
        repo::expire_email_tokens(&mut tx, person.id, now).await?;
    }
    let mut check = EmailCheck::Nothing;
    if needs_check {
        let account = match person.user_id {
            Some(id) => crate::auth::repo::find_user_tx(&mut tx, id).await?,
            None => None,
        };
        if account.is_some_and(|u| u.email == c.email && u.email_verified_at.is_some()) {
            repo::mark_email_verified(&mut tx, person.id, c.email, now).await?;
            check = EmailCheck::VerifiedByAccount;
        } else if repo::live_email_token(&mut tx, person.id, c.email, now).await? {
            check = EmailCheck::Pending;
        } else if !changed {
            // An unchanged address was mailed when it was saved: saving other fields (the phone,
            // what is public) mails nobody again.
        } else {
            let token = new_secret("pe.");
            let expires = now + chrono::Duration::hours(VERIFY_HOURS);
            repo::insert_email_token(
                &mut tx,
                person.id,
                c.email,
                &secret_hash(&token),
                now,
                expires,
            )
            .await?;
            let link = state.link(&format!(
                "/{}/people/email/verify?token={token}",
                lang.code()
            ));
            let name = person.name_in(lang);
            let paragraphs = vec![
                lang.t_args(
                    "mail-person-verify-body",
                    &[("name", Arg::Str(name)), ("hours", Arg::Num(VERIFY_HOURS))],
                ),
                lang.t("mail-person-verify-ignore"),
            ];
            let label = lang.t("mail-person-verify-action");
            let msg = crate::mail::letter(
                lang,
                c.email,
                name,
                "person-verify",
                &paragraphs,
                Some((&label, &link)),
            );
            crate::mail::repo::enqueue(&mut tx, &msg, &state.mail_domain(), now).await?;
            check = EmailCheck::Mailed;
        }
    }
    crate::audit::repo::record(
        &mut tx,
        actor,
        "update_contacts",
        "person",
        &person.id.to_string(),
        json!({ "email": c.email, "phone": c.phone, "is_email_public": c.is_email_public,
                "is_phone_public": c.is_phone_public, "email_check": format!("{check:?}") }),
        now,
    )
    .await?;
    tx.commit().await?;
    if check == EmailCheck::Mailed {
        crate::auth::actions::bump(state, &limit_key)
            .await
            .map_err(PostError::App)?;
        state.mail_wakeup.notify_one();
    }
    Ok(check)
}

/// The owner of a contact address follows the mailed link and confirms: the address now counts
/// as the person's. Returns the person's id; `None` when the link is unknown, used, expired,
/// or the address has changed since.
pub async fn verify_email(
    state: &AppState,
    token: &str,
    ip: &str,
) -> Result<Option<i64>, PostError> {
    let now = now();
    let mut tx = state.db.begin().await?;
    let Some((person_id, email)) =
        repo::take_email_token(&mut tx, &secret_hash(token), now).await?
    else {
        return Ok(None);
    };
    if repo::mark_email_verified(&mut tx, person_id, &email, now).await? == 0 {
        return Ok(None);
    }
    crate::audit::repo::record(
        &mut tx,
        &Actor::visitor(&email, ip),
        "verify_contact_email",
        "person",
        &person_id.to_string(),
        json!({ "email": email }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Some(person_id))
}
