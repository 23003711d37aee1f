//! `borrower`, `loan`, `calendar`: the lending desk and the working-day calendar.

use clap::{Args, Subcommand};

use super::Ctx;
use super::output::table;
use crate::core::Access;
use crate::core::loans::{
    BorrowerChanges, BorrowerView, LendSpec, LoanQuery, NewBorrowerSpec, PaperCaptions, RegisterFormat,
    RemindSpec, ReturnSpec,
};
use crate::i18n::{Tr, local_time};
use crate::model::calendar::{DayInfo, DayKind};
use crate::model::loans::{BorrowerKind, BorrowerSummary, Condition, Loan, LoanRequest, LoanState};

#[derive(Debug, Subcommand)]
pub enum BorrowerCmd {
    /// Register a borrower: a colleague (with --dept) or an outside unit (with --unit); prints
    /// the card number (JY…).
    Add(BorrowerAddArgs),
    /// Borrowers whose name, department, unit, card or phone contains TEXT (all without it).
    List {
        text: Option<String>,
        /// Only blocked borrowers.
        #[arg(long)]
        blocked: bool,
        #[arg(long, default_value_t = 200)]
        limit: i64,
    },
    /// A borrower: details, what they have out, their requests and history.
    Show { borrower: String },
    /// Change a borrower's details.
    Edit(BorrowerEditArgs),
    /// Block a borrower: nothing more is lent to them.
    Block {
        borrower: String,
        #[arg(long)]
        reason: String,
    },
    /// Lift a block.
    Unblock { borrower: String },
}

#[derive(Debug, Args)]
pub struct BorrowerAddArgs {
    /// The person (for an outside unit: its contact).
    pub name: String,
    #[arg(long, default_value = "")]
    pub dept: String,
    /// An outside unit's name (the borrower is then external).
    #[arg(long, default_value = "")]
    pub unit: String,
    #[arg(long, default_value = "")]
    pub phone: String,
    /// A badge barcode the borrower already carries (scanned like the card).
    #[arg(long)]
    pub card: Option<String>,
    /// 介绍信 number (outside units).
    #[arg(long, default_value = "")]
    pub letter: String,
    #[arg(long, default_value = "")]
    pub notes: String,
}

