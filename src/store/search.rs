//! What the search index is derived from: the change log of customers to reindex (filled by
//! triggers in each write transaction), and each customer's searchable record read back.

use std::collections::HashMap;

use rusqlite::{Connection, params};

use super::Tx;
use crate::model::error::Result;

pub use crate::model::record::Record;

/// The customers changed by write transactions numbered in `(after, upto]`, each once, in id
/// order. The change log is gap-free (the head row's number is taken inside each write
/// transaction and given back by a rollback), so reading this range misses nothing.
pub fn changed_customers(tx: Tx<'_>, after: i64, upto: i64) -> Result<Vec<i64>> {
    tx.query_map(
        "SELECT DISTINCT customer_id FROM change_log WHERE txn > ?1 AND txn <= ?2 ORDER BY customer_id",
        params![after, upto],
        |r| r.get(0),
    )
}

/// How many change-log rows lie after `after` (what an index at that bookmark still lacks).
pub fn changes_after(tx: Tx<'_>, after: i64) -> Result<i64> {
    tx.query_row("SELECT count(*) FROM change_log WHERE txn > ?1", [after], |r| r.get(0))
}

/// The meta key of the change log's floor: rows at or below it may have been pruned, so an
/// index whose bookmark is lower cannot catch up from the log.
pub const FLOOR_KEY: &str = "change_log_floor";

/// Forgets the change-log rows at or below `upto` (the index has them; see `core::index`) and
/// raises the floor to it, inside the caller's write transaction.
pub fn prune_change_log(tx: Tx<'_>, upto: i64) -> Result<usize> {
    let n = tx.execute("DELETE FROM change_log WHERE txn <= ?1", [upto])?;
    tx.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value
         WHERE CAST(excluded.value AS INTEGER) > CAST(meta.value AS INTEGER)",
        params![FLOOR_KEY, upto.to_string()],
    )?;
    Ok(n)
}

