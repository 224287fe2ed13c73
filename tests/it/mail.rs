//! Mail goes from the outbox through a real SMTP server on loopback (`smtp.rs`).

use axum::http::StatusCode;
use hromada::identity::Role;
use hromada::mail::repo;
use hromada::mail::worker::Worker;

use crate::harness::{TestApp, link_in};
use crate::smtp::{Mode, SmtpServer};

fn new_worker(app: &TestApp, server: &SmtpServer) -> (Worker, hromada::mail::Transport) {
    let transport = hromada::mail::transport_from_url(&server.url()).expect("transport");
    let worker = Worker {
        db: app.state.db.clone(),
        owner: "test".into(),
        transport: Some(transport.clone()),
        from: hromada::mail::parse_mailbox("Асоціація <noreply@hromada.test>").expect("from"),
        wakeup: app.state.mail_wakeup.clone(),
        poll: std::time::Duration::from_millis(50),
    };
    (worker, transport)
}

/// Delivers until the outbox has nothing due; returns how many messages were handled.
async fn drain(worker: &Worker, transport: &hromada::mail::Transport) -> usize {
    let mut n = 0;
    while worker.deliver_one(transport).await.expect("deliver") {
        n += 1;
        assert!(n < 100, "the outbox does not drain");
    }
    n
}

fn part_types(message: &mail_parser::Message<'_>) -> Vec<String> {
    use mail_parser::MimeHeaders;
    message
        .parts
        .iter()
        .filter_map(|p| p.content_type())
        .map(|ct| format!("{}/{}", ct.ctype(), ct.subtype().unwrap_or("")))
        .collect()
}

#[tokio::test]
async fn reset_mail_arrives_in_the_language_of_the_request() {
    let server = SmtpServer::start().await;
    let mut app = TestApp::new().await;
    app.create_user("olena@example.ua", Role::Partner, "").await;
    app.create_user("anna@example.ua", Role::Partner, "").await;
    let r = app
        .post_form("/uk/password/forgot", &[("email", "olena@example.ua")])
        .await;
    assert!(
        r.status.is_success() || r.status.is_redirection(),
        "{r:?}",
        r = r.status
    );
    app.post_form("/en/password/forgot", &[("email", "anna@example.ua")])
        .await;

    let (worker, transport) = new_worker(&app, &server);
    assert_eq!(drain(&worker, &transport).await, 2);
    let received = server.messages();
    assert_eq!(received.len(), 2);

    let outbox_uk = &app.mail_to("olena@example.ua").await[0];
    let uk = received
        .iter()
        .find(|m| m.to == ["olena@example.ua"])
        .expect("mail to olena");
    assert_eq!(uk.from, "noreply@hromada.test");
    let parsed = uk.parsed();
    assert_eq!(parsed.subject(), Some(outbox_uk.subject.as_str()));
    assert!(
        outbox_uk.subject.chars().any(|c| ('а'..='я').contains(&c)),
        "Ukrainian subject: {}",
        outbox_uk.subject
    );
    assert_eq!(
        parsed.header_raw("Content-Language").map(str::trim),
        Some("uk")
    );
    assert_eq!(
        parsed.message_id().map(|id| format!("<{id}>")),
        Some(outbox_uk.message_id.clone())
    );
    assert_eq!(
        parsed.from().and_then(|a| a.first()).and_then(|a| a.name()),
        Some("Асоціація")
    );
    assert!(parsed.date().is_some(), "a Date header");
    let types = part_types(&parsed);
    assert!(
        types.contains(&"multipart/alternative".to_string())
            && types.contains(&"text/plain".to_string())
            && types.contains(&"text/html".to_string()),
        "{types:?}"
    );
    let text = parsed.body_text(0).expect("plain text part").into_owned();
    assert!(text.contains("/uk/password/reset?token="), "{text}");
    let html = parsed.body_html(0).expect("html part").into_owned();
    assert!(html.contains("lang=\"uk\""), "{html}");

    // The link that arrived works.
    let link = link_in(&text, "http://hromada.test/uk/password/reset");
    let page = app.other_browser().get(&link).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);

    let en = received
        .iter()
        .find(|m| m.to == ["anna@example.ua"])
        .expect("mail to anna")
        .parsed();
    assert_eq!(en.header_raw("Content-Language").map(str::trim), Some("en"));
    assert!(en.subject().unwrap_or("").is_ascii(), "{:?}", en.subject());
    let en_text = en.body_text(0).expect("plain text").into_owned();
    assert!(en_text.contains("/en/password/reset?token="), "{en_text}");

    // Both are recorded as sent; a second worker (a restart) sends nothing again.
    for m in [outbox_uk, &app.mail_to("anna@example.ua").await[0]] {
        let row = repo::find(&app.state.db, m.id)
            .await
            .expect("db")
            .expect("row");
        assert_eq!(row.status, hromada::mail::Status::Sent);
        assert!(row.sent_at.is_some());
    }
    let (again, transport) = new_worker(&app, &server);
    assert_eq!(drain(&again, &transport).await, 0);
    assert_eq!(server.messages().len(), 2);
}

