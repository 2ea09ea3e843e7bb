//! Passwords: what a member types, what we accept as a new password, and what we store.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};

/// Shortest password accepted for a new account or a password change.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// Longest password accepted: bounds the work done per login attempt.
pub const MAX_PASSWORD_BYTES: usize = 1024;
/// zxcvbn only analyses this many characters; longer passwords are strong by length.
const ANALYSED_CHARS: usize = 64;

/// A password as typed, for logging in. Never printed, zeroised on drop.
#[derive(Clone)]
pub struct PlainPassword(SecretString);

impl PlainPassword {
    pub fn new(raw: impl Into<String>) -> Self {
        Self(SecretString::from(raw.into()))
    }

    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }

    /// Login attempts with absurdly long passwords are refused before any hashing.
    pub fn is_within_limits(&self) -> bool {
        self.expose().len() <= MAX_PASSWORD_BYTES
    }
}

impl fmt::Debug for PlainPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PlainPassword([REDACTED])")
    }
}

/// A password that meets the policy: long enough, not absurdly long, and not
/// guessable (not a common password, not built from the member's own name or email).
#[derive(Clone)]
pub struct NewPassword(PlainPassword);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("password must be at least {MIN_PASSWORD_CHARS} characters long")]
    TooShort,
    #[error("password must be at most {MAX_PASSWORD_BYTES} bytes long")]
    TooLong,
    #[error("password is too common or too easy to guess; try a few unrelated words")]
    TooGuessable,
}

impl NewPassword {
    /// `personal` holds strings the password must not be derived from (email, names).
    pub fn parse(raw: impl Into<String>, personal: &[&str]) -> Result<Self, PasswordError> {
        let plain = PlainPassword::new(raw);
        let text = plain.expose();
        if text.chars().count() < MIN_PASSWORD_CHARS {
            return Err(PasswordError::TooShort);
        }
        if text.len() > MAX_PASSWORD_BYTES {
            return Err(PasswordError::TooLong);
        }
        let analysed: String = text.chars().take(ANALYSED_CHARS).collect();
        let mut inputs: Vec<&str> = personal.iter().copied().filter(|s| !s.is_empty()).collect();
        // The local part of an email is what people reuse in passwords.
        let locals: Vec<&str> = personal
            .iter()
            .filter_map(|s| s.split_once('@').map(|(l, _)| l))
            .collect();
        inputs.extend(locals);
        let score = u8::from(zxcvbn::zxcvbn(&analysed, &inputs).score());
        if score < 2 {
            return Err(PasswordError::TooGuessable);
        }
        Ok(Self(plain))
    }

    pub fn as_plain(&self) -> &PlainPassword {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword([REDACTED])")
    }
}

/// A password hash in PHC string format (`$argon2id$v=19$m=...`).
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(String);

impl PasswordHash {
    pub fn from_phc(phc: impl Into<String>) -> Self {
        Self(phc.into())
    }

    pub fn as_phc(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordHash([REDACTED])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_passwords_are_rejected() {
        assert_eq!(
            NewPassword::parse("Xq7#pL2!", &[]).unwrap_err(),
            PasswordError::TooShort
        );
    }

    #[test]
    fn common_passwords_are_rejected_even_when_long_enough() {
        for common in [
            "password123",
            "1234567890",
            "qwertyuiop",
            "iloveyou123",
            "passwordpassword",
        ] {
            assert_eq!(
                NewPassword::parse(common, &[]).unwrap_err(),
                PasswordError::TooGuessable,
                "{common} should be rejected"
            );
        }
    }

    #[test]
    fn passwords_built_from_the_email_are_rejected() {
        let result = NewPassword::parse("margarethamilton1", &["margarethamilton@example.org"]);
        assert_eq!(result.unwrap_err(), PasswordError::TooGuessable);
    }

    #[test]
    fn absurdly_long_passwords_are_rejected() {
        let long = "correct horse battery staple ".repeat(100);
        assert_eq!(
            NewPassword::parse(long, &[]).unwrap_err(),
            PasswordError::TooLong
        );
    }

    #[test]
    fn reasonable_passphrases_are_accepted() {
        assert!(NewPassword::parse("velvet-otter-marches-north", &["ada@example.org"]).is_ok());
    }

    #[test]
    fn secrets_never_appear_in_debug_output() {
        let password = NewPassword::parse("velvet-otter-marches-north", &[]).unwrap();
        assert!(!format!("{password:?}").contains("otter"));
        assert!(!format!("{:?}", PlainPassword::new("hunter2hunter2")).contains("hunter"));
    }
}
