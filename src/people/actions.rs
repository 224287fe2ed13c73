//! People and posts use cases, shared by the pages and the API: record a post (a new head
//! takes over from the current one), end a post, change a person's contacts and what of them
//! is public, verify a contact address. Each reads what a form or a program sent, checks who
//! may act, and runs in one unit of work with its audit entry.

use chrono::NaiveDate;
use serde_json::json;

use super::repo::{self, Contacts, NewPerson, NewPost, Person};
use super::{Post, PostEnd, PostKind, PostProblem, check_end, check_new_post};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::i18n::{Arg, Lang};
use crate::identity::{Principal, Role};
use crate::registry::UnitCode;
use crate::registry::snapshot::Snapshot;
use crate::secrets::new_secret;
use crate::secrets::secret_hash;
use crate::state::AppState;
use crate::work::Actor;
use crate::work::Work;

/// A rule a post breaks, as the forms name it: on its dates.
fn problem(p: PostProblem) -> AppError {
    AppError::field("since", p.key())
}

/// A day as forms and programs write it (YYYY-MM-DD); `None` for an empty field.
pub fn parse_day(raw: &str, field: &str) -> AppResult<Option<NaiveDate>> {
    match raw.trim() {
        "" => Ok(None),
        s => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| AppError::field(field, "error-date")),
    }
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

/// A post as the staff's form (or a program) sends it, before it is read: the kind and the
/// endings by their codes, the days as YYYY-MM-DD.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct PostDraft {
    pub kind: String,
    /// The number of a person already recorded; empty for a new person named by `name_uk`.
    pub person_id: String,
    pub name_uk: String,
    pub since: String,
    /// Empty while the post runs.
    pub until: String,
    /// How the post ended; needed with `until`.
    pub end_reason: String,
    /// For a new head: how the current head's post ends (on the new head's first day);
    /// `term_ended` when empty.
    pub previous_end: String,
}

/// A post to record in the community `code`.
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

fn read_post<'a>(code: &'a str, d: &'a PostDraft) -> AppResult<AddPost<'a>> {
    let kind = PostKind::parse(&d.kind).ok_or(AppError::field("kind", "posts-error-kind"))?;
    let since = parse_day(&d.since, "since")?.ok_or(AppError::field("since", "error-date"))?;
    let until = parse_day(&d.until, "until")?;
    let end_reason = match (until, d.end_reason.as_str()) {
        (None, _) => None,
        (Some(_), code) => {
            Some(PostEnd::parse(code).ok_or(AppError::field("end_reason", "posts-error-end"))?)
        }
    };
    let previous_end = match d.previous_end.as_str() {
        "" => PostEnd::TermEnded,
        code => PostEnd::parse(code).ok_or(AppError::field("previous_end", "posts-error-end"))?,
    };
    let name = d.name_uk.trim();
    let holder = match (d.person_id.trim(), name) {
        ("", "") => return Err(AppError::field("name_uk", "posts-error-person")),
        ("", name) if name.chars().count() <= 200 => Holder::New { name_uk: name },
        ("", _) => return Err(AppError::field("name_uk", "posts-error-person")),
        (id, _) => Holder::Existing(
            id.parse()
                .map_err(|_| AppError::field("person_id", "posts-error-person"))?,
        ),
    };
    Ok(AddPost {
        code,
        holder,
        kind,
        since,
        until,
        end_reason,
        previous_end,
    })
}

/// Staff (admins, the coordinators of the community's office) record a post in the
/// community `code`; a new head in office takes over from the current one. Returns the post.
pub async fn record_post(
    db: &Db,
    snap: &Snapshot,
    p: &Principal,
    ip: &str,
    code: &UnitCode,
    draft: &PostDraft,
) -> AppResult<Post> {
    let code = code.as_str();
    if !may_edit(db, snap, p, code).await? {
        return Err(AppError::OutOfScope);
    }
    let a = read_post(code, draft)?;
    add_post(db, &Actor::of(p, ip), snap, &a).await
}

