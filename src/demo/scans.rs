//! The demo's scanned pages: what a records room that digitises every paper within 48 hours
//! holds. Dossiers registered earlier have their papers scanned (most of them every paper, a
//! few only some), the newest are "registered, not yet scanned" (the 工作台's list, some past
//! the deadline), and the inbox holds a batch scanned without a cover sheet and one behind an
//! unknown dossier's cover sheet. Most pages have text, as if OCR had run, so a phrase of a
//! paper finds its dossier.
//!
//! The disk stays small: pages are 1-bit CCITT Group 4 at 100 dpi, and a stored file is a
//! scanning batch — a multi-page TIFF of a run of dossiers — whose directories point at a
//! handful of generic page images (contract pages, forms, ID copies… drawn once per batch)
//! plus one page of each dossier's own (its first paper's first page, with the customer's name
//! and the dossier number as a Code128 barcode). Each stored page is still one `pages` row of
//! its own (`UNIQUE(file_id, page_no)`); only the compressed pixels repeat.
//!
//! Everything is planned from the database (deterministic for a seed) and written in batches
//! of dossiers, each one transaction with one `generate` audit row, the blobs staged (synced)
//! before it and moved into place after it (`core::scans::blobs`). A meta counter says how
//! many batches are written, so `demo --finish` skips them.

use std::collections::{BTreeMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use chrono::{Duration, NaiveDate};
use image::GrayImage;

use super::pages::{self, BarMark, PageSpec, Scanner};
use super::storage::{rng_for, stamp};
use crate::core::library::Library;
use crate::core::scans::blobs::{Blobs, sha256};
use crate::core::session::{Change, record};
use crate::model::Role;
use crate::model::error::{Error, Result};
use crate::model::scans::InboxReason;
use crate::store::{self, Tx, scans as sdb, scans_bulk as bulk};

/// Scan resolution of the demo's pages: small files, still legible on screen.
pub const DPI: u32 = 100;
/// Generic page images of each kind; a scanning batch uses [`PER_FILE`] of each.
const POOL_PER_KIND: usize = 8;
const PER_FILE: usize = 3;
/// One dossier in this many (at least) gets a page of its own, and at most [`MAX_OWN`] in all:
/// the others' first pages are generic ones (drawing and compressing a page is the phase's
/// main cost, and its bytes are not shared).
const OWN_EVERY: usize = 4;
const MAX_OWN: usize = 10_000;
/// Pages in one stored file at most (the import's limit is 2000).
const MAX_FILE_PAGES: i64 = 1800;
/// Dossiers per transaction at most.
const MAX_CHUNK: usize = 1000;
/// Per mille of the older dossiers with every paper scanned; the others have each paper
/// scanned with [`PARTIAL_PER_MILLE`].
const FULL_PER_MILLE: u64 = 900;
const PARTIAL_PER_MILLE: u64 = 550;
/// Dossiers registered in the last days are not scanned yet, and so is the newest one in this
/// many (at least [`MIN_UNSCANNED`]).
const RECENT_DAYS: i64 = 4;
const UNSCANNED_EVERY: usize = 200;
const MIN_UNSCANNED: usize = 3;
/// Per mille of pages with recognised text.
const TEXT_PER_MILLE: u64 = 950;
/// The name the text is stored under (the OCR engine's name for real scans).
pub const TEXT_ENGINE: &str = "demo";
/// The meta key counting the batches written (for `demo --finish`).
pub const BATCHES_KEY: &str = "demo.scan_batches";

/// What the scans phase left (all of it, including an earlier run's of a resumed demo).
#[derive(Debug, Clone, Copy, Default)]
pub struct ScanStats {
    pub files: u64,
    pub bytes: u64,
    pub pages: u64,
    pub inbox: u64,
    pub with_text: u64,
    /// Dossiers with papers and no page scanned.
    pub unscanned: u64,
    pub seconds: f64,
}

/// What a generic page looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Contract,
    Form,
    IdCopy,
    Property,
    Drawing,
    Report,
}

const KINDS: [Kind; 6] =
    [Kind::Contract, Kind::Form, Kind::IdCopy, Kind::Property, Kind::Drawing, Kind::Report];

