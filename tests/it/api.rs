//! The JSON API: tokens, me, lists, errors.

use axum::http::{Method, StatusCode};
use hromada::auth::actions;
use hromada::identity::Role;
use hromada::work::Actor;

use crate::harness::TestApp;

async fn token_for(app: &TestApp, user_id: i64) -> String {
    actions::create_token(&app.state.db, &Actor::system("test"), user_id, "test")
        .await
        .expect("token")
        .1
}

#[tokio::test]
async fn bearer_token_identifies_and_can_be_revoked() {
    let mut app = TestApp::new().await;
    let id = app.create_user("api@example.ua", Role::Admin, "").await;
    let token = token_for(&app, id).await;
    app.bearer = Some(token.clone());
    let r = app.get("/api/v1/me").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let me = r.json();
    assert_eq!(me["email"], "api@example.ua");
    assert_eq!(me["via"], "token");
    assert_eq!(me["roles"][0]["role"], "admin");

    let r = app.get("/api/v1/audit?limit=2").await;
    assert_eq!(r.status, StatusCode::OK);
    let list = r.json();
    assert_eq!(list["items"].as_array().map(Vec::len), Some(2));
    assert!(list["total"].as_i64().unwrap_or(0) >= 2);

    let token_id = me["token_id"].as_i64().expect("token id");
    let r = app
        .request(
            Method::DELETE,
            &format!("/api/v1/tokens/{token_id}"),
            None,
            Vec::new(),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = app.get("/api/v1/me").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.json()["error"]["code"], "invalid_token");
}

#[tokio::test]
async fn errors_have_one_shape_in_the_callers_language() {
    let mut app = TestApp::new().await;
    let r = app.get("/api/v1/me").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.json()["error"]["code"], "unauthorized");
    assert_eq!(r.json()["error"]["message"], "Потрібно увійти.");
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
    assert!(
        r.json()["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("no such page")
    );
    app.bearer = Some("hro_not_a_real_token".into());
    let r = app.get("/api/v1/openapi.json").await;
    assert_eq!(r.json()["error"]["code"], "invalid_token");
}

#[tokio::test]
async fn bad_bodies_and_paging_are_refused_clearly() {
    let mut app = TestApp::new().await;
    let id = app.create_user("api2@example.ua", Role::Admin, "").await;
    app.bearer = Some(token_for(&app, id).await);
    let r = app
        .request(
            Method::POST,
            "/api/v1/tokens",
            Some("application/json"),
            b"{not json".to_vec(),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["error"]["code"], "bad_request");
    let r = app
        .request(
            Method::POST,
            "/api/v1/tokens",
            Some("text/plain"),
            b"x".to_vec(),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(r.json()["error"]["code"], "unsupported_media_type");
    // A staff token makes no tokens (issue 16, item 4): a partner's token shows the name check.
    let partner = app
        .create_user("partner2@example.ua", Role::Partner, "")
        .await;
    let mut partner_api = app.other_browser();
    partner_api.bearer = Some(token_for(&app, partner).await);
    let r = partner_api
        .send_json(
            Method::POST,
            "/api/v1/tokens",
            &serde_json::json!({"name": "  "}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["fields"][0]["field"], "name");
    let r = app.get("/api/v1/users?limit=0").await;
    assert_eq!(r.json()["error"]["fields"][0]["field"], "limit");
    let r = app.get("/api/v1/users?limit=abc").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["fields"][0]["field"], "limit");
    let big = vec![b'a'; 2 * 1024 * 1024];
    let r = app
        .request(
            Method::POST,
            "/api/v1/tokens",
            Some("application/json"),
            big,
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.json()["error"]["code"], "payload_too_large");
}

#[tokio::test]
async fn admin_creates_users_through_the_api() {
    let mut app = TestApp::new().await;
    let id = app.create_user("api3@example.ua", Role::Admin, "").await;
    app.bearer = Some(token_for(&app, id).await);
    let body = serde_json::json!({"email": "coord@example.ua", "display_name": "Координаторка", "role": "coordinator", "scope": "kyiv-office", "lang": "en"});
    let r = app.send_json(Method::POST, "/api/v1/users", &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = app.get("/api/v1/users?limit=10").await;
    let users = r.json();
    assert_eq!(users["total"], 2);
    let coord = users["items"]
        .as_array()
        .and_then(|a| a.iter().find(|u| u["email"] == "coord@example.ua").cloned())
        .expect("listed");
    assert_eq!(coord["roles"][0]["scope"], "kyiv-office");
    assert_eq!(
        app.mail_to("coord@example.ua").await[0].subject,
        "Invitation to hromada"
    );
    let r = app.get("/api/v1/outbox?status=queued").await;
    assert_eq!(r.json()["total"], 1);
    // A status the outbox does not have is refused at the query, naming it; empty means all.
    let r = app.get("/api/v1/outbox?status=lost").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["error"]["fields"][0]["field"], "status");
    let all = app.get("/api/v1/outbox").await.json()["total"].clone();
    assert_eq!(app.get("/api/v1/outbox?status=").await.json()["total"], all);
}

#[tokio::test]
async fn openapi_document_lists_the_api() {
    let mut app = TestApp::new().await;
    let r = app.get("/api/v1/openapi.json").await;
    assert_eq!(r.status, StatusCode::OK);
    let doc = r.json();
    assert!(
        doc["openapi"].as_str().unwrap_or("").starts_with("3.1"),
        "{}",
        doc["openapi"]
    );
    for route in hromada::app::routes() {
        if route.path.starts_with("/api/v1/") && route.path != "/api/v1/openapi.json" {
            let method = route.method.as_str().to_lowercase();
            assert!(
                doc["paths"][route.path][&method].is_object(),
                "{} {} missing from OpenAPI",
                route.method,
                route.path
            );
        }
    }
}
