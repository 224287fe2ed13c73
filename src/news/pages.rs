//! Public news pages: the list per language with filters (sector, community, oblast, dates) and
//! paging, and an item with its sectors, communities, source and related items. Where the
//! item lacks the page's language the page says so and shows the other.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;

use super::repo::{self, Filter, ItemRow, SectorRow};
pub use super::{sector_name, texts};
use crate::clock::kyiv_midnight;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::registry::UnitCode;
use crate::state::AppState;
use crate::web::extract::Query;
use crate::web::page::render;
use crate::web::{Ctx, PageCtx};

/// An item as a line in a list, in the reader's language where it has it.
pub struct Entry {
    pub id: i64,
    pub href: String,
    pub title: String,
    pub summary: String,
    /// Set when shown in the other language: its code.
    pub other_lang: Option<&'static str>,
    pub date: String,
    pub sectors: Vec<String>,
    pub is_demo: bool,
    /// For search results: the passage with the words found marked (escaped HTML).
    pub snippet: String,
}

fn kyiv_date(t: &DateTime<Utc>) -> String {
    t.with_timezone(&chrono_tz::Europe::Kyiv)
        .format("%Y-%m-%d")
        .to_string()
}

/// List lines for items, with their sectors' names.
pub async fn entries(
    db: &Db,
    items: &[ItemRow],
    sectors: &[SectorRow],
    lang: Lang,
) -> AppResult<Vec<Entry>> {
    let ids: Vec<i64> = items.iter().map(|i| i.id).collect();
    let links = repo::item_sectors(db, &ids).await?;
    Ok(items
        .iter()
        .map(|item| {
            let (title, summary, _, other) = texts(item, lang);
            Entry {
                id: item.id,
                href: format!("/{}/news/{}", lang.code(), item.id),
                title: title.to_string(),
                summary: summary.to_string(),
                other_lang: other.map(Lang::code),
                date: item
                    .published_at
                    .as_ref()
                    .map(kyiv_date)
                    .unwrap_or_default(),
                sectors: links
                    .iter()
                    .filter(|(id, _)| *id == item.id)
                    .filter_map(|(_, slug)| sectors.iter().find(|s| &s.slug == slug))
                    .map(|s| sector_name(s, lang))
                    .collect(),
                is_demo: item.is_demo,
                snippet: String::new(),
            }
        })
        .collect())
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    sector: String,
    #[serde(default, deserialize_with = "crate::registry::code::blank_as_none")]
    community: Option<UnitCode>,
    #[serde(default, deserialize_with = "crate::registry::code::blank_as_none")]
    oblast: Option<UnitCode>,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    /// Words to search for (ranked results instead of the newest first).
    #[serde(default)]
    pub q: String,
    page: Option<usize>,
}

impl ListQuery {
    pub fn new(
        sector: &str,
        community: Option<UnitCode>,
        oblast: Option<UnitCode>,
        from: &str,
        to: &str,
    ) -> ListQuery {
        ListQuery {
            sector: sector.to_string(),
            community,
            oblast,
            from: from.to_string(),
            to: to.to_string(),
            q: String::new(),
            page: None,
        }
    }
}

/// Turns the list's query into a filter; a bad value is a 400 naming it.
pub async fn filter_of(state: &AppState, q: &ListQuery) -> AppResult<Filter> {
    let date = |s: &str| -> AppResult<Option<NaiveDate>> {
        match s.trim() {
            "" => Ok(None),
            s => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| AppError::BadRequest("news-error-date")),
        }
    };
    let from = date(&q.from)?;
    let to = date(&q.to)?;
    if let (Some(a), Some(b)) = (from, to)
        && a > b
    {
        return Err(AppError::BadRequest("news-error-date-order"));
    }
    let sectors = repo::sectors(&state.db).await?;
    if !q.sector.is_empty() && !sectors.iter().any(|s| s.slug == q.sector) {
        return Err(AppError::BadRequest("news-error-sector"));
    }
    let snap = crate::registry::snapshot::current(state).await?;
    for code in [&q.community, &q.oblast].into_iter().flatten() {
        if snap.find(code.as_str()).is_none() {
            return Err(AppError::BadRequest("news-error-unit"));
        }
    }
    Ok(Filter {
        sector: q.sector.clone(),
        unit: q
            .community
            .as_ref()
            .map_or("", UnitCode::as_str)
            .to_string(),
        oblast: q.oblast.as_ref().map_or("", UnitCode::as_str).to_string(),
        from: from.and_then(kyiv_midnight),
        until: to.and_then(|d| d.succ_opt()).and_then(kyiv_midnight),
    })
}

