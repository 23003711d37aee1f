//! Tables in and out of files: CSV (UTF-8 with a byte order mark, RFC 4180, CRLF) and XLSX.
//! Pure of the library: the core gathers rows, this layer writes (and, for imports, reads)
//! them. Used by `export`, the reports and the GUI's "export what the list shows".
//!
//! A writer streams: rows go out as they come (XLSX in rust_xlsxwriter's constant-memory mode),
//! so an export of a million dossiers never holds them all. A text cell that a spreadsheet
//! would take as a formula (`=`, `+`, `-`, `@` first) is written with a leading `'` in CSV
//! (OWASP "CSV injection"); [`unguard`] takes it off again on import.

mod read;
mod write;

pub use read::{Encoding, Table, decode, read};
pub use write::{TableWriter, unguard};

use std::path::Path;

use crate::model::error::{Error, Message};

/// The file formats a table is written in, chosen by the file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    /// The format a path's extension names (`.csv`, `.xlsx`, any case); a usage error naming
    /// the extensions otherwise.
    pub fn from_path(path: &Path) -> Result<Format, Error> {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
        match ext.as_str() {
            "csv" | "txt" => Ok(Format::Csv),
            "xlsx" => Ok(Format::Xlsx),
            _ => Err(Error::usage("table-format-unknown").arg("path", path.display())),
        }
    }
}

/// One cell of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Int(i64),
    Float(f64),
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        let s = s.into();
        if s.is_empty() { Cell::Empty } else { Cell::Text(s) }
    }

    /// The cell as it is written in a CSV file (before quoting).
    pub fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Int(i) => i.to_string(),
            Cell::Float(f) => {
                let s = format!("{f:.4}");
                s.trim_end_matches('0').trim_end_matches('.').to_string()
            }
        }
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::text(s)
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::text(s)
    }
}

impl From<Option<String>> for Cell {
    fn from(s: Option<String>) -> Cell {
        s.map(Cell::text).unwrap_or(Cell::Empty)
    }
}

impl From<i64> for Cell {
    fn from(i: i64) -> Cell {
        Cell::Int(i)
    }
}

impl From<f64> for Cell {
    fn from(f: f64) -> Cell {
        Cell::Float(f)
    }
}

pub(crate) fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::Failed(Message::new("table-xlsx-failed").arg("detail", e))
}
