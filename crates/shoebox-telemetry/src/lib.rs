//! # shoebox-telemetry
//!
//! How every Shoebox process reports what it does. Logs are `tracing` events:
//! JSON lines in production (one object per line with timestamp, level,
//! target, message and the fields of the enclosing spans, such as the request
//! id, so Loki can index them), human-readable lines in development.
//!
//! When `OTEL_EXPORTER_OTLP_ENDPOINT` is set, spans (requests, use cases,
//! database calls) are also exported as OpenTelemetry traces over OTLP
//! (HTTP/protobuf to `$OTEL_EXPORTER_OTLP_ENDPOINT/v1/traces`; the standard
//! `OTEL_*` variables apply, such as `OTEL_BSP_SCHEDULE_DELAY`).
//!
//! Architecture Invariant: this crate depends on no other Shoebox crate; any
//! crate may depend on it to emit telemetry. It never decides *what* to log,
//! only *how*, and secrets never reach it because their types redact
//! themselves (`secrecy`, redacting `Debug` impls in the domain).

use std::{
    io,
    sync::{
        Once, OnceLock,
        atomic::{AtomicU64, Ordering},
    },
};

use opentelemetry::trace::TracerProvider as _;
use opentelemetry_sdk::trace::{SdkTracer, SdkTracerProvider};
use tracing_opentelemetry::OpenTelemetryLayer;
use tracing_subscriber::registry::LookupSpan;

use tracing_subscriber::{
    EnvFilter, fmt::MakeWriter, layer::SubscriberExt, util::SubscriberInitExt,
};

/// `[log]`, `SHOEBOX_LOG__*`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct LogSettings {
    pub format: LogFormat,
    /// A `tracing` filter such as `info` or `shoebox=debug,actix_web=info`.
    /// `RUST_LOG`, when set, takes precedence.
    pub level: String,
}

impl Default for LogSettings {
    fn default() -> Self {
        Self {
            format: LogFormat::Json,
            level: "info".into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Json,
    Pretty,
}

impl LogSettings {
    fn filter(&self) -> anyhow::Result<EnvFilter> {
        let directives = std::env::var("RUST_LOG")
            .ok()
            .filter(|v| !v.trim().is_empty());
        let directives = directives.as_deref().unwrap_or(&self.level);
        EnvFilter::try_new(directives).map_err(|error| {
            anyhow::anyhow!("log.level {directives:?} is not a valid filter: {error}")
        })
    }

    /// Checks the filter without installing anything (for `shoebox config check`).
    pub fn validate(&self) -> anyhow::Result<()> {
        self.filter().map(drop)
    }
}

/// Panics of this process so far. A process-wide count because the panic
/// hook is process-wide too; `/metrics` reports it as `shoebox_panics_total`.
static PANICS: AtomicU64 = AtomicU64::new(0);
static PANIC_HOOK: Once = Once::new();

/// How many panics this process has seen since [`init`] installed the hook.
pub fn panics() -> u64 {
    PANICS.load(Ordering::Relaxed)
}

/// Counts every panic and logs it as one `error` event with target
/// `shoebox::panic` (the Loki rule for panics matches it), instead of the
/// default hook's plain text, which would break the JSON lines.
fn install_panic_hook() {
    PANIC_HOOK.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            PANICS.fetch_add(1, Ordering::Relaxed);
            let payload = info
                .payload()
                .downcast_ref::<&str>()
                .map(|text| (*text).to_owned())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(no message)".to_owned());
            let location = info
                .location()
                .map(|location| format!("{}:{}", location.file(), location.line()))
                .unwrap_or_default();
            tracing::error!(target: "shoebox::panic", panic = %payload, location = %location, "panic");
        }));
    });
}

/// Installs the global subscriber, writing to standard error, and the panic hook.
pub fn init(settings: &LogSettings) -> anyhow::Result<()> {
    install(settings, io::stderr)?;
    install_panic_hook();
    Ok(())
}

/// The standard variable that turns trace export on.
pub const OTLP_ENDPOINT_VARIABLE: &str = "OTEL_EXPORTER_OTLP_ENDPOINT";

/// The tracer provider, kept for [`shutdown`] (it flushes what is batched).
static TRACER_PROVIDER: OnceLock<SdkTracerProvider> = OnceLock::new();

