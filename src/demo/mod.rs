//! `demo`: a library filled with realistic synthetic Chinese data, deterministic for a seed.
//!
//! A generator thread makes batches of customers while the writer inserts the previous batch in
//! one transaction (with one audit row naming the range), so a kill at any moment leaves whole
//! batches and a library that verifies.

pub mod data;
mod generate;
pub mod loans;
pub mod pages;
pub mod scans;
pub mod storage;

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Instant;

use serde::Serialize;

use crate::core::library::Library;
use crate::core::session::{Change, record, to_json};
use crate::core::{password, templates};
use crate::model::Role;
use crate::model::error::{Error, Result};
use crate::search::BuildStats;
use crate::store::{self, config as cfg, customers as db};

pub use generate::{Generated, Generator, Rng};

/// SQLite page cache for the bulk writer, MiB.
const DEMO_CACHE_MIB: u32 = 256;

#[derive(Debug, Clone)]
pub struct DemoOptions {
    pub customers: u64,
    pub seed: u64,
    pub admin: String,
    /// The admin's password (the demo's other users share it).
    pub password: String,
    /// Customers per transaction.
    pub batch: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct DemoReport {
    pub library: String,
    pub admin: String,
    pub users: usize,
    pub customers: u64,
    pub phones: u64,
    pub documents: u64,
    /// Customers + phones + documents inserted.
    pub rows: u64,
    pub seconds: f64,
    pub rows_per_second: f64,
    pub customers_per_second: f64,
    /// The records room: locations (rooms, racks, columns, sections, shelves), boxes, the
    /// dossiers filed into them (every one) and the movements of boxes and folders.
    pub locations: u64,
    pub boxes: u64,
    pub filed: u64,
    pub movements: u64,
    /// Seconds the storage phase took (planning, locations, boxes and folders), and its rate.
    pub storage_seconds: f64,
    pub filed_per_second: f64,
    /// The lending desk: borrowers, loan rows (a box's folders each have one), those out now,
    /// overdue and lost, boxes lent whole, holds waiting; the phase's seconds and loan rows/s.
    pub borrowers: u64,
    pub loans: u64,
    pub loans_out: u64,
    pub loans_overdue: u64,
    pub loans_lost: u64,
    pub box_loans: u64,
    pub loan_requests: u64,
    pub lending_seconds: f64,
    pub loans_per_second: f64,
    /// Scanned pages: stored files (multi-page scanning batches) and their bytes, pages filed
    /// in documents, pages waiting in the inbox, pages with text; dossiers with papers and no
    /// page scanned yet; the phase's seconds.
    pub scan_files: u64,
    pub scan_bytes: u64,
    pub scanned_pages: u64,
    pub inbox_pages: u64,
    pub pages_with_text: u64,
    pub unscanned_dossiers: u64,
    pub scans_seconds: f64,
    /// The search index, built at the end.
    pub index: BuildStats,
}

/// What a demo is busy with, for progress reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Customers,
    /// Boxes written into the records room (done, total boxes).
    Storage,
    /// Batches of the loan history written (done, total batches).
    Loans,
    /// Batches of scanned pages written (done, total batches).
    Scans,
    Index,
}

/// A random password for a demo admin when none was given: 12 characters, unambiguous.
pub fn generated_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut b = [0u8; 12];
    if getrandom::fill(&mut b).is_err() {
        let t = chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default() as u64;
        b.iter_mut().enumerate().for_each(|(i, x)| *x = (t >> (i * 5)) as u8);
    }
    b.iter().map(|x| ALPHABET[*x as usize % ALPHABET.len()] as char).collect()
}

/// Creates a library at `root` and fills it, then builds its search index.
/// `progress(stage, done, total)` is called after each committed batch and during the index
/// build; setting `cancel` stops after the current batch (the library stays valid, and its
/// index is built at first search).
pub fn run(
    root: &Path,
    opts: &DemoOptions,
    cancel: &AtomicBool,
    progress: impl FnMut(Stage, u64, u64),
) -> Result<DemoReport> {
    let mut lib = Library::create(root)?;
    // Until the end, the library says it is unfinished (and how it was started, so it can be
    // finished): a killed demo must not look complete.
    let plan = Plan { customers: opts.customers, seed: opts.seed, batch: opts.batch.max(1) };
    let plan_json = serde_json::to_string(&plan).unwrap_or_default();
    store::set_meta(lib.db.conn(), store::DEMO_UNFINISHED, &plan_json)?;
    lib.initialise(&opts.admin, &opts.password, &templates::UTILITY)?;
    let users = add_staff(&mut lib, &opts.admin, &opts.password)?;
    fill(lib, root, &opts.admin, plan, users, cancel, progress)
}

