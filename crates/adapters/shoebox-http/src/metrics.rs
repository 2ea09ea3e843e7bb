//! `/metrics` in the Prometheus text format (SPEC §10): HTTP requests and
//! their latency by route pattern, method and status (recorded by the
//! request middleware), panics, the database pool, the job queue, stored
//! bytes, the backup figures of SPEC §7 (read from the store, so every
//! replica reports the same) and the build.

use prometheus_client::{
    encoding::{EncodeLabelSet, prometheus_text},
    metrics::{
        counter::{ConstCounter, Counter},
        family::Family,
        gauge::{ConstGauge, Gauge},
        histogram::{Histogram, exponential_buckets},
    },
    registry::Registry,
};
use shoebox_ports::inbound::{BackupStatus, OperationalFigures};

use crate::BuildInfo;

/// One request's labels: the route *pattern* (bounded: raw paths would
/// grow without limit and can hold share-link tokens), method and status.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    method: String,
    status: u16,
}

fn latency_histogram() -> Histogram {
    // 5 ms to about 20 s.
    Histogram::new(exponential_buckets(0.005, 2.0, 13))
}

type LatencyFamily = Family<RequestLabels, Histogram, fn() -> Histogram>;

/// The HTTP figures of this process, shared by every worker thread (clones
/// share the counters).
#[derive(Debug, Clone)]
pub struct HttpMetrics {
    requests: Family<RequestLabels, Counter>,
    latency: LatencyFamily,
}

impl Default for HttpMetrics {
    fn default() -> Self {
        Self {
            requests: Family::default(),
            latency: Family::new_with_constructor(latency_histogram),
        }
    }
}

/// The methods HTTP defines; anything else is counted as `other`.
const METHODS: [&str; 9] = [
    "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT",
];

impl HttpMetrics {
    /// Counts one answered request. `route` is the matched pattern, or a fixed
    /// word for requests no route matched.
    pub fn record(&self, route: &str, method: &str, status: u16, seconds: f64) {
        let method = METHODS
            .iter()
            .find(|known| **known == method)
            .map_or("other", |known| known);
        let labels = RequestLabels {
            route: route.to_owned(),
            method: method.to_owned(),
            status,
        };
        self.requests.get_or_create(&labels).inc();
        self.latency.get_or_create(&labels).observe(seconds);
    }
}

fn gauge(registry: &mut Registry, name: &str, help: &str, value: f64) {
    let gauge = Gauge::<f64, std::sync::atomic::AtomicU64>::default();
    gauge.set(value);
    registry.register(name, help, gauge);
}

fn count(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

/// What one scrape shows.
#[derive(Debug)]
pub(crate) struct Scrape<'a> {
    pub build: &'a BuildInfo,
    pub http: &'a HttpMetrics,
    pub panics: u64,
    pub figures: &'a OperationalFigures,
    /// `None` when the store could not be read.
    pub backups: Option<&'a BackupStatus>,
}

/// The text of one scrape.
pub(crate) fn render(scrape: &Scrape<'_>) -> Result<String, std::fmt::Error> {
    let mut registry = Registry::with_prefix("shoebox");
    // A gauge of 1 with the facts as labels (the Prometheus convention; the
    // OpenMetrics `info` type is not read by every tool, promtool included).
    let build_info = Family::<Vec<(String, String)>, Gauge>::default();
    build_info
        .get_or_create(&vec![
            ("version".to_owned(), scrape.build.version.clone()),
            ("git_sha".to_owned(), scrape.build.git_sha.clone()),
            (
                "schema_version".to_owned(),
                scrape.build.schema_version.clone(),
            ),
        ])
        .set(1);
    registry.register(
        "build_info",
        "The running build; always 1, the facts are labels",
        build_info,
    );
    registry.register(
        "http_requests",
        "HTTP requests answered, by route pattern, method and status",
        scrape.http.requests.clone(),
    );
    registry.register(
        "http_request_duration_seconds",
        "Time from a request's arrival to its response, by route pattern, method and status",
        scrape.http.latency.clone(),
    );
    registry.register(
        "panics",
        "Panics in this process since it started (handlers, jobs, anything)",
        ConstCounter::new(scrape.panics),
    );
    system_figures(&mut registry, scrape.figures);
    registry.register(
        "backup_store_readable",
        "Whether the backups in the object store could be listed for this scrape",
        ConstGauge::new(i64::from(scrape.backups.is_some())),
    );
    if let Some(status) = scrape.backups {
        backup_figures(&mut registry, status);
    }
    let mut text = String::new();
    prometheus_text::encode(&mut text, &registry)?;
    Ok(text)
}

