//! `report` through the real binary, on a small library with known counts: holdings by
//! category and year, completeness, loans per month and department, overdue, workload (only
//! for who may read the audit log); CSV and XLSX out; the period's edges.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod util;

use calamine::{Reader, open_workbook_auto};
use serde_json::Value;
use util::*;

fn rows(v: &Value) -> Vec<Value> {
    v["rows"].as_array().unwrap().clone()
}

#[test]
fn each_report_counts_what_the_library_holds() {
    let lib = Lib::new();
    let a = lib.add_customer(&["--name", "甲", "--category", "PERSON", "--grade", "important"]);
    let b = lib.add_customer(&["--name", "乙", "--category", "PERSON"]);
    lib.add_customer(&["--name", "丙公司", "--category", "ORG-ENT"]);
    // 甲 has every paper a person needs; 乙 lacks the contract.
    for t in ["ID", "APP", "CONTRACT"] {
        lib.admin(&["doc", "add", &a, "--type", t]).ok();
    }
    for t in ["ID", "APP"] {
        lib.admin(&["doc", "add", &b, "--type", t]).ok();
    }
    let year = lib
        .sql()
        .query_row("SELECT substr(created_at, 1, 4) FROM customers LIMIT 1", [], |r| r.get::<_, String>(0))
        .unwrap();

    let h = lib.json(&["--lang", "zh-CN", "report", "holdings"]);
    let r = rows(&h);
    assert_eq!(r.len(), 2, "{h}");
    let person = r.iter().find(|x| x["report-col-category"] == "个人客户").unwrap();
    assert_eq!(
        (person["report-col-dossiers"].as_i64(), person["report-col-important"].as_i64()),
        (Some(2), Some(1))
    );
    assert_eq!(person["report-col-year"], year.as_str());
    assert_eq!(h["totals"]["report-col-dossiers"], 3);
    // A period before anything was registered: nothing.
    let none = lib.json(&["report", "holdings", "--year", "2001"]);
    assert!(rows(&none).is_empty());

    let c = lib.json(&["report", "completeness"]);
    let person = rows(&c).into_iter().find(|x| x["report-col-category"] == "个人客户").unwrap();
    assert_eq!(
        (person["report-col-complete"].as_i64(), person["report-col-incomplete"].as_i64()),
        (Some(1), Some(1))
    );
    assert_eq!(person["report-col-complete-pct"], 50.0);
    assert!(person["report-col-most-missing"].as_str().unwrap().contains("合同"), "{person}");

    // Loans: two lent to two departments, one overdue, one returned.
    lib.admin(&["borrower", "add", "王一", "--dept", "营销部"]).ok();
    lib.admin(&["borrower", "add", "李二", "--dept", "财务部"]).ok();
    lib.admin(&["loan", "out", &a, "--to", "王一", "--days", "5"]).ok();
    lib.admin(&["loan", "out", &b, "--to", "李二", "--days", "5"]).ok();
    lib.admin(&["loan", "return", &b]).ok();
    lib.sql().execute("UPDATE loans SET due = '2020-01-10' WHERE state = 'out'", []).unwrap();
    let l = lib.json(&["report", "loans"]);
    assert_eq!(rows(&l).len(), 1);
    assert_eq!(
        (l["totals"]["report-col-lent"].as_i64(), l["totals"]["report-col-returned"].as_i64()),
        (Some(2), Some(1))
    );
    let d = lib.json(&["report", "loans-by-dept"]);
    assert_eq!(rows(&d).len(), 2, "{d}");
    let o = lib.json(&["report", "overdue"]);
    let r = rows(&o);
    assert_eq!(r.len(), 1, "{o}");
    assert_eq!(
        (r[0]["report-col-borrower"].as_str(), r[0]["report-col-items"].as_i64()),
        (Some("王一"), Some(1))
    );
    assert!(r[0]["report-col-days-over"].as_i64().unwrap() > 365);

    // Workload: admin registered 3 customers, added 5 documents, lent 2, took 1 back.
    let w = lib.json(&["report", "workload"]);
    let t = &w["totals"];
    assert_eq!(
        (
            t["report-col-registered"].as_i64(),
            t["report-col-documents"].as_i64(),
            t["report-col-lent"].as_i64(),
            t["report-col-returned"].as_i64()
        ),
        (Some(3), Some(5), Some(2), Some(1)),
        "{w}"
    );
    // A viewer sees the counts but not who did what.
    lib.add_user("viewer1", "viewer");
    lib.run_as("viewer1", &["report", "holdings"]).ok();
    lib.run_as("viewer1", &["report", "workload"]).fails(5, "");
    // A reversed period is refused in words.
    lib.admin(&["report", "loans", "--from", "2026-05-01", "--to", "2026-04-01"]).fails(2, "2026-04-01");
}

#[test]
fn a_report_goes_out_as_csv_and_xlsx() {
    let lib = Lib::new();
    lib.add_customer(&["--name", "甲"]);
    lib.add_customer(&["--name", "乙公司", "--category", "ORG-GOV"]);
    let x = lib.dir.path().join("馆藏.xlsx");
    let text = lib.admin(&["--lang", "zh-CN", "report", "holdings", "--out", x.to_str().unwrap()]);
    assert!(text.ok().contains("合计"), "{}", text.stdout);
    let mut book = open_workbook_auto(&x).unwrap();
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).unwrap();
    let cells: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    assert_eq!(cells[0][0], "分类");
    assert_eq!(cells.len(), 4, "header, two rows, totals: {cells:?}");
    assert_eq!(cells[3][0], "合计");
    let c = lib.dir.path().join("h.csv");
    lib.admin(&["--lang", "en", "report", "holdings", "--out", c.to_str().unwrap()]).ok();
    let csv = std::fs::read_to_string(&c).unwrap();
    assert!(csv.starts_with("\u{feff}Category,Year"), "{csv}");
    assert!(csv.trim_end().ends_with(",2"), "{csv}");
    lib.admin(&["report", "holdings", "--out", lib.dir.path().join("h.pdf").to_str().unwrap()])
        .fails(2, ".xlsx");
}

#[test]
fn years_and_months_are_the_local_ones_at_the_period_edges() {
    let lib = Lib::new();
    let a = lib.add_customer(&["--name", "元旦早上"]);
    // 2027-01-01 07:00 in Beijing is still 2026 in UTC.
    lib.sql()
        .execute("UPDATE customers SET created_at = '2026-12-31T23:00:00.000Z' WHERE dossier_no = ?1", [&a])
        .unwrap();
    let run = |args: &[&str]| -> Value {
        let mut all = vec!["--library", lib.p(), "--json"];
        all.extend_from_slice(args);
        run_raw(&all, &[("DANGAN_USER", "admin"), ("DANGAN_PASSWORD", ADMIN_PW), ("TZ", "Asia/Shanghai")])
            .json()
    };
    let y2027 = run(&["report", "holdings", "--year", "2027"]);
    let r = rows(&y2027);
    assert_eq!(r.len(), 1, "{y2027}");
    assert_eq!(r[0]["report-col-year"], "2027", "labelled with the year it is counted in");
    assert!(rows(&run(&["report", "holdings", "--year", "2026"])).is_empty());
}
