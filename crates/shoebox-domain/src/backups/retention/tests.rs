//! The rules at their edges, one example each.

use super::*;

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("a test time")
        .with_timezone(&Utc)
}

fn complete(text: &str) -> BackupSummary {
    BackupSummary {
        id: BackupId::from_time(at(text)),
        state: BackupState::Complete,
        size_bytes: Some(1_000),
    }
}

fn incomplete(text: &str) -> BackupSummary {
    BackupSummary {
        id: BackupId::from_time(at(text)),
        state: BackupState::Incomplete,
        size_bytes: None,
    }
}

fn decide_with(
    backups: &[BackupSummary],
    now: &str,
    policy: &RetentionPolicy,
) -> Vec<(bool, String)> {
    let decisions = retention_decisions(backups, at(now), policy);
    assert_eq!(
        decisions.iter().map(|d| d.id).collect::<Vec<_>>(),
        backups.iter().map(|b| b.id).collect::<Vec<_>>(),
        "one decision per backup, in order"
    );
    decisions
        .into_iter()
        .map(|decision| (decision.keep, decision.rule.to_string()))
        .collect()
}

fn decide(backups: &[BackupSummary], now: &str) -> Vec<(bool, String)> {
    decide_with(backups, now, &RetentionPolicy::default())
}

fn kept(text: &str) -> (bool, String) {
    (true, text.to_owned())
}

fn deleted(text: &str) -> (bool, String) {
    (false, text.to_owned())
}

// In most examples the newest success is also "now", so the others are
// decided by their age alone.
const NOW: &str = "2026-06-15T12:00:00Z";

#[test]
fn exactly_31_days_old_is_daily_and_a_second_less_is_recent() {
    let backups = [
        complete("2026-05-15T11:00:00Z"),
        complete("2026-05-15T12:00:00Z"), // exactly 31 × 24 h
        complete("2026-05-15T12:00:01Z"), // 31 days minus a second
        complete(NOW),
    ];
    assert_eq!(
        decide(&backups, NOW),
        [
            kept("first backup of 2026-05-15"),
            deleted("not the first backup of 2026-05-15"),
            kept("younger than 31 days"),
            kept("newest successful backup"),
        ]
    );
}

#[test]
fn exactly_one_year_old_is_monthly_and_a_second_less_is_daily() {
    let backups = [
        complete("2025-06-01T00:00:00Z"),
        complete("2025-06-15T12:00:00Z"), // exactly 12 months
        complete("2025-06-15T12:00:01Z"), // 12 months minus a second
        complete(NOW),
    ];
    assert_eq!(
        decide(&backups, NOW),
        [
            kept("first backup of 2025-06"),
            deleted("not the first backup of 2025-06"),
            // Daily, but 12:00:00 was the first of that day.
            deleted("not the first backup of 2025-06-15"),
            kept("newest successful backup"),
        ]
    );
    let backups = [
        complete("2025-06-15T12:00:00Z"),
        complete("2025-06-15T12:00:01Z"),
        complete("2025-06-15T13:00:00Z"),
        complete(NOW),
    ];
    assert_eq!(
        decide(&backups, NOW)[..3],
        [
            kept("first backup of 2025-06"),
            deleted("not the first backup of 2025-06-15"),
            deleted("not the first backup of 2025-06-15"),
        ]
    );
    let backups = [
        complete("2025-06-15T12:00:01Z"),
        complete("2025-06-15T13:00:00Z"),
        complete(NOW),
    ];
    assert_eq!(
        decide(&backups, NOW)[..2],
        [
            kept("first backup of 2025-06-15"),
            deleted("not the first backup of 2025-06-15"),
        ]
    );
}

#[test]
fn two_backups_of_a_day_in_the_daily_band_keep_the_first() {
    // Given out of order: "first" is by start time, not by position.
    let backups = [
        complete("2026-03-04T17:30:00Z"),
        complete("2026-03-04T00:00:00Z"),
        incomplete("2026-03-03T23:59:59Z"),
        complete(NOW),
    ];
    assert_eq!(
        decide(&backups, NOW)[..2],
        [
            deleted("not the first backup of 2026-03-04"),
            kept("first backup of 2026-03-04"),
        ]
    );
}

