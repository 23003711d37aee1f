//! 统计报表: holdings by category and year, completeness per category, loans per month and per
//! department, loans overdue now, each clerk's work per month. Each is counted in SQL and comes
//! back as a [`Report`]: a title, columns, rows and totals (message keys for the words, so the
//! CLI and the app show them in the user's language). Aggregates only: no confidential name is
//! in any of them; workload reads the audit log and needs its permission.

use serde::Serialize;

use crate::core::session::Session;
use crate::model::Status;
use crate::model::error::{Error, Result};
use crate::model::permission::Permission;
use crate::store;
pub use crate::tabular::Cell;
use crate::tabular::{Format, TableWriter};

/// Which report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReportKind {
    Holdings,
    Completeness,
    Loans,
    LoansByDept,
    Overdue,
    Workload,
}

impl ReportKind {
    pub const ALL: [ReportKind; 6] = [
        ReportKind::Holdings,
        ReportKind::Completeness,
        ReportKind::Loans,
        ReportKind::LoansByDept,
        ReportKind::Overdue,
        ReportKind::Workload,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReportKind::Holdings => "holdings",
            ReportKind::Completeness => "completeness",
            ReportKind::Loans => "loans",
            ReportKind::LoansByDept => "loans-by-dept",
            ReportKind::Overdue => "overdue",
            ReportKind::Workload => "workload",
        }
    }

    /// The message key of its title.
    pub fn title_key(self) -> String {
        format!("report-{}", self.as_str())
    }
}

/// The period a report covers: local dates, both ends included (`None`: open).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Period {
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
}

impl Period {
    /// A calendar year.
    pub fn year(y: i32) -> Period {
        Period {
            from: chrono::NaiveDate::from_ymd_opt(y, 1, 1),
            to: chrono::NaiveDate::from_ymd_opt(y, 12, 31),
        }
    }

    fn bounds(&self) -> Result<(Option<String>, Option<String>)> {
        if let (Some(f), Some(t)) = (self.from, self.to)
            && t < f
        {
            return Err(Error::usage("period-reversed").arg("from", f).arg("to", t));
        }
        Ok((
            self.from.map(crate::core::loans::day_start),
            self.to.and_then(|d| d.succ_opt()).map(crate::core::loans::day_start),
        ))
    }
}

/// A report: columns and cells in the user's words once the front end turns the keys into
/// words (`columns` are message keys; text cells are data, except where a key is marked by
/// the `key:` prefix).
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub kind: ReportKind,
    pub period: Period,
    pub columns: Vec<&'static str>,
    #[serde(skip)]
    pub rows: Vec<Vec<Cell>>,
    #[serde(skip)]
    pub totals: Option<Vec<Cell>>,
    /// The column a chart draws (bars of its values against the first column), if any.
    pub chart: Option<usize>,
}

/// A cell whose text is a message key (a status, a grade), turned into words by the front end.
pub fn key_cell(key: &str) -> Cell {
    Cell::Text(format!("key:{key}"))
}

fn sum_cols(rows: &[Vec<Cell>], label: Cell, from: usize) -> Vec<Cell> {
    let n = rows.first().map_or(0, Vec::len);
    let mut out = vec![Cell::Empty; n];
    if n > 0 {
        out[0] = label;
    }
    for (i, slot) in out.iter_mut().enumerate().skip(from) {
        // Counts add up; rates, averages and text do not.
        let ints: Vec<i64> = rows
            .iter()
            .filter_map(|r| if let Some(Cell::Int(v)) = r.get(i) { Some(*v) } else { None })
            .collect();
        *slot = if ints.is_empty() || ints.len() < rows.len() {
            Cell::Empty
        } else {
            Cell::Int(ints.iter().sum())
        };
    }
    out
}

