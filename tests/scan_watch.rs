//! `scan watch DIR`, the scanner's hot folder, through the real binary: files are taken once
//! whole, imported once, moved to done/ or failed/ (with a reason in the user's language), and
//! a watcher killed anywhere loses no file and imports none twice when it starts again.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod util;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use util::{ADMIN_PW, Lib};

/// A scanned-looking page, different for each `seed`.
fn png(seed: u32, w: u32, h: u32) -> Vec<u8> {
    let img = image::GrayImage::from_fn(w, h, |x, y| {
        let ink =
            (x / 7 + y / 11 + seed).is_multiple_of(13) || (x * 31 + y * 17 + seed * 101).is_multiple_of(97);
        image::Luma([if ink { 20 } else { 245 }])
    });
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png).expect("png");
    out
}

fn jpeg(seed: u32) -> Vec<u8> {
    let img = image::GrayImage::from_fn(600, 800, |x, y| image::Luma([((x * 3 + y * 5 + seed) % 251) as u8]));
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85).encode_image(&img).expect("jpeg");
    out
}

/// The hot folder, beside (not inside) the library.
fn hot(lib: &Lib) -> PathBuf {
    let d = lib.dir.path().join("hot");
    std::fs::create_dir_all(&d).expect("hot dir");
    d
}

/// The scanner's files still in the folder (not done/, failed/ or the watcher's own).
fn waiting_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("read hot")
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    v.sort();
    v
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|r| r.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

fn watch_args<'a>(dir: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec!["scan", "watch", dir];
    a.extend_from_slice(extra);
    a
}

/// `scan watch DIR --once` as admin.
fn once(lib: &Lib, dir: &Path, extra: &[&str], envs: &[(&str, &str)]) -> util::Run {
    let d = dir.to_str().expect("utf-8");
    let mut a = watch_args(d, &["--once", "--settle", "0.3", "--poll", "0.1"]);
    a.extend_from_slice(extra);
    let mut all = vec![("DANGAN_USER", "admin"), ("DANGAN_PASSWORD", ADMIN_PW)];
    all.extend_from_slice(envs);
    lib.run_env(&a, &all)
}

/// A watcher running until told to stop; its output goes to files beside the library.
fn spawn(lib: &Lib, dir: &Path, extra: &[&str]) -> Child {
    let d = dir.to_str().expect("utf-8");
    let mut c = util::command();
    c.args(["--library", lib.p()]).args(watch_args(d, extra));
    c.env("DANGAN_USER", "admin").env("DANGAN_PASSWORD", ADMIN_PW);
    let out = std::fs::File::create(lib.dir.path().join("watch.out")).expect("out");
    let err = std::fs::File::create(lib.dir.path().join("watch.err")).expect("err");
    c.stdout(Stdio::from(out)).stderr(Stdio::from(err));
    c.spawn().expect("spawn dangan scan watch")
}

fn signal(child: &Child, sig: &str) {
    let ok = std::process::Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .expect("kill")
        .success();
    assert!(ok, "kill {sig}");
}