#[test]
fn a_failed_backup_is_never_the_first_of_its_day_or_month() {
    let backups = [
        incomplete("2026-03-04T00:00:00Z"),
        complete("2026-03-04T01:00:00Z"),
        incomplete("2024-11-01T00:00:00Z"),
        complete("2024-11-01T01:00:00Z"),
        complete(NOW),
    ];
    assert_eq!(
        decide(&backups, NOW)[..4],
        [
            deleted("incomplete for more than 24 hours"),
            kept("first backup of 2026-03-04"),
            deleted("incomplete for more than 24 hours"),
            kept("first backup of 2024-11"),
        ]
    );
}

#[test]
fn month_ends_are_different_days_and_months() {
    let backups = [
        complete("2026-01-31T23:59:59Z"),
        complete("2026-02-01T00:00:00Z"),
        complete("2026-02-01T01:00:00Z"),
        complete("2025-01-31T23:59:59Z"),
        complete("2025-02-01T00:00:00Z"),
        complete("2025-02-28T23:59:59Z"),
        complete(NOW),
    ];
    assert_eq!(
        decide(&backups, NOW)[..6],
        [
            kept("first backup of 2026-01-31"),
            kept("first backup of 2026-02-01"),
            deleted("not the first backup of 2026-02-01"),
            kept("first backup of 2025-01"),
            kept("first backup of 2025-02"),
            deleted("not the first backup of 2025-02"),
        ]
    );
}

#[test]
fn months_back_from_a_month_end_clamp_to_the_shorter_month() {
    let policy = RetentionPolicy {
        keep_all_for_days: 7,
        keep_daily_for_months: 1,
        keep_monthly_for_months: 0,
        incomplete_grace_hours: 24,
    };
    // 2026-03-31T12:00 minus one month is 2026-02-28T12:00 (not March 3rd).
    let backups = [
        complete("2026-02-01T00:00:00Z"),
        complete("2026-02-28T12:00:00Z"),
        complete("2026-02-28T12:00:01Z"),
        complete("2026-03-01T00:00:00Z"),
        complete("2026-03-01T01:00:00Z"),
        complete("2026-03-31T11:00:00Z"),
    ];
    assert_eq!(
        decide_with(&backups, "2026-03-31T12:00:00Z", &policy),
        [
            kept("first backup of 2026-02"),
            deleted("not the first backup of 2026-02"),
            deleted("not the first backup of 2026-02-28"),
            kept("first backup of 2026-03-01"),
            deleted("not the first backup of 2026-03-01"),
            kept("newest successful backup"),
        ]
    );
}

#[test]
fn a_leap_day_backup_a_year_later() {
    let backups = [
        complete("2024-02-28T10:00:00Z"),
        complete("2024-02-29T10:00:00Z"),
        complete("2024-02-29T11:00:00Z"),
        complete("2025-03-05T00:00:00Z"),
    ];
    // 2025-02-28T10:00 minus 12 months is 2024-02-28T10:00: the 28th is
    // exactly a year old, so monthly; the leap day is still daily.
    assert_eq!(
        decide(&backups, "2025-02-28T10:00:00Z")[..3],
        [
            kept("first backup of 2024-02"),
            kept("first backup of 2024-02-29"),
            deleted("not the first backup of 2024-02-29"),
        ]
    );
    // 2025-03-01T10:00 minus 12 months is 2024-03-01T10:00: all monthly.
    assert_eq!(
        decide(&backups, "2025-03-01T10:00:00Z")[..3],
        [
            kept("first backup of 2024-02"),
            deleted("not the first backup of 2024-02"),
            deleted("not the first backup of 2024-02"),
        ]
    );
}

#[test]
fn on_a_leap_day_a_year_back_is_february_28th() {
    let backups = [
        complete("2023-02-28T09:00:00Z"),
        complete("2023-02-28T10:00:00Z"),
        complete("2023-02-28T11:00:00Z"),
        complete("2023-03-01T00:00:00Z"),
        complete("2024-01-29T10:00:00Z"),
        complete("2024-01-29T10:00:01Z"),
        complete("2024-02-29T09:00:00Z"),
    ];
    assert_eq!(
        decide(&backups, "2024-02-29T10:00:00Z"),
        [
            kept("first backup of 2023-02"),
            // Exactly one year old (chrono clamps 2023-02-29 to the 28th).
            deleted("not the first backup of 2023-02"),
            deleted("not the first backup of 2023-02-28"),
            kept("first backup of 2023-03-01"),
            // Exactly 31 days before the leap day, and a second less.
            kept("first backup of 2024-01-29"),
            kept("younger than 31 days"),
            kept("newest successful backup"),
        ]
    );
}

