//! Reading a table a person made: a CSV file (UTF-8 with or without a BOM, or GBK/GB18030 as
//! Excel on Chinese Windows saves it; comma, semicolon or tab) or an XLSX workbook. A file that
//! is neither (UTF-16, a legacy .xls, a picture) is refused with what it looks like and what
//! to do.

use std::path::Path;

use calamine::{Data, Reader};

use super::{Format, unguard};
use crate::model::error::{Error, Message};

/// How the bytes of a CSV file are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Encoding {
    /// UTF-8 if the bytes are valid UTF-8, else GB18030 (a superset of GBK).
    #[default]
    Auto,
    Utf8,
    Gbk,
    Gb18030,
}

impl std::str::FromStr for Encoding {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        match s.trim().to_ascii_lowercase().replace(['-', '_'], "").as_str() {
            "auto" => Ok(Encoding::Auto),
            "utf8" => Ok(Encoding::Utf8),
            "gbk" | "cp936" => Ok(Encoding::Gbk),
            "gb18030" | "gb2312" => Ok(Encoding::Gb18030),
            _ => Err(Error::usage("table-encoding-unknown").arg("value", s)),
        }
    }
}

/// A table read from a file: its header and its rows, each with the line (CSV) or row (XLSX)
/// number a person finds it at.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<(u64, Vec<String>)>,
    /// The encoding the text was read in (`utf-8`, `gb18030`; `xlsx`).
    pub encoding: &'static str,
}

fn refuse(key: &'static str, path: &Path) -> Error {
    Error::usage(key).arg("path", path.display())
}

/// What a file's first bytes say it is, if it is not text.
fn sniff(bytes: &[u8], path: &Path) -> Result<(), Error> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(refuse("table-utf16", path));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(refuse("table-xlsx-named-csv", path));
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(refuse("table-xls", path));
    }
    if bytes.iter().take(8192).any(|b| *b == 0) {
        return Err(refuse("table-binary", path));
    }
    Ok(())
}

/// Decodes CSV bytes as asked; `Auto`: UTF-8 when valid, else GB18030.
pub fn decode(bytes: &[u8], encoding: Encoding, path: &Path) -> Result<(String, &'static str), Error> {
    sniff(bytes, path)?;
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let utf8 = || std::str::from_utf8(body).map(|s| (s.to_string(), "utf-8"));
    let gb = |label: &'static str| {
        let (text, _, bad) = encoding_rs::GB18030.decode(body);
        if bad { Err(refuse("table-encoding-bad", path)) } else { Ok((text.into_owned(), label)) }
    };
    match encoding {
        Encoding::Utf8 => utf8().map_err(|_| refuse("table-not-utf8", path)),
        Encoding::Gbk => gb("gbk"),
        Encoding::Gb18030 => gb("gb18030"),
        Encoding::Auto => match utf8() {
            Ok(t) => Ok(t),
            Err(_) => gb("gb18030"),
        },
    }
}

/// The delimiter the header line uses: comma, unless it has more semicolons or tabs.
fn delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or_default();
    let count = |c: char| first.matches(c).count();
    let (comma, semi, tab) = (count(','), count(';'), count('\t'));
    if tab > comma && tab >= semi {
        b'\t'
    } else if semi > comma {
        b';'
    } else {
        b','
    }
}

/// Reads a CSV or XLSX file (by its extension). `sheet`: an XLSX sheet by name (the first when
/// `None`).
pub fn read(path: &Path, encoding: Encoding, sheet: Option<&str>) -> Result<Table, Error> {
    let format = Format::from_path(path)?;
    let bytes = std::fs::read(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            Error::missing("table-file-missing").arg("path", path.display())
        } else {
            Error::io(Message::new("table-read-failed").arg("path", path.display()), e)
        }
    })?;
    match format {
        Format::Csv => read_csv(&bytes, encoding, path),
        Format::Xlsx => read_xlsx(bytes, sheet, path),
    }
}

