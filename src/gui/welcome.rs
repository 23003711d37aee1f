//! First run: no library yet. Create one in the default place, open a folder (dialog or typed
//! path), or build the demo library with progress.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use iced::futures::channel::mpsc;
use iced::widget::{button, column, container, progress_bar, row, text, text_input};
use iced::{Element, Length, Task};

use super::i18n::Tr;
use super::theme;
use crate::core::{Library, templates};
use crate::demo::{self, DemoOptions, Stage};

/// Customers in the demo library the welcome screen offers.
pub const DEMO_CUSTOMERS: u64 = 100_000;

#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    Choose,
    Create,
    /// The demo's administrator password is chosen before it is built: a clerk who restarts
    /// the app must be able to log in again.
    DemoSetup,
    Demo {
        stage: Stage,
        done: u64,
        total: u64,
    },
}

#[derive(Debug)]
pub struct Welcome {
    pub default_path: PathBuf,
    pub mode: Mode,
    pub admin: String,
    pub password: String,
    pub password_again: String,
    /// How many customers the demo library gets ([`DEMO_CUSTOMERS`]; tests make it small).
    pub demo_customers: u64,
    pub typed_path: String,
    pub error: Option<String>,
    cancel: Arc<AtomicBool>,
}

#[derive(Debug, Clone)]
pub enum Message {
    ShowCreate,
    Back,
    Admin(String),
    Password(String),
    PasswordAgain(String),
    Create,
    Created(Result<PathBuf, String>),
    Browse,
    Browsed(Option<PathBuf>),
    TypedPath(String),
    OpenTyped,
    /// Whether the folder holds a library (checked off the UI thread).
    Checked(PathBuf, Result<bool, String>),
    /// Asks for the demo's administrator password.
    ShowDemo,
    StartDemo,
    Demo(DemoEvent),
    CancelDemo,
}

#[derive(Debug, Clone)]
pub enum DemoEvent {
    Progress(Stage, u64, u64),
    /// The library and the generated admin password.
    Done(Result<(PathBuf, String), String>),
}

/// What the app does next.
#[derive(Debug)]
pub enum Action {
    None,
    Task(Task<Message>),
    /// A library is ready at this path: log in (with this password filled in, for the demo).
    Open(PathBuf, Option<(String, String)>),
}

impl Welcome {
    pub fn new(default_path: PathBuf, error: Option<String>) -> Welcome {
        Welcome {
            typed_path: default_path.display().to_string(),
            default_path,
            mode: Mode::Choose,
            admin: "admin".into(),
            password: String::new(),
            password_again: String::new(),
            demo_customers: DEMO_CUSTOMERS,
            error,
            cancel: Arc::new(AtomicBool::new(false)),
        }
    }

