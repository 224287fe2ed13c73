//! Reading an import file of values, row by row, with every bad row reported (its line and the
//! reason, as a UI string key with the offending text). No SQL here: the caller gives the
//! catalogue of indicators and a test for unit codes, and receives good rows as they come, so
//! a file of a million rows is never held whole.
//!
//! Columns (a header row names them, in any order; comma or semicolon separated, UTF-8 with or
//! without a byte-order mark): `unit`, `indicator`, `period`, `value`, and optionally
//! `comment`. `unit_code` and `indicator_code` are accepted as names too.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use super::{Period, Periodicity, ValueType, check_range, parse_value};

/// What the reader needs to know of an indicator.
#[derive(Debug, Clone)]
pub struct IndicatorInfo {
    pub id: i64,
    pub value_type: ValueType,
    pub periodicity: Periodicity,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

/// A good row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub line: u64,
    pub unit: String,
    pub indicator: i64,
    pub period: Period,
    pub value: f64,
    pub comment: String,
}

/// A bad row (or a bad file, at line 1).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RowError {
    pub line: u64,
    /// The UI string key of the reason.
    pub key: &'static str,
    /// The text that was refused, as found.
    pub found: String,
}

/// Errors kept in full; beyond this only their number is counted.
pub const MAX_ERRORS: usize = 10_000;

/// What a read found besides the good rows.
#[derive(Debug, Default)]
pub struct Outcome {
    pub rows: u64,
    pub good: u64,
    pub errors: Vec<RowError>,
    /// Every bad row, including those beyond [`MAX_ERRORS`].
    pub bad: u64,
}

impl Outcome {
    fn refuse(&mut self, line: u64, key: &'static str, found: &str) {
        self.bad += 1;
        if self.errors.len() < MAX_ERRORS {
            self.errors.push(RowError {
                line,
                key,
                found: found.chars().take(200).collect(),
            });
        }
    }
}

const COMMENT_MAX: usize = 2_000;

/// Reads the file, giving each good row to `good` and collecting the bad ones. A file that is
/// not a CSV of the expected columns is one error at line 1 and no rows.
pub fn read_csv<R: std::io::Read>(
    input: R,
    indicators: &HashMap<String, IndicatorInfo>,
    unit_exists: &dyn Fn(&str) -> bool,
    good: &mut dyn FnMut(Row) -> anyhow::Result<()>,
) -> anyhow::Result<Outcome> {
    let mut out = Outcome::default();
    let mut input = std::io::BufReader::new(input);
    // The header decides the delimiter: a semicolon when it has more of them than commas.
    let mut header = Vec::new();
    std::io::BufRead::read_until(&mut input, b'\n', &mut header)?;
    let header_text = match std::str::from_utf8(&header) {
        Ok(t) => t.trim_start_matches('\u{feff}').to_string(),
        Err(_) => {
            out.refuse(1, "import-error-encoding", "");
            return Ok(out);
        }
    };
    let delimiter = if header_text.matches(';').count() > header_text.matches(',').count() {
        b';'
    } else {
        b','
    };
    let names: Vec<String> = header_text
        .trim_end_matches(['\r', '\n'])
        .split(delimiter as char)
        .map(|h| h.trim().trim_matches('"').to_lowercase())
        .collect();
    let at = |wanted: &[&str]| names.iter().position(|n| wanted.contains(&n.as_str()));
    let (Some(unit_at), Some(indicator_at), Some(period_at), Some(value_at)) = (
        at(&["unit", "unit_code"]),
        at(&["indicator", "indicator_code"]),
        at(&["period"]),
        at(&["value"]),
    ) else {
        out.refuse(1, "import-error-header", header_text.trim());
        return Ok(out);
    };
    let comment_at = at(&["comment"]);
    let lines = Lines::default();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(LineCounter {
            inner: input,
            lines: lines.clone(),
            offset: 0,
            at_line_start: true,
            has_content: false,
        });
    // Where each (unit, indicator, period) was first seen, to report duplicates.
    let mut seen: HashMap<(String, i64, Period), u64> = HashMap::new();
    let mut record = csv::StringRecord::new();
    let mut line = 1;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                line = e.position().map_or(line + 1, |p| lines.line_of(p.byte()));
                out.rows += 1;
                let key = match e.kind() {
                    csv::ErrorKind::Utf8 { .. } => "import-error-encoding",
                    _ => "import-error-row",
                };
                out.refuse(line, key, "");
                continue;
            }
        }
        line = match record.position() {
            Some(p) => lines.line_of(p.byte()),
            None => line + 1,
        };
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        out.rows += 1;
        let field = |i: usize| record.get(i).unwrap_or("").trim();
        let unit = field(unit_at);
        if unit.is_empty() || !unit_exists(unit) {
            out.refuse(line, "import-error-unit", unit);
            continue;
        }
        let Some(info) = indicators.get(field(indicator_at)) else {
            out.refuse(line, "import-error-indicator", field(indicator_at));
            continue;
        };
        let period = match Period::parse(field(period_at)) {
            Ok(p) if p.periodicity() == info.periodicity => p,
            Ok(_) => {
                out.refuse(line, "stat-error-periodicity", field(period_at));
                continue;
            }
            Err(key) => {
                out.refuse(line, key, field(period_at));
                continue;
            }
        };
        let value = match parse_value(field(value_at), info.value_type)
            .and_then(|v| check_range(v, info.min, info.max).map(|()| v))
        {
            Ok(v) => v,
            Err(key) => {
                out.refuse(line, key, field(value_at));
                continue;
            }
        };
        let comment = comment_at.map(field).unwrap_or("");
        if comment.chars().count() > COMMENT_MAX {
            out.refuse(line, "import-error-comment", "");
            continue;
        }
        match seen.entry((unit.to_string(), info.id, period)) {
            Entry::Occupied(first) => {
                out.refuse(line, "import-error-duplicate", &first.get().to_string());
                continue;
            }
            Entry::Vacant(v) => {
                v.insert(line);
            }
        }
        out.good += 1;
        good(Row {
            line,
            unit: unit.to_string(),
            indicator: info.id,
            period,
            value,
            comment: comment.to_string(),
        })?;
    }
    Ok(out)
}

