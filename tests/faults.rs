//! Faults: a failing disk, a damaged index, a power cut, a foreign file. Dangan fails loudly
//! with one clear sentence, never hangs, and never serves a broken index.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod util;

use std::path::Path;
use std::process::Stdio;
use std::sync::mpsc;
use std::time::Duration;

use util::*;

/// A demo library of `n` customers (built with its index).
fn demo(n: &str) -> Lib {
    let lib = Lib::empty();
    lib.run_env(&["--json", "demo", "--customers", n, "--seed", "7"], &[("DANGAN_PASSWORD", ADMIN_PW)]).ok();
    lib
}

/// Runs `dangan` as admin with `envs`, failing the test (instead of hanging it) after `limit`.
fn run_within(lib: &Lib, args: &[&str], envs: &[(&str, &str)], limit: Duration) -> Run {
    let mut c = command();
    c.arg("--library").arg(lib.p()).args(args);
    c.env("DANGAN_USER", "admin").env("DANGAN_PASSWORD", ADMIN_PW);
    for (k, v) in envs {
        c.env(k, v);
    }
    c.stdout(Stdio::piped()).stderr(Stdio::piped());
    let child = c.spawn().expect("run dangan");
    let pid = child.id();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(limit) {
        Ok(out) => {
            let o = out.expect("wait for dangan");
            Run {
                code: o.status.code().unwrap_or(-1),
                stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
                stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
            }
        }
        Err(_) => {
            let _ = std::process::Command::new("kill").arg("-9").arg(pid.to_string()).status();
            panic!("dangan {args:?} still running after {limit:?}: it hangs");
        }
    }
}

fn index_files(lib: &Lib) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(lib.path.join("index"))
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn a_rebuild_whose_writes_fail_ends_with_an_error_and_releases_the_index() {
    // Enough records to fill the bounded channel between the reader and the workers.
    let lib = demo("3000");
    let before = index_files(&lib);
    let r =
        run_within(&lib, &["reindex"], &[("DANGAN_FAULT", "index-rebuild-write")], Duration::from_secs(120));
    assert_ne!(r.code, 0, "a rebuild whose writes fail must fail\nstdout: {}", r.stdout);
    assert!(r.stderr.contains("search index"), "the error names what failed: {}", r.stderr);
    assert_eq!(r.stderr.trim().lines().count(), 1, "one sentence: {}", r.stderr);
    // The lock is released and the old index is untouched: the next search works at once.
    assert_eq!(index_files(&lib), before, "the old index stays as it was");
    assert!(!lib.path.join("index.new").exists(), "the unfinished build is removed");
    let name = first_name(&lib);
    let hits = lib.admin(&["--json", "search", &name]);
    assert!(hits.ok().contains(&name), "search after the failed rebuild: {}", hits.stdout);
    run_within(&lib, &["reindex"], &[], Duration::from_secs(120)).ok();
}

#[test]
fn reindex_keeps_the_old_index_searchable_until_the_new_one_is_complete() {
    let lib = demo("300");
    let name = first_name(&lib);
    // A second process searches again and again while the index is rebuilt.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let searcher = {
        let stop = stop.clone();
        let path = lib.path.clone();
        let name = name.clone();
        std::thread::spawn(move || {
            let mut failures = Vec::new();
            let mut runs = 0;
            while !stop.load(std::sync::atomic::Ordering::SeqCst) || runs < 3 {
                let r = run_raw(
                    &["--library", path.to_str().unwrap(), "--json", "search", &name],
                    &[("DANGAN_USER", "admin"), ("DANGAN_PASSWORD", ADMIN_PW)],
                );
                runs += 1;
                if r.code != 0 || !r.stdout.contains(&name) {
                    failures.push(format!("{} {}", r.code, r.stderr.trim()));
                }
            }
            (runs, failures)
        })
    };
    for _ in 0..4 {
        run_within(&lib, &["reindex"], &[], Duration::from_secs(120)).ok();
    }
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let (runs, failures) = searcher.join().unwrap();
    assert!(failures.is_empty(), "{} of {runs} searches during reindex failed: {failures:?}", failures.len());
    assert!(!lib.path.join("index.new").exists() && !lib.path.join("index.old").exists());
}

fn first_name(lib: &Lib) -> String {
    lib.sql().query_row("SELECT name FROM customers ORDER BY id LIMIT 1", [], |r| r.get(0)).unwrap()
}

