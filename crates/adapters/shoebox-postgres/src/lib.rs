//! # shoebox-postgres
//!
//! Everything Shoebox keeps in PostgreSQL: the diesel schema, the embedded
//! migrations and the mechanics of applying them ([`migrations`]), the
//! connection pool ([`PostgresDatabase`]) with its settings
//! ([`DatabaseSettings`]), and the repositories that implement the
//! persistence ports of `shoebox-ports`.
//!
//! Each repository method keeps its whole transaction inside itself and
//! translates at the seam: rows become domain types (a row that does not parse
//! is an unexpected error, never a panic), and database outcomes that mean
//! something to the business (a unique violation on `users.email`, an
//! invitation that can no longer be used) become the port's error variants.
//!
//! Architecture Invariant: this crate depends on `shoebox-domain` and
//! `shoebox-ports` only; it knows nothing of HTTP, of the use cases in
//! `shoebox-application`, or of any other adapter. Nothing outside it sees a
//! diesel type, SQL text, or the database URL.

mod archive;
mod database;
pub mod migrations;
mod repositories;
mod rows;
mod schema;
mod settings;

pub use archive::PostgresArchive;
pub use database::PostgresDatabase;
pub use repositories::{
    PostgresAlbumRepository, PostgresApiTokenRepository, PostgresAuditRepository,
    PostgresDatabaseMonitor, PostgresEmailConfirmationRepository, PostgresExportRepository,
    PostgresInvitationRepository, PostgresJobQueue, PostgresKnownDeviceRepository,
    PostgresLoginThrottleRepository, PostgresMailOutbox, PostgresMaintenanceRepository,
    PostgresPasswordResetRepository, PostgresPhotoRepository, PostgresScheduleLedger,
    PostgresSchemaInspector, PostgresSessionRepository, PostgresShareLinkRepository,
    PostgresUserRepository,
};
pub use settings::DatabaseSettings;
