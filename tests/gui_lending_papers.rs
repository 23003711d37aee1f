//! The desk's papers from the 借阅 screen (issue 11), headless through `iced_test`: the 打印借阅单
//! action of a lent line, the borrower's 打印本次借阅单 and a list row's slip write PDFs that
//! read back (`pdftotext`) with the dossier number and the borrower; 打印催还通知单 with nothing
//! overdue writes no file and says so, with a borrower at the desk prints only theirs; the
//! 借阅登记簿 CSV has one row per loan of the period; an unwritable place is said in English.
//!
//! The buttons are clicked for real; the message a click produces asks for the save dialog
//! (no path), and the test sends it again with a path, as the dialog would answer.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod guikit;
mod util;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use dangan::core::loans::{LendSpec, NewBorrowerSpec, RegisterFormat};
use dangan::core::{Access, Library, Session};
use dangan::gui::lending::{self, Paper, Place, Tab};
use dangan::gui::prefs::Prefs;
use dangan::gui::shell::{self, Nav};
use dangan::gui::{App, KeyInput, Message, Screen};
use dangan::i18n::Language;
use guikit::{drain, log_in, shows, ui};
use iced_test::selector::id;
use util::{ADMIN_PW, Lib};

fn session(lib: &Lib) -> Session {
    Library::open(&lib.path, Access::Write).unwrap().login("admin", ADMIN_PW, "test").unwrap()
}

fn borrower(lib: &Lib, name: &str, dept: &str) -> String {
    let mut s = session(lib);
    s.add_borrower(&NewBorrowerSpec { name: name.into(), dept: dept.into(), ..Default::default() })
        .unwrap()
        .code
}

fn lend(lib: &Lib, item: &str, to: &str) {
    session(lib).lend(&LendSpec { item: item.into(), borrower: to.into(), ..Default::default() }).unwrap();
}

fn shell(app: &App) -> &shell::Shell {
    let Screen::Main(s) = &app.screen else { panic!("not logged in") };
    s
}

fn send(app: &mut App, m: lending::Message) {
    let t = app.update(Message::Main(shell::Message::Lending(m)));
    drain(app, t);
}

fn desk(lib: &Lib, language: Language) -> App {
    let mut app = App::new(lib.path.clone(), Prefs { language, ..Prefs::default() });
    log_in(&mut app, "admin", ADMIN_PW);
    assert!(matches!(app.screen, Screen::Main(_)), "logged in");
    let t = app.update(Message::Main(shell::Message::Nav(Nav::Lending)));
    drain(&mut app, t);
    app
}

/// A scanner's burst: the keys 5 ms apart, then Enter.
fn scan(app: &mut App, code: &str, clock: &mut Instant) {
    *clock += Duration::from_secs(1);
    for c in code.chars() {
        *clock += Duration::from_millis(5);
        let t = app.key(KeyInput::Char(c), *clock);
        drain(app, t);
    }
    *clock += Duration::from_millis(5);
    let t = app.key(KeyInput::Enter, *clock);
    drain(app, t);
}

/// Clicks the control `target` and answers its save dialog with `path`: the paper the click
/// asked for, and where its note is shown.
fn print_via(app: &mut App, target: &str, path: &Path) -> (Paper, Place) {
    let messages: Vec<Message> = {
        let mut ui = ui(app);
        ui.click(id(target.to_string())).unwrap_or_else(|_| panic!("{target} is on screen"));
        ui.into_messages().collect()
    };
    let asked = messages.into_iter().find_map(|m| match m {
        Message::Main(shell::Message::Lending(lending::Message::Print(paper, place, None))) => {
            Some((paper, place))
        }
        _ => None,
    });
    let (paper, place) = asked.unwrap_or_else(|| panic!("{target} asks for a paper (and its file)"));
    send(app, lending::Message::Print(paper.clone(), place, Some(path.to_path_buf())));
    (paper, place)
}

