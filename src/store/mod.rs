//! SQLite access. Only this module writes SQL. One [`Db`] wraps one connection in WAL mode
//! with foreign keys on; every user action is one write transaction ([`Db::write`]).

pub mod audit;
pub mod backup;
pub mod bench;
pub mod config;
pub mod customers;
pub mod export;
pub mod imports;
pub mod loans;
pub mod loans_bulk;
pub mod migrate;
pub mod reports;
pub mod scans;
pub mod scans_bulk;
pub mod search;
pub mod storage;
pub mod storage_bulk;
mod tx;
pub mod users;

pub use tx::Tx;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, Transaction, TransactionBehavior};

use crate::model::error::{Error, Result};

pub use rusqlite::Connection as Conn;

pub struct Db {
    conn: Connection,
    path: PathBuf,
    /// Change-log rows at or below this are pruned by the next write (see [`Db::write`]).
    prune_floor: Option<i64>,
    /// The last committed write transaction's number, and whether it changed a customer.
    last_write: Option<(i64, bool)>,
}

/// How long a write waits for another process's write transaction before giving up. Write
/// actions are short (milliseconds); ten seconds covers a burst of them and a slow disk, and
/// is still short enough that a clerk is told something rather than left waiting.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The writer head: the last committed write transaction and the audit chain's head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriterHead {
    pub txn: i64,
    pub audit_seq: i64,
    pub audit_hash: String,
}

/// The writer head as this connection sees it (one indexed row: cheap enough to poll).
pub fn writer_head(tx: Tx<'_>) -> Result<WriterHead> {
    tx.query_row("SELECT txn, audit_seq, audit_hash FROM writer_head WHERE id = 1", [], |r| {
        Ok(WriterHead { txn: r.get(0)?, audit_seq: r.get(1)?, audit_hash: r.get(2)? })
    })
}

