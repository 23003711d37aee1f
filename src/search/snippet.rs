//! What a result shows of its match: the name, the matched code line or a window of the
//! summary, with the matched characters marked.

use super::analysis as an;
use super::document::digits;

/// What one part of a query looks for, to highlight it in a result.
#[derive(Debug, Clone)]
pub(super) enum Needle {
    /// Normalised text: found as a whole, or (Han, 3+ characters) by its bigrams.
    Text(Vec<char>),
    /// A code's letters and digits: found as a whole or as the end of a code.
    Code(String),
}

/// What a result shows of its match.
pub(super) struct Shown {
    pub(super) text: String,
    pub(super) highlights: Vec<(usize, usize)>,
    pub(super) name_highlights: Vec<(usize, usize)>,
}

/// Merges marked characters into `[start, end)` ranges.
fn ranges(marks: &[bool]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < marks.len() {
        if marks[i] {
            let s = i;
            while i < marks.len() && marks[i] {
                i += 1;
            }
            out.push((s, i));
        } else {
            i += 1;
        }
    }
    out
}

/// Marks where a text needle occurs in `text`; `true` if it was found.
fn mark_text(text: &[char], needle: &[char], marks: &mut [bool]) -> bool {
    let mut pieces: Vec<&[char]> = vec![needle];
    if needle.len() > 2 && needle.iter().all(|c| an::is_han(*c)) {
        pieces.extend(needle.windows(2));
    }
    let mut found = false;
    for p in pieces {
        if p.is_empty() || p.len() > text.len() {
            continue;
        }
        for start in 0..=text.len() - p.len() {
            if text[start..start + p.len()] == *p {
                marks[start..start + p.len()].iter_mut().for_each(|m| *m = true);
                found = true;
            }
        }
        if found {
            // The whole needle was found: its bigrams add nothing.
            break;
        }
    }
    found
}

/// Chooses what a result shows: a matched code (电话 1300018【6186】), else the name if every
/// text needle is in it, else a window of the summary around the first match.
pub(super) fn snippet(name: &str, codes: &str, summary: &str, needles: &[Needle]) -> Shown {
    let name_chars: Vec<char> = name.chars().map(an::normalize_char).collect();
    let mut name_marks = vec![false; name_chars.len()];
    let mut all_in_name = true;
    for n in needles {
        if let Needle::Text(t) = n {
            all_in_name &= mark_text(&name_chars, t, &mut name_marks);
        }
    }
    let name_highlights = ranges(&name_marks);
    // A code: the first listed code that is the needle or ends with it.
    for n in needles {
        let Needle::Code(c) = n else { continue };
        for line in codes.lines() {
            let chars: Vec<char> = line.chars().collect();
            let value_start = line.find(' ').map_or(0, |b| line[..b].chars().count() + 1);
            let value: String = chars[value_start..].iter().collect();
            let plain = digits(&value);
            if plain == *c || plain.ends_with(c.as_str()) {
                // Map the matched digits back onto the line (separators are skipped).
                let mut marks = vec![false; chars.len()];
                let mut want = c.chars().count();
                for i in (value_start..chars.len()).rev() {
                    if want == 0 {
                        break;
                    }
                    if chars[i].is_ascii_alphanumeric() {
                        marks[i] = true;
                        want -= 1;
                    }
                }
                return Shown { text: line.to_string(), highlights: ranges(&marks), name_highlights };
            }
        }
    }
    if all_in_name || needles.is_empty() {
        return Shown { text: name.to_string(), highlights: name_highlights.clone(), name_highlights };
    }
    let chars: Vec<char> = summary.chars().collect();
    let norm: Vec<char> = chars.iter().map(|c| an::normalize_char(*c)).collect();
    let mut marks = vec![false; norm.len()];
    for n in needles {
        if let Needle::Text(t) = n {
            mark_text(&norm, t, &mut marks);
        }
    }
    let found = ranges(&marks);
    let Some(&(first, _)) = found.first() else {
        return Shown { text: name.to_string(), highlights: name_highlights.clone(), name_highlights };
    };
    let start = first.saturating_sub(12);
    let end = (start + 60).min(chars.len());
    let mut text = String::new();
    let offset = if start > 0 {
        text.push('…');
        1
    } else {
        0
    };
    text.extend(&chars[start..end]);
    if end < chars.len() {
        text.push('…');
    }
    let highlights = found
        .into_iter()
        .filter(|(s, e)| *s >= start && *e <= end)
        .map(|(s, e)| (s - start + offset, e - start + offset))
        .collect();
    Shown { text, highlights, name_highlights }
}

pub(super) fn mark(text: &str, ranges: &[(usize, usize)]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    for &(s, e) in ranges {
        out.extend(&chars[i..s]);
        out.push('【');
        out.extend(&chars[s..e]);
        out.push('】');
        i = e;
    }
    out.extend(&chars[i..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Needle {
        Needle::Text(an::normalize(s).chars().collect())
    }

    #[test]
    fn a_matched_code_is_shown_with_its_digits_marked() {
        let codes = "档案号 KH-2026-000001\n电话 0571-87654321-8001\n电话 13912345678";
        let s = snippet("张伟", codes, "", &[Needle::Code("5678".into())]);
        assert_eq!((s.text.as_str(), s.highlights), ("电话 13912345678", vec![(10, 14)]));
        // Separators inside the matched digits are skipped over, not counted.
        let s = snippet("张伟", codes, "", &[Needle::Code("43218001".into())]);
        assert_eq!(mark(&s.text, &s.highlights), "电话 0571-8765【4321】-【8001】");
    }

    #[test]
    fn names_then_summary_windows() {
        let s = snippet("歐陽娜娜", "", "北京市朝阳区", &[text("欧阳")]);
        assert_eq!(mark(&s.text, &s.highlights), "【歐陽】娜娜");
        let summary = "浙江省杭州市西湖区文三路100号华星大厦 · 身份证复印件 · 供用电合同";
        let s = snippet("张伟", "", summary, &[text("张"), text("合同")]);
        assert_eq!(mark("张伟", &s.name_highlights), "【张】伟");
        assert!(
            s.text.starts_with('…') && mark(&s.text, &s.highlights).ends_with("供用电【合同】"),
            "{}",
            s.text
        );
        // Three or more characters not found whole are marked by their bigrams.
        let s = snippet("李四", "", "华星大厦", &[text("星大楼")]);
        assert_eq!(mark(&s.text, &s.highlights), "华【星大】厦");
    }
}
