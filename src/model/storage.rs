//! Physical storage: where every paper folder is. Locations (a tree of typed levels), boxes
//! (档案盒) with their own barcode series, folders filed into boxes, movements, the box rule
//! per category, and the codes printed on labels with their check character.
//!
//! Codes: a location's barcode is `LC` + 6 digits + a check digit, a box's is the library's
//! box prefix (default `BX`) + 7 digits + a check digit, and a dossier's is its dossier
//! number. The check digit (Luhn, mod 10) catches every single mistyped digit and nearly every
//! swap of two neighbours: a code whose check fails is refused as mistyped, never guessed.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::model::error::Error;
use crate::model::types::code_enum;

/// The check digit (Luhn) of a run of decimal digits.
pub fn check_digit(digits: &str) -> Option<char> {
    let mut sum = 0u32;
    // Doubling starts with the rightmost digit of the payload (the check digit goes after it).
    for (i, c) in digits.chars().rev().enumerate() {
        let mut d = c.to_digit(10)?;
        if i % 2 == 0 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    char::from_digit((10 - sum % 10) % 10, 10)
}

/// The prefix of every location code.
pub const LOCATION_PREFIX: &str = "LC";
/// Digits of a location code's sequence.
pub const LOCATION_DIGITS: usize = 6;
/// The default prefix of box codes (a library may choose another).
pub const DEFAULT_BOX_PREFIX: &str = "BX";
/// Digits of a box code's sequence.
pub const BOX_DIGITS: usize = 7;

/// Formats a code: prefix, zero-padded sequence, check digit.
pub fn make_code(prefix: &str, digits: usize, seq: i64) -> String {
    let body = format!("{seq:0digits$}");
    let check = check_digit(&body).unwrap_or('0');
    format!("{prefix}{body}{check}")
}

/// What a typed or scanned string is, by its shape alone (before looking anything up).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeShape {
    /// A well-formed code of this kind with its sequence number.
    Location(i64),
    Box(i64),
    /// The shape of a code of this kind, but the check digit is wrong: mistyped or misread.
    Mistyped {
        kind: &'static str,
        expected: char,
    },
    /// Anything else: perhaps a dossier number, perhaps a foreign code.
    Other,
}

/// Normalises a scanned or typed code: trims, folds full-width characters, upper-cases ASCII.
pub fn normalize_code(s: &str) -> String {
    crate::model::ids::to_halfwidth(s.trim()).trim().to_ascii_uppercase()
}

fn shaped(code: &str, prefix: &str, digits: usize) -> Option<Result<i64, char>> {
    let rest = code.strip_prefix(prefix)?;
    if rest.len() != digits + 1 || !rest.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (body, check) = rest.split_at(digits);
    let expected = check_digit(body)?;
    if check.starts_with(expected) {
        Some(body.parse::<i64>().map_err(|_| expected))
    } else {
        Some(Err(expected))
    }
}

/// Classifies a normalised code by its shape.
pub fn code_shape(code: &str, box_prefix: &str) -> CodeShape {
    if let Some(r) = shaped(code, LOCATION_PREFIX, LOCATION_DIGITS) {
        return match r {
            Ok(n) => CodeShape::Location(n),
            Err(expected) => CodeShape::Mistyped { kind: "location", expected },
        };
    }
    if let Some(r) = shaped(code, box_prefix, BOX_DIGITS) {
        return match r {
            Ok(n) => CodeShape::Box(n),
            Err(expected) => CodeShape::Mistyped { kind: "box", expected },
        };
    }
    CodeShape::Other
}

/// A product barcode (EAN-13/EAN-8/UPC-A: all digits of those lengths) is not ours.
pub fn looks_like_product_code(code: &str) -> bool {
    matches!(code.len(), 8 | 12 | 13) && code.bytes().all(|b| b.is_ascii_digit())
}

/// A box prefix a library may choose: 1–4 ASCII capital letters, not the location prefix.
pub fn validate_box_prefix(p: &str) -> Result<(), Error> {
    if p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_uppercase()) || p == LOCATION_PREFIX {
        return Err(Error::usage("box-prefix-invalid").arg("value", p));
    }
    Ok(())
}

code_enum! {
    /// The level of a location in the tree.
    Level = "level" {
        Room = "room" / "库房",
        Rack = "rack" / "密集架",
        Column = "column" / "列",
        Section = "section" / "节",
        Shelf = "shelf" / "层",
        Position = "position" / "位",
    }
}

impl Level {
    /// The level a path segment names by its last character (`1排` a rack, `3列` a column,
    /// `2层` a shelf), else the level its depth has in the usual tree.
    pub fn guess(segment: &str, depth: usize) -> Level {
        match segment.chars().last() {
            Some('排' | '架') if depth > 0 => Level::Rack,
            Some('列') if depth > 0 => Level::Column,
            Some('节') if depth > 0 => Level::Section,
            Some('层') if depth > 0 => Level::Shelf,
            Some('位' | '格') if depth > 0 => Level::Position,
            _ => match depth {
                0 => Level::Room,
                1 => Level::Rack,
                2 => Level::Column,
                3 => Level::Shelf,
                _ => Level::Position,
            },
        }
    }
}

