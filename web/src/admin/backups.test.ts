import { backupProblems, formatAgo, formatDuration, secondsBetween, type Backups } from "./backups";

describe("formatAgo", () => {
  it("says how long ago to the unit that matters", () => {
    expect(formatAgo(0)).toBe("just now");
    expect(formatAgo(59)).toBe("just now");
    expect(formatAgo(60)).toBe("1 minute ago");
    expect(formatAgo(42 * 60 + 59)).toBe("42 minutes ago");
    expect(formatAgo(3600)).toBe("1 hour ago");
    expect(formatAgo(2 * 3600 + 5 * 60)).toBe("2 hours 5 minutes ago");
    expect(formatAgo(25 * 3600 + 45 * 60)).toBe("1 day 1 hour ago");
    expect(formatAgo(3 * 86_400)).toBe("3 days ago");
    expect(formatAgo(10 * 86_400 + 7200)).toBe("10 days ago");
  });
});

describe("formatDuration", () => {
  it("reads short and long runs", () => {
    expect(formatDuration(0.85)).toBe("850 ms");
    expect(formatDuration(3.42)).toBe("3.4 s");
    expect(formatDuration(4)).toBe("4 s");
    expect(formatDuration(42.4)).toBe("42 s");
    expect(formatDuration(72)).toBe("1 min 12 s");
    expect(formatDuration(120)).toBe("2 min");
    expect(formatDuration(3780)).toBe("1 h 3 min");
  });
});

describe("secondsBetween", () => {
  it("counts whole seconds and never goes negative", () => {
    expect(secondsBetween("2026-12-04T06:15:00Z", "2026-12-04T07:00:00.900Z")).toBe(2700);
    expect(secondsBetween("2026-12-04T07:00:05Z", "2026-12-04T07:00:00Z")).toBe(0);
  });
});

function overview(lastSuccessAt: string | null, verificationOk: boolean | null): Backups {
  return {
    encrypted: true,
    scheduled: true,
    now: "2026-12-04T08:00:00Z",
    items: [],
    status: {
      last_success_at: lastSuccessAt,
      retained: lastSuccessAt ? 1 : 0,
      incomplete: 0,
      last_verification:
        verificationOk === null
          ? null
          : { backup_id: "20261204T050000Z", verified_at: "2026-12-04T05:30:00Z", ok: verificationOk, message: "row counts differ", duration_ms: 900 },
    },
  };
}

describe("backupProblems", () => {
  it("is quiet when the last backup is recent and verified", () => {
    expect(backupProblems(overview("2026-12-04T07:15:00Z", true))).toEqual([]);
    expect(backupProblems(overview("2026-12-04T07:15:00Z", null))).toEqual([]);
  });

  it("fires past two hours, as the alert does, and not at two hours", () => {
    expect(backupProblems(overview("2026-12-04T06:00:00Z", true))).toEqual([]);
    expect(backupProblems(overview("2026-12-04T05:59:59Z", true))).toEqual([
      "The last successful backup finished 2 hours ago: backups are late (the alert fires after 2 hours).",
    ]);
  });

  it("names no backup at all, and a failed verification with its message", () => {
    expect(backupProblems(overview(null, false))).toEqual([
      "No backup has completed yet: nothing could be restored.",
      "The last verification (of backup 20261204T050000Z) failed: row counts differ",
    ]);
  });
});
