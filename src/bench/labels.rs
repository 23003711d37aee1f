//! The label benchmark: a 1,000-label folder PDF on A4 sheets of 21 (time and size; the issue
//! aims for well under 10 s and under 2 MB) and one A4 cover sheet; the lending desk's loan
//! register of 10,000 loans as PDF and CSV. Pure rendering: no library.

use std::time::Instant;

use serde::Serialize;

use super::{Percentiles, ms};
use crate::labels::loans::{self as papers, PaperCaptions, Register};
use crate::labels::{self, CoverSheet, FolderLabel, LabelItem, PrintOptions};
use crate::model::error::Result;

const FOLDER_LABELS: usize = 1000;
const RUNS: usize = 3;
const REGISTER_LOANS: usize = 10_000;

#[derive(Debug, Serialize)]
pub struct LabelsBench {
    /// 1,000 folder labels (`a4-3x7`, 48 pages) into one PDF, milliseconds.
    pub folder_1000_ms: Percentiles,
    pub folder_1000_bytes: usize,
    /// One cover sheet (`a4-full`: Code128, QR, large Chinese type), milliseconds.
    pub cover_ms: Percentiles,
    pub cover_bytes: usize,
    /// The first render in the process: it parses the bundled font once, milliseconds.
    pub first_render_ms: f64,
    /// A loan register of 10,000 loans (A4 landscape, header on every page) as PDF, seconds.
    pub register_10000_pdf_s: f64,
    pub register_10000_pdf_bytes: usize,
    pub register_10000_pages: usize,
    /// The same register as CSV (UTF-8 with BOM), milliseconds.
    pub register_10000_csv_ms: f64,
    pub register_10000_csv_bytes: usize,
}

/// A register of `n` loans with realistic Chinese fields.
fn register(n: usize) -> Register {
    let names = [
        "欧阳娜娜",
        "司马相如",
        "张伟",
        "新疆维吾尔自治区乌鲁木齐市天山区某电力设备安装工程有限公司",
        "李娜",
    ];
    let people = [("周瑜", "营销部"), ("王芳", "市供电公司"), ("诸葛亮", "运维检修部")];
    Register {
        from: "2026-01-01".into(),
        to: "2026-12-31".into(),
        fonds: "0421".into(),
        rows: (1..=n)
            .map(|i| {
                let (who, dept) = people[i % people.len()];
                [
                    i.to_string(),
                    "2026-03-10".into(),
                    format!("KH-2026-{i:06}"),
                    names[i % names.len()].into(),
                    who.into(),
                    dept.into(),
                    "业务办理：增容，核对用电资料".into(),
                    "2026-03-24".into(),
                    if i % 7 == 0 { String::new() } else { "2026-03-20".into() },
                    if i % 7 == 0 { "借出".into() } else { "已归还".into() },
                    "admin".into(),
                ]
            })
            .collect(),
    }
}

pub fn measure() -> Result<LabelsBench> {
    let names = ["张三", "欧阳娜娜", "李四光", "阿卜杜拉·艾买提", "王五"];
    let folders: Vec<LabelItem> = (1..=FOLDER_LABELS)
        .map(|i| {
            LabelItem::Folder(FolderLabel {
                dossier: format!("KH-2026-{i:06}"),
                name: names[i % names.len()].to_string(),
                category: "居民用户 / 低压".to_string(),
            })
        })
        .collect();
    let cover = [LabelItem::Cover(CoverSheet {
        dossier: "KH-2026-000042".into(),
        name: "欧阳娜娜".into(),
        doc_type: Some(("ID".into(), "身份证".into())),
    })];
    let sheet = labels::find_stock(None, "a4-3x7")?;
    let page = labels::find_stock(None, "a4-full")?;
    let options = PrintOptions::default();

    let t = Instant::now();
    let mut cover_bytes = labels::render(&cover, &page, &options)?.len();
    let first_render_ms = ms(t.elapsed());

    let mut cover_ms = Vec::new();
    for _ in 0..RUNS {
        let t = Instant::now();
        cover_bytes = labels::render(&cover, &page, &options)?.len();
        cover_ms.push(ms(t.elapsed()));
    }
    let mut folder_ms = Vec::new();
    let mut folder_bytes = 0;
    for _ in 0..RUNS {
        let t = Instant::now();
        folder_bytes = labels::render(&folders, &sheet, &options)?.len();
        folder_ms.push(ms(t.elapsed()));
    }
    let reg = register(REGISTER_LOANS);
    let captions = PaperCaptions::default();
    let t = Instant::now();
    let register_pdf = papers::render_register(&reg, &captions)?.len();
    let register_10000_pdf_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let register_csv = papers::register_csv(&reg, &captions).len();
    let register_10000_csv_ms = ms(t.elapsed());
    Ok(LabelsBench {
        register_10000_pdf_s,
        register_10000_pdf_bytes: register_pdf,
        register_10000_pages: REGISTER_LOANS.div_ceil(papers::register_rows_per_page()),
        register_10000_csv_ms,
        register_10000_csv_bytes: register_csv,
        folder_1000_ms: Percentiles::of(folder_ms),
        folder_1000_bytes: folder_bytes,
        cover_ms: Percentiles::of(cover_ms),
        cover_bytes,
        first_render_ms,
    })
}
