//! Registry use cases shared by the command line and the server: loading the shipped codifier
//! into an empty database, and previewing and applying a newer edition.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::attributes::{self, StatusRow};
use super::codifier::{self, CodifierUnit};
use super::edition::{self, Diff};
use super::{Category, UnitCode, data, repo};
use crate::db::Db;
use crate::error::AppResult;
use crate::i18n::{Arg, Lang};
use crate::web::csv_upload::RowError;
use crate::work::Actor;
use crate::work::Work;

#[derive(Debug, thiserror::Error)]
pub enum EditionError {
    #[error("the file has {} bad rows:\n{}", .0.len(), .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    BadRows(Vec<RowError>),
    #[error("this file was already loaded as the edition of {0}")]
    AlreadyLoaded(NaiveDate),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// A parsed edition and what it would change.
pub struct Preview {
    pub units: Vec<CodifierUnit>,
    pub diff: Diff,
    pub sha256: String,
    pub baseline: bool,
}

pub async fn preview(db: &Db, bytes: &[u8]) -> Result<Preview, EditionError> {
    let sha256 = hex::encode(Sha256::digest(bytes));
    if let Some(on) = repo::edition_loaded(db, &sha256).await? {
        return Err(EditionError::AlreadyLoaded(on));
    }
    let units = codifier::parse(bytes).map_err(EditionError::BadRows)?;
    let current = repo::current(db).await?;
    let diff = edition::diff(&current, &units);
    Ok(Preview {
        baseline: current.is_empty(),
        units,
        diff,
        sha256,
    })
}

/// Applies a previewed edition in one transaction, with its audit entry.
pub async fn apply(
    db: &Db,
    actor: &Actor,
    preview: &Preview,
    edition_on: NaiveDate,
    source: &str,
) -> Result<i64, EditionError> {
    let categories: HashMap<String, Category> = preview
        .units
        .iter()
        .map(|u| (u.code.clone(), u.category))
        .collect();
    let mut work = Work::begin(db, actor.clone()).await?;
    let now = work.now;
    let id = repo::apply_edition(
        &mut work.tx,
        &repo::NewEdition {
            edition_on,
            source,
            sha256: &preview.sha256,
        },
        &preview.diff,
        &categories,
        preview.baseline,
        now,
    )
    .await?;
    work.audit(
        "load",
        "registry_edition",
        id,
        json!({
            "edition": edition_on.to_string(),
            "source": source,
            "added": preview.diff.added.len(),
            "renamed": preview.diff.renamed.len(),
            "moved": preview.diff.moved.len(),
            "removed": preview.diff.removed.len(),
            "recoded": preview.diff.recoded.len(),
        }),
    )
    .await?;
    work.commit().await?;
    Ok(id)
}

/// Loads what hromada ships into a database that lacks it: the codifier when the registry is
/// empty, then the reference attributes and initial statuses. Returns whether it loaded any.
pub async fn ensure_loaded(db: &Db, actor: &Actor) -> anyhow::Result<bool> {
    let codifier = ensure_codifier(db, actor).await?;
    let reference = ensure_reference_data(db, actor).await?;
    Ok(codifier || reference)
}

/// Loads the codifier shipped with hromada when the registry is empty. Returns whether it did.
async fn ensure_codifier(db: &Db, actor: &Actor) -> anyhow::Result<bool> {
    if repo::has_units(db).await? {
        return Ok(false);
    }
    let bytes = data::codifier()?;
    let preview = match preview(db, &bytes).await {
        Ok(p) => p,
        // Loaded before and since emptied by hand: nothing to do.
        Err(EditionError::AlreadyLoaded(_)) => return Ok(false),
        Err(e) => return Err(e.into()),
    };
    let on = NaiveDate::parse_from_str(data::CODIFIER_EDITION, "%Y-%m-%d")?;
    apply(db, actor, &preview, on, data::CODIFIER_FILE).await?;
    Ok(true)
}

/// The edition date in a codifier file name as the Ministry names them
/// (`kodifikator-02-07-2025.csv` → 2025-07-02).
pub fn edition_from_file_name(name: &str) -> Option<NaiveDate> {
    let stem = name.rsplit('/').next()?.split('.').next()?;
    let date: String = stem
        .chars()
        .rev()
        .take(10)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    NaiveDate::parse_from_str(&date, "%d-%m-%Y").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edition_dates_from_file_names() {
        assert_eq!(
            edition_from_file_name("/tmp/kodifikator-02-07-2025.csv"),
            NaiveDate::from_ymd_opt(2025, 7, 2)
        );
        assert_eq!(edition_from_file_name("codifier.csv"), None);
    }
}

/// Loads the shipped reference data the first time: the sources, the hromada attributes and
/// the initial statuses (Crimea and Sevastopol), in one transaction with an audit entry.
/// Attributes of codes the registry does not hold (an edition removed them) are skipped.
pub async fn ensure_reference_data(db: &Db, actor: &Actor) -> anyhow::Result<bool> {
    if repo::has_sources(db).await? || !repo::has_units(db).await? {
        return Ok(false);
    }
    let bytes = data::hromada_attributes()?;
    let attributes = attributes::parse_shipped(&bytes)
        .map_err(|errors| anyhow::anyhow!("the shipped attribute file has bad rows: {errors:?}"))?;
    let known: HashSet<String> = repo::current(db)
        .await?
        .into_iter()
        .map(|u| u.code)
        .collect();
    let attributes: Vec<_> = attributes
        .into_iter()
        .filter(|a| known.contains(&a.code))
        .collect();
    let mut work = Work::begin(db, actor.clone()).await?;
    let now = work.now;
    // Loaded again at the next start if a crash loses it (the sources would be missing).
    work.tx.commit_without_waiting().await?;
    repo::insert_sources(&mut work.tx, &attributes::SOURCES).await?;
    let load = work.tx.begin_bulk_load(&["unit_attributes"]).await?;
    repo::upsert_attributes(&mut work.tx, &attributes).await?;
    work.tx.end_bulk_load(load).await?;
    let mut statuses = 0;
    for (code, status, since) in attributes::INITIAL_STATUSES {
        if !known.contains(code) {
            continue;
        }
        let row = StatusRow {
            line: 0,
            code: code.parse()?,
            status,
            since: NaiveDate::parse_from_str(since, "%Y-%m-%d")?,
            note: String::new(),
        };
        repo::set_status(&mut work.tx, &row, None, now).await?;
        statuses += 1;
    }
    repo::bump_revision(&mut work.tx, now).await?;
    work.audit("load", "registry_reference_data", "shipped", json!({ "attributes": attributes.len(), "sources": attributes::SOURCES.len(), "statuses": statuses })).await?;
    work.commit().await?;
    Ok(true)
}

/// Why a status cannot be recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusProblem {
    UnknownUnit,
    DateOutOfRange,
}

