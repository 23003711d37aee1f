//! The papers the lending desk prints, on A4: the loan slip (借阅单, two to a page with a cut
//! line, or a whole page for a box whose folder list needs it), the overdue reminder (催还通知单,
//! one page per borrower) and the loan register (借阅登记簿, A4 landscape, its header repeated
//! on every page, "第 N 页 共 M 页"). Pure: the caller gathers the data and passes the words in
//! the user's language ([`PaperCaptions`]); out come PDF bytes (or, for the register, CSV).

use printpdf::{PdfDocument, PdfPage, PdfSaveOptions};

use super::draw::{self, Align, Page};
use crate::model::error::{Error, Result};

/// A4 portrait, mm.
const A4_W: f64 = 210.0;
const A4_H: f64 = 297.0;
/// The page margin, mm.
const MARGIN: f64 = 15.0;
/// Thickness of table rules, mm.
const RULE: f64 = 0.25;
/// Smallest text on a paper, points.
const MIN_PT: f64 = 7.0;
/// Widest barcode module on a slip, mm (three grid steps: 3 dots at 100 dpi, 6 at 200).
const SLIP_MODULE: f64 = 3.0 * draw::GRID_MM;

/// The words printed on the desk's papers, in the user's language. `Default` is zh-CN.
/// Texts with `{name}` placeholders are filled in here (`{count}`, `{date}`, `{page}`,
/// `{pages}`, `{from}`, `{to}`).
#[derive(Debug, Clone, PartialEq)]
pub struct PaperCaptions {
    pub slip_title: String,
    pub loan_no: String,
    pub item: String,
    pub box_item: String,
    pub title: String,
    pub borrower: String,
    pub card: String,
    pub purpose: String,
    pub lent_at: String,
    pub lent_by: String,
    pub due: String,
    pub renewals: String,
    pub approved_by: String,
    /// `盒内案卷（{count} 卷）`
    pub folders: String,
    /// `…另有 {count} 卷`
    pub more_folders: String,
    pub sign_borrower: String,
    pub sign_clerk: String,
    pub sign_return_date: String,
    pub sign_receiver: String,
    pub fonds: String,
    pub reminder_title: String,
    /// `您借阅的下列档案已超过应还日期，请于 {date} 前归还。…`
    pub reminder_body: String,
    pub seq: String,
    pub lent_on: String,
    pub days_overdue: String,
    pub date: String,
    pub register_title: String,
    /// `{from} 至 {to}`
    pub period: String,
    pub dept: String,
    pub returned_on: String,
    pub state: String,
    /// `第 {page} 页 共 {pages} 页`
    pub page_of: String,
    /// The reminder's contact line when the desk gives none.
    pub contact: String,
    /// A loan's state in the register: out, returned, lost, found; and a return's condition
    /// when it was not complete.
    pub state_out: String,
    pub state_returned: String,
    pub state_lost: String,
    pub state_found: String,
    pub cond_pages_missing: String,
    pub cond_damaged: String,
}

impl Default for PaperCaptions {
    fn default() -> Self {
        let s = |t: &str| t.to_string();
        PaperCaptions {
            slip_title: s("档案借阅单"),
            loan_no: s("借阅编号"),
            item: s("档号"),
            box_item: s("盒号"),
            title: s("题名"),
            borrower: s("借阅人"),
            card: s("借阅证号"),
            purpose: s("借阅事由"),
            lent_at: s("借出时间"),
            lent_by: s("经办人"),
            due: s("应还日期"),
            renewals: s("续借次数"),
            approved_by: s("审批人"),
            folders: s("盒内案卷（{count} 卷）"),
            more_folders: s("…另有 {count} 卷"),
            sign_borrower: s("借阅人签字"),
            sign_clerk: s("经办人签字"),
            sign_return_date: s("归还日期"),
            sign_receiver: s("接收人签字"),
            fonds: s("全宗"),
            reminder_title: s("催还通知单"),
            reminder_body: s(
                "您借阅的下列档案已超过应还日期，请于 {date} 前归还档案室。如已归还，请忽略本通知。谢谢配合！",
            ),
            seq: s("序号"),
            lent_on: s("借阅日期"),
            days_overdue: s("逾期天数"),
            date: s("日期"),
            register_title: s("借阅登记簿"),
            period: s("{from} 至 {to}"),
            dept: s("部门/单位"),
            returned_on: s("归还日期"),
            state: s("状况"),
            page_of: s("第 {page} 页 共 {pages} 页"),
            contact: s("如有疑问，请与档案室联系。"),
            state_out: s("借出"),
            state_returned: s("已归还"),
            state_lost: s("遗失"),
            state_found: s("遗失后找回"),
            cond_pages_missing: s("缺页"),
            cond_damaged: s("破损"),
        }
    }
}

