//! The `[backup]` section of the configuration.

use std::path::PathBuf;

use serde::{Deserialize, Deserializer, Serialize};
use shoebox_domain::{backups::RetentionPolicy, jobs::Schedule};

/// How backups are made, kept and checked (`SHOEBOX_BACKUP__…`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
pub struct BackupSettings {
    /// How long backups are kept (`[backup.retention]`); SPEC §7's periods
    /// by default.
    pub retention: RetentionPolicy,
    /// age public keys (`age1…`); when any is set, backups are encrypted to
    /// them. A list in a file, or one comma-separated string in the
    /// environment. Only the public keys: backing up never needs the
    /// identity.
    #[serde(deserialize_with = "list_or_commas")]
    pub recipients: Vec<String>,
    /// The age identity file that opens encrypted backups, for `restore`
    /// and `verify` (the scheduled verification too). Keep it off the
    /// machines that only back up.
    pub identity_file: Option<PathBuf>,
    /// Whether the in-app scheduler makes backups and verifies them. Turn it
    /// off when Kubernetes CronJobs run `shoebox backup run` and `verify`.
    pub scheduled: bool,
    /// When the scheduler backs up (cron, UTC); a prune follows each backup.
    pub schedule: String,
    /// When the scheduler verifies the latest backup (cron, UTC).
    pub verify_schedule: String,
}

impl Default for BackupSettings {
    fn default() -> Self {
        Self {
            retention: RetentionPolicy::default(),
            recipients: Vec::new(),
            identity_file: None,
            scheduled: true,
            schedule: "0 * * * *".to_owned(),
            verify_schedule: "30 3 * * *".to_owned(),
        }
    }
}

impl BackupSettings {
    /// Refuses settings that cannot work; the message names the key.
    pub fn validate(&self) -> Result<(), String> {
        self.retention
            .validate()
            .map_err(|error| error.to_string())?;
        self.backup_schedule()?;
        self.verification_schedule()?;
        // The value itself is never echoed: a misplaced identity is a secret.
        if let Some(position) = self
            .recipients
            .iter()
            .position(|recipient| !recipient.starts_with("age1"))
        {
            return Err(format!(
                "backup.recipients: item {} is not an age public key (age1…); give public keys only, never the identity",
                position + 1
            ));
        }
        Ok(())
    }

    pub fn backup_schedule(&self) -> Result<Schedule, String> {
        Schedule::parse(&self.schedule).map_err(|error| format!("backup.schedule: {error}"))
    }

    pub fn verification_schedule(&self) -> Result<Schedule, String> {
        Schedule::parse(&self.verify_schedule)
            .map_err(|error| format!("backup.verify_schedule: {error}"))
    }
}

/// A list, or one string of comma-separated items (environment variables
/// carry no lists).
fn list_or_commas<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum ListOrText {
        List(Vec<String>),
        Text(String),
    }
    let items = match ListOrText::deserialize(deserializer)? {
        ListOrText::List(items) => items,
        ListOrText::Text(text) => text.split(',').map(str::to_owned).collect(),
    };
    Ok(items
        .into_iter()
        .map(|item| item.trim().to_owned())
        .filter(|item| !item.is_empty())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_spec_retention_hourly_backups_and_a_daily_drill() {
        let settings = BackupSettings::default();
        assert_eq!(settings.retention, RetentionPolicy::default());
        assert!(settings.validate().is_ok());
        assert!(settings.recipients.is_empty());
        assert!(settings.scheduled);
    }

    #[test]
    fn recipients_come_as_a_list_or_as_commas() {
        let from_text: BackupSettings =
            serde_json::from_value(serde_json::json!({"recipients": " age1abc , age1def,"}))
                .unwrap();
        assert_eq!(from_text.recipients, ["age1abc", "age1def"]);
        let from_list: BackupSettings =
            serde_json::from_value(serde_json::json!({"recipients": ["age1abc"]})).unwrap();
        assert_eq!(from_list.recipients, ["age1abc"]);
    }

    #[test]
    fn bad_values_are_refused_by_name() {
        let identity_as_recipient = BackupSettings {
            recipients: vec!["AGE-SECRET-KEY-1XYZ".to_owned()],
            ..BackupSettings::default()
        };
        let error = identity_as_recipient.validate().unwrap_err();
        assert!(error.contains("backup.recipients"), "{error}");
        assert!(!error.contains("1XYZ"), "the identity is echoed: {error}");
        let bad_schedule = BackupSettings {
            schedule: "hourly".to_owned(),
            ..BackupSettings::default()
        };
        assert!(
            bad_schedule
                .validate()
                .unwrap_err()
                .contains("backup.schedule")
        );
        let bad_retention = BackupSettings {
            retention: RetentionPolicy {
                keep_all_for_days: 0,
                ..RetentionPolicy::default()
            },
            ..BackupSettings::default()
        };
        assert!(
            bad_retention
                .validate()
                .unwrap_err()
                .contains("keep_all_for_days")
        );
    }
}
