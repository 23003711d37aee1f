//! Opening a dossier, counting and listing customers.

use super::*;

impl Session {
    /// Opens a dossier: the customer, documents, checklist completeness and custom fields.
    /// Opening a confidential dossier is audited.
    pub fn dossier(&mut self, dossier: &str) -> Result<Dossier> {
        self.require(Permission::ReadDossiers)?;
        let (customer, category_id) = self.lib.db.read(|tx| load(tx, dossier))?;
        self.guard_confidential(&customer)?;
        let out = self.lib.db.read(|tx| {
            let documents = db::documents_of(tx, customer.id)?;
            let mut completeness = completeness(tx, category_id, &documents)?;
            let fields = cfg::fields_for(tx, category_id)?;
            completeness.missing_fields =
                fields::missing_required(&fields, &customer.custom).into_iter().map(String::from).collect();
            Ok(Dossier { customer: customer.clone(), documents, completeness, fields })
        })?;
        if customer.confidential {
            let at = crate::core::now();
            let user = self.user.name.clone();
            self.lib.write(|tx| {
                crate::core::session::record(
                    tx,
                    &user,
                    &at,
                    Change {
                        action: "view",
                        entity: "customer",
                        entity_id: &customer.dossier,
                        dossier: Some(&customer.dossier),
                        before: None,
                        after: None,
                    },
                )
            })?;
        }
        Ok(out)
    }

    /// How many dossiers the library holds.
    pub fn customer_count(&mut self) -> Result<i64> {
        self.require(Permission::ReadDossiers)?;
        db::count(self.lib.db.conn())
    }

    /// Dossiers matching the filters, by dossier number. Confidential dossiers are left out for
    /// users who may not open them; for those who may, a list that shows some is audited as
    /// viewing them (one row naming them; the same list shown again is not a new view).
    pub fn list_customers(&mut self, q: &ListQuery) -> Result<Vec<CustomerSummary>> {
        self.require(Permission::ReadDossiers)?;
        let include_confidential = self.may(Permission::ViewConfidential);
        let list = self.lib.db.read(|tx| {
            let categories = match &q.category {
                Some(c) => cfg::subtree_ids(tx, c)?,
                None => Vec::new(),
            };
            let clerk_id = match &q.clerk {
                Some(c) => clerk_id(tx, c)?,
                None => None,
            };
            db::list(
                tx,
                &db::ListFilter {
                    categories,
                    grade: q.grade,
                    status: q.status,
                    clerk_id,
                    include_confidential,
                    limit: if q.limit == 0 { 50 } else { q.limit.min(10_000) },
                    offset: q.offset,
                },
            )
        })?;
        let shown: Vec<String> = list.iter().filter(|c| c.confidential).map(|c| c.dossier.clone()).collect();
        if !shown.is_empty() {
            self.note_shown(&list_label(q), shown);
            self.audit_shown()?;
        }
        Ok(list)
    }
}

/// How a list is named in the audit row of the confidential dossiers it showed.
fn list_label(q: &ListQuery) -> String {
    let mut label = String::from("list");
    let parts = [
        ("category", q.category.clone()),
        ("grade", q.grade.map(|g| g.as_str().to_string())),
        ("status", q.status.map(|s| s.as_str().to_string())),
        ("clerk", q.clerk.clone()),
        ("offset", (q.offset > 0).then(|| q.offset.to_string())),
    ];
    for (k, v) in parts {
        if let Some(v) = v {
            label.push_str(&format!(" {k}={v}"));
        }
    }
    label
}
