//! People and posts use cases: record a post (a new head takes over from the current one), end
//! a post, change a person's contacts and what of them is public. One transaction each, with
//! its audit entry.

use chrono::NaiveDate;
use serde_json::json;

use super::repo::{self, Contacts, NewPerson, NewPost};
use super::{PostEnd, PostKind, PostProblem, check_end, check_new_post};
use crate::auth::{Actor, Principal, Role, now};
use crate::db::Db;
use crate::registry::snapshot::Snapshot;

#[derive(Debug, thiserror::Error)]
pub enum PostError {
    #[error("the post breaks a rule: {0:?}")]
    Problem(PostProblem),
    #[error("no such person or post")]
    NotFound,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
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
        crate::members::actions::today(),
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
    check_end(&post, until, crate::members::actions::today()).map_err(PostError::Problem)?;
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

/// Changes a person's contacts and which of them are public.
pub async fn update_contacts(
    db: &Db,
    actor: &Actor,
    id: i64,
    c: &Contacts<'_>,
) -> Result<(), PostError> {
    let mut tx = db.begin().await?;
    if repo::update_contacts(&mut tx, id, c).await? == 0 {
        return Err(PostError::NotFound);
    }
    crate::audit::repo::record(
        &mut tx,
        actor,
        "update_contacts",
        "person",
        &id.to_string(),
        json!({ "email": c.email, "phone": c.phone, "is_email_public": c.is_email_public,
                "is_phone_public": c.is_phone_public }),
        now(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
