//! Benchmarks of the registry: loading the shipped codifier with its attributes into an empty
//! SQLite file, rendering unit pages through the real router, and searching.
//!
//! `cargo bench --bench registry` (release build); numbers are recorded in docs/BENCHMARKS.md.

use std::time::Duration;

use axum::body::Body;
use axum::http::Request;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use hromada::config::Settings;
use hromada::db::Db;
use hromada::work::Actor;
use tower::ServiceExt;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

async fn empty_sqlite(dir: &tempfile::TempDir) -> Db {
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let db = Db::connect(&url, 5).await.expect("connect");
    db.migrate().await.expect("migrate");
    db
}

fn load(c: &mut Criterion) {
    let rt = runtime();
    let mut group = c.benchmark_group("registry");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(30));
    group.bench_function("load codifier and attributes into empty SQLite", |b| {
        b.to_async(&rt).iter_batched(
            || {
                let dir = tempfile::tempdir().expect("tempdir");
                let db = std::thread::scope(|s| {
                    s.spawn(|| runtime().block_on(empty_sqlite(&dir)))
                        .join()
                        .expect("setup")
                });
                (dir, db)
            },
            |(dir, db)| async move {
                hromada::registry::actions::ensure_loaded(&db, &Actor::system("bench"))
                    .await
                    .expect("load");
                db.close().await;
                drop(dir);
            },
            BatchSize::PerIteration,
        );
    });
    group.finish();
}

fn pages_and_search(c: &mut Criterion) {
    let rt = runtime();
    let dir = tempfile::tempdir().expect("tempdir");
    let state = rt.block_on(async {
        let db = empty_sqlite(&dir).await;
        hromada::registry::actions::ensure_loaded(&db, &Actor::system("bench"))
            .await
            .expect("load");
        hromada::app::state(db, Settings::default())
    });
    let app = hromada::app::router(state.clone());
    let get = |path: &'static str| {
        let app = app.clone();
        async move {
            let response = app
                .oneshot(Request::get(path).body(Body::empty()).expect("request"))
                .await
                .expect("response");
            assert!(
                response.status().is_success(),
                "{path}: {}",
                response.status()
            );
            axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .expect("body")
        }
    };
    // The first request builds the snapshot; the benchmarks measure the steady state.
    rt.block_on(get("/uk/units"));

    let mut group = c.benchmark_group("unit page");
    for (name, path) in [
        ("hromada", "/uk/units/UA05020030000031457"),
        (
            "oblast with 63 hromadas on its map",
            "/uk/units/UA05000000000010236",
        ),
        ("settlement", "/en/units/UA05020030010063857"),
        ("Crimea, 303 hromadas", "/uk/units/UA01000000000013043"),
    ] {
        group.bench_function(name, |b| b.to_async(&rt).iter(|| get(path)));
    }
    group.finish();

    let snapshot = rt
        .block_on(hromada::registry::snapshot::current(&state))
        .expect("snapshot");
    let mut group = c.benchmark_group("search");
    for q in [
        "Вінниц",
        "вінницькій",
        "vinnyts",
        "Житомр",
        "Кам’янець-Подільський",
        "біла церква",
        "вінницька область",
        "с",
    ] {
        group.bench_function(q, |b| b.iter(|| snapshot.search(q, None, 50, 0)));
    }
    group.bench_function("search page /uk/units?q=вінницькій", |b| {
        b.to_async(&rt).iter(|| {
            get("/uk/units?q=%D0%B2%D1%96%D0%BD%D0%BD%D0%B8%D1%86%D1%8C%D0%BA%D1%96%D0%B9")
        })
    });
    group.finish();
}

criterion_group!(benches, load, pages_and_search);
criterion_main!(benches);
