//! 统计报表, headless through `iced_test`: the screen opens on holdings with its chart and
//! table, another report is picked, a bad date is said in words, the table exports to XLSX; a
//! viewer's workload is refused in words.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod guikit;
mod util;

use dangan::core::reports::ReportKind;
use dangan::gui::prefs::Prefs;
use dangan::gui::shell::{self, Nav};
use dangan::gui::{App, Message, Screen, reports};
use dangan::i18n::Language;
use guikit::{act, drain, log_in, shows};
use util::{ADMIN_PW, Lib, USER_PW};

fn send(app: &mut App, m: shell::Message) {
    let t = app.update(Message::Main(m));
    drain(app, t);
}

fn screen(app: &App) -> &reports::Reports {
    let Screen::Main(s) = &app.screen else { panic!("not logged in") };
    &s.reports
}

#[test]
fn a_report_is_shown_as_a_chart_and_a_table_and_exported() {
    let lib = Lib::new();
    lib.add_customer(&["--name", "甲"]);
    lib.add_customer(&["--name", "乙"]);
    lib.add_customer(&["--name", "丙公司", "--category", "ORG-ENT"]);
    let mut app = App::new(lib.path.clone(), Prefs { language: Language::Chinese, ..Prefs::default() });
    log_in(&mut app, "admin", ADMIN_PW);
    act(&mut app, |ui| {
        ui.click("统计报表").unwrap();
    });
    let r = screen(&app).report.as_ref().expect("holdings loaded");
    assert_eq!(r.kind, ReportKind::Holdings);
    assert_eq!(r.rows.len(), 2);
    assert!(shows(&app, "馆藏统计"), "the title");
    assert!(shows(&app, "合计"), "the totals row");
    assert!(shows(&app, "个人客户"), "a category in the table");

    act(&mut app, |ui| {
        ui.click("齐全率").unwrap();
    });
    assert_eq!(screen(&app).report.as_ref().unwrap().kind, ReportKind::Completeness);
    assert!(shows(&app, "齐全率（%）"));

    // A date that is not one: said in words, nothing counted.
    send(&mut app, shell::Message::Reports(reports::Message::From("2026-13-40".into())));
    send(&mut app, shell::Message::Reports(reports::Message::Load));
    assert!(screen(&app).error.is_some(), "the bad date is named");
    send(&mut app, shell::Message::Reports(reports::Message::From(String::new())));
    send(&mut app, shell::Message::Reports(reports::Message::Load));
    assert!(screen(&app).error.is_none());

    let out = lib.dir.path().join("齐全率.xlsx");
    send(&mut app, shell::Message::Reports(reports::Message::Export(Some(out.clone()))));
    assert!(out.is_file(), "the file was written");
    assert!(shows(&app, "已导出到"));
}

#[test]
fn a_viewer_is_told_they_may_not_see_the_workload() {
    let lib = Lib::new();
    lib.add_user("viewer1", "viewer");
    let mut app = App::new(lib.path.clone(), Prefs { language: Language::English, ..Prefs::default() });
    log_in(&mut app, "viewer1", USER_PW);
    send(&mut app, shell::Message::Nav(Nav::Reports));
    assert!(shows(&app, "Holdings by category"));
    send(&mut app, shell::Message::Reports(reports::Message::Pick(ReportKind::Workload)));
    assert!(screen(&app).error.is_some());
    assert!(screen(&app).report.is_none());
}
