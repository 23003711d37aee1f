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

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::tokenizer::{TextAnalyzer, WhitespaceTokenizer};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::core::error::{Error, Result};
use crate::store::search::{self as outbox, Record};
use analysis as an;

/// Bumped whenever the schema or the analysis changes: an index of another version is rebuilt.
pub const INDEX_VERSION: u32 = 1;
const VERSION_FILE: &str = "dangan-index.json";
const TOKENIZER: &str = "dangan_ws";
/// Longest query looked at; the rest is ignored.
const MAX_QUERY_CHARS: usize = 200;
const MAX_QUERY_PARTS: usize = 8;
/// Index writer memory: small updates, and a full rebuild.
const UPDATE_MEMORY: usize = 50_000_000;
const REBUILD_MEMORY: usize = 200_000_000;
/// Segments bigger than this are not merged by updates (a rebuild writes them).
const MERGE_MAX_DOCS: usize = 20_000;
/// Records handed to an indexing worker at a time.
const REBUILD_BATCH: usize = 256;

fn ix(e: tantivy::TantivyError) -> Error {
    Error::io("search index", std::io::Error::other(e.to_string()))
}

#[derive(Debug, Clone, Copy)]
struct Fields {
    id: Field,
    dossier: Field,
    exact: Field,
    suffix: Field,
    surname: Field,
    name_x: Field,
    pinyin: Field,
    name_w: Field,
    name_g: Field,
    text_w: Field,
    text_g: Field,
    page_w: Field,
    page_g: Field,
    name: Field,
    category: Field,
    category_id: Field,
    grade: Field,
    status: Field,
    confidential: Field,
    on_loan: Field,
    location: Field,
    summary: Field,
    codes: Field,
    fp: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default().set_tokenizer(TOKENIZER).set_index_option(IndexRecordOption::Basic),
    );
    let f = Fields {
        id: b.add_u64_field("id", INDEXED | FAST | STORED),
        dossier: b.add_text_field("dossier", STRING | STORED),
        exact: b.add_text_field("exact", STRING),
        suffix: b.add_text_field("suffix", STRING),
        surname: b.add_text_field("surname", STRING),
        // Whole names (and former names), normalised: an exact name comes first.
        name_x: b.add_text_field("name_x", STRING),
        pinyin: b.add_text_field("pinyin", text.clone()),
        name_w: b.add_text_field("name_w", text.clone()),
        name_g: b.add_text_field("name_g", text.clone()),
        text_w: b.add_text_field("text_w", text.clone()),
        text_g: b.add_text_field("text_g", text.clone()),
        // Page text (OCR) arrives with scanning; the fields are ready.
        page_w: b.add_text_field("page_w", text.clone()),
        page_g: b.add_text_field("page_g", text),
        name: b.add_text_field("name", STORED),
        category: b.add_text_field("category", STORED),
        category_id: b.add_u64_field("category_id", INDEXED | FAST),
        grade: b.add_text_field("grade", STRING | STORED),
        status: b.add_text_field("status", STRING | STORED),
        confidential: b.add_u64_field("confidential", INDEXED | FAST | STORED),
        on_loan: b.add_u64_field("on_loan", INDEXED | FAST | STORED),
        location: b.add_text_field("location", STORED),
        summary: b.add_text_field("summary", STORED),
        codes: b.add_text_field("codes", STORED),
        fp: b.add_u64_field("fp", FAST | STORED),
    };
    (b.build(), f)
}

/// Everything one customer puts into the index, analysed.
#[derive(Debug, Default)]
struct Analysed {
    exact: Vec<String>,
    suffix: Vec<String>,
    surname: Option<String>,
    name_x: Vec<String>,
    pinyin: Vec<String>,
    name_w: Vec<String>,
    name_g: Vec<String>,
    /// Whitespace-separated words and grams of everything but the name.
    text_w: String,
    text_g: String,
    summary: String,
    /// Labelled codes, one per line (电话 13000186186), shown when a code matched.
    codes: String,
}

fn digits(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_uppercase()
}

