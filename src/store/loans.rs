//! Lending tables: borrowers, loans, requests, the library's holiday calendar and the loan
//! policy. Functions taking a [`Tx`] run inside the caller's transaction.

use std::collections::BTreeSet;

use rusqlite::{Row, params};

use super::Tx;
use crate::model::calendar::{DayKind, SpecialDay};
use crate::model::error::Result;
use crate::model::loans::{
    Borrower, BorrowerKind, Condition, ItemKind, Loan, LoanRequest, LoanState, RequestState,
};

pub const POLICY_KEY: &str = "loans.policy";
pub const BORROWER_CODE_SCOPE: &str = "loans:borrower-code";

// ----- borrowers -------------------------------------------------------------------------

const BORROWER_COLUMNS: &str = "id, code, kind, name, dept, unit, phone, card, letter_no, notes, blocked,
     blocked_reason, created_at";

fn borrower_row(r: &Row<'_>) -> rusqlite::Result<Borrower> {
    let kind: String = r.get(2)?;
    Ok(Borrower {
        id: r.get(0)?,
        code: r.get(1)?,
        kind: kind.parse().unwrap_or(BorrowerKind::Staff),
        name: r.get(3)?,
        dept: r.get(4)?,
        unit: r.get(5)?,
        phone: r.get(6)?,
        card: r.get(7)?,
        letter_no: r.get(8)?,
        notes: r.get(9)?,
        blocked: r.get(10)?,
        blocked_reason: r.get(11)?,
        created_at: r.get(12)?,
    })
}

pub fn borrower_by_id(tx: Tx<'_>, id: i64) -> Result<Option<Borrower>> {
    tx.query_opt(&format!("SELECT {BORROWER_COLUMNS} FROM borrowers WHERE id = ?1"), [id], borrower_row)
}

/// A borrower by card number (JY…) or by the badge recorded as their card.
pub fn borrower_by_code(tx: Tx<'_>, code: &str) -> Result<Option<Borrower>> {
    tx.query_opt(
        &format!(
            "SELECT {BORROWER_COLUMNS} FROM borrowers WHERE code = ?1 OR card = ?1 ORDER BY code = ?1 DESC"
        ),
        [code],
        borrower_row,
    )
}

/// Borrowers of exactly this name.
pub fn borrowers_named(tx: Tx<'_>, name: &str) -> Result<Vec<Borrower>> {
    tx.query_map(
        &format!("SELECT {BORROWER_COLUMNS} FROM borrowers WHERE name = ?1 ORDER BY id"),
        [name],
        borrower_row,
    )
}

/// What a new borrower is made of.
#[derive(Debug, Clone)]
pub struct NewBorrower<'a> {
    pub code: &'a str,
    pub kind: BorrowerKind,
    pub name: &'a str,
    pub dept: &'a str,
    pub unit: &'a str,
    pub phone: &'a str,
    pub card: Option<&'a str>,
    pub letter_no: &'a str,
    pub notes: &'a str,
    pub at: &'a str,
}

pub fn insert_borrower(tx: Tx<'_>, b: &NewBorrower<'_>) -> Result<i64> {
    tx.query_row(
        "INSERT INTO borrowers (code, kind, name, dept, unit, phone, card, letter_no, notes, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10) RETURNING id",
        params![b.code, b.kind.as_str(), b.name, b.dept, b.unit, b.phone, b.card, b.letter_no, b.notes, b.at],
        |r| r.get(0),
    )
}

/// Writes a borrower's editable fields back.
pub fn update_borrower(tx: Tx<'_>, b: &Borrower, at: &str) -> Result<()> {
    tx.execute(
        "UPDATE borrowers SET kind = ?2, name = ?3, dept = ?4, unit = ?5, phone = ?6, card = ?7, letter_no = ?8,
                              notes = ?9, blocked = ?10, blocked_reason = ?11, updated_at = ?12
         WHERE id = ?1",
        params![
            b.id,
            b.kind.as_str(),
            b.name,
            b.dept,
            b.unit,
            b.phone,
            b.card,
            b.letter_no,
            b.notes,
            b.blocked,
            b.blocked_reason,
            at
        ],
    )?;
    Ok(())
}