/// Runs a bulk load inside transaction `tx` with the change-log triggers set aside, for a loader
/// that rebuilds the whole index afterwards (the triggers cost half the speed of a bulk load).
/// The triggers are dropped and recreated inside the same transaction, so no other connection
/// and no crash ever sees the schema without them. An index built before the load does not see
/// the load's customers: only a new library (the demo) may be loaded this way.
pub fn without_change_triggers<T>(tx: &Connection, f: impl FnOnce() -> Result<T>) -> Result<T> {
    let triggers: Vec<(String, String)> = tx
        .prepare_cached(
            "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND sql LIKE '%INTO change_log%'",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (name, _) in &triggers {
        tx.execute_batch(&format!("DROP TRIGGER \"{}\"", name.replace('"', "\"\"")))?;
    }
    let out = f()?;
    for (_, sql) in &triggers {
        tx.execute_batch(sql)?;
    }
    Ok(out)
}

pub(crate) fn category_paths(conn: &Connection) -> Result<HashMap<i64, String>> {
    Ok(super::config::categories(conn)?.into_iter().map(|c| (c.id, c.path)).collect())
}

fn custom_values(json: &str) -> Vec<String> {
    match serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(json) {
        Ok(map) => map
            .into_values()
            .filter_map(|v| match v {
                serde_json::Value::String(s) => Some(s),
                serde_json::Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .collect(),
        Err(_) => Vec::new(),
    }
}

const CUSTOMER_COLUMNS: &str = "id, dossier_no, name, former_names, id_number, address, category_id, grade,
     status, confidential, notes, custom,
     (SELECT coalesce(l.path || ' · ', '') || b.code FROM folders f JOIN boxes b ON b.id = f.box_id
      LEFT JOIN locations l ON l.id = b.location_id WHERE f.customer_id = customers.id),
     (SELECT b.name || char(9) || l.due || char(9) || l.state FROM loans l JOIN borrowers b ON b.id = l.borrower_id
      WHERE l.customer_id = customers.id AND l.state IN ('out', 'lost'))";

fn customer_from_row(r: &rusqlite::Row<'_>, paths: &HashMap<i64, String>) -> rusqlite::Result<Record> {
    let former: String = r.get(3)?;
    let category_id: i64 = r.get(6)?;
    let custom: String = r.get(11)?;
    Ok(Record {
        id: r.get(0)?,
        dossier: r.get(1)?,
        name: r.get(2)?,
        former_names: serde_json::from_str(&former).unwrap_or_default(),
        id_number: r.get(4)?,
        phones: Vec::new(),
        address: r.get(5)?,
        category_id,
        category_path: paths.get(&category_id).cloned().unwrap_or_default(),
        grade: r.get(7)?,
        status: r.get(8)?,
        confidential: r.get(9)?,
        notes: r.get(10)?,
        custom: custom_values(&custom),
        documents: Vec::new(),
        place: r.get::<_, Option<String>>(12)?.unwrap_or_default(),
        loan: r
            .get::<_, Option<String>>(13)?
            .as_deref()
            .and_then(crate::model::record::LoanNote::from_stored),
        page_text: String::new(),
    })
}

/// The records of these customers; ids with no customer (deleted) are left out.
pub fn records(conn: &Connection, ids: &[i64]) -> Result<Vec<Record>> {
    let paths = category_paths(conn)?;
    let mut one = conn.prepare_cached(&format!("SELECT {CUSTOMER_COLUMNS} FROM customers WHERE id = ?1"))?;
    let mut phones =
        conn.prepare_cached("SELECT phone FROM customer_phones WHERE customer_id = ?1 ORDER BY position")?;
    let mut docs = conn.prepare_cached(
        "SELECT t.name, d.title, d.notes FROM documents d JOIN doc_types t ON t.id = d.doc_type_id
         WHERE d.customer_id = ?1 ORDER BY d.id",
    )?;
    let mut texts = conn.prepare_cached(
        "SELECT t.text FROM page_text t JOIN pages p ON p.id = t.page_id
         JOIN documents d ON d.id = p.document_id
         WHERE d.customer_id = ?1 ORDER BY d.id, p.position, p.id",
    )?;
    let mut out = Vec::with_capacity(ids.len());
    for &id in ids {
        let mut rows = one.query(params![id])?;
        let Some(row) = rows.next()? else { continue };
        let mut rec = customer_from_row(row, &paths)?;
        rec.phones = phones.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        rec.documents = docs
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for t in texts.query_map([id], |r| r.get::<_, String>(0))? {
            push_page_text(&mut rec.page_text, &t?);
        }
        out.push(rec);
    }
    Ok(out)
}

/// Every customer's record in id order, streamed: three ordered cursors merged, so a million
/// customers are read without a query per customer.
pub fn for_each_record(conn: &Connection, mut f: impl FnMut(Record) -> Result<()>) -> Result<()> {
    let paths = category_paths(conn)?;
    let mut cs = conn.prepare(&format!("SELECT {CUSTOMER_COLUMNS} FROM customers ORDER BY id"))?;
    let mut ps =
        conn.prepare("SELECT customer_id, phone FROM customer_phones ORDER BY customer_id, position")?;
    let mut ds = conn.prepare(
        "SELECT d.customer_id, t.name, d.title, d.notes FROM documents d
         JOIN doc_types t ON t.id = d.doc_type_id ORDER BY d.customer_id, d.id",
    )?;
    let mut ts = conn.prepare(
        "SELECT d.customer_id, t.text FROM page_text t JOIN pages p ON p.id = t.page_id
         JOIN documents d ON d.id = p.document_id ORDER BY d.customer_id, d.id, p.position, p.id",
    )?;
    let mut texts = ts.query([])?;
    let mut next_text: Option<(i64, String)> = match texts.next()? {
        Some(r) => Some((r.get(0)?, r.get(1)?)),
        None => None,
    };
    let mut customers = cs.query([])?;
    let mut phones = ps.query([])?;
    let mut docs = ds.query([])?;
    let mut next_phone: Option<(i64, String)> = match phones.next()? {
        Some(r) => Some((r.get(0)?, r.get(1)?)),
        None => None,
    };
    let mut next_doc: Option<(i64, (String, String, String))> = match docs.next()? {
        Some(r) => Some((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?))),
        None => None,
    };
    while let Some(row) = customers.next()? {
        let mut rec = customer_from_row(row, &paths)?;
        while let Some((cid, phone)) = next_phone.take() {
            if cid > rec.id {
                next_phone = Some((cid, phone));
                break;
            }
            if cid == rec.id {
                rec.phones.push(phone);
            }
            next_phone = match phones.next()? {
                Some(r) => Some((r.get(0)?, r.get(1)?)),
                None => None,
            };
        }
        while let Some((cid, doc)) = next_doc.take() {
            if cid > rec.id {
                next_doc = Some((cid, doc));
                break;
            }
            if cid == rec.id {
                rec.documents.push(doc);
            }
            next_doc = match docs.next()? {
                Some(r) => Some((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?))),
                None => None,
            };
        }
        while let Some((cid, text)) = next_text.take() {
            if cid > rec.id {
                next_text = Some((cid, text));
                break;
            }
            if cid == rec.id {
                push_page_text(&mut rec.page_text, &text);
            }
            next_text = match texts.next()? {
                Some(r) => Some((r.get(0)?, r.get(1)?)),
                None => None,
            };
        }
        f(rec)?;
    }
    Ok(())
}

/// The most recognised text one dossier's record holds, in bytes: enough for its papers'
/// words, not a whole book in the index.
pub const MAX_PAGE_TEXT: usize = 64 * 1024;

fn push_page_text(all: &mut String, text: &str) {
    if all.len() >= MAX_PAGE_TEXT {
        return;
    }
    if !all.is_empty() {
        all.push('\n');
    }
    let room = MAX_PAGE_TEXT - all.len();
    let mut end = text.len().min(room);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    all.push_str(&text[..end]);
}
