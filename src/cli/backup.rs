//! `backup`, `backup verify` and `restore`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::Ctx;
use super::output::ProgressLine;
use crate::core::backup::rotate::FolderOptions;
use crate::core::backup::{self, BackupOptions, BackupReport};
use crate::core::{Access, Error};

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct BackupArgs {
    #[command(subcommand)]
    pub cmd: Option<BackupCmd>,
    /// The backup file to write (a .tar; refused if it exists).
    #[arg(long, value_name = "FILE", conflicts_with = "out_dir")]
    pub out: Option<PathBuf>,
    /// A folder to write the backup into, named by date and time (see --keep, --incremental).
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// With --out-dir: keep only the newest N full backups and the increments made on them.
    #[arg(long, value_name = "N", requires = "out_dir")]
    pub keep: Option<usize>,
    /// With --out-dir: make it on the newest backup there (only new scanned files are written).
    #[arg(long, requires = "out_dir")]
    pub incremental: bool,
    /// With --out: a previous backup of this library; the new one holds only the scanned
    /// files that one lacks (an incremental backup).
    #[arg(long, value_name = "FILE", requires = "out")]
    pub base: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum BackupCmd {
    /// Read a backup file through and check every entry (and the base backups it needs).
    Verify {
        file: PathBuf,
        /// Base backups, if they are not in the same folder.
        #[arg(long, value_name = "FILE")]
        base: Vec<PathBuf>,
    },
    /// The app's scheduled backups: show, or change (made while the app is open).
    Schedule(ScheduleArgs),
}

#[derive(Debug, Args)]
pub struct ScheduleArgs {
    /// Turn scheduled backups on.
    #[arg(long, conflicts_with = "off")]
    pub on: bool,
    /// Turn them off.
    #[arg(long)]
    pub off: bool,
    /// day or week.
    #[arg(long, value_parser = ["day", "week"])]
    pub every: Option<String>,
    /// The day of a weekly backup: 1 = Monday … 7 = Sunday.
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=7))]
    pub weekday: Option<u8>,
    /// The time of day, HH:MM.
    #[arg(long, value_name = "HH:MM")]
    pub at: Option<String>,
    /// The folder backups go to (a full path).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Full backups kept (with their increments).
    #[arg(long)]
    pub keep: Option<u32>,
    /// Increments on the newest backup (a full one at least weekly): true or false.
    #[arg(long, value_name = "BOOL")]
    pub incremental: Option<bool>,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup file.
    pub file: PathBuf,
    /// Base backups an incremental backup needs, if they are not in the same folder.
    #[arg(long, value_name = "FILE")]
    pub base: Vec<PathBuf>,
}

fn mb(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / 1_048_576.0)
}

/// A progress line counted in MiB.
fn progress(label: String) -> (ProgressLine, impl FnMut(&mut ProgressLine, u64, u64)) {
    (ProgressLine::new(label), |line: &mut ProgressLine, done: u64, total: u64| {
        line.update(done.div_ceil(1_048_576), total.div_ceil(1_048_576))
    })
}

pub fn backup(ctx: &Ctx, a: BackupArgs) -> anyhow::Result<()> {
    match a.cmd {
        Some(BackupCmd::Verify { file, base }) => return verify(ctx, &file, &base),
        Some(BackupCmd::Schedule(s)) => return schedule(ctx, s),
        None => {}
    }
    let mut s = ctx.session(Access::Write)?;
    let (mut line, step) = progress(ctx.tr.t("cli-backup-progress"));
    let mut step = step;
    let report = match (a.out, a.out_dir) {
        (Some(out), None) => {
            s.backup(&BackupOptions { out, base: a.base }, &mut |d, t| step(&mut line, d, t))?
        }
        (None, Some(dir)) => s.backup_to_folder(
            &FolderOptions { dir, keep: a.keep.unwrap_or(usize::MAX), incremental: a.incremental },
            &mut |d, t| step(&mut line, d, t),
        )?,
        _ => return Err(Error::usage("cli-backup-need-out").into()),
    };
    line.finish();
    ctx.out.emit(&report, || done_text(ctx, &report))
}

fn done_text(ctx: &Ctx, r: &BackupReport) -> String {
    let kind = match &r.base {
        Some(b) => ctx.tr.ta("cli-backup-incremental", &[("base", b)]),
        None => ctx.tr.t("cli-backup-full"),
    };
    let mut t = ctx.tr.ta(
        "cli-backup-done",
        &[
            ("file", &r.file.display().to_string()),
            ("kind", &kind),
            ("customers", &r.customers.to_string()),
            ("files", &r.files.to_string()),
            ("written", &r.files_written.to_string()),
            ("mb", &mb(r.bytes)),
            ("seconds", &format!("{:.1}", r.seconds)),
            ("rate", &format!("{:.1}", r.mb_per_s)),
        ],
    );
    for p in &r.removed {
        t.push('\n');
        t.push_str(&ctx.tr.ta("cli-backup-removed", &[("file", &p.display().to_string())]));
    }
    t
}

