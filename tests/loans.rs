//! The lending desk through the real binary: borrowers, lending a folder or a box, returns,
//! renewals, losses, requests, the working-day calendar, and every refusal with its exit
//! status and nothing half-written.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod util;

use chrono::{Datelike, Duration, NaiveDate};
use serde_json::Value;
use util::*;

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// A library with two staff borrowers and an outside unit; returns their card numbers.
fn desk() -> (Lib, String, String, String) {
    let lib = Lib::new();
    let zhou = lib.json(&["borrower", "add", "周瑜", "--dept", "营销部", "--phone", "13912345678"]);
    let wang = lib.json(&["borrower", "add", "王芳", "--dept", "客户服务中心", "--card", "EMP-0042"]);
    let li = lib.json(&["borrower", "add", "李四", "--unit", "市公安局", "--letter", "公函2026-015"]);
    let code = |v: &Value| v["code"].as_str().unwrap().to_string();
    assert_eq!(li["borrower_kind"], "external");
    (lib, code(&zhou), code(&wang), code(&li))
}

fn loans_and_audit(lib: &Lib) -> (i64, i64) {
    // Logins are audited too: count the rest.
    (
        lib.count("SELECT count(*) FROM loans"),
        lib.count("SELECT count(*) FROM audit_log WHERE entity <> 'session'"),
    )
}

