//! Streaming table writers.

use std::io::{BufWriter, Seek, Write};

use rust_xlsxwriter::{Format as XFormat, Workbook, Worksheet};

use super::{Cell, Format, xlsx_error};
use crate::model::error::{Error, Message};

/// Rows per XLSX sheet, header included (the format's limit); more rows continue on a next
/// sheet that repeats the header.
const XLSX_MAX_ROWS: u32 = 1_048_576;
/// Widest column set automatically, in characters.
const MAX_WIDTH: usize = 60;

/// Writes a table row by row, as CSV or XLSX, to `W`.
pub struct TableWriter<W: Write + Seek + Send> {
    inner: Inner<W>,
    columns: Vec<String>,
    rows: u64,
}

enum Inner<W: Write + Seek + Send> {
    Csv(BufWriter<W>),
    Xlsx { book: Box<Workbook>, out: W, sheet: String, sheets: u32, row: u32, widths: Vec<usize> },
}

fn io(e: std::io::Error) -> Error {
    Error::io(Message::new("table-write-failed"), e)
}

impl<W: Write + Seek + Send> TableWriter<W> {
    /// A writer whose first row is `columns`; `sheet` names the XLSX sheet (ignored for CSV).
    pub fn new(format: Format, out: W, sheet: &str, columns: &[String]) -> Result<Self, Error> {
        let inner = match format {
            Format::Csv => {
                let mut w = BufWriter::with_capacity(1 << 16, out);
                // The byte order mark tells Excel on Chinese Windows the file is UTF-8.
                w.write_all("\u{feff}".as_bytes()).map_err(io)?;
                Inner::Csv(w)
            }
            Format::Xlsx => Inner::Xlsx {
                book: Box::new(Workbook::new()),
                out,
                sheet: sheet_name(sheet),
                sheets: 0,
                row: XLSX_MAX_ROWS,
                widths: columns.iter().map(|c| width(c)).collect(),
            },
        };
        let mut w = TableWriter { inner, columns: columns.to_vec(), rows: 0 };
        if let Inner::Csv(out) = &mut w.inner {
            let header: Vec<Cell> = columns.iter().map(|c| Cell::text(c.clone())).collect();
            csv_line(out, &header).map_err(io)?;
        }
        Ok(w)
    }

    /// Appends one row (fewer cells than columns leave the rest empty).
    pub fn row(&mut self, cells: &[Cell]) -> Result<(), Error> {
        self.rows += 1;
        match &mut self.inner {
            Inner::Csv(out) => csv_line(out, cells).map_err(io),
            Inner::Xlsx { book, sheet, sheets, row, widths, .. } => {
                if *row >= XLSX_MAX_ROWS {
                    *sheets += 1;
                    let name = if *sheets == 1 { sheet.clone() } else { format!("{sheet} ({sheets})") };
                    let ws = book.add_worksheet_with_constant_memory().map_err(xlsx_error)?;
                    ws.set_name(&name).map_err(xlsx_error)?;
                    let bold = XFormat::new().set_bold();
                    for (c, h) in self.columns.iter().enumerate() {
                        ws.write_string_with_format(0, col(c)?, h, &bold).map_err(xlsx_error)?;
                    }
                    ws.set_freeze_panes(1, 0).map_err(xlsx_error)?;
                    *row = 1;
                }
                let last = book.worksheets_mut().len() - 1;
                let ws: &mut Worksheet = &mut book.worksheets_mut()[last];
                for (c, cell) in cells.iter().enumerate() {
                    let cc = col(c)?;
                    match cell {
                        Cell::Empty => {}
                        Cell::Text(s) => {
                            ws.write_string(*row, cc, s).map_err(xlsx_error)?;
                        }
                        Cell::Int(i) => {
                            // Beyond 2^53 a spreadsheet loses digits: such numbers stay text.
                            if i.unsigned_abs() < (1 << 53) {
                                ws.write_number(*row, cc, *i as f64).map_err(xlsx_error)?;
                            } else {
                                ws.write_string(*row, cc, i.to_string()).map_err(xlsx_error)?;
                            }
                        }
                        Cell::Float(f) => {
                            ws.write_number(*row, cc, *f).map_err(xlsx_error)?;
                        }
                    }
                    if let Some(w) = widths.get_mut(c) {
                        *w = (*w).max(width(&cell.display())).min(MAX_WIDTH);
                    }
                }
                *row += 1;
                Ok(())
            }
        }
    }

