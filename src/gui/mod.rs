//! The desktop app (iced 0.14): one module per screen, each with its state, `Message`,
//! `update` and `view`; no SQL here — every action goes through `core` on a worker thread
//! ([`backend`]). Rendering uses wgpu where a GPU works and tiny-skia otherwise (iced's
//! fallback; `ICED_BACKEND=tiny-skia` forces software).

pub mod backend;
pub mod backup;
pub mod dossier;
pub mod dossiers;
pub mod form;
pub mod inbox;
pub mod lending;
pub mod pages;
pub mod paper;
pub mod print;
pub use crate::i18n;
pub mod login;
pub mod prefs;
pub mod reports;
pub mod settings;
pub mod shell;
pub mod storage;
pub mod theme;
pub mod wedge;
pub mod welcome;

use std::path::PathBuf;
use std::time::Instant;

use iced::keyboard::{self, key::Named};
use iced::widget::{button, column, container, text};
use iced::{Element, Event, Length, Size, Subscription, Task, window};

use crate::core::Library;
use i18n::Tr;
use login::Login;
use prefs::Prefs;
use shell::Shell;
use welcome::Welcome;

pub enum Screen {
    Welcome(Welcome),
    Login(Login),
    /// The library cannot be opened: what is wrong and what to do.
    Recovery {
        path: PathBuf,
        message: String,
    },
    Main(Box<Shell>),
}

pub struct App {
    pub tr: Tr,
    pub screen: Screen,
    pub prefs: Prefs,
    /// The library this session started with (the default for "create here").
    pub location: PathBuf,
    wedge: wedge::Wedge,
    /// The preferences changed since the last save began.
    prefs_dirty: bool,
    /// A save is running: at most one at a time, the next one starts when it ends.
    prefs_saving: bool,
}

#[derive(Debug, Clone)]
pub enum Message {
    Welcome(welcome::Message),
    Login(login::Message),
    Main(shell::Message),
    Retry,
    ChooseAnother,
    Key(KeyInput),
    /// Tab / Shift+Tab: the next or previous field.
    FocusNext(bool),
    Resized(Size),
    Moved(iced::Point),
    PrefsSaved,
}

/// The key presses the app itself listens to (anywhere in the window).
#[derive(Debug, Clone, PartialEq)]
pub enum KeyInput {
    Char(char),
    Enter,
    Up,
    Down,
    Escape,
}

impl App {
    /// The first screen for the library at `location`: log in, welcome, or recovery.
    pub fn new(location: PathBuf, prefs: Prefs) -> App {
        let tr = Tr::new(prefs.language);
        let screen = Self::screen_for(&location, &tr);
        App {
            tr,
            screen,
            prefs,
            location,
            wedge: wedge::Wedge::default(),
            prefs_dirty: false,
            prefs_saving: false,
        }
    }

    /// [`App::new`], and the first field focused, so the clerk can type at once.
    pub fn boot(location: PathBuf, prefs: Prefs) -> (App, Task<Message>) {
        let app = App::new(location, prefs);
        let focus = match &app.screen {
            Screen::Login(_) => iced::widget::operation::focus(login::USER_ID),
            _ => Task::none(),
        };
        (app, focus)
    }

    fn screen_for(path: &std::path::Path, tr: &Tr) -> Screen {
        match Library::is_library(path) {
            Ok(true) => Screen::Login(Login::new(path.to_path_buf(), "", "", None)),
            Ok(false) => Screen::Welcome(Welcome::new(path.to_path_buf(), None)),
            Err(e) => Screen::Recovery { path: path.to_path_buf(), message: tr.error(&e) },
        }
    }

    pub fn title(&self) -> String {
        match &self.screen {
            Screen::Main(s) => {
                self.tr.ta("app-title-library", &[("library", &s.library.display().to_string())])
            }
            _ => self.tr.t("app-title"),
        }
    }

