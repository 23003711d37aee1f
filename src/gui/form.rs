//! The customer form, for a new customer and for editing one: every field the CLI offers
//! (name, ID kind and number, phones, address, category, grade, status, responsible clerk,
//! confidential, notes), the chosen category's custom fields as typed inputs and its checklist
//! of required papers. Validation as you type uses the core's own rules (ID check digit, phone
//! shapes, `model::fields::parse_value`); required fields are marked and enforced. A duplicate
//! ID number names the dossier that holds it and offers to open it; only a same name and phone
//! may be saved anyway.

use std::collections::BTreeMap;
use std::sync::Arc;

use iced::widget::{button, checkbox, column, container, pick_list, row, text, text_input};
use iced::{Element, Length};

use super::backend::{Duplicate, Failure};
use super::i18n::Tr;
use super::theme;
use crate::core::Session;
use crate::core::config::CategoryInfo;
use crate::core::customers::{self, CustomerChanges, NewCustomer};
use crate::core::users::Clerk;
use crate::model::error::{DuplicateReason, Message as Message_};
use crate::model::permission::Permission;
use crate::model::{CustomField, Customer, DocType, FieldKind, Grade, IdKind, Status, fields};

pub const NAME_ID: &str = "form-name";
pub const ID_NUMBER_ID: &str = "form-id-number";
pub const PHONE_ID: &str = "form-phone";
pub const ADDRESS_ID: &str = "form-address";
pub const NOTES_ID: &str = "form-notes";

/// The id of a custom field's input.
pub fn field_id(key: &str) -> String {
    format!("form-field-{key}")
}

/// What the form offers to choose from, loaded from the core when it opens.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub categories: Vec<CategoryInfo>,
    pub doc_types: Vec<DocType>,
    pub users: Vec<Clerk>,
    pub default_category: Option<String>,
    /// The user may mark a dossier confidential (the core checks it again).
    pub may_mark_confidential: bool,
}

impl Options {
    pub fn category(&self, code: &str) -> Option<&CategoryInfo> {
        self.categories.iter().find(|c| c.category.code == code)
    }

    pub fn doc_type_name<'a>(&'a self, code: &'a str) -> &'a str {
        self.doc_types.iter().find(|t| t.code == code).map(|t| t.name.as_str()).unwrap_or(code)
    }
}

/// Loads the form's choices (runs on a worker thread).
pub fn options(s: &mut Session) -> Result<Arc<Options>, crate::core::Error> {
    let config = s.configuration()?;
    // A viewer opening a dossier gets no clerks to choose from (nor any form to use them in).
    let users = if s.may(Permission::WriteDossiers) { s.clerks()? } else { Vec::new() };
    Ok(Arc::new(Options {
        categories: config.categories,
        doc_types: config.doc_types,
        users,
        default_category: config.default_category,
        may_mark_confidential: s.may(Permission::CloseDossiers),
    }))
}

/// One entry of a pick list: the value kept, the label shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

impl std::fmt::Display for Choice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label)
    }
}

/// What the clerk typed and chose: compared with the values at opening to tell unsaved edits.
#[derive(Debug, Clone, PartialEq)]
pub struct Values {
    pub name: String,
    /// `None`: guessed from the number's shape.
    pub id_kind: Option<IdKind>,
    pub id_number: String,
    pub phones: String,
    pub address: String,
    /// The category's code; `None` until the choices are loaded (the library's default then).
    pub category: Option<String>,
    pub grade: Grade,
    pub status: Status,
    /// Login name; `None`: no responsible clerk.
    pub clerk: Option<String>,
    pub confidential: bool,
    pub notes: String,
    /// Custom field values as typed, by key.
    pub custom: BTreeMap<String, String>,
}

