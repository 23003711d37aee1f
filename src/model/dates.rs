//! Dates as clerks write them.

use chrono::Datelike;

use crate::model::error::{Error, Result};
use crate::model::ids;

/// The earliest year a date on a paper may have.
pub const MIN_YEAR: i32 = 1900;
/// How many years after today a date (an expiry) may lie.
pub const MAX_YEARS_AHEAD: i32 = 100;

/// Parses a date as clerks write it: 2026-11-22, 2026/11/22, 2026.11.22, 20261122 or
/// 2026年11月22日 (full-width digits too). The year has four digits (`26-01-01` is not the
/// year 26) and lies between [`MIN_YEAR`] and [`MAX_YEARS_AHEAD`] years from now.
pub fn parse_date(input: &str, what: &str) -> Result<chrono::NaiveDate> {
    let date = parse_date_unbounded(input, what)?;
    let max_year = chrono::Local::now().year() + MAX_YEARS_AHEAD;
    if !(MIN_YEAR..=max_year).contains(&date.year()) {
        return Err(Error::usage("date-out-of-range")
            .arg("what", what)
            .arg("value", input)
            .arg("year", date.year())
            .arg("min", MIN_YEAR)
            .arg("max", max_year));
    }
    Ok(date)
}

/// [`parse_date`] without the range: for a filter (`audit --since`), where any date asks a
/// question rather than records a fact.
pub fn parse_date_unbounded(input: &str, what: &str) -> Result<chrono::NaiveDate> {
    let s = ids::to_halfwidth(input.trim());
    let s = s.replace(['年', '月'], "-").replace('日', "");
    let s = s.replace(['/', '.'], "-");
    let compact = s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = s.split('-').collect();
    let shaped = compact
        || (parts.len() == 3
            && parts[0].len() == 4
            && (1..=2).contains(&parts[1].len())
            && (1..=2).contains(&parts[2].len())
            && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())));
    let parsed = if !shaped {
        None
    } else if compact {
        chrono::NaiveDate::parse_from_str(&s, "%Y%m%d").ok()
    } else {
        chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok()
    };
    parsed.ok_or_else(|| Error::usage("date-bad").arg("what", what).arg("value", input))
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

    #[test]
    fn a_two_digit_year_or_an_implausible_year_is_refused() {
        for s in
            ["26-01-01", "026-01-01", "0026-01-01", "1899-12-31", "9999-01-01", "2026-1-1-1", "2026-001-01"]
        {
            let err = parse_date(s, "--date").unwrap_err();
            assert!(matches!(err.message().key, "date-bad" | "date-out-of-range"), "{s}: {err}");
        }
        assert_eq!(parse_date("26-01-01", "--date").unwrap_err().message().key, "date-bad");
        assert!(parse_date("1900-01-01", "d").is_ok());
        assert!(parse_date("2100-01-01", "d").is_ok());
    }
}
