//! Audit rows: appended inside the caller's write transaction, never updated or deleted
//! (triggers refuse both; the hash chain detects a tamperer who drops the triggers).

use rusqlite::{Connection, OptionalExtension, params};

use crate::model::AuditEntry;
use crate::model::audit::{Head, Record, StoredRow, chain_hash};
use crate::model::error::Result;

/// The meta key holding the chain head, updated in the same transaction as each append.
pub const HEAD_KEY: &str = "audit_head";

/// The last row's seq and hash, or the genesis head for an empty log.
pub fn last_head(conn: &Connection) -> Result<Head> {
    Ok(conn
        .query_row("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", [], |r| {
            Ok(Head { seq: r.get(0)?, hash: r.get(1)? })
        })
        .optional()?
        .unwrap_or_else(Head::genesis))
}

/// What a change is, before it is numbered and hashed.
#[derive(Debug, Clone, Default)]
pub struct NewEntry<'a> {
    pub at: &'a str,
    pub user: &'a str,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub dossier: Option<&'a str>,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Appends one row to the chain, continuing from the writer head read inside the same write
/// transaction, and moves the head in `writer_head` and in `meta`. Returns the new head.
pub fn append(tx: &Connection, e: &NewEntry<'_>) -> Result<Head> {
    let t = super::Tx::new(tx);
    let w = super::writer_head(t)?;
    let prev = Head { seq: w.audit_seq, hash: w.audit_hash };
    let seq = prev.seq + 1;
    let record = Record {
        seq,
        at: e.at,
        user: e.user,
        action: e.action,
        entity: e.entity,
        entity_id: e.entity_id,
        dossier: e.dossier,
        before: e.before.as_deref(),
        after: e.after.as_deref(),
    };
    let hash = chain_hash(&prev.hash, &record);
    tx.prepare_cached(
        "INSERT INTO audit_log (seq, at, user_name, action, entity, entity_id, dossier_no,
                                before, after, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        seq,
        e.at,
        e.user,
        e.action,
        e.entity,
        e.entity_id,
        e.dossier,
        e.before,
        e.after,
        prev.hash,
        hash
    ])?;
    t.execute("UPDATE writer_head SET audit_seq = ?1, audit_hash = ?2 WHERE id = 1", params![seq, hash])?;
    let head = Head { seq, hash };
    super::set_meta(tx, HEAD_KEY, &head.encode())?;
    Ok(head)
}

/// Calls `f` for every row in seq order, streaming (the log can be large).
pub fn for_each_row(conn: &Connection, mut f: impl FnMut(&StoredRow)) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, user_name, action, entity, entity_id, dossier_no, before, after,
                prev_hash, hash
         FROM audit_log ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let row = StoredRow {
            seq: r.get(0)?,
            at: r.get(1)?,
            user: r.get(2)?,
            action: r.get(3)?,
            entity: r.get(4)?,
            entity_id: r.get(5)?,
            dossier: r.get(6)?,
            before: r.get(7)?,
            after: r.get(8)?,
            prev_hash: r.get(9)?,
            hash: r.get(10)?,
        };
        f(&row);
    }
    Ok(())
}

pub fn hash_at(conn: &Connection, seq: i64) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT hash FROM audit_log WHERE seq = ?1", [seq], |r| r.get(0)).optional()?)
}

/// Filters for reading the log; all optional.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub since: Option<String>,
    pub dossier: Option<String>,
    pub user: Option<String>,
    pub entity: Option<String>,
    pub limit: usize,
}

/// The newest rows matching the filter, newest first.
pub fn query(conn: &Connection, f: &Filter) -> Result<Vec<AuditEntry>> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, user_name, action, entity, entity_id, dossier_no, before, after, hash
         FROM audit_log
         WHERE (?1 IS NULL OR at >= ?1) AND (?2 IS NULL OR dossier_no = ?2)
           AND (?3 IS NULL OR user_name = ?3) AND (?4 IS NULL OR entity = ?4)
         ORDER BY seq DESC LIMIT ?5",
    )?;
    let rows = stmt.query_map(params![f.since, f.dossier, f.user, f.entity, f.limit as i64], |r| {
        let json = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
        Ok(AuditEntry {
            seq: r.get(0)?,
            at: r.get(1)?,
            user: r.get(2)?,
            action: r.get(3)?,
            entity: r.get(4)?,
            entity_id: r.get(5)?,
            dossier: r.get(6)?,
            before: json(r.get(7)?),
            after: json(r.get(8)?),
            hash: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