    pub fn update(&mut self, message: Message, tr: &Tr) -> Action {
        match message {
            Message::ShowCreate => {
                self.error = None;
                self.mode = Mode::Create;
            }
            Message::Back => {
                self.error = None;
                self.mode = Mode::Choose;
            }
            Message::Admin(s) => self.admin = s,
            Message::Password(s) => self.password = s,
            Message::PasswordAgain(s) => self.password_again = s,
            Message::Create => {
                if let Err(key) = self.chosen_password() {
                    self.error = Some(tr.t(key));
                    return Action::None;
                }
                let (root, admin, pw) =
                    (self.default_path.clone(), self.admin.clone(), self.password.clone());
                let (language, stopped) = (tr.language, tr.t("app-work-stopped"));
                return Action::Task(super::backend::blocking(
                    move || {
                        Library::init(&root, &admin, &pw, &templates::GENERAL)
                            .map(|_| root)
                            .map_err(|e| Tr::new(language).error(&e))
                    },
                    |r| Message::Created(r.unwrap_or(Err(stopped))),
                ));
            }
            Message::Created(Ok(path)) => return Action::Open(path, None),
            Message::Created(Err(e)) => self.error = Some(e),
            Message::Browse => {
                return Action::Task(Task::perform(
                    async { rfd::AsyncFileDialog::new().pick_folder().await.map(|h| h.path().to_path_buf()) },
                    Message::Browsed,
                ));
            }
            Message::Browsed(Some(path)) => return self.open(path, tr),
            Message::Browsed(None) => {}
            Message::TypedPath(s) => self.typed_path = s,
            Message::OpenTyped => return self.open(PathBuf::from(self.typed_path.trim()), tr),
            Message::ShowDemo => {
                self.error = None;
                self.mode = Mode::DemoSetup;
            }
            Message::StartDemo => {
                if let Err(key) = self.chosen_password() {
                    self.error = Some(tr.t(key));
                    return Action::None;
                }
                self.error = None;
                self.cancel.store(false, Ordering::Relaxed);
                self.mode = Mode::Demo { stage: Stage::Customers, done: 0, total: self.demo_customers };
                return Action::Task(
                    run_demo(
                        self.default_path.clone(),
                        self.demo_customers,
                        self.password.clone(),
                        self.cancel.clone(),
                        tr,
                    )
                    .map(Message::Demo),
                );
            }
            Message::Demo(DemoEvent::Progress(stage, done, total)) => {
                if matches!(self.mode, Mode::Demo { .. }) {
                    self.mode = Mode::Demo { stage, done, total };
                }
            }
            Message::Demo(DemoEvent::Done(Ok((path, password)))) => {
                return Action::Open(path, Some(("admin".into(), password)));
            }
            Message::Demo(DemoEvent::Done(Err(e))) => {
                self.mode = Mode::DemoSetup;
                self.error = Some(e);
            }
            Message::CancelDemo => self.cancel.store(true, Ordering::Relaxed),
            Message::Checked(path, Ok(true)) => return Action::Open(path, None),
            Message::Checked(path, Ok(false)) => {
                self.error = Some(tr.ta("welcome-not-library", &[("path", &path.display().to_string())]));
            }
            Message::Checked(_, Err(e)) => self.error = Some(e),
        }
        Action::None
    }

    fn open(&mut self, path: PathBuf, tr: &Tr) -> Action {
        let checked = path.clone();
        let (language, stopped) = (tr.language, tr.t("app-work-stopped"));
        Action::Task(super::backend::blocking(
            move || Library::is_library(&checked).map_err(|e| Tr::new(language).error(&e)),
            move |r| Message::Checked(path, r.unwrap_or(Err(stopped))),
        ))
    }

    pub fn view<'a>(&'a self, tr: &Tr) -> Element<'a, Message> {
        let title = text(tr.t("welcome-title")).size(28);
        let body: Element<'a, Message> = match &self.mode {
            Mode::Choose => column![
                text(tr.t("welcome-body")),
                button(text(tr.t("welcome-create"))).on_press(Message::ShowCreate).padding([8, 16]),
                text(tr.ta("welcome-create-hint", &[("path", &self.default_path.display().to_string())]))
                    .size(13)
                    .style(theme::muted),
                button(text(tr.t("welcome-open"))).on_press(Message::Browse).padding([8, 16]),
                row![
                    text(tr.t("welcome-open-typed")).size(13),
                    text_input("", &self.typed_path)
                        .on_input(Message::TypedPath)
                        .on_submit(Message::OpenTyped),
                    button(text(tr.t("welcome-open-button"))).on_press(Message::OpenTyped),
                ]
                .spacing(8)
                .align_y(iced::Alignment::Center),
                button(text(tr.t("welcome-demo"))).on_press(Message::ShowDemo).padding([8, 16]),
                text(tr.ta("welcome-demo-hint", &[("count", &self.demo_customers.to_string())]))
                    .size(13)
                    .style(theme::muted),
            ]
            .spacing(12)
            .into(),
            Mode::Create => self.admin_form(
                tr,
                column![
                    text(tr.ta("welcome-create-hint", &[("path", &self.default_path.display().to_string())])),
                    text(tr.t("admin-name")),
                    text_input("admin", &self.admin).on_input(Message::Admin),
                ]
                .spacing(8),
                tr.t("create-button"),
                Message::Create,
            ),
            Mode::DemoSetup => self.admin_form(
                tr,
                column![
                    text(tr.ta("welcome-demo-setup", &[("path", &self.default_path.display().to_string())])),
                    text(tr.t("welcome-demo-admin")),
                ]
                .spacing(8),
                tr.t("welcome-demo-build"),
                Message::StartDemo,
            ),
            Mode::Demo { stage, done, total } => {
                let key = match stage {
                    Stage::Customers => "demo-progress",
                    Stage::Storage => "demo-filing",
                    Stage::Loans => "demo-lending",
                    Stage::Scans => "demo-scanning",
                    Stage::Index => "demo-indexing",
                };
                column![
                    text(tr.ta(key, &[("done", &done.to_string()), ("total", &total.to_string())])),
                    progress_bar(0.0..=(*total).max(1) as f32, *done as f32),
                    button(text(tr.t("stop"))).on_press(Message::CancelDemo).style(button::secondary),
                ]
                .spacing(12)
                .into()
            }
        };
        let mut content = column![title, body].spacing(20).max_width(560);
        if let Some(e) = &self.error {
            content = content.push(container(text(e.clone())).padding(10).style(theme::error_box));
        }
        container(container(content).padding(32).max_width(640).style(theme::card))
            .center(Length::Fill)
            .padding(24)
            .into()
    }
}

