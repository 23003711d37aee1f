//! The demo's lending desk: borrowers and a loan history in every state, the same for the same
//! seed, due dates on working days only, and a demo library the desk can work on through the
//! CLI (lend, renew, return, find what was lost) and that still verifies.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod util;

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, Weekday};
use util::{ADMIN_PW, Lib};

fn demo(n: &str, seed: &str) -> (Lib, serde_json::Value) {
    let lib = Lib::empty();
    let report = lib
        .run_env(&["--json", "demo", "--customers", n, "--seed", seed], &[("DANGAN_PASSWORD", ADMIN_PW)])
        .json();
    (lib, report)
}

fn strings(lib: &Lib, sql: &str) -> Vec<String> {
    let c = lib.sql();
    let mut st = c.prepare(sql).unwrap();
    st.query_map([], |r| r.get::<_, String>(0)).unwrap().map(|r| r.unwrap()).collect()
}

/// The demo's archivist (the demo's users share the admin's password).
fn archivist(lib: &Lib, args: &[&str]) -> util::Run {
    lib.run_env(args, &[("DANGAN_USER", "wangfang"), ("DANGAN_PASSWORD", ADMIN_PW)])
}

#[test]
fn a_demo_has_borrowers_and_loans_in_every_state() {
    let (lib, report) = demo("600", "5");
    assert!(report["borrowers"].as_u64().unwrap() >= 30, "{report}");
    assert_eq!(lib.count("SELECT count(*) FROM borrowers"), report["borrowers"].as_i64().unwrap());
    // Staff of several departments, some with badges; outside units with letters; a blocked one.
    assert!(lib.count("SELECT count(DISTINCT dept) FROM borrowers WHERE kind = 'staff'") >= 4);
    assert!(lib.count("SELECT count(*) FROM borrowers WHERE card IS NOT NULL") >= 1);
    assert!(lib.count("SELECT count(*) FROM borrowers WHERE kind = 'external' AND letter_no <> ''") >= 3);
    assert!(
        lib.count("SELECT count(*) FROM borrowers WHERE blocked = 1 AND blocked_reason <> ''") >= 1,
        "a blocked borrower, with the reason"
    );
    // About 0.6 loans a dossier, most of them returned.
    let loans = lib.count("SELECT count(*) FROM loans WHERE box_loan_id IS NULL AND box_id IS NULL");
    assert!((250..=500).contains(&loans), "{loans} loans for 600 dossiers");
    for state in ["out", "returned", "lost", "found"] {
        assert!(
            lib.count(&format!("SELECT count(*) FROM loans WHERE state = '{state}'")) > 0,
            "no loan {state}"
        );
    }
    assert!(lib.count("SELECT count(*) FROM loans WHERE state = 'returned'") > loans / 2);
    for condition in ["pages_missing", "damaged"] {
        assert!(lib.count(&format!("SELECT count(*) FROM loans WHERE condition = '{condition}'")) > 0);
    }
    assert!(lib.count("SELECT count(*) FROM loans WHERE renewals > 0") > 0, "no renewal");
    // About 3% of the dossiers out now, some overdue, and the desk lists those.
    let out = lib.count("SELECT count(*) FROM loans WHERE state IN ('out', 'lost') AND box_loan_id IS NULL");
    assert!((8..=40).contains(&out), "{out} out of 600");
    let overdue = lib.json(&["loan", "list", "--overdue"]);
    let overdue = overdue.as_array().unwrap();
    assert!(!overdue.is_empty(), "nothing overdue");
    let days: Vec<i64> = overdue.iter().map(|l| l["overdue_days"].as_i64().unwrap()).collect();
    assert!(days.iter().all(|d| (1..=40).contains(d)), "{days:?}");
    // A box lent whole: its folders have rows of their own; the box out has no current place
    // and a movement that says it went out on loan.
    assert!(lib.count("SELECT count(*) FROM loans WHERE box_id IS NOT NULL") >= 2);
    assert!(
        lib.count(
            "SELECT count(*) FROM loans f JOIN loans b ON b.id = f.box_loan_id
             JOIN folders x ON x.customer_id = f.customer_id AND x.box_id = b.box_id
             WHERE f.state = b.state AND f.due = b.due AND f.borrower_id = b.borrower_id"
        ) >= 1,
        "a box loan without its folders"
    );
    assert_eq!(
        lib.count(
            "SELECT count(*) FROM loans l JOIN boxes b ON b.id = l.box_id WHERE l.state = 'out'
             AND b.location_id IS NULL
             AND EXISTS (SELECT 1 FROM movements m WHERE m.box_id = b.id AND m.reason = 'loan')"
        ),
        lib.count("SELECT count(*) FROM loans WHERE box_id IS NOT NULL AND state = 'out'")
    );
    assert!(lib.count("SELECT count(*) FROM loans WHERE box_id IS NOT NULL AND state = 'out'") >= 1);
    // No folder out alone while its box is out.
    assert_eq!(
        lib.count(
            "SELECT count(*) FROM loans f JOIN folders x ON x.customer_id = f.customer_id
             JOIN loans b ON b.box_id = x.box_id AND b.state = 'out'
             WHERE f.state IN ('out', 'lost') AND f.box_loan_id IS NOT b.id"
        ),
        0
    );
    // Every loan out and every return has its movement.
    assert_eq!(
        lib.count("SELECT count(*) FROM loans l WHERE l.customer_id IS NOT NULL AND l.box_loan_id IS NULL
                   AND NOT EXISTS (SELECT 1 FROM movements m WHERE m.customer_id = l.customer_id AND m.reason = 'loan')"),
        0
    );
    // A loan lent while the same borrower had another overdue went out on an override.
    assert_eq!(
        lib.count(
            "SELECT count(*) FROM loans l JOIN loans o ON o.borrower_id = l.borrower_id AND o.id <> l.id
               AND o.state IN ('out', 'lost') AND o.box_loan_id IS NULL AND o.box_id IS NULL
               AND o.due < substr(l.lent_at, 1, 10) AND o.lent_at < l.lent_at
             WHERE l.state IN ('out', 'lost') AND l.box_loan_id IS NULL AND l.box_id IS NULL
               AND (l.override_by IS NULL OR l.override_note = '')"
        ),
        0,
        "lent to a borrower with an overdue loan without an override"
    );
    // Holds waiting on items that are out, by someone other than who has it.
    assert!(lib.count("SELECT count(*) FROM loan_requests WHERE state = 'waiting'") > 0);
    assert_eq!(
        lib.count(
            "SELECT count(*) FROM loan_requests r LEFT JOIN loans l ON l.customer_id = r.customer_id
             AND l.state = 'out' WHERE r.state = 'waiting' AND (l.id IS NULL OR l.borrower_id = r.borrower_id)"
        ),
        0
    );
    // Returned after lent, in the past; lent by the demo's archivist or admin.
    assert_eq!(
        lib.count("SELECT count(*) FROM loans WHERE returned_at IS NOT NULL AND returned_at <= lent_at"),
        0
    );
    assert_eq!(
        lib.count(
            "SELECT count(*) FROM loans l JOIN users u ON u.id = l.lent_by WHERE u.role NOT IN ('archivist', 'admin')"
        ),
        0
    );
    // Confidential dossiers went out with an approver.
    assert_eq!(
        lib.count(
            "SELECT count(*) FROM loans l JOIN customers c ON c.id = l.customer_id
             WHERE c.confidential = 1 AND l.approved_by IS NULL"
        ),
        0
    );
    lib.admin(&["verify"]).ok();
}

#[test]
fn the_same_seed_gives_the_same_loan_history() {
    let history = |lib: &Lib| {
        strings(
            lib,
            "SELECT b.code || b.name || b.dept || b.unit || coalesce(b.card, '') || b.blocked || '|' ||
                    coalesce(l.customer_id, -l.box_id) || l.purpose || substr(l.lent_at, 1, 10) || l.due ||
                    l.state || l.renewals || coalesce(substr(l.returned_at, 1, 10), '') || coalesce(l.condition, '')
             FROM loans l JOIN borrowers b ON b.id = l.borrower_id ORDER BY l.id",
        )
    };
    let (a, _) = demo("250", "11");
    let (b, _) = demo("250", "11");
    let (c, _) = demo("250", "12");
    let (ha, hb, hc) = (history(&a), history(&b), history(&c));
    assert!(ha.len() > 50, "{}", ha.len());
    assert_eq!(ha, hb);
    assert_ne!(ha, hc);
    let requests = "SELECT customer_id || '-' || borrower_id || substr(requested_at, 1, 10) FROM loan_requests ORDER BY id";
    assert_eq!(strings(&a, requests), strings(&b, requests));
}

/// The library's calendar as the CLI lists it, for the years given.
fn special_days(lib: &Lib, years: impl Iterator<Item = i32>) -> HashMap<NaiveDate, String> {
    let mut days = HashMap::new();
    for y in years {
        let year = lib.json(&["calendar", "list", &y.to_string()]);
        for d in year["days"].as_array().unwrap() {
            let day = NaiveDate::parse_from_str(d["day"].as_str().unwrap(), "%Y-%m-%d").unwrap();
            days.insert(day, d["kind"].as_str().unwrap().to_string());
        }
    }
    days
}

fn working(days: &HashMap<NaiveDate, String>, d: NaiveDate) -> bool {
    match days.get(&d).map(String::as_str) {
        Some("holiday") => false,
        Some("workday") => true,
        _ => !matches!(d.weekday(), Weekday::Sat | Weekday::Sun),
    }
}

#[test]
fn no_generated_due_date_falls_on_a_holiday_or_a_weekend_unless_it_is_a_make_up_working_day() {
    let (lib, _) = demo("600", "3");
    let dues: Vec<NaiveDate> = strings(&lib, "SELECT DISTINCT due FROM loans ORDER BY due")
        .iter()
        .map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap())
        .collect();
    let lent: Vec<NaiveDate> = strings(&lib, "SELECT DISTINCT substr(lent_at, 1, 10) FROM loans")
        .iter()
        .map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap())
        .collect();
    let (first, last) = (dues[0].year().min(lent.iter().min().unwrap().year()), dues[dues.len() - 1].year());
    let days = special_days(&lib, first..=last);
    // The history reaches into years the shipped calendar lacks: the demo entered them.
    assert!(days.values().any(|k| k == "workday"), "no make-up working day known");
    for d in &dues {
        assert!(working(&days, *d), "a loan is due on {d}, not a working day");
    }
    for d in &lent {
        assert!(working(&days, *d), "a loan was lent on {d}, not a working day");
    }
    // A loan due across a long holiday is due later than the plain week would say: some due
    // date of the history is past a holiday (the calendar was used, not weekends alone).
    let crossing = lib.count(
        "SELECT count(*) FROM loans WHERE renewals = 0 AND box_loan_id IS NULL
         AND julianday(due) - julianday(substr(lent_at, 1, 10)) > 16",
    );
    assert!(crossing > 0, "no due date moved by a holiday");
    // Lent in working hours (08:30–18:00 in China, UTC+8).
    assert_eq!(
        lib.count("SELECT count(*) FROM loans WHERE substr(lent_at, 12, 5) NOT BETWEEN '00:30' AND '10:00'"),
        0
    );
}

