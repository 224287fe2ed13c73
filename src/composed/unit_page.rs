//! One unit's page: its facts with their sources, status, history, children and map (the
//! registry), the latest news about it (news) and its approved statistics (statistics); a
//! retired code redirects to its successor. The admin's status form on it, which shows the
//! page again with its problems, is here too.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::registry::attributes::{Key, Status};
use crate::registry::pages::{
    ListRow, any_counts, download, format_area, group, kind_label, list_row, status_label,
};
use crate::registry::snapshot::Snapshot;
use crate::registry::{Level, UnitCode, repo};
use crate::state::AppState;
use crate::web::download::Format;
use crate::web::extract::{Form, Path, Query};
use crate::web::page::render;
use crate::web::{Ctx, PageCtx};
use crate::work::Actor;

#[derive(Deserialize, Default)]
pub struct UnitQuery {
    format: Option<String>,
    done: Option<String>,
}

#[derive(Deserialize)]
pub struct UnitPath {
    code: UnitCode,
}

pub struct Fact {
    pub label: String,
    pub value: String,
    pub href: Option<String>,
    pub as_of: String,
    pub source: Option<(String, String)>,
}

/// The status in force: its label, since when, and the unit it is inherited from (a link).
pub struct StatusNow {
    pub label: String,
    pub since: String,
    pub inherited: Option<(String, String)>,
}

pub struct StatusLine {
    pub id: i64,
    pub label: String,
    pub since: String,
    pub note: String,
}

pub struct ChangeLine {
    pub edition: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "registry/unit.html")]
struct UnitPage {
    p: PageCtx,
    code: String,
    name_uk: String,
    name_en: String,
    /// A hromada's full official name, in the page's language.
    full_name: Option<String>,
    kind: String,
    crumbs: Vec<(String, String)>,
    facts: Vec<Fact>,
    status: Option<StatusNow>,
    statuses: Vec<StatusLine>,
    status_choices: Vec<(&'static str, String)>,
    changes: Vec<ChangeLine>,
    old_codes: Vec<String>,
    children: Vec<ListRow>,
    children_level: String,
    show_counts: bool,
    map: Option<String>,
    /// Whether the map colours units by status (an oblast's map of its hromadas).
    map_legend: bool,
    can_edit: bool,
    notice: Option<String>,
    errors: Vec<(String, String)>,
    today: String,
    /// The latest news about the unit: (link, title, date).
    news: Vec<(String, String, String)>,
    /// The unit's approved statistics.
    stats: Vec<crate::statistics::pages::StatRow>,
    /// Whether some period shown covers part of the year only.
    stats_partial: bool,
}

#[derive(Template)]
#[template(path = "registry/missing.html")]
struct MissingPage {
    p: PageCtx,
    code: String,
    removed: Option<(String, String)>,
}

/// The answer for a code that is not a current unit: a retired code redirects to its
/// successor; a removed unit says when it went; anything else is a 404 with a search box.
async fn missing(db: &Db, ctx: &Ctx, snap: &Snapshot, code: &str) -> AppResult<Response> {
    if let Some(new) = snap.alias(code) {
        let to = format!("/{}/units/{new}", ctx.lang.code());
        return Ok(Redirect::permanent(&to).into_response());
    }
    let removed = repo::removed_unit(db, code)
        .await?
        .map(|(name, on)| (name, on.to_string()));
    let page = MissingPage {
        p: PageCtx::new(ctx, "unit-missing-title"),
        code: code.to_string(),
        removed,
    };
    Ok((StatusCode::NOT_FOUND, render(&page)?).into_response())
}

const DONE: [&str; 2] = ["status-saved", "status-deleted"];

pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    Path(path): Path<UnitPath>,
    Query(query): Query<UnitQuery>,
) -> AppResult<Response> {
    let format = Format::from_query(query.format.as_deref())?;
    let snap = crate::registry::snapshot::current(&state).await?;
    let Some(i) = snap.find(path.code.as_str()) else {
        return missing(&state.db, &ctx, &snap, path.code.as_str()).await;
    };
    let node = snap.node(i);
    if let Some(format) = format {
        let stem = format!("{}-{}", node.code, lang.t("units-children-file"));
        return download(&snap, &node.children, lang).respond(format, &stem);
    }
    let notice = query
        .done
        .as_deref()
        .filter(|d| DONE.contains(d))
        .map(|d| lang.t(&format!("unit-{d}")));
    unit_page(&state, &ctx, &snap, i, notice, Vec::new(), StatusCode::OK).await
}

