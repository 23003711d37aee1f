//! 设置: language for everyone; for administrators, users and roles, the category tree, document
//! types, each category's required documents, the numbering rule, and rebuilding the search
//! index (with progress). Every change goes through the core, which checks the role again.

use iced::widget::{
    button, checkbox, column, container, pick_list, progress_bar, row, scrollable, text, text_input,
};
use iced::{Element, Length, Task};

use super::backend::{Backend, Failure};
use super::i18n::{Language, Tr};
use super::theme;
use crate::core::config::Configuration;
use chrono::Datelike;

use crate::model::{NumberingRule, Role, User};

/// A labelled value for pick lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pick {
    pub label: String,
    pub code: String,
}

impl std::fmt::Display for Pick {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label)
    }
}

fn role_pick(r: Role, tr: &Tr) -> Pick {
    Pick { label: tr.t(r.label_key()), code: r.as_str().into() }
}

#[derive(Debug, Default)]
pub struct Settings {
    pub config: Option<Configuration>,
    pub users: Vec<User>,
    /// Users locked out by repeated failed logins.
    pub locked: Vec<String>,
    pub new_user: (String, String, Option<Pick>, String),
    pub new_category: (String, String, Option<Pick>),
    pub new_doc_type: (String, String),
    pub checklist: (Option<Pick>, Option<Pick>),
    pub numbering: (String, String, bool, String),
    pub reindex: Option<(u64, u64)>,
    /// 备份: back up now, the schedule (for who may back up).
    pub backup: super::backup::BackupPanel,
    /// What the last change said, shown in the section of the control that made it.
    pub feedback: Option<(Section, Result<String, String>)>,
    /// The settings could not be read at all.
    pub error: Option<String>,
}

/// The parts of the screen, so a message appears next to the control that caused it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Users,
    Categories,
    DocTypes,
    Checklists,
    Numbering,
    Reindex,
    Backup,
}

/// What the screen reads: the configuration, the users and the names of those locked out.
pub type Loaded = (Configuration, Vec<User>, Vec<String>);

#[derive(Debug, Clone)]
pub enum Message {
    Loaded(Result<Box<Loaded>, Failure>),
    Language(Language),
    UserName(String),
    UserDisplay(String),
    UserRole(Pick),
    UserPassword(String),
    AddUser,
    SetRole(String, Pick),
    ToggleDisabled(String, bool),
    Unlock(String),
    CategoryCode(String),
    CategoryName(String),
    CategoryParent(Pick),
    AddCategory,
    DocTypeCode(String),
    DocTypeName(String),
    AddDocType,
    ChecklistCategory(Pick),
    ChecklistDocType(Pick),
    Require(bool),
    Prefix(String),
    Separator(String),
    WithYear(bool),
    Width(String),
    SaveNumbering,
    Reindex,
    ReindexProgress(u64, u64),
    Done(Section, Result<String, Failure>),
    Backup(super::backup::Message),
}

#[derive(Debug)]
pub enum Action {
    None,
    Task(Task<Message>),
    Language(Language),
}

pub fn load(backend: &Backend, may_maintain: bool) -> Task<Message> {
    let backup = if may_maintain { super::backup::load(backend).map(Message::Backup) } else { Task::none() };
    let settings = backend.run(
        |s| {
            let config = s.configuration()?;
            let (users, locked) = if s.may(crate::model::permission::Permission::ManageUsers) {
                (s.users()?, s.locked_users()?.into_iter().map(|(name, _)| name).collect())
            } else {
                (Vec::new(), Vec::new())
            };
            Ok(Box::new((config, users, locked)))
        },
        Message::Loaded,
    );
    Task::batch([settings, backup])
}

impl Settings {
    fn categories(&self) -> Vec<Pick> {
        self.config
            .as_ref()
            .map(|c| {
                c.categories
                    .iter()
                    .map(|c| Pick { label: c.category.path.clone(), code: c.category.code.clone() })
                    .collect()
            })
            .unwrap_or_default()
    }

    fn doc_types(&self) -> Vec<Pick> {
        self.config
            .as_ref()
            .map(|c| {
                c.doc_types.iter().map(|d| Pick { label: d.name.clone(), code: d.code.clone() }).collect()
            })
            .unwrap_or_default()
    }

