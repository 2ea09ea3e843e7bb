import "../account/account.css";
import "../admin/admin.css";
import { useEffect, useState } from "react";
import { api } from "../api/client";
import { AdminNav } from "../admin/AdminNav";
import { BackupSummary } from "../admin/BackupSummary";
import { BackupTable } from "../admin/BackupTable";
import type { Backups } from "../admin/backups";
import { ErrorMessage } from "../components/ErrorMessage";
import { Link } from "../components/Link";

/** A "back up now" that the list has not shown finished yet. */
interface Requested {
  jobId: string;
  /** The newest complete backup when it was requested; a different one means it is done. */
  after: string | null;
  polls: number;
}

type Notice = { kind: "queued"; jobId: string } | { kind: "done"; backupId: string } | { kind: "late"; jobId: string };

interface Props {
  /** How long to wait between looks for a requested backup; tests shorten it. */
  pollIntervalMs?: number;
  /** How long to keep looking before leaving it to the Jobs page. */
  pollForMs?: number;
}

/** Backups for admins: the status figures, every backup with its verification, and "back up now". */
export function AdminBackups({ pollIntervalMs = 5_000, pollForMs = 10 * 60_000 }: Props) {
  const [backups, setBackups] = useState<Backups | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [fetching, setFetching] = useState(true);
  const [requested, setRequested] = useState<Requested | null>(null);
  const [sending, setSending] = useState(false);
  const [sendError, setSendError] = useState<unknown>(null);
  const [notice, setNotice] = useState<Notice | null>(null);

  useEffect(() => {
    if (!fetching) {
      return;
    }
    let live = true;
    api.GET("/api/v1/admin/backups").then(
      ({ data }) => {
        if (live) {
          if (data) {
            setBackups(data);
            setError(null);
          }
          setFetching(false);
        }
      },
      (caught: unknown) => {
        if (live) {
          setError(caught);
          setFetching(false);
        }
      },
    );
    return () => {
      live = false;
    };
  }, [fetching]);

  // A newer complete backup than the one there was when asked: the request is done.
  const newest = backups?.status.last_success_id ?? null;
  if (requested !== null && newest !== null && newest !== requested.after) {
    setRequested(null);
    setNotice({ kind: "done", backupId: newest });
  }

  // While a requested backup has not appeared, look again after each answer; one timer at a time.
  useEffect(() => {
    if (requested === null || fetching) {
      return;
    }
    const timer = window.setTimeout(() => {
      if ((requested.polls + 1) * pollIntervalMs > pollForMs) {
        setRequested(null);
        setNotice({ kind: "late", jobId: requested.jobId });
        return;
      }
      setRequested({ ...requested, polls: requested.polls + 1 });
      setFetching(true);
    }, pollIntervalMs);
    return () => {
      window.clearTimeout(timer);
    };
  }, [requested, fetching, pollIntervalMs, pollForMs]);

  const backUpNow = async () => {
    setSending(true);
    setSendError(null);
    try {
      const { data } = await api.POST("/api/v1/admin/backups");
      if (data) {
        setRequested({ jobId: data.job_id, after: newest, polls: 0 });
        setNotice({ kind: "queued", jobId: data.job_id });
      }
    } catch (caught) {
      setSendError(caught);
    } finally {
      setSending(false);
    }
  };

  return (
    <section className="account wide">
      <h1>Backups</h1>
      <AdminNav current="backups" />
      <div className="toolbar">
        <div className="actions">
          <button type="button" disabled={sending} onClick={() => void backUpNow()}>
            {sending ? "Queuing backup…" : "Back up now"}
          </button>
          <button
            type="button"
            onClick={() => {
              setFetching(true);
            }}
          >
            Refresh
          </button>
        </div>
      </div>
      <p role="status" className="success">
        {notice?.kind === "queued" && (
          <>
            Backup queued (job <code>{notice.jobId}</code>). Follow it on the <Link href="/admin/jobs">Jobs page</Link>; this
            list refreshes until the backup appears.
          </>
        )}
        {notice?.kind === "done" && (
          <>
            Backup <code>{notice.backupId}</code> is complete.
          </>
        )}
        {notice?.kind === "late" && (
          <>
            The backup (job <code>{notice.jobId}</code>) has not appeared yet. See how its job is doing on the{" "}
            <Link href="/admin/jobs">Jobs page</Link>, or refresh later.
          </>
        )}
      </p>
      <ErrorMessage error={sendError} />
      {backups === null && error === null && <p aria-live="polite">Loading backups…</p>}
      <ErrorMessage error={error} />
      {backups !== null && (
        <>
          <BackupSummary backups={backups} />
          <section aria-labelledby="backup-list" className="panel">
            <h2 id="backup-list">All backups</h2>
            {backups.items.length === 0 ? (
              <p className="empty">No backups yet. Press “Back up now” to make the first one.</p>
            ) : (
              <BackupTable items={backups.items} now={backups.now} labelledBy="backup-list" />
            )}
          </section>
        </>
      )}
    </section>
  );
}
