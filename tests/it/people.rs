//! People and posts: a community's head changes and the old one stays in its history; posts
//! cannot end before they start; contacts are public only when the person says so; only staff
//! of the community's office record posts. The API twins of the forms do the same.

use axum::http::{Method, StatusCode};
use hromada::identity::Role;
use serde_json::json;

use crate::harness::{TestApp, link_in};

const VINNYTSKA: &str = "UA05020030000031457";

#[tokio::test]
async fn a_new_head_takes_over_and_the_old_one_stays_in_the_history() {
    let mut app = TestApp::with_registry().await;
    app.login_as(Role::Admin).await;
    let first = app
        .post_form(
            &format!("/uk/members/{VINNYTSKA}/posts"),
            &[
                ("kind", "head"),
                ("name_uk", "Олена Коваль"),
                ("since", "2020-11-20"),
            ],
        )
        .await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
    let page = app.get(&format!("/uk/members/{VINNYTSKA}")).await;
    assert!(page.text("#head + p").contains("Олена Коваль"));

    let early = app
        .post_form(
            &format!("/uk/members/{VINNYTSKA}/posts"),
            &[
                ("kind", "head"),
                ("name_uk", "Іван Гнатюк"),
                ("since", "2019-01-01"),
            ],
        )
        .await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(early.text(".errors").contains("раніше за чинного"));
    let backwards = app
        .post_form(
            &format!("/en/members/{VINNYTSKA}/posts"),
            &[
                ("kind", "secretary"),
                ("name_uk", "Марія Бойко"),
                ("since", "2021-01-10"),
                ("until", "2020-12-31"),
                ("end_reason", "resigned"),
            ],
        )
        .await;
    assert_eq!(backwards.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        backwards
            .text(".errors")
            .contains("cannot end before it starts")
    );

    let second = app
        .post_form(
            &format!("/uk/members/{VINNYTSKA}/posts"),
            &[
                ("kind", "head"),
                ("name_uk", "Іван Гнатюк"),
                ("since", "2024-03-01"),
                ("previous_end", "captured"),
            ],
        )
        .await;
    assert_eq!(second.status, StatusCode::SEE_OTHER, "{}", second.body);
    let page = app.get(&format!("/en/members/{VINNYTSKA}")).await;
    assert!(
        page.text("#head + p").contains("Ivan Hnatiuk"),
        "{}",
        page.text("#head + p")
    );
    let history = page.text("table.posts");
    assert!(
        history.contains("Olena Koval") && history.contains("captured by the occupiers"),
        "{history}"
    );
    assert!(history.contains("2024-03-01"));

    // The old head's page keeps the post with how it ended; the API says the same.
    let sel = scraper::Selector::parse("table.posts a[href^='/en/people/']").expect("sel");
    let href = page
        .html()
        .select(&sel)
        .next()
        .and_then(|a| a.value().attr("href").map(str::to_string))
        .expect("person link");
    let person = app.get(&href).await;
    assert_eq!(person.text("h1"), "Olena Koval");
    let id = href.rsplit('/').next().unwrap_or_default();
    let api = app.get(&format!("/api/v1/people/{id}")).await.json();
    assert_eq!(api["posts"][0]["end_reason"], "captured");
    assert_eq!(api["posts"][0]["until"], "2024-03-01");
    let audit = app.get("/uk/admin/audit?action=add_post").await;
    assert_eq!(audit.count("table tbody tr"), 2);
}

