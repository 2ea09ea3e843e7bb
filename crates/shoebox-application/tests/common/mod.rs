//! Builders shared by the use-case tests: every outbound port is a mockall mock.

#![allow(dead_code, reason = "each test binary uses a different subset")]

use std::sync::Arc;

use chrono::{DateTime, Utc};
use shoebox_application::{
    AccountStores, AuthSettings,
    mail::{EmailVerifier, InstanceSettings, MailTemplates, Postman},
};
use shoebox_domain::{
    accounts::{DisplayName, EmailAddress, PasswordHash, Role, User, UserCredentials, UserId},
    auth::{Actor, ClientInfo, Credential, SessionId},
};
use shoebox_ports::outbound::{
    MailOutbox, MockApiTokenRepository, MockClock, MockEmailConfirmationRepository,
    MockInvitationRepository, MockKnownDeviceRepository, MockLoginThrottleRepository,
    MockMailOutbox, MockPasswordHasher, MockSessionRepository, MockUserRepository,
};

pub fn now() -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp(1_800_000_000, 0).unwrap()
}

#[derive(Default)]
pub struct Mocks {
    pub users: MockUserRepository,
    pub sessions: MockSessionRepository,
    pub api_tokens: MockApiTokenRepository,
    pub invitations: MockInvitationRepository,
    pub devices: MockKnownDeviceRepository,
    pub throttle: MockLoginThrottleRepository,
    pub hasher: MockPasswordHasher,
    /// Mail: confirmation links and the outbox (sign-up's verification).
    pub confirmations: MockEmailConfirmationRepository,
    pub outbox: MockMailOutbox,
}

pub fn clock() -> Arc<MockClock> {
    let mut clock = MockClock::new();
    clock.expect_now().return_const(now());
    Arc::new(clock)
}

/// A postman that renders into `outbox`, with links under photos.example.org.
pub fn postman(outbox: MockMailOutbox) -> Postman {
    postman_on(Arc::new(outbox))
}

fn postman_on(outbox: Arc<dyn MailOutbox>) -> Postman {
    let templates =
        MailTemplates::new(&InstanceSettings::default(), "https://photos.example.org").unwrap();
    Postman::new(outbox, Arc::new(templates), clock())
}

impl Mocks {
    /// The account stores and, from the mail mocks, the verifier and the
    /// postman (one outbox for both).
    pub fn into_parts(self, settings: &AuthSettings) -> (AccountStores, EmailVerifier, Postman) {
        let postman = postman_on(Arc::new(self.outbox));
        let verifier = EmailVerifier::new(
            Arc::new(self.confirmations),
            postman.clone(),
            clock(),
            settings,
        );
        let stores = AccountStores {
            users: Arc::new(self.users),
            sessions: Arc::new(self.sessions),
            api_tokens: Arc::new(self.api_tokens),
            invitations: Arc::new(self.invitations),
            devices: Arc::new(self.devices),
            throttle: Arc::new(self.throttle),
            hasher: Arc::new(self.hasher),
            clock: clock(),
        };
        (stores, verifier, postman)
    }

    pub fn into_stores(self) -> AccountStores {
        let mut clock = MockClock::new();
        clock.expect_now().return_const(now());
        AccountStores {
            users: Arc::new(self.users),
            sessions: Arc::new(self.sessions),
            api_tokens: Arc::new(self.api_tokens),
            invitations: Arc::new(self.invitations),
            devices: Arc::new(self.devices),
            throttle: Arc::new(self.throttle),
            hasher: Arc::new(self.hasher),
            clock: Arc::new(clock),
        }
    }
}

pub fn settings() -> AuthSettings {
    AuthSettings::default()
}

pub fn user(email: &str, role: Role) -> User {
    User {
        id: UserId::new(),
        email: EmailAddress::parse(email).unwrap(),
        display_name: DisplayName::parse("Ada").unwrap(),
        full_name: None,
        bio: None,
        role,
        disabled_at: None,
        created_at: now(),
        updated_at: now(),
        deletion_due_at: None,
        email_verified_at: Some(now()),
    }
}

pub fn credentials(user: User) -> UserCredentials {
    UserCredentials {
        user,
        password_hash: PasswordHash::from_phc("$argon2id$stored"),
    }
}

pub fn session_actor(user: User) -> Actor {
    Actor {
        user,
        credential: Credential::Session {
            id: SessionId::new(),
            csrf_token: "csrf".into(),
        },
    }
}

pub fn client() -> ClientInfo {
    ClientInfo::new(Some("test-agent"), Some("192.0.2.7".parse().unwrap()))
}
