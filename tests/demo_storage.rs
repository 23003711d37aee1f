//! The demo's records room: every dossier filed by the box rules, boxes on shelves within
//! their capacity, codes the core resolves and continues after, and a kill while filing that
//! `demo --finish` completes into the same room.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod util;

use std::collections::HashSet;

use util::{ADMIN_PW, Lib};

fn demo(n: &str, seed: &str, extra: &[&str]) -> (Lib, serde_json::Value) {
    let lib = Lib::empty();
    let mut args = vec!["--json", "demo", "--customers", n, "--seed", seed];
    args.extend_from_slice(extra);
    let report = lib.run_env(&args, &[("DANGAN_PASSWORD", ADMIN_PW)]).json();
    (lib, report)
}

fn strings(lib: &Lib, sql: &str) -> Vec<String> {
    let c = lib.sql();
    let mut st = c.prepare(sql).unwrap();
    st.query_map([], |r| r.get::<_, String>(0)).unwrap().map(|r| r.unwrap()).collect()
}

#[test]
fn a_small_demo_files_every_dossier_into_boxes_on_shelves_within_capacity() {
    let (lib, report) = demo("300", "4", &[]);
    assert_eq!(report["customers"], 300);
    let boxes = lib.count("SELECT count(*) FROM boxes");
    assert_eq!(report["filed"], 300, "{report}");
    assert_eq!(report["boxes"], boxes, "{report}");
    assert!(report["locations"].as_i64().unwrap() > 40, "{report}");
    // Every dossier, closed ones too, is in exactly one box.
    assert_eq!(lib.count("SELECT count(*) FROM folders"), 300);
    assert_eq!(
        lib.count("SELECT count(*) FROM customers WHERE id NOT IN (SELECT customer_id FROM folders)"),
        0
    );
    // Every box has a home on a shelf and a place now (unless lent whole: out, it has none);
    // none holds more than its capacity, none is empty.
    assert_eq!(
        lib.count(
            "SELECT count(*) FROM boxes b LEFT JOIN locations l ON l.id = b.home_location_id
             WHERE l.level IS NOT 'shelf' OR (b.location_id IS NULL
               AND NOT EXISTS (SELECT 1 FROM loans x WHERE x.box_id = b.id AND x.state = 'out'))"
        ),
        0
    );
    assert_eq!(
        lib.count(
            "SELECT count(*) FROM locations l WHERE l.capacity IS NOT NULL
             AND ((SELECT count(*) FROM boxes b WHERE b.home_location_id = l.id) > l.capacity
               OR (SELECT count(*) FROM boxes b WHERE b.location_id = l.id) > l.capacity)"
        ),
        0,
        "a shelf holds more boxes than it takes"
    );
    assert_eq!(
        lib.count(
            "SELECT count(*) FROM boxes b WHERE b.capacity_unit = 'dossiers'
             AND (SELECT count(*) FROM folders f WHERE f.box_id = b.id) NOT BETWEEN 1 AND b.capacity"
        ),
        0,
        "a box by count is empty or over capacity"
    );
    // By thickness: over capacity only when one folder is alone (an empty box takes any).
    assert_eq!(
        lib.count(
            "SELECT count(*) FROM boxes b WHERE b.capacity_unit = 'mm'
             AND (SELECT count(*) FROM folders f WHERE f.box_id = b.id) > 1
             AND (SELECT sum(1.0 + 0.1 * (SELECT coalesce(sum(d.pages), 0) FROM documents d
                                          WHERE d.customer_id = f.customer_id))
                  FROM folders f WHERE f.box_id = b.id) > b.capacity + 1e-9"
        ),
        0,
        "a box by thickness is over capacity"
    );
    // High-voltage dossiers are alone in boxes of their own; the others share.
    let hv = "SELECT c.id FROM customers c JOIN categories k ON k.id = c.category_id WHERE k.code LIKE 'HV%'";
    assert!(lib.count(&format!("SELECT count(*) FROM ({hv})")) > 5, "the sample has high-voltage customers");
    assert_eq!(
        lib.count(&format!(
            "SELECT count(*) FROM folders f JOIN boxes b ON b.id = f.box_id WHERE f.customer_id IN ({hv})
             AND (b.mode <> 'own' OR (SELECT count(*) FROM folders g WHERE g.box_id = b.id) <> 1)"
        )),
        0,
        "a high-voltage dossier shares its box"
    );
    assert!(
        lib.count(&format!(
            "SELECT count(*) FROM boxes b WHERE b.mode = 'shared'
             AND (SELECT count(*) FROM folders f WHERE f.box_id = b.id) > 1
             AND NOT EXISTS (SELECT 1 FROM folders f WHERE f.box_id = b.id AND f.customer_id IN ({hv}))"
        )) > 0,
        "residents share boxes"
    );
    // A shared box holds one year's dossiers; 件号 are unique in their series.
    assert_eq!(
        lib.count(
            "SELECT count(*) FROM folders f JOIN boxes b ON b.id = f.box_id JOIN customers c ON c.id = f.customer_id
             WHERE CAST(substr(c.created_at, 1, 4) AS INTEGER) <> b.year"
        ),
        0
    );
    assert_eq!(
        lib.count(
            "SELECT count(*) FROM (SELECT b.year, b.retention, b.category_id, f.item_no
             FROM folders f JOIN boxes b ON b.id = f.box_id GROUP BY 1, 2, 3, 4 HAVING count(*) > 1)"
        ),
        0
    );
    // A little history: every box shelved, a few taken to the reading room.
    assert_eq!(lib.count("SELECT count(*) FROM movements WHERE reason = 'shelved'"), boxes);
    assert!(report["movements"].as_i64().unwrap() >= boxes);
    lib.admin(&["verify"]).ok();
}

