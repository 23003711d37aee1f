//! People and files (issue 9): failed logins lock an account for a while, a disabled or locked
//! user is told so whatever the password, the password policy, user names without regard to
//! case, the user list for admins only, permission before the hash, private library files.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod guikit;
mod util;

use guikit::{act, log_in, shows};
use util::{ADMIN_PW, Lib, USER_PW};

fn login_actions(lib: &Lib) -> Vec<(String, String)> {
    lib.json(&["audit", "--logins", "--limit", "50"])
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["user"].as_str().unwrap().to_string(), r["action"].as_str().unwrap().to_string()))
        .collect()
}

fn as_clerk(lib: &Lib, password: &str) -> util::Run {
    lib.run_env(&["customer", "list"], &[("DANGAN_USER", "clerk1"), ("DANGAN_PASSWORD", password)])
}

#[test]
fn repeated_wrong_passwords_lock_the_account_until_an_admin_unlocks_it() {
    let lib = Lib::new();
    lib.add_user("clerk1", "clerk");
    // Three failures in a row lock (the default is five; the policy is the library's).
    lib.admin(&["user", "lockout", "--failures", "3", "--minutes", "15"]).ok();
    assert_eq!(lib.json(&["user", "lockout"])["max_failures"], 3);
    as_clerk(&lib, "wrong-1").fails(5, "Wrong user name or password");
    as_clerk(&lib, "wrong-2").fails(5, "Wrong user name or password");
    as_clerk(&lib, "wrong-3").fails(5, "locked after 3 failed logins");
    // Now even the right password is refused, with the same message.
    as_clerk(&lib, USER_PW).fails(5, "dangan user unlock clerk1");
    let users = lib.json(&["user", "list"]);
    let clerk = users.as_array().unwrap().iter().find(|u| u["name"] == "clerk1").unwrap();
    assert!(clerk["locked_until"].is_string(), "{clerk}");
    assert!(lib.admin(&["user", "list"]).ok().contains("locked until"));
    let actions = login_actions(&lib);
    assert!(actions.contains(&("clerk1".into(), "lock".into())), "{actions:?}");

    // Only an admin unlocks, and the unlock is audited.
    lib.run_as("clerk1", &["user", "unlock", "clerk1"]).fails(5, "locked");
    lib.add_user("viewer1", "viewer");
    lib.run_as("viewer1", &["user", "unlock", "clerk1"]).fails(5, "may not");
    lib.admin(&["user", "unlock", "clerk1"]).ok();
    as_clerk(&lib, USER_PW).ok();
    let actions = login_actions(&lib);
    assert!(actions.contains(&("admin".into(), "unlock".into())), "{actions:?}");
    lib.admin(&["user", "unlock", "clerk1"]).fails(4, "not locked");
}

#[test]
fn a_lock_ends_by_itself_so_the_only_admin_is_never_locked_out_for_ever() {
    let lib = Lib::new();
    lib.admin(&["user", "lockout", "--failures", "3"]).ok();
    for _ in 0..3 {
        lib.run_env(&["info"], &[("DANGAN_USER", "admin"), ("DANGAN_PASSWORD", "not-it-at-all")]);
    }
    lib.admin(&["info"]).fails(5, "locked");
    let until: String =
        lib.sql().query_row("SELECT locked_until FROM users WHERE name = 'admin'", [], |r| r.get(0)).unwrap();
    assert!(until.ends_with('Z') && until.len() == 24, "a time, not for ever: {until}");
    // The lock's time passes (set back rather than waited for).
    lib.sql().execute("UPDATE users SET locked_until = '2000-01-01T00:00:00.000Z'", []).unwrap();
    lib.admin(&["info"]).ok();
}

#[test]
fn a_disabled_user_is_told_so_whatever_the_password() {
    let lib = Lib::new();
    lib.add_user("clerk1", "clerk");
    lib.admin(&["user", "disable", "clerk1"]).ok();
    // Today "disabled" came only after the right password, confirming it.
    as_clerk(&lib, "a-wrong-guess").fails(5, "disabled");
    as_clerk(&lib, USER_PW).fails(5, "disabled");
}

#[test]
fn weak_passwords_are_refused_at_init_add_and_passwd() {
    let fresh = Lib::empty();
    fresh.run_env(&["init"], &[("DANGAN_PASSWORD", "12345678")]).fails(2, "common");
    fresh
        .run_env(&["init", "--admin", "guanliyuan"], &[("DANGAN_PASSWORD", "GuanLiYuan")])
        .fails(2, "user name");
    let lib = Lib::new();
    let add = |name: &str, pw: &str| {
        lib.run_env(
            &["user", "add", name, "--role", "clerk"],
            &[("DANGAN_USER", "admin"), ("DANGAN_PASSWORD", ADMIN_PW), ("DANGAN_NEW_PASSWORD", pw)],
        )
    };
    add("clerk1", "woaini1314").fails(2, "common");
    add("clerk1", "Clerk1").fails(2, "too short");
    add("clerk1", "CLERK1clerk1").ok();
    add("clerk2", "clerk2").fails(2, "too short");
    add("wangfang8", "WANGFANG8").fails(2, "user name");
    add("clerk3", "          ").fails(2, "only spaces");
    lib.run_env(
        &["user", "passwd", "admin"],
        &[("DANGAN_USER", "admin"), ("DANGAN_PASSWORD", ADMIN_PW), ("DANGAN_NEW_PASSWORD", "1qaz2wsx")],
    )
    .fails(2, "common");
}

