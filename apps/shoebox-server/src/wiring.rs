//! Builds the object graph: concrete adapters, handed to the use cases as ports.

use std::{fmt, sync::Arc, time::Duration};

use shoebox_application::{
    AccountService, AccountStores, AdministrationService, AlbumService, AuditService, Auditor,
    AuthenticationService, OperationsService, OrphanSweep, PhotoService, PhotoStores,
    ProvisioningService, SharingService, VariantMaker,
    backups::{
        BackupAdministrationService, BackupJob, BackupService, BackupSettings, BackupStores,
        VerifyJob,
    },
    jobs::{JobAdministrationService, JobHandlers, PurgeExpiredHandler, ScheduledTask},
    mail::{
        EmailConfirmationService, InvitationService, MailTemplates, PasswordRecoveryService,
        Postman, RecoveryStores, SendMailJob,
    },
    privacy::{
        BuildExportJob, DeletionService, EraseDueJob, ErasureService, ExportService,
        SweepExportsJob,
    },
};
use shoebox_crypto::{AgeDecryptor, AgeEncryptor, Argon2PasswordHasher};
use shoebox_domain::jobs::PurgePolicy;
use shoebox_http::{HttpMetrics, HttpState, ListingCache, UseCases};
use shoebox_imaging::{MetadataLocationScrubber, RasterImageProcessor, StreamingImageInspector};
use shoebox_object_store::ObjectStoreBlobStore;
use shoebox_ports::{
    inbound::Provisioning,
    outbound::{
        ArchiveDecryptor, ArchiveEncryptor, Clock, JobQueue, MailOutbox, Mailer,
        MaintenanceRepository, SystemClock,
    },
};
use shoebox_postgres::{
    DatabaseSettings, PostgresAlbumRepository, PostgresApiTokenRepository, PostgresArchive,
    PostgresAuditRepository, PostgresDatabase, PostgresDatabaseMonitor,
    PostgresEmailConfirmationRepository, PostgresExportRepository, PostgresInvitationRepository,
    PostgresJobQueue, PostgresKnownDeviceRepository, PostgresLoginThrottleRepository,
    PostgresMailOutbox, PostgresMaintenanceRepository, PostgresPasswordResetRepository,
    PostgresPhotoRepository, PostgresSchemaInspector, PostgresSessionRepository,
    PostgresShareLinkRepository, PostgresUserRepository,
};
use shoebox_zip::AsyncZipPacker;

use crate::{
    build_info::{VERSION, build_info},
    settings::Settings,
};

/// The use cases a restore runs against the database it restored.
#[derive(Debug, Clone)]
pub struct AfterRestore {
    /// Replays the deletion ledger.
    pub erasure: ErasureService,
    /// Removes export ZIPs the restored database does not know.
    pub exports: ExportService,
    /// Records the restore.
    pub audit: Auditor,
}

