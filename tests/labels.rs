//! Labels as a clerk gets them: every kind on its stocks is rendered to pixels with `pdftoppm`
//! at 200 and 300 dpi and its barcodes read back with `zbarimg`; the font is embedded as a
//! subset and its Chinese glyphs are really drawn; text never leaves its label; a partly used
//! sheet starts where asked; broken stocks are refused; a thousand labels make one PDF.
//! (`scripts/setup-debian.sh` installs poppler-utils and zbar-tools.)

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use dangan::i18n::{Language, Tr};
use dangan::labels::{
    self, BoxLabel, Captions, ContentsList, ContentsRow, CoverSheet, FolderLabel, LabelItem, LabelKind,
    LocationLabel, PrintOptions, Remarks, Stock,
};

const DPIS: [u32; 2] = [200, 300];

fn stock(id: &str) -> Stock {
    labels::find_stock(None, id).unwrap()
}

fn render(items: &[LabelItem], stock_id: &str, options: &PrintOptions) -> Vec<u8> {
    labels::render(items, &stock(stock_id), options).unwrap()
}

/// A grey image (0 = black), as `pdftoppm -gray` writes it.
struct Grey {
    w: usize,
    h: usize,
    px: Vec<u8>,
    dpi: u32,
}

impl Grey {
    fn dark(&self, x: usize, y: usize) -> bool {
        self.px[y * self.w + x] < 128
    }

    /// Pixel range of a length in mm from the page's top left.
    fn at(&self, mm: f64) -> usize {
        (mm / 25.4 * f64::from(self.dpi)).round() as usize
    }

    /// Dark pixels outside the rectangle (mm), with `slack` mm of tolerance for anti-aliasing.
    fn dark_outside(&self, x: f64, y: f64, w: f64, h: f64, slack: f64) -> usize {
        let (x0, y0) = (self.at((x - slack).max(0.0)), self.at((y - slack).max(0.0)));
        let (x1, y1) = (self.at(x + w + slack).min(self.w), self.at(y + h + slack).min(self.h));
        let mut n = 0;
        for yy in 0..self.h {
            for xx in 0..self.w {
                let inside = (x0..x1).contains(&xx) && (y0..y1).contains(&yy);
                if !inside && self.dark(xx, yy) {
                    n += 1;
                }
            }
        }
        n
    }

    /// The top left corner of the dark pixels, in pixels.
    fn bbox(&self) -> (usize, usize) {
        let left = (0..self.w).find(|&x| (0..self.h).any(|y| self.dark(x, y))).unwrap_or(0);
        let top = (0..self.h).find(|&y| (0..self.w).any(|x| self.dark(x, y))).unwrap_or(0);
        (left, top)
    }

    fn dark_in(&self, x: f64, y: f64, w: f64, h: f64) -> usize {
        let mut n = 0;
        for yy in self.at(y)..self.at(y + h).min(self.h) {
            for xx in self.at(x)..self.at(x + w).min(self.w) {
                n += usize::from(self.dark(xx, yy));
            }
        }
        n
    }

    fn crop(&self, x: f64, y: f64, w: f64, h: f64) -> Vec<u8> {
        let (x0, y0) = (self.at(x), self.at(y));
        let (x1, y1) = (self.at(x + w).min(self.w), self.at(y + h).min(self.h));
        (y0..y1)
            .flat_map(|yy| (x0..x1).map(move |xx| (xx, yy)))
            .map(|(xx, yy)| self.px[yy * self.w + xx])
            .collect()
    }

    /// The rectangle as a PGM file, for zbarimg.
    fn crop_file(&self, dir: &Path, name: &str, x: f64, y: f64, w: f64, h: f64) -> PathBuf {
        let (cw, ch) = (self.at(x + w).min(self.w) - self.at(x), self.at(y + h).min(self.h) - self.at(y));
        let mut data = format!("P5\n{cw} {ch}\n255\n").into_bytes();
        data.extend(self.crop(x, y, w, h));
        let path = dir.join(name);
        std::fs::write(&path, data).unwrap();
        path
    }
}

