//! Physical storage tables: locations, boxes, folders, movements, box rules, retention
//! periods and inventories. Functions taking a [`Tx`] run inside the caller's transaction.

use rusqlite::{Row, params};

use super::Tx;
use crate::model::error::Result;
use crate::model::storage::{
    BoxInfo, BoxMode, BoxRule, BoxStatus, Capacity, Folder, Level, Location, MoveReason, Movement,
    RetentionPeriod,
};

pub const BOX_PREFIX_KEY: &str = "storage.box_prefix";
pub const FONDS_KEY: &str = "storage.fonds";
pub const BOX_CODE_SCOPE: &str = "storage:box-code";
pub const LOCATION_CODE_SCOPE: &str = "storage:location-code";

/// The scope of box numbers (盒号) within a fonds and year.
pub fn box_no_scope(fonds: &str, year: i32) -> String {
    format!("storage:box-no:{fonds}:{year}")
}

/// The scope of item numbers (件号): a fonds, year and retention period, and the category whose
/// boxes they go into (shared boxes fill one category at a time, so each box's 起止件号 is a
/// run without gaps from other categories).
pub fn item_scope(fonds: &str, year: i32, retention: &str, category_id: Option<i64>) -> String {
    match category_id {
        Some(c) => format!("storage:item:{fonds}:{year}:{retention}:{c}"),
        None => format!("storage:item:{fonds}:{year}:{retention}"),
    }
}

// ----- locations -------------------------------------------------------------------------

const LOCATION_COLUMNS: &str = "id, code, name, level, path, parent_id, capacity";

fn location_row(r: &Row<'_>) -> rusqlite::Result<Location> {
    let level: String = r.get(3)?;
    Ok(Location {
        id: r.get(0)?,
        code: r.get(1)?,
        name: r.get(2)?,
        level: level.parse::<Level>().unwrap_or(Level::Position),
        path: r.get(4)?,
        parent_id: r.get(5)?,
        capacity: r.get(6)?,
    })
}

pub fn location_by_path(tx: Tx<'_>, path: &str) -> Result<Option<Location>> {
    tx.query_opt(&format!("SELECT {LOCATION_COLUMNS} FROM locations WHERE path = ?1"), [path], location_row)
}

pub fn location_by_code(tx: Tx<'_>, code: &str) -> Result<Option<Location>> {
    tx.query_opt(&format!("SELECT {LOCATION_COLUMNS} FROM locations WHERE code = ?1"), [code], location_row)
}

pub fn location_by_id(tx: Tx<'_>, id: i64) -> Result<Option<Location>> {
    tx.query_opt(&format!("SELECT {LOCATION_COLUMNS} FROM locations WHERE id = ?1"), [id], location_row)
}

/// A new location; its id.
pub struct NewLocation<'a> {
    pub parent_id: Option<i64>,
    pub name: &'a str,
    pub level: Level,
    pub code: &'a str,
    pub path: &'a str,
    pub capacity: Option<i64>,
    pub at: &'a str,
}

pub fn insert_location(tx: Tx<'_>, l: &NewLocation<'_>) -> Result<i64> {
    tx.execute(
        "INSERT INTO locations (parent_id, name, level, code, path, capacity, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![l.parent_id, l.name, l.level.as_str(), l.code, l.path, l.capacity, l.at],
    )?;
    Ok(tx.conn().last_insert_rowid())
}

pub fn set_location_capacity(tx: Tx<'_>, id: i64, capacity: Option<i64>) -> Result<()> {
    tx.execute("UPDATE locations SET capacity = ?2 WHERE id = ?1", params![id, capacity])?;
    Ok(())
}

/// The location and every one below it, in path order.
pub fn locations_under(tx: Tx<'_>, path: Option<&str>) -> Result<Vec<Location>> {
    match path {
        None => {
            tx.query_map(&format!("SELECT {LOCATION_COLUMNS} FROM locations ORDER BY path"), [], location_row)
        }
        Some(p) => tx.query_map(
            &format!(
                "SELECT {LOCATION_COLUMNS} FROM locations
                 WHERE path = ?1 OR (path > ?1 || '/' AND path < ?1 || '0') ORDER BY path"
            ),
            [p],
            location_row,
        ),
    }
}

