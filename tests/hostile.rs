//! Hostile-input property tests (issue 16): generated input for the readers of everything a
//! visitor can send — CSV and XLSX uploads, Markdown, form and query bodies, images — must never
//! panic, must stay under its memory limit and must finish in bounded time.
//!
//! A test binary of its own, so its counting allocator sees only these cases; the properties
//! run one after another in one test so no other test's allocations are counted.
//!
//!   cargo test --test hostile                          # 256 cases per property, 64 for
//!                                                      # workbooks and images
//!   HOSTILE_CASES=230000 cargo test --release --test hostile -- --nocapture   # the bench run
//!
//!   HOSTILE_ONLY=xlsx,images HOSTILE_CASES=230000 cargo test --release --test hostile -- --nocapture
//!                                                      # only the properties whose names contain
//!                                                      # one of the words (case-insensitive)
//!
//! `HOSTILE_CASES` scales every property (workbooks and images run a quarter of it), so the
//! bench run above tries 4.5 × 230,000 > 1,000,000 inputs. Allocation is counted in all (what
//! a reader allocates, growth by `realloc` included), not at its peak: the limits bound work
//! as well as memory.

use std::alloc::System;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

fn cases() -> u32 {
    std::env::var("HOSTILE_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

/// The cases of a property: its share of [`cases`] (the slow readers, workbooks and images,
/// run fewer, so the default run stays quick in a debug build), at least one.
fn cases_for(share: f64) -> u32 {
    ((f64::from(cases()) * share).ceil() as u32).max(1)
}

/// Whether `HOSTILE_ONLY` (comma-separated words, any case) selects the property `name`;
/// every property runs when it is unset.
fn selected(name: &str) -> bool {
    let Ok(only) = std::env::var("HOSTILE_ONLY") else {
        return true;
    };
    let name = name.to_lowercase();
    only.split(',')
        .map(|w| w.trim().to_lowercase())
        .any(|w| !w.is_empty() && name.contains(&w))
}

/// What one property saw over all its cases.
#[derive(Default)]
struct Worst {
    cases: u64,
    max_time: Duration,
    max_bytes: usize,
}

impl Worst {
    fn report(&self, name: &str) {
        println!(
            "{name}: {} cases, slowest {:.2} ms, most allocated {} KiB",
            self.cases,
            self.max_time.as_secs_f64() * 1000.0,
            self.max_bytes / 1024
        );
    }
}

/// Runs `f` on `cases_for(share)` generated inputs; fails when it panics (proptest reports the
/// input), takes longer than `time_limit` or allocates more than `bytes_limit(input)` in all.
/// Growth by reallocation counts too (a `Vec` that doubles to a gigabyte does it by `realloc`).
fn check<S: Strategy>(
    name: &str,
    share: f64,
    strategy: S,
    time_limit: Duration,
    bytes_limit: impl Fn(&S::Value) -> usize,
    f: impl Fn(&S::Value),
) where
    S::Value: std::fmt::Debug,
{
    if !selected(name) {
        println!("{name}: skipped (HOSTILE_ONLY)");
        return;
    }
    let mut runner = TestRunner::new(Config {
        cases: cases_for(share),
        failure_persistence: None,
        ..Config::default()
    });
    let worst = std::cell::RefCell::new(Worst::default());
    let result = runner.run(&strategy, |input| {
        let region = Region::new(GLOBAL);
        let start = Instant::now();
        f(&input);
        let took = start.elapsed();
        let change = region.change();
        let grown = usize::try_from(change.bytes_reallocated).unwrap_or(0);
        let bytes = change.bytes_allocated + grown;
        let mut w = worst.borrow_mut();
        w.cases += 1;
        w.max_time = w.max_time.max(took);
        w.max_bytes = w.max_bytes.max(bytes);
        prop_assert!(took < time_limit, "took {took:?}");
        let limit = bytes_limit(&input);
        prop_assert!(bytes <= limit, "allocated {bytes} bytes, limit {limit}");
        Ok(())
    });
    worst.borrow().report(name);
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
}

/// Pieces of Markdown and HTML that attacks are made of.
fn markdown() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("[x](javascript:alert(1))".to_string()),
        Just("<script>alert(1)</script>".to_string()),
        Just("<img src=x onerror=alert(1)>".to_string()),
        Just("<a href=\"jAvAsCrIpT:x\">".to_string()),
        Just("<iframe src=//evil>".to_string()),
        Just("<svg><style>".to_string()),
        Just("&#106;avascript:".to_string()),
        Just("| a | b |\n|---|---|\n".to_string()),
        Just("***".to_string()),
        Just("[[[[[[[[".to_string()),
        Just(">>>>>>>>>".to_string()),
        Just("```\n".to_string()),
        Just("\n".to_string()),
        Just("    ".to_string()),
        "[\\[\\]()<>*_`#|\\\\!-]{1,8}",
        "\\PC{0,12}",
    ];
    prop::collection::vec(piece, 0..200).prop_map(|v| v.concat())
}

