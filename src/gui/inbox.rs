//! 待分拣: the scan inbox. Pages that no cover sheet routed wait here as thumbnails, grouped by
//! the file they came in (its name, when, and why they are here); the clerk selects pages
//! (click, Shift-click for a range, a whole file), picks the dossier by search or types its
//! number, picks the document type (filled in from the cover sheet when it named one) and
//! files them — they leave the list at once. Also here: importing scans from the app (a file
//! dialog or a typed path, with progress, 取消, and a summary), the hot folder while the app is
//! open ([`hot`]), and 待扫描 — open dossiers with papers registered and none scanned, against
//! the scanning deadline. Everything goes through `core` on a worker thread.

pub mod hot;
pub mod ocr;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use iced::widget::{button, column, container, image, pick_list, row, scrollable, text, text_input};
use iced::{Element, Length, Subscription, Task};

use super::backend::{Backend, Failure};
use super::prefs::HotFolderPrefs;
use super::theme;
use crate::core::index::SearchQuery;
use crate::core::scans::{
    FileInto, ImportOrigin, PageImage, PageSel, ScanDeadline, THUMB_SIDE, UnscannedList,
};
use crate::i18n::{Tr, local_time};
use crate::model::error::Error;
use crate::model::scans::{FileOutcome, FileReport, InboxReason, Page};

/// The inbox pages shown at once (the oldest first; more appear as these are filed).
pub const LIST_LIMIT: i64 = 300;
/// The large preview's longer side.
pub const PREVIEW_SIDE: u32 = 1400;
/// Thumbnails rendered per worker call (each call holds the session only that long).
const THUMB_BATCH: usize = 6;
/// The 待扫描 dossiers listed.
pub const UNSCANNED_LIMIT: i64 = 200;
/// Hot-folder log lines kept.
const EVENTS_KEPT: usize = 30;

pub const TAB_INBOX_ID: &str = "inbox-tab-inbox";
pub const TAB_UNSCANNED_ID: &str = "inbox-tab-unscanned";
pub const IMPORT_PATH_ID: &str = "inbox-import-path";
pub const IMPORT_ID: &str = "inbox-import";
pub const IMPORT_CHOOSE_ID: &str = "inbox-import-choose";
pub const CANCEL_ID: &str = "inbox-import-cancel";
pub const DOSSIER_ID: &str = "inbox-dossier";
pub const FILE_ID: &str = "inbox-file";
pub const HOT_DIR_ID: &str = "inbox-hot-dir";
pub const HOT_TOGGLE_ID: &str = "inbox-hot-toggle";

/// A page's thumbnail button.
pub fn page_id(id: i64) -> String {
    format!("inbox-page-{id}")
}

/// A file group's "select all" button.
pub fn file_select_id(file_id: i64) -> String {
    format!("inbox-select-file-{file_id}")
}

/// A 待扫描 row.
pub fn unscanned_id(dossier: &str) -> String {
    format!("unscanned-{dossier}")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    /// 待分拣: pages waiting to be filed.
    Inbox,
    /// 待扫描: dossiers waiting for their scans.
    Unscanned,
}

/// A document type in the picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocChoice {
    pub code: String,
    pub name: String,
}

impl std::fmt::Display for DocChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.name, self.code)
    }
}

/// An import running on the worker.
#[derive(Debug)]
pub struct Importing {
    pub done: usize,
    pub total: usize,
    /// The file just finished.
    pub current: Option<String>,
    pub cancelling: bool,
    cancel: Arc<AtomicBool>,
}

/// What the last import did, in words.
#[derive(Debug, Clone)]
pub struct Summary {
    pub line: String,
    /// One sentence per file not imported, saying why.
    pub refusals: Vec<String>,
}

/// A step of an import, from the worker.
#[derive(Debug, Clone)]
pub enum ImportStep {
    /// The files found (folders expanded).
    Total(usize),
    /// A file done: `(done, total, its report)`.
    File(usize, usize, Box<FileReport>),
}

/// What the list loads: the inbox and the document types.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub total: i64,
    pub pages: Vec<Page>,
    pub types: Vec<DocChoice>,
}

/// Pages filed: into which dossier, as which type, which pages.
#[derive(Debug, Clone)]
pub struct Filed {
    pub dossier: String,
    pub doc_type: String,
    pub ids: Vec<i64>,
}

#[derive(Debug, Clone)]
pub enum Message {
    Tab(Tab),
    Loaded(Result<Loaded, Failure>),
    Thumbs(Result<Vec<(i64, Option<PageImage>)>, Failure>),
    Preview(i64, Result<PageImage, Failure>),
    /// A page clicked (Shift held: a range from the last click).
    Click(i64),
    /// The Shift key went down or up.
    Shift(bool),
    SelectFile(i64),
    SelectNone,
    DossierQuery(String),
    DossierSubmit,
    Hits(u64, Result<Vec<(String, String)>, Failure>),
    ChooseDossier(String, String),
    DocType(DocChoice),
    File,
    Filed(Result<Filed, Failure>),
    ImportPath(String),
    Choose,
    Chosen(Option<Vec<PathBuf>>),
    Import,
    ImportStep(ImportStep),
    ImportDone(Result<Vec<FileReport>, Failure>),
    Cancel,
    CloseSummary,
    HotDir(String),
    HotToggle(bool),
    HotTick,
    HotPolled(Result<Vec<hot::WatchEvent>, Failure>),
    Counts(Result<(Option<i64>, UnscannedList), Failure>),
    InboxCount(Result<i64, Failure>),
    OpenDossier(String),
    /// The background OCR worker.
    Ocr(ocr::Message),
}

#[derive(Debug)]
pub enum Action {
    None,
    Task(Task<Message>),
    /// Open this dossier.
    Open(String),
    /// The hot-folder setting changed: save it with the app's preferences.
    SaveHot(HotFolderPrefs),
}

