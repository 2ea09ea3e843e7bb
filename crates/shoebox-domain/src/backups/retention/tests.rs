use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Timelike, Utc};
use proptest::prelude::*;

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
    }
}

fn incomplete(text: &str) -> BackupSummary {
    BackupSummary {
        id: BackupId::from_time(at(text)),
        state: BackupState::Incomplete,
    }
}

fn decide(backups: &[BackupSummary], now: &str) -> Vec<(bool, String)> {
    retention_decisions(backups, at(now), &RetentionPolicy::default())
        .into_iter()
        .map(|decision| (decision.keep, decision.rule.to_string()))
        .collect()
}

fn kept(text: &str) -> (bool, String) {
    (true, text.to_owned())
}

fn deleted(text: &str) -> (bool, String) {
    (false, text.to_owned())
}

// The newest success is last in each example, so the others are decided by age.
const NEWEST: &str = "2026-06-15T12:00:00Z";

#[test]
fn exactly_31_days_old_is_no_longer_recent() {
    let backups = [
        complete("2026-05-15T11:00:00Z"),
        complete("2026-05-15T12:00:00Z"),
        complete("2026-05-15T12:00:01Z"),
        complete(NEWEST),
    ];
    assert_eq!(
        decide(&backups, NEWEST),
        vec![
            kept("first backup of 2026-05-15"),
            deleted("not the first backup of 2026-05-15"),
            kept("younger than 31 days"),
            kept("newest successful backup"),
        ]
    );
}

#[test]
fn exactly_one_year_old_is_still_daily_and_a_second_more_is_monthly() {
    let backups = [
        complete("2025-06-01T00:00:00Z"),
        complete("2025-06-15T11:59:59Z"),
        complete("2025-06-15T12:00:00Z"),
        complete("2025-06-15T13:00:00Z"),
        complete(NEWEST),
    ];
    assert_eq!(
        decide(&backups, NEWEST),
        vec![
            kept("first backup of 2025-06"),
            deleted("not the first backup of 2025-06"),
            // First of its day, though that day began more than a year ago.
            deleted("not the first backup of 2025-06-15"),
            deleted("not the first backup of 2025-06-15"),
            kept("newest successful backup"),
        ]
    );
    let backups = [
        complete("2025-06-15T12:00:00Z"),
        complete("2025-06-15T13:00:00Z"),
        complete(NEWEST),
    ];
    assert_eq!(
        decide(&backups, NEWEST),
        vec![
            kept("first backup of 2025-06-15"),
            deleted("not the first backup of 2025-06-15"),
            kept("newest successful backup"),
        ]
    );
}

#[test]
fn month_ends_and_the_leap_day() {
    let leap = complete("2024-02-29T10:00:00Z");
    let later_that_day = complete("2024-02-29T11:00:00Z");
    let newest = complete("2025-03-05T00:00:00Z");
    let backups = [leap, later_that_day, newest];
    // 2025-02-28 minus 12 months is 2024-02-28: the leap day is within the year.
    assert_eq!(
        decide(&backups, "2025-02-28T10:00:00Z")[..2],
        [
            kept("first backup of 2024-02-29"),
            deleted("not the first backup of 2024-02-29")
        ]
    );
    // 2025-03-01 minus 12 months is 2024-03-01: the leap day is monthly now,
    // and the first of February 2024 among those given.
    assert_eq!(
        decide(&backups, "2025-03-01T10:00:00Z")[..2],
        [
            kept("first backup of 2024-02"),
            deleted("not the first backup of 2024-02")
        ]
    );
    // On a leap day, a year back is 2023-02-28 (chrono clamps to the month end).
    let backups = [
        complete("2023-02-28T09:00:00Z"),
        complete("2023-02-28T10:00:00Z"),
        complete("2023-02-28T11:00:00Z"),
        complete("2024-02-29T09:00:00Z"),
    ];
    assert_eq!(
        decide(&backups, "2024-02-29T10:00:00Z")[..3],
        [
            kept("first backup of 2023-02"),
            // Exactly one year old: daily, and not the first of its day.
            deleted("not the first backup of 2023-02-28"),
            deleted("not the first backup of 2023-02-28"),
        ]
    );
    // January 31st and February 1st are different days and months.
    let backups = [
        complete("2026-01-31T23:00:00Z"),
        complete("2026-02-01T00:00:00Z"),
        complete("2026-02-01T01:00:00Z"),
        complete(NEWEST),
    ];
    assert_eq!(
        decide(&backups, NEWEST)[..3],
        [
            kept("first backup of 2026-01-31"),
            kept("first backup of 2026-02-01"),
            deleted("not the first backup of 2026-02-01"),
        ]
    );
}

