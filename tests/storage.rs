//! Where every paper is: locations, boxes, filing, movements, `where`, inventory — through the
//! real binary, as a script or a clerk at a terminal would use them.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod util;

use serde_json::Value;
use util::*;

fn code(v: &Value) -> String {
    v["code"].as_str().unwrap_or_default().to_string()
}

fn new_box(lib: &Lib, args: &[&str]) -> String {
    let mut a = vec!["box", "add"];
    a.extend_from_slice(args);
    code(&lib.json(&a))
}

#[test]
fn a_location_path_is_created_level_by_level_and_each_level_gets_a_checked_code() {
    let lib = Lib::new();
    let v = lib.json(&["location", "add", "档案室A/1排/3列/2层"]);
    let created = v["created"].as_array().expect("created");
    assert_eq!(created.len(), 4);
    let levels: Vec<&str> = created.iter().map(|l| l["level"].as_str().unwrap_or_default()).collect();
    assert_eq!(levels, ["room", "rack", "column", "shelf"]);
    assert_eq!(v["location"]["path"], "档案室A/1排/3列/2层");
    // A sibling reuses the upper levels.
    let v = lib.json(&["location", "add", "档案室A / 1排 / 3列 / 3层"]);
    assert_eq!(v["created"].as_array().map(Vec::len), Some(1));
    // The same path again creates nothing and says so.
    let again = lib.admin(&["location", "add", "档案室A/1排/3列/2层"]);
    assert!(again.ok().trim().starts_with("LC"));
    assert!(again.stderr.contains("exists"), "{}", again.stderr);
    assert_eq!(lib.count("SELECT count(*) FROM locations"), 5);
    // Its code resolves to it.
    let shelf = v["location"]["code"].as_str().unwrap_or_default().to_string();
    let w = lib.json(&["where", &shelf]);
    assert_eq!(w["kind"], "location");
    assert_eq!(w["location"]["path"], "档案室A/1排/3列/3层");
}

