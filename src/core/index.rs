//! The search index as the core uses it: kept in step with the database after every write,
//! rebuilt when missing or old, searched with the user's permissions applied.
//!
//! The index is derived data. The database's `search_outbox` (filled by triggers inside each
//! write transaction) says which customers changed; after the transaction commits, the writer
//! indexes them, commits the index, then deletes those outbox rows. A crash anywhere in between
//! leaves rows in the outbox, and the next process to open the index replays them.

use std::fs::{File, OpenOptions};

use serde::Serialize;

use crate::core::library::{Access, Library};
use crate::core::session::Session;
use crate::model::error::{Error, Result};
use crate::model::permission::Permission;
use crate::model::{Grade, Status};
use crate::search::{BuildStats, Hit, SearchIndex};
use crate::store;

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
/// crash there loses nothing. Costs one environment lookup per indexing run.
fn fault(point: &str) {
    if std::env::var("DANGAN_FAULT").is_ok_and(|v| v == point) {
        eprintln!("dangan: aborting at fault point {point} (DANGAN_FAULT)");
        std::process::abort();
    }
}

impl Library {
    fn library_id(&self) -> Result<String> {
        Ok(store::get_meta(self.db.conn(), "library_id")?.unwrap_or_default())
    }

    /// Opens the index if it is there and of this version; `false` if it must be rebuilt.
    pub(crate) fn open_index(&mut self) -> Result<bool> {
        if self.search.is_none() {
            self.search = SearchIndex::open(&self.paths().index, &self.library_id()?)?;
        }
        Ok(self.search.is_some())
    }

    /// The writer lock for an index update: a writer holds it already (`None`); a reader takes
    /// it for the moment if no other process has it.
    fn index_lock(&self) -> Result<Option<File>> {
        if self.access() == Access::Write {
            return Ok(None);
        }
        let f = OpenOptions::new()
            .write(true)
            .open(&self.paths().lock)
            .map_err(|e| Error::io("cannot open the lock file", e))?;
        Library::take_lock(self.paths(), &f)?;
        Ok(Some(f))
    }

    pub fn index_state(&mut self) -> Result<IndexState> {
        if !self.open_index()? {
            return Ok(IndexState::Missing);
        }
        match store::search::outbox_len(self.db.conn())? {
            0 => Ok(IndexState::Ready),
            n => Ok(IndexState::Behind(n as u64)),
        }
    }

    /// Makes the index ready to search: rebuilds it if it is missing or old (reporting
    /// `progress(done, total)`), and indexes changes still waiting in the outbox.
    ///
    /// A reader whose library is held by another process searches the index as it is (the
    /// holder keeps it current); if there is no index at all it is told to wait.
    pub fn prepare_index(&mut self, progress: Progress<'_>) -> Result<()> {
        let present = self.open_index()?;
        let behind = store::search::outbox_pending(self.db.conn())?;
        if present && !behind {
            if let Some(ix) = &self.search {
                ix.refresh()?;
            }
            return Ok(());
        }
        let _lock = match self.index_lock() {
            Ok(l) => l,
            Err(Error::Locked { holder, .. }) if present => {
                tracing::debug!(%holder, "the index is behind; its writer will catch up");
                if let Some(ix) = &self.search {
                    ix.refresh()?;
                }
                return Ok(());
            }
            Err(Error::Locked { holder, .. }) => {
                return Err(Error::refused(format!(
                    "the search index is missing and the library is held by {holder}, which will \
                     rebuild it: try again in a minute"
                )));
            }
            Err(e) => return Err(e),
        };
        if present {
            self.catch_up_index()?;
        } else {
            self.build_index(progress)?;
        }
        Ok(())
    }

    /// Rebuilds the index from the database, whatever state it is in.
    pub fn rebuild_index(&mut self, progress: Progress<'_>) -> Result<BuildStats> {
        let _lock = self.index_lock()?;
        self.build_index(progress)
    }

    fn build_index(&mut self, progress: Progress<'_>) -> Result<BuildStats> {
        // Drop the old writer before its folder is replaced.
        self.search = None;
        let mut ix = SearchIndex::create(&self.paths().index, &self.library_id()?)?;
        tracing::info!("building the search index");
        let stats = ix.rebuild(self.db.conn(), progress)?;
        tracing::info!(documents = stats.documents, seconds = stats.seconds, "search index built");
        self.search = Some(ix);
        Ok(stats)
    }

    fn catch_up_index(&mut self) -> Result<usize> {
        let Some(ix) = self.search.as_mut() else { return Ok(0) };
        let n =
            ix.apply_outbox(self.db.conn(), || fault("index-before-commit"), || fault("index-after-commit"))?;
        if n > 0 {
            tracing::debug!(customers = n, "search index caught up");
        }
        Ok(n)
    }

    /// After a write transaction: index what it changed. The change is committed already, so a
    /// failure here is logged, not returned; the outbox keeps it for the next attempt.
    pub(crate) fn sync_index(&mut self) {
        if self.access() != Access::Write {
            return;
        }
        let run = |lib: &mut Library| -> Result<()> {
            if !store::search::outbox_pending(lib.db.conn())? || !lib.open_index()? {
                // No index yet: the first search builds it, covering this change.
                return Ok(());
            }
            lib.catch_up_index().map(drop)
        };
        if let Err(e) = run(self) {
            tracing::warn!(error = %e, "could not update the search index; the change stays queued");
        }
    }

    /// Index entries that disagree with the database (for `verify`); none if there is no index
    /// (it is derived, and rebuilt when missing).
    pub(crate) fn index_problems(&mut self, max: usize) -> Result<Vec<String>> {
        if !self.open_index()? {
            return Ok(Vec::new());
        }
        let conn = self.db.conn();
        match &self.search {
            Some(ix) => {
                ix.refresh()?;
                ix.disagreements(conn, max)
            }
            None => Ok(Vec::new()),
        }
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

    /// Makes the index ready for searching, rebuilding it (with progress) if it is missing or
    /// old: what an app does after login, so the first search does not wait unannounced.
    pub fn prepare_search(&mut self, progress: Progress<'_>) -> Result<IndexState> {
        self.require(Permission::ReadDossiers)?;
        self.lib.prepare_index(progress)?;
        self.lib.index_state()
    }
}
