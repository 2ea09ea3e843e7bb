//! `shoebox backup run | list | prune | restore | verify` (SPEC §7).

use anyhow::Context;
use chrono::Utc;
use secrecy::{ExposeSecret, SecretString};
use shoebox_application::backups::{BackupListing, BackupService};
use shoebox_domain::{
    audit::{AuditAction, AuditActor},
    backups::BackupState,
};
use shoebox_postgres::{DatabaseSettings, PostgresArchive};

use crate::{
    cli::{BackupCommand, say},
    settings::Settings,
    wiring::Application,
};

pub async fn backup(settings: &Settings, command: BackupCommand) -> anyhow::Result<()> {
    let application = Application::build(settings)?;
    let backups = &application.backups;
    match command {
        // Any schema is backed up as it is: a backup before `migrate` is
        // what a careful upgrade starts with.
        BackupCommand::Run => {
            let manifest = backups.run().await?;
            say(format!(
                "backup {} written: {} in {:.1} s{}, SHA-256 {}",
                manifest.id,
                human_size(manifest.size_bytes),
                (manifest.finished_at - manifest.started_at).as_seconds_f64(),
                manifest
                    .encryption
                    .as_deref()
                    .map(|scheme| format!(", encrypted ({scheme})"))
                    .unwrap_or_default(),
                manifest.sha256
            ));
        }
        BackupCommand::List { json } => list(backups, json).await?,
        BackupCommand::Prune { dry_run, now } => {
            let decisions = backups.prune(now, dry_run).await?;
            if dry_run {
                say(format!(
                    "dry run as of {}: nothing is deleted",
                    now.unwrap_or_else(|| application.clock.now())
                        .format("%Y-%m-%dT%H:%M:%SZ")
                ));
            }
            let verb = |keep: bool| match (keep, dry_run) {
                (true, _) => "keep",
                (false, true) => "delete",
                (false, false) => "deleted",
            };
            for decision in &decisions {
                say(format!(
                    "{:<7}  {}  {}",
                    verb(decision.keep),
                    decision.id,
                    decision.rule
                ));
            }
            let deleted = decisions.iter().filter(|decision| !decision.keep).count();
            say(format!(
                "{} kept, {deleted} {}",
                decisions.len() - deleted,
                if dry_run { "to delete" } else { "deleted" }
            ));
        }
        BackupCommand::Restore {
            backup,
            target,
            force,
            identity,
        } => {
            let configured = settings.database()?;
            let target_settings = match target {
                Some(url) => target_database(configured, url)?,
                None => configured.clone(),
            };
            let archive = PostgresArchive::new(&target_settings)?;
            let decryptor = application.backup_identity(identity.as_deref())?;
            let report = backups
                .restore(&archive, backup, force, decryptor.as_deref())
                .await?;
            say(format!(
                "restored backup {} into {}",
                report.id,
                target_settings.redacted_url()
            ));
            if report.migrations.is_empty() {
                say("the schema is this binary's; no migration was needed");
            } else {
                for version in &report.migrations {
                    say(format!("applied {version}"));
                }
            }
            // SPEC §8: a restore never brings an erased member back.
            let aftercare = application.after_restore(&target_settings)?;
            aftercare
                .audit
                .record(AuditActor::Operator, AuditAction::BackupRestored, None)
                .await;
            let replayed = aftercare
                .erasure
                .replay()
                .await
                .context("the backup is restored, but replaying the deletion ledger failed; run the restore again or erase the members of ledger/deletions/ by hand")?;
            say(format!(
                "deletion ledger replayed: {} record(s), {} member(s) erased again",
                replayed.records,
                replayed.erased_again.len()
            ));
            let unrecorded = aftercare
                .exports
                .remove_unrecorded()
                .await
                .context("the backup is restored, but removing exports the restored database does not know failed; run the restore again")?;
            say(format!(
                "exports made after the backup removed: {unrecorded}"
            ));
        }
        BackupCommand::Verify { backup, identity } => {
            let decryptor = application.backup_identity(identity.as_deref())?;
            let record = backups.verify(backup, decryptor.as_deref()).await?;
            if !record.ok {
                anyhow::bail!(
                    "backup {} failed verification: {}",
                    record.id,
                    record.message
                );
            }
            say(format!(
                "backup {} verified in {:.1} s: {}",
                record.id,
                record.duration_ms as f64 / 1000.0,
                record.message
            ));
        }
    }
    Ok(())
}