impl Session {
    /// One report for a period.
    pub fn report(&mut self, kind: ReportKind, period: &Period) -> Result<Report> {
        self.require(Permission::ReadDossiers)?;
        if kind == ReportKind::Workload {
            self.require(Permission::ReadAudit)?;
        }
        let (from, to) = period.bounds()?;
        let (from, to) = (from.as_deref(), to.as_deref());
        let conn = self.lib.db.conn();
        let total = key_cell("report-total");
        let mut report = Report {
            kind,
            period: period.clone(),
            columns: Vec::new(),
            rows: Vec::new(),
            totals: None,
            chart: None,
        };
        match kind {
            ReportKind::Holdings => {
                let paths = store::export::category_paths(conn)?;
                report.columns = vec![
                    "report-col-category",
                    "report-col-year",
                    Status::Active.label_key(),
                    Status::Potential.label_key(),
                    Status::Closed.label_key(),
                    "report-col-important",
                    "report-col-dossiers",
                ];
                // One row per category and year, its counts by status.
                let mut rows: Vec<(i64, String, [i64; 5])> = Vec::new();
                for (cat, year, status, count, important) in store::reports::holdings(conn, from, to)? {
                    if rows.last().is_none_or(|(c, y, _)| *c != cat || *y != year) {
                        rows.push((cat, year.clone(), [0; 5]));
                    }
                    if let Some((_, _, n)) = rows.last_mut() {
                        match status.parse::<Status>() {
                            Ok(Status::Active) => n[0] += count,
                            Ok(Status::Potential) => n[1] += count,
                            Ok(Status::Closed) => n[2] += count,
                            Err(_) => {}
                        }
                        n[3] += important;
                        n[4] += count;
                    }
                }
                rows.sort_by(|a, b| paths.get(&a.0).cmp(&paths.get(&b.0)).then(a.1.cmp(&b.1)));
                report.rows = rows
                    .into_iter()
                    .map(|(cat, year, n)| {
                        let mut r =
                            vec![Cell::text(paths.get(&cat).cloned().unwrap_or_default()), Cell::text(year)];
                        r.extend(n.iter().map(|v| Cell::Int(*v)));
                        r
                    })
                    .collect();
                report.totals = Some(sum_cols(&report.rows, total, 2));
                report.chart = Some(6);
            }
            ReportKind::Completeness => {
                report.columns = vec![
                    "report-col-category",
                    "report-col-dossiers",
                    "report-col-complete",
                    "report-col-incomplete",
                    "report-col-unscanned",
                    "report-col-complete-pct",
                    "report-col-most-missing",
                ];
                for c in store::config::categories(conn)? {
                    let required = store::config::required_doc_types(conn, c.id)?;
                    let ids: Vec<i64> = required.iter().map(|d| d.id).collect();
                    let (all, complete, unscanned) = store::reports::completeness(conn, c.id, &ids)?;
                    if all == 0 {
                        continue;
                    }
                    let mut worst: Option<(String, i64)> = None;
                    for d in &required {
                        let n = store::reports::missing_type(conn, c.id, d.id)?;
                        if n > 0 && worst.as_ref().is_none_or(|(_, w)| n > *w) {
                            worst = Some((d.name.clone(), n));
                        }
                    }
                    report.rows.push(vec![
                        Cell::text(c.path.clone()),
                        Cell::Int(all),
                        Cell::Int(complete),
                        Cell::Int(all - complete),
                        Cell::Int(unscanned),
                        Cell::Float((complete as f64 * 1000.0 / all as f64).round() / 10.0),
                        worst.map(|(n, k)| Cell::text(format!("{n} ({k})"))).unwrap_or(Cell::Empty),
                    ]);
                }
                let mut t = sum_cols(&report.rows, total, 1);
                if let (Some(Cell::Int(all)), Some(Cell::Int(complete))) =
                    (t.get(1).cloned(), t.get(2).cloned())
                    && all > 0
                    && let Some(slot) = t.get_mut(5)
                {
                    *slot = Cell::Float((complete as f64 * 1000.0 / all as f64).round() / 10.0);
                }
                report.totals = Some(t);
                report.chart = Some(5);
            }
            ReportKind::Loans | ReportKind::LoansByDept => {
                let by_org = kind == ReportKind::LoansByDept;
                report.columns = vec![
                    if by_org { "report-col-org" } else { "report-col-month" },
                    "report-col-lent",
                    "report-col-returned",
                    "report-col-returned-late",
                    "report-col-avg-days",
                    "report-col-out-now",
                ];
                let now = crate::core::now();
                for (g, lent, returned, late, avg, out) in
                    store::reports::loans(conn, by_org, from, to, &now)?
                {
                    report.rows.push(vec![
                        Cell::text(g),
                        Cell::Int(lent),
                        Cell::Int(returned),
                        Cell::Int(late),
                        Cell::Float((avg * 10.0).round() / 10.0),
                        Cell::Int(out),
                    ]);
                }
                report.totals = Some(sum_cols(&report.rows, total, 1));
                report.chart = Some(1);
            }
            ReportKind::Overdue => {
                report.columns = vec![
                    "report-col-borrower",
                    "report-col-card",
                    "report-col-org",
                    "report-col-items",
                    "report-col-days-over",
                ];
                let today = crate::core::today().to_string();
                for (name, card, org, items, days) in store::reports::overdue(conn, &today)? {
                    report.rows.push(vec![
                        Cell::text(name),
                        Cell::text(card),
                        Cell::text(org),
                        Cell::Int(items),
                        Cell::Int(days),
                    ]);
                }
                let mut t = sum_cols(&report.rows, total, 3);
                if let Some(slot) = t.get_mut(4) {
                    *slot = Cell::Empty;
                }
                report.totals = Some(t);
                report.chart = Some(3);
            }
            ReportKind::Workload => {
                report.columns = vec![
                    "report-col-user",
                    "report-col-month",
                    "report-col-registered",
                    "report-col-documents",
                    "report-col-pages",
                    "report-col-lent",
                    "report-col-returned",
                ];
                for (user, month, reg, docs, pages, lent, back) in store::reports::workload(conn, from, to)? {
                    report.rows.push(vec![
                        Cell::text(user),
                        Cell::text(month),
                        Cell::Int(reg),
                        Cell::Int(docs),
                        Cell::Int(pages),
                        Cell::Int(lent),
                        Cell::Int(back),
                    ]);
                }
                report.totals = Some(sum_cols(&report.rows, total, 2));
                report.chart = Some(2);
            }
        }
        Ok(report)
    }
}

