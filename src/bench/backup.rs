//! Backup and restore on the bench library: a full backup through the core and through the
//! CLI process, an incremental one (nothing new), `backup verify`, and a restore (CLI) — MB/s.

use std::path::Path;
use std::time::Instant;

use serde::Serialize;

use super::{PASSWORD, ms};
use crate::core::Session;
use crate::core::backup::BackupOptions;
use crate::model::error::{Error, Result};

#[derive(Debug, Serialize)]
pub struct BackupBench {
    pub customers: u64,
    pub database_mib: f64,
    pub files: usize,
    pub backup_mib: f64,
    /// A full backup through the core.
    pub full_ms: f64,
    pub full_mb_per_s: f64,
    /// The same through the CLI process (`dangan backup --out`).
    pub cli_full_ms: f64,
    pub cli_full_mb_per_s: f64,
    /// An incremental backup with no new files (the database copy only).
    pub incremental_ms: f64,
    /// `dangan backup verify` (reads and hashes everything).
    pub cli_verify_ms: f64,
    pub cli_verify_mb_per_s: f64,
    /// `dangan restore` into a new folder: extract, check, log in, rebuild the index, verify.
    pub cli_restore_ms: f64,
    pub cli_restore_mb_per_s: f64,
}

fn cli(root: &Path, args: &[&str]) -> Result<f64> {
    let exe = std::env::current_exe().map_err(|e| Error::io("io-bench-cli", e))?;
    let t = Instant::now();
    let out = std::process::Command::new(exe)
        .arg("--library")
        .arg(root)
        .args(["--user", "admin"])
        .args(args)
        .env("DANGAN_PASSWORD", PASSWORD)
        .output()
        .map_err(|e| Error::io("io-bench-cli", e))?;
    let elapsed = ms(t.elapsed());
    if !out.status.success() {
        return Err(Error::Failed(crate::model::error::Message::untranslated(format!(
            "bench: dangan {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        ))));
    }
    Ok(elapsed)
}

fn rate(bytes: u64, ms: f64) -> f64 {
    if ms <= 0.0 { 0.0 } else { (bytes as f64 / 1_048_576.0 / (ms / 1e3) * 10.0).round() / 10.0 }
}

pub fn measure(root: &Path, s: &mut Session, customers: u64, note: &impl Fn(String)) -> Result<BackupBench> {
    let dir = root.with_file_name(format!(
        "{}-backups",
        root.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| Error::io("io-bench-clear", e))?;
    let result = (|| {
        note("bench: backup through the core".into());
        let full = dir.join("full.tar");
        let t = Instant::now();
        let r = s.backup(&BackupOptions { out: full.clone(), base: None }, &mut |_, _| {})?;
        let full_ms = ms(t.elapsed());
        let t = Instant::now();
        s.backup(&BackupOptions { out: dir.join("inc.tar"), base: Some(full.clone()) }, &mut |_, _| {})?;
        let incremental_ms = ms(t.elapsed());
        note("bench: backup, verify and restore through the CLI".into());
        let cli_out = dir.join("cli.tar");
        let cli_full_ms = cli(root, &["backup", "--out", &cli_out.to_string_lossy()])?;
        let cli_verify_ms = cli(root, &["backup", "verify", &cli_out.to_string_lossy()])?;
        let target = dir.join("restored");
        let cli_restore_ms = cli(&target, &["restore", &cli_out.to_string_lossy()])?;
        Ok(BackupBench {
            customers,
            database_mib: r.database_bytes as f64 / 1_048_576.0,
            files: r.files,
            backup_mib: r.bytes as f64 / 1_048_576.0,
            full_ms,
            full_mb_per_s: rate(r.bytes, full_ms),
            cli_full_ms,
            cli_full_mb_per_s: rate(r.bytes, cli_full_ms),
            incremental_ms,
            cli_verify_ms,
            cli_verify_mb_per_s: rate(r.bytes, cli_verify_ms),
            cli_restore_ms,
            cli_restore_mb_per_s: rate(r.bytes, cli_restore_ms),
        })
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}
