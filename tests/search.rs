//! Search: Chinese fragments, surnames, pinyin, traditional characters, full-width digits, codes
//! by suffix, ranking, permissions, odd queries; the index kept in step with the database across
//! crashes and deletions.
//!
//! Most searches run in process over the core (fast); the CLI contract, the crash replays and
//! the rebuilds run the real binary.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod util;

use dangan::core::customers::{CustomerChanges, NewCustomer, NewDocument};
use dangan::core::index::{IndexState, SearchQuery};
use dangan::core::{Access, Library, Session};
use dangan::model::Grade;
use util::{ADMIN_PW, Lib, USER_PW, resident_id};

fn session(lib: &Lib, user: &str) -> Session {
    let pw = if user == "admin" { ADMIN_PW } else { USER_PW };
    Library::open(&lib.path, Access::Write).unwrap().login(user, pw, "test").unwrap()
}

fn add(s: &mut Session, name: &str, id: Option<&str>, phones: &[&str], address: &str) -> String {
    let c = NewCustomer {
        name: name.into(),
        id_number: id.map(str::to_string),
        phones: phones.iter().map(|p| p.to_string()).collect(),
        address: address.into(),
        ..Default::default()
    };
    s.add_customer(c, true).unwrap().dossier
}

fn find(s: &mut Session, q: &str) -> Vec<String> {
    s.search(&SearchQuery { text: q.into(), limit: 10, ..Default::default() })
        .unwrap_or_else(|e| panic!("search {q:?} failed: {e}"))
        .into_iter()
        .map(|h| h.dossier)
        .collect()
}

#[track_caller]
fn first(s: &mut Session, q: &str, want: &str) {
    let got = find(s, q);
    assert_eq!(got.first().map(String::as_str), Some(want), "query {q:?} gave {got:?}");
}

/// A small library of people whose names, addresses and numbers overlap on purpose.
struct People {
    lib: Lib,
    ouyang: String,
    zhang_wei: String,
    zhang_weimin: String,
    shan: String,
    zeng: String,
    wang: String,
    company: String,
}

fn people() -> People {
    let lib = Lib::new();
    let mut s = session(&lib, "admin");
    let ouyang = add(
        &mut s,
        "欧阳娜娜",
        Some(&resident_id("11010519900307123")),
        &["13912345678"],
        "北京市朝阳区建国路88号",
    );
    let zhang_wei = add(
        &mut s,
        "张伟",
        Some(&resident_id("33010219850612001")),
        &["0571-87654321"],
        "杭州市西湖区文三路100号",
    );
    let zhang_weimin = add(&mut s, "张伟民", None, &["13800001111"], "杭州市上城区解放路5号");
    let shan = add(&mut s, "单雄信", None, &[], "山东省菏泽市");
    let zeng = add(&mut s, "曾国藩", None, &[], "湖南省长沙市");
    let wang = add(&mut s, "王芳", None, &["13655556666"], "上海市浦东新区世纪大道1号");
    let company =
        add(&mut s, "杭州华信电子科技有限公司", None, &["0571-88880000"], "杭州市滨江区江南大道3588号");
    s.add_document(
        &company,
        NewDocument {
            doc_type: "CONTRACT".into(),
            title: "供用电合同（2026年续签）".into(),
            ..Default::default()
        },
    )
    .unwrap();
    People { lib, ouyang, zhang_wei, zhang_weimin, shan, zeng, wang, company }
}

