//! Full-text search: a tantivy index in the library's `index/` folder, derived from SQLite.
//!
//! Deleting the folder loses nothing: [`SearchIndex::rebuild`] makes it again from the
//! records it is fed. This module knows nothing of SQLite: `core::index` reads the records and
//! the change log through `store` and hands them over. Every commit carries a [`Bookmark`] in
//! tantivy's commit payload (the library and the last write transaction the index holds), so
//! the index and its place in the change log move together, and every process on the library
//! reads the same bookmark from the index folder.
//!
//! Text is analysed by [`analysis`] and handed to tantivy as whitespace-separated tokens, so
//! index terms and query terms come from the same functions.

pub mod analysis;
mod document;
mod query;
mod schema;
mod snippet;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use tantivy::tokenizer::{TextAnalyzer, WhitespaceTokenizer};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::model::error::{Error, Result};
use crate::model::record::Record;
use schema::{
    Fields, MERGE_MAX_DOCS, REBUILD_BATCH, REBUILD_MEMORY, TOKENIZER, UPDATE_MEMORY, VERSION_FILE, ix, schema,
};

pub use document::fingerprint;
pub use query::{Filters, Hit, MAX_RESULTS, Page, Reader};
pub use schema::INDEX_VERSION;

/// The bytes of the files under `path` (0 for what cannot be read).
pub fn dir_size(path: &Path) -> u64 {
    std::fs::read_dir(path)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| {
                    let p = e.path();
                    if p.is_dir() { dir_size(&p) } else { e.metadata().map_or(0, |m| m.len()) }
                })
                .sum()
        })
        .unwrap_or(0)
}

/// What [`SearchIndex::examine`] found.
enum Health {
    Sound(Box<SearchIndex>),
    /// No index, or an unfinished one (no version file): built at the next search.
    Absent,
    /// Of another version, library or schema: rebuilt, nothing is wrong.
    Outdated(&'static str),
    /// Says it is complete but cannot be used: what is wrong, in a few words.
    Damaged(String),
}

/// tantivy's messages can run over lines (a path, a debug dump): the first is enough.
fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or_default().chars().take(200).collect()
}

/// `index` → `index.new`, `index.old`: folders beside the index, for building and swapping.
fn sibling(dir: &Path, suffix: &str) -> PathBuf {
    let mut name = dir.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(format!(".{suffix}"));
    dir.with_file_name(name)
}

/// Moves the complete index `fresh` to `dir`, and the index that was there to `old`. The old
/// folder is renamed, not deleted, so a process holding its files keeps reading them; between
/// the two renames (microseconds) a process that looks finds no index and waits for the
/// index lock, which the builder holds.
fn swap_in(fresh: &Path, dir: &Path, old: &Path) -> Result<()> {
    if dir.exists() {
        std::fs::rename(dir, old).map_err(|e| Error::io("io-index-finish", e))?;
    }
    if let Err(e) = std::fs::rename(fresh, dir) {
        // Put the old index back rather than leave none.
        if old.exists() {
            let _ = std::fs::rename(old, dir);
        }
        return Err(Error::io("io-index-finish", e));
    }
    Ok(())
}

fn version_stamp(dir: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(dir.join(VERSION_FILE)).and_then(|m| m.modified()).ok()
}

/// Statistics of a rebuild.
#[derive(Debug, Clone, Serialize)]
pub struct BuildStats {
    pub documents: u64,
    pub seconds: f64,
    pub bytes: u64,
}

pub struct SearchIndex {
    dir: PathBuf,
    library_id: String,
    index: Index,
    reader: IndexReader,
    f: Fields,
    /// When the folder's version file was written: a rebuild by another process writes a new
    /// one (see [`SearchIndex::replaced`]).
    stamp: Option<std::time::SystemTime>,
}

/// Where an index stands: the library it belongs to and the last write transaction (the
/// change log's `txn`) whose changes it holds. Kept in each commit's payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Bookmark {
    pub library_id: String,
    pub txn: i64,
}

