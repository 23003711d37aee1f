//! The customer form and the papers in a dossier, headless through `iced_test` on the libraries
//! clerks use (the utility template, where 户号 is required): a new customer saved with its
//! custom field, a paper added and the checklist following, a paper corrected, unsaved changes
//! asked about, and a duplicate ID number pointing at its dossier with no override.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod guikit;
mod util;

use dangan::gui::form::Choice;
use dangan::gui::prefs::Prefs;
use dangan::gui::shell::{self, Nav, Pending};
use dangan::gui::{App, Message, Screen, dossier, form, paper};
use guikit::{act, drain, log_in, shows};
use iced_test::selector::id;
use util::{ADMIN_PW, Lib, resident_id};

fn logged_in(lib: &Lib) -> App {
    let mut app = App::new(lib.path.clone(), Prefs::default());
    log_in(&mut app, "admin", ADMIN_PW);
    assert!(matches!(app.screen, Screen::Main(_)), "logged in");
    app
}

fn shell(app: &App) -> &shell::Shell {
    let Screen::Main(s) = &app.screen else { panic!("not logged in") };
    s
}

fn send(app: &mut App, m: shell::Message) {
    let t = app.update(Message::Main(m));
    drain(app, t);
}

fn open(app: &mut App, no: &str) {
    act(app, |ui| {
        ui.click(no).unwrap();
    });
    assert!(shell(app).dossier.as_ref().is_some_and(|d| d.dossier.is_some()), "dossier {no} is open");
}

fn paper_msg(m: paper::Message) -> shell::Message {
    shell::Message::Dossier(dossier::Message::Paper(m))
}

#[test]
fn a_new_customer_with_its_huhao_is_saved_in_a_utility_library() {
    let lib = Lib::utility();
    let mut app = logged_in(&lib);
    act(&mut app, |ui| {
        ui.click("新建客户").unwrap();
    });
    // The default category's required custom field and checklist are in the form.
    assert!(shows(&app, "户号 *"), "the required custom field is marked");
    assert!(shows(&app, "本类别需要的资料：身份证复印件、用电申请书、供用电合同、产权证明"));
    assert_eq!(shell(&app).new_form.as_ref().unwrap().values.category.as_deref(), Some("RES-LV"));
    act(&mut app, |ui| {
        ui.click(id(form::NAME_ID)).unwrap();
        ui.typewrite("周建国");
    });
    let f = shell(&app).new_form.as_ref().unwrap();
    assert!(!f.is_valid(), "户号 is required: no save yet");
    assert!(shows(&app, "请填写必填项：户号"));
    act(&mut app, |ui| {
        ui.click(id(form::field_id("户号"))).unwrap();
        ui.typewrite("0101234567");
    });
    assert!(shell(&app).new_form.as_ref().unwrap().is_valid());
    act(&mut app, |ui| {
        ui.click("保存").unwrap();
    });
    let s = shell(&app);
    assert!(s.new_form.is_none(), "the form closed: {:?}", s.new_form.as_ref().map(|f| &f.error));
    let d = s.dossier.as_ref().and_then(|d| d.dossier.as_ref()).expect("the new dossier opens");
    assert_eq!(d.customer.name, "周建国");
    assert_eq!(d.customer.custom["户号"], "0101234567");
    assert_eq!(d.customer.category, "RES-LV");
    assert_eq!(d.customer.clerk.as_deref(), Some("admin"), "the registering user is the clerk");
    assert!(shows(&app, "周建国") && shows(&app, "0101234567"));
    assert_eq!(lib.count("SELECT count(*) FROM customers"), 1);
}

