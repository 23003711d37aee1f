//! 客户档案: search as you type (debounced, off the UI thread, stale answers dropped), filters,
//! and a list that never builds more than a page of rows, however big the library.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use iced::widget::{
    button, column, container, pick_list, rich_text, row, scrollable, span, text, text_input,
};
use iced::{Element, Font, Length, Task};

use super::backend::{Backend, Failure};
use super::i18n::Tr;
use super::theme;
use crate::core::customers::ListQuery;
use crate::core::index::SearchQuery;
use crate::model::{CustomerSummary, Grade, Status};
use crate::search::Hit;

pub const SEARCH_ID: &str = "dossier-search";
/// Results shown for a query, and rows per list page.
pub const PAGE: usize = 50;
/// Typing pauses shorter than this do not start a search.
pub const DEBOUNCE: Duration = Duration::from_millis(120);

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
    Hit(Hit),
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
    /// The newest query's number: answers to older ones are dropped.
    generation: Arc<AtomicU64>,
    shown_generation: u64,
}

#[derive(Debug, Clone)]
pub enum Message {
    Query(String),
    Searched(u64, Option<Result<Vec<Hit>, Failure>>),
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
    NewCustomer,
}

#[derive(Debug)]
pub enum Action {
    None,
    Task(Task<Message>),
    Open(String),
    NewCustomer,
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
            generation: Arc::new(AtomicU64::new(0)),
            shown_generation: 0,
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

    /// Reloads what is shown: the search results, or the page of the plain list.
    pub fn refresh(&mut self, backend: &Backend) -> Task<Message> {
        let generation = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
        self.searching = true;
        let grade = self.grade.code.as_deref().and_then(|g| g.parse::<Grade>().ok());
        let status = self.status.code.as_deref().and_then(|s| s.parse::<Status>().ok());
        let category = self.category.code.clone();
        if self.query.trim().is_empty() {
            let q = ListQuery {
                category,
                grade,
                status,
                limit: PAGE,
                offset: self.page * PAGE,
                ..Default::default()
            };
            return backend.run(move |s| s.list_customers(&q), move |r| Message::Listed(generation, r));
        }
        let q = SearchQuery { text: self.query.clone(), category, grade, status, on_loan: None, limit: PAGE };
        let latest = self.generation.clone();
        backend.run(
            move |s| {
                // Debounce: a newer keystroke makes this search pointless.
                std::thread::sleep(DEBOUNCE);
                if latest.load(Ordering::SeqCst) != generation {
                    return Ok(None);
                }
                s.search(&q).map(Some)
            },
            move |r| Message::Searched(generation, r.transpose()),
        )
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
                    Some(Ok(hits)) => self.show(generation, hits.into_iter().map(Row::Hit).collect()),
                    Some(Err(f)) => self.fail(generation, f),
                }
            }
            Message::Listed(generation, result) => {
                if generation != self.generation.load(Ordering::SeqCst) {
                    return Action::None;
                }
                match result {
                    Ok(list) => self.show(generation, list.into_iter().map(Row::Plain).collect()),
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
            Message::Up => self.selected = self.selected.saturating_sub(1),
            Message::Down => {
                if self.selected + 1 < self.rows.len() {
                    self.selected += 1;
                }
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
            Message::NewCustomer => return Action::NewCustomer,
        }
        Action::None
    }

    fn show(&mut self, generation: u64, rows: Vec<Row>) {
        self.shown_generation = generation;
        self.rows = rows;
        self.selected = 0;
        self.searching = false;
        self.error = None;
    }

    fn fail(&mut self, generation: u64, f: Failure) {
        self.shown_generation = generation;
        self.rows.clear();
        self.searching = false;
        self.error = Some(f.message);
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
            button(text(tr.t("new-customer"))).on_press(Message::NewCustomer),
        ]
        .spacing(8)
        .align_y(iced::Alignment::Center);
        let status_line = if let Some(e) = &self.error {
            text(e.clone()).color(iced::color!(0xb42318))
        } else if self.searching && self.rows.is_empty() {
            text(tr.t("search-searching")).color(theme::MUTED)
        } else if self.query.trim().is_empty() {
            text(format!("{} · {}", tr.t("list-title"), self.page + 1)).color(theme::MUTED)
        } else if self.rows.is_empty() {
            text(tr.ta("search-none", &[("query", self.query.trim())])).color(theme::MUTED)
        } else {
            text(tr.ta("search-hint", &[("count", &self.rows.len().to_string())])).color(theme::MUTED)
        }
        .size(13);
        let rows =
            column(self.rows.iter().enumerate().map(|(i, r)| row_view(r, i == self.selected, tr))).spacing(2);
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
            scrollable(container(rows).padding([0, 12])).height(Length::Fill),
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

fn row_view<'a>(r: &'a Row, selected: bool, tr: &Tr) -> Element<'a, Message> {
    let (dossier, name, category, grade, status, snippet): (
        &str,
        Element<'_, Message>,
        &str,
        String,
        String,
        _,
    ) = match r {
        Row::Hit(h) => (
            &h.dossier,
            highlighted(&h.name, &h.name_highlights, 16.0),
            &h.category,
            h.grade.parse::<Grade>().map(|g| tr.t(g.label_key())).unwrap_or_default(),
            h.status.parse::<Status>().map(|s| tr.t(s.label_key())).unwrap_or_default(),
            (!h.snippet_is_name()).then(|| highlighted(&h.snippet, &h.highlights, 13.0)),
        ),
        Row::Plain(c) => (
            &c.dossier,
            text(c.name.clone()).size(16).into(),
            &c.category,
            tr.t(c.grade.label_key()),
            tr.t(c.status.label_key()),
            c.phone.as_ref().map(|p| text(p.clone()).size(13).color(theme::MUTED).into()),
        ),
    };
    let mut main = column![
        row![
            text(dossier.to_string()).width(150).font(Font::MONOSPACE),
            container(name).width(Length::FillPortion(3)),
            text(category.to_string()).width(Length::FillPortion(3)).color(theme::MUTED),
            text(grade).width(60),
            text(status).width(60),
        ]
        .spacing(12)
        .align_y(iced::Alignment::Center)
    ];
    if let Some(s) = snippet {
        main = main.push(row![iced::widget::space::horizontal().width(162), s]);
    }
    button(main)
        .on_press(Message::Open(r.dossier().to_string()))
        .width(Length::Fill)
        .padding([6, 8])
        .style(theme::row_button(selected))
        .into()
}
