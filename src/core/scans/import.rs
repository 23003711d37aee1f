//! Importing one file: read it, check it, analyse each page (ink, QR code), then — in one
//! write transaction — record the file, route its pages (cover sheets start documents; the
//! rest go to the inbox) and write the audit rows; the bytes are staged before the commit
//! and moved into place after it (see [`super::blobs`]).
//!
//! Analysis ([`analyse_path`]) needs no session and no lock: the CLI and the hot folder run it
//! for the next file on another core while the current one is being written.

use std::collections::BTreeMap;
use std::path::Path;

use super::blobs::{self, Blobs};
use crate::core::session::{Change, Session, to_json};
use crate::model::Document;
use crate::model::error::{Error, Result};
use crate::model::permission::Permission;
use crate::model::scans::{
    AnalysedPage, FileOutcome, FileReport, InboxReason, PageFate, PageReport, Planned, Resolved,
    ScanSettings, classify_code, route,
};
use crate::scan::{Limits, Refusal, ScanFile};
use crate::store;

/// The longer side pages are analysed at: about 200 dpi for A4, enough for a cover sheet's QR
/// code and far cheaper than 300 or 600 dpi originals.
const ANALYSIS_SIDE: u32 = 2400;

/// How a file came.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportOrigin {
    /// `scan import`, the GUI's import.
    Import,
    /// A hot folder.
    Watch,
    /// With a new document (`doc add … FILE`, a file dropped on a dossier).
    Document,
    /// The demo's synthetic scans.
    Demo,
}

impl ImportOrigin {
    fn code(self) -> &'static str {
        match self {
            ImportOrigin::Import => "import",
            ImportOrigin::Watch => "watch",
            ImportOrigin::Document => "document",
            ImportOrigin::Demo => "demo",
        }
    }
}

/// A page's (width, height) and what its analysis found.
pub type SizedPage = ((u32, u32), AnalysedPage);

/// A file read and analysed, ready to be stored.
#[derive(Debug)]
pub struct Analysed {
    /// The path as given.
    pub path: String,
    pub name: String,
    pub sha256: String,
    pub bytes: Vec<u8>,
    /// The format and each page's (width, height, analysis); or why the file is refused.
    pub result: std::result::Result<(crate::scan::Format, Vec<SizedPage>), Refusal>,
}

/// Reads and analyses a file. An unreadable path is an error; a file that is not a good scan
/// is an [`Analysed`] with a refusal (reported, not fatal).
pub fn analyse_path(path: &Path, limits: &Limits, settings: &ScanSettings) -> Result<Analysed> {
    let meta = std::fs::metadata(path).map_err(|e| scan_io(path, e))?;
    if !meta.is_file() {
        return Err(Error::usage("scan-not-a-file").arg("path", path.display()));
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if meta.len() > limits.max_file_bytes {
        return Ok(Analysed {
            path: path.display().to_string(),
            name,
            sha256: String::new(),
            bytes: Vec::new(),
            result: Err(Refusal::TooBig { bytes: meta.len(), limit: limits.max_file_bytes }),
        });
    }
    let bytes = std::fs::read(path).map_err(|e| scan_io(path, e))?;
    Ok(analyse_bytes(path.display().to_string(), name, bytes, limits, settings))
}

fn scan_io(path: &Path, e: std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::NotFound {
        Error::missing("scan-path-not-found").arg("path", path.display())
    } else {
        Error::io(format!("cannot read {}", path.display()), e)
    }
}

/// Analyses bytes already read.
pub fn analyse_bytes(
    path: String,
    name: String,
    bytes: Vec<u8>,
    limits: &Limits,
    settings: &ScanSettings,
) -> Analysed {
    let sha256 = blobs::sha256(&bytes);
    let result = (|| {
        let file = ScanFile::open(bytes.clone(), limits)?;
        let mut pages = Vec::with_capacity(file.page_count());
        for i in 0..file.page_count() {
            let gray = file.gray(i, Some(ANALYSIS_SIDE))?;
            let ink = crate::scan::ink_ratio(&gray);
            let code = crate::scan::read_codes(&gray).into_iter().find_map(|c| classify_code(&c.text));
            let blank = settings.blank_threshold > 0.0 && ink < settings.blank_threshold && code.is_none();
            pages.push((file.page_size(i), AnalysedPage { ink, blank, code }));
        }
        Ok((file.format(), pages))
    })();
    Analysed { path, name, sha256, bytes, result }
}

/// The error for a refused file (when one file is all there is: `page_image`, `doc add`).
pub(crate) fn refusal_error(r: &Refusal, name: &str) -> Error {
    let mut e = Error::usage(refusal_key(r)).arg("name", name);
    for (k, v) in refusal_args(r) {
        e = e.arg(k, v);
    }
    e
}

fn refusal_key(r: &Refusal) -> &'static str {
    match r {
        Refusal::Empty => "scan-refused-empty",
        Refusal::NotAScan { .. } => "scan-refused-not-a-scan",
        Refusal::TooBig { .. } => "scan-refused-too-big",
        Refusal::TooManyPixels { .. } => "scan-refused-too-many-pixels",
        Refusal::TooManyPages { .. } => "scan-refused-too-many-pages",
        Refusal::Encrypted => "scan-refused-encrypted",
        Refusal::NoPages => "scan-refused-no-pages",
        Refusal::Damaged { .. } => "scan-refused-damaged",
    }
}

