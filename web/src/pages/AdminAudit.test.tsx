import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { formatDate } from "../account/format";
import { admin, member, problem, serveApi, type Answer } from "../account/testApi";
import type { AuditEntry } from "../admin/audit";
import { App } from "../App";
import { SessionProvider } from "../session";
import { AdminAudit } from "./AdminAudit";

const ERASED = "00000000-0000-0000-0000-0000000000ee";
const EXPORT = "00000000-0000-0000-0000-0000000000e5";
const JOB = "00000000-0000-0000-0000-00000000000b";
const INVITATION = "00000000-0000-0000-0000-00000000001a";

function entry(id: string, occurredAt: string, fields: Partial<AuditEntry> & Pick<AuditEntry, "action" | "actor_kind">): AuditEntry {
  return { id, occurred_at: occurredAt, actor_id: null, target_id: null, ...fields };
}

const firstPage: AuditEntry[] = [
  entry("a-7", "2026-12-04T10:07:00Z", { action: "export.downloaded", actor_kind: "member", actor_id: member.id, target_id: EXPORT }),
  entry("a-6", "2026-12-04T10:06:00Z", { action: "export.requested", actor_kind: "member", actor_id: member.id, target_id: EXPORT }),
  entry("a-5", "2026-12-04T10:05:00Z", { action: "account.erased", actor_kind: "system", target_id: ERASED }),
  entry("a-4", "2026-12-04T10:04:00Z", { action: "admin.member_updated", actor_kind: "member", actor_id: admin.id, target_id: member.id }),
  entry("a-3", "2026-12-04T10:03:00Z", { action: "admin.backup_requested", actor_kind: "member", actor_id: admin.id, target_id: JOB }),
  entry("a-2", "2026-12-04T10:02:00Z", { action: "account.deletion_requested", actor_kind: "operator", target_id: ERASED }),
  entry("a-1", "2026-12-04T10:01:00Z", { action: "photos.teleported", actor_kind: "member", actor_id: ERASED }),
];
const secondPage: AuditEntry[] = [
  entry("a-0", "2026-12-03T09:00:00Z", { action: "admin.invitation_created", actor_kind: "member", actor_id: admin.id, target_id: INVITATION }),
];

/** The admin members list, in two pages, as the name look-up reads it (a fresh list: answers are used up). */
function members(): Record<string, Answer | Answer[]> {
  return {
    "GET /api/v1/admin/users": [Response.json({ items: [admin], next_cursor: "u-2" }), Response.json({ items: [member], next_cursor: null })],
  };
}

function renderPage(routes: Record<string, Answer | Answer[]> = {}) {
  const calls = serveApi(
    {
      "GET /api/v1/admin/audit": [Response.json({ items: firstPage, next_cursor: "c-2" }), Response.json({ items: secondPage, next_cursor: null })],
      ...members(),
      ...routes,
    },
    admin,
  );
  render(
    <SessionProvider>
      <AdminAudit />
    </SessionProvider>,
  );
  return { calls, person: userEvent.setup() };
}

/** Each row's cells as text: time, who, what, target. */
function rows(): string[][] {
  const table = screen.getByRole("table", { name: "Entries" });
  return within(table)
    .getAllByRole("row")
    .slice(1)
    .map((row) => [...within(row).getAllByRole("rowheader"), ...within(row).getAllByRole("cell")].map((cell) => cell.textContent));
}

