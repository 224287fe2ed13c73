//! People and posts: a community's head changes and the old one stays in its history; posts
//! cannot end before they start; contacts are public only when the person says so; only staff
//! of the community's office record posts.

use axum::http::StatusCode;
use hromada::auth::Role;

use crate::harness::TestApp;

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
