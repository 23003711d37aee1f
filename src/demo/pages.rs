//! Synthetic scans: the page images the demo, the benchmarks and the tests import as if an
//! office scanner had made them. Deterministic for a seed, pure Rust, fast enough for tens of
//! thousands of pages.
//!
//! A page is drawn clean (white paper, black ink: text lines in the bundled font, a QR code, a
//! Code128 barcode), then passed through [`Scanner`] effects in the order paper meets a
//! scanner: a small skew (bilinear rotation, white fill), the paper's grey tone with a grey
//! jitter, and specks of dust. A cover sheet is the real one the labels code prints
//! ([`cover_scan`]), rendered from its PDF and "scanned" the same way. The encoders write the
//! files scanners write: PNG, JPEG, multi-page TIFF (LZW, Deflate, CCITT Group 4) and PDF.

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::Cursor;
use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, PxScale, ScaleFont};
use image::{GrayImage, Luma};

use super::Rng;
use crate::labels::{self, CoverSheet, LabelItem, PrintOptions};
use crate::model::error::{Error, Result};
use crate::model::font::CJK_FONT;
use crate::scan::{Limits, ScanFile};

/// A4, in millimetres.
pub const A4_MM: (f32, f32) = (210.0, 297.0);

const MM_PER_INCH: f32 = 25.4;

/// The grey of printed ink (toner is not perfectly black).
const INK: u8 = 28;

/// The scanner's effects on a page: how crooked the paper went in, how noisy the sensor and
/// the glass are, and the seed that makes both repeatable.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scanner {
    /// Rotation of the paper, degrees (positive = counter-clockwise); office feeders stay
    /// within ±3°.
    pub skew_deg: f32,
    /// 0 = a perfect scan; 1 = a dusty glass and a noisy sensor (grey jitter of ±12 levels,
    /// ~300 specks per megapixel).
    pub noise: f32,
    pub seed: u64,
}

impl Scanner {
    /// No skew, no noise: the page as drawn (the paper stays pure white).
    pub fn clean() -> Scanner {
        Scanner { skew_deg: 0.0, noise: 0.0, seed: 0 }
    }

    /// A typical office feeder for `seed`: skew within ±1.5°, moderate noise.
    pub fn office(seed: u64) -> Scanner {
        let mut rng = Rng::new(seed ^ 0x5ca9);
        let skew_deg = (rng.below(301) as f32 - 150.0) / 100.0;
        let noise = 0.2 + rng.below(30) as f32 / 100.0;
        Scanner { skew_deg, noise, seed }
    }
}

/// A QR code on a page: its text, its top-left corner and its side (without the quiet zone,
/// which the white paper around it provides), in mm from the page's top-left corner.
#[derive(Debug, Clone, PartialEq)]
pub struct QrMark {
    pub text: String,
    pub x_mm: f32,
    pub y_mm: f32,
    pub side_mm: f32,
}

/// A Code128 barcode on a page: its text, its top-left corner and size in mm.
#[derive(Debug, Clone, PartialEq)]
pub struct BarMark {
    pub text: String,
    pub x_mm: f32,
    pub y_mm: f32,
    pub width_mm: f32,
    pub height_mm: f32,
}

/// What one synthetic page shows. [`PageSpec::render`] draws it.
#[derive(Debug, Clone, PartialEq)]
pub struct PageSpec {
    /// Scan resolution: 150, 200 or 300 dpi are what office scanners offer.
    pub dpi: u32,
    /// Page size in mm (A4 portrait by default).
    pub size_mm: (f32, f32),
    /// Text lines from the top margin down, wrapped at the right margin (Chinese wraps at any
    /// character, Latin too: this is a scan, not typesetting); lines past the bottom margin
    /// are not drawn.
    pub lines: Vec<String>,
    /// Text size in points.
    pub text_pt: f32,
    /// Margin on every side, mm.
    pub margin_mm: f32,
    pub qr: Option<QrMark>,
    pub code128: Option<BarMark>,
    /// The blank back side of a sheet scanned on both sides: nothing drawn, only the paper and
    /// the scanner's noise (lines and marks are ignored).
    pub blank: bool,
    pub scanner: Scanner,
}

