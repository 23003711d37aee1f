//! A dossier's scanned pages: each document's thumbnails (loaded a few at a time on the
//! backend's worker, kept by page and rotation), the page viewer (zoom, fit, rotate, previous
//! and next, open the original, take a page out to the inbox), and adding files to the dossier
//! as a new document (a file dialog, a typed path, or files dropped on the window).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use iced::keyboard::{self, key::Named};
use iced::widget::{
    button, column, container, image, pick_list, responsive, row, scrollable, text, text_input,
};
use iced::{ContentFit, Element, Event, Length, Subscription, Task, event, window};

use super::backend::{Backend, Failure, blocking};
use super::form::Choice;
use super::i18n::Tr;
use super::theme;
use crate::core::scans::{DossierPages, PageImage, THUMB_SIDE};
use crate::model::scans::{FileReport, Page, StoredFile};
use crate::model::{ChecklistItem, DocType, Document};

/// The viewer's image: its longer side at most this many pixels.
pub const VIEW_SIDE: u32 = 2000;
/// Thumbnails asked of the worker at the same time.
const THUMBS_AT_ONCE: usize = 2;
/// A thumbnail's longer side on screen.
const THUMB_SHOWN: f32 = 120.0;
const ZOOM_MIN: f32 = 0.25;
const ZOOM_MAX: f32 = 8.0;
const ZOOM_STEP: f32 = 1.25;

pub const ADD_ID: &str = "pages-add";
pub const ADD_PATH_ID: &str = "pages-add-path";
pub const ADD_CHOOSE_ID: &str = "pages-add-choose";
pub const ADD_CONFIRM_ID: &str = "pages-add-confirm";
pub const VIEWER_BACK_ID: &str = "viewer-back";
pub const VIEWER_PREV_ID: &str = "viewer-prev";
pub const VIEWER_NEXT_ID: &str = "viewer-next";
pub const VIEWER_ZOOM_IN_ID: &str = "viewer-zoom-in";
pub const VIEWER_ZOOM_OUT_ID: &str = "viewer-zoom-out";
pub const VIEWER_FIT_ID: &str = "viewer-fit";
pub const VIEWER_ROTATE_LEFT_ID: &str = "viewer-rotate-left";
pub const VIEWER_ROTATE_RIGHT_ID: &str = "viewer-rotate-right";
pub const VIEWER_ORIGINAL_ID: &str = "viewer-original";
pub const VIEWER_UNFILE_ID: &str = "viewer-unfile";

/// The id of the thumbnail of the page numbered `id` (a click opens the viewer).
pub fn thumb_id(id: i64) -> String {
    format!("thumb-{id}")
}

/// A page's image as cached: the page and its rotation (a turned page is a new image).
pub type Key = (i64, i64);

/// Pixels ready for `iced::widget::image`.
#[derive(Debug, Clone)]
pub struct Picture {
    pub width: u32,
    pub height: u32,
    pub handle: image::Handle,
}

impl Picture {
    fn from_image(p: PageImage) -> Picture {
        Picture {
            width: p.width,
            height: p.height,
            handle: image::Handle::from_rgba(p.width, p.height, p.rgba),
        }
    }
}

/// What "open the original" did.
#[derive(Debug, Clone, PartialEq)]
pub enum Opened {
    /// A copy handed to the system's viewer.
    Viewer(PathBuf),
    /// A copy made, but no viewer could be started: its path is shown.
    NoViewer(PathBuf),
    /// The copy could not be made (why).
    Failed(String),
}

/// Keys the viewer answers (when no field has them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewerKey {
    Prev,
    Next,
    ZoomIn,
    ZoomOut,
}

#[derive(Debug, Clone)]
pub enum Message {
    Loaded(Result<Box<DossierPages>, Failure>),
    Thumb(Key, Result<Picture, Failure>),
    /// Open the viewer on a page.
    Open(i64),
    Big(Key, Result<Picture, Failure>),
    Close,
    Prev,
    Next,
    ZoomIn,
    ZoomOut,
    Fit,
    /// Turn the shown page by these degrees clockwise (90 or -90).
    Rotate(i64),
    Rotated(Result<Box<Page>, Failure>),
    /// Take the shown page out of its document, back to the inbox.
    Unfile,
    Unfiled(i64, Result<Box<Page>, Failure>),
    Original,
    OriginalFound(Result<Box<(PathBuf, StoredFile)>, Failure>),
    OriginalOpened(Opened),
    /// 添加扫描件: the panel opens.
    StartAdd,
    AddType(Choice),
    /// Open the file dialog.
    Choose,
    /// The dialog's answer (`None`: nothing chosen, or no dialog could appear).
    Chosen(Option<Vec<PathBuf>>),
    Typed(String),
    RemoveFile(usize),
    Add,
    CancelAdd,
    Added(Result<Box<(Document, Vec<FileReport>)>, Failure>),
    /// A file dropped on the window.
    Dropped(PathBuf),
    Hovered,
    HoverLeft,
    Key(ViewerKey),
}

/// What the dossier view does after an update.
#[derive(Debug)]
pub enum Out {
    None,
    Task(Task<Message>),
    /// The dossier's pages changed (counts, checklist, history): reload it, and run the task.
    Changed(Task<Message>),
}

