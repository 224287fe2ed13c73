//! Statistics use cases shared by the server's start-up, pages, API and command line.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use serde_json::json;

use super::shipped::{self, Shipped};
use super::{Period, repo};
use crate::clock::now;
use crate::db::Db;
use crate::registry::attributes::Key;
use crate::work::Actor;
use crate::work::Work;

/// The year the shipped population figures describe (1 January 2022).
const POPULATION_YEAR: i32 = 2022;
/// The year of the shipped areas (COD-AB, valid from 16 April 2024).
const AREA_YEAR: i32 = 2024;
/// The year of the shipped codifier's edition (2 July 2025), for the settlement counts.
const SETTLEMENTS_YEAR: i32 = 2025;

/// Loads the shipped indicators and their real values, as approved, the first time (the
/// registry must be loaded). One transaction with its audit entry. Returns whether it loaded.
pub async fn ensure_loaded(db: &Db, actor: &Actor) -> anyhow::Result<bool> {
    if !crate::registry::repo::has_units(db).await? {
        return Ok(false);
    }
    // Shipped indicators the database lacks: all of them the first time, and later the ones a
    // newer release of hromada added (with their values).
    let have = super::collection::repo::indicator_ids(db).await?;
    let defs: Vec<shipped::IndicatorDef> = shipped::indicators()?
        .into_iter()
        .filter(|d| !have.contains_key(&d.code))
        .collect();
    if defs.is_empty() {
        super::collection::actions::ensure_defaults(db, actor).await?;
        return Ok(false);
    }
    let snapshot = crate::registry::snapshot::Cache::default();
    let snap = snapshot.get(db).await?;
    let mut values: Vec<Shipped> = Vec::new();
    // Population and area from the registry's shipped attributes.
    let bytes = crate::registry::data::hromada_attributes()?;
    let attributes = crate::registry::attributes::parse_shipped(&bytes)
        .map_err(|e| anyhow::anyhow!("the shipped attribute file has bad rows: {e:?}"))?;
    for a in attributes {
        let (indicator, year) = match a.key {
            Key::PopulationTotal => ("population_total", POPULATION_YEAR),
            Key::PopulationUrban => ("population_urban", POPULATION_YEAR),
            Key::AreaKm2 => ("area_km2", AREA_YEAR),
            _ => continue,
        };
        if let Some(value) = a.number {
            values.push(Shipped {
                unit_code: a.code,
                indicator: indicator.into(),
                period: Period::Year(year),
                value,
                is_partial: false,
            });
        }
    }
    // Settlements per hromada from the codifier.
    for node in snap.nodes() {
        if node.level() == crate::registry::Level::Hromada {
            values.push(Shipped {
                unit_code: node.code.clone(),
                indicator: "settlements".into(),
                period: Period::Year(SETTLEMENTS_YEAR),
                value: f64::from(node.counts.settlements),
                is_partial: false,
            });
        }
    }
    values.extend(shipped::budget_values(&shipped::indicators()?)?);
    values.extend(urban_shares(&values));
    // Only units the registry holds, and only the indicators being loaded.
    values.retain(|v| {
        snap.find(&v.unit_code).is_some() && defs.iter().any(|d| d.code == v.indicator)
    });

    let mut work = Work::begin(db, actor.clone()).await?;
    let now = work.now;
    let mut ids = HashMap::new();
    let mut sources = HashMap::new();
    for d in &defs {
        let id = repo::insert_indicator(&mut work.tx, d, now).await?;
        ids.insert(d.code.clone(), id);
        sources.insert(id, d.source_uk.clone());
    }
    let rows: Vec<(i64, &Shipped)> = values
        .iter()
        .filter_map(|v| ids.get(&v.indicator).map(|id| (*id, v)))
        .collect();
    let source = |id: i64| sources.get(&id).cloned().unwrap_or_default();
    // Loaded again at the next start if a crash loses it (the indicators would be missing).
    work.tx.commit_without_waiting().await?;
    let load = work
        .tx
        .begin_bulk_load(&["stat_values", "stat_value_changes"])
        .await?;
    let inserted = repo::insert_approved(&mut work.tx, &rows, &source, actor.user_id, now).await?;
    repo::record_first_changes(&mut work.tx).await?;
    work.tx.end_bulk_load(load).await?;
    work.audit(
        "load",
        "statistics",
        "shipped",
        json!({ "indicators": defs.len(), "values": inserted }),
    )
    .await?;
    crate::statistics::analysis::repo::raise_revision(&mut work.tx, now).await?;
    work.commit().await?;
    super::collection::actions::ensure_defaults(db, actor).await?;
    tracing::info!(
        indicators = defs.len(),
        values = inserted,
        "statistics loaded from the shipped data"
    );
    Ok(true)
}

crate::text_enum! {
    /// Whether an import keeps the good rows of a file with bad ones.
    pub enum ImportMode {
        /// Every row or none.
        AllOrNothing = "all",
        /// The good rows; the bad ones are reported.
        GoodRows = "good",
    }
}