fn markdown_is_clean(input: &str) {
    let html = hromada::news::render_markdown(input);
    let doc = scraper::Html::parse_fragment(&html);
    for node in doc.tree.nodes() {
        let Some(el) = node.value().as_element() else {
            continue;
        };
        let name = el.name();
        assert!(
            ![
                "script", "iframe", "style", "object", "embed", "svg", "math"
            ]
            .contains(&name),
            "<{name}> in {html}"
        );
        for (attr, value) in el.attrs() {
            assert!(!attr.starts_with("on"), "{attr} in {html}");
            if ["href", "src"].contains(&attr) {
                let squeezed: String = value
                    .chars()
                    .filter(|c| !c.is_whitespace() && !c.is_control())
                    .collect::<String>()
                    .to_lowercase();
                assert!(
                    !squeezed.starts_with("javascript:")
                        && !squeezed.starts_with("vbscript:")
                        && !squeezed.starts_with("data:"),
                    "{attr}={value} in {html}"
                );
            }
        }
    }
}

/// Form bodies: any bytes, and url-encoded pairs with control characters and odd encodings.
fn form_body() -> impl Strategy<Value = Vec<u8>> {
    let pair = (
        prop_oneof![
            Just("name".to_string()),
            Just("csrf".to_string()),
            "\\PC{0,6}"
        ],
        prop_oneof![
            "\\PC{0,20}",
            Just("%00".to_string()),
            Just("%0A%09".to_string()),
            Just("%ZZ".to_string()),
            Just("%".to_string()),
            Just("+".to_string()),
            "[\\x00-\\x1f]{1,4}",
        ],
    )
        .prop_map(|(k, v)| format!("{k}={v}"));
    prop_oneof![
        prop::collection::vec(pair, 0..20).prop_map(|p| p.join("&").into_bytes()),
        prop::collection::vec(any::<u8>(), 0..256),
    ]
}

#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
struct SomeForm {
    name: String,
    count: Option<i64>,
    #[serde(default)]
    tags: Vec<String>,
}

fn decode_form(runtime: &tokio::runtime::Runtime, body: &[u8]) {
    use axum::extract::FromRequest;
    for path in ["/x", "/x?name=a&count=1"] {
        let request = axum::http::Request::builder()
            .method("POST")
            .uri(path)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(axum::body::Body::from(body.to_vec()))
            .expect("request");
        let form = runtime.block_on(hromada::web::extract::Form::<SomeForm>::from_request(
            request,
            &(),
        ));
        if let Err(response) = form {
            // Refused input is a client error, never a server error.
            assert!(response.status().is_client_error(), "{}", response.status());
        }
        let query = axum::http::Request::builder()
            .uri(format!(
                "/x?{}",
                String::from_utf8_lossy(body).replace(['#', ' '], "")
            ))
            .body(axum::body::Body::empty());
        if let Ok(query) = query {
            let (mut parts, _) = query.into_parts();
            let decoded =
                runtime.block_on(
                    <hromada::web::extract::Query<SomeForm> as axum::extract::FromRequestParts<
                        (),
                    >>::from_request_parts(&mut parts, &()),
                );
            if let Err(response) = decoded {
                assert!(response.status().is_client_error(), "{}", response.status());
            }
        }
    }
}

// ---- CSV uploads ----------------------------------------------------------------------------

