//! Audit rows: appended inside the caller's write transaction, never updated or deleted
//! (triggers refuse both; the hash chain detects a tamperer who drops the triggers).

use rusqlite::{Connection, OptionalExtension, params};

use crate::model::AuditEntry;
use crate::model::audit::{BREAK_ACTION, BREAK_ENTITY, Head, Record, StoredRow, chain_hash};
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
///
/// The writer never chains onto a row it did not write without saying so: if the log's last
/// row is not the one the writer head names (a row appended behind Dangan's back, or rows cut
/// off the end), it first appends a `chain_break` row naming both, chained onto the row really
/// there, so `verify` names the break for ever after, and the log stays one unbroken chain.
pub fn append(tx: &Connection, e: &NewEntry<'_>) -> Result<Head> {
    let t = super::Tx::new(tx);
    let w = super::writer_head(t)?;
    let writer = Head { seq: w.audit_seq, hash: w.audit_hash };
    let last = last_head(tx)?;
    let prev = if last != writer {
        let after = serde_json::json!({
            "writer_head": { "seq": writer.seq, "hash": writer.hash },
            "last_row": { "seq": last.seq, "hash": last.hash },
        })
        .to_string();
        let brk = NewEntry {
            at: e.at,
            user: e.user,
            action: BREAK_ACTION,
            entity: BREAK_ENTITY,
            entity_id: "audit",
            dossier: None,
            before: None,
            after: Some(after),
        };
        insert(tx, &last, &brk)?
    } else {
        writer
    };
    let head = insert(tx, &prev, e)?;
    t.execute(
        "UPDATE writer_head SET audit_seq = ?1, audit_hash = ?2 WHERE id = 1",
        params![head.seq, head.hash],
    )?;
    super::set_meta(tx, HEAD_KEY, &head.encode())?;
    Ok(head)
}

/// Inserts one row chained onto `prev`.
fn insert(tx: &Connection, prev: &Head, e: &NewEntry<'_>) -> Result<Head> {
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
    Ok(Head { seq, hash })
}

/// The heads of one library, read in one snapshot: the log's last row, the writer head, the
/// head kept in `meta` (raw: it may be garbage).
#[derive(Debug, Clone)]
pub struct Heads {
    /// 0 for an empty log, else 1.
    pub rows: i64,
    pub last: Head,
    pub writer: Head,
    pub meta: Option<String>,
}

pub fn heads(conn: &Connection) -> Result<Heads> {
    let w = super::writer_head(super::Tx::new(conn))?;
    Ok(Heads {
        // Whether there are any (a count would scan a large log at every open).
        rows: conn.query_row("SELECT count(*) FROM (SELECT 1 FROM audit_log LIMIT 1)", [], |r| r.get(0))?,
        last: last_head(conn)?,
        writer: Head { seq: w.audit_seq, hash: w.audit_hash },
        meta: super::get_meta(conn, HEAD_KEY)?,
    })
}

/// The last full check that found nothing: its row's seq and hash, and when it ran.
pub fn last_clean_verify(conn: &Connection) -> Result<Option<(Head, String)>> {
    Ok(conn
        .query_row(
            "SELECT seq, hash, at FROM audit_log
             WHERE entity = 'library' AND action = 'verify'
               AND json_extract(after, '$.ok') = 1 AND json_extract(after, '$.full') = 1
             ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((Head { seq: r.get(0)?, hash: r.get(1)? }, r.get(2)?)),
        )
        .optional()?)
}

/// The last audited state ("after") of each record of `entity`: `f(entity_id, dossier, after)`
/// for each, streaming.
pub fn last_states(
    conn: &Connection,
    entity: &str,
    mut f: impl FnMut(&str, Option<&str>, &str) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT a.entity_id, a.dossier_no, a.after FROM audit_log a
         JOIN (SELECT max(seq) AS seq FROM audit_log
               WHERE entity = ?1 AND after IS NOT NULL GROUP BY entity_id) l ON a.seq = l.seq
         ORDER BY a.seq",
    )?;
    let mut rows = stmt.query([entity])?;
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        let dossier: Option<String> = r.get(1)?;
        let after: String = r.get(2)?;
        f(&id, dossier.as_deref(), &after)?;
    }
    Ok(())
}

