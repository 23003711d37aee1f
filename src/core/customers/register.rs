//! Registering a new customer: its dossier number and the duplicate guard (防止重复录入).

use super::clean::*;
use super::*;

/// Refuses a likely duplicate: the same ID number always; the same name and phone unless forced.
///
/// A confidential dossier is named only to a user who may see it (`conceal` is `None`): for
/// anyone else (`Some(slot)`) it is "a dossier you may not see" (no number, no name), and the
/// slot gets the dossier's number so the caller can audit the refusal (`view_denied`) once the
/// action's own transaction is rolled back.
pub(super) fn duplicate_guard(
    tx: &rusqlite::Connection,
    id_number: Option<&str>,
    name_key: &str,
    phones: &[String],
    except: i64,
    force: bool,
    mut conceal: Option<&mut Option<String>>,
) -> Result<()> {
    let mut refuse = |reason, existing: String, existing_name: String, confidential: bool| {
        if confidential && let Some(slot) = conceal.as_deref_mut() {
            *slot = Some(existing);
            Error::Duplicate { reason, existing: String::new(), existing_name: String::new() }
        } else {
            Error::Duplicate { reason, existing, existing_name }
        }
    };
    if let Some(n) = id_number
        && let Some((existing, existing_name, confidential)) = db::by_id_number(tx, n, except)?
    {
        return Err(refuse(DuplicateReason::SameIdNumber, existing, existing_name, confidential));
    }
    if !force
        && let Some((existing, existing_name, confidential)) =
            db::by_name_and_phone(tx, name_key, phones, except)?
    {
        return Err(refuse(DuplicateReason::SameNameAndPhone, existing, existing_name, confidential));
    }
    Ok(())
}

/// A dossier number that is not yet taken.
fn next_dossier_no(tx: &rusqlite::Connection, year: i32) -> Result<String> {
    let rule = cfg::numbering(tx)?;
    let scope = rule.scope(year);
    loop {
        let no = rule.format(year, cfg::next_in_sequence(tx, &scope)?);
        if db::get(tx, &no)?.is_none() {
            return Ok(no);
        }
    }
}

impl Session {
    pub fn add_customer(&mut self, new: NewCustomer, force: bool) -> Result<Customer> {
        let name = clean_name(&new.name)?;
        let name_key = ids::name_key(&name);
        let identity = match new.id_number.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(n) => Some(clean_identity(new.id_kind, n)?),
            None => None,
        };
        let phones = clean_phones(&new.phones)?;
        let address = clean_text("label-address", &new.address, MAX_ADDRESS)?;
        let notes = clean_text("label-notes", &new.notes, MAX_NOTES)?;
        let status = new.status.unwrap_or(Status::Active);
        if status == Status::Closed {
            return Err(Error::usage("register-closed"));
        }
        if new.confidential {
            self.require(Permission::CloseDossiers)?;
        }
        let clerk = new.clerk.clone().unwrap_or_else(|| self.user.name.clone());
        let may_see = self.may(Permission::ViewConfidential);
        let mut denied = None;
        let result = self.change(Permission::WriteDossiers, |tx, audit| {
            let category = match &new.category {
                Some(c) => cfg::category(tx, c)?,
                None => {
                    let code = store::get_meta(tx, cfg::DEFAULT_CATEGORY_KEY)?.unwrap_or_default();
                    cfg::category(tx, &code)?
                }
            };
            let custom = fields::apply(&cfg::fields_for(tx, category.id)?, &BTreeMap::new(), &new.fields)?;
            duplicate_guard(
                tx,
                identity.as_ref().map(|i| i.1.as_str()),
                &name_key,
                &phones,
                -1,
                force,
                (!may_see).then_some(&mut denied),
            )?;
            let dossier = next_dossier_no(tx, crate::core::today().year())?;
            let custom_json = serde_json::to_string(&custom).unwrap_or_else(|_| "{}".into());
            let id = db::insert(
                tx,
                &db::Row {
                    dossier: &dossier,
                    name: &name,
                    name_key: &name_key,
                    former_names: "[]",
                    id_kind: identity.as_ref().map(|i| i.0),
                    id_number: identity.as_ref().map(|i| i.1.as_str()),
                    address: &address,
                    category_id: category.id,
                    grade: new.grade.unwrap_or(Grade::General),
                    status,
                    confidential: new.confidential,
                    clerk_id: clerk_id(tx, &clerk)?,
                    notes: &notes,
                    custom: &custom_json,
                    created_at: audit.at,
                    updated_at: audit.at,
                    closed_at: None,
                },
            )?;
            db::insert_phones(tx, id, &phones)?;
            let (customer, _) = load(tx, &dossier)?;
            audit.log(
                tx,
                Change {
                    action: "create",
                    entity: "customer",
                    entity_id: &dossier,
                    dossier: Some(&dossier),
                    before: None,
                    after: to_json(&customer),
                },
            )?;
            Ok(customer)
        });
        self.audit_denied_duplicate(result, denied)
    }
}
