//! Log in to an open library: user name and password, checked (and audited) by the core.

use std::path::PathBuf;

use iced::widget::{button, column, container, text, text_input};
use iced::{Element, Length, Task};

use super::backend::{Backend, Failure, blocking};
use super::i18n::Tr;
use super::theme;
use crate::core::{Access, ErrorKind, Library};

pub const USER_ID: &str = "login-user";
pub const PASSWORD_ID: &str = "login-password";

#[derive(Debug)]
pub struct Login {
    pub path: PathBuf,
    pub user: String,
    pub password: String,
    pub error: Option<String>,
    pub note: Option<String>,
    pub working: bool,
}

#[derive(Debug, Clone)]
pub enum Message {
    User(String),
    Password(String),
    Submit,
    Done(Result<Backend, Failure>),
    SwitchLibrary,
}

#[derive(Debug)]
pub enum Action {
    None,
    Task(Task<Message>),
    LoggedIn(Backend),
    /// The library cannot be opened at all (locked, too new, damaged).
    Unopenable(PathBuf, String),
    SwitchLibrary,
}

impl Login {
    pub fn new(path: PathBuf, user: &str, password: &str, note: Option<String>) -> Login {
        Login { path, user: user.into(), password: password.into(), error: None, note, working: false }
    }

    pub fn update(&mut self, message: Message, tr: &Tr) -> Action {
        match message {
            Message::User(s) => self.user = s,
            Message::Password(s) => self.password = s,
            Message::Submit => {
                if self.working || self.user.trim().is_empty() {
                    return Action::None;
                }
                self.working = true;
                self.error = None;
                let (path, user, pw) =
                    (self.path.clone(), self.user.trim().to_string(), self.password.clone());
                let language = tr.language;
                return Action::Task(blocking(
                    move || {
                        let lib =
                            Library::open(&path, Access::Write).map_err(|e| Failure::new(&e, language))?;
                        lib.login(&user, &pw, "gui")
                            .map(|s| Backend::new(s, language))
                            .map_err(|e| Failure::new(&e, language))
                    },
                    move |r| {
                        Message::Done(
                            r.unwrap_or_else(|| Err(Failure::internal("app-login-stopped", language))),
                        )
                    },
                ));
            }
            Message::Done(Ok(backend)) => {
                self.working = false;
                self.password.clear();
                return Action::LoggedIn(backend);
            }
            Message::Done(Err(f)) => {
                self.working = false;
                if f.kind == ErrorKind::Denied {
                    self.error = Some(f.message);
                    self.password.clear();
                } else {
                    return Action::Unopenable(self.path.clone(), f.message);
                }
            }
            Message::SwitchLibrary => return Action::SwitchLibrary,
        }
        Action::None
    }

    pub fn view<'a>(&'a self, tr: &Tr) -> Element<'a, Message> {
        let mut form = column![
            text(tr.t("login-title")).size(28),
            text(tr.ta("login-library", &[("path", &self.path.display().to_string())]))
                .size(13)
                .style(theme::muted),
            text(tr.t("login-user")),
            text_input("", &self.user).id(USER_ID).on_input(Message::User).on_submit(Message::Submit),
            text(tr.t("login-password")),
            text_input("", &self.password)
                .id(PASSWORD_ID)
                .secure(true)
                .on_input(Message::Password)
                .on_submit(Message::Submit),
        ]
        .spacing(8)
        .max_width(420);
        let label = if self.working { tr.t("login-working") } else { tr.t("login-button") };
        form = form.push(
            button(text(label)).on_press_maybe((!self.working).then_some(Message::Submit)).padding([8, 24]),
        );
        if let Some(note) = &self.note {
            form = form.push(container(text(note.clone())).padding(10).style(theme::warning_box));
        }
        if let Some(e) = &self.error {
            form = form.push(container(text(e.clone())).padding(10).style(theme::error_box));
        }
        form = form.push(
            button(text(tr.t("switch-library")).size(13))
                .on_press(Message::SwitchLibrary)
                .style(button::text),
        );
        container(container(form).padding(32).max_width(520).style(theme::card))
            .center(Length::Fill)
            .padding(24)
            .into()
    }
}
