//! 库房: the location tree, the boxes of a location with their fill, a box's folders and
//! movements, the moves an archivist makes (add a location, open a box, shelve or move it,
//! return it home, seal it), and the shelf inventory (盘点) fed by the barcode scanner.
//!
//! Everything goes through `core` on a worker thread ([`Backend::run`]); the core checks the
//! permissions, the buttons are only shown to those who may press them. Notices sit in fixed
//! slots (an empty text when there is nothing to say), so a message appearing never moves the
//! widget tree under a focused input.

use iced::widget::{
    button, checkbox, column, container, progress_bar, row, scrollable, space, text, text_input,
};
use iced::{Alignment, Element, Length, Task};

use super::backend::{Backend, Failure};
use super::i18n::{Tr, local_time};
use super::theme;
use crate::core::storage::{
    BoxView, Found, InventoryItem, InventoryReport, LocationAdded, LocationNode, NewBoxSpec,
};
use crate::model::storage::{BoxInfo, BoxStatus, Location, Movement};

/// The field for a new location's path.
pub const NEW_PATH_ID: &str = "storage-new-path";
/// The field for where a box goes (a typed path or a scanned location code).
pub const PLACE_ID: &str = "storage-place";
/// The inventory's field for a code typed by hand.
pub const INVENTORY_CODE_ID: &str = "storage-inventory-code";
/// Where label printing (src/labels) puts its buttons for the open box: the row is empty until
/// the labels screen is connected (a 打印标签 button sending the box code).
pub const BOX_LABELS_ID: &str = "storage-box-labels";
/// The scrollable page right of the tree.
pub const PAGE_ID: &str = "storage-page";
/// The most box rows a location shows (a room of a big archive holds tens of thousands).
pub const MAX_BOX_ROWS: usize = 300;

/// The id of a location's row in the tree.
pub fn location_row_id(code: &str) -> String {
    format!("storage-location-{code}")
}

/// The id of a box's row in a location's list.
pub fn box_row_id(code: &str) -> String {
    format!("storage-box-{code}")
}

/// The id of a folder's row in the open box.
pub fn folder_row_id(dossier: &str) -> String {
    format!("storage-folder-{dossier}")
}

/// A location as chosen: it, the boxes that belong there (or below), and the boxes standing
/// there now that belong elsewhere.
#[derive(Debug, Clone)]
pub struct Chosen {
    pub location: Location,
    pub boxes: Vec<BoxInfo>,
    pub visiting: Vec<BoxInfo>,
}

/// A shelf inventory in progress (codes being scanned) or done (its report).
#[derive(Debug, Clone, Default)]
pub struct Inventory {
    /// The location's path and code.
    pub path: String,
    pub code: String,
    /// The codes scanned so far, in order (a location label among them says where the boxes
    /// scanned after it stand).
    pub codes: Vec<String>,
    /// A code typed by hand.
    pub typed: String,
    /// Correct the current location of every box seen.
    pub fix: bool,
    pub running: bool,
    pub error: Option<String>,
    pub report: Option<InventoryReport>,
}

impl Inventory {
    /// Appends a code. A scan into the focused field arrives twice (the field's Enter and the
    /// wedge's), the second time perhaps without its first character: counted once.
    fn push(&mut self, code: &str) {
        let c = crate::model::storage::normalize_code(code);
        if c.is_empty() || self.codes.last().is_some_and(|l| l.ends_with(&c)) {
            return;
        }
        self.codes.push(c);
    }
}

#[derive(Debug, Default)]
pub struct Storage {
    pub tree: Vec<LocationNode>,
    pub chosen: Option<Chosen>,
    pub open_box: Option<BoxView>,
    /// What went wrong loading the tree, a location or a box (beside the title).
    pub error: Option<String>,
    /// What the last action did ("已上架…"), beside the controls.
    pub note: Option<String>,
    pub new_path: String,
    pub new_path_error: Option<String>,
    /// Next to 新建档案盒.
    pub new_box_error: Option<String>,
    pub place_to: String,
    pub place_error: Option<String>,
    /// The location a place request went to last (a scan that typed into the field and then
    /// submitted it must not be resolved a second time).
    last_place: Option<String>,
    pub inventory: Option<Inventory>,
    pub may_manage: bool,
    pub busy: bool,
}

