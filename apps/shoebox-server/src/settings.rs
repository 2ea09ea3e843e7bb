//! The effective configuration: built-in defaults, then the optional file named
//! by `SHOEBOX_CONFIG`, then `SHOEBOX_<SECTION>__<KEY>` environment variables
//! (and `DATABASE_URL` as an alias of `SHOEBOX_DATABASE__URL`).
//!
//! Each adapter owns the struct of its section; this module only assembles
//! them, refuses unknown keys (a typo must not silently fall back to a
//! default), and reports any problem in one line that names the key.

use std::{collections::HashMap, path::PathBuf};

use config::{Config, Environment, File};
use serde::{Deserialize, Serialize};
use shoebox_application::{
    AuthSettings, PhotoSettings, backups::BackupSettings, jobs::WorkerSettings,
    mail::InstanceSettings, privacy::PrivacySettings,
};
use shoebox_crypto::PasswordHashingSettings;
use shoebox_http::HttpSettings;
use shoebox_mail::MailSettings;
use shoebox_object_store::StorageSettings;
use shoebox_postgres::DatabaseSettings;
use shoebox_telemetry::LogSettings;

const PREFIX: &str = "SHOEBOX_";

/// Settings that are text whatever they look like: the environment source
/// would otherwise read a digits-only secret as a number (`0012345` → `12345`).
const TEXT_SETTINGS: [(&str, &str); 3] = [
    ("SHOEBOX_STORAGE__ACCESS_KEY_ID", "storage.access_key_id"),
    (
        "SHOEBOX_STORAGE__SECRET_ACCESS_KEY",
        "storage.secret_access_key",
    ),
    ("SHOEBOX_STORAGE__REGION", "storage.region"),
];

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct Settings {
    /// Required by `serve`, `migrate`, `users` and `seed`; optional otherwise.
    pub database: Option<DatabaseSettings>,
    pub http: HttpSettings,
    pub auth: AuthSettings,
    pub log: LogSettings,
    pub password_hashing: PasswordHashingSettings,
    pub storage: StorageSettings,
    pub photos: PhotoSettings,
    /// Background jobs: `shoebox worker` and `shoebox serve --with-worker`.
    pub worker: WorkerSettings,
    /// Backups (SPEC §7): retention, encryption, schedules.
    pub backup: BackupSettings,
    /// Account deletion (SPEC §8).
    pub privacy: PrivacySettings,
    /// How the instance names itself in messages.
    pub instance: InstanceSettings,
    /// Where mail goes: an SMTP server, a folder (development) or nowhere.
    pub mail: MailSettings,
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("invalid configuration: {0}")]
    Invalid(String),
    #[error(
        "invalid configuration: unknown key {key:?} (check the spelling; see `shoebox config check`)"
    )]
    UnknownKey { key: String },
    #[error(
        "invalid configuration: database.url is required (set DATABASE_URL or SHOEBOX_DATABASE__URL)"
    )]
    DatabaseMissing,
}

impl Settings {
    /// Loads from the process environment.
    pub fn load() -> Result<Self, SettingsError> {
        Self::load_from(std::env::vars())
    }

