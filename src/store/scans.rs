//! Scan tables: stored files, their pages (filed or in the inbox), recognised text and the OCR
//! queue. Functions taking a `&Connection` inside a write run in the caller's transaction.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::model::error::Result;
use crate::model::scans::{InboxReason, Page, ScanSettings, StoredFile};

pub const SETTINGS_KEY: &str = "scan.settings";

pub fn settings(conn: &Connection) -> Result<ScanSettings> {
    Ok(super::get_meta(conn, SETTINGS_KEY)?.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default())
}

pub fn set_settings(tx: &Connection, s: &ScanSettings) -> Result<()> {
    super::set_meta(tx, SETTINGS_KEY, &serde_json::to_string(s).unwrap_or_default())
}

// ----- files -----------------------------------------------------------------------------

/// A file to record.
#[derive(Debug, Clone)]
pub struct NewFile<'a> {
    pub sha256: &'a str,
    pub size: i64,
    pub format: &'a str,
    pub page_count: i64,
    pub original_name: &'a str,
    pub source_path: Option<&'a str>,
    pub origin: &'a str,
    pub added_at: &'a str,
    pub added_by: Option<i64>,
}

pub fn insert_file(tx: &Connection, f: &NewFile<'_>) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO files (sha256, size, format, page_count, original_name, source_path, origin,
                            added_at, added_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        f.sha256,
        f.size,
        f.format,
        f.page_count,
        f.original_name,
        f.source_path,
        f.origin,
        f.added_at,
        f.added_by
    ])?;
    Ok(tx.last_insert_rowid())
}

const FILE_COLUMNS: &str = "f.id, f.sha256, f.size, f.format, f.page_count, f.original_name, f.source_path,
     f.origin, f.added_at, u.name";

fn file_row(r: &Row<'_>) -> rusqlite::Result<StoredFile> {
    Ok(StoredFile {
        id: r.get(0)?,
        sha256: r.get(1)?,
        size: r.get(2)?,
        format: r.get(3)?,
        page_count: r.get(4)?,
        original_name: r.get(5)?,
        source_path: r.get(6)?,
        origin: r.get(7)?,
        added_at: r.get(8)?,
        added_by: r.get(9)?,
    })
}

pub fn file_by_sha(conn: &Connection, sha256: &str) -> Result<Option<StoredFile>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {FILE_COLUMNS} FROM files f LEFT JOIN users u ON u.id = f.added_by WHERE f.sha256 = ?1"
        ))?
        .query_row([sha256], file_row)
        .optional()?)
}

pub fn file(conn: &Connection, id: i64) -> Result<Option<StoredFile>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {FILE_COLUMNS} FROM files f LEFT JOIN users u ON u.id = f.added_by WHERE f.id = ?1"
        ))?
        .query_row([id], file_row)
        .optional()?)
}

/// A stored file as `verify` checks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileToCheck {
    pub id: i64,
    pub sha256: String,
    pub size: i64,
    pub name: String,
}

fn check_row(r: &Row<'_>) -> rusqlite::Result<FileToCheck> {
    Ok(FileToCheck { id: r.get(0)?, sha256: r.get(1)?, size: r.get(2)?, name: r.get(3)? })
}

