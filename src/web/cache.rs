//! Public pages as anonymous visitors see them, kept rendered and compressed.
//!
//! Every `GET` route open to the public is served through [`serve`] unless it opts out
//! ([`crate::web::routes::Route::uncached`]: secret links, forms that carry a one-time token,
//! health checks). For a visitor who is not signed in, the page is looked up by language, path
//! and query; a miss renders it as usual and keeps the body with an `ETag`. Its brotli and gzip
//! forms are made once each, when a visitor first asks for that encoding (a browser asks for
//! brotli, so a miss costs the rendering and one compression), and the next visitors get the
//! bytes their browser asks for, or a `304`.
//!
//! **Nothing personal is kept.** A page is rendered for the cache without the visitor's CSRF
//! token; its forms (the club application, the digest subscription, signing in) are protected by
//! the browser's `Sec-Fetch-Site` or `Origin` header instead (see [`crate::web::csrf`]). A
//! response that sets a cookie, or is not a plain `200`, is not kept.
//!
//! **Fresh across instances.** Every audited change to something a public page may show raises
//! `public_revision` in the same transaction (a trigger on `audit_log`, migration 0029; on
//! PostgreSQL it runs at commit, so the counter is locked only for an instant). Each instance
//! reads the counter at most every `page_cache_ms` and starts over when it moved, and reads it
//! at once after it handled a change itself ([`PageCache::touch`]), so its own writes show on
//! the next request. Entries also expire after [`MAX_AGE`], for anything that changes with time.
//!
//! **Bounded.** Entries are weighed by their bytes, counting the compressed forms at the most
//! they can be (each is kept only when smaller than the page); the cache holds at most
//! `page_cache_mb` and evicts the least useful first. Bodies over [`MAX_BODY`] are not kept.

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use axum::body::HttpBody as _;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::Ctx;
use crate::db::Db;
use crate::state::AppState;

/// Entries older than this are rendered again even when nothing was audited.
pub const MAX_AGE: Duration = Duration::from_secs(60);
/// Larger bodies (whole-registry exports) are served as they are, not kept.
pub const MAX_BODY: usize = 4 * 1024 * 1024;
/// Bodies smaller than this are not worth compressing.
const MIN_COMPRESS: usize = 256;

/// A response marked so: it is shared by every anonymous visitor, so no per-visitor cookie may
/// be added to it on the way out.
#[derive(Clone, Copy, Debug)]
pub struct Shared;

/// One kept response.
pub struct Entry {
    headers: HeaderMap,
    etag: HeaderValue,
    identity: Bytes,
    /// Whether the content type is worth compressing.
    compressible: bool,
    /// Each made on first demand; `None` when it would not be smaller.
    gzip: OnceLock<Option<Bytes>>,
    brotli: OnceLock<Option<Bytes>>,
    made: Instant,
}

#[derive(Clone)]
struct Weigh;

impl quick_cache::Weighter<String, Arc<Entry>> for Weigh {
    fn weight(&self, key: &String, entry: &Arc<Entry>) -> u64 {
        // The compressed forms come later and each is kept only when smaller than the page:
        // three times the page bounds all three.
        let bodies = entry.identity.len() * if entry.compressible { 3 } else { 1 };
        (key.len() + bodies + 256) as u64
    }
}

/// When the kept pages were last compared with the database.
#[derive(Default)]
struct Freshness {
    checked_at: Option<Instant>,
    revision: Option<i64>,
}

pub struct PageCache {
    entries: quick_cache::sync::Cache<String, Arc<Entry>, Weigh>,
    freshness: std::sync::Mutex<Freshness>,
    /// Raised whenever the entries are dropped, so a page rendered from older data is not kept.
    generation: AtomicU64,
    check_every: Duration,
}

impl PageCache {
    /// A cache of at most `megabytes` that asks the database for changes at most every
    /// `check_every` (zero: on every request).
    pub fn new(megabytes: u64, check_every: Duration) -> PageCache {
        let bytes = megabytes.max(1) * 1024 * 1024;
        PageCache {
            entries: quick_cache::sync::Cache::with_weighter(
                (bytes / (16 * 1024)) as usize,
                bytes,
                Weigh,
            ),
            freshness: Default::default(),
            generation: AtomicU64::new(0),
            check_every,
        }
    }

