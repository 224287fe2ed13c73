//! Sending a published digest: in the background, once per subscriber, with the subscriber's
//! own preferences and one-click unsubscribe links, progress and failed recipients on the
//! editors' page.

use axum::http::{Method, StatusCode};
use hromada::identity::Role;
use serde_json::json;

use crate::harness::{TestApp, link_in};
use crate::smtp::{Mode, SmtpServer};

/// Subscribes `email` through the real double opt-in; `sectors` may narrow the choice.
pub async fn subscribe(app: &mut TestApp, email: &str, lang: &str, sectors: &str) {
    app.post_form("/uk/digest/subscribe", &[("email", email), ("lang", lang)])
        .await;
    let mail = app.mail_to(email).await;
    let link = link_in(
        &mail[0].body_text,
        &format!("http://hromada.test/{lang}/digest/confirm?token="),
    );
    let token = link.split("token=").nth(1).unwrap_or_default().to_string();
    let r = app
        .post_form(&format!("/{lang}/digest/confirm"), &[("token", &token)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    if !sectors.is_empty() {
        let manage = r
            .location()
            .split('?')
            .next()
            .unwrap_or_default()
            .to_string();
        app.post_form(&manage, &[("lang", lang), ("sectors", sectors)])
            .await;
    }
}

/// The range the editors' form proposes: this week, Saturday to Friday.
pub async fn this_week(editor: &mut TestApp) -> (String, String) {
    let manage = editor.get("/uk/digest/manage").await;
    let value = |sel: &str| {
        let s = scraper::Selector::parse(sel).expect("sel");
        manage
            .html()
            .select(&s)
            .next()
            .and_then(|e| e.value().attr("value").map(str::to_string))
            .expect("value")
    };
    (value("#d-from"), value("#d-to"))
}

/// Drafts this week's digest from what is published: (id, last day).
pub async fn draft_digest(editor: &mut TestApp) -> (i64, String) {
    let (from, to) = this_week(editor).await;
    let r = editor
        .post_form("/uk/digest/new", &[("from", &from), ("to", &to)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id: i64 = r
        .location()
        .trim_start_matches("/uk/digest/")
        .split('/')
        .next()
        .and_then(|s| s.parse().ok())
        .expect("digest id");
    (id, to)
}

/// Drafts this week's digest and publishes it: (id, last day).
pub async fn publish_digest(editor: &mut TestApp) -> (i64, String) {
    let (id, to) = draft_digest(editor).await;
    let r = editor
        .post_form(&format!("/uk/digest/{id}/publish"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    (id, to)
}

/// What a mail client sends for `List-Unsubscribe-Post`: a POST, no cookies, no CSRF token.
pub async fn one_click_unsubscribe(client: &mut TestApp, secret: &str) -> crate::harness::Response {
    client
        .request(
            Method::POST,
            &format!("/unsubscribe/{secret}"),
            Some("application/x-www-form-urlencoded"),
            b"List-Unsubscribe=One-Click".to_vec(),
            &[],
        )
        .await
}

fn header(m: &crate::smtp::Received, name: &str) -> String {
    m.parsed()
        .header_raw(name)
        .map(|v| v.trim().to_string())
        .unwrap_or_default()
}

fn text_part(m: &crate::smtp::Received) -> String {
    m.parsed()
        .body_text(0)
        .map(|t| t.into_owned())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_digest_reaches_each_subscriber_once_with_their_own_links() {
    let server = SmtpServer::start().await;
    let mut app = TestApp::with_registry().await;
    let mut editor = app.other_browser();
    editor.login_as(Role::Editor).await;
    editor
        .publish_news(json!({ "title_uk": "Школи відкрили укриття", "summary_uk": "Усі школи готові.",
                              "title_en": "Schools open shelters", "summary_en": "All schools are ready.",
                              "sectors": ["education"] }))
        .await;
    editor
        .publish_news(json!({ "title_uk": "Бібліотеки працюють без світла", "summary_uk": "Генератори в кожній.",
                              "sectors": ["culture"] }))
        .await;
    subscribe(&mut app, "a@example.ua", "uk", "").await;
    subscribe(&mut app, "b@example.ua", "uk", "culture").await;
    subscribe(&mut app, "c@example.ua", "en", "").await;
    // Land only: nothing in this digest for them.
    subscribe(&mut app, "d@example.ua", "uk", "land").await;
    // Never confirmed: gets nothing.
    app.post_form(
        "/uk/digest/subscribe",
        &[("email", "e@example.ua"), ("lang", "uk")],
    )
    .await;
    app.deliver_mail(&server.url()).await;
    let before = server.messages().len();

    let (id, ends_on) = publish_digest(&mut editor).await;
    let page = editor.get(&format!("/uk/digest/{id}/sending")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("data-state=\"not-sent\""),
        "{}",
        page.body
    );

    // Sending returns at once: the page shows the preparation.
    let r = editor
        .post_form(&format!("/uk/digest/{id}/send"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), format!("/uk/digest/{id}/sending"));
    let page = editor.get(r.location()).await;
    assert!(
        page.body.contains("data-state=\"preparing\""),
        "{}",
        page.body
    );
    // A second click while it is being prepared queues nothing more.
    editor
        .post_form(&format!("/uk/digest/{id}/send"), &[])
        .await;
    assert_eq!(app.run_jobs().await, 1);
    let page = editor.get(&format!("/uk/digest/{id}/sending")).await;
    assert!(
        page.body.contains("data-state=\"sending\""),
        "{}",
        page.body
    );
    assert_eq!(page.text("dd.recipients"), "3");
    assert_eq!(page.text("dd.waiting"), "3");

    assert_eq!(app.deliver_mail(&server.url()).await, 3);
    let page = editor.get(&format!("/en/digest/{id}/sending")).await;
    assert!(page.body.contains("data-state=\"done\""), "{}", page.body);
    assert_eq!(page.text("dd.sent"), "3");
    let api = editor
        .send_json(
            Method::GET,
            &format!("/api/v1/digests/{ends_on}/sending"),
            &json!({}),
        )
        .await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.body);
    assert_eq!(api.json()["sent"], 3);
    assert_eq!(api.json()["state"], "done");

    let digests: Vec<_> = server.messages().into_iter().skip(before).collect();
    let to = |who: &str| {
        digests
            .iter()
            .find(|m| m.to == [who])
            .unwrap_or_else(|| panic!("a digest to {who}"))
            .clone()
    };
    let a = to("a@example.ua");
    let b = to("b@example.ua");
    let c = to("c@example.ua");
    assert!(
        !digests
            .iter()
            .any(|m| m.to == ["d@example.ua"] || m.to == ["e@example.ua"])
    );
    // Each gets their own language and sectors.
    assert!(
        text_part(&a).contains("Школи відкрили укриття") && text_part(&a).contains("Бібліотеки")
    );
    assert!(text_part(&b).contains("Бібліотеки") && !text_part(&b).contains("Школи"));
    assert!(
        text_part(&c).contains("Schools open shelters"),
        "{}",
        text_part(&c)
    );
    assert_eq!(header(&c, "Content-Language"), "en");
    // Their own secret in the links and the one-click headers; no placeholder left.
    let a_unsubscribe = header(&a, "List-Unsubscribe");
    assert!(
        a_unsubscribe.starts_with("<http://hromada.test/unsubscribe/"),
        "{a_unsubscribe}"
    );
    assert_ne!(a_unsubscribe, header(&b, "List-Unsubscribe"));
    assert_eq!(
        header(&a, "List-Unsubscribe-Post"),
        "List-Unsubscribe=One-Click"
    );
    let secret = a_unsubscribe
        .trim_start_matches("<http://hromada.test/unsubscribe/")
        .trim_end_matches('>')
        .to_string();
    assert!(text_part(&a).contains(&format!("/uk/digest/subscription/{secret}")));
    assert!(!String::from_utf8_lossy(&a.data).contains("subscriber-"));
    let ids: std::collections::HashSet<String> =
        digests.iter().map(|m| header(m, "Message-ID")).collect();
    assert_eq!(ids.len(), 3);

    // Admins read a bulk message in the outbox as its recipient got it, but for the
    // subscriber's secret, which is masked (issue 16).
    let row = app
        .mail_to("a@example.ua")
        .await
        .into_iter()
        .find(|m| m.kind == "digest")
        .expect("the digest in the outbox");
    let mut admin = app.other_browser();
    admin.login_as(Role::Admin).await;
    let shown = admin.get(&format!("/uk/admin/outbox/{}", row.id)).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(
        shown.text("pre.mail").contains("Школи відкрили укриття")
            && shown.text("pre.mail").contains("[посилання приховано]")
            && !shown.body.contains(&secret),
        "{}",
        shown.body
    );

    // The mail client's one-click unsubscribe: a POST, no cookies, no CSRF token.
    let mut client = app.other_browser();
    let r = one_click_unsubscribe(&mut client, &secret).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // The link opened in a browser leads to the preferences page and changes nothing itself.
    let r = client.get(&format!("/unsubscribe/{secret}")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/uk/digest/subscription/"));

    // Sending again reaches only the new subscriber.
    subscribe(&mut app, "f@example.ua", "en", "").await;
    app.deliver_mail(&server.url()).await;
    let before = server.messages().len();
    let r = editor
        .send_json(
            Method::POST,
            &format!("/api/v1/digests/{ends_on}/send"),
            &json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    app.run_jobs().await;
    assert_eq!(app.deliver_mail(&server.url()).await, 1);
    let again: Vec<_> = server.messages().into_iter().skip(before).collect();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].to, ["f@example.ua"]);
    let actions = app.audit_actions("digest").await;
    assert_eq!(
        actions.iter().filter(|a| *a == "send").count(),
        2,
        "{actions:?}"
    );
}

/// An SMTP server, a site with one published news item and one confirmed reader (whose
/// confirmation mail went out already), and an editor signed in.
async fn one_reader_and_a_news_item() -> (SmtpServer, TestApp, TestApp) {
    let server = SmtpServer::start().await;
    let mut app = TestApp::with_registry().await;
    let mut editor = app.other_browser();
    editor.login_as(Role::Editor).await;
    editor
        .publish_news(
            json!({ "title_uk": "Громади ремонтують мости", "summary_uk": "Три мости.",
                    "sectors": ["utilities"] }),
        )
        .await;
    subscribe(&mut app, "a@example.ua", "uk", "").await;
    app.deliver_mail(&server.url()).await;
    (server, app, editor)
}

#[tokio::test]
async fn failed_recipients_are_shown_and_retried() {
    let (server, app, mut editor) = one_reader_and_a_news_item().await;

    // A draft cannot be sent.
    let (id, _) = draft_digest(&mut editor).await;
    let r = editor
        .post_form(&format!("/uk/digest/{id}/send"), &[])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("Спершу опублікуйте дайджест"), "{}", r.body);
    assert_eq!(app.run_jobs().await, 0);
    editor
        .post_form(&format!("/uk/digest/{id}/publish"), &[])
        .await;

    editor
        .post_form(&format!("/uk/digest/{id}/send"), &[])
        .await;
    app.run_jobs().await;
    // 451: waiting to retry, and shown as such.
    server.set_mode(Mode::Transient);
    app.deliver_mail(&server.url()).await;
    let page = editor.get(&format!("/uk/digest/{id}/sending")).await;
    assert_eq!(page.text("dd.waiting"), "1");
    assert!(page.text("table").contains("a@example.ua"), "{}", page.body);
    assert!(
        page.text("table").contains("чекає повторної спроби"),
        "{}",
        page.body
    );

    // 550 on the next attempt: failed for good, reported with the server's answer.
    server.set_mode(Mode::Permanent);
    hromada::db_exec!(&app.state.db, c => sqlx::query("UPDATE outbox SET next_attempt_at = created_at")
        .execute(c).await)
    .expect("due now");
    app.deliver_mail(&server.url()).await;
    let page = editor.get(&format!("/uk/digest/{id}/sending")).await;
    assert!(page.body.contains("data-state=\"failed\""), "{}", page.body);
    assert_eq!(page.text("dd.failed"), "1");
    assert!(page.text("table").contains("550"), "{}", page.body);

    // The editor retries; the server accepts now.
    server.set_mode(Mode::Accept);
    let r = editor
        .post_form(&format!("/uk/digest/{id}/send/retry"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(app.deliver_mail(&server.url()).await, 1);
    let page = editor.get(&format!("/uk/digest/{id}/sending")).await;
    assert!(page.body.contains("data-state=\"done\""), "{}", page.body);
    assert_eq!(page.count("table"), 0);
    assert!(
        app.audit_actions("digest")
            .await
            .contains(&"retry-sending".to_string())
    );
}

/// The sending page's retry button through the API: a program with an editor's token queues
/// the failed recipients again and gets the progress; a partner's token may not, and a day
/// that is no date is refused.
#[tokio::test]
async fn a_program_retries_the_failed_recipients() {
    let (server, app, mut editor) = one_reader_and_a_news_item().await;
    let (_, day) = publish_digest(&mut editor).await;
    let (mut program, _) = app.token_client_as(Role::Editor, "").await;
    let (mut partner, _) = app.token_client_as(Role::Partner, "").await;
    let none = json!({});
    let r = program
        .send_json(Method::POST, &format!("/api/v1/digests/{day}/send"), &none)
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    app.run_jobs().await;
    server.set_mode(Mode::Permanent);
    app.deliver_mail(&server.url()).await;

    let retry = format!("/api/v1/digests/{day}/send/retry");
    let r = partner.send_json(Method::POST, &retry, &none).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = program
        .send_json(Method::POST, "/api/v1/digests/someday/send/retry", &none)
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    server.set_mode(Mode::Accept);
    let r = program.send_json(Method::POST, &retry, &none).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    assert_eq!(r.json()["failed"], 0, "{}", r.body);
    assert_eq!(r.json()["waiting"], 1, "{}", r.body);
    assert_eq!(app.deliver_mail(&server.url()).await, 1);
    let r = program.get(&format!("/api/v1/digests/{day}/sending")).await;
    assert_eq!(r.json()["state"], "done", "{}", r.body);
}