/// Feeds records to a rebuild: calls the given function once per record, in any order.
pub type Feed<'a> = &'a mut dyn FnMut(&mut dyn FnMut(Record) -> Result<()>) -> Result<()>;

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").field("dir", &self.dir).finish()
    }
}

#[derive(Debug, Serialize, serde::Deserialize, PartialEq)]
struct VersionFile {
    version: u32,
    library_id: String,
}

impl SearchIndex {
    /// Opens the index in `dir`. Returns `None` if there is none, or it is of another version
    /// or another library, or damaged (a file that fails its checksum, a missing or truncated
    /// segment, an unreadable `meta.json`): it must then be rebuilt. A damaged index is
    /// logged as such, so the rebuild that follows is explained.
    pub fn open(dir: &Path, library_id: &str) -> Result<Option<SearchIndex>> {
        match Self::examine(dir, library_id) {
            Health::Sound(me) => Ok(Some(*me)),
            Health::Absent => Ok(None),
            Health::Outdated(why) => {
                tracing::info!(why, "the search index will be rebuilt");
                Ok(None)
            }
            Health::Damaged(what) => {
                tracing::warn!("the search index is damaged ({what}); it is rebuilt from the database");
                Ok(None)
            }
        }
    }

    /// Why the index in `dir` cannot be used although it says it is complete, in a few words
    /// naming the damaged files: `None` if it is sound, absent, or merely outdated. What
    /// `verify` reports; reads every file of the index (their checksums).
    pub fn damage(dir: &Path, library_id: &str) -> Option<String> {
        match Self::examine(dir, library_id) {
            Health::Damaged(what) => Some(what),
            _ => None,
        }
    }

    fn examine(dir: &Path, library_id: &str) -> Health {
        let want = VersionFile { version: INDEX_VERSION, library_id: library_id.to_string() };
        let found: Option<VersionFile> =
            std::fs::read_to_string(dir.join(VERSION_FILE)).ok().and_then(|s| serde_json::from_str(&s).ok());
        match found {
            None => return Health::Absent,
            Some(f) if f != want => return Health::Outdated("of another version or library"),
            Some(_) => {}
        }
        let index = match Index::open_in_dir(dir) {
            Ok(i) => i,
            Err(e) => return Health::Damaged(format!("it cannot be opened: {}", first_line(&e.to_string()))),
        };
        let (expected, f) = schema();
        if index.schema() != expected {
            return Health::Outdated("of another schema");
        }
        // Every file of the index carries a checksum in its footer: a flipped byte or a
        // truncated file shows here, before any of it is searched (where it could panic the
        // search or come back as garbled text).
        match index.validate_checksum() {
            Ok(bad) if bad.is_empty() => {}
            Ok(bad) => {
                let mut names: Vec<String> = bad.iter().map(|p| p.display().to_string()).collect();
                names.sort();
                return Health::Damaged(format!("files that fail their checksum: {}", names.join(", ")));
            }
            Err(e) => return Health::Damaged(format!("it cannot be read: {}", first_line(&e.to_string()))),
        }
        // Opening the reader opens every segment's files: a missing one fails here.
        let me = match Self::wrap(dir, library_id, index, f) {
            Ok(me) => me,
            Err(e) => return Health::Damaged(format!("it cannot be read: {}", first_line(&e.to_string()))),
        };
        // An index made before bookmarks (schema 2's outbox) cannot follow the change log.
        match me.bookmark() {
            Ok(Some(_)) => Health::Sound(Box::new(me)),
            Ok(None) => Health::Outdated("it has no bookmark in the change log"),
            Err(e) => Health::Damaged(format!("its commit cannot be read: {}", first_line(&e.to_string()))),
        }
    }

