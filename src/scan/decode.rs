//! Opening a file's bytes and rendering its pages.
//!
//! [`ScanFile::open`] checks everything it can without decoding pixels: the format by the
//! bytes, the size, every page's dimensions against the pixel limit (a TIFF "bomb" declares
//! a huge page in a few bytes), a PDF's encryption and page tree. Rendering a page decodes it
//! with a memory limit and scales it down to the size asked for, so a thumbnail never holds
//! a full page at full resolution longer than one decode.

use std::io::Cursor;
use std::sync::Arc;

use image::{GrayImage, RgbaImage};

use super::{Format, Refusal, find};

/// The limits that keep a hostile or absurd file from exhausting the machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest file accepted, bytes.
    pub max_file_bytes: u64,
    /// Largest page, in pixels (width × height); a PDF page counts at [`PDF_DPI`].
    pub max_page_pixels: u64,
    /// Most pages in one file.
    pub max_pages: usize,
}

impl Default for Limits {
    /// 512 MiB, 150 megapixels (A3 at 600 dpi is 70 MP), 2,000 pages.
    fn default() -> Self {
        Limits { max_file_bytes: 512 << 20, max_page_pixels: 150_000_000, max_pages: 2_000 }
    }
}

/// The resolution a PDF page is measured and rendered at when no size is asked for.
pub const PDF_DPI: f32 = 200.0;

/// A page rendered: grey for analysis, or colour for the eye.
#[derive(Debug, Clone)]
pub enum Rendered {
    Gray(GrayImage),
    Rgba(RgbaImage),
}

enum Inner {
    /// A JPEG or PNG: one page.
    Single,
    /// A TIFF: its pages are its images (IFDs), in order.
    Tiff,
    /// A PDF, parsed once.
    Pdf(Box<hayro::hayro_syntax::Pdf>),
}

/// A file opened for its pages.
pub struct ScanFile {
    format: Format,
    bytes: Arc<Vec<u8>>,
    /// Each page's size in pixels (a PDF's at [`PDF_DPI`]).
    sizes: Vec<(u32, u32)>,
    inner: Inner,
    limits: Limits,
}

impl std::fmt::Debug for ScanFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScanFile").field("format", &self.format).field("pages", &self.sizes.len()).finish()
    }
}

fn damaged(detail: impl std::fmt::Display) -> Refusal {
    Refusal::Damaged { detail: detail.to_string() }
}

impl ScanFile {
    /// Opens `bytes`, checking them (see the module doc).
    pub fn open(bytes: Vec<u8>, limits: &Limits) -> Result<ScanFile, Refusal> {
        if bytes.is_empty() {
            return Err(Refusal::Empty);
        }
        if bytes.len() as u64 > limits.max_file_bytes {
            return Err(Refusal::TooBig { bytes: bytes.len() as u64, limit: limits.max_file_bytes });
        }
        let format = Format::sniff(&bytes)
            .ok_or_else(|| Refusal::NotAScan { looks_like: Format::describe_other(&bytes).to_string() })?;
        let bytes = Arc::new(bytes);
        let (sizes, inner) = match format {
            Format::Jpeg | Format::Png => {
                // A JPEG decoder fills a cut-short file's missing rows with grey and says
                // nothing: the image must reach its end-of-image marker.
                if format == Format::Jpeg && !jpeg_complete(&bytes) {
                    return Err(damaged(
                        "the JPEG has no end (EOI marker): it was cut short or is still being written",
                    ));
                }
                (vec![image_dimensions(&bytes, format)?], Inner::Single)
            }
            Format::Tiff => (tiff_sizes(&bytes, limits)?, Inner::Tiff),
            Format::Pdf => {
                let (sizes, pdf) = pdf_open(bytes.clone())?;
                (sizes, Inner::Pdf(Box::new(pdf)))
            }
        };
        if sizes.is_empty() {
            return Err(Refusal::NoPages);
        }
        if sizes.len() > limits.max_pages {
            return Err(Refusal::TooManyPages { pages: sizes.len(), limit: limits.max_pages });
        }
        for (i, &(w, h)) in sizes.iter().enumerate() {
            if w == 0 || h == 0 {
                return Err(damaged(format!("page {} has no pixels", i + 1)));
            }
            if u64::from(w) * u64::from(h) > limits.max_page_pixels {
                return Err(Refusal::TooManyPixels {
                    page: i + 1,
                    width: w.into(),
                    height: h.into(),
                    limit: limits.max_page_pixels,
                });
            }
        }
        let file = ScanFile { format, bytes, sizes, inner, limits: *limits };
        // A JPEG or PNG cut short still has a valid header: decode it once now, so a truncated
        // file is refused at import rather than found broken when someone opens it.
        if matches!(file.inner, Inner::Single) {
            file.decode_single()?;
        }
        Ok(file)
    }

