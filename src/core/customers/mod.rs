//! Customers and their dossiers: register (with the duplicate guard), open, list, edit,
//! close/reopen, and add documents. One write transaction and its audit rows per action.
//!
//! `clean` holds the input rules, `register` the new customer and its duplicate guard, `read`
//! opening and listing, `edit` changes, `lifecycle` closing and reopening, `documents` papers.

mod clean;
mod documents;
mod edit;
mod lifecycle;
mod read;
pub(crate) mod register;

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use crate::core::session::{Change, Session, to_json};
use crate::model::error::{DuplicateReason, Error, Result};
use crate::model::fields;
use crate::model::ids;
use crate::model::permission::Permission;
use crate::model::{
    ChecklistItem, Completeness, Customer, CustomerSummary, Document, Dossier, Grade, IdKind, Status,
};
use crate::store::{self, config as cfg, customers as db};
pub(super) const MAX_NAME: usize = 100;
pub(super) const MAX_ADDRESS: usize = 200;
pub(super) const MAX_NOTES: usize = 2000;
pub(super) const MAX_PHONES: usize = 10;

pub use clean::{clean_identity, clean_name, clean_phones};
pub(crate) use documents::record_new_document;
pub use documents::{DocumentChanges, NewDocument};

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
    /// With a new category: drop the values of fields it does not have (else refused).
    pub drop_fields: bool,
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

pub(super) fn clerk_id(tx: &rusqlite::Connection, clerk: &str) -> Result<Option<i64>> {
    if clerk.trim().is_empty() {
        return Ok(None);
    }
    store::users::by_name(tx, clerk.trim())?
        .map(|(u, _)| Some(u.id))
        .ok_or_else(|| Error::missing("clerk-not-found").arg("name", clerk))
}

/// A clerk's user id by name (for the other services' filters).
pub(crate) fn clerk_id_of(tx: &rusqlite::Connection, clerk: &str) -> Result<Option<i64>> {
    clerk_id(tx, clerk)
}

/// A customer by dossier number (for the other services).
pub(crate) fn load_customer(tx: &rusqlite::Connection, dossier: &str) -> Result<(Customer, i64)> {
    load(tx, dossier)
}

pub(super) fn load(tx: &rusqlite::Connection, dossier: &str) -> Result<(Customer, i64)> {
    db::get(tx, dossier.trim())?
        .ok_or_else(|| Error::missing("dossier-not-found").arg("dossier", dossier.trim()))
}

pub(super) fn completeness(
    tx: &rusqlite::Connection,
    category_id: i64,
    docs: &[Document],
) -> Result<Completeness> {
    let items: Vec<ChecklistItem> = cfg::required_doc_types(tx, category_id)?
        .into_iter()
        .map(|t| ChecklistItem {
            count: docs.iter().filter(|d| d.doc_type == t.code).count(),
            scanned: docs.iter().filter(|d| d.doc_type == t.code && d.scanned_pages > 0).count(),
            doc_type: t.code,
            name: t.name,
        })
        .collect();
    Ok(Completeness {
        present: items.iter().filter(|i| i.scanned > 0).count(),
        required: items.len(),
        items,
        missing_fields: Vec::new(),
    })
}

impl Session {
    /// An action the duplicate guard refused because of a confidential dossier this user may
    /// not see (`denied`, see `register::duplicate_guard`): the refusal is audited as
    /// `view_denied` on that dossier, in its own transaction after the action's was rolled back.
    /// The error the user gets names no dossier.
    pub(super) fn audit_denied_duplicate<T>(
        &mut self,
        result: Result<T>,
        denied: Option<String>,
    ) -> Result<T> {
        let (Err(err), Some(dossier)) = (&result, denied) else { return result };
        if !matches!(err, Error::Duplicate { .. }) {
            return result;
        }
        self.record_view_denied(&dossier)?;
        result
    }

    fn record_view_denied(&mut self, dossier: &str) -> Result<()> {
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
                    entity_id: dossier,
                    dossier: Some(dossier),
                    before: None,
                    after: None,
                },
            )
        })
    }

    /// Refuses to touch a confidential dossier without the permission (and audits the attempt).
    /// Refuses (and audits) opening a confidential dossier without the permission to see it.
    pub(crate) fn guard_dossier(&mut self, c: &Customer) -> Result<()> {
        self.guard_confidential(c)
    }

    pub(crate) fn guard_confidential(&mut self, c: &Customer) -> Result<()> {
        if !c.confidential {
            return Ok(());
        }
        let Err(err) = self.require(Permission::ViewConfidential) else { return Ok(()) };
        self.record_view_denied(&c.dossier)?;
        Err(err)
    }
}