/// Appends the words and grams of one piece of text, space-separated.
fn text_tokens(piece: &str, words: &mut String, grams: &mut String) {
    if piece.trim().is_empty() {
        return;
    }
    let n = an::normalize(piece);
    let mut w = Vec::new();
    an::words(&n, &mut w);
    // Numbers are whole in the grams already.
    w.retain(|t| !t.bytes().all(|b| b.is_ascii_digit()));
    let mut g = Vec::new();
    an::grams(&n, false, &mut g);
    for (out, list) in [(words, w), (grams, g)] {
        for t in list {
            out.push_str(&t);
            out.push(' ');
        }
    }
}

/// [`text_tokens`] for text that repeats across dossiers, cached per indexing thread.
fn cached_text_tokens(piece: &str, words: &mut String, grams: &mut String) {
    use std::cell::RefCell;
    const MAX_ENTRIES: usize = 20_000;
    thread_local! {
        static CACHE: RefCell<HashMap<String, (String, String)>> = RefCell::new(HashMap::new());
    }
    if piece.trim().is_empty() {
        return;
    }
    CACHE.with_borrow_mut(|cache| {
        if !cache.contains_key(piece) {
            if cache.len() >= MAX_ENTRIES {
                cache.clear();
            }
            let (mut w, mut g) = (String::new(), String::new());
            text_tokens(piece, &mut w, &mut g);
            cache.insert(piece.to_string(), (w, g));
        }
        if let Some((w, g)) = cache.get(piece) {
            words.push_str(w);
            grams.push_str(g);
        }
    });
}

fn analyse(r: &Record) -> Analysed {
    let mut a = Analysed::default();
    // Codes, whole and by suffix.
    a.exact.push(an::code(&r.dossier));
    let dossier_digits = digits(&r.dossier);
    a.exact.push(dossier_digits.clone());
    an::suffixes(&dossier_digits, &mut a.suffix);
    if let Some(n) = &r.id_number {
        a.exact.push(an::code(n));
        an::suffixes(&an::code(n), &mut a.suffix);
    }
    for p in &r.phones {
        let d = digits(p);
        a.exact.push(d.clone());
        if let Some((_, local)) = p.split_once('-') {
            a.exact.push(digits(local.split('-').next().unwrap_or(local)));
        }
        an::suffixes(&d, &mut a.suffix);
    }
    for v in &r.custom {
        let c = an::code(v);
        if an::looks_like_code(&c) {
            a.exact.push(c.clone());
            an::suffixes(&digits(&c), &mut a.suffix);
        }
    }
    // Names: the name and former names.
    for (i, name) in std::iter::once(&r.name).chain(r.former_names.iter()).enumerate() {
        let n = an::normalize(name);
        if i == 0 {
            a.surname = an::surname(&n);
        }
        a.name_x.push(n.replace(' ', ""));
        an::words(&n, &mut a.name_w);
        an::grams(&n, true, &mut a.name_g);
        if an::is_person_name(&n) {
            an::pinyin_tokens(&n, &mut a.pinyin);
        }
    }
    // Everything else a clerk might remember. Category paths and document titles repeat from
    // dossier to dossier: their analysis is cached.
    for part in [&r.address, &r.notes] {
        text_tokens(part, &mut a.text_w, &mut a.text_g);
    }
    // Custom values that are codes are in `exact` and `suffix` already.
    for v in r.custom.iter().filter(|v| !an::looks_like_code(&an::code(v))) {
        text_tokens(v, &mut a.text_w, &mut a.text_g);
    }
    cached_text_tokens(&r.category_path, &mut a.text_w, &mut a.text_g);
    for (ty, title, notes) in &r.documents {
        // A title usually names its type (供用电合同 in 低压居民供用电合同): no need for both.
        if !title.contains(ty.as_str()) {
            cached_text_tokens(ty, &mut a.text_w, &mut a.text_g);
        }
        for part in [title, notes] {
            cached_text_tokens(part, &mut a.text_w, &mut a.text_g);
        }
    }
    for list in [&mut a.exact, &mut a.suffix] {
        list.retain(|t| !t.is_empty());
        list.sort_unstable();
        list.dedup();
    }
    let mut summary = r.address.clone();
    for (_, title, _) in &r.documents {
        if summary.chars().count() > 400 {
            break;
        }
        summary.push_str(" · ");
        summary.push_str(title);
    }
    a.summary = summary;
    let mut codes = vec![format!("档案号 {}", r.dossier)];
    if let Some(n) = &r.id_number {
        codes.push(format!("证件 {n}"));
    }
    codes.extend(r.phones.iter().map(|p| format!("电话 {p}")));
    codes.extend(r.custom.iter().filter(|v| an::looks_like_code(&an::code(v))).map(|v| format!("编号 {v}")));
    a.codes = codes.join("\n");
    a
}

