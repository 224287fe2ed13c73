//! The registry of Ukraine's territorial units, keyed by the codifier code (КАТОТТГ: `UA` and
//! 17 digits): oblasts, raions, hromadas, settlements and city districts, with English names by
//! the official transliteration, hromada attributes with their sources, and dated statuses.

pub mod actions;
pub mod api;
pub mod attributes;
pub mod code;
pub mod codifier;
pub mod data;
pub mod edition;
pub mod facts;
pub mod map;
pub mod maps;
pub mod pages;
pub mod repo;
pub mod routes;
pub mod search;
pub mod snapshot;
pub mod status_pages;
pub mod translit;

use crate::i18n::Lang;
use attributes::HromadaType;
pub use code::UnitCode;

/// Where a unit stands in the hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    /// Oblasts, the Autonomous Republic of Crimea, and the two cities with special status.
    Oblast,
    Raion,
    Hromada,
    Settlement,
    /// City districts.
    District,
}

impl Level {
    pub const ALL: [Level; 5] = [
        Level::Oblast,
        Level::Raion,
        Level::Hromada,
        Level::Settlement,
        Level::District,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Level::Oblast => "oblast",
            Level::Raion => "raion",
            Level::Hromada => "hromada",
            Level::Settlement => "settlement",
            Level::District => "district",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.code() == s)
    }
}

/// The codifier's category letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    /// O: an oblast or the Autonomous Republic of Crimea.
    Oblast,
    /// K: a city with special status (Kyiv, Sevastopol).
    SpecialCity,
    /// P: a raion.
    Raion,
    /// H: a territorial hromada.
    Hromada,
    /// M: a city.
    City,
    /// X: a selyshche (settlement).
    Selyshche,
    /// C: a village.
    Village,
    /// B: a district of a city.
    CityDistrict,
}

impl Category {
    pub const ALL: [Category; 8] = [
        Category::Oblast,
        Category::SpecialCity,
        Category::Raion,
        Category::Hromada,
        Category::City,
        Category::Selyshche,
        Category::Village,
        Category::CityDistrict,
    ];

    pub fn letter(self) -> &'static str {
        match self {
            Category::Oblast => "O",
            Category::SpecialCity => "K",
            Category::Raion => "P",
            Category::Hromada => "H",
            Category::City => "M",
            Category::Selyshche => "X",
            Category::Village => "C",
            Category::CityDistrict => "B",
        }
    }

    pub fn from_letter(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.letter() == s)
    }

    pub fn level(self) -> Level {
        match self {
            Category::Oblast | Category::SpecialCity => Level::Oblast,
            Category::Raion => Level::Raion,
            Category::Hromada => Level::Hromada,
            Category::City | Category::Selyshche | Category::Village => Level::Settlement,
            Category::CityDistrict => Level::District,
        }
    }
}

/// The Ukrainian alphabet in its order; apostrophes are ignored when sorting.
const ALPHABET: &str = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя";

/// A key that sorts names in Ukrainian alphabetical order on both databases: two lower-case
/// Latin letters per character (Ukrainian letters first in their order, then digits and other
/// characters), so byte order and any collation agree. Case is ignored; an apostrophe is
/// skipped; a space or hyphen sorts before every letter, so `Нова Ушиця` comes before `Новаки`.
pub fn sort_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len() * 2);
    let push = |key: &mut String, n: usize| {
        let n = n.min(26 * 26 - 1);
        key.push(char::from(b'a' + (n / 26) as u8));
        key.push(char::from(b'a' + (n % 26) as u8));
    };
    for c in name.chars() {
        if translit::APOSTROPHES.contains(&c) {
            continue;
        }
        let lower = c.to_lowercase().next().unwrap_or(c);
        if lower.is_whitespace() || lower == '-' {
            push(&mut key, 0);
        } else if let Some(i) = ALPHABET.chars().position(|a| a == lower) {
            push(&mut key, 10 + i);
        } else if let Some(d) = lower.to_digit(10) {
            push(&mut key, 50 + d as usize);
        } else if lower.is_ascii_lowercase() {
            push(&mut key, 60 + (lower as usize - 'a' as usize));
        } else {
            push(&mut key, 100 + (lower as usize % 500));
        }
    }
    key
}

