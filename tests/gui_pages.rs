//! Scans in the dossier view (issue 12), headless through `iced_test`: the thumbnails of each
//! document with their count and the checklist's 已扫描 / 未扫描 / 缺失; the page viewer opened
//! from a thumbnail, moved across the dossier's pages (buttons and keys), turned (the rotation
//! is what `scan pages --json` says) and a page taken back to the inbox; files added by a
//! typed path (the file dialog gave nothing) and by dropping them on the window; a refused
//! file's reason in the clerk's language.
//!
//! The pages are made by the real binary (`doc add … FILE`) from PNG files drawn here.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod guikit;
mod util;

use std::path::{Path, PathBuf};
use std::time::Instant;

use dangan::gui::dossier::{self, DossierView};
use dangan::gui::pages::{self, ViewerKey};
use dangan::gui::prefs::Prefs;
use dangan::gui::shell;
use dangan::gui::{App, KeyInput, Message, Screen};
use dangan::i18n::Language;
use guikit::{act, drain, log_in, shows};
use iced_test::selector::id;
use util::{ADMIN_PW, Lib};

/// A page of a scan: white paper with a few lines of "text", `w`×`h` pixels, and a mark in its
/// top-left corner (so a turned page is told from an upright one).
fn page_png(dir: &Path, name: &str, w: u32, h: u32, seed: u32) -> PathBuf {
    let mut img = image::GrayImage::from_pixel(w, h, image::Luma([255]));
    for line in 0..12 {
        let y = h / 8 + line * (h / 20);
        let len = w / 2 + (seed * 37 + line * 53) % (w / 3);
        for x in w / 10..w / 10 + len {
            for dy in 0..3 {
                img.put_pixel(x.min(w - 1), (y + dy).min(h - 1), image::Luma([20]));
            }
        }
    }
    for y in 5..40 {
        for x in 5..40 {
            img.put_pixel(x, y, image::Luma([0]));
        }
    }
    let p = dir.join(name);
    img.save(&p).unwrap();
    p
}

fn app_for(lib: &Lib, language: Language) -> App {
    let mut app = App::new(lib.path.clone(), Prefs { language, ..Prefs::default() });
    log_in(&mut app, "admin", ADMIN_PW);
    assert!(matches!(app.screen, Screen::Main(_)), "logged in");
    app
}

fn shell(app: &App) -> &shell::Shell {
    let Screen::Main(s) = &app.screen else { panic!("not logged in") };
    s
}

fn view(app: &App) -> &DossierView {
    shell(app).dossier.as_ref().expect("a dossier is open")
}

fn send(app: &mut App, m: pages::Message) {
    let t = app.update(Message::Main(shell::Message::Dossier(dossier::Message::Pages(m))));
    drain(app, t);
}

fn click(app: &mut App, target: &str) {
    act(app, |ui| {
        ui.click(id(target.to_string())).unwrap_or_else(|_| panic!("{target} is on screen"));
    });
}

fn open(app: &mut App, no: &str) {
    act(app, |ui| {
        ui.click(no).unwrap();
    });
    assert!(shell(app).dossier.as_ref().is_some_and(|d| d.dossier.is_some()), "dossier {no} is open");
}

/// The dossier's pages as the command line says: (page id, rotation, document id).
fn cli_pages(lib: &Lib, no: &str) -> Vec<(i64, i64, i64)> {
    let v = lib.json(&["scan", "pages", no]);
    v["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (p["id"].as_i64().unwrap(), p["rotation"].as_i64().unwrap(), p["document_id"].as_i64().unwrap())
        })
        .collect()
}

fn doc_add(lib: &Lib, no: &str, doc_type: &str, files: &[&Path]) {
    let mut args = vec!["doc", "add", no, "--type", doc_type];
    let files: Vec<&str> = files.iter().map(|f| f.to_str().unwrap()).collect();
    args.extend(files);
    lib.admin(&args).ok();
}