    /// Rows written so far (the header not counted).
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Finishes the file (an XLSX with no rows still has its header sheet) and hands the
    /// output back, flushed.
    pub fn finish(mut self) -> Result<W, Error> {
        if let Inner::Xlsx { row, .. } = &self.inner
            && *row >= XLSX_MAX_ROWS
        {
            // No row yet: open the sheet so the header is there.
            self.open_empty_sheet()?;
        }
        match self.inner {
            Inner::Csv(out) => out.into_inner().map_err(|e| io(e.into_error())),
            Inner::Xlsx { mut book, mut out, widths, .. } => {
                for ws in book.worksheets_mut() {
                    for (c, w) in widths.iter().enumerate() {
                        ws.set_column_width(col(c)?, (*w as f64 + 2.0).min(MAX_WIDTH as f64))
                            .map_err(xlsx_error)?;
                    }
                }
                book.save_to_writer(&mut out).map_err(xlsx_error)?;
                out.flush().map_err(io)?;
                Ok(out)
            }
        }
    }

    fn open_empty_sheet(&mut self) -> Result<(), Error> {
        let rows = self.rows;
        self.row(&[])?;
        self.rows = rows;
        Ok(())
    }
}

fn col(c: usize) -> Result<u16, Error> {
    u16::try_from(c).map_err(|_| Error::invalid("too many columns"))
}

/// A display width in "characters" for column widths: a CJK character counts two.
fn width(s: &str) -> usize {
    s.chars().map(|c| if (c as u32) >= 0x2E80 { 2 } else { 1 }).sum()
}

/// An XLSX sheet name: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(s: &str) -> String {
    let name: String = s.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect();
    if name.trim().is_empty() { "Sheet1".into() } else { name }
}

/// One CSV line: fields quoted when they must be (a comma, a quote, a line break; quotes
/// doubled), formula-like text guarded with a leading `'`, CRLF at the end.
fn csv_line(out: &mut impl Write, cells: &[Cell]) -> std::io::Result<()> {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        let text = match cell {
            Cell::Text(s) if s.starts_with(['=', '+', '-', '@', '\t', '\r']) => format!("'{s}"),
            other => other.display(),
        };
        if text.contains([',', '"', '\n', '\r']) {
            out.write_all(b"\"")?;
            out.write_all(text.replace('"', "\"\"").as_bytes())?;
            out.write_all(b"\"")?;
        } else {
            out.write_all(text.as_bytes())?;
        }
    }
    out.write_all(b"\r\n")
}

/// A CSV field read back: the `'` that [`TableWriter`] put before formula-like text removed.
pub fn unguard(field: &str) -> &str {
    match field.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => field,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::io::Cursor;

    use super::*;

    fn cols() -> Vec<String> {
        vec!["档号".into(), "姓名".into(), "页数".into()]
    }

    #[test]
    fn csv_has_a_bom_crlf_and_rfc_4180_quoting() {
        let mut w = TableWriter::new(Format::Csv, Cursor::new(Vec::new()), "x", &cols()).unwrap();
        w.row(&["KH-1".into(), "周,瑜".into(), Cell::Int(3)]).unwrap();
        w.row(&["KH-2".into(), "说\"好\"\n两行".into(), Cell::Empty]).unwrap();
        w.row(&["=1+1".into(), "-3".into(), Cell::Float(2.5)]).unwrap();
        let bytes = w.finish().unwrap().into_inner();
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(
            text,
            "\u{feff}档号,姓名,页数\r\nKH-1,\"周,瑜\",3\r\nKH-2,\"说\"\"好\"\"\n两行\",\r\n'=1+1,'-3,2.5\r\n"
        );
        assert_eq!(unguard("'=1+1"), "=1+1");
        assert_eq!(unguard("'quoted"), "'quoted");
    }

    #[test]
    fn xlsx_is_a_zip_with_the_rows() {
        let mut w = TableWriter::new(Format::Xlsx, Cursor::new(Vec::new()), "客户", &cols()).unwrap();
        w.row(&["KH-1".into(), "周瑜".into(), Cell::Int(3)]).unwrap();
        let bytes = w.finish().unwrap().into_inner();
        assert_eq!(&bytes[..2], b"PK");
        let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        use calamine::Reader;
        let range = book.worksheet_range("客户").unwrap();
        let rows: Vec<Vec<String>> =
            range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
        assert_eq!(rows, vec![vec!["档号", "姓名", "页数"], vec!["KH-1", "周瑜", "3"]]);
    }

    #[test]
    fn an_empty_xlsx_still_has_its_header() {
        let w = TableWriter::new(Format::Xlsx, Cursor::new(Vec::new()), "空", &cols()).unwrap();
        let bytes = w.finish().unwrap().into_inner();
        let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        use calamine::Reader;
        let range = book.worksheet_range("空").unwrap();
        assert_eq!(range.rows().count(), 1);
    }
}