/// Page `page` (from 1) of the PDF rendered at `dpi`, and the PGM file it was read from.
fn raster(dir: &Path, pdf: &[u8], dpi: u32, page: usize) -> (Grey, PathBuf) {
    let file = dir.join("labels.pdf");
    std::fs::write(&file, pdf).unwrap();
    let prefix = dir.join(format!("page-{page}-{dpi}"));
    let out = Command::new("pdftoppm")
        .args([
            "-gray",
            "-r",
            &dpi.to_string(),
            "-f",
            &page.to_string(),
            "-l",
            &page.to_string(),
            "-singlefile",
        ])
        .arg(&file)
        .arg(&prefix)
        .output()
        .expect("pdftoppm (poppler-utils) is installed");
    assert!(out.status.success(), "pdftoppm: {}", String::from_utf8_lossy(&out.stderr));
    let path = prefix.with_extension("pgm");
    let bytes = std::fs::read(&path).unwrap();
    // P5 header: magic, width, height, maxval, each followed by white space.
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&bytes[start..i]).into_owned());
    }
    assert_eq!(fields[0], "P5");
    let (w, h) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    let px = bytes[i + 1..].to_vec();
    assert_eq!(px.len(), w * h);
    (Grey { w, h, px, dpi }, path)
}

/// What zbarimg reads in an image file, as a set of texts.
fn scan(image: &Path) -> BTreeSet<String> {
    let out = Command::new("zbarimg")
        .args(["--raw", "-q"])
        .arg(image)
        .output()
        .expect("zbarimg (zbar-tools) is installed");
    String::from_utf8_lossy(&out.stdout).lines().filter(|l| !l.is_empty()).map(str::to_string).collect()
}

fn set(codes: &[&str]) -> BTreeSet<String> {
    codes.iter().map(|s| s.to_string()).collect()
}

fn folder(dossier: &str, name: &str) -> LabelItem {
    LabelItem::Folder(FolderLabel {
        dossier: dossier.into(),
        name: name.into(),
        category: "居民用户 / 低压".into(),
    })
}

fn a_box(code: &str, location: Option<&str>) -> BoxLabel {
    BoxLabel {
        fonds: "Z001".into(),
        year: "2026".into(),
        retention: "30年".into(),
        item_range: "0001–0025".into(),
        box_no: "0012".into(),
        code: code.into(),
        location: location.map(str::to_string),
    }
}

fn contents_list(rows: usize) -> ContentsList {
    ContentsList {
        dossier: "KH-2026-000042".into(),
        name: "欧阳娜娜".into(),
        rows: (1..=rows)
            .map(|i| ContentsRow {
                seq: i.to_string(),
                doc_no: format!("供电〔2026〕{i}号"),
                author: "国网某供电公司".into(),
                title: format!("第{i}号 供用电合同及附件"),
                date: "2026-03-01".into(),
                pages: format!("{}-{}", i * 2 - 1, i * 2),
            })
            .collect(),
        remarks: Remarks {
            note: "本卷共有文件材料若干件，其中合同原件一份，身份证复印件一份。".into(),
            filed_by: "张三".into(),
            checked_by: "李四".into(),
            filed_on: "2026-11-23".into(),
        },
    }
}

/// Renders `items` on `stock_id` and checks that every page, at 200 and 300 dpi, reads back
/// exactly the codes of the items on it (`codes[i]`: what item `i` carries).
fn decodes(items: &[LabelItem], stock_id: &str, codes: &[&[&str]]) {
    let dir = tempfile::tempdir().unwrap();
    let pdf = render(items, stock_id, &PrintOptions::default());
    let per_page = stock(stock_id).per_page() as usize;
    for dpi in DPIS {
        for (i, on_page) in codes.chunks(per_page).enumerate() {
            let (_, file) = raster(dir.path(), &pdf, dpi, i + 1);
            let expected: BTreeSet<String> =
                on_page.iter().flat_map(|c| c.iter().map(|s| s.to_string())).collect();
            assert_eq!(scan(&file), expected, "{stock_id}, page {}, {dpi} dpi", i + 1);
        }
    }
}

