//! Municipal statistics: the shipped real data (population, area, settlements, budget revenues
//! 2021–2023) load once as approved values with their sources and history, and show on the
//! registry's unit pages in both languages.

use axum::http::{Method, StatusCode};
use hromada::identity::Role;

use crate::harness::TestApp;

async fn count(app: &TestApp, sql: &'static str) -> i64 {
    hromada::on_db!(&app.state.db, c => sqlx::query_scalar(sql).fetch_one(c).await).expect("count")
}

#[tokio::test]
async fn the_real_data_load_once_and_show_for_vinnytsia_with_sources() {
    let mut app = TestApp::with_registry().await;
    let actor = hromada::work::Actor::system("test");
    let started = std::time::Instant::now();
    assert!(
        hromada::statistics::actions::ensure_loaded(&app.state.db, &actor)
            .await
            .expect("load")
    );
    eprintln!("statistics loaded in {:?}", started.elapsed());
    assert!(
        !hromada::statistics::actions::ensure_loaded(&app.state.db, &actor)
            .await
            .expect("second load"),
        "loading twice changes nothing"
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM stat_indicators").await,
        22
    );
    let values = count(&app, "SELECT COUNT(*) FROM stat_values").await;
    assert!(values > 4407 * 17, "{values}");
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM stat_value_changes").await,
        values,
        "every value has its first change on record"
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM stat_values WHERE state <> 'approved'"
        )
        .await,
        0
    );

    let uk = app.get("/uk/units/UA05020030000031457").await;
    assert_eq!(uk.status, StatusCode::OK);
    let table = uk.text("table.stats-table");
    for expected in [
        "Наявне населення",
        "387\u{a0}439",
        "Кількість населених пунктів",
        "Доходи бюджету, усього",
        "5\u{a0}735\u{a0}142\u{a0}140,24",
        "2023*",
        "ПДФО з грошового забезпечення військовослужбовців",
        "Держстат",
        "OpenBudget",
    ] {
        assert!(table.contains(expected), "{expected:?} in {table}");
    }
    assert!(uk.text("main").contains("Лише частина року"));
    let en = app.get("/en/units/UA05020030000031457").await;
    let table = en.text("table.stats-table");
    for expected in [
        "Present population",
        "387,439",
        "Budget revenue, total",
        "5,735,142,140.24",
        "State Statistics Service of Ukraine",
    ] {
        assert!(table.contains(expected), "{expected:?} in {table}");
    }
    // The API: indicators, and values by indicator, unit, parent unit and period.
    let list = app.get("/api/v1/indicators").await;
    assert_eq!(list.json()["total"], 22);
    let one = app.get("/api/v1/indicators/budget_pit_military").await;
    assert_eq!(one.json()["name_en"], "Personal income tax on military pay");
    assert_eq!(one.json()["aggregation"], "sum");
    assert_eq!(
        app.get("/api/v1/indicators/nothing").await.status,
        StatusCode::NOT_FOUND
    );
    let own = app
        .get("/api/v1/values?unit=UA05020030000031457&indicator=budget_revenue_total")
        .await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.body);
    assert_eq!(own.json()["total"], 3);
    let items = own.json()["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items[1]["period"], "2022");
    assert_eq!(items[1]["value"], 5_735_142_140.24);
    assert_eq!(items[2]["is_partial"], true);
    assert_eq!(items[0]["unit_name_en"], "Vinnytska");
    assert!(
        items[0]["source"]
            .as_str()
            .unwrap_or("")
            .contains("OpenBudget")
    );
    // Every hromada of Vinnytsia oblast, for one indicator and year.
    let oblast = app
        .get("/api/v1/values?parent=UA05000000000010236&indicator=population_total&period=2022&limit=500")
        .await;
    assert_eq!(oblast.status, StatusCode::OK, "{}", oblast.body);
    let total = oblast.json()["total"].as_i64().unwrap_or(0);
    assert!((60..=63).contains(&total), "{total}");
    assert!(oblast.json()["items"].as_array().is_some_and(|a| {
        a.iter()
            .all(|v| v["unit"].as_str().is_some_and(|c| c.starts_with("UA05")))
    }));
    // Bad filters: said per field, in the reader's language.
    for (query, field) in [
        ("indicator=nothing", "indicator"),
        ("unit=UA99999999999999999", "unit"),
        ("period=2022-13", "period"),
        ("indicator=population_total&period=2022-Q1", "period"),
        ("limit=0", "limit"),
    ] {
        let r = app.get(&format!("/api/v1/values?{query}")).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{query}: {}",
            r.body
        );
        assert_eq!(r.json()["error"]["fields"][0]["field"], field, "{query}");
    }

    let mut admin = app.other_browser();
    admin.login_as(hromada::identity::Role::Admin).await;
    let log = admin.get("/uk/admin/audit?entity=statistics").await;
    assert!(log.body.contains("shipped"), "{}", log.body);
}

