//! Papers in a dossier: added beside the earlier ones, never replacing them; their metadata
//! (type, title, dates, pages, notes) can be corrected afterwards.

use super::clean::*;
use super::*;

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

/// Corrections to a document's metadata; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocumentChanges {
    /// Code or name of the new document type.
    pub doc_type: Option<String>,
    /// `Some("")` sets the type's name as the title.
    pub title: Option<String>,
    /// `Some("")` removes the date.
    pub date: Option<String>,
    /// `Some("")` removes the expiry date.
    pub expires_on: Option<String>,
    pub pages: Option<i64>,
    pub notes: Option<String>,
}

impl DocumentChanges {
    pub fn is_empty(&self) -> bool {
        *self == DocumentChanges::default()
    }
}

/// A date as typed (empty = none).
fn optional_date(s: Option<&str>, what: &str) -> Result<Option<NaiveDate>> {
    s.filter(|s| !s.trim().is_empty()).map(|s| crate::model::parse_date(s, what)).transpose()
}

/// The checks a document's metadata passes, for a new one and after an edit.
fn check_metadata(date: Option<NaiveDate>, expires: Option<NaiveDate>, pages: i64) -> Result<()> {
    if let (Some(a), Some(b)) = (date, expires)
        && b < a
    {
        return Err(Error::usage("doc-expires-before-date").arg("expires", b).arg("date", a));
    }
    if date.is_some_and(|a| a > crate::core::today()) {
        return Err(Error::usage("doc-date-future"));
    }
    if !(0..=100_000).contains(&pages) {
        return Err(Error::usage("doc-pages").arg("pages", pages));
    }
    Ok(())
}

fn not_a_document(id: i64, dossier: &str) -> Error {
    Error::missing("doc-not-found").arg("id", id).arg("dossier", dossier)
}

/// A document just inserted, as it is now: the dossier is touched and the creation audited
/// with the document's state (every way a document is added ends here).
pub(crate) fn record_new_document(
    tx: &rusqlite::Connection,
    audit: &crate::core::session::Auditor<'_>,
    customer_id: i64,
    dossier: &str,
    id: i64,
) -> Result<Document> {
    let doc = db::documents_of(tx, customer_id)?
        .into_iter()
        .find(|x| x.id == id)
        .ok_or_else(|| Error::Db("the new document vanished".into()))?;
    db::touch(tx, customer_id, audit.at)?;
    audit.log(
        tx,
        Change {
            action: "create",
            entity: "document",
            entity_id: &id.to_string(),
            dossier: Some(dossier),
            before: None,
            after: to_json(&doc),
        },
    )?;
    Ok(doc)
}

impl Session {
    /// Adds a document beside the dossier's earlier ones (never replacing them). Allowed on a
    /// closed dossier too: closing produces papers of its own.
    pub fn add_document(&mut self, dossier: &str, d: NewDocument) -> Result<Document> {
        Ok(self.add_document_in(dossier, d, |_, _, _| Ok(()))?.0)
    }

