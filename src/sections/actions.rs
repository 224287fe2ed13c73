//! The use cases of a section, shared by its pages and its API: asking to join, leaving,
//! deciding on members, announcing, materials and the purpose. Each is one unit of work with
//! its audit entry; the section's coordinators (and admins) are checked here, not only at the
//! route.

use serde_json::json;

use super::{MAX_MATERIAL_BYTES, MemberStatus, check_announcement, may_coordinate, repo};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::identity::Principal;
use crate::members::repo::Section;
use crate::work::Actor;
use crate::work::Work;

/// The section with the short name `slug`.
pub async fn section(db: &Db, slug: &str) -> AppResult<Section> {
    crate::members::repo::section_by_slug(db, slug)
        .await?
        .ok_or(AppError::NotFound)
}

/// The section, when `p` coordinates it (or is an admin).
pub async fn coordinated(db: &Db, p: &Principal, slug: &str) -> AppResult<Section> {
    let s = section(db, slug).await?;
    if !may_coordinate(p, &s.slug) {
        return Err(AppError::OutOfScope);
    }
    Ok(s)
}

/// A unit of work by `p`.
async fn work(db: &Db, p: &Principal, ip: &str) -> AppResult<Work> {
    Ok(Work::begin(db, Actor::of(p, ip)).await?)
}

crate::text_enum! {
    /// What a coordinator decides about a membership.
    pub enum Decision {
        /// A pending request becomes a membership.
        Approve = "approve",
        /// A pending request is turned down.
        Decline = "decline",
        /// A member is taken off the section.
        Remove = "remove",
    }
}

impl Decision {
    /// The move it makes: from which status to which.
    fn change(self) -> (MemberStatus, MemberStatus) {
        match self {
            Decision::Approve => (MemberStatus::Pending, MemberStatus::Approved),
            Decision::Decline => (MemberStatus::Pending, MemberStatus::Declined),
            Decision::Remove => (MemberStatus::Approved, MemberStatus::Left),
        }
    }
}

/// A signed-in person asks to join with a note for the coordinators; the request's id.
pub async fn request_join(
    db: &Db,
    p: &Principal,
    ip: &str,
    slug: &str,
    note: &str,
) -> AppResult<i64> {
    let s = section(db, slug).await?;
    let note = note.trim();
    if note.chars().count() > 500 {
        return Err(AppError::field("note", "sections-error-note"));
    }
    let mut w = work(db, p, ip).await?;
    let id = repo::request(&mut w.tx, s.id, p.user.id, note, w.now)
        .await?
        .ok_or(AppError::Conflict("sections-error-already"))?;
    w.audit(
        "request_join",
        "section",
        &s.slug,
        json!({ "request": id, "note": note }),
    )
    .await?;
    w.commit().await?;
    Ok(id)
}

/// A member leaves, or withdraws their pending request.
pub async fn leave(db: &Db, p: &Principal, ip: &str, slug: &str) -> AppResult<()> {
    let s = section(db, slug).await?;
    let (id, status) = repo::membership(db, s.id, p.user.id)
        .await?
        .ok_or(AppError::Conflict("sections-error-not-member"))?;
    let mut w = work(db, p, ip).await?;
    let left = MemberStatus::Left;
    if repo::set_status(&mut w.tx, s.id, id, status, left, p.user.id, w.now).await? == 0 {
        // Decided or left in the meantime: nothing to leave any more.
        return Err(AppError::Conflict("sections-error-not-member"));
    }
    w.audit("leave", "section", &s.slug, json!({ "membership": id }))
        .await?;
    Ok(w.commit().await?)
}

/// A coordinator decides on membership `id`; the status it now has.
pub async fn decide(
    db: &Db,
    p: &Principal,
    ip: &str,
    slug: &str,
    id: i64,
    decision: Decision,
) -> AppResult<MemberStatus> {
    let s = coordinated(db, p, slug).await?;
    let (from, to) = decision.change();
    let mut w = work(db, p, ip).await?;
    let changed = repo::set_status(&mut w.tx, s.id, id, from, to, p.user.id, w.now).await?;
    if changed == 0 {
        return Err(AppError::NotFound);
    }
    w.audit(
        "decide_membership",
        "section",
        &s.slug,
        json!({ "membership": id, "status": to.code() }),
    )
    .await?;
    w.commit().await?;
    Ok(to)
}

