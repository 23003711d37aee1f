//! What a password must be: long enough, not blank, not the user's name, not one of the
//! passwords every guessing list starts with. Pure: the hashing lives in `core::password`.

use crate::model::error::{Error, Result};

pub const MIN_LENGTH: usize = 8;

/// The most common passwords (leaked-password lists, Chinese and international), compared
/// without regard to case. Only those of 8 characters or more matter: shorter ones fail the
/// length rule first.
const COMMON: &[&str] = &[
    "12345678",
    "123456789",
    "1234567890",
    "0123456789",
    "87654321",
    "987654321",
    "11111111",
    "00000000",
    "88888888",
    "66666666",
    "12341234",
    "11223344",
    "12121212",
    "123123123",
    "147258369",
    "159357456",
    "5201314520",
    "52013145201314",
    "woaini1314",
    "woaini520",
    "iloveyou",
    "iloveyou1",
    "password",
    "password1",
    "password123",
    "passw0rd",
    "p@ssw0rd",
    "p@ssword",
    "admin123",
    "admin888",
    "administrator",
    "qwertyui",
    "qwertyuiop",
    "qwerty123",
    "asdfghjk",
    "asdfghjkl",
    "zxcvbnm123",
    "1qaz2wsx",
    "1q2w3e4r",
    "1q2w3e4r5t",
    "qazwsxedc",
    "abc12345",
    "abcd1234",
    "a1234567",
    "a12345678",
    "aa123456",
    "aa12345678",
    "abcdefgh",
    "football",
    "baseball",
    "sunshine",
    "princess",
    "welcome1",
    "letmein1",
    "trustno1",
    "dragon123",
    "zhang123",
    "wang1234",
    "dangan123",
    "danganadmin",
];

/// Checks a new password for the user `user_name`; the message says which rule it breaks.
pub fn check(password: &str, user_name: &str) -> Result<()> {
    if password.chars().count() < MIN_LENGTH {
        return Err(Error::usage("password-too-short").arg("min", MIN_LENGTH));
    }
    let trimmed = password.trim();
    if trimmed.is_empty() {
        return Err(Error::usage("password-only-spaces"));
    }
    let lower = trimmed.to_lowercase();
    let name = user_name.trim().to_lowercase();
    if !name.is_empty() && (lower == name || lower.chars().rev().eq(name.chars())) {
        return Err(Error::usage("password-is-user-name"));
    }
    let mut chars = lower.chars();
    let first = chars.next();
    if chars.all(|c| Some(c) == first) {
        return Err(Error::usage("password-repeated"));
    }
    if COMMON.contains(&lower.as_str()) {
        return Err(Error::usage("password-common"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_short_blank_and_own_name_passwords_are_refused() {
        for (pw, why) in [
            ("1234567", "password-too-short"),
            ("        ", "password-only-spaces"),
            ("\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}", "password-only-spaces"),
            ("Zhangwei01", "password-is-user-name"),
            ("10iewgnahz", "password-is-user-name"),
            ("PASSWORD", "password-common"),
            ("88888888", "password-repeated"),
            ("woaini1314", "password-common"),
            ("1qaz2wsx", "password-common"),
            ("5201314520", "password-common"),
        ] {
            let err = check(pw, "zhangwei01").unwrap_err();
            assert_eq!(err.message().key, why, "{pw:?}: {err}");
        }
        assert!(check("档案室的钥匙在左边", "admin").is_ok());
        assert!(check("admin-password-1", "admin").is_ok());
    }

    #[test]
    fn the_common_list_has_only_lower_case_entries_of_full_length() {
        assert!(COMMON.len() >= 50);
        for p in COMMON {
            assert_eq!(p.to_lowercase(), *p);
            assert!(p.chars().count() >= MIN_LENGTH, "{p} is shorter than the length rule");
        }
    }
}
