//! Questions asked of the cube: a hromada's profile, rankings over a scope, a unit's place,
//! aggregates by oblast or raion with coverage, values per inhabitant.

use super::cube::{Cube, Series};
use super::{Aggregate, Band, Order, Part, Peers, Profile, Ranked, aggregate, per_capita, rank};
use crate::registry::Level;
use crate::registry::attributes::{HromadaType, Status};
use crate::statistics::{Aggregation, Period};

/// A value as it is, or divided by the population (of its year, else the latest before).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Measure {
    #[default]
    Value,
    PerCapita,
}

impl Measure {
    pub fn code(self) -> &'static str {
        match self {
            Measure::Value => "value",
            Measure::PerCapita => "per_capita",
        }
    }

    pub fn parse(code: &str) -> Option<Measure> {
        match code {
            "value" | "" => Some(Measure::Value),
            "per_capita" => Some(Measure::PerCapita),
            _ => None,
        }
    }
}

/// Which hromadas a ranking takes in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scope {
    /// Beneath this oblast or raion (its slot).
    pub within: Option<usize>,
    pub kind: Option<HromadaType>,
    pub band: Option<Band>,
    pub status: Option<Status>,
    /// A peer group (applied on top of the rest).
    pub peers: Option<Peers>,
}

/// What a question about one indicator needs: the cube, the indicator's values and, for
/// values per inhabitant, the population's.
#[derive(Clone, Copy)]
pub struct View<'a> {
    pub cube: &'a Cube,
    pub series: &'a Series,
    pub population: Option<&'a Series>,
    pub measure: Measure,
}

impl View<'_> {
    /// The measured value of a slot in a period (by index in the indicator's series).
    pub fn value(&self, slot: usize, p: usize) -> Option<f64> {
        let v = self.series.get(slot, p)?;
        match self.measure {
            Measure::Value => Some(v),
            Measure::PerCapita => per_capita(v, self.population_of(slot, self.series.periods[p])),
        }
    }

    /// The population that divides a slot's values of `period`.
    pub fn population_of(&self, slot: usize, period: Period) -> Option<f64> {
        self.population?.nearest(slot, period)
    }

    /// The hromadas in `scope` with their measured value in period `p`, alphabetically.
    pub fn entries(&self, p: usize, scope: &Scope) -> Vec<(usize, f64)> {
        self.cube
            .hromadas()
            .iter()
            .filter(|&&s| in_scope(self.cube, s, scope))
            .filter_map(|&s| Some((s, self.value(s, p)?)))
            .collect()
    }

    /// The ranking of the hromadas in `scope` in period `p`.
    pub fn ranking(&self, p: usize, scope: &Scope, order: Order) -> Vec<Ranked<usize>> {
        rank(self.entries(p, scope), order)
    }

    /// A hromada's place in `scope` in period `p` (largest first) and how many were ranked,
    /// without sorting: one more than the number of larger values.
    pub fn place(&self, slot: usize, p: usize, scope: &Scope) -> Option<(u32, u32)> {
        let mine = self.value(slot, p)?;
        let mut above = 0;
        let mut total = 0;
        for (_, v) in self.entries(p, scope) {
            total += 1;
            if v > mine {
                above += 1;
            }
        }
        Some((above + 1, total))
    }
}

/// What a hromada (by slot) is compared by: its type, population on 1 January 2022, oblast and
/// wartime status today.
pub fn profile(cube: &Cube, slot: usize) -> Profile {
    cube.profile(slot)
}

pub fn in_scope(cube: &Cube, slot: usize, scope: &Scope) -> bool {
    if let Some(area) = scope.within
        && cube.oblast_of(slot) != Some(area)
        && cube.raion_of(slot) != Some(area)
    {
        return false;
    }
    if scope.kind.is_none()
        && scope.band.is_none()
        && scope.status.is_none()
        && scope.peers.is_none()
    {
        return true;
    }
    let p = profile(cube, slot);
    scope.kind.is_none_or(|k| p.kind == Some(k))
        && scope
            .band
            .is_none_or(|b| p.population.map(Band::of) == Some(b))
        && scope.status.is_none_or(|s| p.status == Some(s))
        && scope.peers.is_none_or(|peers| peers.includes(&p))
}

/// One area's aggregate.
#[derive(Debug, Clone, Copy)]
pub struct AreaAggregate {
    /// The oblast's or raion's slot.
    pub area: usize,
    pub aggregate: Aggregate,
}

/// The aggregates of period `p` by oblast or raion, by the indicator's rule. Values per
/// inhabitant aggregate as the sum of the values over the sum of the populations of the
/// hromadas that have both (a mean of the per-inhabitant values weighted by population).
/// `weights` is the series a weighted mean weighs by, for the same period.
pub fn aggregates(
    view: &View,
    rule: &Aggregation,
    weights: Option<&Series>,
    p: usize,
    level: Level,
) -> Vec<AreaAggregate> {
    let cube = view.cube;
    let period = view.series.periods[p];
    let per_capita = view.measure == Measure::PerCapita;
    let mut groups: std::collections::BTreeMap<usize, Vec<Part>> = Default::default();
    for &s in cube.hromadas() {
        let area = match level {
            Level::Raion => cube.raion_of(s),
            _ => cube.oblast_of(s),
        };
        let Some(area) = area else { continue };
        let weight = if per_capita {
            view.population_of(s, period)
        } else {
            weights.and_then(|w| w.period_index(period).and_then(|wp| w.get(s, wp)))
        };
        groups.entry(area).or_default().push(Part {
            value: view.value(s, p),
            weight,
            population: cube.snapshot.node(cube.node(s)).population,
        });
    }
    let rule = if per_capita && *rule != Aggregation::None {
        Aggregation::WeightedMean("population".into())
    } else {
        rule.clone()
    };
    let mut out: Vec<AreaAggregate> = groups
        .into_iter()
        .map(|(area, parts)| AreaAggregate {
            area,
            aggregate: aggregate(&rule, &parts),
        })
        .collect();
    out.sort_by(|a, b| {
        let key = |x: &AreaAggregate| &cube.snapshot.node(cube.node(x.area)).sort_key;
        key(a).cmp(key(b))
    });
    out
}
