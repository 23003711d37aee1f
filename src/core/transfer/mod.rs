//! Tables in and out of the library: exports of customers, documents and loans as CSV or XLSX
//! (with the lists' filters).

pub mod export;

pub use export::{ExportKind, ExportQuery, ExportReport};