impl PageSpec {
    /// An empty A4 page at `dpi`, 10.5 pt text, 20 mm margins, scanned by `scanner`.
    pub fn a4(dpi: u32, scanner: Scanner) -> PageSpec {
        PageSpec {
            dpi,
            size_mm: A4_MM,
            lines: Vec::new(),
            text_pt: 10.5,
            margin_mm: 20.0,
            qr: None,
            code128: None,
            blank: false,
            scanner,
        }
    }

    /// The blank back side of an A4 sheet.
    pub fn blank_back(dpi: u32, scanner: Scanner) -> PageSpec {
        PageSpec { blank: true, ..PageSpec::a4(dpi, scanner) }
    }

    /// An A4 page of `lines` of text.
    pub fn text(dpi: u32, lines: Vec<String>, scanner: Scanner) -> PageSpec {
        PageSpec { lines, ..PageSpec::a4(dpi, scanner) }
    }

    /// The page's size in pixels at its dpi.
    pub fn pixels(&self) -> (u32, u32) {
        (mm_to_px(self.size_mm.0, self.dpi).max(1), mm_to_px(self.size_mm.1, self.dpi).max(1))
    }

    /// The page as a scanner would deliver it, in grey.
    pub fn render(&self) -> Result<GrayImage> {
        if !(50..=1200).contains(&self.dpi) {
            return Err(Error::usage("demo-scan-bad-dpi").arg("dpi", self.dpi));
        }
        let (w, h) = self.pixels();
        let mut page = GrayImage::from_pixel(w, h, Luma([255]));
        if !self.blank {
            self.draw_text(&mut page)?;
            if let Some(q) = &self.qr {
                draw_qr(&mut page, q, self.dpi)?;
            }
            if let Some(b) = &self.code128 {
                draw_code128(&mut page, b, self.dpi)?;
            }
        }
        Ok(scan_effects(page, &self.scanner))
    }

    fn draw_text(&self, page: &mut GrayImage) -> Result<()> {
        if self.lines.is_empty() {
            return Ok(());
        }
        let font = font()?;
        let px = (self.text_pt / 72.0 * self.dpi as f32).max(4.0);
        let scaled = font.as_scaled(PxScale::from(px));
        let line_height = (scaled.height() * 1.5).max(1.0);
        let left = mm_to_px(self.margin_mm, self.dpi) as f32;
        let right = page.width() as f32 - left;
        let bottom = page.height() as f32 - mm_to_px(self.margin_mm, self.dpi) as f32;
        let mut baseline = mm_to_px(self.margin_mm, self.dpi) as f32 + scaled.ascent();
        let px_key = px.round() as u32;
        GLYPHS.with(|cache| {
            let mut cache = cache.borrow_mut();
            'lines: for line in &self.lines {
                let mut x = left;
                for c in line.chars().filter(|c| !c.is_control()) {
                    let glyph = cache.entry((c, px_key)).or_insert_with(|| raster(font, c, px));
                    if x + glyph.advance > right && x > left {
                        x = left;
                        baseline += line_height;
                        if baseline > bottom {
                            break 'lines;
                        }
                    }
                    glyph.draw(page, x.round() as i64, baseline.round() as i64);
                    x += glyph.advance;
                }
                baseline += line_height;
                if baseline > bottom {
                    break;
                }
            }
        });
        Ok(())
    }
}