#[derive(Debug)]
pub struct Inbox {
    /// The user may file pages and import (the inbox needs the right to change dossiers).
    pub may_file: bool,
    /// Text recognition in the background (for those who may file pages).
    pub ocr: ocr::OcrWorker,
    pub tab: Tab,
    pub total: i64,
    pub pages: Vec<Page>,
    pub loaded: bool,
    thumbs: HashMap<i64, image::Handle>,
    /// Pages whose thumbnail could not be made (a placeholder stays).
    thumbs_failed: HashSet<i64>,
    thumbs_busy: bool,
    pub selected: BTreeSet<i64>,
    anchor: Option<i64>,
    shift: bool,
    /// The page shown large.
    pub preview: Option<i64>,
    preview_image: Option<(i64, image::Handle)>,
    preview_error: Option<String>,
    pub dossier_query: String,
    search_seq: u64,
    /// Search results: (dossier, name).
    pub hits: Vec<(String, String)>,
    /// The dossier picked from the results: (dossier, name).
    pub chosen: Option<(String, String)>,
    pub doc_types: Vec<DocChoice>,
    pub doc_type: Option<DocChoice>,
    pub filing: bool,
    pub error: Option<String>,
    pub notice: Option<String>,
    pub import_path: String,
    pub importing: Option<Importing>,
    pub summary: Option<Summary>,
    pub hot: HotFolderPrefs,
    hot_folder: Option<Arc<Mutex<Option<hot::HotFolder>>>>,
    hot_polling: bool,
    pub hot_error: Option<String>,
    /// The hot folder's last events, newest first: (line, imported).
    pub events: Vec<(String, bool)>,
    /// 待扫描 (also the 工作台's counts).
    pub unscanned: Option<UnscannedList>,
    /// Pages in the inbox (the side bar's badge, the 工作台's count); `None` until known.
    pub inbox_count: Option<i64>,
}

impl Inbox {
    pub fn new(may_file: bool, hot: HotFolderPrefs) -> Inbox {
        Inbox {
            may_file,
            ocr: ocr::OcrWorker::default(),
            tab: if may_file { Tab::Inbox } else { Tab::Unscanned },
            total: 0,
            pages: Vec::new(),
            loaded: false,
            thumbs: HashMap::new(),
            thumbs_failed: HashSet::new(),
            thumbs_busy: false,
            selected: BTreeSet::new(),
            anchor: None,
            shift: false,
            preview: None,
            preview_image: None,
            preview_error: None,
            dossier_query: String::new(),
            search_seq: 0,
            hits: Vec::new(),
            chosen: None,
            doc_types: Vec::new(),
            doc_type: None,
            filing: false,
            error: None,
            notice: None,
            import_path: String::new(),
            importing: None,
            summary: None,
            hot,
            hot_folder: None,
            hot_polling: false,
            hot_error: None,
            events: Vec::new(),
            unscanned: None,
            inbox_count: None,
        }
    }

    /// The screen opened from the side bar or the 工作台, on `tab`.
    pub fn enter(&mut self, tab: Tab, backend: &Backend) -> Task<Message> {
        self.tab = if self.may_file { tab } else { Tab::Unscanned };
        self.error = None;
        Task::batch([self.reload(backend), self.refresh_counts(backend)])
    }

    /// Reloads the inbox list (keeping the selection of pages still there).
    pub fn reload(&self, backend: &Backend) -> Task<Message> {
        if !self.may_file {
            return Task::none();
        }
        backend.run(
            |s| {
                let inbox = s.inbox(LIST_LIMIT, 0)?;
                let types = s
                    .configuration()?
                    .doc_types
                    .into_iter()
                    .map(|t| DocChoice { code: t.code, name: t.name })
                    .collect();
                Ok(Loaded { total: inbox.total, pages: inbox.pages, types })
            },
            Message::Loaded,
        )
    }

    /// The inbox count and the 待扫描 queue (the 工作台, the side bar's badge).
    pub fn refresh_counts(&self, backend: &Backend) -> Task<Message> {
        let may_file = self.may_file;
        backend.run(
            move |s| {
                let inbox = if may_file { Some(s.inbox(1, 0)?.total) } else { None };
                Ok((inbox, s.unscanned(UNSCANNED_LIMIT)?))
            },
            Message::Counts,
        )
    }

    /// Only the inbox count (cheap: after another program's change).
    pub fn refresh_badge(&self, backend: &Backend) -> Task<Message> {
        if !self.may_file {
            return Task::none();
        }
        backend.run(|s| Ok(s.inbox(1, 0)?.total), Message::InboxCount)
    }

    /// Starts the background OCR worker (looks for the engine), for those who may file pages.
    pub fn start_ocr(&self) -> Task<Message> {
        if !self.may_file {
            return Task::none();
        }
        self.ocr.find().map(Message::Ocr)
    }