/// A CSV file as attacks make them: byte-order marks, both separators, stray and doubled
/// quotes, every line ending, fields of up to 200 KB, rows of thousands of columns, formulas and
/// bytes that are not UTF-8, after one of the headers the readers expect (or none).
fn hostile_csv() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b"\xef\xbb\xbf".to_vec()),
        Just(b",".to_vec()),
        Just(b";".to_vec()),
        Just(b"\"".to_vec()),
        Just(b"\"\"".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\r".to_vec()),
        Just(b"UA14000000000000000".to_vec()),
        Just(b"UA05020030000031457,population_total,2024,100\n".to_vec()),
        Just(b"2024-01-31".to_vec()),
        Just(b"=HYPERLINK(\"http://evil.example\",\"x\")".to_vec()),
        Just(b"\xff".to_vec()),
        Just(b"\xc3".to_vec()),
        Just(b"\xe2\x82".to_vec()),
        Just(b"\x00".to_vec()),
        (0usize..200_000).prop_map(|n| vec![b'x'; n]),
        (0usize..5_000).prop_map(|n| vec![b','; n]),
        (0usize..2_000).prop_map(|n| b"\n".repeat(n)),
        (0usize..2_000).prop_map(|n| b"bad\n".repeat(n)),
        "\\PC{0,12}".prop_map(String::into_bytes),
    ];
    let header = prop_oneof![
        Just(&b""[..]),
        Just(&b"code,status,since,note\n"[..]),
        Just(&b"code;status;since\r\n"[..]),
        Just(&b"\xef\xbb\xbfcode,since,regional_office\n"[..]),
        Just(&b"unit,indicator,period,value,comment\n"[..]),
        Just(&b"unit;indicator;period;value\n"[..]),
    ];
    prop_oneof![
        (header, prop::collection::vec(piece, 0..60)).prop_map(|(h, v)| {
            let mut out = h.to_vec();
            out.extend(v.concat());
            out
        }),
        prop::collection::vec(any::<u8>(), 0..2048),
    ]
}

/// The errors a CSV upload reader gives back: the first [`MAX_LISTED`] with their lines in
/// order and their messages cut short, then at most one entry counting the rest.
///
/// [`MAX_LISTED`]: hromada::web::csv_upload::MAX_LISTED
fn errors_are_capped(errors: &[hromada::web::csv_upload::RowError], lines: u64) {
    use hromada::web::csv_upload::{MAX_LISTED, unlisted};
    let listed = match unlisted(errors) {
        Some(_) => &errors[..errors.len() - 1],
        None => errors,
    };
    assert!(!errors.is_empty());
    assert!(listed.len() <= MAX_LISTED, "{} listed", listed.len());
    assert!(listed.iter().all(|e| (1..=lines).contains(&e.line)));
    assert!(listed.windows(2).all(|w| w[0].line <= w[1].line));
    assert!(listed.iter().all(|e| e.message.chars().count() <= 300));
}

fn read_csv_uploads(bytes: &[u8]) {
    let lines = bytes.iter().filter(|b| **b == b'\n').count() as u64 + 1;
    if let Err(errors) = hromada::registry::attributes::parse_status_csv(bytes) {
        errors_are_capped(&errors, lines);
    }
    if let Err(errors) = hromada::members::parse_import(bytes) {
        errors_are_capped(&errors, lines);
    }
}

/// The catalogue the statistics readers check rows against.
fn indicators() -> std::collections::HashMap<String, hromada::statistics::import::IndicatorInfo> {
    use hromada::statistics::import::IndicatorInfo;
    use hromada::statistics::{Periodicity, ValueType};
    let mut m = std::collections::HashMap::new();
    m.insert(
        "population_total".to_string(),
        IndicatorInfo {
            id: 1,
            value_type: ValueType::Integer,
            periodicity: Periodicity::Year,
            min: Some(0.0),
            max: None,
        },
    );
    m.insert(
        "waste_share".to_string(),
        IndicatorInfo {
            id: 2,
            value_type: ValueType::Percent,
            periodicity: Periodicity::Quarter,
            min: Some(0.0),
            max: Some(100.0),
        },
    );
    m
}

/// Units are codes of `UA` and 17 digits; each is its own index.
fn unit_index(code: &str) -> Option<usize> {
    (code.len() == 19 && code.starts_with("UA"))
        .then(|| code[2..].parse::<u64>().ok())
        .flatten()
        .map(|n| (n % 1_000_000) as usize)
}

/// What a statistics import must give back whatever the file: errors capped and cut short.
fn outcome_is_bounded(out: &hromada::statistics::import::Outcome) {
    use hromada::statistics::import::MAX_ERRORS;
    assert!(
        out.errors.len() <= MAX_ERRORS,
        "{} errors",
        out.errors.len()
    );
    assert!(out.bad >= out.errors.len() as u64);
    assert!(out.errors.iter().all(|e| e.found.chars().count() <= 200));
}

