//! Library verbs: init, demo, verify, info, bench, and what a bare `dangan` does.

use std::sync::atomic::AtomicBool;

use clap::Args;

use super::Ctx;
use super::output::ProgressLine;
use crate::core::index::IndexState;
use crate::core::{Access, Error, Library, templates};
use crate::demo::{self, DemoOptions};

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Login name of the first administrator (password from DANGAN_PASSWORD or a prompt).
    #[arg(long, default_value = "admin")]
    pub admin: String,
    /// Starting configuration: general (any business) or utility (a power utility).
    #[arg(long, default_value = "general", value_parser = ["general", "utility"])]
    pub template: String,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// How many customers (each with a dossier, phones and papers).
    #[arg(long, default_value_t = 1000)]
    pub customers: u64,
    /// The same seed makes the same library.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Login name of the demo's administrator.
    #[arg(long, default_value = "admin")]
    pub admin: String,
    /// Customers written per transaction.
    #[arg(long, default_value_t = 5000, hide = true)]
    pub batch: usize,
    /// Start again in a folder where an earlier demo was stopped before it finished.
    #[arg(long, conflicts_with = "finish")]
    pub restart: bool,
    /// Finish a demo that was stopped before it finished (same customers, same seed).
    #[arg(long)]
    pub finish: bool,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Only what changed since the last full check that found nothing, plus a sample.
    #[arg(long)]
    pub quick: bool,
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Library sizes to measure (repeatable); default 100000 and 1000000.
    #[arg(long = "customers")]
    pub customers: Vec<u64>,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Build the synthetic libraries here (default: a temporary folder, removed after).
    #[arg(long, value_name = "DIR")]
    pub work_dir: Option<std::path::PathBuf>,
    /// Grow each library with synthetic past loans up to this many loan rows before measuring
    /// the lending desk (e.g. 10000000).
    #[arg(long, value_name = "ROWS")]
    pub loans: Option<u64>,
    /// Measure only this part (the demo is built either way).
    #[arg(long, value_enum)]
    pub only: Option<BenchPart>,
}

/// A part of the benchmark measured alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BenchPart {
    /// The lending desk: lend, return, renew, the overdue list, the desk's counts.
    Loans,
    /// Scanning: imports (pages/s) of TIFF, JPEG and PDF batches with cover sheets, verify
    /// MiB/s, thumbnails, OCR, the not-yet-scanned list.
    Scans,
    /// Backup and restore: a full and an incremental backup, `backup verify`, `restore` (MB/s).
    Backup,
    /// Import and export: customers to CSV/XLSX and back into an empty library (rows/s).
    Transfer,
}

pub fn no_command(ctx: &Ctx) -> anyhow::Result<()> {
    eprintln!(
        "Dangan (档案) {} — the desktop app arrives with the GUI; until then use the commands below.\n\
         Library: {} ({}).\n",
        env!("CARGO_PKG_VERSION"),
        ctx.location.path.display(),
        ctx.location.source.describe()
    );
    let mut cmd = <super::Cli as clap::CommandFactory>::command();
    cmd.print_help()?;
    Ok(())
}

pub fn init(ctx: &Ctx, a: InitArgs) -> anyhow::Result<()> {
    let template = templates::by_name(&a.template)
        .ok_or_else(|| Error::usage("template-unknown").arg("name", &a.template))?;
    crate::core::users::check_user_name(&a.admin)?;
    let root = &ctx.location.path;
    // Refuse before asking for a password.
    if Library::is_library(root)? {
        return Err(Error::conflict("library-exists").arg("path", root.display()).into());
    }
    let password = super::read_new_password(&ctx.tr, &a.admin, "DANGAN_PASSWORD")?;
    crate::core::password::check_strength(&password, &a.admin)?;
    let (_lib, user) = Library::init(root, &a.admin, &password, template)?;
    ctx.out.note(ctx.tr.ta(
        "cli-library-created",
        &[("path", &root.display().to_string()), ("admin", &user.name), ("template", template.name)],
    ));
    ctx.out
        .emit(&serde_json::json!({ "library": root, "admin": user.name, "template": template.name }), || {
            root.display().to_string()
        })
}

