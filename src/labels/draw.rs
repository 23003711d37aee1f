//! Drawing on a page in millimetres from the top left: filled rectangles (bars, rules), text
//! measured with the real font's advance widths and fitted into boxes, Code128 and QR codes as
//! vector rectangles. Everything is turned into printpdf operations in PDF points from the
//! bottom left, with the printer's calibration offset applied.

use std::sync::OnceLock;

use printpdf::{
    FontId, Op, PaintMode, ParsedFont, PdfFontHandle, Pt, Rect, TextItem, TextMatrix, WindingOrder,
};

use crate::model::error::{Error, Result};
use crate::model::font::CJK_FONT;

/// Millimetres per PDF point.
pub const MM_PER_PT: f64 = 25.4 / 72.0;
/// The ellipsis put at the end of a text cut to fit.
pub const ELLIPSIS: char = '…';
/// Where the em box's vertical middle sits above the baseline, in ems (Noto Sans CJK: the em
/// box runs from 0.12 em below the baseline to 0.88 em above it).
const EM_MIDDLE: f64 = 0.38;

/// The bundled font, parsed once per process.
pub fn font() -> Result<&'static ParsedFont> {
    static FONT: OnceLock<Option<ParsedFont>> = OnceLock::new();
    FONT.get_or_init(|| ParsedFont::from_bytes(CJK_FONT, 0, &mut Vec::new()))
        .as_ref()
        .ok_or_else(|| Error::failed("label-font-unreadable"))
}

/// Measures text with the font's horizontal advances (what a PDF viewer uses to place glyphs).
#[derive(Clone, Copy)]
pub struct Measure {
    font: &'static ParsedFont,
    units_per_em: f64,
}

impl Measure {
    pub fn new() -> Result<Measure> {
        let font = font()?;
        let units_per_em = f64::from(font.font_metrics.units_per_em.max(1));
        Ok(Measure { font, units_per_em })
    }

    /// The advance of `c` in ems (a character the font lacks takes the `.notdef` glyph's).
    pub fn char_em(&self, c: char) -> f64 {
        let gid = self.font.lookup_glyph_index(u32::from(c)).unwrap_or(0);
        f64::from(self.font.get_horizontal_advance(gid)) / self.units_per_em
    }

    /// The width of `text` in ems.
    pub fn em(&self, text: &str) -> f64 {
        text.chars().map(|c| self.char_em(c)).sum()
    }

    /// The width of `text` at `size_pt`, in millimetres.
    pub fn width_mm(&self, text: &str, size_pt: f64) -> f64 {
        self.em(text) * size_pt * MM_PER_PT
    }

    /// Fits `text` into `width_mm`: at `size_pt` if it fits, else at the size that makes it
    /// fit, down to `min_pt`; below that it is cut and ends with an ellipsis. Returns the text
    /// to print and its size.
    pub fn fit(&self, text: &str, width_mm: f64, size_pt: f64, min_pt: f64) -> (String, f64) {
        let em = self.em(text);
        let at = |size: f64| em * size * MM_PER_PT;
        if at(size_pt) <= width_mm {
            return (text.to_string(), size_pt);
        }
        let shrunk = width_mm / (em * MM_PER_PT);
        if shrunk >= min_pt {
            // A hair smaller than exact, so rounding in the viewer never pushes it over.
            return (text.to_string(), shrunk * 0.999);
        }
        let room = width_mm / (min_pt * MM_PER_PT) - self.char_em(ELLIPSIS);
        let mut used = 0.0;
        let mut cut = String::new();
        for c in text.chars() {
            let w = self.char_em(c);
            if used + w > room {
                break;
            }
            used += w;
            cut.push(c);
        }
        let mut cut = cut.trim_end().to_string();
        cut.push(ELLIPSIS);
        (cut, min_pt)
    }
}

