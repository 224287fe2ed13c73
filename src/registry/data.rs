//! Reference data shipped inside the binary (gzip; sources and licences in `NOTICE`).

use std::io::Read;

/// The codifier edition of 2 July 2025, as published (see `data/katottg/`).
pub const CODIFIER_EDITION: &str = "2025-07-02";
pub const CODIFIER_FILE: &str = "kodifikator-02-07-2025.csv";
static CODIFIER_GZ: &[u8] = include_bytes!("../../data/katottg/kodifikator-2025-07-02.csv.gz");

pub fn gunzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len() * 8);
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut out)?;
    Ok(out)
}

/// The shipped codifier, decompressed.
pub fn codifier() -> std::io::Result<Vec<u8>> {
    gunzip(CODIFIER_GZ)
}

/// Hromada attributes from the reference files (see `data/hromadas/prepare_attributes.py`).
static HROMADA_ATTRIBUTES_GZ: &[u8] =
    include_bytes!("../../data/hromadas/hromada-attributes.csv.gz");

pub fn hromada_attributes() -> std::io::Result<Vec<u8>> {
    gunzip(HROMADA_ATTRIBUTES_GZ)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::super::{Category, Level, codifier};

    #[test]
    fn the_shipped_codifier_has_the_published_counts() {
        let units = codifier::parse(&super::codifier().expect("gzip")).expect("parses");
        let mut by_category: HashMap<Category, usize> = HashMap::new();
        for u in &units {
            *by_category.entry(u.category).or_default() += 1;
        }
        let count = |c| by_category.get(&c).copied().unwrap_or(0);
        assert_eq!(count(Category::Oblast), 25);
        assert_eq!(count(Category::SpecialCity), 2);
        assert_eq!(count(Category::Raion), 136);
        assert_eq!(count(Category::Hromada), 1772);
        assert_eq!(count(Category::City), 461);
        assert_eq!(count(Category::Selyshche), 2007);
        assert_eq!(count(Category::Village), 27_237);
        assert_eq!(count(Category::CityDistrict), 108);

        let by_code: HashMap<&str, &codifier::CodifierUnit> =
            units.iter().map(|u| (u.code.as_str(), u)).collect();
        for u in &units {
            assert_ne!(u.parent.as_deref(), Some(u.code.as_str()), "{u:?}");
            let parent_level = u.parent.as_deref().map(|p| by_code[p].category.level());
            let expected = match u.category.level() {
                Level::Oblast => None,
                Level::Raion => Some(vec![Level::Oblast]),
                Level::Hromada => Some(vec![Level::Raion]),
                // Prypiat and Chornobyl (the exclusion zone) belong to no hromada: the codifier
                // lists them right under Kyiv oblast.
                Level::Settlement => Some(vec![Level::Hromada, Level::Oblast]),
                // Kyiv's and Sevastopol's districts hang from the city itself; others from a city.
                Level::District => Some(vec![Level::Oblast, Level::Settlement]),
            };
            match (parent_level, expected) {
                (None, None) => {}
                (Some(p), Some(allowed)) => assert!(allowed.contains(&p), "{u:?} under {p:?}"),
                (p, e) => panic!("{u:?}: parent level {p:?}, expected {e:?}"),
            }
            assert_eq!(u.name_uk, u.name_uk.trim());
        }
        let mut outside_hromadas: Vec<&str> = units
            .iter()
            .filter(|u| u.category.level() == Level::Settlement)
            .filter(|u| {
                u.parent
                    .as_deref()
                    .is_some_and(|p| by_code[p].category == Category::Oblast)
            })
            .map(|u| u.name_uk.as_str())
            .collect();
        outside_hromadas.sort_unstable();
        assert_eq!(outside_hromadas, ["Прип’ять", "Чорнобиль"]);
        // 1,469 hromadas outside Crimea (UA01) and Sevastopol (UA85).
        let outside = units
            .iter()
            .filter(|u| u.category == Category::Hromada)
            .filter(|u| !u.code.starts_with("UA01") && !u.code.starts_with("UA85"))
            .count();
        assert_eq!(outside, 1469);
    }
}

/// English names of oblasts, raions and hromadas from the OCHA COD-AB boundaries (2024), the
/// reference the transliteration is checked against (`level,pcode,name_uk,name_en`).
#[cfg(test)]
static BOUNDARY_NAMES_GZ: &[u8] = include_bytes!("../../data/boundaries/codab-2024-names.csv.gz");

#[cfg(test)]
mod transliteration_against_boundaries {
    use std::collections::HashMap;

    use super::super::{Category, codifier, english_name};

    /// Every oblast, raion and hromada the boundary files name, transliterated from the
    /// codifier's own Ukrainian name, against the English name the boundary files give.
    #[test]
    fn at_least_99_percent_match_and_the_exceptions_are_known() {
        let units = codifier::parse(&super::codifier().expect("gzip")).expect("parses");
        let mut by_prefix: HashMap<(usize, &str), &codifier::CodifierUnit> = HashMap::new();
        for u in &units {
            let len = match u.category {
                Category::Oblast | Category::SpecialCity => 4,
                Category::Raion => 6,
                Category::Hromada => 9,
                _ => continue,
            };
            by_prefix.insert((len, &u.code[..len]), u);
        }
        let names = super::gunzip(super::BOUNDARY_NAMES_GZ).expect("gzip");
        let mut reader = csv::Reader::from_reader(names.as_slice());
        let (mut compared, mut misses) = (0, Vec::new());
        for row in reader.records() {
            let row = row.expect("row");
            let (pcode, name_en) = (&row[1], &row[3]);
            let Some(unit) = by_prefix.get(&(pcode.len(), pcode)) else {
                continue;
            };
            compared += 1;
            // The boundary file's own Ukrainian name transliterates to its English one.
            if pcode != "UA01" {
                assert_eq!(
                    super::super::translit::transliterate(&row[2]),
                    name_en,
                    "{pcode}"
                );
            }
            let ours = english_name(unit.category, &unit.name_uk);
            if ours != name_en {
                misses.push(format!(
                    "{pcode} {} → {ours} (boundaries: {name_en})",
                    unit.name_uk
                ));
            }
        }
        assert!(compared > 1900, "{compared}");
        let share = 1.0 - misses.len() as f64 / f64::from(compared);
        assert!(share >= 0.99, "{share}: {misses:#?}");
        // Units renamed after the boundary files were made (2024), or before the codifier
        // caught up with a renaming: the boundary file is older or newer, not wrong.
        misses.sort();
        assert_eq!(
            misses,
            [
                "UA1210 Самарівський → Samarivskyi (boundaries: Novomoskovskyi)",
                "UA1808015 Новоград-Волинська → Novohrad-Volynska (boundaries: Zviahelska)",
                "UA4412 Сіверськодонецький → Siverskodonetskyi (boundaries: Sievierodonetskyi)",
                "UA4612 Шептицький → Sheptytskyi (boundaries: Chervonohradskyi)",
                "UA6306 Берестинський → Berestynskyi (boundaries: Krasnohradskyi)",
            ]
        );
    }
}
