//! The real statistics shipped with hromada, loaded as approved values with their sources:
//! the indicators' definitions (`data/statistics/indicators.tsv`), population on 1 January 2022
//! and area per hromada (the registry's shipped attributes), the number of settlements per
//! hromada (the codifier), and local budget revenues for 2021–2023
//! (`data/statistics/budgets-2021-2023.csv.gz`, made by `prepare_budgets.py`; 2023 is partial).

use super::{Aggregation, Period, Periodicity, ValueType, valid_code};

static INDICATORS_TSV: &str = include_str!("../../data/statistics/indicators.tsv");
static RULES_TSV: &str = include_str!("../../data/statistics/rules.tsv");
static DATASETS_TSV: &str = include_str!("../../data/statistics/datasets.tsv");
static DATASET_ITEMS_TSV: &str = include_str!("../../data/statistics/dataset_items.tsv");
static BUDGETS_GZ: &[u8] = include_bytes!("../../data/statistics/budgets-2021-2023.csv.gz");

/// The year whose budget figures cover part of the year only (the source stops in summer).
pub const PARTIAL_BUDGET_YEAR: i32 = 2023;

/// An indicator as defined in the shipped file.
#[derive(Debug, Clone)]
pub struct IndicatorDef {
    pub code: String,
    pub value_type: ValueType,
    pub periodicity: Periodicity,
    pub aggregation: Aggregation,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub measure_uk: String,
    pub measure_en: String,
    pub name_uk: String,
    pub name_en: String,
    pub definition_uk: String,
    pub definition_en: String,
    pub source_uk: String,
    pub source_en: String,
    /// The column of the budget file it comes from, for budget indicators.
    pub column: Option<String>,
    /// A move from the last period by more than this share (in percent) asks for a comment.
    pub warn_change_pct: Option<f64>,
    /// Whether the indicator is also shown per inhabitant.
    pub per_capita: bool,
}

/// The shipped indicators; a broken line is a build-time mistake, reported with its number.
pub fn indicators() -> anyhow::Result<Vec<IndicatorDef>> {
    let mut out = Vec::new();
    for (i, line) in INDICATORS_TSV.lines().enumerate().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let bad = || anyhow::anyhow!("indicators.tsv line {}: malformed", i + 1);
        if f.len() != 17 || !valid_code(f[0]) {
            return Err(bad());
        }
        let number = |s: &str| -> anyhow::Result<Option<f64>> {
            if s.is_empty() {
                Ok(None)
            } else {
                Ok(Some(s.parse().map_err(|_| bad())?))
            }
        };
        out.push(IndicatorDef {
            code: f[0].to_string(),
            value_type: ValueType::parse(f[1]).ok_or_else(bad)?,
            periodicity: Periodicity::parse(f[2]).ok_or_else(bad)?,
            aggregation: Aggregation::parse(f[3]).ok_or_else(bad)?,
            min: number(f[4])?,
            max: number(f[5])?,
            measure_uk: f[6].to_string(),
            measure_en: f[7].to_string(),
            name_uk: f[8].to_string(),
            name_en: f[9].to_string(),
            definition_uk: f[10].to_string(),
            definition_en: f[11].to_string(),
            source_uk: f[12].to_string(),
            source_en: f[13].to_string(),
            column: (!f[14].is_empty()).then(|| f[14].to_string()),
            warn_change_pct: number(f[15])?,
            per_capita: match f[16] {
                "yes" => true,
                "no" => false,
                _ => return Err(bad()),
            },
        });
    }
    Ok(out)
}

/// The lines of a shipped table, split at tabs, header left out; each must have `n` fields.
fn tsv_lines(name: &str, text: &'static str, n: usize) -> anyhow::Result<Vec<Vec<&'static str>>> {
    text.lines()
        .enumerate()
        .skip(1)
        .map(|(i, line)| {
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() == n {
                Ok(f)
            } else {
                Err(anyhow::anyhow!(
                    "{name} line {}: {} fields, not {n}",
                    i + 1,
                    f.len()
                ))
            }
        })
        .collect()
}

/// The shipped rules between indicators.
pub fn rules() -> anyhow::Result<Vec<super::rules::Rule>> {
    tsv_lines("rules.tsv", RULES_TSV, 6)?
        .into_iter()
        .map(|f| {
            let rule = super::rules::Rule {
                code: f[0].to_string(),
                left: f[1].to_string(),
                operator: super::rules::Operator::parse(f[2])
                    .ok_or_else(|| anyhow::anyhow!("rules.tsv: bad operator {}", f[2]))?,
                right: f[3].split(' ').map(str::to_string).collect(),
                message_uk: f[4].to_string(),
                message_en: f[5].to_string(),
            };
            rule.check()
                .map_err(|e| anyhow::anyhow!("rules.tsv {}: {e}", f[0]))?;
            Ok(rule)
        })
        .collect()
}

/// A shipped data set with its items (indicator code, section and help in both languages),
/// in form order.
#[derive(Debug, Clone)]
pub struct DatasetDef {
    pub code: String,
    pub periodicity: Periodicity,
    pub name_uk: String,
    pub name_en: String,
    pub description_uk: String,
    pub description_en: String,
    pub items: Vec<DatasetItemDef>,
}

#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct DatasetItemDef {
    pub indicator: String,
    #[serde(default)]
    pub section_uk: String,
    #[serde(default)]
    pub section_en: String,
    #[serde(default)]
    pub help_uk: String,
    #[serde(default)]
    pub help_en: String,
}

