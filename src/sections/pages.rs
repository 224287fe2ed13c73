//! A section's page: its purpose, coordinators and announcements for everyone; its members and
//! materials for its members; requests to join, announcements, materials and the purpose for
//! its coordinators (and admins). The changes are use cases in `actions.rs`; these handlers
//! read the form and answer with the page.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::actions::{self, Decision};
use super::{MAX_MATERIAL_BYTES, MemberStatus, may_coordinate, repo};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::identity::Principal;
use crate::members::repo::Section;
use crate::state::AppState;
use crate::web::extract::{Form, Query};
use crate::web::page::DoneQuery;
use crate::web::page::render;
use crate::web::{Ctx, PageCtx};

#[derive(Deserialize)]
pub struct SlugPath {
    slug: String,
}

#[derive(Deserialize)]
pub struct ItemPath {
    slug: String,
    id: i64,
}

async fn section(db: &Db, slug: &str) -> AppResult<Section> {
    actions::section(db, slug).await
}

fn principal(ctx: &Ctx) -> AppResult<&Principal> {
    ctx.principal.as_ref().ok_or(AppError::LoginRequired)
}

fn back(lang: Lang, slug: &str, done: &str) -> Response {
    Redirect::to(&format!("/{}/sections/{slug}?done={done}", lang.code())).into_response()
}

pub struct MaterialLine {
    pub href: String,
    pub title: String,
    pub filename: String,
    pub size: String,
    pub when: String,
    pub id: i64,
}

pub struct AnnouncementLine {
    pub title: String,
    pub paragraphs: Vec<String>,
    pub lang: String,
    pub author: String,
    pub when: String,
}

#[derive(Template)]
#[template(path = "sections/section.html")]
struct SectionPage {
    p: PageCtx,
    s: Section,
    purpose: String,
    coordinators: Vec<String>,
    announcements: Vec<AnnouncementLine>,
    member_count: i64,
    /// The visitor's own request or membership: pending or approved.
    mine: Option<MemberStatus>,
    is_member: bool,
    coordinator: bool,
    members: Vec<repo::MemberRow>,
    pending: Vec<repo::MemberRow>,
    materials: Vec<MaterialLine>,
    notice: Option<String>,
    max_mb: i64,
}

fn size_label(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<SlugPath>,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    let s = section(&state.db, &path.slug).await?;
    let page = PageCtx::new(&ctx, "sections-title").with_title(match lang {
        Lang::Uk => s.name_uk.clone(),
        Lang::En => s.name_en.clone(),
    });
    let mine = match &ctx.principal {
        Some(p) => repo::membership(&state.db, s.id, p.user.id)
            .await?
            .map(|(_, status)| status),
        None => None,
    };
    let coordinator = ctx
        .principal
        .as_ref()
        .is_some_and(|p| may_coordinate(p, &s.slug));
    let is_member = coordinator || mine == Some(MemberStatus::Approved);
    let (members, pending, materials) = if is_member {
        let all = repo::members(&state.db, s.id).await?;
        let (pending, members): (Vec<_>, Vec<_>) = all
            .into_iter()
            .partition(|m| m.status == MemberStatus::Pending);
        let materials = repo::materials(&state.db, s.id)
            .await?
            .into_iter()
            .map(|m| MaterialLine {
                href: format!("/{}/sections/{}/materials/{}", lang.code(), s.slug, m.id),
                size: size_label(m.size_bytes),
                when: page.when(&m.uploaded_at),
                id: m.id,
                title: m.title,
                filename: m.filename,
            })
            .collect();
        (
            members,
            if coordinator { pending } else { Vec::new() },
            materials,
        )
    } else {
        (Vec::new(), Vec::new(), Vec::new())
    };
    let announcements = repo::announcements(&state.db, s.id, 20)
        .await?
        .into_iter()
        .map(|a| AnnouncementLine {
            paragraphs: crate::web::page::paragraphs(&a.body),
            when: page.when(&a.created_at),
            title: a.title,
            lang: a.lang,
            author: a.author,
        })
        .collect();
    let notice = q
        .done
        .as_deref()
        .filter(|d| {
            [
                "requested",
                "left",
                "approved",
                "declined",
                "announced",
                "uploaded",
                "deleted",
                "purpose",
            ]
            .contains(d)
        })
        .map(|d| lang.t(&format!("sections-done-{d}")));
    Ok(render(&SectionPage {
        p: page,
        purpose: match lang {
            Lang::Uk => s.purpose_uk.clone(),
            Lang::En if s.purpose_en.is_empty() => s.purpose_uk.clone(),
            Lang::En => s.purpose_en.clone(),
        },
        coordinators: repo::coordinators(&state.db, &s.slug).await?,
        member_count: repo::approved_count(&state.db, s.id).await?,
        announcements,
        mine,
        is_member,
        coordinator,
        members,
        pending,
        materials,
        notice,
        max_mb: (MAX_MATERIAL_BYTES / (1024 * 1024)) as i64,
        s,
    })?
    .into_response())
}

#[derive(Deserialize, Default)]
pub struct JoinForm {
    #[serde(default)]
    note: String,
}

