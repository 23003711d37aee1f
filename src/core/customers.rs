//! Customers and their dossiers: register (with the duplicate guard), open, list, edit,
//! close/reopen, and add documents. One write transaction and its audit rows per action.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use crate::core::error::{DuplicateReason, Error, Result};
use crate::core::fields;
use crate::core::ids;
use crate::core::model::{
    ChecklistItem, Completeness, Customer, CustomerSummary, Document, Dossier, Grade, IdKind, Status,
};
use crate::core::permission::Permission;
use crate::core::session::{Change, Session, to_json};
use crate::store::{self, config as cfg, customers as db};

const MAX_NAME: usize = 100;
const MAX_ADDRESS: usize = 200;
const MAX_NOTES: usize = 2000;
const MAX_PHONES: usize = 10;

/// A customer to register.
#[derive(Debug, Clone, Default)]
pub struct NewCustomer {
    pub name: String,
    pub id_number: Option<String>,
    /// Guessed from the number's shape when not given.
    pub id_kind: Option<IdKind>,
    pub phones: Vec<String>,
    pub address: String,
    /// Code or name; the library's default category when not given.
    pub category: Option<String>,
    pub grade: Option<Grade>,
    pub status: Option<Status>,
    pub confidential: bool,
    /// Login name of the responsible clerk; the registering user when not given.
    pub clerk: Option<String>,
    pub notes: String,
    /// Custom field values, `(key, value)`.
    pub fields: Vec<(String, String)>,
}

/// Changes to a customer; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct CustomerChanges {
    pub name: Option<String>,
    /// `Some("")` removes the ID number.
    pub id_number: Option<String>,
    pub id_kind: Option<IdKind>,
    /// Replaces all phones.
    pub phones: Option<Vec<String>>,
    pub add_phones: Vec<String>,
    pub remove_phones: Vec<String>,
    pub address: Option<String>,
    pub category: Option<String>,
    pub grade: Option<Grade>,
    pub status: Option<Status>,
    pub confidential: Option<bool>,
    /// `Some("")` removes the responsible clerk.
    pub clerk: Option<String>,
    pub notes: Option<String>,
    pub fields: Vec<(String, String)>,
}

impl CustomerChanges {
    pub fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.id_number.is_none()
            && self.id_kind.is_none()
            && self.phones.is_none()
            && self.add_phones.is_empty()
            && self.remove_phones.is_empty()
            && self.address.is_none()
            && self.category.is_none()
            && self.grade.is_none()
            && self.status.is_none()
            && self.confidential.is_none()
            && self.clerk.is_none()
            && self.notes.is_none()
            && self.fields.is_empty()
    }
}

/// A document to add to a dossier.
#[derive(Debug, Clone, Default)]
pub struct NewDocument {
    /// Code or name of the document type.
    pub doc_type: String,
    /// The type's name when empty.
    pub title: String,
    pub date: Option<String>,
    pub expires_on: Option<String>,
    pub pages: Option<i64>,
    pub notes: String,
}

/// Filters for listing dossiers.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub category: Option<String>,
    pub grade: Option<Grade>,
    pub status: Option<Status>,
    pub clerk: Option<String>,
    pub limit: usize,
    pub offset: usize,
}

fn check_len(what: &str, s: &str, max: usize) -> Result<()> {
    if s.chars().count() > max {
        return Err(Error::invalid(format!("{what} is longer than {max} characters: shorten it")));
    }
    Ok(())
}

pub fn clean_name(name: &str) -> Result<String> {
    let name = ids::normalize_name(name);
    if name.is_empty() {
        return Err(Error::invalid(
            "the customer's name (户名) is empty: give the name on the ID card or licence",
        ));
    }
    check_len("the name", &name, MAX_NAME)?;
    Ok(name)
}