/// Lines of text that look like the papers of a dossier (a contract's clauses, in Chinese
/// with numbers and some Latin), `n` of them, for `seed`.
pub fn filler_lines(seed: u64, n: usize) -> Vec<String> {
    const OPENINGS: &[&str] =
        &["甲方", "乙方", "双方", "本合同", "用户", "供电人", "用水人", "申请人", "经办人", "委托人"];
    const CLAUSES: &[&str] = &[
        "应按照国家有关规定及本合同约定的期限缴纳费用",
        "如需变更用户名称、地址或用途，应持有效证件到营业厅办理手续",
        "保证所提供的身份证明及房屋产权证明真实有效",
        "同意以银行代扣方式结算，账户余额不足时按逾期处理",
        "对计量装置的准确性有异议的，可申请校验",
        "未经许可不得擅自转供或改变用途",
        "本合同一式两份，双方各执一份，自签字盖章之日起生效",
        "发生争议时，双方协商解决；协商不成的，可向当地人民法院起诉",
        "表计安装位置及产权分界点详见附件示意图",
        "违约责任按《民法典》及相关行业规定执行",
        "联系电话变更的，应在十个工作日内书面通知对方",
        "临时停止使用的，应提前三日提出申请",
    ];
    const TAILS: &[&str] =
        &["。", "；", "，特此约定。", "（详见附件 A-2）。", "，逾期每日按 0.5‰ 计收违约金。"];
    let mut rng = Rng::new(seed ^ 0x7e47);
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        if i % 9 == 0 {
            let article = i / 9 + 1;
            out.push(format!(
                "第{}条  {}",
                chinese_number(article),
                rng.pick(&["总则", "费用", "计量", "安全", "变更", "违约", "附则"])
            ));
            continue;
        }
        let mut line = format!("{}{}", rng.pick(OPENINGS), rng.pick(CLAUSES));
        if rng.chance(250) {
            line.push_str(&format!("，金额 ¥{}.{:02} 元", rng.range(20, 9_999), rng.below(100)));
        }
        if rng.chance(150) {
            line.push_str(&format!("，编号 No.{}-{:06}", rng.range(2015, 2026), rng.below(1_000_000)));
        }
        line.push_str(rng.pick::<&str>(TAILS));
        out.push(line);
    }
    out
}

fn chinese_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n].to_string(),
        10 => "十".to_string(),
        11..=19 => format!("十{}", DIGITS[n % 10]),
        20..=99 if n.is_multiple_of(10) => format!("{}十", DIGITS[n / 10]),
        20..=99 => format!("{}十{}", DIGITS[n / 10], DIGITS[n % 10]),
        _ => n.to_string(),
    }
}

/// The cover sheet for a dossier (and a document type), printed by the labels code on the
/// `a4-full` stock, rendered from its PDF at `dpi` and passed through the scanner's effects:
/// what the hot folder receives when a clerk scans a cover sheet.
pub fn cover_scan(
    dossier: &str,
    name: &str,
    doc_type: Option<(&str, &str)>,
    dpi: u32,
    skew_deg: f32,
    noise: f32,
    seed: u64,
) -> Result<GrayImage> {
    let clean = cover_clean(dossier, name, doc_type, dpi)?;
    Ok(scan_effects(clean, &Scanner { skew_deg, noise, seed }))
}

/// The cover sheet rendered from its PDF at `dpi`, before any scanner effect.
pub fn cover_clean(dossier: &str, name: &str, doc_type: Option<(&str, &str)>, dpi: u32) -> Result<GrayImage> {
    if !(50..=1200).contains(&dpi) {
        return Err(Error::usage("demo-scan-bad-dpi").arg("dpi", dpi));
    }
    let stock = labels::find_stock(None, "a4-full")?;
    let sheet = CoverSheet {
        dossier: dossier.to_string(),
        name: name.to_string(),
        doc_type: doc_type.map(|(c, n)| (c.to_string(), n.to_string())),
    };
    let pdf = labels::render(&[LabelItem::Cover(sheet)], &stock, &PrintOptions::default())?;
    let cover_failed = |detail: String| Error::failed("demo-scan-cover-failed").arg("detail", detail);
    let file = ScanFile::open(pdf, &Limits::default()).map_err(|r| cover_failed(format!("{r:?}")))?;
    file.gray_at_dpi(0, dpi as f32).map_err(|r| cover_failed(format!("{r:?}")))
}

