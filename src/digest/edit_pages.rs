//! The editors' digest pages: every digest and the form to draft one for a range; the
//! curation form (titles, introduction and closing blocks, each entry's group, position and
//! digest-only summaries, dropping entries, adding items of the range); publishing.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;

use super::{TOP, actions, check_range, range_label, repo, week_of};
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::web::extract::{Form, Query};
use crate::web::page::DoneQuery;
use crate::web::page::render;
use crate::web::{Ctx, PageCtx};
use crate::work::Actor;

/// The published-at bounds of a range of Kyiv days.

#[derive(Template)]
#[template(path = "digest/manage.html")]
struct ManagePage {
    p: PageCtx,
    /// (edit link, public link if published, title, range, state label)
    lines: Vec<(String, Option<String>, String, String, String)>,
    from: String,
    to: String,
    errors: Vec<(String, String)>,
}

async fn manage_page(
    state: &AppState,
    ctx: &Ctx,
    from: String,
    to: String,
    errors: Vec<(String, String)>,
) -> AppResult<ManagePage> {
    let lang = ctx.lang;
    let lines = repo::digests(&state.db, false)
        .await?
        .into_iter()
        .map(|d| {
            (
                format!("/{}/digest/{}/edit", lang.code(), d.id),
                (d.state == super::State::Published)
                    .then(|| format!("/{}/digest/{}", lang.code(), d.ends_on)),
                match lang {
                    Lang::Uk => d.title_uk.clone(),
                    Lang::En => d.title_en.clone(),
                },
                range_label(d.starts_on, d.ends_on, lang),
                lang.t(&format!("digest-state-{}", d.state)),
            )
        })
        .collect();
    Ok(ManagePage {
        p: PageCtx::new(ctx, "digest-manage-title"),
        lines,
        from,
        to,
        errors: errors.into_iter().map(|(f, k)| (f, lang.t(&k))).collect(),
    })
}

pub async fn manage(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let (from, to) = week_of(crate::clock::today());
    Ok(
        render(&manage_page(&state, &ctx, from.to_string(), to.to_string(), Vec::new()).await?)?
            .into_response(),
    )
}

