//! Login throttling: fixed windows of failed attempts per account and per client address.

use std::{net::IpAddr, time::Duration};

use chrono::{DateTime, TimeDelta, Utc};

/// What a failure counter is about. Account keys use the address as typed
/// (trimmed, lower-cased), whether or not such an account exists, so the
/// throttle itself reveals nothing.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ThrottleKey {
    Account(String),
    Ip(String),
}

impl ThrottleKey {
    pub fn account(raw_email: &str) -> Self {
        Self::Account(raw_email.trim().to_lowercase().chars().take(320).collect())
    }

    /// IPv6 clients usually own a whole /64, so that is what we count.
    pub fn ip(ip: IpAddr) -> Self {
        match ip {
            IpAddr::V4(v4) => Self::Ip(v4.to_string()),
            IpAddr::V6(v6) => {
                let s = v6.segments();
                Self::Ip(format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3]))
            }
        }
    }

    /// Requests that send mail (password resets, invitations) to an address, counted
    /// apart from failed logins: the value carries a `mail:` prefix, which no
    /// address typed at a login (nor an IP) can start with... and if one did,
    /// it would only share a counter with itself.
    pub fn mail_address(raw_email: &str) -> Self {
        match Self::account(raw_email) {
            Self::Account(value) | Self::Ip(value) => Self::Account(format!("mail:{value}")),
        }
    }

    /// Requests that send mail from one client address (IPv6: per /64).
    pub fn mail_ip(ip: IpAddr) -> Self {
        match Self::ip(ip) {
            Self::Account(value) | Self::Ip(value) => Self::Ip(format!("mail:{value}")),
        }
    }

    pub fn scope(&self) -> &'static str {
        match self {
            Self::Account(_) => "account",
            Self::Ip(_) => "ip",
        }
    }

    pub fn value(&self) -> &str {
        match self {
            Self::Account(v) | Self::Ip(v) => v,
        }
    }
}

/// A stored counter: failures since `window_started_at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleState {
    pub failures: u32,
    pub window_started_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginThrottlePolicy {
    pub window: Duration,
    pub max_failures_per_account: u32,
    pub max_failures_per_ip: u32,
}

impl Default for LoginThrottlePolicy {
    fn default() -> Self {
        Self {
            window: Duration::from_secs(15 * 60),
            max_failures_per_account: 10,
            max_failures_per_ip: 100,
        }
    }
}

impl LoginThrottlePolicy {
    fn window(&self) -> TimeDelta {
        TimeDelta::from_std(self.window).unwrap_or(TimeDelta::MAX)
    }

    fn limit(&self, key: &ThrottleKey) -> u32 {
        match key {
            ThrottleKey::Account(_) => self.max_failures_per_account,
            ThrottleKey::Ip(_) => self.max_failures_per_ip,
        }
    }

    /// `Err(seconds)` when any counter is at its limit within its window: the
    /// caller must refuse the attempt without checking the password.
    pub fn check(
        &self,
        counters: &[(ThrottleKey, ThrottleState)],
        now: DateTime<Utc>,
    ) -> Result<(), u64> {
        let retry_after = counters
            .iter()
            .filter(|(key, state)| state.failures >= self.limit(key))
            .filter_map(|(_, state)| {
                let reopens = state.window_started_at.checked_add_signed(self.window())?;
                (reopens > now).then(|| (reopens - now).num_seconds().max(1) as u64)
            })
            .max();
        match retry_after {
            Some(seconds) => Err(seconds),
            None => Ok(()),
        }
    }

    /// Whether a counter's window is over, so a new failure starts a new window.
    pub fn window_expired(&self, state: &ThrottleState, now: DateTime<Utc>) -> bool {
        state
            .window_started_at
            .checked_add_signed(self.window())
            .is_none_or(|end| end <= now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::<Utc>::from_timestamp(1_700_000_000 + seconds, 0).unwrap()
    }

    #[test]
    fn account_limit_blocks_until_the_window_ends() {
        let policy = LoginThrottlePolicy::default();
        let key = ThrottleKey::account(" Ada@Example.org ");
        assert_eq!(key, ThrottleKey::Account("ada@example.org".into()));
        let state = ThrottleState {
            failures: 10,
            window_started_at: at(0),
        };
        assert_eq!(policy.check(&[(key.clone(), state)], at(60)), Err(840));
        assert_eq!(policy.check(&[(key.clone(), state)], at(900)), Ok(()));
        let below = ThrottleState {
            failures: 9,
            window_started_at: at(0),
        };
        assert_eq!(policy.check(&[(key, below)], at(60)), Ok(()));
    }

    #[test]
    fn ip_limit_is_separate_and_ipv6_counts_per_64() {
        let policy = LoginThrottlePolicy::default();
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        assert_eq!(ThrottleKey::ip(a), ThrottleKey::ip(b));
        let ten = ThrottleState {
            failures: 10,
            window_started_at: at(0),
        };
        assert_eq!(policy.check(&[(ThrottleKey::ip(a), ten)], at(1)), Ok(()));
        let hundred = ThrottleState {
            failures: 100,
            window_started_at: at(0),
        };
        assert!(
            policy
                .check(&[(ThrottleKey::ip(a), hundred)], at(1))
                .is_err()
        );
    }

    proptest! {
        #[test]
        fn never_blocks_below_the_limit_and_always_blocks_at_it(failures in 0u32..30, elapsed in 0i64..899) {
            let policy = LoginThrottlePolicy::default();
            let state = ThrottleState { failures, window_started_at: at(0) };
            let result = policy.check(&[(ThrottleKey::account("a@b.c"), state)], at(elapsed));
            prop_assert_eq!(result.is_err(), failures >= 10);
            if let Err(seconds) = result {
                prop_assert!((1..=900).contains(&seconds));
            }
        }
    }
}
