//! Scanned attachments as the rest of the program sees them: stored files, their pages, where
//! each page went on import (its fate) and why a page waits in the inbox; the routing rule
//! that turns a run of pages and the codes on them into documents; the library's scan settings.

use serde::{Deserialize, Serialize};

/// A stored file (the original bytes of one imported scan or PDF).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredFile {
    pub id: i64,
    pub sha256: String,
    pub size: i64,
    pub format: String,
    pub page_count: i64,
    pub original_name: String,
    pub source_path: Option<String>,
    pub origin: String,
    pub added_at: String,
    pub added_by: Option<String>,
}

/// One page of a stored file, filed in a document or waiting in the inbox.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page {
    pub id: i64,
    pub file_id: i64,
    pub sha256: String,
    pub format: String,
    /// Page number within its file, from 1.
    pub page_no: i64,
    pub document_id: Option<i64>,
    /// The dossier of its document (filed pages).
    pub dossier: Option<String>,
    pub position: i64,
    /// Degrees clockwise, shown; the stored file is never changed.
    pub rotation: i64,
    pub width: i64,
    pub height: i64,
    pub is_cover: bool,
    pub inbox_reason: Option<InboxReason>,
    /// The code read on the cover sheet that sent it to the inbox, if any.
    pub inbox_code: Option<String>,
    /// The file's name when it was imported.
    pub file_name: String,
    pub created_at: String,
    pub filed_at: Option<String>,
    /// Recognised text (OCR), when there is some.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// Why a page waits in the inbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InboxReason {
    /// Before any cover sheet in its file.
    NoCover,
    /// After a cover sheet whose dossier the library does not have.
    UnknownDossier,
    /// After a cover sheet of a closed dossier.
    ClosedDossier,
    /// After a cover sheet naming a document type the library does not have.
    UnknownType,
    /// After a cover sheet that names its dossier but no document type ("sort by hand").
    NoType,
    /// After a code that looks like another system's cover sheet.
    ForeignCode,
    /// Taken out of a document by hand.
    Unfiled,
}

impl InboxReason {
    pub const ALL: [InboxReason; 7] = [
        InboxReason::NoCover,
        InboxReason::UnknownDossier,
        InboxReason::ClosedDossier,
        InboxReason::UnknownType,
        InboxReason::NoType,
        InboxReason::ForeignCode,
        InboxReason::Unfiled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            InboxReason::NoCover => "no_cover",
            InboxReason::UnknownDossier => "unknown_dossier",
            InboxReason::ClosedDossier => "closed_dossier",
            InboxReason::UnknownType => "unknown_type",
            InboxReason::NoType => "no_type",
            InboxReason::ForeignCode => "foreign_code",
            InboxReason::Unfiled => "unfiled",
        }
    }

    pub fn from_code(code: &str) -> Option<InboxReason> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The message key of its explanation (`scan-inbox-<code>`).
    pub fn key(self) -> String {
        format!("scan-inbox-{}", self.code().replace('_', "-"))
    }
}

/// What became of one page of an imported file.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "fate", rename_all = "snake_case")]
pub enum PageFate {
    /// Filed in a document of a dossier.
    Filed { page_id: i64, dossier: String, document_id: i64, doc_type: String },
    /// A cover sheet: it started the document that follows; dropped, or kept in front of it.
    Cover { dossier: String, doc_type: Option<String>, kept: bool },
    /// Waiting in the inbox.
    Inbox { page_id: i64, reason: InboxReason, code: Option<String> },
    /// A blank page (a back side), dropped; the original file still holds it.
    Blank { ink: f64 },
}

/// One page's line of an import report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PageReport {
    /// Page number within the file, from 1.
    pub page: usize,
    #[serde(flatten)]
    pub fate: PageFate,
}

/// What became of one file.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileOutcome {
    /// Stored, its pages filed or in the inbox.
    Imported,
    /// The same bytes are already in the library: nothing imported again.
    Duplicate,
    /// Not imported: `reason` says why.
    Refused,
}

/// The report of one file's import.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileReport {
    /// The path as given.
    pub path: String,
    pub outcome: FileOutcome,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    pub pages: Vec<PageReport>,
    /// Why it was refused (a message key's code: `empty`, `encrypted`, `damaged` …) or, for a
    /// duplicate, `duplicate`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The refusal's or the duplicate's details (message arguments: `detail`, `limit`,
    /// `imported_at`, `name` …).
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub details: std::collections::BTreeMap<String, String>,
    /// The hot folder found this very file again after a restart (already imported from this
    /// path): not a duplicate the clerk dropped.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub seen_before: bool,
}