#[tokio::test]
async fn an_interrupted_delivery_is_sent_again_under_the_same_message_id() {
    let server = SmtpServer::start().await;
    let mut app = TestApp::new().await;
    app.create_user("olena@example.ua", Role::Partner, "").await;
    app.post_form("/uk/password/forgot", &[("email", "olena@example.ua")])
        .await;
    // An instance claims the message and is killed before it reports the result.
    let claimed = repo::claim_next(
        &app.state.db,
        hromada::clock::now(),
        chrono::Duration::zero(),
        "a killed instance",
    )
    .await
    .expect("db")
    .expect("a message to claim");
    assert_eq!(claimed.status, hromada::mail::Status::Sending);

    // Its lease runs out; the next worker sends it again, under the same Message-ID, so the
    // recipient's server or client can tell it is the same message.
    let (worker, transport) = new_worker(&app, &server);
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    assert_eq!(drain(&worker, &transport).await, 1);
    let received = server.messages();
    assert_eq!(received.len(), 1);
    assert_eq!(
        received[0]
            .parsed()
            .message_id()
            .map(|id| format!("<{id}>")),
        Some(claimed.message_id.clone())
    );
    let row = repo::find(&app.state.db, claimed.id)
        .await
        .expect("db")
        .expect("row");
    assert_eq!(row.status, hromada::mail::Status::Sent);
    assert_eq!(row.attempts, 2);

    // A message interrupted on every attempt fails for good, for an admin to decide.
    app.post_form("/uk/password/forgot", &[("email", "olena@example.ua")])
        .await;
    let mut last = None;
    for _ in 0..hromada::mail::worker::MAX_ATTEMPTS {
        let now = hromada::clock::now();
        if let Some(c) = repo::claim_next(
            &app.state.db,
            now,
            chrono::Duration::zero(),
            "a killed instance",
        )
        .await
        .expect("db")
        {
            last = Some(c.id);
        }
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
        repo::requeue_abandoned(
            &app.state.db,
            hromada::clock::now(),
            hromada::mail::worker::MAX_ATTEMPTS,
        )
        .await
        .expect("db");
    }
    let failed = repo::find(&app.state.db, last.expect("claimed"))
        .await
        .expect("db")
        .expect("row");
    assert_eq!(failed.status, hromada::mail::Status::Failed);
    assert!(
        failed
            .last_error
            .as_deref()
            .unwrap_or("")
            .contains("interrupted"),
        "{:?}",
        failed.last_error
    );
    let claimed = failed;

    // The admin sees it among failed messages and sends it again.
    let mut admin = app.other_browser();
    admin.login_as(Role::Admin).await;
    let page = admin.get("/uk/admin/outbox?status=failed").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("olena@example.ua"), "{}", page.body);
    let r = admin
        .post_form(&format!("/uk/admin/outbox/{}/requeue", claimed.id), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(drain(&worker, &transport).await, 1);
    assert_eq!(server.messages().len(), 2);
}

