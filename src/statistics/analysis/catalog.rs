//! The open-data catalogue (`/api/v1/catalog`): DCAT-AP in JSON-LD, with its context inline so
//! it expands without fetching anything. Each data set with at least one release is a
//! `dcat:Dataset` with titles and descriptions in both languages, licence, publisher, the
//! periods released (temporal coverage), Ukraine (spatial coverage), the date of its last
//! release, and distributions: every release's latest version as CSV, XLSX and JSON.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde_json::{Value, json};

use super::releases::{ReleaseRow, releases};
use crate::error::AppResult;
use crate::state::AppState;
use crate::statistics::Period;

/// The licence the association publishes its statistics under.
pub const LICENCE: &str = "https://creativecommons.org/licenses/by/4.0/";
const UKRAINE: &str = "http://publications.europa.eu/resource/authority/country/UKR";
const FILE_TYPES: [(&str, &str, &str); 3] = [
    ("csv", "text/csv", "CSV"),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "XLSX",
    ),
    ("json", "application/json", "JSON"),
];

fn both(uk: &str, en: &str) -> Value {
    json!([{ "@value": uk, "@language": "uk" }, { "@value": en, "@language": "en" }])
}

fn date(d: NaiveDate) -> Value {
    json!({ "@value": d.to_string(), "@type": "xsd:date" })
}

/// The first and last day a period covers.
pub fn span(period: Period) -> Option<(NaiveDate, NaiveDate)> {
    let (year, first_month, months) = match period {
        Period::Year(y) => (y, 1, 12),
        Period::Quarter(y, q) => (y, u32::from(q) * 3 - 2, 3),
        Period::Month(y, m) => (y, u32::from(m), 1),
    };
    let start = NaiveDate::from_ymd_opt(year, first_month, 1)?;
    let end = start
        .checked_add_months(chrono::Months::new(months))?
        .pred_opt()?;
    Some((start, end))
}

/// The catalogue document.
pub fn document(base: &str, all: &[ReleaseRow]) -> Value {
    let base = base.trim_end_matches('/');
    let publisher = json!({
        "@id": format!("{base}/#publisher"),
        "@type": "foaf:Agent",
        "foaf:name": both("Асоціація міст України", "Association of Ukrainian Cities"),
        "foaf:homepage": { "@id": format!("{base}/") }
    });
    // By data set, the latest version of each period.
    let mut sets: BTreeMap<&str, BTreeMap<&str, &ReleaseRow>> = BTreeMap::new();
    for r in all {
        let periods = sets.entry(r.dataset.as_str()).or_default();
        match periods.get(r.period.as_str()) {
            Some(have) if have.version >= r.version => {}
            _ => {
                periods.insert(r.period.as_str(), r);
            }
        }
    }
    let datasets: Vec<Value> = sets
        .iter()
        .filter_map(|(code, periods)| {
            let any = periods.values().next()?;
            let spans: Vec<(NaiveDate, NaiveDate)> = periods
                .keys()
                .filter_map(|p| Period::parse(p).ok().and_then(span))
                .collect();
            let start = spans.iter().map(|s| s.0).min()?;
            let end = spans.iter().map(|s| s.1).max()?;
            let modified = periods.values().map(|r| r.published_at).max()?;
            let distributions: Vec<Value> = periods
                .values()
                .flat_map(|r| {
                    FILE_TYPES.iter().map(move |(format, media, name)| {
                        let url = format!("{base}{}?format={format}", r.href());
                        json!({
                            "@id": url,
                            "@type": "dcat:Distribution",
                            "dct:title": both(
                                &format!("{}, {}, версія {} ({name})", r.dataset_name_uk, r.period, r.version),
                                &format!("{}, {}, version {} ({name})", r.dataset_name_en, r.period, r.version),
                            ),
                            "dcat:accessURL": { "@id": url },
                            "dcat:downloadURL": { "@id": url },
                            "dcat:mediaType": { "@id": format!("https://www.iana.org/assignments/media-types/{media}") },
                            "dct:format": { "@id": format!("http://publications.europa.eu/resource/authority/file-type/{name}") },
                            "dct:license": { "@id": LICENCE },
                            "dct:issued": { "@value": r.published_at.to_rfc3339(), "@type": "xsd:dateTime" }
                        })
                    })
                })
                .collect();
            Some(json!({
                "@id": format!("{base}/api/v1/catalog#{code}"),
                "@type": "dcat:Dataset",
                "dct:identifier": code,
                "dct:title": both(&any.dataset_name_uk, &any.dataset_name_en),
                "dct:description": both(&any.dataset_description_uk, &any.dataset_description_en),
                "dct:publisher": { "@id": format!("{base}/#publisher") },
                "dct:license": { "@id": LICENCE },
                "dct:spatial": { "@id": UKRAINE },
                "dct:temporal": {
                    "@type": "dct:PeriodOfTime",
                    "dcat:startDate": date(start),
                    "dcat:endDate": date(end)
                },
                "dct:modified": { "@value": modified.to_rfc3339(), "@type": "xsd:dateTime" },
                "dcat:landingPage": { "@id": format!("{base}/uk/statistics/releases") },
                "dcat:distribution": distributions
            }))
        })
        .collect();
    json!({
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "xsd": "http://www.w3.org/2001/XMLSchema#"
        },
        "@id": format!("{base}/api/v1/catalog"),
        "@type": "dcat:Catalog",
        "dct:title": both("Муніципальна статистика громад", "Municipal statistics of Ukrainian communities"),
        "dct:description": both(
            "Затверджені показники громад: населення, територія, доходи місцевих бюджетів і те, що громади звітують асоціації. Кожен випуск незмінний і має власну адресу.",
            "Approved indicators of Ukrainian communities: population, territory, local budget revenues and what communities report to the association. Each release is immutable and has its own address."
        ),
        "dct:publisher": publisher,
        "dct:license": { "@id": LICENCE },
        "dct:language": [
            { "@id": "http://publications.europa.eu/resource/authority/language/UKR" },
            { "@id": "http://publications.europa.eu/resource/authority/language/ENG" }
        ],
        "dcat:dataset": datasets
    })
}

/// The catalogue as `application/ld+json`.
#[utoipa::path(get, path = "/api/v1/catalog", tag = "statistics", operation_id = "get_catalog",
    security((), ("bearer" = []), ("session" = [])),
    responses((status = 200, description = "a DCAT-AP catalogue in JSON-LD", content_type = "application/ld+json")))]
pub async fn catalog(State(state): State<AppState>) -> AppResult<Response> {
    let all = releases(&state.db).await?;
    let doc = document(&state.settings.base_url, &all);
    let mut response = serde_json::to_vec(&doc)
        .map_err(|e| crate::error::AppError::Internal(e.into()))?
        .into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/ld+json"),
    );
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_span_their_days() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("date");
        assert_eq!(
            span(Period::Year(2023)),
            Some((d(2023, 1, 1), d(2023, 12, 31)))
        );
        assert_eq!(
            span(Period::Quarter(2024, 1)),
            Some((d(2024, 1, 1), d(2024, 3, 31)))
        );
        assert_eq!(
            span(Period::Quarter(2023, 4)),
            Some((d(2023, 10, 1), d(2023, 12, 31)))
        );
        assert_eq!(
            span(Period::Month(2024, 2)),
            Some((d(2024, 2, 1), d(2024, 2, 29)))
        );
    }
}