impl Kind {
    fn of(doc_type: &str) -> Kind {
        match doc_type {
            "CONTRACT" => Kind::Contract,
            "ID" | "LEGAL-ID" => Kind::IdCopy,
            "PROPERTY" | "LICENSE" => Kind::Property,
            "DRAWING" => Kind::Drawing,
            "ACCEPT" | "INSPECT" => Kind::Report,
            _ => Kind::Form,
        }
    }

    /// The heading and how many lines of text a page of this kind has.
    fn look(self) -> (&'static str, usize) {
        match self {
            Kind::Contract => ("供用电合同（续页）", 30),
            Kind::Form => ("申请材料（续页）", 14),
            Kind::IdCopy => ("身份证明复印件（与原件核对一致）", 5),
            Kind::Property => ("产权证明复印件", 9),
            Kind::Drawing => ("受电工程设计图纸 说明", 6),
            Kind::Report => ("检验、检查记录", 18),
        }
    }
}

/// A page image ready to go into a TIFF: its Group 4 strip, size and text.
#[derive(Debug, Clone)]
struct Drawn {
    strip: Vec<u8>,
    width: u32,
    height: u32,
    text: String,
}

fn draw(spec: &PageSpec) -> Result<Drawn> {
    let img: GrayImage = spec.render()?;
    Ok(Drawn {
        strip: pages::group4(&img)?,
        width: img.width(),
        height: img.height(),
        text: spec.lines.join("\n"),
    })
}

/// The generic pages, `POOL_PER_KIND` of each kind, the same for a seed.
fn pool(seed: u64) -> Result<BTreeMap<Kind, Vec<Drawn>>> {
    let mut out = BTreeMap::new();
    for (k, kind) in KINDS.iter().enumerate() {
        let (heading, n) = kind.look();
        let mut v = Vec::with_capacity(POOL_PER_KIND);
        for i in 0..POOL_PER_KIND {
            let s = seed ^ ((k as u64 + 1) << 32) ^ i as u64;
            let mut lines = vec![heading.to_string()];
            lines.extend(pages::filler_lines(s, n));
            v.push(draw(&PageSpec::text(DPI, lines, Scanner::clean()))?);
        }
        out.insert(*kind, v);
    }
    Ok(out)
}

/// A dossier's own page: the first page of its first scanned paper, with the customer's name
/// and the dossier number (also as a barcode).
fn own_page(d: &bulk::DossierInput, paper: &bulk::PaperInput) -> Result<Drawn> {
    let day = d.created_at.get(..10).unwrap_or_default();
    let lines = vec![
        paper.title.clone(),
        format!("档案号：{}", d.dossier),
        format!("户名：{}", d.name),
        format!("地址：{}", d.address),
        format!("登记日期：{day}"),
        format!("业务受理号：SL{}{:07}", day.replace('-', ""), d.customer_id),
    ];
    let mut spec = PageSpec::text(DPI, lines, Scanner::clean());
    spec.code128 =
        Some(BarMark { text: d.dossier.clone(), x_mm: 20.0, y_mm: 250.0, width_mm: 90.0, height_mm: 14.0 });
    draw(&spec)
}

