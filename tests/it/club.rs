//! The Mayors' Club application: a former mayor applies in English, the acknowledgement mail
//! is queued in English with a link to the application's page; bad input comes back with
//! every problem and nothing typed lost; an ambiguous community name offers the candidates;
//! one open application per address. The applicant's answer and the quorum setting have API
//! twins.

use axum::http::StatusCode;

use crate::harness::{TestApp, link_in};

fn form<'a>(
    name: &'a str,
    community: &'a str,
    email: &'a str,
    lang: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", name),
        ("community", community),
        ("term_since", "2015-11-01"),
        ("term_until", "2020-11-20"),
        ("email", email),
        ("phone", "+380 67 000 00 00"),
        (
            "motivation",
            "I want to share what our hromada learnt about schools after 2022.",
        ),
        ("lang", lang),
    ]
}

#[tokio::test]
async fn a_former_mayor_applies_and_follows_the_application() {
    let mut app = TestApp::with_registry().await;
    let page = app.get("/en/club/apply").await;
    assert_eq!(page.status, StatusCode::OK);
    let sent = app
        .post_form(
            "/en/club/apply",
            &form(
                "Olena Koval",
                "UA05020030000031457",
                "olena@example.ua",
                "en",
            ),
        )
        .await;
    // Issue 16: the answer no longer leads to the status page (a duplicate's answer would then
    // differ); the status link goes by mail only.
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    assert_eq!(sent.location(), "/en/club/apply/sent");
    let page = app.get(sent.location()).await;
    assert!(page.text("main").contains("we have sent a letter"));

    let mail = app.mail_to("olena@example.ua").await;
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].lang, "en");
    assert_eq!(
        mail[0].subject,
        "Your application to the Mayors' Club has arrived"
    );
    let link = link_in(&mail[0].body_text, "/en/club/applications/");
    let page = app.other_browser().get(&link).await;
    assert!(page.text("dl.facts").contains("Olena Koval"));
    let facts = page.text("dl.facts");
    assert!(
        facts.contains("sent, waiting for the committee")
            && facts.contains("Vinnytska urban hromada"),
        "{facts}"
    );
    assert_eq!(
        app.get("/en/club/applications/club.not-a-token")
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // One open application per address: a second one is answered as any other, and the owner
    // gets a fresh link to the open one by mail (issue 16: the 422 "already under review"
    // told anyone that the address had applied).
    let again = app
        .post_form(
            "/uk/club/apply",
            &form(
                "Олена Коваль",
                "UA05020030000031457",
                "Olena@Example.UA",
                "uk",
            ),
        )
        .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_eq!(again.location(), "/uk/club/apply/sent");
    let mail = app.mail_to("olena@example.ua").await;
    let notice = mail
        .iter()
        .find(|m| m.kind == "club-apply-open")
        .expect("the owner is told");
    assert_eq!(notice.lang, "en", "in the open application's language");
    let fresh = link_in(&notice.body_text, "/en/club/applications/");
    assert!(
        app.get(&fresh)
            .await
            .text("dl.facts")
            .contains("Olena Koval")
    );
    assert_eq!(app.get(&link).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        hromada::club::repo::applications(&app.state.db)
            .await
            .expect("applications")
            .len(),
        1
    );
    let mut admin = app.other_browser();
    admin.login_as(hromada::identity::Role::Admin).await;
    let audit = admin.get("/uk/admin/audit?entity=club_application").await;
    assert!(audit.text("table").contains("olena@example.ua"));
}