async fn unit_page(
    state: &AppState,
    ctx: &Ctx,
    snap: &Snapshot,
    i: usize,
    notice: Option<String>,
    errors: Vec<(String, String)>,
    status_code: StatusCode,
) -> AppResult<Response> {
    let lang = ctx.lang;
    let node = snap.node(i);
    let records = snap.facts(&state.db, i).await?;
    let news = crate::news::pages::latest_about(&state.db, &node.code, lang, 5).await?;
    let stats = crate::statistics::pages::unit_rows(state, &node.code, lang).await?;
    let mut crumbs = vec![(format!("/{}/units", lang.code()), lang.t("units-title"))];
    crumbs.extend(snap.ancestors(i).into_iter().map(|a| {
        let n = snap.node(a);
        (format!("/{}/units/{}", lang.code(), n.code), n.title(lang))
    }));
    let mut facts = Vec::new();
    let mut ordered: Vec<_> = records.attributes.iter().collect();
    ordered.sort_by_key(|a| Key::parse(&a.key));
    for a in ordered {
        let Some(key) = Key::parse(&a.key) else {
            continue;
        };
        let (value, href) = match key {
            Key::Type => (
                a.value_text
                    .as_deref()
                    .and_then(crate::registry::attributes::HromadaType::parse)
                    .map(|t| t.adjective(lang).to_string())
                    .unwrap_or_default(),
                None,
            ),
            Key::Centre => match a.value_text.as_deref().and_then(|c| snap.find(c)) {
                Some(c) => (
                    snap.node(c).title(lang),
                    Some(format!("/{}/units/{}", lang.code(), snap.node(c).code)),
                ),
                None => (a.value_text.clone().unwrap_or_default(), None),
            },
            Key::FormedOn => (a.value_text.clone().unwrap_or_default(), None),
            Key::Voluntary => (
                lang.t(if a.value_number == Some(1.0) {
                    "unit-voluntary-yes"
                } else {
                    "unit-voluntary-no"
                }),
                None,
            ),
            Key::AreaKm2 => (
                a.value_number
                    .map(|n| format_area(n, lang))
                    .unwrap_or_default(),
                None,
            ),
            Key::PopulationTotal | Key::PopulationUrban => (
                a.value_number
                    .map(|n| group(n.round() as i64, lang))
                    .unwrap_or_default(),
                None,
            ),
        };
        let title = match lang {
            Lang::Uk => &a.title_uk,
            Lang::En => &a.title_en,
        };
        facts.push(Fact {
            label: lang.t(&format!("unit-attr-{}", key.code())),
            value,
            href,
            // Where the source gives no date for the value, the date of the source's copy.
            as_of: match a.as_of_on {
                Some(d) => d.to_string(),
                None => lang.t_args(
                    "unit-source-dated",
                    &[("date", crate::i18n::Arg::Str(&a.retrieved_on.to_string()))],
                ),
            },
            source: Some((
                format!("/{}/about/data#source-{}", lang.code(), a.source_id),
                title.clone(),
            )),
        });
    }
    // Counts beneath the unit come from the codifier itself.
    let codifier_source = Some((
        format!(
            "/{}/about/data#source-{}",
            lang.code(),
            crate::registry::attributes::CODIFIER
        ),
        lang.t("unit-source-codifier"),
    ));
    let count_facts = [
        ("unit-count-raions", node.counts.raions),
        ("unit-count-hromadas", node.counts.hromadas),
        ("unit-count-settlements", node.counts.settlements),
        ("unit-count-districts", node.counts.districts),
    ];
    for (key, n) in count_facts {
        if n > 0 {
            facts.push(Fact {
                label: lang.t(key),
                value: group(i64::from(n), lang),
                href: None,
                as_of: String::new(),
                source: codifier_source.clone(),
            });
        }
    }
    if node.level() != Level::Hromada
        && let Some(population) = node.population
        && node.counts.hromadas > 0
    {
        facts.push(Fact {
            label: lang.t("unit-population-sum"),
            value: group(population, lang),
            href: None,
            as_of: "2022-01-01".into(),
            source: Some((
                format!(
                    "/{}/about/data#source-{}",
                    lang.code(),
                    crate::registry::attributes::POPULATION
                ),
                lang.t("unit-source-population-sum"),
            )),
        });
    }
    let status = snap.status(i).map(|s| {
        let inherited = (s.from != i).then(|| {
            let n = snap.node(s.from);
            (format!("/{}/units/{}", lang.code(), n.code), n.title(lang))
        });
        StatusNow {
            label: status_label(lang, s.status),
            since: s.since.to_string(),
            inherited,
        }
    });
    let statuses = records
        .statuses
        .iter()
        .map(|s| StatusLine {
            id: s.id,
            label: status_label(lang, s.status),
            since: s.since_on.to_string(),
            note: s.note.clone(),
        })
        .collect();
    let changes = records
        .changes
        .iter()
        .map(|c| ChangeLine {
            edition: c.edition_on.to_string(),
            text: describe_change(snap, lang, c),
        })
        .collect();
    let children_level = node
        .children
        .first()
        .map(|&c| lang.t(&format!("unit-children-{}", snap.node(c).level().code())))
        .unwrap_or_default();
    let can_edit = ctx
        .principal
        .as_ref()
        .is_some_and(|p| p.has_role(crate::identity::Role::Admin) && p.second_factor_ok());
    let children: Vec<ListRow> = node
        .children
        .iter()
        .map(|&c| list_row(snap, c, lang))
        .collect();
    let page = UnitPage {
        p: PageCtx::new(ctx, "units-title").with_title(node.title(lang)),
        code: node.code.clone(),
        name_uk: node.name_uk.clone(),
        name_en: node.name_en.clone(),
        full_name: (node.level() == Level::Hromada).then(|| node.title(lang)),
        kind: kind_label(lang, snap, i),
        crumbs,
        facts,
        status,
        statuses,
        status_choices: Status::ALL
            .iter()
            .map(|s| (s.code(), status_label(lang, *s)))
            .collect(),
        changes,
        old_codes: records.old_codes.clone(),
        show_counts: any_counts(&children),
        children,
        children_level,
        map: crate::registry::map::for_unit(snap, i, lang),
        map_legend: node.category == crate::registry::Category::Oblast,
        can_edit,
        notice,
        errors,
        today: crate::clock::today().to_string(),
        news,
        stats_partial: stats.iter().any(|s| s.values.iter().any(|v| v.2)),
        stats,
    };
    Ok((status_code, render(&page)?).into_response())
}

