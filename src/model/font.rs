//! The one bundled font (Noto Sans CJK SC, SIL OFL: `assets/fonts/OFL.txt`), as bytes: the
//! labels embed it (subset) in their PDFs, and the app can draw with the same file, so the
//! binary carries it once.

/// Noto Sans CJK SC Regular, a CFF-flavoured OpenType font.
/// A `static`, not a `const`: a constant is copied into every crate that uses it (two 16 MB
/// copies in the binary), a static exists once.
pub static CJK_FONT: &[u8] = include_bytes!("../../assets/fonts/NotoSansCJKsc-Regular.otf");