#[test]
fn a_bad_custom_value_is_refused_as_typed_with_the_cores_rule() {
    let lib = Lib::utility();
    let mut app = logged_in(&lib);
    act(&mut app, |ui| {
        ui.click("新建客户").unwrap();
    });
    send(
        &mut app,
        shell::Message::NewForm(form::Message::Category(Choice {
            value: "HV-10".into(),
            label: String::new(),
        })),
    );
    assert!(shows(&app, "变压器容量（kVA） *") && shows(&app, "电价类别 *"), "inherited fields appear");
    assert!(shows(&app, "受电工程设计图纸"), "the inherited checklist too");
    // The field is below the simulator's window: type into it by its message.
    send(&mut app, shell::Message::NewForm(form::Message::Field("变压器容量".into(), "很大".into())));
    let f = shell(&app).new_form.as_ref().unwrap();
    let err = app.tr.message(f.field_errors.get("变压器容量").expect("not a whole number"), false);
    assert!(shows(&app, &err), "the error is next to the field, in Chinese: {err}");
    assert!(!f.is_valid());
}

#[test]
fn adding_a_paper_of_a_required_type_updates_the_checklist() {
    let lib = Lib::utility();
    let no = lib.add_customer(&["--name", "吴桂兰", "--field", "户号=0107654321"]);
    let mut app = logged_in(&lib);
    open(&mut app, &no);
    assert!(shows(&app, "资料完整度 0/4"));
    assert!(shows(&app, "缺：身份证复印件、用电申请书、供用电合同、产权证明"));
    act(&mut app, |ui| {
        ui.click(id(dossier::ADD_PAPER_ID)).unwrap();
    });
    send(
        &mut app,
        paper_msg(paper::Message::DocType(Choice { value: "CONTRACT".into(), label: String::new() })),
    );
    act(&mut app, |ui| {
        ui.click(id(paper::DATE_ID)).unwrap();
        ui.typewrite("2024-03-01");
        ui.click(id(paper::EXPIRES_ID)).unwrap();
        ui.typewrite("2029-02-28");
        ui.click(id(paper::PAGES_ID)).unwrap();
        ui.typewrite("8");
    });
    act(&mut app, |ui| {
        ui.click("保存").unwrap();
    });
    let v = shell(&app).dossier.as_ref().unwrap();
    assert!(v.paper.is_none(), "the paper form closed: {:?}", v.paper.as_ref().map(|p| &p.error));
    // Registered, not yet scanned: not counted present until its pages are scanned.
    assert!(shows(&app, "资料完整度 0/4"));
    assert!(shows(&app, "缺：身份证复印件、用电申请书、产权证明"), "供用电合同 is no longer missing");
    assert!(shows(&app, "2029-02-28"), "the paper is listed with its expiry");
    let docs = lib.json(&["doc", "list", &no]);
    assert_eq!(docs[0]["doc_type"], "CONTRACT");
    assert_eq!(docs[0]["title"], "供用电合同", "an empty title takes the type's name");
    assert_eq!(docs[0]["pages"], 8);
}

#[test]
fn a_bad_paper_date_is_shown_as_typed_and_blocks_saving() {
    let lib = Lib::utility();
    let no = lib.add_customer(&["--name", "吴桂兰", "--field", "户号=0107654321"]);
    let mut app = logged_in(&lib);
    open(&mut app, &no);
    act(&mut app, |ui| {
        ui.click(id(dossier::ADD_PAPER_ID)).unwrap();
    });
    act(&mut app, |ui| {
        ui.click(id(paper::DATE_ID)).unwrap();
        ui.typewrite("2024-02-30");
    });
    let p = shell(&app).dossier.as_ref().unwrap().paper.as_ref().unwrap();
    let err = app.tr.message(p.date_error.as_ref().expect("no 30 February"), false);
    assert!(shows(&app, &err), "{err}");
    assert!(!p.is_valid());
}

