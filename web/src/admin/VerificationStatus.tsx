import { formatDate } from "../account/format";
import { formatDuration, type Verification } from "./backups";

/** A restore drill's outcome in words: never verified, verified at a time, or failed with what went wrong. */
export function VerificationStatus({ verification }: { verification: Verification | null | undefined }) {
  if (!verification) {
    return <>Never verified</>;
  }
  const when = <time dateTime={verification.verified_at}>{formatDate(verification.verified_at)}</time>;
  if (verification.ok) {
    return (
      <>
        <span className="badge muted">OK</span> verified {when}, in {formatDuration(verification.duration_ms / 1000)}
      </>
    );
  }
  return (
    <>
      <span className="badge failed">Failed</span> {when}: <span className="verification-message">{verification.message}</span>
    </>
  );
}