/// Passes a clean page through the scanner: skew (white fill), the paper's tone with grey
/// jitter, and specks. A clean [`Scanner`] returns the page unchanged.
pub fn scan_effects(page: GrayImage, scanner: &Scanner) -> GrayImage {
    let mut page = if scanner.skew_deg.abs() > 0.01 { rotate(&page, scanner.skew_deg) } else { page };
    let noise = scanner.noise.clamp(0.0, 1.0);
    if noise > 0.0 {
        let mut rng = Rng::new(scanner.seed);
        paper(&mut page, noise, &mut rng);
        specks(&mut page, noise, &mut rng);
    }
    page
}

/// Rotates `src` by `deg` (counter-clockwise) about its centre, bilinear, the same size, with
/// white where no paper is.
fn rotate(src: &GrayImage, deg: f32) -> GrayImage {
    let (w, h) = src.dimensions();
    let (wi, hi) = (w as i64, h as i64);
    let data = src.as_raw();
    let mut out = vec![255u8; data.len()];
    let (sin, cos) = deg.to_radians().sin_cos();
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    // Source coordinates in 16.16 fixed point; moving one pixel right in the output moves
    // (cos, -sin) in the source.
    const ONE: f32 = 65536.0;
    let dsx = (cos * ONE) as i64;
    let dsy = (-sin * ONE) as i64;
    // Rows of pure white paper (most of a page): a pixel drawn only from them stays white.
    let white: Vec<bool> = src.rows().map(|r| r.into_iter().all(|p| p.0[0] == 255)).collect();
    let white_at = |y: i64| y < 0 || y >= hi || white[y as usize];
    for y in 0..h {
        let dy = y as f32 + 0.5 - cy;
        let dx = 0.5 - cx;
        let mut sx = ((cx + dx * cos + dy * sin - 0.5) * ONE) as i64;
        let mut sy = ((cy - dx * sin + dy * cos - 0.5) * ONE) as i64;
        let row = &mut out[(y * w) as usize..((y + 1) * w) as usize];
        for px in row.iter_mut() {
            let (x0, y0) = (sx >> 16, sy >> 16);
            if x0 >= -1 && y0 >= -1 && x0 < wi && y0 < hi && !(white_at(y0) && white_at(y0 + 1)) {
                let fx = (sx & 0xFFFF) >> 8;
                let fy = (sy & 0xFFFF) >> 8;
                let (a, b, c, d) = if x0 >= 0 && y0 >= 0 && x0 + 1 < wi && y0 + 1 < hi {
                    // Inside the page (nearly every pixel): the four neighbours directly.
                    let i = (y0 * wi + x0) as usize;
                    let (r0, r1) = (&data[i..i + 2], &data[i + w as usize..i + w as usize + 2]);
                    (i64::from(r0[0]), i64::from(r0[1]), i64::from(r1[0]), i64::from(r1[1]))
                } else {
                    let at = |x: i64, y: i64| -> i64 {
                        if x < 0 || y < 0 || x >= wi || y >= hi {
                            255
                        } else {
                            i64::from(data[(y * wi + x) as usize])
                        }
                    };
                    (at(x0, y0), at(x0 + 1, y0), at(x0, y0 + 1), at(x0 + 1, y0 + 1))
                };
                let top = a * (256 - fx) + b * fx;
                let bottom = c * (256 - fx) + d * fx;
                *px = ((top * (256 - fy) + bottom * fy) >> 16) as u8;
            }
            sx += dsx;
            sy += dsy;
        }
    }
    GrayImage::from_raw(w, h, out).unwrap_or_else(|| src.clone())
}