#[test]
fn chinese_fragments_of_one_two_and_more_characters() {
    let p = people();
    let mut s = session(&p.lib, "admin");
    // One character: a surname.
    let got = find(&mut s, "张");
    assert!(got.contains(&p.zhang_wei) && got.contains(&p.zhang_weimin), "{got:?}");
    assert!(!got.contains(&p.wang));
    // One character of a given name.
    assert!(find(&mut s, "芳").contains(&p.wang));
    // Two characters: a whole name ranks above a longer name that contains it.
    let got = find(&mut s, "张伟");
    assert_eq!(got[..2], [p.zhang_wei.clone(), p.zhang_weimin.clone()], "{got:?}");
    // Two characters from the middle of a name and of an address.
    first(&mut s, "伟民", &p.zhang_weimin);
    first(&mut s, "文三", &p.zhang_wei);
    // More characters, across word boundaries.
    first(&mut s, "华信电子", &p.company);
    first(&mut s, "世纪大道", &p.wang);
    first(&mut s, "建国路88号", &p.ouyang);
    // Several parts must all match.
    let mut both = find(&mut s, "杭州 张");
    both.sort();
    assert_eq!(both, [p.zhang_wei.clone(), p.zhang_weimin.clone()]);
    assert!(find(&mut s, "北京 张").is_empty());
    assert!(find(&mut s, "不存在的人").is_empty());
}

#[test]
fn compound_surnames_pinyin_initials_and_polyphonic_surnames() {
    let p = people();
    let mut s = session(&p.lib, "admin");
    first(&mut s, "欧阳", &p.ouyang);
    assert_eq!(find(&mut s, "欧阳"), std::slice::from_ref(&p.ouyang));
    first(&mut s, "ouyangnana", &p.ouyang);
    first(&mut s, "oynn", &p.ouyang);
    first(&mut s, "ouyang", &p.ouyang);
    // zw is 张伟's initials, and the beginning of 张伟民's (zwm) typed so far: the whole one first.
    let zw = find(&mut s, "zw");
    assert_eq!(zw.first(), Some(&p.zhang_wei), "{zw:?}");
    assert!(zw.contains(&p.zhang_weimin), "zw begins zwm: {zw:?}");
    first(&mut s, "zhangwei", &p.zhang_wei);
    first(&mut s, "ZhangWeiMin", &p.zhang_weimin);
    // 单 and 曾 read as surnames: shan, zeng (not dan, ceng).
    first(&mut s, "shanxiongxin", &p.shan);
    first(&mut s, "sxx", &p.shan);
    assert!(find(&mut s, "danxiongxin").is_empty());
    first(&mut s, "zengguofan", &p.zeng);
    first(&mut s, "zgf", &p.zeng);
}

#[test]
fn traditional_full_width_and_case_are_folded() {
    let p = people();
    let mut s = session(&p.lib, "admin");
    first(&mut s, "歐陽", &p.ouyang);
    first(&mut s, "歐陽娜娜", &p.ouyang);
    first(&mut s, "張偉民", &p.zhang_weimin);
    // Full-width digits and letters, as some input methods type them.
    first(&mut s, "１３９１２３４５６７８", &p.ouyang);
    first(&mut s, "５６７８", &p.ouyang);
    first(&mut s, "ＯＹＮＮ", &p.ouyang);
}

#[test]
fn id_numbers_phones_and_dossier_numbers_whole_and_by_suffix() {
    let p = people();
    let mut s = session(&p.lib, "admin");
    let id = resident_id("11010519900307123");
    first(&mut s, &id, &p.ouyang);
    first(&mut s, &id[14..], &p.ouyang);
    first(&mut s, &id.to_lowercase(), &p.ouyang);
    first(&mut s, "13912345678", &p.ouyang);
    first(&mut s, "139 1234 5678", &p.ouyang);
    first(&mut s, "5678", &p.ouyang);
    first(&mut s, "345678", &p.ouyang);
    // A long suffix (longer than the indexed 8 digits).
    first(&mut s, "912345678", &p.ouyang);
    // A landline with or without its area code.
    first(&mut s, "0571-87654321", &p.zhang_wei);
    first(&mut s, "87654321", &p.zhang_wei);
    first(&mut s, "4321", &p.zhang_wei);
    // The dossier number, whole, without dashes, and by its last digits.
    first(&mut s, &p.company, &p.company);
    first(&mut s, &p.company.replace('-', ""), &p.company);
    first(&mut s, &p.company[p.company.len() - 4..], &p.company);
    // The hit says which code matched.
    let hit = s.search(&SearchQuery { text: "5678".into(), ..Default::default() }).unwrap().remove(0);
    assert_eq!(hit.snippet, "电话 13912345678");
    assert_eq!(hit.marked(), "电话 1391234【5678】");
    // Three digits are not a code; they match nothing here.
    assert!(find(&mut s, "678").is_empty());
}

