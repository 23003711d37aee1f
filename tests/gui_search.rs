//! The result list, headless through iced_test: a burst of keys gives one answer, for the last
//! text, and searching does not wait for the session; a new query starts at the top; the
//! selection stays on screen; the count is the true total and the clerk can go on past the
//! first page; people of the same name are told apart.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod guikit;
mod util;

use std::time::Duration;

use dangan::core::customers::NewCustomer;
use dangan::core::{Access, Library};
use dangan::gui::prefs::Prefs;
use dangan::gui::{App, KeyInput, Message, Screen, dossiers, shell};
use guikit::{drain, log_in, shows};
use iced::futures::StreamExt;
use iced_test::runtime as iced_runtime;
use util::{ADMIN_PW, Lib};

const NAMES: [&str; 6] = ["伟", "芳", "敏", "静", "强", "磊"];

/// A library with `n` customers named 张… (ten 张伟 among the first 60), and 李四.
fn library(n: usize) -> Lib {
    let lib = Lib::new();
    let mut s = Library::open(&lib.path, Access::Write).unwrap().login("admin", ADMIN_PW, "test").unwrap();
    for i in 0..n {
        s.add_customer(
            NewCustomer {
                name: format!("张{}", NAMES[i % NAMES.len()]),
                phones: vec![format!("139{:08}", 1000 + i)],
                address: format!("杭州市西湖区文三路{}号", i + 1),
                ..Default::default()
            },
            true,
        )
        .unwrap();
    }
    s.add_customer(NewCustomer { name: "李四".into(), ..Default::default() }, false).unwrap();
    lib
}

fn dossiers_of(app: &App) -> &dossiers::Dossiers {
    let Screen::Main(s) = &app.screen else { panic!("not logged in") };
    &s.dossiers
}

fn typed(text: &str) -> Message {
    Message::Main(shell::Message::Dossiers(dossiers::Message::Query(text.into())))
}

/// Runs a task to its end without feeding anything back; returns the messages it produced.
fn outputs(task: iced::Task<Message>) -> Vec<Message> {
    let Some(stream) = iced_runtime::task::into_stream(task) else { return Vec::new() };
    iced::futures::executor::block_on(stream.collect::<Vec<_>>())
        .into_iter()
        .filter_map(|a| match a {
            iced_runtime::Action::Output(m) => Some(m),
            _ => None,
        })
        .collect()
}

fn key(app: &mut App, k: KeyInput) {
    let t = app.update(Message::Key(k));
    drain(app, t);
}

#[test]
fn a_burst_of_keys_gives_one_answer_for_the_last_text() {
    let lib = library(12);
    let mut app = App::new(lib.path.clone(), Prefs::default());
    log_in(&mut app, "admin", ADMIN_PW);
    assert!(dossiers_of(&app).has_searcher(), "after login the list searches without the session");
    // zhangwei typed fast: every key sends its query before any answer comes back.
    let word = "zhangwei";
    let tasks: Vec<_> = (1..=word.len()).map(|n| app.update(typed(&word[..n]))).collect();
    let answers: Vec<Message> = tasks.into_iter().flat_map(outputs).collect();
    // The older requests were aborted: they answer nothing at all. One answer, with results,
    // for the last text.
    assert_eq!(answers.len(), 1, "{answers:?}");
    let searched: Vec<&Message> = answers
        .iter()
        .filter(|m| {
            matches!(m, Message::Main(shell::Message::Dossiers(dossiers::Message::Searched(_, Some(_)))))
        })
        .collect();
    assert_eq!(searched.len(), 1, "{answers:?}");
    for m in answers {
        let t = app.update(m);
        drain(&mut app, t);
    }
    let d = dossiers_of(&app);
    assert_eq!(d.shown_query, "zhangwei");
    assert!(!d.searching);
    assert_eq!(d.rows.len(), 2, "{:?}", d.rows);
    assert!(shows(&app, "共 2 条结果"));
}

