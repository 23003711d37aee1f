//! The lending desk (借阅): borrowers, loans of a dossier's folder or of a whole box, returns,
//! renewals, losses, requests (holds), the loan policy and the holiday calendar due dates are
//! counted on. One write transaction and its audit rows per action, like every service.
//!
//! `borrowers` the people and units who borrow, `desk` lending, returning, renewing and losing,
//! `requests` holds on items that are out, `lists` what the desk shows (current, overdue, due
//! today, histories, counts), `calendar` working days, `papers` the slips, reminders and
//! register the desk prints.

mod borrowers;
mod calendar;
mod desk;
mod lists;
mod papers;
mod requests;

use serde::Serialize;

use crate::core::session::Session;
use crate::core::storage::HIDDEN_NAME;
use crate::model::Customer;
use crate::model::calendar::Calendar;
use crate::model::error::{Error, Result};
use crate::model::loans::{self as ln, Borrower, Loan, LoanPolicy, LoanRequest};
use crate::model::permission::Permission;
use crate::model::storage::{self as st, BoxInfo};
use crate::store::{self, Tx, loans as db, storage as sdb};

pub use borrowers::{BorrowerChanges, BorrowerView, NewBorrowerSpec};
pub use calendar::{CalendarYear, WorkdayAnswer};
pub use desk::{LendSpec, Lent, ReturnSpec, Returned};
pub use lists::{DeskCounts, LoanQuery, day_start};
pub use papers::{PaperCaptions, PaperOutput, REMIND_WITHIN_DAYS, RegisterFormat, RemindSpec};

/// What a scanned or typed item code names: a dossier's folder or a box.
#[derive(Debug, Clone)]
pub(crate) enum Item {
    Dossier(Customer),
    Box(BoxInfo),
}

impl Item {
    pub(crate) fn code(&self) -> &str {
        match self {
            Item::Dossier(c) => &c.dossier,
            Item::Box(b) => &b.code,
        }
    }

    pub(crate) fn customer_id(&self) -> Option<i64> {
        match self {
            Item::Dossier(c) => Some(c.id),
            Item::Box(_) => None,
        }
    }

    pub(crate) fn box_id(&self) -> Option<i64> {
        match self {
            Item::Dossier(_) => None,
            Item::Box(b) => Some(b.id),
        }
    }
}

/// Resolves an item code: a box code, else a dossier number. A code of the shape of one of
/// ours with a wrong check digit is refused as mistyped, anything else unknown as not found.
pub(crate) fn find_item(tx: &rusqlite::Connection, given: &str) -> Result<Item> {
    let raw = given.trim();
    if raw.is_empty() {
        return Err(Error::usage("code-empty"));
    }
    let norm = st::normalize_code(raw);
    let t = Tx::new(tx);
    if let Some(b) = sdb::box_by_code(t, &norm)? {
        return Ok(Item::Box(b));
    }
    for candidate in [raw, norm.as_str()] {
        if store::customers::get(tx, candidate)?.is_some() {
            let (c, _) = crate::core::customers::load_customer(tx, candidate)?;
            return Ok(Item::Dossier(c));
        }
    }
    Err(crate::core::storage::unknown_code(tx, raw)?)
}

/// Resolves a borrower: card number (JY…), a badge recorded as their card, or a name that
/// only one borrower has.
pub(crate) fn find_borrower(t: Tx<'_>, given: &str) -> Result<Borrower> {
    let raw = given.trim();
    if raw.is_empty() {
        return Err(Error::usage("borrower-empty"));
    }
    let norm = st::normalize_code(raw);
    if let Some(b) = db::borrower_by_code(t, &norm)? {
        return Ok(b);
    }
    if let Some(Err(expected)) = ln::borrower_code_shape(&norm) {
        return Err(Error::usage("code-mistyped").arg("code", &norm).arg("expected", expected));
    }
    let mut named = db::borrowers_named(t, raw)?;
    match named.len() {
        1 => Ok(named.remove(0)),
        0 => Err(Error::missing("borrower-not-found").arg("borrower", raw)),
        _ => Err(Error::usage("borrower-ambiguous").arg("borrower", raw).arg(
            "candidates",
            named.iter().map(|b| format!("{} {}", b.code, b.display())).collect::<Vec<_>>().join(", "),
        )),
    }
}

