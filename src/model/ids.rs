//! Identity numbers, phones and names as clerks type them: validation and one canonical form.
//! Resident identity cards (居民身份证, GB 11643: 18 digits with an ISO 7064 MOD 11-2 check,
//! or the old 15-digit form, upgraded), unified social credit codes (统一社会信用代码,
//! GB 32100: 18 characters, MOD 31 check), Chinese phone numbers, and personal/company names.

use chrono::{Datelike, NaiveDate};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error(
        "ID number {input:?} has {len} characters (长度错误): a resident ID has 18 (or 15 on old cards); check the number on the card"
    )]
    ResidentLength { input: String, len: usize },
    #[error(
        "ID number {input:?} has {ch:?} at position {pos} (非法字符): only digits, and X as the last character, are allowed"
    )]
    ResidentChar { input: String, ch: char, pos: usize },
    #[error(
        "ID number {input:?} starts with {code}, which is no province (地区码错误): check the first two digits"
    )]
    ResidentRegion { input: String, code: String },
    #[error(
        "ID number {input:?} has birth date {date} (出生日期错误), which is not a real past date: check digits 7–14"
    )]
    ResidentBirth { input: String, date: String },
    #[error(
        "ID number {input:?} has a wrong check digit (校验位错误): the last character should be {expected}, not {found}; check the number on the card"
    )]
    ResidentCheck { input: String, expected: char, found: char },
    #[error(
        "social credit code {input:?} has {len} characters (长度错误): it has 18; check the business licence"
    )]
    UsccLength { input: String, len: usize },
    #[error(
        "social credit code {input:?} has {ch:?} at position {pos} (非法字符): the letters I, O, Z, S and V are never used; check the licence"
    )]
    UsccChar { input: String, ch: char, pos: usize },
    #[error(
        "social credit code {input:?} has a wrong region code {code:?} (地区码错误): characters 3–8 are six digits"
    )]
    UsccRegion { input: String, code: String },
    #[error(
        "social credit code {input:?} has a wrong check character (校验位错误): the last character should be {expected}, not {found}"
    )]
    UsccCheck { input: String, expected: char, found: char },
    #[error(
        "phone number {input:?} has no area code (缺少区号): write it with its area code, e.g. 0571-87654321"
    )]
    PhoneNoAreaCode { input: String },
    #[error(
        "phone number {input:?} is not a Chinese mobile (11 digits, 13–19…), landline (area code + 7–8 digits) or 400/800 number (号码无效): check it"
    )]
    Phone { input: String },
}

impl IdError {
    /// The message key and arguments, rendered by the front end (`errors.ftl`, `id-…`).
    pub fn message(&self) -> crate::model::error::Message {
        use crate::model::error::Message;
        match self {
            IdError::ResidentLength { input, len } => {
                Message::new("id-resident-length").arg("input", input).arg("len", len)
            }
            IdError::ResidentChar { input, ch, pos } => {
                Message::new("id-resident-char").arg("input", input).arg("char", ch).arg("pos", pos)
            }
            IdError::ResidentRegion { input, code } => {
                Message::new("id-resident-region").arg("input", input).arg("code", code)
            }
            IdError::ResidentBirth { input, date } => {
                Message::new("id-resident-birth").arg("input", input).arg("date", date)
            }
            IdError::ResidentCheck { input, expected, found } => Message::new("id-resident-check")
                .arg("input", input)
                .arg("expected", expected)
                .arg("found", found),
            IdError::UsccLength { input, len } => {
                Message::new("id-uscc-length").arg("input", input).arg("len", len)
            }
            IdError::UsccChar { input, ch, pos } => {
                Message::new("id-uscc-char").arg("input", input).arg("char", ch).arg("pos", pos)
            }
            IdError::UsccRegion { input, code } => {
                Message::new("id-uscc-region").arg("input", input).arg("code", code)
            }
            IdError::UsccCheck { input, expected, found } => Message::new("id-uscc-check")
                .arg("input", input)
                .arg("expected", expected)
                .arg("found", found),
            IdError::PhoneNoAreaCode { input } => Message::new("id-phone-no-area-code").arg("input", input),
            IdError::Phone { input } => Message::new("id-phone").arg("input", input),
        }
    }
}