/// Searches the published news: ranked entries with their snippets, and the total.
pub async fn search(
    state: &AppState,
    words: &str,
    lang: Lang,
    limit: usize,
    offset: usize,
) -> AppResult<(Vec<Entry>, i64)> {
    let (hits, total) = super::search::find(state, words, lang, limit, offset).await?;
    let items: Vec<ItemRow> = hits.iter().map(|(item, _)| item.clone()).collect();
    let sectors = repo::sectors(&state.db).await?;
    let mut list = entries(&state.db, &items, &sectors, lang).await?;
    for (e, (_, snippet)) in list.iter_mut().zip(hits) {
        e.snippet = snippet;
    }
    Ok((list, total))
}

/// The latest published items about a unit, for its registry page: (link, title, date).
pub async fn latest_about(
    db: &Db,
    code: &str,
    lang: Lang,
    limit: i64,
) -> AppResult<Vec<(String, String, String)>> {
    let filter = Filter {
        unit: code.to_string(),
        ..Filter::default()
    };
    let items = repo::published_items(db, &filter, limit, 0).await?;
    Ok(items
        .iter()
        .map(|item| {
            let (title, _, _, _) = texts(item, lang);
            (
                format!("/{}/news/{}", lang.code(), item.id),
                title.to_string(),
                item.published_at
                    .as_ref()
                    .map(kyiv_date)
                    .unwrap_or_default(),
            )
        })
        .collect())
}

pub const PER_PAGE: usize = 20;

#[derive(Template)]
#[template(path = "news/list.html")]
struct ListPage {
    p: PageCtx,
    entries: Vec<Entry>,
    search: String,
    sectors: Vec<(String, String)>,
    oblasts: Vec<(String, String)>,
    sector: String,
    community: String,
    oblast: String,
    from: String,
    to: String,
    total: i64,
    page: usize,
    pages: usize,
    /// The query without `page`, for the paging links.
    query: String,
}

pub async fn list(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let filter = filter_of(&state, &q).await?;
    let page = q.page.unwrap_or(1).max(1);
    let sectors = repo::sectors(&state.db).await?;
    let (entries, total) = if q.q.trim().is_empty() {
        let (items, total) = repo::published(
            &state.db,
            &filter,
            PER_PAGE as i64,
            ((page - 1) * PER_PAGE) as i64,
        )
        .await?;
        (entries(&state.db, &items, &sectors, lang).await?, total)
    } else {
        search(&state, &q.q, lang, PER_PAGE, (page - 1) * PER_PAGE).await?
    };
    let snap = crate::registry::snapshot::current(&state).await?;
    let query = serde_urlencoded::to_string([
        ("q", q.q.as_str()),
        ("sector", q.sector.as_str()),
        (
            "community",
            q.community.as_ref().map_or("", UnitCode::as_str),
        ),
        ("oblast", q.oblast.as_ref().map_or("", UnitCode::as_str)),
        ("from", q.from.as_str()),
        ("to", q.to.as_str()),
    ])
    .unwrap_or_default();
    let html = render(&ListPage {
        p: PageCtx::new(&ctx, "news-title"),
        entries,
        search: q.q.clone(),
        sectors: sectors
            .iter()
            .map(|s| (s.slug.clone(), sector_name(s, lang)))
            .collect(),
        oblasts: snap
            .roots()
            .iter()
            .map(|&i| (snap.node(i).code.clone(), snap.node(i).title(lang)))
            .collect(),
        sector: q.sector,
        community: q.community.map(UnitCode::into_string).unwrap_or_default(),
        oblast: q.oblast.map(UnitCode::into_string).unwrap_or_default(),
        from: q.from,
        to: q.to,
        total,
        page,
        pages: (total as usize).div_ceil(PER_PAGE).max(1),
        query,
    })?;
    Ok(html.into_response())
}

