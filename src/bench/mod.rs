//! `dangan bench`: builds synthetic libraries with `demo` and measures what a clerk feels.
//! Prints numbers; asserts nothing (timings never go in tests).

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use serde::Serialize;

mod backup;
mod gui;
mod labels;
mod loans;
mod scans;
mod search;
mod storage;
mod transfer;

use crate::core::customers::{ListQuery, NewCustomer};
use crate::core::{Access, Library};
use crate::demo::{self, DemoOptions, DemoReport};
use crate::model::error::{Error, Result};

const PASSWORD: &str = "bench-password";

/// What to measure besides the sizes.
#[derive(Debug, Clone, Default)]
pub struct BenchOptions {
    /// Grow each library with synthetic past loans to this many loan rows before the lending
    /// figures (the demo alone writes about 0.6 a dossier).
    pub loans: Option<u64>,
    /// Only the lending desk's figures (the demo, the loans, the desk), not the rest.
    pub only_loans: bool,
    /// Only scanning's figures (the demo with its scans, imports, verify, thumbnails, OCR).
    pub only_scans: bool,
    /// Only backup and restore (MB/s of a full and an incremental backup, verify, restore).
    pub only_backup: bool,
    /// Only import and export (rows/s through the CLI).
    pub only_transfer: bool,
}

#[derive(Debug, Serialize)]
pub struct BenchReport {
    pub cores: usize,
    pub os: &'static str,
    pub version: &'static str,
    /// The running binary: its size and whether it is an optimised build.
    pub binary: BinaryReport,
    pub sizes: Vec<SizeReport>,
    /// The lending desk at each size.
    pub lending: Vec<loans::LoansBench>,
    /// Scanning at each size: imports (pages/s), analysis, verify MiB/s, thumbnails, OCR.
    pub scans: Vec<scans::ScansBench>,
    /// Printing labels: independent of the library's size (not with `--only loans`).
    pub labels: Option<labels::LabelsBench>,
    /// Backup and restore at each size.
    pub backup: Vec<backup::BackupBench>,
    /// Import and export at each size.
    pub transfer: Vec<transfer::TransferBench>,
}

#[derive(Debug, Serialize)]
pub struct BinaryReport {
    pub path: String,
    pub mib: f64,
    /// `release` or `debug`: figures from a debug build are not the product's.
    pub profile: &'static str,
}

