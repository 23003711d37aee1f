//! Working days: the plain week (Monday to Friday) changed by public holidays and the make-up
//! working days (调休) the State Council announces each year. Due dates of loans and deadlines
//! are counted in working days on this calendar.
//!
//! The program ships the mainland calendar for the current and next year
//! (`assets/calendar/cn.toml`); a library may edit any year (`calendar add`), after which its
//! own rows are the whole truth for that year.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::model::error::{Error, Result};
use crate::model::types::code_enum;

/// The calendar shipped with the program.
pub const SHIPPED: &str = include_str!("../../assets/calendar/cn.toml");

code_enum! {
    /// A day that differs from the plain week.
    DayKind = "day-kind" {
        Holiday = "holiday" / "放假",
        Workday = "workday" / "上班",
    }
}

/// A day the calendar lists: a holiday, or a weekend day worked (调休).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecialDay {
    pub day: NaiveDate,
    pub kind: DayKind,
    /// The festival it belongs to (春节, 国庆节…).
    pub name: String,
}

/// One year of a calendar and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearSource {
    pub year: i32,
    /// `shipped` (the program's data) or `library` (edited in this library).
    pub origin: &'static str,
    /// The notice it follows (shipped years), empty for an edited year.
    pub source: String,
    /// Only the statutory festival days: the year's 调休 was not yet announced.
    pub provisional: bool,
}

/// What a day is on the calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DayInfo {
    /// A plain working day (Monday to Friday, no holiday).
    Workday,
    /// Saturday or Sunday with nothing special.
    Weekend,
    /// A public holiday.
    Holiday { name: String },
    /// A weekend day worked instead of a holiday (调休上班).
    MakeUp { name: String },
}

impl DayInfo {
    pub fn is_working(&self) -> bool {
        matches!(self, DayInfo::Workday | DayInfo::MakeUp { .. })
    }
}

/// The working-day calendar: special days by date and which years it knows.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    days: BTreeMap<NaiveDate, (DayKind, String)>,
    years: BTreeMap<i32, YearSource>,
}

/// How far a count of working days may run (a loan period, a deadline): beyond it something
/// is wrong with the calendar (every day a holiday) and the count stops.
const MAX_SCAN_DAYS: i64 = 3660;

#[derive(Deserialize)]
struct ShippedFile {
    year: Vec<ShippedYear>,
}

#[derive(Deserialize)]
struct ShippedYear {
    year: i32,
    source: String,
    #[serde(default)]
    provisional: bool,
    #[serde(default)]
    holiday: Vec<(String, String, String)>,
    #[serde(default)]
    workday: Vec<(String, String)>,
}

fn date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| Error::invalid(format!("calendar: bad date {s}")))
}

/// A shipped year and its special days.
pub type ShippedYearDays = (YearSource, Vec<SpecialDay>);

/// The shipped calendar's years, each with its special days (parsed once per process).
pub fn shipped() -> Result<&'static [ShippedYearDays]> {
    static PARSED: std::sync::OnceLock<std::result::Result<Vec<ShippedYearDays>, String>> =
        std::sync::OnceLock::new();
    match PARSED.get_or_init(|| parse_shipped().map_err(|e| e.to_string())) {
        Ok(years) => Ok(years),
        Err(e) => Err(Error::invalid(e.clone())),
    }
}

