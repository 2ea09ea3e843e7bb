//! The account policy an operator can tune (`[auth]`, `SHOEBOX_AUTH__*`).

use std::time::Duration;

use chrono::TimeDelta;
use shoebox_domain::auth::{LoginThrottlePolicy, SessionPolicy, SignupMode};

#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct AuthSettings {
    /// Who may create an account: `open`, `invite` or `closed`.
    pub signup: SignupMode,
    /// A session unused for this many hours expires.
    pub session_idle_hours: u64,
    /// A session expires this many days after sign-in, however much it is used.
    pub session_max_days: u64,
    /// Failed logins are counted in windows of this many minutes.
    pub login_window_minutes: u64,
    /// Failed logins allowed per account (email as typed) per window.
    pub login_max_failures_per_account: u32,
    /// Failed logins allowed per client address (IPv6: per /64) per window.
    pub login_max_failures_per_ip: u32,
    /// Invitations expire after this many days.
    pub invitation_valid_days: u64,
    /// Password-reset links expire after this many minutes.
    pub password_reset_valid_minutes: u64,
    /// Mail-sending requests (password resets, mailed invitations) allowed
    /// per address per login window, whether or not the address has an account.
    pub mail_max_per_address: u32,
    /// Mail-sending requests allowed per client address (IPv6: per /64) per window.
    pub mail_max_per_ip: u32,
    /// Email confirmation links (verification, change of address) expire
    /// after this many hours.
    pub email_confirmation_valid_hours: u64,
    /// When true, members with an unverified address cannot sign in (or
    /// use a session or API token) until they follow the mailed link. When
    /// false, they can, and the web app shows a banner asking them to.
    pub require_email_verification: bool,
    /// Mail members when someone signs in to their account from a browser
    /// it was never used from.
    pub notify_new_device: bool,
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            signup: SignupMode::Invite,
            session_idle_hours: 14 * 24,
            session_max_days: 90,
            login_window_minutes: 15,
            login_max_failures_per_account: 10,
            login_max_failures_per_ip: 100,
            invitation_valid_days: 7,
            password_reset_valid_minutes: 60,
            mail_max_per_address: 3,
            mail_max_per_ip: 20,
            email_confirmation_valid_hours: 48,
            require_email_verification: false,
            notify_new_device: true,
        }
    }
}

impl AuthSettings {
    pub fn session_policy(&self) -> SessionPolicy {
        SessionPolicy {
            idle_timeout: Duration::from_secs(self.session_idle_hours.saturating_mul(3600)),
            absolute_lifetime: Duration::from_secs(self.session_max_days.saturating_mul(86_400)),
            ..SessionPolicy::default()
        }
    }

    pub fn throttle_policy(&self) -> LoginThrottlePolicy {
        LoginThrottlePolicy {
            window: Duration::from_secs(self.login_window_minutes.saturating_mul(60)),
            max_failures_per_account: self.login_max_failures_per_account,
            max_failures_per_ip: self.login_max_failures_per_ip,
        }
    }

    /// Limits on requests that send mail, counted in the login window.
    pub fn mail_throttle_policy(&self) -> LoginThrottlePolicy {
        LoginThrottlePolicy {
            max_failures_per_account: self.mail_max_per_address,
            max_failures_per_ip: self.mail_max_per_ip,
            ..self.throttle_policy()
        }
    }

    pub fn password_reset_validity(&self) -> TimeDelta {
        TimeDelta::minutes(
            i64::try_from(self.password_reset_valid_minutes)
                .unwrap_or(i64::MAX / 60_000)
                .clamp(1, 7 * 24 * 60),
        )
    }

    pub fn email_confirmation_validity(&self) -> TimeDelta {
        TimeDelta::hours(
            i64::try_from(self.email_confirmation_valid_hours)
                .unwrap_or(i64::MAX)
                .clamp(1, 30 * 24),
        )
    }

    pub fn invitation_validity(&self) -> TimeDelta {
        TimeDelta::days(
            i64::try_from(self.invitation_valid_days)
                .unwrap_or(i64::MAX / 86_400_000)
                .min(3650),
        )
    }

    /// Settings that parse but make no sense are refused at start-up.
    pub fn validate(&self) -> Result<(), String> {
        let positive = [
            ("auth.session_idle_hours", self.session_idle_hours),
            ("auth.session_max_days", self.session_max_days),
            ("auth.login_window_minutes", self.login_window_minutes),
            (
                "auth.login_max_failures_per_account",
                u64::from(self.login_max_failures_per_account),
            ),
            (
                "auth.login_max_failures_per_ip",
                u64::from(self.login_max_failures_per_ip),
            ),
            ("auth.invitation_valid_days", self.invitation_valid_days),
        ];
        match positive.iter().find(|(_, value)| *value == 0) {
            Some((key, _)) => Err(format!("{key} must be greater than zero")),
            None => Ok(()),
        }
    }
}
