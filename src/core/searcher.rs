//! The read side of search for one logged-in user: a handle that searches the index without the
//! session, so the app's search as you type never waits behind a write or another search.
//!
//! A [`Searcher`] is taken from a [`Session`] after login. It carries what the session would
//! have checked on every search: the user may read dossiers, may or may not see confidential
//! ones (baked into every query, never filtered afterwards), and the category filter's codes
//! resolved to the ids of each category and those below it. It is cheap to clone and to send
//! to another thread; it sees what this process commits to the index as soon as it is
//! committed (it shares the index's reader).
//!
//! The index is derived and may lag the database: a dossier made confidential whose index
//! update is still pending (another process between its database commit and its index commit,
//! or a crash there) is still marked open in the index. So every page of hits is checked
//! against the database before it is shown, through the searcher's own read-only connection
//! (`store::customers::open_read_only`): a hit the database holds as confidential is dropped
//! for a user who may not see it, and marked confidential for one who may. Checking the page
//! (at most a page's worth of indexed lookups by dossier number) rather than only the customers
//! still in the change log costs about the same and needs no bookmark: `dangan bench` prints it.
//!
//! Confidential dossiers a search shows are audited as seen (`customer/view_in_results`, one
//! row naming them). Searching as you type runs a search per pause in typing, so the searcher
//! does not write a row per search: it adds what it showed to the session's [`ShownLog`], and
//! the session writes one row for everything shown since the last one on its next poll
//! ([`Session::changes_since`], every half second in the app), on its own searches and lists,
//! and when the searcher asks for it. A burst of keystrokes that keeps showing the same
//! dossiers is one row; nothing shown is lost while the session lives.

use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::core::index::SearchQuery;
use crate::core::session::Session;
use crate::model::error::{Error, Result};
use crate::model::permission::Permission;
use crate::search::{Filters, Page, Reader};
use crate::store;

/// Results per page when a query asks for none.
pub const DEFAULT_LIMIT: usize = 20;
/// What other processes commit to the index is seen within this long.
pub const RELOAD_EVERY: Duration = Duration::from_secs(1);

/// Confidential dossiers shown in search results and not yet audited, shared by a session and
/// the searchers it handed out.
#[derive(Clone, Default)]
pub(crate) struct ShownLog(Arc<Mutex<Shown>>);

#[derive(Default)]
struct Shown {
    dossiers: BTreeSet<String>,
    /// The searches that showed them, in order, each once (at most [`MAX_QUERIES`]).
    queries: Vec<String>,
    /// `(search, dossier)` pairs already audited: showing the same results again for the same
    /// search (a list refreshed because another program wrote) is not a new view, so two apps
    /// refreshing each other never write rows in turn. Forgotten past [`MAX_REMEMBERED`].
    audited: BTreeSet<(String, String)>,
    /// Pairs noted and not yet audited.
    pending: Vec<(String, String)>,
}

/// What one audit row of dossiers shown covers.
struct Batch {
    dossiers: Vec<String>,
    queries: Vec<String>,
    /// The `(search, dossier)` pairs it covers.
    pairs: Vec<(String, String)>,
}

/// Most search texts one audit row of dossiers shown keeps.
const MAX_QUERIES: usize = 20;
/// Most `(search, dossier)` pairs remembered as audited.
const MAX_REMEMBERED: usize = 10_000;

impl ShownLog {
    fn lock(&self) -> std::sync::MutexGuard<'_, Shown> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn add(&self, query: &str, dossiers: impl IntoIterator<Item = String>) {
        let mut shown = self.lock();
        let query = query.trim().to_string();
        let mut new = false;
        for d in dossiers {
            let pair = (query.clone(), d);
            if !shown.audited.contains(&pair) && !shown.pending.contains(&pair) {
                shown.dossiers.insert(pair.1.clone());
                shown.pending.push(pair);
                new = true;
            }
        }
        if new && shown.queries.len() < MAX_QUERIES && !shown.queries.contains(&query) {
            shown.queries.push(query);
        }
    }

    /// What was shown since the last call, emptied.
    fn take(&self) -> Option<Batch> {
        let mut shown = self.lock();
        if shown.dossiers.is_empty() {
            return None;
        }
        Some(Batch {
            dossiers: std::mem::take(&mut shown.dossiers).into_iter().collect(),
            queries: std::mem::take(&mut shown.queries),
            pairs: std::mem::take(&mut shown.pending),
        })
    }

    /// Remembers pairs as audited.
    fn audited(&self, pairs: Vec<(String, String)>) {
        let mut shown = self.lock();
        if shown.audited.len() + pairs.len() > MAX_REMEMBERED {
            shown.audited.clear();
        }
        shown.audited.extend(pairs);
    }

    /// Puts back what could not be written, to try again with the next.
    fn restore(&self, Batch { dossiers, queries, pairs }: Batch) {
        let mut shown = self.lock();
        shown.dossiers.extend(dossiers);
        for q in queries {
            if shown.queries.len() < MAX_QUERIES && !shown.queries.contains(&q) {
                shown.queries.push(q);
            }
        }
        shown.pending.extend(pairs);
    }
}

