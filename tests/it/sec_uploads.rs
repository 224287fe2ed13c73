//! Issue 16 regression tests: hostile uploads (a spreadsheet declaring a vast sheet, a CSV
//! of many bad rows, a PNG of many pixels) and jobs that fail or kill their worker, which are
//! quarantined instead of being run forever.

use std::time::{Duration, Instant};

use axum::http::{Method, StatusCode};
use hromada::identity::Role;
use hromada::jobs::MAX_ATTEMPTS;
use hromada::work::Actor;
use serde_json::json;

use crate::harness::{TestApp, multipart};

// ---- fixtures ------------------------------------------------------------------------------

/// The 1.6 KB workbook of the report: cells only at A1 and XFD1048576.
fn corners_xlsx() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "unit").expect("cell");
    sheet.write_string(1_048_575, 16_383, "x").expect("cell");
    let bytes = book.save_to_buffer().expect("xlsx");
    assert!(bytes.len() < 10_000, "{}", bytes.len());
    bytes
}

/// A multipart body: text fields, then `file` with its name and type.
fn form_with_file(
    fields: &[(&str, &str)],
    file_name: &str,
    content_type: &str,
    data: &[u8],
) -> (String, Vec<u8>) {
    let boundary = "sec-uploads-boundary";
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
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
             Content-Type: {content_type}\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(data);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A valid grey PNG of `side` × `side` pixels, one bit each: all black, so it compresses to
/// a few hundred kilobytes however large it is decoded.
fn png_of(side: u32) -> Vec<u8> {
    use std::io::Write;
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&u32::try_from(data.len()).expect("len").to_be_bytes());
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        out.extend_from_slice(&crc.sum().to_be_bytes());
    }
    let mut header = Vec::new();
    header.extend_from_slice(&side.to_be_bytes());
    header.extend_from_slice(&side.to_be_bytes());
    header.extend_from_slice(&[1, 0, 0, 0, 0]); // 1-bit greyscale, no interlace
    let row = vec![0u8; 1 + side.div_ceil(8) as usize]; // filter "none", then the bits
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    for _ in 0..side {
        z.write_all(&row).expect("deflate");
    }
    let data = z.finish().expect("deflate");
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut png, b"IHDR", &header);
    chunk(&mut png, b"IDAT", &data);
    chunk(&mut png, b"IEND", &[]);
    png
}

/// Runs a SQL statement on the test's database (to play a dead worker or the clock).
async fn exec(app: &TestApp, sql: &str, id: i64) {
    hromada::db_exec!(&app.state.db, c => sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
        .bind(id).execute(c).await)
    .expect("sql");
}

/// Queues a job of a kind no instance knows: every run of it fails.
async fn failing_job(app: &TestApp) -> i64 {
    let mut tx = app.state.db.begin().await.expect("tx");
    let id = hromada::jobs::enqueue(&mut tx, "no-such-kind", &json!({}), hromada::clock::now())
        .await
        .expect("enqueue");
    tx.commit().await.expect("commit");
    id
}

/// Plays an instance that claimed the job `attempts` times and died during the last one:
/// the job is running, its lease ran out a minute ago.
async fn abandoned(app: &TestApp, id: i64, attempts: i64) {
    let past = hromada::clock::now() - chrono::Duration::minutes(1);
    hromada::db_exec!(&app.state.db, c => sqlx::query(
        "UPDATE jobs SET status = 'running', attempts = $1, lease_owner = 'killed-instance', \
         lease_expires_at = $2 WHERE id = $3")
        .bind(attempts).bind(past).bind(id).execute(c).await)
    .expect("abandon");
}

async fn job(app: &TestApp, id: i64) -> hromada::jobs::repo::JobRow {
    hromada::jobs::repo::find(&app.state.db, id)
        .await
        .expect("find")
        .expect("job")
}

