//! Lending, returning, renewing and losing: each one write transaction with its movement and
//! audit rows, so what the desk did is all recorded or none of it.

use chrono::NaiveDate;

use super::*;
use crate::core::session::{Auditor, Change, to_json};
use crate::model::Status;
use crate::model::loans::{BorrowerKind, Condition, LoanState, RequestState};
use crate::model::storage::MoveReason;

/// What the desk asks to lend.
#[derive(Debug, Clone, Default)]
pub struct LendSpec {
    /// A dossier number or a box code (scanned or typed).
    pub item: String,
    /// The borrower's card number, badge or unique name.
    pub borrower: String,
    /// 借阅事由.
    pub purpose: String,
    /// Working days instead of the policy's.
    pub days: Option<u32>,
    /// A due date instead (a working day, today or later).
    pub due: Option<String>,
    /// For a confidential dossier: a second user with the right to see it, and their password.
    pub approver: Option<(String, String)>,
    /// Lend although the borrower has overdue loans: the reason (the lender's override is
    /// audited).
    pub override_reason: Option<String>,
}

/// What lending did.
#[derive(Debug, Clone, Serialize)]
pub struct Lent {
    #[serde(flatten)]
    pub loan: Loan,
    /// For a box: the dossiers lent with it.
    pub folders: Vec<String>,
    /// The borrower's request this loan served.
    pub served_request: Option<i64>,
}

/// What the desk says of a returned item.
#[derive(Debug, Clone, Default)]
pub struct ReturnSpec {
    pub item: String,
    /// Pages counted on return.
    pub pages: Option<i64>,
    /// Unless given: complete, or pages missing when fewer pages came back than went out.
    pub condition: Option<Condition>,
    pub note: String,
}

/// What returning did.
#[derive(Debug, Clone, Serialize)]
pub struct Returned {
    #[serde(flatten)]
    pub loan: Loan,
    /// It had been reported lost: it is found and back.
    pub found: bool,
    /// Pages that went out and did not come back (when counted).
    pub pages_short: Option<i64>,
    /// Folders of a box still lost after the box came back.
    pub still_lost: Vec<String>,
    /// The first borrower waiting for it: hold it for them (预约).
    pub hold_for: Option<String>,
    pub hold_for_code: Option<String>,
    /// Where it goes back to (a box: its home).
    pub back_to: Option<String>,
}

fn parse_day(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| Error::Db(format!("bad stored date {s}")))
}

/// The loan's current row, or the refusal that says it is not out (and, for a folder lent
/// with its box, to return the box).
fn active_loan(t: Tx<'_>, item: &Item) -> Result<Option<db::LoanRow>> {
    match item {
        Item::Dossier(c) => db::active_loan_of_customer(t, c.id),
        Item::Box(b) => db::active_loan_of_box(t, b.id),
    }
}

fn box_code_of_loan(t: Tx<'_>, box_loan_id: i64) -> Result<String> {
    let row = db::loan_row_by_id(t, box_loan_id)?.ok_or_else(|| Error::Db("a box loan is missing".into()))?;
    let b = sdb::box_by_id(t, row.box_id.unwrap_or_default())?
        .ok_or_else(|| Error::Db("a lent box is missing".into()))?;
    Ok(b.code)
}

/// The box loan a folder's loan belongs to, while that box loan is still out (or lost).
fn active_parent(t: Tx<'_>, row: &db::LoanRow) -> Result<Option<i64>> {
    let Some(parent) = row.box_loan_id else { return Ok(None) };
    Ok(db::loan_row_by_id(t, parent)?.filter(|p| p.state.is_active()).map(|p| p.id))
}

fn borrower_name(t: Tx<'_>, id: i64) -> Result<Borrower> {
    db::borrower_by_id(t, id)?.ok_or_else(|| Error::Db("a loan's borrower is missing".into()))
}

/// Checks an approver for lending a confidential dossier: another user, enabled, allowed to
/// see confidential dossiers, whose password is right.
fn check_approver(tx: &rusqlite::Connection, lender: &str, name: &str, password: &str) -> Result<i64> {
    let found = store::users::by_name(tx, name.trim())?;
    let Some((user, hash)) = found else {
        crate::core::password::dummy_verify(password);
        return Err(Error::Login(crate::model::Message::new("loan-approver-wrong")));
    };
    if user.name.eq_ignore_ascii_case(lender) {
        return Err(Error::conflict("loan-approver-self"));
    }
    if user.disabled || !crate::core::password::verify(password, &hash) {
        return Err(Error::Login(crate::model::Message::new("loan-approver-wrong")));
    }
    crate::model::permission::check(&user, Permission::ViewConfidential)?;
    Ok(user.id)
}