pub fn children(tx: Tx<'_>, parent: Option<i64>) -> Result<Vec<Location>> {
    tx.query_map(
        &format!("SELECT {LOCATION_COLUMNS} FROM locations WHERE parent_id IS ?1 ORDER BY id"),
        [parent],
        location_row,
    )
}

/// How many boxes have this location as home or current place, and how many boxes are in the
/// whole subtree (home or current).
pub fn boxes_in_subtree(tx: Tx<'_>, path: &str) -> Result<i64> {
    tx.query_row(
        "SELECT count(*) FROM boxes b WHERE EXISTS (
             SELECT 1 FROM locations l WHERE l.id IN (b.location_id, b.home_location_id)
             AND (l.path = ?1 OR (l.path > ?1 || '/' AND l.path < ?1 || '0')))",
        [path],
        |r| r.get(0),
    )
}

/// Whether anything refers to the locations of a subtree (history, folders out there,
/// inventories): such locations are kept.
pub fn subtree_referenced(tx: Tx<'_>, path: &str) -> Result<bool> {
    tx.query_row(
        "WITH sub AS (SELECT id FROM locations WHERE path = ?1 OR (path > ?1 || '/' AND path < ?1 || '0'))
         SELECT EXISTS (SELECT 1 FROM movements WHERE from_location_id IN sub OR to_location_id IN sub)
             OR EXISTS (SELECT 1 FROM folders WHERE out_location_id IN sub)
             OR EXISTS (SELECT 1 FROM inventories WHERE location_id IN sub)",
        [path],
        |r| r.get(0),
    )
}

/// Deletes a subtree (deepest first); the number of locations deleted.
pub fn delete_subtree(tx: Tx<'_>, path: &str) -> Result<usize> {
    let ids: Vec<i64> = tx.query_map(
        "SELECT id FROM locations WHERE path = ?1 OR (path > ?1 || '/' AND path < ?1 || '0')
         ORDER BY length(path) DESC",
        [path],
        |r| r.get(0),
    )?;
    for id in &ids {
        tx.execute("DELETE FROM locations WHERE id = ?1", [id])?;
    }
    Ok(ids.len())
}

// ----- retention periods and box rules ---------------------------------------------------

pub fn retention_periods(tx: Tx<'_>) -> Result<Vec<RetentionPeriod>> {
    tx.query_map("SELECT code, name, years FROM retention_periods ORDER BY sort_order, code", [], |r| {
        Ok(RetentionPeriod { code: r.get(0)?, name: r.get(1)?, years: r.get(2)? })
    })
}

fn rule_row(r: &Row<'_>) -> rusqlite::Result<(Option<i64>, BoxRule)> {
    let mode: String = r.get(1)?;
    let unit: String = r.get(2)?;
    Ok((
        r.get(0)?,
        BoxRule {
            category: None,
            mode: mode.parse::<BoxMode>().unwrap_or(BoxMode::Shared),
            capacity: Capacity::from_parts(&unit, r.get(3)?),
            spine_mm: r.get(4)?,
            retention: r.get(5)?,
        },
    ))
}

/// Every rule with the category id it is set on (none: the default).
pub fn box_rules(tx: Tx<'_>) -> Result<Vec<(Option<i64>, BoxRule)>> {
    tx.query_map(
        "SELECT category_id, mode, capacity_unit, capacity, spine_mm, retention FROM box_rules
         ORDER BY category_id IS NOT NULL, category_id",
        [],
        rule_row,
    )
}

/// The rule that applies to a category: its own, else its nearest ancestor's, else the default.
pub fn box_rule_for(tx: Tx<'_>, category_id: i64) -> Result<(Option<i64>, BoxRule)> {
    let found = tx.query_opt(
        "WITH RECURSIVE up (id, depth) AS (
             SELECT ?1, 0
             UNION ALL SELECT c.parent_id, up.depth + 1 FROM categories c JOIN up ON c.id = up.id
             WHERE c.parent_id IS NOT NULL AND up.depth < 32)
         SELECT r.category_id, r.mode, r.capacity_unit, r.capacity, r.spine_mm, r.retention
         FROM box_rules r JOIN up ON r.category_id = up.id ORDER BY up.depth LIMIT 1",
        [category_id],
        rule_row,
    )?;
    match found {
        Some(r) => Ok(r),
        None => tx.query_row(
            "SELECT category_id, mode, capacity_unit, capacity, spine_mm, retention FROM box_rules
             WHERE category_id IS NULL",
            [],
            rule_row,
        ),
    }
}

