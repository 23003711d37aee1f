//! `scan watch DIR`: the scanner's hot folder ([`crate::core::scans::watch`]). Native file
//! events (inotify, …) wake the loop early; a look every `--poll` seconds is the fallback (a
//! network folder sends no events, and some systems give no watcher). One line per file, as
//! text or, with `--json`, one JSON object per line. Ctrl-C or SIGTERM: the current file is
//! finished, then it exits 0. `--once`: takes what is there, waits for what is still being
//! written, then exits (4 when some file went to `failed/`).

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::Ctx;
use super::scans::WatchArgs;
use crate::core::Access;
use crate::core::scans::watch::{Describe, FAILED};
use crate::core::scans::{HotFolder, WatchEvent, WatchOptions};
use crate::model::ErrorKind;
use crate::model::error::Error;
use crate::model::scans::FileReport;

/// How often a wait checks for Ctrl-C.
const TICK: Duration = Duration::from_millis(100);

pub fn run(ctx: &Ctx, a: WatchArgs) -> anyhow::Result<()> {
    let settle = seconds(a.settle, "--settle")?;
    let poll = seconds(a.poll, "--poll")?.max(Duration::from_millis(100));

    // Logged in first: Ctrl-C at the password prompt still ends the program at once.
    let mut session = ctx.session(Access::Write)?;
    // Ctrl-C or SIGTERM: finish the current file, then stop. A second one ends it at once
    // (exit 1; a file being taken stays in the folder and is taken at the next start).
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register_conditional_shutdown(sig, 1, Arc::clone(&stop))
            .and_then(|_| signal_hook::flag::register(sig, Arc::clone(&stop)))
            .map_err(|e| Error::io(format!("cannot handle signal {sig}"), e))?;
    }
    // Said in the user's language; a bundle of its own, made only for a file that failed.
    let language = ctx.tr.language;
    let describe: Describe = Arc::new(move |r: &FileReport| {
        let mut r = r.clone();
        r.path = file_name(&r.path);
        if let Some(at) = r.details.get_mut("imported_at") {
            *at = crate::i18n::local_time(at);
        }
        super::scans::refusal_text(&crate::i18n::Tr::new(language), &r)
    });
    let mut hot = HotFolder::new(
        &a.dir,
        WatchOptions {
            settle,
            describe: Some(describe),
            library: Some(session.library().root().to_path_buf()),
        },
    )?;
    let dir = hot.dir().to_path_buf();
    let secs = |d: Duration| format!("{}", d.as_secs_f64());

    // File events wake the loop; without them it looks every `poll`.
    let (wake_tx, wake) = std::sync::mpsc::channel::<()>();
    let watcher = {
        use notify::Watcher;
        notify::recommended_watcher(move |_: notify::Result<notify::Event>| {
            let _ = wake_tx.send(());
        })
        .and_then(|mut w| w.watch(&dir, notify::RecursiveMode::NonRecursive).map(|()| w))
    };
    let _watcher = match watcher {
        Ok(w) => Some(w),
        Err(e) => {
            ctx.out.note(
                ctx.tr.ta("cli-watch-polling-only", &[("detail", &e.to_string()), ("poll", &secs(poll))]),
            );
            None
        }
    };
    if !a.once {
        ctx.out.note(
            ctx.tr
                .ta("cli-watch-started", &[("path", &dir.display().to_string()), ("settle", &secs(settle))]),
        );
    }

    let (mut total, mut failed) = (0usize, 0usize);
    let mut last_error: Option<String> = None;
    loop {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        while wake.try_recv().is_ok() {}
        let looked = hot.poll_each(&mut session, |e| {
            match e {
                WatchEvent::Imported { .. } => total += 1,
                WatchEvent::Failed { .. } => {
                    total += 1;
                    failed += 1;
                }
                _ => {}
            }
            say(ctx, e, settle);
            let go_on = !stop.load(Ordering::Relaxed);
            if !go_on {
                ctx.out.note(ctx.tr.t("cli-watch-stopping"));
            }
            go_on
        });
        match looked {
            Ok(()) => last_error = None,
            // Not allowed, or the library is read-only: no use looking again.
            Err(e) if a.once || matches!(e.kind(), ErrorKind::Denied | ErrorKind::Usage) => {
                return Err(e.into());
            }
            // The folder went away (a network share dropped) or the database is busy: say it
            // once, look again later.
            Err(e) => {
                let text = ctx.tr.error_cli(&e);
                if last_error.as_deref() != Some(text.as_str()) {
                    ctx.out.note(&text);
                    last_error = Some(text);
                }
            }
        }
        if a.once && hot.waiting() == 0 {
            break;
        }
        // Sleep until the poll interval, a settling file's due time, a file event or Ctrl-C.
        let wait = hot.next_due().map_or(poll, |d| d.min(poll));
        let until = Instant::now() + wait;
        while !stop.load(Ordering::Relaxed) {
            let now = Instant::now();
            if now >= until {
                break;
            }
            match wake.recv_timeout(TICK.min(until - now)) {
                Ok(()) => {
                    // Let a burst of events pass before looking.
                    std::thread::sleep(Duration::from_millis(50));
                    break;
                }
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                    // The watcher is gone: polling only.
                    std::thread::sleep(TICK.min(until - now));
                }
            }
        }
    }
    if !a.once {
        ctx.out.note(ctx.tr.ta("cli-watch-stopped", &[("path", &hot.dir().display().to_string())]));
    }
    if a.once && hot.left() > 0 && !stop.load(Ordering::Relaxed) {
        return Err(Error::failed("watch-some-left")
            .arg("count", hot.left())
            .arg("path", hot.dir().display())
            .into());
    }
    if a.once && failed > 0 && !stop.load(Ordering::Relaxed) {
        return Err(Error::conflict("watch-some-failed")
            .arg("count", failed)
            .arg("total", total)
            .arg("path", hot.dir().join(FAILED).display())
            .into());
    }
    Ok(())
}

