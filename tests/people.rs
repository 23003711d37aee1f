//! Users, roles and logins: the core refuses, whatever the caller.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod util;

use util::{ADMIN_PW, Lib, USER_PW};

#[test]
fn a_wrong_password_is_refused_and_logged() {
    let lib = Lib::new();
    lib.run_env(&["customer", "list"], &[("DANGAN_USER", "admin"), ("DANGAN_PASSWORD", "nope")])
        .fails(5, "Wrong user name or password");
    lib.run_env(&["customer", "list"], &[("DANGAN_USER", "ghost"), ("DANGAN_PASSWORD", "nope")])
        .fails(5, "Wrong user name or password");
    lib.run_env(&["customer", "list"], &[("DANGAN_PASSWORD", ADMIN_PW)]).fails(2, "--user");
    lib.run_env(&["customer", "list"], &[("DANGAN_USER", "admin")]).fails(2, "DANGAN_PASSWORD");
    lib.admin(&["customer", "list"]).ok();
    let logins = lib.json(&["audit", "--logins"]);
    let actions: Vec<(&str, &str)> = logins
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["user"].as_str().unwrap(), r["action"].as_str().unwrap()))
        .collect();
    // Newest first: this audit call's login, the list, then the two failures.
    assert_eq!(
        &actions[..4],
        &[("admin", "login"), ("admin", "login"), ("ghost", "login_failed"), ("admin", "login_failed")]
    );
}

#[test]
fn a_viewer_reads_but_cannot_write_and_nothing_is_written() {
    let lib = Lib::new();
    let no = lib.add_customer(&["--name", "孙八"]);
    lib.add_user("viewer1", "viewer");
    lib.run_as("viewer1", &["customer", "show", &no]).ok();
    lib.run_as("viewer1", &["customer", "list"]).ok();
    let before = lib.count("SELECT count(*) FROM customers");
    lib.run_as("viewer1", &["customer", "add", "--name", "周九"])
        .fails(5, "viewer1 is a viewer and may not change dossiers");
    lib.run_as("viewer1", &["customer", "edit", &no, "--notes", "x"]).fails(5, "may not");
    lib.run_as("viewer1", &["doc", "add", &no, "--type", "ID"]).fails(5, "may not");
    lib.run_as("viewer1", &["customer", "close", &no]).fails(5, "may not");
    lib.run_as("viewer1", &["audit"]).fails(5, "may not");
    lib.run_as("viewer1", &["verify"]).fails(5, "may not");
    lib.run_as("viewer1", &["user", "add", "x", "--role", "admin"]).fails(5, "may not");
    assert_eq!(lib.count("SELECT count(*) FROM customers"), before);
    assert_eq!(lib.count("SELECT count(*) FROM documents"), 0);
    assert_eq!(lib.json(&["customer", "show", &no])["notes"], "");
}

#[test]
fn clerks_write_but_do_not_close_or_manage() {
    let lib = Lib::new();
    lib.add_user("clerk1", "clerk");
    let no = lib.run_as("clerk1", &["customer", "add", "--name", "吴十"]).ok().trim().to_string();
    assert_eq!(lib.json(&["customer", "show", &no])["clerk"], "clerk1");
    lib.run_as("clerk1", &["customer", "edit", &no, "--phone", "13800000000"]).ok();
    lib.run_as("clerk1", &["customer", "close", &no]).fails(5, "clerk1 is a clerk and may not close");
    lib.run_as("clerk1", &["customer", "add", "--name", "郑", "--confidential"]).fails(5, "may not");
    lib.run_as("clerk1", &["category", "add", "A", "甲"]).fails(5, "configuration");
    lib.run_as("clerk1", &["user", "disable", "admin"]).fails(5, "manage users");
    lib.add_user("arch1", "archivist");
    lib.run_as("arch1", &["customer", "close", &no]).ok();
}

#[test]
fn confidential_dossiers_are_hidden_from_those_who_may_not_see_them() {
    let lib = Lib::new();
    lib.add_customer(&["--name", "公开客户"]);
    let secret = lib.add_customer(&["--name", "保密客户", "--confidential"]);
    lib.add_user("viewer1", "viewer");
    lib.add_user("arch1", "archivist");

    let seen = lib.json_as("viewer1", &["customer", "list"]);
    let names: Vec<&str> = seen.as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["公开客户"]);
    lib.run_as("viewer1", &["customer", "show", &secret]).fails(5, "confidential");
    lib.run_as("viewer1", &["audit", "--dossier", &secret]).fails(5, "confidential");

    let d = lib.json_as("arch1", &["customer", "show", &secret]);
    assert_eq!(d["confidential"], true);
    let history = lib.json(&["audit", "--dossier", &secret]);
    let actions: Vec<(&str, &str)> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["user"].as_str().unwrap(), r["action"].as_str().unwrap()))
        .collect();
    assert!(actions.contains(&("arch1", "view")), "{actions:?}");
    assert!(actions.contains(&("viewer1", "view_denied")), "{actions:?}");
    assert!(actions.contains(&("admin", "create")), "{actions:?}");
}

#[test]
fn users_are_added_disabled_enabled_and_the_last_admin_is_kept() {
    let lib = Lib::new();
    lib.add_user("wangfang", "clerk");
    lib.run_env(
        &["user", "add", "wangfang", "--role", "clerk"],
        &[("DANGAN_USER", "admin"), ("DANGAN_PASSWORD", ADMIN_PW), ("DANGAN_NEW_PASSWORD", USER_PW)],
    )
    .fails(4, "already exists");
    lib.run_env(
        &["user", "add", "short", "--role", "clerk"],
        &[("DANGAN_USER", "admin"), ("DANGAN_PASSWORD", ADMIN_PW), ("DANGAN_NEW_PASSWORD", "123")],
    )
    .fails(2, "too short");
    lib.admin(&["user", "add", "bad name!", "--role", "clerk"]).fails(2, "User name");
    lib.admin(&["user", "add", "x", "--role", "boss"]).fails(2, "role");

    lib.admin(&["user", "disable", "wangfang"]).ok();
    lib.run_as("wangfang", &["customer", "list"]).fails(5, "disabled");
    lib.admin(&["user", "disable", "wangfang"]).fails(4, "already disabled");
    lib.admin(&["user", "enable", "wangfang"]).ok();
    lib.run_as("wangfang", &["customer", "list"]).ok();

    lib.admin(&["user", "disable", "admin"]).fails(4, "last active administrator");
    lib.admin(&["user", "role", "admin", "viewer"]).fails(4, "last active administrator");
    lib.admin(&["user", "disable", "nobody"]).fails(3, "nobody");
    let users = lib.json(&["user", "list"]);
    assert_eq!(users.as_array().unwrap().len(), 2);

    // Changing one's own password.
    lib.run_env(
        &["user", "passwd", "wangfang"],
        &[
            ("DANGAN_USER", "wangfang"),
            ("DANGAN_PASSWORD", USER_PW),
            ("DANGAN_NEW_PASSWORD", "a-new-password"),
        ],
    )
    .ok();
    lib.run_env(&["customer", "list"], &[("DANGAN_USER", "wangfang"), ("DANGAN_PASSWORD", "a-new-password")])
        .ok();
    // …but not someone else's.
    lib.run_env(
        &["user", "passwd", "admin"],
        &[
            ("DANGAN_USER", "wangfang"),
            ("DANGAN_PASSWORD", "a-new-password"),
            ("DANGAN_NEW_PASSWORD", "hijacked!!"),
        ],
    )
    .fails(5, "manage users");
}
