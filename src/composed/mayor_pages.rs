//! Mayors' pages: the public page in each language (with the Ukrainian text where the English
//! one is missing, said so), the edit form for the person, their club delegates and editors,
//! the editors' publishing, the editors' list of pages waiting for review, and the photo.
//! Composed: the page and its texts belong to people, but a club member has one too and the
//! member's delegates may edit it, and the club stands on people (admission records the person
//! and the head's post). Who may do what, and the changes, are `crate::club::mayor_page`'s.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::club::mayor_page::{self as use_case, is_editor, photo_version, text_of};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::people::mayor::{self, Field, MAX_TEXT};
use crate::people::repo::{self, Person};
use crate::state::AppState;
use crate::web::extract::{Form, Query};
use crate::web::page::DoneQuery;
use crate::web::page::{paragraphs, render};
use crate::web::{Ctx, PageCtx};

#[derive(Deserialize)]
pub struct IdPath {
    id: i64,
}

/// The publishing form's checkbox for a photo waiting for review; its value is the version
/// of the photo the editor saw.
const PHOTO_CHECKBOX: &str = "pub_photo";

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

fn back_to_edit(lang: Lang, id: i64, done: &str) -> Response {
    Redirect::to(&format!(
        "/{}/people/{id}/mayor/edit?done={done}",
        lang.code()
    ))
    .into_response()
}

/// The public page.
pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<IdPath>,
) -> AppResult<Response> {
    let person = use_case::mayor(&state.db, path.id).await?;
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
        Some(p) => use_case::may_edit(&state.db, p, &person).await?,
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
                    let name = mayor::slot(field, l);
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

async fn editable(db: &Db, ctx: &Ctx, id: i64) -> AppResult<Person> {
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    use_case::editable(db, principal, id).await
}

/// The edit form.
pub async fn edit_form(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<IdPath>,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    let person = editable(&state.db, &ctx, path.id).await?;
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

/// Saves the drafts that changed; each field and language keeps its own state. A text too
/// long comes back on the form with what was typed.
pub async fn save(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<IdPath>,
    Form(form): Form<HashMap<String, String>>,
) -> AppResult<Response> {
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let drafts: Vec<(Field, Lang, String)> = Field::ALL
        .into_iter()
        .flat_map(|f| [(f, Lang::Uk), (f, Lang::En)])
        .filter_map(|(f, l)| form.get(&mayor::slot(f, l)).map(|v| (f, l, v.clone())))
        .collect();
    match use_case::save_drafts(&state.db, principal, &ctx.ip, path.id, &drafts).await {
        Ok(person) => Ok(back_to_edit(lang, person.id, "saved")),
        Err(AppError::Invalid(errors)) => {
            let person = editable(&state.db, &ctx, path.id).await?;
            let errors = errors.into_iter().map(|(f, k)| (f, lang.t(&k))).collect();
            let page = edit_page(&state, &ctx, person, Some(&form), errors, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
        }
        Err(e) => Err(e),
    }
}

/// An editor publishes the drafts ticked on the form, and the photo whose version it carries.
pub async fn publish(
    State(db): State<Db>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<IdPath>,
    Form(form): Form<HashMap<String, String>>,
) -> AppResult<Response> {
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let chosen: Vec<(Field, Lang)> = Field::ALL
        .into_iter()
        .flat_map(|f| [(f, Lang::Uk), (f, Lang::En)])
        .filter(|(f, l)| form.contains_key(&format!("pub_{}", mayor::slot(*f, *l))))
        .collect();
    let photo = form.get(PHOTO_CHECKBOX).map(String::as_str);
    let p = principal;
    let person = use_case::publish(&db, p, &ctx.ip, path.id, &chosen, photo).await?;
    Ok(back_to_edit(lang, person.id, "published"))
}

/// Uploads (or replaces) the photo: resized, re-encoded, without the upload's metadata.
pub async fn upload_photo(
    State(db): State<Db>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<IdPath>,
    multipart: axum::extract::Multipart,
) -> AppResult<Response> {
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let up = use_case::upload_photo(&db, principal, &ctx.ip, path.id, multipart).await?;
    let done = if up.published {
        "photo"
    } else {
        "photo-waiting"
    };
    Ok(back_to_edit(lang, path.id, done))
}

/// Removes the photo, published and waiting alike.
pub async fn delete_photo(
    State(db): State<Db>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<IdPath>,
) -> AppResult<Response> {
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    use_case::delete_photo(&db, principal, &ctx.ip, path.id).await?;
    Ok(back_to_edit(lang, path.id, "photo-deleted"))
}

/// The photo itself. Its URL carries the upload time, so browsers may keep it for long.
pub async fn photo(State(db): State<Db>, Path(path): Path<IdPath>) -> AppResult<Response> {
    let photo = repo::photo(&db, path.id).await?.ok_or(AppError::NotFound)?;
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
    let person = editable(&state.db, &ctx, path.id).await?;
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
pub async fn review(State(db): State<Db>, lang: Lang, ctx: Ctx) -> AppResult<Response> {
    let mut waiting = repo::mayor_drafts(&db).await?;
    // A waiting photo counts as one more draft of its page.
    for (id, uk, en, _) in repo::photo_drafts(&db).await? {
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