fn seconds(s: f64, flag: &str) -> anyhow::Result<Duration> {
    if !(0.0..=86_400.0).contains(&s) {
        return Err(Error::invalid(format!("{flag} must be between 0 and 86400 seconds (got {s})")).into());
    }
    Ok(Duration::from_secs_f64(s))
}

fn file_name(path: &str) -> String {
    Path::new(path).file_name().map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned())
}

/// One line per file (a JSON object per line with `--json`); waiting files and retries on
/// stderr as notes.
fn say(ctx: &Ctx, e: &WatchEvent, settle: Duration) {
    let tr = &ctx.tr;
    if ctx.out.json {
        let v = match e {
            WatchEvent::Imported { report, moved_to, recovered } => serde_json::json!({
                "event": "imported", "recovered": recovered, "moved_to": moved_to, "report": report,
            }),
            WatchEvent::Failed { report, moved_to, reason } => serde_json::json!({
                "event": "failed", "moved_to": moved_to, "reason": reason, "report": report,
            }),
            WatchEvent::Retry { path, error } => serde_json::json!({
                "event": "retry", "path": path, "error": tr.error_cli(error),
            }),
            WatchEvent::Waiting { count } => serde_json::json!({ "event": "waiting", "count": count }),
        };
        println!("{v}");
        return;
    }
    match e {
        WatchEvent::Imported { report, moved_to, recovered } => {
            let name = file_name(&report.path);
            let moved = moved_to.display().to_string();
            let line = if *recovered {
                tr.ta("cli-watch-recovered", &[("name", &name), ("moved", &moved)])
            } else {
                tr.ta(
                    "cli-watch-imported",
                    &[
                        ("name", &name),
                        ("pages", &report.pages.len().to_string()),
                        ("filed", &report.filed().to_string()),
                        ("inbox", &report.inbox().to_string()),
                        ("blank", &report.blank().to_string()),
                        ("covers", &report.covers().to_string()),
                        ("moved", &moved),
                    ],
                )
            };
            println!("{}", tr_line(&line));
        }
        WatchEvent::Failed { report, moved_to, reason } => {
            let line = tr.ta(
                "cli-watch-failed",
                &[
                    ("name", &file_name(&report.path)),
                    ("moved", &moved_to.display().to_string()),
                    ("reason", reason),
                ],
            );
            println!("{}", tr_line(&line));
        }
        WatchEvent::Retry { path, error } => ctx.out.note(tr.ta(
            "cli-watch-retry",
            &[("name", &file_name(&path.display().to_string())), ("error", &tr.error_cli(error))],
        )),
        WatchEvent::Waiting { count } if *count > 0 => ctx.out.note(tr.ta(
            "cli-watch-waiting",
            &[("count", &count.to_string()), ("settle", &format!("{}", settle.as_secs_f64()))],
        )),
        WatchEvent::Waiting { .. } => {}
    }
}

/// One line: a reason's own line breaks folded.
fn tr_line(s: &str) -> String {
    crate::cli::output::escape_unprintable(&s.replace('\n', " "))
}
