//! The club as members and the public see it: the public club page with the members who
//! agreed to be listed, and a member's own page (being listed, delegates, resigning), which
//! also shows a delegate whom they act for.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{actions, repo};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::web::extract::{Form, Query};
use crate::web::page::DoneQuery;
use crate::web::page::render;
use crate::web::{Ctx, PageCtx};

pub struct MemberLine {
    pub name: String,
    pub href: String,
    pub community: String,
    pub since: String,
    pub is_demo: bool,
}

#[derive(Template)]
#[template(path = "club/club.html")]
struct ClubPage {
    p: PageCtx,
    members: Vec<MemberLine>,
    /// Every current member, listed or not.
    total: i64,
    hidden: i64,
}

fn name_in(lang: Lang, uk: &str, en: &str) -> String {
    match lang {
        Lang::Uk => uk.to_string(),
        Lang::En if en.is_empty() => uk.to_string(),
        Lang::En => en.to_string(),
    }
}

/// The public club page.
pub async fn club(State(state): State<AppState>, lang: Lang, ctx: Ctx) -> AppResult<Response> {
    let snap = crate::registry::snapshot::current(&state).await?;
    let listed = repo::members(&state.db, true).await?;
    let communities = repo::member_communities(&state.db).await?;
    let total = repo::count_members(&state.db).await?;
    let members: Vec<MemberLine> = listed
        .into_iter()
        .map(|m| MemberLine {
            name: name_in(lang, &m.name_uk, &m.name_en),
            href: format!("/{}/people/{}/mayor", lang.code(), m.person_id),
            community: communities
                .iter()
                .find(|(id, _)| *id == m.person_id)
                .and_then(|(_, code)| snap.find(code))
                .map(|i| snap.node(i).title(lang))
                .unwrap_or_default(),
            since: m.since_on.to_string(),
            is_demo: m.is_demo,
        })
        .collect();
    let hidden = total - members.len() as i64;
    Ok(render(&ClubPage {
        p: PageCtx::new(&ctx, "club-title"),
        members,
        total,
        hidden,
    })?
    .into_response())
}

pub struct DelegateLine {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub since: String,
}

#[derive(Template)]
#[template(path = "club/me.html")]
struct MePage {
    p: PageCtx,
    member: Option<repo::MemberRow>,
    delegates: Vec<DelegateLine>,
    /// Members the account acts for: (mayor page edit link, name).
    acting_for: Vec<(String, String)>,
    notice: Option<String>,
}

/// A member's own club page; for a delegate, the members they act for.
pub async fn me(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let member = actions::own_membership(&state.db, principal).await?;
    let page = PageCtx::new(&ctx, "club-me-title");
    let delegates = match &member {
        Some(m) => repo::delegates(&state.db, m.person_id)
            .await?
            .into_iter()
            .map(|d| DelegateLine {
                id: d.id,
                since: page.when(&d.created_at),
                name: d.display_name,
                email: d.email,
            })
            .collect(),
        None => Vec::new(),
    };
    let acting_for = repo::delegated_to(&state.db, principal.user.id)
        .await?
        .into_iter()
        .map(|(id, uk, en)| {
            (
                format!("/{}/people/{id}/mayor/edit", lang.code()),
                name_in(lang, &uk, &en),
            )
        })
        .collect();
    let notice = q
        .done
        .as_deref()
        .filter(|d| ["listed", "unlisted", "resigned", "named", "revoked"].contains(d))
        .map(|d| lang.t(&format!("club-done-{d}")));
    Ok(render(&MePage {
        p: page,
        member,
        delegates,
        acting_for,
        notice,
    })?
    .into_response())
}

fn back(lang: Lang, done: &str) -> Response {
    Redirect::to(&format!("/{}/club/me?done={done}", lang.code())).into_response()
}

#[derive(Deserialize, Default)]
pub struct ListingForm {
    #[serde(default)]
    listed: Option<String>,
}

pub async fn set_listed(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Form(form): Form<ListingForm>,
) -> AppResult<Response> {
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let listed = form.listed.is_some();
    actions::set_listed(&state.db, principal, &ctx.ip, listed).await?;
    Ok(back(lang, if listed { "listed" } else { "unlisted" }))
}

#[derive(Deserialize, Default)]
pub struct ResignForm {
    #[serde(default)]
    confirm: Option<String>,
}

pub async fn resign(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Form(form): Form<ResignForm>,
) -> AppResult<Response> {
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    if form.confirm.is_none() {
        return Err(AppError::field("confirm", "club-error-confirm"));
    }
    actions::resign(&state.db, principal, &ctx.ip).await?;
    Ok(back(lang, "resigned"))
}

#[derive(Deserialize, Default)]
pub struct DelegateForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
}

pub async fn name_delegate(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Form(form): Form<DelegateForm>,
) -> AppResult<Response> {
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    actions::name_delegate(&state, principal, &ctx.ip, &form.email, &form.name, lang).await?;
    Ok(back(lang, "named"))
}

#[derive(Deserialize)]
pub struct IdPath {
    id: i64,
}

pub async fn revoke_delegate(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<IdPath>,
) -> AppResult<Response> {
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    actions::revoke_delegate(&state.db, principal, &ctx.ip, path.id).await?;
    Ok(back(lang, "revoked"))
}
