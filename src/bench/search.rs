//! The search benchmark: a mixed set of realistic queries drawn from the library itself, timed
//! warm and in process; recall@10 on the queries whose right answer is known; the time from a
//! write to the change being found; and the same queries against SQLite FTS5 (trigram) and a
//! `LIKE '%…%'` scan on the same data; and the cost of checking each page of hits against the
//! database for confidential dossiers (`core::searcher`).

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use serde::Serialize;

use super::{Percentiles, ms};
use crate::core::Session;
use crate::core::customers::CustomerChanges;
use crate::core::index::SearchQuery;
use crate::demo::Rng;
use crate::model::error::Result;
use crate::search::analysis as an;
use crate::store::bench as sql;

/// Customers sampled for the query set; each gives one query of every kind.
const SAMPLES: usize = 20;
/// Queries per kind sent to the `LIKE` scan (it is slow enough that all of them would take
/// minutes at a million customers).
const LIKE_PER_KIND: usize = 2;

#[derive(Debug, Serialize)]
pub struct SearchBench {
    /// Index build (demo's final step): dossiers per second, and its size.
    pub index_build_per_second: f64,
    pub index_build_seconds: f64,
    pub index_mib: f64,
    pub queries: usize,
    /// All queries, warm, milliseconds.
    pub latency_ms: Percentiles,
    pub latency_by_kind_ms: BTreeMap<&'static str, Percentiles>,
    /// Share of known-answer queries whose answer is in the first 10 results, by kind.
    pub recall_at_10: BTreeMap<&'static str, f64>,
    /// From the start of an edit (transaction, commit, index update) until a search finds the
    /// new value, milliseconds.
    pub write_to_searchable_ms: Percentiles,
    /// The confidentiality check every search makes (issue 9): each query's first page (10
    /// hits) looked up in the database through a read-only connection, as the searcher does
    /// before showing it, milliseconds per page; and its p50 as a share of a whole search's.
    pub confidential_check_ms: Percentiles,
    pub confidential_check_share_p50: f64,
    pub fts5: Baseline,
    pub like: Baseline,
}

#[derive(Debug, Serialize)]
pub struct Baseline {
    pub build_seconds: Option<f64>,
    pub queries: usize,
    pub latency_ms: Percentiles,
    pub recall_at_10: BTreeMap<&'static str, f64>,
    /// Our p50 and p99 divided by the baseline's on the same queries (below 1: we are faster).
    pub ratio_p50: f64,
    pub ratio_p99: f64,
}

struct Query {
    kind: &'static str,
    text: String,
    /// The dossier that must be found, when the query names exactly one.
    gold: Option<String>,
}

/// A number as people type it in groups: 139-1234-5678 (mobile), 0571 8765 4321, and an ID
/// as 6 + 8 + 4.
fn grouped(number: &str, sep: char) -> String {
    let chars: Vec<char> = number.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    let cuts: &[usize] = match chars.len() {
        11 => &[3, 7],
        12 => &[4, 8],
        18 => &[6, 14],
        _ => &[chars.len() / 2],
    };
    let mut out = String::new();
    for (i, c) in chars.iter().enumerate() {
        if cuts.contains(&i) {
            out.push(sep);
        }
        out.push(*c);
    }
    out
}

/// A window of `n` consecutive Han characters of `s`, picked by `rng`.
fn han_window(s: &str, n: usize, rng: &mut Rng) -> Option<String> {
    let chars: Vec<char> = s.chars().collect();
    let starts: Vec<usize> = (0..chars.len().saturating_sub(n - 1))
        .filter(|&i| chars[i..i + n].iter().all(|c| an::is_han(*c)))
        .collect();
    if starts.is_empty() {
        return None;
    }
    let i = starts[rng.below(starts.len() as u64) as usize];
    Some(chars[i..i + n].iter().collect())
}