#[derive(Debug, Clone)]
pub enum Message {
    /// A label button: open the label panel.
    Print(super::print::Request),
    Tree(Result<Vec<LocationNode>, Failure>),
    /// A location (by code) chosen in the tree.
    Choose(String),
    Chosen(Result<Box<Chosen>, Failure>),
    /// A box (by code) chosen in a list.
    OpenBox(String),
    BoxLoaded(Result<Box<BoxView>, Failure>),
    CloseBox,
    NewPath(String),
    AddLocation,
    LocationAdded(Result<Box<LocationAdded>, Failure>),
    /// Open a new box at the chosen location.
    NewBox,
    BoxMade(Result<Box<BoxInfo>, Failure>),
    PlaceTo(String),
    /// Put the open box at the typed location: its home (false) or only for now (true).
    Place(bool),
    Return,
    Seal(bool),
    BoxChanged(Result<Box<BoxInfo>, Failure>),
    OpenDossier(String),
    StartInventory,
    InventoryTyped(String),
    InventoryAdd,
    InventoryRemove(usize),
    InventoryFix(bool),
    InventoryFinish,
    Inventoried(Result<Box<InventoryReport>, Failure>),
    InventoryClose,
}

#[derive(Debug)]
pub enum Action {
    None,
    Task(Task<Message>),
    /// Open a dossier (a folder clicked in a box).
    Open(String),
    /// Print labels (the label panel opens over the screen).
    Print(super::print::Request),
}

/// A location by its code or path, with its boxes.
fn load_location(backend: &Backend, key: String) -> Task<Message> {
    backend.run(
        move |s| {
            let code = s.location(&key)?.code;
            match s.where_is(&code)? {
                Found::Location { location, boxes, visiting, .. } => {
                    Ok(Box::new(Chosen { location, boxes, visiting }))
                }
                _ => Err(crate::model::Error::missing("location-not-found").arg("path", &key)),
            }
        },
        Message::Chosen,
    )
}

fn load_box(backend: &Backend, code: String) -> Task<Message> {
    backend.run(move |s| s.box_view(&code).map(Box::new), Message::BoxLoaded)
}

impl Storage {
    pub fn new(may_manage: bool) -> Storage {
        Storage { may_manage, ..Storage::default() }
    }

    /// Reloads the tree, and the chosen location and open box.
    pub fn refresh(&self, backend: &Backend) -> Task<Message> {
        let mut tasks = vec![backend.run(|s| s.locations(None), Message::Tree)];
        if let Some(c) = &self.chosen {
            tasks.push(load_location(backend, c.location.code.clone()));
        }
        if let Some(b) = &self.open_box {
            tasks.push(load_box(backend, b.info.code.clone()));
        }
        Task::batch(tasks)
    }

    /// Shows a box (a scan, a dossier's box clicked), with its location chosen in the tree.
    pub fn show_box(&mut self, backend: &Backend, view: Option<BoxView>, code: String) -> Task<Message> {
        self.inventory = None;
        self.note = None;
        self.place_error = None;
        self.place_to.clear();
        let load = match view {
            Some(v) => {
                let context = self.context_of(&v.info, backend);
                self.open_box = Some(v);
                Task::batch([
                    context,
                    iced::widget::operation::snap_to(PAGE_ID, iced::widget::operation::RelativeOffset::START),
                ])
            }
            None => load_box(backend, code),
        };
        Task::batch([backend.run(|s| s.locations(None), Message::Tree), load])
    }

    /// The location a box stands at, chosen in the tree, unless the chosen one already holds it.
    fn context_of(&self, b: &BoxInfo, backend: &Backend) -> Task<Message> {
        let Some(place) = b.current.clone().or_else(|| b.home.clone()) else { return Task::none() };
        let inside = self.chosen.as_ref().is_some_and(|c| {
            let root = &c.location.path;
            place == *root || place.strip_prefix(root.as_str()).is_some_and(|r| r.starts_with('/'))
        });
        if inside { Task::none() } else { load_location(backend, place) }
    }

    /// Shows a location (a scanned location label).
    pub fn show_location(&mut self, backend: &Backend, code: String) -> Task<Message> {
        self.inventory = None;
        self.open_box = None;
        self.note = None;
        Task::batch([backend.run(|s| s.locations(None), Message::Tree), load_location(backend, code)])
    }

    /// A scan this screen is waiting for: a code for the running inventory, or a location
    /// scanned into the "move to" field. Returns whether it took the code.
    pub fn take_scan(&mut self, code: &str) -> bool {
        if let Some(inv) = self.inventory.as_mut()
            && inv.report.is_none()
            && !inv.running
        {
            strip(&mut inv.typed, code);
            inv.push(code);
            self.new_path = without(&self.new_path, code);
            return true;
        }
        if self.open_box.is_some()
            && (self.place_to.contains(code) || self.last_place.as_deref() == Some(code))
        {
            return true;
        }
        false
    }