fn read_statistics_csv(bytes: &[u8]) {
    let indicators = indicators();
    let mut good = 0u64;
    let out = hromada::statistics::import::read_csv(bytes, &indicators, &unit_index, &mut |_| {
        good += 1;
        Ok(())
    })
    .expect("reading from memory cannot fail");
    assert_eq!(out.good, good);
    outcome_is_bounded(&out);
}

// ---- XLSX workbooks -------------------------------------------------------------------------

#[derive(Debug, Clone)]
enum CellValue {
    Text(String),
    Number(f64),
    Bool(bool),
    Formula(String),
}

/// A workbook written by a real spreadsheet library: a few cells anywhere on the sheet, the
/// last row and column included, sometimes under a proper header.
fn written_xlsx() -> impl Strategy<Value = Vec<u8>> {
    let row = prop_oneof![0u32..30, Just(1_048_575), 0u32..1_048_576];
    let column = prop_oneof![0u16..6, Just(16_383), Just(63), Just(64), 0u16..16_384];
    let value = prop_oneof![
        "\\PC{0,20}".prop_map(CellValue::Text),
        Just(CellValue::Text("UA05020030000031457".into())),
        Just(CellValue::Text("population_total".into())),
        Just(CellValue::Text(
            "=HYPERLINK(\"http://evil.example\")".into()
        )),
        any::<f64>().prop_map(CellValue::Number),
        (1991.0..2100.0f64).prop_map(|y| CellValue::Number(y.floor())),
        any::<bool>().prop_map(CellValue::Bool),
        Just(CellValue::Formula("=1/0".into())),
        Just(CellValue::Formula("=A1&A1&A1".into())),
    ];
    (
        any::<bool>(),
        prop::collection::vec((row, column, value), 0..30),
    )
        .prop_map(|(header, cells)| {
            let mut book = rust_xlsxwriter::Workbook::new();
            let sheet = book.add_worksheet();
            if header {
                for (c, name) in ["unit", "indicator", "period", "value"].iter().enumerate() {
                    sheet.write_string(0, c as u16, *name).expect("cell");
                }
            }
            for (r, c, v) in cells {
                let written = match v {
                    CellValue::Text(t) => sheet.write_string(r, c, t).map(|_| ()),
                    CellValue::Number(n) => sheet.write_number(r, c, n).map(|_| ()),
                    CellValue::Bool(b) => sheet.write_boolean(r, c, b).map(|_| ()),
                    CellValue::Formula(f) => sheet.write_formula(r, c, f.as_str()).map(|_| ()),
                };
                written.expect("cell");
            }
            book.save_to_buffer().expect("xlsx")
        })
}

/// A valid import workbook of a header and 20 rows, to mutate.
fn import_xlsx() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, name) in ["unit", "indicator", "period", "value", "comment"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *name).expect("cell");
    }
    for r in 1..=20u32 {
        sheet
            .write_string(r, 0, format!("UA0502003000003{:04}", r))
            .expect("cell");
        sheet.write_string(r, 1, "population_total").expect("cell");
        sheet.write_number(r, 2, 2024).expect("cell");
        sheet.write_number(r, 3, f64::from(r) * 10.0).expect("cell");
        sheet.write_string(r, 4, "звіт").expect("cell");
    }
    book.save_to_buffer().expect("xlsx")
}

/// `base` with some bytes overwritten and perhaps cut short.
fn mutated(base: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    (
        prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..8),
        prop::option::of(any::<prop::sample::Index>()),
    )
        .prop_map(move |(changes, cut)| {
            let mut bytes = base.clone();
            for (at, byte) in changes {
                let at = at.index(bytes.len());
                bytes[at] = byte;
            }
            if let Some(cut) = cut {
                bytes.truncate(cut.index(bytes.len() + 1));
            }
            bytes
        })
}

