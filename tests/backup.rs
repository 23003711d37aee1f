//! Backup and restore through the real binary: a backup taken while another process writes
//! restores into a library that verifies, with the same customers, users, audit chain and
//! files; an incremental backup holds only new files and restores with its base; a backup cut
//! short, altered, of the wrong kind, missing its base, or restored over a library is refused
//! with a clear message and leaves nothing behind; `--keep` rotates.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod util;

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::Value;
use util::*;

/// A small scanned-looking page, different per seed.
fn png(seed: u32) -> Vec<u8> {
    let img = image::GrayImage::from_fn(200, 260, |x, y| {
        let on = ((x / 7).wrapping_mul(seed.wrapping_mul(2654435761) | 1) >> 3) % 5 == 0 && (y / 11) % 2 == 0;
        if on { image::Luma([20]) } else { image::Luma([250]) }
    });
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// Adds a customer with one scanned document; returns the dossier number.
fn customer_with_scan(lib: &Lib, name: &str, seed: u32) -> String {
    let dossier = lib.add_customer(&["--name", name]);
    let file = lib.dir.path().join(format!("scan-{seed}.png"));
    std::fs::write(&file, png(seed)).unwrap();
    lib.admin(&["doc", "add", &dossier, "--type", "ID", file.to_str().unwrap()]).ok();
    dossier
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Runs as admin against another library folder (a restore's target).
fn admin_at(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["--library", path_str(dir)];
    all.extend_from_slice(args);
    run_raw(&all, &[("DANGAN_USER", "admin"), ("DANGAN_PASSWORD", ADMIN_PW)])
}

fn json_at(dir: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    admin_at(dir, &all).json()
}

/// The (dossier, name) of every customer, and the SHA-256 of every stored file.
fn contents(db: &Path) -> (Vec<(String, String)>, Vec<String>) {
    let c = rusqlite::Connection::open(db).unwrap();
    let mut s = c.prepare("SELECT dossier_no, name FROM customers ORDER BY dossier_no").unwrap();
    let customers = s.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect();
    let mut s = c.prepare("SELECT sha256 FROM files ORDER BY sha256").unwrap();
    let files = s.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    (customers, files)
}

/// Nothing but `keep` in the folder: no half-restored library, no temporary folder.
fn only(dir: &Path, keep: &[&str]) {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut want: Vec<String> = keep.iter().map(|s| s.to_string()).collect();
    want.sort();
    assert_eq!(names, want, "left behind in {}", dir.display());
}

#[test]
fn a_backup_taken_while_another_process_writes_restores_and_verifies() {
    let lib = Lib::new();
    for i in 0..3 {
        customer_with_scan(&lib, &format!("备份测试{i}"), i + 1);
    }
    lib.add_user("clerk", "clerk");
    let out = lib.dir.path().join("b.tar");

    // Another process registers customers all through the backup.
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (stop, p) = (stop.clone(), lib.path.clone());
        std::thread::spawn(move || {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) || n < 3 {
                let name = format!("并发写入{n}");
                let r = run_raw(
                    &["--library", p.to_str().unwrap(), "customer", "add", "--name", &name, "--force"],
                    &[("DANGAN_USER", "admin"), ("DANGAN_PASSWORD", ADMIN_PW)],
                );
                assert_eq!(r.code, 0, "the writer was blocked: {}", r.stderr);
                n += 1;
            }
            n
        })
    };
    std::thread::sleep(std::time::Duration::from_millis(300));
    let report = lib.json(&["backup", "--out", path_str(&out)]);
    stop.store(true, Ordering::Relaxed);
    let written = writer.join().unwrap();
    assert!(written >= 3);
    assert_eq!(report["files"], 3, "{report}");
    assert_eq!(report["incremental"], false);
    let in_backup = report["customers"].as_i64().unwrap();
    let after = lib.count("SELECT count(*) FROM customers");
    assert!((3..=after).contains(&in_backup), "{in_backup} of {after}");
    // Owner-only: a backup holds every customer.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o077, 0);
    }
    // The backup is audited in the library.
    assert_eq!(lib.count("SELECT count(*) FROM audit_log WHERE action = 'backup'"), 1);

    let check = lib.json(&["backup", "verify", path_str(&out)]);
    assert_eq!(check["customers"].as_i64(), Some(in_backup), "{check}");

    let target = lib.dir.path().join("restored");
    let restored = json_at(&target, &["restore", path_str(&out)]);
    assert_eq!(restored["verify"]["ok"], true, "{restored}");
    only(lib.dir.path(), &["b.tar", "lib", "restored", "scan-1.png", "scan-2.png", "scan-3.png"]);

    // The same customers as at the moment of the copy, the same files, users and chain.
    let (src_customers, src_files) = contents(&lib.db());
    let (customers, files) = contents(&target.join("dangan.sqlite3"));
    assert_eq!(customers.len() as i64, in_backup);
    assert!(customers.iter().all(|c| src_customers.contains(c)));
    assert_eq!(files, src_files);
    for sha in &files {
        let p = target.join("files").join(&sha[0..2]).join(&sha[2..4]).join(sha);
        assert!(p.is_file(), "{} missing", p.display());
    }
    let users = json_at(&target, &["user", "list"]);
    assert!(users.to_string().contains("clerk"), "{users}");
    let v = json_at(&target, &["verify"]);
    assert_eq!(v["ok"], true, "{v}");
    // Search works at once (the index was rebuilt), and the restore is in the audit log.
    let hits = json_at(&target, &["search", "备份测试1"]);
    assert!(hits.to_string().contains("备份测试1"), "{hits}");
    let audit = json_at(&target, &["audit", "--limit", "50"]);
    assert!(audit.to_string().contains("\"restore\""), "{audit}");
}

