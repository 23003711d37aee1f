//! 客户档案: search as you type, filters, and a list that follows the clerk.
//!
//! Each keystroke waits [`DEBOUNCE`] on a worker thread *before* anything is touched, and a
//! newer keystroke aborts the older request (its task, and a generation check before any work),
//! so a burst of keys costs one search, for the last text. Searches go through the user's
//! [`Searcher`] (taken from the session after login), never through the session's mutex, so
//! they do not queue behind writes or each other. The list shows the true number of matches,
//! loads further pages as the clerk scrolls or moves past the last row, scrolls to the top for a
//! new query and keeps the selected row on screen; it never builds more than [`MAX_ROWS`] rows,
//! however big the library.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use iced::widget::operation::{AbsoluteOffset, RelativeOffset};
use iced::widget::scrollable::Viewport;
use iced::widget::text::Wrapping;
use iced::widget::{
    button, column, container, pick_list, rich_text, row, scrollable, span, text, text_input,
};
use iced::{Element, Font, Length, Task};

use super::backend::{Backend, Failure};
use super::i18n::Tr;
use super::theme;
use crate::core::customers::ListQuery;
use crate::core::index::SearchQuery;
use crate::core::searcher::Searcher;
use crate::core::transfer::{ExportKind, ExportQuery, ExportReport};
use crate::model::{CustomerSummary, Grade, Status};
use crate::search::{Hit, Page};

pub const SEARCH_ID: &str = "dossier-search";
/// The result list's scrollable.
pub const LIST_ID: &str = "dossier-list";
/// Results fetched at a time, and rows per page of the plain list.
pub const PAGE: usize = 50;
/// The most result rows the list holds; past them the clerk is asked to narrow the query.
pub const MAX_ROWS: usize = 1000;
/// How long the typing must pause before a search starts. With a search taking a few
/// milliseconds this puts the answer well within 150 ms of the last key.
pub const DEBOUNCE: Duration = Duration::from_millis(80);
/// Every row has this height (two lines), so the list knows where each row is.
pub const ROW_HEIGHT: f32 = 58.0;
pub const ROW_SPACING: f32 = 2.0;
/// The list's visible height until the scrollable reports it.
const DEFAULT_VIEWPORT: f32 = 420.0;
/// One option of a filter: a label, and the code it stands for (`None`: all).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub label: String,
    pub code: Option<String>,
}

impl std::fmt::Display for Choice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label)
    }
}

/// A row of the list: a search hit, or a dossier of the plain list.
#[derive(Debug, Clone, PartialEq)]
pub enum Row {
    Hit(Box<Hit>),
    Plain(CustomerSummary),
}

impl Row {
    pub fn dossier(&self) -> &str {
        match self {
            Row::Hit(h) => &h.dossier,
            Row::Plain(c) => &c.dossier,
        }
    }
}

#[derive(Debug)]
pub struct Dossiers {
    pub query: String,
    pub rows: Vec<Row>,
    pub selected: usize,
    pub page: usize,
    pub searching: bool,
    pub error: Option<String>,
    pub categories: Vec<Choice>,
    pub grades: Vec<Choice>,
    pub statuses: Vec<Choice>,
    pub category: Choice,
    pub grade: Choice,
    pub status: Choice,
    /// How many dossiers match the query shown (all of them, not only the rows loaded).
    pub total: usize,
    /// The query whose results are shown.
    pub shown_query: String,
    /// Where the list is scrolled to (pixels from the top), as last set or reported.
    pub scroll_y: f32,
    /// The list's visible height.
    pub viewport_height: f32,
    /// Further results are being fetched.
    pub loading_more: bool,
    /// What the last export said (the file and rows, or what went wrong).
    pub exported: Option<Result<String, String>>,
    pub exporting: bool,
    /// Searches without the session; `None` until the index is ready (searches then go through
    /// the session).
    searcher: Option<Searcher>,
    /// The newest query's number: answers to older ones are dropped.
    generation: Arc<AtomicU64>,
    shown_generation: u64,
    /// The search in flight, aborted when a newer keystroke arrives.
    pending: Option<iced::task::Handle>,
}