pub fn datasets() -> anyhow::Result<Vec<DatasetDef>> {
    let mut out: Vec<DatasetDef> = Vec::new();
    for f in tsv_lines("datasets.tsv", DATASETS_TSV, 6)? {
        out.push(DatasetDef {
            code: f[0].to_string(),
            periodicity: Periodicity::parse(f[1])
                .ok_or_else(|| anyhow::anyhow!("datasets.tsv: bad periodicity {}", f[1]))?,
            name_uk: f[2].to_string(),
            name_en: f[3].to_string(),
            description_uk: f[4].to_string(),
            description_en: f[5].to_string(),
            items: Vec::new(),
        });
    }
    for f in tsv_lines("dataset_items.tsv", DATASET_ITEMS_TSV, 6)? {
        let set = out
            .iter_mut()
            .find(|d| d.code == f[0])
            .ok_or_else(|| anyhow::anyhow!("dataset_items.tsv: no data set {}", f[0]))?;
        set.items.push(DatasetItemDef {
            indicator: f[1].to_string(),
            section_uk: f[2].to_string(),
            section_en: f[3].to_string(),
            help_uk: f[4].to_string(),
            help_en: f[5].to_string(),
        });
    }
    Ok(out)
}

/// A value to load.
#[derive(Debug, Clone, PartialEq)]
pub struct Shipped {
    pub unit_code: String,
    pub indicator: String,
    pub period: Period,
    pub value: f64,
    pub is_partial: bool,
}

/// The budget revenues: one value per hromada, year and budget indicator.
pub fn budget_values(defs: &[IndicatorDef]) -> anyhow::Result<Vec<Shipped>> {
    let bytes = crate::registry::data::gunzip(BUDGETS_GZ)?;
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let headers = reader.headers()?.clone();
    let column = |name: &str| headers.iter().position(|h| h == name);
    let code_at = column("hromada_code").ok_or_else(|| anyhow::anyhow!("no hromada_code"))?;
    let year_at = column("year").ok_or_else(|| anyhow::anyhow!("no year"))?;
    let wanted: Vec<(usize, &str)> = defs
        .iter()
        .filter_map(|d| {
            let c = d.column.as_deref()?;
            Some((column(c)?, d.code.as_str()))
        })
        .collect();
    let mut out = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record?;
        let bad = || anyhow::anyhow!("budgets line {}: malformed", i + 2);
        let year: i32 = record.get(year_at).ok_or_else(bad)?.parse()?;
        for (at, indicator) in &wanted {
            out.push(Shipped {
                unit_code: record.get(code_at).ok_or_else(bad)?.to_string(),
                indicator: indicator.to_string(),
                period: Period::Year(year),
                value: record.get(*at).ok_or_else(bad)?.parse()?,
                is_partial: year == PARTIAL_BUDGET_YEAR,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_indicators_are_complete_and_bilingual() {
        let defs = indicators().expect("indicators");
        assert_eq!(defs.len(), 22);
        for d in &defs {
            assert!(
                !d.name_uk.is_empty()
                    && !d.name_en.is_empty()
                    && !d.definition_uk.is_empty()
                    && !d.definition_en.is_empty()
                    && !d.source_uk.is_empty()
                    && !d.source_en.is_empty(),
                "{}",
                d.code
            );
        }
        let budget: Vec<_> = defs.iter().filter(|d| d.column.is_some()).collect();
        assert_eq!(budget.len(), 17);
        let codes: Vec<&str> = defs.iter().map(|d| d.code.as_str()).collect();
        for rule in rules().expect("rules") {
            for code in std::iter::once(&rule.left).chain(&rule.right) {
                assert!(
                    codes.contains(&code.as_str()),
                    "rule {} names {code}",
                    rule.code
                );
            }
        }
        let sets = datasets().expect("data sets");
        assert_eq!(sets.len(), 2);
        for set in &sets {
            assert!(!set.items.is_empty(), "{}", set.code);
            for item in &set.items {
                assert!(
                    codes.contains(&item.indicator.as_str()),
                    "{}",
                    item.indicator
                );
            }
        }
        assert_eq!(
            sets[1].items.len(),
            17,
            "the budget data set asks every budget line"
        );
    }

    #[test]
    fn budget_values_cover_every_hromada_and_year() {
        let defs = indicators().expect("indicators");
        let values = budget_values(&defs).expect("budgets");
        assert_eq!(values.len(), 4407 * 17);
        let vinnytsia_2022_total = values
            .iter()
            .find(|v| {
                v.unit_code == "UA05020030000031457"
                    && v.indicator == "budget_revenue_total"
                    && v.period == Period::Year(2022)
            })
            .expect("Vinnytsia 2022");
        assert_eq!(vinnytsia_2022_total.value, 5_735_142_140.24);
        assert!(!vinnytsia_2022_total.is_partial);
        assert!(
            values
                .iter()
                .filter(|v| v.period == Period::Year(2023))
                .all(|v| v.is_partial)
        );
    }
}
