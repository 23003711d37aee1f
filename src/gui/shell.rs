//! The main window after login: a side bar (工作台, 客户档案, 库房, 设置), the current screen, and a
//! status bar (library, user, index state). Also where a scanned barcode is resolved, and where
//! other programs' changes to the library are noticed (a poll every [`POLL_EVERY`]).

use std::path::PathBuf;
use std::time::Duration;

use iced::widget::{button, column, container, row, text};
use iced::{Element, Length, Subscription, Task};

use super::backend::{Backend, Failure};
use super::dossier::{self, DossierView};
use super::dossiers::{self, Dossiers};
use super::form::{self, Form};
use super::i18n::{Language, Tr};
use super::inbox::{self, Inbox};
use super::lending::{self, Lending};
use super::print::{self, Print};
use super::settings::{self, Settings};
use super::storage::{self, Storage};
use super::theme;
use crate::core::index::{Changes, IndexState, SearchQuery};
use crate::core::searcher::Searcher;
use crate::core::storage::{BoxView, Found};
use crate::model::User;
use crate::model::permission::Permission;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    Workbench,
    Dossiers,
    /// 库房: locations, boxes, inventory.
    Storage,
    /// 借阅: the lending desk.
    Lending,
    /// 待分拣: the scan inbox, importing, the hot folder, 待扫描.
    Inbox,
    /// 统计报表.
    Reports,
    Settings,
}

#[derive(Debug)]
pub struct Shell {
    pub backend: Backend,
    pub user: User,
    pub library: PathBuf,
    pub nav: Nav,
    pub dossiers: Dossiers,
    pub dossier: Option<DossierView>,
    pub new_form: Option<Form>,
    /// A form has unsaved changes and the clerk asked to leave it: the question is showing.
    pub pending: Option<Pending>,
    /// The clerk answered 保存: where to go once the save succeeds.
    after_save: Option<Pending>,
    pub index: Option<IndexState>,
    /// A rebuild of the index in progress: `(done, total)`.
    pub indexing: Option<(u64, u64)>,
    pub count: i64,
    pub flash: Option<String>,
    pub settings: Settings,
    /// 统计报表.
    pub reports: super::reports::Reports,
    pub storage: Storage,
    pub lending: Lending,
    pub inbox: Inbox,
    pub may_maintain: bool,
    pub may_write: bool,
    pub may_close: bool,
    pub is_admin: bool,
    /// The library's writer head when last looked at (`None` until the first poll answers).
    pub head: Option<i64>,
    /// A poll is on its way: the next tick is skipped rather than queued behind it.
    pub polling: bool,
    /// Polls so far (a scheduled backup is looked for every [`super::backup::CHECK_EVERY_POLLS`]).
    pub polls: u32,
    /// The label panel, over whatever screen asked for it.
    pub print: Option<Print>,
}

/// The 工作台's buttons for the overdue, due-today and out lists of the lending desk.
pub const WORKBENCH_OVERDUE_ID: &str = "workbench-overdue";
pub const WORKBENCH_DUE_TODAY_ID: &str = "workbench-due-today";
pub const WORKBENCH_OUT_ID: &str = "workbench-out";
/// The 工作台's buttons for the scan inbox and the dossiers waiting to be scanned.
pub const WORKBENCH_INBOX_ID: &str = "workbench-inbox";
pub const WORKBENCH_UNSCANNED_ID: &str = "workbench-unscanned";

/// How often the app asks whether another program changed the library.
pub const POLL_EVERY: Duration = Duration::from_millis(500);

/// What a poll found: the changes, and the status bar's figures if anything moved.
#[derive(Debug, Clone)]
pub struct Polled {
    changes: Changes,
    refreshed: Option<(IndexState, i64)>,
}

/// Where the clerk wanted to go when a form still had unsaved changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    /// 取消 on the form.
    CloseForm,
    /// 返回 to the list.
    Back,
    /// Another screen in the side bar.
    Nav(Nav),
    /// Another dossier (a scanned barcode).
    Open(String),
}

/// The answers to "unsaved changes".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Save,
    Discard,
    KeepEditing,
}

#[derive(Debug, Clone)]
pub enum Message {
    Nav(Nav),
    Unsaved(Answer),
    Dossiers(dossiers::Message),
    Dossier(dossier::Message),
    NewForm(form::Message),
    /// The new dossier's number.
    Created(Result<String, Failure>),
    Loaded(Result<Loaded, Failure>),
    Scanned(String),
    ScanResolved(String, Result<Scan, Failure>),
    Storage(storage::Message),
    Lending(lending::Message),
    /// A count on the 工作台: the lending desk with that list.
    OpenDesk(lending::Tab),
    Inbox(inbox::Message),
    /// A count on the 工作台: the inbox screen on that list.
    OpenScans(inbox::Tab),
    Print(print::Message),
    Settings(settings::Message),
    Reports(super::reports::Message),
    IndexProgress(u64, u64),
    IndexReady(Result<(IndexState, Option<Searcher>), Failure>),
    /// A fresh searcher for the list (after a rebuild or a change of categories elsewhere).
    SearcherReady(Result<Option<Searcher>, Failure>),
    /// Time to ask whether another program changed the library.
    Poll,
    Polled(Result<Polled, Failure>),
    Language(Language),
    Logout,
}