    pub fn format(&self) -> Format {
        self.format
    }

    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    pub fn page_count(&self) -> usize {
        self.sizes.len()
    }

    /// A page's size in pixels (0-based page; a PDF page at [`PDF_DPI`]).
    pub fn page_size(&self, page: usize) -> (u32, u32) {
        self.sizes.get(page).copied().unwrap_or((1, 1))
    }

    /// Page `page` (0-based) in grey, its longer side at most `max_side` pixels (the page's
    /// own size when `None`).
    pub fn gray(&self, page: usize, max_side: Option<u32>) -> Result<GrayImage, Refusal> {
        match self.render(page, max_side, false)? {
            Rendered::Gray(g) => Ok(g),
            Rendered::Rgba(c) => Ok(image::DynamicImage::ImageRgba8(c).to_luma8()),
        }
    }

    /// Page `page` (0-based) in colour, its longer side at most `max_side` pixels.
    pub fn rgba(&self, page: usize, max_side: Option<u32>) -> Result<RgbaImage, Refusal> {
        match self.render(page, max_side, true)? {
            Rendered::Rgba(c) => Ok(c),
            Rendered::Gray(g) => Ok(image::DynamicImage::ImageLuma8(g).to_rgba8()),
        }
    }

    /// A PDF page in grey at `dpi` (other formats: at their own resolution). For tests and
    /// the demo's synthetic scans, which print a cover sheet and "scan" it at 200 or 300 dpi.
    pub fn gray_at_dpi(&self, page: usize, dpi: f32) -> Result<GrayImage, Refusal> {
        match &self.inner {
            Inner::Pdf(pdf) => match pdf_page(pdf, page, dpi / 72.0, false)? {
                Rendered::Gray(g) => Ok(g),
                Rendered::Rgba(c) => Ok(image::DynamicImage::ImageRgba8(c).to_luma8()),
            },
            _ => self.gray(page, None),
        }
    }

    fn render(&self, page: usize, max_side: Option<u32>, colour: bool) -> Result<Rendered, Refusal> {
        if page >= self.sizes.len() {
            return Err(damaged(format!("there is no page {}", page + 1)));
        }
        let out = match &self.inner {
            Inner::Single => {
                let img = self.decode_single()?;
                if colour { Rendered::Rgba(img.to_rgba8()) } else { Rendered::Gray(img.to_luma8()) }
            }
            Inner::Tiff => tiff_page(&self.bytes, page, &self.limits, colour)?,
            Inner::Pdf(pdf) => {
                let (w, h) = self.sizes[page];
                let scale = max_side.map_or(1.0, |m| (m as f32 / w.max(h) as f32).min(1.0));
                pdf_page(pdf, page, PDF_DPI / 72.0 * scale, colour)?
            }
        };
        Ok(match max_side {
            Some(m) => shrink(out, m),
            None => out,
        })
    }

