//! `import customers` through the real binary: GBK, GB18030, UTF-8 with a BOM and XLSX files;
//! columns mapped by Chinese and English headers; every bad row named by line and column, and
//! nothing imported while one is wrong; duplicates in the file and in the library; a dry run
//! writes nothing; a run killed after a batch continues where it stopped, each row exactly
//! once; an export imports back into an empty library.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod util;

use std::path::{Path, PathBuf};

use serde_json::Value;
use util::*;

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn names(lib: &Lib) -> Vec<String> {
    let c = lib.sql();
    let mut s = c.prepare("SELECT name FROM customers ORDER BY name").unwrap();
    s.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
}

fn problems(v: &Value) -> Vec<(u64, String)> {
    v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["line"].as_u64().unwrap(), p["column"].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn gbk_gb18030_utf8_and_xlsx_registers_come_in_with_their_columns_mapped() {
    let lib = Lib::new();
    let d = lib.dir.path();
    let id1 = resident_id("11010519491231002");
    // GBK, as Excel on Chinese Windows saves "CSV (逗号分隔)".
    let text = format!(
        "姓名,身份证号,手机,住址,客户等级\r\n张三,{id1},13800138000,杭州市西湖区,重要\r\n李四,,13900139000,\"宁波市, 海曙区\",一般\r\n"
    );
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let f = write(d, "gbk.csv", &gbk);
    let r = lib.json(&["import", "customers", f.to_str().unwrap()]);
    assert_eq!((r["imported"].as_u64(), r["encoding"].as_str()), (Some(2), Some("gb18030")), "{r}");
    let mapped: Vec<String> =
        r["mapping"].as_array().unwrap().iter().map(|m| m["field"]["field"].to_string()).collect();
    assert_eq!(mapped, ["\"name\"", "\"id_number\"", "\"phones\"", "\"address\"", "\"grade\""]);
    let zhang = lib.json(&["search", "张三"]);
    assert!(zhang.to_string().contains("张三"), "{zhang}");
    assert_eq!(lib.count("SELECT count(*) FROM customers WHERE grade = 'important'"), 1);
    assert_eq!(lib.count("SELECT count(*) FROM customers WHERE address = '宁波市, 海曙区'"), 1);

    // GB18030 with a character GBK lacks; English headers, semicolons.
    let text = "name;phone;notes\r\n王䶮;13700137000;four-byte GB18030\r\n";
    let (gb, _, _) = encoding_rs::GB18030.encode(text);
    let f = write(d, "gb18030.csv", &gb);
    lib.json(&["import", "customers", f.to_str().unwrap(), "--encoding", "gb18030"]);
    assert!(names(&lib).contains(&"王䶮".to_string()), "{:?}", names(&lib));

    // UTF-8 with a BOM, a mapping given by hand for an odd header.
    let f = write(d, "bom.csv", "\u{feff}客户全称,联系人电话\n赵六,13600136000\n".as_bytes());
    lib.admin(&["import", "customers", f.to_str().unwrap()]).fails(2, "No name column");
    let r = lib.json(&[
        "import",
        "customers",
        f.to_str().unwrap(),
        "--map",
        "客户全称=户名",
        "--map",
        "联系人电话=phone",
    ]);
    assert_eq!(r["imported"], 1, "{r}");

    // XLSX (numbers as numbers, as Excel keeps a phone column).
    let f = d.join("register.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write(0, 0, "户名").unwrap();
    sheet.write(0, 1, "电话").unwrap();
    sheet.write(1, 0, "孙七").unwrap();
    sheet.write(1, 1, 13_500_135_000_f64).unwrap();
    book.save(&f).unwrap();
    let r = lib.json(&["import", "customers", f.to_str().unwrap()]);
    assert_eq!(r["imported"], 1, "{r}");
    assert_eq!(lib.count("SELECT count(*) FROM customer_phones WHERE phone = '13500135000'"), 1);

    // Every customer is audited, and the library verifies.
    assert_eq!(
        lib.count("SELECT count(*) FROM audit_log WHERE action = 'create' AND entity = 'customer'"),
        5
    );
    assert_eq!(lib.json(&["verify"])["ok"], true);
}

#[test]
fn bad_rows_are_named_by_line_and_column_and_nothing_is_half_imported() {
    let lib = Lib::new();
    let d = lib.dir.path();
    let existing = resident_id("11010519491231002");
    lib.add_customer(&["--name", "老客户", "--id-number", &existing]);
    let good = resident_id("33010619800101001");
    let text = format!(
        "户名,证件号码,电话,等级\n\
         好人,{good},13800138000,一般\n\
         ,,13800138001,一般\n\
         坏电话,,1380013,一般\n\
         坏等级,,13800138002,很重要\n\
         重复库内,{existing},,一般\n\
         好人二,{good},,一般\n"
    );
    let f = write(d, "bad.csv", text.as_bytes());
    // Dry run: every problem, by line and column; nothing written; exit 2.
    let before = names(&lib);
    let r = lib.run_as("admin", &["--json", "import", "customers", f.to_str().unwrap(), "--dry-run"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        problems(&v),
        [
            (3, "户名".into()),
            (4, "电话".into()),
            (5, "等级".into()),
            (6, "证件号码".into()),
            (7, "证件号码".into())
        ]
    );
    assert_eq!(
        (v["valid"].as_u64(), v["invalid"].as_u64(), v["duplicates"].as_u64()),
        (Some(1), Some(3), Some(2))
    );
    assert_eq!(names(&lib), before);
    // In words, both languages.
    lib.admin(&["--lang", "zh-CN", "import", "customers", f.to_str().unwrap(), "--dry-run"])
        .fails(2, "整个文件都没有导入");
    let en = lib.admin(&["--lang", "en", "import", "customers", f.to_str().unwrap()]);
    en.fails(2, "nothing of the file was imported");
    assert!(en.stdout.contains("Line 4 [电话]"), "{}", en.stdout);
    assert_eq!(names(&lib), before);

    // Told to skip them: the good row comes in, the others go to a file with why.
    let r = lib.json(&["import", "customers", f.to_str().unwrap(), "--skip-invalid"]);
    assert_eq!((r["imported"].as_u64(), r["skipped"].as_u64()), (Some(1), Some(5)), "{r}");
    let rejected = std::fs::read_to_string(d.join("bad.rejected.csv")).unwrap();
    assert_eq!(rejected.lines().count(), 6, "{rejected}");
    assert!(rejected.contains("坏电话") && rejected.contains("1380013"), "{rejected}");
}

#[test]
fn files_that_are_not_a_register_are_refused_with_what_to_do() {
    let lib = Lib::new();
    let d = lib.dir.path();
    // UTF-16 ("Unicode text" from Excel).
    let mut utf16 = vec![0xFF, 0xFE];
    for u in "户名\r\n张三\r\n".encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    let f = write(d, "u16.csv", &utf16);
    lib.admin(&["import", "customers", f.to_str().unwrap()]).fails(2, "CSV UTF-8");
    lib.admin(&["--lang", "zh-CN", "import", "customers", f.to_str().unwrap()]).fails(2, "另存为");
    // A legacy .xls renamed, a picture, a workbook named .csv.
    let f = write(d, "old.xlsx", &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]);
    lib.admin(&["import", "customers", f.to_str().unwrap()]).fails(2, "not a valid .xlsx");
    let f = write(d, "pic.csv", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    lib.admin(&["import", "customers", f.to_str().unwrap()]).fails(2, "binary");
    let f = write(d, "book.csv", b"PK\x03\x04rest");
    lib.admin(&["import", "customers", f.to_str().unwrap()]).fails(2, "Rename it to .xlsx");
    // GBK forced as UTF-8.
    let (gbk, _, _) = encoding_rs::GBK.encode("户名\n张三\n");
    let f = write(d, "g.csv", &gbk);
    lib.admin(&["import", "customers", f.to_str().unwrap(), "--encoding", "utf-8"]).fails(2, "not UTF-8");
    // An unpaired quote.
    let f = write(d, "q.csv", "户名,电话\n\"张三,13800138000\n".as_bytes());
    lib.admin(&["import", "customers", f.to_str().unwrap(), "--dry-run"]).fails(2, "unpaired quote");
    assert_eq!(lib.count("SELECT count(*) FROM customers"), 0);
}

#[test]
fn an_import_killed_after_a_batch_continues_and_imports_each_row_once() {
    let lib = Lib::new();
    let d = lib.dir.path();
    let mut text = String::from("户名,电话\n");
    for i in 0..25 {
        text.push_str(&format!("客户{i:02},1380000{i:04}\n"));
    }
    let f = write(d, "big.csv", text.as_bytes());
    let killed = lib.run_env(
        &["import", "customers", f.to_str().unwrap(), "--batch", "10"],
        &[("DANGAN_USER", "admin"), ("DANGAN_PASSWORD", ADMIN_PW), ("DANGAN_FAULT", "import-after-batch")],
    );
    assert_ne!(killed.code, 0, "the fault point stopped it");
    assert_eq!(lib.count("SELECT count(*) FROM customers"), 10, "one batch committed");
    let again = lib.admin(&["import", "customers", f.to_str().unwrap(), "--batch", "10"]);
    again.ok();
    assert!(
        again.stdout.contains("continuing") || again.stdout.contains("stopped after row 10"),
        "{}",
        again.stdout
    );
    assert_eq!(lib.count("SELECT count(*) FROM customers"), 25);
    assert_eq!(lib.count("SELECT count(DISTINCT name) FROM customers"), 25);
    // Done: the same file again is refused, nothing doubled.
    lib.admin(&["import", "customers", f.to_str().unwrap()]).fails(4, "was imported");
    assert_eq!(lib.count("SELECT count(*) FROM customers"), 25);
    assert_eq!(lib.json(&["verify"])["ok"], true);
}

#[test]
fn an_export_imports_back_into_an_empty_library() {
    let src = Lib::utility();
    let id = resident_id("33010619800101001");
    src.add_customer(&[
        "--name",
        "往返客户",
        "--id-number",
        &id,
        "--phone",
        "13800138000",
        "--field",
        "户号=3300000001",
    ]);
    src.add_customer(&[
        "--name",
        "第二户",
        "--phone",
        "13900139000",
        "--field",
        "户号=3300000002",
        "--grade",
        "important",
    ]);
    let out = src.dir.path().join("all.xlsx");
    src.admin(&["--lang", "zh-CN", "export", "customers", "--out", out.to_str().unwrap()]).ok();
    let dst = Lib::utility();
    let r = dst.json(&["import", "customers", out.to_str().unwrap()]);
    assert_eq!(r["imported"], 2, "{r}");
    let rows = |lib: &Lib| -> Vec<(String, Option<String>, String, String)> {
        let c = lib.sql();
        let mut s = c
            .prepare(
                "SELECT name, id_number, grade, (SELECT group_concat(phone) FROM customer_phones p WHERE p.customer_id = c.id)
                 FROM customers c ORDER BY name",
            )
            .unwrap();
        s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(rows(&src), rows(&dst));
    assert_eq!(
        dst.count("SELECT count(*) FROM customers WHERE json_extract(custom, '$.户号') = '3300000002'"),
        1
    );
}
