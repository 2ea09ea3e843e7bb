//! What the application needs from the outside world. Each trait is a business
//! capability; each method says which errors it can return. Every method keeps
//! its whole transaction inside the adapter.

mod accounts;
mod imaging;
mod system;

pub use accounts::{
    ApiTokenRepository, InsertUserError, InvitationRepository, LoginThrottleRepository,
    PasswordHasher, SessionRepository, UserRepository,
};
pub use imaging::{ImageInspector, ImageProcessor, ImageScan, VariantError};
pub use system::{Clock, SchemaInspector, SchemaState, SystemClock};

#[cfg(feature = "mock")]
pub use accounts::{
    MockApiTokenRepository, MockInvitationRepository, MockLoginThrottleRepository,
    MockPasswordHasher, MockSessionRepository, MockUserRepository,
};
#[cfg(feature = "mock")]
pub use imaging::{MockImageInspector, MockImageProcessor};
#[cfg(feature = "mock")]
pub use system::{MockClock, MockSchemaInspector};
