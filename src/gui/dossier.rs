//! One dossier: the customer's fields, the papers (listed, added, corrected) with the
//! category's checklist and its completeness (5/7, missing items named), the history (audit
//! trail), editing and 销户, and where the paper folder is: its box, the box's home and current
//! location, the movements, 装盒 / 换盒 / 出盒. A form with unsaved changes is not left
//! silently: the owner asks.

use std::sync::Arc;

use iced::widget::{button, column, container, row, scrollable, text, text_input};
use iced::{Element, Length, Task};

use super::backend::{Backend, Failure};
use super::form::{self, Form, Options};
use super::i18n::Tr;
use super::pages::{self, Pages};
use super::paper::{self, PaperForm};
use super::theme;
use crate::core::session::AuditQuery;
use crate::core::storage::Filed;
use crate::model::storage::{Movement, Placement};
use crate::model::{AuditEntry, Dossier, Status};

#[derive(Debug)]
pub struct DossierView {
    pub no: String,
    pub dossier: Option<Dossier>,
    pub history: Vec<AuditEntry>,
    /// The categories, document types and users the forms offer.
    pub options: Option<Arc<Options>>,
    pub error: Option<String>,
    pub form: Option<Form>,
    /// A paper being added or corrected.
    pub paper: Option<PaperForm>,
    pub closing: Option<String>,
    pub can_edit: bool,
    pub can_close: bool,
    pub note: Option<String>,
    /// Where the folder is (none: not filed), and its movements; `None` until loaded.
    pub place: Option<Option<Placement>>,
    pub movements: Vec<Movement>,
    /// 装盒 / 换盒 being filled in.
    pub filing: Option<Filing>,
    /// What the last 装盒 / 出盒 did, or why it failed (beside the place's buttons).
    pub place_note: Option<String>,
    pub place_error: Option<String>,
    /// The scanned pages: thumbnails, the viewer, adding files.
    pub pages: Pages,
}

/// Filing the folder into a box: a typed or scanned box code, or none to let the box rule
/// choose. A folder already in a box moves only after an explicit 确认换盒.
#[derive(Debug, Clone, Default)]
pub struct Filing {
    pub code: String,
    /// The folder is in a box: 换盒 asked, waiting for the confirmation.
    pub confirm_move: bool,
    pub saving: bool,
}

/// The field for the box code to file into.
pub const FILE_BOX_ID: &str = "dossier-file-box";
/// Where label printing (src/labels) puts its buttons for this dossier (folder label, cover
/// sheet, contents list): the row is empty until the labels screen is connected.
pub const DOSSIER_LABELS_ID: &str = "dossier-labels";

/// The folder's place and movements, as loaded.
pub type PlaceLoaded = (Option<Placement>, Vec<Movement>);

/// The id of the edit button of the paper numbered `id`.
pub fn edit_paper_id(id: i64) -> String {
    format!("paper-edit-{id}")
}

pub const ADD_PAPER_ID: &str = "paper-add";

/// Leaving a form with unsaved changes: what the clerk asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leave {
    /// Close the open form, stay in the dossier.
    CloseForm,
    /// Back to the list.
    Back,
}

/// A dossier as loaded: the record, its history, and what the forms offer.
pub type Loaded = (Dossier, Vec<AuditEntry>, Arc<Options>);

#[derive(Debug, Clone)]
pub enum Message {
    /// A label button: open the label panel.
    Print(super::print::Request),
    Loaded(Result<Box<Loaded>, Failure>),
    Edit,
    Form(form::Message),
    Saved(Result<(), Failure>),
    AddPaper,
    EditPaper(i64),
    Paper(paper::Message),
    /// Save whichever form is open (the answer 保存 to "unsaved changes").
    SaveOpen,
    Back,
    Close,
    CancelClose,
    CloseReason(String),
    ConfirmClose,
    Reopen,
    PlaceLoaded(Result<Box<PlaceLoaded>, Failure>),
    /// Open the filing panel (装盒, or 换盒 for a folder already in a box).
    StartFiling,
    FilingCode(String),
    /// File into the typed box, or by the box rule when none is typed.
    File,
    CancelFiling,
    Filed(Result<Box<Filed>, Failure>),
    /// 出盒.
    Unfile,
    Unfiled(Result<(), Failure>),
    /// Show the box (in 库房).
    OpenBox(String),
    /// The scanned pages (thumbnails, viewer, adding files).
    Pages(pages::Message),
}

