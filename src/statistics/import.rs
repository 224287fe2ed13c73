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

use rustc_hash::FxHashMap;

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
    /// Takes back a row counted good, as bad (a rule or a lock found it out later).
    pub fn withdraw(&mut self, line: u64, key: &'static str, found: &str) {
        self.good = self.good.saturating_sub(1);
        self.refuse(line, key, found);
    }

    /// Adds what was found after the reading: its refusals, in line order.
    pub fn merge(&mut self, later: Outcome) {
        self.good = self.good.saturating_sub(later.bad);
        self.bad += later.bad;
        self.errors.extend(later.errors);
        self.errors.sort_by_key(|e| e.line);
        self.errors.truncate(MAX_ERRORS);
    }

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
    unit_index: &dyn Fn(&str) -> Option<usize>,
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
    let Some(columns) = Columns::find(&names) else {
        out.refuse(1, "import-error-header", header_text.trim());
        return Ok(out);
    };
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
    let mut checker = Checker {
        indicators,
        unit_index,
        seen: FxHashMap::default(),
        out,
    };
    let mut record = csv::StringRecord::new();
    let mut line = 1;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                line = e.position().map_or(line + 1, |p| lines.line_of(p.byte()));
                checker.out.rows += 1;
                let key = match e.kind() {
                    csv::ErrorKind::Utf8 { .. } => "import-error-encoding",
                    _ => "import-error-row",
                };
                checker.out.refuse(line, key, "");
                continue;
            }
        }
        line = match record.position() {
            Some(p) => lines.line_of(p.byte()),
            None => line + 1,
        };
        if let Some(row) = checker.check(line, &columns, &|i| record.get(i).unwrap_or("")) {
            good(row)?;
        }
    }
    Ok(checker.out)
}

/// Reads the first sheet of an XLSX workbook: a header row naming the same columns as a CSV,
/// then one value per row. Numbers are taken as the cell holds them (a percent is a number
/// from 0 to 100, not Excel's percent format); text cells are read as in a CSV.
pub fn read_xlsx(
    bytes: &[u8],
    indicators: &HashMap<String, IndicatorInfo>,
    unit_index: &dyn Fn(&str) -> Option<usize>,
    good: &mut dyn FnMut(Row) -> anyhow::Result<()>,
) -> anyhow::Result<Outcome> {
    use calamine::Reader;
    let mut out = Outcome::default();
    let sheet = calamine::Xlsx::new(std::io::Cursor::new(bytes))
        .ok()
        .and_then(|mut book| book.worksheet_range_at(0).and_then(Result::ok));
    let Some(sheet) = sheet else {
        out.refuse(1, "import-error-xlsx", "");
        return Ok(out);
    };
    let mut rows = sheet.rows();
    let header: Vec<String> = rows
        .next()
        .map(|r| {
            r.iter()
                .map(|c| cell_text(c).trim().to_lowercase())
                .collect()
        })
        .unwrap_or_default();
    let Some(columns) = Columns::find(&header) else {
        out.refuse(1, "import-error-header", &header.join(", "));
        return Ok(out);
    };
    let mut checker = Checker {
        indicators,
        unit_index,
        seen: FxHashMap::default(),
        out,
    };
    let first = sheet.start().map_or(1, |(row, _)| u64::from(row) + 1);
    for (i, r) in rows.enumerate() {
        let texts: Vec<String> = r.iter().map(cell_text).collect();
        let line = first + 1 + i as u64;
        if let Some(row) =
            checker.check(line, &columns, &|k| texts.get(k).map_or("", String::as_str))
        {
            good(row)?;
        }
    }
    Ok(checker.out)
}

/// A cell as the text a person would have typed.
fn cell_text(cell: &calamine::Data) -> String {
    use calamine::Data;
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "1" } else { "0" }.to_string(),
        other => other.to_string(),
    }
}

/// Where the columns are, by position.
struct Columns {
    unit: usize,
    indicator: usize,
    period: usize,
    value: usize,
    comment: Option<usize>,
}

impl Columns {
    fn find(names: &[String]) -> Option<Columns> {
        let at = |wanted: &[&str]| names.iter().position(|n| wanted.contains(&n.as_str()));
        Some(Columns {
            unit: at(&["unit", "unit_code"])?,
            indicator: at(&["indicator", "indicator_code"])?,
            period: at(&["period"])?,
            value: at(&["value"])?,
            comment: at(&["comment"]),
        })
    }
}

/// The checks every row gets, whatever the file type.
struct Checker<'a> {
    indicators: &'a HashMap<String, IndicatorInfo>,
    /// A unit's index in the registry, if the code is a unit's.
    unit_index: &'a dyn Fn(&str) -> Option<usize>,
    /// Where each (unit index, indicator, period) was first seen, to report duplicates: small
    /// keys and a fast hash, since a large file makes a million of them.
    seen: FxHashMap<(usize, i64, Period), u64>,
    out: Outcome,
}

