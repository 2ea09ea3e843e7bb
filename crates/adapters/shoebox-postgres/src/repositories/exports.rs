//! Data exports and the audit log.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::{
    prelude::*,
    result::{DatabaseErrorKind, Error as DieselError},
};
use shoebox_domain::{
    accounts::UserId,
    audit::{AuditAction, AuditActor, AuditEntry, AuditEntryId},
    jobs::NewJob,
    page::{Page, PageRequest},
    privacy::{DataExport, ExportId, ExportStatus},
};
use shoebox_ports::outbound::{AuditRepository, ExportRepository, InsertExportError};
use uuid::Uuid;

use super::insert_job;
use crate::{
    PostgresDatabase,
    schema::{audit_log, data_exports},
};

/// [`ExportRepository`] on the `data_exports` table.
#[derive(Debug, Clone)]
pub struct PostgresExportRepository {
    database: PostgresDatabase,
}

impl PostgresExportRepository {
    pub fn new(database: &PostgresDatabase) -> Self {
        Self {
            database: database.clone(),
        }
    }
}

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = data_exports, check_for_backend(diesel::pg::Pg))]
struct ExportRow {
    id: Uuid,
    user_id: Uuid,
    status: String,
    requested_at: DateTime<Utc>,
    finished_at: Option<DateTime<Utc>>,
    expires_at: Option<DateTime<Utc>>,
    size_bytes: Option<i64>,
    photo_count: Option<i64>,
}

fn count_of(value: Option<i64>) -> Option<u64> {
    value.and_then(|value| u64::try_from(value).ok())
}

fn column_of(value: Option<u64>) -> Option<i64> {
    value.map(|value| i64::try_from(value).unwrap_or(i64::MAX))
}

impl TryFrom<ExportRow> for DataExport {
    type Error = anyhow::Error;

    fn try_from(row: ExportRow) -> anyhow::Result<Self> {
        let status = ExportStatus::parse(&row.status)
            .ok_or_else(|| anyhow::anyhow!("unknown export status {:?}", row.status))?;
        Ok(DataExport {
            id: ExportId::from_uuid(row.id),
            owner_id: UserId::from_uuid(row.user_id),
            status,
            requested_at: row.requested_at,
            finished_at: row.finished_at,
            expires_at: row.expires_at,
            size_bytes: count_of(row.size_bytes),
            photo_count: count_of(row.photo_count),
        })
    }
}

impl From<&DataExport> for ExportRow {
    fn from(export: &DataExport) -> Self {
        Self {
            id: export.id.as_uuid(),
            user_id: export.owner_id.as_uuid(),
            status: export.status.as_str().to_owned(),
            requested_at: export.requested_at,
            finished_at: export.finished_at,
            expires_at: export.expires_at,
            size_bytes: column_of(export.size_bytes),
            photo_count: column_of(export.photo_count),
        }
    }
}

fn exports_of(rows: Vec<ExportRow>) -> anyhow::Result<Vec<DataExport>> {
    rows.into_iter().map(DataExport::try_from).collect()
}

#[async_trait]
impl ExportRepository for PostgresExportRepository {
    async fn insert(&self, export: DataExport, job: NewJob) -> Result<(), InsertExportError> {
        let row = ExportRow::from(&export);
        let inserted = self
            .database
            .run("recording an export", move |connection| {
                connection.transaction(|connection| {
                    match diesel::insert_into(data_exports::table)
                        .values(&row)
                        .execute(connection)
                    {
                        Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {
                            return Ok(false);
                        }
                        other => other?,
                    };
                    insert_job(connection, &job)?;
                    Ok(true)
                })
            })
            .await?;
        if inserted {
            Ok(())
        } else {
            Err(InsertExportError::AlreadyPending)
        }
    }

    async fn find(&self, id: ExportId) -> anyhow::Result<Option<DataExport>> {
        let id = id.as_uuid();
        let row = self
            .database
            .run("finding an export", move |connection| {
                data_exports::table
                    .find(id)
                    .select(ExportRow::as_select())
                    .first(connection)
                    .optional()
            })
            .await?;
        row.map(DataExport::try_from).transpose()
    }

    async fn list(&self, owner: UserId) -> anyhow::Result<Vec<DataExport>> {
        let owner = owner.as_uuid();
        let rows = self
            .database
            .run("listing exports", move |connection| {
                data_exports::table
                    .filter(data_exports::user_id.eq(owner))
                    .order(data_exports::id.desc())
                    .select(ExportRow::as_select())
                    .load(connection)
            })
            .await?;
        exports_of(rows)
    }