fn parse_shipped() -> Result<Vec<ShippedYearDays>> {
    let file: ShippedFile = toml::from_str(SHIPPED).map_err(|e| Error::invalid(format!("calendar: {e}")))?;
    let mut out = Vec::new();
    for y in file.year {
        let mut days = Vec::new();
        for (name, first, last) in &y.holiday {
            let (first, last) = (date(first)?, date(last)?);
            if last < first || (last - first).num_days() > 31 {
                return Err(Error::invalid(format!("calendar: bad holiday range {first}..{last}")));
            }
            for day in first.iter_days().take_while(|x| *x <= last) {
                days.push(SpecialDay { day, kind: DayKind::Holiday, name: name.clone() });
            }
        }
        for (name, day) in &y.workday {
            days.push(SpecialDay { day: date(day)?, kind: DayKind::Workday, name: name.clone() });
        }
        if let Some(bad) = days.iter().find(|d| d.day.year() != y.year) {
            return Err(Error::invalid(format!("calendar: {} is not in {}", bad.day, y.year)));
        }
        out.push((
            YearSource { year: y.year, origin: "shipped", source: y.source, provisional: y.provisional },
            days,
        ));
    }
    Ok(out)
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

impl Calendar {
    /// A calendar of the shipped years, with the library's own years (`edited`: the years it
    /// edited, `own`: its rows) in their place.
    pub fn build(edited: &BTreeSet<i32>, own: &[SpecialDay]) -> Result<Calendar> {
        let mut cal = Calendar::default();
        for (source, days) in shipped()? {
            if edited.contains(&source.year) {
                continue;
            }
            for d in days {
                cal.days.insert(d.day, (d.kind, d.name.clone()));
            }
            cal.years.insert(source.year, source.clone());
        }
        for y in edited {
            cal.years.insert(
                *y,
                YearSource { year: *y, origin: "library", source: String::new(), provisional: false },
            );
        }
        for d in own {
            if edited.contains(&d.day.year()) {
                cal.days.insert(d.day, (d.kind, d.name.clone()));
            }
        }
        Ok(cal)
    }

    /// What a day is.
    pub fn day(&self, d: NaiveDate) -> DayInfo {
        match self.days.get(&d) {
            Some((DayKind::Holiday, name)) => DayInfo::Holiday { name: name.clone() },
            Some((DayKind::Workday, name)) if is_weekend(d) => DayInfo::MakeUp { name: name.clone() },
            Some((DayKind::Workday, _)) | None if !is_weekend(d) => DayInfo::Workday,
            _ => DayInfo::Weekend,
        }
    }

    pub fn is_workday(&self, d: NaiveDate) -> bool {
        self.day(d).is_working()
    }

    /// The first working day on or after `d`.
    pub fn next_workday(&self, d: NaiveDate) -> NaiveDate {
        let mut day = d;
        for _ in 0..MAX_SCAN_DAYS {
            if self.is_workday(day) {
                return day;
            }
            day = day.succ_opt().unwrap_or(day);
        }
        d
    }

    /// The `n`-th working day after `from` (`from` itself not counted): a loan made on `from`
    /// for `n` working days is due back then. `n = 0` is `from` if it is a working day, else
    /// the next one.
    pub fn add_workdays(&self, from: NaiveDate, n: u32) -> NaiveDate {
        if n == 0 {
            return self.next_workday(from);
        }
        let mut day = from;
        let mut left = n;
        for _ in 0..MAX_SCAN_DAYS {
            day = day.succ_opt().unwrap_or(day);
            if self.is_workday(day) {
                left -= 1;
                if left == 0 {
                    return day;
                }
            }
        }
        day
    }

    /// Working days in `(from, to]`; negative when `to` is before `from`.
    pub fn workdays_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        let (a, b, sign) = if to >= from { (from, to, 1) } else { (to, from, -1) };
        let mut n = 0;
        let mut day = a;
        while day < b {
            day = day.succ_opt().unwrap_or(b);
            if self.is_workday(day) {
                n += 1;
            }
        }
        sign * n
    }

    /// The special days of a year, in date order.
    pub fn special_days(&self, year: i32) -> Vec<SpecialDay> {
        let (Some(first), Some(last)) =
            (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31))
        else {
            return Vec::new();
        };
        self.days
            .range(first..=last)
            .map(|(d, (kind, name))| SpecialDay { day: *d, kind: *kind, name: name.clone() })
            .collect()
    }

    /// Where each year the calendar knows comes from.
    pub fn years(&self) -> Vec<YearSource> {
        self.years.values().cloned().collect()
    }

    /// Whether the calendar knows the year's holidays in full (not a provisional or unknown
    /// year, where only weekends and statutory days count).
    pub fn knows(&self, year: i32) -> bool {
        self.years.get(&year).is_some_and(|y| !y.provisional)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn cal() -> Calendar {
        Calendar::build(&BTreeSet::new(), &[]).unwrap()
    }

    #[test]
    fn the_shipped_calendar_parses_and_knows_2026() {
        let c = cal();
        assert!(c.knows(2026));
        assert!(!c.knows(2027), "2027 is provisional");
        assert_eq!(c.day(d("2026-10-01")), DayInfo::Holiday { name: "国庆节".into() });
        assert_eq!(c.day(d("2026-10-10")), DayInfo::MakeUp { name: "国庆节".into() });
        assert_eq!(c.day(d("2026-11-23")), DayInfo::Workday);
        assert_eq!(c.day(d("2026-11-22")), DayInfo::Weekend);
        // Every holiday range is whole: the nine days of the 2026 Spring Festival.
        let spring = c.special_days(2026).into_iter().filter(|s| s.name == "春节").count();
        assert_eq!(spring, 9 + 2);
    }

    #[test]
    fn working_days_skip_weekends_and_holidays_and_count_make_up_days() {
        let c = cal();
        // Lent Friday 2026-09-18 for 5 working days: Mon 21 … Thu 24 are four, the festival
        // 25–27 is off, so not the 25th but Monday 28th… except that Sunday 20th is worked
        // (调休 for 国庆节) and counts first: 20, 21, 22, 23, 24.
        assert_eq!(c.add_workdays(d("2026-09-18"), 5), d("2026-09-24"));
        // Lent on Wednesday 2026-09-30 for 3 working days: the National Day week is off, the
        // 8th and 9th are working days, Saturday the 10th is worked too.
        assert_eq!(c.add_workdays(d("2026-09-30"), 3), d("2026-10-10"));
        // Over the Spring Festival: Friday 2026-02-13, 2 working days: Saturday 14th is worked,
        // then nine days off, then Tuesday 24th.
        assert_eq!(c.add_workdays(d("2026-02-13"), 2), d("2026-02-24"));
        // A plain week.
        assert_eq!(c.add_workdays(d("2026-11-23"), 10), d("2026-12-07"));
        assert_eq!(c.add_workdays(d("2026-11-21"), 0), d("2026-11-23"));
        assert_eq!(c.workdays_between(d("2026-09-30"), d("2026-10-10")), 3);
        assert_eq!(c.workdays_between(d("2026-10-10"), d("2026-09-30")), -3);
    }

    #[test]
    fn an_edited_year_replaces_the_shipped_one_whole() {
        let edited: BTreeSet<i32> = [2026].into_iter().collect();
        let own = vec![SpecialDay { day: d("2026-11-24"), kind: DayKind::Holiday, name: "厂庆".into() }];
        let c = Calendar::build(&edited, &own).unwrap();
        assert_eq!(c.day(d("2026-10-01")), DayInfo::Workday, "the shipped National Day is not copied");
        assert_eq!(c.day(d("2026-11-24")), DayInfo::Holiday { name: "厂庆".into() });
        assert_eq!(c.years().iter().find(|y| y.year == 2026).map(|y| y.origin), Some("library"));
        // 2027 still comes from the program.
        assert_eq!(c.day(d("2027-10-01")), DayInfo::Holiday { name: "国庆节".into() });
    }

    #[test]
    fn last_year_is_shipped_too() {
        let c = cal();
        assert!(c.knows(2025));
        // Sunday 26 January 2025 was worked before the Spring Festival (28 Jan – 4 Feb).
        assert_eq!(c.day(d("2025-01-26")), DayInfo::MakeUp { name: "春节".into() });
        assert_eq!(c.add_workdays(d("2025-01-24"), 2), d("2025-01-27"));
        assert_eq!(c.add_workdays(d("2025-01-27"), 1), d("2025-02-05"));
    }

    #[test]
    fn a_year_the_calendar_does_not_know_has_weekends_only() {
        let c = cal();
        assert!(!c.knows(2031));
        assert!(c.is_workday(d("2031-10-01")));
        assert!(!c.is_workday(d("2031-10-04")));
    }
}