#[test]
fn editing_a_paper_changes_its_title() {
    let lib = Lib::utility();
    let no = lib.add_customer(&["--name", "郑秀英", "--field", "户号=0101111111"]);
    let doc = lib.json(&["doc", "add", &no, "--type", "OTHER", "--title", "扫描件"]);
    let doc_id = doc["id"].as_i64().unwrap();
    let mut app = logged_in(&lib);
    open(&mut app, &no);
    act(&mut app, |ui| {
        ui.click(id(dossier::edit_paper_id(doc_id))).unwrap();
    });
    assert!(shows(&app, "修改资料信息"));
    act(&mut app, |ui| {
        ui.click(id(paper::TITLE_ID)).unwrap();
        ui.typewrite("（补）");
    });
    act(&mut app, |ui| {
        ui.click("保存").unwrap();
    });
    let v = shell(&app).dossier.as_ref().unwrap();
    assert!(v.paper.is_none(), "saved: {:?}", v.paper.as_ref().map(|p| &p.error));
    assert!(shows(&app, "扫描件（补）"));
    let docs = lib.json(&["doc", "list", &no]);
    assert_eq!(docs.as_array().unwrap().len(), 1, "corrected, not added");
    assert_eq!(docs[0]["title"], "扫描件（补）");
    assert_eq!(
        lib.count("SELECT count(*) FROM audit_log WHERE entity = 'document' AND action = 'update'"),
        1
    );
}

#[test]
fn back_from_an_edited_form_asks_and_discard_leaves_the_record_unchanged() {
    let lib = Lib::utility();
    let no = lib.add_customer(&["--name", "王芳", "--field", "户号=0102222222", "--address", "幸福路1号"]);
    let mut app = logged_in(&lib);
    open(&mut app, &no);
    act(&mut app, |ui| {
        ui.click("编辑").unwrap();
    });
    act(&mut app, |ui| {
        ui.click(id(form::ADDRESS_ID)).unwrap();
        ui.typewrite("2单元");
    });
    act(&mut app, |ui| {
        ui.click("← 返回").unwrap();
    });
    assert_eq!(shell(&app).pending, Some(Pending::Back));
    assert!(shows(&app, "有未保存的修改") && shows(&app, "放弃修改") && shows(&app, "继续编辑"));
    // 继续编辑: the form is back with what was typed.
    act(&mut app, |ui| {
        ui.click("继续编辑").unwrap();
    });
    let f = shell(&app).dossier.as_ref().unwrap().form.as_ref().expect("still editing");
    assert_eq!(f.values.address, "幸福路1号2单元");
    act(&mut app, |ui| {
        ui.click("← 返回").unwrap();
    });
    act(&mut app, |ui| {
        ui.click("放弃修改").unwrap();
    });
    let s = shell(&app);
    assert!(s.dossier.is_none() && s.pending.is_none(), "back at the list");
    assert_eq!(lib.count("SELECT count(*) FROM customers WHERE address = '幸福路1号'"), 1, "unchanged");
    assert_eq!(lib.count("SELECT count(*) FROM audit_log WHERE action = 'update'"), 0);
}

#[test]
fn an_unchanged_form_leaves_without_a_question() {
    let lib = Lib::utility();
    let no = lib.add_customer(&["--name", "王芳", "--field", "户号=0102222222"]);
    let mut app = logged_in(&lib);
    open(&mut app, &no);
    act(&mut app, |ui| {
        ui.click("编辑").unwrap();
    });
    act(&mut app, |ui| {
        ui.click("← 返回").unwrap();
    });
    let s = shell(&app);
    assert!(s.pending.is_none() && s.dossier.is_none(), "nothing to lose: no question");
}

#[test]
fn saving_from_the_question_saves_then_goes_where_asked() {
    let lib = Lib::utility();
    let no = lib.add_customer(&["--name", "王芳", "--field", "户号=0102222222"]);
    let mut app = logged_in(&lib);
    open(&mut app, &no);
    act(&mut app, |ui| {
        ui.click("编辑").unwrap();
    });
    act(&mut app, |ui| {
        ui.click(id(form::NOTES_ID)).unwrap();
        ui.typewrite("欠费已结清");
    });
    act(&mut app, |ui| {
        ui.click("设置").unwrap();
    });
    assert_eq!(shell(&app).pending, Some(Pending::Nav(Nav::Settings)));
    act(&mut app, |ui| {
        ui.click("保存").unwrap();
    });
    let s = shell(&app);
    assert_eq!(s.nav, Nav::Settings, "went on to the settings after saving");
    assert_eq!(lib.count("SELECT count(*) FROM customers WHERE notes = '欠费已结清'"), 1);
}

