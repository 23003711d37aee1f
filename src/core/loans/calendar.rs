//! The holiday calendar due dates and deadlines are counted on: the shipped mainland calendar
//! for each year the library has not edited, the library's own rows for a year it has.

use chrono::{Datelike, NaiveDate};

use super::*;
use crate::core::session::{Change, to_json};
use crate::model::calendar::{DayInfo, DayKind, SpecialDay, YearSource};

/// A year of the calendar as listed.
#[derive(Debug, Clone, Serialize)]
pub struct CalendarYear {
    #[serde(flatten)]
    pub source: YearSource,
    /// Whether the calendar knows the year at all (else weekends only count).
    pub known: bool,
    pub days: Vec<SpecialDay>,
}

/// What a day is, and the due date of a loan made on it.
#[derive(Debug, Clone, Serialize)]
pub struct WorkdayAnswer {
    pub date: NaiveDate,
    #[serde(flatten)]
    pub info: DayInfo,
    /// `date` + N working days, when asked.
    pub plus: Option<(u32, NaiveDate)>,
    /// The next working day on or after it.
    pub next_workday: NaiveDate,
    /// The year's holidays are not known in full (provisional or missing).
    pub year_unknown: bool,
}

impl Session {
    /// The calendar of a year (the current one by default).
    pub fn calendar_year(&mut self, year: Option<i32>) -> Result<CalendarYear> {
        self.require(Permission::ReadDossiers)?;
        let year = year.unwrap_or_else(|| crate::core::today().year());
        if !(1900..=2999).contains(&year) {
            return Err(Error::usage("calendar-year-invalid").arg("year", year));
        }
        let cal = load_calendar(self.lib.db.tx())?;
        let source = cal.years().into_iter().find(|y| y.year == year);
        Ok(CalendarYear {
            known: source.is_some(),
            source: source.unwrap_or(YearSource {
                year,
                origin: "none",
                source: String::new(),
                provisional: true,
            }),
            days: cal.special_days(year),
        })
    }

    /// Every year the calendar knows, with where it comes from.
    pub fn calendar_years(&mut self) -> Result<Vec<YearSource>> {
        self.require(Permission::ReadDossiers)?;
        Ok(load_calendar(self.lib.db.tx())?.years())
    }

    /// What a day is; with `plus`, the date N working days after it (a loan's due date).
    pub fn workday(&mut self, date: &str, plus: Option<u32>) -> Result<WorkdayAnswer> {
        self.require(Permission::ReadDossiers)?;
        let d = crate::model::parse_date(date, "label-date")?;
        if let Some(n) = plus
            && n > LoanPolicy::MAX_DAYS
        {
            return Err(Error::usage("loan-days-invalid").arg("value", n).arg("what", "--plus"));
        }
        let cal = load_calendar(self.lib.db.tx())?;
        let plus = plus.map(|n| (n, cal.add_workdays(d, n)));
        Ok(WorkdayAnswer {
            date: d,
            info: cal.day(d),
            plus,
            next_workday: cal.next_workday(d),
            year_unknown: !cal.knows(d.year()) || plus.is_some_and(|(_, p)| !cal.knows(p.year())),
        })
    }

    /// Sets what a day is (a holiday, or a weekend day worked), or with `kind` none, puts it
    /// back to the plain week. The first edit of a year copies the shipped days of that year
    /// into the library, so the year stays whole.
    pub fn calendar_set(&mut self, date: &str, kind: Option<DayKind>, name: &str) -> Result<DayInfo> {
        let d = crate::model::parse_date(date, "label-date")?;
        let name = crate::model::text::clean_line("label-name", name)?;
        self.change(Permission::ManageConfig, |tx, audit| {
            let t = Tx::new(tx);
            let (edited, _) = db::calendar(t)?;
            let before_cal = load_calendar(t)?;
            let before = before_cal.day(d);
            if !edited.contains(&d.year()) {
                db::adopt_year(t, d.year(), &before_cal.special_days(d.year()), audit.at)?;
            }
            match kind {
                Some(kind) => db::set_day(t, &SpecialDay { day: d, kind, name: name.clone() })?,
                None => {
                    db::remove_day(t, &d.format("%Y-%m-%d").to_string())?;
                }
            }
            let after = load_calendar(t)?.day(d);
            if after == before && edited.contains(&d.year()) {
                return Ok(after);
            }
            audit.log(
                tx,
                Change {
                    action: "update",
                    entity: "calendar_day",
                    entity_id: &d.to_string(),
                    dossier: None,
                    before: to_json(&before),
                    after: to_json(&after),
                },
            )?;
            Ok(after)
        })
    }
}
