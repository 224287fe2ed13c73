use super::xlsx::unpacked_sizes_fit;
use super::*;

fn catalogue() -> HashMap<String, IndicatorInfo> {
    let mut m = HashMap::new();
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

fn read(text: &[u8]) -> (Vec<Row>, Outcome) {
    let mut rows = Vec::new();
    let known = |c: &str| c.strip_prefix("UA05").and_then(|d| d.parse::<usize>().ok());
    let outcome = read_csv(text, &catalogue(), &known, &mut |r| {
        rows.push(r);
        Ok(())
    })
    .expect("read");
    (rows, outcome)
}

#[test]
fn good_rows_in_either_delimiter_and_with_a_bom() {
    let (rows, out) = read(
        "\u{feff}unit;indicator;period;value;comment\n\
         UA05020030000031457;population_total;2022;\"387 439\";перепис\n\
         UA05020010000053508;waste_share;2023-Q2;\"42,5 %\";\n"
            .as_bytes(),
    );
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].entry.value, 387_439.0);
    assert_eq!(rows[0].entry.comment, "перепис");
    assert_eq!(rows[1].entry.period, Period::Quarter(2023, 2));
    assert_eq!(rows[1].entry.value, 42.5);
    let (rows, out) = read(b"indicator_code,unit_code,value,period\npopulation_total,UA05020030000031457,\"1,5\",2022\n");
    assert!(rows.is_empty());
    assert_eq!(out.errors[0].key, "stat-error-integer");
}

#[test]
fn every_bad_row_is_reported_with_its_line_and_reason() {
    let text = "unit,indicator,period,value\n\
                UA99000000000000000,population_total,2022,1\n\
                UA05020030000031457,nothing,2022,1\n\
                UA05020030000031457,population_total,2022-Q1,1\n\
                UA05020030000031457,population_total,22,1\n\
                UA05020030000031457,population_total,2022,-5\n\
                UA05020030000031457,population_total,2022,\n\
                UA05020030000031457,waste_share,2022-Q1,120\n\
                \n\
                UA05020030000031457,population_total,2021,100\n\
                UA05020030000031457,population_total,2021,101\n";
    let (rows, out) = read(text.as_bytes());
    let got: Vec<(u64, &str)> = out.errors.iter().map(|e| (e.line, e.key)).collect();
    assert_eq!(
        got,
        vec![
            (2, "import-error-unit"),
            (3, "import-error-indicator"),
            (4, "stat-error-periodicity"),
            (5, "stat-error-period"),
            (6, "stat-error-below"),
            (7, "stat-error-empty"),
            (8, "stat-error-above"),
            (11, "import-error-duplicate"),
        ]
    );
    assert_eq!(out.errors[7].found, "10");
    assert_eq!(rows.len(), 1);
    assert_eq!((out.rows, out.good, out.bad), (9, 1, 8));
}

#[test]
fn a_file_that_is_not_such_a_csv_is_one_clear_error() {
    let (_, out) = read(b"name,email\nx,y\n");
    assert_eq!(out.errors[0].key, "import-error-header");
    let (_, out) = read(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR");
    assert_eq!(out.errors[0].key, "import-error-encoding");
    let (_, out) = read(b"");
    assert_eq!(out.errors[0].key, "import-error-header");
}

fn workbook(rows: &[&[Cell]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match cell {
                Cell::T(t) => sheet.write_string(r, c, *t).map(|_| ()),
                Cell::N(n) => sheet.write_number(r, c, *n).map(|_| ()),
            }
            .expect("cell");
        }
    }
    book.save_to_buffer().expect("xlsx")
}

