//! The synthetic scans (`dangan::demo::pages`): every encoder's file opens with our decoder at
//! the right size, Group 4 TIFF is real Group 4 (ImageMagick agrees), a printed-and-scanned
//! cover sheet's QR code is read by our reader and by zbar in every format, blank backs are
//! blank. Timings are printed, never asserted.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use dangan::demo::pages::{
    self, Compression, PageSpec, QrMark, Scanner, cover_scan, encode_jpeg, encode_pdf, encode_png,
    encode_tiff,
};
use dangan::scan::{Format, Limits, ScanFile, is_blank, read_codes};
use image::GrayImage;

const DOSSIER: &str = "KH-2026-000123";
const NAME: &str = "张伟";
const DOC_TYPE: (&str, &str) = ("HT", "供用电合同");

fn open(bytes: Vec<u8>) -> ScanFile {
    ScanFile::open(bytes, &Limits::default()).expect("our decoder opens the synthetic file")
}

fn text_page(dpi: u32, seed: u64) -> GrayImage {
    PageSpec::text(dpi, pages::filler_lines(seed, 40), Scanner::office(seed)).render().unwrap()
}

/// A command-line tool, or `None` (with a message) when it is not installed.
fn tool(name: &str) -> Option<&str> {
    match Command::new(name).arg("--version").output() {
        Ok(_) => Some(name),
        Err(_) => {
            eprintln!("SKIPPED: `{name}` is not installed");
            None
        }
    }
}

/// The codes zbarimg reads in a file (its stdout lines `QR-Code:TEXT`).
fn zbar(path: &Path) -> Vec<String> {
    let out = Command::new("zbarimg")
        .args(["--quiet", "--raw", "-Sdisable", "-Sqrcode.enable"])
        .arg(path)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).collect()
}

#[test]
fn every_encoder_writes_a_file_our_decoder_opens_at_the_right_size() {
    let dpi = 150;
    let pages: Vec<GrayImage> = (0..3).map(|i| text_page(dpi, i)).collect();
    let (w, h) = pages[0].dimensions();
    assert_eq!((w, h), (1240, 1754), "A4 at 150 dpi");

    let png = open(encode_png(&pages[0]).unwrap());
    assert_eq!((png.format(), png.page_count(), png.page_size(0)), (Format::Png, 1, (w, h)));
    assert_eq!(png.gray(0, None).unwrap(), pages[0], "PNG is lossless");

    let jpeg = open(encode_jpeg(&pages[0], 75).unwrap());
    assert_eq!((jpeg.format(), jpeg.page_count(), jpeg.page_size(0)), (Format::Jpeg, 1, (w, h)));

    for compression in [Compression::Lzw, Compression::Deflate, Compression::Group4] {
        let tiff = open(encode_tiff(&pages, compression, dpi).unwrap());
        assert_eq!((tiff.format(), tiff.page_count()), (Format::Tiff, 3), "{compression:?}");
        for (i, page) in pages.iter().enumerate() {
            assert_eq!(tiff.page_size(i), (w, h), "{compression:?} page {i}");
            let back = tiff.gray(i, None).unwrap();
            assert_eq!(back.dimensions(), (w, h), "{compression:?} page {i}");
            if compression != Compression::Group4 {
                assert_eq!(&back, page, "{compression:?} is lossless");
            }
        }
    }

    let pdf = open(encode_pdf(&pages, dpi).unwrap());
    assert_eq!((pdf.format(), pdf.page_count()), (Format::Pdf, 3));
    for (i, page) in pages.iter().enumerate() {
        // The page's physical size is the image's at its dpi: rendered at that dpi, the same pixels.
        let back = pdf.gray_at_dpi(i, dpi as f32).unwrap();
        let (bw, bh) = back.dimensions();
        assert!(bw.abs_diff(w) <= 1 && bh.abs_diff(h) <= 1, "PDF page {i}: {bw}×{bh}, want {w}×{h}");
        let diff = mean_abs_diff(&back, page);
        assert!(diff < 3.0, "PDF page {i} differs from its image by {diff:.2} grey levels on average");
    }
}