impl Default for Values {
    fn default() -> Values {
        Values {
            name: String::new(),
            id_kind: None,
            id_number: String::new(),
            phones: String::new(),
            address: String::new(),
            category: None,
            grade: Grade::General,
            status: Status::Active,
            clerk: None,
            confidential: false,
            notes: String::new(),
            custom: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Form {
    pub values: Values,
    /// The values when the form opened.
    pristine: Values,
    /// The customer being edited (`None` for a new one).
    pub before: Option<Customer>,
    pub options: Option<Arc<Options>>,
    /// What is wrong with a field, as the core's rule says it (rendered in the view, in the
    /// app's language).
    pub name_error: Option<Message_>,
    pub id_error: Option<Message_>,
    pub phone_error: Option<Message_>,
    /// Custom field errors, by key.
    pub field_errors: BTreeMap<String, Message_>,
    /// The core found a duplicate: the existing dossier and why (same ID number, or same name
    /// and phone; only the latter may be saved anyway).
    pub duplicate: Option<Duplicate>,
    /// Any other refusal from the core.
    pub error: Option<String>,
    pub saving: bool,
    /// The clerk has confirmed that the values the new category has no field for may go.
    pub confirm_drop: bool,
}

#[derive(Debug, Clone)]
pub enum Message {
    Options(Result<Arc<Options>, Failure>),
    Name(String),
    IdKind(Choice),
    IdNumber(String),
    Phones(String),
    Address(String),
    Category(Choice),
    Grade(Choice),
    Status(Choice),
    Clerk(Choice),
    Confidential(bool),
    Notes(String),
    /// A custom field's input, `(key, value)`.
    Field(String, String),
    Save,
    SaveAnyway,
    Cancel,
    /// Open the dossier that holds the duplicate ID number.
    OpenDuplicate(String),
    /// Confirms (or not) dropping the values the new category has no field for.
    ConfirmDrop(bool),
}

/// What the form asks its owner to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// Save; `true`: despite a same name and phone.
    Save(bool),
    Cancel,
    Open(String),
}

/// A stored custom value as the form shows it.
fn raw_value(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Bool(true) => "是".into(),
        serde_json::Value::Bool(false) => "否".into(),
        other => other.to_string(),
    }
}

/// Removes `code` from the end of `s` if the clerk changed `s` (it differs from `before`).
pub(crate) fn strip_end(s: &mut String, before: &str, code: &str) {
    if !code.is_empty() && s != before && s.ends_with(code) {
        let keep = s.len() - code.len();
        s.truncate(keep);
    }
}

fn phone_list(s: &str) -> Vec<String> {
    s.split([',', '，', ';', '；', '、']).map(str::trim).filter(|p| !p.is_empty()).map(String::from).collect()
}

impl Form {
    /// A new customer's form; `clerk` (the logged-in user) is the responsible clerk until
    /// changed.
    pub fn new(clerk: &str) -> Form {
        let values = Values { clerk: Some(clerk.to_string()), ..Default::default() };
        Form { pristine: values.clone(), values, ..Default::default() }
    }

    pub fn from_customer(c: &Customer) -> Form {
        let values = Values {
            name: c.name.clone(),
            id_kind: c.id_kind,
            id_number: c.id_number.clone().unwrap_or_default(),
            phones: c.phones.join(", "),
            address: c.address.clone(),
            category: Some(c.category.clone()),
            grade: c.grade,
            status: c.status,
            clerk: c.clerk.clone(),
            confidential: c.confidential,
            notes: c.notes.clone(),
            custom: c.custom.iter().map(|(k, v)| (k.clone(), raw_value(v))).collect(),
        };
        Form { pristine: values.clone(), values, before: Some(c.clone()), ..Default::default() }
    }

    /// The form has changes not yet saved.
    pub fn is_dirty(&self) -> bool {
        self.values != self.pristine
    }

    /// The chosen category's custom fields (inherited ones included), once the choices are in.
    pub fn fields(&self) -> &[CustomField] {
        self.category_info().map(|c| c.fields.as_slice()).unwrap_or(&[])
    }

    fn category_info(&self) -> Option<&CategoryInfo> {
        let code = self.values.category.as_deref()?;
        self.options.as_deref()?.category(code)
    }

