//! Two years of hourly backups with random failures, pruned once a simulated
//! day, checked after every prune against the policy restated independently:
//! on Unix seconds, with a calendar of its own rather than chrono's.

use std::collections::BTreeSet;

use chrono::TimeZone;
use proptest::prelude::*;

use super::*;

// --- The reference ----------------------------------------------------------

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_year(year: i64) -> i64 {
    if is_leap(year) { 366 } else { 365 }
}

fn month_lengths(year: i64) -> [i64; 12] {
    let february = if is_leap(year) { 29 } else { 28 };
    [31, february, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
}

/// A UTC instant as calendar fields; `month` and `day` count from 1.
#[derive(Debug, Clone, Copy)]
struct Civil {
    year: i64,
    month: i64,
    day: i64,
    second_of_day: i64,
}

/// Walks the calendar from 1970-01-01 (the simulation never goes before it).
fn civil(unix_seconds: i64) -> Civil {
    let mut days = unix_seconds.div_euclid(86_400);
    let mut year = 1970;
    while days >= days_in_year(year) {
        days -= days_in_year(year);
        year += 1;
    }
    let mut month = 1;
    for length in month_lengths(year) {
        if days < length {
            break;
        }
        days -= length;
        month += 1;
    }
    Civil {
        year,
        month,
        day: days + 1,
        second_of_day: unix_seconds.rem_euclid(86_400),
    }
}

fn unix_seconds(at: Civil) -> i64 {
    let years: i64 = (1970..at.year).map(days_in_year).sum();
    let months: i64 = month_lengths(at.year)[..(at.month - 1) as usize]
        .iter()
        .sum();
    (years + months + at.day - 1) * 86_400 + at.second_of_day
}

/// `months` calendar months before `now`, same time of day, the day of month
/// lowered to the length of the month landed in.
fn months_before(now: i64, months: i64) -> i64 {
    let now = civil(now);
    let month_index = now.year * 12 + (now.month - 1) - months;
    let (year, month) = (month_index.div_euclid(12), month_index.rem_euclid(12) + 1);
    let day = now.day.min(month_lengths(year)[(month - 1) as usize]);
    unix_seconds(Civil {
        year,
        month,
        day,
        ..now
    })
}

/// A stored backup with the reference's own view of when it started.
#[derive(Debug, Clone, Copy)]
struct Stored {
    summary: BackupSummary,
    seconds: i64,
    /// Days since 1970-01-01 (UTC days need no calendar).
    day: i64,
    /// `year * 12 + month`, from the reference's calendar.
    month: i64,
}

impl Stored {
    fn new(seconds: i64, state: BackupState) -> Self {
        let id = BackupId::from_time(Utc.timestamp_opt(seconds, 0).unwrap());
        let at = civil(seconds);
        Self {
            summary: BackupSummary {
                id,
                state,
                size_bytes: Some(4_096),
            },
            seconds,
            day: seconds.div_euclid(86_400),
            month: at.year * 12 + at.month,
        }
    }
}

/// The backups SPEC §7 keeps at `now`, among those stored, in their order.
fn reference_kept(stored: &[Stored], now: i64, policy: &RetentionPolicy) -> Vec<BackupId> {
    // The earliest success of each day and month, in arrays indexed from the
    // earliest day and month stored.
    let first_day = stored.iter().map(|b| b.day).min().unwrap_or(0);
    let first_month = stored.iter().map(|b| b.month).min().unwrap_or(0);
    let mut earliest_of_day = vec![i64::MAX; DAYS + 2];
    let mut earliest_of_month = vec![i64::MAX; DAYS / 28 + 2];
    let mut newest_success = i64::MIN;
    for backup in stored {
        if backup.summary.state == BackupState::Complete {
            let day = &mut earliest_of_day[(backup.day - first_day) as usize];
            *day = (*day).min(backup.seconds);
            let month = &mut earliest_of_month[(backup.month - first_month) as usize];
            *month = (*month).min(backup.seconds);
            newest_success = newest_success.max(backup.seconds);
        }
    }
    let keep_all_seconds = i64::from(policy.keep_all_for_days) * 24 * 3_600;
    let grace_seconds = i64::from(policy.incomplete_grace_hours) * 3_600;
    let one_period_back = months_before(now, i64::from(policy.keep_daily_for_months));
    let cap = i64::from(policy.keep_monthly_for_months);
    let expired_by = (cap > 0).then(|| months_before(now, cap));
    let mut kept = Vec::new();
    for backup in stored {
        let age = now - backup.seconds;
        let keep = match backup.summary.state {
            BackupState::Incomplete => age <= grace_seconds,
            BackupState::Complete => {
                let first_of_day =
                    earliest_of_day[(backup.day - first_day) as usize] == backup.seconds;
                let first_of_month =
                    earliest_of_month[(backup.month - first_month) as usize] == backup.seconds;
                let expired = expired_by.is_some_and(|by| backup.seconds <= by);
                backup.seconds == newest_success
                    || (!expired
                        && (age < keep_all_seconds
                            || (backup.seconds > one_period_back && first_of_day)
                            || (backup.seconds <= one_period_back && first_of_month)))
            }
        };
        if keep {
            kept.push(backup.summary.id);
        }
    }
    kept
}

/// The reference calendar agrees with chrono where they overlap; otherwise
/// a disagreement in the simulation could be either's fault.
#[test]
fn the_reference_calendar_is_a_calendar() {
    for text in [
        "1970-01-01T00:00:00Z",
        "2023-12-31T23:59:59Z",
        "2024-02-29T12:34:56Z",
        "2024-03-01T00:00:00Z",
        "2100-03-01T00:00:00Z",
    ] {
        let time = DateTime::parse_from_rfc3339(text).unwrap().timestamp();
        let at = civil(time);
        let printed = format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            at.year,
            at.month,
            at.day,
            at.second_of_day / 3_600,
            at.second_of_day / 60 % 60,
            at.second_of_day % 60
        );
        assert_eq!(printed, text);
        assert_eq!(unix_seconds(at), time);
    }
    let seconds = |text: &str| DateTime::parse_from_rfc3339(text).unwrap().timestamp();
    assert_eq!(
        months_before(seconds("2024-02-29T10:00:00Z"), 12),
        seconds("2023-02-28T10:00:00Z")
    );
    assert_eq!(
        months_before(seconds("2025-03-31T10:00:00Z"), 1),
        seconds("2025-02-28T10:00:00Z")
    );
    assert_eq!(
        months_before(seconds("2025-01-15T10:00:00Z"), 14),
        seconds("2023-11-15T10:00:00Z")
    );
}