impl Checker<'_> {
    /// The row, if good; a bad one is reported. Blank rows are skipped.
    fn check<'r>(
        &mut self,
        line: u64,
        columns: &Columns,
        get: &dyn Fn(usize) -> &'r str,
    ) -> Option<Row> {
        let field = |i: usize| get(i).trim();
        let used = [
            columns.unit,
            columns.indicator,
            columns.period,
            columns.value,
        ];
        if used
            .iter()
            .chain(columns.comment.iter())
            .all(|&i| field(i).is_empty())
        {
            return None;
        }
        let out = &mut self.out;
        out.rows += 1;
        let unit = field(columns.unit);
        let Some(unit_index) = (!unit.is_empty())
            .then(|| (self.unit_index)(unit))
            .flatten()
        else {
            out.refuse(line, "import-error-unit", unit);
            return None;
        };
        let Some(info) = self.indicators.get(field(columns.indicator)) else {
            out.refuse(line, "import-error-indicator", field(columns.indicator));
            return None;
        };
        let period = match Period::parse(field(columns.period)) {
            Ok(p) if p.periodicity() == info.periodicity => p,
            Ok(_) => {
                out.refuse(line, "stat-error-periodicity", field(columns.period));
                return None;
            }
            Err(key) => {
                out.refuse(line, key, field(columns.period));
                return None;
            }
        };
        let value = match parse_value(field(columns.value), info.value_type)
            .and_then(|v| check_range(v, info.min, info.max).map(|()| v))
        {
            Ok(v) => v,
            Err(key) => {
                out.refuse(line, key, field(columns.value));
                return None;
            }
        };
        let comment = columns.comment.map(field).unwrap_or("");
        if comment.chars().count() > COMMENT_MAX {
            out.refuse(line, "import-error-comment", "");
            return None;
        }
        match self.seen.entry((unit_index, info.id, period)) {
            Entry::Occupied(first) => {
                out.refuse(line, "import-error-duplicate", &first.get().to_string());
                return None;
            }
            Entry::Vacant(v) => {
                v.insert(line);
            }
        }
        out.good += 1;
        Some(Row {
            line,
            unit: unit.to_string(),
            indicator: info.id,
            period,
            value,
            comment: comment.to_string(),
        })
    }
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

/// What an import checks beyond single rows: locked periods, and the rules between the
/// indicators of one unit and period. Rows of indicators that rules name are held back until
/// the whole file is read, then checked together (with the values on record for the parts the
/// file lacks); the other rows pass at once, so a file's size still does not decide memory
/// unless it is all rule-bound figures.
pub struct Gate {
    rules: Vec<super::rules::Rule>,
    /// Indicator id → code, for the indicators some rule names.
    bound: HashMap<i64, String>,
    locked: std::collections::HashSet<String>,
    held: HashMap<(String, Period), Vec<Row>>,
}

impl Gate {
    pub fn new(
        rules: Vec<super::rules::Rule>,
        indicators: &HashMap<String, IndicatorInfo>,
        locked: std::collections::HashSet<String>,
    ) -> Gate {
        let bound = indicators
            .iter()
            .filter(|(code, _)| rules.iter().any(|r| r.codes().any(|c| c == code.as_str())))
            .map(|(code, info)| (info.id, code.clone()))
            .collect();
        Gate {
            rules,
            bound,
            locked,
            held: HashMap::new(),
        }
    }

    /// The row to pass on now; None when it is held back or refused (into `late`).
    pub fn admit(&mut self, row: Row, late: &mut Outcome) -> Option<Row> {
        let period = row.period.code();
        if self.locked.contains(&period) {
            late.withdraw(row.line, "import-error-locked", &period);
            return None;
        }
        if self.bound.contains_key(&row.indicator) {
            self.held
                .entry((row.unit.clone(), row.period))
                .or_default()
                .push(row);
            return None;
        }
        Some(row)
    }

    /// The periods and indicators of the held rows, to look up the values on record.
    pub fn wanted(&self) -> (Vec<String>, Vec<i64>) {
        let mut periods: Vec<String> = self.held.keys().map(|(_, p)| p.code()).collect();
        periods.sort();
        periods.dedup();
        (periods, self.bound.keys().copied().collect())
    }

    /// Checks the held rows: a group (unit and period) that breaks a rule loses the rows of
    /// that rule's indicators, each refused with the rule named. `stored` holds the values on
    /// record by (unit, period code, indicator id). Returns the rows that passed.
    pub fn finish(
        self,
        stored: &HashMap<(String, String, i64), f64>,
        late: &mut Outcome,
    ) -> Vec<Row> {
        let mut pass = Vec::new();
        for ((unit, period), rows) in self.held {
            let code = period.code();
            let mut values: HashMap<&str, f64> = HashMap::new();
            for (id, name) in &self.bound {
                if let Some(v) = stored.get(&(unit.clone(), code.clone(), *id)) {
                    values.insert(name.as_str(), *v);
                }
            }
            for r in &rows {
                if let Some(name) = self.bound.get(&r.indicator) {
                    values.insert(name.as_str(), r.value);
                }
            }
            let broken = super::rules::broken(&self.rules, &values);
            for r in rows {
                let name = self
                    .bound
                    .get(&r.indicator)
                    .map(String::as_str)
                    .unwrap_or("");
                match broken.iter().find(|rule| rule.codes().any(|c| c == name)) {
                    Some(rule) => late.withdraw(r.line, "import-error-rule", &rule.code),
                    None => pass.push(r),
                }
            }
        }
        pass.sort_by_key(|r| r.line);
        pass
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
            (rows[0].line, rows[0].value, rows[0].period),
            (2, 387_439.0, Period::Year(2022))
        );
        assert_eq!(rows[1].value, 42.5);
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
}