fn refusal_args(r: &Refusal) -> Vec<(&'static str, String)> {
    match r {
        Refusal::NotAScan { looks_like } => vec![("looks_like", looks_like.clone())],
        Refusal::TooBig { bytes, limit } => {
            vec![
                ("size_mb", format!("{:.1}", *bytes as f64 / 1048576.0)),
                ("limit_mb", (limit >> 20).to_string()),
            ]
        }
        Refusal::TooManyPixels { page, width, height, limit } => vec![
            ("page", page.to_string()),
            ("width", width.to_string()),
            ("height", height.to_string()),
            ("limit_mp", (limit / 1_000_000).to_string()),
        ],
        Refusal::TooManyPages { pages, limit } => {
            vec![("pages", pages.to_string()), ("limit", limit.to_string())]
        }
        Refusal::Damaged { detail } => vec![("detail", detail.clone())],
        Refusal::Empty | Refusal::Encrypted | Refusal::NoPages => Vec::new(),
    }
}

/// Where a file's pages go: routed by cover sheets, or all into one new document.
#[derive(Debug, Clone)]
pub(crate) enum Target<'a> {
    Route,
    /// Into this document (already created in the same transaction).
    Document {
        document_id: i64,
        dossier: &'a str,
        doc_type: &'a str,
    },
}

fn report(a: &Analysed, outcome: FileOutcome) -> FileReport {
    FileReport {
        path: a.path.clone(),
        outcome,
        file_id: None,
        sha256: (!a.sha256.is_empty()).then(|| a.sha256.clone()),
        format: a.result.as_ref().ok().map(|(f, _)| f.code().to_string()),
        pages: Vec::new(),
        reason: None,
        details: BTreeMap::new(),
        seen_before: false,
    }
}

/// The report of a file that could not even be read (gone, no permission).
pub fn unreadable_report(path: &Path, e: &Error) -> FileReport {
    let mut r = FileReport {
        path: path.display().to_string(),
        outcome: FileOutcome::Refused,
        file_id: None,
        sha256: None,
        format: None,
        pages: Vec::new(),
        reason: Some("unreadable".into()),
        details: BTreeMap::new(),
        seen_before: false,
    };
    r.details.insert("detail".into(), e.to_string());
    r
}

impl Session {
    /// Checks the user may import scans (the app's import checks before it reads any file).
    pub fn require_import(&self) -> Result<()> {
        self.require(Permission::WriteDossiers)?;
        self.require_write_access()
    }