impl Measure {
    /// `text` broken into lines no wider than `width_mm` at `size_pt`: at its own line breaks,
    /// between any two Chinese characters, and at spaces within Latin words where it can.
    pub fn wrap(&self, text: &str, width_mm: f64, size_pt: f64) -> Vec<String> {
        let room = width_mm / (size_pt * MM_PER_PT);
        let mut lines = Vec::new();
        for para in text.lines() {
            let mut line = String::new();
            let mut used = 0.0;
            for c in para.chars() {
                let w = self.char_em(c);
                if used + w > room && !line.is_empty() {
                    // Break at the line's last space if the break falls inside a Latin word; a
                    // Chinese closing mark (，。) never starts a line: the character before it
                    // goes down with it.
                    let carry = match line.rfind(' ') {
                        Some(i)
                            if c.is_ascii_alphanumeric()
                                && line.ends_with(|p: char| p.is_ascii_alphanumeric()) =>
                        {
                            let rest = line[i + 1..].to_string();
                            line.truncate(i);
                            rest
                        }
                        _ if NO_LINE_START.contains(c) && line.chars().count() > 1 => {
                            line.pop().map(String::from).unwrap_or_default()
                        }
                        _ => String::new(),
                    };
                    lines.push(std::mem::take(&mut line).trim_end().to_string());
                    line = carry;
                    used = self.em(&line);
                }
                if line.is_empty() && c == ' ' {
                    continue;
                }
                line.push(c);
                used += w;
            }
            lines.push(line);
        }
        lines
    }
}

/// Punctuation that must not begin a line in Chinese (避头点号).
const NO_LINE_START: &str = "，。、；：！？）」』》〉】”’…,.;:!?)";

/// `text` on one line: line breaks and other control characters become spaces, runs of white
/// space one space, and the ends trimmed.
fn one_line(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Horizontal placement of text in its box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

/// One thing drawn on a page, in mm from the page's top left (calibration included): what
/// an on-screen preview draws.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// A filled black rectangle.
    Rect { x: f64, y: f64, w: f64, h: f64 },
    /// Text with its baseline's left end at (x, y); `rotated`: a quarter turn clockwise.
    Text { x: f64, y: f64, size_pt: f64, text: String, rotated: bool },
}

/// A page of a preview: its size and what is drawn on it.
#[derive(Debug, Clone, PartialEq)]
pub struct PreviewPage {
    pub width_mm: f64,
    pub height_mm: f64,
    /// Every label's outline on the sheet `[x, y, w, h]` (the die cut a preview shows faintly).
    pub cells: Vec<[f64; 4]>,
    /// How many pages the whole job prints (a preview shows only the first few).
    pub of_pages: usize,
    pub shapes: Vec<Shape>,
}

/// One page being drawn.
pub struct Page {
    pub height_mm: f64,
    /// The printer's calibration: added to every x (right) and y (down), in mm.
    pub offset_x_mm: f64,
    pub offset_y_mm: f64,
    pub ops: Vec<Op>,
    /// The same drawing as shapes (for a preview).
    pub shapes: Vec<Shape>,
    font: FontId,
    pub measure: Measure,
}

fn pt(mm: f64) -> Pt {
    Pt((mm / MM_PER_PT) as f32)
}

impl Page {
    pub fn new(height_mm: f64, offset: (f64, f64), font: FontId, measure: Measure) -> Page {
        Page {
            height_mm,
            offset_x_mm: offset.0,
            offset_y_mm: offset.1,
            ops: Vec::new(),
            shapes: Vec::new(),
            font,
            measure,
        }
    }

    /// PDF x, y (points from the bottom left) of a point in mm from the top left.
    fn at(&self, x: f64, y: f64) -> (Pt, Pt) {
        (pt(x + self.offset_x_mm), pt(self.height_mm - (y + self.offset_y_mm)))
    }

    /// A filled black rectangle, top left at (x, y).
    pub fn fill(&mut self, x: f64, y: f64, w: f64, h: f64) {
        if w <= 0.0 || h <= 0.0 {
            return;
        }
        self.shapes.push(Shape::Rect { x: x + self.offset_x_mm, y: y + self.offset_y_mm, w, h });
        let (px, py) = self.at(x, y + h);
        self.ops.push(Op::DrawRectangle {
            rectangle: Rect {
                x: px,
                y: py,
                width: pt(w),
                height: pt(h),
                mode: Some(PaintMode::Fill),
                winding_order: Some(WindingOrder::NonZero),
            },
        });
    }

