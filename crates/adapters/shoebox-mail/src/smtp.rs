//! SMTP through lettre.

use std::fmt;

use async_trait::async_trait;
use lettre::{
    AsyncSmtpTransport, AsyncTransport, Tokio1Executor,
    message::Mailbox,
    transport::smtp::client::{Certificate, Tls, TlsParameters},
};
use secrecy::ExposeSecret;
use shoebox_domain::mail::OutgoingMail;
use shoebox_ports::outbound::{Mailer, SendMailError};
use url::Url;

use crate::{MailSettings, build_message};

/// How the conversation is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    Plain,
    StartTlsRequired,
    StartTlsOpportunistic,
    ImplicitTls,
}

/// The server an SMTP URL names, without its credentials (safe to log).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpTarget {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
}

impl SmtpTarget {
    pub fn parse(raw: &str) -> Result<Self, String> {
        // Never echo the URL: it may hold a password.
        let url =
            Url::parse(raw).map_err(|error| format!("mail.smtp_url is not a URL: {error}"))?;
        let tls = url
            .query_pairs()
            .find(|(key, _)| key == "tls")
            .map(|(_, value)| value.into_owned());
        let security = match (url.scheme(), tls.as_deref()) {
            ("smtp", None | Some("none")) => SmtpSecurity::Plain,
            ("smtp", Some("required")) => SmtpSecurity::StartTlsRequired,
            ("smtp", Some("opportunistic")) => SmtpSecurity::StartTlsOpportunistic,
            ("smtps", None) => SmtpSecurity::ImplicitTls,
            _ => {
                return Err(
                    "mail.smtp_url must be smtp://host[:port] (optionally ?tls=required or ?tls=opportunistic) or smtps://host[:port]"
                        .into(),
                );
            }
        };
        let host = url
            .host_str()
            .filter(|host| !host.is_empty())
            .ok_or("mail.smtp_url has no host")?
            .to_owned();
        let default_port = match security {
            SmtpSecurity::Plain => 25,
            SmtpSecurity::StartTlsRequired | SmtpSecurity::StartTlsOpportunistic => 587,
            SmtpSecurity::ImplicitTls => 465,
        };
        Ok(Self {
            host,
            port: url.port().unwrap_or(default_port),
            security,
        })
    }
}

impl fmt::Display for SmtpTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (scheme, security) = match self.security {
            SmtpSecurity::Plain => ("smtp", "plain"),
            SmtpSecurity::StartTlsRequired => ("smtp", "STARTTLS required"),
            SmtpSecurity::StartTlsOpportunistic => ("smtp", "STARTTLS when offered"),
            SmtpSecurity::ImplicitTls => ("smtps", "implicit TLS"),
        };
        write!(f, "{scheme}://{}:{} ({security})", self.host, self.port)
    }
}

/// Sends through one SMTP server, with a small connection pool.
#[derive(Clone)]
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    target: SmtpTarget,
    from: Mailbox,
}

impl fmt::Debug for SmtpMailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpMailer")
            .field("target", &self.target.to_string())
            .finish_non_exhaustive()
    }
}

impl SmtpMailer {
    pub fn from_settings(settings: &MailSettings) -> anyhow::Result<Self> {
        let url = settings
            .smtp_url
            .as_ref()
            .ok_or_else(|| anyhow::anyhow!("mail.smtp_url is not set"))?;
        let url = url.expose_secret();
        let target = SmtpTarget::parse(url).map_err(anyhow::Error::msg)?;
        // lettre reads the same URL form (credentials percent-decoded).
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|_| anyhow::anyhow!("mail.smtp_url cannot be used (check its form)"))?
            .timeout(Some(settings.smtp_timeout()));
        if let Some(ca_file) = &settings.smtp_ca_file {
            let pem = std::fs::read(ca_file).map_err(|error| {
                anyhow::anyhow!("mail.smtp_ca_file {}: {error}", ca_file.display())
            })?;
            let certificate = Certificate::from_pem(&pem).map_err(|error| {
                anyhow::anyhow!("mail.smtp_ca_file {}: {error}", ca_file.display())
            })?;
            let parameters = TlsParameters::builder(target.host.clone())
                .add_root_certificate(certificate)
                .build()?;
            builder = builder.tls(match target.security {
                SmtpSecurity::Plain => Tls::None,
                SmtpSecurity::StartTlsRequired => Tls::Required(parameters),
                SmtpSecurity::StartTlsOpportunistic => Tls::Opportunistic(parameters),
                SmtpSecurity::ImplicitTls => Tls::Wrapper(parameters),
            });
        }
        Ok(Self {
            transport: builder.build(),
            target,
            from: settings.from().map_err(anyhow::Error::msg)?,
        })
    }
}

#[async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, mail: &OutgoingMail) -> Result<(), SendMailError> {
        let message = build_message(&self.from, mail).map_err(SendMailError::Rejected)?;
        match self.transport.send(message).await {
            Ok(response) => {
                tracing::info!(
                    server = %self.target,
                    subject = %mail.subject,
                    code = %response.code(),
                    "mail sent"
                );
                Ok(())
            }
            Err(error) if error.is_permanent() => Err(SendMailError::Rejected(error.to_string())),
            Err(error) => Err(SendMailError::Unavailable(
                anyhow::Error::new(error).context(format!("sending mail through {}", self.target)),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_the_security_and_default_port() {
        let cases = [
            (
                "smtp://localhost:1025",
                "localhost",
                1025,
                SmtpSecurity::Plain,
            ),
            (
                "smtp://u:p@mail.example.org?tls=required",
                "mail.example.org",
                587,
                SmtpSecurity::StartTlsRequired,
            ),
            (
                "smtp://mail.example.org?tls=opportunistic",
                "mail.example.org",
                587,
                SmtpSecurity::StartTlsOpportunistic,
            ),
            (
                "smtps://u:p@mail.example.org",
                "mail.example.org",
                465,
                SmtpSecurity::ImplicitTls,
            ),
        ];
        for (url, host, port, security) in cases {
            assert_eq!(
                SmtpTarget::parse(url),
                Ok(SmtpTarget {
                    host: host.into(),
                    port,
                    security
                }),
                "{url}"
            );
        }
    }

    #[test]
    fn bad_urls_are_refused_without_echoing_them() {
        for url in [
            "smtp://user:s3cret@host?tls=maybe",
            "imap://user:s3cret@host",
            "not a url s3cret",
        ] {
            let error = SmtpTarget::parse(url).unwrap_err();
            assert!(error.starts_with("mail.smtp_url"), "{error}");
            assert!(!error.contains("s3cret"), "{error}");
        }
    }
}