/// The paper's grey tone (a sheet is never 255) and the sensor's jitter, ±12 levels at noise 1.
fn paper(page: &mut GrayImage, noise: f32, rng: &mut Rng) {
    let tone = 238 + rng.below(12) as u32; // the white of this sheet
    let amp = (noise * 12.0).round() as u32; // jitter ±amp
    let span = 2 * amp + 1;
    let mut bits = 0u64;
    let mut left = 0;
    for px in page.iter_mut() {
        if left == 0 {
            bits = rng.next_u64();
            left = 8;
        }
        let r = (bits & 0xFF) as u32;
        bits >>= 8;
        left -= 1;
        let v = u32::from(*px) * tone / 255 + ((r * span) >> 8);
        *px = v.saturating_sub(amp).min(255) as u8;
    }
}

/// Dust on the glass: small dark specks, ~300 per megapixel at noise 1.
fn specks(page: &mut GrayImage, noise: f32, rng: &mut Rng) {
    let (w, h) = page.dimensions();
    if w < 4 || h < 4 {
        return;
    }
    let count = (f64::from(noise) * f64::from(w) * f64::from(h) / 1e6 * 300.0) as u64;
    for _ in 0..count {
        let x = rng.below(u64::from(w - 2)) as u32;
        let y = rng.below(u64::from(h - 2)) as u32;
        let grey = 30 + rng.below(90) as u8;
        let size = 1 + rng.below(2) as u32;
        for yy in y..y + size {
            for xx in x..x + size {
                let p = page.get_pixel_mut(xx, yy);
                p.0[0] = p.0[0].min(grey);
            }
        }
    }
}

fn mm_to_px(mm: f32, dpi: u32) -> u32 {
    (mm / MM_PER_INCH * dpi as f32).round().max(0.0) as u32
}

/// Paints a black rectangle (pixel bounds, clipped).
fn fill(page: &mut GrayImage, x0: u32, y0: u32, x1: u32, y1: u32) {
    let (w, h) = page.dimensions();
    let (x1, y1) = (x1.min(w), y1.min(h));
    for y in y0..y1 {
        for x in x0..x1 {
            page.put_pixel(x, y, Luma([INK]));
        }
    }
}

fn draw_qr(page: &mut GrayImage, q: &QrMark, dpi: u32) -> Result<()> {
    let (n, dark) = labels::barcode::qr(&q.text)?;
    let (x, y) = (mm_to_px(q.x_mm, dpi), mm_to_px(q.y_mm, dpi));
    let side = mm_to_px(q.side_mm, dpi);
    if side < n as u32 {
        return Err(Error::usage("demo-scan-code-too-small").arg("code", &q.text).arg("dpi", dpi));
    }
    // Module edges at rounded positions, so every module is 1–2 pixels of the same size.
    let edge = |i: usize| (i as u64 * u64::from(side) / n as u64) as u32;
    for row in 0..n {
        for col in 0..n {
            if dark[row * n + col] {
                fill(page, x + edge(col), y + edge(row), x + edge(col + 1), y + edge(row + 1));
            }
        }
    }
    Ok(())
}

fn draw_code128(page: &mut GrayImage, b: &BarMark, dpi: u32) -> Result<()> {
    let modules = labels::barcode::code128(&b.text)?;
    let (x, y) = (mm_to_px(b.x_mm, dpi), mm_to_px(b.y_mm, dpi));
    let width = mm_to_px(b.width_mm, dpi);
    let height = mm_to_px(b.height_mm, dpi);
    if width < modules.len() as u32 {
        return Err(Error::usage("demo-scan-code-too-small").arg("code", &b.text).arg("dpi", dpi));
    }
    let edge = |i: usize| (i as u64 * u64::from(width) / modules.len() as u64) as u32;
    for (i, m) in modules.iter().enumerate() {
        if *m == 1 {
            fill(page, x + edge(i), y, x + edge(i + 1), y + height);
        }
    }
    Ok(())
}

// ---- text ----

fn font() -> Result<&'static FontRef<'static>> {
    static FONT: OnceLock<Option<FontRef<'static>>> = OnceLock::new();
    FONT.get_or_init(|| FontRef::try_from_slice(CJK_FONT).ok())
        .as_ref()
        .ok_or_else(|| Error::failed("label-font-unreadable"))
}