pub fn demo(ctx: &Ctx, a: DemoArgs) -> anyhow::Result<()> {
    let (password, generated) = match std::env::var("DANGAN_PASSWORD") {
        Ok(p) => (p, false),
        Err(_) => (demo::generated_password(), true),
    };
    let opts = DemoOptions {
        customers: a.customers,
        seed: a.seed,
        admin: a.admin.clone(),
        password: password.clone(),
        batch: a.batch,
    };
    let root = ctx.location.path.clone();
    if a.restart {
        demo::clear_unfinished(&root)?;
    }
    let cancel = AtomicBool::new(false);
    let mut customers = ProgressLine::new(ctx.tr.t("cli-progress-customers"));
    let mut storage = ProgressLine::new(ctx.tr.t("cli-progress-storage"));
    let mut lending = ProgressLine::new(ctx.tr.t("cli-progress-loans"));
    let mut scanning = ProgressLine::new(ctx.tr.t("cli-progress-scans"));
    let mut index = ProgressLine::new(ctx.tr.t("cli-progress-index"));
    let progress = |stage, done, total| match stage {
        demo::Stage::Customers => customers.update(done, total),
        demo::Stage::Storage => {
            customers.finish();
            storage.update(done, total)
        }
        demo::Stage::Loans => {
            customers.finish();
            storage.finish();
            lending.update(done, total)
        }
        demo::Stage::Scans => {
            customers.finish();
            storage.finish();
            lending.finish();
            scanning.update(done, total)
        }
        demo::Stage::Index => {
            customers.finish();
            storage.finish();
            lending.finish();
            scanning.finish();
            index.update(done, total)
        }
    };
    let report = if a.finish {
        // The demo's users keep the password they were given when it started.
        demo::finish(&root, &cancel, progress)?
    } else {
        demo::run(&root, &opts, &cancel, progress)?
    };
    drop((customers, storage, lending, scanning, index));
    let generated = generated && !a.finish;
    if generated {
        ctx.out.note(ctx.tr.ta("cli-demo-password", &[("name", &a.admin), ("password", &password)]));
    }
    ctx.out.note(ctx.tr.ta(
        "cli-demo-done",
        &[
            ("path", &report.library),
            ("customers", &report.customers.to_string()),
            ("documents", &report.documents.to_string()),
            ("rate", &format!("{:.0}", report.rows_per_second)),
        ],
    ));
    ctx.out.note(ctx.tr.ta(
        "cli-demo-storage",
        &[
            ("locations", &report.locations.to_string()),
            ("boxes", &report.boxes.to_string()),
            ("filed", &report.filed.to_string()),
            ("movements", &report.movements.to_string()),
            ("rate", &format!("{:.0}", report.filed_per_second)),
        ],
    ));
    ctx.out.note(ctx.tr.ta(
        "cli-demo-loans",
        &[
            ("borrowers", &report.borrowers.to_string()),
            ("loans", &report.loans.to_string()),
            ("out", &report.loans_out.to_string()),
            ("overdue", &report.loans_overdue.to_string()),
            ("lost", &report.loans_lost.to_string()),
            ("requests", &report.loan_requests.to_string()),
        ],
    ));
    ctx.out.note(ctx.tr.ta(
        "cli-demo-scans",
        &[
            ("pages", &report.scanned_pages.to_string()),
            ("files", &report.scan_files.to_string()),
            ("mib", &format!("{:.1}", report.scan_bytes as f64 / 1_048_576.0)),
            ("inbox", &report.inbox_pages.to_string()),
            ("unscanned", &report.unscanned_dossiers.to_string()),
            ("seconds", &format!("{:.1}", report.scans_seconds)),
        ],
    ));
    let mut json = serde_json::to_value(&report)?;
    if generated {
        json["password"] = password.into();
    }
    ctx.out.emit(&json, || report.library.clone())
}

/// The most problems printed one per line; the rest are counted.
const PROBLEMS_SHOWN: usize = 50;