    fn freshness(&self) -> std::sync::MutexGuard<'_, Freshness> {
        self.freshness.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Compares with the database when due; drops every entry when something changed.
    /// Returns the generation a page rendered now belongs to.
    async fn fresh(&self, db: &Db) -> sqlx::Result<u64> {
        let due = {
            let mut f = self.freshness();
            let due = f.checked_at.is_none_or(|t| t.elapsed() >= self.check_every);
            if due {
                // Claimed: requests arriving meanwhile use what is kept.
                f.checked_at = Some(Instant::now());
            }
            due
        };
        if due {
            let revision = match revision(db).await {
                Ok(r) => r,
                Err(e) => {
                    self.freshness().checked_at = None;
                    return Err(e);
                }
            };
            let mut f = self.freshness();
            if f.revision != Some(revision) {
                f.revision = Some(revision);
                self.drop_all();
            }
        }
        Ok(self.generation.load(Ordering::Acquire))
    }

    fn drop_all(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.entries.clear();
    }

    /// This instance changed something: compare with the database before the next answer.
    pub fn touch(&self) {
        self.freshness().checked_at = None;
    }

    /// Forgets every page at once (an operator's reload, a test).
    pub fn clear(&self) {
        self.drop_all();
        self.touch();
    }

    fn get(&self, key: &str) -> Option<Arc<Entry>> {
        self.entries.get(key).filter(|e| e.made.elapsed() < MAX_AGE)
    }

    fn put(&self, key: String, entry: Arc<Entry>, generation: u64) {
        self.entries.insert(key.clone(), entry);
        // Dropped while it was being rendered: it may hold what was just changed.
        if self.generation.load(Ordering::Acquire) != generation {
            self.entries.remove(&key);
        }
    }

    /// The bytes kept, for `/metrics`.
    pub fn weight(&self) -> u64 {
        self.entries.weight()
    }
}

/// The counter the audit trigger raises (migration 0029).
async fn revision(db: &Db) -> sqlx::Result<i64> {
    let r: Option<i64> = crate::on_db!(db, c => sqlx::query_scalar(
        "SELECT revision FROM public_revision WHERE id = 1").fetch_optional(c).await)?;
    Ok(r.unwrap_or(0))
}

/// The route layer of public `GET` routes: answers anonymous visitors from the cache.
pub async fn serve(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return next.run(req).await;
    }
    let key = match req.extensions().get::<Ctx>() {
        Some(ctx) if ctx.principal.is_none() && !ctx.bearer && ctx.problem.is_none() => {
            format!("{}|{}", ctx.lang.code(), ctx.path_and_query)
        }
        _ => return next.run(req).await,
    };
    let generation = match state.pages.fresh(&state.db).await {
        Ok(g) => g,
        Err(e) => {
            tracing::warn!(error = %e, "page cache: cannot read the revision; serving uncached");
            return next.run(req).await;
        }
    };
    let wants = Wants::of(req.headers());
    if let Some(entry) = state.pages.get(&key) {
        metrics::counter!("hromada_page_cache_total", "result" => "hit").increment(1);
        return entry.respond(&wants);
    }
    metrics::counter!("hromada_page_cache_total", "result" => "miss").increment(1);
    // Rendered for everyone: without this visitor's token.
    if let Some(ctx) = req.extensions_mut().get_mut::<Ctx>() {
        ctx.csrf.clear();
    }
    let response = next.run(req).await;
    if !keepable(&response) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        // `keepable` saw an exact size within the bound, so this is a body that failed.
        Err(e) => {
            tracing::warn!(error = %e, "page cache: the body could not be read");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let entry = Arc::new(Entry::new(parts.headers, bytes));
    state.pages.put(key, entry.clone(), generation);
    entry.respond(&wants)
}

/// The route layer of state-changing routes: after this instance handled a change, its cache
/// compares with the database before the next answer.
pub async fn after_change(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    state.pages.touch();
    response
}

/// A plain `200` with a known, bounded size and no cookie.
fn keepable(response: &Response) -> bool {
    response.status() == StatusCode::OK
        && !response.headers().contains_key(header::SET_COOKIE)
        && !response.headers().contains_key(header::CONTENT_ENCODING)
        && response
            .body()
            .size_hint()
            .exact()
            .is_some_and(|n| n as usize <= MAX_BODY)
}

