//! The audit chain must not be fooled: every head is read before `verify` writes anything, a
//! missing head is never recreated while rows exist, a correctly hashed row appended behind
//! Dangan's back is named (also after later legitimate writes), and every record edited in
//! SQLite without an audit row is named. Tampering is done here with direct SQL and file edits,
//! as someone with the library folder would.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod util;

use std::fs;

use dangan::model::audit::{Record, chain_hash};
use util::Lib;

/// A library where customers, documents, users and categories have audited changes.
fn busy_library() -> (Lib, String) {
    let lib = Lib::new();
    lib.add_user("clerk1", "clerk");
    let no = lib.add_customer(&["--name", "冯一", "--phone", "13811112222"]);
    lib.admin(&["customer", "edit", &no, "--address", "上海市浦东新区世纪大道100号"]).ok();
    lib.admin(&["doc", "add", &no, "--type", "ID", "--title", "身份证复印件"]).ok();
    lib.admin(&["category", "add", "NEW", "新分类"]).ok();
    (lib, no)
}

/// Drops the append-only triggers and runs `sql`, as a tamperer with the file would.
fn tamper(lib: &Lib, sql: &str) {
    let db = lib.sql();
    db.execute_batch(
        "DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;",
    )
    .unwrap();
    db.execute_batch(sql).unwrap();
}

fn last_row(lib: &Lib) -> (i64, String) {
    lib.sql()
        .query_row("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap()
}

/// `verify` fails (exit 1) and its output names `needle`.
#[track_caller]
fn verify_fails_naming(lib: &Lib, needle: &str) -> String {
    let r = lib.admin(&["verify"]);
    assert_eq!(r.code, 1, "verify should fail\nstdout: {}\nstderr: {}", r.stdout, r.stderr);
    assert!(r.stdout.contains(needle), "verify does not name {needle:?}\nstdout: {}", r.stdout);
    r.stdout
}

/// Appends a correctly hashed row after the last one, without moving any head.
fn forge_row(lib: &Lib) -> i64 {
    let (seq, prev) = last_row(lib);
    let seq = seq + 1;
    let at = "2026-11-23T09:00:00.000Z";
    let after = r#"{"program":"cli","ok":true,"reason":null}"#;
    let hash = chain_hash(
        &prev,
        &Record {
            seq,
            at,
            user: "admin",
            action: "login",
            entity: "session",
            entity_id: "admin",
            dossier: None,
            before: None,
            after: Some(after),
        },
    );
    lib.sql()
        .execute(
            "INSERT INTO audit_log (seq, at, user_name, action, entity, entity_id, dossier_no, before, after,
                                    prev_hash, hash)
             VALUES (?1, ?2, 'admin', 'login', 'session', 'admin', NULL, NULL, ?3, ?4, ?5)",
            rusqlite::params![seq, at, after, prev, hash],
        )
        .unwrap();
    seq
}

#[test]
fn a_whole_library_verifies_and_verify_is_audited() {
    let (lib, _) = busy_library();
    lib.admin(&["verify"]).ok();
    lib.admin(&["verify"]).ok();
    let rows = lib.count("SELECT count(*) FROM audit_log WHERE entity = 'library' AND action = 'verify'");
    assert_eq!(rows, 2);
}

#[test]
fn documents_of_a_second_dossier_verify_against_their_own_dossier() {
    let (lib, _) = busy_library();
    let second = lib.add_customer(&["--name", "杨七", "--category", "NEW"]);
    lib.admin(&["doc", "add", &second, "--type", "ID", "--title", "第二份"]).ok();
    lib.admin(&["verify"]).ok();
    tamper(&lib, "UPDATE documents SET pages = 99 WHERE title = '第二份'");
    verify_fails_naming(&lib, &format!("({second}) differs from its last audited state: pages"));
}