#[test]
fn the_newest_success_survives_any_age_and_incomplete_ones_get_a_day() {
    let backups = [
        complete("2022-03-01T00:00:00Z"),
        complete("2023-01-10T05:00:00Z"),
        incomplete("2026-06-14T11:00:00Z"),
        incomplete("2026-06-14T13:00:00Z"),
        incomplete("2020-01-01T00:00:00Z"),
    ];
    assert_eq!(
        decide(&backups, NEWEST),
        vec![
            kept("first backup of 2022-03"),
            kept("newest successful backup"),
            deleted("incomplete for more than 24 hours"),
            kept("incomplete for less than 24 hours, may still be running"),
            deleted("incomplete for more than 24 hours"),
        ]
    );
}

#[test]
fn periods_are_configurable_and_checked() {
    let policy = RetentionPolicy {
        keep_all_for_days: 2,
        keep_daily_for_months: 1,
        incomplete_grace_hours: 1,
    };
    assert!(policy.validate().is_ok());
    let backups = [
        complete("2026-06-12T10:00:00Z"),
        complete("2026-06-12T11:00:00Z"),
        complete("2026-06-14T11:00:00Z"),
        complete(NEWEST),
    ];
    let keep: Vec<bool> = retention_decisions(&backups, at(NEWEST), &policy)
        .iter()
        .map(|decision| decision.keep)
        .collect();
    assert_eq!(keep, [true, false, true, true]);
    for bad in [
        RetentionPolicy {
            keep_all_for_days: 0,
            ..RetentionPolicy::default()
        },
        RetentionPolicy {
            keep_daily_for_months: 1,
            keep_all_for_days: 40,
            ..RetentionPolicy::default()
        },
        RetentionPolicy {
            incomplete_grace_hours: 0,
            ..RetentionPolicy::default()
        },
    ] {
        assert!(bad.validate().is_err(), "{bad:?}");
    }
    assert!(RetentionPolicy::default().validate().is_ok());
}

// --- The simulation -------------------------------------------------------

/// The policy restated independently: by explicit calendar arithmetic and
/// string grouping, over the backups as they stand.
fn reference_kept(backups: &[BackupSummary], now: DateTime<Utc>) -> BTreeSet<BackupId> {
    let complete: Vec<BackupId> = backups
        .iter()
        .filter(|b| b.state == BackupState::Complete)
        .map(|b| b.id)
        .collect();
    let mut earliest_by_day: HashMap<String, BackupId> = HashMap::new();
    let mut earliest_by_month: HashMap<String, BackupId> = HashMap::new();
    for id in &complete {
        let t = id.started_at();
        let day = format!("{:04}-{:02}-{:02}", t.year(), t.month(), t.day());
        let month = format!("{:04}-{:02}", t.year(), t.month());
        for (map, key) in [(&mut earliest_by_day, day), (&mut earliest_by_month, month)] {
            let entry = map.entry(key).or_insert(*id);
            if id.started_at() < entry.started_at() {
                *entry = *id;
            }
        }
    }
    // One year back: same day and time, the day clamped to the month's length.
    let (year, month) = (now.year() - 1, now.month());
    let last_day = (28..=31)
        .rev()
        .find(|day| NaiveDate::from_ymd_opt(year, month, *day).is_some())
        .unwrap_or(28);
    let year_back = Utc
        .with_ymd_and_hms(
            year,
            month,
            now.day().min(last_day),
            now.hour(),
            now.minute(),
            now.second(),
        )
        .single()
        .expect("a valid instant");
    let newest = complete.iter().max().copied();
    let mut keep = BTreeSet::new();
    for backup in backups {
        let t = backup.id.started_at();
        let age_seconds = now.timestamp() - t.timestamp();
        let kept = match backup.state {
            BackupState::Incomplete => age_seconds <= 24 * 3600,
            BackupState::Complete => {
                let day = format!("{:04}-{:02}-{:02}", t.year(), t.month(), t.day());
                let month = format!("{:04}-{:02}", t.year(), t.month());
                Some(backup.id) == newest
                    || age_seconds < 31 * 86_400
                    || (t >= year_back && earliest_by_day[&day] == backup.id)
                    || (t < year_back && earliest_by_month[&month] == backup.id)
            }
        };
        if kept {
            keep.insert(backup.id);
        }
    }
    keep
}

