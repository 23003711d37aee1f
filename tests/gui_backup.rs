//! 备份 in 设置, headless through `iced_test`: 立即备份 writes a whole backup into the chosen
//! folder; a saved schedule is audited; a scheduled run that is due is taken at the shell's
//! poll, recorded, and shown; a viewer has no backup section and never takes a run.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod guikit;
mod util;

use std::path::Path;

use dangan::gui::prefs::Prefs;
use dangan::gui::shell::{self, Nav};
use dangan::gui::{App, Message, Screen, backup, settings};
use dangan::i18n::Language;
use guikit::{act, drain, log_in, shows};
use util::{ADMIN_PW, Lib, USER_PW};

fn shell(app: &App) -> &shell::Shell {
    let Screen::Main(s) = &app.screen else { panic!("not logged in") };
    s
}

fn send(app: &mut App, m: shell::Message) {
    let t = app.update(Message::Main(m));
    drain(app, t);
}

fn panel(app: &mut App, m: backup::Message) {
    send(app, shell::Message::Settings(settings::Message::Backup(m)));
}

fn logged_in(lib: &Lib, user: &str, pw: &str, language: Language) -> App {
    let mut app = App::new(lib.path.clone(), Prefs { language, ..Prefs::default() });
    log_in(&mut app, user, pw);
    assert!(matches!(app.screen, Screen::Main(_)), "logged in");
    app
}

fn backups(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|x| x == "tar")).collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn back_up_now_then_a_scheduled_run_taken_at_the_poll() {
    let lib = Lib::new();
    lib.add_customer(&["--name", "备份界面"]);
    let dir = lib.dir.path().join("备份盘");
    let mut app = logged_in(&lib, "admin", ADMIN_PW, Language::Chinese);
    send(&mut app, shell::Message::Nav(Nav::Settings));
    assert!(shows(&app, "立即备份"), "the backup section is there");
    assert!(shows(&app, "dangan restore"), "the restore command is shown");
    // The folder offered by default is in the documents folder; this test picks its own.
    panel(&mut app, backup::Message::Dir(dir.display().to_string()));
    // Not a folder yet: a backup there creates it.
    act(&mut app, |ui| {
        ui.click("立即备份").unwrap();
    });
    let made = backups(&dir);
    assert_eq!(made.len(), 1, "{made:?}");
    assert!(shows(&app, "已备份到"), "the result is shown");
    lib.admin(&["backup", "verify", made[0].to_str().unwrap()]).ok();

    // The schedule: daily at midnight, saved and audited.
    panel(&mut app, backup::Message::Enabled(true));
    panel(&mut app, backup::Message::At("0:00".into()));
    act(&mut app, |ui| {
        ui.click("保存计划").unwrap();
    });
    assert!(shows(&app, "备份计划已保存"), "saved");
    assert_eq!(lib.count("SELECT count(*) FROM audit_log WHERE entity = 'backup_schedule'"), 1);
    assert!(shows(&app, "下次自动备份"));
    // Just set: nothing is due before tomorrow's midnight.
    send(&mut app, shell::Message::Poll);
    assert_eq!(backups(&dir).len(), 1);

    // As if it had been set last week: today's midnight has passed, the next poll takes it.
    lib.sql()
        .execute(
            "UPDATE meta SET value = json_set(value, '$.since', '2026-01-01T00:00:00') WHERE key = 'backup.schedule'",
            [],
        )
        .unwrap();
    let App { screen: Screen::Main(s), .. } = &mut app else { panic!() };
    s.polls = 0;
    send(&mut app, shell::Message::Poll);
    let now = backups(&dir);
    assert_eq!(now.len(), 2, "the scheduled backup ran: {now:?} {:?}", shell(&app).settings.backup.feedback);
    // An increment on the first (the schedule's default).
    assert!(now.iter().any(|p| p.to_string_lossy().ends_with("-inc.tar")), "{now:?}");
    assert!(shows(&app, "上次自动备份"), "its outcome is shown");
    let last: String = lib
        .sql()
        .query_row("SELECT value FROM meta WHERE key = 'backup.last_run'", [], |r| r.get(0))
        .unwrap();
    assert!(last.contains("\"ok\":true"), "{last}");
    // Taken once: the next check finds nothing due.
    let App { screen: Screen::Main(s), .. } = &mut app else { panic!() };
    s.polls = 0;
    send(&mut app, shell::Message::Poll);
    assert_eq!(backups(&dir).len(), 2);
    assert!(shell(&app).settings.backup.running.is_none());
}

#[test]
fn a_viewer_has_no_backup_section_and_never_takes_a_scheduled_run() {
    let lib = Lib::new();
    lib.add_user("viewer1", "viewer");
    let dir = lib.dir.path().join("b");
    std::fs::create_dir(&dir).unwrap();
    lib.sql()
        .execute(
            "INSERT INTO meta (key, value) VALUES ('backup.schedule', ?1)",
            [format!(
                r#"{{"enabled":true,"every":"day","weekday":1,"at_minutes":0,"dir":"{}","keep":2,"incremental":false,"since":"2026-01-01T00:00:00"}}"#,
                dir.display()
            )],
        )
        .unwrap();
    let mut app = logged_in(&lib, "viewer1", USER_PW, Language::English);
    send(&mut app, shell::Message::Nav(Nav::Settings));
    assert!(!shows(&app, "Back up now"));
    send(&mut app, shell::Message::Poll);
    assert!(backups(&dir).is_empty());
    // An administrator's app takes it (in English).
    let mut admin = logged_in(&lib, "admin", ADMIN_PW, Language::English);
    send(&mut admin, shell::Message::Poll);
    assert_eq!(backups(&dir).len(), 1);
    send(&mut admin, shell::Message::Nav(Nav::Settings));
    assert!(shows(&admin, "Back up now"));
    assert!(shows(&admin, "Last scheduled backup"), "shown in English");
}
