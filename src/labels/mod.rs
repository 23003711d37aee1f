//! Barcodes and printable PDF labels on real label stocks. Pure: data in, PDF bytes out; uses
//! nothing of the crate but `model` (no database, no translations: the caller passes the
//! captions already in the user's language).
//!
//! # What the caller uses
//! - [`stocks`]`(user_dir)` lists the stocks: the built-in ones (`assets/labels/*.toml`) and
//!   those in the library's `labels/` folder (one `*.toml` per stock; same id as a built-in
//!   replaces it). [`find_stock`] picks one by id. A stock whose labels do not fit its page is
//!   refused (`label-stock-too-wide` / `-too-tall`, naming the stock and by how many mm).
//! - [`render`]`(items, stock, options)` draws every item, in order, onto as many pages as it
//!   takes and returns one PDF. Each [`LabelItem`] is one label (a box's spine or front, a
//!   folder, a location), one A4 cover sheet, or a dossier's contents list (卷内目录, over as
//!   many pages as its rows need, header repeated, then its 备考表 page). A kind the stock is
//!   not meant for is refused (`label-kind-unsuited`).
//! - [`PrintOptions`]: `start` (1-based position of the first label on the first sheet, to use
//!   up a partly used sheet: `--start 4` skips three used labels), the printer's calibration
//!   offsets in mm, and the [`Captions`] (zh-CN by default; [`Captions::from_translations`]
//!   fills them from the `labels-caption-*` keys of `assets/i18n/<lang>/labels.ftl`).
//!
//! - [`loans`]: the lending desk's A4 papers (loan slip, overdue reminder, loan register and
//!   its CSV), drawn with the same fitting and barcodes.
//!
//! # What is printed
//! Every barcode is Code128 (printable ASCII, digit runs packed), drawn as vector rectangles
//! with 10-module quiet zones and its text under it, and refused rather than printed too
//! narrow to scan (`label-barcode-too-long`). Text is measured with the bundled font's advance
//! widths (Noto Sans CJK SC, embedded as a subset) and never leaves its box: a long field first
//! shrinks, down to a minimum size, then is cut with an ellipsis (…).
//!
//! # The cover sheet's QR code
//! The QR code of a cover sheet holds `DOSSIER` or `DOSSIER|TYPE`: the dossier number, then,
//! if the pages are to be filed under a document type, `|` and that type's code (neither may
//! contain `|`). [`cover_payload`] writes it and [`parse_cover_payload`] reads it back; the
//! Code128 on the same sheet holds the dossier number alone, so `where` resolves it.

pub mod barcode;
mod draw;
mod kinds;
pub mod loans;
mod stock;

use printpdf::{PdfDocument, PdfPage, PdfSaveOptions};

pub use draw::{PreviewPage, Shape};
pub use kinds::{
    BorrowerCard, BoxLabel, Captions, ContentsList, ContentsRow, CoverSheet, FolderLabel, LocationLabel,
    Remarks,
};
pub use stock::{LabelKind, Stock, StockKind, StockSource, find_stock, stocks};

use crate::model::error::{Error, Result};

/// Thickness of the cutting line round each spine strip, mm.
const CUT_LINE_MM: f64 = 0.1;

/// The largest calibration offset accepted, in mm (more is a wrong setting, not a printer).
pub const MAX_OFFSET_MM: f64 = 20.0;

/// One thing to print.
#[derive(Debug, Clone, PartialEq)]
pub enum LabelItem {
    /// A box's spine strip (DA/T 22-2015 fields, barcode along the strip).
    BoxSpine(BoxLabel),
    /// A box's front label (the same fields in a table, barcode under it).
    BoxFront(BoxLabel),
    Folder(FolderLabel),
    Location(LocationLabel),
    /// A borrower's card (借阅证) with the card number's barcode.
    Borrower(BorrowerCard),
    /// The A4 barcode sheet put in front of a dossier's pages when they are scanned.
    Cover(CoverSheet),
    /// A dossier's in-volume contents list and its 备考表, A4.
    Contents(ContentsList),
}

impl LabelItem {
    pub fn kind(&self) -> LabelKind {
        match self {
            LabelItem::BoxSpine(_) => LabelKind::BoxSpine,
            LabelItem::BoxFront(_) => LabelKind::BoxFront,
            LabelItem::Folder(_) => LabelKind::Folder,
            LabelItem::Location(_) => LabelKind::Location,
            LabelItem::Borrower(_) => LabelKind::Borrower,
            LabelItem::Cover(_) => LabelKind::Cover,
            LabelItem::Contents(_) => LabelKind::Contents,
        }
    }
}

