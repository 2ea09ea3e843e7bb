//! Which backups to keep: [`retention_decisions`], one pure function of the
//! backups as listed, "now" and the policy.

use std::fmt;

use chrono::{DateTime, Datelike, Months, NaiveDate, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::BackupId;

/// The periods of retention, configurable; the defaults are SPEC §7's.
///
/// Missing fields take their default, so the configuration can set one
/// period alone. Unknown fields are for the reader to report (the server's
/// settings name every key they ignore).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "snake_case")]
pub struct RetentionPolicy {
    /// Every complete backup younger than this many days (of 24 hours) is kept.
    pub keep_all_for_days: u32,
    /// Younger than this many calendar months, the first complete backup of
    /// each day is kept; older, the first of each month.
    pub keep_daily_for_months: u32,
    /// Complete backups older than this many calendar months are deleted
    /// (except the newest); 0, the default (SPEC §7), keeps the first of
    /// each month with no end date. Set it to bound how long a deleted
    /// member's rows survive in backups (docs/operations/privacy.md).
    pub keep_monthly_for_months: u32,
    /// An incomplete backup older than this many hours is deleted.
    pub incomplete_grace_hours: u32,
}

impl Default for RetentionPolicy {
    fn default() -> Self {
        Self {
            keep_all_for_days: 31,
            keep_daily_for_months: 12,
            keep_monthly_for_months: 0,
            incomplete_grace_hours: 24,
        }
    }
}

/// A retention policy that cannot be applied; says which period is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid backup retention: {0}")]
pub struct InvalidRetentionPolicy(String);

impl RetentionPolicy {
    /// Checks that the periods make sense: something is kept in full, the
    /// daily period ends no earlier than the keep-all one, and a backup in
    /// progress has time to finish.
    ///
    /// The daily period is compared at 28 days a month, the shortest: one
    /// calendar month back from March 1st is 28 days.
    pub fn validate(&self) -> Result<(), InvalidRetentionPolicy> {
        if self.keep_all_for_days == 0 {
            return Err(InvalidRetentionPolicy(
                "keep_all_for_days must be at least 1".to_owned(),
            ));
        }
        if u64::from(self.keep_daily_for_months) * 28 < u64::from(self.keep_all_for_days) {
            return Err(InvalidRetentionPolicy(format!(
                "keep_daily_for_months ({}) must last at least keep_all_for_days ({}), \
                 counting 28 days a month",
                self.keep_daily_for_months, self.keep_all_for_days
            )));
        }
        if self.keep_monthly_for_months != 0
            && self.keep_monthly_for_months <= self.keep_daily_for_months
        {
            return Err(InvalidRetentionPolicy(format!(
                "keep_monthly_for_months ({}) must be 0 (no end) or longer than \
                 keep_daily_for_months ({})",
                self.keep_monthly_for_months, self.keep_daily_for_months
            )));
        }
        if self.incomplete_grace_hours == 0 {
            return Err(InvalidRetentionPolicy(
                "incomplete_grace_hours must be at least 1: a running backup has no manifest yet"
                    .to_owned(),
            ));
        }
        Ok(())
    }
}

/// Whether a backup finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BackupState {
    /// Dump and manifest: restorable.
    Complete,
    /// A dump without manifest: still running, or cut short.
    Incomplete,
}

/// A backup as a listing of the object store finds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackupSummary {
    /// Which backup.
    pub id: BackupId,
    /// Whether its manifest exists.
    pub state: BackupState,
    /// Bytes of its dump object, when the listing says; unused by retention,
    /// reported by `prune --dry-run`.
    pub size_bytes: Option<u64>,
}

/// Why a backup is kept or deleted; its [`fmt::Display`] is the sentence
/// `prune --dry-run` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Kept: the newest complete backup, whatever its age.
    NewestSuccess,
    /// Kept: complete and younger than `days` days.
    Recent {
        /// [`RetentionPolicy::keep_all_for_days`].
        days: u32,
    },
    /// Kept: the first complete backup of this UTC day, in the daily band.
    FirstOfDay(NaiveDate),
    /// Deleted: in the daily band, another backup was first that day.
    NotFirstOfDay(NaiveDate),
    /// Kept: the first complete backup of this UTC month, in the monthly band.
    FirstOfMonth {
        /// The calendar year.
        year: i32,
        /// 1 to 12.
        month: u32,
    },
    /// Deleted: in the monthly band, another backup was first that month.
    NotFirstOfMonth {
        /// The calendar year.
        year: i32,
        /// 1 to 12.
        month: u32,
    },
    /// Deleted: complete, but older than the last monthly period.
    Expired {
        /// [`RetentionPolicy::keep_monthly_for_months`].
        months: u32,
    },
    /// Kept: incomplete for at most `hours` hours, so possibly still running.
    IncompleteInProgress {
        /// [`RetentionPolicy::incomplete_grace_hours`].
        hours: u32,
    },
    /// Deleted: incomplete for more than `hours` hours.
    IncompleteExpired {
        /// [`RetentionPolicy::incomplete_grace_hours`].
        hours: u32,
    },
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NewestSuccess => f.write_str("newest successful backup"),
            Self::Recent { days } => write!(f, "younger than {days} day{}", plural(*days)),
            Self::FirstOfDay(day) => write!(f, "first backup of {day}"),
            Self::NotFirstOfDay(day) => write!(f, "not the first backup of {day}"),
            Self::FirstOfMonth { year, month } => write!(f, "first backup of {year}-{month:02}"),
            Self::NotFirstOfMonth { year, month } => {
                write!(f, "not the first backup of {year}-{month:02}")
            }
            Self::Expired { months } => {
                write!(f, "older than {months} month{}", plural(*months))
            }
            Self::IncompleteInProgress { .. } => f.write_str("incomplete, may still be running"),
            Self::IncompleteExpired { hours } => {
                write!(f, "incomplete for more than {hours} hour{}", plural(*hours))
            }
        }
    }
}