// --- The simulation ---------------------------------------------------------

const DAYS: usize = 731;

#[derive(Debug, Clone, Copy)]
enum Hour {
    Success,
    /// The dump was left behind without a manifest.
    Failure,
    /// The scheduler did not run.
    Nothing,
}

fn hour() -> impl Strategy<Value = Hour> {
    prop_oneof![
        8 => Just(Hour::Success),
        1 => Just(Hour::Failure),
        1 => Just(Hour::Nothing),
    ]
}

/// The hour of a simulated day the prune runs, and its minute: zero half the
/// time, so that the prune runs the very second a backup started and the
/// 31-day, one-year and 24-hour boundaries are hit exactly.
fn prune_time() -> impl Strategy<Value = (usize, i64)> {
    (0_usize..24, prop_oneof![Just(0_i64), 0_i64..60])
}

/// The defaults half the time, any valid policy otherwise.
fn policy() -> impl Strategy<Value = RetentionPolicy> {
    prop_oneof![
        Just(RetentionPolicy::default()),
        (
            1_u32..=45,
            1_u32..=14,
            1_u32..=48,
            prop_oneof![Just(0_u32), 2_u32..=26]
        )
            .prop_map(|(days, months, hours, cap)| RetentionPolicy {
                keep_all_for_days: days,
                keep_daily_for_months: months,
                // No end, or an end past the daily period.
                keep_monthly_for_months: if cap == 0 { 0 } else { months.max(cap - 1) + 1 },
                incomplete_grace_hours: hours,
            })
            .prop_filter("a valid policy", |policy| policy.validate().is_ok()),
    ]
}

/// Whether a rule keeps, and its place in [`RULES`] so the run can show it
/// met every one.
fn verdict(rule: Rule) -> (usize, bool) {
    match rule {
        Rule::NewestSuccess => (0, true),
        Rule::Recent { .. } => (1, true),
        Rule::FirstOfDay(_) => (2, true),
        Rule::NotFirstOfDay(_) => (3, false),
        Rule::FirstOfMonth { .. } => (4, true),
        Rule::NotFirstOfMonth { .. } => (5, false),
        Rule::IncompleteInProgress { .. } => (6, true),
        Rule::IncompleteExpired { .. } => (7, false),
        Rule::Expired { .. } => (8, false),
    }
}

