//! A mayor's page: who has one, who may change it, and the changes, shared by the pages
//! (`crate::composed::mayor_pages`) and the API (`person_api.rs`): saving drafts, an editor
//! publishing them, uploading and removing the photo. Each change runs in one unit of work
//! with its audit entry on the person.
//!
//! The texts and photos are people's tables, but the rules reach into the club: a member has
//! a page without ever holding a head post, and the member's delegates may edit it. The club
//! stands on people, so the use cases live here.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::repo as club_repo;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::identity::{Principal, Role};
use crate::people::mayor::{self, Field, MAX_TEXT};
use crate::people::repo::{self, MayorText, Person};
use crate::work::Actor;
use crate::work::Work;

/// The person `id`, when they have a mayor's page: they hold or held a head post, or belong
/// to the club.
pub async fn mayor(db: &Db, id: i64) -> AppResult<Person> {
    let person = repo::person(db, id).await?.ok_or(AppError::NotFound)?;
    if repo::was_head(db, id).await? || club_repo::member_of_person(db, id).await?.is_some() {
        Ok(person)
    } else {
        Err(AppError::NotFound)
    }
}

/// Editors and admins review and publish.
pub fn is_editor(p: &Principal) -> bool {
    p.has_role(Role::Editor) || p.has_role(Role::Admin)
}

/// The person themself, a delegate they named in the club, editors and admins.
pub async fn may_edit(db: &Db, p: &Principal, person: &Person) -> AppResult<bool> {
    Ok(person.user_id == Some(p.user.id)
        || is_editor(p)
        || club_repo::is_delegate(db, person.id, p.user.id).await?)
}

/// The mayor's page of the person `id`, when `p` may edit it (403 otherwise).
pub async fn editable(db: &Db, p: &Principal, id: i64) -> AppResult<Person> {
    let person = mayor(db, id).await?;
    if !may_edit(db, p, &person).await? {
        return Err(AppError::Forbidden);
    }
    Ok(person)
}

/// The text of one field in one language, if it was ever written.
pub fn text_of(texts: &[MayorText], field: Field, lang: Lang) -> Option<&MayorText> {
    texts
        .iter()
        .find(|t| t.field == field.code() && t.lang == lang.code())
}

/// The version of a waiting photo an editor saw: its upload time in microseconds. Publishing
/// names it, so a photo uploaded since is refused rather than published unseen.
pub fn photo_version(at: &DateTime<Utc>) -> String {
    at.timestamp_micros().to_string()
}