#[test]
fn every_kind_decodes_at_200_and_300_dpi_on_each_of_its_stocks() {
    let all = labels::stocks(None).unwrap();
    let suits = |k: LabelKind| all.iter().filter(move |s| s.suits(k)).map(|s| s.id.clone());
    for id in suits(LabelKind::Folder) {
        let items = [folder("KH-2026-000001", "张三"), folder("KH-2026-123456", "欧阳娜娜")];
        decodes(&items, &id, &[&["KH-2026-000001"], &["KH-2026-123456"]]);
    }
    for id in suits(LabelKind::Location) {
        let items = [
            LabelItem::Location(LocationLabel {
                path: "档案室A/1排/3列/2层".into(),
                code: "L-000017".into(),
            }),
            LabelItem::Location(LocationLabel {
                path: "档案室B/密集架2/5列/1层".into(),
                code: "L-000018".into(),
            }),
        ];
        decodes(&items, &id, &[&["L-000017"], &["L-000018"]]);
    }
    for id in suits(LabelKind::BoxFront) {
        let items = [
            LabelItem::BoxFront(a_box("BX-00000127", Some("档案室A/1排/3列/2层"))),
            LabelItem::BoxFront(a_box("BX-00000128", None)),
        ];
        decodes(&items, &id, &[&["BX-00000127"], &["BX-00000128"]]);
    }
    for id in suits(LabelKind::BoxSpine) {
        let items = [
            LabelItem::BoxSpine(a_box("BX-00000127", Some("档案室A/1排/3列/2层"))),
            LabelItem::BoxSpine(a_box("BX-00000128", None)),
        ];
        decodes(&items, &id, &[&["BX-00000127"], &["BX-00000128"]]);
    }
    let cover = CoverSheet {
        dossier: "KH-2026-000042".into(),
        name: "欧阳娜娜".into(),
        doc_type: Some(("ID".into(), "身份证".into())),
    };
    let plain = CoverSheet { doc_type: None, ..cover.clone() };
    decodes(
        &[LabelItem::Cover(cover), LabelItem::Cover(plain)],
        "a4-full",
        &[&["KH-2026-000042", "KH-2026-000042|ID"], &["KH-2026-000042"]],
    );
}

/// Roll stocks hold one label a page: two items make two pages, each with its own code.
#[test]
fn a_roll_prints_one_label_a_page() {
    let items = [folder("KH-2026-000001", "张三"), folder("KH-2026-000002", "李四")];
    let pdf = render(&items, "roll-60x40", &PrintOptions::default());
    let dir = tempfile::tempdir().unwrap();
    for (page, code) in [(1, "KH-2026-000001"), (2, "KH-2026-000002")] {
        let (_, file) = raster(dir.path(), &pdf, 300, page);
        assert_eq!(scan(&file), set(&[code]));
    }
}

#[test]
fn the_font_is_embedded_as_a_subset() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = render(&[folder("KH-2026-000001", "张三")], "a4-3x7", &PrintOptions::default());
    let file = dir.path().join("f.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let out = Command::new("pdffonts").arg(&file).output().expect("pdffonts (poppler-utils) is installed");
    let text = String::from_utf8_lossy(&out.stdout);
    let fonts: Vec<&str> = text.lines().skip(2).collect();
    assert!(!fonts.is_empty(), "no font in the PDF:\n{text}");
    for line in fonts {
        let cols: Vec<&str> = line.split_whitespace().collect();
        // name type [encoding…] emb sub uni object ID: emb and sub are the 4th and 3rd from the end.
        let (emb, sub) = (cols[cols.len() - 5], cols[cols.len() - 4]);
        assert_eq!((emb, sub), ("yes", "yes"), "font not embedded as a subset:\n{text}");
        assert!(cols[0].len() > 7 && cols[0].as_bytes()[6] == b'+', "no subset tag in {:?}", cols[0]);
    }
    // A subset: a label PDF is kilobytes, not the 16 MB font.
    assert!(pdf.len() < 200_000, "{} bytes", pdf.len());
}