/// Where the file's non-blank lines start, as the CSV reader takes bytes in, so a record's
/// line is known exactly (the CSV reader skips blank lines and reports a record that follows
/// them at the first blank one). Lines the reader has passed are dropped as it goes.
#[derive(Clone, Default)]
struct Lines(std::rc::Rc<std::cell::RefCell<LineStarts>>);

#[derive(Default)]
struct LineStarts {
    /// (byte offset after the header, file line) of each non-blank line not yet passed.
    starts: std::collections::VecDeque<(u64, u64)>,
    /// File lines counted so far (the header is line 1).
    counted: u64,
}

impl Lines {
    /// The file line of the first non-blank line starting at or after `byte`.
    fn line_of(&self, byte: u64) -> u64 {
        let mut l = self.0.borrow_mut();
        while l.starts.len() > 1 && l.starts[0].0 < byte {
            l.starts.pop_front();
        }
        match l.starts.front() {
            Some(&(start, line)) if start >= byte => line,
            _ => l.counted + 1,
        }
    }
}

struct LineCounter<R> {
    inner: R,
    lines: Lines,
    offset: u64,
    at_line_start: bool,
    /// Whether the current line has had a byte other than a line ending.
    has_content: bool,
}

impl<R: std::io::Read> std::io::Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut l = self.lines.0.borrow_mut();
        for &b in &buf[..n] {
            if self.at_line_start {
                l.counted += 1;
                self.at_line_start = false;
                self.has_content = false;
            }
            if b == b'\n' {
                self.at_line_start = true;
            } else if b != b'\r' && !self.has_content {
                self.has_content = true;
                let line = l.counted + 1;
                l.starts.push_back((self.offset, line));
            }
            self.offset += 1;
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
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
        let known = |c: &str| c.starts_with("UA05");
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
        assert_eq!(rows[0].value, 387_439.0);
        assert_eq!(rows[0].comment, "перепис");
        assert_eq!(rows[1].period, Period::Quarter(2023, 2));
        assert_eq!(rows[1].value, 42.5);
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
        }
    }
}