/// A write that waited out the busy timeout is refused with what to do; other errors as usual.
fn busy_or(path: &Path, e: rusqlite::Error) -> Error {
    if let rusqlite::Error::SqliteFailure(f, _) = &e
        && matches!(f.code, ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    {
        return Error::conflict("library-busy")
            .arg("path", path.parent().unwrap_or(path).display())
            .arg("seconds", BUSY_TIMEOUT.as_secs());
    }
    classify(path, e)
}

/// Turns SQLite's errors into one clear sentence with what to do: a damaged file is
/// [`Error::Corrupt`], a read-only one [`Error::ReadOnly`], a full disk, an I/O error or a busy
/// library a keyed [`Error::Failed`] or [`Error::Refused`]; SQLite's own text (often doubled,
/// "disk I/O error: disk I/O error: Error code 4874") is never the message, only the detail.
pub(crate) fn classify(path: &Path, e: rusqlite::Error) -> Error {
    if let rusqlite::Error::SqliteFailure(f, ref msg) = e {
        match f.code {
            ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt => {
                return Error::Corrupt {
                    path: path.to_path_buf(),
                    detail: msg.clone().unwrap_or_else(|| f.to_string()),
                };
            }
            ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied => {
                let dir = path.parent().unwrap_or(path).to_path_buf();
                return Error::ReadOnly { path: dir, detail: msg.clone().unwrap_or_else(|| f.to_string()) };
            }
            _ => {}
        }
    }
    let dir = path.parent().unwrap_or(path);
    match plain(e) {
        Error::Failed(m) => Error::Failed(m).arg("path", dir.display()),
        other => other,
    }
}

/// The SQLite error codes that have a sentence of their own, without a path (for the `?` on
/// any query). The raw text is kept for the log, not shown.
fn plain(e: rusqlite::Error) -> Error {
    if let rusqlite::Error::SqliteFailure(f, msg) = &e {
        let key = match f.code {
            ErrorCode::DiskFull => Some("database-disk-full"),
            ErrorCode::SystemIoFailure => Some("database-io-error"),
            ErrorCode::ReadOnly => Some("database-read-only"),
            ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => Some("database-busy"),
            ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt => Some("database-damaged"),
            ErrorCode::OutOfMemory => Some("database-out-of-memory"),
            _ => None,
        };
        if let Some(key) = key {
            tracing::warn!(code = f.extended_code, message = ?msg, "database error");
            return Error::failed(key).arg("seconds", BUSY_TIMEOUT.as_secs());
        }
        // SQLite's message alone: rusqlite's text repeats it with the code's description.
        return Error::Db(match msg {
            Some(m) => m.clone(),
            None => f.to_string(),
        });
    }
    Error::Db(e.to_string())
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Error {
        plain(e)
    }
}

impl Db {
    /// Opens (or creates) the database file and sets the connection up. Fails with
    /// [`Error::Corrupt`] if the file is not a SQLite database.
    pub fn open(path: &Path) -> Result<Db> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| classify(path, e))?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(|e| classify(path, e))?;
        let setup = || -> rusqlite::Result<()> {
            // Reading the journal mode reads the header: a file that is not a database fails here.
            let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
            if !mode.eq_ignore_ascii_case("wal") {
                tracing::warn!(%mode, "could not switch the database to WAL mode");
            }
            conn.execute_batch(
                "PRAGMA foreign_keys = ON;
                 PRAGMA synchronous = FULL;
                 PRAGMA temp_store = MEMORY;
                 PRAGMA cache_size = -32000;",
            )?;
            // Make sure the schema is readable at all (catches a damaged first page).
            conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get::<_, i64>(0))?;
            Ok(())
        };
        setup().map_err(|e| classify(path, e))?;
        Ok(Db { conn, path: path.to_path_buf(), prune_floor: None, last_write: None })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// A handle for reads outside an explicit transaction (each statement its own snapshot).
    pub fn tx(&self) -> Tx<'_> {
        Tx::new(&self.conn)
    }

    pub fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction: all of it is committed, or none.
    ///
    /// SQLite admits one such transaction at a time across every process on the library; a
    /// second waits (up to the busy timeout, [`BUSY_TIMEOUT`]) instead of failing. The first
    /// thing each one does is move the writer head (`writer_head.txn + 1`): the change-log
    /// triggers stamp their rows with that number, and the audit chain continues from the head
    /// row read here, inside the same transaction. A rollback gives the number back, so the
    /// numbers of committed transactions have no gaps.
    pub fn write<T>(&mut self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| busy_or(&path, e))?;
        let txn: i64 = Tx::new(&tx)
            .query_opt("UPDATE writer_head SET txn = txn + 1 WHERE id = 1 RETURNING txn", [], |r| r.get(0))?
            .ok_or_else(|| Error::Corrupt {
                path: path.clone(),
                detail: "the writer head row is missing".into(),
            })?;
        if let Some(floor) = self.prune_floor.take() {
            search::prune_change_log(Tx::new(&tx), floor.min(txn - 1))?;
        }
        let out = f(&tx)?;
        let changed: bool = Tx::new(&tx).query_row(
            "SELECT EXISTS (SELECT 1 FROM change_log WHERE txn = ?1)",
            [txn],
            |r| r.get(0),
        )?;
        tx.commit().map_err(|e| busy_or(&path, e))?;
        self.last_write = Some((txn, changed));
        Ok(out)
    }

    /// The last write transaction this connection committed: its number, and whether it
    /// changed a customer (wrote to the change log), so the search index has work to do.
    pub fn last_write(&self) -> Option<(i64, bool)> {
        self.last_write
    }

    /// Change-log rows at or below `txn` are no longer needed (the index has them): the next
    /// write transaction deletes them, so pruning costs no transaction of its own.
    pub fn prune_change_log_below(&mut self, txn: i64) {
        self.prune_floor = Some(self.prune_floor.map_or(txn, |f| f.max(txn)));
    }

    /// Deletes the change-log rows at or below `txn` now, in a short transaction of its own. It
    /// is housekeeping, not a user action: the writer head does not move.
    pub fn prune_change_log_now(&mut self, txn: i64) -> Result<usize> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| busy_or(&path, e))?;
        let n = search::prune_change_log(Tx::new(&tx), txn)?;
        tx.commit().map_err(|e| busy_or(&path, e))?;
        self.prune_floor = None;
        Ok(n)
    }

    /// Runs `f` in one read transaction, so everything it reads is from one snapshot.
    pub fn read<T>(&mut self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
        let out = f(&tx)?;
        tx.finish()?;
        Ok(out)
    }

    /// Sets how hard SQLite makes sure a commit is on the disk. Libraries run with `FULL`
    /// (set in [`Db::open`]): in WAL mode, `NORMAL` syncs only at checkpoints, so a power cut
    /// can lose the last transactions a clerk was told were saved; `FULL` syncs the WAL at
    /// every commit. `dangan bench` measures both (its only other user).
    pub fn set_synchronous_full(&self, full: bool) -> Result<()> {
        self.conn.pragma_update(None, "synchronous", if full { "FULL" } else { "NORMAL" })?;
        Ok(())
    }

    /// SQLite's `synchronous` setting on this connection (0 off, 1 normal, 2 full, 3 extra).
    pub fn synchronous(&self) -> Result<i64> {
        Ok(self.conn.query_row("PRAGMA synchronous", [], |r| r.get(0))?)
    }

    /// Sets SQLite's page cache for this connection (bulk loaders want more than the default).
    pub fn set_cache_mib(&self, mib: u32) -> Result<()> {
        self.conn.pragma_update(None, "cache_size", -(i64::from(mib) * 1024))?;
        Ok(())
    }

    /// Checkpoint the WAL after this many pages (SQLite's default is 1000).
    pub fn set_autocheckpoint(&self, pages: u32) -> Result<()> {
        self.conn.pragma_update(None, "wal_autocheckpoint", pages)?;
        Ok(())
    }

    /// Checkpoints the WAL into the main file (used after bulk loads).
    pub fn checkpoint(&self) -> Result<()> {
        self.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")?;
        Ok(())
    }
}