/// Validates an ID number and returns `(kind, canonical number)`. Without a kind, an 18- or
/// 15-digit number is read as a resident ID, else as a social credit code; anything else needs
/// the kind given.
pub fn clean_identity(kind: Option<IdKind>, number: &str) -> Result<(IdKind, String)> {
    let trimmed = number.trim();
    match kind {
        Some(IdKind::Resident) => Ok((IdKind::Resident, ids::normalize_resident_id(trimmed)?)),
        Some(IdKind::Uscc) => Ok((IdKind::Uscc, ids::normalize_uscc(trimmed)?)),
        Some(k @ (IdKind::Passport | IdKind::Other)) => {
            let s: String = ids::to_halfwidth(trimmed).chars().filter(|c| !c.is_whitespace()).collect();
            let s = s.to_uppercase();
            if s.is_empty() || s.len() > 32 || !s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                return Err(Error::invalid(format!(
                    "{} number {number:?} must be 1–32 letters, digits or '-'",
                    k.label_zh()
                )));
            }
            Ok((k, s))
        }
        None if ids::looks_like_resident_id(trimmed) => match ids::normalize_resident_id(trimmed) {
            Ok(n) => Ok((IdKind::Resident, n)),
            Err(resident_err) => match ids::normalize_uscc(trimmed) {
                Ok(n) if ids::looks_like_uscc(trimmed) => Ok((IdKind::Uscc, n)),
                _ => Err(resident_err.into()),
            },
        },
        None if ids::looks_like_uscc(trimmed) => Ok((IdKind::Uscc, ids::normalize_uscc(trimmed)?)),
        None => Err(Error::invalid(format!(
            "{number:?} is neither a resident ID (18 or 15 digits) nor a social credit code (18 characters): \
             check it, or say what it is with --id-kind passport|other"
        ))),
    }
}

pub fn clean_phones(phones: &[String]) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for p in phones.iter().flat_map(|p| p.split([',', '，', ';', '；'])) {
        if p.trim().is_empty() {
            continue;
        }
        let p = ids::normalize_phone(p)?;
        if !out.contains(&p) {
            out.push(p);
        }
    }
    if out.len() > MAX_PHONES {
        return Err(Error::invalid(format!("at most {MAX_PHONES} phone numbers per customer")));
    }
    Ok(out)
}

fn clean_text(what: &str, s: &str, max: usize) -> Result<String> {
    let s = s.trim().to_string();
    check_len(what, &s, max)?;
    Ok(s)
}

/// Refuses a likely duplicate: the same ID number always; the same name and phone unless forced.
fn duplicate_guard(
    tx: &rusqlite::Connection,
    id_number: Option<&str>,
    name_key: &str,
    phones: &[String],
    except: i64,
    force: bool,
) -> Result<()> {
    if let Some(n) = id_number
        && let Some((existing, existing_name)) = db::by_id_number(tx, n, except)?
    {
        return Err(Error::Duplicate { reason: DuplicateReason::SameIdNumber, existing, existing_name });
    }
    if !force && let Some((existing, existing_name)) = db::by_name_and_phone(tx, name_key, phones, except)? {
        return Err(Error::Duplicate { reason: DuplicateReason::SameNameAndPhone, existing, existing_name });
    }
    Ok(())
}

fn clerk_id(tx: &rusqlite::Connection, clerk: &str) -> Result<Option<i64>> {
    if clerk.trim().is_empty() {
        return Ok(None);
    }
    store::users::by_name(tx, clerk.trim())?.map(|(u, _)| Some(u.id)).ok_or_else(|| {
        Error::not_found("user", clerk, "The responsible clerk must be a user: see `dangan user list`.")
    })
}

fn load(tx: &rusqlite::Connection, dossier: &str) -> Result<(Customer, i64)> {
    db::get(tx, dossier.trim())?.ok_or_else(|| {
        Error::not_found(
            "dossier",
            dossier.trim(),
            "Check the number (e.g. KH-2026-000123), or find it with `dangan customer list`.",
        )
    })
}

fn completeness(tx: &rusqlite::Connection, category_id: i64, docs: &[Document]) -> Result<Completeness> {
    let items: Vec<ChecklistItem> = cfg::required_doc_types(tx, category_id)?
        .into_iter()
        .map(|t| ChecklistItem {
            count: docs.iter().filter(|d| d.doc_type == t.code).count(),
            doc_type: t.code,
            name: t.name,
        })
        .collect();
    Ok(Completeness { present: items.iter().filter(|i| i.count > 0).count(), required: items.len(), items })
}

