//! The command line: parse, call `core`, print text or `--json`. Thin by design: every rule
//! lives in `core`. The contract is `shared/cli.md`.

mod admin;
mod backup;
mod customer;
mod labels;
mod library;
mod loans;
mod output;
mod reports;
mod scans;
mod scans_watch;
mod search;
mod storage;
mod transfer;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::core::environment::{self, LibraryLocation};
use crate::core::{Access, Error, Library, Session};
use crate::i18n::{Language, Tr};

pub use output::Output;

#[derive(Debug, Parser)]
#[command(
    name = "dangan",
    version,
    about = "Dangan (档案) — the records room's archive: one dossier per customer",
    long_about = "Dangan (档案) — the records room's archive: one dossier per customer.\n\n\
                  Run without a command to open the desktop app (coming with the GUI). \
                  The acting user comes from --user or DANGAN_USER, the password from \
                  DANGAN_PASSWORD or a prompt.\n\n\
                  Exit status: 0 done; 1 failure; 2 usage error; 3 not found; \
                  4 refused (duplicate, conflict, state); 5 permission denied."
)]
pub struct Cli {
    /// The library folder (default: $DANGAN_LIBRARY, else the user's data folder).
    #[arg(long, global = true, value_name = "DIR")]
    pub library: Option<PathBuf>,
    /// Print one JSON document on stdout; messages go to stderr.
    #[arg(long, global = true)]
    pub json: bool,
    /// Act as this user (default: $DANGAN_USER).
    #[arg(long, global = true, value_name = "NAME", env = "DANGAN_USER", hide_env_values = true)]
    pub user: Option<String>,
    /// The language of messages: zh-CN or en (default: the locale, LC_ALL/LC_MESSAGES/LANG,
    /// else zh-CN).
    #[arg(long, global = true, value_name = "LANG", value_parser = parse_language)]
    pub lang: Option<Language>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The language while the arguments are still being parsed (for clap's value parsers): a
/// `--lang` among the raw arguments, else the locale, else Chinese.
pub(crate) fn early_language() -> Language {
    let args: Vec<String> = std::env::args().collect();
    let given = args.iter().enumerate().find_map(|(i, a)| match a.strip_prefix("--lang") {
        Some("") => args.get(i + 1).cloned(),
        Some(v) => v.strip_prefix('=').map(str::to_string),
        None => None,
    });
    given
        .and_then(|l| Language::from_tag(&l))
        .or_else(|| Language::from_locale(|v| std::env::var(v).ok()))
        .unwrap_or_default()
}

fn parse_language(s: &str) -> Result<Language, String> {
    Language::from_tag(s).ok_or_else(|| format!("{s:?} is not a language we have: use zh-CN or en"))
}

impl Cli {
    /// `--lang`, else the locale's language, else Chinese.
    pub fn language(&self) -> Language {
        self.lang.or_else(|| Language::from_locale(|v| std::env::var(v).ok())).unwrap_or_default()
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create an empty library with its first administrator.
    Init(library::InitArgs),
    /// Create a library filled with realistic synthetic data.
    Demo(library::DemoArgs),
    /// Check the library: database integrity, the audit chain and its heads, every record
    /// against its last audited state, the search index.
    Verify(library::VerifyArgs),
    /// Where the library is and what it holds.
    Info,
    /// Measure speed on synthetic libraries; prints JSON figures.
    Bench(library::BenchArgs),
    /// Find dossiers: names, fragments, pinyin, ID and phone numbers, addresses, titles.
    Search(search::SearchArgs),
    /// Rebuild the search index from the database.
    Reindex,
    /// Back the library up into one file (a tar: database copy, scanned files, manifest)
    /// while it is in use; `backup verify FILE` checks a backup.
    Backup(backup::BackupArgs),
    /// Restore a backup into a new, empty library folder (--library DIR), then verify it.
    Restore(backup::RestoreArgs),
    /// Write customers, documents or loans to a CSV or XLSX file, with the lists' filters.
    Export(transfer::ExportArgs),
    /// Read customers from a CSV or XLSX register (mapping, --dry-run, resumable).
    #[command(subcommand)]
    Import(transfer::ImportCmd),
    /// 统计报表: holdings, completeness, loans per month or department, overdue, workload.
    Report(reports::ReportArgs),
    /// Customers and their dossiers.
    #[command(subcommand)]
    Customer(customer::CustomerCmd),
    /// Documents inside dossiers.
    #[command(subcommand)]
    Doc(customer::DocCmd),
    /// People who use Dangan.
    #[command(subcommand)]
    User(admin::UserCmd),
    /// The audit log (who changed what, when; logins).
    Audit(admin::AuditArgs),
    /// The category tree and each category's required documents.
    #[command(subcommand)]
    Category(admin::CategoryCmd),
    /// Document types.
    #[command(subcommand)]
    Doctype(admin::DoctypeCmd),
    /// Custom fields per category.
    #[command(subcommand)]
    Field(admin::FieldCmd),
    /// The dossier numbering rule.
    #[command(subcommand)]
    Numbering(admin::NumberingCmd),
    /// Storage locations: room › rack › column › section › shelf › position.
    #[command(subcommand)]
    Location(storage::LocationCmd),
    /// Boxes (档案盒): open, shelve, move, seal; box rules and settings.
    #[command(subcommand, name = "box")]
    Box(storage::BoxCmd),
    /// File a dossier's paper folder into a box (装盒).
    File(storage::FileArgs),
    /// Take a dossier's folder out of its box for good.
    Unfile { dossier: String },
    /// What a barcode or number is, where it is now, where it belongs, what it holds.
    Where { code: String },
    /// Shelf inventory (盘点): compare scanned codes with what belongs there.
    Inventory(storage::InventoryArgs),
    /// Printable labels (PDF): box spines and fronts, folders, locations, cover sheets,
    /// contents lists; label stocks and printer calibration.
    #[command(subcommand)]
    Labels(labels::LabelsCmd),
    /// People and outside units who borrow (借阅人).
    #[command(subcommand)]
    Borrower(loans::BorrowerCmd),
    /// The lending desk (借阅): lend, return, renew, lost, lists, requests, the loan policy.
    #[command(subcommand)]
    Loan(loans::LoanCmd),
    /// The holiday calendar due dates are counted on (holidays and make-up working days).
    #[command(subcommand)]
    Calendar(loans::CalendarCmd),
    /// Scanned files: import (routed by cover sheets), the scanner's hot folder, the inbox,
    /// filing by hand, pages, settings.
    #[command(subcommand)]
    Scan(scans::ScanCmd),
}

/// What every verb gets: where the library is, who is asking, how to print.
pub struct Ctx {
    pub location: LibraryLocation,
    pub user: Option<String>,
    pub out: Output,
    /// Messages and labels in the user's language.
    pub tr: Tr,
}

impl Ctx {
    /// Opens the library and logs the acting user in.
    pub fn session(&self, access: Access) -> anyhow::Result<Session> {
        let user =
            self.user.clone().filter(|u| !u.trim().is_empty()).ok_or_else(|| Error::usage("cli-no-user"))?;
        let lib = Library::open(&self.location.path, access)?;
        let password =
            read_password(&self.tr.ta("cli-password-prompt", &[("name", &user)]), "DANGAN_PASSWORD")?;
        Ok(lib.login(&user, &password, "cli")?)
    }
}

/// A password from an environment variable, else from a prompt on the terminal.
pub fn read_password(prompt: &str, var: &str) -> anyhow::Result<String> {
    if let Ok(p) = std::env::var(var) {
        return Ok(p);
    }
    if std::io::stdin().is_terminal() {
        return Ok(rpassword::prompt_password(prompt)?);
    }
    Err(Error::usage("cli-no-password").arg("var", var).into())
}

/// A new password, from the variable or asked twice on the terminal.
pub fn read_new_password(tr: &Tr, who: &str, var: &str) -> anyhow::Result<String> {
    if let Ok(p) = std::env::var(var) {
        return Ok(p);
    }
    if !std::io::stdin().is_terminal() {
        return Err(Error::usage("cli-no-new-password").arg("name", who).arg("var", var).into());
    }
    let first = rpassword::prompt_password(tr.ta("cli-new-password-prompt", &[("name", who)]))?;
    let second = rpassword::prompt_password(tr.t("cli-repeat-password-prompt"))?;
    if first != second {
        return Err(Error::usage("cli-passwords-differ").into());
    }
    Ok(first)
}

/// Runs the command line; returns the process exit status.
pub fn run(cli: Cli) -> ExitCode {
    let ctx = Ctx {
        location: environment::library_location(cli.library.as_deref()),
        user: cli.user.clone(),
        out: Output { json: cli.json },
        tr: Tr::new(cli.language()),
    };
    let result = match cli.command {
        None => library::no_command(&ctx),
        Some(cmd) => dispatch(&ctx, cmd),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let code = exit_code(&e);
            tracing::debug!(error = ?e, "command failed");
            eprintln!("dangan: {}", output::escape_unprintable(&error_text(&ctx.tr, &e)));
            ExitCode::from(code)
        }
    }
}

fn dispatch(ctx: &Ctx, cmd: Command) -> anyhow::Result<()> {
    match cmd {
        Command::Init(a) => library::init(ctx, a),
        Command::Demo(a) => library::demo(ctx, a),
        Command::Verify(a) => library::verify(ctx, a),
        Command::Info => library::info(ctx),
        Command::Bench(a) => library::bench(ctx, a),
        Command::Search(a) => search::search(ctx, a),
        Command::Reindex => search::reindex(ctx),
        Command::Backup(a) => backup::backup(ctx, a),
        Command::Restore(a) => backup::restore(ctx, a),
        Command::Export(a) => transfer::export(ctx, a),
        Command::Import(c) => transfer::import(ctx, c),
        Command::Report(a) => reports::report(ctx, a),
        Command::Customer(c) => customer::run(ctx, c),
        Command::Doc(c) => customer::run_doc(ctx, c),
        Command::User(c) => admin::user(ctx, c),
        Command::Audit(a) => admin::audit(ctx, a),
        Command::Category(c) => admin::category(ctx, c),
        Command::Doctype(c) => admin::doctype(ctx, c),
        Command::Field(c) => admin::field(ctx, c),
        Command::Numbering(c) => admin::numbering(ctx, c),
        Command::Location(c) => storage::location(ctx, c),
        Command::Box(c) => storage::boxes(ctx, c),
        Command::File(a) => storage::file(ctx, a),
        Command::Unfile { dossier } => storage::unfile(ctx, &dossier),
        Command::Where { code } => storage::where_is(ctx, &code),
        Command::Inventory(a) => storage::inventory(ctx, a),
        Command::Labels(c) => labels::run(ctx, c),
        Command::Borrower(c) => loans::borrower(ctx, c),
        Command::Loan(c) => loans::loan(ctx, c),
        Command::Calendar(c) => loans::calendar(ctx, c),
        Command::Scan(c) => scans::run(ctx, c),
    }
}

/// An error as the command line prints it: a core error in the user's language (its `-cli`
/// wording, which may name flags), anything else as it is.
pub fn error_text(tr: &Tr, e: &anyhow::Error) -> String {
    match e.chain().find_map(|c| c.downcast_ref::<Error>()) {
        Some(core) => tr.error_cli(core),
        None => format!("{e:#}"),
    }
}

/// The exit status for an error: the core error's kind, else 1.
pub fn exit_code(e: &anyhow::Error) -> u8 {
    e.chain().find_map(|c| c.downcast_ref::<Error>()).map_or(1, |e| e.kind().exit_code())
}
