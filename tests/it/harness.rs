//! `TestApp`: a router on a fresh database, a cookie jar, and helpers to sign in as any role.

use std::collections::HashMap;
use std::str::FromStr;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use hromada::auth::actions;
use hromada::config::Settings;
use hromada::db::Db;
use hromada::i18n::Lang;
use hromada::identity::Role;
use hromada::state::AppState;
use hromada::work::Actor;
use tower::ServiceExt;

pub const PASSWORD: &str = "correct horse battery staple";

pub struct Response {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
    /// The body as it came, for images and other binary answers.
    pub bytes: Vec<u8>,
}

impl Response {
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn html(&self) -> scraper::Html {
        scraper::Html::parse_document(&self.body)
    }

    /// The fields an API error names (`error.fields[].field`), in order.
    pub fn error_fields(&self) -> Vec<String> {
        self.json()["error"]["fields"]
            .as_array()
            .map(|fields| {
                fields
                    .iter()
                    .filter_map(|f| f["field"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Text of the elements matching `selector`, joined with newlines.
    pub fn text(&self, selector: &str) -> String {
        let sel = scraper::Selector::parse(selector).expect("selector");
        self.html()
            .select(&sel)
            .map(|e| e.text().collect::<String>())
            .collect::<Vec<_>>()
            .join("\n")
    }

    pub fn count(&self, selector: &str) -> usize {
        let sel = scraper::Selector::parse(selector).expect("selector");
        self.html().select(&sel).count()
    }
}

pub struct TestApp {
    pub state: AppState,
    router: Router,
    pub cookies: HashMap<String, String>,
    pub bearer: Option<String>,
    _dir: Option<tempfile::TempDir>,
}

/// The PostgreSQL server under test, from the environment; `None` runs the suite on SQLite.
pub fn pg_server() -> Option<String> {
    std::env::var("HROMADA_TEST_DATABASE_URL")
        .ok()
        .filter(|u| u.starts_with("postgres"))
}

/// This test process's own database on the server under test; each test makes a schema in it.
pub fn pg_url() -> Option<String> {
    let server = pg_server()?;
    Some(run_database(&server).unwrap_or_else(|e| panic!("PostgreSQL at {server}: {e}")))
}

/// A database of this test process's own on the PostgreSQL server at `server` (made on first
/// use, and held open by one connection while the process lives), as a URL. A run leaves some
/// hundred schemas behind; they go with their database when a later run finds it unused, so
/// the server's catalogue does not grow with every run. An error says the server is unreachable.
pub fn run_database(server: &str) -> Result<String, String> {
    static RUN: std::sync::OnceLock<Result<String, String>> = std::sync::OnceLock::new();
    RUN.get_or_init(|| {
        let server = server.to_string();
        let (sender, answer) = std::sync::mpsc::channel();
        // A thread and runtime of its own keep the connection alive between tests' runtimes.
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async move {
                let held = match open_run_database(&server).await {
                    Ok((url, connection)) => {
                        let _ = sender.send(Ok(url));
                        Some(connection)
                    }
                    Err(e) => {
                        let _ = sender.send(Err(e));
                        None
                    }
                };
                std::future::pending::<()>().await;
                drop(held);
            });
        });
        answer.recv().map_err(|e| e.to_string())?
    })
    .clone()
}

/// Test databases are named `hromada_it_<unix seconds>_<process id>`.
const RUN_PREFIX: &str = "hromada_it_";

async fn open_run_database(server: &str) -> Result<(String, sqlx::PgConnection), String> {
    use sqlx::Connection;
    let mut admin = sqlx::PgConnection::connect(server)
        .await
        .map_err(|e| e.to_string())?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let unused: Vec<String> = sqlx::query_scalar(
        "SELECT datname FROM pg_database d WHERE starts_with(datname, $1) \
         AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)",
    )
    .bind(RUN_PREFIX)
    .fetch_all(&mut admin)
    .await
    .map_err(|e| e.to_string())?;
    for name in unused {
        // A run holds its database from a moment after making it: leave the young ones.
        let made: u64 = name[RUN_PREFIX.len()..]
            .split('_')
            .next()
            .and_then(|t| t.parse().ok())
            .unwrap_or(0);
        if now.saturating_sub(made) > 60 {
            let drop = format!("DROP DATABASE IF EXISTS \"{name}\"");
            if let Err(e) = sqlx::query(sqlx::AssertSqlSafe(drop))
                .execute(&mut admin)
                .await
            {
                eprintln!("leaving test database {name}: {e}");
            }
        }
    }
    let name = format!("{RUN_PREFIX}{now}_{}", std::process::id());
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await
        .map_err(|e| e.to_string())?;
    admin.close().await.map_err(|e| e.to_string())?;
    let url = with_database(server, &name);
    let held = sqlx::PgConnection::connect(&url)
        .await
        .map_err(|e| e.to_string())?;
    Ok((url, held))
}

/// `url` naming the database `name` instead of its own (query options kept).
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let host_start = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[host_start..]
        .find('/')
        .map_or(base.len(), |i| host_start + i);
    let mut out = format!("{}/{name}", &base[..host_end]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

#[test]
fn a_url_names_another_database() {
    assert_eq!(
        with_database("postgres://u:p@h:5432/postgres", "x"),
        "postgres://u:p@h:5432/x"
    );
    assert_eq!(
        with_database("postgres://h/db?sslmode=disable", "x"),
        "postgres://h/x?sslmode=disable"
    );
    assert_eq!(with_database("postgres://h", "x"), "postgres://h/x");
}

pub async fn fresh_db() -> (Db, Option<tempfile::TempDir>) {
    match pg_url() {
        Some(url) => (fresh_pg(&url).await.0, None),
        None => {
            let (db, dir) = fresh_sqlite().await;
            (db, Some(dir))
        }
    }
}

/// A migrated SQLite database in a new temporary directory.
pub async fn fresh_sqlite() -> (Db, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = Db::connect(&sqlite_url(&dir, "test.db"), 5)
        .await
        .expect("connect");
    db.migrate().await.expect("migrate");
    (db, dir)
}

pub fn sqlite_url(dir: &tempfile::TempDir, file: &str) -> String {
    format!("sqlite://{}", dir.path().join(file).display())
}

/// A migrated PostgreSQL schema of its own; also returns a URL that selects it, for the CLI.
pub async fn fresh_pg(url: &str) -> (Db, String) {
    let suffix: String = hromada::secrets::new_secret("")
        .to_lowercase()
        .replace(['-', '_'], "")
        .chars()
        .take(16)
        .collect();
    let schema = format!("t_{suffix}");
    let admin = Db::connect(url, 1).await.expect("connect to PostgreSQL");
    if let Db::Pg(pool) = &admin {
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
            .execute(pool)
            .await
            .expect("schema");
    }
    admin.close().await;
    let options = sqlx::postgres::PgConnectOptions::from_str(url)
        .expect("url")
        .options([("search_path", schema.as_str())]);
    let db = Db::connect_pg(options, 5).await.expect("connect");
    db.migrate().await.expect("migrate");
    let separator = if url.contains('?') { '&' } else { '?' };
    let schema_url = format!("{url}{separator}options=-c%20search_path%3D{schema}");
    (db, schema_url)
}

pub fn test_settings() -> Settings {
    Settings {
        base_url: "http://hromada.test".into(),
        trust_proxy: true,
        // Tests change data behind the server's back (use cases called directly): the page
        // cache asks the database on every request. `cache.rs` tests the interval itself.
        page_cache_ms: 0,
        ..Settings::default()
    }
}

impl TestApp {
    pub async fn new() -> TestApp {
        TestApp::with_settings(test_settings()).await
    }

    pub async fn with_settings(settings: Settings) -> TestApp {
        let (db, dir) = fresh_db().await;
        TestApp::on(db, settings, dir)
    }

    /// A server on a database made elsewhere; `dir` is kept alive with it.
    pub fn on(db: Db, settings: Settings, dir: Option<tempfile::TempDir>) -> TestApp {
        // The suite seals with the key the binary runs get too, so a server started by a test
        // opens what the test wrote.
        hromada::secrets::install(
            hromada::secrets::Keyring::read(&test_key_file()).expect("test key"),
            Some(test_key_file()),
        )
        .expect("one key for the whole suite");
        let state = hromada::app::state(db, settings);
        let router = hromada::app::router(state.clone());
        TestApp {
            state,
            router,
            cookies: HashMap::new(),
            bearer: None,
            _dir: dir,
        }
    }

    /// Another browser on the same server and database, with no cookies.
    pub fn other_browser(&self) -> TestApp {
        TestApp {
            state: self.state.clone(),
            router: self.router.clone(),
            cookies: HashMap::new(),
            bearer: None,
            _dir: None,
        }
    }

    pub async fn request(
        &mut self,
        method: Method,
        path: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
        extra: &[(&str, &str)],
    ) -> Response {
        let mut builder = Request::builder().method(method).uri(path);
        // The address the (trusted) proxy saw, unless the test plays the proxy itself.
        if !extra
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("x-forwarded-for"))
        {
            builder = builder.header("x-forwarded-for", "198.51.100.7");
        }
        if !self.cookies.is_empty() {
            let cookie = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            builder = builder.header(header::COOKIE, cookie);
        }
        if let Some(token) = &self.bearer {
            builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        if let Some(ct) = content_type {
            builder = builder.header(header::CONTENT_TYPE, ct);
        }
        for (k, v) in extra {
            builder = builder.header(*k, *v);
        }
        let request = builder.body(Body::from(body)).expect("request");
        let method = request.method().clone();
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        for value in headers.get_all(header::SET_COOKIE) {
            let text = value.to_str().expect("cookie");
            let pair = text.split(';').next().unwrap_or_default();
            if let Some((k, v)) = pair.split_once('=') {
                if v.is_empty() || text.contains("Max-Age=0") {
                    self.cookies.remove(k);
                } else {
                    self.cookies.insert(k.to_string(), v.to_string());
                }
            }
        }
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("body");
        // Every API answer is what the OpenAPI document says it is, or the test fails here.
        let content_type = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        crate::conformance::check(&method, path, status, content_type, &bytes);
        Response {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
        }
    }

    pub async fn get(&mut self, path: &str) -> Response {
        self.request(Method::GET, path, None, Vec::new(), &[]).await
    }

    pub async fn csrf(&mut self) -> String {
        if !self.cookies.contains_key("hromada_csrf") {
            // A page kept out of the public cache: cached pages set no per-visitor cookie.
            self.get("/uk/login").await;
        }
        self.cookies
            .get("hromada_csrf")
            .cloned()
            .expect("csrf cookie")
    }

    /// Posts a form the way a browser does, with the CSRF field filled in.
    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Response {
        let csrf = self.csrf().await;
        let mut all: Vec<(&str, &str)> = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        let body = serde_urlencoded::to_string(&all).expect("form");
        self.request(
            Method::POST,
            path,
            Some("application/x-www-form-urlencoded"),
            body.into_bytes(),
            &[],
        )
        .await
    }

    /// Sends JSON; with cookies (no bearer token) it adds the CSRF header as a page script would.
    pub async fn send_json(
        &mut self,
        method: Method,
        path: &str,
        value: &serde_json::Value,
    ) -> Response {
        let csrf = if self.bearer.is_none() {
            self.csrf().await
        } else {
            String::new()
        };
        let extra: Vec<(&str, &str)> = if csrf.is_empty() {
            vec![]
        } else {
            vec![("x-csrf-token", csrf.as_str())]
        };
        self.request(
            method,
            path,
            Some("application/json"),
            value.to_string().into_bytes(),
            &extra,
        )
        .await
    }

    /// Creates an account with a password (no invitation mail).
    pub async fn create_user(&self, email: &str, role: Role, scope: &str) -> i64 {
        let account = actions::NewAccount {
            email: email.into(),
            display_name: format!("Test {}", role.code()),
            role,
            scope: scope.into(),
            lang: Lang::Uk,
            password: Some(PASSWORD.into()),
            email_verified: true,
            is_demo: false,
        };
        actions::create_account(&self.state, &Actor::system("test"), account)
            .await
            .expect("create user")
    }

    /// Posts the login form with any password.
    pub async fn login_with(&mut self, email: &str, password: &str) -> Response {
        self.post_form("/uk/login", &[("email", email), ("password", password)])
            .await
    }

    /// Signs this browser in with email and password only.
    pub async fn login_password(&mut self, email: &str) -> Response {
        self.post_form(
            "/uk/login",
            &[
                ("email", email),
                ("password", PASSWORD),
                ("next", "/uk/account"),
            ],
        )
        .await
    }

    /// Creates an account with `role` and signs in fully (staff enrol and pass TOTP).
    pub async fn login_as(&mut self, role: Role) -> i64 {
        let scope = match role.scope_kind() {
            Some(_) => "UA05020030000031457",
            None => "",
        };
        self.login_as_scoped(role, scope).await
    }

    /// Signs in a new account holding `role` limited to `scope` (passing 2FA for staff).
    pub async fn login_as_scoped(&mut self, role: Role, scope: &str) -> i64 {
        let email = format!("{}-{}@example.ua", role.code(), rand_suffix());
        let id = self.create_user(&email, role, scope).await;
        let r = self.login_password(&email).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "login failed: {}", r.body);
        if role.is_staff() {
            assert_eq!(r.location(), "/uk/account/2fa");
            self.get("/uk/account/2fa").await;
            let code = self.totp_code(id, 0).await;
            let r = self.post_form("/uk/account/2fa", &[("code", &code)]).await;
            assert_eq!(
                r.status,
                StatusCode::SEE_OTHER,
                "enrolment failed: {}",
                r.body
            );
        }
        id
    }

    /// A program on the same server: no cookies, only an API token of the account `user_id`,
    /// made as `hromada token create` makes one (so a staff account's token acts as staff).
    pub async fn token_client(&self, user_id: i64) -> TestApp {
        let (_, token) =
            actions::create_token(&self.state.db, &Actor::system("test"), user_id, "test")
                .await
                .expect("token");
        let mut client = self.other_browser();
        client.bearer = Some(token);
        client
    }

    /// A new account holding `role` within `scope` (empty for national roles), and a program
    /// acting for it with an API token.
    pub async fn token_client_as(&self, role: Role, scope: &str) -> (TestApp, i64) {
        let email = format!("api-{}-{}@example.ua", role.code(), rand_suffix());
        let id = self.create_user(&email, role, scope).await;
        (self.token_client(id).await, id)
    }

    /// The TOTP code of the account `offset_steps` steps from now.
    pub async fn totp_code(&self, user_id: i64, offset_steps: i64) -> String {
        let user = hromada::auth::repo::find_user(&self.state.db, user_id)
            .await
            .expect("db")
            .expect("user");
        let secret = user.totp_secret.expect("a TOTP secret");
        let t = chrono::Utc::now().timestamp() + offset_steps * 30;
        hromada::auth::totp::code_at(&secret, u64::try_from(t).expect("time")).expect("code")
    }

    /// Creates a news item through the API as this (editor's) browser and publishes it.
    pub async fn publish_news(&mut self, item: serde_json::Value) -> i64 {
        let r = self.send_json(Method::POST, "/api/v1/news", &item).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let id = r.json()["id"].as_i64().expect("id");
        let r = self
            .send_json(
                Method::POST,
                &format!("/api/v1/news/{id}/publish"),
                &serde_json::json!({}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
        id
    }

    /// The actions of the audit log about `entity`, newest first, as an admin reads them.
    pub async fn audit_actions(&self, entity: &str) -> Vec<String> {
        let mut admin = self.other_browser();
        admin.login_as(Role::Admin).await;
        let audit = admin
            .get(&format!("/api/v1/audit?entity={entity}"))
            .await
            .json();
        audit["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter_map(|i| i["action"].as_str().map(str::to_string))
            .collect()
    }

    /// Bodies of queued mail to `to`, newest first.
    /// Runs the background jobs that are due, as the server's job runner does.
    pub async fn run_jobs(&self) -> usize {
        hromada::jobs::run_due(&self.state).await.expect("jobs")
    }

    /// Delivers everything due in the outbox to the SMTP server at `smtp_url`; returns how
    /// many messages were handled.
    pub async fn deliver_mail(&self, smtp_url: &str) -> usize {
        let transport = hromada::mail::transport_from_url(smtp_url).expect("transport");
        let worker = hromada::mail::worker::Worker {
            db: self.state.db.clone(),
            owner: self.state.instance.clone(),
            transport: Some(transport.clone()),
            from: hromada::mail::parse_mailbox("Асоціація <noreply@hromada.test>").expect("from"),
            wakeup: self.state.mail_wakeup.clone(),
            poll: std::time::Duration::from_millis(50),
        };
        let mut n = 0;
        while worker.deliver_one(&transport).await.expect("deliver") {
            n += 1;
        }
        n
    }

    pub async fn mail_to(&self, to: &str) -> Vec<hromada::mail::repo::OutboxRow> {
        let (items, _) = hromada::mail::repo::list(&self.state.db, None, 100, 0)
            .await
            .expect("outbox");
        // As the recipient reads it: with its links, which the outbox keeps sealed.
        items
            .into_iter()
            .filter(|m| m.to_addr == to)
            .map(|mut m| {
                let fills = m.fill_pairs().expect("fills open");
                m.body_text = hromada::mail::repo::apply_fills(&m.body_text, &fills);
                m.body_html = m
                    .body_html
                    .as_deref()
                    .map(|h| hromada::mail::repo::apply_fills(h, &fills));
                m
            })
            .collect()
    }
}

fn rand_suffix() -> usize {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

/// The link in a mail body that starts with `prefix`, as a path on the test server.
pub fn link_in(body: &str, prefix: &str) -> String {
    let start = body
        .find(prefix)
        .unwrap_or_else(|| panic!("no {prefix} link in: {body}"));
    let link: String = body[start..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    link.trim_start_matches("http://hromada.test").to_string()
}

/// A secret key file shared by every run of the binary in this test process.
pub fn test_key_file() -> std::path::PathBuf {
    static FILE: std::sync::OnceLock<(tempfile::TempDir, std::path::PathBuf)> =
        std::sync::OnceLock::new();
    FILE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("key dir");
        let path = dir.path().join("hromada.key");
        hromada::secrets::write_new_key_file(&path).expect("key file");
        (dir, path)
    })
    .1
    .clone()
}

/// Runs the real `hromada` binary on `database_url`.
pub fn hromada(database_url: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_hromada"))
        .args(args)
        .env("DATABASE_URL", database_url)
        // The server refuses unknown HROMADA_* variables; this one is the test suite's own.
        .env_remove("HROMADA_TEST_DATABASE_URL")
        .env("HROMADA_LOG_LEVEL", "warn")
        // One key for every run of the suite, so values one run sealed open in the next
        // (PostgreSQL needs it named; SQLite would make one beside each file).
        .env("HROMADA_SECRET_KEY_FILE", test_key_file())
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run hromada")
}

/// The standard output of a run that must succeed.
pub fn ok(out: std::process::Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "hromada failed: {}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// A migrated database of the kind under test, with a URL the binary can use.
pub async fn fresh_db_with_url() -> (Db, String, Option<tempfile::TempDir>) {
    match pg_url() {
        Some(url) => {
            let (db, with_schema) = fresh_pg(&url).await;
            (db, with_schema, None)
        }
        None => {
            let (db, dir) = fresh_sqlite().await;
            let url = sqlite_url(&dir, "test.db");
            (db, url, Some(dir))
        }
    }
}

/// Registry tables in the order their foreign keys allow copying them.
const REGISTRY_TABLES: [&str; 10] = [
    "registry_editions",
    "units",
    "unit_changes",
    "unit_aliases",
    "data_sources",
    "unit_attributes",
    "unit_statuses",
    "registry_revision",
    "sections",
    "news_sectors",
];

/// Where the loaded registry lives for this test process: a SQLite file, or a PostgreSQL
/// schema. Loading the codifier takes seconds in a debug build, so it happens once and each
/// test copies the result.
enum Template {
    Sqlite(std::path::PathBuf),
    Pg(String),
}

static TEMPLATE: std::sync::OnceLock<Template> = std::sync::OnceLock::new();

fn template() -> &'static Template {
    TEMPLATE.get_or_init(|| {
        // Its own thread and runtime: the pool must not outlive the runtime that made it.
        std::thread::spawn(|| {
            let rt = tokio::runtime::Runtime::new().expect("runtime");
            rt.block_on(async {
                let (db, template) = match pg_url() {
                    Some(url) => {
                        let (db, _) = fresh_pg(&url).await;
                        let schema: String = hromada::on_db!(&db, c => sqlx::query_scalar(
                            "SELECT current_schema()").fetch_one(c).await)
                        .expect("schema");
                        (db, Template::Pg(schema))
                    }
                    None => {
                        let (db, dir) = fresh_sqlite().await;
                        let path = dir.keep().join("test.db");
                        (db, Template::Sqlite(path))
                    }
                };
                hromada::registry::actions::ensure_loaded(&db, &Actor::system("test"))
                    .await
                    .expect("load the registry");
                hromada::members::actions::ensure_sections(&db, &Actor::system("test"))
                    .await
                    .expect("load the sections");
                hromada::news::actions::ensure_sectors(&db, &Actor::system("test"))
                    .await
                    .expect("load the news sectors");
                db.close().await;
                template
            })
        })
        .join()
        .expect("template thread")
    })
}

/// A fresh database holding the shipped registry (codifier, attributes, statuses).
pub async fn registry_db() -> (Db, Option<tempfile::TempDir>) {
    match template() {
        Template::Sqlite(path) => {
            let dir = tempfile::tempdir().expect("tempdir");
            std::fs::copy(path, dir.path().join("test.db")).expect("copy template");
            let db = Db::connect(&sqlite_url(&dir, "test.db"), 5)
                .await
                .expect("connect");
            db.migrate().await.expect("migrate");
            (db, Some(dir))
        }
        Template::Pg(schema) => {
            let (db, _) = fresh_pg(&pg_url().expect("url")).await;
            let mut tx = db.begin().await.expect("tx");
            tx.defer_foreign_keys().await.expect("defer");
            for table in REGISTRY_TABLES {
                let sql = format!(
                    "INSERT INTO {table} OVERRIDING SYSTEM VALUE SELECT * FROM {schema}.{table}"
                );
                hromada::db_exec!(&mut tx, c => sqlx::query(sqlx::AssertSqlSafe(sql)).execute(c).await)
                    .expect("copy template table");
            }
            for table in [
                "registry_editions",
                "unit_changes",
                "unit_statuses",
                "sections",
                "news_sectors",
            ] {
                let sql = format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                     COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                );
                hromada::db_exec!(&mut tx, c => sqlx::query(sqlx::AssertSqlSafe(sql)).execute(c).await)
                    .expect("sequence");
            }
            tx.commit().await.expect("commit");
            (db, None)
        }
    }
}

impl TestApp {
    /// A server on a database that holds the shipped registry.
    pub async fn with_registry() -> TestApp {
        let (db, dir) = registry_db().await;
        TestApp::on(db, test_settings(), dir)
    }
}

/// A multipart form body with one file field `file` holding `text`: (content type, body).
/// A multipart body with one binary `file` field.
pub fn multipart_file(filename: &str, content_type: &str, data: &[u8]) -> (String, Vec<u8>) {
    let boundary = "hromada-test-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n\
         Content-Type: {content_type}\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(data);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

pub fn multipart(text: &str) -> (String, Vec<u8>) {
    let boundary = "hromada-test-boundary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"upload.csv\"\r\n\
         Content-Type: text/csv\r\n\r\n{text}\r\n--{boundary}--\r\n"
    );
    (
        format!("multipart/form-data; boundary={boundary}"),
        body.into_bytes(),
    )
}
