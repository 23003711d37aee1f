//! What the desktop app feels like at this size: building the first screens, search as you
//! type (every prefix of real names, as the list would ask for them), keys typed → results
//! shown through the app's own messages, and — when a display and xdotool are there — the time
//! from starting the program to its first window.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use iced::Task;
use iced::futures::StreamExt;

use serde::Serialize;

use super::{Percentiles, ms};
use crate::core::index::SearchQuery;
use crate::core::{Access, Library, Session};
use crate::gui::backend::Backend;
use crate::gui::shell::{self, Shell};
use crate::gui::{App, Message, Screen, dossiers, prefs::Prefs};
use crate::model::error::Result;

#[derive(Debug, Serialize)]
pub struct GuiBench {
    /// The app's state for a library and its first view (the login screen), milliseconds.
    pub first_view_ms: f64,
    /// One search per keystroke (each prefix of 20 real names), 50 results as the list shows
    /// them, milliseconds. The app waits this long after the last key before asking:
    pub search_as_you_type_ms: Percentiles,
    pub debounce_ms: f64,
    /// Words typed into the search box one key at a time (full pinyin of names, ID numbers,
    /// phones) at a steady pace, through the app's own `update` and tasks (debounce, abort of
    /// the older request, search on a worker, the answer back in `update`): from the last key
    /// to that word's results being in the list's state, ms, by milliseconds between keys.
    pub keys_to_results_ms: BTreeMap<String, Percentiles>,
    /// From starting `dangan` to its window on screen (needs DISPLAY and xdotool), ms.
    pub first_window_ms: Option<f64>,
}

pub fn measure(root: &Path, s: &mut Session, seed: u64) -> Result<GuiBench> {
    let t = Instant::now();
    let app = App::new(root.to_path_buf(), Prefs::default());
    drop(app.view());
    let first_view_ms = ms(t.elapsed());
    drop(app);

    let mut names = Vec::new();
    for d in s.library().sample_dossiers(20, seed ^ 0x6A1)? {
        names.push(s.dossier(&d)?.customer.name);
    }
    let mut typing = Vec::new();
    for name in &names {
        let chars: Vec<char> = name.chars().collect();
        for n in 1..=chars.len().min(6) {
            let prefix: String = chars[..n].iter().collect();
            let t = Instant::now();
            s.search(&SearchQuery { text: prefix, limit: crate::gui::dossiers::PAGE, ..Default::default() })?;
            typing.push(ms(t.elapsed()));
        }
    }
    let mut words = Vec::new();
    for d in s.library().sample_dossiers(8, seed ^ 0x7E9)? {
        let c = s.dossier(&d)?.customer;
        let n = crate::search::analysis::normalize(&c.name);
        if crate::search::analysis::is_person_name(&n) {
            let mut py = Vec::new();
            crate::search::analysis::pinyin_tokens(&n, &mut py);
            words.extend(py.into_iter().next());
        }
        words.extend(c.id_number.clone());
        words.extend(c.phones.first().cloned());
    }
    let mut keys_to_results_ms = BTreeMap::new();
    for gap in [30, 120] {
        let times = keys_to_results(root, &words, Duration::from_millis(gap))?;
        keys_to_results_ms.insert(format!("{gap}ms_between_keys"), Percentiles::of(times));
    }
    Ok(GuiBench {
        first_view_ms,
        search_as_you_type_ms: Percentiles::of(typing),
        debounce_ms: crate::gui::dossiers::DEBOUNCE.as_secs_f64() * 1e3,
        keys_to_results_ms,
        first_window_ms: first_window(root),
    })
}

/// Runs the app's tasks as iced's runtime would: each on its own thread, their messages back
/// through a channel to the one thread that calls `update`.
struct Runtime {
    send: mpsc::Sender<Message>,
    receive: mpsc::Receiver<Message>,
}

impl Runtime {
    fn new() -> Runtime {
        let (send, receive) = mpsc::channel();
        Runtime { send, receive }
    }

