//! `verify`: is the library whole? SQLite's own integrity and foreign-key checks, the audit
//! chain against every head kept beside it (as found when the library was opened, before this
//! process wrote anything), every current record against the "after" of its last audited
//! change, the search index against the database, and the file store: what an interrupted
//! import left is finished or removed first, then every stored file is re-hashed and named
//! when missing or changed, every file in `files/` no record names is listed, and so is every
//! page whose file row is gone or that lies past its file's last page.
//!
//! `verify --quick` walks the chain only from the last full check that found nothing, and
//! compares only the dossiers changed since then plus a random sample (and every user and
//! category: there are few), re-hashes the files added since then plus a sample, and does not
//! look for unreferenced files (the walk of `files/` is the slow part; it says so).

use std::collections::HashMap;

use serde::Serialize;
use serde_json::Value;

use crate::core::index::IndexState;
use crate::core::library::OpenedHeads;
use crate::core::scans::blobs::{self, Blobs};
use crate::core::session::{Change, Session, record};
use crate::model::audit::{ChainVerifier, Head};
use crate::model::error::{Message, Result};
use crate::model::permission::Permission;
use crate::store;

/// The most problems listed; a damaged library can have millions.
const MAX_PROBLEMS: usize = 200;

/// How many dossiers, besides those changed since the last full check, `verify --quick`
/// compares with their audited state.
const QUICK_SAMPLE: i64 = 200;

/// How many stored files, besides those added since the last clean full check, `verify --quick`
/// re-hashes.
pub const QUICK_FILE_SAMPLE: i64 = 50;

/// What the check of the file store (`files/`) did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FilesCheck {
    /// Files recorded in the library.
    pub stored: i64,
    /// Files re-hashed.
    pub checked: i64,
    pub bytes_checked: u64,
    pub seconds: f64,
    /// Throughput of the re-hashing, MiB per second (0 when nothing was read).
    pub mb_per_s: f64,
    pub missing: i64,
    pub changed: i64,
    pub unreadable: i64,
    /// Files in `files/` that no record names (`None`: not looked for, a quick check).
    pub unreferenced: Option<i64>,
    /// Pages whose file row is gone or that lie past their file's last page.
    pub bad_pages: i64,
    /// What an interrupted import had left in `files/.incoming`: moved into place (its
    /// transaction had committed) and removed (it had not).
    pub recovered: usize,
    pub staged_removed: usize,
    /// A quick check: the files added at or after this time were all re-hashed, plus a sample.
    pub quick_since: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    pub ok: bool,
    /// What is wrong, one message each (rendered by the CLI and the GUI in the user's language).
    #[serde(skip)]
    pub problems: Vec<Message>,
    /// Whether this was a quick check (recent changes and a sample).
    pub quick: bool,
    /// A quick check's starting point: the audit row of the last full check that found nothing
    /// (`None`: there was none, so the whole chain was walked).
    pub quick_from: Option<i64>,
    pub customers: i64,
    pub documents: i64,
    /// Audit rows walked.
    pub audit_rows: i64,
    /// Records compared with their last audited state.
    pub records_checked: i64,
    pub audit_head: Option<Head>,
    pub search_index: IndexState,
    /// The attachments.
    pub files: FilesCheck,
}

/// Keeps the problem list capped.
struct Problems(Vec<Message>);

impl Problems {
    fn push(&mut self, m: Message) {
        if self.0.len() < MAX_PROBLEMS {
            self.0.push(m);
        }
    }
    fn extend(&mut self, it: impl IntoIterator<Item = Message>) {
        for m in it {
            self.push(m);
        }
    }
}

impl Session {
    /// The full check.
    pub fn verify(&mut self) -> Result<VerifyReport> {
        self.verify_with(false)
    }

    /// The quick check: the chain since the last clean full check, dossiers changed since then
    /// plus a sample, every user and category.
    pub fn verify_quick(&mut self) -> Result<VerifyReport> {
        self.verify_with(true)
    }

