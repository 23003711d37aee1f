//! What the desktop app feels like at this size: building the first screens, search as you
//! type (every prefix of real names, as the list would ask for them), and — when a display and
//! xdotool are there — the time from starting the program to its first window.

use std::path::Path;
use std::time::{Duration, Instant};

use serde::Serialize;

use super::{Percentiles, ms};
use crate::core::Session;
use crate::core::index::SearchQuery;
use crate::gui::{App, prefs::Prefs};
use crate::model::error::Result;

#[derive(Debug, Serialize)]
pub struct GuiBench {
    /// The app's state for a library and its first view (the login screen), milliseconds.
    pub first_view_ms: f64,
    /// One search per keystroke (each prefix of 20 real names), 50 results as the list shows
    /// them, milliseconds. The app waits this long after the last key before asking:
    pub search_as_you_type_ms: Percentiles,
    pub debounce_ms: f64,
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
    Ok(GuiBench {
        first_view_ms,
        search_as_you_type_ms: Percentiles::of(typing),
        debounce_ms: crate::gui::dossiers::DEBOUNCE.as_secs_f64() * 1e3,
        first_window_ms: first_window(root),
    })
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
