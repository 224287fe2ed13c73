//! Facts about units beyond the codifier — a hromada's type, centre, area, formation and
//! population — each with the source it comes from and the date it holds for, and the dated
//! wartime status of a unit. Pure rules and the shipped reference file; SQL is in `repo.rs`.

use chrono::NaiveDate;

use super::UnitCode;
use crate::i18n::Lang;
use crate::web::csv_upload::RowError;

/// A hromada's type, which the codifier does not carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HromadaType {
    /// міська: its centre is a city.
    Urban,
    /// селищна: its centre is a selyshche.
    Settlement,
    /// сільська: its centre is a village.
    Rural,
}

impl HromadaType {
    pub const ALL: [HromadaType; 3] = [
        HromadaType::Urban,
        HromadaType::Settlement,
        HromadaType::Rural,
    ];

    pub fn code(self) -> &'static str {
        match self {
            HromadaType::Urban => "urban",
            HromadaType::Settlement => "settlement",
            HromadaType::Rural => "rural",
        }
    }

    pub fn parse(code: &str) -> Option<HromadaType> {
        HromadaType::ALL.into_iter().find(|t| t.code() == code)
    }

    /// The adjective the Ukrainian sources write (`міська`, `селищна`, `сільська`).
    pub fn from_uk(adjective: &str) -> Option<HromadaType> {
        match adjective.trim() {
            "міська" => Some(HromadaType::Urban),
            "селищна" => Some(HromadaType::Settlement),
            "сільська" => Some(HromadaType::Rural),
            _ => None,
        }
    }

    pub fn adjective(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (HromadaType::Urban, Lang::Uk) => "міська",
            (HromadaType::Settlement, Lang::Uk) => "селищна",
            (HromadaType::Rural, Lang::Uk) => "сільська",
            (HromadaType::Urban, Lang::En) => "urban",
            (HromadaType::Settlement, Lang::En) => "settlement",
            (HromadaType::Rural, Lang::En) => "rural",
        }
    }
}

/// The full official name of a hromada, composed as the law names them: its name, its type
/// and the word for hromada ("Вінницька міська громада", "Vinnytska urban hromada"). The
/// published data has no such string for every hromada, and a composed one follows renamings.
pub fn hromada_full_name(lang: Lang, name: &str, kind: Option<HromadaType>) -> String {
    let word = match lang {
        Lang::Uk => "територіальна громада",
        Lang::En => "hromada",
    };
    match kind {
        Some(kind) if lang == Lang::Uk => format!("{name} {} громада", kind.adjective(lang)),
        Some(kind) => format!("{name} {} {word}", kind.adjective(lang)),
        None => format!("{name} {word}"),
    }
}

crate::text_enum! {
    /// A unit's wartime status, dated from the day it holds.
    pub enum Status as "UnitStatus" {
        /// In the rear, away from hostilities.
        Rear = "rear",
        /// Where active hostilities are conducted.
        Frontline = "frontline",
        /// Temporarily occupied by the Russian Federation.
        Occupied = "occupied",
        /// Returned under Ukraine's control.
        Deoccupied = "deoccupied",
    }
}

/// The statuses every new registry starts with: the Autonomous Republic of Crimea and
/// Sevastopol, temporarily occupied since 20 February 2014 (the date the Law of Ukraine on the
/// temporarily occupied territory gives as the start of the occupation).
pub const INITIAL_STATUSES: [(&str, Status, &str); 2] = [
    ("UA01000000000013043", Status::Occupied, "2014-02-20"),
    ("UA85000000000065278", Status::Occupied, "2014-02-20"),
];

/// One row of a status import: `code,status,since[,note]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusRow {
    /// The row's line in an imported file (the header is line 1); 0 when typed in a form.
    pub line: u64,
    pub code: UnitCode,
    pub status: Status,
    pub since: NaiveDate,
    pub note: String,
}

