//! Which backups to keep: one pure function of the backups, "now" (UTC) and
//! the policy.
//!
//! With the defaults (SPEC §7), for complete backups by age:
//! - younger than 31 days (`now - started < 31 × 24 h`): every one is kept;
//! - from exactly 31 days to exactly one year (calendar: `now` minus 12
//!   months, clamped to the month's end: 2024-02-29 minus one year is
//!   2023-02-28): the **first** complete backup of each UTC calendar day is
//!   kept;
//! - older than one year (started strictly before that instant): the first
//!   complete backup of each UTC calendar month is kept;
//! - the newest complete backup is kept whatever its age;
//! - an incomplete backup (a dump without manifest) is removed once it is
//!   older than 24 hours; younger, it may still be running.
//!
//! "First of a day (month)" is decided among every complete backup that
//! started that day (month), whatever band it is in. A pruned set therefore
//! prunes to itself: a backup kept as the first of its day is still the first
//! of its day once the others are gone.

use std::{cmp::Ordering, collections::BTreeMap, fmt};

use chrono::{DateTime, Datelike, Months, NaiveDate, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::BackupId;

/// The periods of the policy; the defaults are SPEC §7's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RetentionPolicy {
    /// Every complete backup younger than this many days is kept.
    pub keep_all_for_days: u32,
    /// Up to this many calendar months, the first of each day is kept;
    /// beyond, the first of each month.
    pub keep_daily_for_months: u32,
    /// An incomplete backup older than this many hours is removed.
    pub incomplete_grace_hours: u32,
}

impl Default for RetentionPolicy {
    fn default() -> Self {
        Self {
            keep_all_for_days: 31,
            keep_daily_for_months: 12,
            incomplete_grace_hours: 24,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid backup retention: {0}")]
pub struct InvalidRetentionPolicy(String);

impl RetentionPolicy {
    pub fn validate(&self) -> Result<(), InvalidRetentionPolicy> {
        if self.keep_all_for_days == 0 {
            return Err(InvalidRetentionPolicy(
                "keep_all_for_days must be at least 1".to_owned(),
            ));
        }
        if u64::from(self.keep_daily_for_months) * 28 < u64::from(self.keep_all_for_days) {
            return Err(InvalidRetentionPolicy(
                "keep_daily_for_months must cover at least keep_all_for_days".to_owned(),
            ));
        }
        if self.incomplete_grace_hours == 0 {
            return Err(InvalidRetentionPolicy(
                "incomplete_grace_hours must be at least 1 (a backup in progress has no manifest yet)"
                    .to_owned(),
            ));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BackupState {
    /// Dump and manifest: restorable.
    Complete,
    /// A dump without manifest: running, or cut short.
    Incomplete,
}

/// A backup as a listing of the store finds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackupSummary {
    pub id: BackupId,
    pub state: BackupState,
}

/// Why a backup is kept or deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    NewestSuccess,
    Recent { days: u32 },
    FirstOfDay(NaiveDate),
    NotFirstOfDay(NaiveDate),
    FirstOfMonth { year: i32, month: u32 },
    NotFirstOfMonth { year: i32, month: u32 },
    IncompleteInProgress { hours: u32 },
    IncompleteExpired { hours: u32 },
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NewestSuccess => f.write_str("newest successful backup"),
            Self::Recent { days } => write!(f, "younger than {days} days"),
            Self::FirstOfDay(day) => write!(f, "first backup of {day}"),
            Self::NotFirstOfDay(day) => write!(f, "not the first backup of {day}"),
            Self::FirstOfMonth { year, month } => write!(f, "first backup of {year}-{month:02}"),
            Self::NotFirstOfMonth { year, month } => {
                write!(f, "not the first backup of {year}-{month:02}")
            }
            Self::IncompleteInProgress { hours } => {
                write!(
                    f,
                    "incomplete for less than {hours} hours, may still be running"
                )
            }
            Self::IncompleteExpired { hours } => {
                write!(f, "incomplete for more than {hours} hours")
            }
        }
    }
}

/// The verdict on one backup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub id: BackupId,
    pub keep: bool,
    pub rule: Rule,
}

/// One decision per backup, in the order given.
pub fn retention_decisions(
    backups: &[BackupSummary],
    now: DateTime<Utc>,
    policy: &RetentionPolicy,
) -> Vec<Decision> {
    let complete = || {
        backups
            .iter()
            .filter(|backup| backup.state == BackupState::Complete)
            .map(|backup| backup.id)
    };
    let newest = complete().max();
    let mut first_of_day: BTreeMap<NaiveDate, BackupId> = BTreeMap::new();
    let mut first_of_month: BTreeMap<(i32, u32), BackupId> = BTreeMap::new();
    for id in complete() {
        let started = id.started_at();
        keep_earliest(first_of_day.entry(started.date_naive()).or_insert(id), id);
        keep_earliest(
            first_of_month
                .entry((started.year(), started.month()))
                .or_insert(id),
            id,
        );
    }
    let recent_from = now - TimeDelta::days(i64::from(policy.keep_all_for_days));
    let daily_from = now
        .checked_sub_months(Months::new(policy.keep_daily_for_months))
        .unwrap_or(DateTime::<Utc>::MIN_UTC);
    let grace = TimeDelta::hours(i64::from(policy.incomplete_grace_hours));
    backups
        .iter()
        .map(|backup| {
            let started = backup.id.started_at();
            let (keep, rule) = match backup.state {
                BackupState::Incomplete => {
                    let hours = policy.incomplete_grace_hours;
                    if now - started > grace {
                        (false, Rule::IncompleteExpired { hours })
                    } else {
                        (true, Rule::IncompleteInProgress { hours })
                    }
                }
                BackupState::Complete if Some(backup.id) == newest => (true, Rule::NewestSuccess),
                BackupState::Complete if started > recent_from => (
                    true,
                    Rule::Recent {
                        days: policy.keep_all_for_days,
                    },
                ),
                BackupState::Complete if started >= daily_from => {
                    let day = started.date_naive();
                    if first_of_day.get(&day) == Some(&backup.id) {
                        (true, Rule::FirstOfDay(day))
                    } else {
                        (false, Rule::NotFirstOfDay(day))
                    }
                }
                BackupState::Complete => {
                    let (year, month) = (started.year(), started.month());
                    if first_of_month.get(&(year, month)) == Some(&backup.id) {
                        (true, Rule::FirstOfMonth { year, month })
                    } else {
                        (false, Rule::NotFirstOfMonth { year, month })
                    }
                }
            };
            Decision {
                id: backup.id,
                keep,
                rule,
            }
        })
        .collect()
}

fn keep_earliest(slot: &mut BackupId, candidate: BackupId) {
    if candidate.cmp(slot) == Ordering::Less {
        *slot = candidate;
    }
}

#[cfg(test)]
mod tests;