#[derive(Deserialize, Default)]
pub struct NewForm {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

/// Drafts a digest for a range from the items published in it.
pub async fn create(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    actor: Actor,
    Form(form): Form<NewForm>,
) -> AppResult<Response> {
    let refuse = |field: &str, key: &str| (field.to_string(), key.to_string());
    let parse = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
    let problem = match (parse(&form.from), parse(&form.to)) {
        (Some(from), Some(to)) => match check_range(from, to) {
            Ok(()) => None,
            Err(key) => Some(refuse("to", key)),
        },
        _ => Some(refuse("from", "digest-error-date")),
    };
    let result = match problem {
        Some(p) => Err(vec![p]),
        None => {
            let from = parse(&form.from).unwrap_or_default();
            let to = parse(&form.to).unwrap_or_default();
            actions::draft(&state.db, actor, from, to).await?
        }
    };
    match result {
        Ok(id) => Ok(
            Redirect::to(&format!("/{}/digest/{id}/edit?done=drafted", lang.code()))
                .into_response(),
        ),
        Err(errors) => {
            let page = manage_page(&state, &ctx, form.from, form.to, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
        }
    }
}

pub struct EntryLine {
    pub id: i64,
    pub title: String,
    pub href: String,
    pub group: String,
    pub position: i64,
    pub summary_uk: String,
    pub summary_en: String,
}

#[derive(Template)]
#[template(path = "digest/edit.html")]
struct EditPage {
    p: PageCtx,
    d: repo::DigestRow,
    range: String,
    /// (group key, label)
    groups: Vec<(String, String)>,
    entries: Vec<EntryLine>,
    /// Items of the range not in the digest: (id, title).
    addable: Vec<(i64, String)>,
    notice: Option<String>,
}

#[derive(Deserialize)]
pub struct KeyPath {
    pub key: i64,
}

pub async fn edit_form(
    State(db): State<Db>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<KeyPath>,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    let d = repo::digest(&db, path.key)
        .await?
        .ok_or(AppError::NotFound)?;
    let sectors = crate::news::repo::sectors(&db).await?;
    let mut groups = vec![(TOP.to_string(), lang.t("digest-group-top"))];
    groups.extend(
        sectors
            .iter()
            .map(|s| (s.slug.clone(), crate::news::sector_name(s, lang))),
    );
    let entries_rows = repo::entries(&db, d.id).await?;
    let mut entries = Vec::with_capacity(entries_rows.len());
    for e in &entries_rows {
        if let Some(item) = crate::news::repo::item(&db, e.item_id).await? {
            let (title, _, _, _) = crate::news::texts(&item, lang);
            entries.push(EntryLine {
                id: e.id,
                title: title.to_string(),
                href: format!("/{}/news/{}", lang.code(), item.id),
                group: e.group_key.clone(),
                position: e.position,
                summary_uk: e.summary_uk.clone(),
                summary_en: e.summary_en.clone(),
            });
        }
    }
    // Group by the groups' order, then position.
    entries.sort_by_key(|e| {
        (
            groups
                .iter()
                .position(|(k, _)| *k == e.group)
                .unwrap_or(usize::MAX),
            e.position,
        )
    });
    let (start, end) = actions::bounds(d.starts_on, d.ends_on)?;
    let included: Vec<i64> = entries_rows.iter().map(|e| e.item_id).collect();
    let mut addable = Vec::new();
    for c in super::actions::candidates(&db, start, end).await? {
        if included.contains(&c.id) {
            continue;
        }
        if let Some(item) = crate::news::repo::item(&db, c.id).await? {
            addable.push((c.id, crate::news::texts(&item, lang).0.to_string()));
        }
    }
    let notice = q
        .done
        .as_deref()
        .filter(|d| ["drafted", "saved", "added", "published"].contains(d))
        .map(|d| lang.t(&format!("digest-done-{d}")));
    Ok(render(&EditPage {
        p: PageCtx::new(&ctx, "digest-edit-title").with_title(match lang {
            Lang::Uk => d.title_uk.clone(),
            Lang::En => d.title_en.clone(),
        }),
        range: range_label(d.starts_on, d.ends_on, lang),
        groups,
        entries,
        addable,
        notice,
        d,
    })?
    .into_response())
}

/// Saves the curation form: the texts, and for every entry its group, position, digest-only
/// summaries, or that it is dropped.
pub async fn save(
    State(db): State<Db>,
    lang: Lang,
    actor: Actor,
    Path(path): Path<KeyPath>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.to_string())
    };
    let texts = actions::Texts {
        title_uk: get("title_uk").unwrap_or_default(),
        title_en: get("title_en").unwrap_or_default(),
        intro_uk: get("intro_uk").unwrap_or_default(),
        intro_en: get("intro_en").unwrap_or_default(),
        closing_uk: get("closing_uk").unwrap_or_default(),
        closing_en: get("closing_en").unwrap_or_default(),
    };
    // Entries the form leaves out keep what they have; `drop_{id}` takes one out.
    let entries = repo::entries(&db, path.key)
        .await?
        .into_iter()
        .map(|e| actions::EntryChange {
            id: e.id,
            drop: get(&format!("drop_{}", e.id)).is_some(),
            group: get(&format!("group_{}", e.id)),
            position: get(&format!("position_{}", e.id)),
            summary_uk: get(&format!("summary_uk_{}", e.id)),
            summary_en: get(&format!("summary_en_{}", e.id)),
        })
        .collect::<Vec<_>>();
    let d = actions::curate(&db, actor, path.key, &texts, &entries).await?;
    Ok(Redirect::to(&format!("/{}/digest/{}/edit?done=saved", lang.code(), d.id)).into_response())
}

#[derive(Deserialize, Default)]
pub struct AddForm {
    #[serde(default)]
    item: String,
    #[serde(default)]
    group: String,
}

