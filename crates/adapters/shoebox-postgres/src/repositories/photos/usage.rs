//! Storage use per member, and the lock that serialises a member's uploads.

use diesel::{
    prelude::*,
    sql_types::{BigInt, Uuid as SqlUuid},
};
use uuid::Uuid;

#[derive(QueryableByName)]
struct Used {
    #[diesel(sql_type = BigInt)]
    bytes: i64,
}

/// Bytes of originals (and their location-free copies) and variants `owner` stores.
pub(crate) fn used_bytes(connection: &mut PgConnection, owner: Uuid) -> QueryResult<u64> {
    let used: Used = diesel::sql_query(
        "SELECT (COALESCE((SELECT SUM(size_bytes + COALESCE(shared_original_size, 0))
                           FROM photos WHERE owner_id = $1), 0)
               + COALESCE((SELECT SUM(v.size_bytes) FROM photo_variants v
                           JOIN photos p ON p.id = v.photo_id WHERE p.owner_id = $1), 0))::bigint
               AS bytes",
    )
    .bind::<SqlUuid, _>(owner)
    .get_result(connection)?;
    Ok(u64::try_from(used.bytes).unwrap_or(0))
}

/// Holds, until the transaction ends, a lock private to `owner`'s uploads, so
/// that two parallel uploads cannot both pass the quota check.
pub(crate) fn lock_owner(connection: &mut PgConnection, owner: Uuid) -> QueryResult<()> {
    diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended('photos:' || $1::text, 0))")
        .bind::<SqlUuid, _>(owner)
        .execute(connection)
        .map(drop)
}