impl PaperCaptions {
    /// The translation keys of the captions, in field order (`assets/i18n/*/loan-papers.ftl`).
    pub const KEYS: [&'static str; 39] = [
        "papers-slip-title",
        "papers-loan-no",
        "papers-item",
        "papers-box-item",
        "papers-title",
        "papers-borrower",
        "papers-card",
        "papers-purpose",
        "papers-lent-at",
        "papers-lent-by",
        "papers-due",
        "papers-renewals",
        "papers-approved-by",
        "papers-folders",
        "papers-more-folders",
        "papers-sign-borrower",
        "papers-sign-clerk",
        "papers-sign-return-date",
        "papers-sign-receiver",
        "papers-fonds",
        "papers-reminder-title",
        "papers-reminder-body",
        "papers-seq",
        "papers-lent-on",
        "papers-days-overdue",
        "papers-date",
        "papers-register-title",
        "papers-period",
        "papers-dept",
        "papers-returned-on",
        "papers-state",
        "papers-page-of",
        "papers-contact",
        "loan-state-out",
        "loan-state-returned",
        "loan-state-lost",
        "loan-state-found",
        "condition-pages_missing",
        "condition-damaged",
    ];

    /// The captions from a translation lookup (`|key| tr.t(key)`), key by key ([`Self::KEYS`]).
    pub fn from_translations(lookup: impl Fn(&str) -> String) -> PaperCaptions {
        let mut v = PaperCaptions::KEYS.iter().map(|k| lookup(k));
        let mut next = || v.next().unwrap_or_default();
        PaperCaptions {
            slip_title: next(),
            loan_no: next(),
            item: next(),
            box_item: next(),
            title: next(),
            borrower: next(),
            card: next(),
            purpose: next(),
            lent_at: next(),
            lent_by: next(),
            due: next(),
            renewals: next(),
            approved_by: next(),
            folders: next(),
            more_folders: next(),
            sign_borrower: next(),
            sign_clerk: next(),
            sign_return_date: next(),
            sign_receiver: next(),
            fonds: next(),
            reminder_title: next(),
            reminder_body: next(),
            seq: next(),
            lent_on: next(),
            days_overdue: next(),
            date: next(),
            register_title: next(),
            period: next(),
            dept: next(),
            returned_on: next(),
            state: next(),
            page_of: next(),
            contact: next(),
            state_out: next(),
            state_returned: next(),
            state_lost: next(),
            state_found: next(),
            cond_pages_missing: next(),
            cond_damaged: next(),
        }
    }

    /// The register's column headers, in order (the PDF's and the CSV's).
    pub fn register_columns(&self) -> [&str; 11] {
        [
            &self.seq,
            &self.lent_on,
            &self.item,
            &self.title,
            &self.borrower,
            &self.dept,
            &self.purpose,
            &self.due,
            &self.returned_on,
            &self.state,
            &self.lent_by,
        ]
    }
}

