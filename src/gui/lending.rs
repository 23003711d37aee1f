//! 借阅: the lending desk, made for a barcode scanner. One scan field keeps the focus: a
//! borrower's card (JY… or a badge) puts that borrower "at the desk", every item scanned after
//! it is lent to them at once (two scans lend one item), and an item scanned with nobody at the
//! desk is a return. Each scan adds a line to the session log (refusals in red, in the user's
//! language) and never stops the next one: scans wait in a queue and go to the core one at a
//! time, in the order they were made. A confidential dossier asks for an approver, a borrower
//! with overdue loans for an override reason.
//!
//! Beside the desk: the lists (当前借出, 超期, 今日到期, 预约) with their actions, and the
//! borrowers (search, add, block, history). Everything goes through `core` on a worker thread.

use std::collections::VecDeque;
use std::path::PathBuf;

use iced::widget::{button, checkbox, column, container, row, scrollable, space, text, text_input};
use iced::{Alignment, Element, Length, Task};

use super::backend::{Backend, Failure};
use super::i18n::{Tr, local_time};
use super::theme;
use crate::core::loans::{
    BorrowerView, DeskCounts, LendSpec, Lent, LoanQuery, NewBorrowerSpec, RegisterFormat, ReturnSpec,
    Returned,
};
use crate::model::loans::{
    Borrower, BorrowerKind, BorrowerSummary, Condition, ItemKind, Loan, LoanRequest, borrower_code_shape,
};

mod papers;
use papers::Papers;
pub use papers::{
    OPEN_PAPER_ID, Paper, Period, Place, REGISTER_CSV_ID, REGISTER_FROM_ID, REGISTER_PDF_ID, REGISTER_TO_ID,
    REMIND_ALL_ID, REMIND_ID, Rendered, SAVE_OFFERED_ID, TURN_SLIPS_ID, log_slip_id, slip_id,
};

/// The scan field (it has the focus whenever the clerk is not typing elsewhere).
pub const SCAN_ID: &str = "lending-scan";
pub const DUE_ID: &str = "lending-due";
/// 清点: the pages counted on return.
pub const PAGES_ID: &str = "lending-pages";
pub const PURPOSE_ID: &str = "lending-purpose";
pub const END_TURN_ID: &str = "lending-end-turn";
/// 导出 on the loan lists.
pub const EXPORT_LIST_ID: &str = "lending-export-list";
pub const APPROVER_ID: &str = "lending-approver";
pub const APPROVER_PW_ID: &str = "lending-approver-password";
pub const OVERRIDE_ID: &str = "lending-override";
pub const ANSWER_ID: &str = "lending-answer";
pub const BORROWER_SEARCH_ID: &str = "lending-borrower-search";
pub const ADD_BORROWER_ID: &str = "lending-add-borrower";
pub const BLOCK_ID: &str = "lending-block";
pub const TO_DESK_ID: &str = "lending-to-desk";
/// The most rows a list shows.
pub const MAX_ROWS: usize = 500;
/// Column widths of the loan lists: a dossier number or box code never runs into its title.
const ITEM_W: f32 = 150.0;
const DUE_W: f32 = 130.0;
const ACTIONS_W: f32 = 200.0;
/// The most lines the session log keeps.
const MAX_LOG: usize = 200;

/// The id of a list's tab button.
pub fn tab_id(tab: Tab) -> String {
    format!("lending-tab-{tab:?}")
}

/// The id of the item (dossier number or box code) in a list row: a click opens the dossier.
pub fn item_id(item: &str) -> String {
    format!("lending-item-{item}")
}

/// The ids of a row's actions.
pub fn renew_id(item: &str) -> String {
    format!("lending-renew-{item}")
}
pub fn return_id(item: &str) -> String {
    format!("lending-return-{item}")
}
pub fn lost_id(item: &str) -> String {
    format!("lending-lost-{item}")
}
pub fn cancel_request_id(id: i64) -> String {
    format!("lending-cancel-{id}")
}
/// The id of the 登记预约 button offered under an already-out refusal.
pub fn request_offer_id(item: &str) -> String {
    format!("lending-request-{item}")
}
pub fn borrower_row_id(code: &str) -> String {
    format!("lending-borrower-{code}")
}

/// The lists beside the desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    /// Out now, by due date.
    #[default]
    Current,
    Overdue,
    DueToday,
    /// The requests (holds) waiting.
    Requests,
    Borrowers,
    /// 借阅登记簿: a period's loans as PDF or CSV.
    Register,
}

impl Tab {
    pub const ALL: [Tab; 6] =
        [Tab::Current, Tab::Overdue, Tab::DueToday, Tab::Requests, Tab::Borrowers, Tab::Register];

    fn label_key(self) -> &'static str {
        match self {
            Tab::Current => "desk-tab-current",
            Tab::Overdue => "desk-tab-overdue",
            Tab::DueToday => "desk-tab-due-today",
            Tab::Requests => "desk-tab-requests",
            Tab::Borrowers => "desk-tab-borrowers",
            Tab::Register => "desk-tab-register",
        }
    }
}

/// A line of the session log.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LogLine {
    pub ok: bool,
    pub text: String,
    /// A hold to put aside for someone (请为 王芳 保留): shown so the clerk cannot miss it.
    pub hold: bool,
    /// An item out to someone else: the request (预约) the desk offers to record for the
    /// borrower at the desk, `(item, borrower card)`, until it is recorded.
    pub offer: Option<(String, String)>,
    /// A loan just made: the line offers its slip (借阅单), by loan number.
    pub slip: Option<i64>,
}

/// The borrower at the desk.
#[derive(Debug, Clone)]
pub struct Arrival {
    pub summary: BorrowerSummary,
    /// The due date the loan policy gives this kind of borrower today (a working day).
    pub due: Option<String>,
}

/// What a scan did.
#[derive(Debug, Clone)]
pub enum Outcome {
    Arrived(Box<Arrival>),
    Lent(Box<Lent>),
    Returned(Box<Returned>),
}

/// What the core refused and the desk can answer: a confidential dossier's approver, or the
/// reason to lend although the borrower has overdue loans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ask {
    Approval,
    Override,
}

/// A refused lend waiting for the clerk's answer.
#[derive(Debug, Clone, Default)]
pub struct Question {
    pub item: String,
    pub ask: Option<Ask>,
    /// The core's refusal (what to do).
    pub message: String,
    pub approver: String,
    pub password: String,
    pub reason: String,
    /// Why the last answer was refused (a wrong password).
    pub error: Option<String>,
}

/// What the desk sends with a scan.
#[derive(Debug, Clone, Default)]
struct Request {
    borrower: Option<String>,
    due: String,
    purpose: String,
    approver: Option<(String, String)>,
    override_reason: Option<String>,
    pages: Option<i64>,
    condition: Option<Condition>,
    note: String,
}

/// A list as loaded.
#[derive(Debug, Clone)]
pub enum Listing {
    Loans(Vec<Loan>),
    Requests(Vec<LoanRequest>),
    Borrowers(Vec<BorrowerSummary>),
}

/// What a row's action did.
#[derive(Debug, Clone)]
pub enum Done {
    Renewed(Box<Loan>),
    Returned(Box<Returned>),
    Lost(Box<Loan>),
    Cancelled(Box<LoanRequest>),
    Requested(Box<LoanRequest>),
}

/// The new-borrower form.
#[derive(Debug, Clone, Default)]
pub struct NewBorrower {
    pub external: bool,
    pub name: String,
    pub dept: String,
    pub unit: String,
    pub phone: String,
    pub card: String,
    pub letter_no: String,
    pub error: Option<String>,
    pub saving: bool,
}

/// A field of the new-borrower form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Name,
    Dept,
    Unit,
    Phone,
    Card,
    Letter,
}

#[derive(Debug, Default)]
pub struct Lending {
    pub may_lend: bool,
    pub scan: String,
    /// What the scan field's Enter sent last: the wedge's copy of the same scan is not taken
    /// twice.
    last_submit: Option<String>,
    pub at_desk: Option<BorrowerSummary>,
    pub due: String,
    pub purpose: String,
    /// The override reason given in this borrower's turn (used for the rest of it).
    pub override_reason: Option<String>,
    /// 清点: count the pages and say the condition on return.
    pub count: bool,
    pub pages: String,
    pub condition: Option<Condition>,
    pub return_note: String,
    pub log: VecDeque<LogLine>,
    /// Scans waiting for the core, in order.
    pub queue: VecDeque<String>,
    /// A scan is with the core.
    pub working: bool,
    pub question: Option<Question>,
    pub tab: Tab,
    pub loans: Vec<Loan>,
    pub requests: Vec<LoanRequest>,
    pub list_error: Option<String>,
    /// What the last row action did, or why it failed.
    pub list_note: Option<LogLine>,
    pub counts: Option<DeskCounts>,
    pub borrower_query: String,
    pub borrowers: Vec<BorrowerSummary>,
    pub shown: Option<BorrowerView>,
    pub block_reason: String,
    pub new_borrower: NewBorrower,
    pub busy: bool,
    /// 遗失 pressed once on this item: the button asks to confirm.
    pub confirm_lost: Option<String>,
    /// The loans made in the turn of the borrower at the desk (for 打印本次借阅单).
    pub turn: Vec<i64>,
    /// The papers (借阅单, 催还通知单, 借阅登记簿).
    pub papers: Papers,
}