/// Like [`last_states`], but the last row of each record whatever it says: `after` is `None`
/// when that row deleted the record.
pub fn last_rows(
    conn: &Connection,
    entity: &str,
    mut f: impl FnMut(&str, Option<&str>) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT a.entity_id, a.after FROM audit_log a
         JOIN (SELECT max(seq) AS seq FROM audit_log WHERE entity = ?1 GROUP BY entity_id) l ON a.seq = l.seq
         ORDER BY a.seq",
    )?;
    let mut rows = stmt.query([entity])?;
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        let after: Option<String> = r.get(1)?;
        f(&id, after.as_deref())?;
    }
    Ok(())
}

/// The last audited state of each customer and document row of one dossier, in seq order
/// (later rows of the same record come later): `(entity, entity_id, after)`.
pub fn states_of_dossier(conn: &Connection, dossier: &str) -> Result<Vec<(String, String, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT entity, entity_id, after FROM audit_log
         WHERE dossier_no = ?1 AND entity IN ('customer', 'document') AND after IS NOT NULL
         ORDER BY seq",
    )?;
    let rows = stmt.query_map([dossier], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The last audited state of every customer and document, one dossier at a time (streaming:
/// a large log never sits in memory): `f(dossier, states)` with `(entity, entity_id, after)`.
pub fn dossier_states(
    conn: &Connection,
    mut f: impl FnMut(&str, Vec<(String, String, String)>) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT a.dossier_no, a.entity, a.entity_id, a.after FROM audit_log a
         JOIN (SELECT max(seq) AS seq FROM audit_log
               WHERE entity IN ('customer', 'document') AND after IS NOT NULL AND dossier_no IS NOT NULL
               GROUP BY entity, entity_id) l ON a.seq = l.seq
         ORDER BY a.dossier_no, a.seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut current: Option<String> = None;
    let mut states = Vec::new();
    while let Some(r) = rows.next()? {
        let dossier: String = r.get(0)?;
        if current.as_deref() != Some(dossier.as_str()) {
            if let Some(d) = current.take() {
                f(&d, std::mem::take(&mut states))?;
            }
            current = Some(dossier);
        }
        states.push((r.get(1)?, r.get(2)?, r.get(3)?));
    }
    if let Some(d) = current {
        f(&d, states)?;
    }
    Ok(())
}

/// Calls `f` for every row after `seq` in seq order (a quick check from a known-good row).
pub fn for_each_row_after(conn: &Connection, seq: i64, mut f: impl FnMut(&StoredRow)) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, user_name, action, entity, entity_id, dossier_no, before, after,
                prev_hash, hash
         FROM audit_log WHERE seq > ?1 ORDER BY seq",
    )?;
    let mut rows = stmt.query([seq])?;
    while let Some(r) = rows.next()? {
        f(&stored(r)?);
    }
    Ok(())
}

fn stored(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredRow> {
    Ok(StoredRow {
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
    })
}

/// Calls `f` for every row in seq order, streaming (the log can be large).
pub fn for_each_row(conn: &Connection, f: impl FnMut(&StoredRow)) -> Result<()> {
    for_each_row_after(conn, 0, f)
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

/// The dossiers `verify --quick` compares with their audited state: those changed after
/// `since` (by `updated_at`), plus `sample` chosen at random.
pub fn recent_and_sampled_dossiers(conn: &Connection, since: &str, sample: i64) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT dossier_no FROM customers WHERE updated_at > ?1
         UNION
         SELECT dossier_no FROM (SELECT dossier_no FROM customers ORDER BY random() LIMIT ?2)",
    )?;
    let rows = stmt.query_map(params![since, sample], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