#[derive(Debug, Args)]
pub struct BorrowerEditArgs {
    pub borrower: String,
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long)]
    pub dept: Option<String>,
    #[arg(long)]
    pub unit: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
    /// A badge barcode ("" removes it).
    #[arg(long)]
    pub card: Option<String>,
    #[arg(long)]
    pub letter: Option<String>,
    #[arg(long)]
    pub notes: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum LoanCmd {
    /// Lend a dossier's folder or a box (by number or scanned code); refused (exit 4) if out.
    Out(LoanOutArgs),
    /// Take an item back (a box with its folders); refused (exit 4) if it is not out.
    Return(LoanReturnArgs),
    /// Renew a loan by the policy's renewal (or --days) working days.
    Renew {
        item: String,
        #[arg(long)]
        days: Option<u32>,
    },
    /// Report an item lost while on loan.
    Lost {
        item: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Loans out now by due date; --overdue, --due-today, --all (returned too), a borrower's,
    /// or a period's (--from/--to: every loan made in it, the loan register).
    List(LoanListArgs),
    /// An item's loans, newest first.
    History { item: String },
    /// One loan by its number.
    Show { id: i64 },
    /// A hold on an item that is out: the borrower is next when it comes back.
    Request {
        item: String,
        #[arg(long = "for", value_name = "BORROWER")]
        borrower: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// The requests waiting (with --all: served and cancelled too).
    Requests {
        #[arg(long)]
        all: bool,
    },
    /// Cancel a waiting request.
    Cancel { request: i64 },
    /// Show the loan policy, or set a kind of borrower's loan period, renewal and limit.
    Policy(PolicyArgs),
    /// Print loan slips (借阅单, two to an A4 page) of the loans items are out on, or of loans
    /// by number (--loan ID, repeatable).
    Slip(SlipArgs),
    /// Print overdue reminders (催还通知单, A4): one page per borrower with overdue loans.
    Remind(RemindArgs),
    /// Write the loan register (借阅登记簿) of a period: FILE.pdf (A4) or FILE.csv (UTF-8).
    Register(RegisterArgs),
}

#[derive(Debug, Args)]
pub struct SlipArgs {
    /// Dossier numbers or box codes out on loan.
    #[arg(required_unless_present = "loan")]
    pub items: Vec<String>,
    /// A loan's number (any loan, out or returned); repeat for more.
    #[arg(long)]
    pub loan: Vec<i64>,
    #[arg(long, value_name = "FILE.pdf")]
    pub out: std::path::PathBuf,
}

#[derive(Debug, Args)]
pub struct RemindArgs {
    /// Only this borrower's (card number, badge or unique name).
    #[arg(long)]
    pub borrower: Option<String>,
    /// Working days from today to ask for the items back by.
    #[arg(long, default_value_t = crate::core::loans::REMIND_WITHIN_DAYS)]
    pub within: u32,
    /// The records room's contact line (who to call, the phone number).
    #[arg(long, default_value = "")]
    pub contact: String,
    #[arg(long, value_name = "FILE.pdf")]
    pub out: std::path::PathBuf,
}

#[derive(Debug, Args)]
pub struct RegisterArgs {
    /// The first day of the period (YYYY-MM-DD).
    #[arg(long)]
    pub from: String,
    /// The last day of the period (YYYY-MM-DD).
    #[arg(long)]
    pub to: String,
    /// FILE.pdf or FILE.csv (by its extension).
    #[arg(long, value_name = "FILE")]
    pub out: std::path::PathBuf,
}

#[derive(Debug, Args)]
pub struct LoanOutArgs {
    /// The dossier number or box code.
    pub item: String,
    /// The borrower's card number, badge or (unique) name.
    #[arg(long = "to", value_name = "BORROWER")]
    pub borrower: String,
    /// Working days (default: the policy's for this kind of borrower).
    #[arg(long, conflicts_with = "due")]
    pub days: Option<u32>,
    /// The due date (a working day, today or later).
    #[arg(long)]
    pub due: Option<String>,
    /// 借阅事由.
    #[arg(long, default_value = "")]
    pub purpose: String,
    /// A confidential dossier: the approving user (password from $DANGAN_APPROVER_PASSWORD
    /// or a prompt).
    #[arg(long, value_name = "USER")]
    pub approver: Option<String>,
    /// Lend although the borrower has overdue loans; the reason is audited.
    #[arg(long = "override", value_name = "REASON")]
    pub override_reason: Option<String>,
}

#[derive(Debug, Args)]
pub struct LoanReturnArgs {
    pub item: String,
    /// Pages counted on return (fewer than went out: pages missing).
    #[arg(long)]
    pub pages: Option<i64>,
    /// complete, pages-missing or damaged.
    #[arg(long, value_parser = parse_condition)]
    pub condition: Option<Condition>,
    #[arg(long, default_value = "")]
    pub note: String,
}

#[derive(Debug, Args)]
pub struct LoanListArgs {
    #[arg(long)]
    pub overdue: bool,
    #[arg(long, conflicts_with = "overdue")]
    pub due_today: bool,
    #[arg(long)]
    pub all: bool,
    #[arg(long)]
    pub borrower: Option<String>,
    /// Loans made on or after this date.
    #[arg(long)]
    pub from: Option<String>,
    /// Loans made on or before this date.
    #[arg(long)]
    pub to: Option<String>,
    #[arg(long, default_value_t = 0)]
    pub limit: usize,
}

#[derive(Debug, Args)]
pub struct PolicyArgs {
    /// staff (内部职工) or external (外单位).
    #[arg(long, value_parser = parse_kind)]
    pub kind: Option<BorrowerKind>,
    #[arg(long)]
    pub days: Option<u32>,
    #[arg(long)]
    pub renew_days: Option<u32>,
    #[arg(long)]
    pub max_renewals: Option<u32>,
    /// Working days before the due date a loan counts as due soon.
    #[arg(long)]
    pub warn_days: Option<u32>,
}

#[derive(Debug, Subcommand)]
pub enum CalendarCmd {
    /// A year's holidays and make-up working days (default: this year), and where they come from.
    List { year: Option<i32> },
    /// Make a day a holiday (--holiday) or a worked weekend day (--workday), e.g. when the
    /// State Council publishes next year's notice.
    Add {
        date: String,
        #[arg(long, conflicts_with = "workday", required_unless_present = "workday")]
        holiday: bool,
        #[arg(long)]
        workday: bool,
        /// The festival (春节, 国庆节…).
        #[arg(long, default_value = "")]
        name: String,
    },
    /// Put a day back to the plain week.
    Remove { date: String },
    /// Whether a day is a working day; with --plus N, the date N working days later.
    Workday {
        date: Option<String>,
        #[arg(long)]
        plus: Option<u32>,
    },
}

fn parse_condition(s: &str) -> Result<Condition, String> {
    Condition::parse(s)
        .map_err(|_| format!("{s:?}: use complete (完好), pages-missing (缺页) or damaged (破损)"))
}

fn parse_kind(s: &str) -> Result<BorrowerKind, String> {
    s.parse::<BorrowerKind>().map_err(|_| format!("{s:?}: use staff (内部职工) or external (外单位)"))
}

fn header(tr: &Tr, keys: &[&str]) -> Vec<String> {
    keys.iter().map(|k| tr.t(k)).collect()
}

/// `12-05` for a date of this year, else the whole date.
fn short_date(d: &str) -> String {
    let this_year = crate::core::today().format("%Y-").to_string();
    d.strip_prefix(&this_year).map(str::to_string).unwrap_or_else(|| d.to_string())
}

/// A loan's state as the desk says it: out (due), overdue N days, returned, lost.
pub(crate) fn loan_state_text(tr: &Tr, l: &Loan) -> String {
    match l.state {
        LoanState::Out if l.overdue_days > 0 => {
            tr.ta("loan-overdue-days", &[("days", &l.overdue_days.to_string())])
        }
        LoanState::Returned | LoanState::Found => {
            let mut s = format!(
                "{} {}",
                tr.t(l.state.label_key()),
                l.returned_at.as_deref().map(crate::core::local_date).unwrap_or_default()
            );
            if let Some(c) = l.condition.filter(|c| *c != Condition::Complete) {
                s.push_str(&format!(" ({})", tr.t(c.label_key())));
            }
            s
        }
        state => tr.t(state.label_key()),
    }
}

fn loans_table(tr: &Tr, loans: &[Loan]) -> String {
    let mut t = vec![header(
        tr,
        &["col-loan", "col-item", "col-title", "col-borrower", "col-lent", "col-due", "col-loan-state"],
    )];
    t.extend(loans.iter().map(|l| {
        vec![
            l.id.to_string(),
            match &l.with_box {
                Some(b) => format!("{} ({b})", l.item),
                None => l.item.clone(),
            },
            l.title.clone(),
            if l.borrower_org.is_empty() {
                l.borrower.clone()
            } else {
                format!("{}（{}）", l.borrower, l.borrower_org)
            },
            crate::core::local_date(&l.lent_at),
            l.due.clone(),
            loan_state_text(tr, l),
        ]
    }));
    table(&t)
}

fn loan_text(tr: &Tr, l: &Loan) -> String {
    let mut out = format!(
        "{}\n",
        tr.ta(
            "loan-line",
            &[
                ("item", &l.item),
                ("title", &l.title),
                ("borrower", &l.borrower),
                ("due", &l.due),
                ("state", &loan_state_text(tr, l)),
            ]
        )
    );
    let mut field = |key: &str, v: &str| {
        if !v.is_empty() {
            out.push_str(&format!("  {}: {v}\n", tr.t(key)));
        }
    };
    field("label-purpose", &l.purpose);
    field("col-lent", &format!("{} {}", local_time(&l.lent_at), l.lent_by));
    field("col-renewals", &if l.renewals > 0 { l.renewals.to_string() } else { String::new() });
    field("col-approver", l.approved_by.as_deref().unwrap_or_default());
    field(
        "col-override",
        &l.override_by.as_ref().map(|u| format!("{u}: {}", l.override_note)).unwrap_or_default(),
    );
    field("col-box", l.with_box.as_deref().unwrap_or_default());
    field(
        "col-returned",
        &l.returned_at
            .as_ref()
            .map(|t| format!("{} {}", local_time(t), l.received_by.clone().unwrap_or_default()))
            .unwrap_or_default(),
    );
    field(
        "col-pages",
        &match (l.pages_out, l.pages_back) {
            (Some(o), Some(b)) => format!("{o} → {b}"),
            (Some(o), None) => o.to_string(),
            _ => String::new(),
        },
    );
    field("label-note", &l.return_note);
    out
}

fn borrowers_table(tr: &Tr, list: &[BorrowerSummary]) -> String {
    let mut t = vec![header(
        tr,
        &[
            "col-borrower-code",
            "col-borrower",
            "col-org",
            "col-phone",
            "col-out",
            "col-overdue",
            "col-status",
        ],
    )];
    t.extend(list.iter().map(|s| {
        let b = &s.borrower;
        vec![
            b.code.clone(),
            b.name.clone(),
            if b.unit.is_empty() { b.dept.clone() } else { b.unit.clone() },
            b.phone.clone(),
            s.out.to_string(),
            if s.overdue > 0 { s.overdue.to_string() } else { String::new() },
            if b.blocked {
                format!("{} ({})", tr.t("borrower-state-blocked"), b.blocked_reason)
            } else {
                String::new()
            },
        ]
    }));
    table(&t)
}

pub(crate) fn borrower_text(tr: &Tr, v: &BorrowerView) -> String {
    let b = &v.summary.borrower;
    let mut out = format!("{}  {}  {}\n", b.code, b.display(), tr.t(b.kind.label_key()));
    for (key, val) in [
        ("label-phone", &b.phone),
        ("label-letter", &b.letter_no),
        ("col-card", &b.card.clone().unwrap_or_default()),
        ("label-notes", &b.notes),
    ] {
        if !val.is_empty() {
            out.push_str(&format!("  {}: {val}\n", tr.t(key)));
        }
    }
    if b.blocked {
        out.push_str(&format!("  {}: {}\n", tr.t("borrower-state-blocked"), b.blocked_reason));
    }
    out.push_str(&format!(
        "{}\n",
        tr.ta(
            "borrower-counts",
            &[
                ("out", &v.summary.out.to_string()),
                ("overdue", &v.summary.overdue.to_string()),
                ("total", &v.summary.total.to_string())
            ]
        )
    ));
    if !v.current.is_empty() {
        out.push_str(&format!("{}:\n{}", tr.t("borrower-current"), loans_table(tr, &v.current)));
    }
    if !v.requests.is_empty() {
        out.push_str(&format!("{}:\n{}", tr.t("borrower-requests"), requests_table(tr, &v.requests)));
    }
    let past: Vec<Loan> = v.history.iter().filter(|l| !l.state.is_active()).cloned().collect();
    if !past.is_empty() {
        out.push_str(&format!("{}:\n{}", tr.t("borrower-history"), loans_table(tr, &past)));
    }
    out
}

fn requests_table(tr: &Tr, list: &[LoanRequest]) -> String {
    let mut t = vec![header(
        tr,
        &[
            "col-request",
            "col-item",
            "col-title",
            "col-borrower",
            "col-requested",
            "col-held-by",
            "col-status",
        ],
    )];
    t.extend(list.iter().map(|r| {
        vec![
            r.id.to_string(),
            r.item.clone(),
            r.title.clone(),
            r.borrower.clone(),
            local_time(&r.requested_at),
            match (&r.held_by, &r.due) {
                (Some(h), Some(d)) => format!("{h} → {}", short_date(d)),
                _ => String::new(),
            },
            tr.t(r.state.label_key()),
        ]
    }));
    table(&t)
}

pub fn borrower(ctx: &Ctx, cmd: BorrowerCmd) -> anyhow::Result<()> {
    match cmd {
        BorrowerCmd::Add(a) => {
            let mut s = ctx.session(Access::Write)?;
            let b = s.add_borrower(&NewBorrowerSpec {
                name: a.name,
                dept: a.dept,
                unit: a.unit,
                phone: a.phone,
                card: a.card,
                letter_no: a.letter,
                notes: a.notes,
                kind: None,
            })?;
            ctx.out.note(ctx.tr.ta("borrower-added", &[("code", &b.code), ("name", &b.display())]));
            ctx.out.emit(&b, || b.code.clone())
        }
        BorrowerCmd::List { text, blocked, limit } => {
            let mut s = ctx.session(Access::Read)?;
            let list = s.borrowers(text.as_deref().unwrap_or_default(), blocked, limit)?;
            ctx.out.emit(&list, || borrowers_table(&ctx.tr, &list))
        }
        BorrowerCmd::Show { borrower } => {
            let mut s = ctx.session(Access::Read)?;
            let v = s.borrower(&borrower)?;
            ctx.out.emit(&v, || borrower_text(&ctx.tr, &v))
        }
        BorrowerCmd::Edit(a) => {
            let mut s = ctx.session(Access::Write)?;
            let b = s.edit_borrower(
                &a.borrower,
                &BorrowerChanges {
                    name: a.name,
                    dept: a.dept,
                    unit: a.unit,
                    phone: a.phone,
                    card: a.card,
                    letter_no: a.letter,
                    notes: a.notes,
                },
            )?;
            ctx.out.emit(&b, || format!("{}  {}", b.code, b.display()))
        }
        BorrowerCmd::Block { borrower, reason } => {
            let mut s = ctx.session(Access::Write)?;
            let b = s.block_borrower(&borrower, true, &reason)?;
            ctx.out.emit(&b, || ctx.tr.ta("borrower-blocked-now", &[("name", &b.display())]))
        }
        BorrowerCmd::Unblock { borrower } => {
            let mut s = ctx.session(Access::Write)?;
            let b = s.block_borrower(&borrower, false, "")?;
            ctx.out.emit(&b, || ctx.tr.ta("borrower-unblocked-now", &[("name", &b.display())]))
        }
    }
}

pub fn loan(ctx: &Ctx, cmd: LoanCmd) -> anyhow::Result<()> {
    match cmd {
        LoanCmd::Slip(a) => slip(ctx, a),
        LoanCmd::Remind(a) => remind(ctx, a),
        LoanCmd::Register(a) => register(ctx, a),
        LoanCmd::Out(a) => {
            let mut s = ctx.session(Access::Write)?;
            let approver = match a.approver {
                Some(name) => {
                    let pw = super::read_password(
                        &ctx.tr.ta("cli-approver-password-prompt", &[("name", &name)]),
                        "DANGAN_APPROVER_PASSWORD",
                    )?;
                    Some((name, pw))
                }
                None => None,
            };
            let lent = s.lend(&LendSpec {
                item: a.item,
                borrower: a.borrower,
                purpose: a.purpose,
                days: a.days,
                due: a.due,
                approver,
                override_reason: a.override_reason,
            })?;
            let l = &lent.loan;
            ctx.out.emit(&lent, || {
                let mut out = ctx.tr.ta(
                    "loan-lent",
                    &[("item", &l.item), ("title", &l.title), ("borrower", &l.borrower), ("due", &l.due)],
                );
                if !lent.folders.is_empty() {
                    out.push_str(&format!(
                        "\n{}",
                        ctx.tr.ta("loan-lent-folders", &[("count", &lent.folders.len().to_string())])
                    ));
                }
                out
            })
        }
        LoanCmd::Return(a) => {
            let mut s = ctx.session(Access::Write)?;
            let r = s.return_item(&ReturnSpec {
                item: a.item,
                pages: a.pages,
                condition: a.condition,
                note: a.note,
            })?;
            let l = &r.loan;
            ctx.out.emit(&r, || {
                let key = if r.found { "loan-returned-found" } else { "loan-returned" };
                let mut out =
                    ctx.tr.ta(key, &[("item", &l.item), ("title", &l.title), ("borrower", &l.borrower)]);
                if let Some(n) = r.pages_short {
                    out.push_str(&format!(
                        "\n{}",
                        ctx.tr.ta("loan-pages-short", &[("count", &n.to_string())])
                    ));
                }
                if let Some(to) = &r.back_to {
                    out.push_str(&format!("\n{}", ctx.tr.ta("loan-back-to", &[("place", to)])));
                }
                if !r.still_lost.is_empty() {
                    out.push_str(&format!(
                        "\n{}",
                        ctx.tr.ta("loan-still-lost", &[("items", &r.still_lost.join(", "))])
                    ));
                }
                if let Some(h) = &r.hold_for {
                    out.push_str(&format!("\n{}", ctx.tr.ta("loan-hold-for", &[("borrower", h)])));
                }
                out
            })
        }
        LoanCmd::Renew { item, days } => {
            let mut s = ctx.session(Access::Write)?;
            let l = s.renew(&item, days)?;
            ctx.out.emit(&l, || {
                ctx.tr.ta(
                    "loan-renewed",
                    &[("item", &l.item), ("due", &l.due), ("count", &l.renewals.to_string())],
                )
            })
        }
        LoanCmd::Lost { item, note } => {
            let mut s = ctx.session(Access::Write)?;
            let l = s.mark_lost(&item, &note)?;
            ctx.out
                .emit(&l, || ctx.tr.ta("loan-marked-lost", &[("item", &l.item), ("borrower", &l.borrower)]))
        }
        LoanCmd::List(a) => {
            let mut s = ctx.session(Access::Read)?;
            let list = s.loans(&LoanQuery {
                overdue: a.overdue,
                due_today: a.due_today,
                all: a.all,
                borrower: a.borrower,
                from: a.from,
                to: a.to,
                limit: a.limit,
            })?;
            ctx.out.emit(&list, || {
                if list.is_empty() { ctx.tr.t("loan-none") } else { loans_table(&ctx.tr, &list) }
            })
        }
        LoanCmd::History { item } => {
            let mut s = ctx.session(Access::Read)?;
            let list = s.loan_history(&item)?;
            ctx.out.emit(&list, || {
                if list.is_empty() { ctx.tr.t("loan-never") } else { loans_table(&ctx.tr, &list) }
            })
        }
        LoanCmd::Show { id } => {
            let mut s = ctx.session(Access::Read)?;
            let l = s.loan(id)?;
            ctx.out.emit(&l, || loan_text(&ctx.tr, &l))
        }
        LoanCmd::Request { item, borrower, note } => {
            let mut s = ctx.session(Access::Write)?;
            let r = s.request_item(&item, &borrower, &note)?;
            ctx.out.emit(&r, || {
                ctx.tr.ta(
                    "loan-requested",
                    &[
                        ("item", &r.item),
                        ("borrower", &r.borrower),
                        ("held", r.held_by.as_deref().unwrap_or_default()),
                        ("due", r.due.as_deref().unwrap_or_default()),
                    ],
                )
            })
        }
        LoanCmd::Requests { all } => {
            let mut s = ctx.session(Access::Read)?;
            let list = s.loan_requests(all)?;
            ctx.out.emit(&list, || {
                if list.is_empty() { ctx.tr.t("loan-no-requests") } else { requests_table(&ctx.tr, &list) }
            })
        }
        LoanCmd::Cancel { request } => {
            let mut s = ctx.session(Access::Write)?;
            let r = s.cancel_request(request)?;
            ctx.out.emit(&r, || {
                ctx.tr.ta("loan-request-cancelled", &[("item", &r.item), ("borrower", &r.borrower)])
            })
        }
        LoanCmd::Policy(a) => {
            let setting = a.days.is_some()
                || a.renew_days.is_some()
                || a.max_renewals.is_some()
                || a.warn_days.is_some();
            let policy = if setting {
                let mut s = ctx.session(Access::Write)?;
                match a.kind {
                    Some(kind) => {
                        s.set_loan_policy(kind, a.days, a.renew_days, a.max_renewals, a.warn_days)?
                    }
                    None if a.days.is_none() && a.renew_days.is_none() && a.max_renewals.is_none() => {
                        s.set_loan_policy(BorrowerKind::Staff, None, None, None, a.warn_days)?
                    }
                    None => return Err(crate::core::Error::usage("loan-policy-kind").into()),
                }
            } else {
                ctx.session(Access::Read)?.loan_policy()?
            };
            ctx.out.emit(&policy, || {
                let mut t = vec![header(
                    &ctx.tr,
                    &["col-borrower-kind", "col-days", "col-renew-days", "col-max-renewals"],
                )];
                for kind in BorrowerKind::ALL {
                    let k = policy.for_kind(*kind);
                    t.push(vec![
                        ctx.tr.t(kind.label_key()),
                        k.days.to_string(),
                        k.renew_days.to_string(),
                        k.max_renewals.to_string(),
                    ]);
                }
                format!(
                    "{}{}",
                    table(&t),
                    ctx.tr.ta("loan-policy-warn", &[("days", &policy.warn_days.to_string())])
                )
            })
        }
    }
}

/// The papers' words in the user's language.
fn paper_captions(tr: &Tr) -> PaperCaptions {
    PaperCaptions::from_translations(|k| tr.t(k))
}

// `loan slip`, `loan remind`, `loan register`: each file written whole or not at all.

fn slip(ctx: &Ctx, a: SlipArgs) -> anyhow::Result<()> {
    let mut s = ctx.session(Access::Read)?;
    let out = s.loan_slips_pdf(&a.items, &a.loan, &paper_captions(&ctx.tr))?;
    crate::core::labels::save_pdf(&a.out, &out.bytes)?;
    let path = a.out.display().to_string();
    let item = out.items.join(", ");
    ctx.out.note(ctx.tr.ta("papers-slip-written", &[("path", &path), ("item", &item)]));
    ctx.out.emit(&serde_json::json!({ "out": a.out, "bytes": out.bytes.len(), "items": out.items }), || {
        path.clone()
    })
}

fn remind(ctx: &Ctx, a: RemindArgs) -> anyhow::Result<()> {
    let mut s = ctx.session(Access::Read)?;
    let spec = RemindSpec { borrower: a.borrower, within_days: a.within, contact: a.contact };
    let Some(out) = s.overdue_reminders_pdf(&spec, &paper_captions(&ctx.tr))? else {
        ctx.out.note(ctx.tr.t("papers-remind-none"));
        return ctx.out.emit(&serde_json::json!({ "out": null, "borrowers": [] }), String::new);
    };
    crate::core::labels::save_pdf(&a.out, &out.bytes)?;
    let path = a.out.display().to_string();
    let count = out.count.to_string();
    ctx.out.note(ctx.tr.ta("papers-remind-written", &[("path", &path), ("count", &count)]));
    ctx.out
        .emit(&serde_json::json!({ "out": a.out, "bytes": out.bytes.len(), "borrowers": out.items }), || {
            path.clone()
        })
}

fn register(ctx: &Ctx, a: RegisterArgs) -> anyhow::Result<()> {
    let format = RegisterFormat::for_path(&a.out)?;
    let mut s = ctx.session(Access::Read)?;
    let out = s.loan_register(&a.from, &a.to, format, &paper_captions(&ctx.tr))?;
    crate::core::labels::save_pdf(&a.out, &out.bytes)?;
    let path = a.out.display().to_string();
    let count = out.count.to_string();
    ctx.out.note(ctx.tr.ta("papers-register-written", &[("path", &path), ("count", &count)]));
    ctx.out.emit(&serde_json::json!({ "out": a.out, "bytes": out.bytes.len(), "loans": out.count }), || {
        path.clone()
    })
}

fn day_text(tr: &Tr, d: &DayInfo) -> String {
    match d {
        DayInfo::Workday => tr.t("day-workday"),
        DayInfo::Weekend => tr.t("day-weekend"),
        DayInfo::Holiday { name } => tr.ta("day-holiday", &[("name", name)]),
        DayInfo::MakeUp { name } => tr.ta("day-make-up", &[("name", name)]),
    }
}

pub fn calendar(ctx: &Ctx, cmd: CalendarCmd) -> anyhow::Result<()> {
    match cmd {
        CalendarCmd::List { year } => {
            let mut s = ctx.session(Access::Read)?;
            let y = s.calendar_year(year)?;
            ctx.out.emit(&y, || {
                let mut out = String::new();
                let origin = match y.source.origin {
                    "library" => ctx.tr.t("calendar-origin-library"),
                    "shipped" => ctx.tr.ta("calendar-origin-shipped", &[("source", &y.source.source)]),
                    _ => ctx.tr.t("calendar-origin-none"),
                };
                out.push_str(&format!("{} {}\n", y.source.year, origin));
                if y.known && y.source.provisional {
                    out.push_str(&format!(
                        "{}\n",
                        ctx.tr.ta("calendar-provisional", &[("year", &y.source.year.to_string())])
                    ));
                }
                let mut t =
                    vec![header(&ctx.tr, &["col-date", "col-weekday", "col-day-kind", "col-festival"])];
                for d in &y.days {
                    t.push(vec![
                        d.day.to_string(),
                        ctx.tr.t(&format!(
                            "weekday-{}",
                            chrono::Datelike::weekday(&d.day).num_days_from_monday()
                        )),
                        ctx.tr.t(d.kind.label_key()),
                        d.name.clone(),
                    ]);
                }
                out.push_str(&table(&t));
                out
            })
        }
        CalendarCmd::Add { date, holiday, workday: _, name } => {
            let mut s = ctx.session(Access::Write)?;
            let kind = if holiday { DayKind::Holiday } else { DayKind::Workday };
            let d = s.calendar_set(&date, Some(kind), &name)?;
            ctx.out.emit(&d, || format!("{date}: {}", day_text(&ctx.tr, &d)))
        }
        CalendarCmd::Remove { date } => {
            let mut s = ctx.session(Access::Write)?;
            let d = s.calendar_set(&date, None, "")?;
            ctx.out.emit(&d, || format!("{date}: {}", day_text(&ctx.tr, &d)))
        }
        CalendarCmd::Workday { date, plus } => {
            let mut s = ctx.session(Access::Read)?;
            let date = date.unwrap_or_else(|| crate::core::today().to_string());
            let a = s.workday(&date, plus)?;
            ctx.out.emit(&a, || {
                let mut out = format!("{}: {}", a.date, day_text(&ctx.tr, &a.info));
                if !a.info.is_working() {
                    out.push_str(&format!(
                        "\n{}",
                        ctx.tr.ta("day-next-workday", &[("date", &a.next_workday.to_string())])
                    ));
                }
                if let Some((n, d)) = a.plus {
                    out.push_str(&format!(
                        "\n{}",
                        ctx.tr.ta("day-plus", &[("days", &n.to_string()), ("date", &d.to_string())])
                    ));
                }
                if a.year_unknown {
                    out.push_str(&format!("\n{}", ctx.tr.t("day-year-unknown")));
                }
                out
            })
        }
    }
}
