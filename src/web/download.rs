//! Any list a page shows can be downloaded: the same rows as CSV (UTF-8 with a byte-order
//! mark, so spreadsheet programs read Cyrillic correctly), as an XLSX workbook with numbers
//! stored as numbers, or as JSON (`{"items": [{header: value, …}], "total": n}`).

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::error::{AppError, AppResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Csv,
    Xlsx,
    Json,
}

impl Format {
    /// `?format=` as a page receives it: absent or empty is the page itself.
    pub fn from_query(raw: Option<&str>) -> AppResult<Option<Format>> {
        match raw.unwrap_or_default() {
            "" | "html" => Ok(None),
            "csv" => Ok(Some(Format::Csv)),
            "xlsx" => Ok(Some(Format::Xlsx)),
            "json" => Ok(Some(Format::Json)),
            _ => Err(AppError::BadRequest("error-format")),
        }
    }
}

/// One cell: text or a number (an empty number is an empty cell).
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(Option<f64>),
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<Option<i64>> for Cell {
    fn from(n: Option<i64>) -> Cell {
        Cell::Number(n.map(|n| n as f64))
    }
}

impl From<u32> for Cell {
    fn from(n: u32) -> Cell {
        Cell::Number(Some(f64::from(n)))
    }
}

/// A table to download: column headers and rows of the same width.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// A text cell as a CSV file may safely hold it. Spreadsheet programs run a cell that starts
/// with `=`, `+`, `-` or `@` as a formula (and skip a leading TAB or CR before deciding), so a
/// name someone typed as `=HYPERLINK(…)` would act when the file is opened. Such a cell gets a
/// leading apostrophe, which spreadsheets read as "this is text". Numbers are written as
/// numbers and never pass through here, so negative values stay as they are. XLSX needs none
/// of this: its strings are typed as strings.
pub fn csv_text(s: &str) -> std::borrow::Cow<'_, str> {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => std::borrow::Cow::Owned(format!("'{s}")),
        _ => std::borrow::Cow::Borrowed(s),
    }
}

impl Table {
    pub fn csv(&self) -> AppResult<Vec<u8>> {
        let mut out = "\u{feff}".as_bytes().to_vec();
        {
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record(&self.headers).map_err(internal)?;
            for row in &self.rows {
                w.write_record(row.iter().map(|c| match c {
                    Cell::Text(s) => csv_text(s).into_owned(),
                    Cell::Number(Some(n)) if n.fract() == 0.0 => format!("{n:.0}"),
                    Cell::Number(Some(n)) => n.to_string(),
                    Cell::Number(None) => String::new(),
                }))
                .map_err(internal)?;
            }
            w.flush().map_err(internal)?;
        }
        Ok(out)
    }

    pub fn xlsx(&self, sheet: &str) -> AppResult<Vec<u8>> {
        use rust_xlsxwriter::{Format as CellFormat, Workbook};
        let mut book = Workbook::new();
        let bold = CellFormat::new().set_bold();
        let ws = book.add_worksheet();
        // Sheet names are at most 31 characters and may not hold []:*?/\.
        let name: String = sheet
            .chars()
            .filter(|c| !"[]:*?/\\".contains(*c))
            .take(31)
            .collect();
        if !name.is_empty() {
            ws.set_name(&name).map_err(internal)?;
        }
        for (c, h) in self.headers.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &bold)
                .map_err(internal)?;
        }
        for (r, row) in self.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Text(s) => ws.write_string(r, c, s).map(|_| ()),
                    Cell::Number(Some(n)) => ws.write_number(r, c, *n).map(|_| ()),
                    Cell::Number(None) => Ok(()),
                }
                .map_err(internal)?;
            }
        }
        ws.set_freeze_panes(1, 0).map_err(internal)?;
        book.save_to_buffer().map_err(internal)
    }

    /// The rows as JSON objects keyed by the headers; numbers stay numbers, empty ones null.
    pub fn json(&self) -> AppResult<Vec<u8>> {
        let items: Vec<serde_json::Map<String, serde_json::Value>> = self
            .rows
            .iter()
            .map(|row| {
                self.headers
                    .iter()
                    .zip(row)
                    .map(|(h, c)| {
                        let v = match c {
                            Cell::Text(s) => serde_json::Value::from(s.as_str()),
                            Cell::Number(Some(n)) => serde_json::Value::from(*n),
                            Cell::Number(None) => serde_json::Value::Null,
                        };
                        (h.clone(), v)
                    })
                    .collect()
            })
            .collect();
        serde_json::to_vec(&serde_json::json!({ "items": items, "total": self.rows.len() }))
            .map_err(internal)
    }

    /// The download response: `file_stem.csv`, `.xlsx` or `.json` as an attachment.
    pub fn respond(&self, format: Format, file_stem: &str) -> AppResult<Response> {
        let (bytes, mime, ext) = match format {
            Format::Csv => (self.csv()?, "text/csv; charset=utf-8", "csv"),
            Format::Xlsx => (
                self.xlsx(file_stem)?,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "xlsx",
            ),
            Format::Json => (self.json()?, "application/json", "json"),
        };
        let safe: String = file_stem
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        let disposition = format!("attachment; filename=\"{safe}.{ext}\"");
        let mut response = bytes.into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
        if let Ok(v) = HeaderValue::from_str(&disposition) {
            headers.insert(header::CONTENT_DISPOSITION, v);
        }
        Ok(response)
    }
}

fn internal(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(anyhow::anyhow!("download: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised_in_csv_only() {
        for hostile in [
            "=HYPERLINK(\"http://x\")",
            "+1",
            "-1+2",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
        ] {
            assert_eq!(csv_text(hostile), format!("'{hostile}"));
        }
        for plain in ["Вінниця", "", "1-2", " =1", "'=1"] {
            assert_eq!(csv_text(plain), plain);
        }
        let table = Table {
            headers: vec!["name".into(), "n".into()],
            rows: vec![vec!["=1+1".into(), Cell::Number(Some(-5.0))]],
        };
        let csv = String::from_utf8(table.csv().expect("csv")).expect("utf-8");
        assert!(csv.contains("'=1+1,-5"), "{csv}");
        let json = String::from_utf8(table.json().expect("json")).expect("utf-8");
        assert!(json.contains("\"=1+1\""), "{json}");
    }

    fn table() -> Table {
        Table {
            headers: vec!["code".into(), "name".into(), "population".into()],
            rows: vec![
                vec![
                    "UA05020030000031457".into(),
                    "Вінницька, \"міська\"".into(),
                    Some(387_439).into(),
                ],
                vec!["UA01".into(), "Крим".into(), None.into()],
            ],
        }
    }

    #[test]
    fn csv_quotes_and_keeps_cyrillic() {
        let csv = String::from_utf8(table().csv().expect("csv")).expect("utf-8");
        assert!(csv.starts_with('\u{feff}'));
        assert!(csv.contains("UA05020030000031457,\"Вінницька, \"\"міська\"\"\",387439\n"));
        assert!(csv.ends_with("UA01,Крим,\n"));
    }

    #[test]
    fn xlsx_is_a_zip_workbook() {
        let bytes = table().xlsx("Вінницька [область]").expect("xlsx");
        assert_eq!(&bytes[..2], b"PK");
    }

    #[test]
    fn format_from_query() {
        assert_eq!(Format::from_query(None).ok(), Some(None));
        assert_eq!(
            Format::from_query(Some("xlsx")).ok(),
            Some(Some(Format::Xlsx))
        );
        assert!(Format::from_query(Some("pdf")).is_err());
    }
}
