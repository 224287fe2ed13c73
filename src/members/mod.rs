//! The association's member communities: dated membership periods (join, suspend or leave,
//! rejoin), the regional office each belongs to, and the figures computed from them — how many
//! communities are members and what share of Ukraine's population lives in them — on any day.
//!
//! Rules only; SQL is in `repo.rs`, pages in `pages.rs`, JSON in `api.rs`.

pub mod actions;
pub mod api;
pub mod import_pages;
pub mod membership_api;
pub mod office_api;
pub mod office_pages;
pub mod offices;
pub mod pages;
pub mod repo;
pub mod routes;

use std::collections::HashSet;

use chrono::NaiveDate;

use crate::registry::snapshot::Snapshot;
use crate::registry::{Category, Level, UnitCode};
use crate::web::csv_upload::RowError;

/// The association's 17 professional sections (slug, Ukrainian, English), as the product brief
/// lists them; loaded into an empty database at start-up.
pub const SECTIONS: [(&str, &str, &str); 17] = [
    (
        "secretaries",
        "Секретарі місцевих рад",
        "Secretaries of local councils",
    ),
    ("finance", "Фінансисти", "Financiers"),
    ("lawyers", "Юристи", "Lawyers"),
    (
        "administrative-services",
        "Адміністративні послуги",
        "Administrative services",
    ),
    (
        "de-occupied",
        "Розвиток деокупованих і тимчасово окупованих громад",
        "Development of de-occupied and temporarily occupied municipalities",
    ),
    ("education", "Освіта", "Education"),
    ("health", "Охорона здоров’я", "Health care"),
    (
        "social-protection",
        "Соціальний захист",
        "Social protection",
    ),
    (
        "utilities",
        "Житлово-комунальні послуги",
        "Public utility services",
    ),
    ("land", "Земельні ресурси", "Land resources"),
    (
        "economic-development",
        "Місцевий економічний розвиток",
        "Local economic development",
    ),
    ("ecology", "Екологія", "Ecology"),
    ("gender-equality", "Гендерна рівність", "Gender equality"),
    ("culture", "Культура", "Culture"),
    (
        "family-youth-sport",
        "Сім’я, молодь і спорт",
        "Family, youth and sport",
    ),
    ("mining-cities", "Шахтарські міста", "Mining cities"),
    (
        "monofunctional-cities",
        "Монофункціональні міста",
        "Monofunctional cities",
    ),
];

/// Why a membership period ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndReason {
    /// The council suspended its membership; it may resume with a new period.
    Suspended,
    /// The community left the association.
    Left,
}

impl EndReason {
    pub const ALL: [EndReason; 2] = [EndReason::Suspended, EndReason::Left];

    pub fn code(self) -> &'static str {
        match self {
            EndReason::Suspended => "suspended",
            EndReason::Left => "left",
        }
    }

    pub fn parse(code: &str) -> Option<EndReason> {
        EndReason::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// One period of membership as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Period {
    pub id: i64,
    pub unit_code: String,
    pub office_id: i64,
    pub since_on: NaiveDate,
    pub decision_number: String,
    pub decision_on: Option<NaiveDate>,
    pub until_on: Option<NaiveDate>,
    pub end_reason: Option<String>,
    pub end_decision_number: String,
    pub end_decision_on: Option<NaiveDate>,
    /// Demo content (`serve --demo`), shown with a demo mark.
    pub is_demo: bool,
}

impl Period {
    /// Whether the community was a member on `day` (the day it ended it no longer was).
    pub fn active_on(&self, day: NaiveDate) -> bool {
        self.since_on <= day && self.until_on.is_none_or(|until| day < until)
    }
}

/// What is wrong with a membership change, each a message for the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// The code is not a hromada or city of the current registry.
    NotACommunity,
    /// The community is a member already (an open period).
    AlreadyMember,
    /// The new period would start before an earlier one ended.
    Overlaps,
    /// A date in the future, or before the association was founded.
    DateOutOfRange,
    /// The end is not after the start.
    EndsBeforeStart,
    /// The community has no open period to end.
    NotMember,
    UnknownOffice,
    /// The regional office does not cover the community's oblast.
    OfficeElsewhere,
}

