//! Deleting an account: requested by the member (with their password) or by
//! an admin, erased when the grace period ends — by the hourly job — or at
//! once.

use std::{fmt, sync::Arc};

use async_trait::async_trait;
use chrono::DateTime;
use shoebox_domain::{
    accounts::{EmailAddress, PlainPassword, User, UserId},
    audit::{AuditAction, AuditActor},
    auth::Actor,
    jobs::{ClaimedJob, JobKind, NewJob, Schedule},
    privacy::{DeletionError, DeletionOutcome, DeletionPolicy},
};
use shoebox_ports::{
    inbound::AccountDeletion,
    outbound::{Clock, PasswordHasher, UserRepository},
};

use super::ErasureService;
use crate::{
    Auditor,
    jobs::{JobFailure, JobHandler, ScheduledTask},
    mail::{Message, Postman},
};

/// Kind of the job that erases the members whose deletion came due.
pub const ERASE_DUE_JOB: &str = "privacy.erase_due";

/// How many due members one run erases before it lets other jobs run.
const ERASE_BATCH: i64 = 100;

#[derive(Clone)]
pub struct DeletionService {
    users: Arc<dyn UserRepository>,
    hasher: Arc<dyn PasswordHasher>,
    clock: Arc<dyn Clock>,
    erasure: ErasureService,
    policy: DeletionPolicy,
    audit: Auditor,
    postman: Postman,
}

impl fmt::Debug for DeletionService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeletionService")
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

impl DeletionService {
    pub fn new(
        users: Arc<dyn UserRepository>,
        hasher: Arc<dyn PasswordHasher>,
        clock: Arc<dyn Clock>,
        erasure: ErasureService,
        policy: DeletionPolicy,
        audit: Auditor,
        postman: Postman,
    ) -> Self {
        Self {
            users,
            hasher,
            clock,
            erasure,
            policy,
            audit,
            postman,
        }
    }

    /// Erases `id` and tells them at the address they had; `false` when
    /// there was no such member.
    async fn erase_and_tell(&self, id: UserId) -> anyhow::Result<bool> {
        let address = self.users.find(id).await?.map(|user| user.email);
        if !self.erasure.erase(id).await? {
            return Ok(false);
        }
        if let Some(address) = address {
            self.postman
                .send(address, Message::DeletionCompleted)
                .await?;
        }
        Ok(true)
    }

    /// Schedules the deletion of `id` per the policy, or erases at once.
    async fn delete(
        &self,
        id: UserId,
        at_once: bool,
        by: AuditActor,
    ) -> Result<DeletionOutcome, DeletionError> {
        let now = self.clock.now();
        match self.policy.due_at(now).filter(|_| !at_once) {
            Some(due_at) => {
                let user = self
                    .users
                    .schedule_deletion(id, Some(due_at), now)
                    .await?
                    .ok_or(DeletionError::NotFound)?;
                // As stored (to the microsecond), so that every answer agrees.
                let due_at = user.deletion_due_at.unwrap_or(due_at);
                tracing::info!(user_id = %id, %due_at, "deletion scheduled; sessions and tokens revoked");
                self.postman
                    .send(
                        user.email,
                        Message::DeletionScheduled {
                            settings_link: self.postman.link("/settings"),
                            due_at,
                            by_admin: by != AuditActor::Member(id),
                        },
                    )
                    .await?;
                self.audit
                    .record(
                        by,
                        AuditAction::AccountDeletionRequested,
                        Some(id.as_uuid()),
                    )
                    .await;
                Ok(DeletionOutcome::Scheduled { due_at })
            }
            None => {
                if !self.erase_and_tell(id).await? {
                    return Err(DeletionError::NotFound);
                }
                self.audit
                    .record(by, AuditAction::AccountErased, Some(id.as_uuid()))
                    .await;
                Ok(DeletionOutcome::Erased)
            }
        }
    }

    async fn cancel(&self, user: &User, by: AuditActor) -> Result<User, DeletionError> {
        if user.deletion_due_at.is_none() {
            return Err(DeletionError::NotPending);
        }
        let user = self
            .users
            .schedule_deletion(user.id, None, self.clock.now())
            .await?
            .ok_or(DeletionError::NotFound)?;
        tracing::info!(user_id = %user.id, "deletion cancelled");
        self.audit
            .record(
                by,
                AuditAction::AccountDeletionCancelled,
                Some(user.id.as_uuid()),
            )
            .await;
        Ok(user)
    }