impl Session {
    /// Lends a dossier's folder or a box to a borrower. Refused (exit 4) when the item is out
    /// already (naming who has it), reserved for someone else, a closed dossier, the borrower
    /// blocked, or the borrower has overdue loans and no override was given; a confidential
    /// dossier needs an approver. The due date is counted in working days on the calendar.
    pub fn lend(&mut self, spec: &LendSpec) -> Result<Lent> {
        self.require(Permission::Lend)?;
        self.require_write_access()?;
        let today = crate::core::today();
        let (item, borrower, due, calendar_note) = self.lib.db.read(|tx| {
            let t = Tx::new(tx);
            let item = find_item(tx, &spec.item)?;
            let borrower = find_borrower(t, &spec.borrower)?;
            let cal = load_calendar(t)?;
            let policy = load_policy(tx)?;
            let due = match (&spec.due, spec.days) {
                (Some(d), _) => {
                    let due = crate::model::parse_date(d, "label-due")?;
                    if due < today {
                        return Err(Error::usage("loan-due-past").arg("due", due).arg("today", today));
                    }
                    let info = cal.day(due);
                    if !info.is_working() {
                        return Err(Error::usage("loan-due-not-workday")
                            .arg("due", due)
                            .arg("next", cal.next_workday(due)));
                    }
                    due
                }
                (None, Some(n)) if n == 0 || n > LoanPolicy::MAX_DAYS => {
                    return Err(Error::usage("loan-days-invalid").arg("value", n).arg("what", "--days"));
                }
                (None, days) => cal.add_workdays(today, days.unwrap_or(policy.for_kind(borrower.kind).days)),
            };
            Ok((item, borrower, due, !cal.knows(chrono::Datelike::year(&due))))
        })?;
        if calendar_note {
            tracing::warn!(due = %due, "due date in a year whose holidays the calendar does not know in full");
        }
        if let Item::Dossier(c) = &item {
            self.guard_dossier(c)?;
            if c.status == Status::Closed {
                return Err(Error::conflict("loan-closed-dossier").arg("dossier", &c.dossier));
            }
        }
        if borrower.blocked {
            return Err(Error::conflict("borrower-blocked")
                .arg("borrower", borrower.display())
                .arg("reason", &borrower.blocked_reason));
        }
        let lender = self.user.name.clone();
        let approver_given = spec.approver.clone();
        let override_reason = spec.override_reason.as_deref().map(str::trim).filter(|s| !s.is_empty());
        let purpose = crate::model::text::clean_line("label-purpose", &spec.purpose)?;
        let today_s = today.format("%Y-%m-%d").to_string();
        let due_s = due.format("%Y-%m-%d").to_string();
        let (loan_id, folders, served) = self.change(Permission::Lend, |tx, audit| {
            let t = Tx::new(tx);
            // Out already: the item itself, a folder of a box, or the box a folder is in.
            if let Some(row) = active_loan(t, &item)? {
                return Err(already_out(t, item.code(), &row)?);
            }
            let mut lent_folders: Vec<(i64, String, bool)> = Vec::new();
            let mut confidential = matches!(&item, Item::Dossier(c) if c.confidential);
            if let Item::Box(b) = &item {
                if let Some((cid, row)) =
                    db::box_folders_out(t, b.id)?.into_iter().find(|(_, r)| r.state == LoanState::Out)
                {
                    let dossier = store::customers::dossier_by_rowid(tx, cid)?.unwrap_or_default();
                    let who = borrower_name(t, row.borrower_id)?;
                    return Err(Error::conflict("loan-box-folder-out")
                        .arg("box", &b.code)
                        .arg("item", dossier)
                        .arg("borrower", who.display())
                        .arg("due", &row.due));
                }
                let lost: Vec<i64> = db::box_folders_out(t, b.id)?.into_iter().map(|(c, _)| c).collect();
                for (cid, dossier, conf) in db::box_folder_ids(t, b.id)? {
                    if lost.contains(&cid) {
                        continue;
                    }
                    confidential |= conf;
                    lent_folders.push((cid, dossier, conf));
                }
            }
            // Reserved for someone else?
            let waiting = db::waiting_for(t, item.customer_id(), item.box_id())?;
            let mut served = None;
            if let Some((first, first_id, _)) = waiting.first() {
                if *first_id != borrower.id {
                    return Err(Error::conflict("loan-reserved")
                        .arg("item", item.code())
                        .arg("borrower", &first.borrower)
                        .arg("since", crate::core::local_date(&first.requested_at)));
                }
                served = Some(first.id);
            }
            let overdue = db::overdue_of(t, borrower.id, &today_s)?;
            let override_by = match (overdue.first(), override_reason) {
                (None, _) => None,
                (Some((what, due)), None) => {
                    return Err(Error::conflict("borrower-has-overdue")
                        .arg("borrower", borrower.display())
                        .arg("count", overdue.len())
                        .arg("item", what)
                        .arg("due", due));
                }
                (Some(_), Some(_)) => Some(audit.user_id),
            };
            let approved_by = match (confidential, &approver_given) {
                (false, _) => None,
                (true, None) => return Err(Error::conflict("loan-needs-approval").arg("item", item.code())),
                (true, Some((name, password))) => Some(check_approver(tx, &lender, name, password)?),
            };
            let pages_out = match &item {
                Item::Dossier(c) => Some(sdb::customer_pages(t, c.id)?),
                Item::Box(_) => None,
            };
            let loan_id = db::insert_loan(
                t,
                &db::NewLoan {
                    customer_id: item.customer_id(),
                    box_id: item.box_id(),
                    box_loan_id: None,
                    borrower_id: borrower.id,
                    purpose: &purpose,
                    lent_by: audit.user_id,
                    lent_at: audit.at,
                    due: &due_s,
                    approved_by,
                    override_by,
                    override_note: override_reason.unwrap_or_default(),
                    pages_out,
                },
            )?;
            let note = borrower.display();
            match &item {
                Item::Dossier(c) => {
                    let folder = sdb::folder_of(t, c.id)?;
                    sdb::insert_movement(
                        t,
                        &sdb::NewMovement {
                            at: audit.at,
                            user_id: audit.user_id,
                            box_id: None,
                            customer_id: Some(c.id),
                            from_location: None,
                            to_location: None,
                            from_box: folder.map(|f| f.box_id),
                            to_box: None,
                            reason: MoveReason::Loan,
                            note: &note,
                        },
                    )?;
                }
                Item::Box(b) => {
                    let (home, current) = sdb::box_places(t, b.id)?;
                    sdb::set_box_places(t, b.id, home, None, audit.at)?;
                    log_box_move(tx, audit, b, "loan", &note)?;
                    sdb::insert_movement(
                        t,
                        &sdb::NewMovement {
                            at: audit.at,
                            user_id: audit.user_id,
                            box_id: Some(b.id),
                            customer_id: None,
                            from_location: current,
                            to_location: None,
                            from_box: None,
                            to_box: None,
                            reason: MoveReason::Loan,
                            note: &note,
                        },
                    )?;
                    for (cid, _, _) in &lent_folders {
                        db::insert_loan(
                            t,
                            &db::NewLoan {
                                customer_id: Some(*cid),
                                box_id: None,
                                box_loan_id: Some(loan_id),
                                borrower_id: borrower.id,
                                purpose: &purpose,
                                lent_by: audit.user_id,
                                lent_at: audit.at,
                                due: &due_s,
                                approved_by,
                                override_by,
                                override_note: override_reason.unwrap_or_default(),
                                pages_out: Some(sdb::customer_pages(t, *cid)?),
                            },
                        )?;
                    }
                }
            }
            if let Some(id) = served {
                db::close_request(t, id, RequestState::Served, audit.at, Some(loan_id))?;
            }
            let view =
                db::loan_by_id(t, loan_id)?.ok_or_else(|| Error::Db("the new loan vanished".into()))?;
            log_loan(tx, audit, "lend", &view.0, None, &lent_folders)?;
            Ok((loan_id, lent_folders.into_iter().map(|(_, d, _)| d).collect::<Vec<_>>(), served))
        })?;
        let loan = self.loan(loan_id)?;
        tracing::info!(item = %loan.item, borrower = %loan.borrower, due = %loan.due, "lent");
        Ok(Lent { loan, folders, served_request: served })
    }

