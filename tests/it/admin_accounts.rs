//! An admin manages accounts: roles with scopes, disabling, a lost second factor; and can
//! never lock the association out of its own system.

use axum::http::{Method, StatusCode};
use hromada::identity::Role;

use crate::harness::{PASSWORD, TestApp};

#[tokio::test]
async fn admin_grants_and_revokes_roles_on_the_account_page() {
    let mut admin = TestApp::new().await;
    admin.login_as(Role::Admin).await;
    let olena = admin
        .create_user("olena@example.ua", Role::Partner, "")
        .await;
    let mut olena_browser = admin.other_browser();
    olena_browser.login_password("olena@example.ua").await;

    let list = admin.get("/uk/admin/users").await;
    assert!(
        list.body
            .contains(&format!("href=\"/uk/admin/users/{olena}\"")),
        "{}",
        list.body
    );
    let page = admin.get(&format!("/uk/admin/users/{olena}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("olena@example.ua"));

    // A scoped role needs its scope: the page says so in Ukrainian and keeps the choice.
    let r = admin
        .post_form(
            &format!("/uk/admin/users/{olena}/roles"),
            &[("role", "coordinator"), ("scope", " ")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text(".errors").contains("потрібна сфера дії"),
        "{}",
        r.text(".errors")
    );
    assert!(r.body.contains("<option value=\"coordinator\" selected>"));

    let r = admin
        .post_form(
            &format!("/uk/admin/users/{olena}/roles"),
            &[
                ("role", "community_official"),
                ("scope", "UA05020030000031457"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = admin.get(r.location()).await;
    assert!(
        page.text(".notice").contains("Роль додано"),
        "{}",
        page.body
    );
    assert!(page.body.contains("UA05020030000031457"));
    let user = admin.get(&format!("/api/v1/users/{olena}")).await.json();
    let roles: Vec<String> = user["roles"]
        .as_array()
        .expect("roles")
        .iter()
        .map(|g| {
            format!(
                "{}:{}",
                g["role"].as_str().unwrap_or(""),
                g["scope"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(
        roles,
        ["community_official:UA05020030000031457", "partner:"]
    );

    // Removing a role ends the account's sessions at once.
    assert_eq!(
        olena_browser.get("/uk/account").await.status,
        StatusCode::OK
    );
    let r = admin
        .post_form(
            &format!("/uk/admin/users/{olena}/roles/remove"),
            &[("role", "partner"), ("scope", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = olena_browser.get("/uk/account").await;
    assert!(r.location().starts_with("/uk/login"), "{}", r.status);
    // Removing a role the account does not hold is a 404, not a silent success.
    let r = admin
        .post_form(
            &format!("/uk/admin/users/{olena}/roles/remove"),
            &[("role", "partner"), ("scope", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    let audit = admin.get("/api/v1/audit?entity=user").await.json();
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|e| e["entity_id"].as_str() == Some(olena.to_string().as_str()))
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert!(
        actions.contains(&"grant_role") && actions.contains(&"revoke_role"),
        "{actions:?}"
    );
}

#[tokio::test]
async fn a_disabled_account_cannot_sign_in_or_use_its_tokens() {
    let mut admin = TestApp::new().await;
    admin.login_as(Role::Admin).await;
    let olena = admin
        .create_user("olena@example.ua", Role::Partner, "")
        .await;
    let mut olena_browser = admin.other_browser();
    olena_browser.login_password("olena@example.ua").await;
    let token = olena_browser
        .send_json(
            Method::POST,
            "/api/v1/tokens",
            &serde_json::json!({"name": "t"}),
        )
        .await
        .json()["token"]
        .as_str()
        .expect("token")
        .to_string();
    let mut olena_api = admin.other_browser();
    olena_api.bearer = Some(token);
    assert_eq!(olena_api.get("/api/v1/me").await.status, StatusCode::OK);

    let r = admin
        .post_form(&format!("/en/admin/users/{olena}/disable"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = admin.get(r.location()).await;
    assert!(page.text(".notice").contains("disabled"), "{}", page.body);
    assert!(
        olena_browser
            .get("/uk/account")
            .await
            .location()
            .starts_with("/uk/login")
    );
    assert_eq!(
        olena_api.get("/api/v1/me").await.status,
        StatusCode::UNAUTHORIZED
    );
    let r = admin
        .other_browser()
        .login_with("olena@example.ua", PASSWORD)
        .await;
    assert_ne!(
        r.status,
        StatusCode::SEE_OTHER,
        "a disabled account signed in"
    );

    // Enabled again through the API: password and token work again.
    let r = admin
        .send_json(
            Method::POST,
            &format!("/api/v1/users/{olena}/enable"),
            &serde_json::json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    assert_eq!(olena_api.get("/api/v1/me").await.status, StatusCode::OK);
    let r = admin
        .other_browser()
        .login_with("olena@example.ua", PASSWORD)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_lost_second_factor_is_reset_and_enrolled_again() {
    let mut admin = TestApp::new().await;
    admin.login_as(Role::Admin).await;
    let mut editor = admin.other_browser();
    let editor_id = editor.login_as(Role::Editor).await;
    assert_eq!(editor.get("/uk/account").await.status, StatusCode::OK);

    let r = admin
        .post_form(&format!("/uk/admin/users/{editor_id}/reset-2fa"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(
        editor
            .get("/uk/account")
            .await
            .location()
            .starts_with("/uk/login")
    );
    let email = admin
        .get(&format!("/api/v1/users/{editor_id}"))
        .await
        .json()["email"]
        .as_str()
        .expect("email")
        .to_string();
    let r = editor.login_password(&email).await;
    assert_eq!(r.location(), "/uk/account/2fa", "enrols again");
    // Nothing to reset twice.
    let r = admin
        .send_json(
            Method::POST,
            &format!("/api/v1/users/{editor_id}/reset-2fa"),
            &serde_json::json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn the_last_admin_cannot_be_removed_or_disabled() {
    let mut admin = TestApp::new().await;
    let me = admin.login_as(Role::Admin).await;
    let r = admin
        .post_form(
            &format!("/uk/admin/users/{me}/roles/remove"),
            &[("role", "admin"), ("scope", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text(".errors").contains("адміністратора"), "{}", r.body);
    let r = admin
        .send_json(
            Method::DELETE,
            &format!("/api/v1/users/{me}/roles/admin"),
            &serde_json::json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.json()["error"]["code"], "conflict");
    let r = admin
        .post_form(&format!("/en/admin/users/{me}/disable"), &[])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("your own account"), "{}", r.body);

    // With a second admin, the first may step down; the second may not then be disabled
    // by anyone, since they are the last.
    let mut second = admin.other_browser();
    let second_id = second.login_as(Role::Admin).await;
    let r = admin
        .send_json(
            Method::DELETE,
            &format!("/api/v1/users/{me}/roles/admin"),
            &serde_json::json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let r = second
        .send_json(
            Method::POST,
            &format!("/api/v1/users/{second_id}/disable"),
            &serde_json::json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let user = second.get(&format!("/api/v1/users/{me}")).await.json();
    assert_eq!(user["roles"].as_array().map(Vec::len), Some(0), "{user}");
}
