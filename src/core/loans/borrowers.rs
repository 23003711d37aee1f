//! Borrowers: colleagues with a department and a card, outside units with a letter of
//! introduction (介绍信); blocking and unblocking; a borrower's page with what they have out
//! and their history.

use super::*;
use crate::core::session::{Change, to_json};
use crate::model::loans::{BorrowerKind, BorrowerSummary};
use crate::model::text::clean_line;

/// A new borrower as the desk enters it.
#[derive(Debug, Clone, Default)]
pub struct NewBorrowerSpec {
    pub name: String,
    pub dept: String,
    /// An outside unit's name (makes the borrower external).
    pub unit: String,
    pub phone: String,
    /// A badge the borrower carries (its barcode).
    pub card: Option<String>,
    /// 介绍信 number (outside units).
    pub letter_no: String,
    pub notes: String,
    /// Staff or external; by default external when a unit is given.
    pub kind: Option<BorrowerKind>,
}

/// Changes to a borrower; `None` keeps a field.
#[derive(Debug, Clone, Default)]
pub struct BorrowerChanges {
    pub name: Option<String>,
    pub dept: Option<String>,
    pub unit: Option<String>,
    pub phone: Option<String>,
    /// `Some("")` removes the card.
    pub card: Option<String>,
    pub letter_no: Option<String>,
    pub notes: Option<String>,
}

/// A borrower's page: who, what they have out, their requests and their history.
#[derive(Debug, Clone, Serialize)]
pub struct BorrowerView {
    #[serde(flatten)]
    pub summary: BorrowerSummary,
    /// Loans out (or lost) now, by due date.
    pub current: Vec<Loan>,
    /// Every loan, newest first (up to a limit).
    pub history: Vec<Loan>,
    pub requests: Vec<LoanRequest>,
}

fn check_phone(phone: &str) -> Result<String> {
    let p = clean_line("label-phone", phone)?;
    if p.chars().count() > 40 {
        return Err(Error::usage("text-too-long").arg("what", "label-phone").arg("max", 40));
    }
    Ok(p)
}

fn check_card(t: Tx<'_>, card: &str, own_id: Option<i64>) -> Result<Option<String>> {
    let c = st::normalize_code(card);
    if c.is_empty() {
        return Ok(None);
    }
    if c.chars().count() > 64 || c.chars().any(char::is_control) {
        return Err(Error::usage("borrower-card-invalid").arg("card", card));
    }
    // A card must not be mistaken for one of our own codes or another borrower's card.
    if ln::borrower_code_shape(&c).is_some() || !matches!(st::code_shape(&c, "BX"), st::CodeShape::Other) {
        return Err(Error::usage("borrower-card-ours").arg("card", &c));
    }
    if let Some(other) = db::borrower_by_code(t, &c)?
        && Some(other.id) != own_id
    {
        return Err(Error::conflict("borrower-card-taken").arg("card", &c).arg("borrower", other.display()));
    }
    Ok(Some(c))
}

impl Session {
    /// Adds a borrower with the next card number (JY…).
    pub fn add_borrower(&mut self, spec: &NewBorrowerSpec) -> Result<Borrower> {
        let name = clean_line("label-name", &spec.name)?;
        if name.is_empty() {
            return Err(Error::usage("borrower-name-empty"));
        }
        let dept = clean_line("label-dept", &spec.dept)?;
        let unit = clean_line("label-unit", &spec.unit)?;
        let phone = check_phone(&spec.phone)?;
        let letter = clean_line("label-letter", &spec.letter_no)?;
        let notes = clean_line("label-notes", &spec.notes)?;
        let kind =
            spec.kind.unwrap_or(if unit.is_empty() { BorrowerKind::Staff } else { BorrowerKind::External });
        if kind == BorrowerKind::External && unit.is_empty() {
            return Err(Error::usage("borrower-unit-needed"));
        }
        let id = self.change(Permission::Lend, |tx, audit| {
            let t = Tx::new(tx);
            let card = match &spec.card {
                Some(c) => check_card(t, c, None)?,
                None => None,
            };
            let code = ln::borrower_code(store::config::next_in_sequence(tx, db::BORROWER_CODE_SCOPE)?);
            let id = db::insert_borrower(
                t,
                &db::NewBorrower {
                    code: &code,
                    kind,
                    name: &name,
                    dept: &dept,
                    unit: &unit,
                    phone: &phone,
                    card: card.as_deref(),
                    letter_no: &letter,
                    notes: &notes,
                    at: audit.at,
                },
            )?;
            let b =
                db::borrower_by_id(t, id)?.ok_or_else(|| Error::Db("the new borrower vanished".into()))?;
            audit.log(
                tx,
                Change {
                    action: "create",
                    entity: "borrower",
                    entity_id: &b.code,
                    dossier: None,
                    before: None,
                    after: to_json(&b),
                },
            )?;
            Ok(id)
        })?;
        db::borrower_by_id(self.lib.db.tx(), id)?.ok_or_else(|| Error::Db("the new borrower vanished".into()))
    }