impl Problem {
    /// The UI string that explains it.
    pub fn key(self) -> &'static str {
        match self {
            Problem::NotACommunity => "members-error-not-community",
            Problem::AlreadyMember => "members-error-already",
            Problem::Overlaps => "members-error-overlaps",
            Problem::DateOutOfRange => "members-error-date",
            Problem::EndsBeforeStart => "members-error-ends-before",
            Problem::NotMember => "members-error-not-member",
            Problem::UnknownOffice => "members-error-office",
            Problem::OfficeElsewhere => "members-error-office-elsewhere",
        }
    }
}

/// The association was founded in 1992; no membership starts earlier.
pub const FOUNDED: NaiveDate = match NaiveDate::from_ymd_opt(1992, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

/// Hromadas, cities and the cities with special status can be members.
pub fn can_be_member(category: Category) -> bool {
    matches!(
        category,
        Category::Hromada | Category::City | Category::SpecialCity
    )
}

/// A day as forms and programs write it (YYYY-MM-DD).
pub fn parse_day(raw: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok()
}

/// The code of the first-level unit (oblast, or city with special status) a unit lies in: the
/// part of the country a regional office covers.
pub fn oblast_of(snap: &Snapshot, i: usize) -> &str {
    let top = snap.ancestors(i).first().copied().unwrap_or(i);
    &snap.node(top).code
}

/// Checks a new period for a community with these earlier periods.
pub fn check_join(earlier: &[Period], since: NaiveDate, today: NaiveDate) -> Result<(), Problem> {
    if since < FOUNDED || since > today {
        return Err(Problem::DateOutOfRange);
    }
    if earlier.iter().any(|p| p.until_on.is_none()) {
        return Err(Problem::AlreadyMember);
    }
    if earlier
        .iter()
        .any(|p| p.until_on.is_some_and(|until| since < until) || p.since_on >= since)
    {
        return Err(Problem::Overlaps);
    }
    Ok(())
}

/// Checks ending the open period on `until`.
pub fn check_end(open: Option<&Period>, until: NaiveDate, today: NaiveDate) -> Result<(), Problem> {
    let Some(open) = open else {
        return Err(Problem::NotMember);
    };
    if until > today {
        return Err(Problem::DateOutOfRange);
    }
    if until <= open.since_on {
        return Err(Problem::EndsBeforeStart);
    }
    Ok(())
}

/// Population bands for the directory's filter (present population, 1 January 2022).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Band {
    Under5k,
    From5kTo10k,
    From10kTo50k,
    From50kTo100k,
    Over100k,
}

impl Band {
    pub const ALL: [Band; 5] = [
        Band::Under5k,
        Band::From5kTo10k,
        Band::From10kTo50k,
        Band::From50kTo100k,
        Band::Over100k,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Band::Under5k => "0-5k",
            Band::From5kTo10k => "5k-10k",
            Band::From10kTo50k => "10k-50k",
            Band::From50kTo100k => "50k-100k",
            Band::Over100k => "over-100k",
        }
    }

    pub fn parse(code: &str) -> Option<Band> {
        Band::ALL.into_iter().find(|b| b.code() == code)
    }

    pub fn contains(self, population: i64) -> bool {
        let (low, high) = match self {
            Band::Under5k => (0, 5_000),
            Band::From5kTo10k => (5_000, 10_000),
            Band::From10kTo50k => (10_000, 50_000),
            Band::From50kTo100k => (50_000, 100_000),
            Band::Over100k => (100_000, i64::MAX),
        };
        (low..high).contains(&population)
    }
}

/// The hromada (or city with special status) whose population a member stands for: itself,
/// or for a city the hromada it lies in, so a city and its hromada are not counted twice.
pub fn population_unit(snap: &Snapshot, i: usize) -> Option<usize> {
    match snap.node(i).level() {
        Level::Hromada | Level::Oblast => Some(i),
        Level::Settlement => snap
            .ancestors(i)
            .into_iter()
            .rev()
            .find(|&a| snap.node(a).level() == Level::Hromada),
        _ => None,
    }
}

