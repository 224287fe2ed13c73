//! Public pages: language routing, the switch, headers, errors.

use axum::http::{Method, StatusCode, header};

use crate::harness::TestApp;

#[tokio::test]
async fn root_redirects_to_ukrainian() {
    let mut app = TestApp::new().await;
    let r = app.get("/").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/uk/");
    let r = app.get("/en").await;
    assert_eq!(r.location(), "/en/");
}

#[tokio::test]
async fn home_in_both_languages_with_switch_and_hreflang() {
    let mut app = TestApp::new().await;
    let uk = app.get("/uk/").await;
    assert_eq!(uk.status, StatusCode::OK);
    assert_eq!(uk.count("html[lang=uk]"), 1);
    assert_eq!(uk.count("link[rel=alternate][hreflang=en][href='/en/']"), 1);
    assert_eq!(uk.text("h1"), "Громади України разом");
    assert_eq!(uk.text("a.lang"), "English");
    let en = app.get("/en/").await;
    assert_eq!(en.count("html[lang=en]"), 1);
    assert_eq!(en.text("h1"), "Ukraine's communities together");
    assert_eq!(en.count("a.lang[href='/uk/'][hreflang=uk]"), 1);
}

#[tokio::test]
async fn language_switch_keeps_the_page_and_query() {
    let mut app = TestApp::new().await;
    let r = app.get("/uk/login?next=%2Fuk%2Faccount").await;
    assert_eq!(
        r.count("a.lang[href='/en/login?next=%2Fuk%2Faccount']"),
        1,
        "{}",
        r.body
    );
    let r = app.get("/en/password/forgot").await;
    assert_eq!(r.count("a.lang[href='/uk/password/forgot']"), 1);
}

#[tokio::test]
async fn security_headers_and_size() {
    let mut app = TestApp::new().await;
    for path in ["/uk/", "/en/login", "/uk/password/forgot", "/uk/nowhere"] {
        let r = app.get(path).await;
        let csp = r
            .headers
            .get(header::CONTENT_SECURITY_POLICY)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        assert!(
            csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"),
            "{path}: {csp}"
        );
        assert!(!csp.contains("unsafe-inline"));
        assert_eq!(
            r.headers
                .get(header::X_CONTENT_TYPE_OPTIONS)
                .map(|v| v.as_bytes()),
            Some(&b"nosniff"[..])
        );
        assert!(r.headers.contains_key(header::REFERRER_POLICY));
        assert!(
            r.body.len() < 100 * 1024,
            "{path} is {} bytes",
            r.body.len()
        );
        assert!(!r.body.contains("<script"), "{path} has a script");
        assert!(!r.body.contains("style=\""), "{path} has inline style");
    }
    let css = app.get(hromada::web::ops::stylesheet_href()).await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(
        css.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap_or("")
            .starts_with("text/css")
    );
}

#[tokio::test]
async fn unknown_pages_get_a_localised_404() {
    let mut app = TestApp::new().await;
    let r = app.get("/uk/nema-takoi").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.count("html[lang=uk]"), 1);
    assert!(
        r.text("main").contains("Такої сторінки немає"),
        "{}",
        r.body
    );
    let r = app.get("/en/no-such-page").await;
    assert!(r.text("main").contains("There is no such page"));
    let r = app.get("/de/").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn wrong_method_and_malformed_forms_are_clear_errors() {
    let mut app = TestApp::new().await;
    let csrf = app.csrf().await;
    let r = app
        .request(
            Method::DELETE,
            "/uk/login",
            None,
            Vec::new(),
            &[("x-csrf-token", &csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(r.text("main").contains("не підтримується"), "{}", r.body);
    // A form without its fields.
    let r = app.post_form("/en/login", &[("nothing", "here")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text("main").contains("incomplete or malformed"),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn health_and_metrics() {
    let mut app = TestApp::with_settings(hromada::config::Settings {
        metrics_token: Some("metrics-token-0123456789".into()),
        ..crate::harness::test_settings()
    })
    .await;
    let r = app.get("/healthz").await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, "ok\n"));
    app.get("/uk/").await;
    let r = app
        .request(
            axum::http::Method::GET,
            "/metrics",
            None,
            Vec::new(),
            &[("authorization", "Bearer metrics-token-0123456789")],
        )
        .await;
    assert!(r.body.contains("http_requests_total"), "{}", r.body);
    assert!(r.body.contains("route=\"/{lang}/\""));
    assert!(r.body.contains("hromada_outbox_backlog 0"));
}
