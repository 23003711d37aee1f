//! The input rules for customers: names, ID numbers, phones, free text.

use super::*;
use crate::model::text;

pub(super) fn check_len(what: &str, s: &str, max: usize) -> Result<()> {
    if s.chars().count() > max {
        return Err(Error::usage("text-too-long").arg("what", what).arg("max", max));
    }
    Ok(())
}

pub fn clean_name(name: &str) -> Result<String> {
    let name = ids::normalize_name(&text::clean_line("label-name", name)?);
    if name.is_empty() {
        return Err(Error::usage("name-empty"));
    }
    check_len("label-name", &name, MAX_NAME)?;
    Ok(name)
}

/// Validates an ID number and returns `(kind, canonical number)`. Without a kind, an 18- or
/// 15-digit number is read as a resident ID, else as a social credit code; anything else needs
/// the kind given.
pub fn clean_identity(kind: Option<IdKind>, number: &str) -> Result<(IdKind, String)> {
    let trimmed = number.trim();
    match kind {
        Some(IdKind::Resident) => Ok((IdKind::Resident, ids::normalize_resident_id(trimmed)?)),
        Some(IdKind::Uscc) => Ok((IdKind::Uscc, ids::normalize_uscc(trimmed)?)),
        Some(k @ (IdKind::Passport | IdKind::Other)) => {
            let s: String = ids::to_halfwidth(trimmed).chars().filter(|c| !c.is_whitespace()).collect();
            let s = s.to_uppercase();
            if s.is_empty() || s.len() > 32 || !s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                return Err(Error::usage("id-other-bad").arg("kind", k.label_key()).arg("value", number));
            }
            Ok((k, s))
        }
        None if ids::looks_like_resident_id(trimmed) => match ids::normalize_resident_id(trimmed) {
            Ok(n) => Ok((IdKind::Resident, n)),
            Err(resident_err) => match ids::normalize_uscc(trimmed) {
                Ok(n) if ids::looks_like_uscc(trimmed) => Ok((IdKind::Uscc, n)),
                _ => Err(resident_err.into()),
            },
        },
        None if ids::looks_like_uscc(trimmed) => Ok((IdKind::Uscc, ids::normalize_uscc(trimmed)?)),
        None => Err(Error::usage("id-unknown-kind").arg("value", number)),
    }
}

pub fn clean_phones(phones: &[String]) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for p in phones.iter().flat_map(|p| p.split([',', '，', ';', '；'])) {
        if p.trim().is_empty() {
            continue;
        }
        let p = ids::normalize_phone(p)?;
        if !out.contains(&p) {
            out.push(p);
        }
    }
    if out.len() > MAX_PHONES {
        return Err(Error::usage("phones-too-many").arg("max", MAX_PHONES));
    }
    Ok(out)
}

/// One line (an address, a title), or free text with line breaks when it may be as long as
/// notes; control characters refused, invisible ones removed (`model::text`).
pub(super) fn clean_text(what: &str, s: &str, max: usize) -> Result<String> {
    let s = if max >= MAX_NOTES { text::clean_multiline(what, s)? } else { text::clean_line(what, s)? };
    let s = s.trim().to_string();
    check_len(what, &s, max)?;
    Ok(s)
}
