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

/// The widest sheet read: an import has five columns, and a header may carry some more that
/// are ignored. Cells beyond this column (`BL`) mean the sheet is not an import table.
pub const XLSX_MAX_COLUMNS: u32 = 64;
/// The most cells a sheet may declare or hold: a million rows of ten columns, more than the
/// upload limit can carry as real values.
pub const XLSX_MAX_CELLS: u64 = 10_000_000;

/// Checks an XLSX workbook's first sheet before anything of it is read: its declared
/// dimensions, then every cell's position and their number, read as a stream (memory does
/// not grow with the sheet's dimensions, declared or real). Errs with the refusal to report
/// at line 1: a file that cannot be read, or a sheet too large.
///
/// A workbook that makes the reader panic is unreadable too: calamine computes cell references
/// such as `A99999999999` or `B2:A1` with unchecked arithmetic, which panics where overflow
/// checks are on (debug builds). [`read_xlsx`] goes through the same steps on the same bytes
/// only after this check has passed them.
pub fn check_xlsx(bytes: &[u8]) -> Result<(), RowError> {
    std::panic::catch_unwind(|| check_xlsx_unguarded(bytes)).unwrap_or_else(|_| {
        Err(RowError {
            line: 1,
            key: "import-error-xlsx",
            found: String::new(),
        })
    })
}

fn check_xlsx_unguarded(bytes: &[u8]) -> Result<(), RowError> {
    use calamine::Reader;
    let refuse = |key: &'static str, found: String| RowError {
        line: 1,
        key,
        found,
    };
    let unreadable = || refuse("import-error-xlsx", String::new());
    if !unpacked_sizes_fit(bytes) {
        return Err(refuse("import-error-xlsx-unpacked", String::new()));
    }
    if !string_counts_fit(bytes) {
        return Err(unreadable());
    }
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).map_err(|_| unreadable())?;
    let name = book
        .sheet_names()
        .into_iter()
        .next()
        .ok_or_else(unreadable)?;
    let mut cells = book
        .worksheet_cells_reader(&name)
        .map_err(|_| unreadable())?;
    let too_large =
        |rows: u64, columns: u64| refuse("import-error-xlsx-size", format!("{rows} × {columns}"));
    let declared = cells.dimensions();
    let (rows, columns) = (
        u64::from(declared.end.0.saturating_sub(declared.start.0)) + 1,
        u64::from(declared.end.1) + 1,
    );
    if declared.end.1 >= XLSX_MAX_COLUMNS || rows.saturating_mul(columns) > XLSX_MAX_CELLS {
        return Err(too_large(rows, columns));
    }
    let mut count: u64 = 0;
    let mut last_row = 0;
    loop {
        match cells.next_cell() {
            Ok(Some(cell)) => {
                let (row, column) = cell.get_position();
                count += 1;
                last_row = last_row.max(row);
                if column >= XLSX_MAX_COLUMNS || count > XLSX_MAX_CELLS {
                    return Err(too_large(
                        u64::from(last_row) + 1,
                        u64::from(column.max(XLSX_MAX_COLUMNS - 1)) + 1,
                    ));
                }
            }
            Ok(None) => return Ok(()),
            Err(_) => return Err(unreadable()),
        }
    }
}

/// The most a workbook may unpack to, all parts together: the sheet is read as a stream, but
/// reading a part takes time in proportion to its size (a 100 MB upload of one repeated byte
/// unpacks to a hundred gigabytes).
const XLSX_MAX_UNPACKED: u64 = 1024 * 1024 * 1024;
/// The most a part other than a worksheet may unpack to: those (the shared strings, styles)
/// are held in memory whole.
const XLSX_MAX_HELD_PART: u64 = 256 * 1024 * 1024;

