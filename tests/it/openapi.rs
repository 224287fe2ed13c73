//! The OpenAPI document's own promises: one readable operationId per operation, parameters
//! where they really go, the access each route really has, and the answers around it that the
//! middleware gives (405, 422 naming the field). Every answer of the suite is checked against
//! the document as well (`conformance`).

use axum::http::{Method, StatusCode};
use hromada::identity::Role;
use hromada::web::routes::Access;
use serde_json::Value;

use crate::conformance::document;
use crate::harness::TestApp;

/// Every operation of the document with its path and method.
fn operations() -> Vec<(String, String, &'static Value)> {
    let doc = document().json();
    let mut all = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            all.push((path.clone(), method.clone(), op));
        }
    }
    all
}

#[test]
fn every_operation_has_an_id_of_its_own() {
    let mut seen = std::collections::HashMap::new();
    for (path, method, op) in operations() {
        let id = op["operationId"].as_str().unwrap_or_default().to_string();
        assert!(
            id.contains('_')
                && id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit()),
            "{method} {path}: operationId {id:?} is not a readable verb_noun"
        );
        if let Some(other) = seen.insert(id.clone(), format!("{method} {path}")) {
            panic!("{id} is the id of {other} and of {method} {path}");
        }
    }
    assert!(seen.len() > 60, "{}", seen.len());
}

#[test]
fn parameters_are_where_the_server_reads_them() {
    for (path, method, op) in operations() {
        let params = op["parameters"].as_array().cloned().unwrap_or_default();
        for p in &params {
            let name = p["name"].as_str().unwrap_or_default();
            let place = format!("{{{name}}}");
            match p["in"].as_str() {
                Some("path") => {
                    assert!(
                        path.contains(&place),
                        "{method} {path}: {name} is no path segment"
                    );
                    assert_eq!(p["required"], true, "{method} {path}: {name}");
                }
                Some("query") => {
                    assert!(!path.contains(&place), "{method} {path}: {name}");
                    // A query parameter the server does without must not be demanded.
                    let optional = p["required"] != true;
                    let demanded = ["indicator"].contains(&name);
                    assert!(
                        optional || demanded,
                        "{method} {path}: {name} marked required"
                    );
                }
                other => panic!("{method} {path}: {name} in {other:?}"),
            }
        }
        for segment in path.split('/').filter(|s| s.starts_with('{')) {
            let name = segment.trim_matches(['{', '}']);
            assert!(
                params
                    .iter()
                    .any(|p| p["name"] == name && p["in"] == "path"),
                "{method} {path}: {name} undocumented"
            );
        }
    }
}

/// The security each operation documents is the access its route has in the table: public
/// routes take credentials but need none; the others need a token or the session cookie, and
/// say they may answer 401 and 403.
#[test]
fn each_operation_documents_the_access_of_its_route() {
    let doc = document().json();
    let mut checked = 0;
    for route in hromada::app::routes() {
        if !route.path.starts_with("/api/v1/") || route.path == "/api/v1/openapi.json" {
            continue;
        }
        let method = route.method.as_str().to_lowercase();
        let op = &doc["paths"][route.path][&method];
        let what = format!("{} {}", route.method, route.path);
        let security: Vec<Value> = op["security"]
            .as_array()
            .unwrap_or_else(|| panic!("{what} documents no security"))
            .clone();
        let anonymous = security.contains(&serde_json::json!({}));
        for scheme in ["bearer", "session"] {
            assert!(
                security.iter().any(|r| r.get(scheme).is_some()),
                "{what} does not take {scheme}"
            );
        }
        assert_eq!(
            anonymous,
            route.access == Access::Public,
            "{what}: {security:?}"
        );
        assert!(op["responses"]["401"].is_object(), "{what}: 401");
        if route.access != Access::Public || route.method != Method::GET {
            assert!(op["responses"]["403"].is_object(), "{what}: 403");
        }
        checked += 1;
    }
    assert!(checked > 60, "{checked}");
}

/// A method a path does not have is 405, also for a signed-in browser's request without a CSRF
/// token (it was 403 `csrf`: the CSRF check ran before routing).
#[tokio::test]
async fn a_method_the_path_has_not_is_405_even_with_cookies() {
    let mut app = TestApp::new().await;
    app.login_as(Role::Editor).await;
    assert!(app.cookies.contains_key("hromada_session"));
    for (method, path) in [
        (Method::DELETE, "/api/v1/news"),
        (Method::PUT, "/api/v1/units"),
        (Method::PATCH, "/api/v1/users"),
    ] {
        let r = app
            .request(
                method.clone(),
                path,
                Some("application/json"),
                b"{}".to_vec(),
                &[],
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}: {}",
            r.body
        );
        assert_eq!(r.json()["error"]["code"], "method_not_allowed");
    }
    // The CSRF check still holds for the methods there are.
    let r = app
        .request(
            Method::POST,
            "/api/v1/news",
            Some("application/json"),
            b"{}".to_vec(),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(r.json()["error"]["code"], "csrf");
}

