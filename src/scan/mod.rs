//! Scans, pure: what a stored file is and what its pages look like. It opens a file's bytes
//! (JPEG, PNG, TIFF with any number of pages including CCITT Group 4, PDF rendered in pure Rust
//! by hayro), refuses what cannot be kept safely (empty, truncated, damaged, encrypted, a
//! decompression bomb), renders a page as grey or colour pixels at a bounded size, and tells a
//! page's ink (blank pages) and the QR codes on it (cover sheets). It knows nothing of SQLite,
//! of dossiers or of the store: `core::scans` uses it to import, route and show pages.

mod analyse;
mod decode;
pub mod ocr;

pub use analyse::{CodeReading, ink_ratio, is_blank, read_codes};
pub use decode::{Limits, Rendered, ScanFile};

use serde::Serialize;

/// The kinds of file Dangan keeps, told by their bytes (never by the file's name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Jpeg,
    Png,
    Tiff,
    Pdf,
}

impl Format {
    pub fn code(self) -> &'static str {
        match self {
            Format::Jpeg => "jpeg",
            Format::Png => "png",
            Format::Tiff => "tiff",
            Format::Pdf => "pdf",
        }
    }

    pub fn from_code(code: &str) -> Option<Format> {
        [Format::Jpeg, Format::Png, Format::Tiff, Format::Pdf].into_iter().find(|f| f.code() == code)
    }

    /// The usual file extension (for "open the original" and exported copies).
    pub fn extension(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::Tiff => "tif",
            Format::Pdf => "pdf",
        }
    }

    /// The format the bytes are in, by their signature.
    pub fn sniff(bytes: &[u8]) -> Option<Format> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Format::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Format::Png)
        } else if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
            Some(Format::Tiff)
        } else if bytes.starts_with(b"II+\0") || bytes.starts_with(b"MM\0+") {
            // BigTIFF
            Some(Format::Tiff)
        } else if find(&bytes[..bytes.len().min(1024)], b"%PDF-").is_some() {
            // A PDF may have junk before its header (allowed within the first 1024 bytes).
            Some(Format::Pdf)
        } else {
            None
        }
    }

    /// What the bytes look like when they are none of ours, for the refusal ("a Word
    /// document", "a ZIP archive"): a few common signatures.
    pub fn describe_other(bytes: &[u8]) -> &'static str {
        if bytes.starts_with(b"PK\x03\x04") {
            "zip"
        } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
            "office"
        } else if bytes.starts_with(b"GIF8") {
            "gif"
        } else if bytes.starts_with(b"BM") {
            "bmp"
        } else if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
            "webp"
        } else if bytes.iter().take(512).all(|b| b.is_ascii_graphic() || b.is_ascii_whitespace()) {
            "text"
        } else {
            "unknown"
        }
    }
}

pub(crate) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Why a file cannot be imported; each has a message key (`scan-refused-<code>`) and the CLI
/// and the hot folder's reason files say it in the user's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Refusal {
    /// Zero bytes.
    Empty,
    /// Not one of the formats; `looks_like` from [`Format::describe_other`].
    NotAScan { looks_like: String },
    /// Bigger than the library's limit.
    TooBig { bytes: u64, limit: u64 },
    /// A page larger than the pixel limit (a decompression bomb, or a scan at an absurd
    /// resolution).
    TooManyPixels { page: usize, width: u64, height: u64, limit: u64 },
    /// More pages than the limit.
    TooManyPages { pages: usize, limit: usize },
    /// A PDF protected by a password or with encryption.
    Encrypted,
    /// A PDF or TIFF with no pages.
    NoPages,
    /// Cut short, or damaged: the decoder's words.
    Damaged { detail: String },
}

impl Refusal {
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::Empty => "empty",
            Refusal::NotAScan { .. } => "not_a_scan",
            Refusal::TooBig { .. } => "too_big",
            Refusal::TooManyPixels { .. } => "too_many_pixels",
            Refusal::TooManyPages { .. } => "too_many_pages",
            Refusal::Encrypted => "encrypted",
            Refusal::NoPages => "no_pages",
            Refusal::Damaged { .. } => "damaged",
        }
    }
}

impl std::fmt::Display for Refusal {
    /// English, for logs; users read the translated sentence.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Empty => write!(f, "the file is empty (0 bytes)"),
            Refusal::NotAScan { looks_like } => {
                write!(f, "not a JPEG, PNG, TIFF or PDF (looks like: {looks_like})")
            }
            Refusal::TooBig { bytes, limit } => write!(f, "{bytes} bytes is over the limit of {limit}"),
            Refusal::TooManyPixels { page, width, height, limit } => {
                write!(f, "page {page} is {width}×{height} pixels, over the limit of {limit}")
            }
            Refusal::TooManyPages { pages, limit } => write!(f, "{pages} pages, over the limit of {limit}"),
            Refusal::Encrypted => write!(f, "the PDF is encrypted or password-protected"),
            Refusal::NoPages => write!(f, "the file has no pages"),
            Refusal::Damaged { detail } => write!(f, "the file is damaged or cut short: {detail}"),
        }
    }
}
