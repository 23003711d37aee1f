//! The barcode scanner as a keyboard ("keyboard wedge"): it types a code much faster than a
//! person and ends with Enter. [`Wedge`] watches every key press in the window and recognises
//! such a burst, wherever the focus is, so the clerk never has to click into a field first.

use std::time::{Duration, Instant};

/// Keys closer together than this belong to one scan (scanners type a key every 1–20 ms;
/// people rarely under 60 ms).
const MAX_GAP: Duration = Duration::from_millis(40);
/// The gap allowed between a scan's first and second key. The app sees each key when it
/// handles it, not when it was pressed: the first character of a scan typed into a focused
/// field redraws the field, and the keys after it wait for that frame (tens of milliseconds
/// on a loaded machine), so only this one gap may be longer.
const FIRST_GAP: Duration = Duration::from_millis(300);
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
        let gap = self.last.map(|l| at.saturating_duration_since(l));
        let fast = gap.is_some_and(|g| g <= MAX_GAP);
        // One key before a fast pair may be the scan's first, seen late (see FIRST_GAP).
        let first_late = self.buffer.chars().count() == 1 && gap.is_some_and(|g| g <= FIRST_GAP);
        if !fast && !first_late {
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
        // A scan whose first key the app saw late (the frame a focused field redrew for it):
        // still whole.
        let mut t = end + Duration::from_secs(1);
        w.char('B', t);
        t += Duration::from_millis(120);
        let end = typed(&mut w, "X00000018", t, 5);
        assert_eq!(w.enter(end).as_deref(), Some("BX00000018"));
        // But two slow keys before a burst are a person's, not the scan's.
        let mid = typed(&mut w, "ab", end + Duration::from_secs(1), 150);
        let end = typed(&mut w, "00012345", mid + Duration::from_millis(150), 5);
        assert_eq!(w.enter(end).as_deref(), Some("00012345"));
        // Enter long after the burst.
        let end = typed(&mut w, "123456", end + Duration::from_secs(1), 5);
        assert_eq!(w.enter(end + Duration::from_secs(1)), None);
    }
}
