//! Domain types shared by the services, the store, the CLI and (later) the GUI.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::model::error::Error;

/// Declares a closed set of values stored as lowercase English codes, with a Chinese label,
/// parsed from either.
macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident = $label:literal { $($variant:ident = $code:literal / $zh:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The message key of the kind of value (`role`, `grade`, …).
            pub const LABEL_KEY: &'static str = concat!("kind-", $label);

            /// The message key of this value's label, e.g. `grade-important`.
            pub fn label_key(self) -> &'static str {
                match self { $($name::$variant => concat!($label, "-", $code)),+ }
            }

            /// The code stored in the database and used on the command line.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The Chinese label shown to clerks.
            pub fn label_zh(self) -> &'static str {
                match self { $($name::$variant => $zh),+ }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::model::error::Error;
            fn from_str(s: &str) -> Result<Self, $crate::model::error::Error> {
                let t = s.trim();
                $(if t.eq_ignore_ascii_case($code) || t == $zh { return Ok($name::$variant); })+
                let choices: Vec<String> =
                    Self::ALL.iter().map(|v| format!("{} ({})", v.as_str(), v.label_zh())).collect();
                Err($crate::model::error::Error::usage("unknown-choice")
                    .arg("what", Self::LABEL_KEY)
                    .arg("value", s)
                    .arg("choices", choices.join(", ")))
            }
        }
    };
}

/// The same closed-set declaration serves the storage enums (`model::storage`).
pub(crate) use code_enum;

code_enum!(
    /// A user's role; what each may do is in [`crate::model::permission`].
    Role = "role" { Admin = "admin" / "管理员", Archivist = "archivist" / "档案员", Clerk = "clerk" / "业务员", Viewer = "viewer" / "查阅员" }
);

code_enum!(
    /// Dossier grade (档案等级).
    Grade = "grade" { Important = "important" / "重要", Special = "special" / "特殊", General = "general" / "一般" }
);

code_enum!(
    /// Customer status.
    Status = "status" { Potential = "potential" / "潜在", Active = "active" / "在册", Closed = "closed" / "销户" }
);

code_enum!(
    /// The kind of identity document a customer's ID number comes from.
    IdKind = "id-kind" {
        Resident = "resident" / "居民身份证",
        Uscc = "uscc" / "统一社会信用代码",
        Passport = "passport" / "护照",
        Other = "other" / "其他证件",
    }
);

code_enum!(
    /// The type of a custom field's value.
    FieldKind = "field-kind" {
        Text = "text" / "文本",
        Integer = "integer" / "整数",
        Decimal = "decimal" / "小数",
        Date = "date" / "日期",
        Choice = "choice" / "选项",
        Bool = "bool" / "是否",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub display_name: String,
    pub role: Role,
    pub disabled: bool,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Category {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub parent: Option<String>,
    /// Names from the root down, e.g. "非居民 › 高压".
    pub path: String,
    pub depth: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocType {
    pub id: i64,
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustomField {
    pub id: i64,
    /// The category that defines it; it applies there and in every sub-category.
    pub category: String,
    pub group: String,
    pub key: String,
    pub kind: FieldKind,
    pub required: bool,
    pub options: Vec<String>,
    pub unit: String,
}

/// The dossier number rule, e.g. prefix `KH`, year, width 6 → `KH-2026-000123`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NumberingRule {
    pub prefix: String,
    pub separator: String,
    pub with_year: bool,
    pub width: usize,
}

impl Default for NumberingRule {
    fn default() -> Self {
        NumberingRule { prefix: "KH".into(), separator: "-".into(), with_year: true, width: 6 }
    }
}

impl NumberingRule {
    /// The sequence scope: numbers restart at 1 in each scope (each year when the year is part
    /// of the number).
    pub fn scope(&self, year: i32) -> String {
        if self.with_year {
            format!("{}{}{}", self.prefix, self.separator, year)
        } else {
            self.prefix.clone()
        }
    }

    pub fn format(&self, year: i32, seq: i64) -> String {
        format!("{}{}{:0width$}", self.scope(year), self.separator, seq, width = self.width)
    }

    pub fn validate(&self) -> Result<(), Error> {
        let ok_char = |c: char| c.is_ascii_alphanumeric() || ('\u{4e00}'..='\u{9fff}').contains(&c);
        if self.prefix.is_empty() || self.prefix.chars().count() > 12 || !self.prefix.chars().all(ok_char) {
            return Err(Error::usage("numbering-prefix").arg("value", &self.prefix));
        }
        if self.separator.chars().count() > 1 || self.separator.chars().any(|c| c.is_alphanumeric()) {
            return Err(Error::usage("numbering-separator").arg("value", &self.separator));
        }
        if !(3..=10).contains(&self.width) {
            return Err(Error::usage("numbering-width").arg("value", self.width));
        }
        Ok(())
    }
}

/// A customer and their dossier (one per customer).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Customer {
    pub id: i64,
    pub dossier: String,
    pub name: String,
    pub former_names: Vec<String>,
    pub id_kind: Option<IdKind>,
    pub id_number: Option<String>,
    pub phones: Vec<String>,
    pub address: String,
    pub category: String,
    pub category_path: String,
    pub grade: Grade,
    pub status: Status,
    pub confidential: bool,
    pub clerk: Option<String>,
    pub notes: String,
    pub custom: BTreeMap<String, serde_json::Value>,
    pub created_at: String,
    pub updated_at: String,
    pub closed_at: Option<String>,
}

/// A paper inside a dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Document {
    pub id: i64,
    pub doc_type: String,
    pub doc_type_name: String,
    pub title: String,
    pub date: Option<NaiveDate>,
    pub expires_on: Option<NaiveDate>,
    pub pages: i64,
    pub notes: String,
    pub created_at: String,
    pub created_by: Option<String>,
    /// Scanned pages filed in it (its images; `pages` is the paper's count as registered).
    pub scanned_pages: i64,
}

/// One line of a category's required-document checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChecklistItem {
    pub doc_type: String,
    pub name: String,
    /// How many documents of this type the dossier holds.
    pub count: usize,
    /// How many of them have scanned pages: the paper counts as present only then.
    pub scanned: usize,
}

/// Completeness of a dossier against its category's checklist (e.g. 5/7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Completeness {
    pub present: usize,
    pub required: usize,
    pub items: Vec<ChecklistItem>,
    /// Required custom fields without a value (a field made required after the dossier was
    /// registered): the dossier is incomplete until they are filled in.
    pub missing_fields: Vec<String>,
}

impl Completeness {
    /// Required papers not registered at all.
    pub fn missing(&self) -> impl Iterator<Item = &ChecklistItem> {
        self.items.iter().filter(|i| i.count == 0)
    }

    /// Required papers registered but not yet scanned (present only once scanned).
    pub fn unscanned(&self) -> impl Iterator<Item = &ChecklistItem> {
        self.items.iter().filter(|i| i.count > 0 && i.scanned == 0)
    }

    pub fn is_complete(&self) -> bool {
        self.present == self.required && self.missing_fields.is_empty()
    }
}

/// Everything shown when a dossier is opened.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dossier {
    #[serde(flatten)]
    pub customer: Customer,
    pub documents: Vec<Document>,
    pub completeness: Completeness,
    pub fields: Vec<CustomField>,
}

/// One row of a list of dossiers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustomerSummary {
    pub dossier: String,
    pub name: String,
    pub category: String,
    pub grade: Grade,
    pub status: Status,
    pub phone: Option<String>,
    pub confidential: bool,
    pub updated_at: String,
}

/// One row of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub user: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub dossier: Option<String>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub hash: String,
}
