//! The imports table: where each import of a file stands (see migrations/0008_imports.sql).

use rusqlite::{Connection, OptionalExtension, params};

use crate::model::error::Result;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    pub id: i64,
    pub total_rows: i64,
    pub rows_done: i64,
    pub imported: i64,
    pub skipped: i64,
    pub state: String,
    pub started_at: String,
    pub started_by: String,
    pub finished_at: Option<String>,
}

/// The newest import of this file with this mapping.
pub fn find(conn: &Connection, sha: &str, mapping: &str) -> Result<Option<ImportRow>> {
    Ok(conn
        .query_row(
            "SELECT id, total_rows, rows_done, imported, skipped, state, started_at, started_by, finished_at
             FROM imports WHERE file_sha256 = ?1 AND mapping = ?2 ORDER BY id DESC LIMIT 1",
            params![sha, mapping],
            |r| {
                Ok(ImportRow {
                    id: r.get(0)?,
                    total_rows: r.get(1)?,
                    rows_done: r.get(2)?,
                    imported: r.get(3)?,
                    skipped: r.get(4)?,
                    state: r.get(5)?,
                    started_at: r.get(6)?,
                    started_by: r.get(7)?,
                    finished_at: r.get(8)?,
                })
            },
        )
        .optional()?)
}

pub fn start(
    tx: &Connection,
    sha: &str,
    name: &str,
    mapping: &str,
    total: i64,
    at: &str,
    by: &str,
) -> Result<i64> {
    tx.execute(
        "INSERT INTO imports (file_sha256, file_name, mapping, total_rows, state, started_at, started_by)
         VALUES (?1, ?2, ?3, ?4, 'running', ?5, ?6)",
        params![sha, name, mapping, total, at, by],
    )?;
    Ok(tx.last_insert_rowid())
}

/// Records a batch: rows done with so far, and how many of them were imported / skipped.
pub fn advance(
    tx: &Connection,
    id: i64,
    rows_done: i64,
    imported: i64,
    skipped: i64,
    done_at: Option<&str>,
) -> Result<()> {
    tx.execute(
        "UPDATE imports SET rows_done = ?2, imported = imported + ?3, skipped = skipped + ?4,
                state = CASE WHEN ?5 IS NULL THEN 'running' ELSE 'done' END, finished_at = ?5
         WHERE id = ?1",
        params![id, rows_done, imported, skipped, done_at],
    )?;
    Ok(())
}