pub fn set_box_rule(tx: Tx<'_>, category_id: Option<i64>, rule: &BoxRule) -> Result<()> {
    let n = tx.execute(
        "UPDATE box_rules SET mode = ?2, capacity_unit = ?3, capacity = ?4, spine_mm = ?5, retention = ?6
         WHERE category_id IS ?1",
        params![
            category_id,
            rule.mode.as_str(),
            rule.capacity.unit(),
            rule.capacity.value(),
            rule.spine_mm,
            rule.retention
        ],
    )?;
    if n == 0 {
        tx.execute(
            "INSERT INTO box_rules (category_id, mode, capacity_unit, capacity, spine_mm, retention)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                category_id,
                rule.mode.as_str(),
                rule.capacity.unit(),
                rule.capacity.value(),
                rule.spine_mm,
                rule.retention
            ],
        )?;
    }
    Ok(())
}

// ----- boxes -----------------------------------------------------------------------------

/// A box's columns with its fill (count, thickness, first and last item number) and the
/// paths of its home and current place.
const BOX_SELECT: &str =
    "SELECT b.id, b.code, b.box_no, b.fonds, b.year, rp.name, b.spine_mm, b.capacity_unit,
        b.capacity, b.status, c.name, hl.path, cl.path,
        (SELECT count(*) FROM folders f WHERE f.box_id = b.id),
        (SELECT coalesce(sum(1.0 + 0.1 * coalesce((SELECT sum(d.pages) FROM documents d
                                                   WHERE d.customer_id = f.customer_id), 0)), 0.0)
           FROM folders f WHERE f.box_id = b.id),
        (SELECT min(item_no) FROM folders f WHERE f.box_id = b.id),
        (SELECT max(item_no) FROM folders f WHERE f.box_id = b.id)
     FROM boxes b
     JOIN retention_periods rp ON rp.code = b.retention
     LEFT JOIN categories c ON c.id = b.category_id
     LEFT JOIN locations hl ON hl.id = b.home_location_id
     LEFT JOIN locations cl ON cl.id = b.location_id";

fn box_row(r: &Row<'_>) -> rusqlite::Result<BoxInfo> {
    let unit: String = r.get(7)?;
    let status: String = r.get(9)?;
    Ok(BoxInfo {
        id: r.get(0)?,
        code: r.get(1)?,
        box_no: r.get(2)?,
        fonds: r.get(3)?,
        year: r.get(4)?,
        retention: r.get(5)?,
        spine_mm: r.get(6)?,
        capacity: Capacity::from_parts(&unit, r.get(8)?),
        status: status.parse::<BoxStatus>().unwrap_or(BoxStatus::Open),
        category: r.get(10)?,
        home: r.get(11)?,
        current: r.get(12)?,
        count: r.get(13)?,
        thickness_mm: r.get(14)?,
        first_item: r.get(15)?,
        last_item: r.get(16)?,
    })
}

pub fn box_by_code(tx: Tx<'_>, code: &str) -> Result<Option<BoxInfo>> {
    tx.query_opt(&format!("{BOX_SELECT} WHERE b.code = ?1"), [code], box_row)
}

pub fn box_by_id(tx: Tx<'_>, id: i64) -> Result<Option<BoxInfo>> {
    tx.query_opt(&format!("{BOX_SELECT} WHERE b.id = ?1"), [id], box_row)
}

/// The boxes whose home (or, with `current`, whose current place) is in a location's subtree,
/// in place and number order.
pub fn boxes_under(tx: Tx<'_>, path: &str, current: bool) -> Result<Vec<BoxInfo>> {
    let (col, alias) = if current { ("location_id", "cl") } else { ("home_location_id", "hl") };
    tx.query_map(
        &format!(
            "{BOX_SELECT} WHERE b.{col} IN (SELECT id FROM locations
                                           WHERE path = ?1 OR (path > ?1 || '/' AND path < ?1 || '0'))
             ORDER BY {alias}.path, b.year, b.box_no"
        ),
        [path],
        box_row,
    )
}

