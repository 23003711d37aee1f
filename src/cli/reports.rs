//! `report`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::Ctx;
use super::output::table;
use crate::core::Access;
use crate::core::reports::{Cell, Period, ReportKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Which {
    /// Dossiers by category and registration year, by status (馆藏).
    Holdings,
    /// Per category: complete, missing a required paper, recorded but unscanned (齐全率).
    Completeness,
    /// Loans per month: lent, returned, returned late, average days out.
    Loans,
    /// Loans per borrowing unit or department.
    LoansByDept,
    /// Loans overdue now, by borrower.
    Overdue,
    /// Each user's work per month, from the audit log (who may read the audit log).
    Workload,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    pub which: Which,
    /// From this date (YYYY-MM-DD).
    #[arg(long, conflicts_with = "year")]
    pub from: Option<String>,
    /// To this date, included.
    #[arg(long, conflicts_with = "year")]
    pub to: Option<String>,
    /// A calendar year.
    #[arg(long)]
    pub year: Option<i32>,
    /// Also write it to FILE.csv or FILE.xlsx.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// A cell in the user's words.
fn words(ctx: &Ctx, c: &Cell) -> String {
    match c {
        Cell::Text(t) => match t.strip_prefix("key:") {
            Some(k) => ctx.tr.t(k),
            None => t.clone(),
        },
        other => other.display(),
    }
}

fn json_cell(ctx: &Ctx, c: &Cell) -> serde_json::Value {
    match c {
        Cell::Empty => serde_json::Value::Null,
        Cell::Int(i) => serde_json::json!(i),
        Cell::Float(f) => serde_json::json!(f),
        Cell::Text(_) => serde_json::json!(words(ctx, c)),
    }
}

pub fn report(ctx: &Ctx, a: ReportArgs) -> anyhow::Result<()> {
    let mut s = ctx.session(Access::Read)?;
    let kind = match a.which {
        Which::Holdings => ReportKind::Holdings,
        Which::Completeness => ReportKind::Completeness,
        Which::Loans => ReportKind::Loans,
        Which::LoansByDept => ReportKind::LoansByDept,
        Which::Overdue => ReportKind::Overdue,
        Which::Workload => ReportKind::Workload,
    };
    let period = match a.year {
        Some(y) => Period::year(y),
        None => Period {
            from: a.from.as_deref().map(|d| crate::model::parse_date(d, "label-from")).transpose()?,
            to: a.to.as_deref().map(|d| crate::model::parse_date(d, "label-to")).transpose()?,
        },
    };
    let r = s.report(kind, &period)?;
    let columns: Vec<String> = r.columns.iter().map(|k| ctx.tr.t(k)).collect();
    if let Some(out) = &a.out {
        r.write(out, &|k: &str| ctx.tr.t(k))?;
    }
    let rows: Vec<serde_json::Value> = r
        .rows
        .iter()
        .map(|row| {
            serde_json::Value::Object(
                r.columns.iter().zip(row).map(|(k, c)| (k.to_string(), json_cell(ctx, c))).collect(),
            )
        })
        .collect();
    let totals = r.totals.as_ref().map(|t| {
        serde_json::Value::Object(
            r.columns.iter().zip(t).map(|(k, c)| (k.to_string(), json_cell(ctx, c))).collect(),
        )
    });
    let json = serde_json::json!({
        "report": kind.as_str(),
        "title": ctx.tr.t(&kind.title_key()),
        "from": period.from,
        "to": period.to,
        "columns": r.columns,
        "headers": columns,
        "rows": rows,
        "totals": totals,
        "file": a.out,
    });
    ctx.out.emit(&json, || {
        let mut grid = vec![columns.clone()];
        grid.extend(r.rows.iter().map(|row| row.iter().map(|c| words(ctx, c)).collect()));
        if let Some(t) = &r.totals {
            grid.push(t.iter().map(|c| words(ctx, c)).collect());
        }
        let period_text = match (period.from, period.to) {
            (None, None) => ctx.tr.t("report-period-all"),
            (f, t) => ctx.tr.ta(
                "report-period",
                &[
                    ("from", &f.map(|d| d.to_string()).unwrap_or_else(|| "…".into())),
                    ("to", &t.map(|d| d.to_string()).unwrap_or_else(|| "…".into())),
                ],
            ),
        };
        let mut text = format!("{} · {period_text}\n", ctx.tr.t(&kind.title_key()));
        if r.rows.is_empty() {
            text.push_str(&ctx.tr.t("report-empty"));
        } else {
            text.push_str(&table(&grid));
        }
        text
    })
}
