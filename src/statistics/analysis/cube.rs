//! Approved values in memory, one indicator at a time, for rankings, aggregates and charts.
//!
//! Like the registry's snapshot it is a cache, never a source. [`CubeCache::get`] compares the
//! stored statistics revision (raised in the same transaction as every change to values) and
//! the registry snapshot with its own, and starts an empty cube when either moved. A cube loads
//! an indicator's approved values on first use (one indexed query) into a dense table of
//! periods × units, so a ranking or an aggregate is a pass over an array, not a query.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use chrono::{DateTime, Utc};

use super::repo;
use crate::db::Db;
use crate::registry::snapshot::{self, Snapshot};
use crate::registry::{Category, Level};
use crate::statistics::Period;
use crate::statistics::repo::IndicatorRow;

const NO_SLOT: u32 = u32::MAX;
const PARTIAL: u32 = 1 << 31;

/// One indicator's approved values: a row per period (oldest first), a column per unit slot.
pub struct Series {
    pub periods: Vec<Period>,
    width: usize,
    values: Vec<f64>,
    /// Per value: the index of its source in `sources`, with [`PARTIAL`] set when the period
    /// is covered in part only.
    notes: Vec<u32>,
    sources: Vec<String>,
}

impl Series {
    pub fn period_index(&self, period: Period) -> Option<usize> {
        self.periods.binary_search(&period).ok()
    }

    /// The latest period, if the indicator has any value.
    pub fn last_period(&self) -> Option<usize> {
        self.periods.len().checked_sub(1)
    }

    pub fn get(&self, slot: usize, period: usize) -> Option<f64> {
        let v = *self.values.get(period * self.width + slot)?;
        (!v.is_nan()).then_some(v)
    }

    /// Where the value came from, and whether its period is covered in part only.
    pub fn note(&self, slot: usize, period: usize) -> (&str, bool) {
        let n = self
            .notes
            .get(period * self.width + slot)
            .copied()
            .unwrap_or(0);
        let source = self
            .sources
            .get((n & !PARTIAL) as usize)
            .map_or("", String::as_str);
        (source, n & PARTIAL != 0)
    }

    /// The latest period with a value for the slot.
    pub fn latest(&self, slot: usize) -> Option<usize> {
        (0..self.periods.len())
            .rev()
            .find(|&p| self.get(slot, p).is_some())
    }

    /// The value of the period or, failing that, of the latest period before it, or else of
    /// the earliest after it: how a population divides values of years it was not counted in.
    pub fn nearest(&self, slot: usize, period: Period) -> Option<f64> {
        let split = self.periods.partition_point(|p| *p <= period);
        (0..split)
            .rev()
            .chain(split..self.periods.len())
            .find_map(|p| self.get(slot, p))
    }

    pub fn is_empty(&self) -> bool {
        self.periods.is_empty()
    }
}

/// The approved values of one statistics revision over one registry snapshot.
pub struct Cube {
    pub revision: i64,
    /// When values last changed.
    pub modified: Option<DateTime<Utc>>,
    pub snapshot: Arc<Snapshot>,
    pub indicators: Vec<IndicatorRow>,
    by_code: HashMap<String, usize>,
    /// Per snapshot node, its slot (oblasts, raions and hromadas have one).
    slot_of: Vec<u32>,
    /// Per slot, its node.
    nodes: Vec<usize>,
    /// Per slot, the slots of its oblast and raion (a unit's own slot at its level).
    oblast_of: Vec<u32>,
    raion_of: Vec<u32>,
    /// The hromadas' slots, in Ukrainian alphabetical order.
    hromadas: Vec<usize>,
    /// Per slot, what peers are chosen by (see [`super::query::profile`]).
    profiles: Vec<super::Profile>,
    series: RwLock<HashMap<i64, Arc<Series>>>,
    loading: tokio::sync::Mutex<()>,
}

