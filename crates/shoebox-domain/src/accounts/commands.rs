//! The commands members send about their own accounts, already parsed.

use super::{DisplayName, EmailAddress, NewPassword, PlainPassword, ProfileUpdate};
use crate::auth::{ClientInfo, SecretToken};

/// Create an account (and a first session).
#[derive(Debug, Clone)]
pub struct SignUp {
    pub email: EmailAddress,
    pub display_name: DisplayName,
    pub password: NewPassword,
    /// Required in `invite` mode: the secret from the invitation link.
    pub invitation: Option<SecretToken>,
    pub client: ClientInfo,
    /// The browser's device id (its `shoebox_device` cookie), if it has one.
    pub device: Option<SecretToken>,
}

/// Exchange an email and password for a session.
///
/// The email is kept raw: a malformed address must fail exactly like an
/// unknown one, so that the response never tells which addresses exist.
#[derive(Debug, Clone)]
pub struct LogIn {
    pub email: String,
    pub password: PlainPassword,
    pub client: ClientInfo,
    /// The browser's device id (its `shoebox_device` cookie), if it has one:
    /// a sign-in from a device the member never used is announced by mail.
    pub device: Option<SecretToken>,
}

/// Change one's own profile.
#[derive(Debug, Clone)]
pub struct UpdateProfile {
    pub update: ProfileUpdate,
}

/// Change one's own password; the current one is required.
#[derive(Debug, Clone)]
pub struct ChangePassword {
    pub current: PlainPassword,
    pub new: String,
}
