//! Bulk writes of the physical archive for a loader that fills a new library (the demo): the
//! dossiers to file, read in one pass, and boxes and folders written with their final state
//! (status, home and current place, dates) instead of one core action each. Functions taking
//! a [`Tx`] run inside the caller's transaction.

use rusqlite::{Connection, params};

use super::Tx;
use crate::model::error::Result;
use crate::model::storage::{BoxMode, BoxStatus, Capacity, Level};

/// What filing a dossier needs to know of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilingInput {
    pub customer_id: i64,
    pub category_id: i64,
    /// The day it was registered (`YYYY-MM-DD`, the start of `created_at`).
    pub created_day: String,
    pub clerk_id: Option<i64>,
    /// Its papers' pages (the folder's thickness).
    pub pages: i64,
}

/// Every dossier, in id (registration) order, streamed to `f`.
pub fn for_each_filing_input(conn: &Connection, mut f: impl FnMut(FilingInput) -> Result<()>) -> Result<()> {
    let mut st = conn.prepare(
        "SELECT c.id, c.category_id, substr(c.created_at, 1, 10), c.clerk_id,
                (SELECT coalesce(sum(d.pages), 0) FROM documents d WHERE d.customer_id = c.id)
         FROM customers c ORDER BY c.id",
    )?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        f(FilingInput {
            customer_id: r.get(0)?,
            category_id: r.get(1)?,
            created_day: r.get(2)?,
            clerk_id: r.get(3)?,
            pages: r.get(4)?,
        })?;
    }
    Ok(())
}

/// A box as a bulk loader writes it: its final status and places.
pub struct BulkBox<'a> {
    pub code: &'a str,
    pub box_no: i64,
    pub fonds: &'a str,
    pub year: i32,
    pub retention: &'a str,
    pub spine_mm: i64,
    pub capacity: Capacity,
    pub status: BoxStatus,
    pub category_id: Option<i64>,
    pub mode: BoxMode,
    pub home_location_id: Option<i64>,
    pub location_id: Option<i64>,
    pub created_at: &'a str,
    pub updated_at: &'a str,
}

pub fn insert_box_bulk(tx: Tx<'_>, b: &BulkBox<'_>) -> Result<i64> {
    tx.execute(
        "INSERT INTO boxes (code, box_no, fonds, year, retention, spine_mm, capacity_unit, capacity, status,
                            category_id, mode, home_location_id, location_id, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        params![
            b.code,
            b.box_no,
            b.fonds,
            b.year,
            b.retention,
            b.spine_mm,
            b.capacity.unit(),
            b.capacity.value(),
            b.status.as_str(),
            b.category_id,
            b.mode.as_str(),
            b.home_location_id,
            b.location_id,
            b.created_at,
            b.updated_at
        ],
    )?;
    Ok(tx.conn().last_insert_rowid())
}

/// A folder filed by someone who may be unknown (a dossier without a responsible clerk).
pub fn insert_folder_bulk(
    tx: Tx<'_>,
    customer_id: i64,
    box_id: i64,
    item_no: i64,
    filed_at: &str,
    by: Option<i64>,
) -> Result<()> {
    tx.execute(
        "INSERT INTO folders (customer_id, box_id, item_no, filed_at, filed_by) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![customer_id, box_id, item_no, filed_at, by],
    )?;
    Ok(())
}

/// The ids of the locations of a level, in the order they were made.
pub fn location_ids_at_level(tx: Tx<'_>, level: Level) -> Result<Vec<i64>> {
    tx.query_map("SELECT id FROM locations WHERE level = ?1 ORDER BY id", [level.as_str()], |r| r.get(0))
}

/// How many locations, boxes, filed folders and movements there are.
pub fn storage_counts(tx: Tx<'_>) -> Result<StorageCounts> {
    tx.query_row(
        "SELECT (SELECT count(*) FROM locations), (SELECT count(*) FROM boxes),
                (SELECT count(*) FROM folders), (SELECT count(*) FROM movements)",
        [],
        |r| {
            Ok(StorageCounts {
                locations: r.get(0)?,
                boxes: r.get(1)?,
                folders: r.get(2)?,
                movements: r.get(3)?,
            })
        },
    )
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StorageCounts {
    pub locations: i64,
    pub boxes: i64,
    pub folders: i64,
    pub movements: i64,
}
