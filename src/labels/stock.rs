//! Label stocks as data: what sheet or roll the printer is loaded with, where each label sits
//! on the page. The built-in stocks are `assets/labels/*.toml`, compiled in; a library's
//! `labels/` folder may add more (`*.toml`, one stock per file), and a user stock with a
//! built-in's id replaces it.
//!
//! A stock file (lengths in millimetres, positions from the page's top left; the margins, gaps
//! and padding may be left out and are then 0, 0 and 2 mm):
//! ```toml
//! id = "a4-3x7"                      # letters, digits, - and _
//! name_zh = "A4 不干胶 3×7（63.5×38.1 毫米）"
//! name_en = "A4 sheet 3×7 (63.5×38.1 mm)"
//! kind = "sheet"                     # sheet, roll, spine or page
//! suits = ["folder", "location"]     # box-spine, box-front, folder, location, borrower, cover, contents
//! page_width_mm = 210.0
//! page_height_mm = 297.0
//! label_width_mm = 63.5
//! label_height_mm = 38.1
//! columns = 3
//! rows = 7
//! margin_left_mm = 7.2               # page edge to the first column
//! margin_top_mm = 15.15              # page edge to the first row
//! gap_x_mm = 2.5                     # between two columns
//! gap_y_mm = 0.0                     # between two rows
//! padding_mm = 2.0                   # blank border inside each label
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::model::error::{Error, Result};

/// The built-in stocks: (file name, TOML text).
const BUILT_IN: &[(&str, &str)] = &[
    ("a4-3x7.toml", include_str!("../../assets/labels/a4-3x7.toml")),
    ("a4-2x7.toml", include_str!("../../assets/labels/a4-2x7.toml")),
    ("a4-2x4.toml", include_str!("../../assets/labels/a4-2x4.toml")),
    ("roll-100x50.toml", include_str!("../../assets/labels/roll-100x50.toml")),
    ("roll-60x40.toml", include_str!("../../assets/labels/roll-60x40.toml")),
    ("spine-20.toml", include_str!("../../assets/labels/spine-20.toml")),
    ("spine-30.toml", include_str!("../../assets/labels/spine-30.toml")),
    ("spine-40.toml", include_str!("../../assets/labels/spine-40.toml")),
    ("spine-50.toml", include_str!("../../assets/labels/spine-50.toml")),
    ("a4-full.toml", include_str!("../../assets/labels/a4-full.toml")),
];

/// Rounding slack when checking that labels fit their page, in millimetres.
const FIT_SLACK_MM: f64 = 0.05;

/// What sort of stock this is: a hint for lists and for the printer dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StockKind {
    /// A sheet of labels (A4 sticker paper).
    Sheet,
    /// A thermal roll: one label per page.
    Roll,
    /// Strips for box spines, cut from a sheet.
    Spine,
    /// A whole page (cover sheet, contents list).
    Page,
}

/// The kinds of label, as stocks name them in `suits`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LabelKind {
    BoxSpine,
    BoxFront,
    Folder,
    Location,
    Borrower,
    Cover,
    Contents,
}

impl LabelKind {
    /// The name used in stock files and on the command line (`box-spine`, `folder`…).
    pub fn code(self) -> &'static str {
        match self {
            LabelKind::BoxSpine => "box-spine",
            LabelKind::BoxFront => "box-front",
            LabelKind::Folder => "folder",
            LabelKind::Location => "location",
            LabelKind::Borrower => "borrower",
            LabelKind::Cover => "cover",
            LabelKind::Contents => "contents",
        }
    }
}

/// Where a stock came from.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StockSource {
    BuiltIn,
    /// A file in the library's `labels/` folder.
    User(PathBuf),
}

/// One label stock. Lengths are millimetres; positions are counted from the page's top left.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Stock {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    pub kind: StockKind,
    /// The label kinds this stock is meant for; others are refused by [`super::render`].
    pub suits: Vec<LabelKind>,
    pub page_width_mm: f64,
    pub page_height_mm: f64,
    pub label_width_mm: f64,
    pub label_height_mm: f64,
    pub columns: u32,
    pub rows: u32,
    #[serde(default)]
    pub margin_left_mm: f64,
    #[serde(default)]
    pub margin_top_mm: f64,
    /// Space between two labels side by side (pitch = width + gap).
    #[serde(default)]
    pub gap_x_mm: f64,
    /// Space between two rows of labels.
    #[serde(default)]
    pub gap_y_mm: f64,
    /// Blank border kept inside each label: nothing is printed there.
    #[serde(default = "default_padding")]
    pub padding_mm: f64,
    #[serde(skip_deserializing, default = "built_in")]
    pub source: StockSource,
}

fn default_padding() -> f64 {
    2.0
}

fn built_in() -> StockSource {
    StockSource::BuiltIn
}

impl Stock {
    /// Labels on one page.
    pub fn per_page(&self) -> u32 {
        self.columns * self.rows
    }

    /// The name in Chinese or English.
    pub fn name(&self, english: bool) -> &str {
        if english { &self.name_en } else { &self.name_zh }
    }

    pub fn suits(&self, kind: LabelKind) -> bool {
        self.suits.contains(&kind)
    }

    /// The top-left corner of label `index` (0-based, row by row) on its page, in mm.
    pub fn cell_origin(&self, index: u32) -> (f64, f64) {
        let (col, row) = (index % self.columns, index / self.columns % self.rows);
        (
            self.margin_left_mm + f64::from(col) * (self.label_width_mm + self.gap_x_mm),
            self.margin_top_mm + f64::from(row) * (self.label_height_mm + self.gap_y_mm),
        )
    }

