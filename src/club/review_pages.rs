//! The committee's pages: every application with its review count, and one application with
//! the members' reviews and the form to give (or change) one's own.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;

use super::{Recommendation, Status, is_open, repo};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::web::extract::{Form, Query};
use crate::web::page::render;
use crate::web::{AppState, Ctx, PageCtx};

pub struct Line {
    pub id: i64,
    pub name: String,
    pub community: String,
    pub status: String,
    pub reviews: i64,
    pub created: String,
}

#[derive(Template)]
#[template(path = "club/review_list.html")]
struct ListPage {
    p: PageCtx,
    lines: Vec<Line>,
}

fn status_label(lang: Lang, status: &str) -> String {
    Status::parse(status)
        .map(|s| lang.t(&format!("club-status-{}", s.code())))
        .unwrap_or_else(|| status.to_string())
}

pub async fn list(State(state): State<AppState>, lang: Lang, ctx: Ctx) -> AppResult<Response> {
    let snap = state.registry.get(&state.db).await?;
    let page = PageCtx::new(&ctx, "club-review-title");
    let lines = repo::applications(&state.db)
        .await?
        .into_iter()
        .map(|(a, reviews)| Line {
            id: a.id,
            community: snap
                .find(&a.community_code)
                .map(|i| snap.node(i).title(lang))
                .unwrap_or_else(|| a.community_code.clone()),
            status: status_label(lang, &a.status),
            created: page.when(&a.created_at),
            name: a.name,
            reviews,
        })
        .collect();
    Ok(render(&ListPage { p: page, lines })?.into_response())
}

#[derive(Deserialize)]
pub struct IdPath {
    id: i64,
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    done: Option<String>,
}

pub struct ReviewLine {
    pub reviewer: String,
    pub recommendation: String,
    pub comment: String,
    pub when: String,
}

#[derive(Template)]
#[template(path = "club/review.html")]
struct ReviewPage {
    p: PageCtx,
    a: repo::ApplicationRow,
    community: String,
    status: String,
    reviews: Vec<ReviewLine>,
    open: bool,
    choices: Vec<(&'static str, String)>,
    notice: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<IdPath>,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    let a = repo::application(&state.db, path.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let snap = state.registry.get(&state.db).await?;
    let page = PageCtx::new(&ctx, "club-review-title").with_title(a.name.clone());
    let reviews = repo::reviews(&state.db, a.id)
        .await?
        .into_iter()
        .map(|r| ReviewLine {
            recommendation: lang.t(&format!("club-recommend-{}", r.recommendation)),
            when: page.when(&r.created_at),
            reviewer: r.reviewer,
            comment: r.comment,
        })
        .collect();
    Ok(render(&ReviewPage {
        community: snap
            .find(&a.community_code)
            .map(|i| snap.node(i).title(lang))
            .unwrap_or_else(|| a.community_code.clone()),
        status: status_label(lang, &a.status),
        open: is_open(&a.status),
        choices: Recommendation::ALL
            .iter()
            .map(|r| (r.code(), lang.t(&format!("club-recommend-{}", r.code()))))
            .collect(),
        notice: (q.done.as_deref() == Some("reviewed")).then(|| lang.t("club-reviewed")),
        p: page,
        reviews,
        a,
    })?
    .into_response())
}

#[derive(Deserialize, Default)]
pub struct ReviewForm {
    #[serde(default)]
    recommendation: String,
    #[serde(default)]
    comment: String,
}

/// A committee member gives (or changes) their review of an open application.
pub async fn review(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<IdPath>,
    Form(form): Form<ReviewForm>,
) -> AppResult<Response> {
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let a = repo::application(&state.db, path.id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !is_open(&a.status) {
        return Err(AppError::Conflict("club-error-closed"));
    }
    let recommendation = Recommendation::parse(&form.recommendation).ok_or(AppError::field(
        "recommendation",
        "club-error-recommendation",
    ))?;
    let comment = form.comment.trim();
    if comment.is_empty() || comment.chars().count() > 5000 {
        return Err(AppError::field("comment", "club-error-comment"));
    }
    let now = crate::auth::now();
    let actor = crate::auth::Actor::of(principal, &ctx.ip);
    let mut tx = state.db.begin().await?;
    repo::upsert_review(
        &mut tx,
        a.id,
        principal.user.id,
        recommendation.code(),
        comment,
        now,
    )
    .await?;
    crate::audit::repo::record(
        &mut tx,
        &actor,
        "review",
        "club_application",
        &a.id.to_string(),
        json!({ "recommendation": recommendation.code(), "comment": comment }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!(
        "/{}/club/review/{}?done=reviewed",
        lang.code(),
        a.id
    ))
    .into_response())
}
