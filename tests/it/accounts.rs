//! Accounts end to end: login, second factor, CSRF, rate limits, reset, verification, sessions.

use axum::http::{Method, StatusCode};
use hromada::identity::Role;

use crate::harness::{PASSWORD, TestApp, link_in};

#[tokio::test]
async fn login_logout_and_audit() {
    let mut app = TestApp::new().await;
    let id = app
        .create_user(
            "olena@example.ua",
            Role::CommunityOfficial,
            "UA05020030000031457",
        )
        .await;
    let r = app.login_with("olena@example.ua", "wrong password!").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text(".errors").contains("Неправильна пошта або пароль"));
    assert_eq!(
        r.count("input[name=email][value='olena@example.ua']"),
        1,
        "typed email kept"
    );

    let r = app.login_password("Olena@Example.ua").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/uk/account");
    let cookie = app
        .cookies
        .get("hromada_session")
        .cloned()
        .expect("session cookie");
    let set = r
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap_or("").to_string())
        .collect::<Vec<_>>();
    assert!(set.iter().any(|c| c.starts_with("hromada_session=")
        && c.contains("HttpOnly")
        && c.contains("SameSite=Lax")));
    let r = app.get("/uk/account").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("olena@example.ua"));

    let r = app.post_form("/uk/logout", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // The old cookie no longer opens anything.
    app.cookies.insert("hromada_session".into(), cookie);
    let r = app.get("/uk/account").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/uk/login?next="));

    let (entries, _) =
        hromada::audit::repo::list(&app.state.db, &Default::default(), None, None, 50, 0)
            .await
            .expect("audit");
    let actions: Vec<_> = entries
        .iter()
        .filter(|e| e.entity_id == id.to_string())
        .map(|e| e.action.as_str())
        .collect();
    assert_eq!(actions, ["logout", "login", "create"]);
    // Entries name the account by its email, so the actor filter finds its logins.
    let login = entries
        .iter()
        .find(|e| e.action == "login")
        .expect("login entry");
    assert_eq!(login.actor, "olena@example.ua");
}