    /// Applies an edit and re-checks the field; returns what the owner must do, if anything.
    pub fn update(&mut self, message: Message) -> Option<Event> {
        if !matches!(message, Message::Options(_)) {
            self.duplicate = None;
            self.error = None;
        }
        let v = &mut self.values;
        match message {
            Message::Options(Ok(o)) => {
                if self.values.category.is_none() {
                    let default = o
                        .default_category
                        .clone()
                        .or_else(|| o.categories.first().map(|c| c.category.code.clone()));
                    self.values.category = default.clone();
                    self.pristine.category = default;
                }
                self.options = Some(o);
                self.check_fields();
            }
            Message::Options(Err(f)) => self.error = Some(f.message),
            Message::Name(s) => {
                self.name_error = customers::clean_name(&s).err().map(|e| e.message());
                v.name = s;
            }
            Message::IdKind(c) => {
                v.id_kind = c.value.parse().ok();
                self.check_id();
            }
            Message::IdNumber(s) => {
                v.id_number = s;
                self.check_id();
            }
            Message::Phones(s) => {
                self.phone_error = customers::clean_phones(&phone_list(&s)).err().map(|e| e.message());
                v.phones = s;
            }
            Message::Address(s) => v.address = s,
            Message::Category(c) => {
                v.category = Some(c.value);
                self.confirm_drop = false;
                self.check_fields();
            }
            Message::ConfirmDrop(b) => self.confirm_drop = b,
            Message::Grade(c) => v.grade = c.value.parse().unwrap_or(v.grade),
            Message::Status(c) => v.status = c.value.parse().unwrap_or(v.status),
            Message::Clerk(c) => v.clerk = Some(c.value).filter(|s| !s.is_empty()),
            Message::Confidential(b) => v.confidential = b,
            Message::Notes(s) => v.notes = s,
            Message::Field(key, raw) => {
                v.custom.insert(key, raw);
                self.check_fields();
            }
            Message::Save => return (self.is_valid() && !self.saving).then_some(Event::Save(false)),
            Message::SaveAnyway => return (self.is_valid() && !self.saving).then_some(Event::Save(true)),
            Message::Cancel => return Some(Event::Cancel),
            Message::OpenDuplicate(no) => return Some(Event::Open(no)),
        }
        None
    }

    /// A barcode scan typed `code` into whichever field had the focus: take it out again (only
    /// from a field the clerk changed and that now ends with it), and check the fields anew.
    pub fn strip_scan(&mut self, code: &str) {
        let (v, p) = (&mut self.values, &self.pristine);
        for (s, before) in [
            (&mut v.name, &p.name),
            (&mut v.id_number, &p.id_number),
            (&mut v.phones, &p.phones),
            (&mut v.address, &p.address),
            (&mut v.notes, &p.notes),
        ] {
            strip_end(s, before, code);
        }
        for (k, s) in v.custom.iter_mut() {
            strip_end(s, p.custom.get(k).map(String::as_str).unwrap_or(""), code);
        }
        v.custom.retain(|k, s| !s.is_empty() || p.custom.contains_key(k));
        self.name_error = (!self.values.name.is_empty())
            .then(|| customers::clean_name(&self.values.name).err().map(|e| e.message()))
            .flatten();
        self.phone_error =
            customers::clean_phones(&phone_list(&self.values.phones)).err().map(|e| e.message());
        self.check_id();
        self.check_fields();
    }

    fn check_id(&mut self) {
        let v = &self.values;
        self.id_error = (!v.id_number.trim().is_empty())
            .then(|| customers::clean_identity(v.id_kind, &v.id_number).err().map(|e| e.message()))
            .flatten();
    }

    /// Checks every custom field of the chosen category with the core's parser.
    fn check_fields(&mut self) {
        let mut errors = BTreeMap::new();
        for f in self.fields() {
            let raw = self.values.custom.get(&f.key).map(String::as_str).unwrap_or("");
            if let Err(e) = fields::parse_value(f, raw) {
                errors.insert(f.key.clone(), e.message());
            }
        }
        self.field_errors = errors;
    }

