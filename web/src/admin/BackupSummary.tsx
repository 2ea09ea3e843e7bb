import { formatBytes, formatDate } from "../account/format";
import { backupProblems, formatAgo, formatDuration, secondsBetween, type Backups } from "./backups";
import { VerificationStatus } from "./VerificationStatus";

/**
 * The figures an admin checks first, and above them, in words and not in
 * colour alone, whatever needs acting on.
 */
export function BackupSummary({ backups }: { backups: Backups }) {
  const { status, now } = backups;
  const problems = backupProblems(backups);
  return (
    <>
      {problems.length > 0 && (
        <section aria-labelledby="backup-problems" className="problems">
          <h2 id="backup-problems">Needs attention</h2>
          <ul>
            {problems.map((problem) => (
              <li key={problem}>
                <strong>Problem:</strong> {problem}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="backup-summary" className="panel">
        <h2 id="backup-summary">Summary</h2>
        <dl className="figures">
          <dt>Last successful backup</dt>
          <dd>
            {status.last_success_at ? (
              <>
                {formatAgo(secondsBetween(status.last_success_at, now))} (
                <time dateTime={status.last_success_at}>{formatDate(status.last_success_at)}</time>)
                {typeof status.last_size_bytes === "number" && <>, {formatBytes(status.last_size_bytes)}</>}
                {typeof status.last_duration_seconds === "number" && <>, took {formatDuration(status.last_duration_seconds)}</>}
              </>
            ) : (
              "None yet"
            )}
          </dd>
          <dt>Kept</dt>
          <dd>
            {status.retained} complete {status.retained === 1 ? "backup" : "backups"}
          </dd>
          <dt>Incomplete</dt>
          <dd>
            {status.incomplete}
            {status.incomplete > 0 && " (still being written, or interrupted; never restored)"}
          </dd>
          <dt>Last verification</dt>
          <dd>
            <VerificationStatus verification={status.last_verification} />
            {status.last_verification && <> (backup {status.last_verification.backup_id})</>}
          </dd>
          <dt>Encryption</dt>
          <dd>{backups.encrypted ? "New backups are encrypted with age." : "New backups are not encrypted: no age recipients are set."}</dd>
          <dt>Schedule</dt>
          <dd>
            {backups.scheduled
              ? "The app backs up on its own schedule (hourly by default) and verifies the latest backup daily."
              : "The in-app schedule is off: backups rely on external CronJobs (shoebox backup run and verify)."}
          </dd>
        </dl>
      </section>
    </>
  );
}