    pub fn update(&mut self, message: Message, backend: &Backend, tr: &Tr) -> Action {
        match message {
            Message::Ocr(m) => return Action::Task(self.ocr.update(m, backend).map(Message::Ocr)),
            Message::Tab(t) => {
                self.tab = if self.may_file { t } else { Tab::Unscanned };
            }
            Message::Loaded(Ok(l)) => {
                self.loaded = true;
                self.total = l.total;
                self.inbox_count = Some(l.total);
                let ids: HashSet<i64> = l.pages.iter().map(|p| p.id).collect();
                self.selected.retain(|id| ids.contains(id));
                self.thumbs.retain(|id, _| ids.contains(id));
                if self.preview.is_some_and(|p| !ids.contains(&p)) {
                    self.preview = None;
                    self.preview_image = None;
                }
                self.pages = l.pages;
                self.doc_types = l.types;
                if let Some(t) = &self.doc_type
                    && !self.doc_types.contains(t)
                {
                    self.doc_type = None;
                }
                return self.next_thumbs(backend);
            }
            Message::Loaded(Err(f)) => {
                self.loaded = true;
                self.error = Some(f.message);
            }
            Message::Thumbs(r) => {
                self.thumbs_busy = false;
                match r {
                    Ok(images) => {
                        for (id, img) in images {
                            match img {
                                Some(img) => {
                                    self.thumbs.insert(
                                        id,
                                        image::Handle::from_rgba(img.width, img.height, img.rgba),
                                    );
                                }
                                None => {
                                    self.thumbs_failed.insert(id);
                                }
                            }
                        }
                        return self.next_thumbs(backend);
                    }
                    Err(f) => tracing::warn!(error = %f.message, "thumbnails could not be made"),
                }
            }
            Message::Preview(id, r) => {
                if self.preview == Some(id) {
                    match r {
                        Ok(img) => {
                            self.preview_error = None;
                            self.preview_image =
                                Some((id, image::Handle::from_rgba(img.width, img.height, img.rgba)));
                        }
                        Err(f) => self.preview_error = Some(f.message),
                    }
                }
            }
            Message::Shift(down) => self.shift = down,
            Message::Click(id) => {
                match (self.shift, self.anchor) {
                    (true, Some(a)) => {
                        let pos = |x: i64| self.pages.iter().position(|p| p.id == x);
                        if let (Some(i), Some(j)) = (pos(a), pos(id)) {
                            let (from, to) = (i.min(j), i.max(j));
                            let range: Vec<i64> = self.pages[from..=to].iter().map(|p| p.id).collect();
                            self.selected.extend(range);
                        }
                    }
                    _ => {
                        if !self.selected.remove(&id) {
                            self.selected.insert(id);
                        }
                        self.anchor = Some(id);
                    }
                }
                self.notice = None;
                let prefill = self.prefill_from(id, backend);
                return Action::Task(Task::batch([self.show(id, backend), prefill]));
            }
            Message::SelectFile(file_id) => {
                let ids: Vec<i64> =
                    self.pages.iter().filter(|p| p.file_id == file_id).map(|p| p.id).collect();
                self.selected.extend(ids.iter().copied());
                self.notice = None;
                if let Some(&first) = ids.first() {
                    self.anchor = Some(first);
                    let prefill = self.prefill_from(first, backend);
                    return Action::Task(Task::batch([self.show(first, backend), prefill]));
                }
            }
            Message::SelectNone => {
                self.selected.clear();
                self.anchor = None;
            }
            Message::DossierQuery(q) => {
                self.dossier_query = q;
                self.chosen = None;
                return Action::Task(self.search(backend));
            }
            Message::DossierSubmit => {
                // Enter takes the only result, or the number as typed.
                if let [(no, name)] = self.hits.as_slice() {
                    self.chosen = Some((no.clone(), name.clone()));
                }
            }
            Message::Hits(seq, r) => {
                if seq == self.search_seq {
                    match r {
                        Ok(hits) => {
                            // A dossier number typed in full (or read off the cover) is chosen.
                            let typed = self.dossier_query.trim();
                            if self.chosen.is_none()
                                && let Some((no, name)) =
                                    hits.iter().find(|(no, _)| no.eq_ignore_ascii_case(typed))
                            {
                                self.chosen = Some((no.clone(), name.clone()));
                            }
                            self.hits = hits;
                        }
                        Err(f) => {
                            self.hits.clear();
                            tracing::debug!(error = %f.message, "dossier search failed");
                        }
                    }
                }
            }
            Message::ChooseDossier(no, name) => {
                self.dossier_query = no.clone();
                self.chosen = Some((no, name));
                self.error = None;
            }
            Message::DocType(t) => {
                self.doc_type = Some(t);
                self.error = None;
            }
            Message::File => return self.file(backend, tr),
            Message::Filed(r) => {
                self.filing = false;
                match r {
                    Ok(f) => {
                        let gone: HashSet<i64> = f.ids.iter().copied().collect();
                        self.pages.retain(|p| !gone.contains(&p.id));
                        self.selected.retain(|id| !gone.contains(id));
                        self.total = (self.total - gone.len() as i64).max(0);
                        self.inbox_count = Some(self.total);
                        if self.preview.is_some_and(|p| gone.contains(&p)) {
                            self.preview = None;
                            self.preview_image = None;
                        }
                        self.anchor = None;
                        self.error = None;
                        self.notice = Some(tr.ta(
                            "inbox-filed",
                            &[
                                ("count", &gone.len().to_string()),
                                ("dossier", &f.dossier),
                                ("type", &f.doc_type),
                            ],
                        ));
                        return Action::Task(Task::batch([
                            self.reload(backend),
                            self.refresh_counts(backend),
                        ]));
                    }
                    Err(f) => self.error = Some(f.message),
                }
            }
            Message::ImportPath(p) => self.import_path = p,
            Message::Choose => {
                return Action::Task(Task::perform(
                    async {
                        rfd::AsyncFileDialog::new()
                            .add_filter(
                                "Scans",
                                &["tif", "tiff", "pdf", "jpg", "jpeg", "png", "TIF", "PDF", "JPG"],
                            )
                            .pick_files()
                            .await
                            .map(|hs| hs.iter().map(|h| h.path().to_path_buf()).collect())
                    },
                    Message::Chosen,
                ));
            }
            Message::Chosen(Some(paths)) if !paths.is_empty() => return self.import(paths, backend),
            Message::Chosen(_) => {}
            Message::Import => {
                let paths: Vec<PathBuf> = self
                    .import_path
                    .split([';', '\n'])
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(PathBuf::from)
                    .collect();
                if paths.is_empty() {
                    self.error = Some(tr.t("inbox-import-nothing"));
                    return Action::None;
                }
                return self.import(paths, backend);
            }
            Message::ImportStep(step) => {
                if let Some(i) = self.importing.as_mut() {
                    match step {
                        ImportStep::Total(n) => i.total = n,
                        ImportStep::File(done, total, report) => {
                            i.done = done;
                            i.total = total;
                            i.current = Some(file_name(&report.path));
                        }
                    }
                }
            }
            Message::ImportDone(r) => {
                let importing = self.importing.take();
                match r {
                    Ok(reports) => {
                        let (cancelled, total) = match &importing {
                            Some(i) => (i.cancelling && reports.len() < i.total, i.total),
                            None => (false, reports.len()),
                        };
                        self.summary = Some(summarise(tr, &reports, cancelled, total));
                        self.error = None;
                    }
                    Err(f) => self.error = Some(f.message),
                }
                return Action::Task(Task::batch([self.reload(backend), self.refresh_counts(backend)]));
            }
            Message::Cancel => {
                if let Some(i) = self.importing.as_mut() {
                    i.cancel.store(true, Ordering::Relaxed);
                    i.cancelling = true;
                }
            }
            Message::CloseSummary => self.summary = None,
            Message::HotDir(d) => {
                self.hot.dir = d;
                self.hot_folder = None;
                self.hot_error = None;
                return Action::SaveHot(self.hot.clone());
            }
            Message::HotToggle(on) => {
                if on && self.hot.dir.trim().is_empty() {
                    self.hot_error = Some(tr.t("inbox-hot-need-dir"));
                    return Action::None;
                }
                self.hot.on = on;
                self.hot_folder = None;
                self.hot_error = None;
                return Action::SaveHot(self.hot.clone());
            }
            Message::HotTick => return self.hot_poll(backend),
            Message::HotPolled(r) => {
                self.hot_polling = false;
                let time = chrono::Local::now().format("%H:%M:%S").to_string();
                match r {
                    Ok(events) => {
                        self.hot_error = None;
                        let lines: Vec<(String, bool)> =
                            events.iter().filter_map(|e| hot::describe(tr, e, &time)).collect();
                        if lines.is_empty() {
                            return Action::None;
                        }
                        for l in lines {
                            self.events.insert(0, l);
                        }
                        self.events.truncate(EVENTS_KEPT);
                        return Action::Task(Task::batch([
                            self.reload(backend),
                            self.refresh_counts(backend),
                        ]));
                    }
                    Err(f) => {
                        self.hot_error =
                            Some(tr.ta("inbox-hot-error", &[("time", &time), ("reason", &f.message)]));
                    }
                }
            }
            Message::Counts(Ok((inbox, unscanned))) => {
                if inbox.is_some() {
                    self.inbox_count = inbox;
                }
                self.unscanned = Some(unscanned);
            }
            Message::Counts(Err(f)) => tracing::debug!(error = %f.message, "scan counts failed"),
            Message::InboxCount(Ok(n)) => self.inbox_count = Some(n),
            Message::InboxCount(Err(f)) => tracing::debug!(error = %f.message, "inbox count failed"),
            Message::OpenDossier(no) => return Action::Open(no),
        }
        Action::None
    }