/// Borrowers matching a text (name, department, unit, code, card, phone), with their counts:
/// items out now (a box once), overdue among them (due before `today`), loans ever.
pub fn borrowers(
    tx: Tx<'_>,
    text: &str,
    blocked_only: bool,
    today: &str,
    limit: i64,
) -> Result<Vec<(Borrower, i64, i64, i64)>> {
    let like = format!("%{}%", text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
    tx.query_map(
        &format!(
            "SELECT {BORROWER_COLUMNS},
                (SELECT count(*) FROM loans l WHERE l.borrower_id = borrowers.id AND l.state IN ('out', 'lost')
                   AND l.box_loan_id IS NULL),
                (SELECT count(*) FROM loans l WHERE l.borrower_id = borrowers.id AND l.state IN ('out', 'lost')
                   AND l.state = 'out' AND l.box_loan_id IS NULL AND l.due < ?2),
                (SELECT count(*) FROM loans l WHERE l.borrower_id = borrowers.id AND l.box_loan_id IS NULL)
             FROM borrowers
             WHERE (?1 = '%%' OR name LIKE ?1 ESCAPE '\\' OR dept LIKE ?1 ESCAPE '\\' OR unit LIKE ?1 ESCAPE '\\'
                    OR code LIKE ?1 ESCAPE '\\' OR coalesce(card, '') LIKE ?1 ESCAPE '\\' OR phone LIKE ?1 ESCAPE '\\')
               AND (?3 = 0 OR blocked = 1)
             ORDER BY name, id LIMIT ?4"
        ),
        params![like, today, blocked_only, limit],
        |r| Ok((borrower_row(r)?, r.get(13)?, r.get(14)?, r.get(15)?)),
    )
}

/// A borrower's loans still out and past due (before `today`), a box once. (`state IN (…)` is
/// repeated so that SQLite sees the partial index `loans_borrower_out` applies.)
pub fn overdue_of(tx: Tx<'_>, borrower_id: i64, today: &str) -> Result<Vec<(String, String)>> {
    tx.query_map(
        "SELECT coalesce(c.dossier_no, x.code), l.due FROM loans l
         LEFT JOIN customers c ON c.id = l.customer_id LEFT JOIN boxes x ON x.id = l.box_id
         WHERE l.borrower_id = ?1 AND l.state IN ('out', 'lost') AND l.state = 'out' AND l.due < ?2
           AND l.box_loan_id IS NULL
         ORDER BY l.due",
        params![borrower_id, today],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

// ----- loans -----------------------------------------------------------------------------

/// The row of a loan the desk acts on.
#[derive(Debug, Clone, PartialEq)]
pub struct LoanRow {
    pub id: i64,
    pub customer_id: Option<i64>,
    pub box_id: Option<i64>,
    pub box_loan_id: Option<i64>,
    pub borrower_id: i64,
    pub due: String,
    pub renewals: i64,
    pub state: LoanState,
    pub pages_out: Option<i64>,
}

const LOAN_ROW_COLUMNS: &str =
    "id, customer_id, box_id, box_loan_id, borrower_id, due, renewals, state, pages_out";

fn loan_row(r: &Row<'_>) -> rusqlite::Result<LoanRow> {
    let state: String = r.get(7)?;
    Ok(LoanRow {
        id: r.get(0)?,
        customer_id: r.get(1)?,
        box_id: r.get(2)?,
        box_loan_id: r.get(3)?,
        borrower_id: r.get(4)?,
        due: r.get(5)?,
        renewals: r.get(6)?,
        state: state.parse().unwrap_or(LoanState::Out),
        pages_out: r.get(8)?,
    })
}

/// The loan out (or lost) of a dossier's folder, if any.
pub fn active_loan_of_customer(tx: Tx<'_>, customer_id: i64) -> Result<Option<LoanRow>> {
    tx.query_opt(
        &format!("SELECT {LOAN_ROW_COLUMNS} FROM loans WHERE customer_id = ?1 AND state IN ('out', 'lost')"),
        [customer_id],
        loan_row,
    )
}

/// The loan out (or lost) of a box, if any.
pub fn active_loan_of_box(tx: Tx<'_>, box_id: i64) -> Result<Option<LoanRow>> {
    tx.query_opt(
        &format!("SELECT {LOAN_ROW_COLUMNS} FROM loans WHERE box_id = ?1 AND state IN ('out', 'lost')"),
        [box_id],
        loan_row,
    )
}

pub fn loan_row_by_id(tx: Tx<'_>, id: i64) -> Result<Option<LoanRow>> {
    tx.query_opt(&format!("SELECT {LOAN_ROW_COLUMNS} FROM loans WHERE id = ?1"), [id], loan_row)
}

/// The folders' loans that went out with a box's loan.
pub fn folder_loans_of(tx: Tx<'_>, box_loan_id: i64) -> Result<Vec<LoanRow>> {
    tx.query_map(
        &format!("SELECT {LOAN_ROW_COLUMNS} FROM loans WHERE box_loan_id = ?1 ORDER BY id"),
        [box_loan_id],
        loan_row,
    )
}

/// Folders of a box that are out or lost on loans of their own (not with the box).
pub fn box_folders_out(tx: Tx<'_>, box_id: i64) -> Result<Vec<(i64, LoanRow)>> {
    tx.query_map(
        &format!(
            "SELECT f.customer_id, {} FROM folders f JOIN loans l ON l.customer_id = f.customer_id
             WHERE f.box_id = ?1 AND l.state IN ('out', 'lost') ORDER BY f.item_no",
            LOAN_ROW_COLUMNS.split(", ").map(|c| format!("l.{c}")).collect::<Vec<_>>().join(", ")
        ),
        [box_id],
        |r| {
            let state: String = r.get(8)?;
            Ok((
                r.get(0)?,
                LoanRow {
                    id: r.get(1)?,
                    customer_id: r.get(2)?,
                    box_id: r.get(3)?,
                    box_loan_id: r.get(4)?,
                    borrower_id: r.get(5)?,
                    due: r.get(6)?,
                    renewals: r.get(7)?,
                    state: state.parse().unwrap_or(LoanState::Out),
                    pages_out: r.get(9)?,
                },
            ))
        },
    )
}

/// What a new loan is made of.
#[derive(Debug, Clone)]
pub struct NewLoan<'a> {
    pub customer_id: Option<i64>,
    pub box_id: Option<i64>,
    pub box_loan_id: Option<i64>,
    pub borrower_id: i64,
    pub purpose: &'a str,
    pub lent_by: i64,
    pub lent_at: &'a str,
    pub due: &'a str,
    pub approved_by: Option<i64>,
    pub override_by: Option<i64>,
    pub override_note: &'a str,
    pub pages_out: Option<i64>,
}

pub fn insert_loan(tx: Tx<'_>, l: &NewLoan<'_>) -> Result<i64> {
    tx.query_row(
        "INSERT INTO loans (customer_id, box_id, box_loan_id, borrower_id, purpose, lent_by, lent_at, due,
                            approved_by, override_by, override_note, pages_out, state)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'out') RETURNING id",
        params![
            l.customer_id,
            l.box_id,
            l.box_loan_id,
            l.borrower_id,
            l.purpose,
            l.lent_by,
            l.lent_at,
            l.due,
            l.approved_by,
            l.override_by,
            l.override_note,
            l.pages_out
        ],
        |r| r.get(0),
    )
}