#[tokio::test]
async fn staff_must_enrol_totp_before_acting() {
    let mut app = TestApp::new().await;
    let id = app.create_user("admin@example.ua", Role::Admin, "").await;
    let r = app.login_password("admin@example.ua").await;
    assert_eq!(r.location(), "/uk/account/2fa");
    // Without the second factor, admin pages send the admin to enrol.
    let r = app.get("/uk/admin/audit").await;
    assert_eq!(
        (r.status, r.location()),
        (StatusCode::SEE_OTHER, "/uk/account/2fa")
    );
    let r = app.get("/uk/account/2fa").await;
    assert_eq!(r.count("figure.qr svg"), 1);
    let r = app
        .post_form("/uk/account/2fa", &[("code", "000000")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text(".errors").contains("Код неправильний"));
    let code = app.totp_code(id, 0).await;
    let r = app.post_form("/uk/account/2fa", &[("code", &code)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(app.get("/uk/admin/audit").await.status, StatusCode::OK);

    // A new login asks for a code; the same code cannot be used twice.
    let mut second = app.other_browser();
    second.login_password("admin@example.ua").await;
    let r = second.get("/uk/admin/users").await;
    assert_eq!(r.location(), "/uk/login/2fa");
    let r = second
        .post_form(
            "/uk/login/2fa",
            &[("code", &code), ("next", "/uk/admin/users")],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "replayed code accepted"
    );
    let next = app.totp_code(id, 1).await;
    let r = second
        .post_form(
            "/uk/login/2fa",
            &[("code", &next), ("next", "/uk/admin/users")],
        )
        .await;
    assert_eq!(
        (r.status, r.location()),
        (StatusCode::SEE_OTHER, "/uk/admin/users")
    );
    assert_eq!(second.get("/uk/admin/users").await.status, StatusCode::OK);
}

#[tokio::test]
async fn forms_without_csrf_are_refused_and_lose_nothing() {
    let mut app = TestApp::new().await;
    app.create_user("petro@example.ua", Role::Partner, "").await;
    app.csrf().await;
    let body = "email=petro%40example.ua&password=correct+horse+battery+staple";
    let r = app
        .request(
            Method::POST,
            "/en/login",
            Some("application/x-www-form-urlencoded"),
            body.into(),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.text("main").contains("form has expired"), "{}", r.body);
    assert!(!app.cookies.contains_key("hromada_session"));
    let body = format!("{body}&csrf=not-the-cookie-value-at-all-000");
    let r = app
        .request(
            Method::POST,
            "/en/login",
            Some("application/x-www-form-urlencoded"),
            body.into(),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn login_is_rate_limited_per_account() {
    let mut app = TestApp::new().await;
    app.create_user("ivan@example.ua", Role::Partner, "").await;
    for _ in 0..5 {
        let r = app.login_with("ivan@example.ua", "not the password").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    // Even the right password waits now.
    let r = app.login_password("ivan@example.ua").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.text("main").contains("Забагато спроб"), "{}", r.body);
    assert!(r.headers.contains_key("retry-after"));
}

#[tokio::test]
async fn password_reset_by_mail_ends_sessions_and_is_single_use() {
    let mut app = TestApp::new().await;
    app.create_user("maria@example.ua", Role::SectionCoordinator, "secretaries")
        .await;
    let mut other = app.other_browser();
    other.login_password("maria@example.ua").await;
    assert_eq!(other.get("/uk/account").await.status, StatusCode::OK);

    let r = app
        .post_form("/en/password/forgot", &[("email", "maria@example.ua")])
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("If such an account exists"));
    // An unknown address gets the same answer and no mail.
    let r = app
        .post_form("/en/password/forgot", &[("email", "nobody@example.ua")])
        .await;
    assert!(r.body.contains("If such an account exists"));
    assert!(app.mail_to("nobody@example.ua").await.is_empty());

    let mail = app.mail_to("maria@example.ua").await;
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].lang, "en");
    assert!(
        mail[0]
            .body_html
            .as_deref()
            .unwrap_or("")
            .contains("<html lang=\"en\">")
    );
    let link = link_in(
        &mail[0].body_text,
        "http://hromada.test/en/password/reset?token=",
    );
    let r = app.get(&link).await;
    assert_eq!(r.status, StatusCode::OK);
    let token = link.split("token=").nth(1).unwrap_or_default().to_string();
    let r = app
        .post_form(
            "/en/password/reset",
            &[
                ("token", &token),
                ("password", "short"),
                ("password2", "short"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text(".errors").contains("too short"));
    let new = "a brand new long password";
    let r = app
        .post_form(
            "/en/password/reset",
            &[("token", &token), ("password", new), ("password2", new)],
        )
        .await;
    assert_eq!(
        (r.status, r.location()),
        (StatusCode::SEE_OTHER, "/en/login?reset=1")
    );
    // The other browser's session ended with the password change.
    assert_eq!(other.get("/uk/account").await.status, StatusCode::SEE_OTHER);
    // The link works once.
    let r = app.get(&link).await;
    assert_eq!(r.status, StatusCode::GONE);
    assert!(r.text("main").contains("no longer valid"));
    // The old password is gone, the new one works.
    assert_eq!(
        app.login_password("maria@example.ua").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let r = app
        .post_form(
            "/uk/login",
            &[("email", "maria@example.ua"), ("password", new)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn expired_reset_link_is_gone() {
    let mut app = TestApp::new().await;
    let id = app.create_user("taras@example.ua", Role::Partner, "").await;
    let token = "expired-token-for-the-test-0001";
    let mut tx = app.state.db.begin().await.expect("tx");
    let past = hromada::clock::now() - chrono::Duration::hours(3);
    hromada::auth::repo::create_one_time_token(
        &mut tx,
        id,
        hromada::auth::repo::Purpose::ResetPassword,
        &hromada::secrets::secret_hash(token),
        past,
        past + chrono::Duration::hours(2),
    )
    .await
    .expect("token");
    tx.commit().await.expect("commit");
    let r = app.get(&format!("/uk/password/reset?token={token}")).await;
    assert_eq!(r.status, StatusCode::GONE);
    assert!(r.text("main").contains("Посилання недійсне"));
}

#[tokio::test]
async fn invitation_verifies_email_and_password_change_keeps_this_session_only() {
    let mut app = TestApp::new().await;
    app.login_as(Role::Admin).await;
    let r = app
        .post_form(
            "/uk/admin/users",
            &[
                ("email", "new@example.ua"),
                ("display_name", "Нова Людина"),
                ("role", "editor"),
                ("scope", ""),
                ("lang", "uk"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = app
        .post_form(
            "/uk/admin/users",
            &[
                ("email", "new@example.ua"),
                ("display_name", "X"),
                ("role", "editor"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text(".errors").contains("вже існує"));
    let r = app
        .post_form(
            "/uk/admin/users",
            &[
                ("email", "c@example.ua"),
                ("display_name", "X"),
                ("role", "coordinator"),
            ],
        )
        .await;
    assert!(
        r.text(".errors").contains("потрібна сфера дії"),
        "{}",
        r.body
    );

    let mail = app.mail_to("new@example.ua").await;
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].subject, "Запрошення до hromada");
    let link = link_in(
        &mail[0].body_text,
        "http://hromada.test/uk/password/reset?token=",
    );
    let token = link.split("token=").nth(1).unwrap_or_default().to_string();
    let mut invitee = app.other_browser();
    let r = invitee
        .post_form(
            "/uk/password/reset",
            &[
                ("token", &token),
                ("password", PASSWORD),
                ("password2", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = invitee.login_password("new@example.ua").await;
    assert_eq!(r.location(), "/uk/account/2fa", "an editor is staff");

    let mut phone = app.other_browser();
    phone.login_password("new@example.ua").await;
    let r = invitee
        .post_form(
            "/uk/account/password",
            &[
                ("current", PASSWORD),
                ("password", "another good password"),
                ("password2", "another good password"),
            ],
        )
        .await;
    // Staff without the second factor cannot change the password yet.
    assert_eq!(r.location(), "/uk/account/2fa");
}

/// The account page's password form through the API: a program with the account's token
/// changes the password only by proving the current one (422 `current`, `password` for a
/// weak new one); then every token is revoked, the one that asked too, and the new password
/// signs in. Staff act only after the second factor, as on the page.
#[tokio::test]
async fn a_token_changes_the_password_only_with_the_current_one() {
    let app = TestApp::new().await;
    let id = app
        .create_user("partner@example.ua", Role::Partner, "")
        .await;
    let mut program = app.token_client(id).await;
    let path = "/api/v1/me/password";
    let new = "a brand new long password";
    for (body, field) in [
        (
            serde_json::json!({ "current": "a guess", "password": new }),
            "current",
        ),
        (
            serde_json::json!({ "current": PASSWORD, "password": "short" }),
            "password",
        ),
    ] {
        let r = program.send_json(Method::PUT, path, &body).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.json()["error"]["fields"][0]["field"], field);
    }
    let r = program
        .send_json(
            Method::PUT,
            path,
            &serde_json::json!({ "current": PASSWORD, "password": new }),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    assert_eq!(
        program.get("/api/v1/me").await.status,
        StatusCode::UNAUTHORIZED
    );
    let mut browser = app.other_browser();
    let r = browser.login_with("partner@example.ua", new).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // An editor signed in with the password alone has not passed the second factor.
    app.create_user("editor@example.ua", Role::Editor, "").await;
    let mut editor = app.other_browser();
    editor.login_password("editor@example.ua").await;
    let r = editor
        .send_json(
            Method::PUT,
            path,
            &serde_json::json!({ "current": PASSWORD, "password": new }),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(r.json()["error"]["code"], "second_factor_required");
    assert_eq!(
        app.other_browser()
            .send_json(Method::PUT, path, &serde_json::json!({}))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

/// The account page's "send the link again" through the API: a link for an address not yet
/// verified (202), nothing for a verified one (204).
#[tokio::test]
async fn a_token_asks_for_a_new_verification_link() {
    let app = TestApp::new().await;
    let id = app
        .create_user("partner@example.ua", Role::Partner, "")
        .await;
    let mut program = app.token_client(id).await;
    let path = "/api/v1/me/verify-email";
    let r = program
        .send_json(Method::POST, path, &serde_json::json!({}))
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    hromada::db_exec!(&app.state.db, c => sqlx::query(
        "UPDATE users SET email_verified_at = NULL WHERE id = $1").bind(id).execute(c).await)
    .expect("unverified");
    let r = program
        .send_json(Method::POST, path, &serde_json::json!({}))
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let mail = app.mail_to("partner@example.ua").await;
    assert_eq!(mail[0].kind, "verify");
    let link = link_in(
        &mail[0].body_text,
        "http://hromada.test/uk/verify-email?token=",
    );
    assert_eq!(app.other_browser().get(&link).await.status, StatusCode::OK);
    assert_eq!(
        program.get("/api/v1/me").await.json()["email_verified"],
        true
    );
}