#[test]
fn a_saved_change_survives_a_power_cut_the_database_syncs_every_commit() {
    let lib = Lib::new();
    let db = dangan::store::Db::open(&lib.db()).unwrap();
    // 2 = FULL: in WAL mode every commit's WAL frames are synced before "saved" is said.
    assert_eq!(db.synchronous().unwrap(), 2, "synchronous must be FULL");
}

#[test]
fn disk_full_and_io_errors_are_one_clear_sentence_not_sqlites_doubled_text() {
    use dangan::model::error::Error;
    let raw = |code: i32, msg: &str| {
        rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), Some(msg.to_string()))
    };
    let tr = dangan::i18n::Tr::new(dangan::i18n::Language::English);
    for (code, msg, key, needle) in [
        (4874, "disk I/O error", "database-io-error", "Check that the disk"),
        (13, "database or disk is full", "database-disk-full", "Free some space"),
        (8, "attempt to write a readonly database", "database-read-only", "read-only"),
        (5, "database is locked", "database-busy", "try again"),
    ] {
        let e: Error = raw(code, msg).into();
        assert_eq!(e.message().key, key, "{code}");
        let text = tr.error(&e);
        assert!(text.contains(needle), "{code}: {text}");
        assert!(!text.contains(msg) && !text.contains("Error code"), "raw SQLite text shown: {text}");
    }
}

#[test]
fn a_library_whose_schema_version_was_set_back_is_refused_without_dumping_migration_sql() {
    let lib = Lib::new();
    lib.sql().pragma_update(None, "user_version", 1).unwrap();
    let r = lib.admin(&["info"]);
    assert_ne!(r.code, 0);
    assert!(!r.stderr.contains("CREATE") && !r.stderr.contains("TRIGGER"), "SQL dumped: {}", r.stderr);
    assert_eq!(r.stderr.trim().lines().count(), 1, "{}", r.stderr);
    assert!(r.stderr.contains("schema version 1"), "{}", r.stderr);
    lib.sql().pragma_update(None, "user_version", 0).unwrap();
    let r = lib.admin(&["info"]);
    assert!(!r.stderr.contains("CREATE"), "SQL dumped: {}", r.stderr);
}

