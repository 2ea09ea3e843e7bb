//! Rendering a message and handing it to the outbox.

use std::{fmt, sync::Arc};

use minijinja::context;
use shoebox_domain::{
    EmailAddress,
    accounts::Role,
    mail::{MailId, OutgoingMail},
};
use shoebox_ports::outbound::{Clock, MailOutbox};

use super::{MailTemplates, send::send_mail_job};

/// What a use case wants to tell a member.
#[derive(Clone, PartialEq, Eq)]
pub enum Message {
    /// A single-use link to choose a new password.
    PasswordReset { link: String, valid_minutes: i64 },
    /// The password was reset (and every session ended).
    PasswordChanged { forgot_link: String },
    /// An invitation to join, with its single-use link.
    Invitation {
        inviter: String,
        role: Role,
        link: String,
        /// When the link stops working, as the message states it.
        expires: String,
    },
    /// Someone tried to invite an address that already has an account.
    AlreadyMember {
        sign_in_link: String,
        forgot_link: String,
    },
}

/// Links carry secrets: never in logs.
impl fmt::Debug for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.template())
    }
}

impl Message {
    fn template(&self) -> &'static str {
        match self {
            Self::PasswordReset { .. } => "password_reset",
            Self::PasswordChanged { .. } => "password_changed",
            Self::Invitation { .. } => "invitation",
            Self::AlreadyMember { .. } => "already_member",
        }
    }

    fn values(&self) -> minijinja::Value {
        match self {
            Self::PasswordReset {
                link,
                valid_minutes,
            } => context! { link, valid_minutes },
            Self::PasswordChanged { forgot_link } => context! { link => forgot_link },
            Self::Invitation {
                inviter,
                role,
                link,
                expires,
            } => context! { inviter, role => role.as_str(), link, expires },
            Self::AlreadyMember {
                sign_in_link,
                forgot_link,
            } => context! { link => sign_in_link, forgot_link },
        }
    }
}

/// Renders messages and queues them for the `mail.send` job.
#[derive(Clone)]
pub struct Postman {
    outbox: Arc<dyn MailOutbox>,
    templates: Arc<MailTemplates>,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for Postman {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Postman").finish_non_exhaustive()
    }
}

impl Postman {
    pub fn new(
        outbox: Arc<dyn MailOutbox>,
        templates: Arc<MailTemplates>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            outbox,
            templates,
            clock,
        }
    }

    /// `{public_url}{path_and_query}`.
    pub fn link(&self, path_and_query: &str) -> String {
        self.templates.link(path_and_query)
    }

    /// Queues `message` for `to`; delivery happens in the background.
    pub async fn send(&self, to: EmailAddress, message: Message) -> anyhow::Result<MailId> {
        let rendered = self
            .templates
            .render(message.template(), message.values())?;
        let id = MailId::new();
        let now = self.clock.now();
        self.outbox
            .enqueue(
                id,
                OutgoingMail {
                    to,
                    subject: rendered.subject,
                    text: rendered.text,
                    html: rendered.html,
                },
                send_mail_job(id, now),
                now,
            )
            .await?;
        tracing::info!(mail_id = %id, message = ?message, "mail queued");
        Ok(id)
    }
}