fn verify(ctx: &Ctx, file: &std::path::Path, bases: &[PathBuf]) -> anyhow::Result<()> {
    let (mut line, mut step) = progress(ctx.tr.t("cli-backup-check-progress"));
    let check = backup::check_backup(file, bases, &mut |d, t| step(&mut line, d, t))?;
    line.finish();
    ctx.out.emit(&check, || {
        let kind = if check.incremental {
            ctx.tr.ta("cli-backup-incremental", &[("base", "…")])
        } else {
            ctx.tr.t("cli-backup-full")
        };
        let mut t = ctx.tr.ta(
            "cli-backup-check-ok",
            &[
                ("file", &check.file.display().to_string()),
                ("kind", &kind),
                ("created", &check.created_at),
                ("user", &check.created_by),
                ("customers", &check.customers.to_string()),
                ("files", &check.files.to_string()),
                ("seq", &check.audit_seq.to_string()),
            ],
        );
        if !check.bases.is_empty() {
            let names: Vec<String> = check.bases.iter().map(|p| p.display().to_string()).collect();
            t.push('\n');
            t.push_str(&ctx.tr.ta("cli-backup-check-bases", &[("files", &names.join(", "))]));
        }
        t
    })
}

pub fn restore(ctx: &Ctx, a: RestoreArgs) -> anyhow::Result<()> {
    let user =
        ctx.user.clone().filter(|u| !u.trim().is_empty()).ok_or_else(|| Error::usage("cli-no-user"))?;
    let password =
        super::read_password(&ctx.tr.ta("cli-password-prompt", &[("name", &user)]), "DANGAN_PASSWORD")?;
    let (mut line, mut step) = progress(ctx.tr.t("cli-restore-progress"));
    let report = backup::restore(&a.file, &ctx.location.path, &a.base, &user, &password, &mut |d, t| {
        step(&mut line, d, t)
    })?;
    line.finish();
    let problems: Vec<String> = report.verify.problems.iter().map(|p| ctx.tr.message(p, true)).collect();
    let mut json = serde_json::to_value(&report)?;
    json["verify"]["problems"] = serde_json::json!(problems);
    ctx.out.emit(&json, || {
        let mut t = ctx.tr.ta(
            "cli-restore-done",
            &[
                ("library", &report.library.display().to_string()),
                ("customers", &report.customers.to_string()),
                ("files", &report.files.to_string()),
                ("mb", &mb(report.bytes)),
                ("seconds", &format!("{:.1}", report.seconds)),
                ("rate", &format!("{:.1}", report.mb_per_s)),
            ],
        );
        t.push('\n');
        if report.verify.ok {
            t.push_str(&ctx.tr.t("cli-restore-verify-ok"));
        } else {
            t.push_str(&ctx.tr.ta("cli-restore-verify-problems", &[("count", &problems.len().to_string())]));
            for p in problems.iter().take(50) {
                t.push_str(&format!("\n  - {p}"));
            }
        }
        t
    })?;
    if report.verify.ok {
        Ok(())
    } else {
        Err(anyhow::anyhow!(ctx.tr.ta("cli-verify-failed", &[("count", &problems.len().to_string())])))
    }
}

fn schedule(ctx: &Ctx, a: ScheduleArgs) -> anyhow::Result<()> {
    use crate::model::backup::{BackupSchedule, Every};
    let mut s = ctx.session(Access::Write)?;
    let (mut sched, _) = s.backup_schedule()?;
    let changing = a.on
        || a.off
        || a.every.is_some()
        || a.weekday.is_some()
        || a.at.is_some()
        || a.dir.is_some()
        || a.keep.is_some()
        || a.incremental.is_some();
    if changing {
        if a.on {
            sched.enabled = true;
        }
        if a.off {
            sched.enabled = false;
        }
        if let Some(e) = a.every {
            sched.every = if e == "week" { Every::Week } else { Every::Day };
        }
        if let Some(d) = a.weekday {
            sched.weekday = d;
        }
        if let Some(at) = a.at {
            sched.at_minutes =
                BackupSchedule::parse_at(&at).ok_or_else(|| Error::usage("backup-schedule-time"))?;
        }
        if let Some(d) = a.dir {
            let d = if d.is_absolute() { d } else { std::env::current_dir()?.join(d) };
            sched.dir = d.display().to_string();
        }
        if let Some(k) = a.keep {
            sched.keep = k;
        }
        if let Some(i) = a.incremental {
            sched.incremental = i;
        }
        s.set_backup_schedule(sched)?;
    }
    let (sched, last) = s.backup_schedule()?;
    let json = serde_json::json!({ "schedule": sched, "last_run": last });
    ctx.out.emit(&json, || {
        let every = match sched.every {
            Every::Day => ctx.tr.t("backup-every-day"),
            Every::Week => {
                format!(
                    "{} {}",
                    ctx.tr.t("backup-every-week"),
                    ctx.tr.t(&format!("backup-weekday-{}", sched.weekday))
                )
            }
        };
        let mut t = ctx.tr.ta(
            if sched.enabled { "cli-backup-schedule-on" } else { "cli-backup-schedule-off" },
            &[
                ("every", &every),
                ("at", &sched.at_text()),
                ("dir", &sched.dir),
                ("keep", &sched.keep.to_string()),
                (
                    "kind",
                    &if sched.incremental {
                        ctx.tr.t("cli-backup-schedule-inc")
                    } else {
                        ctx.tr.t("cli-backup-full")
                    },
                ),
            ],
        );
        if let Some(l) = last.as_ref().filter(|l| l.started_at.is_some()) {
            let when = l.started_at.map(|w| w.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default();
            t.push('\n');
            t.push_str(&match l.ok {
                Some(true) => {
                    ctx.tr.ta("backup-last-ok", &[("when", &when), ("by", &l.by), ("file", &l.detail)])
                }
                Some(false) => {
                    ctx.tr.ta("backup-last-failed", &[("when", &when), ("by", &l.by), ("detail", &l.detail)])
                }
                None => ctx.tr.ta("backup-last-running", &[("when", &when), ("by", &l.by)]),
            });
        }
        t
    })
}
