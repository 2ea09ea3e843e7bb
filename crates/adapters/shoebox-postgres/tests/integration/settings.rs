//! `DatabaseSettings`: defaults, and the password never shown.

use secrecy::ExposeSecret;
use shoebox_postgres::DatabaseSettings;

#[test]
fn only_the_url_is_required() {
    let settings: DatabaseSettings = serde_json::from_str(
        r#"{"url": "postgres://shoebox@db/shoebox", "added_by_env_layering": 1}"#,
    )
    .unwrap();
    assert_eq!(
        settings.url.expose_secret(),
        "postgres://shoebox@db/shoebox"
    );
    let cpus = std::thread::available_parallelism().map_or(2, |cpus| cpus.get());
    assert_eq!(
        (settings.pool_size, settings.connect_timeout_seconds),
        (2 * cpus, 5),
        "the pool defaults to twice the CPUs"
    );
    assert!(serde_json::from_str::<DatabaseSettings>(r#"{"pool_size": 4}"#).is_err());
}

#[test]
fn debug_and_serialised_output_hide_the_password() {
    let settings = DatabaseSettings::new(
        "postgres://shoebox:s3cr3t@db:5432/shoebox?sslmode=require&password=0ther",
    );
    let expected = "postgres://shoebox:***@db:5432/shoebox?sslmode=require&password=***";
    assert_eq!(settings.redacted_url(), expected);
    let debug = format!("{settings:?}");
    assert!(debug.contains(expected), "{debug}");
    let json = serde_json::to_string(&settings).unwrap();
    assert!(json.contains(expected), "{json}");
    for output in [&debug, &json] {
        assert!(
            !output.contains("s3cr3t") && !output.contains("0ther"),
            "{output}"
        );
    }
}

#[test]
fn urls_without_a_password_are_shown_whole_and_other_formats_not_at_all() {
    assert_eq!(
        DatabaseSettings::new("postgresql://shoebox@db/shoebox").redacted_url(),
        "postgresql://shoebox@db/shoebox"
    );
    assert_eq!(
        DatabaseSettings::new("postgres:///shoebox?host=/run/postgresql").redacted_url(),
        "postgres:///shoebox?host=/run/postgresql"
    );
    assert_eq!(
        DatabaseSettings::new("host=db password=s3cr3t").redacted_url(),
        "[REDACTED]"
    );
}
