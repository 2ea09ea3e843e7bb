//! Counters of failed logins, shared by every server replica.

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};
use diesel::{
    dsl::case_when,
    prelude::*,
    result::Error as DieselError,
    sql_types::{Integer, Timestamptz},
};
use shoebox_domain::auth::{ThrottleKey, ThrottleState};
use shoebox_ports::outbound::LoginThrottleRepository;

use crate::{PostgresDatabase, rows::ThrottleRow, schema::login_throttle};

/// [`LoginThrottleRepository`] on the `login_throttle` table.
#[derive(Debug, Clone)]
pub struct PostgresLoginThrottleRepository {
    database: PostgresDatabase,
}

impl PostgresLoginThrottleRepository {
    pub fn new(database: &PostgresDatabase) -> Self {
        Self {
            database: database.clone(),
        }
    }
}

fn owned_parts(key: &ThrottleKey) -> (String, String) {
    (key.scope().to_owned(), key.value().to_owned())
}

#[async_trait]
impl LoginThrottleRepository for PostgresLoginThrottleRepository {
    async fn counters(
        &self,
        keys: Vec<ThrottleKey>,
    ) -> anyhow::Result<Vec<(ThrottleKey, ThrottleState)>> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let values_in = |scope: &str| -> Vec<String> {
            keys.iter()
                .filter(|key| key.scope() == scope)
                .map(|key| key.value().to_owned())
                .collect()
        };
        let (accounts, ips) = (values_in("account"), values_in("ip"));
        let rows = self
            .database
            .run("reading login throttle counters", move |connection| {
                login_throttle::table
                    .filter(
                        login_throttle::scope
                            .eq("account")
                            .and(login_throttle::key.eq_any(accounts))
                            .or(login_throttle::scope
                                .eq("ip")
                                .and(login_throttle::key.eq_any(ips))),
                    )
                    .select(ThrottleRow::as_select())
                    .load(connection)
            })
            .await?;
        rows.into_iter().map(ThrottleRow::into_counter).collect()
    }

    async fn record_failure(
        &self,
        keys: Vec<ThrottleKey>,
        now: DateTime<Utc>,
        window: Duration,
    ) -> anyhow::Result<()> {
        // `window_started_at <= now - window` is `window_started_at + window <= now`,
        // with the arithmetic done once here instead of in SQL.
        let window_over_before = TimeDelta::from_std(window)
            .ok()
            .and_then(|window| now.checked_sub_signed(window))
            .unwrap_or(DateTime::UNIX_EPOCH);
        let keys: Vec<(String, String)> = keys.iter().map(owned_parts).collect();
        self.database
            .run("recording a failed login", move |connection| {
                connection.transaction::<_, DieselError, _>(|connection| {
                    for (scope, key) in keys {
                        let window_over =
                            || login_throttle::window_started_at.le(window_over_before);
                        diesel::insert_into(login_throttle::table)
                            .values((
                                login_throttle::scope.eq(scope),
                                login_throttle::key.eq(key),
                                login_throttle::failures.eq(1),
                                login_throttle::window_started_at.eq(now),
                            ))
                            .on_conflict((login_throttle::scope, login_throttle::key))
                            .do_update()
                            .set((
                                login_throttle::failures.eq(case_when(
                                    window_over(),
                                    1.into_sql::<Integer>(),
                                )
                                .otherwise(login_throttle::failures + 1)),
                                login_throttle::window_started_at.eq(case_when(
                                    window_over(),
                                    now.into_sql::<Timestamptz>(),
                                )
                                .otherwise(login_throttle::window_started_at)),
                            ))
                            .execute(connection)?;
                    }
                    Ok(())
                })
            })
            .await
    }

    async fn clear(&self, key: ThrottleKey) -> anyhow::Result<()> {
        let (scope, key) = owned_parts(&key);
        self.database
            .run("clearing a login throttle counter", move |connection| {
                diesel::delete(login_throttle::table.find((scope, key))).execute(connection)
            })
            .await?;
        Ok(())
    }
}
