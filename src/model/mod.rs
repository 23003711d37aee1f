//! The model: pure types, the error type with its kinds, the rules for IDs, phones, names,
//! dates and custom fields, the role table and the audit chain's hash. No I/O and no clock;
//! uses nothing else of this crate, and everything else uses it.

pub mod audit;
pub mod backup;
pub mod calendar;
pub mod dates;
pub mod error;
pub mod fields;
pub mod font;
pub mod ids;
pub mod loans;
pub mod password_policy;
pub mod permission;
pub mod record;
pub mod scans;
pub mod storage;
pub mod text;
pub mod types;

pub use dates::parse_date;
pub use error::{Error, ErrorKind, Message, Result};
pub use types::*;
