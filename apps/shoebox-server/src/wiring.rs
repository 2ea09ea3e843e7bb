//! Builds the object graph: concrete adapters, handed to the use cases as ports.

use std::{fmt, sync::Arc, time::Duration};

use shoebox_application::{
    AccountService, AccountStores, AdministrationService, AlbumService, AuthenticationService,
    OperationsService, PhotoService, PhotoStores, ProvisioningService, SharingService,
    OrphanSweep, VariantMaker,
    jobs::{JobAdministrationService, JobHandlers, ScheduledTask},
};
use shoebox_crypto::Argon2PasswordHasher;
use shoebox_imaging::{RasterImageProcessor, StreamingImageInspector};
use shoebox_object_store::ObjectStoreBlobStore;
use shoebox_http::{HttpState, UseCases};
use shoebox_ports::{
    inbound::Provisioning,
    outbound::{Clock, SystemClock},
};
use shoebox_postgres::{
    PostgresApiTokenRepository, PostgresDatabase, PostgresInvitationRepository,
    PostgresAlbumRepository, PostgresJobQueue, PostgresLoginThrottleRepository,
    PostgresPhotoRepository, PostgresSchemaInspector, PostgresSessionRepository,
    PostgresShareLinkRepository, PostgresUserRepository,
};

use crate::{build_info::build_info, settings::Settings};

/// Everything a process needs, wired.
#[derive(Clone)]
pub struct Application {
    pub use_cases: UseCases,
    pub provisioning: Arc<dyn Provisioning>,
    pub database: PostgresDatabase,
    /// The ports the photo use cases and jobs share (the worker's handlers
    /// are built from them).
    pub photo_stores: PhotoStores,
}

impl fmt::Debug for Application {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Application").finish_non_exhaustive()
    }
}

impl Application {
    pub fn build(settings: &Settings) -> anyhow::Result<Self> {
        Self::build_with_clock(settings, Arc::new(SystemClock))
    }

    /// As [`Application::build`], with a controllable clock (tests).
    pub fn build_with_clock(settings: &Settings, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        let database = PostgresDatabase::connect(settings.database()?)?;
        let stores = AccountStores {
            users: Arc::new(PostgresUserRepository::new(&database)),
            sessions: Arc::new(PostgresSessionRepository::new(&database)),
            api_tokens: Arc::new(PostgresApiTokenRepository::new(&database)),
            invitations: Arc::new(PostgresInvitationRepository::new(&database)),
            throttle: Arc::new(PostgresLoginThrottleRepository::new(&database)),
            hasher: Arc::new(Argon2PasswordHasher::new(settings.password_hashing)?),
            clock: clock.clone(),
        };
        let limits = settings.photos.limits();
        let blobs = ObjectStoreBlobStore::from_settings(&settings.storage)?;
        tracing::debug!(store = blobs.describe(), "object storage");
        let photo_stores = PhotoStores {
            photos: Arc::new(PostgresPhotoRepository::new(&database)),
            albums: Arc::new(PostgresAlbumRepository::new(&database)),
            links: Arc::new(PostgresShareLinkRepository::new(&database)),
            blobs: Arc::new(blobs),
            inspector: Arc::new(StreamingImageInspector),
            processor: Arc::new(RasterImageProcessor::new(limits)),
            clock: clock.clone(),
        };
        let use_cases = UseCases {
            authentication: Arc::new(AuthenticationService::new(stores.clone(), &settings.auth)),
            accounts: Arc::new(AccountService::new(stores.clone())),
            administration: Arc::new(AdministrationService::new(stores.clone(), &settings.auth)),
            operations: Arc::new(OperationsService::new(Arc::new(
                PostgresSchemaInspector::new(&database),
            ))),
            photos: Arc::new(PhotoService::new(
                photo_stores.clone(),
                settings.photos.clone(),
            )),
            albums: Arc::new(AlbumService::new(photo_stores.clone())),
            sharing: Arc::new(SharingService::new(photo_stores.clone())),
            jobs: Arc::new(JobAdministrationService::new(
                Arc::new(PostgresJobQueue::new(&database)),
                clock,
            )),
        };
        let provisioning = Arc::new(ProvisioningService::new(stores));
        Ok(Self {
            use_cases,
            provisioning,
            database,
            photo_stores,
        })
    }

    pub fn http_state(&self, settings: &Settings) -> HttpState {
        HttpState {
            use_cases: self.use_cases.clone(),
            settings: settings.http.clone(),
            build: build_info(),
            session_cookie_max_age: Duration::from_secs(
                settings.auth.session_max_days.saturating_mul(86_400),
            ),
        }
    }

    /// Registers the photo jobs' handlers: variants for uploads, and the
    /// orphan sweep.
    pub fn register_photo_jobs(
        &self,
        handlers: &mut JobHandlers,
        settings: &Settings,
    ) -> anyhow::Result<()> {
        let grace = settings.photos.orphan_grace();
        handlers.register(Arc::new(VariantMaker::new(self.photo_stores.clone())))?;
        handlers.register(Arc::new(OrphanSweep::new(self.photo_stores.clone(), grace)))?;
        Ok(())
    }

    /// The photo tasks of the scheduler.
    pub fn photo_schedule() -> Vec<ScheduledTask> {
        vec![OrphanSweep::scheduled_task()]
    }
}