/// How a demo was started, kept in its unfinished mark so [`finish`] can go on with it.
#[derive(Debug, Clone, Copy, Serialize, serde::Deserialize)]
struct Plan {
    customers: u64,
    seed: u64,
    batch: usize,
}

/// Finishes a demo that was stopped before it finished (killed): the same seed gives the same
/// customers, so the batches already written are generated again and skipped, and the rest
/// written, then the index built. Refuses a folder that is not an unfinished demo.
pub fn finish(root: &Path, cancel: &AtomicBool, progress: impl FnMut(Stage, u64, u64)) -> Result<DemoReport> {
    let refused = || Error::conflict("demo-finish-refused").arg("path", root.display());
    let paths = crate::core::library::Paths::new(root);
    if !paths.db.exists() || !store::is_unfinished_demo(&paths.db)? {
        return Err(refused());
    }
    let lib = Library::open_unfinished_demo(root)?;
    let plan: Plan = store::get_meta(lib.db.conn(), store::DEMO_UNFINISHED)?
        .and_then(|s| serde_json::from_str(&s).ok())
        .ok_or_else(refused)?;
    let all = store::users::list(lib.db.conn())?;
    let admin = all.iter().find(|u| u.role == Role::Admin).map(|u| u.name.clone()).ok_or_else(refused)?;
    // Killed before its staff was added: nothing of the demo's data is there yet.
    if all.len() == 1 {
        return Err(Error::conflict("demo-finish-too-early").arg("path", root.display()));
    }
    let clerks: Vec<i64> = all.iter().filter(|u| u.role == Role::Clerk).map(|u| u.id).collect();
    fill(lib, root, &admin, plan, clerks, cancel, progress)
}

