import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { formatDate } from "../account/format";
import { member, noContent, problem, serveApi, type Answer } from "../account/testApi";
import { App } from "../App";

// The member's side of account deletion, through the whole app: the section
// in Settings, the sign-in page afterwards, and the banner while it is pending.

const NOW = "2026-12-04T10:00:00Z";
const IN_A_WEEK = "2026-12-11T10:00:00Z";
/** As the server stores and answers it, to the microsecond. */
const DUE = "2026-12-11T10:00:00.123456Z";

function startAt(path: string, routes: Record<string, Answer | Answer[]>, signedInAs: object = member) {
  window.history.replaceState(null, "", path);
  const calls = serveApi(
    {
      "GET /api/v1/me/sessions": Response.json([]),
      "GET /api/v1/me/tokens": Response.json([]),
      "GET /api/v1/me/storage": Response.json({ used_bytes: 0 }),
      "GET /api/v1/me/deletion": Response.json({ grace_days: 7 }),
      "GET /api/v1/me/exports": Response.json({ items: [] }),
      ...routes,
    },
    signedInAs,
  );
  render(<App />);
  return { calls, person: userEvent.setup() };
}

async function deleteSection() {
  return within(await screen.findByRole("region", { name: "Delete account" }));
}

describe("account deletion", () => {
  beforeEach(() => {
    // Only the clock: the date a deletion would come due is worked out from it.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date(NOW));
  });

  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
    window.history.replaceState(null, "", "/");
  });

  it("says what is erased and when, refuses a wrong password, then signs out to a sign-in page that gives the date", async () => {
    const { calls, person } = startAt("/settings", {
      "DELETE /api/v1/me": [
        problem(403, "The password is incorrect", "wrong-password"),
        Response.json({ deletion_due_at: DUE }, { status: 202 }),
      ],
    });
    const section = await deleteSection();
    const statement = await section.findByText(/The erasure happens on/);
    expect(statement).toHaveTextContent(`The erasure happens on ${formatDate(IN_A_WEEK)}, 7 days from now, unless you sign in again`);
    expect(statement).toHaveTextContent("You are signed out everywhere at once and your API tokens stop working.");
    expect(
      section.getByText(/your photos \(the originals and every resized copy\), your albums and their share links, your sessions, API tokens and data exports, and your profile/),
    ).toBeInTheDocument();
    expect(section.getByText(/expire as old backups are removed under the backup retention policy, and are never brought back/)).toBeInTheDocument();

    // The acknowledgement is required before anything is sent.
    await person.type(section.getByLabelText("Your password"), "not my password");
    await person.click(section.getByRole("button", { name: "Delete my account" }));
    expect(await section.findByRole("alert")).toHaveTextContent("Tick the box to confirm");
    const checkbox = section.getByRole("checkbox", { name: `I understand that my account and everything in it will be erased on ${formatDate(IN_A_WEEK)} unless I cancel.` });
    expect(checkbox).toHaveFocus();
    expect(checkbox).toHaveAttribute("aria-invalid", "true");
    expect(calls.some((call) => call.method === "DELETE")).toBe(false);

    await person.click(checkbox);
    expect(section.queryByRole("alert")).toBeNull();
    await person.click(section.getByRole("button", { name: "Delete my account" }));
    expect(await section.findByRole("alert")).toHaveTextContent("The password is incorrect. Nothing was changed: your account stays as it is.");
    const password = section.getByLabelText("Your password");
    expect(password).toHaveValue("");
    expect(password).toHaveFocus();
    expect(password).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByRole("heading", { level: 1, name: "Settings" })).toBeInTheDocument();

    await person.type(password, "correct horse battery");
    await person.click(section.getByRole("button", { name: "Delete my account" }));
    expect(await screen.findByRole("heading", { level: 1, name: "Sign in" })).toBeInTheDocument();
    expect(window.location.pathname).toBe("/sign-in");
    const status = screen.getByRole("status");
    expect(status).toHaveTextContent(`Your account will be deleted on ${formatDate(DUE)}. You were signed out everywhere.`);
    expect(status).toHaveTextContent("Sign in again before then and cancel the deletion.");
    expect(screen.queryByRole("link", { name: "Settings" })).toBeNull();
    expect(calls.filter((call) => call.method === "DELETE" && call.path === "/api/v1/me").map((call) => call.body)).toEqual([
      { password: "not my password" },
      { password: "correct horse battery" },
    ]);
    // The server already ended the session; there is nothing to log out.
    expect(calls.some((call) => call.path === "/api/v1/auth/logout")).toBe(false);
  });

  it("without a grace period says the erasure is immediate, and afterwards that the account was deleted", async () => {
    const { person } = startAt("/settings", {
      "GET /api/v1/me/deletion": Response.json({ grace_days: 0 }),
      "DELETE /api/v1/me": noContent(),
      "POST /api/v1/auth/login": Response.json({ user: member, csrf_token: "csrf-2" }),
    });
    const section = await deleteSection();
    expect(await section.findByText("It happens immediately and cannot be undone.")).toBeInTheDocument();
    expect(section.queryByText(/days from now/)).toBeNull();
    expect(section.queryByText(/sign in again/)).toBeNull();

    await person.type(section.getByLabelText("Your password"), "correct horse battery");
    await person.click(section.getByRole("checkbox", { name: /erased immediately and for good/ }));
    await person.click(section.getByRole("button", { name: "Delete my account" }));

    expect(await screen.findByRole("heading", { level: 1, name: "Sign in" })).toBeInTheDocument();
    expect(screen.getByRole("status")).toHaveTextContent("Your account was deleted. Everything it held has been erased.");
  });

  it("shows a pending deletion on every page and cancels it from the banner", async () => {
    const { calls, person } = startAt(
      "/settings",
      { "DELETE /api/v1/me/deletion": Response.json({ ...member, deletion_due_at: null }) },
      { ...member, deletion_due_at: DUE },
    );
    const banner = await screen.findByRole("alert");
    expect(banner).toHaveTextContent(`Your account is scheduled for deletion on ${formatDate(DUE)}.`);
    // Settings says so too, rather than offering to delete it again.
    const section = await deleteSection();
    expect(section.getByText(/already scheduled for deletion/)).toHaveTextContent(formatDate(DUE));
    expect(section.queryByLabelText("Your password")).toBeNull();

    await person.click(within(screen.getByRole("navigation", { name: "Main" })).getByRole("link", { name: "Profile" }));
    expect(await screen.findByRole("heading", { level: 1, name: "Profile" })).toBeInTheDocument();
    expect(screen.getByRole("alert")).toBe(banner);

    await person.click(within(banner).getByRole("button", { name: "Cancel deletion" }));
    const status = await screen.findByText("Deletion cancelled. Your account stays.");
    expect(status).toHaveAttribute("role", "status");
    expect(status).toHaveFocus();
    expect(screen.queryByRole("alert")).toBeNull();
    expect(screen.queryByText(/scheduled for deletion/)).toBeNull();
    expect(calls.filter((call) => call.method === "DELETE").map((call) => call.path)).toEqual(["/api/v1/me/deletion"]);

    // The message belongs to the page it answered; Settings offers deletion again.
    await person.click(within(screen.getByRole("navigation", { name: "Main" })).getByRole("link", { name: "Settings" }));
    expect(await (await deleteSection()).findByLabelText("Your password")).toBeInTheDocument();
    expect(screen.queryByText("Deletion cancelled. Your account stays.")).toBeNull();
  });

  it("keeps the account when the deletion was already cancelled elsewhere, and shows other refusals", async () => {
    const { person } = startAt(
      "/profile",
      {
        "DELETE /api/v1/me/deletion": [
          problem(500, "The server had a problem (request r9)."),
          problem(409, "No deletion is pending for this account.", "deletion-not-pending"),
        ],
      },
      { ...member, deletion_due_at: DUE },
    );
    const cancel = await screen.findByRole("button", { name: "Cancel deletion" });
    await person.click(cancel);
    expect(await screen.findByText("The server had a problem (request r9).")).toBeInTheDocument();
    expect(screen.getByText(/Your account is scheduled for deletion/)).toBeInTheDocument();

    await person.click(screen.getByRole("button", { name: "Cancel deletion" }));
    expect(await screen.findByText("No deletion is pending any more. Your account stays.")).toHaveFocus();
    expect(screen.queryByText(/Your account is scheduled for deletion/)).toBeNull();
    expect(screen.queryByText("The server had a problem (request r9).")).toBeNull();
  });
});