/// The association's headline figures on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Figures {
    pub day: NaiveDate,
    /// Communities that were members on the day.
    pub members: usize,
    /// People living in member hromadas (population on 1 January 2022).
    pub population: i64,
    /// People in all hromadas with a figure (Ukraine without Crimea and Sevastopol).
    pub total_population: i64,
}

impl Figures {
    /// The members' share of the population, in per cent with one decimal.
    pub fn share_percent(&self) -> f64 {
        if self.total_population == 0 {
            return 0.0;
        }
        (self.population as f64 * 1000.0 / self.total_population as f64).round() / 10.0
    }
}

/// Computes the figures from the membership periods and the registry, for `day`.
pub fn figures(periods: &[Period], snap: &Snapshot, day: NaiveDate) -> Figures {
    let members: HashSet<&str> = periods
        .iter()
        .filter(|p| p.active_on(day))
        .map(|p| p.unit_code.as_str())
        .collect();
    let covered: HashSet<usize> = members
        .iter()
        .filter_map(|code| snap.find(code))
        .filter_map(|i| population_unit(snap, i))
        .collect();
    let population = covered
        .iter()
        .filter_map(|&i| own_population(snap, i))
        .sum();
    let total_population = snap
        .nodes()
        .iter()
        .enumerate()
        .filter(|(_, n)| n.level() == Level::Hromada || n.category == Category::SpecialCity)
        .filter_map(|(i, _)| own_population(snap, i))
        .sum();
    Figures {
        day,
        members: members.len(),
        population,
        total_population,
    }
}

/// A hromada's or a special city's own population (an oblast's is a sum, not its own).
fn own_population(snap: &Snapshot, i: usize) -> Option<i64> {
    let n = snap.node(i);
    match n.category {
        Category::Hromada | Category::SpecialCity => n.population,
        _ => None,
    }
}

/// One row of a member import: `code,since,regional_office[,decision_number,decision_on]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    pub line: u64,
    pub code: UnitCode,
    pub since: NaiveDate,
    /// The office's short name (slug).
    pub office: String,
    pub decision_number: String,
    pub decision_on: Option<NaiveDate>,
}