    /// Required custom fields still empty.
    pub fn missing_required(&self) -> Vec<&str> {
        self.fields()
            .iter()
            .filter(|f| f.required && f.kind != FieldKind::Bool)
            .filter(|f| self.values.custom.get(&f.key).is_none_or(|v| v.trim().is_empty()))
            .map(|f| f.key.as_str())
            .collect()
    }

    /// Values the customer has that the chosen category has no field for: saving drops them
    /// (the audit log keeps them).
    pub fn dropped_values(&self) -> Vec<(String, String)> {
        let (Some(before), Some(_)) = (&self.before, &self.options) else { return Vec::new() };
        let fields = self.fields();
        before
            .custom
            .iter()
            .filter(|(k, _)| !fields.iter().any(|f| &f.key == *k))
            .map(|(k, v)| (k.clone(), raw_value(v)))
            .collect()
    }

    /// The core refused the save: a duplicate becomes the warning, anything else the error.
    pub fn refused(&mut self, f: Failure) {
        self.saving = false;
        match f.duplicate {
            Some(d) => self.duplicate = Some(d),
            None => self.error = Some(f.message),
        }
    }

    pub fn is_valid(&self) -> bool {
        self.name_error.is_none()
            && self.id_error.is_none()
            && self.phone_error.is_none()
            && self.field_errors.is_empty()
            && !self.values.name.trim().is_empty()
            && self.options.is_some()
            && self.missing_required().is_empty()
            && (self.confirm_drop || self.dropped_values().is_empty())
    }

    /// Custom field values to send: those of the chosen category that are set (for a new
    /// customer) or changed (for an edit); a required yes/no left alone counts as "no".
    fn field_values(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for f in self.fields() {
            let mut raw = self.values.custom.get(&f.key).cloned().unwrap_or_default();
            if f.kind == FieldKind::Bool && f.required && raw.is_empty() {
                raw = "否".into();
            }
            let before = match &self.before {
                Some(c) => c.custom.get(&f.key).map(raw_value).unwrap_or_default(),
                None => String::new(),
            };
            if raw.trim() != before.trim() {
                out.push((f.key.clone(), raw));
            }
        }
        out
    }

    pub fn new_customer(&self) -> NewCustomer {
        let v = &self.values;
        NewCustomer {
            name: v.name.clone(),
            id_number: (!v.id_number.trim().is_empty()).then(|| v.id_number.clone()),
            id_kind: v.id_kind,
            phones: phone_list(&v.phones),
            address: v.address.clone(),
            category: v.category.clone(),
            grade: Some(v.grade),
            status: Some(v.status),
            confidential: v.confidential,
            clerk: Some(v.clerk.clone().unwrap_or_default()),
            notes: v.notes.clone(),
            fields: self.field_values(),
        }
    }

    /// The changes against the customer being edited (unchanged fields stay `None`).
    pub fn changes(&self) -> CustomerChanges {
        let Some(before) = &self.before else { return CustomerChanges::default() };
        let v = &self.values;
        let p = &self.pristine;
        let phones = phone_list(&v.phones);
        let id_changed = v.id_number.trim() != p.id_number.trim();
        CustomerChanges {
            name: (v.name.trim() != before.name).then(|| v.name.clone()),
            id_number: id_changed.then(|| v.id_number.clone()),
            id_kind: (v.id_kind != p.id_kind || id_changed).then_some(v.id_kind).flatten(),
            phones: (phones != before.phones).then_some(phones),
            address: (v.address != before.address).then(|| v.address.clone()),
            category: (v.category != p.category).then(|| v.category.clone()).flatten(),
            grade: (v.grade != before.grade).then_some(v.grade),
            status: (v.status != before.status).then_some(v.status),
            confidential: (v.confidential != before.confidential).then_some(v.confidential),
            clerk: (v.clerk != before.clerk).then(|| v.clerk.clone().unwrap_or_default()),
            notes: (v.notes != before.notes).then(|| v.notes.clone()),
            fields: self.field_values(),
            drop_fields: self.confirm_drop,
            ..Default::default()
        }
    }

