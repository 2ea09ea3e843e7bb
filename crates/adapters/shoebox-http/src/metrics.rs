//! `/metrics` in the Prometheus text format. For now the backup figures of
//! SPEC §7 (read from the store, so every replica reports the same) and the
//! build; the HTTP, pool and job families come with the observability work.

use prometheus_client::{
    encoding::prometheus_text,
    metrics::gauge::{ConstGauge, Gauge},
    registry::Registry,
};
use shoebox_ports::inbound::BackupStatus;

use crate::BuildInfo;

fn gauge(registry: &mut Registry, name: &str, help: &str, value: f64) {
    let gauge = Gauge::<f64, std::sync::atomic::AtomicU64>::default();
    gauge.set(value);
    registry.register(name, help, gauge);
}

/// The text of one scrape; `backups` is `None` when the store could not be read.
pub(crate) fn render(
    build: &BuildInfo,
    backups: Option<&BackupStatus>,
) -> Result<String, std::fmt::Error> {
    let mut registry = Registry::with_prefix("shoebox");
    registry.register(
        "build_info",
        "The running build; always 1, the facts are labels",
        prometheus_client::metrics::info::Info::new(vec![
            ("version".to_owned(), build.version.clone()),
            ("git_sha".to_owned(), build.git_sha.clone()),
        ]),
    );
    registry.register(
        "backup_store_readable",
        "Whether the backups in the object store could be listed for this scrape",
        ConstGauge::new(i64::from(backups.is_some())),
    );
    if let Some(status) = backups {
        backup_figures(&mut registry, status);
    }
    let mut text = String::new();
    prometheus_text::encode(&mut text, &registry)?;
    Ok(text)
}

fn backup_figures(registry: &mut Registry, status: &BackupStatus) {
    registry.register(
        "backup_retained",
        "Complete backups kept in the store",
        ConstGauge::new(i64::try_from(status.retained).unwrap_or(i64::MAX)),
    );
    registry.register(
        "backup_incomplete",
        "Backup dumps without a manifest (running, or failed and not yet pruned)",
        ConstGauge::new(i64::try_from(status.incomplete).unwrap_or(i64::MAX)),
    );
    if let Some(last) = &status.last_success {
        gauge(
            registry,
            "backup_last_success_timestamp_seconds",
            "When the newest complete backup finished (Unix time)",
            last.finished_at.timestamp() as f64,
        );
        gauge(
            registry,
            "backup_last_duration_seconds",
            "How long the newest complete backup took",
            (last.finished_at - last.started_at).as_seconds_f64(),
        );
        gauge(
            registry,
            "backup_last_size_bytes",
            "Size of the newest complete backup in the store",
            last.size_bytes as f64,
        );
    }
    if let Some(record) = &status.last_verification {
        gauge(
            registry,
            "backup_verification_last_timestamp_seconds",
            "When the last restore drill finished (Unix time)",
            record.verified_at.timestamp() as f64,
        );
        registry.register(
            "backup_verification_last_success",
            "1 when the last restore drill matched its manifest, 0 when it failed",
            ConstGauge::new(i64::from(record.ok)),
        );
        gauge(
            registry,
            "backup_verification_last_duration_seconds",
            "How long the last restore drill took",
            record.duration_ms as f64 / 1000.0,
        );
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use chrono::{TimeZone, Utc};
    use shoebox_domain::backups::{BackupId, BackupManifest, VerificationRecord};

    use super::*;

    fn build() -> BuildInfo {
        BuildInfo {
            version: "1.2.3".into(),
            git_sha: "abc1234".into(),
            build_date: "2026-12-04".into(),
            schema_version: "20261201000000".into(),
        }
    }

    fn value(text: &str, name: &str) -> Option<f64> {
        text.lines()
            .find(|line| line.split([' ', '{']).next() == Some(name))
            .and_then(|line| line.rsplit(' ').next())
            .and_then(|value| value.parse().ok())
    }

    #[test]
    fn the_backup_figures_are_gauges_named_for_alerts() {
        let started = Utc.with_ymd_and_hms(2026, 12, 4, 6, 0, 0).unwrap();
        let id = BackupId::from_time(started);
        let manifest = BackupManifest {
            format: 1,
            id,
            started_at: started,
            finished_at: started + chrono::TimeDelta::milliseconds(2500),
            size_bytes: 4096,
            sha256: "00".repeat(32),
            app_version: "1.2.3".into(),
            schema_version: Some("20261201000000".into()),
            postgres_version: "15.8".into(),
            row_counts: BTreeMap::new(),
            encryption: None,
            dump_key: id.dump_key(),
        };
        let status = BackupStatus {
            last_success: Some(manifest),
            retained: 7,
            incomplete: 1,
            last_verification: Some(VerificationRecord {
                id,
                verified_at: started + chrono::TimeDelta::hours(1),
                ok: false,
                message: "checksum mismatch".into(),
                duration_ms: 1500,
            }),
        };
        let text = render(&build(), Some(&status)).unwrap();
        let expect = [
            ("shoebox_backup_store_readable", 1.0),
            ("shoebox_backup_retained", 7.0),
            ("shoebox_backup_incomplete", 1.0),
            (
                "shoebox_backup_last_success_timestamp_seconds",
                (started.timestamp() + 2) as f64,
            ),
            ("shoebox_backup_last_duration_seconds", 2.5),
            ("shoebox_backup_last_size_bytes", 4096.0),
            (
                "shoebox_backup_verification_last_timestamp_seconds",
                (started.timestamp() + 3600) as f64,
            ),
            ("shoebox_backup_verification_last_success", 0.0),
            ("shoebox_backup_verification_last_duration_seconds", 1.5),
        ];
        for (name, expected) in expect {
            assert_eq!(value(&text, name), Some(expected), "{name} in\n{text}");
        }
        assert!(
            text.contains("# TYPE shoebox_backup_retained gauge"),
            "{text}"
        );
        assert!(text.contains("version=\"1.2.3\""), "{text}");
    }

    #[test]
    fn an_unreadable_store_says_so_and_invents_nothing() {
        let text = render(&build(), None).unwrap();
        assert_eq!(value(&text, "shoebox_backup_store_readable"), Some(0.0));
        assert_eq!(value(&text, "shoebox_backup_retained"), None);
        let empty = render(&build(), Some(&BackupStatus::default())).unwrap();
        assert_eq!(value(&empty, "shoebox_backup_retained"), Some(0.0));
        assert_eq!(
            value(&empty, "shoebox_backup_last_success_timestamp_seconds"),
            None,
            "no backup yet: the alert's absent() fires, not a timestamp of 0"
        );
    }
}
