//! The Mayors' Club's public pages: the application form, and the page where an applicant
//! follows their application through the secret link the acknowledgement mail carries.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;

use super::{Draft, Status, check, repo};
use crate::auth::{Actor, new_secret, now, secret_hash};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::web::extract::{Form, Query};
use crate::web::page::render;
use crate::web::{AppState, Ctx, PageCtx};

#[derive(Template)]
#[template(path = "club/apply.html")]
struct ApplyPage {
    p: PageCtx,
    draft: Draft,
    errors: Vec<(String, String)>,
    /// Communities that match the name typed: (code, title).
    candidates: Vec<(String, String)>,
}

pub async fn apply_form(lang: Lang, ctx: Ctx) -> AppResult<Response> {
    let draft = Draft {
        lang: lang.code().to_string(),
        ..Draft::default()
    };
    Ok(render(&ApplyPage {
        p: PageCtx::new(&ctx, "club-apply-title"),
        draft,
        errors: Vec::new(),
        candidates: Vec::new(),
    })?
    .into_response())
}

#[derive(Deserialize, Default)]
pub struct ApplyForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    community: String,
    #[serde(default)]
    term_since: String,
    #[serde(default)]
    term_until: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    motivation: String,
    #[serde(default)]
    lang: String,
}

/// Applications accepted from one address in the rate-limit window (15 minutes): enough for a
/// regional office sending in several mayors' forms, too few for a flood.
pub const APPLICATIONS_PER_ADDRESS: u32 = 5;

/// A current or former head applies; nothing typed is lost when the form comes back.
pub async fn apply(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Form(form): Form<ApplyForm>,
) -> AppResult<Response> {
    let draft = Draft {
        name: form.name,
        community: form.community,
        term_since: form.term_since,
        term_until: form.term_until,
        email: form.email,
        phone: form.phone,
        motivation: form.motivation,
        lang: form.lang,
    };
    let address_key = format!("club:address:{}", ctx.ip);
    crate::auth::actions::limit(&state, &address_key, APPLICATIONS_PER_ADDRESS).await?;
    let snap = state.registry.get(&state.db).await?;
    let today = crate::members::actions::today();
    let refuse = |draft: Draft,
                  errors: Vec<(String, String)>,
                  candidates: Vec<usize>|
     -> AppResult<Response> {
        let page = ApplyPage {
            p: PageCtx::new(&ctx, "club-apply-title"),
            errors: errors
                .into_iter()
                .map(|(field, key)| (field, lang.t(&key)))
                .collect(),
            candidates: candidates
                .into_iter()
                .map(|i| (snap.node(i).code.clone(), snap.node(i).title(lang)))
                .collect(),
            draft,
        };
        Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
    };
    let application = match check(&draft, &snap, today) {
        Ok(a) => a,
        Err(r) => return refuse(draft, r.errors, r.candidates),
    };
    let token = new_secret("club.");
    let now = now();
    let mut tx = state.db.begin().await?;
    let id = match repo::insert(&mut tx, &application, &secret_hash(&token), now).await {
        Ok(id) => id,
        Err(e) if crate::db::is_unique_violation(&e) => {
            drop(tx);
            return refuse(
                draft,
                vec![("email".into(), "club-error-open".into())],
                Vec::new(),
            );
        }
        Err(e) => return Err(e.into()),
    };
    let link = state.link(&format!(
        "/{}/club/applications/{token}",
        application.lang.code()
    ));
    let msg = crate::mail::action_mail(
        application.lang,
        &application.email,
        &application.name,
        "club-received",
        &link,
        0,
    );
    crate::mail::repo::enqueue(&mut tx, &msg, &state.mail_domain(), now).await?;
    crate::audit::repo::record(
        &mut tx,
        &Actor::visitor(&application.email, &ctx.ip),
        "apply",
        "club_application",
        &id.to_string(),
        json!({ "name": application.name, "community": application.community_code,
                "lang": application.lang.code() }),
        now,
    )
    .await?;
    tx.commit().await?;
    crate::auth::actions::bump(&state, &address_key).await?;
    state.mail_wakeup.notify_one();
    Ok(Redirect::to(&format!(
        "/{}/club/applications/{token}?done=submitted",
        lang.code()
    ))
    .into_response())
}

#[derive(Deserialize)]
pub struct TokenPath {
    token: String,
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "club/application.html")]
struct ApplicationPage {
    p: PageCtx,
    a: repo::ApplicationRow,
    community: String,
    status: String,
    submitted: bool,
}

/// The applicant's view of their application, through the secret link.
pub async fn application(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<TokenPath>,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    if path.token.len() > 200 {
        return Err(AppError::NotFound);
    }
    let a = repo::by_token_hash(&state.db, &secret_hash(&path.token))
        .await?
        .ok_or(AppError::NotFound)?;
    let snap = state.registry.get(&state.db).await?;
    let community = snap
        .find(&a.community_code)
        .map(|i| snap.node(i).title(lang))
        .unwrap_or_else(|| a.community_code.clone());
    let status = Status::parse(&a.status)
        .map(|s| lang.t(&format!("club-status-{}", s.code())))
        .unwrap_or_else(|| a.status.clone());
    Ok(render(&ApplicationPage {
        p: PageCtx::new(&ctx, "club-application-title"),
        community,
        status,
        submitted: q.done.as_deref() == Some("submitted"),
        a,
    })?
    .into_response())
}
