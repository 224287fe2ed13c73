//! Reading a CSV file that a person uploads: a byte-order mark is dropped, commas or
//! semicolons separate (spreadsheets in a Ukrainian locale write semicolons), the header's
//! first columns are checked, blank lines are skipped, and each row is handed over with its
//! real line number so every bad row can be reported, not just the first.
//!
//! A file of bad rows is read in one pass (line numbers are counted as the reader goes), the
//! first [`MAX_LISTED`] errors are listed and the rest only counted, and the reading runs off
//! the async workers, so a large bad file answers quickly with a page of bounded size and
//! does not hold up other requests.

use crate::i18n::{Arg, Lang};

/// A row that cannot be read, with its line number in the file (the header is line 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: u64,
    pub message: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// Errors listed in full; beyond these only their number is reported.
pub const MAX_LISTED: usize = 1_000;
/// A listed message is cut to this many characters (it may quote a whole field).
const MESSAGE_MAX_CHARS: usize = 300;
/// The end of the message of the last entry that counts the errors not listed.
const UNLISTED: &str = " more rows with errors are not listed";

/// Reads `bytes`, whose header must start with `header` (more columns may follow, as the
/// caller allows). `row` turns one record into a value or a message; every message comes
/// back with its line, and nothing is returned unless every row is good. At most
/// [`MAX_LISTED`] messages come back; when there were more, a last entry at line 0 counts
/// them (see [`unlisted`]; [`problems`] renders the list for a page).
///
/// On the multi-threaded runtime the reading moves off the async worker
/// (`block_in_place`), so callers need not change; elsewhere (tests, the command line) it
/// runs where it is called.
pub fn read<T>(
    bytes: &[u8],
    header: &[&str],
    row: impl FnMut(u64, &csv::StringRecord) -> Result<T, String>,
) -> Result<Vec<T>, Vec<RowError>> {
    off_async_workers(|| read_here(bytes, header, row))
}

/// Runs `f` so that it does not hold up an async worker thread: on the multi-threaded
/// runtime the worker hands its other tasks over while `f` runs. The current-thread runtime
/// has no other worker to hand them to, so there (and outside any runtime) `f` just runs.
fn off_async_workers<R>(f: impl FnOnce() -> R) -> R {
    match tokio::runtime::Handle::try_current() {
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(f)
        }
        _ => f(),
    }
}

fn read_here<T>(
    bytes: &[u8],
    header: &[&str],
    mut row: impl FnMut(u64, &csv::StringRecord) -> Result<T, String>,
) -> Result<Vec<T>, Vec<RowError>> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let first = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let delimiter = if first.contains(&b';') { b';' } else { b',' };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let header_ok = reader.headers().is_ok_and(|h| {
        header
            .iter()
            .enumerate()
            .all(|(i, name)| h.get(i) == Some(name))
    });
    if !header_ok {
        return Err(vec![RowError {
            line: 1,
            message: format!("the first line must be the header {}", header.join(",")),
        }]);
    }
    let mut lines = LineCursor::new(bytes);
    let mut rows = Vec::new();
    let mut refusals = Refusals::default();
    let mut last_line = 1;
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                last_line = e
                    .position()
                    .map_or(last_line + 1, |p| lines.line_at(p.byte()));
                refusals.add(last_line, format!("unreadable: {e}"));
                continue;
            }
        };
        if record.iter().all(str::is_empty) {
            continue;
        }
        last_line = record
            .position()
            .map_or(last_line + 1, |p| lines.line_at(p.byte()));
        match row(last_line, &record) {
            // Once a row is bad nothing is returned, so good rows are no longer kept.
            Ok(value) if refusals.is_empty() => rows.push(value),
            Ok(_) => {}
            Err(message) => refusals.add(last_line, message),
        }
    }
    if refusals.is_empty() {
        Ok(rows)
    } else {
        Err(refusals.into_errors())
    }
}

/// The bad rows found so far: the first [`MAX_LISTED`] kept, the rest counted.
#[derive(Default)]
struct Refusals {
    errors: Vec<RowError>,
    unlisted: u64,
}

impl Refusals {
    fn add(&mut self, line: u64, message: String) {
        if self.errors.len() < MAX_LISTED {
            self.errors.push(RowError {
                line,
                message: message.chars().take(MESSAGE_MAX_CHARS).collect(),
            });
        } else {
            self.unlisted += 1;
        }
    }

    fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    fn into_errors(mut self) -> Vec<RowError> {
        if self.unlisted > 0 {
            self.errors.push(RowError {
                line: 0,
                message: format!("{}{UNLISTED}", self.unlisted),
            });
        }
        self.errors
    }
}

/// The number of errors [`read`] counted but did not list, if it left any out.
pub fn unlisted(errors: &[RowError]) -> Option<u64> {
    let last = errors.last().filter(|e| e.line == 0)?;
    last.message.strip_suffix(UNLISTED)?.parse().ok()
}

