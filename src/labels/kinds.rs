//! The label kinds: their data, their captions and how each is laid out in its cell.

use super::draw::{Align, MM_PER_PT, Page};
use super::{LabelItem, Stock, barcode, cover_payload};
use crate::model::error::{Error, Result};

/// A box (档案盒): the DA/T 22-2015 fields as they are to be printed, and its barcode.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BoxLabel {
    /// 全宗号
    pub fonds: String,
    /// 年度
    pub year: String,
    /// 保管期限, as the user reads it (永久, 30年…)
    pub retention: String,
    /// 起止件号, e.g. `0001–0025` (empty for an empty box: a blank to fill by hand)
    pub item_range: String,
    /// 盒号
    pub box_no: String,
    /// The box's barcode (Code128).
    pub code: String,
    /// Where the box belongs, e.g. `档案室A/1排/3列/2层`.
    pub location: Option<String>,
}

/// A dossier's paper folder.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FolderLabel {
    /// The dossier number, also the barcode.
    pub dossier: String,
    pub name: String,
    /// The category's name (or path).
    pub category: String,
}

/// A place: room, rack, shelf…
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LocationLabel {
    /// `档案室A/1排/3列/2层`
    pub path: String,
    /// The location's barcode.
    pub code: String,
}

/// A borrower's card (借阅证): the desk scans its barcode before the items lent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BorrowerCard {
    /// The card number (JY…), also the barcode.
    pub code: String,
    pub name: String,
    /// The department or outside unit.
    pub org: String,
}

/// The sheet scanned in front of a dossier's pages (see the module doc for its QR payload).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CoverSheet {
    pub dossier: String,
    pub name: String,
    /// The document type to file the pages under: (code, name), or none for "sort by hand".
    pub doc_type: Option<(String, String)>,
}

/// One line of the contents list (卷内目录).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContentsRow {
    /// 顺序号
    pub seq: String,
    /// 文号
    pub doc_no: String,
    /// 责任者
    pub author: String,
    /// 题名
    pub title: String,
    /// 日期
    pub date: String,
    /// 页号
    pub pages: String,
}

/// The 备考表 of a dossier.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Remarks {
    /// 本卷情况说明
    pub note: String,
    /// 立卷人
    pub filed_by: String,
    /// 检查人
    pub checked_by: String,
    /// 立卷时间
    pub filed_on: String,
}

/// A dossier's contents list and 备考表.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContentsList {
    pub dossier: String,
    pub name: String,
    pub rows: Vec<ContentsRow>,
    pub remarks: Remarks,
}

/// The words printed on labels, in the user's language. `Default` is zh-CN.
#[derive(Debug, Clone, PartialEq)]
pub struct Captions {
    pub document_title: String,
    pub fonds: String,
    pub year: String,
    pub retention: String,
    pub item_range: String,
    pub box_no: String,
    pub location: String,
    pub box_title: String,
    pub category: String,
    pub cover_title: String,
    pub dossier: String,
    pub customer: String,
    pub doc_type: String,
    pub any_doc_type: String,
    pub cover_instruction: String,
    pub contents_title: String,
    pub seq: String,
    pub doc_no: String,
    pub author: String,
    pub title: String,
    pub date: String,
    pub pages: String,
    pub remarks_title: String,
    pub remarks_note: String,
    pub filed_by: String,
    pub checked_by: String,
    pub filed_on: String,
    pub borrower_card: String,
}

impl Default for Captions {
    fn default() -> Self {
        let s = |t: &str| t.to_string();
        Captions {
            document_title: s("档案标签"),
            fonds: s("全宗号"),
            year: s("年度"),
            retention: s("保管期限"),
            item_range: s("起止件号"),
            box_no: s("盒号"),
            location: s("存放位置"),
            box_title: s("档案盒"),
            category: s("类别"),
            cover_title: s("档案扫描封面"),
            dossier: s("档案号"),
            customer: s("户名"),
            doc_type: s("资料类型"),
            any_doc_type: s("未指定（扫描后分拣）"),
            cover_instruction: s("扫描时请将本页放在该户文件最前面"),
            contents_title: s("卷内目录"),
            seq: s("顺序号"),
            doc_no: s("文号"),
            author: s("责任者"),
            title: s("题名"),
            date: s("日期"),
            pages: s("页号"),
            remarks_title: s("卷内备考表"),
            remarks_note: s("本卷情况说明"),
            filed_by: s("立卷人"),
            checked_by: s("检查人"),
            filed_on: s("立卷时间"),
            borrower_card: s("借阅证"),
        }
    }
}