    /// The operator's command line: `shoebox users delete EMAIL [--now]`.
    pub async fn delete_by_email(
        &self,
        email: &EmailAddress,
        at_once: bool,
    ) -> Result<DeletionOutcome, DeletionError> {
        let credentials = self
            .users
            .credentials_by_email(email)
            .await?
            .ok_or(DeletionError::NotFound)?;
        let outcome = self
            .delete(credentials.user.id, at_once, AuditActor::Operator)
            .await?;
        tracing::info!(user_id = %credentials.user.id, ?outcome, "member deleted by the operator");
        Ok(outcome)
    }

    /// Erases every member whose deletion came due; how many.
    pub async fn erase_due(&self) -> anyhow::Result<usize> {
        let due = self
            .users
            .due_for_erasure(self.clock.now(), ERASE_BATCH)
            .await?;
        for id in &due {
            self.erase_and_tell(*id).await?;
            self.audit
                .record(
                    AuditActor::System,
                    AuditAction::AccountErased,
                    Some(id.as_uuid()),
                )
                .await;
        }
        Ok(due.len())
    }
}

#[async_trait]
impl AccountDeletion for DeletionService {
    fn grace_days(&self) -> u32 {
        self.policy.grace_days()
    }

    async fn request_own(
        &self,
        actor: Actor,
        password: String,
    ) -> Result<DeletionOutcome, DeletionError> {
        let credentials = self
            .users
            .credentials_by_id(actor.user.id)
            .await?
            .ok_or(DeletionError::NotFound)?;
        if !self
            .hasher
            .verify(PlainPassword::new(password), credentials.password_hash)
            .await?
        {
            return Err(DeletionError::WrongPassword);
        }
        self.delete(actor.user.id, false, AuditActor::Member(actor.user.id))
            .await
    }

    async fn cancel_own(&self, actor: Actor) -> Result<User, DeletionError> {
        self.cancel(&actor.user, AuditActor::Member(actor.user.id))
            .await
    }

    async fn delete_member(
        &self,
        actor: Actor,
        id: UserId,
        at_once: bool,
    ) -> Result<DeletionOutcome, DeletionError> {
        if !actor.user.is_admin() {
            return Err(DeletionError::Forbidden);
        }
        if actor.user.id == id {
            return Err(DeletionError::OwnAccount);
        }
        let outcome = self
            .delete(id, at_once, AuditActor::Member(actor.user.id))
            .await?;
        tracing::info!(actor_id = %actor.user.id, user_id = %id, ?outcome, "member deleted by admin");
        Ok(outcome)
    }

    async fn cancel_member(&self, actor: Actor, id: UserId) -> Result<User, DeletionError> {
        if !actor.user.is_admin() {
            return Err(DeletionError::Forbidden);
        }
        let user = self.users.find(id).await?.ok_or(DeletionError::NotFound)?;
        self.cancel(&user, AuditActor::Member(actor.user.id)).await
    }
}

/// The hourly job that erases members whose grace period ended.
#[derive(Debug, Clone)]
pub struct EraseDueJob {
    deletions: DeletionService,
}

fn kind() -> JobKind {
    match JobKind::parse(ERASE_DUE_JOB) {
        Ok(kind) => kind,
        Err(error) => unreachable!("{error}"),
    }
}

impl EraseDueJob {
    pub fn new(deletions: DeletionService) -> Self {
        Self { deletions }
    }

    /// Hourly at :15.
    pub fn scheduled_task() -> ScheduledTask {
        ScheduledTask {
            name: ERASE_DUE_JOB.to_owned(),
            schedule: Schedule::parse("15 * * * *").unwrap_or_else(|error| unreachable!("{error}")),
            job: NewJob::new(kind(), serde_json::json!({}), DateTime::UNIX_EPOCH)
                .with_max_attempts(5),
        }
    }
}

#[async_trait]
impl JobHandler for EraseDueJob {
    fn kind(&self) -> JobKind {
        kind()
    }

    /// Idempotent: an erasure repeated finds nothing more to remove.
    async fn handle(&self, _claimed: &ClaimedJob) -> Result<(), JobFailure> {
        let erased = self.deletions.erase_due().await?;
        if erased > 0 {
            tracing::info!(erased, "members erased at the end of their grace period");
        }
        Ok(())
    }
}
