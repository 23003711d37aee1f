//! Printing labels: gathers what each label shows from the library (boxes, folders, locations,
//! cover sheets, contents lists), picks the stock (built in, or the library's `labels/`
//! folder), applies the printer's calibration, and hands it all to `crate::labels` for the PDF.
//!
//! Every barcode printed is a code `where` resolves: a box code, a location code, a dossier
//! number.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::core::session::{Change, Session, to_json};
use crate::labels::{
    self, BorrowerCard, BoxLabel, ContentsList, ContentsRow, CoverSheet, FolderLabel, LabelItem,
    LocationLabel, PrintOptions, Remarks, Stock,
};
pub use crate::labels::{Captions, PreviewPage, Shape};
use crate::model::error::{Error, Result};
use crate::model::permission::Permission;
use crate::model::storage::BoxInfo;
use crate::store::{self, storage as sdb};

/// The meta key of the printers' calibration offsets.
const PRINTERS_KEY: &str = "labels.printers";
/// At most this many labels in one PDF.
pub const MAX_LABELS: usize = 20_000;

/// What to print labels for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LabelKind {
    BoxSpine,
    BoxFront,
    Folder,
    Cover,
    Location,
    Contents,
    /// A borrower's card (借阅证).
    Borrower,
}

/// Which items: codes given, and/or everything a selector names.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LabelSelection {
    /// Box codes, dossier numbers or location paths/codes, per kind.
    pub items: Vec<String>,
    /// Every box that belongs under this location (box labels), every location under it
    /// (location labels).
    pub under: Option<String>,
    /// Every dossier filed on this day (folder labels, covers, contents lists).
    pub filed_on: Option<String>,
    /// Every dossier in this box (folder labels, covers, contents lists).
    pub in_box: Option<String>,
}

/// A printer's calibration: everything moves right by `x` and down by `y` mm.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    pub x_mm: f64,
    pub y_mm: f64,
}

/// A print job.
#[derive(Debug, Clone)]
pub struct LabelJob {
    pub kind: LabelKind,
    pub selection: LabelSelection,
    pub stock: String,
    /// 1-based position of the first label on the first sheet.
    pub start: u32,
    /// A calibrated printer's name (its offsets are added to the ones below).
    pub printer: Option<String>,
    pub offset: Calibration,
    /// The document type a cover sheet routes pages to (code or name).
    pub doc_type: Option<String>,
    /// Captions in the user's language (from the front end's translations).
    pub captions: labels::Captions,
    /// The 备考表's 本卷情况说明, with `{docs}` and `{pages}` (the dossier's documents and pages).
    pub remarks_note: String,
}

/// A rendered PDF and what is in it.
#[derive(Debug, Clone, Serialize)]
pub struct LabelOutput {
    #[serde(skip)]
    pub pdf: Vec<u8>,
    pub labels: usize,
    pub bytes: usize,
    pub stock: String,
    /// The codes printed, in order.
    pub codes: Vec<String>,
}

/// A stock offered for a kind of label.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StockChoice {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    pub per_page: u32,
}

impl LabelKind {
    fn stock_kind(self) -> labels::LabelKind {
        match self {
            LabelKind::BoxSpine => labels::LabelKind::BoxSpine,
            LabelKind::BoxFront => labels::LabelKind::BoxFront,
            LabelKind::Folder => labels::LabelKind::Folder,
            LabelKind::Cover => labels::LabelKind::Cover,
            LabelKind::Location => labels::LabelKind::Location,
            LabelKind::Contents => labels::LabelKind::Contents,
            LabelKind::Borrower => labels::LabelKind::Borrower,
        }
    }

    /// The stock a kind is usually printed on.
    pub fn default_stock(self) -> &'static str {
        match self {
            LabelKind::BoxSpine => "spine-40",
            LabelKind::BoxFront => "a4-2x4",
            LabelKind::Folder | LabelKind::Location | LabelKind::Borrower => "a4-3x7",
            LabelKind::Cover | LabelKind::Contents => "a4-full",
        }
    }
}

/// Writes a PDF whole or not at all: a temporary file beside it, synced, then renamed over the
/// target (a full disk or a crash leaves the old file or none, never half a PDF).
pub fn save_pdf(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let fail = |e| Error::io(crate::model::Message::new("label-write-failed").arg("path", path.display()), e);
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("labels.pdf");
    let tmp = dir.join(format!(".{name}.tmp"));
    let written = std::fs::File::create(&tmp).and_then(|mut f| {
        f.write_all(bytes)?;
        f.sync_all()
    });
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail(e));
    }
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail(e)
    })
}

fn box_label(b: &BoxInfo) -> BoxLabel {
    BoxLabel {
        fonds: b.fonds.clone(),
        year: b.year.to_string(),
        retention: b.retention.clone(),
        item_range: b.item_range(),
        box_no: b.box_no.to_string(),
        code: b.code.clone(),
        location: b.home.clone().or_else(|| b.current.clone()),
    }
}

fn too_many(n: usize) -> Error {
    Error::usage("label-too-many").arg("count", n).arg("max", MAX_LABELS)
}

