//! A digest for 1,000 subscribers through a real SMTP server on loopback, sent by the real
//! `hromada serve` process, which is killed (SIGKILL) or stopped (SIGTERM) in the middle and
//! started again. Every subscriber must get the digest; after a kill, only the messages that
//! were in flight may arrive twice, under the same Message-ID; after a stop, none.

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use hromada::db::Db;
use hromada::identity::Role;
use serde_json::json;

use crate::digest_sending::publish_digest;
use crate::harness::{TestApp, fresh_db_with_url, test_settings};
use crate::smtp::SmtpServer;

const SUBSCRIBERS: usize = 1000;

/// A published digest with its sending started (the job waits for a server), and 1,000
/// confirmed subscribers.
async fn prepared() -> (TestApp, String) {
    let (db, url, dir) = fresh_db_with_url().await;
    hromada::news::actions::ensure_sectors(&db, &hromada::work::Actor::system("test"))
        .await
        .expect("sectors");
    let app = TestApp::on(db, test_settings(), dir);
    let mut editor = app.other_browser();
    editor.login_as(Role::Editor).await;
    editor
        .publish_news(json!({ "title_uk": "Громади відновлюють водогони", "summary_uk": "Дванадцять громад.",
                              "title_en": "Communities restore water mains", "summary_en": "Twelve communities.",
                              "sectors": ["utilities"] }))
        .await;
    let (id, _) = publish_digest(&mut editor).await;
    let now = hromada::clock::now();
    let mut tx = app.state.db.begin().await.expect("tx");
    for i in 0..SUBSCRIBERS {
        let lang = if i % 4 == 0 { "en" } else { "uk" };
        let s = hromada::digest::repo::insert_subscriber(
            &mut tx,
            &format!("reader{i:04}@example.ua"),
            lang,
            "",
            &format!("sub.{i:04}"),
            &format!("hash{i}"),
            now,
            now,
        )
        .await
        .expect("subscriber");
        hromada::digest::repo::confirm_subscriber(&mut tx, s, now)
            .await
            .expect("confirm");
    }
    tx.commit().await.expect("commit");
    let r = editor
        .post_form(&format!("/uk/digest/{id}/send"), &[])
        .await;
    assert_eq!(r.status, axum::http::StatusCode::SEE_OTHER, "{}", r.body);
    (app, url)
}

fn serve(database_url: &str, smtp: &SmtpServer) -> Child {
    Command::new(env!("CARGO_BIN_EXE_hromada"))
        .arg("serve")
        .env("DATABASE_URL", database_url)
        .env_remove("HROMADA_TEST_DATABASE_URL")
        .env("HROMADA_LISTEN", "127.0.0.1:0")
        .env("HROMADA_BASE_URL", "http://hromada.test")
        .env("HROMADA_SMTP_URL", smtp.url())
        .env("HROMADA_SECRET_KEY_FILE", crate::harness::test_key_file())
        .env("HROMADA_LOG_LEVEL", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .expect("start hromada serve")
}

async fn wait_for(what: &str, limit: Duration, mut done: impl AsyncFnMut() -> bool) {
    let start = Instant::now();
    while !done().await {
        assert!(start.elapsed() < limit, "waited {limit:?} for {what}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

async fn count(db: &Db, sql: &'static str) -> i64 {
    hromada::on_db!(db, c => sqlx::query_scalar(sql).fetch_one(c).await).expect("count")
}

async fn all_sent(db: &Db) -> bool {
    count(
        db,
        "SELECT COUNT(*) FROM digest_deliveries d JOIN outbox o ON o.id = d.outbox_id WHERE o.status = 'sent'",
    )
    .await
        == SUBSCRIBERS as i64
}

/// Copies received per recipient, and the recipients whose copies differ in Message-ID.
fn copies(server: &SmtpServer) -> (HashMap<String, Vec<String>>, Vec<String>) {
    let mut by_recipient: HashMap<String, Vec<String>> = HashMap::new();
    for m in server.messages() {
        let id = m.parsed().message_id().unwrap_or_default().to_string();
        by_recipient.entry(m.to.join(",")).or_default().push(id);
    }
    let mixed = by_recipient
        .iter()
        .filter(|(_, ids)| ids.iter().any(|id| *id != ids[0]))
        .map(|(to, _)| to.clone())
        .collect();
    (by_recipient, mixed)
}

async fn interrupted_sending(signal: &str) -> (usize, i64, usize) {
    let server = SmtpServer::start().await;
    let (app, url) = prepared().await;
    let mut first = serve(&url, &server);
    wait_for(
        "the first 250 messages",
        Duration::from_secs(120),
        async || server.messages().len() >= 250,
    )
    .await;
    if signal == "KILL" {
        first.kill().expect("kill -9");
    } else {
        let status = Command::new("kill")
            .args(["-TERM", &first.id().to_string()])
            .status()
            .expect("kill -TERM");
        assert!(status.success());
    }
    let exit = first.wait().expect("wait");
    let at_stop = server.messages().len();
    let in_flight = count(
        &app.state.db,
        "SELECT COUNT(*) FROM outbox WHERE status = 'sending'",
    )
    .await;
    if signal == "TERM" {
        assert!(exit.success(), "a graceful stop: {exit:?}");
        assert_eq!(in_flight, 0, "a graceful stop finishes the message at hand");
    }
    assert!(
        at_stop < SUBSCRIBERS,
        "stopped in the middle, not after {at_stop}"
    );

    let mut second = serve(&url, &server);
    wait_for("every delivery", Duration::from_secs(180), async || {
        all_sent(&app.state.db).await
    })
    .await;
    // Nothing more arrives once all are sent.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let _ = Command::new("kill")
        .args(["-TERM", &second.id().to_string()])
        .status();
    second.wait().expect("wait");

    let (by_recipient, mixed) = copies(&server);
    assert_eq!(
        by_recipient.len(),
        SUBSCRIBERS,
        "every subscriber got the digest"
    );
    assert!(mixed.is_empty(), "one Message-ID per subscriber: {mixed:?}");
    let twice = server.messages().len() - SUBSCRIBERS;
    eprintln!(
        "SIG{signal} after {at_stop} of {SUBSCRIBERS} messages: {in_flight} in flight, \
         {twice} received twice (same Message-ID)"
    );
    (at_stop, in_flight, twice)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_server_resends_only_what_was_in_flight() {
    let (_, in_flight, twice) = interrupted_sending("KILL").await;
    assert!(twice as i64 <= in_flight, "{twice} > {in_flight}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_server_sends_nothing_twice() {
    let (_, _, twice) = interrupted_sending("TERM").await;
    assert_eq!(twice, 0);
}