/// Missing glyphs would all draw the same `.notdef` box (or nothing): two different names of
/// the same length must give different, non-blank pixels where the name is printed.
#[test]
fn chinese_glyphs_are_drawn_not_empty_boxes() {
    let dir = tempfile::tempdir().unwrap();
    let s = stock("a4-3x7");
    let (x, y) = s.cell_origin(0);
    let p = s.padding_mm;
    let name_band = (x + p, y + p, s.label_width_mm - 2.0 * p, (s.label_height_mm - 2.0 * p) * 0.30);
    let mut crops = Vec::new();
    for name in ["张三丰", "欧阳娜"] {
        let pdf = render(&[folder("KH-2026-000001", name)], "a4-3x7", &PrintOptions::default());
        let (img, _) = raster(dir.path(), &pdf, 200, 1);
        let dark = img.dark_in(name_band.0, name_band.1, name_band.2, name_band.3);
        assert!(dark > 200, "the name {name} drew {dark} dark pixels");
        crops.push(img.crop(name_band.0, name_band.1, name_band.2, name_band.3));
    }
    assert_ne!(crops[0], crops[1], "two different names drew the same pixels");
    // The same with captions on a cover sheet (text only, no codes near it).
    let out = Command::new("pdftotext").arg("-v").output();
    if out.is_ok() {
        let cover =
            CoverSheet { dossier: "KH-2026-000042".into(), name: "欧阳娜娜".into(), doc_type: None };
        let pdf = render(&[LabelItem::Cover(cover)], "a4-full", &PrintOptions::default());
        let file = dir.path().join("c.pdf");
        std::fs::write(&file, pdf).unwrap();
        let text = Command::new("pdftotext").arg(&file).arg("-").output().unwrap();
        let text = String::from_utf8_lossy(&text.stdout);
        assert!(text.contains("欧阳娜娜") && text.contains("扫描时请将本页放在该户文件最前面"), "{text}");
    }
}

