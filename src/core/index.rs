//! The search index as the core uses it: kept in step with the database after every write and
//! on demand, rebuilt when missing or old, searched with the user's permissions applied.
//!
//! The index is derived data, and `search` knows nothing of SQLite: this module owns the
//! protocol. Every write transaction numbers itself (`writer_head.txn`) and triggers note the
//! customers it changed in `change_log (txn, customer_id)`. The index's commit payload holds
//! its bookmark: the last `txn` it holds. Catching up means: take `index.lock` (without
//! waiting long: whoever holds it is doing the same work), read the change-log rows after the
//! bookmark and those customers' records in one snapshot, reindex them, and commit with the
//! new bookmark, so index and bookmark move together. A crash before the commit leaves the
//! bookmark where it was, and the next process replays the same rows (indexing is idempotent:
//! delete and add by customer id). Processes that do not get the lock reload their reader.
//!
//! Pruning: on SQLite every process on the library shares the one index in `index/`, so the
//! only bookmark that matters is that index's. Change-log rows at or below a bookmark this
//! process committed are deleted inside its next write transaction, and `meta` keeps the floor
//! (`change_log_floor`): an index whose bookmark is below it (say, one restored from an old
//! copy) may have missed rows and is rebuilt.

use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::core::library::Library;
use crate::core::session::Session;
use crate::model::error::{Error, Result};
use crate::model::permission::Permission;
use crate::model::{Grade, Status};
use crate::search::{BuildStats, Hit, SearchIndex, fingerprint};
use crate::store::{self, Tx};

/// Where the index stands, for status bars and `info`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IndexState {
    /// Present and up to date with the database.
    Ready,
    /// Present; this many changes are still to be indexed.
    Behind(u64),
    /// Missing, unfinished or of an older version: it will be rebuilt at next search.
    Missing,
}

/// What a poll found (see [`Session::changes_since`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Changes {
    /// The writer head now: the number of the last committed write transaction.
    pub head: i64,
    /// Whether anything may look different since the head the caller gave: another write was
    /// committed, or this process's search index moved on.
    pub moved: bool,
}

/// The change log is pruned in a transaction of its own once this many write transactions
/// have gathered above its floor (see `Library::prune_change_log`).
const PRUNE_EVERY: i64 = 64;

/// A backlog bigger than this many customers is rebuilt rather than caught up one by one.
const CATCH_UP_MAX: usize = 50_000;

/// How long a search waits for another process applying the index (it is usually done within
/// milliseconds), before searching what the index holds.
const SEARCH_PATIENCE: Duration = Duration::from_millis(250);

/// How long a process that just wrote waits for another one applying the index, so its own
/// change is searchable when it returns.
const AFTER_WRITE_PATIENCE: Duration = Duration::from_secs(2);

/// The stages of a rebuild, for progress bars.
pub type Progress<'a> = &'a mut dyn FnMut(u64, u64);

/// What a search asks for, as a user gives it.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    pub text: String,
    /// A category code or name: it and the categories below it.
    pub category: Option<String>,
    pub grade: Option<Grade>,
    pub status: Option<Status>,
    pub on_loan: Option<bool>,
    /// At most this many results (0 means 20).
    pub limit: usize,
    /// Results to skip (the next page starts here).
    pub offset: usize,
}

/// Test hook: `DANGAN_FAULT=<point>` aborts the process at that point, so tests can show that a
/// crash there loses nothing. Costs one environment lookup per write and per indexing run.
pub(crate) fn fault(point: &str) {
    if std::env::var("DANGAN_FAULT").is_ok_and(|v| v == point) {
        eprintln!("dangan: aborting at fault point {point} (DANGAN_FAULT)");
        std::process::abort();
    }
}

impl Library {
    pub(crate) fn library_id(&self) -> Result<String> {
        Ok(store::get_meta(self.db.conn(), "library_id")?.unwrap_or_default())
    }

    /// The writer head: the number of the last committed write transaction (any process's).
    pub fn head_txn(&self) -> Result<i64> {
        Ok(store::writer_head(self.db.tx())?.txn)
    }