#[test]
fn whole_words_rank_above_fragments() {
    let lib = Lib::new();
    let mut s = session(&lib, "admin");
    // 合同 is a word in the first note; in the second it is only the characters 合 and 同
    // side by side (联合 + 同盟).
    let fragment = s
        .add_customer(
            NewCustomer { name: "李四".into(), notes: "联合同盟会员".into(), ..Default::default() },
            true,
        )
        .unwrap()
        .dossier;
    let word = s
        .add_customer(
            NewCustomer { name: "王五".into(), notes: "合同已续签".into(), ..Default::default() },
            true,
        )
        .unwrap()
        .dossier;
    assert_eq!(find(&mut s, "合同"), [word, fragment]);
}

#[test]
fn results_carry_what_a_clerk_needs_and_filters_apply() {
    let p = people();
    let mut s = session(&p.lib, "admin");
    s.edit_customer(
        &p.zhang_weimin,
        CustomerChanges { grade: Some(Grade::Important), ..Default::default() },
        true,
    )
    .unwrap();
    let hits = s.search(&SearchQuery { text: "张伟".into(), ..Default::default() }).unwrap();
    let h = &hits[0];
    assert_eq!(h.name, "张伟");
    assert_eq!(h.category, "个人客户");
    assert_eq!(h.grade, "general");
    assert_eq!(h.status, "active");
    assert!(!h.on_loan && !h.confidential);
    assert_eq!(h.marked_name(), "【张伟】");
    assert!(h.score > hits[1].score);
    // A match in the address shows the address around it.
    let h = s.search(&SearchQuery { text: "文三路".into(), ..Default::default() }).unwrap().remove(0);
    assert_eq!(h.marked(), "杭州市西湖区【文三路】100号");

    let important = SearchQuery { text: "张".into(), grade: Some(Grade::Important), ..Default::default() };
    let got: Vec<String> = s.search(&important).unwrap().into_iter().map(|h| h.dossier).collect();
    assert_eq!(got, std::slice::from_ref(&p.zhang_weimin));
    let orgs = SearchQuery { text: "杭州".into(), category: Some("ORG".into()), ..Default::default() };
    assert!(s.search(&orgs).unwrap().is_empty(), "nobody here is in 单位客户");
    let people =
        SearchQuery { text: "杭州".into(), category: Some("个人客户".into()), ..Default::default() };
    assert_eq!(s.search(&people).unwrap().len(), 3);
    let on_loan = SearchQuery { text: "杭州".into(), on_loan: Some(true), ..Default::default() };
    assert!(s.search(&on_loan).unwrap().is_empty(), "nothing is on loan");
}

#[test]
fn changes_are_searchable_at_once_and_old_values_are_gone() {
    let p = people();
    let mut s = session(&p.lib, "admin");
    s.edit_customer(
        &p.wang,
        CustomerChanges {
            name: Some("王芳芳".into()),
            phones: Some(vec!["13700002222".into()]),
            ..Default::default()
        },
        true,
    )
    .unwrap();
    first(&mut s, "王芳芳", &p.wang);
    first(&mut s, "2222", &p.wang);
    assert!(find(&mut s, "6666").is_empty(), "the old phone is no longer found");
    // The former name (曾用名) still finds the dossier.
    first(&mut s, "王芳", &p.wang);
    s.add_document(
        &p.shan,
        NewDocument { doc_type: "APP".into(), title: "瓦岗寨入伙申请".into(), ..Default::default() },
    )
    .unwrap();
    first(&mut s, "瓦岗寨", &p.shan);
    assert_eq!(s.index_state().unwrap(), IndexState::Ready);
}