#[derive(Debug, Clone)]
pub enum Message {
    Query(String),
    /// A search's answer: `None` if a newer query made it pointless before it started.
    Searched(u64, Option<Result<Page, Failure>>),
    Listed(u64, Result<Vec<CustomerSummary>, Failure>),
    Category(Choice),
    Grade(Choice),
    Status(Choice),
    Up,
    Down,
    OpenSelected,
    Open(String),
    NextPage,
    PrevPage,
    /// The next page of search results, below the ones shown.
    More,
    Scrolled(Viewport),
    NewCustomer,
    /// 导出: what the list shows, to a file the save dialog asks for.
    Export,
    /// The file to export to (`None`: the dialog was cancelled).
    ExportTo(Option<PathBuf>),
    Exported(Result<ExportReport, Failure>),
}

#[derive(Debug)]
pub enum Action {
    None,
    Task(Task<Message>),
    Open(String),
    NewCustomer,
}

/// Runs one search on a worker thread: waits `delay` first, touching nothing, then gives up if
/// a newer query came meanwhile; searches with the searcher, or through the session while there
/// is none.
fn search_task(
    searcher: Option<Searcher>,
    backend: &Backend,
    q: SearchQuery,
    delay: Duration,
    generation: u64,
    latest: Arc<AtomicU64>,
) -> Task<Message> {
    let backend = backend.clone();
    let language = backend.language();
    super::backend::blocking(
        move || {
            if !delay.is_zero() {
                std::thread::sleep(delay);
            }
            if latest.load(Ordering::SeqCst) != generation {
                return None;
            }
            Some(match searcher {
                Some(s) => s.search(&q).map_err(|e| Failure::new(&e, language)),
                None => backend
                    .now(|s| s.search_page(&q).map_err(|e| Failure::new(&e, language)))
                    .unwrap_or_else(|| Err(Failure::internal("app-poisoned", language))),
            })
        },
        move |r| match r {
            Some(answer) => Message::Searched(generation, answer),
            None => Message::Searched(generation, Some(Err(Failure::internal("app-work-stopped", language)))),
        },
    )
}