    /// A scanned location while a box is open and may be moved: it goes into the "move to"
    /// field. Returns whether it did.
    pub fn offer_location(&mut self, code: &str) -> bool {
        if self.may_manage && self.open_box.is_some() && self.inventory.is_none() {
            self.strip_scan(code);
            self.place_to = code.to_string();
            self.place_error = None;
            return true;
        }
        false
    }

    /// Takes a scan's characters out of the fields it typed into.
    pub fn strip_scan(&mut self, code: &str) {
        strip(&mut self.new_path, code);
        strip(&mut self.place_to, code);
        if let Some(inv) = self.inventory.as_mut() {
            strip(&mut inv.typed, code);
        }
    }

    pub fn update(&mut self, message: Message, backend: &Backend, tr: &Tr) -> Action {
        match message {
            Message::Tree(Ok(tree)) => self.tree = tree,
            Message::Tree(Err(f)) => self.error = Some(f.message),
            Message::Choose(code) => {
                self.open_box = None;
                self.note = None;
                self.new_box_error = None;
                if let Some(inv) = self.inventory.as_mut()
                    && inv.report.is_none()
                    && !inv.codes.is_empty()
                {
                    // Scans not yet counted are not thrown away by a click in the tree.
                    inv.error = Some(tr.t("inv-unfinished"));
                    return Action::None;
                }
                self.inventory = None;
                return Action::Task(load_location(backend, code));
            }
            Message::Chosen(Ok(c)) => {
                self.chosen = Some(*c);
                self.error = None;
            }
            Message::Chosen(Err(f)) => self.error = Some(f.message),
            Message::Print(r) => return Action::Print(r),
            Message::OpenBox(code) => {
                self.note = None;
                self.place_error = None;
                self.place_to.clear();
                return Action::Task(load_box(backend, code));
            }
            Message::BoxLoaded(Ok(v)) => {
                let other = self.open_box.as_ref().is_none_or(|b| b.info.code != v.info.code);
                let context = self.context_of(&v.info, backend);
                self.open_box = Some(*v);
                self.error = None;
                if other {
                    return Action::Task(Task::batch([
                        context,
                        iced::widget::operation::snap_to(
                            PAGE_ID,
                            iced::widget::operation::RelativeOffset::START,
                        ),
                    ]));
                }
            }
            Message::BoxLoaded(Err(f)) => self.error = Some(f.message),
            Message::CloseBox => {
                self.open_box = None;
                self.place_error = None;
                self.note = None;
            }
            Message::NewPath(p) => {
                self.new_path = p;
                self.new_path_error = None;
            }
            Message::AddLocation => {
                if self.busy || self.new_path.trim().is_empty() {
                    self.new_path_error = Some(tr.t("location-path-empty"));
                    return Action::None;
                }
                self.busy = true;
                let path = self.new_path.clone();
                return Action::Task(
                    backend.run(move |s| s.add_location(&path, None).map(Box::new), Message::LocationAdded),
                );
            }
            Message::LocationAdded(r) => {
                self.busy = false;
                match r {
                    Ok(added) => {
                        let l = &added.location;
                        self.note = Some(tr.ta(
                            if added.created.is_empty() {
                                "room-location-exists"
                            } else {
                                "room-location-added"
                            },
                            &[("path", &l.path), ("code", &l.code)],
                        ));
                        self.new_path.clear();
                        self.new_path_error = None;
                        let code = l.code.clone();
                        return Action::Task(Task::batch([
                            backend.run(|s| s.locations(None), Message::Tree),
                            load_location(backend, code),
                        ]));
                    }
                    Err(f) => self.new_path_error = Some(f.message),
                }
            }
            Message::NewBox => {
                let Some(c) = &self.chosen else { return Action::None };
                if self.busy {
                    return Action::None;
                }
                self.busy = true;
                let spec = NewBoxSpec { location: Some(c.location.code.clone()), ..NewBoxSpec::default() };
                return Action::Task(backend.run(move |s| s.add_box(spec).map(Box::new), Message::BoxMade));
            }
            Message::BoxMade(r) => {
                self.busy = false;
                match r {
                    Ok(b) => {
                        self.new_box_error = None;
                        self.note = Some(tr.ta(
                            "room-box-made",
                            &[
                                ("code", &b.code),
                                ("year", &b.year.to_string()),
                                ("no", &b.box_no.to_string()),
                            ],
                        ));
                        self.open_box = None;
                        let code = b.code.clone();
                        return Action::Task(Task::batch([self.refresh(backend), load_box(backend, code)]));
                    }
                    Err(f) => self.new_box_error = Some(f.message),
                }
            }
            Message::PlaceTo(p) => {
                self.place_to = p;
                self.place_error = None;
            }
            Message::Place(temporary) => {
                let Some(b) = &self.open_box else { return Action::None };
                let to = self.place_to.trim().to_string();
                if to.is_empty() {
                    self.place_error = Some(tr.t("location-path-empty"));
                    return Action::None;
                }
                if self.busy {
                    return Action::None;
                }
                self.busy = true;
                self.last_place = Some(to.clone());
                let code = b.info.code.clone();
                return Action::Task(backend.run(
                    move |s| s.place_box(&code, &to, temporary, "").map(Box::new),
                    Message::BoxChanged,
                ));
            }
            Message::Return => {
                let Some(b) = &self.open_box else { return Action::None };
                if self.busy {
                    return Action::None;
                }
                self.busy = true;
                let code = b.info.code.clone();
                return Action::Task(
                    backend.run(move |s| s.return_box(&code).map(Box::new), Message::BoxChanged),
                );
            }
            Message::Seal(seal) => {
                let Some(b) = &self.open_box else { return Action::None };
                if self.busy {
                    return Action::None;
                }
                self.busy = true;
                let code = b.info.code.clone();
                let status = if seal { BoxStatus::Sealed } else { BoxStatus::Open };
                return Action::Task(
                    backend.run(move |s| s.set_box_status(&code, status).map(Box::new), Message::BoxChanged),
                );
            }
            Message::BoxChanged(r) => {
                self.busy = false;
                match r {
                    Ok(b) => {
                        self.place_error = None;
                        self.place_to.clear();
                        self.note = Some(tr.ta(
                            "room-box-now",
                            &[
                                ("code", &b.code),
                                ("place", &b.current.clone().unwrap_or_else(|| tr.t("where-not-shelved"))),
                                ("status", &tr.t(b.status.label_key())),
                            ],
                        ));
                        return Action::Task(self.refresh(backend));
                    }
                    Err(f) => self.place_error = Some(f.message),
                }
            }
            Message::OpenDossier(no) => return Action::Open(no),
            Message::StartInventory => {
                let Some(c) = &self.chosen else { return Action::None };
                self.open_box = None;
                self.note = None;
                self.inventory = Some(Inventory {
                    path: c.location.path.clone(),
                    code: c.location.code.clone(),
                    ..Inventory::default()
                });
                return Action::Task(iced::widget::operation::focus(INVENTORY_CODE_ID));
            }
            Message::InventoryTyped(t) => {
                if let Some(inv) = self.inventory.as_mut() {
                    inv.typed = t;
                }
            }
            Message::InventoryAdd => {
                if let Some(inv) = self.inventory.as_mut() {
                    let typed = std::mem::take(&mut inv.typed);
                    inv.push(&typed);
                }
            }
            Message::InventoryRemove(i) => {
                if let Some(inv) = self.inventory.as_mut()
                    && i < inv.codes.len()
                {
                    inv.codes.remove(i);
                }
            }
            Message::InventoryFix(fix) => {
                if let Some(inv) = self.inventory.as_mut() {
                    inv.fix = fix;
                }
            }
            Message::InventoryFinish => {
                let Some(inv) = self.inventory.as_mut() else { return Action::None };
                if inv.running || inv.report.is_some() {
                    return Action::None;
                }
                inv.running = true;
                inv.error = None;
                let (location, codes, fix) = (inv.code.clone(), inv.codes.clone(), inv.fix);
                return Action::Task(
                    backend.run(
                        move |s| s.inventory(&location, &codes, fix).map(Box::new),
                        Message::Inventoried,
                    ),
                );
            }
            Message::Inventoried(r) => {
                let Some(inv) = self.inventory.as_mut() else { return Action::None };
                inv.running = false;
                match r {
                    Ok(report) => {
                        inv.report = Some(*report);
                        // Corrected places show in the tree and the lists.
                        return Action::Task(self.refresh(backend));
                    }
                    Err(f) => inv.error = Some(f.message),
                }
            }
            Message::InventoryClose => {
                if let Some(inv) = self.inventory.take() {
                    return Action::Task(load_location(backend, inv.code));
                }
            }
        }
        Action::None
    }