#[derive(Debug, Clone)]
pub enum Message {
    ScanTyped(String),
    ScanSubmit,
    Scanned(String, Result<Outcome, Failure>),
    Due(String),
    Purpose(String),
    /// Enter in the due date or purpose field: back to the scan field.
    FieldDone,
    EndTurn,
    /// Print a borrower's card (借阅证): the label panel with this card number.
    PrintCard(String, String),
    Count(bool),
    Pages(String),
    /// Enter in the page count: the count typed, then (often) the item scanned into the same
    /// field. The item is returned with that count.
    PagesSubmit,
    Condition(Option<Condition>),
    ReturnNote(String),
    ApproverName(String),
    ApproverPassword(String),
    OverrideReason(String),
    /// Retry with the answer (true) or leave the item (false).
    Answer(bool),
    /// The core's answer to a retried lend.
    Answered(Result<Outcome, Failure>),
    Tab(Tab),
    Listed(Tab, Result<Listing, Failure>),
    Counts(Result<DeskCounts, Failure>),
    Renew(String),
    Return(String),
    Lost(String),
    CancelRequest(i64),
    /// Record a request (预约) for an item out to someone else: `(item, borrower)`.
    Request(String, String),
    Acted(Result<Done, Failure>),
    OpenDossier(String),
    BorrowerQuery(String),
    SearchBorrowers,
    ShowBorrower(String),
    BorrowerShown(Result<Box<BorrowerView>, Failure>),
    ToDesk(String),
    NewKind(bool),
    NewField(Field, String),
    AddBorrower,
    BorrowerAdded(Result<Box<Borrower>, Failure>),
    BlockReason(String),
    Block(bool),
    Blocked(Result<Box<Borrower>, Failure>),
    /// Print a paper; the path skips the save dialog (tests), `None` asks for the file.
    Print(Paper, Place, Option<PathBuf>),
    PaperRendered(Place, Option<PathBuf>, Result<Option<Rendered>, Failure>),
    /// The save dialog's answer (`None`: cancelled).
    PaperChosen(Option<PathBuf>),
    /// No file chosen: save in the documents folder under the offered name.
    PaperSaveOffered,
    /// The file written: where it was asked, the sentence, how many slips/reminders/rows.
    PaperSaved(Place, &'static str, usize, Result<PathBuf, Failure>),
    OpenPaper,
    /// 导出 the loan list shown (a save dialog first; a path skips it, for tests).
    ExportList(Option<PathBuf>),
    ListExported(Result<crate::core::transfer::ExportReport, Failure>),
    /// The save dialog was closed without a file.
    ExportListCancelled,
    RegisterFrom(String),
    RegisterTo(String),
    RegisterPeriod(Period),
}

#[derive(Debug)]
pub enum Action {
    None,
    Task(Task<Message>),
    /// Open a dossier.
    Open(String),
    /// Print labels (a borrower's card): the label panel opens over the screen.
    Print(super::print::Request),
}

/// The borrower a code names, and the due date the policy gives them today.
fn arrival(s: &mut crate::core::Session, code: &str) -> crate::core::Result<Arrival> {
    let view = s.borrower(code)?;
    let days = s.loan_policy()?.for_kind(view.summary.borrower.kind).days;
    let today = crate::core::today().format("%Y-%m-%d").to_string();
    let due = s.workday(&today, Some(days))?.plus.map(|(_, d)| d.format("%Y-%m-%d").to_string());
    Ok(Arrival { summary: view.summary, due })
}

/// One scan at the desk: a card puts its borrower at the desk; an item is lent to the borrower
/// at the desk, or returned when there is none. A code that is no item may be a badge.
fn desk_scan(s: &mut crate::core::Session, code: &str, req: Request) -> crate::core::Result<Outcome> {
    let norm = crate::model::storage::normalize_code(code);
    if borrower_code_shape(&norm).is_some() {
        return arrival(s, code).map(|a| Outcome::Arrived(Box::new(a)));
    }
    let done = match &req.borrower {
        Some(b) => s
            .lend(&LendSpec {
                item: code.to_string(),
                borrower: b.clone(),
                purpose: req.purpose,
                days: None,
                due: Some(req.due).filter(|d| !d.trim().is_empty()),
                approver: req.approver,
                override_reason: req.override_reason,
            })
            .map(|l| Outcome::Lent(Box::new(l))),
        None => s
            .return_item(&ReturnSpec {
                item: code.to_string(),
                pages: req.pages,
                condition: req.condition,
                note: req.note,
            })
            .map(|r| Outcome::Returned(Box::new(r))),
    };
    match done {
        Err(e) if matches!(e.message().key, "code-unknown" | "code-foreign") => match arrival(s, code) {
            Ok(a) => Ok(Outcome::Arrived(Box::new(a))),
            Err(_) => Err(e),
        },
        other => other,
    }
}

/// A refusal as the log says it: the item first, unless the core's sentence names it.
fn refusal(code: &str, message: &str) -> String {
    if message.contains(code) { message.to_string() } else { format!("{code}: {message}") }
}

/// The month and day of a date (`2026-12-05` → `12-05`), as the desk says due dates.
fn short_date(d: &str) -> &str {
    d.get(5..).filter(|_| d.len() == 10).unwrap_or(d)
}

impl Lending {
    pub fn new(may_lend: bool) -> Lending {
        Lending { may_lend, tab: Tab::Current, papers: Papers::new(), ..Lending::default() }
    }

    /// Entering the screen: the list and counts reloaded, the scan field focused.
    pub fn enter(&mut self, backend: &Backend) -> Task<Message> {
        Task::batch([self.reload(backend), iced::widget::operation::focus(SCAN_ID)])
    }

    /// Opens a list (the 工作台's counts).
    pub fn open_tab(&mut self, tab: Tab, backend: &Backend) -> Task<Message> {
        self.tab = tab;
        self.enter(backend)
    }

    /// The counts the 工作台 shows.
    pub fn refresh_counts(&self, backend: &Backend) -> Task<Message> {
        backend.run(|s| s.desk_counts(), Message::Counts)
    }

    /// The list shown and the counts.
    pub fn reload(&self, backend: &Backend) -> Task<Message> {
        Task::batch([self.load_tab(backend), self.refresh_counts(backend)])
    }

    fn load_tab(&self, backend: &Backend) -> Task<Message> {
        let tab = self.tab;
        if tab == Tab::Register {
            return Task::none();
        }
        let query = self.borrower_query.clone();
        backend.run(
            move |s| {
                let q = |overdue, due_today| LoanQuery {
                    overdue,
                    due_today,
                    limit: MAX_ROWS + 1,
                    ..Default::default()
                };
                Ok(match tab {
                    Tab::Current => Listing::Loans(s.loans(&q(false, false))?),
                    Tab::Overdue => Listing::Loans(s.loans(&q(true, false))?),
                    Tab::DueToday => Listing::Loans(s.loans(&q(false, true))?),
                    Tab::Requests => Listing::Requests(s.loan_requests(false)?),
                    Tab::Borrowers => Listing::Borrowers(s.borrowers(&query, false, MAX_ROWS as i64)?),
                    Tab::Register => Listing::Loans(Vec::new()),
                })
            },
            move |r| Message::Listed(tab, r),
        )
    }

    /// A scan the wedge saw while this screen shows. The scanner typed it into the focused
    /// field too: taken out of there, and not counted twice when the field's Enter sent it.
    pub fn take_scan(&mut self, code: &str, backend: &Backend) -> Task<Message> {
        if self.last_submit.take().is_some_and(|l| l.ends_with(code)) {
            return Task::none();
        }
        // A badge scanned into the new borrower's badge field is that field's value.
        if self.tab == Tab::Borrowers && self.new_borrower.card.ends_with(code) {
            return Task::none();
        }
        let n = &mut self.new_borrower;
        for field in [&mut n.name, &mut n.dept, &mut n.unit, &mut n.phone, &mut n.letter_no] {
            strip(field, code);
        }
        for field in
            [&mut self.scan, &mut self.due, &mut self.purpose, &mut self.pages, &mut self.return_note]
        {
            strip(field, code);
        }
        if let Some(q) = self.question.as_mut() {
            for field in [&mut q.approver, &mut q.password, &mut q.reason] {
                strip(field, code);
            }
        }
        strip(&mut self.borrower_query, code);
        strip(&mut self.papers.from, code);
        strip(&mut self.papers.to, code);
        self.enqueue(code.to_string(), backend)
    }