fn read_csv(bytes: &[u8], encoding: Encoding, path: &Path) -> Result<Table, Error> {
    let (text, used) = decode(bytes, encoding, path)?;
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(&text))
        .from_reader(text.as_bytes());
    let mut table = Table { encoding: used, ..Table::default() };
    for rec in r.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            Error::usage("table-csv-broken").arg("path", path.display()).arg("line", line).arg("detail", e)
        })?;
        let line = rec.position().map_or(0, |p| p.line());
        // A quote opened and never closed swallows the rest of the file into one cell.
        if !table.header.is_empty() && rec.len() < table.header.len() && rec.iter().any(|c| c.contains('\n'))
        {
            return Err(Error::usage("table-csv-broken")
                .arg("path", path.display())
                .arg("line", line)
                .arg("detail", "\""));
        }
        let cells: Vec<String> = rec.iter().map(|c| unguard(c.trim()).to_string()).collect();
        if cells.iter().all(|c| c.is_empty()) {
            continue;
        }
        if table.header.is_empty() {
            table.header = cells;
        } else {
            table.rows.push((line, cells));
        }
    }
    if table.header.is_empty() {
        return Err(refuse("table-empty", path));
    }
    Ok(table)
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => {
            // Days since 1899-12-30 (the 1900 system; Excel's phantom 1900-02-29 lies before
            // any date a register holds).
            let serial = dt.as_f64();
            let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default();
            let secs = (serial * 86_400.0).round() as i64;
            match base
                .and_hms_opt(0, 0, 0)
                .and_then(|b| b.checked_add_signed(chrono::Duration::seconds(secs)))
            {
                Some(t) if t.time() == chrono::NaiveTime::MIN => t.date().to_string(),
                Some(t) => t.format("%Y-%m-%d %H:%M").to_string(),
                None => serial.to_string(),
            }
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

fn read_xlsx(bytes: Vec<u8>, sheet: Option<&str>, path: &Path) -> Result<Table, Error> {
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(refuse("table-not-xlsx", path));
    }
    let mut book =
        calamine::Xlsx::new(std::io::Cursor::new(bytes)).map_err(|_| refuse("table-not-xlsx", path))?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(s) => names.iter().find(|n| n.as_str() == s).cloned().ok_or_else(|| {
            Error::missing("table-sheet-missing").arg("sheet", s).arg("sheets", names.join(", "))
        })?,
        None => names.first().cloned().ok_or_else(|| refuse("table-empty", path))?,
    };
    let range = book.worksheet_range(&name).map_err(|_| refuse("table-not-xlsx", path))?;
    let start_row = range.start().map_or(0, |(r, _)| r as u64);
    let mut table = Table { encoding: "xlsx", ..Table::default() };
    for (i, row) in range.rows().enumerate() {
        let cells: Vec<String> = row.iter().map(cell_text).collect();
        if cells.iter().all(|c| c.is_empty()) {
            continue;
        }
        if table.header.is_empty() {
            table.header = cells;
        } else {
            table.rows.push((start_row + i as u64 + 1, cells));
        }
    }
    if table.header.is_empty() {
        return Err(refuse("table-empty", path));
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_is_told_from_utf8_and_utf16_is_refused() {
        let p = Path::new("x.csv");
        let (gbk, _, _) = encoding_rs::GBK.encode("户名,电话\n张三,13800138000\n");
        let (text, used) = decode(&gbk, Encoding::Auto, p).unwrap();
        assert_eq!(used, "gb18030");
        assert!(text.starts_with("户名"));
        let (text, used) = decode("\u{feff}户名\n".as_bytes(), Encoding::Auto, p).unwrap();
        assert_eq!((text.as_str(), used), ("户名\n", "utf-8"));
        assert!(decode(&[0xFF, 0xFE, b'a', 0], Encoding::Auto, p).is_err());
        assert!(decode(&gbk, Encoding::Utf8, p).is_err());
        assert_eq!(delimiter("a;b;c\n1,2;3"), b';');
        assert_eq!(delimiter("a\tb\tc"), b'\t');
    }
}
