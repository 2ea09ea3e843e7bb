//! What handlers can reach: the inbound ports and a few facts about the deployment.

use std::{fmt, sync::Arc, time::Duration};

use shoebox_ports::inbound::{
    AccountDeletion, Accounts, Administration, Albums, AuditTrail, Authentication,
    BackupAdministration, DataExports, EmailConfirmation, Invitations, JobAdministration,
    Operations, PasswordRecovery, Photos, Sharing,
};

use crate::{HttpMetrics, HttpSettings, ListingCache};

/// The use cases the HTTP adapter drives.
#[derive(Clone)]
pub struct UseCases {
    pub authentication: Arc<dyn Authentication>,
    pub accounts: Arc<dyn Accounts>,
    pub administration: Arc<dyn Administration>,
    pub operations: Arc<dyn Operations>,
    pub photos: Arc<dyn Photos>,
    pub albums: Arc<dyn Albums>,
    pub sharing: Arc<dyn Sharing>,
    pub jobs: Arc<dyn JobAdministration>,
    pub backups: Arc<dyn BackupAdministration>,
    pub deletion: Arc<dyn AccountDeletion>,
    pub exports: Arc<dyn DataExports>,
    pub audit: Arc<dyn AuditTrail>,
    pub recovery: Arc<dyn PasswordRecovery>,
    pub confirmation: Arc<dyn EmailConfirmation>,
    pub invitations: Arc<dyn Invitations>,
}

impl fmt::Debug for UseCases {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UseCases").finish_non_exhaustive()
    }
}

/// Facts about the running binary, for `/version`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct BuildInfo {
    /// From `git describe --tags`; `0.0.0+<sha>` when untagged.
    pub version: String,
    pub git_sha: String,
    pub build_date: String,
    /// The newest database migration this binary embeds.
    pub schema_version: String,
}

#[derive(Debug, Clone)]
pub struct HttpState {
    pub use_cases: UseCases,
    pub settings: HttpSettings,
    pub build: BuildInfo,
    /// How long the browser keeps the session cookie (the server decides validity).
    pub session_cookie_max_age: Duration,
    /// Album pages as sent, by tag.
    pub listings: ListingCache,
    /// Requests and latencies of this process, for `/metrics`.
    pub metrics: HttpMetrics,
}
