//! 打印标签: the label panel. Opened from a box, a dossier or a location with what to print; it
//! offers the stocks that suit the kind, the first free position on a partly used sheet and a
//! calibrated printer, shows the first pages exactly as they will print (the same layout as the
//! PDF, drawn on a canvas), saves the PDF and opens it in the system's viewer to print.

use std::path::{Path, PathBuf};

use iced::alignment;
use iced::mouse;
use iced::widget::canvas::{self, Canvas, Frame, Geometry};
use iced::widget::{button, column, container, pick_list, row, text, text_input};
use iced::{Element, Length, Point, Rectangle, Renderer, Size, Task, Theme, Vector};

use super::backend::{Backend, Failure};
use super::form::Choice;
use super::i18n::{Language, Tr};
use super::theme;
use crate::core::labels::{
    Calibration, LabelJob, LabelKind, LabelSelection, PreviewPage, Shape, StockChoice,
};

pub const START_ID: &str = "print-start";
pub const PATH_ID: &str = "print-path";
/// Pages shown in the preview (a long batch prints them all; the preview shows the first).
const PREVIEW_PAGES: usize = 3;

/// The label panel's state.
#[derive(Debug)]
pub struct Print {
    pub kind: LabelKind,
    pub selection: LabelSelection,
    /// What is printed, as the panel's heading says it (`档案盒 BX00000018`).
    pub what: String,
    stocks: Vec<StockChoice>,
    pub stock: Option<String>,
    pub start: String,
    printers: Vec<String>,
    pub printer: Option<String>,
    pages: Vec<PreviewPage>,
    pub labels: usize,
    pub page: usize,
    /// A preview request in flight: newer changes make older answers stale.
    seq: u64,
    pub path: String,
    pub saved: Option<PathBuf>,
    pub error: Option<String>,
    pub busy: bool,
    cache: canvas::Cache,
}

#[derive(Debug, Clone)]
pub enum Message {
    Loaded(Result<(Vec<StockChoice>, Vec<String>), Failure>),
    Stock(Choice),
    Start(String),
    Printer(Choice),
    Previewed(u64, Result<(Vec<PreviewPage>, usize), Failure>),
    Page(bool),
    Path(String),
    Browse,
    Browsed(Option<PathBuf>),
    Save,
    Saved(Result<PathBuf, Failure>),
    Open,
    Close,
}

/// What the panel asks its owner to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Close,
}

/// What a screen asks to print: the kind, which items, and how the panel names them.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub kind: LabelKind,
    pub selection: LabelSelection,
    pub what: String,
}

impl Request {
    fn items(kind: LabelKind, items: Vec<String>, what: String) -> Request {
        Request { kind, selection: LabelSelection { items, ..LabelSelection::default() }, what }
    }
}

/// The label buttons of an open box: its spine and front, its folders' labels.
pub fn box_buttons<'a, M: Clone + 'a>(code: &str, tr: &Tr, on: impl Fn(Request) -> M) -> Element<'a, M> {
    let what = tr.ta("print-what-box", &[("code", code)]);
    let folders = Request {
        kind: LabelKind::Folder,
        selection: LabelSelection { in_box: Some(code.to_string()), ..LabelSelection::default() },
        what: what.clone(),
    };
    row![
        button(text(tr.t("print-kind-box-spine")).size(13)).on_press(on(Request::items(
            LabelKind::BoxSpine,
            vec![code.to_string()],
            what.clone()
        ))),
        button(text(tr.t("print-kind-box-front")).size(13)).on_press(on(Request::items(
            LabelKind::BoxFront,
            vec![code.to_string()],
            what.clone()
        ))),
        button(text(tr.t("print-box-folders")).size(13)).on_press(on(folders)),
    ]
    .spacing(8)
    .into()
}

/// The label buttons of a dossier: its folder label, a cover sheet, its contents list.
pub fn dossier_buttons<'a, M: Clone + 'a>(
    dossier: &str,
    tr: &Tr,
    on: impl Fn(Request) -> M,
) -> Element<'a, M> {
    let what = tr.ta("print-what-dossier", &[("dossier", dossier)]);
    let one = |kind| on(Request::items(kind, vec![dossier.to_string()], what.clone()));
    row![
        button(text(tr.t("print-kind-folder")).size(13)).on_press(one(LabelKind::Folder)),
        button(text(tr.t("print-kind-cover")).size(13)).on_press(one(LabelKind::Cover)),
        button(text(tr.t("print-kind-contents")).size(13)).on_press(one(LabelKind::Contents)),
    ]
    .spacing(8)
    .into()
}

