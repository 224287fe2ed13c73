//! The analysis side of statistics: ranks with ties, peer groups, aggregates up the hierarchy
//! with their coverage, values per inhabitant and quantile classes for maps. Pure functions
//! over numbers; the cube ([`cube`]) feeds them approved values and the pages draw the results.

pub mod api;
pub mod catalog;
pub mod compare;
pub mod cube;
pub mod indicator_pages;
pub mod map;
pub mod pages;
pub mod query;
pub mod releases;
pub mod repo;
pub mod svg;

/// The indicator that values per inhabitant divide by.
pub const POPULATION: &str = "population_total";

use crate::registry::attributes::{HromadaType, Status};

use super::Aggregation;

/// Which end of a ranking is first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    /// The largest value ranks 1.
    #[default]
    Descending,
    /// The smallest value ranks 1.
    Ascending,
}

impl Order {
    pub fn code(self) -> &'static str {
        match self {
            Order::Descending => "desc",
            Order::Ascending => "asc",
        }
    }

    pub fn parse(code: &str) -> Option<Order> {
        match code {
            "desc" => Some(Order::Descending),
            "asc" => Some(Order::Ascending),
            _ => None,
        }
    }
}

/// One ranked entry: the caller's key, its value and its rank.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ranked<K> {
    pub key: K,
    pub value: f64,
    /// Standard competition rank ("1224"): equal values share the best rank among them and
    /// the next value skips the places they took.
    pub rank: u32,
}

/// Ranks `entries` (non-finite values are left out), best first; entries of equal value keep
/// the order they came in, so a caller that passes them sorted by name gets ties by name.
pub fn rank<K: Copy>(entries: impl IntoIterator<Item = (K, f64)>, order: Order) -> Vec<Ranked<K>> {
    let mut sorted: Vec<(K, f64)> = entries.into_iter().filter(|(_, v)| v.is_finite()).collect();
    match order {
        Order::Descending => sorted.sort_by(|a, b| b.1.total_cmp(&a.1)),
        Order::Ascending => sorted.sort_by(|a, b| a.1.total_cmp(&b.1)),
    }
    let mut out = Vec::with_capacity(sorted.len());
    let mut rank = 0;
    let mut previous = f64::NAN;
    for (i, (key, value)) in sorted.into_iter().enumerate() {
        if value != previous {
            rank = i as u32 + 1;
            previous = value;
        }
        out.push(Ranked { key, value, rank });
    }
    out
}

/// Population bands for peer groups, by population on 1 January 2022. A band holds its lower
/// edge and not its upper one: a hromada of exactly 10,000 people is in 10–20 thousand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Band {
    Under5k,
    From5k,
    From10k,
    From20k,
    From50k,
    From100k,
    From250k,
}

impl Band {
    pub const ALL: [Band; 7] = [
        Band::Under5k,
        Band::From5k,
        Band::From10k,
        Band::From20k,
        Band::From50k,
        Band::From100k,
        Band::From250k,
    ];

    /// The band's lower edge and, but for the last, its upper edge (not included).
    pub fn edges(self) -> (i64, Option<i64>) {
        match self {
            Band::Under5k => (0, Some(5_000)),
            Band::From5k => (5_000, Some(10_000)),
            Band::From10k => (10_000, Some(20_000)),
            Band::From20k => (20_000, Some(50_000)),
            Band::From50k => (50_000, Some(100_000)),
            Band::From100k => (100_000, Some(250_000)),
            Band::From250k => (250_000, None),
        }
    }

    pub fn of(population: i64) -> Band {
        Band::ALL
            .into_iter()
            .rev()
            .find(|b| population >= b.edges().0)
            .unwrap_or(Band::Under5k)
    }

    pub fn code(self) -> &'static str {
        match self {
            Band::Under5k => "0-5k",
            Band::From5k => "5k-10k",
            Band::From10k => "10k-20k",
            Band::From20k => "20k-50k",
            Band::From50k => "50k-100k",
            Band::From100k => "100k-250k",
            Band::From250k => "250k+",
        }
    }

    pub fn parse(code: &str) -> Option<Band> {
        Band::ALL.into_iter().find(|b| b.code() == code)
    }
}

/// What a hromada is compared by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Profile {
    pub kind: Option<HromadaType>,
    pub population: Option<i64>,
    /// The oblast it lies in (the caller's index of it).
    pub oblast: Option<usize>,
    pub status: Option<Status>,
}

/// A peer group: hromadas of the same type and population band, and optionally of the same
/// oblast or the same wartime status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Peers {
    pub kind: HromadaType,
    pub band: Band,
    pub oblast: Option<usize>,
    pub status: Option<Status>,
}

