//! `export customers|documents|loans`: streamed into a CSV or XLSX file (by its extension)
//! under a temporary name, renamed when whole. Confidential dossiers are exported only to who
//! may open them (as the lists show them), and each export is audited: what, the filters, how
//! many rows, the confidential dossiers it held.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;

use crate::core::loans::LoanQuery;
use crate::core::session::{Change, Session, record};
use crate::model::error::{Error, Message, Result};
use crate::model::permission::Permission;
use crate::model::{Grade, IdKind, Status};
use crate::store;
use crate::tabular::{Cell, Format, TableWriter};

/// What is exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportKind {
    Customers,
    Documents,
    Loans,
}

impl ExportKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ExportKind::Customers => "customers",
            ExportKind::Documents => "documents",
            ExportKind::Loans => "loans",
        }
    }
}

/// The filters, as `customer list` and `loan list` take them.
#[derive(Debug, Clone, Default)]
pub struct ExportQuery {
    pub category: Option<String>,
    pub grade: Option<Grade>,
    pub status: Option<Status>,
    pub clerk: Option<String>,
    /// Customers/documents: only these dossiers (what a search showed).
    pub dossiers: Vec<String>,
    /// Loans: which (out now by default; `all`, a period, overdue, a borrower).
    pub loans: LoanQuery,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExportReport {
    pub file: PathBuf,
    pub kind: ExportKind,
    pub format: Format,
    pub rows: u64,
    /// Confidential dossiers in the file (only for who may open them).
    pub confidential: usize,
    pub seconds: f64,
    pub rows_per_s: f64,
}

/// Turns a message key into the user's words (headers, grades, states).
pub type Labels<'a> = &'a dyn Fn(&str) -> String;

/// A stored UTC timestamp as local `YYYY-MM-DD HH:MM`.
fn local(at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| t.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|_| at.to_string())
}

fn opt(s: Option<String>) -> Cell {
    s.map(Cell::text).unwrap_or(Cell::Empty)
}

/// A temporary file beside the target, removed unless renamed into place.
struct Part(Option<PathBuf>);

impl Drop for Part {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            let _ = fs::remove_file(p);
        }
    }
}

fn write_failed(path: &Path, e: std::io::Error) -> Error {
    if e.raw_os_error() == Some(28) || e.kind() == std::io::ErrorKind::StorageFull {
        Error::failed("export-disk-full").arg("path", path.display())
    } else {
        Error::io(Message::new("table-write-failed").arg("path", path.display()), e)
    }
}

