//! Scheduled backups: when the app makes them, and whether one is due.

use chrono::{Datelike, Duration, NaiveDateTime, NaiveTime, Timelike};
use serde::{Deserialize, Serialize};

/// How often a scheduled backup runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Every {
    #[default]
    Day,
    /// Once a week, on `BackupSchedule::weekday`.
    Week,
}

/// The library's backup schedule, run by the app while it is open (any PC with the app open
/// and a user who may back up; one of them takes each run).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupSchedule {
    pub enabled: bool,
    pub every: Every,
    /// 1 = Monday … 7 = Sunday (weekly schedules).
    pub weekday: u8,
    /// Local time of day, minutes after midnight.
    pub at_minutes: u16,
    /// The folder backups go to.
    pub dir: String,
    /// Full backups (with their increments) kept.
    pub keep: u32,
    /// Increments on the newest backup, with a full one at least every [`FULL_EVERY_DAYS`].
    pub incremental: bool,
    /// When the schedule was last set (local): no run is due for a moment before it.
    #[serde(default)]
    pub since: Option<NaiveDateTime>,
}

/// An incremental schedule still makes a full backup when the newest is this old.
pub const FULL_EVERY_DAYS: i64 = 7;

impl Default for BackupSchedule {
    fn default() -> Self {
        BackupSchedule {
            enabled: false,
            every: Every::Day,
            weekday: 5,
            at_minutes: 12 * 60,
            dir: String::new(),
            keep: 4,
            incremental: true,
            since: None,
        }
    }
}

/// The last scheduled run: taken by whom and when, and how it ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct BackupRun {
    pub started_at: Option<NaiveDateTime>,
    pub by: String,
    pub finished_at: Option<NaiveDateTime>,
    pub ok: Option<bool>,
    /// The backup file, or what went wrong (in the words of the app that ran it).
    pub detail: String,
}

impl BackupSchedule {
    /// `HH:MM` of the time of day.
    pub fn at_text(&self) -> String {
        format!("{:02}:{:02}", self.at_minutes / 60, self.at_minutes % 60)
    }

    /// Parses `H:MM` / `HH:MM` into minutes after midnight.
    pub fn parse_at(s: &str) -> Option<u16> {
        let t = NaiveTime::parse_from_str(s.trim(), "%H:%M").ok()?;
        u16::try_from(t.hour() * 60 + t.minute()).ok()
    }

    /// The most recent scheduled moment at or before `now`.
    pub fn last_slot(&self, now: NaiveDateTime) -> NaiveDateTime {
        let at = NaiveTime::from_num_seconds_from_midnight_opt(u32::from(self.at_minutes.min(1439)) * 60, 0)
            .unwrap_or(NaiveTime::MIN);
        let mut slot = now.date().and_time(at);
        if slot > now {
            slot -= Duration::days(1);
        }
        if self.every == Every::Week {
            let want = u32::from(self.weekday.clamp(1, 7));
            while slot.weekday().number_from_monday() != want {
                slot -= Duration::days(1);
            }
        }
        slot
    }

    /// The next scheduled moment after `now`.
    pub fn next_slot(&self, now: NaiveDateTime) -> NaiveDateTime {
        let step = if self.every == Every::Week { 7 } else { 1 };
        self.last_slot(now) + Duration::days(step)
    }

    /// Whether a run is due at `now`: enabled, a folder set, a scheduled moment passed since the
    /// schedule was set and since the last run started. A moment missed while no app was open
    /// is made up the next time one is.
    pub fn due(&self, last_started: Option<NaiveDateTime>, now: NaiveDateTime) -> bool {
        if !self.enabled || self.dir.trim().is_empty() {
            return false;
        }
        let slot = self.last_slot(now);
        self.since.is_none_or(|s| s < slot) && last_started.is_none_or(|l| l < slot)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn a_daily_backup_is_due_once_after_its_time_and_made_up_when_missed() {
        let s = BackupSchedule {
            enabled: true,
            dir: "/b".into(),
            at_minutes: 12 * 60,
            since: Some(t("2026-11-23 09:00")),
            ..Default::default()
        };
        assert!(!s.due(None, t("2026-11-23 11:59")));
        assert!(s.due(None, t("2026-11-23 12:00")));
        assert!(!s.due(Some(t("2026-11-23 12:00")), t("2026-11-23 17:00")));
        // Nobody had the app open on the 24th at noon: made up on the 25th in the morning.
        assert!(s.due(Some(t("2026-11-23 12:00")), t("2026-11-25 08:30")));
        assert_eq!(s.next_slot(t("2026-11-25 08:30")), t("2026-11-25 12:00"));
        // Set after today's moment: not due until tomorrow's.
        let later = BackupSchedule { since: Some(t("2026-11-23 15:00")), ..s.clone() };
        assert!(!later.due(None, t("2026-11-23 16:00")));
        assert!(later.due(None, t("2026-11-24 12:01")));
        // Off, or no folder: never.
        assert!(!BackupSchedule { enabled: false, ..s.clone() }.due(None, t("2026-11-30 12:00")));
        assert!(!BackupSchedule { dir: " ".into(), ..s }.due(None, t("2026-11-30 12:00")));
    }

    #[test]
    fn a_weekly_backup_falls_on_its_weekday() {
        // 2026-11-27 is a Friday.
        let s = BackupSchedule {
            enabled: true,
            every: Every::Week,
            weekday: 5,
            at_minutes: 17 * 60 + 30,
            dir: "/b".into(),
            since: Some(t("2026-11-23 09:00")),
            ..Default::default()
        };
        assert_eq!(s.last_slot(t("2026-11-29 10:00")), t("2026-11-27 17:30"));
        assert!(!s.due(None, t("2026-11-27 17:29")));
        assert!(s.due(None, t("2026-11-27 17:30")));
        assert!(!s.due(Some(t("2026-11-27 17:31")), t("2026-12-03 09:00")));
        assert!(s.due(Some(t("2026-11-27 17:31")), t("2026-12-04 18:00")));
        assert_eq!(BackupSchedule::parse_at("7:05"), Some(425));
        assert_eq!(BackupSchedule::parse_at("24:00"), None);
        assert_eq!(s.at_text(), "17:30");
    }
}
