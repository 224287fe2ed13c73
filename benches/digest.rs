//! Benchmarks of the weekly digest: drafting a 60-item digest from the week's news, then
//! rendering it as the web page (through the real router), the mail and the A4 PDF; and each
//! rendering alone.
//!
//! `cargo bench --bench digest` (release build); numbers are recorded in docs/BENCHMARKS.md.

use std::time::Duration;

use axum::body::Body;
use axum::http::Request;
use criterion::{Criterion, criterion_group, criterion_main};
use hromada::config::Settings;
use hromada::db::Db;
use hromada::digest::repo::DigestRow;
use hromada::i18n::Lang;
use hromada::state::AppState;
use hromada::work::Actor;
use tower::ServiceExt;

const ITEMS: usize = 60;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

/// An SQLite file with 60 news items published this week, in both languages, spread over
/// the twelve sectors.
async fn week_of_news(dir: &tempfile::TempDir) -> AppState {
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let db = Db::connect(&url, 5).await.expect("connect");
    db.migrate().await.expect("migrate");
    let actor = Actor::system("bench");
    hromada::news::actions::ensure_sectors(&db, &actor)
        .await
        .expect("sectors");
    let settings = Settings {
        base_url: "https://hromada.example".into(),
        ..Settings::default()
    };
    let state = hromada::app::state(db, settings);
    for i in 0..ITEMS {
        let (sector, ..) = hromada::news::SECTORS[i % hromada::news::SECTORS.len()];
        let draft = hromada::news::Draft {
            title_uk: format!("Громада №{i} облаштувала укриття в школі й відновила навчання офлайн"),
            title_en: format!("Community no. {i} fits out a school shelter and resumes classes in person"),
            summary_uk: "Громада облаштувала укриття в опорній школі, провела навчання для вчителів і батьків \
                         та домовилася з сусідніми громадами про підвезення дітей; уроки офлайн відновлено \
                         для трьохсот учнів."
                .into(),
            summary_en: "The community fitted out a shelter in its main school, trained teachers and parents \
                         and agreed with its neighbours on school transport; three hundred pupils are back in \
                         class."
                .into(),
            body_uk: "Текст новини.".into(),
            sectors: vec![sector.to_string()],
            top_pick: i < 3,
            ..Default::default()
        };
        let id = hromada::news::actions::create(&state, &actor, None, &draft)
            .await
            .expect("news");
        hromada::news::actions::move_item(&state, &actor, id, hromada::news::Move::Publish)
            .await
            .expect("publish");
    }
    state
}

async fn publish(state: &AppState, id: i64) -> DigestRow {
    let mut tx = state.db.begin().await.expect("tx");
    hromada::digest::repo::publish(&mut tx, id, hromada::clock::now())
        .await
        .expect("publish");
    tx.commit().await.expect("commit");
    hromada::digest::repo::digest(&state.db, id)
        .await
        .expect("db")
        .expect("digest")
}

async fn web_page(state: &AppState, d: &DigestRow) -> usize {
    let path = format!("/uk/digest/{}", d.ends_on);
    let response = hromada::app::router(state.clone())
        .oneshot(Request::get(path).body(Body::empty()).expect("request"))
        .await
        .expect("response");
    assert!(response.status().is_success());
    axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body")
        .len()
}

async fn mail(state: &AppState, d: &DigestRow) -> usize {
    let v = hromada::digest::view::view(state, d, Lang::Uk)
        .await
        .expect("view");
    let link = "https://hromada.example/uk/digest/subscription/secret";
    let m = hromada::digest::mail::render(&v, Lang::Uk, link, link);
    m.html.len() + m.text.len()
}

async fn pdf(state: &AppState, d: &DigestRow) -> usize {
    let v = hromada::digest::view::view(state, d, Lang::Uk)
        .await
        .expect("view");
    hromada::digest::pdf::render(&v, Lang::Uk, false)
        .expect("pdf")
        .len()
}

async fn discard(state: &AppState, id: i64) {
    hromada::db_exec!(&state.db, c => sqlx::query("DELETE FROM digest_entries WHERE digest_id = $1")
        .bind(id).execute(c).await)
    .expect("delete entries");
    hromada::db_exec!(&state.db, c => sqlx::query("DELETE FROM digests WHERE id = $1")
        .bind(id).execute(c).await)
    .expect("delete digest");
}

fn digest(c: &mut Criterion) {
    let rt = runtime();
    let dir = tempfile::tempdir().expect("tempdir");
    let state = rt.block_on(week_of_news(&dir));
    let (from, to) = hromada::digest::week_of(hromada::clock::today());
    let actor = Actor::system("bench");
    let draft = || async {
        hromada::digest::actions::draft(&state.db, actor.clone(), from, to)
            .await
            .expect("db")
            .expect("a draft")
    };

    let mut group = c.benchmark_group("digest");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(20));
    group.bench_function(
        "draft, publish and render a 60-item digest (web, mail, PDF)",
        |b| {
            b.to_async(&rt).iter(|| async {
                let id = draft().await;
                let d = publish(&state, id).await;
                let bytes =
                    web_page(&state, &d).await + mail(&state, &d).await + pdf(&state, &d).await;
                discard(&state, id).await;
                bytes
            });
        },
    );
    let d = rt.block_on(async {
        let id = draft().await;
        publish(&state, id).await
    });
    let entries = rt
        .block_on(hromada::digest::repo::entries(&state.db, d.id))
        .expect("entries")
        .len();
    assert_eq!(entries, ITEMS);
    group.bench_function("web page (router)", |b| {
        b.to_async(&rt).iter(|| web_page(&state, &d));
    });
    group.bench_function("mail (HTML and text)", |b| {
        b.to_async(&rt).iter(|| mail(&state, &d));
    });
    group.bench_function("A4 PDF", |b| {
        b.to_async(&rt).iter(|| pdf(&state, &d));
    });
    group.finish();
    let sizes = rt.block_on(async {
        (
            web_page(&state, &d).await,
            mail(&state, &d).await,
            pdf(&state, &d).await,
        )
    });
    println!(
        "sizes for {ITEMS} entries: web page {} B, mail {} B, PDF {} B",
        sizes.0, sizes.1, sizes.2
    );
}

criterion_group!(benches, digest);
criterion_main!(benches);