/// Boxes with no home yet (opened by filing, waiting to be shelved), newest first.
pub fn unshelved_boxes(tx: Tx<'_>, limit: i64) -> Result<Vec<BoxInfo>> {
    tx.query_map(
        &format!("{BOX_SELECT} WHERE b.home_location_id IS NULL ORDER BY b.id DESC LIMIT ?1"),
        [limit],
        box_row,
    )
}

pub struct NewBox<'a> {
    pub code: &'a str,
    pub box_no: i64,
    pub fonds: &'a str,
    pub year: i32,
    pub retention: &'a str,
    pub spine_mm: i64,
    pub capacity: Capacity,
    pub category_id: Option<i64>,
    pub mode: BoxMode,
    pub location_id: Option<i64>,
    pub at: &'a str,
}

pub fn insert_box(tx: Tx<'_>, b: &NewBox<'_>) -> Result<i64> {
    // One INSERT for boxes: a new box is open, at home where it stands, made and updated now.
    super::storage_bulk::insert_box_bulk(
        tx,
        &super::storage_bulk::BulkBox {
            code: b.code,
            box_no: b.box_no,
            fonds: b.fonds,
            year: b.year,
            retention: b.retention,
            spine_mm: b.spine_mm,
            capacity: b.capacity,
            status: BoxStatus::Open,
            category_id: b.category_id,
            mode: b.mode,
            home_location_id: b.location_id,
            location_id: b.location_id,
            created_at: b.at,
            updated_at: b.at,
        },
    )
}

/// The ids of a box's home and current location.
pub fn box_places(tx: Tx<'_>, id: i64) -> Result<(Option<i64>, Option<i64>)> {
    tx.query_row("SELECT home_location_id, location_id FROM boxes WHERE id = ?1", [id], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })
}

pub fn set_box_places(tx: Tx<'_>, id: i64, home: Option<i64>, current: Option<i64>, at: &str) -> Result<()> {
    tx.execute(
        "UPDATE boxes SET home_location_id = ?2, location_id = ?3, updated_at = ?4 WHERE id = ?1",
        params![id, home, current, at],
    )?;
    Ok(())
}

pub fn set_box_status(tx: Tx<'_>, id: i64, status: BoxStatus, at: &str) -> Result<()> {
    tx.execute(
        "UPDATE boxes SET status = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, status.as_str(), at],
    )?;
    Ok(())
}

/// The open shared boxes a category's folders of this year and retention may go into, oldest
/// first.
pub fn open_shared_boxes(tx: Tx<'_>, category_id: i64, year: i32, retention: &str) -> Result<Vec<BoxInfo>> {
    tx.query_map(
        &format!(
            "{BOX_SELECT} WHERE b.status = 'open' AND b.mode = 'shared' AND b.category_id = ?1
             AND b.year = ?2 AND b.retention = ?3 ORDER BY b.id"
        ),
        params![category_id, year, retention],
        box_row,
    )
}

/// How many boxes a location holds now (for its capacity).
pub fn boxes_at(tx: Tx<'_>, location_id: i64) -> Result<i64> {
    tx.query_row("SELECT count(*) FROM boxes WHERE location_id = ?1", [location_id], |r| r.get(0))
}

// ----- folders ---------------------------------------------------------------------------

/// A dossier's folder: box id, item number, where it is if out of its box.
#[derive(Debug, Clone, PartialEq)]
pub struct FolderRow {
    pub box_id: i64,
    pub item_no: i64,
    pub out_location_id: Option<i64>,
    pub filed_at: String,
}

pub fn folder_of(tx: Tx<'_>, customer_id: i64) -> Result<Option<FolderRow>> {
    tx.query_opt(
        "SELECT box_id, item_no, out_location_id, filed_at FROM folders WHERE customer_id = ?1",
        [customer_id],
        |r| {
            Ok(FolderRow {
                box_id: r.get(0)?,
                item_no: r.get(1)?,
                out_location_id: r.get(2)?,
                filed_at: r.get(3)?,
            })
        },
    )
}

pub fn insert_folder(
    tx: Tx<'_>,
    customer_id: i64,
    box_id: i64,
    item_no: i64,
    at: &str,
    by: i64,
) -> Result<()> {
    super::storage_bulk::insert_folder_bulk(tx, customer_id, box_id, item_no, at, Some(by))
}

