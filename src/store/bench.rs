//! SQL for `dangan bench`: sampling a gold set of customers, and the two baselines a desktop
//! app would otherwise search with (a SQLite FTS5 trigram table, and a `LIKE '%…%'` scan).

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};

use crate::model::error::Result;

/// One customer as the benchmark's gold set knows them.
#[derive(Debug, Clone)]
pub struct Sample {
    pub dossier: String,
    pub name: String,
    /// How many customers share this exact name.
    pub same_name: i64,
    pub id_number: Option<String>,
    /// `(phone, how many customers have it)`.
    pub phones: Vec<(String, i64)>,
    pub address: String,
    pub titles: Vec<String>,
}

pub fn sample(conn: &Connection, dossier: &str) -> Result<Option<Sample>> {
    let row = conn
        .prepare_cached("SELECT id, name, name_key, id_number, address FROM customers WHERE dossier_no = ?1")?
        .query_row([dossier], |r| {
            Ok((r.get::<_, i64>(0)?, r.get(1)?, r.get::<_, String>(2)?, r.get(3)?, r.get(4)?))
        })
        .optional()?;
    let Some((id, name, key, id_number, address)) = row else { return Ok(None) };
    let same_name: i64 = conn
        .prepare_cached("SELECT count(*) FROM customers WHERE name_key = ?1 AND name = ?2")?
        .query_row(params![key, name], |r| r.get(0))?;
    let phones: Vec<String> = conn
        .prepare_cached("SELECT phone FROM customer_phones WHERE customer_id = ?1 ORDER BY position")?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut with_counts = Vec::new();
    for p in phones {
        let n: i64 = conn
            .prepare_cached("SELECT count(DISTINCT customer_id) FROM customer_phones WHERE phone = ?1")?
            .query_row([&p], |r| r.get(0))?;
        with_counts.push((p, n));
    }
    let titles = conn
        .prepare_cached("SELECT title FROM documents WHERE customer_id = ?1 ORDER BY id")?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Some(Sample {
        dossier: dossier.to_string(),
        name,
        same_name,
        id_number,
        phones: with_counts,
        address,
        titles,
    }))
}

/// Builds the FTS5 baseline in its own file beside the library: one row per customer with the
/// name, the codes (dossier, ID, phones) and the text (address, document titles), trigram
/// tokenizer (the one FTS5 offers for Chinese). Returns the open baseline.
pub fn build_fts(library_db: &Path, fts_db: &Path) -> Result<Connection> {
    let _ = std::fs::remove_file(fts_db);
    let conn = Connection::open(fts_db)?;
    conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;")?;
    conn.execute("ATTACH DATABASE ?1 AS lib", [library_db.to_string_lossy()])?;
    conn.execute_batch(
        "CREATE VIRTUAL TABLE fts USING fts5(dossier UNINDEXED, name, codes, text, tokenize = 'trigram');
         BEGIN;
         INSERT INTO fts (dossier, name, codes, text)
         SELECT c.dossier_no, c.name,
                c.dossier_no || ' ' || coalesce(c.id_number, '') || ' ' ||
                coalesce((SELECT group_concat(p.phone, ' ') FROM lib.customer_phones p WHERE p.customer_id = c.id), ''),
                c.address || ' ' ||
                coalesce((SELECT group_concat(d.title, ' ') FROM lib.documents d WHERE d.customer_id = c.id), '')
         FROM lib.customers c;
         COMMIT;
         DETACH DATABASE lib;",
    )?;
    Ok(conn)
}

/// Searches the FTS5 baseline as an app would: MATCH for 3+ characters (what a trigram index
/// can answer), a LIKE over the table for shorter queries.
pub fn fts_search(conn: &Connection, query: &str, limit: usize) -> Result<Vec<String>> {
    let q = query.trim();
    let out = if q.chars().count() >= 3 {
        let phrase = format!("\"{}\"", q.replace('"', "\"\""));
        conn.prepare_cached("SELECT dossier FROM fts WHERE fts MATCH ?1 ORDER BY rank LIMIT ?2")?
            .query_map(params![phrase, limit as i64], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    } else {
        let like = format!("%{q}%");
        conn.prepare_cached(
            "SELECT dossier FROM fts WHERE name LIKE ?1 OR codes LIKE ?1 OR text LIKE ?1 LIMIT ?2",
        )?
        .query_map(params![like, limit as i64], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?
    };
    Ok(out)
}

/// The plain `LIKE '%…%'` scan over the library's own tables.
pub fn like_search(conn: &Connection, query: &str, limit: usize) -> Result<Vec<String>> {
    let like = format!("%{}%", query.trim());
    Ok(conn
        .prepare_cached(
            "SELECT c.dossier_no FROM customers c
             WHERE c.name LIKE ?1 OR c.address LIKE ?1 OR c.id_number LIKE ?1 OR c.dossier_no LIKE ?1
                OR EXISTS (SELECT 1 FROM customer_phones p WHERE p.customer_id = c.id AND p.phone LIKE ?1)
                OR EXISTS (SELECT 1 FROM documents d WHERE d.customer_id = c.id AND d.title LIKE ?1)
             LIMIT ?2",
        )?
        .query_map(params![like, limit as i64], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}
