//! Registering a new customer: its dossier number and the duplicate guard (防止重复录入).

use super::clean::*;
use super::*;

/// Refuses a likely duplicate: the same ID number always; the same name and phone unless forced.
///
/// A confidential dossier is named only to a user who may see it (`conceal` is `None`): for
/// anyone else (`Some(slot)`) it is "a dossier you may not see" (no number, no name), and the
/// slot gets the dossier's number so the caller can audit the refusal (`view_denied`) once the
/// action's own transaction is rolled back.
pub(crate) fn duplicate_guard(
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

/// A new customer's input after the input rules (what `customer add` and an import check
/// before they touch the database).
#[derive(Debug, Clone)]
pub(crate) struct Cleaned {
    pub name: String,
    pub name_key: String,
    pub identity: Option<(IdKind, String)>,
    pub phones: Vec<String>,
    pub address: String,
    pub notes: String,
    pub status: Status,
}

/// Applies the input rules to a new customer; the first rule broken is the error, with the
/// field it is about (a message key of the field's label).
pub(crate) fn clean_new(new: &NewCustomer) -> std::result::Result<Cleaned, (&'static str, Error)> {
    let name = clean_name(&new.name).map_err(|e| ("label-name", e))?;
    let name_key = ids::name_key(&name);
    let identity = match new.id_number.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(n) => Some(clean_identity(new.id_kind, n).map_err(|e| ("label-id-number", e))?),
        None => None,
    };
    let phones = clean_phones(&new.phones).map_err(|e| ("label-phone", e))?;
    let address = clean_text("label-address", &new.address, MAX_ADDRESS).map_err(|e| ("label-address", e))?;
    let notes = clean_text("label-notes", &new.notes, MAX_NOTES).map_err(|e| ("label-notes", e))?;
    let status = new.status.unwrap_or(Status::Active);
    if status == Status::Closed {
        return Err(("label-status", Error::usage("register-closed")));
    }
    Ok(Cleaned { name, name_key, identity, phones, address, notes, status })
}

/// The category a new customer goes into: the one named, else the library's default.
pub(crate) fn category_of(tx: &rusqlite::Connection, new: &NewCustomer) -> Result<crate::model::Category> {
    match &new.category {
        Some(c) => cfg::category(tx, c),
        None => {
            let code = store::get_meta(tx, cfg::DEFAULT_CATEGORY_KEY)?.unwrap_or_default();
            cfg::category(tx, &code)
        }
    }
}

/// The custom fields' values after their rules.
pub(crate) fn custom_of(
    tx: &rusqlite::Connection,
    category_id: i64,
    new: &NewCustomer,
) -> Result<BTreeMap<String, serde_json::Value>> {
    fields::apply(&cfg::fields_for(tx, category_id)?, &BTreeMap::new(), &new.fields)
}

/// Registers a cleaned new customer inside the caller's transaction, with its audit row.
pub(crate) fn insert_new(
    tx: &rusqlite::Connection,
    audit: &crate::core::session::Auditor<'_>,
    c: &Cleaned,
    new: &NewCustomer,
    clerk: &str,
    force: bool,
    denied: Option<&mut Option<String>>,
) -> Result<Customer> {
    let category = category_of(tx, new)?;
    let custom = custom_of(tx, category.id, new)?;
    insert_prepared(tx, audit, c, new, category.id, &custom, clerk, force, denied)
}

/// [`insert_new`] with the category and the custom fields already worked out (an import
/// checks every row first and keeps them).
#[allow(clippy::too_many_arguments)]
pub(crate) fn insert_prepared(
    tx: &rusqlite::Connection,
    audit: &crate::core::session::Auditor<'_>,
    c: &Cleaned,
    new: &NewCustomer,
    category_id: i64,
    custom: &BTreeMap<String, serde_json::Value>,
    clerk: &str,
    force: bool,
    denied: Option<&mut Option<String>>,
) -> Result<Customer> {
    duplicate_guard(
        tx,
        c.identity.as_ref().map(|i| i.1.as_str()),
        &c.name_key,
        &c.phones,
        -1,
        force,
        denied,
    )?;
    let dossier = next_dossier_no(tx, crate::core::today().year())?;
    let custom_json = serde_json::to_string(custom).unwrap_or_else(|_| "{}".into());
    let id = db::insert(
        tx,
        &db::Row {
            dossier: &dossier,
            name: &c.name,
            name_key: &c.name_key,
            former_names: "[]",
            id_kind: c.identity.as_ref().map(|i| i.0),
            id_number: c.identity.as_ref().map(|i| i.1.as_str()),
            address: &c.address,
            category_id,
            grade: new.grade.unwrap_or(Grade::General),
            status: c.status,
            confidential: new.confidential,
            clerk_id: clerk_id(tx, clerk)?,
            notes: &c.notes,
            custom: &custom_json,
            created_at: audit.at,
            updated_at: audit.at,
            closed_at: (c.status == Status::Closed).then_some(audit.at),
        },
    )?;
    db::insert_phones(tx, id, &c.phones)?;
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
}

impl Session {
    pub fn add_customer(&mut self, new: NewCustomer, force: bool) -> Result<Customer> {
        let cleaned = clean_new(&new).map_err(|(_, e)| e)?;
        if new.confidential {
            self.require(Permission::CloseDossiers)?;
        }
        let clerk = new.clerk.clone().unwrap_or_else(|| self.user.name.clone());
        let may_see = self.may(Permission::ViewConfidential);
        let mut denied = None;
        let result = self.change(Permission::WriteDossiers, |tx, audit| {
            insert_new(tx, audit, &cleaned, &new, &clerk, force, (!may_see).then_some(&mut denied))
        });
        self.audit_denied_duplicate(result, denied)
    }
}