fn pdf_text(pdf: &Path) -> String {
    let out =
        Command::new("pdftotext").arg("-layout").arg(pdf).arg("-").output().expect("pdftotext is installed");
    assert!(out.status.success(), "pdftotext: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn out(lib: &Lib, name: &str) -> PathBuf {
    lib.dir.path().join(name)
}

#[test]
fn the_slip_action_of_a_lent_line_writes_a_pdf_with_the_dossier_number_and_the_borrower() {
    let lib = Lib::new();
    let card = borrower(&lib, "周瑜", "营销部");
    let no = lib.add_customer(&["--name", "欧阳娜娜"]);
    let other = lib.add_customer(&["--name", "张伟"]);
    let mut app = desk(&lib, Language::Chinese);
    let mut clock = Instant::now();
    scan(&mut app, &card, &mut clock);
    scan(&mut app, &no, &mut clock);
    let line = shell(&app).lending.log[0].clone();
    assert!(line.ok && line.text.contains(&no), "{line:?}");
    let loan = line.slip.expect("a lent line offers its slip");

    let pdf = out(&lib, "slip.pdf");
    let (paper, place) = print_via(&mut app, &lending::log_slip_id(loan), &pdf);
    assert_eq!(paper, Paper::Slips { loans: vec![loan], items: vec![] });
    assert_eq!(place, Place::Log);
    let text = pdf_text(&pdf);
    assert!(
        text.contains(&no) && text.contains("周瑜"),
        "the slip names the dossier and the borrower:\n{text}"
    );
    assert!(text.contains("欧阳娜娜"), "and the dossier's name:\n{text}");
    assert!(shows(&app, "已保存 1 张借阅单"), "the desk says where it went");

    // The borrower's turn: both items on one PDF.
    scan(&mut app, &other, &mut clock);
    assert_eq!(shell(&app).lending.turn.len(), 2);
    assert!(shows(&app, "打印本次借阅单（2 件）"));
    let both = out(&lib, "turn.pdf");
    let (_, place) = print_via(&mut app, lending::TURN_SLIPS_ID, &both);
    assert_eq!(place, Place::Turn);
    let text = pdf_text(&both);
    assert!(text.contains(&no) && text.contains(&other), "both slips:\n{text}");
    assert!(shows(&app, "已保存 2 张借阅单"));

    // The turn ends: nothing left to print for it.
    send(&mut app, lending::Message::EndTurn);
    assert!(shell(&app).lending.turn.is_empty());
    assert!(!shows(&app, "打印本次借阅单"));

    // A row of the current loans has its slip too.
    send(&mut app, lending::Message::Tab(Tab::Current));
    let row = out(&lib, "row.pdf");
    let (_, place) = print_via(&mut app, &lending::slip_id(&other), &row);
    assert_eq!(place, Place::List);
    let text = pdf_text(&row);
    assert!(text.contains(&other) && text.contains("周瑜") && !text.contains(&no), "{text}");
}

#[test]
fn the_reminder_button_with_nothing_overdue_writes_no_file_and_says_so() {
    let lib = Lib::new();
    let card = borrower(&lib, "周瑜", "营销部");
    let no = lib.add_customer(&["--name", "欧阳娜娜"]);
    lend(&lib, &no, &card);
    let mut app = desk(&lib, Language::Chinese);
    send(&mut app, lending::Message::Tab(Tab::Overdue));
    let pdf = out(&lib, "remind.pdf");
    let (paper, _) = print_via(&mut app, lending::REMIND_ID, &pdf);
    assert_eq!(paper, Paper::Reminders { borrower: None });
    assert!(!pdf.exists(), "no file for nothing overdue");
    assert!(shows(&app, "没有超期未还的借阅，无需催还"), "the desk says so");
    assert!(!shell(&app).lending.papers.busy);
}

#[test]
fn reminders_with_a_borrower_at_the_desk_print_only_theirs() {
    let lib = Lib::new();
    let zhou = borrower(&lib, "周瑜", "营销部");
    let wang = borrower(&lib, "王芳", "客服中心");
    let a = lib.add_customer(&["--name", "欧阳娜娜"]);
    let b = lib.add_customer(&["--name", "张伟"]);
    lend(&lib, &a, &zhou);
    lend(&lib, &b, &wang);
    lib.sql().execute("UPDATE loans SET due = '2020-03-02'", []).unwrap();
    let mut app = desk(&lib, Language::Chinese);
    send(&mut app, lending::Message::Tab(Tab::Overdue));
    let all = out(&lib, "all.pdf");
    print_via(&mut app, lending::REMIND_ID, &all);
    let text = pdf_text(&all);
    assert!(text.contains("周瑜") && text.contains("王芳"), "everyone overdue:\n{text}");
    assert!(shows(&app, "已保存 2 位借阅人的催还通知单"));

    let mut clock = Instant::now();
    scan(&mut app, &wang, &mut clock);
    assert!(shows(&app, "打印王芳（客服中心）的催还通知单"), "the button says whose");
    let one = out(&lib, "one.pdf");
    let (paper, _) = print_via(&mut app, lending::REMIND_ID, &one);
    assert_eq!(paper, Paper::Reminders { borrower: Some(wang.clone()) });
    let text = pdf_text(&one);
    assert!(text.contains("王芳") && text.contains(&b), "{text}");
    assert!(!text.contains("周瑜") && !text.contains(&a), "only the borrower at the desk:\n{text}");
    // Everyone's are still one click away.
    let again = out(&lib, "again.pdf");
    let (paper, _) = print_via(&mut app, lending::REMIND_ALL_ID, &again);
    assert_eq!(paper, Paper::Reminders { borrower: None });
    let text = pdf_text(&again);
    assert!(text.contains("周瑜") && text.contains("王芳"), "{text}");
}

#[test]
fn the_register_csv_export_has_one_row_per_loan_of_the_period() {
    let lib = Lib::new();
    let card = borrower(&lib, "周瑜", "营销部");
    let nos: Vec<String> =
        ["欧阳娜娜", "张伟", "王芳", "李娜"].iter().map(|n| lib.add_customer(&["--name", n])).collect();
    for no in &nos {
        lend(&lib, no, &card);
    }
    session(&lib)
        .return_item(&dangan::core::loans::ReturnSpec { item: nos[1].clone(), ..Default::default() })
        .unwrap();
    // One loan made long before the period.
    lib.sql()
        .execute(
            "UPDATE loans SET lent_at = '2020-01-10T02:00:00Z' WHERE customer_id = \
             (SELECT id FROM customers WHERE dossier_no = ?1)",
            [&nos[3]],
        )
        .unwrap();
    let mut app = desk(&lib, Language::Chinese);
    send(&mut app, lending::Message::Tab(Tab::Register));
    let (from, to) = {
        let p = &shell(&app).lending.papers;
        (p.from.clone(), p.to.clone())
    };
    assert!(from.ends_with("-01") && from.len() == 10 && to >= from, "this month by default: {from}..{to}");
    let csv = out(&lib, "register.csv");
    let (paper, place) = print_via(&mut app, lending::REGISTER_CSV_ID, &csv);
    assert_eq!(paper, Paper::Register { from, to, format: RegisterFormat::Csv });
    assert_eq!(place, Place::Register);
    let bytes = std::fs::read(&csv).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    let rows: Vec<&str> = text.trim_start_matches('\u{feff}').lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(rows.len(), 1 + 3, "a header and the three loans of this month:\n{text}");
    for no in &nos[..3] {
        assert_eq!(rows.iter().filter(|r| r.contains(no.as_str())).count(), 1, "{no}: {text}");
    }
    assert!(!text.contains(&nos[3]), "the old loan is not in this month's register");
    assert!(shows(&app, "已导出借阅登记簿（3 条借阅）"));

    // The PDF of a period the clerk typed.
    send(&mut app, lending::Message::RegisterFrom("2020-01-01".into()));
    let pdf = out(&lib, "register.pdf");
    print_via(&mut app, lending::REGISTER_PDF_ID, &pdf);
    let text = pdf_text(&pdf);
    assert!(nos.iter().all(|n| text.contains(n.as_str())), "all four since 2020:\n{text}");
    // Oldest first by when it was lent, though its loan number is the newest.
    let at = |n: &String| text.find(n.as_str()).unwrap();
    assert!(at(&nos[3]) < at(&nos[0]), "the 2020 loan heads the register:\n{text}");
    assert!(shows(&app, "（4 条借阅）"));
}

#[test]
fn a_slip_to_a_folder_that_does_not_exist_is_refused_in_english_and_nothing_is_written() {
    let lib = Lib::new();
    let card = borrower(&lib, "周瑜", "营销部");
    let no = lib.add_customer(&["--name", "欧阳娜娜"]);
    lend(&lib, &no, &card);
    let mut app = desk(&lib, Language::English);
    send(&mut app, lending::Message::Tab(Tab::Current));
    let missing = out(&lib, "no-such-folder/slip.pdf");
    print_via(&mut app, &lending::slip_id(&no), &missing);
    assert!(!missing.exists());
    let note = shell(&app).lending.papers.note.clone().expect("a note");
    assert!(!note.ok && note.place == Place::List, "{note:?}");
    assert!(shows(&app, "Could not write"), "said in English: {note:?}");
    assert!(!shows(&app, "无法写入"));
    // A bad period is said next to the register's buttons.
    send(&mut app, lending::Message::Tab(Tab::Register));
    send(&mut app, lending::Message::RegisterFrom("2026-13-01".into()));
    let csv = out(&lib, "bad.csv");
    print_via(&mut app, lending::REGISTER_CSV_ID, &csv);
    assert!(!csv.exists());
    let note = shell(&app).lending.papers.note.clone().expect("a note");
    assert!(!note.ok && note.place == Place::Register, "{note:?}");
}

#[test]
fn no_file_chosen_in_the_save_dialog_writes_nothing_and_offers_the_documents_folder() {
    use iced::futures::StreamExt;
    use iced_test::runtime as iced_runtime;
    let lib = Lib::new();
    let card = borrower(&lib, "周瑜", "营销部");
    let no = lib.add_customer(&["--name", "欧阳娜娜"]);
    lend(&lib, &no, &card);
    let mut app = desk(&lib, Language::Chinese);
    send(&mut app, lending::Message::Tab(Tab::Current));
    // The click renders the slip, then asks for a file: the render is run, the dialog is not
    // (the desktop may have none to show, or the clerk cancels it).
    let task = app.update(Message::Main(shell::Message::Lending(lending::Message::Print(
        Paper::Slips { loans: vec![], items: vec![no.clone()] },
        Place::List,
        None,
    ))));
    assert!(shell(&app).lending.papers.busy, "the paper buttons wait");
    let stream = iced_runtime::task::into_stream(task).expect("the render runs off the UI thread");
    for action in iced::futures::executor::block_on(stream.collect::<Vec<_>>()) {
        if let iced_runtime::Action::Output(m) = action {
            let _dialog = app.update(m);
        }
    }
    send(&mut app, lending::Message::PaperChosen(None));
    let note = shell(&app).lending.papers.note.clone().expect("a note");
    assert!(!note.ok && note.saved.is_none(), "{note:?}");
    assert!(shows(&app, "没有选择保存位置，文件未保存"), "{note:?}");
    let offer = note.offer.expect("the documents folder is offered");
    let name = offer.file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with("借阅单-") && name.ends_with(".pdf") && name.contains(&no), "{name}");
    assert!(ui(&app).find(id(lending::SAVE_OFFERED_ID)).is_ok(), "the offer is a button");
    assert!(!shell(&app).lending.papers.busy, "the buttons work again");
}