#[derive(Deserialize)]
pub struct IdPath {
    id: i64,
}

#[derive(Template)]
#[template(path = "news/item.html")]
struct ItemPage {
    p: PageCtx,
    item: ItemRow,
    /// The cover: address, text alternative in the page's language (empty: decorative),
    /// width, height.
    cover: Option<(String, String, i64, i64)>,
    summary: String,
    body_html: String,
    /// When the item is shown in the other language: the notice and that language's code.
    fallback: Option<(String, &'static str)>,
    /// The other language's version, when the item has it: its link.
    other_version: Option<String>,
    date: String,
    sectors: Vec<(String, String)>,
    units: Vec<(String, String)>,
    related: Vec<Entry>,
}

/// A published item (editors also see unpublished ones, marked).
/// Whether the visitor edits news (and so may see items that are not published).
pub fn is_editor(ctx: &Ctx) -> bool {
    ctx.principal.as_ref().is_some_and(|p| {
        p.second_factor_ok()
            && (p.has_role(crate::identity::Role::Editor)
                || p.has_role(crate::identity::Role::Admin))
    })
}

/// An item the visitor may see: published, or any item for editors; else 404.
pub async fn visible_item(state: &AppState, ctx: &Ctx, id: i64) -> AppResult<ItemRow> {
    let item = repo::item(&state.db, id).await?.ok_or(AppError::NotFound)?;
    if item.state != super::State::Published && !is_editor(ctx) {
        return Err(AppError::NotFound);
    }
    Ok(item)
}

pub async fn item(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<IdPath>,
) -> AppResult<Response> {
    let item = visible_item(&state, &ctx, path.id).await?;
    let (title, summary, body, other) = texts(&item, lang);
    let has_other = match lang {
        Lang::Uk => !item.title_en.is_empty(),
        Lang::En => !item.title_uk.is_empty(),
    };
    let sectors_all = repo::sectors(&state.db).await?;
    let links = repo::item_sectors(&state.db, &[item.id]).await?;
    let snap = crate::registry::snapshot::current(&state).await?;
    let units = repo::item_units(&state.db, item.id)
        .await?
        .into_iter()
        .filter_map(|code| snap.find(&code))
        .map(|i| {
            (
                format!("/{}/units/{}", lang.code(), snap.node(i).code),
                snap.node(i).title(lang),
            )
        })
        .collect();
    let related = repo::related(&state.db, item.id, 5).await?;
    let cover = repo::cover_meta(&state.db, item.id).await?.map(|c| {
        let alt = match lang {
            Lang::Uk => c.alt_uk,
            Lang::En => c.alt_en,
        };
        (format!("/covers/news/{}", item.id), alt, c.width, c.height)
    });
    Ok(render(&ItemPage {
        cover,
        p: PageCtx::new(&ctx, "news-title").with_title(title.to_string()),
        summary: summary.to_string(),
        body_html: body.to_string(),
        fallback: other.map(|l| (lang.t(&format!("news-fallback-{}", l.code())), l.code())),
        other_version: (has_other && other.is_none())
            .then(|| format!("/{}/news/{}", lang.other().code(), item.id)),
        date: item
            .published_at
            .as_ref()
            .map(kyiv_date)
            .unwrap_or_default(),
        sectors: links
            .iter()
            .filter_map(|(_, slug)| sectors_all.iter().find(|s| &s.slug == slug))
            .map(|s| {
                (
                    format!("/{}/news?sector={}", lang.code(), s.slug),
                    sector_name(s, lang),
                )
            })
            .collect(),
        units,
        related: entries(&state.db, &related, &sectors_all, lang).await?,
        item,
    })?
    .into_response())
}
