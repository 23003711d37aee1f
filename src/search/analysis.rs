//! Chinese text analysis, done here rather than inside tantivy so the same functions make the
//! index terms and the query terms (and can be tested on their own):
//! - normalisation: full-width → half-width, traditional → simplified (歐陽 → 欧阳), lower case;
//! - dictionary words (jieba, search mode: 供用电合同 → 供用电, 合同, …);
//! - character unigrams and bigrams, so 张 and 电合 match inside words;
//! - pinyin of names, full and initials (张伟 → zhangwei, zw), surnames read as surnames
//!   (单 = shan, 曾 = zeng);
//! - codes: ID numbers, phones, dossier numbers, whole and by suffix of 4+ characters.

use std::sync::OnceLock;

use crate::model::ids::to_halfwidth;

/// The jieba segmenter; its dictionary loads once per process (~100 ms).
pub fn jieba() -> &'static jieba_rs::Jieba {
    static JIEBA: OnceLock<jieba_rs::Jieba> = OnceLock::new();
    JIEBA.get_or_init(jieba_rs::Jieba::new)
}

pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// Normalises text for indexing and querying: half-width, simplified, lower case.
pub fn normalize(s: &str) -> String {
    let half = to_halfwidth(s);
    let simplified = if half.chars().any(is_han) { fast2s::convert(&half) } else { half };
    simplified.chars().map(lower).collect()
}

fn lower(c: char) -> char {
    if c.is_ascii() { c.to_ascii_lowercase() } else { c.to_lowercase().next().unwrap_or(c) }
}

/// Normalises one character (the same mapping as [`normalize`], one char in, one char out, so
/// highlights found in normalised text map back onto the original).
pub fn normalize_char(c: char) -> char {
    let half = to_halfwidth(&c.to_string());
    let simple = if is_han(c) { fast2s::convert(&half) } else { half };
    simple.chars().next().map(lower).unwrap_or(c)
}

/// Dictionary words of (normalised) text, in search mode (long words and their sub-words),
/// keeping only tokens with a letter, digit or Han character.
pub fn words(normalized: &str, out: &mut Vec<String>) {
    for w in jieba().cut_for_search(normalized, true) {
        let w = w.word.trim();
        if w.chars().any(|c| c.is_alphanumeric()) {
            out.push(w.to_string());
        }
    }
}

/// Character grams of each run of Han characters, and each run of letters or digits whole.
/// Names get unigrams and bigrams (a single character finds a surname or given name); other
/// text gets bigrams only, plus lone characters (a one-character query is a name, not the 路 of
/// every address — and this keeps the index a third smaller).
pub fn grams(normalized: &str, unigrams: bool, out: &mut Vec<String>) {
    let chars: Vec<char> = normalized.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if is_han(c) {
            let start = i;
            while i < chars.len() && is_han(chars[i]) {
                i += 1;
            }
            let run = &chars[start..i];
            for (j, ch) in run.iter().enumerate() {
                if unigrams || run.len() == 1 {
                    out.push(ch.to_string());
                }
                if let Some(next) = run.get(j + 1) {
                    out.push([*ch, *next].iter().collect());
                }
            }
        } else if c.is_alphanumeric() {
            let start = i;
            while i < chars.len() && chars[i].is_alphanumeric() && !is_han(chars[i]) {
                i += 1;
            }
            out.push(chars[start..i].iter().collect());
        } else {
            i += 1;
        }
    }
}

/// The grams a query fragment is looked up by: a single character as itself, a longer run by
/// its bigrams (its unigrams would match nearly everything).
pub fn query_grams(normalized: &str, out: &mut Vec<String>) {
    let mut all = Vec::new();
    grams(normalized, true, &mut all);
    let han_len = normalized.chars().filter(|c| is_han(*c)).count();
    for g in all {
        let n = g.chars().count();
        let han = g.chars().all(is_han);
        if !han || n == 2 || han_len == 1 {
            out.push(g);
        }
    }
}