    /// The last write transaction the index on disk holds, as its latest commit says (`None`
    /// for an index without a bookmark, or another library's). Reads the folder's `meta.json`,
    /// so it sees commits made by other processes.
    pub fn bookmark(&self) -> Result<Option<i64>> {
        let metas = self.index.load_metas().map_err(ix)?;
        Ok(metas
            .payload
            .and_then(|p| serde_json::from_str::<Bookmark>(&p).ok())
            .filter(|b| b.library_id == self.library_id)
            .map(|b| b.txn))
    }

    fn payload(&self, txn: i64) -> String {
        let b = Bookmark { library_id: self.library_id.clone(), txn };
        serde_json::to_string(&b).unwrap_or_default()
    }

    /// Creates an empty index in `dir`, replacing whatever was there.
    pub fn create(dir: &Path, library_id: &str) -> Result<SearchIndex> {
        if dir.exists() {
            std::fs::remove_dir_all(dir).map_err(|e| Error::io("io-index-clear", e))?;
        }
        std::fs::create_dir_all(dir).map_err(|e| Error::io("io-index-create", e))?;
        let (schema, f) = schema();
        let index = Index::create_in_dir(dir, schema).map_err(ix)?;
        let me = Self::wrap(dir, library_id, index, f)?;
        let v = VersionFile { version: INDEX_VERSION, library_id: library_id.to_string() };
        let json = serde_json::to_string(&v).unwrap_or_default();
        // Written last: an index without it is incomplete and is rebuilt.
        me.version_pending(json);
        Ok(me)
    }

    fn version_pending(&self, json: String) {
        // Stashed until the first full build commits.
        let _ = std::fs::write(self.dir.join(format!("{VERSION_FILE}.pending")), json);
    }

    fn wrap(dir: &Path, library_id: &str, index: Index, f: Fields) -> Result<SearchIndex> {
        index.tokenizers().register(TOKENIZER, TextAnalyzer::builder(WhitespaceTokenizer::default()).build());
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into().map_err(ix)?;
        let stamp = version_stamp(dir);
        Ok(SearchIndex {
            dir: dir.to_path_buf(),
            library_id: library_id.to_string(),
            index,
            reader,
            f,
            stamp,
        })
    }

    /// Whether the folder was rebuilt (by another process) since this index was opened: its
    /// files are then new, and it must be opened afresh. One `stat`.
    pub fn replaced(&self) -> bool {
        version_stamp(&self.dir) != self.stamp
    }