/// A fingerprint of the database record an entry was made from (and the analysis version), so
/// `verify` can tell a stale entry without analysing the text again.
fn fingerprint(r: &Record) -> u64 {
    let mut h = Sha256::new();
    h.update(INDEX_VERSION.to_le_bytes());
    h.update(r.id.to_le_bytes());
    h.update(r.category_id.to_le_bytes());
    h.update([u8::from(r.confidential)]);
    let one = |h: &mut Sha256, s: &str| {
        h.update((s.len() as u64).to_le_bytes());
        h.update(s.as_bytes());
    };
    for part in [&r.dossier, &r.name, &r.address, &r.category_path, &r.grade, &r.status, &r.notes] {
        one(&mut h, part);
    }
    one(&mut h, r.id_number.as_deref().unwrap_or("\u{0}"));
    for list in [&r.former_names, &r.phones, &r.custom] {
        h.update((list.len() as u64).to_le_bytes());
        for x in list {
            one(&mut h, x);
        }
    }
    h.update((r.documents.len() as u64).to_le_bytes());
    for (a, b, c) in &r.documents {
        for x in [a, b, c] {
            one(&mut h, x);
        }
    }
    let d = h.finalize();
    u64::from_le_bytes([d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]])
}

/// Search filters; empty means all.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    /// Category ids (a category and its descendants, resolved by the caller).
    pub categories: Vec<i64>,
    pub grade: Option<String>,
    pub status: Option<String>,
    pub on_loan: Option<bool>,
    pub include_confidential: bool,
}

/// One result, best first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub dossier: String,
    pub name: String,
    pub score: f32,
    /// The matched text around the match.
    pub snippet: String,
    /// Matched character ranges `[start, end)` in `snippet`.
    pub highlights: Vec<(usize, usize)>,
    /// Matched character ranges in `name`.
    pub name_highlights: Vec<(usize, usize)>,
    pub category: String,
    pub grade: String,
    pub status: String,
    pub confidential: bool,
    pub location: String,
    pub on_loan: bool,
}

impl Hit {
    /// The snippet with matches in 【】, for terminals.
    pub fn marked(&self) -> String {
        mark(&self.snippet, &self.highlights)
    }

    /// The name with matches in 【】.
    pub fn marked_name(&self) -> String {
        mark(&self.name, &self.name_highlights)
    }

    /// Whether the snippet is just the name (the match was in the name).
    pub fn snippet_is_name(&self) -> bool {
        self.snippet == self.name
    }
}

