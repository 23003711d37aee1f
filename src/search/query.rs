//! Queries: what the user typed, cut into parts and terms by the same analysis as the index,
//! combined with the filters; results with their snippets.

use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhrasePrefixQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{IndexReader, TantivyDocument, Term};

use super::SearchIndex;
use super::analysis as an;
use super::document::{SUMMARY_SEPARATOR, digits};
use super::schema::{Fields, MAX_QUERY_CHARS, MAX_QUERY_PARTS, ix};
use super::snippet::{Needle, mark, snippet};
use crate::model::error::Result;

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
    /// Who has it and until when, while it is out (or lost).
    pub loan: Option<crate::model::record::LoanNote>,
    /// The last four digits of the first phone, to tell people of the same name apart.
    pub phone_tail: Option<String>,
    /// The last four characters of the ID number.
    pub id_tail: Option<String>,
    pub address: String,
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

/// A read-only handle on the index: cheap to clone, safe to send to another thread, and it
/// sees what the index's writer commits in this process (it shares the writer's reader).
#[derive(Clone)]
pub struct Reader {
    reader: IndexReader,
    f: Fields,
}

impl std::fmt::Debug for Reader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("search::Reader")
    }
}

/// One page of results and how many there are in all.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Page {
    /// Best first, starting at `offset`.
    pub hits: Vec<Hit>,
    /// Every dossier the query matches (with the filters), not only this page.
    pub total: usize,
    pub offset: usize,
}

/// Most grams a word still being typed is expanded to.
const MAX_BEGINNINGS: u32 = 100_000;

/// How far a query's results can be paged.
pub const MAX_RESULTS: usize = 10_000;

impl SearchIndex {
    /// A read-only handle for searching from other threads.
    pub fn reader_handle(&self) -> Reader {
        Reader { reader: self.reader.clone(), f: self.f }
    }

    /// Searches. Never fails on odd input: anything that is not a term is ignored.
    pub fn search(&self, query: &str, filters: &Filters, limit: usize) -> Result<Vec<Hit>> {
        self.reader_handle().search(query, filters, limit)
    }

    /// One page of results with the true total.
    pub fn search_page(&self, query: &str, filters: &Filters, offset: usize, limit: usize) -> Result<Page> {
        self.reader_handle().search_page(query, filters, offset, limit)
    }
}

impl Reader {
    /// Makes what was committed since (by this process or another) visible.
    pub fn reload(&self) -> Result<()> {
        self.reader.reload().map_err(ix)
    }

    /// The best `limit` results.
    pub fn search(&self, query: &str, filters: &Filters, limit: usize) -> Result<Vec<Hit>> {
        Ok(self.search_page(query, filters, 0, limit)?.hits)
    }

    /// Results `offset..offset + limit`, best first, and how many match in all.
    pub fn search_page(&self, query: &str, filters: &Filters, offset: usize, limit: usize) -> Result<Page> {
        let Some(q) = build_query(&self.f, query, filters) else { return Ok(Page::default()) };
        let offset = offset.min(MAX_RESULTS);
        let limit = limit.clamp(1, 1000).min(MAX_RESULTS + 1 - offset);
        let searcher = self.reader.searcher();
        let (total, top) = searcher
            .search(&q.query, &(Count, TopDocs::with_limit(limit).and_offset(offset).order_by_score()))
            .map_err(ix)?;
        let f = &self.f;
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr).map_err(ix)?;
            let text = |f: Field| doc.get_first(f).and_then(|v| v.as_str()).unwrap_or_default().to_string();
            let num = |f: Field| doc.get_first(f).and_then(|v| v.as_u64()).unwrap_or_default();
            let name = text(f.name);
            let codes = text(f.codes);
            let summary = text(f.summary);
            let shown = snippet(&name, &codes, &summary, &q.needles);
            hits.push(Hit {
                dossier: text(f.dossier),
                name,
                score,
                snippet: shown.text,
                highlights: shown.highlights,
                name_highlights: shown.name_highlights,
                category: text(f.category),
                grade: text(f.grade),
                status: text(f.status),
                confidential: num(f.confidential) == 1,
                location: text(f.location),
                on_loan: num(f.on_loan) == 1,
                loan: crate::model::record::LoanNote::from_stored(&text(f.loan)),
                phone_tail: code_tail(&codes, "电话"),
                id_tail: code_tail(&codes, "证件"),
                address: summary.split(SUMMARY_SEPARATOR).next().unwrap_or_default().trim().to_string(),
            });
        }
        Ok(Page { hits, total, offset })
    }
}

