//! Who may do what. This table is the only place roles are interpreted: the CLI and the GUI
//! ask the core, and the core refuses — hiding a button is a courtesy, not the check.

use crate::model::error::Error;
use crate::model::{Role, User};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Find, list and open dossiers that are not confidential.
    ReadDossiers,
    /// Open confidential dossiers (each view is audited).
    ViewConfidential,
    /// Register customers, edit them, add documents.
    WriteDossiers,
    /// Close (销户) and reopen dossiers, mark them confidential.
    CloseDossiers,
    /// Add, disable and change users.
    ManageUsers,
    /// Categories, document types, checklists, custom fields, numbering.
    ManageConfig,
    /// Read the audit log and verify the library.
    ReadAudit,
    /// Rebuild derived data (the search index).
    Maintain,
    /// Locations, boxes and their moves, shelf inventories (库房管理).
    ManageStorage,
    /// The lending desk: borrowers, loans, returns, renewals, requests (借阅). A lender may
    /// also let a borrower with overdue loans borrow again, giving a reason (audited).
    Lend,
}

impl Permission {
    pub const ALL: [Permission; 10] = [
        Permission::ReadDossiers,
        Permission::ViewConfidential,
        Permission::WriteDossiers,
        Permission::CloseDossiers,
        Permission::ManageUsers,
        Permission::ManageConfig,
        Permission::ReadAudit,
        Permission::Maintain,
        Permission::ManageStorage,
        Permission::Lend,
    ];

    /// The message key of what the permission lets a user do ("… may not {action}").
    pub fn action(self) -> &'static str {
        match self {
            Permission::ReadDossiers => "permission-read-dossiers",
            Permission::ViewConfidential => "permission-view-confidential",
            Permission::WriteDossiers => "permission-write-dossiers",
            Permission::CloseDossiers => "permission-close-dossiers",
            Permission::ManageUsers => "permission-manage-users",
            Permission::ManageConfig => "permission-manage-config",
            Permission::ReadAudit => "permission-read-audit",
            Permission::Maintain => "permission-maintain",
            Permission::ManageStorage => "permission-manage-storage",
            Permission::Lend => "permission-lend",
        }
    }
}

/// The permission table.
pub fn allows(role: Role, permission: Permission) -> bool {
    use Permission::*;
    match role {
        Role::Admin => true,
        Role::Archivist => {
            matches!(
                permission,
                ReadDossiers
                    | ViewConfidential
                    | WriteDossiers
                    | CloseDossiers
                    | ReadAudit
                    | Maintain
                    | ManageStorage
                    | Lend
            )
        }
        Role::Clerk => matches!(permission, ReadDossiers | WriteDossiers),
        Role::Viewer => matches!(permission, ReadDossiers),
    }
}

/// `Ok` if the user holds the permission, else the error that names who, what and what to do.
pub fn check(user: &User, permission: Permission) -> Result<(), Error> {
    if allows(user.role, permission) {
        Ok(())
    } else {
        Err(Error::Denied { user: user.name.clone(), role: user.role.as_str(), action: permission.action() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viewer_reads_only() {
        assert!(allows(Role::Viewer, Permission::ReadDossiers));
        for p in [
            Permission::WriteDossiers,
            Permission::ViewConfidential,
            Permission::CloseDossiers,
            Permission::ManageUsers,
            Permission::ManageConfig,
            Permission::ReadAudit,
        ] {
            assert!(!allows(Role::Viewer, p), "{p:?}");
        }
    }

    #[test]
    fn only_admin_manages_users_and_config() {
        for role in [Role::Archivist, Role::Clerk, Role::Viewer] {
            assert!(!allows(role, Permission::ManageUsers));
            assert!(!allows(role, Permission::ManageConfig));
        }
        assert!(allows(Role::Admin, Permission::ManageUsers));
    }

    #[test]
    fn clerk_writes_but_cannot_close_or_see_confidential() {
        assert!(allows(Role::Clerk, Permission::WriteDossiers));
        assert!(!allows(Role::Clerk, Permission::CloseDossiers));
        assert!(!allows(Role::Clerk, Permission::ViewConfidential));
    }
}
