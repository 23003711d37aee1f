//! Text that cannot lie: the one rule for every name, title, address and note a person types.
//!
//! Control characters (ESC, BEL, the C1 range, so also terminal escape and OSC sequences) are
//! refused: they reach terminals, logs and printed labels, where they can rewrite what a
//! reader sees. Invisible characters (zero-width spaces and joiners, the soft hyphen, bidi
//! embeddings, overrides and isolates, the byte-order mark) are removed: they make two equal
//! names look different to the duplicate guard and two different names look equal to a clerk.
//! Notes may hold line breaks and tabs; names, titles and addresses may not.

use crate::model::error::{Error, Result};

/// A character that renders as nothing (or reorders what follows) and is dropped from input.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'                      // soft hyphen
            | '\u{034F}'                // combining grapheme joiner
            | '\u{061C}'                // Arabic letter mark
            | '\u{115F}' | '\u{1160}'   // Hangul fillers
            | '\u{17B4}' | '\u{17B5}'   // Khmer inherent vowels
            | '\u{180B}'..='\u{180F}'   // Mongolian variation selectors, vowel separator
            | '\u{200B}'..='\u{200F}'   // zero-width space, ZWNJ, ZWJ, LRM, RLM
            | '\u{202A}'..='\u{202E}'   // bidi embeddings and overrides
            | '\u{2060}'..='\u{2064}'   // word joiner, invisible operators
            | '\u{2066}'..='\u{206F}'   // bidi isolates, deprecated format characters
            | '\u{3164}'                // Hangul filler
            | '\u{FE00}'..='\u{FE0F}'   // variation selectors
            | '\u{FEFF}'                // byte-order mark, zero-width no-break space
            | '\u{FFA0}'                // half-width Hangul filler
            | '\u{FFF9}'..='\u{FFFB}'   // interlinear annotation
            | '\u{E0000}'..='\u{E007F}' // tag characters
    )
}

/// A control character: C0 (below U+0020), DEL, C1 (U+0080–U+009F), and the line and
/// paragraph separators.
pub fn is_control(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')
}

/// The conventional name of a control character, for messages.
fn control_name(c: char) -> String {
    let name = match c {
        '\u{0}' => "NUL",
        '\u{7}' => "BEL",
        '\u{8}' => "BS",
        '\t' => "TAB",
        '\n' => "LF (line break)",
        '\r' => "CR",
        '\u{1b}' => "ESC",
        '\u{7f}' => "DEL",
        '\u{9b}' => "CSI",
        '\u{9d}' => "OSC",
        _ => "",
    };
    if name.is_empty() { format!("U+{:04X}", c as u32) } else { format!("U+{:04X} {name}", c as u32) }
}

/// Removes invisible characters.
pub fn strip_invisible(s: &str) -> String {
    s.chars().filter(|c| !is_invisible(*c)).collect()
}

/// Checks one line of text (a name, title, address): invisible characters are removed and any
/// control character, line breaks included, is refused with its position named.
pub fn clean_line(what: &str, s: &str) -> Result<String> {
    clean(what, s, false)
}

/// Checks free text (notes): like [`clean_line`], but line breaks and tabs are kept (a CR LF
/// pair becomes one line break).
pub fn clean_multiline(what: &str, s: &str) -> Result<String> {
    clean(what, &s.replace("\r\n", "\n"), true)
}

fn clean(what: &str, s: &str, multiline: bool) -> Result<String> {
    let stripped = strip_invisible(s);
    let bad = stripped
        .chars()
        .enumerate()
        .find(|(_, c)| is_control(*c) && !(multiline && matches!(c, '\n' | '\t')));
    if let Some((pos, c)) = bad {
        let key = if multiline { "text-control-char" } else { "text-control-char-line" };
        return Err(Error::usage(key).arg("what", what).arg("char", control_name(c)).arg("pos", pos + 1));
    }
    Ok(stripped)
}

/// Text made safe for a terminal: every control character but line breaks and tabs, and every
/// invisible character, is shown as `\u{…}` instead of being sent to the terminal.
pub fn escape_unprintable(s: &str) -> String {
    if !s.chars().any(|c| (is_control(c) && !matches!(c, '\n' | '\t')) || is_invisible(c)) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if (is_control(c) && !matches!(c, '\n' | '\t')) || is_invisible(c) {
            out.push_str(&format!("\\u{{{:04x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_bel_and_osc_in_a_name_are_refused() {
        for bad in ["张三\u{1b}[2J", "张三\u{7}", "\u{1b}]0;pwned\u{7}李四", "王五\u{9b}31m", "a\nb"]
        {
            let err = clean_line("the name", bad).unwrap_err();
            assert!(err.message().key.starts_with("text-control-char"), "{bad:?}: {err}");
        }
        let err = clean_line("the name", "张三\u{1b}").unwrap_err();
        let m = err.message();
        assert!(m.get("char") == Some("U+001B ESC") && m.get("pos") == Some("3"), "{err}");
    }

    #[test]
    fn zero_width_soft_hyphen_and_bidi_overrides_are_removed() {
        assert_eq!(clean_line("n", "欧\u{200B}阳\u{00AD}娜\u{200D}娜\u{FEFF}").unwrap(), "欧阳娜娜");
        assert_eq!(clean_line("n", "abc\u{202E}fed\u{202C}").unwrap(), "abcfed");
        assert_eq!(clean_line("n", "\u{2066}x\u{2069}").unwrap(), "x");
    }

    #[test]
    fn notes_keep_line_breaks_and_tabs_but_not_escapes() {
        assert_eq!(clean_multiline("notes", "一\r\n二\t三").unwrap(), "一\n二\t三");
        assert!(clean_multiline("notes", "x\u{1b}[31m").is_err());
    }

    #[test]
    fn output_escapes_what_a_terminal_would_obey() {
        assert_eq!(escape_unprintable("张三"), "张三");
        assert_eq!(escape_unprintable("a\u{1b}]0;x\u{7}b\n"), "a\\u{001b}]0;x\\u{0007}b\n");
        assert_eq!(escape_unprintable("r\u{202E}l"), "r\\u{202e}l");
    }
}