const PROVINCES: &[u8] = &[
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54,
    61, 62, 63, 64, 65, 71, 81, 82, 83,
];
const RESIDENT_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const RESIDENT_CHECK: &[u8; 11] = b"10X98765432";
const USCC_ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/// Full-width ASCII forms (Ａ, １, ＋) to half-width, and the ideographic space to a space.
///
/// ```
/// assert_eq!(dangan::model::ids::to_halfwidth("ＫＨ－２０２６　欧阳"), "KH-2026 欧阳");
/// ```
pub fn to_halfwidth(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Half-width, without any white space.
fn compact(s: &str) -> String {
    to_halfwidth(s).chars().filter(|c| !c.is_whitespace()).collect()
}

/// The check character of an 18-digit resident ID, from its first 17 digits (ASCII).
pub fn resident_id_check_char(first17: &[u8; 17]) -> char {
    let sum: u32 =
        first17.iter().zip(RESIDENT_WEIGHTS).map(|(d, w)| u32::from(d.wrapping_sub(b'0')) * w).sum();
    RESIDENT_CHECK[(sum % 11) as usize] as char
}

/// Validates a resident ID number and returns its 18-character form; a 15-digit number from
/// an old card is upgraded (century 19 inserted, check digit added).
pub fn normalize_resident_id(input: &str) -> Result<String, IdError> {
    let s = compact(input).to_uppercase();
    let err_input = || s.clone();
    let len = s.chars().count();
    let digits17 = match len {
        18 => {
            for (i, ch) in s.chars().enumerate() {
                let ok = ch.is_ascii_digit() || (i == 17 && ch == 'X');
                if !ok {
                    return Err(IdError::ResidentChar { input: err_input(), ch, pos: i + 1 });
                }
            }
            s[..17].to_string()
        }
        15 => {
            if let Some((i, ch)) = s.chars().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
                return Err(IdError::ResidentChar { input: err_input(), ch, pos: i + 1 });
            }
            format!("{}19{}", &s[..6], &s[6..])
        }
        _ => return Err(IdError::ResidentLength { input: err_input(), len }),
    };
    let province: u8 = digits17[..2].parse().unwrap_or(0);
    if !PROVINCES.contains(&province) {
        return Err(IdError::ResidentRegion { input: err_input(), code: digits17[..2].to_string() });
    }
    let date_s = &digits17[6..14];
    let birth = NaiveDate::parse_from_str(date_s, "%Y%m%d").ok();
    let today = chrono::Local::now().date_naive();
    if !birth.is_some_and(|d| d.year() >= 1900 && d <= today) {
        return Err(IdError::ResidentBirth { input: err_input(), date: date_s.to_string() });
    }
    let bytes: [u8; 17] =
        digits17.as_bytes().try_into().map_err(|_| IdError::ResidentLength { input: err_input(), len })?;
    let expected = resident_id_check_char(&bytes);
    if len == 18 {
        let found = s.chars().last().unwrap_or(' ');
        if found != expected {
            return Err(IdError::ResidentCheck { input: err_input(), expected, found });
        }
    }
    Ok(format!("{digits17}{expected}"))
}

pub struct ResidentIdInfo {
    pub birth_date: NaiveDate,
    pub male: bool,
    pub region_code: String,
}

/// Birth date, sex and region of a canonical 18-character resident ID.
pub fn resident_id_info(canonical18: &str) -> Option<ResidentIdInfo> {
    if canonical18.len() != 18 || !canonical18.is_ascii() {
        return None;
    }
    Some(ResidentIdInfo {
        birth_date: NaiveDate::parse_from_str(&canonical18[6..14], "%Y%m%d").ok()?,
        male: canonical18[16..17].parse::<u8>().ok()? % 2 == 1,
        region_code: canonical18[..6].to_string(),
    })
}

/// The check character of a social credit code from its first 17 characters, or `None` if
/// one is outside the code's alphabet.
pub fn uscc_check_char(first17: &[u8; 17]) -> Option<char> {
    let mut sum = 0u32;
    for (c, w) in first17.iter().zip(USCC_WEIGHTS) {
        let v = USCC_ALPHABET.iter().position(|a| a == c)? as u32;
        sum += v * w;
    }
    let check = (31 - sum % 31) % 31;
    Some(USCC_ALPHABET[check as usize] as char)
}