/// A multi-page bilevel TIFF (little-endian, Group 4, WhiteIsZero) whose pages are
/// `(strip, width, height)` indexes into `strips`: a strip used by several pages is stored
/// once and pointed at by each of their directories.
fn shared_tiff(strips: &[&[u8]], pages: &[(usize, u32, u32)], dpi: u32) -> Result<Vec<u8>> {
    let too_big =
        || Error::failed("demo-scan-encode-failed").arg("format", "TIFF").arg("detail", "over 4 GiB");
    let mut out: Vec<u8> = b"II\x2a\x00\0\0\0\0".to_vec();
    let mut offsets = Vec::with_capacity(strips.len());
    for s in strips {
        offsets.push(u32::try_from(out.len()).map_err(|_| too_big())?);
        out.extend_from_slice(s);
        if out.len() % 2 == 1 {
            out.push(0);
        }
    }
    let res = u32::try_from(out.len()).map_err(|_| too_big())?;
    out.extend_from_slice(&dpi.max(1).to_le_bytes());
    out.extend_from_slice(&1u32.to_le_bytes());
    let first = u32::try_from(out.len()).map_err(|_| too_big())?;
    out[4..8].copy_from_slice(&first.to_le_bytes());
    const SHORT: u16 = 3;
    const LONG: u16 = 4;
    const RATIONAL: u16 = 5;
    for (n, &(strip, w, h)) in pages.iter().enumerate() {
        let offset = offsets.get(strip).copied().ok_or_else(too_big)?;
        let len = strips.get(strip).map(|s| s.len() as u32).unwrap_or_default();
        let entries: [(u16, u16, u32); 12] = [
            (256, LONG, w),
            (257, LONG, h),
            (258, SHORT, 1),
            (259, SHORT, 4),
            (262, SHORT, 0),
            (273, LONG, offset),
            (277, SHORT, 1),
            (278, LONG, h),
            (279, LONG, len),
            (282, RATIONAL, res),
            (283, RATIONAL, res),
            (296, SHORT, 2),
        ];
        out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        for (tag, ty, value) in entries {
            out.extend_from_slice(&tag.to_le_bytes());
            out.extend_from_slice(&ty.to_le_bytes());
            out.extend_from_slice(&1u32.to_le_bytes());
            if ty == SHORT {
                out.extend_from_slice(&(value as u16).to_le_bytes());
                out.extend_from_slice(&[0, 0]);
            } else {
                out.extend_from_slice(&value.to_le_bytes());
            }
        }
        let next =
            if n + 1 < pages.len() { u32::try_from(out.len() + 4).map_err(|_| too_big())? } else { 0 };
        out.extend_from_slice(&next.to_le_bytes());
    }
    Ok(out)
}

/// One page as planned: which paper (None = the inbox), and where its image comes from.
#[derive(Debug, Clone)]
struct PlannedPage {
    document_id: Option<i64>,
    position: i64,
    reason: Option<(InboxReason, Option<String>)>,
    /// A dossier's own page (index into the batch's own pages), else a generic one.
    own: Option<usize>,
    kind: Kind,
    variant: usize,
    text: bool,
    /// Not recorded as a page (a cover sheet dropped at import): the file still has it.
    dropped: bool,
    /// The day it was scanned and filed.
    day: NaiveDate,
}

/// One stored file as planned.
struct PlannedFile {
    /// Numbered across the demo's batches: picks the generic pages it uses.
    no: usize,
    name: String,
    day: NaiveDate,
    pages: Vec<PlannedPage>,
    own: Vec<Drawn>,
}

fn day_of(ts: &str) -> NaiveDate {
    NaiveDate::parse_from_str(ts.get(..10).unwrap_or_default(), "%Y-%m-%d")
        .unwrap_or_else(|_| crate::core::today())
}

/// Which dossiers stay unscanned: those registered in the last days, and the newest ones.
fn unscanned_set(inputs: &[bulk::DossierInput], today: NaiveDate) -> HashSet<usize> {
    let newest = (inputs.len() / UNSCANNED_EVERY).max(MIN_UNSCANNED).min(inputs.len());
    let mut set: HashSet<usize> = (inputs.len() - newest..inputs.len()).collect();
    for (i, d) in inputs.iter().enumerate() {
        if today - day_of(&d.created_at) < Duration::days(RECENT_DAYS) {
            set.insert(i);
        }
    }
    set
}