#[test]
fn the_newest_success_survives_any_age() {
    let backups = [
        complete("2023-06-01T00:00:00Z"),
        complete("2023-06-10T05:00:00Z"),
        incomplete("2026-06-15T11:00:00Z"),
    ];
    assert_eq!(
        decide(&backups, NOW),
        [
            kept("first backup of 2023-06"),
            // Three years old and not the first of its month.
            kept("newest successful backup"),
            kept("incomplete, may still be running"),
        ]
    );
}

#[test]
fn an_incomplete_backup_gets_24_hours() {
    let backups = [
        incomplete("2026-06-14T11:00:00Z"), // 25 hours
        incomplete("2026-06-14T11:59:59Z"), // 24 hours and a second
        incomplete("2026-06-14T12:00:00Z"), // exactly 24 hours
        incomplete("2026-06-14T13:00:00Z"), // 23 hours
        incomplete("2020-01-01T00:00:00Z"),
        complete("2026-06-01T00:00:00Z"),
    ];
    assert_eq!(
        decide(&backups, NOW),
        [
            deleted("incomplete for more than 24 hours"),
            deleted("incomplete for more than 24 hours"),
            kept("incomplete, may still be running"),
            kept("incomplete, may still be running"),
            deleted("incomplete for more than 24 hours"),
            kept("newest successful backup"),
        ]
    );
}

#[test]
fn backups_dated_after_now_are_kept() {
    let backups = [
        complete("2026-06-16T00:00:00Z"),
        incomplete("2026-06-20T00:00:00Z"),
        complete("2026-06-17T00:00:00Z"),
        complete("2026-06-15T11:00:00Z"),
    ];
    assert_eq!(
        decide(&backups, NOW),
        [
            kept("younger than 31 days"),
            kept("incomplete, may still be running"),
            kept("newest successful backup"),
            kept("younger than 31 days"),
        ]
    );
}

#[test]
fn nothing_to_decide() {
    assert!(retention_decisions(&[], at(NOW), &RetentionPolicy::default()).is_empty());
}

#[test]
fn every_rule_says_why_in_a_sentence() {
    let day = NaiveDate::from_ymd_opt(2026, 3, 4).unwrap();
    for (rule, text) in [
        (Rule::NewestSuccess, "newest successful backup"),
        (Rule::Recent { days: 31 }, "younger than 31 days"),
        (Rule::Recent { days: 1 }, "younger than 1 day"),
        (Rule::FirstOfDay(day), "first backup of 2026-03-04"),
        (
            Rule::NotFirstOfDay(day),
            "not the first backup of 2026-03-04",
        ),
        (
            Rule::FirstOfMonth {
                year: 2025,
                month: 11,
            },
            "first backup of 2025-11",
        ),
        (
            Rule::NotFirstOfMonth {
                year: 2025,
                month: 3,
            },
            "not the first backup of 2025-03",
        ),
        (
            Rule::IncompleteInProgress { hours: 24 },
            "incomplete, may still be running",
        ),
        (
            Rule::IncompleteExpired { hours: 24 },
            "incomplete for more than 24 hours",
        ),
    ] {
        assert_eq!(rule.to_string(), text);
    }
}

#[test]
fn the_periods_are_configurable() {
    let policy = RetentionPolicy {
        keep_all_for_days: 2,
        keep_daily_for_months: 1,
        keep_monthly_for_months: 0,
        incomplete_grace_hours: 1,
    };
    assert_eq!(policy.validate(), Ok(()));
    let backups = [
        complete("2026-06-12T10:00:00Z"),
        complete("2026-06-12T11:00:00Z"),
        complete("2026-06-13T12:00:01Z"),
        incomplete("2026-06-15T10:59:59Z"),
        complete(NOW),
    ];
    assert_eq!(
        decide_with(&backups, NOW, &policy),
        [
            kept("first backup of 2026-06-12"),
            deleted("not the first backup of 2026-06-12"),
            kept("younger than 2 days"),
            deleted("incomplete for more than 1 hour"),
            kept("newest successful backup"),
        ]
    );
}

