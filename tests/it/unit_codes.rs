//! A unit's codifier code is parsed where it enters (`registry::UnitCode`, issue 17 "Parse at
//! the edges"): a malformed one in a page's path, an API path, a query, a JSON body or a CSV
//! row gets its clear answer, naming the field, before any handler looks at it.

use axum::http::{Method, StatusCode};
use hromada::identity::Role;

use crate::harness::{Response, TestApp, multipart};

const VINNYTSKA: &str = "UA05020030000031457";
const MALFORMED: &str = "UA0502";

/// The API's answer to a malformed code: 422 naming `field`, with the registry's rule.
fn names_the_code(r: &Response, field: &str) {
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.error_fields(), [field], "{}", r.body);
    let message = r.json()["error"]["fields"][0]["message"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(message.contains("17"), "{message}");
}

#[tokio::test]
async fn a_malformed_code_in_a_page_path_is_a_clear_400() {
    let mut app = TestApp::with_registry().await;
    app.login_as(Role::Admin).await;
    let page = app.get(&format!("/en/members/{MALFORMED}")).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.text(".errors").contains("“UA” followed by 17 digits"));
    let form = app
        .post_form(
            &format!("/uk/members/{MALFORMED}/posts"),
            &[("kind", "head"), ("since", "2020-12-01")],
        )
        .await;
    assert_eq!(form.status, StatusCode::BAD_REQUEST);
    assert!(form.text(".errors").contains("«UA» і 17 цифр"));
    // A well-formed code gets past the path.
    let member = app.get(&format!("/en/members/{VINNYTSKA}")).await;
    assert_eq!(member.status, StatusCode::OK);
}