    /// Adds a document and, in the same transaction, runs `then` on it (scans attach their
    /// pages there). A document given no page count counts its scanned pages. Its audit row is
    /// written last, holding the document as it is at the commit.
    pub(crate) fn add_document_in<T>(
        &mut self,
        dossier: &str,
        d: NewDocument,
        then: impl FnOnce(
            &rusqlite::Connection,
            &crate::core::session::Auditor<'_>,
            crate::core::scans::NewDoc<'_>,
        ) -> Result<T>,
    ) -> Result<(Document, T)> {
        self.require(Permission::WriteDossiers)?;
        let (current, _) = self.lib.db.read(|tx| load(tx, dossier))?;
        self.guard_confidential(&current)?;
        let date = optional_date(d.date.as_deref(), "label-doc-date")?;
        let expires = optional_date(d.expires_on.as_deref(), "label-doc-expires")?;
        let pages = d.pages.unwrap_or(0);
        check_metadata(date, expires, pages)?;
        let title = clean_text("label-title", &d.title, 200)?;
        let notes = clean_text("label-notes", &d.notes, MAX_NOTES)?;
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
            let extra = then(
                tx,
                audit,
                crate::core::scans::NewDoc { id, dossier: &current.dossier, doc_type: &ty.code },
            )?;
            if d.pages.is_none() {
                let scanned = store::scans::scanned_count(tx, id)?;
                if scanned > 0 {
                    store::scans::set_document_pages(tx, id, scanned)?;
                }
            }
            let doc = record_new_document(tx, audit, current.id, &current.dossier, id)?;
            Ok((doc, extra))
        })
    }

    /// The documents in a dossier, oldest paper first.
    pub fn documents(&mut self, dossier: &str) -> Result<Vec<Document>> {
        Ok(self.dossier(dossier)?.documents)
    }

    /// Corrects a document's metadata (type, title, dates, pages, notes) in one transaction,
    /// with an audit row holding the document before and after. Allowed on a closed dossier,
    /// like adding.
    pub fn edit_document(&mut self, dossier: &str, id: i64, ch: DocumentChanges) -> Result<Document> {
        if ch.is_empty() {
            return Err(Error::usage("doc-edit-nothing"));
        }
        self.require(Permission::WriteDossiers)?;
        let (current, _) = self.lib.db.read(|tx| load(tx, dossier))?;
        self.guard_confidential(&current)?;
        let title = ch.title.as_deref().map(|t| clean_text("label-title", t, 200)).transpose()?;
        let notes = ch.notes.as_deref().map(|n| clean_text("label-notes", n, MAX_NOTES)).transpose()?;
        let new_date = ch.date.as_deref().map(|s| optional_date(Some(s), "label-doc-date")).transpose()?;
        let new_expires =
            ch.expires_on.as_deref().map(|s| optional_date(Some(s), "label-doc-expires")).transpose()?;
        self.change(Permission::WriteDossiers, |tx, audit| {
            let before = db::documents_of(tx, current.id)?
                .into_iter()
                .find(|x| x.id == id)
                .ok_or_else(|| not_a_document(id, &current.dossier))?;
            let ty = cfg::doc_type(tx, ch.doc_type.as_deref().unwrap_or(&before.doc_type).trim())?;
            let date = new_date.unwrap_or(before.date);
            let expires = new_expires.unwrap_or(before.expires_on);
            let pages = ch.pages.unwrap_or(before.pages);
            check_metadata(date, expires, pages)?;
            let title = match title.as_deref() {
                Some("") => ty.name.clone(),
                Some(t) => t.to_string(),
                None => before.title.clone(),
            };
            let notes = notes.clone().unwrap_or_else(|| before.notes.clone());
            let date_s = date.map(|x| x.to_string());
            let exp_s = expires.map(|x| x.to_string());
            let unchanged = ty.code == before.doc_type
                && title == before.title
                && date == before.date
                && expires == before.expires_on
                && pages == before.pages
                && notes == before.notes;
            if unchanged {
                return Ok(before);
            }
            let found = db::update_document(
                tx,
                id,
                &db::DocRow {
                    customer_id: current.id,
                    doc_type_id: ty.id,
                    title: &title,
                    date: date_s.as_deref(),
                    expires_on: exp_s.as_deref(),
                    pages,
                    notes: &notes,
                    created_at: &before.created_at,
                    created_by: None,
                },
            )?;
            if !found {
                return Err(not_a_document(id, &current.dossier));
            }
            let after = db::documents_of(tx, current.id)?
                .into_iter()
                .find(|x| x.id == id)
                .ok_or_else(|| not_a_document(id, &current.dossier))?;
            db::touch(tx, current.id, audit.at)?;
            audit.log(
                tx,
                Change {
                    action: "update",
                    entity: "document",
                    entity_id: &id.to_string(),
                    dossier: Some(&current.dossier),
                    before: to_json(&before),
                    after: to_json(&after),
                },
            )?;
            Ok(after)
        })
    }
}