enum Cell {
    T(&'static str),
    N(f64),
}

#[test]
fn a_workbook_reads_like_a_csv() {
    use Cell::{N, T};
    let bytes = workbook(&[
        &[
            T("Unit"),
            T("Indicator"),
            T("Period"),
            T("Value"),
            T("Comment"),
        ],
        &[
            T("UA05020030000031457"),
            T("population_total"),
            N(2022.0),
            N(387_439.0),
            T("перепис"),
        ],
        &[
            T("UA05020010000053508"),
            T("waste_share"),
            T("2023-Q2"),
            T("42,5 %"),
        ],
        &[
            T("UA05020010000053508"),
            T("population_total"),
            N(2022.0),
            N(12.5),
        ],
        &[
            T("UA99000000000000000"),
            T("population_total"),
            N(2022.0),
            N(1.0),
        ],
    ]);
    let mut rows = Vec::new();
    let known = |c: &str| c.strip_prefix("UA05").and_then(|d| d.parse::<usize>().ok());
    let out = read_xlsx(&bytes, &catalogue(), &known, &mut |r| {
        rows.push(r);
        Ok(())
    })
    .expect("read");
    assert_eq!(rows.len(), 2, "{:?}", out.errors);
    assert_eq!(
        (rows[0].line, rows[0].entry.value, rows[0].entry.period),
        (2, 387_439.0, Period::Year(2022))
    );
    assert_eq!(rows[1].entry.value, 42.5);
    let got: Vec<(u64, &str)> = out.errors.iter().map(|e| (e.line, e.key)).collect();
    assert_eq!(
        got,
        vec![(4, "stat-error-integer"), (5, "import-error-unit")]
    );
    let broken = read_xlsx(b"PK\x03\x04 not a zip", &catalogue(), &known, &mut |_| {
        Ok(())
    })
    .expect("read");
    assert_eq!(broken.errors[0].key, "import-error-xlsx");
}

#[test]
fn arbitrary_bytes_never_panic() {
    // A small deterministic fuzz: random bytes after a valid header, and random headers.
    let mut seed = 0x2545_f491_u64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let alphabet = b"UA0512,;\"\n\r -%.Q q\xd0\xb0\xff0123456789populatin_tl";
    for round in 0..2_000 {
        let len = (next() % 300) as usize;
        let mut text = if round % 2 == 0 {
            b"unit,indicator,period,value,comment\n".to_vec()
        } else {
            Vec::new()
        };
        text.extend((0..len).map(|_| alphabet[(next() % alphabet.len() as u64) as usize]));
        let (rows, out) = read(&text);
        assert!(rows.len() as u64 == out.good && out.good + out.bad <= out.rows + 1);
        // The same bytes as a workbook (after a zip signature) are one clear error.
        let mut zip = b"PK\x03\x04".to_vec();
        zip.extend_from_slice(&text);
        let known = |c: &str| Some(c.len());
        let out = read_xlsx(&zip, &catalogue(), &known, &mut |_| Ok(())).expect("read");
        assert_eq!(out.good, 0);
    }
}

#[test]
fn arbitrary_workbooks_never_panic() {
    // Valid workbooks with random cells (text and numbers), then the same files with
    // random bytes changed: each reads to rows and reasons, or to one clear error.
    let mut seed = 0x9e37_79b9_u64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let words = [
        "unit",
        "indicator",
        "period",
        "value",
        "comment",
        "UA05020030000031457",
        "population_total",
        "2022",
        "2022-Q3",
        "1 234,5",
        "так",
        "",
        "-",
        "1e9",
        "UA",
    ];
    let known = |c: &str| c.strip_prefix("UA05").and_then(|d| d.parse::<usize>().ok());
    for round in 0..150 {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        let rows = (next() % 12) as u32;
        for r in 0..rows {
            for c in 0..(next() % 7) as u16 {
                let pick = next();
                let written = if pick % 3 == 0 {
                    sheet
                        .write_number(r, c, (pick % 100_000) as f64 / 7.0)
                        .map(|_| ())
                } else {
                    let w = words[(pick % words.len() as u64) as usize];
                    sheet.write_string(r, c, w).map(|_| ())
                };
                written.expect("cell");
            }
        }
        let mut bytes = book.save_to_buffer().expect("workbook");
        let read = |b: &[u8]| {
            let mut good = 0;
            let out = read_xlsx(b, &catalogue(), &known, &mut |_| {
                good += 1;
                Ok(())
            })
            .expect("read");
            assert_eq!(out.good, good);
        };
        read(&bytes);
        for _ in 0..(1 + round % 8) {
            let at = (next() % bytes.len() as u64) as usize;
            bytes[at] = (next() % 256) as u8;
        }
        read(&bytes);
    }
}

/// A workbook of two cells at opposite corners of the largest sheet, as in issue 16.
fn corners() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "unit").expect("cell");
    sheet.write_string(1_048_575, 16_383, "x").expect("cell");
    book.save_to_buffer().expect("xlsx")
}

