//! The audit log (SPEC §8): services record their admin and privacy actions
//! through an [`Auditor`]; admins read it through [`AuditService`].

use std::{fmt, sync::Arc};

use async_trait::async_trait;
use shoebox_domain::{
    audit::{AuditAction, AuditActor, AuditEntry, AuditError},
    auth::Actor,
    page::{Page, PageRequest},
};
use shoebox_ports::{
    inbound::AuditTrail,
    outbound::{AuditRepository, Clock},
};
use uuid::Uuid;

/// Writes entries of the audit log.
#[derive(Clone)]
pub struct Auditor {
    log: Arc<dyn AuditRepository>,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for Auditor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Auditor").finish_non_exhaustive()
    }
}

impl Auditor {
    pub fn new(log: Arc<dyn AuditRepository>, clock: Arc<dyn Clock>) -> Self {
        Self { log, clock }
    }

    /// Records an action that has been done. The action stands whatever
    /// happens here: a log that cannot be written is reported as an error
    /// (with the entry's fields, which hold no personal data) for the
    /// operator's alerts, and does not turn a done deletion into a failure
    /// the caller would retry.
    pub async fn record(&self, actor: AuditActor, action: AuditAction, target: Option<Uuid>) {
        let entry = AuditEntry::new(self.clock.now(), actor, action, target);
        if let Err(error) = self.log.append(entry).await {
            tracing::error!(
                error = format!("{error:#}"),
                action = %action,
                actor = actor.kind(),
                actor_id = ?actor.member().map(|id| id.as_uuid()),
                target_id = ?target,
                "could not write the audit log"
            );
        }
    }

    /// [`Auditor::record`] for an action of a signed-in member.
    pub async fn by(&self, actor: &Actor, action: AuditAction, target: Option<Uuid>) {
        self.record(AuditActor::Member(actor.user.id), action, target)
            .await;
    }
}

/// The admins' view of the log.
#[derive(Clone)]
pub struct AuditService {
    log: Arc<dyn AuditRepository>,
}

impl fmt::Debug for AuditService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuditService").finish_non_exhaustive()
    }
}

impl AuditService {
    pub fn new(log: Arc<dyn AuditRepository>) -> Self {
        Self { log }
    }
}

#[async_trait]
impl AuditTrail for AuditService {
    async fn list(&self, actor: Actor, page: PageRequest) -> Result<Page<AuditEntry>, AuditError> {
        if !actor.user.is_admin() {
            return Err(AuditError::Forbidden);
        }
        Ok(self.log.list(page).await?)
    }
}