    /// Opens the index if it is there, of this version and this library, with a bookmark the
    /// change log still covers; `false` if it must be rebuilt.
    pub(crate) fn open_index(&mut self) -> Result<bool> {
        if self.search.as_ref().is_some_and(|ix| ix.replaced()) {
            tracing::debug!("the search index was rebuilt by another process; reopening it");
            self.search = None;
        }
        if self.search.is_none() {
            self.search = SearchIndex::open(&self.paths().index, &self.library_id()?)?;
            self.reader_txn = None;
        }
        let Some(ix) = &self.search else { return Ok(false) };
        let bookmark = match ix.bookmark() {
            Ok(Some(b)) => b,
            Ok(None) => {
                self.search = None;
                return Ok(false);
            }
            Err(e) => {
                // Rebuilt under our feet by another process, or damaged: open it afresh next time.
                tracing::info!(error = %e, "the search index changed on disk; reopening it");
                self.search = None;
                return Ok(false);
            }
        };
        let floor: i64 = store::get_meta(self.db.conn(), store::search::FLOOR_KEY)?
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        if bookmark < floor {
            tracing::warn!(bookmark, floor, "the search index is older than the change log; rebuilding it");
            self.search = None;
            return Ok(false);
        }
        Ok(true)
    }

    /// Takes `index.lock`, waiting up to `patience` for another process to finish with the
    /// index; `None` if it is still held then.
    fn index_lock(&self, patience: Duration) -> Result<Option<File>> {
        let f = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&self.paths().index_lock)
            .map_err(|e| Error::io("io-index-lock-file", e))?;
        let start = Instant::now();
        loop {
            match f.try_lock() {
                Ok(()) => return Ok(Some(f)),
                Err(std::fs::TryLockError::WouldBlock) if start.elapsed() < patience => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(std::fs::TryLockError::WouldBlock) => return Ok(None),
                Err(std::fs::TryLockError::Error(e)) => {
                    return Err(Error::io("io-index-lock", e));
                }
            }
        }
    }

    pub fn index_state(&mut self) -> Result<IndexState> {
        if !self.open_index()? {
            return Ok(IndexState::Missing);
        }
        let Some(bookmark) = self.search.as_ref().map(|ix| ix.bookmark()).transpose()?.flatten() else {
            return Ok(IndexState::Missing);
        };
        match store::search::changes_after(self.db.tx(), bookmark)? {
            0 => Ok(IndexState::Ready),
            n => Ok(IndexState::Behind(n as u64)),
        }
    }

    /// Makes the index ready to search: rebuilds it if it is missing or old (reporting
    /// `progress(done, total)`), and indexes the changes the change log holds after its
    /// bookmark. If another process is rebuilding the index, it is told to wait.
    pub fn prepare_index(&mut self, progress: Progress<'_>) -> Result<()> {
        if self.open_index()? {
            self.follow_index(SEARCH_PATIENCE)?;
            return Ok(());
        }
        // A little patience: another process swapping in a new index holds the lock for the
        // moment between its two renames, and then the index is there.
        let Some(_lock) = self.index_lock(SEARCH_PATIENCE)? else {
            return Err(Error::conflict("index-rebuilding-elsewhere"));
        };
        // Whoever held the lock before may just have built it.
        if self.open_index()? {
            self.catch_up_locked()?;
        } else {
            self.build_index(progress)?;
        }
        Ok(())
    }

    /// Rebuilds the index from the database, whatever state it is in.
    pub fn rebuild_index(&mut self, progress: Progress<'_>) -> Result<BuildStats> {
        let Some(_lock) = self.index_lock(AFTER_WRITE_PATIENCE)? else {
            return Err(Error::conflict("index-rebuilding-elsewhere"));
        };
        self.build_index(progress)
    }

    /// Builds the index afresh (the caller holds `index.lock`): every record and the writer
    /// head are read from one snapshot, and the head becomes the new index's bookmark.
    fn build_index(&mut self, progress: Progress<'_>) -> Result<BuildStats> {
        // Built beside the old index and swapped in when complete: searches (here and in other
        // processes) keep using the old one meanwhile, and a failed build leaves it as it was.
        let library_id = self.library_id()?;
        tracing::info!("building the search index");
        let dir = self.paths().index.clone();
        let db = &mut self.db;
        let (ix, (stats, txn)) = SearchIndex::build_beside(&dir, &library_id, |ix| {
            db.read(|tx| {
                let txn = store::writer_head(Tx::new(tx))?.txn;
                let total = store::customers::count(tx)? as u64;
                let stats =
                    ix.rebuild(total, txn, &mut |f| store::search::for_each_record(tx, f), progress)?;
                Ok((stats, txn))
            })
        })
        .inspect_err(|e| tracing::info!(error = %e, "the search index could not be built"))?;
        tracing::info!(documents = stats.documents, seconds = stats.seconds, txn, "search index built");
        self.search = Some(ix);
        self.reader_txn = Some(txn);
        self.prune_change_log(txn);
        Ok(stats)
    }

    /// Brings this process's view of the index up to the change log: applies what is new if
    /// it gets `index.lock` within `patience`, else reloads its reader (the holder is applying).
    /// Returns whether this process's reader moved on. The index must be open.
    fn follow_index(&mut self, patience: Duration) -> Result<bool> {
        let Some(ix) = &self.search else { return Ok(false) };
        let bookmark = ix.bookmark()?.unwrap_or(0);
        if store::search::changes_after(self.db.tx(), bookmark)? > 0 {
            if let Some(_lock) = self.index_lock(patience)? {
                return self.catch_up_locked();
            }
            tracing::debug!("another process is applying the index; reloading the reader");
        }
        self.reload_reader()
    }

    /// Reloads the reader if the index on disk has a newer bookmark than the one it was
    /// loaded at. The bookmark is read first, so the reader is at least that new.
    fn reload_reader(&mut self) -> Result<bool> {
        let Some(ix) = &self.search else { return Ok(false) };
        let bookmark = ix.bookmark()?;
        if bookmark.is_some() && bookmark == self.reader_txn {
            return Ok(false);
        }
        ix.refresh()?;
        self.reader_txn = bookmark;
        Ok(true)
    }

    /// Applies the change log after the index's bookmark (the caller holds `index.lock`).
    fn catch_up_locked(&mut self) -> Result<bool> {
        let Some(ix) = &self.search else { return Ok(false) };
        // Read under the lock: another process may have applied since we looked.
        let Some(bookmark) = ix.bookmark()? else {
            self.search = None;
            return Ok(false);
        };
        let (upto, ids, records) = self.db.read(|tx| {
            let upto = store::writer_head(Tx::new(tx))?.txn;
            let ids = store::search::changed_customers(Tx::new(tx), bookmark, upto)?;
            if ids.len() > CATCH_UP_MAX {
                return Ok((upto, ids, Vec::new()));
            }
            let records = store::search::records(tx, &ids)?;
            Ok((upto, ids, records))
        })?;
        if ids.is_empty() {
            return self.reload_reader();
        }
        if ids.len() > CATCH_UP_MAX {
            tracing::info!(customers = ids.len(), "many changes to index: rebuilding instead");
            self.build_index(&mut |_, _| {})?;
            return Ok(true);
        }
        let Some(ix) = self.search.as_mut() else { return Ok(false) };
        ix.apply(&ids, &records, upto, || fault("index-before-commit"), || fault("index-after-commit"))?;
        tracing::debug!(customers = ids.len(), bookmark, upto, "search index caught up");
        self.reader_txn = Some(upto);
        self.prune_change_log(upto);
        Ok(true)
    }

    /// The index holds everything up to `upto`: the change log below it can go. Usually in this
    /// process's next write transaction; once [`PRUNE_EVERY`] transactions have gathered above
    /// the floor, at once (short-lived processes such as scripts may never write again).
    fn prune_change_log(&mut self, upto: i64) {
        let floor = store::get_meta(self.db.conn(), store::search::FLOOR_KEY)
            .ok()
            .flatten()
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0);
        if upto - floor < PRUNE_EVERY {
            self.db.prune_change_log_below(upto);
        } else if let Err(e) = self.db.prune_change_log_now(upto) {
            tracing::debug!(error = %e, "could not prune the change log; the next write will");
            self.db.prune_change_log_below(upto);
        }
    }

    /// After a write transaction: index what it changed. The change is committed already, so a
    /// failure here is logged, not returned; the change log keeps it for the next attempt.
    pub(crate) fn sync_index(&mut self) {
        let run = |lib: &mut Library| -> Result<()> {
            if !lib.open_index()? {
                // No index yet: the first search builds it, covering this change.
                return Ok(());
            }
            lib.follow_index(AFTER_WRITE_PATIENCE).map(drop)
        };
        if let Err(e) = run(self) {
            tracing::warn!(error = %e, "could not update the search index; the change log keeps the change");
        }
    }

    /// What changed since writer head `seen`, after following the index: cheap when nothing did
    /// (two small reads). Never waits for another process's index work.
    pub fn changes_since(&mut self, seen: i64) -> Result<Changes> {
        let head = self.head_txn()?;
        let index_moved = if self.open_index()? {
            match self.follow_index(Duration::ZERO) {
                Ok(moved) => moved,
                Err(e) => {
                    tracing::warn!(error = %e, "could not follow the search index; will try again");
                    false
                }
            }
        } else {
            false
        };
        Ok(Changes { head, moved: head != seen || index_moved })
    }

    /// Index entries that disagree with the database (for `verify`), ignoring customers whose
    /// changes the index has still to apply; none if there is no index (it is derived, and
    /// rebuilt when missing).
    pub(crate) fn index_problems(&mut self, max: usize) -> Result<Vec<String>> {
        if !self.open_index()? {
            // Missing or outdated is no problem (it is rebuilt); damaged is, and is named once.
            let damage = SearchIndex::damage(&self.paths().index, &self.library_id()?);
            return Ok(damage
                .map(|what| {
                    format!("search index: damaged ({what}); it is rebuilt at the next search, or run `dangan reindex`")
                })
                .into_iter()
                .collect());
        }
        let Some(ix) = &self.search else { return Ok(Vec::new()) };
        // Bookmark first, then the reader (at least as new), then the database's snapshot:
        // whatever the reader holds beyond the bookmark belongs to customers counted pending.
        let bookmark = ix.bookmark()?.unwrap_or(0);
        ix.refresh()?;
        let mut entries = ix.entries()?;
        self.db.read(|tx| {
            let pending: HashSet<i64> =
                store::search::changed_customers(Tx::new(tx), bookmark, i64::MAX)?.into_iter().collect();
            let mut problems = Vec::new();
            store::search::for_each_record(tx, |r| {
                let found = entries.remove(&r.id);
                if pending.contains(&r.id) || problems.len() >= max {
                    return Ok(());
                }
                match found {
                    None => problems
                        .push(format!("search index: dossier {} is missing; run `dangan reindex`", r.dossier)),
                    Some(fp) if fp != fingerprint(&r) => problems.push(format!(
                        "search index: the entry of dossier {} disagrees with the database; run `dangan reindex`",
                        r.dossier
                    )),
                    Some(_) => {}
                }
                Ok(())
            })?;
            let room = max.saturating_sub(problems.len());
            for id in entries.keys().filter(|id| !pending.contains(id)).take(room) {
                problems.push(format!(
                    "search index: an entry for customer #{id}, who is not in the database; run `dangan reindex`"
                ));
            }
            Ok(problems)
        })
    }
}