fn queries_for(s: &sql::Sample, rng: &mut Rng) -> Vec<Query> {
    let mut out = Vec::new();
    let mut q = |kind, text: String, gold: bool| {
        if !text.is_empty() {
            out.push(Query { kind, text, gold: gold.then(|| s.dossier.clone()) });
        }
    };
    let name = an::normalize(&s.name);
    let person = an::is_person_name(&name);
    q("name", s.name.clone(), s.same_name == 1);
    if person {
        q("surname", an::surname(&name).unwrap_or_default(), false);
        let chars: Vec<char> = s.name.chars().collect();
        let given: String =
            if chars.len() >= 3 { chars[1..3].iter().collect() } else { chars[1..].iter().collect() };
        q("name_fragment", given, false);
        let mut py = Vec::new();
        an::pinyin_tokens(&name, &mut py);
        q("pinyin_initials", py.get(1).cloned().unwrap_or_default(), false);
        q("pinyin_full", py.first().cloned().unwrap_or_default(), false);
    } else {
        q("name_fragment", han_window(&s.name, 2, rng).unwrap_or_default(), false);
        q("company_words", han_window(&s.name, 4, rng).unwrap_or_default(), false);
    }
    if let Some((phone, n)) = s.phones.first() {
        q("phone", phone.clone(), *n == 1);
        q("phone_last4", phone[phone.len().saturating_sub(4)..].to_string(), false);
        // As read out and typed in groups: 139-1234-5678, 0571 8765 4321.
        q("phone_grouped", grouped(phone, if phone.starts_with('1') { '-' } else { ' ' }), *n == 1);
    }
    if let Some(id) = &s.id_number {
        q("id_number", id.clone(), true);
        q("id_last6", id[id.len().saturating_sub(6)..].to_string(), false);
        q("id_grouped", grouped(id, ' '), true);
    }
    if person {
        // Typed so far: the full reading cut before its last letter (zhangwe, ouyangnan).
        let mut py = Vec::new();
        an::pinyin_tokens(&name, &mut py);
        let full = py.first().cloned().unwrap_or_default();
        if full.chars().count() > 4 {
            q("pinyin_cut", full.chars().take(full.chars().count() - 1).collect(), false);
        }
    }
    // Words from two fields: the name with a district of the address, the surname (or part
    // of a company name) with a word of a paper's title.
    if let Some(place) = han_window(&s.address, 2, rng) {
        q("name_and_place", format!("{} {place}", s.name), s.same_name == 1);
        // The place still being typed: its first character so far.
        let first: String = place.chars().take(1).collect();
        q("name_and_place_typing", format!("{} {first}", s.name), s.same_name == 1);
    }
    let short = if person { an::surname(&name) } else { han_window(&s.name, 2, rng) };
    if let (Some(short), false) = (short, s.titles.is_empty()) {
        let title = &s.titles[rng.below(s.titles.len() as u64) as usize];
        let mut words = Vec::new();
        an::words(&an::normalize(title), &mut words);
        words.retain(|w| w.chars().count() >= 2 || w.chars().all(|c| c.is_ascii_digit()));
        if let Some(w) = words.get(rng.below(words.len().max(1) as u64) as usize) {
            q("name_and_title", format!("{short} {w}"), false);
            q("full_name_and_title", format!("{} {w}", s.name), s.same_name == 1);
        }
    }
    q("address_2", han_window(&s.address, 2, rng).unwrap_or_default(), false);
    q("address_4", han_window(&s.address, 4, rng).unwrap_or_default(), false);
    if !s.titles.is_empty() {
        let title = &s.titles[rng.below(s.titles.len() as u64) as usize];
        let mut words = Vec::new();
        an::words(&an::normalize(title), &mut words);
        words.retain(|w| w.chars().count() >= 2);
        let w = if words.is_empty() {
            title.clone()
        } else {
            words[rng.below(words.len() as u64) as usize].clone()
        };
        q("title_word", w, false);
    }
    q("dossier", s.dossier.clone(), true);
    out
}

/// Runs `f` over the queries; returns the latencies (ms) and recall@10 by kind.
fn run_set(
    queries: &[&Query],
    mut f: impl FnMut(&str) -> Result<Vec<String>>,
) -> Result<(Vec<f64>, BTreeMap<&'static str, f64>)> {
    let mut times = Vec::with_capacity(queries.len());
    let mut found: BTreeMap<&'static str, (usize, usize)> = BTreeMap::new();
    for q in queries {
        let t = Instant::now();
        let hits = f(&q.text)?;
        times.push(ms(t.elapsed()));
        if let Some(g) = &q.gold {
            let e = found.entry(q.kind).or_default();
            e.1 += 1;
            if hits.iter().take(10).any(|h| h == g) {
                e.0 += 1;
            }
        }
    }
    let recall = found.into_iter().map(|(k, (hit, all))| (k, hit as f64 / all.max(1) as f64)).collect();
    Ok((times, recall))
}

fn ours(s: &mut Session, text: &str) -> Result<Vec<String>> {
    Ok(s.search(&SearchQuery { text: text.into(), limit: 10, ..Default::default() })?
        .into_iter()
        .map(|h| h.dossier)
        .collect())
}