impl Welcome {
    /// What comes first (a hint, the admin's name), the administrator's password twice, then
    /// the button that goes on (`submit`, also on Enter in the second password) and 取消.
    fn admin_form<'a>(
        &'a self,
        tr: &Tr,
        head: iced::widget::Column<'a, Message>,
        submit_label: String,
        submit: Message,
    ) -> Element<'a, Message> {
        column![
            head,
            text(tr.t("admin-password")),
            text_input("", &self.password).secure(true).on_input(Message::Password),
            text(tr.t("admin-password-again")),
            text_input("", &self.password_again)
                .secure(true)
                .on_input(Message::PasswordAgain)
                .on_submit(submit.clone()),
            row![
                button(text(submit_label)).on_press(submit),
                button(text(tr.t("cancel"))).on_press(Message::Back).style(button::secondary),
            ]
            .spacing(8),
        ]
        .spacing(8)
        .into()
    }

    /// The typed administrator password, or the message key of what is wrong with it.
    fn chosen_password(&self) -> Result<(), &'static str> {
        if crate::core::password::check_strength(&self.password, &self.admin).is_err() {
            Err("admin-password-short")
        } else if self.password != self.password_again {
            Err("admin-password-mismatch")
        } else {
            Ok(())
        }
    }
}

/// Builds the demo library on a worker thread, reporting progress.
fn run_demo(
    root: PathBuf,
    customers: u64,
    password: String,
    cancel: Arc<AtomicBool>,
    tr: &Tr,
) -> Task<DemoEvent> {
    let language = tr.language;
    let (tx, rx) = mpsc::unbounded::<DemoEvent>();
    let spawned = std::thread::Builder::new().name("dangan-demo".into()).spawn(move || {
        let opts = DemoOptions {
            customers,
            seed: 1,
            admin: "admin".into(),
            password: password.clone(),
            batch: 5000,
        };
        let progress = tx.clone();
        let result = demo::run(&root, &opts, &cancel, move |stage, done, total| {
            let _ = progress.unbounded_send(DemoEvent::Progress(stage, done, total));
        });
        let result = result.map(|_| (root, password)).map_err(|e| Tr::new(language).error(&e));
        let _ = tx.unbounded_send(DemoEvent::Done(result));
    });
    if let Err(e) = spawned {
        tracing::error!(error = %e, "cannot start the demo thread");
        return Task::done(DemoEvent::Done(Err(tr.t("app-work-stopped"))));
    }
    Task::stream(rx)
}