impl Session {
    /// Writes `kind` to `out` (CSV or XLSX by its extension) with the filters of `q`; `labels`
    /// gives the column headers and values in the user's language. `progress(rows)`.
    pub fn export(
        &mut self,
        kind: ExportKind,
        q: &ExportQuery,
        out: &Path,
        labels: Labels<'_>,
        progress: &mut dyn FnMut(u64),
    ) -> Result<ExportReport> {
        self.require(Permission::ReadDossiers)?;
        let started = Instant::now();
        let format = Format::from_path(out)?;
        let dir = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if !dir.is_dir() {
            return Err(Error::missing("backup-out-folder-missing").arg("path", dir.display()));
        }
        let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let part_path = dir.join(format!(".{name}.{}.part", std::process::id()));
        let _ = fs::remove_file(&part_path);
        let part = Part(Some(part_path.clone()));
        let file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&part_path)
            .map_err(|e| write_failed(&part_path, e))?;
        let sheet = labels(&format!("export-sheet-{}", kind.as_str()));
        let mut confidential: Vec<String> = Vec::new();
        let (rows, file) = match kind {
            ExportKind::Customers | ExportKind::Documents => {
                let include_confidential = self.may(Permission::ViewConfidential);
                let conn = self.lib.db.conn();
                let filter = store::export::Filter {
                    categories: match &q.category {
                        Some(c) => store::config::subtree_ids(conn, c)?,
                        None => Vec::new(),
                    },
                    grade: q.grade.map(|g| g.as_str().to_string()),
                    status: q.status.map(|s| s.as_str().to_string()),
                    clerk_id: match &q.clerk {
                        Some(c) => crate::core::customers::clerk_id_of(conn, c)?,
                        None => None,
                    },
                    include_confidential,
                    dossiers: q.dossiers.clone(),
                };
                if kind == ExportKind::Customers {
                    export_customers(
                        conn,
                        &filter,
                        format,
                        file,
                        &sheet,
                        labels,
                        &mut confidential,
                        progress,
                    )?
                } else {
                    export_documents(
                        conn,
                        &filter,
                        format,
                        file,
                        &sheet,
                        labels,
                        &mut confidential,
                        progress,
                    )?
                }
            }
            ExportKind::Loans => {
                let loans = self.loans(&q.loans)?;
                let columns: Vec<String> = [
                    "export-loan-id",
                    "export-item",
                    "export-item-title",
                    "export-borrower",
                    "export-borrower-code",
                    "export-org",
                    "export-purpose",
                    "export-lent-by",
                    "export-lent-at",
                    "export-due",
                    "export-renewals",
                    "export-state",
                    "export-returned-at",
                    "export-received-by",
                    "export-overdue-days",
                ]
                .iter()
                .map(|k| labels(k))
                .collect();
                let mut w = TableWriter::new(format, file, &sheet, &columns)?;
                for l in loans {
                    w.row(&[
                        Cell::Int(l.id),
                        Cell::text(l.item),
                        Cell::text(l.title),
                        Cell::text(l.borrower),
                        Cell::text(l.borrower_code),
                        Cell::text(l.borrower_org),
                        Cell::text(l.purpose),
                        Cell::text(l.lent_by),
                        Cell::text(local(&l.lent_at)),
                        Cell::text(l.due),
                        Cell::Int(l.renewals),
                        Cell::text(labels(l.state.label_key())),
                        opt(l.returned_at.as_deref().map(local)),
                        opt(l.received_by),
                        Cell::Int(l.overdue_days),
                    ])?;
                    if w.rows() % 1000 == 0 {
                        progress(w.rows());
                    }
                }
                let rows = w.rows();
                (rows, w.finish()?)
            }
        };
        file.sync_all().map_err(|e| write_failed(&part_path, e))?;
        drop(file);
        // Audited before the file takes its name: no export without its row. (A library opened
        // read-only still records what left it, as it records confidential views.)
        let after = serde_json::json!({
            "kind": kind.as_str(),
            "file": out.display().to_string(),
            "rows": rows,
            "category": q.category,
            "grade": q.grade.map(|g| g.as_str()),
            "status": q.status.map(|s| s.as_str()),
            "clerk": q.clerk,
            "confidential": confidential,
        })
        .to_string();
        let (user, at) = (self.user.name.clone(), crate::core::now());
        self.lib.write(|tx| {
            record(
                tx,
                &user,
                &at,
                Change {
                    action: "export",
                    entity: "library",
                    entity_id: kind.as_str(),
                    dossier: None,
                    before: None,
                    after: Some(after),
                },
            )
        })?;
        fs::rename(&part_path, out).map_err(|e| write_failed(out, e))?;
        std::mem::forget(part);
        progress(rows);
        let seconds = started.elapsed().as_secs_f64();
        let report = ExportReport {
            file: out.to_path_buf(),
            kind,
            format,
            rows,
            confidential: confidential.len(),
            seconds,
            rows_per_s: if seconds > 0.0 { (rows as f64 / seconds).round() } else { 0.0 },
        };
        Ok(report)
    }
}