#[test]
fn search_answers_while_the_session_is_busy() {
    let lib = library(3);
    let mut app = App::new(lib.path.clone(), Prefs::default());
    log_in(&mut app, "admin", ADMIN_PW);
    let Screen::Main(s) = &app.screen else { panic!() };
    let backend = s.backend.clone();
    // Another job holds the session (a long save, a rebuild) until the search has answered.
    let (started_tx, started) = std::sync::mpsc::channel();
    let (release, released) = std::sync::mpsc::channel::<()>();
    let holder = std::thread::spawn(move || {
        backend.now(|_| {
            started_tx.send(()).unwrap();
            let _ = released.recv_timeout(Duration::from_secs(60));
        })
    });
    started.recv().unwrap();
    let (answer_tx, answer) = std::sync::mpsc::channel();
    let task = app.update(typed("张伟"));
    std::thread::spawn(move || answer_tx.send(outputs(task)).unwrap());
    let got = answer.recv_timeout(Duration::from_secs(30));
    release.send(()).unwrap();
    holder.join().unwrap();
    let got = got.expect("the search waited for the session instead of answering");
    for m in got {
        let t = app.update(m);
        drain(&mut app, t);
    }
    assert_eq!(dossiers_of(&app).rows.len(), 1);
}

#[test]
fn a_new_query_starts_at_the_top_with_the_first_row_selected() {
    let lib = library(30);
    let mut app = App::new(lib.path.clone(), Prefs::default());
    log_in(&mut app, "admin", ADMIN_PW);
    let t = app.update(typed("张"));
    drain(&mut app, t);
    for _ in 0..15 {
        key(&mut app, KeyInput::Down);
    }
    let d = dossiers_of(&app);
    assert_eq!(d.selected, 15);
    assert!(d.scroll_y > 0.0, "the list scrolled down with the selection");
    let t = app.update(typed("张伟"));
    drain(&mut app, t);
    let d = dossiers_of(&app);
    assert_eq!(d.shown_query, "张伟");
    assert_eq!(d.selected, 0, "the best hit is selected");
    assert_eq!(d.scroll_y, 0.0, "the best hits are in sight");
}

#[test]
fn down_past_the_visible_rows_keeps_the_selection_on_screen_and_loads_more() {
    let lib = library(64);
    let mut app = App::new(lib.path.clone(), Prefs::default());
    log_in(&mut app, "admin", ADMIN_PW);
    let t = app.update(typed("张"));
    drain(&mut app, t);
    let d = dossiers_of(&app);
    assert_eq!((d.rows.len(), d.total), (dossiers::PAGE, 64), "a page loaded, all counted");
    assert!(shows(&app, "共 64 条结果"), "the true count, not the page's");
    for i in 1..=63 {
        key(&mut app, KeyInput::Down);
        let d = dossiers_of(&app);
        assert_eq!(d.selected, i);
        assert!(d.selected_visible(), "row {i} is off screen at scroll {}", d.scroll_y);
    }
    // Moving on past the first page loaded the rest.
    let d = dossiers_of(&app);
    assert_eq!(d.rows.len(), 64);
    assert!(!d.has_more());
    // And back up: the selection stays in sight.
    for _ in 0..40 {
        key(&mut app, KeyInput::Up);
        assert!(dossiers_of(&app).selected_visible());
    }
    assert_eq!(dossiers_of(&app).selected, 23);
}

#[test]
fn rows_of_people_with_the_same_name_are_told_apart() {
    let lib = library(12);
    let mut app = App::new(lib.path.clone(), Prefs::default());
    log_in(&mut app, "admin", ADMIN_PW);
    let t = app.update(typed("张伟"));
    drain(&mut app, t);
    // Customers 0 and 6 are both 张伟: phones 139…1000 and 139…1006, different addresses.
    assert_eq!(dossiers_of(&app).rows.len(), 2);
    assert!(shows(&app, "电话尾号 1000") && shows(&app, "电话尾号 1006"));
    assert!(shows(&app, "文三路1号") && shows(&app, "文三路7号"));
}