impl FileReport {
    pub fn count(&self, f: impl Fn(&PageFate) -> bool) -> usize {
        self.pages.iter().filter(|p| f(&p.fate)).count()
    }
    pub fn filed(&self) -> usize {
        self.count(|f| matches!(f, PageFate::Filed { .. }))
    }
    pub fn inbox(&self) -> usize {
        self.count(|f| matches!(f, PageFate::Inbox { .. }))
    }
    pub fn blank(&self) -> usize {
        self.count(|f| matches!(f, PageFate::Blank { .. }))
    }
    pub fn covers(&self) -> usize {
        self.count(|f| matches!(f, PageFate::Cover { .. }))
    }
}

/// The library's scan settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanSettings {
    /// Keep a cover sheet as the first page of the document it starts (default: drop it; the
    /// original file still holds it).
    pub keep_cover: bool,
    /// A page with less ink than this share (0–1) is blank and dropped; 0 keeps every page.
    /// The default (0.05 %) drops a back side with scanner noise and keeps a page with one
    /// short line on it (about 0.1 %): losing a page is worse than keeping a blank one.
    pub blank_threshold: f64,
    /// Hours from registering a dossier to its papers being scanned (the 工作台's deadline).
    pub deadline_hours: i64,
}

impl Default for ScanSettings {
    fn default() -> Self {
        ScanSettings { keep_cover: false, blank_threshold: 0.0005, deadline_hours: 48 }
    }
}

/// The largest blank threshold accepted: more would drop pages with a few lines on them.
pub const MAX_BLANK_THRESHOLD: f64 = 0.05;

/// A code read on a page, as routing sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CoverCode {
    /// Looks like one of our cover sheets: a dossier number and maybe a document type.
    Cover { dossier: String, doc_type: Option<String> },
    /// Looks like some other system's separator sheet (a short code with no spaces).
    Foreign(String),
}

/// What a QR code's text is to routing: a cover sheet (`DOSSIER` or `DOSSIER|TYPE`, the
/// dossier a plain code of letters, digits and `-_/.`), a foreign separator (`|`-separated or
/// other short codes), or nothing (a URL, an invoice's data, anything with spaces or longer
/// than a code: content of the page, which stays where it is).
pub fn classify_code(text: &str) -> Option<CoverCode> {
    let t = text.trim();
    if t.is_empty() || t.chars().count() > 64 || t.chars().any(char::is_whitespace) || t.contains("://") {
        return None;
    }
    let is_code = |s: &str| {
        (2..=40).contains(&s.len())
            && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_/.".contains(c))
            && s.chars().any(|c| c.is_ascii_digit())
    };
    let mut parts = t.split('|');
    let dossier = parts.next().unwrap_or_default();
    let doc_type = parts.next();
    if parts.next().is_some() {
        return Some(CoverCode::Foreign(t.to_string()));
    }
    let type_ok = doc_type.is_none_or(|ty| {
        !ty.is_empty() && ty.len() <= 40 && ty.chars().all(|c| c.is_ascii_alphanumeric() || "-_".contains(c))
    });
    if is_code(dossier) && type_ok {
        Some(CoverCode::Cover { dossier: dossier.to_string(), doc_type: doc_type.map(str::to_string) })
    } else if t.chars().all(|c| c.is_ascii_graphic()) && t.len() <= 40 && !t.contains(',') {
        Some(CoverCode::Foreign(t.to_string()))
    } else {
        None
    }
}

/// What one page of a file is, after analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct AnalysedPage {
    pub ink: f64,
    pub blank: bool,
    pub code: Option<CoverCode>,
}

/// How a cover sheet's dossier and type resolve in the library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// An open dossier and a known type (its code).
    File {
        dossier: String,
        doc_type: String,
    },
    /// An open dossier, no type on the sheet: the pages wait for a type, with the dossier noted.
    NoType {
        dossier: String,
    },
    Inbox(InboxReason),
}

/// Where each page goes: `Some(group)` pages start a new group at a cover; a planned page.
#[derive(Debug, Clone, PartialEq)]
pub enum Planned {
    Blank,
    /// A cover sheet that starts `group`; `kept` when it is stored too.
    Cover {
        group: usize,
        kept: bool,
    },
    Page {
        group: usize,
    },
}

/// A run of pages with one destination.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub to: Resolved,
    /// The code read on the sheet that started it.
    pub code: Option<String>,
}

