//! The Mayors' Club after the reviews: the chair decides once the quorum admins set has
//! reviewed, the letter goes out in the applicant's language, an accepted applicant becomes a
//! member with an account, chooses to be listed, names and removes delegates and may resign;
//! the committee may ask for more information and the applicant answers.

use axum::http::{Method, StatusCode};
use hromada::identity::Role;
use serde_json::json;

use crate::harness::{TestApp, link_in};

/// Applies through the JSON API (public) and returns the application's id and status URL. The
/// answer carries neither (issue 16: it must not tell a new application from a member's
/// address), so they come from the acknowledgement mail and the committee's list.
pub async fn apply(app: &mut TestApp, name: &str, email: &str, lang: &str) -> (i64, String) {
    let r = app
        .send_json(
            Method::POST,
            "/api/v1/club/applications",
            &json!({
                "name": name,
                "community": "UA05020030000031457",
                "term_since": "2010-11-01",
                "term_until": "2015-11-20",
                "email": email,
                "motivation": "Я хочу ділитися досвідом відновлення шкіл і лікарень.",
                "lang": lang,
                "listed": true,
            }),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let mail = app.mail_to(email).await;
    let ack = mail
        .iter()
        .find(|m| m.kind == "club-received")
        .expect("acknowledgement");
    let url = link_in(&ack.body_text, "http://hromada.test/");
    let id = hromada::club::repo::applications(&app.state.db)
        .await
        .expect("applications")
        .into_iter()
        .find(|(a, _)| a.email == email && hromada::club::is_open(a.status))
        .map(|(a, _)| a.id)
        .expect("the application");
    (id, format!("http://hromada.test{url}"))
}

pub async fn review(app: &TestApp, id: i64, recommendation: &str) {
    let mut member = app.other_browser();
    member.login_as(Role::ClubCommittee).await;
    let r = member
        .post_form(
            &format!("/uk/club/review/{id}"),
            &[
                ("recommendation", recommendation),
                ("comment", "Моя думка."),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

#[tokio::test]
async fn the_chair_accepts_once_the_quorum_has_reviewed() {
    let mut app = TestApp::with_registry().await;
    let (id, status_url) = apply(&mut app, "Olena Koval", "olena@example.ua", "en").await;
    let mut chair = app.other_browser();
    chair.login_as(Role::ClubChair).await;
    let decision = format!("/uk/club/review/{id}/decision");

    // The default quorum is two reviews; one is not enough.
    review(&app, id, "accept").await;
    let early = chair
        .post_form(&decision, &[("decision", "accept"), ("note", "")])
        .await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    assert!(early.text("main").contains("кворуму"), "{}", early.body);
    // An admin sets the quorum (two, as by default); a bad value is refused in their language.
    let mut admin = app.other_browser();
    admin.login_as(Role::Admin).await;
    let bad = admin.post_form("/en/admin/club", &[("quorum", "0")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text(".errors").contains("from 1 to 50"));
    let ok = admin.post_form("/uk/admin/club", &[("quorum", "2")]).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    review(&app, id, "accept").await;

    // Committee members who are not the chair cannot decide.
    let mut member = app.other_browser();
    member.login_as(Role::ClubCommittee).await;
    let refused = member.post_form(&decision, &[("decision", "accept")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let page = chair.get(&format!("/uk/club/review/{id}")).await;
    assert!(
        page.text("p.quorum").contains("2"),
        "{}",
        page.text("p.quorum")
    );
    assert_eq!(page.count("form[action$='/decision']"), 1);

    let done = chair
        .post_form(
            &decision,
            &[("decision", "accept"), ("note", "Welcome aboard.")],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    // The letter is in English, the applicant's language, with the next steps and a link to
    // set the password of the new account.
    let mail = app.mail_to("olena@example.ua").await;
    let letter = mail
        .iter()
        .find(|m| m.kind == "club-accept")
        .expect("acceptance letter");
    assert_eq!(letter.lang, "en");
    assert_eq!(letter.subject, "Welcome to the Mayors' Club");
    assert!(
        letter.body_text.contains("Next steps") && letter.body_text.contains("Welcome aboard.")
    );
    let link = link_in(
        &letter.body_text,
        "http://hromada.test/en/password/reset?token=",
    );
    // The status page says accepted; the application is closed to reviews and decisions.
    let status_page = app
        .get(&status_url.replace("http://hromada.test", ""))
        .await;
    assert!(
        status_page
            .text("dl.facts")
            .contains("accepted into the club")
    );
    assert!(status_page.text("ol.steps").contains("Welcome aboard."));
    let again = chair
        .post_form(&decision, &[("decision", "decline"), ("note", "x")])
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);

    // The new member sets a password, signs in and sees their membership.
    let mut olena = app.other_browser();
    let token = link.split("token=").nth(1).unwrap_or_default().to_string();
    olena.get(&link).await;
    let pw = "a long password for olena";
    let r = olena
        .post_form(
            "/en/password/reset",
            &[("token", &token), ("password", pw), ("password2", pw)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = olena.login_with("olena@example.ua", pw).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let me = olena.get("/en/club/me").await;
    assert_eq!(me.status, StatusCode::OK);
    assert!(me.text("dl.facts").contains("yes"), "{}", me.text("main"));

    // She is listed on the public page, with her community, and the head post is recorded.
    let club = app.get("/en/club").await;
    assert!(club.text("ul.club-members").contains("Olena Koval"));
    assert!(club.text("ul.club-members").contains("Vinnytska"));
    let members = app.get("/api/v1/club/members").await.json();
    assert_eq!(members["total"], 1);
    let person = members["items"][0]["person"].as_i64().expect("person");
    let posts = app.get(&format!("/api/v1/people/{person}")).await.json();
    assert_eq!(posts["posts"][0]["kind"], "head");
    assert_eq!(posts["posts"][0]["until"], "2015-11-20");

    // She hides herself from the page, then resigns; the page no longer lists her.
    let r = olena.post_form("/en/club/me/listing", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(!app.get("/en/club").await.body.contains("Olena Koval"));
    let r = olena.post_form("/en/club/me/resign", &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = olena
        .post_form("/en/club/me/resign", &[("confirm", "1")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let me = olena.get("/en/club/me").await;
    assert!(me.text("main").contains("not a member"));
    assert_eq!(app.get("/api/v1/club/members").await.json()["total"], 0);
}

#[tokio::test]
async fn the_committee_asks_for_more_information_and_the_applicant_answers() {
    let mut app = TestApp::with_registry().await;
    let (id, first_url) = apply(&mut app, "Петро Бондар", "petro@example.ua", "uk").await;
    review(&app, id, "more_info").await;
    review(&app, id, "more_info").await;
    let mut chair = app.other_browser();
    chair.login_as(Role::ClubChair).await;
    // Asking needs a message for the letter.
    let bare = chair
        .send_json(
            Method::POST,
            &format!("/api/v1/club/applications/{id}/decision"),
            &json!({ "decision": "more_info" }),
        )
        .await;
    assert_eq!(bare.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bare.json()["error"]["fields"][0]["field"], "note");
    let asked = chair
        .send_json(
            Method::POST,
            &format!("/api/v1/club/applications/{id}/decision"),
            &json!({ "decision": "more_info", "note": "Уточніть, будь ласка, дати каденції." }),
        )
        .await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);
    assert_eq!(asked.json()["status"], "more_info");

    // The letter is in Ukrainian and carries a new link; the old one stops working.
    let mail = app.mail_to("petro@example.ua").await;
    let letter = mail
        .iter()
        .find(|m| m.kind == "club-more_info")
        .expect("letter");
    assert_eq!(letter.lang, "uk");
    assert!(letter.body_text.contains("Уточніть"));
    let link = link_in(
        &letter.body_text,
        "http://hromada.test/uk/club/applications/",
    );
    let old = app.get(&first_url.replace("http://hromada.test", "")).await;
    assert_eq!(old.status, StatusCode::NOT_FOUND);
    let page = app.get(&link).await;
    assert!(page.text("ol.steps").contains("Уточніть"));
    assert_eq!(page.count("form textarea[name=answer]"), 1);
    let empty = app
        .post_form(&format!("{link}/answer"), &[("answer", "  ")])
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    let answered = app
        .post_form(
            &format!("{link}/answer"),
            &[("answer", "Я був головою з 2010 по 2015 рік.")],
        )
        .await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER);
    let page = app.get(answered.location()).await;
    assert!(page.text(".notice").contains("передано"));
    assert!(page.text("dl.facts").contains("очікує розгляду"));
    // A second answer is refused: nothing is asked any more.
    let twice = app
        .post_form(&format!("{link}/answer"), &[("answer", "Ще раз.")])
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);

    // The committee sees the answer; the chair declines; the letter says so in Ukrainian.
    let detail = chair
        .get(&format!("/api/v1/club/applications/{id}"))
        .await
        .json();
    assert_eq!(detail["steps"][1]["kind"], "answer");
    let declined = chair
        .post_form(
            &format!("/uk/club/review/{id}/decision"),
            &[("decision", "decline"), ("note", "Дякуємо, але ні.")],
        )
        .await;
    assert_eq!(declined.status, StatusCode::SEE_OTHER);
    let mail = app.mail_to("petro@example.ua").await;
    let letter = mail
        .iter()
        .find(|m| m.kind == "club-decline")
        .expect("letter");
    assert!(letter.body_text.contains("вирішив не приймати"));
    assert!(!letter.body_text.contains("http://"), "no link to follow");
    // Reviews on a decided application are refused.
    let mut member = app.other_browser();
    member.login_as(Role::ClubCommittee).await;
    let late = member
        .send_json(
            Method::POST,
            &format!("/api/v1/club/applications/{id}/reviews"),
            &json!({ "recommendation": "accept", "comment": "Запізно." }),
        )
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    // Nobody became a member.
    assert_eq!(app.get("/api/v1/club/members").await.json()["total"], 0);
}

/// Accepts an application from `email` (quorum one) and signs the new member in.
pub async fn new_member(app: &mut TestApp, name: &str, email: &str) -> TestApp {
    let (id, _) = apply(app, name, email, "uk").await;
    accept(app, id, email).await
}

/// Accepts the application `id` from `email` (quorum one) and signs the new member in.
pub async fn accept(app: &mut TestApp, id: i64, email: &str) -> TestApp {
    let mut admin = app.other_browser();
    admin.login_as(Role::Admin).await;
    admin.post_form("/uk/admin/club", &[("quorum", "1")]).await;
    review(app, id, "accept").await;
    let mut chair = app.other_browser();
    chair.login_as(Role::ClubChair).await;
    let r = chair
        .post_form(
            &format!("/uk/club/review/{id}/decision"),
            &[("decision", "accept")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mail = app.mail_to(email).await;
    let letter = mail
        .iter()
        .find(|m| m.kind == "club-accept")
        .expect("letter");
    let link = link_in(
        &letter.body_text,
        "http://hromada.test/uk/password/reset?token=",
    );
    let token = link.split("token=").nth(1).unwrap_or_default().to_string();
    let mut member = app.other_browser();
    let pw = "the member's long password";
    member
        .post_form(
            "/uk/password/reset",
            &[("token", &token), ("password", pw), ("password2", pw)],
        )
        .await;
    let r = member.login_with(email, pw).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    member
}

#[tokio::test]
async fn members_name_delegates_who_cannot_name_others() {
    let mut app = TestApp::with_registry().await;
    let mut mayor = new_member(&mut app, "Ірина Мельник", "iryna@example.ua").await;
    // A signed-in account that is not a member cannot name delegates.
    let mut outsider = app.other_browser();
    outsider.login_as(Role::Partner).await;
    let refused = outsider
        .post_form(
            "/uk/club/me/delegates",
            &[("email", "x@example.ua"), ("name", "Хтось Інший")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(refused.text("main").contains("лише член Клубу мерів"));

    // A new delegate needs a name and gets an invitation in the member's language.
    let nameless = mayor
        .post_form("/uk/club/me/delegates", &[("email", "aide@example.ua")])
        .await;
    assert_eq!(nameless.status, StatusCode::UNPROCESSABLE_ENTITY);
    let named = mayor
        .post_form(
            "/uk/club/me/delegates",
            &[("email", "aide@example.ua"), ("name", "Андрій Помічник")],
        )
        .await;
    assert_eq!(named.status, StatusCode::SEE_OTHER, "{}", named.body);
    let twice = mayor
        .post_form(
            "/uk/club/me/delegates",
            &[("email", "aide@example.ua"), ("name", "Андрій Помічник")],
        )
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    let me = mayor.get("/uk/club/me").await;
    assert_eq!(me.count("ul.delegates li"), 1);
    let mail = app.mail_to("aide@example.ua").await;
    let invite = mail
        .iter()
        .find(|m| m.kind == "club-delegate")
        .expect("mail");
    assert!(invite.body_text.contains("Ірина Мельник"));
    let link = link_in(
        &invite.body_text,
        "http://hromada.test/uk/password/reset?token=",
    );
    let token = link.split("token=").nth(1).unwrap_or_default().to_string();
    let mut aide = app.other_browser();
    let pw = "the aide's long password";
    aide.post_form(
        "/uk/password/reset",
        &[("token", &token), ("password", pw), ("password2", pw)],
    )
    .await;
    assert_eq!(
        aide.login_with("aide@example.ua", pw).await.status,
        StatusCode::SEE_OTHER
    );
    // The delegate sees whom they act for, but cannot name delegates nor resign for them.
    let page = aide.get("/uk/club/me").await;
    assert!(page.text("main").contains("Ірина Мельник"));
    let r = aide
        .post_form(
            "/uk/club/me/delegates",
            &[("email", "third@example.ua"), ("name", "Третя Особа")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = aide
        .post_form("/uk/club/me/resign", &[("confirm", "1")])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);

    // The member ends the delegation; the delegate no longer acts for her.
    let sel = scraper::Selector::parse("ul.delegates form").expect("sel");
    let action = me
        .html()
        .select(&sel)
        .next()
        .and_then(|f| f.value().attr("action").map(str::to_string))
        .expect("revoke form");
    let r = mayor.post_form(&action, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        !aide
            .get("/uk/club/me")
            .await
            .text("main")
            .contains("Ірина Мельник")
    );
    assert_eq!(
        mayor.post_form(&action, &[]).await.status,
        StatusCode::NOT_FOUND
    );
    // Every step is in the audit log.
    let actions = app.audit_actions("club_member").await;
    assert!(
        actions.iter().any(|a| a == "name_delegate")
            && actions.iter().any(|a| a == "revoke_delegate"),
        "{actions:?}"
    );
}

/// Issue 16 changed this test: a member's address used to be refused with 422 "already a
/// member", which told anyone who is a member. Now the answer is the one every sound
/// application gets, and the member hears about the attempt by mail.
#[tokio::test]
async fn a_member_cannot_apply_again_and_the_api_checks_roles() {
    let mut app = TestApp::with_registry().await;
    new_member(&mut app, "Ірина Мельник", "iryna@example.ua").await;
    let r = app
        .send_json(
            Method::POST,
            "/api/v1/club/applications",
            &json!({
                "name": "Ірина Мельник", "community": "UA05020030000031457",
                "term_since": "2010-11-01", "email": "IRYNA@example.ua",
                "motivation": "Ще одна заява від тієї самої особи.", "lang": "uk"
            }),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let mail = app.mail_to("iryna@example.ua").await;
    assert!(mail.iter().any(|m| m.kind == "club-apply-member"));
    assert_eq!(
        hromada::club::repo::applications(&app.state.db)
            .await
            .expect("applications")
            .len(),
        1,
        "no second application"
    );
    // The list needs the committee; the decision needs the chair.
    let mut partner = app.other_browser();
    partner.login_as(Role::Partner).await;
    assert_eq!(
        partner.get("/api/v1/club/applications").await.status,
        StatusCode::FORBIDDEN
    );
    let mut member = app.other_browser();
    member.login_as(Role::ClubCommittee).await;
    let list = member.get("/api/v1/club/applications").await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.json()["items"][0]["status"], "accepted");
    assert_eq!(list.json()["quorum"], 1);
    let id = list.json()["items"][0]["id"].as_i64().expect("id");
    let r = member
        .send_json(
            Method::POST,
            &format!("/api/v1/club/applications/{id}/decision"),
            &json!({ "decision": "accept" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

/// Issue 16 changed this test: the applicant used to be linked to the record by name alone.
/// Now the committee confirms the match explicitly (the record has no account nor verified
/// address, so nobody else needs to confirm).
#[tokio::test]
async fn an_accepted_head_already_on_record_keeps_one_person_record() {
    let mut app = TestApp::with_registry().await;
    let mut admin = app.other_browser();
    admin.login_as(Role::Admin).await;
    let r = admin
        .post_form(
            "/uk/members/UA05020030000031457/posts",
            &[
                ("kind", "head"),
                ("name_uk", "Олена Коваль"),
                ("since", "2010-11-01"),
                ("until", "2015-11-20"),
                ("end_reason", "term_ended"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let before = app.get("/api/v1/people").await.json()["total"].clone();
    let head = app.get("/api/v1/people").await.json()["items"][0]["id"]
        .as_i64()
        .expect("head");
    // She applies under the English spelling of her name, in any case.
    let (id, _) = apply(&mut app, "olena koval", "olena@example.ua", "uk").await;
    let mut member = app.other_browser();
    member.login_as(Role::ClubCommittee).await;
    let page = member.get(&format!("/uk/club/review/{id}")).await;
    assert!(page.text("ul.matches").contains("Олена Коваль"));
    let r = member
        .post_form(
            &format!("/uk/club/review/{id}/match"),
            &[("person", &head.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    accept(&mut app, id, "olena@example.ua").await;
    assert_eq!(app.get("/api/v1/people").await.json()["total"], before);
    let members = app.get("/api/v1/club/members").await.json();
    assert_eq!(members["items"][0]["name_uk"], "Олена Коваль");
}

/// The twin of the member's own page: a program reads the membership, changes the listing,
/// names and revokes a delegate and resigns, through the same use cases; a delegate may not.
#[tokio::test]
async fn a_member_manages_the_membership_through_the_api() {
    let mut app = TestApp::with_registry().await;
    let mut mayor = new_member(&mut app, "Ірина Мельник", "iryna@example.ua").await;
    let me = mayor.get("/api/v1/club/me").await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.body);
    assert_eq!(me.json()["listed"], true);
    assert_eq!(me.json()["name_uk"], "Ірина Мельник");

    let r = mayor
        .send_json(
            Method::PUT,
            "/api/v1/club/me/listing",
            &json!({ "listed": false }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["listed"], false);
    assert_eq!(app.get("/api/v1/club/members").await.json()["total"], 0);

    // A bad address is 422 naming the field; a new delegate needs a name.
    let r = mayor
        .send_json(
            Method::POST,
            "/api/v1/club/me/delegates",
            &json!({ "email": "nope" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["error"]["fields"][0]["field"], "email");
    let aide = json!({ "email": "aide@example.ua", "name": "Андрій Помічник", "lang": "en" });
    let r = mayor
        .send_json(Method::POST, "/api/v1/club/me/delegates", &aide)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let delegate = r.json()["id"].as_i64().expect("id");
    assert_eq!(r.json()["email"], "aide@example.ua");
    let invite = app.mail_to("aide@example.ua").await;
    assert!(
        invite
            .iter()
            .any(|m| m.kind == "club-delegate" && m.lang == "en")
    );
    let r = mayor
        .send_json(Method::POST, "/api/v1/club/me/delegates", &aide)
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(
        mayor.get("/api/v1/club/me").await.json()["delegates"][0]["id"],
        delegate
    );

    // Another account is no member: refused, and it cannot revoke her delegation.
    let mut outsider = app.other_browser();
    outsider.login_as(Role::Partner).await;
    assert_eq!(
        outsider.get("/api/v1/club/me").await.status,
        StatusCode::CONFLICT
    );
    let path = format!("/api/v1/club/me/delegates/{delegate}");
    let r = outsider.send_json(Method::DELETE, &path, &json!({})).await;
    assert_eq!(r.status, StatusCode::CONFLICT);

    let r = mayor.send_json(Method::DELETE, &path, &json!({})).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let r = mayor.send_json(Method::DELETE, &path, &json!({})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    let r = mayor
        .send_json(Method::DELETE, "/api/v1/club/me", &json!({}))
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    assert_eq!(
        mayor.get("/api/v1/club/me").await.status,
        StatusCode::CONFLICT
    );
    let actions = app.audit_actions("club_member").await;
    for a in ["set_listed", "name_delegate", "revoke_delegate", "resign"] {
        assert!(actions.iter().any(|x| x == a), "{a}: {actions:?}");
    }
}
