//! The services: each checks the user's role, runs one write transaction through `crate::store`
//! and writes the audit log in it; owns the search index's protocol (change log, bookmark).
//! Built on `crate::model` (types, errors, rules); knows nothing of the GUI or the CLI.

pub mod backup;
pub mod config;
pub mod customers;
pub mod environment;
pub mod files;
pub mod index;
pub mod labels;
pub mod library;
pub mod loans;
pub mod lockout;
pub mod password;
pub mod reports;
pub mod scans;
pub mod searcher;
pub mod session;
pub mod storage;
pub mod templates;
pub mod transfer;
pub mod users;
pub mod verify;

pub use crate::model::{Error, ErrorKind, Result};
pub use library::{Access, Library};
pub use session::Session;

/// The current time as stored: RFC 3339, UTC, milliseconds.
pub fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// The local date (`YYYY-MM-DD`) of a stored timestamp; the text itself if it is not one.
pub fn local_date(at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| t.with_timezone(&chrono::Local).format("%Y-%m-%d").to_string())
        .unwrap_or_else(|_| at.chars().take(10).collect())
}

/// Today's date in the local time zone (dates on papers and deadlines are local).
pub fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}