/// How a loan came back.
#[derive(Debug, Clone)]
pub struct Returned<'a> {
    pub at: &'a str,
    pub by: i64,
    pub pages: Option<i64>,
    pub condition: Condition,
    pub note: &'a str,
    /// It had been reported lost.
    pub found: bool,
}

pub fn set_returned(tx: Tx<'_>, id: i64, r: &Returned<'_>) -> Result<()> {
    tx.execute(
        "UPDATE loans SET state = ?2, returned_at = ?3, received_by = ?4, pages_back = ?5, condition = ?6,
                          return_note = ?7
         WHERE id = ?1",
        params![
            id,
            if r.found { LoanState::Found } else { LoanState::Returned }.as_str(),
            r.at,
            r.by,
            r.pages,
            r.condition.as_str(),
            r.note
        ],
    )?;
    Ok(())
}

pub fn set_renewed(tx: Tx<'_>, id: i64, due: &str) -> Result<()> {
    tx.execute("UPDATE loans SET due = ?2, renewals = renewals + 1 WHERE id = ?1", params![id, due])?;
    Ok(())
}

pub fn set_lost(tx: Tx<'_>, id: i64, at: &str, by: i64, note: &str) -> Result<()> {
    tx.execute(
        "UPDATE loans SET state = 'lost', lost_at = ?2, lost_by = ?3,
                          return_note = CASE WHEN ?4 = '' THEN return_note ELSE ?4 END
         WHERE id = ?1",
        params![id, at, by, note],
    )?;
    Ok(())
}

