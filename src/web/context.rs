//! Per-request context: who is asking (session cookie or bearer token), the CSRF cookie, the
//! language and the client address. Resolved once, before routing, by [`resolve`].

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::error::AppError;
use crate::i18n::Lang;
use crate::identity::Principal;
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "hromada_session";
pub const CSRF_COOKIE: &str = "hromada_csrf";

/// What went wrong while finding out who is asking; the error renderer answers with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentityProblem {
    InvalidToken,
    Internal,
}

#[derive(Debug, Clone)]
pub struct Ctx {
    pub principal: Option<Principal>,
    pub problem: Option<IdentityProblem>,
    pub csrf: String,
    pub lang: Lang,
    pub ip: String,
    /// Path and query, for the language switch and the login redirect.
    pub path_and_query: String,
    pub is_api: bool,
    pub bearer: bool,
}

impl Ctx {
    pub fn actor(&self) -> Option<crate::work::Actor> {
        self.principal
            .as_ref()
            .map(|p| crate::work::Actor::of(p, &self.ip))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Ctx, AppError> {
        parts
            .extensions
            .get::<Ctx>()
            .cloned()
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("context middleware missing")))
    }
}

/// The signed-in account acting in this request, for the audit log and the use cases: a
/// handler that takes an `Actor` instead of spelling out `Actor::of(principal, ip)` answers a
/// request without a principal as every handler does, with [`AppError::LoginRequired`] (401).
impl<S: Send + Sync> FromRequestParts<S> for crate::work::Actor {
    type Rejection = AppError;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &S,
    ) -> Result<crate::work::Actor, AppError> {
        Ctx::from_request_parts(parts, state)
            .await?
            .actor()
            .ok_or(AppError::LoginRequired)
    }
}

/// The language of a page route: the first path segment, `uk` or `en`; anything else is 404.
impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Lang, AppError> {
        let first = parts
            .uri
            .path()
            .trim_start_matches('/')
            .split('/')
            .next()
            .unwrap_or_default();
        Lang::parse(first).ok_or(AppError::NotFound)
    }
}

/// The client address for rate limits and the audit log.
#[derive(Debug, Clone)]
pub struct ClientIp(pub String);

pub fn cookie<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The client address. Behind trusted proxies, each proxy appends the address it was
/// reached from to `X-Forwarded-For`, so the entry `hops` places from the right is the one
/// our outermost trusted proxy saw; everything left of it was written by the client and is
/// ignored. A header with fewer entries than hops, or a value that is not an address, falls
/// back to the connection's own peer (the proxy).
pub fn client_ip(req: &Request, trust_proxy: bool, hops: u8) -> String {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ci| ci.0.ip().to_string())
        .unwrap_or_default();
    if !trust_proxy || hops == 0 {
        return peer;
    }
    // Several headers count as one list, in order (RFC 9110, 5.3).
    let entries: Vec<&str> = req
        .headers()
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let Some(index) = entries.len().checked_sub(usize::from(hops)) else {
        return peer;
    };
    parse_forwarded(entries[index]).unwrap_or_else(|| {
        tracing::warn!(entry = %entries[index], "the trusted X-Forwarded-For entry is not an address; using the proxy's");
        peer
    })
}

/// An address as proxies write it: `192.0.2.5`, `192.0.2.5:4711`, `2001:db8::1` or
/// `[2001:db8::1]:4711`.
fn parse_forwarded(entry: &str) -> Option<String> {
    if let Ok(ip) = entry.parse::<std::net::IpAddr>() {
        return Some(ip.to_string());
    }
    if let Ok(sock) = entry.parse::<SocketAddr>() {
        return Some(sock.ip().to_string());
    }
    entry
        .strip_prefix('[')
        .and_then(|e| e.strip_suffix(']'))
        .and_then(|e| e.parse::<std::net::Ipv6Addr>().ok())
        .map(|ip| ip.to_string())
}

pub fn lang_of_path(path: &str) -> Option<Lang> {
    Lang::parse(
        path.trim_start_matches('/')
            .split('/')
            .next()
            .unwrap_or_default(),
    )
}

