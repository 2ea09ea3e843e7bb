//! # shoebox-application
//!
//! The use cases. Each service implements inbound ports from `shoebox-ports`
//! by orchestrating outbound ports it receives as `Arc<dyn Trait>`; it owns the
//! order of steps and the business decisions, and delegates every rule that
//! can be pure to `shoebox-domain`.
//!
//! Architecture Invariant: no SQL, no HTTP, no file or network I/O here, and no
//! concrete adapter type: only traits. A use case never holds a connection pool.

mod accounts;
mod administration;
mod audit;
mod authentication;
pub mod backups;
pub mod jobs;
pub mod mail;
mod operations;
mod photos;
pub mod privacy;
mod provisioning;
mod settings;

pub use accounts::AccountService;
pub use administration::AdministrationService;
pub use audit::{AuditService, Auditor};
pub use authentication::{AccountStores, AuthenticationService};
pub use operations::OperationsService;
pub use photos::{
    AlbumService, MAKE_VARIANTS_JOB, OrphanSweep, PhotoService, PhotoSettings, PhotoStores,
    SWEEP_ORPHANS_JOB, SharingService, SweepReport, VariantMaker, photo_of_variants_job,
    variants_job,
};
pub use provisioning::ProvisioningService;
pub use settings::AuthSettings;