/// What a scanned code named.
#[derive(Debug, Clone)]
pub enum Scan {
    Dossier(String),
    Box(Box<BoxView>),
    /// A location, by its code.
    Location(String),
    /// A borrower's card (their JY number).
    Borrower(String),
}

/// What the shell loads once after login.
#[derive(Debug, Clone)]
pub struct Loaded {
    categories: Vec<(String, String)>,
    index: IndexState,
    count: i64,
    /// The user's searcher, once there is an index to search.
    searcher: Option<Searcher>,
}

#[derive(Debug)]
pub enum Action {
    None,
    Task(Task<Message>),
    Logout,
    Language(Language),
    /// The hot-folder setting changed: the app saves it with its preferences.
    SaveHot(super::prefs::HotFolderPrefs),
}

impl Shell {
    pub fn new(backend: Backend, library: PathBuf, tr: &Tr) -> (Shell, Task<Message>) {
        let (user, may_write, may_close, is_admin, may_maintain, may_store, may_lend) = backend
            .now(|s| {
                (
                    s.user().clone(),
                    s.may(Permission::WriteDossiers),
                    s.may(Permission::CloseDossiers),
                    s.may(Permission::ManageUsers),
                    s.may(Permission::Maintain),
                    s.may(Permission::ManageStorage),
                    s.may(Permission::Lend),
                )
            })
            .unwrap_or_else(|| {
                (
                    User {
                        id: 0,
                        name: "?".into(),
                        display_name: "?".into(),
                        role: crate::model::Role::Viewer,
                        disabled: false,
                        created_at: String::new(),
                    },
                    false,
                    false,
                    false,
                    false,
                    false,
                    false,
                )
            });
        let mut shell = Shell {
            dossiers: Dossiers::new(tr, Vec::new()),
            backend,
            user,
            library,
            nav: Nav::Dossiers,
            dossier: None,
            new_form: None,
            pending: None,
            after_save: None,
            index: None,
            indexing: None,
            count: 0,
            flash: None,
            settings: Settings::default(),
            reports: Default::default(),
            storage: Storage::new(may_store),
            lending: Lending::new(may_lend),
            inbox: Inbox::new(may_write, Default::default()),
            may_maintain,
            may_write,
            may_close,
            is_admin,
            head: None,
            polling: false,
            polls: 0,
            print: None,
        };
        let load = shell.load();
        let list = shell.dossiers.refresh(&shell.backend).map(Message::Dossiers);
        let badge = shell.inbox.refresh_badge(&shell.backend).map(Message::Inbox);
        let ocr = shell.inbox.start_ocr().map(Message::Inbox);
        (shell, Task::batch([load, list, badge, ocr, iced::widget::operation::focus(dossiers::SEARCH_ID)]))
    }

    /// Opens the label panel for what a screen asked to print.
    fn open_print(&mut self, r: print::Request, tr: &Tr) -> Task<Message> {
        let (p, task) = Print::open(r.kind, r.selection, r.what, &self.backend, tr);
        self.print = Some(p);
        task.map(Message::Print)
    }

    fn load(&self) -> Task<Message> {
        self.backend.run(
            move |s| {
                let config = s.configuration()?;
                let categories = config
                    .categories
                    .iter()
                    .map(|c| (c.category.code.clone(), c.category.path.clone()))
                    .collect();
                Ok(Loaded {
                    categories,
                    index: s.index_state()?,
                    count: s.customer_count()?,
                    searcher: s.searcher()?,
                })
            },
            Message::Loaded,
        )
    }

