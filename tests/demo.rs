//! `demo`: realistic, deterministic, safe to kill.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod util;

use std::process::Stdio;
use std::time::{Duration, Instant};

use util::{ADMIN_PW, Lib, command};

fn demo(lib: &Lib, n: &str, seed: &str) -> serde_json::Value {
    lib.run_env(&["--json", "demo", "--customers", n, "--seed", seed], &[("DANGAN_PASSWORD", ADMIN_PW)])
        .json()
}

#[test]
fn demo_makes_a_realistic_library_that_verifies() {
    let lib = Lib::empty();
    let report = demo(&lib, "3000", "7");
    assert_eq!(report["customers"], 3000);
    assert!(report["documents"].as_u64().unwrap() > 9000, "{report}");
    assert!(report["rows_per_second"].as_f64().unwrap() > 0.0);
    assert_eq!(report["index"]["documents"], 3000, "the demo ends by building the search index");
    let v = lib.json(&["verify"]);
    assert_eq!((v["ok"].as_bool(), v["search_index"].as_str()), (Some(true), Some("ready")), "{v}");
    assert_eq!(lib.count("SELECT count(*) FROM change_log"), 0);
    assert_eq!(
        lib.count(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND sql LIKE '%INTO change_log%'"
        ),
        20,
        "the change-log triggers (customers, phones, documents, categories, folders, boxes, loans, borrowers, pages, page text) are back after the bulk load"
    );
    assert_eq!(lib.count("SELECT count(*) FROM customers"), 3000);
    // Two-character surnames, businesses with credit codes, expiring contracts, closed accounts.
    assert!(lib.count("SELECT count(*) FROM customers WHERE substr(name, 1, 2) IN ('欧阳','司马','上官','诸葛','司徒','东方','皇甫','慕容','令狐','夏侯')") > 0);
    assert!(lib.count("SELECT count(*) FROM customers WHERE id_kind = 'uscc'") > 300);
    assert!(lib.count("SELECT count(*) FROM documents WHERE expires_on IS NOT NULL") > 100);
    assert!(lib.count("SELECT count(*) FROM customers WHERE status = 'closed'") > 50);
    // Demo staff can log in with the admin's password.
    let users = lib.json(&["user", "list"]);
    assert!(users.as_array().unwrap().len() >= 10);
    let clerk = users.as_array().unwrap().iter().find(|u| u["role"] == "clerk").unwrap()["name"]
        .as_str()
        .unwrap()
        .to_string();
    lib.run_env(
        &["customer", "list", "--limit", "3"],
        &[("DANGAN_USER", &clerk), ("DANGAN_PASSWORD", ADMIN_PW)],
    )
    .ok();
    // A generated dossier opens with its checklist.
    let first = lib.json(&["customer", "list", "--limit", "1"]);
    let no = first[0]["dossier"].as_str().unwrap();
    let d = lib.json(&["customer", "show", no]);
    assert!(d["completeness"]["required"].as_u64().unwrap() >= 4);
    // A demo cannot overwrite an existing library.
    lib.run_env(&["demo", "--customers", "10"], &[("DANGAN_PASSWORD", ADMIN_PW)]).fails(4, "already exists");
}

#[test]
fn demo_is_deterministic_for_a_seed() {
    let a = Lib::empty();
    let b = Lib::empty();
    demo(&a, "500", "42");
    demo(&b, "500", "42");
    let rows = |lib: &Lib| -> Vec<(String, String, String)> {
        let db = lib.sql();
        let mut stmt = db.prepare("SELECT dossier_no, name, id_number FROM customers ORDER BY id").unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(Result::unwrap).collect()
    };
    assert_eq!(rows(&a), rows(&b));
    let c = Lib::empty();
    demo(&c, "500", "43");
    assert_ne!(rows(&a), rows(&c));
}

#[test]
fn a_generated_password_is_printed_and_works() {
    let lib = Lib::empty();
    let r = lib.run_env(&["demo", "--customers", "20"], &[]);
    r.ok();
    let line = r.stderr.lines().find(|l| l.contains("with password")).expect("password printed");
    let pw = line.rsplit(' ').next().unwrap();
    lib.run_env(&["customer", "list"], &[("DANGAN_USER", "admin"), ("DANGAN_PASSWORD", pw)]).ok();
}

#[test]
fn killing_demo_midway_leaves_a_library_that_verifies() {
    let mut killed_mid_data = 0;
    for wait_ms in [300u64, 900, 1500] {
        let lib = Lib::empty();
        let mut child = command()
            .args(["--library", lib.p(), "demo", "--customers", "400000", "--batch", "2000"])
            .env("DANGAN_PASSWORD", ADMIN_PW)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Wait until the library exists, then a little more, then kill -9.
        let start = Instant::now();
        while !lib.db().exists() && start.elapsed() < Duration::from_secs(30) {
            std::thread::sleep(Duration::from_millis(20));
        }
        // The later kills land while customers are being written, however loaded the machine:
        // wait for the first committed batch (a fixed delay once missed it under load).
        if wait_ms > 300 {
            let written = || {
                lib.sql().query_row("SELECT count(*) FROM customers", [], |r| r.get::<_, i64>(0)).unwrap_or(0)
            };
            let start = Instant::now();
            while written() == 0 && start.elapsed() < Duration::from_secs(120) {
                std::thread::sleep(Duration::from_millis(20));
            }
            std::thread::sleep(Duration::from_millis(wait_ms / 3));
        } else {
            std::thread::sleep(Duration::from_millis(wait_ms));
        }
        child.kill().unwrap();
        child.wait().unwrap();

        let customers = lib.count("SELECT count(*) FROM customers");
        assert!(customers < 400_000, "the demo finished before it was killed");
        if lib.count("SELECT count(*) FROM users") == 0 {
            // Killed before the first transaction: nothing to open, and nothing half-made.
            assert_eq!(customers, 0);
            continue;
        }
        assert_eq!(customers % 2000, 0, "only whole batches are committed");
        if customers > 0 {
            killed_mid_data += 1;
        }
        eprintln!("killed after {wait_ms} ms with {customers} customers written");
        // A killed demo does not look complete: it is refused with what to do
        // (tests/faults.rs has the rest: --restart starts it again).
        lib.admin(&["verify"]).fails(4, "stopped before it was finished");
        lib.admin(&["search", "x"]).fails(4, "--restart");
        // What was committed is whole and sound all the same.
        let c = lib.sql();
        let check: String = c.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        assert_eq!(check, "ok", "after a kill at {wait_ms} ms");
    }
    assert!(killed_mid_data > 0, "no kill landed while customers were being written");
}