impl Captions {
    /// The translation keys of the captions, in field order (`assets/i18n/*/labels.ftl`).
    pub const KEYS: [&'static str; 28] = [
        "labels-caption-document-title",
        "labels-caption-fonds",
        "labels-caption-year",
        "labels-caption-retention",
        "labels-caption-item-range",
        "labels-caption-box-no",
        "labels-caption-location",
        "labels-caption-box-title",
        "labels-caption-category",
        "labels-caption-cover-title",
        "labels-caption-dossier",
        "labels-caption-customer",
        "labels-caption-doc-type",
        "labels-caption-any-doc-type",
        "labels-caption-cover-instruction",
        "labels-caption-contents-title",
        "labels-caption-seq",
        "labels-caption-doc-no",
        "labels-caption-author",
        "labels-caption-title",
        "labels-caption-date",
        "labels-caption-pages",
        "labels-caption-remarks-title",
        "labels-caption-remarks-note",
        "labels-caption-filed-by",
        "labels-caption-checked-by",
        "labels-caption-filed-on",
        "labels-caption-borrower-card",
    ];

    /// The captions from a translation lookup (`|key| tr.t(key)`), key by key ([`Self::KEYS`]).
    pub fn from_translations(lookup: impl Fn(&str) -> String) -> Captions {
        let mut v = Captions::KEYS.iter().map(|k| lookup(k));
        let mut next = || v.next().unwrap_or_default();
        Captions {
            document_title: next(),
            fonds: next(),
            year: next(),
            retention: next(),
            item_range: next(),
            box_no: next(),
            location: next(),
            box_title: next(),
            category: next(),
            cover_title: next(),
            dossier: next(),
            customer: next(),
            doc_type: next(),
            any_doc_type: next(),
            cover_instruction: next(),
            contents_title: next(),
            seq: next(),
            doc_no: next(),
            author: next(),
            title: next(),
            date: next(),
            pages: next(),
            remarks_title: next(),
            remarks_note: next(),
            filed_by: next(),
            checked_by: next(),
            filed_on: next(),
            borrower_card: next(),
        }
    }
}

