use secrecy::ExposeSecret;

use super::*;

fn s3(url: &str) -> StorageSettings {
    StorageSettings {
        endpoint: Some("http://127.0.0.1:9000".into()),
        access_key_id: Some("AKIDEXAMPLE".into()),
        secret_access_key: Some("wJalrXUtnFEMI-very-secret".into()),
        path_style: true,
        ..StorageSettings::new(url)
    }
}

#[test]
fn the_default_is_a_directory_under_the_working_directory() {
    let settings = StorageSettings::default();
    assert_eq!(settings.url, "file://./data/objects");
    assert_eq!(
        settings.backend().unwrap(),
        Backend::Local {
            directory: PathBuf::from("./data/objects"),
            fsync: true,
        }
    );
}

#[test]
fn each_scheme_parses_into_its_backend() {
    assert_eq!(
        StorageSettings::new("file:///var/lib/shoebox")
            .backend()
            .unwrap(),
        Backend::Local {
            directory: PathBuf::from("/var/lib/shoebox"),
            fsync: true,
        }
    );
    assert_eq!(
        StorageSettings::new("memory://").backend().unwrap(),
        Backend::Memory
    );
    assert_eq!(
        s3("s3://photos-1.example").backend().unwrap(),
        Backend::S3 {
            bucket: "photos-1.example".into(),
            endpoint: Some("http://127.0.0.1:9000".into()),
            region: "us-east-1".into(),
        }
    );
    let aws = StorageSettings {
        region: Some("eu-west-3".into()),
        ..StorageSettings::new("s3://photos")
    };
    assert_eq!(
        aws.backend().unwrap(),
        Backend::S3 {
            bucket: "photos".into(),
            endpoint: None,
            region: "eu-west-3".into(),
        }
    );
}

fn error_of(settings: &StorageSettings) -> String {
    let error = settings.validate().unwrap_err().to_string();
    assert_eq!(error.lines().count(), 1, "{error}");
    error
}

#[test]
fn bad_urls_are_refused_naming_the_key() {
    for (url, expected) in [
        ("", "must start with file://, memory:// or s3://"),
        ("/var/lib/shoebox", "must start with file://"),
        ("gs://bucket", "must start with file://"),
        ("file://", "names no directory"),
        ("memory://x", "nothing may follow memory://"),
        ("s3://", "3 to 63 characters"),
        ("s3://ab", "3 to 63 characters"),
        ("s3://bucket/prefix", "without a path"),
        ("s3://Photos", "lowercase letters"),
        ("s3://-photos", "starts and ends"),
        ("s3://pho..tos", "adjacent dots"),
    ] {
        let error = error_of(&StorageSettings::new(url));
        assert!(error.starts_with("storage.url"), "{url}: {error}");
        assert!(error.contains(expected), "{url}: {error}");
    }
}

#[test]
fn s3_keys_are_refused_for_other_stores() {
    for (settings, key) in [
        (
            StorageSettings {
                endpoint: Some("http://x".into()),
                ..StorageSettings::new("memory://")
            },
            "storage.endpoint",
        ),
        (
            StorageSettings {
                region: Some("us-east-1".into()),
                ..StorageSettings::new("file:///tmp/x")
            },
            "storage.region",
        ),
        (
            StorageSettings {
                secret_access_key: Some("s".into()),
                ..StorageSettings::new("file:///tmp/x")
            },
            "storage.secret_access_key",
        ),
        (
            StorageSettings {
                path_style: true,
                ..StorageSettings::new("memory://")
            },
            "storage.path_style",
        ),
    ] {
        let error = error_of(&settings);
        assert!(error.starts_with(key), "{error}");
        assert!(error.contains("only applies to s3://"), "{error}");
    }
}

#[test]
fn s3_settings_are_checked() {
    let bad_endpoint = StorageSettings {
        endpoint: Some("127.0.0.1:9000".into()),
        ..s3("s3://photos")
    };
    assert!(error_of(&bad_endpoint).starts_with("storage.endpoint"));
    let credentials_in_endpoint = StorageSettings {
        endpoint: Some("http://user:pw@127.0.0.1:9000".into()),
        ..s3("s3://photos")
    };
    let error = error_of(&credentials_in_endpoint);
    assert!(error.starts_with("storage.endpoint"), "{error}");
    let half_credentials = StorageSettings {
        secret_access_key: None,
        ..s3("s3://photos")
    };
    assert!(error_of(&half_credentials).contains("must be set together"));
    let empty_region = StorageSettings {
        region: Some(" ".into()),
        ..s3("s3://photos")
    };
    assert!(error_of(&empty_region).starts_with("storage.region"));
}