/// `12345` as `12,345`.
pub fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl Dossiers {
    pub fn new(tr: &Tr, categories: Vec<(String, String)>) -> Dossiers {
        let all = |key: &str| Choice { label: tr.t(key), code: None };
        let mut grades = vec![all("search-all-grades")];
        grades.extend(
            Grade::ALL.iter().map(|g| Choice { label: tr.t(g.label_key()), code: Some(g.as_str().into()) }),
        );
        let mut statuses = vec![all("search-all-statuses")];
        statuses.extend(
            Status::ALL.iter().map(|s| Choice { label: tr.t(s.label_key()), code: Some(s.as_str().into()) }),
        );
        let mut d = Dossiers {
            query: String::new(),
            rows: Vec::new(),
            selected: 0,
            page: 0,
            searching: false,
            error: None,
            category: all("search-all-categories"),
            grade: grades[0].clone(),
            status: statuses[0].clone(),
            categories: Vec::new(),
            grades,
            statuses,
            total: 0,
            shown_query: String::new(),
            scroll_y: 0.0,
            viewport_height: DEFAULT_VIEWPORT,
            loading_more: false,
            exported: None,
            exporting: false,
            searcher: None,
            generation: Arc::new(AtomicU64::new(0)),
            shown_generation: 0,
            pending: None,
        };
        d.set_categories(tr, categories);
        d
    }

    /// The filters' labels in `tr`'s language (the language changed), keeping what is chosen.
    pub fn relabel(&mut self, tr: &Tr) {
        let fresh = Dossiers::new(tr, Vec::new());
        let keep = |list: &[Choice], current: &Choice| {
            list.iter().find(|c| c.code == current.code).cloned().unwrap_or_else(|| list[0].clone())
        };
        self.grade = keep(&fresh.grades, &self.grade);
        self.status = keep(&fresh.statuses, &self.status);
        (self.grades, self.statuses) = (fresh.grades, fresh.statuses);
        let categories =
            self.categories.iter().filter_map(|c| Some((c.code.clone()?, c.label.clone()))).collect();
        self.set_categories(tr, categories);
    }

    /// The category filter's choices (`(code, path)`), keeping the current choice.
    pub fn set_categories(&mut self, tr: &Tr, categories: Vec<(String, String)>) {
        let mut cats = vec![Choice { label: tr.t("search-all-categories"), code: None }];
        cats.extend(categories.into_iter().map(|(code, path)| Choice { label: path, code: Some(code) }));
        self.category =
            cats.iter().find(|c| c.code == self.category.code).cloned().unwrap_or_else(|| cats[0].clone());
        self.categories = cats;
    }

    /// The user's searcher (or none: searches then go through the session).
    pub fn set_searcher(&mut self, searcher: Option<Searcher>) {
        self.searcher = searcher;
    }

    pub fn has_searcher(&self) -> bool {
        self.searcher.is_some()
    }

    fn search_query(&self, offset: usize) -> SearchQuery {
        SearchQuery {
            text: self.query.clone(),
            category: self.category.code.clone(),
            grade: self.grade.code.as_deref().and_then(|g| g.parse::<Grade>().ok()),
            status: self.status.code.as_deref().and_then(|s| s.parse::<Status>().ok()),
            on_loan: None,
            limit: PAGE,
            offset,
        }
    }

    /// Reloads what is shown: the search results, or the page of the plain list. An older
    /// request still waiting or running is aborted.
    pub fn refresh(&mut self, backend: &Backend) -> Task<Message> {
        let generation = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
        if let Some(older) = self.pending.take() {
            older.abort();
        }
        self.searching = true;
        self.loading_more = false;
        if self.query.trim().is_empty() {
            let q = self.search_query(0);
            let q = ListQuery {
                category: q.category,
                grade: q.grade,
                status: q.status,
                limit: PAGE,
                offset: self.page * PAGE,
                ..Default::default()
            };
            return backend.run(move |s| s.list_customers(&q), move |r| Message::Listed(generation, r));
        }
        let task = search_task(
            self.searcher.clone(),
            backend,
            self.search_query(0),
            DEBOUNCE,
            generation,
            self.generation.clone(),
        );
        let (task, handle) = task.abortable();
        self.pending = Some(handle);
        task
    }

    /// Whether more results match than are loaded (and the list may hold more).
    pub fn has_more(&self) -> bool {
        !self.query.trim().is_empty()
            && self.shown_generation == self.generation.load(Ordering::SeqCst)
            && self.rows.len() < self.total.min(MAX_ROWS)
    }

    /// Fetches the next page of results, below the ones shown.
    fn more(&mut self, backend: &Backend) -> Task<Message> {
        if self.loading_more || !self.has_more() {
            return Task::none();
        }
        self.loading_more = true;
        let generation = self.generation.load(Ordering::SeqCst);
        let mut q = self.search_query(self.rows.len());
        q.limit = PAGE.min(MAX_ROWS - self.rows.len());
        search_task(self.searcher.clone(), backend, q, Duration::ZERO, generation, self.generation.clone())
    }

    /// The top of row `i` in the list, in pixels.
    fn row_top(i: usize) -> f32 {
        i as f32 * (ROW_HEIGHT + ROW_SPACING)
    }

    /// Whether the selected row is wholly inside the visible part of the list.
    pub fn selected_visible(&self) -> bool {
        let top = Self::row_top(self.selected);
        top >= self.scroll_y - 0.5 && top + ROW_HEIGHT <= self.scroll_y + self.viewport_height + 0.5
    }

    /// Scrolls just enough to bring the selected row on screen.
    fn follow_selection(&mut self) -> Task<Message> {
        let top = Self::row_top(self.selected);
        let bottom = top + ROW_HEIGHT;
        let y = if top < self.scroll_y {
            top
        } else if bottom > self.scroll_y + self.viewport_height {
            bottom - self.viewport_height
        } else {
            return Task::none();
        };
        self.scroll_y = y.max(0.0);
        iced::widget::operation::scroll_to(LIST_ID, AbsoluteOffset { x: 0.0, y: self.scroll_y })
    }

    /// Back to the top of the list (a new query, another page).
    fn scroll_to_top(&mut self) -> Task<Message> {
        self.selected = 0;
        self.scroll_y = 0.0;
        iced::widget::operation::snap_to(LIST_ID, RelativeOffset::START)
    }

    pub fn update(&mut self, message: Message, backend: &Backend) -> Action {
        match message {
            Message::Query(q) => {
                self.query = q;
                self.page = 0;
                return Action::Task(self.refresh(backend));
            }
            Message::Searched(generation, result) => {
                if generation != self.generation.load(Ordering::SeqCst) || generation < self.shown_generation
                {
                    return Action::None;
                }
                match result {
                    None => {}
                    Some(Ok(page)) if page.offset > 0 => {
                        self.loading_more = false;
                        if page.offset == self.rows.len() && generation == self.shown_generation {
                            self.total = page.total;
                            self.rows.extend(page.hits.into_iter().map(|h| Row::Hit(Box::new(h))));
                        }
                    }
                    Some(Ok(page)) => {
                        self.pending = None;
                        self.total = page.total;
                        let rows = page.hits.into_iter().map(|h| Row::Hit(Box::new(h))).collect();
                        return Action::Task(self.show(generation, rows));
                    }
                    Some(Err(f)) => {
                        self.pending = None;
                        self.fail(generation, f);
                    }
                }
            }
            Message::Listed(generation, result) => {
                if generation != self.generation.load(Ordering::SeqCst) {
                    return Action::None;
                }
                match result {
                    Ok(list) => {
                        self.total = list.len();
                        let rows = list.into_iter().map(Row::Plain).collect();
                        return Action::Task(self.show(generation, rows));
                    }
                    Err(f) => self.fail(generation, f),
                }
            }
            Message::Category(c) => {
                self.category = c;
                self.page = 0;
                return Action::Task(self.refresh(backend));
            }
            Message::Grade(c) => {
                self.grade = c;
                self.page = 0;
                return Action::Task(self.refresh(backend));
            }
            Message::Status(c) => {
                self.status = c;
                self.page = 0;
                return Action::Task(self.refresh(backend));
            }
            Message::Up => {
                self.selected = self.selected.saturating_sub(1);
                return Action::Task(self.follow_selection());
            }
            Message::Down => {
                if self.selected + 1 < self.rows.len() {
                    self.selected += 1;
                }
                let scroll = self.follow_selection();
                // Near the end of what is loaded: fetch the next page before it is reached.
                let more =
                    if self.selected + 5 >= self.rows.len() { self.more(backend) } else { Task::none() };
                return Action::Task(Task::batch([scroll, more]));
            }
            Message::OpenSelected => {
                if let Some(r) = self.rows.get(self.selected) {
                    return Action::Open(r.dossier().to_string());
                }
            }
            Message::Open(d) => return Action::Open(d),
            Message::NextPage => {
                if self.rows.len() == PAGE && self.query.trim().is_empty() {
                    self.page += 1;
                    return Action::Task(self.refresh(backend));
                }
            }
            Message::PrevPage => {
                if self.page > 0 {
                    self.page -= 1;
                    return Action::Task(self.refresh(backend));
                }
            }
            Message::More => return Action::Task(self.more(backend)),
            Message::Scrolled(v) => {
                self.scroll_y = v.absolute_offset().y;
                if v.bounds().height > 0.0 {
                    self.viewport_height = v.bounds().height;
                }
                if v.relative_offset().y >= 0.9 {
                    return Action::Task(self.more(backend));
                }
            }
            Message::NewCustomer => return Action::NewCustomer,
            Message::Export => {
                let tr = Tr::new(backend.language());
                let name = format!(
                    "{}-{}.xlsx",
                    tr.t("export-sheet-customers"),
                    crate::core::today().format("%Y%m%d")
                );
                let dir = super::print::papers_dir();
                return Action::Task(Task::perform(
                    async move {
                        rfd::AsyncFileDialog::new()
                            .add_filter("Excel", &["xlsx"])
                            .add_filter("CSV", &["csv"])
                            .set_directory(dir)
                            .set_file_name(name)
                            .save_file()
                            .await
                            .map(|h| h.path().to_path_buf())
                    },
                    Message::ExportTo,
                ));
            }
            Message::ExportTo(None) => {}
            Message::ExportTo(Some(path)) => {
                let tr = Tr::new(backend.language());
                if self.exporting {
                    return Action::None;
                }
                // What the list shows: the search's dossiers, or every dossier the filters take.
                let q = self.search_query(0);
                let dossiers: Vec<String> = if self.query.trim().is_empty() {
                    Vec::new()
                } else {
                    self.rows.iter().map(|r| r.dossier().to_string()).collect()
                };
                if !self.query.trim().is_empty() && dossiers.is_empty() {
                    self.exported = Some(Err(tr.t("export-nothing")));
                    return Action::None;
                }
                let eq = ExportQuery {
                    category: q.category,
                    grade: q.grade,
                    status: q.status,
                    dossiers,
                    ..Default::default()
                };
                self.exporting = true;
                self.exported = None;
                let language = tr.language;
                return Action::Task(backend.run(
                    move |s| {
                        let tr = Tr::new(language);
                        let labels = |k: &str| tr.t(k);
                        s.export(ExportKind::Customers, &eq, &path, &labels, &mut |_| {})
                    },
                    Message::Exported,
                ));
            }
            Message::Exported(r) => {
                let tr = Tr::new(backend.language());
                self.exporting = false;
                self.exported = Some(match r {
                    Ok(rep) => Ok(tr.ta(
                        "export-done",
                        &[("rows", &rep.rows.to_string()), ("file", &rep.file.display().to_string())],
                    )),
                    Err(f) => Err(f.message),
                });
            }
        }
        Action::None
    }

    /// New rows (a new query's first page, or another page of the list): shown from the top.
    fn show(&mut self, generation: u64, rows: Vec<Row>) -> Task<Message> {
        self.shown_generation = generation;
        self.shown_query = self.query.clone();
        self.rows = rows;
        self.searching = false;
        self.loading_more = false;
        self.error = None;
        self.scroll_to_top()
    }

    fn fail(&mut self, generation: u64, f: Failure) {
        self.shown_generation = generation;
        self.shown_query = self.query.clone();
        self.rows.clear();
        self.total = 0;
        self.searching = false;
        self.loading_more = false;
        self.error = Some(f.message);
    }

    /// The line above the list: an error, progress, or how many match.
    fn status_line(&self, tr: &Tr) -> String {
        if let Some(e) = &self.error {
            e.clone()
        } else if self.searching && self.rows.is_empty() {
            tr.t("search-searching")
        } else if self.query.trim().is_empty() {
            format!("{} · {}", tr.t("list-title"), self.page + 1)
        } else if self.rows.is_empty() {
            tr.ta("search-none", &[("query", self.query.trim())])
        } else if self.rows.len() >= MAX_ROWS && self.total > MAX_ROWS {
            tr.ta("search-count-capped", &[("count", &grouped(self.total)), ("shown", &grouped(MAX_ROWS))])
        } else {
            tr.ta("search-hint", &[("count", &grouped(self.total))])
        }
    }

    pub fn view<'a>(&'a self, tr: &Tr) -> Element<'a, Message> {
        let search = text_input(&tr.t("search-placeholder"), &self.query)
            .id(SEARCH_ID)
            .on_input(Message::Query)
            .on_submit(Message::OpenSelected)
            .padding(10)
            .size(18);
        let filters = row![
            pick_list(self.categories.as_slice(), Some(&self.category), Message::Category),
            pick_list(self.grades.as_slice(), Some(&self.grade), Message::Grade),
            pick_list(self.statuses.as_slice(), Some(&self.status), Message::Status),
            iced::widget::space::horizontal(),
            button(text(tr.t("export-button")))
                .on_press_maybe((!self.exporting).then_some(Message::Export))
                .style(button::secondary),
            button(text(tr.t("new-customer"))).on_press(Message::NewCustomer),
        ]
        .spacing(8)
        .align_y(iced::Alignment::Center);
        let line = text(self.status_line(tr)).size(13);
        let status_line =
            if self.error.is_some() { line.style(theme::error) } else { line.style(theme::muted) };
        let status_line: Element<'a, Message> = match &self.exported {
            None if self.exporting => {
                row![status_line, text(tr.t("export-running")).size(13)].spacing(16).into()
            }
            None => status_line.into(),
            Some(Ok(m)) => {
                row![status_line, text(m.clone()).size(13).style(theme::success)].spacing(16).into()
            }
            Some(Err(e)) => {
                row![status_line, text(e.clone()).size(13).style(theme::error)].spacing(16).into()
            }
        };
        let mut rows = column(self.rows.iter().enumerate().map(|(i, r)| row_view(r, i == self.selected, tr)))
            .spacing(ROW_SPACING);
        if self.has_more() {
            let label = if self.loading_more { tr.t("search-loading-more") } else { tr.t("search-more") };
            rows = rows.push(
                button(text(label).size(13))
                    .on_press_maybe((!self.loading_more).then_some(Message::More))
                    .style(button::secondary),
            );
        }
        let mut pager = row![].spacing(8);
        if self.query.trim().is_empty() {
            pager = pager
                .push(
                    button(text(tr.t("list-prev")))
                        .on_press_maybe((self.page > 0).then_some(Message::PrevPage)),
                )
                .push(
                    button(text(tr.t("list-more")))
                        .on_press_maybe((self.rows.len() == PAGE).then_some(Message::NextPage)),
                );
        }
        column![
            search,
            filters,
            status_line,
            scrollable(container(rows).padding([0, 12]))
                .id(LIST_ID)
                .on_scroll(Message::Scrolled)
                .height(Length::Fill),
            pager
        ]
        .spacing(10)
        .padding(16)
        .into()
    }
}