#[derive(Debug, Clone, Copy)]
enum Hour {
    Success,
    Failure,
    Nothing,
}

fn hour() -> impl Strategy<Value = Hour> {
    prop_oneof![
        8 => Just(Hour::Success),
        1 => Just(Hour::Failure),
        1 => Just(Hour::Nothing),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8))]

    /// Two years of hourly backups (crossing the 2024 leap day and two year
    /// ends), pruned once a simulated day at a random minute.
    #[test]
    fn two_years_of_hourly_backups_pruned_daily(
        hours in proptest::collection::vec(hour(), 2 * 366 * 24),
        // Minute 0 prunes at the very second of a backup: the boundaries are hit exactly.
        prune_minutes in proptest::collection::vec(prop_oneof![Just(0u32), 0u32..60], 2 * 366),
    ) {
        let start = at("2023-12-30T05:00:00Z");
        let policy = RetentionPolicy::default();
        let mut stored: Vec<BackupSummary> = Vec::new();
        for (index, outcome) in hours.iter().enumerate() {
            let started = start + TimeDelta::hours(index as i64);
            let id = BackupId::from_time(started + TimeDelta::seconds(7));
            match outcome {
                Hour::Success => stored.push(BackupSummary { id, state: BackupState::Complete }),
                Hour::Failure => stored.push(BackupSummary { id, state: BackupState::Incomplete }),
                Hour::Nothing => {}
            }
            if index % 24 != 23 {
                continue;
            }
            let now = started
                + TimeDelta::seconds(7 + 60 * i64::from(prune_minutes[index / 24]));
            let newest_success = stored
                .iter()
                .filter(|b| b.state == BackupState::Complete)
                .map(|b| b.id)
                .max();
            let decisions = retention_decisions(&stored, now, &policy);
            let kept: BTreeSet<BackupId> =
                decisions.iter().filter(|d| d.keep).map(|d| d.id).collect();
            let expected = reference_kept(&stored, now);
            let wrongly_kept: Vec<_> = kept.difference(&expected).collect();
            let wrongly_deleted: Vec<_> = expected.difference(&kept).collect();
            prop_assert!(
                wrongly_kept.is_empty() && wrongly_deleted.is_empty(),
                "at {}: kept but should go {:?}; deleted but should stay {:?}",
                now, wrongly_kept, wrongly_deleted
            );
            if let Some(newest) = newest_success {
                prop_assert!(kept.contains(&newest), "the newest success {} was deleted", newest);
            }
            stored.retain(|backup| kept.contains(&backup.id));
            let again = retention_decisions(&stored, now, &policy);
            prop_assert!(again.iter().all(|d| d.keep), "a second prune at {} deletes", now);
        }
        // After two years: one a month for the oldest part, at most one a day
        // in the year before, everything in the last 31 days.
        prop_assert!(stored.len() < 31 * 24 + 366 + 13);
    }
}
