//! The limit on requests that send mail (password resets, invitations).

use chrono::{DateTime, Utc};
use shoebox_domain::auth::{ClientInfo, LoginThrottlePolicy, ThrottleKey};
use shoebox_ports::outbound::LoginThrottleRepository;

/// Counts a request that would mail `raw_email` against that address and
/// the client's address; `Ok(Err(retry_after_seconds))` when either is over
/// the limit (and then nothing is counted). Every request counts, whether
/// or not the address has an account, so the limit reveals nothing about
/// which addresses do.
pub(crate) async fn count_mail_request(
    throttle: &dyn LoginThrottleRepository,
    policy: &LoginThrottlePolicy,
    raw_email: &str,
    client: &ClientInfo,
    now: DateTime<Utc>,
) -> anyhow::Result<Result<(), u64>> {
    let mut keys = vec![ThrottleKey::mail_address(raw_email)];
    keys.extend(client.ip.map(ThrottleKey::mail_ip));
    let counters = throttle.counters(keys.clone()).await?;
    if let Err(retry_after_seconds) = policy.check(&counters, now) {
        return Ok(Err(retry_after_seconds));
    }
    throttle.record_failure(keys, now, policy.window).await?;
    Ok(Ok(()))
}