/// Parses a status CSV (header `code,status,since[,note]`; comma or semicolon separated).
/// Every bad row is reported, with its line number.
pub fn parse_status_csv(bytes: &[u8]) -> Result<Vec<StatusRow>, Vec<RowError>> {
    crate::web::csv_upload::read(bytes, &["code", "status", "since"], |line, record| {
        let field = |n: usize| record.get(n).unwrap_or_default();
        let mut problems = Vec::new();
        let code = UnitCode::parse(field(0));
        if code.is_none() {
            problems.push(format!(
                "{:?} is not a codifier code (UA and 17 digits)",
                field(0)
            ));
        }
        let status = Status::parse(field(1));
        if status.is_none() {
            problems.push(format!(
                "{:?} is not a status (rear, frontline, occupied, deoccupied)",
                field(1)
            ));
        }
        let since = NaiveDate::parse_from_str(field(2), "%Y-%m-%d").ok();
        if since.is_none() {
            problems.push(format!("{:?} is not a date (YYYY-MM-DD)", field(2)));
        }
        if record.len() > 4 {
            problems.push(format!("{} fields, at most 4 expected", record.len()));
        }
        match (code, status, since) {
            (Some(code), Some(status), Some(since)) if problems.is_empty() => Ok(StatusRow {
                line,
                code,
                status,
                since,
                note: field(3).to_string(),
            }),
            _ => Err(problems.join("; ")),
        }
    })
}

/// Where an attribute comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub id: &'static str,
    pub title_uk: &'static str,
    pub title_en: &'static str,
    pub publisher: &'static str,
    pub url: &'static str,
    pub licence: &'static str,
    /// When the copy shipped with hromada was taken.
    pub retrieved_on: &'static str,
}

pub const CODIFIER: &str = "katottg-2025-07-02";
pub const KSE_ADMIN: &str = "kse-admin-hromada";
pub const CODAB: &str = "cod-ab-2024";
pub const AMALGAMATION: &str = "decentralization-amalgamation";
pub const POPULATION: &str = "ukrstat-population-2022";

/// Every source of the shipped reference data (also listed in `NOTICE`).
pub const SOURCES: [Source; 5] = [
    Source {
        id: CODIFIER,
        title_uk: "Кодифікатор адміністративно-територіальних одиниць та територій територіальних громад, редакція від 2 липня 2025 року",
        title_en: "Codifier of administrative-territorial units and territories of territorial communities, edition of 2 July 2025",
        publisher: "Міністерство розвитку громад та територій України",
        url: "https://mindev.gov.ua/",
        licence: "open data of Ukraine, CC BY 4.0",
        retrieved_on: "2025-07-22",
    },
    Source {
        id: KSE_ADMIN,
        title_uk: "Громади, райони й області з типом громади (KSE Loc Data Hub, ua-admin-hromada)",
        title_en: "Hromadas, raions and oblasts with the hromada type (KSE Loc Data Hub, ua-admin-hromada)",
        publisher: "Kyiv School of Economics",
        url: "https://github.com/kse-ua/KSE-Loc-Data-Hub",
        licence: "MIT",
        retrieved_on: "2023-10-01",
    },
    Source {
        id: CODAB,
        title_uk: "Межі адміністративних одиниць України (OCHA COD-AB), чинні з 16 квітня 2024 року",
        title_en: "Administrative boundaries of Ukraine (OCHA COD-AB), valid from 16 April 2024",
        publisher: "UN OCHA; Державна служба України з питань геодезії, картографії та кадастру",
        url: "https://data.humdata.org/dataset/cod-ab-ukr",
        licence: "CC BY-IGO",
        retrieved_on: "2024-08-02",
    },
    Source {
        id: AMALGAMATION,
        title_uk: "Рішення про утворення громад (портал «Децентралізація», дані KSE Loc Data Hub)",
        title_en: "Decisions forming the hromadas (the Decentralisation portal, as published by KSE Loc Data Hub)",
        publisher: "Kyiv School of Economics",
        url: "https://github.com/kse-ua/KSE-Loc-Data-Hub",
        licence: "MIT",
        retrieved_on: "2023-10-01",
    },
    Source {
        id: POPULATION,
        title_uk: "Чисельність наявного населення України на 1 січня 2022 року, за громадами (Держстат, зведено KSE)",
        title_en: "Present population of Ukraine on 1 January 2022, by hromada (State Statistics Service, aggregated by KSE)",
        publisher: "Державна служба статистики України",
        url: "https://ukrstat.gov.ua/",
        licence: "public statistics; aggregation MIT (KSE)",
        retrieved_on: "2022-09-02",
    },
];