/// Waits for `cond` (a liveness guard, not a timing check: the limit is generous).
fn wait_for(what: &str, mut cond: impl FnMut() -> bool) {
    let until = Instant::now() + Duration::from_secs(60);
    while !cond() {
        assert!(Instant::now() < until, "gave up waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Waits for the process to end; it must not hang.
fn exit_code(mut child: Child, lib: &Lib) -> i32 {
    let until = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(s) = child.try_wait().expect("try_wait") {
            return s.code().unwrap_or(-1);
        }
        if Instant::now() > until {
            let _ = child.kill();
            panic!(
                "scan watch did not exit\nstderr: {}",
                std::fs::read_to_string(lib.dir.path().join("watch.err")).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn stored_files(lib: &Lib) -> i64 {
    lib.count("SELECT count(*) FROM files")
}

fn verify_clean(lib: &Lib) {
    let v = lib.admin(&["verify"]);
    assert_eq!(v.code, 0, "verify after the watcher\nstdout: {}\nstderr: {}", v.stdout, v.stderr);
}

#[test]
fn dropped_files_are_imported_once_and_moved_to_done() {
    let lib = Lib::new();
    let dir = hot(&lib);
    std::fs::write(dir.join("scan-001.png"), png(1, 300, 400)).unwrap();
    std::fs::write(dir.join("scan-002.png"), png(2, 300, 400)).unwrap();
    std::fs::write(dir.join("scan-003.jpg"), jpeg(3)).unwrap();
    // Partial and hidden names are the scanner's business, not ours.
    std::fs::write(dir.join("scan-004.png.part"), b"half").unwrap();
    std::fs::write(dir.join(".scan-005.png"), png(5, 50, 50)).unwrap();

    let r = once(&lib, &dir, &["--json"], &[]);
    r.ok();
    let lines: Vec<serde_json::Value> =
        r.stdout.lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect();
    let imported = lines.iter().filter(|v| v["event"] == "imported").count();
    assert_eq!(imported, 3, "{}", r.stdout);
    assert_eq!(names(&dir.join("done")), ["scan-001.png", "scan-002.png", "scan-003.jpg"]);
    assert_eq!(waiting_in(&dir), ["scan-004.png.part"]);
    assert!(names(&dir.join("failed")).is_empty());
    assert_eq!(stored_files(&lib), 3);
    assert_eq!(
        lib.count("SELECT count(*) FROM files WHERE origin = 'watch' AND source_path LIKE '%scan-00%'"),
        3
    );
    let inbox = lib.json(&["scan", "inbox"]);
    assert_eq!(inbox["total"], 3, "{inbox}");
    verify_clean(&lib);
}

#[test]
fn a_file_still_being_written_is_not_taken_before_it_is_whole() {
    let lib = Lib::new();
    let dir = hot(&lib);
    let bytes = png(7, 900, 1200);
    let child = spawn(&lib, &dir, &["--settle", "1", "--poll", "0.2", "--json"]);
    // A slow scanner: twelve bursts over three seconds.
    let path = dir.join("slow.png");
    let writer = {
        let (path, bytes) = (path.clone(), bytes.clone());
        std::thread::spawn(move || {
            let mut f = std::fs::File::create(&path).expect("create");
            for chunk in bytes.chunks(bytes.len().div_ceil(12)) {
                f.write_all(chunk).expect("write");
                f.flush().expect("flush");
                std::thread::sleep(Duration::from_millis(250));
            }
        })
    };
    writer.join().expect("writer");
    wait_for("slow.png in done/", || {
        dir.join("done/slow.png").exists() || !names(&dir.join("failed")).is_empty()
    });
    signal(&child, "-TERM");
    assert_eq!(exit_code(child, &lib), 0);
    assert!(
        names(&dir.join("failed")).is_empty(),
        "a part of the file was taken: {:?}",
        names(&dir.join("failed"))
    );
    assert_eq!(std::fs::read(dir.join("done/slow.png")).unwrap(), bytes);
    assert_eq!(lib.count("SELECT size FROM files"), bytes.len() as i64);
    assert_eq!(stored_files(&lib), 1);
}

#[test]
fn zero_byte_and_truncated_files_go_to_failed_with_the_reason_in_the_users_language() {
    for (lang, empty, cut) in [("en", "empty (0 bytes)", "cut short"), ("zh-CN", "文件是空的", "不完整")]
    {
        let lib = Lib::new();
        let dir = hot(&lib);
        std::fs::write(dir.join("zero.png"), b"").unwrap();
        let whole = jpeg(9);
        std::fs::write(dir.join("cut.jpg"), &whole[..whole.len() / 2]).unwrap();
        std::fs::write(dir.join("good.png"), png(9, 200, 300)).unwrap();

        let r = once(&lib, &dir, &["--lang", lang], &[]);
        assert_eq!(r.code, 4, "some file failed: exit 4\nstdout: {}\nstderr: {}", r.stdout, r.stderr);
        assert_eq!(names(&dir.join("done")), ["good.png"]);
        assert_eq!(
            names(&dir.join("failed")),
            [
                "cut.jpg",
                "cut.jpg.reason.json",
                "cut.jpg.reason.txt",
                "zero.png",
                "zero.png.reason.json",
                "zero.png.reason.txt"
            ]
        );
        let why = |n: &str| std::fs::read_to_string(dir.join("failed").join(n)).unwrap();
        assert!(why("zero.png.reason.txt").contains(empty), "{lang}: {}", why("zero.png.reason.txt"));
        assert!(why("cut.jpg.reason.txt").contains(cut), "{lang}: {}", why("cut.jpg.reason.txt"));
        let json: serde_json::Value = serde_json::from_str(&why("zero.png.reason.json")).unwrap();
        assert_eq!(json["reason"], "empty");
        assert_eq!(json["outcome"], "refused");
        assert!(waiting_in(&dir).is_empty());
        assert_eq!(stored_files(&lib), 1);
    }
}

#[test]
fn the_same_file_dropped_twice_goes_to_failed_the_second_time() {
    let lib = Lib::new();
    let dir = hot(&lib);
    let bytes = png(11, 300, 300);
    std::fs::write(dir.join("a.png"), &bytes).unwrap();
    once(&lib, &dir, &[], &[]).ok();
    assert_eq!(names(&dir.join("done")), ["a.png"]);

    // The clerk puts the same scan in again, under the same name.
    std::fs::write(dir.join("a.png"), &bytes).unwrap();
    let r = once(&lib, &dir, &["--lang", "en"], &[]);
    assert_eq!(r.code, 4, "stdout: {}\nstderr: {}", r.stdout, r.stderr);
    assert_eq!(names(&dir.join("done")), ["a.png"]);
    assert_eq!(names(&dir.join("failed")), ["a.png", "a.png.reason.json", "a.png.reason.txt"]);
    let why = std::fs::read_to_string(dir.join("failed/a.png.reason.txt")).unwrap();
    assert!(why.contains("already imported") || why.contains("was imported on"), "{why}");

    // And a third time: nothing in failed/ is overwritten.
    std::fs::write(dir.join("a.png"), &bytes).unwrap();
    assert_eq!(once(&lib, &dir, &[], &[]).code, 4);
    assert!(
        names(&dir.join("failed")).contains(&"a (2).png".to_string()),
        "{:?}",
        names(&dir.join("failed"))
    );
    assert_eq!(stored_files(&lib), 1);
    verify_clean(&lib);
}

#[test]
fn killed_at_each_fault_point_the_restarted_watcher_imports_each_file_exactly_once() {
    for point in [
        "scan-blob-half-written",
        "scan-blob-staged",
        "scan-staged-before-commit",
        "change-before-commit",
        "scan-committed-before-publish",
        "watch-imported-before-move",
    ] {
        let lib = Lib::new();
        let dir = hot(&lib);
        for i in 0..3 {
            std::fs::write(dir.join(format!("f{i}.png")), png(20 + i, 200, 260)).unwrap();
        }
        let r = once(&lib, &dir, &[], &[("DANGAN_FAULT", point)]);
        assert_ne!(r.code, 0, "{point}: the fault point was not reached\nstderr: {}", r.stderr);
        assert!(r.stderr.contains(point), "{point}: {}", r.stderr);
        assert!(!waiting_in(&dir).is_empty(), "{point}: the file being taken must still be there");

        let r = once(&lib, &dir, &[], &[]);
        assert_eq!(r.code, 0, "{point}: restart\nstdout: {}\nstderr: {}", r.stdout, r.stderr);
        assert_eq!(stored_files(&lib), 3, "{point}: each file once");
        assert_eq!(names(&dir.join("done")), ["f0.png", "f1.png", "f2.png"], "{point}");
        assert!(names(&dir.join("failed")).is_empty(), "{point}: {:?}", names(&dir.join("failed")));
        assert!(waiting_in(&dir).is_empty(), "{point}");
        assert_eq!(lib.count("SELECT count(*) FROM pages"), 3, "{point}");
        verify_clean(&lib);
    }
}

#[test]
fn sigkill_in_the_middle_of_a_batch_of_twenty_loses_none_and_imports_none_twice() {
    let lib = Lib::new();
    let dir = hot(&lib);
    let child = spawn(&lib, &dir, &["--settle", "0", "--poll", "0.1"]);
    for i in 0..20 {
        // Written under a partial name and renamed, as careful scanners do.
        let part = dir.join(format!("batch-{i:02}.png.part"));
        std::fs::write(&part, png(100 + i, 700, 900)).unwrap();
        std::fs::rename(&part, dir.join(format!("batch-{i:02}.png"))).unwrap();
    }
    wait_for("a few files done", || names(&dir.join("done")).len() >= 3);
    signal(&child, "-KILL");
    exit_code(child, &lib);
    let before = names(&dir.join("done")).len();

    let r = once(&lib, &dir, &[], &[]);
    assert_eq!(r.code, 0, "restart\nstdout: {}\nstderr: {}", r.stdout, r.stderr);
    assert!(waiting_in(&dir).is_empty(), "{:?}", waiting_in(&dir));
    assert_eq!(names(&dir.join("done")).len(), 20, "{before} were done before the kill");
    assert!(names(&dir.join("failed")).is_empty(), "{:?}", names(&dir.join("failed")));
    assert_eq!(stored_files(&lib), 20);
    assert_eq!(lib.count("SELECT count(DISTINCT sha256) FROM files"), 20);
    // Killed between a commit and the move of `audit.head` (the library's window, not the
    // watcher's), the file stays behind the log by design, as evidence for an admin: verify
    // names that and nothing else, and is clean once an admin has re-anchored it.
    let v = lib.admin(&["verify"]);
    if v.code != 0 {
        let problems: Vec<&str> = v.stdout.lines().filter(|l| l.trim_start().starts_with("- ")).collect();
        assert!(
            !problems.is_empty() && problems.iter().all(|p| p.contains("audit.head")),
            "verify after the kill:\n{}\n{}",
            v.stdout,
            v.stderr
        );
        lib.admin(&["audit", "anchor"]).ok();
    }
    verify_clean(&lib);
}

#[test]
fn sigterm_stops_the_watcher_with_exit_0_and_once_exits_on_an_empty_folder() {
    let lib = Lib::new();
    let dir = hot(&lib);
    once(&lib, &dir, &[], &[]).ok();

    let child = spawn(&lib, &dir, &["--poll", "30"]);
    wait_for("the watcher to start", || {
        std::fs::read_to_string(lib.dir.path().join("watch.err")).is_ok_and(|e| e.contains("Watching"))
    });
    // A second watcher on the same folder is refused while the first runs.
    let second = once(&lib, &dir, &["--lang", "en"], &[]);
    second.fails(4, "already being watched");
    // It is woken by the file event, long before its 30 s poll.
    std::fs::write(dir.join("late.png"), png(42, 200, 200)).unwrap();
    wait_for("late.png in done/", || dir.join("done/late.png").exists());
    signal(&child, "-TERM");
    assert_eq!(exit_code(child, &lib), 0);
    assert_eq!(stored_files(&lib), 1);
}

#[test]
fn a_folder_inside_the_library_or_missing_is_refused() {
    let lib = Lib::new();
    let inside = lib.path.join("scans");
    std::fs::create_dir_all(&inside).unwrap();
    once(&lib, &inside, &["--lang", "en"], &[]).fails(2, "inside the library folder");
    assert!(!inside.join("done").exists() || names(&inside.join("done")).is_empty());
    once(&lib, &lib.dir.path().join("nowhere"), &["--lang", "en"], &[]).fails(3, "does not exist");
}

/// The app drives the same hot folder in process: a first look only sees the file, a look
/// after the settle time imports it; refused files carry their reason; the folder has one
/// watcher; a viewer may not run one.
#[test]
fn the_hot_folder_in_process_says_waiting_then_imported_then_failed() {
    use dangan::core::scans::{HotFolder, WatchEvent, WatchOptions};
    use dangan::core::{Access, Library};

    let lib = Lib::new();
    lib.add_user("viewer1", "viewer");
    let dir = hot(&lib);
    let mut s = Library::open(&lib.path, Access::Write).unwrap().login("admin", ADMIN_PW, "test").unwrap();
    let opts =
        WatchOptions { settle: Duration::from_millis(300), describe: None, library: Some(lib.path.clone()) };
    let mut hot_folder = HotFolder::new(&dir, opts.clone()).unwrap();
    let second = HotFolder::new(&dir, opts.clone()).unwrap_err();
    assert_eq!(second.kind(), dangan::model::ErrorKind::Refused, "{second}");

    std::fs::write(dir.join("a.png"), png(77, 200, 200)).unwrap();
    std::fs::write(dir.join("z.png"), b"").unwrap();
    let first = hot_folder.poll(&mut s).unwrap();
    assert!(matches!(first.as_slice(), [WatchEvent::Waiting { count: 2 }]), "{first:?}");
    assert_eq!(hot_folder.waiting(), 2);

    std::thread::sleep(Duration::from_millis(400));
    let events = hot_folder.poll(&mut s).unwrap();
    let imported: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            WatchEvent::Imported { report, moved_to, recovered: false } => Some((report, moved_to)),
            _ => None,
        })
        .collect();
    assert_eq!(imported.len(), 1, "{events:?}");
    assert_eq!(imported[0].1, &dir.canonicalize().unwrap().join("done/a.png"));
    assert_eq!(imported[0].0.pages.len(), 1);
    let failed = events.iter().find_map(|e| match e {
        WatchEvent::Failed { reason, report, .. } => Some((reason.clone(), report.reason.clone())),
        _ => None,
    });
    assert_eq!(failed, Some(("empty".to_string(), Some("empty".to_string()))), "{events:?}");
    assert!(events.iter().any(|e| matches!(e, WatchEvent::Waiting { count: 0 })), "{events:?}");
    assert_eq!(hot_folder.waiting(), 0);
    drop(hot_folder);

    let mut viewer =
        Library::open(&lib.path, Access::Write).unwrap().login("viewer1", util::USER_PW, "test").unwrap();
    let mut hot_folder = HotFolder::new(&dir, opts).unwrap();
    let denied = hot_folder.poll(&mut viewer).unwrap_err();
    assert_eq!(denied.kind(), dangan::model::ErrorKind::Denied, "{denied}");
}

/// A file imported but not moved (here done/ cannot be written) stays in the folder, is said
/// once, does not stop the other files, and is moved without a second import once it can be.
#[test]
fn a_file_that_cannot_be_moved_is_left_said_once_and_moved_later_without_a_second_import() {
    use dangan::core::scans::{HotFolder, WatchEvent, WatchOptions};
    use dangan::core::{Access, Library};

    let lib = Lib::new();
    let dir = hot(&lib);
    let mut s = Library::open(&lib.path, Access::Write).unwrap().login("admin", ADMIN_PW, "test").unwrap();
    let opts = WatchOptions { settle: Duration::ZERO, describe: None, library: Some(lib.path.clone()) };
    let mut hot_folder = HotFolder::new(&dir, opts.clone()).unwrap();
    // done/ replaced by a file: nothing can be moved there.
    std::fs::remove_dir(dir.join("done")).unwrap();
    std::fs::write(dir.join("done"), b"not a folder").unwrap();
    std::fs::write(dir.join("a.png"), png(88, 200, 200)).unwrap();
    std::fs::write(dir.join("z.png"), b"").unwrap();

    let events = hot_folder.poll(&mut s).unwrap();
    assert!(
        events.iter().any(|e| matches!(e, WatchEvent::Retry { path, .. } if path.ends_with("a.png"))),
        "{events:?}"
    );
    assert!(
        events.iter().any(|e| matches!(e, WatchEvent::Failed { .. })),
        "the other file goes on: {events:?}"
    );
    assert_eq!(waiting_in(&dir), ["a.png", "done"], "a.png left, z.png in failed/");
    assert_eq!(stored_files(&lib), 1);
    assert_eq!(hot_folder.left(), 1);
    // Said once, not at every look.
    let again = hot_folder.poll(&mut s).unwrap();
    assert!(!again.iter().any(|e| matches!(e, WatchEvent::Retry { .. })), "{again:?}");
    drop(hot_folder);

    std::fs::remove_file(dir.join("done")).unwrap();
    let mut hot_folder = HotFolder::new(&dir, opts).unwrap();
    let events = hot_folder.poll(&mut s).unwrap();
    assert!(events.iter().any(|e| matches!(e, WatchEvent::Imported { recovered: true, .. })), "{events:?}");
    assert_eq!(names(&dir.join("done")), ["a.png"]);
    assert!(waiting_in(&dir).is_empty());
    assert_eq!(stored_files(&lib), 1);
}