/// Makes a job waiting for its backoff due now.
async fn due_now(app: &TestApp, id: i64) {
    let now = hromada::clock::now();
    hromada::db_exec!(&app.state.db, c => sqlx::query(
        "UPDATE jobs SET next_attempt_at = $1 WHERE id = $2")
        .bind(now).bind(id).execute(c).await)
    .expect("due");
}

async fn healthy(app: &mut TestApp) {
    assert_eq!(app.get("/healthz").await.status, StatusCode::OK);
}

// ---- item 1: the workbook that killed the server -------------------------------------------

#[tokio::test]
async fn a_workbook_declaring_the_whole_sheet_is_refused_at_the_page_upload() {
    let mut app = TestApp::new().await;
    app.login_as(Role::Admin).await;
    let csrf = app.csrf().await;
    for (lang, says) in [("uk", "Аркуш завеликий"), ("en", "The sheet is too large")]
    {
        let (ct, body) = form_with_file(
            &[("mode", "all")],
            "corners.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            &corners_xlsx(),
        );
        let r = app
            .request(
                Method::POST,
                &format!("/{lang}/statistics/import?csrf={csrf}"),
                Some(&ct),
                body,
                &[],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.text("main").contains(says), "{}", r.body);
    }
    let imports: i64 = hromada::on_db!(&app.state.db, c =>
        sqlx::query_scalar("SELECT COUNT(*) FROM stat_imports").fetch_one(c).await)
    .expect("count");
    assert_eq!(imports, 0, "nothing is kept or queued");
    healthy(&mut app).await;
}