#[test]
fn a_dossier_with_scanned_pages_shows_the_thumbnails_their_count_and_the_checklist_states() {
    let lib = Lib::new();
    let no = lib.add_customer(&["--name", "欧阳娜娜"]);
    let dir = lib.dir.path();
    let a = page_png(dir, "id-front.png", 400, 560, 1);
    let b = page_png(dir, "id-back.png", 400, 560, 2);
    doc_add(&lib, &no, "ID", &[&a, &b]);
    // 申请表 registered on paper, not scanned; 合同 not registered at all.
    doc_add(&lib, &no, "APP", &[]);

    let mut app = app_for(&lib, Language::Chinese);
    open(&mut app, &no);
    let pages = cli_pages(&lib, &no);
    assert_eq!(pages.len(), 2);
    let v = view(&app);
    assert_eq!(v.pages.list.as_ref().map(Vec::len), Some(2), "the dossier's pages are loaded");
    for (id, rotation, _) in &pages {
        assert!(
            matches!(v.pages.thumbs.get(&(*id, *rotation)), Some(Some(p)) if p.width.max(p.height) <= 240),
            "page {id}'s thumbnail is rendered"
        );
    }
    assert!(shows(&app, "扫描件 2 页"), "the document's count of scanned pages");
    assert!(shows(&app, "身份证件复印件 ×1 · 已扫描"));
    assert!(shows(&app, "申请表 ×1 · 未扫描"));
    assert!(shows(&app, "合同 ×0 · 缺失"));
    for (page, _, _) in &pages {
        assert!(guikit::ui(&app).find(id(pages::thumb_id(*page))).is_ok(), "thumbnail {page} is on screen");
    }
}

#[test]
fn the_viewer_moves_across_the_dossier_turns_a_page_and_takes_one_back_to_the_inbox() {
    let lib = Lib::new();
    let no = lib.add_customer(&["--name", "司马相如"]);
    let dir = lib.dir.path();
    let a = page_png(dir, "id-1.png", 400, 560, 1);
    let b = page_png(dir, "id-2.png", 400, 560, 2);
    let c = page_png(dir, "contract.png", 400, 560, 3);
    doc_add(&lib, &no, "ID", &[&a, &b]);
    doc_add(&lib, &no, "CONTRACT", &[&c]);
    let pages = cli_pages(&lib, &no);
    assert_eq!(pages.len(), 3);
    let ids: Vec<i64> = pages.iter().map(|p| p.0).collect();

    let mut app = app_for(&lib, Language::Chinese);
    open(&mut app, &no);
    click(&mut app, &pages::thumb_id(ids[0]));
    let v = view(&app).pages.viewer.as_ref().expect("a thumbnail opens the viewer");
    assert_eq!(v.page, ids[0]);
    let (_, pic) = v.picture.as_ref().expect("the page is shown large");
    assert_eq!((pic.width, pic.height), (400, 560), "a small page is shown at its own size");
    assert_eq!(v.zoom, 1.0, "fit to the window by default");
    assert!(shows(&app, "第 1 / 3 页"));
    assert!(view(&app).pages.large_ready((ids[1], 0)), "the next page is ready before it is asked for");
    assert!(!view(&app).pages.large_ready((ids[2], 0)), "only the neighbours are kept");

    // Next and previous, by the buttons and by the keys, across documents.
    click(&mut app, pages::VIEWER_NEXT_ID);
    assert_eq!(view(&app).pages.viewer.as_ref().unwrap().page, ids[1]);
    send(&mut app, pages::Message::Key(ViewerKey::Next));
    assert_eq!(view(&app).pages.viewer.as_ref().unwrap().page, ids[2]);
    assert!(shows(&app, "第 3 / 3 页") && shows(&app, "合同"));
    send(&mut app, pages::Message::Key(ViewerKey::Next));
    assert_eq!(view(&app).pages.viewer.as_ref().unwrap().page, ids[2], "the last page stays");
    click(&mut app, pages::VIEWER_PREV_ID);
    assert_eq!(view(&app).pages.viewer.as_ref().unwrap().page, ids[1]);

    // Zoom in and out, back to fit.
    click(&mut app, pages::VIEWER_ZOOM_IN_ID);
    send(&mut app, pages::Message::Key(ViewerKey::ZoomIn));
    assert!(view(&app).pages.viewer.as_ref().unwrap().zoom > 1.5);
    assert!(shows(&app, "156%"));
    click(&mut app, pages::VIEWER_FIT_ID);
    assert_eq!(view(&app).pages.viewer.as_ref().unwrap().zoom, 1.0);

    // Turn the page right: saved (the command line sees it) and shown turned.
    click(&mut app, pages::VIEWER_ROTATE_RIGHT_ID);
    let rotation = |lib: &Lib, id: i64| cli_pages(lib, &no).iter().find(|p| p.0 == id).unwrap().1;
    assert_eq!(rotation(&lib, ids[1]), 90);
    let v = view(&app).pages.viewer.as_ref().unwrap();
    let (key, pic) = v.picture.as_ref().unwrap();
    assert_eq!(*key, (ids[1], 90));
    assert_eq!((pic.width, pic.height), (560, 400), "shown turned");
    assert!(view(&app).pages.thumbs.contains_key(&(ids[1], 90)), "its thumbnail is rendered again, turned");
    click(&mut app, pages::VIEWER_ROTATE_LEFT_ID);
    click(&mut app, pages::VIEWER_ROTATE_LEFT_ID);
    assert_eq!(rotation(&lib, ids[1]), 270);
    let history = lib.json(&["audit", "--dossier", &no]);
    let rotations = history
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["entity"] == "page" && r["action"] == "rotate")
        .count();
    assert_eq!(rotations, 3, "each turn is audited: {history}");

    // Esc closes the viewer.
    let t = app.key(KeyInput::Escape, Instant::now());
    drain(&mut app, t);
    assert!(view(&app).pages.viewer.is_none(), "Esc closes the viewer");

    // The contract's only page back to the inbox: the viewer shows the page before it.
    click(&mut app, &pages::thumb_id(ids[2]));
    click(&mut app, pages::VIEWER_UNFILE_ID);
    let inbox = lib.json(&["scan", "inbox"]);
    assert_eq!(inbox["total"], 1, "{inbox}");
    assert_eq!(inbox["pages"][0]["id"], ids[2]);
    assert_eq!(cli_pages(&lib, &no).len(), 2);
    let v = view(&app).pages.viewer.as_ref().expect("the viewer stays open on another page");
    assert_eq!(v.page, ids[1]);
    assert!(shows(&app, "第 3 页已移回收件箱。"));
    let t = app.key(KeyInput::Escape, Instant::now());
    drain(&mut app, t);
    // The contract is registered but no longer scanned.
    assert!(shows(&app, "合同 ×1 · 未扫描"), "the checklist follows");
    assert!(shows(&app, "扫描件 2 页"));
}

