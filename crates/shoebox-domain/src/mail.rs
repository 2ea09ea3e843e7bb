//! Messages sent by mail: what a use case hands to the outbox.

use std::fmt;

use uuid::Uuid;

use crate::accounts::EmailAddress;

/// An outbox row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MailId(Uuid);

impl MailId {
    pub fn new() -> Self {
        Self(Uuid::now_v7())
    }

    pub fn from_uuid(id: Uuid) -> Self {
        Self(id)
    }

    pub fn as_uuid(&self) -> Uuid {
        self.0
    }
}

impl Default for MailId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for MailId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A rendered message for one recipient: a subject and the same content as
/// plain text and as HTML.
#[derive(Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    pub to: EmailAddress,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// The bodies hold links with secrets in them: never in logs.
impl fmt::Debug for OutgoingMail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OutgoingMail")
            .field("subject", &self.subject)
            .finish_non_exhaustive()
    }
}
