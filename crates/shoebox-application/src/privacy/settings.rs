//! The `[privacy]` section of the configuration.

use serde::{Deserialize, Serialize};
use shoebox_domain::privacy::DeletionPolicy;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
pub struct PrivacySettings {
    /// Days between a deletion request and the erasure, during which the
    /// member may cancel (SPEC §8); 0 erases at once.
    pub deletion_grace_days: u32,
}

impl Default for PrivacySettings {
    fn default() -> Self {
        Self {
            deletion_grace_days: 7,
        }
    }
}

impl PrivacySettings {
    /// Refuses settings that cannot work; the message names the key.
    pub fn validate(&self) -> Result<(), String> {
        if self.deletion_grace_days > 365 {
            return Err("privacy.deletion_grace_days must be at most 365".into());
        }
        Ok(())
    }

    pub fn deletion_policy(&self) -> DeletionPolicy {
        DeletionPolicy::with_grace_days(self.deletion_grace_days)
    }
}