/// A zip archive of stored (uncompressed) parts, so their XML is exactly what is given.
fn stored_zip(parts: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut directory = Vec::new();
    for (name, data) in parts {
        let mut crc = flate2::Crc::new();
        crc.update(data);
        let offset = out.len() as u32;
        let fixed = |out: &mut Vec<u8>| {
            out.extend_from_slice(&20u16.to_le_bytes()); // version needed
            out.extend_from_slice(&0u16.to_le_bytes()); // flags
            out.extend_from_slice(&0u16.to_le_bytes()); // stored
            out.extend_from_slice(&0u32.to_le_bytes()); // time and date
            out.extend_from_slice(&crc.sum().to_le_bytes());
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(&(name.len() as u16).to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes()); // extra
        };
        out.extend_from_slice(b"PK\x03\x04");
        fixed(&mut out);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        directory.extend_from_slice(b"PK\x01\x02");
        directory.extend_from_slice(&20u16.to_le_bytes()); // version made by
        fixed(&mut directory);
        directory.extend_from_slice(&[0; 6]); // comment, disk, internal attributes
        directory.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        directory.extend_from_slice(&offset.to_le_bytes());
        directory.extend_from_slice(name.as_bytes());
    }
    let start = out.len() as u32;
    out.extend_from_slice(&directory);
    out.extend_from_slice(b"PK\x05\x06\0\0\0\0");
    out.extend_from_slice(&(parts.len() as u16).to_le_bytes());
    out.extend_from_slice(&(parts.len() as u16).to_le_bytes());
    out.extend_from_slice(&(directory.len() as u32).to_le_bytes());
    out.extend_from_slice(&start.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// A workbook whose XML is written by hand, with the numbers readers trust set to lies: the
/// declared dimension, the count of shared strings, cell references and shared string indices.
fn handmade_xlsx() -> impl Strategy<Value = Vec<u8>> {
    let count = prop_oneof![
        0u64..10,
        Just(1_000_000),
        Just(100_000_000),
        Just(10_000_000_000),
        Just(u64::MAX),
    ]
    .prop_map(|n| n.to_string());
    let count = prop_oneof![
        count,
        Just("99999999999999999999999".to_string()),
        Just("-1".to_string()),
    ];
    let reference = prop_oneof![
        Just("A1".to_string()),
        Just("XFD1048576".to_string()),
        Just("BL1000000".to_string()),
        Just("A0".to_string()),
        Just("AAAAAAAAA1".to_string()),
        Just("A99999999999".to_string()),
        Just("".to_string()),
        Just("1A".to_string()),
        ("[A-Z]{1,3}", 1u32..1_048_577).prop_map(|(c, r)| format!("{c}{r}")),
    ];
    let dimension = prop_oneof![
        reference.clone(),
        (reference.clone(), reference.clone()).prop_map(|(a, b)| format!("{a}:{b}")),
    ];
    let cell = (
        prop::option::of(reference),
        prop_oneof![
            Just("s"),
            Just("n"),
            Just("str"),
            Just("b"),
            Just("e"),
            Just("inlineStr"),
            Just("d")
        ],
        prop_oneof![
            Just("0".to_string()),
            Just("1".to_string()),
            Just("4294967296".to_string()),
            Just("-1".to_string()),
            Just("1e308".to_string()),
            "\\PC{0,12}",
        ],
    );
    (
        count,
        dimension,
        prop::collection::vec(cell, 0..20),
        0usize..5,
    )
        .prop_map(|(count, dimension, cells, strings)| {
            let escape = |s: &str| {
                s.replace('&', "&amp;")
                    .replace('<', "&lt;")
                    .replace('"', "&quot;")
            };
            let mut sheet = format!(
                "<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\
                 <dimension ref=\"{}\"/><sheetData><row r=\"1\">",
                escape(&dimension)
            );
            for (r, t, v) in &cells {
                let r = r.as_ref().map(|r| format!(" r=\"{}\"", escape(r))).unwrap_or_default();
                if *t == "inlineStr" {
                    sheet.push_str(&format!("<c{r} t=\"inlineStr\"><is><t>{}</t></is></c>", escape(v)));
                } else {
                    sheet.push_str(&format!("<c{r} t=\"{t}\"><v>{}</v></c>", escape(v)));
                }
            }
            sheet.push_str("</row></sheetData></worksheet>");
            let mut sst = format!(
                "<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" \
                 count=\"{count}\" uniqueCount=\"{count}\">"
            );
            for i in 0..strings {
                sst.push_str(&format!("<si><t>s{i}</t></si>"));
            }
            sst.push_str("</sst>");
            let ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
            stored_zip(&[
                (
                    "[Content_Types].xml",
                    b"<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>".to_vec(),
                ),
                (
                    "_rels/.rels",
                    format!("<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
                             <Relationship Id=\"rId1\" Type=\"{ns}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>").into_bytes(),
                ),
                (
                    "xl/workbook.xml",
                    format!("<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"{ns}\">\
                             <sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>").into_bytes(),
                ),
                (
                    "xl/_rels/workbook.xml.rels",
                    format!("<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
                             <Relationship Id=\"rId1\" Type=\"{ns}/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>").into_bytes(),
                ),
                ("xl/sharedStrings.xml", sst.into_bytes()),
                ("xl/worksheets/sheet1.xml", sheet.into_bytes()),
            ])
        })
}

fn hostile_xlsx() -> impl Strategy<Value = Vec<u8>> {
    let base = import_xlsx();
    prop_oneof![
        written_xlsx(),
        handmade_xlsx(),
        mutated(base),
        prop::collection::vec(any::<u8>(), 0..1024).prop_map(|mut v| {
            // Random bytes behind a zip's signature get further than bare noise.
            v.splice(0..0, *b"PK\x03\x04");
            v
        }),
    ]
}

fn read_workbook(bytes: &[u8]) {
    use hromada::statistics::import::{check_xlsx, read_xlsx};
    let checked = check_xlsx(bytes);
    let indicators = indicators();
    let out = read_xlsx(bytes, &indicators, &unit_index, &mut |row| {
        assert!(row.line >= 2, "{row:?}");
        Ok(())
    })
    .expect("reading from memory cannot fail");
    outcome_is_bounded(&out);
    if let Err(refused) = checked {
        // Refused at upload, refused (the same way) by the job.
        assert_eq!(out.errors.first(), Some(&refused));
        assert_eq!(out.good, 0);
    }
}

// ---- images ---------------------------------------------------------------------------------

/// Valid 80 × 80 images in each format a photo may come in.
fn valid_images() -> Vec<(image::ImageFormat, Vec<u8>)> {
    let img = image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(80, 80, |x, y| {
        image::Rgb([(x * 3) as u8, (y * 3) as u8, ((x + y) * 2) as u8])
    }));
    [
        image::ImageFormat::Png,
        image::ImageFormat::Jpeg,
        image::ImageFormat::WebP,
    ]
    .into_iter()
    .map(|format| {
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, format).expect("encode");
        (format, out.into_inner())
    })
    .collect()
}

