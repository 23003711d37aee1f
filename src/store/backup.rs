//! The database side of a backup: a consistent copy of the live database taken with SQLite's
//! online backup API, and what a copy holds (library, schema, audit head, stored files).

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use crate::model::audit::Head;
use crate::model::error::Result;

/// Copies the database behind `src` into a new file at `dest` in one step: the copy is the
/// database as of one moment (a read transaction on `src` for the duration), while other
/// connections and processes go on writing (WAL: readers do not block writers).
pub fn snapshot(src: &Connection, dest: &Path) -> Result<()> {
    let mut dst = Connection::open(dest).map_err(|e| super::classify(dest, e))?;
    {
        let backup = rusqlite::backup::Backup::new(src, &mut dst)?;
        // -1: every page in one step, so the copy is one snapshot and never restarts because
        // another process wrote meanwhile. Busy (a writer checkpointing): wait and try again.
        let deadline = std::time::Instant::now() + super::BUSY_TIMEOUT;
        loop {
            match backup.step(-1)? {
                rusqlite::backup::StepResult::Done => break,
                _ if std::time::Instant::now() > deadline => {
                    return Err(crate::model::error::Error::Db("the database stayed busy; try again".into()));
                }
                _ => std::thread::sleep(std::time::Duration::from_millis(20)),
            }
        }
    }
    // The copy is a standalone file: no WAL beside it.
    dst.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get::<_, String>(0))?;
    dst.close().map_err(|(_, e)| super::classify(dest, e))?;
    Ok(())
}

/// What a database copy holds, read from the copy itself.
#[derive(Debug, Clone)]
pub struct SnapshotInfo {
    pub library_id: String,
    pub schema_version: i64,
    /// The audit chain's last row.
    pub audit_head: Head,
    pub customers: i64,
    /// Every stored file: SHA-256 and size, in id order.
    pub files: Vec<(String, i64)>,
}

/// Reads a database copy (read-only; nothing is written to it).
pub fn describe(path: &Path) -> Result<SnapshotInfo> {
    let conn =
        Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .map_err(|e| super::classify(path, e))?;
    let library_id = super::get_meta(&conn, "library_id")?.unwrap_or_default();
    let schema_version = super::migrate::current_version(&conn)?;
    let audit_head = super::audit::last_head(&conn)?;
    let customers = super::customers::count(&conn)?;
    let mut stmt = conn.prepare("SELECT sha256, size FROM files ORDER BY id")?;
    let files = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(SnapshotInfo { library_id, schema_version, audit_head, customers, files })
}

const SCHEDULE_KEY: &str = "backup.schedule";
const LAST_RUN_KEY: &str = "backup.last_run";

/// The backup schedule (the default, off, when none was set).
pub fn schedule(conn: &Connection) -> Result<crate::model::backup::BackupSchedule> {
    Ok(super::get_meta(conn, SCHEDULE_KEY)?.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default())
}

pub fn set_schedule(tx: &Connection, s: &crate::model::backup::BackupSchedule) -> Result<()> {
    super::set_meta(tx, SCHEDULE_KEY, &serde_json::to_string(s).unwrap_or_default())
}

/// The last scheduled run, if any.
pub fn last_run(conn: &Connection) -> Result<Option<crate::model::backup::BackupRun>> {
    Ok(super::get_meta(conn, LAST_RUN_KEY)?.and_then(|s| serde_json::from_str(&s).ok()))
}

pub fn set_last_run(tx: &Connection, r: &crate::model::backup::BackupRun) -> Result<()> {
    super::set_meta(tx, LAST_RUN_KEY, &serde_json::to_string(r).unwrap_or_default())
}