#[test]
fn where_on_a_demo_box_location_and_dossier_says_where_it_is_and_search_shows_the_place() {
    let (lib, _) = demo("300", "5", &[]);
    let code = strings(&lib, "SELECT code FROM boxes ORDER BY id LIMIT 1").remove(0);
    let b = lib.json(&["where", &code]);
    assert_eq!(b["kind"], "box", "{b}");
    assert_eq!(b["home"], "档案室A/1排/1列/1节/1层", "{b}");
    assert!(!b["folders"].as_array().unwrap().is_empty(), "{b}");
    // The human text names the place too.
    assert!(lib.admin(&["where", &code]).ok().contains("档案室A/1排/1列/1节/1层"));

    let shelf = strings(&lib, "SELECT code FROM locations WHERE path = '档案室A/1排/1列/1节/1层'").remove(0);
    let l = lib.json(&["where", &shelf]);
    assert_eq!(l["kind"], "location", "{l}");
    assert!(l["boxes"].as_array().unwrap().iter().any(|x| x["code"] == code.as_str()), "{l}");
    let by_path = lib.json(&["where", "档案室A/1排/1列"]);
    assert_eq!(by_path["kind"], "location", "{by_path}");
    assert_eq!(by_path["children"].as_array().unwrap().len(), 4, "four sections to a column: {by_path}");

    let (dossier, name) = {
        let c = lib.sql();
        c.query_row(
            "SELECT c.dossier_no, c.name FROM customers c JOIN folders f ON f.customer_id = c.id
             WHERE c.confidential = 0 ORDER BY c.id LIMIT 1",
            [],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
        )
        .unwrap()
    };
    let d = lib.json(&["where", &dossier]);
    assert_eq!(d["kind"], "dossier", "{d}");
    assert!(d["placement"]["box_code"].as_str().unwrap().starts_with("BX"), "{d}");
    assert!(d["placement"]["home"].as_str().unwrap().starts_with("档案室"), "{d}");

    // Search results show each dossier's place.
    let hits = lib.json(&["search", &name]);
    let hit = hits.as_array().unwrap().iter().find(|h| h["dossier"] == dossier.as_str()).expect("found");
    assert!(hit["location"].as_str().unwrap().starts_with("档案室A/"), "{hit}");
}

