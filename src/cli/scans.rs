//! `scan`: import scanned files (routed by cover sheets), the inbox, filing by hand, turning
//! and taking out pages, the scan settings; and the report lines `doc add … FILE…` prints.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::Ctx;
use super::output::table;
use crate::core::Access;
use crate::core::scans::{FileInto, ImportOrigin, SettingsChanges, parse_page_list};
use crate::i18n::Tr;
use crate::model::error::Error;
use crate::model::scans::{FileOutcome, FileReport, Page, PageFate};

#[derive(Debug, Subcommand)]
pub enum ScanCmd {
    /// Import scanned files (JPEG, PNG, TIFF, PDF; folders: the files in them): pages after a
    /// cover sheet go into that dossier; the rest into the inbox. Prints each file's and page's
    /// fate; exit 4 when a file was refused or already imported.
    Import(ImportArgs),
    /// Watch a scanner's hot folder: import each file once it is whole, then move it to
    /// DIR/done or DIR/failed (with a reason file).
    Watch(WatchArgs),
    /// Pages waiting to be filed (the inbox).
    Inbox {
        #[arg(long, default_value_t = 200)]
        limit: i64,
        #[arg(long, default_value_t = 0)]
        offset: i64,
    },
    /// File inbox pages into a dossier: PAGES is `12`, `12-15`, `file:3` or a comma list; a new
    /// document of --type, or the end of --document.
    File(FileArgs),
    /// Take a filed page back to the inbox (misfiled).
    Unfile { page: i64 },
    /// Turn a page (display only; the stored file never changes): 90, 180, 270 or -90.
    Rotate {
        page: i64,
        #[arg(allow_hyphen_values = true)]
        degrees: i64,
    },
    /// A dossier's scanned pages, document by document.
    Pages { dossier: String },
    /// Save a page as a PNG (--side pixels on the longer side), or a stored file's original
    /// bytes (--original).
    Export {
        page: i64,
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 1600)]
        side: u32,
        /// The whole original file the page came from, byte for byte.
        #[arg(long)]
        original: bool,
    },
    /// Recognise the text of scanned pages (OCR) waiting in the queue, so a phrase from a
    /// contract finds its dossier; needs Tesseract with Chinese (tesseract-ocr-chi-sim).
    Ocr {
        /// At most this many pages, then stop.
        #[arg(long, default_value_t = usize::MAX)]
        limit: usize,
        /// Only say where the queue stands.
        #[arg(long)]
        status: bool,
        /// Put pages that failed three times back in the queue first.
        #[arg(long)]
        retry_failed: bool,
    },
    /// Show or change the scan settings: keep cover sheets, the blank-page threshold, the
    /// scanning deadline.
    Settings(SettingsArgs),
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    pub dir: PathBuf,
    /// Seconds a file's size and time must stay the same before it is taken.
    #[arg(long, default_value_t = 2.0)]
    pub settle: f64,
    /// Seconds between looks at the folder when no event comes (network folders send none).
    #[arg(long, default_value_t = 2.0)]
    pub poll: f64,
    /// Import what is there now, then stop (for scripts and tests).
    #[arg(long)]
    pub once: bool,
}

#[derive(Debug, Args)]
pub struct FileArgs {
    pub pages: String,
    pub dossier: String,
    /// Document type (code or name) of the new document.
    #[arg(long = "type")]
    pub doc_type: Option<String>,
    /// Add the pages to the end of this document of the dossier instead.
    #[arg(long)]
    pub document: Option<i64>,
    #[arg(long, default_value = "")]
    pub title: String,
}

#[derive(Debug, Args)]
pub struct SettingsArgs {
    /// Keep cover sheets as the first page of their document (yes/no).
    #[arg(long)]
    pub keep_cover: Option<bool>,
    /// A page with less ink than this share (0–0.05) is blank and dropped; 0 keeps all.
    #[arg(long)]
    pub blank_threshold: Option<f64>,
    /// Hours from registering a dossier to its papers being scanned.
    #[arg(long)]
    pub deadline_hours: Option<i64>,
}

