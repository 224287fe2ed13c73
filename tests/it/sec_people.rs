//! Issue 16 regression tests.
//!
//! People and the Mayors' Club: a typed contact address opens nobody's club application until
//! its owner follows the mailed link (item 3); an applicant who types a head's name is never
//! linked to that head's record by the name alone (item 7); a sound application is answered
//! the same whatever the address's state, and the owner is told by mail (item 14); a photo
//! from the person or a delegate waits for an editor like the texts (item 16).

use axum::http::{Method, StatusCode};
use hromada::identity::Role;
use serde_json::json;

use crate::club_decisions::{accept, apply, new_member};
use crate::harness::{TestApp, link_in, multipart_file};

const VINNYTSKA: &str = "UA05020030000031457";

/// The person record of the signed-in member, from their own club page.
async fn own_person(app: &TestApp, email: &str) -> i64 {
    let user = hromada::auth::repo::find_user_by_email(&app.state.db, email)
        .await
        .expect("db")
        .expect("account");
    hromada::club::repo::person_of_user(&app.state.db, user.id)
        .await
        .expect("db")
        .expect("person")
}

/// An application from `email` with a phone and words that only its sender should ever see.
async fn victim_applies(app: &mut TestApp, email: &str) {
    let r = app
        .send_json(
            Method::POST,
            "/api/v1/club/applications",
            &json!({
                "name": "Марта Жертва", "community": VINNYTSKA, "term_since": "2016-01-01",
                "email": email, "phone": "+380 50 111 22 33",
                "motivation": "Таємна мотивація жертви, яку ніхто інший не має бачити.",
                "lang": "uk",
            }),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
}

async fn set_email(app: &mut TestApp, person: i64, email: &str) {
    let r = app
        .post_form(
            &format!("/uk/people/{person}/contacts"),
            &[("email", email), ("phone", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

async fn export(app: &mut TestApp, person: i64) -> serde_json::Value {
    let r = app.get(&format!("/uk/people/{person}/export")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()
}

fn mentions_victim(export: &serde_json::Value) -> bool {
    export["club_applications"].to_string().contains("Таємна")
}

/// The committee's view of the one application from `email`.
async fn application_of(app: &TestApp, email: &str) -> hromada::club::repo::ApplicationRow {
    hromada::club::repo::applications(&app.state.db)
        .await
        .expect("applications")
        .into_iter()
        .map(|(a, _)| a)
        .find(|a| a.email == email)
        .expect("application")
}

// --- item 3 ---

#[tokio::test]
async fn a_typed_contact_address_neither_exports_nor_erases_anothers_application() {
    let mut app = TestApp::with_registry().await;
    victim_applies(&mut app, "victim@example.ua").await;
    let mut attacker = new_member(&mut app, "Ігор Нападник", "attacker@example.ua").await;
    let person = own_person(&app, "attacker@example.ua").await;
    set_email(&mut attacker, person, "victim@example.ua").await;

    let data = export(&mut attacker, person).await;
    assert!(!mentions_victim(&data), "{data}");
    assert!(!data.to_string().contains("+380 50 111 22 33"));
    let r = attacker
        .post_form(&format!("/uk/people/{person}/erase"), &[("confirm", "1")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let victim = application_of(&app, "victim@example.ua").await;
    assert_eq!(
        victim.status,
        hromada::club::Status::Submitted,
        "not withdrawn"
    );
    assert!(victim.motivation.contains("Таємна"), "not wiped");
    assert_eq!(victim.phone, "+380 50 111 22 33");
}

#[tokio::test]
async fn a_contact_address_counts_once_the_mailed_link_is_followed() {
    let mut app = TestApp::with_registry().await;
    victim_applies(&mut app, "second@example.ua").await;
    let mut member = new_member(&mut app, "Ірина Мельник", "iryna@example.ua").await;
    let person = own_person(&app, "iryna@example.ua").await;
    set_email(&mut member, person, "Second@Example.UA").await;
    assert!(!mentions_victim(&export(&mut member, person).await));
    let page = member.get(&format!("/uk/people/{person}")).await;
    assert!(page.text(".email-state").contains("не підтверджено"));

    // The link goes through the outbox; opening it (as a mail scanner would) verifies nothing.
    let mail = app.mail_to("second@example.ua").await;
    let letter = mail
        .iter()
        .find(|m| m.kind == "person-verify")
        .expect("verification mail");
    assert!(letter.body_text.contains("Ірина Мельник"));
    let link = link_in(
        &letter.body_text,
        "http://hromada.test/uk/people/email/verify",
    );
    let mut owner = app.other_browser();
    let form = owner.get(&link).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text("dl.facts").contains("second@example.ua"));
    assert!(!mentions_victim(&export(&mut member, person).await));

    let token = link.split("token=").nth(1).expect("token").to_string();
    let r = owner
        .post_form("/uk/people/email/verify", &[("token", &token)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(
        owner
            .get(r.location())
            .await
            .text("main")
            .contains("підтверджено")
    );
    assert!(mentions_victim(&export(&mut member, person).await));
    // A link works once.
    let again = owner
        .post_form("/uk/people/email/verify", &[("token", &token)])
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);

    // A changed address is unverified again, and so counts for nothing.
    set_email(&mut member, person, "third@example.ua").await;
    assert!(!mentions_victim(&export(&mut member, person).await));
    set_email(&mut member, person, "second@example.ua").await;
    assert!(!mentions_victim(&export(&mut member, person).await));
}

#[tokio::test]
async fn a_link_sent_to_an_old_address_does_not_verify_a_new_one() {
    let mut app = TestApp::with_registry().await;
    let mut member = new_member(&mut app, "Ірина Мельник", "iryna@example.ua").await;
    let person = own_person(&app, "iryna@example.ua").await;
    set_email(&mut member, person, "old@example.ua").await;
    let mail = app.mail_to("old@example.ua").await;
    let link = link_in(
        &mail[0].body_text,
        "http://hromada.test/uk/people/email/verify",
    );
    let token = link.split("token=").nth(1).expect("token").to_string();
    set_email(&mut member, person, "new@example.ua").await;
    let r = app
        .other_browser()
        .post_form("/uk/people/email/verify", &[("token", &token)])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let data = export(&mut member, person).await;
    assert_eq!(data["person"]["email"], "new@example.ua");
    assert!(data["person"]["email_verified_at"].is_null());
}

#[tokio::test]
async fn the_accounts_own_verified_address_counts_without_a_mail() {
    let mut app = TestApp::with_registry().await;
    let mut member = new_member(&mut app, "Ірина Мельник", "iryna@example.ua").await;
    let person = own_person(&app, "iryna@example.ua").await;
    let before = app.mail_to("iryna@example.ua").await.len();
    set_email(&mut member, person, "iryna@example.ua").await;
    let data = export(&mut member, person).await;
    assert!(!data["person"]["email_verified_at"].is_null(), "{data}");
    assert_eq!(app.mail_to("iryna@example.ua").await.len(), before);
    // Her own application is in her download: her login address is verified.
    assert_eq!(data["club_applications"][0]["status"], "accepted");
}

/// The invitation link proves the new account's address, which is also the address the club
/// recorded for the person: following it verifies both (issue 17, carried over from issue 16).
#[tokio::test]
async fn an_invited_account_that_sets_its_password_verifies_the_persons_same_address() {
    let mut app = TestApp::with_registry().await;
    let mut member = new_member(&mut app, "Ірина Мельник", "iryna@example.ua").await;
    let person = own_person(&app, "iryna@example.ua").await;
    let data = export(&mut member, person).await;
    assert_eq!(data["person"]["email"], "iryna@example.ua");
    assert!(!data["person"]["email_verified_at"].is_null(), "{data}");
    let mut admin = app.other_browser();
    admin.login_as(Role::Admin).await;
    let audit = admin.get("/api/v1/audit?entity=person").await;
    assert!(audit.body.contains("\"verify_email\""), "{}", audit.body);
}

#[tokio::test]
async fn an_unverified_address_is_never_shown_as_public() {
    let mut app = TestApp::with_registry().await;
    let mut member = new_member(&mut app, "Ірина Мельник", "iryna@example.ua").await;
    let person = own_person(&app, "iryna@example.ua").await;
    let r = member
        .post_form(
            &format!("/uk/people/{person}/contacts"),
            &[("email", "someone.else@example.ua"), ("email_public", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let api = app.get(&format!("/api/v1/people/{person}")).await.json();
    assert!(api["email"].is_null(), "{api}");
    let page = app
        .other_browser()
        .get(&format!("/uk/people/{person}"))
        .await;
    assert!(!page.body.contains("someone.else@example.ua"));
}

// --- item 7 ---

/// Records a head of Vinnytska hromada as staff do (no account, no address), returning the id.
async fn recorded_head(app: &TestApp, name: &str) -> i64 {
    let mut admin = app.other_browser();
    admin.login_as(Role::Admin).await;
    let r = admin
        .post_form(
            &format!("/uk/members/{VINNYTSKA}/posts"),
            &[
                ("kind", "head"),
                ("name_uk", name),
                ("since", "2010-11-01"),
                ("until", "2015-11-20"),
                ("end_reason", "term_ended"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let people = admin.get("/api/v1/people").await.json();
    people["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|p| p["name_uk"] == name)
        .and_then(|p| p["id"].as_i64())
        .expect("head")
}

#[tokio::test]
async fn an_impostor_with_a_heads_name_gets_no_rights_over_the_heads_record() {
    let mut app = TestApp::with_registry().await;
    let head = recorded_head(&app, "Олена Коваль").await;
    let (id, _) = apply(&mut app, "Олена Коваль", "impostor@example.ua", "uk").await;
    // The committee sees the possible match, and is not made to take it.
    let mut member = app.other_browser();
    member.login_as(Role::ClubCommittee).await;
    let page = member.get(&format!("/uk/club/review/{id}")).await;
    assert!(page.text("ul.matches").contains("Олена Коваль"));
    let detail = member
        .get(&format!("/api/v1/club/applications/{id}"))
        .await
        .json();
    assert_eq!(detail["possible_matches"][0]["person"], head);
    assert_eq!(detail["possible_matches"][0]["confirmed"], false);

    let mut impostor = accept(&mut app, id, "impostor@example.ua").await;
    let own = own_person(&app, "impostor@example.ua").await;
    assert_ne!(own, head, "a new record, not the head's");
    assert_eq!(
        impostor
            .get(&format!("/uk/people/{head}/mayor/edit"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let r = impostor
        .post_form(
            &format!("/uk/people/{head}/mayor/edit"),
            &[("bio_uk", "Підроблена біографія.")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        impostor
            .get(&format!("/uk/people/{head}/export"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        impostor
            .post_form(&format!("/uk/people/{head}/erase"), &[("confirm", "1")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let api = app.get(&format!("/api/v1/people/{head}")).await.json();
    assert_eq!(api["name_uk"], "Олена Коваль");
}

/// What [`owned_match`] set up: the head's record with a verified address, an accepted
/// applicant with her name on a record of her own, and the link mailed to the head's owner.
struct OwnedMatch {
    head: i64,
    id: i64,
    own: i64,
    newcomer: TestApp,
    link: String,
    token: String,
}

/// The head's record gets a verified contact address; someone with her name applies from
/// another address; the committee confirms the match and the chair accepts.
async fn owned_match(app: &mut TestApp) -> OwnedMatch {
    let head = recorded_head(app, "Олена Коваль").await;
    // Staff give the head's record a contact address, and its owner verifies it.
    let mut admin = app.other_browser();
    admin.login_as(Role::Admin).await;
    set_email(&mut admin, head, "olena.old@example.ua").await;
    let mail = app.mail_to("olena.old@example.ua").await;
    let link = link_in(
        &mail[0].body_text,
        "http://hromada.test/uk/people/email/verify",
    );
    let token = link.split("token=").nth(1).expect("token").to_string();
    let r = app
        .other_browser()
        .post_form("/uk/people/email/verify", &[("token", &token)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);

    let (id, _) = apply(app, "Олена Коваль", "olena.new@example.ua", "uk").await;
    let mut committee = app.other_browser();
    committee.login_as(Role::ClubCommittee).await;
    let page = committee.get(&format!("/uk/club/review/{id}")).await;
    assert!(
        page.text("ul.matches")
            .contains("потрібне підтвердження власника")
    );
    let r = committee
        .post_form(
            &format!("/uk/club/review/{id}/match"),
            &[("person", &head.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let newcomer = accept(app, id, "olena.new@example.ua").await;
    let own = own_person(app, "olena.new@example.ua").await;
    let mail = app.mail_to("olena.old@example.ua").await;
    let ask = mail
        .iter()
        .find(|m| m.kind == "club-link")
        .expect("confirmation mail");
    let link = link_in(&ask.body_text, "http://hromada.test/uk/club/link");
    let token = link.split("token=").nth(1).expect("token").to_string();
    OwnedMatch {
        head,
        id,
        own,
        newcomer,
        link,
        token,
    }
}

#[tokio::test]
async fn a_match_to_an_owned_record_waits_for_its_owners_confirmation() {
    let mut app = TestApp::with_registry().await;
    let OwnedMatch {
        head,
        own,
        mut newcomer,
        link,
        token,
        ..
    } = owned_match(&mut app).await;

    // Until the record's owner confirms, the new member has a record of her own.
    assert_ne!(own, head);
    let edit = format!("/uk/people/{head}/mayor/edit");
    assert_eq!(newcomer.get(&edit).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        newcomer
            .get(&format!("/uk/people/{head}/export"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let letter = app
        .mail_to("olena.new@example.ua")
        .await
        .into_iter()
        .find(|m| m.kind == "club-accept")
        .expect("acceptance");
    assert!(letter.body_text.contains("власника того запису"));

    // The owner's mailbox gets the confirmation link; opening it changes nothing.
    let ask = app
        .mail_to("olena.old@example.ua")
        .await
        .into_iter()
        .find(|m| m.kind == "club-link")
        .expect("confirmation mail");
    assert!(ask.body_text.contains("Вінницька"), "{}", ask.body_text);
    let mut owner = app.other_browser();
    let form = owner.get(&link).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text("dl.facts").contains("Вінницька"));
    assert_eq!(newcomer.get(&edit).await.status, StatusCode::FORBIDDEN);
    let r = owner.post_form("/uk/club/link", &[("token", &token)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // Now the membership is on the head's record.
    let members = app.get("/api/v1/club/members").await.json();
    assert_eq!(members["total"], 1);
    assert_eq!(members["items"][0]["person"], head);
    let again = owner.post_form("/uk/club/link", &[("token", &token)]).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
}

/// The API twin of the confirmation form: the owner's app confirms with the mailed link's
/// secret, once; a secret that is no link is refused the same way.
#[tokio::test]
async fn a_record_owner_confirms_a_match_through_the_api() {
    let mut app = TestApp::with_registry().await;
    let OwnedMatch { head, token, .. } = owned_match(&mut app).await;
    let mut owner = app.other_browser();
    let confirmations = "/api/v1/club/link-confirmations";
    let r = owner
        .send_json(
            Method::POST,
            confirmations,
            &json!({ "token": "club.none" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = owner
        .send_json(Method::POST, confirmations, &json!({ "token": token }))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["person"], head);
    let members = app.get("/api/v1/club/members").await.json();
    assert_eq!(members["items"][0]["person"], head);
    let r = owner
        .send_json(Method::POST, confirmations, &json!({ "token": token }))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
}

// --- review item 1 ---

#[tokio::test]
async fn confirming_a_link_does_not_hand_the_owners_record_to_the_applicant() {
    let mut app = TestApp::with_registry().await;
    let OwnedMatch {
        head,
        own,
        mut newcomer,
        token,
        ..
    } = owned_match(&mut app).await;
    let r = app
        .other_browser()
        .post_form("/uk/club/link", &[("token", &token)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // The applicant proved only her own address: her account stays on her own record.
    assert_eq!(own_person(&app, "olena.new@example.ua").await, own);
    let edit = format!("/uk/people/{head}/mayor/edit");
    assert_eq!(newcomer.get(&edit).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        newcomer
            .get(&format!("/uk/people/{head}/export"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn confirming_a_link_revokes_the_applicants_delegates_instead_of_moving_them() {
    let mut app = TestApp::with_registry().await;
    let OwnedMatch {
        head,
        own,
        mut newcomer,
        token,
        ..
    } = owned_match(&mut app).await;
    let named = newcomer
        .post_form(
            "/uk/club/me/delegates",
            &[("email", "aide@example.ua"), ("name", "Андрій Помічник")],
        )
        .await;
    assert_eq!(named.status, StatusCode::SEE_OTHER, "{}", named.body);
    assert_eq!(
        hromada::club::repo::delegates(&app.state.db, own)
            .await
            .expect("db")
            .len(),
        1
    );
    let r = app
        .other_browser()
        .post_form("/uk/club/link", &[("token", &token)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(
        hromada::club::repo::delegates(&app.state.db, head)
            .await
            .expect("db")
            .is_empty(),
        "the owner's record gets none of the applicant's delegates"
    );
    assert!(
        hromada::club::repo::delegates(&app.state.db, own)
            .await
            .expect("db")
            .is_empty(),
        "the applicant's delegations end"
    );
}

#[tokio::test]
async fn a_link_for_an_ended_membership_confirms_nothing() {
    let mut app = TestApp::with_registry().await;
    let OwnedMatch {
        mut newcomer,
        link,
        token,
        ..
    } = owned_match(&mut app).await;
    let r = newcomer
        .post_form("/uk/club/me/resign", &[("confirm", "1")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mut owner = app.other_browser();
    let r = owner.post_form("/uk/club/link", &[("token", &token)]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let members = app.get("/api/v1/club/members").await.json();
    assert_eq!(members["total"], 0);
    assert!(
        !app.audit_actions("person")
            .await
            .iter()
            .any(|a| a == "confirm_link")
    );
    // The page offers nothing to confirm either way.
    let _ = link;
}

#[tokio::test]
async fn the_confirm_page_and_mail_show_the_applicants_address_and_date() {
    let mut app = TestApp::with_registry().await;
    let OwnedMatch { link, .. } = owned_match(&mut app).await;
    let ask = app
        .mail_to("olena.old@example.ua")
        .await
        .into_iter()
        .find(|m| m.kind == "club-link")
        .expect("confirmation mail");
    assert!(
        ask.body_text.contains("olena.new@example.ua"),
        "{}",
        ask.body_text
    );
    assert!(ask.body_text.contains("Що станеться, якщо підтвердити"));
    let form = app.other_browser().get(&link).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.text("dd.link-address")
            .contains("olena.new@example.ua")
    );
    assert!(form.text("p.warning").contains("делегати"));
}

#[tokio::test]
async fn the_committee_may_cancel_a_pending_confirmation() {
    let mut app = TestApp::with_registry().await;
    let OwnedMatch { id, token, .. } = owned_match(&mut app).await;
    let mut committee = app.other_browser();
    committee.login_as(Role::ClubCommittee).await;
    let page = committee.get(&format!("/uk/club/review/{id}")).await;
    assert_eq!(page.count("form.cancel-link"), 1);
    let r = committee
        .post_form(&format!("/uk/club/review/{id}/match"), &[("cancel", "1")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(
        app.audit_actions("club_application")
            .await
            .iter()
            .any(|a| a == "cancel_link")
    );
    let page = committee.get(&format!("/uk/club/review/{id}")).await;
    assert_eq!(page.count("form.cancel-link"), 0);
    let r = app
        .other_browser()
        .post_form("/uk/club/link", &[("token", &token)])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn the_committee_may_cancel_a_pending_confirmation_through_the_api() {
    let mut app = TestApp::with_registry().await;
    let OwnedMatch { id, token, .. } = owned_match(&mut app).await;
    let mut committee = app.other_browser();
    committee.login_as(Role::ClubCommittee).await;
    let r = committee
        .send_json(
            Method::POST,
            &format!("/api/v1/club/applications/{id}/match"),
            &json!({ "cancel": true }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app
        .other_browser()
        .post_form("/uk/club/link", &[("token", &token)])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
}

// --- review item 4 ---

#[tokio::test]
async fn saving_other_contact_fields_is_not_held_by_the_mail_limit_and_mails_nobody() {
    let mut app = TestApp::with_registry().await;
    let mut member = new_member(&mut app, "Ірина Мельник", "iryna@example.ua").await;
    let person = own_person(&app, "iryna@example.ua").await;
    let limit = hromada::people::actions::VERIFY_MAILS_PER_PERSON;
    for i in 0..limit {
        set_email(&mut member, person, &format!("typo{i}@example.ua")).await;
    }
    let last = format!("typo{}@example.ua", limit - 1);
    let before = app.mail_to(&last).await.len();
    assert_eq!(before, 1);
    // The limit is reached; changing only the phone still saves, and mails nobody.
    let r = member
        .post_form(
            &format!("/uk/people/{person}/contacts"),
            &[("email", &last), ("phone", "+380 50 000 00 00")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(app.mail_to(&last).await.len(), before);
    // A new address is held by the limit.
    let r = member
        .post_form(
            &format!("/uk/people/{person}/contacts"),
            &[("email", "another@example.ua"), ("phone", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
}

#[tokio::test]
async fn verification_mails_have_a_daily_cap_per_person() {
    let mut app = TestApp::with_registry().await;
    let mut member = new_member(&mut app, "Ірина Мельник", "iryna@example.ua").await;
    let person = own_person(&app, "iryna@example.ua").await;
    // Earlier today's links (older than the rate-limit window).
    let earlier = chrono::Utc::now() - chrono::Duration::hours(3);
    let mut tx = app.state.db.begin().await.expect("tx");
    for i in 0..hromada::people::actions::VERIFY_MAILS_PER_DAY {
        hromada::people::repo::insert_email_token(
            &mut tx,
            person,
            &format!("earlier{i}@example.ua"),
            &format!("hash-{i}"),
            earlier,
            earlier + chrono::Duration::hours(1),
        )
        .await
        .expect("token");
    }
    tx.commit().await.expect("commit");
    let r = member
        .post_form(
            &format!("/uk/people/{person}/contacts"),
            &[("email", "late@example.ua"), ("phone", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.text("main").contains("Спробуйте завтра"), "{}", r.body);
    assert!(app.mail_to("late@example.ua").await.is_empty());
}

// --- review item 2 ---

#[tokio::test]
async fn a_head_erased_after_the_match_is_not_taken_as_ownerless() {
    let mut app = TestApp::with_registry().await;
    let head = recorded_head(&app, "Олена Коваль").await;
    let (id, _) = apply(&mut app, "Олена Коваль", "olena@example.ua", "uk").await;
    let mut committee = app.other_browser();
    committee.login_as(Role::ClubCommittee).await;
    let r = committee
        .post_form(
            &format!("/uk/club/review/{id}/match"),
            &[("person", &head.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mut admin = app.other_browser();
    admin.login_as(Role::Admin).await;
    let r = admin
        .post_form(&format!("/uk/people/{head}/erase"), &[("confirm", "1")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    accept(&mut app, id, "olena@example.ua").await;
    assert_ne!(own_person(&app, "olena@example.ua").await, head);
}

// --- review item 7 ---

#[tokio::test]
async fn the_decision_audit_records_the_match_and_whether_the_owner_was_asked() {
    let mut app = TestApp::with_registry().await;
    let OwnedMatch { head, id, .. } = owned_match(&mut app).await;
    let mut admin = app.other_browser();
    admin.login_as(Role::Admin).await;
    let audit = admin
        .get("/api/v1/audit?entity=club_application")
        .await
        .json();
    let decide = audit["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| {
            i["action"] == "decide"
                && i["entity_id"].as_str().and_then(|s| s.parse::<i64>().ok()) == Some(id)
        })
        .expect("decide entry");
    let changes: serde_json::Value =
        serde_json::from_str(decide["changes"].as_str().expect("changes")).expect("json");
    assert_eq!(changes["match"], head);
    assert_eq!(changes["owner_asked"], true);
}

#[tokio::test]
async fn an_erased_head_is_neither_offered_nor_matched() {
    let mut app = TestApp::with_registry().await;
    let head = recorded_head(&app, "Олена Коваль").await;
    let mut admin = app.other_browser();
    admin.login_as(Role::Admin).await;
    let r = admin
        .post_form(&format!("/uk/people/{head}/erase"), &[("confirm", "1")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let (id, _) = apply(&mut app, "Олена Коваль", "olena@example.ua", "uk").await;
    let mut committee = app.other_browser();
    committee.login_as(Role::ClubCommittee).await;
    let page = committee.get(&format!("/uk/club/review/{id}")).await;
    assert_eq!(page.count("ul.matches li"), 0);
    let r = committee
        .post_form(
            &format!("/uk/club/review/{id}/match"),
            &[("person", &head.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = committee
        .send_json(
            Method::POST,
            &format!("/api/v1/club/applications/{id}/match"),
            &json!({ "person": head }),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_committee_may_confirm_only_a_head_of_the_community() {
    let mut app = TestApp::with_registry().await;
    let (id, _) = apply(&mut app, "Олена Коваль", "olena@example.ua", "uk").await;
    new_member(&mut app, "Інша Особа", "other@example.ua").await;
    let other = own_person(&app, "other@example.ua").await;
    // Another member's record in the same hromada is a head too (the apply helper records
    // the head post); a record that is no head of the community is refused.
    let mut admin = app.other_browser();
    admin.login_as(Role::Admin).await;
    let r = admin
        .post_form(
            "/uk/members/UA05020010000053508/posts",
            &[
                ("kind", "head"),
                ("name_uk", "Чужий Голова"),
                ("since", "2020-11-20"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let people = app.get("/api/v1/people").await.json();
    let foreign = people["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|p| p["name_uk"] == "Чужий Голова")
        .and_then(|p| p["id"].as_i64())
        .expect("id");
    let mut committee = app.other_browser();
    committee.login_as(Role::ClubCommittee).await;
    let r = committee
        .post_form(
            &format!("/uk/club/review/{id}/match"),
            &[("person", &foreign.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = committee
        .post_form(&format!("/uk/club/review/{id}/match"), &[("person", "x")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = committee
        .post_form(
            &format!("/uk/club/review/{id}/match"),
            &[("person", &other.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        app.audit_actions("club_application")
            .await
            .iter()
            .any(|a| a == "confirm_match")
    );
}

// --- item 14 ---

/// Makes the three states: a member's address, an address with an open application, and a
/// fresh one. Returns them in that order.
async fn three_addresses(app: &mut TestApp) -> [&'static str; 3] {
    new_member(app, "Ірина Мельник", "member@example.ua").await;
    apply(app, "Петро Бондар", "open@example.ua", "uk").await;
    ["member@example.ua", "open@example.ua", "fresh@example.ua"]
}

fn form_for(email: &str) -> Vec<(&str, &str)> {
    vec![
        ("name", "Хтось Цікавий"),
        ("community", VINNYTSKA),
        ("term_since", "2015-11-01"),
        ("email", email),
        ("motivation", "Хочу дізнатися, чи ця адреса вже в клубі."),
        ("lang", "uk"),
    ]
}

async fn told_by_mail(app: &TestApp) {
    let kinds = |mail: Vec<hromada::mail::repo::OutboxRow>| {
        mail.into_iter().map(|m| m.kind).collect::<Vec<_>>()
    };
    assert!(kinds(app.mail_to("member@example.ua").await).contains(&"club-apply-member".into()));
    let open = app.mail_to("open@example.ua").await;
    let notice = open
        .iter()
        .find(|m| m.kind == "club-apply-open")
        .expect("the applicant is told");
    // The notice carries a working link to the open application.
    let link = link_in(
        &notice.body_text,
        "http://hromada.test/uk/club/applications/",
    );
    assert!(
        app.other_browser()
            .get(&link)
            .await
            .text("dl.facts")
            .contains("Петро Бондар")
    );
    assert!(kinds(app.mail_to("fresh@example.ua").await).contains(&"club-received".into()));
}

#[tokio::test]
async fn the_application_form_answers_the_same_whatever_the_address() {
    let mut app = TestApp::with_registry().await;
    let addresses = three_addresses(&mut app).await;
    let mut answers = Vec::new();
    for email in addresses {
        let mut visitor = app.other_browser();
        let r = visitor.post_form("/uk/club/apply", &form_for(email)).await;
        let page = visitor.get(r.location()).await;
        answers.push((
            r.status,
            r.location().to_string(),
            page.status,
            page.text("main"),
        ));
    }
    assert_eq!(answers[0].0, StatusCode::SEE_OTHER);
    assert_eq!(answers[0], answers[1]);
    assert_eq!(answers[1], answers[2]);
    told_by_mail(&app).await;
}

#[tokio::test]
async fn the_application_api_answers_the_same_whatever_the_address() {
    let mut app = TestApp::with_registry().await;
    let addresses = three_addresses(&mut app).await;
    let mut answers = Vec::new();
    for email in addresses {
        let mut visitor = app.other_browser();
        let r = visitor
            .send_json(
                Method::POST,
                "/api/v1/club/applications",
                &json!({
                    "name": "Хтось Цікавий", "community": VINNYTSKA, "term_since": "2015-11-01",
                    "email": email, "lang": "uk",
                    "motivation": "Хочу дізнатися, чи ця адреса вже в клубі.",
                }),
            )
            .await;
        answers.push((r.status, r.body));
    }
    assert_eq!(answers[0].0, StatusCode::ACCEPTED, "{}", answers[0].1);
    assert_eq!(answers[0], answers[1]);
    assert_eq!(answers[1], answers[2]);
    told_by_mail(&app).await;
}

/// Anyone can type a member's address, or an applicant's, into the form as often as they like:
/// the owner is told once a day, and the applicant's status link is replaced only by the first
/// notice, so a stranger cannot keep cutting off the applicant's link.
#[tokio::test]
async fn repeated_applications_with_anothers_address_mail_the_owner_once_a_day() {
    let mut app = TestApp::with_registry().await;
    let [member, open, _] = three_addresses(&mut app).await;
    for round in 0..3 {
        // A stranger with many client addresses: no per-address limit stops them.
        hromada::db_exec!(&app.state.db, c => sqlx::query("DELETE FROM rate_limits")
            .execute(c).await)
        .expect("limits");
        for email in [member, open] {
            let mut visitor = app.other_browser();
            let r = visitor.post_form("/uk/club/apply", &form_for(email)).await;
            assert_eq!(
                r.status,
                StatusCode::SEE_OTHER,
                "{round} {email}: {}",
                r.body
            );
        }
    }
    let count = |mail: &[hromada::mail::repo::OutboxRow], kind: &str| {
        mail.iter().filter(|m| m.kind == kind).count()
    };
    assert_eq!(count(&app.mail_to(member).await, "club-apply-member"), 1);
    let mail = app.mail_to(open).await;
    assert_eq!(count(&mail, "club-apply-open"), 1);
    let notice = mail
        .iter()
        .find(|m| m.kind == "club-apply-open")
        .expect("notice");
    let link = link_in(
        &notice.body_text,
        "http://hromada.test/uk/club/applications/",
    );
    let page = app.other_browser().get(&link).await;
    assert_eq!(
        page.status,
        StatusCode::OK,
        "the link of the one notice still works"
    );
    // Every attempt is in the audit log, with whether it mailed anyone.
    let attempts: Vec<bool> = hromada::on_db!(&app.state.db, c => sqlx::query_scalar::<_, String>(
        "SELECT changes FROM audit_log WHERE action IN ('apply_as_member', 'apply_while_open') \
         ORDER BY id").fetch_all(c).await)
    .expect("audit")
    .iter()
    .map(|d| serde_json::from_str::<serde_json::Value>(d).expect("json")["notified"] == true)
    .collect();
    assert_eq!(attempts, [true, true, false, false, false, false]);
}

// --- item 16: photos ---

fn png(w: u32, h: u32, shade: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, shade])
    });
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .expect("png");
    out
}

async fn upload(app: &mut TestApp, person: i64, bytes: &[u8]) {
    let csrf = app.csrf().await;
    let (ct, body) = multipart_file("me.png", "image/png", bytes);
    let r = app
        .request(
            Method::POST,
            &format!("/uk/people/{person}/photo?csrf={csrf}"),
            Some(&ct),
            body,
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

#[tokio::test]
async fn a_photo_from_the_person_waits_for_an_editor() {
    let mut app = TestApp::with_registry().await;
    let mut mayor = new_member(&mut app, "Ірина Мельник", "iryna@example.ua").await;
    let person = own_person(&app, "iryna@example.ua").await;
    let public = format!("/uk/people/{person}/mayor");
    upload(&mut mayor, person, &png(400, 400, 10)).await;

    // Nothing public yet; the person sees it waiting, outsiders cannot fetch it.
    assert_eq!(app.get(&public).await.count("img.portrait"), 0);
    assert_eq!(
        app.get(&format!("/photos/people/{person}")).await.status,
        StatusCode::NOT_FOUND
    );
    let form = mayor.get(&format!("{public}/edit")).await;
    assert_eq!(form.count("figure.photo-waiting img"), 1);
    let waiting = format!("/photos/people/{person}/waiting");
    assert_eq!(mayor.get(&waiting).await.status, StatusCode::OK);
    let mut outsider = app.other_browser();
    outsider.login_as(Role::Partner).await;
    assert_eq!(outsider.get(&waiting).await.status, StatusCode::FORBIDDEN);
    let api = app.get(&format!("/api/v1/people/{person}")).await.json();
    assert!(api["photo"].is_null());

    // The editor finds it in the queue and publishes it.
    let mut editor = app.other_browser();
    editor.login_as(Role::Editor).await;
    assert!(
        editor
            .get("/uk/mayors/review")
            .await
            .text("ul.mayor-drafts")
            .contains("Ірина Мельник")
    );
    let form = editor.get(&format!("{public}/edit")).await;
    assert_eq!(form.count("input[name=pub_photo]"), 1);
    let version = photo_version(&mut editor, person).await;
    let r = editor
        .post_form(
            &format!("/uk/people/{person}/mayor/publish"),
            &[("pub_photo", &version)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(app.get(&public).await.count("img.portrait"), 1);
    let first = app.get(&format!("/photos/people/{person}")).await.bytes;

    // A new upload waits again; the reviewed photo stays public meanwhile.
    upload(&mut mayor, person, &png(500, 300, 200)).await;
    let shown = app.get(&format!("/photos/people/{person}")).await;
    assert_eq!(shown.bytes, first);
    let decoded = image::load_from_memory(&shown.bytes).expect("jpeg");
    assert_eq!((decoded.width(), decoded.height()), (400, 400));
    let version = photo_version(&mut editor, person).await;
    editor
        .post_form(
            &format!("/uk/people/{person}/mayor/publish"),
            &[("pub_photo", &version)],
        )
        .await;
    let shown = app.get(&format!("/photos/people/{person}")).await;
    let decoded = image::load_from_memory(&shown.bytes).expect("jpeg");
    assert_eq!((decoded.width(), decoded.height()), (500, 300));
}

/// The version of the waiting photo that the publish form carries.
async fn photo_version(editor: &mut TestApp, person: i64) -> String {
    let form = editor.get(&format!("/uk/people/{person}/mayor/edit")).await;
    let sel = scraper::Selector::parse("input[name=pub_photo]").expect("sel");
    form.html()
        .select(&sel)
        .next()
        .and_then(|i| i.value().attr("value").map(str::to_string))
        .expect("photo checkbox")
}

// --- review item 3 ---

#[tokio::test]
async fn a_photo_replaced_while_the_editor_looks_is_not_published() {
    let mut app = TestApp::with_registry().await;
    let mut mayor = new_member(&mut app, "Ірина Мельник", "iryna@example.ua").await;
    let person = own_person(&app, "iryna@example.ua").await;
    upload(&mut mayor, person, &png(400, 400, 100)).await;
    let mut editor = app.other_browser();
    editor.login_as(Role::Editor).await;
    let seen = photo_version(&mut editor, person).await;
    // Another photo arrives after the editor opened the form.
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    upload(&mut mayor, person, &png(500, 300, 200)).await;
    let r = editor
        .post_form(
            &format!("/uk/people/{person}/mayor/publish"),
            &[("pub_photo", &seen)],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.text("main").contains("Фото змінилося"), "{}", r.body);
    assert_eq!(
        app.get(&format!("/photos/people/{person}")).await.status,
        StatusCode::NOT_FOUND
    );
    // Looking again publishes the new one.
    let fresh = photo_version(&mut editor, person).await;
    assert_ne!(fresh, seen);
    let r = editor
        .post_form(
            &format!("/uk/people/{person}/mayor/publish"),
            &[("pub_photo", &fresh)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let shown = app.get(&format!("/photos/people/{person}")).await;
    let decoded = image::load_from_memory(&shown.bytes).expect("jpeg");
    assert_eq!((decoded.width(), decoded.height()), (500, 300));
}

#[tokio::test]
async fn a_photo_from_a_delegate_waits_for_an_editor_too() {
    let mut app = TestApp::with_registry().await;
    let mut mayor = new_member(&mut app, "Ірина Мельник", "iryna@example.ua").await;
    let person = own_person(&app, "iryna@example.ua").await;
    app.create_user("aide@example.ua", Role::Partner, "").await;
    let r = mayor
        .post_form(
            "/uk/club/me/delegates",
            &[("email", "aide@example.ua"), ("name", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mut aide = app.other_browser();
    aide.login_password("aide@example.ua").await;
    upload(&mut aide, person, &png(300, 300, 50)).await;
    assert_eq!(
        app.get(&format!("/photos/people/{person}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("/uk/people/{person}/mayor"))
            .await
            .count("img.portrait"),
        0
    );
    // The delegate is no editor: publishing is refused.
    let r = aide
        .post_form(
            &format!("/uk/people/{person}/mayor/publish"),
            &[("pub_photo", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

// --- for the archive test ---

/// Fills the tables of migration 0026 (a contact address's verification link, a photo waiting
/// for review, a request to a record's owner), for `archive::populate`, which checks that every
/// table carries rows. Needs one club application in the database.
pub async fn fill_verification_tables(app: &TestApp, user_id: i64) {
    let db = &app.state.db;
    let now = hromada::clock::now();
    let application = hromada::club::repo::applications(db)
        .await
        .expect("applications")
        .first()
        .map(|(a, _)| a.id)
        .expect("an application");
    let mut tx = db.begin().await.expect("tx");
    let person = |name: &'static str| hromada::people::repo::NewPerson {
        name_uk: name,
        name_en: name,
        email: "",
        phone: "",
        is_demo: false,
    };
    let owner = hromada::people::repo::insert_person(&mut tx, &person("Власник Запису"), now)
        .await
        .expect("person");
    let newcomer = hromada::people::repo::insert_person(&mut tx, &person("Новий Член"), now)
        .await
        .expect("person");
    hromada::people::repo::insert_email_token(
        &mut tx,
        owner,
        "owner@example.ua",
        &hromada::secrets::secret_hash("pe.archive"),
        now,
        now + chrono::Duration::hours(48),
    )
    .await
    .expect("email token");
    let photo = hromada::people::mayor::process_photo(&png(120, 120, 90)).expect("photo");
    hromada::people::repo::save_photo_draft(&mut tx, owner, &photo, user_id, now)
        .await
        .expect("photo draft");
    hromada::club::repo::insert_link_request(
        &mut tx,
        &hromada::secrets::secret_hash("link.archive"),
        application,
        owner,
        newcomer,
        now,
        now + chrono::Duration::days(14),
    )
    .await
    .expect("link request");
    tx.commit().await.expect("commit");
}

#[tokio::test]
async fn the_archive_helper_fills_the_new_tables() {
    let mut app = TestApp::with_registry().await;
    victim_applies(&mut app, "someone@example.ua").await;
    let admin = app.create_user("admin@example.ua", Role::Admin, "").await;
    fill_verification_tables(&app, admin).await;
    for table in [
        "person_email_tokens",
        "person_photo_drafts",
        "club_link_requests",
    ] {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        let n: i64 = hromada::on_db!(&app.state.db, c => sqlx::query_scalar(
            sqlx::AssertSqlSafe(sql)).fetch_one(c).await)
        .expect("count");
        assert_eq!(n, 1, "{table}");
    }
}