/// A dossier number that is not yet taken.
fn next_dossier_no(tx: &rusqlite::Connection, year: i32) -> Result<String> {
    let rule = cfg::numbering(tx)?;
    let scope = rule.scope(year);
    loop {
        let no = rule.format(year, cfg::next_in_sequence(tx, &scope)?);
        if db::get(tx, &no)?.is_none() {
            return Ok(no);
        }
    }
}

impl Session {
    /// Refuses to touch a confidential dossier without the permission (and audits the attempt).
    fn guard_confidential(&mut self, c: &Customer) -> Result<()> {
        if !c.confidential {
            return Ok(());
        }
        let Err(err) = self.require(Permission::ViewConfidential) else { return Ok(()) };
        let at = crate::core::now();
        let user = self.user.name.clone();
        self.lib.write(|tx| {
            crate::core::session::record(
                tx,
                &user,
                &at,
                Change {
                    action: "view_denied",
                    entity: "customer",
                    entity_id: &c.dossier,
                    dossier: Some(&c.dossier),
                    before: None,
                    after: None,
                },
            )
        })?;
        Err(err)
    }

    pub fn add_customer(&mut self, new: NewCustomer, force: bool) -> Result<Customer> {
        let name = clean_name(&new.name)?;
        let name_key = ids::name_key(&name);
        let identity = match new.id_number.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(n) => Some(clean_identity(new.id_kind, n)?),
            None => None,
        };
        let phones = clean_phones(&new.phones)?;
        let address = clean_text("the address", &new.address, MAX_ADDRESS)?;
        let notes = clean_text("the notes", &new.notes, MAX_NOTES)?;
        let status = new.status.unwrap_or(Status::Active);
        if status == Status::Closed {
            return Err(Error::invalid("a new customer cannot start closed: register it, then close it"));
        }
        if new.confidential {
            self.require(Permission::CloseDossiers)?;
        }
        let clerk = new.clerk.clone().unwrap_or_else(|| self.user.name.clone());
        self.change(Permission::WriteDossiers, |tx, audit| {
            let category = match &new.category {
                Some(c) => cfg::category(tx, c)?,
                None => {
                    let code = store::get_meta(tx, cfg::DEFAULT_CATEGORY_KEY)?.unwrap_or_default();
                    cfg::category(tx, &code)?
                }
            };
            let custom = fields::apply(&cfg::fields_for(tx, category.id)?, &BTreeMap::new(), &new.fields)?;
            duplicate_guard(tx, identity.as_ref().map(|i| i.1.as_str()), &name_key, &phones, -1, force)?;
            let dossier = next_dossier_no(tx, crate::core::today().year())?;
            let custom_json = serde_json::to_string(&custom).unwrap_or_else(|_| "{}".into());
            let id = db::insert(
                tx,
                &db::Row {
                    dossier: &dossier,
                    name: &name,
                    name_key: &name_key,
                    former_names: "[]",
                    id_kind: identity.as_ref().map(|i| i.0),
                    id_number: identity.as_ref().map(|i| i.1.as_str()),
                    address: &address,
                    category_id: category.id,
                    grade: new.grade.unwrap_or(Grade::General),
                    status,
                    confidential: new.confidential,
                    clerk_id: clerk_id(tx, &clerk)?,
                    notes: &notes,
                    custom: &custom_json,
                    created_at: audit.at,
                    updated_at: audit.at,
                    closed_at: None,
                },
            )?;
            db::insert_phones(tx, id, &phones)?;
            let (customer, _) = load(tx, &dossier)?;
            audit.log(
                tx,
                Change {
                    action: "create",
                    entity: "customer",
                    entity_id: &dossier,
                    dossier: Some(&dossier),
                    before: None,
                    after: to_json(&customer),
                },
            )?;
            Ok(customer)
        })
    }

    /// Opens a dossier: the customer, documents, checklist completeness and custom fields.
    /// Opening a confidential dossier is audited.
    pub fn dossier(&mut self, dossier: &str) -> Result<Dossier> {
        self.require(Permission::ReadDossiers)?;
        let (customer, category_id) = self.lib.db.read(|tx| load(tx, dossier))?;
        self.guard_confidential(&customer)?;
        let out = self.lib.db.read(|tx| {
            let documents = db::documents_of(tx, customer.id)?;
            let completeness = completeness(tx, category_id, &documents)?;
            let fields = cfg::fields_for(tx, category_id)?;
            Ok(Dossier { customer: customer.clone(), documents, completeness, fields })
        })?;
        if customer.confidential {
            let at = crate::core::now();
            let user = self.user.name.clone();
            self.lib.write(|tx| {
                crate::core::session::record(
                    tx,
                    &user,
                    &at,
                    Change {
                        action: "view",
                        entity: "customer",
                        entity_id: &customer.dossier,
                        dossier: Some(&customer.dossier),
                        before: None,
                        after: None,
                    },
                )
            })?;
        }
        Ok(out)
    }

    /// How many dossiers the library holds.
    pub fn customer_count(&mut self) -> Result<i64> {
        self.require(Permission::ReadDossiers)?;
        db::count(self.lib.db.conn())
    }

    /// Dossiers matching the filters, by dossier number. Confidential dossiers are left out for
    /// users who may not open them.
    pub fn list_customers(&mut self, q: &ListQuery) -> Result<Vec<CustomerSummary>> {
        self.require(Permission::ReadDossiers)?;
        let include_confidential = self.may(Permission::ViewConfidential);
        self.lib.db.read(|tx| {
            let categories = match &q.category {
                Some(c) => cfg::subtree_ids(tx, c)?,
                None => Vec::new(),
            };
            let clerk_id = match &q.clerk {
                Some(c) => clerk_id(tx, c)?,
                None => None,
            };
            db::list(
                tx,
                &db::ListFilter {
                    categories,
                    grade: q.grade,
                    status: q.status,
                    clerk_id,
                    include_confidential,
                    limit: if q.limit == 0 { 50 } else { q.limit.min(10_000) },
                    offset: q.offset,
                },
            )
        })
    }

    pub fn edit_customer(&mut self, dossier: &str, ch: CustomerChanges, force: bool) -> Result<Customer> {
        if ch.is_empty() {
            return Err(Error::invalid("nothing to change: give at least one field to change, e.g. --phone"));
        }
        self.require(Permission::WriteDossiers)?;
        let (current, _) = self.lib.db.read(|tx| load(tx, dossier))?;
        self.guard_confidential(&current)?;
        if ch.confidential.is_some_and(|c| c != current.confidential) || ch.status == Some(Status::Closed) {
            self.require(Permission::CloseDossiers)?;
        }
        if ch.status == Some(Status::Closed) {
            return Err(Error::invalid(format!(
                "close a dossier with `dangan customer close {}`",
                current.dossier
            )));
        }
        if current.status == Status::Closed {
            return Err(Error::refused(format!(
                "dossier {} is closed (销户){}: reopen it first with `dangan customer reopen {}`",
                current.dossier,
                current
                    .closed_at
                    .as_deref()
                    .map(|d| format!(" since {}", &d[..10.min(d.len())]))
                    .unwrap_or_default(),
                current.dossier
            )));
        }
        let mut next = current.clone();
        if let Some(n) = &ch.name {
            let n = clean_name(n)?;
            if n != current.name {
                if !next.former_names.contains(&current.name) {
                    next.former_names.push(current.name.clone());
                }
                next.former_names.retain(|f| f != &n);
                next.name = n;
            }
        }
        if let Some(n) = &ch.id_number {
            if n.trim().is_empty() {
                next.id_kind = None;
                next.id_number = None;
            } else {
                let (k, n) = clean_identity(ch.id_kind, n)?;
                next.id_kind = Some(k);
                next.id_number = Some(n);
            }
        } else if let Some(k) = ch.id_kind {
            let Some(n) = &current.id_number else {
                return Err(Error::invalid("--id-kind needs --id-number: this customer has no ID number"));
            };
            let (k, n) = clean_identity(Some(k), n)?;
            next.id_kind = Some(k);
            next.id_number = Some(n);
        }
        if let Some(p) = &ch.phones {
            next.phones = clean_phones(p)?;
        }
        for p in clean_phones(&ch.add_phones)? {
            if !next.phones.contains(&p) {
                next.phones.push(p);
            }
        }
        for p in clean_phones(&ch.remove_phones)? {
            if !next.phones.contains(&p) {
                return Err(Error::invalid(format!("{p} is not one of this customer's phones")));
            }
            next.phones.retain(|x| x != &p);
        }
        if next.phones.len() > MAX_PHONES {
            return Err(Error::invalid(format!("at most {MAX_PHONES} phone numbers per customer")));
        }
        if let Some(a) = &ch.address {
            next.address = clean_text("the address", a, MAX_ADDRESS)?;
        }
        if let Some(n) = &ch.notes {
            next.notes = clean_text("the notes", n, MAX_NOTES)?;
        }
        if let Some(g) = ch.grade {
            next.grade = g;
        }
        if let Some(s) = ch.status {
            next.status = s;
        }
        if let Some(c) = ch.confidential {
            next.confidential = c;
        }
        if let Some(c) = &ch.clerk {
            next.clerk = Some(c.trim().to_string()).filter(|c| !c.is_empty());
        }
        self.change(Permission::WriteDossiers, |tx, audit| {
            let category = match &ch.category {
                Some(c) => cfg::category(tx, c)?,
                None => cfg::category(tx, &current.category)?,
            };
            next.category = category.code.clone();
            next.category_path = category.path.clone();
            next.custom = fields::apply(&cfg::fields_for(tx, category.id)?, &current.custom, &ch.fields)?;
            if next == current {
                return Ok(current.clone());
            }
            let name_key = ids::name_key(&next.name);
            duplicate_guard(tx, next.id_number.as_deref(), &name_key, &next.phones, current.id, force)?;
            let former = serde_json::to_string(&next.former_names).unwrap_or_else(|_| "[]".into());
            let custom = serde_json::to_string(&next.custom).unwrap_or_else(|_| "{}".into());
            db::update(
                tx,
                current.id,
                &db::Row {
                    dossier: &current.dossier,
                    name: &next.name,
                    name_key: &name_key,
                    former_names: &former,
                    id_kind: next.id_kind,
                    id_number: next.id_number.as_deref(),
                    address: &next.address,
                    category_id: category.id,
                    grade: next.grade,
                    status: next.status,
                    confidential: next.confidential,
                    clerk_id: match &next.clerk {
                        Some(c) => clerk_id(tx, c)?,
                        None => None,
                    },
                    notes: &next.notes,
                    custom: &custom,
                    created_at: &current.created_at,
                    updated_at: audit.at,
                    closed_at: None,
                },
            )?;
            if next.phones != current.phones {
                db::replace_phones(tx, current.id, &next.phones)?;
            }
            let (after, _) = load(tx, &current.dossier)?;
            audit.log(
                tx,
                Change {
                    action: "update",
                    entity: "customer",
                    entity_id: &current.dossier,
                    dossier: Some(&current.dossier),
                    before: to_json(&current),
                    after: to_json(&after),
                },
            )?;
            Ok(after)
        })
    }

    fn set_closed(&mut self, dossier: &str, close: bool, reason: &str) -> Result<Customer> {
        self.require(Permission::CloseDossiers)?;
        let reason = clean_text("the reason", reason, MAX_NOTES)?;
        self.change(Permission::CloseDossiers, |tx, audit| {
            let (current, category_id) = load(tx, dossier)?;
            match (close, current.status) {
                (true, Status::Closed) => {
                    return Err(Error::refused(format!(
                        "dossier {} is already closed (销户)",
                        current.dossier
                    )));
                }
                (false, s) if s != Status::Closed => {
                    return Err(Error::refused(format!(
                        "dossier {} is not closed: nothing to reopen",
                        current.dossier
                    )));
                }
                _ => {}
            }
            let former = serde_json::to_string(&current.former_names).unwrap_or_else(|_| "[]".into());
            let custom = serde_json::to_string(&current.custom).unwrap_or_else(|_| "{}".into());
            let clerk = match &current.clerk {
                Some(c) => clerk_id(tx, c)?,
                None => None,
            };
            db::update(
                tx,
                current.id,
                &db::Row {
                    dossier: &current.dossier,
                    name: &current.name,
                    name_key: &ids::name_key(&current.name),
                    former_names: &former,
                    id_kind: current.id_kind,
                    id_number: current.id_number.as_deref(),
                    address: &current.address,
                    category_id,
                    grade: current.grade,
                    status: if close { Status::Closed } else { Status::Active },
                    confidential: current.confidential,
                    clerk_id: clerk,
                    notes: &current.notes,
                    custom: &custom,
                    created_at: &current.created_at,
                    updated_at: audit.at,
                    closed_at: close.then_some(audit.at),
                },
            )?;
            let (after, _) = load(tx, &current.dossier)?;
            let mut after_json = serde_json::to_value(&after).unwrap_or_default();
            if !reason.is_empty() {
                after_json["reason"] = serde_json::Value::String(reason.clone());
            }
            audit.log(
                tx,
                Change {
                    action: if close { "close" } else { "reopen" },
                    entity: "customer",
                    entity_id: &current.dossier,
                    dossier: Some(&current.dossier),
                    before: to_json(&current),
                    after: Some(after_json.to_string()),
                },
            )?;
            Ok(after)
        })
    }

    /// Closes the account (销户). The dossier stays, with all its papers and history.
    pub fn close_customer(&mut self, dossier: &str, reason: &str) -> Result<Customer> {
        self.set_closed(dossier, true, reason)
    }

    pub fn reopen_customer(&mut self, dossier: &str, reason: &str) -> Result<Customer> {
        self.set_closed(dossier, false, reason)
    }

    /// Adds a document beside the dossier's earlier ones (never replacing them). Allowed on a
    /// closed dossier too: closing produces papers of its own.
    pub fn add_document(&mut self, dossier: &str, d: NewDocument) -> Result<Document> {
        self.require(Permission::WriteDossiers)?;
        let (current, _) = self.lib.db.read(|tx| load(tx, dossier))?;
        self.guard_confidential(&current)?;
        let date = d
            .date
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|s| crate::core::parse_date(s, "--date"))
            .transpose()?;
        let expires: Option<NaiveDate> = d
            .expires_on
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|s| crate::core::parse_date(s, "--expires"))
            .transpose()?;
        if let (Some(a), Some(b)) = (date, expires)
            && b < a
        {
            return Err(Error::invalid(format!("the expiry date {b} is before the document's date {a}")));
        }
        if date.is_some_and(|a| a > crate::core::today()) {
            return Err(Error::invalid("the document's date is in the future: check --date"));
        }
        let pages = d.pages.unwrap_or(0);
        if !(0..=100_000).contains(&pages) {
            return Err(Error::invalid(format!("page count {pages} must be between 0 and 100000")));
        }
        let title = clean_text("the title", &d.title, 200)?;
        let notes = clean_text("the notes", &d.notes, MAX_NOTES)?;
        self.change(Permission::WriteDossiers, |tx, audit| {
            let ty = cfg::doc_type(tx, d.doc_type.trim())?;
            let title = if title.is_empty() { ty.name.clone() } else { title.clone() };
            let date_s = date.map(|x| x.to_string());
            let exp_s = expires.map(|x| x.to_string());
            let id = db::insert_document(
                tx,
                &db::DocRow {
                    customer_id: current.id,
                    doc_type_id: ty.id,
                    title: &title,
                    date: date_s.as_deref(),
                    expires_on: exp_s.as_deref(),
                    pages,
                    notes: &notes,
                    created_at: audit.at,
                    created_by: Some(audit.user_id),
                },
            )?;
            let doc = db::documents_of(tx, current.id)?
                .into_iter()
                .find(|x| x.id == id)
                .ok_or_else(|| Error::invalid("the new document vanished"))?;
            db::touch(tx, current.id, audit.at)?;
            audit.log(
                tx,
                Change {
                    action: "create",
                    entity: "document",
                    entity_id: &id.to_string(),
                    dossier: Some(&current.dossier),
                    before: None,
                    after: to_json(&doc),
                },
            )?;
            Ok(doc)
        })
    }
}