    pub fn update(&mut self, message: Message, tr: &Tr) -> Action {
        match message {
            Message::Nav(n) => {
                // Going elsewhere closes the label panel (nothing in it is unsaved).
                self.print = None;
                if self.is_dirty() {
                    self.pending = Some(Pending::Nav(n));
                    return Action::None;
                }
                return Action::Task(self.go(n));
            }
            Message::Unsaved(answer) => {
                let Some(p) = self.pending.take() else { return Action::None };
                match answer {
                    Answer::KeepEditing => {}
                    Answer::Discard => return Action::Task(self.leave(p)),
                    Answer::Save => {
                        self.after_save = Some(p);
                        let started = if self.new_form.as_ref().is_some_and(Form::is_dirty) {
                            self.save_new(false)
                        } else if let Some(view) = self.dossier.as_mut() {
                            match view.update(dossier::Message::SaveOpen, &self.backend, tr) {
                                dossier::Action::Task(t) => Some(t.map(Message::Dossier)),
                                _ => None,
                            }
                        } else {
                            None
                        };
                        match started {
                            Some(t) => return Action::Task(t),
                            None => {
                                // Not valid yet: stay on the form, whose errors say what to fix.
                                self.after_save = None;
                                self.flash = Some(tr.t("form-fix-first"));
                            }
                        }
                    }
                }
            }
            Message::Loaded(Ok(l)) => {
                self.dossiers.set_categories(tr, l.categories);
                self.index = Some(l.index);
                self.count = l.count;
                self.dossiers.set_searcher(l.searcher);
                if l.index == IndexState::Missing && self.indexing.is_none() {
                    // Missing or old: rebuild now, with progress in the status bar.
                    self.indexing = Some((0, l.count.max(0) as u64));
                    return Action::Task(self.backend.run_with_progress(
                        |s, progress| {
                            let state = s.prepare_search(progress)?;
                            Ok((state, s.searcher()?))
                        },
                        Message::IndexProgress,
                        Message::IndexReady,
                    ));
                }
            }
            Message::Loaded(Err(f)) => self.flash = Some(f.message),
            Message::IndexProgress(d, t) => self.indexing = Some((d, t)),
            Message::IndexReady(r) => {
                self.indexing = None;
                match r {
                    Ok((state, searcher)) => {
                        self.index = Some(state);
                        self.dossiers.set_searcher(searcher);
                    }
                    Err(f) => self.flash = Some(f.message),
                }
            }
            Message::SearcherReady(Ok(searcher)) => self.dossiers.set_searcher(searcher),
            Message::SearcherReady(Err(f)) => self.flash = Some(f.message),
            Message::Dossiers(m) => match self.dossiers.update(m, &self.backend) {
                dossiers::Action::None => {}
                dossiers::Action::Task(t) => return Action::Task(t.map(Message::Dossiers)),
                dossiers::Action::Open(no) => return Action::Task(self.open(no)),
                dossiers::Action::NewCustomer => {
                    if self.may_write {
                        self.new_form = Some(Form::new(&self.user.name));
                        // The name field has the focus: the clerk types at once.
                        return Action::Task(Task::batch([
                            self.backend.run(form::options, |r| Message::NewForm(form::Message::Options(r))),
                            iced::widget::operation::focus(form::NAME_ID),
                        ]));
                    } else {
                        self.flash = Some(tr.t("readonly-note"));
                    }
                }
            },
            Message::Dossier(m) => {
                if matches!(m, dossier::Message::Saved(Err(_))) {
                    self.after_save = None;
                }
                let Some(view) = self.dossier.as_mut() else { return Action::None };
                match view.update(m, &self.backend, tr) {
                    dossier::Action::None => {}
                    dossier::Action::Task(t) => return Action::Task(t.map(Message::Dossier)),
                    dossier::Action::Saved(reload) => {
                        let reload = reload.map(Message::Dossier);
                        return Action::Task(match self.after_save.take() {
                            Some(p) => Task::batch([reload, self.leave(p)]),
                            None => reload,
                        });
                    }
                    dossier::Action::Ask(leave) => {
                        self.pending = Some(match leave {
                            dossier::Leave::CloseForm => Pending::CloseForm,
                            dossier::Leave::Back => Pending::Back,
                        });
                    }
                    dossier::Action::Open(no) => return Action::Task(self.open(no)),
                    dossier::Action::OpenBox(code) => {
                        if self.is_dirty() {
                            self.flash = Some(tr.t("form-fix-first"));
                            return Action::None;
                        }
                        self.dossier = None;
                        self.nav = Nav::Storage;
                        return Action::Task(
                            self.storage.show_box(&self.backend, None, code).map(Message::Storage),
                        );
                    }
                    dossier::Action::Print(r) => return Action::Task(self.open_print(r, tr)),
                    dossier::Action::Back => return Action::Task(self.leave(Pending::Back)),
                }
            }
            Message::NewForm(m) => {
                let Some(form) = self.new_form.as_mut() else { return Action::None };
                match form.update(m) {
                    None => {}
                    Some(form::Event::Cancel) => {
                        if form.is_dirty() {
                            self.pending = Some(Pending::CloseForm);
                        } else {
                            self.new_form = None;
                        }
                    }
                    Some(form::Event::Open(no)) => return Action::Task(self.open(no)),
                    Some(form::Event::Save(force)) => {
                        if let Some(t) = self.save_new(force) {
                            return Action::Task(t);
                        }
                    }
                }
            }
            Message::Created(Ok(no)) => {
                self.new_form = None;
                self.flash = Some(format!("{no} {}", tr.t("saved")));
                return Action::Task(match self.after_save.take() {
                    Some(Pending::CloseForm) | None => self.open(no),
                    Some(p) => self.leave(p),
                });
            }
            Message::Created(Err(f)) => {
                self.after_save = None;
                if let Some(form) = self.new_form.as_mut() {
                    form.refused(f);
                }
            }
            Message::Scanned(code) => {
                // A screen waiting for a code takes it: the inventory being scanned, a box code
                // for the folder being filed, a location for the box being moved.
                if self.nav == Nav::Storage && self.storage.take_scan(&code) {
                    return Action::None;
                }
                // The lending desk takes every scan: cards, items to lend or to take back.
                if self.nav == Nav::Lending && self.lending.may_lend && self.print.is_none() {
                    return Action::Task(self.lending.take_scan(&code, &self.backend).map(Message::Lending));
                }
                if self.nav == Nav::Dossiers
                    && let Some(view) = self.dossier.as_mut()
                    && view.take_scan(&code)
                {
                    return Action::None;
                }
                let c = code.clone();
                return Action::Task(
                    self.backend.run(move |s| resolve(s, &c), move |r| Message::ScanResolved(code, r)),
                );
            }
            Message::ScanResolved(code, r) => {
                // The scanner typed into the focused field too: that is not the clerk's edit.
                if let Some(f) = self.new_form.as_mut() {
                    f.strip_scan(&code);
                }
                if let Some(view) = self.dossier.as_mut() {
                    view.strip_scan(&code);
                }
                match r {
                    Ok(Scan::Dossier(no)) => {
                        self.storage.strip_scan(&code);
                        if self.is_dirty() {
                            self.pending = Some(Pending::Open(no));
                            return Action::None;
                        }
                        self.flash = Some(tr.ta("wedge-opened", &[("code", &code)]));
                        self.nav = Nav::Dossiers;
                        return Action::Task(self.open(no));
                    }
                    Ok(Scan::Box(view)) => {
                        self.strip_list_scan(&code);
                        // A box for the folder being filed goes into its field.
                        if self.nav == Nav::Dossiers
                            && let Some(d) = self.dossier.as_mut()
                            && d.offer_box(&view.info.code)
                        {
                            return Action::None;
                        }
                        self.storage.strip_scan(&code);
                        if self.is_dirty() {
                            self.flash = Some(tr.t("form-fix-first"));
                            return Action::None;
                        }
                        self.flash = Some(tr.ta("wedge-opened", &[("code", &code)]));
                        self.dossier = None;
                        self.new_form = None;
                        self.nav = Nav::Storage;
                        let code = view.info.code.clone();
                        return Action::Task(
                            self.storage.show_box(&self.backend, Some(*view), code).map(Message::Storage),
                        );
                    }
                    Ok(Scan::Location(loc)) => {
                        self.strip_list_scan(&code);
                        if self.nav == Nav::Storage && self.storage.offer_location(&loc) {
                            return Action::None;
                        }
                        self.storage.strip_scan(&code);
                        if self.is_dirty() {
                            self.flash = Some(tr.t("form-fix-first"));
                            return Action::None;
                        }
                        self.flash = Some(tr.ta("wedge-opened", &[("code", &code)]));
                        self.dossier = None;
                        self.new_form = None;
                        self.nav = Nav::Storage;
                        return Action::Task(
                            self.storage.show_location(&self.backend, loc).map(Message::Storage),
                        );
                    }
                    Ok(Scan::Borrower(card)) => {
                        self.strip_list_scan(&code);
                        self.storage.strip_scan(&code);
                        if self.is_dirty() {
                            self.flash = Some(tr.t("form-fix-first"));
                            return Action::None;
                        }
                        self.flash = Some(tr.ta("wedge-opened", &[("code", &code)]));
                        self.dossier = None;
                        self.new_form = None;
                        self.print = None;
                        self.nav = Nav::Lending;
                        return Action::Task(
                            self.lending.borrower_scanned(card, &self.backend).map(Message::Lending),
                        );
                    }
                    Err(f) => {
                        self.storage.strip_scan(&code);
                        // Said where the clerk is looking: the status bar, and the 库房 screen's
                        // notice slot when it is showing.
                        if self.nav == Nav::Storage {
                            self.storage.error = Some(f.message.clone());
                        }
                        self.flash = Some(f.message);
                        if self.strip_list_scan(&code) && self.nav == Nav::Dossiers && self.dossier.is_none()
                        {
                            return Action::Task(self.dossiers.refresh(&self.backend).map(Message::Dossiers));
                        }
                    }
                }
            }
            Message::Storage(m) => match self.storage.update(m, &self.backend, tr) {
                storage::Action::None => {}
                storage::Action::Task(t) => return Action::Task(t.map(Message::Storage)),
                storage::Action::Open(no) => return Action::Task(self.open(no)),
                storage::Action::Print(r) => return Action::Task(self.open_print(r, tr)),
            },
            Message::Lending(m) => match self.lending.update(m, &self.backend, tr) {
                lending::Action::None => {}
                lending::Action::Task(t) => return Action::Task(t.map(Message::Lending)),
                lending::Action::Open(no) => return Action::Task(self.open(no)),
                lending::Action::Print(r) => return Action::Task(self.open_print(r, tr)),
            },
            Message::OpenDesk(tab) => {
                self.print = None;
                if self.is_dirty() {
                    self.pending = Some(Pending::Nav(Nav::Lending));
                    return Action::None;
                }
                self.nav = Nav::Lending;
                self.dossier = None;
                self.new_form = None;
                return Action::Task(self.lending.open_tab(tab, &self.backend).map(Message::Lending));
            }
            Message::Inbox(m) => match self.inbox.update(m, &self.backend, tr) {
                inbox::Action::None => {}
                inbox::Action::Task(t) => return Action::Task(t.map(Message::Inbox)),
                inbox::Action::Open(no) => {
                    if self.is_dirty() {
                        self.pending = Some(Pending::Open(no));
                        return Action::None;
                    }
                    self.print = None;
                    return Action::Task(self.open(no));
                }
                inbox::Action::SaveHot(h) => return Action::SaveHot(h),
            },
            Message::OpenScans(tab) => {
                self.print = None;
                if self.is_dirty() {
                    self.pending = Some(Pending::Nav(Nav::Inbox));
                    return Action::None;
                }
                self.nav = Nav::Inbox;
                self.dossier = None;
                self.new_form = None;
                return Action::Task(self.inbox.enter(tab, &self.backend).map(Message::Inbox));
            }
            Message::Print(m) => {
                let Some(p) = self.print.as_mut() else { return Action::None };
                let (task, event) = p.update(m, &self.backend, tr);
                if event == Some(print::Event::Close) {
                    self.print = None;
                }
                return Action::Task(task.map(Message::Print));
            }
            Message::Reports(m) => {
                return Action::Task(self.reports.update(m, &self.backend, tr).map(Message::Reports));
            }
            Message::Settings(m) => match self.settings.update(m, &self.backend, tr) {
                settings::Action::None => {}
                settings::Action::Task(t) => return Action::Task(t.map(Message::Settings)),
                settings::Action::Language(l) => return Action::Language(l),
            },
            Message::Poll => {
                // Now and then: is a scheduled backup due? (Who may back up only; the check is
                // a cheap read, the backup itself runs beside the clerk's work.)
                self.polls = self.polls.wrapping_add(1);
                let mut backup = Task::none();
                if self.may_maintain
                    && self.polls % super::backup::CHECK_EVERY_POLLS == 1
                    && self.indexing.is_none()
                    && let settings::Action::Task(t) = self.settings.update(
                        settings::Message::Backup(super::backup::Message::Check),
                        &self.backend,
                        tr,
                    )
                {
                    backup = t.map(Message::Settings);
                }
                // Not while the index is rebuilt (the session is busy) or a poll is still out.
                if self.polling || self.indexing.is_some() {
                    return Action::Task(backup);
                }
                self.polling = true;
                let seen = self.head;
                let poll = self.backend.run(
                    move |s| {
                        let changes = s.changes_since(seen.unwrap_or(-1))?;
                        let refreshed = match changes.moved {
                            true => Some((s.index_state()?, s.customer_count()?)),
                            false => None,
                        };
                        Ok(Polled { changes, refreshed })
                    },
                    Message::Polled,
                );
                return Action::Task(Task::batch([poll, backup]));
            }
            Message::Polled(r) => {
                self.polling = false;
                match r {
                    Ok(p) => {
                        let first = self.head.is_none();
                        self.head = Some(p.changes.head);
                        if let Some((index, count)) = p.refreshed {
                            self.index = Some(index);
                            self.count = count;
                        }
                        // Another program's change: show it in the open list (the list the
                        // clerk is looking at, not a dossier or a form being edited).
                        let on_list =
                            self.nav == Nav::Dossiers && self.dossier.is_none() && self.new_form.is_none();
                        if !p.changes.moved || first {
                            return Action::None;
                        }
                        // The inbox's badge (and its list, when showing) follows pages imported
                        // or filed elsewhere: the command line, a watcher, another workstation.
                        let mut tasks = vec![self.inbox.refresh_badge(&self.backend).map(Message::Inbox)];
                        if self.nav == Nav::Inbox && self.print.is_none() {
                            tasks.push(self.inbox.reload(&self.backend).map(Message::Inbox));
                        }
                        // The desk's lists and counts follow another workstation's loans.
                        if self.nav == Nav::Lending && self.print.is_none() {
                            tasks.push(self.lending.reload(&self.backend).map(Message::Lending));
                        }
                        if on_list && !self.dossiers.searching {
                            tasks.push(self.dossiers.refresh(&self.backend).map(Message::Dossiers));
                        }
                        return Action::Task(Task::batch(tasks));
                    }
                    Err(f) => tracing::debug!(error = %f.message, "poll failed; the next one retries"),
                }
            }
            Message::Language(l) => return Action::Language(l),
            Message::Logout => return Action::Logout,
        }
        Action::None
    }