const LOAN_SELECT: &str = "SELECT l.id, l.customer_id IS NULL, coalesce(c.dossier_no, x.code), c.name, x.year, x.box_no,
        (SELECT count(*) FROM folders f WHERE f.box_id = x.id),
        (SELECT bx.code FROM loans pl JOIN boxes bx ON bx.id = pl.box_id WHERE pl.id = l.box_loan_id),
        b.name, b.code, CASE WHEN b.unit <> '' THEN b.unit ELSE b.dept END, l.purpose,
        ul.name, l.lent_at, l.due, l.renewals, ua.name, uo.name, l.override_note, l.pages_out, l.state,
        l.returned_at, ur.name, l.pages_back, l.condition, l.return_note, l.lost_at, coalesce(c.confidential, 0)
     FROM loans l
     JOIN borrowers b ON b.id = l.borrower_id
     LEFT JOIN customers c ON c.id = l.customer_id
     LEFT JOIN boxes x ON x.id = l.box_id
     LEFT JOIN users ul ON ul.id = l.lent_by
     LEFT JOIN users ua ON ua.id = l.approved_by
     LEFT JOIN users uo ON uo.id = l.override_by
     LEFT JOIN users ur ON ur.id = l.received_by";

/// A loan as shown, and whether its dossier is confidential (the core hides its name from
/// those who may not see it). `overdue_days` is left 0: the core knows today.
fn loan_view(r: &Row<'_>) -> rusqlite::Result<(Loan, bool)> {
    let is_box: bool = r.get(1)?;
    let state: String = r.get(20)?;
    let condition: Option<String> = r.get(24)?;
    let title = if is_box {
        let (year, no, count): (Option<i64>, Option<i64>, i64) = (r.get(4)?, r.get(5)?, r.get(6)?);
        format!("{}年 第{}盒 · {count}卷", year.unwrap_or_default(), no.unwrap_or_default())
    } else {
        r.get::<_, Option<String>>(3)?.unwrap_or_default()
    };
    Ok((
        Loan {
            id: r.get(0)?,
            kind: if is_box { ItemKind::Box } else { ItemKind::Dossier },
            item: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
            title,
            with_box: r.get(7)?,
            borrower: r.get(8)?,
            borrower_code: r.get(9)?,
            borrower_org: r.get(10)?,
            purpose: r.get(11)?,
            lent_by: r.get::<_, Option<String>>(12)?.unwrap_or_default(),
            lent_at: r.get(13)?,
            due: r.get(14)?,
            renewals: r.get(15)?,
            approved_by: r.get(16)?,
            override_by: r.get(17)?,
            override_note: r.get(18)?,
            pages_out: r.get(19)?,
            state: state.parse().unwrap_or(LoanState::Out),
            returned_at: r.get(21)?,
            received_by: r.get(22)?,
            pages_back: r.get(23)?,
            condition: condition.and_then(|c| c.parse().ok()),
            return_note: r.get(25)?,
            lost_at: r.get(26)?,
            overdue_days: 0,
        },
        r.get(27)?,
    ))
}