fn compressible(headers: &HeaderMap) -> bool {
    let kind = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    kind.starts_with("text/")
        || ["json", "xml", "javascript", "svg", "csv"]
            .iter()
            .any(|k| kind.contains(k))
}

/// gzip for clients without brotli: level 6, zlib's default.
fn gzip(bytes: &[u8]) -> Option<Bytes> {
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(bytes.len() / 4),
        flate2::Compression::new(6),
    );
    encoder.write_all(bytes).ok()?;
    encoder.finish().ok().map(Bytes::from)
}

/// Brotli at quality 4: on the largest page (Crimea's, 77 KB) about a third less work than
/// quality 5 for a body 3 % larger (docs/BENCHMARKS.md).
fn brotli(bytes: &[u8]) -> Option<Bytes> {
    let mut out = Vec::with_capacity(bytes.len() / 4);
    let params = brotli::enc::BrotliEncoderParams {
        quality: 4,
        lgwin: 20,
        size_hint: bytes.len(),
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).ok()?;
    Some(Bytes::from(out))
}

impl Entry {
    fn new(mut headers: HeaderMap, identity: Bytes) -> Entry {
        headers.remove(header::CONTENT_LENGTH);
        let compressible = compressible(&headers) && identity.len() >= MIN_COMPRESS;
        let digest = <sha2::Sha256 as sha2::Digest>::digest(&identity);
        let etag = HeaderValue::from_str(&format!("W/\"{}\"", hex::encode(&digest[..12])))
            .unwrap_or(HeaderValue::from_static("W/\"0\""));
        if !headers.contains_key(header::CACHE_CONTROL) {
            // Browsers keep the page but ask again each time; the ETag makes that a 304.
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        }
        headers.insert(
            header::VARY,
            HeaderValue::from_static("Accept-Encoding, Cookie"),
        );
        Entry {
            headers,
            etag,
            identity,
            compressible,
            gzip: OnceLock::new(),
            brotli: OnceLock::new(),
            made: Instant::now(),
        }
    }

    /// The brotli body, made on the first request that asks for it; `None` when not asked for
    /// or not worth it.
    fn brotli(&self, wants: &Wants) -> Option<Bytes> {
        self.encoded(&self.brotli, wants.brotli, brotli)
    }

    /// The gzip body, likewise; asked only when brotli is not sent.
    fn gzip(&self, wants: &Wants) -> Option<Bytes> {
        self.encoded(&self.gzip, wants.gzip, gzip)
    }

    /// One compressed form, made once with `make` and kept only when smaller than the page.
    fn encoded(
        &self,
        kept: &OnceLock<Option<Bytes>>,
        asked: bool,
        make: fn(&[u8]) -> Option<Bytes>,
    ) -> Option<Bytes> {
        if !asked || !self.compressible {
            return None;
        }
        kept.get_or_init(|| make(&self.identity).filter(|b| b.len() < self.identity.len()))
            .clone()
    }

    fn respond(&self, wants: &Wants) -> Response {
        let mut response = if wants.matches(&self.etag) {
            let mut r = StatusCode::NOT_MODIFIED.into_response();
            for name in [header::CACHE_CONTROL, header::VARY] {
                if let Some(v) = self.headers.get(&name) {
                    r.headers_mut().insert(name, v.clone());
                }
            }
            r
        } else {
            let (body, encoding) = if let Some(b) = self.brotli(wants) {
                (b, Some("br"))
            } else if let Some(g) = self.gzip(wants) {
                (g, Some("gzip"))
            } else {
                (self.identity.clone(), None)
            };
            let mut r = Response::new(Body::from(body));
            *r.headers_mut() = self.headers.clone();
            if let Some(e) = encoding {
                r.headers_mut()
                    .insert(header::CONTENT_ENCODING, HeaderValue::from_static(e));
            }
            r
        };
        response
            .headers_mut()
            .insert(header::ETAG, self.etag.clone());
        response.extensions_mut().insert(Shared);
        response
    }
}

/// What the request accepts: encodings and the tags it already holds.
struct Wants {
    brotli: bool,
    gzip: bool,
    if_none_match: Option<String>,
}