    /// Takes a scanned box or location code (or a bad code) out of the list's search field, where
    /// the scanner typed it while the field had the focus. Returns whether it was there.
    fn strip_list_scan(&mut self, code: &str) -> bool {
        let Some(i) = self.dossiers.query.rfind(code) else { return false };
        self.dossiers.query.replace_range(i..i + code.len(), "");
        true
    }

    /// A form (new customer, or in the open dossier) has unsaved changes.
    pub fn is_dirty(&self) -> bool {
        self.new_form.as_ref().is_some_and(Form::is_dirty)
            || self.dossier.as_ref().is_some_and(DossierView::is_dirty)
    }

    /// Saves the new customer's form, if it is valid.
    fn save_new(&mut self, force: bool) -> Option<Task<Message>> {
        let form = self.new_form.as_mut()?;
        if !form.is_valid() || form.saving {
            return None;
        }
        form.saving = true;
        let new = form.new_customer();
        Some(self.backend.run(move |s| s.add_customer(new, force).map(|c| c.dossier), Message::Created))
    }

    /// Goes where the clerk asked, dropping any open form and its changes.
    fn leave(&mut self, p: Pending) -> Task<Message> {
        match p {
            Pending::CloseForm => {
                self.new_form = None;
                if let Some(view) = self.dossier.as_mut() {
                    view.discard();
                }
                Task::none()
            }
            Pending::Back => {
                self.dossier = None;
                Task::batch([
                    self.dossiers.refresh(&self.backend).map(Message::Dossiers),
                    iced::widget::operation::focus(dossiers::SEARCH_ID),
                ])
            }
            Pending::Nav(n) => self.go(n),
            Pending::Open(no) => self.open(no),
        }
    }