#[test]
fn a_file_is_added_by_its_typed_path_when_the_dialog_gives_nothing() {
    let lib = Lib::new();
    let no = lib.add_customer(&["--name", "诸葛亮"]);
    let file = page_png(lib.dir.path(), "申请表 扫描.png", 500, 700, 4);
    let mut app = app_for(&lib, Language::Chinese);
    open(&mut app, &no);
    click(&mut app, pages::ADD_ID);
    let adding = view(&app).pages.adding.as_ref().expect("the panel opens");
    assert_eq!(adding.doc_type.as_deref(), Some("ID"), "the first missing paper is offered");
    // No dialog could appear: the typed path is offered.
    send(&mut app, pages::Message::Chosen(None));
    assert!(shows(&app, "没有选择文件。如果没有出现选择窗口，请在下面输入文件的完整路径。"));
    send(
        &mut app,
        pages::Message::AddType(dangan::gui::form::Choice { value: "APP".into(), label: "申请表".into() }),
    );
    act(&mut app, |ui| {
        ui.click(id(pages::ADD_PATH_ID)).unwrap();
        ui.typewrite(&format!("\"{}\"", file.display()));
    });
    click(&mut app, pages::ADD_CONFIRM_ID);
    let v = view(&app);
    assert!(v.pages.adding.is_none(), "the panel closes: {:?}", v.pages.adding.as_ref().map(|a| &a.error));
    assert!(shows(&app, "已添加“申请表”：1 个文件，1 页已归入此档案。"));
    let d = v.dossier.as_ref().unwrap();
    let doc = d.documents.iter().find(|d| d.doc_type == "APP").expect("a new 申请表");
    assert_eq!(doc.scanned_pages, 1);
    assert!(shows(&app, "申请表 ×1 · 已扫描"));
    let pages = cli_pages(&lib, &no);
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].2, doc.id);
    assert!(view(&app).pages.thumbs.contains_key(&(pages[0].0, 0)), "its thumbnail is shown");
}