fn tables(db: &Path) -> Vec<String> {
    let c = rusqlite::Connection::open(db).unwrap();
    let mut st = c.prepare("SELECT name FROM sqlite_schema ORDER BY name").unwrap();
    st.query_map([], |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect()
}

#[test]
fn read_only_verbs_never_create_tables_in_a_foreign_or_emptied_database() {
    for foreign in [true, false] {
        let lib = Lib::empty();
        std::fs::create_dir_all(&lib.path).unwrap();
        {
            let c = rusqlite::Connection::open(lib.db()).unwrap();
            if foreign {
                c.execute_batch("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)").unwrap();
            }
        }
        let before = tables(&lib.db());
        let header = std::fs::read(lib.db()).unwrap();
        for verb in [&["verify"][..], &["info"], &["search", "x"], &["customer", "show", "KH-1"]] {
            let r = lib.admin(verb);
            assert_ne!(r.code, 0, "{verb:?} on a {} file", if foreign { "foreign" } else { "empty" });
            assert_eq!(tables(&lib.db()), before, "{verb:?} created tables");
            assert_eq!(std::fs::read(lib.db()).unwrap(), header, "{verb:?} wrote to the file");
            if foreign {
                assert!(r.stderr.contains("not a Dangan library"), "{verb:?}: {}", r.stderr);
            }
        }
    }
}

#[test]
fn a_killed_demo_leaves_a_library_marked_unfinished_and_demo_restart_starts_again() {
    let lib = Lib::empty();
    let args = ["--json", "demo", "--customers", "600", "--seed", "3", "--batch", "200"];
    let r = lib.run_env(&args, &[("DANGAN_PASSWORD", ADMIN_PW), ("DANGAN_FAULT", "demo-after-batch")]);
    assert_ne!(r.code, 0, "the fault point kills the demo");
    assert!(lib.count("SELECT count(*) FROM customers") > 0, "a batch was written before the kill");
    // It does not look complete: every verb says what happened and what to do.
    for verb in [&["info"][..], &["search", "x"], &["verify"]] {
        lib.admin(verb).fails(4, "stopped before it was finished");
    }
    lib.run_env(&args, &[("DANGAN_PASSWORD", ADMIN_PW)]).fails(4, "--restart");
    // A finished library is never removed by --restart.
    let other = Lib::new();
    other.run_env(&["demo", "--restart"], &[("DANGAN_PASSWORD", ADMIN_PW)]).fails(4, "nothing was removed");
    assert!(other.db().exists());
    let mut again = args.to_vec();
    again.push("--restart");
    let report = lib.run_env(&again, &[("DANGAN_PASSWORD", ADMIN_PW)]).json();
    assert_eq!(report["customers"], 600, "{report}");
    lib.admin(&["verify"]).ok();
}

/// Index files of the kind `ext` (`term`, `idx`, `store`…), biggest first.
fn index_file(lib: &Lib, ext: &str) -> std::path::PathBuf {
    let mut v: Vec<_> = std::fs::read_dir(lib.path.join("index"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    v.sort_by_key(|p| std::cmp::Reverse(std::fs::metadata(p).map_or(0, |m| m.len())));
    v.into_iter().next().unwrap_or_else(|| panic!("no .{ext} file"))
}

fn damage(path: &Path, how: &str) {
    let mut bytes = std::fs::read(path).unwrap();
    match how {
        "flip" => {
            for i in (bytes.len() / 4..bytes.len() * 3 / 4).step_by(97) {
                bytes[i] ^= 0x5a;
            }
        }
        "truncate" => bytes.truncate(bytes.len() / 2),
        "garbage" => bytes = b"{not json at all".to_vec(),
        _ => unreachable!(),
    }
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn a_damaged_index_never_panics_search_it_is_rebuilt_and_verify_names_it() {
    for (file, how) in
        [("term", "flip"), ("idx", "flip"), ("store", "flip"), ("term", "truncate"), ("meta", "garbage")]
    {
        let lib = demo("300");
        let name = first_name(&lib);
        let target = if file == "meta" { lib.path.join("index/meta.json") } else { index_file(&lib, file) };
        damage(&target, how);
        // verify names the damage in one readable line, and still reports the database and audit.
        let v = lib.admin(&["--json", "verify"]);
        let report = v.stdout.clone() + &v.stderr;
        assert!(!report.contains("panicked"), "{file} {how}: verify panicked: {report}");
        let json: serde_json::Value =
            serde_json::from_str(&v.stdout).unwrap_or_else(|e| panic!("{file} {how}: {e}: {report}"));
        assert_eq!(json["ok"], false, "{file} {how}: verify says OK on a damaged index: {json}");
        let problems = json["problems"].as_array().unwrap();
        let index_problems: Vec<_> =
            problems.iter().filter(|p| p.as_str().unwrap_or_default().contains("search index")).collect();
        assert_eq!(index_problems.len(), 1, "{file} {how}: one readable problem: {problems:?}");
        assert!(json.get("audit").is_some() || report.contains("audit"), "{file} {how}: {json}");
        // Search does not panic, and finds the record (the index is rebuilt).
        let r = lib.admin(&["--json", "search", &name]);
        assert!(!r.stderr.contains("panicked"), "{file} {how}: search panicked: {}", r.stderr);
        assert!(r.ok().contains(&name), "{file} {how}: {}", r.stdout);
        assert_eq!(lib.json(&["verify"])["ok"], true, "{file} {how}: after the rebuild");
    }
}

#[test]
fn demo_finish_completes_a_killed_demo_with_the_same_customers_as_an_uninterrupted_one() {
    let args = ["--json", "demo", "--customers", "600", "--seed", "5", "--batch", "200"];
    let killed = Lib::empty();
    let r = killed.run_env(&args, &[("DANGAN_PASSWORD", ADMIN_PW), ("DANGAN_FAULT", "demo-after-batch")]);
    assert_ne!(r.code, 0);
    killed.admin(&["info"]).fails(4, "--finish");
    let report = killed.run_env(&["--json", "demo", "--finish"], &[]).json();
    assert_eq!(report["customers"], 600, "{report}");
    killed.admin(&["verify"]).ok();

    let whole = Lib::empty();
    whole.run_env(&args, &[("DANGAN_PASSWORD", ADMIN_PW)]).ok();
    let rows = |lib: &Lib| -> Vec<(String, String, Option<String>)> {
        let c = lib.sql();
        let mut st = c.prepare("SELECT dossier_no, name, id_number FROM customers ORDER BY id").unwrap();
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(|r| r.unwrap()).collect()
    };
    assert_eq!(rows(&killed), rows(&whole), "finishing gives the same library as an uninterrupted demo");
    // Nothing to finish elsewhere.
    whole.run_env(&["demo", "--finish"], &[]).fails(4, "nothing to finish");
}
