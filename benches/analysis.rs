//! Benchmark of the statistics analysis on 1,469 hromadas × 200 indicators × 12 years
//! (3,525,600 generated approved values in SQLite), three questions:
//! (a) the ranking of one indicator for one year;
//! (b) the sum of one indicator by oblast, for every year;
//! (c) the population-weighted mean of one indicator by raion, for one year;
//! each from the in-memory cube (as pages ask them) and from a cold start (the indicator's
//! values loaded from SQLite first), plus the pages that show them, rendered through the real
//! router. The same values are written to CSV for DuckDB: `bench/analysis.sh` installs DuckDB
//! from PyPI and sets `DUCKDB_PYTHON`, and this benchmark then runs `bench/duckdb_analysis.py`
//! on the same file and prints DuckDB's times beside ours.
//!
//! `bench/analysis.sh` (or `cargo bench --bench analysis` without DuckDB). Numbers are
//! recorded in docs/BENCHMARKS.md.

use std::io::Write;
use std::time::Duration;

use axum::body::Body;
use axum::http::Request;
use criterion::{Criterion, criterion_group, criterion_main};
use hromada::config::Settings;
use hromada::db::Db;
use hromada::registry::Level;
use hromada::statistics::analysis::query::{Measure, Scope, View, aggregates};
use hromada::statistics::analysis::{Order, cube::CubeCache};
use hromada::statistics::shipped::{IndicatorDef, Shipped};
use hromada::statistics::{Aggregation, Period, Periodicity, ValueType};
use hromada::work::Actor;
use tower::ServiceExt;

const INDICATORS: usize = 200;
const YEARS: std::ops::Range<i32> = 2013..2025;
const YEAR: i32 = 2022;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

fn def(code: String, aggregation: Aggregation) -> IndicatorDef {
    IndicatorDef {
        name_uk: format!("Показник {code}"),
        name_en: format!("Indicator {code}"),
        code,
        value_type: ValueType::Decimal,
        periodicity: Periodicity::Year,
        aggregation,
        min: None,
        max: None,
        measure_uk: String::new(),
        measure_en: String::new(),
        definition_uk: String::new(),
        definition_en: String::new(),
        source_uk: "Згенеровано для вимірювання".into(),
        source_en: "Generated for the benchmark".into(),
        column: None,
        warn_change_pct: None,
        per_capita: true,
    }
}

/// A value that varies by unit, indicator and year, deterministically.
fn value(unit: usize, indicator: usize, year: i32) -> f64 {
    let x =
        (unit as u64 * 2_654_435_761 + indicator as u64 * 40_503 + year as u64 * 97) % 1_000_003;
    if indicator == 0 {
        // population
        (1_000 + x % 200_000) as f64
    } else {
        x as f64 * 10.0 + 0.25
    }
}

/// The registry, 200 indicators (`population_total` and `bench_001`…`bench_199`, odd ones
/// weighted by population), and every hromada's value of each for each year; the CSV for
/// DuckDB beside it.
async fn setup(path: &std::path::Path, csv: &std::path::Path) -> Db {
    let db = Db::connect(&format!("sqlite://{}", path.display()), 5)
        .await
        .expect("connect");
    db.migrate().await.expect("migrate");
    let actor = Actor::system("bench");
    hromada::registry::actions::ensure_loaded(&db, &actor)
        .await
        .expect("registry");
    let snap = hromada::registry::snapshot::Cache::default()
        .get(&db)
        .await
        .expect("snapshot");
    let hromadas: Vec<usize> = snap
        .at_level(Level::Hromada)
        .filter(|&i| snap.node(i).population.is_some())
        .collect();
    let now = hromada::clock::now();
    let mut tx = db.begin().await.expect("tx");
    let mut out = std::io::BufWriter::new(std::fs::File::create(csv).expect("csv"));
    writeln!(out, "unit,oblast,raion,indicator,period,value").expect("write");
    for k in 0..INDICATORS {
        let (code, rule) = if k == 0 {
            ("population_total".to_string(), Aggregation::Sum)
        } else if k % 2 == 1 {
            (
                format!("bench_{k:03}"),
                Aggregation::WeightedMean("population_total".into()),
            )
        } else {
            (format!("bench_{k:03}"), Aggregation::Sum)
        };
        let id =
            hromada::statistics::repo::insert_indicator(&mut tx, &def(code.clone(), rule), now)
                .await
                .expect("indicator");
        let mut values = Vec::with_capacity(hromadas.len() * YEARS.len());
        for year in YEARS {
            for (n, &h) in hromadas.iter().enumerate() {
                let node = snap.node(h);
                let ancestors = snap.ancestors(h);
                let code_at = |level: Level| {
                    ancestors
                        .iter()
                        .map(|&a| snap.node(a))
                        .find(|a| a.level() == level)
                        .map_or("", |a| a.code.as_str())
                };
                let v = value(n, k, year);
                writeln!(
                    out,
                    "{},{},{},{code},{year},{v}",
                    node.code,
                    code_at(Level::Oblast),
                    code_at(Level::Raion)
                )
                .expect("write");
                values.push(Shipped {
                    unit_code: node.code.clone(),
                    indicator: code.clone(),
                    period: Period::Year(year),
                    value: v,
                    is_partial: false,
                });
            }
        }
        let rows: Vec<(i64, &Shipped)> = values.iter().map(|v| (id, v)).collect();
        hromada::statistics::repo::insert_approved(&mut tx, &rows, &|_| "bench".into(), None, now)
            .await
            .expect("values");
    }
    hromada::statistics::analysis::repo::raise_revision(&mut tx, now)
        .await
        .expect("revision");
    tx.commit().await.expect("commit");
    out.flush().expect("flush");
    db
}

