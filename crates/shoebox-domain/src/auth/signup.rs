//! Who may create an account.

use std::{fmt, str::FromStr};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SignupMode {
    /// Anyone may sign up.
    Open,
    /// Only holders of an invitation may sign up (the default).
    #[default]
    Invite,
    /// Nobody may sign up; admins create accounts.
    Closed,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown sign-up mode {0:?}; expected open, invite or closed")]
pub struct SignupModeError(pub String);

impl FromStr for SignupMode {
    type Err = SignupModeError;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        match raw {
            "open" => Ok(Self::Open),
            "invite" => Ok(Self::Invite),
            "closed" => Ok(Self::Closed),
            other => Err(SignupModeError(other.to_owned())),
        }
    }
}

impl fmt::Display for SignupMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Open => "open",
            Self::Invite => "invite",
            Self::Closed => "closed",
        })
    }
}
