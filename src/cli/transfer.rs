//! `export` and `import`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::Ctx;
use super::customer::parse;
use super::output::ProgressLine;
use crate::core::Access;
use crate::core::loans::LoanQuery;
use crate::core::transfer::import::Field;
use crate::core::transfer::{ExportKind, ExportQuery, ImportOptions};
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

#[derive(Debug, clap::Subcommand)]
pub enum ImportCmd {
    /// Customers from a CSV (UTF-8, GBK/GB18030) or XLSX register: each row checked like
    /// `customer add`, nothing half-imported, resumable after a kill.
    Customers(ImportArgs),
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    pub file: PathBuf,
    /// Check every row and report; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// The CSV's encoding: auto (UTF-8, else GB18030), utf-8, gbk, gb18030.
    #[arg(long, default_value = "auto")]
    pub encoding: String,
    /// An XLSX sheet by name (default: the first).
    #[arg(long)]
    pub sheet: Option<String>,
    /// Take a column as a field: "COLUMN=FIELD" (FIELD `-` ignores it); repeatable.
    #[arg(long, value_name = "COLUMN=FIELD")]
    pub map: Vec<String>,
    /// Import the good rows; write the others, with why, to FILE.rejected.csv.
    #[arg(long)]
    pub skip_invalid: bool,
    /// Leave out rows that look like duplicates (of the library or of an earlier row).
    #[arg(long)]
    pub skip_duplicates: bool,
    /// As `customer add --force`: the same name and phone is not taken as a duplicate.
    #[arg(long)]
    pub force: bool,
    /// Rows per transaction.
    #[arg(long, default_value_t = 1000)]
    pub batch: usize,
}

pub fn import(ctx: &Ctx, cmd: ImportCmd) -> anyhow::Result<()> {
    let ImportCmd::Customers(a) = cmd;
    let mut s = ctx.session(Access::Write)?;
    let mut map = Vec::new();
    for m in &a.map {
        let Some((c, f)) = m.split_once('=') else {
            return Err(crate::core::Error::usage("import-map-no-field").arg("field", m).into());
        };
        map.push((c.trim().to_string(), f.trim().to_string()));
    }
    let o = ImportOptions {
        encoding: a.encoding.parse()?,
        sheet: a.sheet,
        map,
        dry_run: a.dry_run,
        skip_invalid: a.skip_invalid,
        skip_duplicates: a.skip_duplicates,
        force: a.force,
        batch: a.batch,
    };
    let mut line = ProgressLine::new(ctx.tr.t("cli-import-progress"));
    let render = |m: &crate::model::error::Message| ctx.tr.message(m, true);
    let r = s.import_customers(&a.file, &o, &render, &mut |d, t| {
        if !o.dry_run {
            line.update(d, t)
        }
    })?;
    line.finish();
    let problems: Vec<serde_json::Value> = r
        .problems
        .iter()
        .map(|p| {
            serde_json::json!({
                "line": p.line,
                "column": p.column,
                "duplicate": p.duplicate,
                "message": ctx.tr.message(&p.message, true),
            })
        })
        .collect();
    let mut json = serde_json::to_value(&r)?;
    json["problems"] = serde_json::json!(problems);
    ctx.out.emit(&json, || {
        let mut t = ctx.tr.t("cli-import-mapping");
        for c in &r.mapping {
            t.push_str("\n  ");
            t.push_str(&match &c.field {
                Some(f) => ctx
                    .tr
                    .ta("cli-import-map-line", &[("column", &c.column), ("field", &field_label(ctx, f))]),
                None => ctx.tr.ta("cli-import-map-ignored", &[("column", &c.column)]),
            });
        }
        t.push('\n');
        t.push_str(&ctx.tr.ta("cli-import-encoding", &[("encoding", r.encoding)]));
        if let Some(n) = r.resumed_after {
            t.push('\n');
            t.push_str(&ctx.tr.ta("cli-import-resumed", &[("rows", &n.to_string())]));
        }
        t.push('\n');
        t.push_str(&ctx.tr.ta(
            "cli-import-checked",
            &[
                ("rows", &r.rows.to_string()),
                ("valid", &r.valid.to_string()),
                ("invalid", &r.invalid.to_string()),
                ("duplicates", &r.duplicates.to_string()),
            ],
        ));
        for p in r.problems.iter().take(50) {
            t.push_str("\n  ");
            let line = p.line.to_string();
            let message = ctx.tr.message(&p.message, true);
            t.push_str(&if p.column.is_empty() {
                ctx.tr.ta("cli-import-problem-row", &[("line", &line), ("message", &message)])
            } else {
                ctx.tr.ta(
                    "cli-import-problem",
                    &[("line", &line), ("column", &p.column), ("message", &message)],
                )
            });
        }
        if r.problems.len() > 50 {
            t.push_str("\n  ");
            t.push_str(&ctx.tr.ta("cli-import-more", &[("count", &(r.problems.len() - 50).to_string())]));
        }
        t.push('\n');
        if r.dry_run {
            t.push_str(&ctx.tr.t("cli-import-dry-run"));
        } else if !r.refused {
            t.push_str(&ctx.tr.ta(
                "cli-import-done",
                &[
                    ("imported", &r.imported.to_string()),
                    ("skipped", &r.skipped.to_string()),
                    ("seconds", &format!("{:.1}", r.seconds)),
                    ("rate", &format!("{:.0}", r.rows_per_s)),
                ],
            ));
            if let Some(f) = &r.rejected_file {
                t.push('\n');
                t.push_str(&ctx.tr.ta("cli-import-rejected", &[("file", &f.display().to_string())]));
            }
        }
        t
    })?;
    let wrong = r.invalid + if o.skip_duplicates { 0 } else { r.duplicates };
    if r.refused || (r.dry_run && wrong > 0) {
        return Err(crate::core::Error::usage("cli-import-refused").arg("count", wrong).into());
    }
    Ok(())
}

fn field_label(ctx: &Ctx, f: &Field) -> String {
    match f {
        Field::Custom(k) => ctx.tr.ta("import-field-custom", &[("key", k)]),
        other => {
            let code = serde_json::to_value(other)
                .ok()
                .and_then(|v| v["field"].as_str().map(str::to_string))
                .unwrap_or_default();
            ctx.tr.t(&format!("import-field-{code}"))
        }
    }
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
