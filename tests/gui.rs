//! The desktop app, headless: real flows through `iced_test`'s simulator (clicks, typing, what
//! is on screen) over a real library, with the app's tasks (login, search, saves — real worker
//! threads) run to completion and their messages fed back to `update`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod guikit;
mod util;

use dangan::core::customers::CustomerChanges;
use dangan::gui::prefs::Prefs;
use dangan::gui::{App, Message, Screen, dossiers, form, login};
use guikit::{act, drain, log_in, shows};
use iced::keyboard::key::Named;
use iced_test::selector::id;
use util::{ADMIN_PW, Lib, USER_PW, resident_id};

fn library() -> (Lib, String) {
    let lib = Lib::new();
    let no = lib.add_customer(&[
        "--name",
        "欧阳娜娜",
        "--id-number",
        &resident_id("11010519900307123"),
        "--phone",
        "13912345678",
        "--address",
        "北京市朝阳区建国路88号",
    ]);
    lib.add_customer(&["--name", "张伟", "--phone", "13800001111"]);
    (lib, no)
}

#[test]
fn log_in_with_a_wrong_then_the_right_password() {
    let (lib, _) = library();
    let mut app = App::new(lib.path.clone(), Prefs::default());
    assert!(matches!(app.screen, Screen::Login(_)));
    assert!(shows(&app, "登录"));
    log_in(&mut app, "admin", "not-the-password");
    let Screen::Login(l) = &app.screen else { panic!("a wrong password must not log in") };
    assert!(l.error.as_deref().unwrap().contains("登录失败"));
    assert!(shows(&app, "用户名或密码错误"), "the Chinese app says it in Chinese");
    assert!(l.password.is_empty(), "the wrong password is cleared");
    // The user name stays; type the right password.
    act(&mut app, |ui| {
        ui.click(id(login::PASSWORD_ID)).unwrap();
        ui.typewrite(ADMIN_PW);
        ui.tap_key(Named::Enter);
    });
    assert!(matches!(app.screen, Screen::Main(_)), "the right password logs in");
    assert!(shows(&app, "客户档案") && shows(&app, "admin（管理员）"));
    // Both attempts are in the audit log.
    assert_eq!(lib.count("SELECT count(*) FROM audit_log WHERE action = 'login_failed'"), 1);
}

#[test]
fn search_as_you_type_then_open_the_dossier() {
    let (lib, no) = library();
    let mut app = App::new(lib.path.clone(), Prefs::default());
    log_in(&mut app, "admin", ADMIN_PW);
    // The plain list shows both dossiers before any query.
    assert!(shows(&app, &no) && shows(&app, "张伟"));
    act(&mut app, |ui| {
        ui.click(id(dossiers::SEARCH_ID)).unwrap();
        ui.typewrite("欧阳");
    });
    let Screen::Main(s) = &app.screen else { panic!() };
    assert_eq!(s.dossiers.rows.len(), 1, "{:?}", s.dossiers.rows);
    assert_eq!(s.dossiers.rows[0].dossier(), no);
    assert!(shows(&app, &no) && !shows(&app, "张伟"));
    assert!(shows(&app, "共 1 条结果"));
    // Enter opens the selected result.
    act(&mut app, |ui| {
        ui.click(id(dossiers::SEARCH_ID)).unwrap();
        ui.tap_key(Named::Enter);
    });
    assert!(shows(&app, "欧阳娜娜") && shows(&app, "北京市朝阳区建国路88号"));
    assert!(shows(&app, "资料完整度 0/3"), "the checklist and its completeness show");
    assert!(shows(&app, "编辑"));
}

