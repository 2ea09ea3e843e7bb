//! A rendered message as MIME: `multipart/alternative` with the plain-text
//! part first and the HTML part last (the one mail clients prefer).

use lettre::{
    Message,
    message::{Mailbox, MultiPart},
};
use shoebox_domain::mail::OutgoingMail;

/// Errors: a message that cannot be built (a header lettre refuses), as text.
pub fn build_message(from: &Mailbox, mail: &OutgoingMail) -> Result<Message, String> {
    let to: Mailbox = mail
        .to
        .as_str()
        .parse()
        .map_err(|error| format!("recipient address refused: {error}"))?;
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(mail.subject.clone())
        .multipart(MultiPart::alternative_plain_html(
            mail.text.clone(),
            mail.html.clone(),
        ))
        .map_err(|error| format!("message cannot be built: {error}"))
}

#[cfg(test)]
mod tests {
    use shoebox_domain::EmailAddress;

    use super::*;

    #[test]
    fn messages_carry_both_parts() {
        let mail = OutgoingMail {
            to: EmailAddress::parse("ada@example.org").unwrap(),
            subject: "Reset your password".into(),
            text: "Follow https://photos.example.org/reset-password?token=abc".into(),
            html:
                "<p><a href=\"https://photos.example.org/reset-password?token=abc\">Reset</a></p>"
                    .into(),
        };
        let from: Mailbox = "Shoebox <shoebox@example.org>".parse().unwrap();
        let text = String::from_utf8(build_message(&from, &mail).unwrap().formatted()).unwrap();
        assert!(text.contains("multipart/alternative"));
        assert!(text.contains("text/plain"));
        assert!(text.contains("text/html"));
        assert!(text.contains("To: ada@example.org"));
        assert!(text.contains("Subject: Reset your password"));
    }
}
