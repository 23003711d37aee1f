//! Dates as clerks write them.

use crate::model::error::{Error, Result};
use crate::model::ids;

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
    parsed.map_err(|_| Error::usage("date-bad").arg("what", what).arg("value", input))
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
