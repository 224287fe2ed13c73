//! Municipal statistics: indicators, periods and values, and the rules for reading a value as
//! people type it (in a form or a spreadsheet cell). No SQL and no HTTP here.
//!
//! An indicator has a value type, a periodicity and a rule for aggregating it up the registry
//! (oblast → raion → hromada). A period is written `2022`, `2022-Q3` or `2022-07`; it must fit
//! the indicator's periodicity. Values are numbers (yes/no is 1/0); each failure is a UI string
//! key, so forms and import reports explain it in the reader's language.

use std::fmt;

pub mod actions;
pub mod analysis;
pub mod api;
pub mod collection;
pub mod export;
pub mod import;
pub mod import_pages;
pub mod pages;
pub mod repo;
pub mod routes;
pub mod rules;
pub mod shipped;

/// How an indicator's values are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueType {
    Integer,
    Decimal,
    /// A share in percent, 0–100 unless the indicator's range says otherwise.
    Percent,
    /// 1 for yes, 0 for no.
    YesNo,
}

impl ValueType {
    pub const ALL: [ValueType; 4] = [
        ValueType::Integer,
        ValueType::Decimal,
        ValueType::Percent,
        ValueType::YesNo,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ValueType::Integer => "integer",
            ValueType::Decimal => "decimal",
            ValueType::Percent => "percent",
            ValueType::YesNo => "yes_no",
        }
    }

    pub fn parse(code: &str) -> Option<ValueType> {
        ValueType::ALL.into_iter().find(|t| t.code() == code)
    }
}

/// How often an indicator is collected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Periodicity {
    Year,
    Quarter,
    Month,
}

impl Periodicity {
    pub const ALL: [Periodicity; 3] = [Periodicity::Year, Periodicity::Quarter, Periodicity::Month];

    pub fn code(self) -> &'static str {
        match self {
            Periodicity::Year => "year",
            Periodicity::Quarter => "quarter",
            Periodicity::Month => "month",
        }
    }

    pub fn parse(code: &str) -> Option<Periodicity> {
        Periodicity::ALL.into_iter().find(|p| p.code() == code)
    }
}

/// How values of units add up to their parent's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Aggregation {
    Sum,
    /// The mean weighted by another indicator of the same unit and period (by its code), such
    /// as population.
    WeightedMean(String),
    Mean,
    Min,
    Max,
    /// The values do not add up (a yes/no, a rank).
    None,
}

impl Aggregation {
    /// The stored form: `sum`, `weighted_mean:population_total`, `mean`, `min`, `max`, `none`.
    pub fn code(&self) -> String {
        match self {
            Aggregation::Sum => "sum".into(),
            Aggregation::WeightedMean(by) => format!("weighted_mean:{by}"),
            Aggregation::Mean => "mean".into(),
            Aggregation::Min => "min".into(),
            Aggregation::Max => "max".into(),
            Aggregation::None => "none".into(),
        }
    }

    pub fn parse(code: &str) -> Option<Aggregation> {
        Some(match code {
            "sum" => Aggregation::Sum,
            "mean" => Aggregation::Mean,
            "min" => Aggregation::Min,
            "max" => Aggregation::Max,
            "none" => Aggregation::None,
            _ => {
                let by = code.strip_prefix("weighted_mean:")?;
                if !valid_code(by) {
                    return None;
                }
                Aggregation::WeightedMean(by.to_string())
            }
        })
    }

    /// Aggregates (value, weight) pairs; None when there is nothing to aggregate, the rule is
    /// `none`, or the weights sum to zero.
    pub fn apply(&self, values: &[(f64, Option<f64>)]) -> Option<f64> {
        if values.is_empty() {
            return None;
        }
        let plain = values.iter().map(|(v, _)| *v);
        match self {
            Aggregation::Sum => Some(plain.sum()),
            Aggregation::Mean => Some(plain.sum::<f64>() / values.len() as f64),
            Aggregation::Min => plain.reduce(f64::min),
            Aggregation::Max => plain.reduce(f64::max),
            Aggregation::None => None,
            Aggregation::WeightedMean(_) => {
                let (sum, weights) = values
                    .iter()
                    .filter_map(|(v, w)| w.map(|w| (v * w, w)))
                    .fold((0.0, 0.0), |(s, ws), (vw, w)| (s + vw, ws + w));
                (weights > 0.0).then(|| sum / weights)
            }
        }
    }
}

/// An indicator or data set code: lower-case Latin letters, digits and `_`, 2–64 characters,
/// starting with a letter.
pub fn valid_code(code: &str) -> bool {
    (2..=64).contains(&code.len())
        && code.starts_with(|c: char| c.is_ascii_lowercase())
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// One value as it is written down: a unit's figure for an indicator and a period, with the
/// comment that goes with it. A good row of an import and a field of a community's report are
/// both written as entries (`repo::upsert_values`).
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub unit: crate::registry::UnitCode,
    /// The indicator's id.
    pub indicator: i64,
    pub period: Period,
    pub value: f64,
    pub comment: String,
}

