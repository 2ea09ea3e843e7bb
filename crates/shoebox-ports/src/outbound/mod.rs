//! What the application needs from the outside world. Each trait is a business
//! capability; each method says which errors it can return. Every method keeps
//! its whole transaction inside the adapter.

mod accounts;
mod archive;
mod imaging;
mod jobs;
mod mail;
mod photos;
mod privacy;
mod storage;
mod system;

pub use accounts::{
    ApiTokenRepository, DeviceSighting, InsertUserError, InvitationRepository,
    KnownDeviceRepository, LoginThrottleRepository, PasswordHasher, SessionRepository,
    UserRepository,
};
pub use archive::{
    ArchiveDecryptor, ArchiveEncryptor, DatabaseArchive, DatabaseDump, DatabaseFacts, FactsFuture,
    RestoreError,
};
pub use imaging::{
    ImageInspector, ImageProcessor, ImageScan, LocationScrubber, ScrubLocationError, VariantError,
};
pub use jobs::{
    ClaimRequest, JobQueue, MaintenanceRepository, ScheduleLedger, SlotClaim, WakeReason,
};
pub use mail::{
    EmailConfirmationRepository, MailOutbox, Mailer, PasswordResetRepository, SendMailError,
};
pub use photos::{
    AlbumRepository, ChangeAlbumPhotosError, InsertPhotosError, InsertedPhoto, PhotoRepository,
    PhotoWithJob, ShareLinkRepository, UpdateAlbumRowError,
};
pub use privacy::{AuditRepository, ExportRepository, InsertExportError, ZipBuilder, ZipPacker};
pub use storage::{BlobError, BlobRead, BlobStore, BlobWriter, ByteStream, ObjectMetaStream};
pub use system::{Clock, DatabaseMonitor, PoolStatus, SchemaInspector, SchemaState, SystemClock};

#[cfg(feature = "mock")]
pub use accounts::{
    MockApiTokenRepository, MockInvitationRepository, MockKnownDeviceRepository,
    MockLoginThrottleRepository, MockPasswordHasher, MockSessionRepository, MockUserRepository,
};
#[cfg(feature = "mock")]
pub use archive::{MockArchiveDecryptor, MockArchiveEncryptor, MockDatabaseArchive};
#[cfg(feature = "mock")]
pub use imaging::{MockImageInspector, MockImageProcessor, MockLocationScrubber};
#[cfg(feature = "mock")]
pub use jobs::{MockJobQueue, MockMaintenanceRepository, MockScheduleLedger};
#[cfg(feature = "mock")]
pub use mail::{
    MockEmailConfirmationRepository, MockMailOutbox, MockMailer, MockPasswordResetRepository,
};
#[cfg(feature = "mock")]
pub use photos::{MockAlbumRepository, MockPhotoRepository, MockShareLinkRepository};
#[cfg(feature = "mock")]
pub use privacy::{MockAuditRepository, MockExportRepository, MockZipBuilder, MockZipPacker};
#[cfg(feature = "mock")]
pub use storage::{MockBlobStore, MockBlobWriter};
#[cfg(feature = "mock")]
pub use system::{MockClock, MockDatabaseMonitor, MockSchemaInspector};