    /// Another screen from the side bar.
    fn go(&mut self, n: Nav) -> Task<Message> {
        self.nav = n;
        self.dossier = None;
        self.new_form = None;
        match n {
            Nav::Dossiers => Task::batch([
                // Settings may have rebuilt the index or changed the categories.
                self.backend.run(|s| s.searcher(), Message::SearcherReady),
                self.dossiers.refresh(&self.backend).map(Message::Dossiers),
                iced::widget::operation::focus(dossiers::SEARCH_ID),
            ]),
            Nav::Workbench => Task::batch([
                self.load(),
                self.lending.refresh_counts(&self.backend).map(Message::Lending),
                self.inbox.refresh_counts(&self.backend).map(Message::Inbox),
            ]),
            Nav::Inbox => self.inbox.enter(inbox::Tab::Inbox, &self.backend).map(Message::Inbox),
            Nav::Storage => self.storage.refresh(&self.backend).map(Message::Storage),
            Nav::Lending => self.lending.enter(&self.backend).map(Message::Lending),
            Nav::Reports => {
                let tr = Tr::new(self.backend.language());
                self.reports.enter(&self.backend, &tr).map(Message::Reports)
            }
            Nav::Settings => {
                // A rebuild there replaces the index: search through the session until back.
                self.dossiers.set_searcher(None);
                settings::load(&self.backend, self.may_maintain).map(Message::Settings)
            }
        }
    }