/// How English speakers name the first-level units: an oblast after its centre ("Vinnytsia
/// oblast"), where the transliterated adjective ("Vinnytska") is the unit's English name as
/// the boundary files and the codifier's users write it.
const FIRST_LEVEL_EN: [(&str, &str); 26] = [
    ("Вінницька", "Vinnytsia oblast"),
    ("Волинська", "Volyn oblast"),
    ("Дніпропетровська", "Dnipropetrovsk oblast"),
    ("Донецька", "Donetsk oblast"),
    ("Житомирська", "Zhytomyr oblast"),
    ("Закарпатська", "Zakarpattia oblast"),
    ("Запорізька", "Zaporizhzhia oblast"),
    ("Івано-Франківська", "Ivano-Frankivsk oblast"),
    ("Київська", "Kyiv oblast"),
    ("Кіровоградська", "Kirovohrad oblast"),
    ("Луганська", "Luhansk oblast"),
    ("Львівська", "Lviv oblast"),
    ("Миколаївська", "Mykolaiv oblast"),
    ("Одеська", "Odesa oblast"),
    ("Полтавська", "Poltava oblast"),
    ("Рівненська", "Rivne oblast"),
    ("Сумська", "Sumy oblast"),
    ("Тернопільська", "Ternopil oblast"),
    ("Харківська", "Kharkiv oblast"),
    ("Херсонська", "Kherson oblast"),
    ("Хмельницька", "Khmelnytskyi oblast"),
    ("Черкаська", "Cherkasy oblast"),
    ("Чернівецька", "Chernivtsi oblast"),
    ("Чернігівська", "Chernihiv oblast"),
    ("Київ", "Kyiv"),
    ("Севастополь", "Sevastopol"),
];

const CRIMEA_UK: &str = "Автономна Республіка Крим";
const CRIMEA_EN: &str = "Autonomous Republic of Crimea";

/// The English name of a unit by the official transliteration; the Autonomous Republic of
/// Crimea is translated.
pub fn english_name(category: Category, name_uk: &str) -> String {
    if category == Category::Oblast && name_uk == CRIMEA_UK {
        return CRIMEA_EN.to_string();
    }
    translit::transliterate(name_uk)
}

/// The customary English title of a first-level unit ("Vinnytsia oblast"), if it has one.
pub fn first_level_title_en(name_uk: &str) -> Option<&'static str> {
    if name_uk == CRIMEA_UK {
        return Some(CRIMEA_EN);
    }
    FIRST_LEVEL_EN
        .iter()
        .find(|(uk, _)| *uk == name_uk)
        .map(|(_, en)| *en)
}