/// The statistics pages that always answered a code they cannot use with 404 still do.
#[tokio::test]
async fn statistics_pages_answer_a_malformed_code_404() {
    let mut app = TestApp::with_registry().await;
    let page = app.get(&format!("/uk/units/{MALFORMED}/statistics")).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    app.login_as(Role::Admin).await;
    let report = app
        .get(&format!("/uk/statistics/campaigns/1/report/{MALFORMED}"))
        .await;
    assert_eq!(report.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_malformed_code_in_an_api_path_is_named() {
    let app = TestApp::with_registry().await;
    let (mut admin, _) = app.token_client_as(Role::Admin, "").await;
    let join = admin
        .send_json(
            Method::POST,
            &format!("/api/v1/members/{MALFORMED}/join"),
            &serde_json::json!({}),
        )
        .await;
    names_the_code(&join, "code");
    let posts = admin
        .send_json(
            Method::POST,
            &format!("/api/v1/members/{MALFORMED}/posts"),
            &serde_json::json!({"kind": "head", "since": "2020-12-01"}),
        )
        .await;
    names_the_code(&posts, "code");
    let children = admin
        .get(&format!("/api/v1/units/{MALFORMED}/children"))
        .await;
    names_the_code(&children, "code");
    let report = admin
        .get(&format!("/api/v1/campaigns/1/reports/{MALFORMED}"))
        .await;
    names_the_code(&report, "unit");
    // A numeric id that does not parse is answered as before: axum's 400.
    let id = admin
        .send_json(
            Method::DELETE,
            &format!("/api/v1/units/{VINNYTSKA}/statuses/first"),
            &serde_json::json!({}),
        )
        .await;
    assert_eq!(id.status, StatusCode::BAD_REQUEST, "{}", id.body);
}

#[tokio::test]
async fn a_malformed_code_in_a_query_is_named() {
    let mut app = TestApp::with_registry().await;
    names_the_code(
        &app.get(&format!("/api/v1/units?parent={MALFORMED}")).await,
        "parent",
    );
    names_the_code(
        &app.get(&format!("/api/v1/values?unit={MALFORMED}")).await,
        "unit",
    );
    names_the_code(
        &app.get(&format!(
            "/api/v1/statistics/rankings?indicator=budget_revenue_own&parent={MALFORMED}"
        ))
        .await,
        "parent",
    );
    names_the_code(
        &app.get(&format!(
            "/api/v1/statistics/series?indicator=budget_revenue_own&units={VINNYTSKA},{MALFORMED}"
        ))
        .await,
        "units",
    );
    names_the_code(
        &app.get(&format!("/api/v1/news?community={MALFORMED}"))
            .await,
        "community",
    );
    names_the_code(
        &app.get(&format!("/api/v1/news?oblast={MALFORMED}")).await,
        "oblast",
    );
    // An empty value is no code, as a form's empty field sends it.
    let all = app.get("/api/v1/units?parent=").await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.body);
    let news = app.get("/api/v1/news?community=&oblast=").await;
    assert_eq!(news.status, StatusCode::OK, "{}", news.body);
    // The news list and its feed, as pages: 400 with the rule; a well-formed code the
    // registry does not hold keeps its own message.
    let list = app.get(&format!("/en/news?community={MALFORMED}")).await;
    assert_eq!(list.status, StatusCode::BAD_REQUEST);
    assert!(list.text(".errors").contains("“UA” followed by 17 digits"));
    let feed = app
        .get(&format!("/uk/news/feed.atom?community={MALFORMED}"))
        .await;
    assert_eq!(feed.status, StatusCode::BAD_REQUEST);
    let unknown = app.get("/en/news?oblast=UA99000000000000000").await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert!(!unknown.text(".errors").contains("17 digits"));
    // A page's query: 400 with the rule.
    app.login_as(Role::Admin).await;
    let find = app.get(&format!("/uk/members/find?code={MALFORMED}")).await;
    assert_eq!(find.status, StatusCode::BAD_REQUEST);
    assert!(find.text(".errors").contains("«UA» і 17 цифр"));
    let found = app
        .get(&format!("/uk/members/find?code=+{VINNYTSKA}+"))
        .await;
    assert_eq!(found.location(), format!("/uk/members/{VINNYTSKA}"));
}

#[tokio::test]
async fn a_malformed_code_in_a_json_body_is_named() {
    let app = TestApp::with_registry().await;
    let (mut admin, _) = app.token_client_as(Role::Admin, "").await;
    let r = admin
        .send_json(
            Method::POST,
            "/api/v1/campaigns",
            &serde_json::json!({
                "dataset": "budget_revenues", "period": "2024", "scope": "list",
                "units": [VINNYTSKA, MALFORMED], "deadline": "2099-01-01"
            }),
        )
        .await;
    names_the_code(&r, "units[1]");
    let (mut editor, _) = app.token_client_as(Role::Editor, "").await;
    let r = editor
        .send_json(
            Method::POST,
            "/api/v1/news",
            &serde_json::json!({
                "title_uk": "Тест", "sectors": ["education"], "units": [MALFORMED]
            }),
        )
        .await;
    names_the_code(&r, "units[0]");
}

#[tokio::test]
async fn a_malformed_code_in_a_status_file_names_its_line() {
    let app = TestApp::with_registry().await;
    let (mut admin, _) = app.token_client_as(Role::Admin, "").await;
    let (ct, body) = multipart(&format!(
        "code,status,since\n{VINNYTSKA},rear,2022-03-01\n{MALFORMED},rear,2022-03-01\n"
    ));
    let r = admin
        .request(
            Method::POST,
            "/api/v1/unit-statuses",
            Some(&ct),
            body,
            &[("accept-language", "en")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.error_fields(), ["file"]);
    let message = r.json()["error"]["fields"][0]["message"].to_string();
    assert!(
        message.contains("Line 3") && message.contains(MALFORMED),
        "{message}"
    );
    let unit = admin.get(&format!("/api/v1/units/{VINNYTSKA}")).await;
    assert!(
        unit.json()["status_history"]
            .as_array()
            .is_some_and(Vec::is_empty)
    );
}