    fn verify_with(&mut self, quick: bool) -> Result<VerifyReport> {
        self.require(Permission::ReadAudit)?;
        // What a crash left half-stored is finished or removed first, so that it is not
        // reported as a problem it is not.
        let blobs = Blobs::new(&self.lib.paths().files);
        let conn = self.lib.db.conn();
        let (recovered, staged_removed) = blobs.recover(|sha| store::scans::has_sha(conn, sha))?;
        // The heads as they were before this process wrote anything (its login included). A
        // library this process created itself has no such snapshot: read them now.
        let opened = match self.lib.opened_heads.clone() {
            Some(h) => h,
            None => OpenedHeads {
                file_raw: crate::core::files::read_no_follow(&self.lib.paths().audit_head),
                db: self.lib.db.read(|tx| store::audit::heads(tx))?,
            },
        };
        let mut report = self.lib.db.read(|tx| {
            let mut problems = Problems(Vec::new());
            problems.extend(store::integrity_problems(tx)?.into_iter().map(Message::untranslated));
            problems.extend(store::foreign_key_problems(tx)?.into_iter().map(Message::untranslated));
            let heads = check_heads(&opened, &mut problems);

            // The chain: all of it, or (quick) from the last clean full check if that row is
            // still as it was.
            let start = if quick { store::audit::last_clean_verify(tx)? } else { None };
            let start = start.filter(|(h, _)| {
                store::audit::hash_at(tx, h.seq).ok().flatten().as_deref() == Some(h.hash.as_str())
            });
            let mut chain = match &start {
                Some((h, _)) => ChainVerifier::starting_after(h.seq, &h.hash, MAX_PROBLEMS),
                None => ChainVerifier::new(MAX_PROBLEMS),
            };
            let mut last: Option<Head> = None;
            store::audit::for_each_row_after(tx, start.as_ref().map_or(0, |(h, _)| h.seq), |row| {
                chain.push(row);
                last = Some(Head { seq: row.seq, hash: row.hash.clone() });
            })?;
            let audit_rows = chain.rows();
            problems.extend(chain.finish(&heads, |seq| store::audit::hash_at(tx, seq).ok().flatten()));

            let since = start.as_ref().map(|(_, at)| at.as_str());
            let records_checked = check_records(tx, quick.then_some(since.unwrap_or("")), &mut problems)?;
            Ok(VerifyReport {
                ok: false,
                problems: problems.0,
                quick,
                quick_from: start.as_ref().map(|(h, _)| h.seq),
                customers: store::customers::count(tx)?,
                documents: store::customers::document_count(tx)?,
                audit_rows,
                records_checked,
                audit_head: last,
                search_index: IndexState::Missing,
                files: FilesCheck::default(),
            })
        })?;
        let room = MAX_PROBLEMS.saturating_sub(report.problems.len());
        let mut problems = Problems(Vec::new());
        report.files = check_files(self, &blobs, quick, room, &mut problems)?;
        report.files.recovered = recovered;
        report.files.staged_removed = staged_removed;
        report.problems.extend(problems.0);
        // The search index is derived: a missing one is rebuilt, not a problem; a present one
        // must agree with the database.
        report.search_index = self.lib.index_state()?;
        let room = MAX_PROBLEMS.saturating_sub(report.problems.len());
        report.problems.extend(self.lib.index_problems(room)?.into_iter().map(Message::untranslated));
        report.ok = report.problems.is_empty();
        // The check itself is audited: when it ran, what it found. A quick check starts from
        // the last full one that found nothing.
        let after = serde_json::json!({
            "full": !quick,
            "ok": report.ok,
            "problems": report.problems.len(),
            "rows": report.audit_rows,
            "records": report.records_checked,
            "files": report.files.checked,
            "file_problems": report.files.missing + report.files.changed + report.files.unreadable
                + report.files.unreferenced.unwrap_or(0) + report.files.bad_pages,
        })
        .to_string();
        let (user, at) = (self.user.name.clone(), crate::core::now());
        self.lib.write(|tx| {
            record(
                tx,
                &user,
                &at,
                Change {
                    action: "verify",
                    entity: "library",
                    entity_id: "library",
                    dossier: None,
                    before: None,
                    after: Some(after),
                },
            )
        })?;
        Ok(report)
    }
}