/// Bad input to a list is one answer everywhere: 422 naming the field, in the caller's language.
#[tokio::test]
async fn a_bad_paging_value_is_422_naming_it_on_every_list() {
    let mut app = TestApp::new().await;
    for (uri, field) in [
        ("/api/v1/units?offset=-1", "offset"),
        ("/api/v1/people?offset=x", "offset"),
        ("/api/v1/news?limit=abc", "limit"),
        (
            "/api/v1/statistics/rankings?indicator=population_total&offset=-1",
            "offset",
        ),
        (
            "/api/v1/statistics/rankings?indicator=population_total&limit=2.5",
            "limit",
        ),
    ] {
        let r = app
            .request(
                Method::GET,
                uri,
                None,
                Vec::new(),
                &[("accept-language", "en")],
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{uri}: {}",
            r.body
        );
        let error = &r.json()["error"];
        assert_eq!(error["code"], "invalid", "{uri}");
        // Every bad field is named (the ranking names its unknown indicator too).
        let named = error["fields"]
            .as_array()
            .and_then(|all| all.iter().find(|f| f["field"] == field))
            .unwrap_or_else(|| panic!("{uri}: {field} not named: {error}"));
        let message = named["message"].as_str().unwrap_or_default();
        assert!(
            message.is_ascii() && !message.is_empty(),
            "{uri}: in English: {message}"
        );
    }
}

/// The aggregates' level takes oblast or raion, and its refusal says so (it listed hromada).
#[tokio::test]
async fn the_aggregates_refusal_names_the_levels_it_takes() {
    let mut app = TestApp::new().await;
    let r = app
        .request(
            Method::GET,
            "/api/v1/statistics/aggregates?indicator=population_total&level=hromada",
            None,
            Vec::new(),
            &[("accept-language", "en")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let message = r.json()["error"]["fields"][0]["message"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        message.contains("oblast") && message.contains("raion"),
        "{message}"
    );
    assert!(!message.contains("hromada"), "{message}");
}

/// Every place the document asks for a unit code (parameters and properties) uses the
/// registry's rule, `UA` and 17 digits, as a pattern that accepts a real code and refuses a
/// short one (a pattern typed with doubled braces matched nothing).
#[test]
fn unit_code_patterns_are_the_registrys_rule() {
    fn walk(v: &Value, found: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                if let Some(p) = map.get("pattern").and_then(Value::as_str)
                    && p.contains("UA")
                {
                    found.push(p.to_string());
                }
                map.values().for_each(|v| walk(v, found));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, found)),
            _ => {}
        }
    }
    let mut patterns = Vec::new();
    walk(document().json(), &mut patterns);
    assert!(patterns.len() >= 8, "{patterns:?}");
    for pattern in patterns {
        let schema = serde_json::json!({ "type": "string", "pattern": pattern });
        let accepts = |code: &str| {
            document()
                .value_problems(&schema, &Value::from(code))
                .is_empty()
        };
        assert!(accepts("UA05020030000031457"), "{pattern} refuses a code");
        for wrong in [
            "UA0502003000003145",
            "ua05020030000031457",
            "UA0502003000003145x",
        ] {
            assert!(!accepts(wrong), "{pattern} accepts {wrong}");
        }
    }
}

/// The document served is the one the suite checks against, joined from every feature's part
/// with each feature's own additions kept (news adds what its derive cannot say of `NewsIn`).
#[tokio::test]
async fn the_served_document_joins_every_features_part() {
    let mut app = TestApp::new().await;
    let served = app.get("/api/v1/openapi.json").await;
    assert_eq!(served.status, StatusCode::OK);
    assert_eq!(&served.json(), document().json());
    let news_in = &document().json()["components"]["schemas"]["NewsIn"];
    let either_title = news_in["allOf"]
        .as_array()
        .and_then(|parts| parts.iter().find_map(|p| p["anyOf"].as_array()))
        .expect("NewsIn requires a title in one language");
    let required: Vec<&str> = either_title
        .iter()
        .filter_map(|o| o["required"][0].as_str())
        .collect();
    assert_eq!(required, ["title_uk", "title_en"], "{news_in}");
    for tag in ["registry", "association", "news", "statistics"] {
        assert!(
            operations()
                .iter()
                .any(|(_, _, op)| op["tags"][0].as_str() == Some(tag)),
            "no operation tagged {tag}"
        );
    }
}
