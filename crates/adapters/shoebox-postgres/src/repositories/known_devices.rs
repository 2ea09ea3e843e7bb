//! The browsers each member has signed in from.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use shoebox_domain::{accounts::UserId, auth::TokenHash};
use shoebox_ports::outbound::{DeviceSighting, KnownDeviceRepository};

use crate::{PostgresDatabase, rows::hash_bytes, schema::known_devices};

/// [`KnownDeviceRepository`] on the `known_devices` table.
#[derive(Debug, Clone)]
pub struct PostgresKnownDeviceRepository {
    database: PostgresDatabase,
}

impl PostgresKnownDeviceRepository {
    pub fn new(database: &PostgresDatabase) -> Self {
        Self {
            database: database.clone(),
        }
    }
}

#[async_trait]
impl KnownDeviceRepository for PostgresKnownDeviceRepository {
    async fn remember(
        &self,
        user_id: UserId,
        device: TokenHash,
        now: DateTime<Utc>,
    ) -> anyhow::Result<DeviceSighting> {
        let (user_id, device) = (user_id.as_uuid(), hash_bytes(&device));
        self.database
            .run("remembering a device", move |connection| {
                connection.transaction(|connection| {
                    let mine = known_devices::table.filter(known_devices::user_id.eq(user_id));
                    let others: bool = diesel::select(diesel::dsl::exists(
                        mine.filter(known_devices::device_hash.ne(&device)),
                    ))
                    .get_result(connection)?;
                    let known: bool = diesel::select(diesel::dsl::exists(
                        mine.filter(known_devices::device_hash.eq(&device)),
                    ))
                    .get_result(connection)?;
                    // Inserted (a new device) or, on conflict, touched.
                    diesel::insert_into(known_devices::table)
                        .values((
                            known_devices::user_id.eq(user_id),
                            known_devices::device_hash.eq(&device),
                            known_devices::first_seen_at.eq(now),
                            known_devices::last_seen_at.eq(now),
                        ))
                        .on_conflict((known_devices::user_id, known_devices::device_hash))
                        .do_update()
                        .set(known_devices::last_seen_at.eq(now))
                        .execute(connection)?;
                    Ok(DeviceSighting { known, others })
                })
            })
            .await
    }
}
