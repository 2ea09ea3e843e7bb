//! One repository per port of `shoebox_ports::outbound`, each a cheap clone
//! of the pool.

mod albums;
mod api_tokens;
mod exports;
mod invitations;
mod jobs;
mod known_devices;
mod login_throttle;
mod mail_outbox;
mod maintenance;
mod photos;
mod schema_inspector;
mod sessions;
mod share_links;
mod users;

pub(crate) use albums::AlbumPageCache;
pub use albums::PostgresAlbumRepository;
pub use api_tokens::PostgresApiTokenRepository;
pub use exports::{PostgresAuditRepository, PostgresExportRepository};
pub use invitations::PostgresInvitationRepository;
pub(crate) use jobs::insert_job;
pub use jobs::{PostgresJobQueue, PostgresScheduleLedger};
pub use known_devices::PostgresKnownDeviceRepository;
pub use login_throttle::PostgresLoginThrottleRepository;
pub use mail_outbox::PostgresMailOutbox;
pub use maintenance::PostgresMaintenanceRepository;
pub use photos::PostgresPhotoRepository;
pub use schema_inspector::{PostgresDatabaseMonitor, PostgresSchemaInspector};
pub use sessions::PostgresSessionRepository;
pub use share_links::PostgresShareLinkRepository;
pub use users::{
    PostgresEmailConfirmationRepository, PostgresPasswordResetRepository, PostgresUserRepository,
};