    pub fn view<'a>(&'a self, tr: &Tr) -> Element<'a, Message> {
        let right: Element<'a, Message> = match &self.inventory {
            Some(inv) => self.inventory_view(inv, tr),
            None => {
                // The open box first (it is what the clerk chose or scanned), then the
                // location's list, then the form for a new location.
                let mut page = column![].spacing(14);
                if let Some(b) = &self.open_box {
                    page = page.push(self.box_view(b, tr));
                }
                page = page.push(self.location_view(tr));
                scrollable(page.padding(16)).id(PAGE_ID).height(Length::Fill).into()
            }
        };
        row![container(self.tree_view(tr)).width(260).height(Length::Fill).style(theme::card), right]
            .spacing(0)
            .padding([0, 0])
            .into()
    }

    /// The tree, opened along the chosen location: the rooms, and the levels below every
    /// location on the way to the chosen one.
    fn tree_view<'a>(&'a self, tr: &Tr) -> Element<'a, Message> {
        let chosen = self.chosen.as_ref().map(|c| c.location.path.as_str()).unwrap_or("");
        let open =
            |path: &str| chosen == path || chosen.strip_prefix(path).is_some_and(|r| r.starts_with('/'));
        let parents: std::collections::HashSet<i64> =
            self.tree.iter().filter_map(|n| n.location.parent_id).collect();
        let mut list = column![text(tr.t("room-tree-title")).size(18)].spacing(2);
        if self.tree.is_empty() {
            list = list.push(text(tr.t("room-tree-empty")).size(13).style(theme::muted));
        }
        for n in &self.tree {
            let parent = n.location.path.rsplit_once('/').map(|(p, _)| p);
            if !parent.is_none_or(open) {
                continue;
            }
            let l = &n.location;
            let has_children = parents.contains(&l.id);
            let mark = match (has_children, open(&l.path)) {
                (false, _) => "·",
                (true, true) => "▾",
                (true, false) => "▸",
            };
            let name = format!("{}{mark} {}", "    ".repeat(n.depth), l.name);
            let count = if n.boxes_here > 0 {
                tr.ta("room-boxes-here", &[("count", &n.boxes_here.to_string())])
            } else {
                String::new()
            };
            let selected = chosen == l.path;
            list = list.push(
                container(
                    button(
                        row![
                            text(name).size(14),
                            space::horizontal(),
                            text(count).size(12).style(theme::muted)
                        ]
                        .spacing(6),
                    )
                    .on_press(Message::Choose(l.code.clone()))
                    .width(Length::Fill)
                    .padding([4, 8])
                    .style(theme::row_button(selected)),
                )
                .id(location_row_id(&l.code)),
            );
        }
        scrollable(list.padding(10)).height(Length::Fill).into()
    }

    fn location_view<'a>(&'a self, tr: &Tr) -> Element<'a, Message> {
        let mut page = column![].spacing(10);
        match &self.chosen {
            Some(c) => {
                let l = &c.location;
                let mut head = row![
                    column![
                        text(l.path.clone()).size(24),
                        text(format!("{} · {} {}", tr.t(l.level.label_key()), tr.t("col-code"), l.code))
                            .style(theme::muted),
                    ]
                    .spacing(2),
                    space::horizontal(),
                ]
                .spacing(8)
                .align_y(Alignment::Center);
                if self.may_manage {
                    head = head
                        .push(
                            button(text(tr.t("room-new-box")))
                                .on_press(Message::NewBox)
                                .style(button::secondary),
                        )
                        .push(button(text(tr.t("room-inventory"))).on_press(Message::StartInventory));
                }
                page = page.push(head);
                page = page.push(super::print::location_buttons(&l.path, tr, Message::Print));
                page = page.push(text(self.new_box_error.clone().unwrap_or_default()).style(theme::error));
                page = page.push(self.boxes_list(&c.boxes, tr.t("room-boxes-title"), tr));
                if !c.visiting.is_empty() {
                    page = page.push(self.boxes_list(&c.visiting, tr.t("where-visiting"), tr));
                }
            }
            None => {
                page = page.push(text(tr.t("nav-storage")).size(24));
                page = page.push(text(tr.t("room-choose-hint")).style(theme::muted));
            }
        }
        page = page.push(text(self.error.clone().unwrap_or_default()).style(theme::error));
        if self.may_manage {
            page = page.push(
                container(
                    column![
                        text(tr.t("room-add-location")).size(16),
                        row![
                            text_input(&tr.t("room-new-path-hint"), &self.new_path)
                                .id(NEW_PATH_ID)
                                .on_input(Message::NewPath)
                                .on_submit(Message::AddLocation),
                            button(text(tr.t("room-add"))).on_press(Message::AddLocation),
                        ]
                        .spacing(8),
                        text(self.new_path_error.clone().unwrap_or_default()).size(13).style(theme::error),
                    ]
                    .spacing(6),
                )
                .padding(12)
                .style(theme::card),
            );
        }
        if self.open_box.is_none() {
            page = page.push(text(self.note.clone().unwrap_or_default()).style(theme::success));
        }
        page.into()
    }

    fn boxes_list<'a>(&'a self, boxes: &'a [BoxInfo], title: String, tr: &Tr) -> Element<'a, Message> {
        let mut list = column![text(title).size(16).style(theme::heading)].spacing(4);
        if boxes.is_empty() {
            list = list.push(text(tr.t("where-no-boxes")).style(theme::muted));
        } else {
            list = list.push(
                row![
                    text(tr.t("col-box")).size(12).style(theme::muted).width(Length::FillPortion(3)),
                    text(tr.t("col-box-no")).size(12).style(theme::muted).width(Length::FillPortion(3)),
                    text(tr.t("col-fill")).size(12).style(theme::muted).width(Length::FillPortion(4)),
                    text(tr.t("room-status")).size(12).style(theme::muted).width(Length::FillPortion(2)),
                    text(tr.t("col-items")).size(12).style(theme::muted).width(Length::FillPortion(2)),
                    text(tr.t("col-current")).size(12).style(theme::muted).width(Length::FillPortion(4)),
                ]
                .spacing(8)
                .padding([0, 8]),
            );
        }
        let open = self.open_box.as_ref().map(|b| b.info.code.as_str());
        for b in boxes.iter().take(MAX_BOX_ROWS) {
            let fill = b.fill();
            let current = match (&b.current, &b.home) {
                (Some(c), Some(h)) if c != h => format!("{c} ({})", tr.t("room-away")),
                (Some(c), _) => c.clone(),
                (None, _) => tr.t("where-not-shelved"),
            };
            let r = row![
                text(b.code.clone()).size(14).width(Length::FillPortion(3)),
                text(tr.ta("room-year-no", &[("year", &b.year.to_string()), ("no", &b.box_no.to_string())]))
                    .size(13)
                    .width(Length::FillPortion(3)),
                row![
                    progress_bar(0.0..=1.0, fill.min(1.0) as f32)
                        .length(70)
                        .girth(8)
                        .style(theme::fill_bar(fill)),
                    text(format!("{}/{} ({:.0}%)", b.count, b.capacity, fill * 100.0)).size(12),
                ]
                .spacing(6)
                .align_y(Alignment::Center)
                .width(Length::FillPortion(4)),
                text(tr.t(b.status.label_key())).size(13).width(Length::FillPortion(2)),
                text(if b.item_range().is_empty() { "—".to_string() } else { b.item_range() })
                    .size(13)
                    .width(Length::FillPortion(2)),
                text(current).size(12).style(theme::muted).width(Length::FillPortion(4)),
            ]
            .spacing(8)
            .align_y(Alignment::Center);
            list = list.push(
                container(
                    button(r)
                        .on_press(Message::OpenBox(b.code.clone()))
                        .width(Length::Fill)
                        .padding([4, 8])
                        .style(theme::row_button(open == Some(b.code.as_str()))),
                )
                .id(box_row_id(&b.code)),
            );
        }
        if boxes.len() > MAX_BOX_ROWS {
            list = list.push(
                text(tr.ta(
                    "room-more-boxes",
                    &[("shown", &MAX_BOX_ROWS.to_string()), ("total", &boxes.len().to_string())],
                ))
                .size(13)
                .style(theme::muted),
            );
        }
        container(list).padding(12).width(Length::Fill).style(theme::card).into()
    }

    fn box_view<'a>(&'a self, v: &'a BoxView, tr: &Tr) -> Element<'a, Message> {
        let b = &v.info;
        let fill = b.fill();
        let head = row![
            text(tr.ta(
                "where-box-title",
                &[("code", &b.code), ("year", &b.year.to_string()), ("no", &b.box_no.to_string())]
            ))
            .size(20),
            text(tr.t(b.status.label_key())).style(theme::muted),
            space::horizontal(),
            button(text("×")).on_press(Message::CloseBox).style(button::text),
        ]
        .spacing(10)
        .align_y(Alignment::Center);
        let line = |label: String, value: String| -> Element<'a, Message> {
            row![text(label).size(13).width(90).style(theme::muted), text(value).size(14)].spacing(10).into()
        };
        let dash = |s: &str| if s.is_empty() { "—".to_string() } else { s.to_string() };
        let fields = column![
            line(tr.t("col-fonds"), dash(&b.fonds)),
            line(tr.t("col-retention"), b.retention.clone()),
            line(tr.t("col-items"), dash(&b.item_range())),
            line(tr.t("col-spine"), format!("{} mm", b.spine_mm)),
            row![
                text(tr.t("col-fill")).size(13).width(90).style(theme::muted),
                progress_bar(0.0..=1.0, fill.min(1.0) as f32)
                    .length(120)
                    .girth(10)
                    .style(theme::fill_bar(fill)),
                text(format!("{}/{} ({:.0}%)", b.count, b.capacity, fill * 100.0)).size(14),
            ]
            .spacing(10)
            .align_y(Alignment::Center),
            line(tr.t("where-home"), b.home.clone().unwrap_or_else(|| tr.t("where-not-shelved"))),
            line(tr.t("where-current"), b.current.clone().unwrap_or_else(|| tr.t("where-not-shelved"))),
        ]
        .spacing(4);

        let mut page = column![head, fields].spacing(10);
        if self.may_manage {
            let mut moves = row![
                text_input(&tr.t("room-place-hint"), &self.place_to)
                    .id(PLACE_ID)
                    .on_input(Message::PlaceTo)
                    .on_submit(Message::Place(false)),
                button(text(tr.t(if b.home.is_some() { "room-move-home" } else { "room-shelve" })))
                    .on_press(Message::Place(false)),
            ]
            .spacing(8)
            .align_y(Alignment::Center);
            if b.home.is_some() {
                moves = moves.push(
                    button(text(tr.t("room-move-away")))
                        .on_press(Message::Place(true))
                        .style(button::secondary),
                );
            }
            let mut more = row![].spacing(8);
            if b.home.is_some() && b.home != b.current {
                more = more.push(button(text(tr.t("room-return"))).on_press(Message::Return));
            }
            more = more.push(if b.status == BoxStatus::Sealed {
                button(text(tr.t("room-unseal"))).on_press(Message::Seal(false)).style(button::secondary)
            } else {
                button(text(tr.t("room-seal"))).on_press(Message::Seal(true)).style(button::secondary)
            });
            page = page.push(moves).push(more);
        }
        // One fixed slot: the error of the last move, else what it did.
        page = page.push(match &self.place_error {
            Some(e) => text(e.clone()).size(13).style(theme::error),
            None => text(self.note.clone().unwrap_or_default()).size(13).style(theme::success),
        });
        page = page
            .push(container(super::print::box_buttons(&v.info.code, tr, Message::Print)).id(BOX_LABELS_ID));

        let mut folders = column![text(tr.t("where-contents")).size(16).style(theme::heading)].spacing(2);
        if v.folders.is_empty() {
            folders = folders.push(text(tr.t("room-box-empty")).size(13).style(theme::muted));
        }
        for f in &v.folders {
            let out = f.out.as_ref().map(|o| format!("{} {o}", tr.t("where-folder-out"))).unwrap_or_default();
            folders = folders.push(
                container(
                    button(
                        row![
                            text(format!("{:>3}", f.item_no)).size(14).width(44),
                            text(f.dossier.clone()).size(14).width(Length::FillPortion(3)),
                            text(f.name.clone()).size(14).width(Length::FillPortion(3)),
                            text(out).size(12).style(theme::warning).width(Length::FillPortion(3)),
                        ]
                        .spacing(8),
                    )
                    .on_press(Message::OpenDossier(f.dossier.clone()))
                    .width(Length::Fill)
                    .padding([3, 8])
                    .style(theme::row_button(false)),
                )
                .id(folder_row_id(&f.dossier)),
            );
        }
        page = page.push(folders);
        page = page.push(movements_view(&v.movements, tr));
        container(page).padding(14).width(Length::Fill).style(theme::card).into()
    }

    fn inventory_view<'a>(&'a self, inv: &'a Inventory, tr: &Tr) -> Element<'a, Message> {
        let mut page = column![
            row![
                text(tr.ta("inv-title", &[("path", &inv.path)])).size(22),
                space::horizontal(),
                button(text(tr.t(if inv.report.is_some() { "inv-close" } else { "cancel" })))
                    .on_press(Message::InventoryClose)
                    .style(button::secondary),
            ]
            .align_y(Alignment::Center),
        ]
        .spacing(10);
        match &inv.report {
            None => {
                page = page.push(text(tr.t("inv-hint")).size(13).style(theme::muted));
                page = page.push(
                    row![
                        text_input(&tr.t("inv-code-hint"), &inv.typed)
                            .id(INVENTORY_CODE_ID)
                            .on_input(Message::InventoryTyped)
                            .on_submit(Message::InventoryAdd),
                        button(text(tr.t("inv-add")))
                            .on_press(Message::InventoryAdd)
                            .style(button::secondary),
                    ]
                    .spacing(8),
                );
                page = page.push(
                    row![
                        checkbox(inv.fix).label(tr.t("inv-fix")).on_toggle(Message::InventoryFix),
                        space::horizontal(),
                        if inv.running {
                            button(text(tr.t("inv-running")))
                        } else {
                            button(text(tr.t("inv-finish"))).on_press(Message::InventoryFinish)
                        },
                    ]
                    .align_y(Alignment::Center),
                );
                page = page.push(text(inv.error.clone().unwrap_or_default()).size(13).style(theme::error));
                let mut list = column![
                    text(tr.ta("inv-scanned", &[("count", &inv.codes.len().to_string())]))
                        .size(16)
                        .style(theme::heading)
                ]
                .spacing(2);
                // Newest first: the clerk sees the code just scanned at the top.
                for (i, c) in inv.codes.iter().enumerate().rev() {
                    list = list.push(
                        row![
                            text(format!("{:>3}", i + 1)).size(13).width(40).style(theme::muted),
                            text(c.clone()).size(14),
                            space::horizontal(),
                            button(text("×").size(13))
                                .on_press(Message::InventoryRemove(i))
                                .style(button::text),
                        ]
                        .align_y(Alignment::Center),
                    );
                }
                page = page.push(container(list).padding(12).width(Length::Fill).style(theme::card));
            }
            Some(r) => page = page.push(report_view(r, tr)),
        }
        scrollable(page.padding(16)).height(Length::Fill).into()
    }
}