    async fn mark_ready(
        &self,
        id: ExportId,
        finished_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
        size_bytes: u64,
        photo_count: u64,
    ) -> anyhow::Result<bool> {
        let id = id.as_uuid();
        let size = column_of(Some(size_bytes));
        let count = column_of(Some(photo_count));
        let updated = self
            .database
            .run("marking an export ready", move |connection| {
                diesel::update(
                    data_exports::table
                        .find(id)
                        .filter(data_exports::status.eq(ExportStatus::Pending.as_str())),
                )
                .set((
                    data_exports::status.eq(ExportStatus::Ready.as_str()),
                    data_exports::finished_at.eq(finished_at),
                    data_exports::expires_at.eq(expires_at),
                    data_exports::size_bytes.eq(size),
                    data_exports::photo_count.eq(count),
                ))
                .execute(connection)
            })
            .await?;
        Ok(updated == 1)
    }

    async fn mark_failed(
        &self,
        id: ExportId,
        finished_at: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        let id = id.as_uuid();
        self.database
            .run("marking an export failed", move |connection| {
                diesel::update(
                    data_exports::table
                        .find(id)
                        .filter(data_exports::status.eq(ExportStatus::Pending.as_str())),
                )
                .set((
                    data_exports::status.eq(ExportStatus::Failed.as_str()),
                    data_exports::finished_at.eq(finished_at),
                    data_exports::expires_at.eq(expires_at),
                ))
                .execute(connection)
            })
            .await?;
        Ok(())
    }

    async fn expired(&self, now: DateTime<Utc>, limit: i64) -> anyhow::Result<Vec<DataExport>> {
        let rows = self
            .database
            .run("finding expired exports", move |connection| {
                data_exports::table
                    .filter(data_exports::expires_at.le(now))
                    .order(data_exports::expires_at.asc())
                    .limit(limit)
                    .select(ExportRow::as_select())
                    .load(connection)
            })
            .await?;
        exports_of(rows)
    }

    async fn delete(&self, id: ExportId) -> anyhow::Result<()> {
        let id = id.as_uuid();
        self.database
            .run("deleting an export", move |connection| {
                diesel::delete(data_exports::table.find(id)).execute(connection)
            })
            .await?;
        Ok(())
    }
}

/// [`AuditRepository`] on the `audit_log` table.
#[derive(Debug, Clone)]
pub struct PostgresAuditRepository {
    database: PostgresDatabase,
}

impl PostgresAuditRepository {
    pub fn new(database: &PostgresDatabase) -> Self {
        Self {
            database: database.clone(),
        }
    }
}

#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_log, check_for_backend(diesel::pg::Pg))]
struct AuditRow {
    id: Uuid,
    occurred_at: DateTime<Utc>,
    actor_kind: String,
    actor_id: Option<Uuid>,
    action: String,
    target_id: Option<Uuid>,
}

impl TryFrom<AuditRow> for AuditEntry {
    type Error = anyhow::Error;

    fn try_from(row: AuditRow) -> anyhow::Result<Self> {
        let actor = AuditActor::from_parts(&row.actor_kind, row.actor_id.map(UserId::from_uuid))
            .ok_or_else(|| anyhow::anyhow!("unknown audit actor {:?}", row.actor_kind))?;
        let action = AuditAction::parse(&row.action)
            .ok_or_else(|| anyhow::anyhow!("unknown audit action {:?}", row.action))?;
        Ok(AuditEntry {
            id: AuditEntryId::from_uuid(row.id),
            occurred_at: row.occurred_at,
            actor,
            action,
            target_id: row.target_id,
        })
    }
}

#[async_trait]
impl AuditRepository for PostgresAuditRepository {
    async fn append(&self, entry: AuditEntry) -> anyhow::Result<()> {
        let row = AuditRow {
            id: entry.id.as_uuid(),
            occurred_at: entry.occurred_at,
            actor_kind: entry.actor.kind().to_owned(),
            actor_id: entry.actor.member().map(|id| id.as_uuid()),
            action: entry.action.as_str().to_owned(),
            target_id: entry.target_id,
        };
        self.database
            .run("writing the audit log", move |connection| {
                diesel::insert_into(audit_log::table)
                    .values(&row)
                    .execute(connection)
            })
            .await?;
        Ok(())
    }

    async fn list(&self, page: PageRequest) -> anyhow::Result<Page<AuditEntry>> {
        let limit = i64::from(page.limit()) + 1;
        let after = page.after();
        let rows = self
            .database
            .run("reading the audit log", move |connection| {
                let mut query = audit_log::table
                    .order(audit_log::id.desc())
                    .limit(limit)
                    .select(AuditRow::as_select())
                    .into_boxed();
                if let Some(after) = after {
                    query = query.filter(audit_log::id.lt(after));
                }
                query.load(connection)
            })
            .await?;
        let entries = rows
            .into_iter()
            .map(AuditEntry::try_from)
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(Page::from_overfetched(entries, page, |entry| {
            entry.id.as_uuid()
        }))
    }
}