/// Records a post for `actor` without asking who may ([`record_post`] asks first); a new head
/// in office takes over from the current one. Returns the post.
pub async fn add_post(db: &Db, actor: &Actor, snap: &Snapshot, a: &AddPost<'_>) -> AppResult<Post> {
    let code = a.code;
    if !snap
        .find(code)
        .is_some_and(|i| crate::members::can_be_member(snap.node(i).category))
    {
        return Err(problem(PostProblem::NotACommunity));
    }
    let mut w = Work::begin(db, actor.clone()).await?;
    let current = repo::current_head(&mut w.tx, code).await?;
    check_new_post(
        a.kind,
        a.since,
        a.until,
        current.as_ref(),
        crate::clock::today(),
    )
    .map_err(problem)?;
    let person_id = match a.holder {
        Holder::Existing(id) => {
            if repo::person_tx(&mut w.tx, id).await?.is_none() {
                return Err(AppError::NotFound);
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
            repo::insert_person(&mut w.tx, &person, w.now).await?
        }
    };
    // A new head in office takes over: the current head's post ends on the first day.
    let mut took_over = None;
    if a.kind == PostKind::Head
        && a.until.is_none()
        && let Some(current) = current
    {
        repo::end_post(&mut w.tx, current.id, a.since, a.previous_end.code()).await?;
        took_over = Some(current.person_id);
    }
    let post = NewPost {
        person_id,
        unit_code: code,
        kind: a.kind.code(),
        since: a.since,
        until: a.until,
        end_reason: a.end_reason.map(PostEnd::code),
    };
    let post_id = repo::insert_post(&mut w.tx, &post, w.now).await?;
    w.audit(
        "add_post",
        "community",
        code,
        json!({ "person": person_id, "post": post_id, "kind": a.kind.code(),
                "since": a.since.to_string(), "until": a.until.map(|d| d.to_string()),
                "previous_head": took_over }),
    )
    .await?;
    let recorded = repo::post(&mut w.tx, post_id)
        .await?
        .ok_or(AppError::NotFound)?;
    w.commit().await?;
    Ok(recorded)
}

/// Staff end a post on `until` (YYYY-MM-DD) for `reason` (term ended, resigned, dismissed,
/// captured, killed, died). Returns the post as it now is.
pub async fn end_post(
    db: &Db,
    snap: &Snapshot,
    p: &Principal,
    ip: &str,
    id: i64,
    until: &str,
    reason: &str,
) -> AppResult<Post> {
    let until = parse_day(until, "until")?.ok_or(AppError::field("until", "error-date"))?;
    let reason = PostEnd::parse(reason).ok_or(AppError::field("reason", "posts-error-end"))?;
    let code = repo::post_by_id(db, id)
        .await?
        .ok_or(AppError::NotFound)?
        .unit_code;
    if !may_edit(db, snap, p, &code).await? {
        return Err(AppError::OutOfScope);
    }
    let mut w = Work::begin(db, Actor::of(p, ip)).await?;
    let post = repo::post(&mut w.tx, id).await?.ok_or(AppError::NotFound)?;
    check_end(&post, until, crate::clock::today()).map_err(problem)?;
    repo::end_post(&mut w.tx, id, until, reason.code()).await?;
    w.audit(
        "end_post",
        "community",
        &post.unit_code,
        json!({ "post": id, "until": until.to_string(), "reason": reason.code() }),
    )
    .await?;
    let ended = repo::post(&mut w.tx, id).await?.ok_or(AppError::NotFound)?;
    w.commit().await?;
    Ok(ended)
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

impl EmailCheck {
    pub fn code(self) -> &'static str {
        match self {
            EmailCheck::Nothing => "nothing",
            EmailCheck::VerifiedByAccount => "verified_by_account",
            EmailCheck::Mailed => "mailed",
            EmailCheck::Pending => "pending",
        }
    }
}

/// Whether `p` may change the person's contacts (and ask for their data or its erasure): the
/// person themself or an admin, past the second factor.
pub fn may_change_person(p: &Principal, person: &Person) -> bool {
    p.second_factor_ok() && (p.has_role(Role::Admin) || person.user_id == Some(p.user.id))
}

/// A person's contacts as a form or a program sends them, before they are checked.
#[derive(Debug, Clone, Default)]
pub struct ContactsDraft {
    /// Empty, or an email address.
    pub email: String,
    /// Up to 50 characters.
    pub phone: String,
    pub is_email_public: bool,
    pub is_phone_public: bool,
}

/// The person `id` (or an admin) changes their contacts and which of them are public, with the
/// verification mail in `lang`. A new address counts for nothing (export, erasure, club
/// matching) until its owner follows the link mailed to it; the account's own verified login
/// address counts at once. Returns the person as they now are and what became of the address.
pub async fn change_contacts(
    state: &AppState,
    p: &Principal,
    ip: &str,
    id: i64,
    draft: &ContactsDraft,
    lang: Lang,
) -> AppResult<(Person, EmailCheck)> {
    let person = repo::person(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !may_change_person(p, &person) {
        return Err(AppError::OutOfScope);
    }
    let email = match draft.email.trim() {
        "" => String::new(),
        raw => crate::auth::parse_email(raw).map_err(|key| AppError::field("email", key))?,
    };
    let phone = draft.phone.trim();
    if phone.chars().count() > 50 {
        return Err(AppError::field("phone", "offices-error-long"));
    }
    let contacts = Contacts {
        email: &email,
        phone,
        is_email_public: draft.is_email_public,
        is_phone_public: draft.is_phone_public,
    };
    let check = update_contacts(state, Actor::of(p, ip), &person, &contacts, lang).await?;
    let person = repo::person(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((person, check))
}

async fn update_contacts(
    state: &AppState,
    actor: Actor,
    person: &Person,
    c: &Contacts<'_>,
    lang: Lang,
) -> AppResult<EmailCheck> {
    let changed = person.email != c.email;
    let needs_check = !c.email.is_empty() && (changed || person.email_verified_at.is_none());
    let limit_key = format!("people:verify:{}", person.id);
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
        crate::auth::actions::limit(&state.db, &limit_key, VERIFY_MAILS_PER_PERSON).await?;
        let since = crate::clock::now() - chrono::Duration::days(1);
        let today = repo::email_tokens_since(&state.db, person.id, since).await?;
        if today >= VERIFY_MAILS_PER_DAY {
            return Err(AppError::Conflict("people-error-verify-daily"));
        }
    }
    let mut w = Work::begin(&state.db, actor).await?;
    let now = w.now;
    if repo::update_contacts(&mut w.tx, person.id, c).await? == 0 {
        return Err(AppError::NotFound);
    }
    if changed {
        // Links sent to the old address must not verify the new one, nor the old one again.
        repo::expire_email_tokens(&mut w.tx, person.id, now).await?;
    }
    let mut check = EmailCheck::Nothing;
    if needs_check {
        let account = match person.user_id {
            Some(id) => crate::auth::repo::find_user_tx(&mut w.tx, id).await?,
            None => None,
        };
        if account.is_some_and(|u| u.email == c.email && u.email_verified_at.is_some()) {
            repo::mark_email_verified(&mut w.tx, person.id, c.email, now).await?;
            check = EmailCheck::VerifiedByAccount;
        } else if repo::live_email_token(&mut w.tx, person.id, c.email, now).await? {
            check = EmailCheck::Pending;
        } else if !changed {
            // An unchanged address was mailed when it was saved: saving other fields (the phone,
            // what is public) mails nobody again.
        } else {
            let token = new_secret("pe.");
            let expires = now + chrono::Duration::hours(VERIFY_HOURS);
            let hash = secret_hash(&token);
            repo::insert_email_token(&mut w.tx, person.id, c.email, &hash, now, expires).await?;
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
            crate::mail::repo::enqueue(&mut w.tx, &msg, &state.mail_domain(), now).await?;
            w.wake(&state.mail_wakeup);
            check = EmailCheck::Mailed;
        }
    }
    w.audit(
        "update_contacts",
        "person",
        person.id,
        json!({ "email": c.email, "phone": c.phone, "is_email_public": c.is_email_public,
                "is_phone_public": c.is_phone_public, "email_check": format!("{check:?}") }),
    )
    .await?;
    w.commit().await?;
    if check == EmailCheck::Mailed {
        crate::auth::actions::bump(&state.db, &limit_key).await?;
    }
    Ok(check)
}

/// The owner of a contact address follows the mailed link and confirms: the address now counts
/// as the person's. Returns the person's id; 409 when the link is unknown, used, expired, or
/// the address has changed since.
pub async fn verify_email(db: &Db, token: &str, ip: &str) -> AppResult<i64> {
    let dead = AppError::Conflict("people-verify-dead");
    if token.len() > 200 {
        return Err(dead);
    }
    // Who acts is known once the link is read: the owner of the address it was sent to.
    let mut w = Work::begin(db, Actor::visitor("", ip)).await?;
    let Some((person_id, email)) =
        repo::take_email_token(&mut w.tx, &secret_hash(token), w.now).await?
    else {
        return Err(dead);
    };
    if repo::mark_email_verified(&mut w.tx, person_id, &email, w.now).await? == 0 {
        return Err(dead);
    }
    w.actor = Actor::visitor(&email, ip);
    w.audit(
        "verify_contact_email",
        "person",
        person_id,
        json!({ "email": email }),
    )
    .await?;
    w.commit().await?;
    Ok(person_id)
}

/// The account's login address proved to be its owner's (an [`crate::auth::actions::AddressVerified`]
/// step): the contact address of the person the account belongs to counts as verified too when
/// it is the same address, as if its own link had been followed.
pub fn account_address_verified<'a>(
    work: &'a mut Work,
    user_id: i64,
    email: &'a str,
) -> futures_util::future::BoxFuture<'a, AppResult<()>> {
    Box::pin(async move {
        let email = email.to_lowercase();
        let now = work.now;
        if let Some(person) =
            repo::verify_account_address(&mut work.tx, user_id, &email, now).await?
        {
            work.audit(
                "verify_email",
                "person",
                person,
                json!({ "by": "account", "user": user_id }),
            )
            .await?;
        }
        Ok(())
    })
}
