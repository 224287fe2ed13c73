//! The registry's pages in both languages: browsing the hierarchy, one unit's page with its
//! facts, sources, map and status, downloads, errors for bad and unknown codes, and the
//! admin's status form.

use axum::http::StatusCode;
use hromada::identity::Role;

use crate::harness::{TestApp, multipart};

const VINNYTSIA_OBLAST: &str = "UA05000000000010236";
const VINNYTSKYI_RAION: &str = "UA05020000000026686";
const VINNYTSKA_HROMADA: &str = "UA05020030000031457";
const VINNYTSIA_CITY: &str = "UA05020030010063857";
const CRIMEA: &str = "UA01000000000013043";

#[tokio::test]
async fn browsing_from_the_country_to_a_settlement_in_both_languages() {
    let mut app = TestApp::with_registry().await;

    let page = app.get("/uk/units").await;
    assert_eq!(page.status, StatusCode::OK);
    // 24 oblasts, Crimea, Kyiv and Sevastopol, each a row and a link on the map.
    assert_eq!(page.count("table.units tbody tr"), 27);
    assert_eq!(page.count("figure.map svg a"), 27);
    let rows = page.text("table.units tbody tr");
    assert!(rows.contains("Вінницька область"), "{rows}");
    assert!(rows.contains("Автономна Республіка Крим"), "{rows}");
    // Vinnytsia oblast: 6 raions, 63 hromadas, 1,502 settlements, 1,509,515 people (2022).
    let vinnytsia = page.text(&format!("tr:has(a[href='/uk/units/{VINNYTSIA_OBLAST}'])"));
    assert!(vinnytsia.contains("63"), "{vinnytsia}");
    assert!(vinnytsia.contains("1\u{a0}509\u{a0}515"), "{vinnytsia}");
    assert!(page.body.len() < 100_000, "{} bytes", page.body.len());

    let page = app.get(&format!("/uk/units/{VINNYTSIA_OBLAST}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.text("h1"), "Вінницька область");
    assert_eq!(page.count("table.units tbody tr"), 6);
    // The oblast's map shows each of its 63 hromadas as a link.
    assert_eq!(page.count("figure.map svg a"), 63);
    assert!(page.body.len() < 100_000, "{} bytes", page.body.len());

    let page = app.get(&format!("/en/units/{VINNYTSKYI_RAION}")).await;
    assert_eq!(page.text("h1"), "Vinnytskyi raion");
    assert_eq!(page.count("table.units tbody tr"), 16);
    assert_eq!(page.count("svg .map-focus"), 1);
    assert_eq!(
        page.text("nav.crumbs li"),
        "Administrative-territorial units\nVinnytsia oblast\nVinnytskyi raion"
    );

    let page = app.get(&format!("/en/units/{VINNYTSKA_HROMADA}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.text("h1"), "Vinnytska urban hromada");
    let facts = page.text("table.facts-table tbody tr");
    for expected in [
        "Hromada type",
        "urban",
        "Vinnytsia city",
        "387,439",
        "371,004",
        "255.9",
        "2022-01-01",
        "State Statistics Service",
        "OCHA COD-AB",
    ] {
        assert!(facts.contains(expected), "{expected} not in {facts}");
    }
    // Every fact names its source, which the About page explains.
    assert_eq!(
        page.count("table.facts-table tbody tr"),
        page.count("table.facts-table tbody td a[href^='/en/about/data#source-']")
    );
    assert_eq!(
        page.count(&format!(
            "table.facts-table a[href='/en/units/{VINNYTSIA_CITY}']"
        )),
        1
    );
    assert_eq!(page.count("table.units tbody tr"), 9);
    assert_eq!(page.count("svg .map-focus"), 1);

    let page = app.get(&format!("/uk/units/{VINNYTSIA_CITY}")).await;
    assert_eq!(page.text("h1"), "місто Вінниця");
    assert_eq!(page.count("nav.crumbs li"), 5);
    // A settlement's map shows its hromada among its raion's hromadas.
    assert_eq!(page.count("svg .map-focus"), 1);
    assert_eq!(page.count("figure.map svg a"), 15);

    let about = app.get("/en/about/data").await;
    assert_eq!(about.status, StatusCode::OK);
    assert_eq!(about.count("section.source"), 5);
    assert!(about.text("main").contains("Edition of 2025-07-02"));
}

#[tokio::test]
async fn statuses_start_with_crimea_and_are_inherited() {
    let mut app = TestApp::with_registry().await;
    let page = app.get(&format!("/uk/units/{CRIMEA}")).await;
    let head = page.text("dl.facts");
    assert!(head.contains("тимчасово окупована"), "{head}");
    assert!(head.contains("з 2014-02-20"), "{head}");
    // Sevastopol too, and every unit inside Crimea inherits the status.
    let page = app.get("/en/units/UA85000000000065278").await;
    assert!(page.text("dl.facts").contains("temporarily occupied"));
    let page = app.get("/en/units/UA01020010000048857").await;
    let head = page.text("dl.facts");
    assert!(
        head.contains("temporarily occupied since 2014-02-20"),
        "{head}"
    );
    assert_eq!(
        page.count(&format!("dl.facts a[href='/en/units/{CRIMEA}']")),
        1
    );
    let page = app.get(&format!("/en/units/{VINNYTSKA_HROMADA}")).await;
    assert!(page.text("dl.facts").contains("not marked"));
    // The maps colour them: Crimea and Sevastopol on the country's map, and every hromada on
    // Crimea's own map.
    let country = app.get("/uk/units").await;
    assert_eq!(country.count("svg path.map-occupied"), 2);
    assert_eq!(country.count("svg path.map-frontline"), 0);
    let crimea = app.get(&format!("/uk/units/{CRIMEA}")).await;
    assert_eq!(
        crimea.count("svg path.map-occupied"),
        crimea.count("svg a path.map-unit")
    );
    assert!(crimea.count("svg path.map-occupied") > 290);
    assert_eq!(crimea.count("figcaption ul.legend li"), 3);
}

#[tokio::test]
async fn an_admin_marks_a_status_and_it_shows_everywhere_below() {
    let mut app = TestApp::with_registry().await;
    app.login_as(Role::Admin).await;
    let kharkiv_oblast = "UA63000000000041885";
    let page = app.get(&format!("/uk/units/{kharkiv_oblast}")).await;
    assert_eq!(page.count("form[action$='/statuses']"), 1);

    let bad = app
        .post_form(
            &format!("/uk/units/{kharkiv_oblast}/statuses"),
            &[("status", "calm"), ("since", "24.02.2022"), ("note", "")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = bad.text(".errors");
    assert!(errors.contains("Оберіть стан"), "{errors}");
    assert!(errors.contains("РРРР-ММ-ДД"), "{errors}");
    let future = app
        .post_form(
            &format!("/en/units/{kharkiv_oblast}/statuses"),
            &[("status", "frontline"), ("since", "2999-01-01")],
        )
        .await;
    assert_eq!(future.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(future.text(".errors").contains("no later than today"));

    let saved = app
        .post_form(
            &format!("/uk/units/{kharkiv_oblast}/statuses"),
            &[
                ("status", "frontline"),
                ("since", "2022-02-24"),
                ("note", "повномасштабне вторгнення"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let page = app.get(saved.location()).await;
    assert!(page.text(".notice").contains("Стан збережено"));
    assert!(
        page.text("ul.statuses")
            .contains("повномасштабне вторгнення")
    );
    // A hromada of the oblast inherits it, and lists show it.
    let page = app.get("/en/units/UA63120270000028556").await;
    assert!(
        page.text("dl.facts")
            .contains("active hostilities since 2022-02-24")
    );
    let country = app.get("/uk/units").await;
    assert_eq!(country.count("svg path.map-frontline"), 1);
    let list = app.get("/en/units?level=oblast").await;
    let row = list.text(&format!("tr:has(a[href='/en/units/{kharkiv_oblast}'])"));
    assert!(row.contains("active hostilities"), "{row}");
    let audit = app.get("/uk/admin/audit?action=set_status").await;
    assert!(audit.text("table").contains(kharkiv_oblast));

    // A mistaken entry can be deleted again.
    let page = app.get(&format!("/uk/units/{kharkiv_oblast}")).await;
    let sel = scraper::Selector::parse("ul.statuses form").expect("selector");
    let action = page
        .html()
        .select(&sel)
        .next()
        .and_then(|f| f.value().attr("action").map(str::to_string))
        .expect("delete form");
    let deleted = app.post_form(&action, &[]).await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    let page = app.get(&format!("/uk/units/{kharkiv_oblast}")).await;
    assert!(page.text("dl.facts").contains("не позначено"));
    assert_eq!(
        app.post_form(&action, &[]).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn lists_download_as_csv_and_xlsx() {
    let mut app = TestApp::with_registry().await;
    let csv = app.get("/uk/units?level=hromada&format=csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.headers["content-type"]
            .to_str()
            .expect("type")
            .starts_with("text/csv")
    );
    assert!(
        csv.headers["content-disposition"]
            .to_str()
            .expect("disposition")
            .contains("units-hromada.csv")
    );
    let lines: Vec<&str> = csv.body.trim_end().lines().collect();
    assert_eq!(lines.len(), 1 + 1772);
    assert!(lines[0].starts_with("\u{feff}code,level,category,name_uk,name_en"));
    let vinnytska = lines
        .iter()
        .find(|l| l.starts_with(VINNYTSKA_HROMADA))
        .expect("Vinnytska in the list");
    assert!(vinnytska.contains(",Вінницька,Vinnytska,"), "{vinnytska}");
    assert!(vinnytska.contains(",urban,387439,"), "{vinnytska}");

    let children = app
        .get(&format!("/en/units/{VINNYTSKA_HROMADA}?format=csv"))
        .await;
    assert_eq!(children.body.trim_end().lines().count(), 1 + 9);

    let xlsx = app
        .request(
            axum::http::Method::GET,
            &format!("/uk/units/{VINNYTSIA_OBLAST}?format=xlsx"),
            None,
            Vec::new(),
            &[],
        )
        .await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(
        xlsx.headers["content-type"]
            .to_str()
            .expect("type")
            .contains("spreadsheetml")
    );
    let json = app.get("/en/units?format=json").await;
    assert_eq!(json.status, StatusCode::OK);
    let listed: serde_json::Value = serde_json::from_str(&json.body).expect("json");
    assert_eq!(
        listed["items"].as_array().map(Vec::len),
        listed["total"].as_u64().map(|n| n as usize)
    );
    assert!(listed["total"].as_u64().is_some_and(|n| n > 20), "{listed}");
    let bad = app.get("/uk/units?format=pdf").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.text(".errors").contains("csv, xlsx або json"));
}

#[tokio::test]
async fn bad_and_unknown_codes_get_clear_answers() {
    let mut app = TestApp::with_registry().await;
    let bad = app.get("/uk/units/UA0502").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.text(".errors").contains("«UA» і 17 цифр"));
    let bad = app.get("/en/units/ua05020030000031457").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.text(".errors").contains("“UA” followed by 17 digits"));

    let unknown = app.get("/en/units/UA99999999999999999").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.text(".errors").contains("UA99999999999999999"));
    assert_eq!(unknown.count("main form[role='search'] input[name='q']"), 1);

    let past = app.get("/en/units?level=raion&page=99").await;
    assert_eq!(past.status, StatusCode::SEE_OTHER);
    assert_eq!(past.location(), "/en/units?q=&level=raion&page=3");
    let level = app.get("/en/units?level=county").await;
    assert_eq!(level.status, StatusCode::BAD_REQUEST);
    let api_like = app.get("/uk/units?page=abc").await;
    assert_eq!(api_like.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn an_admin_imports_statuses_from_csv_all_or_nothing() {
    let mut app = TestApp::with_registry().await;
    app.login_as(Role::Admin).await;
    let form = app.get("/uk/admin/statuses").await;
    assert_eq!(form.status, StatusCode::OK);
    let sel = scraper::Selector::parse("form[enctype='multipart/form-data']").expect("sel");
    let action = form
        .html()
        .select(&sel)
        .next()
        .and_then(|f| f.value().attr("action").map(str::to_string))
        .expect("upload form");
    assert!(action.contains("?csrf="), "{action}");

    // Two good rows and three bad ones: nothing is applied, every bad row is named.
    let (ct, body) = multipart(
        "code,status,since,note\n\
         UA14000000000091971,frontline,2022-02-24,\n\
         UA65000000000030969,deoccupied,2022-11-11,Херсон\n\
         UA99999999999999999,rear,2022-03-01,\n\
         UA14000000000091971,frontline,2013-05-01,\n\
         UA1400,calm,yesterday,\n",
    );
    let refused = app
        .request(axum::http::Method::POST, &action, Some(&ct), body, &[])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let problems = refused.text(".errors li");
    assert!(problems.contains("Рядок 6"), "{problems}");
    let (ct, body) = multipart(
        "code,status,since,note\n\
         UA14000000000091971,frontline,2022-02-24,\n\
         UA99999999999999999,rear,2022-03-01,\n\
         UA14000000000091971,frontline,2013-05-01,\n",
    );
    let refused = app
        .request(axum::http::Method::POST, &action, Some(&ct), body, &[])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let problems = refused.text(".errors li");
    assert!(
        problems.contains("Рядок 3: у реєстрі немає одиниці з кодом UA99999999999999999"),
        "{problems}"
    );
    assert!(
        problems.contains("Рядок 4 (UA14000000000091971)"),
        "{problems}"
    );
    let donetsk = app.get("/uk/units/UA14000000000091971").await;
    assert!(donetsk.text("dl.facts").contains("не позначено"));

    // Without the token in the action, the upload is refused as a forged request.
    let (ct, body) = multipart("code,status,since\nUA14000000000091971,frontline,2022-02-24\n");
    let forged = app
        .request(
            axum::http::Method::POST,
            "/uk/admin/statuses",
            Some(&ct),
            body,
            &[],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    let (ct, body) = multipart(
        "code;status;since;note\n\
         UA14000000000091971;frontline;2022-02-24;\n\
         \n\
         UA65000000000030969;deoccupied;2022-11-11;Херсон\n",
    );
    let done = app
        .request(axum::http::Method::POST, &action, Some(&ct), body, &[])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let page = app.get(done.location()).await;
    assert!(page.text(".notice").contains("Імпортовано 2 записи"));
    let donetsk = app.get("/en/units/UA14000000000091971").await;
    assert!(
        donetsk
            .text("dl.facts")
            .contains("active hostilities since 2022-02-24")
    );
    let kherson = app.get("/en/units/UA65000000000030969").await;
    assert!(kherson.text("ul.statuses").contains("Херсон"));
    let audit = app.get("/en/admin/audit?action=set_status").await;
    assert!(audit.text("table").contains("import"));
}

/// Posts a status file to the API as `client`.
async fn upload_statuses(client: &mut TestApp, text: &str) -> crate::harness::Response {
    let (ct, body) = multipart(text);
    client
        .request(
            axum::http::Method::POST,
            "/api/v1/unit-statuses",
            Some(&ct),
            body,
            &[],
        )
        .await
}

/// The status forms' API twins, used by a program with a token: a file of statuses, all or
/// nothing (each bad row under `file` with its line), and deleting a mistaken entry; editors
/// may do neither.
#[tokio::test]
async fn a_program_imports_and_deletes_statuses_through_the_api() {
    use axum::http::Method;
    let app = TestApp::with_registry().await;
    let (mut admin, _) = app.token_client_as(Role::Admin, "").await;
    let (mut editor, _) = app.token_client_as(Role::Editor, "").await;
    let kherson = "UA65000000000030969";
    let bad = upload_statuses(
        &mut admin,
        "code,status,since,note\n\
         UA14000000000091971,frontline,2022-02-24,\n\
         UA99999999999999999,rear,2022-03-01,\n",
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    let fields = bad.json()["error"]["fields"].clone();
    assert_eq!(fields[0]["field"], "file");
    let message = fields[0]["message"].as_str().unwrap_or_default();
    assert!(message.starts_with("Рядок 3:"), "{message}");
    // A form without the file: 422 naming it.
    let boundary = "b";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nx\r\n--{boundary}--\r\n"
    );
    let no_file = admin
        .request(
            Method::POST,
            "/api/v1/unit-statuses",
            Some(&format!("multipart/form-data; boundary={boundary}")),
            body.into_bytes(),
            &[],
        )
        .await;
    assert_eq!(
        no_file.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        no_file.body
    );
    assert_eq!(no_file.json()["error"]["fields"][0]["field"], "file");
    let refused = upload_statuses(&mut editor, "code,status,since\n").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // Read before the change: the unit's facts are then held in memory for this revision, and
    // the change must still show.
    let before = admin.get(&format!("/api/v1/units/{kherson}")).await.json();
    let entries_before = before["status_history"].as_array().map_or(0, Vec::len);
    let done = upload_statuses(
        &mut admin,
        &format!("code;status;since;note\n{kherson};deoccupied;2022-11-11;Херсон\n"),
    )
    .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.json()["imported"], 1);
    let unit = admin.get(&format!("/api/v1/units/{kherson}")).await.json();
    assert_eq!(unit["status"], "deoccupied");
    let id = unit["status_history"][0]["id"].as_i64().expect("entry id");
    assert_eq!(
        unit["status_history"].as_array().map_or(0, Vec::len),
        entries_before + 1
    );

    let entry = format!("/api/v1/units/{kherson}/statuses/{id}");
    let r = editor
        .send_json(Method::DELETE, &entry, &serde_json::json!({}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = admin
        .send_json(Method::DELETE, &entry, &serde_json::json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.json()["status"].is_null(), "{}", r.body);
    let after = admin.get(&format!("/api/v1/units/{kherson}")).await.json();
    assert_eq!(
        after["status_history"].as_array().map_or(0, Vec::len),
        entries_before
    );
    let r = admin
        .send_json(Method::DELETE, &entry, &serde_json::json!({}))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = admin
        .send_json(
            Method::DELETE,
            &format!("/api/v1/units/UA65/statuses/{id}"),
            &serde_json::json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["error"]["fields"][0]["field"], "code");
    let actions = app.audit_actions("unit").await;
    assert!(actions.iter().any(|a| a == "delete_status"), "{actions:?}");
}

#[tokio::test]
async fn every_registry_page_answers_in_both_languages() {
    let mut app = TestApp::with_registry().await;
    let public = [
        "/units".to_string(),
        "/units?level=raion".into(),
        "/units?level=settlement&page=594".into(),
        "/units?q=%D0%BB%D1%8C%D0%B2%D1%96%D0%B2".into(),
        format!("/units/{VINNYTSIA_OBLAST}"),
        format!("/units/{VINNYTSKYI_RAION}"),
        format!("/units/{VINNYTSKA_HROMADA}"),
        format!("/units/{VINNYTSIA_CITY}"),
        "/units/UA80000000000093317".into(),
        "/units/UA80000000000126643".into(),
        "/units/UA32000000010085013".into(),
        format!("/units/{CRIMEA}"),
        "/about/data".into(),
    ];
    for path in &public {
        let uk = app.get(&format!("/uk{path}")).await;
        let en = app.get(&format!("/en{path}")).await;
        for (lang, page) in [("uk", &uk), ("en", &en)] {
            assert_eq!(page.status, StatusCode::OK, "/{lang}{path}");
            assert!(
                page.body.contains(&format!("<html lang=\"{lang}\">")),
                "/{lang}{path}"
            );
            assert!(
                page.body.len() < 100_000,
                "/{lang}{path}: {} bytes",
                page.body.len()
            );
            assert_eq!(page.count("header form[role='search'] input[name='q']"), 1);
        }
        assert_ne!(
            uk.text("h1"),
            en.text("h1"),
            "{path} has one heading in both languages"
        );
    }
    app.login_as(Role::Admin).await;
    for lang in ["uk", "en"] {
        let page = app.get(&format!("/{lang}/admin/statuses")).await;
        assert_eq!(page.status, StatusCode::OK);
    }
}