    fn decode_single(&self) -> Result<image::DynamicImage, Refusal> {
        let fmt = if self.format == Format::Png { image::ImageFormat::Png } else { image::ImageFormat::Jpeg };
        let mut reader = image::ImageReader::with_format(Cursor::new(self.bytes.as_slice()), fmt);
        reader.limits(image_limits(&self.limits));
        reader.decode().map_err(|e| match e {
            image::ImageError::Limits(_) => Refusal::TooManyPixels {
                page: 1,
                width: self.sizes[0].0.into(),
                height: self.sizes[0].1.into(),
                limit: self.limits.max_page_pixels,
            },
            e => damaged(e),
        })
    }
}

fn image_limits(limits: &Limits) -> image::Limits {
    let mut l = image::Limits::default();
    // Four bytes a pixel (RGBA) plus the decoder's own buffers.
    l.max_alloc = Some(limits.max_page_pixels.saturating_mul(5));
    l
}

/// Whether a JPEG's segments run whole up to its end-of-image marker. The segments are
/// followed by their lengths (an EXIF thumbnail's own markers inside APP1 are skipped that way);
/// inside compressed data an FF byte is followed by 00 or a restart marker, so any other marker
/// there ends it. Bytes after the end marker (a trailer some cameras add) do not matter.
fn jpeg_complete(b: &[u8]) -> bool {
    let mut i = 2;
    while i + 1 < b.len() {
        if b[i] != 0xFF {
            return false;
        }
        let m = b[i + 1];
        match m {
            0xFF => i += 1, // fill byte
            0xD9 => return true,
            0x01 | 0xD0..=0xD7 => i += 2,
            _ => {
                let Some(len) = b.get(i + 2..i + 4).map(|l| usize::from(u16::from_be_bytes([l[0], l[1]])))
                else {
                    return false;
                };
                i += 2 + len;
                if m == 0xDA {
                    // Compressed data up to the next marker that is not a stuffed byte or a
                    // restart.
                    loop {
                        match b.get(i..i + 2) {
                            None => return false,
                            Some([0xFF, n]) if *n != 0 && !(0xD0..=0xD7).contains(n) => break,
                            _ => i += 1,
                        }
                    }
                }
            }
        }
    }
    false
}

fn image_dimensions(bytes: &[u8], format: Format) -> Result<(u32, u32), Refusal> {
    let fmt = if format == Format::Png { image::ImageFormat::Png } else { image::ImageFormat::Jpeg };
    image::ImageReader::with_format(Cursor::new(bytes), fmt).into_dimensions().map_err(damaged)
}

/// Scales an image down (never up) so its longer side is at most `max_side`.
fn shrink(img: Rendered, max_side: u32) -> Rendered {
    let (w, h) = match &img {
        Rendered::Gray(g) => g.dimensions(),
        Rendered::Rgba(c) => c.dimensions(),
    };
    let longer = w.max(h);
    if longer <= max_side || max_side == 0 {
        return img;
    }
    let nw = ((u64::from(w) * u64::from(max_side)) / u64::from(longer)).max(1) as u32;
    let nh = ((u64::from(h) * u64::from(max_side)) / u64::from(longer)).max(1) as u32;
    // Area averaging: every source pixel counts once, so thin strokes and QR modules keep
    // their weight, and it is ~8× faster than a triangle filter (a 300 dpi A4 page reduced to
    // 2400 pixels took 0.53 s with the filter, 0.06 s so; that filter was most of an import).
    match img {
        Rendered::Gray(g) => Rendered::Gray(image::imageops::thumbnail(&g, nw, nh)),
        Rendered::Rgba(c) => Rendered::Rgba(image::imageops::thumbnail(&c, nw, nh)),
    }
}

// ---- TIFF ----

fn tiff_limits(limits: &Limits) -> tiff::decoder::Limits {
    let mut l = tiff::decoder::Limits::default();
    let cap = usize::try_from(limits.max_page_pixels.saturating_mul(4)).unwrap_or(usize::MAX);
    l.decoding_buffer_size = cap;
    l.intermediate_buffer_size = cap;
    l
}

