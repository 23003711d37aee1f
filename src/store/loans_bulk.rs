//! Bulk writes of the lending desk for a loader that fills a new library (the demo, and the
//! benchmark's synthetic loan history): borrowers and loans written with their final state
//! (returned, lost, found, renewed) instead of one core action each, with prepared (cached)
//! statements, inside the caller's transaction. Functions taking a [`Tx`] run inside it.

use rusqlite::{Connection, params};

use super::Tx;
use crate::model::error::Result;
use crate::model::loans::{BorrowerKind, Condition, LoanState, RequestState};

/// What lending a dossier's folder needs to know of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LendingInput {
    pub customer_id: i64,
    /// Closed (销户): lent only before it was closed, never now.
    pub closed_day: Option<String>,
    pub confidential: bool,
    /// The day it was registered (`YYYY-MM-DD`).
    pub created_day: String,
    /// Its papers' pages (counted when it goes out).
    pub pages: i64,
    /// The box its folder is in, and the day it was filed there.
    pub box_id: Option<i64>,
    pub filed_day: Option<String>,
}

/// Every dossier with what lending it needs, in id (registration) order.
pub fn lending_inputs(conn: &Connection) -> Result<Vec<LendingInput>> {
    let mut st = conn.prepare(
        "SELECT c.id, CASE WHEN c.status = 'closed' THEN substr(coalesce(c.closed_at, c.updated_at), 1, 10) END,
                c.confidential, substr(c.created_at, 1, 10),
                (SELECT coalesce(sum(d.pages), 0) FROM documents d WHERE d.customer_id = c.id),
                f.box_id, substr(f.filed_at, 1, 10)
         FROM customers c LEFT JOIN folders f ON f.customer_id = c.id ORDER BY c.id",
    )?;
    let rows = st.query_map([], |r| {
        Ok(LendingInput {
            customer_id: r.get(0)?,
            closed_day: r.get(1)?,
            confidential: r.get(2)?,
            created_day: r.get(3)?,
            pages: r.get(4)?,
            box_id: r.get(5)?,
            filed_day: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// A box as lending it needs: id, its home and current place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BoxPlace {
    pub id: i64,
    pub home: Option<i64>,
    pub current: Option<i64>,
}

/// Every box's places, in id (shelf) order.
pub fn box_places(conn: &Connection) -> Result<Vec<BoxPlace>> {
    let mut st = conn.prepare("SELECT id, home_location_id, location_id FROM boxes ORDER BY id")?;
    let rows = st.query_map([], |r| Ok(BoxPlace { id: r.get(0)?, home: r.get(1)?, current: r.get(2)? }))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// A borrower as a bulk loader writes it, blocked or not.
#[derive(Debug, Clone)]
pub struct BulkBorrower<'a> {
    pub code: &'a str,
    pub kind: BorrowerKind,
    pub name: &'a str,
    pub dept: &'a str,
    pub unit: &'a str,
    pub phone: &'a str,
    pub card: Option<&'a str>,
    pub letter_no: &'a str,
    pub notes: &'a str,
    pub blocked_reason: Option<&'a str>,
    pub created_at: &'a str,
    pub updated_at: &'a str,
}

pub fn insert_borrower_bulk(tx: Tx<'_>, b: &BulkBorrower<'_>) -> Result<i64> {
    tx.query_row(
        "INSERT INTO borrowers (code, kind, name, dept, unit, phone, card, letter_no, notes, blocked,
                               blocked_reason, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) RETURNING id",
        params![
            b.code,
            b.kind.as_str(),
            b.name,
            b.dept,
            b.unit,
            b.phone,
            b.card,
            b.letter_no,
            b.notes,
            b.blocked_reason.is_some(),
            b.blocked_reason.unwrap_or_default(),
            b.created_at,
            b.updated_at
        ],
        |r| r.get(0),
    )
}

/// How a loan ended (or not yet).
#[derive(Debug, Clone)]
pub struct BulkReturn<'a> {
    pub at: &'a str,
    pub by: i64,
    pub pages: Option<i64>,
    pub condition: Condition,
}

/// A loan as a bulk loader writes it: its final state in one INSERT.
#[derive(Debug, Clone)]
pub struct BulkLoan<'a> {
    pub customer_id: Option<i64>,
    pub box_id: Option<i64>,
    pub box_loan_id: Option<i64>,
    pub borrower_id: i64,
    pub purpose: &'a str,
    pub lent_by: i64,
    pub lent_at: &'a str,
    pub due: &'a str,
    pub renewals: i64,
    pub approved_by: Option<i64>,
    pub pages_out: Option<i64>,
    pub state: LoanState,
    /// Returned or found: when, by whom, what came back.
    pub returned: Option<BulkReturn<'a>>,
    /// Lost (and perhaps found since): when and by whom it was reported.
    pub lost: Option<(&'a str, i64)>,
    /// What the desk noted on return or loss.
    pub note: &'a str,
    /// Lent although the borrower had loans overdue: who let it go out, and why.
    pub override_by: Option<i64>,
    pub override_note: &'a str,
}

pub fn insert_loan_bulk(tx: Tx<'_>, l: &BulkLoan<'_>) -> Result<i64> {
    let r = l.returned.as_ref();
    tx.query_row(
        "INSERT INTO loans (customer_id, box_id, box_loan_id, borrower_id, purpose, lent_by, lent_at, due,
                            renewals, approved_by, pages_out, state, returned_at, received_by, pages_back,
                            condition, return_note, lost_at, lost_by, override_by, override_note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)
         RETURNING id",
        params![
            l.customer_id,
            l.box_id,
            l.box_loan_id,
            l.borrower_id,
            l.purpose,
            l.lent_by,
            l.lent_at,
            l.due,
            l.renewals,
            l.approved_by,
            l.pages_out,
            l.state.as_str(),
            r.map(|r| r.at),
            r.map(|r| r.by),
            r.and_then(|r| r.pages),
            r.map(|r| r.condition.as_str()),
            l.note,
            l.lost.map(|x| x.0),
            l.lost.map(|x| x.1),
            l.override_by,
            l.override_note
        ],
        |row| row.get(0),
    )
}

/// A request (hold) as a bulk loader writes it.
#[allow(clippy::too_many_arguments)]
pub fn insert_request_bulk(
    tx: Tx<'_>,
    customer_id: Option<i64>,
    box_id: Option<i64>,
    borrower_id: i64,
    at: &str,
    by: i64,
    note: &str,
    state: RequestState,
) -> Result<i64> {
    tx.query_row(
        "INSERT INTO loan_requests (customer_id, box_id, borrower_id, requested_at, requested_by, note, state)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
        params![customer_id, box_id, borrower_id, at, by, note, state.as_str()],
        |r| r.get(0),
    )
}

/// A box that is out: no current place until it comes back.
pub fn set_box_out(tx: Tx<'_>, box_id: i64, at: &str) -> Result<()> {
    tx.execute(
        "UPDATE boxes SET location_id = NULL, updated_at = max(updated_at, ?2) WHERE id = ?1",
        params![box_id, at],
    )?;
    Ok(())
}

/// How many borrowers, loans (all rows, folders of a box included), requests waiting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LendingCounts {
    pub borrowers: i64,
    pub loans: i64,
    pub out: i64,
    pub lost: i64,
    pub requests: i64,
}

pub fn lending_counts(tx: Tx<'_>) -> Result<LendingCounts> {
    tx.query_row(
        "SELECT (SELECT count(*) FROM borrowers), (SELECT count(*) FROM loans),
                (SELECT count(*) FROM loans WHERE state = 'out'), (SELECT count(*) FROM loans WHERE state = 'lost'),
                (SELECT count(*) FROM loan_requests WHERE state = 'waiting')",
        [],
        |r| {
            Ok(LendingCounts {
                borrowers: r.get(0)?,
                loans: r.get(1)?,
                out: r.get(2)?,
                lost: r.get(3)?,
                requests: r.get(4)?,
            })
        },
    )
}

/// The ids of the borrowers, in the order they were made.
pub fn borrower_ids(tx: Tx<'_>) -> Result<Vec<i64>> {
    tx.query_map("SELECT id FROM borrowers ORDER BY id", [], |r| r.get(0))
}
