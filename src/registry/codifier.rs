//! Reading the codifier (КАТОТТГ) as the Ministry publishes it: a semicolon-separated UTF-8
//! file with a header, five code columns (levels 1–4 and the additional level), the category
//! letter and the name. A unit's own code is the last code in its row; its parent is the last
//! code before that which differs from it.

use std::collections::{HashMap, HashSet};

use super::{Category, UnitCode};
use crate::web::csv_upload::RowError;

/// One unit as the codifier lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodifierUnit {
    pub code: String,
    pub category: Category,
    pub parent: Option<String>,
    pub name_uk: String,
}

/// Parses a whole codifier file. Every bad row is reported, not just the first.
pub fn parse(bytes: &[u8]) -> Result<Vec<CodifierUnit>, Vec<RowError>> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(true)
        .flexible(true)
        .from_reader(bytes);
    let mut units = Vec::new();
    let mut errors = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for (i, record) in reader.records().enumerate() {
        // One record per line in this format; the header is line 1.
        let line = i as u64 + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(RowError {
                    line,
                    message: format!("unreadable row: {e}"),
                });
                continue;
            }
        };
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if record.len() != 7 {
            errors.push(RowError {
                line,
                message: format!("expected 7 fields, found {}", record.len()),
            });
            continue;
        }
        let codes: Vec<&str> = (0..5)
            .map(|c| record.get(c).unwrap_or("").trim())
            .filter(|c| !c.is_empty())
            .collect();
        let Some(&own) = codes.last() else {
            errors.push(RowError {
                line,
                message: "no code in the row".into(),
            });
            continue;
        };
        if let Some(bad) = codes.iter().find(|c| UnitCode::parse(c).is_none()) {
            errors.push(RowError {
                line,
                message: format!("{bad:?} is not a codifier code (UA and 17 digits)"),
            });
            continue;
        }
        let letter = record.get(5).unwrap_or("").trim();
        let Some(category) = Category::from_letter(letter) else {
            errors.push(RowError {
                line,
                message: format!("unknown category {letter:?}"),
            });
            continue;
        };
        let name = record.get(6).unwrap_or("").trim();
        if name.is_empty() {
            errors.push(RowError {
                line,
                message: format!("{own} has no name"),
            });
            continue;
        }
        if !seen.insert(own.to_string()) {
            errors.push(RowError {
                line,
                message: format!("{own} is listed twice"),
            });
            continue;
        }
        // The codifier repeats Kyiv's and Sevastopol's code in levels 2–4 of their districts;
        // taking the nearest *different* code keeps the city from becoming its own parent.
        let parent = codes
            .iter()
            .rev()
            .find(|c| **c != own)
            .map(|c| c.to_string());
        units.push(CodifierUnit {
            code: own.to_string(),
            category,
            parent,
            name_uk: name.to_string(),
        });
    }
    let known: HashMap<&str, Category> = units
        .iter()
        .map(|u| (u.code.as_str(), u.category))
        .collect();
    for u in &units {
        if let Some(p) = &u.parent
            && !known.contains_key(p.as_str())
        {
            errors.push(RowError {
                line: 0,
                message: format!(
                    "{} names the parent {p}, which the file does not list",
                    u.code
                ),
            });
        }
    }
    if errors.is_empty() {
        Ok(units)
    } else {
        errors.sort_by_key(|e| e.line);
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\u{feff}Перший рівень;Другий рівень;Третій рівень;Четвертий рівень;Додатковий рівень;Категорія об’єкта;Назва об’єкта\r\n\
UA05000000000010236;;;;;O;Вінницька\r\n\
UA05020000000026686;UA05020000000026686;;;;P;Вінницький\r\n\
UA05000000000010236;UA05020000000026686;;;;P;Вінницький\r\n";

    #[test]
    fn duplicates_and_bad_rows_are_all_reported() {
        let text = format!(
            "{SAMPLE}UA05000000000010236;UA05020000000026686;UA0502;;;H;Зла\r\n\
             UA05000000000010236;UA05020000000026686;UA05020030000031457;;;Q;Вінницька\r\n\
             UA05000000000010236;UA05020000000026686;UA05020050000031457;;;H;  \r\n"
        );
        let errors = parse(text.as_bytes()).expect_err("bad rows");
        let lines: Vec<u64> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [4, 5, 6, 7], "{errors:?}");
        assert!(errors[0].message.contains("listed twice"));
        assert!(errors[1].message.contains("UA0502"));
        assert!(errors[2].message.contains("category"));
        assert!(errors[3].message.contains("no name"));
    }

    #[test]
    fn parents_skip_repeated_codes() {
        let text = "h;h;h;h;h;h;h\n\
UA80000000000093317;;;;;K;Київ\n\
UA80000000000093317;UA80000000000093317;UA80000000000093317;UA80000000000093317;UA80000000000126643;B;Голосіївський\n";
        let units = parse(text.as_bytes()).expect("parses");
        assert_eq!(units[0].parent, None);
        assert_eq!(units[1].parent.as_deref(), Some("UA80000000000093317"));
        assert_eq!(units[1].category, Category::CityDistrict);
    }
}