/// The earliest date a status may hold from: the occupation of Crimea began in February 2014.
pub const EARLIEST_STATUS: NaiveDate = match NaiveDate::from_ymd_opt(2014, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

fn check_status(
    row: &StatusRow,
    known: &HashSet<String>,
    today: NaiveDate,
) -> Option<StatusProblem> {
    if !known.contains(row.code.as_str()) {
        Some(StatusProblem::UnknownUnit)
    } else if row.since < EARLIEST_STATUS || row.since > today {
        Some(StatusProblem::DateOutOfRange)
    } else {
        None
    }
}

/// Records statuses in one transaction with one audit entry, all or nothing: every row that
/// names an unknown unit or a date outside 2014-01-01 … today is reported with its line.
pub async fn set_statuses(
    db: &Db,
    actor: &Actor,
    rows: &[StatusRow],
) -> Result<usize, StatusesError> {
    let known: HashSet<String> = repo::current(db)
        .await?
        .into_iter()
        .map(|u| u.code)
        .collect();
    let today = crate::clock::today();
    let problems: Vec<(u64, String, StatusProblem)> = rows
        .iter()
        .filter_map(|row| {
            check_status(row, &known, today).map(|p| (row.line, row.code.to_string(), p))
        })
        .collect();
    if !problems.is_empty() {
        return Err(StatusesError::Rows(problems));
    }
    let mut work = Work::begin(db, actor.clone()).await?;
    for row in rows {
        repo::set_status(&mut work.tx, row, work.actor.user_id, work.now).await?;
    }
    repo::bump_revision(&mut work.tx, work.now).await?;
    let detail = match rows {
        [one] => {
            json!({ "code": one.code, "status": one.status.code(), "since": one.since.to_string(), "note": one.note })
        }
        _ => json!({ "rows": rows.len() }),
    };
    let target = match rows {
        [one] => one.code.as_str(),
        _ => "import",
    };
    work.audit("set_status", "unit", target, detail).await?;
    work.commit().await?;
    Ok(rows.len())
}

#[derive(Debug, thiserror::Error)]
pub enum StatusesError {
    #[error("{} rows refer to unknown units or dates out of range", .0.len())]
    Rows(Vec<(u64, String, StatusProblem)>),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Removes one mistaken status entry, with its audit entry. Returns false when there was none.
pub async fn delete_status(db: &Db, actor: &Actor, code: &UnitCode, id: i64) -> sqlx::Result<bool> {
    let mut work = Work::begin(db, actor.clone()).await?;
    let Some((status, since)) = repo::delete_status(&mut work.tx, code.as_str(), id).await? else {
        return Ok(false);
    };
    repo::bump_revision(&mut work.tx, work.now).await?;
    let detail = json!({ "status": status, "since": since.to_string() });
    work.audit("delete_status", "unit", code.as_str(), detail)
        .await?;
    work.commit().await?;
    Ok(true)
}

/// Why a status file was refused (nothing changed): every problem with its line.
#[derive(Debug)]
pub enum StatusFileRefused {
    /// The file has a header and no data rows.
    Empty,
    /// Rows that cannot be read (a bad code, status or date), each with its line.
    Unreadable(Vec<RowError>),
    /// Rows naming an unknown unit or a date out of range: line, code and problem.
    Rows(Vec<(u64, String, StatusProblem)>),
}

impl StatusFileRefused {
    /// Every problem as a line in `lang` ("Line 3: …"), as the admins' page lists them.
    pub fn messages(&self, lang: Lang) -> Vec<String> {
        match self {
            StatusFileRefused::Empty => vec![lang.t("statuses-error-empty")],
            StatusFileRefused::Unreadable(errors) => crate::web::csv_upload::problems(lang, errors),
            StatusFileRefused::Rows(rows) => rows
                .iter()
                .map(|(line, code, problem)| {
                    let key = match problem {
                        StatusProblem::UnknownUnit => "statuses-error-unknown",
                        StatusProblem::DateOutOfRange => "statuses-error-date",
                    };
                    let line = i64::try_from(*line).unwrap_or(i64::MAX);
                    lang.t_args(key, &[("line", Arg::Num(line)), ("code", Arg::Str(code))])
                })
                .collect(),
        }
    }
}

/// Imports a status file, the admins' CSV (`code,status,since` and optionally `note`): every
/// row or none, in one unit of work. Answers how many rows it recorded, or why it refused.
pub async fn import_status_file(
    db: &Db,
    actor: &Actor,
    text: &str,
) -> AppResult<Result<usize, StatusFileRefused>> {
    let rows = match attributes::parse_status_csv(text.as_bytes()) {
        Ok(rows) if rows.is_empty() => return Ok(Err(StatusFileRefused::Empty)),
        Ok(rows) => rows,
        Err(errors) => return Ok(Err(StatusFileRefused::Unreadable(errors))),
    };
    match set_statuses(db, actor, &rows).await {
        Ok(n) => Ok(Ok(n)),
        Err(StatusesError::Rows(problems)) => Ok(Err(StatusFileRefused::Rows(problems))),
        Err(StatusesError::Db(e)) => Err(e.into()),
    }
}