    /// One loan by its number, as this user may see it.
    pub fn loan(&mut self, id: i64) -> Result<Loan> {
        self.require(Permission::ReadDossiers)?;
        let row = db::loan_by_id(self.lib.db.tx(), id)?
            .ok_or_else(|| Error::missing("loan-not-found").arg("loan", id))?;
        Ok(self.shown_loan(row))
    }

    /// Takes back an item: the loan is closed with the pages counted and the condition, a box
    /// goes back to its home location with its folders. An item not out is refused (exit 4);
    /// an item reported lost is found: its loan says so and it is back.
    pub fn return_item(&mut self, spec: &ReturnSpec) -> Result<Returned> {
        self.require(Permission::Lend)?;
        self.require_write_access()?;
        if let Some(p) = spec.pages
            && p < 0
        {
            return Err(Error::usage("loan-pages-invalid").arg("value", p));
        }
        let note = crate::model::text::clean_line("label-note", &spec.note)?;
        let item = self.lib.db.read(|tx| find_item(tx, &spec.item))?;
        if let Item::Dossier(c) = &item {
            self.guard_dossier(c)?;
        }
        let out = self.change(Permission::Lend, |tx, audit| {
            let t = Tx::new(tx);
            let Some(row) = active_loan(t, &item)? else {
                return Err(Error::conflict("loan-not-out").arg("item", item.code()));
            };
            if let Some(parent) = active_parent(t, &row)? {
                return Err(Error::conflict("loan-return-box")
                    .arg("item", item.code())
                    .arg("box", box_code_of_loan(t, parent)?));
            }
            let before = db::loan_by_id(t, row.id)?.map(|l| l.0);
            let found = row.state == LoanState::Lost;
            let short = match (spec.pages, row.pages_out) {
                (Some(back), Some(out)) if back < out => Some(out - back),
                _ => None,
            };
            let condition = spec.condition.unwrap_or(if short.is_some() {
                Condition::PagesMissing
            } else {
                Condition::Complete
            });
            db::set_returned(
                t,
                row.id,
                &db::Returned {
                    at: audit.at,
                    by: audit.user_id,
                    pages: spec.pages,
                    condition,
                    note: &note,
                    found,
                },
            )?;
            let borrower = borrower_name(t, row.borrower_id)?;
            let mut still_lost = Vec::new();
            let mut back_to = None;
            let mut folders = Vec::new();
            match &item {
                Item::Dossier(c) => {
                    let folder = sdb::folder_of(t, c.id)?;
                    sdb::insert_movement(
                        t,
                        &sdb::NewMovement {
                            at: audit.at,
                            user_id: audit.user_id,
                            box_id: None,
                            customer_id: Some(c.id),
                            from_location: None,
                            to_location: None,
                            from_box: None,
                            to_box: folder.as_ref().map(|f| f.box_id),
                            reason: MoveReason::Returned,
                            note: &borrower.display(),
                        },
                    )?;
                    if let Some(f) = folder {
                        back_to = sdb::box_by_id(t, f.box_id)?.map(|b| b.code);
                    }
                }
                Item::Box(b) => {
                    let (home, _) = sdb::box_places(t, b.id)?;
                    sdb::set_box_places(t, b.id, home, home, audit.at)?;
                    log_box_move(tx, audit, b, "returned", &borrower.display())?;
                    sdb::insert_movement(
                        t,
                        &sdb::NewMovement {
                            at: audit.at,
                            user_id: audit.user_id,
                            box_id: Some(b.id),
                            customer_id: None,
                            from_location: None,
                            to_location: home,
                            from_box: None,
                            to_box: None,
                            reason: MoveReason::Returned,
                            note: &borrower.display(),
                        },
                    )?;
                    back_to = match home {
                        Some(h) => sdb::location_by_id(t, h)?.map(|l| l.path),
                        None => None,
                    };
                    for child in db::folder_loans_of(t, row.id)? {
                        let dossier =
                            store::customers::dossier_by_rowid(tx, child.customer_id.unwrap_or_default())?
                                .unwrap_or_default();
                        match child.state {
                            LoanState::Out | LoanState::Lost if found || child.state == LoanState::Out => {
                                db::set_returned(
                                    t,
                                    child.id,
                                    &db::Returned {
                                        at: audit.at,
                                        by: audit.user_id,
                                        pages: None,
                                        condition: Condition::Complete,
                                        note: "",
                                        found: child.state == LoanState::Lost,
                                    },
                                )?;
                                folders.push((child.customer_id.unwrap_or_default(), dossier, false));
                            }
                            LoanState::Lost => still_lost.push(dossier),
                            _ => {}
                        }
                    }
                }
            }
            let after = db::loan_by_id(t, row.id)?.ok_or_else(|| Error::Db("the loan vanished".into()))?;
            log_loan(tx, audit, if found { "found" } else { "return" }, &after.0, before.as_ref(), &folders)?;
            let waiting = db::waiting_for(t, item.customer_id(), item.box_id())?;
            Ok((
                row.id,
                found,
                short,
                still_lost,
                waiting.first().map(|w| (w.0.borrower.clone(), w.0.borrower_code.clone())),
                back_to,
            ))
        })?;
        let (id, found, pages_short, still_lost, hold, back_to) = out;
        let loan = self.loan(id)?;
        tracing::info!(item = %loan.item, found, "returned");
        Ok(Returned {
            loan,
            found,
            pages_short,
            still_lost,
            hold_for_code: hold.as_ref().map(|h| h.1.clone()),
            hold_for: hold.map(|h| h.0),
            back_to,
        })
    }

