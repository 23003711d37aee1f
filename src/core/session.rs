//! A logged-in user on an open library: the entry point of every service. Each service method
//! checks the user's permission, runs one write transaction, and appends the audit row(s) in
//! that same transaction.

use serde::Serialize;

use crate::core::library::{Access, Library};
use crate::core::password;
use crate::model::User;
use crate::model::error::{Error, Message, Result};
use crate::model::permission::{self, Permission};
use crate::store::{self, audit::NewEntry};

pub struct Session {
    pub(crate) lib: Library,
    pub(crate) user: User,
    /// Confidential dossiers this user's searchers showed and the audit log does not yet say
    /// so (see `core::searcher`).
    pub(crate) shown: crate::core::searcher::ShownLog,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session").field("lib", &self.lib).field("user", &self.user.name).finish()
    }
}

/// Serialises a value for the audit log's before/after columns.
pub(crate) fn to_json<T: Serialize>(v: &T) -> Option<String> {
    serde_json::to_string(v).ok()
}

/// What one audit row says, apart from who and when.
pub(crate) struct Change<'a> {
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub dossier: Option<&'a str>,
    pub before: Option<String>,
    pub after: Option<String>,
}

pub(crate) fn record(tx: &rusqlite::Connection, user: &str, at: &str, c: Change<'_>) -> Result<()> {
    store::audit::append(
        tx,
        &NewEntry {
            at,
            user,
            action: c.action,
            entity: c.entity,
            entity_id: c.entity_id,
            dossier: c.dossier,
            before: c.before,
            after: c.after,
        },
    )?;
    Ok(())
}

impl Library {
    /// Logs a user in. Every attempt, successful or not, is written to the audit log
    /// (登录日志), with the program (`cli`, `gui`) that asked.
    pub fn login(mut self, name: &str, password: &str, program: &str) -> Result<Session> {
        let found = store::users::by_name(self.db.conn(), name)?;
        let policy = crate::core::lockout::LoginPolicy::load(self.db.conn())?;
        let now = crate::core::now();
        let state = match &found {
            Some((u, _)) => Some(store::users::login_state(self.db.conn(), u.id)?),
            None => None,
        };
        let locked_until =
            state.as_ref().and_then(|(_, until)| until.clone()).filter(|until| until.as_str() > now.as_str());
        // A disabled or locked user is told so whatever the password: it is not checked (the
        // dummy verification takes the time a real one would), so the answer never confirms it.
        let outcome: std::result::Result<(), Message> = match &found {
            None => {
                password::dummy_verify(password);
                Err(Message::new("login-wrong"))
            }
            Some((user, _)) if user.disabled => {
                password::dummy_verify(password);
                Err(Message::new("login-disabled"))
            }
            Some((user, _)) if locked_until.is_some() => {
                password::dummy_verify(password);
                Err(locked_message(&user.name, &policy, locked_until.as_deref().unwrap_or_default()))
            }
            Some((_, hash)) if !password::verify(password, hash) => Err(Message::new("login-wrong")),
            Some(_) => Ok(()),
        };
        let who = found.as_ref().map_or(name, |(u, _)| u.name.as_str()).to_string();
        let detail = serde_json::json!({ "program": program, "ok": outcome.is_ok(),
                                         "reason": outcome.as_ref().err().map(|m| m.key) });
        let wrong_password = outcome.is_err()
            && found.is_some()
            && locked_until.is_none()
            && !found.as_ref().is_some_and(|(u, _)| u.disabled);
        // How many failures in a row now, and the end of the lock this attempt started.
        let (failures, new_lock) = self.write(|tx| {
            record(
                tx,
                &who,
                &now,
                Change {
                    action: if outcome.is_ok() { "login" } else { "login_failed" },
                    entity: "session",
                    entity_id: &who,
                    dossier: None,
                    before: None,
                    after: Some(detail.to_string()),
                },
            )?;
            let Some((user, _)) = &found else { return Ok((0, None)) };
            if wrong_password {
                let failures = store::users::add_failed_login(tx, user.id)?;
                if failures >= i64::from(policy.max_failures) {
                    let until = crate::core::lockout::lock_end(&policy);
                    store::users::set_locked_until(tx, user.id, Some(&until))?;
                    record(
                        tx,
                        &who,
                        &now,
                        Change {
                            action: "lock",
                            entity: "session",
                            entity_id: &who,
                            dossier: None,
                            before: None,
                            after: Some(
                                serde_json::json!({ "locked_until": until, "failed_logins": failures })
                                    .to_string(),
                            ),
                        },
                    )?;
                    return Ok((failures, Some(until)));
                }
                Ok((failures, None))
            } else {
                if outcome.is_ok() && state.as_ref().is_some_and(|(n, until)| *n > 0 || until.is_some()) {
                    store::users::set_locked_until(tx, user.id, None)?;
                }
                Ok((0, None))
            }
        })?;
        match (outcome, found) {
            (Ok(()), Some((user, _))) => {
                tracing::info!(user = %user.name, program, "login");
                Ok(Session { lib: self, user, shown: Default::default() })
            }
            (outcome, _) => {
                tracing::warn!(user = name, program, failures, "login failed");
                if let Some(until) = new_lock {
                    return Err(Error::Login(locked_message(&who, &policy, &until)));
                }
                std::thread::sleep(crate::core::lockout::delay_after(failures));
                Err(Error::Login(outcome.err().unwrap_or_else(|| Message::new("login-wrong"))))
            }
        }
    }
}