#[test]
fn scans_of_a_registered_paper_go_to_it_instead_of_a_second_document() {
    let lib = Lib::new();
    let no = lib.add_customer(&["--name", "黄忠"]);
    // Registered at the desk with its page count; the scan comes later.
    lib.admin(&["doc", "add", &no, "--type", "CONTRACT", "--title", "供用电合同", "--pages", "3"]).ok();
    let file = page_png(lib.dir.path(), "contract.png", 400, 560, 9);
    let mut app = app_for(&lib, Language::Chinese);
    open(&mut app, &no);
    assert!(shows(&app, "合同 ×1 · 未扫描"), "registered, not scanned");
    send(&mut app, pages::Message::Dropped(file));
    send(
        &mut app,
        pages::Message::AddType(dangan::gui::form::Choice {
            value: "CONTRACT".into(), label: "合同".into()
        }),
    );
    click(&mut app, pages::ADD_CONFIRM_ID);
    let d = view(&app).dossier.as_ref().unwrap().clone();
    let contracts: Vec<_> = d.documents.iter().filter(|x| x.doc_type == "CONTRACT").collect();
    assert_eq!(contracts.len(), 1, "no second contract");
    assert_eq!(
        (contracts[0].scanned_pages, contracts[0].pages, contracts[0].title.as_str()),
        (1, 3, "供用电合同")
    );
    assert!(shows(&app, "合同 ×1 · 已扫描"));
    let audit = lib.json(&["audit", "--dossier", &no]);
    assert!(
        audit.as_array().unwrap().iter().any(|r| r["entity"] == "page" && r["action"] == "file"),
        "{audit}"
    );
}

#[test]
fn files_dropped_on_the_dossier_are_added_after_the_type_is_chosen() {
    let lib = Lib::new();
    let no = lib.add_customer(&["--name", "孙尚香"]);
    let a = page_png(lib.dir.path(), "c1.png", 400, 560, 5);
    let b = page_png(lib.dir.path(), "c2.png", 400, 560, 6);
    let mut app = app_for(&lib, Language::Chinese);
    open(&mut app, &no);
    send(&mut app, pages::Message::Hovered);
    assert!(shows(&app, "松开鼠标，把文件添加到此档案"));
    send(&mut app, pages::Message::Dropped(a.clone()));
    send(&mut app, pages::Message::Dropped(b.clone()));
    send(&mut app, pages::Message::Dropped(a.clone()));
    let adding = view(&app).pages.adding.as_ref().expect("a drop opens the panel");
    assert_eq!(adding.files, vec![a, b], "each file once");
    send(
        &mut app,
        pages::Message::AddType(dangan::gui::form::Choice {
            value: "CONTRACT".into(), label: "合同".into()
        }),
    );
    click(&mut app, pages::ADD_CONFIRM_ID);
    assert!(shows(&app, "已添加“合同”：2 个文件，2 页已归入此档案。"));
    assert_eq!(cli_pages(&lib, &no).len(), 2);
}