    /// Borrowers whose name, department, unit, card or phone contains `text` (all if empty).
    pub fn borrowers(&mut self, text: &str, blocked_only: bool, limit: i64) -> Result<Vec<BorrowerSummary>> {
        self.require(Permission::ReadDossiers)?;
        let rows = db::borrowers(self.lib.db.tx(), text.trim(), blocked_only, &today_str(), limit.max(1))?;
        Ok(rows
            .into_iter()
            .map(|(borrower, out, overdue, total)| BorrowerSummary { borrower, out, overdue, total })
            .collect())
    }

    /// A borrower's page (by card number, badge or unique name).
    pub fn borrower(&mut self, given: &str) -> Result<BorrowerView> {
        self.require(Permission::ReadDossiers)?;
        let b = find_borrower(self.lib.db.tx(), given)?;
        let summary = db::borrowers(self.lib.db.tx(), &b.code, false, &today_str(), 5)?
            .into_iter()
            .find(|(x, ..)| x.id == b.id)
            .map(|(borrower, out, overdue, total)| BorrowerSummary { borrower, out, overdue, total })
            .ok_or_else(|| Error::Db("the borrower vanished".into()))?;
        let t = self.lib.db.tx();
        let current = db::loans(
            t,
            &db::LoanFilter { active: true, borrower_id: Some(b.id), limit: 500, ..Default::default() },
        )?;
        let history = db::loans(
            t,
            &db::LoanFilter { borrower_id: Some(b.id), newest_first: true, limit: 500, ..Default::default() },
        )?;
        let requests = db::requests_of(t, b.id)?;
        Ok(BorrowerView {
            summary,
            current: current.into_iter().map(|l| self.shown_loan(l)).collect(),
            history: history.into_iter().map(|l| self.shown_loan(l)).collect(),
            requests: requests.into_iter().map(|r| self.shown_request(r)).collect(),
        })
    }

    /// Edits a borrower's details.
    pub fn edit_borrower(&mut self, given: &str, ch: &BorrowerChanges) -> Result<Borrower> {
        let clean =
            |what: &'static str, v: &Option<String>| v.as_deref().map(|s| clean_line(what, s)).transpose();
        let name = clean("label-name", &ch.name)?;
        if name.as_deref() == Some("") {
            return Err(Error::usage("borrower-name-empty"));
        }
        let (dept, unit, letter, notes) = (
            clean("label-dept", &ch.dept)?,
            clean("label-unit", &ch.unit)?,
            clean("label-letter", &ch.letter_no)?,
            clean("label-notes", &ch.notes)?,
        );
        let phone = ch.phone.as_deref().map(check_phone).transpose()?;
        self.update_borrower(given, "update", |t, b| {
            if let Some(v) = &name {
                b.name = v.clone();
            }
            if let Some(v) = &dept {
                b.dept = v.clone();
            }
            if let Some(v) = &unit {
                b.unit = v.clone();
            }
            if let Some(v) = &phone {
                b.phone = v.clone();
            }
            if let Some(v) = &letter {
                b.letter_no = v.clone();
            }
            if let Some(v) = &notes {
                b.notes = v.clone();
            }
            if let Some(c) = &ch.card {
                b.card = check_card(t, c, Some(b.id))?;
            }
            if b.kind == BorrowerKind::External && b.unit.is_empty() {
                return Err(Error::usage("borrower-unit-needed"));
            }
            Ok(())
        })
    }

    /// Blocks a borrower (no new loans, with the reason) or lifts the block.
    pub fn block_borrower(&mut self, given: &str, blocked: bool, reason: &str) -> Result<Borrower> {
        let reason = clean_line("label-reason", reason)?;
        if blocked && reason.is_empty() {
            return Err(Error::usage("borrower-block-reason"));
        }
        self.update_borrower(given, if blocked { "block" } else { "unblock" }, |_, b| {
            if b.blocked == blocked {
                return Err(Error::conflict(if blocked {
                    "borrower-already-blocked"
                } else {
                    "borrower-not-blocked"
                })
                .arg("borrower", b.display()));
            }
            b.blocked = blocked;
            b.blocked_reason = if blocked { reason.clone() } else { String::new() };
            Ok(())
        })
    }

    fn update_borrower(
        &mut self,
        given: &str,
        action: &str,
        f: impl FnOnce(Tx<'_>, &mut Borrower) -> Result<()>,
    ) -> Result<Borrower> {
        self.change(Permission::Lend, |tx, audit| {
            let t = Tx::new(tx);
            let before = find_borrower(t, given)?;
            let mut after = before.clone();
            f(t, &mut after)?;
            if after == before {
                return Ok(after);
            }
            db::update_borrower(t, &after, audit.at)?;
            audit.log(
                tx,
                Change {
                    action,
                    entity: "borrower",
                    entity_id: &after.code,
                    dossier: None,
                    before: to_json(&before),
                    after: to_json(&after),
                },
            )?;
            Ok(after)
        })
    }
}
