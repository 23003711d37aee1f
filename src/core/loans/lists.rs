//! What the desk lists: loans out, overdue, due today, a period's register, an item's loan
//! history; and the counts the 工作台 shows.

use super::*;

/// Which loans to list.
#[derive(Debug, Clone, Default)]
pub struct LoanQuery {
    /// Only those overdue today.
    pub overdue: bool,
    /// Only those due today.
    pub due_today: bool,
    /// Every loan (returned too), not only those out.
    pub all: bool,
    /// One borrower's (card number, badge or unique name).
    pub borrower: Option<String>,
    /// Lent on or after / before these dates (YYYY-MM-DD, local): a register's period.
    pub from: Option<String>,
    pub to: Option<String>,
    pub limit: usize,
}

/// The desk's counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DeskCounts {
    /// Items out now (a box once).
    pub out: i64,
    pub overdue: i64,
    pub due_today: i64,
    /// Requests waiting.
    pub waiting: i64,
}

/// The UTC timestamp at which a local day begins (stored times are UTC).
pub fn day_start(d: chrono::NaiveDate) -> String {
    d.and_hms_opt(0, 0, 0)
        .and_then(|t| t.and_local_timezone(chrono::Local).earliest())
        .map(|t| t.with_timezone(&chrono::Utc).format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
        .unwrap_or_else(|| format!("{d}T00:00:00.000Z"))
}

impl Session {
    /// Loans as asked: out now (by due date), overdue, due today, or every loan of a period.
    pub fn loans(&mut self, q: &LoanQuery) -> Result<Vec<Loan>> {
        self.require(Permission::ReadDossiers)?;
        let today = today_str();
        let t = self.lib.db.tx();
        let borrower_id = match &q.borrower {
            Some(b) => Some(find_borrower(t, b)?.id),
            None => None,
        };
        let from = q.from.as_deref().map(|d| crate::model::parse_date(d, "label-from")).transpose()?;
        let to = q.to.as_deref().map(|d| crate::model::parse_date(d, "label-to")).transpose()?;
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            return Err(Error::usage("period-reversed").arg("from", f).arg("to", t));
        }
        let rows = db::loans(
            t,
            &db::LoanFilter {
                active: !q.all && from.is_none() && to.is_none(),
                due_before: q.overdue.then(|| today.clone()),
                due_on: q.due_today.then(|| today.clone()),
                borrower_id,
                lent_from: from.map(day_start),
                lent_to: to.and_then(|d| d.succ_opt()).map(day_start),
                newest_first: q.all || from.is_some() || to.is_some(),
                limit: if q.limit == 0 { 0 } else { q.limit as i64 },
                ..Default::default()
            },
        )?;
        Ok(rows.into_iter().map(|l| self.shown_loan(l)).collect())
    }

    /// An item's loans (a dossier's include those with its box), newest first.
    pub fn loan_history(&mut self, item: &str) -> Result<Vec<Loan>> {
        self.require(Permission::ReadDossiers)?;
        let item = self.lib.db.read(|tx| find_item(tx, item))?;
        if let Item::Dossier(c) = &item {
            self.guard_dossier(c)?;
        }
        let rows = db::loans(
            self.lib.db.tx(),
            &db::LoanFilter {
                customer_id: item.customer_id(),
                box_id: item.box_id(),
                with_box_folders: true,
                newest_first: true,
                limit: 1000,
                ..Default::default()
            },
        )?;
        Ok(rows.into_iter().map(|l| self.shown_loan(l)).collect())
    }

    /// The loan an item is out (or lost) on now, with who waits for it.
    pub fn current_loan(&mut self, item: &str) -> Result<Option<OnLoan>> {
        self.require(Permission::ReadDossiers)?;
        let item = self.lib.db.read(|tx| find_item(tx, item))?;
        if let Item::Dossier(c) = &item {
            self.guard_dossier(c)?;
        }
        self.on_loan(item.customer_id(), item.box_id())
    }

    pub(crate) fn on_loan(
        &mut self,
        customer_id: Option<i64>,
        box_id: Option<i64>,
    ) -> Result<Option<OnLoan>> {
        let t = self.lib.db.tx();
        let row = match (customer_id, box_id) {
            (Some(c), _) => db::active_loan_of_customer(t, c)?,
            (None, Some(b)) => db::active_loan_of_box(t, b)?,
            (None, None) => None,
        };
        let Some(row) = row else { return Ok(None) };
        let loan = db::loan_by_id(t, row.id)?.ok_or_else(|| Error::Db("a loan vanished".into()))?;
        let waiting =
            db::waiting_for(t, customer_id, box_id)?.into_iter().map(|(r, _, _)| r.borrower).collect();
        Ok(Some(OnLoan { loan: self.shown_loan(loan), waiting }))
    }

    /// Items out, overdue, due today, and requests waiting.
    pub fn desk_counts(&mut self) -> Result<DeskCounts> {
        self.require(Permission::ReadDossiers)?;
        let (out, overdue, due_today, waiting) = db::desk_counts(self.lib.db.tx(), &today_str())?;
        Ok(DeskCounts { out, overdue, due_today, waiting })
    }
}