/// Every stored file to check, in id order; `since` (a timestamp): only those added at or
/// after it.
pub fn files_to_check(conn: &Connection, since: Option<&str>) -> Result<Vec<FileToCheck>> {
    let mut stmt = conn.prepare(
        "SELECT id, sha256, size, original_name FROM files WHERE ?1 IS NULL OR added_at >= ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([since], check_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// `n` stored files picked at random (for the quick check).
pub fn sample_files(conn: &Connection, n: i64) -> Result<Vec<FileToCheck>> {
    let mut stmt =
        conn.prepare("SELECT id, sha256, size, original_name FROM files ORDER BY random() LIMIT ?1")?;
    let rows = stmt.query_map([n], check_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Pages whose stored file row is gone: (page id, file id), at most `limit`.
pub fn pages_without_file(conn: &Connection, limit: i64) -> Result<Vec<(i64, i64)>> {
    let mut stmt = conn.prepare(
        "SELECT p.id, p.file_id FROM pages p WHERE NOT EXISTS (SELECT 1 FROM files f WHERE f.id = p.file_id)
         ORDER BY p.id LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Pages numbered past their file's page count: (page id, file id, page number, page count),
/// at most `limit`.
pub fn pages_beyond_file(conn: &Connection, limit: i64) -> Result<Vec<(i64, i64, i64, i64)>> {
    let mut stmt = conn.prepare(
        "SELECT p.id, p.file_id, p.page_no, f.page_count FROM pages p JOIN files f ON f.id = p.file_id
         WHERE p.page_no > f.page_count OR p.page_no < 1 ORDER BY p.id LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The dossiers a file's filed pages are in.
pub fn dossiers_of_file(conn: &Connection, file_id: i64) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT c.dossier_no FROM pages p JOIN documents d ON d.id = p.document_id
         JOIN customers c ON c.id = d.customer_id WHERE p.file_id = ?1",
    )?;
    let rows = stmt.query_map([file_id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn file_count(conn: &Connection) -> Result<(i64, i64)> {
    Ok(conn.query_row("SELECT count(*), coalesce(sum(size), 0) FROM files", [], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })?)
}

/// Whether a file with this hash is recorded (a blob left in `.incoming` by a crash is kept
/// and moved into place only then).
pub fn has_sha(conn: &Connection, sha256: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM files WHERE sha256 = ?1")?
        .query_row([sha256], |_| Ok(()))
        .optional()?
        .is_some())
}

// ----- pages -----------------------------------------------------------------------------

/// A page to record.
#[derive(Debug, Clone)]
pub struct NewPage<'a> {
    pub file_id: i64,
    pub page_no: i64,
    pub document_id: Option<i64>,
    pub position: i64,
    pub width: i64,
    pub height: i64,
    pub is_cover: bool,
    pub inbox_reason: Option<InboxReason>,
    pub inbox_code: Option<&'a str>,
    pub at: &'a str,
}

pub fn insert_page(tx: &Connection, p: &NewPage<'_>) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO pages (file_id, page_no, document_id, position, width, height, is_cover,
                            inbox_reason, inbox_code, created_at, filed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, CASE WHEN ?3 IS NULL THEN NULL ELSE ?10 END)",
    )?
    .execute(params![
        p.file_id,
        p.page_no,
        p.document_id,
        p.position,
        p.width,
        p.height,
        p.is_cover,
        p.inbox_reason.map(InboxReason::code),
        p.inbox_code,
        p.at
    ])?;
    Ok(tx.last_insert_rowid())
}

const PAGE_COLUMNS: &str = "p.id, p.file_id, f.sha256, f.format, p.page_no, p.document_id, c.dossier_no,
     p.position, p.rotation, p.width, p.height, p.is_cover, p.inbox_reason, p.inbox_code,
     f.original_name, p.created_at, p.filed_at, t.text";

const PAGE_FROM: &str = "pages p JOIN files f ON f.id = p.file_id
     LEFT JOIN documents d ON d.id = p.document_id
     LEFT JOIN customers c ON c.id = d.customer_id
     LEFT JOIN page_text t ON t.page_id = p.id";

fn page_row(r: &Row<'_>) -> rusqlite::Result<Page> {
    let reason: Option<String> = r.get(12)?;
    Ok(Page {
        id: r.get(0)?,
        file_id: r.get(1)?,
        sha256: r.get(2)?,
        format: r.get(3)?,
        page_no: r.get(4)?,
        document_id: r.get(5)?,
        dossier: r.get(6)?,
        position: r.get(7)?,
        rotation: r.get(8)?,
        width: r.get(9)?,
        height: r.get(10)?,
        is_cover: r.get(11)?,
        inbox_reason: reason.as_deref().and_then(InboxReason::from_code),
        inbox_code: r.get(13)?,
        file_name: r.get(14)?,
        created_at: r.get(15)?,
        filed_at: r.get(16)?,
        text: r.get(17)?,
    })
}

pub fn page(conn: &Connection, id: i64) -> Result<Option<Page>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {PAGE_COLUMNS} FROM {PAGE_FROM} WHERE p.id = ?1"))?
        .query_row([id], page_row)
        .optional()?)
}

/// A dossier's scanned pages, document by document, in order.
pub fn pages_of_customer(conn: &Connection, customer_id: i64) -> Result<Vec<Page>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PAGE_COLUMNS} FROM {PAGE_FROM}
         WHERE p.document_id IN (SELECT id FROM documents WHERE customer_id = ?1)
         ORDER BY p.document_id, p.position, p.id"
    ))?;
    let rows = stmt.query_map([customer_id], page_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn pages_of_document(conn: &Connection, document_id: i64) -> Result<Vec<Page>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PAGE_COLUMNS} FROM {PAGE_FROM} WHERE p.document_id = ?1 ORDER BY p.position, p.id"
    ))?;
    let rows = stmt.query_map([document_id], page_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Pages in the inbox, oldest file first, in their order within it.
pub fn inbox(conn: &Connection, limit: i64, offset: i64) -> Result<Vec<Page>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PAGE_COLUMNS} FROM {PAGE_FROM} WHERE p.document_id IS NULL
         ORDER BY p.file_id, p.position, p.id LIMIT ?1 OFFSET ?2"
    ))?;
    let rows = stmt.query_map([limit, offset], page_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn inbox_count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM pages WHERE document_id IS NULL", [], |r| r.get(0))?)
}