/// Everything a process needs, wired.
#[derive(Clone)]
pub struct Application {
    pub use_cases: UseCases,
    pub provisioning: Arc<dyn Provisioning>,
    pub database: PostgresDatabase,
    /// For enqueueing and the admin view; workers get a listening queue
    /// (see `background`).
    pub job_queue: Arc<dyn JobQueue>,
    pub clock: Arc<dyn Clock>,
    maintenance: Arc<dyn MaintenanceRepository>,
    purge_policy: PurgePolicy,
    /// The ports the photo use cases and jobs share.
    pub photo_stores: PhotoStores,
    /// How old an unclaimed object must be before the sweeper removes it.
    orphan_grace: chrono::TimeDelta,
    /// Backups of the configured database into the configured store.
    pub backups: Arc<BackupService>,
    backup_settings: BackupSettings,
    /// Erasing members, and replaying the deletion ledger.
    pub erasure: ErasureService,
    /// Account deletion, for the operator's command line and the job.
    pub deletion: DeletionService,
    /// Data exports, for their jobs.
    pub exports: ExportService,
    hasher: Arc<dyn shoebox_ports::outbound::PasswordHasher>,
    /// Messages waiting for the `mail.send` job, and what delivers them.
    outbox: Arc<dyn MailOutbox>,
    mailer: Arc<dyn Mailer>,
    /// The message templates, for a restore's aftercare.
    templates: Arc<MailTemplates>,
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
            devices: Arc::new(PostgresKnownDeviceRepository::new(&database)),
            throttle: Arc::new(PostgresLoginThrottleRepository::new(&database)),
            hasher: Arc::new(Argon2PasswordHasher::new(settings.password_hashing)?),
            clock: Arc::clone(&clock),
        };
        let job_queue: Arc<dyn JobQueue> = Arc::new(PostgresJobQueue::new(&database));
        let audit_log = Arc::new(PostgresAuditRepository::new(&database));
        let auditor = Auditor::new(audit_log.clone(), Arc::clone(&clock));
        let blobs = ObjectStoreBlobStore::from_settings(&settings.storage)?;
        tracing::debug!(store = blobs.describe(), "object storage");
        let photo_stores = PhotoStores {
            photos: Arc::new(PostgresPhotoRepository::new(&database)),
            albums: Arc::new(PostgresAlbumRepository::new(&database)),
            links: Arc::new(PostgresShareLinkRepository::new(&database)),
            blobs: Arc::new(blobs),
            inspector: Arc::new(StreamingImageInspector),
            processor: Arc::new(RasterImageProcessor::new(settings.photos.limits())),
            scrubber: Arc::new(MetadataLocationScrubber),
            clock: Arc::clone(&clock),
        };
        let encryptor: Option<Arc<dyn ArchiveEncryptor>> = if settings.backup.recipients.is_empty()
        {
            None
        } else {
            Some(Arc::new(AgeEncryptor::new(&settings.backup.recipients)?))
        };
        let backups = Arc::new(BackupService::new(
            BackupStores {
                archive: Arc::new(PostgresArchive::new(settings.database()?)?),
                blobs: Arc::clone(&photo_stores.blobs),
                clock: Arc::clone(&clock),
                encryptor,
            },
            settings.backup.retention,
            VERSION,
        ));
        let templates = Arc::new(MailTemplates::new(
            &settings.instance,
            &settings.http.public_url,
        )?);
        let outbox: Arc<dyn MailOutbox> = Arc::new(PostgresMailOutbox::new(&database));
        let mailer = shoebox_mail::mailer_from_settings(&settings.mail)?;
        tracing::debug!(mail = settings.mail.describe(), "mail transport");
        let postman = Postman::new(
            Arc::clone(&outbox),
            Arc::clone(&templates),
            Arc::clone(&clock),
        );
        let erasure = ErasureService::new(
            Arc::clone(&stores.users),
            Arc::clone(&photo_stores.blobs),
            Arc::clone(&clock),
        );
        let deletion = DeletionService::new(
            Arc::clone(&stores.users),
            Arc::clone(&stores.hasher),
            Arc::clone(&clock),
            erasure.clone(),
            settings.privacy.deletion_policy(),
            auditor.clone(),
            postman.clone(),
        );
        let exports = ExportService::new(
            Arc::new(PostgresExportRepository::new(&database)),
            stores.clone(),
            photo_stores.clone(),
            Arc::new(AsyncZipPacker),
            auditor.clone(),
            postman.clone(),
        );
        let confirmation = EmailConfirmationService::new(
            stores.clone(),
            Arc::new(PostgresEmailConfirmationRepository::new(&database)),
            postman.clone(),
            &settings.auth,
        );
        let recovery = PasswordRecoveryService::new(
            RecoveryStores {
                users: Arc::clone(&stores.users),
                resets: Arc::new(PostgresPasswordResetRepository::new(&database)),
                throttle: Arc::clone(&stores.throttle),
                hasher: Arc::clone(&stores.hasher),
                clock: Arc::clone(&clock),
            },
            postman.clone(),
            &settings.auth,
        );
        let invitations = InvitationService::new(
            stores.clone(),
            postman.clone(),
            &settings.auth,
            auditor.clone(),
        );
        let use_cases = UseCases {
            authentication: Arc::new(AuthenticationService::new(
                stores.clone(),
                confirmation.verifier(),
                postman.clone(),
                &settings.auth,
            )),
            accounts: Arc::new(AccountService::new(stores.clone())),
            administration: Arc::new(AdministrationService::new(stores.clone(), auditor.clone())),
            operations: Arc::new(OperationsService::new(
                Arc::new(PostgresSchemaInspector::new(&database)),
                Arc::new(PostgresDatabaseMonitor::new(&database)),
                Arc::clone(&job_queue),
                Arc::clone(&clock),
            )),
            photos: Arc::new(PhotoService::new(
                photo_stores.clone(),
                settings.photos.clone(),
            )),
            albums: Arc::new(AlbumService::new(photo_stores.clone())),
            sharing: Arc::new(SharingService::new(photo_stores.clone())),
            jobs: Arc::new(JobAdministrationService::new(
                Arc::clone(&job_queue),
                Arc::clone(&clock),
                auditor.clone(),
            )),
            backups: Arc::new(BackupAdministrationService::new(
                Arc::clone(&backups),
                Arc::clone(&job_queue),
                Arc::clone(&clock),
                settings.backup.scheduled && settings.worker.scheduler,
                auditor.clone(),
            )),
            deletion: Arc::new(deletion.clone()),
            exports: Arc::new(exports.clone()),
            audit: Arc::new(AuditService::new(audit_log)),
            recovery: Arc::new(recovery),
            confirmation: Arc::new(confirmation),
            invitations: Arc::new(invitations),
        };
        let hasher = Arc::clone(&stores.hasher);
        let provisioning = Arc::new(ProvisioningService::new(stores));
        Ok(Self {
            use_cases,
            provisioning,
            maintenance: Arc::new(PostgresMaintenanceRepository::new(&database)),
            database,
            job_queue,
            clock,
            purge_policy: PurgePolicy::new(settings.auth.throttle_policy().window),
            photo_stores,
            orphan_grace: settings.photos.orphan_grace(),
            backups,
            backup_settings: settings.backup.clone(),
            erasure,
            deletion,
            exports,
            hasher,
            outbox,
            mailer,
            templates,
        })
    }

    /// The handler of every kind of job, one line each.
    pub fn job_handlers(&self) -> anyhow::Result<JobHandlers> {
        let mut handlers = JobHandlers::new();
        handlers.register(Arc::new(PurgeExpiredHandler::new(
            Arc::clone(&self.maintenance),
            Arc::clone(&self.clock),
            self.purge_policy,
        )))?;
        handlers.register(Arc::new(VariantMaker::new(self.photo_stores.clone())))?;
        handlers.register(Arc::new(OrphanSweep::new(
            self.photo_stores.clone(),
            self.orphan_grace,
        )))?;
        handlers.register(Arc::new(BackupJob::new(Arc::clone(&self.backups))))?;
        handlers.register(Arc::new(EraseDueJob::new(self.deletion.clone())))?;
        handlers.register(Arc::new(BuildExportJob::new(self.exports.clone())))?;
        handlers.register(Arc::new(SweepExportsJob::new(self.exports.clone())))?;
        handlers.register(Arc::new(SendMailJob::new(
            Arc::clone(&self.outbox),
            Arc::clone(&self.mailer),
        )))?;
        handlers.register(Arc::new(VerifyJob::new(
            Arc::clone(&self.backups),
            self.backup_identity(None)?,
        )))?;
        Ok(handlers)
    }

    /// What a restore's aftercare needs against the restored database
    /// (the configured one, or a restore's `--target`), with the same store
    /// and ledger.
    pub fn after_restore(&self, database: &DatabaseSettings) -> anyhow::Result<AfterRestore> {
        let database = PostgresDatabase::connect(database)?;
        let users = Arc::new(PostgresUserRepository::new(&database));
        let auditor = Auditor::new(
            Arc::new(PostgresAuditRepository::new(&database)),
            Arc::clone(&self.clock),
        );
        let accounts = AccountStores {
            users: users.clone(),
            sessions: Arc::new(PostgresSessionRepository::new(&database)),
            api_tokens: Arc::new(PostgresApiTokenRepository::new(&database)),
            invitations: Arc::new(PostgresInvitationRepository::new(&database)),
            devices: Arc::new(PostgresKnownDeviceRepository::new(&database)),
            throttle: Arc::new(PostgresLoginThrottleRepository::new(&database)),
            hasher: Arc::clone(&self.hasher),
            clock: Arc::clone(&self.clock),
        };
        let photos = PhotoStores {
            photos: Arc::new(PostgresPhotoRepository::new(&database)),
            albums: Arc::new(PostgresAlbumRepository::new(&database)),
            links: Arc::new(PostgresShareLinkRepository::new(&database)),
            ..self.photo_stores.clone()
        };
        Ok(AfterRestore {
            erasure: ErasureService::new(
                users,
                Arc::clone(&self.photo_stores.blobs),
                Arc::clone(&self.clock),
            ),
            exports: ExportService::new(
                Arc::new(PostgresExportRepository::new(&database)),
                accounts,
                photos,
                Arc::new(AsyncZipPacker),
                auditor.clone(),
                Postman::new(
                    Arc::new(PostgresMailOutbox::new(&database)),
                    Arc::clone(&self.templates),
                    Arc::clone(&self.clock),
                ),
            ),
            audit: auditor,
        })
    }

    /// The age identity that opens encrypted backups: `path`, else the
    /// configured `backup.identity_file`, else none.
    pub fn backup_identity(
        &self,
        path: Option<&std::path::Path>,
    ) -> anyhow::Result<Option<Arc<dyn ArchiveDecryptor>>> {
        let Some(path) = path.or(self.backup_settings.identity_file.as_deref()) else {
            return Ok(None);
        };
        Ok(Some(Arc::new(AgeDecryptor::from_file(path)?)))
    }

    /// What the scheduler enqueues, and when.
    pub fn scheduled_tasks(&self) -> anyhow::Result<Vec<ScheduledTask>> {
        let mut tasks = vec![
            PurgeExpiredHandler::scheduled_task(),
            OrphanSweep::scheduled_task(),
            EraseDueJob::scheduled_task(),
            SweepExportsJob::scheduled_task(),
        ];
        if self.backup_settings.scheduled {
            let settings = &self.backup_settings;
            tasks.push(BackupJob::scheduled_task(
                settings.backup_schedule().map_err(anyhow::Error::msg)?,
            ));
            tasks.push(VerifyJob::scheduled_task(
                settings
                    .verification_schedule()
                    .map_err(anyhow::Error::msg)?,
            ));
        }
        Ok(tasks)
    }

    pub fn http_state(&self, settings: &Settings) -> HttpState {
        HttpState {
            use_cases: self.use_cases.clone(),
            settings: settings.http.clone(),
            build: build_info(),
            session_cookie_max_age: Duration::from_secs(
                settings.auth.session_max_days.saturating_mul(86_400),
            ),
            listings: ListingCache::new(
                settings.http.listing_cache_mib.saturating_mul(1024 * 1024),
            ),
            metrics: HttpMetrics::default(),
        }
    }
}
