//! One repository per port of `shoebox_ports::outbound`, each a cheap clone
//! of the pool.

mod api_tokens;
mod invitations;
mod login_throttle;
mod schema_inspector;
mod sessions;
mod users;

pub use api_tokens::PostgresApiTokenRepository;
pub use invitations::PostgresInvitationRepository;
pub use login_throttle::PostgresLoginThrottleRepository;
pub use schema_inspector::PostgresSchemaInspector;
pub use sessions::PostgresSessionRepository;
pub use users::PostgresUserRepository;
