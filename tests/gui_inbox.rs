//! The scan inbox (待分拣), headless through `iced_test`: pages of a file imported by the real
//! `dangan scan import` with no cover sheet show grouped by their file with the reason; selected
//! (click, Shift-click) and filed into a dossier with a type they leave the inbox and
//! `scan pages` lists them; importing from the app by a typed path reports progress per file
//! and a summary with the refused file's reason; 取消 stops before the next file; the 工作台
//! counts the inbox and the dossiers waiting to be scanned (超期 past the deadline) and each
//! count opens its list.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod guikit;
mod util;

use std::path::{Path, PathBuf};

use dangan::gui::inbox::{self, ImportStep, Tab};
use dangan::gui::prefs::Prefs;
use dangan::gui::shell::{self, Nav};
use dangan::gui::{App, Message, Screen};
use dangan::i18n::Language;
use guikit::{act, drain, log_in, shows};
use iced::Task;
use iced::futures::StreamExt;
use iced_test::runtime as iced_runtime;
use iced_test::selector::id;
use util::{ADMIN_PW, Lib};

/// A scanned page: white, with a few lines of "text" (ink well above the blank threshold).
fn page_png(path: &Path, seed: u32) {
    let mut img = image::GrayImage::from_pixel(420, 594, image::Luma([255u8]));
    for line in 0..12u32 {
        let y = 60 + line * 40;
        let len = 200 + (line * 37 + seed * 53) % 160;
        for x in 40..40 + len {
            for dy in 0..6 {
                img.put_pixel(x, y + dy, image::Luma([0u8]));
            }
        }
    }
    img.save_with_format(path, image::ImageFormat::Png).unwrap();
}

fn shell(app: &App) -> &shell::Shell {
    let Screen::Main(s) = &app.screen else { panic!("not logged in") };
    s
}

fn inbox(app: &App) -> &inbox::Inbox {
    &shell(app).inbox
}

fn send(app: &mut App, m: inbox::Message) {
    let t = app.update(Message::Main(shell::Message::Inbox(m)));
    drain(app, t);
}

fn nav(app: &mut App, n: Nav) {
    let t = app.update(Message::Main(shell::Message::Nav(n)));
    drain(app, t);
    assert_eq!(shell(app).nav, n);
}

fn logged_in(lib: &Lib) -> App {
    let mut app = App::new(lib.path.clone(), Prefs { language: Language::Chinese, ..Prefs::default() });
    log_in(&mut app, "admin", ADMIN_PW);
    assert!(matches!(app.screen, Screen::Main(_)), "logged in");
    app
}

/// Runs a task to the end and returns the messages it produced, without applying them.
fn collect(task: Task<Message>) -> Vec<Message> {
    let Some(stream) = iced_runtime::task::into_stream(task) else { return Vec::new() };
    iced::futures::executor::block_on(stream.collect::<Vec<_>>())
        .into_iter()
        .filter_map(|a| match a {
            iced_runtime::Action::Output(m) => Some(m),
            _ => None,
        })
        .collect()
}

/// `n` scanned pages in a folder of their own, named `page-1.png` …
fn scans(dir: &Path, n: u32) -> Vec<PathBuf> {
    std::fs::create_dir_all(dir).unwrap();
    (1..=n)
        .map(|i| {
            let p = dir.join(format!("page-{i}.png"));
            page_png(&p, i);
            p
        })
        .collect()
}