    /// A tick every [`POLL_EVERY`] while logged in, from a small thread of its own (iced's
    /// thread-pool executor has no timer); the thread ends when the subscription is dropped.
    pub fn subscription(&self) -> Subscription<Message> {
        let dossier = match &self.dossier {
            Some(d) if self.nav == Nav::Dossiers => d.subscription().map(Message::Dossier),
            _ => Subscription::none(),
        };
        Subscription::batch([
            Subscription::run(ticks),
            dossier,
            self.inbox.subscription().map(Message::Inbox),
        ])
    }

    fn open(&mut self, no: String) -> Task<Message> {
        self.nav = Nav::Dossiers;
        self.new_form = None;
        self.dossier = Some(DossierView::new(no.clone(), self.may_write, self.may_close));
        dossier::load(&self.backend, no).map(Message::Dossier)
    }

    /// Esc: the borrower at the lending desk ends their turn (or the open question is left).
    pub fn escape(&mut self, tr: &Tr) -> Action {
        if self.nav == Nav::Dossiers
            && self.print.is_none()
            && self.pending.is_none()
            && self.dossier.as_mut().is_some_and(DossierView::escape)
        {
            return Action::None;
        }
        if self.nav == Nav::Lending && self.print.is_none() && self.pending.is_none() {
            return self.update(Message::Lending(lending::Message::EndTurn), tr);
        }
        Action::None
    }

    /// Arrow keys and Enter when nothing else took them.
    pub fn key(&mut self, up: bool) -> Action {
        if self.nav == Nav::Dossiers && self.dossier.is_none() && self.new_form.is_none() {
            let m = if up { dossiers::Message::Up } else { dossiers::Message::Down };
            // The list scrolls to keep the selection in sight (and loads more near its end).
            if let dossiers::Action::Task(t) = self.dossiers.update(m, &self.backend) {
                return Action::Task(t.map(Message::Dossiers));
            }
        }
        Action::None
    }