#[test]
fn tail_rows_cut_off_with_the_head_file_are_found_and_the_file_is_not_recreated() {
    let (lib, _) = busy_library();
    let (last, _) = last_row(&lib);
    let keep = last - 3;
    let hash: String =
        lib.sql().query_row("SELECT hash FROM audit_log WHERE seq = ?1", [keep], |r| r.get(0)).unwrap();
    tamper(
        &lib,
        &format!(
            "DELETE FROM audit_log WHERE seq > {keep};
             UPDATE meta SET value = '{keep} {hash}' WHERE key = 'audit_head';
             UPDATE writer_head SET audit_seq = {keep}, audit_hash = '{hash}';"
        ),
    );
    fs::remove_file(lib.path.join("audit.head")).unwrap();
    verify_fails_naming(&lib, "audit.head file is missing");
    // Neither verify nor any other write brings the file back: it stays a problem.
    assert!(!lib.path.join("audit.head").exists());
    lib.add_customer(&["--name", "褚二"]);
    assert!(!lib.path.join("audit.head").exists());
    verify_fails_naming(&lib, "audit.head file is missing");
}

#[test]
fn an_admin_re_anchors_a_missing_head_file_and_that_is_audited() {
    let (lib, _) = busy_library();
    fs::remove_file(lib.path.join("audit.head")).unwrap();
    verify_fails_naming(&lib, "re-anchor");
    // A clerk may not.
    lib.add_user("clerk2", "clerk");
    assert_eq!(lib.run_as("clerk2", &["audit", "anchor"]).code, 5);
    lib.admin(&["audit", "anchor"]).ok();
    assert!(lib.path.join("audit.head").exists());
    lib.admin(&["verify"]).ok();
    let anchors = lib.count("SELECT count(*) FROM audit_log WHERE entity = 'audit' AND action = 'anchor'");
    assert_eq!(anchors, 1);
    let history = lib.admin(&["audit"]).ok().to_string();
    assert!(history.contains("re-anchored"), "{history}");
}

#[test]
fn a_garbage_head_file_is_reported_and_left_alone() {
    let (lib, _) = busy_library();
    fs::write(lib.path.join("audit.head"), "not a head\n").unwrap();
    verify_fails_naming(&lib, "audit.head file is unreadable");
    assert_eq!(fs::read_to_string(lib.path.join("audit.head")).unwrap(), "not a head\n");
    lib.add_customer(&["--name", "卫三"]);
    verify_fails_naming(&lib, "audit.head file is unreadable");
}

#[test]
fn a_wiped_log_is_found() {
    let (lib, _) = busy_library();
    tamper(
        &lib,
        "DELETE FROM audit_log;
         DELETE FROM meta WHERE key = 'audit_head';
         UPDATE writer_head SET audit_seq = 0,
             audit_hash = '0000000000000000000000000000000000000000000000000000000000000000';",
    );
    fs::remove_file(lib.path.join("audit.head")).unwrap();
    verify_fails_naming(&lib, "audit log is empty");
}

#[test]
fn a_correctly_hashed_row_appended_behind_dangans_back_is_found() {
    let (lib, _) = busy_library();
    let forged = forge_row(&lib);
    verify_fails_naming(&lib, &format!("audit rows {forged}–{forged} come after every recorded head"));
}

#[test]
fn a_forged_row_is_still_found_after_later_legitimate_writes() {
    let (lib, _) = busy_library();
    let forged = forge_row(&lib);
    lib.add_customer(&["--name", "蒋四"]);
    lib.admin(&["category", "add", "LATER", "后加分类"]).ok();
    let out = verify_fails_naming(&lib, "it had not written");
    assert!(out.contains(&format!("{forged}–{forged}")), "{out}");
    // And again after that: the break is in the chain for good.
    lib.add_customer(&["--name", "沈五"]);
    verify_fails_naming(&lib, "it had not written");
}