/// The label buttons of a location: its own label and those below it, the spines of its boxes.
pub fn location_buttons<'a, M: Clone + 'a>(path: &str, tr: &Tr, on: impl Fn(Request) -> M) -> Element<'a, M> {
    let what = tr.ta("print-what-location", &[("path", path)]);
    let under = |kind| {
        on(Request {
            kind,
            selection: LabelSelection { under: Some(path.to_string()), ..LabelSelection::default() },
            what: what.clone(),
        })
    };
    row![
        button(text(tr.t("print-kind-location")).size(13)).on_press(under(LabelKind::Location)),
        button(text(tr.t("print-location-spines")).size(13)).on_press(under(LabelKind::BoxSpine)),
    ]
    .spacing(8)
    .into()
}

/// The kind's name as the panel says it.
pub fn kind_key(kind: LabelKind) -> &'static str {
    match kind {
        LabelKind::BoxSpine => "print-kind-box-spine",
        LabelKind::BoxFront => "print-kind-box-front",
        LabelKind::Folder => "print-kind-folder",
        LabelKind::Cover => "print-kind-cover",
        LabelKind::Location => "print-kind-location",
        LabelKind::Contents => "print-kind-contents",
        LabelKind::Borrower => "print-kind-borrower",
    }
}

/// The folder papers are offered to be saved in: the documents folder, else home.
pub(super) fn papers_dir() -> PathBuf {
    directories::UserDirs::new()
        .and_then(|u| u.document_dir().map(Path::to_path_buf).or_else(|| Some(u.home_dir().to_path_buf())))
        .unwrap_or_else(std::env::temp_dir)
}

/// Where a PDF is offered to be saved: the documents folder (else home), named after what it holds.
fn default_path(kind: LabelKind, what: &str, tr: &Tr) -> String {
    let dir = papers_dir();
    let clean: String =
        what.chars().map(|c| if c.is_alphanumeric() || c == '-' { c } else { '_' }).take(40).collect();
    dir.join(format!("{}-{clean}.pdf", tr.t(kind_key(kind)))).display().to_string()
}

impl Print {
    /// A panel for `selection`, and the task that loads its stocks and printers.
    pub fn open(
        kind: LabelKind,
        selection: LabelSelection,
        what: String,
        backend: &Backend,
        tr: &Tr,
    ) -> (Print, Task<Message>) {
        let p = Print {
            kind,
            selection,
            path: default_path(kind, &what, tr),
            what,
            stocks: Vec::new(),
            stock: Some(kind.default_stock().to_string()),
            start: "1".into(),
            printers: Vec::new(),
            printer: None,
            pages: Vec::new(),
            labels: 0,
            page: 0,
            seq: 0,
            saved: None,
            error: None,
            busy: true,
            cache: canvas::Cache::new(),
        };
        let task = backend
            .run(move |s| Ok((s.stocks_for(kind)?, s.printers()?.into_keys().collect())), Message::Loaded);
        (p, task)
    }

    fn job(&self, tr: &Tr) -> Result<LabelJob, String> {
        let start = self.start.trim().parse::<u32>().map_err(|_| tr.t("print-start-invalid"))?;
        Ok(LabelJob {
            kind: self.kind,
            selection: self.selection.clone(),
            stock: self.stock.clone().unwrap_or_else(|| self.kind.default_stock().to_string()),
            start,
            printer: self.printer.clone(),
            offset: Calibration::default(),
            doc_type: None,
            captions: crate::core::labels::Captions::from_translations(|k| tr.t(k)),
            remarks_note: tr.t("labels-remarks-note"),
        })
    }

    /// Asks for a new preview of the job as it stands.
    fn refresh(&mut self, backend: &Backend, tr: &Tr) -> Task<Message> {
        self.saved = None;
        let job = match self.job(tr) {
            Ok(job) => job,
            Err(e) => {
                self.error = Some(e);
                return Task::none();
            }
        };
        self.seq += 1;
        self.busy = true;
        let seq = self.seq;
        backend.run(move |s| s.preview_labels(&job, PREVIEW_PAGES), move |r| Message::Previewed(seq, r))
    }

