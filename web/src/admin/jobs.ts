import type { components } from "../api/schema";

export type Job = components["schemas"]["JobResponse"];
export type JobState = components["schemas"]["JobStateDto"];
export type JobCounts = components["schemas"]["JobCountsResponse"];

/** The states in the order an admin looks at them: trouble first. */
export const STATES: JobState[] = ["failed", "dead", "queued", "running", "succeeded", "cancelled"];

export const STATE_LABELS: Record<JobState, string> = {
  failed: "Failed",
  dead: "Dead",
  queued: "Queued",
  running: "Running",
  succeeded: "Succeeded",
  cancelled: "Cancelled",
};

/** Failed jobs wait for their next attempt; dead and cancelled ones never run again unless retried. */
export function canRetry(job: Job): boolean {
  return job.state === "failed" || job.state === "dead" || job.state === "cancelled";
}

/** Only a job that is not running and not over can be cancelled. */
export function canCancel(job: Job): boolean {
  return job.state === "queued" || job.state === "failed";
}

/** "3 min", "2 h 5 min": how long the oldest due job has waited. */
export function formatAge(seconds: number): string {
  if (seconds < 60) {
    return `${seconds} s`;
  }
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    return `${minutes} min`;
  }
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
}
