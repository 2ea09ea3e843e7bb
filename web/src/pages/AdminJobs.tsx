import "../account/account.css";
import "../admin/admin.css";
import { useCallback, useState } from "react";
import { api } from "../api/client";
import { AdminNav } from "../admin/AdminNav";
import { JobList } from "../admin/JobList";
import { formatAge, STATE_LABELS, STATES, type JobCounts, type JobState } from "../admin/jobs";
import { ErrorMessage } from "../components/ErrorMessage";

/** The background job queue, for admins: counts by state, each state's jobs, retry and cancel. */
export function AdminJobs() {
  const [state, setState] = useState<JobState>("failed");
  const [reload, setReload] = useState(0);
  const [counts, setCounts] = useState<JobCounts | null>(null);
  const [oldest, setOldest] = useState<number | null>(null);
  const [countsError, setCountsError] = useState<unknown>(null);

  const showCounts = useCallback((next: JobCounts, oldestQueuedAgeSeconds: number | null) => {
    setCounts(next);
    setOldest(oldestQueuedAgeSeconds);
    setCountsError(null);
  }, []);

  // After a retry or cancel the list keeps the changed job in place; only the counts move.
  const refreshCounts = useCallback(() => {
    api.GET("/api/v1/admin/jobs").then(
      ({ data }) => {
        if (data) {
          showCounts(data.counts, data.oldest_queued_age_seconds ?? null);
        }
      },
      (caught: unknown) => {
        setCountsError(caught);
      },
    );
  }, [showCounts]);

  return (
    <section className="account wide">
      <h1>Jobs</h1>
      <AdminNav current="jobs" />
      <div className="toolbar">
        <h2 id="job-states">By state</h2>
        <button
          type="button"
          onClick={() => {
            setReload((count) => count + 1);
          }}
        >
          Refresh
        </button>
      </div>
      <ul className="filters" aria-labelledby="job-states">
        {STATES.map((each) => (
          <li key={each}>
            <button
              type="button"
              aria-pressed={each === state}
              onClick={() => {
                setState(each);
              }}
            >
              {STATE_LABELS[each]} <span className="count">{counts ? counts[each] : "…"}</span>
            </button>
          </li>
        ))}
      </ul>
      {oldest !== null && <p>The oldest job due has waited {formatAge(oldest)} for a worker.</p>}
      <ErrorMessage error={countsError} />
      <section aria-labelledby="job-list" className="panel">
        <h2 id="job-list">{STATE_LABELS[state]} jobs</h2>
        <JobList state={state} reload={reload} onCounts={showCounts} onJobChanged={refreshCounts} />
      </section>
    </section>
  );
}