pub fn loan_by_id(tx: Tx<'_>, id: i64) -> Result<Option<(Loan, bool)>> {
    tx.query_opt(&format!("{LOAN_SELECT} WHERE l.id = ?1"), [id], loan_view)
}

/// Which loans to list.
#[derive(Debug, Clone, Default)]
pub struct LoanFilter {
    /// Only loans out or lost now.
    pub active: bool,
    /// Only loans out whose due date is before this date (overdue on that day).
    pub due_before: Option<String>,
    /// Only loans out due on exactly this date.
    pub due_on: Option<String>,
    pub borrower_id: Option<i64>,
    pub customer_id: Option<i64>,
    pub box_id: Option<i64>,
    /// Lent on or after / before these timestamps (a register's period).
    pub lent_from: Option<String>,
    pub lent_to: Option<String>,
    /// Folders lent with a box are listed under the box unless asked for (a dossier's history).
    pub with_box_folders: bool,
    /// Newest first (history) instead of by due date.
    pub newest_first: bool,
    pub limit: i64,
}

pub fn loans(tx: Tx<'_>, f: &LoanFilter) -> Result<Vec<(Loan, bool)>> {
    let mut sql = format!("{LOAN_SELECT} WHERE 1 = 1");
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    let mut arg = |sql: &mut String, cond: &str, v: rusqlite::types::Value| {
        args.push(v);
        sql.push_str(&cond.replace('?', &format!("?{}", args.len())));
    };
    if f.active {
        sql.push_str(" AND l.state IN ('out', 'lost')");
    }
    if let Some(d) = &f.due_before {
        arg(&mut sql, " AND l.state = 'out' AND l.due < ?", d.clone().into());
    }
    if let Some(d) = &f.due_on {
        arg(&mut sql, " AND l.state = 'out' AND l.due = ?", d.clone().into());
    }
    if let Some(b) = f.borrower_id {
        arg(&mut sql, " AND l.borrower_id = ?", b.into());
    }
    if let Some(c) = f.customer_id {
        arg(&mut sql, " AND l.customer_id = ?", c.into());
    }
    if let Some(b) = f.box_id {
        arg(&mut sql, " AND l.box_id = ?", b.into());
    }
    if let Some(t) = &f.lent_from {
        arg(&mut sql, " AND l.lent_at >= ?", t.clone().into());
    }
    if let Some(t) = &f.lent_to {
        arg(&mut sql, " AND l.lent_at < ?", t.clone().into());
    }
    if !f.with_box_folders && f.customer_id.is_none() {
        sql.push_str(" AND l.box_loan_id IS NULL");
    }
    sql.push_str(if f.newest_first { " ORDER BY l.id DESC" } else { " ORDER BY l.due, l.id" });
    let limit = if f.limit <= 0 { i64::MAX } else { f.limit };
    arg(&mut sql, " LIMIT ?", limit.into());
    tx.query_map(&sql, rusqlite::params_from_iter(args), loan_view)
}

