//! Reading an XLSX workbook's first sheet as an import: checked first for lies about its size
//! (declared dimensions, cell count, shared-string count, unpacked size), then read cell by
//! cell into the same checks as a CSV file.

use std::collections::HashMap;

use rustc_hash::FxHashMap;

use super::*;

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
pub(super) fn unpacked_sizes_fit(bytes: &[u8]) -> bool {
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