    /// Renews a loan: the due date moves on by the policy's renewal (or `days`) working days,
    /// counted from the due date or from today if that is later. Refused past the policy's
    /// limit, for a lost item, or when someone is waiting for it.
    pub fn renew(&mut self, item: &str, days: Option<u32>) -> Result<Loan> {
        self.require(Permission::Lend)?;
        self.require_write_access()?;
        if let Some(n) = days
            && (n == 0 || n > LoanPolicy::MAX_DAYS)
        {
            return Err(Error::usage("loan-days-invalid").arg("value", n).arg("what", "--days"));
        }
        let item = self.lib.db.read(|tx| find_item(tx, item))?;
        if let Item::Dossier(c) = &item {
            self.guard_dossier(c)?;
        }
        let today = crate::core::today();
        let id = self.change(Permission::Lend, |tx, audit| {
            let t = Tx::new(tx);
            let Some(row) = active_loan(t, &item)? else {
                return Err(Error::conflict("loan-not-out").arg("item", item.code()));
            };
            if let Some(parent) = active_parent(t, &row)? {
                return Err(Error::conflict("loan-renew-box")
                    .arg("item", item.code())
                    .arg("box", box_code_of_loan(t, parent)?));
            }
            if row.state == LoanState::Lost {
                return Err(Error::conflict("loan-renew-lost").arg("item", item.code()));
            }
            let borrower = borrower_name(t, row.borrower_id)?;
            let policy = load_policy(tx)?.for_kind(borrower.kind);
            if row.renewals >= i64::from(policy.max_renewals) {
                return Err(Error::conflict("loan-renew-limit")
                    .arg("item", item.code())
                    .arg("max", policy.max_renewals)
                    .arg("kind", borrower_kind_key(borrower.kind)));
            }
            if let Some((w, _, _)) = db::waiting_for(t, item.customer_id(), item.box_id())?.first() {
                return Err(Error::conflict("loan-renew-waiting")
                    .arg("item", item.code())
                    .arg("borrower", &w.borrower));
            }
            let cal = load_calendar(t)?;
            let from = parse_day(&row.due)?.max(today);
            let due =
                cal.add_workdays(from, days.unwrap_or(policy.renew_days)).format("%Y-%m-%d").to_string();
            let before = db::loan_by_id(t, row.id)?.map(|l| l.0);
            db::set_renewed(t, row.id, &due)?;
            let mut children = Vec::new();
            for child in db::folder_loans_of(t, row.id)? {
                if child.state == LoanState::Out {
                    db::set_renewed(t, child.id, &due)?;
                    let d = store::customers::dossier_by_rowid(tx, child.customer_id.unwrap_or_default())?
                        .unwrap_or_default();
                    children.push((child.customer_id.unwrap_or_default(), d, false));
                }
            }
            let after = db::loan_by_id(t, row.id)?.ok_or_else(|| Error::Db("the loan vanished".into()))?;
            log_loan(tx, audit, "renew", &after.0, before.as_ref(), &children)?;
            Ok(row.id)
        })?;
        self.loan(id)
    }