#[derive(Debug)]
pub enum Action {
    None,
    Task(Task<Message>),
    Back,
    /// A form was saved; the task reloads the dossier.
    Saved(Task<Message>),
    /// A form has unsaved changes: ask before leaving it.
    Ask(Leave),
    /// Open another dossier (the holder of a duplicate ID number).
    Open(String),
    /// Show a box in 库房.
    OpenBox(String),
    /// Print labels (the label panel opens over the screen).
    Print(super::print::Request),
}

pub fn load(backend: &Backend, no: String) -> Task<Message> {
    Task::batch([
        load_dossier(backend, no.clone()),
        load_place(backend, no.clone()),
        pages::load(backend, no).map(Message::Pages),
    ])
}

/// The folder's box and places, and its movements.
pub fn load_place(backend: &Backend, no: String) -> Task<Message> {
    backend.run(move |s| Ok(Box::new((s.placement(&no)?, s.dossier_movements(&no)?))), Message::PlaceLoaded)
}

fn load_dossier(backend: &Backend, no: String) -> Task<Message> {
    backend.run(
        move |s| {
            let d = s.dossier(&no)?;
            let history =
                s.audit_log(&AuditQuery { dossier: Some(no.clone()), limit: 50, ..Default::default() })?;
            let options = form::options(s)?;
            Ok(Box::new((d, history, options)))
        },
        Message::Loaded,
    )
}

impl DossierView {
    pub fn new(no: String, can_edit: bool, can_close: bool) -> DossierView {
        DossierView {
            no,
            dossier: None,
            history: Vec::new(),
            options: None,
            error: None,
            form: None,
            paper: None,
            closing: None,
            can_edit,
            can_close,
            note: None,
            place: None,
            movements: Vec::new(),
            filing: None,
            place_note: None,
            place_error: None,
            pages: Pages::default(),
        }
    }

    /// The files dropped on the window and the viewer's keys.
    pub fn subscription(&self) -> iced::Subscription<Message> {
        pages::events().map(Message::Pages)
    }

    /// Esc: closes the page viewer; whether it was open.
    pub fn escape(&mut self) -> bool {
        self.pages.close_viewer()
    }

    /// A scan meant for the filing panel (it typed into the box code field). Returns whether
    /// it took the code.
    pub fn take_scan(&mut self, code: &str) -> bool {
        self.filing.as_ref().is_some_and(|f| !f.saving && f.code.contains(code))
    }

    /// A scanned box while the filing panel is open: it goes into the box code field.
    pub fn offer_box(&mut self, code: &str) -> bool {
        let Some(f) = self.filing.as_mut() else { return false };
        f.code = code.to_string();
        self.place_error = None;
        true
    }

    /// A form is open with changes not yet saved.
    pub fn is_dirty(&self) -> bool {
        self.form.as_ref().is_some_and(Form::is_dirty) || self.paper.as_ref().is_some_and(PaperForm::is_dirty)
    }

    /// Takes a barcode scan's characters out of the open form's fields.
    pub fn strip_scan(&mut self, code: &str) {
        if let Some(f) = self.form.as_mut() {
            f.strip_scan(code);
        }
        if let Some(p) = self.paper.as_mut() {
            p.strip_scan(code);
        }
        if let Some(f) = self.filing.as_mut()
            && let Some(i) = f.code.rfind(code)
        {
            f.code.replace_range(i..i + code.len(), "");
        }
    }

