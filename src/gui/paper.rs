//! The paper form in a dossier: add a document (type, title, date, expiry, pages, notes) or
//! correct one's metadata. Dates and pages are checked as typed with the model's own rules;
//! the core checks everything again when saving.

use iced::widget::{button, column, container, pick_list, row, text, text_input};
use iced::{Element, Length};

use super::backend::Failure;
use super::form::{Choice, field};
use super::i18n::Tr;
use super::theme;
use crate::core::customers::{DocumentChanges, NewDocument};
use crate::model::error::Message as Message_;
use crate::model::{DocType, Document};

pub const TITLE_ID: &str = "paper-title";
pub const DATE_ID: &str = "paper-date";
pub const EXPIRES_ID: &str = "paper-expires";
pub const PAGES_ID: &str = "paper-pages";
pub const NOTES_ID: &str = "paper-notes";

/// What the clerk typed and chose.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Values {
    /// The document type's code.
    pub doc_type: Option<String>,
    pub title: String,
    pub date: String,
    pub expires: String,
    pub pages: String,
    pub notes: String,
}

#[derive(Debug, Clone, Default)]
pub struct PaperForm {
    /// The document being edited (`None`: a new one).
    pub before: Option<Document>,
    pub values: Values,
    pristine: Values,
    pub date_error: Option<Message_>,
    pub expires_error: Option<Message_>,
    pub pages_error: Option<String>,
    pub error: Option<String>,
    pub saving: bool,
}

#[derive(Debug, Clone)]
pub enum Message {
    DocType(Choice),
    Title(String),
    Date(String),
    Expires(String),
    Pages(String),
    Notes(String),
    Save,
    Cancel,
}

/// What the form asks its owner to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Save,
    Cancel,
}