/// Writes the plan's customers that are not there yet, builds the index and clears the
/// unfinished mark.
fn fill(
    mut lib: Library,
    root: &Path,
    admin: &str,
    plan: Plan,
    users: Vec<i64>,
    cancel: &AtomicBool,
    mut progress: impl FnMut(Stage, u64, u64),
) -> Result<DemoReport> {
    let (categories, doc_types) = lib.db.read(|tx| {
        let cats: HashMap<String, i64> = cfg::categories(tx)?.into_iter().map(|c| (c.code, c.id)).collect();
        let types: HashMap<String, i64> = cfg::doc_types(tx)?.into_iter().map(|d| (d.code, d.id)).collect();
        Ok((cats, types))
    })?;
    let rule = lib.db.read(|tx| cfg::numbering(tx))?;
    // Whole batches only were committed (one transaction each): skip that many.
    let written = crate::store::customers::count(lib.db.conn())? as u64;

    // Index pages for a million random ID numbers and phones outgrow the default cache.
    lib.db.set_cache_mib(DEMO_CACHE_MIB)?;
    lib.db.set_autocheckpoint(16_000)?;
    let started = Instant::now();
    let (tx_batches, rx_batches) = mpsc::sync_channel::<Vec<Generated>>(2);
    let total = plan.customers;
    let batch = plan.batch.max(1);
    let seed = plan.seed;
    let staff = users.len();
    let generator = std::thread::Builder::new()
        .name("demo-generator".into())
        .spawn(move || {
            let mut g = Generator::new(seed, total, rule, staff);
            let mut made = 0u64;
            while let Some(b) = g.next_batch(batch) {
                made += b.len() as u64;
                if made <= written {
                    continue;
                }
                if tx_batches.send(b).is_err() {
                    break;
                }
            }
        })
        .map_err(|e| Error::io("io-demo-start", e))?;

    let (mut customers, mut phones, mut documents) = (written, 0u64, 0u64);
    let mut outcome = Ok(());
    for b in rx_batches.iter() {
        if cancel.load(Ordering::Relaxed) {
            outcome = Err(Error::Cancelled);
            break;
        }
        let (p, d) = write_batch(&mut lib, admin, &b, &categories, &doc_types, &users)?;
        customers += b.len() as u64;
        phones += p;
        documents += d;
        progress(Stage::Customers, customers, total);
        crate::core::index::fault("demo-after-batch");
    }
    drop(rx_batches);
    let _ = generator.join();
    let seconds = started.elapsed().as_secs_f64();
    // Then the records room: every dossier filed into a box, every box on a shelf.
    let mut stored = storage::StorageStats::default();
    if outcome.is_ok() {
        match storage::fill(&mut lib, admin, seed, batch, cancel, |done, total| {
            progress(Stage::Storage, done, total)
        }) {
            Ok(s) => stored = s,
            Err(e) => outcome = Err(e),
        }
    }
    // Then the lending desk: borrowers and two years of loans.
    let mut lent = loans::LendingStats::default();
    if outcome.is_ok() {
        match loans::fill(&mut lib, admin, seed, batch, cancel, |done, total| {
            progress(Stage::Loans, done, total)
        }) {
            Ok(s) => lent = s,
            Err(e) => outcome = Err(e),
        }
    }
    // Then the scans: most papers of the older dossiers, an inbox.
    let mut scanned = scans::ScanStats::default();
    if outcome.is_ok() {
        match scans::fill(&mut lib, admin, seed, batch, cancel, |done, total| {
            progress(Stage::Scans, done, total)
        }) {
            Ok(s) => scanned = s,
            Err(e) => outcome = Err(e),
        }
    }
    if matches!(outcome, Err(Error::Cancelled)) {
        // Stopped on purpose after a whole batch: a smaller library, but a complete one.
        store::delete_meta(lib.db.conn(), store::DEMO_UNFINISHED)?;
    }
    lib.db.checkpoint()?;
    outcome?;
    let index = lib.rebuild_index(&mut |done, total| progress(Stage::Index, done, total))?;
    store::delete_meta(lib.db.conn(), store::DEMO_UNFINISHED)?;
    lib.db.checkpoint()?;
    let users_total = store::users::count(lib.db.conn())? as usize;
    let rows = customers + phones + documents;
    Ok(DemoReport {
        library: root.display().to_string(),
        admin: admin.to_string(),
        users: users_total,
        customers,
        phones,
        documents,
        rows,
        seconds,
        rows_per_second: rows as f64 / seconds.max(1e-9),
        customers_per_second: customers as f64 / seconds.max(1e-9),
        locations: stored.locations,
        boxes: stored.boxes,
        filed: stored.filed,
        movements: stored.movements,
        storage_seconds: stored.seconds,
        filed_per_second: stored.filed as f64 / stored.seconds.max(1e-9),
        borrowers: lent.borrowers,
        loans: lent.loans,
        loans_out: lent.out,
        loans_overdue: lent.overdue,
        loans_lost: lent.lost,
        box_loans: lent.box_loans,
        loan_requests: lent.requests,
        lending_seconds: lent.seconds,
        loans_per_second: lent.loans as f64 / lent.seconds.max(1e-9),
        scan_files: scanned.files,
        scan_bytes: scanned.bytes,
        scanned_pages: scanned.pages,
        inbox_pages: scanned.inbox,
        pages_with_text: scanned.with_text,
        unscanned_dossiers: scanned.unscanned,
        scans_seconds: scanned.seconds,
        index,
    })
}

/// Removes what an unfinished demo (one that was killed) left at `root`, so a new demo can
/// start there. Refuses anything else: a finished library is never removed.
pub fn clear_unfinished(root: &Path) -> Result<()> {
    let paths = crate::core::library::Paths::new(root);
    if !paths.db.exists() || !store::is_unfinished_demo(&paths.db)? {
        return Err(Error::conflict("demo-restart-refused").arg("path", root.display()));
    }
    let io = |e| Error::io("io-demo-clear", e);
    for name in ["dangan.sqlite3-wal", "dangan.sqlite3-shm", "audit.head", "dangan.lock.owner"] {
        let p = root.join(name);
        if p.exists() {
            std::fs::remove_file(&p).map_err(io)?;
        }
    }
    for name in ["index", "index.new", "index.old"] {
        let p = root.join(name);
        if p.exists() {
            std::fs::remove_dir_all(&p).map_err(io)?;
        }
    }
    // The database last: until it is gone, the folder still says "unfinished demo".
    std::fs::remove_file(&paths.db).map_err(io)?;
    Ok(())
}

