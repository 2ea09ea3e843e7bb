//! What the application offers its drivers: the HTTP adapter and the CLI call
//! these traits and nothing else.

mod accounts;
mod administration;
mod backups;
mod invitations;
mod jobs;
mod operations;
mod photos;
mod privacy;
mod recovery;

pub use accounts::{Accounts, Authentication, SignedIn, SignedUp};
pub use administration::{Administration, EnsureUser, Provisioning};
pub use backups::{
    BackupAdminError, BackupAdministration, BackupListing, BackupOverview, BackupStatus,
};
pub use invitations::{InvitationPreview, Invitations, InviteError, PreviewInvitationError};
pub use jobs::JobAdministration;
pub use operations::{NotReady, OperationalFigures, Operations};
pub use photos::{
    Albums, CreateAlbum, CreatedShareLink, FileBytes, FileDescriptor, PhotoUpload, Photos,
    ReadFileError, Sharing, StagedPhoto, UploadedPhoto,
};
pub use privacy::{AccountDeletion, AuditTrail, DataExports, ExportArchive};
pub use recovery::{EmailConfirmation, PasswordRecovery, RequestResetError, ResetPasswordError};

#[cfg(feature = "mock")]
pub use accounts::{MockAccounts, MockAuthentication};
#[cfg(feature = "mock")]
pub use administration::{MockAdministration, MockProvisioning};
#[cfg(feature = "mock")]
pub use backups::MockBackupAdministration;
#[cfg(feature = "mock")]
pub use invitations::MockInvitations;
#[cfg(feature = "mock")]
pub use jobs::MockJobAdministration;
#[cfg(feature = "mock")]
pub use operations::MockOperations;
#[cfg(feature = "mock")]
pub use photos::{MockAlbums, MockPhotos, MockSharing};
#[cfg(feature = "mock")]
pub use privacy::{MockAccountDeletion, MockAuditTrail, MockDataExports};
#[cfg(feature = "mock")]
pub use recovery::{MockEmailConfirmation, MockPasswordRecovery};
