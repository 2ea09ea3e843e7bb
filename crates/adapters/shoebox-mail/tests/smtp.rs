//! The SMTP mailer against a real SMTP server (aiosmtpd on 127.0.0.1):
//! plain with AUTH, STARTTLS, implicit TLS, and refusals.

use std::time::Duration;

use secrecy::SecretString;
use shoebox_domain::{EmailAddress, mail::OutgoingMail};
use shoebox_mail::{FolderMailer, MailSettings, SmtpMailer};
use shoebox_ports::outbound::{Mailer, SendMailError};
use shoebox_test_support::{SmtpServer, SmtpServerOptions};

const WAIT: Duration = Duration::from_secs(20);

fn mail() -> OutgoingMail {
    OutgoingMail {
        to: EmailAddress::parse("ada@example.org").unwrap(),
        subject: "Reset your password".into(),
        text: "Open https://photos.example.org/reset-password?token=abc123 to choose a new password."
            .into(),
        html: "<p><a href=\"https://photos.example.org/reset-password?token=abc123\">Choose a new password</a></p>"
            .into(),
    }
}

fn settings(url: String) -> MailSettings {
    MailSettings {
        smtp_url: Some(SecretString::from(url)),
        from: "Shoebox <shoebox@example.org>".into(),
        smtp_timeout_seconds: 10,
        ..MailSettings::default()
    }
}

fn assert_delivered(message: &str) {
    assert!(message.contains("To: ada@example.org"), "{message}");
    assert!(
        message.contains("From: ") && message.contains("<shoebox@example.org>"),
        "{message}"
    );
    assert!(
        message.contains("Subject: Reset your password"),
        "{message}"
    );
    assert!(message.contains("text/plain"), "{message}");
    assert!(message.contains("text/html"), "{message}");
    // Bodies go quoted-printable: undo soft line breaks and `=3D`.
    let decoded = message
        .replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=3D", "=");
    assert!(decoded.contains("reset-password?token=abc123"), "{message}");
}

/// A self-signed certificate for 127.0.0.1, and the settings' CA file.
fn certificate(folder: &tempfile::TempDir) -> ((String, String), std::path::PathBuf) {
    let certified = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()]).unwrap();
    let pem = certified.cert.pem();
    let ca_file = folder.path().join("ca.pem");
    std::fs::write(&ca_file, &pem).unwrap();
    ((pem, certified.signing_key.serialize_pem()), ca_file)
}

#[tokio::test]
async fn plain_smtp_with_auth_delivers_both_parts() {
    let server = SmtpServer::start_with(SmtpServerOptions {
        credentials: Some(("shoebox".into(), "p@ss word".into())),
        ..SmtpServerOptions::default()
    });
    let mailer = SmtpMailer::from_settings(&settings(format!(
        "smtp://shoebox:p%40ss%20word@127.0.0.1:{}",
        server.port()
    )))
    .unwrap();
    mailer.send(&mail()).await.unwrap();
    let messages = server.wait_for_messages(1, WAIT);
    assert_eq!(messages.len(), 1);
    assert_delivered(&messages[0]);
}

#[tokio::test]
async fn a_wrong_password_is_a_permanent_refusal() {
    let server = SmtpServer::start_with(SmtpServerOptions {
        credentials: Some(("shoebox".into(), "right".into())),
        ..SmtpServerOptions::default()
    });
    let mailer = SmtpMailer::from_settings(&settings(format!(
        "smtp://shoebox:wrong@127.0.0.1:{}",
        server.port()
    )))
    .unwrap();
    let error = mailer.send(&mail()).await.unwrap_err();
    assert!(matches!(error, SendMailError::Rejected(_)), "{error:?}");
    assert!(!format!("{error:?}").contains("wrong"), "{error:?}");
    assert!(server.messages().is_empty());
}

#[tokio::test]
async fn starttls_with_auth_delivers() {
    let folder = tempfile::tempdir().unwrap();
    let (tls, ca_file) = certificate(&folder);
    let server = SmtpServer::start_with(SmtpServerOptions {
        credentials: Some(("shoebox".into(), "secret".into())),
        tls: Some(tls),
        implicit_tls: false,
    });
    let mailer = SmtpMailer::from_settings(&MailSettings {
        smtp_ca_file: Some(ca_file),
        ..settings(format!(
            "smtp://shoebox:secret@127.0.0.1:{}?tls=required",
            server.port()
        ))
    })
    .unwrap();
    mailer.send(&mail()).await.unwrap();
    assert_delivered(&server.wait_for_messages(1, WAIT)[0]);
}

#[tokio::test]
async fn implicit_tls_delivers() {
    let folder = tempfile::tempdir().unwrap();
    let (tls, ca_file) = certificate(&folder);
    let server = SmtpServer::start_with(SmtpServerOptions {
        credentials: Some(("shoebox".into(), "secret".into())),
        tls: Some(tls),
        implicit_tls: true,
    });
    let mailer = SmtpMailer::from_settings(&MailSettings {
        smtp_ca_file: Some(ca_file),
        ..settings(format!(
            "smtps://shoebox:secret@127.0.0.1:{}",
            server.port()
        ))
    })
    .unwrap();
    mailer.send(&mail()).await.unwrap();
    assert_delivered(&server.wait_for_messages(1, WAIT)[0]);
}

#[tokio::test]
async fn an_untrusted_certificate_is_not_used() {
    let folder = tempfile::tempdir().unwrap();
    let (tls, _ca_file) = certificate(&folder);
    let server = SmtpServer::start_with(SmtpServerOptions {
        credentials: None,
        tls: Some(tls),
        implicit_tls: true,
    });
    // No CA file: the system roots do not know the test certificate.
    let mailer =
        SmtpMailer::from_settings(&settings(format!("smtps://127.0.0.1:{}", server.port())))
            .unwrap();
    assert!(mailer.send(&mail()).await.is_err());
    assert!(server.messages().is_empty());
}

#[tokio::test]
async fn an_unreachable_server_is_worth_retrying() {
    // A port nobody listens on: bound, then released.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mailer = SmtpMailer::from_settings(&settings(format!("smtp://127.0.0.1:{port}"))).unwrap();
    let error = mailer.send(&mail()).await.unwrap_err();
    assert!(matches!(error, SendMailError::Unavailable(_)), "{error:?}");
}

#[tokio::test]
async fn the_folder_mailer_writes_whole_messages() {
    let folder = tempfile::tempdir().unwrap();
    let mailer = FolderMailer::new(
        folder.path().join("mail"),
        "Shoebox <shoebox@example.org>".parse().unwrap(),
    );
    mailer.send(&mail()).await.unwrap();
    mailer.send(&mail()).await.unwrap();
    let files: Vec<_> = std::fs::read_dir(folder.path().join("mail"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    assert_eq!(files.len(), 2);
    for file in files {
        assert_eq!(file.extension().unwrap(), "eml");
        assert_delivered(&std::fs::read_to_string(file).unwrap());
    }
}