/// A reporting period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Period {
    Year(i32),
    Quarter(i32, u8),
    Month(i32, u8),
}

/// The years a period may name.
const YEARS: std::ops::RangeInclusive<i32> = 1991..=2100;

impl Period {
    /// Reads `2022`, `2022-Q3` (or `2022-q3`) and `2022-07`; errs with a UI string key.
    pub fn parse(text: &str) -> Result<Period, &'static str> {
        let text = text.trim();
        let bad = "stat-error-period";
        let year = |s: &str| {
            s.parse::<i32>()
                .ok()
                .filter(|y| s.len() == 4 && YEARS.contains(y))
                .ok_or(bad)
        };
        match text.split_once('-') {
            None => Ok(Period::Year(year(text)?)),
            Some((y, q)) if q.starts_with(['Q', 'q']) => {
                let q: u8 = q[1..].parse().map_err(|_| bad)?;
                if !(1..=4).contains(&q) || q.to_string().len() != text.len() - 6 {
                    return Err(bad);
                }
                Ok(Period::Quarter(year(y)?, q))
            }
            Some((y, m)) => {
                let month: u8 = m.parse().map_err(|_| bad)?;
                if m.len() != 2 || !(1..=12).contains(&month) {
                    return Err(bad);
                }
                Ok(Period::Month(year(y)?, month))
            }
        }
    }

    pub fn periodicity(self) -> Periodicity {
        match self {
            Period::Year(_) => Periodicity::Year,
            Period::Quarter(..) => Periodicity::Quarter,
            Period::Month(..) => Periodicity::Month,
        }
    }

    /// The period before, of the same length (for "last period's value").
    pub fn previous(self) -> Period {
        match self {
            Period::Year(y) => Period::Year(y - 1),
            Period::Quarter(y, 1) => Period::Quarter(y - 1, 4),
            Period::Quarter(y, q) => Period::Quarter(y, q - 1),
            Period::Month(y, 1) => Period::Month(y - 1, 12),
            Period::Month(y, m) => Period::Month(y, m - 1),
        }
    }

    /// The period as stored and shown: `2022`, `2022-Q3`, `2022-07`.
    pub fn code(self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Year(y) => write!(f, "{y}"),
            Period::Quarter(y, q) => write!(f, "{y}-Q{q}"),
            Period::Month(y, m) => write!(f, "{y}-{m:02}"),
        }
    }
}

/// Reads a value as people type it, for an indicator of type `t`. Accepts a comma or a point
/// as the decimal separator and spaces (also non-breaking and thin), apostrophes or
/// underscores between groups of thousands; `так`/`ні`, `yes`/`no`, `1`/`0` for yes/no; a
/// trailing `%` for percent. Errs with a UI string key.
pub fn parse_value(text: &str, t: ValueType) -> Result<f64, &'static str> {
    let text = text.trim();
    if text.is_empty() {
        return Err("stat-error-empty");
    }
    if t == ValueType::YesNo {
        return match text.to_lowercase().as_str() {
            "1" | "так" | "yes" | "true" => Ok(1.0),
            "0" | "ні" | "no" | "false" => Ok(0.0),
            _ => Err("stat-error-yes-no"),
        };
    }
    let text = match t {
        ValueType::Percent => text.strip_suffix('%').unwrap_or(text).trim_end(),
        _ => text,
    };
    let mut cleaned = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\'' | '’' | '_' => {}
            ',' => cleaned.push('.'),
            '−' => cleaned.push('-'),
            c => cleaned.push(c),
        }
    }
    // One separator only: "1.234,5" and "1,234.5" are ambiguous and refused.
    if cleaned.matches('.').count() > 1 {
        return Err("stat-error-number");
    }
    if !cleaned
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
        || cleaned.is_empty()
    {
        return Err("stat-error-number");
    }
    let value: f64 = cleaned.parse().map_err(|_| "stat-error-number")?;
    if !value.is_finite() {
        return Err("stat-error-number");
    }
    if t == ValueType::Integer && value.fract() != 0.0 {
        return Err("stat-error-integer");
    }
    Ok(value)
}

/// Checks a value against an indicator's range; errs with a UI string key.
pub fn check_range(value: f64, min: Option<f64>, max: Option<f64>) -> Result<(), &'static str> {
    if min.is_some_and(|m| value < m) {
        return Err("stat-error-below");
    }
    if max.is_some_and(|m| value > m) {
        return Err("stat-error-above");
    }
    Ok(())
}

crate::text_enum! {
    /// The format of an uploaded import.
    pub enum ImportKind {
        Csv = "csv",
        Xlsx = "xlsx",
    }
}

crate::text_enum! {
    /// Where an uploaded import stands.
    pub enum ImportStatus {
        Queued = "queued",
        Running = "running",
        Done = "done",
        Failed = "failed",
    }
}

impl ImportStatus {
    /// Not finished yet.
    pub fn is_busy(self) -> bool {
        matches!(self, ImportStatus::Queued | ImportStatus::Running)
    }
}