    /// Imports files given by path, routing their pages (`scan import`). Files are analysed on
    /// a second thread while the previous one is written; each file is its own transaction,
    /// so one bad file costs only itself. `progress(done, total, report)` after each file;
    /// returning `false` stops before the next file (cancel).
    pub fn import_scans(
        &mut self,
        paths: &[std::path::PathBuf],
        origin: ImportOrigin,
        mut progress: impl FnMut(usize, usize, &FileReport) -> bool,
    ) -> Result<Vec<FileReport>> {
        self.require(Permission::WriteDossiers)?;
        self.require_write_access()?;
        let settings = store::scans::settings(self.lib.db.conn())?;
        let limits = self.scan_limits();
        let total = paths.len();
        let mut out = Vec::with_capacity(total);
        let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, Result<Analysed>)>(1);
        let stop = std::sync::atomic::AtomicBool::new(false);
        std::thread::scope(|scope| -> Result<()> {
            let stop = &stop;
            let settings2 = settings.clone();
            scope.spawn(move || {
                for (i, p) in paths.iter().enumerate() {
                    if stop.load(std::sync::atomic::Ordering::Relaxed) {
                        break;
                    }
                    if tx.send((i, analyse_path(p, &limits, &settings2))).is_err() {
                        break;
                    }
                }
            });
            for (i, analysed) in rx {
                let r = match analysed {
                    Ok(a) => self.store_analysed(a, origin, &settings)?,
                    Err(e) => unreadable_report(&paths[i], &e),
                };
                let go_on = progress(i + 1, total, &r);
                out.push(r);
                if !go_on {
                    stop.store(true, std::sync::atomic::Ordering::Relaxed);
                    break;
                }
            }
            Ok(())
        })?;
        Ok(out)
    }

    /// Stores one analysed file: routed (`scan import`, the hot folder). The caller checked the
    /// permission; a refused or duplicate file is reported, not an error.
    pub fn store_analysed(
        &mut self,
        a: Analysed,
        origin: ImportOrigin,
        settings: &ScanSettings,
    ) -> Result<FileReport> {
        self.require(Permission::WriteDossiers)?;
        let Analysed { result, .. } = &a;
        if let Err(refusal) = result {
            let mut r = report(&a, FileOutcome::Refused);
            r.reason = Some(refusal.code().to_string());
            r.details = refusal_args(refusal).into_iter().map(|(k, v)| (k.to_string(), v)).collect();
            return Ok(r);
        }
        let blobs = Blobs::new(&self.lib.paths().files);
        let conn = self.lib.db.conn();
        blobs.recover(|sha| store::scans::has_sha(conn, sha))?;
        if let Some(dup) = self.duplicate_report(&a)? {
            return Ok(dup);
        }
        blobs.stage(&a.sha256, &a.bytes)?;
        crate::core::index::fault("scan-staged-before-commit");
        let source = (origin == ImportOrigin::Watch).then(|| a.path.clone());
        let written = self.change(Permission::WriteDossiers, |tx, audit| {
            write_file(tx, audit, &a, origin, source.as_deref(), settings, &Target::Route)
        });
        match written {
            Ok(r) => {
                crate::core::index::fault("scan-committed-before-publish");
                blobs.publish(&a.sha256)?;
                Ok(r)
            }
            Err(e) => {
                blobs.discard(&a.sha256);
                // Another program stored the same bytes a moment ago.
                if let Some(dup) = self.duplicate_report(&a)? {
                    return Ok(dup);
                }
                Err(e)
            }
        }
    }

    fn duplicate_report(&mut self, a: &Analysed) -> Result<Option<FileReport>> {
        let Some(existing) = self.lib.db.read(|tx| store::scans::file_by_sha(tx, &a.sha256))? else {
            return Ok(None);
        };
        let mut r = report(a, FileOutcome::Duplicate);
        r.file_id = Some(existing.id);
        r.reason = Some("duplicate".into());
        r.seen_before = existing.source_path.as_deref() == Some(a.path.as_str());
        r.details.insert("imported_at".into(), existing.added_at.clone());
        r.details.insert("name".into(), existing.original_name.clone());
        let where_: Vec<String> = self.lib.db.read(|tx| store::scans::dossiers_of_file(tx, existing.id))?;
        r.details.insert("dossiers".into(), where_.join(", "));
        Ok(Some(r))
    }

    /// Adds a document with scanned files to a dossier in one transaction (`doc add … FILE…`,
    /// files dropped on a dossier): every page of the files goes into it, blank pages and
    /// cover sheets dropped. A refused or already-stored file fails the whole action (nothing
    /// is added), with the reason.
    pub fn add_document_with_files(
        &mut self,
        dossier: &str,
        d: crate::core::customers::NewDocument,
        paths: &[std::path::PathBuf],
    ) -> Result<(Document, Vec<FileReport>)> {
        let (analysed, settings) = self.prepare_files(paths)?;
        let blobs = Blobs::new(&self.lib.paths().files);
        let result = self.add_document_in(dossier, d, |tx, audit, doc| {
            let mut reports = Vec::new();
            for a in &analysed {
                let target =
                    Target::Document { document_id: doc.id, dossier: doc.dossier, doc_type: doc.doc_type };
                reports.push(write_file(tx, audit, a, ImportOrigin::Document, None, &settings, &target)?);
            }
            Ok(reports)
        });
        settle_staged(&blobs, &analysed, result)
    }

    /// Reads, checks and stages the files of a document (`doc add`, the app): any refused or
    /// already-stored file fails the whole action, with its reason, before anything is staged.
    fn prepare_files(&mut self, paths: &[std::path::PathBuf]) -> Result<(Vec<Analysed>, ScanSettings)> {
        self.require(Permission::WriteDossiers)?;
        let settings = store::scans::settings(self.lib.db.conn())?;
        let limits = self.scan_limits();
        let mut analysed = Vec::with_capacity(paths.len());
        for p in paths {
            let a = analyse_path(p, &limits, &settings)?;
            if let Err(r) = &a.result {
                return Err(refusal_error(r, &a.name));
            }
            if let Some(existing) = self.lib.db.read(|tx| store::scans::file_by_sha(tx, &a.sha256))? {
                return Err(Error::conflict("scan-file-duplicate")
                    .arg("name", &a.name)
                    .arg("imported_at", &existing.added_at)
                    .arg("original", &existing.original_name));
            }
            if analysed.iter().any(|b: &Analysed| b.sha256 == a.sha256) {
                return Err(Error::usage("scan-file-given-twice").arg("name", &a.name));
            }
            analysed.push(a);
        }
        let blobs = Blobs::new(&self.lib.paths().files);
        let conn = self.lib.db.conn();
        blobs.recover(|sha| store::scans::has_sha(conn, sha))?;
        for a in &analysed {
            if let Err(e) = blobs.stage(&a.sha256, &a.bytes) {
                analysed.iter().for_each(|a| blobs.discard(&a.sha256));
                return Err(e);
            }
        }
        Ok((analysed, settings))
    }

    /// Scans of a paper, added from the dossier (the app's 添加扫描件, files dropped on it): they
    /// go to the paper of that type registered and waiting to be scanned, as a cover sheet's
    /// pages would; only when there is none is a new document added.
    pub fn add_scans(
        &mut self,
        dossier: &str,
        doc_type: &str,
        paths: &[std::path::PathBuf],
    ) -> Result<(Document, Vec<FileReport>)> {
        self.require(Permission::WriteDossiers)?;
        let (c, _) = self.lib.db.read(|tx| crate::core::customers::load_customer(tx, dossier))?;
        self.guard_confidential(&c)?;
        let ty = self.lib.db.read(|tx| store::config::doc_type(tx, doc_type.trim()))?;
        let Some(waiting) = self.lib.db.read(|tx| waiting_document(tx, &c.dossier, &ty.code, &[]))? else {
            let d = crate::core::customers::NewDocument { doc_type: ty.code, ..Default::default() };
            return self.add_document_with_files(&c.dossier, d, paths);
        };
        let (analysed, settings) = self.prepare_files(paths)?;
        let blobs = Blobs::new(&self.lib.paths().files);
        let result = self.change(Permission::WriteDossiers, |tx, audit| {
            let mut reports = Vec::new();
            for a in &analysed {
                let target =
                    Target::Document { document_id: waiting, dossier: &c.dossier, doc_type: &ty.code };
                reports.push(write_file(tx, audit, a, ImportOrigin::Document, None, &settings, &target)?);
            }
            let ids: Vec<i64> = reports
                .iter()
                .flat_map(|r| r.pages.iter())
                .filter_map(|p| match &p.fate {
                    PageFate::Filed { page_id, .. } => Some(*page_id),
                    _ => None,
                })
                .collect();
            store::customers::touch(tx, c.id, audit.at)?;
            audit.log(
                tx,
                Change {
                    action: "file",
                    entity: "page",
                    entity_id: &ids.iter().map(i64::to_string).collect::<Vec<_>>().join(","),
                    dossier: Some(&c.dossier),
                    before: None,
                    after: to_json(&serde_json::json!({ "document": waiting, "pages": ids })),
                },
            )?;
            let doc = store::customers::documents_of(tx, c.id)?
                .into_iter()
                .find(|d| d.id == waiting)
                .ok_or_else(|| Error::Db("the document vanished".into()))?;
            Ok((doc, reports))
        });
        settle_staged(&blobs, &analysed, result)
    }
}

