//! The papers the lending desk prints: a loan's slip (借阅单), the overdue reminders
//! (催还通知单) and a period's loan register (借阅登记簿, PDF or CSV). This module gathers what
//! each shows from the library; `crate::labels::loans` lays it out.
//!
//! A confidential dossier's name is printed only for a user who may see it (`***` otherwise,
//! as on the desk's lists), and printing it is audited like opening the dossier (`view`).

use std::collections::BTreeSet;

use super::lists::day_start;
use super::*;
use crate::core::session::{Change, record};
pub use crate::labels::loans::PaperCaptions;
use crate::labels::loans::{self as paper, LoanSlip, Register, Reminder, ReminderRow};
use crate::model::loans::{Condition, LoanState};

/// A rendered paper and what is on it.
#[derive(Debug, Clone, Serialize)]
pub struct PaperOutput {
    #[serde(skip)]
    pub bytes: Vec<u8>,
    /// Slips, reminders (borrowers) or register rows.
    pub count: usize,
    /// The items printed (slips: the item; reminders: the borrowers' card numbers).
    pub items: Vec<String>,
}

/// Which overdue reminders to print.
#[derive(Debug, Clone, Default)]
pub struct RemindSpec {
    /// One borrower (card number, badge or unique name); every borrower with overdue loans
    /// without it.
    pub borrower: Option<String>,
    /// Working days from today the borrower is asked to return by.
    pub within_days: u32,
    /// The records room's contact line (the captions' default when empty).
    pub contact: String,
}

/// Working days a reminder gives by default.
pub const REMIND_WITHIN_DAYS: u32 = 3;

/// The register's output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegisterFormat {
    Pdf,
    Csv,
}

impl RegisterFormat {
    /// The format a file name asks for by its extension (`.pdf`, `.csv`).
    pub fn for_path(path: &std::path::Path) -> Result<RegisterFormat> {
        match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("pdf") => Ok(RegisterFormat::Pdf),
            Some("csv") => Ok(RegisterFormat::Csv),
            _ => Err(Error::usage("papers-register-format").arg("path", path.display())),
        }
    }
}

fn state_text(l: &Loan, cap: &PaperCaptions) -> String {
    match l.state {
        LoanState::Out => cap.state_out.clone(),
        LoanState::Lost => cap.state_lost.clone(),
        LoanState::Returned | LoanState::Found => {
            let base = if l.state == LoanState::Found { &cap.state_found } else { &cap.state_returned };
            match l.condition {
                Some(Condition::PagesMissing) => format!("{base}（{}）", cap.cond_pages_missing),
                Some(Condition::Damaged) => format!("{base}（{}）", cap.cond_damaged),
                _ => base.clone(),
            }
        }
    }
}

/// The local date and time (to the minute) of a stored timestamp.
fn local_minute(at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| t.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|_| at.chars().take(16).collect::<String>().replace('T', " "))
}

fn borrower_line(l: &Loan) -> String {
    if l.borrower_org.is_empty() {
        l.borrower.clone()
    } else {
        format!("{}（{}）", l.borrower, l.borrower_org)
    }
}

impl Session {
    /// Loans as this user may see them, and the dossiers whose confidential name is shown.
    fn visible(&self, rows: Vec<(Loan, bool)>, seen: &mut BTreeSet<String>) -> Vec<Loan> {
        rows.into_iter()
            .map(|(loan, confidential)| {
                let shown = self.shown_loan((loan, confidential));
                if confidential && shown.title != crate::core::storage::HIDDEN_NAME {
                    seen.insert(shown.item.clone());
                }
                shown
            })
            .collect()
    }

    /// Records that these confidential dossiers' names were printed (one transaction).
    fn record_printed(&mut self, dossiers: &BTreeSet<String>) -> Result<()> {
        if dossiers.is_empty() {
            return Ok(());
        }
        let at = crate::core::now();
        let user = self.user.name.clone();
        self.lib.write(|tx| {
            for d in dossiers {
                record(
                    tx,
                    &user,
                    &at,
                    Change {
                        action: "view",
                        entity: "customer",
                        entity_id: d,
                        dossier: Some(d),
                        before: None,
                        after: None,
                    },
                )?;
            }
            Ok(())
        })
    }