    /// Shows a page large.
    fn show(&mut self, id: i64, backend: &Backend) -> Task<Message> {
        if self.preview == Some(id) && self.preview_image.as_ref().is_some_and(|(p, _)| *p == id) {
            return Task::none();
        }
        self.preview = Some(id);
        self.preview_error = None;
        backend.run(move |s| s.page_image(id, PREVIEW_SIDE), move |r| Message::Preview(id, r))
    }

    /// The next few thumbnails not made yet, on the worker, one batch at a time.
    fn next_thumbs(&mut self, backend: &Backend) -> Action {
        if self.thumbs_busy {
            return Action::None;
        }
        let ids: Vec<i64> = self
            .pages
            .iter()
            .map(|p| p.id)
            .filter(|id| !self.thumbs.contains_key(id) && !self.thumbs_failed.contains(id))
            .take(THUMB_BATCH)
            .collect();
        if ids.is_empty() {
            return Action::None;
        }
        self.thumbs_busy = true;
        Action::Task(backend.run(
            move |s| Ok(ids.into_iter().map(|id| (id, s.page_image(id, THUMB_SIDE).ok())).collect()),
            Message::Thumbs,
        ))
    }

    /// Fills in the dossier and the type from the cover sheet a page came after, when it named
    /// them and the clerk has not chosen yet.
    fn prefill_from(&mut self, id: i64, backend: &Backend) -> Task<Message> {
        let Some(page) = self.pages.iter().find(|p| p.id == id) else { return Task::none() };
        let Some(code) = page.inbox_code.clone() else { return Task::none() };
        let (dossier, ty) = match code.split_once('|') {
            Some((d, t)) => (d.to_string(), Some(t.to_string())),
            None => (code, None),
        };
        if self.doc_type.is_none()
            && let Some(t) = ty
            && let Some(c) = self.doc_types.iter().find(|c| c.code.eq_ignore_ascii_case(&t))
        {
            self.doc_type = Some(c.clone());
        }
        let names_ours = matches!(
            page.inbox_reason,
            Some(InboxReason::NoType | InboxReason::UnknownType | InboxReason::Unfiled)
        );
        if names_ours && self.chosen.is_none() && self.dossier_query.trim().is_empty() {
            self.dossier_query = dossier;
            return self.search(backend);
        }
        Task::none()
    }

