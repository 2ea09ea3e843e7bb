//! `[mail]`: which transport delivers messages, and the sender.

use std::{fmt, path::PathBuf, time::Duration};

use lettre::message::Mailbox;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

#[derive(Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct MailSettings {
    /// The SMTP server (lettre's URL form; user and password percent-encoded):
    /// `smtp://[user:password@]host[:port]` plain (port 25),
    /// `smtp://...?tls=required` STARTTLS, refused without it (port 587),
    /// `smtp://...?tls=opportunistic` STARTTLS when offered,
    /// `smtps://...` implicit TLS (port 465). Secret: never logged.
    #[serde(serialize_with = "serialize_redacted")]
    pub smtp_url: Option<SecretString>,
    /// A PEM file of extra root certificates to trust for SMTP TLS (a
    /// private CA or a self-signed server); the system's roots otherwise.
    pub smtp_ca_file: Option<PathBuf>,
    /// Seconds before an SMTP conversation is abandoned (and retried later).
    pub smtp_timeout_seconds: u64,
    /// Development: write each message as an `.eml` file into this folder
    /// instead of sending it (ignored when `smtp_url` is set).
    pub folder: Option<PathBuf>,
    /// The sender, `Name <address>` or a bare address.
    pub from: String,
}

impl Default for MailSettings {
    fn default() -> Self {
        Self {
            smtp_url: None,
            smtp_ca_file: None,
            smtp_timeout_seconds: 30,
            folder: None,
            from: "Shoebox <shoebox@localhost>".into(),
        }
    }
}

fn serialize_redacted<S: serde::Serializer>(
    value: &Option<SecretString>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(_) => serializer.serialize_some("[REDACTED]"),
        None => serializer.serialize_none(),
    }
}

impl fmt::Debug for MailSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MailSettings")
            .field("smtp_url", &self.smtp_url.as_ref().map(|_| "[REDACTED]"))
            .field("smtp_ca_file", &self.smtp_ca_file)
            .field("smtp_timeout_seconds", &self.smtp_timeout_seconds)
            .field("folder", &self.folder)
            .field("from", &self.from)
            .finish()
    }
}

/// Where messages go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailTransport {
    Smtp,
    Folder(PathBuf),
    Disabled,
}

impl MailSettings {
    /// Checks everything that can be checked without connecting.
    pub fn validate(&self) -> Result<(), String> {
        self.from()?;
        self.transport()?;
        if let Some(url) = &self.smtp_url {
            crate::smtp::SmtpTarget::parse(url.expose_secret())?;
        }
        Ok(())
    }

    pub fn transport(&self) -> Result<MailTransport, String> {
        match (&self.smtp_url, &self.folder) {
            (Some(_), _) => Ok(MailTransport::Smtp),
            (None, Some(folder)) if folder.as_os_str().is_empty() => {
                Err("mail.folder must not be empty".into())
            }
            (None, Some(folder)) => Ok(MailTransport::Folder(folder.clone())),
            (None, None) => Ok(MailTransport::Disabled),
        }
    }

    pub fn from(&self) -> Result<Mailbox, String> {
        self.from
            .parse()
            .map_err(|error| format!("mail.from {:?} is not a mail address: {error}", self.from))
    }

    pub fn smtp_timeout(&self) -> Duration {
        Duration::from_secs(self.smtp_timeout_seconds.max(1))
    }

    /// Where mail goes, for a startup log line: the server without its
    /// credentials, the folder, or "disabled".
    pub fn describe(&self) -> String {
        match (&self.smtp_url, &self.folder) {
            (Some(url), _) => match crate::smtp::SmtpTarget::parse(url.expose_secret()) {
                Ok(target) => target.to_string(),
                Err(_) => "smtp (invalid URL)".into(),
            },
            (None, Some(folder)) => format!("folder {}", folder.display()),
            (None, None) => "disabled".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_serialisation_hide_the_smtp_password() {
        let settings = MailSettings {
            smtp_url: Some(SecretString::from(
                "smtp://user:hunter2secret@mail.example.org",
            )),
            ..MailSettings::default()
        };
        assert!(!format!("{settings:?}").contains("hunter2secret"));
        assert_eq!(settings.describe(), "smtp://mail.example.org:25 (plain)");
    }

    #[test]
    fn the_transport_follows_the_settings() {
        let mut settings = MailSettings::default();
        assert_eq!(settings.transport(), Ok(MailTransport::Disabled));
        settings.folder = Some("/tmp/mail".into());
        assert_eq!(
            settings.transport(),
            Ok(MailTransport::Folder("/tmp/mail".into()))
        );
        settings.smtp_url = Some(SecretString::from("smtps://mail.example.org"));
        assert_eq!(settings.transport(), Ok(MailTransport::Smtp));
        assert_eq!(
            settings.describe(),
            "smtps://mail.example.org:465 (implicit TLS)"
        );
    }

    #[test]
    fn bad_settings_are_refused_with_the_key() {
        let settings = MailSettings {
            from: "not an address".into(),
            ..MailSettings::default()
        };
        assert!(settings.validate().unwrap_err().starts_with("mail.from"));
        let settings = MailSettings {
            smtp_url: Some(SecretString::from("http://mail.example.org")),
            ..MailSettings::default()
        };
        assert!(
            settings
                .validate()
                .unwrap_err()
                .starts_with("mail.smtp_url")
        );
    }
}