/// A coordinator posts an announcement, written in `lang`; its id.
pub async fn announce(
    db: &Db,
    p: &Principal,
    ip: &str,
    slug: &str,
    (title, body): (&str, &str),
    lang: &str,
) -> AppResult<i64> {
    let s = coordinated(db, p, slug).await?;
    let (title, body) = check_announcement(title, body).map_err(AppError::Invalid)?;
    let mut w = work(db, p, ip).await?;
    let id =
        repo::insert_announcement(&mut w.tx, s.id, &title, &body, lang, p.user.id, w.now).await?;
    w.audit(
        "announce",
        "section",
        &s.slug,
        json!({ "announcement": id, "title": title }),
    )
    .await?;
    w.commit().await?;
    Ok(id)
}

/// A file a coordinator uploads for the members, as it arrived.
pub struct Upload {
    pub title: String,
    /// The file's name and bytes; `None` when the form had no file.
    pub file: Option<(String, Vec<u8>)>,
}

/// A coordinator adds a material; its id. Every problem with the title and the file is
/// reported at once.
pub async fn add_material(
    db: &Db,
    p: &Principal,
    ip: &str,
    slug: &str,
    upload: &Upload,
) -> AppResult<i64> {
    let s = coordinated(db, p, slug).await?;
    let mut errors = Vec::new();
    let title = upload.title.trim();
    if title.is_empty() || title.chars().count() > 200 {
        errors.push(("title".to_string(), "sections-error-title".to_string()));
    }
    let typed = match &upload.file {
        Some((_, bytes)) if bytes.is_empty() => {
            errors.push(("file".into(), "upload-error-no-file".into()));
            None
        }
        Some((_, bytes)) if bytes.len() > MAX_MATERIAL_BYTES => {
            errors.push(("file".into(), "sections-error-too-large".into()));
            None
        }
        Some((name, _)) => {
            let typed = super::material_file(name);
            if typed.is_none() {
                errors.push(("file".into(), "sections-error-kind".into()));
            }
            typed
        }
        None => {
            errors.push(("file".into(), "upload-error-no-file".into()));
            None
        }
    };
    let (Some((filename, content_type)), Some((_, bytes)), true) =
        (typed, &upload.file, errors.is_empty())
    else {
        return Err(AppError::Invalid(errors));
    };
    let mut w = work(db, p, ip).await?;
    let material = repo::NewMaterial {
        title,
        filename: &filename,
        content_type,
        bytes,
    };
    let id = repo::insert_material(&mut w.tx, s.id, &material, p.user.id, w.now).await?;
    w.audit(
        "upload_material",
        "section",
        &s.slug,
        json!({ "material": id, "title": title, "file": filename, "bytes": bytes.len() }),
    )
    .await?;
    w.commit().await?;
    Ok(id)
}

/// A coordinator deletes material `id`.
pub async fn delete_material(
    db: &Db,
    p: &Principal,
    ip: &str,
    slug: &str,
    id: i64,
) -> AppResult<()> {
    let s = coordinated(db, p, slug).await?;
    let mut w = work(db, p, ip).await?;
    if repo::delete_material(&mut w.tx, s.id, id, w.now).await? == 0 {
        return Err(AppError::NotFound);
    }
    w.audit(
        "delete_material",
        "section",
        &s.slug,
        json!({ "material": id }),
    )
    .await?;
    Ok(w.commit().await?)
}

/// A coordinator rewrites the purpose: Ukrainian required, each language up to 2,000
/// characters.
pub async fn set_purpose(
    db: &Db,
    p: &Principal,
    ip: &str,
    slug: &str,
    (uk, en): (&str, &str),
) -> AppResult<()> {
    let s = coordinated(db, p, slug).await?;
    let (uk, en) = (uk.trim(), en.trim());
    let mut errors = Vec::new();
    for (field, text) in [("purpose_uk", uk), ("purpose_en", en)] {
        if text.chars().count() > 2000 || (field == "purpose_uk" && text.is_empty()) {
            errors.push((field.to_string(), "sections-error-purpose".to_string()));
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let mut w = work(db, p, ip).await?;
    repo::set_purpose(&mut w.tx, s.id, uk, en).await?;
    w.audit(
        "set_purpose",
        "section",
        &s.slug,
        json!({ "purpose_uk": uk, "purpose_en": en }),
    )
    .await?;
    Ok(w.commit().await?)
}