#[test]
fn a_sheet_declaring_a_vast_range_is_refused_without_reading_it() {
    let bytes = corners();
    let refusal = check_xlsx(&bytes).expect_err("too large");
    assert_eq!(
        (refusal.line, refusal.key, refusal.found.as_str()),
        (1, "import-error-xlsx-size", "1048576 × 16384")
    );
    let known = |_: &str| Some(0);
    let out = read_xlsx(&bytes, &catalogue(), &known, &mut |_| Ok(())).expect("read");
    assert_eq!((out.good, out.errors[0].key), (0, "import-error-xlsx-size"));
}

#[test]
fn a_cell_beyond_the_widest_column_is_refused() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "unit").expect("cell");
    sheet
        .write_string(3, XLSX_MAX_COLUMNS as u16, "far")
        .expect("cell");
    let bytes = book.save_to_buffer().expect("xlsx");
    assert_eq!(
        check_xlsx(&bytes).expect_err("too wide").key,
        "import-error-xlsx-size"
    );
    let mut narrow = rust_xlsxwriter::Workbook::new();
    narrow
        .add_worksheet()
        .write_string(3, XLSX_MAX_COLUMNS as u16 - 1, "near")
        .expect("cell");
    assert!(check_xlsx(&narrow.save_to_buffer().expect("xlsx")).is_ok());
}

#[test]
fn rows_after_blank_rows_keep_their_sheet_line() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["unit", "indicator", "period", "value"].iter().enumerate() {
        sheet.write_string(2, c as u16, *h).expect("cell");
    }
    sheet
        .write_string(9, 0, "UA05020030000031457")
        .expect("cell");
    sheet.write_string(9, 1, "population_total").expect("cell");
    sheet.write_number(9, 2, 2022.0).expect("cell");
    sheet.write_number(9, 3, 5.0).expect("cell");
    let bytes = book.save_to_buffer().expect("xlsx");
    let known = |c: &str| c.strip_prefix("UA05").and_then(|d| d.parse::<usize>().ok());
    let mut rows = Vec::new();
    let out = read_xlsx(&bytes, &catalogue(), &known, &mut |r| {
        rows.push(r);
        Ok(())
    })
    .expect("read");
    assert_eq!((rows.len(), out.bad), (1, 0), "{:?}", out.errors);
    assert_eq!(rows[0].line, 10);
}

#[test]
fn a_workbook_that_unpacks_to_too_much_is_refused_from_its_directory() {
    let good = workbook(&[&[Cell::T("unit")]]);
    assert!(unpacked_sizes_fit(&good));
    // A shared-strings part declaring 300 MB: the sizes are read from the directory.
    let mut zip = rust_xlsxwriter::Workbook::new();
    zip.add_worksheet();
    let mut bytes = zip.save_to_buffer().expect("xlsx");
    let name = b"xl/styles.xml";
    let at = bytes
        .windows(4)
        .enumerate()
        .filter(|(_, w)| *w == b"PK\x01\x02")
        .map(|(i, _)| i)
        .find(|&i| bytes[i + 46..].starts_with(name))
        .expect("styles in the directory");
    bytes[at + 24..at + 28].copy_from_slice(&300_000_000u32.to_le_bytes());
    assert!(!unpacked_sizes_fit(&bytes));
    assert_eq!(
        check_xlsx(&bytes).expect_err("too much").key,
        "import-error-xlsx-unpacked"
    );
}
