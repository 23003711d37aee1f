//! Customers (one dossier each), their phones and the documents in their dossiers.

use rusqlite::{Connection, OptionalExtension, params};

use crate::model::error::Result;
use crate::model::{Customer, CustomerSummary, Document, Grade, IdKind, Status};

/// A customer row as written.
#[derive(Debug, Clone)]
pub struct Row<'a> {
    pub dossier: &'a str,
    pub name: &'a str,
    pub name_key: &'a str,
    pub former_names: &'a str,
    pub id_kind: Option<IdKind>,
    pub id_number: Option<&'a str>,
    pub address: &'a str,
    pub category_id: i64,
    pub grade: Grade,
    pub status: Status,
    pub confidential: bool,
    pub clerk_id: Option<i64>,
    pub notes: &'a str,
    pub custom: &'a str,
    pub created_at: &'a str,
    pub updated_at: &'a str,
    pub closed_at: Option<&'a str>,
}

pub fn insert(tx: &Connection, r: &Row<'_>) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO customers (dossier_no, name, name_key, former_names, id_kind, id_number,
             address, category_id, grade, status, confidential, clerk_id, notes, custom,
             created_at, updated_at, closed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
    )?
    .execute(params![
        r.dossier,
        r.name,
        r.name_key,
        r.former_names,
        r.id_kind.map(IdKind::as_str),
        r.id_number,
        r.address,
        r.category_id,
        r.grade.as_str(),
        r.status.as_str(),
        r.confidential,
        r.clerk_id,
        r.notes,
        r.custom,
        r.created_at,
        r.updated_at,
        r.closed_at
    ])?;
    Ok(tx.last_insert_rowid())
}

pub fn update(tx: &Connection, id: i64, r: &Row<'_>) -> Result<()> {
    tx.prepare_cached(
        "UPDATE customers SET name = ?2, name_key = ?3, former_names = ?4, id_kind = ?5,
             id_number = ?6, address = ?7, category_id = ?8, grade = ?9, status = ?10,
             confidential = ?11, clerk_id = ?12, notes = ?13, custom = ?14, updated_at = ?15,
             closed_at = ?16
         WHERE id = ?1",
    )?
    .execute(params![
        id,
        r.name,
        r.name_key,
        r.former_names,
        r.id_kind.map(IdKind::as_str),
        r.id_number,
        r.address,
        r.category_id,
        r.grade.as_str(),
        r.status.as_str(),
        r.confidential,
        r.clerk_id,
        r.notes,
        r.custom,
        r.updated_at,
        r.closed_at
    ])?;
    Ok(())
}

/// Marks a customer as changed (a document was added).
pub fn touch(tx: &Connection, id: i64, at: &str) -> Result<()> {
    tx.execute("UPDATE customers SET updated_at = ?2 WHERE id = ?1", params![id, at])?;
    Ok(())
}

pub fn insert_phones(tx: &Connection, customer_id: i64, phones: &[String]) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT OR IGNORE INTO customer_phones (customer_id, phone, position) VALUES (?1, ?2, ?3)",
    )?;
    for (i, p) in phones.iter().enumerate() {
        stmt.execute(params![customer_id, p, i as i64])?;
    }
    Ok(())
}

pub fn replace_phones(tx: &Connection, customer_id: i64, phones: &[String]) -> Result<()> {
    tx.execute("DELETE FROM customer_phones WHERE customer_id = ?1", [customer_id])?;
    insert_phones(tx, customer_id, phones)
}