    /// Drops the open forms and their changes.
    pub fn discard(&mut self) {
        self.form = None;
        self.paper = None;
    }

    pub fn update(&mut self, message: Message, backend: &Backend, tr: &Tr) -> Action {
        match message {
            Message::Print(r) => return Action::Print(r),
            Message::Loaded(Ok(loaded)) => {
                let (d, h, options) = *loaded;
                self.no = d.customer.dossier.clone();
                self.dossier = Some(d);
                self.history = h;
                self.options = Some(options);
                self.error = None;
            }
            Message::Loaded(Err(f)) => self.error = Some(f.message),
            Message::Edit => {
                if let Some(d) = &self.dossier {
                    let mut form = Form::from_customer(&d.customer);
                    if let Some(o) = &self.options {
                        form.update(form::Message::Options(Ok(o.clone())));
                    }
                    self.form = Some(form);
                    self.paper = None;
                    self.note = None;
                }
            }
            Message::Form(m) => {
                let Some(form) = self.form.as_mut() else { return Action::None };
                match form.update(m) {
                    None => {}
                    Some(form::Event::Cancel) => {
                        if form.is_dirty() {
                            return Action::Ask(Leave::CloseForm);
                        }
                        self.form = None;
                    }
                    Some(form::Event::Open(no)) => return Action::Open(no),
                    Some(form::Event::Save(force)) => return self.save_form(force, backend),
                }
            }
            Message::Saved(Ok(_)) => {
                self.form = None;
                self.paper = None;
                self.closing = None;
                self.note = Some(tr.t("saved"));
                return Action::Saved(load(backend, self.no.clone()));
            }
            Message::Saved(Err(f)) => {
                if let Some(form) = self.form.as_mut() {
                    form.refused(f);
                } else if let Some(paper) = self.paper.as_mut() {
                    paper.refused(f);
                } else {
                    self.error = Some(f.message);
                }
            }
            Message::AddPaper => {
                let first_missing = self
                    .dossier
                    .as_ref()
                    .and_then(|d| d.completeness.missing().next().map(|i| i.doc_type.clone()));
                self.paper = Some(PaperForm::new(first_missing));
                self.form = None;
                self.note = None;
            }
            Message::EditPaper(id) => {
                if let Some(doc) = self.dossier.as_ref().and_then(|d| d.documents.iter().find(|x| x.id == id))
                {
                    self.paper = Some(PaperForm::edit(doc));
                    self.form = None;
                    self.note = None;
                }
            }
            Message::Paper(m) => {
                let Some(paper) = self.paper.as_mut() else { return Action::None };
                match paper.update(m) {
                    None => {}
                    Some(paper::Event::Cancel) => {
                        if paper.is_dirty() {
                            return Action::Ask(Leave::CloseForm);
                        }
                        self.paper = None;
                    }
                    Some(paper::Event::Save) => return self.save_paper(backend),
                }
            }
            Message::SaveOpen => {
                if self.form.as_ref().is_some_and(|f| f.is_valid() && !f.saving) {
                    return self.save_form(false, backend);
                }
                if self.paper.as_ref().is_some_and(|p| p.is_valid() && !p.saving) {
                    return self.save_paper(backend);
                }
            }
            Message::Back => {
                if self.is_dirty() {
                    return Action::Ask(Leave::Back);
                }
                return Action::Back;
            }
            Message::Close => self.closing = Some(String::new()),
            Message::CancelClose => self.closing = None,
            Message::CloseReason(s) => self.closing = Some(s),
            Message::ConfirmClose => {
                let reason = self.closing.clone().unwrap_or_default();
                let no = self.no.clone();
                return Action::Task(
                    backend.run(move |s| s.close_customer(&no, &reason).map(drop), Message::Saved),
                );
            }
            Message::Reopen => {
                let no = self.no.clone();
                return Action::Task(
                    backend.run(move |s| s.reopen_customer(&no, "").map(drop), Message::Saved),
                );
            }
            Message::PlaceLoaded(Ok(p)) => {
                let (place, movements) = *p;
                self.place = Some(place);
                self.movements = movements;
            }
            Message::PlaceLoaded(Err(f)) => self.place_error = Some(f.message),
            Message::StartFiling => {
                self.filing = Some(Filing::default());
                self.place_error = None;
                self.place_note = None;
                return Action::Task(iced::widget::operation::focus(FILE_BOX_ID));
            }
            Message::FilingCode(c) => {
                if let Some(f) = self.filing.as_mut() {
                    f.code = c;
                    self.place_error = None;
                }
            }
            Message::CancelFiling => {
                self.filing = None;
                self.place_error = None;
            }
            Message::File => {
                let filed = matches!(self.place, Some(Some(_)));
                let Some(f) = self.filing.as_mut() else { return Action::None };
                if f.saving {
                    return Action::None;
                }
                if filed && !f.confirm_move {
                    // A folder in a box moves only when the clerk says so.
                    f.confirm_move = true;
                    return Action::None;
                }
                f.saving = true;
                self.place_error = None;
                let (no, code, move_it) = (self.no.clone(), f.code.trim().to_string(), f.confirm_move);
                return Action::Task(backend.run(
                    move |s| {
                        let code = (!code.is_empty()).then_some(code);
                        s.file_dossier(&no, code.as_deref(), move_it).map(Box::new)
                    },
                    Message::Filed,
                ));
            }
            Message::Filed(Ok(filed)) => {
                self.filing = None;
                self.place_error = None;
                let p = &filed.placement;
                let mut note = tr.ta(
                    "dossier-filed",
                    &[("box", &p.box_code), ("no", &p.box_no.to_string()), ("item", &p.item_no.to_string())],
                );
                if filed.opened {
                    note = format!("{note} {}", tr.t("dossier-filed-opened"));
                }
                self.place_note = Some(note);
                return Action::Task(Task::batch([
                    load_place(backend, self.no.clone()),
                    self.reload_history(backend),
                ]));
            }
            Message::Filed(Err(f)) => {
                if let Some(filing) = self.filing.as_mut() {
                    filing.saving = false;
                    // Filed meanwhile (another workstation): the move needs the confirmation.
                    if f.key == "file-already-filed" {
                        filing.confirm_move = true;
                    }
                }
                self.place_error = Some(f.message);
            }
            Message::Unfile => {
                let no = self.no.clone();
                self.place_note = None;
                return Action::Task(backend.run(move |s| s.unfile_dossier(&no), Message::Unfiled));
            }
            Message::Unfiled(Ok(())) => {
                self.filing = None;
                self.place_error = None;
                self.place_note = Some(tr.t("dossier-unfiled"));
                return Action::Task(Task::batch([
                    load_place(backend, self.no.clone()),
                    self.reload_history(backend),
                ]));
            }
            Message::Unfiled(Err(f)) => self.place_error = Some(f.message),
            Message::OpenBox(code) => return Action::OpenBox(code),
            Message::Pages(m) => {
                // Files dropped on a closed dossier, or by who may not add papers: not taken.
                let open = self.dossier.as_ref().is_some_and(|d| d.customer.status != Status::Closed);
                if matches!(m, pages::Message::Dropped(_) | pages::Message::Hovered)
                    && !(self.can_edit && open)
                {
                    return Action::None;
                }
                let first_missing = self
                    .dossier
                    .as_ref()
                    .and_then(|d| d.completeness.missing().next().map(|i| i.doc_type.clone()));
                match self.pages.update(m, backend, tr, &self.no, first_missing) {
                    pages::Out::None => {}
                    pages::Out::Task(t) => return Action::Task(t.map(Message::Pages)),
                    pages::Out::Changed(t) => {
                        return Action::Task(Task::batch([
                            t.map(Message::Pages),
                            self.reload_history(backend),
                        ]));
                    }
                }
            }
        }
        Action::None
    }