/// A signed-in official asks to join; a coordinator decides.
pub async fn join(
    State(db): State<Db>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<SlugPath>,
    Form(form): Form<JoinForm>,
) -> AppResult<Response> {
    let p = principal(&ctx)?;
    actions::request_join(&db, p, &ctx.ip, &path.slug, &form.note).await?;
    Ok(back(lang, &path.slug, "requested"))
}

/// A member leaves, or withdraws a pending request.
pub async fn leave(
    State(db): State<Db>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<SlugPath>,
) -> AppResult<Response> {
    actions::leave(&db, principal(&ctx)?, &ctx.ip, &path.slug).await?;
    Ok(back(lang, &path.slug, "left"))
}

#[derive(Deserialize, Default)]
pub struct DecisionForm {
    /// Absent when no button named it (an unknown one is refused by the extractor).
    #[serde(default)]
    decision: Option<Decision>,
}

/// A coordinator approves or declines a request; or removes a member (`decision=remove`).
pub async fn decide(
    State(db): State<Db>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<ItemPath>,
    Form(form): Form<DecisionForm>,
) -> AppResult<Response> {
    let p = principal(&ctx)?;
    let decision = form
        .decision
        .ok_or(AppError::field("decision", "sections-error-decision"))?;
    actions::decide(&db, p, &ctx.ip, &path.slug, path.id, decision).await?;
    let done = match decision {
        Decision::Approve => "approved",
        Decision::Decline => "declined",
        Decision::Remove => "left",
    };
    Ok(back(lang, &path.slug, done))
}

#[derive(Deserialize, Default)]
pub struct AnnouncementForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
}

pub async fn announce(
    State(db): State<Db>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<SlugPath>,
    Form(form): Form<AnnouncementForm>,
) -> AppResult<Response> {
    let p = principal(&ctx)?;
    let text = (form.title.as_str(), form.body.as_str());
    actions::announce(&db, p, &ctx.ip, &path.slug, text, lang.code()).await?;
    Ok(back(lang, &path.slug, "announced"))
}

/// Reads a material upload's form (`title` and `file`), shared with the API. A body over the
/// route's limit is a field error on `file`, not a broken request.
pub(super) async fn read_upload(
    multipart: &mut axum::extract::Multipart,
) -> AppResult<actions::Upload> {
    let mut title = String::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    let failed = |e: axum::extract::multipart::MultipartError| {
        AppError::field(
            "file",
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                "sections-error-too-large"
            } else {
                "upload-error-failed"
            },
        )
    };
    while let Some(field) = multipart.next_field().await.map_err(failed)? {
        match field.name() {
            Some("title") => title = field.text().await.map_err(failed)?,
            Some("file") => {
                let name = field.file_name().unwrap_or_default().to_string();
                file = Some((name, field.bytes().await.map_err(failed)?.to_vec()));
            }
            _ => {}
        }
    }
    Ok(actions::Upload { title, file })
}

/// A coordinator uploads a document (title and file) for the members.
pub async fn upload(
    State(db): State<Db>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<SlugPath>,
    mut multipart: axum::extract::Multipart,
) -> AppResult<Response> {
    let p = principal(&ctx)?;
    // Refuse someone else's upload before reading megabytes of it.
    actions::coordinated(&db, p, &path.slug).await?;
    let upload = read_upload(&mut multipart).await?;
    actions::add_material(&db, p, &ctx.ip, &path.slug, &upload).await?;
    Ok(back(lang, &path.slug, "uploaded"))
}

/// Members (and coordinators) download a material.
pub async fn download(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(path): Path<ItemPath>,
) -> AppResult<Response> {
    let s = section(&state.db, &path.slug).await?;
    let p = principal(&ctx)?;
    let member = may_coordinate(p, &s.slug)
        || repo::membership(&state.db, s.id, p.user.id)
            .await?
            .is_some_and(|(_, st)| st == MemberStatus::Approved);
    if !member {
        return Err(AppError::Forbidden);
    }
    let (filename, content_type, bytes) = repo::material_file(&state.db, s.id, path.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    // RFC 6266: an ASCII fallback and the UTF-8 name.
    let ascii: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded = url::form_urlencoded::byte_serialize(filename.as_bytes())
        .collect::<String>()
        .replace('+', "%20");
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"
    )) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(response)
}

pub async fn delete_material(
    State(db): State<Db>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<ItemPath>,
) -> AppResult<Response> {
    let p = principal(&ctx)?;
    actions::delete_material(&db, p, &ctx.ip, &path.slug, path.id).await?;
    Ok(back(lang, &path.slug, "deleted"))
}

#[derive(Deserialize, Default)]
pub struct PurposeForm {
    #[serde(default)]
    purpose_uk: String,
    #[serde(default)]
    purpose_en: String,
}

/// A coordinator (or admin) rewrites the section's purpose in both languages.
pub async fn set_purpose(
    State(db): State<Db>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<SlugPath>,
    Form(form): Form<PurposeForm>,
) -> AppResult<Response> {
    let p = principal(&ctx)?;
    let purpose = (form.purpose_uk.as_str(), form.purpose_en.as_str());
    actions::set_purpose(&db, p, &ctx.ip, &path.slug, purpose).await?;
    Ok(back(lang, &path.slug, "purpose"))
}