#[test]
fn pages_imported_without_a_cover_wait_in_the_inbox_and_leave_it_when_filed() {
    let lib = Lib::new();
    let no = lib.add_customer(&["--name", "欧阳娜娜"]);
    let files = scans(&lib.dir.path().join("in"), 2);
    let run = lib.admin(&["scan", "import", files[0].to_str().unwrap(), files[1].to_str().unwrap()]);
    run.ok();

    let mut app = logged_in(&lib);
    assert_eq!(inbox(&app).inbox_count, Some(2), "the side bar's badge counts the inbox at login");
    nav(&mut app, Nav::Inbox);
    let pages: Vec<i64> = inbox(&app).pages.iter().map(|p| p.id).collect();
    assert_eq!(pages.len(), 2);
    assert!(shows(&app, "page-1.png"), "grouped under the file's name");
    assert!(shows(&app, "page-2.png"));
    assert!(shows(&app, "文件开头没有封面"), "the reason in words");
    assert!(shows(&app, "共 2 页待分拣"));
    assert!(inbox(&app).pages.iter().all(|p| inbox(&app).selected.is_empty() && p.dossier.is_none()));

    // Click the first page, Shift-click the second: both selected (a range across files).
    act(&mut app, |ui| {
        ui.click(id(inbox::page_id(pages[0]))).unwrap();
    });
    assert_eq!(inbox(&app).preview, Some(pages[0]), "the clicked page is shown large");
    send(&mut app, inbox::Message::Shift(true));
    act(&mut app, |ui| {
        ui.click(id(inbox::page_id(pages[1]))).unwrap();
    });
    send(&mut app, inbox::Message::Shift(false));
    assert_eq!(inbox(&app).selected.len(), 2);
    assert!(shows(&app, "已选 2 页"));

    // Filing with no dossier says what to do.
    act(&mut app, |ui| {
        ui.click(id(inbox::FILE_ID)).unwrap();
    });
    assert!(shows(&app, "请搜索并选择要归入的档案"));

    // The dossier by search: its number typed, the hit picked; a type picked.
    act(&mut app, |ui| {
        ui.click(id(inbox::DOSSIER_ID)).unwrap();
        ui.typewrite(&no);
    });
    let hit = inbox(&app).hits.first().cloned().expect("the search found the dossier");
    assert_eq!(hit.0, no);
    assert_eq!(hit.1, "欧阳娜娜");
    send(&mut app, inbox::Message::ChooseDossier(hit.0, hit.1));
    let id_type = inbox(&app).doc_types.iter().find(|t| t.code == "ID").cloned().expect("the ID type");
    send(&mut app, inbox::Message::DocType(id_type));
    act(&mut app, |ui| {
        ui.click(id(inbox::FILE_ID)).unwrap();
    });

    assert!(inbox(&app).pages.is_empty(), "filed pages leave the inbox");
    assert_eq!(inbox(&app).inbox_count, Some(0));
    assert!(shows(&app, &format!("已将 2 页归入档案 {no}")), "{:?}", inbox(&app).error);
    assert!(shows(&app, "待分拣中没有页面"));
    let filed = lib.json(&["scan", "pages", &no]);
    let filed = filed["pages"].as_array().expect("pages");
    assert_eq!(filed.len(), 2, "{filed:?}");
    let ids: Vec<i64> = filed.iter().map(|p| p["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, pages, "in the order selected");
    assert!(filed.iter().all(|p| p["dossier"] == no.as_str()));
}

#[test]
fn importing_by_a_typed_path_reports_each_file_then_a_summary_with_the_refusal() {
    let lib = Lib::new();
    let dir = lib.dir.path().join("batch");
    scans(&dir, 2);
    std::fs::write(dir.join("page-3.png"), b"").unwrap();

    let mut app = logged_in(&lib);
    nav(&mut app, Nav::Inbox);
    act(&mut app, |ui| {
        ui.click(id(inbox::IMPORT_PATH_ID)).unwrap();
        ui.typewrite(dir.to_str().unwrap());
    });
    let task = app.update(Message::Main(shell::Message::Inbox(inbox::Message::Import)));
    assert!(inbox(&app).importing.is_some(), "the import runs on the worker");
    assert!(shows(&app, "取消"), "with a cancel button");
    let messages = collect(task);
    let steps: Vec<(usize, usize)> = messages
        .iter()
        .filter_map(|m| match m {
            Message::Main(shell::Message::Inbox(inbox::Message::ImportStep(ImportStep::File(d, t, _)))) => {
                Some((*d, *t))
            }
            _ => None,
        })
        .collect();
    assert_eq!(steps, vec![(1, 3), (2, 3), (3, 3)], "progress after each file");
    for m in messages {
        let t = app.update(m);
        drain(&mut app, t);
    }
    assert!(inbox(&app).importing.is_none());
    let summary = inbox(&app).summary.clone().expect("a summary");
    assert!(summary.line.contains("3 个文件"), "{}", summary.line);
    assert!(summary.line.contains("待分拣 2 页"), "{}", summary.line);
    assert!(summary.line.contains("未导入 1 个文件"), "{}", summary.line);
    assert_eq!(summary.refusals.len(), 1);
    assert!(summary.refusals[0].contains("page-3.png：文件是空的"), "{:?}", summary.refusals);
    assert!(shows(&app, "文件是空的"));
    assert_eq!(inbox(&app).pages.len(), 2, "the new pages are in the list");
    assert_eq!(lib.count("SELECT count(*) FROM files WHERE origin = 'import'"), 2);

    // A path that is not there is said so, nothing imported.
    act(&mut app, |ui| {
        ui.click(id(inbox::IMPORT_PATH_ID)).unwrap();
        ui.typewrite("/nope");
    });
    send(&mut app, inbox::Message::Import);
    assert!(shows(&app, "找不到"), "{:?}", inbox(&app).error);
}

#[test]
fn cancel_stops_the_import_before_the_next_file() {
    let lib = Lib::new();
    let dir = lib.dir.path().join("batch");
    scans(&dir, 3);
    let mut app = logged_in(&lib);
    nav(&mut app, Nav::Inbox);
    send(&mut app, inbox::Message::ImportPath(dir.display().to_string()));

    // The session is held while the import starts and 取消 is pressed, so the worker cannot
    // have finished a file before the clerk cancels.
    let backend = shell(&app).backend.clone();
    let task = backend
        .now(|_| {
            let t = app.update(Message::Main(shell::Message::Inbox(inbox::Message::Import)));
            act(&mut app, |ui| {
                ui.click(id(inbox::CANCEL_ID)).unwrap();
            });
            t
        })
        .unwrap();
    assert!(inbox(&app).importing.as_ref().is_some_and(|i| i.cancelling));
    assert!(shows(&app, "正在取消"));
    drain(&mut app, task);

    let summary = inbox(&app).summary.clone().expect("a summary");
    assert!(summary.line.contains("已取消：处理了 1 / 3 个文件"), "{}", summary.line);
    assert_eq!(lib.count("SELECT count(*) FROM files"), 1, "the files after the current one stay out");
    assert_eq!(inbox(&app).pages.len(), 1);
}

#[test]
fn the_workbench_counts_unscanned_dossiers_and_inbox_pages_and_opens_their_lists() {
    let lib = Lib::new();
    let late = lib.add_customer(&["--name", "欧阳娜娜"]);
    lib.admin(&["doc", "add", &late, "--type", "ID"]).ok();
    let fresh = lib.add_customer(&["--name", "司马光"]);
    lib.admin(&["doc", "add", &fresh, "--type", "ID"]).ok();
    // No papers registered: nothing to scan.
    lib.add_customer(&["--name", "诸葛亮"]);
    // Registered three days ago: past the 48 hours.
    lib.sql()
        .execute(
            "UPDATE customers SET created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-3 days') WHERE dossier_no = ?1",
            [&late],
        )
        .unwrap();
    let files = scans(&lib.dir.path().join("in"), 1);
    lib.admin(&["scan", "import", files[0].to_str().unwrap()]).ok();

    let mut app = logged_in(&lib);
    nav(&mut app, Nav::Workbench);
    let u = inbox(&app).unscanned.clone().expect("counted");
    assert_eq!((u.total, u.overdue, u.warning), (2, 1, 0));
    assert_eq!(u.dossiers[0].dossier, late, "the oldest first");
    assert!(shows(&app, "待扫描档案"));
    assert!(shows(&app, "超期 1 · 预警 0"));
    assert!(shows(&app, "待分拣页面"));

    act(&mut app, |ui| {
        ui.click(id(shell::WORKBENCH_INBOX_ID)).unwrap();
    });
    assert_eq!(shell(&app).nav, Nav::Inbox);
    assert_eq!(inbox(&app).tab, Tab::Inbox);
    assert_eq!(inbox(&app).pages.len(), 1);

    nav(&mut app, Nav::Workbench);
    act(&mut app, |ui| {
        ui.click(id(shell::WORKBENCH_UNSCANNED_ID)).unwrap();
    });
    assert_eq!(inbox(&app).tab, Tab::Unscanned);
    assert!(shows(&app, "超期"));
    assert!(shows(&app, "司马光"));
    assert!(!shows(&app, "诸葛亮"));
    act(&mut app, |ui| {
        ui.click(id(inbox::unscanned_id(&late))).unwrap();
    });
    assert_eq!(shell(&app).nav, Nav::Dossiers);
    assert_eq!(shell(&app).dossier.as_ref().map(|d| d.no.clone()), Some(late));
}

#[test]
fn a_cover_sheet_that_named_the_dossier_or_the_type_fills_them_in() {
    let lib = Lib::new();
    let no = lib.add_customer(&["--name", "司马光"]);
    let closed = lib.add_customer(&["--name", "诸葛亮"]);
    lib.admin(&["customer", "close", &closed]).ok();
    let dir = lib.dir.path().join("covers");
    std::fs::create_dir_all(&dir).unwrap();
    // Our own cover sheets, as PDF: one with no type (the pages wait for one), one with a
    // type for a closed dossier (the pages cannot go there).
    let no_type = dir.join("no-type.pdf");
    let typed = dir.join("typed.pdf");
    lib.admin(&["labels", "cover", &no, "--stock", "a4-full", "--out", no_type.to_str().unwrap()]).ok();
    lib.admin(&[
        "labels",
        "cover",
        &closed,
        "--type",
        "ID",
        "--stock",
        "a4-full",
        "--out",
        typed.to_str().unwrap(),
    ])
    .ok();
    lib.admin(&["scan", "import", no_type.to_str().unwrap(), typed.to_str().unwrap()]).ok();

    let mut app = logged_in(&lib);
    nav(&mut app, Nav::Inbox);
    let pages = inbox(&app).pages.clone();
    assert_eq!(pages.len(), 2, "{pages:?}");
    assert!(shows(&app, &format!("封面指明档案 {no}，但未指明文件类型")));
    assert!(shows(&app, &format!("封面上的档案 {closed}|ID 已结档")));

    // The closed dossier's sheet: the type is filled in, not the dossier.
    act(&mut app, |ui| {
        ui.click(id(inbox::page_id(pages[1].id))).unwrap();
    });
    assert_eq!(inbox(&app).doc_type.as_ref().map(|t| t.code.as_str()), Some("ID"));
    assert_eq!(inbox(&app).chosen, None);
    assert!(inbox(&app).dossier_query.is_empty());
    send(&mut app, inbox::Message::SelectNone);

    // The sheet with no type: its dossier is chosen (found by the app's search).
    act(&mut app, |ui| {
        ui.click(id(inbox::page_id(pages[0].id))).unwrap();
    });
    assert_eq!(inbox(&app).chosen, Some((no.clone(), "司马光".to_string())));
    act(&mut app, |ui| {
        ui.click(id(inbox::FILE_ID)).unwrap();
    });
    let filed = lib.json(&["scan", "pages", &no]);
    assert_eq!(filed["pages"].as_array().unwrap().len(), 1, "{filed}");
    assert_eq!(inbox(&app).pages.len(), 1);
}

#[test]
fn the_hot_folder_needs_a_folder_is_saved_with_the_preferences_and_polls_one_at_a_time() {
    use dangan::gui::backend::Backend;
    use dangan::gui::prefs::HotFolderPrefs;
    use dangan::i18n::Tr;

    let lib = Lib::new();
    let dir = lib.dir.path().join("hot");
    std::fs::create_dir_all(&dir).unwrap();
    let session = dangan::core::Library::open(&lib.path, dangan::core::Access::Write)
        .unwrap()
        .login("admin", ADMIN_PW, "test")
        .unwrap();
    let backend = Backend::new(session, Language::Chinese);
    let tr = Tr::new(Language::Chinese);
    let mut ib = inbox::Inbox::new(true, HotFolderPrefs::default());

    assert!(matches!(ib.update(inbox::Message::HotToggle(true), &backend, &tr), inbox::Action::None));
    assert!(!ib.hot.on);
    assert!(ib.hot_error.as_deref().is_some_and(|e| e.contains("请先填写要监视的文件夹")));
    assert!(matches!(ib.update(inbox::Message::HotTick, &backend, &tr), inbox::Action::None), "off: no poll");

    let d = dir.display().to_string();
    match ib.update(inbox::Message::HotDir(d.clone()), &backend, &tr) {
        inbox::Action::SaveHot(h) => assert_eq!(h, HotFolderPrefs { dir: d.clone(), on: false }),
        a => panic!("{a:?}"),
    }
    match ib.update(inbox::Message::HotToggle(true), &backend, &tr) {
        inbox::Action::SaveHot(h) => assert_eq!(h, HotFolderPrefs { dir: d.clone(), on: true }),
        a => panic!("{a:?}"),
    }
    assert!(ib.hot_error.is_none());
    assert!(matches!(ib.update(inbox::Message::HotTick, &backend, &tr), inbox::Action::Task(_)), "a poll");
    assert!(
        matches!(ib.update(inbox::Message::HotTick, &backend, &tr), inbox::Action::None),
        "the next tick waits for the poll on its way"
    );

    // The app hands the saved setting to the screen after login.
    let prefs = Prefs { hot_folder: HotFolderPrefs { dir: d.clone(), on: true }, ..Prefs::default() };
    let mut app = App::new(lib.path.clone(), prefs);
    log_in(&mut app, "admin", ADMIN_PW);
    assert_eq!(inbox(&app).hot, HotFolderPrefs { dir: d, on: true });
}

#[test]
fn the_hot_folder_on_in_the_app_imports_a_finished_file_and_moves_it_to_done() {
    let lib = Lib::new();
    let dir = lib.dir.path().join("scanner");
    std::fs::create_dir_all(&dir).unwrap();
    let prefs = Prefs {
        language: Language::Chinese,
        hot_folder: dangan::gui::prefs::HotFolderPrefs { dir: dir.display().to_string(), on: true },
        ..Prefs::default()
    };
    let mut app = App::new(lib.path.clone(), prefs);
    log_in(&mut app, "admin", ADMIN_PW);
    page_png(&dir.join("scan-001.png"), 3);
    // The first look sees the file still settling; a look after the settle time takes it.
    send(&mut app, inbox::Message::HotTick);
    assert!(dir.join("scan-001.png").exists(), "not taken before it has settled");
    std::thread::sleep(std::time::Duration::from_millis(2300));
    send(&mut app, inbox::Message::HotTick);
    assert!(dir.join("done").join("scan-001.png").exists(), "imported and moved to done/");
    nav(&mut app, Nav::Inbox);
    assert!(shows(&app, "已导入 scan-001.png"), "{:?}", inbox(&app).events);
    assert_eq!(inbox(&app).total, 1, "its page waits in the inbox (no cover sheet)");
    // A file that is not a scan goes to failed/ with the reason in Chinese beside it.
    std::fs::write(dir.join("note.jpg"), b"not a picture").unwrap();
    send(&mut app, inbox::Message::HotTick);
    std::thread::sleep(std::time::Duration::from_millis(2300));
    send(&mut app, inbox::Message::HotTick);
    let reason = std::fs::read_to_string(dir.join("failed").join("note.jpg.reason.txt")).unwrap();
    assert!(reason.contains("不是 JPEG、PNG、TIFF 或 PDF"), "{reason}");
}
