//! Statistics use cases shared by the server's start-up, pages, API and command line.

use std::collections::HashMap;

use serde_json::json;

use super::shipped::{self, Shipped};
use super::{Period, repo};
use crate::auth::{Actor, now};
use crate::db::Db;
use crate::registry::attributes::Key;

/// The year the shipped population figures describe (1 January 2022).
const POPULATION_YEAR: i32 = 2022;
/// The year of the shipped areas (COD-AB, valid from 16 April 2024).
const AREA_YEAR: i32 = 2024;
/// The year of the shipped codifier's edition (2 July 2025), for the settlement counts.
const SETTLEMENTS_YEAR: i32 = 2025;

/// Loads the shipped indicators and their real values, as approved, the first time (the
/// registry must be loaded). One transaction with its audit entry. Returns whether it loaded.
pub async fn ensure_loaded(db: &Db, actor: &Actor) -> anyhow::Result<bool> {
    if repo::has_indicators(db).await? || !crate::registry::repo::has_units(db).await? {
        super::collection::actions::ensure_defaults(db, actor).await?;
        return Ok(false);
    }
    let defs = shipped::indicators()?;
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
    values.extend(shipped::budget_values(&defs)?);
    // Only units the registry holds.
    values.retain(|v| snap.find(&v.unit_code).is_some());

    let now = now();
    let mut tx = db.begin().await?;
    let mut ids = HashMap::new();
    let mut sources = HashMap::new();
    for d in &defs {
        let id = repo::insert_indicator(&mut tx, d, now).await?;
        ids.insert(d.code.clone(), id);
        sources.insert(id, d.source_uk.clone());
    }
    let rows: Vec<(i64, &Shipped)> = values
        .iter()
        .filter_map(|v| ids.get(&v.indicator).map(|id| (*id, v)))
        .collect();
    let source = |id: i64| sources.get(&id).cloned().unwrap_or_default();
    let inserted = repo::insert_approved(&mut tx, &rows, &source, actor.user_id, now).await?;
    repo::record_first_changes(&mut tx).await?;
    crate::audit::repo::record(
        &mut tx,
        actor,
        "load",
        "statistics",
        "shipped",
        json!({ "indicators": defs.len(), "values": inserted }),
        now,
    )
    .await?;
    tx.commit().await?;
    super::collection::actions::ensure_defaults(db, actor).await?;
    tracing::info!(
        indicators = defs.len(),
        values = inserted,
        "statistics loaded from the shipped data"
    );
    Ok(true)
}

/// Whether an import keeps the good rows of a file with bad ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportMode {
    /// Every row or none.
    AllOrNothing,
    /// The good rows; the bad ones are reported.
    GoodRows,
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
/// CSV's size does not decide the memory used.
pub async fn import_file<R: std::io::Read + Send + 'static>(
    db: &Db,
    actor: &Actor,
    file: ImportFile<R>,
    mode: ImportMode,
    source: &str,
) -> anyhow::Result<ImportReport> {
    let catalogue = repo::import_catalogue(db).await?;
    let snapshot = crate::registry::snapshot::Cache::default().get(db).await?;
    let (send, mut receive) = tokio::sync::mpsc::channel::<Vec<super::import::Row>>(4);
    let reading = tokio::task::spawn_blocking(move || {
        let exists = |code: &str| snapshot.find(code).is_some();
        let mut batch = Vec::with_capacity(IMPORT_BATCH);
        let mut good = |row| {
            batch.push(row);
            if batch.len() == IMPORT_BATCH {
                send.blocking_send(std::mem::take(&mut batch))
                    .map_err(|_| anyhow::anyhow!("the import's writer stopped"))?;
            }
            Ok(())
        };
        let outcome = match file {
            ImportFile::Csv(input) => {
                super::import::read_csv(input, &catalogue, &exists, &mut good)?
            }
            ImportFile::Xlsx(bytes) => {
                super::import::read_xlsx(&bytes, &catalogue, &exists, &mut good)?
            }
        };
        if !batch.is_empty() {
            send.blocking_send(batch)
                .map_err(|_| anyhow::anyhow!("the import's writer stopped"))?;
        }
        Ok::<_, anyhow::Error>(outcome)
    });
    let now = now();
    let mut tx = db.begin().await?;
    tx.sqlite_cache_kib(BULK_CACHE_KIB).await?;
    let mut written = 0;
    while let Some(rows) = receive.recv().await {
        written += repo::upsert_values(
            &mut tx,
            &rows,
            super::ValueState::Approved.code(),
            source,
            actor.user_id,
            now,
        )
        .await?;
    }
    let outcome = reading.await??;
    let committed = mode == ImportMode::GoodRows || outcome.bad == 0;
    tx.sqlite_cache_kib(2_000).await?;
    if committed {
        crate::audit::repo::record(
            &mut tx,
            actor,
            "import",
            "stat_values",
            source,
            json!({ "rows": outcome.rows, "good": outcome.good, "bad": outcome.bad, "written": written }),
            now,
        )
        .await?;
        tx.commit().await?;
    } else {
        // Dropped unfinished: nothing of the file is kept.
        drop(tx);
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