/// The file store: each stored file (quick: those added since the last clean full check and a
/// sample) re-hashed against its recorded SHA-256; (full only) every file in `files/` that no
/// record names; pages whose file row is gone or that lie past their file's last page. At most
/// `room` problems are listed; all are counted.
fn check_files(
    s: &mut Session,
    blobs: &Blobs,
    quick: bool,
    room: usize,
    problems: &mut Problems,
) -> Result<FilesCheck> {
    let limit = room as i64;
    let push = |problems: &mut Problems, m: Message| {
        if problems.0.len() < room {
            problems.push(m);
        }
    };
    let (stored, list, since, orphans, beyond) = s.lib.db.read(|tx| {
        let (stored, _) = store::scans::file_count(tx)?;
        let (list, since) = if quick {
            let since = store::audit::last_clean_verify(tx)?.map(|(_, at)| at);
            let mut list = store::scans::files_to_check(tx, Some(since.as_deref().unwrap_or("")))?;
            // With no clean full check before, every file is "added since": all are checked.
            let mut seen: std::collections::HashSet<i64> = list.iter().map(|f| f.id).collect();
            for f in store::scans::sample_files(tx, QUICK_FILE_SAMPLE)? {
                if seen.insert(f.id) {
                    list.push(f);
                }
            }
            (list, since)
        } else {
            (store::scans::files_to_check(tx, None)?, None)
        };
        let orphans = store::scans::pages_without_file(tx, limit.max(1))?;
        let beyond = store::scans::pages_beyond_file(tx, limit.max(1))?;
        Ok((stored, list, since, orphans, beyond))
    })?;
    let mut out = FilesCheck { stored, quick_since: since, ..FilesCheck::default() };
    // Which dossiers a damaged file's pages are in, for its problem line.
    let file_problem = |s: &mut Session, key: &'static str, f: &store::scans::FileToCheck| {
        let d = s.lib.db.read(|tx| store::scans::dossiers_of_file(tx, f.id)).unwrap_or_default();
        Message::new(key)
            .arg("id", f.id)
            .arg("name", &f.name)
            .arg("path", blobs.path(&f.sha256).display())
            .arg("dossiers", if d.is_empty() { "-".to_string() } else { d.join(", ") })
    };
    let started = std::time::Instant::now();
    for f in &list {
        let path = blobs.path(&f.sha256);
        let size = match std::fs::symlink_metadata(&path) {
            Ok(m) if m.is_file() => m.len(),
            Ok(_) => {
                out.changed += 1;
                push(problems, file_problem(s, "verify-file-changed", f));
                continue;
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                out.missing += 1;
                push(problems, file_problem(s, "verify-file-missing", f));
                continue;
            }
            Err(e) => {
                out.unreadable += 1;
                push(problems, file_problem(s, "verify-file-unreadable", f).arg("detail", e.to_string()));
                continue;
            }
        };
        match blobs::hash_file(&path) {
            Ok(h) => {
                out.checked += 1;
                out.bytes_checked += size;
                if h != f.sha256 || size != f.size as u64 {
                    out.changed += 1;
                    push(problems, file_problem(s, "verify-file-changed", f));
                }
            }
            Err(e) => {
                out.unreadable += 1;
                push(problems, file_problem(s, "verify-file-unreadable", f).arg("detail", e.to_string()));
            }
        }
    }
    out.seconds = started.elapsed().as_secs_f64();
    if out.bytes_checked > 0 && out.seconds > 0.0 {
        out.mb_per_s = (out.bytes_checked as f64 / 1_048_576.0 / out.seconds * 10.0).round() / 10.0;
    }
    if !quick {
        // Every file in place must be named by a row; anything else in `files/` is a stray.
        let known: std::collections::HashSet<&str> = list.iter().map(|f| f.sha256.as_str()).collect();
        let mut unreferenced = 0;
        for e in blobs.entries() {
            if e.sha256.as_deref().is_some_and(|sha| known.contains(sha)) {
                continue;
            }
            unreferenced += 1;
            push(
                problems,
                Message::new("verify-file-unreferenced").arg("path", e.path.display()).arg("size", e.size),
            );
        }
        out.unreferenced = Some(unreferenced);
    }
    for (page, file) in &orphans {
        out.bad_pages += 1;
        push(problems, Message::new("verify-page-no-file").arg("page", page).arg("file", file));
    }
    for (page, file, page_no, count) in &beyond {
        out.bad_pages += 1;
        push(
            problems,
            Message::new("verify-page-beyond-file")
                .arg("page", page)
                .arg("file", file)
                .arg("page_no", page_no)
                .arg("count", count),
        );
    }
    Ok(out)
}

