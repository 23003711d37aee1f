//! Closing (销户) and reopening a dossier, with a reason.

use super::clean::*;
use super::*;

impl Session {
    fn set_closed(&mut self, dossier: &str, close: bool, reason: &str) -> Result<Customer> {
        self.require(Permission::CloseDossiers)?;
        let reason = clean_text("label-reason", reason, MAX_NOTES)?;
        self.change(Permission::CloseDossiers, |tx, audit| {
            let (current, category_id) = load(tx, dossier)?;
            match (close, current.status) {
                (true, Status::Closed) => {
                    return Err(Error::conflict("dossier-already-closed").arg("dossier", &current.dossier));
                }
                (false, s) if s != Status::Closed => {
                    return Err(Error::conflict("dossier-not-closed").arg("dossier", &current.dossier));
                }
                _ => {}
            }
            let former = serde_json::to_string(&current.former_names).unwrap_or_else(|_| "[]".into());
            let custom = serde_json::to_string(&current.custom).unwrap_or_else(|_| "{}".into());
            let clerk = match &current.clerk {
                Some(c) => clerk_id(tx, c)?,
                None => None,
            };
            db::update(
                tx,
                current.id,
                &db::Row {
                    dossier: &current.dossier,
                    name: &current.name,
                    name_key: &ids::name_key(&current.name),
                    former_names: &former,
                    id_kind: current.id_kind,
                    id_number: current.id_number.as_deref(),
                    address: &current.address,
                    category_id,
                    grade: current.grade,
                    status: if close { Status::Closed } else { Status::Active },
                    confidential: current.confidential,
                    clerk_id: clerk,
                    notes: &current.notes,
                    custom: &custom,
                    created_at: &current.created_at,
                    updated_at: audit.at,
                    closed_at: close.then_some(audit.at),
                },
            )?;
            let (after, _) = load(tx, &current.dossier)?;
            let mut after_json = serde_json::to_value(&after).unwrap_or_default();
            if !reason.is_empty() {
                after_json["reason"] = serde_json::Value::String(reason.clone());
            }
            audit.log(
                tx,
                Change {
                    action: if close { "close" } else { "reopen" },
                    entity: "customer",
                    entity_id: &current.dossier,
                    dossier: Some(&current.dossier),
                    before: to_json(&current),
                    after: Some(after_json.to_string()),
                },
            )?;
            Ok(after)
        })
    }

    /// Closes the account (销户). The dossier stays, with all its papers and history.
    pub fn close_customer(&mut self, dossier: &str, reason: &str) -> Result<Customer> {
        self.set_closed(dossier, true, reason)
    }

    pub fn reopen_customer(&mut self, dossier: &str, reason: &str) -> Result<Customer> {
        self.set_closed(dossier, false, reason)
    }
}