fn system_figures(registry: &mut Registry, figures: &OperationalFigures) {
    let pool = figures.pool;
    let pool_gauges = [
        (
            "db_pool_connections",
            "Database connections open (in use or idle)",
            pool.size,
        ),
        (
            "db_pool_idle_connections",
            "Database connections idle in the pool",
            pool.idle,
        ),
        (
            "db_pool_max_connections",
            "The most connections the pool opens",
            pool.max_size,
        ),
        (
            "db_pool_waiting",
            "Callers waiting for a database connection",
            pool.waiting,
        ),
    ];
    for (name, help, value) in pool_gauges {
        registry.register(name, help, ConstGauge::new(count(value)));
    }
    registry.register(
        "jobs_readable",
        "Whether the job queue could be read for this scrape",
        ConstGauge::new(i64::from(figures.jobs.is_some())),
    );
    if let Some(overview) = &figures.jobs {
        let counts = overview.counts;
        let by_state = Family::<[(&'static str, &'static str); 1], Gauge>::default();
        for (state, value) in [
            ("queued", counts.queued),
            ("running", counts.running),
            ("failed", counts.failed),
            ("dead", counts.dead),
            ("succeeded", counts.succeeded),
            ("cancelled", counts.cancelled),
        ] {
            by_state
                .get_or_create(&[("state", state)])
                .set(count(value));
        }
        registry.register(
            "jobs",
            "Background jobs by state (queued and failed are the queue depth)",
            by_state,
        );
        gauge(
            registry,
            "jobs_oldest_due_age_seconds",
            "How long the oldest due, unclaimed job has waited (0 when none waits)",
            overview.oldest_due_age.map_or(0.0, |age| age.as_secs_f64()),
        );
    }
    if let Some(bytes) = figures.stored_bytes {
        registry.register(
            "storage_bytes",
            "Bytes of photos (originals and variants) in the object store, as recorded",
            ConstGauge::new(count(bytes)),
        );
    }
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

    fn scrape_text(backups: Option<&BackupStatus>) -> String {
        scrape_with(
            &HttpMetrics::default(),
            &OperationalFigures::default(),
            backups,
        )
    }

    fn scrape_with(
        http: &HttpMetrics,
        figures: &OperationalFigures,
        backups: Option<&BackupStatus>,
    ) -> String {
        render(&Scrape {
            build: &build(),
            http,
            panics: 2,
            figures,
            backups,
        })
        .unwrap()
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
        let text = scrape_text(Some(&status));
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
        let text = scrape_text(None);
        assert_eq!(value(&text, "shoebox_backup_store_readable"), Some(0.0));
        assert_eq!(value(&text, "shoebox_backup_retained"), None);
        let empty = scrape_text(Some(&BackupStatus::default()));
        assert_eq!(value(&empty, "shoebox_backup_retained"), Some(0.0));
        assert_eq!(
            value(&empty, "shoebox_backup_last_success_timestamp_seconds"),
            None,
            "no backup yet: the alert's absent() fires, not a timestamp of 0"
        );
    }

    #[test]
    fn requests_are_counted_by_route_pattern_method_and_status() {
        let http = HttpMetrics::default();
        http.record("/api/v1/albums/{id}", "GET", 200, 0.012);
        http.record("/api/v1/albums/{id}", "GET", 200, 0.030);
        http.record("unmatched", "BREW", 404, 0.001);
        let text = scrape_with(&http, &OperationalFigures::default(), None);
        assert!(
            text.contains(
                "shoebox_http_requests_total{route=\"/api/v1/albums/{id}\",method=\"GET\",status=\"200\"} 2"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "shoebox_http_requests_total{route=\"unmatched\",method=\"other\",status=\"404\"} 1"
            ),
            "unknown methods are one label value: {text}"
        );
        assert!(
            text.contains("shoebox_http_request_duration_seconds_bucket{route=\"/api/v1/albums/{id}\",method=\"GET\",status=\"200\",le=\"0.02\"} 1"),
            "{text}"
        );
        assert_eq!(value(&text, "shoebox_panics_total"), Some(2.0));
    }

    #[test]
    fn pool_jobs_and_storage_figures_are_gauges() {
        use shoebox_domain::jobs::{JobCounts, JobOverview};
        use shoebox_ports::outbound::PoolStatus;

        let figures = OperationalFigures {
            pool: PoolStatus {
                size: 4,
                idle: 1,
                max_size: 16,
                waiting: 2,
            },
            jobs: Some(JobOverview {
                counts: JobCounts {
                    queued: 5,
                    dead: 1,
                    ..JobCounts::default()
                },
                oldest_due_age: Some(std::time::Duration::from_secs(90)),
            }),
            stored_bytes: Some(123_456),
        };
        let text = scrape_with(&HttpMetrics::default(), &figures, None);
        for (name, expected) in [
            ("shoebox_db_pool_connections", 4.0),
            ("shoebox_db_pool_idle_connections", 1.0),
            ("shoebox_db_pool_max_connections", 16.0),
            ("shoebox_db_pool_waiting", 2.0),
            ("shoebox_jobs_readable", 1.0),
            ("shoebox_jobs_oldest_due_age_seconds", 90.0),
            ("shoebox_storage_bytes", 123_456.0),
        ] {
            assert_eq!(value(&text, name), Some(expected), "{name} in\n{text}");
        }
        assert!(text.contains("shoebox_jobs{state=\"queued\"} 5"), "{text}");
        assert!(text.contains("shoebox_jobs{state=\"dead\"} 1"), "{text}");

        let unreadable = scrape_with(
            &HttpMetrics::default(),
            &OperationalFigures::default(),
            None,
        );
        assert_eq!(value(&unreadable, "shoebox_jobs_readable"), Some(0.0));
        assert_eq!(value(&unreadable, "shoebox_storage_bytes"), None);
    }
}