#[tokio::test]
async fn a_csv_imports_all_or_nothing_or_its_good_rows_and_twice_changes_nothing() {
    let (db, url, dir) = crate::harness::fresh_db_with_url().await;
    let files = tempfile::tempdir().expect("tempdir");
    let file = files.path().join("values.csv");
    std::fs::write(
        &file,
        "unit;indicator;period;value;comment\n\
         UA05020030000031457;population_total;2023;\"380 000\";оцінка громади\n\
         UA05020010000053508;population_urban;2023;0;\n\
         UA99999999999999999;population_total;2023;5;\n\
         UA05020030000031457;budget_revenue_total;2024;\"6 100 000 000,50\";\n\
         UA05020030000031457;population_total;2023-Q1;5;\n",
    )
    .expect("write");
    let path = file.to_string_lossy().into_owned();
    let count = async |sql: &'static str| -> i64 {
        hromada::on_db!(&db, c => sqlx::query_scalar(sql).fetch_one(c).await).expect("count")
    };

    // All or nothing: the bad rows are reported with their lines, nothing is kept.
    let out = crate::harness::hromada(&url, &["statistics", "import", &path]);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(!out.status.success(), "{stdout}");
    assert!(
        stdout.contains("line 4: There is no unit with this code"),
        "{stdout}"
    );
    assert!(
        stdout.contains("line 6: This period does not fit"),
        "{stdout}"
    );
    let shipped = count("SELECT COUNT(*) FROM stat_values").await;
    assert_eq!(
        count(
            "SELECT COUNT(*) FROM stat_values WHERE period IN ('2023', '2024') AND indicator_id IN \
               (SELECT id FROM stat_indicators WHERE code LIKE 'population%')"
        )
        .await,
        0
    );

    // The good rows.
    let out = crate::harness::hromada(
        &url,
        &[
            "statistics",
            "import",
            "--good-rows",
            "--source",
            "громада",
            &path,
        ],
    );
    let stdout = crate::harness::ok(out);
    assert!(
        stdout.contains("5 rows, 3 good, 2 bad; 3 values written"),
        "{stdout}"
    );
    assert_eq!(count("SELECT COUNT(*) FROM stat_values").await, shipped + 3);
    // Again: nothing changes.
    let stdout = crate::harness::ok(crate::harness::hromada(
        &url,
        &[
            "statistics",
            "import",
            "--good-rows",
            "--source",
            "громада",
            &path,
        ],
    ));
    assert!(
        stdout.contains("0 values written, 3 already so"),
        "{stdout}"
    );
    assert_eq!(count("SELECT COUNT(*) FROM stat_values").await, shipped + 3);
    // A changed value is written, and its history has both.
    std::fs::write(
        &file,
        "unit,indicator,period,value\nUA05020030000031457,population_total,2023,381000\n",
    )
    .expect("write");
    let stdout = crate::harness::ok(crate::harness::hromada(
        &url,
        &["statistics", "import", "--source", "громада", &path],
    ));
    assert!(stdout.contains("1 values written"), "{stdout}");
    let history: i64 = hromada::on_db!(&db, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM stat_value_changes h JOIN stat_values v ON v.id = h.value_id \
         JOIN stat_indicators i ON i.id = v.indicator_id \
         WHERE v.unit_code = 'UA05020030000031457' AND v.period = '2023' AND i.code = 'population_total'")
        .fetch_one(c).await)
    .expect("history");
    assert_eq!(history, 2);

    // A workbook, told apart by its content whatever its name.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["unit", "indicator", "period", "value"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).expect("header");
    }
    sheet
        .write_string(1, 0, "UA05020030000031457")
        .expect("cell");
    sheet.write_string(1, 1, "area_km2").expect("cell");
    sheet.write_number(1, 2, 2025.0).expect("cell");
    sheet.write_number(1, 3, 246.4).expect("cell");
    let xlsx = files.path().join("area.data");
    std::fs::write(&xlsx, book.save_to_buffer().expect("xlsx")).expect("write");
    let stdout = crate::harness::ok(crate::harness::hromada(
        &url,
        &["statistics", "import", &xlsx.to_string_lossy()],
    ));
    assert!(
        stdout.contains("1 rows, 1 good, 0 bad; 1 values written"),
        "{stdout}"
    );
    drop(dir);
}