/// Compares the heads found at open with each other and with the log's last row, before any
/// row of this process was written. Returns the parsed heads for the chain's final checks.
fn check_heads(opened: &OpenedHeads, problems: &mut Problems) -> Vec<(&'static str, Option<Head>)> {
    let db = &opened.db;
    let rows = db.rows;
    // `init` writes the first rows: an initialised library with an empty log was wiped.
    if rows == 0 {
        problems.push(Message::new("verify-audit-log-empty"));
    }
    let meta = db.meta.as_deref().and_then(Head::decode);
    match (&db.meta, &meta) {
        (Some(_), None) => {
            problems.push(Message::new("verify-audit-head-unreadable").arg("what", "audit-head-meta"))
        }
        (None, _) if rows > 0 => {
            problems.push(Message::new("verify-audit-head-missing").arg("what", "audit-head-meta"))
        }
        _ => {}
    }
    let file = opened.file_raw.as_deref().and_then(|s| Head::decode(s.trim()));
    match (&opened.file_raw, &file) {
        (Some(_), None) => {
            problems.push(Message::new("verify-audit-head-unreadable").arg("what", "audit-head-file"))
        }
        (None, _) if rows > 0 => {
            problems.push(Message::new("verify-audit-head-missing").arg("what", "audit-head-file"))
        }
        _ => {}
    }
    let writer = (db.writer.seq > 0).then(|| db.writer.clone());
    // Heads move only inside Dangan's own write transaction (the file just after it): a row
    // past every head was added behind its back.
    let highest = [meta.as_ref(), writer.as_ref(), file.as_ref()].into_iter().flatten().map(|h| h.seq).max();
    let last = db.last.seq;
    if rows > 0 && highest.unwrap_or(0) < last {
        problems.push(
            Message::new("verify-audit-unheaded-rows").arg("from", highest.unwrap_or(0) + 1).arg("to", last),
        );
    } else {
        // The file is moved just after each commit (opening waited for one in flight): a file
        // behind the writer head means rows were added by someone who moved the database's
        // heads too, or the file could not be written.
        if let Some(f) = &file
            && f.seq < db.writer.seq
        {
            problems
                .push(Message::new("verify-audit-file-behind").arg("seq", f.seq).arg("last", db.writer.seq));
        }
        // The writer head and meta's head are moved in the row's own transaction: in one
        // snapshot they name the last row exactly.
        for (what, head) in [("audit-head-writer", &writer), ("audit-head-meta", &meta)] {
            if let Some(h) = head
                && h.seq < last
            {
                problems.push(
                    Message::new("verify-audit-head-behind")
                        .arg("what", what)
                        .arg("seq", h.seq)
                        .arg("last", last),
                );
            }
        }
    }
    vec![("audit-head-meta", meta), ("audit-head-writer", writer), ("audit-head-file", file)]
}

/// Fields a record's audited state is not compared on: bookkeeping, or names derived from
/// other records (a parent category's or a document type's name changes without an audit row
/// of this record).
const CUSTOMER_SKIP: &[&str] = &["updated_at", "category_path"];
// Scanned pages are filed and unfiled by their own audited actions.
const DOCUMENT_SKIP: &[&str] = &["doc_type_name", "scanned_pages"];
const CATEGORY_SKIP: &[&str] = &["path", "depth", "sort_order"];

