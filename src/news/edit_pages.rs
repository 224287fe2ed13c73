//! The editors' news pages: every item by state, the form to write or change one (both
//! languages side by side, sectors, communities, source), and the moves between states.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{Draft, Move, actions, repo};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::web::extract::{Form, Query};
use crate::web::page::DoneQuery;
use crate::web::page::render;
use crate::web::{Ctx, PageCtx};
use crate::work::Actor;

pub struct Line {
    pub id: i64,
    pub title: String,
    pub state: super::State,
    pub state_label: String,
    pub updated: String,
    pub author: String,
}

#[derive(Template)]
#[template(path = "news/manage.html")]
struct ManagePage {
    p: PageCtx,
    lines: Vec<Line>,
    states: Vec<(String, String)>,
    state: String,
    total: i64,
}

#[derive(Deserialize, Default)]
pub struct ManageQuery {
    /// Empty for every state; an unknown state is refused (400).
    #[serde(default, deserialize_with = "crate::db::text_enum::empty_as_none")]
    state: Option<super::State>,
}

pub async fn manage(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Query(q): Query<ManageQuery>,
) -> AppResult<Response> {
    let page = PageCtx::new(&ctx, "news-manage-title");
    let (items, total) = repo::by_state(&state.db, q.state, 200, 0).await?;
    let lines = items
        .iter()
        .map(|i| {
            let (title, _, _, _) = super::pages::texts(i, lang);
            Line {
                id: i.id,
                title: title.to_string(),
                state_label: lang.t(&format!("news-state-{}", i.state)),
                state: i.state,
                updated: page.when(&i.updated_at),
                author: i.author.clone().unwrap_or_default(),
            }
        })
        .collect();
    Ok(render(&ManagePage {
        p: page,
        lines,
        states: super::State::ALL
            .iter()
            .map(|s| {
                (
                    s.code().to_string(),
                    lang.t(&format!("news-state-{}", s.code())),
                )
            })
            .collect(),
        state: q.state.map_or("", super::State::code).to_string(),
        total,
    })?
    .into_response())
}

#[derive(Template)]
#[template(path = "news/edit.html")]
struct EditPage {
    p: PageCtx,
    /// `None` for a new item.
    id: Option<i64>,
    draft: Draft,
    sectors: Vec<(String, String)>,
    errors: Vec<(String, String)>,
    /// `None` for a new item.
    state: Option<super::State>,
    moves: Vec<(&'static str, String)>,
    notice: Option<String>,
    cover: Option<repo::CoverMeta>,
}

async fn edit_page(
    state: &AppState,
    ctx: &Ctx,
    id: Option<i64>,
    draft: Draft,
    item_state: Option<super::State>,
    errors: Vec<(String, String)>,
    notice: Option<String>,
) -> AppResult<EditPage> {
    let lang = ctx.lang;
    let sectors = repo::sectors(&state.db).await?;
    let moves = item_state
        .map(Move::offered)
        .unwrap_or_default()
        .into_iter()
        .map(|m| (m.code(), lang.t(&format!("news-move-{}", m.code()))))
        .collect();
    let cover = match id {
        Some(id) => repo::cover_meta(&state.db, id).await?,
        None => None,
    };
    Ok(EditPage {
        cover,
        p: PageCtx::new(
            ctx,
            if id.is_some() {
                "news-edit-title"
            } else {
                "news-new-title"
            },
        ),
        id,
        draft,
        sectors: sectors
            .iter()
            .map(|s| (s.slug.clone(), super::pages::sector_name(s, lang)))
            .collect(),
        errors: errors.into_iter().map(|(f, k)| (f, lang.t(&k))).collect(),
        state: item_state,
        moves,
        notice,
    })
}

pub async fn new_form(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    Ok(
        render(&edit_page(&state, &ctx, None, Draft::default(), None, Vec::new(), None).await?)?
            .into_response(),
    )
}

/// The form's fields as a draft; sectors come as repeated `sectors` fields.
fn draft_of(pairs: Vec<(String, String)>) -> Draft {
    let mut d = Draft::default();
    for (k, v) in pairs {
        match k.as_str() {
            "title_uk" => d.title_uk = v,
            "title_en" => d.title_en = v,
            "summary_uk" => d.summary_uk = v,
            "summary_en" => d.summary_en = v,
            "body_uk" => d.body_uk = v,
            "body_en" => d.body_en = v,
            "source_url" => d.source_url = v,
            "units" => d.units = v,
            "sectors" => d.sectors.push(v),
            "top_pick" => d.top_pick = true,
            _ => {}
        }
    }
    d
}

pub async fn create(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    actor: Actor,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let draft = draft_of(pairs);
    match actions::create(&state, &actor, actor.user_id, &draft).await {
        Ok(id) => Ok(
            Redirect::to(&format!("/{}/news/{id}/edit?done=created", lang.code())).into_response(),
        ),
        Err(AppError::Invalid(errors)) => {
            let page = edit_page(&state, &ctx, None, draft, None, errors, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub struct IdPath {
    pub id: i64,
}

pub async fn edit_form(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<IdPath>,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    let item = repo::item(&state.db, path.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let sectors = repo::item_sectors(&state.db, &[item.id])
        .await?
        .into_iter()
        .map(|(_, slug)| slug)
        .collect();
    let units = repo::item_units(&state.db, item.id).await?.join(" ");
    let draft = Draft {
        title_uk: item.title_uk,
        title_en: item.title_en,
        summary_uk: item.summary_uk,
        summary_en: item.summary_en,
        body_uk: item.body_uk,
        body_en: item.body_en,
        source_url: item.source_url,
        sectors,
        units,
        top_pick: item.is_top_pick,
    };
    let notice = q
        .done
        .as_deref()
        .filter(|d| {
            [
                "created",
                "saved",
                "submit",
                "publish",
                "withdraw",
                "rework",
                "cover",
                "cover-deleted",
            ]
            .contains(d)
        })
        .map(|d| lang.t(&format!("news-done-{d}")));
    let page = edit_page(
        &state,
        &ctx,
        Some(item.id),
        draft,
        Some(item.state),
        Vec::new(),
        notice,
    )
    .await?;
    Ok(render(&page)?.into_response())
}

pub async fn update(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    actor: Actor,
    Path(path): Path<IdPath>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let item = repo::item(&state.db, path.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let draft = draft_of(pairs);
    match actions::update(&state, &actor, item.id, &draft).await {
        Ok(()) => Ok(Redirect::to(&format!(
            "/{}/news/{}/edit?done=saved",
            lang.code(),
            item.id
        ))
        .into_response()),
        Err(AppError::Invalid(errors)) => {
            let page = edit_page(
                &state,
                &ctx,
                Some(item.id),
                draft,
                Some(item.state),
                errors,
                None,
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub struct MoveForm {
    #[serde(rename = "move")]
    to: Move,
}

pub async fn move_item(
    State(state): State<AppState>,
    lang: Lang,
    actor: Actor,
    Path(path): Path<IdPath>,
    Form(form): Form<MoveForm>,
) -> AppResult<Response> {
    actions::move_item(&state, &actor, path.id, form.to).await?;
    Ok(Redirect::to(&format!(
        "/{}/news/{}/edit?done={}",
        lang.code(),
        path.id,
        form.to
    ))
    .into_response())
}
