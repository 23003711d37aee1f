//! The scheduled backups the app makes while it is open: the schedule (a library setting,
//! audited), and the claim on each run (so that of several PCs with the app open, one makes it).

use chrono::NaiveDateTime;

use super::rotate::FolderOptions;
use crate::core::session::{Change, Session, to_json};
use crate::model::backup::{BackupRun, BackupSchedule};
use crate::model::error::{Error, Result};
use crate::model::permission::Permission;
use crate::store;

/// The most full backups a schedule keeps.
pub const MAX_KEEP: u32 = 365;

/// The local time now, to the second.
pub fn local_now() -> NaiveDateTime {
    chrono::Local::now().naive_local()
}

impl Session {
    /// The schedule and its last run.
    pub fn backup_schedule(&mut self) -> Result<(BackupSchedule, Option<BackupRun>)> {
        self.require(Permission::Maintain)?;
        let conn = self.lib.db.conn();
        Ok((store::backup::schedule(conn)?, store::backup::last_run(conn)?))
    }

    /// Sets the schedule (audited). A folder is needed to turn it on; it is created if missing.
    pub fn set_backup_schedule(&mut self, mut s: BackupSchedule) -> Result<BackupSchedule> {
        self.require(Permission::Maintain)?;
        s.dir = s.dir.trim().to_string();
        if s.enabled && s.dir.is_empty() {
            return Err(Error::usage("backup-schedule-no-folder"));
        }
        if !(1..=MAX_KEEP).contains(&s.keep) {
            return Err(Error::usage("backup-schedule-keep").arg("max", MAX_KEEP));
        }
        if s.at_minutes >= 24 * 60 || !(1..=7).contains(&s.weekday) {
            return Err(Error::usage("backup-schedule-time"));
        }
        if s.enabled {
            let dir = std::path::Path::new(&s.dir);
            if !dir.is_absolute() {
                return Err(Error::usage("backup-schedule-relative").arg("path", &s.dir));
            }
            std::fs::create_dir_all(dir)
                .map_err(|_| Error::missing("backup-out-folder-missing").arg("path", &s.dir))?;
        }
        s.since = Some(local_now());
        self.change(Permission::Maintain, |tx, a| {
            let before = store::backup::schedule(tx)?;
            store::backup::set_schedule(tx, &s)?;
            a.log(
                tx,
                Change {
                    action: "update",
                    entity: "backup_schedule",
                    entity_id: "backup",
                    dossier: None,
                    before: to_json(&before),
                    after: to_json(&s),
                },
            )
        })?;
        Ok(s)
    }

    /// Takes the scheduled run due at `now`, if there is one and no other app took it: the
    /// folder options to back up with. Read-only sessions and users who may not back up never
    /// take one.
    pub fn claim_scheduled_backup(&mut self, now: NaiveDateTime) -> Result<Option<FolderOptions>> {
        if !self.may(Permission::Maintain) || self.lib.access() != crate::core::Access::Write {
            return Ok(None);
        }
        // Cheap look first: the claim writes only when a run is due.
        {
            let conn = self.lib.db.conn();
            let s = store::backup::schedule(conn)?;
            let last = store::backup::last_run(conn)?.and_then(|r| r.started_at);
            if !s.due(last, now) {
                return Ok(None);
            }
        }
        let by = self.user.name.clone();
        self.change(Permission::Maintain, |tx, _| {
            let s = store::backup::schedule(tx)?;
            let last = store::backup::last_run(tx)?.and_then(|r| r.started_at);
            if !s.due(last, now) {
                return Ok(None);
            }
            store::backup::set_last_run(tx, &BackupRun { started_at: Some(now), by, ..Default::default() })?;
            Ok(Some(FolderOptions {
                dir: s.dir.clone().into(),
                keep: s.keep as usize,
                incremental: s.incremental,
            }))
        })
    }

    /// Records how the claimed run ended.
    pub fn finish_scheduled_backup(&mut self, ok: bool, detail: String) -> Result<()> {
        self.change(Permission::Maintain, |tx, _| {
            let mut run = store::backup::last_run(tx)?.unwrap_or_default();
            run.finished_at = Some(local_now());
            run.ok = Some(ok);
            run.detail = detail;
            store::backup::set_last_run(tx, &run)
        })
    }
}
