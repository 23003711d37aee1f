//! The hot folder as the app drives it: one [`HotFolder::poll`] on the worker every
//! [`HOT_EVERY`] while the clerk has it on (the watcher is `core::scans::watch`; the reason
//! files it writes beside refused files are in the clerk's language). Nothing else in the app
//! names the watcher.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

pub use crate::core::scans::{HotFolder, WatchEvent, WatchOptions};
use crate::i18n::{Language, Tr};
use crate::model::scans::FileReport;

/// How often the app looks into the hot folder.
pub const HOT_EVERY: Duration = Duration::from_secs(2);

/// The watcher's options for the app: reason files in `language`, the library's folder
/// refused as a hot folder.
pub fn options(language: Language, library: &Path) -> WatchOptions {
    let describe: crate::core::scans::watch::Describe =
        Arc::new(move |r: &FileReport| super::refusal_text(&Tr::new(language), r));
    WatchOptions { describe: Some(describe), library: Some(library.to_path_buf()), ..WatchOptions::default() }
}

/// The file an event is about, if it is about one.
pub fn path_of(e: &WatchEvent) -> Option<&Path> {
    match e {
        WatchEvent::Imported { moved_to, .. } | WatchEvent::Failed { moved_to, .. } => Some(moved_to),
        WatchEvent::Retry { path, .. } => Some(path),
        WatchEvent::Waiting { .. } => None,
    }
}

/// The event's report.
pub fn report_of(e: &WatchEvent) -> Option<&FileReport> {
    match e {
        WatchEvent::Imported { report, .. } | WatchEvent::Failed { report, .. } => Some(report),
        _ => None,
    }
}

/// One line for the inbox screen's hot-folder log, `time` the local time it was seen.
pub fn describe(tr: &Tr, e: &WatchEvent, time: &str) -> Option<(String, bool)> {
    let name =
        path_of(e).and_then(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Some(match e {
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
        WatchEvent::Retry { error, .. } => (
            tr.ta("inbox-hot-failed", &[("time", time), ("name", &name), ("reason", &tr.error(error))]),
            false,
        ),
        WatchEvent::Waiting { .. } => return None,
    })
}