/// An attribute's name. Each has one source and is either text or a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    Type,
    Centre,
    AreaKm2,
    FormedOn,
    Voluntary,
    PopulationTotal,
    PopulationUrban,
}

impl Key {
    pub const ALL: [Key; 7] = [
        Key::Type,
        Key::Centre,
        Key::AreaKm2,
        Key::FormedOn,
        Key::Voluntary,
        Key::PopulationTotal,
        Key::PopulationUrban,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Key::Type => "type",
            Key::Centre => "centre",
            Key::AreaKm2 => "area_km2",
            Key::FormedOn => "formed_on",
            Key::Voluntary => "voluntary",
            Key::PopulationTotal => "population_total",
            Key::PopulationUrban => "population_urban",
        }
    }

    pub fn parse(code: &str) -> Option<Key> {
        Key::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The source and the date the shipped values hold for.
    fn shipped_source(self) -> (&'static str, Option<&'static str>) {
        match self {
            Key::Type => (KSE_ADMIN, None),
            Key::Centre => (CODIFIER, Some("2025-07-02")),
            Key::AreaKm2 => (CODAB, Some("2024-04-16")),
            Key::FormedOn | Key::Voluntary => (AMALGAMATION, None),
            Key::PopulationTotal | Key::PopulationUrban => (POPULATION, Some("2022-01-01")),
        }
    }
}

/// One attribute value, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    pub code: String,
    pub key: Key,
    pub text: Option<String>,
    pub number: Option<f64>,
    pub as_of: Option<NaiveDate>,
    pub source: &'static str,
}