    /// A borrower's card scanned on another screen: that borrower comes to the desk.
    pub fn borrower_scanned(&mut self, code: String, backend: &Backend) -> Task<Message> {
        if !self.may_lend {
            self.tab = Tab::Borrowers;
            return Task::batch([self.reload(backend), load_borrower(backend, code)]);
        }
        Task::batch([self.enqueue(code, backend), self.enter(backend)])
    }

    fn enqueue(&mut self, code: String, backend: &Backend) -> Task<Message> {
        let code = code.trim().to_string();
        if code.is_empty() {
            return Task::none();
        }
        self.queue.push_back(code);
        self.next(backend)
    }

    /// Sends the next waiting scan to the core, unless one is there or a question is open.
    fn next(&mut self, backend: &Backend) -> Task<Message> {
        if self.working || self.question.is_some() {
            return Task::none();
        }
        let Some(code) = self.queue.pop_front() else { return Task::none() };
        let req = self.request(None);
        self.send(code, req, backend)
    }

    fn request(&self, answer: Option<&Question>) -> Request {
        let (approver, reason) = match answer {
            Some(q) if q.ask == Some(Ask::Approval) => (Some((q.approver.clone(), q.password.clone())), None),
            Some(q) if q.ask == Some(Ask::Override) => (None, Some(q.reason.clone())),
            _ => (None, None),
        };
        Request {
            borrower: self.at_desk.as_ref().map(|b| b.borrower.code.clone()),
            due: self.due.trim().to_string(),
            purpose: self.purpose.clone(),
            approver,
            override_reason: reason.or_else(|| self.override_reason.clone()),
            pages: if self.count { self.pages.trim().parse().ok() } else { None },
            condition: if self.count { self.condition } else { None },
            note: if self.count { self.return_note.clone() } else { String::new() },
        }
    }

    fn send(&mut self, code: String, req: Request, backend: &Backend) -> Task<Message> {
        self.working = true;
        let c = code.clone();
        backend.run(move |s| desk_scan(s, &c, req), move |r| Message::Scanned(code, r))
    }

    fn say(&mut self, ok: bool, text: String) {
        self.log.push_front(LogLine { ok, text, hold: false, offer: None, slip: None });
        self.log.truncate(MAX_LOG);
    }

    /// A return's lines: what came back, then the hold it is wanted for (its own line).
    fn say_returned(&mut self, r: &Returned, tr: &Tr) {
        self.say(true, Self::returned_line(r, tr));
        if let Some(h) = &r.hold_for {
            let text = tr.ta("desk-hold-for", &[("borrower", h)]);
            self.log.push_front(LogLine { ok: true, text, hold: true, offer: None, slip: None });
        }
    }

    /// The sentence of a return: what came back from whom, a hold, pages short, found.
    fn returned_line(r: &Returned, tr: &Tr) -> String {
        let l = &r.loan;
        let mut s = tr.ta(
            if r.found { "desk-found" } else { "desk-returned" },
            &[("item", &l.item), ("title", &l.title), ("borrower", &l.borrower)],
        );
        if let Some(n) = r.pages_short {
            s.push_str("  ");
            s.push_str(&tr.ta("desk-pages-short", &[("count", &n.to_string())]));
        }
        if !r.still_lost.is_empty() {
            s.push_str("  ");
            s.push_str(&tr.ta("desk-still-lost", &[("items", &r.still_lost.join("、"))]));
        }
        if let Some(back) = &r.back_to {
            s.push_str("  ");
            s.push_str(&tr.ta("desk-back-to", &[("place", back)]));
        }
        s
    }

    fn check_pages(&mut self, tr: &Tr) -> bool {
        if self.count && !self.pages.trim().is_empty() && self.pages.trim().parse::<i64>().is_err() {
            self.say(false, tr.ta("desk-pages-bad", &[("value", self.pages.trim())]));
            return false;
        }
        true
    }