/// A server on the shipped registry with the shipped statistics loaded.
async fn app_with_statistics() -> TestApp {
    let app = TestApp::with_registry().await;
    hromada::statistics::actions::ensure_loaded(
        &app.state.db,
        &hromada::work::Actor::system("test"),
    )
    .await
    .expect("load");
    app
}

/// A multipart body with a `file` field and text fields.
fn upload_body(file: &[u8], fields: &[(&str, &str)]) -> (String, Vec<u8>) {
    let boundary = "hromada-import-boundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"values.csv\"\r\n\
             Content-Type: text/csv\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Posts an upload to `/api/v1/imports` with the browser's CSRF token.
async fn api_upload(
    app: &mut TestApp,
    csrf: &str,
    file: &[u8],
    fields: &[(&str, &str)],
) -> crate::harness::Response {
    let (ct, body) = upload_body(file, fields);
    app.request(
        Method::POST,
        "/api/v1/imports",
        Some(&ct),
        body,
        &[("x-csrf-token", csrf)],
    )
    .await
}

#[tokio::test]
async fn uploads_import_in_the_background_with_rules_locks_and_a_report() {
    let mut app = app_with_statistics().await;
    app.login_as(Role::Admin).await;
    let locked = app
        .post_form(
            "/uk/statistics/locks",
            &[("period", "2020"), ("action", "lock")],
        )
        .await;
    assert_eq!(locked.status, StatusCode::SEE_OTHER, "{}", locked.body);
    let csv = "unit,indicator,period,value\n\
               UA05020030000031457,population_total,2024,100\n\
               UA05020030000031457,population_urban,2024,200\n\
               UA05020030000031457,area_km2,2020,5\n\
               UA05020010000053508,settlements,2024,12\n\
               UA0502,settlements,2024,12\n";

    // From the page, all or nothing: the job runs it; nothing is kept; every bad row is named.
    let csrf = app.csrf().await;
    let (ct, body) = upload_body(csv.as_bytes(), &[("mode", "all"), ("source", "Демо: звіт")]);
    let r = app
        .request(
            Method::POST,
            &format!("/uk/statistics/import?csrf={csrf}"),
            Some(&ct),
            body,
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page_path = r.location().to_string();
    let waiting = app.get(&page_path).await;
    assert!(waiting.text("#import-status").contains("у черзі"));
    assert_eq!(waiting.count("meta[http-equiv=refresh]"), 1);
    assert_eq!(app.run_jobs().await, 1);
    let done = app.get(&page_path).await;
    assert_eq!(done.count("meta[http-equiv=refresh]"), 0);
    assert!(done.text("#import-summary").contains("Файл не імпортовано"));
    let table = done.text("table.import-errors");
    for expected in [
        "правило",
        "urban_within_total",
        "Період закрито",
        "2020",
        "UA0502",
    ] {
        assert!(table.contains(expected), "{expected:?} in {table}");
    }
    let report = app.get(&format!("{page_path}/errors.csv")).await;
    assert_eq!(report.status, StatusCode::OK);
    let lines: Vec<&str> = report.body.lines().collect();
    assert_eq!(lines[0], "Рядок,Причина,Знайдено");
    let numbers: Vec<&str> = lines[1..]
        .iter()
        .map(|l| l.split(',').next().unwrap_or(""))
        .collect();
    assert_eq!(numbers, ["2", "3", "4", "6"]);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM stat_values WHERE period = '2024' AND source = 'Демо: звіт'"
        )
        .await,
        0
    );

    // Through the API, the good rows: the one good row is written.
    let r = api_upload(
        &mut app,
        &csrf,
        csv.as_bytes(),
        &[("mode", "good"), ("source", "Демо: звіт")],
    )
    .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let id = r.json()["id"].as_i64().expect("id");
    assert_eq!(r.json()["status"], "queued");
    app.run_jobs().await;
    let status = app.get(&format!("/api/v1/imports/{id}")).await.json();
    assert_eq!(status["status"], "done");
    assert_eq!(status["written"], 1);
    assert_eq!(status["bad"], 4);
    assert_eq!(status["errors"][0]["key"], "import-error-rule");
    assert_eq!(status["errors"][2]["key"], "import-error-locked");
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM stat_values WHERE period = '2024' AND source = 'Демо: звіт'"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM stat_imports WHERE file IS NOT NULL"
        )
        .await,
        0,
        "files go once imported"
    );

    // Not a CSV or a workbook: refused at line 1. Too large: 413, clearly.
    let r = api_upload(
        &mut app,
        &csrf,
        &[0x89, b'P', b'N', b'G', 0xff, 0xfe, 0],
        &[],
    )
    .await;
    let id = r.json()["id"].as_i64().expect("id");
    app.run_jobs().await;
    let status = app.get(&format!("/api/v1/imports/{id}")).await.json();
    assert_eq!(status["errors"][0]["line"], 1);
    assert_eq!(status["committed"], false);
    let huge = vec![b'1'; hromada::statistics::actions::MAX_IMPORT_BYTES + 1];
    let r = api_upload(&mut app, &csrf, &huge, &[]).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.body);
    assert_eq!(r.json()["error"]["code"], "too_large");
    assert!(
        r.json()["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("100 МБ"))
    );
}