/// Adding files as a new document of the dossier.
#[derive(Debug, Clone, Default)]
pub struct Adding {
    /// The document type's code.
    pub doc_type: Option<String>,
    /// Files chosen in the dialog or dropped on the window.
    pub files: Vec<PathBuf>,
    /// Paths typed by hand (several separated by semicolons).
    pub typed: String,
    pub busy: bool,
    pub error: Option<String>,
    /// The dialog gave nothing: the typed path is offered.
    pub hint: Option<String>,
}

impl Adding {
    fn new(doc_type: Option<String>) -> Adding {
        Adding { doc_type, ..Adding::default() }
    }

    /// Every file to add: the chosen and dropped ones, then the typed ones.
    pub fn paths(&self) -> Vec<PathBuf> {
        let mut out = self.files.clone();
        for p in split_typed(&self.typed) {
            if !out.contains(&p) {
                out.push(p);
            }
        }
        out
    }
}

/// Typed paths: separated by semicolons or new lines, quotes (a pasted "path") removed.
pub fn split_typed(typed: &str) -> Vec<PathBuf> {
    typed
        .split([';', '\n'])
        .map(|s| s.trim().trim_matches(['"', '\'']).trim())
        .filter(|s| !s.is_empty())
        .map(PathBuf::from)
        .collect()
}

/// The page viewer.
#[derive(Debug, Clone)]
pub struct Viewer {
    /// The page shown.
    pub page: i64,
    /// Its image, once loaded (with the key it was loaded for).
    pub picture: Option<(Key, Picture)>,
    /// 1 = fit to the window; more is larger.
    pub zoom: f32,
    /// A rotation or an unfiling on its way.
    pub busy: bool,
    pub note: Option<String>,
    pub error: Option<String>,
}

impl Viewer {
    fn new(page: i64) -> Viewer {
        Viewer { page, picture: None, zoom: 1.0, busy: false, note: None, error: None }
    }
}

/// The dossier's pages as the dossier view holds them.
#[derive(Debug, Default)]
pub struct Pages {
    /// Filed pages in document order; `None` until loaded.
    pub list: Option<Vec<Page>>,
    /// Thumbnails by page and rotation (`None`: it could not be rendered).
    pub thumbs: HashMap<Key, Option<Picture>>,
    loading: HashSet<Key>,
    pub viewer: Option<Viewer>,
    pub adding: Option<Adding>,
    /// What the last action did, or why loading failed.
    pub note: Option<String>,
    pub error: Option<String>,
    /// Files are being dragged over the window.
    pub hovering: bool,
    /// Large images of the viewer's page and its neighbours (so the next page shows at once).
    large: HashMap<Key, Picture>,
    large_loading: HashSet<Key>,
    /// How "open the original" opens a copy: the system's way unless set.
    pub opener: Opener,
}

/// Where copies of originals go and what opens them; by default the user's cache folder and
/// the system's viewer (xdg-open, open, start).
#[derive(Debug, Clone, Default)]
pub struct Opener {
    pub dir: Option<PathBuf>,
    /// A program given the copy's path instead of the system's opener.
    pub program: Option<PathBuf>,
}

/// Loads the dossier's pages.
pub fn load(backend: &Backend, no: String) -> Task<Message> {
    backend.run(move |s| s.dossier_pages(&no).map(Box::new), Message::Loaded)
}

/// Files dropped on the window and the viewer's keys (while a dossier is open).
pub fn events() -> Subscription<Message> {
    event::listen_with(|e, status, _window| match e {
        Event::Window(window::Event::FileDropped(p)) => Some(Message::Dropped(p)),
        Event::Window(window::Event::FileHovered(_)) => Some(Message::Hovered),
        Event::Window(window::Event::FilesHoveredLeft) => Some(Message::HoverLeft),
        Event::Keyboard(keyboard::Event::KeyPressed { key, modifiers, .. })
            if status == event::Status::Ignored
                && !modifiers.control()
                && !modifiers.alt()
                && !modifiers.logo() =>
        {
            match key.as_ref() {
                keyboard::Key::Named(Named::ArrowLeft | Named::PageUp) => Some(Message::Key(ViewerKey::Prev)),
                keyboard::Key::Named(Named::ArrowRight | Named::PageDown) => {
                    Some(Message::Key(ViewerKey::Next))
                }
                keyboard::Key::Character("+" | "=") => Some(Message::Key(ViewerKey::ZoomIn)),
                keyboard::Key::Character("-" | "_") => Some(Message::Key(ViewerKey::ZoomOut)),
                _ => None,
            }
        }
        _ => None,
    })
}

/// A checklist item's state: 已扫描 (it has scanned pages), 未扫描 (registered, no image yet),
/// 缺失 (not registered).
pub fn checklist_state(item: &ChecklistItem, tr: &Tr) -> String {
    tr.t(if item.scanned > 0 {
        "pages-checklist-scanned"
    } else if item.count > 0 {
        "pages-checklist-unscanned"
    } else {
        "pages-checklist-missing"
    })
}

fn key_of(p: &Page) -> Key {
    (p.id, p.rotation)
}