pub fn verify(ctx: &Ctx, a: VerifyArgs) -> anyhow::Result<()> {
    let mut s = ctx.session(Access::Read)?;
    let report = if a.quick { s.verify_quick()? } else { s.verify()? };
    // One line per problem, in the user's language (`emit` escapes what is unprintable).
    let problems: Vec<String> = report.problems.iter().map(|p| ctx.tr.message(p, true)).collect();
    let mut json = serde_json::to_value(&report)?;
    json["problems"] = serde_json::json!(problems);
    ctx.out.emit(&json, || {
        let mut t = String::new();
        if report.quick {
            t.push_str(&match report.quick_from {
                Some(seq) => ctx.tr.ta(
                    "cli-verify-quick",
                    &[("seq", &seq.to_string()), ("records", &report.records_checked.to_string())],
                ),
                None => {
                    ctx.tr.ta("cli-verify-quick-first", &[("records", &report.records_checked.to_string())])
                }
            });
            t.push('\n');
        }
        t.push_str(&ctx.tr.ta(
            "cli-verify-checked",
            &[
                ("customers", &report.customers.to_string()),
                ("documents", &report.documents.to_string()),
                ("rows", &report.audit_rows.to_string()),
            ],
        ));
        t.push('\n');
        let f = &report.files;
        if f.recovered + f.staged_removed > 0 {
            t.push_str(&ctx.tr.ta(
                "cli-verify-files-recovered",
                &[("moved", &f.recovered.to_string()), ("removed", &f.staged_removed.to_string())],
            ));
            t.push('\n');
        }
        t.push_str(&ctx.tr.ta(
            "cli-verify-files",
            &[
                ("checked", &f.checked.to_string()),
                ("stored", &f.stored.to_string()),
                ("mb", &format!("{:.1}", f.bytes_checked as f64 / 1_048_576.0)),
                ("rate", &format!("{:.1}", f.mb_per_s)),
            ],
        ));
        t.push('\n');
        if report.quick {
            t.push_str(&ctx.tr.ta(
                "cli-verify-files-quick",
                &[("sample", &crate::core::verify::QUICK_FILE_SAMPLE.to_string())],
            ));
            t.push('\n');
        }
        let index = index_state_text(&ctx.tr, report.search_index);
        t.push_str(&ctx.tr.ta("cli-search-index", &[("state", &index)]));
        t.push('\n');
        if report.ok {
            t.push_str(&ctx.tr.t("cli-verify-ok"));
        } else {
            t.push_str(&ctx.tr.ta("cli-verify-problems", &[("count", &problems.len().to_string())]));
            t.push('\n');
            for p in problems.iter().take(PROBLEMS_SHOWN) {
                t.push_str(&format!("  - {p}\n"));
            }
            if problems.len() > PROBLEMS_SHOWN {
                t.push_str(
                    &ctx.tr
                        .ta("cli-verify-more", &[("count", &(problems.len() - PROBLEMS_SHOWN).to_string())]),
                );
                t.push('\n');
            }
        }
        t
    })?;
    if report.ok {
        Ok(())
    } else {
        Err(anyhow::anyhow!(ctx.tr.ta("cli-verify-failed", &[("count", &report.problems.len().to_string())])))
    }
}

fn index_state_text(tr: &crate::i18n::Tr, state: IndexState) -> String {
    match state {
        IndexState::Ready => tr.t("cli-index-ready"),
        IndexState::Behind(n) => tr.ta("cli-index-behind", &[("count", &n.to_string())]),
        IndexState::Missing => tr.t("cli-index-missing"),
    }
}

pub fn info(ctx: &Ctx) -> anyhow::Result<()> {
    let mut s = ctx.session(Access::Read)?;
    let index = s.index_state()?;
    let config = s.configuration()?;
    // How many users there are is for those who manage them.
    let users =
        if s.may(crate::model::permission::Permission::ManageUsers) { Some(s.users()?.len()) } else { None };
    let report = serde_json::json!({
        "library": ctx.location.path,
        "location_source": ctx.location.source.describe(),
        "user": s.user(),
        "users": users,
        "categories": config.categories.len(),
        "doc_types": config.doc_types.len(),
        "numbering": config.numbering,
        "schema": crate::core::library::schema_version(),
        "version": env!("CARGO_PKG_VERSION"),
        "search_index": index,
    });
    ctx.out.emit(&report, || {
        ctx.tr.ta(
            "cli-info",
            &[
                ("path", &ctx.location.path.display().to_string()),
                ("source", ctx.location.source.describe()),
                ("schema", &crate::core::library::schema_version().to_string()),
                ("version", env!("CARGO_PKG_VERSION")),
                ("user", &s.user().name),
                ("role", &ctx.tr.t(s.user().role.label_key())),
                ("users", &users.map_or_else(|| "?".to_string(), |n| n.to_string())),
                ("categories", &config.categories.len().to_string()),
                ("doc-types", &config.doc_types.len().to_string()),
                ("index", &index_state_text(&ctx.tr, index)),
            ],
        )
    })
}

pub fn bench(ctx: &Ctx, a: BenchArgs) -> anyhow::Result<()> {
    let sizes = if a.customers.is_empty() { vec![100_000, 1_000_000] } else { a.customers };
    let opts = crate::bench::BenchOptions {
        loans: a.loans,
        only_loans: a.only == Some(BenchPart::Loans),
        only_scans: a.only == Some(BenchPart::Scans),
        only_backup: a.only == Some(BenchPart::Backup),
        only_transfer: a.only == Some(BenchPart::Transfer),
    };
    let report = crate::bench::run(&sizes, a.seed, a.work_dir.as_deref(), &opts, |msg| ctx.out.note(msg))?;
    // Always JSON: the figures are for machines and the README.
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}