    /// Searches dossiers for the picker (the app's search; the latest request wins).
    fn search(&mut self, backend: &Backend) -> Task<Message> {
        self.search_seq += 1;
        let seq = self.search_seq;
        let q = self.dossier_query.trim().to_string();
        if q.is_empty() {
            self.hits.clear();
            return Task::none();
        }
        backend.run(
            move |s| {
                let hits = s.search(&SearchQuery { text: q, limit: 8, ..Default::default() })?;
                Ok(hits.into_iter().map(|h| (h.dossier, h.name)).collect())
            },
            move |r| Message::Hits(seq, r),
        )
    }

    fn file(&mut self, backend: &Backend, tr: &Tr) -> Action {
        if self.filing {
            return Action::None;
        }
        let ids: Vec<i64> = self.pages.iter().map(|p| p.id).filter(|id| self.selected.contains(id)).collect();
        if ids.is_empty() {
            self.error = Some(tr.t("inbox-need-pages"));
            return Action::None;
        }
        let dossier = match &self.chosen {
            Some((no, _)) => no.clone(),
            None => self.dossier_query.trim().to_string(),
        };
        if dossier.is_empty() {
            self.error = Some(tr.t("inbox-need-dossier"));
            return Action::None;
        }
        let Some(ty) = self.doc_type.clone() else {
            self.error = Some(tr.t("inbox-need-type"));
            return Action::None;
        };
        self.filing = true;
        self.error = None;
        let sels: Vec<PageSel> = ids.iter().map(|&id| PageSel::Page(id)).collect();
        Action::Task(backend.run(
            move |s| {
                s.file_pages(
                    &sels,
                    &dossier,
                    FileInto::NewDocument { doc_type: ty.code.clone(), title: String::new() },
                )?;
                Ok(Filed { dossier, doc_type: ty.name, ids })
            },
            Message::Filed,
        ))
    }

    /// Imports files (folders give their files) on the worker, with progress and 取消.
    fn import(&mut self, paths: Vec<PathBuf>, backend: &Backend) -> Action {
        if self.importing.is_some() {
            return Action::None;
        }
        let cancel = Arc::new(AtomicBool::new(false));
        self.importing =
            Some(Importing { done: 0, total: 0, current: None, cancelling: false, cancel: cancel.clone() });
        self.summary = None;
        self.error = None;
        Action::Task(backend.run_shared(
            move |h, report| {
                let files = expand(&paths)?;
                let total = files.len();
                report(ImportStep::Total(total));
                let (settings, limits) = h.with(|s| {
                    s.require_import()?;
                    Ok((s.scan_settings()?, s.scan_limits()))
                })?;
                let mut out = Vec::with_capacity(total);
                for (i, f) in files.iter().enumerate() {
                    // Each file is read and analysed without the session; only storing it
                    // takes it, for one short transaction.
                    let r = match crate::core::scans::analyse_path(f, &limits, &settings) {
                        Ok(a) => h.with(|s| s.store_analysed(a, ImportOrigin::Import, &settings))?,
                        Err(e) => crate::core::scans::unreadable_report(f, &e),
                    };
                    report(ImportStep::File(i + 1, total, Box::new(r.clone())));
                    out.push(r);
                    if cancel.load(Ordering::Relaxed) {
                        break;
                    }
                }
                Ok(out)
            },
            Message::ImportStep,
            Message::ImportDone,
        ))
    }

    /// One look into the hot folder, if it is on and the last look is over.
    fn hot_poll(&mut self, backend: &Backend) -> Action {
        if !self.hot.on || self.hot_polling || self.importing.is_some() || self.hot.dir.trim().is_empty() {
            return Action::None;
        }
        // The watcher is made on the worker at the first look (it locks the folder and checks
        // it is not inside the library) and kept between looks: it remembers files still
        // being written. A folder it refuses is said, and tried again at the next look.
        let folder = self.hot_folder.get_or_insert_with(|| Arc::new(Mutex::new(None))).clone();
        let dir = PathBuf::from(self.hot.dir.trim());
        let language = backend.language();
        self.hot_polling = true;
        Action::Task(backend.run(
            move |s| {
                let mut folder = folder.lock().map_err(|_| Error::failed("app-poisoned"))?;
                if folder.is_none() {
                    let library = s.library().root().to_path_buf();
                    *folder = Some(hot::HotFolder::new(&dir, hot::options(language, &library))?);
                }
                match folder.as_mut() {
                    Some(f) => f.poll(s),
                    None => Ok(Vec::new()),
                }
            },
            Message::HotPolled,
        ))
    }

    /// The Shift key (for ranges) and, while the hot folder is on, its tick.
    pub fn subscription(&self) -> Subscription<Message> {
        let shift = iced::event::listen_with(|event, _status, _window| match event {
            iced::Event::Keyboard(iced::keyboard::Event::ModifiersChanged(m)) => {
                Some(Message::Shift(m.shift()))
            }
            _ => None,
        });
        let ocr = self.ocr.subscription().map(Message::Ocr);
        if self.hot.on && self.may_file {
            Subscription::batch([shift, Subscription::run(hot_ticks), ocr])
        } else {
            Subscription::batch([shift, ocr])
        }
    }