/// What an import did.
#[derive(Debug, serde::Serialize)]
pub struct ImportReport {
    /// Rows read (blank lines aside).
    pub rows: u64,
    pub good: u64,
    pub bad: u64,
    /// Values inserted or changed; the other good rows were already so.
    pub written: u64,
    /// Whether anything was kept (false when all-or-nothing met a bad row).
    pub committed: bool,
    /// The first bad rows, each with its line and reason.
    pub errors: Vec<super::import::RowError>,
}

/// The urban share of the population (in percent) wherever both the total and the urban
/// population are known and the total is not zero: what the State Statistics Service's own
/// figures give, divided.
fn urban_shares(values: &[Shipped]) -> Vec<Shipped> {
    let urban: HashMap<(&str, Period), f64> = values
        .iter()
        .filter(|v| v.indicator == "population_urban")
        .map(|v| ((v.unit_code.as_str(), v.period), v.value))
        .collect();
    values
        .iter()
        .filter(|v| v.indicator == "population_total" && v.value > 0.0)
        .filter_map(|v| {
            let u = urban.get(&(v.unit_code.as_str(), v.period))?;
            Some(Shipped {
                unit_code: v.unit_code.clone(),
                indicator: "urban_share".into(),
                period: v.period,
                value: (u / v.value * 10_000.0).round() / 100.0,
                is_partial: false,
            })
        })
        .collect()
}

/// The SQLite page cache during an import: the values' and history's indexes stay in memory.
const BULK_CACHE_KIB: u32 = 256 * 1024;
/// Good rows sent from the reading thread to the writer at a time.
const IMPORT_BATCH: usize = 2_000;

/// An import file, by its kind.
pub enum ImportFile<R> {
    /// Read as a stream.
    Csv(R),
    /// Read whole (a workbook is a zip archive).
    Xlsx(Vec<u8>),
}

/// Imports values from a CSV or XLSX file as approved, with `source`, in one transaction with
/// its audit entry. The file is read on a blocking thread and written as it is read, so a
/// CSV's size does not decide the memory used. Rows of locked periods are refused, and rows
/// that break a rule between indicators (checked with the values on record) are refused with
/// the rule named. `progress`, when given, counts the rows written so far.
pub async fn import_file<R: std::io::Read + Send + 'static>(
    db: &Db,
    actor: &Actor,
    file: ImportFile<R>,
    mode: ImportMode,
    source: &str,
    progress: Option<std::sync::Arc<std::sync::atomic::AtomicU64>>,
) -> anyhow::Result<ImportReport> {
    let catalogue = repo::import_catalogue(db).await?;
    let snapshot = crate::registry::snapshot::Cache::default().get(db).await?;
    let rules = super::collection::repo::rules(db).await?;
    let locked = super::collection::repo::locks(db)
        .await?
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    let (send, mut receive) = tokio::sync::mpsc::channel::<Vec<super::Entry>>(4);
    let reading = tokio::task::spawn_blocking(move || {
        let unit_index = |code: &str| snapshot.find(code);
        let mut gate = super::import::Gate::new(rules, &catalogue, locked);
        let mut late = super::import::Outcome::default();
        let mut batch = Vec::with_capacity(IMPORT_BATCH);
        let mut good = |row| {
            if let Some(row) = gate.admit(row, &mut late) {
                batch.push(row.entry);
            }
            if batch.len() == IMPORT_BATCH {
                send.blocking_send(std::mem::take(&mut batch))
                    .map_err(|_| anyhow::anyhow!("the import's writer stopped"))?;
            }
            Ok(())
        };
        let outcome = match file {
            ImportFile::Csv(input) => {
                super::import::read_csv(input, &catalogue, &unit_index, &mut good)?
            }
            ImportFile::Xlsx(bytes) => {
                super::import::read_xlsx(&bytes, &catalogue, &unit_index, &mut good)?
            }
        };
        if !batch.is_empty() {
            send.blocking_send(batch)
                .map_err(|_| anyhow::anyhow!("the import's writer stopped"))?;
        }
        Ok::<_, anyhow::Error>((outcome, gate, late))
    });
    let mut work = Work::begin(db, actor.clone()).await?;
    let now = work.now;
    work.tx.sqlite_cache_kib(BULK_CACHE_KIB).await?;
    let mut written = 0;
    while let Some(rows) = receive.recv().await {
        written += repo::upsert_values(
            &mut work.tx,
            &rows,
            super::ValueState::Approved.code(),
            source,
            actor.user_id,
            now,
        )
        .await?;
        if let Some(p) = &progress {
            p.fetch_add(rows.len() as u64, std::sync::atomic::Ordering::Relaxed);
        }
    }
    let (mut outcome, gate, mut late) = reading.await??;
    let (periods, indicators) = gate.wanted();
    let stored = repo::values_of(&mut work.tx, &periods, &indicators).await?;
    let held: Vec<super::Entry> = gate
        .finish(&stored, &mut late)
        .into_iter()
        .map(|r| r.entry)
        .collect();
    written += repo::upsert_values(
        &mut work.tx,
        &held,
        super::ValueState::Approved.code(),
        source,
        actor.user_id,
        now,
    )
    .await?;
    outcome.merge(late);
    let committed = mode == ImportMode::GoodRows || outcome.bad == 0;
    work.tx.sqlite_cache_kib(2_000).await?;
    if committed {
        work.audit("import", "stat_values", source, json!({ "rows": outcome.rows, "good": outcome.good, "bad": outcome.bad, "written": written })).await?;
        crate::statistics::analysis::repo::raise_revision(&mut work.tx, now).await?;
        work.commit().await?;
    } else {
        // Dropped unfinished: nothing of the file is kept.
        drop(work);
    }
    Ok(ImportReport {
        rows: outcome.rows,
        good: outcome.good,
        bad: outcome.bad,
        written: if committed { written } else { 0 },
        committed,
        errors: outcome.errors,
    })
}