/// A page's size on screen as a thumbnail (turned by its rotation).
fn thumb_size(p: &Page) -> (f32, f32) {
    let (w, h) = if p.rotation % 180 == 0 { (p.width, p.height) } else { (p.height, p.width) };
    if w <= 0 || h <= 0 {
        return (THUMB_SHOWN * 0.7, THUMB_SHOWN);
    }
    let s = THUMB_SHOWN / w.max(h) as f32;
    (w as f32 * s, h as f32 * s)
}

impl Pages {
    fn page(&self, id: i64) -> Option<&Page> {
        self.list.as_ref()?.iter().find(|p| p.id == id)
    }

    fn index(&self, id: i64) -> Option<usize> {
        self.list.as_ref()?.iter().position(|p| p.id == id)
    }

    /// Pages of one document, in order.
    pub fn of_document(&self, document: i64) -> impl Iterator<Item = &Page> {
        self.list.iter().flatten().filter(move |p| p.document_id == Some(document))
    }

    /// Asks for the next thumbnails not yet loaded, a few at a time, in page order.
    fn pump(&mut self, backend: &Backend) -> Task<Message> {
        let Some(list) = &self.list else { return Task::none() };
        let mut tasks = Vec::new();
        for p in list {
            if self.loading.len() >= THUMBS_AT_ONCE {
                break;
            }
            let key = key_of(p);
            if self.thumbs.contains_key(&key) || self.loading.contains(&key) {
                continue;
            }
            self.loading.insert(key);
            let id = p.id;
            tasks.push(backend.run(
                move |s| s.page_image(id, THUMB_SIDE).map(Picture::from_image),
                move |r| Message::Thumb(key, r),
            ));
        }
        Task::batch(tasks)
    }

    /// Loads the viewer's page large.
    fn show(&mut self, id: i64, backend: &Backend) -> Task<Message> {
        let Some(key) = self.page(id).map(key_of) else { return Task::none() };
        let v = self.viewer.get_or_insert_with(|| Viewer::new(id));
        if v.page != id {
            v.page = id;
            v.zoom = 1.0;
            v.note = None;
            v.error = None;
        }
        if v.picture.as_ref().is_some_and(|(k, _)| *k == key) {
            return self.prefetch(backend);
        }
        if let Some(p) = self.large.get(&key) {
            v.picture = Some((key, p.clone()));
            return self.prefetch(backend);
        }
        self.load_large(key, backend)
    }

    fn load_large(&mut self, key: Key, backend: &Backend) -> Task<Message> {
        if !self.large_loading.insert(key) {
            return Task::none();
        }
        let id = key.0;
        backend
            .run(move |s| s.page_image(id, VIEW_SIDE).map(Picture::from_image), move |r| Message::Big(key, r))
    }

    /// Keeps the large images of the shown page and its neighbours, loading those missing.
    fn prefetch(&mut self, backend: &Backend) -> Task<Message> {
        let (Some(v), Some(list)) = (&self.viewer, &self.list) else { return Task::none() };
        let Some(i) = list.iter().position(|p| p.id == v.page) else { return Task::none() };
        let near: Vec<Key> = list[i.saturating_sub(1)..(i + 2).min(list.len())].iter().map(key_of).collect();
        self.large.retain(|k, _| near.contains(k));
        let missing: Vec<Key> = near
            .into_iter()
            .filter(|k| !self.large.contains_key(k) && !self.large_loading.contains(k))
            .collect();
        Task::batch(missing.into_iter().map(|k| self.load_large(k, backend)).collect::<Vec<_>>())
    }

    /// Moves the viewer by `step` pages across the dossier.
    fn step(&mut self, step: isize, backend: &Backend) -> Task<Message> {
        let Some(v) = &self.viewer else { return Task::none() };
        let (Some(i), Some(list)) = (self.index(v.page), &self.list) else { return Task::none() };
        let j = i as isize + step;
        if j < 0 || j as usize >= list.len() {
            return Task::none();
        }
        let id = list[j as usize].id;
        self.show(id, backend)
    }

    fn zoom(&mut self, by: f32) {
        if let Some(v) = self.viewer.as_mut() {
            v.zoom = (v.zoom * by).clamp(ZOOM_MIN, ZOOM_MAX);
            // Back at the fitted size after a few steps each way: exactly fit.
            if (v.zoom - 1.0).abs() < 0.01 {
                v.zoom = 1.0;
            }
        }
    }

    /// Whether the large image of this page (and rotation) is ready for the viewer.
    pub fn large_ready(&self, key: Key) -> bool {
        self.large.contains_key(&key)
    }

    /// Closes the viewer; whether it was open (Esc).
    pub fn close_viewer(&mut self) -> bool {
        self.large.clear();
        self.viewer.take().is_some()
    }