#[tokio::test]
async fn refusals_are_retried_with_backoff_or_failed() {
    let server = SmtpServer::start().await;
    let mut app = TestApp::new().await;
    app.create_user("olena@example.ua", Role::Partner, "").await;
    app.create_user("anna@example.ua", Role::Partner, "").await;
    let (worker, transport) = new_worker(&app, &server);

    // 451: kept, with the next attempt later.
    server.set_mode(Mode::Transient);
    app.post_form("/uk/password/forgot", &[("email", "olena@example.ua")])
        .await;
    assert_eq!(drain(&worker, &transport).await, 1);
    let row = app.mail_to("olena@example.ua").await.remove(0);
    assert_eq!(row.status, hromada::mail::Status::Queued);
    assert_eq!(row.attempts, 1);
    assert!(row.next_attempt_at > hromada::clock::now() + chrono::Duration::seconds(20));
    assert!(row.last_error.is_some());

    // 550: failed at once, nothing arrived.
    server.set_mode(Mode::Permanent);
    app.post_form("/en/password/forgot", &[("email", "anna@example.ua")])
        .await;
    assert_eq!(drain(&worker, &transport).await, 1);
    let row = app.mail_to("anna@example.ua").await.remove(0);
    assert_eq!(row.status, hromada::mail::Status::Failed);
    assert!(server.messages().is_empty());
}

/// The message page's button through the API: a program with an admin's token queues a
/// failed message again (once: it is no longer failed), sees no link of it, and an editor's
/// token may not.
#[tokio::test]
async fn a_program_queues_a_failed_message_again() {
    use axum::http::Method;
    let server = SmtpServer::start().await;
    let mut app = TestApp::new().await;
    app.create_user("anna@example.ua", Role::Partner, "").await;
    let (worker, transport) = new_worker(&app, &server);
    server.set_mode(Mode::Permanent);
    app.post_form("/en/password/forgot", &[("email", "anna@example.ua")])
        .await;
    assert_eq!(drain(&worker, &transport).await, 1);
    let failed = app.mail_to("anna@example.ua").await.remove(0);
    assert_eq!(failed.status, hromada::mail::Status::Failed);

    let (mut admin, _) = app.token_client_as(Role::Admin, "").await;
    let (mut editor, _) = app.token_client_as(Role::Editor, "").await;
    let path = format!("/api/v1/outbox/{}/requeue", failed.id);
    let none = serde_json::json!({});
    let r = editor.send_json(Method::POST, &path, &none).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = admin.send_json(Method::POST, &path, &none).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let m = r.json();
    assert_eq!(m["status"], "queued");
    assert_eq!(m["attempts"], 0);
    assert!(
        !m["body_text"]
            .as_str()
            .unwrap_or_default()
            .contains("/password/reset"),
        "{m}"
    );
    let r = admin.send_json(Method::POST, &path, &none).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = admin
        .send_json(Method::POST, "/api/v1/outbox/999999/requeue", &none)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = admin
        .send_json(Method::POST, "/api/v1/outbox/abc/requeue", &none)
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.audit_actions("outbox").await, ["requeue"]);

    server.set_mode(Mode::Accept);
    assert_eq!(drain(&worker, &transport).await, 1);
    assert_eq!(server.messages().len(), 1);
}

#[tokio::test]
async fn the_running_worker_wakes_for_new_mail_and_stops_cleanly() {
    let server = SmtpServer::start().await;
    let mut app = TestApp::new().await;
    app.create_user("olena@example.ua", Role::Partner, "").await;
    let (worker, _) = new_worker(&app, &server);
    let (stop, stop_rx) = tokio::sync::watch::channel(false);
    let running = tokio::spawn(worker.run(stop_rx));
    app.post_form("/uk/password/forgot", &[("email", "olena@example.ua")])
        .await;
    let mut waited = 0;
    while server.messages().is_empty() {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        waited += 1;
        assert!(waited < 250, "the worker did not deliver");
    }
    stop.send(true).expect("stop");
    tokio::time::timeout(std::time::Duration::from_secs(5), running)
        .await
        .expect("the worker stops")
        .expect("no panic");
}

/// Settings are checked before the async runtime starts; an SMTP URL must not need one.
#[test]
fn check_config_accepts_an_smtp_url() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = crate::harness::sqlite_url(&dir, "h.db");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_hromada"))
        .args(["check-config"])
        .env("DATABASE_URL", &url)
        .env_remove("HROMADA_TEST_DATABASE_URL")
        .env("HROMADA_SMTP_URL", "smtp://127.0.0.1:2525")
        .env("HROMADA_LOG_LEVEL", "warn")
        .output()
        .expect("run hromada");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