impl Session {
    /// The label stocks: built in, and the library's own (`labels/*.toml` in its folder).
    pub fn label_stocks(&self) -> Result<Vec<Stock>> {
        self.require(Permission::ReadDossiers)?;
        labels::stocks(Some(&self.lib.paths().root.join("labels")))
    }

    /// The stocks a kind of label can be printed on.
    pub fn stocks_for(&self, kind: LabelKind) -> Result<Vec<StockChoice>> {
        Ok(self
            .label_stocks()?
            .into_iter()
            .filter(|s| s.suits(kind.stock_kind()))
            .map(|s| StockChoice { per_page: s.per_page(), id: s.id, name_zh: s.name_zh, name_en: s.name_en })
            .collect())
    }

    /// The calibrated printers.
    pub fn printers(&self) -> Result<BTreeMap<String, Calibration>> {
        self.require(Permission::ReadDossiers)?;
        printers(self.lib.db.conn())
    }

    /// Saves a printer's calibration offsets (mm), measured on a test print.
    pub fn calibrate_printer(&mut self, name: &str, c: Calibration) -> Result<()> {
        let name = crate::model::text::clean_line("label-printer", name)?;
        if name.is_empty() {
            return Err(Error::usage("label-printer-empty"));
        }
        for v in [c.x_mm, c.y_mm] {
            if !v.is_finite() || v.abs() > labels::MAX_OFFSET_MM {
                return Err(Error::usage("label-offset-out-of-range")
                    .arg("offset", format!("{v:.1}"))
                    .arg("max", labels::MAX_OFFSET_MM));
            }
        }
        self.change(Permission::WriteDossiers, |tx, audit| {
            let mut all = printers(tx)?;
            let before = all.get(&name).copied();
            all.insert(name.clone(), c);
            let json = serde_json::to_string(&all).map_err(|e| Error::Db(e.to_string()))?;
            store::set_meta(tx, PRINTERS_KEY, &json)?;
            audit.log(
                tx,
                Change {
                    action: "calibrate",
                    entity: "printer",
                    entity_id: &name,
                    dossier: None,
                    before: before.and_then(|b| to_json(&b)),
                    after: to_json(&c),
                },
            )
        })
    }

    /// Renders a label job into one PDF. Nothing is written to the library; a confidential
    /// dossier's labels need the right to see it (and are audited like opening it).
    pub fn print_labels(&mut self, job: LabelJob) -> Result<LabelOutput> {
        let (items, codes, stock, options) = self.prepare_labels(&job)?;
        let pdf = labels::render(&items, &stock, &options)?;
        Ok(LabelOutput { labels: items.len(), bytes: pdf.len(), pdf, stock: stock.id, codes })
    }

    /// The first `max_pages` pages of a label job as shapes, for an on-screen preview, and how
    /// many labels the job prints.
    pub fn preview_labels(&mut self, job: &LabelJob, max_pages: usize) -> Result<(Vec<PreviewPage>, usize)> {
        let (items, _, stock, options) = self.prepare_labels(job)?;
        Ok((labels::preview(&items, &stock, &options, max_pages)?, items.len()))
    }

