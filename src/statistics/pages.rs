//! Statistics on other pages: a unit's approved values, as the registry's unit page shows
//! them (one row per indicator, its values by period, its source).

use super::ValueType;
use crate::db::Db;
use crate::error::AppResult;
use crate::i18n::Lang;
use crate::registry::pages::group;
use crate::state::AppState;

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

/// The unit's approved values, grouped by indicator. An oblast's, a raion's or a hromada's are
/// read from the statistics cube (in memory per statistics revision, so a page kept for
/// visitors is rebuilt without a query); other units' from the database.
pub async fn unit_rows(state: &AppState, code: &str, lang: Lang) -> AppResult<Vec<StatRow>> {
    let cube = crate::statistics::analysis::cube::current(state).await?;
    let Some(slot) = cube.snapshot.find(code).and_then(|n| cube.slot(n)) else {
        return stored_rows(&state.db, code, lang).await;
    };
    let mut rows = Vec::new();
    for indicator in &cube.indicators {
        let series = cube.series(&state.db, indicator.id).await?;
        let t = ValueType::parse(&indicator.value_type).unwrap_or(ValueType::Decimal);
        let mut row: Option<StatRow> = None;
        for (p, period) in series.periods.iter().enumerate() {
            let Some(value) = series.get(slot, p) else {
                continue;
            };
            let (source, partial) = series.note(slot, p);
            let shown = (period.code(), format_value(value, t, lang), partial);
            match &mut row {
                Some(row) => row.values.push(shown),
                None => {
                    row = Some(StatRow {
                        name: lang
                            .pick(&indicator.name_uk, &indicator.name_en)
                            .to_string(),
                        measure: lang
                            .pick(&indicator.measure_uk, &indicator.measure_en)
                            .to_string(),
                        values: vec![shown],
                        source: shown_source(lang, source, indicator),
                    })
                }
            }
        }
        rows.extend(row);
    }
    Ok(rows)
}

/// A value's source as shown: the shipped values carry their indicator's source, which is
/// shown in the page's language; any other source as it was written.
fn shown_source(lang: Lang, source: &str, indicator: &super::repo::IndicatorRow) -> String {
    if source == indicator.source_uk {
        lang.pick(&indicator.source_uk, &indicator.source_en)
            .to_string()
    } else {
        source.to_string()
    }
}

/// The approved values of a unit the cube has no place for, from the database.
async fn stored_rows(db: &Db, code: &str, lang: Lang) -> AppResult<Vec<StatRow>> {
    let values = super::repo::approved_for_unit(db, code).await?;
    let mut rows: Vec<(String, StatRow)> = Vec::new();
    for v in values {
        let t = ValueType::parse(&v.value_type).unwrap_or(ValueType::Decimal);
        let shown = (
            v.period.clone(),
            format_value(v.value, t, lang),
            v.is_partial,
        );
        let source = if v.source == v.indicator_source_uk {
            lang.pick(&v.indicator_source_uk, &v.indicator_source_en)
                .to_string()
        } else {
            v.source.clone()
        };
        match rows.last_mut() {
            Some((indicator, row)) if *indicator == v.indicator => row.values.push(shown),
            _ => rows.push((
                v.indicator.clone(),
                StatRow {
                    name: lang.pick(&v.name_uk, &v.name_en).to_string(),
                    measure: lang.pick(&v.measure_uk, &v.measure_en).to_string(),
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
