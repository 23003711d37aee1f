//! Scanning's figures on the demo library the bench built: importing scanning batches (each a
//! printed cover sheet, then the papers) through `Session::import_scans` and through the CLI's
//! `scan import` in a process of its own, for multi-page Group 4 TIFF at 200 and 300 dpi, JPEG
//! at 200 dpi and PDF at 200 dpi, routing included; where a page's analysis spends its time
//! (decode, QR reading, ink); `verify`'s throughput over the stored files; thumbnails cold and
//! cached and the viewer's size; OCR seconds a page when Tesseract is there; and the 工作台's
//! "registered, not yet scanned" count at the library's size.

use std::path::{Path, PathBuf};
use std::time::Instant;

use image::GrayImage;
use serde::Serialize;

use super::{PASSWORD, Percentiles, ms};
use crate::core::Session;
use crate::core::scans::ImportOrigin;
use crate::demo::DemoReport;
use crate::demo::pages::{self, Compression, PageSpec, Scanner};
use crate::model::error::{Error, Result};
use crate::model::scans::FileOutcome;
use crate::scan::{Limits, ScanFile, ink_ratio, read_codes};

/// Scanning batches imported per format and path, and the papers' pages after each cover.
const BATCHES: usize = 6;
const PAGES_PER_BATCH: usize = 5;
/// Pages thumbnailed, and pages read by OCR.
const THUMBS: usize = 10;
const OCR_PAGES: usize = 2;
const QUERY_RUNS: usize = 10;

#[derive(Debug, Serialize)]
pub struct ImportFigure {
    /// `tiff-g4`, `jpeg`, `pdf`.
    pub format: &'static str,
    pub dpi: u32,
    /// `session` (`Session::import_scans`) or `cli` (`dangan scan import DIR`, a process).
    pub path: &'static str,
    pub files: usize,
    pub mib: f64,
    pub pages: usize,
    /// Pages filed into a dossier by their cover sheet, and pages that went to the inbox.
    pub filed: usize,
    pub inbox: usize,
    pub seconds: f64,
    pub pages_per_second: f64,
}

/// Where one page's analysis spends its time, milliseconds a page (one thread).
#[derive(Debug, Serialize)]
pub struct AnalysisFigure {
    pub format: &'static str,
    pub dpi: u32,
    pub open_ms: f64,
    pub decode_ms: f64,
    pub qr_ms: f64,
    pub ink_ms: f64,
}

#[derive(Debug, Serialize)]
pub struct ScansBench {
    pub customers: u64,
    /// What the demo wrote: files, their MiB, pages filed, and its scans phase's seconds.
    pub demo_scan_files: u64,
    pub demo_scan_mib: f64,
    pub demo_scanned_pages: u64,
    pub demo_scans_seconds: f64,
    pub imports: Vec<ImportFigure>,
    pub analysis: Vec<AnalysisFigure>,
    /// The whole `verify` (files re-hashed with everything else), the stored files' MiB, and
    /// MiB per second over them.
    pub verify_seconds: f64,
    pub verify_files_mib: f64,
    pub verify_mib_per_second: f64,
    /// Every stored file read and hashed (SHA-256) from its place, as `verify`'s file check
    /// does: MiB per second.
    pub hash_mib_per_second: f64,
    /// `page_image(id, 240)`: the first time (decoded, scaled, cached) and again (the cache).
    pub thumb_cold_ms: Percentiles,
    pub thumb_cached_ms: Percentiles,
    /// `page_image(id, 1600)`, the viewer's size.
    pub viewer_ms: Percentiles,
    /// Tesseract's seconds a 200 dpi page, when it is installed (else why not).
    pub ocr_seconds_per_page: Option<f64>,
    pub ocr_off: Option<String>,
    /// `store::scans::unscanned` (the 工作台's list, 50 rows, and the count), milliseconds.
    pub unscanned_ms: Percentiles,
    pub unscanned_total: i64,
}

/// One kind of file to import.
#[derive(Clone, Copy)]
struct Kind {
    format: &'static str,
    dpi: u32,
}