#[derive(Deserialize, Default)]
pub struct StatusForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    since: String,
    #[serde(default)]
    note: String,
}

/// An admin records a status for a unit from a date.
pub async fn add_status(
    State(state): State<AppState>,
    lang: Lang,
    ctx: Ctx,
    actor: Actor,
    Path(path): Path<UnitPath>,
    Form(form): Form<StatusForm>,
) -> AppResult<Response> {
    let snap = crate::registry::snapshot::current(&state).await?;
    let Some(i) = snap.find(path.code.as_str()) else {
        return Err(AppError::NotFound);
    };
    let mut errors = Vec::new();
    let status = Status::parse(&form.status);
    if status.is_none() {
        errors.push(("status".to_string(), lang.t("error-unit-status")));
    }
    let since = chrono::NaiveDate::parse_from_str(form.since.trim(), "%Y-%m-%d").ok();
    if since.is_none() {
        errors.push(("since".to_string(), lang.t("error-date")));
    }
    let note = form.note.trim().to_string();
    if note.chars().count() > 500 {
        errors.push(("note".to_string(), lang.t("error-note-too-long")));
    }
    let (Some(status), Some(since), true) = (status, since, errors.is_empty()) else {
        return unit_page(
            &state,
            &ctx,
            &snap,
            i,
            None,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let row = crate::registry::attributes::StatusRow {
        line: 0,
        code: path.code.clone(),
        status,
        since,
        note,
    };
    match crate::registry::actions::set_statuses(&state.db, &actor, &[row]).await {
        Ok(_) => Ok(Redirect::to(&format!(
            "/{}/units/{}?done=status-saved",
            lang.code(),
            path.code
        ))
        .into_response()),
        Err(crate::registry::actions::StatusesError::Rows(_)) => {
            let errors = vec![("since".to_string(), lang.t("error-status-date-range"))];
            unit_page(
                &state,
                &ctx,
                &snap,
                i,
                None,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(crate::registry::actions::StatusesError::Db(e)) => Err(e.into()),
    }
}

fn describe_change(snap: &Snapshot, lang: Lang, c: &repo::ChangeEntry) -> String {
    use crate::i18n::Arg;
    let unit = |code: &Option<String>| {
        code.as_deref()
            .map(|code| {
                snap.find(code)
                    .map(|i| snap.node(i).title(lang))
                    .unwrap_or_else(|| code.to_string())
            })
            .unwrap_or_default()
    };
    match c.change.as_str() {
        "renamed" => lang.t_args(
            "unit-change-renamed",
            &[
                (
                    "old",
                    Arg::Str(c.old_name_uk.as_deref().unwrap_or_default()),
                ),
                (
                    "new",
                    Arg::Str(c.new_name_uk.as_deref().unwrap_or_default()),
                ),
            ],
        ),
        "moved" => lang.t_args(
            "unit-change-moved",
            &[
                ("old", Arg::Str(&unit(&c.old_parent_code))),
                ("new", Arg::Str(&unit(&c.new_parent_code))),
            ],
        ),
        "added" => lang.t("unit-change-added"),
        other => lang.t(&format!("unit-change-{other}")),
    }
}
