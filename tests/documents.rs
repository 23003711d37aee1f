//! `dangan doc list` and `doc edit`: a paper's metadata corrected from the command line, with
//! its audit row, the checklist following a change of type, and the refusals.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod util;

use util::Lib;

fn dossier_with_a_paper() -> (Lib, String, i64) {
    let lib = Lib::utility();
    let no = lib.add_customer(&["--name", "钱七", "--field", "户号=0101234567"]);
    let doc = lib.json(&["doc", "add", &no, "--type", "OTHER", "--title", "扫描件", "--date", "2024-05-01"]);
    (lib, no, doc["id"].as_i64().unwrap())
}

#[test]
fn doc_list_shows_the_papers_with_their_numbers() {
    let (lib, no, id) = dossier_with_a_paper();
    lib.admin(&["doc", "add", &no, "--type", "ID", "--pages", "2"]).ok();
    let docs = lib.json(&["doc", "list", &no]);
    let docs = docs.as_array().unwrap();
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0]["id"], id);
    assert_eq!(docs[0]["title"], "扫描件");
    assert_eq!(docs[1]["doc_type_name"], "身份证复印件");
    assert_eq!(docs[1]["pages"], 2);
    let text = lib.admin(&["doc", "list", &no]);
    assert!(text.ok().contains("扫描件") && text.stdout.contains("2024-05-01"), "{}", text.stdout);
    lib.admin(&["doc", "list", "KH-1999-999999"]).fails(3, "KH-1999-999999");
}

#[test]
fn doc_edit_corrects_the_metadata_and_audits_before_and_after() {
    let (lib, no, id) = dossier_with_a_paper();
    let before = lib.json(&["customer", "show", &no]);
    assert_eq!(before["completeness"]["present"], 0);
    let id_s = id.to_string();
    let d = lib.json(&[
        "doc",
        "edit",
        &no,
        &id_s,
        "--type",
        "供用电合同",
        "--title",
        "供用电合同（2024版）",
        "--expires",
        "2029-04-30",
        "--pages",
        "12",
    ]);
    assert_eq!(d["id"], id);
    assert_eq!(d["doc_type"], "CONTRACT");
    assert_eq!(d["title"], "供用电合同（2024版）");
    assert_eq!(d["date"], "2024-05-01", "an option not given stays");
    assert_eq!(d["expires_on"], "2029-04-30");
    assert_eq!(d["pages"], 12);
    // The checklist follows the new type.
    let after = lib.json(&["customer", "show", &no]);
    let contract = after["completeness"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["doc_type"] == "CONTRACT")
        .cloned();
    assert_eq!(contract.map(|c| c["count"].clone()), Some(serde_json::json!(1)));
    assert_eq!(after["documents"].as_array().unwrap().len(), 1, "edited, not added");
    // One audit row with the paper before and after.
    let audit = lib.json(&["audit", "--dossier", &no]);
    let row = audit
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["entity"] == "document" && r["action"] == "update")
        .expect("an audit row for the edit");
    assert_eq!(row["before"]["title"], "扫描件");
    assert_eq!(row["after"]["title"], "供用电合同（2024版）");
    // An empty date removes it.
    let d = lib.json(&["doc", "edit", &no, &id_s, "--date", ""]);
    assert!(d["date"].is_null());
    lib.admin(&["verify"]).ok();
}

#[test]
fn doc_edit_refuses_bad_input_and_changes_nothing() {
    let (lib, no, id) = dossier_with_a_paper();
    let id_s = id.to_string();
    lib.admin(&["doc", "edit", &no, &id_s]).fails(2, "Nothing to change");
    lib.admin(&["doc", "edit", &no, &id_s, "--expires", "2020-01-01"]).fails(2, "before");
    lib.admin(&["doc", "edit", &no, &id_s, "--type", "NOPE"]).fails(3, "Document type NOPE");
    lib.admin(&["doc", "edit", &no, "999999", "--title", "x"]).fails(3, "999999");
    // A paper of another dossier is not this dossier's.
    let other = lib.add_customer(&["--name", "孙八", "--field", "户号=0109999999"]);
    lib.admin(&["doc", "edit", &other, &id_s, "--title", "x"]).fails(3, &other);
    // A viewer may not edit.
    lib.add_user("chakan", "viewer");
    lib.run_as("chakan", &["doc", "edit", &no, &id_s, "--title", "x"]).fails(5, "");
    let docs = lib.json(&["doc", "list", &no]);
    assert_eq!(docs[0]["title"], "扫描件");
    assert_eq!(
        lib.count("SELECT count(*) FROM audit_log WHERE entity = 'document' AND action = 'update'"),
        0
    );
}