/// Saves the drafts of the page of the person `id` that changed (the person, their delegate,
/// an editor): each `(field, language, text)` keeps its own state. A text over [`MAX_TEXT`]
/// characters is named by its slot (`bio_uk`), and nothing is saved. Returns the person.
pub async fn save_drafts(
    db: &Db,
    p: &Principal,
    ip: &str,
    id: i64,
    drafts: &[(Field, Lang, String)],
) -> AppResult<Person> {
    let person = editable(db, p, id).await?;
    let texts = repo::mayor_texts(db, person.id).await?;
    let mut errors = Vec::new();
    let mut changes = Vec::new();
    for (field, lang, value) in drafts {
        let value = value.replace("\r\n", "\n").trim().to_string();
        if value.chars().count() > MAX_TEXT {
            errors.push((mayor::slot(*field, *lang), "mayor-error-long".to_string()));
            continue;
        }
        let current = text_of(&texts, *field, *lang);
        if current.map_or("", |t| t.draft.as_str()) == value {
            continue;
        }
        let published = current.map_or("", |t| t.published.as_str());
        let state = mayor::state_after_edit(&value, published);
        changes.push((*field, *lang, value, state));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    if changes.is_empty() {
        return Ok(person);
    }
    let mut w = Work::begin(db, Actor::of(p, ip)).await?;
    for (field, lang, value, state) in &changes {
        let (f, l, s) = (field.code(), lang.code(), state.code());
        let by = Some(p.user.id);
        repo::save_mayor_draft(&mut w.tx, person.id, f, l, value, s, by, w.now).await?;
    }
    let changed: Vec<String> = changes
        .iter()
        .map(|(f, l, _, s)| format!("{}:{}:{}", f.code(), l.code(), s.code()))
        .collect();
    w.audit(
        "edit_mayor_page",
        "person",
        person.id,
        json!({ "changed": changed }),
    )
    .await?;
    w.commit().await?;
    Ok(person)
}

/// An editor publishes the drafts `chosen` of the page of the person `id` (those that are not
/// drafts are passed over) and, with `photo` naming the version they saw, the photo waiting
/// for review: 409 when another was uploaded since. 422 `publish` when there is nothing to
/// publish.
pub async fn publish(
    db: &Db,
    p: &Principal,
    ip: &str,
    id: i64,
    chosen: &[(Field, Lang)],
    photo: Option<&str>,
) -> AppResult<Person> {
    let person = mayor(db, id).await?;
    if !is_editor(p) {
        return Err(AppError::Forbidden);
    }
    let texts = repo::mayor_texts(db, person.id).await?;
    let chosen: Vec<(Field, Lang, mayor::State)> = chosen
        .iter()
        .filter_map(|&(f, l)| {
            text_of(&texts, f, l)
                .filter(|t| t.state == mayor::State::Draft.code())
                .map(|t| (f, l, mayor::state_after_publish(&t.draft)))
        })
        .collect();
    let changed = AppError::Conflict("mayor-error-photo-changed");
    let photo = match photo {
        None => None,
        Some(version) => match repo::photo_draft_meta(db, person.id).await? {
            Some((_, _, at)) if photo_version(&at) == version.trim() => Some(at),
            _ => return Err(changed),
        },
    };
    if chosen.is_empty() && photo.is_none() {
        return Err(AppError::field("publish", "mayor-error-nothing"));
    }
    let mut w = Work::begin(db, Actor::of(p, ip)).await?;
    let reviewer = p.user.id;
    if let Some(at) = photo
        && repo::publish_photo_draft(&mut w.tx, person.id, at, reviewer, w.now).await? == 0
    {
        return Err(changed);
    }
    for (f, l, s) in &chosen {
        let (f, l, s) = (f.code(), l.code(), s.code());
        repo::publish_mayor_text(&mut w.tx, person.id, f, l, s, reviewer, w.now).await?;
    }
    let published: Vec<String> = chosen
        .iter()
        .map(|(f, l, _)| format!("{}:{}", f.code(), l.code()))
        .collect();
    w.audit(
        "publish_mayor_page",
        "person",
        person.id,
        json!({ "published": published, "photo": photo.is_some() }),
    )
    .await?;
    w.commit().await?;
    Ok(person)
}

/// What became of an uploaded photo.
pub struct Uploaded {
    pub width: u32,
    pub height: u32,
    /// An editor's own upload is public at once; the person's or a delegate's waits for an
    /// editor.
    pub published: bool,
}

/// Uploads (or replaces) the photo of the page of the person `id` from the `file` field of a
/// multipart form: resized, re-encoded, without the upload's metadata. 422 `photo` for no
/// file or one that is no usable image.
pub async fn upload_photo(
    db: &Db,
    p: &Principal,
    ip: &str,
    id: i64,
    multipart: axum::extract::Multipart,
) -> AppResult<Uploaded> {
    let person = editable(db, p, id).await?;
    let refuse = |key: &str| AppError::field("photo", key);
    let bytes = match crate::web::extract::uploaded_file(multipart).await {
        Ok(b) if b.is_empty() => return Err(refuse("photo-error-none")),
        Ok(b) => b,
        Err("upload-error-no-file") => return Err(refuse("photo-error-none")),
        Err(key) => return Err(refuse(key)),
    };
    // Decoding and resizing take CPU time; they run beside the async workers.
    let photo = match tokio::task::spawn_blocking(move || mayor::process_photo(&bytes)).await {
        Ok(Ok(photo)) => photo,
        Ok(Err(key)) => return Err(refuse(key)),
        Err(e) => return Err(AppError::Internal(e.into())),
    };
    // Like the texts, a photo from the person or a delegate waits for an editor; the public
    // page keeps the photo last reviewed (or none). An editor's own upload is reviewed by them.
    let published = is_editor(p);
    let mut w = Work::begin(db, Actor::of(p, ip)).await?;
    if published {
        repo::save_photo(&mut w.tx, person.id, &photo, p.user.id, w.now).await?;
        repo::delete_photo_draft(&mut w.tx, person.id).await?;
    } else {
        repo::save_photo_draft(&mut w.tx, person.id, &photo, p.user.id, w.now).await?;
    }
    w.audit(
        "upload_photo",
        "person",
        person.id,
        json!({ "width": photo.width, "height": photo.height, "bytes": photo.jpeg.len(),
                "published": published }),
    )
    .await?;
    w.commit().await?;
    Ok(Uploaded {
        width: photo.width,
        height: photo.height,
        published,
    })
}

/// Removes the photo of the page of the person `id`, published and waiting alike; 404 when
/// there is none. Removing needs no review: it only withdraws.
pub async fn delete_photo(db: &Db, p: &Principal, ip: &str, id: i64) -> AppResult<()> {
    let person = editable(db, p, id).await?;
    let mut w = Work::begin(db, Actor::of(p, ip)).await?;
    let removed = repo::delete_photo(&mut w.tx, person.id).await?
        + repo::delete_photo_draft(&mut w.tx, person.id).await?;
    if removed == 0 {
        return Err(AppError::NotFound);
    }
    w.audit("delete_photo", "person", person.id, json!({}))
        .await?;
    Ok(w.commit().await?)
}