/// `text` with `{name}` replaced by each value.
fn fill(text: &str, args: &[(&str, &str)]) -> String {
    args.iter().fold(text.to_string(), |t, (k, v)| t.replace(&format!("{{{k}}}"), v))
}

/// The colon after a caption: full-width after Chinese, `: ` after a Latin word.
fn colon(caption: &str) -> &'static str {
    if caption.chars().last().is_some_and(|c| c.is_ascii()) { ": " } else { "：" }
}

/// `caption：value` (or `caption: value`).
fn labelled(caption: &str, value: &str) -> String {
    format!("{caption}{}{value}", colon(caption)).trim_end().to_string()
}

/// One loan slip.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LoanSlip {
    pub loan_no: String,
    /// The dossier number or box code: the barcode.
    pub item: String,
    pub is_box: bool,
    /// The customer's name (`***` when hidden), or a box's `2026年 第12盒 · 20卷`.
    pub title: String,
    /// A box's folders: (dossier number, name).
    pub folders: Vec<(String, String)>,
    /// `周瑜（营销部）`
    pub borrower: String,
    pub card: String,
    pub purpose: String,
    /// Local date and time.
    pub lent_at: String,
    pub lent_by: String,
    pub due: String,
    pub renewals: i64,
    pub approved_by: Option<String>,
    /// The library's fonds name (全宗), empty if not set.
    pub fonds: String,
}

/// One line of an overdue reminder.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReminderRow {
    pub item: String,
    pub title: String,
    pub lent_on: String,
    pub due: String,
    pub days: i64,
}

/// The overdue reminder to one borrower.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reminder {
    /// `周瑜（营销部）`
    pub to: String,
    pub card: String,
    pub rows: Vec<ReminderRow>,
    /// The date to return by.
    pub return_by: String,
    /// The records room's contact line.
    pub contact: String,
    /// The date printed (today).
    pub date: String,
    pub fonds: String,
}

/// The loan register of a period: one row per loan, the columns of
/// [`PaperCaptions::register_columns`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Register {
    pub from: String,
    pub to: String,
    pub rows: Vec<[String; 11]>,
    pub fonds: String,
}

/// Pages being drawn into one PDF.
struct Doc {
    doc: PdfDocument,
    font: printpdf::FontId,
    measure: draw::Measure,
    pages: Vec<(f64, f64, Page)>,
}

impl Doc {
    fn new(title: &str) -> Result<Doc> {
        let mut doc = PdfDocument::new(title);
        let font = doc.add_font(draw::font()?);
        Ok(Doc { doc, font, measure: draw::Measure::new()?, pages: Vec::new() })
    }

    fn page(&mut self, w: f64, h: f64) -> &mut Page {
        self.pages.push((w, h, Page::new(h, (0.0, 0.0), self.font.clone(), self.measure)));
        let last = self.pages.len() - 1;
        &mut self.pages[last].2
    }

    fn save(self) -> Result<Vec<u8>> {
        let pages: Vec<PdfPage> = self
            .pages
            .into_iter()
            .map(|(w, h, p)| PdfPage::new(printpdf::Mm(w as f32), printpdf::Mm(h as f32), p.ops))
            .collect();
        let mut warnings = Vec::new();
        let save = PdfSaveOptions { subset_fonts: true, ..PdfSaveOptions::default() };
        let mut doc = self.doc;
        let bytes = doc.with_pages(pages).save(&save, &mut warnings);
        for w in warnings.iter().filter(|w| w.severity == printpdf::PdfParseErrorSeverity::Error) {
            tracing::warn!(page = w.page, msg = %w.msg, "the PDF writer reported a problem");
        }
        if bytes.is_empty() {
            return Err(Error::failed("label-pdf-failed"));
        }
        Ok(bytes)
    }
}

/// A dashed horizontal line (the cut line between two slips).
fn dashes(page: &mut Page, x: f64, y: f64, w: f64) {
    let mut at = x;
    while at < x + w {
        page.fill(at, y, 3.0_f64.min(x + w - at), 0.2);
        at += 5.0;
    }
}

