//! The API twin of the admins' sectors page: the public list in order, saving names and
//! order, adding a sector; editors may not.

use axum::http::{Method, StatusCode};
use hromada::identity::Role;
use serde_json::json;

use crate::harness::TestApp;

#[tokio::test]
async fn admins_order_and_add_sectors_through_the_api() {
    let app = TestApp::with_registry().await;
    let mut admin = app.other_browser();
    admin.login_as(Role::Admin).await;
    let list = app.other_browser().get("/api/v1/news-sectors").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let items = list.json()["items"].as_array().cloned().expect("items");
    assert_eq!(items.len(), 12);
    let culture = items
        .iter()
        .find(|s| s["slug"] == "culture")
        .and_then(|s| s["id"].as_i64())
        .expect("culture");

    // Culture first, with a new English name; a bad position and an unknown id are named.
    let r = admin
        .send_json(
            Method::PUT,
            "/api/v1/news-sectors",
            &json!({ "sectors": [{ "id": culture, "position": 5000 }, { "id": 999999 }] }),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let fields: Vec<String> = r.json()["error"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| f["field"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(
        fields.contains(&"position".into()) && fields.contains(&"id".into()),
        "{fields:?}"
    );
    let r = admin
        .send_json(
            Method::PUT,
            "/api/v1/news-sectors",
            &json!({ "sectors": [{ "id": culture, "position": 0, "name_en": "Arts" }] }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let first = &r.json()["items"][0];
    assert_eq!(first["slug"], "culture");
    assert_eq!(first["name_en"], "Arts");
    let options = app
        .other_browser()
        .get("/en/news")
        .await
        .text("#f-sector option");
    let at = |name: &str| {
        options
            .find(name)
            .unwrap_or_else(|| panic!("{name}: {options}"))
    };
    assert!(at("Arts") < at("Education"), "{options}");

    // A new sector at the end; a taken short name is 409, a bad one 422.
    let energy = json!({ "slug": "energy", "name_uk": "Енергетика", "name_en": "Energy" });
    let r = admin
        .send_json(Method::POST, "/api/v1/news-sectors", &energy)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["position"], 13);
    let r = admin
        .send_json(Method::POST, "/api/v1/news-sectors", &energy)
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = admin
        .send_json(
            Method::POST,
            "/api/v1/news-sectors",
            &json!({ "slug": "Top Stories", "name_uk": "x", "name_en": "x" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["fields"][0]["field"], "slug");

    // Editors write news but do not manage sectors.
    let mut editor = app.other_browser();
    editor.login_as(Role::Editor).await;
    let r = editor
        .send_json(
            Method::POST,
            "/api/v1/news-sectors",
            &json!({ "slug": "x1", "name_uk": "x", "name_en": "x" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let actions = app.audit_actions("news_sectors").await;
    assert!(actions.iter().any(|a| a == "update") && actions.iter().any(|a| a == "create"));
}