    pub fn update(&mut self, message: Message, backend: &Backend, tr: &Tr) -> Action {
        let done = |section: Section, what: String| {
            move |r: Result<(), Failure>| Message::Done(section, r.map(|()| what))
        };
        match message {
            Message::Backup(m) => {
                return Action::Task(self.backup.update(m, backend, tr).map(Message::Backup));
            }
            Message::Loaded(Ok(loaded)) => {
                let (config, users, locked) = *loaded;
                self.locked = locked;
                let n = &config.numbering;
                self.numbering = (n.prefix.clone(), n.separator.clone(), n.with_year, n.width.to_string());
                self.config = Some(config);
                self.users = users;
            }
            Message::Loaded(Err(f)) => self.error = Some(f.message),
            Message::Language(l) => return Action::Language(l),
            Message::UserName(s) => self.new_user.0 = s,
            Message::UserDisplay(s) => self.new_user.1 = s,
            Message::UserRole(p) => self.new_user.2 = Some(p),
            Message::UserPassword(s) => self.new_user.3 = s,
            Message::AddUser => {
                let (name, display, role, pw) = self.new_user.clone();
                let role = role.and_then(|r| r.code.parse::<Role>().ok()).unwrap_or(Role::Clerk);
                let display = if display.trim().is_empty() { name.clone() } else { display };
                return self.job(backend, done(Section::Users, name.clone()), move |s| {
                    s.add_user(&name, &display, role, &pw).map(drop)
                });
            }
            Message::SetRole(name, p) => {
                let Ok(role) = p.code.parse::<Role>() else { return Action::None };
                return self.job(backend, done(Section::Users, name.clone()), move |s| {
                    s.set_user_role(&name, role).map(drop)
                });
            }
            Message::ToggleDisabled(name, disabled) => {
                return self.job(backend, done(Section::Users, name.clone()), move |s| {
                    s.set_user_disabled(&name, disabled).map(drop)
                });
            }
            Message::Unlock(name) => {
                return self.job(backend, done(Section::Users, name.clone()), move |s| {
                    s.unlock_user(&name).map(drop)
                });
            }
            Message::CategoryCode(s) => self.new_category.0 = s,
            Message::CategoryName(s) => self.new_category.1 = s,
            Message::CategoryParent(p) => self.new_category.2 = Some(p),
            Message::AddCategory => {
                let (code, name, parent) = self.new_category.clone();
                return self.job(backend, done(Section::Categories, name.clone()), move |s| {
                    s.add_category(&code, &name, parent.as_ref().map(|p| p.code.as_str())).map(drop)
                });
            }
            Message::DocTypeCode(s) => self.new_doc_type.0 = s,
            Message::DocTypeName(s) => self.new_doc_type.1 = s,
            Message::AddDocType => {
                let (code, name) = self.new_doc_type.clone();
                return self.job(backend, done(Section::DocTypes, name.clone()), move |s| {
                    s.add_doc_type(&code, &name).map(drop)
                });
            }
            Message::ChecklistCategory(p) => self.checklist.0 = Some(p),
            Message::ChecklistDocType(p) => self.checklist.1 = Some(p),
            Message::Require(required) => {
                let (Some(cat), Some(doc)) = self.checklist.clone() else {
                    self.feedback = Some((Section::Checklists, Err(tr.t("settings-checklist-choose"))));
                    return Action::None;
                };
                let what = format!("{} · {}", cat.label, doc.label);
                return self.job(backend, done(Section::Checklists, what), move |s| {
                    s.set_required_docs(&cat.code, &[doc.code], required).map(drop)
                });
            }
            Message::Prefix(s) => self.numbering.0 = s,
            Message::Separator(s) => self.numbering.1 = s,
            Message::WithYear(b) => self.numbering.2 = b,
            Message::Width(s) => self.numbering.3 = s,
            Message::SaveNumbering => {
                let (prefix, separator, with_year, width) = self.numbering.clone();
                let Some(width) = width.trim().parse::<usize>().ok().filter(|w| (1..=12).contains(w)) else {
                    self.feedback = Some((Section::Numbering, Err(tr.t("settings-numbering-width-bad"))));
                    return Action::None;
                };
                let rule = NumberingRule { prefix, separator, with_year, width };
                return self.job(backend, done(Section::Numbering, tr.t("settings-numbering")), move |s| {
                    s.set_numbering(rule).map(drop)
                });
            }
            Message::Reindex => {
                if self.reindex.is_some() {
                    return Action::None;
                }
                self.reindex = Some((0, 0));
                self.feedback = None;
                let label = tr.t("job-reindex");
                return Action::Task(backend.run_with_progress(
                    |s, progress| s.reindex(progress),
                    Message::ReindexProgress,
                    move |r| Message::Done(Section::Reindex, r.map(|_| label)),
                ));
            }
            Message::ReindexProgress(d, t) => self.reindex = Some((d, t)),
            Message::Done(section, Ok(what)) => {
                self.reindex = None;
                self.feedback = Some((section, Ok(format!("{what} · {}", tr.t("saved")))));
                // Only the form that was saved is cleared; what is typed elsewhere stays.
                match section {
                    Section::Users => self.new_user = Default::default(),
                    Section::Categories => self.new_category = Default::default(),
                    Section::DocTypes => self.new_doc_type = Default::default(),
                    _ => {}
                }
                return Action::Task(load(backend, false));
            }
            Message::Done(section, Err(f)) => {
                self.reindex = None;
                self.feedback = Some((section, Err(f.message)));
            }
        }
        Action::None
    }

