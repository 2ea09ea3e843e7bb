import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { admin, member, problem, serveApi, type Answer } from "../account/testApi";
import type { Backup, Backups } from "../admin/backups";
import { App } from "../App";
import { SessionProvider } from "../session";
import { AdminBackups } from "./AdminBackups";

const NOW = "2026-12-04T07:00:00Z";

const verifiedOk = {
  backup_id: "20261204T061500Z",
  verified_at: "2026-12-04T06:30:00Z",
  ok: true,
  message: "restored: schema 42, 6 tables, row counts match",
  duration_ms: 4200,
};
const rowCountsDiffer = "row count of photos differs: 120 in the dump, 119 restored";

const running: Backup = { id: "20261204T065500Z", state: "incomplete", started_at: "2026-12-04T06:55:00Z", size_bytes: 1_500_000 };
const latest: Backup = {
  id: "20261204T061500Z",
  state: "complete",
  started_at: "2026-12-04T06:15:00Z",
  finished_at: "2026-12-04T06:15:42Z",
  size_bytes: 12_345_678,
  encryption: "age",
  app_version: "0.1.0",
  schema_version: "42",
  verification: verifiedOk,
};
const older: Backup = {
  id: "20261203T051500Z",
  state: "complete",
  started_at: "2026-12-03T05:15:00Z",
  finished_at: "2026-12-03T05:16:00Z",
  size_bytes: 11_000_000,
  verification: { ...verifiedOk, backup_id: "20261203T051500Z", ok: false, message: rowCountsDiffer },
};

function overview(extra: Partial<Backups> = {}): Backups {
  return {
    encrypted: true,
    scheduled: true,
    now: NOW,
    items: [running, latest, older],
    status: {
      last_success_id: latest.id,
      last_success_at: "2026-12-04T06:15:42Z",
      last_duration_seconds: 42.4,
      last_size_bytes: 12_345_678,
      retained: 2,
      incomplete: 1,
      last_verification: verifiedOk,
    },
    ...extra,
  };
}

/** No backup has ever completed, on an instance where CronJobs back up, unencrypted. */
const nothingYet: Backups = {
  encrypted: false,
  scheduled: false,
  now: NOW,
  items: [],
  status: { retained: 0, incomplete: 0 },
};

function renderPage(routes: Record<string, Answer | Answer[]> = {}, props: { pollIntervalMs?: number; pollForMs?: number } = {}) {
  const calls = serveApi({ "GET /api/v1/admin/backups": Response.json(overview()), ...routes }, admin);
  const view = render(
    <SessionProvider>
      <AdminBackups {...props} />
    </SessionProvider>,
  );
  const listings = () => calls.filter((call) => call.method === "GET" && call.path === "/api/v1/admin/backups").length;
  return { calls, listings, view, person: userEvent.setup() };
}

function row(id: string) {
  const cell = within(screen.getByRole("table", { name: "All backups" })).getByRole("rowheader", { name: new RegExp(id) });
  return within(cell.closest("tr") as HTMLElement);
}

function figure(term: string): string {
  const dt = screen.getAllByRole("term").find((each) => each.textContent === term);
  return dt?.nextElementSibling?.textContent ?? "";
}

/** Lets a few polls' worth of time pass, to see that nothing more is asked. */
function settle(ms: number) {
  return act(() => new Promise<void>((resolve) => setTimeout(resolve, ms)));
}

