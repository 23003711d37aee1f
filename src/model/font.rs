//! The one bundled font (Noto Sans CJK SC, SIL OFL: `assets/fonts/OFL.txt`), as bytes: the
//! labels embed it (subset) in their PDFs, and the app can draw with the same file, so the
//! binary carries it once.

/// Noto Sans CJK SC Regular, a CFF-flavoured OpenType font.
pub const CJK_FONT: &[u8] = include_bytes!("../../assets/fonts/NotoSansCJKsc-Regular.otf");
