import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { DataExports } from "./DataExports";
import type { DataExport } from "./exports";
import { formatDate } from "./format";
import { problem, serveApi, type Answer } from "./testApi";

const NOW = "2026-12-04T10:00:00Z";

const pending: DataExport = {
  id: "00000000-0000-0000-0000-0000000000e2",
  status: "pending",
  requested_at: "2026-12-04T10:00:00Z",
  finished_at: null,
  expires_at: null,
  size_bytes: null,
  photo_count: null,
  download_url: null,
};
const ready: DataExport = {
  ...pending,
  status: "ready",
  finished_at: "2026-12-04T10:01:00Z",
  expires_at: "2026-12-11T10:01:00Z",
  size_bytes: 12_345_678,
  photo_count: 3,
  download_url: `/api/v1/me/exports/${pending.id}/archive`,
};
const failed: DataExport = {
  ...pending,
  status: "failed",
  finished_at: "2026-12-04T10:02:00Z",
  expires_at: "2026-12-11T10:02:00Z",
};
/** Ready a week ago and past its date; the hourly sweeper has not removed it yet. */
const expired: DataExport = {
  ...ready,
  id: "00000000-0000-0000-0000-0000000000e1",
  requested_at: "2026-11-27T09:00:00Z",
  finished_at: "2026-11-27T09:01:00Z",
  expires_at: "2026-12-04T09:01:00Z",
  download_url: "/api/v1/me/exports/00000000-0000-0000-0000-0000000000e1/archive",
};

/** An earlier export, still downloadable. */
const earlier: DataExport = {
  ...ready,
  id: "00000000-0000-0000-0000-0000000000e0",
  requested_at: "2026-12-01T08:00:00Z",
  finished_at: "2026-12-01T08:01:00Z",
  expires_at: "2026-12-08T08:01:00Z",
  download_url: "/api/v1/me/exports/00000000-0000-0000-0000-0000000000e0/archive",
};

const ONE = `GET /api/v1/me/exports/${pending.id}`;

function listOf(...items: DataExport[]): Response {
  return Response.json({ items });
}

function renderSection(routes: Record<string, Answer | Answer[]>, props: { pollIntervalMs?: number; pollForMs?: number } = {}) {
  const calls = serveApi(routes);
  const view = render(<DataExports pollIntervalMs={20} {...props} />);
  const looks = () => calls.filter((call) => call.method === "GET" && call.path === `/api/v1/me/exports/${pending.id}`).length;
  return { calls, looks, view, person: userEvent.setup() };
}

/** The export cards, newest first. */
async function cards() {
  return within(await screen.findByRole("list", { name: "Your exports" })).getAllByRole("listitem");
}

/** The card at `index` (0 is the newest). */
async function card(index = 0): Promise<HTMLElement> {
  const item = (await cards())[index];
  if (!item) {
    throw new Error(`no export card ${index}`);
  }
  return item;
}

/** The value next to `term` in a card's details. */
function figure(card: HTMLElement, term: string): string {
  const dt = within(card).getAllByRole("term").find((each) => each.textContent === term);
  return dt?.nextElementSibling?.textContent ?? "";
}

function requestButton() {
  return screen.getByRole("button", { name: /^(Request an export|Requesting…)$/ });
}

/** Lets a few polls' worth of time pass, to see that nothing more is asked. */
function settle(ms: number) {
  return act(() => new Promise<void>((resolve) => setTimeout(resolve, ms)));
}

