//! Papers in a dossier: added beside the earlier ones, never replacing them.

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

impl Session {
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
            .map(|s| crate::model::parse_date(s, "label-doc-date"))
            .transpose()?;
        let expires: Option<NaiveDate> = d
            .expires_on
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|s| crate::model::parse_date(s, "label-doc-expires"))
            .transpose()?;
        if let (Some(a), Some(b)) = (date, expires)
            && b < a
        {
            return Err(Error::usage("doc-expires-before-date").arg("expires", b).arg("date", a));
        }
        if date.is_some_and(|a| a > crate::core::today()) {
            return Err(Error::usage("doc-date-future"));
        }
        let pages = d.pages.unwrap_or(0);
        if !(0..=100_000).contains(&pages) {
            return Err(Error::usage("doc-pages").arg("pages", pages));
        }
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
            let doc = db::documents_of(tx, current.id)?
                .into_iter()
                .find(|x| x.id == id)
                .ok_or_else(|| Error::Db("the new document vanished".into()))?;
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