#[test]
fn a_policy_reads_from_configuration_with_defaults_for_what_is_missing() {
    let policy: RetentionPolicy = serde_json::from_str(r#"{"keep_all_for_days": 14}"#).unwrap();
    assert_eq!(
        policy,
        RetentionPolicy {
            keep_all_for_days: 14,
            keep_daily_for_months: 12,
            keep_monthly_for_months: 0,
            incomplete_grace_hours: 24,
        }
    );
    let policy: RetentionPolicy = serde_json::from_str("{}").unwrap();
    assert_eq!(policy, RetentionPolicy::default());
    assert_eq!(
        serde_json::to_value(policy).unwrap(),
        serde_json::json!({
            "keep_all_for_days": 31,
            "keep_daily_for_months": 12,
            "keep_monthly_for_months": 0,
            "incomplete_grace_hours": 24,
        })
    );
}

#[test]
fn a_policy_without_bands_is_refused() {
    assert_eq!(RetentionPolicy::default().validate(), Ok(()));
    let valid_edge = RetentionPolicy {
        keep_all_for_days: 28,
        keep_daily_for_months: 1,
        keep_monthly_for_months: 0,
        incomplete_grace_hours: 1,
    };
    assert_eq!(valid_edge.validate(), Ok(()));
    for (bad, says) in [
        (
            RetentionPolicy {
                keep_all_for_days: 0,
                ..RetentionPolicy::default()
            },
            "keep_all_for_days must be at least 1",
        ),
        (
            RetentionPolicy {
                keep_all_for_days: 29,
                keep_daily_for_months: 1,
                ..RetentionPolicy::default()
            },
            "keep_daily_for_months (1) must last at least keep_all_for_days (29)",
        ),
        (
            RetentionPolicy {
                keep_daily_for_months: 0,
                ..RetentionPolicy::default()
            },
            "keep_daily_for_months (0)",
        ),
        (
            RetentionPolicy {
                incomplete_grace_hours: 0,
                ..RetentionPolicy::default()
            },
            "incomplete_grace_hours must be at least 1",
        ),
        (
            RetentionPolicy {
                keep_monthly_for_months: 12,
                ..RetentionPolicy::default()
            },
            "keep_monthly_for_months (12) must be 0 (no end) or longer than keep_daily_for_months (12)",
        ),
    ] {
        let error = bad.validate().unwrap_err().to_string();
        assert!(error.contains(says), "{bad:?}: {error}");
    }
}

#[test]
fn with_an_end_to_the_monthly_band_older_backups_go_but_never_the_newest() {
    let policy = RetentionPolicy {
        keep_monthly_for_months: 24,
        ..RetentionPolicy::default()
    };
    assert_eq!(policy.validate(), Ok(()));
    let now = at("2028-06-15T12:00:00Z");
    let backups = [
        complete("2026-06-01T00:00:00Z"),
        complete("2026-06-15T12:00:00Z"),
        complete("2026-06-15T12:00:01Z"),
        complete("2026-07-01T00:00:00Z"),
        complete("2028-06-15T11:00:00Z"),
    ];
    let decided = retention_decisions(&backups, now, &policy);
    let verdicts: Vec<(bool, String)> = decided
        .iter()
        .map(|decision| (decision.keep, decision.rule.to_string()))
        .collect();
    assert_eq!(
        verdicts,
        [
            (false, "older than 24 months".to_owned()),
            // Exactly 24 months old: expired, like every band's older edge.
            (false, "older than 24 months".to_owned()),
            (false, "not the first backup of 2026-06".to_owned()),
            (true, "first backup of 2026-07".to_owned()),
            (true, "newest successful backup".to_owned()),
        ]
    );
    // The newest success is kept whatever its age.
    let only_old = [complete("2020-01-01T00:00:00Z")];
    let decided = retention_decisions(&only_old, now, &policy);
    assert!(decided[0].keep);
    // Without an end (the default), the same old ones are monthly.
    let decided = retention_decisions(&backups, now, &RetentionPolicy::default());
    assert!(decided[0].keep && decided[3].keep);
}