#[test]
fn a_bad_phone_shows_an_error_and_a_duplicate_shows_a_warning() {
    let (lib, no) = library();
    let mut app = App::new(lib.path.clone(), Prefs::default());
    log_in(&mut app, "admin", ADMIN_PW);
    act(&mut app, |ui| {
        ui.click(no.as_str()).unwrap();
    });
    act(&mut app, |ui| {
        ui.click("编辑").unwrap();
    });
    act(&mut app, |ui| {
        ui.click(id(form::PHONE_ID)).unwrap();
        ui.typewrite("99");
    });
    let Screen::Main(s) = &app.screen else { panic!() };
    let f = s.dossier.as_ref().unwrap().form.as_ref().unwrap();
    let err = app.tr.message(f.phone_error.as_ref().expect("1391234567899 is not a phone"), false);
    assert!(shows(&app, &err), "the error is on screen: {err}");
    assert!(!f.is_valid(), "save is disabled while a field is wrong");

    // A new customer with the same name and phone: warned, naming the existing dossier.
    act(&mut app, |ui| {
        ui.click("取消").unwrap();
    });
    // The form has changes: the app asks before dropping them.
    act(&mut app, |ui| {
        ui.click("放弃修改").unwrap();
    });
    act(&mut app, |ui| {
        ui.click("← 返回").unwrap();
    });
    act(&mut app, |ui| {
        ui.click("新建客户").unwrap();
    });
    act(&mut app, |ui| {
        ui.click(id(form::PHONE_ID)).unwrap();
        ui.typewrite("13912345678");
    });
    // The name field is the first input of the form.
    act(&mut app, |ui| {
        ui.tap_key(Named::Tab);
    });
    let t = app
        .update(Message::Main(dangan::gui::shell::Message::NewForm(form::Message::Name("欧阳娜娜".into()))));
    drain(&mut app, t);
    act(&mut app, |ui| {
        ui.click("保存").unwrap();
    });
    let Screen::Main(s) = &app.screen else { panic!() };
    let f = s.new_form.as_ref().expect("still on the form");
    assert_eq!(f.duplicate.as_ref().unwrap().dossier, no, "{f:?}");
    assert!(shows(&app, &format!("可能重复：{no} 欧阳娜娜")));
    assert_eq!(lib.count("SELECT count(*) FROM customers"), 2, "nothing saved yet");
    // Save anyway.
    act(&mut app, |ui| {
        ui.click("仍然保存").unwrap();
    });
    assert_eq!(lib.count("SELECT count(*) FROM customers"), 3);
}

#[test]
fn a_viewer_sees_no_edit_button_and_the_core_refuses_anyway() {
    let (lib, no) = library();
    lib.add_user("chakan", "viewer");
    let mut app = App::new(lib.path.clone(), Prefs::default());
    log_in(&mut app, "chakan", USER_PW);
    act(&mut app, |ui| {
        ui.click(no.as_str()).unwrap();
    });
    assert!(shows(&app, "欧阳娜娜"));
    assert!(!shows(&app, "编辑") && !shows(&app, "销户"), "a viewer gets no edit or close buttons");
    // Even if a message asks for it, the core refuses the change.
    let Screen::Main(s) = &app.screen else { panic!() };
    let refused = s
        .backend
        .now(|session| {
            session.edit_customer(
                &no,
                CustomerChanges { address: Some("别处".into()), ..Default::default() },
                true,
            )
        })
        .unwrap();
    let err = refused.expect_err("a viewer may not edit");
    assert_eq!(err.kind(), dangan::core::ErrorKind::Denied);
    assert_eq!(lib.count("SELECT count(*) FROM customers WHERE address = '别处'"), 0);
}

#[test]
fn stale_search_answers_are_dropped() {
    let (lib, _) = library();
    let mut app = App::new(lib.path.clone(), Prefs::default());
    log_in(&mut app, "admin", ADMIN_PW);
    // Two keystrokes: the first query's tasks come back after the second was sent.
    let Screen::Main(_) = &app.screen else { panic!() };
    let first = app
        .update(Message::Main(dangan::gui::shell::Message::Dossiers(dossiers::Message::Query("张".into()))));
    let second = app.update(Message::Main(dangan::gui::shell::Message::Dossiers(dossiers::Message::Query(
        "欧阳".into(),
    ))));
    drain(&mut app, second);
    drain(&mut app, first);
    let Screen::Main(s) = &app.screen else { panic!() };
    assert_eq!(s.dossiers.query, "欧阳");
    assert_eq!(s.dossiers.rows.len(), 1);
    assert!(matches!(&s.dossiers.rows[0], dossiers::Row::Hit(h) if h.name == "欧阳娜娜"));
}

#[test]
fn the_welcome_screen_offers_three_ways_in_and_checks_the_password() {
    let lib = Lib::empty();
    let mut app = App::new(lib.path.clone(), Prefs::default());
    assert!(matches!(app.screen, Screen::Welcome(_)));
    assert!(
        shows(&app, "在此处新建档案库") && shows(&app, "打开档案库文件夹…") && shows(&app, "试用演示档案库")
    );
    // A folder without a library is refused with a clear message.
    let elsewhere = lib.dir.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let t = app
        .update(Message::Welcome(dangan::gui::welcome::Message::TypedPath(elsewhere.display().to_string())));
    drain(&mut app, t);
    let t = app.update(Message::Welcome(dangan::gui::welcome::Message::OpenTyped));
    drain(&mut app, t);
    assert!(shows(&app, "里没有档案库"), "a folder without a library is named as such");
    act(&mut app, |ui| {
        ui.click("在此处新建档案库").unwrap();
    });
    let t = app.update(Message::Welcome(dangan::gui::welcome::Message::Password("password-one".into())));
    drain(&mut app, t);
    let t = app.update(Message::Welcome(dangan::gui::welcome::Message::PasswordAgain("password-two".into())));
    drain(&mut app, t);
    let t = app.update(Message::Welcome(dangan::gui::welcome::Message::Create));
    drain(&mut app, t);
    assert!(matches!(app.screen, Screen::Welcome(_)), "different passwords create nothing");
    assert!(!lib.db().exists());
    let t = app.update(Message::Welcome(dangan::gui::welcome::Message::PasswordAgain("password-one".into())));
    drain(&mut app, t);
    let t = app.update(Message::Welcome(dangan::gui::welcome::Message::Create));
    drain(&mut app, t);
    assert!(matches!(app.screen, Screen::Login(_)), "a created library goes to login");
    assert!(lib.db().exists());
    // The administrator's name is filled in; the password is asked for.
    act(&mut app, |ui| {
        ui.click(id(login::PASSWORD_ID)).unwrap();
        ui.typewrite("password-one");
        ui.tap_key(Named::Enter);
    });
    assert!(matches!(app.screen, Screen::Main(_)));
}