/// The errors of [`read`] as lines for a page, in the reader's language: "Line N: message"
/// for each listed one, then how many more there were.
pub fn problems(lang: Lang, errors: &[RowError]) -> Vec<String> {
    let more = unlisted(errors);
    let listed = match more {
        Some(_) => &errors[..errors.len() - 1],
        None => errors,
    };
    let mut lines: Vec<String> = listed
        .iter()
        .map(|e| {
            lang.t_args(
                "statuses-error-line",
                &[
                    ("line", Arg::Num(e.line as i64)),
                    ("message", Arg::Str(&e.message)),
                ],
            )
        })
        .collect();
    if let Some(n) = more {
        lines.push(lang.t_args(
            "upload-errors-more",
            &[
                ("count", Arg::Num(i64::try_from(n).unwrap_or(i64::MAX))),
                ("listed", Arg::Num(listed.len() as i64)),
            ],
        ));
    }
    lines
}

/// Turns a record's byte position into its file line, counting line ends once as the reader
/// moves forward (records come in order), instead of from the file's start for each record.
struct LineCursor<'a> {
    bytes: &'a [u8],
    /// A byte offset already reached, and the line it is on.
    at: usize,
    line: u64,
}

impl<'a> LineCursor<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        LineCursor {
            bytes,
            at: 0,
            line: 1,
        }
    }

    /// The line a record starts on; its position may point at blank lines skipped before it.
    fn line_at(&mut self, byte: u64) -> u64 {
        let bytes = self.bytes;
        let mut end = usize::try_from(byte).unwrap_or(usize::MAX).min(bytes.len());
        while end < bytes.len() && matches!(bytes[end], b'\n' | b'\r') {
            end += 1;
        }
        if end < self.at {
            // Not expected (positions only grow); count from the start rather than guess.
            self.at = 0;
            self.line = 1;
        }
        self.line += bytes[self.at..end].iter().filter(|b| **b == b'\n').count() as u64;
        self.at = end;
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Result<Vec<(u64, String)>, Vec<RowError>> {
        read(text.as_bytes(), &["code"], |line, r| {
            let code = r.get(0).unwrap_or_default();
            if code.starts_with("UA") {
                Ok((line, code.to_string()))
            } else {
                Err(format!("{code:?} is not a code"))
            }
        })
    }

    #[test]
    fn lines_are_real_file_lines_across_blank_lines_and_quoted_breaks() {
        let rows = codes("code\r\nUA1\n\n\r\nUA2\n\"UA\n3\"\nUA4\n").expect("good");
        let lines: Vec<u64> = rows.iter().map(|r| r.0).collect();
        assert_eq!(lines, vec![2, 5, 6, 8]);
        let errors = codes("code\nUA1\n\nx\nUA2\ny\n").expect_err("bad");
        let got: Vec<u64> = errors.iter().map(|e| e.line).collect();
        assert_eq!(got, vec![4, 6]);
        assert_eq!(unlisted(&errors), None);
    }

    #[test]
    fn errors_beyond_the_listed_are_counted() {
        let mut text = String::from("code\n");
        for _ in 0..MAX_LISTED + 250 {
            text.push_str("bad\n");
        }
        let errors = codes(&text).expect_err("bad");
        assert_eq!(errors.len(), MAX_LISTED + 1);
        assert_eq!(errors[MAX_LISTED - 1].line, MAX_LISTED as u64 + 1);
        assert_eq!(unlisted(&errors), Some(250));
        let shown = problems(Lang::En, &errors);
        assert_eq!(shown.len(), MAX_LISTED + 1);
        assert!(
            shown[MAX_LISTED].contains("250 more rows"),
            "{}",
            shown[MAX_LISTED]
        );
        assert!(problems(Lang::Uk, &errors)[MAX_LISTED].contains("250"));
    }

    #[test]
    fn arbitrary_bytes_never_panic_and_lines_never_go_back() {
        // A small deterministic fuzz: random bytes after a valid header.
        let mut seed = 0x51f1_5eed_u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let alphabet = b"UA01,;\"\n\r x\xd0\xb0\xff";
        for _ in 0..2_000 {
            let len = (next() % 400) as usize;
            let mut text = b"code\n".to_vec();
            text.extend((0..len).map(|_| alphabet[(next() % alphabet.len() as u64) as usize]));
            let lines = text.iter().filter(|b| **b == b'\n').count() as u64 + 1;
            let seen = match read(&text, &["code"], |line, _| Ok::<u64, String>(line)) {
                Ok(rows) => rows,
                Err(errors) => errors.iter().map(|e| e.line).collect(),
            };
            // A lone CR ends a record too, so two records may share a line.
            assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
            assert!(seen.iter().all(|&l| (2..=lines).contains(&l)), "{seen:?}");
        }
    }
}
