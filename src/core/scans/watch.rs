//! The scanner's hot folder: a folder a scanner (or a clerk) saves files into. Each look
//! ([`HotFolder::poll`]) takes the files that have stopped changing, imports each once
//! (routed by cover sheets, like `scan import`) and moves it to `DIR/done/`, or to
//! `DIR/failed/` with `<name>.reason.txt` (in the user's language) and `<name>.reason.json`
//! (the report) beside it. The CLI (`scan watch`) and the GUI drive the same object.
//!
//! Crash safety (kill -9 anywhere): a file stays in DIR until it has been moved, so nothing is
//! lost; before a file is written to the library its hash and name are noted in
//! `DIR/.dangan-watch/taking/<sha256>`. Found again after a restart, a file the library already
//! holds *from this very path* (`FileReport::seen_before`) with that note is the watcher's own
//! file, imported before the crash: it goes to `done/` without a second import. The same bytes
//! without the note were dropped again by someone: `failed/` ("already imported on …").
//! `DIR/.dangan-watch/lock` keeps a second watcher (another PC, the app and the CLI) off the
//! same folder.

use std::collections::HashMap;
use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

use super::import::{Analysed, ImportOrigin, analyse_path};
use crate::core::session::Session;
use crate::model::error::{Error, Result};
use crate::model::permission::Permission;
use crate::model::scans::{FileOutcome, FileReport};
use crate::store;

/// The folder the finished files go to.
pub const DONE: &str = "done";
/// The folder refused files go to, with their reason files.
pub const FAILED: &str = "failed";
/// The watcher's own hidden folder in DIR (its lock and its notes).
pub const STATE: &str = ".dangan-watch";

/// Turns a report of a file not imported into a sentence in the user's language (the core
/// speaks no language; the CLI and the GUI give their own).
pub type Describe = Arc<dyn Fn(&FileReport) -> String + Send + Sync>;

/// How the hot folder behaves.
#[derive(Clone)]
pub struct WatchOptions {
    /// How long a file's size and modification time must stay the same before it is taken
    /// (scanners write in bursts).
    pub settle: Duration,
    /// Writes `<name>.reason.txt`; without it the text is the reason's code and details.
    pub describe: Option<Describe>,
    /// The library's folder (`Session::library().root()`): a hot folder inside it is refused
    /// at once (the first look checks it again against the session's library).
    pub library: Option<PathBuf>,
}

impl Default for WatchOptions {
    fn default() -> Self {
        WatchOptions { settle: Duration::from_secs(2), describe: None, library: None }
    }
}

impl std::fmt::Debug for WatchOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WatchOptions")
            .field("settle", &self.settle)
            .field("describe", &self.describe.is_some())
            .field("library", &self.library)
            .finish()
    }
}

/// What one look at the folder did, file by file.
#[derive(Debug, Clone)]
pub enum WatchEvent {
    /// Imported and moved to `done/`. `recovered`: it had been imported before the watcher
    /// stopped (crash, power cut) and only its move was left to do.
    Imported { report: FileReport, moved_to: PathBuf, recovered: bool },
    /// Not imported (refused, or the same bytes already imported): moved to `failed/` with
    /// its reason files; `reason` is the text of `<name>.reason.txt`.
    Failed { report: FileReport, moved_to: PathBuf, reason: String },
    /// Could not be taken this time (unreadable, locked by the scanner, the disk or the
    /// database failed): left where it is and tried again at the next look. Said once per
    /// new error, not at every look.
    /// `error`: for the front end to say in its language (`Tr::error`).
    Retry { path: PathBuf, error: Arc<Error> },
    /// Files still being written (or not yet unchanged for the settle time), after this look.
    Waiting { count: usize },
}

/// A file's size and modification time: it is whole when these stop changing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
}

#[derive(Debug)]
struct Seen {
    stamp: Stamp,
    since: Instant,
    /// The last error taking it (said once) and when: it is tried again at most every
    /// [`RETRY_EVERY`] (reading and hashing a stuck file at every look would be waste).
    error: Option<String>,
    failed_at: Option<Instant>,
}