    /// Loads from the given variables instead of the process environment.
    pub fn load_from(
        vars: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, SettingsError> {
        let vars: HashMap<String, String> = vars.into_iter().collect();
        let mut builder = Config::builder();
        if let Some(path) = vars.get("SHOEBOX_CONFIG").filter(|p| !p.is_empty()) {
            builder = builder.add_source(File::from(PathBuf::from(path)).required(true));
        }
        // Only `SHOEBOX_<SECTION>__<KEY>` variables are settings; others that
        // share the prefix (SHOEBOX_CONFIG, tooling variables) are not.
        let settings_vars: config::Map<String, String> = vars
            .iter()
            .filter(|(name, _)| {
                name.strip_prefix(PREFIX)
                    .is_some_and(|rest| rest.contains("__"))
                    && !TEXT_SETTINGS.iter().any(|(var, _)| var == name)
            })
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect();
        builder = builder.add_source(
            Environment::with_prefix("SHOEBOX")
                .prefix_separator("_")
                .separator("__")
                .try_parsing(true)
                .source(Some(settings_vars)),
        );
        for (var, key) in TEXT_SETTINGS {
            if let Some(value) = vars.get(var) {
                builder = builder
                    .set_override(key, value.clone())
                    .map_err(|e| SettingsError::Invalid(e.to_string()))?;
            }
        }
        if let Some(url) = vars
            .get("DATABASE_URL")
            .filter(|_| !vars.contains_key("SHOEBOX_DATABASE__URL"))
        {
            builder = builder
                .set_override("database.url", url.clone())
                .map_err(|e| SettingsError::Invalid(e.to_string()))?;
        }
        let config = builder
            .build()
            .map_err(|e| SettingsError::Invalid(e.to_string()))?;
        let mut unknown = Vec::new();
        let settings: Settings =
            serde_ignored::deserialize(config, |path| unknown.push(path.to_string()))
                .map_err(|e: config::ConfigError| SettingsError::Invalid(e.to_string()))?;
        if let Some(key) = unknown.into_iter().next() {
            return Err(SettingsError::UnknownKey { key });
        }
        settings.validate()?;
        Ok(settings)
    }

    fn validate(&self) -> Result<(), SettingsError> {
        self.http.validate().map_err(SettingsError::Invalid)?;
        self.auth.validate().map_err(SettingsError::Invalid)?;
        self.worker.validate().map_err(SettingsError::Invalid)?;
        self.log
            .validate()
            .map_err(|e| SettingsError::Invalid(e.to_string()))?;
        if let Some(database) = &self.database {
            validate_database(database)?;
        }
        self.storage
            .validate()
            .map_err(|e| SettingsError::Invalid(e.to_string()))?;
        self.photos.validate().map_err(SettingsError::Invalid)?;
        self.backup.validate().map_err(SettingsError::Invalid)?;
        self.privacy.validate().map_err(SettingsError::Invalid)?;
        self.mail.validate().map_err(SettingsError::Invalid)?;
        Ok(())
    }

    pub fn database(&self) -> Result<&DatabaseSettings, SettingsError> {
        self.database.as_ref().ok_or(SettingsError::DatabaseMissing)
    }

    /// The effective configuration as TOML, secrets redacted.
    pub fn to_redacted_toml(&self) -> String {
        toml::to_string_pretty(self)
            .unwrap_or_else(|error| format!("# could not render the configuration: {error}\n"))
    }
}

fn validate_database(database: &DatabaseSettings) -> Result<(), SettingsError> {
    use secrecy::ExposeSecret;
    let url = database.url.expose_secret();
    if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        return Err(SettingsError::Invalid(
            "database.url must be a postgres:// URL".into(),
        ));
    }
    if database.pool_size == 0 {
        return Err(SettingsError::Invalid(
            "database.pool_size must be at least 1".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use secrecy::ExposeSecret;

    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn defaults_apply_without_any_configuration() {
        let settings = Settings::load_from(vars(&[])).unwrap();
        assert_eq!(settings.http.bind, "127.0.0.1:8080");
        assert_eq!(settings.auth.signup.to_string(), "invite");
        assert!(settings.database.is_none());
        assert!(matches!(
            settings.database(),
            Err(SettingsError::DatabaseMissing)
        ));
    }

    #[test]
    fn environment_variables_override_and_database_url_is_an_alias() {
        let settings = Settings::load_from(vars(&[
            ("SHOEBOX_HTTP__BIND", "0.0.0.0:9000"),
            ("SHOEBOX_AUTH__SIGNUP", "open"),
            ("SHOEBOX_AUTH__LOGIN_MAX_FAILURES_PER_IP", "7"),
            ("DATABASE_URL", "postgres://u:p@db/shoebox"),
            (
                "SHOEBOX_CONFIG_UNRELATED",
                "ignored because it is not SECTION__KEY",
            ),
        ]))
        .unwrap();
        assert_eq!(settings.http.bind, "0.0.0.0:9000");
        assert_eq!(settings.auth.signup.to_string(), "open");
        assert_eq!(settings.auth.login_max_failures_per_ip, 7);
        assert_eq!(
            settings.database().unwrap().url.expose_secret(),
            "postgres://u:p@db/shoebox"
        );
    }

    #[test]
    fn worker_settings_come_from_their_section() {
        let settings = Settings::load_from(vars(&[
            ("SHOEBOX_WORKER__CONCURRENCY", "8"),
            ("SHOEBOX_WORKER__SCHEDULER", "false"),
        ]))
        .unwrap();
        assert_eq!(settings.worker.concurrency, 8);
        assert!(!settings.worker.scheduler);
        assert_eq!(settings.worker.lease_seconds, 300);
        let error = Settings::load_from(vars(&[("SHOEBOX_WORKER__CONCURENCY", "8")]))
            .unwrap_err()
            .to_string();
        assert!(error.contains("worker.concurency"), "{error}");
    }

    #[test]
    fn backup_settings_come_from_their_section_recipients_as_commas() {
        let settings = Settings::load_from(vars(&[
            ("SHOEBOX_BACKUP__RECIPIENTS", "age1aaa,age1bbb"),
            ("SHOEBOX_BACKUP__RETENTION__KEEP_ALL_FOR_DAYS", "14"),
            ("SHOEBOX_BACKUP__SCHEDULED", "false"),
        ]))
        .unwrap();
        assert_eq!(settings.backup.recipients, ["age1aaa", "age1bbb"]);
        assert_eq!(settings.backup.retention.keep_all_for_days, 14);
        assert_eq!(settings.backup.retention.keep_daily_for_months, 12);
        assert!(!settings.backup.scheduled);
        for (name, value, key) in [
            (
                "SHOEBOX_BACKUP__RETENTION__KEEP_DAYS",
                "3",
                "backup.retention.keep_days",
            ),
            (
                "SHOEBOX_BACKUP__RETENTION__KEEP_ALL_FOR_DAYS",
                "0",
                "keep_all_for_days",
            ),
            (
                "SHOEBOX_BACKUP__RECIPIENTS",
                "AGE-SECRET-KEY-1QQQ",
                "backup.recipients",
            ),
        ] {
            let error = Settings::load_from(vars(&[(name, value)]))
                .unwrap_err()
                .to_string();
            assert!(error.contains(key), "{name}={value}: {error}");
            assert!(!error.contains("1QQQ"), "a secret is echoed: {error}");
        }
    }

    #[test]
    fn the_explicit_variable_wins_over_the_alias() {
        let settings = Settings::load_from(vars(&[
            ("DATABASE_URL", "postgres://alias/db"),
            ("SHOEBOX_DATABASE__URL", "postgres://explicit/db"),
        ]))
        .unwrap();
        assert_eq!(
            settings.database().unwrap().url.expose_secret(),
            "postgres://explicit/db"
        );
    }

    #[test]
    fn a_file_sits_between_defaults_and_the_environment() {
        let mut file = tempfile::Builder::new().suffix(".toml").tempfile().unwrap();
        writeln!(file, "[http]\nbind = \"127.0.0.1:7000\"\npublic_url = \"https://photos.example.org\"\n[log]\nformat = \"pretty\"").unwrap();
        let path = file.path().to_str().unwrap().to_owned();
        let settings = Settings::load_from(vars(&[
            ("SHOEBOX_CONFIG", &path),
            ("SHOEBOX_HTTP__BIND", "127.0.0.1:7001"),
        ]))
        .unwrap();
        assert_eq!(settings.http.bind, "127.0.0.1:7001");
        assert_eq!(settings.http.public_url, "https://photos.example.org");
        assert_eq!(settings.log.format, shoebox_telemetry::LogFormat::Pretty);
    }

    #[test]
    fn unknown_keys_are_refused_by_name() {
        let error = Settings::load_from(vars(&[("SHOEBOX_HTTP__BIDN", "0.0.0.0:1")]))
            .unwrap_err()
            .to_string();
        assert!(error.contains("http.bidn"), "{error}");
        assert_eq!(error.lines().count(), 1);
    }

    #[test]
    fn invalid_values_name_their_key_in_one_line() {
        for (name, value, key) in [
            ("SHOEBOX_AUTH__SIGNUP", "sometimes", "signup"),
            ("SHOEBOX_HTTP__BIND", "nowhere", "http.bind"),
            ("SHOEBOX_HTTP__WORKERS", "many", "workers"),
            (
                "SHOEBOX_AUTH__SESSION_MAX_DAYS",
                "0",
                "auth.session_max_days",
            ),
            ("SHOEBOX_WORKER__CONCURRENCY", "0", "worker.concurrency"),
            ("SHOEBOX_WORKER__LEASE_SECONDS", "soon", "lease_seconds"),
        ] {
            let error = Settings::load_from(vars(&[(name, value)]))
                .unwrap_err()
                .to_string();
            assert!(error.contains(key), "{name}={value}: {error}");
            assert_eq!(error.lines().count(), 1, "{error}");
        }
    }

    #[test]
    fn the_effective_configuration_never_shows_the_database_password() {
        let settings = Settings::load_from(vars(&[(
            "DATABASE_URL",
            "postgres://shoebox:s3cret-pw@db:5432/shoebox",
        )]))
        .unwrap();
        let rendered = settings.to_redacted_toml();
        assert!(!rendered.contains("s3cret-pw"), "{rendered}");
        assert!(
            rendered.contains("postgres://shoebox:***@db:5432/shoebox"),
            "{rendered}"
        );
        assert!(rendered.contains("[http]"));
    }
}