    /// Reports an item lost while on loan: the loan stays with who had it, the item cannot be
    /// lent, and returning it later says it is found.
    pub fn mark_lost(&mut self, item: &str, note: &str) -> Result<Loan> {
        self.require(Permission::Lend)?;
        self.require_write_access()?;
        let note = crate::model::text::clean_line("label-note", note)?;
        let item = self.lib.db.read(|tx| find_item(tx, item))?;
        if let Item::Dossier(c) = &item {
            self.guard_dossier(c)?;
        }
        let id = self.change(Permission::Lend, |tx, audit| {
            let t = Tx::new(tx);
            let Some(row) = active_loan(t, &item)? else {
                return Err(Error::conflict("loan-not-out").arg("item", item.code()));
            };
            if row.state == LoanState::Lost {
                return Err(Error::conflict("loan-already-lost").arg("item", item.code()));
            }
            let before = db::loan_by_id(t, row.id)?.map(|l| l.0);
            db::set_lost(t, row.id, audit.at, audit.user_id, &note)?;
            let mut children = Vec::new();
            for child in db::folder_loans_of(t, row.id)? {
                if child.state == LoanState::Out {
                    db::set_lost(t, child.id, audit.at, audit.user_id, &note)?;
                    let d = store::customers::dossier_by_rowid(tx, child.customer_id.unwrap_or_default())?
                        .unwrap_or_default();
                    children.push((child.customer_id.unwrap_or_default(), d, false));
                }
            }
            let after = db::loan_by_id(t, row.id)?.ok_or_else(|| Error::Db("the loan vanished".into()))?;
            log_loan(tx, audit, "lost", &after.0, before.as_ref(), &children)?;
            Ok(row.id)
        })?;
        self.loan(id)
    }
}