    pub fn update(&mut self, m: Message, backend: &Backend, tr: &Tr) -> (Task<Message>, Option<Event>) {
        match m {
            Message::Loaded(Ok((stocks, printers))) => {
                if !stocks.iter().any(|s| Some(&s.id) == self.stock.as_ref()) {
                    self.stock = stocks.first().map(|s| s.id.clone());
                }
                self.stocks = stocks;
                self.printers = printers;
                return (self.refresh(backend, tr), None);
            }
            Message::Loaded(Err(f)) => {
                self.busy = false;
                self.error = Some(f.message);
            }
            Message::Stock(c) => {
                self.stock = Some(c.value);
                self.start = "1".into();
                return (self.refresh(backend, tr), None);
            }
            Message::Start(s) => {
                self.start = s.chars().filter(char::is_ascii_digit).take(4).collect();
                if !self.start.is_empty() {
                    return (self.refresh(backend, tr), None);
                }
            }
            Message::Printer(c) => {
                self.printer = (!c.value.is_empty()).then_some(c.value);
                return (self.refresh(backend, tr), None);
            }
            Message::Previewed(seq, r) if seq == self.seq => {
                self.busy = false;
                self.cache.clear();
                match r {
                    Ok((pages, labels)) => {
                        self.pages = pages;
                        self.labels = labels;
                        self.page = 0;
                        self.error = None;
                    }
                    Err(f) => {
                        self.pages.clear();
                        self.labels = 0;
                        self.error = Some(f.message);
                    }
                }
            }
            Message::Previewed(..) => {}
            Message::Page(next) => {
                let last = self.pages.len().saturating_sub(1);
                self.page = if next { (self.page + 1).min(last) } else { self.page.saturating_sub(1) };
                self.cache.clear();
            }
            Message::Path(p) => {
                self.path = p;
                self.saved = None;
            }
            Message::Browse => {
                let start = PathBuf::from(&self.path);
                let dir = start.parent().map(Path::to_path_buf);
                let name = start.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                return (
                    Task::perform(
                        async move {
                            let mut d =
                                rfd::AsyncFileDialog::new().add_filter("PDF", &["pdf"]).set_file_name(name);
                            if let Some(dir) = dir {
                                d = d.set_directory(dir);
                            }
                            d.save_file().await.map(|h| h.path().to_path_buf())
                        },
                        Message::Browsed,
                    ),
                    None,
                );
            }
            Message::Browsed(Some(p)) => {
                self.path = p.display().to_string();
                self.saved = None;
            }
            Message::Browsed(None) => {}
            Message::Save => {
                let job = match self.job(tr) {
                    Ok(job) => job,
                    Err(e) => {
                        self.error = Some(e);
                        return (Task::none(), None);
                    }
                };
                let mut path = PathBuf::from(self.path.trim());
                if path.as_os_str().is_empty() {
                    self.error = Some(tr.t("print-path-empty"));
                    return (Task::none(), None);
                }
                if path.extension().is_none() {
                    path.set_extension("pdf");
                }
                self.busy = true;
                self.error = None;
                return (
                    backend.run(
                        move |s| {
                            let out = s.print_labels(job)?;
                            crate::core::labels::save_pdf(&path, &out.pdf)?;
                            Ok(path)
                        },
                        Message::Saved,
                    ),
                    None,
                );
            }
            Message::Saved(r) => {
                self.busy = false;
                match r {
                    Ok(p) => {
                        self.path = p.display().to_string();
                        self.saved = Some(p);
                    }
                    Err(f) => self.error = Some(f.message),
                }
            }
            Message::Open => {
                if let Some(p) = &self.saved
                    && let Err(e) = open_in_viewer(p)
                {
                    self.error = Some(tr.ta(
                        "print-open-failed",
                        &[("path", &p.display().to_string()), ("error", &e.to_string())],
                    ));
                }
            }
            Message::Close => return (Task::none(), Some(Event::Close)),
        }
        (Task::none(), None)
    }

