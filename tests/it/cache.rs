//! The page cache (`web/cache.rs`): public pages kept rendered and compressed for anonymous
//! visitors, with nothing personal in them, fresh after every change.

use std::io::Read;

use axum::http::{Method, StatusCode, header};
use hromada::config::Settings;
use hromada::identity::Role;
use serde_json::json;

use crate::harness::{Response, TestApp, test_settings};

/// Settings whose cache asks the database only once a minute unless it changed something.
fn slow_checks() -> Settings {
    Settings {
        page_cache_ms: 60_000,
        ..test_settings()
    }
}

fn header_of(r: &Response, name: header::HeaderName) -> &str {
    r.headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

async fn get_with(app: &mut TestApp, path: &str, headers: &[(&str, &str)]) -> Response {
    app.request(Method::GET, path, None, vec![], headers).await
}

/// The digest subscription form, posted as a browser does from a kept page: no token.
async fn subscribe(app: &mut TestApp, email: &str, extra: &[(&str, &str)]) -> Response {
    let body = serde_urlencoded::to_string([("csrf", ""), ("email", email), ("lang", "uk")])
        .expect("form");
    app.request(
        Method::POST,
        "/uk/digest/subscribe",
        Some("application/x-www-form-urlencoded"),
        body.into_bytes(),
        extra,
    )
    .await
}

#[tokio::test]
async fn kept_pages_follow_changes_here_at_once_and_elsewhere_at_the_next_check() {
    let (db, dir) = crate::harness::registry_db().await;
    let mut app = TestApp::on(db.clone(), slow_checks(), dir);
    let mut editor = app.other_browser();
    editor.login_as(Role::Editor).await;
    editor
        .publish_news(
            json!({ "title_uk": "Перша новина", "summary_uk": "Текст.", "sectors": ["education"] }),
        )
        .await;
    // A second instance on the same database.
    let mut elsewhere = TestApp::on(db, slow_checks(), None);
    let count = |r: &Response| r.count("ol.news > li");
    assert_eq!(count(&app.get("/uk/news").await), 1);
    assert_eq!(count(&elsewhere.get("/uk/news").await), 1);
    let second = editor
        .publish_news(
            json!({ "title_uk": "Друга новина", "summary_uk": "Текст.", "sectors": ["social"] }),
        )
        .await;
    // This instance made the change: its next answer is current.
    assert_eq!(count(&app.get("/uk/news").await), 2);
    // The other keeps its page until it asks the database again (here: a minute)…
    assert_eq!(count(&elsewhere.get("/uk/news").await), 1);
    // …or until it handles a change itself, whatever the change.
    let r = subscribe(
        &mut elsewhere,
        "reader@example.ua",
        &[("sec-fetch-site", "same-origin")],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(count(&elsewhere.get("/uk/news").await), 2);
    // Withdrawn: gone from the list, and the filtered pages are rendered afresh too.
    assert_eq!(count(&app.get("/uk/news?sector=social").await), 1);
    let r = editor
        .send_json(
            Method::POST,
            &format!("/api/v1/news/{second}/withdraw"),
            &json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(count(&app.get("/uk/news?sector=social").await), 0);
    // The same for the API's public answers and an item's own page.
    let api = app.get("/api/v1/news").await.json();
    assert_eq!(api["total"], 1, "{api}");
    assert_eq!(
        app.get(&format!("/uk/news/{second}")).await.status,
        StatusCode::NOT_FOUND
    );
    // Signed-in visitors get the page rendered for them (their name in the header).
    let page = editor.get("/uk/news").await;
    assert!(page.body.contains("/uk/logout"));
    assert!(!app.get("/uk/news").await.body.contains("/uk/logout"));
}

#[tokio::test]
async fn a_kept_page_carries_no_token_and_no_cookie_and_comes_compressed() {
    let mut app = TestApp::new().await;
    let first = app.get("/uk/digest").await;
    assert_eq!(first.status, StatusCode::OK);
    let again = app.get("/uk/digest").await;
    for r in [&first, &again] {
        assert!(!r.headers.contains_key(header::SET_COOKIE));
        let token = r
            .html()
            .select(&scraper::Selector::parse("input[name=csrf]").expect("selector"))
            .map(|e| e.value().attr("value").unwrap_or("").to_string())
            .collect::<Vec<_>>();
        assert_eq!(token, vec![String::new()], "the subscription form's token");
        assert!(header_of(r, header::VARY).contains("Accept-Encoding"));
        assert_eq!(header_of(r, header::CACHE_CONTROL), "no-cache");
    }
    let etag = header_of(&first, header::ETAG).to_string();
    assert!(etag.starts_with("W/\""), "{etag}");
    assert_eq!(header_of(&again, header::ETAG), etag);
    assert_eq!(first.body, again.body);

    // The encodings a browser asks for, each the same page.
    let br = get_with(
        &mut app,
        "/uk/digest",
        &[("accept-encoding", "gzip, deflate, br, zstd")],
    )
    .await;
    assert_eq!(header_of(&br, header::CONTENT_ENCODING), "br");
    let mut plain = Vec::new();
    brotli::BrotliDecompress(&mut &br.bytes[..], &mut plain).expect("brotli");
    assert_eq!(plain, first.bytes);
    assert!(br.bytes.len() < first.bytes.len(), "{}", br.bytes.len());
    let gz = get_with(
        &mut app,
        "/uk/digest",
        &[("accept-encoding", "gzip;q=1.0, br;q=0")],
    )
    .await;
    assert_eq!(header_of(&gz, header::CONTENT_ENCODING), "gzip");
    let mut plain = Vec::new();
    flate2::read::GzDecoder::new(&gz.bytes[..])
        .read_to_end(&mut plain)
        .expect("gzip");
    assert_eq!(plain, first.bytes);

    // A browser holding the page asks again and gets a 304 with no body.
    let same = get_with(&mut app, "/uk/digest", &[("if-none-match", &etag)]).await;
    assert_eq!(same.status, StatusCode::NOT_MODIFIED);
    assert!(same.bytes.is_empty());
    assert_eq!(header_of(&same, header::ETAG), etag);

    // A signed-in reader's page is theirs: their token, no shared tag.
    let mut reader = app.other_browser();
    reader.login_as(Role::Partner).await;
    let own = reader.get("/uk/digest").await;
    let token = reader.csrf().await;
    assert!(own.body.contains(&format!("value=\"{token}\"")));
    assert!(!own.headers.contains_key(header::ETAG));
}

#[tokio::test]
async fn forms_on_kept_pages_are_taken_from_our_pages_and_refused_from_elsewhere() {
    let mut app = TestApp::new().await;
    let ours = subscribe(
        &mut app,
        "a@example.ua",
        &[("sec-fetch-site", "same-origin")],
    )
    .await;
    assert_eq!(ours.status, StatusCode::OK, "{}", ours.body);
    // A browser older than Fetch Metadata sends the page's origin.
    let ours = subscribe(
        &mut app,
        "b@example.ua",
        &[("origin", "http://hromada.test")],
    )
    .await;
    assert_eq!(ours.status, StatusCode::OK, "{}", ours.body);
    for headers in [
        vec![("sec-fetch-site", "cross-site")],
        vec![("sec-fetch-site", "same-site")],
        // Fetch Metadata wins over a matching Origin.
        vec![
            ("sec-fetch-site", "cross-site"),
            ("origin", "http://hromada.test"),
        ],
        vec![("origin", "http://hromada.test.evil.example")],
        vec![("origin", "null")],
        // Nothing to go by, and no token: refused.
        vec![],
        vec![("sec-fetch-site", "none")],
    ] {
        let r = subscribe(&mut app, "c@example.ua", &headers).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{headers:?}");
        assert!(r.body.contains("Форма застаріла"), "{headers:?}");
    }
    // Even with a valid token, a request another site made is refused.
    let token = app.csrf().await;
    let body = serde_urlencoded::to_string([("csrf", token.as_str()), ("email", "d@example.ua")])
        .expect("form");
    let r = app
        .request(
            Method::POST,
            "/uk/digest/subscribe",
            Some("application/x-www-form-urlencoded"),
            body.into_bytes(),
            &[("sec-fetch-site", "cross-site")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let subscribers = app.audit_actions("subscriber").await;
    assert_eq!(subscribers.len(), 2, "{subscribers:?}");
}

#[tokio::test]
async fn the_stylesheet_has_a_content_name_kept_for_a_year() {
    let mut app = TestApp::new().await;
    let home = app.get("/uk/").await;
    let href = home
        .html()
        .select(&scraper::Selector::parse("link[rel=stylesheet]").expect("selector"))
        .filter_map(|e| e.value().attr("href").map(str::to_string))
        .next()
        .expect("a stylesheet link");
    assert!(
        href.starts_with("/static/style.") && href.ends_with(".css") && href.len() > 22,
        "{href}"
    );
    let css = app.get(&href).await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(header_of(&css, header::CONTENT_TYPE).starts_with("text/css"));
    assert_eq!(
        header_of(&css, header::CACHE_CONTROL),
        "public, max-age=31536000, immutable"
    );
    // Pages from an older release keep working for an hour.
    let old = app.get("/static/style.css").await;
    assert_eq!(old.status, StatusCode::OK);
    assert_eq!(old.body, css.body);
    assert_eq!(
        header_of(&old, header::CACHE_CONTROL),
        "public, max-age=3600"
    );
    assert_eq!(
        app.get("/static/style.0000.css").await.status,
        StatusCode::NOT_FOUND
    );
}

#[test]
fn only_secret_links_one_time_tokens_and_health_checks_stay_out_of_the_cache() {
    use hromada::web::routes::Access;
    let mut uncached: Vec<&str> = hromada::app::routes()
        .iter()
        .filter(|r| r.method == Method::GET && r.access == Access::Public && !r.cached)
        .map(|r| r.path)
        .collect();
    uncached.sort_unstable();
    assert_eq!(
        uncached,
        [
            "/api/v1/digest-subscriptions/{secret}",
            "/healthz",
            "/metrics",
            "/unsubscribe/{token}",
            "/{lang}/club/applications/{token}",
            "/{lang}/club/link",
            "/{lang}/digest/confirm",
            "/{lang}/digest/subscription/{token}",
            "/{lang}/login",
            "/{lang}/password/forgot",
            "/{lang}/password/reset",
            "/{lang}/people/email/verify",
            "/{lang}/verify-email",
        ]
    );
    // Nothing that needs an account is ever kept.
    assert!(
        hromada::app::routes()
            .iter()
            .filter(|r| r.cached)
            .all(|r| r.method == Method::GET && r.access == Access::Public)
    );
}

async fn public_revision(app: &TestApp) -> i64 {
    let r: Option<i64> = hromada::on_db!(&app.state.db, c => sqlx::query_scalar(
        "SELECT revision FROM public_revision WHERE id = 1").fetch_optional(c).await)
    .expect("revision");
    r.unwrap_or(0)
}

#[tokio::test]
async fn audited_changes_move_the_public_revision_and_sign_ins_do_not() {
    let mut app = TestApp::with_registry().await;
    let mut editor = app.other_browser();
    editor.login_as(Role::Editor).await;
    app.create_user("partner@example.ua", Role::Partner, "")
        .await;
    let before = public_revision(&app).await;
    // Signing in and out, and a subscription, show on no public page.
    let mut other = app.other_browser();
    let r = other.login_password("partner@example.ua").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    other.post_form("/uk/logout", &[]).await;
    let r = subscribe(
        &mut app,
        "e@example.ua",
        &[("sec-fetch-site", "same-origin")],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(public_revision(&app).await, before);
    editor
        .publish_news(
            json!({ "title_uk": "Новина", "summary_uk": "Текст.", "sectors": ["education"] }),
        )
        .await;
    assert!(public_revision(&app).await > before);
}