    pub fn view<'a>(&'a self, tr: &Tr, title: String) -> Element<'a, Message> {
        let v = &self.values;
        // Save and cancel at the top, with what stops or refuses the save: a long form (many
        // custom fields) scrolls, these stay in sight.
        let mut form = column![
            row![
                text(title).size(22),
                iced::widget::space::horizontal(),
                button(text(tr.t("save")))
                    .on_press_maybe((self.is_valid() && !self.saving).then_some(Message::Save)),
                button(text(tr.t("cancel"))).on_press(Message::Cancel).style(button::secondary),
            ]
            .spacing(8)
            .align_y(iced::Alignment::Center)
        ]
        .spacing(12)
        .max_width(720);
        // Notices come and go as the clerk types: they live in one slot of their own, so the
        // inputs below keep their place in the widget tree (and the focus stays where it is).
        let mut notices = column![].spacing(8);
        if let Some(d) = &self.duplicate {
            notices = notices.push(duplicate_box(tr, d));
        }
        if let Some(e) = &self.error {
            notices = notices.push(container(text(e.clone())).padding(10).style(theme::error_box));
        }
        let missing = self.missing_required();
        if !missing.is_empty() && self.options.is_some() {
            notices = notices.push(
                text(tr.ta("form-required-missing", &[("fields", &missing.join("、"))]))
                    .size(13)
                    .style(theme::warning),
            );
        }
        form = form.push(notices);
        form = form.push(field(
            tr.t("field-name"),
            true,
            text_input("", &v.name).id(NAME_ID).on_input(Message::Name).into(),
            &self.name_error.as_ref().map(|m| tr.message(m, false)),
        ));
        let kinds: Vec<Choice> =
            std::iter::once(Choice { value: String::new(), label: tr.t("form-id-kind-auto") })
                .chain(
                    IdKind::ALL
                        .iter()
                        .map(|k| Choice { value: k.as_str().into(), label: tr.t(k.label_key()) }),
                )
                .collect();
        let kind = kinds.iter().find(|c| c.value == v.id_kind.map(|k| k.as_str()).unwrap_or("")).cloned();
        form = form.push(
            row![
                container(field(
                    tr.t("form-id-kind"),
                    false,
                    pick_list(kinds, kind, Message::IdKind).width(Length::Fill).into(),
                    &None
                ))
                .width(Length::FillPortion(1)),
                container(field(
                    tr.t("field-id-number"),
                    false,
                    text_input("", &v.id_number).id(ID_NUMBER_ID).on_input(Message::IdNumber).into(),
                    &self.id_error.as_ref().map(|m| tr.message(m, false))
                ))
                .width(Length::FillPortion(2)),
            ]
            .spacing(12),
        );
        form = form.push(
            row![
                container(field(
                    tr.t("field-phones"),
                    false,
                    text_input(&tr.t("form-phones-hint"), &v.phones)
                        .id(PHONE_ID)
                        .on_input(Message::Phones)
                        .into(),
                    &self.phone_error.as_ref().map(|m| tr.message(m, false)),
                ))
                .width(Length::FillPortion(1)),
                container(field(
                    tr.t("field-address"),
                    false,
                    text_input("", &v.address).id(ADDRESS_ID).on_input(Message::Address).into(),
                    &None,
                ))
                .width(Length::FillPortion(2)),
            ]
            .spacing(12),
        );
        form = form.push(self.classification(tr));
        form = form.push(self.custom_fields(tr));
        form = form.push(field(
            tr.t("field-notes"),
            false,
            text_input("", &v.notes).id(NOTES_ID).on_input(Message::Notes).into(),
            &None,
        ));
        iced::widget::scrollable(container(form).padding(16).width(Length::Fill)).height(Length::Fill).into()
    }

    /// Category, grade, status, clerk, confidential; the category's checklist; what a change of
    /// category would drop.
    fn classification<'a>(&'a self, tr: &Tr) -> Element<'a, Message> {
        let v = &self.values;
        let Some(options) = self.options.as_deref() else {
            return text(tr.t("form-loading")).style(theme::warning).into();
        };
        let cats: Vec<Choice> = options
            .categories
            .iter()
            .map(|c| Choice { value: c.category.code.clone(), label: c.category.path.clone() })
            .collect();
        let cat = cats.iter().find(|c| Some(&c.value) == v.category.as_ref()).cloned();
        let grades: Vec<Choice> = Grade::ALL
            .iter()
            .map(|g| Choice { value: g.as_str().into(), label: tr.t(g.label_key()) })
            .collect();
        let grade = grades.iter().find(|c| c.value == v.grade.as_str()).cloned();
        let statuses: Vec<Choice> = [Status::Potential, Status::Active]
            .iter()
            .map(|s| Choice { value: s.as_str().into(), label: tr.t(s.label_key()) })
            .collect();
        let status = statuses.iter().find(|c| c.value == v.status.as_str()).cloned();
        let mut clerks = vec![Choice { value: String::new(), label: tr.t("form-no-clerk") }];
        clerks.extend(
            options.users.iter().map(|u| Choice {
                value: u.name.clone(),
                label: format!("{}（{}）", u.display_name, u.name),
            }),
        );
        if let Some(c) = &v.clerk
            && !clerks.iter().any(|x| &x.value == c)
        {
            clerks.push(Choice { value: c.clone(), label: c.clone() });
        }
        let clerk = clerks.iter().find(|c| c.value == v.clerk.as_deref().unwrap_or("")).cloned();
        let mut confidential = checkbox(v.confidential).label(tr.t("form-confidential"));
        if options.may_mark_confidential {
            confidential = confidential.on_toggle(Message::Confidential);
        }
        let mut col = column![
            row![
                container(field(
                    tr.t("field-category"),
                    true,
                    pick_list(cats, cat, Message::Category).width(Length::Fill).into(),
                    &None
                ))
                .width(Length::FillPortion(2)),
                container(field(
                    tr.t("field-grade"),
                    false,
                    pick_list(grades, grade, Message::Grade).width(Length::Fill).into(),
                    &None
                ))
                .width(Length::FillPortion(1)),
                container(field(
                    tr.t("field-status"),
                    false,
                    pick_list(statuses, status, Message::Status).width(Length::Fill).into(),
                    &None
                ))
                .width(Length::FillPortion(1)),
            ]
            .spacing(12),
            row![
                container(field(
                    tr.t("field-clerk"),
                    false,
                    pick_list(clerks, clerk, Message::Clerk).width(Length::Fill).into(),
                    &None
                ))
                .width(Length::FillPortion(2)),
                container(confidential).padding([24, 0]).width(Length::FillPortion(2)),
            ]
            .spacing(12),
        ]
        .spacing(12);
        if let Some(info) = self.category_info() {
            let names: Vec<&str> = info.required.iter().map(|c| options.doc_type_name(c)).collect();
            let list = if names.is_empty() { tr.t("form-checklist-none") } else { names.join("、") };
            col = col.push(
                container(text(tr.ta("form-checklist", &[("papers", &list)])).size(14))
                    .padding(8)
                    .style(theme::card)
                    .width(Length::Fill),
            );
        }
        let dropped = self.dropped_values();
        if !dropped.is_empty() {
            let list: Vec<String> = dropped.iter().map(|(k, v)| format!("{k}＝{v}")).collect();
            col = col.push(
                container(
                    column![
                        text(tr.ta("form-category-drops", &[("values", &list.join("，"))])),
                        checkbox(self.confirm_drop)
                            .label(tr.t("form-category-drops-confirm"))
                            .on_toggle(Message::ConfirmDrop),
                    ]
                    .spacing(6),
                )
                .padding(10)
                .style(theme::warning_box),
            );
        }
        col.into()
    }

    /// The chosen category's custom fields, typed: text, numbers and dates as text inputs
    /// checked as typed, choices as pick lists, yes/no as checkboxes.
    fn custom_fields<'a>(&'a self, tr: &Tr) -> Element<'a, Message> {
        let mut col = column![].spacing(12);
        let mut group = "";
        for f in self.fields() {
            if f.group != group && !f.group.is_empty() {
                col = col.push(text(f.group.clone()).size(16));
            }
            group = &f.group;
            let raw = self.values.custom.get(&f.key).cloned().unwrap_or_default();
            let key = f.key.clone();
            let label = if f.unit.is_empty() { f.key.clone() } else { format!("{}（{}）", f.key, f.unit) };
            let input: Element<'a, Message> = match f.kind {
                FieldKind::Choice => {
                    let mut options: Vec<Choice> =
                        f.options.iter().map(|o| Choice { value: o.clone(), label: o.clone() }).collect();
                    if !f.required {
                        options.insert(0, Choice { value: String::new(), label: tr.t("form-choice-none") });
                    }
                    let selected = options.iter().find(|c| c.value == raw).cloned();
                    pick_list(options, selected, move |c: Choice| Message::Field(key.clone(), c.value))
                        .placeholder(tr.t("form-choose"))
                        .width(Length::Fill)
                        .into()
                }
                FieldKind::Bool => checkbox(matches!(raw.as_str(), "是" | "有" | "yes" | "true" | "1"))
                    .label(tr.t("form-yes"))
                    .on_toggle(move |b| Message::Field(key.clone(), if b { "是" } else { "否" }.into()))
                    .into(),
                FieldKind::Date => text_input(&tr.t("form-date-hint"), &raw)
                    .id(field_id(&f.key))
                    .on_input(move |s| Message::Field(key.clone(), s))
                    .into(),
                FieldKind::Text | FieldKind::Integer | FieldKind::Decimal => text_input("", &raw)
                    .id(field_id(&f.key))
                    .on_input(move |s| Message::Field(key.clone(), s))
                    .into(),
            };
            let error = self.field_errors.get(&f.key).map(|m| tr.message(m, false));
            col = col.push(field(label, f.required, input, &error));
        }
        col.into()
    }
}

