//! The lending desk (借阅): borrowers, loans of a dossier's folder or a whole box, returns,
//! renewals, losses and requests (holds); the loan policy per kind of borrower.
//!
//! A borrower's number is printed on the card the desk scans: `JY` + 6 digits + a check digit
//! (the same Luhn check as box and location codes, so a misread is refused, never guessed).

use serde::{Deserialize, Serialize};

use crate::model::error::{Error, Result};
use crate::model::storage::{check_digit, make_code};
use crate::model::types::code_enum;

/// The prefix of borrower card numbers.
pub const BORROWER_PREFIX: &str = "JY";
/// Digits of a borrower number's sequence.
pub const BORROWER_DIGITS: usize = 6;

/// A borrower's card number from its sequence number.
pub fn borrower_code(seq: i64) -> String {
    make_code(BORROWER_PREFIX, BORROWER_DIGITS, seq)
}

/// What a normalised code says about being a borrower number: `None` if it has not the shape
/// of one, `Some(Ok(seq))` if it has, `Some(Err(expected check digit))` if mistyped.
pub fn borrower_code_shape(code: &str) -> Option<std::result::Result<i64, char>> {
    let rest = code.strip_prefix(BORROWER_PREFIX)?;
    if rest.len() != BORROWER_DIGITS + 1 || !rest.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (body, check) = rest.split_at(BORROWER_DIGITS);
    let expected = check_digit(body)?;
    if check.starts_with(expected) { body.parse::<i64>().ok().map(Ok) } else { Some(Err(expected)) }
}

code_enum! {
    /// Who borrows: a colleague (with a department and a card) or an outside unit (with a
    /// letter of introduction, 介绍信).
    BorrowerKind = "borrower-kind" {
        Staff = "staff" / "内部职工",
        External = "external" / "外单位",
    }
}

code_enum! {
    /// Where a loan stands.
    LoanState = "loan-state" {
        Out = "out" / "借出",
        Returned = "returned" / "已归还",
        Lost = "lost" / "遗失",
        Found = "found" / "遗失后找回",
    }
}

impl LoanState {
    /// Out or lost: the item is not on its shelf and cannot be lent again.
    pub fn is_active(self) -> bool {
        matches!(self, LoanState::Out | LoanState::Lost)
    }
}

code_enum! {
    /// The state of what came back.
    Condition = "condition" {
        Complete = "complete" / "完好",
        PagesMissing = "pages_missing" / "缺页",
        Damaged = "damaged" / "破损",
    }
}

impl Condition {
    /// Parses a condition as typed on a command line (`pages-missing` too).
    pub fn parse(s: &str) -> Result<Condition> {
        s.trim().replace('-', "_").parse()
    }
}

code_enum! {
    /// A request (hold) for an item that is out.
    RequestState = "request-state" {
        Waiting = "waiting" / "等候",
        Served = "served" / "已借出",
        Cancelled = "cancelled" / "已取消",
    }
}

/// How long a kind of borrower keeps things and how often it may renew.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindPolicy {
    /// Working days of a loan.
    pub days: u32,
    /// Working days a renewal adds (counted from the due date, or from today if later).
    pub renew_days: u32,
    /// Renewals allowed per loan.
    pub max_renewals: u32,
}

/// The loan policy of a library.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoanPolicy {
    pub staff: KindPolicy,
    pub external: KindPolicy,
    /// Working days before the due date a loan counts as due soon (预警).
    #[serde(default = "default_warn_days")]
    pub warn_days: u32,
}

fn default_warn_days() -> u32 {
    2
}

impl Default for LoanPolicy {
    fn default() -> Self {
        LoanPolicy {
            staff: KindPolicy { days: 10, renew_days: 10, max_renewals: 2 },
            external: KindPolicy { days: 5, renew_days: 5, max_renewals: 1 },
            warn_days: default_warn_days(),
        }
    }
}

impl LoanPolicy {
    pub fn for_kind(&self, kind: BorrowerKind) -> KindPolicy {
        match kind {
            BorrowerKind::Staff => self.staff,
            BorrowerKind::External => self.external,
        }
    }

    pub fn for_kind_mut(&mut self, kind: BorrowerKind) -> &mut KindPolicy {
        match kind {
            BorrowerKind::Staff => &mut self.staff,
            BorrowerKind::External => &mut self.external,
        }
    }

    /// The longest loan or renewal a policy may set (a year of working days).
    pub const MAX_DAYS: u32 = 250;

