//! What the application needs from the outside world. Each trait is a business
//! capability; each method says which errors it can return. Every method keeps
//! its whole transaction inside the adapter.

mod accounts;
mod jobs;
mod system;

pub use accounts::{
    ApiTokenRepository, InsertUserError, InvitationRepository, LoginThrottleRepository,
    PasswordHasher, SessionRepository, UserRepository,
};
pub use jobs::{
    ClaimRequest, JobQueue, MaintenanceRepository, ScheduleLedger, SlotClaim, WakeReason,
};
pub use system::{Clock, SchemaInspector, SchemaState, SystemClock};

#[cfg(feature = "mock")]
pub use accounts::{
    MockApiTokenRepository, MockInvitationRepository, MockLoginThrottleRepository,
    MockPasswordHasher, MockSessionRepository, MockUserRepository,
};
#[cfg(feature = "mock")]
pub use jobs::{MockJobQueue, MockMaintenanceRepository, MockScheduleLedger};
#[cfg(feature = "mock")]
pub use system::{MockClock, MockSchemaInspector};