#[test]
fn an_incremental_backup_holds_only_new_files_and_restores_with_its_base() {
    let lib = Lib::new();
    customer_with_scan(&lib, "甲", 11);
    customer_with_scan(&lib, "乙", 12);
    let dir = lib.dir.path().join("backups");
    std::fs::create_dir(&dir).unwrap();
    let full = dir.join("full.tar");
    lib.json(&["backup", "--out", path_str(&full)]);
    customer_with_scan(&lib, "丙", 13);
    let inc = dir.join("inc.tar");
    let r = lib.json(&["backup", "--out", path_str(&inc), "--base", path_str(&full)]);
    assert_eq!(
        (r["incremental"].as_bool(), r["files"].as_i64(), r["files_written"].as_i64()),
        (Some(true), Some(3), Some(1)),
        "{r}"
    );
    // Only the new file is in it (an administrator can list it with tar).
    let listing = std::process::Command::new("tar").arg("tf").arg(&inc).output().unwrap();
    let names = String::from_utf8_lossy(&listing.stdout);
    assert_eq!(names.lines().filter(|l| l.starts_with("files/")).count(), 1, "{names}");
    assert!(names.starts_with("manifest.json\n") && names.trim_end().ends_with("END"), "{names}");

    // With its base beside it: restored whole.
    let target = lib.dir.path().join("r1");
    let restored = json_at(&target, &["restore", path_str(&inc)]);
    assert_eq!(restored["verify"]["ok"], true, "{restored}");
    assert_eq!(contents(&target.join("dangan.sqlite3")), contents(&lib.db()));

    // Alone: refused, naming the base; given with --base: restored.
    let alone = lib.dir.path().join("alone");
    std::fs::create_dir(&alone).unwrap();
    std::fs::copy(&inc, alone.join("inc.tar")).unwrap();
    let target2 = lib.dir.path().join("r2");
    admin_at(&target2, &["restore", path_str(&alone.join("inc.tar"))]).fails(3, "full.tar");
    assert!(!target2.exists());
    admin_at(&target2, &["--lang", "zh-CN", "restore", path_str(&alone.join("inc.tar"))])
        .fails(3, "增量备份");
    admin_at(&target2, &["restore", path_str(&alone.join("inc.tar")), "--base", path_str(&full)]).ok();
    assert_eq!(json_at(&target2, &["verify"])["ok"], true);
}

