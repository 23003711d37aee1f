//! `export`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::Ctx;
use super::customer::parse;
use super::output::ProgressLine;
use crate::core::Access;
use crate::core::loans::LoanQuery;
use crate::core::transfer::{ExportKind, ExportQuery};
use crate::model::{Grade, Status};

/// What `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum What {
    /// One row per customer (dossier), with its custom fields.
    Customers,
    /// One row per document, with its dossier.
    Documents,
    /// One row per loan (out now unless --all or a period is given).
    Loans,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    pub what: What,
    /// The file: .csv (UTF-8 with a BOM, opens in Excel) or .xlsx.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Customers/documents: only this category (code or name) and those below it.
    #[arg(long)]
    pub category: Option<String>,
    #[arg(long, value_parser = parse::<Grade>)]
    pub grade: Option<Grade>,
    #[arg(long, value_parser = parse::<Status>)]
    pub status: Option<Status>,
    /// Customers/documents: only those this clerk registered.
    #[arg(long)]
    pub clerk: Option<String>,
    /// Loans: every loan, returned ones too.
    #[arg(long)]
    pub all: bool,
    /// Loans: only those overdue today.
    #[arg(long)]
    pub overdue: bool,
    /// Loans: one borrower's (card number, badge or unique name).
    #[arg(long)]
    pub borrower: Option<String>,
    /// Loans: lent on or after this date (YYYY-MM-DD).
    #[arg(long)]
    pub from: Option<String>,
    /// Loans: lent on or before this date.
    #[arg(long)]
    pub to: Option<String>,
}

pub fn export(ctx: &Ctx, a: ExportArgs) -> anyhow::Result<()> {
    let mut s = ctx.session(Access::Read)?;
    let kind = match a.what {
        What::Customers => ExportKind::Customers,
        What::Documents => ExportKind::Documents,
        What::Loans => ExportKind::Loans,
    };
    let q = ExportQuery {
        category: a.category,
        grade: a.grade,
        status: a.status,
        clerk: a.clerk,
        dossiers: Vec::new(),
        loans: LoanQuery {
            all: a.all,
            overdue: a.overdue,
            borrower: a.borrower,
            from: a.from,
            to: a.to,
            ..LoanQuery::default()
        },
    };
    let mut line = ProgressLine::new(ctx.tr.t("cli-export-progress"));
    let labels = |k: &str| ctx.tr.t(k);
    let report = s.export(kind, &q, &a.out, &labels, &mut |rows| line.update(rows, rows.max(1)))?;
    line.finish();
    ctx.out.emit(&report, || {
        ctx.tr.ta(
            "cli-exported",
            &[
                ("rows", &report.rows.to_string()),
                ("file", &report.file.display().to_string()),
                ("seconds", &format!("{:.1}", report.seconds)),
            ],
        )
    })
}