fn locked_message(name: &str, policy: &crate::core::lockout::LoginPolicy, until: &str) -> Message {
    Message::new("login-locked")
        .arg("failures", policy.max_failures)
        .arg("until", crate::core::lockout::local_time(until))
        .arg("name", name)
}

impl Session {
    pub fn user(&self) -> &User {
        &self.user
    }

    pub fn library(&self) -> &Library {
        &self.lib
    }

    /// `Ok` if the user holds the permission; lets a caller refuse before asking for more input.
    pub fn require(&self, p: Permission) -> Result<()> {
        permission::check(&self.user, p)
    }

    pub fn may(&self, p: Permission) -> bool {
        permission::allows(self.user.role, p)
    }

    /// Refuses a write on a library opened for reading only.
    pub(crate) fn require_write_access(&self) -> Result<()> {
        if self.lib.access() == Access::Write { Ok(()) } else { Err(Error::conflict("session-read-only")) }
    }

    /// Checks the permission and write access, then runs `f` in one write transaction with an
    /// audit writer bound to this user and one timestamp.
    pub(crate) fn change<T>(
        &mut self,
        p: Permission,
        f: impl FnOnce(&rusqlite::Transaction<'_>, &Auditor<'_>) -> Result<T>,
    ) -> Result<T> {
        self.require(p)?;
        self.require_write_access()?;
        let at = crate::core::now();
        let auditor = Auditor { user: &self.user.name, at: &at, user_id: self.user.id };
        self.lib.write(|tx| {
            let out = f(tx, &auditor)?;
            crate::core::index::fault("change-before-commit");
            Ok(out)
        })
    }
}

/// Writes audit rows for one user action.
pub(crate) struct Auditor<'a> {
    pub user: &'a str,
    pub user_id: i64,
    pub at: &'a str,
}

impl Auditor<'_> {
    pub fn log(&self, tx: &rusqlite::Connection, c: Change<'_>) -> Result<()> {
        record(tx, self.user, self.at, c)
    }
}

/// What to read from the audit log.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    /// A date (YYYY-MM-DD) or timestamp; rows at or after it.
    pub since: Option<String>,
    pub dossier: Option<String>,
    pub user: Option<String>,
    /// Only logins and failed logins (登录日志).
    pub logins: bool,
    pub limit: usize,
}

impl Session {
    /// The audit log, newest first. The whole log needs the audit permission; one dossier's
    /// history is open to whoever may open that dossier.
    pub fn audit_log(&mut self, q: &AuditQuery) -> Result<Vec<crate::model::AuditEntry>> {
        match &q.dossier {
            Some(d) if !self.may(Permission::ReadAudit) => {
                // The dossier's own history: same rules as opening it.
                self.dossier(d)?;
            }
            _ => self.require(Permission::ReadAudit)?,
        }
        let since = match q.since.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) if s.len() > 10 => Some(s.to_string()),
            Some(s) => Some(crate::model::dates::parse_date_unbounded(s, "label-since")?.to_string()),
            None => None,
        };
        store::audit::query(
            self.lib.db.conn(),
            &store::audit::Filter {
                since,
                dossier: q.dossier.clone(),
                user: q.user.clone(),
                entity: q.logins.then(|| "session".to_string()),
                limit: if q.limit == 0 { 100 } else { q.limit },
            },
        )
    }
}