/// Whether the parts of a zip archive declare sizes within the limits above. The zip reader
/// stops a part at its declared size, so the declaration is a bound, not a hint. An archive
/// whose directory cannot be read (or needs ZIP64, which no workbook within the upload limit
/// does) does not fit; a file that is no zip at all is left to the workbook reader's error.
fn unpacked_sizes_fit(bytes: &[u8]) -> bool {
    let u16_at = |at: usize| -> Option<u64> {
        let b = bytes.get(at..at + 2)?;
        Some(u64::from(u16::from_le_bytes([b[0], b[1]])))
    };
    let u32_at = |at: usize| -> Option<u64> {
        let b = bytes.get(at..at + 4)?;
        Some(u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])))
    };
    // The end-of-directory record is in the last 22 + 65,535 (comment) bytes.
    let tail = bytes.len().saturating_sub(22 + 65_535);
    let Some(end) = (tail..bytes.len().saturating_sub(21))
        .rev()
        .find(|&i| bytes[i..].starts_with(b"PK\x05\x06"))
    else {
        return true;
    };
    let (Some(entries), Some(start)) = (u16_at(end + 10), u32_at(end + 16)) else {
        return false;
    };
    if entries == 0xFFFF || start == 0xFFFF_FFFF {
        return false;
    }
    let (mut at, mut total) = (usize::try_from(start).unwrap_or(usize::MAX), 0u64);
    for _ in 0..entries {
        if !bytes
            .get(at..)
            .is_some_and(|b| b.starts_with(b"PK\x01\x02"))
        {
            return false;
        }
        let sizes = (
            u32_at(at + 24),
            u16_at(at + 28),
            u16_at(at + 30),
            u16_at(at + 32),
        );
        let (Some(size), Some(name_len), Some(extra), Some(comment)) = sizes else {
            return false;
        };
        let name_len = usize::try_from(name_len).unwrap_or(usize::MAX);
        let name = bytes.get(at + 46..at + 46 + name_len).unwrap_or_default();
        let streamed = name.starts_with(b"xl/worksheets/");
        if size == 0xFFFF_FFFF || (!streamed && size > XLSX_MAX_HELD_PART) {
            return false;
        }
        total += size;
        if total > XLSX_MAX_UNPACKED {
            return false;
        }
        at += 46 + name_len + usize::try_from(extra + comment).unwrap_or(usize::MAX);
    }
    true
}

/// Whether every shared strings part of a workbook declares no more strings than it holds.
/// The workbook reader reserves room for a part's declared `uniqueCount` before it reads a
/// single string (24 bytes each), so a 1 KB workbook declaring ten billion strings asks for
/// 240 GB, and a failed allocation aborts the whole process. A string takes at least five bytes
/// (`<si/>`), so an honest count is at most a fifth of the part's unpacked length.
///
/// Every local header in the file is looked at, not only those the central directory lists,
/// so the check does not depend on which directory the zip reader settles on; only parts named
/// as shared strings (in any case, with either slash), or with a Unicode path field that could
/// name them so, are unpacked, each up to [`XLSX_MAX_HELD_PART`].
fn string_counts_fit(bytes: &[u8]) -> bool {
    let u16_at = |at: usize| -> Option<usize> {
        let b = bytes.get(at..at + 2)?;
        Some(usize::from(u16::from_le_bytes([b[0], b[1]])))
    };
    let (mut from, mut unpacked) = (0, 0);
    while let Some(found) = bytes
        .get(from..)
        .and_then(|rest| rest.windows(4).position(|w| w == b"PK\x03\x04"))
    {
        let header = from + found;
        from = header + 4;
        let fields = (u16_at(header + 8), u16_at(header + 26), u16_at(header + 28));
        let (Some(method), Some(name_len), Some(extra_len)) = fields else {
            continue;
        };
        let name_at = header + 30;
        let name = bytes.get(name_at..name_at + name_len).unwrap_or_default();
        let name = String::from_utf8_lossy(name)
            .replace('\\', "/")
            .to_ascii_lowercase();
        let extra = bytes
            .get(name_at + name_len..name_at + name_len + extra_len)
            .unwrap_or_default();
        if !name.ends_with("sharedstrings.xml") && !has_unicode_path(extra) {
            continue;
        }
        let data = bytes
            .get(name_at + name_len + extra_len..)
            .unwrap_or_default();
        // A stored part is as long as its header says, unless its sizes come after it (flag 3).
        let stored = match (u16_at(header + 6), bytes.get(header + 18..header + 22)) {
            (Some(flags), Some(size)) if flags & 8 == 0 => {
                let size = u32::from_le_bytes([size[0], size[1], size[2], size[3]]);
                data.get(..usize::try_from(size).unwrap_or(usize::MAX))
                    .unwrap_or(data)
            }
            _ => data,
        };
        let mut scan = CountScan::default();
        let read = match method {
            0 => scan.read(stored),
            8 => scan.read(flate2::read::DeflateDecoder::new(data)),
            // The zip reader unpacks no other method, so such a part is never read.
            _ => continue,
        };
        // Parts named alike could make this unpack much more than the workbook reader would:
        // all together stay within what a workbook may unpack to.
        unpacked += scan.length;
        if read.is_none() || scan.most > scan.length / 5 + 1 || unpacked > XLSX_MAX_UNPACKED {
            return false;
        }
    }
    true
}

