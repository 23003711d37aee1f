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
        .ok_or_else(|| Error::invalid(format!("unknown template {}", a.template)))?;
    crate::core::users::check_user_name(&a.admin)?;
    let root = &ctx.location.path;
    // Refuse before asking for a password.
    if Library::is_library(root)? {
        return Err(Error::refused(format!(
            "a library already exists at {}: open it, or choose an empty folder",
            root.display()
        ))
        .into());
    }
    let password = super::read_new_password(&a.admin, "DANGAN_PASSWORD")?;
    crate::core::password::check_strength(&password, &a.admin)?;
    let (_lib, user) = Library::init(root, &a.admin, &password, template)?;
    ctx.out.note(format!(
        "Created a library at {} with administrator {} ({} template).",
        root.display(),
        user.name,
        template.name
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
    let cancel = AtomicBool::new(false);
    let mut customers = ProgressLine::new("generating customers");
    let mut index = ProgressLine::new("building the search index");
    let report = demo::run(&root, &opts, &cancel, |stage, done, total| match stage {
        demo::Stage::Customers => customers.update(done, total),
        demo::Stage::Index => {
            customers.finish();
            index.update(done, total)
        }
    })?;
    drop((customers, index));
    if generated {
        ctx.out.note(format!("The administrator is {} with password {password}", a.admin));
    }
    ctx.out.note(format!(
        "Demo library at {}: {} customers, {} documents; {:.0} rows/s.",
        report.library, report.customers, report.documents, report.rows_per_second
    ));
    let mut json = serde_json::to_value(&report)?;
    if generated {
        json["password"] = password.into();
    }
    ctx.out.emit(&json, || report.library.clone())
}

pub fn verify(ctx: &Ctx) -> anyhow::Result<()> {
    let mut s = ctx.session(Access::Read)?;
    let report = s.verify()?;
    ctx.out.emit(&report, || {
        let mut t = format!(
            "{} customers, {} documents, {} audit rows checked.\n",
            report.customers, report.documents, report.audit_rows
        );
        t.push_str(&format!("Search index: {}.\n", index_state_text(report.search_index)));
        if report.ok {
            t.push_str("OK: the database is intact, the audit chain is unbroken, the index agrees.");
        } else {
            t.push_str(&format!("{} problem(s):\n", report.problems.len()));
            for p in &report.problems {
                t.push_str(&format!("  - {p}\n"));
            }
        }
        t
    })?;
    if report.ok {
        Ok(())
    } else {
        Err(anyhow::anyhow!(
            "verify found {} problem(s); restore from a backup or ask an administrator to investigate",
            report.problems.len()
        ))
    }
}

fn index_state_text(state: IndexState) -> String {
    match state {
        IndexState::Ready => "up to date".into(),
        IndexState::Behind(n) => format!("{n} change(s) waiting to be indexed"),
        IndexState::Missing => "missing; it is rebuilt at the next search (or run `dangan reindex`)".into(),
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
        format!(
            "Library {} ({})\nSchema {}, Dangan {}\nLogged in as {} ({})\n{} users, {} categories, {} document types\nSearch index: {}",
            ctx.location.path.display(),
            ctx.location.source.describe(),
            crate::core::library::schema_version(),
            env!("CARGO_PKG_VERSION"),
            s.user().name,
            s.user().role.label_zh(),
            users.map_or_else(|| "?".to_string(), |n| n.to_string()),
            config.categories.len(),
            config.doc_types.len(),
            index_state_text(index)
        )
    })
}

pub fn bench(ctx: &Ctx, a: BenchArgs) -> anyhow::Result<()> {
    let sizes = if a.customers.is_empty() { vec![100_000, 1_000_000] } else { a.customers };
    let report = crate::bench::run(&sizes, a.seed, a.work_dir.as_deref(), |msg| ctx.out.note(msg))?;
    // Always JSON: the figures are for machines and the README.
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}