describe("DataExports", () => {
  beforeEach(() => {
    // Only the clock, so that "available until" and expiry are judged against a fixed now; timers stay real.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date(NOW));
  });

  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it("says what the ZIP holds, that it is prepared in the background and kept 7 days", async () => {
    renderSection({ "GET /api/v1/me/exports": listOf() });
    expect(await screen.findByText("No exports yet.")).toBeInTheDocument();
    expect(screen.getByText(/your original photos exactly as you uploaded them, their details \(captions, dates and places\) and your albums/)).toBeInTheDocument();
    expect(screen.getByText(/your profile with your sessions and the names of your API tokens, and a README/)).toBeInTheDocument();
    expect(screen.getByText(/prepared in the background/)).toHaveTextContent("Each export can be downloaded for 7 days, then it is deleted.");
    expect(requestButton()).not.toHaveAttribute("aria-disabled");
  });

  it("requests an export, follows it while it is prepared, and announces it ready with its download link", async () => {
    let answerPost: () => void = () => undefined;
    const posted = new Promise<void>((resolve) => {
      answerPost = resolve;
    });
    const { calls, looks, person } = renderSection({
      "GET /api/v1/me/exports": listOf(),
      "POST /api/v1/me/exports": () => posted.then(() => Response.json(pending, { status: 202 })),
      [ONE]: [Response.json(pending), Response.json(pending), Response.json(ready)],
    });
    await screen.findByText("No exports yet.");
    await person.click(requestButton());
    const button = screen.getByRole("button", { name: "Requesting…" });
    expect(button).toHaveAttribute("aria-disabled", "true");
    // Pressed again while it is sent, nothing more is asked.
    await person.click(button);
    answerPost();

    const status = screen.getByRole("status");
    await waitFor(() => {
      expect(status).toHaveTextContent("Export requested. It is being prepared; this page tells you when it is ready.");
    });
    const pendingCard = await card();
    expect(figure(pendingCard, "Status")).toBe("Being prepared…");
    expect(within(pendingCard).queryByRole("link")).toBeNull();
    // While it is prepared, another cannot be requested, and the button says why.
    expect(requestButton()).toHaveAttribute("aria-disabled", "true");
    expect(requestButton()).toHaveAccessibleDescription("An export is being prepared. You can request another once it is finished.");
    expect(requestButton()).toHaveFocus();

    await waitFor(() => {
      expect(status).toHaveTextContent("Your export is ready. Download it below.");
    });
    const done = await card();
    expect(figure(done, "Status")).toBe("Ready");
    expect(figure(done, "Size")).toBe("12 MB");
    expect(figure(done, "Contains")).toBe("3 photos");
    expect(figure(done, "Available until")).toBe(formatDate("2026-12-11T10:01:00Z"));
    const link = within(done).getByRole("link", { name: `Download the export requested ${formatDate(NOW)}` });
    expect(link).toHaveAttribute("href", `/api/v1/me/exports/${pending.id}/archive`);
    expect(link).toHaveAttribute("download");
    expect(requestButton()).not.toHaveAttribute("aria-disabled");
    expect(screen.queryByText(/An export is being prepared/)).toBeNull();

    expect(calls.filter((call) => call.method === "POST")).toHaveLength(1);
    expect(looks()).toBe(3);
    await settle(100);
    expect(looks()).toBe(3);
  });

  it("follows an export already being prepared when the page opens, and says when it failed", async () => {
    const { looks } = renderSection({
      "GET /api/v1/me/exports": listOf(pending, expired),
      [ONE]: [Response.json(pending), Response.json(failed)],
    });
    const first = await card();
    expect(figure(first, "Status")).toBe("Being prepared…");
    expect(requestButton()).toHaveAttribute("aria-disabled", "true");
    // Nothing was requested from this page: no announcement until it is done.
    expect(screen.getByRole("status")).toHaveTextContent("");

    await waitFor(() => {
      expect(screen.getByRole("status")).toHaveTextContent("Your export failed. Request a new one.");
    });
    const failedCard = await card();
    expect(figure(failedCard, "Status")).toBe("Failed — request a new one");
    expect(figure(failedCard, "Listed until")).toBe(formatDate("2026-12-11T10:02:00Z"));
    expect(within(failedCard).queryByRole("link")).toBeNull();
    expect(requestButton()).not.toHaveAttribute("aria-disabled");
    expect(looks()).toBe(2);
  });

  it("offers no download for a ready export past its date", async () => {
    renderSection({ "GET /api/v1/me/exports": listOf(ready, expired) });
    const current = await card(0);
    const old = await card(1);
    expect(within(current).getByRole("link", { name: /^Download/ })).toHaveAttribute("href", ready.download_url);
    expect(figure(old, "Status")).toBe("Expired — request a new one");
    expect(figure(old, "Expired on")).toBe(formatDate("2026-12-04T09:01:00Z"));
    expect(within(old).queryByRole("link")).toBeNull();
  });

  it("says clearly when an export is already being prepared, then lists and follows it", async () => {
    const { calls, looks, person } = renderSection({
      // The list was empty when the page opened; meanwhile another tab asked for one.
      "GET /api/v1/me/exports": [listOf(earlier), listOf(pending, earlier)],
      "POST /api/v1/me/exports": problem(409, "an export is already being built; wait for it to finish", "export-pending"),
      [ONE]: Response.json(pending),
    });
    await cards();
    await person.click(requestButton());
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "An export is already being prepared, so no new one was requested. It is listed below; request another once it is finished.",
    );
    await waitFor(async () => {
      expect(await cards()).toHaveLength(2);
    });
    const first = await card();
    expect(figure(first, "Status")).toBe("Being prepared…");
    expect(requestButton()).toHaveAttribute("aria-disabled", "true");
    expect(screen.getByRole("status")).toHaveTextContent("");
    await waitFor(() => {
      expect(looks()).toBeGreaterThan(0);
    });
    expect(calls.filter((call) => call.method === "POST")).toHaveLength(1);
  });

  it("shows other refusals as the server words them", async () => {
    const { person } = renderSection({
      "GET /api/v1/me/exports": listOf(),
      "POST /api/v1/me/exports": problem(500, "The server had a problem (request r7)."),
    });
    await screen.findByText("No exports yet.");
    await person.click(requestButton());
    expect(await screen.findByRole("alert")).toHaveTextContent("The server had a problem (request r7).");
    expect(screen.getByRole("status")).toHaveTextContent("");
    expect(requestButton()).not.toHaveAttribute("aria-disabled");
  });

  it("stops looking after a while, and looks again on request", async () => {
    const { calls, looks, person } = renderSection(
      {
        "GET /api/v1/me/exports": [listOf(pending), listOf(ready)],
        [ONE]: Response.json(pending),
      },
      { pollIntervalMs: 10, pollForMs: 30 },
    );
    await waitFor(() => {
      expect(screen.getByRole("status")).toHaveTextContent("Your export is still being prepared.");
    });
    expect(looks()).toBe(3);
    await settle(60);
    expect(looks()).toBe(3);

    await person.click(screen.getByRole("button", { name: "Check again" }));
    const checked = await card();
    await waitFor(() => {
      expect(figure(checked, "Status")).toBe("Ready");
    });
    expect(screen.queryByRole("button", { name: "Check again" })).toBeNull();
    expect(screen.getByRole("status")).toHaveTextContent("");
    expect(calls.filter((call) => call.path === "/api/v1/me/exports")).toHaveLength(2);
  });

  it("shows why it could not look, and stops looking when the section goes away", async () => {
    const first = renderSection({
      "GET /api/v1/me/exports": listOf(pending),
      [ONE]: problem(500, "The server had a problem (request r8)."),
    });
    expect(await screen.findByRole("alert")).toHaveTextContent("The server had a problem (request r8).");
    expect(screen.getByRole("button", { name: "Check again" })).toBeInTheDocument();
    first.view.unmount();
    vi.unstubAllGlobals();

    const second = renderSection({ "GET /api/v1/me/exports": listOf(pending), [ONE]: Response.json(pending) });
    await cards();
    second.view.unmount();
    const seen = second.looks();
    await settle(100);
    expect(second.looks()).toBe(seen);
  });
});
