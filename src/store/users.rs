//! Users and their password hashes.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::model::error::Result;
use crate::model::{Role, User};

const COLUMNS: &str = "id, name, display_name, role, disabled, created_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<User> {
    let role: String = r.get(3)?;
    Ok(User {
        id: r.get(0)?,
        name: r.get(1)?,
        display_name: r.get(2)?,
        role: role.parse().unwrap_or(Role::Viewer),
        disabled: r.get(4)?,
        created_at: r.get(5)?,
    })
}

pub fn insert(
    tx: &Connection,
    name: &str,
    display_name: &str,
    role: Role,
    password_hash: &str,
    now: &str,
) -> Result<User> {
    tx.prepare_cached(
        "INSERT INTO users (name, display_name, role, password_hash, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
    )?
    .execute(params![name, display_name, role.as_str(), password_hash, now])?;
    Ok(User {
        id: tx.last_insert_rowid(),
        name: name.to_string(),
        display_name: display_name.to_string(),
        role,
        disabled: false,
        created_at: now.to_string(),
    })
}

/// The user and their password hash. Names match without regard to case (`Admin` is
/// `admin`): the schema keeps them unique that way.
pub fn by_name(conn: &Connection, name: &str) -> Result<Option<(User, String)>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS}, password_hash FROM users WHERE name = ?1 COLLATE NOCASE"),
            [name],
            |r| Ok((from_row(r)?, r.get(6)?)),
        )
        .optional()?)
}

pub fn list(conn: &Connection) -> Result<Vec<User>> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM users ORDER BY id"))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM users", [], |r| r.get(0))?)
}

pub fn active_admins(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0", [], |r| r.get(0))?)
}

pub fn set_disabled(tx: &Connection, id: i64, disabled: bool, now: &str) -> Result<()> {
    tx.execute("UPDATE users SET disabled = ?2, updated_at = ?3 WHERE id = ?1", params![id, disabled, now])?;
    Ok(())
}

pub fn set_password(tx: &Connection, id: i64, hash: &str, now: &str) -> Result<()> {
    tx.execute("UPDATE users SET password_hash = ?2, updated_at = ?3 WHERE id = ?1", params![id, hash, now])?;
    Ok(())
}

pub fn set_role(tx: &Connection, id: i64, role: Role, now: &str) -> Result<()> {
    tx.execute("UPDATE users SET role = ?2, updated_at = ?3 WHERE id = ?1", params![id, role.as_str(), now])?;
    Ok(())
}

/// Failed logins in a row, and the time (RFC 3339) until which the user is locked out.
pub fn login_state(conn: &Connection, id: i64) -> Result<(i64, Option<String>)> {
    Ok(conn.query_row("SELECT failed_logins, locked_until FROM users WHERE id = ?1", [id], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })?)
}

/// Counts one more failed login; returns how many there are now in a row.
pub fn add_failed_login(tx: &Connection, id: i64) -> Result<i64> {
    Ok(tx.query_row(
        "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ?1 RETURNING failed_logins",
        [id],
        |r| r.get(0),
    )?)
}

/// Locks the user out until `until` (or lifts the lock with `None`) and starts the count of
/// failed logins again.
pub fn set_locked_until(tx: &Connection, id: i64, until: Option<&str>) -> Result<()> {
    tx.execute("UPDATE users SET locked_until = ?2, failed_logins = 0 WHERE id = ?1", params![id, until])?;
    Ok(())
}

/// Names of the users locked out at `now` (RFC 3339), with the end of each lock.
pub fn locked(conn: &Connection, now: &str) -> Result<Vec<(String, String)>> {
    let mut stmt =
        conn.prepare("SELECT name, locked_until FROM users WHERE locked_until > ?1 ORDER BY id")?;
    let rows = stmt.query_map([now], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
