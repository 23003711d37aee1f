//! Password hashing (argon2id, PHC strings).

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

use crate::model::error::{Error, Result};

pub use crate::model::password_policy::MIN_LENGTH;

/// The password policy (`model::password_policy`) for a new password of `user_name`.
pub fn check_strength(password: &str, user_name: &str) -> Result<()> {
    crate::model::password_policy::check(password, user_name)
}

pub fn hash(password: &str) -> Result<String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt)
        .map_err(|e| Error::io("io-password-salt", std::io::Error::other(e.to_string())))?;
    let salt = SaltString::encode_b64(&salt)
        .map_err(|e| Error::io("io-password-salt", std::io::Error::other(e.to_string())))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::io("io-password-hash", std::io::Error::other(e.to_string())))
}

pub fn verify(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
        .unwrap_or(false)
}

/// A fixed hash to verify against when the user does not exist, so a failed login takes as
/// long whether or not the name is known.
pub fn dummy_verify(password: &str) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let phc = DUMMY.get_or_init(|| hash("dangan-dummy-password").unwrap_or_default());
    let _ = verify(password, phc);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_then_verify() {
        let h = hash("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse", &h));
        assert!(!verify("wrong horse", &h));
        assert!(!verify("x", "not a hash"));
    }

    #[test]
    fn short_passwords_are_refused() {
        assert!(check_strength("1234567", "admin").is_err());
        assert!(check_strength("12345678", "admin").is_err(), "the most common password");
        assert!(check_strength("23456781", "admin").is_ok());
        assert!(check_strength("档案管理员密码", "admin").is_err());
    }
}