/// The files to import: each path, and the files directly inside each folder (by name).
fn expand(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(p)?
                .flatten()
                .map(|e| e.path())
                .filter(|f| {
                    f.is_file() && !f.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'))
                })
                .collect();
            files.sort();
            out.extend(files);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

pub fn run(ctx: &Ctx, cmd: ScanCmd) -> anyhow::Result<()> {
    match cmd {
        ScanCmd::Import(a) => {
            let files = expand(&a.paths)?;
            let mut s = ctx.session(Access::Write)?;
            let mut progress = super::output::ProgressLine::new(ctx.tr.t("cli-scan-progress"));
            let reports = s.import_scans(&files, ImportOrigin::Import, |done, total, r| {
                if !ctx.out.json {
                    progress.finish();
                    println!("{}", report_text(&ctx.tr, r));
                }
                progress.update(done as u64, total as u64);
                true
            })?;
            progress.finish();
            if ctx.out.json {
                ctx.out.emit(&reports, String::new)?;
            }
            finish(&ctx.tr, &reports)
        }
        ScanCmd::Watch(a) => super::scans_watch::run(ctx, a),
        ScanCmd::Inbox { limit, offset } => {
            let mut s = ctx.session(Access::Read)?;
            let inbox = s.inbox(limit, offset)?;
            ctx.out.emit(&inbox, || inbox_text(&ctx.tr, inbox.total, &inbox.pages))
        }
        ScanCmd::File(a) => {
            let into = match (a.document, a.doc_type) {
                (Some(d), None) => FileInto::Document(d),
                (None, Some(t)) => FileInto::NewDocument { doc_type: t, title: a.title },
                _ => return Err(Error::usage("scan-file-type-or-document").into()),
            };
            let sel = parse_page_list(&a.pages)?;
            let mut s = ctx.session(Access::Write)?;
            let (doc, pages) = s.file_pages(&sel, &a.dossier, into)?;
            ctx.out.note(ctx.tr.ta(
                "cli-scan-filed",
                &[("count", &sel.len().to_string()), ("dossier", &a.dossier), ("document", &doc.to_string())],
            ));
            ctx.out.emit(&pages, || pages_text(&ctx.tr, &pages))
        }
        ScanCmd::Unfile { page } => {
            let mut s = ctx.session(Access::Write)?;
            let p = s.unfile_page(page)?;
            ctx.out.note(ctx.tr.ta("cli-scan-unfiled", &[("page", &page.to_string())]));
            ctx.out.emit(&p, || pages_text(&ctx.tr, std::slice::from_ref(&p)))
        }
        ScanCmd::Rotate { page, degrees } => {
            let mut s = ctx.session(Access::Write)?;
            let p = s.rotate_page(page, degrees)?;
            ctx.out.emit(&p, || pages_text(&ctx.tr, std::slice::from_ref(&p)))
        }
        ScanCmd::Pages { dossier } => {
            let mut s = ctx.session(Access::Read)?;
            let d = s.dossier_pages(&dossier)?;
            ctx.out.emit(&d, || pages_text(&ctx.tr, &d.pages))
        }
        ScanCmd::Export { page, out, side, original } => {
            let mut s = ctx.session(Access::Read)?;
            if original {
                let p = s.page(page)?;
                let (path, f) = s.original(p.file_id)?;
                std::fs::copy(&path, &out)
                    .map_err(|e| Error::io(format!("cannot write {}", out.display()), e))?;
                ctx.out.note(ctx.tr.ta("cli-scan-exported", &[("path", &out.display().to_string())]));
                return ctx.out.emit(&f, String::new);
            }
            let img = s.page_image(page, side.clamp(16, 10_000))?;
            let buf = image::RgbaImage::from_raw(img.width, img.height, img.rgba)
                .ok_or_else(|| Error::failed("scan-render-failed"))?;
            buf.save_with_format(&out, image::ImageFormat::Png).map_err(|e| {
                Error::io(format!("cannot write {}", out.display()), std::io::Error::other(e))
            })?;
            ctx.out.note(ctx.tr.ta("cli-scan-exported", &[("path", &out.display().to_string())]));
            ctx.out.emit(
                &serde_json::json!({ "path": out, "width": img.width, "height": img.height }),
                String::new,
            )
        }
        ScanCmd::Ocr { limit, status, retry_failed } => {
            let engine = crate::core::scans::ocr::engine();
            let off = engine.as_ref().err().cloned();
            if status {
                let mut s = ctx.session(Access::Read)?;
                let st = s.ocr_status(engine.as_ref().ok().map(|e| e.as_ref()), off.as_deref())?;
                return ctx.out.emit(&st, || ocr_status_text(&ctx.tr, &st));
            }
            let engine = engine.map_err(|r| crate::core::scans::ocr::off_error(&r))?;
            let mut s = ctx.session(Access::Write)?;
            if retry_failed {
                s.ocr_retry_failed()?;
            }
            let mut progress = super::output::ProgressLine::new(ctx.tr.t("cli-ocr-progress"));
            let done = s.ocr_run(engine.as_ref(), limit, |n, left, _| {
                progress.update(n as u64, n as u64 + left.max(0) as u64);
                true
            })?;
            progress.finish();
            let st = s.ocr_status(Some(engine.as_ref()), None)?;
            ctx.out.note(ctx.tr.ta(
                "cli-ocr-done",
                &[
                    ("count", &done.len().to_string()),
                    ("failed", &done.iter().filter(|o| o.error.is_some()).count().to_string()),
                ],
            ));
            ctx.out.emit(&st, || ocr_status_text(&ctx.tr, &st))
        }
        ScanCmd::Settings(a) => {
            let changing =
                a.keep_cover.is_some() || a.blank_threshold.is_some() || a.deadline_hours.is_some();
            let mut s = ctx.session(if changing { Access::Write } else { Access::Read })?;
            let settings = if changing {
                s.set_scan_settings(SettingsChanges {
                    keep_cover: a.keep_cover,
                    blank_threshold: a.blank_threshold,
                    deadline_hours: a.deadline_hours,
                })?
            } else {
                s.scan_settings()?
            };
            ctx.out.emit(&settings, || {
                table(&[
                    vec![
                        ctx.tr.t("scan-setting-keep-cover"),
                        ctx.tr.t(if settings.keep_cover { "form-yes" } else { "form-no" }),
                    ],
                    vec![ctx.tr.t("scan-setting-blank"), format!("{}", settings.blank_threshold)],
                    vec![ctx.tr.t("scan-setting-deadline"), settings.deadline_hours.to_string()],
                ])
            })
        }
    }
}

/// Exit 4 when some file was refused or a duplicate (the report said which and why).
pub(super) fn finish(tr: &Tr, reports: &[FileReport]) -> anyhow::Result<()> {
    let bad = reports
        .iter()
        .filter(|r| {
            r.outcome == FileOutcome::Refused || (r.outcome == FileOutcome::Duplicate && !r.seen_before)
        })
        .count();
    if bad > 0 {
        let _ = tr;
        return Err(Error::conflict("scan-some-not-imported")
            .arg("count", bad)
            .arg("total", reports.len())
            .into());
    }
    Ok(())
}

/// Why a file was not imported, in the user's language.
pub fn refusal_text(tr: &Tr, r: &FileReport) -> String {
    crate::i18n::scan_refusal(tr, r, &r.path)
}

/// A file's lines: what became of it, then each page.
pub fn report_text(tr: &Tr, r: &FileReport) -> String {
    let mut out = Vec::new();
    match r.outcome {
        FileOutcome::Imported => out.push(tr.ta(
            "cli-scan-file-imported",
            &[
                ("path", &r.path),
                ("pages", &r.pages.len().to_string()),
                ("filed", &r.filed().to_string()),
                ("inbox", &r.inbox().to_string()),
                ("blank", &r.blank().to_string()),
                ("covers", &r.covers().to_string()),
            ],
        )),
        FileOutcome::Duplicate if r.seen_before => {
            out.push(tr.ta("cli-scan-file-seen", &[("path", &r.path)]));
        }
        FileOutcome::Duplicate | FileOutcome::Refused => out.push(refusal_text(tr, r)),
    }
    for p in &r.pages {
        let n = p.page.to_string();
        out.push(match &p.fate {
            PageFate::Filed { dossier, doc_type, page_id, .. } => tr.ta(
                "cli-scan-page-filed",
                &[("page", &n), ("dossier", dossier), ("type", doc_type), ("id", &page_id.to_string())],
            ),
            PageFate::Cover { dossier, doc_type, kept } => tr.ta(
                if *kept { "cli-scan-page-cover-kept" } else { "cli-scan-page-cover" },
                &[("page", &n), ("dossier", dossier), ("type", doc_type.as_deref().unwrap_or("-"))],
            ),
            PageFate::Inbox { page_id, reason, code } => tr.ta(
                "cli-scan-page-inbox",
                &[
                    ("page", &n),
                    ("id", &page_id.to_string()),
                    ("reason", &tr.ta(&reason.key(), &[("code", code.as_deref().unwrap_or(""))])),
                ],
            ),
            PageFate::Blank { ink } => {
                tr.ta("cli-scan-page-blank", &[("page", &n), ("ink", &format!("{:.2}", ink * 100.0))])
            }
        });
    }
    out.join("\n")
}

fn inbox_text(tr: &Tr, total: i64, pages: &[Page]) -> String {
    if pages.is_empty() {
        return tr.t("cli-scan-inbox-empty");
    }
    let mut rows = vec![vec![
        tr.t("scan-col-page"),
        tr.t("scan-col-file"),
        tr.t("scan-col-reason"),
        tr.t("scan-col-added"),
    ]];
    for p in pages {
        let reason =
            p.inbox_reason.map(|r| tr.ta(&r.key(), &[("code", p.inbox_code.as_deref().unwrap_or(""))]));
        rows.push(vec![
            p.id.to_string(),
            format!("{} p{}", p.file_name, p.page_no),
            reason.unwrap_or_default(),
            crate::i18n::local_time(&p.created_at),
        ]);
    }
    format!("{}\n{}", table(&rows), tr.ta("cli-scan-inbox-total", &[("count", &total.to_string())]))
}

fn pages_text(tr: &Tr, pages: &[Page]) -> String {
    if pages.is_empty() {
        return tr.t("cli-scan-no-pages");
    }
    let mut rows = vec![vec![
        tr.t("scan-col-page"),
        tr.t("scan-col-document"),
        tr.t("scan-col-file"),
        tr.t("scan-col-rotation"),
    ]];
    for p in pages {
        rows.push(vec![
            p.id.to_string(),
            p.document_id.map(|d| d.to_string()).unwrap_or_else(|| tr.t("scan-inbox")),
            format!("{} p{}", p.file_name, p.page_no),
            format!("{}°", p.rotation),
        ]);
    }
    table(&rows)
}

fn ocr_status_text(tr: &Tr, st: &crate::core::scans::ocr::OcrStatus) -> String {
    let engine = match (&st.engine, st.off_reason.as_deref()) {
        (Some(e), _) => tr.ta("cli-ocr-engine", &[("engine", e)]),
        (None, Some("no_chinese")) => tr.t("ocr-off-no-chinese"),
        (None, _) => tr.t("ocr-off-no-engine"),
    };
    format!(
        "{engine}\n{}",
        tr.ta(
            "cli-ocr-queue",
            &[
                ("pending", &st.pending.to_string()),
                ("failed", &st.failed.to_string()),
                ("done", &st.done.to_string())
            ]
        )
    )
}