fn mark(text: &str, ranges: &[(usize, usize)]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    for &(s, e) in ranges {
        out.extend(&chars[i..s]);
        out.push('【');
        out.extend(&chars[s..e]);
        out.push('】');
        i = e;
    }
    out.extend(&chars[i..]);
    out
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

    fn document(&self, r: &Record) -> TantivyDocument {
        let a = analyse(r);
        let f = &self.f;
        let mut d = TantivyDocument::default();
        d.add_u64(f.id, r.id as u64);
        d.add_text(f.dossier, &r.dossier);
        for t in &a.exact {
            d.add_text(f.exact, t);
        }
        for t in &a.suffix {
            d.add_text(f.suffix, t);
        }
        if let Some(s) = &a.surname {
            d.add_text(f.surname, s);
        }
        for n in &a.name_x {
            d.add_text(f.name_x, n);
        }
        d.add_text(f.pinyin, a.pinyin.join(" "));
        d.add_text(f.name_w, a.name_w.join(" "));
        d.add_text(f.name_g, a.name_g.join(" "));
        d.add_text(f.text_w, &a.text_w);
        d.add_text(f.text_g, &a.text_g);
        d.add_text(f.name, &r.name);
        d.add_text(f.category, &r.category_path);
        d.add_u64(f.category_id, r.category_id as u64);
        d.add_text(f.grade, &r.grade);
        d.add_text(f.status, &r.status);
        d.add_u64(f.confidential, u64::from(r.confidential));
        d.add_u64(f.on_loan, 0);
        d.add_text(f.location, "");
        d.add_text(f.summary, &a.summary);
        d.add_text(f.codes, &a.codes);
        d.add_u64(f.fp, fingerprint(r));
        d
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
        fn walk(p: &Path) -> u64 {
            std::fs::read_dir(p)
                .map(|rd| {
                    rd.filter_map(|e| e.ok())
                        .map(|e| {
                            let p = e.path();
                            if p.is_dir() { walk(&p) } else { e.metadata().map_or(0, |m| m.len()) }
                        })
                        .sum()
                })
                .unwrap_or(0)
        }
        walk(&self.dir)
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

    /// Searches. Never fails on odd input: anything that is not a term is ignored.
    pub fn search(&self, query: &str, filters: &Filters, limit: usize) -> Result<Vec<Hit>> {
        let Some(q) = self.build_query(query, filters) else { return Ok(Vec::new()) };
        let searcher = self.reader.searcher();
        let top = searcher
            .search(&q.query, &TopDocs::with_limit(limit.clamp(1, 1000)).order_by_score())
            .map_err(ix)?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr).map_err(ix)?;
            let text = |f: Field| doc.get_first(f).and_then(|v| v.as_str()).unwrap_or_default().to_string();
            let num = |f: Field| doc.get_first(f).and_then(|v| v.as_u64()).unwrap_or_default();
            let name = text(self.f.name);
            let shown = snippet(&name, &text(self.f.codes), &text(self.f.summary), &q.needles);
            hits.push(Hit {
                dossier: text(self.f.dossier),
                name,
                score,
                snippet: shown.text,
                highlights: shown.highlights,
                name_highlights: shown.name_highlights,
                category: text(self.f.category),
                grade: text(self.f.grade),
                status: text(self.f.status),
                confidential: num(self.f.confidential) == 1,
                location: text(self.f.location),
                on_loan: num(self.f.on_loan) == 1,
            });
        }
        Ok(hits)
    }

    fn build_query(&self, query: &str, filters: &Filters) -> Option<BuiltQuery> {
        let f = &self.f;
        let query: String = query.chars().take(MAX_QUERY_CHARS).collect();
        let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut needles = Vec::new();
        // A number typed in groups (139 1234 5678) is one code, not three parts.
        let compact = an::code(&query);
        let one_code = an::looks_like_code(&compact)
            && query.chars().any(char::is_whitespace)
            && compact.chars().all(|c| c.is_ascii_digit() || matches!(c, 'X' | '-'));
        let parts: Vec<&str> = if one_code {
            vec![query.as_str()]
        } else {
            query
                .split(|c: char| c.is_whitespace() || matches!(c, ',' | '，' | '、' | ';' | '；'))
                .filter(|p| !p.is_empty())
                .take(MAX_QUERY_PARTS)
                .collect()
        };
        for part in parts {
            let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            let boosted = |q: Box<dyn Query>, boost: f32| -> (Occur, Box<dyn Query>) {
                (Occur::Should, Box::new(BoostQuery::new(q, boost)))
            };
            let term = |field: Field, t: &str| -> Box<dyn Query> {
                Box::new(TermQuery::new(Term::from_field_text(field, t), IndexRecordOption::Basic))
            };
            // All of the fragment's grams in one field: a fragment matches where it occurs.
            let all = |field: Field, grams: &[String]| -> Box<dyn Query> {
                if let [one] = grams {
                    return term(field, one);
                }
                Box::new(BooleanQuery::new(grams.iter().map(|g| (Occur::Must, term(field, g))).collect()))
            };
            let code = an::code(part);
            if an::looks_like_code(&code) {
                let d = digits(&code);
                should.push(boosted(term(f.exact, &code), 100.0));
                if d != code {
                    should.push(boosted(term(f.exact, &d), 100.0));
                }
                if d.chars().all(|c| c.is_ascii_digit() || c == 'X') {
                    should.push(boosted(term(f.suffix, an::suffix_key(&d)), 30.0));
                }
                needles.push(Needle::Code(d));
            }
            let n: String =
                an::normalize(part).chars().filter(|c| c.is_alphanumeric() || *c == '\u{00B7}').collect();
            if !n.is_empty() {
                let han = n.chars().filter(|c| an::is_han(*c)).count();
                let len = n.chars().count();
                // A whole name; a whole word, in a name, in the other text, on a page.
                should.push(boosted(term(f.name_x, &n), 20.0));
                should.push(boosted(term(f.name_w, &n), 10.0));
                should.push(boosted(term(f.text_w, &n), 3.0));
                should.push(boosted(term(f.page_w, &n), 1.0));
                if han == len && han <= 2 {
                    should.push(boosted(term(f.surname, &n), 12.0));
                }
                let mut grams = Vec::new();
                an::query_grams(&n, &mut grams);
                grams.sort_unstable();
                grams.dedup();
                if !grams.is_empty() {
                    should.push(boosted(all(f.name_g, &grams), 4.0));
                    should.push(boosted(all(f.text_g, &grams), 1.0));
                    should.push(boosted(all(f.page_g, &grams), 0.5));
                }
                if han == 0 && n.chars().all(|c| c.is_ascii_lowercase()) {
                    should.push(boosted(term(f.pinyin, &n), 6.0));
                }
                needles.push(Needle::Text(n.chars().collect()));
            }
            if !should.is_empty() {
                must.push((Occur::Must, Box::new(BooleanQuery::new(should))));
            }
        }
        if must.is_empty() {
            return None;
        }
        let term = |field: Field, v: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(Term::from_field_text(field, v), IndexRecordOption::Basic))
        };
        let num = |field: Field, v: u64| -> Box<dyn Query> {
            Box::new(TermQuery::new(Term::from_field_u64(field, v), IndexRecordOption::Basic))
        };
        if !filters.categories.is_empty() {
            let any: Vec<(Occur, Box<dyn Query>)> =
                filters.categories.iter().map(|c| (Occur::Should, num(f.category_id, *c as u64))).collect();
            must.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        if let Some(g) = &filters.grade {
            must.push((Occur::Must, term(f.grade, g)));
        }
        if let Some(s) = &filters.status {
            must.push((Occur::Must, term(f.status, s)));
        }
        if let Some(l) = filters.on_loan {
            must.push((Occur::Must, num(f.on_loan, u64::from(l))));
        }
        if !filters.include_confidential {
            must.push((Occur::MustNot, num(f.confidential, 1)));
        }
        Some(BuiltQuery { query: BooleanQuery::new(must), needles })
    }
}