/// A glyph's coverage (0 = paper, 255 = ink) at one size, placed relative to the pen on the
/// baseline.
struct Glyph {
    left: i64,
    top: i64,
    width: u32,
    height: u32,
    coverage: Vec<u8>,
    advance: f32,
}

impl Glyph {
    fn draw(&self, page: &mut GrayImage, pen_x: i64, baseline: i64) {
        let (w, h) = (i64::from(page.width()), i64::from(page.height()));
        for gy in 0..self.height as i64 {
            let y = baseline + self.top + gy;
            if y < 0 || y >= h {
                continue;
            }
            for gx in 0..self.width as i64 {
                let x = pen_x + self.left + gx;
                let c = u32::from(self.coverage[(gy * self.width as i64 + gx) as usize]);
                if c == 0 || x < 0 || x >= w {
                    continue;
                }
                let p = page.get_pixel_mut(x as u32, y as u32);
                let v = (u32::from(p.0[0]) * (255 - c) + u32::from(INK) * c) / 255;
                p.0[0] = v as u8;
            }
        }
    }
}

thread_local! {
    /// Rasterised glyphs by (character, pixel size): a page of Chinese text repeats its
    /// characters, and the demo draws thousands of pages at the same size.
    static GLYPHS: RefCell<HashMap<(char, u32), Glyph>> = RefCell::new(HashMap::new());
}

fn raster(font: &FontRef<'static>, c: char, px: f32) -> Glyph {
    let scaled = font.as_scaled(PxScale::from(px));
    let id = font.glyph_id(c);
    if id.0 == 0 {
        // Not in the font: a gap of half an em, never the font's empty box.
        return Glyph { left: 0, top: 0, width: 0, height: 0, coverage: Vec::new(), advance: px / 2.0 };
    }
    let advance = scaled.h_advance(id);
    let glyph = id.with_scale_and_position(PxScale::from(px), ab_glyph::point(0.0, 0.0));
    let Some(outlined) = font.outline_glyph(glyph) else {
        return Glyph { left: 0, top: 0, width: 0, height: 0, coverage: Vec::new(), advance };
    };
    let bounds = outlined.px_bounds();
    let (width, height) = (bounds.width().max(0.0) as u32, bounds.height().max(0.0) as u32);
    let mut coverage = vec![0u8; (width * height) as usize];
    outlined.draw(|x, y, v| {
        if x < width && y < height {
            coverage[(y * width + x) as usize] = (v.clamp(0.0, 1.0) * 255.0) as u8;
        }
    });
    Glyph { left: bounds.min.x as i64, top: bounds.min.y as i64, width, height, coverage, advance }
}

// ---- encoders ----

/// TIFF compression for [`encode_tiff`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// 8-bit grey, LZW.
    Lzw,
    /// 8-bit grey, Deflate.
    Deflate,
    /// Bilevel (the page thresholded at mid-grey), CCITT T.6 — what office scanners write.
    Group4,
}

fn encode_failed(format: &str, detail: impl std::fmt::Display) -> Error {
    Error::failed("demo-scan-encode-failed").arg("format", format).arg("detail", detail)
}

/// The page as a PNG file.
pub fn encode_png(page: &GrayImage) -> Result<Vec<u8>> {
    let mut out = Cursor::new(Vec::new());
    page.write_to(&mut out, image::ImageFormat::Png).map_err(|e| encode_failed("PNG", e))?;
    Ok(out.into_inner())
}

/// The page as a JPEG file at `quality` (1–100; scanners use 70–85).
pub fn encode_jpeg(page: &GrayImage, quality: u8) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality.clamp(1, 100));
    page.write_with_encoder(encoder).map_err(|e| encode_failed("JPEG", e))?;
    Ok(out)
}