impl Wants {
    fn of(headers: &HeaderMap) -> Wants {
        let accept = headers
            .get(header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        Wants {
            brotli: accepts(accept, "br"),
            gzip: accepts(accept, "gzip"),
            if_none_match: headers
                .get(header::IF_NONE_MATCH)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string),
        }
    }

    /// Weak comparison (RFC 9110 §13.1.2): `*` or any listed tag with the same opaque value.
    fn matches(&self, etag: &HeaderValue) -> bool {
        let Some(list) = &self.if_none_match else {
            return false;
        };
        let ours = opaque(etag.to_str().unwrap_or_default());
        list.split(',')
            .map(str::trim)
            .any(|t| t == "*" || opaque(t) == ours)
    }
}

fn opaque(tag: &str) -> &str {
    tag.strip_prefix("W/").unwrap_or(tag)
}

/// Whether an `Accept-Encoding` value accepts `coding` (named, with a weight above zero).
fn accepts(header: &str, coding: &str) -> bool {
    header.split(',').any(|part| {
        let mut pieces = part.split(';').map(str::trim);
        let name = pieces.next().unwrap_or_default();
        if !name.eq_ignore_ascii_case(coding) {
            return false;
        }
        pieces
            .filter_map(|p| p.strip_prefix("q="))
            .all(|q| q.parse::<f32>().is_ok_and(|q| q > 0.0))
    })
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    #[test]
    fn accept_encoding_is_read_with_its_weights() {
        assert!(accepts("gzip, deflate, br, zstd", "br"));
        assert!(accepts("gzip;q=0.5, br;q=1.0", "gzip"));
        assert!(!accepts("gzip;q=0, br", "gzip"));
        assert!(!accepts("gzip;q=0.000", "gzip"));
        assert!(!accepts("identity", "br"));
        assert!(!accepts("", "gzip"));
        assert!(!accepts("brotli", "br"));
    }

    #[test]
    fn if_none_match_compares_weakly() {
        let tag = HeaderValue::from_static("W/\"abc\"");
        let wants = |v: &str| Wants {
            brotli: false,
            gzip: false,
            if_none_match: Some(v.into()),
        };
        assert!(wants("W/\"abc\"").matches(&tag));
        assert!(wants("\"abc\"").matches(&tag));
        assert!(wants("\"x\", W/\"abc\"").matches(&tag));
        assert!(wants("*").matches(&tag));
        assert!(!wants("\"abd\"").matches(&tag));
    }

    #[test]
    fn kept_bodies_are_compressed_on_demand_and_only_when_it_pays() {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
        let page = "<p>Громада</p>".repeat(200);
        let entry = Entry::new(headers.clone(), Bytes::from(page.clone()));
        let plain_wants = Wants {
            brotli: false,
            gzip: false,
            if_none_match: None,
        };
        let both = Wants {
            brotli: true,
            gzip: true,
            if_none_match: None,
        };
        let gzip_only = Wants {
            brotli: false,
            gzip: true,
            if_none_match: None,
        };
        assert!(entry.brotli(&plain_wants).is_none() && entry.gzip(&plain_wants).is_none());
        assert!(entry.brotli.get().is_none() && entry.gzip.get().is_none());
        // A browser gets brotli, and the gzip form is not made for it.
        let r = entry.respond(&both);
        assert_eq!(r.headers()[header::CONTENT_ENCODING], "br");
        assert!(entry.gzip.get().is_none());
        let mut plain = Vec::new();
        let br = entry.brotli(&both).expect("br");
        brotli::BrotliDecompress(&mut &br[..], &mut plain).expect("unbrotli");
        assert_eq!(plain, page.as_bytes());
        let r = entry.respond(&gzip_only);
        assert_eq!(r.headers()[header::CONTENT_ENCODING], "gzip");
        let mut plain = Vec::new();
        flate2::read::GzDecoder::new(&entry.gzip(&gzip_only).expect("gzip")[..])
            .read_to_end(&mut plain)
            .expect("gunzip");
        assert_eq!(plain, page.as_bytes());
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/webp"));
        let image = Entry::new(headers, Bytes::from(page));
        assert!(image.brotli(&both).is_none() && image.gzip(&both).is_none());
        let r = image.respond(&both);
        assert!(r.headers().get(header::CONTENT_ENCODING).is_none());
    }
}
