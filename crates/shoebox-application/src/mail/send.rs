//! `mail.send`: delivers one outbox message, retried with backoff.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use shoebox_domain::{
    jobs::{ClaimedJob, JobKind, NewJob},
    mail::MailId,
};
use shoebox_ports::outbound::{MailOutbox, Mailer, SendMailError};

use crate::jobs::{JobFailure, JobHandler};

pub const SEND_MAIL_JOB: &str = "mail.send";

/// Mail servers can be down for a while: with the worker's backoff, ten
/// attempts span hours.
const MAX_ATTEMPTS: u32 = 10;

fn kind() -> JobKind {
    match JobKind::parse(SEND_MAIL_JOB) {
        Ok(kind) => kind,
        // A constant of the right alphabet; the tests parse it.
        Err(error) => unreachable!("{error}"),
    }
}

pub(super) fn send_mail_job(id: MailId, now: DateTime<Utc>) -> NewJob {
    NewJob::new(kind(), serde_json::json!({ "mail_id": id.as_uuid() }), now)
        .with_max_attempts(MAX_ATTEMPTS)
}

fn mail_of_job(payload: &serde_json::Value) -> Option<MailId> {
    let id = payload.get("mail_id")?.as_str()?;
    uuid::Uuid::parse_str(id).ok().map(MailId::from_uuid)
}

/// Sends the message a `mail.send` job names, then forgets it.
#[derive(Clone)]
pub struct SendMailJob {
    outbox: Arc<dyn MailOutbox>,
    mailer: Arc<dyn Mailer>,
}

impl std::fmt::Debug for SendMailJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SendMailJob").finish_non_exhaustive()
    }
}

impl SendMailJob {
    pub fn new(outbox: Arc<dyn MailOutbox>, mailer: Arc<dyn Mailer>) -> Self {
        Self { outbox, mailer }
    }
}

#[async_trait]
impl JobHandler for SendMailJob {
    fn kind(&self) -> JobKind {
        kind()
    }

    /// At least once: a crash between sending and forgetting the message
    /// sends it again; a message already forgotten is done.
    async fn handle(&self, claimed: &ClaimedJob) -> Result<(), JobFailure> {
        let Some(id) = mail_of_job(&claimed.job.payload) else {
            return Err(JobFailure::Permanent("the payload names no message".into()));
        };
        let Some(mail) = self.outbox.pending(id).await? else {
            return Ok(());
        };
        match self.mailer.send(&mail).await {
            Ok(()) => {
                self.outbox.remove(id).await?;
                Ok(())
            }
            Err(SendMailError::Rejected(reason)) => {
                tracing::error!(mail_id = %id, reason = %reason, "mail refused for good");
                self.outbox.remove(id).await?;
                Err(JobFailure::Permanent(reason))
            }
            Err(SendMailError::Unavailable(error)) => Err(JobFailure::Retry(error)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kind_parses_and_the_payload_holds_only_the_id() {
        let id = MailId::new();
        let job = send_mail_job(id, DateTime::UNIX_EPOCH);
        assert_eq!(job.kind.as_str(), SEND_MAIL_JOB);
        assert_eq!(mail_of_job(&job.payload), Some(id));
        assert_eq!(job.payload.as_object().unwrap().len(), 1);
    }
}
