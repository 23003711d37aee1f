//! `labels box|folder|cover|location|contents ITEM… [--stock STOCK] [--start N] --out FILE.pdf`,
//! `labels stocks`, `labels calibrate PRINTER --x MM --y MM`, `labels printers`.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

use super::Ctx;
use super::output::table;
use crate::core::Access;
use crate::core::labels::{Calibration, LabelJob, LabelKind, LabelSelection};
use crate::i18n::{Language, Tr};

#[derive(Debug, Subcommand)]
pub enum LabelsCmd {
    /// Box labels (spine strip or front) for box codes, or every box under --under.
    Box(PrintArgs),
    /// Folder labels for dossier numbers (or --filed-on, --in-box).
    Folder(PrintArgs),
    /// A4 cover sheets that route a scanned batch into a dossier (--type: the document type).
    Cover(PrintArgs),
    /// Location and shelf labels (or every location under --under).
    Location(PrintArgs),
    /// Borrower cards (借阅证) with the card number's barcode (every borrower without ITEMs).
    Borrower(PrintArgs),
    /// A dossier's in-volume contents list (卷内目录) and 备考表, A4.
    Contents(PrintArgs),
    /// The label stocks: built in, and the library's own (labels/*.toml in its folder).
    Stocks,
    /// Save a printer's calibration: how far to move everything right (x) and down (y), in mm.
    Calibrate {
        printer: String,
        #[arg(long, allow_hyphen_values = true)]
        x: f64,
        #[arg(long, allow_hyphen_values = true)]
        y: f64,
    },
    /// The calibrated printers.
    Printers,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Face {
    Spine,
    Front,
}

#[derive(Debug, Args)]
pub struct PrintArgs {
    /// Box codes, dossier numbers or locations (paths or codes).
    pub items: Vec<String>,
    /// The PDF to write.
    #[arg(long, value_name = "FILE.pdf")]
    pub out: PathBuf,
    /// The label stock (see `labels stocks`); default: the usual one for the kind.
    #[arg(long)]
    pub stock: Option<String>,
    /// The first free position on a partly used sheet (1 = top left).
    #[arg(long, default_value_t = 1)]
    pub start: u32,
    /// A calibrated printer (see `labels calibrate`).
    #[arg(long)]
    pub printer: Option<String>,
    /// Extra offsets in mm (right, down).
    #[arg(long, default_value_t = 0.0, allow_hyphen_values = true)]
    pub offset_x: f64,
    #[arg(long, default_value_t = 0.0, allow_hyphen_values = true)]
    pub offset_y: f64,
    /// Every box (box labels) or location (location labels) under this location.
    #[arg(long)]
    pub under: Option<String>,
    /// Every dossier filed on this day (YYYY-MM-DD).
    #[arg(long)]
    pub filed_on: Option<String>,
    /// Every dossier filed today.
    #[arg(long, conflicts_with = "filed_on")]
    pub today: bool,
    /// Every dossier in this box.
    #[arg(long)]
    pub in_box: Option<String>,
    /// Box labels: the spine strip (default) or the front label.
    #[arg(long, value_enum, default_value_t = Face::Spine)]
    pub face: Face,
    /// Cover sheets: the document type the scanned pages are filed under.
    #[arg(long = "type")]
    pub doc_type: Option<String>,
}

pub fn captions(tr: &Tr) -> crate::core::labels::Captions {
    crate::core::labels::Captions::from_translations(|k| tr.t(k))
}

fn print(ctx: &Ctx, kind: LabelKind, a: PrintArgs) -> anyhow::Result<()> {
    let mut s = ctx.session(Access::Read)?;
    let kind = match (kind, a.face) {
        (LabelKind::BoxSpine, Face::Front) => LabelKind::BoxFront,
        (k, _) => k,
    };
    let filed_on = if a.today { Some(crate::core::today().to_string()) } else { a.filed_on };
    let selection = LabelSelection { items: a.items, under: a.under, filed_on, in_box: a.in_box };
    // A spine strip fits the box's spine: without --stock, the first box's width chooses it.
    let stock = match a.stock {
        Some(st) => st,
        None if kind == LabelKind::BoxSpine => match selection.items.first() {
            Some(code) => format!("spine-{}", s.box_info(code)?.spine_mm),
            None => kind.default_stock().to_string(),
        },
        None => kind.default_stock().to_string(),
    };
    let out = s.print_labels(LabelJob {
        kind,
        selection,
        stock,
        start: a.start,
        printer: a.printer,
        offset: Calibration { x_mm: a.offset_x, y_mm: a.offset_y },
        doc_type: a.doc_type,
        captions: captions(&ctx.tr),
        remarks_note: ctx.tr.t("labels-remarks-note"),
    })?;
    crate::core::labels::save_pdf(&a.out, &out.pdf)?;
    ctx.out.note(ctx.tr.ta(
        "cli-labels-written",
        &[("count", &out.labels.to_string()), ("path", &a.out.display().to_string()), ("stock", &out.stock)],
    ));
    ctx.out.emit(
        &serde_json::json!({ "out": a.out, "labels": out.labels, "bytes": out.bytes,
                                      "stock": out.stock, "codes": out.codes }),
        || a.out.display().to_string(),
    )
}

pub fn run(ctx: &Ctx, cmd: LabelsCmd) -> anyhow::Result<()> {
    match cmd {
        LabelsCmd::Box(a) => print(ctx, LabelKind::BoxSpine, a),
        LabelsCmd::Folder(a) => print(ctx, LabelKind::Folder, a),
        LabelsCmd::Cover(a) => print(ctx, LabelKind::Cover, a),
        LabelsCmd::Location(a) => print(ctx, LabelKind::Location, a),
        LabelsCmd::Borrower(a) => print(ctx, LabelKind::Borrower, a),
        LabelsCmd::Contents(a) => print(ctx, LabelKind::Contents, a),
        LabelsCmd::Stocks => {
            let s = ctx.session(Access::Read)?;
            let stocks = s.label_stocks()?;
            let english = ctx.tr.language == Language::English;
            let rows: Vec<serde_json::Value> = stocks
                .iter()
                .map(|st| {
                    serde_json::json!({
                        "id": st.id, "name": st.name(english),
                        "label_mm": [st.label_width_mm, st.label_height_mm],
                        "per_page": st.per_page(),
                        "suits": st.suits.iter().map(|k| k.code()).collect::<Vec<_>>(),
                    })
                })
                .collect();
            ctx.out.emit(&rows, || {
                let mut t = vec![vec![
                    ctx.tr.t("col-stock"),
                    ctx.tr.t("col-stock-name"),
                    ctx.tr.t("col-label-size"),
                    ctx.tr.t("col-per-page"),
                    ctx.tr.t("col-suits"),
                ]];
                t.extend(stocks.iter().map(|st| {
                    vec![
                        st.id.clone(),
                        st.name(english).to_string(),
                        format!("{}×{} mm", st.label_width_mm, st.label_height_mm),
                        st.per_page().to_string(),
                        st.suits
                            .iter()
                            .map(|k| ctx.tr.t(&format!("labels-kind-{}", k.code())))
                            .collect::<Vec<_>>()
                            .join("、"),
                    ]
                }));
                table(&t)
            })
        }
        LabelsCmd::Calibrate { printer, x, y } => {
            let mut s = ctx.session(Access::Write)?;
            s.calibrate_printer(&printer, Calibration { x_mm: x, y_mm: y })?;
            ctx.out.note(ctx.tr.ta("cli-printer-calibrated", &[("name", &printer)]));
            ctx.out.emit(&serde_json::json!({ "printer": printer, "x_mm": x, "y_mm": y }), String::new)
        }
        LabelsCmd::Printers => {
            let s = ctx.session(Access::Read)?;
            let p = s.printers()?;
            ctx.out.emit(&p, || {
                p.iter()
                    .map(|(n, c)| format!("{n}  x {:+.1} mm  y {:+.1} mm", c.x_mm, c.y_mm))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
    }
}