/// The OpenTelemetry layer when `OTEL_EXPORTER_OTLP_ENDPOINT` is set.
fn trace_layer<S>() -> anyhow::Result<Option<OpenTelemetryLayer<S, SdkTracer>>>
where
    S: tracing::Subscriber + for<'span> LookupSpan<'span>,
{
    let endpoint = std::env::var(OTLP_ENDPOINT_VARIABLE)
        .ok()
        .filter(|value| !value.trim().is_empty());
    let Some(endpoint) = endpoint else {
        return Ok(None);
    };
    url_is_http(&endpoint)?;
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .build()
        .map_err(|error| {
            anyhow::anyhow!("{OTLP_ENDPOINT_VARIABLE}: could not set up the OTLP exporter: {error}")
        })?;
    let provider = SdkTracerProvider::builder()
        .with_batch_exporter(exporter)
        .with_resource(
            opentelemetry_sdk::Resource::builder()
                .with_service_name("shoebox")
                .build(),
        )
        .build();
    let tracer = provider.tracer("shoebox");
    let _ = TRACER_PROVIDER.set(provider);
    Ok(Some(tracing_opentelemetry::layer().with_tracer(tracer)))
}

/// A clear error for an endpoint that is not an `http(s)://` URL.
fn url_is_http(endpoint: &str) -> anyhow::Result<()> {
    if endpoint.starts_with("http://") || endpoint.starts_with("https://") {
        Ok(())
    } else {
        anyhow::bail!(
            "{OTLP_ENDPOINT_VARIABLE} must be an http:// or https:// URL, not {endpoint:?}"
        )
    }
}

/// Exports the spans still batched; call before the process exits.
pub fn shutdown() {
    if let Some(provider) = TRACER_PROVIDER.get() {
        let _ = provider.shutdown();
    }
}

/// Installs the global subscriber with any writer (tests capture output this way).
pub fn install<W>(settings: &LogSettings, writer: W) -> anyhow::Result<()>
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    let filter = settings.filter()?;
    let registry = tracing_subscriber::registry()
        .with(filter)
        .with(trace_layer()?);
    let result = match settings.format {
        LogFormat::Json => registry
            .with(
                tracing_subscriber::fmt::layer()
                    .json()
                    .flatten_event(true)
                    .with_current_span(true)
                    .with_span_list(false)
                    .with_writer(writer),
            )
            .try_init(),
        LogFormat::Pretty => registry
            .with(
                tracing_subscriber::fmt::layer()
                    .with_target(false)
                    .with_writer(writer),
            )
            .try_init(),
    };
    result.map_err(|error| anyhow::anyhow!("could not install the log subscriber: {error}"))
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl io::Write for Captured {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn json_lines_carry_level_target_message_and_span_fields() {
        let captured = Captured::default();
        let writer = captured.clone();
        let settings = LogSettings {
            format: LogFormat::Json,
            level: "info".into(),
        };
        install(&settings, move || writer.clone()).unwrap();

        let span = tracing::info_span!("request", request_id = "req-123", route = "/healthz");
        span.in_scope(|| tracing::info!(status = 200, "request completed"));
        tracing::debug!("filtered out at info level");

        let output = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
        let lines: Vec<&str> = output.lines().collect();
        assert_eq!(lines.len(), 1, "{output}");
        let line: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
        assert_eq!(line["level"], "INFO");
        assert_eq!(line["message"], "request completed");
        assert_eq!(line["status"], 200);
        assert_eq!(line["span"]["request_id"], "req-123");
        assert_eq!(line["span"]["route"], "/healthz");
        assert!(line["timestamp"].is_string());
        assert!(line["target"].is_string());
    }

    #[test]
    fn panics_are_counted_once_the_hook_is_installed() {
        install_panic_hook();
        let before = panics();
        // The hook logs on the panicking thread: a thread-local subscriber
        // that drops everything keeps the event out of the other tests' capture.
        let outcome =
            tracing::subscriber::with_default(tracing::subscriber::NoSubscriber::default(), || {
                std::panic::catch_unwind(|| panic!("on purpose"))
            });
        assert!(outcome.is_err());
        assert_eq!(panics(), before + 1);
    }

    #[test]
    fn an_endpoint_must_be_an_http_url() {
        assert!(url_is_http("http://127.0.0.1:4318").is_ok());
        let error = url_is_http("127.0.0.1:4318").unwrap_err().to_string();
        assert!(error.contains(OTLP_ENDPOINT_VARIABLE), "{error}");
    }

    #[test]
    fn an_invalid_level_is_a_clear_error() {
        let settings = LogSettings {
            format: LogFormat::Pretty,
            level: "info,[".into(),
        };
        let error = settings.validate().unwrap_err().to_string();
        assert!(error.contains("log.level"), "{error}");
    }
}
