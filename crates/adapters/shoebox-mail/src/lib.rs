//! The `Mailer` port over real transports: SMTP through lettre (plain,
//! STARTTLS or implicit TLS, with optional AUTH), a development mailer that
//! writes each message as an `.eml` file into a folder, and a disabled
//! mailer that drops messages with a log line.
//!
//! This crate owns `[mail]` (`SHOEBOX_MAIL__*`). It knows nothing of what
//! the messages say: the use cases render them.

mod folder;
mod message;
mod settings;
mod smtp;

use std::sync::Arc;

use shoebox_ports::outbound::Mailer;

pub use folder::FolderMailer;
pub use message::build_message;
pub use settings::{MailSettings, MailTransport};
pub use smtp::SmtpMailer;

/// Messages are dropped (with a log line naming the subject) when no
/// transport is configured.
#[derive(Debug, Clone, Copy, Default)]
pub struct DisabledMailer;

#[async_trait::async_trait]
impl Mailer for DisabledMailer {
    async fn send(
        &self,
        mail: &shoebox_domain::mail::OutgoingMail,
    ) -> Result<(), shoebox_ports::outbound::SendMailError> {
        tracing::warn!(
            subject = %mail.subject,
            "mail is not configured (set SHOEBOX_MAIL__SMTP_URL or SHOEBOX_MAIL__FOLDER); message dropped"
        );
        Ok(())
    }
}

/// The mailer the settings ask for.
pub fn mailer_from_settings(settings: &MailSettings) -> anyhow::Result<Arc<dyn Mailer>> {
    Ok(match settings.transport().map_err(anyhow::Error::msg)? {
        MailTransport::Smtp => Arc::new(SmtpMailer::from_settings(settings)?),
        MailTransport::Folder(folder) => Arc::new(FolderMailer::new(
            folder,
            settings.from().map_err(anyhow::Error::msg)?,
        )),
        MailTransport::Disabled => Arc::new(DisabledMailer),
    })
}