    pub fn update(
        &mut self,
        message: Message,
        backend: &Backend,
        tr: &Tr,
        no: &str,
        default_type: Option<String>,
    ) -> Out {
        match message {
            // Another dossier's pages (it was left before they came): not these.
            Message::Loaded(Ok(p)) if !p.dossier.eq_ignore_ascii_case(no) => {}
            Message::Loaded(Ok(p)) => {
                let list = p.pages;
                // The viewer's page went elsewhere (another workstation): close it.
                if let Some(v) = &self.viewer
                    && !list.iter().any(|p| p.id == v.page)
                {
                    self.viewer = None;
                }
                self.list = Some(list);
                self.error = None;
                let mut tasks = vec![self.pump(backend)];
                if let Some(id) = self.viewer.as_ref().map(|v| v.page) {
                    tasks.push(self.show(id, backend));
                }
                return Out::Task(Task::batch(tasks));
            }
            Message::Loaded(Err(f)) => self.error = Some(f.message),
            Message::Thumb(key, r) => {
                self.loading.remove(&key);
                if let Err(f) = &r {
                    tracing::warn!(page = key.0, error = %f.message, "a thumbnail could not be rendered");
                }
                self.thumbs.insert(key, r.ok());
                return Out::Task(self.pump(backend));
            }
            Message::Open(id) => {
                self.viewer = None;
                return Out::Task(self.show(id, backend));
            }
            Message::Big(key, r) => {
                self.large_loading.remove(&key);
                let current = self.page(key.0).map(key_of);
                let Some(v) = self.viewer.as_mut() else {
                    self.large.clear();
                    return Out::None;
                };
                let shown = v.page == key.0 && current == Some(key);
                match r {
                    Ok(p) => {
                        if shown {
                            v.picture = Some((key, p.clone()));
                        }
                        self.large.insert(key, p);
                    }
                    Err(f) if shown => v.error = Some(f.message),
                    Err(_) => {}
                }
                if shown {
                    return Out::Task(self.prefetch(backend));
                }
            }
            Message::Close => {
                self.viewer = None;
                self.large.clear();
            }
            Message::Prev | Message::Key(ViewerKey::Prev) => return Out::Task(self.step(-1, backend)),
            Message::Next | Message::Key(ViewerKey::Next) => return Out::Task(self.step(1, backend)),
            Message::ZoomIn | Message::Key(ViewerKey::ZoomIn) => self.zoom(ZOOM_STEP),
            Message::ZoomOut | Message::Key(ViewerKey::ZoomOut) => self.zoom(1.0 / ZOOM_STEP),
            Message::Fit => {
                if let Some(v) = self.viewer.as_mut() {
                    v.zoom = 1.0;
                }
            }
            Message::Rotate(degrees) => {
                let Some(v) = self.viewer.as_mut() else { return Out::None };
                if v.busy {
                    return Out::None;
                }
                v.busy = true;
                v.error = None;
                let id = v.page;
                return Out::Task(
                    backend.run(move |s| s.rotate_page(id, degrees).map(Box::new), Message::Rotated),
                );
            }
            Message::Rotated(Ok(page)) => {
                let id = page.id;
                if let Some(list) = self.list.as_mut()
                    && let Some(p) = list.iter_mut().find(|p| p.id == id)
                {
                    *p = *page;
                }
                if let Some(v) = self.viewer.as_mut() {
                    v.busy = false;
                    v.note = Some(tr.t("viewer-rotated"));
                    // The page's shape changed: seen whole again.
                    v.zoom = 1.0;
                }
                let show = if self.viewer.as_ref().is_some_and(|v| v.page == id) {
                    self.show(id, backend)
                } else {
                    Task::none()
                };
                return Out::Changed(Task::batch([show, self.pump(backend)]));
            }
            Message::Rotated(Err(f)) => {
                if let Some(v) = self.viewer.as_mut() {
                    v.busy = false;
                    v.error = Some(f.message);
                }
            }
            Message::Unfile => {
                let Some(v) = self.viewer.as_mut() else { return Out::None };
                if v.busy {
                    return Out::None;
                }
                v.busy = true;
                v.error = None;
                let id = v.page;
                return Out::Task(
                    backend.run(move |s| s.unfile_page(id).map(Box::new), move |r| Message::Unfiled(id, r)),
                );
            }
            Message::Unfiled(id, Ok(_)) => {
                let at = self.index(id);
                let n = at.map(|i| i + 1).unwrap_or(0);
                if let Some(list) = self.list.as_mut() {
                    list.retain(|p| p.id != id);
                }
                let note = tr.ta("viewer-unfiled", &[("n", &n.to_string())]);
                self.note = Some(note.clone());
                let next = match (&self.list, at) {
                    (Some(list), Some(i)) if !list.is_empty() => Some(list[i.min(list.len() - 1)].id),
                    _ => None,
                };
                let show = match next {
                    Some(next) if self.viewer.as_ref().is_some_and(|v| v.page == id) => {
                        let t = self.show(next, backend);
                        if let Some(v) = self.viewer.as_mut() {
                            v.busy = false;
                            v.note = Some(note);
                        }
                        t
                    }
                    Some(_) => {
                        if let Some(v) = self.viewer.as_mut() {
                            v.busy = false;
                        }
                        Task::none()
                    }
                    None => {
                        self.viewer = None;
                        Task::none()
                    }
                };
                return Out::Changed(show);
            }
            Message::Unfiled(_, Err(f)) => {
                if let Some(v) = self.viewer.as_mut() {
                    v.busy = false;
                    v.error = Some(f.message);
                }
            }
            Message::Original => {
                let Some(file_id) = self.viewer.as_ref().and_then(|v| self.page(v.page)).map(|p| p.file_id)
                else {
                    return Out::None;
                };
                if let Some(v) = self.viewer.as_mut() {
                    v.error = None;
                    v.note = None;
                }
                return Out::Task(
                    backend.run(move |s| s.original(file_id).map(Box::new), Message::OriginalFound),
                );
            }
            Message::OriginalFound(Ok(found)) => {
                let (path, file) = *found;
                let opener = self.opener.clone();
                return Out::Task(blocking(
                    move || open_original(&path, &file, &opener),
                    |r| Message::OriginalOpened(r.unwrap_or_else(|| Opened::Failed("-".into()))),
                ));
            }
            Message::OriginalFound(Err(f)) => {
                if let Some(v) = self.viewer.as_mut() {
                    v.error = Some(f.message);
                }
            }
            Message::OriginalOpened(o) => {
                if let Some(v) = self.viewer.as_mut() {
                    match o {
                        Opened::Viewer(p) => {
                            v.note = Some(tr.ta("viewer-opened", &[("path", &p.display().to_string())]))
                        }
                        Opened::NoViewer(p) => {
                            v.error = Some(tr.ta("viewer-no-viewer", &[("path", &p.display().to_string())]))
                        }
                        Opened::Failed(detail) => {
                            v.error = Some(tr.ta("viewer-copy-failed", &[("detail", &detail)]))
                        }
                    }
                }
            }
            Message::StartAdd => {
                if self.adding.is_none() {
                    self.adding = Some(Adding::new(default_type));
                }
                self.note = None;
            }
            Message::AddType(c) => {
                if let Some(a) = self.adding.as_mut() {
                    a.doc_type = Some(c.value);
                    a.error = None;
                }
            }
            Message::Choose => {
                return Out::Task(Task::perform(
                    async {
                        rfd::AsyncFileDialog::new()
                            .add_filter(
                                "JPEG / PNG / TIFF / PDF",
                                &["jpg", "jpeg", "png", "tif", "tiff", "pdf"],
                            )
                            .pick_files()
                            .await
                            .map(|files| files.into_iter().map(|h| h.path().to_path_buf()).collect())
                    },
                    Message::Chosen,
                ));
            }
            Message::Chosen(files) => {
                let Some(a) = self.adding.as_mut() else { return Out::None };
                match files {
                    Some(files) if !files.is_empty() => {
                        for f in files {
                            if !a.files.contains(&f) {
                                a.files.push(f);
                            }
                        }
                        a.hint = None;
                        a.error = None;
                    }
                    _ => {
                        a.hint = Some(tr.t("pages-add-dialog-none"));
                        return Out::Task(iced::widget::operation::focus(ADD_PATH_ID));
                    }
                }
            }
            Message::Typed(s) => {
                if let Some(a) = self.adding.as_mut() {
                    a.typed = s;
                    a.error = None;
                }
            }
            Message::RemoveFile(i) => {
                if let Some(a) = self.adding.as_mut()
                    && i < a.files.len()
                    && !a.busy
                {
                    a.files.remove(i);
                }
            }
            Message::CancelAdd => {
                if self.adding.as_ref().is_some_and(|a| !a.busy) {
                    self.adding = None;
                }
            }
            Message::Add => {
                let Some(a) = self.adding.as_mut() else { return Out::None };
                if a.busy {
                    return Out::None;
                }
                let Some(doc_type) = a.doc_type.clone() else {
                    a.error = Some(tr.t("pages-add-no-type"));
                    return Out::None;
                };
                let paths = a.paths();
                if paths.is_empty() {
                    a.error = Some(tr.t("pages-add-no-files"));
                    return Out::None;
                }
                a.busy = true;
                a.error = None;
                let no = no.to_string();
                return Out::Task(
                    backend.run(move |s| s.add_scans(&no, &doc_type, &paths).map(Box::new), Message::Added),
                );
            }
            // Added while another dossier was open: said there, not here.
            Message::Added(Ok(_)) if !self.adding.as_ref().is_some_and(|a| a.busy) => {}
            Message::Added(Ok(done)) => {
                let (doc, reports) = *done;
                self.adding = None;
                let filed: usize = reports.iter().map(FileReport::filed).sum();
                let blank: usize = reports.iter().map(FileReport::blank).sum();
                let mut note = tr.ta(
                    "pages-added",
                    &[
                        ("type", &doc.doc_type_name),
                        ("files", &reports.len().to_string()),
                        ("pages", &filed.to_string()),
                    ],
                );
                if blank > 0 {
                    note =
                        format!("{note} {}", tr.ta("pages-added-dropped", &[("blank", &blank.to_string())]));
                }
                self.note = Some(note);
                return Out::Changed(load(backend, no.to_string()));
            }
            Message::Added(Err(f)) => {
                if let Some(a) = self.adding.as_mut() {
                    a.busy = false;
                    a.error = Some(f.message);
                }
            }
            Message::Dropped(path) => {
                self.hovering = false;
                // The panel that asks the type is in the dossier, under the viewer.
                self.viewer = None;
                let a = self.adding.get_or_insert_with(|| Adding::new(default_type));
                if !a.busy && !a.files.contains(&path) {
                    a.files.push(path);
                    a.error = None;
                    a.hint = None;
                }
                self.note = None;
            }
            Message::Hovered => self.hovering = true,
            Message::HoverLeft => self.hovering = false,
        }
        Out::None
    }