describe("AdminAudit", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    window.history.replaceState(null, "", "/");
  });

  it("shows each entry's time, who, what in words and the target, with current names beside member ids", async () => {
    const { calls } = renderPage();
    await screen.findByRole("table", { name: "Entries" });
    await screen.findAllByText(/\(erased or unknown\)/);
    expect(screen.getByText(/The log keeps identifiers only, never names or addresses/)).toBeInTheDocument();
    expect(rows()).toEqual([
      [formatDate("2026-12-04T10:07:00Z"), `Ada${member.id}`, "Export downloadedexport.downloaded", `Export${EXPORT}`],
      [formatDate("2026-12-04T10:06:00Z"), `Ada${member.id}`, "Export requestedexport.requested", `Export${EXPORT}`],
      [formatDate("2026-12-04T10:05:00Z"), "System (scheduled job)", "Member erasedaccount.erased", `${ERASED} (erased or unknown)`],
      [formatDate("2026-12-04T10:04:00Z"), `Admin${admin.id}`, "Member’s role or access changedadmin.member_updated", `Ada${member.id}`],
      [formatDate("2026-12-04T10:03:00Z"), `Admin${admin.id}`, "Backup requestedadmin.backup_requested", `Job${JOB}`],
      [formatDate("2026-12-04T10:02:00Z"), "Operator (command line)", "Deletion requestedaccount.deletion_requested", `${ERASED} (erased or unknown)`],
      // An action this page does not know yet is shown by its logged name.
      [formatDate("2026-12-04T10:01:00Z"), `${ERASED} (erased or unknown)`, "photos.teleportedphotos.teleported", "None"],
    ]);
    expect(screen.getByRole("navigation", { name: "Admin" })).toContainElement(screen.getByRole("link", { name: "Audit log" }));
    expect(screen.getByRole("link", { name: "Audit log" })).toHaveAttribute("aria-current", "page");
    // The names come from every page of the members list.
    const lookups = calls.filter((call) => call.path === "/api/v1/admin/users");
    expect(lookups.map((call) => call.query.get("cursor"))).toEqual([null, "u-2"]);
    expect(calls.filter((call) => call.path === "/api/v1/admin/audit").map((call) => call.query.get("limit"))).toEqual(["50"]);
  });

  it("loads the next page with the cursor, and says when that is the whole log", async () => {
    const { calls, person } = renderPage();
    await screen.findByRole("table", { name: "Entries" });
    expect(rows()).toHaveLength(7);
    const more = screen.getByRole("button", { name: "Load more" });
    await person.click(more);

    const status = screen.getByRole("status");
    await waitFor(() => {
      expect(status).toHaveTextContent("Loaded 1 more entry. That is the whole log.");
    });
    expect(rows()).toHaveLength(8);
    expect(rows()[7]).toEqual([formatDate("2026-12-03T09:00:00Z"), `Admin${admin.id}`, "Invitation createdadmin.invitation_created", `Invitation${INVITATION}`]);
    expect(screen.queryByRole("button", { name: "Load more" })).toBeNull();
    // The pressed button is gone: the focus goes to where the list ends.
    expect(status).toHaveFocus();
    const pages = calls.filter((call) => call.path === "/api/v1/admin/audit");
    expect(pages.map((call) => [call.query.get("limit"), call.query.get("cursor")])).toEqual([
      ["50", null],
      ["50", "c-2"],
    ]);
  });

  it("keeps the entries and offers to try again when a later page fails", async () => {
    const { calls, person } = renderPage({
      "GET /api/v1/admin/audit": [
        Response.json({ items: firstPage, next_cursor: "c-2" }),
        problem(500, "The server had a problem (request r4)."),
        Response.json({ items: secondPage, next_cursor: null }),
      ],
    });
    await screen.findByRole("table", { name: "Entries" });
    await person.click(screen.getByRole("button", { name: "Load more" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("The server had a problem (request r4).");
    expect(rows()).toHaveLength(7);
    await person.click(screen.getByRole("button", { name: "Try again" }));
    await waitFor(() => {
      expect(rows()).toHaveLength(8);
    });
    expect(screen.queryByRole("alert")).toBeNull();
    expect(calls.filter((call) => call.path === "/api/v1/admin/audit").map((call) => call.query.get("cursor"))).toEqual([null, "c-2", "c-2"]);
  });

  it("shows identifiers only, and says so, when the member names cannot be looked up", async () => {
    renderPage({ "GET /api/v1/admin/users": problem(500, "Members are unavailable (request r5).") });
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Member names could not be looked up (Members are unavailable (request r5).). The log shows identifiers only.",
    );
    await screen.findByRole("table", { name: "Entries" });
    expect(rows()[0]).toEqual([formatDate("2026-12-04T10:07:00Z"), member.id, "Export downloadedexport.downloaded", `Export${EXPORT}`]);
    // Not knowing the names is no reason to call anyone erased.
    expect(screen.queryByText(/erased or unknown/)).toBeNull();
  });

  it("says when nothing has been logged", async () => {
    renderPage({ "GET /api/v1/admin/audit": Response.json({ items: [], next_cursor: null }) });
    expect(await screen.findByText("Nothing has been logged yet.")).toBeInTheDocument();
    expect(screen.queryByRole("table")).toBeNull();
    expect(screen.queryByRole("button", { name: "Load more" })).toBeNull();
  });

  it("shows the server's 403 to someone who is no longer an admin", async () => {
    renderPage({ "GET /api/v1/admin/audit": problem(403, "only admins may do this") });
    expect(await screen.findByRole("alert")).toHaveTextContent("only admins may do this");
    expect(screen.queryByRole("table")).toBeNull();
    expect(screen.queryByText(/Loading the audit log/)).toBeNull();
  });

  it("is for admins only, like the other admin pages", async () => {
    window.history.replaceState(null, "", "/admin/audit");
    const calls = serveApi({}, member);
    render(<App />);
    expect(await screen.findByRole("heading", { name: "Admins only" })).toBeInTheDocument();
    expect(calls.some((call) => call.path.startsWith("/api/v1/admin/"))).toBe(false);
  });

  it("is reached from the admin pages' navigation", async () => {
    window.history.replaceState(null, "", "/admin/backups");
    serveApi(
      {
        "GET /api/v1/admin/backups": Response.json({ encrypted: false, scheduled: true, now: "2026-12-04T10:00:00Z", items: [], status: { retained: 0, incomplete: 0 } }),
        "GET /api/v1/admin/audit": Response.json({ items: firstPage, next_cursor: null }),
        ...members(),
      },
      admin,
    );
    render(<App />);
    const person = userEvent.setup();
    await person.click(within(await screen.findByRole("navigation", { name: "Admin" })).getByRole("link", { name: "Audit log" }));
    expect(await screen.findByRole("heading", { level: 1, name: "Audit log" })).toBeInTheDocument();
    expect(window.location.pathname).toBe("/admin/audit");
    await screen.findByRole("table", { name: "Entries" });
    expect(screen.queryByRole("button", { name: "Load more" })).toBeNull();
  });
});
