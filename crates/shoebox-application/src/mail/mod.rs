//! Mail: the messages the use cases send (rendered from the templates in
//! `templates/mail/`, the one place to edit them), the outbox they go
//! through, and the `mail.send` job that delivers them with retries.
//!
//! A use case never talks to a mail server: it renders a message and hands
//! it to the [`Postman`], which stores it and enqueues its job in one
//! transaction. The job's payload is the outbox id alone, so the secrets in
//! links never sit in the job queue.

mod confirmation;
mod invitations;
mod limit;
mod postman;
mod recovery;
mod send;
mod templates;

pub use confirmation::{EmailConfirmationService, EmailVerifier};
pub use invitations::InvitationService;
pub use limit::MailRequestLimit;
pub use postman::{Message, Postman};
pub use recovery::{PasswordRecoveryService, RecoveryStores};
pub use send::{SEND_MAIL_JOB, SendMailJob};
pub use templates::{InstanceSettings, MailTemplates, RenderedMail};