/// How often a file left after an error is tried again.
pub const RETRY_EVERY: Duration = Duration::from_secs(10);

/// A watched folder. Holds the folder's lock while it lives.
#[derive(Debug)]
pub struct HotFolder {
    dir: PathBuf,
    opts: WatchOptions,
    seen: HashMap<OsString, Seen>,
    last_waiting: usize,
    library_checked: bool,
    _lock: std::fs::File,
}

impl HotFolder {
    /// Opens `dir` as a hot folder: it must exist and be a folder; `done/`, `failed/` and the
    /// watcher's own `.dangan-watch/` are created in it. Refused when another watcher holds it.
    pub fn new(dir: impl AsRef<Path>, opts: WatchOptions) -> Result<HotFolder> {
        let given = dir.as_ref();
        let meta = match std::fs::metadata(given) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::missing("watch-dir-missing").arg("path", given.display()));
            }
            Err(e) => return Err(io_error("watch-dir-unreadable", given, e)),
        };
        if !meta.is_dir() {
            return Err(Error::usage("watch-not-a-dir").arg("path", given.display()));
        }
        let dir = std::fs::canonicalize(given).map_err(|e| io_error("watch-dir-unreadable", given, e))?;
        if let Some(lib) = &opts.library {
            check_outside_library(&dir, lib)?;
        }
        for sub in [DONE, FAILED, STATE] {
            let p = dir.join(sub);
            std::fs::create_dir_all(&p).map_err(|e| io_error("watch-cannot-create", &p, e))?;
        }
        let taking = dir.join(STATE).join("taking");
        std::fs::create_dir_all(&taking).map_err(|e| io_error("watch-cannot-create", &taking, e))?;
        let lock_path = dir.join(STATE).join("lock");
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| io_error("watch-cannot-create", &lock_path, e))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(Error::conflict("watch-folder-busy").arg("path", dir.display()));
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(io_error("watch-cannot-create", &lock_path, e));
            }
        }
        let hot = HotFolder {
            dir,
            opts,
            seen: HashMap::new(),
            last_waiting: 0,
            library_checked: false,
            _lock: lock,
        };
        hot.forget_stale_notes();
        Ok(hot)
    }

    /// The folder watched (absolute).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn options(&self) -> &WatchOptions {
        &self.opts
    }

    /// Files seen and not yet taken because they are still changing (or not yet unchanged for
    /// the settle time). Files left after an error are not counted: `--once` stops when this
    /// is 0.
    pub fn waiting(&self) -> usize {
        self.seen.values().filter(|s| s.error.is_none()).count()
    }

    /// Files left in the folder after an error (said by a [`WatchEvent::Retry`]); each look
    /// tries them again.
    pub fn left(&self) -> usize {
        self.seen.values().filter(|s| s.error.is_some()).count()
    }

    /// When the next settling file will have been unchanged long enough (to wake up then).
    pub fn next_due(&self) -> Option<Duration> {
        let now = Instant::now();
        self.seen
            .values()
            .filter(|s| s.error.is_none())
            .map(|s| (s.since + self.opts.settle).saturating_duration_since(now))
            .min()
    }

    /// One look at the folder; returns what happened to each file.
    pub fn poll(&mut self, session: &mut Session) -> Result<Vec<WatchEvent>> {
        let mut out = Vec::new();
        self.poll_each(session, |e| {
            out.push(e.clone());
            true
        })?;
        Ok(out)
    }

    /// One look at the folder, telling each event as it happens; `on_event` returning `false`
    /// stops after the current file (Ctrl-C, the app closing): the rest stay for next time.
    pub fn poll_each(
        &mut self,
        session: &mut Session,
        mut on_event: impl FnMut(&WatchEvent) -> bool,
    ) -> Result<()> {
        session.require(Permission::WriteDossiers)?;
        session.require_write_access()?;
        if !self.library_checked {
            check_outside_library(&self.dir, session.library().root())?;
            self.library_checked = true;
        }
        let ready = self.look()?;
        if !ready.is_empty() {
            let settings = store::scans::settings(session.lib.db.conn())?;
            let limits = session.scan_limits();
            let stop = AtomicBool::new(false);
            let mut go_on = true;
            std::thread::scope(|scope| {
                let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, Result<Analysed>)>(1);
                let (stop, ready, settings2) = (&stop, &ready, settings.clone());
                scope.spawn(move || {
                    for (i, (_, path, _)) in ready.iter().enumerate() {
                        if stop.load(Ordering::Relaxed) {
                            break;
                        }
                        if tx.send((i, analyse_path(path, &limits, &settings2))).is_err() {
                            break;
                        }
                    }
                });
                for (i, analysed) in rx {
                    let (name, path, stamp) = &ready[i];
                    if let Some(e) = self.take(session, name, path, *stamp, analysed, &settings)
                        && !on_event(&e)
                    {
                        go_on = false;
                        stop.store(true, Ordering::Relaxed);
                        break;
                    }
                }
            });
            if !go_on {
                return Ok(());
            }
        }
        let waiting = self.waiting();
        if waiting != self.last_waiting {
            self.last_waiting = waiting;
            on_event(&WatchEvent::Waiting { count: waiting });
        }
        Ok(())
    }

    /// Lists the folder, updates what is settling and returns the files to take now, by name.
    fn look(&mut self) -> Result<Vec<(OsString, PathBuf, Stamp)>> {
        let entries =
            std::fs::read_dir(&self.dir).map_err(|e| io_error("watch-dir-unreadable", &self.dir, e))?;
        let now = Instant::now();
        let mut present = Vec::new();
        let mut ready = Vec::new();
        for entry in entries.flatten() {
            let name = entry.file_name();
            if !candidate(&name) {
                continue;
            }
            // Not followed: a link, a folder or a device is not the scanner's file.
            let Ok(meta) = entry.path().symlink_metadata() else { continue };
            if !meta.file_type().is_file() {
                continue;
            }
            let stamp = Stamp { len: meta.len(), modified: meta.modified().ok() };
            present.push(name.clone());
            let seen = self.seen.entry(name.clone()).or_insert(Seen {
                stamp,
                since: now,
                error: None,
                failed_at: None,
            });
            if seen.stamp != stamp {
                *seen = Seen { stamp, since: now, error: None, failed_at: None };
            }
            let resting = seen.failed_at.is_some_and(|t| now.duration_since(t) < RETRY_EVERY);
            if now.duration_since(seen.since) >= self.opts.settle && !resting {
                ready.push((name.clone(), self.dir.join(&name), stamp));
            }
        }
        self.seen.retain(|name, _| present.contains(name));
        // Oldest name first: scanners number their files.
        ready.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(ready)
    }

    /// Takes one settled file: imports it and moves it. `None`: nothing to say (it vanished,
    /// or changed after all and waits again, or an error already said).
    fn take(
        &mut self,
        session: &mut Session,
        name: &OsString,
        path: &Path,
        stamp: Stamp,
        analysed: Result<Analysed>,
        settings: &crate::model::scans::ScanSettings,
    ) -> Option<WatchEvent> {
        let a = match analysed {
            Ok(a) => a,
            Err(e) => return self.retry(name, path, e),
        };
        // Read whole? A scanner that paused longer than the settle time and wrote on.
        match path.symlink_metadata() {
            Ok(m) if Stamp { len: m.len(), modified: m.modified().ok() } == stamp => {}
            Ok(_) => {
                if let Some(s) = self.seen.get_mut(name) {
                    s.since = Instant::now();
                    s.stamp = Stamp { len: 0, modified: None };
                }
                return None;
            }
            Err(_) => {
                self.seen.remove(name);
                return None;
            }
        }
        let note = self.dir.join(STATE).join("taking").join(&a.sha256);
        let storable = a.result.is_ok() && !a.sha256.is_empty();
        // A note left by an earlier run for this very name: that run imported it, or was about
        // to. (Read before this run writes its own.)
        let ours = storable && note_names(&note, name);
        if storable && let Err(e) = write_note(&note, name) {
            return self.retry(name, path, io_error("watch-cannot-create", &note, e));
        }
        let report = match session.store_analysed(a, ImportOrigin::Watch, settings) {
            Ok(r) => r,
            // Not written (or written and not published: the note stays, so the next look
            // finds it again as the watcher's own file).
            Err(e) => return self.retry(name, path, e),
        };
        crate::core::index::fault("watch-imported-before-move");
        let (to_done, recovered) = match report.outcome {
            FileOutcome::Imported => (true, false),
            FileOutcome::Duplicate if report.seen_before && ours => (true, true),
            FileOutcome::Duplicate | FileOutcome::Refused => (false, false),
        };
        let event = if to_done {
            match move_into(path, &self.dir.join(DONE), name, None) {
                Ok(moved_to) => WatchEvent::Imported { report, moved_to, recovered },
                Err(e) => return self.retry(name, path, e),
            }
        } else {
            let reason = match &self.opts.describe {
                Some(d) => d(&report),
                None => plain_reason(&report),
            };
            match move_into(path, &self.dir.join(FAILED), name, Some((&reason, &report))) {
                Ok(moved_to) => WatchEvent::Failed { report, moved_to, reason },
                Err(e) => return self.retry(name, path, e),
            }
        };
        if storable {
            let _ = std::fs::remove_file(&note);
        }
        self.seen.remove(name);
        Some(event)
    }

    /// Leaves a file for the next look; says so once per new error. A file that vanished is
    /// simply forgotten.
    fn retry(&mut self, name: &OsString, path: &Path, e: Error) -> Option<WatchEvent> {
        if !path.exists() {
            self.seen.remove(name);
            return None;
        }
        let text = e.to_string();
        let seen = self.seen.get_mut(name)?;
        seen.failed_at = Some(Instant::now());
        if seen.error.as_deref() == Some(text.as_str()) {
            return None;
        }
        tracing::warn!("hot folder: {} left for the next look: {text}", path.display());
        seen.error = Some(text);
        Some(WatchEvent::Retry { path: path.to_path_buf(), error: Arc::new(e) })
    }

    /// Notes of files no longer in the folder (moved, then killed before the note went) are
    /// forgotten, so that the same bytes dropped again later are not taken for our own.
    fn forget_stale_notes(&self) {
        let Ok(entries) = std::fs::read_dir(self.dir.join(STATE).join("taking")) else { return };
        for e in entries.flatten() {
            let keep = std::fs::read(e.path())
                .ok()
                .and_then(|n| String::from_utf8(n).ok())
                .is_some_and(|n| !n.is_empty() && !n.contains(['/', '\\']) && self.dir.join(&n).is_file());
            if !keep {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
}

/// A name the watcher takes: not hidden, not a partial download or an editor's backup, not
/// the system's folder files.
fn candidate(name: &std::ffi::OsStr) -> bool {
    let n = name.to_string_lossy().to_lowercase();
    let partial = [".part", ".tmp", "~", ".crdownload", ".partial", ".download", ".filepart"];
    !(n.starts_with('.')
        || n.starts_with("~$")
        || partial.iter().any(|p| n.ends_with(p))
        || n == "thumbs.db"
        || n == "desktop.ini"
        || n == DONE
        || n == FAILED)
}

fn check_outside_library(dir: &Path, library: &Path) -> Result<()> {
    let lib = std::fs::canonicalize(library).unwrap_or_else(|_| library.to_path_buf());
    if dir.starts_with(&lib) {
        return Err(Error::usage("watch-dir-in-library")
            .arg("path", dir.display())
            .arg("library", lib.display()));
    }
    Ok(())
}

/// A failure of the disk on a path, said with what to do (`watch-…` keys take `$path` and
/// `$detail`).
fn io_error(key: &'static str, path: &Path, e: std::io::Error) -> Error {
    Error::failed(key).arg("path", path.display()).arg("detail", e)
}

fn write_note(note: &Path, name: &OsString) -> std::io::Result<()> {
    let mut f = std::fs::File::create(note)?;
    f.write_all(name.to_string_lossy().as_bytes())?;
    f.sync_all()
}

/// The note was written for this very name (by this watcher, before a crash).
fn note_names(note: &Path, name: &OsString) -> bool {
    std::fs::read(note).is_ok_and(|n| n == name.to_string_lossy().as_bytes())
}

/// The reason without a language: its code and details.
fn plain_reason(r: &FileReport) -> String {
    let mut s = r.reason.clone().unwrap_or_else(|| "refused".into());
    for (k, v) in &r.details {
        s.push_str(&format!("\n{k}: {v}"));
    }
    s
}

/// `name`, or `stem (2).ext`, `stem (3).ext` … : the first name not taken in `folder`.
fn free_name(folder: &Path, name: &OsString) -> PathBuf {
    let first = folder.join(name);
    if first.symlink_metadata().is_err() {
        return first;
    }
    let p = Path::new(name);
    let stem = p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let ext = p.extension().map(|e| format!(".{}", e.to_string_lossy())).unwrap_or_default();
    (2u32..)
        .map(|n| folder.join(format!("{stem} ({n}){ext}")))
        .find(|c| c.symlink_metadata().is_err())
        .unwrap_or(first)
}

/// Moves `path` into `folder` under a name not taken there (never overwriting), with the
/// reason files first when given (so a crash between leaves the file in DIR, taken again).
fn move_into(
    path: &Path,
    folder: &Path,
    name: &OsString,
    reason: Option<(&str, &FileReport)>,
) -> Result<PathBuf> {
    std::fs::create_dir_all(folder).map_err(|e| io_error("watch-cannot-create", folder, e))?;
    let to = free_name(folder, name);
    if let Some((text, report)) = reason {
        let base = to.as_os_str().to_owned();
        let mut txt = base.clone();
        txt.push(".reason.txt");
        let mut json = base;
        json.push(".reason.json");
        let mut body = text.to_string();
        body.push('\n');
        std::fs::write(&txt, body).map_err(|e| io_error("watch-cannot-write", Path::new(&txt), e))?;
        let j = serde_json::to_string_pretty(report).unwrap_or_default();
        std::fs::write(&json, j).map_err(|e| io_error("watch-cannot-write", Path::new(&json), e))?;
    }
    std::fs::rename(path, &to).map_err(|e| io_error("watch-cannot-move", path, e))?;
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_and_hidden_names_are_not_taken() {
        for n in ["scan.pdf.part", ".scan.pdf", "scan.TMP", "scan.pdf~", "~$scan.docx", "Thumbs.db", "done"] {
            assert!(!candidate(std::ffi::OsStr::new(n)), "{n}");
        }
        for n in ["scan.pdf", "IMG_0001.JPG", "扫描 1.tif"] {
            assert!(candidate(std::ffi::OsStr::new(n)), "{n}");
        }
    }

    #[test]
    fn a_name_taken_in_done_gets_a_number() {
        let t = tempfile::tempdir().unwrap();
        let n = OsString::from("a.png");
        assert_eq!(free_name(t.path(), &n), t.path().join("a.png"));
        std::fs::write(t.path().join("a.png"), b"x").unwrap();
        assert_eq!(free_name(t.path(), &n), t.path().join("a (2).png"));
        std::fs::write(t.path().join("a (2).png"), b"x").unwrap();
        assert_eq!(free_name(t.path(), &n), t.path().join("a (3).png"));
    }
}