    /// Builds the whole index from the records `feed` gives (`total` of them, for progress),
    /// and commits it with bookmark `txn`: the caller reads the records and the writer head
    /// from one snapshot. The caller holds the library's index lock. `progress(done, total)`.
    pub fn rebuild(
        &mut self,
        total: u64,
        txn: i64,
        feed: Feed<'_>,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<BuildStats> {
        let started = std::time::Instant::now();
        // A bigger memory budget than for small updates: fewer segments to merge.
        let writer: IndexWriter = self.index.writer(REBUILD_MEMORY).map_err(ix)?;
        // The build's segments are big and few: merging them costs more than it saves.
        writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        writer.delete_all_documents().map_err(ix)?;
        let mut done = 0u64;
        // Test hook: `DANGAN_FAULT=index-rebuild-write` makes every write of the build fail, as
        // a full disk or a removed folder would.
        let fail_writes = std::env::var("DANGAN_FAULT").is_ok_and(|v| v == "index-rebuild-write");
        // This thread reads the database; workers analyse and hand documents to tantivy. A
        // worker that fails records the error and keeps draining the channel (so the reader is
        // never left blocked on a full channel); the reader stops at its next batch.
        let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, 4);
        let (send, receive) = std::sync::mpsc::sync_channel::<Vec<Record>>(workers * 2);
        let receive = std::sync::Mutex::new(receive);
        let me = &*self;
        let failed: std::sync::Mutex<Option<Error>> = std::sync::Mutex::new(None);
        let has_failed = std::sync::atomic::AtomicBool::new(false);
        let fail = |e: Error| {
            if let Ok(mut f) = failed.lock() {
                f.get_or_insert(e);
            }
            has_failed.store(true, std::sync::atomic::Ordering::SeqCst);
        };
        std::thread::scope(|scope| -> Result<()> {
            for _ in 0..workers {
                scope.spawn(|| {
                    loop {
                        let batch = match receive.lock() {
                            Ok(r) => r.recv(),
                            Err(_) => {
                                fail(Error::io(
                                    "io-index-workers",
                                    std::io::Error::other("worker lock poisoned"),
                                ));
                                return;
                            }
                        };
                        // The reader hung up: everything is handed over.
                        let Ok(batch) = batch else { return };
                        if has_failed.load(std::sync::atomic::Ordering::SeqCst) {
                            continue;
                        }
                        for r in batch {
                            let added = if fail_writes {
                                Err(Error::io(
                                    "io-index",
                                    std::io::Error::other("simulated write failure (DANGAN_FAULT)"),
                                ))
                            } else {
                                writer.add_document(me.document(&r)).map(drop).map_err(ix)
                            };
                            if let Err(e) = added {
                                fail(e);
                                break;
                            }
                        }
                    }
                });
            }
            let mut batch = Vec::with_capacity(REBUILD_BATCH);
            let read = feed(&mut |r| {
                batch.push(r);
                done += 1;
                if batch.len() == REBUILD_BATCH {
                    if has_failed.load(std::sync::atomic::Ordering::SeqCst) {
                        // Stop reading: the error the workers recorded is returned below.
                        return Err(Error::Cancelled);
                    }
                    send.send(std::mem::replace(&mut batch, Vec::with_capacity(REBUILD_BATCH))).map_err(
                        |_| Error::io("io-index-workers", std::io::Error::other("channel closed")),
                    )?;
                }
                if done.is_multiple_of(10_000) {
                    progress(done, total);
                }
                Ok(())
            });
            if !batch.is_empty() && read.is_ok() {
                let _ = send.send(batch);
            }
            drop(send);
            // A worker's error is the cause; the reader's `Cancelled` only its echo.
            match read {
                Err(Error::Cancelled) if has_failed.load(std::sync::atomic::Ordering::SeqCst) => Ok(()),
                other => other,
            }
        })?;
        if let Some(e) = failed.into_inner().ok().flatten() {
            return Err(e);
        }
        let mut writer = writer;
        let analysed = started.elapsed();
        let mut commit = writer.prepare_commit().map_err(ix)?;
        commit.set_payload(&self.payload(txn));
        commit.commit().map_err(ix)?;
        writer.wait_merging_threads().map_err(ix)?;
        tracing::debug!(?analysed, committed = ?started.elapsed(), "search index rebuild");
        self.reader.reload().map_err(ix)?;
        let pending = self.dir.join(format!("{VERSION_FILE}.pending"));
        if pending.exists() {
            std::fs::rename(&pending, self.dir.join(VERSION_FILE))
                .map_err(|e| Error::io("io-index-finish", e))?;
        }
        self.stamp = version_stamp(&self.dir);
        progress(done, total);
        Ok(BuildStats { documents: done, seconds: started.elapsed().as_secs_f64(), bytes: self.size_bytes() })
    }

    /// Builds a whole new index beside the one in `dir` (in `dir` + `.new`) with `build`, and
    /// swaps it in only once it is complete and committed. Until then every reader, in this
    /// process or another, keeps searching the old index; if the build fails, the half-made
    /// one is removed and the old one stays as it was. Other processes notice the swap by the
    /// new version file ([`SearchIndex::replaced`]) and reopen. The caller holds the library's
    /// index lock. Returns the new index, open in `dir`.
    pub fn build_beside<T>(
        dir: &Path,
        library_id: &str,
        build: impl FnOnce(&mut SearchIndex) -> Result<T>,
    ) -> Result<(SearchIndex, T)> {
        let fresh = sibling(dir, "new");
        let old = sibling(dir, "old");
        // Left over by a build that was killed: nothing in them is needed.
        for leftover in [&fresh, &old] {
            if leftover.exists() {
                std::fs::remove_dir_all(leftover).map_err(|e| Error::io("io-index-clear", e))?;
            }
        }
        let built = (|| {
            let mut ix = SearchIndex::create(&fresh, library_id)?;
            let out = build(&mut ix)?;
            Ok::<_, Error>((ix, out))
        })();
        let (ix, out) = match built {
            Ok(v) => v,
            Err(e) => {
                if let Err(clear) = std::fs::remove_dir_all(&fresh) {
                    tracing::warn!(error = %clear, "could not remove the unfinished search index");
                }
                return Err(e);
            }
        };
        // Let go of the new index's files before its folder moves.
        drop(ix);
        swap_in(&fresh, dir, &old)?;
        if old.exists()
            && let Err(e) = std::fs::remove_dir_all(&old)
        {
            tracing::warn!(error = %e, "could not remove the old search index; it is removed next time");
        }
        let ix = SearchIndex::open(dir, library_id)?.ok_or_else(|| {
            Error::io("io-index-finish", std::io::Error::other("the new index does not open"))
        })?;
        Ok((ix, out))
    }

    /// Replaces the entries of customers `ids` with `records` (ids without a record are
    /// deleted: the customer is gone) and commits with bookmark `txn`. The index writer (and
    /// tantivy's own lock on the folder) is held only for this call; the caller holds the
    /// library's index lock. `before_commit` and `after_commit` run around the commit (fault
    /// points for tests).
    pub fn apply(
        &mut self,
        ids: &[i64],
        records: &[Record],
        txn: i64,
        before_commit: impl Fn(),
        after_commit: impl Fn(),
    ) -> Result<()> {
        let docs: Vec<TantivyDocument> = records.iter().map(|r| self.document(r)).collect();
        let mut writer: IndexWriter = self.index.writer(UPDATE_MEMORY).map_err(ix)?;
        // Updates make small segments; merge those, and leave the rebuild's big ones be.
        let mut policy = tantivy::indexer::LogMergePolicy::default();
        policy.set_max_docs_before_merge(MERGE_MAX_DOCS);
        writer.set_merge_policy(Box::new(policy));
        for id in ids {
            writer.delete_term(Term::from_field_u64(self.f.id, *id as u64));
        }
        for d in docs {
            writer.add_document(d).map_err(ix)?;
        }
        before_commit();
        let mut commit = writer.prepare_commit().map_err(ix)?;
        commit.set_payload(&self.payload(txn));
        commit.commit().map_err(ix)?;
        after_commit();
        // Small merges finish before the writer (and the folder's lock) is given up.
        writer.wait_merging_threads().map_err(ix)?;
        self.reader.reload().map_err(ix)
    }

    /// Makes changes committed by another process visible to this reader.
    pub fn refresh(&self) -> Result<()> {
        self.reader.reload().map_err(ix)
    }

    pub fn size_bytes(&self) -> u64 {
        dir_size(&self.dir)
    }

    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// `(customer id, fingerprint)` of every live entry, as this process's reader sees them.
    pub fn entries(&self) -> Result<HashMap<i64, u64>> {
        let searcher = self.reader.searcher();
        let mut out = HashMap::new();
        for seg in searcher.segment_readers() {
            let ids = seg.fast_fields().u64("id").map_err(ix)?;
            let fps = seg.fast_fields().u64("fp").map_err(ix)?;
            for doc in seg.doc_ids_alive() {
                if let (Some(id), Some(fp)) = (ids.first(doc), fps.first(doc)) {
                    out.insert(id as i64, fp);
                }
            }
        }
        Ok(out)
    }
}