/// The message key of a kind of borrower (for "the limit for staff is 2").
fn borrower_kind_key(kind: BorrowerKind) -> &'static str {
    kind.label_key()
}

/// The box's own audit row when it leaves its shelf on loan or comes back: its places before
/// and after (what `verify` compares a box with).
fn log_box_move(
    tx: &rusqlite::Connection,
    audit: &Auditor<'_>,
    before: &BoxInfo,
    action: &str,
    note: &str,
) -> Result<()> {
    let t = Tx::new(tx);
    let b = sdb::box_by_id(t, before.id)?.ok_or_else(|| Error::Db("a lent box is missing".into()))?;
    audit.log(
        tx,
        Change {
            action,
            entity: "box",
            entity_id: &b.code,
            dossier: None,
            before: to_json(&serde_json::json!({ "home": before.home, "current": before.current })),
            after: to_json(&serde_json::json!({ "home": b.home, "current": b.current, "note": note })),
        },
    )
}

/// "Out already": who has it and until when, and for a folder lent with its box, which box.
fn already_out(t: Tx<'_>, code: &str, row: &db::LoanRow) -> Result<Error> {
    let b = borrower_name(t, row.borrower_id)?;
    let key = match (row.state, active_parent(t, row)?) {
        (LoanState::Lost, _) => "loan-item-lost",
        (_, Some(_)) => "loan-out-with-box",
        _ => "loan-already-out",
    };
    let mut e = Error::conflict(key).arg("item", code).arg("borrower", b.display()).arg("due", &row.due);
    if let Some(parent) = active_parent(t, row)? {
        e = e.arg("box", box_code_of_loan(t, parent)?);
    }
    Ok(e)
}

/// The audit rows of a loan action: one per folder that went with a box (each dossier's history
/// shows it too), then one for the loan with its whole state (the last row of a loan is what
/// `verify` compares it with).
fn log_loan(
    tx: &rusqlite::Connection,
    audit: &Auditor<'_>,
    action: &str,
    loan: &Loan,
    before: Option<&Loan>,
    folders: &[(i64, String, bool)],
) -> Result<()> {
    let id = loan.id.to_string();
    for (_, dossier, _) in folders {
        audit.log(
            tx,
            Change {
                action,
                entity: "loan",
                entity_id: &id,
                dossier: Some(dossier),
                before: None,
                after: Some(
                    serde_json::json!({ "box": loan.item, "borrower": loan.borrower, "due": loan.due })
                        .to_string(),
                ),
            },
        )?;
    }
    audit.log(
        tx,
        Change {
            action,
            entity: "loan",
            entity_id: &id,
            dossier: (loan.kind == ln::ItemKind::Dossier).then_some(loan.item.as_str()),
            before: before.and_then(to_json),
            after: to_json(loan),
        },
    )?;
    Ok(())
}
