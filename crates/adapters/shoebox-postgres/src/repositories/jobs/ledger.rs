//! The scheduler's ledger: which `(task, slot)` pairs have been enqueued.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use shoebox_domain::jobs::NewJob;
use shoebox_ports::outbound::{ScheduleLedger, SlotClaim};

use super::insert_job;
use crate::{PostgresDatabase, schema::schedule_slots};

/// [`ScheduleLedger`] on the `schedule_slots` table.
#[derive(Debug, Clone)]
pub struct PostgresScheduleLedger {
    database: PostgresDatabase,
}

impl PostgresScheduleLedger {
    pub fn new(database: &PostgresDatabase) -> Self {
        Self {
            database: database.clone(),
        }
    }
}

#[async_trait]
impl ScheduleLedger for PostgresScheduleLedger {
    async fn claim_slot(
        &self,
        task: String,
        slot: DateTime<Utc>,
        job: NewJob,
    ) -> anyhow::Result<SlotClaim> {
        self.database
            .run("claiming a scheduler slot", move |connection| {
                connection.transaction(|connection| {
                    // The primary key decides: of all replicas inserting the
                    // same slot, one inserts a row, the others wait for its
                    // transaction and then insert nothing.
                    let recorded = diesel::insert_into(schedule_slots::table)
                        .values((
                            schedule_slots::task.eq(&task),
                            schedule_slots::slot.eq(slot),
                        ))
                        .on_conflict_do_nothing()
                        .execute(connection)?;
                    if recorded == 0 {
                        return Ok(SlotClaim::AlreadyClaimed);
                    }
                    let outcome = insert_job(connection, &job)?;
                    diesel::update(schedule_slots::table.find((&task, slot)))
                        .set(schedule_slots::job_id.eq(outcome.id().as_uuid()))
                        .execute(connection)?;
                    Ok(SlotClaim::Claimed(outcome))
                })
            })
            .await
    }
}
