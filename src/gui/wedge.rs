//! The barcode scanner as a keyboard ("keyboard wedge"): it types a code much faster than a
//! person and ends with Enter. [`Wedge`] watches every key press in the window and recognises
//! such a burst, wherever the focus is, so the clerk never has to click into a field first.

use std::time::{Duration, Instant};

/// Keys closer together than this belong to one scan (scanners type a key every 1–20 ms;
/// people rarely under 60 ms).
const MAX_GAP: Duration = Duration::from_millis(40);
/// Shortest code a scan may carry.
const MIN_LEN: usize = 4;
const MAX_LEN: usize = 64;

#[derive(Debug, Default)]
pub struct Wedge {
    buffer: String,
    last: Option<Instant>,
}

impl Wedge {
    /// A printable character was typed at `at`.
    pub fn char(&mut self, c: char, at: Instant) {
        let fast = self.last.is_some_and(|l| at.saturating_duration_since(l) <= MAX_GAP);
        if !fast {
            self.buffer.clear();
        }
        if self.buffer.len() < MAX_LEN && !c.is_control() {
            self.buffer.push(c);
        }
        self.last = Some(at);
    }

    /// Enter was pressed at `at`: the scanned code, if what came before was a scan.
    pub fn enter(&mut self, at: Instant) -> Option<String> {
        let fast = self.last.is_some_and(|l| at.saturating_duration_since(l) <= MAX_GAP);
        let code = std::mem::take(&mut self.buffer);
        self.last = None;
        (fast && code.chars().count() >= MIN_LEN).then(|| code.trim().to_string()).filter(|c| !c.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(w: &mut Wedge, text: &str, start: Instant, gap_ms: u64) -> Instant {
        let mut t = start;
        for c in text.chars() {
            t += Duration::from_millis(gap_ms);
            w.char(c, t);
        }
        t + Duration::from_millis(gap_ms)
    }

    #[test]
    fn a_fast_burst_ending_in_enter_is_a_scan() {
        let mut w = Wedge::default();
        let t0 = Instant::now();
        let end = typed(&mut w, "KH-2026-000123", t0, 8);
        assert_eq!(w.enter(end).as_deref(), Some("KH-2026-000123"));
        // A person typing the same is not.
        let end = typed(&mut w, "KH-2026-000123", end, 150);
        assert_eq!(w.enter(end), None);
        // Slow typing followed by a fast burst: only the burst counts.
        let mid = typed(&mut w, "abc", end, 200);
        let end = typed(&mut w, "00012345", mid + Duration::from_millis(300), 5);
        assert_eq!(w.enter(end).as_deref(), Some("00012345"));
        // Too short.
        let end = typed(&mut w, "12", end + Duration::from_secs(1), 5);
        assert_eq!(w.enter(end), None);
        // Enter long after the burst.
        let end = typed(&mut w, "123456", end + Duration::from_secs(1), 5);
        assert_eq!(w.enter(end + Duration::from_secs(1)), None);
    }
}
