//! The demo's lending desk (借阅): borrowers — staff of the utility's departments, some with a
//! badge, outside units with their letters of introduction (介绍信), one or two blocked — and
//! two years of loans: most returned (a few with pages missing or damaged), about 3% of the
//! dossiers out now (some overdue), a few lost and one lost then found, a few boxes lent whole
//! with their folders, renewals, and holds waiting on items that are out.
//!
//! Due dates are counted in working days on the library's calendar from the lending day, as
//! the desk counts them (`core::loans`), and loans are lent and returned in working hours on
//! working days. Each item's loans follow one another: at most one is out or lost at a time,
//! and no folder goes out alone while its box is out.
//!
//! Everything is planned from the database (deterministic for a seed), then written in batches
//! — first the borrowers and the box loans, then the dossiers' loans in runs of `batch`
//! dossiers — each one transaction with one audit row, the change-log triggers set aside (the
//! index is rebuilt afterwards). A meta counter says how many batches are written, so
//! `demo --finish` plans again and skips them.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use chrono::{Duration, NaiveDate};

use super::data;
use super::generate::{Rng, Weighted};
use super::storage::{rng_for, stamp};
use crate::core::library::Library;
use crate::core::session::{Change, record};
use crate::model::Role;
use crate::model::calendar::Calendar;
use crate::model::error::{Error, Result};
use crate::model::loans::{self as ln, BorrowerKind, Condition, LoanPolicy, LoanState, RequestState};
use crate::model::storage::MoveReason;
use crate::store::{self, Tx, loans as ldb, loans_bulk as bulk, storage as sdb};

/// How far back the loan history goes, days.
pub const HISTORY_DAYS: i64 = 730;
/// About one borrower per this many dossiers, and at least [`MIN_BORROWERS`].
const DOSSIERS_PER_BORROWER: usize = 40;
const MIN_BORROWERS: usize = 30;
/// One borrower in this many is an outside unit.
const EXTERNAL_EVERY: usize = 6;
/// Per mille of staff who use their badge as their card.
const BADGE_PER_MILLE: u64 = 250;
/// Per mille of open dossiers out now.
const OUT_PER_MILLE: u64 = 32;
/// Per mille of the overdue loans reported lost.
const LOST_PER_MILLE: u64 = 120;
/// Per mille of past loans lost for a while and found.
const FOUND_PER_MILLE: u64 = 2;
/// Per mille of items out now someone waits for.
const REQUEST_PER_MILLE: u64 = 150;
/// One box lent whole per this many boxes, and at least [`MIN_BOX_LOANS`].
const BOXES_PER_BOX_LOAN: usize = 300;
const MIN_BOX_LOANS: usize = 3;
/// Per mille of loans lent by the admin rather than the archivist.
const ADMIN_LENDS_PER_MILLE: u64 = 150;
/// The meta key counting the batches of loans written (for `demo --finish`).
pub const BATCHES_KEY: &str = "demo.loan_batches";

/// The utility's departments that borrow: name, weight, what they borrow for.
const DEPTS: &[(&str, u32, &[&str])] = &[
    ("营销部", 30, &["增容", "过户", "销户核查", "新装报装核对", "更名"]),
    ("客户服务中心", 18, &["电费纠纷", "客户投诉处理", "过户"]),
    ("计量中心", 10, &["计量装置核查", "电能表轮换核对"]),
    ("法律事务部", 8, &["电费纠纷诉讼", "供用电合同审查"]),
    ("财务部", 8, &["电费回收核对", "审计抽查"]),
    ("运维检修部", 10, &["受电工程核查", "增容"]),
    ("审计部", 6, &["审计抽查", "内部审计"]),
    ("城东供电所", 10, &["销户核查", "用电检查"]),
];

/// Outside units: name, the word on their letters (介绍信), what they borrow for.
const UNITS: &[(&str, &str, &[&str])] = &[
    ("市公安局经济犯罪侦查支队", "公经调", &["案件调查取证"]),
    ("区人民法院", "法调", &["法院调取"]),
    ("市审计局", "审调", &["审计抽查"]),
    ("正衡律师事务所", "律查", &["诉讼代理查阅"]),
    ("市中级人民法院", "中法调", &["法院调取"]),
    ("明诚律师事务所", "律查", &["诉讼代理查阅"]),
    ("市市场监督管理局", "市监", &["企业登记核查"]),
];

const DAMAGE_NOTES: &[&str] = &["封面受潮起皱", "装订线松脱", "卷内目录页撕裂", "有咖啡渍"];
const MISSING_NOTES: &[&str] =
    &["缺页，已通知借阅人补交", "缺页，借阅人称复印时遗漏", "少了身份证复印件一页"];
const LOST_NOTES: &[&str] = &["借阅人称遗失，正在查找", "借阅人调岗，档案下落不明", ""];
const OVERRIDE_NOTES: &[&str] = &["法院限期调取，经科长同意", "急用，已催还前一份", "部门负责人担保"];
const REQUEST_NOTES: &[&str] = &["", "", "急用", "办理过户需要", "法院限期调取"];