    /// The outline of a rectangle, drawn inside it with lines `t` mm thick.
    pub fn frame(&mut self, x: f64, y: f64, w: f64, h: f64, t: f64) {
        self.fill(x, y, w, t);
        self.fill(x, y + h - t, w, t);
        self.fill(x, y, t, h);
        self.fill(x + w - t, y, t, h);
    }

    /// Text with its baseline's left end at (x, y), `size_pt` points; `rotated` turns it a
    /// quarter turn clockwise (reading top to bottom, for a spine), about that point.
    pub fn text_at(&mut self, x: f64, y: f64, size_pt: f64, text: &str, rotated: bool) {
        if text.is_empty() {
            return;
        }
        // A control character (a line break in a name) would print as a box: a space instead.
        let text: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
        self.shapes.push(Shape::Text {
            x: x + self.offset_x_mm,
            y: y + self.offset_y_mm,
            size_pt,
            text: text.clone(),
            rotated,
        });
        let (px, py) = self.at(x, y);
        let matrix =
            if rotated { [0.0, -1.0, 1.0, 0.0, px.0, py.0] } else { [1.0, 0.0, 0.0, 1.0, px.0, py.0] };
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFont { font: PdfFontHandle::External(self.font.clone()), size: Pt(size_pt as f32) },
            Op::SetTextMatrix { matrix: TextMatrix::Raw(matrix) },
            Op::ShowText { items: vec![TextItem::Text(text)] },
            Op::EndTextSection,
        ]);
    }

    /// Text fitted into the box (x, y, w, h): at most `size_pt` (and never taller than the box),
    /// shrunk to `min_pt`, then cut with an ellipsis; centred vertically. Returns the size used.
    #[allow(clippy::too_many_arguments)]
    pub fn text_in(
        &mut self,
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        text: &str,
        size_pt: f64,
        min_pt: f64,
        align: Align,
    ) -> f64 {
        let size_pt = size_pt.min(h / MM_PER_PT);
        let min_pt = min_pt.min(size_pt);
        let text = one_line(text);
        let (shown, size) = self.measure.fit(&text, w, size_pt, min_pt);
        let tw = self.measure.width_mm(&shown, size);
        let tx = match align {
            Align::Left => x,
            Align::Center => x + (w - tw) / 2.0,
            Align::Right => x + w - tw,
        };
        let baseline = y + h / 2.0 + EM_MIDDLE * size * MM_PER_PT;
        self.text_at(tx, baseline, size, &shown, false);
        size
    }

    /// Text reading top to bottom fitted into the box (x, y, w, h) (its length runs along h).
    #[allow(clippy::too_many_arguments)]
    pub fn text_in_rotated(
        &mut self,
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        text: &str,
        size_pt: f64,
        min_pt: f64,
    ) -> f64 {
        let size_pt = size_pt.min(w / MM_PER_PT);
        let min_pt = min_pt.min(size_pt);
        let text = one_line(text);
        let (shown, size) = self.measure.fit(&text, h, size_pt, min_pt);
        let tw = self.measure.width_mm(&shown, size);
        // Turned clockwise, the glyphs' "up" points to the right... of the reader turning
        // their head: the baseline runs down the page at the box's middle.
        let baseline_x = x + w / 2.0 - EM_MIDDLE * size * MM_PER_PT;
        self.text_at(baseline_x, y + (h - tw) / 2.0, size, &shown, true);
        size
    }

    /// Text of several lines in the box (x, y, w, h) from its top: at `size_pt`, smaller (to
    /// `min_pt`) if the lines do not fit, and the last line that fits ends with an ellipsis if
    /// they still do not.
    #[allow(clippy::too_many_arguments)]
    pub fn paragraph(&mut self, x: f64, y: f64, w: f64, h: f64, text: &str, size_pt: f64, min_pt: f64) {
        const LEADING: f64 = 1.5;
        let mut size = size_pt;
        let mut lines = self.measure.wrap(text, w, size);
        while size > min_pt && lines.len() as f64 * size * LEADING * MM_PER_PT > h {
            size = (size - 0.5).max(min_pt);
            lines = self.measure.wrap(text, w, size);
        }
        let line_h = size * LEADING * MM_PER_PT;
        let fit = ((h / line_h).floor() as usize).min(lines.len());
        if fit < lines.len() && fit > 0 {
            let last = format!("{}{}", lines[fit - 1], lines[fit]);
            lines[fit - 1] = self.measure.fit(&format!("{last}{ELLIPSIS}{ELLIPSIS}"), w, size, size).0;
        }
        for (i, line) in lines.iter().take(fit).enumerate() {
            self.text_in(x, y + i as f64 * line_h, w, line_h, line, size, size, Align::Left);
        }
    }

    /// Text written vertically in the box (x, y, w, h): each character upright, one under the
    /// other, as Chinese is written on a spine; shrunk (to `min_pt`) so the column fits h, then
    /// cut with an ellipsis. Centred both ways.
    #[allow(clippy::too_many_arguments)]
    pub fn text_in_column(&mut self, x: f64, y: f64, w: f64, h: f64, text: &str, size_pt: f64, min_pt: f64) {
        let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
        if chars.is_empty() {
            return;
        }
        // Each character takes one em of height; the widest must fit the column's width.
        let widest = chars.iter().map(|c| self.measure.char_em(*c)).fold(0.0, f64::max).max(0.5);
        let size_pt = size_pt.min(w / (widest * MM_PER_PT));
        let min_pt = min_pt.min(size_pt);
        let fits = |size: f64| (h / (size * MM_PER_PT)).floor() as usize;
        let size = (h / (chars.len() as f64 * MM_PER_PT)).clamp(min_pt, size_pt);
        let mut shown = chars;
        if shown.len() > fits(size) {
            shown.truncate(fits(size).saturating_sub(1));
            shown.push(ELLIPSIS);
        }
        let em = size * MM_PER_PT;
        let top = y + (h - shown.len() as f64 * em) / 2.0;
        for (i, c) in shown.iter().enumerate() {
            let cw = self.measure.char_em(*c) * em;
            let baseline = top + i as f64 * em + em / 2.0 + EM_MIDDLE * em;
            self.text_at(x + (w - cw) / 2.0, baseline, size, &c.to_string(), false);
        }
    }

    /// A Code128 symbol filling (x, y, w, h), quiet zones included; a module as wide as fits
    /// up to `max_module` mm. Refused if the narrowest readable bars do not fit.
    pub fn code128(&mut self, x: f64, y: f64, w: f64, h: f64, code: &str, max_module: f64) -> Result<()> {
        let bars = super::barcode::code128(code)?;
        let module = module_for(bars.len() + 2 * super::barcode::QUIET_MODULES, w, max_module, code)?;
        let start = snap(x + (w - bars.len() as f64 * module) / 2.0);
        for (from, len) in runs(&bars) {
            self.fill(start + from as f64 * module, y, len as f64 * module, h);
        }
        Ok(())
    }

    /// A Code128 symbol with its bars running across (x, y, w, h) and the code along h, read
    /// top to bottom (for a spine strip).
    pub fn code128_rotated(
        &mut self,
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        code: &str,
        max_module: f64,
    ) -> Result<()> {
        let bars = super::barcode::code128(code)?;
        let module = module_for(bars.len() + 2 * super::barcode::QUIET_MODULES, h, max_module, code)?;
        let start = snap(y + (h - bars.len() as f64 * module) / 2.0);
        for (from, len) in runs(&bars) {
            self.fill(x, start + from as f64 * module, w, len as f64 * module);
        }
        Ok(())
    }

    /// The length a Code128 symbol of `code` takes, quiet zones included, at `module` mm.
    pub fn code128_length(code: &str, module: f64) -> Result<f64> {
        let bars = super::barcode::code128(code)?;
        Ok((bars.len() + 2 * super::barcode::QUIET_MODULES) as f64 * module)
    }

    /// A QR code of `payload` in the square at (x, y) of side `side` mm, its quiet zone inside.
    pub fn qr(&mut self, x: f64, y: f64, side: f64, payload: &str) -> Result<()> {
        let (n, dark) = super::barcode::qr(payload)?;
        let quiet = super::barcode::QR_QUIET_MODULES;
        let module = module_for(n + 2 * quiet, side, f64::INFINITY, payload)?;
        let inset = (side - n as f64 * module) / 2.0;
        let origin = (snap(x + inset), snap(y + inset));
        for row in 0..n {
            let line: Vec<u8> = (0..n).map(|col| u8::from(dark[row * n + col])).collect();
            for (from, len) in runs(&line) {
                self.fill(
                    origin.0 + from as f64 * module,
                    origin.1 + row as f64 * module,
                    len as f64 * module,
                    module,
                );
            }
        }
        Ok(())
    }
}

