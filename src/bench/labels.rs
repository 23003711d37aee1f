//! The label benchmark: a 1,000-label folder PDF on A4 sheets of 21 (time and size; the issue
//! aims for well under 10 s and under 2 MB) and one A4 cover sheet. Pure rendering: no library.

use std::time::Instant;

use serde::Serialize;

use super::{Percentiles, ms};
use crate::labels::{self, CoverSheet, FolderLabel, LabelItem, PrintOptions};
use crate::model::error::Result;

const FOLDER_LABELS: usize = 1000;
const RUNS: usize = 3;

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
    Ok(LabelsBench {
        folder_1000_ms: Percentiles::of(folder_ms),
        folder_1000_bytes: folder_bytes,
        cover_ms: Percentiles::of(cover_ms),
        cover_bytes,
        first_render_ms,
    })
}
