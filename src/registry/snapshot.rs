//! A read-only picture of the whole current registry in memory: every unit with its parent,
//! children (in Ukrainian alphabetical order), counts and population beneath it, type and
//! status, and the search index. Pages and the API read from it instead of walking the tree in
//! SQL on every request.
//!
//! It is a cache of the database, never a source: [`Cache::get`] compares the stored
//! `registry_revision` (raised in the same transaction as every registry change) with the
//! snapshot's and rebuilds when they differ, so several app instances on one PostgreSQL agree.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use chrono::NaiveDate;

use super::attributes::{HromadaType, Status};
use super::facts::{FactsCache, UnitFacts};
use super::search::{Entry, SearchIndex};
use super::{Category, Level, repo};
use crate::db::Db;
use crate::i18n::Lang;

/// How many units of each level lie beneath a unit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub raions: u32,
    pub hromadas: u32,
    pub settlements: u32,
    pub districts: u32,
}

#[derive(Debug, Clone)]
pub struct Node {
    pub code: String,
    pub category: Category,
    pub parent: Option<usize>,
    pub name_uk: String,
    pub name_en: String,
    pub sort_key: String,
    pub hromada_type: Option<HromadaType>,
    /// A hromada's (or Kyiv's) own population on 1 January 2022; for an oblast or raion the sum
    /// over the hromadas beneath it that have one; `None` where no figure exists.
    pub population: Option<i64>,
    pub children: Vec<usize>,
    pub counts: Counts,
    /// The unit's own status in force today, with the day it holds from.
    pub own_status: Option<(Status, NaiveDate)>,
}

impl Node {
    pub fn level(&self) -> Level {
        self.category.level()
    }

    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Uk => &self.name_uk,
            Lang::En => &self.name_en,
        }
    }

    /// The unit's name with its kind, as people write it: "Вінницька область",
    /// "Vinnytskyi raion", "Vinnytska urban hromada", "село Агрономічне".
    pub fn title(&self, lang: Lang) -> String {
        super::title(
            lang,
            self.category,
            &self.name_uk,
            &self.name_en,
            self.hromada_type,
        )
    }
}

/// A status in force for a unit, its own or inherited from the unit above that set it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EffectiveStatus {
    pub status: Status,
    pub since: NaiveDate,
    /// The unit that set it (the unit itself when not inherited).
    pub from: usize,
}

pub struct Snapshot {
    pub revision: i64,
    nodes: Vec<Node>,
    by_code: HashMap<String, usize>,
    /// Retired codes → the code the unit lives on under.
    aliases: HashMap<String, String>,
    roots: Vec<usize>,
    search: SearchIndex,
    /// Each unit's own records, read on first demand (see [`super::facts`]).
    facts: FactsCache,
}

/// Everything the snapshot is built from, as read from the database.
pub struct Rows {
    pub revision: i64,
    pub units: Vec<repo::UnitRow>,
    pub attributes: Vec<(String, String, Option<String>, Option<f64>)>,
    pub statuses: Vec<(String, Status, NaiveDate)>,
    pub aliases: Vec<(String, String)>,
}

impl Snapshot {
    pub fn empty() -> Snapshot {
        Snapshot {
            revision: -1,
            nodes: Vec::new(),
            by_code: HashMap::new(),
            aliases: HashMap::new(),
            roots: Vec::new(),
            search: SearchIndex::default(),
            facts: FactsCache::default(),
        }
    }