#[test]
fn confidential_dossiers_are_hidden_from_a_viewer() {
    let p = people();
    p.lib.add_user("chakan", "viewer");
    p.lib.add_user("daner", "archivist");
    {
        let mut s = session(&p.lib, "admin");
        s.edit_customer(&p.ouyang, CustomerChanges { confidential: Some(true), ..Default::default() }, true)
            .unwrap();
        let hits = s.search(&SearchQuery { text: "欧阳".into(), ..Default::default() }).unwrap();
        assert!(hits[0].confidential);
    }
    let mut viewer = session(&p.lib, "chakan");
    for q in ["欧阳", "oynn", "13912345678", "5678", &p.ouyang] {
        assert!(!find(&mut viewer, q).contains(&p.ouyang), "a viewer found the confidential dossier by {q}");
    }
    assert!(find(&mut viewer, "张伟").contains(&p.zhang_wei), "the viewer still finds the others");
    drop(viewer);
    let mut archivist = session(&p.lib, "daner");
    first(&mut archivist, "欧阳", &p.ouyang);
    // The CLI applies the same rule.
    let out = p.lib.json_as("chakan", &["search", "欧阳"]);
    assert_eq!(out.as_array().unwrap().len(), 0);
}

#[test]
fn odd_queries_never_fail() {
    let p = people();
    let mut s = session(&p.lib, "admin");
    let long = "张".repeat(500);
    let mixed = "欧阳 AND( \"张伟\" OR *:* -王 [1 TO 9] ~2 ^3".to_string();
    for q in [
        "\"",
        "AND(",
        "*",
        "?",
        "(",
        ")",
        ":",
        "\\",
        "-",
        "😀",
        "欧阳😀",
        "",
        "   ",
        &long,
        &mixed,
        "'; DROP TABLE customers; --",
    ] {
        let r = s.search(&SearchQuery { text: q.into(), ..Default::default() });
        assert!(r.is_ok(), "query {q:?} failed: {r:?}");
    }
    // Query syntax is not syntax here: the words still count as plain terms.
    first(&mut s, "\"张伟\"", &p.zhang_wei);
    first(&mut s, "欧阳😀", &p.ouyang);
    first(&mut s, "(欧阳)", &p.ouyang);
    drop(s);
    for q in ["\"", "AND(", "*", "😀"] {
        let out = p.lib.json(&["search", q]);
        assert!(out.is_array(), "{q}: {out}");
    }
}

#[test]
fn the_cli_prints_results_as_the_contract_says() {
    let p = people();
    let out = p.lib.json(&["search", "欧阳", "--limit", "5"]);
    let hit = &out.as_array().unwrap()[0];
    assert_eq!(hit["dossier"], p.ouyang.as_str());
    assert_eq!(hit["name"], "欧阳娜娜");
    assert!(hit["score"].as_f64().unwrap() > 0.0);
    assert_eq!(hit["snippet"], "欧阳娜娜");
    assert_eq!(hit["highlights"][0], serde_json::json!([0, 2]));
    for key in ["category", "grade", "status", "location", "on_loan"] {
        assert!(hit.get(key).is_some(), "{key} missing: {hit}");
    }
    let text = p.lib.admin(&["search", "文三路"]);
    assert!(text.ok().contains(&p.zhang_wei) && text.stdout.contains("【文三路】"), "{}", text.stdout);
    let none = p.lib.admin(&["search", "没有这个人"]);
    assert!(none.ok().is_empty());
    assert!(none.stderr.contains("nothing found"));
    // Several words on the command line are one query.
    let two = p.lib.json(&["search", "杭州", "张"]);
    assert_eq!(two.as_array().unwrap().len(), 2);
}