/// A unit's name with its kind translated, not transliterated: "Вінницька область" /
/// "Vinnytsia oblast", "Вінницький район" / "Vinnytskyi raion", "Вінницька міська громада" /
/// "Vinnytska urban hromada", "місто Вінниця" / "Vinnytsia city".
pub fn title(
    lang: Lang,
    category: Category,
    name_uk: &str,
    name_en: &str,
    kind: Option<HromadaType>,
) -> String {
    match (category, lang) {
        (Category::Oblast, Lang::Uk) if name_uk == CRIMEA_UK => name_uk.to_string(),
        (Category::Oblast, Lang::Uk) => format!("{name_uk} область"),
        (Category::Oblast | Category::SpecialCity, Lang::En) => first_level_title_en(name_uk)
            .map(str::to_string)
            .unwrap_or_else(|| format!("{name_en} oblast")),
        (Category::SpecialCity, Lang::Uk) => format!("місто {name_uk}"),
        (Category::Raion, Lang::Uk) | (Category::CityDistrict, Lang::Uk) => {
            format!("{name_uk} район")
        }
        (Category::Raion, Lang::En) => format!("{name_en} raion"),
        (Category::CityDistrict, Lang::En) => format!("{name_en} district"),
        (Category::Hromada, Lang::Uk) => attributes::hromada_full_name(lang, name_uk, kind),
        (Category::Hromada, Lang::En) => attributes::hromada_full_name(lang, name_en, kind),
        (Category::City, Lang::Uk) => format!("місто {name_uk}"),
        (Category::Selyshche, Lang::Uk) => format!("селище {name_uk}"),
        (Category::Village, Lang::Uk) => format!("село {name_uk}"),
        (Category::City, Lang::En) => format!("{name_en} city"),
        (Category::Selyshche, Lang::En) => format!("{name_en} settlement"),
        (Category::Village, Lang::En) => format!("{name_en} village"),
    }
}

#[cfg(test)]
mod naming_tests {
    use super::*;

    #[test]
    fn ukrainian_order() {
        let mut names = vec![
            "Яблунів",
            "Ґорґани",
            "Гадяч",
            "Їжаківка",
            "Іршава",
            "Нова Ушиця",
            "Новаки",
            "Єрки",
            "Ємільчине",
        ];
        names.sort_by_key(|n| sort_key(n));
        assert_eq!(
            names,
            [
                "Гадяч",
                "Ґорґани",
                "Ємільчине",
                "Єрки",
                "Іршава",
                "Їжаківка",
                "Нова Ушиця",
                "Новаки",
                "Яблунів"
            ]
        );
        assert_eq!(sort_key("Знам’янка"), sort_key("знамянка"));
        assert!(sort_key("Буки").bytes().all(|b| b.is_ascii_lowercase()));
    }

    #[test]
    fn english_names() {
        assert_eq!(english_name(Category::Oblast, "Вінницька"), "Vinnytska");
        assert_eq!(first_level_title_en("Вінницька"), Some("Vinnytsia oblast"));
        assert_eq!(
            english_name(Category::Oblast, "Автономна Республіка Крим"),
            "Autonomous Republic of Crimea"
        );
        assert_eq!(english_name(Category::SpecialCity, "Київ"), "Kyiv");
        assert_eq!(english_name(Category::Raion, "Вінницький"), "Vinnytskyi");
        assert_eq!(english_name(Category::Hromada, "Вінницька"), "Vinnytska");
        assert_eq!(english_name(Category::Village, "Згорани"), "Zghorany");
    }

    #[test]
    fn titles_translate_the_kind() {
        let t = |lang, c, uk, en, kind| title(lang, c, uk, en, kind);
        assert_eq!(
            t(Lang::Uk, Category::Oblast, "Вінницька", "Vinnytska", None),
            "Вінницька область"
        );
        assert_eq!(
            t(Lang::En, Category::Oblast, "Вінницька", "Vinnytska", None),
            "Vinnytsia oblast"
        );
        assert_eq!(
            t(Lang::En, Category::Raion, "Вінницький", "Vinnytskyi", None),
            "Vinnytskyi raion"
        );
        assert_eq!(
            t(
                Lang::En,
                Category::Hromada,
                "Вінницька",
                "Vinnytska",
                Some(HromadaType::Urban)
            ),
            "Vinnytska urban hromada"
        );
        assert_eq!(
            t(Lang::Uk, Category::City, "Вінниця", "Vinnytsia", None),
            "місто Вінниця"
        );
        assert_eq!(
            t(Lang::En, Category::SpecialCity, "Київ", "Kyiv", None),
            "Kyiv"
        );
        assert_eq!(
            t(Lang::Uk, Category::Oblast, CRIMEA_UK, CRIMEA_EN, None),
            "Автономна Республіка Крим"
        );
    }
}
