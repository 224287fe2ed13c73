//! Bad input of every kind, sent to every route in the table: never a 5xx, never axum's bare
//! text, always our page (in the visitor's language) or our JSON error envelope, and nothing
//! saved before is lost.

use axum::http::{Method, StatusCode};
use hromada::identity::Role;

use crate::harness::{Response, TestApp};

const PATH_IDS: [&str; 6] = ["0", "-1", "abc", "99999999999999999999", "%FF%FE", "1.5"];

const QUERIES: [&str; 5] = [
    "?limit=-5&offset=x",
    "?limit=99999999999999999999&offset=-1",
    "?status=%00%FF&from=2026-13-45&to=yesterday&actor=%E2%80%AE&entity=",
    "?next=%2F%2Fevil.example&token=%ZZ",
    "?lang=de&page=-1&page=2",
];

fn form_bodies(csrf: &str) -> Vec<(&'static str, Vec<u8>)> {
    let long = "я".repeat(20_000);
    let form = "application/x-www-form-urlencoded";
    vec![
        (form, format!("csrf={csrf}").into_bytes()),
        (form, format!("csrf={csrf}&email=%ZZ&password=%FF%FE&name=%00").into_bytes()),
        (
            form,
            format!("csrf={csrf}&email={long}&password={long}&display_name={long}&role={long}&code={long}&name={long}")
                .into_bytes(),
        ),
        (
            form,
            format!("csrf={csrf}&email=a&email=b&role=admin&role=partner&scope[]=x&code=12345a")
                .into_bytes(),
        ),
        (form, [b"csrf=".as_slice(), csrf.as_bytes(), b"&email=\xff\xfe\x00"].concat()),
        ("text/plain", b"hello".to_vec()),
        ("multipart/form-data; boundary=x", b"--x\r\nbroken".to_vec()),
        ("application/json", br#"{"email": 5}"#.to_vec()),
    ]
}

fn json_bodies() -> Vec<(&'static str, Vec<u8>)> {
    let json = "application/json";
    vec![
        (json, b"{".to_vec()),
        (json, b"[]".to_vec()),
        (json, b"null".to_vec()),
        (
            json,
            br#"{"name": 5, "email": [], "role": {"x": 1}}"#.to_vec(),
        ),
        (
            json,
            format!(
                r#"{{"name": "{}", "email": "{}"}}"#,
                "я".repeat(20_000),
                "x".repeat(5000)
            )
            .into_bytes(),
        ),
        (
            json,
            br#"{"name": "\u0000", "email": "not-an-address", "role": "god"}"#.to_vec(),
        ),
        (json, b"\xff\xfe".to_vec()),
        ("application/x-www-form-urlencoded", b"name=x".to_vec()),
        ("text/plain", b"{}".to_vec()),
    ]
}

/// A response to bad input: a client error or a redirect, rendered by us.
fn assert_handled(what: &str, r: &Response) {
    assert!(
        !r.status.is_server_error(),
        "{what}: {} {}",
        r.status,
        r.body.chars().take(300).collect::<String>()
    );
    if r.status.is_client_error() {
        let is_json = r
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if is_json {
            let v = r.json();
            assert!(
                v["error"]["code"].is_string() && v["error"]["message"].is_string(),
                "{what}: {v}"
            );
        } else {
            assert!(
                r.body.contains("<html lang=\"uk\"") || r.body.contains("<html lang=\"en\""),
                "{what}: {} not our page: {}",
                r.status,
                r.body.chars().take(300).collect::<String>()
            );
        }
    }
}

async fn fresh_admin(base: &TestApp) -> TestApp {
    let mut admin = base.other_browser();
    admin.login_as(Role::Admin).await;
    admin
}

#[tokio::test]
async fn no_route_fails_on_bad_input() {
    let base = TestApp::new().await;
    // Account actions (disable, roles, reset) target this account, not the admins below.
    let target = base
        .create_user("target@example.ua", Role::Partner, "")
        .await
        .to_string();
    let mut keeper = fresh_admin(&base).await;
    let users_before = keeper.get("/api/v1/users").await.json()["total"]
        .as_i64()
        .expect("total");
    let mut admin = fresh_admin(&base).await;
    let mut anonymous = base.other_browser();
    let oversized = vec![b'a'; base.state.settings.max_body_bytes + 1];
    let mut sent = 0;
    let mut too_large = 0;

    for route in hromada::app::routes() {
        if route.path.ends_with("/logout") {
            continue;
        }
        let mut paths: Vec<String> = vec![
            route
                .path
                .replace("{lang}", "uk")
                .replace("{id}", &target)
                .replace("{role}", "partner"),
        ];
        if route.path.contains("{id}") {
            paths.extend(PATH_IDS.iter().map(|id| {
                route
                    .path
                    .replace("{lang}", "en")
                    .replace("{id}", id)
                    .replace("{role}", id)
            }));
        }
        if route.path.contains("{lang}") {
            paths.push(
                route
                    .path
                    .replace("{lang}", "de")
                    .replace("{id}", "1")
                    .replace("{role}", "x"),
            );
        }
        for who in [&mut admin, &mut anonymous] {
            for path in &paths {
                if route.method == Method::GET {
                    for q in QUERIES {
                        let url = format!("{path}{q}");
                        let r = who.get(&url).await;
                        assert_handled(&format!("GET {url}"), &r);
                        sent += 1;
                    }
                    continue;
                }
                let csrf = who.csrf().await;
                let bodies = if path.starts_with("/api/") {
                    json_bodies()
                } else {
                    form_bodies(&csrf)
                };
                for (content_type, body) in bodies {
                    let r = who
                        .request(
                            route.method.clone(),
                            path,
                            Some(content_type),
                            body.clone(),
                            &[("x-csrf-token", csrf.as_str())],
                        )
                        .await;
                    assert_handled(
                        &format!(
                            "{} {path} ({content_type}: {})",
                            route.method,
                            String::from_utf8_lossy(&body)
                                .chars()
                                .take(60)
                                .collect::<String>()
                        ),
                        &r,
                    );
                    sent += 1;
                }
                let r = who
                    .request(
                        route.method.clone(),
                        path,
                        Some("application/x-www-form-urlencoded"),
                        oversized.clone(),
                        &[("x-csrf-token", csrf.as_str())],
                    )
                    .await;
                // Refused as too large where the body is read; handlers that take no body
                // answer as they would without it.
                if r.status == StatusCode::PAYLOAD_TOO_LARGE {
                    too_large += 1;
                }
                assert_handled(&format!("{} {path} oversized", route.method), &r);
                sent += 1;
            }
        }
        // Some bad input may legitimately end the session (a wrong current password, say):
        // carry on as a signed-in admin either way.
        if admin.get("/api/v1/me").await.status != StatusCode::OK {
            admin = fresh_admin(&base).await;
        }
    }
    assert!(sent > 800, "only {sent} requests");
    assert!(
        too_large >= 10,
        "only {too_large} bodies refused as too large"
    );

    // Nothing saved before was lost: the earlier admin still works and sees every account.
    let r = keeper.get("/api/v1/users").await;
    assert_eq!(r.status, StatusCode::OK);
    let users_after = r.json()["total"].as_i64().expect("total");
    assert!(
        users_after >= users_before,
        "{users_before} → {users_after}"
    );
    let r = keeper.get("/uk/admin/audit").await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_in_the_visitors_language() {
    let mut app = TestApp::new().await;
    let r = app.get("/en/no-such-page").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("<html lang=\"en\""), "{}", r.body);
    let r = app.get("/uk/no-such-page").await;
    assert!(r.body.contains("<html lang=\"uk\""), "{}", r.body);
    let r = app
        .request(
            Method::GET,
            "/api/v1/nothing",
            None,
            Vec::new(),
            &[("accept-language", "en")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.json()["error"]["code"], "not_found");
    let r = app
        .send_json(Method::PATCH, "/api/v1/users", &serde_json::json!({}))
        .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(r.json()["error"]["code"].is_string());
}

#[tokio::test]
async fn control_characters_are_refused_with_a_message_and_nothing_saved() {
    let base = TestApp::new().await;
    let mut admin = fresh_admin(&base).await;
    let r = admin
        .post_form("/en/account/tokens", &[("name", "report\u{0}s")])
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("control characters"), "{}", r.body);
    let r = admin
        .send_json(
            Method::POST,
            "/api/v1/tokens",
            &serde_json::json!({"name": "звіти\u{1b}[31m"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["error"]["code"], "bad_request");
    let r = admin.get("/api/v1/tokens").await;
    assert_eq!(r.json()["total"], 0, "{}", r.body);
    // Tabs and line breaks are ordinary text.
    let r = admin
        .send_json(
            Method::POST,
            "/api/v1/tokens",
            &serde_json::json!({"name": "звіти\tза\nтиждень"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
}