pub fn move_folder(tx: Tx<'_>, customer_id: i64, box_id: i64, item_no: i64, at: &str, by: i64) -> Result<()> {
    tx.execute(
        "UPDATE folders SET box_id = ?2, item_no = ?3, filed_at = ?4, filed_by = ?5, out_location_id = NULL,
                            out_note = ''
         WHERE customer_id = ?1",
        params![customer_id, box_id, item_no, at, by],
    )?;
    Ok(())
}

pub fn delete_folder(tx: Tx<'_>, customer_id: i64) -> Result<()> {
    tx.execute("DELETE FROM folders WHERE customer_id = ?1", [customer_id])?;
    Ok(())
}

/// The folders in a box, by item number.
pub fn folders_in(tx: Tx<'_>, box_id: i64) -> Result<Vec<(Folder, bool)>> {
    tx.query_map(
        "SELECT c.dossier_no, c.name, f.item_no,
                coalesce((SELECT sum(pages) FROM documents d WHERE d.customer_id = c.id), 0),
                f.filed_at, l.path, c.confidential,
                (SELECT b.name FROM loans ln JOIN borrowers b ON b.id = ln.borrower_id
                 WHERE ln.customer_id = c.id AND ln.state IN ('out', 'lost'))
         FROM folders f JOIN customers c ON c.id = f.customer_id
         LEFT JOIN locations l ON l.id = f.out_location_id
         WHERE f.box_id = ?1 ORDER BY f.item_no",
        [box_id],
        |r| {
            Ok((
                Folder {
                    dossier: r.get(0)?,
                    name: r.get(1)?,
                    item_no: r.get(2)?,
                    pages: r.get(3)?,
                    filed_at: r.get(4)?,
                    out: r.get(5)?,
                    on_loan: r.get(7)?,
                },
                r.get(6)?,
            ))
        },
    )
}

/// The pages of a customer's documents (the folder's thickness).
pub fn customer_pages(tx: Tx<'_>, customer_id: i64) -> Result<i64> {
    tx.query_row("SELECT coalesce(sum(pages), 0) FROM documents WHERE customer_id = ?1", [customer_id], |r| {
        r.get(0)
    })
}

/// Dossiers filed in `[from, to)` (timestamps as stored), by box and item.
pub fn filed_between(tx: Tx<'_>, from: &str, to: &str) -> Result<Vec<String>> {
    tx.query_map(
        "SELECT c.dossier_no FROM folders f JOIN customers c ON c.id = f.customer_id
         WHERE f.filed_at >= ?1 AND f.filed_at < ?2 ORDER BY f.box_id, f.item_no",
        params![from, to],
        |r| r.get(0),
    )
}

// ----- movements -------------------------------------------------------------------------

pub struct NewMovement<'a> {
    pub at: &'a str,
    pub user_id: i64,
    pub box_id: Option<i64>,
    pub customer_id: Option<i64>,
    pub from_location: Option<i64>,
    pub to_location: Option<i64>,
    pub from_box: Option<i64>,
    pub to_box: Option<i64>,
    pub reason: MoveReason,
    pub note: &'a str,
}

pub fn insert_movement(tx: Tx<'_>, m: &NewMovement<'_>) -> Result<()> {
    tx.execute(
        "INSERT INTO movements (at, user_id, box_id, customer_id, from_location_id, to_location_id,
                                from_box_id, to_box_id, reason, note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            m.at,
            m.user_id,
            m.box_id,
            m.customer_id,
            m.from_location,
            m.to_location,
            m.from_box,
            m.to_box,
            m.reason.as_str(),
            m.note
        ],
    )?;
    Ok(())
}

const MOVEMENT_SELECT: &str =
    "SELECT m.at, coalesce(u.name, ''), m.box_id IS NOT NULL, coalesce(b.code, c.dossier_no),
        coalesce(fl.path, fb.code), coalesce(tl.path, tb.code), m.reason, m.note
     FROM movements m
     LEFT JOIN users u ON u.id = m.user_id
     LEFT JOIN boxes b ON b.id = m.box_id
     LEFT JOIN customers c ON c.id = m.customer_id
     LEFT JOIN locations fl ON fl.id = m.from_location_id
     LEFT JOIN locations tl ON tl.id = m.to_location_id
     LEFT JOIN boxes fb ON fb.id = m.from_box_id
     LEFT JOIN boxes tb ON tb.id = m.to_box_id";