    /// Loan slips (借阅单), two to an A4 page: of loans by their numbers, and of the loans items
    /// (dossier numbers or box codes) are out on now. A box's slip lists its folders. Nothing
    /// is changed in the library but the audit of a confidential name printed.
    pub fn loan_slips_pdf(
        &mut self,
        items: &[String],
        loan_ids: &[i64],
        cap: &PaperCaptions,
    ) -> Result<PaperOutput> {
        self.require(Permission::ReadDossiers)?;
        let mut ids = loan_ids.to_vec();
        for given in items.iter().map(|i| i.trim()).filter(|i| !i.is_empty()) {
            let found = self.lib.db.read(|tx| find_item(tx, given))?;
            let t = self.lib.db.tx();
            let row = match &found {
                Item::Dossier(c) => db::active_loan_of_customer(t, c.id)?,
                Item::Box(b) => db::active_loan_of_box(t, b.id)?,
            };
            let row = row.ok_or_else(|| Error::conflict("papers-slip-not-out").arg("item", found.code()))?;
            // A folder lent with its box: the slip is the box's (what the borrower signed for).
            ids.push(row.box_loan_id.unwrap_or(row.id));
        }
        // One slip per loan, however often it was named.
        let mut named = BTreeSet::new();
        ids.retain(|id| named.insert(*id));
        if ids.is_empty() {
            return Err(Error::usage("papers-slip-what"));
        }
        let fonds = crate::core::storage::settings(self.lib.db.conn())?.fonds;
        let mut seen = BTreeSet::new();
        let mut slips = Vec::with_capacity(ids.len());
        for id in ids {
            let slip = self.slip(id, &fonds, &mut seen)?;
            slips.push(slip);
        }
        let bytes = paper::render_slips(&slips, cap)?;
        self.record_printed(&seen)?;
        Ok(PaperOutput { bytes, count: slips.len(), items: slips.into_iter().map(|s| s.item).collect() })
    }

    /// What one loan's slip shows.
    fn slip(&mut self, id: i64, fonds: &str, seen: &mut BTreeSet<String>) -> Result<LoanSlip> {
        let t = self.lib.db.tx();
        let row = db::loan_by_id(t, id)?.ok_or_else(|| Error::missing("loan-not-found").arg("loan", id))?;
        let mut folders = Vec::new();
        for r in db::folder_loans_of(t, id)? {
            if let Some(f) = db::loan_by_id(t, r.id)? {
                folders.push(f);
            }
        }
        let borrower = match db::loan_row_by_id(t, id)? {
            Some(r) => db::borrower_by_id(t, r.borrower_id)?,
            None => None,
        };
        let loan = self.visible(vec![row], seen).remove(0);
        let folders = self.visible(folders, seen);
        Ok(LoanSlip {
            loan_no: loan.id.to_string(),
            is_box: loan.kind == ln::ItemKind::Box,
            title: loan.title.clone(),
            folders: folders.into_iter().map(|f| (f.item, f.title)).collect(),
            borrower: borrower.as_ref().map_or_else(|| borrower_line(&loan), |b| b.display()),
            card: loan.borrower_code.clone(),
            purpose: loan.purpose.clone(),
            lent_at: local_minute(&loan.lent_at),
            lent_by: loan.lent_by.clone(),
            due: loan.due.clone(),
            renewals: loan.renewals,
            approved_by: loan.approved_by.clone(),
            fonds: fonds.to_string(),
            item: loan.item,
        })
    }

