//! Privacy (SPEC §8). Account deletion: by the member, with their password,
//! or by an admin; after a grace period unless an admin erases at once.
//! Data exports, and the audit log.

use async_trait::async_trait;
use shoebox_domain::{
    accounts::{User, UserId},
    audit::{AuditEntry, AuditError},
    auth::Actor,
    page::{Page, PageRequest},
    privacy::{DataExport, DeletionError, DeletionOutcome, ExportError, ExportId},
};

use crate::outbound::ByteStream;

#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait AccountDeletion: Send + Sync {
    /// Days between a deletion request and the erasure (0: at once).
    fn grace_days(&self) -> u32;

    /// Deletes the actor's own account: scheduled after the grace period
    /// (every session and token revoked at once), or erased at once when
    /// the grace period is zero.
    /// Errors: `WrongPassword`; `Unexpected`.
    async fn request_own(
        &self,
        actor: Actor,
        password: String,
    ) -> Result<DeletionOutcome, DeletionError>;

    /// Cancels the actor's own pending deletion (they signed in again).
    /// Errors: `NotPending`; `Unexpected`.
    async fn cancel_own(&self, actor: Actor) -> Result<User, DeletionError>;

    /// An admin deletes a member: after the grace period, or `at_once`.
    /// Errors: `Forbidden`, `NotFound`, `OwnAccount`; `Unexpected`.
    async fn delete_member(
        &self,
        actor: Actor,
        id: UserId,
        at_once: bool,
    ) -> Result<DeletionOutcome, DeletionError>;

    /// An admin cancels a member's pending deletion.
    /// Errors: `Forbidden`, `NotFound`, `NotPending`; `Unexpected`.
    async fn cancel_member(&self, actor: Actor, id: UserId) -> Result<User, DeletionError>;
}

/// A finished export, as its owner downloads it.
pub struct ExportArchive {
    pub export: DataExport,
    /// The whole ZIP.
    pub size: u64,
    pub body: ByteStream,
}

impl std::fmt::Debug for ExportArchive {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExportArchive")
            .field("export", &self.export)
            .field("size", &self.size)
            .finish_non_exhaustive()
    }
}

/// Data exports (SPEC §8): a ZIP of everything a member put in, for them
/// only, for seven days.
#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait DataExports: Send + Sync {
    /// Starts building an export of the actor's data.
    /// Errors: `AlreadyPending`; `Unexpected`.
    async fn request(&self, actor: Actor) -> Result<DataExport, ExportError>;

    /// The actor's exports, newest first (expired ones until the sweeper
    /// removes them).
    async fn list(&self, actor: Actor) -> Result<Vec<DataExport>, ExportError>;

    /// One of the actor's exports. Errors: `NotFound` (also for another
    /// member's); `Unexpected`.
    async fn get(&self, actor: Actor, id: ExportId) -> Result<DataExport, ExportError>;

    /// The ZIP of one of the actor's ready exports.
    /// Errors: `NotFound`, `NotReady`, `Failed`, `Expired`; `Unexpected`.
    async fn download(&self, actor: Actor, id: ExportId) -> Result<ExportArchive, ExportError>;
}

/// The audit log, for admins.
#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait AuditTrail: Send + Sync {
    /// Newest first. Errors: `Forbidden`; `Unexpected`.
    async fn list(&self, actor: Actor, page: PageRequest) -> Result<Page<AuditEntry>, AuditError>;
}