/// `bytes` (a valid image) declaring `width` × `height` instead, where its format keeps the
/// size. The PNG's header checksum is fixed, so the decoder believes it.
fn with_declared_size(
    format: image::ImageFormat,
    mut bytes: Vec<u8>,
    width: u32,
    height: u32,
) -> Vec<u8> {
    match format {
        image::ImageFormat::Png => {
            bytes[16..20].copy_from_slice(&width.to_be_bytes());
            bytes[20..24].copy_from_slice(&height.to_be_bytes());
            let mut crc = flate2::Crc::new();
            crc.update(&bytes[12..29]);
            bytes[29..33].copy_from_slice(&crc.sum().to_be_bytes());
        }
        image::ImageFormat::Jpeg => {
            // The frame header: FF C0..C2, length, precision, height, width.
            if let Some(at) = bytes
                .windows(2)
                .position(|w| w[0] == 0xFF && matches!(w[1], 0xC0..=0xC2))
            {
                let (w, h) = (width.min(65_535) as u16, height.min(65_535) as u16);
                bytes[at + 5..at + 7].copy_from_slice(&h.to_be_bytes());
                bytes[at + 7..at + 9].copy_from_slice(&w.to_be_bytes());
            }
        }
        _ => {
            // A lossless WebP: 14 bits each of width − 1 and height − 1 after "VP8L" and 0x2F.
            if let Some(at) = bytes.windows(4).position(|w| w == b"VP8L") {
                let (w, h) = (width.clamp(1, 16_384) - 1, height.clamp(1, 16_384) - 1);
                let at = at + 9;
                let old =
                    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
                let packed = (old & 0xF000_0000) | (h << 14) | w;
                bytes[at..at + 4].copy_from_slice(&packed.to_le_bytes());
            }
        }
    }
    bytes
}

