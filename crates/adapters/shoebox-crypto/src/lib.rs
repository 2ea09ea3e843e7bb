//! # shoebox-crypto
//!
//! The [`PasswordHasher`] port over Argon2id, and backup archives encrypted
//! at rest in the age format ([`AgeEncryptor`], [`AgeDecryptor`]).
//!
//! Argon2id is deliberately slow and memory-hard (OWASP's parameters: 19 MiB,
//! 2 passes, 1 lane), so hashing never runs on an async worker thread. It runs
//! on a small, fixed set of dedicated threads (one per CPU by default): a storm
//! of logins queues instead of allocating 19 MiB per request. Dedicated threads
//! rather than tokio's blocking pool matter for memory too: the allocator keeps
//! a heap arena per thread that has held a 19 MiB block, so hashing on
//! hundreds of pool threads ratchets resident memory up to gigabytes, while a
//! fixed set of threads reuses the same few blocks.
//!
//! Architecture Invariant: this adapter knows the ports and the domain, and
//! nothing of HTTP, SQL or other adapters.

use std::{
    fmt,
    sync::{Arc, Mutex, mpsc},
    thread,
};

mod archive;
mod argon2id;

pub use archive::{AgeDecryptor, AgeEncryptor};

use argon2::Params;
use async_trait::async_trait;
use shoebox_domain::accounts::{PasswordHash, PlainPassword};
use shoebox_ports::outbound::PasswordHasher;
use tokio::sync::oneshot;

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
    /// Hashing threads, i.e. hashes computed at the same time; `0` means one per CPU.
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

type Job = Box<dyn FnOnce() + Send>;

/// A fixed set of threads that run hashing jobs in arrival order. The threads
/// end when the last handle to the pool is dropped.
struct HashingThreads {
    jobs: mpsc::Sender<Job>,
    size: usize,
}

impl HashingThreads {
    fn start(size: usize) -> anyhow::Result<Self> {
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for index in 0..size {
            let queue = Arc::clone(&queue);
            thread::Builder::new()
                .name(format!("argon2-{index}"))
                .spawn(move || {
                    loop {
                        // The lock is held only while taking a job, not while running it.
                        let job = match queue.lock() {
                            Ok(receiver) => receiver.recv(),
                            Err(_) => return,
                        };
                        match job {
                            Ok(job) => job(),
                            Err(_) => return,
                        }
                    }
                })?;
        }
        Ok(Self { jobs, size })
    }
}

/// Argon2id on dedicated threads.
#[derive(Clone)]
pub struct Argon2PasswordHasher {
    params: Params,
    threads: Arc<HashingThreads>,
}

impl fmt::Debug for Argon2PasswordHasher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Argon2PasswordHasher")
            .field("memory_kib", &self.params.m_cost())
            .field("iterations", &self.params.t_cost())
            .field("threads", &self.threads.size)
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
            thread::available_parallelism().map_or(2, usize::from)
        } else {
            settings.max_concurrent
        };
        Ok(Self {
            params,
            threads: Arc::new(HashingThreads::start(max_concurrent)?),
        })
    }

    /// Runs `work` on a hashing thread once one is free.
    async fn bounded<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> anyhow::Result<T> {
        let (reply, result) = oneshot::channel();
        let job: Job = Box::new(move || {
            // The requester may have gone away (client disconnected): nothing to do then.
            let _ = reply.send(work());
        });
        self.threads
            .jobs
            .send(job)
            .map_err(|_| anyhow::anyhow!("the password hashing threads have stopped"))?;
        result
            .await
            .map_err(|_| anyhow::anyhow!("a password hashing thread failed"))
    }
}

#[async_trait]
impl PasswordHasher for Argon2PasswordHasher {
    async fn hash(&self, password: PlainPassword) -> anyhow::Result<PasswordHash> {
        let params = self.params.clone();
        let phc = self
            .bounded(move || argon2id::hash(password.expose().as_bytes(), &params))
            .await??;
        Ok(PasswordHash::from_phc(phc))
    }

    async fn verify(&self, password: PlainPassword, hash: PasswordHash) -> anyhow::Result<bool> {
        // Verification uses the parameters recorded in the hash, so hashes made
        // before a change of parameters keep working.
        self.bounded(move || argon2id::verify(password.expose().as_bytes(), hash.as_phc()))
            .await?
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cheap_settings() -> PasswordHashingSettings {
        PasswordHashingSettings {
            memory_kib: 1024,
            iterations: 1,
            parallelism: 1,
            max_concurrent: 2,
        }
    }

    fn cheap() -> Argon2PasswordHasher {
        Argon2PasswordHasher::new(cheap_settings()).unwrap()
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
    async fn hashing_waits_for_a_free_thread() {
        let hasher = Argon2PasswordHasher::new(PasswordHashingSettings {
            max_concurrent: 1,
            ..cheap_settings()
        })
        .unwrap();
        let (release, blocked) = mpsc::channel::<()>();
        // Occupy the only thread until `release` fires.
        let occupying = tokio::spawn({
            let hasher = hasher.clone();
            async move { hasher.bounded(move || blocked.recv().is_ok()).await }
        });
        let queued = tokio::spawn({
            let hasher = hasher.clone();
            async move { hasher.hash(PlainPassword::new("queued password")).await }
        });
        tokio::task::yield_now().await;
        assert!(
            !queued.is_finished(),
            "hashing must wait while every thread is busy"
        );
        release.send(()).unwrap();
        assert!(occupying.await.unwrap().unwrap());
        assert!(queued.await.unwrap().is_ok());
    }

    #[tokio::test]
    async fn hashing_runs_on_the_dedicated_threads() {
        let hasher = cheap();
        let name = hasher
            .bounded(|| thread::current().name().map(str::to_owned))
            .await
            .unwrap();
        assert!(name.is_some_and(|n| n.starts_with("argon2-")));
    }
}
