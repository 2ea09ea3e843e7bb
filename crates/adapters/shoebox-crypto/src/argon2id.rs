//! Argon2id hashing and verification that reuse one memory buffer per thread.
//!
//! `argon2`'s `PasswordHasher`/`PasswordVerifier` allocate the whole memory
//! cost (19 MiB by default) on every call. On our few dedicated hashing
//! threads that buffer is allocated once and reused, so resident memory stays
//! at threads × memory cost however many logins arrive.

use std::cell::RefCell;

use argon2::{
    ARGON2ID_IDENT, Algorithm, Argon2, Block, Params, Version,
    password_hash::{Output, ParamsString, PasswordHash, SaltString},
};
use rand::RngCore;

/// Stored hashes asking for more memory than this (in KiB) are refused rather
/// than allowed to allocate without bound.
const MAX_MEMORY_KIB: usize = 256 * 1024;
const SALT_BYTES: usize = 16;

thread_local! {
    static MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

fn with_memory<T>(blocks: usize, work: impl FnOnce(&mut [Block]) -> T) -> anyhow::Result<T> {
    if blocks > MAX_MEMORY_KIB {
        anyhow::bail!(
            "password hash asks for {blocks} KiB of memory, more than the {MAX_MEMORY_KIB} KiB allowed"
        );
    }
    MEMORY.with(|cell| {
        let mut memory = cell.borrow_mut();
        if memory.len() < blocks {
            memory.resize(blocks, Block::default());
        }
        Ok(work(&mut memory[..blocks]))
    })
}

/// Hashes `password` with fresh salt; returns the PHC string.
pub fn hash(password: &[u8], params: &Params) -> anyhow::Result<String> {
    let mut salt = [0u8; SALT_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut salt);
    let mut output = [0u8; Params::DEFAULT_OUTPUT_LEN];
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    with_memory(params.block_count(), |memory| {
        argon2.hash_password_into_with_memory(password, &salt, &mut output, memory)
    })?
    .map_err(|error| anyhow::anyhow!("password hashing failed: {error}"))?;
    let salt = SaltString::encode_b64(&salt)
        .map_err(|error| anyhow::anyhow!("salt encoding failed: {error}"))?;
    let phc = PasswordHash {
        algorithm: ARGON2ID_IDENT,
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(params)
            .map_err(|error| anyhow::anyhow!("parameter encoding failed: {error}"))?,
        salt: Some(salt.as_salt()),
        hash: Some(
            Output::new(&output)
                .map_err(|error| anyhow::anyhow!("output encoding failed: {error}"))?,
        ),
    };
    Ok(phc.to_string())
}

/// Checks `password` against a PHC string, with the parameters recorded in it.
/// `Ok(false)` for a wrong password; `Err` when the stored hash is unreadable.
pub fn verify(password: &[u8], phc: &str) -> anyhow::Result<bool> {
    let unreadable = |error: &dyn std::fmt::Display| {
        anyhow::anyhow!("stored password hash is unreadable: {error}")
    };
    let parsed = PasswordHash::new(phc).map_err(|e| unreadable(&e))?;
    let algorithm = Algorithm::try_from(parsed.algorithm).map_err(|e| unreadable(&e))?;
    let version = match parsed.version {
        Some(version) => Version::try_from(version).map_err(|e| unreadable(&e))?,
        None => Version::default(),
    };
    let params = Params::try_from(&parsed).map_err(|e| unreadable(&e))?;
    let expected = parsed.hash.ok_or_else(|| unreadable(&"no hash output"))?;
    let salt = parsed.salt.ok_or_else(|| unreadable(&"no salt"))?;
    let mut salt_buffer = [0u8; 64];
    let salt = salt
        .decode_b64(&mut salt_buffer)
        .map_err(|e| unreadable(&e))?;
    let mut output = vec![0u8; expected.len()];
    let argon2 = Argon2::new(algorithm, version, params.clone());
    with_memory(params.block_count(), |memory| {
        argon2.hash_password_into_with_memory(password, salt, &mut output, memory)
    })?
    .map_err(|error| anyhow::anyhow!("password verification failed: {error}"))?;
    // `Output` compares in constant time.
    Ok(Output::new(&output).map_err(|e| unreadable(&e))? == expected)
}

#[cfg(test)]
mod tests {
    use argon2::password_hash::{PasswordHasher, PasswordVerifier};

    use super::*;

    fn params() -> Params {
        Params::new(1024, 1, 1, None).unwrap()
    }

    #[test]
    fn our_hashes_verify_with_the_reference_implementation() {
        let phc = hash(b"velvet-otter-marches", &params()).unwrap();
        let parsed = PasswordHash::new(&phc).unwrap();
        assert!(
            Argon2::default()
                .verify_password(b"velvet-otter-marches", &parsed)
                .is_ok()
        );
        assert!(
            Argon2::default()
                .verify_password(b"velvet-otter-marched", &parsed)
                .is_err()
        );
    }

    #[test]
    fn reference_hashes_verify_with_ours() {
        let salt = SaltString::encode_b64(b"0123456789abcdef").unwrap();
        let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params());
        let phc = argon2
            .hash_password(b"velvet-otter-marches", &salt)
            .unwrap()
            .to_string();
        assert!(verify(b"velvet-otter-marches", &phc).unwrap());
        assert!(!verify(b"velvet-otter-marched", &phc).unwrap());
    }

    #[test]
    fn hashes_needing_absurd_memory_are_refused() {
        let greedy = "$argon2id$v=19$m=4000000,t=1,p=1$MDEyMzQ1Njc4OWFiY2RlZg$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        assert!(verify(b"x", greedy).is_err());
    }
}