/// A caption and its value in a framed cell, the caption on the left.
fn field(page: &mut Page, x: f64, y: f64, w: f64, h: f64, caption: &str, value: &str) {
    page.frame(x, y, w, h, RULE);
    let cw = 24.0_f64.min(w * 0.4);
    page.fill(x + cw, y, RULE, h);
    page.text_in(x + 1.0, y + 1.0, cw - 2.0, h - 2.0, caption, 10.0, MIN_PT, Align::Center);
    page.text_in(x + cw + 2.0, y + 1.0, w - cw - 4.0, h - 2.0, value, 11.0, MIN_PT, Align::Left);
}

/// Height of a half-page slip's area, mm.
const HALF: f64 = A4_H / 2.0;
/// Rows of a slip's field table, mm.
const SLIP_ROW: f64 = 9.0;
/// Height of one line of a box's folder list, mm.
const FOLDER_LINE: f64 = 4.5;
/// Height of the signature lines at a slip's foot, mm.
const SIGN_H: f64 = 20.0;
/// Columns of a box's folder list.
const FOLDER_COLS: usize = 3;

/// The fixed parts of a slip: head, barcode, fields, signatures (the folder list comes on top).
fn slip_fixed_h(s: &LoanSlip) -> f64 {
    let rows = 5.0 + f64::from(u8::from(s.approved_by.is_some()));
    12.0 + 26.0 + rows * SLIP_ROW + 3.0 + SIGN_H
}

/// Folder lines a slip needs.
fn folder_lines(s: &LoanSlip) -> usize {
    if s.folders.is_empty() { 0 } else { 1 + s.folders.len().div_ceil(FOLDER_COLS) }
}

/// Whether a slip fits half a page.
fn slip_is_half(s: &LoanSlip) -> bool {
    slip_fixed_h(s) + folder_lines(s) as f64 * FOLDER_LINE <= HALF - 2.0 * 10.0
}

