import { useEffect, useState } from "react";
import { api } from "../api/client";
import { ErrorMessage } from "../components/ErrorMessage";
import { JobCard } from "./JobCard";
import { STATE_LABELS, type Job, type JobCounts, type JobState } from "./jobs";

const PAGE_SIZE = 25;

interface Props {
  state: JobState;
  /** Bumped to fetch the first page again. */
  reload: number;
  onCounts: (counts: JobCounts, oldestQueuedAgeSeconds: number | null) => void;
  onJobChanged: () => void;
}

/** The jobs in one state, newest first, a page at a time. */
export function JobList({ state, reload, onCounts, onJobChanged }: Props) {
  const [jobs, setJobs] = useState<Job[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [page, setPage] = useState<{ cursor: string | null } | null>({ cursor: null });
  const [error, setError] = useState<unknown>(null);
  const [shown, setShown] = useState({ state, reload });

  // A new state or a refresh starts again from the first page.
  if (shown.state !== state || shown.reload !== reload) {
    setShown({ state, reload });
    setPage({ cursor: null });
    setError(null);
  }

  useEffect(() => {
    if (page === null) {
      return;
    }
    let live = true;
    const query = page.cursor === null ? { state, limit: PAGE_SIZE } : { state, limit: PAGE_SIZE, cursor: page.cursor };
    api.GET("/api/v1/admin/jobs", { params: { query } }).then(
      ({ data }) => {
        if (live && data) {
          setJobs((previous) => (page.cursor === null ? data.items : [...previous, ...data.items]));
          setCursor(data.next_cursor ?? null);
          setPage(null);
          onCounts(data.counts, data.oldest_queued_age_seconds ?? null);
        }
      },
      (caught: unknown) => {
        if (live) {
          setError(caught);
          setPage(null);
        }
      },
    );
    return () => {
      live = false;
    };
  }, [page, state, onCounts]);

  const loading = page !== null;
  const firstPage = loading && page.cursor === null;
  return (
    <>
      <p aria-live="polite" className="hint">
        {loading ? "Loading jobs…" : ""}
      </p>
      {!firstPage && error === null && jobs.length === 0 && (
        <p className="empty">No {STATE_LABELS[state].toLowerCase()} jobs. Pick another state above, or refresh.</p>
      )}
      {!firstPage && jobs.length > 0 && (
        <ul className="cards" aria-label={`${STATE_LABELS[state]} jobs`}>
          {jobs.map((job) => (
            <JobCard
              key={job.id}
              job={job}
              onChanged={(changed) => {
                setJobs((previous) => previous.map((item) => (item.id === changed.id ? changed : item)));
                onJobChanged();
              }}
            />
          ))}
        </ul>
      )}
      <ErrorMessage error={error} />
      {(typeof cursor === "string" || error !== null) && (
        <button
          type="button"
          className="more"
          disabled={loading}
          onClick={() => {
            setError(null);
            setPage({ cursor: typeof cursor === "string" && jobs.length > 0 ? cursor : null });
          }}
        >
          {error !== null ? "Try again" : "Load more jobs"}
        </button>
      )}
    </>
  );
}
