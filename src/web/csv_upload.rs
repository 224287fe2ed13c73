//! Reading a CSV file that a person uploads: a byte-order mark is dropped, commas or
//! semicolons separate (spreadsheets in a Ukrainian locale write semicolons), the header's
//! first columns are checked, blank lines are skipped, and each row is handed over with its
//! real line number so every bad row can be reported, not just the first.

use crate::registry::codifier::RowError;

/// Reads `bytes`, whose header must start with `header` (more columns may follow, as the
/// caller allows). `row` turns one record into a value or a message; every message comes
/// back with its line, and nothing is returned unless every row is good.
pub fn read<T>(
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
    // The line a record starts on; its position may point at blank lines skipped before it.
    let line_at = |byte: u64| {
        let mut end = usize::try_from(byte).unwrap_or(usize::MAX).min(bytes.len());
        while end < bytes.len() && matches!(bytes[end], b'\n' | b'\r') {
            end += 1;
        }
        bytes[..end].iter().filter(|b| **b == b'\n').count() as u64 + 1
    };
    let (mut rows, mut errors) = (Vec::new(), Vec::new());
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(RowError {
                    line: e.position().map(|p| line_at(p.byte())).unwrap_or(0),
                    message: format!("unreadable: {e}"),
                });
                continue;
            }
        };
        if record.iter().all(str::is_empty) {
            continue;
        }
        let line = record.position().map(|p| line_at(p.byte())).unwrap_or(0);
        match row(line, &record) {
            Ok(value) => rows.push(value),
            Err(message) => errors.push(RowError { line, message }),
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}