fn movement_row(r: &Row<'_>) -> rusqlite::Result<Movement> {
    let is_box: bool = r.get(2)?;
    let reason: String = r.get(6)?;
    Ok(Movement {
        at: r.get(0)?,
        user: r.get(1)?,
        what: if is_box { "box" } else { "folder" },
        item: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
        from: r.get(4)?,
        to: r.get(5)?,
        reason: reason.parse::<MoveReason>().unwrap_or(MoveReason::Moved),
        note: r.get(7)?,
    })
}

/// A box's movements, newest first.
pub fn box_movements(tx: Tx<'_>, box_id: i64, limit: i64) -> Result<Vec<Movement>> {
    tx.query_map(
        &format!("{MOVEMENT_SELECT} WHERE m.box_id = ?1 ORDER BY m.id DESC LIMIT ?2"),
        params![box_id, limit],
        movement_row,
    )
}

/// A dossier's movements, newest first: its folder's, and its box's while it was in it.
pub fn dossier_movements(tx: Tx<'_>, customer_id: i64, limit: i64) -> Result<Vec<Movement>> {
    tx.query_map(
        &format!(
            "{MOVEMENT_SELECT} WHERE m.customer_id = ?1
                OR m.box_id = (SELECT f.box_id FROM folders f WHERE f.customer_id = ?1)
                   AND m.at >= (SELECT f.filed_at FROM folders f WHERE f.customer_id = ?1)
             ORDER BY m.id DESC LIMIT ?2"
        ),
        params![customer_id, limit],
        movement_row,
    )
}

// ----- inventories -----------------------------------------------------------------------

pub struct NewInventory<'a> {
    pub location_id: i64,
    pub at: &'a str,
    pub user_id: i64,
    pub found: i64,
    pub missing: i64,
    pub misplaced: i64,
    pub unknown: i64,
    pub fixed: bool,
    pub report: &'a str,
}

pub fn insert_inventory(tx: Tx<'_>, i: &NewInventory<'_>) -> Result<i64> {
    tx.execute(
        "INSERT INTO inventories (location_id, at, user_id, found, missing, misplaced, unknown, fixed, report)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![i.location_id, i.at, i.user_id, i.found, i.missing, i.misplaced, i.unknown, i.fixed, i.report],
    )?;
    Ok(tx.conn().last_insert_rowid())
}

/// Past inventories of a location's subtree: (id, path, at, user, found, missing, misplaced,
/// unknown), newest first.
pub type InventoryRow = (i64, String, String, String, i64, i64, i64, i64);

pub fn inventories(tx: Tx<'_>, path: Option<&str>, limit: i64) -> Result<Vec<InventoryRow>> {
    tx.query_map(
        "SELECT i.id, l.path, i.at, coalesce(u.name, ''), i.found, i.missing, i.misplaced, i.unknown
         FROM inventories i JOIN locations l ON l.id = i.location_id LEFT JOIN users u ON u.id = i.user_id
         WHERE ?1 IS NULL OR l.path = ?1 OR (l.path > ?1 || '/' AND l.path < ?1 || '0')
         ORDER BY i.id DESC LIMIT ?2",
        params![path, limit],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?)),
    )
}

// ----- for `verify` ----------------------------------------------------------------------

/// A box's code with the paths of its home and current place.
pub type BoxPlaces = (String, Option<String>, Option<String>);

/// Every box's code with the paths of its home and current place.
pub fn all_box_places(tx: Tx<'_>) -> Result<Vec<BoxPlaces>> {
    tx.query_map(
        "SELECT b.code, hl.path, cl.path FROM boxes b
         LEFT JOIN locations hl ON hl.id = b.home_location_id
         LEFT JOIN locations cl ON cl.id = b.location_id",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
}

/// Every folder: dossier number, box code, item number.
pub fn all_folders(tx: Tx<'_>) -> Result<Vec<(String, String, i64)>> {
    tx.query_map(
        "SELECT c.dossier_no, b.code, f.item_no FROM folders f
         JOIN customers c ON c.id = f.customer_id JOIN boxes b ON b.id = f.box_id",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
}