/// Draws a slip in the area (x, y, w, h).
fn slip(page: &mut Page, s: &LoanSlip, x: f64, y: f64, w: f64, h: f64, cap: &PaperCaptions) -> Result<()> {
    // Head: the fonds on the left, the title in the middle, the loan number on the right.
    if !s.fonds.is_empty() {
        let fonds = labelled(&cap.fonds, &s.fonds);
        page.text_in(x, y, w * 0.3, 8.0, &fonds, 9.0, MIN_PT, Align::Left);
    }
    page.text_in(x + w * 0.3, y, w * 0.4, 10.0, &cap.slip_title, 20.0, 12.0, Align::Center);
    let no = format!("{}：{}", cap.loan_no, s.loan_no);
    page.text_in(x + w * 0.7, y, w * 0.3, 8.0, &no, 10.0, MIN_PT, Align::Right);
    let mut at = y + 12.0;

    // The item's barcode and number on the left; the due date, big, on the right.
    let bar_w = 95.0;
    let bar_len = Page::code128_length(&s.item, SLIP_MODULE)?.min(bar_w);
    page.code128(x, at, bar_len, 15.0, &s.item, SLIP_MODULE)?;
    page.text_in(x, at + 16.0, bar_len.max(50.0), 7.0, &s.item, 12.0, MIN_PT, Align::Center);
    let dx = x + bar_w + 5.0;
    let dw = w - bar_w - 5.0;
    page.frame(dx, at, dw, 23.0, 0.5);
    page.text_in(dx, at + 1.5, dw, 6.0, &cap.due, 11.0, MIN_PT, Align::Center);
    page.text_in(dx + 2.0, at + 8.0, dw - 4.0, 13.0, &s.due, 28.0, 12.0, Align::Center);
    at += 26.0;

    // The fields, two to a row where they are short.
    let half = w / 2.0;
    let item_caption = if s.is_box { &cap.box_item } else { &cap.item };
    field(page, x, at, half, SLIP_ROW, item_caption, &s.item);
    field(page, x + half, at, half, SLIP_ROW, &cap.title, &s.title);
    at += SLIP_ROW;
    field(page, x, at, half, SLIP_ROW, &cap.borrower, &s.borrower);
    field(page, x + half, at, half, SLIP_ROW, &cap.card, &s.card);
    at += SLIP_ROW;
    field(page, x, at, w, SLIP_ROW, &cap.purpose, &s.purpose);
    at += SLIP_ROW;
    field(page, x, at, half, SLIP_ROW, &cap.lent_at, &s.lent_at);
    field(page, x + half, at, half, SLIP_ROW, &cap.lent_by, &s.lent_by);
    at += SLIP_ROW;
    field(page, x, at, half, SLIP_ROW, &cap.due, &s.due);
    field(page, x + half, at, half, SLIP_ROW, &cap.renewals, &s.renewals.to_string());
    at += SLIP_ROW;
    if let Some(a) = &s.approved_by {
        field(page, x, at, w, SLIP_ROW, &cap.approved_by, a);
        at += SLIP_ROW;
    }
    at += 3.0;

    // A box's folders, in columns; those that do not fit are counted.
    if !s.folders.is_empty() {
        let room = ((y + h - SIGN_H - at) / FOLDER_LINE).floor().max(2.0) as usize - 1;
        let head = fill(&cap.folders, &[("count", &s.folders.len().to_string())]);
        page.text_in(x, at, w, FOLDER_LINE, &head, 10.0, MIN_PT, Align::Left);
        at += FOLDER_LINE;
        // Two wide columns when they hold the list (names are long), else three.
        let cols = if s.folders.len() <= 2 * room { 2 } else { FOLDER_COLS };
        let fits = room * cols;
        let shown = if s.folders.len() > fits { fits - 1 } else { s.folders.len() };
        let col_w = w / cols as f64;
        let mut cells: Vec<String> = s.folders.iter().take(shown).map(|(d, n)| format!("{d}  {n}")).collect();
        if shown < s.folders.len() {
            cells.push(fill(&cap.more_folders, &[("count", &(s.folders.len() - shown).to_string())]));
        }
        // Down the columns, each as long as the list needs.
        let room = cells.len().div_ceil(cols).min(room);
        for (i, text) in cells.iter().enumerate() {
            let (col, line) = (i / room, i % room);
            let cx = x + col as f64 * col_w;
            page.text_in(
                cx,
                at + line as f64 * FOLDER_LINE,
                col_w - 3.0,
                FOLDER_LINE,
                text,
                9.0,
                MIN_PT,
                Align::Left,
            );
        }
        at += cells.len().min(room) as f64 * FOLDER_LINE;
    }

    // Signature lines at the bottom of the slip.
    let sign_top = (y + h - SIGN_H).max(at + 2.0);
    let signs = [[&cap.sign_borrower, &cap.sign_clerk], [&cap.sign_return_date, &cap.sign_receiver]];
    for (r, row) in signs.iter().enumerate() {
        let ly = sign_top + r as f64 * 10.0;
        for (c, caption) in row.iter().enumerate() {
            let cx = x + c as f64 * half;
            let label = labelled(caption, "");
            let lw = page.measure.width_mm(&label, 11.0).min(half * 0.5);
            page.text_in(cx, ly, lw, 8.0, &label, 11.0, MIN_PT, Align::Left);
            page.fill(cx + lw + 1.0, ly + 7.0, half - lw - 8.0, RULE);
        }
    }
    Ok(())
}