    pub fn view<'a>(&'a self, tr: &'a Tr) -> Element<'a, Message> {
        let tab = |label: String, t: Tab, id: &'static str| {
            container(button(text(label)).on_press(Message::Tab(t)).style(if self.tab == t {
                button::primary
            } else {
                button::secondary
            }))
            .id(id)
        };
        let mut tabs = row![].spacing(8).align_y(iced::Alignment::Center);
        tabs = tabs.push(text(tr.t("inbox-title")).size(24));
        if self.may_file {
            tabs = tabs.push(tab(
                format!("{} {}", tr.t("inbox-tab-inbox"), self.inbox_count.unwrap_or(self.total)),
                Tab::Inbox,
                TAB_INBOX_ID,
            ));
        }
        tabs = tabs.push(tab(
            format!("{} {}", tr.t("inbox-tab-unscanned"), self.unscanned.as_ref().map_or(0, |u| u.total)),
            Tab::Unscanned,
            TAB_UNSCANNED_ID,
        ));
        let body = match self.tab {
            Tab::Inbox => self.inbox_view(tr),
            Tab::Unscanned => self.unscanned_view(tr),
        };
        let mut page = column![tabs].spacing(12).padding(20);
        if self.may_file
            && let Some(line) = self.ocr.line(tr)
        {
            page = page.push(text(line).size(13).style(if self.ocr.engine.is_some() {
                theme::muted
            } else {
                theme::warning
            }));
        }
        page.push(body).into()
    }

    fn inbox_view<'a>(&'a self, tr: &'a Tr) -> Element<'a, Message> {
        let mut top = column![self.import_bar(tr), self.hot_bar(tr)].spacing(8);
        if let Some(e) = &self.error {
            top = top.push(container(text(e.clone())).padding(8).width(Length::Fill).style(theme::error_box));
        }
        if let Some(n) = &self.notice {
            top = top.push(text(n.clone()).style(theme::success));
        }
        let list = self.pages_view(tr);
        let side = self.side_view(tr);
        column![top, row![list, side].spacing(16).height(Length::Fill)].spacing(10).into()
    }

    fn import_bar<'a>(&'a self, tr: &'a Tr) -> Element<'a, Message> {
        let busy = self.importing.is_some();
        let bar = row![
            container(
                button(text(tr.t("inbox-import-choose"))).on_press_maybe((!busy).then_some(Message::Choose))
            )
            .id(IMPORT_CHOOSE_ID),
            text_input(&tr.t("inbox-import-path-hint"), &self.import_path)
                .id(IMPORT_PATH_ID)
                .on_input(Message::ImportPath)
                .on_submit(Message::Import)
                .width(Length::Fill),
            container(
                button(text(tr.t("inbox-import-start")))
                    .on_press_maybe((!busy).then_some(Message::Import))
                    .style(button::secondary)
            )
            .id(IMPORT_ID),
        ]
        .spacing(8)
        .align_y(iced::Alignment::Center);
        let mut col = column![bar].spacing(6);
        if let Some(i) = &self.importing {
            let mut line = row![
                text(tr.ta(
                    "inbox-importing",
                    &[("done", &i.done.to_string()), ("total", &i.total.to_string())]
                )),
                iced::widget::progress_bar(0.0..=i.total.max(1) as f32, i.done as f32).length(200).girth(10),
            ]
            .spacing(10)
            .align_y(iced::Alignment::Center);
            if let Some(c) = &i.current {
                line = line.push(text(tr.ta("inbox-importing-current", &[("name", c)])).style(theme::muted));
            }
            line = line.push(iced::widget::space::horizontal());
            line = line.push(if i.cancelling {
                Element::from(text(tr.t("inbox-cancelling")).style(theme::warning))
            } else {
                container(button(text(tr.t("inbox-cancel"))).on_press(Message::Cancel).style(button::danger))
                    .id(CANCEL_ID)
                    .into()
            });
            col = col.push(container(line).padding(8).style(theme::card));
        }
        if let Some(s) = &self.summary {
            let mut c = column![
                row![
                    text(s.line.clone()).width(Length::Fill),
                    button(text(tr.t("inbox-summary-close")).size(13))
                        .on_press(Message::CloseSummary)
                        .style(button::secondary)
                ]
                .spacing(8)
            ]
            .spacing(4);
            for r in &s.refusals {
                c = c.push(text(r.clone()).size(13).style(theme::error));
            }
            col = col.push(container(c).padding(8).width(Length::Fill).style(if s.refusals.is_empty() {
                theme::card
            } else {
                theme::warning_box
            }));
        }
        col.into()
    }

    fn hot_bar<'a>(&'a self, tr: &'a Tr) -> Element<'a, Message> {
        let toggle = container(
            button(text(tr.t(if self.hot.on { "inbox-hot-stop" } else { "inbox-hot-start" })))
                .on_press(Message::HotToggle(!self.hot.on))
                .style(if self.hot.on { button::secondary } else { button::primary }),
        )
        .id(HOT_TOGGLE_ID);
        let state = if self.hot.on {
            tr.ta("inbox-hot-running", &[("dir", self.hot.dir.trim())])
        } else {
            tr.t("inbox-hot-stopped")
        };
        let mut col = column![
            row![
                text(tr.t("inbox-hot")),
                text_input(&tr.t("inbox-hot-hint"), &self.hot.dir)
                    .id(HOT_DIR_ID)
                    .on_input(Message::HotDir)
                    .width(Length::Fill),
                toggle,
            ]
            .spacing(8)
            .align_y(iced::Alignment::Center),
            text(state).size(12).style(theme::muted),
        ]
        .spacing(4);
        if let Some(e) = &self.hot_error {
            col = col.push(text(e.clone()).size(12).style(theme::error));
        }
        for (line, ok) in self.events.iter().take(5) {
            col =
                col.push(text(line.clone()).size(12).style(if *ok { theme::success } else { theme::error }));
        }
        col.into()
    }

    /// The thumbnails, grouped by file and reason.
    fn pages_view<'a>(&'a self, tr: &'a Tr) -> Element<'a, Message> {
        if !self.loaded {
            return container(text(tr.t("inbox-loading")).style(theme::muted)).width(Length::Fill).into();
        }
        if self.pages.is_empty() {
            return container(text(tr.t("inbox-empty")).style(theme::muted))
                .padding(12)
                .width(Length::Fill)
                .style(theme::card)
                .into();
        }
        let mut col =
            column![text(tr.ta("inbox-total", &[("count", &self.total.to_string())])).size(14)].spacing(10);
        if (self.pages.len() as i64) < self.total {
            col = col.push(
                text(tr.ta(
                    "inbox-showing",
                    &[("shown", &self.pages.len().to_string()), ("total", &self.total.to_string())],
                ))
                .size(12)
                .style(theme::muted),
            );
        }
        // Runs of pages from one file with one reason.
        let mut start = 0;
        while start < self.pages.len() {
            let first = &self.pages[start];
            let end = self.pages[start..]
                .iter()
                .position(|p| {
                    p.file_id != first.file_id
                        || p.inbox_reason != first.inbox_reason
                        || p.inbox_code != first.inbox_code
                })
                .map_or(self.pages.len(), |n| start + n);
            col = col.push(self.group_view(tr, &self.pages[start..end]));
            start = end;
        }
        scrollable(col.padding(iced::Padding { right: 14.0, ..iced::Padding::ZERO }))
            .width(Length::FillPortion(3))
            .height(Length::Fill)
            .into()
    }

    fn group_view<'a>(&'a self, tr: &'a Tr, pages: &'a [Page]) -> Element<'a, Message> {
        let first = &pages[0];
        let reason = first.inbox_reason.map(|r| reason_text(tr, r, first.inbox_code.as_deref()));
        let heading = row![
            text(tr.ta(
                "inbox-group",
                &[
                    ("name", &first.file_name),
                    ("time", &local_time(&first.created_at)),
                    ("pages", &pages.len().to_string())
                ],
            ))
            .style(theme::heading)
            .width(Length::Fill),
            container(
                button(text(tr.t("inbox-select-file")).size(12))
                    .on_press(Message::SelectFile(first.file_id))
                    .style(button::secondary)
            )
            .id(file_select_id(first.file_id)),
        ]
        .spacing(8)
        .align_y(iced::Alignment::Center);
        let mut tiles = row![].spacing(8);
        for p in pages {
            tiles = tiles.push(self.tile(tr, p));
        }
        let mut col = column![heading].spacing(6);
        if let Some(r) = reason {
            col = col.push(text(r).size(12).style(theme::warning));
        }
        col = col.push(tiles.wrap().vertical_spacing(8));
        container(col).padding(10).width(Length::Fill).style(theme::card).into()
    }

    fn tile<'a>(&'a self, tr: &'a Tr, p: &'a Page) -> Element<'a, Message> {
        const SIDE: f32 = 120.0;
        let picture: Element<'a, Message> = match self.thumbs.get(&p.id) {
            Some(h) => image(h.clone()).width(SIDE).height(SIDE).into(),
            None => container(
                text(if self.thumbs_failed.contains(&p.id) { "×" } else { "…" }).style(theme::muted),
            )
            .center(SIDE)
            .into(),
        };
        let selected = self.selected.contains(&p.id);
        container(
            button(
                column![picture, text(tr.ta("inbox-page", &[("page", &p.page_no.to_string())])).size(12)]
                    .spacing(4)
                    .align_x(iced::Alignment::Center),
            )
            .padding(4)
            .on_press(Message::Click(p.id))
            .style(theme::row_button(selected)),
        )
        .id(page_id(p.id))
        .into()
    }

    /// The preview and the filing form.
    fn side_view<'a>(&'a self, tr: &'a Tr) -> Element<'a, Message> {
        let preview: Element<'a, Message> = match (&self.preview_image, self.preview) {
            (Some((id, h)), Some(p)) if *id == p => {
                image(h.clone()).width(Length::Fill).height(Length::Fill).into()
            }
            (_, Some(_)) => match &self.preview_error {
                Some(e) => text(e.clone()).style(theme::error).into(),
                None => text(tr.t("inbox-loading")).style(theme::muted).into(),
            },
            _ => text(tr.t("inbox-preview-none")).style(theme::muted).into(),
        };
        let mut preview_col = column![
            container(preview).center_x(Length::Fill).height(Length::Fill).padding(6).style(theme::card)
        ]
        .spacing(4)
        .height(Length::FillPortion(3));
        if let Some(p) = self.preview.and_then(|id| self.pages.iter().find(|p| p.id == id)) {
            preview_col = preview_col.push(
                text(format!(
                    "{} · {}",
                    p.file_name,
                    tr.ta("inbox-page", &[("page", &p.page_no.to_string())])
                ))
                .size(12)
                .style(theme::muted),
            );
        }

        let mut hits = column![].spacing(2);
        for (no, name) in &self.hits {
            let chosen = self.chosen.as_ref().is_some_and(|(c, _)| c == no);
            hits = hits.push(
                button(text(format!("{no}  {name}")).size(13))
                    .width(Length::Fill)
                    .on_press(Message::ChooseDossier(no.clone(), name.clone()))
                    .style(theme::row_button(chosen)),
            );
        }
        let chosen = match &self.chosen {
            Some((no, name)) => text(tr.ta("inbox-dossier-chosen", &[("dossier", no), ("name", name)]))
                .size(13)
                .style(theme::success),
            None => text(tr.t("inbox-select-hint")).size(12).style(theme::muted),
        };
        let n = self.selected.len();
        let form = column![
            row![
                text(tr.ta("inbox-selected", &[("count", &n.to_string())])).width(Length::Fill),
                button(text(tr.t("inbox-select-none")).size(12))
                    .on_press_maybe((n > 0).then_some(Message::SelectNone))
                    .style(button::secondary),
            ]
            .align_y(iced::Alignment::Center),
            text(tr.t("inbox-dossier")).size(13),
            text_input(&tr.t("inbox-dossier-hint"), &self.dossier_query)
                .id(DOSSIER_ID)
                .on_input(Message::DossierQuery)
                .on_submit(Message::DossierSubmit),
            hits,
            chosen,
            text(tr.t("inbox-type")).size(13),
            pick_list(self.doc_types.as_slice(), self.doc_type.clone(), Message::DocType)
                .placeholder(tr.t("inbox-type-hint"))
                .width(Length::Fill),
            container(
                button(text(tr.t(if self.filing { "inbox-filing" } else { "inbox-file-button" })))
                    .on_press_maybe((n > 0 && !self.filing).then_some(Message::File))
            )
            .id(FILE_ID),
        ]
        .spacing(6);
        column![preview_col, container(form).padding(10).style(theme::card)]
            .spacing(10)
            .width(Length::FillPortion(2))
            .height(Length::Fill)
            .into()
    }

    fn unscanned_view<'a>(&'a self, tr: &'a Tr) -> Element<'a, Message> {
        let Some(u) = &self.unscanned else {
            return text(tr.t("inbox-loading")).style(theme::muted).into();
        };
        let mut col = column![
            text(tr.ta("unscanned-hint", &[("hours", &u.deadline_hours.to_string())])).style(theme::muted)
        ]
        .spacing(6);
        if u.dossiers.is_empty() {
            col = col.push(container(text(tr.t("unscanned-empty"))).padding(12).style(theme::card));
        }
        for d in &u.dossiers {
            let (state, style): (String, fn(&iced::Theme) -> iced::widget::text::Style) = match d.state {
                ScanDeadline::Overdue => (tr.t("unscanned-overdue"), theme::error),
                ScanDeadline::Warning => (tr.t("unscanned-warning"), theme::warning),
                ScanDeadline::Normal => (tr.t("unscanned-normal"), theme::success),
            };
            col = col.push(
                container(
                    button(
                        row![
                            text(state).style(style).width(60),
                            text(tr.ta(
                                "unscanned-row",
                                &[
                                    ("dossier", &d.dossier),
                                    ("name", &d.name),
                                    ("documents", &d.documents.to_string()),
                                    ("registered", &local_time(&d.registered_at)),
                                    ("due", &local_time(&d.due_at)),
                                ],
                            )),
                        ]
                        .spacing(8),
                    )
                    .width(Length::Fill)
                    .on_press(Message::OpenDossier(d.dossier.clone()))
                    .style(theme::row_button(false)),
                )
                .id(unscanned_id(&d.dossier)),
            );
        }
        let more = u.total - u.dossiers.len() as i64;
        if more > 0 {
            col =
                col.push(text(tr.ta("unscanned-more", &[("count", &more.to_string())])).style(theme::muted));
        }
        scrollable(col).height(Length::Fill).into()
    }
}