/// The files of the dossiers `range`: runs of dossiers, at most `MAX_FILE_PAGES` pages each.
fn plan_files(
    seed: u64,
    inputs: &[bulk::DossierInput],
    range: std::ops::Range<usize>,
    unscanned: &HashSet<usize>,
    own_every: usize,
) -> Result<Vec<PlannedFile>> {
    let mut files: Vec<PlannedFile> = Vec::new();
    let mut current: Option<PlannedFile> = None;
    for i in range {
        if unscanned.contains(&i) {
            continue;
        }
        let d = &inputs[i];
        let mut rng = rng_for(seed, 50, d.customer_id as u64);
        let full = rng.chance(FULL_PER_MILLE);
        let scanned: Vec<&bulk::PaperInput> =
            d.papers.iter().filter(|_| full || rng.chance(PARTIAL_PER_MILLE)).collect();
        let pages: i64 = scanned.iter().map(|p| p.pages).sum();
        if pages == 0 {
            continue;
        }
        let fits = current.as_ref().is_some_and(|f| f.pages.len() as i64 + pages <= MAX_FILE_PAGES);
        if !fits {
            files.extend(current.take());
        }
        let file = current.get_or_insert_with(|| PlannedFile {
            no: 0,
            name: String::new(),
            day: day_of(&d.created_at) + Duration::days(1),
            pages: Vec::new(),
            own: Vec::new(),
        });
        // Scanned the day after registration (within the 48 hours); the batch's file was
        // started with its first dossier.
        let day = day_of(&d.created_at) + Duration::days(1);
        for (n, paper) in scanned.iter().enumerate() {
            for p in 1..=paper.pages {
                let own = (n == 0 && p == 1 && i % own_every == 0).then_some(file.own.len());
                if own.is_some() {
                    file.own.push(own_page(d, paper)?);
                }
                file.pages.push(PlannedPage {
                    document_id: Some(paper.document_id),
                    position: p,
                    reason: None,
                    own,
                    kind: Kind::of(&paper.doc_type),
                    variant: rng.below(PER_FILE as u64) as usize,
                    text: rng.chance(TEXT_PER_MILLE),
                    dropped: false,
                    day,
                });
            }
        }
    }
    files.extend(current);
    Ok(files)
}

/// The inbox's files: a batch scanned without a cover sheet, and one behind the cover sheet of
/// a dossier the library does not have.
fn plan_inbox(seed: u64, inputs: &[bulk::DossierInput], today: NaiveDate) -> Result<Vec<PlannedFile>> {
    let mut rng = rng_for(seed, 51, 0);
    let day = today - Duration::days(1);
    let generic = |kind, rng: &mut super::Rng, reason: (InboxReason, Option<String>), position| PlannedPage {
        document_id: None,
        position,
        reason: Some(reason),
        own: None,
        kind,
        variant: rng.below(PER_FILE as u64) as usize,
        text: true,
        dropped: false,
        day,
    };
    let no_cover: Vec<PlannedPage> =
        (1..=3).map(|p| generic(Kind::Form, &mut rng, (InboxReason::NoCover, None), p)).collect();
    // A dossier number the library does not have: the last one's, with its sequence run on.
    let known: HashSet<&str> = inputs.iter().map(|d| d.dossier.as_str()).collect();
    let last = inputs.last().map(|d| d.dossier.clone()).unwrap_or_else(|| "0".into());
    let stem = last.trim_end_matches(|c: char| c.is_ascii_digit()).to_string();
    let digits = last.len() - stem.len();
    let mut unknown = format!("{stem}{}", "9".repeat(digits.max(4)));
    while known.contains(unknown.as_str()) {
        unknown.push('9');
    }
    let code = crate::labels::cover_payload(&unknown, Some("CONTRACT"));
    let cover = pages::cover_clean(&unknown, "（未登记）", Some(("CONTRACT", "供用电合同")), DPI)?;
    let cover = Drawn {
        strip: pages::group4(&cover)?,
        width: cover.width(),
        height: cover.height(),
        text: String::new(),
    };
    let mut behind = vec![PlannedPage {
        own: Some(0),
        dropped: true,
        text: false,
        ..generic(Kind::Form, &mut rng, (InboxReason::NoCover, None), 1)
    }];
    behind
        .extend((2..=4).map(|p| {
            generic(Kind::Contract, &mut rng, (InboxReason::UnknownDossier, Some(code.clone())), p)
        }));
    Ok(vec![
        PlannedFile { no: 0, name: String::new(), day, pages: no_cover, own: Vec::new() },
        PlannedFile { no: 0, name: String::new(), day, pages: behind, own: vec![cover] },
    ])
}