#[test]
fn an_unopenable_library_shows_the_recovery_screen() {
    let lib = Lib::empty();
    std::fs::create_dir_all(&lib.path).unwrap();
    std::fs::write(lib.db(), b"this is not a database at all, just some bytes that fill a page").unwrap();
    let app = App::new(lib.path.clone(), Prefs::default());
    assert!(matches!(app.screen, Screen::Recovery { .. }));
    assert!(shows(&app, "无法打开档案库") && shows(&app, "重试"));
}

#[test]
fn english_is_one_switch_away() {
    let (lib, _) = library();
    let mut app = App::new(
        lib.path.clone(),
        Prefs { language: dangan::gui::i18n::Language::English, ..Prefs::default() },
    );
    assert!(shows(&app, "Log in"));
    log_in(&mut app, "admin", ADMIN_PW);
    assert!(shows(&app, "Dossiers") && !shows(&app, "客户档案"));
}

#[test]
fn settings_manage_users_and_rebuild_the_index() {
    use dangan::gui::settings;
    use dangan::gui::shell::{Message as Shell, Nav};
    let (lib, _) = library();
    lib.add_user("xiaoli", "clerk");
    let mut app = App::new(lib.path.clone(), Prefs::default());
    log_in(&mut app, "admin", ADMIN_PW);
    act(&mut app, |ui| {
        ui.click("设置").unwrap();
    });
    assert!(shows(&app, "用户与角色") && shows(&app, "档案编号规则") && shows(&app, "xiaoli"));
    for m in [
        settings::Message::UserName("wangfang".into()),
        settings::Message::UserDisplay("王芳".into()),
        settings::Message::UserRole(settings::Pick { label: "查阅员".into(), code: "viewer".into() }),
        settings::Message::UserPassword("wangfang-password".into()),
        settings::Message::AddUser,
    ] {
        let t = app.update(Message::Main(Shell::Settings(m)));
        drain(&mut app, t);
    }
    assert!(shows(&app, "wangfang  王芳"), "the new user is listed");
    assert_eq!(lib.count("SELECT count(*) FROM users WHERE name = 'wangfang' AND role = 'viewer'"), 1);
    // Rebuilding the index reports progress and finishes.
    let t = app.update(Message::Main(Shell::Settings(settings::Message::Reindex)));
    drain(&mut app, t);
    assert!(shows(&app, "重建检索索引 · 已保存"));
    // A clerk sees the settings but may change nothing.
    let t = app.update(Message::Main(Shell::Logout));
    drain(&mut app, t);
    log_in(&mut app, "xiaoli", USER_PW);
    let t = app.update(Message::Main(Shell::Nav(Nav::Settings)));
    drain(&mut app, t);
    assert!(shows(&app, "只有管理员可以修改这些设置。"), "the clerk is told");
    assert!(!shows(&app, "用户与角色"), "no user management for a clerk");
}

#[test]
fn a_missing_index_is_rebuilt_after_login_with_progress() {
    let (lib, no) = library();
    std::fs::remove_dir_all(lib.path.join("index")).unwrap();
    let mut app = App::new(lib.path.clone(), Prefs::default());
    log_in(&mut app, "admin", ADMIN_PW);
    let Screen::Main(s) = &app.screen else { panic!() };
    assert_eq!(s.index, Some(dangan::core::index::IndexState::Ready), "rebuilt after login");
    assert!(s.indexing.is_none());
    assert!(shows(&app, "检索索引：最新"));
    assert!(lib.path.join("index").join("dangan-index.json").exists());
    act(&mut app, |ui| {
        ui.click(id(dossiers::SEARCH_ID)).unwrap();
        ui.typewrite("oynn");
    });
    let Screen::Main(s) = &app.screen else { panic!() };
    assert_eq!(s.dossiers.rows.first().map(|r| r.dossier()), Some(no.as_str()));
}

