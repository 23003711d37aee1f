//! People: adding, disabling and changing users. Only admins manage users; everyone may change
//! their own password.

use crate::core::password;
use crate::core::session::{Change, Session, to_json};
use crate::model::error::{Error, Result};
use crate::model::permission::Permission;
use crate::model::{Role, User};
use crate::store;

/// Login names: 1–32 letters, digits, `.`, `_`, `-` or Chinese characters. Stored as typed,
/// but unique and matched without regard to case: `Admin` logs in as `admin`.
pub fn check_user_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.chars().count() <= 32
        && name.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(c, '.' | '_' | '-')
                || ('\u{4e00}'..='\u{9fff}').contains(&c)
        });
    if ok { Ok(()) } else { Err(Error::usage("user-name-bad").arg("name", name)) }
}

/// A user as a dossier's responsible clerk: who, not what they may do.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Clerk {
    pub name: String,
    pub display_name: String,
}

impl Session {
    /// Everyone who may log in: for those who manage users only.
    pub fn users(&mut self) -> Result<Vec<User>> {
        self.require(Permission::ManageUsers)?;
        store::users::list(self.lib.db.conn())
    }

    /// Who may be named as a dossier's responsible clerk (经办人): the active users' names and
    /// full names, for anyone who may register or edit dossiers. Roles, lock state and the rest
    /// of the user list stay with those who manage users.
    pub fn clerks(&mut self) -> Result<Vec<Clerk>> {
        self.require(Permission::WriteDossiers)?;
        Ok(store::users::list(self.lib.db.conn())?
            .into_iter()
            .filter(|u| !u.disabled)
            .map(|u| Clerk { name: u.name, display_name: u.display_name })
            .collect())
    }

    fn find_user(tx: &rusqlite::Connection, name: &str) -> Result<User> {
        store::users::by_name(tx, name)?
            .map(|(u, _)| u)
            .ok_or_else(|| Error::missing("user-not-found").arg("name", name))
    }

    pub fn add_user(
        &mut self,
        name: &str,
        display_name: &str,
        role: Role,
        new_password: &str,
    ) -> Result<User> {
        self.require(Permission::ManageUsers)?;
        check_user_name(name)?;
        password::check_strength(new_password, name)?;
        let hash = password::hash(new_password)?;
        let display = crate::model::ids::normalize_name(&crate::model::text::clean_line(
            "label-full-name",
            display_name,
        )?);
        let display = if display.is_empty() { name.to_string() } else { display };
        self.change(Permission::ManageUsers, |tx, audit| {
            if let Some((existing, _)) = store::users::by_name(tx, name)? {
                return Err(Error::conflict("user-exists").arg("name", existing.name));
            }
            let user = store::users::insert(tx, name, &display, role, &hash, audit.at)?;
            audit.log(
                tx,
                Change {
                    action: "create",
                    entity: "user",
                    entity_id: name,
                    dossier: None,
                    before: None,
                    after: to_json(&user),
                },
            )?;
            Ok(user)
        })
    }

    /// Disables or re-enables a user. The last active admin cannot be disabled.
    pub fn set_user_disabled(&mut self, name: &str, disabled: bool) -> Result<User> {
        self.change(Permission::ManageUsers, |tx, audit| {
            let before = Self::find_user(tx, name)?;
            if before.disabled == disabled {
                return Err(Error::conflict(if disabled {
                    "user-already-disabled"
                } else {
                    "user-already-enabled"
                })
                .arg("name", name));
            }
            if disabled && before.role == Role::Admin && store::users::active_admins(tx)? <= 1 {
                return Err(Error::conflict("user-last-admin-disable").arg("name", name));
            }
            store::users::set_disabled(tx, before.id, disabled, audit.at)?;
            let after = User { disabled, ..before.clone() };
            audit.log(
                tx,
                Change {
                    action: if disabled { "disable" } else { "enable" },
                    entity: "user",
                    entity_id: name,
                    dossier: None,
                    before: to_json(&before),
                    after: to_json(&after),
                },
            )?;
            Ok(after)
        })
    }

    pub fn set_user_role(&mut self, name: &str, role: Role) -> Result<User> {
        self.change(Permission::ManageUsers, |tx, audit| {
            let before = Self::find_user(tx, name)?;
            if before.role == Role::Admin
                && role != Role::Admin
                && !before.disabled
                && store::users::active_admins(tx)? <= 1
            {
                return Err(Error::conflict("user-last-admin-role").arg("name", name));
            }
            store::users::set_role(tx, before.id, role, audit.at)?;
            let after = User { role, ..before.clone() };
            audit.log(
                tx,
                Change {
                    action: "update",
                    entity: "user",
                    entity_id: name,
                    dossier: None,
                    before: to_json(&before),
                    after: to_json(&after),
                },
            )?;
            Ok(after)
        })
    }

    /// Sets a password: admins for anyone, everyone for themselves. The hash is not audited.
    /// The permission is checked first, then the policy, and only then the (slow) hash.
    pub fn set_password(&mut self, name: &str, new_password: &str) -> Result<()> {
        let own = name.trim().eq_ignore_ascii_case(&self.user.name);
        let permission = if own { Permission::ReadDossiers } else { Permission::ManageUsers };
        self.require(permission)?;
        self.require_write_access()?;
        let target = self.lib.db.read(|tx| Self::find_user(tx, name))?;
        password::check_strength(new_password, &target.name)?;
        let hash = password::hash(new_password)?;
        self.change(permission, |tx, audit| {
            let user = Self::find_user(tx, name)?;
            store::users::set_password(tx, user.id, &hash, audit.at)?;
            audit.log(
                tx,
                Change {
                    action: "password",
                    entity: "user",
                    entity_id: name,
                    dossier: None,
                    before: None,
                    after: None,
                },
            )
        })
    }
}