/// Plans the scans and writes the batches not written yet. `progress(done, total)` counts
/// batches.
pub(crate) fn fill(
    lib: &mut Library,
    admin: &str,
    seed: u64,
    batch: usize,
    cancel: &AtomicBool,
    mut progress: impl FnMut(u64, u64),
) -> Result<ScanStats> {
    let started = Instant::now();
    let today = crate::core::today();
    let conn = lib.db.conn();
    let inputs = bulk::dossier_inputs(conn)?;
    let users = store::users::list(conn)?;
    let clerks: Vec<i64> = users.iter().filter(|u| u.role == Role::Clerk).map(|u| u.id).collect();
    let admin_id = users.iter().find(|u| u.name == admin).map(|u| u.id);
    let written: u64 = store::get_meta(conn, BATCHES_KEY)?.and_then(|s| s.parse().ok()).unwrap_or(0);
    let unscanned = unscanned_set(&inputs, today);
    let chunk = batch.clamp(1, MAX_CHUNK);
    let own_every = inputs.len().div_ceil(MAX_OWN).max(OWN_EVERY);
    let runs = inputs.len().div_ceil(chunk) as u64;
    let total = 1 + runs;
    let blobs = Blobs::new(&lib.paths().files);
    let mut pool: Option<BTreeMap<Kind, Vec<Drawn>>> = None;
    let mut file_no = 0u64;
    for n in 0..total {
        // Files are numbered across batches: count this batch's even when it is skipped.
        let mut files = if n == 0 {
            plan_inbox(seed, &inputs, today)?
        } else {
            let s = (n as usize - 1) * chunk;
            let range = s..(s + chunk).min(inputs.len());
            if n < written {
                // Only its number of files is needed; the plan's draws are cheap to skip.
                file_no += count_files(seed, &inputs, range, &unscanned) as u64;
                continue;
            }
            plan_files(seed, &inputs, range, &unscanned, own_every)?
        };
        for f in &mut files {
            file_no += 1;
            f.no = file_no as usize;
            f.name = format!("scan-{}-{file_no:05}.tif", f.day.format("%Y%m%d"));
        }
        if n < written {
            continue;
        }
        if cancel.load(Ordering::Relaxed) {
            return Err(Error::Cancelled);
        }
        let pool = match &mut pool {
            Some(p) => &*p,
            None => &*pool.insert(self::pool(seed)?),
        };
        // The files' bytes, staged (synced) before the transaction that records them.
        let mut made = Vec::with_capacity(files.len());
        for f in &files {
            let bytes = encode_file(pool, f)?;
            let sha = sha256(&bytes);
            blobs.stage(&sha, &bytes)?;
            made.push((sha, bytes.len() as i64));
        }
        let clerk = clerks.get(n as usize % clerks.len().max(1)).copied().or(admin_id);
        let now = crate::core::now();
        let result = lib.write(|tx| {
            store::search::without_change_triggers(tx, || {
                let mut pages_written = 0u64;
                for (f, (sha, size)) in files.iter().zip(&made) {
                    pages_written += write_file(tx, pool, f, sha, *size, &now, clerk)?;
                }
                record(
                    tx,
                    admin,
                    &now,
                    Change {
                        action: "generate",
                        entity: "demo",
                        entity_id: &format!("scans-{n}"),
                        dossier: None,
                        before: None,
                        after: Some(
                            serde_json::json!({ "scanned_files": files.len(), "pages": pages_written, "batch": n })
                                .to_string(),
                        ),
                    },
                )?;
                store::set_meta(tx, BATCHES_KEY, &(n + 1).to_string())
            })
        });
        if let Err(e) = result {
            made.iter().for_each(|(sha, _)| blobs.discard(sha));
            return Err(e);
        }
        for (sha, _) in &made {
            blobs.publish(sha)?;
        }
        progress(n + 1, total);
        crate::core::index::fault("demo-after-scan-batch");
    }
    let c = bulk::scan_counts(Tx::new(lib.db.conn()))?;
    let (_, unscanned_total) = sdb::unscanned(lib.db.conn(), 0)?;
    Ok(ScanStats {
        files: c.files as u64,
        bytes: c.bytes as u64,
        pages: c.filed as u64,
        inbox: c.inbox as u64,
        with_text: c.with_text as u64,
        unscanned: unscanned_total as u64,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// How many files [`plan_files`] makes for `range`, without drawing a page.
fn count_files(
    seed: u64,
    inputs: &[bulk::DossierInput],
    range: std::ops::Range<usize>,
    unscanned: &HashSet<usize>,
) -> usize {
    let (mut files, mut in_file) = (0usize, 0i64);
    for i in range {
        if unscanned.contains(&i) {
            continue;
        }
        let d = &inputs[i];
        let mut rng = rng_for(seed, 50, d.customer_id as u64);
        let full = rng.chance(FULL_PER_MILLE);
        let pages: i64 =
            d.papers.iter().filter(|_| full || rng.chance(PARTIAL_PER_MILLE)).map(|p| p.pages).sum();
        if pages == 0 {
            continue;
        }
        if files == 0 || in_file + pages > MAX_FILE_PAGES {
            files += 1;
            in_file = 0;
        }
        in_file += pages;
    }
    files
}

/// The generic image a page uses in file `file_no`.
fn generic<'a>(pool: &'a BTreeMap<Kind, Vec<Drawn>>, p: &PlannedPage, file_no: usize) -> Result<&'a Drawn> {
    let missing = || Error::Db("the demo's page pool is empty".into());
    let v = pool.get(&p.kind).ok_or_else(missing)?;
    v.get((file_no * PER_FILE + p.variant) % v.len().max(1)).ok_or_else(missing)
}

fn encode_file(pool: &BTreeMap<Kind, Vec<Drawn>>, f: &PlannedFile) -> Result<Vec<u8>> {
    let mut strips: Vec<&[u8]> = Vec::new();
    let mut index: BTreeMap<(Kind, usize), usize> = BTreeMap::new();
    let mut layout = Vec::with_capacity(f.pages.len());
    for p in &f.pages {
        let d = match p.own {
            Some(k) => {
                let d = f.own.get(k).ok_or_else(|| Error::Db("the demo's own page is missing".into()))?;
                strips.push(&d.strip);
                d
            }
            None => {
                let d = generic(pool, p, f.no)?;
                let at = *index.entry((p.kind, p.variant)).or_insert_with(|| {
                    strips.push(&d.strip);
                    strips.len() - 1
                });
                layout.push((at, d.width, d.height));
                continue;
            }
        };
        layout.push((strips.len() - 1, d.width, d.height));
    }
    shared_tiff(&strips, &layout, DPI)
}

fn write_file(
    tx: &rusqlite::Connection,
    pool: &BTreeMap<Kind, Vec<Drawn>>,
    f: &PlannedFile,
    sha: &str,
    size: i64,
    now: &str,
    clerk: Option<i64>,
) -> Result<u64> {
    let minute = 30 + f.no as u64 % 400;
    let at = stamp(f.day, minute, now);
    let file_id = sdb::insert_file(
        tx,
        &sdb::NewFile {
            sha256: sha,
            size,
            format: "tiff",
            page_count: f.pages.len() as i64,
            original_name: &f.name,
            source_path: None,
            origin: "demo",
            added_at: &at,
            added_by: clerk,
        },
    )?;
    let mut written = 0;
    for (i, p) in f.pages.iter().enumerate() {
        if p.dropped {
            continue;
        }
        let d = match p.own {
            Some(k) => f.own.get(k).ok_or_else(|| Error::Db("the demo's own page is missing".into()))?,
            None => generic(pool, p, f.no)?,
        };
        let at = stamp(p.day, minute + i as u64 / 20, now);
        let page_id = sdb::insert_page(
            tx,
            &sdb::NewPage {
                file_id,
                page_no: i as i64 + 1,
                document_id: p.document_id,
                position: p.position,
                width: i64::from(d.width),
                height: i64::from(d.height),
                is_cover: false,
                inbox_reason: p.reason.as_ref().map(|r| r.0),
                inbox_code: p.reason.as_ref().and_then(|r| r.1.as_deref()),
                at: &at,
            },
        )?;
        if p.text && !d.text.is_empty() {
            sdb::set_text(tx, page_id, TEXT_ENGINE, &d.text, &at)?;
        }
        written += 1;
    }
    Ok(written)
}