/// Loans out overdue on `today`, due today, and requests waiting: the desk's counts.
pub fn desk_counts(tx: Tx<'_>, today: &str) -> Result<(i64, i64, i64, i64)> {
    tx.query_row(
        "SELECT (SELECT count(*) FROM loans WHERE state = 'out' AND due >= '' AND box_loan_id IS NULL),
                (SELECT count(*) FROM loans WHERE state = 'out' AND due < ?1 AND box_loan_id IS NULL),
                (SELECT count(*) FROM loans WHERE state = 'out' AND due = ?1 AND box_loan_id IS NULL),
                (SELECT count(*) FROM loan_requests WHERE state = 'waiting')",
        [today],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )
}

// ----- requests ----------------------------------------------------------------------------

pub fn insert_request(
    tx: Tx<'_>,
    customer_id: Option<i64>,
    box_id: Option<i64>,
    borrower_id: i64,
    at: &str,
    by: i64,
    note: &str,
) -> Result<i64> {
    tx.query_row(
        "INSERT INTO loan_requests (customer_id, box_id, borrower_id, requested_at, requested_by, note, state)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'waiting') RETURNING id",
        params![customer_id, box_id, borrower_id, at, by, note],
        |r| r.get(0),
    )
}

/// Closes a request: served by a loan, or cancelled.
pub fn close_request(tx: Tx<'_>, id: i64, state: RequestState, at: &str, loan_id: Option<i64>) -> Result<()> {
    tx.execute(
        "UPDATE loan_requests SET state = ?2, closed_at = ?3, loan_id = ?4 WHERE id = ?1",
        params![id, state.as_str(), at, loan_id],
    )?;
    Ok(())
}

const REQUEST_SELECT: &str =
    "SELECT q.id, q.customer_id IS NULL, coalesce(c.dossier_no, x.code), c.name, x.year, x.box_no,
        b.name, b.code, q.requested_at, coalesce(u.name, ''), q.note, q.state, q.borrower_id,
        (SELECT hb.name FROM loans l JOIN borrowers hb ON hb.id = l.borrower_id
         WHERE l.id = coalesce((SELECT id FROM loans WHERE customer_id = q.customer_id AND state IN ('out', 'lost')),
                               (SELECT id FROM loans WHERE box_id = q.box_id AND state IN ('out', 'lost')))),
        (SELECT l.due FROM loans l
         WHERE l.id = coalesce((SELECT id FROM loans WHERE customer_id = q.customer_id AND state IN ('out', 'lost')),
                               (SELECT id FROM loans WHERE box_id = q.box_id AND state IN ('out', 'lost')))),
        coalesce(c.confidential, 0)
     FROM loan_requests q
     JOIN borrowers b ON b.id = q.borrower_id
     LEFT JOIN customers c ON c.id = q.customer_id
     LEFT JOIN boxes x ON x.id = q.box_id
     LEFT JOIN users u ON u.id = q.requested_by";

/// A request as shown, its borrower's id, and whether its dossier is confidential.
fn request_view(r: &Row<'_>) -> rusqlite::Result<(LoanRequest, i64, bool)> {
    let is_box: bool = r.get(1)?;
    let state: String = r.get(11)?;
    let title = if is_box {
        let (year, no): (Option<i64>, Option<i64>) = (r.get(4)?, r.get(5)?);
        format!("{}年 第{}盒", year.unwrap_or_default(), no.unwrap_or_default())
    } else {
        r.get::<_, Option<String>>(3)?.unwrap_or_default()
    };
    Ok((
        LoanRequest {
            id: r.get(0)?,
            kind: if is_box { ItemKind::Box } else { ItemKind::Dossier },
            item: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
            title,
            borrower: r.get(6)?,
            borrower_code: r.get(7)?,
            requested_at: r.get(8)?,
            requested_by: r.get(9)?,
            note: r.get(10)?,
            state: state.parse().unwrap_or(RequestState::Waiting),
            held_by: r.get(13)?,
            due: r.get(14)?,
        },
        r.get(12)?,
        r.get(15)?,
    ))
}

