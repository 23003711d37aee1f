//! Requests (预约): a borrower waits for an item that is out. The oldest waiting request is
//! served first: returning the item says whom to hold it for, and lending it to anyone else is
//! refused until that request is served or cancelled.

use super::*;
use crate::core::session::{Change, to_json};
use crate::model::loans::RequestState;

impl Session {
    /// Puts a borrower in the queue for an item that is out. Refused when the item is on its
    /// shelf (lend it), when the borrower has it, or already waits for it.
    pub fn request_item(&mut self, item: &str, borrower: &str, note: &str) -> Result<LoanRequest> {
        self.require(Permission::Lend)?;
        self.require_write_access()?;
        let note = crate::model::text::clean_line("label-note", note)?;
        let item = self.lib.db.read(|tx| find_item(tx, item))?;
        if let Item::Dossier(c) = &item {
            self.guard_dossier(c)?;
        }
        let id = self.change(Permission::Lend, |tx, audit| {
            let t = Tx::new(tx);
            let b = find_borrower(t, borrower)?;
            if b.blocked {
                return Err(Error::conflict("borrower-blocked")
                    .arg("borrower", b.display())
                    .arg("reason", &b.blocked_reason));
            }
            let active = match &item {
                Item::Dossier(c) => db::active_loan_of_customer(t, c.id)?,
                Item::Box(x) => db::active_loan_of_box(t, x.id)?,
            };
            let Some(loan) = active else {
                return Err(Error::conflict("request-item-in").arg("item", item.code()));
            };
            if loan.borrower_id == b.id {
                return Err(Error::conflict("request-own-loan")
                    .arg("item", item.code())
                    .arg("borrower", b.display()));
            }
            let waiting = db::waiting_for(t, item.customer_id(), item.box_id())?;
            if waiting.iter().any(|(_, id, _)| *id == b.id) {
                return Err(Error::conflict("request-duplicate")
                    .arg("item", item.code())
                    .arg("borrower", b.display()));
            }
            let id = db::insert_request(
                t,
                item.customer_id(),
                item.box_id(),
                b.id,
                audit.at,
                audit.user_id,
                &note,
            )?;
            let view =
                db::request_by_id(t, id)?.ok_or_else(|| Error::Db("the new request vanished".into()))?;
            audit.log(
                tx,
                Change {
                    action: "request",
                    entity: "loan_request",
                    entity_id: &id.to_string(),
                    dossier: item.customer_id().map(|_| item.code()),
                    before: None,
                    after: to_json(&view.0),
                },
            )?;
            Ok(id)
        })?;
        self.loan_request(id)
    }

    pub fn loan_request(&mut self, id: i64) -> Result<LoanRequest> {
        self.require(Permission::ReadDossiers)?;
        let row = db::request_by_id(self.lib.db.tx(), id)?
            .ok_or_else(|| Error::missing("request-not-found").arg("request", id))?;
        Ok(self.shown_request(row))
    }

    /// Cancels a waiting request.
    pub fn cancel_request(&mut self, id: i64) -> Result<LoanRequest> {
        self.change(Permission::Lend, |tx, audit| {
            let t = Tx::new(tx);
            let (before, _, _) = db::request_by_id(t, id)?
                .ok_or_else(|| Error::missing("request-not-found").arg("request", id))?;
            if before.state != RequestState::Waiting {
                return Err(Error::conflict("request-closed").arg("request", id));
            }
            db::close_request(t, id, RequestState::Cancelled, audit.at, None)?;
            let (after, _, _) =
                db::request_by_id(t, id)?.ok_or_else(|| Error::Db("the request vanished".into()))?;
            audit.log(
                tx,
                Change {
                    action: "cancel",
                    entity: "loan_request",
                    entity_id: &id.to_string(),
                    dossier: (before.kind == ln::ItemKind::Dossier).then_some(before.item.as_str()),
                    before: to_json(&before),
                    after: to_json(&after),
                },
            )?;
            Ok(())
        })?;
        self.loan_request(id)
    }

    /// Requests, oldest first: those waiting (the queue), or all of them.
    pub fn loan_requests(&mut self, all: bool) -> Result<Vec<LoanRequest>> {
        self.require(Permission::ReadDossiers)?;
        let rows = db::requests(self.lib.db.tx(), all, 10_000)?;
        Ok(rows.into_iter().map(|r| self.shown_request(r)).collect())
    }
}
