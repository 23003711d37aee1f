//! 备份 (in 设置, for who may back up): back up now, the schedule the app keeps while it is open
//! (daily or weekly at a time, a folder, how many to keep, increments), the last run and how it
//! ended. The long part of a backup (the scanned files) runs without holding the session, so
//! the clerk goes on working; restoring is an administrator's command, never over the open
//! library, and the panel shows it.

use std::path::PathBuf;

use iced::widget::{button, checkbox, column, container, pick_list, progress_bar, row, text, text_input};
use iced::{Element, Length, Task};

use super::backend::{Backend, Failure};
use super::i18n::Tr;
use super::theme;
use crate::core::backup::BackupReport;
use crate::core::backup::rotate::{self, FolderOptions};
use crate::core::backup::schedule::local_now;
use crate::model::backup::{BackupRun, BackupSchedule, Every};

/// How often the app asks whether a scheduled backup is due, in polls of the shell.
pub const CHECK_EVERY_POLLS: u32 = 60;

/// A labelled choice for the pick lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice<T> {
    pub value: T,
    pub label: String,
}

impl<T> std::fmt::Display for Choice<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label)
    }
}

#[derive(Debug, Default)]
pub struct BackupPanel {
    /// The schedule as saved, and its last run.
    pub saved: Option<BackupSchedule>,
    pub last: Option<BackupRun>,
    /// The form.
    pub enabled: bool,
    pub every: Every,
    pub weekday: u8,
    pub at: String,
    pub dir: String,
    pub keep: String,
    pub incremental: bool,
    /// A backup under way: MB done of MB, and whether the schedule started it.
    pub running: Option<(u64, u64, bool)>,
    pub feedback: Option<Result<String, String>>,
}

#[derive(Debug, Clone)]
pub enum Message {
    Loaded(Result<(BackupSchedule, Option<BackupRun>), Failure>),
    /// The last scheduled run again (after a backup), the form left as it is.
    LastLoaded(Result<(BackupSchedule, Option<BackupRun>), Failure>),
    Enabled(bool),
    Every(Choice<Every>),
    Weekday(Choice<u8>),
    At(String),
    Dir(String),
    PickDir,
    DirPicked(Option<PathBuf>),
    Keep(String),
    Incremental(bool),
    Save,
    Saved(Result<BackupSchedule, Failure>),
    /// 立即备份 into the form's folder.
    BackupNow,
    /// Time to see whether a scheduled backup is due (from the shell's poll).
    Check,
    Progress(u64, u64),
    /// A backup ended (`None`: a check found nothing due).
    Done(bool, Result<Option<BackupReport>, Failure>),
}

pub fn load(backend: &Backend) -> Task<Message> {
    backend.run(|s| s.backup_schedule(), Message::Loaded)
}

/// Runs a backup into a folder: the database copy with the session, the files without it, the
/// audit row with it again, then the rotation. `scheduled`: only if a scheduled run is due and
/// this app takes it (the outcome is then recorded for the panel of every app).
fn run(backend: &Backend, scheduled: bool, manual: Option<FolderOptions>) -> Task<Message> {
    let language = backend.language();
    backend.run_shared(
        move |h, report: &mut dyn FnMut((u64, u64))| {
            let claimed = match manual {
                Some(o) => Some(o),
                None => h.with(|s| s.claim_scheduled_backup(local_now()))?,
            };
            let Some(o) = claimed else { return Ok(None) };
            let result = (|| {
                let prepared = h.with(|s| s.prepare_folder_backup(&o))?;
                let written = prepared.write(&mut |d, t| report((d, t)))?;
                let library_id = written.library_id().to_string();
                let mut r = h.with(|s| s.record_backup(written))?;
                r.removed = rotate::rotate(&o.dir, &library_id, o.keep);
                Ok(r)
            })();
            if scheduled {
                let (ok, detail) = match &result {
                    Ok(r) => (true, r.file.display().to_string()),
                    Err(e) => (false, Tr::new(language).error(e)),
                };
                if let Err(e) = h.with(|s| s.finish_scheduled_backup(ok, detail)) {
                    tracing::warn!(error = %e, "could not record how the scheduled backup ended");
                }
            }
            result.map(Some)
        },
        |(d, t)| Message::Progress(d, t),
        move |r| Message::Done(scheduled, r),
    )
}

fn every_choices(tr: &Tr) -> Vec<Choice<Every>> {
    vec![
        Choice { value: Every::Day, label: tr.t("backup-every-day") },
        Choice { value: Every::Week, label: tr.t("backup-every-week") },
    ]
}

