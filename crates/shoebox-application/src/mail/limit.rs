//! The limit on requests that send mail (password resets, verification,
//! changes of address, invitations): per address as typed and per client
//! address. Every request counts, whether or not the address has an
//! account, so the limit reveals nothing about which addresses do.

use std::{fmt, sync::Arc};

use shoebox_domain::auth::{ClientInfo, LoginThrottlePolicy, ThrottleKey};
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
        let mut keys = vec![ThrottleKey::mail_address(address)];
        keys.extend(client.ip.map(ThrottleKey::mail_ip));
        let now = self.clock.now();
        let counters = self.throttle.counters(keys.clone()).await?;
        if let Err(retry_after_seconds) = self.policy.check(&counters, now) {
            return Err(RequestResetError::Throttled {
                retry_after_seconds,
            });
        }
        self.throttle
            .record_failure(keys, now, self.policy.window)
            .await?;
        Ok(())
    }
}