#[test]
fn a_deleted_index_is_rebuilt_and_reindex_rebuilds_it() {
    let p = people();
    std::fs::remove_dir_all(p.lib.path.join("index")).unwrap();
    let info = p.lib.json(&["info"]);
    assert_eq!(info["search_index"], "missing");
    // The next search rebuilds it.
    let out = p.lib.json(&["search", "欧阳"]);
    assert_eq!(out[0]["dossier"], p.ouyang.as_str());
    assert!(p.lib.path.join("index").join("dangan-index.json").exists());
    assert_eq!(p.lib.json(&["info"])["search_index"], "ready");

    let stats = p.lib.json(&["reindex"]);
    assert_eq!(stats["documents"], 7);
    assert!(stats["bytes"].as_u64().unwrap() > 0);
    assert_eq!(p.lib.json(&["search", "zgf"])[0]["dossier"], p.zeng.as_str());
    // An index from another version (or an unfinished build) is rebuilt too.
    std::fs::write(p.lib.path.join("index").join("dangan-index.json"), r#"{"version":0,"library_id":"x"}"#)
        .unwrap();
    assert_eq!(p.lib.json(&["info"])["search_index"], "missing");
    assert_eq!(p.lib.json(&["search", "sxx"])[0]["dossier"], p.shan.as_str());
    // Only those who maintain the library may rebuild it.
    p.lib.add_user("xiaoli", "clerk");
    p.lib.run_as("xiaoli", &["reindex"]).fails(5, "rebuild the search index");
}

#[test]
fn a_crash_around_the_index_commit_is_replayed_at_next_open() {
    for point in ["index-before-commit", "index-after-commit"] {
        let p = people();
        let run = p.lib.run_env(
            &["customer", "edit", &p.zeng, "--name", "曾文正"],
            &[("DANGAN_USER", "admin"), ("DANGAN_PASSWORD", ADMIN_PW), ("DANGAN_FAULT", point)],
        );
        assert_ne!(run.code, 0, "{point}: the process should have aborted: {}", run.stderr);
        assert!(run.stderr.contains(point), "{}", run.stderr);
        // The edit committed in SQLite; the change log still holds it.
        assert_eq!(p.lib.count("SELECT count(*) FROM customers WHERE name = '曾文正'"), 1);
        assert!(p.lib.count("SELECT count(*) FROM change_log") > 0, "{point}: nothing left to replay");
        // The next process replays it: the new name is found, and verify agrees.
        let out = p.lib.json(&["search", "曾文正"]);
        assert_eq!(out[0]["dossier"], p.zeng.as_str(), "{point}");
        assert_eq!(p.lib.json(&["info"])["search_index"], "ready", "{point}");
        let v = p.lib.json(&["verify"]);
        assert_eq!(v["ok"], true, "{point}: {v}");
    }
}

#[test]
fn verify_finds_an_index_that_disagrees_with_the_database() {
    let p = people();
    assert_eq!(p.lib.json(&["verify"])["search_index"], "ready");
    // Change the database behind the index's back: the triggers log the change, so also
    // empty the change log, as a crash-free bug would.
    let db = p.lib.sql();
    db.execute("UPDATE customers SET address = '别处' WHERE dossier_no = ?1", [&p.wang]).unwrap();
    db.execute("DELETE FROM change_log", []).unwrap();
    drop(db);
    let run = p.lib.run_as("admin", &["verify"]);
    run.fails(1, "verify found");
    assert!(run.stdout.contains(&p.wang) && run.stdout.contains("disagrees"), "{}", run.stdout);
    p.lib.admin(&["reindex"]).ok();
    // The index agrees again; the edit itself, made without an audit row, is still named.
    let run = p.lib.admin(&["verify"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(!run.stdout.contains("disagrees") && run.stdout.contains("last audited state"), "{}", run.stdout);
}

#[test]
fn a_reader_searches_while_a_writer_has_the_library_open() {
    let p = people();
    let mut writer = session(&p.lib, "admin");
    first(&mut writer, "欧阳", &p.ouyang);
    // The CLI is a reader: it searches the index the writer keeps.
    let out = p.lib.json(&["search", "欧阳"]);
    assert_eq!(out[0]["dossier"], p.ouyang.as_str());
    writer
        .edit_customer(
            &p.ouyang,
            CustomerChanges { address: Some("广州市天河区体育西路".into()), ..Default::default() },
            true,
        )
        .unwrap();
    let out = p.lib.json(&["search", "体育西路"]);
    assert_eq!(out[0]["dossier"], p.ouyang.as_str(), "the writer's change is visible to another process");
}