/// What one part of a query looks for, to highlight it in a result.
#[derive(Debug, Clone)]
enum Needle {
    /// Normalised text: found as a whole, or (Han, 3+ characters) by its bigrams.
    Text(Vec<char>),
    /// A code's letters and digits: found as a whole or as the end of a code.
    Code(String),
}

struct BuiltQuery {
    query: BooleanQuery,
    needles: Vec<Needle>,
}

/// What a result shows of its match.
struct Shown {
    text: String,
    highlights: Vec<(usize, usize)>,
    name_highlights: Vec<(usize, usize)>,
}

/// Merges marked characters into `[start, end)` ranges.
fn ranges(marks: &[bool]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < marks.len() {
        if marks[i] {
            let s = i;
            while i < marks.len() && marks[i] {
                i += 1;
            }
            out.push((s, i));
        } else {
            i += 1;
        }
    }
    out
}

/// Marks where a text needle occurs in `text`; `true` if it was found.
fn mark_text(text: &[char], needle: &[char], marks: &mut [bool]) -> bool {
    let mut pieces: Vec<&[char]> = vec![needle];
    if needle.len() > 2 && needle.iter().all(|c| an::is_han(*c)) {
        pieces.extend(needle.windows(2));
    }
    let mut found = false;
    for p in pieces {
        if p.is_empty() || p.len() > text.len() {
            continue;
        }
        for start in 0..=text.len() - p.len() {
            if text[start..start + p.len()] == *p {
                marks[start..start + p.len()].iter_mut().for_each(|m| *m = true);
                found = true;
            }
        }
        if found {
            // The whole needle was found: its bigrams add nothing.
            break;
        }
    }
    found
}