/// The requests waiting for an item, oldest first.
pub fn waiting_for(
    tx: Tx<'_>,
    customer_id: Option<i64>,
    box_id: Option<i64>,
) -> Result<Vec<(LoanRequest, i64, bool)>> {
    tx.query_map(
        &format!(
            "{REQUEST_SELECT} WHERE q.state = 'waiting' AND (q.customer_id = ?1 OR q.box_id = ?2) ORDER BY q.id"
        ),
        params![customer_id, box_id],
        request_view,
    )
}

/// Requests, oldest first: only those waiting unless `all`.
pub fn requests(tx: Tx<'_>, all: bool, limit: i64) -> Result<Vec<(LoanRequest, i64, bool)>> {
    tx.query_map(
        &format!("{REQUEST_SELECT} WHERE (?1 OR q.state = 'waiting') ORDER BY q.id LIMIT ?2"),
        params![all, limit],
        request_view,
    )
}

/// A borrower's requests waiting, oldest first.
pub fn requests_of(tx: Tx<'_>, borrower_id: i64) -> Result<Vec<(LoanRequest, i64, bool)>> {
    tx.query_map(
        &format!("{REQUEST_SELECT} WHERE q.state = 'waiting' AND q.borrower_id = ?1 ORDER BY q.id"),
        [borrower_id],
        request_view,
    )
}

pub fn request_by_id(tx: Tx<'_>, id: i64) -> Result<Option<(LoanRequest, i64, bool)>> {
    tx.query_opt(&format!("{REQUEST_SELECT} WHERE q.id = ?1"), [id], request_view)
}

// ----- calendar ----------------------------------------------------------------------------

/// The years this library edited, and its own special days.
pub fn calendar(tx: Tx<'_>) -> Result<(BTreeSet<i32>, Vec<SpecialDay>)> {
    let years: Vec<i32> = tx.query_map("SELECT year FROM calendar_years ORDER BY year", [], |r| r.get(0))?;
    let days = tx.query_map("SELECT day, kind, name FROM calendar_days ORDER BY day", [], |r| {
        let day: String = r.get(0)?;
        let kind: String = r.get(1)?;
        Ok((day, kind, r.get::<_, String>(2)?))
    })?;
    let days = days
        .into_iter()
        .filter_map(|(day, kind, name)| {
            Some(SpecialDay {
                day: chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d").ok()?,
                kind: kind.parse::<DayKind>().ok()?,
                name,
            })
        })
        .collect();
    Ok((years.into_iter().collect(), days))
}

/// Marks a year as the library's own (its rows are the whole truth for it from now on).
pub fn adopt_year(tx: Tx<'_>, year: i32, days: &[SpecialDay], at: &str) -> Result<()> {
    tx.execute("INSERT INTO calendar_years (year, edited_at) VALUES (?1, ?2)", params![year, at])?;
    for d in days {
        set_day(tx, d)?;
    }
    Ok(())
}

pub fn set_day(tx: Tx<'_>, d: &SpecialDay) -> Result<()> {
    tx.execute(
        "INSERT INTO calendar_days (day, kind, name) VALUES (?1, ?2, ?3)
         ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name",
        params![d.day.format("%Y-%m-%d").to_string(), d.kind.as_str(), d.name],
    )?;
    Ok(())
}

pub fn remove_day(tx: Tx<'_>, day: &str) -> Result<usize> {
    tx.execute("DELETE FROM calendar_days WHERE day = ?1", [day])
}

/// The folders in a box: customer id, dossier number, confidential.
pub fn box_folder_ids(tx: Tx<'_>, box_id: i64) -> Result<Vec<(i64, String, bool)>> {
    tx.query_map(
        "SELECT c.id, c.dossier_no, c.confidential FROM folders f JOIN customers c ON c.id = f.customer_id
         WHERE f.box_id = ?1 ORDER BY f.item_no",
        [box_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
}