/// Compound (two-character) surnames, longest match first.
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "令狐", "慕容", "尉迟", "长孙", "夏侯", "司徒", "公孙",
    "宇文", "轩辕", "端木", "独孤", "南宫", "西门", "百里", "呼延", "万俟", "闻人", "赫连", "澹台", "公冶",
    "宗政", "濮阳", "太史", "申屠", "钟离", "拓跋", "完颜", "单于", "东郭", "鲜于", "第五", "左丘", "公羊",
    "谷梁", "仲孙", "司空",
];

/// Surnames whose usual reading differs from the reading as a surname.
const SURNAME_PINYIN: &[(&str, &str)] = &[
    ("单", "shan"),
    ("曾", "zeng"),
    ("解", "xie"),
    ("仇", "qiu"),
    ("朴", "piao"),
    ("查", "zha"),
    ("区", "ou"),
    ("盖", "ge"),
    ("乐", "yue"),
    ("尉", "wei"),
    ("覃", "qin"),
    ("缪", "miao"),
    ("翟", "zhai"),
    ("种", "chong"),
    ("召", "shao"),
    ("秘", "bi"),
    ("冼", "xian"),
    ("员", "yun"),
    ("柏", "bai"),
    ("繁", "po"),
    ("尉迟", "yu chi"),
    ("长孙", "zhang sun"),
    ("万俟", "mo qi"),
    ("单于", "chan yu"),
    ("澹台", "tan tai"),
];

/// Does this look like a person's name (Han only, 2–4 characters, or with a middle dot)?
pub fn is_person_name(normalized: &str) -> bool {
    let n = normalized.chars().count();
    let han = normalized.chars().filter(|c| is_han(*c)).count();
    (han == n && (2..=4).contains(&n)) || (normalized.contains('\u{00B7}') && han + 1 >= n)
}

/// The surname of a person's (normalised) name: a compound surname if it starts with one,
/// else the first character.
pub fn surname(normalized: &str) -> Option<String> {
    if !is_person_name(normalized) {
        return None;
    }
    if let Some(s) = COMPOUND_SURNAMES.iter().find(|s| normalized.starts_with(**s)) {
        return Some(s.to_string());
    }
    normalized.chars().next().filter(|c| is_han(*c)).map(String::from)
}

/// Pinyin syllables of a (normalised) name, the surname read as a surname.
pub fn name_syllables(normalized: &str) -> Vec<String> {
    use pinyin::ToPinyin;
    let mut out = Vec::new();
    let mut rest = normalized;
    if let Some(s) = surname(normalized)
        && let Some((_, py)) = SURNAME_PINYIN.iter().find(|(h, _)| *h == s)
    {
        out.extend(py.split(' ').map(String::from));
        rest = &normalized[s.len()..];
    }
    for (c, p) in rest.chars().zip(rest.to_pinyin()) {
        match p {
            Some(p) => out.push(p.plain().to_string()),
            None if c.is_ascii_alphanumeric() => out.push(c.to_string()),
            None => {}
        }
    }
    out
}

/// Pinyin tokens of a name: the whole (zhangwei), the initials (zw), each syllable (zhang, wei),
/// the surname (ouyang) and surname + initials of the given name (zhangw, ouyangnn).
pub fn pinyin_tokens(normalized: &str, out: &mut Vec<String>) {
    let han: String = normalized.chars().filter(|c| is_han(*c)).collect();
    let syllables = name_syllables(&han);
    if syllables.is_empty() {
        return;
    }
    let initials: String = syllables.iter().filter_map(|s| s.chars().next()).collect();
    out.push(syllables.concat());
    out.push(initials.clone());
    out.extend(syllables.iter().cloned());
    let surname_len = surname(&han).map_or(1, |s| s.chars().count()).min(syllables.len());
    if surname_len > 1 {
        out.push(syllables[..surname_len].concat());
    }
    if syllables.len() > surname_len {
        out.push(format!("{}{}", syllables[..surname_len].concat(), &initials[surname_len..]));
    }
}