/// What the lending phase wrote (all of it, including an earlier run's of a resumed demo).
#[derive(Debug, Clone, Copy, Default)]
pub struct LendingStats {
    pub borrowers: u64,
    /// Loan rows: each dossier's, each box's and each folder lent with a box.
    pub loans: u64,
    pub out: u64,
    pub overdue: u64,
    pub lost: u64,
    pub box_loans: u64,
    pub requests: u64,
    /// Seconds this run spent planning and writing.
    pub seconds: f64,
}

struct PlannedBorrower {
    kind: BorrowerKind,
    name: String,
    dept: &'static str,
    unit: &'static str,
    phone: String,
    card: Option<String>,
    letter_no: String,
    notes: &'static str,
    blocked: Option<&'static str>,
    created: NaiveDate,
    purposes: &'static [&'static str],
}

impl PlannedBorrower {
    /// As `Borrower::display` says it: 周瑜（营销部）.
    fn display(&self) -> String {
        let org = if self.unit.is_empty() { self.dept } else { self.unit };
        if org.is_empty() { self.name.clone() } else { format!("{}（{org}）", self.name) }
    }
}

/// How a planned loan ends (or not yet).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    Out,
    Returned { day: NaiveDate, condition: Condition, short: i64, note: &'static str },
    Lost { day: NaiveDate, note: &'static str },
    Found { lost: NaiveDate, day: NaiveDate },
}

#[derive(Debug, Clone)]
struct PlannedLoan {
    /// Index into the dossiers, or into the boxes.
    item: usize,
    borrower: usize,
    purpose: &'static str,
    lent: NaiveDate,
    minute: u64,
    due: NaiveDate,
    renewals: i64,
    end: End,
    by_admin: bool,
    /// Borrowers waiting for it (out now only), with the day they asked.
    waiting: Vec<(usize, NaiveDate, &'static str)>,
    /// Lent although the borrower had a loan overdue then: the lender's reason (override).
    override_note: Option<&'static str>,
}

/// The whole plan: borrowers, box loans, and each dossier's loans (grouped by dossier, in
/// dossier order).
struct Plan {
    borrowers: Vec<PlannedBorrower>,
    box_loans: Vec<PlannedLoan>,
    loans: Vec<PlannedLoan>,
}

fn person_name(rng: &mut Rng, surnames: &Weighted<&'static str>) -> String {
    let mut name = surnames.pick(rng).to_string();
    let male = rng.chance(500);
    for _ in 0..if rng.chance(250) { 1 } else { 2 } {
        let pool = if male { data::GIVEN_MALE } else { data::GIVEN_FEMALE };
        let ch: &&str = rng.pick(pool);
        name.push_str(ch);
    }
    name
}

fn plan_borrowers(seed: u64, dossiers: usize, today: NaiveDate) -> Vec<PlannedBorrower> {
    let n = (dossiers / DOSSIERS_PER_BORROWER).max(MIN_BORROWERS);
    let mut rng = rng_for(seed, 30, 0);
    let surnames = Weighted::new(data::SURNAMES.iter().copied());
    let depts = Weighted::new(DEPTS.iter().enumerate().map(|(i, d)| (i, d.1)));
    let mut cards = HashSet::new();
    let mut out = Vec::with_capacity(n);
    let mut blocked_unit = false;
    for i in 0..n {
        let name = person_name(&mut rng, &surnames);
        let created = today - Duration::days(HISTORY_DAYS + rng.range(0, 400));
        let phone = format!("13{}{:08}", rng.range(0, 9), rng.below(100_000_000));
        if i % EXTERNAL_EVERY == EXTERNAL_EVERY - 1 {
            let (unit, word, purposes) = UNITS[(i / EXTERNAL_EVERY) % UNITS.len()];
            let year = 2025 + rng.range(0, 1);
            // The first law firm's letter has run out: blocked until it brings a new one.
            let blocked = (!blocked_unit && unit.ends_with("律师事务所")).then(|| {
                blocked_unit = true;
                "介绍信已过期，需重新开具后方可借阅"
            });
            out.push(PlannedBorrower {
                kind: BorrowerKind::External,
                name,
                dept: "",
                unit,
                phone,
                card: None,
                letter_no: format!("{word}〔{year}〕{}号", rng.range(11, 480)),
                notes: if unit.ends_with("律师事务所") {
                    "凭律师执业证及介绍信查阅"
                } else {
                    ""
                },
                blocked,
                created,
                purposes,
            });
        } else {
            let (dept, _, purposes) = DEPTS[depts.pick(&mut rng)];
            let mut card = None;
            if rng.chance(BADGE_PER_MILLE) {
                let c = format!("YG{:08}", rng.range(10_000_000, 99_999_999));
                if cards.insert(c.clone()) {
                    card = Some(c);
                }
            }
            out.push(PlannedBorrower {
                kind: BorrowerKind::Staff,
                name,
                dept,
                unit: "",
                phone,
                card,
                letter_no: String::new(),
                notes: "",
                blocked: (i == 7).then_some("逾期未还档案两次，经部门负责人同意暂停借阅"),
                created,
                purposes,
            });
        }
    }
    out
}

/// One of the words, uniformly.
fn pick_str(rng: &mut Rng, words: &[&'static str]) -> &'static str {
    words.get(rng.below(words.len().max(1) as u64) as usize).copied().unwrap_or_default()
}

/// A borrower, the busiest most often (a few colleagues borrow much of the time).
fn pick_borrower(rng: &mut Rng, n: usize) -> usize {
    let u = rng.below(1 << 20) as u128;
    ((u * u * n as u128) >> 40) as usize
}

/// The nearest working day on or before `d`.
fn prev_workday(cal: &Calendar, d: NaiveDate) -> NaiveDate {
    let mut day = d;
    for _ in 0..60 {
        if cal.is_workday(day) {
            return day;
        }
        day = day.pred_opt().unwrap_or(day);
    }
    d
}

fn parse_day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

struct Ctx<'a> {
    cal: &'a Calendar,
    policy: LoanPolicy,
    borrowers: &'a [PlannedBorrower],
    today: NaiveDate,
}

impl Ctx<'_> {
    /// A due date: the policy's working days from the lending day, renewed `renewals` times.
    fn due(&self, borrower: usize, lent: NaiveDate, renewals: i64) -> NaiveDate {
        let p = self.policy.for_kind(self.borrowers[borrower].kind);
        let mut due = self.cal.add_workdays(lent, p.days);
        for _ in 0..renewals {
            due = self.cal.add_workdays(due, p.renew_days);
        }
        due
    }

    fn renewals(&self, rng: &mut Rng, borrower: usize) -> i64 {
        let max = i64::from(self.policy.for_kind(self.borrowers[borrower].kind).max_renewals);
        let r = rng.below(1000);
        let n = if r < 20 {
            2
        } else if r < 100 {
            1
        } else {
            0
        };
        n.min(max)
    }

    /// A borrower who may borrow now (not blocked), other than `not`: anyone alike (what is
    /// out now is spread over the desk's borrowers; the history leans on the busiest).
    fn active_borrower(&self, rng: &mut Rng, not: Option<usize>) -> usize {
        for _ in 0..50 {
            let b = rng.below(self.borrowers.len().max(1) as u64) as usize;
            if self.borrowers[b].blocked.is_none() && Some(b) != not {
                return b;
            }
        }
        (0..self.borrowers.len())
            .find(|&b| self.borrowers[b].blocked.is_none() && Some(b) != not)
            .unwrap_or(0)
    }

    /// A past loan from `lent`, returned on a working day after it: mostly in time, some late,
    /// a few with pages missing or damaged.
    fn past(&self, rng: &mut Rng, item: usize, borrower: usize, lent: NaiveDate, pages: i64) -> PlannedLoan {
        let renewals = self.renewals(rng, borrower);
        let due = self.due(borrower, lent, renewals);
        let span = (due - lent).num_days().max(1);
        let r = rng.below(1000);
        let back = if r < 800 {
            lent + Duration::days(rng.range(1, span))
        } else if r < 970 {
            due + Duration::days(rng.range(1, 20))
        } else {
            due + Duration::days(rng.range(21, 60))
        };
        let day = self.cal.next_workday(back);
        let c = rng.below(1000);
        let end = if c < 25 && pages > 2 {
            End::Returned {
                day,
                condition: Condition::PagesMissing,
                short: rng.range(1, 2),
                note: pick_str(rng, MISSING_NOTES),
            }
        } else if c < 40 {
            End::Returned { day, condition: Condition::Damaged, short: 0, note: pick_str(rng, DAMAGE_NOTES) }
        } else if c < 40 + FOUND_PER_MILLE && (day - due).num_days() > 10 {
            End::Found { lost: due + Duration::days(rng.range(3, 8)), day }
        } else {
            End::Returned { day, condition: Condition::Complete, short: 0, note: "" }
        };
        PlannedLoan {
            item,
            borrower,
            purpose: pick_str(rng, self.borrowers[borrower].purposes),
            lent,
            minute: rng.below(540),
            due,
            renewals,
            end,
            by_admin: rng.chance(ADMIN_LENDS_PER_MILLE),
            waiting: Vec::new(),
            override_note: None,
        }
    }

    /// A loan out now, lent on a working day in the last eight weeks: most not due yet, some
    /// overdue by up to 40 days; a few of those reported lost; some with someone waiting.
    fn current(&self, rng: &mut Rng, item: usize, earliest: NaiveDate) -> Option<PlannedLoan> {
        let borrower = self.active_borrower(rng, None);
        let mut loan = None;
        for _ in 0..4 {
            let back = if rng.chance(550) { rng.range(0, 13) } else { rng.range(14, 56) };
            let lent = prev_workday(self.cal, self.today - Duration::days(back));
            let renewals = self.renewals(rng, borrower);
            let due = self.due(borrower, lent, renewals);
            if lent >= earliest && (self.today - due).num_days() <= 40 {
                loan = Some((lent, renewals, due));
                break;
            }
        }
        let (lent, renewals, due) = loan?;
        let overdue = due < self.today;
        let end = if overdue && rng.chance(LOST_PER_MILLE) {
            End::Lost {
                day: (due + Duration::days(rng.range(5, 25))).min(self.today),
                note: pick_str(rng, LOST_NOTES),
            }
        } else {
            End::Out
        };
        let mut waiting = Vec::new();
        if end == End::Out && rng.chance(REQUEST_PER_MILLE) {
            for _ in 0..if rng.chance(200) { 2 } else { 1 } {
                let who = self.active_borrower(rng, Some(borrower));
                if who != borrower && !waiting.iter().any(|w: &(usize, _, _)| w.0 == who) {
                    let day = lent + Duration::days(rng.range(0, (self.today - lent).num_days()));
                    waiting.push((who, day, pick_str(rng, REQUEST_NOTES)));
                }
            }
        }
        Some(PlannedLoan {
            item,
            borrower,
            purpose: pick_str(rng, self.borrowers[borrower].purposes),
            lent,
            minute: rng.below(540),
            due,
            renewals,
            end,
            by_admin: rng.chance(ADMIN_LENDS_PER_MILLE),
            waiting,
            override_note: None,
        })
    }
}

/// How many past loans a dossier had: none for most, one or two for many (about 0.6 each).
fn past_count(rng: &mut Rng) -> usize {
    match rng.below(1000) {
        0..570 => 0,
        570..860 => 1,
        860..960 => 2,
        _ => 3,
    }
}

fn plan(
    seed: u64,
    cal: &Calendar,
    inputs: &[bulk::LendingInput],
    boxes: &[bulk::BoxPlace],
    today: NaiveDate,
) -> Plan {
    let borrowers = plan_borrowers(seed, inputs.len(), today);
    let ctx = Ctx { cal, policy: LoanPolicy::default(), borrowers: &borrowers, today };
    let start = today - Duration::days(HISTORY_DAYS);
    let filed = |i: &bulk::LendingInput| i.filed_day.as_deref().and_then(parse_day);

    // Boxes lent whole: the first is out now, the others came back. Only boxes at home.
    let mut folders_of: HashMap<i64, Vec<usize>> = HashMap::new();
    for (k, i) in inputs.iter().enumerate() {
        if let Some(b) = i.box_id {
            folders_of.entry(b).or_default().push(k);
        }
    }
    let candidates: Vec<usize> = boxes
        .iter()
        .enumerate()
        .filter(|(_, b)| b.home.is_some() && (b.current.is_none() || b.current == b.home))
        .filter(|(_, b)| folders_of.contains_key(&b.id))
        .map(|(k, _)| k)
        .collect();
    let wanted = (boxes.len() / BOXES_PER_BOX_LOAN).max(MIN_BOX_LOANS).min(candidates.len());
    let mut rng = rng_for(seed, 31, 0);
    let mut chosen = Vec::new();
    let mut seen = HashSet::new();
    for _ in 0..wanted * 20 {
        if chosen.len() == wanted {
            break;
        }
        let k = candidates[rng.below(candidates.len() as u64) as usize];
        if seen.insert(k) {
            chosen.push(k);
        }
    }
    let mut box_loans = Vec::new();
    // Each box's time away: its folders stay in meanwhile.
    let mut busy: HashMap<i64, (NaiveDate, NaiveDate)> = HashMap::new();
    for k in chosen {
        let b = boxes[k];
        let last_filed = folders_of[&b.id].iter().filter_map(|&i| filed(&inputs[i])).max().unwrap_or(start);
        let earliest = (last_filed + Duration::days(30)).max(start);
        let borrower = ctx.active_borrower(&mut rng, None);
        let loan = if box_loans.is_empty() {
            let lent = prev_workday(cal, today - Duration::days(rng.range(1, 6)));
            if lent < earliest {
                continue;
            }
            PlannedLoan {
                item: k,
                borrower,
                purpose: "审计抽查",
                lent,
                minute: rng.below(540),
                due: ctx.due(borrower, lent, 0),
                renewals: 0,
                end: End::Out,
                by_admin: false,
                waiting: Vec::new(),
                override_note: None,
            }
        } else {
            let room = (today - earliest).num_days() - 90;
            if room < 1 {
                continue;
            }
            let lent = cal.next_workday(earliest + Duration::days(rng.range(0, room)));
            let mut l = ctx.past(&mut rng, k, borrower, lent, 0);
            l.end = End::Returned {
                day: cal.next_workday(l.lent + Duration::days(rng.range(1, 8))),
                condition: Condition::Complete,
                short: 0,
                note: "",
            };
            l
        };
        let back = match loan.end {
            End::Returned { day, .. } => day,
            _ => NaiveDate::MAX,
        };
        busy.insert(b.id, (loan.lent, back));
        box_loans.push(loan);
    }

    // Each dossier's loans, one after the other.
    let mut loans = Vec::new();
    for (k, input) in inputs.iter().enumerate() {
        let Some(filed_day) = filed(input) else { continue };
        let mut rng = rng_for(seed, 32, input.customer_id as u64);
        let first = (filed_day + Duration::days(7)).max(start);
        let closed = input.closed_day.as_deref().and_then(parse_day);
        let end = closed
            .map_or(today - Duration::days(1), |c| c - Duration::days(1))
            .min(today - Duration::days(1));
        let in_box = input.box_id.and_then(|b| busy.get(&b).copied());
        let past = past_count(&mut rng);
        let mut current = None;
        if closed.is_none() && rng.chance(OUT_PER_MILLE) && in_box.is_none_or(|(_, back)| back < today) {
            let earliest = in_box.map_or(first, |(_, back)| (back + Duration::days(1)).max(first));
            current = ctx.current(&mut rng, k, earliest);
        }
        let last = current.as_ref().map_or(end, |c| c.lent - Duration::days(1));
        let mut cursor = first;
        for j in 0..past {
            let room = (last - cursor).num_days();
            if room < 20 {
                break;
            }
            let gap = rng.range(0, room / (past - j) as i64);
            let lent = cal.next_workday(cursor + Duration::days(gap));
            if let Some((a, b)) = in_box
                && lent >= a
                && lent <= b
            {
                cursor = b + Duration::days(1);
                continue;
            }
            let borrower = pick_borrower(&mut rng, borrowers.len());
            let loan = ctx.past(&mut rng, k, borrower, lent, input.pages);
            let back = match loan.end {
                End::Returned { day, .. } | End::Found { day, .. } => day,
                _ => break,
            };
            if back > last || in_box.is_some_and(|(a, _)| a > lent && a <= back) {
                break;
            }
            cursor = back + Duration::days(1 + rng.range(0, 60));
            loans.push(loan);
        }
        if let Some(c) = current {
            loans.push(c);
        }
    }

    // A few of each kind, whatever the seed: two lost, one found.
    let lost = loans.iter().filter(|l| matches!(l.end, End::Lost { .. })).count();
    let mut need = 2usize.saturating_sub(lost);
    for l in loans.iter_mut().filter(|l| l.end == End::Out && l.due < today && l.waiting.is_empty()) {
        if need == 0 {
            break;
        }
        l.end = End::Lost { day: (l.due + Duration::days(3)).min(today), note: LOST_NOTES[0] };
        need -= 1;
    }
    if !loans.iter().any(|l| matches!(l.end, End::Found { .. }))
        && let Some(l) = loans.iter_mut().find(|l| {
            matches!(l.end, End::Returned { day, condition: Condition::Complete, .. } if (day - l.lent).num_days() > 3)
        })
        && let End::Returned { day, .. } = l.end
    {
        l.end = End::Found { lost: l.lent + Duration::days(2), day };
    }
    // The desk refuses a borrower with a loan overdue unless the lender overrides: a loan out
    // now that was lent after another of the same borrower's was overdue carries the override.
    let mut out_by: HashMap<usize, Vec<usize>> = HashMap::new();
    for (k, l) in loans.iter().enumerate() {
        if matches!(l.end, End::Out | End::Lost { .. }) {
            out_by.entry(l.borrower).or_default().push(k);
        }
    }
    for group in out_by.values() {
        for &k in group {
            let lent = loans[k].lent;
            if group.iter().any(|&o| o != k && loans[o].due < lent && loans[o].lent < lent) {
                loans[k].override_note = Some(OVERRIDE_NOTES[k % OVERRIDE_NOTES.len()]);
            }
        }
    }
    Plan { borrowers, box_loans, loans }
}

/// Plans the lending history and writes the batches not written yet. `progress(done, total)`
/// counts batches.
pub(crate) fn fill(
    lib: &mut Library,
    admin: &str,
    seed: u64,
    batch: usize,
    cancel: &AtomicBool,
    mut progress: impl FnMut(u64, u64),
) -> Result<LendingStats> {
    let started = Instant::now();
    let today = crate::core::today();
    let conn = lib.db.conn();
    let inputs = bulk::lending_inputs(conn)?;
    let boxes = bulk::box_places(conn)?;
    let cal = crate::core::loans::load_calendar(Tx::new(conn))?;
    let users = store::users::list(conn)?;
    let archivist = users
        .iter()
        .find(|u| u.role == Role::Archivist)
        .or_else(|| users.iter().find(|u| u.role == Role::Admin))
        .map(|u| u.id)
        .ok_or_else(|| Error::missing("user-not-found").arg("name", "archivist"))?;
    let admin_id = users
        .iter()
        .find(|u| u.name == admin)
        .map(|u| u.id)
        .ok_or_else(|| Error::missing("user-not-found").arg("name", admin))?;
    let written: u64 = store::get_meta(conn, BATCHES_KEY)?.and_then(|s| s.parse().ok()).unwrap_or(0);
    let plan = plan(seed, &cal, &inputs, &boxes, today);
    let w = Writer {
        admin,
        archivist,
        admin_id,
        inputs: &inputs,
        boxes: &boxes,
        plan: &plan,
        folders: folders_by_box(&inputs),
    };

    // Batch 0: the borrowers and the boxes lent whole; then the dossiers' loans by runs.
    let mut runs: Vec<std::ops::Range<usize>> = Vec::new();
    let mut s = 0;
    while s < plan.loans.len() {
        let first_item = plan.loans[s].item;
        let mut e = s;
        // Whole dossiers, about `batch` of them.
        while e < plan.loans.len() && plan.loans[e].item < first_item + batch.max(1) {
            e += 1;
        }
        runs.push(s..e);
        s = e;
    }
    let total = 1 + runs.len() as u64;
    for n in 0..total {
        if n < written {
            continue;
        }
        if cancel.load(Ordering::Relaxed) {
            return Err(Error::Cancelled);
        }
        let range = if n == 0 { None } else { runs.get(n as usize - 1).cloned() };
        lib.write(|tx| {
            store::search::without_change_triggers(tx, || {
                match &range {
                    None => w.write_first(tx)?,
                    Some(r) => w.write_run(tx, r.clone())?,
                }
                store::set_meta(tx, BATCHES_KEY, &(n + 1).to_string())
            })
        })?;
        progress(n + 1, total);
        if n > 0 {
            // After the borrowers and a run of dossiers' loans.
            crate::core::index::fault("demo-after-loan-batch");
        }
    }
    let c = bulk::lending_counts(Tx::new(lib.db.conn()))?;
    let today_s = today.format("%Y-%m-%d").to_string();
    let (_, overdue, _, _) = ldb::desk_counts(Tx::new(lib.db.conn()), &today_s)?;
    Ok(LendingStats {
        borrowers: c.borrowers as u64,
        loans: c.loans as u64,
        out: c.out as u64,
        overdue: overdue as u64,
        lost: c.lost as u64,
        box_loans: plan.box_loans.len() as u64,
        requests: c.requests as u64,
        seconds: started.elapsed().as_secs_f64(),
    })
}

fn folders_by_box(inputs: &[bulk::LendingInput]) -> HashMap<i64, Vec<usize>> {
    let mut m: HashMap<i64, Vec<usize>> = HashMap::new();
    for (k, i) in inputs.iter().enumerate() {
        if let Some(b) = i.box_id {
            m.entry(b).or_default().push(k);
        }
    }
    m
}

/// The id of the n-th planned borrower (they are written in plan order).
fn borrower_id(ids: &[i64], n: usize) -> Result<i64> {
    ids.get(n).copied().ok_or_else(|| Error::Db(format!("the demo's borrower {n} is missing")))
}

struct Writer<'a> {
    admin: &'a str,
    archivist: i64,
    admin_id: i64,
    inputs: &'a [bulk::LendingInput],
    boxes: &'a [bulk::BoxPlace],
    plan: &'a Plan,
    folders: HashMap<i64, Vec<usize>>,
}

impl Writer<'_> {
    fn staff(&self, by_admin: bool) -> i64 {
        if by_admin { self.admin_id } else { self.archivist }
    }

    fn audit(&self, tx: &rusqlite::Connection, at: &str, id: &str, after: serde_json::Value) -> Result<()> {
        record(
            tx,
            self.admin,
            at,
            Change {
                action: "generate",
                entity: "demo",
                entity_id: id,
                dossier: None,
                before: None,
                after: Some(after.to_string()),
            },
        )?;
        Ok(())
    }

    /// The borrowers (with the next card number set) and the boxes lent whole.
    fn write_first(&self, tx: &rusqlite::Connection) -> Result<()> {
        let t = Tx::new(tx);
        let now = crate::core::now();
        for (i, b) in self.plan.borrowers.iter().enumerate() {
            let code = ln::borrower_code(i as i64 + 1);
            let created = stamp(b.created, 60, &now);
            bulk::insert_borrower_bulk(
                t,
                &bulk::BulkBorrower {
                    code: &code,
                    kind: b.kind,
                    name: &b.name,
                    dept: b.dept,
                    unit: b.unit,
                    phone: &b.phone,
                    card: b.card.as_deref(),
                    letter_no: &b.letter_no,
                    notes: b.notes,
                    blocked_reason: b.blocked,
                    created_at: &created,
                    updated_at: &created,
                },
            )?;
        }
        store::config::set_sequence(tx, ldb::BORROWER_CODE_SCOPE, self.plan.borrowers.len() as i64)?;
        let ids = bulk::borrower_ids(t)?;
        let mut rows = 0u64;
        for l in &self.plan.box_loans {
            let b = self.boxes[l.item];
            let folders = self.folders.get(&b.id).map_or(&[][..], Vec::as_slice);
            let confidential = folders.iter().any(|&i| self.inputs[i].confidential);
            let parent = self.loan(tx, l, &ids, None, Some(b.id), None, confidential, &now)?;
            rows += 1;
            for &i in folders {
                self.loan(
                    tx,
                    l,
                    &ids,
                    Some(self.inputs[i].customer_id),
                    None,
                    Some(parent),
                    confidential,
                    &now,
                )?;
                rows += 1;
            }
            let who = self.plan.borrowers[l.borrower].display();
            let lent_at = stamp(l.lent, l.minute, &now);
            sdb::insert_movement(
                t,
                &sdb::NewMovement {
                    at: &lent_at,
                    user_id: self.staff(l.by_admin),
                    box_id: Some(b.id),
                    customer_id: None,
                    from_location: b.home,
                    to_location: None,
                    from_box: None,
                    to_box: None,
                    reason: MoveReason::Loan,
                    note: &who,
                },
            )?;
            match l.end {
                End::Returned { day, .. } => {
                    let at = stamp(day, 540, &now);
                    sdb::insert_movement(
                        t,
                        &sdb::NewMovement {
                            at: &at,
                            user_id: self.archivist,
                            box_id: Some(b.id),
                            customer_id: None,
                            from_location: None,
                            to_location: b.home,
                            from_box: None,
                            to_box: None,
                            reason: MoveReason::Returned,
                            note: &who,
                        },
                    )?;
                }
                _ => bulk::set_box_out(t, b.id, &lent_at)?,
            }
        }
        let first = ids.first().map(|_| ln::borrower_code(1)).unwrap_or_default();
        self.audit(
            tx,
            &now,
            &first,
            serde_json::json!({
                "borrowers": self.plan.borrowers.len(), "box_loans": self.plan.box_loans.len(), "loan_rows": rows,
            }),
        )
    }

    /// One run of dossiers' loans, with their movements and the holds on those out.
    fn write_run(&self, tx: &rusqlite::Connection, range: std::ops::Range<usize>) -> Result<()> {
        let t = Tx::new(tx);
        let now = crate::core::now();
        let ids = bulk::borrower_ids(t)?;
        let (mut first, mut last, mut moves, mut requests) = (None, 0i64, 0u64, 0u64);
        for l in &self.plan.loans[range.clone()] {
            let input = &self.inputs[l.item];
            let id = self.loan(tx, l, &ids, Some(input.customer_id), None, None, input.confidential, &now)?;
            first.get_or_insert(id);
            last = id;
            let who = self.plan.borrowers[l.borrower].display();
            let lent_at = stamp(l.lent, l.minute, &now);
            sdb::insert_movement(
                t,
                &sdb::NewMovement {
                    at: &lent_at,
                    user_id: self.staff(l.by_admin),
                    box_id: None,
                    customer_id: Some(input.customer_id),
                    from_location: None,
                    to_location: None,
                    from_box: input.box_id,
                    to_box: None,
                    reason: MoveReason::Loan,
                    note: &who,
                },
            )?;
            moves += 1;
            if let End::Returned { day, .. } | End::Found { day, .. } = l.end {
                let at = stamp(day, 60 + l.minute / 2, &now);
                sdb::insert_movement(
                    t,
                    &sdb::NewMovement {
                        at: &at,
                        user_id: self.archivist,
                        box_id: None,
                        customer_id: Some(input.customer_id),
                        from_location: None,
                        to_location: None,
                        from_box: None,
                        to_box: input.box_id,
                        reason: MoveReason::Returned,
                        note: &who,
                    },
                )?;
                moves += 1;
            }
            for (who, day, note) in &l.waiting {
                let at = stamp(*day, 60 + (*who as u64 * 37 + l.minute) % 480, &now);
                let at = if at < lent_at { lent_at.clone() } else { at };
                bulk::insert_request_bulk(
                    t,
                    Some(input.customer_id),
                    None,
                    borrower_id(&ids, *who)?,
                    &at,
                    self.archivist,
                    note,
                    RequestState::Waiting,
                )?;
                requests += 1;
            }
        }
        self.audit(
            tx,
            &now,
            &first.unwrap_or_default().to_string(),
            serde_json::json!({
                "loans": range.len(), "first_loan": first, "last_loan": last, "movements": moves,
                "requests": requests,
            }),
        )
    }

    /// Writes one loan row (a dossier's, a box's, or a folder's lent with its box).
    #[allow(clippy::too_many_arguments)]
    fn loan(
        &self,
        tx: &rusqlite::Connection,
        l: &PlannedLoan,
        ids: &[i64],
        customer_id: Option<i64>,
        box_id: Option<i64>,
        box_loan_id: Option<i64>,
        confidential: bool,
        now: &str,
    ) -> Result<i64> {
        let lent_at = stamp(l.lent, l.minute, now);
        let due = l.due.format("%Y-%m-%d").to_string();
        let pages = customer_id.and_then(|c| {
            self.inputs.binary_search_by_key(&c, |i| i.customer_id).ok().map(|k| self.inputs[k].pages)
        });
        let lender = self.staff(l.by_admin);
        // A confidential dossier was approved by the other of the two who may see it.
        let approved_by = confidential.then_some(if l.by_admin { self.archivist } else { self.admin_id });
        let (state, back, lost_at) = match l.end {
            End::Out => (LoanState::Out, None, None),
            End::Returned { day, condition, short, note } => {
                (LoanState::Returned, Some((day, condition, short, note)), None)
            }
            End::Lost { day, .. } => (LoanState::Lost, None, Some(day)),
            End::Found { lost, day } => {
                (LoanState::Found, Some((day, Condition::Complete, 0, "")), Some(lost))
            }
        };
        let returned_at = back.map(|(day, ..)| stamp(day, 60 + l.minute / 2, now));
        let lost_at = lost_at.map(|d| stamp(d, 480, now));
        let note = match l.end {
            End::Lost { note, .. } => note,
            _ => back.map_or("", |b| b.3),
        };
        bulk::insert_loan_bulk(
            Tx::new(tx),
            &bulk::BulkLoan {
                customer_id,
                box_id,
                box_loan_id,
                borrower_id: borrower_id(ids, l.borrower)?,
                purpose: l.purpose,
                lent_by: lender,
                lent_at: &lent_at,
                due: &due,
                renewals: l.renewals,
                approved_by,
                pages_out: pages,
                state,
                returned: match (&returned_at, back) {
                    (Some(at), Some((_, condition, short, _))) => Some(bulk::BulkReturn {
                        at,
                        by: self.archivist,
                        pages: pages.map(|p| (p - short).max(0)),
                        condition,
                    }),
                    _ => None,
                },
                lost: lost_at.as_deref().map(|at| (at, lender)),
                note,
                override_by: l.override_note.map(|_| lender),
                override_note: l.override_note.unwrap_or_default(),
            },
        )
    }
}

