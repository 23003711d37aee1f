//! Full-text search: a tantivy index in the library's `index/` folder, derived from SQLite.
//!
//! Deleting the folder loses nothing: [`SearchIndex::rebuild`] makes it again from the
//! database. Changes reach it through the `search_outbox` table (filled by triggers in the same
//! transaction as the change): [`SearchIndex::apply_outbox`] reads the queue, commits the
//! index, and only then deletes the rows it handled, so a crash in between replays them.
//!
//! Text is analysed by [`analysis`] and handed to tantivy as whitespace-separated tokens, so
//! index terms and query terms come from the same functions.

pub mod analysis;
mod document;
mod query;
mod schema;
mod snippet;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Serialize;
use tantivy::tokenizer::{TextAnalyzer, WhitespaceTokenizer};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::model::error::{Error, Result};
use crate::store::search::{self as outbox, Record};
use document::fingerprint;
use schema::{
    Fields, MERGE_MAX_DOCS, REBUILD_BATCH, REBUILD_MEMORY, TOKENIZER, UPDATE_MEMORY, VERSION_FILE, ix, schema,
};

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

/// Statistics of a rebuild.
#[derive(Debug, Clone, Serialize)]
pub struct BuildStats {
    pub documents: u64,
    pub seconds: f64,
    pub bytes: u64,
}

pub struct SearchIndex {
    dir: PathBuf,
    index: Index,
    reader: IndexReader,
    f: Fields,
    writer: Option<IndexWriter>,
}

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
        Self::wrap(dir, index, f).map(Some)
    }

    /// Creates an empty index in `dir`, replacing whatever was there.
    pub fn create(dir: &Path, library_id: &str) -> Result<SearchIndex> {
        if dir.exists() {
            std::fs::remove_dir_all(dir).map_err(|e| Error::io("cannot clear the old search index", e))?;
        }
        std::fs::create_dir_all(dir).map_err(|e| Error::io("cannot create the search index folder", e))?;
        let (schema, f) = schema();
        let index = Index::create_in_dir(dir, schema).map_err(ix)?;
        let me = Self::wrap(dir, index, f)?;
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

    fn wrap(dir: &Path, index: Index, f: Fields) -> Result<SearchIndex> {
        index.tokenizers().register(TOKENIZER, TextAnalyzer::builder(WhitespaceTokenizer::default()).build());
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into().map_err(ix)?;
        Ok(SearchIndex { dir: dir.to_path_buf(), index, reader, f, writer: None })
    }

    fn writer(&mut self) -> Result<&mut IndexWriter> {
        if self.writer.is_none() {
            let writer: IndexWriter = self.index.writer(UPDATE_MEMORY).map_err(ix)?;
            // Updates make small segments; merge those, and leave the rebuild's big ones be.
            let mut policy = tantivy::indexer::LogMergePolicy::default();
            policy.set_max_docs_before_merge(MERGE_MAX_DOCS);
            writer.set_merge_policy(Box::new(policy));
            self.writer = Some(writer);
        }
        self.writer.as_mut().ok_or_else(|| Error::refused("no index writer"))
    }

    /// Builds the whole index from the database. `progress(done, total)`.
    pub fn rebuild(
        &mut self,
        conn: &rusqlite::Connection,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<BuildStats> {
        let started = std::time::Instant::now();
        let total = crate::store::customers::count(conn)? as u64;
        // Everything queued so far is covered by this build.
        let covered = outbox::outbox_max(conn)?;
        // A bigger memory budget than for small updates: fewer segments to merge.
        self.writer = None;
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
            let read = outbox::for_each_record(conn, |r| {
                batch.push(r);
                done += 1;
                if batch.len() == REBUILD_BATCH {
                    send.send(std::mem::replace(&mut batch, Vec::with_capacity(REBUILD_BATCH)))
                        .map_err(|_| Error::refused("the indexing workers stopped"))?;
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
        writer.commit().map_err(ix)?;
        tracing::debug!(?analysed, committed = ?started.elapsed(), "search index rebuild");
        self.reader.reload().map_err(ix)?;
        outbox::outbox_done(conn, covered)?;
        let pending = self.dir.join(format!("{VERSION_FILE}.pending"));
        if pending.exists() {
            std::fs::rename(&pending, self.dir.join(VERSION_FILE))
                .map_err(|e| Error::io("cannot finish the search index", e))?;
        }
        progress(done, total);
        Ok(BuildStats { documents: done, seconds: started.elapsed().as_secs_f64(), bytes: self.size_bytes() })
    }

    /// Indexes what the outbox says changed; returns how many customers were reindexed.
    /// `before_commit` and `after_commit` run around each index commit (fault points for tests).
    pub fn apply_outbox(
        &mut self,
        conn: &rusqlite::Connection,
        before_commit: impl Fn(),
        after_commit: impl Fn(),
    ) -> Result<usize> {
        let mut total = 0;
        while let Some((max, ids)) = outbox::outbox_batch(conn, 20_000)? {
            let records = outbox::records(conn, &ids)?;
            let docs: Vec<TantivyDocument> = records.iter().map(|r| self.document(r)).collect();
            let id_field = self.f.id;
            let writer = self.writer()?;
            for id in &ids {
                writer.delete_term(Term::from_field_u64(id_field, *id as u64));
            }
            for d in docs {
                writer.add_document(d).map_err(ix)?;
            }
            before_commit();
            writer.commit().map_err(ix)?;
            after_commit();
            outbox::outbox_done(conn, max)?;
            total += ids.len();
        }
        if total > 0 {
            self.reader.reload().map_err(ix)?;
        }
        Ok(total)
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

    /// `(customer id, fingerprint)` of every live entry.
    fn entries(&self) -> Result<HashMap<i64, u64>> {
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

    /// Dossiers whose index entry disagrees with the database (missing, stale, or left over),
    /// ignoring customers still waiting in the outbox.
    pub fn disagreements(&self, conn: &rusqlite::Connection, max: usize) -> Result<Vec<String>> {
        let mut entries = self.entries()?;
        let pending: HashSet<i64> = match outbox::outbox_batch(conn, usize::MAX >> 1)? {
            Some((_, ids)) => ids.into_iter().collect(),
            None => HashSet::new(),
        };
        let mut problems = Vec::new();
        outbox::for_each_record(conn, |r| {
            let expected = fingerprint(&r);
            let found = entries.remove(&r.id);
            if pending.contains(&r.id) || problems.len() >= max {
                return Ok(());
            }
            match found {
                None => problems
                    .push(format!("search index: dossier {} is missing; run `dangan reindex`", r.dossier)),
                Some(fp) if fp != expected => problems.push(format!(
                    "search index: the entry of dossier {} disagrees with the database; run `dangan reindex`",
                    r.dossier
                )),
                Some(_) => {}
            }
            Ok(())
        })?;
        for id in entries.keys().filter(|id| !pending.contains(id)).take(max.saturating_sub(problems.len())) {
            problems.push(format!(
                "search index: an entry for customer #{id}, who is not in the database; run `dangan reindex`"
            ));
        }
        Ok(problems)
    }
}