/// How to print.
#[derive(Debug, Clone, PartialEq)]
pub struct PrintOptions {
    /// Position of the first label on the first page, from 1 (row by row, left to right).
    pub start: u32,
    /// Calibration: moves everything right (x) and down (y) by this many mm.
    pub offset_x_mm: f64,
    pub offset_y_mm: f64,
    pub captions: Captions,
}

impl Default for PrintOptions {
    fn default() -> Self {
        PrintOptions { start: 1, offset_x_mm: 0.0, offset_y_mm: 0.0, captions: Captions::default() }
    }
}

/// The QR payload of a cover sheet: `DOSSIER` or `DOSSIER|TYPE` (see the module doc).
pub fn cover_payload(dossier: &str, doc_type: Option<&str>) -> String {
    match doc_type.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => format!("{}|{t}", dossier.trim()),
        None => dossier.trim().to_string(),
    }
}

/// The dossier number and document type code a cover sheet's QR payload names.
pub fn parse_cover_payload(payload: &str) -> Option<(String, Option<String>)> {
    let mut parts = payload.trim().split('|');
    let dossier = parts.next().map(str::trim).filter(|d| !d.is_empty())?.to_string();
    let doc_type = parts.next().map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
    if parts.next().is_some() {
        return None;
    }
    Some((dossier, doc_type))
}

/// Checks a job before anything is drawn: the stock fits its page and suits every item, the
/// start position and offsets are possible, every code prints.
fn check_job(items: &[LabelItem], stock: &Stock, options: &PrintOptions) -> Result<()> {
    stock.validate()?;
    if items.is_empty() {
        return Err(Error::usage("label-nothing-to-print"));
    }
    if let Some(item) = items.iter().find(|i| !stock.suits(i.kind())) {
        let suits: Vec<&str> = stock.suits.iter().map(|k| k.code()).collect();
        return Err(Error::usage("label-kind-unsuited")
            .arg("kind", format!("labels-kind-{}", item.kind().code()))
            .arg("stock", &stock.id)
            .arg("suits", suits.join(", ")));
    }
    let per_page = stock.per_page();
    if options.start == 0 || options.start > per_page {
        return Err(Error::usage("label-start-out-of-range")
            .arg("start", options.start)
            .arg("max", per_page)
            .arg("stock", &stock.id));
    }
    for v in [options.offset_x_mm, options.offset_y_mm] {
        if !v.is_finite() || v.abs() > MAX_OFFSET_MM {
            return Err(Error::usage("label-offset-out-of-range")
                .arg("offset", format!("{v:.1}"))
                .arg("max", MAX_OFFSET_MM));
        }
    }
    // Validate every code before drawing anything: one bad item refuses the whole batch.
    for item in items {
        kinds::check(item)?;
    }
    Ok(())
}

/// Lays every item out on as many pages as it takes (at most `max_pages`), each page holding
/// both its PDF operations and the same drawing as shapes (for an on-screen preview).
fn layout(
    items: &[LabelItem],
    stock: &Stock,
    options: &PrintOptions,
    font_id: printpdf::FontId,
    max_pages: usize,
) -> Result<Vec<draw::Page>> {
    let measure = draw::Measure::new()?;
    let per_page = stock.per_page();
    let offset = (options.offset_x_mm, options.offset_y_mm);
    let new_page = || draw::Page::new(stock.page_height_mm, offset, font_id.clone(), measure);
    let mut pages = Vec::new();
    let mut page = new_page();
    let mut slot = options.start - 1;
    for item in items {
        for part in 0..kinds::parts(item, stock) {
            if slot == per_page {
                pages.push(std::mem::replace(&mut page, new_page()));
                if pages.len() >= max_pages {
                    return Ok(pages);
                }
                slot = 0;
            }
            let (x, y) = stock.cell_origin(slot);
            let p = stock.padding_mm;
            let cell = kinds::Cell {
                x: x + p,
                y: y + p,
                w: stock.label_width_mm - 2.0 * p,
                h: stock.label_height_mm - 2.0 * p,
            };
            if stock.kind == StockKind::Spine {
                // Strips are cut apart by hand: a hairline on the cutting line.
                page.frame(x, y, stock.label_width_mm, stock.label_height_mm, CUT_LINE_MM);
            }
            kinds::draw(&mut page, item, part, cell, &options.captions)?;
            slot += 1;
        }
    }
    pages.push(page);
    Ok(pages)
}