/// The printable area of one label (padding already taken off), mm from the page's top left.
#[derive(Debug, Clone, Copy)]
pub struct Cell {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Cell {
    /// The horizontal band from `top` to `bottom`, as fractions of the height.
    fn band(&self, top: f64, bottom: f64) -> Cell {
        Cell { x: self.x, y: self.y + self.h * top, w: self.w, h: self.h * (bottom - top) }
    }
}

/// Widest barcode module on small labels and on the cover sheet, mm.
const LABEL_MODULE: f64 = 2.0 * super::draw::GRID_MM;
const COVER_MODULE: f64 = 3.0 * super::draw::GRID_MM;
/// Thickness of table rules, mm.
const RULE: f64 = 0.25;
/// Smallest text on a label, points (about 2.1 mm for a Chinese character).
const MIN_PT: f64 = 6.0;

/// Refuses an item whose codes cannot be printed, before anything is drawn.
pub fn check(item: &LabelItem) -> Result<()> {
    match item {
        LabelItem::BoxSpine(b) | LabelItem::BoxFront(b) => barcode::code128(&b.code).map(drop),
        LabelItem::Folder(f) => barcode::code128(&f.dossier).map(drop),
        LabelItem::Location(l) => barcode::code128(&l.code).map(drop),
        LabelItem::Borrower(b) => barcode::code128(&b.code).map(drop),
        LabelItem::Cover(c) => {
            barcode::code128(&c.dossier)?;
            let code = c.doc_type.as_ref().map(|(code, _)| code.as_str());
            if c.dossier.contains('|') || code.is_some_and(|t| t.contains('|')) {
                return Err(
                    Error::usage("label-code-unprintable").arg("code", cover_payload(&c.dossier, code))
                );
            }
            barcode::qr(&cover_payload(&c.dossier, code)).map(drop)
        }
        LabelItem::Contents(_) => Ok(()),
    }
}

/// Rows of the contents list on one page of height `h` (the inner height of an A4 cell).
fn contents_rows_per_page(h: f64) -> usize {
    (((h - CONTENTS_HEAD - CONTENTS_HEADER_ROW - CONTENTS_FOOT) / CONTENTS_ROW).floor() as usize).max(1)
}

const CONTENTS_HEAD: f64 = 22.0;
const CONTENTS_HEADER_ROW: f64 = 10.0;
const CONTENTS_ROW: f64 = 8.0;
const CONTENTS_FOOT: f64 = 8.0;

/// How many cells (labels or pages) the item takes on this stock.
pub fn parts(item: &LabelItem, stock: &Stock) -> usize {
    match item {
        LabelItem::Contents(c) => {
            let per = contents_rows_per_page(stock.label_height_mm - 2.0 * stock.padding_mm);
            c.rows.len().div_ceil(per).max(1) + 1
        }
        _ => 1,
    }
}

/// Draws part `part` of `item` into `cell`.
pub fn draw(page: &mut Page, item: &LabelItem, part: usize, cell: Cell, cap: &Captions) -> Result<()> {
    match item {
        LabelItem::Folder(f) => folder(page, f, cell),
        LabelItem::Location(l) => location(page, l, cell),
        LabelItem::Borrower(b) => borrower_card(page, b, cell, cap),
        LabelItem::BoxFront(b) => box_front(page, b, cell, cap),
        LabelItem::BoxSpine(b) => box_spine(page, b, cell, cap),
        LabelItem::Cover(c) => cover(page, c, cell, cap),
        LabelItem::Contents(c) => {
            let per = contents_rows_per_page(cell.h);
            let pages = c.rows.len().div_ceil(per).max(1);
            if part < pages {
                contents(page, c, part, pages, per, cell, cap);
            } else {
                remarks(page, c, cell, cap);
            }
            Ok(())
        }
    }
}

/// A horizontal barcode in `band` with its code printed under it (the lower quarter).
fn barcode_with_text(page: &mut Page, code: &str, band: Cell, max_module: f64, text_pt: f64) -> Result<()> {
    let text_h = (band.h * 0.28).min(text_pt * MM_PER_PT * 1.3);
    page.code128(band.x, band.y, band.w, band.h - text_h, code, max_module)?;
    page.text_in(band.x, band.y + band.h - text_h, band.w, text_h, code, text_pt, MIN_PT, Align::Center);
    Ok(())
}

fn folder(page: &mut Page, f: &FolderLabel, c: Cell) -> Result<()> {
    let name = c.band(0.0, 0.30);
    page.text_in(name.x, name.y, name.w, name.h, &f.name, 18.0, 7.0, Align::Left);
    let cat = c.band(0.30, 0.44);
    page.text_in(cat.x, cat.y, cat.w, cat.h, &f.category, 9.0, MIN_PT, Align::Left);
    barcode_with_text(page, &f.dossier, c.band(0.47, 1.0), LABEL_MODULE, 10.0)
}

fn location(page: &mut Page, l: &LocationLabel, c: Cell) -> Result<()> {
    let path = c.band(0.0, 0.34);
    page.text_in(path.x, path.y, path.w, path.h, &l.path, 16.0, 7.0, Align::Left);
    barcode_with_text(page, &l.code, c.band(0.40, 1.0), LABEL_MODULE, 10.0)
}

fn borrower_card(page: &mut Page, b: &BorrowerCard, c: Cell, cap: &Captions) -> Result<()> {
    let head = c.band(0.0, 0.14);
    page.text_in(head.x, head.y, head.w, head.h, &cap.borrower_card, 8.0, MIN_PT, Align::Left);
    let name = c.band(0.14, 0.40);
    page.text_in(name.x, name.y, name.w, name.h, &b.name, 16.0, 7.0, Align::Left);
    let org = c.band(0.40, 0.52);
    page.text_in(org.x, org.y, org.w, org.h, &b.org, 9.0, MIN_PT, Align::Left);
    barcode_with_text(page, &b.code, c.band(0.55, 1.0), LABEL_MODULE, 10.0)
}

/// A table cell: its caption on the left third, its value beside it.
fn field(page: &mut Page, at: Cell, caption: &str, value: &str, value_pt: f64) {
    let Cell { x, y, w, h } = at;
    page.frame(x, y, w, h, RULE);
    let pad = 1.0;
    let cw = (w * 0.38).min(22.0);
    page.fill(x + cw, y, RULE, h);
    page.text_in(x + pad, y + pad, cw - 2.0 * pad, h - 2.0 * pad, caption, 9.0, MIN_PT, Align::Center);
    page.text_in(
        x + cw + pad,
        y + pad,
        w - cw - 2.0 * pad,
        h - 2.0 * pad,
        value,
        value_pt,
        MIN_PT,
        Align::Center,
    );
}

fn box_front(page: &mut Page, b: &BoxLabel, c: Cell, cap: &Captions) -> Result<()> {
    let title = c.band(0.0, 0.12);
    page.text_in(title.x, title.y, title.w, title.h, &cap.box_title, 14.0, 7.0, Align::Center);
    // Two fields a row; the location, when there is one, gets a row of its own (paths are long).
    let pairs = [
        (&cap.fonds, b.fonds.as_str(), &cap.year, b.year.as_str()),
        (&cap.retention, b.retention.as_str(), &cap.box_no, b.box_no.as_str()),
    ];
    let table = c.band(0.13, 0.64);
    let rows = if b.location.is_some() { 4.0 } else { 3.0 };
    let (half, fh) = (table.w / 2.0, table.h / rows);
    for (i, (c1, v1, c2, v2)) in pairs.iter().enumerate() {
        let y = table.y + i as f64 * fh;
        field(page, Cell { x: table.x, y, w: half, h: fh }, c1, v1, 12.0);
        field(page, Cell { x: table.x + half, y, w: half, h: fh }, c2, v2, 12.0);
    }
    let y = table.y + 2.0 * fh;
    field(page, Cell { x: table.x, y, w: table.w, h: fh }, &cap.item_range, &b.item_range, 12.0);
    if let Some(loc) = &b.location {
        field(page, Cell { x: table.x, y: y + fh, w: table.w, h: fh }, &cap.location, loc, 11.0);
    }
    barcode_with_text(page, &b.code, c.band(0.68, 1.0), LABEL_MODULE, 10.0)
}

fn box_spine(page: &mut Page, b: &BoxLabel, c: Cell, cap: &Captions) -> Result<()> {
    // From the top: the five DA/T 22 fields, each a caption over its value; then the location
    // reading down the strip; the barcode at the bottom, bars across, its text beside it.
    let value_pt = (c.w / MM_PER_PT * 0.42).clamp(10.0, 26.0);
    let caption_h = 7.0;
    let value_h = (value_pt * MM_PER_PT * 1.6).max(12.0);
    let fields = [
        (&cap.fonds, &b.fonds),
        (&cap.year, &b.year),
        (&cap.retention, &b.retention),
        (&cap.item_range, &b.item_range),
        (&cap.box_no, &b.box_no),
    ];
    let mut y = c.y;
    for (caption, value) in fields {
        let h = caption_h + value_h;
        page.frame(c.x, y, c.w, h, RULE);
        page.fill(c.x, y + caption_h, c.w, RULE);
        page.text_in(c.x + 1.0, y + 0.8, c.w - 2.0, caption_h - 1.6, caption, 10.0, 5.0, Align::Center);
        let (vx, vy, vw, vh) = (c.x + 1.0, y + caption_h + 1.0, c.w - 2.0, value_h - 2.0);
        // On a narrow strip a range (0001–0025) goes on two lines rather than in tiny type.
        let fitted = page.measure.fit(value, vw, value_pt, MIN_PT).1;
        match value.find(['–', '-', '~', '—']) {
            Some(i) if fitted < value_pt * 0.7 && i > 0 => {
                let (first, rest) = value.split_at(i);
                let (dash, second) = rest.split_at(rest.chars().next().map_or(0, char::len_utf8));
                let line_pt = value_pt.min(vh / 2.0 / MM_PER_PT);
                let first = format!("{first}{dash}");
                page.text_in(vx, vy, vw, vh / 2.0, &first, line_pt, MIN_PT, Align::Center);
                page.text_in(vx, vy + vh / 2.0, vw, vh / 2.0, second, line_pt, MIN_PT, Align::Center);
            }
            _ => {
                page.text_in(vx, vy, vw, vh, value, value_pt, MIN_PT, Align::Center);
            }
        }
        y += h - RULE;
    }
    let bottom = c.y + c.h;
    let code_len = Page::code128_length(&b.code, LABEL_MODULE)?.min(bottom - y - 10.0);
    let barcode_top = bottom - code_len;
    if let Some(loc) = &b.location {
        let (top, h) = (y + 4.0, barcode_top - y - 8.0);
        if h > 10.0 {
            page.text_in_column(c.x, top, c.w, h, loc, (c.w / MM_PER_PT * 0.45).clamp(8.0, 20.0), MIN_PT);
        }
    }
    let text_w = (c.w * 0.3).min(5.0);
    page.code128_rotated(c.x, barcode_top, c.w - text_w - 0.5, code_len, &b.code, LABEL_MODULE)?;
    page.text_in_rotated(c.x + c.w - text_w, barcode_top, text_w, code_len, &b.code, 10.0, 5.0);
    Ok(())
}

fn cover(page: &mut Page, s: &CoverSheet, c: Cell, cap: &Captions) -> Result<()> {
    let mut y = c.y;
    page.text_in(c.x, y, c.w, 14.0, &cap.cover_title, 24.0, 10.0, Align::Center);
    y += 20.0;
    let bar_w = Page::code128_length(&s.dossier, COVER_MODULE)?.min(c.w);
    page.code128(c.x + (c.w - bar_w) / 2.0, y, bar_w, 28.0, &s.dossier, COVER_MODULE)?;
    y += 30.0;
    page.text_in(c.x, y, c.w, 14.0, &s.dossier, 30.0, 10.0, Align::Center);
    y += 22.0;
    page.text_in(c.x, y, c.w, 22.0, &s.name, 48.0, 12.0, Align::Center);
    y += 30.0;
    let line = |caption: &str, value: &str| format!("{caption}：{value}");
    page.text_in(c.x, y, c.w, 10.0, &line(&cap.dossier, &s.dossier), 18.0, 9.0, Align::Center);
    y += 14.0;
    let doc_type = s.doc_type.as_ref().map_or(cap.any_doc_type.as_str(), |(_, name)| name.as_str());
    page.text_in(c.x, y, c.w, 12.0, &line(&cap.doc_type, doc_type), 22.0, 9.0, Align::Center);
    y += 20.0;
    let side = 60.0_f64.min(c.y + c.h - y - 24.0).max(30.0);
    let code = s.doc_type.as_ref().map(|(code, _)| code.as_str());
    page.qr(c.x + (c.w - side) / 2.0, y, side, &cover_payload(&s.dossier, code))?;
    let foot = c.y + c.h - 16.0;
    page.fill(c.x, foot - 2.0, c.w, RULE);
    page.text_in(c.x, foot, c.w, 12.0, &cap.cover_instruction, 16.0, 8.0, Align::Center);
    Ok(())
}

/// The header of a contents or remarks page: title, then dossier number and name.
fn page_head(page: &mut Page, title: &str, list: &ContentsList, c: Cell, cap: &Captions) {
    page.text_in(c.x, c.y, c.w, 11.0, title, 20.0, 10.0, Align::Center);
    let left = format!("{}：{}", cap.dossier, list.dossier);
    let right = format!("{}：{}", cap.customer, list.name);
    page.text_in(c.x, c.y + 13.0, c.w * 0.5, 7.0, &left, 11.0, MIN_PT, Align::Left);
    page.text_in(c.x + c.w * 0.5, c.y + 13.0, c.w * 0.5, 7.0, &right, 11.0, MIN_PT, Align::Right);
}

fn contents(
    page: &mut Page,
    list: &ContentsList,
    part: usize,
    pages: usize,
    per: usize,
    c: Cell,
    cap: &Captions,
) {
    page_head(page, &cap.contents_title, list, c, cap);
    // Column widths as shares of the table: 顺序号, 文号, 责任者, 题名, 日期, 页号.
    let shares = [0.08, 0.17, 0.16, 0.37, 0.13, 0.09];
    let headers = [&cap.seq, &cap.doc_no, &cap.author, &cap.title, &cap.date, &cap.pages];
    let top = c.y + CONTENTS_HEAD;
    let rows = list.rows.iter().skip(part * per).take(per).collect::<Vec<_>>();
    let table_h = CONTENTS_HEADER_ROW + per as f64 * CONTENTS_ROW;
    page.frame(c.x, top, c.w, table_h, RULE);
    let mut x = c.x;
    let xs: Vec<(f64, f64)> = shares
        .iter()
        .map(|s| {
            let w = c.w * s;
            let at = (x, w);
            x += w;
            at
        })
        .collect();
    for (i, (cx, cw)) in xs.iter().enumerate() {
        if i > 0 {
            page.fill(*cx, top, RULE, table_h);
        }
        page.text_in(
            cx + 0.8,
            top + 1.0,
            cw - 1.6,
            CONTENTS_HEADER_ROW - 2.0,
            headers[i],
            10.0,
            MIN_PT,
            Align::Center,
        );
    }
    for r in 0..per {
        let y = top + CONTENTS_HEADER_ROW + r as f64 * CONTENTS_ROW;
        page.fill(c.x, y, c.w, RULE);
        let Some(row) = rows.get(r) else { continue };
        let cells = [&row.seq, &row.doc_no, &row.author, &row.title, &row.date, &row.pages];
        for (i, (cx, cw)) in xs.iter().enumerate() {
            let align = if i == 3 { Align::Left } else { Align::Center };
            page.text_in(cx + 1.0, y + 1.0, cw - 2.0, CONTENTS_ROW - 2.0, cells[i], 9.0, 5.5, align);
        }
    }
    let foot = format!("{} / {}", part + 1, pages);
    page.text_in(c.x, c.y + c.h - 6.0, c.w, 6.0, &foot, 9.0, MIN_PT, Align::Center);
}

fn remarks(page: &mut Page, list: &ContentsList, c: Cell, cap: &Captions) {
    let r = &list.remarks;
    page_head(page, &cap.remarks_title, list, c, cap);
    let top = c.y + CONTENTS_HEAD;
    let sign_h = 12.0;
    let box_h = (c.h - CONTENTS_HEAD - 3.0 * sign_h - CONTENTS_FOOT).max(40.0);
    page.frame(c.x, top, c.w, box_h, RULE);
    page.text_in(c.x + 3.0, top + 2.0, c.w - 6.0, 8.0, &cap.remarks_note, 12.0, MIN_PT, Align::Left);
    page.paragraph(c.x + 6.0, top + 12.0, c.w - 12.0, box_h - 16.0, &r.note, 11.0, 7.0);
    let mut y = top + box_h + 2.0;
    for (caption, value) in
        [(&cap.filed_by, &r.filed_by), (&cap.checked_by, &r.checked_by), (&cap.filed_on, &r.filed_on)]
    {
        let cw = 40.0_f64.min(c.w * 0.3);
        page.text_in(
            c.x + c.w * 0.35,
            y,
            cw,
            sign_h - 2.0,
            &format!("{caption}："),
            12.0,
            MIN_PT,
            Align::Right,
        );
        let vx = c.x + c.w * 0.35 + cw + 2.0;
        let vw = c.x + c.w - vx;
        page.text_in(vx, y, vw, sign_h - 2.0, value, 12.0, MIN_PT, Align::Left);
        page.fill(vx, y + sign_h - 2.5, vw, RULE);
        y += sign_h;
    }
}