    /// Reloads the dossier and its history (after a filing, whose audit rows belong to it).
    fn reload_history(&self, backend: &Backend) -> Task<Message> {
        load_dossier(backend, self.no.clone())
    }

    /// Where the folder is: its box (a click shows it), home and current location, the
    /// filing controls, and the movements.
    fn place_view<'a>(&'a self, tr: &Tr, open: bool) -> Element<'a, Message> {
        let mut col = column![text(tr.t("dossier-place-title")).size(18)].spacing(6);
        let line = |label: String, value: Element<'a, Message>| -> Element<'a, Message> {
            row![text(label).width(110).style(theme::muted), value]
                .spacing(12)
                .align_y(iced::Alignment::Center)
                .into()
        };
        let placed = match &self.place {
            None => {
                col = col.push(text("…").style(theme::muted));
                None
            }
            Some(None) => {
                col = col.push(text(tr.t("where-not-filed")).style(theme::muted));
                None
            }
            Some(Some(p)) => {
                col = col.push(line(
                    tr.t("col-box"),
                    row![
                        button(text(format!("{} ›", p.box_code)))
                            .on_press(Message::OpenBox(p.box_code.clone()))
                            .padding([2, 6])
                            .style(button::text),
                        text(tr.ta(
                            "dossier-box-item",
                            &[("no", &p.box_no.to_string()), ("item", &p.item_no.to_string())]
                        )),
                    ]
                    .spacing(6)
                    .align_y(iced::Alignment::Center)
                    .into(),
                ));
                let not_shelved = || tr.t("where-not-shelved");
                col = col
                    .push(line(tr.t("where-home"), text(p.home.clone().unwrap_or_else(not_shelved)).into()));
                col = col.push(line(
                    tr.t("where-current"),
                    text(p.current.clone().unwrap_or_else(not_shelved)).into(),
                ));
                if let Some(out) = &p.folder_out {
                    col = col.push(text(format!("{} {out}", tr.t("where-folder-out"))).style(theme::warning));
                }
                Some(p)
            }
        };
        if self.can_edit && open && self.place.is_some() {
            match &self.filing {
                None => {
                    let mut buttons = row![
                        button(text(tr.t(if placed.is_some() { "dossier-refile" } else { "dossier-file" })))
                            .on_press(Message::StartFiling)
                            .style(button::secondary)
                    ]
                    .spacing(8);
                    if placed.is_some() {
                        buttons = buttons.push(
                            button(text(tr.t("dossier-unfile")))
                                .on_press(Message::Unfile)
                                .style(button::secondary),
                        );
                    }
                    col = col.push(buttons);
                }
                Some(f) => {
                    let mut panel = column![
                        row![
                            text_input(&tr.t("dossier-file-hint"), &f.code)
                                .id(FILE_BOX_ID)
                                .on_input(Message::FilingCode)
                                .on_submit(Message::File),
                            button(text(tr.t(match (placed.is_some(), f.code.trim().is_empty()) {
                                (true, _) => "dossier-refile",
                                (false, true) => "dossier-file-by-rule",
                                (false, false) => "dossier-file",
                            })))
                            .on_press_maybe((!f.saving && !f.confirm_move).then_some(Message::File)),
                            button(text(tr.t("cancel")))
                                .on_press(Message::CancelFiling)
                                .style(button::secondary),
                        ]
                        .spacing(8)
                        .align_y(iced::Alignment::Center),
                    ]
                    .spacing(6);
                    // A fixed slot under the field: the confirmation a move needs.
                    panel = panel.push(match (placed, f.confirm_move) {
                        (Some(p), true) => Element::from(
                            container(
                                row![
                                    text(tr.ta(
                                        "dossier-move-confirm",
                                        &[
                                            ("box", &p.box_code),
                                            (
                                                "to",
                                                &if f.code.trim().is_empty() {
                                                    tr.t("dossier-by-rule")
                                                } else {
                                                    f.code.trim().to_string()
                                                }
                                            )
                                        ]
                                    )),
                                    iced::widget::space::horizontal(),
                                    button(text(tr.t("dossier-move-yes")))
                                        .on_press_maybe((!f.saving).then_some(Message::File))
                                        .style(button::danger),
                                ]
                                .spacing(8)
                                .align_y(iced::Alignment::Center),
                            )
                            .padding(8)
                            .style(theme::warning_box),
                        ),
                        _ => text(tr.t("dossier-file-rule-note")).size(13).style(theme::muted).into(),
                    });
                    col = col.push(panel);
                }
            }
        }
        // One fixed slot: why the last action failed, else what it did.
        col = col.push(match &self.place_error {
            Some(e) => text(e.clone()).size(13).style(theme::error),
            None => text(self.place_note.clone().unwrap_or_default()).size(13).style(theme::success),
        });
        col = col.push(
            container(super::print::dossier_buttons(&self.no, tr, Message::Print)).id(DOSSIER_LABELS_ID),
        );
        col = col.push(super::storage::movements_view(&self.movements, tr));
        container(col).padding(12).style(theme::card).width(Length::Fill).into()
    }

    /// Saves the customer form; an unchanged form just closes.
    fn save_form(&mut self, force: bool, backend: &Backend) -> Action {
        let Some(form) = self.form.as_mut() else { return Action::None };
        let changes = form.changes();
        if changes.is_empty() {
            self.form = None;
            return Action::None;
        }
        form.saving = true;
        let no = self.no.clone();
        Action::Task(backend.run(move |s| s.edit_customer(&no, changes, force).map(drop), Message::Saved))
    }

    /// Adds the new paper, or saves the corrections to one; an unchanged form just closes.
    fn save_paper(&mut self, backend: &Backend) -> Action {
        let Some(paper) = self.paper.as_mut() else { return Action::None };
        let no = self.no.clone();
        let task = match &paper.before {
            None => {
                let new = paper.new_document();
                backend.run(move |s| s.add_document(&no, new).map(drop), Message::Saved)
            }
            Some(before) => {
                let changes = paper.changes();
                if changes.is_empty() {
                    self.paper = None;
                    return Action::None;
                }
                let id = before.id;
                backend.run(move |s| s.edit_document(&no, id, changes).map(drop), Message::Saved)
            }
        };
        paper.saving = true;
        Action::Task(task)
    }

    pub fn view<'a>(&'a self, tr: &Tr) -> Element<'a, Message> {
        let back =
            button(text(format!("← {}", tr.t("dossier-back")))).on_press(Message::Back).style(button::text);
        let Some(d) = &self.dossier else {
            let msg = self.error.clone().unwrap_or_else(|| "…".into());
            return column![back, text(msg)].spacing(12).padding(16).into();
        };
        if let Some(v) =
            self.pages.viewer_view(tr, &d.documents, self.can_edit && d.customer.status != Status::Closed)
        {
            return v.map(Message::Pages);
        }
        if let Some(form) = &self.form {
            let title = format!("{} {}", d.customer.dossier, d.customer.name);
            return column![back, form.view(tr, title).map(Message::Form)]
                .padding(16)
                .height(Length::Fill)
                .into();
        }
        let c = &d.customer;
        let mut actions = row![].spacing(8);
        if self.can_edit && c.status != Status::Closed {
            actions = actions.push(button(text(tr.t("dossier-edit"))).on_press(Message::Edit));
        }
        if self.can_close {
            actions = actions.push(if c.status == Status::Closed {
                button(text(tr.t("dossier-reopen"))).on_press(Message::Reopen).style(button::secondary)
            } else {
                button(text(tr.t("dossier-close-account"))).on_press(Message::Close).style(button::danger)
            });
        }
        let header = row![
            column![
                text(c.name.clone()).size(26),
                text(format!(
                    "{} · {} · {} · {}",
                    c.dossier,
                    c.category_path,
                    tr.t(c.grade.label_key()),
                    tr.t(c.status.label_key())
                ))
                .style(theme::muted),
            ]
            .spacing(4),
            iced::widget::space::horizontal(),
            actions,
        ]
        .align_y(iced::Alignment::Center);

        let line = |label: String, value: String| -> Element<'a, Message> {
            row![text(label).width(110).style(theme::muted), text(value)].spacing(12).into()
        };
        let mut fields = column![
            line(
                tr.t("field-id-number"),
                match (&c.id_number, c.id_kind) {
                    (Some(n), Some(k)) => format!("{n} · {}", tr.t(k.label_key())),
                    (Some(n), None) => n.clone(),
                    (None, _) => "—".into(),
                },
            ),
            line(tr.t("field-phones"), if c.phones.is_empty() { "—".into() } else { c.phones.join("，") }),
            line(tr.t("field-address"), if c.address.is_empty() { "—".into() } else { c.address.clone() }),
            line(tr.t("field-clerk"), c.clerk.clone().unwrap_or_else(|| "—".into())),
        ]
        .spacing(6);
        if !c.former_names.is_empty() {
            fields = fields.push(line(tr.t("field-former-names"), c.former_names.join("，")));
        }
        if c.confidential {
            fields = fields.push(line(tr.t("field-confidential"), tr.t("field-confidential-yes")));
        }
        for f in &d.fields {
            if let Some(v) = c.custom.get(&f.key) {
                let v = match v {
                    serde_json::Value::Bool(b) => tr.t(if *b { "form-yes" } else { "form-no" }),
                    other => other.as_str().map(str::to_string).unwrap_or_else(|| other.to_string()),
                };
                let unit = if f.unit.is_empty() { String::new() } else { format!(" {}", f.unit) };
                fields = fields.push(line(f.key.clone(), format!("{v}{unit}")));
            }
        }
        if !c.notes.is_empty() {
            fields = fields.push(line(tr.t("field-notes"), c.notes.clone()));
        }

        let comp = &d.completeness;
        let mut checklist = column![
            text(tr.ta(
                "completeness",
                &[("present", &comp.present.to_string()), ("required", &comp.required.to_string())]
            ))
            .size(18)
        ]
        .spacing(4);
        let missing: Vec<&str> = comp.missing().map(|i| i.name.as_str()).collect();
        checklist = checklist.push(if missing.is_empty() {
            text(tr.t("completeness-complete")).style(theme::success)
        } else {
            text(tr.ta("completeness-missing", &[("missing", &missing.join("、"))])).style(theme::warning)
        });
        for item in &comp.items {
            let mark = if item.scanned > 0 { "☑" } else { "☐" };
            let state = pages::checklist_state(item, tr);
            let line = text(format!("{mark} {} ×{} · {state}", item.name, item.count)).size(14);
            checklist = checklist.push(if item.scanned > 0 { line } else { line.style(theme::warning) });
        }
        let mut docs_header = row![text(tr.t("documents-title")).size(18)].align_y(iced::Alignment::Center);
        if self.can_edit && self.paper.is_none() {
            docs_header = docs_header.push(iced::widget::space::horizontal()).push(
                container(
                    button(text(tr.t("paper-add"))).on_press(Message::AddPaper).style(button::secondary),
                )
                .id(ADD_PAPER_ID),
            );
        }
        if self.can_edit && self.paper.is_none() && c.status != Status::Closed {
            docs_header = docs_header.push(self.pages.add_button(tr).map(Message::Pages)).spacing(8);
        }
        let mut docs = column![docs_header].spacing(6);
        if let Some(b) = self.pages.banner(tr) {
            docs = docs.push(b.map(Message::Pages));
        }
        let doc_types = self.options.as_ref().map(|o| o.doc_types.as_slice()).unwrap_or_default();
        if let Some(panel) = self.pages.add_panel(tr, doc_types) {
            docs = docs.push(panel.map(Message::Pages));
        }
        if let (Some(p), Some(o)) = (&self.paper, &self.options) {
            docs = docs.push(p.view(tr, &o.doc_types).map(Message::Paper));
        }
        if d.documents.is_empty() {
            docs = docs.push(text(tr.t("no-documents")).style(theme::muted));
        } else {
            docs = docs.push(
                row![
                    text(tr.t("paper-type")).size(13).style(theme::muted).width(Length::FillPortion(3)),
                    text(tr.t("paper-title")).size(13).style(theme::muted).width(Length::FillPortion(4)),
                    text(tr.t("paper-date")).size(13).style(theme::muted).width(Length::FillPortion(2)),
                    text(tr.t("paper-expires")).size(13).style(theme::muted).width(Length::FillPortion(2)),
                    text(tr.t("paper-pages")).size(13).style(theme::muted).width(Length::FillPortion(1)),
                    iced::widget::space::horizontal().width(Length::FillPortion(1)),
                ]
                .spacing(8),
            );
        }
        for doc in &d.documents {
            let day = |x: Option<chrono::NaiveDate>| x.map(|x| x.to_string()).unwrap_or_else(|| "—".into());
            let mut r = row![
                text(doc.doc_type_name.clone()).size(14).width(Length::FillPortion(3)),
                text(doc.title.clone()).size(14).width(Length::FillPortion(4)),
                text(day(doc.date)).size(14).width(Length::FillPortion(2)),
                text(day(doc.expires_on)).size(14).width(Length::FillPortion(2)),
                text(doc.pages.to_string()).size(14).width(Length::FillPortion(1)),
            ]
            .spacing(8)
            .align_y(iced::Alignment::Center);
            r = r.push(if self.can_edit && self.paper.is_none() {
                Element::from(
                    container(
                        button(text(tr.t("paper-edit")).size(13))
                            .on_press(Message::EditPaper(doc.id))
                            .style(button::text),
                    )
                    .id(edit_paper_id(doc.id))
                    .width(Length::FillPortion(1)),
                )
            } else {
                iced::widget::space::horizontal().width(Length::FillPortion(1)).into()
            });
            docs = docs.push(r);
            if let Some(strip) = self.pages.strip(doc, tr) {
                docs = docs.push(strip.map(Message::Pages));
            }
        }
        let mut history = column![text(tr.t("history-title")).size(18)].spacing(4);
        for h in &self.history {
            history = history.push(text(tr.history(h)).size(13).style(theme::muted));
        }

        let mut page = column![back, header].spacing(14);
        if let Some(n) = &self.note {
            page = page.push(text(n.clone()).style(theme::success));
        }
        if let Some(e) = &self.error {
            page = page.push(container(text(e.clone())).padding(10).style(theme::error_box));
        }
        if let Some(reason) = &self.closing {
            page = page.push(
                container(
                    column![
                        text(tr.ta("dossier-close-confirm", &[("dossier", &c.dossier)])),
                        text_input(&tr.t("dossier-close-reason"), reason).on_input(Message::CloseReason),
                        row![
                            button(text(tr.t("dossier-confirm")))
                                .on_press(Message::ConfirmClose)
                                .style(button::danger),
                            button(text(tr.t("cancel")))
                                .on_press(Message::CancelClose)
                                .style(button::secondary),
                        ]
                        .spacing(8)
                    ]
                    .spacing(8),
                )
                .padding(12)
                .style(theme::warning_box),
            );
        }
        page = page.push(
            row![
                container(fields).padding(12).style(theme::card).width(Length::FillPortion(3)),
                container(checklist).padding(12).style(theme::card).width(Length::FillPortion(2)),
            ]
            .spacing(12),
        );
        page = page.push(container(docs).padding(12).style(theme::card).width(Length::Fill));
        page = page.push(self.place_view(tr, c.status != Status::Closed));
        page = page.push(container(history).padding(12).style(theme::card).width(Length::Fill));
        scrollable(page.padding(16)).height(Length::Fill).into()
    }
}