fn plural(count: u32) -> &'static str {
    if count == 1 { "" } else { "s" }
}

/// The verdict on one backup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    /// Which backup.
    pub id: BackupId,
    /// `false`: delete its objects.
    pub keep: bool,
    /// Why.
    pub rule: Rule,
}

/// One decision per backup, in the order given. `now` is the instant of the
/// prune; the policy is applied as given (see [`RetentionPolicy::validate`]).
///
/// With the defaults (SPEC §7), a complete backup that started at `started`:
/// - **recent**, every one kept: `now - started < 31 × 24 h`. A backup exactly
///   31 days old is no longer recent. Complete backups dated after `now`
///   (a clock that went back) count as recent;
/// - **daily**, only the first of each UTC day kept:
///   `now - 12 months < started <= now - 31 days`, where "minus 12 months" is
///   calendar arithmetic clamped to the month's end (chrono's
///   `checked_sub_months`: 2024-02-29 minus 12 months is 2023-02-28, same time
///   of day);
/// - **monthly**, only the first of each UTC month kept:
///   `started <= now - 12 months`. A backup exactly one year old is monthly.
///
/// - with `keep_monthly_for_months` = N > 0 (not by default), **expired**,
///   deleted: `started <= now - N months`.
///
/// So each band is half-open and its older boundary belongs to the next band.
/// Whatever its age, the newest complete backup is kept. An incomplete backup
/// (a dump without manifest) is deleted once `now - started > 24 h`; up to
/// exactly 24 hours, or dated after `now`, it may still be running and is kept.
///
/// "First of a day (month)" is the earliest complete backup that started that
/// UTC day (month), whatever band it is in: SPEC §7 keeps "the first
/// successful backup of each calendar day", not the first of what is left of
/// it in the band. Pruning is idempotent, a second prune at the same
/// `now` deleting nothing: every rule that keeps a backup looks at the backup
/// alone or asks whether it is the earliest (newest) of a group, and removing
/// other members of a group does not change that. One consequence: on the day
/// the one-year cutoff splits, a backup after the cutoff is deleted when the
/// day's first started before it, even if that first is itself deleted as not
/// the first of its month. With daily pruning that day holds only its first
/// by then, so nothing is lost.
pub fn retention_decisions(
    backups: &[BackupSummary],
    now: DateTime<Utc>,
    policy: &RetentionPolicy,
) -> Vec<Decision> {
    let mut complete: Vec<BackupId> = backups
        .iter()
        .filter(|backup| backup.state == BackupState::Complete)
        .map(|backup| backup.id)
        .collect();
    complete.sort_unstable();
    let newest = complete.last().copied();
    // Oldest first, a backup is the first of its day (month) when the complete
    // backup before it started on an earlier day (month), or there is none.
    let previous_complete = |id: BackupId| {
        let position = complete.partition_point(|other| *other < id);
        let previous = position.checked_sub(1)?;
        complete.get(previous).map(BackupId::started_at)
    };
    let recent_after = now
        .checked_sub_signed(TimeDelta::days(i64::from(policy.keep_all_for_days)))
        .unwrap_or(DateTime::<Utc>::MIN_UTC);
    let daily_after = now
        .checked_sub_months(Months::new(policy.keep_daily_for_months))
        .unwrap_or(DateTime::<Utc>::MIN_UTC);
    let grace = TimeDelta::hours(i64::from(policy.incomplete_grace_hours));
    let kept_after = (policy.keep_monthly_for_months > 0).then(|| {
        now.checked_sub_months(Months::new(policy.keep_monthly_for_months))
            .unwrap_or(DateTime::<Utc>::MIN_UTC)
    });

    let decide = |backup: &BackupSummary| -> (bool, Rule) {
        let started = backup.id.started_at();
        match backup.state {
            BackupState::Incomplete => {
                let hours = policy.incomplete_grace_hours;
                if now.signed_duration_since(started) > grace {
                    (false, Rule::IncompleteExpired { hours })
                } else {
                    (true, Rule::IncompleteInProgress { hours })
                }
            }
            BackupState::Complete if Some(backup.id) == newest => (true, Rule::NewestSuccess),
            BackupState::Complete if started > recent_after => (
                true,
                Rule::Recent {
                    days: policy.keep_all_for_days,
                },
            ),
            BackupState::Complete if started > daily_after => {
                let day = started.date_naive();
                if previous_complete(backup.id).is_none_or(|previous| previous.date_naive() < day) {
                    (true, Rule::FirstOfDay(day))
                } else {
                    (false, Rule::NotFirstOfDay(day))
                }
            }
            BackupState::Complete if kept_after.is_some_and(|after| started <= after) => (
                false,
                Rule::Expired {
                    months: policy.keep_monthly_for_months,
                },
            ),
            BackupState::Complete => {
                let (year, month) = (started.year(), started.month());
                if previous_complete(backup.id)
                    .is_none_or(|previous| (previous.year(), previous.month()) < (year, month))
                {
                    (true, Rule::FirstOfMonth { year, month })
                } else {
                    (false, Rule::NotFirstOfMonth { year, month })
                }
            }
        }
    };
    backups
        .iter()
        .map(|backup| {
            let (keep, rule) = decide(backup);
            Decision {
                id: backup.id,
                keep,
                rule,
            }
        })
        .collect()
}

#[cfg(test)]
mod simulation;
#[cfg(test)]
mod tests;