const KINDS: [Kind; 4] = [
    Kind { format: "tiff-g4", dpi: 200 },
    Kind { format: "tiff-g4", dpi: 300 },
    Kind { format: "jpeg", dpi: 200 },
    Kind { format: "pdf", dpi: 200 },
];

fn io(e: std::io::Error) -> Error {
    Error::io("io-bench-scans", e)
}

/// The papers' pages at `dpi`, scanned by an office feeder (skew, noise).
fn papers(dpi: u32, seed: u64) -> Result<Vec<GrayImage>> {
    (0..PAGES_PER_BATCH)
        .map(|i| {
            let s = seed.wrapping_add(i as u64);
            PageSpec::text(dpi, pages::filler_lines(s, 36), Scanner::office(s)).render()
        })
        .collect()
}

/// Writes the batches of `kind` for `dossiers` into `dir`; returns the files' paths and bytes.
/// `salt` makes each batch's pages differ by a speck from any other's (the same bytes twice
/// would be a duplicate, not an import).
fn write_batches(
    dir: &Path,
    kind: Kind,
    dossiers: &[String],
    papers: &[GrayImage],
    salt: usize,
) -> Result<(Vec<PathBuf>, u64)> {
    std::fs::create_dir_all(dir).map_err(io)?;
    let (mut paths, mut bytes) = (Vec::new(), 0u64);
    let mut write = |name: String, data: Vec<u8>| -> Result<()> {
        let p = dir.join(name);
        bytes += data.len() as u64;
        std::fs::write(&p, data).map_err(io)?;
        paths.push(p);
        Ok(())
    };
    for (b, d) in dossiers.iter().enumerate() {
        let cover = pages::cover_clean(d, "基准测试", Some(("CONTRACT", "供用电合同")), kind.dpi)?;
        let mut batch = vec![cover];
        for p in papers {
            let mut p = p.clone();
            let (w, h) = p.dimensions();
            let n = (salt + b) as u32;
            p.put_pixel(
                w.saturating_sub(1 + n % w.max(1)),
                h.saturating_sub(1 + n / w.max(1) % h.max(1)),
                image::Luma([0]),
            );
            batch.push(p);
        }
        match kind.format {
            "tiff-g4" => write(
                format!("batch-{b:02}.tif"),
                pages::encode_tiff(&batch, Compression::Group4, kind.dpi)?,
            )?,
            "pdf" => write(format!("batch-{b:02}.pdf"), pages::encode_pdf(&batch, kind.dpi)?)?,
            _ => {
                for (i, p) in batch.iter().enumerate() {
                    write(format!("batch-{b:02}-{i:02}.jpg"), pages::encode_jpeg(p, 80)?)?;
                }
            }
        }
    }
    Ok((paths, bytes))
}

/// Times one page's analysis steps on the first batch of a kind.
fn analyse(kind: Kind, path: &Path) -> Result<AnalysisFigure> {
    let bytes = std::fs::read(path).map_err(io)?;
    let refused = |r: crate::scan::Refusal| Error::failed("bench-scan-refused").arg("reason", r.code());
    let t = Instant::now();
    let file = ScanFile::open(bytes, &Limits::default()).map_err(refused)?;
    let open_ms = ms(t.elapsed());
    let (mut decode, mut qr, mut ink) = (0.0, 0.0, 0.0);
    let n = file.page_count().max(1);
    for i in 0..file.page_count() {
        let t = Instant::now();
        let img = file.gray(i, None).map_err(refused)?;
        decode += ms(t.elapsed());
        let t = Instant::now();
        let _ = read_codes(&img);
        qr += ms(t.elapsed());
        let t = Instant::now();
        let _ = ink_ratio(&img);
        ink += ms(t.elapsed());
    }
    let n = n as f64;
    Ok(AnalysisFigure {
        format: kind.format,
        dpi: kind.dpi,
        open_ms: open_ms / n,
        decode_ms: decode / n,
        qr_ms: qr / n,
        ink_ms: ink / n,
    })
}

