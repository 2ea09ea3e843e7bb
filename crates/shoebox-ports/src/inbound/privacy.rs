//! Account deletion (SPEC §8): by the member, with their password, or by an
//! admin; after a grace period unless an admin erases at once.

use async_trait::async_trait;
use shoebox_domain::{
    accounts::{User, UserId},
    auth::Actor,
    privacy::{DeletionError, DeletionOutcome},
};

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
