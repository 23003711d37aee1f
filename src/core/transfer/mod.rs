//! Tables in and out of the library: exports of customers, documents and loans as CSV or XLSX
//! (with the lists' filters).

pub mod export;
pub mod import;

pub use export::{ExportKind, ExportQuery, ExportReport};
pub use import::{ImportOptions, ImportReport};