    pub fn view<'a>(&'a self, tr: &'a Tr) -> Element<'a, Message> {
        let nav_button = |label: String, n: Nav| {
            button(text(label).size(16))
                .on_press(Message::Nav(n))
                .width(Length::Fill)
                .padding([10, 16])
                .style(theme::nav(self.nav == n))
        };
        let sidebar = container(
            column![
                text("档案").size(30).style(theme::sidebar_text),
                text("Dangan").size(13).style(theme::sidebar_text),
                iced::widget::space::vertical().height(16),
                nav_button(tr.t("nav-workbench"), Nav::Workbench),
                nav_button(tr.t("nav-dossiers"), Nav::Dossiers),
                nav_button(tr.t("nav-storage"), Nav::Storage),
                nav_button(tr.t("nav-lending"), Nav::Lending),
                self.inbox_nav(tr),
                nav_button(tr.t("nav-reports"), Nav::Reports),
                nav_button(tr.t("nav-settings"), Nav::Settings),
                iced::widget::space::vertical(),
                button(text(tr.t("logout")).size(13)).on_press(Message::Logout).style(theme::nav(false)),
            ]
            .spacing(4)
            .padding(12),
        )
        .width(180)
        .height(Length::Fill)
        .style(theme::sidebar);

        let content: Element<'a, Message> = if self.pending.is_some() {
            self.unsaved_question(tr)
        } else if let Some(p) = &self.print {
            p.view(tr).map(Message::Print)
        } else {
            match self.nav {
                Nav::Workbench => self.workbench(tr),
                Nav::Storage => self.storage.view(tr).map(Message::Storage),
                Nav::Lending => self.lending.view(tr).map(Message::Lending),
                Nav::Inbox => self.inbox.view(tr).map(Message::Inbox),
                Nav::Reports => self.reports.view(tr).map(Message::Reports),
                Nav::Settings => {
                    self.settings.view(tr, self.is_admin, self.may_maintain).map(Message::Settings)
                }
                Nav::Dossiers => {
                    if let Some(form) = &self.new_form {
                        form.view(tr, tr.t("new-title")).map(Message::NewForm)
                    } else if let Some(d) = &self.dossier {
                        d.view(tr).map(Message::Dossier)
                    } else {
                        self.dossiers.view(tr).map(Message::Dossiers)
                    }
                }
            }
        };
        let index = match (self.indexing, self.index) {
            (Some((d, t)), _) => {
                tr.ta("demo-indexing", &[("done", &d.to_string()), ("total", &t.to_string())])
            }
            (None, index) => match index {
                Some(IndexState::Ready) | None => tr.t("status-index-ready"),
                Some(IndexState::Behind(n)) => tr.ta("status-index-behind", &[("count", &n.to_string())]),
                Some(IndexState::Missing) => tr.t("status-index-missing"),
            },
        };
        let mut status = row![
            text(self.library.display().to_string()).size(12),
            text("·").size(12),
            text(tr.ta(
                "status-user",
                &[("name", &self.user.display_name), ("role", &tr.t(self.user.role.label_key()))]
            ))
            .size(12),
            text("·").size(12),
            text(index).size(12),
        ]
        .spacing(8);
        if let Some(f) = &self.flash {
            status = status.push(iced::widget::space::horizontal()).push(text(f.clone()).size(12));
        }
        let status = container(status).padding([4, 12]).width(Length::Fill).style(theme::status_bar);
        row![sidebar, column![container(content).height(Length::Fill).width(Length::Fill), status]].into()
    }

    /// "Unsaved changes": 保存 / 放弃修改 / 继续编辑.
    fn unsaved_question<'a>(&'a self, tr: &Tr) -> Element<'a, Message> {
        let question = container(
            column![
                text(tr.t("unsaved-title")).size(20),
                text(tr.t("unsaved-body")),
                row![
                    button(text(tr.t("save"))).on_press(Message::Unsaved(Answer::Save)),
                    button(text(tr.t("unsaved-discard")))
                        .on_press(Message::Unsaved(Answer::Discard))
                        .style(button::danger),
                    button(text(tr.t("unsaved-keep")))
                        .on_press(Message::Unsaved(Answer::KeepEditing))
                        .style(button::secondary),
                ]
                .spacing(8),
            ]
            .spacing(12),
        )
        .padding(16)
        .max_width(520)
        .style(theme::warning_box);
        container(question).padding(24).center(Length::Fill).into()
    }

    fn workbench<'a>(&'a self, tr: &Tr) -> Element<'a, Message> {
        column![
            text(tr.t("workbench-title")).size(26),
            text(tr.ta("workbench-hello", &[("name", &self.user.display_name)])),
            text(tr.ta("workbench-count", &[("count", &self.count.to_string())])),
            self.desk_counts(tr),
            self.scan_counts(tr),
            container(text(tr.t("workbench-hint")).style(theme::muted)).padding(12).style(theme::card),
        ]
        .spacing(14)
        .padding(24)
        .into()
    }

    /// The side bar's 待分拣 button, with the number of pages waiting (for those who may file).
    fn inbox_nav<'a>(&'a self, tr: &Tr) -> Element<'a, Message> {
        if !self.may_write {
            return iced::widget::space::vertical().height(0).into();
        }
        let mut label = row![text(tr.t("nav-inbox")).size(16), iced::widget::space::horizontal()]
            .align_y(iced::Alignment::Center);
        if let Some(n) = self.inbox.inbox_count.filter(|n| *n > 0) {
            label = label.push(container(text(n.to_string()).size(12)).padding([1, 7]).style(theme::badge));
        }
        button(label)
            .on_press(Message::Nav(Nav::Inbox))
            .width(Length::Fill)
            .padding([10, 16])
            .style(theme::nav(self.nav == Nav::Inbox))
            .into()
    }

    /// The scanning work on the 工作台: pages in the inbox, dossiers waiting to be scanned
    /// (with how many are past or near their deadline); each opens its list.
    fn scan_counts<'a>(&'a self, tr: &Tr) -> Element<'a, Message> {
        let Some(u) = &self.inbox.unscanned else {
            return text(tr.t("workbench-scans-loading")).size(13).style(theme::muted).into();
        };
        let mut counts = row![].spacing(12);
        if self.may_write {
            let n = self.inbox.inbox_count.unwrap_or(0);
            counts = counts.push(
                container(
                    button(
                        column![text(n.to_string()).size(28), text(tr.t("workbench-inbox")).size(13)]
                            .spacing(2)
                            .align_x(iced::Alignment::Center),
                    )
                    .padding([8, 20])
                    .on_press(Message::OpenScans(inbox::Tab::Inbox))
                    .style(button::secondary),
                )
                .id(WORKBENCH_INBOX_ID),
            );
        }
        counts = counts.push(
            container(
                button(
                    column![
                        text(u.total.to_string()).size(28),
                        text(tr.t("workbench-unscanned")).size(13),
                        text(tr.ta(
                            "workbench-unscanned-states",
                            &[("overdue", &u.overdue.to_string()), ("warning", &u.warning.to_string())]
                        ))
                        .size(11),
                    ]
                    .spacing(2)
                    .align_x(iced::Alignment::Center),
                )
                .padding([8, 20])
                .on_press(Message::OpenScans(inbox::Tab::Unscanned))
                .style(if u.overdue > 0 { button::danger } else { button::secondary }),
            )
            .id(WORKBENCH_UNSCANNED_ID),
        );
        counts.into()
    }

    /// The lending desk's counts on the 工作台: overdue (red when any) and due today, each a
    /// button that opens that list.
    fn desk_counts<'a>(&'a self, tr: &Tr) -> Element<'a, Message> {
        let Some(c) = self.lending.counts else {
            return text(tr.t("workbench-desk-loading")).size(13).style(theme::muted).into();
        };
        let count = |key: &str, n: i64, tab: lending::Tab, id: &'static str, danger: bool| {
            container(
                button(
                    column![text(n.to_string()).size(28), text(tr.t(key)).size(13)]
                        .spacing(2)
                        .align_x(iced::Alignment::Center),
                )
                .padding([8, 20])
                .on_press(Message::OpenDesk(tab))
                .style(if danger && n > 0 { button::danger } else { button::secondary }),
            )
            .id(id)
        };
        iced::widget::row![
            count("workbench-overdue", c.overdue, lending::Tab::Overdue, WORKBENCH_OVERDUE_ID, true),
            count("workbench-due-today", c.due_today, lending::Tab::DueToday, WORKBENCH_DUE_TODAY_ID, false),
            count("workbench-out", c.out, lending::Tab::Current, WORKBENCH_OUT_ID, false),
        ]
        .spacing(12)
        .into()
    }
}

