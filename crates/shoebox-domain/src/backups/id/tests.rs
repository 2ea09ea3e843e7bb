use chrono::TimeZone;
use proptest::prelude::*;

use super::*;

fn id(text: &str) -> BackupId {
    text.parse().expect("a test id")
}

#[test]
fn an_id_names_the_second_a_backup_started() {
    let time = DateTime::parse_from_rfc3339("2026-12-03T14:00:05.678Z")
        .expect("a test time")
        .with_timezone(&Utc);
    let backup = BackupId::from_time(time);
    assert_eq!(backup.to_string(), "20261203T140005Z");
    assert_eq!(
        backup.started_at(),
        Utc.with_ymd_and_hms(2026, 12, 3, 14, 0, 5).unwrap()
    );
    assert_eq!("20261203T140005Z".parse::<BackupId>(), Ok(backup));
    assert_eq!(
        serde_json::to_string(&backup).unwrap(),
        "\"20261203T140005Z\""
    );
    assert_eq!(
        serde_json::from_str::<BackupId>("\"20261203T140005Z\"").unwrap(),
        backup
    );
    assert!(id("20261203T235959Z") < id("20261204T000000Z"));
}

#[test]
fn anything_else_is_refused_with_the_expected_format() {
    for bad in [
        "",
        "2026-12-03T14:00:05Z",
        "20261203T140005",
        "20261203t140005Z",
        "20261303T140005Z",
        "20260230T140005Z",
        "20261203T240000Z",
        "20261203T235960Z",
        "20261203T140005Z ",
        " 20261203T140005Z",
        "+20261203T140005Z",
        "+2026120T140005Z",
        "2026120 T140005Z",
        "20261203T14 005Z",
        "２0261203T140005Z",
    ] {
        let error = bad.parse::<BackupId>().unwrap_err();
        assert_eq!(error, InvalidBackupId(bad.to_owned()));
        assert!(error.to_string().contains("YYYYMMDDTHHMMSSZ"), "{error}");
    }
    let error = serde_json::from_str::<BackupId>("\"latest\"").unwrap_err();
    assert!(error.to_string().contains("YYYYMMDDTHHMMSSZ"), "{error}");
}

#[test]
fn the_three_keys_sit_in_the_date_folders_of_the_id() {
    let backup = id("20240229T235959Z");
    assert_eq!(
        backup.dump_key(),
        "backups/2024/02/29/20240229T235959Z.dump"
    );
    assert_eq!(
        backup.manifest_key(),
        "backups/2024/02/29/20240229T235959Z.manifest.json"
    );
    assert_eq!(
        backup.verification_key(),
        "backups/2024/02/29/20240229T235959Z.verification.json"
    );
    assert!(backup.dump_key().starts_with(BACKUP_PREFIX));
    for kind in BackupObjectKind::ALL {
        assert_eq!(BackupId::from_key(&backup.key(kind)), Some((backup, kind)));
    }
}

#[test]
fn other_keys_are_not_backups() {
    for key in [
        "",
        "backups/",
        // The date folders disagree with the id.
        "backups/2026/12/04/20261203T140005Z.dump",
        "backups/2025/12/03/20261203T140005Z.manifest.json",
        "backups/2026/12/3/20261203T140005Z.dump",
        "backups/20261203T140005Z.dump",
        "backups/2026/12/03/extra/20261203T140005Z.dump",
        "/backups/2026/12/03/20261203T140005Z.dump",
        "users/2026/12/03/20261203T140005Z.dump",
        // Unknown or doubled suffixes, a bad id.
        "backups/2026/12/03/20261203T140005Z.sql",
        "backups/2026/12/03/20261203T140005Z.dump.manifest.json",
        "backups/2026/12/03/20261203T140005Z.manifest",
        "backups/2026/12/03/20261203T140005Z",
        "backups/2026/12/03/20261203T140099Z.dump",
    ] {
        assert_eq!(BackupId::from_key(key), None, "{key}");
    }
}

proptest! {
    #[test]
    fn every_second_round_trips_through_text_and_keys(
        seconds in 0_i64..253_402_300_800, // 1970 to the end of 9999
        nanos in 0_u32..1_000_000_000,
    ) {
        let time = Utc.timestamp_opt(seconds, nanos).unwrap();
        let backup = BackupId::from_time(time);
        prop_assert_eq!(backup.started_at().timestamp(), seconds);
        prop_assert_eq!(backup.to_string().parse::<BackupId>(), Ok(backup));
        for kind in BackupObjectKind::ALL {
            prop_assert_eq!(BackupId::from_key(&backup.key(kind)), Some((backup, kind)));
        }
    }

    /// One character of a valid id changed: whatever still parses prints back
    /// unchanged, so two texts never name the same backup.
    #[test]
    fn a_text_that_parses_is_exactly_what_display_writes(
        seconds in 0_i64..253_402_300_800,
        position in 0_usize..16,
        replacement in proptest::sample::select(b"0123456789TZ +-".to_vec()),
    ) {
        let mut text = BackupId::from_time(Utc.timestamp_opt(seconds, 0).unwrap())
            .to_string()
            .into_bytes();
        text[position] = replacement;
        let text = String::from_utf8(text).unwrap();
        if let Ok(backup) = text.parse::<BackupId>() {
            prop_assert_eq!(backup.to_string(), text);
        }
    }
}