/// Rows written so far by the imports this instance is running (their outcome is in the
/// database; only the count while they run lives here): a part of the state.
#[derive(Default)]
pub struct Running(std::sync::Mutex<HashMap<i64, Arc<AtomicU64>>>);

impl Running {
    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<i64, Arc<AtomicU64>>> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn start(&self, id: i64, counter: Arc<AtomicU64>) {
        self.map().insert(id, counter);
    }

    fn end(&self, id: i64) {
        self.map().remove(&id);
    }

    /// Rows written so far by an import running on this instance.
    pub fn written(&self, id: i64) -> Option<u64> {
        self.map()
            .get(&id)
            .map(|c| c.load(std::sync::atomic::Ordering::Relaxed))
    }
}

/// The job that imports an uploaded file.
pub const IMPORT_JOB: &str = "stat-import";
/// The largest file the pages and the API accept for import (a million values in CSV are
/// about 60 MB).
pub const MAX_IMPORT_BYTES: usize = 100 * 1024 * 1024;

/// Whether the bytes are a zip archive (an XLSX workbook) rather than text.
pub fn is_xlsx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// Keeps an uploaded file and queues its import; returns the import's id.
pub async fn queue_import(
    state: &crate::state::AppState,
    actor: &Actor,
    file_name: &str,
    bytes: &[u8],
    mode: ImportMode,
    source: &str,
) -> crate::error::AppResult<i64> {
    let file_name: String = file_name.chars().take(200).collect();
    let source = match source.trim() {
        "" => file_name.clone(),
        s => s.chars().take(500).collect(),
    };
    let mut work = Work::begin(&state.db, actor.clone()).await?;
    let now = work.now;
    let id = repo::insert_import(
        &mut work.tx,
        &repo::NewImport {
            file_name: &file_name,
            kind: if is_xlsx(bytes) {
                super::ImportKind::Xlsx
            } else {
                super::ImportKind::Csv
            },
            mode,
            source: &source,
            bytes,
            user: actor.user_id,
        },
        now,
    )
    .await?;
    crate::jobs::enqueue(&mut work.tx, IMPORT_JOB, &json!({ "import": id }), now).await?;
    work.audit(
        "upload",
        "stat_import",
        id,
        json!({ "file": file_name, "bytes": bytes.len() }),
    )
    .await?;
    work.wake(&state.jobs_wakeup);
    work.commit().await?;
    Ok(id)
}

/// Runs an uploaded import (the job [`IMPORT_JOB`]). Idempotent: an import whose file is gone
/// has run; a second run of the same file would change nothing anyway.
pub async fn run_import_job(
    state: &crate::state::AppState,
    payload: &serde_json::Value,
) -> anyhow::Result<()> {
    let id = payload
        .get("import")
        .and_then(serde_json::Value::as_i64)
        .ok_or_else(|| anyhow::anyhow!("no import id"))?;
    let Some(row) = repo::find_import(&state.db, id).await? else {
        return Ok(());
    };
    let Some(bytes) = repo::start_import(&state.db, id).await? else {
        return Ok(());
    };
    let actor = match row.created_by {
        Some(user) => {
            let label = crate::auth::repo::find_user(&state.db, user)
                .await?
                .map(|u| u.email)
                .unwrap_or_default();
            Actor::user(user, &label, "")
        }
        None => Actor::system("import"),
    };
    let mode = row.mode;
    let file = match row.kind {
        super::ImportKind::Xlsx => ImportFile::Xlsx(bytes),
        super::ImportKind::Csv => ImportFile::Csv(std::io::Cursor::new(bytes)),
    };
    let counter = Arc::new(AtomicU64::new(0));
    let running = state.part::<Running>();
    running.start(id, counter.clone());
    let outcome = import_file(&state.db, &actor, file, mode, &row.source, Some(counter)).await;
    running.end(id);
    match outcome {
        Ok(report) => repo::finish_import(&state.db, id, Ok(&report), now()).await?,
        Err(e) => {
            tracing::warn!(id, error = %e, "statistics import failed");
            repo::finish_import(&state.db, id, Err(&format!("{e:#}")), now()).await?
        }
    }
    Ok(())
}
