//! A migrated database with every repository on it.

use chrono::{DateTime, Utc};
use diesel::RunQueryDsl;
use shoebox_domain::{
    accounts::{EmailAddress, NewUser, Role, User, UserId},
    auth::{ApiTokenName, NewApiToken, NewInvitation, NewSession, SecretToken},
};
use shoebox_ports::outbound::{
    ApiTokenRepository, InvitationRepository, SessionRepository, UserRepository,
};
use shoebox_postgres::{
    PostgresApiTokenRepository, PostgresInvitationRepository, PostgresLoginThrottleRepository,
    PostgresSessionRepository, PostgresUserRepository,
};
use shoebox_test_support::{TestDatabase, fixtures};

pub use shoebox_test_support::fixtures::{at, instant};

pub struct Fixture {
    pub users: PostgresUserRepository,
    pub sessions: PostgresSessionRepository,
    pub tokens: PostgresApiTokenRepository,
    pub invitations: PostgresInvitationRepository,
    pub throttle: PostgresLoginThrottleRepository,
    // Declared last so that it is dropped last, after every pool handle.
    pub database: TestDatabase,
}

impl Fixture {
    pub fn new() -> Self {
        let database = TestDatabase::migrated();
        let pool = database.database();
        Self {
            users: PostgresUserRepository::new(&pool),
            sessions: PostgresSessionRepository::new(&pool),
            tokens: PostgresApiTokenRepository::new(&pool),
            invitations: PostgresInvitationRepository::new(&pool),
            throttle: PostgresLoginThrottleRepository::new(&pool),
            database,
        }
    }

    /// Inserts a member created at `instant()`.
    pub async fn user(&self, email: &str) -> User {
        self.insert(fixtures::new_user(email, instant())).await
    }

    pub async fn insert(&self, user: NewUser) -> User {
        self.users
            .insert(user, None)
            .await
            .expect("inserting a fixture user")
    }

    /// Opens a session at `created_at` that expires at `expires_at`.
    pub async fn session(
        &self,
        user: UserId,
        created_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> (SecretToken, NewSession) {
        let (secret, session) = fixtures::new_session(user, created_at, expires_at);
        self.sessions
            .insert(session.clone())
            .await
            .expect("inserting a fixture session");
        (secret, session)
    }

    /// Creates an API token at `created_at`.
    pub async fn token(
        &self,
        user: UserId,
        name: &str,
        created_at: DateTime<Utc>,
        expires_at: Option<DateTime<Utc>>,
    ) -> NewApiToken {
        let token = NewApiToken::generate(
            user,
            ApiTokenName::parse(name).unwrap(),
            created_at,
            expires_at,
        );
        self.tokens
            .insert(token.clone())
            .await
            .expect("inserting a fixture token");
        token
    }

    /// Creates an invitation by `creator` at `created_at`.
    pub async fn invitation(
        &self,
        email: Option<&str>,
        creator: UserId,
        created_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> NewInvitation {
        let email = email.map(|email| EmailAddress::parse(email).unwrap());
        let invitation =
            NewInvitation::generate(email, Role::Member, creator, created_at, expires_at);
        self.invitations
            .insert(invitation.clone())
            .await
            .expect("inserting a fixture invitation");
        invitation
    }

    /// Runs SQL directly, behind the repositories' back.
    pub fn sql(&self, statement: &str) -> usize {
        diesel::sql_query(statement)
            .execute(&mut self.database.connect())
            .expect(statement)
    }
}
