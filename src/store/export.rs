//! Rows for exports, streamed: each row is handed on as it is read, so an export of a million
//! dossiers never holds them all.

use rusqlite::{Connection, params};

use crate::model::error::Result;

/// Which customers (and their documents) an export takes; as the list's filters.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Category ids (a category and those below it); empty: all.
    pub categories: Vec<i64>,
    pub grade: Option<String>,
    pub status: Option<String>,
    pub clerk_id: Option<i64>,
    pub include_confidential: bool,
    /// Only these dossiers (what a search showed); empty: all.
    pub dossiers: Vec<String>,
}

/// A customer as exported.
#[derive(Debug, Clone)]
pub struct CustomerRow {
    pub dossier: String,
    pub name: String,
    pub id_kind: Option<String>,
    pub id_number: Option<String>,
    /// Every phone, in order, separated by `;`.
    pub phones: String,
    pub address: String,
    pub category_id: i64,
    pub category_code: String,
    pub grade: String,
    pub status: String,
    pub confidential: bool,
    pub clerk: Option<String>,
    pub created_at: String,
    pub closed_at: Option<String>,
    pub notes: String,
    /// The custom fields (JSON object).
    pub custom: String,
}

const WHERE: &str = "(?1 = '[]' OR c.category_id IN (SELECT value FROM json_each(?1)))
           AND (?2 IS NULL OR c.grade = ?2) AND (?3 IS NULL OR c.status = ?3)
           AND (?4 IS NULL OR c.clerk_id = ?4) AND (?5 OR c.confidential = 0)
           AND (?6 = '[]' OR c.dossier_no IN (SELECT value FROM json_each(?6)))";

pub fn for_each_customer(
    conn: &Connection,
    f: &Filter,
    mut each: impl FnMut(CustomerRow) -> Result<()>,
) -> Result<()> {
    let cats = serde_json::to_string(&f.categories).unwrap_or_else(|_| "[]".into());
    let mut stmt = conn.prepare(&format!(
        "SELECT c.dossier_no, c.name, c.id_kind, c.id_number,
                (SELECT group_concat(phone, ';') FROM (SELECT phone FROM customer_phones p
                   WHERE p.customer_id = c.id ORDER BY position)),
                c.address, c.category_id, cat.code, c.grade, c.status, c.confidential,
                u.name, c.created_at, c.closed_at, c.notes, c.custom
         FROM customers c JOIN categories cat ON cat.id = c.category_id
         LEFT JOIN users u ON u.id = c.clerk_id
         WHERE {WHERE}
         ORDER BY c.dossier_no"
    ))?;
    let dossiers = serde_json::to_string(&f.dossiers).unwrap_or_else(|_| "[]".into());
    let mut rows =
        stmt.query(params![cats, f.grade, f.status, f.clerk_id, f.include_confidential, dossiers])?;
    while let Some(r) = rows.next()? {
        each(CustomerRow {
            dossier: r.get(0)?,
            name: r.get(1)?,
            id_kind: r.get(2)?,
            id_number: r.get(3)?,
            phones: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
            address: r.get(5)?,
            category_id: r.get(6)?,
            category_code: r.get(7)?,
            grade: r.get(8)?,
            status: r.get(9)?,
            confidential: r.get(10)?,
            clerk: r.get(11)?,
            created_at: r.get(12)?,
            closed_at: r.get(13)?,
            notes: r.get(14)?,
            custom: r.get(15)?,
        })?;
    }
    Ok(())
}

/// A document as exported, with its dossier.
#[derive(Debug, Clone)]
pub struct DocumentRow {
    pub dossier: String,
    pub name: String,
    pub confidential: bool,
    pub doc_type: String,
    pub title: String,
    pub date: Option<String>,
    pub expires: Option<String>,
    pub pages: i64,
    pub scanned_pages: i64,
    pub notes: String,
    pub created_at: String,
}

pub fn for_each_document(
    conn: &Connection,
    f: &Filter,
    mut each: impl FnMut(DocumentRow) -> Result<()>,
) -> Result<()> {
    let cats = serde_json::to_string(&f.categories).unwrap_or_else(|_| "[]".into());
    let mut stmt = conn.prepare(&format!(
        "SELECT c.dossier_no, c.name, c.confidential, t.name, d.title, d.doc_date, d.expires_on, d.pages,
                (SELECT count(*) FROM pages p WHERE p.document_id = d.id), d.notes, d.created_at
         FROM documents d JOIN customers c ON c.id = d.customer_id JOIN doc_types t ON t.id = d.doc_type_id
         WHERE {WHERE}
         ORDER BY c.dossier_no, d.id"
    ))?;
    let dossiers = serde_json::to_string(&f.dossiers).unwrap_or_else(|_| "[]".into());
    let mut rows =
        stmt.query(params![cats, f.grade, f.status, f.clerk_id, f.include_confidential, dossiers])?;
    while let Some(r) = rows.next()? {
        each(DocumentRow {
            dossier: r.get(0)?,
            name: r.get(1)?,
            confidential: r.get(2)?,
            doc_type: r.get(3)?,
            title: r.get(4)?,
            date: r.get(5)?,
            expires: r.get(6)?,
            pages: r.get(7)?,
            scanned_pages: r.get(8)?,
            notes: r.get(9)?,
            created_at: r.get(10)?,
        })?;
    }
    Ok(())
}

/// The custom fields' keys, in the order the forms show them (each once).
pub fn custom_keys(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt =
        conn.prepare("SELECT key FROM custom_fields GROUP BY key ORDER BY min(sort_order), min(id)")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Category paths by id.
pub fn category_paths(conn: &Connection) -> Result<std::collections::HashMap<i64, String>> {
    super::search::category_paths(conn)
}
