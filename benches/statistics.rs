//! Benchmark of the statistics import: 1,000,000 values from a CSV into SQLite, every row
//! checked (unit, indicator, periodicity, type, range, duplicates) and written with its
//! history, against `sqlite3`'s own `.import` of the same file into a bare table.
//!
//! `cargo bench --bench statistics` (release build; needs the `sqlite3` command for the
//! comparison). Numbers are recorded in docs/BENCHMARKS.md.

use std::io::Write;
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use hromada::db::Db;
use hromada::statistics::actions::{ImportFile, ImportMode};
use hromada::work::Actor;

const VALUES: usize = 1_000_000;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

/// A database with the registry and the shipped statistics, as a server has after its first
/// start.
async fn ready_db(path: &std::path::Path) -> Db {
    let url = format!("sqlite://{}", path.display());
    let db = Db::connect(&url, 5).await.expect("connect");
    db.migrate().await.expect("migrate");
    let actor = Actor::system("bench");
    hromada::registry::actions::ensure_loaded(&db, &actor)
        .await
        .expect("registry");
    hromada::statistics::actions::ensure_loaded(&db, &actor)
        .await
        .expect("statistics");
    db
}

/// 1,000,000 rows: every hromada × the 17 budget indicators × years from 1991, values with a
/// decimal comma as people type them, in a semicolon-separated file. Six of the indicators
/// are tied by rules, so a third of the rows go through the rule check.
fn write_csv(path: &std::path::Path, hromadas: &[String], indicators: &[String]) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).expect("csv"));
    writeln!(out, "unit;indicator;period;value;comment").expect("write");
    let mut n = 0;
    'all: for year in 1991..2100 {
        for h in hromadas {
            for (k, i) in indicators.iter().enumerate() {
                // Figures that keep the rules between indicators (the total is the largest,
                // each part below the line it belongs to), so every row is good.
                let whole = if k == 0 {
                    1_000_000_000
                } else {
                    1_000_000 - k * 1_000
                };
                writeln!(out, "{h};{i};{year};{},{:02};", whole + n % 1_000, n % 100)
                    .expect("write");
                n += 1;
                if n == VALUES {
                    break 'all;
                }
            }
        }
    }
    out.flush().expect("flush");
}

fn import(c: &mut Criterion) {
    let rt = runtime();
    let dir = tempfile::tempdir().expect("tempdir");
    let template = dir.path().join("template.db");
    let (hromadas, indicators) = rt.block_on(async {
        let db = ready_db(&template).await;
        let snap = hromada::registry::snapshot::Cache::default()
            .get(&db)
            .await
            .expect("snapshot");
        let hromadas: Vec<String> = snap
            .at_level(hromada::registry::Level::Hromada)
            .map(|i| snap.node(i).code.clone())
            .collect();
        let indicators: Vec<String> = hromada::statistics::repo::indicators(&db)
            .await
            .expect("indicators")
            .into_iter()
            .filter(|i| i.code.starts_with("budget_"))
            .map(|i| i.code)
            .collect();
        db.close().await;
        (hromadas, indicators)
    });
    let csv = dir.path().join("values.csv");
    write_csv(&csv, &hromadas, &indicators);

    let mut group = c.benchmark_group("statistics");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(60));
    group.bench_function("import 1,000,000 values from CSV into SQLite", |b| {
        b.to_async(&rt).iter_batched(
            || {
                let copy = dir.path().join("run.db");
                let _ = std::fs::remove_file(copy.with_extension("db-wal"));
                let _ = std::fs::remove_file(copy.with_extension("db-shm"));
                std::fs::copy(&template, &copy).expect("copy");
                let db = std::thread::scope(|s| {
                    s.spawn(|| {
                        runtime().block_on(Db::connect(&format!("sqlite://{}", copy.display()), 5))
                    })
                    .join()
                    .expect("connect")
                })
                .expect("connect");
                (db, std::fs::File::open(&csv).expect("csv"))
            },
            |(db, file)| async move {
                let report = hromada::statistics::actions::import_file(
                    &db,
                    &Actor::system("bench"),
                    ImportFile::Csv(file),
                    ImportMode::AllOrNothing,
                    "bench",
                    None,
                )
                .await
                .expect("import");
                assert_eq!(report.written, VALUES as u64);
                db.close().await;
            },
            BatchSize::PerIteration,
        );
    });
    group.finish();

    // sqlite3's own import of the same file into a bare table, for comparison.
    let bare = dir.path().join("bare.db");
    let started = Instant::now();
    let status = std::process::Command::new("sqlite3")
        .arg(&bare)
        .arg("-cmd")
        .arg(".separator ;")
        .arg(format!(".import {} v", csv.display()))
        .status();
    match status {
        Ok(s) if s.success() => println!(
            "sqlite3 .import of the same file (no checks, no history): {:.2} s",
            started.elapsed().as_secs_f64()
        ),
        _ => println!("sqlite3 is not installed: no comparison"),
    }
}

criterion_group!(benches, import);
criterion_main!(benches);
