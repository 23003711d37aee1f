//! The library folder: init, where it is, and every way opening it can go wrong.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod util;

use std::fs;

use dangan::core::customers::CustomerChanges;
use dangan::core::{Access, Library};
use util::{ADMIN_PW, Lib, run_raw};

#[test]
fn init_creates_the_layout_once() {
    let lib = Lib::new();
    for sub in ["dangan.sqlite3", "files", "index", "logs", "audit.head"] {
        assert!(lib.path.join(sub).exists(), "{sub} missing");
    }
    assert_eq!(lib.count("PRAGMA user_version"), dangan::core::library::schema_version());
    let mode: String = lib.sql().query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    let strict = lib.count("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND sql LIKE '%STRICT%'");
    let tables =
        lib.count("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
    assert_eq!(strict, tables, "every table is STRICT");

    lib.run_env(&["init"], &[("DANGAN_PASSWORD", ADMIN_PW)]).fails(4, "already exists");
    // A short password is refused before anything is created.
    let fresh = Lib::empty();
    fresh.run_env(&["init"], &[("DANGAN_PASSWORD", "short")]).fails(2, "too short");
    assert!(!fresh.db().exists());
    fresh.run_env(&["init"], &[]).fails(2, "DANGAN_PASSWORD");
    // The log file is written in the library.
    lib.admin(&["customer", "list"]).ok();
    assert!(fs::read_to_string(lib.path.join("logs/dangan.log")).unwrap().contains("login"));
}

#[test]
fn init_refuses_a_folder_full_of_other_things_and_finishes_an_interrupted_init() {
    let lib = Lib::empty();
    fs::create_dir_all(&lib.path).unwrap();
    fs::write(lib.path.join("report.docx"), "a clerk's own file").unwrap();
    lib.run_env(&["init"], &[("DANGAN_PASSWORD", ADMIN_PW)]).fails(4, "not empty");
    assert!(!lib.db().exists(), "nothing was created beside the clerk's file");

    // An init that died before its transaction committed leaves a schema and no users:
    // running init again finishes it.
    let lib = Lib::empty();
    fs::create_dir_all(&lib.path).unwrap();
    let db = rusqlite::Connection::open(lib.db()).unwrap();
    db.execute_batch(include_str!("../migrations/0001_foundation.sql")).unwrap();
    db.pragma_update(None, "user_version", 1).unwrap();
    drop(db);
    lib.admin(&["customer", "list"]).fails(4, "never finished");
    lib.run_env(&["init"], &[("DANGAN_PASSWORD", ADMIN_PW)]).ok();
    lib.admin(&["customer", "list"]).ok();
}

#[test]
fn the_library_comes_from_the_flag_then_the_environment() {
    let lib = Lib::new();
    let r = run_raw(
        &["--json", "info"],
        &[("DANGAN_LIBRARY", lib.p()), ("DANGAN_USER", "admin"), ("DANGAN_PASSWORD", ADMIN_PW)],
    );
    let info = r.json();
    assert_eq!(info["library"], lib.p());
    assert_eq!(info["location_source"], "from DANGAN_LIBRARY");
    // Global flags work after the verb too.
    let r = run_raw(
        &["info", "--library", lib.p(), "--json", "--user", "admin"],
        &[("DANGAN_PASSWORD", ADMIN_PW)],
    );
    assert_eq!(r.json()["location_source"], "from --library");
}

#[test]
fn a_missing_library_says_how_to_create_one() {
    let lib = Lib::empty();
    lib.admin(&["customer", "list"]).fails(3, "dangan init");
    assert!(!lib.path.exists(), "looking must not create anything");
}

#[test]
fn a_file_where_the_library_should_be_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-folder");
    fs::write(&file, "x").unwrap();
    run_raw(&["--library", file.to_str().unwrap(), "init"], &[("DANGAN_PASSWORD", ADMIN_PW)])
        .fails(2, "not a folder");
}