/// Parses a member CSV (comma or semicolon separated, header first). Every bad row is
/// reported with its line; checks against the registry and offices come later.
pub fn parse_import(bytes: &[u8]) -> Result<Vec<ImportRow>, Vec<RowError>> {
    let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    crate::web::csv_upload::read(
        bytes,
        &["code", "since", "regional_office"],
        |line, record| {
            let field = |n: usize| record.get(n).unwrap_or_default();
            let mut problems = Vec::new();
            let code = UnitCode::parse(field(0));
            if code.is_none() {
                problems.push(format!(
                    "{:?} is not a codifier code (UA and 17 digits)",
                    field(0)
                ));
            }
            let since = date(field(1));
            if since.is_none() {
                problems.push(format!("{:?} is not a date (YYYY-MM-DD)", field(1)));
            }
            if field(2).is_empty() {
                problems.push("the regional office is missing".into());
            }
            let decision_on = match field(4) {
                "" => None,
                s => {
                    let d = date(s);
                    if d.is_none() {
                        problems.push(format!("{s:?} is not a date (YYYY-MM-DD)"));
                    }
                    d
                }
            };
            if record.len() > 5 {
                problems.push(format!("{} fields, at most 5 expected", record.len()));
            }
            match (code, since) {
                (Some(code), Some(since)) if problems.is_empty() => Ok(ImportRow {
                    line,
                    code,
                    since,
                    office: field(2).to_string(),
                    decision_number: field(3).to_string(),
                    decision_on,
                }),
                _ => Err(problems.join("; ")),
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    fn period(since: &str, until: Option<&str>) -> Period {
        Period {
            id: 1,
            unit_code: "UA05020030000031457".into(),
            office_id: 1,
            since_on: day(since),
            decision_number: String::new(),
            decision_on: None,
            until_on: until.map(day),
            end_reason: until.map(|_| "left".into()),
            end_decision_number: String::new(),
            end_decision_on: None,
            is_demo: false,
        }
    }

    #[test]
    fn periods_do_not_overlap_and_rejoining_starts_after_leaving() {
        let today = day("2026-11-23");
        assert_eq!(check_join(&[], day("2016-05-01"), today), Ok(()));
        assert_eq!(
            check_join(&[period("2016-05-01", None)], day("2020-01-01"), today),
            Err(Problem::AlreadyMember)
        );
        let left = [period("2016-05-01", Some("2019-03-01"))];
        assert_eq!(check_join(&left, day("2019-03-01"), today), Ok(()));
        assert_eq!(
            check_join(&left, day("2018-12-31"), today),
            Err(Problem::Overlaps)
        );
        assert_eq!(
            check_join(&left, day("2015-01-01"), today),
            Err(Problem::Overlaps)
        );
        assert_eq!(
            check_join(&[], day("2030-01-01"), today),
            Err(Problem::DateOutOfRange)
        );
        assert_eq!(
            check_join(&[], day("1991-08-24"), today),
            Err(Problem::DateOutOfRange)
        );
    }

    #[test]
    fn a_period_ends_after_it_starts_and_only_once() {
        let today = day("2026-11-23");
        let open = period("2016-05-01", None);
        assert_eq!(check_end(Some(&open), day("2020-01-01"), today), Ok(()));
        assert_eq!(
            check_end(Some(&open), day("2016-05-01"), today),
            Err(Problem::EndsBeforeStart)
        );
        assert_eq!(
            check_end(Some(&open), day("2027-01-01"), today),
            Err(Problem::DateOutOfRange)
        );
        assert_eq!(
            check_end(None, day("2020-01-01"), today),
            Err(Problem::NotMember)
        );
        let p = period("2016-05-01", Some("2019-03-01"));
        assert!(p.active_on(day("2016-05-01")));
        assert!(p.active_on(day("2019-02-28")));
        assert!(!p.active_on(day("2019-03-01")));
        assert!(!p.active_on(day("2016-04-30")));
    }

    #[test]
    fn every_problem_and_band_has_its_words_in_both_languages() {
        use crate::i18n::Lang;
        let problems = [
            Problem::NotACommunity,
            Problem::AlreadyMember,
            Problem::Overlaps,
            Problem::DateOutOfRange,
            Problem::EndsBeforeStart,
            Problem::NotMember,
            Problem::UnknownOffice,
            Problem::OfficeElsewhere,
        ];
        for lang in [Lang::Uk, Lang::En] {
            for p in problems {
                assert!(lang.has_key(p.key()), "{}", p.key());
            }
            for b in Band::ALL {
                assert!(lang.has_key(&format!("members-band-{}", b.code())), "{b:?}");
            }
            for r in EndReason::ALL {
                assert!(lang.has_key(&format!("members-end-{}", r.code())), "{r:?}");
            }
        }
    }

    #[test]
    fn bands() {
        assert!(Band::Under5k.contains(4_999));
        assert!(Band::From5kTo10k.contains(5_000));
        assert!(Band::Over100k.contains(387_439));
        assert_eq!(Band::parse("10k-50k"), Some(Band::From10kTo50k));
        assert_eq!(Band::parse("huge"), None);
    }

    #[test]
    fn import_reports_every_bad_row() {
        let csv = "code,since,regional_office,decision_number,decision_on\n\
                   UA05020030000031457,2016-05-01,vinnytsia,12/3,2016-04-20\n\
                   UA0502,2016-05-01,vinnytsia,,\n\
                   \n\
                   UA05020030000031457,01.05.2016,,,\n";
        let errors = parse_import(csv.as_bytes()).expect_err("bad rows");
        assert_eq!(errors.iter().map(|e| e.line).collect::<Vec<_>>(), [3, 5]);
        assert!(errors[1].message.contains("regional office is missing"));
        let rows = parse_import(
            "code;since;regional_office\nUA05020030000031457;2016-05-01;vinnytsia\n".as_bytes(),
        )
        .expect("parses");
        assert_eq!(rows[0].office, "vinnytsia");
        assert_eq!(rows[0].line, 2);
        assert!(parse_import(b"code,status\n").is_err());
    }
}
