//! The label panel, headless through `iced_test`: opened from a scanned box and from a
//! dossier, it previews exactly what prints, refuses a start position the sheet does not have,
//! and saves a PDF whose barcode a real reader (`zbarimg` on a `pdftoppm` render) reads back.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod guikit;
mod util;

use std::process::Command;

use dangan::core::labels::LabelKind;
use dangan::gui::prefs::Prefs;
use dangan::gui::shell;
use dangan::gui::{App, Message, Screen, print};
use dangan::i18n::Language;
use guikit::{act, drain, log_in, shows};
use iced_test::selector::id;
use util::{ADMIN_PW, Lib};

fn shell(app: &App) -> &shell::Shell {
    let Screen::Main(s) = &app.screen else { panic!("not logged in") };
    s
}

fn send(app: &mut App, m: shell::Message) {
    let t = app.update(Message::Main(m));
    drain(app, t);
}

fn logged_in(lib: &Lib, language: Language) -> App {
    let mut app = App::new(lib.path.clone(), Prefs { language, ..Prefs::default() });
    log_in(&mut app, "admin", ADMIN_PW);
    assert!(matches!(app.screen, Screen::Main(_)), "logged in");
    app
}

fn decode(pdf: &std::path::Path) -> String {
    let prefix = pdf.with_extension("");
    let out = Command::new("pdftoppm")
        .args(["-r", "200", "-gray", "-png", "-f", "1", "-l", "1"])
        .arg(pdf)
        .arg(&prefix)
        .output()
        .expect("pdftoppm");
    assert!(out.status.success());
    let png = std::fs::read_dir(pdf.parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "png"))
        .expect("a rendered page");
    let out = Command::new("zbarimg").args(["-q", "--raw"]).arg(&png).output().expect("zbarimg");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_scanned_box_s_spine_label_is_previewed_and_saved_as_a_pdf_that_scans() {
    let lib = Lib::new();
    lib.admin(&["location", "add", "档案室A/1排/3列/2层"]).ok();
    let code =
        lib.json(&["box", "add", "--location", "档案室A/1排/3列/2层"])["code"].as_str().unwrap().to_string();
    let mut app = logged_in(&lib, Language::Chinese);
    send(&mut app, shell::Message::Scanned(code.clone()));
    assert!(shows(&app, &code), "the scanned box is shown");
    act(&mut app, |ui| {
        ui.click("盒脊标签").unwrap();
    });
    let p = shell(&app).print.as_ref().expect("the label panel is open");
    assert_eq!(p.kind, LabelKind::BoxSpine);
    assert_eq!(p.labels, 1, "the preview was made: {:?}", p.error);
    assert_eq!(p.stock.as_deref(), Some("spine-40"));
    assert!(shows(&app, "打印盒脊标签"));
    assert!(shows(&app, "共 1 张标签"));

    // A start position the strip sheet does not have (4 strips a sheet) is refused, in words.
    act(&mut app, |ui| {
        ui.click(id(print::START_ID)).unwrap();
        ui.typewrite("9");
    });
    let p = shell(&app).print.as_ref().unwrap();
    assert_eq!(p.start, "19");
    assert!(p.error.as_deref().is_some_and(|e| e.contains("19")), "{:?}", p.error);
    assert_eq!(p.labels, 0);

    // Back to the first position; save where the clerk typed.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("盒脊.pdf");
    let t = app.update(Message::Main(shell::Message::Print(print::Message::Start("1".into()))));
    drain(&mut app, t);
    let t = app.update(Message::Main(shell::Message::Print(print::Message::Path(out.display().to_string()))));
    drain(&mut app, t);
    act(&mut app, |ui| {
        ui.click("保存 PDF").unwrap();
    });
    let p = shell(&app).print.as_ref().unwrap();
    assert_eq!(p.saved.as_deref(), Some(out.as_path()), "{:?}", p.error);
    assert!(decode(&out).contains(&code), "the saved spine label scans back to {code}");
    act(&mut app, |ui| {
        ui.click("关闭").unwrap();
    });
    assert!(shell(&app).print.is_none());
}

#[test]
fn a_dossier_s_cover_sheet_prints_on_a4_and_a_bad_place_to_save_says_so_in_english() {
    let lib = Lib::new();
    let no = lib.add_customer(&["--name", "欧阳娜娜"]);
    let mut app = logged_in(&lib, Language::English);
    send(&mut app, shell::Message::Scanned(no.clone()));
    act(&mut app, |ui| {
        ui.click("cover sheets").unwrap();
    });
    let p = shell(&app).print.as_ref().expect("the label panel is open");
    assert_eq!(p.kind, LabelKind::Cover);
    assert_eq!(p.stock.as_deref(), Some("a4-full"));
    assert_eq!(p.labels, 1, "{:?}", p.error);
    let missing = std::env::temp_dir().join("no-such-folder-dangan").join("x.pdf");
    let t =
        app.update(Message::Main(shell::Message::Print(print::Message::Path(missing.display().to_string()))));
    drain(&mut app, t);
    act(&mut app, |ui| {
        ui.click("Save PDF").unwrap();
    });
    let p = shell(&app).print.as_ref().unwrap();
    assert!(p.saved.is_none());
    assert!(p.error.as_deref().is_some_and(|e| e.contains("Could not write")), "{:?}", p.error);
    assert!(!missing.exists());
}
