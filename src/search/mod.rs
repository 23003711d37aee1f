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
    /// or another library: it must then be rebuilt ([`SearchIndex::create`]).
    pub fn open(dir: &Path, library_id: &str) -> Result<Option<SearchIndex>> {
        let want = VersionFile { version: INDEX_VERSION, library_id: library_id.to_string() };
        let found: Option<VersionFile> =
            std::fs::read_to_string(dir.join(VERSION_FILE)).ok().and_then(|s| serde_json::from_str(&s).ok());
        if found.as_ref() != Some(&want) {
            return Ok(None);
        }
        let index = match Index::open_in_dir(dir) {
            Ok(i) => i,
            Err(e) => {
                tracing::warn!(error = %e, "the search index cannot be opened; it will be rebuilt");
                return Ok(None);
            }
        };
        let (expected, f) = schema();
        if index.schema() != expected {
            return Ok(None);
        }
        let me = Self::wrap(dir, library_id, index, f)?;
        // An index made before bookmarks (schema 2's outbox) cannot follow the change log.
        if me.bookmark()?.is_none() {
            tracing::info!("the search index has no bookmark in the change log; it will be rebuilt");
            return Ok(None);
        }
        Ok(Some(me))
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
        // This thread reads the database; workers analyse and hand documents to tantivy.
        let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, 4);
        let (send, receive) = std::sync::mpsc::sync_channel::<Vec<Record>>(workers * 2);
        let receive = std::sync::Mutex::new(receive);
        let me = &*self;
        let failed: std::sync::Mutex<Option<Error>> = std::sync::Mutex::new(None);
        std::thread::scope(|scope| -> Result<()> {
            for _ in 0..workers {
                scope.spawn(|| {
                    loop {
                        let batch = match receive.lock() {
                            Ok(r) => r.recv(),
                            Err(_) => return,
                        };
                        let Ok(batch) = batch else { return };
                        for r in batch {
                            if let Err(e) = writer.add_document(me.document(&r)) {
                                if let Ok(mut f) = failed.lock() {
                                    f.get_or_insert(ix(e));
                                }
                                return;
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
                    send.send(std::mem::replace(&mut batch, Vec::with_capacity(REBUILD_BATCH))).map_err(
                        |_| Error::io("io-index-workers", std::io::Error::other("channel closed")),
                    )?;
                }
                if done.is_multiple_of(10_000) {
                    progress(done, total);
                }
                Ok(())
            });
            if !batch.is_empty() {
                let _ = send.send(batch);
            }
            drop(send);
            read
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