/// Reads the shipped attribute file (`data/hromadas/hromada-attributes.csv.gz`, made by
/// `data/hromadas/prepare_attributes.py`). Empty cells are facts the sources do not give.
pub fn parse_shipped(bytes: &[u8]) -> Result<Vec<Attribute>, Vec<RowError>> {
    let mut reader = csv::Reader::from_reader(bytes);
    let mut out = Vec::new();
    let mut errors = Vec::new();
    // The file's columns after the code are the keys in their declared order.
    let columns = Key::ALL;
    for (i, record) in reader.records().enumerate() {
        let line = i as u64 + 2;
        let bad = |message: String| RowError { line, message };
        let record = match record {
            Ok(r) if r.len() == 8 && UnitCode::parse(&r[0]).is_some() => r,
            Ok(r) => {
                errors.push(bad(format!("malformed row {r:?}")));
                continue;
            }
            Err(e) => {
                errors.push(bad(e.to_string()));
                continue;
            }
        };
        for (n, key) in columns.into_iter().enumerate() {
            let raw = &record[n + 1];
            if raw.is_empty() {
                continue;
            }
            let (source, as_of) = key.shipped_source();
            let mut value = Attribute {
                code: record[0].to_string(),
                key,
                text: None,
                number: None,
                as_of: as_of.and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
                source,
            };
            let ok = match key {
                Key::Type => HromadaType::from_uk(raw).map(|t| value.text = Some(t.code().into())),
                Key::Centre => UnitCode::parse(raw).map(|c| value.text = Some(c.into_string())),
                Key::FormedOn => NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                    .ok()
                    .map(|d| value.text = Some(d.to_string())),
                Key::AreaKm2 | Key::Voluntary | Key::PopulationTotal | Key::PopulationUrban => raw
                    .parse::<f64>()
                    .ok()
                    .filter(|n| n.is_finite() && *n >= 0.0)
                    .map(|n| value.number = Some(n)),
            };
            match ok {
                Some(()) => out.push(value),
                None => errors.push(bad(format!("{}: bad value {raw:?}", key.code()))),
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_names_follow_the_type() {
        assert_eq!(
            hromada_full_name(Lang::Uk, "Вінницька", Some(HromadaType::Urban)),
            "Вінницька міська громада"
        );
        assert_eq!(
            hromada_full_name(Lang::En, "Vinnytska", Some(HromadaType::Urban)),
            "Vinnytska urban hromada"
        );
        assert_eq!(
            hromada_full_name(Lang::En, "Ahronomichna", Some(HromadaType::Rural)),
            "Ahronomichna rural hromada"
        );
        assert_eq!(
            hromada_full_name(Lang::Uk, "Гресівська", None),
            "Гресівська територіальна громада"
        );
    }

    #[test]
    fn status_csv_reports_every_bad_row() {
        let good = "code,status,since,note\nUA05020030000031457,rear,2022-02-24,\n\
                    UA14000000000091971;x,x,x\n";
        let errors = parse_status_csv(good.as_bytes()).expect_err("bad row");
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 3);
        let csv = "code;status;since\nUA05020030000031457;frontline;2022-02-24\n\n\
                   UA0502;occupied;2022-03-01\nUA05020030000031457;calm;24.02.2022\n";
        let errors = parse_status_csv(csv.as_bytes()).expect_err("bad rows");
        assert_eq!(errors.iter().map(|e| e.line).collect::<Vec<_>>(), [4, 5]);
        assert!(errors[1].message.contains("not a status"), "{errors:?}");
        assert!(errors[1].message.contains("not a date"), "{errors:?}");
        let rows = parse_status_csv(
            "\u{feff}code,status,since,note\nUA05020030000031457,deoccupied,2022-11-11,Херсон\n"
                .as_bytes(),
        )
        .expect("parses");
        assert_eq!(rows[0].status, Status::Deoccupied);
        assert_eq!(rows[0].note, "Херсон");
        assert!(parse_status_csv(b"a,b\n1,2\n").is_err());
        assert!(parse_status_csv(b"").is_err());
    }

    #[test]
    fn the_shipped_file_reads_completely() {
        let bytes = super::super::data::hromada_attributes().expect("gzip");
        let rows = parse_shipped(&bytes).expect("parses");
        let count = |key| rows.iter().filter(|a| a.key == key).count();
        assert_eq!(count(Key::Type), 1771);
        assert_eq!(count(Key::Centre), 1772);
        assert_eq!(count(Key::AreaKm2), 1766);
        assert_eq!(count(Key::FormedOn), 1469);
        // 1,469 hromadas outside Crimea and Sevastopol, and Kyiv.
        assert_eq!(count(Key::PopulationTotal), 1470);
        let vinnytsia = |key| {
            rows.iter()
                .find(|a| a.code == "UA05020030000031457" && a.key == key)
                .cloned()
                .expect("Vinnytska hromada")
        };
        assert_eq!(vinnytsia(Key::Type).text.as_deref(), Some("urban"));
        assert_eq!(vinnytsia(Key::PopulationTotal).number, Some(387_439.0));
        assert_eq!(vinnytsia(Key::PopulationUrban).number, Some(371_004.0));
        assert_eq!(
            vinnytsia(Key::PopulationTotal).as_of,
            NaiveDate::from_ymd_opt(2022, 1, 1)
        );
        assert_eq!(vinnytsia(Key::Centre).source, CODIFIER);
        let total: f64 = rows
            .iter()
            .filter(|a| a.key == Key::PopulationTotal)
            .filter_map(|a| a.number)
            .sum();
        // Ukrstat's present population on 1 January 2022 without Crimea and Sevastopol.
        assert_eq!(total, 41_167_335.0);
        assert!(parse_shipped(b"code,a,b,c,d,e,f,g\nUA1,x,,,,,,\n").is_err());
    }
}