/// The inbox pages of one file.
pub fn inbox_of_file(conn: &Connection, file_id: i64) -> Result<Vec<Page>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PAGE_COLUMNS} FROM {PAGE_FROM} WHERE p.document_id IS NULL AND p.file_id = ?1
         ORDER BY p.position, p.id"
    ))?;
    let rows = stmt.query_map([file_id], page_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The next position at the end of a document.
pub fn next_position(conn: &Connection, document_id: i64) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT coalesce(max(position), 0) + 1 FROM pages WHERE document_id = ?1",
        [document_id],
        |r| r.get(0),
    )?)
}

/// Files a page in a document at `position`.
pub fn file_page(tx: &Connection, page_id: i64, document_id: i64, position: i64, at: &str) -> Result<bool> {
    Ok(tx
        .prepare_cached(
            "UPDATE pages SET document_id = ?2, position = ?3, inbox_reason = NULL, inbox_code = NULL,
                              filed_at = ?4
             WHERE id = ?1",
        )?
        .execute(params![page_id, document_id, position, at])?
        == 1)
}

/// Takes a page out of its document into the inbox.
pub fn unfile_page(tx: &Connection, page_id: i64, reason: InboxReason, code: Option<&str>) -> Result<bool> {
    Ok(tx
        .prepare_cached(
            "UPDATE pages SET document_id = NULL, inbox_reason = ?2, inbox_code = ?3, filed_at = NULL
             WHERE id = ?1",
        )?
        .execute(params![page_id, reason.code(), code])?
        == 1)
}

pub fn set_rotation(tx: &Connection, page_id: i64, rotation: i64) -> Result<bool> {
    Ok(tx
        .prepare_cached("UPDATE pages SET rotation = ?2 WHERE id = ?1")?
        .execute(params![page_id, rotation])?
        == 1)
}

pub fn set_position(tx: &Connection, page_id: i64, position: i64) -> Result<bool> {
    Ok(tx
        .prepare_cached("UPDATE pages SET position = ?2 WHERE id = ?1")?
        .execute(params![page_id, position])?
        == 1)
}

pub fn set_document_pages(tx: &Connection, document_id: i64, pages: i64) -> Result<()> {
    tx.prepare_cached("UPDATE documents SET pages = ?2 WHERE id = ?1")?
        .execute(params![document_id, pages])?;
    Ok(())
}

/// How many pages are filed in each document of a dossier.
pub fn scanned_count(conn: &Connection, document_id: i64) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM pages WHERE document_id = ?1", [document_id], |r| r.get(0))?)
}

// ----- waiting to be scanned --------------------------------------------------------------

/// An open dossier with papers registered and none of them scanned: (dossier, name,
/// registered at, documents registered, confidential).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unscanned {
    pub dossier: String,
    pub name: String,
    pub created_at: String,
    pub documents: i64,
    pub confidential: bool,
}

const UNSCANNED: &str = "c.closed_at IS NULL
     AND EXISTS (SELECT 1 FROM documents d WHERE d.customer_id = c.id)
     AND NOT EXISTS (SELECT 1 FROM documents d JOIN pages p ON p.document_id = d.id
                     WHERE d.customer_id = c.id)";