/// Text with the matched ranges marked.
pub fn highlighted<'a, M: 'a>(s: &str, ranges: &[(usize, usize)], size: f32) -> Element<'a, M> {
    let chars: Vec<char> = s.chars().collect();
    let mut spans = Vec::new();
    let mut i = 0;
    for &(a, b) in ranges {
        let (a, b) = (a.min(chars.len()), b.min(chars.len()));
        if a > i {
            spans.push(span::<std::convert::Infallible, Font>(chars[i..a].iter().collect::<String>()));
        }
        if b > a {
            spans.push(span(chars[a..b].iter().collect::<String>()).background(theme::HIGHLIGHT));
        }
        i = b.max(i);
    }
    if i < chars.len() {
        spans.push(span(chars[i..].iter().collect::<String>()));
    }
    rich_text(spans).on_link_click(iced::never).size(size).into()
}

/// What tells a hit apart from others of the same name: phone and ID tails, the address.
pub fn hit_details(h: &Hit, tr: &Tr) -> String {
    let mut parts = Vec::new();
    if let Some(t) = &h.phone_tail {
        parts.push(tr.ta("search-phone-tail", &[("tail", t)]));
    }
    if let Some(t) = &h.id_tail {
        parts.push(tr.ta("search-id-tail", &[("tail", t)]));
    }
    if !h.address.is_empty() {
        parts.push(h.address.clone());
    }
    parts.join(" · ")
}

