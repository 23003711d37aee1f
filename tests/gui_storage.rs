//! The 库房 screens, headless through `iced_test`: the location tree and a location's boxes, a
//! box's folders, filing a dossier from its view (装盒, 换盒 with its confirmation, by rule),
//! the barcode wedge resolving boxes, locations and bad codes, and the shelf inventory.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod guikit;
mod util;

use std::time::{Duration, Instant};

use dangan::gui::prefs::Prefs;
use dangan::gui::shell::{self, Nav};
use dangan::gui::{App, KeyInput, Message, Screen, dossier, dossiers, storage};
use dangan::i18n::Language;
use guikit::{act, drain, log_in, shows};
use iced_test::selector::id;
use util::{ADMIN_PW, Lib, USER_PW};

fn shell(app: &App) -> &shell::Shell {
    let Screen::Main(s) = &app.screen else { panic!("not logged in") };
    s
}

fn send(app: &mut App, m: shell::Message) {
    let t = app.update(Message::Main(m));
    drain(app, t);
}

fn scan(app: &mut App, code: &str) {
    send(app, shell::Message::Scanned(code.to_string()));
}

/// Creates a location; its barcode.
fn location(lib: &Lib, path: &str) -> String {
    lib.json(&["location", "add", path])["location"]["code"].as_str().unwrap().to_string()
}

/// Opens a box shelved at `path`; its barcode.
fn new_box(lib: &Lib, path: &str, capacity: &str) -> String {
    lib.json(&["box", "add", "--location", path, "--capacity", capacity])["code"]
        .as_str()
        .unwrap()
        .to_string()
}

fn logged_in(lib: &Lib, user: &str, language: Language) -> App {
    let mut app = App::new(lib.path.clone(), Prefs { language, ..Prefs::default() });
    log_in(&mut app, user, if user == "admin" { ADMIN_PW } else { USER_PW });
    assert!(matches!(app.screen, Screen::Main(_)), "logged in");
    app
}

fn go_storage(app: &mut App) {
    send(app, shell::Message::Nav(Nav::Storage));
    assert_eq!(shell(app).nav, Nav::Storage);
}

/// The same code with its check digit changed: a misread.
fn mistyped(code: &str) -> String {
    let (body, check) = code.split_at(code.len() - 1);
    let d = check.parse::<u32>().unwrap();
    format!("{body}{}", (d + 1) % 10)
}

#[test]
fn the_storage_screen_lists_a_locations_boxes_and_a_boxs_contents() {
    let lib = Lib::new();
    let shelf = location(&lib, "档案室A/1排/2层");
    let code = new_box(&lib, "档案室A/1排/2层", "10");
    let no = lib.add_customer(&["--name", "欧阳娜娜"]);
    lib.admin(&["file", &no, &code]).ok();
    let mut app = logged_in(&lib, "admin", Language::Chinese);
    act(&mut app, |ui| {
        ui.click("库房").unwrap();
    });
    assert!(shows(&app, "档案室A"), "the room is in the tree");
    assert!(!shows(&app, "2层"), "the tree opens along the chosen location only");
    let room_code = shell(&app).storage.tree[0].location.code.clone();
    act(&mut app, |ui| {
        ui.click(id(storage::location_row_id(&room_code))).unwrap();
    });
    // The room lists the boxes below it, with fill and 起止件号; its levels open in the tree.
    assert!(shows(&app, "1排"), "the room's levels show once it is chosen");
    assert!(shows(&app, &code), "the box is listed");
    assert!(shows(&app, "1/10 (10%)"), "with its fill");
    assert!(shows(&app, "未满"), "and its status");
    // The shelf the box stands on says how many boxes it holds.
    let rack = shell(&app).storage.tree[1].location.code.clone();
    act(&mut app, |ui| {
        ui.click(id(storage::location_row_id(&rack))).unwrap();
    });
    act(&mut app, |ui| {
        ui.click(id(storage::location_row_id(&shelf))).unwrap();
    });
    assert!(shows(&app, "档案室A/1排/2层") && shows(&app, "1 盒"), "the shelf and its box count");
    act(&mut app, |ui| {
        ui.click(id(storage::box_row_id(&code))).unwrap();
    });
    assert!(shows(&app, &no) && shows(&app, "欧阳娜娜"), "the box's folder");
    assert!(shows(&app, "移动记录") && shows(&app, "上架"), "the box's movements");
    assert!(shows(&app, "封盒"), "the archivist's actions show to an admin");
    // A click on the folder opens the dossier, which names its box.
    act(&mut app, |ui| {
        ui.click(id(storage::folder_row_id(&no))).unwrap();
    });
    let s = shell(&app);
    assert_eq!(s.nav, Nav::Dossiers);
    assert_eq!(s.dossier.as_ref().unwrap().no, no);
    assert!(shows(&app, &code) && shows(&app, "第 1 盒，件号 1"), "the dossier shows its box");

    // In English too.
    let mut app = logged_in(&lib, "admin", Language::English);
    scan(&mut app, &shelf);
    assert!(shows(&app, "Boxes here") && shows(&app, &code) && shows(&app, "open"));
}

