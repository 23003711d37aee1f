//! Messages in the user's language: core errors are a kind, a key and arguments, rendered by
//! the CLI (`--lang`, else the locale, else zh-CN) and the app (its language) — with the same
//! exit statuses whatever the language; history entries read as sentences in local time; and
//! every key the code uses exists in both languages with its arguments rendering.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod guikit;
mod util;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use dangan::gui::prefs::Prefs;
use dangan::gui::{App, Message, Screen, shell};
use dangan::i18n::{Language, Tr};
use guikit::{log_in, shows};
use util::{ADMIN_PW, Lib, Run, command, resident_id};

/// Runs `dangan` on `lib` as admin with `password`, the extra environment, and no LANG unless
/// given (the fixture's English default is taken away).
fn run_lang(lib: &Lib, args: &[&str], password: &str, env: &[(&str, &str)]) -> Run {
    let mut c = command();
    c.env_remove("LANG");
    c.args(["--library", lib.p()]).args(args);
    c.env("DANGAN_USER", "admin").env("DANGAN_PASSWORD", password);
    for (k, v) in env {
        c.env(k, v);
    }
    let o = c.output().expect("run dangan");
    Run {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

fn has_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn wrong_password_in_the_language_asked_for_with_the_same_exit_status() {
    let lib = Lib::new();
    // Many wrong passwords in a row: keep the account from being locked on the way.
    lib.admin(&["user", "lockout", "--failures", "20", "--minutes", "1"]).ok();
    let list = ["customer", "list"];
    // --lang before the verb, and after it.
    let en = run_lang(&lib, &["--lang", "en", "customer", "list"], "not-the-password", &[]);
    en.fails(5, "Wrong user name or password");
    assert!(!has_chinese(&en.stderr), "English asked for: {}", en.stderr);
    let zh = run_lang(&lib, &["customer", "list", "--lang", "zh-CN"], "not-the-password", &[]);
    zh.fails(5, "登录失败：用户名或密码错误");
    assert!(!zh.stderr.contains("wrong"), "{}", zh.stderr);
    // The locale decides when --lang is not given; LC_ALL before LANG; --lang before both.
    run_lang(&lib, &list, "x", &[("LANG", "en_US.UTF-8")]).fails(5, "Wrong user name");
    run_lang(&lib, &list, "x", &[("LANG", "zh_CN.UTF-8")]).fails(5, "用户名或密码错误");
    run_lang(&lib, &list, "x", &[("LANG", "en_US.UTF-8"), ("LC_ALL", "zh_CN.UTF-8")])
        .fails(5, "用户名或密码错误");
    run_lang(&lib, &["--lang", "en", "customer", "list"], "x", &[("LC_ALL", "zh_CN.UTF-8")])
        .fails(5, "Wrong user name");
    // No locale, or one we have no translation for: Chinese.
    run_lang(&lib, &list, "x", &[]).fails(5, "用户名或密码错误");
    run_lang(&lib, &list, "x", &[("LANG", "C.UTF-8")]).fails(5, "用户名或密码错误");
    // A language we do not have is a usage error.
    let fr = run_lang(&lib, &["--lang", "fr", "customer", "list"], ADMIN_PW, &[]);
    assert_eq!(fr.code, 2, "{}", fr.stderr);
}

#[test]
fn bad_id_check_digit_in_both_languages_exit_2() {
    let lib = Lib::new();
    let good = resident_id("11010519491231002");
    let last = good.chars().last().unwrap();
    let wrong = format!("{}{}", &good[..17], if last == '1' { '2' } else { '1' });
    let add = |lang: &str| {
        run_lang(
            &lib,
            &["customer", "add", "--name", "王五", "--id-number", &wrong, "--lang", lang],
            ADMIN_PW,
            &[],
        )
    };
    add("en").fails(2, "wrong check digit").fails(2, &format!("should be {last}"));
    add("zh-CN").fails(2, "校验位错误").fails(2, &format!("最后一位应为 {last}"));
    assert!(!add("zh-CN").stderr.contains("check digit"));
    // A value clap checks before the command runs: also in the language asked for.
    let grade = |lang: &str| {
        run_lang(
            &lib,
            &["customer", "add", "--name", "王五", "--grade", "very", "--lang", lang],
            ADMIN_PW,
            &[],
        )
    };
    grade("zh-CN").fails(2, "“very”不是有效的档案等级");
    grade("en").fails(2, "“very” is not a known grade");
}

#[test]
fn duplicates_in_both_languages_exit_4_and_only_the_cli_names_force() {
    let lib = Lib::new();
    let id = resident_id("11010519900307123");
    let first = lib.add_customer(&["--name", "张三", "--id-number", &id, "--phone", "13912345678"]);
    let same_id = |lang: &str| {
        run_lang(
            &lib,
            &["--lang", lang, "customer", "add", "--name", "李四", "--id-number", &id],
            ADMIN_PW,
            &[],
        )
    };
    same_id("en").fails(4, "Duplicate").fails(4, &first).fails(4, "张三");
    same_id("zh-CN").fails(4, "重复录入").fails(4, &first);
    let same_phone = |lang: &str| {
        run_lang(
            &lib,
            &["--lang", lang, "customer", "add", "--name", "张三", "--phone", "139 1234 5678"],
            ADMIN_PW,
            &[],
        )
    };
    same_phone("en").fails(4, "Likely duplicate").fails(4, "--force");
    same_phone("zh-CN").fails(4, "疑似重复").fails(4, "--force");
    // The app's wording of the same error names no flag.
    let e = dangan::model::Error::Duplicate {
        reason: dangan::model::error::DuplicateReason::SameNameAndPhone,
        existing: first.clone(),
        existing_name: "张三".into(),
    };
    for lang in Language::ALL {
        let text = Tr::new(lang).error(&e);
        assert!(text.contains(&first) && !text.contains("--"), "{text}");
    }
}

#[test]
fn history_reads_as_sentences_in_local_time() {
    let lib = Lib::new();
    let no = lib.add_customer(&["--name", "王芳", "--phone", "13912345678"]);
    lib.admin(&["customer", "edit", &no, "--phone", "13800001111", "--address", "杭州市西湖区文三路1号"])
        .ok();
    let rows = lib.json(&["audit", "--dossier", &no]);
    let edit =
        rows.as_array().unwrap().iter().find(|r| r["action"] == "update").expect("the edit is audited");
    let at = chrono::DateTime::parse_from_rfc3339(edit["at"].as_str().unwrap()).unwrap();
    let shanghai = (at + chrono::Duration::hours(8)).format("%Y-%m-%d %H:%M").to_string();
    let tz = [("TZ", "Asia/Shanghai")];
    let zh = run_lang(&lib, &["--lang", "zh-CN", "audit", "--dossier", &no], ADMIN_PW, &tz);
    let zh = zh.ok();
    assert!(zh.contains(&format!("{shanghai} admin 修改了客户资料：电话、地址")), "{zh}");
    assert!(zh.contains(&format!("admin 新建了客户档案 {no}")), "{zh}");
    assert!(!zh.contains("update customer"), "{zh}");
    let en = run_lang(&lib, &["--lang", "en", "audit", "--dossier", &no], ADMIN_PW, &tz);
    let en = en.ok();
    assert!(en.contains(&format!("{shanghai} admin changed the customer's details: phone, address")), "{en}");
}

#[test]
fn the_app_tells_a_wrong_password_in_chinese_and_in_english() {
    let lib = Lib::new();
    let mut app = App::new(lib.path.clone(), Prefs::default());
    log_in(&mut app, "admin", "not-the-password");
    let Screen::Login(l) = &app.screen else { panic!("a wrong password must not log in") };
    assert!(shows(&app, "登录失败：用户名或密码错误"), "{:?}", l.error);
    assert!(!shows(&app, "wrong user name"), "no English in the Chinese app");

    let mut app = App::new(lib.path.clone(), Prefs { language: Language::English, ..Prefs::default() });
    log_in(&mut app, "admin", "not-the-password");
    assert!(shows(&app, "Wrong user name or password"));
}

#[test]
fn switching_to_english_relabels_grades_statuses_and_the_role() {
    let lib = Lib::new();
    lib.add_customer(&["--name", "张伟", "--phone", "13800001111", "--grade", "important"]);
    let mut app = App::new(lib.path.clone(), Prefs::default());
    log_in(&mut app, "admin", ADMIN_PW);
    assert!(matches!(app.screen, Screen::Main(_)));
    assert!(shows(&app, "重要") && shows(&app, "在册") && shows(&app, "管理员"));
    // The task it returns only saves the preferences: not run, so the tester's are untouched.
    let _save = app.update(Message::Main(shell::Message::Language(Language::English)));
    assert!(shows(&app, "Important") && shows(&app, "Active") && shows(&app, "Administrator"));
    assert!(!shows(&app, "重要") && !shows(&app, "在册"), "no Chinese labels left in English");
    let Screen::Main(s) = &app.screen else { panic!() };
    let grades: Vec<&str> = s.dossiers.grades.iter().map(|c| c.label.as_str()).collect();
    assert!(grades.contains(&"Important") && grades.contains(&"General"), "{grades:?}");
    let statuses: Vec<&str> = s.dossiers.statuses.iter().map(|c| c.label.as_str()).collect();
    assert!(statuses.contains(&"Closed"), "{statuses:?}");
}

#[test]
fn the_dossier_names_the_id_kind_and_its_history_in_the_apps_language() {
    let lib = Lib::new();
    let id = resident_id("11010519900307123");
    let no = lib.add_customer(&["--name", "欧阳娜娜", "--id-number", &id]);
    let history = [
        (Language::Chinese, "居民身份证", format!("admin 新建了客户档案 {no}")),
        (Language::English, "Resident ID card", format!("admin registered the customer (dossier {no})")),
    ];
    for (lang, kind, created) in history {
        let mut app = App::new(lib.path.clone(), Prefs { language: lang, ..Prefs::default() });
        log_in(&mut app, "admin", ADMIN_PW);
        let t = app.update(Message::Main(shell::Message::Scanned(no.clone())));
        guikit::drain(&mut app, t);
        assert!(shows(&app, &format!("{id} · {kind}")), "{lang:?}: the ID number with its kind");
        assert!(shows(&app, &created), "{lang:?}: the history reads as a sentence");
        assert!(!shows(&app, "create customer"), "{lang:?}: not the audit row's codes");
    }
}

#[test]
fn the_recovery_screen_tells_a_damaged_library_in_the_apps_language() {
    let lib = Lib::empty();
    std::fs::create_dir_all(&lib.path).unwrap();
    std::fs::write(lib.db(), b"this is not a database, it only has the name of one".repeat(100)).unwrap();
    let app = App::new(lib.path.clone(), Prefs::default());
    assert!(matches!(app.screen, Screen::Recovery { .. }));
    assert!(shows(&app, "已损坏") && shows(&app, "请从备份恢复"), "the damage is told in Chinese");
    assert!(!shows(&app, "dangan restore"), "the app names no command");
    let app = App::new(lib.path.clone(), Prefs { language: Language::English, ..Prefs::default() });
    assert!(shows(&app, "is damaged or is not a Dangan library"));
}

#[test]
fn the_app_names_a_missing_required_field_without_cli_flags() {
    // The rendering the app uses for a core error never names a flag, in either language,
    // while the command line's may.
    let e = dangan::model::Error::usage("field-required").arg("fields", "户号");
    for lang in Language::ALL {
        let tr = Tr::new(lang);
        assert!(tr.error(&e).contains("户号") && !tr.error(&e).contains("--"), "{}", tr.error(&e));
        assert!(tr.error_cli(&e).contains("--field"), "{}", tr.error_cli(&e));
    }
}

// ---- every key the code uses exists in both languages ----

/// A message key used in the code and the argument names given with it there.
#[derive(Debug, Default)]
struct Use {
    args: BTreeSet<String>,
    places: BTreeSet<String>,
}

/// Calls whose string-literal arguments are message keys (in the call's own parentheses).
const KEY_CALLS: &[&str] = &[
    "Error::usage(",
    "Error::conflict(",
    "Error::missing(",
    "Message::new(",
    "Error::io(",
    "Failure::internal(",
    ".t(",
    ".ta(",
    "read_only_or_io(",
    "parse_date(",
    "clean_text(",
    "check_len(",
    "check_code(",
    "check_label(",
    "bad(",
    "Err(",
];

fn is_key(s: &str) -> bool {
    let mut parts = s.split('-');
    parts.next().is_some_and(|p| p.starts_with(|c: char| c.is_ascii_lowercase()))
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.ends_with('-')
        && !s.contains("--")
}

/// The end of the string literal starting at `i` (a `"`), and its content.
fn literal(b: &[u8], i: usize) -> (usize, String) {
    let mut j = i + 1;
    while j < b.len() && b[j] != b'"' {
        j += if b[j] == b'\\' { 2 } else { 1 };
    }
    (j + 1, String::from_utf8_lossy(&b[i + 1..j.min(b.len())]).into_owned())
}

/// The keys in the call whose `(` is at `open`, the argument names given inside it
/// (`("name", value)` pairs), and the index after its `)`.
fn call(b: &[u8], open: usize) -> (Vec<String>, Vec<String>, usize) {
    let (mut keys, mut names) = (Vec::new(), Vec::new());
    let mut depth = 0i32;
    let mut i = open;
    while i < b.len() {
        match b[i] {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                depth -= 1;
                if depth == 0 {
                    return (keys, names, i + 1);
                }
            }
            b'"' => {
                let (end, s) = literal(b, i);
                let before = b[..i].iter().rev().find(|c| !c.is_ascii_whitespace());
                let after = b[end..].iter().find(|c| !c.is_ascii_whitespace());
                if depth > 1 && before == Some(&b'(') && after == Some(&b',') {
                    names.push(s); // an argument's name in ("name", value)
                } else if is_key(&s) {
                    keys.push(s);
                }
                i = end;
                continue;
            }
            b'\''
                if b.get(i + 2) == Some(&b'\'')
                    || (b.get(i + 1) == Some(&b'\\') && b.get(i + 3) == Some(&b'\'')) =>
            {
                i += if b[i + 1] == b'\\' { 4 } else { 3 }; // a char literal such as '(' or '"'
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    (keys, names, i)
}

/// The `.arg("name", …)` chain that follows index `i`.
fn chained_args(b: &[u8], mut i: usize) -> Vec<String> {
    let mut names = Vec::new();
    loop {
        let rest = &b[i..];
        let skip = rest.iter().take_while(|c| c.is_ascii_whitespace()).count();
        if !rest[skip..].starts_with(b".arg(") {
            return names;
        }
        let open = i + skip + 4;
        let q = b[open..].iter().position(|c| *c == b'"').map(|p| open + p);
        if let Some(q) = q {
            names.push(literal(b, q).1);
        }
        i = call(b, open).2;
    }
}

fn scan(dir: &Path, uses: &mut BTreeMap<String, Use>, history: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            scan(&path, uses, history);
            continue;
        }
        if path.extension().and_then(|e| e.to_str()) != Some("rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        // Test modules use keys of their own ("date" …) to test the machinery.
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        let b = code.as_bytes();
        for pat in KEY_CALLS {
            let mut from = 0;
            while let Some(p) = code[from..].find(pat) {
                let open = from + p + pat.len() - 1;
                let (keys, names, end) = call(b, open);
                let mut args: BTreeSet<String> = names.into_iter().collect();
                args.extend(chained_args(b, end));
                for k in keys {
                    let u = uses.entry(k).or_default();
                    u.args.extend(args.iter().cloned());
                    u.places.insert(path.display().to_string());
                }
                from = open + 1;
            }
        }
        // Audit rows: `action: "…"` then `entity: "…"` make a history sentence's key.
        let mut from = 0;
        while let Some(p) = code[from..].find("action: ") {
            let start = from + p;
            let line_end = code[start..].find('\n').map_or(code.len(), |e| start + e);
            let mut actions = Vec::new();
            let mut i = start;
            while let Some(q) = code[i..line_end].find('"') {
                let (end, s) = literal(b, i + q);
                actions.push(s);
                i = end;
            }
            if let Some(e) = code[line_end..].find("entity: \"") {
                let (_, entity) = literal(b, line_end + e + "entity: ".len());
                for a in actions {
                    history.insert(format!("history-{entity}-{a}").replace('_', "-"));
                }
            }
            from = line_end;
        }
    }
}

#[test]
fn every_key_the_code_uses_is_in_both_languages_with_its_arguments() {
    let mut uses = BTreeMap::new();
    let mut history = BTreeSet::new();
    scan(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut uses, &mut history);
    assert!(uses.len() > 150, "the scan finds the keys: {}", uses.len());
    assert!(uses.contains_key("login-wrong") && uses.contains_key("duplicate-id-number"));
    assert!(history.contains("history-customer-update"), "{history:?}");

    let mut problems = Vec::new();
    for lang in Language::ALL {
        let tr = Tr::new(lang);
        for (key, u) in &uses {
            for k in [key.clone(), format!("{key}-cli")] {
                if k != *key && !tr.has(&k) {
                    continue;
                }
                match tr.check(&k, &u.args.iter().map(String::as_str).collect::<Vec<_>>()) {
                    Ok(text) if text.contains("{$") || text.contains("{ $") => {
                        problems.push(format!("{lang:?} {k}: unrendered argument in {text:?}"))
                    }
                    Ok(_) => {}
                    Err(e) => problems.push(format!("{lang:?} {k} (used in {:?}): {e}", u.places)),
                }
            }
        }
        for k in &history {
            if !tr.has(k) {
                problems.push(format!("{lang:?} has no history sentence {k}"));
            }
        }
        // Keys the code builds from values rather than literals.
        use dangan::model::permission::Permission;
        use dangan::model::{FieldKind, Grade, IdKind, Role, Status};
        let mut built: Vec<&str> = Permission::ALL.iter().map(|p| p.action()).collect();
        built.extend(Role::ALL.iter().map(|v| v.label_key()));
        built.extend(Grade::ALL.iter().map(|v| v.label_key()));
        built.extend(Status::ALL.iter().map(|v| v.label_key()));
        built.extend(IdKind::ALL.iter().map(|v| v.label_key()));
        built.extend(FieldKind::ALL.iter().map(|v| v.label_key()));
        built.extend([
            Role::LABEL_KEY,
            Grade::LABEL_KEY,
            Status::LABEL_KEY,
            IdKind::LABEL_KEY,
            FieldKind::LABEL_KEY,
        ]);
        for k in built {
            if !tr.has(k) {
                problems.push(format!("{lang:?} has no label {k}"));
            }
        }
    }
    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n"));
}
