//! The limit on requests that mail a link, as a value a service holds
//! (see [`count_mail_request`] for the rule).

use std::{fmt, sync::Arc};

use super::throttle::count_mail_request;
use shoebox_domain::auth::{ClientInfo, LoginThrottlePolicy};
use shoebox_ports::{
    inbound::RequestResetError,
    outbound::{Clock, LoginThrottleRepository},
};

#[derive(Clone)]
pub struct MailRequestLimit {
    throttle: Arc<dyn LoginThrottleRepository>,
    clock: Arc<dyn Clock>,
    policy: LoginThrottlePolicy,
}

impl fmt::Debug for MailRequestLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MailRequestLimit")
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

impl MailRequestLimit {
    pub fn new(
        throttle: Arc<dyn LoginThrottleRepository>,
        clock: Arc<dyn Clock>,
        policy: LoginThrottlePolicy,
    ) -> Self {
        Self {
            throttle,
            clock,
            policy,
        }
    }

    /// Counts one request for `address` from `client`.
    /// Errors: `Throttled` past the limit (nothing counted then), `Unexpected`.
    pub async fn count(&self, address: &str, client: &ClientInfo) -> Result<(), RequestResetError> {
        count_mail_request(
            &*self.throttle,
            &self.policy,
            address,
            client,
            self.clock.now(),
        )
        .await?
        .map_err(|retry_after_seconds| RequestResetError::Throttled {
            retry_after_seconds,
        })
    }
}