fn looks_like_secret(s: &str) -> bool {
    (20..=100).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

pub async fn resolve(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let is_api = path.starts_with("/api/");
    let accept = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    let lang = lang_of_path(&path).unwrap_or_else(|| Lang::from_accept_language(accept));
    let ip = client_ip(
        &req,
        state.settings.trust_proxy,
        state.settings.trusted_proxies,
    );
    let now = crate::clock::now();

    let mut principal = None;
    let mut problem = None;
    // The metrics scraper's bearer token is its own (`ops::metrics` checks it), not an account's.
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .filter(|_| path != "/metrics")
        .and_then(|v| v.to_str().ok())
        .map(|v| v.strip_prefix("Bearer ").unwrap_or("").trim().to_string());
    let lookup = state.part::<crate::identity::Lookup>();
    if let Some(token) = &bearer {
        let found = match lookup.by_token {
            Some(find) => find(&state.db, &crate::secrets::secret_hash(token), now).await,
            None => Ok(None),
        };
        match found {
            Ok(Some(p)) if !token.is_empty() => principal = Some(p),
            Ok(_) => problem = Some(IdentityProblem::InvalidToken),
            Err(e) => {
                tracing::error!(error = %e, "token lookup failed");
                problem = Some(IdentityProblem::Internal);
            }
        }
    } else if let Some(token) =
        cookie(req.headers(), SESSION_COOKIE).filter(|t| looks_like_secret(t))
    {
        let lifetime = chrono::Duration::days(i64::from(state.settings.session_days));
        let found = match lookup.by_session {
            Some(find) => {
                find(
                    &state.db,
                    &crate::secrets::secret_hash(token),
                    now,
                    lifetime,
                )
                .await
            }
            None => Ok(None),
        };
        match found {
            Ok(p) => principal = p,
            Err(e) => {
                tracing::error!(error = %e, "session lookup failed");
                problem = Some(IdentityProblem::Internal);
            }
        }
    }

    let existing_csrf = cookie(req.headers(), CSRF_COOKIE)
        .filter(|t| looks_like_secret(t))
        .map(str::to_string);
    let new_csrf = existing_csrf
        .is_none()
        .then(|| crate::secrets::new_secret(""));
    let csrf = existing_csrf
        .or_else(|| new_csrf.clone())
        .unwrap_or_default();
    let path_and_query = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or(path);
    let ctx = Ctx {
        principal,
        problem,
        csrf,
        lang,
        ip: ip.clone(),
        path_and_query,
        is_api,
        bearer: bearer.is_some(),
    };
    req.extensions_mut().insert(ctx);
    req.extensions_mut().insert(ClientIp(ip));

    let mut response = next.run(req).await;
    // A cached page is everyone's: its forms rely on the browser's same-origin headers instead.
    let shared = response
        .extensions()
        .get::<super::cache::Shared>()
        .is_some();
    if let Some(value) = new_csrf.filter(|_| !is_api && !shared) {
        let secure = if state.settings.secure_cookies() {
            "; Secure"
        } else {
            ""
        };
        let cookie = format!("{CSRF_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax{secure}");
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    response
}

/// `Set-Cookie` for a new session (or, with `None`, one that removes it).
pub fn session_cookie(state: &AppState, token: Option<&str>) -> HeaderValue {
    let secure = if state.settings.secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    let value = match token {
        Some(t) => format!(
            "{SESSION_COOKIE}={t}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
            u64::from(state.settings.session_days) * 86_400
        ),
        None => format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    };
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static(""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;

    fn request(forwarded: &[&str]) -> Request {
        let mut builder = Request::builder().uri("/");
        for f in forwarded {
            builder = builder.header("x-forwarded-for", *f);
        }
        let mut req = builder.body(Body::empty()).expect("request");
        req.extensions_mut()
            .insert(ConnectInfo(SocketAddr::from(([10, 0, 0, 1], 4000))));
        req
    }

    fn parts_with(principal: Option<Principal>) -> Parts {
        let mut req = Request::builder()
            .uri("/api/v1/jobs/1/retry")
            .body(Body::empty())
            .expect("request");
        req.extensions_mut().insert(Ctx {
            principal,
            problem: None,
            csrf: String::new(),
            lang: Lang::Uk,
            ip: "192.0.2.5".into(),
            path_and_query: "/api/v1/jobs/1/retry".into(),
            is_api: true,
            bearer: true,
        });
        req.into_parts().0
    }

    #[tokio::test]
    async fn the_actor_is_the_signed_in_account_with_the_address() {
        let principal = Principal {
            user: crate::identity::User {
                id: 7,
                email: "admin@example.org".into(),
                display_name: "Admin".into(),
                lang: "uk".into(),
                email_verified: true,
                totp_enrolled: true,
                is_demo: false,
            },
            roles: Vec::new(),
            via: crate::identity::Via::Token {
                id: 3,
                second_factor_done: true,
            },
        };
        let actor = crate::work::Actor::from_request_parts(&mut parts_with(Some(principal)), &())
            .await
            .expect("an actor");
        assert_eq!(actor.user_id, Some(7));
        assert_eq!(actor.token_id, Some(3));
        assert_eq!(actor.label, "admin@example.org (token 3)");
        assert_eq!(actor.ip, "192.0.2.5");
    }

    #[tokio::test]
    async fn without_an_account_the_actor_is_refused_as_login_required() {
        let refused = crate::work::Actor::from_request_parts(&mut parts_with(None), &()).await;
        assert!(
            matches!(refused, Err(AppError::LoginRequired)),
            "{refused:?}"
        );
    }

    #[test]
    fn the_address_is_the_one_the_trusted_proxies_appended() {
        let cases: &[(&[&str], u8, &str)] = &[
            (&["192.0.2.5"], 1, "192.0.2.5"),
            (&["6.6.6.6, 192.0.2.5"], 1, "192.0.2.5"),
            (&["6.6.6.6", "192.0.2.5"], 1, "192.0.2.5"),
            (&["6.6.6.6, 192.0.2.5, 10.0.0.2"], 2, "192.0.2.5"),
            (&["2001:db8::1"], 1, "2001:db8::1"),
            (&["6.6.6.6, 192.0.2.5:4711"], 1, "192.0.2.5"),
            (&["[2001:db8::1]:4711"], 1, "2001:db8::1"),
            (&["[2001:db8::1]"], 1, "2001:db8::1"),
            // Fewer entries than proxies, garbage, or nothing: the peer (the proxy) itself.
            (&["192.0.2.5"], 2, "10.0.0.1"),
            (&["6.6.6.6, not-an-address"], 1, "10.0.0.1"),
            (&[], 1, "10.0.0.1"),
        ];
        for (headers, hops, want) in cases {
            assert_eq!(
                client_ip(&request(headers), true, *hops),
                *want,
                "{headers:?} {hops}"
            );
        }
        // Without a trusted proxy the header is ignored.
        assert_eq!(client_ip(&request(&["192.0.2.5"]), false, 1), "10.0.0.1");
    }
}
