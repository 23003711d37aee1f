//! The papers the lending desk prints (issue 11): loan slips read back as a scanner and a
//! reader would (`pdftoppm` + `zbarimg`, `pdftotext`), overdue reminders for the right
//! borrowers, the loan register as PDF and CSV, and files written whole or not at all.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod util;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use util::*;

/// Every barcode on every page of a PDF rendered at `dpi`.
fn decode(pdf: &Path, dpi: u32) -> BTreeSet<String> {
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("page");
    let out = Command::new("pdftoppm")
        .args(["-r", &dpi.to_string(), "-gray", "-png"])
        .arg(pdf)
        .arg(&prefix)
        .output()
        .expect("pdftoppm (poppler-utils) is installed");
    assert!(out.status.success(), "pdftoppm: {}", String::from_utf8_lossy(&out.stderr));
    let mut codes = BTreeSet::new();
    for p in std::fs::read_dir(dir.path()).unwrap().filter_map(|e| e.ok().map(|e| e.path())) {
        let out =
            Command::new("zbarimg").args(["-q", "--raw"]).arg(&p).output().expect("zbarimg is installed");
        codes.extend(
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from),
        );
    }
    codes
}

/// The text of each page of a PDF (`pdftotext -layout`).
fn pages(pdf: &Path) -> Vec<String> {
    let out =
        Command::new("pdftotext").arg("-layout").arg(pdf).arg("-").output().expect("pdftotext is installed");
    assert!(out.status.success(), "pdftotext: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut pages: Vec<String> = text.split('\u{c}').map(String::from).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// A library with borrowers 周瑜（营销部） and 王芳（市供电公司）, three dossiers and a box
/// holding two of them.
struct Desk {
    lib: Lib,
    dossiers: Vec<String>,
    boxed: String,
}

fn desk() -> Desk {
    let lib = Lib::new();
    let dossiers: Vec<String> = ["欧阳娜娜", "司马相如", "张伟", "李娜"]
        .iter()
        .enumerate()
        .map(|(i, n)| lib.add_customer(&["--name", n, "--phone", &format!("1391234567{i}"), "--force"]))
        .collect();
    lib.admin(&["location", "add", "档案室A/1排/3列/2层"]).ok();
    let boxed =
        lib.json(&["box", "add", "--location", "档案室A/1排/3列/2层"])["code"].as_str().unwrap().to_string();
    lib.admin(&["file", &dossiers[1], &boxed]).ok();
    lib.admin(&["file", &dossiers[2], &boxed]).ok();
    lib.admin(&["borrower", "add", "周瑜", "--dept", "营销部"]).ok();
    lib.admin(&["borrower", "add", "王芳", "--unit", "市供电公司"]).ok();
    Desk { lib, dossiers, boxed }
}

impl Desk {
    /// Runs as admin in Chinese (the fixture's default is English).
    fn zh(&self, args: &[&str]) -> Run {
        let mut a = vec!["--lang", "zh-CN"];
        a.extend_from_slice(args);
        self.lib.admin(&a)
    }

    fn out(&self, name: &str) -> PathBuf {
        self.lib.dir.path().join(name)
    }

    fn lend(&self, item: &str, to: &str, purpose: &str) {
        self.lib.admin(&["loan", "out", item, "--to", to, "--purpose", purpose]).ok();
    }

    /// Makes an item's loan out overdue: due long ago (tests may write SQL; the app may not).
    fn make_overdue(&self, item: &str) {
        let n = self
            .lib
            .sql()
            .execute(
                "UPDATE loans SET due = '2026-01-05' WHERE state = 'out' AND box_loan_id IS NULL AND
                 (customer_id = (SELECT id FROM customers WHERE dossier_no = ?1)
                  OR box_id = (SELECT id FROM boxes WHERE code = ?1))",
                [item],
            )
            .unwrap();
        assert_eq!(n, 1, "{item} is out");
    }
}

#[test]
fn a_slips_barcode_reads_back_as_the_dossier_number_at_200_dpi() {
    let d = desk();
    d.lend(&d.dossiers[0], "周瑜", "业务办理：增容");
    let out = d.out("slip.pdf");
    d.zh(&["loan", "slip", &d.dossiers[0], "--out", out.to_str().unwrap()]).ok();
    assert_eq!(decode(&out, 200), BTreeSet::from([d.dossiers[0].clone()]));
    let text = pages(&out).concat();
    for needle in ["档案借阅单", "欧阳娜娜", "周瑜（营销部）", "业务办理：增容", "借阅人签字", "接收人签字"]
    {
        assert!(text.contains(needle), "{needle} missing from the slip:\n{text}");
    }
}

#[test]
fn two_slips_share_an_a4_page_and_a_loan_is_found_by_its_number() {
    let d = desk();
    d.lend(&d.dossiers[0], "周瑜", "查阅");
    d.lend(&d.dossiers[3], "王芳", "审计");
    let out = d.out("two.pdf");
    d.zh(&["loan", "slip", &d.dossiers[0], "--loan", "2", "--out", out.to_str().unwrap()]).ok();
    let p = pages(&out);
    assert_eq!(p.len(), 1, "two half-page slips on one page");
    assert!(p[0].contains("欧阳娜娜") && p[0].contains("李娜"), "{}", p[0]);
    assert_eq!(decode(&out, 200), BTreeSet::from([d.dossiers[0].clone(), d.dossiers[3].clone()]));
}

#[test]
fn a_box_slip_lists_its_folders() {
    let d = desk();
    d.lend(&d.boxed, "王芳", "审计");
    let out = d.out("box.pdf");
    d.zh(&["loan", "slip", &d.boxed, "--out", out.to_str().unwrap()]).ok();
    let text = pages(&out).concat();
    for needle in [d.dossiers[1].as_str(), "司马相如", d.dossiers[2].as_str(), "张伟", "盒内案卷"] {
        assert!(text.contains(needle), "{needle} missing from the box slip:\n{text}");
    }
    assert!(!text.contains(&d.dossiers[0]), "a folder not in the box: {text}");
    assert_eq!(decode(&out, 200), BTreeSet::from([d.boxed.clone()]));
    // A folder scanned from the lent box prints the box's slip, which the borrower signed.
    let folder = d.out("folder.pdf");
    d.zh(&["loan", "slip", &d.dossiers[1], "--out", folder.to_str().unwrap()]).ok();
    assert_eq!(decode(&folder, 200), BTreeSet::from([d.boxed.clone()]));
}

#[test]
fn a_slip_of_an_item_not_out_is_refused_and_writes_nothing() {
    let d = desk();
    let out = d.out("none.pdf");
    d.lib
        .admin(&["loan", "slip", &d.dossiers[0], "--out", out.to_str().unwrap()])
        .fails(4, "not out on loan");
    assert!(!out.exists());
}

#[test]
fn a_confidential_slip_hides_the_name_from_a_clerk_and_is_audited_for_the_admin() {
    let d = desk();
    d.lend(&d.dossiers[0], "周瑜", "查阅");
    d.lib
        .sql()
        .execute("UPDATE customers SET confidential = 1 WHERE dossier_no = ?1", [&d.dossiers[0]])
        .unwrap();
    d.lib.add_user("lin", "clerk");
    let views = |user: &str| {
        d.lib.count(&format!(
            "SELECT count(*) FROM audit_log WHERE action = 'view' AND user_name = '{user}' AND dossier_no = '{}'",
            d.dossiers[0]
        ))
    };
    let out = d.out("clerk.pdf");
    d.lib
        .run_as("lin", &["--lang", "zh-CN", "loan", "slip", &d.dossiers[0], "--out", out.to_str().unwrap()])
        .ok();
    let text = pages(&out).concat();
    assert!(text.contains("***") && !text.contains("欧阳娜娜"), "{text}");
    assert_eq!(views("lin"), 0, "nothing confidential was shown to the clerk");
    let before = views("admin");
    let out = d.out("admin.pdf");
    d.zh(&["loan", "slip", &d.dossiers[0], "--out", out.to_str().unwrap()]).ok();
    assert!(pages(&out).concat().contains("欧阳娜娜"));
    assert_eq!(views("admin"), before + 1, "printing the name is audited like viewing it");
}

#[test]
fn the_reminder_lists_only_overdue_loans_and_only_for_the_borrower_asked() {
    let d = desk();
    d.lend(&d.dossiers[0], "周瑜", "查阅"); // overdue
    d.lend(&d.dossiers[3], "周瑜", "查阅"); // not yet due
    d.lend(&d.boxed, "王芳", "审计"); // overdue, another borrower
    let out = d.out("remind.pdf");
    // Nothing overdue yet: said so, exit 0, no file.
    let run = d.lib.admin(&["loan", "remind", "--out", out.to_str().unwrap()]);
    run.ok();
    assert!(run.stderr.contains("Nothing is overdue"), "{}", run.stderr);
    assert!(!out.exists());

    d.make_overdue(&d.dossiers[0]);
    d.make_overdue(&d.boxed);
    d.zh(&["loan", "remind", "--borrower", "周瑜", "--out", out.to_str().unwrap()]).ok();
    let p = pages(&out);
    assert_eq!(p.len(), 1, "one borrower, one page");
    assert!(p[0].contains("催还通知单") && p[0].contains("周瑜（营销部）"), "{}", p[0]);
    assert!(p[0].contains(&d.dossiers[0]) && p[0].contains("2026-01-05"), "{}", p[0]);
    assert!(!p[0].contains(&d.dossiers[3]), "a loan not yet due: {}", p[0]);
    assert!(!p[0].contains(&d.boxed) && !p[0].contains("王芳"), "another borrower's: {}", p[0]);

    // Everyone's: one page per borrower with overdue loans.
    let all = d.out("all.pdf");
    d.zh(&["loan", "remind", "--out", all.to_str().unwrap()]).ok();
    let p = pages(&all);
    assert_eq!(p.len(), 2, "{p:?}");
    assert!(p.iter().any(|t| t.contains("王芳（市供电公司）") && t.contains(&d.boxed)), "{p:?}");
}

/// Adds `n` returned loans of a dossier lent on `day` (a register's filler).
fn add_returned_loans(lib: &Lib, dossier: &str, n: usize, at: &str) {
    let c = lib.sql();
    for i in 0..n {
        c.execute(
            "INSERT INTO loans (customer_id, borrower_id, purpose, lent_by, lent_at, due, state, returned_at,
                                received_by, condition)
             SELECT c.id, (SELECT min(id) FROM borrowers), ?2, 1, ?3, '2026-03-20', 'returned', ?3, 1, 'complete'
             FROM customers c WHERE c.dossier_no = ?1",
            rusqlite::params![dossier, format!("查阅 {i}"), at],
        )
        .unwrap();
    }
}

#[test]
fn the_register_has_a_row_per_loan_of_the_period_and_repeats_its_header() {
    let d = desk();
    add_returned_loans(&d.lib, &d.dossiers[0], 30, "2026-03-10T02:00:00.000Z");
    add_returned_loans(&d.lib, &d.dossiers[3], 4, "2026-03-11T02:00:00.000Z");
    // Outside the period: not listed.
    add_returned_loans(&d.lib, &d.dossiers[1], 3, "2026-05-10T02:00:00.000Z");
    let out = d.out("register.pdf");
    let r = d.lib.json(&[
        "--lang",
        "zh-CN",
        "loan",
        "register",
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-31",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r["loans"], 34);
    let p = pages(&out);
    assert_eq!(p.len(), 2, "34 rows take two pages");
    let rows = |needle: &str| p.iter().map(|t| t.matches(needle).count()).sum::<usize>();
    assert_eq!(rows(&d.dossiers[0]), 30);
    assert_eq!(rows(&d.dossiers[3]), 4);
    assert_eq!(rows(&d.dossiers[1]), 0, "a loan outside the period");
    for (i, page) in p.iter().enumerate() {
        assert!(
            page.contains("借阅登记簿") && page.contains("2026-03-01 至 2026-03-31"),
            "page {}: {page}",
            i + 1
        );
        assert!(page.contains("借阅事由") && page.contains("经办人"), "the header on page {}: {page}", i + 1);
        let squeezed: String = page.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(squeezed.contains(&format!("第{}页共2页", i + 1)), "page {}: {page}", i + 1);
    }
}

/// Parses RFC 4180 CSV by hand: quoted fields with doubled quotes, commas and line breaks.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

#[test]
fn the_register_csv_has_a_bom_and_round_trips_a_name_with_a_comma_and_a_quote() {
    let d = desk();
    let odd = d.lib.add_customer(&["--name", "张伟, \"小张\"", "--phone", "13912345699", "--force"]);
    d.lend(&odd, "周瑜", "核对,\"增容\"");
    d.lend(&d.dossiers[0], "王芳", "审计");
    let today = "2099-12-31";
    let out = d.out("register.csv");
    d.zh(&["loan", "register", "--from", "2020-01-01", "--to", today, "--out", out.to_str().unwrap()]).ok();
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with a BOM");
    let rows = parse_csv(std::str::from_utf8(&bytes[3..]).unwrap());
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert_eq!(
        rows[0],
        [
            "序号",
            "借阅日期",
            "档号",
            "题名",
            "借阅人",
            "部门/单位",
            "借阅事由",
            "应还日期",
            "归还日期",
            "状况",
            "经办人"
        ]
    );
    let row = rows.iter().find(|r| r[2] == odd).unwrap();
    assert_eq!(row[3], "张伟, \"小张\"");
    assert_eq!(row[6], "核对,\"增容\"");
    assert_eq!((row[4].as_str(), row[5].as_str(), row[9].as_str()), ("周瑜", "营销部", "借出"));
    assert!(rows.iter().all(|r| r.len() == 11));

    // English headers with --lang en.
    let en = d.out("register-en.csv");
    d.lib
        .admin(&[
            "--lang",
            "en",
            "loan",
            "register",
            "--from",
            "2020-01-01",
            "--to",
            today,
            "--out",
            en.to_str().unwrap(),
        ])
        .ok();
    let text = std::fs::read_to_string(&en).unwrap();
    assert!(
        text.trim_start_matches('\u{feff}').starts_with("No.,Lent on,Dossier no.,Title,Borrower"),
        "{text}"
    );
}

#[test]
fn an_unwritable_out_fails_with_the_message_and_leaves_no_file() {
    let d = desk();
    d.lend(&d.dossiers[0], "周瑜", "查阅");
    let dir = d.out("no-such-folder");
    for (args, name) in [
        (vec!["loan", "slip", d.dossiers[0].as_str()], "slip.pdf"),
        (vec!["loan", "register", "--from", "2020-01-01", "--to", "2030-12-31"], "register.csv"),
        (vec!["loan", "register", "--from", "2020-01-01", "--to", "2030-12-31"], "register.pdf"),
    ] {
        let target = dir.join(name);
        let mut a = args.clone();
        a.extend(["--out", target.to_str().unwrap()]);
        d.lib.admin(&a).fails(1, "Could not write");
        assert!(!dir.exists(), "nothing written for {name}");
    }
    // A register to a file of another kind is refused before anything is done.
    let txt = d.out("register.txt");
    d.lib
        .admin(&[
            "loan",
            "register",
            "--from",
            "2020-01-01",
            "--to",
            "2030-12-31",
            "--out",
            txt.to_str().unwrap(),
        ])
        .fails(2, ".pdf or .csv");
    assert!(!txt.exists());
}
