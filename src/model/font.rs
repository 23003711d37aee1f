//! The one bundled font (Noto Sans CJK SC, SIL OFL: `assets/fonts/OFL.txt`), as bytes: the
//! labels embed it (subset) in their PDFs, and the app can draw with the same file, so the
//! binary carries it once.

/// The bytes live inside this static, so every use refers to the same symbol: a `const` (or a
/// static initialised from an `include_bytes!` reference) is copied into each crate and codegen
/// unit that reads it — two 16 MB copies in the binary.
pub static CJK_FONT_DATA: [u8; include_bytes!("../../assets/fonts/NotoSansCJKsc-Regular.otf").len()] =
    *include_bytes!("../../assets/fonts/NotoSansCJKsc-Regular.otf");

/// Noto Sans CJK SC Regular, a CFF-flavoured OpenType font.
pub static CJK_FONT: &[u8] = &CJK_FONT_DATA;