fn mean_abs_diff(a: &GrayImage, b: &GrayImage) -> f64 {
    let (w, h) = (a.width().min(b.width()), a.height().min(b.height()));
    let mut sum = 0u64;
    for y in 0..h {
        for x in 0..w {
            sum += u64::from(a.get_pixel(x, y).0[0].abs_diff(b.get_pixel(x, y).0[0]));
        }
    }
    sum as f64 / (f64::from(w) * f64::from(h))
}

#[test]
fn a_three_page_group4_tiff_reads_back_pixel_close_and_imagemagick_calls_it_group4() {
    let dpi = 200;
    let pages = vec![
        text_page(dpi, 11),
        cover_scan(DOSSIER, NAME, Some(DOC_TYPE), dpi, 1.5, 0.4, 12).unwrap(),
        PageSpec::blank_back(dpi, Scanner::office(13)).render().unwrap(),
    ];
    let bytes = encode_tiff(&pages, Compression::Group4, dpi).unwrap();
    let file = open(bytes.clone());
    assert_eq!(file.page_count(), 3);
    for (i, page) in pages.iter().enumerate() {
        let back = file.gray(i, None).unwrap();
        assert_eq!(back.dimensions(), page.dimensions());
        // Bilevel: every pixel is black exactly where the page was darker than mid-grey.
        let wrong =
            back.pixels().zip(page.pixels()).filter(|(b, p)| (b.0[0] < 128) != (p.0[0] < 128)).count();
        assert_eq!(wrong, 0, "page {i}: {wrong} pixels differ after Group 4");
    }

    let Some(_) = tool("identify") else { return };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("scan.tif");
    std::fs::write(&path, &bytes).unwrap();
    let out = Command::new("identify").arg("-verbose").arg(&path).output().unwrap();
    assert!(out.status.success(), "identify refused the file: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.matches("Compression: Group4").count(), 3, "identify -verbose:\n{text}");
    assert!(text.contains("Resolution: 200x200"), "identify -verbose:\n{text}");
    let warnings = String::from_utf8_lossy(&out.stderr);
    assert!(warnings.trim().is_empty(), "identify warned: {warnings}");
}

#[test]
fn a_scanned_cover_sheet_is_read_at_200_and_300_dpi_in_every_format_by_us_and_by_zbar() {
    let payload = dangan::labels::cover_payload(DOSSIER, Some(DOC_TYPE.0));
    let zbarimg = tool("zbarimg");
    let dir = tempfile::tempdir().unwrap();
    for dpi in [200, 300] {
        let cover = cover_scan(DOSSIER, NAME, Some(DOC_TYPE), dpi, 1.5, 0.5, u64::from(dpi)).unwrap();
        let files = [
            ("png", encode_png(&cover).unwrap()),
            ("jpg", encode_jpeg(&cover, 75).unwrap()),
            ("tif", encode_tiff(std::slice::from_ref(&cover), Compression::Group4, dpi).unwrap()),
            ("pdf", encode_pdf(std::slice::from_ref(&cover), dpi).unwrap()),
        ];
        for (ext, bytes) in files {
            let file = open(bytes.clone());
            let page = file.gray(0, None).unwrap();
            let codes: Vec<String> = read_codes(&page).into_iter().map(|c| c.text).collect();
            assert_eq!(codes, vec![payload.clone()], "{dpi} dpi {ext}: our reader");
            if zbarimg.is_some() {
                let path = dir.path().join(format!("cover-{dpi}.{ext}"));
                std::fs::write(&path, &bytes).unwrap();
                if ext == "pdf" {
                    // zbarimg reads a PDF only through ImageMagick, whose policy usually refuses
                    // PDF: render the page with Ghostscript (another renderer than ours), then read it.
                    let Some(gs) = tool("gs") else { continue };
                    let png = dir.path().join(format!("cover-{dpi}-pdf.png"));
                    let status = Command::new(gs)
                        .args([
                            "-q",
                            "-dSAFER",
                            "-dBATCH",
                            "-dNOPAUSE",
                            "-sDEVICE=pnggray",
                            &format!("-r{dpi}"),
                        ])
                        .arg(format!("-sOutputFile={}", png.display()))
                        .arg(&path)
                        .status()
                        .unwrap();
                    assert!(status.success(), "Ghostscript could not render the synthetic PDF");
                    assert_eq!(
                        zbar(&png),
                        vec![payload.clone()],
                        "{dpi} dpi pdf (rendered by Ghostscript): zbarimg"
                    );
                } else {
                    assert_eq!(zbar(&path), vec![payload.clone()], "{dpi} dpi {ext}: zbarimg");
                }
            }
        }
    }
}

#[test]
fn a_noisy_blank_back_is_blank_and_a_text_page_is_not() {
    for dpi in [150, 200, 300] {
        let back =
            PageSpec::blank_back(dpi, Scanner { skew_deg: 0.8, noise: 1.0, seed: 5 }).render().unwrap();
        assert!(is_blank(&back, 0.005), "{dpi} dpi: blank back has ink {}", dangan::scan::ink_ratio(&back));
        let text = text_page(dpi, 5);
        assert!(!is_blank(&text, 0.005), "{dpi} dpi: text page has ink {}", dangan::scan::ink_ratio(&text));
    }
    // A page with only a few lines is still written on.
    let short = PageSpec::text(200, pages::filler_lines(9, 4), Scanner::office(9)).render().unwrap();
    assert!(!is_blank(&short, 0.005), "four lines: ink {}", dangan::scan::ink_ratio(&short));
}

#[test]
fn a_page_with_a_foreign_qr_code_reads_that_text() {
    let mut spec =
        PageSpec::text(200, pages::filler_lines(3, 20), Scanner { skew_deg: -1.2, noise: 0.5, seed: 3 });
    spec.qr =
        Some(QrMark { text: "https://example.com/x".to_string(), x_mm: 150.0, y_mm: 240.0, side_mm: 25.0 });
    let page = spec.render().unwrap();
    let codes: Vec<String> = read_codes(&page).into_iter().map(|c| c.text).collect();
    assert_eq!(codes, vec!["https://example.com/x".to_string()]);
}

#[test]
fn a_page_with_a_code128_barcode_shows_its_bars() {
    let mut spec = PageSpec::a4(200, Scanner::clean());
    spec.code128 = Some(pages::BarMark {
        text: DOSSIER.to_string(),
        x_mm: 20.0,
        y_mm: 20.0,
        width_mm: 60.0,
        height_mm: 12.0,
    });
    let page = spec.render().unwrap();
    // A row through the bars alternates dark and light many times.
    let y = (26.0 / 25.4 * 200.0) as u32;
    let row: Vec<bool> = (0..page.width()).map(|x| page.get_pixel(x, y).0[0] < 128).collect();
    let edges = row.windows(2).filter(|w| w[0] != w[1]).count();
    assert!(edges > 40, "only {edges} bar edges");
}

#[test]
fn synthetic_pages_are_quick_to_make_and_codes_quick_to_read() {
    // Printed for the report (debug build of this crate; the dependencies are optimised).
    for dpi in [150, 200, 300] {
        let lines = pages::filler_lines(1, 40);
        let spec = PageSpec::text(dpi, lines, Scanner::office(1));
        spec.render().unwrap(); // glyph cache warm
        let n = 3;
        let t = Instant::now();
        for i in 0..n {
            PageSpec { scanner: Scanner::office(i), ..spec.clone() }.render().unwrap();
        }
        let page_ms = t.elapsed().as_secs_f64() * 1000.0 / n as f64;
        let t = Instant::now();
        let cover = cover_scan(DOSSIER, NAME, Some(DOC_TYPE), dpi, 1.5, 0.5, 1).unwrap();
        let cover_ms = t.elapsed().as_secs_f64() * 1000.0;
        let text = spec.render().unwrap();
        let t = Instant::now();
        let none = read_codes(&text);
        let read_text_ms = t.elapsed().as_secs_f64() * 1000.0;
        let t = Instant::now();
        let found = read_codes(&cover);
        let read_cover_ms = t.elapsed().as_secs_f64() * 1000.0;
        let t = Instant::now();
        let g4 = encode_tiff(std::slice::from_ref(&text), Compression::Group4, dpi).unwrap();
        let g4_ms = t.elapsed().as_secs_f64() * 1000.0;
        println!(
            "{dpi} dpi: text page {page_ms:.1} ms, cover scan {cover_ms:.1} ms, G4 encode {g4_ms:.1} ms ({} KB); \
             read_codes text page {read_text_ms:.1} ms ({} codes), cover {read_cover_ms:.1} ms ({} codes)",
            g4.len() / 1024,
            none.len(),
            found.len()
        );
    }
}