/// `dangan scan import DIR` in a process of its own; its wall seconds and `--json` report.
fn cli_import(root: &Path, dir: &Path) -> Result<(f64, serde_json::Value)> {
    let exe = std::env::current_exe().map_err(|e| Error::io("io-bench-cli", e))?;
    let t = Instant::now();
    let out = std::process::Command::new(exe)
        .arg("--library")
        .arg(root)
        .args(["--user", "admin", "--json", "scan", "import"])
        .arg(dir)
        .env("DANGAN_PASSWORD", PASSWORD)
        .output()
        .map_err(|e| Error::io("io-bench-cli", e))?;
    let seconds = t.elapsed().as_secs_f64();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    // Exit 4 says some file was refused or a duplicate: the figures say which.
    if !out.status.success() && out.status.code() != Some(4) {
        return Err(Error::Db(format!(
            "dangan scan import failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok((seconds, json))
}

/// Counts (pages, filed, inbox) in the CLI's JSON report (an array of file reports, or an
/// object holding one under `files`).
fn cli_counts(json: &serde_json::Value) -> (usize, usize, usize) {
    let files = json.as_array().or_else(|| json["files"].as_array()).cloned().unwrap_or_default();
    let (mut pages, mut filed, mut inbox) = (0, 0, 0);
    for f in &files {
        for p in f["pages"].as_array().cloned().unwrap_or_default() {
            pages += 1;
            let fate = p["fate"].as_str().unwrap_or_default();
            if fate == "filed" {
                filed += 1;
            } else if fate == "inbox" {
                inbox += 1;
            }
        }
    }
    (pages, filed, inbox)
}

pub fn measure(
    root: &Path,
    s: &mut Session,
    report: &DemoReport,
    seed: u64,
    note: &impl Fn(String),
) -> Result<ScansBench> {
    let work = std::env::temp_dir().join(format!("dangan-bench-scans-{}", std::process::id()));
    let result = measure_in(root, &work, s, report, seed, note);
    let _ = std::fs::remove_dir_all(&work);
    result
}

fn measure_in(
    root: &Path,
    work: &Path,
    s: &mut Session,
    report: &DemoReport,
    seed: u64,
    note: &impl Fn(String),
) -> Result<ScansBench> {
    // Open dossiers to route into: a distinct one for each batch (the same bytes twice would
    // be a duplicate).
    let want = KINDS.len() * 2 * BATCHES;
    let mut dossiers = Vec::new();
    for d in s.library().sample_dossiers(want * 3, seed ^ 0x5ca)? {
        if dossiers.len() == want {
            break;
        }
        if !dossiers.contains(&d) && s.dossier(&d).is_ok_and(|v| v.customer.closed_at.is_none()) {
            dossiers.push(d);
        }
    }
    let mut imports = Vec::new();
    let mut analysis = Vec::new();
    let mut filed_dossiers = Vec::new();
    for (k, kind) in KINDS.iter().enumerate() {
        note(format!("bench: importing {} at {} dpi", kind.format, kind.dpi));
        let papers = papers(kind.dpi, seed ^ k as u64)?;
        for (p, path) in ["session", "cli"].into_iter().enumerate() {
            let start = (k * 2 + p) * BATCHES;
            let Some(mine) = dossiers.get(start..start + BATCHES) else { break };
            let dir = work.join(format!("{}-{}-{path}", kind.format, kind.dpi));
            let (files, bytes) = write_batches(&dir, *kind, mine, &papers, start)?;
            if let (0, Some(first)) = (p, files.first()) {
                analysis.push(analyse(*kind, first)?);
            }
            let (seconds, pages, filed, inbox) = if path == "session" {
                let t = Instant::now();
                let reports = s.import_scans(&files, ImportOrigin::Import, |_, _, _| true)?;
                let seconds = t.elapsed().as_secs_f64();
                let pages: usize = reports.iter().map(|r| r.pages.len()).sum();
                let filed: usize = reports.iter().map(|r| r.filed()).sum();
                let inbox: usize = reports.iter().map(|r| r.inbox()).sum();
                if reports.iter().any(|r| r.outcome != FileOutcome::Imported) {
                    note(format!("bench: some {} files were not imported", kind.format));
                }
                (seconds, pages, filed, inbox)
            } else {
                let (seconds, json) = cli_import(root, &dir)?;
                let (pages, filed, inbox) = cli_counts(&json);
                (seconds, pages, filed, inbox)
            };
            filed_dossiers.extend(mine.iter().cloned());
            imports.push(ImportFigure {
                format: kind.format,
                dpi: kind.dpi,
                path,
                files: files.len(),
                mib: bytes as f64 / 1048576.0,
                pages,
                filed,
                inbox,
                seconds,
                pages_per_second: pages as f64 / seconds.max(1e-9),
            });
            let _ = std::fs::remove_dir_all(&dir);
        }
    }

    note("bench: thumbnails".into());
    let mut page_ids = Vec::new();
    for d in &filed_dossiers {
        if page_ids.len() >= THUMBS {
            break;
        }
        if let Ok(p) = s.dossier_pages(d) {
            page_ids.extend(p.pages.iter().take(2).map(|p| p.id));
        }
    }
    page_ids.truncate(THUMBS);
    let (mut cold, mut cached, mut viewer) = (Vec::new(), Vec::new(), Vec::new());
    for &id in &page_ids {
        let t = Instant::now();
        s.page_image(id, crate::core::scans::THUMB_SIDE)?;
        cold.push(ms(t.elapsed()));
        let t = Instant::now();
        s.page_image(id, crate::core::scans::THUMB_SIDE)?;
        cached.push(ms(t.elapsed()));
        let t = Instant::now();
        s.page_image(id, 1600)?;
        viewer.push(ms(t.elapsed()));
    }

    let (mut ocr_seconds_per_page, mut ocr_off) = (None, None);
    match crate::core::scans::ocr::engine() {
        Ok(engine) => {
            note("bench: OCR".into());
            let pages = papers(200, seed ^ 0x0c)?;
            let t = Instant::now();
            for p in pages.iter().take(OCR_PAGES) {
                let _ = engine.recognise(p);
            }
            ocr_seconds_per_page = Some(t.elapsed().as_secs_f64() / OCR_PAGES as f64);
        }
        Err(why) => ocr_off = Some(why),
    }

    let mut unscanned = Vec::new();
    let mut unscanned_total = 0;
    for _ in 0..QUERY_RUNS {
        let t = Instant::now();
        unscanned_total = crate::store::scans::unscanned(s.library().db.conn(), 50)?.1;
        unscanned.push(ms(t.elapsed()));
    }

    note("bench: verify".into());
    let files_bytes = crate::store::scans::file_count(s.library().db.conn())?.1;
    let t = Instant::now();
    let v = s.verify()?;
    let verify_seconds = t.elapsed().as_secs_f64();
    if !v.ok {
        return Err(Error::conflict("bench-not-verified")
            .arg("problems", v.problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")));
    }
    let verify_files_mib = files_bytes as f64 / 1048576.0;
    let blobs = crate::core::scans::blobs::Blobs::new(&s.library().paths().files);
    let t = Instant::now();
    for f in crate::store::scans::files_to_check(s.library().db.conn(), None)? {
        let got = crate::core::scans::blobs::hash_file(&blobs.path(&f.sha256)).map_err(io)?;
        if got != f.sha256 {
            return Err(Error::conflict("bench-not-verified").arg("problems", f.sha256));
        }
    }
    let hash_seconds = t.elapsed().as_secs_f64();
    Ok(ScansBench {
        customers: report.customers,
        demo_scan_files: report.scan_files,
        demo_scan_mib: report.scan_bytes as f64 / 1048576.0,
        demo_scanned_pages: report.scanned_pages,
        demo_scans_seconds: report.scans_seconds,
        imports,
        analysis,
        verify_seconds,
        verify_files_mib,
        verify_mib_per_second: verify_files_mib / verify_seconds.max(1e-9),
        hash_mib_per_second: verify_files_mib / hash_seconds.max(1e-9),
        thumb_cold_ms: Percentiles::of(cold),
        thumb_cached_ms: Percentiles::of(cached),
        viewer_ms: Percentiles::of(viewer),
        ocr_seconds_per_page,
        ocr_off,
        unscanned_ms: Percentiles::of(unscanned),
        unscanned_total,
    })
}
