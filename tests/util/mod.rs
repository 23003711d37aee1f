//! The test fixture: a temporary library and a helper that runs the real `dangan` binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

pub const ADMIN_PW: &str = "admin-password-1";
pub const USER_PW: &str = "user-password-1";

/// What a run of `dangan` did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }

    /// Asserts success and returns stdout.
    #[track_caller]
    pub fn ok(&self) -> &str {
        assert_eq!(self.code, 0, "expected success\nstdout: {}\nstderr: {}", self.stdout, self.stderr);
        &self.stdout
    }

    /// Asserts the exit status and that stderr mentions `needle`.
    #[track_caller]
    pub fn fails(&self, code: i32, needle: &str) -> &Self {
        assert_eq!(self.code, code, "wrong exit status\nstdout: {}\nstderr: {}", self.stdout, self.stderr);
        assert!(self.stderr.contains(needle), "stderr does not mention {needle:?}\nstderr: {}", self.stderr);
        self
    }

    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_str(self.ok()).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout))
    }
}

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_dangan")
}

/// A `dangan` command with a clean environment (no DANGAN_* from the caller) and an English
/// locale, so that messages do not depend on the machine's (tests of the language itself,
/// `tests/messages.rs`, set `--lang` or the locale).
pub fn command() -> Command {
    let mut c = Command::new(bin());
    for (k, _) in std::env::vars() {
        if k.starts_with("DANGAN_") || k == "RUST_LOG" || k == "LC_ALL" || k == "LC_MESSAGES" {
            c.env_remove(k);
        }
    }
    c.env("LANG", "en_US.UTF-8");
    c
}

pub fn run_raw(args: &[&str], envs: &[(&str, &str)]) -> Run {
    let mut c = command();
    c.args(args);
    for (k, v) in envs {
        c.env(k, v);
    }
    Run::from(c.output().expect("run dangan"))
}

/// A library in a temporary folder, initialised with an admin `admin`.
pub struct Lib {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
}

impl Lib {
    pub fn new() -> Lib {
        Lib::with_template("general")
    }

    pub fn utility() -> Lib {
        Lib::with_template("utility")
    }

    pub fn with_template(template: &str) -> Lib {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("lib");
        let lib = Lib { dir, path };
        run_raw(
            &["--library", lib.p(), "init", "--admin", "admin", "--template", template],
            &[("DANGAN_PASSWORD", ADMIN_PW)],
        )
        .ok();
        lib
    }

    /// An empty folder, no library yet.
    pub fn empty() -> Lib {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("lib");
        Lib { dir, path }
    }

    pub fn p(&self) -> &str {
        self.path.to_str().expect("utf-8 path")
    }

    pub fn db(&self) -> PathBuf {
        self.path.join("dangan.sqlite3")
    }

    /// Runs as `user` with that user's password.
    pub fn run_as(&self, user: &str, args: &[&str]) -> Run {
        let pw = if user == "admin" { ADMIN_PW } else { USER_PW };
        self.run_env(args, &[("DANGAN_USER", user), ("DANGAN_PASSWORD", pw)])
    }

    pub fn run_env(&self, args: &[&str], envs: &[(&str, &str)]) -> Run {
        let mut all: Vec<&str> = vec!["--library", self.p()];
        all.extend_from_slice(args);
        run_raw(&all, envs)
    }

    /// Runs as admin.
    pub fn admin(&self, args: &[&str]) -> Run {
        self.run_as("admin", args)
    }

    /// Runs as admin with `--json` and parses stdout.
    pub fn json(&self, args: &[&str]) -> Value {
        let mut a = vec!["--json"];
        a.extend_from_slice(args);
        self.admin(&a).json()
    }

    pub fn json_as(&self, user: &str, args: &[&str]) -> Value {
        let mut a = vec!["--json"];
        a.extend_from_slice(args);
        self.run_as(user, &a).json()
    }

    /// Adds a user with password [`USER_PW`].
    pub fn add_user(&self, name: &str, role: &str) {
        self.run_env(
            &["user", "add", name, "--role", role],
            &[("DANGAN_USER", "admin"), ("DANGAN_PASSWORD", ADMIN_PW), ("DANGAN_NEW_PASSWORD", USER_PW)],
        )
        .ok();
    }

    /// Registers a customer as admin; returns the dossier number.
    pub fn add_customer(&self, extra: &[&str]) -> String {
        let mut a = vec!["customer", "add"];
        a.extend_from_slice(extra);
        self.admin(&a).ok().trim().to_string()
    }

    pub fn sql(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.db()).expect("open sqlite")
    }

    pub fn count(&self, sql: &str) -> i64 {
        self.sql().query_row(sql, [], |r| r.get(0)).expect("count")
    }
}

/// A valid 18-digit resident ID built from region, birth date and sequence.
pub fn resident_id(first17: &str) -> String {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17.chars().zip(W).map(|(c, w)| c.to_digit(10).unwrap() * w).sum();
    format!("{first17}{}", b"10X98765432"[(sum % 11) as usize] as char)
}

pub fn exists(p: &Path) -> bool {
    p.exists()
}