/// The fields (keys of the current record) whose value differs from the audited one. Fields
/// the audited state does not hold (written by an older version) are not compared.
fn differing(audited: &Value, current: &Value, skip: &[&str]) -> Vec<String> {
    let (Some(a), Some(c)) = (audited.as_object(), current.as_object()) else { return Vec::new() };
    c.iter()
        .filter(|(k, _)| !skip.contains(&k.as_str()))
        .filter(|(k, v)| a.get(*k).is_some_and(|av| av != *v))
        .map(|(k, _)| k.clone())
        .collect()
}

fn differs(what: &'static str, id: impl ToString, fields: &[String]) -> Message {
    Message::new("verify-record-differs").arg("what", what).arg("id", id).arg("fields", fields.join(", "))
}

fn gone(what: &'static str, id: impl ToString) -> Message {
    Message::new("verify-record-gone").arg("what", what).arg("id", id)
}

/// Every current customer, document, user and category against the "after" of its last
/// audited change (`quick_since`: only the dossiers changed after it, plus a sample). Records
/// without an audited state (made by the demo's bulk loader, or by a template at `init`) are
/// not compared. Returns how many records were compared.
fn check_records(
    tx: &rusqlite::Connection,
    quick_since: Option<&str>,
    problems: &mut Problems,
) -> Result<i64> {
    let mut checked = 0i64;
    let json = |s: &str| serde_json::from_str::<Value>(s).unwrap_or(Value::Null);
    let mut compare_dossier = |dossier: &str,
                               states: Vec<(String, String, String)>,
                               problems: &mut Problems| {
        let current = store::customers::get(tx, dossier)?;
        // The last state of each record, by entity and id.
        let mut last: HashMap<(String, String), String> = HashMap::new();
        for (entity, id, after) in states {
            last.insert((entity, id), after);
        }
        let documents = match &current {
            Some((c, _)) => store::customers::documents_of(tx, c.id)?,
            None => Vec::new(),
        };
        for ((entity, id), after) in last {
            checked += 1;
            let audited = json(&after);
            if entity == "customer" {
                match &current {
                    Some((c, _)) => {
                        let fields =
                            differing(&audited, &serde_json::to_value(c).unwrap_or_default(), CUSTOMER_SKIP);
                        if !fields.is_empty() {
                            problems.push(differs("verify-what-customer", &c.dossier, &fields));
                        }
                    }
                    None => problems.push(gone("verify-what-customer", dossier)),
                }
            } else {
                let label = format!("{id} ({dossier})");
                match documents.iter().find(|d| d.id.to_string() == id) {
                    Some(d) => {
                        let fields =
                            differing(&audited, &serde_json::to_value(d).unwrap_or_default(), DOCUMENT_SKIP);
                        if !fields.is_empty() {
                            problems.push(differs("verify-what-document", &label, &fields));
                        }
                    }
                    None => problems.push(gone("verify-what-document", &label)),
                }
            }
        }
        Ok::<(), crate::model::error::Error>(())
    };
    match quick_since {
        Some(since) => {
            for dossier in store::audit::recent_and_sampled_dossiers(tx, since, QUICK_SAMPLE)? {
                let states = store::audit::states_of_dossier(tx, &dossier)?;
                compare_dossier(&dossier, states, problems)?;
            }
        }
        None => {
            // Customers and their documents, dossier by dossier: the last state of each.
            store::audit::dossier_states(tx, |dossier, states| compare_dossier(dossier, states, problems))?;
        }
    }
    // Users (their role above all) and categories: few, always all of them.
    let users: HashMap<i64, Value> = store::users::list(tx)?
        .into_iter()
        .map(|u| (u.id, serde_json::to_value(&u).unwrap_or_default()))
        .collect();
    let categories: HashMap<i64, Value> = store::config::categories(tx)?
        .into_iter()
        .map(|c| (c.id, serde_json::to_value(&c).unwrap_or_default()))
        .collect();
    for (entity, what, current, skip) in [
        ("user", "verify-what-user", &users, &[][..]),
        ("category", "verify-what-category", &categories, CATEGORY_SKIP),
    ] {
        // The last state per record id (an entity id may be spelt differently over time).
        let mut last: HashMap<i64, (String, Value)> = HashMap::new();
        store::audit::last_states(tx, entity, |id, _, after| {
            let audited = json(after);
            if let Some(rid) = audited["id"].as_i64() {
                last.insert(rid, (id.to_string(), audited));
            }
            Ok(())
        })?;
        for (rid, (id, audited)) in last {
            checked += 1;
            match current.get(&rid) {
                Some(now) => {
                    let fields = differing(&audited, now, skip);
                    if !fields.is_empty() {
                        let shown = now.get("name").or_else(|| now.get("code")).and_then(Value::as_str);
                        let shown = if entity == "category" { now["code"].as_str() } else { shown };
                        problems.push(differs(what, shown.unwrap_or(&id), &fields));
                    }
                }
                None => problems.push(gone(what, &id)),
            }
        }
    }
    checked += check_storage(tx, problems)?;
    checked += check_loans(tx, problems)?;
    Ok(checked)
}

