//! Changing a customer: every field, custom fields, a rename keeps the former name.

use super::clean::*;
use super::register::duplicate_guard;
use super::*;

impl Session {
    pub fn edit_customer(&mut self, dossier: &str, ch: CustomerChanges, force: bool) -> Result<Customer> {
        if ch.is_empty() {
            return Err(Error::usage("edit-nothing"));
        }
        self.require(Permission::WriteDossiers)?;
        let (current, _) = self.lib.db.read(|tx| load(tx, dossier))?;
        self.guard_confidential(&current)?;
        if ch.confidential.is_some_and(|c| c != current.confidential) || ch.status == Some(Status::Closed) {
            self.require(Permission::CloseDossiers)?;
        }
        if ch.status == Some(Status::Closed) {
            return Err(Error::usage("edit-close-separately").arg("dossier", &current.dossier));
        }
        if current.status == Status::Closed {
            let since = current.closed_at.as_deref().map(|d| d[..10.min(d.len())].to_string());
            return Err(Error::conflict("dossier-closed")
                .arg("dossier", &current.dossier)
                .arg("since", since.unwrap_or_else(|| "-".into())));
        }
        let mut next = current.clone();
        if let Some(n) = &ch.name {
            let n = clean_name(n)?;
            if n != current.name {
                if !next.former_names.contains(&current.name) {
                    next.former_names.push(current.name.clone());
                }
                next.former_names.retain(|f| f != &n);
                next.name = n;
            }
        }
        if let Some(n) = &ch.id_number {
            if n.trim().is_empty() {
                next.id_kind = None;
                next.id_number = None;
            } else {
                let (k, n) = clean_identity(ch.id_kind, n)?;
                next.id_kind = Some(k);
                next.id_number = Some(n);
            }
        } else if let Some(k) = ch.id_kind {
            let Some(n) = &current.id_number else {
                return Err(Error::usage("edit-id-kind-needs-number"));
            };
            let (k, n) = clean_identity(Some(k), n)?;
            next.id_kind = Some(k);
            next.id_number = Some(n);
        }
        if let Some(p) = &ch.phones {
            next.phones = clean_phones(p)?;
        }
        for p in clean_phones(&ch.add_phones)? {
            if !next.phones.contains(&p) {
                next.phones.push(p);
            }
        }
        for p in clean_phones(&ch.remove_phones)? {
            if !next.phones.contains(&p) {
                return Err(Error::usage("edit-phone-not-here").arg("phone", p));
            }
            next.phones.retain(|x| x != &p);
        }
        if next.phones.len() > MAX_PHONES {
            return Err(Error::usage("phones-too-many").arg("max", MAX_PHONES));
        }
        if let Some(a) = &ch.address {
            next.address = clean_text("label-address", a, MAX_ADDRESS)?;
        }
        if let Some(n) = &ch.notes {
            next.notes = clean_text("label-notes", n, MAX_NOTES)?;
        }
        if let Some(g) = ch.grade {
            next.grade = g;
        }
        if let Some(s) = ch.status {
            next.status = s;
        }
        if let Some(c) = ch.confidential {
            next.confidential = c;
        }
        if let Some(c) = &ch.clerk {
            next.clerk = Some(c.trim().to_string()).filter(|c| !c.is_empty());
        }
        let may_see = self.may(Permission::ViewConfidential);
        let mut denied = None;
        let result = self.change(Permission::WriteDossiers, |tx, audit| {
            let category = match &ch.category {
                Some(c) => cfg::category(tx, c)?,
                None => cfg::category(tx, &current.category)?,
            };
            next.category = category.code.clone();
            next.category_path = category.path.clone();
            let moved = category.code != current.category;
            next.custom = fields::apply_edit(
                &cfg::fields_for(tx, category.id)?,
                &current.custom,
                &ch.fields,
                moved,
                ch.drop_fields,
            )?;
            if next == current {
                return Ok(current.clone());
            }
            let name_key = ids::name_key(&next.name);
            duplicate_guard(
                tx,
                next.id_number.as_deref(),
                &name_key,
                &next.phones,
                current.id,
                force,
                (!may_see).then_some(&mut denied),
            )?;
            let former = serde_json::to_string(&next.former_names).unwrap_or_else(|_| "[]".into());
            let custom = serde_json::to_string(&next.custom).unwrap_or_else(|_| "{}".into());
            db::update(
                tx,
                current.id,
                &db::Row {
                    dossier: &current.dossier,
                    name: &next.name,
                    name_key: &name_key,
                    former_names: &former,
                    id_kind: next.id_kind,
                    id_number: next.id_number.as_deref(),
                    address: &next.address,
                    category_id: category.id,
                    grade: next.grade,
                    status: next.status,
                    confidential: next.confidential,
                    clerk_id: match &next.clerk {
                        Some(c) => clerk_id(tx, c)?,
                        None => None,
                    },
                    notes: &next.notes,
                    custom: &custom,
                    created_at: &current.created_at,
                    updated_at: audit.at,
                    closed_at: None,
                },
            )?;
            if next.phones != current.phones {
                db::replace_phones(tx, current.id, &next.phones)?;
            }
            let (after, _) = load(tx, &current.dossier)?;
            audit.log(
                tx,
                Change {
                    action: "update",
                    entity: "customer",
                    entity_id: &current.dossier,
                    dossier: Some(&current.dossier),
                    before: to_json(&current),
                    after: to_json(&after),
                },
            )?;
            Ok(after)
        });
        self.audit_denied_duplicate(result, denied)
    }
}
