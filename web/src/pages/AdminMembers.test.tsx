import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { admin, member, noContent, problem, serveApi, type Answer } from "../account/testApi";
import { SessionProvider } from "../session";
import { AdminMembers } from "./AdminMembers";

const invitation = {
  id: "i-1",
  email: "grace@example.org",
  role: "member",
  created_at: "2026-11-22T10:00:00Z",
  expires_at: "2026-11-29T10:00:00Z",
};

function renderPage(routes: Record<string, Answer | Answer[]>) {
  const calls = serveApi(
    {
      "GET /api/v1/admin/users": Response.json({ items: [admin, member], next_cursor: null }),
      "GET /api/v1/admin/invitations": Response.json([]),
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
    expect(await screen.findByText(/No pending invitations/)).toBeInTheDocument();
    await person.type(screen.getByLabelText(/Email/), "grace@example.org");
    await person.click(screen.getByRole("button", { name: "Create invitation" }));

    expect(await screen.findByLabelText("Invitation link")).toHaveValue("http://localhost:8080/sign-up?invitation=secret-1");
    expect(screen.getByRole("heading", { name: "Invitation for grace@example.org created" })).toHaveFocus();
    expect(calls.find((call) => call.method === "POST")?.body).toEqual({ role: "member", email: "grace@example.org" });
    const pending = screen.getByRole("list", { name: "Pending invitations" });
    expect(within(pending).getByText("grace@example.org")).toBeInTheDocument();

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
    expect(await screen.findByText(/No pending invitations/)).toBeInTheDocument();
    expect(calls.some((call) => call.method === "DELETE" && call.path === "/api/v1/admin/invitations/i-1")).toBe(true);
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
});
