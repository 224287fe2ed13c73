//! Mayors' pages: the public page in each language (with the Ukrainian text where the English
//! one is missing, said so), the edit form for the person, their club delegates and editors,
//! the editors' publishing, the editors' list of pages waiting for review, and the photo.
//! Composed: the page and its texts belong to people, but a club member has one too and the
//! member's delegates may edit it, and the club stands on people (admission records the person
//! and the head's post).

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;

use crate::auth::{Actor, Principal, Role, now};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::people::mayor::{self, Field, MAX_TEXT};
use crate::people::repo::{self, Person};
use crate::web::extract::{Form, Query};
use crate::web::page::DoneQuery;
use crate::web::page::{paragraphs, render};
use crate::web::{AppState, Ctx, PageCtx};

#[derive(Deserialize)]
pub struct IdPath {
    id: i64,
}

/// A person has a mayor's page when they hold or held a head post, or belong to the club.
async fn mayor(state: &AppState, id: i64) -> AppResult<Person> {
    let person = repo::person(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if repo::was_head(&state.db, id).await?
        || crate::club::repo::member_of_person(&state.db, id)
            .await?
            .is_some()
    {
        Ok(person)
    } else {
        Err(AppError::NotFound)
    }
}

/// The publishing form's checkbox for a photo waiting for review.
const PHOTO_CHECKBOX: &str = "pub_photo";

/// The version of a waiting photo the publish form carries: its upload time in microseconds.
fn photo_version(at: &chrono::DateTime<chrono::Utc>) -> String {
    at.timestamp_micros().to_string()
}

fn is_editor(p: &Principal) -> bool {
    p.has_role(Role::Editor) || p.has_role(Role::Admin)
}

/// The person themself, a delegate they named in the club, editors and admins.
async fn may_edit(state: &AppState, p: &Principal, person: &Person) -> AppResult<bool> {
    Ok(person.user_id == Some(p.user.id)
        || is_editor(p)
        || crate::club::repo::is_delegate(&state.db, person.id, p.user.id).await?)
}

fn name(lang: Lang, person: &Person) -> String {
    person.name_in(lang).to_string()
}

/// One field as a reader sees it.
pub struct Section {
    pub label: String,
    pub id: &'static str,
    pub paragraphs: Vec<String>,
    /// Set when the text is shown in the other language: the notice and the language code.
    pub fallback: Option<(String, &'static str)>,
}

#[derive(Template)]
#[template(path = "people/mayor.html")]
struct MayorPage {
    p: PageCtx,
    person: Person,
    heads: Vec<crate::people::pages::PostLine>,
    sections: Vec<Section>,
    photo: Option<(i64, i64)>,
    photo_src: String,
    can_edit: bool,
}

fn text_of(texts: &[repo::MayorText], field: Field, lang: Lang) -> Option<&repo::MayorText> {
    texts
        .iter()
        .find(|t| t.field == field.code() && t.lang == lang.code())
}

fn back_to_edit(lang: Lang, id: i64, done: &str) -> Response {
    Redirect::to(&format!(
        "/{}/people/{id}/mayor/edit?done={done}",
        lang.code()
    ))
    .into_response()
}

/// Records a change of a person's page in the audit log, in the change's transaction.
async fn audit(
    tx: &mut crate::db::Tx,
    principal: &Principal,
    ctx: &Ctx,
    action: &str,
    person_id: i64,
    changes: serde_json::Value,
) -> sqlx::Result<()> {
    crate::audit::repo::record(
        tx,
        &Actor::of(principal, &ctx.ip),
        action,
        "person",
        &person_id.to_string(),
        changes,
        now(),
    )
    .await
}

/// The public page.
pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<IdPath>,
) -> AppResult<Response> {
    let person = mayor(&state, path.id).await?;
    let texts = repo::mayor_texts(&state.db, person.id).await?;
    let sections = Field::ALL
        .into_iter()
        .filter_map(|field| {
            let own = text_of(&texts, field, lang).map_or("", |t| t.published.as_str());
            let other = text_of(&texts, field, lang.other()).map_or("", |t| t.published.as_str());
            mayor::shown(lang, own, other).map(|(text, fallback)| Section {
                label: lang.t(&format!("mayor-field-{}", field.code())),
                id: field.code(),
                paragraphs: paragraphs(text),
                fallback: fallback
                    .map(|l| (lang.t(&format!("mayor-fallback-{}", l.code())), l.code())),
            })
        })
        .collect();
    let posts: Vec<crate::people::Post> = repo::posts_of_person(&state.db, person.id)
        .await?
        .into_iter()
        .filter(|p| p.kind == crate::people::PostKind::Head.code())
        .collect();
    let can_edit = match &ctx.principal {
        Some(p) => may_edit(&state, p, &person).await?,
        None => false,
    };
    let photo = repo::photo_meta(&state.db, person.id).await?;
    Ok(render(&MayorPage {
        p: PageCtx::new(&ctx, "mayor-page").with_title(name(lang, &person)),
        heads: crate::people::pages::post_lines(&state, &posts, lang).await?,
        sections,
        photo_src: photo
            .as_ref()
            .map(|(_, _, at)| format!("/photos/people/{}?v={}", person.id, at.timestamp()))
            .unwrap_or_default(),
        photo: photo.map(|(w, h, _)| (w, h)),
        can_edit,
        person,
    })?
    .into_response())
}

/// One field in one language on the edit form.
pub struct Slot {
    pub name: String,
    pub lang_label: String,
    pub lang: &'static str,
    pub draft: String,
    pub published: String,
    pub state: String,
    pub state_code: &'static str,
}

pub struct FieldSlots {
    pub label: String,
    pub slots: Vec<Slot>,
}

#[derive(Template)]
#[template(path = "people/mayor_edit.html")]
struct EditPage {
    p: PageCtx,
    person: Person,
    fields: Vec<FieldSlots>,
    /// Drafts an editor may publish: (checkbox name, label).
    /// (checkbox name, label, checkbox value): the photo's value names the exact draft shown.
    drafts: Vec<(String, String, String)>,
    is_editor: bool,
    has_photo: bool,
    /// The preview URL of an uploaded photo waiting for an editor.
    photo_waiting: Option<String>,
    errors: Vec<(String, String)>,
    notice: Option<String>,
    max_text: usize,
}

async fn edit_page(
    state: &AppState,
    ctx: &Ctx,
    person: Person,
    typed: Option<&HashMap<String, String>>,
    errors: Vec<(String, String)>,
    notice: Option<String>,
) -> AppResult<EditPage> {
    let lang = ctx.lang;
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let texts = repo::mayor_texts(&state.db, person.id).await?;
    let mut drafts = Vec::new();
    let fields = Field::ALL
        .into_iter()
        .map(|field| FieldSlots {
            label: lang.t(&format!("mayor-field-{}", field.code())),
            slots: [Lang::Uk, Lang::En]
                .into_iter()
                .map(|l| {
                    let t = text_of(&texts, field, l);
                    let state_code =
                        t.map_or(mayor::State::Missing, |t| mayor::State::parse(&t.state));
                    let name = format!("{}_{}", field.code(), l.code());
                    let lang_label = lang.t(&format!("lang-name-{}", l.code()));
                    if state_code == mayor::State::Draft {
                        drafts.push((
                            format!("pub_{name}"),
                            format!(
                                "{} ({lang_label})",
                                lang.t(&format!("mayor-field-{}", field.code()))
                            ),
                            "1".to_string(),
                        ));
                    }
                    Slot {
                        draft: typed
                            .and_then(|m| m.get(&name).cloned())
                            .or_else(|| t.map(|t| t.draft.clone()))
                            .unwrap_or_default(),
                        published: t.map(|t| t.published.clone()).unwrap_or_default(),
                        state: lang.t(&format!("mayor-state-{}", state_code.code())),
                        state_code: state_code.code(),
                        lang: l.code(),
                        lang_label,
                        name,
                    }
                })
                .collect(),
        })
        .collect();
    let has_photo = repo::photo_meta(&state.db, person.id).await?.is_some();
    let draft_at = repo::photo_draft_meta(&state.db, person.id)
        .await?
        .map(|(_, _, at)| at);
    let photo_waiting =
        draft_at.map(|at| format!("/photos/people/{}/waiting?v={}", person.id, at.timestamp()));
    if let Some(at) = draft_at {
        drafts.push((
            PHOTO_CHECKBOX.to_string(),
            lang.t("mayor-photo"),
            photo_version(&at),
        ));
    }
    Ok(EditPage {
        p: PageCtx::new(ctx, "mayor-edit-title").with_title(format!(
            "{}: {}",
            lang.t("mayor-edit-title"),
            name(lang, &person)
        )),
        fields,
        drafts,
        is_editor: is_editor(principal),
        has_photo,
        photo_waiting,
        errors,
        notice,
        max_text: MAX_TEXT,
        person,
    })
}

async fn editable(state: &AppState, ctx: &Ctx, id: i64) -> AppResult<Person> {
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let person = mayor(state, id).await?;
    if !may_edit(state, principal, &person).await? {
        return Err(AppError::Forbidden);
    }
    Ok(person)
}

/// The edit form.
pub async fn edit_form(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<IdPath>,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    let person = editable(&state, &ctx, path.id).await?;
    let notice = q
        .done
        .as_deref()
        .filter(|d| {
            [
                "saved",
                "published",
                "photo",
                "photo-waiting",
                "photo-deleted",
            ]
            .contains(d)
        })
        .map(|d| lang.t(&format!("mayor-done-{d}")));
    Ok(render(&edit_page(&state, &ctx, person, None, Vec::new(), notice).await?)?.into_response())
}

/// Saves the drafts that changed; each field and language keeps its own state.
pub async fn save(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<IdPath>,
    Form(form): Form<HashMap<String, String>>,
) -> AppResult<Response> {
    let person = editable(&state, &ctx, path.id).await?;
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let mut errors = Vec::new();
    let mut changes = Vec::new();
    let texts = repo::mayor_texts(&state.db, person.id).await?;
    for field in Field::ALL {
        for l in [Lang::Uk, Lang::En] {
            let name = format!("{}_{}", field.code(), l.code());
            let Some(value) = form.get(&name) else {
                continue;
            };
            let value = value.replace("\r\n", "\n").trim().to_string();
            if value.chars().count() > MAX_TEXT {
                errors.push((name, "mayor-error-long".to_string()));
                continue;
            }
            let current = text_of(&texts, field, l);
            if current.map_or("", |t| t.draft.as_str()) == value {
                continue;
            }
            let published = current.map_or("", |t| t.published.as_str());
            let new_state = mayor::state_after_edit(&value, published);
            changes.push((field, l, value, new_state));
        }
    }
    if !errors.is_empty() {
        let errors = errors.into_iter().map(|(f, k)| (f, lang.t(&k))).collect();
        let page = edit_page(&state, &ctx, person, Some(&form), errors, None).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
    }
    if !changes.is_empty() {
        let now = now();
        let mut tx = state.db.begin().await?;
        for (field, l, value, new_state) in &changes {
            repo::save_mayor_draft(
                &mut tx,
                person.id,
                field.code(),
                l.code(),
                value,
                new_state.code(),
                Some(principal.user.id),
                now,
            )
            .await?;
        }
        let changed: Vec<String> = changes
            .iter()
            .map(|(f, l, _, s)| format!("{}:{}:{}", f.code(), l.code(), s.code()))
            .collect();
        audit(
            &mut tx,
            principal,
            &ctx,
            "edit_mayor_page",
            person.id,
            json!({ "changed": changed }),
        )
        .await?;
        tx.commit().await?;
    }
    Ok(back_to_edit(lang, person.id, "saved"))
}

/// An editor publishes the drafts ticked on the form.
pub async fn publish(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<IdPath>,
    Form(form): Form<HashMap<String, String>>,
) -> AppResult<Response> {
    let person = mayor(&state, path.id).await?;
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let texts = repo::mayor_texts(&state.db, person.id).await?;
    let chosen: Vec<(Field, Lang, mayor::State)> = Field::ALL
        .into_iter()
        .flat_map(|f| [(f, Lang::Uk), (f, Lang::En)])
        .filter(|(f, l)| form.contains_key(&format!("pub_{}_{}", f.code(), l.code())))
        .filter_map(|(f, l)| {
            text_of(&texts, f, l)
                .filter(|t| t.state == mayor::State::Draft.code())
                .map(|t| (f, l, mayor::state_after_publish(&t.draft)))
        })
        .collect();
    // The editor publishes the photo they saw: the checkbox carries that draft's version, and a
    // photo uploaded since (replacing it) is refused rather than published unseen.
    let photo = match form.get(PHOTO_CHECKBOX) {
        None => None,
        Some(version) => match repo::photo_draft_meta(&state.db, person.id).await? {
            Some((_, _, at)) if photo_version(&at) == version.trim() => Some(at),
            _ => return Err(AppError::Conflict("mayor-error-photo-changed")),
        },
    };
    if chosen.is_empty() && photo.is_none() {
        return Err(AppError::field("publish", "mayor-error-nothing"));
    }
    let now = now();
    let mut tx = state.db.begin().await?;
    let photo = match photo {
        Some(at) => {
            if repo::publish_photo_draft(&mut tx, person.id, at, principal.user.id, now).await? == 0
            {
                return Err(AppError::Conflict("mayor-error-photo-changed"));
            }
            true
        }
        None => false,
    };
    for (f, l, s) in &chosen {
        repo::publish_mayor_text(
            &mut tx,
            person.id,
            f.code(),
            l.code(),
            s.code(),
            principal.user.id,
            now,
        )
        .await?;
    }
    let published: Vec<String> = chosen
        .iter()
        .map(|(f, l, _)| format!("{}:{}", f.code(), l.code()))
        .collect();
    audit(
        &mut tx,
        principal,
        &ctx,
        "publish_mayor_page",
        person.id,
        json!({ "published": published, "photo": photo }),
    )
    .await?;
    tx.commit().await?;
    Ok(back_to_edit(lang, person.id, "published"))
}

/// Uploads (or replaces) the photo: resized, re-encoded, without the upload's metadata.
pub async fn upload_photo(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<IdPath>,
    multipart: axum::extract::Multipart,
) -> AppResult<Response> {
    let person = editable(&state, &ctx, path.id).await?;
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let refuse = |key: &str| -> AppResult<Response> {
        Err(AppError::Invalid(vec![("photo".into(), key.into())]))
    };
    let bytes = match crate::web::extract::uploaded_file(multipart).await {
        Ok(b) if b.is_empty() => return refuse("photo-error-none"),
        Ok(b) => b,
        Err("upload-error-no-file") => return refuse("photo-error-none"),
        Err(key) => return refuse(key),
    };
    // Decoding and resizing take CPU time; they run beside the async workers.
    let photo = match tokio::task::spawn_blocking(move || mayor::process_photo(&bytes)).await {
        Ok(Ok(photo)) => photo,
        Ok(Err(key)) => return refuse(key),
        Err(e) => return Err(AppError::Internal(e.into())),
    };
    // Like the texts, a photo from the person or a delegate waits for an editor; the public
    // page keeps the photo last reviewed (or none). An editor's own upload is reviewed by them.
    let reviewed = is_editor(principal);
    let now = now();
    let mut tx = state.db.begin().await?;
    if reviewed {
        repo::save_photo(&mut tx, person.id, &photo, principal.user.id, now).await?;
        repo::delete_photo_draft(&mut tx, person.id).await?;
    } else {
        repo::save_photo_draft(&mut tx, person.id, &photo, principal.user.id, now).await?;
    }
    audit(
        &mut tx,
        principal,
        &ctx,
        "upload_photo",
        person.id,
        json!({ "width": photo.width, "height": photo.height, "bytes": photo.jpeg.len(),
                "published": reviewed }),
    )
    .await?;
    tx.commit().await?;
    Ok(back_to_edit(
        lang,
        person.id,
        if reviewed { "photo" } else { "photo-waiting" },
    ))
}

pub async fn delete_photo(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<IdPath>,
) -> AppResult<Response> {
    let person = editable(&state, &ctx, path.id).await?;
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let mut tx = state.db.begin().await?;
    // Removing needs no review: it withdraws the published photo and any waiting one.
    let removed = repo::delete_photo(&mut tx, person.id).await?
        + repo::delete_photo_draft(&mut tx, person.id).await?;
    if removed == 0 {
        return Err(AppError::NotFound);
    }
    audit(
        &mut tx,
        principal,
        &ctx,
        "delete_photo",
        person.id,
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(back_to_edit(lang, person.id, "photo-deleted"))
}

/// The photo itself. Its URL carries the upload time, so browsers may keep it for long.
pub async fn photo(State(state): State<AppState>, Path(path): Path<IdPath>) -> AppResult<Response> {
    let photo = repo::photo(&state.db, path.id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(crate::web::images::jpeg_response(
        photo.bytes,
        "public, max-age=86400",
    ))
}

/// The photo waiting for review, for those who may edit the page (and so review or replace it).
pub async fn photo_waiting(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(path): Path<IdPath>,
) -> AppResult<Response> {
    let person = editable(&state, &ctx, path.id).await?;
    let photo = repo::photo_draft(&state.db, person.id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(crate::web::images::jpeg_response(
        photo.bytes,
        "private, no-store",
    ))
}

#[derive(Template)]
#[template(path = "people/mayor_review.html")]
struct ReviewPage {
    p: PageCtx,
    /// (edit link, name, number of drafts)
    pages: Vec<(String, String, i64)>,
}

/// Editors: the mayors' pages with drafts waiting, the longest waiting first.
pub async fn review(State(state): State<AppState>, lang: Lang, ctx: Ctx) -> AppResult<Response> {
    let mut waiting = repo::mayor_drafts(&state.db).await?;
    // A waiting photo counts as one more draft of its page.
    for (id, uk, en, _) in repo::photo_drafts(&state.db).await? {
        match waiting.iter_mut().find(|(p, _, _, _)| *p == id) {
            Some(line) => line.3 += 1,
            None => waiting.push((id, uk, en, 1)),
        }
    }
    let pages = waiting
        .into_iter()
        .map(|(id, uk, en, n)| {
            let name = match lang {
                Lang::En if !en.is_empty() => en,
                _ => uk,
            };
            (format!("/{}/people/{id}/mayor/edit", lang.code()), name, n)
        })
        .collect();
    Ok(render(&ReviewPage {
        p: PageCtx::new(&ctx, "mayor-review-title"),
        pages,
    })?
    .into_response())
}
