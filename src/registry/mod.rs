//! The registry of Ukraine's territorial units, keyed by the codifier code (КАТОТТГ: `UA` and
//! 17 digits): oblasts, raions, hromadas, settlements and city districts, with English names by
//! the official transliteration, hromada attributes with their sources, and dated statuses.

pub mod codifier;
pub mod data;
pub mod translit;

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

/// `UA` followed by exactly 17 digits.
pub fn is_valid_code(code: &str) -> bool {
    code.len() == 19 && code.starts_with("UA") && code[2..].bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        assert!(is_valid_code("UA05020030000031457"));
        assert!(!is_valid_code("UA0502003000003145"));
        assert!(!is_valid_code("ua05020030000031457"));
        assert!(!is_valid_code("UA0502003000003145x"));
        assert!(!is_valid_code("UA05020030000031457 "));
    }
}