/// Beginnings of a name's pinyin, for search as you type: the full reading, the surname +
/// initials and the initials, each cut after every letter from the second on (zh, zha, …,
/// zhangwe of zhangwei; ouyangn of ouyangnn; zw of zwm). Tokens [`pinyin_tokens`] makes whole
/// are left out: they are in the name's pinyin already.
pub fn pinyin_prefixes(normalized: &str, out: &mut Vec<String>) {
    let han: String = normalized.chars().filter(|c| is_han(*c)).collect();
    let syllables = name_syllables(&han);
    if syllables.is_empty() {
        return;
    }
    let mut whole = Vec::new();
    pinyin_tokens(normalized, &mut whole);
    let initials: String = syllables.iter().filter_map(|s| s.chars().next()).collect();
    let surname_len = surname(&han).map_or(1, |s| s.chars().count()).min(syllables.len());
    let mixed = format!(
        "{}{}",
        syllables[..surname_len].concat(),
        initials.chars().skip(surname_len).collect::<String>()
    );
    let start = out.len();
    for word in [syllables.concat(), mixed, initials] {
        let chars: Vec<char> = word.chars().collect();
        for n in 2..chars.len() {
            let p: String = chars[..n].iter().collect();
            if !whole.contains(&p) && !out[start..].contains(&p) {
                out.push(p);
            }
        }
    }
}

/// Does a query part read as pinyin or initials (letters only, lower case once normalised)?
pub fn looks_like_pinyin(normalized: &str) -> bool {
    !normalized.is_empty() && normalized.chars().all(|c| c.is_ascii_lowercase())
}

/// A code as typed, for exact lookups: half-width, upper case, without spaces, `+` or
/// parentheses (`+86 (0571) 8765 4321` → `8605718765 4321` without the space).
pub fn code(s: &str) -> String {
    to_halfwidth(s)
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '+' | '(' | ')'))
        .collect::<String>()
        .to_uppercase()
}

/// Does a query part look like a code (ID, phone, dossier number, barcode)?
pub fn looks_like_code(code: &str) -> bool {
    code.chars().count() >= 4
        && code.chars().any(|c| c.is_ascii_digit())
        && code.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '/' | '_' | '.'))
}

/// Suffixes are indexed from 4 up to this many characters; a longer typed suffix is looked up
/// by its last [`MAX_SUFFIX`] characters ([`suffix_key`]). Eight digits already single out one
/// phone or ID in a million, and the longer ones would double the size of the index.
pub const MIN_SUFFIX: usize = 4;
pub const MAX_SUFFIX: usize = 8;

/// The suffixes of 4 to 8 characters of a code's trailing run of digits (and X), short of the
/// whole code (that is an exact term).
pub fn suffixes(code: &str, out: &mut Vec<String>) {
    let tail: Vec<char> = code.chars().rev().take_while(|c| c.is_ascii_digit() || *c == 'X').collect();
    let whole = code.chars().count();
    for n in MIN_SUFFIX..=MAX_SUFFIX.min(tail.len()) {
        if n < whole {
            out.push(tail[..n].iter().rev().collect());
        }
    }
}