/// The grid bars are drawn on: 1/100 inch. A module of a whole number of grid steps is a whole
/// number of dots on 100, 200, 300 and 600 dpi devices (and within 2 % of it on 203 dpi
/// thermal printers), so every bar prints or renders the same width; a module of, say, 2.3
/// dots makes bars of 2 and 3 dots, which readers misjudge.
pub const GRID_MM: f64 = 0.254;
/// The narrowest module: one grid step, 2 dots at 200 dpi.
pub const MIN_MODULE_MM: f64 = GRID_MM;

/// `v` (mm from the page's top left) moved to the nearest grid line.
fn snap(v: f64) -> f64 {
    (v / GRID_MM).round() * GRID_MM
}

/// The widest module, a whole number of grid steps, that fits `modules` into `room` and is at
/// most `max_module` (but never less than one step). Refused if one step does not fit.
fn module_for(modules: usize, room: f64, max_module: f64, code: &str) -> Result<f64> {
    let steps = (room / modules as f64 / GRID_MM).floor().min((max_module / GRID_MM).floor()).max(1.0);
    let module = steps * GRID_MM;
    if module * modules as f64 > room + 1e-9 {
        return Err(Error::usage("label-barcode-too-long")
            .arg("code", code)
            .arg("need", format!("{:.0}", (modules as f64 * MIN_MODULE_MM).ceil()))
            .arg("room", format!("{room:.0}")));
    }
    Ok(module)
}