impl Cube {
    pub fn build(
        revision: i64,
        modified: Option<DateTime<Utc>>,
        snapshot: Arc<Snapshot>,
        indicators: Vec<IndicatorRow>,
    ) -> Cube {
        let mut slot_of = vec![NO_SLOT; snapshot.len()];
        let mut nodes = Vec::new();
        for (i, node) in snapshot.nodes().iter().enumerate() {
            if matches!(node.level(), Level::Oblast | Level::Raion | Level::Hromada) {
                slot_of[i] = nodes.len() as u32;
                nodes.push(i);
            }
        }
        let up = |i: usize, level: Level| {
            snapshot
                .ancestors(i)
                .into_iter()
                .chain(std::iter::once(i))
                .find(|&a| snapshot.node(a).level() == level)
                .map_or(NO_SLOT, |a| slot_of[a])
        };
        let oblast_of: Vec<u32> = nodes.iter().map(|&i| up(i, Level::Oblast)).collect();
        let raion_of = nodes.iter().map(|&i| up(i, Level::Raion)).collect();
        let mut hromadas: Vec<usize> = (0..nodes.len())
            .filter(|&s| snapshot.node(nodes[s]).category == Category::Hromada)
            .collect();
        hromadas.sort_by(|a, b| {
            snapshot
                .node(nodes[*a])
                .sort_key
                .cmp(&snapshot.node(nodes[*b]).sort_key)
        });
        let profiles = (0..nodes.len())
            .map(|s| {
                let n = snapshot.node(nodes[s]);
                super::Profile {
                    kind: n.hromada_type,
                    population: n.population,
                    oblast: Some(oblast_of[s])
                        .filter(|o| *o != NO_SLOT)
                        .map(|o| o as usize),
                    status: snapshot.status(nodes[s]).map(|st| st.status),
                }
            })
            .collect();
        let by_code = indicators
            .iter()
            .enumerate()
            .map(|(i, d)| (d.code.clone(), i))
            .collect();
        Cube {
            revision,
            modified,
            snapshot,
            indicators,
            by_code,
            slot_of,
            nodes,
            oblast_of,
            raion_of,
            hromadas,
            profiles,
            series: RwLock::new(HashMap::new()),
            loading: tokio::sync::Mutex::new(()),
        }
    }

    pub fn indicator(&self, code: &str) -> Option<&IndicatorRow> {
        self.by_code.get(code).map(|&i| &self.indicators[i])
    }

    pub fn slot(&self, node: usize) -> Option<usize> {
        self.slot_of
            .get(node)
            .filter(|s| **s != NO_SLOT)
            .map(|s| *s as usize)
    }

    pub fn node(&self, slot: usize) -> usize {
        self.nodes[slot]
    }

    pub fn slots(&self) -> usize {
        self.nodes.len()
    }

    /// The slot of the oblast (or the raion) a slot lies in, itself at that level.
    pub fn oblast_of(&self, slot: usize) -> Option<usize> {
        let s = self.oblast_of[slot];
        (s != NO_SLOT).then_some(s as usize)
    }

    pub fn raion_of(&self, slot: usize) -> Option<usize> {
        let s = self.raion_of[slot];
        (s != NO_SLOT).then_some(s as usize)
    }

    /// What a slot's unit is compared by, worked out once per cube.
    pub fn profile(&self, slot: usize) -> super::Profile {
        self.profiles[slot]
    }

    /// The hromadas' slots, in alphabetical order.
    pub fn hromadas(&self) -> &[usize] {
        &self.hromadas
    }

    /// An indicator's approved values, loaded on first use.
    pub async fn series(&self, db: &Db, indicator: i64) -> sqlx::Result<Arc<Series>> {
        if let Some(s) = self.cached(indicator) {
            return Ok(s);
        }
        let _one_at_a_time = self.loading.lock().await;
        if let Some(s) = self.cached(indicator) {
            return Ok(s);
        }
        let rows = repo::approved_series(db, indicator).await?;
        let series = Arc::new(self.fill(rows));
        match self.series.write() {
            Ok(mut map) => map.insert(indicator, series.clone()),
            Err(poisoned) => poisoned.into_inner().insert(indicator, series.clone()),
        };
        Ok(series)
    }

