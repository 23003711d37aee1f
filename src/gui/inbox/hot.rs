//! The hot folder as the app drives it: one [`HotFolder::poll`] on the worker every
//! [`HOT_EVERY`] while the clerk has it on.
//!
//! The watcher itself is `core::scans::watch::{HotFolder, WatchOptions, WatchEvent}` (being
//! written beside this screen). Until it lands this adapter has its shape — `new(dir, opts)`,
//! `poll(&mut Session) -> Result<Vec<WatchEvent>>` — and its poll says the watcher is not
//! available; when it lands, the three types become re-exports of the core's and
//! [`describe`] maps its events. Nothing else in the app names the watcher.

use std::path::PathBuf;
use std::time::Duration;

use crate::core::Session;
use crate::i18n::Tr;
use crate::model::error::{Error, Result};
use crate::model::scans::FileReport;

/// How often the app looks into the hot folder.
pub const HOT_EVERY: Duration = Duration::from_secs(2);

/// How the watcher takes files (the core's defaults).
#[derive(Debug, Clone, Default)]
pub struct WatchOptions {}

/// What one poll did with one file.
#[derive(Debug, Clone)]
pub enum WatchEvent {
    /// Imported (its pages filed or in the inbox), then moved to `done/`.
    Imported { path: PathBuf, report: FileReport },
    /// Not imported (refused, or a duplicate), moved to `failed/` with a reason file.
    Failed { path: PathBuf, report: FileReport },
}

/// One hot folder, kept between polls (it remembers the files still being written).
#[derive(Debug)]
pub struct HotFolder {
    pub dir: PathBuf,
    #[allow(dead_code)]
    opts: WatchOptions,
}

impl HotFolder {
    pub fn new(dir: PathBuf, opts: WatchOptions) -> HotFolder {
        HotFolder { dir, opts }
    }

    /// Looks into the folder once and imports what has finished arriving.
    pub fn poll(&mut self, _session: &mut Session) -> Result<Vec<WatchEvent>> {
        Err(Error::failed("scan-watch-unavailable"))
    }
}

/// The file an event is about.
pub fn path_of(e: &WatchEvent) -> &std::path::Path {
    match e {
        WatchEvent::Imported { path, .. } | WatchEvent::Failed { path, .. } => path,
    }
}

/// The event's report.
pub fn report_of(e: &WatchEvent) -> &FileReport {
    match e {
        WatchEvent::Imported { report, .. } | WatchEvent::Failed { report, .. } => report,
    }
}

/// One line for the inbox screen's hot-folder log, `time` the local time it was seen.
pub fn describe(tr: &Tr, e: &WatchEvent, time: &str) -> (String, bool) {
    let name = path_of(e).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    match e {
        WatchEvent::Imported { report, .. } => (
            tr.ta(
                "inbox-hot-imported",
                &[
                    ("time", time),
                    ("name", &name),
                    ("filed", &report.filed().to_string()),
                    ("inbox", &report.inbox().to_string()),
                    ("blank", &report.blank().to_string()),
                ],
            ),
            true,
        ),
        WatchEvent::Failed { report, .. } => (
            tr.ta(
                "inbox-hot-failed",
                &[("time", time), ("name", &name), ("reason", &super::refusal_text(tr, report))],
            ),
            false,
        ),
    }
}