    pub fn view<'a>(&'a self, tr: &Tr) -> Element<'a, Message> {
        let english = tr.language == Language::English;
        let stock_choices: Vec<Choice> = self
            .stocks
            .iter()
            .map(|s| Choice {
                value: s.id.clone(),
                label: short_name(if english { &s.name_en } else { &s.name_zh }),
            })
            .collect();
        let chosen = stock_choices.iter().find(|c| Some(&c.value) == self.stock.as_ref()).cloned();
        let per_page =
            self.stocks.iter().find(|s| Some(&s.id) == self.stock.as_ref()).map_or(1, |s| s.per_page);
        let mut printer_choices = vec![Choice { value: String::new(), label: tr.t("print-no-printer") }];
        printer_choices.extend(self.printers.iter().map(|p| Choice { value: p.clone(), label: p.clone() }));
        let printer =
            printer_choices.iter().find(|c| c.value == self.printer.clone().unwrap_or_default()).cloned();

        let heading = column![
            text(tr.ta("print-title", &[("kind", &tr.t(kind_key(self.kind)))])).size(22),
            text(&self.what).style(theme::muted),
        ]
        .spacing(2);
        let settings = column![
            text(tr.t("print-stock")),
            // Few stocks suit a kind: each is one click away.
            column(stock_choices.into_iter().map(|c| {
                let selected = chosen.as_ref().is_some_and(|x| x.value == c.value);
                button(text(c.label.clone()).size(14))
                    .on_press(Message::Stock(c))
                    .width(Length::Fill)
                    .style(theme::row_button(selected))
                    .into()
            }))
            .spacing(2),
            text(tr.ta("print-start", &[("max", &per_page.to_string())])),
            text_input("1", &self.start).id(START_ID).on_input(Message::Start).width(Length::Fixed(100.0)),
            text(tr.t("print-printer")),
            pick_list(printer_choices, printer, Message::Printer)
                .width(Length::Fill)
                .text_shaping(iced::widget::text::Shaping::Advanced),
            text(tr.t("print-path")),
            row![
                text_input("", &self.path).id(PATH_ID).on_input(Message::Path).width(Length::Fill),
                button(text(tr.t("print-browse"))).on_press(Message::Browse),
            ]
            .spacing(6),
            row![
                button(text(tr.t("print-save")))
                    .on_press_maybe((!self.busy && self.labels > 0).then_some(Message::Save)),
                button(text(tr.t("print-open"))).on_press_maybe(self.saved.as_ref().map(|_| Message::Open)),
                button(text(tr.t("print-close"))).on_press(Message::Close),
            ]
            .spacing(8),
            // One fixed slot for what happened: nothing above the inputs moves.
            container(match (&self.error, &self.saved) {
                (Some(e), _) => text(e.clone()).style(theme::error),
                (None, Some(p)) =>
                    text(tr.ta("print-saved", &[("path", &p.display().to_string())])).style(theme::success),
                (None, None) if self.busy => text(tr.t("print-working")).style(theme::muted),
                (None, None) =>
                    text(tr.ta("print-count", &[("count", &self.labels.to_string())])).style(theme::muted),
            })
            .height(Length::Fixed(48.0)),
        ]
        .spacing(8)
        .width(Length::Fixed(320.0));

        let page_nav = row![
            button(text("‹")).on_press_maybe((self.page > 0).then_some(Message::Page(false))),
            text(tr.ta(
                "print-page",
                &[
                    ("page", &(self.page + 1).to_string()),
                    ("pages", &self.pages.first().map_or(1, |p| p.of_pages).to_string()),
                ]
            )),
            button(text("›"))
                .on_press_maybe((self.page + 1 < self.pages.len()).then_some(Message::Page(true))),
            text(if self.pages.first().is_some_and(|p| p.of_pages > self.pages.len()) {
                tr.ta("print-preview-capped", &[("shown", &self.pages.len().to_string())])
            } else {
                String::new()
            })
            .style(theme::muted),
        ]
        .spacing(8)
        .align_y(alignment::Vertical::Center);
        let preview = Canvas::new(PreviewCanvas { page: self.pages.get(self.page), cache: &self.cache })
            .width(Length::Fill)
            .height(Length::Fill);
        let right = column![page_nav, container(preview).style(theme::card).padding(8)]
            .spacing(8)
            .width(Length::Fill);

        column![heading, row![settings, right].spacing(16).height(Length::Fill)]
            .spacing(12)
            .padding(16)
            .into()
    }
}

