//! Confidential dossiers stay confidential (issue 9): the duplicate guard names none to a user
//! who may not see it, search checks the database rather than trusting an index that may lag,
//! and a list or search that shows confidential dossiers is audited as viewing them.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod guikit;
mod util;

use dangan::core::index::SearchQuery;
use dangan::core::{Access, Library, Session};
use dangan::gui::prefs::Prefs;
use dangan::gui::{App, Screen, form};
use guikit::{act, log_in, shows};
use iced_test::selector::id;
use util::{ADMIN_PW, Lib, USER_PW, resident_id};

fn session(lib: &Lib, user: &str) -> Session {
    let pw = if user == "admin" { ADMIN_PW } else { USER_PW };
    Library::open(&lib.path, Access::Write).unwrap().login(user, pw, "test").unwrap()
}

fn query(text: &str) -> SearchQuery {
    SearchQuery { text: text.into(), limit: 50, ..Default::default() }
}

fn audit_rows(lib: &Lib, action: &str) -> Vec<(String, String)> {
    let conn = lib.sql();
    let mut stmt =
        conn.prepare("SELECT user_name, entity_id FROM audit_log WHERE action = ?1 ORDER BY seq").unwrap();
    stmt.query_map([action], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
}

#[test]
fn the_duplicate_guard_does_not_name_a_confidential_dossier_to_a_clerk() {
    let lib = Lib::new();
    lib.add_user("xiaoli", "clerk");
    lib.add_user("laozhang", "archivist");
    let id = resident_id("11010519491231002");
    let secret = lib.add_customer(&[
        "--name",
        "机密客户",
        "--id-number",
        &id,
        "--phone",
        "13800138000",
        "--confidential",
    ]);

    // Same ID number: refused without naming the dossier, and the refusal is audited.
    let run = lib.run_as("xiaoli", &["customer", "add", "--name", "张三", "--id-number", &id]);
    run.fails(4, "a confidential dossier you may not see");
    let said = format!("{}{}", run.stdout, run.stderr);
    assert!(!said.contains(&secret) && !said.contains("机密客户"), "{said}");
    assert_eq!(audit_rows(&lib, "view_denied"), [("xiaoli".to_string(), secret.clone())]);

    // Same name and phone: the warning names nothing either; saving anyway is still allowed.
    let run = lib.run_as("xiaoli", &["customer", "add", "--name", "机密客户", "--phone", "13800138000"]);
    run.fails(4, "a confidential dossier you may not see");
    assert!(!format!("{}{}", run.stdout, run.stderr).contains(&secret), "{run:?}");
    assert_eq!(audit_rows(&lib, "view_denied").len(), 2);
    lib.run_as("xiaoli", &["customer", "add", "--name", "机密客户", "--phone", "13800138000", "--force"])
        .ok();

    // Nor in an edit that would make another dossier a duplicate of it.
    let other = lib.add_customer(&["--name", "李四"]);
    let run = lib.run_as("xiaoli", &["customer", "edit", &other, "--id-number", &id]);
    run.fails(4, "a confidential dossier you may not see");
    assert!(!format!("{}{}", run.stdout, run.stderr).contains(&secret), "{run:?}");
    assert_eq!(audit_rows(&lib, "view_denied").len(), 3);

    // Who may see it is told which dossier, as before, and nothing is denied.
    lib.run_as("laozhang", &["customer", "add", "--name", "张三", "--id-number", &id]).fails(4, &secret);
    assert_eq!(audit_rows(&lib, "view_denied").len(), 3);
}

#[test]
fn the_forms_duplicate_box_offers_no_way_into_a_confidential_dossier_a_clerk_may_not_see() {
    let lib = Lib::utility();
    lib.add_user("xiaoli", "clerk");
    let id_no = resident_id("11010519900307123");
    let secret = lib.add_customer(&[
        "--name",
        "机密客户",
        "--id-number",
        &id_no,
        "--field",
        "户号=0104444444",
        "--confidential",
    ]);
    let mut app = App::new(lib.path.clone(), Prefs::default());
    log_in(&mut app, "xiaoli", USER_PW);
    assert!(matches!(app.screen, Screen::Main(_)), "logged in");
    act(&mut app, |ui| {
        ui.click("新建客户").unwrap();
    });
    act(&mut app, |ui| {
        ui.click(id(form::NAME_ID)).unwrap();
        ui.typewrite("张三");
        ui.click(id(form::ID_NUMBER_ID)).unwrap();
        ui.typewrite(&id_no);
        ui.click(id(form::field_id("户号"))).unwrap();
        ui.typewrite("0105555555");
    });
    act(&mut app, |ui| {
        ui.click("保存").unwrap();
    });
    let Screen::Main(shell) = &app.screen else { panic!("not logged in") };
    let dup = shell.new_form.as_ref().expect("still on the form").duplicate.clone().expect("a duplicate");
    assert!(dup.hidden && dup.dossier.is_empty() && dup.name.is_empty(), "{dup:?}");
    assert!(shows(&app, "该证件号码已登记在一份您无权查看的保密档案中"));
    assert!(!shows(&app, &secret) && !shows(&app, "机密客户"), "the dossier is named");
    assert!(!shows(&app, "打开档案"), "a button opens a dossier the clerk may not see");
    assert_eq!(audit_rows(&lib, "view_denied"), [("xiaoli".to_string(), secret)]);
    assert_eq!(lib.count("SELECT count(*) FROM customers"), 1);
}

#[test]
fn a_dossier_made_confidential_whose_index_update_is_pending_is_not_shown_to_a_viewer() {
    let lib = Lib::new();
    lib.add_user("xiaowang", "viewer");
    let no = lib.add_customer(&["--name", "欧阳娜娜", "--phone", "13900139000"]);
    let mut viewer = session(&lib, "xiaowang");
    viewer.prepare_search(&mut |_, _| {}).unwrap();
    let searcher = viewer.searcher().unwrap().expect("an index");
    assert_eq!(searcher.search(&query("欧阳娜娜")).unwrap().hits.len(), 1);

    // Made confidential by another program that dies between the database's commit and the
    // index's: the index still says the dossier is open.
    let run = lib.run_env(
        &["customer", "edit", &no, "--confidential"],
        &[("DANGAN_USER", "admin"), ("DANGAN_PASSWORD", ADMIN_PW), ("DANGAN_FAULT", "index-before-commit")],
    );
    assert_ne!(run.code, 0, "the process should have aborted: {}", run.stderr);
    assert_eq!(lib.count("SELECT confidential FROM customers"), 1);

    let page = searcher.search(&query("欧阳娜娜")).unwrap();
    assert!(page.hits.is_empty(), "shown to a viewer: {:?}", page.hits);
    assert_eq!(page.total, 0);
    let page = searcher.search(&query("13900139000")).unwrap();
    assert!(page.hits.is_empty(), "shown to a viewer: {:?}", page.hits);

    // Someone who may see it gets it, marked confidential.
    let mut admin = session(&lib, "admin");
    let own = admin.searcher().unwrap().expect("an index");
    let page = own.search(&query("欧阳娜娜")).unwrap();
    assert_eq!(page.hits.len(), 1);
    assert!(page.hits[0].confidential, "{:?}", page.hits[0]);
}

#[test]
fn listing_or_searching_confidential_dossiers_as_a_manager_is_audited_once_per_search() {
    let lib = Lib::new();
    lib.add_user("laozhang", "archivist");
    lib.add_user("xiaowang", "viewer");
    let secret = lib.add_customer(&["--name", "王五", "--confidential"]);
    let open = lib.add_customer(&["--name", "王五六"]);
    assert!(audit_rows(&lib, "view_in_results").is_empty());

    // The command line: one row per search and per list that showed it, naming it only.
    let out = lib.json_as("laozhang", &["search", "王五"]);
    assert_eq!(out.as_array().unwrap().len(), 2, "{out}");
    assert_eq!(audit_rows(&lib, "view_in_results"), [("laozhang".to_string(), secret.clone())]);
    lib.run_as("laozhang", &["customer", "list"]).ok();
    assert_eq!(audit_rows(&lib, "view_in_results").len(), 2);
    // Nothing confidential shown, nothing audited.
    lib.run_as("laozhang", &["search", "王五六"]).ok();
    lib.run_as("xiaowang", &["search", "王五"]).ok();
    lib.run_as("xiaowang", &["customer", "list"]).ok();
    assert_eq!(audit_rows(&lib, "view_in_results").len(), 2);
    assert!(!audit_rows(&lib, "view_in_results").iter().any(|(_, id)| id.contains(&open)));

    // The app's searcher (search as you type, off the session): a burst of searches is one
    // row at the session's next poll, and that row alone is not reported as a change.
    let mut app = session(&lib, "laozhang");
    app.prepare_search(&mut |_, _| {}).unwrap();
    let head = app.head().unwrap();
    let searcher = app.searcher().unwrap().expect("an index");
    for text in ["王", "王五", "王五"] {
        assert!(searcher.search(&query(text)).unwrap().hits.iter().any(|h| h.dossier == secret));
    }
    assert_eq!(audit_rows(&lib, "view_in_results").len(), 2, "written before the poll");
    assert!(!app.changes_since(head).unwrap().moved, "the audit row alone is no change");
    let rows = audit_rows(&lib, "view_in_results");
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[2], ("laozhang".to_string(), secret.clone()));
    // The same results shown again (a refresh) are not a new view.
    searcher.search(&query("王五")).unwrap();
    app.changes_since(head).unwrap();
    assert_eq!(audit_rows(&lib, "view_in_results").len(), 3);

    // The history reads as a sentence naming the dossier.
    let history = lib.run_as("admin", &["audit"]).ok().to_string();
    assert!(history.contains(&format!("was shown the confidential dossiers {secret}")), "{history}");
}