#[test]
fn settings_deserialize_from_a_config_section() {
    let settings: StorageSettings = toml::from_str(
        r#"
        url = "s3://photos"
        endpoint = "https://s3.example.org"
        region = "fr-par"
        access_key_id = "AKID"
        secret_access_key = "very-secret"
        path_style = true
        "#,
    )
    .unwrap();
    assert_eq!(settings.url, "s3://photos");
    assert_eq!(settings.endpoint.as_deref(), Some("https://s3.example.org"));
    assert_eq!(settings.effective_region(), "fr-par");
    assert_eq!(
        settings.secret_access_key.as_ref().unwrap().expose_secret(),
        "very-secret"
    );
    assert!(settings.path_style);

    let defaults: StorageSettings = toml::from_str("").unwrap();
    assert_eq!(defaults.url, DEFAULT_URL);
    assert_eq!(defaults.effective_region(), DEFAULT_REGION);
    assert!(!defaults.path_style);
}

#[test]
fn credentials_never_show_in_debug_or_serialized_output() {
    let settings = s3("s3://photos");
    let debug = format!("{settings:?}");
    let rendered = toml::to_string(&settings).unwrap();
    for output in [&debug, &rendered] {
        assert!(!output.contains("AKIDEXAMPLE"), "{output}");
        assert!(!output.contains("very-secret"), "{output}");
        assert!(output.contains("***"), "{output}");
        assert!(output.contains("s3://photos"), "{output}");
    }
    // What `shoebox config check` prints reads back as settings.
    let back: StorageSettings = toml::from_str(&rendered).unwrap();
    assert_eq!(back.endpoint, settings.endpoint);
    assert!(back.path_style);
}

#[test]
fn unset_keys_are_left_out_of_serialized_output() {
    let rendered = toml::to_string(&StorageSettings::default()).unwrap();
    assert_eq!(
        rendered,
        "url = \"file://./data/objects\"\npath_style = false\nfsync = true\n"
    );
}

#[test]
fn fsync_can_be_turned_off_for_a_local_directory_only() {
    let unsynced = StorageSettings {
        fsync: false,
        ..StorageSettings::new("file:///srv/objects")
    };
    assert_eq!(
        unsynced.backend().unwrap(),
        Backend::Local {
            directory: PathBuf::from("/srv/objects"),
            fsync: false,
        }
    );
    for url in ["memory://", "s3://photos"] {
        let settings = StorageSettings {
            fsync: false,
            ..StorageSettings::new(url)
        };
        assert_eq!(
            error_of(&settings),
            "storage.fsync only applies to file:// URLs"
        );
    }
}

/// The server's `[storage]` section, loaded the way it loads every section:
/// `SHOEBOX_<SECTION>__<KEY>` variables, values parsed as numbers and
/// booleans where they look like them, unknown keys reported by name.
fn load_section(variables: &[(&str, &str)]) -> Result<StorageSettings, String> {
    #[derive(Deserialize)]
    struct Root {
        #[serde(default)]
        storage: StorageSettings,
    }
    let variables: config::Map<String, String> = variables
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect();
    let config = config::Config::builder()
        .add_source(
            config::Environment::with_prefix("SHOEBOX")
                .prefix_separator("_")
                .separator("__")
                .try_parsing(true)
                .source(Some(variables)),
        )
        .build()
        .map_err(|error| error.to_string())?;
    let mut unknown = Vec::new();
    let root: Root = serde_ignored::deserialize(config, |path| unknown.push(path.to_string()))
        .map_err(|error: config::ConfigError| error.to_string())?;
    match unknown.first() {
        Some(key) => Err(format!("unknown key {key}")),
        None => Ok(root.storage),
    }
}

#[test]
fn the_section_embeds_in_the_layered_configuration() {
    let settings = load_section(&[
        ("SHOEBOX_STORAGE__URL", "s3://photos"),
        ("SHOEBOX_STORAGE__ENDPOINT", "http://127.0.0.1:9000"),
        ("SHOEBOX_STORAGE__REGION", "eu-central-1"),
        ("SHOEBOX_STORAGE__ACCESS_KEY_ID", "AKIA0012345"),
        ("SHOEBOX_STORAGE__SECRET_ACCESS_KEY", "s3cret/with+symbols="),
        ("SHOEBOX_STORAGE__PATH_STYLE", "true"),
    ])
    .unwrap();
    assert_eq!(settings.url, "s3://photos");
    assert_eq!(settings.effective_region(), "eu-central-1");
    assert!(settings.path_style);
    assert_eq!(
        settings.secret_access_key.as_ref().unwrap().expose_secret(),
        "s3cret/with+symbols="
    );
    assert_eq!(
        settings.access_key_id.as_ref().unwrap().expose_secret(),
        "AKIA0012345"
    );
    settings.validate().unwrap();

    let defaults = load_section(&[]).unwrap();
    assert_eq!(defaults.url, DEFAULT_URL);
    assert!(defaults.fsync);
    let unsynced = load_section(&[("SHOEBOX_STORAGE__FSYNC", "false")]).unwrap();
    assert!(!unsynced.fsync);
    assert_eq!(
        load_section(&[("SHOEBOX_STORAGE__BUCKET", "photos")]).unwrap_err(),
        "unknown key storage.bucket"
    );
}