fn tiff_decoder<'a>(
    bytes: &'a [u8],
    limits: &Limits,
) -> Result<tiff::decoder::Decoder<Cursor<&'a [u8]>>, Refusal> {
    Ok(tiff::decoder::Decoder::new(Cursor::new(bytes)).map_err(damaged)?.with_limits(tiff_limits(limits)))
}

/// Every page's dimensions, from the directories alone (no pixel is decoded).
fn tiff_sizes(bytes: &[u8], limits: &Limits) -> Result<Vec<(u32, u32)>, Refusal> {
    let mut dec = tiff_decoder(bytes, limits)?;
    let mut sizes = Vec::new();
    loop {
        sizes.push(dec.dimensions().map_err(damaged)?);
        if sizes.len() > limits.max_pages {
            return Err(Refusal::TooManyPages { pages: sizes.len(), limit: limits.max_pages });
        }
        if !dec.more_images() {
            break;
        }
        dec.next_image().map_err(damaged)?;
    }
    Ok(sizes)
}

fn tiff_page(bytes: &[u8], page: usize, limits: &Limits, colour: bool) -> Result<Rendered, Refusal> {
    use tiff::ColorType;
    use tiff::decoder::DecodingResult;
    let mut dec = tiff_decoder(bytes, limits)?;
    if page > 0 {
        dec.seek_to_image(page).map_err(damaged)?;
    }
    let (w, h) = dec.dimensions().map_err(damaged)?;
    let ct = dec.colortype().map_err(damaged)?;
    let data = match dec.read_image().map_err(damaged)? {
        DecodingResult::U8(v) => v,
        DecodingResult::U16(v) => v.into_iter().map(|x| (x >> 8) as u8).collect(),
        _ => return Err(damaged("unsupported sample format")),
    };
    let (wu, hu) = (w as usize, h as usize);
    let short = || damaged("the image data is cut short");
    let gray_from = |px: Vec<u8>| GrayImage::from_raw(w, h, px).ok_or_else(short);
    let img = match ct {
        ColorType::Gray(1) => {
            // Packed bits, rows padded to bytes; the decoder already made 0 black.
            let stride = wu.div_ceil(8);
            if data.len() < stride * hu {
                return Err(short());
            }
            // A byte at a time: eight pixels from a table (a 300 dpi page has 8.7 M pixels).
            let mut table = [[0u8; 8]; 256];
            for (b, px) in table.iter_mut().enumerate() {
                for (i, p) in px.iter_mut().enumerate() {
                    *p = if b & (0x80 >> i) != 0 { 255 } else { 0 };
                }
            }
            let mut px = Vec::with_capacity(stride * 8 * hu);
            for y in 0..hu {
                for &byte in &data[y * stride..(y + 1) * stride] {
                    px.extend_from_slice(&table[usize::from(byte)]);
                }
                // The row's padding bits beyond the width go.
                px.truncate((y + 1) * wu);
            }
            Rendered::Gray(gray_from(px)?)
        }
        ColorType::Gray(8) | ColorType::Gray(16) => {
            if data.len() < wu * hu {
                return Err(short());
            }
            Rendered::Gray(gray_from(data[..wu * hu].to_vec())?)
        }
        ColorType::Gray(bits @ (2 | 4)) => {
            let per = 8 / bits as usize;
            let stride = wu.div_ceil(per);
            if data.len() < stride * hu {
                return Err(short());
            }
            let max = (1u16 << bits) - 1;
            let mut px = vec![0u8; wu * hu];
            for y in 0..hu {
                for x in 0..wu {
                    let byte = data[y * stride + x / per];
                    let shift = 8 - bits as usize * (x % per + 1);
                    let v = (u16::from(byte) >> shift) & max;
                    px[y * wu + x] = (v * 255 / max) as u8;
                }
            }
            Rendered::Gray(gray_from(px)?)
        }
        ColorType::RGB(8) | ColorType::RGB(16) | ColorType::YCbCr(8) => {
            if data.len() < wu * hu * 3 {
                return Err(short());
            }
            let rgb = image::RgbImage::from_raw(w, h, data[..wu * hu * 3].to_vec()).ok_or_else(short)?;
            Rendered::Rgba(image::DynamicImage::ImageRgb8(rgb).to_rgba8())
        }
        ColorType::RGBA(8) | ColorType::RGBA(16) => {
            Rendered::Rgba(RgbaImage::from_raw(w, h, data).ok_or_else(short)?)
        }
        ColorType::GrayA(8) | ColorType::GrayA(16) => {
            if data.len() < wu * hu * 2 {
                return Err(short());
            }
            Rendered::Gray(gray_from(data.chunks_exact(2).map(|p| p[0]).collect())?)
        }
        // Samples the directory does not name (a grey or colour page with an unmarked extra
        // channel, as some writers save alpha): the first one or three are the picture.
        ColorType::Multiband { bit_depth: 8 | 16, num_samples: n @ 1..=8 } => {
            let n = usize::from(n);
            if data.len() < wu * hu * n {
                return Err(short());
            }
            if n < 3 {
                Rendered::Gray(gray_from(data.chunks_exact(n).map(|p| p[0]).collect())?)
            } else {
                let mut px = Vec::with_capacity(wu * hu * 4);
                for p in data.chunks_exact(n) {
                    px.extend_from_slice(&[p[0], p[1], p[2], 255]);
                }
                Rendered::Rgba(RgbaImage::from_raw(w, h, px).ok_or_else(short)?)
            }
        }
        ColorType::CMYK(8) => {
            if data.len() < wu * hu * 4 {
                return Err(short());
            }
            let mut px = Vec::with_capacity(wu * hu * 4);
            for p in data.chunks_exact(4) {
                let k = 255 - u16::from(p[3]);
                let ch = |c: u8| ((255 - u16::from(c)) * k / 255) as u8;
                px.extend_from_slice(&[ch(p[0]), ch(p[1]), ch(p[2]), 255]);
            }
            Rendered::Rgba(RgbaImage::from_raw(w, h, px).ok_or_else(short)?)
        }
        ColorType::Palette(_) => {
            // Rare in scans; refuse rather than show wrong colours.
            return Err(damaged("palette TIFF pages are not supported; scan in grey or colour"));
        }
        other => return Err(damaged(format!("unsupported TIFF colour type {other:?}"))),
    };
    Ok(match img {
        Rendered::Rgba(c) if !colour => Rendered::Gray(image::DynamicImage::ImageRgba8(c).to_luma8()),
        other => other,
    })
}