    /// Parses a stock from TOML; `file` names it in errors.
    pub fn from_toml(text: &str, file: &str) -> Result<Stock> {
        let stock: Stock = toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(0, |s| text[..s.start.min(text.len())].lines().count().max(1));
            Error::usage("label-stock-unreadable")
                .arg("file", file)
                .arg("line", line)
                .arg("detail", e.message().trim())
        })?;
        stock.validate()?;
        Ok(stock)
    }

    /// Refuses a stock whose numbers make no sense or whose labels do not fit its page.
    pub fn validate(&self) -> Result<()> {
        let id_ok = !self.id.is_empty()
            && self.id.len() <= 40
            && self.id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !id_ok {
            return Err(Error::usage("label-stock-bad-id").arg("stock", &self.id));
        }
        let lengths = [
            self.page_width_mm,
            self.page_height_mm,
            self.label_width_mm,
            self.label_height_mm,
            self.margin_left_mm,
            self.margin_top_mm,
            self.gap_x_mm,
            self.gap_y_mm,
            self.padding_mm,
        ];
        let sane = lengths.iter().all(|v| v.is_finite() && *v >= 0.0 && *v <= 5000.0)
            && self.page_width_mm > 0.0
            && self.page_height_mm > 0.0
            && self.label_width_mm > 2.0 * self.padding_mm
            && self.label_height_mm > 2.0 * self.padding_mm
            && (1..=100).contains(&self.columns)
            && (1..=100).contains(&self.rows)
            && !self.suits.is_empty();
        if !sane {
            return Err(Error::usage("label-stock-bad-size").arg("stock", &self.id));
        }
        let cols = f64::from(self.columns);
        let rows = f64::from(self.rows);
        let need_w = self.margin_left_mm + cols * self.label_width_mm + (cols - 1.0) * self.gap_x_mm;
        let need_h = self.margin_top_mm + rows * self.label_height_mm + (rows - 1.0) * self.gap_y_mm;
        let over_w = need_w - self.page_width_mm;
        let over_h = need_h - self.page_height_mm;
        if over_w > FIT_SLACK_MM || over_h > FIT_SLACK_MM {
            let (key, over) = if over_w >= over_h {
                ("label-stock-too-wide", over_w)
            } else {
                ("label-stock-too-tall", over_h)
            };
            return Err(Error::usage(key).arg("stock", &self.id).arg("over", format!("{over:.1}")));
        }
        Ok(())
    }
}

/// Every stock: the built-in ones, then those in `user_dir` (a library's `labels/` folder, if
/// it exists), a user stock replacing a built-in of the same id. Sorted by id.
pub fn stocks(user_dir: Option<&Path>) -> Result<Vec<Stock>> {
    let mut all = Vec::new();
    for (file, text) in BUILT_IN {
        all.push(Stock::from_toml(text, file)?);
    }
    if let Some(dir) = user_dir.filter(|d| d.is_dir()) {
        let entries = std::fs::read_dir(dir).map_err(|e| Error::io("io-label-stocks", e))?;
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case("toml")) && p.is_file())
            .collect();
        files.sort();
        for path in files {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| Error::io("io-label-stock-read", e).arg("file", path.display()))?;
            let mut stock = Stock::from_toml(&text, &path.display().to_string())?;
            stock.source = StockSource::User(path);
            if let Some(i) = all.iter().position(|s: &Stock| s.id == stock.id) {
                if matches!(all[i].source, StockSource::User(_)) {
                    return Err(Error::usage("label-stock-duplicate").arg("stock", &stock.id));
                }
                all[i] = stock;
            } else {
                all.push(stock);
            }
        }
    }
    all.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(all)
}

/// The stock `id` among [`stocks`]; an unknown id is a not-found error listing the known ones.
pub fn find_stock(user_dir: Option<&Path>, id: &str) -> Result<Stock> {
    let all = stocks(user_dir)?;
    let known = all.iter().map(|s| s.id.as_str()).collect::<Vec<_>>().join(", ");
    all.iter()
        .find(|s| s.id == id.trim())
        .cloned()
        .ok_or_else(|| Error::missing("label-stock-unknown").arg("stock", id).arg("known", known))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn every_built_in_stock_parses_and_fits() {
        let all = stocks(None).unwrap();
        assert_eq!(all.len(), BUILT_IN.len());
        for s in &all {
            s.validate().unwrap();
        }
        let a = all.iter().find(|s| s.id == "a4-3x7").unwrap();
        assert_eq!(a.per_page(), 21);
        assert_eq!(a.cell_origin(4), (7.2 + 66.0, 15.15 + 38.1));
    }

    #[test]
    fn a_stock_wider_than_its_page_is_refused_by_how_much() {
        let text = BUILT_IN[0].1.replace("columns = 3", "columns = 4");
        let e = Stock::from_toml(&text, "x.toml").unwrap_err();
        let m = e.message();
        assert_eq!(m.key, "label-stock-too-wide");
        assert_eq!(m.get("stock"), Some("a4-3x7"));
        assert_eq!(m.get("over"), Some("58.7")); // 7.2 + 4×63.5 + 3×2.5 − 210
    }

    #[test]
    fn a_broken_stock_file_is_named_with_its_line() {
        let text = "id = \"x\"\nname_zh = \"x\"\nname_en = \"x\"\nkind = \"sheet\"\ncolumns = \"three\"\n";
        let m = Stock::from_toml(text, "mine.toml").unwrap_err().message();
        assert_eq!(m.key, "label-stock-unreadable");
        assert_eq!(m.get("file"), Some("mine.toml"));
        assert_eq!(m.get("line"), Some("5"));
    }
}
