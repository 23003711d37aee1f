//! Import and export through the CLI process, as a clerk or a script runs them: the bench
//! library's customers exported to CSV and XLSX (rows/s), then each file imported into a new
//! empty library with the duplicate guard on (rows/s).

use std::path::Path;
use std::time::Instant;

use serde::Serialize;

use super::{PASSWORD, ms};
use crate::model::error::{Error, Message, Result};

#[derive(Debug, Serialize)]
pub struct TransferBench {
    pub customers: u64,
    pub export_csv_ms: f64,
    pub export_csv_rows_per_s: f64,
    pub export_xlsx_ms: f64,
    pub export_xlsx_rows_per_s: f64,
    pub export_documents_csv_ms: f64,
    /// Rows imported (the export's rows, into an empty library).
    pub import_rows: u64,
    pub import_csv_ms: f64,
    pub import_csv_rows_per_s: f64,
    pub import_xlsx_ms: f64,
    pub import_xlsx_rows_per_s: f64,
    /// A dry run of the CSV (every row checked, nothing written).
    pub import_dry_run_ms: f64,
}

fn cli(root: &Path, args: &[&str]) -> Result<(f64, serde_json::Value)> {
    let exe = std::env::current_exe().map_err(|e| Error::io("io-bench-cli", e))?;
    let t = Instant::now();
    let out = std::process::Command::new(exe)
        .arg("--library")
        .arg(root)
        .args(["--user", "admin", "--json"])
        .args(args)
        .env("DANGAN_PASSWORD", PASSWORD)
        .output()
        .map_err(|e| Error::io("io-bench-cli", e))?;
    let elapsed = ms(t.elapsed());
    if !out.status.success() {
        return Err(Error::Failed(Message::untranslated(format!(
            "bench: dangan {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        ))));
    }
    Ok((elapsed, serde_json::from_slice(&out.stdout).unwrap_or_default()))
}

fn per_s(rows: u64, ms: f64) -> f64 {
    if ms <= 0.0 { 0.0 } else { (rows as f64 / (ms / 1e3)).round() }
}

pub fn measure(root: &Path, customers: u64, note: &impl Fn(String)) -> Result<TransferBench> {
    let dir = root.with_file_name(format!(
        "{}-transfer",
        root.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| Error::io("io-bench-clear", e))?;
    let result = (|| {
        note("bench: export through the CLI".into());
        let csv = dir.join("customers.csv");
        let xlsx = dir.join("customers.xlsx");
        let (export_csv_ms, r) = cli(root, &["export", "customers", "--out", &csv.to_string_lossy()])?;
        let rows = r["rows"].as_u64().unwrap_or(0);
        let (export_xlsx_ms, _) = cli(root, &["export", "customers", "--out", &xlsx.to_string_lossy()])?;
        let docs = dir.join("documents.csv");
        let (export_documents_csv_ms, _) =
            cli(root, &["export", "documents", "--out", &docs.to_string_lossy()])?;
        let import = |file: &Path, name: &str, dry: bool| -> Result<(f64, u64)> {
            let target = dir.join(name);
            let exe = std::env::current_exe().map_err(|e| Error::io("io-bench-cli", e))?;
            let made = std::process::Command::new(exe)
                .arg("--library")
                .arg(&target)
                .args(["init", "--admin", "admin", "--template", "utility"])
                .env("DANGAN_PASSWORD", PASSWORD)
                .output()
                .map_err(|e| Error::io("io-bench-cli", e))?;
            if !made.status.success() {
                return Err(Error::Failed(Message::untranslated("bench: init failed")));
            }
            let mut args = vec!["import", "customers"];
            let f = file.to_string_lossy().into_owned();
            args.push(&f);
            if dry {
                args.push("--dry-run");
            }
            let (t, r) = cli(&target, &args)?;
            let _ = std::fs::remove_dir_all(&target);
            Ok((t, r["imported"].as_u64().unwrap_or(0)))
        };
        note("bench: import through the CLI".into());
        let (import_dry_run_ms, _) = import(&csv, "dry", true)?;
        let (import_csv_ms, import_rows) = import(&csv, "from-csv", false)?;
        let (import_xlsx_ms, _) = import(&xlsx, "from-xlsx", false)?;
        Ok(TransferBench {
            customers,
            export_csv_ms,
            export_csv_rows_per_s: per_s(rows, export_csv_ms),
            export_xlsx_ms,
            export_xlsx_rows_per_s: per_s(rows, export_xlsx_ms),
            export_documents_csv_ms,
            import_rows,
            import_csv_ms,
            import_csv_rows_per_s: per_s(import_rows, import_csv_ms),
            import_xlsx_ms,
            import_xlsx_rows_per_s: per_s(import_rows, import_xlsx_ms),
            import_dry_run_ms,
        })
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}