#[tokio::test]
async fn a_workbook_declaring_the_whole_sheet_is_refused_by_the_api() {
    let mut app = TestApp::new().await;
    app.login_as(Role::Admin).await;
    let csrf = app.csrf().await;
    let (ct, body) = form_with_file(&[], "corners.xlsx", "application/zip", &corners_xlsx());
    let r = app
        .request(
            Method::POST,
            "/api/v1/imports",
            Some(&ct),
            body,
            &[("x-csrf-token", &csrf), ("accept-language", "en")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let error = &r.json()["error"];
    assert_eq!(error["fields"][0]["field"], "file", "{error}");
    let message = error["fields"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("64 columns"), "{message}");
    healthy(&mut app).await;
}

#[tokio::test]
async fn such_a_workbook_queued_before_the_fix_is_refused_by_its_job_after_a_restart() {
    // The upload check is skipped (a file queued by an older release), and the instance
    // that first took the job died: the next one reads the sheet as a stream and refuses it.
    let mut app = TestApp::new().await;
    let id = hromada::statistics::actions::queue_import(
        &app.state,
        &Actor::system("test"),
        "corners.xlsx",
        &corners_xlsx(),
        hromada::statistics::actions::ImportMode::AllOrNothing,
        "",
    )
    .await
    .expect("queued");
    let job_id: i64 = hromada::on_db!(&app.state.db, c =>
        sqlx::query_scalar("SELECT id FROM jobs WHERE kind = 'stat-import'").fetch_one(c).await)
    .expect("job");
    abandoned(&app, job_id, 1).await;
    assert_eq!(app.run_jobs().await, 1);
    assert_eq!(job(&app, job_id).await.status, hromada::jobs::Status::Done);
    app.login_as(Role::Admin).await;
    let import = app.get(&format!("/api/v1/imports/{id}")).await.json();
    assert_eq!(import["status"], "done", "{import}");
    assert_eq!(
        import["errors"][0]["key"], "import-error-xlsx-size",
        "{import}"
    );
    let page = app.get(&format!("/en/statistics/imports/{id}")).await;
    assert!(
        page.text("main").contains("The sheet is too large"),
        "{}",
        page.body
    );
    healthy(&mut app).await;
}

// ---- item 1: quarantined jobs --------------------------------------------------------------

#[tokio::test]
async fn a_job_that_keeps_failing_ends_quarantined_and_is_never_claimed_again() {
    let app = TestApp::new().await;
    let id = failing_job(&app).await;
    for attempt in 1..=MAX_ATTEMPTS {
        due_now(&app, id).await;
        assert_eq!(app.run_jobs().await, 1, "attempt {attempt}");
    }
    let spent = job(&app, id).await;
    assert_eq!(
        (spent.status.code(), spent.attempts),
        ("quarantined", MAX_ATTEMPTS)
    );
    assert!(
        spent
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains("no such job kind")),
        "{spent:?}"
    );
    due_now(&app, id).await;
    assert_eq!(app.run_jobs().await, 0);
    assert_eq!(job(&app, id).await.attempts, MAX_ATTEMPTS);
}

#[tokio::test]
async fn a_job_whose_worker_died_at_every_attempt_is_not_claimed_past_the_cap() {
    let mut app = TestApp::new().await;
    // Killed once: it runs again (and its claim counts).
    let once = failing_job(&app).await;
    abandoned(&app, once, 1).await;
    assert_eq!(app.run_jobs().await, 1);
    assert_eq!(job(&app, once).await.attempts, 2);
    // Killed at every allowed attempt: quarantined at the next start, not claimed.
    let poison = failing_job(&app).await;
    abandoned(&app, poison, MAX_ATTEMPTS).await;
    assert_eq!(app.run_jobs().await, 0);
    let row = job(&app, poison).await;
    assert_eq!(
        (row.status.code(), row.attempts),
        ("quarantined", MAX_ATTEMPTS)
    );
    assert!(
        row.last_error
            .as_deref()
            .is_some_and(|e| e.contains("interrupted")),
        "{row:?}"
    );
    // Later starts leave it alone, and the server answers.
    exec(
        &app,
        "UPDATE jobs SET lease_expires_at = NULL WHERE id = $1",
        poison,
    )
    .await;
    assert_eq!(app.run_jobs().await, 0);
    assert_eq!(
        job(&app, poison).await.status,
        hromada::jobs::Status::Quarantined
    );
    healthy(&mut app).await;
}

#[tokio::test]
async fn admins_see_quarantined_jobs_with_their_error_and_run_them_again() {
    let mut app = TestApp::new().await;
    let id = failing_job(&app).await;
    abandoned(&app, id, MAX_ATTEMPTS).await;
    app.run_jobs().await;
    app.login_as(Role::Admin).await;

    let page = app.get("/uk/admin/jobs").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let row = format!("#job-{id}");
    assert!(
        page.text(&format!("{row} .job-status"))
            .contains("відкладено")
    );
    assert!(
        page.text(&format!("{row} .job-error"))
            .contains("interrupted")
    );
    assert_eq!(page.count(&format!("{row} form input[name=csrf]")), 1);
    let en = app.get("/en/admin/jobs?status=quarantined").await;
    assert!(
        en.text(&format!("{row} .job-status"))
            .contains("quarantined")
    );
    assert!(
        en.text("main").contains("1 job is quarantined"),
        "{}",
        en.body
    );

    let r = app
        .post_form(&format!("/uk/admin/jobs/{id}/retry"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), "/uk/admin/jobs");
    let again = job(&app, id).await;
    assert_eq!((again.status.code(), again.attempts), ("queued", 0));
    assert!(
        app.audit_actions("job")
            .await
            .contains(&"retry".to_string())
    );
    // Only a quarantined job is run again by hand.
    let r = app
        .post_form(&format!("/uk/admin/jobs/{id}/retry"), &[])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    // The job runs (and fails) again with fresh attempts.
    assert_eq!(app.run_jobs().await, 1);
    assert_eq!(job(&app, id).await.attempts, 1);
}

#[tokio::test]
async fn the_api_lists_quarantined_jobs_and_runs_them_again() {
    let mut app = TestApp::new().await;
    let id = failing_job(&app).await;
    abandoned(&app, id, MAX_ATTEMPTS).await;
    app.run_jobs().await;
    // Roles are checked by the route table (the permission matrix covers every role).
    let mut anonymous = app.other_browser();
    let refused = anonymous.get("/api/v1/jobs").await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{}", refused.body);
    app.login_as(Role::Admin).await;
    let list = app.get("/api/v1/jobs?status=quarantined").await.json();
    assert_eq!(list["total"], 1, "{list}");
    assert_eq!(list["items"][0]["id"], id);
    assert_eq!(list["items"][0]["attempts"], MAX_ATTEMPTS);
    assert!(
        list["items"][0]["last_error"]
            .as_str()
            .is_some_and(|e| e.contains("interrupted"))
    );
    assert_eq!(
        app.get("/api/v1/jobs?status=lost").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let csrf = app.csrf().await;
    let retried = app
        .request(
            Method::POST,
            &format!("/api/v1/jobs/{id}/retry"),
            None,
            Vec::new(),
            &[("x-csrf-token", &csrf)],
        )
        .await;
    assert_eq!(retried.status, StatusCode::OK, "{}", retried.body);
    assert_eq!(retried.json()["status"], "queued");
    let missing = app
        .request(
            Method::POST,
            "/api/v1/jobs/999999/retry",
            None,
            Vec::new(),
            &[("x-csrf-token", &csrf)],
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_import_whose_job_is_quarantined_shows_as_failed_not_running() {
    let mut app = TestApp::new().await;
    let id = hromada::statistics::actions::queue_import(
        &app.state,
        &Actor::system("test"),
        "values.csv",
        b"unit,indicator,period,value\n",
        hromada::statistics::actions::ImportMode::AllOrNothing,
        "",
    )
    .await
    .expect("queued");
    let job_id: i64 = hromada::on_db!(&app.state.db, c =>
        sqlx::query_scalar("SELECT id FROM jobs WHERE kind = 'stat-import'").fetch_one(c).await)
    .expect("job");
    abandoned(&app, job_id, MAX_ATTEMPTS).await;
    assert_eq!(app.run_jobs().await, 0);
    app.login_as(Role::Admin).await;
    let import = app.get(&format!("/api/v1/imports/{id}")).await.json();
    assert_eq!(import["status"], "failed", "{import}");
    let page = app.get(&format!("/uk/statistics/imports/{id}")).await;
    assert_eq!(page.count("meta[http-equiv=refresh]"), 0, "{}", page.body);
}

// ---- item 9: a CSV of many bad rows --------------------------------------------------------

#[tokio::test]
async fn a_large_csv_of_bad_rows_answers_quickly_with_a_bounded_error_list() {
    let mut app = TestApp::new().await;
    app.login_as(Role::Admin).await;
    let csrf = app.csrf().await;
    let mut text = String::from("code,status,since,note\n");
    let mut rows = 0;
    while text.len() < 400 * 1024 {
        text.push_str("UA1400,calm,yesterday,\n");
        rows += 1;
    }
    let (ct, body) = multipart(&text);
    let started = Instant::now();
    let r = app
        .request(
            Method::POST,
            &format!("/en/admin/statuses?csrf={csrf}"),
            Some(&ct),
            body,
            &[],
        )
        .await;
    let took = started.elapsed();
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(took < Duration::from_secs(10), "{took:?}");
    assert!(r.body.len() < 2 * 1024 * 1024, "{} bytes", r.body.len());
    assert_eq!(r.count(".errors li"), 1_001);
    let html = r.html();
    let sel = scraper::Selector::parse(".errors li").expect("sel");
    let items: Vec<String> = html
        .select(&sel)
        .map(|li| li.text().collect::<String>())
        .collect();
    assert!(items[0].starts_with("Line 2:"), "{}", items[0]);
    assert!(items[999].starts_with("Line 1001:"), "{}", items[999]);
    let more = format!("{} more rows with errors", rows - 1_000);
    assert!(items[1_000].contains(&more), "{}", items[1_000]);
    // The same in Ukrainian.
    let (ct, body) = multipart(&text);
    let r = app
        .request(
            Method::POST,
            &format!("/uk/admin/statuses?csrf={csrf}"),
            Some(&ct),
            body,
            &[],
        )
        .await;
    assert!(
        r.text(".errors li:last-child").contains("не показано"),
        "{}",
        r.text(".errors li:last-child")
    );
}

// ---- item 10: an image of many pixels ------------------------------------------------------

#[tokio::test]
async fn a_png_of_144_megapixels_is_refused_as_a_cover_with_a_clear_message() {
    let mut app = TestApp::with_registry().await;
    let mut editor = app.other_browser();
    editor.login_as(Role::Editor).await;
    let id = editor
        .publish_news(json!({ "title_uk": "Укриття в школі", "summary_uk": "Готове.", "title_en": "A school shelter",
                              "summary_en": "Ready.", "sectors": ["education"] }))
        .await;
    let big = png_of(12_000);
    assert!(big.len() < 1024 * 1024, "{}", big.len());
    let csrf = editor.csrf().await;
    let (ct, body) = form_with_file(
        &[("alt_uk", "Укриття"), ("alt_en", "A shelter")],
        "cover.png",
        "image/png",
        &big,
    );
    let r = editor
        .request(
            Method::POST,
            &format!("/uk/news/{id}/cover?csrf={csrf}"),
            Some(&ct),
            body,
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.text("main").contains("40 мегапікселів"), "{}", r.body);
    // And through the API, in English.
    let (ct, body) = form_with_file(&[("alt_en", "A shelter")], "cover.png", "image/png", &big);
    let r = editor
        .request(
            Method::PUT,
            &format!("/api/v1/news/{id}/cover"),
            Some(&ct),
            body,
            &[("x-csrf-token", &csrf), ("accept-language", "en")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("40 megapixels"), "{}", r.body);
    assert_eq!(
        app.get(&format!("/covers/news/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    // An image within the limit still goes through.
    let (ct, body) = form_with_file(
        &[("alt_en", "A shelter")],
        "cover.png",
        "image/png",
        &png_of(800),
    );
    let r = editor
        .request(
            Method::PUT,
            &format!("/api/v1/news/{id}/cover"),
            Some(&ct),
            body,
            &[("x-csrf-token", &csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

// ---- formula injection in the errors file of an import -------------------------------------

#[tokio::test]
async fn a_formula_in_a_bad_row_stays_text_in_the_errors_csv() {
    let mut app = TestApp::new().await;
    app.login_as(Role::Admin).await;
    let csrf = app.csrf().await;
    // No such unit: the row is refused and its unit cell is quoted back in the errors file.
    let csv = "unit,indicator,period,value\n\
               \"=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",population_total,2024,1\n";
    let (ct, body) = form_with_file(&[("mode", "all")], "values.csv", "text/csv", csv.as_bytes());
    let r = app
        .request(
            Method::POST,
            &format!("/en/statistics/import?csrf={csrf}"),
            Some(&ct),
            body,
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page_path = r.location().to_string();
    assert_eq!(app.run_jobs().await, 1);
    let report = app.get(&format!("{page_path}/errors.csv")).await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.body);
    let mut reader = csv::Reader::from_reader(report.body.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("record")).collect();
    assert_eq!(rows.len(), 1, "{}", report.body);
    assert_eq!(&rows[0][0], "2");
    assert_eq!(
        &rows[0][2], "'=HYPERLINK(\"http://evil.example\",\"x\")",
        "{}",
        report.body
    );
}

// ---- hostile workbooks found by the property tests (tests/hostile.rs) ----------------------

/// A zip archive of stored (uncompressed) parts, so their XML is exactly what is given.
fn stored_zip(parts: &[(&str, String)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut directory = Vec::new();
    for (name, data) in parts {
        let (data, len) = (data.as_bytes(), u32::try_from(data.len()).expect("len"));
        let mut crc = flate2::Crc::new();
        crc.update(data);
        let offset = u32::try_from(out.len()).expect("offset");
        let name_len = u16::try_from(name.len()).expect("name");
        let fixed = |out: &mut Vec<u8>| {
            out.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0]); // version, flags, stored, time
            out.extend_from_slice(&crc.sum().to_le_bytes());
            out.extend_from_slice(&len.to_le_bytes());
            out.extend_from_slice(&len.to_le_bytes());
            out.extend_from_slice(&name_len.to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes());
        };
        out.extend_from_slice(b"PK\x03\x04");
        fixed(&mut out);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        directory.extend_from_slice(b"PK\x01\x02\x14\x00");
        fixed(&mut directory);
        directory.extend_from_slice(&[0; 10]); // comment, disk, attributes
        directory.extend_from_slice(&offset.to_le_bytes());
        directory.extend_from_slice(name.as_bytes());
    }
    let start = u32::try_from(out.len()).expect("start");
    let count = u16::try_from(parts.len()).expect("parts");
    out.extend_from_slice(&directory);
    out.extend_from_slice(b"PK\x05\x06\0\0\0\0");
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&u32::try_from(directory.len()).expect("len").to_le_bytes());
    out.extend_from_slice(&start.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// A 1.5 KB workbook of one sheet whose shared strings part declares `unique_count` strings
/// and whose sheet declares the dimension `dimension`.
fn handmade_xlsx(unique_count: &str, dimension: &str) -> Vec<u8> {
    let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    let rels = "http://schemas.openxmlformats.org/package/2006/relationships";
    let office = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    stored_zip(&[
        (
            "_rels/.rels",
            format!(
                "<Relationships xmlns=\"{rels}\"><Relationship Id=\"rId1\" \
             Type=\"{office}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"
            ),
        ),
        (
            "xl/workbook.xml",
            format!(
                "<workbook xmlns=\"{main}\" xmlns:r=\"{office}\"><sheets>\
             <sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(
                "<Relationships xmlns=\"{rels}\"><Relationship \
             Id=\"rId1\" Type=\"{office}/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>"
            ),
        ),
        (
            "xl/sharedStrings.xml",
            format!(
                "<sst xmlns=\"{main}\" uniqueCount=\"{unique_count}\">\
             <si><t>unit</t></si></sst>"
            ),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!(
                "<worksheet xmlns=\"{main}\"><dimension ref=\"{dimension}\"/>\
             <sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row></sheetData></worksheet>"
            ),
        ),
    ])
}

async fn upload_workbook(app: &mut TestApp, bytes: &[u8]) -> crate::harness::Response {
    let csrf = app.csrf().await;
    let (ct, body) = form_with_file(&[], "book.xlsx", "application/zip", bytes);
    app.request(
        Method::POST,
        "/api/v1/imports",
        Some(&ct),
        body,
        &[("x-csrf-token", &csrf), ("accept-language", "en")],
    )
    .await
}

#[tokio::test]
async fn a_workbook_declaring_ten_billion_shared_strings_is_refused_and_the_server_lives() {
    // The reader reserved 24 bytes per declared string up front: 240 GB, an abort.
    let mut app = TestApp::new().await;
    app.login_as(Role::Admin).await;
    let honest = handmade_xlsx("1", "A1");
    assert!(hromada::statistics::import::check_xlsx(&honest).is_ok());
    let book = handmade_xlsx("10000000000", "A1");
    assert!(book.len() < 2_000, "{}", book.len());
    let r = upload_workbook(&mut app, &book).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let message = r.json()["error"]["fields"][0]["message"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(message.contains("not an XLSX workbook"), "{message}");
    healthy(&mut app).await;
}

#[tokio::test]
async fn a_workbook_whose_references_overflow_is_refused_not_a_server_error() {
    // The reader's arithmetic on `A99999999999` and `B2:A1` overflows: a panic in a debug
    // build, which reached the client as a 500.
    let mut app = TestApp::new().await;
    app.login_as(Role::Admin).await;
    for dimension in ["A99999999999", "AAAAAAAAAAAAA1", "B2:A1"] {
        let r = upload_workbook(&mut app, &handmade_xlsx("1", dimension)).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{dimension}: {}",
            r.body
        );
    }
    healthy(&mut app).await;
}