/// Open dossiers with documents but no scanned page, oldest first; and how many in all.
pub fn unscanned(conn: &Connection, limit: i64) -> Result<(Vec<Unscanned>, i64)> {
    let total: i64 =
        conn.query_row(&format!("SELECT count(*) FROM customers c WHERE {UNSCANNED}"), [], |r| r.get(0))?;
    let mut stmt = conn.prepare(&format!(
        "SELECT c.dossier_no, c.name, c.created_at,
                (SELECT count(*) FROM documents d WHERE d.customer_id = c.id), c.confidential
         FROM customers c WHERE {UNSCANNED} ORDER BY c.created_at, c.id LIMIT ?1"
    ))?;
    let rows = stmt.query_map([limit], |r| {
        Ok(Unscanned {
            dossier: r.get(0)?,
            name: r.get(1)?,
            created_at: r.get(2)?,
            documents: r.get(3)?,
            confidential: r.get(4)?,
        })
    })?;
    Ok((rows.collect::<rusqlite::Result<_>>()?, total))
}

/// How many of the [`unscanned`] dossiers were registered before `at` (a stored timestamp).
pub fn unscanned_before(conn: &Connection, at: &str) -> Result<i64> {
    Ok(conn.query_row(
        &format!("SELECT count(*) FROM customers c WHERE c.created_at < ?1 AND {UNSCANNED}"),
        [at],
        |r| r.get(0),
    )?)
}

// ----- text and OCR ------------------------------------------------------------------------

pub fn set_text(tx: &Connection, page_id: i64, engine: &str, text: &str, at: &str) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO page_text (page_id, engine, text, at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (page_id) DO UPDATE SET engine = excluded.engine, text = excluded.text, at = excluded.at",
    )?
    .execute(params![page_id, engine, text, at])?;
    Ok(())
}

/// The recognised text of a dossier's filed pages, in order (for its search record).
pub fn text_of_customer(conn: &Connection, customer_id: i64) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT t.text FROM page_text t JOIN pages p ON p.id = t.page_id
         JOIN documents d ON d.id = p.document_id
         WHERE d.customer_id = ?1 ORDER BY d.id, p.position",
    )?;
    let rows = stmt.query_map([customer_id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn enqueue_ocr(tx: &Connection, page_id: i64, at: &str) -> Result<()> {
    tx.prepare_cached("INSERT OR IGNORE INTO ocr_queue (page_id, state, at) VALUES (?1, 'pending', ?2)")?
        .execute(params![page_id, at])?;
    Ok(())
}

/// (pending, failed, pages with text).
pub fn ocr_counts(conn: &Connection) -> Result<(i64, i64, i64)> {
    Ok(conn.query_row(
        "SELECT (SELECT count(*) FROM ocr_queue WHERE state = 'pending'),
                (SELECT count(*) FROM ocr_queue WHERE state = 'failed'),
                (SELECT count(*) FROM page_text)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?)
}

/// The next page to recognise (filed pages first: they are the ones searched), and its tries.
pub fn ocr_next(conn: &Connection) -> Result<Option<(i64, i64)>> {
    Ok(conn
        .prepare_cached(
            "SELECT q.page_id, q.tries FROM ocr_queue q JOIN pages p ON p.id = q.page_id
             WHERE q.state = 'pending' ORDER BY p.document_id IS NULL, q.page_id LIMIT 1",
        )?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

pub fn ocr_done(tx: &Connection, page_id: i64) -> Result<()> {
    tx.prepare_cached("DELETE FROM ocr_queue WHERE page_id = ?1")?.execute([page_id])?;
    Ok(())
}

pub fn ocr_failed(
    tx: &Connection,
    page_id: i64,
    tries: i64,
    give_up: bool,
    error: &str,
    at: &str,
) -> Result<()> {
    tx.prepare_cached("UPDATE ocr_queue SET tries = ?2, state = ?3, error = ?4, at = ?5 WHERE page_id = ?1")?
        .execute(params![page_id, tries, if give_up { "failed" } else { "pending" }, error, at])?;
    Ok(())
}

pub fn ocr_retry_failed(tx: &Connection) -> Result<i64> {
    Ok(tx.execute("UPDATE ocr_queue SET state = 'pending', tries = 0 WHERE state = 'failed'", [])? as i64)
}