    fn spawn(&self, task: Task<Message>) {
        let Some(stream) = iced_runtime::task::into_stream(task) else { return };
        let send = self.send.clone();
        std::thread::spawn(move || {
            iced::futures::executor::block_on(stream.for_each(|action| {
                if let iced_runtime::Action::Output(m) = action {
                    let _ = send.send(m);
                }
                std::future::ready(())
            }))
        });
    }

    /// Feeds messages to `update` until `until`, or until `done` holds after one of them.
    fn pump(&self, app: &mut App, until: Instant, done: impl Fn(&App) -> bool) -> bool {
        loop {
            if done(app) {
                return true;
            }
            let Some(left) = until.checked_duration_since(Instant::now()) else { return false };
            match self.receive.recv_timeout(left) {
                Ok(m) => {
                    let t = app.update(m);
                    self.spawn(t);
                }
                Err(mpsc::RecvTimeoutError::Timeout) => return done(app),
                Err(mpsc::RecvTimeoutError::Disconnected) => return false,
            }
        }
    }
}

fn list(app: &App) -> Option<&dossiers::Dossiers> {
    match &app.screen {
        Screen::Main(s) => Some(&s.dossiers),
        _ => None,
    }
}

/// Types each word into the app's search box, `gap` between keys; returns for each word the
/// milliseconds from its last key until its results are in the list's state.
fn keys_to_results(root: &Path, words: &[String], gap: Duration) -> Result<Vec<f64>> {
    let session = Library::open(root, Access::Read)?.login("admin", super::PASSWORD, "bench")?;
    let mut app = App::new(root.to_path_buf(), Prefs::default());
    let (shell, task) = Shell::new(Backend::new(session, app.tr.language), root.to_path_buf(), &app.tr);
    app.screen = Screen::Main(Box::new(shell));
    let rt = Runtime::new();
    rt.spawn(task.map(Message::Main));
    // Logged in: the list and the searcher are there.
    let ready = |a: &App| list(a).is_some_and(|d| d.has_searcher() && !d.searching);
    if !rt.pump(&mut app, Instant::now() + Duration::from_secs(60), ready) {
        return Err(crate::model::error::Error::refused("the app did not get ready to search within 60 s"));
    }
    let query = |text: &str| Message::Main(shell::Message::Dossiers(dossiers::Message::Query(text.into())));
    let mut out = Vec::new();
    for word in words {
        let chars: Vec<char> = word.chars().collect();
        for n in 1..=chars.len() {
            let t = app.update(query(&chars[..n].iter().collect::<String>()));
            rt.spawn(t);
            if n < chars.len() {
                rt.pump(&mut app, Instant::now() + gap, |_| false);
            }
        }
        let last_key = Instant::now();
        let shown = |a: &App| list(a).is_some_and(|d| d.shown_query == *word && !d.searching);
        if rt.pump(&mut app, last_key + Duration::from_secs(10), shown) {
            out.push(ms(last_key.elapsed()));
        }
        // Clear the box and let the plain list come back before the next word.
        let t = app.update(query(""));
        rt.spawn(t);
        rt.pump(&mut app, Instant::now() + Duration::from_secs(5), |a| list(a).is_some_and(|d| !d.searching));
    }
    Ok(out)
}

/// Starts the program on the library and waits for its window (X11 with xdotool only).
fn first_window(root: &Path) -> Option<f64> {
    std::env::var_os("DISPLAY")?;
    let windows = || -> Option<Vec<String>> {
        let out = std::process::Command::new("xdotool")
            .args(["search", "--onlyvisible", "--class", "dangan"])
            .output()
            .ok()?;
        Some(String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).collect())
    };
    // Windows of other Dangan instances on this display are not ours.
    let before = windows()?;
    let exe = std::env::current_exe().ok()?;
    let prefs = std::env::temp_dir().join(format!("dangan-bench-prefs-{}.json", std::process::id()));
    let t = Instant::now();
    let mut child = std::process::Command::new(exe)
        .arg("--library")
        .arg(root)
        .env("DANGAN_GUI_PREFS", &prefs)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .ok()?;
    let mut found = None;
    while t.elapsed() < Duration::from_secs(30) {
        if windows()?.iter().any(|w| !before.contains(w)) {
            found = Some(ms(t.elapsed()));
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_file(prefs);
    found
}