#[test]
fn a_forged_row_with_the_database_heads_moved_too_is_found_through_the_head_file() {
    let (lib, _) = busy_library();
    let forged = forge_row(&lib);
    let hash: String =
        lib.sql().query_row("SELECT hash FROM audit_log WHERE seq = ?1", [forged], |r| r.get(0)).unwrap();
    tamper(
        &lib,
        &format!(
            "UPDATE meta SET value = '{forged} {hash}' WHERE key = 'audit_head';
             UPDATE writer_head SET audit_seq = {forged}, audit_hash = '{hash}';"
        ),
    );
    verify_fails_naming(&lib, "also moved the database's heads");
    // Neither verify's own login nor a later write moves the file over the forged row.
    lib.add_customer(&["--name", "韩六"]);
    verify_fails_naming(&lib, &format!("the audit.head file names audit row {}", forged - 1));
}

#[test]
fn a_customer_edited_in_sqlite_without_an_audit_row_is_named() {
    let (lib, no) = busy_library();
    lib.admin(&["verify"]).ok();
    tamper(&lib, "UPDATE customer_phones SET phone = '13900000000'");
    let out =
        verify_fails_naming(&lib, &format!("customer {no} differs from its last audited state: phones"));
    assert!(!out.contains("address"), "{out}");
}

#[test]
fn a_document_edited_in_sqlite_without_an_audit_row_is_named() {
    let (lib, _) = busy_library();
    tamper(&lib, "UPDATE documents SET title = '伪造的标题'");
    verify_fails_naming(&lib, "differs from its last audited state: title");
}

#[test]
fn a_role_raised_in_sqlite_without_an_audit_row_is_named() {
    let (lib, _) = busy_library();
    tamper(&lib, "UPDATE users SET role = 'admin' WHERE name = 'clerk1'");
    verify_fails_naming(&lib, "user clerk1 differs from its last audited state: role");
}

#[test]
fn a_category_renamed_in_sqlite_without_an_audit_row_is_named() {
    let (lib, _) = busy_library();
    tamper(&lib, "UPDATE categories SET name = '改过的名字' WHERE code = 'NEW'");
    verify_fails_naming(&lib, "category NEW differs from its last audited state: name");
}

#[test]
fn quick_verify_names_a_recent_direct_edit_and_says_what_it_checked() {
    let (lib, no) = busy_library();
    lib.admin(&["verify"]).ok();
    let quick = lib.admin(&["verify", "--quick"]);
    assert_eq!(quick.code, 0, "{}\n{}", quick.stdout, quick.stderr);
    assert!(quick.stdout.contains("Quick check"), "{}", quick.stdout);
    tamper(
        &lib,
        &format!(
            "UPDATE customers SET address = '别处', updated_at = '2999-01-01T00:00:00.000Z' WHERE dossier_no = '{no}'"
        ),
    );
    let r = lib.admin(&["verify", "--quick"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stdout.contains(&format!("customer {no} differs")) && r.stdout.contains("address"),
        "{}",
        r.stdout
    );
}

#[test]
fn the_head_digest_is_printed_and_checked_against_a_paper_log() {
    let (lib, _) = busy_library();
    let h = lib.json(&["audit", "head"]);
    let seq = h["seq"].as_i64().unwrap().to_string();
    let digest = h["digest"].as_str().unwrap().to_string();
    assert_eq!(digest.len(), 19, "{digest}");
    let text = lib.admin(&["audit", "head"]).ok().to_string();
    assert!(text.contains("digest"), "{text}");
    lib.admin(&["audit", "head", "--check", &seq, &digest]).ok();
    // Rewrite that row (hash recomputed, so the chain alone would not tell): the digest does.
    tamper(&lib, &format!("UPDATE audit_log SET hash = 'ff' || substr(hash, 3) WHERE seq = {seq}"));
    let r = lib.admin(&["audit", "head", "--check", &seq, &digest]);
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("rewritten") || r.stderr.contains("rewritten"), "{}\n{}", r.stdout, r.stderr);
}