#[test]
fn lending_renewing_and_returning_through_the_cli_work_on_the_demo_library() {
    let (lib, _) = demo("600", "5");
    // A dossier that is in, open, not confidential, not in a box that is out.
    let dossier = strings(
        &lib,
        "SELECT c.dossier_no FROM customers c JOIN folders f ON f.customer_id = c.id
         WHERE c.status <> 'closed' AND c.confidential = 0
           AND NOT EXISTS (SELECT 1 FROM loans l WHERE l.customer_id = c.id AND l.state IN ('out', 'lost'))
           AND NOT EXISTS (SELECT 1 FROM loans l WHERE l.box_id = f.box_id AND l.state = 'out')
         ORDER BY c.id LIMIT 1",
    )
    .remove(0);
    // A borrower the desk may lend to: not blocked, nothing overdue.
    let borrower = strings(
        &lib,
        "SELECT b.code FROM borrowers b WHERE b.blocked = 0 AND NOT EXISTS
           (SELECT 1 FROM loans l WHERE l.borrower_id = b.id AND l.state = 'out' AND l.due < date('now', 'localtime'))
         ORDER BY b.id LIMIT 1",
    )
    .remove(0);
    let lent = lib.json(&["loan", "out", &dossier, "--to", &borrower, "--purpose", "增容"]);
    assert_eq!(lent["state"], "out", "{lent}");
    // Out already: refused, naming who has it.
    archivist(&lib, &["loan", "out", &dossier, "--to", &borrower]).fails(4, &dossier);
    let renewed = archivist(&lib, &["--json", "loan", "renew", &dossier]).json();
    assert_eq!(renewed["renewals"], 1, "{renewed}");
    assert!(renewed["due"].as_str().unwrap() > lent["due"].as_str().unwrap());
    let back = archivist(&lib, &["--json", "loan", "return", &dossier]).json();
    assert_eq!(back["state"], "returned", "{back}");
    archivist(&lib, &["loan", "return", &dossier]).fails(4, &dossier);

    // An item the demo has out (overdue) comes back; one reported lost is found.
    let overdue = lib.json(&["loan", "list", "--overdue"]);
    let item = overdue[0]["item"].as_str().unwrap().to_string();
    lib.admin(&["loan", "return", &item, "--condition", "damaged", "--note", "封面破损"]).ok();
    let lost = strings(
        &lib,
        "SELECT c.dossier_no FROM loans l JOIN customers c ON c.id = l.customer_id WHERE l.state = 'lost' LIMIT 1",
    )
    .remove(0);
    let found = lib.json(&["loan", "return", &lost]);
    assert_eq!(found["found"], true, "{found}");
    // The box the demo has out comes back to its shelf with its folders.
    let boxed = strings(
        &lib,
        "SELECT b.code FROM loans l JOIN boxes b ON b.id = l.box_id WHERE l.state = 'out' LIMIT 1",
    )
    .remove(0);
    let back = lib.json(&["loan", "return", &boxed]);
    assert!(back["back_to"].as_str().unwrap().contains('/'), "{back}");
    assert_eq!(lib.count("SELECT count(*) FROM boxes WHERE location_id IS NULL"), 0);
    // A blocked borrower is refused.
    let blocked = strings(&lib, "SELECT code FROM borrowers WHERE blocked = 1 LIMIT 1").remove(0);
    lib.admin(&["loan", "out", &dossier, "--to", &blocked]).fails(4, "");
    // A new borrower and a new customer on the demo library, lent the same day.
    lib.admin(&["borrower", "add", "周瑜", "--dept", "营销部"]).ok();
    let new = lib.admin(&[
        "customer",
        "add",
        "--name",
        "新户测试",
        "--phone",
        "13700001234",
        "--field",
        "户号=3399990001",
    ]);
    let new = new.ok().trim().to_string();
    lib.admin(&["loan", "out", &dossier, "--to", "周瑜"]).ok();
    // Not filed yet, but its folder can go out and come back.
    lib.admin(&["loan", "out", &new, "--to", "周瑜"]).ok();
    lib.admin(&["loan", "return", &new]).ok();
    lib.admin(&["verify"]).ok();
}