fn weekday_choices(tr: &Tr) -> Vec<Choice<u8>> {
    (1..=7u8).map(|d| Choice { value: d, label: tr.t(&format!("backup-weekday-{d}")) }).collect()
}

/// The folder offered when none is set: "Dangan 备份" in the documents folder.
fn default_dir(tr: &Tr) -> String {
    super::print::papers_dir().join(tr.t("backup-default-folder")).display().to_string()
}

impl BackupPanel {
    fn fill(&mut self, s: &BackupSchedule, tr: &Tr) {
        self.enabled = s.enabled;
        self.every = s.every;
        self.weekday = s.weekday;
        self.at = s.at_text();
        self.dir = if s.dir.is_empty() { default_dir(tr) } else { s.dir.clone() };
        self.keep = s.keep.to_string();
        self.incremental = s.incremental;
        self.saved = Some(s.clone());
    }

    /// The form as a schedule, or what is wrong with it.
    fn form(&self, tr: &Tr) -> Result<BackupSchedule, String> {
        let at = BackupSchedule::parse_at(&self.at).ok_or_else(|| tr.t("backup-schedule-time"))?;
        let keep = self
            .keep
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|k| *k >= 1)
            .ok_or_else(|| tr.ta("backup-schedule-keep", &[("max", "365")]))?;
        Ok(BackupSchedule {
            enabled: self.enabled,
            every: self.every,
            weekday: self.weekday.clamp(1, 7),
            at_minutes: at,
            dir: self.dir.trim().to_string(),
            keep,
            incremental: self.incremental,
            since: None,
        })
    }

    pub fn update(&mut self, m: Message, backend: &Backend, tr: &Tr) -> Task<Message> {
        match m {
            Message::Loaded(Ok((s, last))) => {
                self.fill(&s, tr);
                self.last = last;
            }
            Message::Loaded(Err(f)) => self.feedback = Some(Err(f.message)),
            Message::LastLoaded(Ok((s, last))) => {
                self.saved = Some(s);
                self.last = last;
            }
            Message::LastLoaded(Err(_)) => {}
            Message::Enabled(v) => self.enabled = v,
            Message::Every(c) => self.every = c.value,
            Message::Weekday(c) => self.weekday = c.value,
            Message::At(v) => self.at = v,
            Message::Dir(v) => self.dir = v,
            Message::Keep(v) => self.keep = v,
            Message::Incremental(v) => self.incremental = v,
            Message::PickDir => {
                let start = PathBuf::from(self.dir.trim());
                return Task::perform(
                    async move {
                        let mut d = rfd::AsyncFileDialog::new();
                        if start.is_dir() {
                            d = d.set_directory(start);
                        }
                        d.pick_folder().await.map(|h| h.path().to_path_buf())
                    },
                    Message::DirPicked,
                );
            }
            Message::DirPicked(Some(p)) => self.dir = p.display().to_string(),
            Message::DirPicked(None) => {}
            Message::Save => match self.form(tr) {
                Ok(s) => return backend.run(move |x| x.set_backup_schedule(s), Message::Saved),
                Err(e) => self.feedback = Some(Err(e)),
            },
            Message::Saved(Ok(s)) => {
                self.fill(&s, tr);
                self.feedback = Some(Ok(tr.t("backup-schedule-saved")));
            }
            Message::Saved(Err(f)) => self.feedback = Some(Err(f.message)),
            Message::BackupNow => {
                if self.running.is_some() {
                    return Task::none();
                }
                let o = match self.form(tr) {
                    Ok(s) if !s.dir.is_empty() => {
                        FolderOptions { dir: s.dir.into(), keep: s.keep as usize, incremental: s.incremental }
                    }
                    Ok(_) => {
                        self.feedback = Some(Err(tr.t("backup-schedule-no-folder")));
                        return Task::none();
                    }
                    Err(e) => {
                        self.feedback = Some(Err(e));
                        return Task::none();
                    }
                };
                self.running = Some((0, 0, false));
                self.feedback = None;
                return run(backend, false, Some(o));
            }
            Message::Check => {
                if self.running.is_none() {
                    self.running = Some((0, 0, true));
                    return run(backend, true, None);
                }
            }
            Message::Progress(d, t) => {
                if let Some(r) = &mut self.running {
                    (r.0, r.1) = (d.div_ceil(1_048_576), t.div_ceil(1_048_576));
                }
            }
            Message::Done(scheduled, r) => {
                self.running = None;
                match r {
                    Ok(None) => return Task::none(),
                    Ok(Some(report)) => {
                        let key =
                            if report.removed.is_empty() { "backup-done" } else { "backup-done-removed" };
                        self.feedback = Some(Ok(tr.ta(
                            key,
                            &[
                                ("file", &report.file.display().to_string()),
                                ("mb", &format!("{:.1}", report.bytes as f64 / 1_048_576.0)),
                                ("seconds", &format!("{:.1}", report.seconds)),
                                ("removed", &report.removed.len().to_string()),
                            ],
                        )));
                    }
                    Err(f) => self.feedback = Some(Err(f.message)),
                }
                if scheduled {
                    return backend.run(|s| s.backup_schedule(), Message::LastLoaded);
                }
            }
        }
        Task::none()
    }

    pub fn view<'a>(&'a self, tr: &'a Tr) -> Element<'a, Message> {
        let labelled = |label: String, control: Element<'a, Message>| -> Element<'a, Message> {
            column![text(label).size(12).style(theme::muted), control].spacing(2).into()
        };
        let mut body = column![].spacing(10);
        // The last scheduled run and the next one.
        if let Some(last) = &self.last
            && let Some(started) = last.started_at
        {
            let when = started.format("%Y-%m-%d %H:%M").to_string();
            let line = match last.ok {
                Some(true) => {
                    tr.ta("backup-last-ok", &[("when", &when), ("by", &last.by), ("file", &last.detail)])
                }
                Some(false) => tr
                    .ta("backup-last-failed", &[("when", &when), ("by", &last.by), ("detail", &last.detail)]),
                None => tr.ta("backup-last-running", &[("when", &when), ("by", &last.by)]),
            };
            let style = if last.ok == Some(false) { theme::error } else { theme::muted };
            body = body.push(text(line).size(13).style(style));
        }
        if let Some(s) = self.saved.as_ref().filter(|s| s.enabled) {
            let next = s.next_slot(local_now()).format("%Y-%m-%d %H:%M").to_string();
            body = body.push(text(tr.ta("backup-next", &[("when", &next)])).size(13).style(theme::muted));
        }
        let every = every_choices(tr);
        let weekdays = weekday_choices(tr);
        let mut when = row![
            checkbox(self.enabled).label(tr.t("backup-enabled")).on_toggle(Message::Enabled),
            pick_list(every.clone(), every.iter().find(|c| c.value == self.every).cloned(), Message::Every),
        ]
        .spacing(12)
        .align_y(iced::Alignment::Center);
        if self.every == Every::Week {
            when = when.push(pick_list(
                weekdays.clone(),
                weekdays.iter().find(|c| c.value == self.weekday).cloned(),
                Message::Weekday,
            ));
        }
        when = when.push(labelled(
            tr.t("backup-at"),
            text_input("12:00", &self.at).on_input(Message::At).width(80).id("backup-at").into(),
        ));
        body = body.push(when);
        body = body.push(labelled(
            tr.t("backup-folder"),
            row![
                text_input("", &self.dir).on_input(Message::Dir).width(Length::Fill).id("backup-dir"),
                button(text(tr.t("backup-choose"))).on_press(Message::PickDir).style(button::secondary),
            ]
            .spacing(8)
            .into(),
        ));
        body = body.push(
            row![
                labelled(
                    tr.t("backup-keep"),
                    text_input("4", &self.keep).on_input(Message::Keep).width(80).id("backup-keep").into(),
                ),
                checkbox(self.incremental).label(tr.t("backup-incremental")).on_toggle(Message::Incremental),
            ]
            .spacing(16)
            .align_y(iced::Alignment::End),
        );
        let mut actions = row![button(text(tr.t("backup-save"))).on_press(Message::Save)].spacing(8);
        match self.running {
            Some((d, t, scheduled)) => {
                let label = if scheduled { "backup-running-scheduled" } else { "backup-running" };
                body = body.push(
                    column![
                        text(tr.ta(label, &[("done", &d.to_string()), ("total", &t.to_string())])),
                        progress_bar(0.0..=t.max(1) as f32, d as f32),
                    ]
                    .spacing(4),
                );
            }
            None => {
                actions = actions.push(
                    button(text(tr.t("backup-now"))).on_press(Message::BackupNow).style(button::secondary),
                );
            }
        }
        body = body.push(actions);
        if let Some(f) = &self.feedback {
            body = body.push(match f {
                Ok(m) => container(text(m.clone()).size(13)).padding(8).style(theme::card),
                Err(e) => container(text(e.clone()).size(13)).padding(8).style(theme::error_box),
            });
        }
        body = body.push(text(tr.t("backup-restore-hint")).size(12).style(theme::muted));
        body.into()
    }
}
