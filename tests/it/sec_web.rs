//! Issue 16 regression tests for the shared web layer: the client address behind proxies, CSRF
//! for cookie-less API clients, formulas in CSV downloads, /metrics, HSTS, and secrets kept
//! out of the outbox and the subscribers' table.

use axum::http::{Method, StatusCode};
use hromada::config::Settings;
use hromada::identity::Role;

use crate::harness::{TestApp, link_in, test_settings};
use crate::smtp::SmtpServer;

const VINNYTSKA: &str = "UA05020030000031457";
const VINNYTSIA_OBLAST: &str = "UA05000000000010236";

async fn subscribe_from(app: &mut TestApp, n: usize, forwarded: &str) -> StatusCode {
    let csrf = app.csrf().await;
    let body =
        serde_urlencoded::to_string([("email", format!("reader{n}@example.ua")), ("csrf", csrf)])
            .expect("form");
    app.request(
        Method::POST,
        "/uk/digest/subscribe",
        Some("application/x-www-form-urlencoded"),
        body.into_bytes(),
        &[("x-forwarded-for", forwarded)],
    )
    .await
    .status
}

/// A client that writes its own X-Forwarded-For entries in front of the proxy's cannot pass for
/// new addresses: the per-address limit (10 subscriptions) still stops it.
#[tokio::test]
async fn rotating_forwarded_for_does_not_escape_the_address_limit() {
    let mut app = TestApp::new().await;
    let mut statuses = Vec::new();
    for n in 0..12 {
        let forged = format!("203.0.113.{n}, 192.0.2.50");
        statuses.push(subscribe_from(&mut app, n, &forged).await);
    }
    assert!(
        statuses[..10].iter().all(|s| s.is_success()),
        "{statuses:?}"
    );
    assert_eq!(statuses[10], StatusCode::TOO_MANY_REQUESTS, "{statuses:?}");
    // Another real address is not held back by the first one's limit.
    assert_ne!(
        subscribe_from(&mut app, 99, "203.0.113.1, 192.0.2.51").await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

/// With two trusted proxies, the address is the one the outer proxy appended, and it is what
/// the audit log records.
#[tokio::test]
async fn the_audit_records_the_address_the_trusted_proxies_saw() {
    let mut app = TestApp::with_settings(Settings {
        trusted_proxies: 2,
        ..test_settings()
    })
    .await;
    let status = subscribe_from(&mut app, 1, "6.6.6.6, 192.0.2.60, 10.0.0.1").await;
    assert!(status.is_success(), "{status}");
    let mail = app.mail_to("reader1@example.ua").await;
    let link = link_in(&mail[0].body_text, "/uk/digest/confirm?token=");
    let token = link.split("token=").nth(1).expect("token").to_string();
    let csrf = app.csrf().await;
    let body = serde_urlencoded::to_string([("token", token), ("csrf", csrf)]).expect("form");
    let r = app
        .request(
            Method::POST,
            "/uk/digest/confirm",
            Some("application/x-www-form-urlencoded"),
            body.into_bytes(),
            &[("x-forwarded-for", "7.7.7.7, 192.0.2.60, 10.0.0.1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let ips: Vec<String> = hromada::on_db!(&app.state.db, c => sqlx::query_scalar(
        "SELECT ip FROM audit_log WHERE entity = 'subscriber'").fetch_all(c).await)
    .expect("audit");
    assert!(
        !ips.is_empty() && ips.iter().all(|ip| ip == "192.0.2.60"),
        "{ips:?}"
    );
}

/// The documented public JSON endpoints work for a client that never loaded a page; pages and
/// cookie-carrying requests still need the CSRF token.
#[tokio::test]
async fn public_api_endpoints_need_no_cookie_but_pages_still_need_the_token() {
    let app = TestApp::new().await;
    let writes: Vec<_> = hromada::app::routes()
        .into_iter()
        .filter(|r| {
            r.path.starts_with("/api/")
                && r.method != Method::GET
                && r.access == hromada::web::routes::Access::Public
        })
        .collect();
    assert!(!writes.is_empty(), "no public API write to try");
    for route in &writes {
        let mut client = app.other_browser();
        let path = route.path.replace("{id}", "1");
        let r = client
            .request(
                route.method.clone(),
                &path,
                Some("application/json"),
                b"{}".to_vec(),
                &[],
            )
            .await;
        assert_ne!(
            r.status,
            StatusCode::FORBIDDEN,
            "{} {path}: {}",
            route.method,
            r.body
        );
        assert!(!r.body.contains("\"csrf\""), "{path}: {}", r.body);
    }

    // A real application through the API, by a client with no cookies.
    let mut client = app.other_browser();
    let r = client
        .request(
            Method::POST,
            "/api/v1/club/applications",
            Some("application/json"),
            b"{\"name\": 1}".to_vec(),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    // A load balancer's own cookie makes no difference.
    let r = app
        .other_browser()
        .request(
            Method::POST,
            "/api/v1/club/applications",
            Some("application/json"),
            b"{\"name\": 1}".to_vec(),
            &[("cookie", "lb-sticky=node2")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);

    // A page form without cookies is still refused (a cross-site login would plant a session).
    let mut client = app.other_browser();
    let r = client
        .request(
            Method::POST,
            "/uk/login",
            Some("application/x-www-form-urlencoded"),
            b"email=a%40b.ua&password=x".to_vec(),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // And an API request that carries the browser's cookies needs the token like a form.
    let mut browser = app.other_browser();
    browser.csrf().await;
    let r = browser
        .request(
            Method::POST,
            "/api/v1/club/applications",
            Some("application/json"),
            b"{}".to_vec(),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
}

/// An office named like a formula reaches the public CSV as text, not as a formula.
#[tokio::test]
async fn formula_names_are_neutralised_in_csv_downloads() {
    let mut app = TestApp::with_registry().await;
    app.login_as(Role::Admin).await;
    let hostile = "=HYPERLINK(\"http://evil.example/x\",\"клік\")";
    let r = app
        .post_form(
            "/uk/offices",
            &[
                ("slug", "evil"),
                ("name_uk", hostile),
                ("name_en", hostile),
                ("oblast", VINNYTSIA_OBLAST),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = app
        .post_form(
            &format!("/uk/members/{VINNYTSKA}/join"),
            &[
                ("office", "evil"),
                ("since", "2016-05-01"),
                ("decision_number", "1"),
                ("decision_on", "2016-04-20"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mut public = app.other_browser();
    let csv = public.get("/en/members?format=csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    let mut reader = csv::Reader::from_reader(csv.body.trim_start_matches('\u{feff}').as_bytes());
    let office = reader
        .records()
        .next()
        .expect("a row")
        .expect("a record")
        .get(3)
        .expect("office column")
        .to_string();
    assert_eq!(office, format!("'{hostile}"));
    // JSON and XLSX keep the name as it is.
    let json = public.get("/en/members?format=json").await.json();
    assert_eq!(json["items"][0]["regional_office"], hostile);
}

/// /metrics is off without a token and asks for it when there is one.
#[tokio::test]
async fn metrics_need_the_configured_token() {
    let mut app = TestApp::new().await;
    assert_eq!(app.get("/metrics").await.status, StatusCode::NOT_FOUND);

    let token = "scraper-secret-0123456789";
    let mut app = TestApp::with_settings(Settings {
        metrics_token: Some(token.into()),
        ..test_settings()
    })
    .await;
    assert_eq!(app.get("/metrics").await.status, StatusCode::UNAUTHORIZED);
    let wrong = app
        .request(
            Method::GET,
            "/metrics",
            None,
            Vec::new(),
            &[("authorization", "Bearer scraper-secret-0123456788")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let right = app
        .request(
            Method::GET,
            "/metrics",
            None,
            Vec::new(),
            &[("authorization", &format!("Bearer {token}"))],
        )
        .await;
    assert_eq!(right.status, StatusCode::OK);
    assert!(
        right.body.contains("hromada_outbox_backlog"),
        "{}",
        right.body
    );
}

#[tokio::test]
async fn https_deployments_send_strict_transport_security() {
    let mut plain = TestApp::new().await;
    assert!(
        !plain
            .get("/uk/")
            .await
            .headers
            .contains_key("strict-transport-security")
    );
    let mut app = TestApp::with_settings(Settings {
        base_url: "https://hromada.example".into(),
        ..test_settings()
    })
    .await;
    let r = app.get("/uk/").await;
    let hsts = r
        .headers
        .get("strict-transport-security")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(hsts.starts_with("max-age="), "{hsts:?}");
}

async fn stored_outbox(app: &TestApp) -> Vec<(String, Option<String>, Option<String>)> {
    hromada::on_db!(&app.state.db, c => sqlx::query_as(
        "SELECT body_text, body_html, fills FROM outbox ORDER BY id").fetch_all(c).await)
    .expect("outbox")
}

/// A reset link never rests readable in the outbox or on its admin pages; the recipient gets
/// it, and once sent even its sealed copy is gone.
#[tokio::test]
async fn mailed_links_are_sealed_in_the_outbox_and_hidden_from_admins() {
    let mut app = TestApp::new().await;
    app.create_user("maria@example.ua", Role::Partner, "").await;
    let r = app
        .post_form("/en/password/forgot", &[("email", "maria@example.ua")])
        .await;
    assert!(
        r.status.is_success() || r.status.is_redirection(),
        "{}",
        r.body
    );
    let stored = stored_outbox(&app).await;
    assert_eq!(stored.len(), 1);
    let (text, html, fills) = &stored[0];
    assert!(!text.contains("token="), "{text}");
    assert!(!html.as_deref().unwrap_or_default().contains("token="));
    let fills = fills.as_deref().expect("sealed fills");
    assert!(hromada::secrets::is_sealed(fills) && !fills.contains("token"));

    // The admin sees that there is a link, not the link.
    let mut admin = app.other_browser();
    admin.login_as(Role::Admin).await;
    let id: i64 = hromada::on_db!(&app.state.db, c => sqlx::query_scalar(
        "SELECT id FROM outbox").fetch_one(c).await)
    .expect("id");
    let page = admin.get(&format!("/uk/admin/outbox/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text("pre.mail").contains("[посилання приховано]"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("token="));
    let api = admin.get("/api/v1/outbox").await;
    assert!(
        !api.body.contains("token=") && !api.body.contains(fills),
        "{}",
        api.body
    );

    // The recipient's copy has the working link.
    let smtp = SmtpServer::start().await;
    assert!(app.deliver_mail(&smtp.url()).await >= 1);
    let received = smtp.messages();
    let message = received
        .iter()
        .find(|m| {
            m.parsed()
                .to()
                .and_then(|t| t.first())
                .and_then(|a| a.address())
                == Some("maria@example.ua")
        })
        .expect("delivered");
    let body = message.parsed().body_text(0).expect("text").into_owned();
    let link = link_in(&body, "http://hromada.test/en/password/reset?token=");
    assert_eq!(app.get(&link).await.status, StatusCode::OK);
    let html = message.parsed().body_html(0).expect("html").into_owned();
    assert!(html.contains("/en/password/reset?token="), "{html}");
    let after = stored_outbox(&app).await;
    assert_eq!(after[0].2, None, "the sealed link is dropped once sent");
}

/// A subscriber's secret is stored as a hash and sealed; its links still work.
#[tokio::test]
async fn subscribers_secrets_are_not_stored_in_plain() {
    let mut app = TestApp::new().await;
    assert!(subscribe_from(&mut app, 7, "192.0.2.70").await.is_success());
    let mail = app.mail_to("reader7@example.ua").await;
    let link = link_in(&mail[0].body_text, "/uk/digest/confirm?token=");
    let token = link.split("token=").nth(1).expect("token").to_string();
    let r = app
        .post_form("/uk/digest/confirm", &[("token", &token)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let manage = r.location().to_string();
    let secret = manage
        .trim_start_matches("/uk/digest/subscription/")
        .split('?')
        .next()
        .expect("secret")
        .to_string();
    assert!(secret.len() > 20, "{manage}");
    let (stored, sealed): (String, Option<String>) =
        hromada::on_db!(&app.state.db, c => sqlx::query_as(
        "SELECT manage_token, manage_sealed FROM subscribers").fetch_one(c).await)
        .expect("row");
    assert_eq!(stored, hromada::secrets::secret_hash(&secret));
    assert!(
        sealed
            .as_deref()
            .is_some_and(|s| hromada::secrets::is_sealed(s) && !s.contains(&secret))
    );
    assert_eq!(app.get(&manage).await.status, StatusCode::OK);
    // The stored hash itself opens nothing.
    let r = app.get(&format!("/uk/digest/subscription/{stored}")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

/// Rows stored before sealing (a plain secret in `manage_token`) are sealed by the start-up
/// step, and the old link keeps working.
#[tokio::test]
async fn start_up_seals_subscribers_from_before() {
    let mut app = TestApp::new().await;
    let legacy = "sub.legacy-secret-0123456789abcdefghijkl";
    hromada::db_exec!(&app.state.db, c => sqlx::query(
        "INSERT INTO subscribers (email, lang, sectors, status, manage_token, created_at, confirmed_at) \
         VALUES ('old@example.ua', 'uk', '', 'confirmed', $1, $2, $2)")
        .bind(legacy).bind(hromada::clock::now()).execute(c).await)
    .expect("legacy row");
    let n = hromada::app::reseal_all(&app.state.db)
        .await
        .expect("reseal");
    assert!(n >= 1);
    assert_eq!(
        hromada::app::reseal_all(&app.state.db)
            .await
            .expect("again"),
        0
    );
    let r = app.get(&format!("/uk/digest/subscription/{legacy}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

/// A SQLite database restored without its key file is refused with a clear message, instead of
/// running on a new key that opens none of its secrets; no stray key file is left behind.
#[tokio::test]
async fn a_database_without_its_key_file_is_refused() {
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().expect("dir");
    let db_path = dir.path().join("h.db");
    let url = format!("sqlite://{}", db_path.display());
    let key = dir.path().join("h.db.key");
    let run = |args: &[&str]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_hromada"));
        command
            .args(args)
            .env("DATABASE_URL", &url)
            .env_remove("HROMADA_TEST_DATABASE_URL")
            .env("HROMADA_LISTEN", "127.0.0.1:0")
            .env("HROMADA_LOG_LEVEL", "warn")
            .stdin(Stdio::null());
        command
    };
    // The first start makes the key beside the file and seals the probe with it.
    let mut server = run(&["serve"])
        .stdout(Stdio::null())
        .spawn()
        .expect("serve");
    let db = hromada::db::Db::connect(&url, 1).await.expect("db");
    let start = std::time::Instant::now();
    loop {
        let probe = hromada::db::settings::get(&db, "secrets.probe")
            .await
            .ok()
            .flatten();
        if probe.is_some() {
            break;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(120),
            "no probe written"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    server.kill().expect("kill");
    let _ = server.wait();
    db.close().await;
    assert!(key.exists());
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(&key).expect("meta").permissions(),
    );
    assert_eq!(mode & 0o077, 0, "the key file is the owner's alone");

    // The same key: fine.
    let out = run(&["check-config"]).output().expect("check");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Restored without its key: refused, and no new key stays.
    std::fs::remove_file(&key).expect("remove key");
    let out = run(&["check-config"]).output().expect("check");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("restore the key file"), "{stderr}");
    assert!(!key.exists(), "no stray key file");
    // Another instance's different key: refused too.
    hromada::secrets::write_new_key_file(&key).expect("other key");
    let out = run(&["check-config"]).output().expect("check");
    assert!(!out.status.success());
    assert!(
        key.exists(),
        "a key file the operator named or kept is never removed"
    );
}