/// Synthetic past loans for the benchmark: each a returned loan of a random dossier to a
/// borrower of the demo (the busiest most often), lent on a working day of the last ten years.
/// Written by the same bulk writer, in transactions of this many rows.
const HISTORY_BATCH: u64 = 100_000;
/// SQLite page cache while adding them, MiB.
const SYNTHETIC_CACHE_MIB: u32 = 1024;
const SYNTHETIC_PURPOSES: &[&str] = &["增容", "过户", "销户核查", "电费纠纷", "审计抽查", "法院调取"];

/// Adds returned loans to the library at `root` until it holds `total` loan rows (none if it
/// holds that many already), in batches with one audit row each, the change-log triggers set
/// aside (returned loans change nothing search shows). Returns the rows added.
pub fn add_history(
    root: &std::path::Path,
    admin: &str,
    total: u64,
    seed: u64,
    mut progress: impl FnMut(u64, u64),
) -> Result<u64> {
    let mut lib = Library::open(root, crate::core::Access::Write)?;
    // The loans' indexes by dossier and by borrower are written at random places.
    lib.db.set_cache_mib(SYNTHETIC_CACHE_MIB)?;
    let conn = lib.db.conn();
    let have = bulk::lending_counts(Tx::new(conn))?.loans.max(0) as u64;
    let customers = store::customers::max_rowid(conn)?;
    let borrowers = bulk::borrower_ids(Tx::new(conn))?;
    if have >= total || customers == 0 || borrowers.is_empty() {
        return Ok(0);
    }
    let cal = crate::core::loans::load_calendar(Tx::new(conn))?;
    let users = store::users::list(conn)?;
    let archivist = users
        .iter()
        .find(|u| u.role == Role::Archivist)
        .or_else(|| users.iter().find(|u| u.role == Role::Admin))
        .map(|u| u.id)
        .ok_or_else(|| Error::missing("user-not-found").arg("name", "archivist"))?;
    let today = crate::core::today();
    let span = 3650 - 60;
    let want = total - have;
    let mut rng = rng_for(seed, 40, have);
    let mut added = 0u64;
    while added < want {
        let n = (want - added).min(HISTORY_BATCH);
        let now = crate::core::now();
        lib.write(|tx| {
            store::search::without_change_triggers(tx, || {
                let t = Tx::new(tx);
                let mut first = None;
                for k in 0..n {
                    // In the order they happened (the oldest first), as a real desk's rows are.
                    let back_days = span - span * (added + k) as i64 / want.max(1) as i64;
                    let lent = cal.next_workday(today - Duration::days(60 + back_days));
                    let due = cal.add_workdays(lent, 10);
                    let back = cal.next_workday(lent + Duration::days(rng.range(1, 20)));
                    let minute = rng.below(540);
                    let lent_at = stamp(lent, minute, &now);
                    let back_at = stamp(back, 60 + minute / 2, &now);
                    let id = bulk::insert_loan_bulk(
                        t,
                        &bulk::BulkLoan {
                            customer_id: Some(1 + rng.below(customers as u64) as i64),
                            box_id: None,
                            box_loan_id: None,
                            borrower_id: borrowers[pick_borrower(&mut rng, borrowers.len())],
                            purpose: pick_str(&mut rng, SYNTHETIC_PURPOSES),
                            lent_by: archivist,
                            lent_at: &lent_at,
                            due: &due.format("%Y-%m-%d").to_string(),
                            renewals: 0,
                            approved_by: None,
                            pages_out: None,
                            state: LoanState::Returned,
                            returned: Some(bulk::BulkReturn {
                                at: &back_at,
                                by: archivist,
                                pages: None,
                                condition: Condition::Complete,
                            }),
                            lost: None,
                            note: "",
                            override_by: None,
                            override_note: "",
                        },
                    )?;
                    first.get_or_insert(id);
                }
                record(
                    tx,
                    admin,
                    &now,
                    Change {
                        action: "generate",
                        entity: "demo",
                        entity_id: &first.unwrap_or_default().to_string(),
                        dossier: None,
                        before: None,
                        after: Some(
                            serde_json::json!({ "synthetic_loans": n, "first_loan": first }).to_string(),
                        ),
                    },
                )?;
                Ok(())
            })
        })?;
        added += n;
        progress(added, want);
    }
    lib.db.checkpoint()?;
    Ok(added)
}