    /// The overdue reminders (催还通知单): one page per borrower with loans overdue today (or
    /// the one asked for), listing those loans and asking for them back within
    /// `within_days` working days. `None` when nothing is overdue.
    pub fn overdue_reminders_pdf(
        &mut self,
        spec: &RemindSpec,
        cap: &PaperCaptions,
    ) -> Result<Option<PaperOutput>> {
        self.require(Permission::ReadDossiers)?;
        let today = crate::core::today();
        let t = self.lib.db.tx();
        let borrower_id = match &spec.borrower {
            Some(b) => Some(find_borrower(t, b)?.id),
            None => None,
        };
        let rows = db::loans(
            t,
            &db::LoanFilter {
                due_before: Some(today.format("%Y-%m-%d").to_string()),
                borrower_id,
                ..Default::default()
            },
        )?;
        if rows.is_empty() {
            return Ok(None);
        }
        let return_by = load_calendar(t)?.add_workdays(today, spec.within_days);
        let fonds = crate::core::storage::settings(self.lib.db.conn())?.fonds;
        let mut seen = BTreeSet::new();
        let mut loans = self.visible(rows, &mut seen);
        // By borrower (in card number order), each one's loans by due date.
        loans.sort_by(|a, b| (&a.borrower_code, &a.due, a.id).cmp(&(&b.borrower_code, &b.due, b.id)));
        let contact = if spec.contact.trim().is_empty() { cap.contact.clone() } else { spec.contact.clone() };
        let mut reminders: Vec<Reminder> = Vec::new();
        for l in &loans {
            if reminders.last().is_none_or(|r| r.card != l.borrower_code) {
                reminders.push(Reminder {
                    to: borrower_line(l),
                    card: l.borrower_code.clone(),
                    rows: Vec::new(),
                    return_by: return_by.format("%Y-%m-%d").to_string(),
                    contact: contact.clone(),
                    date: today.format("%Y-%m-%d").to_string(),
                    fonds: fonds.clone(),
                });
            }
            if let Some(r) = reminders.last_mut() {
                r.rows.push(ReminderRow {
                    item: l.item.clone(),
                    title: l.title.clone(),
                    lent_on: crate::core::local_date(&l.lent_at),
                    due: l.due.clone(),
                    days: l.overdue_days,
                });
            }
        }
        let bytes = paper::render_reminders(&reminders, cap)?;
        self.record_printed(&seen)?;
        Ok(Some(PaperOutput {
            bytes,
            count: reminders.len(),
            items: reminders.into_iter().map(|r| r.card).collect(),
        }))
    }

    /// The loan register (借阅登记簿) of a period: every loan made from `from` to `to` (local
    /// dates, both included), oldest first, as a PDF table or CSV.
    pub fn loan_register(
        &mut self,
        from: &str,
        to: &str,
        format: RegisterFormat,
        cap: &PaperCaptions,
    ) -> Result<PaperOutput> {
        self.require(Permission::ReadDossiers)?;
        let f = crate::model::parse_date(from, "label-from")?;
        let t_ = crate::model::parse_date(to, "label-to")?;
        if t_ < f {
            return Err(Error::usage("period-reversed").arg("from", f).arg("to", t_));
        }
        let rows = db::loans(
            self.lib.db.tx(),
            &db::LoanFilter {
                lent_from: Some(day_start(f)),
                lent_to: t_.succ_opt().map(day_start),
                newest_first: true,
                ..Default::default()
            },
        )?;
        let mut seen = BTreeSet::new();
        let mut loans = self.visible(rows, &mut seen);
        // Oldest first by when it was lent (loan numbers need not follow time: a bulk import).
        loans.sort_by(|a, b| (&a.lent_at, a.id).cmp(&(&b.lent_at, b.id)));
        let reg = Register {
            from: f.format("%Y-%m-%d").to_string(),
            to: t_.format("%Y-%m-%d").to_string(),
            fonds: crate::core::storage::settings(self.lib.db.conn())?.fonds,
            rows: loans
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    [
                        (i + 1).to_string(),
                        crate::core::local_date(&l.lent_at),
                        l.item.clone(),
                        l.title.clone(),
                        l.borrower.clone(),
                        l.borrower_org.clone(),
                        l.purpose.clone(),
                        l.due.clone(),
                        l.returned_at.as_deref().map(crate::core::local_date).unwrap_or_default(),
                        state_text(l, cap),
                        l.lent_by.clone(),
                    ]
                })
                .collect(),
        };
        let bytes = match format {
            RegisterFormat::Pdf => paper::render_register(&reg, cap)?,
            RegisterFormat::Csv => paper::register_csv(&reg, cap),
        };
        self.record_printed(&seen)?;
        Ok(PaperOutput { bytes, count: reg.rows.len(), items: loans.into_iter().map(|l| l.item).collect() })
    }
}