#[test]
fn a_box_is_shelved_moved_for_a_while_and_returned_with_every_move_in_its_history() {
    let lib = Lib::new();
    lib.admin(&["location", "add", "档案室A/1排/1列/1层"]).ok();
    lib.admin(&["location", "add", "阅览室"]).ok();
    let b = new_box(&lib, &["--location", "档案室A/1排/1列/1层", "--year", "2025", "--retention", "30年"]);
    let w = lib.json(&["where", &b]);
    assert_eq!(w["kind"], "box");
    assert_eq!(w["home"], "档案室A/1排/1列/1层");
    assert_eq!(w["current"], "档案室A/1排/1列/1层");
    assert_eq!(w["retention"], "30年");
    assert_eq!(w["year"], 2025);

    lib.admin(&["box", "place", &b, "阅览室", "--temporary", "--note", "查档"]).ok();
    let w = lib.json(&["where", &b]);
    assert_eq!(w["home"], "档案室A/1排/1列/1层", "a temporary move keeps the home");
    assert_eq!(w["current"], "阅览室");
    lib.admin(&["box", "return", &b]).ok();
    let w = lib.json(&["where", &b]);
    assert_eq!(w["current"], "档案室A/1排/1列/1层");
    let reasons: Vec<&str> = w["movements"]
        .as_array()
        .expect("movements")
        .iter()
        .map(|m| m["reason"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(reasons, ["returned", "moved", "shelved"]);
    // Returning a box that is home is refused, and changes nothing.
    let before = lib.count("SELECT count(*) FROM movements");
    lib.admin(&["box", "return", &b]).fails(4, "already in its home");
    assert_eq!(lib.count("SELECT count(*) FROM movements"), before);
    // Every move is audited.
    assert_eq!(lib.count("SELECT count(*) FROM audit_log WHERE entity = 'box'"), 3);
}

#[test]
fn filing_without_a_box_follows_the_category_rule_shared_up_to_capacity_or_a_box_of_its_own() {
    let lib = Lib::utility();
    lib.admin(&["box", "rule", "RES", "--capacity", "2"]).ok();
    lib.admin(&["box", "rule", "HV", "--mode", "own"]).ok();
    let lv: Vec<String> = (0..3)
        .map(|i| {
            lib.add_customer(&[
                "--name",
                &format!("低压户{i}"),
                "--category",
                "RES-LV",
                "--field",
                &format!("户号=330000000{i}"),
            ])
        })
        .collect();
    let hv: Vec<String> = (0..2)
        .map(|i| {
            lib.add_customer(&[
                "--name",
                &format!("工厂{i}"),
                "--category",
                "HV-10",
                "--field",
                &format!("户号=330000010{i}"),
                "--field",
                "电价类别=大工业",
                "--field",
                "变压器容量=800",
            ])
        })
        .collect();
    let boxes: Vec<String> = lv
        .iter()
        .chain(&hv)
        .map(|d| lib.json(&["file", d])["box_code"].as_str().unwrap_or("").to_string())
        .collect();
    // Two low-voltage dossiers share the first box, the third opens a second.
    assert_eq!(boxes[0], boxes[1]);
    assert_ne!(boxes[1], boxes[2]);
    // Each high-voltage customer has a box of its own, a sub-category inheriting HV's rule.
    assert_ne!(boxes[3], boxes[4]);
    assert!(!boxes[..3].contains(&boxes[3]));
    let first = lib.json(&["box", "show", &boxes[0]]);
    assert_eq!(first["status"], "full");
    assert_eq!(first["count"], 2);
    assert_eq!(first["first_item"], 1);
    assert_eq!(first["last_item"], 2);
    let own = lib.json(&["box", "show", &boxes[3]]);
    assert_eq!(own["status"], "full", "a box of its own takes no one else");
    // Filing into the full box by its code is refused; nothing changes.
    let extra =
        lib.add_customer(&["--name", "低压户9", "--category", "RES-LV", "--field", "户号=3300000099"]);
    lib.admin(&["file", &extra, &boxes[0]]).fails(4, "full");
    assert_eq!(lib.count("SELECT count(*) FROM folders"), 5);
    // Unfiling one opens the box again.
    lib.admin(&["unfile", &lv[0]]).ok();
    assert_eq!(lib.json(&["box", "show", &boxes[0]])["status"], "open");
    lib.admin(&["file", &extra, &boxes[0]]).ok();
}

#[test]
fn bad_input_is_refused_with_the_right_status_and_nothing_half_written() {
    let lib = Lib::new();
    lib.admin(&["location", "add", "库房/1排/1列/1层", "--capacity", "1"]).ok();
    let b = new_box(&lib, &["--location", "库房/1排/1列/1层"]);
    let d = lib.add_customer(&["--name", "张三"]);
    lib.admin(&["file", &d, &b]).ok();
    // Already in a box: move it explicitly.
    let b2 = new_box(&lib, &[]);
    lib.admin(&["file", &d, &b2]).fails(4, "--move");
    lib.admin(&["file", &d, &b2, "--move"]).ok();
    assert_eq!(lib.json(&["where", &d])["placement"]["box_code"], b2.as_str());
    // A sealed box takes nothing.
    lib.admin(&["box", "seal", &b]).ok();
    let d2 = lib.add_customer(&["--name", "李四"]);
    lib.admin(&["file", &d2, &b]).fails(4, "sealed");
    // A closed dossier is not filed.
    lib.admin(&["customer", "close", &d2]).ok();
    lib.admin(&["file", &d2]).fails(4, "closed");
    // A mistyped code is refused as mistyped, never guessed; a product code is not ours.
    let mut typo = b.clone().into_bytes();
    let last = typo.len() - 1;
    typo[last] = if typo[last] == b'0' { b'1' } else { b'0' };
    let typo = String::from_utf8(typo).unwrap_or_default();
    lib.admin(&["where", &typo]).fails(2, "check digit");
    let d3 = lib.add_customer(&["--name", "王五"]);
    lib.admin(&["file", &d3, &typo]).fails(2, "check digit");
    lib.admin(&["where", "6901234567892"]).fails(3, "not a Dangan code");
    lib.admin(&["where", "nothing-at-all"]).fails(3, "Nothing is known");
    // The location holds one box: a second is refused.
    lib.admin(&["box", "place", &b2, "库房/1排/1列/1层"]).fails(4, "already holds");
    // A location with boxes is not deleted; an unknown one is not found.
    lib.admin(&["location", "delete", "库房"]).fails(4, "still holds");
    lib.admin(&["location", "delete", "别的库房"]).fails(3, "no location");
    lib.admin(&["box", "add", "--spine", "35"]).fails(2, "spine");
    lib.admin(&["box", "add", "--capacity", "lots"]).fails(2, "capacity");
    lib.admin(&["box", "add", "--retention", "forever"]).fails(2, "retention");
    assert_eq!(lib.count("SELECT count(*) FROM boxes"), 2);
    assert_eq!(lib.count("SELECT count(*) FROM locations"), 4);
    lib.admin(&["verify"]).ok();
}

#[test]
fn search_shows_a_dossier_s_new_place_at_once() {
    let lib = Lib::new();
    lib.admin(&["location", "add", "档案室A/1排/1列/1层"]).ok();
    lib.admin(&["location", "add", "档案室B/2排/1列/1层"]).ok();
    let b = new_box(&lib, &["--location", "档案室A/1排/1列/1层"]);
    let d = lib.add_customer(&["--name", "王小明"]);
    lib.admin(&["file", &d, &b]).ok();
    let hits = lib.json(&["search", "王小明"]);
    assert_eq!(hits[0]["location"], format!("档案室A/1排/1列/1层 · {b}"));
    lib.admin(&["box", "place", &b, "档案室B/2排/1列/1层"]).ok();
    let hits = lib.json(&["search", "王小明"]);
    assert_eq!(hits[0]["location"], format!("档案室B/2排/1列/1层 · {b}"));
    lib.admin(&["verify"]).ok();
}

#[test]
fn an_inventory_reports_found_missing_misplaced_and_unknown_and_can_fix_current_places() {
    let lib = Lib::new();
    lib.admin(&["location", "add", "库房/1排/1列/1层"]).ok();
    lib.admin(&["location", "add", "库房/1排/1列/2层"]).ok();
    let here: Vec<String> = (0..3).map(|_| new_box(&lib, &["--location", "库房/1排/1列/1层"])).collect();
    let other = new_box(&lib, &["--location", "库房/1排/1列/2层"]);
    let shelf = lib.json(&["location", "add", "库房/1排/1列/1层"])["location"]["code"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let mut typo = here[2].clone().into_bytes();
    let last = typo.len() - 1;
    typo[last] = if typo[last] == b'9' { b'8' } else { b'9' };
    let typo = String::from_utf8(typo).unwrap_or_default();
    let scanned =
        format!("{shelf}\n{}\n{}\n{}\n\n{}\n6901234567892\n{typo}\n", here[0], here[1], here[0], other);
    let file = lib.dir.path().join("scan.txt");
    std::fs::write(&file, scanned).expect("write scan");
    let r = lib.json(&["inventory", "库房/1排/1列/1层", "--scanned", file.to_str().unwrap_or(""), "--fix"]);
    assert_eq!(r["expected"], 3);
    assert_eq!(r["found"].as_array().map(Vec::len), Some(2), "a repeated scan counts once");
    assert_eq!(r["missing"][0]["code"], here[2].as_str());
    assert_eq!(r["misplaced"][0]["code"], other.as_str());
    assert_eq!(r["misplaced"][0]["home"], "库房/1排/1列/2层");
    let reasons: Vec<&str> = r["unknown"]
        .as_array()
        .expect("unknown")
        .iter()
        .map(|u| u["reason"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(reasons, ["inventory-not-ours", "inventory-mistyped"]);
    // Fixed: the misplaced box is recorded where it stands, its home unchanged.
    let w = lib.json(&["where", &other]);
    assert_eq!(w["current"], "库房/1排/1列/1层");
    assert_eq!(w["home"], "库房/1排/1列/2层");
    assert_eq!(r["fixed"], 1);
    // Saved and audited, and listed.
    assert_eq!(lib.count("SELECT count(*) FROM inventories"), 1);
    assert_eq!(lib.count("SELECT count(*) FROM audit_log WHERE entity = 'inventory'"), 1);
    let hist = lib.json(&["inventory", "--history"]);
    assert_eq!(hist[0]["missing"], 1);
    lib.admin(&["verify"]).ok();
}

#[test]
fn roles_are_checked_in_the_core_clerks_file_but_do_not_build_the_room() {
    let lib = Lib::new();
    lib.add_user("clerk1", "clerk");
    lib.add_user("viewer1", "viewer");
    lib.admin(&["location", "add", "库房/1排"]).ok();
    let b = new_box(&lib, &["--location", "库房/1排"]);
    let d = lib.add_customer(&["--name", "赵六"]);
    lib.run_as("clerk1", &["location", "add", "库房/2排"]).fails(5, "");
    lib.run_as("clerk1", &["box", "add"]).fails(5, "");
    lib.run_as("viewer1", &["file", &d, &b]).fails(5, "");
    lib.run_as("clerk1", &["file", &d, &b]).ok();
    let w = lib.json_as("viewer1", &["where", &b]);
    assert_eq!(w["folders"][0]["dossier"], d.as_str());
    lib.run_as("viewer1", &["box", "place", &b, "库房/1排", "--temporary"]).fails(5, "");
}

#[test]
fn a_confidential_dossier_s_name_is_hidden_in_a_box_from_those_who_may_not_see_it() {
    let lib = Lib::new();
    lib.add_user("clerk1", "clerk");
    let b = new_box(&lib, &[]);
    let d = lib.add_customer(&["--name", "机密客户", "--confidential"]);
    lib.admin(&["file", &d, &b]).ok();
    let as_clerk = lib.json_as("clerk1", &["box", "show", &b]);
    assert_eq!(as_clerk["folders"][0]["name"], "***");
    let as_admin = lib.json(&["box", "show", &b]);
    assert_eq!(as_admin["folders"][0]["name"], "机密客户");
    lib.run_as("clerk1", &["where", &d]).fails(5, "");
}

#[test]
fn storage_messages_follow_the_language() {
    let lib = Lib::new();
    let zh = lib.run_env(
        &["--lang", "zh-CN", "where", "6901234567892"],
        &[("DANGAN_USER", "admin"), ("DANGAN_PASSWORD", ADMIN_PW)],
    );
    zh.fails(3, "不是本系统的条码");
    let v = lib.json(&["location", "add", "库房/1排"]);
    let list = lib.run_env(
        &["--lang", "zh-CN", "location", "list"],
        &[("DANGAN_USER", "admin"), ("DANGAN_PASSWORD", ADMIN_PW)],
    );
    assert!(list.ok().contains("密集架"), "{}", list.stdout);
    assert!(v["location"]["code"].as_str().unwrap_or("").starts_with("LC"));
}

#[test]
fn verify_catches_a_box_moved_or_a_folder_taken_out_behind_dangan_s_back() {
    let lib = Lib::new();
    lib.admin(&["location", "add", "库房/1排/1列/1层"]).ok();
    lib.admin(&["location", "add", "库房/1排/1列/2层"]).ok();
    let b = new_box(&lib, &["--location", "库房/1排/1列/1层"]);
    let d = lib.add_customer(&["--name", "钱七"]);
    let d2 = lib.add_customer(&["--name", "孙八"]);
    lib.admin(&["file", &d, &b]).ok();
    lib.admin(&["file", &d2, &b]).ok();
    lib.admin(&["unfile", &d2]).ok();
    lib.admin(&["verify"]).ok();
    let db = lib.sql();
    db.execute(
        "UPDATE boxes SET location_id = (SELECT id FROM locations WHERE path = '库房/1排/1列/2层') WHERE code = ?1",
        [&b],
    )
    .expect("tamper box");
    db.execute(
        "DELETE FROM folders WHERE customer_id = (SELECT id FROM customers WHERE dossier_no = ?1)",
        [&d],
    )
    .expect("tamper folder");
    drop(db);
    let r = lib.admin(&["verify"]);
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    let all = format!("{}{}", r.stdout, r.stderr);
    assert!(all.contains(&format!("box {b} differs")), "{all}");
    assert!(all.contains(&format!("folder {d} is gone")), "{all}");
}

#[test]
fn a_shared_box_s_item_range_has_no_gaps_when_categories_are_filed_in_turn() {
    let lib = Lib::new();
    lib.admin(&["box", "rule", "--capacity", "3"]).ok();
    let mut boxes = Vec::new();
    for i in 0..5 {
        let category = if i % 2 == 0 { "PERSON" } else { "ORG-ENT" };
        let d = lib.add_customer(&["--name", &format!("客户{i}"), "--category", category]);
        boxes.push(lib.json(&["file", &d])["box_code"].as_str().unwrap_or("").to_string());
    }
    let person = lib.json(&["box", "show", &boxes[0]]);
    let org = lib.json(&["box", "show", &boxes[1]]);
    assert_ne!(boxes[0], boxes[1], "each category fills its own shared boxes");
    assert_eq!((person["first_item"].as_i64(), person["last_item"].as_i64()), (Some(1), Some(3)));
    assert_eq!((org["first_item"].as_i64(), org["last_item"].as_i64()), (Some(1), Some(2)));
}

#[test]
fn a_reader_that_stops_early_is_not_a_crash() {
    use std::process::Stdio;
    let lib = Lib::new();
    lib.admin(&["location", "add", "库房/1排/1列/1层"]).ok();
    new_box(&lib, &["--location", "库房/1排/1列/1层"]);
    // `dangan box list … | head -0`: the reader is gone before anything is printed (logging in
    // takes longer than closing the pipe).
    let mut child = command()
        .args(["--library", lib.p(), "box", "list", "库房"])
        .env("DANGAN_USER", "admin")
        .env("DANGAN_PASSWORD", ADMIN_PW)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run dangan");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}
