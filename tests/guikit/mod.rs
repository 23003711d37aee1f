//! Helpers for driving the app headless through `iced_test`'s simulator: build the view, click
//! and type, run the tasks the app returns to the end (real worker threads) and feed their
//! messages back, as the iced runtime would.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::VecDeque;

use dangan::gui::{App, Message, login, theme};
use iced::futures::StreamExt;
use iced::keyboard::key::Named;
use iced::{Settings, Task};
use iced_test::Simulator;
use iced_test::runtime as iced_runtime;
use iced_test::selector::{Candidate, id};

pub type Ui<'a> = Simulator<'a, Message>;

pub fn ui(app: &App) -> Ui<'_> {
    let settings =
        Settings { fonts: vec![theme::FONT_BYTES.into()], default_font: theme::FONT, ..Settings::default() };
    Simulator::with_settings(settings, app.view())
}

/// Runs a task to the end, feeding every message it produces back to the app (and the tasks
/// those return), as the iced runtime would.
pub fn drain(app: &mut App, task: Task<Message>) {
    let mut queue = VecDeque::from([task]);
    let mut steps = 0;
    while let Some(task) = queue.pop_front() {
        steps += 1;
        assert!(steps < 500, "the app keeps producing work");
        let Some(stream) = iced_runtime::task::into_stream(task) else { continue };
        let actions: Vec<_> = iced::futures::executor::block_on(stream.collect::<Vec<_>>());
        for action in actions {
            if let iced_runtime::Action::Output(m) = action {
                queue.push_back(app.update(m));
            }
        }
    }
}

/// Interacts with the current view, then applies what it produced.
pub fn act(app: &mut App, f: impl FnOnce(&mut Ui<'_>)) {
    let messages: Vec<Message> = {
        let mut ui = ui(app);
        f(&mut ui);
        ui.into_messages().collect()
    };
    for m in messages {
        let t = app.update(m);
        drain(app, t);
    }
}

/// Whether some text on screen contains `needle`.
pub fn shows(app: &App, needle: &str) -> bool {
    let needle = needle.to_string();
    ui(app)
        .find(move |c: Candidate<'_>| match c {
            Candidate::Text { content, .. } if content.contains(&needle) => Some(()),
            _ => None,
        })
        .is_ok()
}

pub fn log_in(app: &mut App, user: &str, password: &str) {
    act(app, |ui| {
        ui.click(id(login::USER_ID)).unwrap();
        ui.typewrite(user);
        ui.click(id(login::PASSWORD_ID)).unwrap();
        ui.typewrite(password);
        ui.tap_key(Named::Enter);
    });
}