#[test]
fn filing_after_the_demo_continues_its_sequences_without_duplicate_codes() {
    let (lib, _) = demo("300", "6", &[]);
    let last_code = strings(&lib, "SELECT code FROM boxes ORDER BY id DESC LIMIT 1").remove(0);
    // A high-voltage customer gets a new box of its own; its code follows the demo's last.
    let hv = lib.add_customer(&[
        "--name",
        "杭州测试电力设备有限公司",
        "--category",
        "HV-10",
        "--field",
        "户号=3399999901",
        "--field",
        "变压器容量=630",
        "--field",
        "电价类别=大工业",
    ]);
    let filed = lib.json(&["file", &hv]);
    assert_eq!(filed["opened"], true, "{filed}");
    let new_code = filed["box"]["code"].as_str().unwrap().to_string();
    let seq = |c: &str| c[2..c.len() - 1].parse::<i64>().unwrap();
    assert_eq!(seq(&new_code), seq(&last_code) + 1, "{new_code} after {last_code}");
    // A resident goes into this year's shared box (or a new one) with the next 件号.
    let res = lib.add_customer(&["--name", "测试居民", "--field", "户号=3399999902"]);
    let r = lib.json(&["file", &res]);
    let (year, item) = (r["box"]["year"].as_i64().unwrap(), r["item_no"].as_i64().unwrap());
    let box_code = r["box"]["code"].as_str().unwrap().to_string();
    // 件号 run per year, retention and the category the box is filled for.
    let before = lib.count(&format!(
        "SELECT coalesce(max(f.item_no), 0) FROM folders f JOIN boxes b ON b.id = f.box_id
         JOIN customers c ON c.id = f.customer_id
         WHERE b.year = {year} AND b.retention = 'y30' AND c.dossier_no <> '{res}'
           AND b.category_id IS (SELECT category_id FROM boxes WHERE code = '{box_code}')"
    ));
    assert_eq!(item, before + 1, "{r}");
    // A box added by hand and a location too: new codes, numbers continuing.
    let added = lib.json(&["box", "add", "--location", "档案室A/1排/2列/4节/5层"]);
    assert!(added["box_no"].as_i64().unwrap() > 1, "{added}");
    lib.json(&["location", "add", "档案室A/整理台"]);
    for (what, sql) in [
        ("box codes", "SELECT code FROM boxes"),
        ("location codes", "SELECT code FROM locations"),
        ("box numbers", "SELECT fonds || ':' || year || ':' || box_no FROM boxes"),
        (
            "item numbers",
            "SELECT b.fonds || ':' || b.year || ':' || b.retention || ':' || coalesce(b.category_id, '')
                    || ':' || f.item_no
             FROM folders f JOIN boxes b ON b.id = f.box_id",
        ),
    ] {
        let all = strings(&lib, sql);
        let unique: HashSet<_> = all.iter().collect();
        assert_eq!(unique.len(), all.len(), "duplicate {what}");
    }
    lib.admin(&["verify"]).ok();
}

#[test]
fn a_demo_killed_while_filing_finishes_into_the_same_records_room() {
    let args = ["--json", "demo", "--customers", "600", "--seed", "8", "--batch", "100"];
    let killed = Lib::empty();
    let r =
        killed.run_env(&args, &[("DANGAN_PASSWORD", ADMIN_PW), ("DANGAN_FAULT", "demo-after-storage-batch")]);
    assert_ne!(r.code, 0, "the fault point kills the demo");
    assert_eq!(killed.count("SELECT count(*) FROM customers"), 600);
    let written = killed.count("SELECT count(*) FROM boxes");
    assert!(written > 0, "a batch of boxes was written before the kill");
    assert!(killed.count("SELECT count(*) FROM folders") < 600, "the kill came before the last batch");
    // Whole boxes only: every box written has its folders.
    assert_eq!(
        killed.count(
            "SELECT count(*) FROM boxes b WHERE NOT EXISTS (SELECT 1 FROM folders f WHERE f.box_id = b.id)"
        ),
        0
    );
    killed.admin(&["verify"]).fails(4, "stopped before it was finished");
    let report = killed.run_env(&["--json", "demo", "--finish"], &[]).json();
    assert_eq!(report["filed"], 600, "{report}");
    killed.admin(&["verify"]).ok();

    let (whole, _) = demo("600", "8", &["--batch", "100"]);
    let room = |lib: &Lib| {
        strings(
            lib,
            "SELECT c.dossier_no || ' ' || b.code || ' ' || b.box_no || ' ' || f.item_no || ' ' || l.path || ' ' || b.status
             FROM folders f JOIN boxes b ON b.id = f.box_id JOIN customers c ON c.id = f.customer_id
             JOIN locations l ON l.id = b.home_location_id ORDER BY c.id",
        )
    };
    assert_eq!(room(&killed), room(&whole), "finishing gives the same records room as an uninterrupted demo");
    let seqs =
        "SELECT scope || '=' || last FROM number_sequences WHERE scope LIKE 'storage:%' ORDER BY scope";
    assert_eq!(strings(&killed, seqs), strings(&whole, seqs));
}
