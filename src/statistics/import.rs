//! Reading an import file of values, row by row, with every bad row reported (its line and the
//! reason, as a UI string key with the offending text). No SQL here: the caller gives the
//! catalogue of indicators and a test for unit codes, and receives good rows as they come, so
//! a file of a million rows is never held whole.
//!
//! Columns (a header row names them, in any order; comma or semicolon separated, UTF-8 with or
//! without a byte-order mark): `unit`, `indicator`, `period`, `value`, and optionally
//! `comment`. `unit_code` and `indicator_code` are accepted as names too.

use std::collections::HashMap;
use std::collections::hash_map;

use rustc_hash::FxHashMap;

use super::{Entry, Period, Periodicity, ValueType, check_range, parse_value};
use crate::registry::UnitCode;

mod xlsx;
pub use xlsx::{XLSX_MAX_CELLS, XLSX_MAX_COLUMNS, check_xlsx, read_xlsx};

/// What the reader needs to know of an indicator.
#[derive(Debug, Clone)]
pub struct IndicatorInfo {
    pub id: i64,
    pub value_type: ValueType,
    pub periodicity: Periodicity,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

/// A good row: the entry it gives and the file line it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub line: u64,
    pub entry: Entry,
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
        let Some((code, unit_index)) =
            UnitCode::parse(unit).and_then(|code| (self.unit_index)(unit).map(|i| (code, i)))
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
            hash_map::Entry::Occupied(first) => {
                out.refuse(line, "import-error-duplicate", &first.get().to_string());
                return None;
            }
            hash_map::Entry::Vacant(v) => {
                v.insert(line);
            }
        }
        out.good += 1;
        Some(Row {
            line,
            entry: Entry {
                unit: code,
                indicator: info.id,
                period,
                value,
                comment: comment.to_string(),
            },
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
    held: HashMap<(UnitCode, Period), Vec<Row>>,
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
        let period = row.entry.period.code();
        if self.locked.contains(&period) {
            late.withdraw(row.line, "import-error-locked", &period);
            return None;
        }
        if self.bound.contains_key(&row.entry.indicator) {
            self.held
                .entry((row.entry.unit.clone(), row.entry.period))
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
                if let Some(v) = stored.get(&(unit.as_str().to_string(), code.clone(), *id)) {
                    values.insert(name.as_str(), *v);
                }
            }
            for r in &rows {
                if let Some(name) = self.bound.get(&r.entry.indicator) {
                    values.insert(name.as_str(), r.entry.value);
                }
            }
            let broken = super::rules::broken(&self.rules, &values);
            for r in rows {
                let name = self
                    .bound
                    .get(&r.entry.indicator)
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
mod tests;