#[test]
fn a_refused_file_says_why_in_the_clerks_language_and_nothing_is_added() {
    let lib = Lib::new();
    let no = lib.add_customer(&["--name", "黄月英"]);
    let fake = lib.dir.path().join("notes.png");
    std::fs::write(&fake, "这不是图片，只是文字。\n").unwrap();
    let empty = lib.dir.path().join("empty.pdf");
    std::fs::write(&empty, b"").unwrap();

    let mut app = app_for(&lib, Language::Chinese);
    open(&mut app, &no);
    click(&mut app, pages::ADD_ID);
    act(&mut app, |ui| {
        ui.click(id(pages::ADD_PATH_ID)).unwrap();
        ui.typewrite(fake.to_str().unwrap());
    });
    click(&mut app, pages::ADD_CONFIRM_ID);
    let a = view(&app).pages.adding.as_ref().expect("the panel stays open");
    assert!(!a.busy);
    let e = a.error.clone().expect("the reason is shown");
    assert!(e.contains("notes.png") && e.contains("不是 JPEG、PNG、TIFF 或 PDF 文件"), "{e}");
    assert!(shows(&app, "不是 JPEG、PNG、TIFF 或 PDF 文件"));
    assert_eq!(view(&app).dossier.as_ref().unwrap().documents.len(), 0, "nothing is added");
    assert_eq!(cli_pages(&lib, &no).len(), 0);

    // In English, an empty file.
    let mut app = app_for(&lib, Language::English);
    open(&mut app, &no);
    click(&mut app, pages::ADD_ID);
    act(&mut app, |ui| {
        ui.click(id(pages::ADD_PATH_ID)).unwrap();
        ui.typewrite(empty.to_str().unwrap());
    });
    click(&mut app, pages::ADD_CONFIRM_ID);
    let e = view(&app).pages.adding.as_ref().unwrap().error.clone().expect("the reason is shown");
    assert!(e.contains("empty.pdf: the file is empty (0 bytes)"), "{e}");
    // Neither a type nor a file: said before anything runs.
    send(&mut app, pages::Message::Typed(String::new()));
    click(&mut app, pages::ADD_CONFIRM_ID);
    assert!(shows(&app, "Choose or type at least one file."));
}

#[test]
fn a_file_dropped_on_a_closed_dossier_or_by_a_viewer_is_not_taken() {
    let lib = Lib::new();
    let no = lib.add_customer(&["--name", "马超"]);
    let a = page_png(lib.dir.path(), "late.png", 400, 560, 7);
    lib.admin(&["customer", "close", &no]).ok();
    let mut app = app_for(&lib, Language::Chinese);
    open(&mut app, &no);
    send(&mut app, pages::Message::Hovered);
    send(&mut app, pages::Message::Dropped(a.clone()));
    assert!(view(&app).pages.adding.is_none(), "a closed dossier takes no new papers");
    assert!(!shows(&app, "添加扫描件"), "nor offers to");
    assert!(!shows(&app, "松开鼠标"));

    lib.add_user("kan", "viewer");
    let open_no = lib.add_customer(&["--name", "马岱"]);
    let mut app = App::new(lib.path.clone(), Prefs::default());
    log_in(&mut app, "kan", util::USER_PW);
    open(&mut app, &open_no);
    send(&mut app, pages::Message::Dropped(a));
    assert!(view(&app).pages.adding.is_none(), "who may not add papers is not asked the type");
}

fn set_opener(app: &mut App, opener: pages::Opener) {
    let Screen::Main(s) = &mut app.screen else { panic!("not logged in") };
    s.dossier.as_mut().expect("a dossier is open").pages.opener = opener;
}

#[test]
fn open_the_original_hands_a_copy_with_its_own_extension_to_the_viewer_or_shows_where_it_is() {
    let lib = Lib::new();
    let no = lib.add_customer(&["--name", "赵云"]);
    let scan = page_png(lib.dir.path(), "身份证 正面.png", 400, 560, 8);
    doc_add(&lib, &no, "ID", &[&scan]);
    let copies = lib.dir.path().join("copies");
    let mut app = app_for(&lib, Language::Chinese);
    open(&mut app, &no);
    let page = cli_pages(&lib, &no)[0].0;
    click(&mut app, &pages::thumb_id(page));

    // A viewer that takes the file.
    set_opener(&mut app, pages::Opener { dir: Some(copies.clone()), program: Some("true".into()) });
    click(&mut app, pages::VIEWER_ORIGINAL_ID);
    let copy: Vec<PathBuf> = std::fs::read_dir(&copies).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(copy.len(), 1, "{copy:?}");
    let name = copy[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with("身份证 正面-") && name.ends_with(".png"), "{name}");
    assert_eq!(std::fs::read(&copy[0]).unwrap(), std::fs::read(&scan).unwrap(), "the original's bytes");
    assert!(shows(&app, "原件已用系统查看器打开"));

    // No viewer: the copy's path is shown.
    set_opener(
        &mut app,
        pages::Opener { dir: Some(copies.clone()), program: Some("/nonexistent/viewer".into()) },
    );
    click(&mut app, pages::VIEWER_ORIGINAL_ID);
    assert!(shows(&app, &format!("无法打开系统查看器。原件的副本在：{}", copy[0].display())));
}