#[test]
fn a_clerk_sees_the_boxes_but_not_the_archivists_actions() {
    let lib = Lib::new();
    location(&lib, "档案室A/1排");
    let code = new_box(&lib, "档案室A/1排", "10");
    lib.add_user("wangfang", "clerk");
    let mut app = logged_in(&lib, "wangfang", Language::Chinese);
    scan(&mut app, &code);
    assert!(shows(&app, &code) && shows(&app, "盒内还没有档案"));
    assert!(!shows(&app, "封盒") && !shows(&app, "临时移出"), "no moves for a clerk");
    assert!(!shows(&app, "新建库位"));
}

#[test]
fn filing_a_dossier_from_the_dossier_view_shows_its_box() {
    let lib = Lib::new();
    location(&lib, "档案室A/1排");
    let first = new_box(&lib, "档案室A/1排", "10");
    let second = new_box(&lib, "档案室A/1排", "10");
    let no = lib.add_customer(&["--name", "张伟"]);
    let mut app = logged_in(&lib, "admin", Language::Chinese);
    scan(&mut app, &no);
    assert!(shows(&app, "存放位置") && shows(&app, "尚未装盒"));
    act(&mut app, |ui| {
        ui.click("装盒").unwrap();
    });
    act(&mut app, |ui| {
        ui.click(id(dossier::FILE_BOX_ID)).unwrap();
        ui.typewrite(&first);
    });
    act(&mut app, |ui| {
        ui.click("装盒").unwrap();
    });
    assert!(shows(&app, &format!("已装入档案盒 {first}")), "the note says where it went");
    assert!(shows(&app, "第 1 盒，件号 1"), "the place shows the box and item number");
    assert!(shows(&app, "档案室A/1排"), "and the box's location");
    assert_eq!(lib.count("SELECT count(*) FROM folders"), 1);

    // 换盒 asks first; nothing moves until the clerk confirms.
    act(&mut app, |ui| {
        ui.click("换盒").unwrap();
    });
    act(&mut app, |ui| {
        ui.click(id(dossier::FILE_BOX_ID)).unwrap();
        ui.typewrite(&second);
        ui.tap_key(iced::keyboard::key::Named::Enter);
    });
    assert!(shows(&app, &format!("这份档案已在档案盒 {first} 中。确定换到 {second}？")));
    let s = shell(&app);
    assert_eq!(s.dossier.as_ref().unwrap().place.as_ref().unwrap().as_ref().unwrap().box_code, first);
    act(&mut app, |ui| {
        ui.click("确认换盒").unwrap();
    });
    let d = shell(&app).dossier.as_ref().unwrap();
    assert_eq!(d.place.as_ref().unwrap().as_ref().unwrap().box_code, second, "moved after the confirmation");
    assert!(shows(&app, "换盒"), "the movement shows");

    // A sealed box refuses it, with the core's sentence next to the field.
    lib.admin(&["box", "seal", &first]).ok();
    act(&mut app, |ui| {
        ui.click("换盒").unwrap();
    });
    act(&mut app, |ui| {
        ui.click(id(dossier::FILE_BOX_ID)).unwrap();
        ui.typewrite(&first);
    });
    act(&mut app, |ui| {
        ui.click("换盒").unwrap();
    });
    act(&mut app, |ui| {
        ui.click("确认换盒").unwrap();
    });
    assert!(shows(&app, &format!("档案盒 {first} 已封盒")), "the refusal is shown");

    // 出盒, then by rule with no code: the rule opens a box.
    act(&mut app, |ui| {
        ui.click("取消").unwrap();
    });
    act(&mut app, |ui| {
        ui.click("出盒").unwrap();
    });
    assert!(shows(&app, "尚未装盒"));
    act(&mut app, |ui| {
        ui.click("装盒").unwrap();
    });
    act(&mut app, |ui| {
        ui.click("按规则装盒").unwrap();
    });
    let d = shell(&app).dossier.as_ref().unwrap();
    let by_rule = d.place.as_ref().unwrap().as_ref().expect("filed by the rule").box_code.clone();
    assert!(by_rule != first && by_rule != second, "a new box");
    assert!(shows(&app, "按装盒规则新开了这个盒"));
}