/// Why pages wait, in words (`InboxReason::key` with the code read).
pub fn reason_text(tr: &Tr, r: InboxReason, code: Option<&str>) -> String {
    tr.ta(&r.key(), &[("code", code.unwrap_or("—"))])
}

/// Why a file was not imported, in the user's language.
pub fn refusal_text(tr: &Tr, r: &FileReport) -> String {
    crate::i18n::scan_refusal(tr, r, &file_name(&r.path))
}

/// The summary of an import: pages filed, to the inbox, blank; files not imported and why.
pub fn summarise(tr: &Tr, reports: &[FileReport], cancelled: bool, total: usize) -> Summary {
    let sum = |f: fn(&FileReport) -> usize| reports.iter().map(f).sum::<usize>().to_string();
    let not_imported: Vec<&FileReport> = reports
        .iter()
        .filter(|r| {
            r.outcome == FileOutcome::Refused || (r.outcome == FileOutcome::Duplicate && !r.seen_before)
        })
        .collect();
    let (files, total) = (reports.len().to_string(), total.to_string());
    let (filed, inbox, blank) = (sum(FileReport::filed), sum(FileReport::inbox), sum(FileReport::blank));
    let refused = not_imported.len().to_string();
    let line = if cancelled {
        tr.ta(
            "inbox-summary-cancelled",
            &[
                ("done", &files),
                ("total", &total),
                ("filed", &filed),
                ("inbox", &inbox),
                ("blank", &blank),
                ("refused", &refused),
            ],
        )
    } else {
        tr.ta(
            "inbox-summary",
            &[
                ("files", &files),
                ("filed", &filed),
                ("inbox", &inbox),
                ("blank", &blank),
                ("refused", &refused),
            ],
        )
    };
    Summary { line, refusals: not_imported.into_iter().map(|r| refusal_text(tr, r)).collect() }
}