crate::text_enum! {
    /// The state of a value.
    pub enum ValueState {
        Draft = "draft",
        Submitted = "submitted",
        Approved = "approved",
        Returned = "returned",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_read_and_write_the_three_forms() {
        assert_eq!(Period::parse("2022"), Ok(Period::Year(2022)));
        assert_eq!(Period::parse(" 2023-Q3 "), Ok(Period::Quarter(2023, 3)));
        assert_eq!(Period::parse("2023-q1"), Ok(Period::Quarter(2023, 1)));
        assert_eq!(Period::parse("2024-07"), Ok(Period::Month(2024, 7)));
        for p in ["2022", "2023-Q3", "2024-07", "2024-12"] {
            assert_eq!(Period::parse(p).expect(p).code(), p);
        }
        for bad in [
            "", "22", "20222", "2022-Q5", "2022-Q0", "2022-Q12", "2022-13", "2022-7", "2022-00",
            "1900", "2022-", "Q3-2022", "2022/07", "два",
        ] {
            assert!(Period::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_previous_period_crosses_years() {
        assert_eq!(Period::Year(2022).previous(), Period::Year(2021));
        assert_eq!(
            Period::Quarter(2022, 1).previous(),
            Period::Quarter(2021, 4)
        );
        assert_eq!(Period::Month(2022, 1).previous(), Period::Month(2021, 12));
        assert_eq!(Period::Month(2022, 5).previous(), Period::Month(2022, 4));
        assert_eq!(Period::Quarter(2022, 1).periodicity(), Periodicity::Quarter);
    }

    #[test]
    fn values_are_read_as_people_type_them() {
        use ValueType::*;
        assert_eq!(parse_value("387 439", Integer), Ok(387_439.0));
        assert_eq!(parse_value("387\u{a0}439", Integer), Ok(387_439.0));
        assert_eq!(parse_value("1’234’567", Integer), Ok(1_234_567.0));
        assert_eq!(parse_value("102088926,35", Decimal), Ok(102_088_926.35));
        assert_eq!(parse_value("102 088 926.35", Decimal), Ok(102_088_926.35));
        assert_eq!(parse_value("−12,5", Decimal), Ok(-12.5));
        assert_eq!(parse_value("95,7 %", Percent), Ok(95.7));
        assert_eq!(parse_value("Так", YesNo), Ok(1.0));
        assert_eq!(parse_value("no", YesNo), Ok(0.0));
        assert_eq!(parse_value("", Integer), Err("stat-error-empty"));
        assert_eq!(parse_value("12,5", Integer), Err("stat-error-integer"));
        assert_eq!(parse_value("1.234,5", Decimal), Err("stat-error-number"));
        assert_eq!(parse_value("12abc", Decimal), Err("stat-error-number"));
        assert_eq!(parse_value("inf", Decimal), Err("stat-error-number"));
        assert_eq!(parse_value("NaN", Decimal), Err("stat-error-number"));
        assert_eq!(parse_value("1e5", Decimal), Err("stat-error-number"));
        assert_eq!(parse_value("maybe", YesNo), Err("stat-error-yes-no"));
    }

    #[test]
    fn ranges_and_codes() {
        assert_eq!(check_range(5.0, Some(0.0), Some(10.0)), Ok(()));
        assert_eq!(check_range(-1.0, Some(0.0), None), Err("stat-error-below"));
        assert_eq!(check_range(11.0, None, Some(10.0)), Err("stat-error-above"));
        assert!(valid_code("population_total"));
        assert!(!valid_code("Population") && !valid_code("1x") && !valid_code("a"));
        assert!(!valid_code("a-b") && !valid_code(&"a".repeat(65)));
    }

    #[test]
    fn aggregation_rules() {
        let v = [(10.0, Some(100.0)), (20.0, Some(300.0)), (30.0, None)];
        assert_eq!(Aggregation::Sum.apply(&v), Some(60.0));
        assert_eq!(Aggregation::Mean.apply(&v), Some(20.0));
        assert_eq!(Aggregation::Min.apply(&v), Some(10.0));
        assert_eq!(Aggregation::Max.apply(&v), Some(30.0));
        assert_eq!(Aggregation::None.apply(&v), None);
        let w = Aggregation::WeightedMean("population_total".into());
        assert_eq!(w.apply(&v), Some(17.5));
        assert_eq!(w.apply(&[(1.0, None)]), None);
        assert_eq!(Aggregation::Sum.apply(&[]), None);
        for code in [
            "sum",
            "mean",
            "min",
            "max",
            "none",
            "weighted_mean:population_total",
        ] {
            assert_eq!(Aggregation::parse(code).expect(code).code(), code);
        }
        assert_eq!(Aggregation::parse("weighted_mean:"), None);
        assert_eq!(Aggregation::parse("median"), None);
        assert_eq!(ValueType::parse("percent"), Some(ValueType::Percent));
        assert_eq!(Periodicity::parse("month"), Some(Periodicity::Month));
        assert_eq!(ValueState::parse("returned"), Some(ValueState::Returned));
    }
}
