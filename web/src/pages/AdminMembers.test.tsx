import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { formatDate } from "../account/format";
import { admin, member, noContent, problem, serveApi, type Answer } from "../account/testApi";
import { SessionProvider } from "../session";
import { AdminMembers } from "./AdminMembers";

const ADA = "/api/v1/admin/users/00000000-0000-0000-0000-000000000001";
const DUE = "2026-12-11T10:00:00.123456Z";

const invitation = {
  id: "i-1",
  email: "grace@example.org",
  role: "member",
  created_at: "2026-11-22T10:00:00Z",
  expires_at: "2026-11-29T10:00:00Z",
  status: "pending",
  ended_at: null,
};

function renderPage(routes: Record<string, Answer | Answer[]>) {
  const calls = serveApi(
    {
      "GET /api/v1/admin/users": Response.json({ items: [admin, member], next_cursor: null }),
      "GET /api/v1/admin/invitations": Response.json([]),
      "GET /api/v1/me/deletion": Response.json({ grace_days: 7 }),
      ...routes,
    },
    admin,
  );
  render(
    <SessionProvider>
      <AdminMembers />
    </SessionProvider>,
  );
  return { calls, person: userEvent.setup() };
}

async function card(name: RegExp) {
  const list = await screen.findByRole("list", { name: "Members" });
  const item = within(list)
    .getAllByRole("listitem")
    .find((element) => name.test(element.querySelector(".title")?.textContent ?? ""));
  if (!item) {
    throw new Error(`no member card matches ${String(name)}`);
  }
  return within(item);
}