#[test]
fn user_names_are_one_whatever_the_case() {
    let lib = Lib::new();
    lib.add_user("clerk1", "clerk");
    lib.run_env(
        &["user", "add", "Clerk1", "--role", "admin"],
        &[("DANGAN_USER", "admin"), ("DANGAN_PASSWORD", ADMIN_PW), ("DANGAN_NEW_PASSWORD", USER_PW)],
    )
    .fails(4, "already exists");
    // Logging in with another case is the same user, recorded under the name as stored.
    let me =
        lib.run_env(&["--json", "info"], &[("DANGAN_USER", "CLERK1"), ("DANGAN_PASSWORD", USER_PW)]).json();
    assert_eq!(me["user"]["name"], "clerk1");
    assert_eq!(lib.count("SELECT count(*) FROM users WHERE name = 'Clerk1'"), 0);
}

#[test]
fn the_user_list_needs_the_user_management_permission() {
    let lib = Lib::new();
    lib.add_user("clerk1", "clerk");
    lib.run_as("clerk1", &["user", "list"]).fails(5, "may not");
    assert_eq!(lib.json(&["user", "list"]).as_array().unwrap().len(), 2);
    // `info` still works for a clerk, without the head count.
    lib.json_as("clerk1", &["info"]);
}

#[test]
fn permission_is_checked_before_the_password_and_its_hash() {
    use dangan::core::{Access, ErrorKind, Library};
    use dangan::model::Role;
    let lib = Lib::new();
    lib.add_user("clerk1", "clerk");
    let mut s = Library::open(&lib.path, Access::Write).unwrap().login("clerk1", USER_PW, "test").unwrap();
    // A clerk is refused for who they are, not for the weak password they tried.
    assert_eq!(s.set_password("admin", "weak").unwrap_err().kind(), ErrorKind::Denied);
    assert_eq!(s.add_user("clerk9", "", Role::Admin, "weak").unwrap_err().kind(), ErrorKind::Denied);
    assert_eq!(s.users().unwrap_err().kind(), ErrorKind::Denied);
}

#[cfg(unix)]
#[test]
fn library_files_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let lib = Lib::new();
    lib.add_customer(&["--name", "张三"]);
    let mode = |name: &str| std::fs::metadata(lib.path.join(name)).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(""), 0o700, "the library folder");
    assert_eq!(mode("dangan.sqlite3"), 0o600);
    for name in ["dangan.sqlite3-wal", "dangan.sqlite3-shm"] {
        if lib.path.join(name).exists() {
            assert_eq!(mode(name), 0o600, "{name}");
        }
    }
    assert_eq!(mode("audit.head"), 0o600);
    assert_eq!(mode("dangan.lock.owner"), 0o600);
}

#[cfg(unix)]
#[test]
fn a_symlink_in_place_of_the_head_or_lock_owner_file_is_not_followed() {
    let lib = Lib::new();
    let victim = lib.dir.path().join("victim.txt");
    std::fs::write(&victim, "precious").unwrap();
    for name in ["audit.head", "dangan.lock.owner"] {
        let p = lib.path.join(name);
        std::fs::remove_file(&p).unwrap();
        std::os::unix::fs::symlink(&victim, &p).unwrap();
    }
    lib.add_customer(&["--name", "李四"]);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
}

#[test]
fn an_admin_unlocks_a_locked_user_from_the_settings_screen() {
    use dangan::gui::App;
    use dangan::gui::prefs::Prefs;
    let lib = Lib::new();
    lib.add_user("xiaoli", "clerk");
    lib.admin(&["user", "lockout", "--failures", "3"]).ok();
    for _ in 0..3 {
        lib.run_env(&["info"], &[("DANGAN_USER", "xiaoli"), ("DANGAN_PASSWORD", "guess-guess")]);
    }
    lib.run_as("xiaoli", &["info"]).fails(5, "locked");
    let mut app = App::new(lib.path.clone(), Prefs::default());
    log_in(&mut app, "admin", ADMIN_PW);
    act(&mut app, |ui| {
        ui.click("设置").unwrap();
    });
    assert!(shows(&app, "xiaoli"));
    act(&mut app, |ui| {
        ui.click("解锁（多次登录失败已锁定）").unwrap();
    });
    assert_eq!(lib.count("SELECT count(*) FROM users WHERE locked_until IS NOT NULL"), 0);
    assert!(!shows(&app, "解锁（多次登录失败已锁定）"), "the button goes with the lock");
    drop(app);
    lib.run_as("xiaoli", &["info"]).ok();
}
