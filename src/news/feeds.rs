//! Atom feeds of the news (per language, and per sector or community through the list's
//! filters) and the sitemap: an index of per-part sitemaps, each under the 50,000-address limit.

use atom_syndication::{Category, Content, Entry, Feed, FixedDateTime, Link, Person, Text};
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::pages::{ListQuery, filter_of, sector_name};
use super::repo;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::registry::UnitCode;
use crate::state::AppState;
use crate::web::extract::Query;
use crate::web::page::escape;

/// Items in a feed.
pub const FEED_ITEMS: i64 = 50;

fn fixed(t: DateTime<Utc>) -> FixedDateTime {
    t.fixed_offset()
}

fn xml_response(body: String, content_type: &'static str) -> Response {
    let mut r = body.into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    r
}

#[derive(Deserialize, Default)]
pub struct FeedQuery {
    #[serde(default)]
    sector: String,
    #[serde(default, deserialize_with = "crate::registry::code::blank_as_none")]
    community: Option<UnitCode>,
}

/// The latest items written in the feed's language, newest first.
pub async fn feed(
    State(state): State<AppState>,
    lang: Lang,
    Query(q): Query<FeedQuery>,
) -> AppResult<Response> {
    let filter = filter_of(
        &state,
        &ListQuery::new(&q.sector, q.community.clone(), None, "", ""),
    )
    .await?;
    let items = repo::published_items(&state.db, &filter, FEED_ITEMS * 2, 0).await?;
    let items: Vec<_> = items
        .into_iter()
        .filter(|i| match lang {
            Lang::Uk => !i.title_uk.is_empty(),
            Lang::En => !i.title_en.is_empty(),
        })
        .take(FEED_ITEMS as usize)
        .collect();
    let sectors = repo::sectors(&state.db).await?;
    let links =
        repo::item_sectors(&state.db, &items.iter().map(|i| i.id).collect::<Vec<_>>()).await?;
    let community = q.community.as_ref().map_or("", UnitCode::as_str);
    let query =
        serde_urlencoded::to_string([("sector", q.sector.as_str()), ("community", community)])
            .unwrap_or_default();
    let self_url = state.link(&format!("/{}/news/feed.atom?{query}", lang.code()));
    let mut title = lang.t("news-feed-title");
    if let Some(s) = sectors.iter().find(|s| s.slug == q.sector) {
        title = format!("{title}: {}", sector_name(s, lang));
    }
    if let Some(code) = &q.community {
        let snap = crate::registry::snapshot::current(&state).await?;
        if let Some(i) = snap.find(code.as_str()) {
            title = format!("{title}: {}", snap.node(i).title(lang));
        }
    }
    let entries: Vec<Entry> = items
        .iter()
        .map(|item| {
            let (title, summary, body) = match lang {
                Lang::Uk => (&item.title_uk, &item.summary_uk, &item.body_html_uk),
                Lang::En => (&item.title_en, &item.summary_en, &item.body_html_en),
            };
            let href = state.link(&format!("/{}/news/{}", lang.code(), item.id));
            let categories = links
                .iter()
                .filter(|(id, _)| *id == item.id)
                .filter_map(|(_, slug)| sectors.iter().find(|s| &s.slug == slug))
                .map(|s| Category {
                    term: s.slug.clone(),
                    label: Some(sector_name(s, lang)),
                    ..Category::default()
                })
                .collect();
            Entry {
                id: href.clone(),
                title: Text::plain(title.clone()),
                updated: fixed(item.updated_at),
                published: item.published_at.map(fixed),
                summary: Some(Text::plain(summary.clone())),
                content: (!body.is_empty()).then(|| Content {
                    value: Some(body.clone()),
                    content_type: Some("html".into()),
                    ..Content::default()
                }),
                links: vec![Link {
                    href,
                    rel: "alternate".into(),
                    mime_type: Some("text/html".into()),
                    ..Link::default()
                }],
                categories,
                ..Entry::default()
            }
        })
        .collect();
    let updated = items
        .iter()
        .map(|i| i.updated_at)
        .max()
        .unwrap_or_else(crate::clock::now);
    let feed = Feed {
        id: self_url.clone(),
        title: Text::plain(title),
        updated: fixed(updated),
        lang: Some(lang.code().into()),
        authors: vec![Person {
            name: lang.t("site-name"),
            ..Person::default()
        }],
        links: vec![
            Link {
                href: self_url,
                rel: "self".into(),
                mime_type: Some("application/atom+xml".into()),
                ..Link::default()
            },
            Link {
                href: state.link(&format!("/{}/news?{query}", lang.code())),
                rel: "alternate".into(),
                mime_type: Some("text/html".into()),
                ..Link::default()
            },
        ],
        entries,
        ..Feed::default()
    };
    Ok(xml_response(
        feed.to_string(),
        "application/atom+xml; charset=utf-8",
    ))
}

fn urlset(urls: impl Iterator<Item = String>) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for u in urls {
        out.push_str("<url><loc>");
        out.push_str(&escape(&u));
        out.push_str("</loc></url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// The parts of the sitemap.
const PARTS: [&str; 4] = ["pages", "news", "units-uk", "units-en"];

/// The sitemap index.
pub async fn sitemap_index(State(state): State<AppState>) -> Response {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for part in PARTS {
        out.push_str("<sitemap><loc>");
        out.push_str(&escape(&state.link(&format!("/sitemaps/{part}.xml"))));
        out.push_str("</loc></sitemap>\n");
    }
    out.push_str("</sitemapindex>\n");
    xml_response(out, "application/xml; charset=utf-8")
}

#[derive(Deserialize)]
pub struct PartPath {
    part: String,
}

/// One part of the sitemap: the site's pages, the published news, or the registry's units in
/// one language.
pub async fn sitemap_part(
    State(state): State<AppState>,
    Path(path): Path<PartPath>,
) -> AppResult<Response> {
    let part = path.part.strip_suffix(".xml").ok_or(AppError::NotFound)?;
    let body = match part {
        "pages" => {
            let sections = crate::members::repo::sections(&state.db).await?;
            let mut paths: Vec<String> = Vec::new();
            for lang in ["uk", "en"] {
                for p in [
                    "",
                    "units",
                    "members",
                    "offices",
                    "sections",
                    "news",
                    "club",
                    "club/apply",
                    "about/data",
                ] {
                    paths.push(format!("/{lang}/{p}"));
                }
                for s in &sections {
                    paths.push(format!("/{lang}/sections/{}", s.slug));
                }
            }
            urlset(paths.into_iter().map(|p| state.link(&p)))
        }
        "news" => {
            let items =
                repo::published_items(&state.db, &repo::Filter::default(), 25_000, 0).await?;
            let mut urls = Vec::new();
            for i in &items {
                for (lang, has) in [
                    ("uk", !i.title_uk.is_empty()),
                    ("en", !i.title_en.is_empty()),
                ] {
                    if has {
                        urls.push(state.link(&format!("/{lang}/news/{}", i.id)));
                    }
                }
            }
            urlset(urls.into_iter())
        }
        "units-uk" | "units-en" => {
            let lang = &part[6..];
            let snap = crate::registry::snapshot::current(&state).await?;
            urlset(
                snap.nodes()
                    .iter()
                    .map(|n| state.link(&format!("/{lang}/units/{}", n.code))),
            )
        }
        _ => return Err(AppError::NotFound),
    };
    Ok(xml_response(body, "application/xml; charset=utf-8"))
}
