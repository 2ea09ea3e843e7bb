//! Valid domain values for tests to insert, with fixed, whole-second times
//! (PostgreSQL keeps microseconds, so `Utc::now()` would not read back equal).

use std::net::IpAddr;

use chrono::{DateTime, TimeDelta, Utc};
use shoebox_domain::{
    accounts::{DisplayName, EmailAddress, NewUser, PasswordHash, Role, UserId},
    auth::{ClientInfo, NewSession, SecretToken, SessionId},
};

/// An arbitrary fixed instant to start tests from: 2026-01-05 09:00:00 UTC.
pub fn instant() -> DateTime<Utc> {
    DateTime::from_timestamp(1_767_603_600, 0).unwrap_or(DateTime::UNIX_EPOCH)
}

/// `instant()` moved by `seconds`.
pub fn at(seconds: i64) -> DateTime<Utc> {
    instant() + TimeDelta::seconds(seconds)
}

/// A PHC string shaped like an Argon2id hash (of no particular password).
pub const FAKE_PASSWORD_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";

/// A member with this email, named after its local part.
///
/// Panics on an invalid address: fixtures are written by hand.
pub fn new_user(email: &str, created_at: DateTime<Utc>) -> NewUser {
    let email = EmailAddress::parse(email)
        .unwrap_or_else(|error| panic!("fixture email {email:?}: {error}"));
    let local = email
        .as_str()
        .split('@')
        .next()
        .unwrap_or("member")
        .to_owned();
    NewUser {
        id: UserId::new(),
        display_name: DisplayName::parse(&local)
            .unwrap_or_else(|error| panic!("fixture display name: {error}")),
        email,
        password_hash: PasswordHash::from_phc(FAKE_PASSWORD_HASH),
        role: Role::Member,
        created_at,
        email_verified_at: Some(created_at),
    }
}

/// A session for `user_id` opened at `created_at`, and the secret its cookie would hold.
pub fn new_session(
    user_id: UserId,
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> (SecretToken, NewSession) {
    let secret = SecretToken::generate("");
    let session = NewSession {
        id: SessionId::new(),
        user_id,
        token_hash: secret.hash(),
        csrf_token: SecretToken::generate("").expose().to_owned(),
        client: ClientInfo::new(
            Some("Mozilla/5.0 (test)"),
            Some(IpAddr::from([192, 0, 2, 10])),
        ),
        created_at,
        expires_at,
    };
    (secret, session)
}