/// The demo's staff: clerks, an archivist and a viewer, sharing the admin's password. Returns
/// the ids of the clerks (who become responsible for dossiers).
fn add_staff(lib: &mut Library, admin: &str, pw: &str) -> Result<Vec<i64>> {
    let mut staff = Vec::new();
    for (i, (name, display)) in data::CLERKS.iter().enumerate() {
        let role = match i {
            0 => Role::Archivist,
            1 => Role::Viewer,
            _ => Role::Clerk,
        };
        staff.push((name.to_string(), display.to_string(), role, password::hash(pw)?));
    }
    let at = crate::core::now();
    lib.write(|tx| {
        let mut clerks = Vec::new();
        for (name, display, role, hash) in &staff {
            let user = store::users::insert(tx, name, display, *role, hash, &at)?;
            if *role == Role::Clerk {
                clerks.push(user.id);
            }
            record(
                tx,
                admin,
                &at,
                Change {
                    action: "create",
                    entity: "user",
                    entity_id: name,
                    dossier: None,
                    before: None,
                    after: to_json(&user),
                },
            )?;
        }
        Ok(clerks)
    })
}

fn write_batch(
    lib: &mut Library,
    admin: &str,
    batch: &[Generated],
    categories: &HashMap<String, i64>,
    doc_types: &HashMap<String, i64>,
    clerks: &[i64],
) -> Result<(u64, u64)> {
    let at = crate::core::now();
    // The index is built from scratch at the end: nothing needs queueing for it.
    lib.write(|tx| {
        store::search::without_change_triggers(tx, || {
            let (mut phones, mut docs) = (0u64, 0u64);
            let mut last_seq: HashMap<&str, i64> = HashMap::new();
            for c in batch {
                let category_id = *categories
                    .get(c.category)
                    .ok_or_else(|| Error::missing("demo-category-missing").arg("code", c.category))?;
                let id = db::insert(
                    tx,
                    &db::Row {
                        dossier: &c.dossier,
                        name: &c.name,
                        name_key: &c.name_key,
                        former_names: &c.former_names,
                        id_kind: Some(c.id_kind),
                        id_number: Some(&c.id_number),
                        address: &c.address,
                        category_id,
                        grade: c.grade,
                        status: c.status,
                        confidential: c.confidential,
                        clerk_id: clerks.get(c.clerk % clerks.len().max(1)).copied(),
                        notes: &c.notes,
                        custom: &c.custom,
                        created_at: &c.created_at,
                        updated_at: &c.updated_at,
                        closed_at: c.closed_at.as_deref(),
                    },
                )?;
                db::insert_phones(tx, id, &c.phones)?;
                phones += c.phones.len() as u64;
                for d in &c.documents {
                    let doc_type_id = *doc_types
                        .get(d.doc_type)
                        .ok_or_else(|| Error::missing("demo-doc-type-missing").arg("code", d.doc_type))?;
                    db::insert_document(
                        tx,
                        &db::DocRow {
                            customer_id: id,
                            doc_type_id,
                            title: &d.title,
                            date: Some(&d.date),
                            expires_on: d.expires_on.as_deref(),
                            pages: d.pages,
                            notes: "",
                            created_at: &c.created_at,
                            created_by: None,
                        },
                    )?;
                    docs += 1;
                }
                let e = last_seq.entry(c.scope.as_str()).or_default();
                *e = (*e).max(c.seq);
            }
            for (scope, seq) in &last_seq {
                cfg::set_sequence(tx, scope, *seq)?;
            }
            let (first, last) =
                (batch.first().map(|c| c.dossier.as_str()), batch.last().map(|c| c.dossier.as_str()));
            let after = serde_json::json!({
                "customers": batch.len(), "phones": phones, "documents": docs,
                "first": first, "last": last,
            });
            record(
                tx,
                admin,
                &at,
                Change {
                    action: "generate",
                    entity: "demo",
                    entity_id: first.unwrap_or_default(),
                    dossier: None,
                    before: None,
                    after: Some(after.to_string()),
                },
            )?;
            Ok((phones, docs))
        })
    })
}
