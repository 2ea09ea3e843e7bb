//! Proving who is calling: sessions, personal API tokens, invitations, the
//! sign-up mode and login throttling.

mod actor;
mod api_token;
mod errors;
mod invitation;
mod secret;
mod session;
mod signup;
mod throttle;

pub use actor::{Actor, ClientInfo, Credential};
pub use api_token::{
    API_TOKEN_PREFIX, ApiToken, ApiTokenId, ApiTokenName, ApiTokenNameError,
    MAX_API_TOKENS_PER_USER, NewApiToken,
};
pub use errors::{AuthenticationError, CreateApiTokenError, RevokeError};
pub use invitation::{
    ENDED_INVITATIONS_LISTED_FOR, Invitation, InvitationId, InvitationStatus, NewInvitation,
};
pub use secret::{SecretToken, SecretTokenError, TokenHash, constant_time_eq};
pub use session::{NewSession, Session, SessionId, SessionPolicy};
pub use signup::{SignupMode, SignupModeError};
pub use throttle::{LoginThrottlePolicy, ThrottleKey, ThrottleState};