    fn prepare_labels(
        &mut self,
        job: &LabelJob,
    ) -> Result<(Vec<LabelItem>, Vec<String>, Stock, PrintOptions)> {
        self.require(Permission::ReadDossiers)?;
        let stock = labels::find_stock(Some(&self.lib.paths().root.join("labels")), job.stock.trim())?;
        let mut offset = job.offset;
        if let Some(p) = job.printer.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
            let c = printers(self.lib.db.conn())?
                .get(p)
                .copied()
                .ok_or_else(|| Error::missing("label-printer-unknown").arg("name", p))?;
            offset.x_mm += c.x_mm;
            offset.y_mm += c.y_mm;
        }
        let (items, codes) = self.label_items(job)?;
        if items.is_empty() {
            return Err(Error::usage("label-nothing-to-print"));
        }
        let options = PrintOptions {
            start: job.start,
            offset_x_mm: offset.x_mm,
            offset_y_mm: offset.y_mm,
            captions: job.captions.clone(),
        };
        Ok((items, codes, stock, options))
    }

    fn dossiers_selected(&mut self, s: &LabelSelection) -> Result<Vec<String>> {
        let mut out: Vec<String> =
            s.items.iter().map(|d| d.trim().to_string()).filter(|d| !d.is_empty()).collect();
        if let Some(day) = &s.filed_on {
            out.extend(self.filed_on(day)?);
        }
        if let Some(b) = &s.in_box {
            out.extend(self.box_view(b)?.folders.into_iter().map(|f| f.dossier));
        }
        Ok(out)
    }

    fn label_items(&mut self, job: &LabelJob) -> Result<(Vec<LabelItem>, Vec<String>)> {
        let sel = &job.selection;
        let mut items = Vec::new();
        let mut codes = Vec::new();
        match job.kind {
            LabelKind::BoxSpine | LabelKind::BoxFront => {
                let mut boxes: Vec<BoxInfo> = Vec::new();
                for code in &sel.items {
                    boxes.push(self.box_info(code)?);
                }
                if let Some(loc) = &sel.under {
                    boxes.extend(self.boxes_at(loc, false)?);
                }
                if boxes.len() > MAX_LABELS {
                    return Err(too_many(boxes.len()));
                }
                for b in &boxes {
                    codes.push(b.code.clone());
                    let l = box_label(b);
                    items.push(if job.kind == LabelKind::BoxSpine {
                        LabelItem::BoxSpine(l)
                    } else {
                        LabelItem::BoxFront(l)
                    });
                }
            }
            LabelKind::Location => {
                let mut locs = Vec::new();
                for l in &sel.items {
                    locs.push(self.location(l)?);
                }
                if let Some(u) = &sel.under {
                    let root = self.location(u)?;
                    locs.extend(sdb::locations_under(self.lib.db.tx(), Some(&root.path))?);
                }
                if locs.len() > MAX_LABELS {
                    return Err(too_many(locs.len()));
                }
                for l in locs {
                    codes.push(l.code.clone());
                    items.push(LabelItem::Location(LocationLabel { path: l.path, code: l.code }));
                }
            }
            LabelKind::Borrower => {
                let t = self.lib.db.tx();
                let mut cards = Vec::new();
                for given in &sel.items {
                    cards.push(crate::core::loans::find_borrower(t, given)?);
                }
                if sel.items.is_empty() {
                    cards = crate::store::loans::borrowers(t, "", false, "", MAX_LABELS as i64 + 1)?
                        .into_iter()
                        .map(|(b, ..)| b)
                        .collect();
                }
                if cards.len() > MAX_LABELS {
                    return Err(too_many(cards.len()));
                }
                for b in cards {
                    codes.push(b.code.clone());
                    let org = if b.unit.is_empty() { b.dept.clone() } else { b.unit.clone() };
                    items.push(LabelItem::Borrower(BorrowerCard { code: b.code, name: b.name, org }));
                }
            }
            LabelKind::Folder | LabelKind::Cover | LabelKind::Contents => {
                let dossiers = self.dossiers_selected(sel)?;
                if dossiers.len() > MAX_LABELS {
                    return Err(too_many(dossiers.len()));
                }
                let doc_type = match job.doc_type.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                    Some(t) => {
                        let ty = store::config::doc_type(self.lib.db.conn(), t)?;
                        Some((ty.code, ty.name))
                    }
                    None => None,
                };
                for d in dossiers {
                    let dossier = self.dossier(&d)?;
                    let c = &dossier.customer;
                    codes.push(c.dossier.clone());
                    items.push(match job.kind {
                        LabelKind::Folder => LabelItem::Folder(FolderLabel {
                            dossier: c.dossier.clone(),
                            name: c.name.clone(),
                            category: c.category_path.clone(),
                        }),
                        LabelKind::Cover => LabelItem::Cover(CoverSheet {
                            dossier: c.dossier.clone(),
                            name: c.name.clone(),
                            doc_type: doc_type.clone(),
                        }),
                        _ => {
                            let placement = self.placement(&c.dossier)?;
                            LabelItem::Contents(contents_list(
                                &dossier,
                                placement.as_ref(),
                                &job.remarks_note,
                            ))
                        }
                    });
                }
            }
        }
        Ok((items, codes))
    }
}

/// A dossier's 卷内目录: one row per document, pages numbered on from the previous ones, and
/// its 备考表.
fn contents_list(
    d: &crate::model::Dossier,
    placement: Option<&crate::model::storage::Placement>,
    note: &str,
) -> ContentsList {
    let mut page = 1i64;
    let mut rows = Vec::with_capacity(d.documents.len());
    let mut total_pages = 0;
    for (i, doc) in d.documents.iter().enumerate() {
        let pages = if doc.pages > 0 {
            let r =
                if doc.pages == 1 { format!("{page}") } else { format!("{page}-{}", page + doc.pages - 1) };
            page += doc.pages;
            total_pages += doc.pages;
            r
        } else {
            String::new()
        };
        rows.push(ContentsRow {
            seq: (i + 1).to_string(),
            doc_no: String::new(),
            author: d.customer.name.clone(),
            title: doc.title.clone(),
            date: doc.date.map(|x| x.format("%Y%m%d").to_string()).unwrap_or_default(),
            pages,
        });
    }
    // 立卷时间: when the folder was filed, else when the dossier was opened (local date).
    let when = placement.map_or(d.customer.created_at.as_str(), |p| p.filed_at.as_str());
    let filed_on = crate::core::local_date(when);
    ContentsList {
        dossier: d.customer.dossier.clone(),
        name: d.customer.name.clone(),
        rows,
        remarks: Remarks {
            note: note
                .replace("{docs}", &d.documents.len().to_string())
                .replace("{pages}", &total_pages.to_string()),
            filed_by: d.customer.clerk.clone().unwrap_or_default(),
            checked_by: String::new(),
            filed_on,
        },
    }
}

fn printers(conn: &rusqlite::Connection) -> Result<BTreeMap<String, Calibration>> {
    Ok(store::get_meta(conn, PRINTERS_KEY)?.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default())
}