/// Computed or derived fields of a loan that may change without a change of the loan: the days
/// overdue (today moves on), the title (the customer renamed, a box filled) and the borrower's
/// name and department (a borrower's edit is audited on its own).
const LOAN_SKIP: &[&str] = &["overdue_days", "title", "borrower", "borrower_org"];

/// Every loan and borrower that has an audited state against the last one. Loans are looked up
/// one by one: only those the desk made have an audited state (the demo's bulk history has
/// none), so a library with millions of loans is not read whole.
fn check_loans(tx: &rusqlite::Connection, problems: &mut Problems) -> Result<i64> {
    use crate::store::{Tx, loans as ldb};
    let t = Tx::new(tx);
    let mut checked = 0;
    store::audit::last_rows(tx, "loan", |id, after| {
        let Some(after) = after else { return Ok(()) };
        checked += 1;
        let audited = serde_json::from_str::<Value>(after).unwrap_or(Value::Null);
        let current = match id.parse::<i64>() {
            Ok(n) => ldb::loan_by_id(t, n)?,
            Err(_) => None,
        };
        match current {
            Some((loan, _)) => {
                let fields = differing(&audited, &serde_json::to_value(&loan).unwrap_or_default(), LOAN_SKIP);
                if !fields.is_empty() {
                    problems.push(differs("verify-what-loan", id, &fields));
                }
            }
            None => problems.push(gone("verify-what-loan", id)),
        }
        Ok(())
    })?;
    store::audit::last_rows(tx, "borrower", |code, after| {
        let Some(after) = after else { return Ok(()) };
        checked += 1;
        let audited = serde_json::from_str::<Value>(after).unwrap_or(Value::Null);
        match ldb::borrower_by_code(t, code)? {
            Some(b) => {
                let fields = differing(&audited, &serde_json::to_value(&b).unwrap_or_default(), &[]);
                if !fields.is_empty() {
                    problems.push(differs("verify-what-borrower", code, &fields));
                }
            }
            None => problems.push(gone("verify-what-borrower", code)),
        }
        Ok(())
    })?;
    Ok(checked)
}

/// Every location, box and folder that has an audited state against the last one: a place,
/// a box's home and current place, a folder's box and item number. A record whose last audited
/// change removed it must be gone. Records the demo's bulk loader made have no audited state of
/// their own and are not compared.
fn check_storage(tx: &rusqlite::Connection, problems: &mut Problems) -> Result<i64> {
    use crate::store::{Tx, storage as sdb};
    let t = Tx::new(tx);
    let locations: HashMap<String, Value> = sdb::locations_under(t, None)?
        .into_iter()
        .map(|l| (l.code.clone(), serde_json::json!({ "path": l.path, "capacity": l.capacity })))
        .collect();
    let boxes: HashMap<String, Value> = sdb::all_box_places(t)?
        .into_iter()
        .map(|(code, home, current)| (code, serde_json::json!({ "home": home, "current": current })))
        .collect();
    let folders: HashMap<String, Value> = sdb::all_folders(t)?
        .into_iter()
        .map(|(dossier, code, item)| (dossier, serde_json::json!({ "box_code": code, "item_no": item })))
        .collect();
    let mut checked = 0;
    for (entity, what, current) in [
        ("location", "verify-what-location", &locations),
        ("box", "verify-what-box", &boxes),
        ("folder", "verify-what-folder", &folders),
    ] {
        store::audit::last_rows(tx, entity, |id, after| {
            checked += 1;
            let audited = after.map(|a| serde_json::from_str::<Value>(a).unwrap_or(Value::Null));
            match (audited, current.get(id)) {
                (Some(a), Some(now)) => {
                    let fields = differing(&a, now, &[]);
                    if !fields.is_empty() {
                        problems.push(differs(what, id, &fields));
                    }
                }
                (Some(_), None) => problems.push(gone(what, id)),
                (None, Some(_)) => {
                    problems.push(Message::new("verify-record-back").arg("what", what).arg("id", id))
                }
                (None, None) => {}
            }
            Ok(())
        })?;
    }
    Ok(checked)
}