// ---- PDF ----

fn pdf_open(bytes: Arc<Vec<u8>>) -> Result<(Vec<(u32, u32)>, hayro::hayro_syntax::Pdf), Refusal> {
    use hayro::hayro_syntax::{LoadPdfError, Pdf};
    // An archive copy must be readable for ever without a password: a PDF with an Encrypt
    // dictionary is refused even when its user password is empty.
    let tail = &bytes[bytes.len().saturating_sub(64 * 1024)..];
    if find(tail, b"/Encrypt").is_some() || find(&bytes[..bytes.len().min(64 * 1024)], b"/Encrypt").is_some()
    {
        return Err(Refusal::Encrypted);
    }
    if find(&bytes[bytes.len().saturating_sub(2048)..], b"%%EOF").is_none() {
        return Err(damaged("the PDF has no end (%%EOF): it was cut short or is still being written"));
    }
    let data = hayro::hayro_syntax::PdfData::from(bytes);
    let pdf = Pdf::new(data).map_err(|e| match e {
        LoadPdfError::Decryption(_) => Refusal::Encrypted,
        LoadPdfError::Invalid => damaged("the PDF cannot be read"),
    })?;
    let sizes = pdf
        .pages()
        .iter()
        .map(|p| {
            let (w, h) = p.render_dimensions();
            let s = PDF_DPI / 72.0;
            ((w * s).round().max(1.0) as u32, (h * s).round().max(1.0) as u32)
        })
        .collect();
    Ok((sizes, pdf))
}

