//! Several programs on one library at once: writers in parallel processes, a reader searching
//! meanwhile, a long-lived app-like session following the others' changes, a writer killed at
//! the worst moments, and a library on a network share refused.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod guikit;
mod util;

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

use dangan::core::index::SearchQuery;
use dangan::core::library::network_filesystem;
use dangan::core::{Access, Library, Session};
use dangan::gui::prefs::Prefs;
use dangan::gui::{App, Message, Screen, shell};
use guikit::{drain, log_in, shows};
use util::{ADMIN_PW, Lib};

fn session(lib: &Lib) -> Session {
    Library::open(&lib.path, Access::Write).unwrap().login("admin", ADMIN_PW, "test").unwrap()
}

fn found(s: &mut Session, text: &str) -> Vec<String> {
    let q = SearchQuery { text: text.into(), limit: 50, ..Default::default() };
    s.search(&q).unwrap().into_iter().map(|h| h.dossier).collect()
}

fn cli_found(lib: &Lib, text: &str) -> Vec<String> {
    let out = lib.json(&["search", text, "--limit", "50"]);
    out.as_array().unwrap().iter().map(|h| h["dossier"].as_str().unwrap().to_string()).collect()
}

fn phone(writer: usize, i: usize) -> String {
    format!("1390{writer}{i:06}")
}

