//! One dossier: the customer's fields, the papers with the category's checklist and its
//! completeness (5/7, missing items named), the history (audit trail), editing and 销户.

use iced::widget::{button, column, container, row, scrollable, text, text_input};
use iced::{Element, Length, Task};

use super::backend::{Backend, Failure};
use super::form::{self, Form};
use super::i18n::Tr;
use super::theme;
use crate::core::session::AuditQuery;
use crate::model::{AuditEntry, Dossier, Status};

#[derive(Debug)]
pub struct DossierView {
    pub no: String,
    pub dossier: Option<Dossier>,
    pub history: Vec<AuditEntry>,
    pub error: Option<String>,
    pub form: Option<Form>,
    pub closing: Option<String>,
    pub can_edit: bool,
    pub can_close: bool,
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Message {
    Loaded(Result<Box<(Dossier, Vec<AuditEntry>)>, Failure>),
    Edit,
    Form(form::Message),
    Saved(Result<(), Failure>),
    Back,
    Close,
    CancelClose,
    CloseReason(String),
    ConfirmClose,
    Reopen,
}

#[derive(Debug)]
pub enum Action {
    None,
    Task(Task<Message>),
    Back,
}

pub fn load(backend: &Backend, no: String) -> Task<Message> {
    backend.run(
        move |s| {
            let d = s.dossier(&no)?;
            let history =
                s.audit_log(&AuditQuery { dossier: Some(no.clone()), limit: 50, ..Default::default() })?;
            Ok(Box::new((d, history)))
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
            error: None,
            form: None,
            closing: None,
            can_edit,
            can_close,
            note: None,
        }
    }

    pub fn update(&mut self, message: Message, backend: &Backend, tr: &Tr) -> Action {
        match message {
            Message::Loaded(Ok(loaded)) => {
                let (d, h) = *loaded;
                self.no = d.customer.dossier.clone();
                self.dossier = Some(d);
                self.history = h;
                self.error = None;
            }
            Message::Loaded(Err(f)) => self.error = Some(f.message),
            Message::Edit => {
                if let Some(d) = &self.dossier {
                    self.form = Some(Form::from_customer(&d.customer));
                    self.note = None;
                }
            }
            Message::Form(form::Message::Cancel) => self.form = None,
            Message::Form(m) => {
                let (Some(form), Some(d)) = (self.form.as_mut(), self.dossier.as_ref()) else {
                    return Action::None;
                };
                if let Some(force) = form.update(m, tr) {
                    let changes = form.changes(&d.customer);
                    if changes.is_empty() {
                        self.form = None;
                        return Action::None;
                    }
                    form.saving = true;
                    let no = self.no.clone();
                    return Action::Task(
                        backend.run(move |s| s.edit_customer(&no, changes, force).map(drop), Message::Saved),
                    );
                }
            }
            Message::Saved(Ok(_)) => {
                self.form = None;
                self.closing = None;
                self.note = Some(tr.t("saved"));
                return Action::Task(load(backend, self.no.clone()));
            }
            Message::Saved(Err(f)) => {
                if let Some(form) = self.form.as_mut() {
                    form.refused(f);
                } else {
                    self.error = Some(f.message);
                }
            }
            Message::Back => return Action::Back,
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
        }
        Action::None
    }

    pub fn view<'a>(&'a self, tr: &Tr) -> Element<'a, Message> {
        let back =
            button(text(format!("← {}", tr.t("dossier-back")))).on_press(Message::Back).style(button::text);
        let Some(d) = &self.dossier else {
            let msg = self.error.clone().unwrap_or_else(|| "…".into());
            return column![back, text(msg)].spacing(12).padding(16).into();
        };
        if let Some(form) = &self.form {
            let title = format!("{} {}", d.customer.dossier, d.customer.name);
            return column![back, form.view(tr, title).map(Message::Form)].padding(16).into();
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
                .color(theme::MUTED),
            ]
            .spacing(4),
            iced::widget::space::horizontal(),
            actions,
        ]
        .align_y(iced::Alignment::Center);

        let line = |label: String, value: String| -> Element<'a, Message> {
            row![text(label).width(110).color(theme::MUTED), text(value)].spacing(12).into()
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
                let v = v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string());
                fields = fields.push(line(f.key.clone(), format!("{v}{}", f.unit)));
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
            text(tr.t("completeness-complete")).color(iced::color!(0x2f7d4f))
        } else {
            text(tr.ta("completeness-missing", &[("missing", &missing.join("、"))]))
                .color(iced::color!(0xb7791f))
        });
        for item in &comp.items {
            let mark = if item.count > 0 { "☑" } else { "☐" };
            checklist = checklist.push(text(format!("{mark} {} ×{}", item.name, item.count)).size(14));
        }
        let mut docs = column![text(tr.t("documents-title")).size(18)].spacing(4);
        if d.documents.is_empty() {
            docs = docs.push(text(tr.t("no-documents")).color(theme::MUTED));
        }
        for doc in &d.documents {
            let date = doc.date.map(|d| d.to_string()).unwrap_or_default();
            let expires = doc.expires_on.map(|d| format!(" → {d}")).unwrap_or_default();
            docs = docs.push(text(format!("{} · {} {date}{expires}", doc.doc_type_name, doc.title)).size(14));
        }
        let mut history = column![text(tr.t("history-title")).size(18)].spacing(4);
        for h in &self.history {
            history = history.push(text(tr.history(h)).size(13).color(theme::MUTED));
        }

        let mut page = column![back, header].spacing(14);
        if let Some(n) = &self.note {
            page = page.push(text(n.clone()).color(iced::color!(0x2f7d4f)));
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
        page = page.push(container(history).padding(12).style(theme::card).width(Length::Fill));
        scrollable(page.padding(16)).height(Length::Fill).into()
    }
}