/// The `meta` key a demo sets when it starts filling a library and clears when it is done: a
/// library that still has it was left by a demo that was killed, and may lack records.
pub const DEMO_UNFINISHED: &str = "demo_unfinished";

/// Whether the library database at `path` is a demo that never finished, read without writing.
pub fn is_unfinished_demo(path: &Path) -> Result<bool> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| classify(path, e))?;
    let has_meta: bool = conn
        .query_row("SELECT count(*) > 0 FROM sqlite_schema WHERE type = 'table' AND name = 'meta'", [], |r| {
            r.get(0)
        })
        .map_err(|e| classify(path, e))?;
    Ok(has_meta && get_meta(&conn, DEMO_UNFINISHED)?.is_some())
}

pub fn delete_meta(conn: &Connection, key: &str) -> Result<()> {
    conn.execute("DELETE FROM meta WHERE key = ?1", [key])?;
    Ok(())
}

pub fn get_meta(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0)).optional()?)
}

pub fn set_meta(tx: &Connection, key: &str, value: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )?;
    Ok(())
}

/// `PRAGMA integrity_check`: SQLite's own problems, empty if none.
pub fn integrity_problems(conn: &Connection) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    for row in stmt.query_map([], |r| r.get::<_, String>(0))? {
        let line = row?;
        if line != "ok" {
            out.push(format!("database: {line}"));
        }
    }
    Ok(out)
}

/// `PRAGMA foreign_key_check`: rows that point at missing rows.
pub fn foreign_key_problems(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let rows = stmt.query_map([], |r| {
        Ok(format!(
            "database: row {} of {} refers to a missing row of {}",
            r.get::<_, Option<i64>>(1)?.unwrap_or_default(),
            r.get::<_, String>(0)?,
            r.get::<_, String>(2)?
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