/// The suffix term a typed run of digits is looked up by.
pub fn suffix_key(digits: &str) -> &str {
    let n = digits.len();
    if n > MAX_SUFFIX { &digits[n - MAX_SUFFIX..] } else { digits }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(f: impl Fn(&mut Vec<String>)) -> Vec<String> {
        let mut out = Vec::new();
        f(&mut out);
        out
    }

    #[test]
    fn normalisation_folds_width_script_and_case() {
        assert_eq!(normalize("歐陽娜娜"), "欧阳娜娜");
        assert_eq!(normalize("ＡＢＣ１２３"), "abc123");
        assert_eq!(normalize("臺灣"), "台湾");
        assert_eq!(normalize_char('陽'), '阳');
        assert_eq!(normalize_char('Ｚ'), 'z');
    }

    #[test]
    fn grams_are_unigrams_and_bigrams_of_han_runs() {
        assert_eq!(v(|o| grams("张伟 a1", true, o)), ["张", "张伟", "伟", "a1"]);
        assert_eq!(v(|o| grams("中山路 路", false, o)), ["中山", "山路", "路"]);
        assert_eq!(v(|o| query_grams("张", o)), ["张"]);
        assert_eq!(v(|o| query_grams("电合同", o)), ["电合", "合同"]);
    }

    #[test]
    fn words_come_from_the_dictionary() {
        let w = v(|o| words("供用电合同", o));
        assert!(w.contains(&"合同".to_string()), "{w:?}");
        assert!(!w.contains(&"电合".to_string()), "{w:?}");
    }

    #[test]
    fn surnames_and_pinyin() {
        assert_eq!(surname("欧阳娜娜").as_deref(), Some("欧阳"));
        assert_eq!(surname("张伟").as_deref(), Some("张"));
        assert_eq!(surname("杭州华信电子科技有限公司"), None);
        let p = v(|o| pinyin_tokens("张伟", o));
        assert_eq!(p, ["zhangwei", "zw", "zhang", "wei", "zhangw"]);
        assert!(v(|o| pinyin_tokens("曾国藩", o)).contains(&"zengguofan".to_string()));
        assert!(v(|o| pinyin_tokens("单雄信", o)).contains(&"shanxiongxin".to_string()));
        let o = v(|o| pinyin_tokens("欧阳娜娜", o));
        assert!(o.contains(&"ouyangnana".to_string()) && o.contains(&"oynn".to_string()), "{o:?}");
        assert!(o.contains(&"ouyang".to_string()) && o.contains(&"ouyangnn".to_string()), "{o:?}");
        let y = v(|o| pinyin_tokens("尉迟恭", o));
        assert!(y.contains(&"yuchigong".to_string()) && y.contains(&"ycg".to_string()), "{y:?}");
    }

    #[test]
    fn pinyin_cut_mid_name_is_indexed_by_its_beginnings() {
        let p = v(|o| pinyin_prefixes("张伟", o));
        for want in ["zh", "zha", "zhan", "zhangwe"] {
            assert!(p.contains(&want.to_string()), "{want} missing from {p:?}");
        }
        // Whole tokens are not repeated.
        assert!(!p.contains(&"zhang".to_string()) && !p.contains(&"zhangw".to_string()), "{p:?}");
        let o = v(|o| pinyin_prefixes("欧阳娜娜", o));
        assert!(o.contains(&"ouyangn".to_string()) && o.contains(&"ouyangna".to_string()), "{o:?}");
        let m = v(|o| pinyin_prefixes("张伟明", o));
        assert!(m.contains(&"zhangw".to_string()) && m.contains(&"zw".to_string()), "{m:?}");
    }

    #[test]
    fn codes_and_suffixes() {
        assert!(looks_like_code("5678") && looks_like_code("KH-2026-000123") && !looks_like_code("张伟"));
        assert!(!looks_like_code("123"));
        assert_eq!(v(|o| suffixes("0571-87654321", o)), ["4321", "54321", "654321", "7654321", "87654321"]);
        assert_eq!(v(|o| suffixes("11010519491231002X", o)).first().map(String::as_str), Some("002X"));
        assert_eq!(v(|o| suffixes("13912345678", o)).last().map(String::as_str), Some("12345678"));
        assert!(v(|o| suffixes("5678", o)).is_empty());
        assert_eq!(suffix_key("0519491231002X"), "1231002X");
        assert_eq!(code(" ｋｈ-2026 "), "KH-2026");
    }
}
