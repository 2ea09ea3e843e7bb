import { formatBytes, formatDate } from "../account/format";
import { formatAgo, secondsBetween, type Backup } from "./backups";
import { VerificationStatus } from "./VerificationStatus";

/** Whether a backup is encrypted at rest; an incomplete one has no manifest to say. */
function encryptionText(backup: Backup): string {
  if (backup.encryption) {
    return `Yes (${backup.encryption})`;
  }
  return backup.state === "complete" ? "No" : "Unknown";
}

/**
 * Every backup, newest first. A backup's age runs from when it started:
 * the dump is a snapshot of that moment. It scrolls sideways on a phone.
 */
export function BackupTable({ items, now, labelledBy }: { items: Backup[]; now: string; labelledBy: string }) {
  return (
    <div className="table-scroll" role="region" aria-labelledby={labelledBy} tabIndex={0}>
      <table className="backups" aria-labelledby={labelledBy}>
        <thead>
          <tr>
            <th scope="col">Backup</th>
            <th scope="col">State</th>
            <th scope="col">Size</th>
            <th scope="col">Age</th>
            <th scope="col">Encrypted</th>
            <th scope="col">Verification</th>
          </tr>
        </thead>
        <tbody>
          {items.map((backup) => (
            <tr key={backup.id}>
              <th scope="row">
                <code>{backup.id}</code>
                <br />
                <span className="hint">
                  started <time dateTime={backup.started_at}>{formatDate(backup.started_at)}</time>
                </span>
              </th>
              <td>{backup.state === "complete" ? "Complete" : <span className="badge">Incomplete</span>}</td>
              <td className="nowrap">{formatBytes(backup.size_bytes)}</td>
              <td>{formatAgo(secondsBetween(backup.started_at, now))}</td>
              <td>{encryptionText(backup)}</td>
              <td>
                <VerificationStatus verification={backup.verification} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