/// Routes a file's pages: a cover sheet starts a new group whose destination `resolve` gives;
/// pages before any cover are in the inbox (no cover); a foreign code starts an inbox group;
/// blank pages are dropped. Covers are dropped unless `keep_cover`; a cover that sends its
/// pages to the inbox is kept there, so the clerk sees what was read.
pub fn route(
    pages: &[AnalysedPage],
    keep_cover: bool,
    mut resolve: impl FnMut(&str, Option<&str>) -> Resolved,
) -> (Vec<Group>, Vec<Planned>) {
    let mut groups: Vec<Group> = Vec::new();
    let mut plan = Vec::with_capacity(pages.len());
    let mut current: Option<usize> = None;
    for p in pages {
        match &p.code {
            Some(code) => {
                let (to, text) = match code {
                    CoverCode::Cover { dossier, doc_type } => {
                        let text = match doc_type {
                            Some(t) => format!("{dossier}|{t}"),
                            None => dossier.clone(),
                        };
                        (resolve(dossier, doc_type.as_deref()), text)
                    }
                    CoverCode::Foreign(t) => (Resolved::Inbox(InboxReason::ForeignCode), t.clone()),
                };
                let keep = keep_cover || !matches!(to, Resolved::File { .. });
                groups.push(Group { to, code: Some(text) });
                let g = groups.len() - 1;
                current = Some(g);
                plan.push(Planned::Cover { group: g, kept: keep });
            }
            None if p.blank => plan.push(Planned::Blank),
            None => {
                let g = match current {
                    Some(g) => g,
                    None => {
                        groups.push(Group { to: Resolved::Inbox(InboxReason::NoCover), code: None });
                        let g = groups.len() - 1;
                        current = Some(g);
                        g
                    }
                };
                plan.push(Planned::Page { group: g });
            }
        }
    }
    (groups, plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(code: Option<&str>, blank: bool) -> AnalysedPage {
        AnalysedPage { ink: if blank { 0.0 } else { 0.1 }, blank, code: code.and_then(classify_code) }
    }

    #[test]
    fn codes_are_told_apart() {
        assert_eq!(
            classify_code("KH-2026-000001|ID"),
            Some(CoverCode::Cover { dossier: "KH-2026-000001".into(), doc_type: Some("ID".into()) })
        );
        assert_eq!(
            classify_code(" KH-2026-000001 "),
            Some(CoverCode::Cover { dossier: "KH-2026-000001".into(), doc_type: None })
        );
        assert_eq!(classify_code("BATCH|7|X"), Some(CoverCode::Foreign("BATCH|7|X".into())));
        assert_eq!(classify_code("SEPARATOR"), Some(CoverCode::Foreign("SEPARATOR".into())));
        assert_eq!(classify_code("https://example.com/x"), None);
        assert_eq!(classify_code("01,10,044001900111,12345678,100.00,20261123"), None);
        assert_eq!(classify_code("发票 123"), None);
    }

    #[test]
    fn pages_follow_their_cover() {
        let pages = vec![
            page(None, false),              // before any cover: inbox
            page(Some("KH-1|ID"), false),   // cover → A
            page(None, false),              // A
            page(None, true),               // blank: dropped
            page(None, false),              // A
            page(Some("KH-404|ID"), false), // unknown dossier → inbox, kept
            page(None, false),              // inbox
            page(Some("KH-2"), false),      // no type
            page(None, false),
        ];
        let (groups, plan) = route(&pages, false, |d, t| match (d, t) {
            ("KH-1", Some(t)) => Resolved::File { dossier: "KH-1".into(), doc_type: t.into() },
            ("KH-2", None) => Resolved::NoType { dossier: "KH-2".into() },
            _ => Resolved::Inbox(InboxReason::UnknownDossier),
        });
        assert_eq!(groups.len(), 4);
        assert_eq!(groups[0].to, Resolved::Inbox(InboxReason::NoCover));
        assert_eq!(groups[1].to, Resolved::File { dossier: "KH-1".into(), doc_type: "ID".into() });
        assert_eq!(groups[2].to, Resolved::Inbox(InboxReason::UnknownDossier));
        assert_eq!(groups[2].code.as_deref(), Some("KH-404|ID"));
        assert_eq!(
            plan,
            vec![
                Planned::Page { group: 0 },
                Planned::Cover { group: 1, kept: false },
                Planned::Page { group: 1 },
                Planned::Blank,
                Planned::Page { group: 1 },
                Planned::Cover { group: 2, kept: true },
                Planned::Page { group: 2 },
                Planned::Cover { group: 3, kept: true },
                Planned::Page { group: 3 },
            ]
        );
        let (_, kept) = route(&pages[1..3], true, |_, _| Resolved::File {
            dossier: "KH-1".into(),
            doc_type: "ID".into(),
        });
        assert_eq!(kept[0], Planned::Cover { group: 0, kept: true });
    }
}
