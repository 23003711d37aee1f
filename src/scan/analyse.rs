//! What is on a page: how much ink (a blank back side), and the QR codes (a cover sheet).

use image::GrayImage;
use serde::Serialize;

/// The side, in pixels, a page is reduced to before its ink is measured: single specks of
/// scanner noise average away, a line of text does not.
const INK_SIDE: u32 = 300;

/// Below this grey level (0 black … 255 white) a reduced pixel counts as ink.
const INK_LEVEL: u8 = 200;

/// The share of a page (0–1) covered by ink, measured on the page reduced to [`INK_SIDE`] with
/// a margin of 3 % cut off each edge (a scanner's dark border is not writing).
pub fn ink_ratio(page: &GrayImage) -> f64 {
    let (w, h) = page.dimensions();
    if w == 0 || h == 0 {
        return 0.0;
    }
    let longer = w.max(h);
    let small = if longer > INK_SIDE {
        let nw = (u64::from(w) * u64::from(INK_SIDE) / u64::from(longer)).max(1) as u32;
        let nh = (u64::from(h) * u64::from(INK_SIDE) / u64::from(longer)).max(1) as u32;
        // An area average (a third of a triangle filter's time on an A4 page, and the
        // measure this wants: the share of each cell that is ink).
        image::imageops::thumbnail(page, nw, nh)
    } else {
        page.clone()
    };
    let (sw, sh) = small.dimensions();
    let (mx, my) = (sw * 3 / 100, sh * 3 / 100);
    let mut ink = 0u64;
    let mut all = 0u64;
    for y in my..sh.saturating_sub(my) {
        for x in mx..sw.saturating_sub(mx) {
            all += 1;
            if small.get_pixel(x, y).0[0] < INK_LEVEL {
                ink += 1;
            }
        }
    }
    if all == 0 { 0.0 } else { ink as f64 / all as f64 }
}

/// Whether a page is blank: its ink ratio under `threshold` (the library's setting
/// `scan.blank_threshold`; 0 turns detection off).
pub fn is_blank(page: &GrayImage, threshold: f64) -> bool {
    threshold > 0.0 && ink_ratio(page) < threshold
}

/// A code read on a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodeReading {
    pub text: String,
}

/// The longer side above which a page is reduced before looking for QR codes: an A4 page at
/// 300 dpi (3508 pixels) is searched as it is, a 600 dpi scan at half its size, where a cover
/// sheet's code (several centimetres wide) still has 6+ pixels a module.
///
/// Measured on synthetic A4 scans (`tests/scan_synth.rs`, dev build, dependencies at
/// opt-level 1, two shared cores): rxing's search of a whole 200 dpi page (~10–15 ms) costs
/// far less than reducing the page first (a triangle-filtered resize to 1100 pixels took
/// ~90 ms, six times the search it saved), and one thorough pass finds
/// the printed-and-scanned cover at 150–300 dpi, skewed and noisy, in PNG, JPEG, Group 4 TIFF
/// and PDF. So: one pass, reduced only when the page is larger than this.
const QR_MAX_SIDE: u32 = 3600;

/// The QR codes on a page (usually none; a cover sheet has one), in one thorough pass over
/// the page (reduced by an area average when its longer side is over [`QR_MAX_SIDE`]).
pub fn read_codes(page: &GrayImage) -> Vec<CodeReading> {
    let (w, h) = page.dimensions();
    if w == 0 || h == 0 {
        return Vec::new();
    }
    let longer = w.max(h);
    if longer > QR_MAX_SIDE {
        let nw = (u64::from(w) * u64::from(QR_MAX_SIDE) / u64::from(longer)).max(1) as u32;
        let nh = (u64::from(h) * u64::from(QR_MAX_SIDE) / u64::from(longer)).max(1) as u32;
        let small = image::imageops::thumbnail(page, nw, nh);
        return qr(&small, true).into_iter().collect();
    }
    qr(page, true).into_iter().collect()
}

fn qr(img: &GrayImage, harder: bool) -> Option<CodeReading> {
    use rxing::{BarcodeFormat, DecodeHints};
    let mut hints = DecodeHints { TryHarder: Some(harder), ..Default::default() };
    let (w, h) = img.dimensions();
    rxing::helpers::detect_in_luma_slice_with_hints(
        img.as_raw(),
        w,
        h,
        Some(BarcodeFormat::QR_CODE),
        &mut hints,
    )
    .ok()
    .map(|r| CodeReading { text: r.getText().to_string() })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn blank_and_written_pages() {
        let mut page = GrayImage::from_pixel(1240, 1754, image::Luma([250]));
        // Speckles of scanner noise: still blank.
        for i in 0..400u32 {
            page.put_pixel((i * 7919) % 1240, (i * 104_729) % 1754, image::Luma([0]));
        }
        assert!(ink_ratio(&page) < 0.002, "{}", ink_ratio(&page));
        assert!(is_blank(&page, 0.005));
        assert!(!is_blank(&page, 0.0), "threshold 0 turns detection off");
        // Ten lines of "text".
        for line in 0..10u32 {
            for y in 200 + line * 60..200 + line * 60 + 18 {
                for x in 150..1000 {
                    if (x / 9) % 2 == 0 {
                        page.put_pixel(x, y, image::Luma([20]));
                    }
                }
            }
        }
        assert!(!is_blank(&page, 0.005), "{}", ink_ratio(&page));
    }

    #[test]
    fn a_page_without_codes_has_none() {
        let page = GrayImage::from_pixel(800, 1100, image::Luma([255]));
        assert!(read_codes(&page).is_empty());
    }
}
