//! 导出 on the dossier list, headless through `iced_test`: the list's filters, or a search's
//! results, go to the file chosen; the outcome is shown on the list.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod guikit;
mod util;

use dangan::gui::prefs::Prefs;
use dangan::gui::shell;
use dangan::gui::{App, Message, Screen, dossiers};
use dangan::i18n::Language;
use guikit::{drain, log_in, shows};
use util::{ADMIN_PW, Lib};

fn send(app: &mut App, m: shell::Message) {
    let t = app.update(Message::Main(m));
    drain(app, t);
}

fn list(app: &mut App, m: dossiers::Message) {
    send(app, shell::Message::Dossiers(m));
}

fn lines(path: &std::path::Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .trim_start_matches('\u{feff}')
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn the_list_exports_what_it_shows() {
    let lib = Lib::new();
    lib.add_customer(&["--name", "欧阳明", "--grade", "important"]);
    lib.add_customer(&["--name", "欧阳华"]);
    lib.add_customer(&["--name", "李四"]);
    let mut app = App::new(lib.path.clone(), Prefs { language: Language::Chinese, ..Prefs::default() });
    log_in(&mut app, "admin", ADMIN_PW);
    assert!(matches!(app.screen, Screen::Main(_)));
    assert!(shows(&app, "导出"), "the button is on the list");

    // The whole list (no search): every customer.
    let all = lib.dir.path().join("all.csv");
    list(&mut app, dossiers::Message::ExportTo(Some(all.clone())));
    assert_eq!(lines(&all).len(), 4, "{:?}", lines(&all));
    assert!(shows(&app, "已导出 3 行"), "the outcome is shown");

    // A search: only its hits.
    list(&mut app, dossiers::Message::Query("欧阳".into()));
    let Screen::Main(s) = &app.screen else { panic!() };
    assert_eq!(s.dossiers.rows.len(), 2, "the search shows two");
    let hits = lib.dir.path().join("hits.csv");
    list(&mut app, dossiers::Message::ExportTo(Some(hits.clone())));
    let got = lines(&hits);
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(got.iter().skip(1).all(|l| l.contains("欧阳")), "{got:?}");
}

#[test]
fn the_loan_list_exports_what_it_shows() {
    use dangan::gui::lending;
    let lib = Lib::new();
    let a = lib.add_customer(&["--name", "借出客户"]);
    lib.add_customer(&["--name", "在架客户"]);
    lib.admin(&["borrower", "add", "王借阅", "--dept", "营业厅"]).ok();
    lib.admin(&["loan", "out", &a, "--to", "王借阅", "--days", "5"]).ok();
    let mut app = App::new(lib.path.clone(), Prefs { language: Language::English, ..Prefs::default() });
    log_in(&mut app, "admin", ADMIN_PW);
    send(&mut app, shell::Message::Nav(shell::Nav::Lending));
    assert!(shows(&app, "Export"), "the button is on the loan list");
    let out = lib.dir.path().join("out.csv");
    send(&mut app, shell::Message::Lending(lending::Message::ExportList(Some(out.clone()))));
    let got = lines(&out);
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(got[1].contains(&a) && got[1].contains("王借阅"), "{got:?}");
    assert!(shows(&app, "Exported 1 rows"), "the outcome is shown");
}