    /// Builds the tree. `today` decides which dated statuses are in force.
    pub fn build(rows: Rows, today: NaiveDate) -> Snapshot {
        let mut pairs: Vec<(Node, Option<String>)> = rows
            .units
            .into_iter()
            .filter_map(|u| {
                let node = Node {
                    category: Category::from_letter(&u.category)?,
                    code: u.code,
                    parent: None,
                    name_uk: u.name_uk,
                    name_en: u.name_en,
                    sort_key: u.sort_key,
                    hromada_type: None,
                    population: None,
                    children: Vec::new(),
                    counts: Counts::default(),
                    own_status: None,
                };
                Some((node, u.parent_code))
            })
            .collect();
        // Ukrainian alphabetical order everywhere a list is shown: children are pushed in
        // this order below, so they come out sorted.
        pairs.sort_by(|(a, _), (b, _)| {
            (a.sort_key.as_str(), a.code.as_str()).cmp(&(b.sort_key.as_str(), b.code.as_str()))
        });
        let (mut nodes, parents): (Vec<Node>, Vec<Option<String>>) = pairs.into_iter().unzip();
        let by_code: HashMap<String, usize> = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.code.clone(), i))
            .collect();
        let mut roots = Vec::new();
        for (i, parent) in parents.iter().enumerate() {
            match parent.as_deref().and_then(|p| by_code.get(p)) {
                Some(&p) if p != i => {
                    nodes[i].parent = Some(p);
                    nodes[p].children.push(i);
                }
                _ => {
                    nodes[i].parent = None;
                    roots.push(i);
                }
            }
        }
        for (code, key, text, number) in rows.attributes {
            let Some(&i) = by_code.get(&code) else {
                continue;
            };
            match key.as_str() {
                "type" => nodes[i].hromada_type = text.as_deref().and_then(HromadaType::parse),
                "population_total" => nodes[i].population = number.map(|n| n.round() as i64),
                _ => {}
            }
        }
        for (code, status, since) in rows.statuses {
            // Rows come oldest first: the last one in force today wins.
            if let Some(&i) = by_code.get(&code)
                && since <= today
            {
                nodes[i].own_status = Some((status, since));
            }
        }
        // Counts and population sums, children before parents: visit in reverse depth order.
        let mut depth = vec![0usize; nodes.len()];
        for i in 0..nodes.len() {
            let (mut d, mut at) = (0, nodes[i].parent);
            while let Some(p) = at {
                d += 1;
                at = nodes[p].parent;
                if d > 8 {
                    break;
                }
            }
            depth[i] = d;
        }
        let mut by_depth: Vec<usize> = (0..nodes.len()).collect();
        by_depth.sort_by_key(|&i| std::cmp::Reverse(depth[i]));
        for i in by_depth {
            let Some(p) = nodes[i].parent else { continue };
            let child = nodes[i].counts;
            let level = nodes[i].level();
            // Sum hromadas' own figures (and, through raions, theirs); a hromada's own figure
            // is not added twice for its settlements, which have none.
            let population = match level {
                Level::Hromada | Level::Raion => nodes[i].population,
                _ => None,
            };
            let parent = &mut nodes[p];
            parent.counts.raions += child.raions + u32::from(level == Level::Raion);
            parent.counts.hromadas += child.hromadas + u32::from(level == Level::Hromada);
            parent.counts.settlements += child.settlements + u32::from(level == Level::Settlement);
            parent.counts.districts += child.districts + u32::from(level == Level::District);
            if let Some(n) = population
                && parent.level() != Level::Hromada
                && parent.category != Category::SpecialCity
            {
                parent.population = Some(parent.population.unwrap_or(0) + n);
            }
        }
        let search = SearchIndex::build(
            nodes
                .iter()
                .map(|n| {
                    Entry::new(
                        n.code.clone(),
                        n.category,
                        n.name_uk.clone(),
                        n.name_en.clone(),
                        n.population,
                    )
                })
                .collect(),
        );
        Snapshot {
            revision: rows.revision,
            nodes,
            by_code,
            aliases: rows.aliases.into_iter().collect(),
            roots,
            search,
            facts: FactsCache::default(),
        }
    }

    /// Unit `i`'s attributes, status entries, changes and former codes, as of this snapshot's
    /// revision: read from the database the first time they are asked for, then from memory.
    pub async fn facts(&self, db: &Db, i: usize) -> sqlx::Result<Arc<UnitFacts>> {
        self.facts.get(db, i, &self.nodes[i].code).await
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    pub fn node(&self, i: usize) -> &Node {
        &self.nodes[i]
    }

    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    pub fn find(&self, code: &str) -> Option<usize> {
        self.by_code.get(code).copied()
    }

    /// The code a retired code now belongs to.
    pub fn alias(&self, old_code: &str) -> Option<&str> {
        self.aliases.get(old_code).map(String::as_str)
    }

    /// First-level units: oblasts, Crimea, Kyiv and Sevastopol, in alphabetical order.
    pub fn roots(&self) -> &[usize] {
        &self.roots
    }

    /// Every unit beneath `i`, at any depth (not `i` itself).
    pub fn descendants(&self, i: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack: Vec<usize> = self.nodes[i].children.clone();
        while let Some(n) = stack.pop() {
            out.push(n);
            stack.extend_from_slice(&self.nodes[n].children);
        }
        out
    }

    /// The units above `i`, the first-level unit first.
    pub fn ancestors(&self, i: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut at = self.nodes[i].parent;
        while let Some(p) = at {
            if out.len() > 8 {
                break;
            }
            out.push(p);
            at = self.nodes[p].parent;
        }
        out.reverse();
        out
    }

    /// The status in force: the unit's own, or the nearest one set above it.
    pub fn status(&self, i: usize) -> Option<EffectiveStatus> {
        let mut at = Some(i);
        let mut steps = 0;
        while let Some(n) = at {
            if let Some((status, since)) = self.nodes[n].own_status {
                return Some(EffectiveStatus {
                    status,
                    since,
                    from: n,
                });
            }
            steps += 1;
            if steps > 8 {
                break;
            }
            at = self.nodes[n].parent;
        }
        None
    }

    /// Every unit of a level, in alphabetical order.
    pub fn at_level(&self, level: Level) -> impl Iterator<Item = usize> + '_ {
        (0..self.nodes.len()).filter(move |&i| self.nodes[i].level() == level)
    }
}