#[tokio::test]
async fn bad_applications_come_back_with_every_problem_and_nothing_lost() {
    let mut app = TestApp::with_registry().await;
    let bad = app
        .post_form(
            "/uk/club/apply",
            &[
                ("name", "Ян"),
                ("community", "Атлантида"),
                ("term_since", "2030-01-01"),
                ("email", "не пошта"),
                ("motivation", "коротко"),
                ("lang", "fr"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.count(".errors li"), 6, "{}", bad.text(".errors"));
    let sel = scraper::Selector::parse("#c-community").expect("sel");
    let kept = bad
        .html()
        .select(&sel)
        .next()
        .and_then(|e| e.value().attr("value").map(str::to_string));
    assert_eq!(kept.as_deref(), Some("Атлантида"));

    // A name several hromadas share offers them to choose from.
    let ambiguous = app
        .post_form(
            "/uk/club/apply",
            &form("Петро Мельник", "Миколаївська", "petro@example.ua", "uk"),
        )
        .await;
    assert_eq!(ambiguous.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(ambiguous.count("input[type='radio'][name='community']") > 1);
    let ended_before = app
        .post_form(
            "/en/club/apply",
            &[
                ("name", "Petro Melnyk"),
                ("community", "UA05020030000031457"),
                ("term_since", "2020-11-20"),
                ("term_until", "2015-01-01"),
                ("email", "petro@example.ua"),
                ("motivation", "Twenty characters and more, surely."),
                ("lang", "en"),
            ],
        )
        .await;
    assert_eq!(ended_before.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        ended_before
            .text(".errors")
            .contains("cannot end before it starts")
    );
}

#[tokio::test]
async fn a_flood_of_applications_from_one_address_is_slowed_down() {
    let mut app = TestApp::with_registry().await;
    for n in 0..5 {
        let email = format!("mayor{n}@example.ua");
        let sent = app
            .post_form(
                "/uk/club/apply",
                &form("Петро Мельник", "UA05020030000031457", &email, "uk"),
            )
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{n}: {}", sent.body);
    }
    let refused = app
        .post_form(
            "/uk/club/apply",
            &form(
                "Петро Мельник",
                "UA05020030000031457",
                "mayor5@example.ua",
                "uk",
            ),
        )
        .await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(refused.headers.contains_key("retry-after"));
    assert!(app.mail_to("mayor5@example.ua").await.is_empty());
}

/// A form with mistakes does not use up the allowance, and applications sent all at once are
/// each counted before they are handled, so no more than the limit get through.
#[tokio::test]
async fn the_address_limit_counts_sound_applications_even_all_at_once() {
    let mut app = TestApp::with_registry().await;
    for _ in 0..8 {
        let bad = app
            .post_form(
                "/uk/club/apply",
                &form("", "UA05020030000031457", "typo@example.ua", "uk"),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let body = |n: usize| {
        serde_json::json!({
            "name": "Петро Мельник", "community": "UA05020030000031457",
            "term_since": "2015-11-01", "email": format!("mayor{n}@example.ua"), "lang": "uk",
            "motivation": "Хочу ділитися досвідом з іншими головами громад.",
        })
    };
    let bodies: Vec<_> = (0..8).map(body).collect();
    let mut visitors: Vec<_> = (0..8).map(|_| app.other_browser()).collect();
    let answers = futures_util::future::join_all(
        visitors
            .iter_mut()
            .zip(&bodies)
            .map(|(v, b)| v.send_json(axum::http::Method::POST, "/api/v1/club/applications", b)),
    )
    .await;
    let taken = answers
        .iter()
        .filter(|r| r.status == StatusCode::ACCEPTED)
        .count();
    let refused = answers
        .iter()
        .filter(|r| r.status == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!(
        (taken, refused),
        (hromada::club::pages::APPLICATIONS_PER_ADDRESS as usize, 3),
        "{:?}",
        answers.iter().map(|r| r.status).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn committee_members_review_applications() {
    let mut app = TestApp::with_registry().await;
    let sent = app
        .post_form(
            "/en/club/apply",
            &form(
                "Olena Koval",
                "UA05020030000031457",
                "olena@example.ua",
                "en",
            ),
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);

    let mut first = app.other_browser();
    first.login_as(hromada::identity::Role::ClubCommittee).await;
    let list = first.get("/uk/club/review").await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.count("table.applications tbody tr"), 1);
    let sel = scraper::Selector::parse("table.applications a").expect("sel");
    let href = list
        .html()
        .select(&sel)
        .next()
        .and_then(|a| a.value().attr("href").map(str::to_string))
        .expect("application link");
    let page = first.get(&href).await;
    assert!(page.text("p.motivation").contains("schools after 2022"));
    let bad = first
        .post_form(&href, &[("recommendation", "maybe"), ("comment", "")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let done = first
        .post_form(
            &href,
            &[
                ("recommendation", "accept"),
                ("comment", "Досвідчена голова."),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    // A second review from the same member replaces the first.
    first
        .post_form(
            &href,
            &[
                ("recommendation", "more_info"),
                ("comment", "Уточнити строк."),
            ],
        )
        .await;
    let mut second = app.other_browser();
    second
        .login_as(hromada::identity::Role::ClubCommittee)
        .await;
    second
        .post_form(
            &href,
            &[("recommendation", "accept"), ("comment", "Підтримую.")],
        )
        .await;
    let page = second.get(&href).await;
    assert_eq!(page.count("ul.reviews li"), 2);
    assert!(
        page.text("ul.reviews")
            .contains("попросити додаткову інформацію")
    );
    let list = second.get("/uk/club/review").await;
    assert!(
        list.text("table.applications tbody tr td.num")
            .contains('2')
    );

    // Others cannot see the applications.
    let mut partner = app.other_browser();
    partner.login_as(hromada::identity::Role::Partner).await;
    assert_eq!(
        partner.get("/uk/club/review").await.status,
        StatusCode::FORBIDDEN
    );
}

/// The API twins of the applicant's answer form (by the status link's secret) and of the
/// admins' quorum setting: a bad quorum and an empty answer are named, a committee member may
/// not set the quorum, an unknown link is 404 and a second answer 409.
#[tokio::test]
async fn the_applicant_answers_and_admins_set_the_quorum_through_the_api() {
    use axum::http::Method;
    use hromada::identity::Role;
    use serde_json::json;
    let mut app = TestApp::with_registry().await;
    let (mut admin, _) = app.token_client_as(Role::Admin, "").await;
    let settings = "/api/v1/club/settings";
    let r = admin
        .send_json(Method::PUT, settings, &json!({ "quorum": 0 }))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_fields(), ["quorum"]);
    let r = admin
        .send_json(Method::PUT, settings, &json!({ "quorum": 1 }))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["quorum"], 1);
    let (mut committee, _) = app.token_client_as(Role::ClubCommittee, "").await;
    let r = committee
        .send_json(Method::PUT, settings, &json!({ "quorum": 5 }))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let (id, _) =
        crate::club_decisions::apply(&mut app, "Петро Бондар", "petro@example.ua", "uk").await;
    crate::club_decisions::review(&app, id, "more_info").await;
    let (mut chair, _) = app.token_client_as(Role::ClubChair, "").await;
    let asked = chair
        .send_json(
            Method::POST,
            &format!("/api/v1/club/applications/{id}/decision"),
            &json!({ "decision": "more_info", "note": "Уточніть дати каденції." }),
        )
        .await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);
    let mail = app.mail_to("petro@example.ua").await;
    let letter = mail
        .iter()
        .find(|m| m.kind == "club-more_info")
        .expect("letter");
    let link = link_in(
        &letter.body_text,
        "http://hromada.test/uk/club/applications/",
    );
    let token = link.rsplit('/').next().expect("token");
    let mut applicant = app.other_browser();
    let answers = "/api/v1/club/answers";
    let r = applicant
        .send_json(
            Method::POST,
            answers,
            &json!({ "token": token, "answer": "  " }),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_fields(), ["answer"]);
    let r = applicant
        .send_json(
            Method::POST,
            answers,
            &json!({ "token": "club.none", "answer": "Так." }),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let answer = json!({ "token": token, "answer": "Я був головою з 2010 по 2015 рік." });
    let r = applicant.send_json(Method::POST, answers, &answer).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["status"], "submitted");
    let r = applicant.send_json(Method::POST, answers, &answer).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let detail = chair
        .get(&format!("/api/v1/club/applications/{id}"))
        .await
        .json();
    assert_eq!(detail["status"], "submitted");
    assert_eq!(detail["steps"][1]["kind"], "answer");
    assert!(
        app.audit_actions("setting")
            .await
            .iter()
            .any(|a| a == "update")
    );
}