#[derive(Clone)]
pub struct Searcher {
    reader: Reader,
    include_confidential: bool,
    /// The library's database, read-only, to check each page of hits (see the module's notes).
    db: Arc<Mutex<store::Conn>>,
    /// Where the confidential dossiers this searcher shows are noted for the audit log.
    shown: ShownLog,
    /// Category code (and unique name) → the ids of that category and every one below it.
    categories: Arc<HashMap<String, Vec<i64>>>,
    /// When the reader was last reloaded, in milliseconds after `born`.
    reloaded_ms: Arc<AtomicU64>,
    born: Instant,
}

impl std::fmt::Debug for Searcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Searcher")
            .field("include_confidential", &self.include_confidential)
            .field("categories", &self.categories.len())
            .finish()
    }
}

impl Searcher {
    /// One page of results (`q.offset`, `q.limit`) and the true number of matches.
    pub fn search(&self, q: &SearchQuery) -> Result<Page> {
        self.reload_if_due();
        let categories = match q.category.as_deref() {
            Some(c) => self.categories.get(c).cloned().ok_or_else(|| {
                let mut known: Vec<&str> = self.categories.keys().map(String::as_str).collect();
                known.sort_unstable();
                Error::missing("category-not-found").arg("code", c).arg("known", known.join(", "))
            })?,
            None => Vec::new(),
        };
        let filters = Filters {
            categories,
            grade: q.grade.map(|g| g.as_str().to_string()),
            status: q.status.map(|s| s.as_str().to_string()),
            on_loan: q.on_loan,
            include_confidential: self.include_confidential,
        };
        let limit = if q.limit == 0 { DEFAULT_LIMIT } else { q.limit };
        let mut page = self.reader.search_page(&q.text, &filters, q.offset, limit)?;
        self.check_confidential(&mut page, &q.text)?;
        Ok(page)
    }

    /// Holds the page's hits to what the database says now: a hit it holds as confidential is
    /// dropped for a user who may not see it (and no longer counted), and is marked
    /// confidential and noted as shown for one who may.
    fn check_confidential(&self, page: &mut Page, query: &str) -> Result<()> {
        if page.hits.is_empty() {
            return Ok(());
        }
        let secret = {
            let conn = self.db.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            let dossiers: Vec<&str> = page.hits.iter().map(|h| h.dossier.as_str()).collect();
            store::customers::confidential_among(&conn, &dossiers)?
        };
        if self.include_confidential {
            for hit in &mut page.hits {
                hit.confidential = secret.contains(&hit.dossier);
            }
            let shown: Vec<String> =
                page.hits.iter().filter(|h| h.confidential).map(|h| h.dossier.clone()).collect();
            if !shown.is_empty() {
                self.shown.add(query, shown);
            }
        } else {
            let before = page.hits.len();
            page.hits.retain(|h| !secret.contains(&h.dossier));
            let dropped = before - page.hits.len();
            if dropped > 0 {
                tracing::info!(
                    dropped,
                    "search hits confidential in the database but not yet in the index left out"
                );
                page.total = page.total.saturating_sub(dropped);
            }
        }
        Ok(())
    }

    /// This process's commits are seen at once (the reader is shared with the index writer);
    /// another process's within [`RELOAD_EVERY`].
    fn reload_if_due(&self) {
        let now = self.born.elapsed().as_millis() as u64;
        let last = self.reloaded_ms.load(Ordering::Relaxed);
        if now.saturating_sub(last) < RELOAD_EVERY.as_millis() as u64 {
            return;
        }
        if self.reloaded_ms.compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed).is_ok()
            && let Err(e) = self.reader.reload()
        {
            tracing::warn!(error = %e, "could not reload the search index; searching what is loaded");
        }
    }

    /// Whether this user's searches include confidential dossiers.
    pub fn includes_confidential(&self) -> bool {
        self.include_confidential
    }
}

/// Each category's code, and its name where no other category has it, mapped to its own id and
/// the ids of every category below it (paths are "A › B › C").
fn subtrees(all: &[crate::model::Category]) -> HashMap<String, Vec<i64>> {
    let mut out = HashMap::new();
    for root in all {
        let prefix = format!("{} › ", root.path);
        let ids: Vec<i64> =
            all.iter().filter(|x| x.id == root.id || x.path.starts_with(&prefix)).map(|x| x.id).collect();
        if all.iter().filter(|x| x.name == root.name).count() == 1 {
            out.entry(root.name.clone()).or_insert_with(|| ids.clone());
        }
        out.insert(root.code.clone(), ids);
    }
    out
}

