//! Printing: one JSON document on stdout with `--json`, else text for people.

use std::io::Write;

use serde::Serialize;

pub use crate::model::text::escape_unprintable;

#[derive(Debug, Clone, Copy)]
pub struct Output {
    pub json: bool,
}

impl Output {
    /// Prints `value` as JSON, or the text `text` makes (anything a terminal would obey rather
    /// than show, such as an escape sequence in a name, printed as `\u{…}`).
    ///
    /// A reader that stops early (`dangan where X | head`) is not an error: the rest is not
    /// wanted, and the action itself is done.
    pub fn emit<T: Serialize>(&self, value: &T, text: impl FnOnce() -> String) -> anyhow::Result<()> {
        let out = if self.json {
            serde_json::to_string_pretty(value)?
        } else {
            let t = text();
            if t.is_empty() {
                return Ok(());
            }
            escape_unprintable(t.trim_end())
        };
        let mut stdout = std::io::stdout().lock();
        match writeln!(stdout, "{out}").and_then(|()| stdout.flush()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            r => Ok(r?),
        }
    }

    /// A note for people, on stderr (never mixed into JSON output).
    pub fn note(&self, msg: impl AsRef<str>) {
        eprintln!("{}", escape_unprintable(msg.as_ref()));
    }
}

/// A progress line on stderr: redrawn in place on a terminal, every 10% otherwise.
pub struct ProgressLine {
    label: String,
    tty: bool,
    last_pct: u64,
    last_printed: u64,
    drawn: bool,
}

impl ProgressLine {
    pub fn new(label: String) -> ProgressLine {
        use std::io::IsTerminal;
        ProgressLine {
            label,
            tty: std::io::stderr().is_terminal(),
            last_pct: u64::MAX,
            last_printed: 0,
            drawn: false,
        }
    }

    pub fn update(&mut self, done: u64, total: u64) {
        let pct = done * 100 / total.max(1);
        if pct == self.last_pct {
            return;
        }
        self.last_pct = pct;
        let label = &self.label;
        if self.tty {
            eprint!("\r{label}: {done}/{total} ({pct}%)");
            self.drawn = true;
        } else if pct >= self.last_printed + 10 || done == total {
            self.last_printed = pct - pct % 10;
            eprintln!("{label}: {done}/{total} ({pct}%)");
        }
    }
}

impl ProgressLine {
    /// Ends the line on a terminal (the next output starts on a fresh one).
    pub fn finish(&mut self) {
        if self.drawn {
            eprintln!();
            self.drawn = false;
        }
    }
}

impl Drop for ProgressLine {
    fn drop(&mut self) {
        self.finish();
    }
}

/// Columns as a terminal shows them: CJK characters are two columns wide.
pub fn width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            let c = c as u32;
            let wide = (0x1100..=0x115F).contains(&c)
                || (0x2E80..=0xA4CF).contains(&c)
                || (0xAC00..=0xD7A3).contains(&c)
                || (0xF900..=0xFAFF).contains(&c)
                || (0xFE30..=0xFE4F).contains(&c)
                || (0xFF00..=0xFF60).contains(&c)
                || (0xFFE0..=0xFFE6).contains(&c)
                || (0x20000..=0x3FFFD).contains(&c);
            if wide { 2 } else { 1 }
        })
        .sum()
}

/// Pads `s` with spaces to `w` columns.
pub fn pad(s: &str, w: usize) -> String {
    let mut out = s.to_string();
    out.extend(std::iter::repeat_n(' ', w.saturating_sub(width(s))));
    out
}

/// Lays rows out in aligned columns.
pub fn table(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|i| rows.iter().filter_map(|r| r.get(i)).map(|s| width(s)).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for r in rows {
        let line: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(i, s)| if i + 1 == r.len() { s.clone() } else { pad(s, widths[i]) })
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_two_columns() {
        assert_eq!(width("欧阳娜娜"), 8);
        assert_eq!(width("KH-1"), 4);
        assert_eq!(
            table(&[vec!["张三".into(), "x".into()], vec!["a".into(), "y".into()]]),
            "张三  x\na     y\n"
        );
    }
}