/// After the transaction naming staged files: moves them into place if it committed, drops
/// them if it failed.
fn settle_staged<T>(blobs: &Blobs, analysed: &[Analysed], result: Result<T>) -> Result<T> {
    match result {
        Ok(out) => {
            for a in analysed {
                blobs.publish(&a.sha256)?;
            }
            Ok(out)
        }
        Err(e) => {
            analysed.iter().for_each(|a| blobs.discard(&a.sha256));
            Err(e)
        }
    }
}

/// The new document a scan or `doc add` creates, as the writer needs it.
pub(crate) struct NewDoc<'a> {
    pub id: i64,
    pub dossier: &'a str,
    pub doc_type: &'a str,
}

/// Records one file and its pages in the open transaction, with the audit rows.
fn write_file(
    tx: &rusqlite::Connection,
    audit: &crate::core::session::Auditor<'_>,
    a: &Analysed,
    origin: ImportOrigin,
    source_path: Option<&str>,
    settings: &ScanSettings,
    target: &Target<'_>,
) -> Result<FileReport> {
    let Ok((format, pages)) = &a.result else {
        return Err(Error::failed("scan-refused-damaged").arg("name", &a.name).arg("detail", "-"));
    };
    let file_id = store::scans::insert_file(
        tx,
        &store::scans::NewFile {
            sha256: &a.sha256,
            size: a.bytes.len() as i64,
            format: format.code(),
            page_count: pages.len() as i64,
            original_name: &a.name,
            source_path,
            origin: origin.code(),
            added_at: audit.at,
            added_by: Some(audit.user_id),
        },
    )?;
    let mut r = report(a, FileOutcome::Imported);
    r.file_id = Some(file_id);
    let analysed: Vec<AnalysedPage> = pages.iter().map(|(_, p)| p.clone()).collect();

    let (groups, plan) = match target {
        Target::Route => route(&analysed, settings.keep_cover, |dossier, ty| resolve(tx, dossier, ty)),
        Target::Document { dossier, doc_type, .. } => {
            // Everything into the document: no routing, covers dropped, blanks dropped.
            let to = Resolved::File { dossier: dossier.to_string(), doc_type: doc_type.to_string() };
            let plan = analysed
                .iter()
                .map(|p| match (&p.code, p.blank) {
                    (Some(crate::model::scans::CoverCode::Cover { .. }), _) => {
                        Planned::Cover { group: 0, kept: settings.keep_cover }
                    }
                    (_, true) => Planned::Blank,
                    _ => Planned::Page { group: 0 },
                })
                .collect();
            (vec![crate::model::scans::Group { to, code: None }], plan)
        }
    };

    // Each filed group becomes a document (or, for `doc add`, the one given).
    let mut attached: Vec<(i64, String)> = Vec::new();
    let mut docs: Vec<Option<(i64, String, String)>> = Vec::with_capacity(groups.len());
    let mut counts: Vec<i64> = vec![0; groups.len()];
    for p in &plan {
        match p {
            Planned::Page { group } | Planned::Cover { group, kept: true } => counts[*group] += 1,
            _ => {}
        }
    }
    for (g, group) in groups.iter().enumerate() {
        docs.push(match (&group.to, target) {
            (Resolved::File { dossier, .. }, Target::Document { document_id, doc_type, .. }) => {
                Some((*document_id, dossier.clone(), doc_type.to_string()))
            }
            (Resolved::File { dossier, doc_type }, Target::Route) if counts[g] > 0 => {
                // The paper registered and waiting to be scanned gets its pages; only when the
                // dossier has none of that type waiting does the scan start a new document.
                let taken: Vec<i64> = attached.iter().map(|(id, _)| *id).collect();
                let id = match waiting_document(tx, dossier, doc_type, &taken)? {
                    Some(id) => {
                        attached.push((id, dossier.clone()));
                        id
                    }
                    None => create_document(tx, audit, dossier, doc_type, counts[g])?,
                };
                Some((id, dossier.clone(), doc_type.clone()))
            }
            _ => None,
        });
    }

    let mut positions: Vec<i64> = docs
        .iter()
        .map(|d| match d {
            Some((id, ..)) => store::scans::next_position(tx, *id),
            None => Ok(1),
        })
        .collect::<Result<_>>()?;
    let mut inbox_pos = 1;
    for (i, (p, ((w, h), analysed))) in plan.iter().zip(pages.iter()).enumerate() {
        let page_no = i as i64 + 1;
        let fate = match p {
            Planned::Blank => PageFate::Blank { ink: (analysed.ink * 10_000.0).round() / 10_000.0 },
            Planned::Cover { group, kept: false } => {
                let (dossier, doc_type) = cover_target(&groups[*group].to);
                PageFate::Cover { dossier, doc_type, kept: false }
            }
            Planned::Page { group } | Planned::Cover { group, kept: true } => {
                let is_cover = matches!(p, Planned::Cover { .. });
                match &docs[*group] {
                    Some((doc_id, dossier, doc_type)) => {
                        let id = store::scans::insert_page(
                            tx,
                            &store::scans::NewPage {
                                file_id,
                                page_no,
                                document_id: Some(*doc_id),
                                position: positions[*group],
                                width: i64::from(*w),
                                height: i64::from(*h),
                                is_cover,
                                inbox_reason: None,
                                inbox_code: None,
                                at: audit.at,
                            },
                        )?;
                        store::scans::enqueue_ocr(tx, id, audit.at)?;
                        positions[*group] += 1;
                        if is_cover {
                            let (dossier, doc_type) = cover_target(&groups[*group].to);
                            PageFate::Cover { dossier, doc_type, kept: true }
                        } else {
                            PageFate::Filed {
                                page_id: id,
                                dossier: dossier.clone(),
                                document_id: *doc_id,
                                doc_type: doc_type.clone(),
                            }
                        }
                    }
                    None => {
                        let (reason, code) = match &groups[*group].to {
                            Resolved::Inbox(reason) => (*reason, groups[*group].code.clone()),
                            Resolved::NoType { dossier } => (InboxReason::NoType, Some(dossier.clone())),
                            Resolved::File { .. } => (InboxReason::NoCover, None),
                        };
                        let id = store::scans::insert_page(
                            tx,
                            &store::scans::NewPage {
                                file_id,
                                page_no,
                                document_id: None,
                                position: inbox_pos,
                                width: i64::from(*w),
                                height: i64::from(*h),
                                is_cover,
                                inbox_reason: Some(reason),
                                inbox_code: code.as_deref(),
                                at: audit.at,
                            },
                        )?;
                        store::scans::enqueue_ocr(tx, id, audit.at)?;
                        inbox_pos += 1;
                        PageFate::Inbox { page_id: id, reason, code }
                    }
                }
            }
        };
        r.pages.push(PageReport { page: i + 1, fate });
    }
    // A document the scan created has its own creation row (and `doc add`'s is written after
    // its pages); pages given to a registered paper are a `file` row in its dossier's history;
    // the file's row says where every page went.
    for (doc_id, dossier) in &attached {
        let ids: Vec<i64> = r
            .pages
            .iter()
            .filter_map(|p| match &p.fate {
                PageFate::Filed { page_id, document_id, .. } if document_id == doc_id => Some(*page_id),
                _ => None,
            })
            .collect();
        if ids.is_empty() {
            continue;
        }
        let (c, _) = crate::core::customers::load_customer(tx, dossier)?;
        store::customers::touch(tx, c.id, audit.at)?;
        audit.log(
            tx,
            Change {
                action: "file",
                entity: "page",
                entity_id: &ids.iter().map(i64::to_string).collect::<Vec<_>>().join(","),
                dossier: Some(dossier),
                before: None,
                after: to_json(&serde_json::json!({ "document": doc_id, "pages": ids, "file": file_id })),
            },
        )?;
    }
    audit.log(
        tx,
        Change {
            action: "import",
            entity: "file",
            entity_id: &file_id.to_string(),
            dossier: None,
            before: None,
            after: to_json(&serde_json::json!({
                "sha256": a.sha256,
                "name": a.name,
                "format": format.code(),
                "size": a.bytes.len(),
                "pages": r.pages,
            })),
        },
    )?;
    Ok(r)
}