#[test]
fn two_writer_processes_and_a_reader_at_once_lose_nothing() {
    const EACH: usize = 8;
    let lib = Lib::new();
    // The index exists before the race, so every writer also applies it.
    assert_eq!(lib.json(&["search", "无人"]).as_array().unwrap().len(), 0);
    let done = AtomicBool::new(false);
    let (added, searches) = thread::scope(|scope| {
        let writers: Vec<_> = (0..2)
            .map(|w| {
                let lib = &lib;
                scope.spawn(move || {
                    (0..EACH)
                        .map(|i| {
                            let name = format!("并发{}号{}", ["甲", "乙"][w], i);
                            let run =
                                lib.admin(&["customer", "add", "--name", &name, "--phone", &phone(w, i)]);
                            assert_eq!(run.code, 0, "writer {w}, customer {i}: {}", run.stderr);
                            (phone(w, i), run.stdout.trim().to_string())
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let reader = scope.spawn(|| {
            let mut n = 0;
            while !done.load(Ordering::Relaxed) {
                let run = lib.admin(&["--json", "search", "并发"]);
                assert_eq!(run.code, 0, "the reader's search failed while writers ran: {}", run.stderr);
                n += 1;
            }
            n
        });
        let added: Vec<(String, String)> = writers.into_iter().flat_map(|h| h.join().unwrap()).collect();
        done.store(true, Ordering::Relaxed);
        (added, reader.join().unwrap())
    });
    assert!(searches > 0);
    assert_eq!(added.len(), 2 * EACH);
    assert_eq!(lib.count("SELECT count(*) FROM customers"), 2 * EACH as i64);
    assert_eq!(lib.count("SELECT count(DISTINCT dossier_no) FROM customers"), 2 * EACH as i64);
    // Every customer is found by its phone from another process and from this one.
    let mut s = session(&lib);
    for (phone, dossier) in &added {
        assert_eq!(cli_found(&lib, phone), vec![dossier.clone()], "CLI search for {phone}");
        assert_eq!(found(&mut s, phone), vec![dossier.clone()], "session search for {phone}");
    }
    assert_eq!(found(&mut s, "并发").len(), 2 * EACH);
    // Index and database agree, and the audit chain (2 × EACH adds among the logins) verifies.
    let v = lib.json(&["verify"]);
    assert_eq!((v["ok"].as_bool(), v["search_index"].as_str()), (Some(true), Some("ready")), "{v}");
    assert_eq!(
        lib.count("SELECT count(*) FROM audit_log WHERE action = 'create' AND entity = 'customer'"),
        16
    );
    // Every write transaction moved the head once: no number was used twice.
    let head = lib.count("SELECT txn FROM writer_head");
    assert!(head >= 2 * EACH as i64, "head {head}");
}

#[test]
fn an_open_session_sees_another_programs_customer_after_one_poll() {
    let lib = Lib::new();
    let mut app = session(&lib);
    assert!(found(&mut app, "韩梅梅").is_empty());
    let seen = app.head().unwrap();
    let quiet = app.changes_since(seen).unwrap();
    assert!(!quiet.moved, "nothing changed yet: {quiet:?}");

    // A script writes while the app is open (the app holds no lock between its actions).
    let dossier = lib.add_customer(&["--name", "韩梅梅", "--phone", "13712345678"]);
    let changes = app.changes_since(seen).unwrap();
    assert!(changes.moved && changes.head > seen, "{changes:?}");
    assert_eq!(found(&mut app, "韩梅梅"), vec![dossier.clone()]);
    assert_eq!(found(&mut app, "13712345678"), vec![dossier.clone()]);

    // The other way round: the app writes, another process sees it.
    app.edit_customer(
        &dossier,
        dangan::core::customers::CustomerChanges {
            address: Some("杭州市西湖区文三路".into()),
            ..Default::default()
        },
        true,
    )
    .unwrap();
    assert_eq!(cli_found(&lib, "文三路"), vec![dossier.clone()]);
    let after = app.changes_since(changes.head).unwrap();
    assert!(after.moved, "the app's own write moved the head too");
    lib.admin(&["verify"]).ok();
}

#[test]
fn a_writer_killed_at_any_point_loses_nothing() {
    let lib = Lib::new();
    let mut app = session(&lib);
    assert!(found(&mut app, "李雷").is_empty());
    let points = ["change-before-commit", "index-before-commit", "index-after-commit"];
    for (i, point) in points.iter().enumerate() {
        let name = format!("李雷{}", ["一", "二", "三"][i]);
        let head = app.head().unwrap();
        let run = lib.run_env(
            &["customer", "add", "--name", &name],
            &[("DANGAN_USER", "admin"), ("DANGAN_PASSWORD", ADMIN_PW), ("DANGAN_FAULT", point)],
        );
        assert_ne!(run.code, 0, "{point}: the process should have aborted: {}", run.stderr);
        assert!(run.stderr.contains(point), "{}", run.stderr);
        let stored = lib.count(&format!("SELECT count(*) FROM customers WHERE name = '{name}'"));
        if *point == "change-before-commit" {
            // Killed inside the transaction: nothing of it is written, its number is unused.
            // Only its login committed before.
            assert_eq!(stored, 0);
            assert_eq!(lib.count("SELECT txn FROM writer_head"), head + 1);
            assert!(!found(&mut app, &name).iter().any(|_| true));
        } else {
            // Killed after the database committed: the open app's next poll indexes it.
            assert_eq!(stored, 1, "{point}");
            assert!(app.changes_since(head).unwrap().moved, "{point}");
            assert_eq!(found(&mut app, &name).len(), 1, "{point}: the app finds {name}");
        }
        // Nothing is left locked: the next writer goes ahead at once.
        lib.add_customer(&["--name", &format!("韩梅{i}")]);
        let v = lib.json(&["verify"]);
        assert_eq!(
            (v["ok"].as_bool(), v["search_index"].as_str()),
            (Some(true), Some("ready")),
            "{point}: {v}"
        );
    }
    assert_eq!(found(&mut app, "李雷").len(), 2);
}

#[test]
fn the_change_log_is_pruned_below_the_index_bookmark() {
    let lib = Lib::new();
    let mut app = session(&lib);
    for i in 0..80 {
        app.add_customer(
            dangan::core::customers::NewCustomer { name: format!("周{i}"), ..Default::default() },
            false,
        )
        .unwrap();
    }
    // The index applied each change; the log was pruned below its bookmark on the way, and
    // never past it: what is left is newer than the floor.
    let rows = lib.count("SELECT count(*) FROM change_log");
    assert!(rows < 80, "{rows} change-log rows left: never pruned");
    let floor = lib.count("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'change_log_floor'");
    assert!(floor > 0);
    assert_eq!(lib.count(&format!("SELECT count(*) FROM change_log WHERE txn <= {floor}")), 0);
    assert_eq!(found(&mut app, "周").len(), 50, "capped at the limit");
    lib.admin(&["verify"]).ok();
    // An index whose bookmark is below the floor (say, restored from an old copy) may have
    // missed pruned rows: it is rebuilt, not trusted.
    lib.sql()
        .execute(
            "UPDATE meta SET value = (SELECT CAST(txn AS TEXT) FROM writer_head) WHERE key = 'change_log_floor'",
            [],
        )
        .unwrap();
    assert_eq!(lib.json(&["info"])["search_index"], "missing");
    assert_eq!(cli_found(&lib, "周3").first().map(String::as_str), Some(lib_dossier(&lib, "周3").as_str()));
}

fn lib_dossier(lib: &Lib, name: &str) -> String {
    lib.sql().query_row("SELECT dossier_no FROM customers WHERE name = ?1", [name], |r| r.get(0)).unwrap()
}

#[test]
fn an_index_made_before_bookmarks_is_rebuilt() {
    let lib = Lib::new();
    let no = lib.add_customer(&["--name", "欧阳锋"]);
    assert_eq!(cli_found(&lib, "欧阳锋"), vec![no.clone()]);
    // Strip the bookmark from the index's commit, as an index made by schema 2 had none.
    let meta = lib.path.join("index").join("meta.json");
    let mut json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&meta).unwrap()).unwrap();
    json["payload"] = serde_json::Value::Null;
    std::fs::write(&meta, json.to_string()).unwrap();
    assert_eq!(lib.json(&["info"])["search_index"], "missing");
    assert_eq!(cli_found(&lib, "欧阳锋"), vec![no]);
    lib.admin(&["verify"]).ok();
}

#[test]
fn an_index_rebuilt_by_another_program_is_followed_by_an_open_session() {
    let lib = Lib::new();
    let first = lib.add_customer(&["--name", "林黛玉"]);
    let mut app = session(&lib);
    assert_eq!(found(&mut app, "林黛玉"), vec![first.clone()]);
    // Another program rebuilds the index folder from scratch while the app has it open.
    lib.admin(&["reindex"]).ok();
    let second = lib.add_customer(&["--name", "林如海"]);
    let seen = app.head().unwrap();
    app.changes_since(seen - 1).unwrap();
    assert_eq!(found(&mut app, "林黛玉"), vec![first]);
    assert_eq!(found(&mut app, "林如海"), vec![second.clone()]);
    // And the app's own writes land in the rebuilt index, for everyone.
    app.edit_customer(
        &second,
        dangan::core::customers::CustomerChanges { address: Some("扬州府".into()), ..Default::default() },
        true,
    )
    .unwrap();
    assert_eq!(cli_found(&lib, "扬州府"), vec![second]);
    let v = lib.json(&["verify"]);
    assert_eq!((v["ok"].as_bool(), v["search_index"].as_str()), (Some(true), Some("ready")), "{v}");
}

#[test]
fn the_app_shows_another_programs_customer_after_a_poll() {
    let lib = Lib::new();
    lib.add_customer(&["--name", "夏洛"]);
    let mut app = App::new(lib.path.clone(), Prefs::default());
    log_in(&mut app, "admin", ADMIN_PW);
    assert!(matches!(app.screen, Screen::Main(_)));
    assert!(shows(&app, "夏洛"));
    let poll = |app: &mut App| {
        let t = app.update(Message::Main(shell::Message::Poll));
        drain(app, t);
    };
    poll(&mut app);
    // A script adds a customer while the app is logged in (it could not even log in before).
    lib.add_customer(&["--name", "马冬梅"]);
    assert!(!shows(&app, "马冬梅"));
    poll(&mut app);
    assert!(shows(&app, "马冬梅"), "the open list shows the other program's customer after one poll");
    let Screen::Main(s) = &app.screen else { unreachable!() };
    assert_eq!(s.count, 2, "the status figures follow");
}

const MOUNTINFO: &str = "\
22 1 8:2 / / rw,relatime shared:1 - ext4 /dev/sda2 rw
25 22 0:22 / /proc rw,nosuid,nodev,noexec,relatime shared:13 - proc proc rw
40 22 0:35 / /mnt/archive rw,relatime shared:20 - nfs4 fileserver:/export/archive rw,vers=4.2
41 40 8:17 / /mnt/archive/local rw,relatime shared:21 - ext4 /dev/sdb1 rw
42 22 0:36 / /home/clerk/Records\\040Room rw,relatime shared:22 - cifs //nas/records rw,vers=3.0
43 22 0:37 / /media/sshfs rw,nosuid,nodev,relatime shared:23 - fuse.sshfs clerk@host:/srv rw
44 22 0:38 / /mnt/wsl rw,noatime shared:24 - 9p drvfs rw
45 22 0:39 / /mnt/nfsish rw - tmpfs tmpfs rw
";

#[test]
fn a_library_on_a_network_share_is_detected_from_the_mount_table() {
    let net = |p: &str| network_filesystem(MOUNTINFO, Path::new(p));
    assert_eq!(net("/mnt/archive/dangan").as_deref(), Some("nfs4"));
    assert_eq!(net("/mnt/archive").as_deref(), Some("nfs4"));
    // A local disk mounted inside the share is local.
    assert_eq!(net("/mnt/archive/local/dangan"), None);
    // Escaped spaces in mount points are read as spaces.
    assert_eq!(net("/home/clerk/Records Room/档案").as_deref(), Some("cifs"));
    assert_eq!(net("/media/sshfs/lib").as_deref(), Some("fuse.sshfs"));
    assert_eq!(net("/mnt/wsl/c/lib").as_deref(), Some("9p"));
    // Local filesystems, and names that merely begin like a mount point.
    assert_eq!(net("/home/clerk/dangan"), None);
    assert_eq!(net("/mnt/nfsish/lib"), None);
    assert_eq!(net("/mnt/archivex/lib"), None);
    assert_eq!(network_filesystem("", Path::new("/x")), None);
}
