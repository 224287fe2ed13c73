//! Issue 16 regression tests: accounts (items 2, 4, 8 and the second-factor seeds of 13).

use axum::http::{Method, StatusCode};
use hromada::auth::{actions, repo};
use hromada::identity::Role;
use hromada::work::Actor;

use crate::harness::{PASSWORD, Response, TestApp, link_in};

// --- helpers ---

/// Posts the login form as a browser at `address` (the right-most X-Forwarded-For entry).
async fn login_from(
    app: &mut TestApp,
    address: &str,
    email: &str,
    password: &str,
    next: Option<&str>,
) -> Response {
    let csrf = app.csrf().await;
    let mut fields = vec![
        ("csrf", csrf.as_str()),
        ("email", email),
        ("password", password),
    ];
    if let Some(next) = next {
        fields.push(("next", next));
    }
    let body = serde_urlencoded::to_string(&fields).expect("form");
    app.request(
        Method::POST,
        "/uk/login",
        Some("application/x-www-form-urlencoded"),
        body.into_bytes(),
        &[("x-forwarded-for", address)],
    )
    .await
}

/// A token made by the account's own browser through the API (its session, with cookies).
async fn own_token(browser: &mut TestApp) -> String {
    let r = browser
        .send_json(
            Method::POST,
            "/api/v1/tokens",
            &serde_json::json!({"name": "скрипт"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.json()["token"].as_str().expect("token").to_string()
}

/// Another client on the same server that only sends `token`.
fn api_client(app: &TestApp, token: &str) -> TestApp {
    let mut client = app.other_browser();
    client.bearer = Some(token.to_string());
    client
}

async fn subjects_to(app: &TestApp, to: &str) -> Vec<String> {
    app.mail_to(to)
        .await
        .into_iter()
        .map(|m| m.subject)
        .collect()
}

const REVOKED_SUBJECT: &str = "Ключі API вашого облікового запису відкликано";
const BURST_SUBJECT: &str = "Невдалі спроби увійти до вашого облікового запису";

/// Next targets that must never leave the site (as the form field arrives, decoded).
const HOSTILE_NEXT: &[&str] = &[
    "/\t/evil.example/x",
    "/\n/evil.example/x",
    "/\r/evil.example/x",
    "/\0/evil.example/x",
    "//evil.example/x",
    "/\\evil.example/x",
    "\\\\evil.example/x",
    "https://evil.example/x",
    "http:evil.example",
    "/%09/evil.example/x",
    "/%0A/evil.example/x",
    "/%2F/evil.example/x",
    "/%5Cevil.example/x",
    "/.//evil.example/x",
    "/\u{3000}/evil.example/x",
    "/\u{a0}/evil.example/x",
    "/\u{2028}/evil.example/x",
    " /uk/account",
];

// --- item 2: no open redirect after login ---

/// The answer to a hostile `next`: home, or (for NUL, which no form field may hold) a 400.
fn assert_stays_home(r: &Response, next: &str) {
    match r.status {
        StatusCode::SEE_OTHER => assert_eq!(r.location(), "/uk/account", "next = {next:?}"),
        StatusCode::BAD_REQUEST if next.contains('\0') => {}
        other => panic!("next = {next:?}: {other} {}", r.body),
    }
}

#[tokio::test]
async fn login_never_redirects_off_the_site() {
    let app = TestApp::new().await;
    app.create_user("petro@example.ua", Role::Partner, "").await;
    for next in HOSTILE_NEXT {
        let mut browser = app.other_browser();
        let r = login_from(
            &mut browser,
            "192.0.2.10",
            "petro@example.ua",
            PASSWORD,
            Some(next),
        )
        .await;
        assert_stays_home(&r, next);
    }
}

#[tokio::test]
async fn the_login_form_does_not_carry_a_hostile_next() {
    let mut app = TestApp::new().await;
    for next in ["/%09/evil.example/x", "//evil.example", "/%5Cevil.example"] {
        let encoded: String = url::form_urlencoded::byte_serialize(next.as_bytes()).collect();
        let r = app.get(&format!("/uk/login?next={encoded}")).await;
        assert_eq!(r.status, StatusCode::OK);
        // The language links keep the query (to this same form); the form must not.
        assert_eq!(
            r.count("input[name=next][value='/uk/account']"),
            1,
            "{next:?} kept: {}",
            r.body
        );
    }
}

#[tokio::test]
async fn ordinary_next_paths_with_queries_survive_the_login() {
    let app = TestApp::new().await;
    app.create_user("petro@example.ua", Role::Partner, "").await;
    for (next, expected) in [
        ("/uk/units?q=x&page=2", "/uk/units?q=x&page=2"),
        ("/en/news/3#top", "/en/news/3#top"),
        ("/uk/units?q=Київ", "/uk/units?q=%D0%9A%D0%B8%D1%97%D0%B2"),
    ] {
        let mut browser = app.other_browser();
        let r = login_from(
            &mut browser,
            "192.0.2.10",
            "petro@example.ua",
            PASSWORD,
            Some(next),
        )
        .await;
        assert_eq!((r.status, r.location()), (StatusCode::SEE_OTHER, expected));
    }
}

#[tokio::test]
async fn the_second_factor_step_never_redirects_off_the_site() {
    let mut app = TestApp::new().await;
    let id = app.login_as(Role::Admin).await;
    let email = repo::find_user(&app.state.db, id)
        .await
        .expect("db")
        .expect("admin")
        .email;
    // A staff login carries only a safe `next` on to the second step.
    let mut browser = app.other_browser();
    let r = login_from(
        &mut browser,
        "192.0.2.11",
        &email,
        PASSWORD,
        Some("/\t/evil.example/x"),
    )
    .await;
    assert_eq!(r.location(), "/uk/login/2fa?next=%2Fuk%2Faccount");
    // The code form itself refuses a hostile `next`.
    let code = app.totp_code(id, 1).await;
    let r = browser
        .post_form(
            "/uk/login/2fa",
            &[("code", &code), ("next", "/\t/evil.example/x")],
        )
        .await;
    assert_eq!(
        (r.status, r.location()),
        (StatusCode::SEE_OTHER, "/uk/account")
    );
    // Once passed, the step's page redirects at once: every hostile value goes home.
    for next in HOSTILE_NEXT {
        let encoded: String = url::form_urlencoded::byte_serialize(next.as_bytes()).collect();
        let r = browser.get(&format!("/uk/login/2fa?next={encoded}")).await;
        assert_stays_home(&r, next);
    }
    let r = browser
        .get("/uk/login/2fa?next=%2Fuk%2Fadmin%2Fusers%3Fpage%3D2")
        .await;
    assert_eq!(r.location(), "/uk/admin/users?page=2");
}

#[tokio::test]
async fn a_line_break_in_next_is_not_a_server_error() {
    let mut app = TestApp::new().await;
    app.create_user("petro@example.ua", Role::Partner, "").await;
    let csrf = app.csrf().await;
    let body = format!(
        "csrf={csrf}&email=petro%40example.ua&password={}&next=%2F%0A%2Fevil.example%2Fx",
        PASSWORD.replace(' ', "+")
    );
    let r = app
        .request(
            Method::POST,
            "/uk/login",
            Some("application/x-www-form-urlencoded"),
            body.into_bytes(),
            &[],
        )
        .await;
    assert_eq!(
        (r.status, r.location()),
        (StatusCode::SEE_OTHER, "/uk/account")
    );
}

// --- item 4: tokens keep the privileges of their creation ---

#[tokio::test]
async fn granting_a_staff_role_revokes_the_accounts_tokens() {
    let mut admin = TestApp::new().await;
    admin.login_as(Role::Admin).await;
    let partner = admin
        .create_user("partner@example.ua", Role::Partner, "")
        .await;
    let mut browser = admin.other_browser();
    browser.login_password("partner@example.ua").await;
    let token = own_token(&mut browser).await;
    let mut api = api_client(&admin, &token);
    assert_eq!(api.get("/api/v1/users").await.status, StatusCode::FORBIDDEN);

    let r = admin
        .send_json(
            Method::POST,
            &format!("/api/v1/users/{partner}/roles"),
            &serde_json::json!({"role": "admin"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = api.get("/api/v1/users").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);
    assert_eq!(r.json()["error"]["code"], "invalid_token");
    assert_eq!(
        subjects_to(&admin, "partner@example.ua").await,
        [REVOKED_SUBJECT]
    );
    let mail = &admin.mail_to("partner@example.ua").await[0];
    assert!(
        mail.body_text.contains("роль працівника"),
        "{}",
        mail.body_text
    );
}

#[tokio::test]
async fn granting_a_role_that_is_not_staff_keeps_the_tokens() {
    let mut admin = TestApp::new().await;
    admin.login_as(Role::Admin).await;
    let partner = admin
        .create_user("partner@example.ua", Role::Partner, "")
        .await;
    let mut browser = admin.other_browser();
    browser.login_password("partner@example.ua").await;
    let token = own_token(&mut browser).await;
    let r = admin
        .send_json(
            Method::POST,
            &format!("/api/v1/users/{partner}/roles"),
            &serde_json::json!({"role": "community_official", "scope": "UA05020030000031457"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(
        api_client(&admin, &token).get("/api/v1/me").await.status,
        StatusCode::OK
    );
    assert!(subjects_to(&admin, "partner@example.ua").await.is_empty());
}

#[tokio::test]
async fn a_token_made_without_the_second_factor_never_acts_as_staff() {
    // Even when a staff role reaches the account by another path than the admin's action.
    let app = TestApp::new().await;
    let partner = app
        .create_user("partner@example.ua", Role::Partner, "")
        .await;
    let mut browser = app.other_browser();
    browser.login_password("partner@example.ua").await;
    let token = own_token(&mut browser).await;
    let mut tx = app.state.db.begin().await.expect("tx");
    repo::grant_role(&mut tx, partner, Role::Admin, "", hromada::clock::now())
        .await
        .expect("grant");
    tx.commit().await.expect("commit");
    let r = api_client(&app, &token).get("/api/v1/users").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(r.json()["error"]["code"], "second_factor_required");
}

#[tokio::test]
async fn resetting_the_second_factor_revokes_the_tokens() {
    let mut admin = TestApp::new().await;
    admin.login_as(Role::Admin).await;
    let mut member = admin.other_browser();
    let member_id = member.login_as(Role::ClubCommittee).await;
    let token = own_token(&mut member).await;
    let mut api = api_client(&admin, &token);
    assert_eq!(api.get("/api/v1/me").await.status, StatusCode::OK);
    let email = api.get("/api/v1/me").await.json()["email"]
        .as_str()
        .expect("email")
        .to_string();

    let r = admin
        .send_json(
            Method::POST,
            &format!("/api/v1/users/{member_id}/reset-2fa"),
            &serde_json::json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    assert_eq!(api.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(subjects_to(&admin, &email).await, [REVOKED_SUBJECT]);
}

#[tokio::test]
async fn removing_a_role_revokes_the_tokens() {
    let mut admin = TestApp::new().await;
    admin.login_as(Role::Admin).await;
    let mut editor = admin.other_browser();
    let editor_id = editor.login_as(Role::Editor).await;
    let token = own_token(&mut editor).await;
    let mut api = api_client(&admin, &token);
    let email = api.get("/api/v1/me").await.json()["email"]
        .as_str()
        .expect("email")
        .to_string();
    let r = admin
        .post_form(
            &format!("/uk/admin/users/{editor_id}/roles/remove"),
            &[("role", "editor"), ("scope", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(api.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(subjects_to(&admin, &email).await, [REVOKED_SUBJECT]);
}

#[tokio::test]
async fn changing_the_password_revokes_the_tokens() {
    let mut app = TestApp::new().await;
    app.create_user("partner@example.ua", Role::Partner, "")
        .await;
    app.login_password("partner@example.ua").await;
    let token = own_token(&mut app).await;
    let new = "a brand new long password";
    let r = app
        .post_form(
            "/en/account/password",
            &[("current", PASSWORD), ("password", new), ("password2", new)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = api_client(&app, &token).get("/api/v1/me").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        subjects_to(&app, "partner@example.ua").await,
        [REVOKED_SUBJECT]
    );
}

#[tokio::test]
async fn a_password_reset_revokes_the_tokens() {
    let mut app = TestApp::new().await;
    app.create_user("partner@example.ua", Role::Partner, "")
        .await;
    app.login_password("partner@example.ua").await;
    let token = own_token(&mut app).await;
    let mut other = app.other_browser();
    other
        .post_form("/uk/password/forgot", &[("email", "partner@example.ua")])
        .await;
    let mail = app.mail_to("partner@example.ua").await;
    let link = link_in(
        &mail[0].body_text,
        "http://hromada.test/uk/password/reset?token=",
    );
    let reset_token = link.split("token=").nth(1).expect("token").to_string();
    let new = "a brand new long password";
    let r = other
        .post_form(
            "/uk/password/reset",
            &[
                ("token", &reset_token),
                ("password", new),
                ("password2", new),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        api_client(&app, &token).get("/api/v1/me").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert!(
        subjects_to(&app, "partner@example.ua")
            .await
            .contains(&REVOKED_SUBJECT.to_string())
    );
}

#[tokio::test]
async fn staff_make_tokens_only_from_a_session_after_the_second_factor() {
    let mut app = TestApp::new().await;
    let id = app.login_as(Role::Admin).await;
    let email = repo::find_user(&app.state.db, id)
        .await
        .expect("db")
        .expect("admin")
        .email;

    // A session that has not passed the second factor yet.
    let mut half = app.other_browser();
    half.login_password(&email).await;
    let r = half
        .send_json(
            Method::POST,
            "/api/v1/tokens",
            &serde_json::json!({"name": "x"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(r.json()["error"]["code"], "second_factor_required");

    // An operator's token (the command line's path) acts as staff but makes no tokens.
    let (_, operator) = actions::create_token(&app.state.db, &Actor::system("test"), id, "ops")
        .await
        .expect("token");
    let mut api = api_client(&app, &operator);
    assert_eq!(api.get("/api/v1/users").await.status, StatusCode::OK);
    let r = api
        .send_json(
            Method::POST,
            "/api/v1/tokens",
            &serde_json::json!({"name": "x"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(r.json()["error"]["code"], "forbidden");
    assert!(
        r.json()["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("другим чинником"),
        "{}",
        r.body
    );
    let r = api
        .request(
            Method::POST,
            "/uk/account/tokens",
            Some("application/x-www-form-urlencoded"),
            b"name=x".to_vec(),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);

    // After the second factor, the session makes a token that acts as staff.
    let token = own_token(&mut app).await;
    assert_eq!(
        api_client(&app, &token).get("/api/v1/users").await.status,
        StatusCode::OK
    );
    let listed = app.get("/api/v1/tokens").await.json();
    assert_eq!(listed["total"], 2, "{listed}");
}

/// Runs the real binary on `database_url` with a key file of its own.
fn hromada_with_key(database_url: &str, key: &std::path::Path, args: &[&str]) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_hromada"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("HROMADA_SECRET_KEY_FILE", key)
        .env_remove("HROMADA_TEST_DATABASE_URL")
        .env("HROMADA_LOG_LEVEL", "warn")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run hromada");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "hromada failed: {}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

#[tokio::test]
async fn the_command_line_still_makes_staff_tokens_for_operators() {
    let (db, url, dir) = crate::harness::fresh_db_with_url().await;
    let keys = tempfile::tempdir().expect("tempdir");
    let key = keys.path().join("hromada.key");
    hromada::secrets::write_new_key_file(&key).expect("key file");
    let app = TestApp::on(db, crate::harness::test_settings(), dir);
    app.create_user("ops@example.ua", Role::Admin, "").await;
    let out = hromada_with_key(
        &url,
        &key,
        &[
            "token",
            "create",
            "--email",
            "ops@example.ua",
            "--name",
            "backup",
        ],
    );
    let token = out.trim();
    assert!(token.starts_with("hro_"), "{out}");
    assert_eq!(
        api_client(&app, token).get("/api/v1/users").await.status,
        StatusCode::OK
    );
}

// --- item 8: failed logins lock out only their source ---

#[tokio::test]
async fn an_attackers_address_does_not_lock_the_admin_out() {
    let app = TestApp::new().await;
    app.create_user("admin@example.ua", Role::Admin, "").await;
    // The admin's own browser signed in once before: a known device.
    let mut own = app.other_browser();
    let r = login_from(&mut own, "192.0.2.20", "admin@example.ua", PASSWORD, None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(own.cookies.contains_key("hromada_device"));

    let mut attacker = app.other_browser();
    for _ in 0..5 {
        let r = login_from(
            &mut attacker,
            "203.0.113.66",
            "admin@example.ua",
            "guess guess guess",
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    // The attacker's pair is limited, even with the right password.
    let r = login_from(
        &mut attacker,
        "203.0.113.66",
        "admin@example.ua",
        PASSWORD,
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);

    // The admin from another address, on a new device.
    let mut elsewhere = app.other_browser();
    let r = login_from(
        &mut elsewhere,
        "192.0.2.21",
        "admin@example.ua",
        PASSWORD,
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // The admin's known device, even behind the attacker's address (one office's NAT).
    let r = login_from(&mut own, "203.0.113.66", "admin@example.ua", PASSWORD, None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

#[tokio::test]
async fn the_owner_gets_one_mail_about_a_burst() {
    let app = TestApp::new().await;
    app.create_user("admin@example.ua", Role::Admin, "").await;
    for address in ["203.0.113.1", "203.0.113.2", "203.0.113.3"] {
        let mut attacker = app.other_browser();
        for _ in 0..4 {
            let r = login_from(
                &mut attacker,
                address,
                "admin@example.ua",
                "guess guess guess",
                None,
            )
            .await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        }
    }
    assert_eq!(subjects_to(&app, "admin@example.ua").await, [BURST_SUBJECT]);
    let mail = &app.mail_to("admin@example.ua").await[0];
    assert!(mail.body_text.contains("203.0.113.2"), "{}", mail.body_text);
}

#[tokio::test]
async fn the_per_address_limit_across_accounts_stays() {
    let app = TestApp::new().await;
    app.create_user("olena@example.ua", Role::Partner, "").await;
    let mut attacker = app.other_browser();
    for n in 0..20 {
        let email = format!("nobody{n}@example.ua");
        let r = login_from(
            &mut attacker,
            "203.0.113.9",
            &email,
            "guess guess guess",
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let r = login_from(
        &mut attacker,
        "203.0.113.9",
        "olena@example.ua",
        PASSWORD,
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    let mut other = app.other_browser();
    let r = login_from(&mut other, "192.0.2.30", "olena@example.ua", PASSWORD, None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_known_device_that_keeps_failing_is_forgotten() {
    let app = TestApp::new().await;
    app.create_user("olena@example.ua", Role::Partner, "").await;
    let mut device = app.other_browser();
    let r = login_from(
        &mut device,
        "192.0.2.40",
        "olena@example.ua",
        PASSWORD,
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // A stolen device cookie guesses no more than any address may.
    for _ in 0..5 {
        let r = login_from(
            &mut device,
            "203.0.113.40",
            "olena@example.ua",
            "guess guess guess",
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let r = login_from(
        &mut device,
        "203.0.113.40",
        "olena@example.ua",
        "guess guess guess",
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
}

// --- item 13: second-factor seeds sealed at rest; auth keeps only hashes ---

async fn stored_seed(app: &TestApp, user_id: i64) -> String {
    hromada::on_db!(&app.state.db, c => sqlx::query_scalar(
        "SELECT totp_secret FROM users WHERE id = $1").bind(user_id).fetch_one(c).await)
    .expect("seed")
}

async fn store_seed(app: &TestApp, user_id: i64, value: &str) {
    hromada::db_exec!(&app.state.db, c => sqlx::query(
        "UPDATE users SET totp_secret = $1 WHERE id = $2").bind(value).bind(user_id).execute(c).await)
    .expect("store");
}

async fn seed_of(app: &TestApp, user_id: i64) -> String {
    repo::find_user(&app.state.db, user_id)
        .await
        .expect("db")
        .expect("user")
        .totp_secret
        .expect("seed")
}

async fn email_of(app: &TestApp, user_id: i64) -> String {
    repo::find_user(&app.state.db, user_id)
        .await
        .expect("db")
        .expect("user")
        .email
}

/// Signs in with password and second factor in a new browser; the code is `steps` ahead.
async fn sign_in_with_code(app: &TestApp, user_id: i64, steps: i64) -> StatusCode {
    let email = email_of(app, user_id).await;
    let mut browser = app.other_browser();
    let r = browser.login_password(&email).await;
    assert!(
        r.location().starts_with("/uk/login/2fa"),
        "{}",
        r.location()
    );
    let code = app.totp_code(user_id, steps).await;
    let r = browser.post_form("/uk/login/2fa", &[("code", &code)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    browser.get("/uk/admin/users").await.status
}

#[tokio::test]
async fn the_seed_is_sealed_in_the_database_and_sign_in_still_works() {
    let mut app = TestApp::new().await;
    let id = app.login_as(Role::Admin).await;
    let seed = seed_of(&app, id).await;
    let stored = stored_seed(&app, id).await;
    assert!(hromada::secrets::is_sealed(&stored), "{stored}");
    assert!(!stored.contains(&seed));
    assert_eq!(sign_in_with_code(&app, id, 1).await, StatusCode::OK);
}

#[tokio::test]
async fn the_export_archive_opens_no_account() {
    let mut app = TestApp::new().await;
    let id = app.login_as(Role::Admin).await;
    let seed = seed_of(&app, id).await;
    let session = app.cookies["hromada_session"].clone();
    let device = app.cookies["hromada_device"].clone();
    let token = own_token(&mut app).await;
    let mut other = app.other_browser();
    let email = email_of(&app, id).await;
    other
        .post_form("/uk/password/forgot", &[("email", email.as_str())])
        .await;
    let mail = app.mail_to(&email).await;
    let link = link_in(
        &mail[0].body_text,
        "http://hromada.test/uk/password/reset?token=",
    );
    let reset = link.split("token=").nth(1).expect("token").to_string();

    let mut archive = Vec::new();
    hromada::db::archive::export(&app.state.db, &mut archive)
        .await
        .expect("export");
    let text = String::from_utf8(archive).expect("utf-8");
    assert!(text.contains("\"users\""));
    for (what, secret) in [
        ("TOTP seed", &seed),
        ("session", &session),
        ("device", &device),
        ("API token", &token),
        ("reset link", &reset),
    ] {
        assert!(
            !text.contains(secret.as_str()),
            "the archive holds the {what}"
        );
    }
}

#[tokio::test]
async fn a_plain_seed_from_before_works_and_is_sealed_at_first_use() {
    let mut app = TestApp::new().await;
    let id = app.login_as(Role::Admin).await;
    let seed = seed_of(&app, id).await;
    store_seed(&app, id, &seed).await;
    assert_eq!(seed_of(&app, id).await, seed, "a plain seed reads as it is");
    assert_eq!(sign_in_with_code(&app, id, 1).await, StatusCode::OK);
    let stored = stored_seed(&app, id).await;
    assert!(hromada::secrets::is_sealed(&stored), "{stored}");
    assert_eq!(seed_of(&app, id).await, seed);
}

#[tokio::test]
async fn plain_seeds_are_sealed_at_start_up_and_foreign_ones_left_alone() {
    let mut app = TestApp::new().await;
    let id = app.login_as(Role::Admin).await;
    let seed = seed_of(&app, id).await;
    store_seed(&app, id, &seed).await;
    assert_eq!(
        actions::seal_legacy_secrets(&app.state.db)
            .await
            .expect("seal"),
        1
    );
    assert_eq!(
        actions::seal_legacy_secrets(&app.state.db)
            .await
            .expect("seal"),
        0
    );
    assert!(hromada::secrets::is_sealed(&stored_seed(&app, id).await));
    assert_eq!(seed_of(&app, id).await, seed);
    // Re-sealing leaves values of the current key alone; one no key opens stays for a reset.
    assert_eq!(
        actions::reseal_secrets(&app.state.db)
            .await
            .expect("reseal"),
        0
    );
    let foreign = hromada::secrets::Keyring::ephemeral().seal_str(&seed, &format!("totp:{id}"));
    store_seed(&app, id, &foreign).await;
    assert_eq!(
        actions::reseal_secrets(&app.state.db)
            .await
            .expect("reseal"),
        0
    );
    assert_eq!(stored_seed(&app, id).await, foreign);
    // Such an account is told what to do instead of failing.
    let email = email_of(&app, id).await;
    let mut browser = app.other_browser();
    browser.login_password(&email).await;
    let r = browser
        .post_form("/uk/login/2fa", &[("code", "123456")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text(".errors").contains("скинути другий фактор"),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn a_seed_copied_to_another_account_does_not_open() {
    let mut app = TestApp::new().await;
    let a = app.login_as(Role::Admin).await;
    let mut other = app.other_browser();
    let b = other.login_as(Role::Editor).await;
    let sealed_a = stored_seed(&app, a).await;
    store_seed(&app, b, &sealed_a).await;
    let row = repo::find_user(&app.state.db, b)
        .await
        .expect("db")
        .expect("user");
    assert!(row.totp_unreadable());
}

#[tokio::test]
async fn rotating_the_key_seals_the_seeds_again() {
    let (db, url, dir) = crate::harness::fresh_db_with_url().await;
    let keys = tempfile::tempdir().expect("tempdir");
    let key = keys.path().join("hromada.key");
    hromada::secrets::write_new_key_file(&key).expect("key file");
    let app = TestApp::on(db, crate::harness::test_settings(), dir);
    let id = app.create_user("ops@example.ua", Role::Admin, "").await;
    // A seed sealed by the server that holds the key file (not this test's own keyring).
    let seed = hromada::auth::totp::new_secret_base32();
    let old = hromada::secrets::Keyring::read(&key).expect("key");
    store_seed(&app, id, &old.seal_str(&seed, &format!("totp:{id}"))).await;

    hromada_with_key(&url, &key, &["secrets", "rotate"]);
    let rotated = hromada::secrets::Keyring::read(&key).expect("key");
    assert_ne!(rotated.current_id(), old.current_id());
    let stored = stored_seed(&app, id).await;
    assert!(!rotated.is_stale(&stored), "still sealed by the old key");
    assert_eq!(
        rotated.open_str(&stored, &format!("totp:{id}")).as_deref(),
        Ok(seed.as_str())
    );
}

// --- review of item 8: limits counted before the check, IPv6 networks, device fixation ---

/// Fails `n` logins on `email` from `address`, each in a fresh browser, expecting `status`.
async fn fail_logins(app: &TestApp, address: &str, email: &str, n: usize, status: StatusCode) {
    for _ in 0..n {
        let mut browser = app.other_browser();
        let r = login_from(&mut browser, address, email, "guess guess guess", None).await;
        assert_eq!(r.status, status, "{address}: {}", r.body);
    }
}

/// Sends `n` wrong logins at once, each from its own new browser at `address`, and returns
/// how many reached the password check (422) and how many were refused (429).
async fn concurrent_guesses(app: &TestApp, address: &str, email: &str, n: usize) -> (usize, usize) {
    let mut browsers: Vec<TestApp> = (0..n).map(|_| app.other_browser()).collect();
    let answers = futures_util::future::join_all(
        browsers
            .iter_mut()
            .map(|b| login_from(b, address, email, "guess guess guess", None)),
    )
    .await;
    let checked = answers
        .iter()
        .filter(|r| r.status == StatusCode::UNPROCESSABLE_ENTITY)
        .count();
    let refused = answers
        .iter()
        .filter(|r| r.status == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(checked + refused, n, "other answers");
    (checked, refused)
}

async fn known_device(app: &TestApp, user_id: i64, value: &str) -> bool {
    repo::device_known(
        &app.state.db,
        &hromada::secrets::secret_hash(value),
        user_id,
        chrono::Utc::now(),
    )
    .await
    .expect("db")
}

#[tokio::test]
async fn concurrent_guesses_pass_no_more_than_the_pair_limit() {
    let app = TestApp::new().await;
    app.create_user("admin@example.ua", Role::Admin, "").await;
    // The reviewer's setup: failures from three addresses first.
    for address in ["203.0.113.1", "203.0.113.2", "203.0.113.3"] {
        fail_logins(
            &app,
            address,
            "admin@example.ua",
            4,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let (checked, refused) = concurrent_guesses(&app, "203.0.113.50", "admin@example.ua", 40).await;
    assert_eq!((checked, refused), (5, 35));
}

#[tokio::test]
async fn concurrent_guesses_pass_no_more_than_the_address_limit() {
    let app = TestApp::new().await;
    let mut browsers: Vec<TestApp> = (0..30).map(|_| app.other_browser()).collect();
    let answers =
        futures_util::future::join_all(browsers.iter_mut().enumerate().map(|(n, b)| async move {
            let email = format!("nobody{n}@example.ua");
            login_from(b, "203.0.113.60", &email, "guess guess guess", None).await
        }))
        .await;
    let checked = answers
        .iter()
        .filter(|r| r.status == StatusCode::UNPROCESSABLE_ENTITY)
        .count();
    assert_eq!(checked, 20);
}

#[tokio::test]
async fn a_crowd_of_addresses_gets_no_more_than_the_account_cap() {
    let app = TestApp::new().await;
    let id = app.create_user("olena@example.ua", Role::Partner, "").await;
    let mut own = app.other_browser();
    let r = login_from(&mut own, "192.0.2.50", "olena@example.ua", PASSWORD, None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // The owner signing in from a second new browser does not use up the cap.
    let mut second = app.other_browser();
    let r = login_from(
        &mut second,
        "192.0.2.51",
        "olena@example.ua",
        PASSWORD,
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // Five addresses, four guesses each: 20, the cap (4 × the pair limit of 5).
    for n in 1..=5 {
        let address = format!("203.0.113.{n}");
        fail_logins(
            &app,
            &address,
            "olena@example.ua",
            4,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    // Every further address, all at once, is refused before its password is checked.
    let (checked, _) = concurrent_guesses(&app, "203.0.113.99", "olena@example.ua", 10).await;
    assert_eq!(checked, 0);
    fail_logins(
        &app,
        "198.51.100.1",
        "olena@example.ua",
        1,
        StatusCode::TOO_MANY_REQUESTS,
    )
    .await;

    // The owner's known device still signs in, even at an attacker's address.
    let r = login_from(&mut own, "203.0.113.1", "olena@example.ua", PASSWORD, None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // A new browser waits out the window (the documented trade-off)...
    let mut fresh = app.other_browser();
    let r = login_from(&mut fresh, "192.0.2.52", "olena@example.ua", PASSWORD, None).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    // ...unless it completes a password reset: then it is a known device and gets in.
    let r = fresh
        .post_form("/uk/password/forgot", &[("email", "olena@example.ua")])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let mail = app.mail_to("olena@example.ua").await;
    let prefix = "http://hromada.test/uk/password/reset?token=";
    let reset = mail
        .iter()
        .find(|m| m.body_text.contains(prefix))
        .expect("reset mail");
    let link = link_in(&reset.body_text, prefix);
    let token = link.split("token=").nth(1).expect("token").to_string();
    let new_password = "a brand new passphrase here";
    let r = fresh
        .post_form(
            "/uk/password/reset",
            &[
                ("token", &token),
                ("password", new_password),
                ("password2", new_password),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let device = fresh.cookies["hromada_device"].clone();
    assert!(known_device(&app, id, &device).await);
    let r = login_from(
        &mut fresh,
        "192.0.2.52",
        "olena@example.ua",
        new_password,
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

#[tokio::test]
async fn concurrent_guesses_with_a_stolen_device_cookie_are_limited() {
    let app = TestApp::new().await;
    app.create_user("olena@example.ua", Role::Partner, "").await;
    let mut own = app.other_browser();
    let r = login_from(&mut own, "192.0.2.40", "olena@example.ua", PASSWORD, None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let mut browsers: Vec<TestApp> = (0..20)
        .map(|_| {
            let mut b = app.other_browser();
            b.cookies = own.cookies.clone();
            b.cookies.remove("hromada_session");
            b
        })
        .collect();
    let answers = futures_util::future::join_all(browsers.iter_mut().map(|b| {
        login_from(
            b,
            "203.0.113.40",
            "olena@example.ua",
            "guess guess guess",
            None,
        )
    }))
    .await;
    let checked = answers
        .iter()
        .filter(|r| r.status == StatusCode::UNPROCESSABLE_ENTITY)
        .count();
    // As many as the device may fail, and then the pair (whose count they filled) refuses.
    assert_eq!(checked, 5);
}

// IPv6: one network, one bucket.

#[tokio::test]
async fn addresses_in_one_ipv6_network_share_the_login_limit() {
    let app = TestApp::new().await;
    app.create_user("olena@example.ua", Role::Partner, "").await;
    fail_logins(
        &app,
        "2001:db8:1:2::a",
        "olena@example.ua",
        5,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    // Another address of the same /64: the pair is full.
    let mut same = app.other_browser();
    let r = login_from(
        &mut same,
        "2001:db8:1:2:ffff::9",
        "olena@example.ua",
        PASSWORD,
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    // Another /64 is another bucket.
    let mut other = app.other_browser();
    let r = login_from(
        &mut other,
        "2001:db8:1:3::a",
        "olena@example.ua",
        PASSWORD,
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

#[tokio::test]
async fn per_address_keys_outside_auth_group_ipv6_by_network() {
    let app = TestApp::new().await;
    // A caller that builds its key from the full address, as `club` and `digest` do.
    for ip in ["2001:db8::1", "2001:db8::2:3", "2001:db8::ffff"] {
        let key = format!("club:address:{ip}");
        actions::limit(&app.state.db, &key, 3).await.expect("below");
        actions::bump(&app.state.db, &key).await.expect("bump");
    }
    let r = actions::limit(&app.state.db, "club:address:2001:db8::77", 3).await;
    assert!(r.is_err(), "the /64 has its three");
    actions::limit(&app.state.db, "club:address:2001:db8:0:1::1", 3)
        .await
        .expect("another /64");
    // IPv4 stays per address.
    for _ in 0..3 {
        actions::bump(&app.state.db, "club:address:192.0.2.1")
            .await
            .expect("bump");
    }
    assert!(
        actions::limit(&app.state.db, "club:address:192.0.2.1", 3)
            .await
            .is_err()
    );
    actions::limit(&app.state.db, "club:address:192.0.2.2", 3)
        .await
        .expect("another address");
}

#[test]
fn rate_keys_take_ipv6_by_its_network() {
    use actions::rate_key_address as key;
    assert_eq!(key("2001:db8:1:2:3:4:5:6"), key("2001:db8:1:2::1"));
    assert_ne!(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
    assert_eq!(key("192.0.2.1"), "192.0.2.1");
    assert_ne!(key("192.0.2.1"), key("192.0.2.2"));
    assert_eq!(key("::ffff:192.0.2.1"), "192.0.2.1");
}

// Device cookies: always new, never the browser's own value.

#[tokio::test]
async fn a_planted_device_cookie_is_never_stored_as_a_known_device() {
    let app = TestApp::new().await;
    let attacker_id = app
        .create_user("mallory@example.ua", Role::Partner, "")
        .await;
    let victim_id = app.create_user("olena@example.ua", Role::Partner, "").await;
    // A value of the attacker's choice, and one the attacker's own account knows.
    let mut own = app.other_browser();
    let r = login_from(
        &mut own,
        "203.0.113.7",
        "mallory@example.ua",
        PASSWORD,
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let known_to_attacker = own.cookies["hromada_device"].clone();
    assert!(known_device(&app, attacker_id, &known_to_attacker).await);
    for planted in [hromada::secrets::new_secret(""), known_to_attacker] {
        let mut victim = app.other_browser();
        victim
            .cookies
            .insert("hromada_device".into(), planted.clone());
        let r = login_from(
            &mut victim,
            "192.0.2.60",
            "olena@example.ua",
            PASSWORD,
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let given = victim.cookies["hromada_device"].clone();
        assert_ne!(given, planted);
        assert!(!known_device(&app, victim_id, &planted).await);
        assert!(!known_device(&app, attacker_id, &planted).await);
        assert!(known_device(&app, victim_id, &given).await);
    }
}

#[tokio::test]
async fn each_login_gives_the_device_a_new_value() {
    let app = TestApp::new().await;
    let id = app.create_user("olena@example.ua", Role::Partner, "").await;
    let mut browser = app.other_browser();
    login_from(
        &mut browser,
        "192.0.2.61",
        "olena@example.ua",
        PASSWORD,
        None,
    )
    .await;
    let first = browser.cookies["hromada_device"].clone();
    browser.cookies.remove("hromada_session");
    let r = login_from(
        &mut browser,
        "192.0.2.61",
        "olena@example.ua",
        PASSWORD,
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let second = browser.cookies["hromada_device"].clone();
    assert_ne!(first, second);
    assert!(!known_device(&app, id, &first).await);
    assert!(known_device(&app, id, &second).await);
}

#[tokio::test]
async fn expired_devices_are_dropped_at_the_next_login() {
    let app = TestApp::new().await;
    let id = app.create_user("olena@example.ua", Role::Partner, "").await;
    let long_ago = chrono::Utc::now() - chrono::Duration::days(200);
    repo::remember_device(
        &app.state.db,
        "expired-device-hash",
        id,
        long_ago,
        long_ago + chrono::Duration::days(actions::DEVICE_DAYS),
    )
    .await
    .expect("device");
    let mut browser = app.other_browser();
    login_from(
        &mut browser,
        "192.0.2.62",
        "olena@example.ua",
        PASSWORD,
        None,
    )
    .await;
    let rows: i64 = hromada::on_db!(&app.state.db, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM login_devices WHERE user_id = $1").bind(id).fetch_one(c).await)
    .expect("count");
    assert_eq!(rows, 1, "only the new device stays");
}