#[tokio::test]
async fn any_selection_exports_as_csv_xlsx_and_json_with_names_in_both_languages() {
    let mut app = app_with_statistics().await;
    let page = app.get("/uk/statistics").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.count("input[name=indicators]"), 22);

    // JSON: two indicators in one oblast for 2022.
    let json = app
        .get("/api/v1/values/export?indicators=population_total,budget_revenue_total&parent=UA05000000000010236&periods=2022&format=json")
        .await;
    assert_eq!(json.status, StatusCode::OK, "{}", json.body);
    let body = json.json();
    let items = body["items"].as_array().expect("items");
    assert!(items.len() > 100, "{}", items.len());
    assert!(
        items
            .iter()
            .all(|i| i["unit"].as_str().is_some_and(|u| u.starts_with("UA05")))
    );
    assert!(items.iter().all(|i| i["period"] == "2022"));
    let vinnytsia = items
        .iter()
        .find(|i| i["unit"] == "UA05020030000031457" && i["indicator"] == "population_total")
        .expect("Vinnytsia");
    assert_eq!(vinnytsia["value"], 387_439.0);
    assert!(
        vinnytsia["unit_name_uk"]
            .as_str()
            .is_some_and(|n| n.contains("Вінницька"))
    );
    assert!(
        vinnytsia["unit_name_en"]
            .as_str()
            .is_some_and(|n| n.contains("Vinnytska"))
    );
    assert_eq!(vinnytsia["indicator_name_en"], "Present population");

    // CSV from the page's form (checkboxes repeat the field).
    let csv = app
        .get("/uk/statistics/export?indicators=population_total&indicators=area_km2&unit=UA05020030000031457&format=csv")
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.starts_with('\u{feff}'));
    let lines: Vec<&str> = csv.body.lines().collect();
    assert!(lines[0].contains("unit,unit_name_uk,unit_name_en,indicator"));
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(lines[1].contains("Вінницька") && lines[1].contains("Vinnytska"));

    // XLSX: the same rows, numbers as numbers.
    let xlsx = app
        .get("/uk/statistics/export?indicators=population_total&unit=UA05020030000031457&format=xlsx")
        .await;
    assert_eq!(xlsx.status, StatusCode::OK);
    use calamine::Reader;
    let mut book =
        calamine::Xlsx::new(std::io::Cursor::new(xlsx.bytes.clone())).expect("a workbook");
    let sheet = book
        .worksheet_range_at(0)
        .expect("a sheet")
        .expect("readable");
    assert_eq!(sheet.height(), 2);
    assert_eq!(
        sheet.get_value((1, 9)),
        Some(&calamine::Data::Float(387_439.0))
    );

    // Bad selections name their field.
    for (query, field) in [
        ("indicators=nope", "indicators"),
        ("periods=2022-13", "periods"),
        ("parent=UA00", "parent"),
        ("format=pdf", "format"),
    ] {
        let r = app.get(&format!("/api/v1/values/export?{query}")).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{query}: {}",
            r.body
        );
        assert_eq!(r.json()["error"]["fields"][0]["field"], field, "{query}");
    }
}