/// A stock's name without its details in brackets (they are on the label sheet's box): it fits
/// the list.
fn short_name(name: &str) -> String {
    name.split(['（', '(']).next().unwrap_or(name).trim().to_string()
}

/// Opens a file in the system's viewer (to print it from there).
pub(super) fn open_in_viewer(path: &Path) -> std::io::Result<()> {
    #[cfg(target_os = "windows")]
    let mut cmd = {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    };
    #[cfg(target_os = "macos")]
    let mut cmd = std::process::Command::new("open");
    #[cfg(not(any(target_os = "windows", target_os = "macos")))]
    let mut cmd = std::process::Command::new("xdg-open");
    cmd.arg(path)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(|_| ())
}

/// One page of the preview, scaled into the canvas, as a sheet of paper.
struct PreviewCanvas<'a> {
    page: Option<&'a PreviewPage>,
    cache: &'a canvas::Cache,
}

/// The font's ascent (em): the canvas places text by its top, the PDF by its baseline.
const ASCENT_EM: f32 = 0.88;
const MM_PER_PT: f32 = 25.4 / 72.0;

impl<M> canvas::Program<M> for PreviewCanvas<'_> {
    type State = ();

    fn draw(
        &self,
        _: &(),
        renderer: &Renderer,
        _: &Theme,
        bounds: Rectangle,
        _: mouse::Cursor,
    ) -> Vec<Geometry> {
        let Some(page) = self.page else { return Vec::new() };
        let geometry = self.cache.draw(renderer, bounds.size(), |frame: &mut Frame| {
            let (w, h) = (page.width_mm as f32, page.height_mm as f32);
            let scale = (bounds.width / w).min(bounds.height / h);
            let origin = Vector::new((bounds.width - w * scale) / 2.0, (bounds.height - h * scale) / 2.0);
            let at = |x: f64, y: f64| Point::new(origin.x + x as f32 * scale, origin.y + y as f32 * scale);
            let sheet = canvas::Path::rectangle(at(0.0, 0.0), Size::new(w * scale, h * scale));
            frame.fill(&sheet, theme::paper_colour());
            let edge = canvas::Stroke::default().with_width(1.0).with_color(theme::sheet_edge_colour());
            frame.stroke(&sheet, edge);
            // The labels' die cuts, so the clerk sees which position each label takes.
            if page.cells.len() > 1 {
                for [x, y, cw, ch] in &page.cells {
                    let cell = canvas::Path::rectangle(
                        at(*x, *y),
                        Size::new(*cw as f32 * scale, *ch as f32 * scale),
                    );
                    frame.stroke(&cell, edge);
                }
            }
            for shape in &page.shapes {
                match shape {
                    Shape::Rect { x, y, w, h } => {
                        // A hairline still shows on screen: at least a pixel.
                        let size = Size::new((*w as f32 * scale).max(1.0), (*h as f32 * scale).max(1.0));
                        frame.fill_rectangle(at(*x, *y), size, theme::ink_colour());
                    }
                    Shape::Text { x, y, size_pt, text, rotated } => {
                        let px = *size_pt as f32 * MM_PER_PT * scale;
                        let t = canvas::Text {
                            content: text.clone(),
                            position: Point::ORIGIN,
                            color: theme::ink_colour(),
                            size: px.into(),
                            line_height: iced::widget::text::LineHeight::Relative(1.0),
                            font: theme::FONT,
                            ..canvas::Text::default()
                        };
                        let base = at(*x, *y);
                        frame.with_save(|f| {
                            f.translate(Vector::new(base.x, base.y));
                            if *rotated {
                                f.rotate(std::f32::consts::FRAC_PI_2);
                            }
                            // Glyphs as paths, so a rotated line turns with the frame.
                            let t = canvas::Text { position: Point::new(0.0, -ASCENT_EM * px), ..t };
                            t.draw_with(|path, colour| f.fill(&path, colour));
                        });
                    }
                }
            }
        });
        vec![geometry]
    }
}