/// Removes the characters a scan typed into a field (at its end, where the cursor was).
fn strip(field: &mut String, code: &str) {
    *field = without(field, code);
}

fn without(field: &str, code: &str) -> String {
    match field.rfind(code) {
        Some(i) => format!("{}{}", &field[..i], &field[i + code.len()..]),
        None => field.to_string(),
    }
}

/// A movement history, newest first, as sentences of when, why, from → to, who.
pub fn movements_view<'a, M: 'a>(ms: &[Movement], tr: &Tr) -> Element<'a, M> {
    let mut list = column![text(tr.t("where-movements")).size(16).style(theme::heading)].spacing(2);
    if ms.is_empty() {
        list = list.push(text(tr.t("room-no-movements")).size(13).style(theme::muted));
    }
    for m in ms {
        let place = |p: &Option<String>| p.clone().unwrap_or_else(|| "—".into());
        let note = if m.note.is_empty() { String::new() } else { format!(" ({})", m.note) };
        list = list.push(
            text(format!(
                "{}  {}  {}  {} → {}  {}{note}",
                local_time(&m.at),
                tr.t(m.reason.label_key()),
                m.item,
                place(&m.from),
                place(&m.to),
                m.user,
            ))
            .size(13),
        );
    }
    list.into()
}

fn report_view<'a>(r: &InventoryReport, tr: &Tr) -> Element<'a, Message> {
    let mut page = column![
        text(tr.ta(
            "inv-summary",
            &[
                ("expected", &r.expected.to_string()),
                ("found", &r.found.len().to_string()),
                ("missing", &r.missing.len().to_string()),
                ("misplaced", &r.misplaced.len().to_string()),
                ("unknown", &r.unknown.len().to_string()),
            ]
        ))
        .size(16),
    ]
    .spacing(10);
    if r.fixed > 0 {
        page = page.push(text(tr.ta("inv-fixed", &[("count", &r.fixed.to_string())])).style(theme::success));
    }
    let section = |title: String, items: &[InventoryItem], line: &dyn Fn(&InventoryItem) -> String| {
        let mut c =
            column![text(format!("{title} ({})", items.len())).size(16).style(theme::heading)].spacing(2);
        if items.is_empty() {
            c = c.push(text("—").size(13).style(theme::muted));
        }
        for i in items {
            c = c.push(text(line(i)).size(13));
        }
        container(c).padding(12).width(Length::Fill).style(theme::card)
    };
    let label = |i: &InventoryItem| match (i.year, i.box_no) {
        (Some(y), Some(n)) => {
            format!(
                "{} ({})",
                i.code,
                tr.ta("room-year-no", &[("year", &y.to_string()), ("no", &n.to_string())])
            )
        }
        _ if i.label.is_empty() => i.code.clone(),
        _ => format!("{} ({})", i.code, i.label),
    };
    page = page.push(section(tr.t("inventory-missing"), &r.missing, &|i| match (&i.on_loan, &i.current) {
        (Some(b), _) => format!("{}  {}", label(i), tr.ta("inventory-on-loan", &[("borrower", b)])),
        (None, Some(c)) if i.current != i.home => {
            format!("{}  {}", label(i), tr.ta("inv-last-seen", &[("place", c)]))
        }
        _ => label(i),
    }));
    page = page.push(section(tr.t("inventory-misplaced"), &r.misplaced, &|i| {
        format!(
            "{}  {}",
            label(i),
            tr.ta("inv-belongs", &[("place", &i.home.clone().unwrap_or_else(|| tr.t("where-not-shelved")))])
        )
    }));
    page = page.push(section(tr.t("inventory-unknown"), &r.unknown, &|i| {
        format!("{}  {}", i.code, i.reason.as_deref().map(|k| tr.t(k)).unwrap_or_default())
    }));
    page = page.push(section(tr.t("inventory-found"), &r.found, &label));
    page.into()
}
