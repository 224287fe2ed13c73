//! The use cases of regional offices, shared by the admins' forms and the API: adding an
//! office and changing its details and oblasts. Only admins, checked here as well as at the
//! route: an office's oblasts decide where its coordinators act.

use super::{actions, repo};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::identity::{Principal, Role};
use crate::registry::snapshot::Snapshot;
use crate::work::Actor;

/// An office as a form or a program sends it, before it is checked.
#[derive(Debug, Clone, Default)]
pub struct OfficeDraft {
    /// 2 to 40 of `a-z`, `0-9` and `-`; fixed once the office exists.
    pub slug: String,
    pub name_uk: String,
    pub name_en: String,
    pub head_name: String,
    pub email: String,
    pub phone: String,
    pub address: String,
    /// Codes of first-level units (oblasts, cities with special status).
    pub oblasts: Vec<String>,
}

/// Checks a draft; every problem as (field, message key). Trims the texts, normalises the
/// address and drops repeated oblasts.
pub fn check(draft: &OfficeDraft, snap: &Snapshot) -> Result<OfficeDraft, Vec<(String, String)>> {
    let trim = |s: &str| s.trim().to_string();
    let mut errors: Vec<(String, String)> = Vec::new();
    let mut fail = |field: &str, key: &str| errors.push((field.into(), key.into()));
    let slug = trim(&draft.slug);
    if !(2..=40).contains(&slug.len())
        || !slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        fail("slug", "offices-error-slug");
    }
    for (field, value) in [("name_uk", &draft.name_uk), ("name_en", &draft.name_en)] {
        let n = value.trim().chars().count();
        if n == 0 || n > 200 {
            fail(field, "offices-error-name");
        }
    }
    let mut email = trim(&draft.email);
    if !email.is_empty() {
        match crate::auth::parse_email(&email) {
            Ok(e) => email = e,
            Err(key) => fail("email", key),
        }
    }
    for (field, value) in [
        ("head_name", &draft.head_name),
        ("phone", &draft.phone),
        ("address", &draft.address),
    ] {
        if value.trim().chars().count() > 300 {
            fail(field, "offices-error-long");
        }
    }
    let mut oblasts: Vec<String> = Vec::new();
    for code in &draft.oblasts {
        match snap.find(code).filter(|&i| snap.node(i).parent.is_none()) {
            Some(_) if !oblasts.contains(code) => oblasts.push(code.clone()),
            Some(_) => {}
            None => fail("oblast", "error-filter"),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(OfficeDraft {
        slug,
        name_uk: trim(&draft.name_uk),
        name_en: trim(&draft.name_en),
        head_name: trim(&draft.head_name),
        email,
        phone: trim(&draft.phone),
        address: trim(&draft.address),
        oblasts,
    })
}

fn as_new(d: &OfficeDraft) -> repo::NewOffice<'_> {
    repo::NewOffice {
        slug: &d.slug,
        name_uk: &d.name_uk,
        name_en: &d.name_en,
        head_name: &d.head_name,
        email: &d.email,
        phone: &d.phone,
        address: &d.address,
        is_demo: false,
    }
}

fn admin(p: &Principal, ip: &str) -> AppResult<Actor> {
    if !p.has_role(Role::Admin) {
        return Err(AppError::Forbidden);
    }
    Ok(Actor::of(p, ip))
}

/// Adds an office (admins); 409 when its short name is taken. Answers the office.
pub async fn create(
    db: &Db,
    snap: &Snapshot,
    p: &Principal,
    ip: &str,
    draft: &OfficeDraft,
) -> AppResult<repo::Office> {
    let d = check(draft, snap).map_err(AppError::Invalid)?;
    let actor = admin(p, ip)?;
    match actions::create_office(db, &actor, &as_new(&d), &d.oblasts).await {
        Ok(_) => {}
        Err(e) if crate::db::is_unique_violation(&e) => {
            return Err(AppError::Conflict("offices-error-taken"));
        }
        Err(e) => return Err(e.into()),
    }
    repo::office_by_slug(db, &d.slug)
        .await?
        .ok_or(AppError::NotFound)
}

/// Changes the details and oblasts of the office `slug` (admins); its short name stays,
/// whatever the draft says. Answers the office.
pub async fn update(
    db: &Db,
    snap: &Snapshot,
    p: &Principal,
    ip: &str,
    slug: &str,
    draft: &OfficeDraft,
) -> AppResult<repo::Office> {
    let office = repo::office_by_slug(db, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let draft = OfficeDraft {
        slug: office.slug.clone(),
        ..draft.clone()
    };
    let d = check(&draft, snap).map_err(AppError::Invalid)?;
    let actor = admin(p, ip)?;
    actions::update_office(db, &actor, office.id, &as_new(&d), &d.oblasts).await?;
    repo::office_by_slug(db, slug)
        .await?
        .ok_or(AppError::NotFound)
}
