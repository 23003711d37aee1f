//! Input that lies (issue 9): control and invisible characters, names compared the way search
//! compares them, dates and numbers out of range, contradictory flags, category changes that
//! would drop values, a new required field on old dossiers.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod util;

use util::Lib;

#[test]
fn escape_bel_and_osc_sequences_in_names_titles_and_addresses_are_refused() {
    let lib = Lib::new();
    lib.admin(&["customer", "add", "--name", "张三\u{1b}]0;pwned\u{7}"]).fails(2, "control character");
    lib.admin(&["customer", "add", "--name", "李四", "--address", "杭州\u{1b}[2J"]).fails(2, "U+001B ESC");
    let no = lib.add_customer(&["--name", "王五"]);
    lib.admin(&["doc", "add", &no, "--type", "ID", "--title", "身份证\u{7}"]).fails(2, "BEL");
    lib.admin(&["customer", "edit", &no, "--notes", "第一行\n第二行"]).ok();
    lib.admin(&["customer", "edit", &no, "--notes", "x\u{1b}[31m"]).fails(2, "control character");
    assert_eq!(lib.count("SELECT count(*) FROM customers"), 1);
    // Configuration too: a category's name, a field's choices.
    lib.admin(&["category", "add", "VIP", "贵宾\u{1b}[5m"]).fails(2, "control character");
    lib.admin(&["field", "add", "PERSON", "等级", "--kind", "choice", "--options", "甲\u{7},乙"])
        .fails(2, "control character");
}

#[test]
fn invisible_characters_are_removed_from_names() {
    let lib = Lib::new();
    let no = lib.add_customer(&["--name", "欧\u{200B}阳\u{00AD}娜\u{202E}娜\u{FEFF}"]);
    assert_eq!(lib.json(&["customer", "show", &no])["name"], "欧阳娜娜");
}

#[test]
fn the_cli_escapes_a_control_character_planted_in_the_database() {
    let lib = Lib::new();
    let no = lib.add_customer(&["--name", "赵六"]);
    // Written behind Dangan's back, as an attacker with the file could.
    lib.sql().execute("UPDATE customers SET name = '赵六' || char(27) || ']0;pwned' || char(7)", []).unwrap();
    let out = lib.admin(&["customer", "show", &no]);
    assert!(!out.ok().contains('\u{1b}') && !out.stdout.contains('\u{7}'), "{:?}", out.stdout);
    assert!(out.stdout.contains("赵六\\u{001b}]0;pwned\\u{0007}"), "{}", out.stdout);
    let list = lib.admin(&["customer", "list"]);
    assert!(!list.ok().contains('\u{1b}'), "{:?}", list.stdout);
}

#[test]
fn a_traditional_name_with_the_same_phone_is_a_duplicate() {
    let lib = Lib::new();
    let first = lib.add_customer(&["--name", "欧阳娜娜", "--phone", "13800138000"]);
    lib.admin(&["customer", "add", "--name", "歐陽娜娜", "--phone", "13800138000"]).fails(4, &first);
    lib.admin(&["customer", "add", "--name", "欧阳\u{200B}娜娜", "--phone", "13800138000"]).fails(4, &first);
    lib.admin(&["customer", "add", "--name", "歐陽娜娜", "--phone", "13800138000", "--force"]).ok();
}

#[test]
fn a_two_digit_year_is_not_the_year_26() {
    let lib = Lib::new();
    let no = lib.add_customer(&["--name", "孙七"]);
    lib.admin(&["doc", "add", &no, "--type", "ID", "--date", "26-01-01"]).fails(2, "YYYY-MM-DD");
    lib.admin(&["doc", "add", &no, "--type", "ID", "--expires", "9999-12-31"]).fails(2, "1900");
    lib.admin(&["doc", "add", &no, "--type", "ID", "--date", "1850-01-01"]).fails(2, "1900");
    lib.admin(&["doc", "add", &no, "--type", "ID", "--date", "2026年1月2日"]).ok();
    assert_eq!(lib.count("SELECT count(*) FROM documents"), 1);
}

#[test]
fn a_negative_capacity_is_refused() {
    let lib = Lib::utility();
    let add = |capacity: &str| {
        lib.admin(&[
            "customer",
            "add",
            "--name",
            "某某工厂",
            "--category",
            "HV-10",
            "--field",
            "户号=3300000001",
            "--field",
            "电价类别=大工业",
            "--field",
            &format!("变压器容量={capacity}"),
        ])
    };
    add("-630").fails(2, "out of range");
    add("630").ok();
}

#[test]
fn contradictory_flags_are_refused() {
    let lib = Lib::new();
    let no = lib.add_customer(&["--name", "周八"]);
    let run = lib.admin(&["customer", "edit", &no, "--confidential", "--not-confidential"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("cannot be used with"), "{}", run.stderr);
    let run = lib.admin(&["customer", "edit", &no, "--phone", "13800138000", "--add-phone", "13900139000"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let run = lib.admin(&["numbering", "set", "--year", "--no-year"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(lib.json(&["customer", "show", &no])["confidential"], false);
}

#[test]
fn changing_the_category_keeps_shared_values_and_will_not_silently_drop_the_others() {
    let lib = Lib::utility();
    let no = lib.add_customer(&[
        "--name",
        "某某工厂",
        "--category",
        "HV-10",
        "--field",
        "户号=3300000001",
        "--field",
        "电价类别=大工业",
        "--field",
        "变压器容量=630",
    ]);
    // 低压非居民 has 户号 and 电价类别 (from 非居民) but no 变压器容量.
    lib.admin(&["customer", "edit", &no, "--category", "LV"]).fails(4, "变压器容量=630");
    assert_eq!(lib.json(&["customer", "show", &no])["custom"]["变压器容量"], 630);
    let c = lib.json(&["customer", "edit", &no, "--category", "LV", "--drop-fields"]);
    assert_eq!(c["custom"]["户号"], "3300000001");
    assert_eq!(c["custom"]["电价类别"], "大工业");
    assert!(c["custom"].get("变压器容量").is_none());
}

#[test]
fn a_new_required_field_does_not_block_unrelated_edits_of_older_dossiers() {
    let lib = Lib::new();
    let no = lib.add_customer(&["--name", "吴九"]);
    lib.admin(&["field", "add", "PERSON", "客户编号", "--kind", "text", "--required"]).ok();
    lib.admin(&["customer", "edit", &no, "--notes", "电话已核实"]).ok();
    let d = lib.json(&["customer", "show", &no]);
    assert_eq!(d["completeness"]["missing_fields"][0], "客户编号");
    assert!(lib.admin(&["customer", "show", &no]).ok().contains("必填项未填：客户编号"));
    // A new dossier must have it.
    lib.admin(&["customer", "add", "--name", "郑十"]).fails(2, "客户编号");
    lib.admin(&["customer", "edit", &no, "--field", "客户编号=C-001"]).ok();
    let d = lib.json(&["customer", "show", &no]);
    assert_eq!(d["completeness"]["missing_fields"].as_array().unwrap().len(), 0);
}