/// The working-day calendar of a library: the shipped years it has not edited, its own for
/// those it has.
pub(crate) fn load_calendar(t: Tx<'_>) -> Result<Calendar> {
    let (years, days) = db::calendar(t)?;
    Calendar::build(&years, &days)
}

pub(crate) fn load_policy(conn: &rusqlite::Connection) -> Result<LoanPolicy> {
    Ok(store::get_meta(conn, db::POLICY_KEY)?
        .and_then(|s| serde_json::from_str::<LoanPolicy>(&s).ok())
        .unwrap_or_default())
}

/// Today as loans store dates (local, YYYY-MM-DD).
pub(crate) fn today_str() -> String {
    crate::core::today().format("%Y-%m-%d").to_string()
}

/// Days a loan is past its due date today (0 when not out or not late).
pub(crate) fn overdue_days(loan: &Loan, today: chrono::NaiveDate) -> i64 {
    if loan.state != ln::LoanState::Out {
        return 0;
    }
    match chrono::NaiveDate::parse_from_str(&loan.due, "%Y-%m-%d") {
        Ok(due) if due < today => (today - due).num_days(),
        _ => 0,
    }
}

impl Session {
    /// A loan as this user may see it: the name of a confidential dossier hidden from those
    /// who may not see it, the days overdue filled in.
    pub(crate) fn shown_loan(&self, (mut loan, confidential): (Loan, bool)) -> Loan {
        if confidential && !self.may(Permission::ViewConfidential) {
            loan.title = HIDDEN_NAME.into();
        }
        loan.overdue_days = overdue_days(&loan, crate::core::today());
        loan
    }

    pub(crate) fn shown_request(&self, (mut r, _, confidential): (LoanRequest, i64, bool)) -> LoanRequest {
        if confidential && !self.may(Permission::ViewConfidential) {
            r.title = HIDDEN_NAME.into();
        }
        r
    }

    /// The loan policy: loan period, renewal and its limit per kind of borrower.
    pub fn loan_policy(&mut self) -> Result<LoanPolicy> {
        self.require(Permission::ReadDossiers)?;
        load_policy(self.lib.db.conn())
    }

    /// Changes the loan policy of a kind of borrower (audited).
    pub fn set_loan_policy(
        &mut self,
        kind: ln::BorrowerKind,
        days: Option<u32>,
        renew_days: Option<u32>,
        max_renewals: Option<u32>,
        warn_days: Option<u32>,
    ) -> Result<LoanPolicy> {
        self.change(Permission::ManageConfig, |tx, audit| {
            let before = load_policy(tx)?;
            let mut after = before;
            let k = after.for_kind_mut(kind);
            k.days = days.unwrap_or(k.days);
            k.renew_days = renew_days.unwrap_or(k.renew_days);
            k.max_renewals = max_renewals.unwrap_or(k.max_renewals);
            after.warn_days = warn_days.unwrap_or(after.warn_days);
            after.validate()?;
            if after != before {
                store::set_meta(tx, db::POLICY_KEY, &serde_json::to_string(&after).unwrap_or_default())?;
                audit.log(
                    tx,
                    crate::core::session::Change {
                        action: "update",
                        entity: "loan_policy",
                        entity_id: kind.as_str(),
                        dossier: None,
                        before: crate::core::session::to_json(&before),
                        after: crate::core::session::to_json(&after),
                    },
                )?;
            }
            Ok(after)
        })
    }
}

/// A loan with its item and borrower, as `where` shows it of a dossier or a box on loan.
#[derive(Debug, Clone, Serialize)]
pub struct OnLoan {
    #[serde(flatten)]
    pub loan: Loan,
    /// Who waits for it (oldest first).
    pub waiting: Vec<String>,
}
