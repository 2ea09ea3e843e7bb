//! The alert mails as aiosmtpd stored them (a Maildir): found by subject,
//! decoded, and checked for what a maintainer needs at 3 a.m.

use std::path::Path;

use anyhow::{Result, bail};

/// The text of the first mail in the Maildir whose subject fires `alert`.
pub(super) fn find(maildir: &Path, alert: &str) -> Result<Option<String>> {
    let new = maildir.join("new");
    let Ok(entries) = std::fs::read_dir(&new) else {
        return Ok(None);
    };
    for entry in entries {
        let text = std::fs::read_to_string(entry?.path())?;
        let message = decode(&text);
        if message.contains(&format!("Subject: [FIRING] {alert}")) {
            return Ok(Some(message));
        }
    }
    Ok(None)
}

/// Unfolds the headers and undoes quoted-printable, so the text reads as sent.
fn decode(raw: &str) -> String {
    let text = raw
        .replace("\r\n", "\n")
        .replace("\n ", " ")
        .replace("=\n", "");
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'='
            && let Some(hex) = text.get(index + 1..index + 3)
            && let Ok(byte) = u8::from_str_radix(hex, 16)
        {
            decoded.push(byte);
            index += 3;
            continue;
        }
        decoded.push(bytes[index]);
        index += 1;
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

/// The mail names the alert, what broke and the runbook.
pub(super) fn check(message: &str, alert: &str, summary: &str) -> Result<()> {
    let runbook = format!(
        "What to do: https://github.com/shoebox-photos/shoebox/blob/main/docs/operations/alerts.md#{}",
        alert.to_lowercase()
    );
    for expected in [
        summary,
        "What broke:",
        runbook.as_str(),
        "To: maintainers@example.org",
    ] {
        if !message.contains(expected) {
            bail!("the mail for {alert} lacks `{expected}`:\n{message}");
        }
    }
    crate::ui::note(&format!("mail received for {alert}, naming its runbook"));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mail_is_unfolded_and_decoded() {
        let raw = "Subject: [FIRING] A:\r\n long summary\r\n\r\nWhat to do: https://x/a=\r\nlerts.md#a =3D ok\r\n";
        let decoded = decode(raw);
        assert!(
            decoded.contains("Subject: [FIRING] A: long summary"),
            "{decoded}"
        );
        assert!(decoded.contains("https://x/alerts.md#a = ok"), "{decoded}");
    }
}