fn cover_target(to: &Resolved) -> (String, Option<String>) {
    match to {
        Resolved::File { dossier, doc_type } => (dossier.clone(), Some(doc_type.clone())),
        Resolved::NoType { dossier } => (dossier.clone(), None),
        Resolved::Inbox(_) => (String::new(), None),
    }
}

/// What a cover sheet's dossier and type are in this library.
fn resolve(tx: &rusqlite::Connection, dossier: &str, doc_type: Option<&str>) -> Resolved {
    let Ok(Some((c, _))) = store::customers::get(tx, dossier) else {
        return Resolved::Inbox(InboxReason::UnknownDossier);
    };
    if c.closed_at.is_some() {
        return Resolved::Inbox(InboxReason::ClosedDossier);
    }
    match doc_type {
        None => Resolved::NoType { dossier: c.dossier },
        Some(t) => match store::config::doc_type(tx, t) {
            Ok(ty) => Resolved::File { dossier: c.dossier, doc_type: ty.code },
            Err(_) => Resolved::Inbox(InboxReason::UnknownType),
        },
    }
}

/// The dossier's oldest registered document of this type that has no scanned page yet.
/// (`taken`: those an earlier cover sheet of the same file already chose).
fn waiting_document(
    tx: &rusqlite::Connection,
    dossier: &str,
    doc_type: &str,
    taken: &[i64],
) -> Result<Option<i64>> {
    let (c, _) = crate::core::customers::load_customer(tx, dossier)?;
    Ok(store::customers::documents_of(tx, c.id)?
        .into_iter()
        .filter(|d| d.doc_type == doc_type && d.scanned_pages == 0 && !taken.contains(&d.id))
        .min_by_key(|d| d.id)
        .map(|d| d.id))
}

/// A document a cover sheet starts: titled by its type, its page count the pages filed.
fn create_document(
    tx: &rusqlite::Connection,
    audit: &crate::core::session::Auditor<'_>,
    dossier: &str,
    doc_type: &str,
    pages: i64,
) -> Result<i64> {
    let (c, _) = crate::core::customers::load_customer(tx, dossier)?;
    let ty = store::config::doc_type(tx, doc_type)?;
    let id = store::customers::insert_document(
        tx,
        &store::customers::DocRow {
            customer_id: c.id,
            doc_type_id: ty.id,
            title: &ty.name,
            date: None,
            expires_on: None,
            pages,
            notes: "",
            created_at: audit.at,
            created_by: Some(audit.user_id),
        },
    )?;
    crate::core::customers::record_new_document(tx, audit, c.id, &c.dossier, id)?;
    Ok(id)
}
