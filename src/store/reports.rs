//! The reports' aggregates, counted in SQL (no row leaves the database but the totals).
//! Periods are `[from, to)` as stored UTC timestamps (`None`: open). Years, months and days are
//! the local ones (SQLite's `localtime`, the process's time zone), as the period's ends are: a
//! customer registered at 07:00 on 1 January in Beijing belongs to the new year. Rows are
//! tuples in the order each function's comment gives.
#![allow(clippy::type_complexity)]

use rusqlite::{Connection, params};

use crate::model::error::Result;

/// Customers by category, registration year and status: (category id, year, status, count,
/// of them 重要).
pub fn holdings(
    conn: &Connection,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<Vec<(i64, String, String, i64, i64)>> {
    let mut stmt = conn.prepare(
        "SELECT category_id, strftime('%Y', created_at, 'localtime'), status, count(*), sum(grade = 'important')
         FROM customers
         WHERE (?1 IS NULL OR created_at >= ?1) AND (?2 IS NULL OR created_at < ?2)
         GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
    )?;
    let rows =
        stmt.query_map(params![from, to], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One category's dossiers: (all, complete: every required type present, with no scanned
/// page at all though papers are recorded), the required types given as ids.
pub fn completeness(conn: &Connection, category_id: i64, required: &[i64]) -> Result<(i64, i64, i64)> {
    let req = serde_json::to_string(required).unwrap_or_else(|_| "[]".into());
    Ok(conn.query_row(
        "SELECT count(*),
                coalesce(sum(NOT EXISTS (SELECT 1 FROM json_each(?2) r WHERE NOT EXISTS
                    (SELECT 1 FROM documents d WHERE d.customer_id = c.id AND d.doc_type_id = r.value))), 0),
                coalesce(sum(EXISTS (SELECT 1 FROM documents d WHERE d.customer_id = c.id)
                    AND NOT EXISTS (SELECT 1 FROM documents d JOIN pages p ON p.document_id = d.id
                                    WHERE d.customer_id = c.id)), 0)
         FROM customers c WHERE c.category_id = ?1",
        params![category_id, req],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?)
}

/// Dossiers of a category without a document of this type.
pub fn missing_type(conn: &Connection, category_id: i64, doc_type_id: i64) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM customers c WHERE c.category_id = ?1
           AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.customer_id = c.id AND d.doc_type_id = ?2)",
        params![category_id, doc_type_id],
        |r| r.get(0),
    )?)
}

/// Loans (items: a box's folders are counted with their box) lent in the period, grouped by
/// `group` (`month`: YYYY-MM of lending; `org`: the borrower's unit, else department):
/// (group, lent, returned, returned late, average days out, out now).
pub fn loans(
    conn: &Connection,
    by_org: bool,
    from: Option<&str>,
    to: Option<&str>,
    now: &str,
) -> Result<Vec<(String, i64, i64, i64, f64, i64)>> {
    let group = if by_org {
        "CASE WHEN b.unit <> '' THEN b.unit WHEN b.dept <> '' THEN b.dept ELSE '-' END"
    } else {
        "strftime('%Y-%m', l.lent_at, 'localtime')"
    };
    let mut stmt = conn.prepare(&format!(
        "SELECT {group}, count(*),
                sum(l.returned_at IS NOT NULL),
                sum(l.returned_at IS NOT NULL AND date(l.returned_at, 'localtime') > l.due),
                avg(julianday(coalesce(l.returned_at, ?3)) - julianday(l.lent_at)),
                sum(l.state = 'out')
         FROM loans l JOIN borrowers b ON b.id = l.borrower_id
         WHERE l.box_loan_id IS NULL
           AND (?1 IS NULL OR l.lent_at >= ?1) AND (?2 IS NULL OR l.lent_at < ?2)
         GROUP BY 1 ORDER BY {}",
        if by_org { "2 DESC, 1" } else { "1" }
    ))?;
    let rows = stmt.query_map(params![from, to, now], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get::<_, Option<f64>>(4)?.unwrap_or(0.0),
            r.get(5)?,
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Loans overdue on `today` (local YYYY-MM-DD) by borrower: (name, card, unit or department,
/// items, most days over).
pub fn overdue(conn: &Connection, today: &str) -> Result<Vec<(String, String, String, i64, i64)>> {
    let mut stmt = conn.prepare(
        "SELECT b.name, b.code, CASE WHEN b.unit <> '' THEN b.unit ELSE b.dept END, count(*),
                max(CAST(julianday(?1) - julianday(l.due) AS INTEGER))
         FROM loans l JOIN borrowers b ON b.id = l.borrower_id
         WHERE l.state = 'out' AND l.due < ?1 AND l.box_loan_id IS NULL
         GROUP BY b.id ORDER BY 5 DESC, 4 DESC, 1",
    )?;
    let rows = stmt.query_map([today], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What each user did, by month, from the audit log: (user, YYYY-MM, customers registered,
/// documents added, pages filed, loans lent, loans taken back).
pub fn workload(
    conn: &Connection,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<Vec<(String, String, i64, i64, i64, i64, i64)>> {
    let mut stmt = conn.prepare(
        "SELECT user_name, strftime('%Y-%m', at, 'localtime'),
                sum(entity = 'customer' AND action = 'create'),
                sum(entity = 'document' AND action = 'create'),
                sum(entity = 'page' AND action = 'file'),
                sum(entity = 'loan' AND action = 'lend'),
                sum(entity = 'loan' AND action IN ('return', 'found'))
         FROM audit_log
         WHERE (?1 IS NULL OR at >= ?1) AND (?2 IS NULL OR at < ?2)
           AND entity IN ('customer', 'document', 'page', 'loan')
         GROUP BY 1, 2 ORDER BY 2, 1",
    )?;
    let rows = stmt.query_map(params![from, to], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