#[test]
fn a_too_long_name_shrinks_then_ends_with_an_ellipsis_inside_its_label() {
    let dir = tempfile::tempdir().unwrap();
    let long = "新疆维吾尔自治区乌鲁木齐市天山区某某某某某某某某电力设备安装工程有限责任公司第一分公司";
    let pdf = render(&[folder("KH-2026-000001", long)], "a4-3x7", &PrintOptions::default());
    let s = stock("a4-3x7");
    let (x, y) = s.cell_origin(0);
    for dpi in DPIS {
        let (img, file) = raster(dir.path(), &pdf, dpi, 1);
        let outside = img.dark_outside(x, y, s.label_width_mm, s.label_height_mm, 0.2);
        assert_eq!(outside, 0, "{dpi} dpi: dark pixels outside the label");
        assert_eq!(scan(&file), set(&["KH-2026-000001"]));
    }
    let file = dir.path().join("long.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let text = Command::new("pdftotext").arg(&file).arg("-").output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("新疆维吾尔自治区") && text.contains('…'), "{text}");
    assert!(!text.contains("第一分公司"), "the end should be cut: {text}");
}

#[test]
fn start_skips_used_positions_and_the_offset_moves_the_print() {
    let dir = tempfile::tempdir().unwrap();
    let s = stock("a4-3x7");
    // Position 5 on a 3-column sheet: second row, second column.
    let options = PrintOptions { start: 5, ..PrintOptions::default() };
    let pdf = render(&[folder("KH-2026-000005", "张三")], "a4-3x7", &options);
    let (x, y) = s.cell_origin(4);
    assert_eq!((x, y), (7.2 + 66.0, 15.15 + 38.1));
    let (img, _) = raster(dir.path(), &pdf, 200, 1);
    assert_eq!(img.dark_outside(x, y, s.label_width_mm, s.label_height_mm, 0.2), 0);
    let crop = img.crop_file(dir.path(), "cell.pgm", x, y, s.label_width_mm, s.label_height_mm);
    assert_eq!(scan(&crop), set(&["KH-2026-000005"]));

    // Calibrated 3 mm right and 2 mm down: the same label, moved.
    let moved = PrintOptions { start: 5, offset_x_mm: 3.0, offset_y_mm: 2.0, ..PrintOptions::default() };
    let pdf = render(&[folder("KH-2026-000005", "张三")], "a4-3x7", &moved);
    let (img2, _) = raster(dir.path(), &pdf, 200, 1);
    assert_eq!(img2.dark_outside(x + 3.0, y + 2.0, s.label_width_mm, s.label_height_mm, 0.2), 0);
    let (before, after) = (img.bbox(), img2.bbox());
    let moved = (after.0 as f64 - before.0 as f64, after.1 as f64 - before.1 as f64);
    let expect = (3.0 / 25.4 * 200.0, 2.0 / 25.4 * 200.0);
    assert!(
        (moved.0 - expect.0).abs() <= 1.0 && (moved.1 - expect.1).abs() <= 1.0,
        "moved {moved:?}, not {expect:?}"
    );

    // 21 labels from position 20: two on the first page, 19 on the second.
    let items: Vec<LabelItem> = (1..=21).map(|i| folder(&format!("KH-2026-{i:06}"), "张三")).collect();
    let pdf = render(&items, "a4-3x7", &PrintOptions { start: 20, ..PrintOptions::default() });
    let (_, first) = raster(dir.path(), &pdf, 200, 1);
    assert_eq!(scan(&first), set(&["KH-2026-000001", "KH-2026-000002"]));
    let (_, second) = raster(dir.path(), &pdf, 200, 2);
    assert_eq!(scan(&second).len(), 19);
}

#[test]
fn a_start_outside_the_sheet_is_a_usage_error() {
    for start in [0, 22] {
        let options = PrintOptions { start, ..PrintOptions::default() };
        let e = labels::render(&[folder("KH-2026-000001", "张三")], &stock("a4-3x7"), &options).unwrap_err();
        assert_eq!(e.kind(), dangan::model::ErrorKind::Usage);
        let m = e.message();
        assert_eq!((m.key, m.get("max")), ("label-start-out-of-range", Some("21")));
    }
    let zh = Tr::new(Language::Chinese);
    let e = labels::render(
        &[folder("KH-2026-000001", "张三")],
        &stock("a4-3x7"),
        &PrintOptions { start: 22, ..PrintOptions::default() },
    )
    .unwrap_err();
    assert!(zh.error(&e).contains("1 到 21"), "{}", zh.error(&e));
    assert!(zh.error_cli(&e).contains("--start 22"), "{}", zh.error_cli(&e));
}

#[test]
fn a_kind_the_stock_is_not_for_and_an_unprintable_code_are_refused() {
    let cover =
        LabelItem::Cover(CoverSheet { dossier: "KH-1".into(), name: "张三".into(), doc_type: None });
    let e = labels::render(&[cover], &stock("a4-3x7"), &PrintOptions::default()).unwrap_err();
    assert_eq!(e.message().key, "label-kind-unsuited");
    let en = Tr::new(Language::English);
    assert!(en.error(&e).contains("cover sheets"), "{}", en.error(&e));

    let e =
        labels::render(&[folder("档案-1", "张三")], &stock("a4-3x7"), &PrintOptions::default()).unwrap_err();
    assert_eq!(e.message().key, "label-code-unprintable");
    // A code too long for the label's width is refused, not printed unreadable.
    let long = folder(&"A".repeat(40), "张三");
    let e = labels::render(&[long], &stock("roll-60x40"), &PrintOptions::default()).unwrap_err();
    assert_eq!(e.message().key, "label-barcode-too-long");
    assert!(Tr::new(Language::Chinese).error(&e).contains("更宽的标签纸"));
}

#[test]
fn a_stock_whose_labels_do_not_fit_is_refused_naming_it_and_by_how_much() {
    let dir = tempfile::tempdir().unwrap();
    let text = r#"
id = "a4-4x10"
name_zh = "A4 4×10"
name_en = "A4 4x10"
kind = "sheet"
suits = ["folder"]
page_width_mm = 210.0
page_height_mm = 297.0
label_width_mm = 52.5
label_height_mm = 29.7
columns = 4
rows = 10
margin_left_mm = 2.0
margin_top_mm = 1.0
"#;
    std::fs::write(dir.path().join("a4-4x10.toml"), text).unwrap();
    let e = labels::stocks(Some(dir.path())).unwrap_err();
    let m = e.message();
    assert_eq!(
        (m.key, m.get("stock"), m.get("over")),
        ("label-stock-too-wide", Some("a4-4x10"), Some("2.0"))
    );
    let zh = Tr::new(Language::Chinese).error(&e);
    assert!(zh.contains("a4-4x10") && zh.contains("2.0 毫米"), "{zh}");

    // Fixed, it is listed; a user stock with a built-in's id replaces the built-in.
    let fixed =
        text.replace("margin_left_mm = 2.0", "margin_left_mm = 0.0").replace("margin_top_mm = 1.0", "");
    std::fs::write(dir.path().join("a4-4x10.toml"), fixed).unwrap();
    let mine =
        include_str!("../assets/labels/roll-60x40.toml").replace("rows = 1", "rows = 1\ngap_y_mm = 0.0");
    let mine = mine.replace("热敏卷标 60×40 毫米", "我们的卷标");
    std::fs::write(dir.path().join("roll.toml"), mine).unwrap();
    let all = labels::stocks(Some(dir.path())).unwrap();
    assert!(all.iter().any(|s| s.id == "a4-4x10"));
    let roll: Vec<&Stock> = all.iter().filter(|s| s.id == "roll-60x40").collect();
    assert_eq!(roll.len(), 1);
    assert_eq!(roll[0].name_zh, "我们的卷标");

    // A typo in a user file names the file and the line.
    std::fs::write(dir.path().join("zz.toml"), "id = \"zz\"\ncolumns = 3\nrows = seven\n").unwrap();
    let m = labels::stocks(Some(dir.path())).unwrap_err().message();
    assert_eq!(m.key, "label-stock-unreadable");
    assert!(m.get("file").unwrap().ends_with("zz.toml"));
    assert_eq!(m.get("line"), Some("3"));

    let m = labels::find_stock(None, "a5-nothing").unwrap_err().message();
    assert_eq!(m.key, "label-stock-unknown");
    assert!(m.get("known").unwrap().contains("a4-3x7"));
}

#[test]
fn a_thousand_folder_labels_make_one_valid_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let items: Vec<LabelItem> = (1..=1000)
        .map(|i| folder(&format!("KH-2026-{i:06}"), ["张三", "欧阳娜娜", "李四光"][i % 3]))
        .collect();
    let pdf = render(&items, "a4-3x7", &PrintOptions::default());
    assert!(pdf.len() < 2 * 1024 * 1024, "{} bytes", pdf.len());
    let file = dir.path().join("thousand.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let info = Command::new("pdfinfo").arg(&file).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.lines().any(|l| l.starts_with("Pages:") && l.ends_with(" 48")), "{info}");
    // The last page holds labels 988 to 1000.
    let (_, last) = raster(dir.path(), &pdf, 200, 48);
    let codes = scan(&last);
    assert_eq!(codes.len(), 13);
    assert!(codes.contains("KH-2026-001000") && codes.contains("KH-2026-000988"));
}

#[test]
fn the_contents_list_continues_with_its_header_and_ends_with_the_remarks() {
    let dir = tempfile::tempdir().unwrap();
    let list = contents_list(70);
    let pdf = render(&[LabelItem::Contents(list)], "a4-full", &PrintOptions::default());
    let file = dir.path().join("contents.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let page = |n: usize| {
        let out = Command::new("pdftotext")
            .args(["-f", &n.to_string(), "-l", &n.to_string()])
            .arg(&file)
            .arg("-")
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let info = Command::new("pdfinfo").arg(&file).output().unwrap();
    let pages: usize = String::from_utf8_lossy(&info.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(pages >= 3, "70 rows and the remarks on {pages} pages");
    for n in 1..pages {
        let text = page(n);
        assert!(
            text.contains("卷内目录") && text.contains("顺序号") && text.contains("题名"),
            "page {n}: {text}"
        );
        assert!(text.contains("KH-2026-000042"), "page {n}");
    }
    assert!(page(1).contains("第1号 供用电合同及附件"));
    assert!(page(pages - 1).contains("第70号 供用电合同及附件"));
    let last = page(pages);
    for s in ["卷内备考表", "本卷情况说明", "立卷人", "检查人", "立卷时间", "张三", "2026-11-23"]
    {
        assert!(last.contains(s), "remarks page lacks {s}: {last}");
    }
    // An empty dossier still gets a blank form to fill in by hand, and its remarks.
    let pdf = render(&[LabelItem::Contents(contents_list(0))], "a4-full", &PrintOptions::default());
    let (img, _) = raster(dir.path(), &pdf, 100, 1);
    assert!(img.dark_in(20.0, 60.0, 170.0, 200.0) > 1000, "no table drawn");
}

#[test]
fn captions_default_to_chinese_and_come_from_the_translations() {
    let zh = Tr::new(Language::Chinese);
    assert_eq!(Captions::from_translations(|k| zh.t(k)), Captions::default());
    let en = Tr::new(Language::English);
    let english = Captions::from_translations(|k| en.t(k));
    assert_eq!(english.fonds, "Fonds");
    for key in Captions::KEYS {
        assert!(en.has(key) && zh.has(key), "{key}");
    }
}

/// Not a test: writes one PDF of every kind on each of its stocks into `$DANGAN_LABEL_SAMPLES`
/// (default: the system's temporary folder), to look at or print:
/// `cargo test --test labels -- --ignored write_samples`.
#[test]
#[ignore]
fn write_samples() {
    let out = std::env::var_os("DANGAN_LABEL_SAMPLES")
        .map_or_else(|| std::env::temp_dir().join("dangan-labels"), PathBuf::from);
    std::fs::create_dir_all(&out).unwrap();
    let long = "新疆维吾尔自治区乌鲁木齐市天山区某某电力设备安装工程有限责任公司第一分公司";
    let samples: Vec<(LabelKind, Vec<LabelItem>)> = vec![
        (
            LabelKind::Folder,
            vec![
                folder("KH-2026-000001", "张三"),
                folder("KH-2026-000002", long),
                folder("KH-2026-000003", "欧阳娜娜"),
            ],
        ),
        (
            LabelKind::Location,
            vec![LabelItem::Location(LocationLabel {
                path: "档案室A/1排/3列/2层".into(),
                code: "L-000017".into(),
            })],
        ),
        (
            LabelKind::BoxFront,
            vec![
                LabelItem::BoxFront(a_box("BX-00000127", Some("档案室A/1排/3列/2层"))),
                LabelItem::BoxFront(a_box("BX-00000128", None)),
            ],
        ),
        (
            LabelKind::BoxSpine,
            vec![
                LabelItem::BoxSpine(a_box("BX-00000127", Some("档案室A/1排/3列/2层"))),
                LabelItem::BoxSpine(a_box("BX-00000128", None)),
            ],
        ),
        (
            LabelKind::Cover,
            vec![LabelItem::Cover(CoverSheet {
                dossier: "KH-2026-000042".into(),
                name: "欧阳娜娜".into(),
                doc_type: Some(("ID".into(), "身份证".into())),
            })],
        ),
        (LabelKind::Contents, vec![LabelItem::Contents(contents_list(35))]),
    ];
    for s in labels::stocks(None).unwrap() {
        for (kind, items) in &samples {
            if s.suits(*kind) {
                let pdf = labels::render(items, &s, &PrintOptions::default()).unwrap();
                std::fs::write(out.join(format!("{}-{}.pdf", kind.code(), s.id)), pdf).unwrap();
            }
        }
    }
    println!("samples in {}", out.display());
}

/// The narrowest spine with every field far too long: all of it stays on its strip, and the
/// box's barcode still reads.
#[test]
fn long_fields_stay_on_a_narrow_spine_strip() {
    let dir = tempfile::tempdir().unwrap();
    let s = stock("spine-20");
    let crowded = BoxLabel {
        fonds: "国网某某省电力有限公司某某市供电分公司".into(),
        year: "2026年度第一季度".into(),
        retention: "永久（含电子文件）".into(),
        item_range: "000001–099999".into(),
        box_no: "第000123号盒（续）".into(),
        code: "BX-00000127".into(),
        location: Some("档案室A/1排/3列/2层/左侧第5格/上层/靠窗一侧/备用位置".into()),
    };
    let pdf = render(&[LabelItem::BoxSpine(crowded)], "spine-20", &PrintOptions::default());
    if let Some(out) = std::env::var_os("DANGAN_LABEL_SAMPLES") {
        std::fs::write(Path::new(&out).join("box-spine-crowded.pdf"), &pdf).unwrap();
    }
    let (x, y) = s.cell_origin(0);
    for dpi in DPIS {
        let (img, file) = raster(dir.path(), &pdf, dpi, 1);
        assert_eq!(img.dark_outside(x, y, s.label_width_mm, s.label_height_mm, 0.2), 0, "{dpi} dpi");
        assert_eq!(scan(&file), set(&["BX-00000127"]), "{dpi} dpi");
    }
}