#[allow(clippy::too_many_arguments)]
fn export_customers(
    conn: &rusqlite::Connection,
    filter: &store::export::Filter,
    format: Format,
    file: fs::File,
    sheet: &str,
    labels: Labels<'_>,
    confidential: &mut Vec<String>,
    progress: &mut dyn FnMut(u64),
) -> Result<(u64, fs::File)> {
    let custom = store::export::custom_keys(conn)?;
    let paths = store::export::category_paths(conn)?;
    let mut columns: Vec<String> = [
        "export-dossier",
        "export-name",
        "export-id-kind",
        "export-id-number",
        "export-phones",
        "export-address",
        "export-category",
        "export-category-code",
        "export-grade",
        "export-status",
        "export-confidential",
        "export-clerk",
        "export-created",
        "export-closed",
        "export-notes",
    ]
    .iter()
    .map(|k| labels(k))
    .collect();
    columns.extend(custom.iter().cloned());
    let (yes, no) = (labels("export-yes"), labels("export-no"));
    let mut w = TableWriter::new(format, file, sheet, &columns)?;
    let mut cells = Vec::with_capacity(columns.len());
    store::export::for_each_customer(conn, filter, |c| {
        if c.confidential {
            confidential.push(c.dossier.clone());
        }
        let values: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&c.custom).unwrap_or_default();
        cells.clear();
        cells.extend([
            Cell::text(c.dossier),
            Cell::text(c.name),
            opt(c.id_kind.and_then(|k| k.parse::<IdKind>().ok()).map(|k| labels(k.label_key()))),
            opt(c.id_number),
            Cell::text(c.phones),
            Cell::text(c.address),
            Cell::text(paths.get(&c.category_id).cloned().unwrap_or_default()),
            Cell::text(c.category_code),
            Cell::text(c.grade.parse::<Grade>().map(|g| labels(g.label_key())).unwrap_or(c.grade)),
            Cell::text(c.status.parse::<Status>().map(|s| labels(s.label_key())).unwrap_or(c.status)),
            Cell::text(if c.confidential { yes.clone() } else { no.clone() }),
            opt(c.clerk),
            Cell::text(local(&c.created_at)),
            opt(c.closed_at.as_deref().map(local)),
            Cell::text(c.notes),
        ]);
        for k in &custom {
            cells.push(match values.get(k) {
                Some(serde_json::Value::String(s)) => Cell::text(s.clone()),
                Some(serde_json::Value::Number(n)) => Cell::text(n.to_string()),
                Some(serde_json::Value::Bool(b)) => Cell::text(if *b { yes.clone() } else { no.clone() }),
                _ => Cell::Empty,
            });
        }
        w.row(&cells)?;
        if w.rows() % 1000 == 0 {
            progress(w.rows());
        }
        Ok(())
    })?;
    let rows = w.rows();
    Ok((rows, w.finish()?))
}

#[allow(clippy::too_many_arguments)]
fn export_documents(
    conn: &rusqlite::Connection,
    filter: &store::export::Filter,
    format: Format,
    file: fs::File,
    sheet: &str,
    labels: Labels<'_>,
    confidential: &mut Vec<String>,
    progress: &mut dyn FnMut(u64),
) -> Result<(u64, fs::File)> {
    let columns: Vec<String> = [
        "export-dossier",
        "export-name",
        "export-doc-type",
        "export-title",
        "export-date",
        "export-expires",
        "export-pages",
        "export-scanned",
        "export-notes",
        "export-created",
    ]
    .iter()
    .map(|k| labels(k))
    .collect();
    let mut w = TableWriter::new(format, file, sheet, &columns)?;
    store::export::for_each_document(conn, filter, |d| {
        if d.confidential && confidential.last() != Some(&d.dossier) {
            confidential.push(d.dossier.clone());
        }
        w.row(&[
            Cell::text(d.dossier),
            Cell::text(d.name),
            Cell::text(d.doc_type),
            Cell::text(d.title),
            opt(d.date),
            opt(d.expires),
            Cell::Int(d.pages),
            Cell::Int(d.scanned_pages),
            Cell::text(d.notes),
            Cell::text(local(&d.created_at)),
        ])?;
        if w.rows() % 1000 == 0 {
            progress(w.rows());
        }
        Ok(())
    })?;
    let rows = w.rows();
    Ok((rows, w.finish()?))
}
