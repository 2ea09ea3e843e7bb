import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { admin, problem, serveApi, type Answer, type Call } from "../account/testApi";
import { SessionProvider } from "../session";
import { AdminJobs } from "./AdminJobs";

const counts = { queued: 1, running: 0, succeeded: 40, failed: 1, dead: 1, cancelled: 0 };

function job(id: string, state: string, extra: object = {}) {
  return {
    id,
    kind: "make_variants",
    state,
    attempts: 2,
    max_attempts: 5,
    created_at: "2026-11-23T09:00:00Z",
    updated_at: "2026-11-23T09:05:00Z",
    run_at: "2026-11-23T09:10:00Z",
    ...extra,
  };
}

const decodeError = "image decode failed: truncated JPEG";
const failed = job("j-1", "failed", { last_error: decodeError });
const dead = job("j-2", "dead", { attempts: 5, last_error: "object store unreachable", finished_at: "2026-11-23T09:30:00Z" });

function jobsAnswer(call: Call): Response {
  const state = call.query.get("state");
  const items = state === "failed" ? [failed] : state === "dead" ? [dead] : [];
  return Response.json({ counts, items, next_cursor: null, oldest_queued_age_seconds: 125 });
}

function renderPage(routes: Record<string, Answer | Answer[]> = {}) {
  const calls = serveApi({ "GET /api/v1/admin/jobs": jobsAnswer, ...routes }, admin);
  render(
    <SessionProvider>
      <AdminJobs />
    </SessionProvider>,
  );
  return { calls, person: userEvent.setup() };
}

describe("AdminJobs", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("shows the counts and the failed jobs with their error and attempts", async () => {
    const { calls } = renderPage();
    const list = await screen.findByRole("list", { name: "Failed jobs" });
    expect(within(list).getByText("image decode failed: truncated JPEG")).toBeInTheDocument();
    expect(within(list).getByText("2 of 5")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Failed 1" })).toHaveAttribute("aria-pressed", "true");
    expect(screen.getByRole("button", { name: "Succeeded 40" })).toHaveAttribute("aria-pressed", "false");
    expect(screen.getByText(/oldest job due has waited 2 min/)).toBeInTheDocument();
    expect(calls.find((call) => call.path === "/api/v1/admin/jobs")?.query.get("state")).toBe("failed");
  });

  it("retries a failed job and updates it in place", async () => {
    const { calls, person } = renderPage({
      "POST /api/v1/admin/jobs/j-1/retry": Response.json(job("j-1", "queued", { last_error: decodeError })),
    });
    await person.click(await screen.findByRole("button", { name: "Retry make_variants job j-1" }));
    expect(await screen.findByText("Queued again, due now.")).toBeInTheDocument();
    const list = screen.getByRole("list", { name: "Failed jobs" });
    expect(within(list).getByText("Queued")).toBeInTheDocument();
    expect(within(list).queryByRole("button", { name: /Retry/ })).toBeNull();
    expect(within(list).getByText("make_variants")).toHaveFocus();
    // The counts are fetched again, without a state.
    await vi.waitFor(() => {
      expect(calls.some((call) => call.path === "/api/v1/admin/jobs" && !call.query.has("state"))).toBe(true);
    });
  });

  it("cancels a job only after confirming, and shows a refusal", async () => {
    const { calls, person } = renderPage({
      "POST /api/v1/admin/jobs/j-1/cancel": problem(409, "The job is running; it cannot be cancelled now."),
    });
    await person.click(await screen.findByRole("button", { name: "Cancel job make_variants j-1" }));
    expect(calls.some((call) => call.path.endsWith("/cancel"))).toBe(false);
    await person.click(screen.getByRole("button", { name: "Yes, cancel it" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("The job is running; it cannot be cancelled now.");
  });

  it("switches state, says when there is nothing, and refreshes", async () => {
    const { calls, person } = renderPage();
    await screen.findByRole("list", { name: "Failed jobs" });
    await person.click(screen.getByRole("button", { name: "Dead 1" }));
    const list = await screen.findByRole("list", { name: "Dead jobs" });
    expect(within(list).getByText("object store unreachable")).toBeInTheDocument();
    expect(within(list).getByRole("button", { name: "Retry make_variants job j-2" })).toBeInTheDocument();
    expect(within(list).queryByRole("button", { name: /Cancel/ })).toBeNull();

    await person.click(screen.getByRole("button", { name: "Running 0" }));
    expect(await screen.findByText(/No running jobs/)).toBeInTheDocument();
    const before = calls.length;
    await person.click(screen.getByRole("button", { name: "Refresh" }));
    await vi.waitFor(() => {
      expect(calls.length).toBe(before + 1);
    });
    expect(calls.at(-1)?.query.get("state")).toBe("running");
  });

  it("loads the next page with the cursor", async () => {
    const { calls, person } = renderPage({
      "GET /api/v1/admin/jobs": [
        Response.json({ counts, items: [failed], next_cursor: "j-1" }),
        Response.json({ counts, items: [job("j-3", "failed")], next_cursor: null }),
      ],
    });
    await person.click(await screen.findByRole("button", { name: "Load more jobs" }));
    expect(await screen.findByRole("button", { name: "Retry make_variants job j-3" })).toBeInTheDocument();
    expect(calls.filter((call) => call.path === "/api/v1/admin/jobs")[1]?.query.get("cursor")).toBe("j-1");
    expect(screen.getAllByRole("button", { name: /^Retry/ })).toHaveLength(2);
  });

  it("shows why the jobs cannot be listed", async () => {
    renderPage({ "GET /api/v1/admin/jobs": problem(403, "Only admins may see jobs.") });
    expect(await screen.findByRole("alert")).toHaveTextContent("Only admins may see jobs.");
    expect(screen.getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });
});
