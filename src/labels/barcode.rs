//! The symbols: Code128 (barcoders) for every code a scanner wedge reads, and QR (qrcode) for
//! the cover sheet. Both come out as modules (dark or light); `draw` turns them into vector
//! rectangles.

use crate::model::error::{Error, Result};

/// Quiet zone each side of a Code128 symbol, in modules (the standard asks for 10).
pub const QUIET_MODULES: usize = 10;
/// Quiet zone round a QR code, in modules (the standard asks for 4).
pub const QR_QUIET_MODULES: usize = 4;

/// The longest code printed as a barcode (a longer one is not one of ours).
const MAX_CODE_CHARS: usize = 48;

/// Code set switches in barcoders' input syntax.
const SET_B: char = '\u{0181}';
const SET_C: char = '\u{0106}';

/// The modules of a Code128 symbol for `code` (1 = bar), without quiet zones. Printable ASCII
/// only; runs of digits are packed two to a symbol (code set C) where that makes it shorter.
pub fn code128(code: &str) -> Result<Vec<u8>> {
    let printable = |c: char| (' '..='~').contains(&c);
    if code.trim().is_empty() || code.chars().count() > MAX_CODE_CHARS || !code.chars().all(printable) {
        return Err(Error::usage("label-code-unprintable").arg("code", code));
    }
    let input = code_sets(code);
    let symbol = barcoders::sym::code128::Code128::new(&input)
        .map_err(|e| Error::usage("label-code-unprintable").arg("code", format!("{code} ({e})")))?;
    Ok(symbol.encode())
}

/// `code` in barcoders' syntax: code set B, switching to C for runs of digits long enough to
/// gain (4 or more at the start or the end, 6 or more in the middle; an even number of them).
fn code_sets(code: &str) -> String {
    let chars: Vec<char> = code.chars().collect();
    let mut out = String::new();
    let mut current = None;
    let mut i = 0;
    while i < chars.len() {
        let run = chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        let at_edge = i == 0 || i + run == chars.len();
        let worth = if at_edge { 4 } else { 6 };
        if run >= worth {
            let even = run - run % 2;
            // An odd run leaves its first digit in set B, so the rest pairs up to the end.
            let (lead, packed) = (run - even, even);
            for c in &chars[i..i + lead] {
                if current != Some(SET_B) {
                    out.push(SET_B);
                    current = Some(SET_B);
                }
                out.push(*c);
            }
            if current != Some(SET_C) {
                out.push(SET_C);
                current = Some(SET_C);
            }
            out.extend(&chars[i + lead..i + lead + packed]);
            i += run;
        } else {
            let n = run.max(1);
            if current != Some(SET_B) {
                out.push(SET_B);
                current = Some(SET_B);
            }
            out.extend(&chars[i..i + n]);
            i += n;
        }
    }
    out
}

/// The QR code of `payload` (error correction M): its side in modules and its modules row by
/// row (true = dark), without the quiet zone.
pub fn qr(payload: &str) -> Result<(usize, Vec<bool>)> {
    let code = qrcode::QrCode::with_error_correction_level(payload.as_bytes(), qrcode::EcLevel::M)
        .map_err(|_| Error::usage("label-code-unprintable").arg("code", payload))?;
    let n = code.width();
    let dark = code.to_colors().into_iter().map(|c| c == qrcode::Color::Dark).collect();
    Ok((n, dark))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn digit_runs_are_packed_only_where_it_pays() {
        assert_eq!(code_sets("KH-2026-000123"), "\u{181}KH-2026-\u{106}000123");
        assert_eq!(code_sets("12345"), "\u{181}1\u{106}2345");
        assert_eq!(code_sets("BX12"), "\u{181}BX12");
        assert_eq!(code_sets("L1-2"), "\u{181}L1-2");
    }

    #[test]
    fn codes_that_cannot_be_printed_are_refused_with_a_key() {
        for bad in ["", "档案", "A\tB", &"9".repeat(49)] {
            assert_eq!(code128(bad).unwrap_err().message().key, "label-code-unprintable", "{bad:?}");
        }
        assert!(code128("KH-2026-000123").unwrap().len() > 100);
    }
}