#[test]
fn a_scanned_box_code_opens_the_box_in_storage() {
    let lib = Lib::new();
    location(&lib, "档案室A/1排");
    let code = new_box(&lib, "档案室A/1排", "10");
    let no = lib.add_customer(&["--name", "欧阳娜娜"]);
    lib.admin(&["file", &no, &code]).ok();
    let mut app = logged_in(&lib, "admin", Language::Chinese);
    assert_eq!(shell(&app).nav, Nav::Dossiers);
    // Through the wedge: a burst of keys ending in Enter, wherever the focus is.
    let mut t = Instant::now();
    for c in code.chars() {
        t += Duration::from_millis(5);
        let task = app.key(KeyInput::Char(c), t);
        drain(&mut app, task);
    }
    let task = app.key(KeyInput::Enter, t + Duration::from_millis(5));
    drain(&mut app, task);
    let s = shell(&app);
    assert_eq!(s.nav, Nav::Storage);
    assert_eq!(s.storage.open_box.as_ref().unwrap().info.code, code);
    assert!(shows(&app, &no) && shows(&app, "欧阳娜娜"), "its contents show");

    // A scanned location code while the box is open goes into the "move to" field.
    let shelf = location(&lib, "档案室B/3排");
    scan(&mut app, &shelf);
    assert_eq!(shell(&app).storage.place_to, shelf);
    act(&mut app, |ui| {
        ui.click("移到这里（改固定位置）").unwrap();
    });
    let b = &shell(&app).storage.open_box.as_ref().unwrap().info;
    assert_eq!(b.home.as_deref(), Some("档案室B/3排"), "moved");
    assert!(shows(&app, "现在在 档案室B/3排"));
}

#[test]
fn a_mistyped_or_foreign_code_says_so() {
    let lib = Lib::new();
    location(&lib, "档案室A/1排");
    let code = new_box(&lib, "档案室A/1排", "10");
    let mut app = logged_in(&lib, "admin", Language::Chinese);
    let bad = mistyped(&code);
    // The scanner types into the focused search field too: the code is taken out again.
    act(&mut app, |ui| {
        ui.click(id(dossiers::SEARCH_ID)).unwrap();
        ui.typewrite(&bad);
    });
    assert_eq!(shell(&app).dossiers.query, bad);
    scan(&mut app, &bad);
    assert_eq!(shell(&app).nav, Nav::Dossiers, "nothing opens");
    assert_eq!(shell(&app).dossiers.query, "", "the code is not left as a search");
    assert!(shows(&app, &format!("“{bad}”的校验位不对")), "the status bar says it was misread");
    scan(&mut app, "6901234567892");
    assert!(shows(&app, "不是本系统的条码"), "a product barcode is not ours");
    // On the 库房 screen the notice shows there too.
    go_storage(&mut app);
    scan(&mut app, &bad);
    assert_eq!(shell(&app).storage.error.as_deref().map(|e| e.contains("校验位不对")), Some(true));
    let mut app = logged_in(&lib, "admin", Language::English);
    scan(&mut app, &bad);
    assert!(shows(&app, &format!("The check digit of “{bad}” is wrong")));
}

#[test]
fn an_inventory_with_one_missing_and_one_misplaced_box_shows_both() {
    let lib = Lib::new();
    location(&lib, "档案室A/1排");
    location(&lib, "档案室B/1排");
    let here = new_box(&lib, "档案室A/1排", "10");
    let missing = new_box(&lib, "档案室A/1排", "10");
    let elsewhere = new_box(&lib, "档案室B/1排", "10");
    let mut app = logged_in(&lib, "admin", Language::Chinese);
    go_storage(&mut app);
    let shelf = lib.json(&["where", "档案室A/1排"])["location"]["code"].as_str().unwrap().to_string();
    scan(&mut app, &shelf);
    act(&mut app, |ui| {
        ui.click("盘点").unwrap();
    });
    assert!(shows(&app, "盘点：档案室A/1排"));
    scan(&mut app, &here);
    scan(&mut app, &elsewhere);
    // Typed by hand too (and a code typed twice counts once).
    act(&mut app, |ui| {
        ui.click(id(storage::INVENTORY_CODE_ID)).unwrap();
        ui.typewrite("6901234567892");
        ui.tap_key(iced::keyboard::key::Named::Enter);
    });
    scan(&mut app, "6901234567892");
    // The same scan as the wedge saw it when its first key came late: counted once too.
    scan(&mut app, "901234567892");
    assert!(shows(&app, "已扫描 3 个条码"), "each code shows as it is scanned");
    assert!(shows(&app, &here) && shows(&app, &elsewhere));
    assert_eq!(shell(&app).storage.inventory.as_ref().unwrap().codes.len(), 3);
    act(&mut app, |ui| {
        ui.click("按盘点结果更正档案盒的当前位置").unwrap();
    });
    act(&mut app, |ui| {
        ui.click("完成盘点").unwrap();
    });
    assert!(shows(&app, "应有 2 盒：找到 1，缺失 1，错放 1，无法识别 1"));
    assert!(shows(&app, "缺失 (1)") && shows(&app, &missing));
    assert!(shows(&app, "错放 (1)") && shows(&app, "应在 档案室B/1排"), "where the misplaced box belongs");
    assert!(shows(&app, "不是本系统的条码"), "why the unknown code is unknown");
    assert!(shows(&app, "已更正 1 个档案盒的当前位置"), "the misplaced box is recorded where it stands");
    assert_eq!(lib.count("SELECT count(*) FROM inventories"), 1, "saved");
}