const RULES: [&str; 9] = [
    "NewestSuccess",
    "Recent",
    "FirstOfDay",
    "NotFirstOfDay",
    "FirstOfMonth",
    "NotFirstOfMonth",
    "IncompleteInProgress",
    "IncompleteExpired",
    "Expired",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// From 2023-12-30T05:00Z: across two year ends and the 2024 leap day.
    #[test]
    fn two_years_of_hourly_backups_pruned_daily(
        hours in proptest::collection::vec(hour(), DAYS * 24),
        prune_times in proptest::collection::vec(prune_time(), DAYS),
        policy in policy(),
    ) {
        // Seven seconds past the hour, as a scheduler's backups would be.
        let start = Utc.with_ymd_and_hms(2023, 12, 30, 5, 0, 7).unwrap().timestamp();
        let mut stored: Vec<Stored> = Vec::new();
        let mut rules_met = [false; RULES.len()];
        for (day, &(prune_hour, prune_minute)) in prune_times.iter().enumerate() {
            for hour_of_day in 0..24 {
                let index = day * 24 + hour_of_day;
                let started = start + 3_600 * index as i64;
                match hours[index] {
                    Hour::Success => stored.push(Stored::new(started, BackupState::Complete)),
                    Hour::Failure => stored.push(Stored::new(started, BackupState::Incomplete)),
                    Hour::Nothing => {}
                }
                if hour_of_day != prune_hour {
                    continue;
                }
                let now_seconds = started + 60 * prune_minute;
                let now = Utc.timestamp_opt(now_seconds, 0).unwrap();
                let summaries: Vec<BackupSummary> = stored.iter().map(|b| b.summary).collect();
                let decisions = retention_decisions(&summaries, now, &policy);

                prop_assert_eq!(decisions.len(), summaries.len());
                for (decision, summary) in decisions.iter().zip(&summaries) {
                    prop_assert_eq!(decision.id, summary.id);
                    let (rule, keeps) = verdict(decision.rule);
                    prop_assert_eq!(decision.keep, keeps, "{:?}", decision);
                    rules_met[rule] = true;
                }
                let kept: Vec<BackupId> =
                    decisions.iter().filter(|d| d.keep).map(|d| d.id).collect();

                // (a) As the policy, restated, says.
                let expected = reference_kept(&stored, now_seconds, &policy);
                if kept != expected {
                    let (kept, expected): (BTreeSet<_>, BTreeSet<_>) =
                        (kept.iter().collect(), expected.iter().collect());
                    prop_assert!(
                        false,
                        "{:?} at {}: kept but should go {:?}; deleted but should stay {:?}",
                        policy, now,
                        kept.difference(&expected).collect::<Vec<_>>(),
                        expected.difference(&kept).collect::<Vec<_>>()
                    );
                }
                // (c) The newest success survives.
                if let Some(newest) = summaries
                    .iter()
                    .filter(|b| b.state == BackupState::Complete)
                    .map(|b| b.id)
                    .max()
                {
                    prop_assert!(kept.contains(&newest), "the newest success {} went", newest);
                }

                // Both lists are in stored order, so the survivors are a merge.
                let mut survivors = kept.iter().peekable();
                stored.retain(|backup| survivors.next_if_eq(&&backup.summary.id).is_some());

                // (b) Pruning again at the same instant deletes nothing.
                let survivors: Vec<BackupSummary> = stored.iter().map(|b| b.summary).collect();
                let again = retention_decisions(&survivors, now, &policy);
                let deleted_again: Vec<_> = again.iter().filter(|d| !d.keep).collect();
                prop_assert!(deleted_again.is_empty(), "a second prune at {} deletes {:?}", now, deleted_again);

                // Bounded: an hour each while recent, a day each while daily,
                // a month each after (26 calendar months in the run), the
                // newest success, and failures within their grace.
                let bound = policy.keep_all_for_days as usize * 24
                    + policy.keep_daily_for_months as usize * 31 + 1
                    + 26
                    + 1
                    + policy.incomplete_grace_hours as usize + 1;
                prop_assert!(stored.len() <= bound, "{} kept at {}, more than {}", stored.len(), now, bound);
            }
        }
        // Every rule about complete backups was exercised (shrinking goes
        // towards all successes, so this holds while a failure shrinks).
        for (name, met) in RULES.iter().zip(rules_met).take(6) {
            prop_assert!(met, "never met {}", name);
        }
    }
}