    /// The 添加扫描件 button.
    pub fn add_button<'a>(&self, tr: &Tr) -> Element<'a, Message> {
        container(
            button(text(tr.t("pages-add")))
                .on_press_maybe(self.adding.is_none().then_some(Message::StartAdd))
                .style(button::secondary),
        )
        .id(ADD_ID)
        .into()
    }

    /// What the last action did, a drop about to happen, or why the pages did not load.
    pub fn banner<'a>(&self, tr: &Tr) -> Option<Element<'a, Message>> {
        if self.hovering {
            return Some(
                container(text(tr.t("pages-drop-hint"))).padding(10).style(theme::warning_box).into(),
            );
        }
        if let Some(e) = &self.error {
            return Some(container(text(e.clone())).padding(10).style(theme::error_box).into());
        }
        self.note.as_ref().map(|n| text(n.clone()).style(theme::success).into())
    }

    /// The panel adding files as a new document.
    pub fn add_panel<'a>(&'a self, tr: &Tr, doc_types: &[DocType]) -> Option<Element<'a, Message>> {
        let a = self.adding.as_ref()?;
        let types: Vec<Choice> =
            doc_types.iter().map(|t| Choice { value: t.code.clone(), label: t.name.clone() }).collect();
        let selected = types.iter().find(|c| Some(&c.value) == a.doc_type.as_ref()).cloned();
        let mut col = column![
            text(tr.t("pages-add-title")).size(18),
            row![
                text(tr.t("pages-add-type")).width(110).style(theme::muted),
                pick_list(types, selected, Message::AddType).placeholder(tr.t("form-choose")).width(260),
                container(
                    button(text(tr.t("pages-add-choose")))
                        .on_press_maybe((!a.busy).then_some(Message::Choose))
                        .style(button::secondary)
                )
                .id(ADD_CHOOSE_ID),
            ]
            .spacing(12)
            .align_y(iced::Alignment::Center),
        ]
        .spacing(8);
        for (i, f) in a.files.iter().enumerate() {
            col = col.push(
                row![
                    text(f.display().to_string()).size(14),
                    button(text(tr.t("pages-add-remove")).size(13))
                        .on_press_maybe((!a.busy).then_some(Message::RemoveFile(i)))
                        .padding([2, 6])
                        .style(button::text),
                ]
                .spacing(8)
                .align_y(iced::Alignment::Center),
            );
        }
        if let Some(h) = &a.hint {
            col = col.push(text(h.clone()).size(13).style(theme::warning));
        }
        let mut path = text_input(&tr.t("pages-add-path-hint"), &a.typed).id(ADD_PATH_ID);
        if !a.busy {
            path = path.on_input(Message::Typed).on_submit(Message::Add);
        }
        col = col.push(path);
        col = col.push(
            row![
                container(
                    button(text(tr.t("pages-add-confirm"))).on_press_maybe((!a.busy).then_some(Message::Add))
                )
                .id(ADD_CONFIRM_ID),
                button(text(tr.t("cancel")))
                    .on_press_maybe((!a.busy).then_some(Message::CancelAdd))
                    .style(button::secondary),
            ]
            .spacing(8),
        );
        col = col.push(match (&a.error, a.busy) {
            (Some(e), _) => text(e.clone()).style(theme::error),
            (None, true) => text(tr.t("pages-add-busy")).style(theme::muted),
            (None, false) => text(""),
        });
        Some(container(col).padding(12).style(theme::warning_box).width(Length::Fill).into())
    }

    /// A document's thumbnails and their count; nothing for a document without scans.
    pub fn strip<'a>(&'a self, doc: &Document, tr: &Tr) -> Option<Element<'a, Message>> {
        let pages: Vec<&Page> = self.of_document(doc.id).collect();
        if pages.is_empty() {
            return None;
        }
        let mut thumbs = row![].spacing(8);
        for p in pages.iter().copied() {
            let (w, h) = thumb_size(p);
            let inner: Element<'a, Message> = match self.thumbs.get(&key_of(p)) {
                Some(Some(pic)) => {
                    image(pic.handle.clone()).width(w).height(h).content_fit(ContentFit::Contain).into()
                }
                Some(None) => container(text(tr.t("pages-thumb-failed")).size(12).style(theme::muted))
                    .center_x(w)
                    .center_y(h)
                    .into(),
                None => container(text("…").style(theme::muted)).center_x(w).center_y(h).into(),
            };
            thumbs = thumbs.push(
                container(
                    button(container(inner).style(theme::page_frame))
                        .on_press(Message::Open(p.id))
                        .padding(2)
                        .style(button::text),
                )
                .id(thumb_id(p.id)),
            );
        }
        Some(
            column![
                text(tr.ta("pages-scanned-count", &[("pages", &pages.len().to_string())]))
                    .size(13)
                    .style(theme::muted),
                thumbs.wrap().vertical_spacing(8),
            ]
            .spacing(4)
            .padding([0, 8])
            .into(),
        )
    }

    /// The viewer over the dossier, when open.
    pub fn viewer_view<'a>(
        &'a self,
        tr: &Tr,
        documents: &[Document],
        can_edit: bool,
    ) -> Option<Element<'a, Message>> {
        let v = self.viewer.as_ref()?;
        let list = self.list.as_deref().unwrap_or_default();
        let i = list.iter().position(|p| p.id == v.page);
        let page = i.map(|i| &list[i]);
        let tool = |label: String, id: &'static str, m: Option<Message>| -> Element<'a, Message> {
            container(button(text(label).size(14)).on_press_maybe(m).style(button::secondary)).id(id).into()
        };
        let title = match page {
            Some(p) => {
                let doc = documents.iter().find(|d| Some(d.id) == p.document_id);
                format!(
                    "{} · {} · {}",
                    doc.map(|d| d.doc_type_name.as_str()).unwrap_or("—"),
                    tr.ta(
                        "viewer-position",
                        &[("n", &(i.unwrap_or(0) + 1).to_string()), ("total", &list.len().to_string())]
                    ),
                    tr.ta("viewer-source", &[("file", &p.file_name), ("page", &p.page_no.to_string())]),
                )
            }
            None => "…".into(),
        };
        let first = i == Some(0);
        let last = i.is_some_and(|i| i + 1 >= list.len());
        let zoom = if v.zoom == 1.0 {
            tr.t("viewer-fit")
        } else {
            tr.ta("viewer-zoom", &[("percent", &format!("{:.0}", v.zoom * 100.0))])
        };
        let mut tools = row![
            container(
                button(text(format!("← {}", tr.t("viewer-back"))))
                    .on_press(Message::Close)
                    .style(button::text)
            )
            .id(VIEWER_BACK_ID),
            tool(tr.t("viewer-prev"), VIEWER_PREV_ID, (!first && i.is_some()).then_some(Message::Prev)),
            tool(tr.t("viewer-next"), VIEWER_NEXT_ID, (!last && i.is_some()).then_some(Message::Next)),
            tool(
                tr.t("viewer-zoom-out"),
                VIEWER_ZOOM_OUT_ID,
                (v.zoom > ZOOM_MIN).then_some(Message::ZoomOut)
            ),
            tool(zoom, VIEWER_FIT_ID, Some(Message::Fit)),
            tool(tr.t("viewer-zoom-in"), VIEWER_ZOOM_IN_ID, (v.zoom < ZOOM_MAX).then_some(Message::ZoomIn)),
        ]
        .spacing(6)
        .align_y(iced::Alignment::Center);
        if can_edit {
            tools = tools
                .push(tool(
                    tr.t("viewer-rotate-left"),
                    VIEWER_ROTATE_LEFT_ID,
                    (!v.busy).then_some(Message::Rotate(-90)),
                ))
                .push(tool(
                    tr.t("viewer-rotate-right"),
                    VIEWER_ROTATE_RIGHT_ID,
                    (!v.busy).then_some(Message::Rotate(90)),
                ));
        }
        tools = tools.push(tool(tr.t("viewer-original"), VIEWER_ORIGINAL_ID, Some(Message::Original)));
        if can_edit {
            tools = tools.push(
                container(
                    button(text(tr.t("viewer-unfile")).size(14))
                        .on_press_maybe((!v.busy).then_some(Message::Unfile))
                        .style(button::danger),
                )
                .id(VIEWER_UNFILE_ID),
            );
        }
        let status: Element<'a, Message> = match (&v.error, &v.note) {
            (Some(e), _) => text(e.clone()).size(13).style(theme::error).into(),
            (None, Some(n)) => text(n.clone()).size(13).style(theme::success).into(),
            (None, None) => text(tr.t("viewer-keys")).size(13).style(theme::muted).into(),
        };
        let picture: Element<'a, Message> = match (&v.picture, page) {
            (Some((key, pic)), Some(p)) if *key == key_of(p) => {
                let (pic, zoom) = (pic.clone(), v.zoom);
                responsive(move |size| {
                    let (w, h) = (pic.width.max(1) as f32, pic.height.max(1) as f32);
                    let fit = (size.width / w).min(size.height / h).max(0.01);
                    let s = fit * zoom;
                    let img =
                        image(pic.handle.clone()).width(w * s).height(h * s).content_fit(ContentFit::Fill);
                    if zoom <= 1.0 {
                        container(img).center(Length::Fill).into()
                    } else {
                        scrollable(img)
                            .direction(scrollable::Direction::Both {
                                vertical: scrollable::Scrollbar::default(),
                                horizontal: scrollable::Scrollbar::default(),
                            })
                            .width(Length::Fill)
                            .height(Length::Fill)
                            .into()
                    }
                })
                .into()
            }
            _ if v.error.is_some() => text("").into(),
            _ => container(text(tr.t("pages-loading")).style(theme::muted)).center(Length::Fill).into(),
        };
        Some(
            column![
                tools.wrap().vertical_spacing(6),
                text(title).size(16),
                status,
                container(picture)
                    .width(Length::Fill)
                    .height(Length::Fill)
                    .padding(8)
                    .style(theme::viewer_backdrop),
            ]
            .spacing(8)
            .padding(16)
            .height(Length::Fill)
            .into(),
        )
    }
}