/// Validates a unified social credit code and returns it in upper case.
pub fn normalize_uscc(input: &str) -> Result<String, IdError> {
    let s = compact(input).to_uppercase();
    let len = s.chars().count();
    if len != 18 {
        return Err(IdError::UsccLength { input: s, len });
    }
    if let Some((i, ch)) =
        s.chars().enumerate().find(|(_, c)| !c.is_ascii() || !USCC_ALPHABET.contains(&(*c as u8)))
    {
        return Err(IdError::UsccChar { input: s.clone(), ch, pos: i + 1 });
    }
    let region = &s[2..8];
    if !region.bytes().all(|b| b.is_ascii_digit()) {
        return Err(IdError::UsccRegion { input: s.clone(), code: region.to_string() });
    }
    let bytes: [u8; 17] =
        s.as_bytes()[..17].try_into().map_err(|_| IdError::UsccLength { input: s.clone(), len })?;
    let expected = uscc_check_char(&bytes).unwrap_or('?');
    let found = s.chars().last().unwrap_or(' ');
    if found != expected {
        return Err(IdError::UsccCheck { input: s, expected, found });
    }
    Ok(s)
}

/// The shape of a resident ID: 18 digits (the last may be X) or 15 digits.
pub fn looks_like_resident_id(s: &str) -> bool {
    let s = compact(s).to_uppercase();
    let b = s.as_bytes();
    match b.len() {
        18 => b[..17].iter().all(u8::is_ascii_digit) && (b[17].is_ascii_digit() || b[17] == b'X'),
        15 => b.iter().all(u8::is_ascii_digit),
        _ => false,
    }
}

/// The shape of a social credit code: 18 characters of its alphabet.
pub fn looks_like_uscc(s: &str) -> bool {
    let s = compact(s).to_uppercase();
    s.len() == 18 && s.bytes().all(|b| USCC_ALPHABET.contains(&b))
}

/// Validates a Chinese phone number and returns its canonical form: `13812345678`,
/// `010-12345678`, `0755-1234567`, `0571-87654321-123`, `400-123-4567`.
pub fn normalize_phone(input: &str) -> Result<String, IdError> {
    let half = to_halfwidth(input.trim());
    let bad = || IdError::Phone { input: input.trim().to_string() };
    // Split off an extension (转, ext, #) first.
    let lower = half.to_lowercase();
    let (main, ext) =
        match ["转", "ext.", "ext", "#", "x"].iter().find_map(|m| lower.find(m).map(|i| (i, m.len()))) {
            Some((i, l)) => (&half[..i], Some(&half[i + l..])),
            None => (half.as_str(), None),
        };
    let ext: Option<String> = match ext {
        Some(e) => {
            let d: String = e.chars().filter(|c| !matches!(c, ' ' | '-' | '.' | ':')).collect();
            if d.is_empty() || d.len() > 6 || !d.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            Some(d)
        }
        None => None,
    };
    let mut digits = String::new();
    let mut dashed_groups: Vec<String> = vec![String::new()];
    for (i, c) in main.chars().enumerate() {
        match c {
            '0'..='9' => {
                digits.push(c);
                if let Some(g) = dashed_groups.last_mut() {
                    g.push(c);
                }
            }
            '+' if i == 0 => {}
            ' ' | '(' | ')' | '.' => {}
            '-' => dashed_groups.push(String::new()),
            _ => return Err(bad()),
        }
    }
    // Country code before a mobile or a landline.
    let mut d = digits.as_str();
    for cc in ["0086", "86"] {
        if let Some(rest) = d.strip_prefix(cc)
            && ((rest.len() == 11 && rest.starts_with('1')) || (rest.len() >= 9 && !rest.starts_with('0')))
        {
            d = rest;
            break;
        }
    }
    if ext.is_none() && d.len() == 11 && d.starts_with('1') && matches!(d.as_bytes()[1], b'3'..=b'9') {
        return Ok(d.to_string());
    }
    if ext.is_none() && d.len() == 10 && (d.starts_with("400") || d.starts_with("800")) {
        return Ok(format!("{}-{}-{}", &d[..3], &d[3..6], &d[6..]));
    }
    // A landline dialled from abroad drops the trunk 0: put it back.
    let owned;
    if !d.starts_with('0') && d.len() >= 9 && digits.len() > d.len() {
        owned = format!("0{d}");
        d = &owned;
    }
    if d.starts_with('0') {
        let area_len = if d.starts_with("010") || d.starts_with("02") { 3 } else { 4 };
        if d.len() < area_len + 7 || d.len() > area_len + 8 {
            return Err(bad());
        }
        let (area, local) = d.split_at(area_len);
        if local.starts_with('0') {
            return Err(bad());
        }
        return Ok(match ext {
            Some(e) => format!("{area}-{local}-{e}"),
            None => format!("{area}-{local}"),
        });
    }
    if (7..=8).contains(&d.len()) {
        return Err(IdError::PhoneNoAreaCode { input: input.trim().to_string() });
    }
    Err(bad())
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// A name as stored: half-width, trimmed, single spaces, no spaces next to Chinese characters,
/// middle dots unified to U+00B7 (阿卜杜拉·艾买提).
pub fn normalize_name(input: &str) -> String {
    let half = to_halfwidth(input);
    let dotted: String = half
        .chars()
        .map(|c| {
            if matches!(c, '\u{2022}' | '\u{30FB}' | '\u{FF65}' | '\u{2027}' | '\u{2219}') {
                '\u{00B7}'
            } else {
                c
            }
        })
        .collect();
    let words: Vec<&str> = dotted.split_whitespace().collect();
    let mut out = String::new();
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            let prev = out.chars().last();
            let next = w.chars().next();
            let glue = prev.is_some_and(|c| is_cjk(c) || c == '\u{00B7}')
                || next.is_some_and(|c| is_cjk(c) || c == '\u{00B7}');
            if !glue {
                out.push(' ');
            }
        }
        out.push_str(w);
    }
    out
}