fn questions(c: &mut Criterion) {
    let rt = runtime();
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = dir.path().join("values.csv");
    let started = std::time::Instant::now();
    let db = rt.block_on(setup(&dir.path().join("bench.db"), &csv));
    println!(
        "generated {} values in {:.1} s",
        1_469 * INDICATORS * YEARS.len(),
        started.elapsed().as_secs_f64()
    );
    let state = hromada::app::state(db.clone(), Settings::default());
    let cube = rt
        .block_on(hromada::statistics::analysis::cube::current(&state))
        .expect("cube");
    let id = |code: &str| cube.indicator(code).expect("indicator").id;
    let (sum_id, mean_id, pop_id) = (id("bench_002"), id("bench_003"), id("population_total"));
    let series = rt.block_on(cube.series(&db, sum_id)).expect("series");
    let weighted = rt.block_on(cube.series(&db, mean_id)).expect("series");
    let population = rt.block_on(cube.series(&db, pop_id)).expect("series");
    let p = series.period_index(Period::Year(YEAR)).expect("year");
    let view = View {
        cube: &cube,
        series: &series,
        population: None,
        measure: Measure::Value,
    };
    let wview = View {
        series: &weighted,
        ..view
    };
    let rule = Aggregation::WeightedMean("population_total".into());

    let mut group = c.benchmark_group("analysis, from the cube");
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("(a) ranking of one indicator, one year", |b| {
        b.iter(|| view.ranking(p, &Scope::default(), Order::Descending))
    });
    group.bench_function("(b) sum by oblast, every year", |b| {
        b.iter(|| {
            (0..series.periods.len())
                .map(|k| aggregates(&view, &Aggregation::Sum, None, k, Level::Oblast))
                .collect::<Vec<_>>()
        })
    });
    group.bench_function("(c) population-weighted mean by raion, one year", |b| {
        b.iter(|| aggregates(&wview, &rule, Some(&population), p, Level::Raion))
    });
    group.finish();

    // Cold: a new cube each time, so the indicator's values come from SQLite first.
    let mut group = c.benchmark_group("analysis, cold (values loaded from SQLite first)");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(10));
    group.bench_function("(a) ranking of one indicator, one year", |b| {
        b.to_async(&rt).iter(|| async {
            let fresh = CubeCache::default();
            let snapshots = state.part::<hromada::registry::snapshot::Cache>();
            let cube = fresh.get(&state.db, &snapshots).await.expect("cube");
            let s = cube.series(&state.db, sum_id).await.expect("series");
            let v = View {
                cube: &cube,
                series: &s,
                population: None,
                measure: Measure::Value,
            };
            v.ranking(p, &Scope::default(), Order::Descending).len()
        })
    });
    group.finish();

    // The pages that show them, through the router, with the cube warm.
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
    let pages = [
        (
            "indicator page: ranking, histogram, oblast sums",
            "/uk/statistics/indicators/bench_002?period=2022",
        ),
        (
            "indicator page: raion weighted means",
            "/uk/statistics/indicators/bench_003?period=2022&agg=raion",
        ),
        (
            "rankings API, all hromadas",
            "/api/v1/statistics/rankings?indicator=bench_002&period=2022&limit=2000",
        ),
        (
            "map.svg of one indicator",
            "/uk/statistics/indicators/bench_002/map.svg?period=2022",
        ),
        (
            "community page, 200 indicators",
            "/uk/units/UA05020030000031457/statistics",
        ),
    ];
    for (_, path) in pages {
        rt.block_on(get(path));
    }
    let mut group = c.benchmark_group("analysis pages");
    group.measurement_time(Duration::from_secs(10));
    for (name, path) in pages {
        group.bench_function(name, |b| b.to_async(&rt).iter(|| get(path)));
    }
    group.finish();

    // DuckDB on the same values, when bench/analysis.sh provided it.
    match std::env::var("DUCKDB_PYTHON") {
        Ok(python) => {
            let script = concat!(env!("CARGO_MANIFEST_DIR"), "/bench/duckdb_analysis.py");
            let status = std::process::Command::new(python)
                .arg(script)
                .arg(&csv)
                .arg(YEAR.to_string())
                .status();
            if !matches!(status, Ok(s) if s.success()) {
                println!("DuckDB comparison failed: {status:?}");
            }
        }
        Err(_) => {
            println!("DUCKDB_PYTHON is not set: run bench/analysis.sh for the DuckDB comparison")
        }
    }
}

criterion_group!(benches, questions);
criterion_main!(benches);