/// The last four letters or digits of the first code labelled `label` (`电话 0571-8765-4321`).
fn code_tail(codes: &str, label: &str) -> Option<String> {
    let value = codes.lines().find_map(|l| l.strip_prefix(label)?.strip_prefix(' '))?;
    let plain = digits(value);
    let n = plain.chars().count();
    (n > 0).then(|| plain.chars().skip(n.saturating_sub(4)).collect())
}

fn build_query(f: &Fields, query: &str, filters: &Filters) -> Option<BuiltQuery> {
    let query: String = query.chars().take(MAX_QUERY_CHARS).collect();
    let parts: Vec<&str> = query
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '，' | '、' | ';' | '；'))
        .filter(|p| !p.is_empty())
        .take(MAX_QUERY_PARTS)
        .collect();
    // A code typed in groups (139 1234 5678, 3301 2345) is one code, not several parts. Digits
    // in groups are only that; letters and digits in groups (a credit code, a passport) are one
    // code or else words, whichever matches.
    let compact = an::code(&query);
    let grouped = parts.len() > 1 && an::looks_like_code(&compact);
    let digits_only = compact.chars().all(|c| c.is_ascii_digit() || matches!(c, 'X' | '-'));
    // The last word of several is still being typed unless a space follows it (李 朝, 王 201).
    let open = parts.len() > 1 && !query.ends_with(char::is_whitespace);
    let (text, needles) = if grouped && digits_only {
        all_parts(f, &[query.as_str()], false)?
    } else if grouped {
        let whole = all_parts(f, &[query.as_str()], false);
        match (whole, all_parts(f, &parts, open)) {
            (Some((a, mut na)), Some((b, nb))) => {
                na.extend(nb);
                let either: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
                    (Occur::Should, Box::new(BoostQuery::new(a, 2.0)) as Box<dyn Query>),
                    (Occur::Should, b),
                ]));
                (either, na)
            }
            (Some(x), None) | (None, Some(x)) => x,
            (None, None) => return None,
        }
    } else {
        all_parts(f, &parts, open)?
    };
    let mut must: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text)];
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

/// Every part must match, each in any of its fields: `(query, what to highlight)`; `None` if
/// no part holds a term. With `open_last`, the last part may also be the beginning of a word
/// of the other text (a character or two or three digits typed so far).
fn all_parts(f: &Fields, parts: &[&str], open_last: bool) -> Option<(Box<dyn Query>, Vec<Needle>)> {
    let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut needles = Vec::new();
    for (i, part) in parts.iter().copied().enumerate() {
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
            let short_han = han == 1 && len == 1;
            let short_number =
                han == 0 && (2..an::MIN_SUFFIX).contains(&len) && n.chars().all(|c| c.is_ascii_digit());
            if open_last && i + 1 == parts.len() && (short_han || short_number) {
                // The grams of the other text that begin with it (朝 → 朝阳, 201 → 2019).
                let mut begins = PhrasePrefixQuery::new(vec![Term::from_field_text(f.text_g, &n)]);
                // Every gram that begins with it (市 begins hundreds), not tantivy's first 50.
                begins.set_max_expansions(MAX_BEGINNINGS);
                should.push(boosted(Box::new(begins), 0.5));
            }
            if han == 0 && an::looks_like_pinyin(&n) {
                should.push(boosted(term(f.pinyin, &n), 6.0));
                // Cut mid-name while typing (zhangwe, ouyangn): below a whole reading.
                should.push(boosted(term(f.pinyin_p, &n), 3.0));
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
    Some((Box::new(BooleanQuery::new(must)), needles))
}

struct BuiltQuery {
    query: BooleanQuery,
    needles: Vec<Needle>,
}