/// The configured database settings with another URL.
fn target_database(
    configured: &DatabaseSettings,
    url: SecretString,
) -> anyhow::Result<DatabaseSettings> {
    let text = url.expose_secret();
    if !(text.starts_with("postgres://") || text.starts_with("postgresql://")) {
        anyhow::bail!("--target must be a postgres:// URL");
    }
    let mut settings = configured.clone();
    settings.url = url;
    Ok(settings)
}

async fn list(backups: &BackupService, json: bool) -> anyhow::Result<()> {
    let listings = backups.list().await?;
    if json {
        for listing in &listings {
            say(serde_json::to_string(&listing_json(listing)).context("listing as JSON")?);
        }
        return Ok(());
    }
    if listings.is_empty() {
        say("no backups");
        return Ok(());
    }
    say(format!(
        "{:<16}  {:<10}  {:>10}  {:<9}  {:<10}  VERIFIED",
        "ID", "STATE", "SIZE", "AGE", "ENCRYPTED"
    ));
    let now = Utc::now();
    for listing in &listings {
        let verified = match &listing.verification {
            Some(record) if record.ok => {
                format!("ok {}", record.verified_at.format("%Y-%m-%d %H:%M"))
            }
            Some(record) => format!(
                "FAILED {}: {}",
                record.verified_at.format("%Y-%m-%d %H:%M"),
                record.message
            ),
            None => "never".to_owned(),
        };
        say(format!(
            "{:<16}  {:<10}  {:>10}  {:<9}  {:<10}  {verified}",
            listing.id,
            state_name(listing.state),
            human_size(listing.size_bytes),
            human_age(now - listing.id.started_at()),
            match &listing.manifest {
                Some(manifest) => manifest.encryption.as_deref().unwrap_or("no"),
                None => "-",
            },
        ));
    }
    Ok(())
}

fn state_name(state: BackupState) -> &'static str {
    match state {
        BackupState::Complete => "complete",
        BackupState::Incomplete => "incomplete",
    }
}

fn listing_json(listing: &BackupListing) -> serde_json::Value {
    serde_json::json!({
        "id": listing.id.to_string(),
        "state": state_name(listing.state),
        "size_bytes": listing.size_bytes,
        "manifest": listing.manifest,
        "verification": listing.verification,
    })
}

/// Bytes in binary units, one decimal.
fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// The largest whole unit: `45m`, `5h`, `3d`.
fn human_age(age: chrono::TimeDelta) -> String {
    let minutes = age.num_minutes().max(0);
    if minutes < 60 {
        format!("{minutes}m")
    } else if minutes < 48 * 60 {
        format!("{}h", minutes / 60)
    } else {
        format!("{}d", minutes / (24 * 60))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_ages_read_like_a_person_would_write_them() {
        assert_eq!(human_size(512), "512 B");
        assert_eq!(human_size(1536), "1.5 KiB");
        assert_eq!(human_size(3 * 1024 * 1024 * 1024), "3.0 GiB");
        assert_eq!(human_age(chrono::TimeDelta::minutes(45)), "45m");
        assert_eq!(human_age(chrono::TimeDelta::hours(30)), "30h");
        assert_eq!(human_age(chrono::TimeDelta::days(40)), "40d");
        assert_eq!(human_age(chrono::TimeDelta::minutes(-5)), "0m");
    }
}