/// The snapshot an app instance serves from, rebuilt when the database's revision moves.
/// The registry as it is now: the state's kept snapshot, read again when the database's
/// registry revision moved.
pub async fn current(state: &crate::state::AppState) -> Result<Arc<Snapshot>, sqlx::Error> {
    state.part::<Cache>().get(&state.db).await
}

pub struct Cache {
    current: RwLock<Arc<Snapshot>>,
    rebuild: tokio::sync::Mutex<()>,
}

impl Default for Cache {
    fn default() -> Self {
        Cache {
            current: RwLock::new(Arc::new(Snapshot::empty())),
            rebuild: tokio::sync::Mutex::new(()),
        }
    }
}

impl Cache {
    fn cached(&self) -> Arc<Snapshot> {
        match self.current.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// The current snapshot: one small query when nothing changed; otherwise one request
    /// rebuilds it while others wait for the result.
    pub async fn get(&self, db: &Db) -> Result<Arc<Snapshot>, sqlx::Error> {
        let revision = repo::revision(db).await?;
        let snapshot = self.cached();
        if snapshot.revision == revision {
            return Ok(snapshot);
        }
        let _one_at_a_time = self.rebuild.lock().await;
        let snapshot = self.cached();
        if snapshot.revision == revision {
            return Ok(snapshot);
        }
        // The revision is read before the rows: a change made meanwhile raises it again and
        // the next request rebuilds.
        let rows = Rows {
            revision,
            units: repo::current_units(db).await?,
            attributes: repo::summary_attributes(db).await?,
            statuses: repo::all_statuses(db).await?,
            aliases: repo::aliases(db).await?,
        };
        let today = crate::clock::now()
            .with_timezone(&chrono_tz::Europe::Kyiv)
            .date_naive();
        let built = tokio::task::spawn_blocking(move || Snapshot::build(rows, today))
            .await
            .map_err(|e| sqlx::Error::Protocol(format!("snapshot build failed: {e}")))?;
        let built = Arc::new(built);
        match self.current.write() {
            Ok(mut guard) => *guard = built.clone(),
            Err(poisoned) => *poisoned.into_inner() = built.clone(),
        }
        Ok(built)
    }
}

impl Snapshot {
    /// Units matching `query`, best first (see [`super::search`]), and how many match in all.
    pub fn search(
        &self,
        query: &str,
        level: Option<Level>,
        limit: usize,
        offset: usize,
    ) -> (Vec<usize>, usize) {
        let results = self.search.search(query, level, limit, offset);
        let hits = results
            .hits
            .iter()
            .filter_map(|h| self.find(&h.entry.code))
            .collect();
        (hits, results.total)
    }
}
