//! Queries: what the user typed, cut into parts and terms by the same analysis as the index,
//! combined with the filters; results with their snippets.

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

use super::SearchIndex;
use super::analysis as an;
use super::document::digits;
use super::schema::{MAX_QUERY_CHARS, MAX_QUERY_PARTS, ix};
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

impl SearchIndex {
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

struct BuiltQuery {
    query: BooleanQuery,
    needles: Vec<Needle>,
}
