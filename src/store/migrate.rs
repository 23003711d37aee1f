//! Numbered SQL migrations embedded in the binary, applied in order in one transaction each.
//! The schema version is SQLite's `user_version`. A library with a version newer than the
//! last migration here was written by a newer Dangan and is refused.

use std::path::Path;

use rusqlite::Connection;

use crate::model::error::{Error, Result};

/// `(version, file name, SQL)`; the file names are checked against `migrations/` by a test.
pub const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "0001_foundation.sql", include_str!("../../migrations/0001_foundation.sql")),
    (2, "0002_search_outbox.sql", include_str!("../../migrations/0002_search_outbox.sql")),
    (3, "0003_change_log.sql", include_str!("../../migrations/0003_change_log.sql")),
    (4, "0004_people.sql", include_str!("../../migrations/0004_people.sql")),
    (5, "0005_storage.sql", include_str!("../../migrations/0005_storage.sql")),
    (6, "0006_loans.sql", include_str!("../../migrations/0006_loans.sql")),
    (7, "0007_scans.sql", include_str!("../../migrations/0007_scans.sql")),
    (8, "0008_imports.sql", include_str!("../../migrations/0008_imports.sql")),
];

pub fn latest() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.0)
}

pub fn current_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// What a database file holds, found without writing to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Probe {
    /// No tables at all: a new file, or an `init` that stopped before its first migration.
    Empty,
    /// Tables, but not a Dangan library's (another program's SQLite file).
    Foreign,
    /// A Dangan library at this schema version.
    Library(i64),
}

/// Looks at the database at `path` read-only (no journal mode switched, no table created):
/// what a program must know before it writes anything into a file it was pointed at.
pub fn probe(path: &Path) -> Result<Probe> {
    let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| super::classify(path, e))?;
    let look = || -> rusqlite::Result<(i64, i64, bool)> {
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let objects: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
        let ours: bool = conn.query_row(
            "SELECT count(*) = 3 FROM sqlite_schema WHERE type = 'table' AND name IN ('meta', 'customers', 'audit_log')",
            [],
            |r| r.get(0),
        )?;
        Ok((version, objects, ours))
    };
    let (version, objects, ours) = look().map_err(|e| super::classify(path, e))?;
    Ok(match (objects, ours) {
        (0, _) if version == 0 => Probe::Empty,
        (_, true) => Probe::Library(version),
        _ => Probe::Foreign,
    })
}

/// SQLite's own words for a failed migration, without the migration's SQL (which rusqlite's
/// text of a statement error includes).
fn sqlite_words(e: &rusqlite::Error) -> String {
    match e {
        rusqlite::Error::SqliteFailure(_, Some(m)) => m.clone(),
        rusqlite::Error::SqlInputError { msg, .. } => msg.clone(),
        rusqlite::Error::SqliteFailure(f, None) => f.to_string(),
        other => other.to_string().lines().next().unwrap_or_default().chars().take(200).collect(),
    }
}

/// Are there migrations to apply? Errors if the library is newer than this program.
pub fn pending(conn: &Connection, path: &Path) -> Result<bool> {
    let v = current_version(conn)?;
    if v > latest() {
        return Err(Error::NewerLibrary { path: path.to_path_buf(), found: v, supported: latest() });
    }
    // A version below the one that made `writer_head` on a library that has it: the version
    // was changed by hand or by another tool; migrating would fail half-way.
    if (1..3).contains(&v) {
        let has_head: bool = conn.query_row(
            "SELECT count(*) > 0 FROM sqlite_schema WHERE type = 'table' AND name = 'writer_head'",
            [],
            |r| r.get(0),
        )?;
        if has_head {
            return Err(Error::conflict("library-schema-odd").arg("path", path.display()).arg("found", v));
        }
    }
    Ok(v < latest())
}

/// Applies every migration newer than the database, each in its own transaction together with
/// the version bump, so a crash leaves the schema at a whole version.
pub fn apply(conn: &mut Connection, path: &Path) -> Result<()> {
    pending(conn, path)?;
    let from = current_version(conn)?;
    for (version, name, sql) in MIGRATIONS.iter().filter(|m| m.0 > from) {
        tracing::info!(version, name, "applying migration");
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Exclusive)?;
        // Another process may have migrated meanwhile.
        if current_version(&tx)? >= *version {
            continue;
        }
        tx.execute_batch(sql).map_err(|e| {
            Error::conflict("migration-failed").arg("name", name).arg("detail", sqlite_words(&e))
        })?;
        if *version == 4 {
            crate::store::customers::rekey_names(&tx)?;
        }
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_migration_file_is_embedded_in_order() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".sql"))
            .collect();
        files.sort();
        let embedded: Vec<&str> = MIGRATIONS.iter().map(|m| m.1).collect();
        assert_eq!(files, embedded);
        // Versions follow each other without a gap.
        for w in MIGRATIONS.windows(2) {
            assert_eq!(w[1].0, w[0].0 + 1, "{} after {}", w[1].1, w[0].1);
        }
        for m in MIGRATIONS {
            assert!(m.1.starts_with(&format!("{:04}_", m.0)));
        }
    }

    #[test]
    fn migrations_apply_to_an_empty_database() {
        let mut conn = Connection::open_in_memory().unwrap();
        apply(&mut conn, Path::new(":memory:")).unwrap();
        assert_eq!(current_version(&conn).unwrap(), latest());
        apply(&mut conn, Path::new(":memory:")).unwrap();
    }

    #[test]
    fn schema_4_rekeys_traditional_names_and_makes_user_names_one_whatever_the_case() {
        let mut conn = Connection::open_in_memory().unwrap();
        for (_, _, sql) in MIGRATIONS.iter().filter(|m| m.0 <= 2) {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 2).unwrap();
        conn.execute("INSERT INTO categories (id, code, name) VALUES (1, 'C', '客户')", []).unwrap();
        conn.execute(
            "INSERT INTO customers (dossier_no, name, name_key, category_id, grade, status, created_at, updated_at)
             VALUES ('KH-1', '歐陽娜娜', '歐陽娜娜', 1, 'general', 'active', 'x', 'x')",
            [],
        )
        .unwrap();
        apply(&mut conn, Path::new(":memory:")).unwrap();
        let key: String = conn.query_row("SELECT name_key FROM customers", [], |r| r.get(0)).unwrap();
        assert_eq!(key, "欧阳娜娜");
        let insert = "INSERT INTO users (name, display_name, role, password_hash, created_at, updated_at)
                      VALUES (?1, ?1, 'admin', 'h', 'x', 'x')";
        conn.execute(insert, ["admin"]).unwrap();
        assert!(conn.execute(insert, ["Admin"]).is_err());
    }

    #[test]
    fn a_newer_library_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", latest() + 1).unwrap();
        let err = apply(&mut conn, Path::new("x")).unwrap_err();
        assert!(matches!(err, Error::NewerLibrary { .. }), "{err}");
    }
}
