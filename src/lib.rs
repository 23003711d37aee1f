//! Dangan (档案): a records-room archive manager — one dossier per customer.
//!
//! See `ARCHITECTURE.md` for the map of modules and the rules between them.

pub mod bench;
pub mod cli;
pub mod core;
pub mod demo;
pub mod gui;
pub mod i18n;
pub mod labels;
pub mod logfile;
pub mod model;
pub mod scan;
pub mod search;
pub mod store;
pub mod tabular;