fn hostile_image() -> impl Strategy<Value = Vec<u8>> {
    let valid = valid_images();
    // Sides at the limits (6,324² is just under 40 megapixels, 12,000 the longest side) make
    // a truncated JPEG decode in full, as a real photo of that size would: a few seconds in a
    // release build, minutes in a debug one, so only the release build tries them.
    let largest = if cfg!(debug_assertions) { 200 } else { 6_324 };
    let side = prop_oneof![
        Just(0u32),
        1u32..200,
        Just(largest),
        Just(largest + 1),
        Just(if cfg!(debug_assertions) { 20 } else { 12_000 }),
        Just(12_001),
        Just(65_535),
        Just(u32::MAX),
        any::<u32>(),
    ];
    let declared = (
        prop::sample::select(valid.clone()),
        side.clone(),
        side,
        prop::option::of(any::<prop::sample::Index>()),
    )
        .prop_map(|((format, bytes), w, h, cut)| {
            let mut bytes = with_declared_size(format, bytes, w, h);
            if let Some(cut) = cut {
                bytes.truncate(cut.index(bytes.len() + 1));
            }
            bytes
        });
    let magic = prop_oneof![
        Just(b"\x89PNG\r\n\x1a\n".to_vec()),
        Just(b"\xff\xd8\xff\xe0".to_vec()),
        Just(b"RIFF\xff\xff\xff\xffWEBPVP8 ".to_vec()),
        Just(b"RIFF\xff\xff\xff\xffWEBPVP8L".to_vec()),
        Just(b"RIFF\xff\xff\xff\xffWEBPVP8X".to_vec()),
        Just(Vec::new()),
    ];
    prop_oneof![
        declared,
        prop::sample::select(valid.into_iter().map(|(_, b)| b).collect::<Vec<_>>())
            .prop_flat_map(mutated),
        (magic, prop::collection::vec(any::<u8>(), 0..2048)).prop_map(|(mut m, rest)| {
            m.extend(rest);
            m
        }),
    ]
}

/// What fitting one photo may allocate in all: the decoder's limit (the largest image allowed as
/// 8-bit RGBA, and room for its buffers) twice over, for turning and resizing the result.
const IMAGE_BYTES: usize = 2 * (40_000_000 * 4 + 32 * 1024 * 1024);

fn fit_image(bytes: &[u8]) {
    match hromada::web::images::fit_jpeg(bytes, 600) {
        Ok(img) => {
            assert!(img.width <= 600 && img.height <= 600);
            assert!(img.jpeg.starts_with(b"\xff\xd8"));
        }
        Err(key) => assert!(key.starts_with("photo-error-"), "{key}"),
    }
}

#[test]
fn hostile_inputs() {
    // The workbook reader's arithmetic overflows on some references (a panic in debug builds),
    // which `check_xlsx` catches and refuses: no backtrace for those (capturing one allocates
    // hundreds of megabytes and would be counted), the usual message for any other panic.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !info
            .location()
            .is_some_and(|l| l.file().contains("calamine"))
        {
            default_hook(info);
        }
    }));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    check(
        "markdown",
        1.0,
        markdown(),
        Duration::from_secs(5),
        |s| 1024 * 1024 + s.len() * 200,
        |s| markdown_is_clean(s),
    );
    check(
        "form and query bodies",
        1.0,
        form_body(),
        Duration::from_secs(5),
        |b| 256 * 1024 + b.len() * 64,
        |b| decode_form(&runtime, b),
    );
    check(
        "CSV uploads (statuses, members)",
        1.0,
        hostile_csv(),
        Duration::from_secs(5),
        |b| 256 * 1024 + b.len() * 512,
        |b| read_csv_uploads(b),
    );
    check(
        "statistics CSV import",
        1.0,
        hostile_csv(),
        Duration::from_secs(5),
        |b| 256 * 1024 + b.len() * 512,
        |b| read_statistics_csv(b),
    );
    // The checks refuse lies, not workbooks: a real one passes and all its rows are read.
    let honest = import_xlsx();
    assert_eq!(hromada::statistics::import::check_xlsx(&honest), Ok(()));
    let read = hromada::statistics::import::read_xlsx(
        &honest,
        &indicators(),
        &unit_index,
        &mut |_| Ok(()),
    )
    .expect("read");
    assert_eq!((read.good, read.bad), (20, 0), "{:?}", read.errors);
    check(
        "XLSX workbooks",
        0.25,
        hostile_xlsx(),
        Duration::from_secs(10),
        |b| 4 * 1024 * 1024 + b.len() * 64,
        |b| read_workbook(b),
    );
    check(
        "images",
        0.25,
        hostile_image(),
        Duration::from_secs(60),
        |_| IMAGE_BYTES,
        |b| fit_image(b),
    );
}