impl Peers {
    /// The peers of a hromada with `profile`; `None` when its type or population is unknown.
    /// `same_oblast` and `same_status` narrow the group where the hromada has them.
    pub fn of(profile: &Profile, same_oblast: bool, same_status: bool) -> Option<Peers> {
        Some(Peers {
            kind: profile.kind?,
            band: Band::of(profile.population?),
            oblast: profile.oblast.filter(|_| same_oblast),
            status: profile.status.filter(|_| same_status),
        })
    }

    pub fn includes(&self, other: &Profile) -> bool {
        other.kind == Some(self.kind)
            && other.population.map(Band::of) == Some(self.band)
            && self.oblast.is_none_or(|o| other.oblast == Some(o))
            && self.status.is_none_or(|s| other.status == Some(s))
    }
}

/// One unit's part in an aggregate: its value, its weight (for a weighted mean) and its
/// population (for the share of the population covered).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Part {
    pub value: Option<f64>,
    pub weight: Option<f64>,
    pub population: Option<i64>,
}

/// An aggregate over the units beneath an area, with how much of the area it covers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Aggregate {
    /// `None` when no unit counts or the indicator does not aggregate.
    pub value: Option<f64>,
    /// Units whose value entered the aggregate.
    pub covered: u32,
    /// Units expected (all the units beneath the area).
    pub expected: u32,
    /// Population of the units covered and of all the units, where known.
    pub population_covered: i64,
    pub population_total: i64,
}

impl Aggregate {
    /// The share of the area's population the aggregate covers, 0–1; `None` with no population.
    pub fn population_share(&self) -> Option<f64> {
        (self.population_total > 0)
            .then(|| self.population_covered as f64 / self.population_total as f64)
    }
}

/// Aggregates `parts` by `rule`. A unit counts when it has a finite value and, for a weighted
/// mean, a finite weight that is not negative; a weighted mean whose weights sum to zero has no
/// value. Sum and the means of nothing are `None`, not 0: no report is not a report of zero.
pub fn aggregate(rule: &Aggregation, parts: &[Part]) -> Aggregate {
    let population_total = parts.iter().map(|p| p.population.unwrap_or(0)).sum();
    let mut out = Aggregate {
        value: None,
        covered: 0,
        expected: parts.len() as u32,
        population_covered: 0,
        population_total,
    };
    if matches!(rule, Aggregation::None) {
        return out;
    }
    let weighted = matches!(rule, Aggregation::WeightedMean(_));
    let counts = |p: &Part| {
        p.value.is_some_and(f64::is_finite)
            && (!weighted || p.weight.is_some_and(|w| w.is_finite() && w >= 0.0))
    };
    let mut sum = 0.0;
    let mut weights = 0.0;
    let mut min = f64::INFINITY;
    let mut max = f64::NEG_INFINITY;
    for p in parts.iter().filter(|p| counts(p)) {
        let v = p.value.unwrap_or_default();
        out.covered += 1;
        out.population_covered += p.population.unwrap_or(0);
        if weighted {
            let w = p.weight.unwrap_or_default();
            sum += v * w;
            weights += w;
        } else {
            sum += v;
        }
        min = min.min(v);
        max = max.max(v);
    }
    if out.covered > 0 {
        out.value = match rule {
            Aggregation::Sum => Some(sum),
            Aggregation::WeightedMean(_) => (weights > 0.0).then(|| sum / weights),
            Aggregation::Mean => Some(sum / f64::from(out.covered)),
            Aggregation::Min => Some(min),
            Aggregation::Max => Some(max),
            Aggregation::None => None,
        };
    }
    out
}

/// A value per inhabitant, when there is a population to divide by.
pub fn per_capita(value: f64, population: Option<f64>) -> Option<f64> {
    population
        .filter(|p| p.is_finite() && *p > 0.0)
        .map(|p| value / p)
        .filter(|v| v.is_finite())
}

/// The upper bounds of `classes` quantile classes of `values` (the last is the maximum), for
/// a map's legend: each class holds about as many units. Equal values never straddle a bound,
/// so there may be fewer classes than asked when few distinct values exist.
pub fn quantile_breaks(values: &[f64], classes: usize) -> Vec<f64> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if sorted.is_empty() || classes == 0 {
        return Vec::new();
    }
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    let mut breaks: Vec<f64> = (1..=classes)
        .map(|k| sorted[(k * n).div_ceil(classes) - 1])
        .collect();
    breaks.dedup();
    breaks
}

/// The class (0-based) of `value` among `breaks` from [`quantile_breaks`].
pub fn class_of(value: f64, breaks: &[f64]) -> Option<usize> {
    if !value.is_finite() || breaks.is_empty() {
        return None;
    }
    Some(
        breaks
            .iter()
            .position(|b| value <= *b)
            .unwrap_or(breaks.len() - 1),
    )
}

#[cfg(test)]
mod tests;
