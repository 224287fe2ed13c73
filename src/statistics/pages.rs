//! Statistics on other pages: a unit's approved values, as the registry's unit page shows
//! them (one row per indicator, its values by period, its source).

use super::ValueType;
use crate::error::AppResult;
use crate::i18n::Lang;
use crate::registry::pages::group;
use crate::web::AppState;

/// One indicator of a unit.
pub struct StatRow {
    pub name: String,
    pub measure: String,
    /// (period, value as written, whether the period is covered in part only)
    pub values: Vec<(String, String, bool)>,
    pub source: String,
}

/// A value as people read it: grouped thousands, a decimal comma in Ukrainian, two decimals
/// for decimal values, `так`/`yes` for yes/no.
pub fn format_value(value: f64, t: ValueType, lang: Lang) -> String {
    match t {
        ValueType::YesNo => lang.t(if value != 0.0 { "stat-yes" } else { "stat-no" }),
        ValueType::Integer => group(value.round() as i64, lang),
        ValueType::Decimal | ValueType::Percent => {
            let cents = (value.abs() * 100.0).round() as i64;
            let sign = if value < 0.0 && cents > 0 { "-" } else { "" };
            let point = match lang {
                Lang::Uk => ',',
                Lang::En => '.',
            };
            let mut s = format!(
                "{sign}{}{point}{:02}",
                group(cents / 100, lang),
                cents % 100
            );
            if t == ValueType::Percent {
                s.push_str(" %");
            }
            s
        }
    }
}

/// The unit's approved values, grouped by indicator.
pub async fn unit_rows(state: &AppState, code: &str, lang: Lang) -> AppResult<Vec<StatRow>> {
    let values = super::repo::approved_for_unit(&state.db, code).await?;
    let mut rows: Vec<(String, StatRow)> = Vec::new();
    for v in values {
        let t = ValueType::parse(&v.value_type).unwrap_or(ValueType::Decimal);
        let shown = (
            v.period.clone(),
            format_value(v.value, t, lang),
            v.is_partial,
        );
        // The shipped values carry their indicator's source; show it in the page's language.
        let source = if v.source == v.indicator_source_uk {
            match lang {
                Lang::Uk => v.indicator_source_uk.clone(),
                Lang::En => v.indicator_source_en.clone(),
            }
        } else {
            v.source.clone()
        };
        match rows.last_mut() {
            Some((indicator, row)) if *indicator == v.indicator => row.values.push(shown),
            _ => rows.push((
                v.indicator.clone(),
                StatRow {
                    name: match lang {
                        Lang::Uk => v.name_uk,
                        Lang::En => v.name_en,
                    },
                    measure: match lang {
                        Lang::Uk => v.measure_uk,
                        Lang::En => v.measure_en,
                    },
                    values: vec![shown],
                    source,
                },
            )),
        }
    }
    Ok(rows.into_iter().map(|(_, r)| r).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_as_people_write_them() {
        assert_eq!(
            format_value(5_735_142_140.24, ValueType::Decimal, Lang::Uk),
            "5\u{a0}735\u{a0}142\u{a0}140,24"
        );
        assert_eq!(
            format_value(5_735_142_140.24, ValueType::Decimal, Lang::En),
            "5,735,142,140.24"
        );
        assert_eq!(
            format_value(-64_040.07, ValueType::Decimal, Lang::En),
            "-64,040.07"
        );
        assert_eq!(
            format_value(387_439.0, ValueType::Integer, Lang::En),
            "387,439"
        );
        assert_eq!(format_value(95.75, ValueType::Percent, Lang::Uk), "95,75 %");
    }
}
