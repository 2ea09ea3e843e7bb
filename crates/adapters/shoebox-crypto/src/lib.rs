//! # shoebox-crypto
//!
//! The [`PasswordHasher`] port over Argon2id.
//!
//! Argon2id is deliberately slow and memory-hard (OWASP's parameters: 19 MiB,
//! 2 passes, 1 lane), so hashing runs on tokio's blocking pool and never on an
//! async worker thread, and a semaphore bounds how many hashes run at once: a
//! storm of logins queues instead of allocating 19 MiB per request.
//!
//! Architecture Invariant: this adapter knows the ports and the domain, and
//! nothing of HTTP, SQL or other adapters.

use std::{fmt, sync::Arc};

use argon2::{
    Algorithm, Argon2, Params, Version,
    password_hash::{self, PasswordHasher as _, PasswordVerifier as _, SaltString},
};
use async_trait::async_trait;
use shoebox_domain::accounts::{PasswordHash, PlainPassword};
use shoebox_ports::outbound::PasswordHasher;
use tokio::sync::Semaphore;

/// Cost parameters, with OWASP's recommended minimum as the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct PasswordHashingSettings {
    /// Memory per hash, in KiB.
    pub memory_kib: u32,
    /// Passes over the memory.
    pub iterations: u32,
    /// Degree of parallelism within one hash.
    pub parallelism: u32,
    /// Hashes computed at the same time; `0` means one per CPU.
    pub max_concurrent: usize,
}

impl Default for PasswordHashingSettings {
    fn default() -> Self {
        Self {
            memory_kib: 19 * 1024,
            iterations: 2,
            parallelism: 1,
            max_concurrent: 0,
        }
    }
}

/// Argon2id behind a semaphore.
#[derive(Clone)]
pub struct Argon2PasswordHasher {
    params: Params,
    permits: Arc<Semaphore>,
}

impl fmt::Debug for Argon2PasswordHasher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Argon2PasswordHasher")
            .field("memory_kib", &self.params.m_cost())
            .field("iterations", &self.params.t_cost())
            .field("max_concurrent", &self.permits.available_permits())
            .finish()
    }
}

impl Argon2PasswordHasher {
    pub fn new(settings: PasswordHashingSettings) -> anyhow::Result<Self> {
        let params = Params::new(
            settings.memory_kib,
            settings.iterations,
            settings.parallelism,
            None,
        )
        .map_err(|error| anyhow::anyhow!("invalid password hashing parameters: {error}"))?;
        let max_concurrent = if settings.max_concurrent == 0 {
            std::thread::available_parallelism().map_or(2, usize::from)
        } else {
            settings.max_concurrent
        };
        Ok(Self {
            params,
            permits: Arc::new(Semaphore::new(max_concurrent)),
        })
    }

    fn argon2(params: Params) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
    }

    /// Runs `work` on the blocking pool once a permit is free.
    async fn bounded<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> anyhow::Result<T> {
        let _permit = self.permits.acquire().await?;
        Ok(tokio::task::spawn_blocking(work).await?)
    }
}

#[async_trait]
impl PasswordHasher for Argon2PasswordHasher {
    async fn hash(&self, password: PlainPassword) -> anyhow::Result<PasswordHash> {
        let params = self.params.clone();
        let phc = self
            .bounded(move || {
                let salt = SaltString::generate(&mut rand::rngs::OsRng);
                Self::argon2(params)
                    .hash_password(password.expose().as_bytes(), &salt)
                    .map(|hash| hash.to_string())
            })
            .await?
            .map_err(|error| anyhow::anyhow!("password hashing failed: {error}"))?;
        Ok(PasswordHash::from_phc(phc))
    }

    async fn verify(&self, password: PlainPassword, hash: PasswordHash) -> anyhow::Result<bool> {
        let params = self.params.clone();
        self.bounded(move || {
            let parsed = password_hash::PasswordHash::new(hash.as_phc())
                .map_err(|error| anyhow::anyhow!("stored password hash is unreadable: {error}"))?;
            // Verification uses the parameters recorded in the hash; `params` only
            // matters for hashes we create, so old hashes keep working after a change.
            match Self::argon2(params).verify_password(password.expose().as_bytes(), &parsed) {
                Ok(()) => Ok(true),
                Err(password_hash::Error::Password) => Ok(false),
                Err(error) => Err(anyhow::anyhow!("password verification failed: {error}")),
            }
        })
        .await?
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cheap() -> Argon2PasswordHasher {
        Argon2PasswordHasher::new(PasswordHashingSettings {
            memory_kib: 1024,
            iterations: 1,
            parallelism: 1,
            max_concurrent: 2,
        })
        .unwrap()
    }

    #[tokio::test]
    async fn hashes_verify_only_the_right_password() {
        let hasher = cheap();
        let hash = hasher
            .hash(PlainPassword::new("velvet-otter-marches"))
            .await
            .unwrap();
        assert!(hash.as_phc().starts_with("$argon2id$v=19$m=1024,t=1,p=1$"));
        assert!(
            hasher
                .verify(PlainPassword::new("velvet-otter-marches"), hash.clone())
                .await
                .unwrap()
        );
        assert!(
            !hasher
                .verify(PlainPassword::new("velvet-otter-marched"), hash)
                .await
                .unwrap()
        );
    }

    #[tokio::test]
    async fn the_same_password_gets_a_different_salt_each_time() {
        let hasher = cheap();
        let a = hasher
            .hash(PlainPassword::new("same password here"))
            .await
            .unwrap();
        let b = hasher
            .hash(PlainPassword::new("same password here"))
            .await
            .unwrap();
        assert_ne!(a, b);
    }

    #[tokio::test]
    async fn default_parameters_are_owasp_minimums() {
        let hasher = Argon2PasswordHasher::new(PasswordHashingSettings::default()).unwrap();
        let hash = hasher
            .hash(PlainPassword::new("velvet-otter-marches"))
            .await
            .unwrap();
        assert!(
            hash.as_phc().starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{}",
            hash.as_phc()
        );
    }

    #[tokio::test]
    async fn hashes_made_with_other_parameters_still_verify() {
        let old = cheap()
            .hash(PlainPassword::new("velvet-otter-marches"))
            .await
            .unwrap();
        let current = Argon2PasswordHasher::new(PasswordHashingSettings::default()).unwrap();
        assert!(
            current
                .verify(PlainPassword::new("velvet-otter-marches"), old)
                .await
                .unwrap()
        );
    }

    #[tokio::test]
    async fn unreadable_hashes_are_errors_not_mismatches() {
        let result = cheap()
            .verify(
                PlainPassword::new("x"),
                PasswordHash::from_phc("not-a-phc-string"),
            )
            .await;
        assert!(result.is_err());
    }

    #[tokio::test]
    async fn concurrency_is_bounded_by_the_semaphore() {
        let hasher = cheap();
        let permit_holder = hasher.permits.clone();
        let all = permit_holder.acquire_many(2).await.unwrap();
        let pending = tokio::spawn({
            let hasher = hasher.clone();
            async move { hasher.hash(PlainPassword::new("queued password")).await }
        });
        tokio::task::yield_now().await;
        assert!(
            !pending.is_finished(),
            "hashing must wait for a free permit"
        );
        drop(all);
        assert!(pending.await.unwrap().is_ok());
    }
}