describe("AdminMembers", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("lists members with role and state and changes a role after confirming", async () => {
    const { calls, person } = renderPage({
      "PATCH /api/v1/admin/users/00000000-0000-0000-0000-000000000001": Response.json({ ...member, role: "admin" }),
    });
    expect(screen.getByRole("navigation", { name: "Admin" })).toBeInTheDocument();
    const ada = await card(/^Ada/);
    expect(ada.getByText("ada@example.org")).toBeInTheDocument();
    expect((await card(/^Admin/)).getByText("You")).toBeInTheDocument();

    await person.click(ada.getByRole("button", { name: "Make admin: Ada" }));
    expect(screen.getByText(/Admins manage every member/)).toBeInTheDocument();
    await person.click(screen.getByRole("button", { name: "Yes, make admin" }));

    const after = await card(/^Ada/);
    expect(await after.findByText("Admin")).toBeInTheDocument();
    expect(after.getByRole("button", { name: /Make member: Ada/ })).toBeInTheDocument();
    expect(calls.find((call) => call.method === "PATCH")?.body).toEqual({ role: "admin" });
  });

  it("marks members whose address is not confirmed", async () => {
    renderPage({
      "GET /api/v1/admin/users": Response.json({ items: [admin, { ...member, email_verified: false }], next_cursor: null }),
    });
    expect((await card(/^Ada/)).getByText("Not confirmed")).toBeInTheDocument();
    expect((await card(/^Admin/)).queryByText("Not confirmed")).not.toBeInTheDocument();
  });

  it("warns an admin about disabling themselves and shows the server's refusal", async () => {
    const { person } = renderPage({
      "PATCH /api/v1/admin/users/00000000-0000-0000-0000-00000000000a": problem(409, "Admins cannot disable themselves."),
    });
    const self = await card(/^Admin/);
    await person.click(self.getByRole("button", { name: "Disable Admin" }));
    expect(screen.getByText(/This is your own account: you would lose access/)).toBeInTheDocument();
    await person.click(screen.getByRole("button", { name: "Yes, disable" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Admins cannot disable themselves.");
    expect(self.queryByText("Disabled")).toBeNull();
  });

  it("enables a disabled member without asking", async () => {
    const { calls, person } = renderPage({
      "GET /api/v1/admin/users": Response.json({ items: [{ ...member, disabled: true }], next_cursor: null }),
      "PATCH /api/v1/admin/users/00000000-0000-0000-0000-000000000001": Response.json(member),
    });
    const ada = await card(/^Ada/);
    expect(ada.getByText("Disabled")).toBeInTheDocument();
    await person.click(ada.getByRole("button", { name: "Enable Ada" }));
    expect(await ada.findByRole("button", { name: "Disable Ada" })).toBeInTheDocument();
    expect(calls.find((call) => call.method === "PATCH")?.body).toEqual({ disabled: false });
  });

  it("loads the next page of members with the cursor", async () => {
    const { calls, person } = renderPage({
      "GET /api/v1/admin/users": [
        Response.json({ items: [admin], next_cursor: "c-1" }),
        Response.json({ items: [member], next_cursor: null }),
      ],
    });
    await person.click(await screen.findByRole("button", { name: "Load more members" }));
    await card(/^Ada/);
    const pages = calls.filter((call) => call.path === "/api/v1/admin/users");
    expect(pages[1]?.query.get("cursor")).toBe("c-1");
    expect(screen.queryByRole("button", { name: "Load more members" })).toBeNull();
  });

  it("creates an invitation, shows its link once and lists it as pending", async () => {
    const { calls, person } = renderPage({
      "POST /api/v1/admin/invitations": Response.json(
        { invitation, link: "http://localhost:8080/sign-up?invitation=secret-1", token: "secret-1" },
        { status: 201 },
      ),
    });
    expect(await screen.findByText(/No invitations in the last 30 days/)).toBeInTheDocument();
    await person.type(screen.getByLabelText(/Email/), "grace@example.org");
    await person.click(screen.getByRole("button", { name: "Create invitation" }));

    expect(await screen.findByLabelText("Invitation link")).toHaveValue("http://localhost:8080/sign-up?invitation=secret-1");
    expect(screen.getByRole("heading", { name: "Invitation for grace@example.org created" })).toHaveFocus();
    expect(screen.getByText(/An invitation is on its way to grace@example.org/)).toBeInTheDocument();
    expect(calls.find((call) => call.method === "POST")?.body).toEqual({ role: "member", email: "grace@example.org" });
    const pending = screen.getByRole("list", { name: "Invitations" });
    expect(within(pending).getByText("grace@example.org")).toBeInTheDocument();
    expect(within(pending).getByText("Pending")).toBeInTheDocument();

    await person.click(screen.getByRole("button", { name: "I have saved it" }));
    expect(screen.queryByLabelText("Invitation link")).toBeNull();
  });

  it("revokes a pending invitation after confirming", async () => {
    const { calls, person } = renderPage({
      "GET /api/v1/admin/invitations": Response.json([invitation]),
      "DELETE /api/v1/admin/invitations/i-1": noContent(),
    });
    await person.click(await screen.findByRole("button", { name: "Revoke the invitation for grace@example.org" }));
    await person.click(screen.getByRole("button", { name: "Yes, revoke it" }));
    const list = screen.getByRole("list", { name: "Invitations" });
    expect(await within(list).findByText(/^Revoked /)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Revoke the invitation for grace@example.org" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Resend the invitation to grace@example.org" })).toBeNull();
    expect(calls.some((call) => call.method === "DELETE" && call.path === "/api/v1/admin/invitations/i-1")).toBe(true);
  });

  it("resends an addressed invitation, shows the fresh link and the new expiry", async () => {
    const open = { ...invitation, id: "i-2", email: null };
    const renewed = { ...invitation, expires_at: "2026-12-06T10:00:00Z" };
    const { calls, person } = renderPage({
      "GET /api/v1/admin/invitations": Response.json([invitation, open]),
      "POST /api/v1/admin/invitations/i-1/resend": Response.json({
        invitation: renewed,
        link: "http://localhost:8080/invitation?token=secret-2",
        token: "secret-2",
      }),
    });
    // Open links have no one to mail: no resend button for them.
    expect(await screen.findByRole("button", { name: "Resend the invitation to grace@example.org" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Resend the invitation to Anyone/ })).toBeNull();

    await person.click(screen.getByRole("button", { name: "Resend the invitation to grace@example.org" }));

    expect(await screen.findByLabelText("Invitation link")).toHaveValue("http://localhost:8080/invitation?token=secret-2");
    expect(screen.getByText("Invitation mailed again to grace@example.org. The previous link no longer works.")).toBeInTheDocument();
    const pending = screen.getByRole("list", { name: "Invitations" });
    expect(within(pending).getByText(formatDate(renewed.expires_at))).toBeInTheDocument();
    expect(calls.filter((call) => call.path === "/api/v1/admin/invitations/i-1/resend")).toHaveLength(1);
  });

  it("shows what became of ended invitations, without actions", async () => {
    const accepted = { ...invitation, id: "i-3", email: "ada@example.org", status: "accepted", ended_at: "2026-11-23T09:00:00Z" };
    const expired = { ...invitation, id: "i-4", email: "bob@example.org", status: "expired" };
    renderPage({ "GET /api/v1/admin/invitations": Response.json([accepted, expired]) });
    const list = await screen.findByRole("list", { name: "Invitations" });
    expect(within(list).getByText(`Accepted ${formatDate(accepted.ended_at)}`)).toBeInTheDocument();
    expect(within(list).getByText("Expired")).toBeInTheDocument();
    expect(within(list).queryAllByRole("button")).toHaveLength(0);
  });

  it("shows why a resend was refused", async () => {
    const { person } = renderPage({
      "GET /api/v1/admin/invitations": Response.json([invitation]),
      "POST /api/v1/admin/invitations/i-1/resend": problem(429, "try again in 600 seconds"),
    });
    await person.click(await screen.findByRole("button", { name: "Resend the invitation to grace@example.org" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("try again in 600 seconds");
    expect(screen.queryByLabelText("Invitation link")).toBeNull();
  });

  it("shows refusals of the listing and of an invitation", async () => {
    const { person } = renderPage({
      "GET /api/v1/admin/users": problem(403, "Only admins may list members."),
      "POST /api/v1/admin/invitations": problem(422, "email is not a valid address"),
    });
    expect(await screen.findByRole("alert")).toHaveTextContent("Only admins may list members.");
    expect(screen.getByRole("button", { name: "Try again" })).toBeInTheDocument();
    await person.click(screen.getByRole("button", { name: "Create invitation" }));
    expect(await screen.findByText("email is not a valid address")).toBeInTheDocument();
  });

  it("schedules a member's deletion after the grace period, naming them, then cancels it", async () => {
    const { calls, person } = renderPage({
      [`DELETE ${ADA}`]: Response.json({ deletion_due_at: DUE }, { status: 202 }),
      [`DELETE ${ADA}/deletion`]: Response.json({ ...member, deletion_due_at: null }),
    });
    const ada = await card(/^Ada/);
    await person.click(ada.getByRole("button", { name: "Delete member: Ada" }));
    const question = ada.getByRole("group", { name: /^Delete Ada \(ada@example.org\)\?/ });
    expect(question).toHaveTextContent("Their photos, albums and share links, sessions, API tokens, exports and profile are erased.");
    const later = within(question).getByRole("radio", { name: /After the grace period \(7 days\)/ });
    expect(later).toBeChecked();
    expect(later).toHaveFocus();
    expect(calls.some((call) => call.method === "DELETE")).toBe(false);
    await person.click(within(question).getByRole("button", { name: "Yes, schedule the deletion of Ada" }));

    const status = await screen.findByText(`The deletion of Ada (ada@example.org) is scheduled for ${formatDate(DUE)}.`);
    expect(status).toHaveAttribute("role", "status");
    expect(status).toHaveFocus();
    const scheduled = await card(/^Ada/);
    expect(scheduled.getByText(`Deletion scheduled for ${formatDate(DUE)}.`)).toBeInTheDocument();
    const deletion = calls.find((call) => call.method === "DELETE" && call.path === ADA);
    expect(deletion?.query.has("now")).toBe(false);

    await person.click(scheduled.getByRole("button", { name: "Cancel deletion of Ada" }));
    expect(await screen.findByText("The deletion of Ada (ada@example.org) was cancelled.")).toHaveFocus();
    expect(scheduled.queryByText(/Deletion scheduled/)).toBeNull();
    expect(scheduled.getByRole("button", { name: "Delete member: Ada" })).toBeInTheDocument();
    expect(calls.filter((call) => call.method === "DELETE").map((call) => call.path)).toEqual([ADA, `${ADA}/deletion`]);
  });

  it("deletes a member now, skipping the grace period: their card goes", async () => {
    const { calls, person } = renderPage({ [`DELETE ${ADA}`]: noContent() });
    const ada = await card(/^Ada/);
    await person.click(ada.getByRole("button", { name: "Delete member: Ada" }));
    await person.click(ada.getByRole("radio", { name: "Now (cannot be undone)" }));
    await person.click(ada.getByRole("button", { name: "Yes, delete Ada now" }));

    expect(await screen.findByText("Ada (ada@example.org) was deleted.")).toHaveFocus();
    const list = screen.getByRole("list", { name: "Members" });
    expect(within(list).getAllByRole("listitem")).toHaveLength(1);
    expect(within(list).queryByText("ada@example.org")).toBeNull();
    expect(calls.find((call) => call.method === "DELETE")?.query.get("now")).toBe("true");
  });

  it("offers no deletion of the admin's own account, and shows the server's refusal of one", async () => {
    const { person } = renderPage({
      [`DELETE ${ADA}`]: problem(409, "Admins delete their own account from their settings.", "own-account"),
    });
    const self = await card(/^Admin/);
    expect(self.queryByRole("button", { name: /^Delete/ })).toBeNull();
    expect(self.getByRole("link", { name: "Settings" })).toHaveAttribute("href", "/settings");

    // Were the list out of date (the same person signed in as another account), the refusal is shown, nothing removed.
    const ada = await card(/^Ada/);
    await person.click(ada.getByRole("button", { name: "Delete member: Ada" }));
    await person.click(ada.getByRole("button", { name: "Yes, schedule the deletion of Ada" }));
    expect(await ada.findByRole("alert")).toHaveTextContent("Admins delete their own account from their settings.");
    expect(ada.getByRole("button", { name: "Delete member: Ada" })).toHaveFocus();
    expect(ada.queryByText(/Deletion scheduled/)).toBeNull();
  });

  it("asks nothing but now for a pending member or without a grace period, and Escape leaves it", async () => {
    const { calls, person } = renderPage({
      "GET /api/v1/admin/users": Response.json({
        items: [admin, { ...member, deletion_due_at: DUE }, { ...member, id: "m-2", display_name: "Grace", email: "grace@example.org" }],
        next_cursor: null,
      }),
      "GET /api/v1/me/deletion": Response.json({ grace_days: 0 }),
    });
    const ada = await card(/^Ada/);
    expect(ada.getByText(`Deletion scheduled for ${formatDate(DUE)}.`)).toBeInTheDocument();
    await person.click(ada.getByRole("button", { name: "Delete now: Ada" }));
    expect(ada.getByRole("group", { name: /^Delete Ada/ })).toHaveTextContent(`already scheduled for ${formatDate(DUE)}; this erases them now instead`);
    expect(ada.queryByRole("radio")).toBeNull();
    expect(ada.getByRole("button", { name: "Yes, delete Ada now" })).toHaveFocus();
    await person.keyboard("{Escape}");
    expect(ada.getByRole("button", { name: "Delete now: Ada" })).toHaveFocus();

    const grace = await card(/^Grace/);
    await person.click(grace.getByRole("button", { name: "Delete member: Grace" }));
    expect(grace.getByText("They are erased immediately; this cannot be undone.")).toBeInTheDocument();
    expect(grace.queryByRole("radio")).toBeNull();
    await person.click(grace.getByRole("button", { name: "Cancel" }));
    expect(calls.some((call) => call.method === "DELETE")).toBe(false);
  });
});
