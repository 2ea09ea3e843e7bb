//! Builders shared by the use-case tests: every outbound port is a mockall mock.

#![allow(dead_code, reason = "each test binary uses a different subset")]

use std::sync::Arc;

use chrono::{DateTime, Utc};
use shoebox_application::{AccountStores, AuthSettings};
use shoebox_domain::{
    accounts::{DisplayName, EmailAddress, PasswordHash, Role, User, UserCredentials, UserId},
    auth::{Actor, ClientInfo, Credential, SessionId},
};
use shoebox_ports::outbound::{
    MockApiTokenRepository, MockClock, MockInvitationRepository, MockLoginThrottleRepository,
    MockPasswordHasher, MockSessionRepository, MockUserRepository,
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
    pub throttle: MockLoginThrottleRepository,
    pub hasher: MockPasswordHasher,
}

impl Mocks {
    pub fn into_stores(self) -> AccountStores {
        let mut clock = MockClock::new();
        clock.expect_now().return_const(now());
        AccountStores {
            users: Arc::new(self.users),
            sessions: Arc::new(self.sessions),
            api_tokens: Arc::new(self.api_tokens),
            invitations: Arc::new(self.invitations),
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