fn row_view<'a>(r: &'a Row, selected: bool, tr: &Tr) -> Element<'a, Message> {
    let (dossier, name, category, grade, status, second): (
        &str,
        Element<'_, Message>,
        &str,
        String,
        String,
        Element<'_, Message>,
    ) = match r {
        Row::Hit(h) => {
            let details = text(hit_details(h, tr)).size(13).style(theme::muted).wrapping(Wrapping::None);
            let mut second = row![].spacing(12);
            if let Some(note) = &h.loan {
                let overdue = !note.lost && note.due.as_str() < crate::core::today().to_string().as_str();
                second = second.push(
                    text(crate::i18n::loan_note(tr, note))
                        .size(13)
                        .style(if note.lost || overdue { theme::error } else { theme::warning })
                        .wrapping(Wrapping::None),
                );
            }
            if !h.snippet_is_name() {
                second = second.push(highlighted(&h.snippet, &h.highlights, 13.0));
            }
            let second: Element<'_, Message> = second.push(details).into();
            (
                &h.dossier,
                highlighted(&h.name, &h.name_highlights, 16.0),
                &h.category,
                h.grade.parse::<Grade>().map(|g| tr.t(g.label_key())).unwrap_or_default(),
                h.status.parse::<Status>().map(|s| tr.t(s.label_key())).unwrap_or_default(),
                second,
            )
        }
        Row::Plain(c) => (
            &c.dossier,
            text(c.name.clone()).size(16).into(),
            &c.category,
            tr.t(c.grade.label_key()),
            tr.t(c.status.label_key()),
            text(c.phone.clone().unwrap_or_default()).size(13).style(theme::muted).into(),
        ),
    };
    let main = column![
        row![
            text(dossier.to_string()).width(150).font(Font::MONOSPACE),
            container(name).width(Length::FillPortion(3)),
            text(category.to_string()).width(Length::FillPortion(3)).style(theme::muted),
            text(grade).width(60),
            text(status).width(60),
        ]
        .spacing(12)
        .align_y(iced::Alignment::Center),
        row![iced::widget::space::horizontal().width(162), container(second).clip(true)],
    ];
    button(main)
        .on_press(Message::Open(r.dossier().to_string()))
        .width(Length::Fill)
        .height(ROW_HEIGHT)
        .clip(true)
        .padding([6, 8])
        .style(theme::row_button(selected))
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(grouped(7), "7");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(12345), "12,345");
        assert_eq!(grouped(1234567), "1,234,567");
    }
}
