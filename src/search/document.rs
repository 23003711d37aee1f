//! One customer's record, analysed into the index's fields, and its fingerprint.

use std::collections::HashMap;

use sha2::{Digest, Sha256};
use tantivy::TantivyDocument;

use super::SearchIndex;
use super::analysis as an;
use super::schema::INDEX_VERSION;
use crate::model::record::Record;

/// Everything one customer puts into the index, analysed.
#[derive(Debug, Default)]
struct Analysed {
    exact: Vec<String>,
    suffix: Vec<String>,
    surname: Option<String>,
    name_x: Vec<String>,
    pinyin: Vec<String>,
    pinyin_p: Vec<String>,
    name_w: Vec<String>,
    name_g: Vec<String>,
    /// Whitespace-separated words and grams of everything but the name.
    text_w: String,
    text_g: String,
    summary: String,
    /// Labelled codes, one per line (电话 13000186186), shown when a code matched.
    codes: String,
}

/// Between the address and each title in the stored summary.
pub(super) const SUMMARY_SEPARATOR: &str = " · ";

pub(super) fn digits(s: &str) -> String {
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
            an::pinyin_prefixes(&n, &mut a.pinyin_p);
        }
    }
    // Everything else a clerk might remember. Category paths and document titles repeat from
    // dossier to dossier: their analysis is cached.
    for part in [&r.address, &r.notes] {
        text_tokens(part, &mut a.text_w, &mut a.text_g);
    }
    // The scanned pages' recognised text, line by line (a phrase from a contract finds it).
    for line in r.page_text.lines() {
        text_tokens(line, &mut a.text_w, &mut a.text_g);
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
        summary.push_str(SUMMARY_SEPARATOR);
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
pub fn fingerprint(r: &Record) -> u64 {
    let mut h = Sha256::new();
    h.update(INDEX_VERSION.to_le_bytes());
    h.update(r.id.to_le_bytes());
    h.update(r.category_id.to_le_bytes());
    h.update([u8::from(r.confidential)]);
    let one = |h: &mut Sha256, s: &str| {
        h.update((s.len() as u64).to_le_bytes());
        h.update(s.as_bytes());
    };
    for part in [&r.dossier, &r.name, &r.address, &r.category_path, &r.grade, &r.status, &r.notes, &r.place] {
        one(&mut h, part);
    }
    one(&mut h, r.id_number.as_deref().unwrap_or("\u{0}"));
    one(&mut h, &r.loan.as_ref().map(|l| l.to_stored()).unwrap_or_default());
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
    // Hashed only when there is some, so the entries made before OCR existed stay current.
    if !r.page_text.is_empty() {
        one(&mut h, &r.page_text);
    }
    let d = h.finalize();
    u64::from_le_bytes([d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]])
}

impl SearchIndex {
    pub(super) fn document(&self, r: &Record) -> TantivyDocument {
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
        d.add_text(f.pinyin_p, a.pinyin_p.join(" "));
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
        d.add_u64(f.on_loan, u64::from(r.loan.is_some()));
        d.add_text(f.location, &r.place);
        if let Some(l) = &r.loan {
            d.add_text(f.loan, l.to_stored());
        }
        d.add_text(f.summary, &a.summary);
        d.add_text(f.codes, &a.codes);
        d.add_u64(f.fp, fingerprint(r));
        d
    }
}