/// What a scanned code names, through the core's `where`: a dossier, a box, a location, a
/// borrower's card (or a badge recorded as one). A code
/// the core does not know may still be something search finds (a customer number, a phone): it
/// opens if it names exactly one dossier. A mistyped or foreign code is the core's error.
fn resolve(s: &mut crate::core::Session, code: &str) -> crate::core::Result<Scan> {
    match s.where_is(code) {
        Ok(Found::Dossier { dossier, .. }) => Ok(Scan::Dossier(dossier)),
        Ok(Found::Box(view)) => Ok(Scan::Box(Box::new(view))),
        Ok(Found::Location { location, .. }) => Ok(Scan::Location(location.code)),
        Ok(Found::Borrower(b)) => Ok(Scan::Borrower(b.summary.borrower.code)),
        Err(e) if e.message().key == "code-unknown" => {
            let hits = s.search(&SearchQuery { text: code.to_string(), limit: 2, ..Default::default() })?;
            match hits.as_slice() {
                [one] => Ok(Scan::Dossier(one.dossier.clone())),
                _ => Err(e),
            }
        }
        Err(e) => Err(e),
    }
}

fn ticks() -> iced::futures::channel::mpsc::UnboundedReceiver<Message> {
    let (tx, rx) = iced::futures::channel::mpsc::unbounded();
    let spawned = std::thread::Builder::new().name("dangan-poll".into()).spawn(move || {
        loop {
            std::thread::sleep(POLL_EVERY);
            if tx.unbounded_send(Message::Poll).is_err() {
                return;
            }
        }
    });
    if let Err(e) = spawned {
        tracing::warn!(error = %e, "cannot start the poll thread: other programs' changes show after a refresh");
    }
    rx
}
