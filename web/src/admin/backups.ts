import type { components } from "../api/schema";

export type Backups = components["schemas"]["BackupsResponse"];
export type Backup = components["schemas"]["BackupResponse"];
export type BackupStatus = components["schemas"]["BackupStatusResponse"];
export type Verification = components["schemas"]["VerificationResponse"];

/** The age past which the shipped alert fires (SPEC §7): a backup older than two hours is late. */
export const STALE_AFTER_SECONDS = 2 * 60 * 60;

/** Whole seconds from `from` to `to` (two API timestamps), never negative: clocks may disagree by a little. */
export function secondsBetween(from: string, to: string): number {
  const elapsed = (Date.parse(to) - Date.parse(from)) / 1000;
  return Number.isFinite(elapsed) ? Math.max(0, Math.floor(elapsed)) : 0;
}

function count(value: number, unit: string): string {
  return `${value} ${unit}${value === 1 ? "" : "s"}`;
}

/** "just now", "42 minutes ago", "2 hours 5 minutes ago", "3 days ago": how long ago, to the unit that matters. */
export function formatAgo(seconds: number): string {
  if (seconds < 60) {
    return "just now";
  }
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    return `${count(minutes, "minute")} ago`;
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    return minutes % 60 === 0 ? `${count(hours, "hour")} ago` : `${count(hours, "hour")} ${count(minutes % 60, "minute")} ago`;
  }
  const days = Math.floor(hours / 24);
  return days >= 7 || hours % 24 === 0 ? `${count(days, "day")} ago` : `${count(days, "day")} ${count(hours % 24, "hour")} ago`;
}

/** "850 ms", "3.4 s", "42 s", "1 min 12 s", "1 h 3 min": how long something took. */
export function formatDuration(seconds: number): string {
  if (seconds < 1) {
    return `${Math.round(seconds * 1000)} ms`;
  }
  if (seconds < 10) {
    return `${seconds.toFixed(1).replace(/\.0$/, "")} s`;
  }
  const whole = Math.round(seconds);
  if (whole < 60) {
    return `${whole} s`;
  }
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) {
    return whole % 60 === 0 ? `${minutes} min` : `${minutes} min ${whole % 60} s`;
  }
  return minutes % 60 === 0 ? `${Math.floor(minutes / 60)} h` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/**
 * What an admin must act on, one sentence each, worst first: no backup at
 * all, the last one older than the alert threshold, a failed restore drill.
 */
export function backupProblems(backups: Backups): string[] {
  const { status, now } = backups;
  const problems: string[] = [];
  if (!status.last_success_at) {
    problems.push("No backup has completed yet: nothing could be restored.");
  } else if (secondsBetween(status.last_success_at, now) > STALE_AFTER_SECONDS) {
    problems.push(
      `The last successful backup finished ${formatAgo(secondsBetween(status.last_success_at, now))}: backups are late (the alert fires after 2 hours).`,
    );
  }
  const verification = status.last_verification;
  if (verification && !verification.ok) {
    problems.push(`The last verification (of backup ${verification.backup_id}) failed: ${verification.message}`);
  }
  return problems;
}
