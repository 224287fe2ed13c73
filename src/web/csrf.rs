//! CSRF protection for every state-changing request made with cookies.
//!
//! A request whose browser says it came from one of our own pages (`Sec-Fetch-Site:
//! same-origin`, or an `Origin` equal to the base URL's) passes; one whose browser says it came
//! from elsewhere is refused. Without those headers, the token decides:
//! each browser gets a random `hromada_csrf` cookie (HttpOnly, SameSite=Lax); every form
//! carries the same value in a hidden `csrf` field, and scripts send it as `X-CSRF-Token`.
//! Another site can make the browser send the cookie but cannot read it, so it cannot fill in
//! the field. File uploads (multipart forms) carry it in the form action's query string.
//! Requests with a bearer token are exempt, and so are API requests that carry none of our
//! cookies: a forged cross-site request can only do harm through the cookies the browser adds, and
//! a request without any acts as nobody. (Pages are not exempted this way: a cookie-less
//! cross-site POST to the login form would sign the victim's browser into the attacker's
//! account.)

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::Ctx;
use crate::error::AppError;
use crate::state::AppState;

pub const FIELD: &str = "csrf";
pub const HEADER: &str = "x-csrf-token";

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub async fn check(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let Some(ctx) = req.extensions().get::<Ctx>().cloned() else {
        return AppError::Csrf.into_response();
    };
    // RFC 8058 one-click unsubscribe: mail clients post without cookies; the secret in the
    // address is the proof, and the action can only take the address's owner off the list.
    if ctx.bearer || req.uri().path().starts_with("/unsubscribe/") {
        return next.run(req).await;
    }
    // "No cookie" means none of ours: a load balancer's sticky cookie proves nothing either way.
    let cookieless = [super::context::SESSION_COOKIE, super::context::CSRF_COOKIE]
        .iter()
        .all(|name| super::context::cookie(req.headers(), name).is_none());
    if cookieless && ctx.is_api && ctx.principal.is_none() {
        return next.run(req).await;
    }
    // The browser says where the request came from (Fetch Metadata; `Origin` for browsers
    // older than it). Either is enough on its own (OWASP), and it is what protects the forms of
    // cached public pages, which carry no per-visitor token. A request from another site is
    // refused whatever it carries; one without the headers needs the token.
    match from_our_pages(req.headers(), &state.settings.base_url) {
        Some(true) => return next.run(req).await,
        Some(false) => return AppError::Csrf.into_response(),
        None => {}
    }
    // The cookie must have come with the request: a freshly minted one proves nothing.
    let cookie_sent = super::context::cookie(req.headers(), super::context::CSRF_COOKIE)
        == Some(ctx.csrf.as_str());
    if !cookie_sent {
        return AppError::Csrf.into_response();
    }
    if let Some(sent) = req.headers().get(HEADER).and_then(|v| v.to_str().ok()) {
        return if constant_time_eq(sent.as_bytes(), ctx.csrf.as_bytes()) {
            next.run(req).await
        } else {
            AppError::Csrf.into_response()
        };
    }
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    // A file upload's body is streamed to the handler unread, so its form carries the token in
    // its action's query string instead (`?csrf=…`); the Referrer-Policy keeps it on-site.
    if content_type.starts_with("multipart/form-data") {
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(req.uri().query().unwrap_or_default()).unwrap_or_default();
        let token = pairs.into_iter().find(|(k, _)| k == FIELD).map(|(_, v)| v);
        return if token.is_some_and(|t| constant_time_eq(t.as_bytes(), ctx.csrf.as_bytes())) {
            next.run(req).await
        } else {
            AppError::Csrf.into_response()
        };
    }
    let is_form = content_type.starts_with("application/x-www-form-urlencoded");
    if !is_form {
        return AppError::Csrf.into_response();
    }
    // Read the form to find the field, then hand the same bytes on to the handler.
    let (parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(body, state.settings.max_body_bytes).await {
        Ok(b) => b,
        Err(_) => return axum::http::StatusCode::PAYLOAD_TOO_LARGE.into_response(),
    };
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
    let token = pairs.into_iter().find(|(k, _)| k == FIELD).map(|(_, v)| v);
    if !token.is_some_and(|t| constant_time_eq(t.as_bytes(), ctx.csrf.as_bytes())) {
        return AppError::Csrf.into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// Whether the browser says the request came from one of our own pages: `Some(true)` or
/// `Some(false)` when it says so, `None` when it says nothing (an old browser, a script).
fn from_our_pages(headers: &axum::http::HeaderMap, base_url: &str) -> Option<bool> {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    match text("sec-fetch-site") {
        // `none` is the visitor's own doing (a bookmark, the address bar): the token decides.
        Some("none") => None,
        Some(site) => Some(site == "same-origin"),
        None => text(header::ORIGIN.as_str()).map(|origin| {
            url::Url::parse(base_url)
                .is_ok_and(|ours| ours.origin().ascii_serialization() == origin)
        }),
    }
}

#[cfg(test)]
mod tests {
    use axum::http::{HeaderMap, HeaderValue};

    use super::from_our_pages;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| (k.parse().expect("header name"), HeaderValue::from_static(v)))
            .collect()
    }

    #[test]
    fn the_browser_tells_where_a_request_came_from() {
        let base = "https://hromada.example";
        let says = |pairs| from_our_pages(&headers(pairs), base);
        assert_eq!(says(&[("sec-fetch-site", "same-origin")]), Some(true));
        assert_eq!(says(&[("sec-fetch-site", "cross-site")]), Some(false));
        assert_eq!(says(&[("sec-fetch-site", "same-site")]), Some(false));
        assert_eq!(says(&[("sec-fetch-site", "none")]), None);
        // Fetch Metadata wins over Origin.
        assert_eq!(
            says(&[
                ("sec-fetch-site", "cross-site"),
                ("origin", "https://hromada.example")
            ]),
            Some(false)
        );
        assert_eq!(says(&[("origin", "https://hromada.example")]), Some(true));
        assert_eq!(
            says(&[("origin", "https://hromada.example.evil")]),
            Some(false)
        );
        assert_eq!(says(&[("origin", "http://hromada.example")]), Some(false));
        assert_eq!(says(&[("origin", "null")]), Some(false));
        assert_eq!(says(&[]), None);
    }
}