/// The pages as one multi-page TIFF at `dpi` (one strip per page; Group 4 pages are bilevel
/// with PhotometricInterpretation WhiteIsZero, as scanners write them).
pub fn encode_tiff(pages: &[GrayImage], compression: Compression, dpi: u32) -> Result<Vec<u8>> {
    use tiff::encoder::{Rational, TiffEncoder, colortype};
    use tiff::tags::{ResolutionUnit, Tag};
    if pages.is_empty() {
        return Err(encode_failed("TIFF", "no pages"));
    }
    let failed = |e: tiff::TiffError| encode_failed("TIFF", e);
    let res = Rational { n: dpi.max(1), d: 1 };
    let mut out = Cursor::new(Vec::new());
    let mut tiff = match compression {
        Compression::Lzw => {
            TiffEncoder::new(&mut out).map_err(failed)?.with_compression(tiff::encoder::Compression::Lzw)
        }
        Compression::Deflate => TiffEncoder::new(&mut out)
            .map_err(failed)?
            .with_compression(tiff::encoder::Compression::Deflate(tiff::encoder::DeflateLevel::Balanced)),
        Compression::Group4 => TiffEncoder::new(&mut out).map_err(failed)?,
    };
    for page in pages {
        let (w, h) = page.dimensions();
        match compression {
            Compression::Lzw | Compression::Deflate => {
                let mut image = tiff.new_image::<colortype::Gray8>(w, h).map_err(failed)?;
                image.resolution(ResolutionUnit::Inch, res.clone());
                image.rows_per_strip(h).map_err(failed)?;
                image.write_data(page.as_raw()).map_err(failed)?;
            }
            Compression::Group4 => {
                let data = group4(page)?;
                let mut dir = tiff.image_directory().map_err(failed)?;
                let offset = dir.write_data(data.as_slice()).map_err(failed)?;
                let offset = u32::try_from(offset).map_err(|_| encode_failed("TIFF", "file over 4 GiB"))?;
                dir.write_tag(Tag::NewSubfileType, 0u32).map_err(failed)?;
                dir.write_tag(Tag::ImageWidth, w).map_err(failed)?;
                dir.write_tag(Tag::ImageLength, h).map_err(failed)?;
                dir.write_tag(Tag::BitsPerSample, 1u16).map_err(failed)?;
                dir.write_tag(Tag::Compression, 4u16).map_err(failed)?;
                dir.write_tag(Tag::PhotometricInterpretation, 0u16).map_err(failed)?;
                dir.write_tag(Tag::StripOffsets, offset).map_err(failed)?;
                dir.write_tag(Tag::SamplesPerPixel, 1u16).map_err(failed)?;
                dir.write_tag(Tag::RowsPerStrip, h).map_err(failed)?;
                dir.write_tag(Tag::StripByteCounts, data.len() as u32).map_err(failed)?;
                dir.write_tag(Tag::XResolution, res.clone()).map_err(failed)?;
                dir.write_tag(Tag::YResolution, res.clone()).map_err(failed)?;
                dir.write_tag(Tag::ResolutionUnit, ResolutionUnit::Inch.to_u16()).map_err(failed)?;
                // T6Options: no uncompressed mode.
                dir.write_tag(Tag::Unknown(293), 0u32).map_err(failed)?;
                dir.finish().map_err(failed)?;
            }
        }
    }
    Ok(out.into_inner())
}

/// The grey level below which a pixel is black when a page is made bilevel.
const BILEVEL: u8 = 128;

/// The page thresholded and compressed as CCITT T.6 (Group 4).
pub(crate) fn group4(page: &GrayImage) -> Result<Vec<u8>> {
    let (w, _) = page.dimensions();
    let width = u16::try_from(w)
        .map_err(|_| encode_failed("TIFF", format!("a page {w} pixels wide is too wide for Group 4")))?;
    let mut encoder = fax::encoder::Encoder::new(fax::VecWriter::new());
    for row in page.rows() {
        let pels = row.map(|p| if p.0[0] < BILEVEL { fax::Color::Black } else { fax::Color::White });
        match encoder.encode_line(pels, width) {
            Ok(()) => {}
            Err(never) => match never {},
        }
    }
    match encoder.finish() {
        Ok(writer) => Ok(writer.finish()),
        Err(never) => match never {},
    }
}