    fn cached(&self, indicator: i64) -> Option<Arc<Series>> {
        match self.series.read() {
            Ok(map) => map.get(&indicator).cloned(),
            Err(poisoned) => poisoned.into_inner().get(&indicator).cloned(),
        }
    }

    /// Lays rows out in the dense table. Values of units that have no slot (settlements) or
    /// that are not in the registry any more, and periods that do not parse, are left out.
    fn fill(&self, rows: Vec<repo::SeriesRow>) -> Series {
        let mut parsed: HashMap<String, Option<Period>> = HashMap::new();
        let mut kept = Vec::with_capacity(rows.len());
        for (unit, period, value, partial, source) in rows {
            let Some(slot) = self.snapshot.find(&unit).and_then(|n| self.slot(n)) else {
                continue;
            };
            let period = *parsed
                .entry(period)
                .or_insert_with_key(|p| Period::parse(p).ok());
            if let Some(period) = period {
                kept.push((slot, period, value, partial, source));
            }
        }
        let mut periods: Vec<Period> = parsed.into_values().flatten().collect();
        periods.sort();
        periods.dedup();
        let width = self.nodes.len();
        let mut values = vec![f64::NAN; periods.len() * width];
        let mut notes = vec![0; periods.len() * width];
        let mut sources: Vec<String> = Vec::new();
        let mut source_ids: HashMap<String, u32> = HashMap::new();
        for (slot, period, value, partial, source) in kept {
            let Ok(p) = periods.binary_search(&period) else {
                continue;
            };
            let id = *source_ids.entry(source).or_insert_with_key(|s| {
                sources.push(s.clone());
                (sources.len() - 1) as u32
            });
            values[p * width + slot] = value;
            notes[p * width + slot] = id | if partial { PARTIAL } else { 0 };
        }
        Series {
            periods,
            width,
            values,
            notes,
            sources,
        }
    }
}

/// The approved values as they are now: the state's kept cube, started over when the
/// statistics revision or the registry moved.
pub async fn current(state: &crate::state::AppState) -> sqlx::Result<Arc<Cube>> {
    let snapshots = state.part::<snapshot::Cache>();
    state.part::<CubeCache>().get(&state.db, &snapshots).await
}

/// The cube this instance last built; see the module's notes.
#[derive(Default)]
pub struct CubeCache {
    current: RwLock<Option<Arc<Cube>>>,
    rebuild: tokio::sync::Mutex<()>,
}

impl CubeCache {
    fn cached(&self) -> Option<Arc<Cube>> {
        match self.current.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn fresh(&self, revision: i64, snapshot: &Arc<Snapshot>) -> Option<Arc<Cube>> {
        self.cached()
            .filter(|c| c.revision == revision && Arc::ptr_eq(&c.snapshot, snapshot))
    }

    /// The current cube: two small queries when nothing changed.
    pub async fn get(&self, db: &Db, registry: &snapshot::Cache) -> sqlx::Result<Arc<Cube>> {
        let snapshot = registry.get(db).await?;
        let (revision, modified) = repo::revision(db).await?;
        if let Some(cube) = self.fresh(revision, &snapshot) {
            return Ok(cube);
        }
        let _one_at_a_time = self.rebuild.lock().await;
        if let Some(cube) = self.fresh(revision, &snapshot) {
            return Ok(cube);
        }
        let indicators = crate::statistics::repo::indicators(db).await?;
        let cube = Arc::new(Cube::build(revision, modified, snapshot, indicators));
        match self.current.write() {
            Ok(mut guard) => *guard = Some(cube.clone()),
            Err(poisoned) => *poisoned.into_inner() = Some(cube.clone()),
        }
        Ok(cube)
    }
}