/// Where each entry's data starts in a tar file.
fn entry_offsets(file: &Path) -> Vec<(String, u64, u64)> {
    let mut a = tar::Archive::new(std::fs::File::open(file).unwrap());
    a.entries()
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.path().unwrap().to_string_lossy().into_owned(),
                e.raw_file_position(),
                e.header().size().unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_damaged_backup_is_refused_by_name_and_leaves_nothing_behind() {
    let lib = Lib::new();
    customer_with_scan(&lib, "损坏测试", 21);
    let good = lib.dir.path().join("good.tar");
    lib.json(&["backup", "--out", path_str(&good)]);
    let bytes = std::fs::read(&good).unwrap();
    let work = lib.dir.path().join("work");
    std::fs::create_dir(&work).unwrap();
    let target = work.join("restored");

    // Cut short at several places: in the manifest, the database, a file, the closing entry.
    // (Only the tar's two closing zero blocks may go: everything is in by then.)
    let len = bytes.len();
    for cut in [100, 700, len / 3, len / 2, len - 2000, len - 1100] {
        let f = work.join("cut.tar");
        std::fs::write(&f, &bytes[..cut]).unwrap();
        let r = lib.admin(&["backup", "verify", path_str(&f)]);
        assert_eq!(r.code, 1, "cut at {cut}: {}", r.stderr);
        assert!(
            r.stderr.contains("incomplete")
                || r.stderr.contains("not a Dangan backup")
                || r.stderr.contains("damaged"),
            "cut at {cut}: {}",
            r.stderr
        );
        let r = admin_at(&target, &["restore", path_str(&f)]);
        assert_eq!(r.code, 1, "cut at {cut}: {}", r.stderr);
        only(&work, &["cut.tar"]);
    }
    let f = work.join("cut.tar");
    std::fs::write(&f, &bytes[..len / 2]).unwrap();
    admin_at(&target, &["--lang", "zh-CN", "restore", path_str(&f)]).fails(1, "不完整");

    // One byte changed in the database copy, then in a scanned file: the entry is named.
    let offsets = entry_offsets(&good);
    for (entry, needle) in [("dangan.sqlite3", "dangan.sqlite3"), ("files/", "files/")] {
        let (name, at, size) = offsets.iter().find(|(n, _, _)| n.starts_with(entry)).unwrap().clone();
        let mut altered = bytes.clone();
        altered[(at + size / 2) as usize] ^= 0x55;
        let f = work.join("altered.tar");
        std::fs::write(&f, &altered).unwrap();
        lib.admin(&["backup", "verify", path_str(&f)]).fails(1, needle);
        let r = admin_at(&target, &["restore", path_str(&f)]);
        r.fails(1, &name);
        assert!(r.stderr.contains("does not match"), "{}", r.stderr);
        only(&work, &["altered.tar", "cut.tar"]);
    }
    admin_at(&target, &["--lang", "zh-CN", "restore", path_str(&work.join("altered.tar"))])
        .fails(1, "与清单不符");

    // Not a backup at all: a picture, a tar of something else, an empty file.
    let pic = work.join("picture.tar");
    std::fs::write(&pic, png(3)).unwrap();
    admin_at(&target, &["restore", path_str(&pic)]).fails(1, "not a Dangan backup");
    let other = work.join("other.tar");
    let made = std::process::Command::new("tar")
        .arg("cf")
        .arg(&other)
        .arg("-C")
        .arg(lib.dir.path())
        .arg("scan-21.png")
        .status()
        .unwrap();
    assert!(made.success());
    lib.admin(&["backup", "verify", path_str(&other)]).fails(1, "not a Dangan backup");
    admin_at(&target, &["--lang", "zh-CN", "restore", path_str(&other)]).fails(1, "不是 Dangan 的备份");
    admin_at(&target, &["restore", path_str(&work.join("nothing.tar"))]).fails(3, "not found");
    assert!(!target.exists());

    // The good one still restores.
    admin_at(&target, &["restore", path_str(&good)]).ok();
}

#[test]
fn restoring_over_a_library_or_a_full_folder_is_refused_and_changes_nothing() {
    let lib = Lib::new();
    lib.add_customer(&["--name", "原有客户"]);
    let b = lib.dir.path().join("b.tar");
    lib.json(&["backup", "--out", path_str(&b)]);
    lib.add_customer(&["--name", "备份后的客户"]);
    let before = contents(&lib.db());
    lib.admin(&["restore", path_str(&b)]).fails(4, "not an empty folder");
    lib.admin(&["--lang", "zh-CN", "restore", path_str(&b)]).fails(4, "绝不覆盖");
    assert_eq!(contents(&lib.db()), before);
    // A folder with someone's papers in it, too.
    let docs = lib.dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    std::fs::write(docs.join("letter.txt"), "x").unwrap();
    admin_at(&docs, &["restore", path_str(&b)]).fails(4, "not an empty folder");
    only(&docs, &["letter.txt"]);
    // An empty folder is fine.
    let empty = lib.dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    admin_at(&empty, &["restore", path_str(&b)]).ok();
    // A wrong password restores nothing.
    let t = lib.dir.path().join("t");
    run_raw(
        &["--library", path_str(&t), "restore", path_str(&b)],
        &[("DANGAN_USER", "admin"), ("DANGAN_PASSWORD", "wrong-password")],
    )
    .fails(5, "");
    assert!(!t.exists());
    only(lib.dir.path(), &["b.tar", "docs", "empty", "lib"]);
    // An existing backup file is never overwritten.
    let size = std::fs::metadata(&b).unwrap().len();
    lib.admin(&["backup", "--out", path_str(&b)]).fails(4, "already exists");
    assert_eq!(std::fs::metadata(&b).unwrap().len(), size);
}

#[test]
fn a_viewer_may_not_back_up_and_keep_rotates_whole_chains() {
    let lib = Lib::new();
    customer_with_scan(&lib, "轮换", 31);
    lib.add_user("viewer1", "viewer");
    let dir = lib.dir.path().join("auto");
    lib.run_as("viewer1", &["backup", "--out-dir", path_str(&dir)]).fails(5, "");
    let names = |args: &[&str]| -> Vec<PathBuf> {
        let mut a = vec!["backup", "--out-dir", path_str(&dir), "--keep", "1"];
        a.extend_from_slice(args);
        lib.json(&a);
        let mut v: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
        v.sort();
        v
    };
    assert_eq!(names(&[]).len(), 1);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    // An increment needs its base: both stay.
    let two = names(&["--incremental"]);
    assert_eq!(two.len(), 2, "{two:?}");
    assert!(two.iter().any(|p| p.to_string_lossy().ends_with("-inc.tar")));
    std::thread::sleep(std::time::Duration::from_millis(1100));
    // A new full backup: the old chain goes.
    let now = names(&[]);
    assert_eq!(now.len(), 1, "{now:?}");
    assert!(!two.contains(&now[0]));
    // A file that is not a backup is never touched.
    std::fs::write(dir.join("notes.tar"), "mine").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let last = names(&[]);
    assert!(last.contains(&dir.join("notes.tar")), "{last:?}");
    assert_eq!(last.len(), 2);
}
