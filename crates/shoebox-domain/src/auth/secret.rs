//! Unguessable secrets handed to clients (session cookies, API tokens,
//! invitation links) and the only thing we keep of them: their SHA-256.

use std::fmt;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Random bytes in every secret: 256 bits.
const SECRET_BYTES: usize = 32;
/// Longest secret text accepted from a client (prefix + base64 of 32 bytes is 47).
const MAX_SECRET_CHARS: usize = 128;

/// A secret as the client holds it. Never logged; compare only through its hash.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretToken(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed token")]
pub struct SecretTokenError;

impl SecretToken {
    /// A fresh secret from the operating system's CSPRNG, with an optional
    /// readable prefix (e.g. `sbx_` for API tokens) so leaked tokens can be recognised.
    pub fn generate(prefix: &str) -> Self {
        let mut bytes = [0u8; SECRET_BYTES];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Self(format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes)))
    }

    /// Accepts what a client sent back, rejecting anything that cannot be one of ours
    /// before it reaches a database.
    pub fn parse(raw: &str) -> Result<Self, SecretTokenError> {
        let valid = !raw.is_empty()
            && raw.len() <= MAX_SECRET_CHARS
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if valid {
            Ok(Self(raw.to_owned()))
        } else {
            Err(SecretTokenError)
        }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> TokenHash {
        TokenHash(Sha256::digest(self.0.as_bytes()).into())
    }
}

impl fmt::Debug for SecretToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretToken([REDACTED])")
    }
}

/// SHA-256 of a secret: what the database stores and looks up.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct TokenHash([u8; 32]);

impl TokenHash {
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Debug for TokenHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TokenHash({:02x}{:02x}…)", self.0[0], self.0[1])
    }
}

/// Compares two secrets of the same kind without leaking where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn generated_secrets_are_unique_and_parse_back() {
        let a = SecretToken::generate("sbx_");
        let b = SecretToken::generate("sbx_");
        assert_ne!(a, b);
        assert!(a.expose().starts_with("sbx_"));
        assert_eq!(a.expose().len(), 4 + 43);
        assert_eq!(SecretToken::parse(a.expose()).unwrap().hash(), a.hash());
    }

    #[test]
    fn hash_is_sha256_of_the_text() {
        let token = SecretToken::parse("abc").unwrap();
        let expected: [u8; 32] = Sha256::digest(b"abc").into();
        assert_eq!(token.hash().as_bytes(), &expected);
    }

    #[test]
    fn garbage_is_rejected() {
        for bad in ["", "has space", "semi;colon", "quote\"", &"a".repeat(129)] {
            assert!(SecretToken::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn debug_output_never_shows_the_secret() {
        let token = SecretToken::generate("");
        assert!(!format!("{token:?}").contains(token.expose()));
    }

    proptest! {
        #[test]
        fn constant_time_eq_agrees_with_eq(a in "[a-z]{0,8}", b in "[a-z]{0,8}") {
            prop_assert_eq!(constant_time_eq(&a, &b), a == b);
        }
    }
}
