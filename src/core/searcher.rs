//! The read side of search for one logged-in user: a handle that searches the index without the
//! session, so the app's search as you type never waits behind a write or another search.
//!
//! A [`Searcher`] is taken from a [`Session`] after login. It carries what the session would
//! have checked on every search: the user may read dossiers, may or may not see confidential
//! ones (baked into every query, never filtered afterwards), and the category filter's codes
//! resolved to the ids of each category and those below it. It is cheap to clone and to send
//! to another thread; it sees what this process commits to the index as soon as it is
//! committed (it shares the index's reader).

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
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

#[derive(Clone)]
pub struct Searcher {
    reader: Reader,
    include_confidential: bool,
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
        self.reader.search_page(&q.text, &filters, q.offset, limit)
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
        Ok(Some(Searcher {
            reader: ix.reader_handle(),
            include_confidential: self.may(Permission::ViewConfidential),
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
        self.searcher()?.ok_or_else(|| Error::conflict("index-not-ready"))?.search(q)
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
