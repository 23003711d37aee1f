//! The lending desk's figures, through the session's services (the path the CLI and the GUI
//! take) on the demo library the bench built, optionally grown with synthetic past loans to a
//! total of loan rows: lending and returning dossiers that are in, renewing, the overdue list,
//! the desk's counts, a busy borrower's page, `where` on a dossier out; and the CLI's
//! `loan out` / `loan return` as a clerk's script runs them (a process each: open, log in,
//! act).

use std::path::Path;
use std::time::Instant;

use serde::Serialize;

use super::{PASSWORD, Percentiles, ms};
use crate::core::Session;
use crate::core::loans::{LendSpec, LoanQuery, NewBorrowerSpec, ReturnSpec};
use crate::demo::DemoReport;
use crate::model::error::{Error, Result};
use crate::model::loans as ln;

/// Dossiers lent and returned through the session.
const LEND_COUNT: usize = 300;
/// Of those, renewed before they come back.
const RENEW_COUNT: usize = 100;
/// Borrowers the bench lends to (new ones: nothing overdue, not blocked).
const BENCH_BORROWERS: usize = 10;
/// Runs of each CLI verb.
const CLI_RUNS: usize = 5;
/// Repeats of the list and count queries.
const QUERY_RUNS: usize = 10;

#[derive(Debug, Serialize)]
pub struct LoansBench {
    pub customers: u64,
    /// What the demo wrote: loan rows, its lending phase's seconds and rows per second.
    pub demo_loans: u64,
    pub demo_lending_seconds: f64,
    pub demo_loans_per_second: f64,
    /// Synthetic returned loans added by the bulk writer to reach `--loans`, its time and
    /// rate; the loan rows in the library then, and the database's size.
    pub synthetic_added: u64,
    pub synthetic_seconds: f64,
    pub synthetic_rows_per_second: f64,
    pub loan_rows: u64,
    pub database_mib: f64,
    /// `Session::lend` of a dossier that is in (one synced transaction with its movement and
    /// audit rows), milliseconds; and the picks refused (out, closed, confidential, reserved).
    pub lend_ms: Percentiles,
    pub lend_refused: usize,
    /// `Session::renew`, milliseconds.
    pub renew_ms: Percentiles,
    /// `Session::return_item`, milliseconds.
    pub return_ms: Percentiles,
    /// `Session::loans(overdue)` (every overdue loan, by due date), milliseconds, and its rows.
    pub overdue_list_ms: Percentiles,
    pub overdue_rows: usize,
    /// The first page (50) of the loans out, milliseconds.
    pub out_page_ms: Percentiles,
    /// `Session::desk_counts` (the 工作台's figures), milliseconds, and what it says.
    pub desk_counts_ms: Percentiles,
    pub desk_counts: crate::core::loans::DeskCounts,
    /// `Session::borrower` of the busiest borrower (summary, current, the last 500 of the
    /// history, requests), milliseconds, and how many loans that borrower ever had.
    pub borrower_page_ms: Percentiles,
    pub borrower_loans: i64,
    /// `Session::where_is` on a dossier out (its place and its loan), milliseconds.
    pub where_out_ms: Percentiles,
    /// The CLI in a process of its own (`dangan loan out`, `dangan loan return`: open, log in
    /// with argon2, act, exit), wall milliseconds.
    pub cli_loan_out_ms: Percentiles,
    pub cli_loan_return_ms: Percentiles,
}

/// What building the library for the lending figures did.
pub struct Grown {
    pub added: u64,
    pub seconds: f64,
}

/// Adds synthetic past loans until the library holds `total` loan rows.
pub fn grow(root: &Path, total: u64, seed: u64, note: &impl Fn(String)) -> Result<Grown> {
    note(format!("bench: adding past loans up to {total} loan rows"));
    let t = Instant::now();
    let mut last = Instant::now();
    let added = crate::demo::loans::add_history(root, "admin", total, seed, |done, want| {
        if last.elapsed().as_secs() >= 10 {
            last = Instant::now();
            note(format!("bench: {done} / {want} past loans written"));
        }
    })?;
    Ok(Grown { added, seconds: t.elapsed().as_secs_f64() })
}

fn time<T>(runs: usize, mut f: impl FnMut() -> Result<T>) -> Result<(Percentiles, T)> {
    let mut out = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        last = Some(f()?);
        out.push(ms(t.elapsed()));
    }
    let last = last.ok_or_else(|| Error::Db("nothing was timed".into()))?;
    Ok((Percentiles::of(out), last))
}