/// Whether the extra fields of a zip header hold an Info-ZIP Unicode path (0x7075), which
/// replaces the header's name.
fn has_unicode_path(mut extra: &[u8]) -> bool {
    while extra.len() >= 4 {
        let tag = u16::from_le_bytes([extra[0], extra[1]]);
        let size = usize::from(u16::from_le_bytes([extra[2], extra[3]]));
        if tag == 0x7075 {
            return true;
        }
        extra = extra.get(4 + size..).unwrap_or_default();
    }
    false
}

/// Finds every `uniqueCount = "digits"` in a stream of bytes, as it passes, keeping the
/// largest number; anywhere in the part, so no trick of XML (a comment, a prefix, odd spacing)
/// can hide the one the workbook reader takes.
#[derive(Default)]
struct CountScan {
    /// The last 11 bytes seen (a byte each, the latest lowest), to spot the attribute's name
    /// across reads.
    recent: u128,
    state: CountState,
    value: u64,
    most: u64,
    length: u64,
}

#[derive(Default, Clone, Copy)]
enum CountState {
    #[default]
    Name,
    /// After the name, before `=`.
    Equals,
    /// After `=`, before the value.
    Value,
    /// In the value's digits (quoted or not).
    Digits,
}

impl CountScan {
    /// `uniqueCount` as [`CountScan::recent`] holds it.
    const NAME: u128 = {
        let (name, mut i, mut packed) = (b"uniqueCount", 0, 0u128);
        while i < name.len() {
            packed = (packed << 8) | name[i] as u128;
            i += 1;
        }
        packed
    };

    /// Reads `input` to its end or [`XLSX_MAX_HELD_PART`] bytes; `None` when longer (the zip
    /// reader refuses such a part anyway, see [`unpacked_sizes_fit`]). A broken stream ends
    /// the reading where it breaks, as it ends the workbook reader's.
    fn read(&mut self, input: impl std::io::Read) -> Option<()> {
        use std::io::Read;
        let mut input = input.take(XLSX_MAX_HELD_PART + 1);
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            match input.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => buf[..n].iter().for_each(|&b| self.byte(b)),
            }
        }
        self.finish();
        (self.length <= XLSX_MAX_HELD_PART).then_some(())
    }

    fn byte(&mut self, b: u8) {
        self.length += 1;
        self.recent = ((self.recent << 8) | u128::from(b)) & ((1 << 88) - 1);
        self.state = match self.state {
            _ if self.recent == Self::NAME => CountState::Equals,
            CountState::Name => CountState::Name,
            CountState::Equals if b.is_ascii_whitespace() => CountState::Equals,
            CountState::Equals if b == b'=' => CountState::Value,
            CountState::Value if b.is_ascii_whitespace() || b == b'"' || b == b'\'' => {
                CountState::Value
            }
            CountState::Value | CountState::Digits if b.is_ascii_digit() => {
                self.value = self
                    .value
                    .saturating_mul(10)
                    .saturating_add(u64::from(b - b'0'));
                CountState::Digits
            }
            CountState::Digits => {
                self.finish();
                CountState::Name
            }
            _ => CountState::Name,
        };
    }

    /// Ends a number being read, if any.
    fn finish(&mut self) {
        self.most = self.most.max(self.value);
        self.value = 0;
    }
}

