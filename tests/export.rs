//! `export customers|documents|loans` through the real binary: CSV (BOM, quoting, the formula
//! guard) and XLSX (read back with calamine), the lists' filters, confidential dossiers only
//! for who may open them, every export audited, bad file names refused with nothing written.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod util;

use std::path::Path;

use calamine::{Reader, open_workbook_auto};
use util::*;

fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    let bytes = std::fs::read(path).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "a BOM for Excel");
    let mut r = csv::ReaderBuilder::new().has_headers(false).from_reader(&bytes[3..]);
    r.records().map(|x| x.unwrap().iter().map(str::to_string).collect()).collect()
}

fn xlsx_rows(path: &Path) -> Vec<Vec<String>> {
    let mut book = open_workbook_auto(path).unwrap();
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).unwrap();
    range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
}

fn col(rows: &[Vec<String>], name: &str) -> usize {
    rows[0].iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}: {:?}", rows[0]))
}

#[test]
fn customers_and_documents_go_out_with_the_lists_filters_in_csv_and_xlsx() {
    let lib = Lib::new();
    let a = lib.add_customer(&[
        "--name",
        "张三",
        "--phone",
        "13800138000",
        "--phone",
        "13900139000",
        "--grade",
        "important",
    ]);
    let b = lib.add_customer(&["--name", "=SUM(A1:A2)", "--address", "杭州市, \"西湖\"区"]);
    lib.add_customer(&["--name", "李四", "--confidential"]);
    lib.admin(&["doc", "add", &a, "--type", "ID", "--title", "身份证复印件", "--pages", "2"]).ok();
    let d = lib.dir.path();

    // CSV, English headers.
    let out = d.join("customers.csv");
    let r = lib.json(&["--lang", "en", "export", "customers", "--out", out.to_str().unwrap()]);
    assert_eq!((r["rows"].as_i64(), r["confidential"].as_i64()), (Some(3), Some(1)), "{r}");
    let rows = csv_rows(&out);
    assert_eq!(rows.len(), 4);
    let (dossier, name, phones, grade, address) = (
        col(&rows, "Dossier"),
        col(&rows, "Name"),
        col(&rows, "Phones"),
        col(&rows, "Grade"),
        col(&rows, "Address"),
    );
    let za = rows.iter().find(|r| r[dossier] == a).unwrap();
    assert_eq!(
        (za[name].as_str(), za[phones].as_str(), za[grade].as_str()),
        ("张三", "13800138000;13900139000", "Important")
    );
    // A name that looks like a formula is not run by a spreadsheet; commas and quotes survive.
    let zb = rows.iter().find(|r| r[dossier] == b).unwrap();
    assert_eq!(zb[name], "'=SUM(A1:A2)");
    assert_eq!(zb[address], "杭州市, \"西湖\"区");

    // XLSX, Chinese headers, a filter.
    let out = d.join("重要客户.xlsx");
    lib.admin(&[
        "--lang",
        "zh-CN",
        "export",
        "customers",
        "--out",
        out.to_str().unwrap(),
        "--grade",
        "important",
    ])
    .ok();
    let rows = xlsx_rows(&out);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[1][col(&rows, "户名")], "张三");
    assert_eq!(rows[1][col(&rows, "等级")], "重要");

    // Documents with their dossier.
    let out = d.join("docs.csv");
    lib.admin(&["--lang", "zh-CN", "export", "documents", "--out", out.to_str().unwrap()]).ok();
    let rows = csv_rows(&out);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[1][col(&rows, "档案号")], a);
    assert_eq!(rows[1][col(&rows, "题名")], "身份证复印件");
    assert_eq!(rows[1][col(&rows, "页数")], "2");

    // Each export is in the audit log, with what it held.
    assert_eq!(lib.count("SELECT count(*) FROM audit_log WHERE action = 'export'"), 3);
}

#[test]
fn a_user_who_may_not_open_confidential_dossiers_does_not_export_them() {
    let lib = Lib::new();
    lib.add_user("viewer1", "viewer");
    lib.add_customer(&["--name", "公开客户"]);
    let secret = lib.add_customer(&["--name", "机密客户", "--confidential"]);
    let out = lib.dir.path().join("v.csv");
    let r = lib.json_as("viewer1", &["export", "customers", "--out", out.to_str().unwrap()]);
    assert_eq!((r["rows"].as_i64(), r["confidential"].as_i64()), (Some(1), Some(0)));
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(!text.contains("机密客户") && !text.contains(&secret), "{text}");
    // An archivist's export holds it, and the audit row names it.
    lib.add_user("arch", "archivist");
    let out = lib.dir.path().join("a.csv");
    lib.run_as("arch", &["export", "customers", "--out", out.to_str().unwrap()]).ok();
    assert!(std::fs::read_to_string(&out).unwrap().contains("机密客户"));
    let after: String = lib
        .sql()
        .query_row("SELECT after FROM audit_log WHERE action = 'export' AND user_name = 'arch'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(after.contains(&secret), "{after}");
}

#[test]
fn loans_go_out_as_the_desk_lists_them_and_bad_names_write_nothing() {
    let lib = Lib::new();
    let a = lib.add_customer(&["--name", "借阅客户"]);
    lib.admin(&["borrower", "add", "王借阅", "--dept", "营业厅"]).ok();
    lib.admin(&["loan", "out", &a, "--to", "王借阅", "--days", "5"]).ok();
    let out = lib.dir.path().join("loans.xlsx");
    lib.admin(&["--lang", "zh-CN", "export", "loans", "--out", out.to_str().unwrap()]).ok();
    let rows = xlsx_rows(&out);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[1][col(&rows, "档号/盒号")], a);
    assert_eq!(rows[1][col(&rows, "借阅人")], "王借阅");
    assert_eq!(rows[1][col(&rows, "部门/单位")], "营业厅");
    assert_eq!(rows[1][col(&rows, "状态")], "借出");

    // A file type it cannot write, a folder that is not there: a usage error, nothing written.
    let pdf = lib.dir.path().join("loans.pdf");
    lib.admin(&["export", "loans", "--out", pdf.to_str().unwrap()]).fails(2, ".xlsx");
    lib.admin(&["--lang", "zh-CN", "export", "loans", "--out", pdf.to_str().unwrap()]).fails(2, ".csv");
    assert!(!pdf.exists());
    let nowhere = lib.dir.path().join("no/such/folder/x.csv");
    lib.admin(&["export", "customers", "--out", nowhere.to_str().unwrap()]).fails(3, "does not exist");
    let leftovers: Vec<_> = std::fs::read_dir(lib.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".part"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