/// The duplicate-guard key of a name, compared the way search compares names: invisible
/// characters removed, normalised, traditional characters as simplified (歐陽娜娜 = 欧阳娜娜),
/// lower case, no spaces or middle dots.
pub fn name_key(input: &str) -> String {
    let name = normalize_name(&crate::model::text::strip_invisible(input));
    let simplified = if name.chars().any(is_cjk) { fast2s::convert(&name) } else { name };
    simplified.to_lowercase().chars().filter(|c| !c.is_whitespace() && *c != '\u{00B7}').collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_check(first17: &str) -> String {
        let b: [u8; 17] = first17.as_bytes().try_into().unwrap();
        format!("{first17}{}", resident_id_check_char(&b))
    }

    #[test]
    fn the_check_digit_follows_gb_11643() {
        // Worked example of the standard: 11010519491231002X.
        assert_eq!(with_check("11010519491231002"), "11010519491231002X");
        assert_eq!(normalize_resident_id("11010519491231002x").unwrap(), "11010519491231002X");
        assert_eq!(normalize_resident_id(" 1101 0519 4912 3100 2X ").unwrap(), "11010519491231002X");
        assert_eq!(
            normalize_resident_id("１１０１０５１９４９１２３１００２Ｘ").unwrap(),
            "11010519491231002X"
        );
    }

    #[test]
    fn a_wrong_check_digit_names_the_right_one() {
        let err = normalize_resident_id("110105194912310023").unwrap_err();
        assert_eq!(
            err,
            IdError::ResidentCheck { input: "110105194912310023".into(), expected: 'X', found: '3' }
        );
        assert!(err.to_string().contains("should be X, not 3"));
    }

    #[test]
    fn old_15_digit_ids_are_upgraded() {
        assert_eq!(normalize_resident_id("110105491231002").unwrap(), "11010519491231002X");
        assert!(normalize_resident_id("11010549123100A").is_err());
    }

    #[test]
    fn region_date_length_and_characters_are_checked() {
        let bad_region = with_check("99010519900101123");
        assert!(matches!(normalize_resident_id(&bad_region), Err(IdError::ResidentRegion { .. })));
        let feb30 = with_check("11010519900230123");
        assert!(matches!(normalize_resident_id(&feb30), Err(IdError::ResidentBirth { .. })));
        let future = with_check("11010529990101123");
        assert!(matches!(normalize_resident_id(&future), Err(IdError::ResidentBirth { .. })));
        assert!(matches!(normalize_resident_id("1234"), Err(IdError::ResidentLength { len: 4, .. })));
        assert!(matches!(
            normalize_resident_id("11010519900101A234"),
            Err(IdError::ResidentChar { pos: 15, .. })
        ));
        assert!(matches!(normalize_resident_id("1101051990010112X4"), Err(IdError::ResidentChar { .. })));
    }

    #[test]
    fn id_info_reads_birth_and_sex() {
        let info = resident_id_info("11010519491231002X").unwrap();
        assert_eq!(info.birth_date, NaiveDate::from_ymd_opt(1949, 12, 31).unwrap());
        assert!(!info.male, "sequence 002 is even: female");
        assert_eq!(info.region_code, "110105");
    }

    #[test]
    fn social_credit_codes_are_checked_mod_31() {
        assert_eq!(normalize_uscc("91350100M000100Y43").unwrap(), "91350100M000100Y43");
        assert_eq!(normalize_uscc("91350100m000100y43").unwrap(), "91350100M000100Y43");
        let err = normalize_uscc("91350100M000100Y44").unwrap_err();
        assert!(matches!(err, IdError::UsccCheck { expected: '3', found: '4', .. }), "{err}");
        assert!(matches!(normalize_uscc("91350100M000100I43"), Err(IdError::UsccChar { ch: 'I', .. })));
        assert!(matches!(normalize_uscc("9135"), Err(IdError::UsccLength { .. })));
        let b: [u8; 17] = *b"91350100M000100Y4";
        assert_eq!(uscc_check_char(&b), Some('3'));
        assert!(looks_like_uscc("91350100M000100Y43") && !looks_like_resident_id("91350100M000100Y43"));
        assert!(looks_like_resident_id("11010519491231002X") && looks_like_resident_id("110105491231002"));
    }

    #[test]
    fn phones_in_the_forms_people_write_them() {
        let ok = |s: &str| normalize_phone(s).unwrap_or_else(|e| panic!("{s}: {e}"));
        assert_eq!(ok("138 0013 8000"), "13800138000");
        assert_eq!(ok("+86 138-0013-8000"), "13800138000");
        assert_eq!(ok("008613800138000"), "13800138000");
        assert_eq!(ok("８６１３８００１３８０００"), "13800138000");
        assert_eq!(ok("010-12345678"), "010-12345678");
        assert_eq!(ok("(010) 1234 5678"), "010-12345678");
        assert_eq!(ok("02112345678"), "021-12345678");
        assert_eq!(ok("0755-1234567"), "0755-1234567");
        assert_eq!(ok("057187654321"), "0571-87654321");
        assert_eq!(ok("0571-87654321转123"), "0571-87654321-123");
        assert_eq!(ok("0571-87654321 ext 9"), "0571-87654321-9");
        assert_eq!(ok("+86 571 8765 4321"), "0571-87654321");
        assert_eq!(ok("400-123-4567"), "400-123-4567");
        assert_eq!(ok("4001234567"), "400-123-4567");
        assert!(matches!(normalize_phone("87654321"), Err(IdError::PhoneNoAreaCode { .. })));
        for bad in ["138001380001", "12345", "12800138000", "abc", "", "0571-0876543", "13800138000转1"] {
            assert!(normalize_phone(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn names_are_normalised_and_keyed() {
        assert_eq!(normalize_name("  张 三 "), "张三");
        assert_eq!(normalize_name("欧阳　娜娜"), "欧阳娜娜");
        assert_eq!(normalize_name("John   Smith"), "John Smith");
        assert_eq!(normalize_name("阿卜杜拉 • 艾买提"), "阿卜杜拉·艾买提");
        assert_eq!(normalize_name("ＡＢＣ公司"), "ABC公司");
        assert_eq!(name_key(" 张 三 "), name_key("张三"));
        assert_eq!(name_key("ＺＨＡＮＧ San"), "zhangsan");
        assert_eq!(name_key("阿卜杜拉・艾买提"), name_key("阿卜杜拉艾买提"));
    }

    #[test]
    fn traditional_full_width_and_invisible_names_key_like_simplified() {
        assert_eq!(name_key("歐陽娜娜"), name_key("欧阳娜娜"));
        assert_eq!(name_key("欧\u{200B}阳娜\u{00AD}娜"), name_key("欧阳娜娜"));
        assert_eq!(name_key("張　三"), name_key("张三"));
    }
}