/// The extension the stored format is known by.
fn extension(format: &str) -> &'static str {
    match format {
        "jpeg" => "jpg",
        "png" => "png",
        "tiff" => "tif",
        "pdf" => "pdf",
        _ => "bin",
    }
}

/// Where copies of originals are opened from: the user's own cache folder.
fn originals_dir() -> PathBuf {
    directories::ProjectDirs::from("org", "dangan", "Dangan")
        .map(|d| d.cache_dir().join("originals"))
        .unwrap_or_else(|| std::env::temp_dir().join("dangan-originals"))
}

/// The copy's name: the name it came with (its characters kept, path separators and the like
/// removed), the hash's start (two files of the same name stay apart), the format's extension.
pub fn copy_name(file: &StoredFile) -> String {
    let stem = Path::new(&file.original_name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem: String = stem
        .chars()
        .map(|c| if c.is_control() || "/\\:*?\"<>|".contains(c) { '_' } else { c })
        .take(80)
        .collect();
    let stem = if stem.trim().is_empty() { "scan".to_string() } else { stem };
    let sha = file.sha256.get(..12).unwrap_or(&file.sha256);
    format!("{stem}-{sha}.{}", extension(&file.format))
}

/// Copies the original (never opened in place: the store is read-only to everyone) to the
/// user's cache folder and hands it to the system's viewer.
fn open_original(src: &Path, file: &StoredFile, opener: &Opener) -> Opened {
    let dir = opener.dir.clone().unwrap_or_else(originals_dir);
    if let Err(e) = std::fs::create_dir_all(&dir) {
        return Opened::Failed(e.to_string());
    }
    if let Err(e) = crate::core::files::make_private_dir(&dir) {
        tracing::warn!(error = %e, "the originals' folder could not be made private");
    }
    forget_old_copies(&dir);
    let dest = dir.join(copy_name(file));
    let copied = std::fs::read(src).and_then(|bytes| crate::core::files::write_private(&dest, &bytes));
    if let Err(e) = copied {
        return Opened::Failed(e.to_string());
    }
    if system_open(&dest, opener.program.as_deref()) { Opened::Viewer(dest) } else { Opened::NoViewer(dest) }
}

/// Copies opened more than a week ago are removed (the library keeps the original).
fn forget_old_copies(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let week = std::time::Duration::from_secs(7 * 24 * 3600);
    for e in entries.flatten() {
        let old = e
            .metadata()
            .ok()
            .filter(|m| m.is_file())
            .and_then(|m| m.modified().ok())
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > week);
        if old {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Opens `path` with the system's viewer; false when none could be started or it said no.
fn system_open(path: &Path, program: Option<&Path>) -> bool {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    let mut c = match program {
        Some(p) => {
            let mut c = Command::new(p);
            c.arg(path);
            c
        }
        None => system_opener(path),
    };
    c.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
    let Ok(mut child) = c.spawn() else { return false };
    // The opener answers at once when it found a viewer or none; one still running after a
    // few seconds is the viewer itself (waited for on its own thread, never left a zombie).
    let until = Instant::now() + Duration::from_secs(3);
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return status.success(),
            Ok(None) if Instant::now() < until => std::thread::sleep(Duration::from_millis(100)),
            Ok(None) => {
                std::thread::spawn(move || {
                    let _ = child.wait();
                });
                return true;
            }
            Err(_) => return false,
        }
    }
}

/// The system's way to open a file with the viewer the user chose for its kind.
fn system_opener(path: &Path) -> std::process::Command {
    use std::process::Command;
    #[cfg(windows)]
    let c = {
        let mut c = Command::new("cmd");
        c.args(["/C", "start", ""]).arg(path);
        c
    };
    #[cfg(target_os = "macos")]
    let c = {
        let mut c = Command::new("open");
        c.arg(path);
        c
    };
    #[cfg(all(unix, not(target_os = "macos")))]
    let c = {
        let mut c = Command::new("xdg-open");
        c.arg(path);
        c
    };
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_paths_are_split_and_unquoted() {
        assert_eq!(
            split_typed(" \"/a/b c.png\" ; /d.pdf;;\n'/e.tif' "),
            vec![PathBuf::from("/a/b c.png"), PathBuf::from("/d.pdf"), PathBuf::from("/e.tif")]
        );
        assert!(split_typed("  ; ").is_empty());
    }

    #[test]
    fn a_copy_of_an_original_keeps_its_name_and_gets_the_format_extension() {
        let f = StoredFile {
            id: 1,
            sha256: "abcdef0123456789".into(),
            size: 1,
            format: "tiff".into(),
            page_count: 1,
            original_name: "合同/第1页:扫描.TIF".into(),
            source_path: None,
            origin: "import".into(),
            added_at: String::new(),
            added_by: None,
        };
        assert_eq!(copy_name(&f), "第1页_扫描-abcdef012345.tif");
    }
}