    pub fn validate(&self) -> Result<()> {
        for k in [self.staff, self.external] {
            for (what, v) in [("days", k.days), ("renew_days", k.renew_days)] {
                if v == 0 || v > Self::MAX_DAYS {
                    return Err(Error::usage("loan-days-invalid").arg("value", v).arg("what", what));
                }
            }
            if k.max_renewals > 20 {
                return Err(Error::usage("loan-renewals-invalid").arg("value", k.max_renewals));
            }
        }
        Ok(())
    }
}

/// Someone who may borrow.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Borrower {
    #[serde(skip)]
    pub id: i64,
    /// Card number (JY…).
    pub code: String,
    /// `borrower_kind` in JSON: `where` tags its answers with `kind`.
    #[serde(rename = "borrower_kind")]
    pub kind: BorrowerKind,
    /// The person (an outside unit's contact).
    pub name: String,
    pub dept: String,
    pub unit: String,
    pub phone: String,
    /// A badge the borrower already carries, scanned like the card number.
    pub card: Option<String>,
    /// 介绍信 number.
    pub letter_no: String,
    pub notes: String,
    pub blocked: bool,
    pub blocked_reason: String,
    pub created_at: String,
}

impl Borrower {
    /// The name with the department or unit: `周瑜（营销部）`.
    pub fn display(&self) -> String {
        let org = if self.unit.is_empty() { &self.dept } else { &self.unit };
        if org.is_empty() { self.name.clone() } else { format!("{}（{}）", self.name, org) }
    }
}

/// A borrower with what they have out now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BorrowerSummary {
    #[serde(flatten)]
    pub borrower: Borrower,
    /// Items out now (a box counts once).
    pub out: i64,
    /// Of those, overdue.
    pub overdue: i64,
    /// Loans ever.
    pub total: i64,
}

/// What was lent: a dossier's folder or a box.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    Dossier,
    Box,
}

/// One loan as the desk shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Loan {
    pub id: i64,
    pub kind: ItemKind,
    /// The dossier number or box code.
    pub item: String,
    /// The customer's name, or the box's description (`2026年 第12盒 · 20 卷`).
    pub title: String,
    /// A folder lent with its box: the box's code.
    pub with_box: Option<String>,
    pub borrower: String,
    pub borrower_code: String,
    /// The department or unit.
    pub borrower_org: String,
    pub purpose: String,
    pub lent_by: String,
    pub lent_at: String,
    /// Due back (local date, YYYY-MM-DD).
    pub due: String,
    pub renewals: i64,
    pub approved_by: Option<String>,
    pub override_by: Option<String>,
    pub override_note: String,
    pub pages_out: Option<i64>,
    pub state: LoanState,
    pub returned_at: Option<String>,
    pub received_by: Option<String>,
    pub pages_back: Option<i64>,
    pub condition: Option<Condition>,
    pub return_note: String,
    pub lost_at: Option<String>,
    /// Days past the due date (calendar days; 0 when not overdue or not out).
    pub overdue_days: i64,
}

/// A request (hold) for an item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LoanRequest {
    pub id: i64,
    pub kind: ItemKind,
    pub item: String,
    pub title: String,
    pub borrower: String,
    pub borrower_code: String,
    pub requested_at: String,
    pub requested_by: String,
    pub note: String,
    pub state: RequestState,
    /// Who has the item now, and until when.
    pub held_by: Option<String>,
    pub due: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn borrower_numbers_round_trip_and_a_typo_is_caught() {
        let c = borrower_code(42);
        assert_eq!(c.len(), 2 + BORROWER_DIGITS + 1);
        assert_eq!(borrower_code_shape(&c), Some(Ok(42)));
        let mut typo = c.clone().into_bytes();
        typo[4] = if typo[4] == b'9' { b'8' } else { typo[4] + 1 };
        assert!(matches!(borrower_code_shape(&String::from_utf8(typo).unwrap()), Some(Err(_))));
        assert_eq!(borrower_code_shape("BX00000017"), None);
    }

    #[test]
    fn conditions_parse_as_typed() {
        assert_eq!(Condition::parse("pages-missing").unwrap(), Condition::PagesMissing);
        assert_eq!(Condition::parse("缺页").unwrap(), Condition::PagesMissing);
        assert!(Condition::parse("wet").is_err());
    }

    #[test]
    fn the_default_policy_is_valid() {
        LoanPolicy::default().validate().unwrap();
        let mut p = LoanPolicy::default();
        p.staff.days = 0;
        assert!(p.validate().is_err());
    }
}