code_enum! {
    /// A box's state: open boxes take folders, full ones take none until one leaves, sealed
    /// ones are closed for good (their labels are final).
    BoxStatus = "box-status" {
        Open = "open" / "未满",
        Full = "full" / "已满",
        Sealed = "sealed" / "已封盒",
    }
}

code_enum! {
    /// Whether a category's dossiers get a box of their own or share boxes up to capacity.
    BoxMode = "box-mode" {
        Own = "own" / "一户一盒",
        Shared = "shared" / "多户合盒",
    }
}

code_enum! {
    /// Why something moved.
    MoveReason = "move" {
        Shelved = "shelved" / "上架",
        Moved = "moved" / "移位",
        Filed = "filed" / "装盒",
        Refiled = "refiled" / "换盒",
        Unfiled = "unfiled" / "出盒",
        Loan = "loan" / "借出",
        Returned = "returned" / "归还",
        Inventory = "inventory" / "盘点更正",
    }
}

/// The spine widths (mm) of the kraft boxes in use.
pub const SPINE_WIDTHS: [i64; 4] = [20, 30, 40, 50];

/// The thickness a folder takes in a box (mm): the folder itself plus 0.1 mm per page.
pub fn folder_thickness_mm(pages: i64) -> f64 {
    1.0 + 0.1 * pages.max(0) as f64
}

/// How a box's capacity is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Capacity {
    /// At most this many dossiers.
    Dossiers(i64),
    /// At most this many millimetres of paper (folders and pages; see [`folder_thickness_mm`]).
    Millimetres(i64),
}

impl Capacity {
    /// Parses `20` (dossiers) or `35mm` / `3.5cm` (thickness).
    pub fn parse(s: &str) -> Result<Capacity, Error> {
        let t = s.trim().to_ascii_lowercase();
        let bad = || Error::usage("box-capacity-invalid").arg("value", s);
        let c = if let Some(mm) = t.strip_suffix("mm") {
            Capacity::Millimetres(mm.trim().parse::<i64>().map_err(|_| bad())?)
        } else if let Some(cm) = t.strip_suffix("cm") {
            let v = cm.trim().parse::<f64>().map_err(|_| bad())?;
            Capacity::Millimetres((v * 10.0).round() as i64)
        } else {
            Capacity::Dossiers(t.parse::<i64>().map_err(|_| bad())?)
        };
        match c {
            Capacity::Dossiers(n) if (1..=500).contains(&n) => Ok(c),
            Capacity::Millimetres(n) if (5..=200).contains(&n) => Ok(c),
            _ => Err(bad()),
        }
    }

    pub fn unit(self) -> &'static str {
        match self {
            Capacity::Dossiers(_) => "dossiers",
            Capacity::Millimetres(_) => "mm",
        }
    }

    pub fn value(self) -> i64 {
        match self {
            Capacity::Dossiers(n) | Capacity::Millimetres(n) => n,
        }
    }

    pub fn from_parts(unit: &str, value: i64) -> Capacity {
        if unit == "mm" { Capacity::Millimetres(value) } else { Capacity::Dossiers(value) }
    }

    /// How full a box with `count` folders of `thickness_mm` total is, 0.0–1.0 and beyond.
    pub fn fill(self, count: i64, thickness_mm: f64) -> f64 {
        match self {
            Capacity::Dossiers(n) => count as f64 / n.max(1) as f64,
            Capacity::Millimetres(n) => thickness_mm / n.max(1) as f64,
        }
    }

    /// Whether one more folder of `pages` pages fits.
    pub fn admits(self, count: i64, thickness_mm: f64, pages: i64) -> bool {
        match self {
            Capacity::Dossiers(n) => count < n,
            // An empty box always takes one folder, however thick.
            Capacity::Millimetres(n) => count == 0 || thickness_mm + folder_thickness_mm(pages) <= n as f64,
        }
    }
}

impl fmt::Display for Capacity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Capacity::Dossiers(n) => write!(f, "{n}"),
            Capacity::Millimetres(n) => write!(f, "{n}mm"),
        }
    }
}

/// A location in the tree.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Location {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub level: Level,
    /// The whole path, `档案室A/1排/3列/2层`.
    pub path: String,
    pub parent_id: Option<i64>,
    /// How many boxes it holds at most (none: unlimited).
    pub capacity: Option<i64>,
}

/// A box and what is known of it at a glance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BoxInfo {
    pub id: i64,
    pub code: String,
    /// 盒号 within its year.
    pub box_no: i64,
    /// 全宗号.
    pub fonds: String,
    /// 年度.
    pub year: i32,
    /// 保管期限 (its name, e.g. 永久).
    pub retention: String,
    pub spine_mm: i64,
    pub capacity: Capacity,
    pub status: BoxStatus,
    /// The category whose box rule opened it, if any.
    pub category: Option<String>,
    /// Where it belongs (path) and where it is now.
    pub home: Option<String>,
    pub current: Option<String>,
    /// Folders in it and their thickness.
    pub count: i64,
    pub thickness_mm: f64,
    /// 起止件号: the first and last item number of its folders.
    pub first_item: Option<i64>,
    pub last_item: Option<i64>,
}