/// Loan slips: two to an A4 page with a cut line between them; a box slip whose folder list
/// does not fit half a page takes a whole one.
pub fn render_slips(slips: &[LoanSlip], cap: &PaperCaptions) -> Result<Vec<u8>> {
    if slips.is_empty() {
        return Err(Error::usage("label-nothing-to-print"));
    }
    for s in slips {
        super::barcode::code128(&s.item)?;
    }
    let mut doc = Doc::new(&cap.slip_title)?;
    let w = A4_W - 2.0 * MARGIN;
    // Whether the last page's lower half is free.
    let mut lower_free = false;
    for s in slips {
        if slip_is_half(s) {
            if lower_free {
                let page = doc.pages.last_mut().map(|p| &mut p.2);
                if let Some(page) = page {
                    dashes(page, 5.0, HALF, A4_W - 10.0);
                    slip(page, s, MARGIN, HALF + 10.0, w, HALF - 20.0, cap)?;
                }
                lower_free = false;
            } else {
                let page = doc.page(A4_W, A4_H);
                slip(page, s, MARGIN, 10.0, w, HALF - 20.0, cap)?;
                lower_free = true;
            }
        } else {
            let page = doc.page(A4_W, A4_H);
            slip(page, s, MARGIN, 12.0, w, A4_H - 24.0, cap)?;
            lower_free = false;
        }
    }
    doc.save()
}

/// Columns of the reminder's table: shares of the width.
const REMINDER_SHARES: [f64; 6] = [0.07, 0.22, 0.31, 0.14, 0.14, 0.12];
const REMINDER_ROW: f64 = 8.0;

/// Draws a table's header row and returns the columns' (x, w).
#[allow(clippy::too_many_arguments)]
fn table_head(
    page: &mut Page,
    x: f64,
    y: f64,
    w: f64,
    h: f64,
    shares: &[f64],
    heads: &[&str],
    pt: f64,
) -> Vec<(f64, f64)> {
    let mut cx = x;
    let cols: Vec<(f64, f64)> = shares
        .iter()
        .map(|s| {
            let at = (cx, w * s);
            cx += w * s;
            at
        })
        .collect();
    page.fill(x, y, w, RULE);
    for (i, (cx, cw)) in cols.iter().enumerate() {
        page.text_in(cx + 0.8, y + 1.0, cw - 1.6, h - 2.0, heads[i], pt, 6.0, Align::Center);
    }
    cols
}

/// The vertical rules of a table from `top` down `h`.
fn table_rules(page: &mut Page, cols: &[(f64, f64)], x: f64, top: f64, w: f64, h: f64) {
    for (cx, _) in cols {
        page.fill(*cx, top, RULE, h);
    }
    page.fill(x + w - RULE, top, RULE, h);
    page.fill(x, top + h - RULE, w, RULE);
}