/// A path's last part, for a clerk's eyes.
fn file_name(path: &str) -> String {
    std::path::Path::new(path)
        .file_name()
        .map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned())
}

/// The files to import: files as given, a folder's files (not hidden, not in sub-folders),
/// in name order.
fn expand(paths: &[PathBuf]) -> crate::core::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p)
            .map_err(|_| Error::missing("inbox-import-missing").arg("path", p.display()))?;
        if !meta.is_dir() {
            out.push(p.clone());
            continue;
        }
        let mut files: Vec<PathBuf> = std::fs::read_dir(p)
            .map_err(|e| Error::io(format!("cannot read {}", p.display()), e))?
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
            .map(|e| e.path())
            .collect();
        if files.is_empty() {
            return Err(Error::missing("inbox-import-empty-folder").arg("path", p.display()));
        }
        files.sort();
        out.extend(files);
    }
    Ok(out)
}

/// A tick every [`hot::HOT_EVERY`] from a small thread of its own, while the hot folder is on.
fn hot_ticks() -> iced::futures::channel::mpsc::UnboundedReceiver<Message> {
    let (tx, rx) = iced::futures::channel::mpsc::unbounded();
    let spawned = std::thread::Builder::new().name("dangan-hot-folder".into()).spawn(move || {
        loop {
            std::thread::sleep(hot::HOT_EVERY);
            if tx.unbounded_send(Message::HotTick).is_err() {
                return;
            }
        }
    });
    if let Err(e) = spawned {
        tracing::warn!(error = %e, "cannot start the hot folder's timer");
    }
    rx
}
