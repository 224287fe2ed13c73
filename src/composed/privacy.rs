//! A person's rights over their data: a download of everything hromada holds about them, and
//! erasure (what it removes and keeps: `crate::club::privacy`, whose use case the form runs).
//! Composed: it reaches into people and the club, and the club stands on people.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::clock::now;
use crate::club::privacy;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::people::repo::{self, Person};
use crate::state::AppState;
use crate::web::extract::Form;
use crate::web::page::render;
use crate::web::{Ctx, PageCtx};

#[derive(Deserialize)]
pub struct IdPath {
    id: i64,
}

/// The person themself, or an admin acting on their request.
async fn own_or_admin(db: &Db, ctx: &Ctx, id: i64) -> AppResult<Person> {
    let p = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    privacy::own_or_admin(db, p, id).await
}

#[derive(Serialize)]
struct Export {
    generated_at: chrono::DateTime<chrono::Utc>,
    note: &'static str,
    person: serde_json::Value,
    posts: Vec<serde_json::Value>,
    mayor_page: Vec<serde_json::Value>,
    photo_jpeg_base64: Option<String>,
    /// A photo uploaded and waiting for an editor's review.
    photo_waiting_jpeg_base64: Option<String>,
    club_memberships: Vec<serde_json::Value>,
    club_delegates: Vec<serde_json::Value>,
    club_applications: Vec<serde_json::Value>,
}

/// Everything about the person, as a JSON file.
pub async fn export(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(path): Path<IdPath>,
) -> AppResult<Response> {
    let person = own_or_admin(&state.db, &ctx, path.id).await?;
    let db = &state.db;
    let posts = repo::posts_of_person(db, person.id)
        .await?
        .into_iter()
        .map(|p| {
            json!({ "kind": p.kind, "community": p.unit_code, "since": p.since_on,
                    "until": p.until_on, "end_reason": p.end_reason })
        })
        .collect();
    let mayor_page = repo::mayor_texts(db, person.id)
        .await?
        .into_iter()
        .map(|t| {
            json!({ "field": t.field, "lang": t.lang, "draft": t.draft,
                    "published": t.published, "state": t.state, "edited_at": t.edited_at })
        })
        .collect();
    let photo = repo::photo(db, person.id)
        .await?
        .map(|p| base64::engine::general_purpose::STANDARD.encode(p.bytes));
    let club_memberships = crate::club::repo::memberships_of(db, person.id)
        .await?
        .into_iter()
        .map(|m| json!({ "since": m.since_on, "listed": m.is_listed, "resigned": m.resigned_on }))
        .collect();
    let club_delegates = crate::club::repo::delegates(db, person.id)
        .await?
        .into_iter()
        .map(|d| json!({ "name": d.display_name, "email": d.email, "since": d.created_at }))
        .collect();
    let photo_waiting = repo::photo_draft(db, person.id)
        .await?
        .map(|p| base64::engine::general_purpose::STANDARD.encode(p.bytes));
    let mut club_applications = Vec::new();
    for email in privacy::verified_addresses(db, &person).await? {
        for a in crate::club::repo::applications_of(db, &email).await? {
            club_applications.push(json!({
                "name": a.name, "community": a.community_code, "term_since": a.term_since_on,
                "term_until": a.term_until_on, "email": a.email, "phone": a.phone,
                "motivation": a.motivation, "lang": a.lang, "status": a.status,
                "sent_at": a.created_at, "decided_at": a.decided_at }));
        }
    }
    let export = Export {
        generated_at: now(),
        note: "Everything hromada holds about this person, except entries of the audit log, \
               which the association keeps as its record of changes.",
        person: json!({ "id": person.id, "name_uk": person.name_uk, "name_en": person.name_en,
                        "email": person.email, "email_verified_at": person.email_verified_at,
                        "phone": person.phone,
                        "email_public": person.is_email_public,
                        "phone_public": person.is_phone_public,
                        "erased_at": person.erased_at }),
        posts,
        mayor_page,
        photo_jpeg_base64: photo,
        photo_waiting_jpeg_base64: photo_waiting,
        club_memberships,
        club_delegates,
        club_applications,
    };
    let body = serde_json::to_vec_pretty(&export).map_err(|e| AppError::Internal(e.into()))?;
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"hromada-person-{}.json\"",
        person.id
    )) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(response)
}

#[derive(Template)]
#[template(path = "people/erase.html")]
struct ErasePage {
    p: PageCtx,
    person: Person,
    keeps_name: bool,
}

/// What erasure removes and keeps, and the confirmation.
pub async fn erase_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(path): Path<IdPath>,
) -> AppResult<Response> {
    let person = own_or_admin(&state.db, &ctx, path.id).await?;
    let keeps_name = !repo::posts_of_person(&state.db, person.id)
        .await?
        .is_empty();
    Ok(render(&ErasePage {
        p: PageCtx::new(&ctx, "privacy-erase-title"),
        person,
        keeps_name,
    })?
    .into_response())
}

#[derive(Deserialize, Default)]
pub struct EraseForm {
    #[serde(default)]
    confirm: Option<String>,
}

/// The person (or an admin) confirms the erasure.
pub async fn erase(
    State(db): State<Db>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<IdPath>,
    Form(form): Form<EraseForm>,
) -> AppResult<Response> {
    let p = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let confirmed = form.confirm.is_some();
    privacy::erase(&db, p, &ctx.ip, path.id, confirmed).await?;
    Ok(Redirect::to(&format!("/{}/people/{}", lang.code(), path.id)).into_response())
}
