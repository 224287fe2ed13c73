//! The editors' digest pages: every digest and the form to draft one for a range; the
//! curation form (titles, introduction and closing blocks, each entry's group, position and
//! digest-only summaries, dropping entries, adding items of the range); publishing.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::json;

use super::{TOP, check_range, default_title, propose, range_label, repo, week_of};
use crate::auth::{Actor, now};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::web::extract::{Form, Query};
use crate::web::page::DoneQuery;
use crate::web::page::render;
use crate::web::{AppState, Ctx, PageCtx};

/// The published-at bounds of a range of Kyiv days.
fn bounds(
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<(chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>)> {
    let midnight = |d: NaiveDate| {
        crate::news::pages::kyiv_midnight(d).ok_or(AppError::BadRequest("digest-error-date"))
    };
    let next = to
        .succ_opt()
        .ok_or(AppError::BadRequest("digest-error-date"))?;
    Ok((midnight(from)?, midnight(next)?))
}

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
                (d.state == "published").then(|| format!("/{}/digest/{}", lang.code(), d.ends_on)),
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
    let (from, to) = week_of(crate::members::actions::today());
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
    Form(form): Form<NewForm>,
) -> AppResult<Response> {
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
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
            draft(&state, &Actor::of(principal, &ctx.ip), from, to).await?
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

/// Drafts a digest; the refusals are (field, UI key).
pub async fn draft(
    state: &AppState,
    actor: &Actor,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Result<i64, Vec<(String, String)>>> {
    let (start, end) = bounds(from, to)?;
    let candidates = repo::candidates(&state.db, start, end).await?;
    if candidates.is_empty() {
        return Ok(Err(vec![("from".into(), "digest-error-no-items".into())]));
    }
    let order: Vec<String> = crate::news::repo::sectors(&state.db)
        .await?
        .into_iter()
        .map(|s| s.slug)
        .collect();
    let groups = propose(&candidates, &order);
    let now = now();
    let title_uk = default_title(from, to, Lang::Uk);
    let title_en = default_title(from, to, Lang::En);
    let mut tx = state.db.begin().await?;
    let new = repo::NewDigest {
        starts_on: from,
        ends_on: to,
        title_uk: &title_uk,
        title_en: &title_en,
        created_by: actor.user_id,
        is_demo: false,
    };
    let Some(id) = repo::insert(&mut tx, &new, now).await? else {
        return Ok(Err(vec![("to".into(), "digest-error-taken".into())]));
    };
    let mut position = 0;
    for (group, ids) in &groups {
        for item in ids {
            position += 1;
            repo::insert_entry(&mut tx, id, *item, group, position).await?;
        }
    }
    crate::audit::repo::record(
        &mut tx,
        actor,
        "draft",
        "digest",
        &id.to_string(),
        json!({ "from": from.to_string(), "to": to.to_string(), "entries": position }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(id))
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
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<KeyPath>,
    Query(q): Query<DoneQuery>,
) -> AppResult<Response> {
    let d = repo::digest(&state.db, path.key)
        .await?
        .ok_or(AppError::NotFound)?;
    let sectors = crate::news::repo::sectors(&state.db).await?;
    let mut groups = vec![(TOP.to_string(), lang.t("digest-group-top"))];
    groups.extend(
        sectors
            .iter()
            .map(|s| (s.slug.clone(), crate::news::pages::sector_name(s, lang))),
    );
    let entries_rows = repo::entries(&state.db, d.id).await?;
    let mut entries = Vec::with_capacity(entries_rows.len());
    for e in &entries_rows {
        if let Some(item) = crate::news::repo::item(&state.db, e.item_id).await? {
            let (title, _, _, _) = crate::news::pages::texts(&item, lang);
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
    let (start, end) = bounds(d.starts_on, d.ends_on)?;
    let included: Vec<i64> = entries_rows.iter().map(|e| e.item_id).collect();
    let mut addable = Vec::new();
    for c in repo::candidates(&state.db, start, end).await? {
        if included.contains(&c.id) {
            continue;
        }
        if let Some(item) = crate::news::repo::item(&state.db, c.id).await? {
            addable.push((c.id, crate::news::pages::texts(&item, lang).0.to_string()));
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
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<KeyPath>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let d = repo::digest(&state.db, path.key)
        .await?
        .ok_or(AppError::NotFound)?;
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.trim().replace("\r\n", "\n"))
    };
    let mut errors = Vec::new();
    let title_uk = get("title_uk").unwrap_or_default();
    let title_en = get("title_en").unwrap_or_default();
    if title_uk.is_empty() || title_uk.chars().count() > 300 {
        errors.push(("title_uk".to_string(), "digest-error-title".to_string()));
    }
    if title_en.is_empty() || title_en.chars().count() > 300 {
        errors.push(("title_en".to_string(), "digest-error-title".to_string()));
    }
    let blocks: Vec<String> = ["intro_uk", "intro_en", "closing_uk", "closing_en"]
        .iter()
        .map(|k| get(k).unwrap_or_default())
        .collect();
    if blocks.iter().any(|b| b.chars().count() > 5000) {
        errors.push(("intro_uk".to_string(), "digest-error-block".to_string()));
    }
    let sectors: Vec<String> = crate::news::repo::sectors(&state.db)
        .await?
        .into_iter()
        .map(|s| s.slug)
        .collect();
    let current = repo::entries(&state.db, d.id).await?;
    let mut changed = Vec::new();
    let mut dropped = Vec::new();
    for e in &current {
        if get(&format!("drop_{}", e.id)).is_some() {
            dropped.push(e.id);
            continue;
        }
        let group = get(&format!("group_{}", e.id)).unwrap_or_else(|| e.group_key.clone());
        if group != TOP && !sectors.contains(&group) {
            errors.push(("group".to_string(), "digest-error-group".to_string()));
        }
        let position = match get(&format!("position_{}", e.id)) {
            Some(p) => match p.parse::<i64>() {
                Ok(n) if (0..=10_000).contains(&n) => n,
                _ => {
                    errors.push(("position".to_string(), "digest-error-position".to_string()));
                    e.position
                }
            },
            None => e.position,
        };
        let summary_uk = get(&format!("summary_uk_{}", e.id)).unwrap_or_default();
        let summary_en = get(&format!("summary_en_{}", e.id)).unwrap_or_default();
        if summary_uk.chars().count() > 1500 || summary_en.chars().count() > 1500 {
            errors.push(("summary".to_string(), "news-error-summary".to_string()));
        }
        changed.push(repo::EntryRow {
            id: e.id,
            item_id: e.item_id,
            group_key: group,
            position,
            summary_uk,
            summary_en,
        });
    }
    if !errors.is_empty() {
        errors.dedup();
        return Err(AppError::Invalid(errors));
    }
    let now = now();
    let mut tx = state.db.begin().await?;
    let texts = repo::Texts {
        title_uk: &title_uk,
        title_en: &title_en,
        intro_uk: &blocks[0],
        intro_en: &blocks[1],
        closing_uk: &blocks[2],
        closing_en: &blocks[3],
    };
    repo::update_texts(&mut tx, d.id, &texts, now).await?;
    for e in &changed {
        repo::update_entry(&mut tx, d.id, e).await?;
    }
    for id in &dropped {
        repo::delete_entry(&mut tx, d.id, *id).await?;
    }
    crate::audit::repo::record(
        &mut tx,
        &Actor::of(principal, &ctx.ip),
        "curate",
        "digest",
        &d.id.to_string(),
        json!({ "dropped": dropped, "entries": changed.iter()
            .map(|e| json!({ "item": e.item_id, "group": e.group_key, "position": e.position }))
            .collect::<Vec<_>>() }),
        now,
    )
    .await?;
    tx.commit().await?;
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
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<KeyPath>,
    Form(form): Form<AddForm>,
) -> AppResult<Response> {
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let d = repo::digest(&state.db, path.key)
        .await?
        .ok_or(AppError::NotFound)?;
    let item: i64 = form
        .item
        .parse()
        .map_err(|_| AppError::field("item", "digest-error-item"))?;
    let (start, end) = bounds(d.starts_on, d.ends_on)?;
    if !repo::candidates(&state.db, start, end)
        .await?
        .iter()
        .any(|c| c.id == item)
    {
        return Err(AppError::field("item", "digest-error-item"));
    }
    let sectors: Vec<String> = crate::news::repo::sectors(&state.db)
        .await?
        .into_iter()
        .map(|s| s.slug)
        .collect();
    if form.group != TOP && !sectors.contains(&form.group) {
        return Err(AppError::field("group", "digest-error-group"));
    }
    let position = repo::entries(&state.db, d.id)
        .await?
        .iter()
        .map(|e| e.position)
        .max()
        .unwrap_or(0)
        + 1;
    let now = now();
    let mut tx = state.db.begin().await?;
    repo::insert_entry(&mut tx, d.id, item, &form.group, position).await?;
    crate::audit::repo::record(
        &mut tx,
        &Actor::of(principal, &ctx.ip),
        "add_entry",
        "digest",
        &d.id.to_string(),
        json!({ "item": item, "group": form.group }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/{}/digest/{}/edit?done=added", lang.code(), d.id)).into_response())
}

/// Publishes a draft with at least one entry.
pub async fn publish(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<KeyPath>,
) -> AppResult<Response> {
    let principal = ctx.principal.as_ref().ok_or(AppError::LoginRequired)?;
    let d = repo::digest(&state.db, path.key)
        .await?
        .ok_or(AppError::NotFound)?;
    if repo::entries(&state.db, d.id).await?.is_empty() {
        return Err(AppError::Conflict("digest-error-empty"));
    }
    let now = now();
    let mut tx = state.db.begin().await?;
    if repo::publish(&mut tx, d.id, now).await? == 0 {
        return Err(AppError::Conflict("digest-error-published"));
    }
    crate::audit::repo::record(
        &mut tx,
        &Actor::of(principal, &ctx.ip),
        "publish",
        "digest",
        &d.id.to_string(),
        json!({ "ends_on": d.ends_on.to_string() }),
        now,
    )
    .await?;
    tx.commit().await?;
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
async fn digest_sectors(state: &AppState, d: &repo::DigestRow) -> AppResult<Vec<String>> {
    let items: Vec<i64> = repo::entries(&state.db, d.id)
        .await?
        .iter()
        .map(|e| e.item_id)
        .collect();
    Ok(crate::news::repo::item_sectors(&state.db, &items)
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
    let sectors = digest_sectors(&state, &d).await?;
    let subscribers = repo::confirmed(&state.db).await?;
    let mut langs = Vec::new();
    for l in [Lang::Uk, Lang::En] {
        let v = super::pages::view(&state, &d, l).await?;
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
    let v = super::pages::view(&state, &d, lang).await?;
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