impl BinaryReport {
    fn current() -> BinaryReport {
        let path = std::env::current_exe().unwrap_or_default();
        let bytes = std::fs::metadata(&path).map_or(0, |m| m.len());
        BinaryReport {
            path: path.display().to_string(),
            mib: bytes as f64 / 1048576.0,
            profile: if cfg!(debug_assertions) { "debug" } else { "release" },
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Percentiles {
    pub p50: f64,
    pub p99: f64,
    pub max: f64,
    pub samples: usize,
}

impl Percentiles {
    fn of(mut xs: Vec<f64>) -> Percentiles {
        xs.sort_by(f64::total_cmp);
        let at = |q: f64| xs.get(((xs.len() as f64 - 1.0) * q).round() as usize).copied().unwrap_or(0.0);
        Percentiles { p50: at(0.5), p99: at(0.99), max: at(1.0), samples: xs.len() }
    }
}

#[derive(Debug, Serialize)]
pub struct SizeReport {
    pub customers: u64,
    pub demo: DemoReport,
    pub database_mib: f64,
    /// Opening the library (lock, SQLite, schema check), milliseconds.
    pub open_ms: Percentiles,
    /// Opening the search index in a new process, every file's checksum checked (a damaged
    /// index is rebuilt, never searched), milliseconds.
    pub index_open_ms: Percentiles,
    /// Logging in (argon2 verify + audit row), milliseconds.
    pub login_ms: Percentiles,
    /// Opening one dossier (customer, documents, checklist), microseconds.
    pub dossier_open_us: Percentiles,
    /// First page (50) of the dossier list, milliseconds.
    pub list_page_ms: Percentiles,
    /// Registering one customer, duplicate guard included, milliseconds, as libraries run:
    /// SQLite's `synchronous = FULL` (a commit is on the disk when the clerk is told "saved").
    pub add_customer_ms: Percentiles,
    /// The same with `synchronous = NORMAL` (what a power cut may lose is not synced): the
    /// cost of durability is the difference.
    pub add_customer_normal_sync_ms: Percentiles,
    pub verify_seconds: f64,
    pub search: search::SearchBench,
    pub gui: gui::GuiBench,
    /// The records room: `where`, filing one by one, a shelf inventory, the demo's filing.
    pub storage: storage::StorageBench,
    /// The most memory the process has held so far (Linux only), MiB.
    pub peak_rss_mib: Option<f64>,
}

/// The process's peak resident memory, from `/proc/self/status` (Linux).
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Runs the benchmark at each size; `note` reports progress for people.
pub fn run(
    sizes: &[u64],
    seed: u64,
    work_dir: Option<&Path>,
    opts: &BenchOptions,
    note: impl Fn(String),
) -> Result<BenchReport> {
    let tmp;
    let base = match work_dir {
        Some(d) => d.to_path_buf(),
        None => {
            tmp = std::env::temp_dir().join(format!("dangan-bench-{}", std::process::id()));
            tmp.clone()
        }
    };
    let mut out = Vec::new();
    let mut lending = Vec::new();
    let mut scanning = Vec::new();
    let mut backups = Vec::new();
    let mut transfers = Vec::new();
    for &n in sizes {
        let root = base.join(format!("lib-{n}"));
        if root.exists() {
            std::fs::remove_dir_all(&root).map_err(|e| Error::io("io-bench-clear", e))?;
        }
        note(format!("bench: building a demo library of {n} customers in {}", root.display()));
        let report = build(&root, n, seed, &note)?;
        let only = opts.only_loans || opts.only_scans || opts.only_backup || opts.only_transfer;
        if !only {
            out.push(measure(&root, n, seed, report.clone(), &note)?);
        }
        if !only || opts.only_transfer {
            transfers.push(transfer::measure(&root, n, &note)?);
        }
        if opts.only_transfer {
            if work_dir.is_none() {
                let _ = std::fs::remove_dir_all(&root);
            }
            continue;
        }
        if !opts.only_loans && !opts.only_scans {
            note("bench: measuring backup and restore".into());
            let mut s = Library::open(&root, Access::Write)?.login("admin", PASSWORD, "bench")?;
            backups.push(backup::measure(&root, &mut s, n, &note)?);
        }
        if opts.only_backup {
            if work_dir.is_none() {
                let _ = std::fs::remove_dir_all(&root);
            }
            continue;
        }
        if !opts.only_loans {
            note("bench: measuring scanning".into());
            let mut s = Library::open(&root, Access::Write)?.login("admin", PASSWORD, "bench")?;
            scanning.push(scans::measure(&root, &mut s, &report, seed, &note)?);
        }
        if opts.only_scans {
            if work_dir.is_none() {
                let _ = std::fs::remove_dir_all(&root);
            }
            continue;
        }
        let grown = match opts.loans {
            Some(total) => loans::grow(&root, total, seed, &note)?,
            None => loans::Grown { added: 0, seconds: 0.0 },
        };
        note("bench: measuring the lending desk".into());
        let mut s = Library::open(&root, Access::Write)?.login("admin", PASSWORD, "bench")?;
        lending.push(loans::measure(&root, &mut s, &report, &grown, seed)?);
        drop(s);
        if work_dir.is_none() {
            let _ = std::fs::remove_dir_all(&root);
        }
    }
    if work_dir.is_none() {
        let _ = std::fs::remove_dir_all(&base);
    }
    let labels = if opts.only_loans || opts.only_scans || opts.only_backup || opts.only_transfer {
        None
    } else {
        note("bench: rendering labels".to_string());
        Some(labels::measure()?)
    };
    Ok(BenchReport {
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        os: std::env::consts::OS,
        version: env!("CARGO_PKG_VERSION"),
        binary: BinaryReport::current(),
        sizes: out,
        lending,
        scans: scanning,
        labels,
        backup: backups,
        transfer: transfers,
    })
}

/// Builds the demo library of `n` customers the figures are taken on.
fn build(root: &Path, n: u64, seed: u64, note: &impl Fn(String)) -> Result<DemoReport> {
    let opts =
        DemoOptions { customers: n, seed, admin: "admin".into(), password: PASSWORD.into(), batch: 5000 };
    let report = demo::run(root, &opts, &AtomicBool::new(false), |_, _, _| {})?;
    note(format!("bench: demo wrote {:.0} rows/s; measuring", report.rows_per_second));
    Ok(report)
}

fn measure(root: &Path, n: u64, seed: u64, report: DemoReport, note: &impl Fn(String)) -> Result<SizeReport> {
    let database_mib =
        std::fs::metadata(root.join("dangan.sqlite3")).map_or(0.0, |m| m.len() as f64 / 1048576.0);

    let mut open = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let lib = Library::open(root, Access::Read)?;
        open.push(ms(t.elapsed()));
        drop(lib);
    }
    let mut index_open = Vec::new();
    for _ in 0..5 {
        let mut lib = Library::open(root, Access::Read)?;
        let t = Instant::now();
        lib.index_state()?;
        index_open.push(ms(t.elapsed()));
    }
    let mut login = Vec::new();
    for _ in 0..5 {
        let lib = Library::open(root, Access::Read)?;
        let t = Instant::now();
        let s = lib.login("admin", PASSWORD, "bench")?;
        login.push(ms(t.elapsed()));
        drop(s);
    }

    let mut s = Library::open(root, Access::Write)?.login("admin", PASSWORD, "bench")?;
    let dossiers = s.library().sample_dossiers(1000, seed)?;
    let mut show = Vec::new();
    for d in &dossiers {
        let t = Instant::now();
        s.dossier(d)?;
        show.push(t.elapsed().as_secs_f64() * 1e6);
    }
    let mut list = Vec::new();
    for i in 0..20 {
        let t = Instant::now();
        s.list_customers(&ListQuery { limit: 50, offset: i * 50, ..Default::default() })?;
        list.push(ms(t.elapsed()));
    }
    let mut add = Vec::new();
    let mut add_normal = Vec::new();
    for i in 0..100 {
        // Alternate, so both see the same disk and the same library size.
        let full = i % 2 == 0;
        s.library().db.set_synchronous_full(full)?;
        let t = Instant::now();
        s.add_customer(
            NewCustomer {
                name: format!("测试客户{i}"),
                phones: vec![format!("139{:08}", 1000 + i)],
                fields: vec![("户号".into(), format!("99{i:08}"))],
                ..Default::default()
            },
            false,
        )?;
        if full { &mut add } else { &mut add_normal }.push(ms(t.elapsed()));
    }
    s.library().db.set_synchronous_full(true)?;
    let search = search::measure(root, &mut s, &report.index, seed, note)?;
    let gui = gui::measure(root, &mut s, seed)?;
    note("bench: measuring the records room".into());
    let storage = storage::measure(&mut s, &report, seed)?;
    let t = Instant::now();
    let v = s.verify()?;
    let verify_seconds = t.elapsed().as_secs_f64();
    if !v.ok {
        return Err(Error::conflict("bench-not-verified")
            .arg("problems", v.problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")));
    }
    Ok(SizeReport {
        customers: n,
        demo: report,
        database_mib,
        open_ms: Percentiles::of(open),
        index_open_ms: Percentiles::of(index_open),
        login_ms: Percentiles::of(login),
        dossier_open_us: Percentiles::of(show),
        list_page_ms: Percentiles::of(list),
        add_customer_ms: Percentiles::of(add),
        add_customer_normal_sync_ms: Percentiles::of(add_normal),
        verify_seconds,
        search,
        gui,
        storage,
        peak_rss_mib: peak_rss_mib(),
    })
}

impl Library {
    /// Up to `n` dossier numbers picked at random (deterministic for a seed), for benchmarks.
    pub fn sample_dossiers(&self, n: usize, seed: u64) -> Result<Vec<String>> {
        let count = crate::store::customers::max_rowid(self.db.conn())?;
        let mut rng = demo::Rng::new(seed);
        let mut out = Vec::with_capacity(n);
        for _ in 0..n.saturating_mul(2) {
            if out.len() == n || count == 0 {
                break;
            }
            let id = 1 + rng.below(count as u64) as i64;
            if let Some(d) = crate::store::customers::dossier_by_rowid(self.db.conn(), id)? {
                out.push(d);
            }
        }
        Ok(out)
    }
}