    pub fn update(&mut self, message: Message) -> Task<Message> {
        match message {
            Message::Welcome(m) => {
                let Screen::Welcome(w) = &mut self.screen else { return Task::none() };
                match w.update(m, &self.tr) {
                    welcome::Action::None => Task::none(),
                    welcome::Action::Task(t) => t.map(Message::Welcome),
                    welcome::Action::Open(path, creds) => {
                        let (user, pw, note) = match creds {
                            Some((u, p)) => {
                                let note = self.tr.ta("demo-password", &[("password", &p)]);
                                (u, p, Some(note))
                            }
                            None => ("admin".to_string(), String::new(), None),
                        };
                        self.screen = Screen::Login(Login::new(path, &user, &pw, note));
                        iced::widget::operation::focus(login::PASSWORD_ID)
                    }
                }
            }
            Message::Login(m) => {
                let Screen::Login(l) = &mut self.screen else { return Task::none() };
                match l.update(m, &self.tr) {
                    login::Action::None => Task::none(),
                    login::Action::Task(t) => t.map(Message::Login),
                    login::Action::LoggedIn(backend) => {
                        let (mut shell, task) = Shell::new(backend, l.path.clone(), &self.tr);
                        shell.inbox.hot = self.prefs.hot_folder.clone();
                        self.screen = Screen::Main(Box::new(shell));
                        task.map(Message::Main)
                    }
                    login::Action::Unopenable(path, message) => {
                        self.screen = Screen::Recovery { path, message };
                        Task::none()
                    }
                    login::Action::SwitchLibrary => {
                        self.screen = Screen::Welcome(Welcome::new(self.location.clone(), None));
                        Task::none()
                    }
                }
            }
            Message::Main(m) => {
                let Screen::Main(s) = &mut self.screen else { return Task::none() };
                match s.update(m, &self.tr) {
                    shell::Action::None => Task::none(),
                    shell::Action::Task(t) => t.map(Message::Main),
                    shell::Action::Logout => {
                        let path = s.library.clone();
                        self.screen = Screen::Login(Login::new(path, "", "", None));
                        Task::none()
                    }
                    shell::Action::SaveHot(h) => {
                        self.prefs.hot_folder = h;
                        self.prefs_dirty = true;
                        self.save_prefs()
                    }
                    shell::Action::Language(l) => {
                        self.tr = Tr::new(l);
                        s.backend.set_language(l);
                        s.dossiers.relabel(&self.tr);
                        self.prefs.language = l;
                        self.prefs_dirty = true;
                        self.save_prefs()
                    }
                }
            }
            Message::Retry => {
                if let Screen::Recovery { path, .. } = &self.screen {
                    self.screen = Self::screen_for(&path.clone(), &self.tr);
                }
                Task::none()
            }
            Message::ChooseAnother => {
                self.screen = Screen::Welcome(Welcome::new(self.location.clone(), None));
                Task::none()
            }
            Message::Key(k) => self.key(k, Instant::now()),
            Message::FocusNext(true) => iced::widget::operation::focus_next(),
            Message::FocusNext(false) => iced::widget::operation::focus_previous(),
            Message::Resized(size) => {
                self.prefs.width = size.width;
                self.prefs.height = size.height;
                self.prefs_dirty = true;
                self.save_prefs()
            }
            Message::Moved(p) => {
                self.prefs.x = Some(p.x);
                self.prefs.y = Some(p.y);
                self.prefs_dirty = true;
                self.save_prefs()
            }
            Message::PrefsSaved => {
                self.prefs_saving = false;
                self.save_prefs()
            }
        }
    }

    /// A key press anywhere: the barcode wedge sees them all; arrows move the list selection.
    pub fn key(&mut self, k: KeyInput, at: Instant) -> Task<Message> {
        let Screen::Main(s) = &mut self.screen else { return Task::none() };
        match k {
            KeyInput::Char(c) => self.wedge.char(c, at),
            KeyInput::Enter => {
                if let Some(code) = self.wedge.enter(at) {
                    return self.update(Message::Main(shell::Message::Scanned(code)));
                }
            }
            KeyInput::Escape => {
                if let shell::Action::Task(t) = s.escape(&self.tr) {
                    return t.map(Message::Main);
                }
            }
            KeyInput::Up | KeyInput::Down => {
                if let shell::Action::Task(t) = s.key(k == KeyInput::Up) {
                    return t.map(Message::Main);
                }
            }
        }
        Task::none()
    }

    /// Saves the preferences if they changed and no save is running. A resize sends dozens of
    /// events: they only mark the preferences dirty while one save runs, and the save that
    /// follows writes the latest state once.
    fn save_prefs(&mut self) -> Task<Message> {
        if !self.prefs_dirty || self.prefs_saving {
            return Task::none();
        }
        self.prefs_dirty = false;
        self.prefs_saving = true;
        let prefs = self.prefs.clone();
        backend::blocking(
            move || {
                if let Err(e) = prefs.save() {
                    tracing::warn!(error = %e, "could not save the window preferences");
                }
            },
            |_| Message::PrefsSaved,
        )
    }