/// Chooses what a result shows: a matched code (电话 1300018【6186】), else the name if every
/// text needle is in it, else a window of the summary around the first match.
fn snippet(name: &str, codes: &str, summary: &str, needles: &[Needle]) -> Shown {
    let name_chars: Vec<char> = name.chars().map(an::normalize_char).collect();
    let mut name_marks = vec![false; name_chars.len()];
    let mut all_in_name = true;
    for n in needles {
        if let Needle::Text(t) = n {
            all_in_name &= mark_text(&name_chars, t, &mut name_marks);
        }
    }
    let name_highlights = ranges(&name_marks);
    // A code: the first listed code that is the needle or ends with it.
    for n in needles {
        let Needle::Code(c) = n else { continue };
        for line in codes.lines() {
            let chars: Vec<char> = line.chars().collect();
            let value_start = line.find(' ').map_or(0, |b| line[..b].chars().count() + 1);
            let value: String = chars[value_start..].iter().collect();
            let plain = digits(&value);
            if plain == *c || plain.ends_with(c.as_str()) {
                // Map the matched digits back onto the line (separators are skipped).
                let mut marks = vec![false; chars.len()];
                let mut want = c.chars().count();
                for i in (value_start..chars.len()).rev() {
                    if want == 0 {
                        break;
                    }
                    if chars[i].is_ascii_alphanumeric() {
                        marks[i] = true;
                        want -= 1;
                    }
                }
                return Shown { text: line.to_string(), highlights: ranges(&marks), name_highlights };
            }
        }
    }
    if all_in_name || needles.is_empty() {
        return Shown { text: name.to_string(), highlights: name_highlights.clone(), name_highlights };
    }
    let chars: Vec<char> = summary.chars().collect();
    let norm: Vec<char> = chars.iter().map(|c| an::normalize_char(*c)).collect();
    let mut marks = vec![false; norm.len()];
    for n in needles {
        if let Needle::Text(t) = n {
            mark_text(&norm, t, &mut marks);
        }
    }
    let found = ranges(&marks);
    let Some(&(first, _)) = found.first() else {
        return Shown { text: name.to_string(), highlights: name_highlights.clone(), name_highlights };
    };
    let start = first.saturating_sub(12);
    let end = (start + 60).min(chars.len());
    let mut text = String::new();
    let offset = if start > 0 {
        text.push('…');
        1
    } else {
        0
    };
    text.extend(&chars[start..end]);
    if end < chars.len() {
        text.push('…');
    }
    let highlights = found
        .into_iter()
        .filter(|(s, e)| *s >= start && *e <= end)
        .map(|(s, e)| (s - start + offset, e - start + offset))
        .collect();
    Shown { text, highlights, name_highlights }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Needle {
        Needle::Text(an::normalize(s).chars().collect())
    }

    #[test]
    fn a_matched_code_is_shown_with_its_digits_marked() {
        let codes = "档案号 KH-2026-000001\n电话 0571-87654321-8001\n电话 13912345678";
        let s = snippet("张伟", codes, "", &[Needle::Code("5678".into())]);
        assert_eq!((s.text.as_str(), s.highlights), ("电话 13912345678", vec![(10, 14)]));
        // Separators inside the matched digits are skipped over, not counted.
        let s = snippet("张伟", codes, "", &[Needle::Code("43218001".into())]);
        assert_eq!(mark(&s.text, &s.highlights), "电话 0571-8765【4321】-【8001】");
    }

    #[test]
    fn names_then_summary_windows() {
        let s = snippet("歐陽娜娜", "", "北京市朝阳区", &[text("欧阳")]);
        assert_eq!(mark(&s.text, &s.highlights), "【歐陽】娜娜");
        let summary = "浙江省杭州市西湖区文三路100号华星大厦 · 身份证复印件 · 供用电合同";
        let s = snippet("张伟", "", summary, &[text("张"), text("合同")]);
        assert_eq!(mark("张伟", &s.name_highlights), "【张】伟");
        assert!(
            s.text.starts_with('…') && mark(&s.text, &s.highlights).ends_with("供用电【合同】"),
            "{}",
            s.text
        );
        // Three or more characters not found whole are marked by their bigrams.
        let s = snippet("李四", "", "华星大厦", &[text("星大楼")]);
        assert_eq!(mark(&s.text, &s.highlights), "华【星大】厦");
    }
}
