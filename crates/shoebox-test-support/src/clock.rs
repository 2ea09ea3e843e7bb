//! A clock that only moves when a test moves it.

use std::{
    sync::{Arc, Mutex, PoisonError},
    time::Duration,
};

use chrono::{DateTime, TimeDelta, Utc};
use shoebox_ports::outbound::Clock;

/// A [`Clock`] under the test's control. Clones share one time, so a test can
/// hand a clone to the code under test and keep one to move time forward.
#[derive(Debug, Clone)]
pub struct FakeClock {
    now: Arc<Mutex<DateTime<Utc>>>,
}

impl FakeClock {
    pub fn at(now: DateTime<Utc>) -> Self {
        Self {
            now: Arc::new(Mutex::new(now)),
        }
    }

    pub fn set(&self, now: DateTime<Utc>) {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner) = now;
    }

    /// Moves time forward; saturates at the latest representable instant.
    pub fn advance(&self, by: Duration) {
        let mut now = self.now.lock().unwrap_or_else(PoisonError::into_inner);
        let by = TimeDelta::from_std(by).unwrap_or(TimeDelta::MAX);
        *now = now
            .checked_add_signed(by)
            .unwrap_or(DateTime::<Utc>::MAX_UTC);
    }
}

impl Clock for FakeClock {
    fn now(&self) -> DateTime<Utc> {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_moves_only_when_told_and_clones_share_it() {
        let start = DateTime::<Utc>::from_timestamp(1_700_000_000, 0).unwrap();
        let clock = FakeClock::at(start);
        let handed_out: Box<dyn Clock> = Box::new(clock.clone());
        assert_eq!(handed_out.now(), start);
        clock.advance(Duration::from_secs(90));
        assert_eq!(handed_out.now(), start + TimeDelta::seconds(90));
        clock.set(start);
        assert_eq!(handed_out.now(), start);
        clock.advance(Duration::MAX);
        assert_eq!(handed_out.now(), DateTime::<Utc>::MAX_UTC);
    }
}
