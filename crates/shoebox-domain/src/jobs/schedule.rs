//! Cron-like schedules, evaluated in UTC.

use std::{fmt, str::FromStr};

use chrono::{DateTime, Utc};
use croner::Cron;

use super::ScheduleError;

/// A five-field cron pattern (`minute hour day-of-month month day-of-week`,
/// or an alias like `@hourly`), evaluated in UTC so that no slot is skipped
/// or doubled when a local clock changes.
#[derive(Clone)]
pub struct Schedule {
    pattern: String,
    cron: Cron,
}

impl Schedule {
    pub fn parse(pattern: &str) -> Result<Self, ScheduleError> {
        let cron = Cron::from_str(pattern).map_err(|error| ScheduleError {
            pattern: pattern.to_owned(),
            reason: error.to_string(),
        })?;
        Ok(Self {
            pattern: pattern.to_owned(),
            cron,
        })
    }

    /// Every hour on the hour.
    pub fn hourly() -> Self {
        Self::from_known("0 * * * *")
    }

    /// Every day at `hour:minute` UTC (values are taken modulo 24 and 60).
    pub fn daily_at(hour: u32, minute: u32) -> Self {
        Self::from_known(&format!("{} {} * * *", minute % 60, hour % 24))
    }

    fn from_known(pattern: &str) -> Self {
        match Self::parse(pattern) {
            Ok(schedule) => schedule,
            // The patterns above are valid by construction; a croner release
            // that rejected them would fail this crate's tests.
            Err(error) => unreachable!("{error}"),
        }
    }

    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    /// The first slot strictly after `time`.
    pub fn next_after(&self, time: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.cron.find_next_occurrence(&time, false).ok()
    }

    /// The latest slot at or before `time`: the one slot a scheduler that was
    /// away for a while still owes (it never catches up on older ones).
    pub fn latest_at_or_before(&self, time: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.cron.find_previous_occurrence(&time, true).ok()
    }
}

impl fmt::Debug for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Schedule").field(&self.pattern).finish()
    }
}

impl PartialEq for Schedule {
    fn eq(&self, other: &Self) -> bool {
        self.pattern == other.pattern
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeDelta;

    fn time(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    #[test]
    fn hourly_slots_are_on_the_hour() {
        let hourly = Schedule::hourly();
        assert_eq!(
            hourly.next_after(time("2026-11-23T10:15:00Z")),
            Some(time("2026-11-23T11:00:00Z"))
        );
        assert_eq!(
            hourly.next_after(time("2026-11-23T11:00:00Z")),
            Some(time("2026-11-23T12:00:00Z")),
            "strictly after"
        );
        assert_eq!(
            hourly.latest_at_or_before(time("2026-11-23T11:00:00Z")),
            Some(time("2026-11-23T11:00:00Z")),
            "a slot is due at its own instant"
        );
        assert_eq!(
            hourly.latest_at_or_before(time("2026-11-23T11:59:59Z")),
            Some(time("2026-11-23T11:00:00Z"))
        );
    }

    #[test]
    fn daily_slots_are_in_utc() {
        let daily = Schedule::daily_at(3, 30);
        assert_eq!(daily.pattern(), "30 3 * * *");
        let now = time("2026-03-29T02:00:00Z");
        assert_eq!(daily.next_after(now), Some(time("2026-03-29T03:30:00Z")));
        assert_eq!(
            daily.latest_at_or_before(now),
            Some(time("2026-03-28T03:30:00Z"))
        );
        let after = daily.next_after(time("2026-03-29T03:30:00Z")).unwrap();
        assert_eq!(after - time("2026-03-29T03:30:00Z"), TimeDelta::days(1));
    }

    #[test]
    fn bad_patterns_are_refused_with_the_pattern_named() {
        for bad in ["", "every hour", "61 * * * *", "* * *"] {
            let error = Schedule::parse(bad).unwrap_err();
            assert_eq!(error.pattern, bad);
        }
        assert!(Schedule::parse("@hourly").is_ok());
    }
}