pub fn measure(
    root: &Path,
    s: &mut Session,
    build: &crate::search::BuildStats,
    seed: u64,
    note: &impl Fn(String),
) -> Result<SearchBench> {
    let conn_samples = {
        let dossiers = s.library().sample_dossiers(SAMPLES, seed ^ 0x5EA7C4)?;
        let conn = s.library().db.conn();
        let mut v = Vec::new();
        for d in dossiers {
            if let Some(x) = sql::sample(conn, &d)? {
                v.push(x);
            }
        }
        v
    };
    let mut rng = Rng::new(seed);
    let queries: Vec<Query> = conn_samples.iter().flat_map(|x| queries_for(x, &mut rng)).collect();
    let all: Vec<&Query> = queries.iter().collect();
    note(format!("bench: {} search queries", all.len()));

    // Warm up (index pages, the jieba dictionary), then measure.
    run_set(&all, |t| ours(s, t))?;
    let (times, recall) = run_set(&all, |t| ours(s, t))?;
    let mut by_kind: BTreeMap<&'static str, Vec<f64>> = BTreeMap::new();
    for (q, t) in all.iter().zip(&times) {
        by_kind.entry(q.kind).or_default().push(*t);
    }
    let latency = Percentiles::of(times.clone());

    // The confidentiality check alone, on the pages those queries return.
    let pages: Vec<Vec<String>> = all.iter().map(|q| ours(s, &q.text)).collect::<Result<_>>()?;
    let ro = crate::store::customers::open_read_only(&root.join("dangan.sqlite3"))?;
    let mut check = |page: &Vec<String>| -> Result<f64> {
        let dossiers: Vec<&str> = page.iter().map(String::as_str).collect();
        let t = Instant::now();
        crate::store::customers::confidential_among(&ro, &dossiers)?;
        Ok(ms(t.elapsed()))
    };
    for page in &pages {
        check(page)?;
    }
    let check_times: Vec<f64> = pages.iter().map(&mut check).collect::<Result<_>>()?;
    drop(ro);
    let confidential_check = Percentiles::of(check_times);

    // From a write to finding it.
    let mut write_to_found = Vec::new();
    for (i, x) in conn_samples.iter().enumerate() {
        let token = format!("测速巷{}号", 9000 + i);
        let t = Instant::now();
        let edit =
            CustomerChanges { address: Some(format!("浙江省杭州市{token}")), ..Default::default() };
        match s.edit_customer(&x.dossier, edit, true) {
            Ok(_) => {}
            // A closed dossier cannot be edited: take the next one.
            Err(e) if e.kind() == crate::core::ErrorKind::Refused => continue,
            Err(e) => return Err(e),
        }
        loop {
            if ours(s, &token)?.first() == Some(&x.dossier) {
                break;
            }
            if t.elapsed().as_secs() > 10 {
                return Err(crate::core::Error::conflict("bench-not-searchable").arg("token", &token));
            }
        }
        write_to_found.push(ms(t.elapsed()));
    }

    // FTS5 (trigram), in its own file beside the library.
    note("bench: building the FTS5 trigram baseline".into());
    let t = Instant::now();
    let fts = sql::build_fts(&root.join("dangan.sqlite3"), &root.join("bench-fts5.sqlite3"))?;
    let fts_build = t.elapsed().as_secs_f64();
    run_set(&all, |q| sql::fts_search(&fts, q, 10))?;
    let (fts_times, fts_recall) = run_set(&all, |q| sql::fts_search(&fts, q, 10))?;
    drop(fts);
    let _ = std::fs::remove_file(root.join("bench-fts5.sqlite3"));
    let fts_p = Percentiles::of(fts_times);

    // LIKE, on a few queries of each kind; ours on the same ones for the ratio.
    note("bench: timing the LIKE scan".into());
    let mut per_kind: BTreeMap<&'static str, usize> = BTreeMap::new();
    let like_set: Vec<&Query> = all
        .iter()
        .copied()
        .filter(|q| {
            let n = per_kind.entry(q.kind).or_default();
            *n += 1;
            *n <= LIKE_PER_KIND
        })
        .collect();
    let conn = s.library().db.conn();
    let (like_times, like_recall) = run_set(&like_set, |q| sql::like_search(conn, q, 10))?;
    let like_p = Percentiles::of(like_times);
    let (ours_like, _) = run_set(&like_set, |t| ours(s, t))?;
    let ours_like = Percentiles::of(ours_like);

    let index_mib = crate::search::dir_size(&root.join("index")) as f64 / 1048576.0;
    Ok(SearchBench {
        index_build_per_second: build.documents as f64 / build.seconds.max(1e-9),
        index_build_seconds: build.seconds,
        index_mib,
        queries: all.len(),
        latency_by_kind_ms: by_kind.into_iter().map(|(k, v)| (k, Percentiles::of(v))).collect(),
        recall_at_10: recall,
        write_to_searchable_ms: Percentiles::of(write_to_found),
        confidential_check_share_p50: confidential_check.p50 / latency.p50.max(1e-9),
        confidential_check_ms: confidential_check,
        fts5: Baseline {
            build_seconds: Some(fts_build),
            queries: all.len(),
            ratio_p50: latency.p50 / fts_p.p50.max(1e-9),
            ratio_p99: latency.p99 / fts_p.p99.max(1e-9),
            latency_ms: fts_p,
            recall_at_10: fts_recall,
        },
        like: Baseline {
            build_seconds: None,
            queries: like_set.len(),
            ratio_p50: ours_like.p50 / like_p.p50.max(1e-9),
            ratio_p99: ours_like.p99 / like_p.p99.max(1e-9),
            latency_ms: like_p,
            recall_at_10: like_recall,
        },
        latency_ms: latency,
    })
}