#[test]
fn two_scans_lend_a_dossier_and_a_second_check_out_names_who_has_it() {
    let (lib, zhou, wang, _) = desk();
    let d = lib.add_customer(&["--name", "张三"]);
    // Card, then dossier: the due date is the policy's ten working days.
    let lent = lib.json(&["loan", "out", &d, "--to", &zhou, "--purpose", "增容"]);
    assert_eq!(lent["item"], d);
    assert_eq!(lent["borrower"], "周瑜");
    assert_eq!(lent["state"], "out");
    let due = NaiveDate::parse_from_str(lent["due"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    assert!(due > today() + Duration::days(10), "ten working days are more than ten days: {due}");
    let w = lib.json(&["where", &d]);
    assert_eq!(w["loan"]["borrower"], "周瑜");
    assert_eq!(w["loan"]["due"], lent["due"]);

    // A second check-out: exit 4, naming who has it and until when; nothing written.
    let before = loans_and_audit(&lib);
    lib.admin(&["loan", "out", &d, "--to", "EMP-0042"]).fails(4, "is out to 周瑜（营销部）");
    assert_eq!(loans_and_audit(&lib), before);
    // The badge works as the card; a request for it is fine.
    lib.admin(&["loan", "request", &d, "--for", "EMP-0042"]).ok();
    // Returning it says whom to hold it for.
    let r = lib.json(&["loan", "return", &d]);
    assert_eq!(r["hold_for"], "王芳");
    assert_eq!(r["state"], "returned");
    assert_eq!(r["condition"], "complete");
    // Returning what is not out: exit 4.
    lib.admin(&["loan", "return", &d]).fails(4, "is not out on loan");
    // Reserved: lending it to someone else is refused until the request is served.
    lib.admin(&["loan", "out", &d, "--to", &zhou]).fails(4, "reserved for 王芳");
    let served = lib.json(&["loan", "out", &d, "--to", &wang]);
    assert!(served["served_request"].is_number());
    assert_eq!(lib.count("SELECT count(*) FROM loan_requests WHERE state = 'waiting'"), 0);
    // History is kept: two loans of this dossier, newest first.
    let h = lib.json(&["loan", "history", &d]);
    assert_eq!(h.as_array().unwrap().len(), 2);
    assert_eq!(h[0]["borrower"], "王芳");
    assert_eq!(h[1]["state"], "returned");
}

#[test]
fn bad_borrowers_and_items_are_refused_with_their_exit_status() {
    let (lib, zhou, _, _) = desk();
    let d = lib.add_customer(&["--name", "张三"]);
    lib.admin(&["loan", "out", &d, "--to", "赵云"]).fails(3, "No borrower");
    // A card number with a wrong check digit: mistyped, never guessed.
    let mut typo = zhou.clone().into_bytes();
    let last = typo.len() - 1;
    typo[last] = if typo[last] == b'9' { b'0' } else { typo[last] + 1 };
    let typo = String::from_utf8(typo).unwrap();
    lib.admin(&["loan", "out", &d, "--to", &typo]).fails(2, "check digit");
    // Two borrowers of one name: say which.
    lib.json(&["borrower", "add", "周瑜", "--dept", "财务部"]);
    lib.admin(&["loan", "out", &d, "--to", "周瑜"]).fails(2, "Several borrowers");
    lib.admin(&["loan", "out", "KH-9999-999999", "--to", &zhou]).fails(3, "");
    lib.admin(&["loan", "out", "6901234567892", "--to", &zhou]).fails(3, "not a Dangan code");
    // Blocked: refused until the block is lifted.
    lib.admin(&["borrower", "block", &zhou, "--reason", "遗失档案未赔偿"]).ok();
    lib.admin(&["loan", "out", &d, "--to", &zhou]).fails(4, "遗失档案未赔偿");
    lib.admin(&["borrower", "unblock", &zhou]).ok();
    // A closed dossier is not lent.
    let closed = lib.add_customer(&["--name", "已销户"]);
    lib.admin(&["customer", "close", &closed, "--reason", "迁出"]).ok();
    lib.admin(&["loan", "out", &closed, "--to", &zhou]).fails(4, "closed");
    assert_eq!(lib.count("SELECT count(*) FROM loans"), 0);
    lib.json(&["loan", "out", &d, "--to", &zhou]);
}

#[test]
fn due_dates_are_working_days_today_or_later() {
    let (lib, zhou, _, _) = desk();
    let d = lib.add_customer(&["--name", "张三"]);
    let yesterday = (today() - Duration::days(1)).to_string();
    lib.admin(&["loan", "out", &d, "--to", &zhou, "--due", &yesterday]).fails(2, "before today");
    // The next Saturday (not a make-up working day in the shipped calendars' future).
    let mut sat = today() + Duration::days(1);
    while sat.weekday() != chrono::Weekday::Sat {
        sat += Duration::days(1);
    }
    let day = lib.json(&["calendar", "workday", &sat.to_string()]);
    if day["kind"] == "weekend" {
        lib.admin(&["loan", "out", &d, "--to", &zhou, "--due", &sat.to_string()])
            .fails(2, "not a working day");
    }
    // New Year's Day 2027 is a holiday: the next working day is suggested.
    lib.admin(&["loan", "out", &d, "--to", &zhou, "--due", "2027-01-01"]).fails(2, "2027-01-04");
    lib.admin(&["loan", "out", &d, "--to", &zhou, "--days", "0"]).fails(2, "1 to 250");
    assert_eq!(lib.count("SELECT count(*) FROM loans"), 0);
    let v = lib.json(&["loan", "out", &d, "--to", &zhou, "--due", "2027-01-04"]);
    assert_eq!(v["due"], "2027-01-04");
}

#[test]
fn working_days_follow_the_holiday_calendar_with_its_make_up_days() {
    let lib = Lib::new();
    // Across the 2026 National Day week: Sunday 20 September and Saturday 10 October are worked.
    let v = lib.json(&["calendar", "workday", "2026-09-30", "--plus", "3"]);
    assert_eq!(v["plus"][1], "2026-10-10");
    let v = lib.json(&["calendar", "workday", "2026-09-20"]);
    assert_eq!(v["kind"], "make_up");
    let v = lib.json(&["calendar", "workday", "2026-10-05"]);
    assert_eq!(v["kind"], "holiday");
    assert_eq!(v["next_workday"], "2026-10-08");
    // Over the Spring Festival 2026: Saturday 14 February is worked, then nine days off.
    let v = lib.json(&["calendar", "workday", "2026-02-13", "--plus", "2"]);
    assert_eq!(v["plus"][1], "2026-02-24");
    // 2027 is shipped provisional: the list says so.
    let y = lib.json(&["calendar", "list", "2027"]);
    assert_eq!(y["provisional"], true);
    assert!(lib.admin(&["calendar", "list", "2027"]).ok().contains("not entered yet"));
    // The admin enters the State Council's notice: a make-up Saturday, an extra holiday.
    lib.admin(&["calendar", "add", "2027-02-20", "--workday", "--name", "春节"]).ok();
    lib.admin(&["calendar", "add", "2027-02-09", "--holiday", "--name", "春节"]).ok();
    let v = lib.json(&["calendar", "workday", "2027-02-04", "--plus", "2"]);
    // Thu 4th → the festival 5th–9th is off → Wed 10th is one, Thu 11th two.
    assert_eq!(v["plus"][1], "2027-02-11");
    let y = lib.json(&["calendar", "list", "2027"]);
    assert_eq!(y["origin"], "library");
    let days = y["days"].as_array().unwrap();
    assert!(days.iter().any(|d| d["day"] == "2027-01-01"), "the shipped days were kept: {y}");
    assert!(days.iter().any(|d| d["day"] == "2027-02-20" && d["kind"] == "workday"));
    // Removing a day puts it back to the plain week.
    lib.admin(&["calendar", "remove", "2027-02-09"]).ok();
    assert_eq!(lib.json(&["calendar", "workday", "2027-02-09"])["kind"], "workday");
    // Audited, and only for those who manage the configuration.
    assert!(lib.count("SELECT count(*) FROM audit_log WHERE entity = 'calendar_day'") >= 3);
    lib.add_user("arch", "archivist");
    lib.run_as("arch", &["calendar", "add", "2027-03-01", "--holiday"]).fails(5, "");
}

#[test]
fn an_overdue_borrower_is_refused_unless_an_archivist_overrides_with_a_reason() {
    let (lib, zhou, _, _) = desk();
    let a = lib.add_customer(&["--name", "甲"]);
    let b = lib.add_customer(&["--name", "乙"]);
    lib.json(&["loan", "out", &a, "--to", &zhou]);
    // The loan's due date passes (the clock cannot be moved; the test moves the date).
    lib.sql().execute("UPDATE loans SET due = '2026-01-05'", []).unwrap();
    let list = lib.json(&["loan", "list", "--overdue"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert!(list[0]["overdue_days"].as_i64().unwrap() > 300);
    let before = loans_and_audit(&lib);
    lib.admin(&["loan", "out", &b, "--to", &zhou]).fails(4, "overdue");
    assert_eq!(loans_and_audit(&lib), before);
    let v = lib.json(&["loan", "out", &b, "--to", &zhou, "--override", "科长批准，急用"]);
    assert_eq!(v["override_by"], "admin");
    assert_eq!(v["override_note"], "科长批准，急用");
    let audited: String = lib
        .sql()
        .query_row("SELECT after FROM audit_log WHERE action = 'lend' ORDER BY seq DESC LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(audited.contains("科长批准"), "{audited}");
    // The borrower's page counts them; the overdue one is shown with its days.
    let page = lib.json(&["borrower", "show", &zhou]);
    assert_eq!(page["out"], 2);
    assert_eq!(page["overdue"], 1);
    assert!(lib.admin(&["--lang", "zh-CN", "loan", "list", "--overdue"]).ok().contains("超期"));
}

#[test]
fn a_confidential_dossier_needs_a_second_user_to_approve() {
    let (lib, zhou, _, _) = desk();
    let d = lib.add_customer(&["--name", "机密客户", "--confidential"]);
    lib.add_user("arch", "archivist");
    lib.add_user("clerk1", "clerk");
    lib.admin(&["loan", "out", &d, "--to", &zhou]).fails(4, "confidential");
    let env = |pw: &str| {
        vec![("DANGAN_USER", "admin"), ("DANGAN_PASSWORD", ADMIN_PW), ("DANGAN_APPROVER_PASSWORD", pw)]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<Vec<_>>()
    };
    let run = |args: &[&str], pw: &str| {
        let e = env(pw);
        let e: Vec<(&str, &str)> = e.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        lib.run_env(args, &e)
    };
    run(&["loan", "out", &d, "--to", &zhou, "--approver", "admin"], ADMIN_PW).fails(4, "your own loan");
    run(&["loan", "out", &d, "--to", &zhou, "--approver", "arch"], "wrong").fails(5, "approver");
    // A clerk may not see confidential dossiers, so may not approve lending one.
    run(&["loan", "out", &d, "--to", &zhou, "--approver", "clerk1"], USER_PW).fails(5, "");
    assert_eq!(lib.count("SELECT count(*) FROM loans"), 0);
    let v = run(&["--json", "loan", "out", &d, "--to", &zhou, "--approver", "arch"], USER_PW).json();
    assert_eq!(v["approved_by"], "arch");
    // A clerk does not lend at all.
    let e = lib.add_customer(&["--name", "普通"]);
    lib.run_as("clerk1", &["loan", "out", &e, "--to", &zhou]).fails(5, "");
    // …but may see the loans list, where the confidential name is hidden.
    let list = lib.json_as("clerk1", &["loan", "list"]);
    assert_eq!(list[0]["title"], "***");
}

#[test]
fn renewals_stop_at_the_policy_limit_and_when_someone_waits() {
    let (lib, zhou, wang, li) = desk();
    let d = lib.add_customer(&["--name", "张三"]);
    // An outside unit keeps things five working days and renews once.
    let v = lib.json(&["loan", "out", &d, "--to", &li]);
    let due1 = v["due"].as_str().unwrap().to_string();
    let r = lib.json(&["loan", "renew", &d]);
    assert!(r["due"].as_str().unwrap() > due1.as_str());
    assert_eq!(r["renewals"], 1);
    lib.admin(&["loan", "renew", &d]).fails(4, "limit");
    lib.admin(&["loan", "return", &d]).ok();
    // Staff renew twice, but not while someone waits.
    lib.json(&["loan", "out", &d, "--to", &zhou]);
    lib.json(&["loan", "renew", &d, "--days", "3"]);
    lib.admin(&["loan", "request", &d, "--for", &wang]).ok();
    lib.admin(&["loan", "renew", &d]).fails(4, "waiting");
    // The policy is the admin's to change.
    let p = lib.json(&["loan", "policy", "--kind", "external", "--days", "7", "--max-renewals", "2"]);
    assert_eq!(p["external"]["days"], 7);
    assert_eq!(p["external"]["max_renewals"], 2);
    lib.admin(&["loan", "policy", "--kind", "staff", "--days", "0"]).fails(2, "1 to 250");
}

#[test]
fn a_lost_folder_keeps_who_had_it_and_is_found_when_returned() {
    let (lib, zhou, wang, _) = desk();
    let d = lib.add_customer(&["--name", "张三"]);
    lib.json(&["loan", "out", &d, "--to", &zhou]);
    let l = lib.json(&["loan", "lost", &d, "--note", "搬家时遗失"]);
    assert_eq!(l["state"], "lost");
    assert_eq!(l["borrower"], "周瑜");
    lib.admin(&["loan", "lost", &d]).fails(4, "already reported lost");
    lib.admin(&["loan", "renew", &d]).fails(4, "lost");
    // Lost: it cannot go out again.
    lib.admin(&["loan", "out", &d, "--to", &wang]).fails(4, "lost while on loan to 周瑜");
    let w = lib.json(&["where", &d]);
    assert_eq!(w["loan"]["state"], "lost");
    // Found: returning it says so and restores it.
    let r = lib.json(&["loan", "return", &d]);
    assert_eq!(r["found"], true);
    assert_eq!(r["state"], "found");
    assert!(lib.admin(&["loan", "history", &d]).ok().contains("found"));
    lib.json(&["loan", "out", &d, "--to", &wang]);
}

#[test]
fn a_box_goes_out_with_its_folders_and_comes_back_home_with_them() {
    let (lib, zhou, wang, _) = desk();
    lib.admin(&["location", "add", "档案室A/1排/1列/1层"]).ok();
    let bx =
        lib.json(&["box", "add", "--location", "档案室A/1排/1列/1层"])["code"].as_str().unwrap().to_string();
    let a = lib.add_customer(&["--name", "甲"]);
    let b = lib.add_customer(&["--name", "乙"]);
    lib.admin(&["file", &a, &bx]).ok();
    lib.admin(&["file", &b, &bx]).ok();
    // One folder out on its own: the box cannot go.
    lib.json(&["loan", "out", &a, "--to", &wang]);
    lib.admin(&["loan", "out", &bx, "--to", &zhou]).fails(4, &a);
    lib.admin(&["loan", "return", &a]).ok();

    let v = lib.json(&["loan", "out", &bx, "--to", &zhou, "--purpose", "审计抽查"]);
    assert_eq!(v["kind"], "box");
    assert_eq!(v["folders"].as_array().unwrap().len(), 2);
    // The box left its shelf; its folders are out with it.
    let w = lib.json(&["where", &bx]);
    assert!(w["current"].is_null(), "{w}");
    assert_eq!(w["loan"]["borrower"], "周瑜");
    assert_eq!(w["folders"][0]["on_loan"], "周瑜");
    lib.admin(&["loan", "out", &a, "--to", &wang]).fails(4, &bx);
    lib.admin(&["loan", "return", &a]).fails(4, "scan the box");
    let out = lib.json(&["loan", "list"]);
    assert_eq!(out.as_array().unwrap().len(), 1, "a box is listed once: {out}");
    // Back home, folders and all.
    let r = lib.json(&["loan", "return", &bx]);
    assert_eq!(r["back_to"], "档案室A/1排/1列/1层");
    let w = lib.json(&["where", &bx]);
    assert_eq!(w["current"], "档案室A/1排/1列/1层");
    assert!(w["loan"].is_null());
    assert_eq!(lib.count("SELECT count(*) FROM loans WHERE state = 'out'"), 0);
    // The movements say so; each dossier's history shows the loan.
    let moves = w["movements"].as_array().unwrap();
    assert!(moves.iter().any(|m| m["reason"] == "loan"));
    assert!(moves.iter().any(|m| m["reason"] == "returned"));
    assert_eq!(lib.json(&["loan", "history", &b]).as_array().unwrap().len(), 1);
}

#[test]
fn pages_counted_short_on_return_are_recorded_as_missing() {
    let (lib, zhou, _, _) = desk();
    let d = lib.add_customer(&["--name", "张三"]);
    lib.admin(&["doc", "add", &d, "--type", "ID", "--pages", "6"]).ok();
    lib.json(&["loan", "out", &d, "--to", &zhou]);
    let r = lib.json(&["loan", "return", &d, "--pages", "4"]);
    assert_eq!(r["pages_short"], 2);
    assert_eq!(r["condition"], "pages_missing");
    assert_eq!(r["pages_out"], 6);
    lib.json(&["loan", "out", &d, "--to", &zhou]);
    let r = lib.json(&["loan", "return", &d, "--condition", "damaged", "--note", "水渍"]);
    assert_eq!(r["condition"], "damaged");
    lib.admin(&["loan", "return", &d, "--pages", "-1"]).fails(2, "");
}

#[test]
fn search_shows_who_has_a_dossier_and_filters_on_loan() {
    let (lib, zhou, _, _) = desk();
    let d = lib.add_customer(&["--name", "欧阳娜娜"]);
    let e = lib.add_customer(&["--name", "欧阳锋"]);
    lib.json(&["loan", "out", &d, "--to", &zhou]);
    let hits = lib.json(&["search", "欧阳", "--on-loan", "true"]);
    assert_eq!(hits.as_array().unwrap().len(), 1);
    assert_eq!(hits[0]["dossier"], d);
    assert_eq!(hits[0]["loan"]["borrower"], "周瑜");
    let text = lib.admin(&["--lang", "zh-CN", "search", "欧阳娜娜"]).ok().to_string();
    assert!(text.contains("借出：周瑜，应还"), "{text}");
    let hits = lib.json(&["search", "欧阳", "--on-loan", "false"]);
    assert_eq!(hits[0]["dossier"], e);
    // Returned: search follows at once.
    lib.admin(&["loan", "return", &d]).ok();
    assert_eq!(lib.json(&["search", "欧阳", "--on-loan", "true"]).as_array().unwrap().len(), 0);
    lib.admin(&["verify"]).ok();
}

#[test]
fn the_register_lists_every_loan_of_a_period() {
    let (lib, zhou, wang, _) = desk();
    let a = lib.add_customer(&["--name", "甲"]);
    let b = lib.add_customer(&["--name", "乙"]);
    lib.json(&["loan", "out", &a, "--to", &zhou]);
    lib.json(&["loan", "out", &b, "--to", &wang]);
    lib.admin(&["loan", "return", &a]).ok();
    let t = today().to_string();
    let reg = lib.json(&["loan", "list", "--from", &t, "--to", &t]);
    assert_eq!(reg.as_array().unwrap().len(), 2, "returned loans are in the register");
    let y = (today() - Duration::days(1)).to_string();
    assert_eq!(lib.json(&["loan", "list", "--from", &y, "--to", &y]).as_array().unwrap().len(), 0);
    lib.admin(&["loan", "list", "--from", &t, "--to", &y]).fails(2, "swap");
    assert_eq!(lib.json(&["loan", "list", "--borrower", &wang]).as_array().unwrap().len(), 1);
    // Borrower cards are found by `where` too.
    let w = lib.json(&["where", &zhou]);
    assert_eq!(w["kind"], "borrower");
    assert_eq!(w["name"], "周瑜");
}

#[test]
fn verify_is_clean_after_the_desk_and_names_a_loan_changed_behind_its_back() {
    let (lib, zhou, wang, _) = desk();
    lib.admin(&["location", "add", "档案室A/1排/1列/1层"]).ok();
    let bx =
        lib.json(&["box", "add", "--location", "档案室A/1排/1列/1层"])["code"].as_str().unwrap().to_string();
    let a = lib.add_customer(&["--name", "甲"]);
    let b = lib.add_customer(&["--name", "乙"]);
    lib.admin(&["file", &a, &bx]).ok();
    lib.json(&["loan", "out", &bx, "--to", &zhou]);
    lib.json(&["loan", "out", &b, "--to", &wang]);
    lib.json(&["loan", "renew", &b]);
    lib.admin(&["borrower", "edit", &wang, "--phone", "13800000000"]).ok();
    lib.admin(&["verify"]).ok();
    lib.admin(&["loan", "return", &bx]).ok();
    lib.admin(&["loan", "lost", &b]).ok();
    lib.admin(&["verify"]).ok();
    // Someone edits the database: the loan "returned" without the desk, a borrower unblocked.
    let c = lib.sql();
    c.execute(
        "UPDATE loans SET state = 'returned', returned_at = '2026-01-01T00:00:00.000Z' WHERE state = 'lost'",
        [],
    )
    .unwrap();
    c.execute("UPDATE borrowers SET phone = '110' WHERE code = ?1", [&wang]).unwrap();
    drop(c);
    let v = lib.admin(&["--lang", "en", "verify"]);
    assert_ne!(v.code, 0);
    let all = format!("{}{}", v.stdout, v.stderr);
    assert!(all.contains("loan"), "{all}");
    assert!(all.contains(&wang), "{all}");
}

#[test]
fn six_desks_lending_one_dossier_at_once_lend_it_once() {
    let (lib, _, _, _) = desk();
    let d = lib.add_customer(&["--name", "抢手档案"]);
    let cards: Vec<String> = (0..6)
        .map(|i| {
            lib.json(&["borrower", "add", &format!("借阅人{i}"), "--dept", "营销部"])["code"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let runs: Vec<Run> = std::thread::scope(|scope| {
        let handles: Vec<_> = cards
            .iter()
            .map(|card| {
                let (lib, d) = (&lib, &d);
                scope.spawn(move || lib.admin(&["loan", "out", d, "--to", card]))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let ok = runs.iter().filter(|r| r.code == 0).count();
    assert_eq!(ok, 1, "{:?}", runs.iter().map(|r| (&r.code, &r.stderr)).collect::<Vec<_>>());
    for r in runs.iter().filter(|r| r.code != 0) {
        r.fails(4, "is out to");
    }
    assert_eq!(lib.count("SELECT count(*) FROM loans"), 1);
    lib.admin(&["verify"]).ok();
}

#[test]
fn a_shelf_inventory_says_a_missing_box_is_out_on_loan() {
    let (lib, zhou, _, _) = desk();
    let shelf = lib.json(&["location", "add", "档案室A/1排/1列/1层"])["location"]["code"]
        .as_str()
        .unwrap()
        .to_string();
    let b1 =
        lib.json(&["box", "add", "--location", "档案室A/1排/1列/1层"])["code"].as_str().unwrap().to_string();
    let b2 =
        lib.json(&["box", "add", "--location", "档案室A/1排/1列/1层"])["code"].as_str().unwrap().to_string();
    lib.json(&["loan", "out", &b2, "--to", &zhou]);
    let scanned = lib.dir.path().join("scan.txt");
    std::fs::write(&scanned, format!("{shelf}\n{b1}\n")).unwrap();
    let r = lib.json(&["inventory", "档案室A/1排/1列/1层", "--scanned", scanned.to_str().unwrap()]);
    assert_eq!(r["missing"][0]["code"], b2);
    assert_eq!(r["missing"][0]["on_loan"], "周瑜（营销部）");
    let text = lib.admin(&[
        "--lang",
        "zh-CN",
        "inventory",
        "档案室A/1排/1列/1层",
        "--scanned",
        scanned.to_str().unwrap(),
    ]);
    assert!(text.ok().contains("已整盒借给 周瑜"), "{}", text.stdout);
}
