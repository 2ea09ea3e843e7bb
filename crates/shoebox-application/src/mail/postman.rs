//! Rendering a message and handing it to the outbox.

use std::{fmt, sync::Arc};

use chrono::{DateTime, Utc};

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
    /// A single-use link proving the member's address, after sign-up.
    VerifyEmail {
        link: String,
        email: String,
        valid_hours: i64,
    },
    /// A single-use link, to the new address, that makes it the member's.
    ConfirmEmailChange {
        link: String,
        email: String,
        valid_hours: i64,
    },
    /// To the old address: the account now uses `new_email`.
    EmailChanged { new_email: String },
    /// The account is erased at `due_at` unless the member cancels.
    DeletionScheduled {
        settings_link: String,
        due_at: DateTime<Utc>,
        by_admin: bool,
    },
    /// The account was erased.
    DeletionCompleted,
    /// A sign-in from a browser the member never signed in from before.
    NewDevice {
        forgot_link: String,
        settings_link: String,
        at: DateTime<Utc>,
        user_agent: Option<String>,
        ip: Option<String>,
    },
    /// A data export can be downloaded until `expires_at`.
    ExportReady {
        settings_link: String,
        size_bytes: u64,
        expires_at: DateTime<Utc>,
    },
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
            Self::VerifyEmail { .. } => "verify_email",
            Self::ConfirmEmailChange { .. } => "email_change",
            Self::EmailChanged { .. } => "email_changed",
            Self::DeletionScheduled { .. } => "deletion_scheduled",
            Self::DeletionCompleted => "deletion_completed",
            Self::ExportReady { .. } => "export_ready",
            Self::NewDevice { .. } => "new_device",
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
            Self::VerifyEmail {
                link,
                email,
                valid_hours,
            }
            | Self::ConfirmEmailChange {
                link,
                email,
                valid_hours,
            } => context! { link, email, valid_hours },
            Self::EmailChanged { new_email } => context! { email => new_email },
            Self::DeletionScheduled {
                settings_link,
                due_at,
                by_admin,
            } => context! {
                link => settings_link,
                due_date => due_at.format("%-d %B %Y").to_string(),
                due_time => due_at.format("%H:%M").to_string(),
                by_admin,
            },
            Self::DeletionCompleted => context! {},
            Self::NewDevice {
                forgot_link,
                settings_link,
                at,
                user_agent,
                ip,
            } => context! {
                link => forgot_link,
                settings_link,
                when => at.format("%-d %B %Y, %H:%M").to_string(),
                browser => user_agent.as_deref().unwrap_or("unknown"),
                address => ip.as_deref().unwrap_or("unknown"),
            },
            Self::ExportReady {
                settings_link,
                size_bytes,
                expires_at,
            } => context! {
                link => settings_link,
                size => human_size(*size_bytes),
                expires => expires_at.format("%-d %B %Y, %H:%M").to_string(),
            },
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

/// `1.4 MB`, `12 MB`: sizes as the web app shows them (decimal units).
fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return if bytes == 1 {
            "1 byte".to_owned()
        } else {
            format!("{bytes} bytes")
        };
    }
    #[expect(
        clippy::cast_precision_loss,
        reason = "a size to read, not to compute with"
    )]
    let mut value = bytes as f64 / 1000.0;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    let number = if value < 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.0}")
    };
    format!("{} {}", number.trim_end_matches(".0"), UNITS[unit])
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

#[cfg(test)]
mod tests {
    use super::human_size;

    #[test]
    fn sizes_read_like_the_web_app_shows_them() {
        assert_eq!(human_size(1), "1 byte");
        assert_eq!(human_size(999), "999 bytes");
        assert_eq!(human_size(1_000), "1 KB");
        assert_eq!(human_size(1_234_567), "1.2 MB");
        assert_eq!(human_size(12_345_678), "12 MB");
        assert_eq!(human_size(5_000_000_000_000_000), "5000 TB");
    }
}