impl Session {
    /// A searcher with this user's permissions, for searching off the session (search as you
    /// type). `None` while there is no usable index yet: [`Session::prepare_search`] builds it,
    /// and a searcher taken after that sees every later change this process indexes.
    pub fn searcher(&mut self) -> Result<Option<Searcher>> {
        self.require(Permission::ReadDossiers)?;
        if !self.lib.open_index()? {
            return Ok(None);
        }
        let Some(ix) = self.lib.search.as_ref() else { return Ok(None) };
        let categories = store::config::categories(self.lib.db.conn())?;
        let db = store::customers::open_read_only(self.lib.db.path())?;
        Ok(Some(Searcher {
            reader: ix.reader_handle(),
            include_confidential: self.may(Permission::ViewConfidential),
            db: Arc::new(Mutex::new(db)),
            shown: self.shown.clone(),
            categories: Arc::new(subtrees(&categories)),
            reloaded_ms: Arc::new(AtomicU64::new(0)),
            born: Instant::now(),
        }))
    }

    /// Full-text search, one page and the true total: the index is brought up to date first
    /// (rebuilt if missing), then searched as [`Searcher::search`] does.
    pub fn search_page(&mut self, q: &SearchQuery) -> Result<Page> {
        self.require(Permission::ReadDossiers)?;
        self.lib.prepare_index(&mut |_, _| {})?;
        let page = self.searcher()?.ok_or_else(|| Error::conflict("index-not-ready"))?.search(q)?;
        self.audit_shown()?;
        Ok(page)
    }

    /// Writes one audit row (`customer/view_in_results`) naming the confidential dossiers this
    /// user's searches and lists showed since the last such row, if any. What cannot be written
    /// is kept for the next call.
    pub fn audit_shown(&mut self) -> Result<()> {
        let Some(batch) = self.shown.take() else { return Ok(()) };
        let at = crate::core::now();
        let user = self.user.name.clone();
        let id = batch.dossiers.join(", ");
        let after = serde_json::json!({ "dossiers": batch.dossiers, "queries": batch.queries }).to_string();
        let written = self.lib.write(|tx| {
            crate::core::session::record(
                tx,
                &user,
                &at,
                crate::core::session::Change {
                    action: "view_in_results",
                    entity: "customer",
                    entity_id: &id,
                    dossier: None,
                    before: None,
                    after: Some(after),
                },
            )
        });
        match written {
            Ok(()) => {
                self.shown.audited(batch.pairs);
                Ok(())
            }
            Err(e) => {
                self.shown.restore(batch);
                Err(e)
            }
        }
    }

    /// Audits what the searchers showed (for [`Session::changes_since`]): a failure is logged
    /// and tried again at the next poll. Returns the `seen` head to compare with, moved past
    /// the audit row when nothing else was written before it, so the row alone reports no
    /// change (an app refreshing on it would show the same results again).
    pub(crate) fn audit_shown_since(&mut self, seen: i64) -> i64 {
        let Ok(before) = self.lib.head_txn() else { return seen };
        if let Err(e) = self.audit_shown() {
            tracing::warn!(error = %e, "could not audit the confidential dossiers search showed; will try again");
            return seen;
        }
        match self.lib.db.last_write() {
            Some((txn, _)) if seen == before && txn == before + 1 => txn,
            _ => seen,
        }
    }

    /// Notes confidential dossiers a list showed, for [`Session::audit_shown`].
    pub(crate) fn note_shown(&self, what: &str, dossiers: impl IntoIterator<Item = String>) {
        self.shown.add(what, dossiers);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cat(id: i64, code: &str, name: &str, path: &str) -> crate::model::Category {
        crate::model::Category {
            id,
            code: code.into(),
            name: name.into(),
            parent: None,
            path: path.into(),
            depth: path.matches('›').count(),
        }
    }

    #[test]
    fn a_category_filter_covers_the_categories_below_it() {
        let all = [
            cat(1, "F", "非居民", "非居民"),
            cat(2, "FH", "高压", "非居民 › 高压"),
            cat(3, "J", "居民", "居民"),
            cat(4, "JH", "高压", "居民 › 高压"),
        ];
        let s = subtrees(&all);
        assert_eq!(s["F"], [1, 2]);
        assert_eq!(s["非居民"], [1, 2]);
        assert_eq!(s["JH"], [4]);
        // A name two categories share picks neither.
        assert!(!s.contains_key("高压"));
    }
}