/// Reads the first sheet of an XLSX workbook: a header row naming the same columns as a CSV,
/// then one value per row. Numbers are taken as the cell holds them (a percent is a number
/// from 0 to 100, not Excel's percent format); text cells are read as in a CSV.
///
/// The sheet is read as a stream of cells, one row held at a time, once [`check_xlsx`] has
/// passed over it: a dense range of a sheet that declares a cell at `XFD1048576` would take
/// half a terabyte, so such a sheet is refused before any of its rows is taken.
pub fn read_xlsx(
    bytes: &[u8],
    indicators: &HashMap<String, IndicatorInfo>,
    unit_index: &dyn Fn(&str) -> Option<usize>,
    good: &mut dyn FnMut(Row) -> anyhow::Result<()>,
) -> anyhow::Result<Outcome> {
    use calamine::Reader;
    let mut out = Outcome::default();
    if let Err(e) = check_xlsx(bytes) {
        out.refuse(e.line, e.key, &e.found);
        return Ok(out);
    }
    let opened = calamine::Xlsx::new(std::io::Cursor::new(bytes)).ok();
    let Some(mut book) = opened else {
        out.refuse(1, "import-error-xlsx", "");
        return Ok(out);
    };
    let name = book.sheet_names().into_iter().next().unwrap_or_default();
    let Ok(mut cells) = book.worksheet_cells_reader(&name) else {
        out.refuse(1, "import-error-xlsx", "");
        return Ok(out);
    };
    let mut checker = Checker {
        indicators,
        unit_index,
        seen: FxHashMap::default(),
        out,
    };
    let mut columns: Option<Columns> = None;
    // The row being gathered (a sheet lists its cells row by row) and its cells' texts.
    let mut current: Option<u32> = None;
    let mut texts: Vec<String> = Vec::new();
    loop {
        let next = match cells.next_cell() {
            Ok(next) => next,
            Err(_) => {
                let line = current.map_or(1, |r| u64::from(r) + 1);
                checker.out.refuse(line, "import-error-xlsx", "");
                break;
            }
        };
        // A cell of another row (or the sheet's end) completes the row gathered so far.
        if let Some(row) = current
            && next.as_ref().map(|c| c.get_position().0) != Some(row)
        {
            let texts = std::mem::take(&mut texts);
            match &columns {
                None => {
                    let header: Vec<String> =
                        texts.iter().map(|t| t.trim().to_lowercase()).collect();
                    if header.iter().any(|h| !h.is_empty()) {
                        let Some(found) = Columns::find(&header) else {
                            checker
                                .out
                                .refuse(1, "import-error-header", &header.join(", "));
                            return Ok(checker.out);
                        };
                        columns = Some(found);
                    }
                }
                Some(c) => {
                    let line = u64::from(row) + 1;
                    if let Some(r) =
                        checker.check(line, c, &|k| texts.get(k).map_or("", String::as_str))
                    {
                        good(r)?;
                    }
                }
            }
        }
        let Some(cell) = next else { break };
        let (row, column) = cell.get_position();
        current = Some(row);
        // `check_xlsx` refused wider sheets; this keeps the row's size bounded regardless.
        let Some(column) = usize::try_from(column)
            .ok()
            .filter(|&c| c < XLSX_MAX_COLUMNS as usize)
        else {
            continue;
        };
        if texts.len() <= column {
            texts.resize(column + 1, String::new());
        }
        texts[column] = cell_text(&calamine::Data::from(cell.get_value().clone()));
    }
    if columns.is_none() && checker.out.errors.is_empty() {
        checker.out.refuse(1, "import-error-header", "");
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
}