impl Report {
    /// Writes the report (rows and totals) to a CSV or XLSX file by its extension, under a
    /// temporary name renamed when whole. `words` turns a message key into the user's words.
    pub fn write(&self, out: &std::path::Path, words: &dyn Fn(&str) -> String) -> Result<()> {
        let format = Format::from_path(out)?;
        let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let tmp = out.with_file_name(format!(".{name}.{}.part", std::process::id()));
        let io = |e: std::io::Error| {
            Error::io(crate::model::error::Message::new("table-write-failed").arg("path", out.display()), e)
        };
        let columns: Vec<String> = self.columns.iter().map(|k| words(k)).collect();
        let result = (|| {
            let file = std::fs::File::create(&tmp).map_err(io)?;
            let mut w = TableWriter::new(format, file, &words(&self.kind.title_key()), &columns)?;
            let plain = |row: &[Cell]| -> Vec<Cell> {
                row.iter()
                    .map(|c| match c {
                        Cell::Text(t) => match t.strip_prefix("key:") {
                            Some(k) => Cell::text(words(k)),
                            None => c.clone(),
                        },
                        other => other.clone(),
                    })
                    .collect()
            };
            for row in &self.rows {
                w.row(&plain(row))?;
            }
            if let Some(t) = &self.totals {
                w.row(&plain(t))?;
            }
            let file = w.finish()?;
            file.sync_all().map_err(io)?;
            drop(file);
            std::fs::rename(&tmp, out).map_err(io)
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result
    }
}