/// The chain's current head with its short digest, for a paper log.
#[derive(Debug, Clone, Serialize)]
pub struct HeadReport {
    pub library_id: String,
    pub seq: i64,
    pub hash: String,
    pub digest: String,
}

/// What `audit anchor` did.
#[derive(Debug, Clone, Serialize)]
pub struct AnchorReport {
    /// What the head file said before (`None`: it was missing).
    pub previous: Option<String>,
    pub head: Head,
}

impl Session {
    /// The chain's current head (seq, hash) and a short digest of it: a manager writes seq and
    /// digest in a paper log and later checks them with [`Session::check_head_digest`].
    pub fn audit_head(&mut self) -> Result<HeadReport> {
        self.require(Permission::ReadAudit)?;
        self.lib.db.read(|tx| {
            let head = store::audit::last_head(tx)?;
            let library_id = store::get_meta(tx, "library_id")?.unwrap_or_default();
            Ok(HeadReport { digest: head.digest(&library_id), library_id, seq: head.seq, hash: head.hash })
        })
    }

    /// Whether row `seq` of the chain still has the digest written down for it. `Ok(false)`:
    /// the log was rewritten at or before that row (or the row is gone).
    pub fn check_head_digest(&mut self, seq: i64, digest: &str) -> Result<bool> {
        self.require(Permission::ReadAudit)?;
        let wanted: String =
            digest.chars().filter(char::is_ascii_hexdigit).collect::<String>().to_ascii_uppercase();
        if wanted.len() != 16 {
            return Err(crate::model::error::Error::usage("audit-digest-invalid").arg("digest", digest));
        }
        self.lib.db.read(|tx| {
            let library_id = store::get_meta(tx, "library_id")?.unwrap_or_default();
            Ok(store::audit::hash_at(tx, seq)?
                .is_some_and(|hash| Head { seq, hash }.digest(&library_id).replace('-', "") == wanted))
        })
    }

    /// Re-anchors `audit.head` (missing, unreadable, or naming a row no longer in the log) to
    /// the chain's current head, after an admin has looked into why. Audited: the row records
    /// what the file said before; `verify` no longer reports the file after this, but every
    /// other problem (a break in the chain, rows past the heads) stays.
    pub fn anchor_audit_head(&mut self) -> Result<AnchorReport> {
        self.require(Permission::ManageUsers)?;
        let previous = crate::core::files::read_no_follow(&self.lib.paths().audit_head)
            .map(|s| s.chars().take(200).collect::<String>());
        let before = serde_json::json!({ "file": previous }).to_string();
        let (user, at) = (self.user.name.clone(), crate::core::now());
        let head = self.lib.write(|tx| {
            let old = store::audit::last_head(tx)?;
            record(
                tx,
                &user,
                &at,
                Change {
                    action: "anchor",
                    entity: "audit",
                    entity_id: "audit.head",
                    dossier: None,
                    before: Some(before),
                    after: Some(serde_json::json!({ "from_seq": old.seq }).to_string()),
                },
            )?;
            store::audit::last_head(tx)
        })?;
        self.lib.write_head_file()?;
        Ok(AnchorReport { previous, head })
    }
}