#[test]
fn a_scan_during_an_edit_asks_before_opening_the_other_dossier() {
    let lib = Lib::utility();
    let no = lib.add_customer(&["--name", "王芳", "--field", "户号=0102222222"]);
    let other = lib.add_customer(&["--name", "李强", "--field", "户号=0103333333"]);
    let mut app = logged_in(&lib);
    open(&mut app, &no);
    act(&mut app, |ui| {
        ui.click("编辑").unwrap();
    });
    act(&mut app, |ui| {
        ui.click(id(form::ADDRESS_ID)).unwrap();
        ui.typewrite("新地址");
        // The scanner types its code into the focused field too, then the wedge resolves it.
        ui.typewrite(&other);
    });
    send(&mut app, shell::Message::ScanResolved(other.clone(), Ok(shell::Scan::Dossier(other.clone()))));
    assert_eq!(shell(&app).pending, Some(Pending::Open(other.clone())));
    let f = shell(&app).dossier.as_ref().unwrap().form.as_ref().unwrap();
    assert_eq!(f.values.address, "新地址", "the scanned code is taken out of the field");
    assert_eq!(shell(&app).dossier.as_ref().unwrap().no, no, "still on the edited dossier");
    act(&mut app, |ui| {
        ui.click("放弃修改").unwrap();
    });
    let s = shell(&app);
    assert_eq!(s.dossier.as_ref().unwrap().no, other, "the scanned dossier opens after the answer");
    assert_eq!(lib.count("SELECT count(*) FROM customers WHERE address = '新地址'"), 0);
}

#[test]
fn a_duplicate_id_number_names_its_dossier_and_opens_it_without_override() {
    let lib = Lib::utility();
    let id_no = resident_id("11010519900307123");
    let holder =
        lib.add_customer(&["--name", "欧阳娜娜", "--id-number", &id_no, "--field", "户号=0104444444"]);
    let mut app = logged_in(&lib);
    act(&mut app, |ui| {
        ui.click("新建客户").unwrap();
    });
    act(&mut app, |ui| {
        ui.click(id(form::NAME_ID)).unwrap();
        ui.typewrite("欧阳娜");
        ui.click(id(form::ID_NUMBER_ID)).unwrap();
        ui.typewrite(&id_no);
        ui.click(id(form::field_id("户号"))).unwrap();
        ui.typewrite("0105555555");
    });
    act(&mut app, |ui| {
        ui.click("保存").unwrap();
    });
    let f = shell(&app).new_form.as_ref().expect("still on the form");
    assert_eq!(f.duplicate.as_ref().unwrap().dossier, holder);
    assert!(shows(&app, &format!("该证件号码已登记在档案 {holder}（欧阳娜娜）")));
    assert!(!shows(&app, "仍然保存"), "no override for a duplicate ID number");
    assert_eq!(lib.count("SELECT count(*) FROM customers"), 1);
    act(&mut app, |ui| {
        ui.click(format!("打开档案 {holder}").as_str()).unwrap();
    });
    let s = shell(&app);
    assert!(s.new_form.is_none());
    let d = s.dossier.as_ref().and_then(|d| d.dossier.as_ref()).expect("the holder's dossier opens");
    assert_eq!(d.customer.dossier, holder);
    assert!(shows(&app, "欧阳娜娜"));
}

