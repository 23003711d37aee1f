//! Bulk reads and counts for a loader that attaches scanned pages to a new library (the demo):
//! what each dossier's papers are, and what the scans phase wrote. The rows themselves go in
//! through `store::scans` (`insert_file`, `insert_page`, `set_text`: cached statements) inside
//! the caller's transaction.

use rusqlite::{Connection, params};

use super::Tx;
use crate::model::error::Result;

/// A registered paper, as scanning it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaperInput {
    pub document_id: i64,
    pub doc_type: String,
    pub doc_type_name: String,
    pub title: String,
    /// Its pages as registered (the scan has as many).
    pub pages: i64,
}

/// A dossier with its papers, in registration (id) order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DossierInput {
    pub customer_id: i64,
    pub dossier: String,
    pub name: String,
    pub created_at: String,
    pub address: String,
    pub papers: Vec<PaperInput>,
}

/// Every dossier with its papers (documents in id order), in id order.
pub fn dossier_inputs(conn: &Connection) -> Result<Vec<DossierInput>> {
    let mut out: Vec<DossierInput> = Vec::new();
    let mut st =
        conn.prepare("SELECT id, dossier_no, name, created_at, address FROM customers ORDER BY id")?;
    let rows = st.query_map([], |r| {
        Ok(DossierInput {
            customer_id: r.get(0)?,
            dossier: r.get(1)?,
            name: r.get(2)?,
            created_at: r.get(3)?,
            address: r.get(4)?,
            papers: Vec::new(),
        })
    })?;
    for r in rows {
        out.push(r?);
    }
    let mut st = conn.prepare(
        "SELECT d.customer_id, d.id, t.code, t.name, d.title, max(d.pages, 1)
         FROM documents d JOIN doc_types t ON t.id = d.doc_type_id ORDER BY d.customer_id, d.id",
    )?;
    let rows = st.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            PaperInput {
                document_id: r.get(1)?,
                doc_type: r.get(2)?,
                doc_type_name: r.get(3)?,
                title: r.get(4)?,
                pages: r.get(5)?,
            },
        ))
    })?;
    // Both lists are in customer id order: walk them together.
    let mut i = 0;
    for r in rows {
        let (customer_id, paper) = r?;
        while i < out.len() && out[i].customer_id < customer_id {
            i += 1;
        }
        if let Some(d) = out.get_mut(i).filter(|d| d.customer_id == customer_id) {
            d.papers.push(paper);
        }
    }
    Ok(out)
}

/// What the scans phase leaves: stored files, their bytes, pages filed, pages in the inbox,
/// pages with text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScanCounts {
    pub files: i64,
    pub bytes: i64,
    pub filed: i64,
    pub inbox: i64,
    pub with_text: i64,
}

pub fn scan_counts(tx: Tx<'_>) -> Result<ScanCounts> {
    tx.query_row(
        "SELECT (SELECT count(*) FROM files), (SELECT coalesce(sum(size), 0) FROM files),
                (SELECT count(*) FROM pages WHERE document_id IS NOT NULL),
                (SELECT count(*) FROM pages WHERE document_id IS NULL),
                (SELECT count(*) FROM page_text)",
        params![],
        |r| {
            Ok(ScanCounts {
                files: r.get(0)?,
                bytes: r.get(1)?,
                filed: r.get(2)?,
                inbox: r.get(3)?,
                with_text: r.get(4)?,
            })
        },
    )
}