#[test]
fn settings_say_what_went_wrong_next_to_the_control_that_caused_it() {
    use dangan::gui::settings::{self, Section};
    use dangan::gui::shell::Message as Shell;
    let lib = Lib::utility();
    let mut app = App::new(lib.path.clone(), Prefs::default());
    log_in(&mut app, "admin", ADMIN_PW);
    act(&mut app, |ui| {
        ui.click("设置").unwrap();
    });
    let feedback = |app: &App| {
        let Screen::Main(s) = &app.screen else { panic!("not logged in") };
        s.settings.feedback.clone()
    };
    let send = |app: &mut App, m: settings::Message| {
        let t = app.update(Message::Main(Shell::Settings(m)));
        drain(app, t);
    };
    // Every control has a label: no bare "CODE", "⊘" or "YYYY".
    for bare in ["CODE", "⊘", "YYYY"] {
        assert!(!shows(&app, bare), "{bare} is shown without a label");
    }
    assert!(shows(&app, "添加类别") && shows(&app, "设为必备") && shows(&app, "编号含年份"));
    // A bad number width: the numbering section says so, and nothing is saved.
    send(&mut app, settings::Message::Width("abc".into()));
    send(&mut app, settings::Message::SaveNumbering);
    assert!(
        matches!(feedback(&app), Some((Section::Numbering, Err(e))) if e.contains("序号位数")),
        "{:?}",
        feedback(&app)
    );
    assert!(shows(&app, "序号位数应为 1 到 12 之间的整数。"));
    // A category the core refuses (a code already taken): the categories section shows it.
    for name in ["测试类别", "又一个"] {
        send(&mut app, settings::Message::CategoryCode("X1".into()));
        send(&mut app, settings::Message::CategoryName(name.into()));
        send(&mut app, settings::Message::AddCategory);
    }
    assert!(matches!(feedback(&app), Some((Section::Categories, Err(_)))), "{:?}", feedback(&app));
    // A success is confirmed in its own section.
    send(&mut app, settings::Message::CategoryCode("X2".into()));
    send(&mut app, settings::Message::CategoryName("第二类".into()));
    send(&mut app, settings::Message::AddCategory);
    assert!(matches!(feedback(&app), Some((Section::Categories, Ok(n))) if n.contains("第二类")));
    // Checklists show document types by name, not by code.
    let Screen::Main(s) = &app.screen else { panic!() };
    let config = s.settings.config.as_ref().unwrap();
    let info = config
        .categories
        .iter()
        .find(|c| !c.required.is_empty())
        .expect("the utility template has checklists");
    let code = &info.required[0];
    let name = &config.doc_types.iter().find(|d| &d.code == code).unwrap().name;
    assert!(shows(&app, name) && shows(&app, "必备："), "required papers by name");
    assert!(!shows(&app, &format!("必备：{code}")), "not by code");
}

#[test]
fn a_demo_built_from_the_welcome_screen_can_be_logged_into_after_a_restart() {
    use dangan::gui::welcome::{self, Message as W};
    let lib = Lib::empty();
    let mut app = App::new(lib.path.clone(), Prefs::default());
    let Screen::Welcome(w) = &mut app.screen else { panic!("welcome expected") };
    w.demo_customers = 300;
    act(&mut app, |ui| {
        ui.click("试用演示档案库").unwrap();
    });
    assert!(shows(&app, "请为其设置密码"), "the clerk chooses the demo's password");
    let send = |app: &mut App, m: W| {
        let t = app.update(Message::Welcome(m));
        drain(app, t);
    };
    // Too short, then two different ones: nothing is built.
    send(&mut app, W::Password("short".into()));
    send(&mut app, W::PasswordAgain("short".into()));
    send(&mut app, W::StartDemo);
    assert!(shows(&app, "密码太短"));
    send(&mut app, W::Password("demo-chosen-pw".into()));
    send(&mut app, W::StartDemo);
    assert!(shows(&app, "两次输入的密码不一致"));
    assert!(!lib.db().exists());
    send(&mut app, W::PasswordAgain("demo-chosen-pw".into()));
    send(&mut app, W::StartDemo);
    assert!(matches!(app.screen, Screen::Login(_)), "the demo is built, then the login");
    assert!(matches!(welcome::DEMO_CUSTOMERS, 100_000));
    // A restart: a new app on the same folder, nothing filled in; the chosen password works.
    let mut again = App::new(lib.path.clone(), Prefs::default());
    log_in(&mut again, "admin", "demo-chosen-pw");
    assert!(matches!(again.screen, Screen::Main(_)), "the chosen password logs in after a restart");
}