#[test]
fn changing_the_category_keeps_shared_fields_and_names_the_dropped_ones() {
    let lib = Lib::utility();
    let no = lib.add_customer(&[
        "--name",
        "某某工厂",
        "--category",
        "HV-10",
        "--field",
        "户号=0106666666",
        "--field",
        "电价类别=大工业",
        "--field",
        "变压器容量=630",
    ]);
    let mut app = logged_in(&lib);
    open(&mut app, &no);
    act(&mut app, |ui| {
        ui.click("编辑").unwrap();
    });
    let cat = |code: &str| {
        shell::Message::Dossier(dossier::Message::Form(form::Message::Category(Choice {
            value: code.into(),
            label: String::new(),
        })))
    };
    send(&mut app, cat("LV"));
    // 低压非居民 has 户号 and 电价类别 (from 非居民) but not 变压器容量.
    assert!(shows(&app, "变压器容量＝630"), "the dropped value is named before saving");
    assert!(!shows(&app, "电价类别＝大工业"), "a shared field is kept");
    // Nothing is dropped until the clerk says so.
    let editing = |app: &App| shell(app).dossier.as_ref().unwrap().form.as_ref().unwrap().is_valid();
    assert!(!editing(&app), "saving waits for the confirmation");
    act(&mut app, |ui| {
        ui.click("确认删除这些值后再保存").unwrap();
    });
    assert!(editing(&app));
    act(&mut app, |ui| {
        ui.click("保存").unwrap();
    });
    let c = lib.json(&["customer", "show", &no]);
    assert_eq!(c["category"], "LV", "{c}");
    assert_eq!(c["custom"]["户号"], "0106666666");
    assert_eq!(c["custom"]["电价类别"], "大工业");
    assert!(c["custom"].get("变压器容量").is_none());
}

#[test]
fn a_scan_into_an_unchanged_form_opens_the_dossier_without_a_question() {
    let lib = Lib::utility();
    let no = lib.add_customer(&["--name", "王芳", "--field", "户号=0102222222"]);
    let other = lib.add_customer(&["--name", "李强", "--field", "户号=0103333333"]);
    let mut app = logged_in(&lib);
    open(&mut app, &no);
    act(&mut app, |ui| {
        ui.click("编辑").unwrap();
    });
    act(&mut app, |ui| {
        ui.click(id(form::ADDRESS_ID)).unwrap();
        ui.typewrite(&other);
    });
    send(&mut app, shell::Message::ScanResolved(other.clone(), Ok(shell::Scan::Dossier(other.clone()))));
    let s = shell(&app);
    assert!(s.pending.is_none(), "only the scan changed the form: nothing to ask");
    assert_eq!(s.dossier.as_ref().unwrap().no, other);
}

#[test]
fn cancelling_a_changed_paper_form_asks_first() {
    let lib = Lib::utility();
    let no = lib.add_customer(&["--name", "郑秀英", "--field", "户号=0101111111"]);
    let mut app = logged_in(&lib);
    open(&mut app, &no);
    act(&mut app, |ui| {
        ui.click(id(dossier::ADD_PAPER_ID)).unwrap();
    });
    act(&mut app, |ui| {
        ui.click(id(paper::TITLE_ID)).unwrap();
        ui.typewrite("产权证");
    });
    act(&mut app, |ui| {
        ui.click("取消").unwrap();
    });
    assert_eq!(shell(&app).pending, Some(Pending::CloseForm));
    act(&mut app, |ui| {
        ui.click("继续编辑").unwrap();
    });
    let v = shell(&app).dossier.as_ref().unwrap();
    assert_eq!(v.paper.as_ref().expect("still adding").values.title, "产权证");
    act(&mut app, |ui| {
        ui.click("取消").unwrap();
    });
    act(&mut app, |ui| {
        ui.click("放弃修改").unwrap();
    });
    let v = shell(&app).dossier.as_ref().expect("still in the dossier");
    assert!(v.paper.is_none());
    assert_eq!(lib.count("SELECT count(*) FROM documents"), 0);
}