fn day(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

fn check_date(s: &str, what: &'static str) -> Option<Message_> {
    (!s.trim().is_empty()).then(|| crate::model::parse_date(s, what).err().map(|e| e.message())).flatten()
}

impl PaperForm {
    /// A new paper, of `doc_type` if given (e.g. the first one the checklist still misses).
    pub fn new(doc_type: Option<String>) -> PaperForm {
        let values = Values { doc_type, ..Default::default() };
        PaperForm { pristine: Values::default(), values, ..Default::default() }
    }

    pub fn edit(d: &Document) -> PaperForm {
        let values = Values {
            doc_type: Some(d.doc_type.clone()),
            title: d.title.clone(),
            date: day(d.date),
            expires: day(d.expires_on),
            pages: d.pages.to_string(),
            notes: d.notes.clone(),
        };
        PaperForm { before: Some(d.clone()), pristine: values.clone(), values, ..Default::default() }
    }

    pub fn is_dirty(&self) -> bool {
        self.values != self.pristine
    }

    /// A barcode scan typed `code` into the focused field: take it out again.
    pub fn strip_scan(&mut self, code: &str) {
        let (v, p) = (&mut self.values, &self.pristine);
        for (s, before) in [
            (&mut v.title, &p.title),
            (&mut v.date, &p.date),
            (&mut v.expires, &p.expires),
            (&mut v.pages, &p.pages),
            (&mut v.notes, &p.notes),
        ] {
            super::form::strip_end(s, before, code);
        }
        let (date, expires, pages) = (v.date.clone(), v.expires.clone(), v.pages.clone());
        self.update(Message::Date(date));
        self.update(Message::Expires(expires));
        self.update(Message::Pages(pages));
    }

    pub fn is_valid(&self) -> bool {
        self.values.doc_type.is_some()
            && self.date_error.is_none()
            && self.expires_error.is_none()
            && self.pages_error.is_none()
    }

    pub fn update(&mut self, message: Message) -> Option<Event> {
        self.error = None;
        let v = &mut self.values;
        match message {
            Message::DocType(c) => v.doc_type = Some(c.value),
            Message::Title(s) => v.title = s,
            Message::Date(s) => {
                self.date_error = check_date(&s, "label-doc-date");
                v.date = s;
            }
            Message::Expires(s) => {
                self.expires_error = check_date(&s, "label-doc-expires");
                v.expires = s;
            }
            Message::Pages(s) => {
                self.pages_error = match s.trim().parse::<i64>() {
                    _ if s.trim().is_empty() => None,
                    Ok(n) if (0..=100_000).contains(&n) => None,
                    _ => Some(s.trim().to_string()),
                };
                v.pages = s;
            }
            Message::Notes(s) => v.notes = s,
            Message::Save => return (self.is_valid() && !self.saving).then_some(Event::Save),
            Message::Cancel => return Some(Event::Cancel),
        }
        None
    }

    fn pages(&self) -> Option<i64> {
        self.values.pages.trim().parse().ok()
    }

    pub fn new_document(&self) -> NewDocument {
        let v = &self.values;
        NewDocument {
            doc_type: v.doc_type.clone().unwrap_or_default(),
            title: v.title.clone(),
            date: Some(v.date.clone()),
            expires_on: Some(v.expires.clone()),
            pages: self.pages(),
            notes: v.notes.clone(),
        }
    }

    /// What changed against the document being edited.
    pub fn changes(&self) -> DocumentChanges {
        let (v, p) = (&self.values, &self.pristine);
        let changed = |a: &String, b: &String| (a.trim() != b.trim()).then(|| a.trim().to_string());
        DocumentChanges {
            doc_type: (v.doc_type != p.doc_type).then(|| v.doc_type.clone()).flatten(),
            title: changed(&v.title, &p.title),
            date: changed(&v.date, &p.date),
            expires_on: changed(&v.expires, &p.expires),
            pages: (v.pages.trim() != p.pages.trim()).then(|| self.pages().unwrap_or(0)),
            notes: changed(&v.notes, &p.notes),
        }
    }

    pub fn refused(&mut self, f: Failure) {
        self.saving = false;
        self.error = Some(f.message);
    }

    pub fn view<'a>(&'a self, tr: &Tr, doc_types: &[DocType]) -> Element<'a, Message> {
        let v = &self.values;
        let types: Vec<Choice> =
            doc_types.iter().map(|t| Choice { value: t.code.clone(), label: t.name.clone() }).collect();
        let selected = types.iter().find(|c| Some(&c.value) == v.doc_type.as_ref()).cloned();
        let pages_error = self.pages_error.as_ref().map(|p| tr.ta("paper-pages-invalid", &[("pages", p)]));
        let title = if self.before.is_some() { tr.t("paper-edit-title") } else { tr.t("paper-add-title") };
        let mut col = column![
            text(title).size(18),
            row![
                container(field(
                    tr.t("paper-type"),
                    true,
                    pick_list(types, selected, Message::DocType)
                        .placeholder(tr.t("form-choose"))
                        .width(Length::Fill)
                        .into(),
                    &None
                ))
                .width(Length::FillPortion(1)),
                container(field(
                    tr.t("paper-title"),
                    false,
                    text_input(&tr.t("paper-title-hint"), &v.title)
                        .id(TITLE_ID)
                        .on_input(Message::Title)
                        .into(),
                    &None
                ))
                .width(Length::FillPortion(2)),
            ]
            .spacing(12),
            row![
                container(field(
                    tr.t("paper-date"),
                    false,
                    text_input(&tr.t("form-date-hint"), &v.date).id(DATE_ID).on_input(Message::Date).into(),
                    &self.date_error.as_ref().map(|m| tr.message(m, false))
                ))
                .width(Length::FillPortion(1)),
                container(field(
                    tr.t("paper-expires"),
                    false,
                    text_input(&tr.t("form-date-hint"), &v.expires)
                        .id(EXPIRES_ID)
                        .on_input(Message::Expires)
                        .into(),
                    &self.expires_error.as_ref().map(|m| tr.message(m, false))
                ))
                .width(Length::FillPortion(1)),
                container(field(
                    tr.t("paper-pages"),
                    false,
                    text_input("0", &v.pages).id(PAGES_ID).on_input(Message::Pages).into(),
                    &pages_error
                ))
                .width(Length::FillPortion(1)),
            ]
            .spacing(12),
            field(
                tr.t("field-notes"),
                false,
                text_input("", &v.notes).id(NOTES_ID).on_input(Message::Notes).into(),
                &None
            ),
        ]
        .spacing(10);
        if let Some(e) = &self.error {
            col = col.push(container(text(e.clone())).padding(10).style(theme::error_box));
        }
        col = col.push(
            row![
                button(text(tr.t("save")))
                    .on_press_maybe((self.is_valid() && !self.saving).then_some(Message::Save)),
                button(text(tr.t("cancel"))).on_press(Message::Cancel).style(button::secondary),
            ]
            .spacing(8),
        );
        container(col).padding(12).style(theme::card).width(Length::Fill).into()
    }
}
