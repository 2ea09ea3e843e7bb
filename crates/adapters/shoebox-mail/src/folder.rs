//! The development mailer: each message becomes an `.eml` file (what an
//! SMTP server would have received) in a folder, and a log line names it.

use std::path::PathBuf;

use async_trait::async_trait;
use lettre::message::Mailbox;
use shoebox_domain::mail::OutgoingMail;
use shoebox_ports::outbound::{Mailer, SendMailError};

use crate::build_message;

#[derive(Debug, Clone)]
pub struct FolderMailer {
    folder: PathBuf,
    from: Mailbox,
}

impl FolderMailer {
    pub fn new(folder: PathBuf, from: Mailbox) -> Self {
        Self { folder, from }
    }
}

#[async_trait]
impl Mailer for FolderMailer {
    async fn send(&self, mail: &OutgoingMail) -> Result<(), SendMailError> {
        let message = build_message(&self.from, mail).map_err(SendMailError::Rejected)?;
        tokio::fs::create_dir_all(&self.folder)
            .await
            .map_err(|error| {
                anyhow::anyhow!("creating mail folder {}: {error}", self.folder.display())
            })?;
        // Time first, so that a listing sorts by arrival; the random part
        // keeps two messages of the same millisecond apart.
        let name = format!(
            "{}-{}.eml",
            chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ"),
            shoebox_domain::mail::MailId::new()
        );
        let path = self.folder.join(name);
        let partial = path.with_extension("eml.part");
        // Written aside, then renamed: a reader never sees half a message.
        tokio::fs::write(&partial, message.formatted())
            .await
            .map_err(|error| anyhow::anyhow!("writing {}: {error}", partial.display()))?;
        tokio::fs::rename(&partial, &path)
            .await
            .map_err(|error| anyhow::anyhow!("renaming {}: {error}", partial.display()))?;
        tracing::info!(path = %path.display(), subject = %mail.subject, "mail written to the folder");
        Ok(())
    }
}