#[test]
fn a_corrupt_database_is_reported_not_a_panic() {
    let lib = Lib::new();
    let _ = fs::remove_file(lib.path.join("dangan.sqlite3-wal"));
    let _ = fs::remove_file(lib.path.join("dangan.sqlite3-shm"));
    fs::write(lib.db(), b"this is not a sqlite database, just some bytes that replaced it....").unwrap();
    let r = lib.admin(&["customer", "list"]);
    r.fails(1, "damaged");
    assert!(r.stderr.contains("restore"), "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"));
}

#[test]
fn a_library_from_a_newer_version_is_refused_unchanged() {
    let lib = Lib::new();
    lib.sql().pragma_update(None, "user_version", 99).unwrap();
    lib.admin(&["customer", "list"]).fails(4, "newer version");
    assert_eq!(lib.count("PRAGMA user_version"), 99);
}

#[test]
fn a_second_writer_works_while_another_program_has_the_library_open() {
    let lib = Lib::new();
    let no = lib.add_customer(&["--name", "钱一"]);
    // A logged-in app (here: this test process) keeps the library open for writing; it holds
    // no lock between its actions, so a script writes, and both see each other's changes.
    let mut app = Library::open(&lib.path, Access::Write).unwrap().login("admin", ADMIN_PW, "test").unwrap();
    let second = lib.add_customer(&["--name", "钱二"]);
    lib.admin(&["customer", "show", &no]).ok();
    assert_eq!(app.dossier(&second).unwrap().customer.name, "钱二");
    app.edit_customer(
        &no,
        CustomerChanges { address: Some("南京市鼓楼区".into()), ..Default::default() },
        true,
    )
    .unwrap();
    assert!(lib.admin(&["customer", "show", &no]).stdout.contains("鼓楼"));
    // The lock file is only taken for a moment (creating, migrating): never held by an open app.
    let lock = fs::OpenOptions::new().write(true).open(lib.path.join("dangan.lock")).unwrap();
    lock.try_lock().expect("no process holds dangan.lock while the library is merely open");
    drop(lock);
    drop(app);
}

/// Root ignores file permissions, so the read-only case runs as `nobody` through setpriv.
#[cfg(unix)]
#[test]
fn a_read_only_library_folder_gets_a_clear_message() {
    use std::os::unix::fs::PermissionsExt;
    let lib = Lib::new();
    let no = lib.add_customer(&["--name", "孙二"]);
    let is_root =
        std::process::Command::new("id").arg("-u").output().map(|o| o.stdout == b"0\n").unwrap_or(false);
    let has_setpriv = std::process::Command::new("setpriv").arg("--version").output().is_ok();
    if !is_root || !has_setpriv {
        eprintln!("skipped: needs root and setpriv to act as another user");
        return;
    }
    // Readable by everyone, writable by nobody but root.
    for p in [lib.dir.path().to_path_buf(), lib.path.clone()] {
        fs::set_permissions(&p, fs::Permissions::from_mode(0o755)).unwrap();
    }
    for entry in walk(&lib.path) {
        let mode = if entry.is_dir() { 0o755 } else { 0o644 };
        fs::set_permissions(&entry, fs::Permissions::from_mode(mode)).unwrap();
    }
    let out = std::process::Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", util::bin(), "--library", lib.p()])
        .args(["customer", "edit", &no, "--notes", "x"])
        .env("DANGAN_USER", "admin")
        .env("DANGAN_PASSWORD", ADMIN_PW)
        .env("LANG", "en_US.UTF-8")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("cannot be written by this user"), "{stderr}");
    assert_eq!(lib.json(&["customer", "show", &no])["notes"], "");
}

#[cfg(unix)]
fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        }
        out.push(p);
    }
    out
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    run_raw(&["customer", "frobnicate"], &[]).fails(2, "frobnicate");
    run_raw(&["customer", "add"], &[]).fails(2, "--name");
    let help = run_raw(&["--help"], &[]);
    assert!(help.ok().contains("customer"));
    // A bare run opens the desktop app; with no display it says so, naming the library.
    let out = util::command()
        .env("DANGAN_LIBRARY", "/nonexistent/dangan-lib")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("/nonexistent/dangan-lib") && stderr.contains("--help"), "{stderr}");
}