    pub fn update(&mut self, message: Message, backend: &Backend, tr: &Tr) -> Action {
        match message {
            Message::ScanTyped(s) => {
                self.scan = s;
                self.last_submit = None;
            }
            Message::ScanSubmit => {
                let code = std::mem::take(&mut self.scan).trim().to_string();
                if code.is_empty() {
                    return Action::None;
                }
                self.last_submit = Some(code.clone());
                if !self.may_lend {
                    return Action::Task(load_borrower(backend, code));
                }
                return Action::Task(self.enqueue(code, backend));
            }
            Message::Scanned(code, r) => {
                self.working = false;
                let mut after: Vec<Task<Message>> = vec![];
                match r {
                    Ok(Outcome::Arrived(a)) => {
                        let b = &a.summary;
                        self.say(true, tr.ta("desk-at-desk", &[("borrower", &b.borrower.display())]));
                        if self.at_desk.as_ref().map(|d| d.borrower.id) != Some(b.borrower.id) {
                            self.override_reason = None;
                            self.turn.clear();
                        }
                        self.at_desk = Some(a.summary.clone());
                        if let Some(d) = &a.due {
                            self.due = d.clone();
                        }
                        after.push(iced::widget::operation::focus(SCAN_ID));
                    }
                    Ok(Outcome::Lent(l)) => {
                        let loan = &l.loan;
                        let mut line = tr.ta(
                            "desk-lent",
                            &[
                                ("item", &loan.item),
                                ("title", &loan.title),
                                ("borrower", &loan.borrower),
                                ("due", &loan.due),
                            ],
                        );
                        if !l.folders.is_empty() {
                            line.push_str("  ");
                            line.push_str(
                                &tr.ta("desk-with-folders", &[("count", &l.folders.len().to_string())]),
                            );
                        }
                        self.say(true, line);
                        if let Some(front) = self.log.front_mut() {
                            front.slip = Some(loan.id);
                        }
                        self.turn.push(loan.id);
                        if let Some(b) = self.at_desk.as_mut() {
                            b.out += 1;
                        }
                    }
                    Ok(Outcome::Returned(r)) => {
                        self.say_returned(&r, tr);
                        self.pages.clear();
                        self.return_note.clear();
                        self.condition = None;
                    }
                    Err(f)
                        if self.at_desk.is_some()
                            && matches!(f.key, "loan-needs-approval" | "borrower-has-overdue") =>
                    {
                        let ask = if f.key == "loan-needs-approval" { Ask::Approval } else { Ask::Override };
                        self.question = Some(Question {
                            item: code,
                            ask: Some(ask),
                            message: f.message,
                            ..Question::default()
                        });
                        // The focus stays in the scan field: the next scans wait behind the
                        // question instead of landing in its fields.
                        return Action::None;
                    }
                    Err(f) => {
                        self.say(false, refusal(&code, &f.message));
                        if f.key == "loan-already-out"
                            && let Some(b) = &self.at_desk
                            && let Some(line) = self.log.front_mut()
                        {
                            line.offer = Some((code.clone(), b.borrower.code.clone()));
                        }
                    }
                }
                after.push(self.next(backend));
                if self.queue.is_empty() && !self.working {
                    after.push(self.reload(backend));
                }
                return Action::Task(Task::batch(after));
            }
            Message::Due(d) => self.due = d,
            Message::Purpose(p) => self.purpose = p,
            Message::FieldDone => return Action::Task(iced::widget::operation::focus(SCAN_ID)),
            Message::EndTurn => {
                if self.question.is_some() {
                    return self.update(Message::Answer(false), backend, tr);
                }
                if let Some(b) = self.at_desk.take() {
                    self.say(true, tr.ta("desk-turn-ended", &[("borrower", &b.borrower.display())]));
                }
                self.override_reason = None;
                self.due.clear();
                self.turn.clear();
                return Action::Task(Task::batch([
                    self.refresh_counts(backend),
                    iced::widget::operation::focus(SCAN_ID),
                ]));
            }
            Message::Count(c) => self.count = c,
            Message::Pages(p) => {
                self.pages = p;
                self.last_submit = None;
            }
            Message::PagesSubmit => {
                let typed = self.pages.trim().to_string();
                let digits: String = typed.chars().take_while(char::is_ascii_digit).collect();
                let rest = typed[digits.len()..].trim().to_string();
                self.pages = digits;
                let focus = iced::widget::operation::focus(SCAN_ID);
                if rest.is_empty() {
                    return Action::Task(focus);
                }
                // The wedge's copy of the same scan is not taken again.
                self.last_submit = Some(rest.clone());
                return Action::Task(Task::batch([self.enqueue(rest, backend), focus]));
            }
            Message::Condition(c) => self.condition = c,
            Message::ReturnNote(n) => self.return_note = n,
            Message::ApproverName(n) => {
                if let Some(q) = self.question.as_mut() {
                    q.approver = n;
                }
            }
            Message::ApproverPassword(p) => {
                if let Some(q) = self.question.as_mut() {
                    q.password = p;
                }
            }
            Message::OverrideReason(r) => {
                if let Some(q) = self.question.as_mut() {
                    q.reason = r;
                }
            }
            Message::Answer(retry) => {
                let Some(q) = self.question.take() else { return Action::None };
                if !retry {
                    self.say(false, refusal(&q.item, &q.message));
                    return Action::Task(Task::batch([
                        self.next(backend),
                        iced::widget::operation::focus(SCAN_ID),
                    ]));
                }
                let missing = match q.ask {
                    Some(Ask::Approval) => q.approver.trim().is_empty() || q.password.is_empty(),
                    _ => q.reason.trim().is_empty(),
                };
                if missing {
                    let key = if q.ask == Some(Ask::Approval) {
                        "desk-approver-needed"
                    } else {
                        "desk-reason-needed"
                    };
                    self.question = Some(Question { error: Some(tr.t(key)), ..q });
                    return Action::None;
                }
                if q.ask == Some(Ask::Override) {
                    self.override_reason = Some(q.reason.trim().to_string());
                }
                let req = self.request(Some(&q));
                let item = q.item.clone();
                // Kept until the answer is accepted: a wrong password asks again.
                self.question = Some(Question { password: String::new(), error: None, ..q });
                self.working = true;
                return Action::Task(backend.run(move |s| desk_scan(s, &item, req), Message::Answered));
            }
            Message::Tab(t) => {
                self.tab = t;
                self.confirm_lost = None;
                self.list_note = None;
                // What a list's paper did belongs to that list.
                if self.papers.note.as_ref().is_some_and(|n| n.place == Place::List) {
                    self.papers.note = None;
                }
                return Action::Task(self.reload(backend));
            }
            Message::Listed(tab, r) => {
                if tab != self.tab {
                    return Action::None;
                }
                match r {
                    Ok(Listing::Loans(l)) => {
                        self.loans = l;
                        self.list_error = None;
                    }
                    Ok(Listing::Requests(r)) => {
                        self.requests = r;
                        self.list_error = None;
                    }
                    Ok(Listing::Borrowers(b)) => {
                        self.borrowers = b;
                        self.list_error = None;
                    }
                    Err(f) => self.list_error = Some(f.message),
                }
            }
            Message::Counts(Ok(c)) => self.counts = Some(c),
            Message::Counts(Err(f)) => tracing::debug!(error = %f.message, "desk counts"),
            Message::Renew(item) => {
                return Action::Task(
                    self.act(backend, move |s| s.renew(&item, None).map(|l| Done::Renewed(Box::new(l)))),
                );
            }
            Message::Return(item) => {
                if !self.check_pages(tr) {
                    return Action::None;
                }
                let req = self.request(None);
                return Action::Task(self.act(backend, move |s| {
                    s.return_item(&ReturnSpec {
                        item,
                        pages: req.pages,
                        condition: req.condition,
                        note: req.note,
                    })
                    .map(|r| Done::Returned(Box::new(r)))
                }));
            }
            Message::Lost(item) => {
                if self.confirm_lost.as_deref() != Some(item.as_str()) {
                    self.confirm_lost = Some(item);
                    return Action::None;
                }
                self.confirm_lost = None;
                return Action::Task(
                    self.act(backend, move |s| s.mark_lost(&item, "").map(|l| Done::Lost(Box::new(l)))),
                );
            }
            Message::CancelRequest(id) => {
                return Action::Task(
                    self.act(backend, move |s| s.cancel_request(id).map(|r| Done::Cancelled(Box::new(r)))),
                );
            }
            Message::Request(item, borrower) => {
                for line in self.log.iter_mut() {
                    if line.offer.as_ref().is_some_and(|(i, b)| *i == item && *b == borrower) {
                        line.offer = None;
                    }
                }
                return Action::Task(self.act(backend, move |s| {
                    s.request_item(&item, &borrower, "").map(|r| Done::Requested(Box::new(r)))
                }));
            }
            Message::Acted(r) => {
                self.busy = false;
                let line = match r {
                    Ok(Done::Renewed(l)) => LogLine {
                        hold: false,
                        offer: None,
                        slip: None,
                        ok: true,
                        text: tr
                            .ta("desk-renewed", &[("item", &l.item), ("title", &l.title), ("due", &l.due)]),
                    },
                    Ok(Done::Returned(r)) => {
                        self.pages.clear();
                        self.return_note.clear();
                        self.condition = None;
                        self.say_returned(&r, tr);
                        let mut text = Self::returned_line(&r, tr);
                        if let Some(h) = &r.hold_for {
                            text = format!("{text}  {}", tr.ta("desk-hold-for", &[("borrower", h)]));
                        }
                        self.list_note = Some(LogLine {
                            ok: true,
                            text,
                            hold: r.hold_for.is_some(),
                            offer: None,
                            slip: None,
                        });
                        let mut tasks = vec![self.reload(backend)];
                        if let Some(v) = &self.shown {
                            tasks.push(load_borrower(backend, v.summary.borrower.code.clone()));
                        }
                        return Action::Task(Task::batch(tasks));
                    }
                    Ok(Done::Lost(l)) => LogLine {
                        hold: false,
                        offer: None,
                        slip: None,
                        ok: true,
                        text: tr.ta(
                            "desk-lost-done",
                            &[("item", &l.item), ("title", &l.title), ("borrower", &l.borrower)],
                        ),
                    },
                    Ok(Done::Cancelled(q)) => LogLine {
                        hold: false,
                        offer: None,
                        slip: None,
                        ok: true,
                        text: tr
                            .ta("desk-request-cancelled", &[("item", &q.item), ("borrower", &q.borrower)]),
                    },
                    Ok(Done::Requested(q)) => LogLine {
                        hold: false,
                        offer: None,
                        slip: None,
                        ok: true,
                        text: tr.ta("desk-requested", &[("item", &q.item), ("borrower", &q.borrower)]),
                    },
                    Err(f) => LogLine { ok: false, text: f.message, hold: false, offer: None, slip: None },
                };
                self.say(line.ok, line.text.clone());
                self.list_note = Some(line);
                let mut tasks = vec![self.reload(backend)];
                if let Some(v) = &self.shown {
                    tasks.push(load_borrower(backend, v.summary.borrower.code.clone()));
                }
                return Action::Task(Task::batch(tasks));
            }
            Message::Answered(r) => {
                self.working = false;
                match r {
                    Err(f)
                        if matches!(f.key, "loan-approver-wrong" | "loan-approver-self")
                            || f.kind == crate::core::ErrorKind::Denied =>
                    {
                        if let Some(q) = self.question.as_mut() {
                            q.error = Some(f.message);
                        }
                        return Action::Task(iced::widget::operation::focus(APPROVER_PW_ID));
                    }
                    other => {
                        let code = self.question.take().map(|q| q.item).unwrap_or_default();
                        let done = self.update(Message::Scanned(code, other), backend, tr);
                        let focus = iced::widget::operation::focus(SCAN_ID);
                        return Action::Task(match done {
                            Action::Task(t) => Task::batch([t, focus]),
                            _ => focus,
                        });
                    }
                }
            }
            Message::OpenDossier(no) => return Action::Open(no),
            Message::BorrowerQuery(q) => {
                // Found as the clerk types (a short indexed query).
                self.borrower_query = q;
                if self.tab == Tab::Borrowers {
                    return Action::Task(self.load_tab(backend));
                }
            }
            Message::SearchBorrowers => {
                self.tab = Tab::Borrowers;
                return Action::Task(self.load_tab(backend));
            }
            Message::ShowBorrower(code) => {
                self.block_reason.clear();
                return Action::Task(load_borrower(backend, code));
            }
            Message::BorrowerShown(Ok(v)) => {
                self.tab = Tab::Borrowers;
                self.shown = Some(*v);
            }
            Message::BorrowerShown(Err(f)) => self.list_error = Some(f.message),
            Message::ToDesk(code) => {
                if !self.may_lend {
                    return Action::None;
                }
                return Action::Task(Task::batch([
                    self.enqueue(code, backend),
                    iced::widget::operation::focus(SCAN_ID),
                ]));
            }
            Message::NewKind(external) => self.new_borrower.external = external,
            Message::NewField(field, v) => {
                let n = &mut self.new_borrower;
                n.error = None;
                match field {
                    Field::Name => n.name = v,
                    Field::Dept => n.dept = v,
                    Field::Unit => n.unit = v,
                    Field::Phone => n.phone = v,
                    Field::Card => n.card = v,
                    Field::Letter => n.letter_no = v,
                }
            }
            Message::AddBorrower => {
                let n = &mut self.new_borrower;
                if n.saving {
                    return Action::None;
                }
                n.saving = true;
                let spec = NewBorrowerSpec {
                    name: n.name.clone(),
                    dept: if n.external { String::new() } else { n.dept.clone() },
                    unit: if n.external { n.unit.clone() } else { String::new() },
                    phone: n.phone.clone(),
                    card: (!n.external && !n.card.trim().is_empty()).then(|| n.card.clone()),
                    letter_no: if n.external { n.letter_no.clone() } else { String::new() },
                    notes: String::new(),
                    kind: Some(if n.external { BorrowerKind::External } else { BorrowerKind::Staff }),
                };
                return Action::Task(
                    backend.run(move |s| s.add_borrower(&spec).map(Box::new), Message::BorrowerAdded),
                );
            }
            Message::BorrowerAdded(r) => {
                self.new_borrower.saving = false;
                match r {
                    Ok(b) => {
                        let external = self.new_borrower.external;
                        self.new_borrower = NewBorrower { external, ..NewBorrower::default() };
                        self.list_note = Some(LogLine {
                            hold: false,
                            offer: None,
                            slip: None,
                            ok: true,
                            text: tr
                                .ta("desk-borrower-added", &[("borrower", &b.display()), ("code", &b.code)]),
                        });
                        return Action::Task(Task::batch([
                            self.load_tab(backend),
                            load_borrower(backend, b.code.clone()),
                        ]));
                    }
                    Err(f) => self.new_borrower.error = Some(f.message),
                }
            }
            Message::PrintCard(code, name) => {
                return Action::Print(super::print::Request {
                    kind: crate::core::labels::LabelKind::Borrower,
                    selection: crate::core::labels::LabelSelection {
                        items: vec![code],
                        ..Default::default()
                    },
                    what: name,
                });
            }
            Message::BlockReason(r) => self.block_reason = r,
            Message::Block(block) => {
                let Some(v) = &self.shown else { return Action::None };
                if self.busy {
                    return Action::None;
                }
                self.busy = true;
                let code = v.summary.borrower.code.clone();
                let reason = self.block_reason.clone();
                return Action::Task(
                    backend.run(
                        move |s| s.block_borrower(&code, block, &reason).map(Box::new),
                        Message::Blocked,
                    ),
                );
            }
            Message::Print(paper, place, path) => {
                return Action::Task(self.papers.print(paper, place, path, backend, tr));
            }
            Message::PaperRendered(place, path, r) => {
                return Action::Task(self.papers.rendered(place, path, r, backend, tr));
            }
            Message::PaperChosen(path) => return Action::Task(self.papers.chosen(path, backend, tr)),
            Message::PaperSaved(place, key, count, r) => self.papers.saved(place, key, count, r, tr),
            Message::PaperSaveOffered => return Action::Task(self.papers.save_offered(backend)),
            Message::OpenPaper => self.papers.open(tr),
            Message::ExportList(None) => {
                let name =
                    format!("{}-{}.xlsx", tr.t(self.tab.label_key()), crate::core::today().format("%Y%m%d"));
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
                    |p| match p {
                        Some(p) => Message::ExportList(Some(p)),
                        None => Message::ExportListCancelled,
                    },
                ));
            }
            Message::ExportList(Some(path)) => {
                let q = crate::core::transfer::ExportQuery {
                    loans: LoanQuery {
                        overdue: self.tab == Tab::Overdue,
                        due_today: self.tab == Tab::DueToday,
                        ..Default::default()
                    },
                    ..Default::default()
                };
                let language = tr.language;
                return Action::Task(backend.run(
                    move |s| {
                        let tr = Tr::new(language);
                        let labels = |k: &str| tr.t(k);
                        s.export(crate::core::transfer::ExportKind::Loans, &q, &path, &labels, &mut |_| {})
                    },
                    Message::ListExported,
                ));
            }
            Message::ExportListCancelled => {}
            Message::ListExported(r) => {
                let (ok, text) = match r {
                    Ok(rep) => (
                        true,
                        tr.ta(
                            "export-done",
                            &[("rows", &rep.rows.to_string()), ("file", &rep.file.display().to_string())],
                        ),
                    ),
                    Err(f) => (false, f.message),
                };
                self.list_note = Some(LogLine { ok, text, hold: false, offer: None, slip: None });
            }
            Message::RegisterFrom(d) => self.papers.from = d,
            Message::RegisterTo(d) => self.papers.to = d,
            Message::RegisterPeriod(p) => self.papers.period(p),
            Message::Blocked(r) => {
                self.busy = false;
                match r {
                    Ok(b) => {
                        self.block_reason.clear();
                        self.list_note = Some(LogLine {
                            hold: false,
                            offer: None,
                            slip: None,
                            ok: true,
                            text: tr.ta(
                                if b.blocked { "desk-blocked" } else { "desk-unblocked" },
                                &[("borrower", &b.display())],
                            ),
                        });
                        if let Some(d) = self.at_desk.as_mut()
                            && d.borrower.id == b.id
                        {
                            d.borrower = (*b).clone();
                        }
                        return Action::Task(Task::batch([
                            self.load_tab(backend),
                            load_borrower(backend, b.code.clone()),
                        ]));
                    }
                    Err(f) => {
                        self.list_note =
                            Some(LogLine { ok: false, text: f.message, hold: false, offer: None, slip: None })
                    }
                }
            }
        }
        Action::None
    }

    fn act(
        &mut self,
        backend: &Backend,
        f: impl FnOnce(&mut crate::core::Session) -> crate::core::Result<Done> + Send + 'static,
    ) -> Task<Message> {
        self.busy = true;
        self.list_note = None;
        backend.run(f, Message::Acted)
    }
}