fn phones_of(conn: &Connection, customer_id: i64) -> Result<Vec<String>> {
    let mut stmt =
        conn.prepare_cached("SELECT phone FROM customer_phones WHERE customer_id = ?1 ORDER BY position")?;
    let rows = stmt.query_map([customer_id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn category_path(conn: &Connection, category_id: i64) -> Result<String> {
    let mut names = Vec::new();
    let mut stmt = conn.prepare_cached("SELECT name FROM categories WHERE id = ?1")?;
    for id in super::config::lineage(conn, category_id)?.iter().rev() {
        names.push(stmt.query_row([id], |r| r.get::<_, String>(0))?);
    }
    Ok(names.join(" › "))
}

/// The customer with this dossier number, with phones and category path.
pub fn get(conn: &Connection, dossier: &str) -> Result<Option<(Customer, i64)>> {
    let found = conn
        .prepare_cached(
            "SELECT c.id, c.dossier_no, c.name, c.former_names, c.id_kind, c.id_number, c.address,
                    cat.code, c.grade, c.status, c.confidential, u.name, c.notes, c.custom,
                    c.created_at, c.updated_at, c.closed_at, c.category_id
             FROM customers c
             JOIN categories cat ON cat.id = c.category_id
             LEFT JOIN users u ON u.id = c.clerk_id
             WHERE c.dossier_no = ?1",
        )?
        .query_row([dossier], |r| {
            let former: String = r.get(3)?;
            let kind: Option<String> = r.get(4)?;
            let grade: String = r.get(8)?;
            let status: String = r.get(9)?;
            let custom: String = r.get(13)?;
            Ok((
                Customer {
                    id: r.get(0)?,
                    dossier: r.get(1)?,
                    name: r.get(2)?,
                    former_names: serde_json::from_str(&former).unwrap_or_default(),
                    id_kind: kind.and_then(|k| k.parse().ok()),
                    id_number: r.get(5)?,
                    phones: Vec::new(),
                    address: r.get(6)?,
                    category: r.get(7)?,
                    category_path: String::new(),
                    grade: grade.parse().unwrap_or(Grade::General),
                    status: status.parse().unwrap_or(Status::Active),
                    confidential: r.get(10)?,
                    clerk: r.get(11)?,
                    notes: r.get(12)?,
                    custom: serde_json::from_str(&custom).unwrap_or_default(),
                    created_at: r.get(14)?,
                    updated_at: r.get(15)?,
                    closed_at: r.get(16)?,
                },
                r.get::<_, i64>(17)?,
            ))
        })
        .optional()?;
    let Some((mut c, category_id)) = found else { return Ok(None) };
    c.phones = phones_of(conn, c.id)?;
    c.category_path = category_path(conn, category_id)?;
    Ok(Some((c, category_id)))
}

/// `(dossier, name, confidential)` of the customer holding this ID number, other than `except`.
pub fn by_id_number(
    conn: &Connection,
    id_number: &str,
    except: i64,
) -> Result<Option<(String, String, bool)>> {
    Ok(conn
        .prepare_cached(
            "SELECT dossier_no, name, confidential FROM customers WHERE id_number = ?1 AND id <> ?2",
        )?
        .query_row(params![id_number, except], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?)
}

/// `(dossier, name, confidential)` of a customer with this name key and one of these phones, other than `except`.
pub fn by_name_and_phone(
    conn: &Connection,
    name_key: &str,
    phones: &[String],
    except: i64,
) -> Result<Option<(String, String, bool)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.dossier_no, c.name, c.confidential FROM customer_phones p JOIN customers c ON c.id = p.customer_id
         WHERE p.phone = ?1 AND c.name_key = ?2 AND c.id <> ?3 LIMIT 1",
    )?;
    for phone in phones {
        if let Some(hit) = stmt
            .query_row(params![phone, name_key, except], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?
        {
            return Ok(Some(hit));
        }
    }
    Ok(None)
}

/// Filters for listing dossiers.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// Category ids to include (a category and its descendants); empty means all.
    pub categories: Vec<i64>,
    pub grade: Option<Grade>,
    pub status: Option<Status>,
    pub clerk_id: Option<i64>,
    pub include_confidential: bool,
    pub limit: usize,
    pub offset: usize,
}

pub fn list(conn: &Connection, f: &ListFilter) -> Result<Vec<CustomerSummary>> {
    let cats = serde_json::to_string(&f.categories).unwrap_or_else(|_| "[]".into());
    let mut stmt = conn.prepare_cached(
        "SELECT c.dossier_no, c.name, cat.name, c.grade, c.status,
                (SELECT phone FROM customer_phones p WHERE p.customer_id = c.id ORDER BY position LIMIT 1),
                c.confidential, c.updated_at
         FROM customers c JOIN categories cat ON cat.id = c.category_id
         WHERE (?1 = '[]' OR c.category_id IN (SELECT value FROM json_each(?1)))
           AND (?2 IS NULL OR c.grade = ?2) AND (?3 IS NULL OR c.status = ?3)
           AND (?4 IS NULL OR c.clerk_id = ?4) AND (?5 OR c.confidential = 0)
         ORDER BY c.dossier_no LIMIT ?6 OFFSET ?7",
    )?;
    let rows = stmt.query_map(
        params![
            cats,
            f.grade.map(Grade::as_str),
            f.status.map(Status::as_str),
            f.clerk_id,
            f.include_confidential,
            f.limit as i64,
            f.offset as i64
        ],
        |r| {
            let grade: String = r.get(3)?;
            let status: String = r.get(4)?;
            Ok(CustomerSummary {
                dossier: r.get(0)?,
                name: r.get(1)?,
                category: r.get(2)?,
                grade: grade.parse().unwrap_or(Grade::General),
                status: status.parse().unwrap_or(Status::Active),
                phone: r.get(5)?,
                confidential: r.get(6)?,
                updated_at: r.get(7)?,
            })
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM customers", [], |r| r.get(0))?)
}

/// A document row as written.
#[derive(Debug, Clone)]
pub struct DocRow<'a> {
    pub customer_id: i64,
    pub doc_type_id: i64,
    pub title: &'a str,
    pub date: Option<&'a str>,
    pub expires_on: Option<&'a str>,
    pub pages: i64,
    pub notes: &'a str,
    pub created_at: &'a str,
    pub created_by: Option<i64>,
}

pub fn insert_document(tx: &Connection, d: &DocRow<'_>) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO documents (customer_id, doc_type_id, title, doc_date, expires_on, pages,
                                notes, created_at, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        d.customer_id,
        d.doc_type_id,
        d.title,
        d.date,
        d.expires_on,
        d.pages,
        d.notes,
        d.created_at,
        d.created_by
    ])?;
    Ok(tx.last_insert_rowid())
}

/// Rewrites a document's metadata (type, title, dates, pages, notes); its dossier, creation
/// time and creator stay. Returns whether a row of that customer had that id.
pub fn update_document(tx: &Connection, id: i64, d: &DocRow<'_>) -> Result<bool> {
    let n = tx
        .prepare_cached(
            "UPDATE documents SET doc_type_id = ?3, title = ?4, doc_date = ?5, expires_on = ?6,
                                  pages = ?7, notes = ?8
             WHERE id = ?1 AND customer_id = ?2",
        )?
        .execute(params![
            id,
            d.customer_id,
            d.doc_type_id,
            d.title,
            d.date,
            d.expires_on,
            d.pages,
            d.notes
        ])?;
    Ok(n == 1)
}

pub fn documents_of(conn: &Connection, customer_id: i64) -> Result<Vec<Document>> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.id, t.code, t.name, d.title, d.doc_date, d.expires_on, d.pages, d.notes,
                d.created_at, u.name,
                (SELECT count(*) FROM pages p WHERE p.document_id = d.id)
         FROM documents d JOIN doc_types t ON t.id = d.doc_type_id
         LEFT JOIN users u ON u.id = d.created_by
         WHERE d.customer_id = ?1 ORDER BY d.doc_date IS NULL, d.doc_date, d.id",
    )?;
    let rows = stmt.query_map([customer_id], |r| {
        let date = |s: Option<String>| s.and_then(|s| s.parse().ok());
        Ok(Document {
            id: r.get(0)?,
            doc_type: r.get(1)?,
            doc_type_name: r.get(2)?,
            title: r.get(3)?,
            date: date(r.get(4)?),
            expires_on: date(r.get(5)?),
            pages: r.get(6)?,
            notes: r.get(7)?,
            created_at: r.get(8)?,
            created_by: r.get(9)?,
            scanned_pages: r.get(10)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn document_count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM documents", [], |r| r.get(0))?)
}

pub fn max_rowid(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT coalesce(max(id), 0) FROM customers", [], |r| r.get(0))?)
}

pub fn dossier_by_rowid(conn: &Connection, id: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT dossier_no FROM customers WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

/// Recomputes every customer's name key with the current rule (`model::ids::name_key`);
/// only rows whose key changes are written. Run once by the migration that changed the rule.
pub fn rekey_names(tx: &Connection) -> Result<usize> {
    let rows: Vec<(i64, String, String)> = {
        let mut stmt = tx.prepare("SELECT id, name, name_key FROM customers")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut update = tx.prepare("UPDATE customers SET name_key = ?2 WHERE id = ?1")?;
    let mut changed = 0;
    for (id, name, old) in rows {
        let key = crate::model::ids::name_key(&name);
        if key != old {
            update.execute(params![id, key])?;
            changed += 1;
        }
    }
    Ok(changed)
}

/// A read-only connection to the library's database, for a reader that lives apart from the
/// session (the searcher the app's search as you type uses on its own threads). It never writes
/// and never takes a write lock; each statement reads its own snapshot.
pub fn open_read_only(path: &std::path::Path) -> Result<Connection> {
    use rusqlite::OpenFlags;
    let flags =
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| super::classify(path, e))?;
    conn.busy_timeout(super::BUSY_TIMEOUT).map_err(|e| super::classify(path, e))?;
    conn.execute_batch("PRAGMA query_only = ON;").map_err(|e| super::classify(path, e))?;
    Ok(conn)
}

/// Of these dossier numbers, the ones the database holds as confidential now (whatever a
/// derived copy such as the search index says).
pub fn confidential_among(conn: &Connection, dossiers: &[&str]) -> Result<std::collections::HashSet<String>> {
    let mut out = std::collections::HashSet::new();
    if dossiers.is_empty() {
        return Ok(out);
    }
    let mut stmt = conn.prepare_cached("SELECT confidential FROM customers WHERE dossier_no = ?1")?;
    for d in dossiers {
        let confidential: Option<bool> = stmt.query_row([d], |r| r.get(0)).optional()?;
        if confidential == Some(true) {
            out.insert((*d).to_string());
        }
    }
    Ok(out)
}
