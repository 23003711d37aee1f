//! The customer form, for a new customer and for editing one: validation as you type (the
//! core's own checks: ID check digit, phone shapes), and the duplicate warning that names the
//! existing dossier before saving anyway.

use iced::widget::{button, column, container, row, text, text_input};
use iced::{Element, Length};

use super::i18n::Tr;
use super::theme;
use crate::core::customers::{self, CustomerChanges, NewCustomer};
use crate::model::Customer;

pub const PHONE_ID: &str = "form-phone";

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Form {
    pub name: String,
    pub id_number: String,
    pub phones: String,
    pub address: String,
    pub notes: String,
    pub name_error: Option<String>,
    pub id_error: Option<String>,
    pub phone_error: Option<String>,
    /// The core found a likely duplicate: the existing dossier, shown before "save anyway".
    pub duplicate: Option<String>,
    /// Any other refusal from the core.
    pub error: Option<String>,
    pub saving: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Name(String),
    IdNumber(String),
    Phones(String),
    Address(String),
    Notes(String),
    Save,
    SaveAnyway,
    Cancel,
}

impl Form {
    pub fn from_customer(c: &Customer) -> Form {
        Form {
            name: c.name.clone(),
            id_number: c.id_number.clone().unwrap_or_default(),
            phones: c.phones.join(", "),
            address: c.address.clone(),
            notes: c.notes.clone(),
            ..Default::default()
        }
    }

    /// Applies an edit and re-checks the field. Returns `Some(force)` for Save/SaveAnyway.
    pub fn update(&mut self, message: Message, tr: &Tr) -> Option<bool> {
        self.duplicate = None;
        self.error = None;
        match message {
            Message::Name(s) => {
                self.name_error = customers::clean_name(&s).err().map(|e| tr.error(&e));
                self.name = s;
            }
            Message::IdNumber(s) => {
                self.id_error = (!s.trim().is_empty())
                    .then(|| customers::clean_identity(None, &s).err().map(|e| tr.error(&e)))
                    .flatten();
                self.id_number = s;
            }
            Message::Phones(s) => {
                self.phone_error =
                    customers::clean_phones(&self.phone_list_of(&s)).err().map(|e| tr.error(&e));
                self.phones = s;
            }
            Message::Address(s) => self.address = s,
            Message::Notes(s) => self.notes = s,
            Message::Save => return self.is_valid().then_some(false),
            Message::SaveAnyway => return self.is_valid().then_some(true),
            Message::Cancel => {}
        }
        None
    }

    fn phone_list_of(&self, s: &str) -> Vec<String> {
        s.split([',', '，', ';', '；']).map(str::trim).filter(|p| !p.is_empty()).map(String::from).collect()
    }

    /// The core refused the save: a duplicate becomes the warning, anything else the error.
    pub fn refused(&mut self, f: super::backend::Failure) {
        self.saving = false;
        match f.duplicate_of {
            Some(d) => self.duplicate = Some(d),
            None => self.error = Some(f.message),
        }
    }

    pub fn is_valid(&self) -> bool {
        self.name_error.is_none()
            && self.id_error.is_none()
            && self.phone_error.is_none()
            && !self.name.trim().is_empty()
    }

    pub fn new_customer(&self) -> NewCustomer {
        NewCustomer {
            name: self.name.clone(),
            id_number: (!self.id_number.trim().is_empty()).then(|| self.id_number.clone()),
            phones: self.phone_list_of(&self.phones),
            address: self.address.clone(),
            notes: self.notes.clone(),
            ..Default::default()
        }
    }

    /// The changes against `before` (unchanged fields stay `None`).
    pub fn changes(&self, before: &Customer) -> CustomerChanges {
        let phones = self.phone_list_of(&self.phones);
        CustomerChanges {
            name: (self.name.trim() != before.name).then(|| self.name.clone()),
            id_number: (self.id_number.trim() != before.id_number.as_deref().unwrap_or(""))
                .then(|| self.id_number.clone()),
            phones: (phones != before.phones).then_some(phones),
            address: (self.address != before.address).then(|| self.address.clone()),
            notes: (self.notes != before.notes).then(|| self.notes.clone()),
            ..Default::default()
        }
    }

    pub fn view<'a>(&'a self, tr: &Tr, title: String) -> Element<'a, Message> {
        fn field<'a>(
            label: String,
            input: Element<'a, Message>,
            error: &Option<String>,
        ) -> Element<'a, Message> {
            let mut c = column![text(label).size(13).color(theme::MUTED), input].spacing(4);
            if let Some(e) = error {
                c = c.push(text(e.clone()).size(13).color(iced::color!(0xb42318)));
            }
            c.into()
        }
        let mut form = column![
            text(title).size(22),
            field(
                tr.t("field-name"),
                text_input("", &self.name).on_input(Message::Name).into(),
                &self.name_error
            ),
            field(
                tr.t("field-id-number"),
                text_input("", &self.id_number).on_input(Message::IdNumber).into(),
                &self.id_error
            ),
            field(
                tr.t("field-phones"),
                text_input("", &self.phones).id(PHONE_ID).on_input(Message::Phones).into(),
                &self.phone_error
            ),
            field(
                tr.t("field-address"),
                text_input("", &self.address).on_input(Message::Address).into(),
                &None
            ),
            field(tr.t("field-notes"), text_input("", &self.notes).on_input(Message::Notes).into(), &None),
        ]
        .spacing(12)
        .max_width(640);
        if let Some(d) = &self.duplicate {
            form = form.push(
                container(column![
                    text(tr.ta("duplicate-warning", &[("existing", d)])),
                    button(text(tr.t("save-anyway"))).on_press(Message::SaveAnyway).style(button::danger),
                ])
                .padding(10)
                .style(theme::warning_box),
            );
        }
        if let Some(e) = &self.error {
            form = form.push(container(text(e.clone())).padding(10).style(theme::error_box));
        }
        form = form.push(
            row![
                button(text(tr.t("save")))
                    .on_press_maybe((self.is_valid() && !self.saving).then_some(Message::Save)),
                button(text(tr.t("cancel"))).on_press(Message::Cancel).style(button::secondary),
            ]
            .spacing(8),
        );
        container(form).padding(16).width(Length::Fill).into()
    }
}