/// Overdue reminders: one page per borrower (more if the list is long).
pub fn render_reminders(reminders: &[Reminder], cap: &PaperCaptions) -> Result<Vec<u8>> {
    if reminders.is_empty() {
        return Err(Error::usage("label-nothing-to-print"));
    }
    let mut doc = Doc::new(&cap.reminder_title)?;
    let x = MARGIN + 5.0;
    let w = A4_W - 2.0 * x;
    let table_top = 90.0;
    let foot_top = A4_H - 60.0;
    let per = (((foot_top - table_top - 10.0) / REMINDER_ROW).floor() as usize).max(1);
    for r in reminders {
        let chunks: Vec<&[ReminderRow]> =
            if r.rows.is_empty() { vec![&[][..]] } else { r.rows.chunks(per).collect() };
        let total = chunks.len();
        for (n, rows) in chunks.into_iter().enumerate() {
            let page = doc.page(A4_W, A4_H);
            let mut y = 20.0;
            if !r.fonds.is_empty() {
                let fonds = labelled(&cap.fonds, &r.fonds);
                page.text_in(x, y - 8.0, w, 6.0, &fonds, 9.0, MIN_PT, Align::Left);
            }
            page.text_in(x, y, w, 14.0, &cap.reminder_title, 24.0, 12.0, Align::Center);
            y += 24.0;
            let to = format!("{}{}", r.to, colon(&cap.reminder_title));
            page.text_in(x, y, w * 0.65, 9.0, &to, 15.0, 9.0, Align::Left);
            let card = labelled(&cap.card, &r.card);
            page.text_in(x + w * 0.65, y, w * 0.35, 9.0, &card, 11.0, MIN_PT, Align::Right);
            y += 13.0;
            let body = fill(&cap.reminder_body, &[("date", &r.return_by)]);
            page.paragraph(x + 8.0, y, w - 8.0, 26.0, &body, 13.0, 9.0);
            let heads = [&cap.seq, &cap.item, &cap.title, &cap.lent_on, &cap.due, &cap.days_overdue];
            let heads: Vec<&str> = heads.iter().map(|s| s.as_str()).collect();
            let cols = table_head(page, x, table_top, w, 10.0, &REMINDER_SHARES, &heads, 10.5);
            for (i, row) in rows.iter().enumerate() {
                let ry = table_top + 10.0 + i as f64 * REMINDER_ROW;
                page.fill(x, ry, w, RULE);
                let seq = (n * per + i + 1).to_string();
                let days = row.days.to_string();
                let cells = [&seq, &row.item, &row.title, &row.lent_on, &row.due, &days];
                for (c, (cx, cw)) in cols.iter().enumerate() {
                    let align = if c == 2 { Align::Left } else { Align::Center };
                    page.text_in(
                        cx + 1.0,
                        ry + 1.0,
                        cw - 2.0,
                        REMINDER_ROW - 2.0,
                        cells[c],
                        10.5,
                        MIN_PT,
                        align,
                    );
                }
            }
            let table_h = 10.0 + rows.len() as f64 * REMINDER_ROW;
            table_rules(page, &cols, x, table_top, w, table_h);
            if total > 1 {
                let pn = fill(&cap.page_of, &[("page", &(n + 1).to_string()), ("pages", &total.to_string())]);
                page.text_in(x, A4_H - 14.0, w, 6.0, &pn, 9.0, MIN_PT, Align::Center);
            }
            // The room's contact line and the date, signed at the bottom right.
            page.fill(x, foot_top, w, RULE);
            page.paragraph(x, foot_top + 4.0, w, 14.0, &r.contact, 11.0, 8.0);
            let date = labelled(&cap.date, &r.date);
            page.text_in(x + w * 0.5, foot_top + 22.0, w * 0.5, 8.0, &date, 12.0, MIN_PT, Align::Right);
        }
    }
    doc.save()
}

/// A4 landscape, mm.
const REG_W: f64 = 297.0;
const REG_H: f64 = 210.0;
const REG_MARGIN: f64 = 12.0;
const REG_HEAD: f64 = 20.0;
const REG_HEADER_ROW: f64 = 9.0;
const REG_ROW: f64 = 7.0;
const REG_FOOT: f64 = 9.0;
/// Columns of the register: shares of the width.
const REG_SHARES: [f64; 11] = [0.045, 0.08, 0.12, 0.15, 0.075, 0.10, 0.125, 0.075, 0.08, 0.07, 0.08];

/// Rows of the register on one page.
pub fn register_rows_per_page() -> usize {
    ((REG_H - 2.0 * REG_MARGIN - REG_HEAD - REG_HEADER_ROW - REG_FOOT) / REG_ROW).floor() as usize
}