/// The pages as a PDF, one page per image at its physical size for `dpi`, the grey pixels
/// embedded losslessly (Flate).
pub fn encode_pdf(pages: &[GrayImage], dpi: u32) -> Result<Vec<u8>> {
    use printpdf::{
        ImageCompression, ImageOptimizationOptions, Op, PdfDocument, PdfPage, PdfSaveOptions, RawImage,
        RawImageData, RawImageFormat, XObjectTransform,
    };
    if pages.is_empty() {
        return Err(encode_failed("PDF", "no pages"));
    }
    let dpi = dpi.max(1) as f32;
    let mut doc = PdfDocument::new("Dangan synthetic scan");
    let mut out_pages = Vec::with_capacity(pages.len());
    for page in pages {
        let (w, h) = page.dimensions();
        let image = RawImage {
            pixels: RawImageData::U8(page.as_raw().clone()),
            width: w as usize,
            height: h as usize,
            data_format: RawImageFormat::R8,
            tag: Vec::new(),
        };
        let id = doc.add_image(&image);
        let transform = XObjectTransform { dpi: Some(dpi), ..XObjectTransform::default() };
        let (w_mm, h_mm) = (w as f32 / dpi * MM_PER_INCH, h as f32 / dpi * MM_PER_INCH);
        out_pages.push(PdfPage::new(
            printpdf::Mm(w_mm),
            printpdf::Mm(h_mm),
            vec![Op::UseXobject { id, transform }],
        ));
    }
    let save = PdfSaveOptions {
        image_optimization: Some(ImageOptimizationOptions {
            quality: None,
            max_image_size: None,
            dither_greyscale: Some(false),
            convert_to_greyscale: Some(false),
            auto_optimize: Some(false),
            format: Some(ImageCompression::Flate),
        }),
        ..PdfSaveOptions::default()
    };
    let mut warnings = Vec::new();
    let bytes = doc.with_pages(out_pages).save(&save, &mut warnings);
    if bytes.is_empty() {
        return Err(encode_failed("PDF", "the PDF writer produced nothing"));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_same_seed_draws_the_same_page() {
        let spec = PageSpec::text(100, filler_lines(7, 12), Scanner::office(7));
        assert_eq!(spec.render().unwrap(), spec.render().unwrap());
        let other = PageSpec { scanner: Scanner::office(8), ..spec.clone() };
        assert_ne!(spec.render().unwrap(), other.render().unwrap());
    }

    #[test]
    fn a_page_has_the_size_of_a4_at_its_dpi() {
        assert_eq!(PageSpec::a4(200, Scanner::clean()).pixels(), (1654, 2339));
        assert_eq!(PageSpec::a4(300, Scanner::clean()).pixels(), (2480, 3508));
    }

    #[test]
    fn text_darkens_the_page_and_skew_keeps_white_corners() {
        let page = PageSpec::text(100, filler_lines(1, 20), Scanner::clean()).render().unwrap();
        assert!(page.pixels().any(|p| p.0[0] < 100), "no ink drawn");
        let skewed = scan_effects(page.clone(), &Scanner { skew_deg: 3.0, noise: 0.0, seed: 1 });
        assert_eq!(skewed.dimensions(), page.dimensions());
        assert_eq!(skewed.get_pixel(0, 0).0[0], 255);
    }

    #[test]
    fn characters_missing_from_the_font_and_control_characters_draw_no_box() {
        let page = PageSpec::text(100, vec!["\u{E000}\u{E001}\t\u{7}".to_string()], Scanner::clean())
            .render()
            .unwrap();
        assert!(page.pixels().all(|p| p.0[0] == 255), "something was drawn");
    }

    #[test]
    fn chinese_numbers_for_articles() {
        assert_eq!(chinese_number(3), "三");
        assert_eq!(chinese_number(12), "十二");
        assert_eq!(chinese_number(40), "四十");
        assert_eq!(chinese_number(47), "四十七");
    }
}