fn pdf_settings() -> hayro::hayro_interpret::InterpreterSettings {
    use hayro::hayro_interpret::font::FontQuery;
    let cjk: hayro::hayro_interpret::font::FontData = Arc::new(crate::model::font::CJK_FONT);
    hayro::hayro_interpret::InterpreterSettings {
        font_resolver: Arc::new(move |query| match query {
            FontQuery::Standard(s) => Some(s.get_font_data()),
            // Chinese text in a PDF that does not embed its font: the bundled CJK font.
            FontQuery::Fallback(f) if f.character_collection.is_some() => Some((cjk.clone(), 0)),
            FontQuery::Fallback(f) => Some(f.pick_standard_font().get_font_data()),
        }),
        ..Default::default()
    }
}

fn pdf_page(
    pdf: &hayro::hayro_syntax::Pdf,
    page: usize,
    scale: f32,
    colour: bool,
) -> Result<Rendered, Refusal> {
    use hayro::vello_cpu::color::palette::css::WHITE;
    let pages = pdf.pages();
    let p = pages.get(page).ok_or_else(|| damaged(format!("there is no page {}", page + 1)))?;
    let (w, h) = p.render_dimensions();
    if w * scale > f32::from(u16::MAX) || h * scale > f32::from(u16::MAX) {
        return Err(damaged("the PDF page is too large to render"));
    }
    let cache = hayro::RenderCache::new();
    let settings = pdf_settings();
    let pixmap = hayro::render(
        p,
        &cache,
        &settings,
        &hayro::RenderSettings::default(),
        &hayro::PixmapSettings { x_scale: scale, y_scale: scale, bg_color: WHITE },
    );
    let (pw, ph) = (u32::from(pixmap.width()), u32::from(pixmap.height()));
    // The background is opaque white, so premultiplied colour is the colour.
    if colour {
        let mut px = Vec::with_capacity(pixmap.data().len() * 4);
        for c in pixmap.data() {
            px.extend_from_slice(&[c.r, c.g, c.b, 255]);
        }
        Ok(Rendered::Rgba(RgbaImage::from_raw(pw, ph, px).ok_or_else(|| damaged("render"))?))
    } else {
        let px = pixmap
            .data()
            .iter()
            .map(|c| ((u32::from(c.r) * 299 + u32::from(c.g) * 587 + u32::from(c.b) * 114) / 1000) as u8)
            .collect();
        Ok(Rendered::Gray(GrayImage::from_raw(pw, ph, px).ok_or_else(|| damaged("render"))?))
    }
}

#[cfg(test)]
mod jpeg_end_tests {
    use super::jpeg_complete;

    fn jpeg() -> Vec<u8> {
        let img = image::GrayImage::from_fn(120, 90, |x, y| image::Luma([((x * 7 + y * 3) % 256) as u8]));
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90).encode_image(&img).expect("encode");
        out
    }

    #[test]
    fn a_truncated_jpeg_has_no_end_even_with_a_thumbnail_before_its_image() {
        let whole = jpeg();
        assert!(jpeg_complete(&whole));
        for cut in [whole.len() / 3, whole.len() / 2, whole.len() - 2] {
            assert!(!jpeg_complete(&whole[..cut]), "cut at {cut} of {}", whole.len());
        }
        // An APP1 segment holding an end marker (as an EXIF thumbnail does) is skipped.
        let mut with_app1 = vec![0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x06, 0xFF, 0xD9, 0x00, 0x00];
        with_app1.extend_from_slice(&whole[2..]);
        assert!(jpeg_complete(&with_app1));
        assert!(!jpeg_complete(&with_app1[..with_app1.len() / 2]));
    }
}