fn load_borrower(backend: &Backend, code: String) -> Task<Message> {
    backend.run(move |s| s.borrower(&code).map(Box::new), Message::BorrowerShown)
}

/// Removes the characters a scan typed into a field (at its end, where the cursor was).
fn strip(field: &mut String, code: &str) {
    if let Some(i) = field.rfind(code) {
        field.replace_range(i..i + code.len(), "");
    }
}

impl Lending {
    pub fn view<'a>(&'a self, tr: &Tr) -> Element<'a, Message> {
        let left: Element<'a, Message> = if self.may_lend {
            scrollable(self.desk_view(tr).padding(16)).height(Length::Fill).into()
        } else {
            container(
                column![
                    text(tr.t("desk-title")).size(24),
                    text(tr.t("desk-readonly")).size(13).style(theme::muted),
                    text_input(&tr.t("desk-find-hint"), &self.scan)
                        .id(SCAN_ID)
                        .on_input(Message::ScanTyped)
                        .on_submit(Message::ScanSubmit)
                        .padding(8),
                ]
                .spacing(10),
            )
            .padding(16)
            .into()
        };
        row![
            container(left)
                .width(Length::FillPortion(2))
                .max_width(420)
                .height(Length::Fill)
                .style(theme::card),
            container(self.lists_view(tr)).width(Length::FillPortion(3)).height(Length::Fill).padding(16),
        ]
        .into()
    }

    fn desk_view<'a>(&'a self, tr: &Tr) -> iced::widget::Column<'a, Message> {
        let mut page = column![
            text(tr.t("desk-title")).size(24),
            text_input(&tr.t("desk-scan-hint"), &self.scan)
                .id(SCAN_ID)
                .on_input(Message::ScanTyped)
                .on_submit(Message::ScanSubmit)
                .size(18)
                .padding(10),
        ]
        .spacing(10);
        // Who is at the desk, and what their scans will do.
        let desk: Element<'a, Message> = match &self.at_desk {
            Some(b) => {
                let who = &b.borrower;
                let org = if who.unit.is_empty() { who.dept.clone() } else { who.unit.clone() };
                let mut card = column![
                    row![
                        text(who.name.clone()).size(22),
                        text(org).size(15).style(theme::muted),
                        space::horizontal(),
                        container(
                            button(text(tr.t("desk-end-turn")).size(13))
                                .on_press(Message::EndTurn)
                                .style(button::secondary)
                        )
                        .id(END_TURN_ID),
                    ]
                    .spacing(10)
                    .align_y(Alignment::Center),
                    row![
                        text(format!("{} · {}", who.code, tr.t(who.kind.label_key())))
                            .size(13)
                            .style(theme::muted),
                        text(tr.ta("desk-out-count", &[("count", &b.out.to_string())])).size(13),
                        text(tr.ta("desk-overdue-count", &[("count", &b.overdue.to_string())]))
                            .size(13)
                            .style(if b.overdue > 0 { theme::error } else { theme::muted }),
                    ]
                    .spacing(12),
                ]
                .spacing(6);
                if who.blocked {
                    card = card.push(
                        text(tr.ta("desk-borrower-blocked", &[("reason", &who.blocked_reason)]))
                            .size(14)
                            .style(theme::error),
                    );
                }
                if let Some(r) = &self.override_reason {
                    card = card.push(
                        text(tr.ta("desk-override-on", &[("reason", r)])).size(13).style(theme::warning),
                    );
                }
                card = card.push(
                    row![
                        column![
                            text(tr.t("desk-field-due")).size(12).style(theme::muted),
                            text_input("YYYY-MM-DD", &self.due)
                                .id(DUE_ID)
                                .on_input(Message::Due)
                                .on_submit(Message::FieldDone)
                                .width(130),
                        ]
                        .spacing(2),
                        column![
                            text(tr.t("desk-field-purpose")).size(12).style(theme::muted),
                            text_input(&tr.t("desk-purpose-hint"), &self.purpose)
                                .id(PURPOSE_ID)
                                .on_input(Message::Purpose)
                                .on_submit(Message::FieldDone),
                        ]
                        .spacing(2),
                    ]
                    .spacing(10),
                );
                card = card.push(text(tr.t("desk-lend-hint")).size(12).style(theme::muted));
                if !self.turn.is_empty() {
                    card = card.push(
                        container(
                            button(
                                text(tr.ta("desk-turn-slips", &[("count", &self.turn.len().to_string())]))
                                    .size(13),
                            )
                            .on_press_maybe((!self.papers.busy).then(|| {
                                Message::Print(
                                    Paper::Slips { loans: self.turn.clone(), items: vec![] },
                                    Place::Turn,
                                    None,
                                )
                            }))
                            .padding([3, 10])
                            .style(button::secondary),
                        )
                        .id(TURN_SLIPS_ID),
                    );
                }
                if let Some(n) = self.papers.note_view(Place::Turn, tr) {
                    card = card.push(n);
                }
                container(card).padding(12).width(Length::Fill).style(theme::selected_row).into()
            }
            None => container(text(tr.t("desk-nobody")).size(14).style(theme::muted))
                .padding(12)
                .width(Length::Fill)
                .style(theme::card)
                .into(),
        };
        page = page.push(desk);
        if let Some(q) = &self.question {
            page = page.push(self.question_view(q, tr));
        }
        // 清点: pages and condition on return.
        let mut count =
            column![checkbox(self.count).label(tr.t("desk-count")).on_toggle(Message::Count)].spacing(6);
        if self.count {
            let mut conditions = row![].spacing(4);
            for c in
                [None, Some(Condition::Complete), Some(Condition::PagesMissing), Some(Condition::Damaged)]
            {
                let label = match c {
                    None => tr.t("desk-condition-auto"),
                    Some(c) => tr.t(c.label_key()),
                };
                conditions = conditions.push(
                    button(text(label).size(13))
                        .on_press(Message::Condition(c))
                        .padding([3, 8])
                        .style(if self.condition == c { button::primary } else { button::secondary }),
                );
            }
            count = count.push(
                row![
                    text_input(&tr.t("desk-pages-hint"), &self.pages)
                        .id(PAGES_ID)
                        .on_input(Message::Pages)
                        .on_submit(Message::PagesSubmit)
                        .width(110),
                    text_input(&tr.t("desk-return-note-hint"), &self.return_note)
                        .on_input(Message::ReturnNote)
                        .on_submit(Message::FieldDone),
                ]
                .spacing(8),
            );
            count = count.push(conditions);
        }
        page = page.push(count);
        // The session log, newest first.
        let mut log = column![row![
            text(tr.t("desk-log")).size(16).style(theme::heading),
            space::horizontal(),
            text(if self.working || !self.queue.is_empty() {
                tr.ta(
                    "desk-waiting",
                    &[("count", &(self.queue.len() + usize::from(self.working)).to_string())],
                )
            } else {
                String::new()
            })
            .size(12)
            .style(theme::muted),
        ]]
        .spacing(3);
        if self.log.is_empty() {
            log = log.push(text(tr.t("desk-log-empty")).size(13).style(theme::muted));
        }
        if let Some(n) = self.papers.note_view(Place::Log, tr) {
            log = log.push(n);
        }
        for l in &self.log {
            let line = if l.hold {
                container(text(l.text.clone()).size(15)).padding([2, 6]).style(theme::warning_box)
            } else {
                container(text(l.text.clone()).size(13).style(if l.ok {
                    theme::success
                } else {
                    theme::error
                }))
            };
            log = log.push(match l.slip {
                Some(id) => Element::from(
                    row![
                        line.width(Length::Fill),
                        container(
                            button(text(tr.t("desk-print-slip")).size(12))
                                .on_press_maybe((!self.papers.busy).then(|| {
                                    Message::Print(
                                        Paper::Slips { loans: vec![id], items: vec![] },
                                        Place::Log,
                                        None,
                                    )
                                }))
                                .padding([2, 6])
                                .style(button::secondary),
                        )
                        .id(log_slip_id(id)),
                    ]
                    .spacing(6)
                    .align_y(Alignment::Center),
                ),
                None => line.into(),
            });
            if let Some((item, borrower)) = &l.offer {
                log = log.push(
                    container(
                        button(text(tr.t("desk-request-offer")).size(12))
                            .on_press_maybe(
                                (!self.busy).then(|| Message::Request(item.clone(), borrower.clone())),
                            )
                            .padding([2, 8])
                            .style(button::secondary),
                    )
                    .id(request_offer_id(item)),
                );
            }
        }
        page.push(container(log).padding(10).width(Length::Fill).style(theme::card))
    }

    fn question_view<'a>(&'a self, q: &'a Question, tr: &Tr) -> Element<'a, Message> {
        let mut c = column![text(q.message.clone()).size(14)].spacing(8);
        let submit = Message::Answer(true);
        match q.ask {
            Some(Ask::Approval) => {
                c = c.push(
                    row![
                        text_input(&tr.t("desk-approver-hint"), &q.approver)
                            .id(APPROVER_ID)
                            .on_input(Message::ApproverName),
                        text_input(&tr.t("desk-password-hint"), &q.password)
                            .id(APPROVER_PW_ID)
                            .secure(true)
                            .on_input(Message::ApproverPassword)
                            .on_submit(submit.clone()),
                    ]
                    .spacing(8),
                );
            }
            _ => {
                c = c.push(
                    text_input(&tr.t("desk-override-hint"), &q.reason)
                        .id(OVERRIDE_ID)
                        .on_input(Message::OverrideReason),
                );
            }
        }
        if let Some(e) = &q.error {
            c = c.push(text(e.clone()).size(13).style(theme::error));
        }
        let go = if q.ask == Some(Ask::Approval) { "desk-approve" } else { "desk-override" };
        c = c.push(
            row![
                container(button(text(tr.t(go))).on_press_maybe((!self.working).then_some(submit)))
                    .id(ANSWER_ID),
                button(text(tr.t("desk-skip"))).on_press(Message::Answer(false)).style(button::secondary),
            ]
            .spacing(8),
        );
        container(c).padding(12).width(Length::Fill).style(theme::warning_box).into()
    }

    fn lists_view<'a>(&'a self, tr: &Tr) -> Element<'a, Message> {
        let mut tabs = row![].spacing(6);
        for t in Tab::ALL {
            let count = match (t, &self.counts) {
                (Tab::Current, Some(c)) => Some(c.out),
                (Tab::Overdue, Some(c)) => Some(c.overdue),
                (Tab::DueToday, Some(c)) => Some(c.due_today),
                (Tab::Requests, Some(c)) => Some(c.waiting),
                _ => None,
            };
            let label = match count {
                Some(n) => format!("{} ({n})", tr.t(t.label_key())),
                None => tr.t(t.label_key()),
            };
            tabs = tabs.push(
                container(button(text(label).size(14)).on_press(Message::Tab(t)).style(if self.tab == t {
                    button::primary
                } else {
                    button::secondary
                }))
                .id(tab_id(t)),
            );
        }
        let mut page = column![tabs.wrap().vertical_spacing(6)].spacing(10);
        if let Some(e) = &self.list_error {
            page = page.push(text(e.clone()).size(13).style(theme::error));
        }
        if let Some(n) = &self.list_note {
            page = page.push(text(n.text.clone()).size(13).style(if n.ok {
                theme::success
            } else {
                theme::error
            }));
        }
        if matches!(self.tab, Tab::Current | Tab::Overdue | Tab::DueToday) {
            page = page.push(
                container(
                    button(text(tr.t("export-button")).size(13))
                        .on_press(Message::ExportList(None))
                        .padding([3, 10])
                        .style(button::secondary),
                )
                .id(EXPORT_LIST_ID),
            );
        }
        if self.tab == Tab::Overdue {
            let (label, borrower) = match &self.at_desk {
                Some(b) => (
                    tr.ta("desk-remind-one", &[("borrower", &b.borrower.display())]),
                    Some(b.borrower.code.clone()),
                ),
                None => (tr.t("desk-remind-all"), None),
            };
            let remind = |label: String, borrower: Option<String>, id: &'static str| {
                container(
                    button(text(label).size(13))
                        .on_press_maybe((!self.papers.busy).then(|| {
                            Message::Print(Paper::Reminders { borrower: borrower.clone() }, Place::List, None)
                        }))
                        .padding([3, 10])
                        .style(button::secondary),
                )
                .id(id)
            };
            let mut buttons = row![remind(label, borrower.clone(), REMIND_ID)].spacing(8);
            // With a borrower at the desk, everyone's are still one click away.
            if borrower.is_some() {
                buttons = buttons.push(remind(tr.t("desk-remind-everyone"), None, REMIND_ALL_ID));
            }
            page = page.push(buttons);
        }
        if self.tab != Tab::Register
            && let Some(n) = self.papers.note_view(Place::List, tr)
        {
            page = page.push(n);
        }
        let body: Element<'a, Message> = match self.tab {
            // A short form: no scrolling, the card as tall as what it holds.
            Tab::Register => return page.push(self.register_view(tr)).into(),
            Tab::Requests => self.requests_view(tr),
            Tab::Borrowers => self.borrowers_view(tr),
            _ => self.loans_view(tr),
        };
        page.push(scrollable(body).height(Length::Fill)).into()
    }

    fn loans_view<'a>(&'a self, tr: &Tr) -> Element<'a, Message> {
        let mut list = column![].spacing(2);
        if self.loans.is_empty() {
            list = list.push(text(tr.t("desk-list-empty")).size(13).style(theme::muted));
        } else {
            list = list.push(
                row![
                    text(tr.t("desk-col-item")).size(12).style(theme::muted).width(Length::FillPortion(3)),
                    text(tr.t("desk-col-borrower"))
                        .size(12)
                        .style(theme::muted)
                        .width(Length::FillPortion(2)),
                    text(tr.t("desk-field-due")).size(12).style(theme::muted).width(DUE_W),
                    text("").width(ACTIONS_W),
                ]
                .spacing(8)
                .padding([0, 6]),
            );
        }
        for l in self.loans.iter().take(MAX_ROWS) {
            list = list.push(self.loan_row(l, tr));
        }
        if self.loans.len() > MAX_ROWS {
            list = list.push(
                text(tr.ta("desk-more", &[("shown", &MAX_ROWS.to_string())])).size(13).style(theme::muted),
            );
        }
        list.into()
    }

    fn loan_row<'a>(&'a self, l: &'a Loan, tr: &Tr) -> Element<'a, Message> {
        let item: Element<'a, Message> = match l.kind {
            ItemKind::Dossier => container(
                button(text(l.item.clone()).size(14))
                    .on_press(Message::OpenDossier(l.item.clone()))
                    .padding(0)
                    .style(button::text),
            )
            .id(item_id(&l.item))
            .into(),
            ItemKind::Box => text(l.item.clone()).size(14).into(),
        };
        let due: Element<'a, Message> = if l.overdue_days > 0 {
            text(tr.ta(
                "desk-due-overdue",
                &[("due", short_date(&l.due)), ("days", &l.overdue_days.to_string())],
            ))
            .size(13)
            .style(theme::error)
            .into()
        } else if l.state == crate::model::loans::LoanState::Lost {
            text(tr.t(l.state.label_key())).size(13).style(theme::error).into()
        } else if l.due == crate::core::today().format("%Y-%m-%d").to_string() {
            text(tr.ta("desk-due-today", &[("due", &l.due)])).size(13).style(theme::warning).into()
        } else {
            text(l.due.clone()).size(13).into()
        };
        let mut actions = row![].spacing(4);
        // The slip: of this loan, or of the box a folder went out with.
        let slip = match &l.with_box {
            Some(_) => Paper::Slips { loans: vec![], items: vec![l.item.clone()] },
            None => Paper::Slips { loans: vec![l.id], items: vec![] },
        };
        actions = actions.push(
            container(
                button(text(tr.t("desk-slip")).size(12))
                    .on_press_maybe((!self.papers.busy).then_some(Message::Print(slip, Place::List, None)))
                    .padding([2, 6])
                    .style(button::secondary),
            )
            .id(slip_id(&l.item)),
        );
        if self.may_lend {
            let small = |key: &str, id: String, m: Message, danger: bool| {
                container(
                    button(text(tr.t(key)).size(12))
                        .on_press_maybe((!self.busy).then_some(m))
                        .padding([2, 6])
                        .style(if danger { button::danger } else { button::primary }),
                )
                .id(id)
            };
            if l.state == crate::model::loans::LoanState::Out && l.with_box.is_none() {
                actions = actions.push(small(
                    "desk-renew",
                    renew_id(&l.item),
                    Message::Renew(l.item.clone()),
                    false,
                ));
            }
            if l.with_box.is_none() {
                actions = actions.push(small(
                    "desk-return",
                    return_id(&l.item),
                    Message::Return(l.item.clone()),
                    false,
                ));
            }
            if l.state == crate::model::loans::LoanState::Out {
                let key = if self.confirm_lost.as_deref() == Some(l.item.as_str()) {
                    "desk-lost-confirm"
                } else {
                    "desk-lost"
                };
                actions = actions.push(small(key, lost_id(&l.item), Message::Lost(l.item.clone()), true));
            }
        }
        let mut title = l.title.clone();
        if let Some(b) = &l.with_box {
            title = format!("{title} ({})", tr.ta("desk-with-box", &[("box", b)]));
        }
        container(
            row![
                // The number, and the name under it.
                column![item, text(title).size(12).style(theme::muted)].width(Length::FillPortion(3)),
                column![
                    text(l.borrower.clone()).size(13),
                    text(l.borrower_org.clone()).size(12).style(theme::muted)
                ]
                .width(Length::FillPortion(2)),
                container(due).width(DUE_W),
                container(actions).width(ACTIONS_W),
            ]
            .spacing(8)
            .align_y(Alignment::Center),
        )
        .padding([3, 6])
        .into()
    }

    /// 借阅登记簿: the period (this month unless changed) and the PDF / CSV exports.
    fn register_view<'a>(&'a self, tr: &Tr) -> Element<'a, Message> {
        let p = &self.papers;
        let export = |format: RegisterFormat, key: &str, id: &'static str| {
            container(
                button(text(tr.t(key)).size(13))
                    .on_press_maybe((!p.busy).then(|| {
                        Message::Print(
                            Paper::Register { from: p.from.clone(), to: p.to.clone(), format },
                            Place::Register,
                            None,
                        )
                    }))
                    .padding([4, 12]),
            )
            .id(id)
        };
        let date = |label: &str, value: &'a str, id: &'static str, on: fn(String) -> Message| {
            column![
                text(label.to_string()).size(12).style(theme::muted),
                text_input("YYYY-MM-DD", value).id(id).on_input(on).width(130),
            ]
            .spacing(2)
        };
        let mut periods = row![].spacing(6);
        for period in Period::ALL {
            periods = periods.push(
                button(text(tr.t(period.label_key())).size(12))
                    .on_press(Message::RegisterPeriod(period))
                    .padding([2, 8])
                    .style(if p.is_period(period) { button::primary } else { button::secondary }),
            );
        }
        let mut c = column![
            text(tr.t("desk-register-title")).size(16).style(theme::heading),
            text(tr.t("desk-register-hint")).size(13).style(theme::muted),
            periods,
            row![
                date(&tr.t("desk-register-from"), &p.from, REGISTER_FROM_ID, Message::RegisterFrom),
                date(&tr.t("desk-register-to"), &p.to, REGISTER_TO_ID, Message::RegisterTo),
                export(RegisterFormat::Pdf, "desk-register-pdf", REGISTER_PDF_ID),
                export(RegisterFormat::Csv, "desk-register-csv", REGISTER_CSV_ID),
            ]
            .spacing(10)
            .align_y(Alignment::End),
        ]
        .spacing(8);
        if p.busy {
            c = c.push(text(tr.t("print-working")).size(13).style(theme::muted));
        }
        if let Some(n) = p.note_view(Place::Register, tr) {
            c = c.push(n);
        }
        container(c).padding(12).width(Length::Fill).style(theme::card).into()
    }

    fn requests_view<'a>(&'a self, tr: &Tr) -> Element<'a, Message> {
        let mut list = column![].spacing(2);
        if self.requests.is_empty() {
            list = list.push(text(tr.t("desk-requests-empty")).size(13).style(theme::muted));
        } else {
            let head = |key: &str| text(tr.t(key)).size(12).style(theme::muted);
            list = list.push(
                row![
                    head("desk-col-item").width(ITEM_W),
                    head("desk-col-title").width(Length::FillPortion(3)),
                    head("desk-col-waiting").width(Length::FillPortion(2)),
                    head("desk-col-since").width(Length::FillPortion(2)),
                    head("desk-col-where").width(Length::FillPortion(3)),
                    space::horizontal().width(if self.may_lend { 90 } else { 0 }),
                ]
                .spacing(8)
                .padding([0, 6]),
            );
        }
        for r in &self.requests {
            let held = match (&r.held_by, &r.due) {
                (Some(b), Some(d)) => tr.ta("desk-held-by", &[("borrower", b), ("due", short_date(d))]),
                (Some(b), None) => b.clone(),
                _ => tr.t("desk-on-shelf"),
            };
            let mut line = row![
                text(r.item.clone()).size(14).width(ITEM_W),
                text(r.title.clone()).size(13).width(Length::FillPortion(3)),
                text(r.borrower.clone()).size(13).width(Length::FillPortion(2)),
                text(crate::core::local_date(&r.requested_at))
                    .size(12)
                    .style(theme::muted)
                    .width(Length::FillPortion(2)),
                text(held).size(12).width(Length::FillPortion(3)),
            ]
            .spacing(8)
            .align_y(Alignment::Center);
            if self.may_lend {
                line = line.push(
                    container(
                        button(text(tr.t("desk-cancel-request")).size(12))
                            .on_press_maybe((!self.busy).then_some(Message::CancelRequest(r.id)))
                            .padding([2, 6])
                            .style(button::secondary),
                    )
                    .width(90)
                    .id(cancel_request_id(r.id)),
                );
            }
            list = list.push(container(line).padding([3, 6]));
        }
        list.into()
    }

    fn borrowers_view<'a>(&'a self, tr: &Tr) -> Element<'a, Message> {
        let mut page = column![
            row![
                text_input(&tr.t("desk-borrower-search-hint"), &self.borrower_query)
                    .id(BORROWER_SEARCH_ID)
                    .on_input(Message::BorrowerQuery)
                    .on_submit(Message::SearchBorrowers),
                button(text(tr.t("desk-search"))).on_press(Message::SearchBorrowers).style(button::secondary),
            ]
            .spacing(8)
        ]
        .spacing(10);
        if let Some(v) = &self.shown {
            page = page.push(self.borrower_view(v, tr));
        }
        let mut list = column![].spacing(2);
        if self.borrowers.is_empty() {
            list = list.push(text(tr.t("desk-no-borrowers")).size(13).style(theme::muted));
        }
        for b in &self.borrowers {
            let who = &b.borrower;
            let mut line = row![
                text(who.code.clone()).size(13).width(Length::FillPortion(2)),
                text(who.display()).size(14).width(Length::FillPortion(4)),
                text(tr.ta("desk-out-count", &[("count", &b.out.to_string())]))
                    .size(12)
                    .width(Length::FillPortion(2)),
                text(if b.overdue > 0 {
                    tr.ta("desk-overdue-count", &[("count", &b.overdue.to_string())])
                } else {
                    String::new()
                })
                .size(12)
                .style(theme::error)
                .width(Length::FillPortion(2)),
            ]
            .spacing(8)
            .align_y(Alignment::Center);
            if who.blocked {
                line = line.push(text(tr.t("desk-blocked-tag")).size(12).style(theme::error));
            }
            list = list.push(
                container(
                    button(line)
                        .on_press(Message::ShowBorrower(who.code.clone()))
                        .width(Length::Fill)
                        .padding([3, 6])
                        .style(theme::row_button(
                            self.shown.as_ref().is_some_and(|s| s.summary.borrower.id == who.id),
                        )),
                )
                .id(borrower_row_id(&who.code)),
            );
        }
        page = page.push(container(list).padding(10).width(Length::Fill).style(theme::card));
        if self.may_lend {
            page = page.push(self.new_borrower_view(tr));
        }
        page.into()
    }

    fn borrower_view<'a>(&'a self, v: &'a BorrowerView, tr: &Tr) -> Element<'a, Message> {
        let b = &v.summary.borrower;
        let mut c = column![
            row![
                text(b.display()).size(20),
                text(format!("{} · {}", b.code, tr.t(b.kind.label_key()))).size(13).style(theme::muted),
            ]
            .spacing(10)
            .align_y(Alignment::Center),
        ]
        .spacing(6);
        let mut details = vec![];
        if !b.phone.is_empty() {
            details.push(format!("{}：{}", tr.t("desk-field-phone"), b.phone));
        }
        if let Some(card) = &b.card {
            details.push(format!("{}：{card}", tr.t("desk-badge")));
        }
        if !b.letter_no.is_empty() {
            details.push(format!("{}：{}", tr.t("desk-field-letter"), b.letter_no));
        }
        if !details.is_empty() {
            c = c.push(text(details.join("  ")).size(13));
        }
        if b.blocked {
            c = c.push(
                text(tr.ta("desk-borrower-blocked", &[("reason", &b.blocked_reason)]))
                    .size(14)
                    .style(theme::error),
            );
        }
        if self.may_lend {
            c = c.push(
                row![
                    container(button(text(tr.t("desk-to-desk"))).on_press(Message::ToDesk(b.code.clone())))
                        .id(TO_DESK_ID),
                    button(text(tr.t("desk-print-card")))
                        .on_press(Message::PrintCard(b.code.clone(), b.display()))
                        .style(button::secondary),
                ]
                .spacing(8),
            );
            let mut actions = row![].spacing(8).align_y(Alignment::Center);
            if b.blocked {
                actions = actions.push(
                    container(
                        button(text(tr.t("desk-unblock")))
                            .on_press_maybe((!self.busy).then_some(Message::Block(false)))
                            .style(button::secondary),
                    )
                    .id(BLOCK_ID),
                );
            } else {
                actions = actions
                    .push(
                        text_input(&tr.t("desk-block-reason-hint"), &self.block_reason)
                            .on_input(Message::BlockReason)
                            .on_submit(Message::Block(true))
                            .width(220),
                    )
                    .push(
                        container(
                            button(text(tr.t("desk-block")))
                                .on_press_maybe((!self.busy).then_some(Message::Block(true)))
                                .style(button::danger),
                        )
                        .id(BLOCK_ID),
                    );
            }
            c = c.push(actions);
        }
        let mut history = column![
            text(tr.ta("desk-history", &[("count", &v.history.len().to_string())]))
                .size(15)
                .style(theme::heading)
        ]
        .spacing(2);
        if v.history.is_empty() {
            history = history.push(text(tr.t("desk-history-empty")).size(13).style(theme::muted));
        }
        for l in &v.history {
            let state = if l.overdue_days > 0 {
                tr.ta(
                    "desk-due-overdue",
                    &[("due", short_date(&l.due)), ("days", &l.overdue_days.to_string())],
                )
            } else {
                tr.t(l.state.label_key())
            };
            history = history.push(
                row![
                    text(local_time(&l.lent_at)).size(12).style(theme::muted).width(140),
                    text(format!("{} {}", l.item, l.title)).size(13).width(Length::FillPortion(4)),
                    text(tr.ta("desk-due-on", &[("due", &l.due)])).size(12).width(Length::FillPortion(2)),
                    text(state)
                        .size(12)
                        .style(if l.overdue_days > 0 { theme::error } else { theme::muted })
                        .width(Length::FillPortion(2)),
                ]
                .spacing(8),
            );
        }
        c = c.push(history);
        container(c).padding(12).width(Length::Fill).style(theme::card).into()
    }

    fn new_borrower_view<'a>(&'a self, tr: &Tr) -> Element<'a, Message> {
        let n = &self.new_borrower;
        let kind = |external: bool, key: &str| {
            button(text(tr.t(key)).size(13))
                .on_press(Message::NewKind(external))
                .padding([3, 8])
                .style(if n.external == external { button::primary } else { button::secondary })
        };
        let field = |hint: String, value: &'a str, f: Field| {
            text_input(&hint, value)
                .on_input(move |v| Message::NewField(f, v))
                .on_submit(Message::AddBorrower)
        };
        let mut c = column![
            row![
                text(tr.t("desk-new-borrower")).size(16).style(theme::heading),
                space::horizontal(),
                kind(false, "borrower-kind-staff"),
                kind(true, "borrower-kind-external"),
            ]
            .spacing(6)
            .align_y(Alignment::Center),
        ]
        .spacing(6);
        if n.external {
            c = c.push(
                row![
                    field(tr.t("desk-field-unit"), &n.unit, Field::Unit),
                    field(tr.t("desk-contact"), &n.name, Field::Name),
                ]
                .spacing(8),
            );
            c = c.push(
                row![
                    field(tr.t("desk-field-phone"), &n.phone, Field::Phone),
                    field(tr.t("desk-field-letter"), &n.letter_no, Field::Letter),
                ]
                .spacing(8),
            );
        } else {
            c = c.push(
                row![
                    field(tr.t("desk-name"), &n.name, Field::Name),
                    field(tr.t("desk-field-dept"), &n.dept, Field::Dept),
                ]
                .spacing(8),
            );
            c = c.push(
                row![
                    field(tr.t("desk-field-phone"), &n.phone, Field::Phone),
                    field(tr.t("desk-badge"), &n.card, Field::Card),
                ]
                .spacing(8),
            );
        }
        c = c.push(
            row![
                container(
                    button(text(tr.t("desk-add-borrower")))
                        .on_press_maybe((!n.saving).then_some(Message::AddBorrower)),
                )
                .id(ADD_BORROWER_ID),
                text(n.error.clone().unwrap_or_default()).size(13).style(theme::error),
            ]
            .spacing(10)
            .align_y(Alignment::Center),
        );
        container(c).padding(12).width(Length::Fill).style(theme::card).into()
    }
}