#[tokio::test]
async fn contacts_are_public_only_when_the_person_says_so() {
    let mut app = TestApp::with_registry().await;
    app.login_as(Role::Admin).await;
    app.post_form(
        &format!("/uk/members/{VINNYTSKA}/posts"),
        &[
            ("kind", "starosta"),
            ("name_uk", "Петро Мельник"),
            ("since", "2021-02-01"),
        ],
    )
    .await;
    let people = app.get("/api/v1/people").await.json();
    let id = people["items"][0]["id"].as_i64().expect("id");
    let saved = app
        .post_form(
            &format!("/uk/people/{id}/contacts"),
            &[
                ("email", "petro@example.ua"),
                ("phone", "+380 44 000 00 00"),
                ("phone_public", "1"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let mut public = app.other_browser();
    let page = public.get(&format!("/uk/people/{id}")).await;
    let facts = page.text("dl.facts");
    assert!(
        facts.contains("+380 44 000 00 00") && !facts.contains("petro@example.ua"),
        "{facts}"
    );
    let api = public.get(&format!("/api/v1/people/{id}")).await.json();
    assert!(api["email"].is_null());
    assert_eq!(api["phone"], "+380 44 000 00 00");
    // Staff see everything, marked as not public.
    let page = app.get(&format!("/uk/people/{id}")).await;
    assert!(page.text("dl.facts").contains("petro@example.ua"));
    // Others may not change them.
    let mut other = app.other_browser();
    other.login_as(Role::Partner).await;
    let refused = other
        .post_form(
            &format!("/uk/people/{id}/contacts"),
            &[("email", "x@example.ua")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.text(".errors").contains("поза ними"));
}

#[tokio::test]
async fn only_staff_of_the_communitys_office_record_posts() {
    let mut app = TestApp::with_registry().await;
    app.login_as_scoped(Role::Coordinator, "kyivska").await;
    let refused = app
        .post_form(
            &format!("/uk/members/{VINNYTSKA}/posts"),
            &[
                ("kind", "head"),
                ("name_uk", "Олена Коваль"),
                ("since", "2020-11-20"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.text(".errors").contains("поза ними"));
}

/// The API twins of the post forms: a program records a head, a new head takes over, a post
/// ends; a bad kind, a bad date and a rule of the dates are named; staff of another office
/// and other roles are refused.
#[tokio::test]
async fn posts_are_recorded_and_ended_through_the_api() {
    let app = TestApp::with_registry().await;
    let (mut admin, _) = app.token_client_as(Role::Admin, "").await;
    let posts = format!("/api/v1/members/{VINNYTSKA}/posts");
    let first = json!({ "kind": "head", "name_uk": "Олена Коваль", "since": "2020-11-20" });
    let r = admin.send_json(Method::POST, &posts, &first).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let olena = r.json()["person"].as_i64().expect("person");
    assert_eq!(r.json()["community"], VINNYTSKA);
    assert!(r.json()["until"].is_null());

    for (body, field) in [
        (
            json!({ "kind": "mayor", "name_uk": "Х", "since": "2020-11-20" }),
            "kind",
        ),
        (
            json!({ "kind": "deputy", "name_uk": "Х", "since": "20.11.2020" }),
            "since",
        ),
        (
            json!({ "kind": "head", "name_uk": "Іван Гнатюк", "since": "2019-01-01" }),
            "since",
        ),
        (
            json!({ "kind": "deputy", "since": "2021-01-01" }),
            "name_uk",
        ),
    ] {
        let r = admin.send_json(Method::POST, &posts, &body).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            r.body
        );
        assert_eq!(r.error_fields(), [field], "{body}");
    }

    let second = json!({ "kind": "head", "name_uk": "Іван Гнатюк", "since": "2024-03-01",
                         "previous_end": "captured" });
    let r = admin.send_json(Method::POST, &posts, &second).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let ivan_post = r.json()["id"].as_i64().expect("post");
    let old = admin.get(&format!("/api/v1/people/{olena}")).await.json();
    assert_eq!(old["posts"][0]["until"], "2024-03-01");
    assert_eq!(old["posts"][0]["end_reason"], "captured");

    let end = format!("/api/v1/posts/{ivan_post}/end");
    let resigned = json!({ "until": "2025-01-31", "reason": "resigned" });
    let r = admin.send_json(Method::POST, &end, &resigned).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["until"], "2025-01-31");
    assert_eq!(r.json()["end_reason"], "resigned");
    let r = admin.send_json(Method::POST, &end, &resigned).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_fields(), ["since"]);
    let r = admin
        .send_json(
            Method::POST,
            &end,
            &json!({ "until": "2025-01-31", "reason": "x" }),
        )
        .await;
    assert_eq!(r.error_fields(), ["reason"]);

    // A coordinator acts only where their office covers the community; a partner not at all.
    let (mut elsewhere, _) = app.token_client_as(Role::Coordinator, "kyivska").await;
    let r = elsewhere.send_json(Method::POST, &posts, &first).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.json()["error"]["code"], "out_of_scope");
    let r = elsewhere.send_json(Method::POST, &end, &resigned).await;
    assert_eq!(r.json()["error"]["code"], "out_of_scope");
    let (mut partner, _) = app.token_client_as(Role::Partner, "").await;
    let r = partner.send_json(Method::POST, &posts, &first).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let mut actions = app.audit_actions("community").await;
    actions.sort();
    assert_eq!(actions, ["add_post", "add_post", "end_post"]);
}

/// The API twins of the contact form and of the mailed link: an admin changes a person's
/// contacts, the owner of the address confirms it with the link's token (once), a bad
/// address is named, and others are refused.
#[tokio::test]
async fn contacts_are_changed_and_verified_through_the_api() {
    let app = TestApp::with_registry().await;
    let (mut admin, _) = app.token_client_as(Role::Admin, "").await;
    let post = json!({ "kind": "starosta", "name_uk": "Петро Мельник", "since": "2021-02-01" });
    let r = admin
        .send_json(
            Method::POST,
            &format!("/api/v1/members/{VINNYTSKA}/posts"),
            &post,
        )
        .await;
    let person = r.json()["person"].as_i64().expect("person");
    let contacts = format!("/api/v1/people/{person}/contacts");
    let r = admin
        .send_json(
            Method::PUT,
            &contacts,
            &json!({ "email": "Petro@Example.UA", "phone": "+380 44 000 00 00",
                     "phone_public": true, "lang": "en" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let out = r.json();
    assert_eq!(out["email"], "petro@example.ua");
    assert_eq!(out["email_verified"], false);
    assert_eq!(out["email_check"], "mailed");
    assert_eq!(out["phone_public"], true);
    let r = admin
        .send_json(
            Method::PUT,
            &contacts,
            &json!({ "email": "not an address" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_fields(), ["email"]);
    let (mut partner, _) = app.token_client_as(Role::Partner, "").await;
    let r = partner
        .send_json(Method::PUT, &contacts, &json!({ "email": "x@example.ua" }))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // The owner's app opens the mailed link itself and confirms with its token.
    let mail = app.mail_to("petro@example.ua").await;
    let letter = mail
        .iter()
        .find(|m| m.kind == "person-verify")
        .expect("verification mail");
    let link = link_in(
        &letter.body_text,
        "http://hromada.test/en/people/email/verify",
    );
    let token = link.split("token=").nth(1).expect("token");
    let mut owner = app.other_browser();
    let verify = json!({ "token": token });
    let r = owner
        .send_json(Method::POST, "/api/v1/people/email-verifications", &verify)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["person"], person);
    let r = owner
        .send_json(Method::POST, "/api/v1/people/email-verifications", &verify)
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = admin
        .send_json(
            Method::PUT,
            &contacts,
            &json!({ "email": "petro@example.ua", "email_public": true }),
        )
        .await;
    assert_eq!(r.json()["email_verified"], true);
    assert_eq!(r.json()["email_check"], "nothing");
    let public = owner.get(&format!("/api/v1/people/{person}")).await.json();
    assert_eq!(public["email"], "petro@example.ua");
    assert!(public["phone"].is_null());
    let actions = app.audit_actions("person").await;
    assert_eq!(
        actions
            .iter()
            .filter(|a| *a == "verify_contact_email")
            .count(),
        1
    );
}
