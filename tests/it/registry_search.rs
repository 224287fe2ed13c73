//! Search and the registry's JSON API on the full registry, on either database: prefixes,
//! inflected forms, English names, one typo, ranking by level, and the API's lists, unit
//! detail and children.

use axum::http::StatusCode;
use hromada::identity::Role;

use crate::harness::TestApp;

/// The codes of a search results page, in order.
fn codes(page: &crate::harness::Response) -> Vec<String> {
    let sel = scraper::Selector::parse("table.units tbody tr td:first-child a").expect("sel");
    page.html()
        .select(&sel)
        .filter_map(|a| a.value().attr("href"))
        .map(|h| h.rsplit('/').next().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test]
async fn the_search_box_finds_units_by_prefix_form_english_and_typo() {
    let mut app = TestApp::with_registry().await;
    // The oblast, then its raion, the hromada and the city, by level.
    let page = app
        .get("/uk/units?q=%D0%92%D1%96%D0%BD%D0%BD%D0%B8%D1%86")
        .await; // Вінниц
    assert_eq!(page.status, StatusCode::OK);
    let found = codes(&page);
    assert_eq!(
        found[..4],
        [
            "UA05000000000010236",
            "UA05020000000026686",
            "UA05020030000031457",
            "UA05020030010063857"
        ]
    );
    assert!(page.text("main").contains("Вінницька область"));
    // An inflected form, English, and a typo find the same units.
    for q in ["вінницькій", "vinnyts", "Vinnytsia oblast"] {
        let page = app.get(&format!("/en/units?q={}", urlencode(q))).await;
        assert_eq!(
            codes(&page).first().map(String::as_str),
            Some("UA05000000000010236"),
            "{q}"
        );
    }
    let page = app
        .get(&format!("/uk/units?q={}", urlencode("Житомр")))
        .await;
    let top = page.text("table.units tbody tr:first-child");
    assert!(top.contains("Житомир"), "{top}");
    // Four letters get no typo tolerance.
    let page = app.get(&format!("/uk/units?q={}", urlencode("Кива"))).await;
    assert!(!page.text("table.units").contains("місто Київ"));
    // The level narrows, the page counts, and the results download.
    let page = app
        .get(&format!(
            "/en/units?q={}&level=settlement",
            urlencode("Вінниц")
        ))
        .await;
    assert_eq!(
        codes(&page).first().map(String::as_str),
        Some("UA05020030010063857")
    );
    let csv = app
        .get(&format!("/en/units?q={}&format=csv", urlencode("Вінниц")))
        .await;
    assert!(
        csv.body
            .lines()
            .nth(1)
            .unwrap_or_default()
            .starts_with("UA05000000000010236")
    );
    // Nothing found is a page that says so, not an error.
    let none = app.get("/uk/units?q=qqqqqqqqqq").await;
    assert_eq!(none.status, StatusCode::OK);
    assert!(none.text("main").contains("Знайдено 0"));
    // A very long query is cut short, not slow or refused.
    let long = "вінниця ".repeat(120);
    let page = app.get(&format!("/uk/units?q={}", urlencode(&long))).await;
    assert_eq!(page.status, StatusCode::OK);
}

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("x", s)]).expect("encode")[2..].to_string()
}

#[tokio::test]
async fn the_api_lists_searches_and_describes_units() {
    let mut app = TestApp::with_registry().await;
    let oblasts = app.get("/api/v1/units?level=oblast&limit=500").await.json();
    assert_eq!(oblasts["total"], 27);
    let hromadas = app.get("/api/v1/units?level=hromada&limit=10").await.json();
    assert_eq!(hromadas["total"], 1772);
    assert_eq!(hromadas["items"].as_array().map(Vec::len), Some(10));
    let first = &hromadas["items"][0];
    for key in [
        "code",
        "level",
        "category",
        "name_uk",
        "name_en",
        "parent",
        "type",
        "population",
    ] {
        assert!(first.get(key).is_some(), "{key} missing in {first}");
    }

    let children = app
        .get("/api/v1/units?parent=UA05020000000026686&level=hromada")
        .await
        .json();
    assert_eq!(children["total"], 16);
    let search = app
        .get("/api/v1/units?q=vinnyts&level=hromada")
        .await
        .json();
    assert_eq!(search["items"][0]["code"], "UA05020030000031457");
    assert_eq!(search["items"][0]["type"], "urban");
    assert_eq!(search["items"][0]["population"], 387_439);

    let unit = app.get("/api/v1/units/UA05020030000031457").await.json();
    assert_eq!(unit["title_en"], "Vinnytska urban hromada");
    assert_eq!(unit["parents"][0]["code"], "UA05000000000010236");
    assert_eq!(unit["parents"][1]["code"], "UA05020000000026686");
    let population = unit["attributes"]
        .as_array()
        .and_then(|a| a.iter().find(|x| x["key"] == "population_total"))
        .cloned()
        .expect("population attribute");
    assert_eq!(population["value_number"], 387_439.0);
    assert_eq!(population["as_of"], "2022-01-01");
    assert_eq!(population["source"]["id"], "ukrstat-population-2022");
    // The same order on both databases: by key.
    let keys: Vec<&str> = unit["attributes"]
        .as_array()
        .map(|a| a.iter().filter_map(|x| x["key"].as_str()).collect())
        .unwrap_or_default();
    assert!(keys.len() > 3, "{keys:?}");
    assert!(keys.windows(2).all(|w| w[0] < w[1]), "{keys:?}");

    let crimea_hromada = app.get("/api/v1/units/UA01020010000048857").await.json();
    assert_eq!(crimea_hromada["status"], "occupied");
    assert_eq!(crimea_hromada["status_since"], "2014-02-20");

    let kids = app
        .get("/api/v1/units/UA05020030000031457/children?limit=5")
        .await
        .json();
    assert_eq!(kids["total"], 9);
    assert_eq!(kids["items"].as_array().map(Vec::len), Some(5));

    let bad = app.get("/api/v1/units/UA0502").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["error"]["fields"][0]["field"], "code");
    assert_eq!(
        app.get("/api/v1/units/UA99999999999999999").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/api/v1/units?level=county").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        app.get("/api/v1/units?parent=UA99999999999999999")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn an_admin_records_a_status_through_the_api() {
    let app = TestApp::with_registry().await;
    let user = app
        .create_user("statuses@example.ua", Role::Admin, "")
        .await;
    let (_, token) = hromada::auth::actions::create_token(
        &app.state.db,
        &hromada::work::Actor::system("test"),
        user,
        "statuses",
    )
    .await
    .expect("token");
    let mut api = app.other_browser();
    api.bearer = Some(token);
    let created = api
        .send_json(
            axum::http::Method::POST,
            "/api/v1/units/UA65000000000030969/statuses",
            &serde_json::json!({"status": "deoccupied", "since": "2022-11-11", "note": "Херсон"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.json()["status"], "deoccupied");
    let bad = api
        .send_json(
            axum::http::Method::POST,
            "/api/v1/units/UA65000000000030969/statuses",
            &serde_json::json!({"status": "peace", "since": "2022-11-11"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Anyone else is refused.
    let mut anonymous = app.other_browser();
    let refused = anonymous
        .send_json(
            axum::http::Method::POST,
            "/api/v1/units/UA65000000000030969/statuses",
            &serde_json::json!({"status": "rear", "since": "2022-11-11"}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
}
