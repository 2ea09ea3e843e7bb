import { useRef, useState } from "react";
import { api } from "../api/client";
import { ConfirmAction } from "../account/ConfirmAction";
import { formatDate } from "../account/format";
import { canCancel, canRetry, STATE_LABELS, type Job } from "./jobs";

/** One job: what it is, how its attempts went, and retry or cancel when the state allows. */
export function JobCard({ job, onChanged }: { job: Job; onChanged: (job: Job) => void }) {
  const [notice, setNotice] = useState("");
  const title = useRef<HTMLParagraphElement>(null);
  const act = async (action: "retry" | "cancel") => {
    const path = action === "retry" ? "/api/v1/admin/jobs/{id}/retry" : "/api/v1/admin/jobs/{id}/cancel";
    const { data } = await api.POST(path, { params: { path: { id: job.id } } });
    if (data) {
      setNotice(action === "retry" ? "Queued again, due now." : "Cancelled: it will not run.");
      onChanged(data);
      // The button pressed may be gone now; keep keyboard users on this job.
      title.current?.focus();
    }
  };
  const waiting = job.state === "queued" || job.state === "failed";
  return (
    <li>
      <div>
        <p className="title" ref={title} tabIndex={-1}>
          {job.kind}
          <span className={job.state === "failed" || job.state === "dead" ? "badge" : "badge muted"}>{STATE_LABELS[job.state]}</span>
        </p>
        <dl>
          <dt>Attempts</dt>
          <dd>
            {job.attempts} of {job.max_attempts}
          </dd>
          <dt>Created</dt>
          <dd>{formatDate(job.created_at)}</dd>
          {waiting && (
            <>
              <dt>{job.state === "failed" ? "Next attempt" : "Due"}</dt>
              <dd>{formatDate(job.run_at)}</dd>
            </>
          )}
          {job.finished_at && (
            <>
              <dt>Finished</dt>
              <dd>{formatDate(job.finished_at)}</dd>
            </>
          )}
          {job.locked_by && (
            <>
              <dt>Worker</dt>
              <dd>{job.locked_by}</dd>
            </>
          )}
          <dt>Id</dt>
          <dd>
            <code>{job.id}</code>
          </dd>
        </dl>
        <p role="status" className="success">
          {notice}
        </p>
        {job.last_error && (
          <>
            <p className="hint">Last error</p>
            <pre className="job-error">{job.last_error}</pre>
          </>
        )}
      </div>
      {(canRetry(job) || canCancel(job)) && (
        <div className="buttons">
          {canRetry(job) && (
            <ConfirmAction
              label="Retry"
              accessibleLabel={`Retry ${job.kind} job ${job.id}`}
              pendingLabel="Retrying…"
              onConfirm={() => act("retry")}
            />
          )}
          {canCancel(job) && (
            <ConfirmAction
              label="Cancel job"
              accessibleLabel={`Cancel job ${job.kind} ${job.id}`}
              question={`Cancel this ${job.kind} job? It will not run unless retried.`}
              confirmLabel="Yes, cancel it"
              pendingLabel="Cancelling…"
              danger
              onConfirm={() => act("cancel")}
            />
          )}
        </div>
      )}
    </li>
  );
}
