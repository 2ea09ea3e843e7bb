import type { components } from "../api/schema";
import { ApiError } from "../api/problem";

export type DataExport = components["schemas"]["ExportResponse"];

/** How long a ready export can be downloaded (SPEC §8); the server sweeps it away afterwards. */
export const KEPT_DAYS = 7;

/** The server refused because an export is already being built. */
export function isAlreadyPending(error: unknown): boolean {
  return error instanceof ApiError && error.status === 409 && (error.problem.type?.endsWith("export-pending") ?? false);
}

/**
 * Whether a ready export can still be downloaded at `now` (milliseconds):
 * the sweeper runs hourly, so a listed export may already be past its date.
 */
export function isDownloadable(item: DataExport, now: number): boolean {
  if (item.status !== "ready" || !item.download_url) {
    return false;
  }
  return !item.expires_at || Date.parse(item.expires_at) > now;
}

/** "1 photo", "42 photos". */
export function photoCount(count: number): string {
  return count === 1 ? "1 photo" : `${count} photos`;
}