    pub fn view(&self) -> Element<'_, Message> {
        match &self.screen {
            Screen::Welcome(w) => w.view(&self.tr).map(Message::Welcome),
            Screen::Login(l) => l.view(&self.tr).map(Message::Login),
            Screen::Main(s) => s.view(&self.tr).map(Message::Main),
            Screen::Recovery { path, message } => container(
                container(
                    column![
                        text(self.tr.t("recovery-title")).size(26),
                        text(path.display().to_string()).style(theme::muted),
                        container(text(message.clone())).padding(12).style(theme::error_box),
                        iced::widget::row![
                            button(text(self.tr.t("recovery-retry"))).on_press(Message::Retry),
                            button(text(self.tr.t("recovery-choose")))
                                .on_press(Message::ChooseAnother)
                                .style(button::secondary),
                        ]
                        .spacing(8),
                    ]
                    .spacing(14)
                    .max_width(620),
                )
                .padding(32)
                .style(theme::card),
            )
            .center(Length::Fill)
            .into(),
        }
    }

    pub fn subscription(&self) -> Subscription<Message> {
        let poll = match &self.screen {
            Screen::Main(s) => s.subscription().map(Message::Main),
            _ => Subscription::none(),
        };
        Subscription::batch([poll, self.keys()])
    }

    fn keys(&self) -> Subscription<Message> {
        iced::event::listen_with(|event, _status, _window| match event {
            Event::Keyboard(keyboard::Event::KeyPressed { key, text, modifiers, .. }) => {
                if modifiers.control() || modifiers.alt() || modifiers.logo() {
                    return None;
                }
                match key {
                    keyboard::Key::Named(Named::Tab) => Some(Message::FocusNext(!modifiers.shift())),
                    keyboard::Key::Named(Named::Enter) => Some(Message::Key(KeyInput::Enter)),
                    keyboard::Key::Named(Named::ArrowUp) => Some(Message::Key(KeyInput::Up)),
                    keyboard::Key::Named(Named::ArrowDown) => Some(Message::Key(KeyInput::Down)),
                    keyboard::Key::Named(Named::Escape) => Some(Message::Key(KeyInput::Escape)),
                    _ => text
                        .and_then(|t| t.chars().next())
                        .filter(|c| !c.is_control())
                        .map(|c| Message::Key(KeyInput::Char(c))),
                }
            }
            Event::Window(window::Event::Resized(size)) => Some(Message::Resized(size)),
            Event::Window(window::Event::Moved(p)) => Some(Message::Moved(p)),
            _ => None,
        })
    }
}

/// Opens the app on the library at `library` (or the default one).
pub fn run(library: Option<PathBuf>) -> anyhow::Result<()> {
    let location = crate::core::environment::library_location(library.as_deref()).path;
    #[cfg(all(unix, not(target_os = "macos")))]
    if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
        anyhow::bail!(
            "no graphical display (neither DISPLAY nor WAYLAND_DISPLAY is set), so the desktop app cannot \
             open; the library is {}. Run `dangan --help` for the commands that work without it.",
            location.display()
        );
    }
    let prefs = Prefs::load();
    let mut window = window::Settings {
        size: Size::new(prefs.width.max(800.0), prefs.height.max(560.0)),
        min_size: Some(Size::new(800.0, 560.0)),
        icon: icon(),
        ..Default::default()
    };
    if let (Some(x), Some(y)) = (prefs.x, prefs.y) {
        window.position = window::Position::Specific(iced::Point::new(x, y));
    }
    #[cfg(target_os = "linux")]
    {
        window.platform_specific.application_id = crate::core::environment::APP_ID.to_string();
    }
    iced::application(move || App::boot(location.clone(), prefs.clone()), App::update, App::view)
        .title(App::title)
        .subscription(App::subscription)
        .theme(|_: &App| theme::theme())
        .font(theme::FONT_BYTES)
        .default_font(theme::FONT)
        .window(window)
        .run()
        .map_err(|e| {
            anyhow::anyhow!(
                "the window could not be opened: {e}. On Debian the X11 and keyboard libraries it \
                 needs come with `sudo bash scripts/setup-debian.sh` (libx11-6, libxcursor1, \
                 libxrandr2, libxi6, libxkbcommon-x11-0, libegl1)"
            )
        })
}

/// The window icon (assets/icons/dangan-256.png).
fn icon() -> Option<window::Icon> {
    let png = include_bytes!("../../assets/icons/dangan-256.png");
    let img = image::load_from_memory_with_format(png, image::ImageFormat::Png).ok()?.into_rgba8();
    let (w, h) = img.dimensions();
    window::icon::from_rgba(img.into_raw(), w, h).ok()
}