    fn job(
        &mut self,
        backend: &Backend,
        done: impl FnOnce(Result<(), Failure>) -> Message + Send + 'static,
        f: impl FnOnce(&mut crate::core::Session) -> crate::core::Result<()> + Send + 'static,
    ) -> Action {
        self.feedback = None;
        Action::Task(backend.run(f, done))
    }

    /// The message of the last change, if it belongs to `section`.
    fn feedback_for<'a>(&'a self, section: Section) -> Option<Element<'a, Message>> {
        let (s, r) = self.feedback.as_ref()?;
        if *s != section {
            return None;
        }
        Some(match r {
            Ok(note) => text(note.clone()).style(theme::success).into(),
            Err(e) => {
                container(text(e.clone())).padding(8).width(Length::Fill).style(theme::error_box).into()
            }
        })
    }

    /// A document type's name from its code (the checklist stores codes).
    fn doc_type_name(&self, code: &str) -> String {
        self.config
            .as_ref()
            .and_then(|c| c.doc_types.iter().find(|d| d.code == code))
            .map_or_else(|| code.to_string(), |d| d.name.clone())
    }

    pub fn view<'a>(&'a self, tr: &'a Tr, is_admin: bool, may_maintain: bool) -> Element<'a, Message> {
        let section = |section: Section, title: String, body: Element<'a, Message>| -> Element<'a, Message> {
            let mut inner = column![text(title).size(18), body].spacing(8);
            if let Some(f) = self.feedback_for(section) {
                inner = inner.push(f);
            }
            container(inner).padding(12).width(Length::Fill).style(theme::card).into()
        };
        let labelled = |label: String, control: Element<'a, Message>| -> Element<'a, Message> {
            column![text(label).size(12).style(theme::muted), control].spacing(2).into()
        };
        let mut page = column![
            text(tr.t("settings-title")).size(26),
            row![
                text(tr.t("settings-language")),
                pick_list(Language::ALL, Some(tr.language), Message::Language)
            ]
            .spacing(12)
            .align_y(iced::Alignment::Center),
        ]
        .spacing(14)
        .padding(24);
        if let Some(e) = &self.error {
            page = page.push(container(text(e.clone())).padding(10).style(theme::error_box));
        }
        if may_maintain {
            let body: Element<'a, Message> = match self.reindex {
                Some((d, t)) => column![
                    text(
                        tr.ta("job-reindex-progress", &[("done", &d.to_string()), ("total", &t.to_string())])
                    ),
                    progress_bar(0.0..=t.max(1) as f32, d as f32),
                ]
                .spacing(6)
                .into(),
                None => column![
                    text(tr.t("settings-reindex-hint")).size(13).style(theme::muted),
                    button(text(tr.t("job-reindex"))).on_press(Message::Reindex),
                ]
                .spacing(6)
                .into(),
            };
            page = page.push(section(Section::Reindex, tr.t("job-reindex"), body));
            page = page.push(section(
                Section::Backup,
                tr.t("backup-title"),
                self.backup.view(tr).map(Message::Backup),
            ));
        }
        if !is_admin {
            return scrollable(page.push(text(tr.t("settings-admin-only")).style(theme::muted))).into();
        }
        let roles: Vec<Pick> = Role::ALL.iter().map(|r| role_pick(*r, tr)).collect();
        let mut users = column![
            row![
                text(tr.t("settings-user-column")).width(220).size(12).style(theme::muted),
                text(tr.t("role")).width(140).size(12).style(theme::muted),
            ]
            .spacing(10)
        ]
        .spacing(6);
        for u in &self.users {
            let name = u.name.clone();
            let toggle = u.name.clone();
            let mut line = row![
                text(format!("{}  {}", u.name, u.display_name)).width(220),
                pick_list(roles.clone(), Some(role_pick(u.role, tr)), move |p| Message::SetRole(
                    name.clone(),
                    p
                ))
                .width(140),
                checkbox(u.disabled)
                    .label(tr.t("settings-user-disabled"))
                    .on_toggle(move |b| Message::ToggleDisabled(toggle.clone(), b)),
            ]
            .spacing(10)
            .align_y(iced::Alignment::Center);
            if self.locked.contains(&u.name) {
                line = line.push(
                    button(text(tr.t("settings-user-unlock"))).on_press(Message::Unlock(u.name.clone())),
                );
            }
            users = users.push(line);
        }
        users = users.push(
            row![
                labelled(
                    tr.t("login-user"),
                    text_input("wangfang", &self.new_user.0).on_input(Message::UserName).width(140).into()
                ),
                labelled(
                    tr.t("settings-user-display"),
                    text_input("王芳", &self.new_user.1).on_input(Message::UserDisplay).width(140).into()
                ),
                labelled(
                    tr.t("role"),
                    pick_list(roles, self.new_user.2.clone(), Message::UserRole)
                        .placeholder(tr.t("settings-role-default"))
                        .into()
                ),
                labelled(
                    tr.t("settings-user-password"),
                    text_input("", &self.new_user.3)
                        .secure(true)
                        .on_input(Message::UserPassword)
                        .on_submit(Message::AddUser)
                        .width(160)
                        .into()
                ),
                button(text(tr.t("users-add"))).on_press(Message::AddUser),
            ]
            .spacing(8)
            .align_y(iced::Alignment::End),
        );
        page = page.push(section(Section::Users, tr.t("settings-users"), users.into()));

        let cats = self.categories();
        let mut tree = column![].spacing(2);
        if let Some(c) = &self.config {
            for info in &c.categories {
                let indent = "    ".repeat(info.category.depth);
                let required: Vec<String> =
                    info.required.iter().map(|code| self.doc_type_name(code)).collect();
                let required = if required.is_empty() {
                    tr.t("settings-no-required")
                } else {
                    tr.ta("settings-required-list", &[("list", &required.join("、"))])
                };
                tree = tree.push(
                    row![
                        text(format!("{indent}{}", info.category.name)).size(14),
                        text(format!("{}  ·  {required}", info.category.code)).size(13).style(theme::muted),
                    ]
                    .spacing(8),
                );
            }
        }
        tree = tree.push(
            row![
                labelled(
                    tr.t("settings-code"),
                    text_input("HV", &self.new_category.0).on_input(Message::CategoryCode).width(100).into()
                ),
                labelled(
                    tr.t("settings-category-name"),
                    text_input("高压用户", &self.new_category.1)
                        .on_input(Message::CategoryName)
                        .width(160)
                        .into()
                ),
                labelled(
                    tr.t("settings-category-parent"),
                    pick_list(cats.clone(), self.new_category.2.clone(), Message::CategoryParent)
                        .placeholder(tr.t("settings-category-top"))
                        .into()
                ),
                button(text(tr.t("settings-category-add"))).on_press(Message::AddCategory),
            ]
            .spacing(8)
            .align_y(iced::Alignment::End),
        );
        page = page.push(section(Section::Categories, tr.t("settings-categories"), tree.into()));

        let docs = self.doc_types();
        let doc_list =
            docs.iter().map(|d| format!("{} ({})", d.label, d.code)).collect::<Vec<_>>().join("、");
        page = page.push(section(
            Section::DocTypes,
            tr.t("settings-doc-types"),
            column![
                text(doc_list).size(14),
                row![
                    labelled(
                        tr.t("settings-code"),
                        text_input("CONTRACT", &self.new_doc_type.0)
                            .on_input(Message::DocTypeCode)
                            .width(120)
                            .into()
                    ),
                    labelled(
                        tr.t("settings-doc-type-name"),
                        text_input("供用电合同", &self.new_doc_type.1)
                            .on_input(Message::DocTypeName)
                            .on_submit(Message::AddDocType)
                            .width(200)
                            .into()
                    ),
                    button(text(tr.t("settings-doc-type-add"))).on_press(Message::AddDocType),
                ]
                .spacing(8)
                .align_y(iced::Alignment::End)
            ]
            .spacing(8)
            .into(),
        ));
        let mut checklist = column![
            row![
                labelled(
                    tr.t("field-category"),
                    pick_list(cats, self.checklist.0.clone(), Message::ChecklistCategory)
                        .placeholder(tr.t("settings-choose"))
                        .into()
                ),
                labelled(
                    tr.t("settings-doc-type-name"),
                    pick_list(docs, self.checklist.1.clone(), Message::ChecklistDocType)
                        .placeholder(tr.t("settings-choose"))
                        .into()
                ),
                button(text(tr.t("settings-require"))).on_press(Message::Require(true)),
                button(text(tr.t("settings-unrequire")))
                    .on_press(Message::Require(false))
                    .style(button::secondary),
            ]
            .spacing(8)
            .align_y(iced::Alignment::End)
        ]
        .spacing(6);
        if let (Some(cat), Some(config)) = (&self.checklist.0, &self.config)
            && let Some(info) = config.categories.iter().find(|c| c.category.code == cat.code)
        {
            let names: Vec<String> = info.required.iter().map(|code| self.doc_type_name(code)).collect();
            let line = if names.is_empty() {
                tr.t("settings-no-required")
            } else {
                tr.ta("settings-required-list", &[("list", &names.join("、"))])
            };
            checklist = checklist.push(text(line).size(13).style(theme::muted));
        }
        page = page.push(section(Section::Checklists, tr.t("settings-checklists"), checklist.into()));
        let (prefix, sep, year, width) = &self.numbering;
        let preview = width
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|w| (1..=12).contains(w))
            .map(|width| {
                let rule =
                    NumberingRule { prefix: prefix.clone(), separator: sep.clone(), with_year: *year, width };
                tr.ta(
                    "settings-numbering-example",
                    &[("example", &rule.format(crate::core::today().year(), 123))],
                )
            })
            .unwrap_or_default();
        page = page.push(section(
            Section::Numbering,
            tr.t("settings-numbering"),
            column![
                row![
                    labelled(
                        tr.t("settings-numbering-prefix"),
                        text_input("KH", prefix).on_input(Message::Prefix).width(80).into()
                    ),
                    labelled(
                        tr.t("settings-numbering-separator"),
                        text_input("-", sep).on_input(Message::Separator).width(60).into()
                    ),
                    labelled(
                        tr.t("settings-numbering-width"),
                        text_input("6", width).on_input(Message::Width).width(60).into()
                    ),
                    checkbox(*year).label(tr.t("settings-numbering-year")).on_toggle(Message::WithYear),
                    button(text(tr.t("save"))).on_press(Message::SaveNumbering),
                ]
                .spacing(8)
                .align_y(iced::Alignment::End),
                text(preview).size(13).style(theme::muted),
            ]
            .spacing(6)
            .into(),
        ));
        scrollable(page).height(Length::Fill).into()
    }
}