/// Adds an item published in the range to a group (at its end).
pub async fn add(
    State(db): State<Db>,
    lang: Lang,
    actor: Actor,
    Path(path): Path<KeyPath>,
    Form(form): Form<AddForm>,
) -> AppResult<Response> {
    let item: i64 = form
        .item
        .parse()
        .map_err(|_| AppError::field("item", "digest-error-item"))?;
    let d = actions::add_entry(&db, actor, path.key, item, &form.group).await?;
    Ok(Redirect::to(&format!("/{}/digest/{}/edit?done=added", lang.code(), d.id)).into_response())
}

/// Publishes a draft with at least one entry.
pub async fn publish(
    State(db): State<Db>,
    lang: Lang,
    actor: Actor,
    Path(path): Path<KeyPath>,
) -> AppResult<Response> {
    let d = actions::publish(&db, actor, path.key).await?;
    Ok(Redirect::to(&format!("/{}/digest/{}", lang.code(), d.ends_on)).into_response())
}

pub struct PreviewLang {
    pub code: &'static str,
    pub name: String,
    pub subject: String,
    pub recipients: i64,
    pub text: String,
    pub bytes: usize,
}

#[derive(Template)]
#[template(path = "digest/preview.html")]
struct PreviewPage {
    p: PageCtx,
    d: repo::DigestRow,
    langs: Vec<PreviewLang>,
}

/// The sectors of a digest's entries.
async fn digest_sectors(db: &Db, d: &repo::DigestRow) -> AppResult<Vec<String>> {
    let items: Vec<i64> = repo::entries(db, d.id)
        .await?
        .iter()
        .map(|e| e.item_id)
        .collect();
    Ok(crate::news::repo::item_sectors(db, &items)
        .await?
        .into_iter()
        .map(|(_, s)| s)
        .collect())
}

/// The mail as each language's subscribers will get it, with the exact number of recipients.
pub async fn preview(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<KeyPath>,
) -> AppResult<Response> {
    let d = repo::digest(&state.db, path.key)
        .await?
        .ok_or(AppError::NotFound)?;
    let sectors = digest_sectors(&state.db, &d).await?;
    let subscribers = repo::confirmed(&state.db).await?;
    let mut langs = Vec::new();
    for l in [Lang::Uk, Lang::En] {
        let v = super::view::view(&state, &d, l).await?;
        let sample = state.link("/");
        let m = super::mail::render(&v, l, &sample, &sample);
        langs.push(PreviewLang {
            code: l.code(),
            name: lang.t(&format!("lang-name-{}", l.code())),
            recipients: subscribers
                .iter()
                .filter(|(sl, ss)| sl == l.code() && super::mail::wants(ss, &sectors))
                .count() as i64,
            bytes: m.html.len() + m.text.len(),
            subject: m.subject,
            text: m.text,
        });
    }
    Ok(render(&PreviewPage {
        p: PageCtx::new(&ctx, "digest-preview-title"),
        d,
        langs,
    })?
    .into_response())
}

#[derive(Deserialize)]
pub struct MailPath {
    key: i64,
    mail_lang: String,
}

/// The mail's HTML part as its own document, for the editors' preview. Mail needs inline
/// styles, so this answer carries its own policy: inline styles, and nothing that runs.
pub async fn mail_html(
    State(state): State<AppState>,
    Path(path): Path<MailPath>,
) -> AppResult<Response> {
    let lang = Lang::parse(&path.mail_lang).ok_or(AppError::NotFound)?;
    let d = repo::digest(&state.db, path.key)
        .await?
        .ok_or(AppError::NotFound)?;
    let v = super::view::view(&state, &d, lang).await?;
    let sample = state.link("/");
    let m = super::mail::render(&v, lang, &sample, &sample);
    let mut response = axum::response::Html(m.html).into_response();
    response.headers_mut().insert(
        axum::http::header::CONTENT_SECURITY_POLICY,
        axum::http::HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; \
             frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
        ),
    );
    Ok(response)
}