describe("AdminBackups", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("lists complete, incomplete and failed-verification backups with size, age, encryption and verification", async () => {
    renderPage();
    await screen.findByRole("table", { name: "All backups" });

    const complete = row(latest.id);
    expect(complete.getByRole("cell", { name: "Complete" })).toBeInTheDocument();
    expect(complete.getByRole("cell", { name: "12 MB" })).toBeInTheDocument();
    expect(complete.getByRole("cell", { name: "45 minutes ago" })).toBeInTheDocument();
    expect(complete.getByRole("cell", { name: "Yes (age)" })).toBeInTheDocument();
    expect(complete.getByRole("cell", { name: /^OK verified .* in 4\.2 s$/ })).toBeInTheDocument();

    const incomplete = row(running.id);
    expect(incomplete.getByRole("cell", { name: "Incomplete" })).toBeInTheDocument();
    expect(incomplete.getByRole("cell", { name: "1.5 MB" })).toBeInTheDocument();
    expect(incomplete.getByRole("cell", { name: "5 minutes ago" })).toBeInTheDocument();
    expect(incomplete.getByRole("cell", { name: "Unknown" })).toBeInTheDocument();
    expect(incomplete.getByRole("cell", { name: "Never verified" })).toBeInTheDocument();

    const failed = row(older.id);
    expect(failed.getByRole("cell", { name: "1 day 1 hour ago" })).toBeInTheDocument();
    expect(failed.getByRole("cell", { name: "No" })).toBeInTheDocument();
    expect(failed.getByRole("cell", { name: new RegExp(`^Failed .*: ${rowCountsDiffer}$`) })).toBeInTheDocument();

    // Newest first, as the API sends them.
    const ids = within(screen.getByRole("table", { name: "All backups" }))
      .getAllByRole("rowheader")
      .map((cell) => cell.querySelector("code")?.textContent);
    expect(ids).toEqual([running.id, latest.id, older.id]);
  });

  it("sums up the last success, what is kept, encryption and schedule, with nothing to warn about", async () => {
    renderPage();
    await screen.findByRole("heading", { name: "Summary" });
    expect(figure("Last successful backup")).toMatch(/^44 minutes ago \(.+\), 12 MB, took 42 s$/);
    expect(figure("Kept")).toBe("2 complete backups");
    expect(figure("Incomplete")).toMatch(/^1 \(still being written/);
    expect(figure("Last verification")).toMatch(/^OK verified .* \(backup 20261204T061500Z\)$/);
    expect(figure("Encryption")).toBe("New backups are encrypted with age.");
    expect(figure("Schedule")).toMatch(/^The app backs up on its own schedule/);
    expect(screen.queryByRole("heading", { name: "Needs attention" })).toBeNull();
  });

  it("warns in words when the last backup is late and the last verification failed", async () => {
    const failedVerification = { ...verifiedOk, ok: false, message: rowCountsDiffer };
    renderPage({
      "GET /api/v1/admin/backups": Response.json(
        overview({ now: "2026-12-04T09:00:00Z", status: { ...overview().status, last_verification: failedVerification } }),
      ),
    });
    const warnings = await screen.findByRole("region", { name: "Needs attention" });
    const items = within(warnings).getAllByRole("listitem");
    expect(items.map((item) => item.textContent)).toEqual([
      "Problem: The last successful backup finished 2 hours 44 minutes ago: backups are late (the alert fires after 2 hours).",
      `Problem: The last verification (of backup 20261204T061500Z) failed: ${rowCountsDiffer}`,
    ]);
    expect(figure("Last verification")).toContain(`Failed`);
    expect(figure("Last verification")).toContain(rowCountsDiffer);
  });

  it("says when there is no backup at all, and that CronJobs make them", async () => {
    renderPage({ "GET /api/v1/admin/backups": Response.json(nothingYet) });
    const warnings = await screen.findByRole("region", { name: "Needs attention" });
    expect(within(warnings).getByRole("listitem")).toHaveTextContent("Problem: No backup has completed yet: nothing could be restored.");
    expect(screen.getByText(/No backups yet\. Press “Back up now”/)).toBeInTheDocument();
    expect(screen.queryByRole("table")).toBeNull();
    expect(figure("Last successful backup")).toBe("None yet");
    expect(figure("Last verification")).toBe("Never verified");
    expect(figure("Encryption")).toMatch(/not encrypted/);
    expect(figure("Schedule")).toBe("The in-app schedule is off: backups rely on external CronJobs (shoebox backup run and verify).");
  });

  it("shows why the backups cannot be listed", async () => {
    renderPage({ "GET /api/v1/admin/backups": problem(403, "only admins may do this") });
    expect(await screen.findByRole("alert")).toHaveTextContent("only admins may do this");
    expect(screen.queryByRole("table")).toBeNull();
    expect(screen.queryByText(/Loading backups/)).toBeNull();
  });

  it("is for admins only, like the other admin pages", async () => {
    window.history.replaceState(null, "", "/admin/backups");
    const calls = serveApi({}, member);
    render(<App />);
    expect(await screen.findByRole("heading", { name: "Admins only" })).toBeInTheDocument();
    expect(calls.some((call) => call.path === "/api/v1/admin/backups")).toBe(false);
    window.history.replaceState(null, "", "/");
  });

  it("backs up now: disabled while sending, announces the job, and refreshes until the backup appears", async () => {
    let answerPost: () => void = () => undefined;
    const posted = new Promise<void>((resolve) => {
      answerPost = resolve;
    });
    const done: Backup = { ...latest, id: "20261204T070000Z", started_at: "2026-12-04T07:00:00Z", verification: null };
    const { calls, listings, person } = renderPage(
      {
        "POST /api/v1/admin/backups": () => posted.then(() => Response.json({ job_id: "job-42" }, { status: 202 })),
        "GET /api/v1/admin/backups": [
          Response.json(overview()),
          Response.json(overview()),
          Response.json(overview({ items: [done, latest, older], status: { ...overview().status, last_success_id: done.id } })),
        ],
      },
      { pollIntervalMs: 20 },
    );
    await screen.findByRole("table", { name: "All backups" });
    await person.click(screen.getByRole("button", { name: "Back up now" }));
    expect(screen.getByRole("button", { name: "Queuing backup…" })).toBeDisabled();
    answerPost();

    const status = screen.getByRole("status");
    await waitFor(() => {
      expect(status).toHaveTextContent("Backup queued (job job-42).");
    });
    expect(within(status).getByRole("link", { name: "Jobs page" })).toHaveAttribute("href", "/admin/jobs");
    expect(screen.getByRole("button", { name: "Back up now" })).toBeEnabled();
    expect(calls.filter((call) => call.method === "POST")).toHaveLength(1);

    await waitFor(() => {
      expect(status).toHaveTextContent("Backup 20261204T070000Z is complete.");
    });
    expect(row(done.id).getByRole("cell", { name: "Complete" })).toBeInTheDocument();
    expect(listings()).toBe(3);
    await settle(100);
    expect(listings()).toBe(3);
  });

  it("stops looking after a while and points to the Jobs page", async () => {
    const { listings, person } = renderPage(
      { "POST /api/v1/admin/backups": Response.json({ job_id: "job-7" }, { status: 202 }) },
      { pollIntervalMs: 10, pollForMs: 30 },
    );
    await screen.findByRole("table", { name: "All backups" });
    await person.click(screen.getByRole("button", { name: "Back up now" }));
    const status = screen.getByRole("status");
    await waitFor(() => {
      expect(status).toHaveTextContent("The backup (job job-7) has not appeared yet.");
    });
    expect(within(status).getByRole("link", { name: "Jobs page" })).toBeInTheDocument();
    const seen = listings();
    expect(seen).toBe(4);
    await settle(60);
    expect(listings()).toBe(seen);
  });

  it("stops looking when the page goes away", async () => {
    const { listings, person, view } = renderPage(
      { "POST /api/v1/admin/backups": Response.json({ job_id: "job-8" }, { status: 202 }) },
      { pollIntervalMs: 20 },
    );
    await screen.findByRole("table", { name: "All backups" });
    await person.click(screen.getByRole("button", { name: "Back up now" }));
    await screen.findByText(/Backup queued/);
    view.unmount();
    const seen = listings();
    await settle(100);
    expect(listings()).toBe(seen);
  });

  it("shows a refused backup and lets the admin try again", async () => {
    const { person } = renderPage({ "POST /api/v1/admin/backups": problem(403, "only admins may do this") });
    await screen.findByRole("table", { name: "All backups" });
    await person.click(screen.getByRole("button", { name: "Back up now" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("only admins may do this");
    expect(screen.getByRole("button", { name: "Back up now" })).toBeEnabled();
    expect(screen.getByRole("status")).toHaveTextContent("");
  });

  it("refreshes on request", async () => {
    const { listings, person } = renderPage({
      "GET /api/v1/admin/backups": [Response.json(nothingYet), Response.json(overview())],
    });
    await screen.findByText(/No backups yet/);
    await person.click(screen.getByRole("button", { name: "Refresh" }));
    await screen.findByRole("table", { name: "All backups" });
    expect(screen.queryByRole("region", { name: "Needs attention" })).toBeNull();
    expect(listings()).toBe(2);
  });
});