/// The runs of dark modules (1s) as (start, length), so a thick bar is one rectangle.
fn runs(modules: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < modules.len() {
        if modules[i] == 1 {
            let start = i;
            while i < modules.len() && modules[i] == 1 {
                i += 1;
            }
            out.push((start, i - start));
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn runs_merge_adjacent_bars() {
        assert_eq!(runs(&[1, 1, 0, 1, 0, 0, 1, 1, 1]), vec![(0, 2), (3, 1), (6, 3)]);
    }

    #[test]
    fn a_chinese_comma_never_starts_a_wrapped_line() {
        let m = Measure::new().unwrap();
        // Four characters fit a line: the comma would start the second line.
        let w = m.width_mm("您借阅的", 10.0) + 0.1;
        let lines = m.wrap("您借阅的，下列档案", w, 10.0);
        assert!(lines.iter().all(|l| !l.starts_with('，')), "{lines:?}");
        assert_eq!(lines.concat(), "您借阅的，下列档案");
    }

    #[test]
    fn a_long_text_shrinks_then_ends_with_an_ellipsis() {
        let m = Measure::new().unwrap();
        // Noto Sans CJK: a Han character is one em wide.
        assert!((m.em("档案") - 2.0).abs() < 1e-6);
        let w = m.width_mm("张三", 12.0);
        assert_eq!(m.fit("张三", w + 0.1, 12.0, 6.0), ("张三".to_string(), 12.0));
        let (t, s) = m.fit("张三李四", w + 0.1, 12.0, 6.0);
        assert_eq!(t, "张三李四");
        assert!((5.9..6.1).contains(&s), "{s}");
        let (t, s) = m.fit("张三李四王五赵六", w + 0.1, 12.0, 6.0);
        assert_eq!((t.as_str(), s), ("张三李…", 6.0));
        assert!(m.width_mm(&t, s) <= w + 0.1);
    }
}