#[test]
fn a_demo_killed_while_lending_finishes_into_the_same_loan_history() {
    let args = ["--json", "demo", "--customers", "400", "--seed", "6", "--batch", "100"];
    let killed = Lib::empty();
    let r =
        killed.run_env(&args, &[("DANGAN_PASSWORD", ADMIN_PW), ("DANGAN_FAULT", "demo-after-loan-batch")]);
    assert_ne!(r.code, 0, "the fault point kills the demo");
    let written = killed.count("SELECT count(*) FROM loans");
    assert!(written > 0, "borrowers and a batch of loans were written before the kill");
    killed.admin(&["verify"]).fails(4, "stopped before it was finished");
    let report = killed.run_env(&["--json", "demo", "--finish"], &[]).json();
    assert!(report["loans"].as_i64().unwrap() > written, "{report}");
    killed.admin(&["verify"]).ok();

    let whole = Lib::empty();
    whole.run_env(&args, &[("DANGAN_PASSWORD", ADMIN_PW)]).ok();
    let history = "SELECT b.code || ' ' || coalesce(l.customer_id, -l.box_id) || ' ' || substr(l.lent_at, 1, 10)
                   || ' ' || l.due || ' ' || l.state FROM loans l JOIN borrowers b ON b.id = l.borrower_id ORDER BY l.id";
    assert_eq!(strings(&killed, history), strings(&whole, history), "finishing gives the same history");
    let boxes = "SELECT code || ' ' || coalesce(location_id, 'out') FROM boxes ORDER BY id";
    assert_eq!(strings(&killed, boxes), strings(&whole, boxes));
}