/// The loan register: A4 landscape, the header on every page, "第 N 页 共 M 页" at the foot.
/// An empty period prints its header and an empty table.
pub fn render_register(reg: &Register, cap: &PaperCaptions) -> Result<Vec<u8>> {
    let mut doc = Doc::new(&cap.register_title)?;
    let per = register_rows_per_page();
    let chunks: Vec<&[[String; 11]]> =
        if reg.rows.is_empty() { vec![&[][..]] } else { reg.rows.chunks(per).collect() };
    let total = chunks.len();
    let x = REG_MARGIN;
    let w = REG_W - 2.0 * REG_MARGIN;
    let heads = cap.register_columns();
    let period = fill(&cap.period, &[("from", &reg.from), ("to", &reg.to)]);
    for (n, rows) in chunks.into_iter().enumerate() {
        let page = doc.page(REG_W, REG_H);
        let y = REG_MARGIN;
        page.text_in(x, y, w, 10.0, &cap.register_title, 18.0, 10.0, Align::Center);
        page.text_in(x, y + 11.0, w * 0.5, 6.0, &period, 10.5, MIN_PT, Align::Left);
        if !reg.fonds.is_empty() {
            let fonds = labelled(&cap.fonds, &reg.fonds);
            page.text_in(x + w * 0.5, y + 11.0, w * 0.5, 6.0, &fonds, 10.5, MIN_PT, Align::Right);
        }
        let top = y + REG_HEAD;
        let cols = table_head(page, x, top, w, REG_HEADER_ROW, &REG_SHARES, &heads, 9.5);
        for (i, row) in rows.iter().enumerate() {
            let ry = top + REG_HEADER_ROW + i as f64 * REG_ROW;
            page.fill(x, ry, w, RULE);
            for (c, (cx, cw)) in cols.iter().enumerate() {
                let align = if matches!(c, 3 | 6) { Align::Left } else { Align::Center };
                page.text_in(cx + 0.8, ry + 0.8, cw - 1.6, REG_ROW - 1.6, &row[c], 9.0, 6.0, align);
            }
        }
        table_rules(page, &cols, x, top, w, REG_HEADER_ROW + rows.len() as f64 * REG_ROW);
        let pn = fill(&cap.page_of, &[("page", &(n + 1).to_string()), ("pages", &total.to_string())]);
        page.text_in(x, REG_H - REG_MARGIN - 6.0, w, 6.0, &pn, 9.5, MIN_PT, Align::Center);
    }
    doc.save()
}

/// One CSV field, quoted when it must be (RFC 4180: a comma, a quote or a line break; quotes
/// doubled).
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
}

/// The loan register as CSV: UTF-8 with a byte order mark (so Excel on Chinese Windows reads
/// it as UTF-8), CRLF line ends, the captions' headers, one line per loan.
pub fn register_csv(reg: &Register, cap: &PaperCaptions) -> Vec<u8> {
    let mut out = String::from("\u{feff}");
    let line = |cells: &mut dyn Iterator<Item = &str>| {
        let mut l = cells.map(csv_field).collect::<Vec<_>>().join(",");
        l.push_str("\r\n");
        l
    };
    out.push_str(&line(&mut cap.register_columns().into_iter()));
    for row in &reg.rows {
        out.push_str(&line(&mut row.iter().map(String::as_str)));
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn csv_fields_are_quoted_as_rfc_4180_says() {
        assert_eq!(csv_field("周瑜"), "周瑜");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("说\"好\""), "\"说\"\"好\"\"\"");
        assert_eq!(csv_field("两\n行"), "\"两\n行\"");
    }

    #[test]
    fn a_box_with_many_folders_takes_a_whole_page() {
        let mut s = LoanSlip { item: "HZ0000017".into(), ..LoanSlip::default() };
        assert!(slip_is_half(&s));
        s.folders = (0..9).map(|i| (format!("KH-2026-{i:06}"), "张三".into())).collect();
        assert!(slip_is_half(&s));
        s.folders = (0..60).map(|i| (format!("KH-2026-{i:06}"), "张三".into())).collect();
        assert!(!slip_is_half(&s));
    }

    #[test]
    fn every_caption_has_a_key() {
        let keys: std::collections::BTreeSet<&str> = PaperCaptions::KEYS.iter().copied().collect();
        // 39 fields, each its own key.
        assert_eq!(keys.len(), 39);
        let c = PaperCaptions::from_translations(|k| k.to_string());
        assert_eq!(c.page_of, "papers-page-of");
    }
}