impl Session {
    /// Full-text search, best first. Confidential dossiers are left out for users who may not
    /// open them. Never fails on the query's text: what is not a term is ignored.
    pub fn search(&mut self, q: &SearchQuery) -> Result<Vec<Hit>> {
        // The rules live in one place: the searcher a session hands out (core::searcher).
        Ok(self.search_page(q)?.hits)
    }

    /// Rebuilds the search index from the database (archivists and admins).
    pub fn reindex(&mut self, progress: Progress<'_>) -> Result<BuildStats> {
        self.require(Permission::Maintain)?;
        self.lib.rebuild_index(progress)
    }

    pub fn index_state(&mut self) -> Result<IndexState> {
        self.lib.index_state()
    }

    /// What changed since writer head `seen` (another process's write, or the search index
    /// moving on), after following the index: what an app calls every half second to show
    /// other programs' changes. Cheap when nothing changed.
    /// Confidential dossiers this user's searcher showed since the last poll are audited first
    /// (one row, see `core::searcher`); that row alone does not count as a change.
    pub fn changes_since(&mut self, seen: i64) -> Result<Changes> {
        let seen = self.audit_shown_since(seen);
        self.lib.changes_since(seen)
    }

    /// The writer head now (the `seen` to give [`Session::changes_since`] first).
    pub fn head(&self) -> Result<i64> {
        self.lib.head_txn()
    }

    /// Makes the index ready for searching, rebuilding it (with progress) if it is missing or
    /// old: what an app does after login, so the first search does not wait unannounced.
    pub fn prepare_search(&mut self, progress: Progress<'_>) -> Result<IndexState> {
        self.require(Permission::ReadDossiers)?;
        self.lib.prepare_index(progress)?;
        self.lib.index_state()
    }
}