impl BoxInfo {
    pub fn fill(&self) -> f64 {
        self.capacity.fill(self.count, self.thickness_mm)
    }

    /// 起止件号 as printed, `1-20`, or empty for an empty box.
    pub fn item_range(&self) -> String {
        match (self.first_item, self.last_item) {
            (Some(a), Some(b)) if a == b => format!("{a}"),
            (Some(a), Some(b)) => format!("{a}-{b}"),
            _ => String::new(),
        }
    }
}

/// A dossier's folder in a box.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Folder {
    pub dossier: String,
    pub name: String,
    /// 件号.
    pub item_no: i64,
    pub pages: i64,
    pub filed_at: String,
    /// Where the folder is if not in its box (on a desk, in a reading room), else none.
    pub out: Option<String>,
    /// Who has it on loan (or lost it), if anyone.
    pub on_loan: Option<String>,
}

/// A dossier's place: its box and the box's home and current location.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Placement {
    pub dossier: String,
    pub box_code: String,
    pub box_no: i64,
    pub item_no: i64,
    pub home: Option<String>,
    pub current: Option<String>,
    /// Where the folder itself is when it is not in its box.
    pub folder_out: Option<String>,
    /// When it was filed in this box.
    pub filed_at: String,
}

/// One movement of a box or a folder.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Movement {
    pub at: String,
    pub user: String,
    /// `box` or `folder`.
    pub what: &'static str,
    /// The box code or dossier number that moved.
    pub item: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub reason: MoveReason,
    pub note: String,
}

/// The box rule of a category (sub-categories inherit the nearest one).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BoxRule {
    /// The category it is set on (its path), or none for the library's default.
    pub category: Option<String>,
    pub mode: BoxMode,
    pub capacity: Capacity,
    pub spine_mm: i64,
    /// 保管期限 code.
    pub retention: String,
}

/// A retention period (保管期限) boxes are kept for.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RetentionPeriod {
    pub code: String,
    pub name: String,
    /// None: permanent.
    pub years: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_check_digit_matches_the_textbook_example() {
        // 7992739871 → check digit 3 (the classic Luhn example).
        assert_eq!(check_digit("7992739871"), Some('3'));
    }

    #[test]
    fn a_code_round_trips_and_every_single_digit_typo_is_caught() {
        let code = make_code("BX", BOX_DIGITS, 1234);
        assert_eq!(code_shape(&code, "BX"), CodeShape::Box(1234));
        let bytes = code.as_bytes();
        for i in 2..bytes.len() {
            for d in b'0'..=b'9' {
                if d == bytes[i] {
                    continue;
                }
                let mut typo = bytes.to_vec();
                typo[i] = d;
                let typo = String::from_utf8(typo).unwrap_or_default();
                assert!(
                    matches!(code_shape(&typo, "BX"), CodeShape::Mistyped { kind: "box", .. }),
                    "{typo} was accepted"
                );
            }
        }
    }

    #[test]
    fn adjacent_swaps_are_caught() {
        let code = make_code(LOCATION_PREFIX, LOCATION_DIGITS, 120_456);
        let b = code.as_bytes();
        for i in 2..b.len() - 1 {
            if b[i] == b[i + 1] {
                continue;
            }
            let mut t = b.to_vec();
            t.swap(i, i + 1);
            let t = String::from_utf8(t).unwrap_or_default();
            // Luhn misses only the 09↔90 swap.
            if (b[i], b[i + 1]) == (b'0', b'9') || (b[i], b[i + 1]) == (b'9', b'0') {
                continue;
            }
            assert_ne!(code_shape(&t, "BX"), CodeShape::Location(120_456), "{t}");
        }
    }

    #[test]
    fn product_codes_are_not_ours() {
        assert!(looks_like_product_code("6901234567892"));
        assert_eq!(code_shape("6901234567892", "BX"), CodeShape::Other);
    }

    #[test]
    fn levels_are_guessed_from_the_segment() {
        assert_eq!(Level::guess("档案室A", 0), Level::Room);
        assert_eq!(Level::guess("1排", 1), Level::Rack);
        assert_eq!(Level::guess("3列", 2), Level::Column);
        assert_eq!(Level::guess("2层", 3), Level::Shelf);
        assert_eq!(Level::guess("5", 4), Level::Position);
    }

    #[test]
    fn capacity_parses_dossiers_and_thickness() {
        assert_eq!(Capacity::parse("20").ok(), Some(Capacity::Dossiers(20)));
        assert_eq!(Capacity::parse("3.5cm").ok(), Some(Capacity::Millimetres(35)));
        assert_eq!(Capacity::parse("40mm").ok(), Some(Capacity::Millimetres(40)));
        assert!(Capacity::parse("0").is_err());
        assert!(Capacity::parse("lots").is_err());
        assert!(Capacity::Millimetres(40).admits(0, 0.0, 10_000));
        assert!(!Capacity::Millimetres(40).admits(1, 39.0, 10));
    }
}