/// The first `max_pages` pages of a job as shapes in mm, for an on-screen preview: exactly
/// what [`render`] prints (the same layout, fitting and barcodes).
pub fn preview(
    items: &[LabelItem],
    stock: &Stock,
    options: &PrintOptions,
    max_pages: usize,
) -> Result<Vec<PreviewPage>> {
    check_job(items, stock, options)?;
    let mut doc = PdfDocument::new(&options.captions.document_title);
    let font_id = doc.add_font(draw::font()?);
    let slots = (options.start - 1) as usize + items.iter().map(|i| kinds::parts(i, stock)).sum::<usize>();
    let of_pages = slots.div_ceil(stock.per_page().max(1) as usize).max(1);
    Ok(layout(items, stock, options, font_id, max_pages.max(1))?
        .into_iter()
        .map(|p| PreviewPage {
            width_mm: stock.page_width_mm,
            height_mm: stock.page_height_mm,
            cells: (0..stock.per_page())
                .map(|i| {
                    let (x, y) = stock.cell_origin(i);
                    [x, y, stock.label_width_mm, stock.label_height_mm]
                })
                .collect(),
            of_pages,
            shapes: p.shapes,
        })
        .collect())
}

/// Draws `items` on `stock` and returns the PDF.
pub fn render(items: &[LabelItem], stock: &Stock, options: &PrintOptions) -> Result<Vec<u8>> {
    check_job(items, stock, options)?;
    let mut doc = PdfDocument::new(&options.captions.document_title);
    let font_id = doc.add_font(draw::font()?);
    let pages: Vec<PdfPage> = layout(items, stock, options, font_id, usize::MAX)?
        .into_iter()
        .map(|p| PdfPage::new(mm(stock.page_width_mm), mm(stock.page_height_mm), p.ops))
        .collect();

    let mut warnings = Vec::new();
    let save = PdfSaveOptions { subset_fonts: true, ..PdfSaveOptions::default() };
    let bytes = doc.with_pages(pages).save(&save, &mut warnings);
    for w in warnings.iter().filter(|w| w.severity == printpdf::PdfParseErrorSeverity::Error) {
        tracing::warn!(page = w.page, msg = %w.msg, "the PDF writer reported a problem");
    }
    if bytes.is_empty() {
        return Err(Error::failed("label-pdf-failed"));
    }
    Ok(bytes)
}

fn mm(v: f64) -> printpdf::Mm {
    printpdf::Mm(v as f32)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_cover_payload_reads_back() {
        assert_eq!(cover_payload("KH-2026-000001", Some("ID")), "KH-2026-000001|ID");
        assert_eq!(cover_payload("KH-2026-000001", None), "KH-2026-000001");
        assert_eq!(
            parse_cover_payload("KH-2026-000001|ID"),
            Some(("KH-2026-000001".into(), Some("ID".into())))
        );
        assert_eq!(parse_cover_payload("KH-2026-000001"), Some(("KH-2026-000001".into(), None)));
        assert_eq!(parse_cover_payload("a|b|c"), None);
        assert_eq!(parse_cover_payload("|ID"), None);
    }

    #[test]
    fn a_preview_is_the_printed_layout_and_counts_every_page() {
        let stock = find_stock(None, "a4-3x7").unwrap();
        let items: Vec<LabelItem> = (0..25)
            .map(|i| {
                LabelItem::Folder(FolderLabel {
                    dossier: format!("KH-2026-{i:06}"),
                    name: "欧阳娜娜".into(),
                    category: "居民".into(),
                })
            })
            .collect();
        let options = PrintOptions { start: 20, ..PrintOptions::default() };
        let pages = preview(&items, &stock, &options, 2).unwrap();
        // 19 used + 25 labels on sheets of 21: three pages, the first two previewed.
        assert_eq!(pages.len(), 2);
        assert_eq!(pages[0].of_pages, 3);
        assert_eq!(pages[0].cells.len(), 21);
        let texts = |p: &PreviewPage| {
            p.shapes
                .iter()
                .filter_map(|s| if let Shape::Text { text, .. } = s { Some(text.clone()) } else { None })
                .collect::<Vec<_>>()
        };
        // Positions 20 and 21 of the first sheet: two labels; the second sheet is full.
        assert_eq!(texts(&pages[0]).iter().filter(|t| t.starts_with("KH-")).count(), 2);
        assert_eq!(texts(&pages[1]).iter().filter(|t| t.starts_with("KH-")).count(), 21);
        assert!(pages[0].shapes.iter().any(|s| matches!(s, Shape::Rect { .. })), "the barcodes' bars");
    }
}
