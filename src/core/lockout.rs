//! Failed logins: each one in a row makes the next answer slower, and after
//! [`LoginPolicy::max_failures`] the account is locked for [`LoginPolicy::lock_minutes`]
//! (never for ever, so the only administrator cannot be locked out of the library for good).
//! An administrator may lift a lock early (`dangan user unlock NAME`). Every lock and unlock
//! is an audit row (`session/lock`, `session/unlock`) beside the logins.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::core::session::{Change, Session, to_json};
use crate::model::User;
use crate::model::error::{Error, Result};
use crate::model::permission::Permission;
use crate::store;

const MAX_FAILURES_KEY: &str = "login.max_failures";
const LOCK_MINUTES_KEY: &str = "login.lock_minutes";

/// How many failed logins in a row lock an account, and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginPolicy {
    pub max_failures: u32,
    pub lock_minutes: u32,
}

impl Default for LoginPolicy {
    fn default() -> Self {
        LoginPolicy { max_failures: 5, lock_minutes: 15 }
    }
}

impl LoginPolicy {
    pub const MAX_FAILURES: std::ops::RangeInclusive<u32> = 3..=20;
    pub const LOCK_MINUTES: std::ops::RangeInclusive<u32> = 1..=24 * 60;

    /// The policy stored in the library, the defaults for what is missing or out of range.
    pub fn load(conn: &rusqlite::Connection) -> Result<LoginPolicy> {
        let d = LoginPolicy::default();
        let read = |key: &str, range: std::ops::RangeInclusive<u32>, default: u32| -> Result<u32> {
            Ok(store::get_meta(conn, key)?
                .and_then(|v| v.trim().parse::<u32>().ok())
                .filter(|v| range.contains(v))
                .unwrap_or(default))
        };
        Ok(LoginPolicy {
            max_failures: read(MAX_FAILURES_KEY, Self::MAX_FAILURES, d.max_failures)?,
            lock_minutes: read(LOCK_MINUTES_KEY, Self::LOCK_MINUTES, d.lock_minutes)?,
        })
    }

    fn check(&self) -> Result<()> {
        if !Self::MAX_FAILURES.contains(&self.max_failures)
            || !Self::LOCK_MINUTES.contains(&self.lock_minutes)
        {
            return Err(Error::usage("lockout-range")
                .arg("min_failures", Self::MAX_FAILURES.start())
                .arg("max_failures", Self::MAX_FAILURES.end())
                .arg("min_minutes", Self::LOCK_MINUTES.start())
                .arg("max_minutes", Self::LOCK_MINUTES.end()));
        }
        Ok(())
    }
}

/// How long to wait before answering the `failures`-th failed login in a row: nothing for
/// the first two typing mistakes, then 1, 2, 4, 8 seconds (at most).
pub fn delay_after(failures: i64) -> Duration {
    match failures {
        ..=2 => Duration::ZERO,
        n => Duration::from_secs(1u64 << (n - 3).min(3)),
    }
}

/// The time a lock that starts now ends, as stored (RFC 3339 UTC, like `core::now`).
pub(crate) fn lock_end(policy: &LoginPolicy) -> String {
    (chrono::Utc::now() + chrono::Duration::minutes(i64::from(policy.lock_minutes)))
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

/// A stored time as the clerk's clock shows it.
pub(crate) fn local_time(at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| t.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|_| at.to_string())
}

impl Session {
    /// The login policy (anyone who manages users may read it).
    pub fn login_policy(&self) -> Result<LoginPolicy> {
        self.require(Permission::ManageUsers)?;
        LoginPolicy::load(self.lib.db.conn())
    }

    /// Changes the login policy (audited).
    pub fn set_login_policy(&mut self, policy: LoginPolicy) -> Result<LoginPolicy> {
        self.require(Permission::ManageUsers)?;
        policy.check()?;
        self.change(Permission::ManageUsers, |tx, audit| {
            let before = LoginPolicy::load(tx)?;
            store::set_meta(tx, MAX_FAILURES_KEY, &policy.max_failures.to_string())?;
            store::set_meta(tx, LOCK_MINUTES_KEY, &policy.lock_minutes.to_string())?;
            audit.log(
                tx,
                Change {
                    action: "update",
                    entity: "login_policy",
                    entity_id: "login_policy",
                    dossier: None,
                    before: to_json(&before),
                    after: to_json(&policy),
                },
            )?;
            Ok(policy)
        })
    }

    /// The users locked out now, with the time (RFC 3339) each lock ends. Admins only.
    pub fn locked_users(&self) -> Result<Vec<(String, String)>> {
        self.require(Permission::ManageUsers)?;
        store::users::locked(self.lib.db.conn(), &crate::core::now())
    }

    /// Lifts a lock (and forgets the failed logins counted so far). Admins only; audited.
    pub fn unlock_user(&mut self, name: &str) -> Result<User> {
        self.change(Permission::ManageUsers, |tx, audit| {
            let user = store::users::by_name(tx, name)?
                .map(|(u, _)| u)
                .ok_or_else(|| Error::missing("user-not-found").arg("name", name))?;
            let (failures, until) = store::users::login_state(tx, user.id)?;
            let locked = until.as_deref().filter(|u| *u > audit.at);
            if locked.is_none() && failures == 0 {
                return Err(Error::conflict("user-not-locked").arg("name", user.name));
            }
            store::users::set_locked_until(tx, user.id, None)?;
            audit.log(
                tx,
                Change {
                    action: "unlock",
                    entity: "session",
                    entity_id: &user.name,
                    dossier: None,
                    before: Some(
                        serde_json::json!({ "locked_until": locked, "failed_logins": failures }).to_string(),
                    ),
                    after: Some(serde_json::json!({ "locked_until": null, "failed_logins": 0 }).to_string()),
                },
            )?;
            Ok(user)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_slow_down_after_two_failures_and_stay_bounded() {
        assert_eq!(delay_after(1), Duration::ZERO);
        assert_eq!(delay_after(2), Duration::ZERO);
        assert_eq!(delay_after(3), Duration::from_secs(1));
        assert_eq!(delay_after(4), Duration::from_secs(2));
        assert_eq!(delay_after(50), Duration::from_secs(8));
    }
}