/// A labelled input with its error under it; required ones carry a mark.
pub fn field<'a, M: 'a>(
    label: String,
    required: bool,
    input: Element<'a, M>,
    error: &Option<String>,
) -> Element<'a, M> {
    let label = if required { format!("{label} *") } else { label };
    let mut c = column![text(label).size(13).style(theme::muted), input].spacing(4);
    if let Some(e) = error {
        c = c.push(text(e.clone()).size(13).style(theme::error));
    }
    c.into()
}

/// A same ID number: who holds it and a button to open that dossier, no override. A same name
/// and phone: who it may be, and "save anyway". A confidential dossier the user may not see is
/// neither named nor offered to open.
fn duplicate_box<'a>(tr: &Tr, d: &Duplicate) -> Element<'a, Message> {
    let content = match (d.reason, d.hidden) {
        (DuplicateReason::SameIdNumber, true) => column![text(tr.t("form-duplicate-id-hidden"))],
        (DuplicateReason::SameNameAndPhone, true) => column![
            text(tr.t("duplicate-warning-hidden")),
            button(text(tr.t("save-anyway"))).on_press(Message::SaveAnyway).style(button::danger),
        ],
        (DuplicateReason::SameIdNumber, false) => column![
            text(tr.ta("form-duplicate-id", &[("dossier", &d.dossier), ("name", &d.name)])),
            button(text(tr.ta("form-open-dossier", &[("dossier", &d.dossier)])))
                .on_press(Message::OpenDuplicate(d.dossier.clone())),
        ],
        (DuplicateReason::SameNameAndPhone, false) => column![
            text(tr.ta("duplicate-warning", &[("existing", &format!("{} {}", d.dossier, d.name))])),
            row![
                button(text(tr.ta("form-open-dossier", &[("dossier", &d.dossier)])))
                    .on_press(Message::OpenDuplicate(d.dossier.clone()))
                    .style(button::secondary),
                button(text(tr.t("save-anyway"))).on_press(Message::SaveAnyway).style(button::danger),
            ]
            .spacing(8),
        ],
    };
    container(content.spacing(8)).padding(10).style(theme::warning_box).into()
}
