//! The domain: model types and the services that check roles and write the audit log. Knows
//! nothing of the GUI or the CLI; only reaches SQLite through `crate::store`.

pub mod audit;
pub mod config;
pub mod customers;
pub mod demo;
pub mod environment;
pub mod error;
pub mod fields;
pub mod ids;
pub mod index;
pub mod library;
pub mod model;
pub mod password;
pub mod permission;
pub mod session;
pub mod templates;
pub mod users;
pub mod verify;

pub use error::{Error, ErrorKind, Result};
pub use library::{Access, Library};
pub use session::Session;

/// The current time as stored: RFC 3339, UTC, milliseconds.
pub fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// Today's date in the local time zone (dates on papers and deadlines are local).
pub fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// Parses a date as clerks write it: 2026-11-22, 2026/11/22, 2026.11.22, 20261122 or
/// 2026年11月22日.
pub fn parse_date(input: &str, what: &str) -> Result<chrono::NaiveDate> {
    let s = ids::to_halfwidth(input.trim());
    let s = s.replace(['年', '月'], "-").replace('日', "");
    let s = s.replace(['/', '.'], "-");
    let parsed = if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        chrono::NaiveDate::parse_from_str(&s, "%Y%m%d")
    } else {
        chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d")
    };
    parsed.map_err(|_| {
        Error::invalid(format!(
            "{what} {input:?} is not a date: write it as YYYY-MM-DD, for example 2026-11-22"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_the_forms_clerks_write() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
        for s in ["2026-11-02", "2026/11/2", "2026.11.02", "20261102", "2026年11月2日", "２０２６-１１-０２"]
        {
            assert_eq!(parse_date(s, "date").unwrap(), d, "{s}");
        }
        assert!(parse_date("2026-02-30", "date").is_err());
        assert!(parse_date("yesterday", "date").is_err());
    }
}
