//! `dangan`: argument parsing, logging, then the desktop app (no verb) or the CLI.

use std::process::ExitCode;
use std::sync::Mutex;

use clap::Parser;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::writer::MakeWriterExt;

use dangan::cli::{Cli, run};
use dangan::core::environment::library_location;
use dangan::logfile::RotatingLog;

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(&cli);
    if cli.command.is_none() {
        return match dangan::gui::run(cli.library) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                tracing::error!(error = %e, "the app stopped");
                eprintln!("dangan: {e:#}");
                ExitCode::FAILURE
            }
        };
    }
    run(cli)
}

/// Logs go to stderr (warnings and up, or `RUST_LOG`) and, when the library has a `logs/`
/// folder, to `logs/dangan.log` (capped and rotated): Dangan's own at info level, other
/// libraries' (the window system's, the renderer's) only from warnings up. A GUI user has no
/// terminal.
fn init_logging(cli: &Cli) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn,dangan=info"));
    let stderr_level =
        if std::env::var_os("RUST_LOG").is_some() { tracing::Level::TRACE } else { tracing::Level::WARN };
    let logs = library_location(cli.library.as_deref()).path.join("logs");
    let file = logs
        .is_dir()
        .then(|| RotatingLog::open(&logs.join("dangan.log"), dangan::logfile::MAX_BYTES).ok())
        .flatten();
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_ansi(false);
    match file {
        Some(f) => {
            builder.with_writer(std::io::stderr.with_max_level(stderr_level).and(Mutex::new(f))).init()
        }
        None => builder.with_writer(std::io::stderr.with_max_level(stderr_level)).init(),
    }
}
