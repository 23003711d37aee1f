//! The import pipeline: files → pages → barcode routing → attachment store.
//! Planned: arrives with the scanning issue. Nothing here yet.