/// Runs the CLI on the library as the admin; its wall time, milliseconds.
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
        return Err(Error::Db(format!(
            "dangan {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(elapsed)
}

pub fn measure(
    root: &Path,
    s: &mut Session,
    demo: &DemoReport,
    grown: &Grown,
    seed: u64,
) -> Result<LoansBench> {
    let mut borrowers = Vec::new();
    for i in 0..BENCH_BORROWERS {
        let b = s.add_borrower(&NewBorrowerSpec {
            name: format!("基准借阅人{i}"),
            dept: "营销部".into(),
            ..Default::default()
        })?;
        borrowers.push(b.code);
    }
    // Dossiers at random; those that cannot go out (out, closed, confidential, reserved) are
    // refused quickly and not timed.
    let picks = s.library().sample_dossiers(LEND_COUNT * 3, seed ^ 0x10a4)?;
    let mut lent = Vec::with_capacity(LEND_COUNT);
    let mut lend = Vec::with_capacity(LEND_COUNT);
    let mut refused = 0;
    for d in picks {
        if lent.len() == LEND_COUNT {
            break;
        }
        if lent.contains(&d) {
            continue;
        }
        let spec = LendSpec {
            item: d.clone(),
            borrower: borrowers[lent.len() % borrowers.len()].clone(),
            purpose: "基准测试".into(),
            ..Default::default()
        };
        let t = Instant::now();
        match s.lend(&spec) {
            Ok(_) => {
                lend.push(ms(t.elapsed()));
                lent.push(d);
            }
            Err(e) if e.kind() == crate::model::ErrorKind::Refused => refused += 1,
            Err(e) => return Err(e),
        }
    }
    let mut renew = Vec::with_capacity(RENEW_COUNT);
    for d in lent.iter().take(RENEW_COUNT) {
        let t = Instant::now();
        s.renew(d, None)?;
        renew.push(ms(t.elapsed()));
    }
    // `where` on a dossier out, while they are.
    let mut where_out = Vec::new();
    for d in lent.iter().step_by((lent.len() / 50).max(1)) {
        let t = Instant::now();
        s.where_is(d)?;
        where_out.push(ms(t.elapsed()));
    }
    let mut back = Vec::with_capacity(lent.len());
    for d in &lent {
        let t = Instant::now();
        s.return_item(&ReturnSpec { item: d.clone(), ..Default::default() })?;
        back.push(ms(t.elapsed()));
    }
    let (overdue_list_ms, overdue) =
        time(QUERY_RUNS, || s.loans(&LoanQuery { overdue: true, ..Default::default() }))?;
    let (out_page_ms, _) = time(QUERY_RUNS, || s.loans(&LoanQuery { limit: 50, ..Default::default() }))?;
    let (desk_counts_ms, desk_counts) = time(QUERY_RUNS, || s.desk_counts())?;
    // The demo's busiest borrower is its first (borrowers are picked with a skew).
    let busiest = ln::borrower_code(1);
    let (borrower_page_ms, page) = time(QUERY_RUNS, || s.borrower(&busiest))?;

    // The CLI, a process per action, on dossiers the session just returned.
    let mut cli_out = Vec::new();
    let mut cli_back = Vec::new();
    for d in lent.iter().rev().take(CLI_RUNS) {
        cli_out.push(cli(root, &["loan", "out", d, "--to", &borrowers[0]])?);
        cli_back.push(cli(root, &["loan", "return", d])?);
    }
    let counts = crate::store::loans_bulk::lending_counts(crate::store::Tx::new(s.library().db.conn()))?
        .loans
        .max(0) as u64;
    let database_mib =
        std::fs::metadata(root.join("dangan.sqlite3")).map_or(0.0, |m| m.len() as f64 / 1048576.0);
    Ok(LoansBench {
        customers: demo.customers,
        demo_loans: demo.loans,
        demo_lending_seconds: demo.lending_seconds,
        demo_loans_per_second: demo.loans_per_second,
        synthetic_added: grown.added,
        synthetic_seconds: grown.seconds,
        synthetic_rows_per_second: grown.added as f64 / grown.seconds.max(1e-9),
        loan_rows: counts,
        database_mib,
        lend_ms: Percentiles::of(lend),
        lend_refused: refused,
        renew_ms: Percentiles::of(renew),
        return_ms: Percentiles::of(back),
        overdue_list_ms,
        overdue_rows: overdue.len(),
        out_page_ms,
        desk_counts_ms,
        desk_counts,
        borrower_page_ms,
        borrower_loans: page.summary.total,
        where_out_ms: Percentiles::of(where_out),
        cli_loan_out_ms: Percentiles::of(cli_out),
        cli_loan_return_ms: Percentiles::of(cli_back),
    })
}
