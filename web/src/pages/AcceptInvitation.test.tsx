import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { formatDate } from "../account/format";
import { member, problem, serveApi } from "../account/testApi";
import { getCsrfToken, setCsrfToken } from "../api/client";
import { SessionProvider } from "../session";
import { AcceptInvitation } from "./AcceptInvitation";

const EXPIRES = "2026-12-11T20:42:00Z";

function renderPage(token: string, routes: Parameters<typeof serveApi>[0]) {
  const calls = serveApi({ "GET /api/v1/auth/session": problem(401, "Not signed in."), ...routes });
  render(
    <SessionProvider>
      <AcceptInvitation token={token} />
    </SessionProvider>,
  );
  return { calls, person: userEvent.setup() };
}

describe("AcceptInvitation", () => {
  beforeEach(() => {
    window.history.replaceState(null, "", "/invitation?token=tok-1");
  });

  afterEach(() => {
    vi.unstubAllGlobals();
    setCsrfToken(null);
  });

  it("shows who invited whom, locks the invited address, signs up with the token and opens the gallery", async () => {
    const { calls, person } = renderPage("tok-1", {
      "POST /api/v1/auth/invitation": Response.json({ email: "ada@example.org", role: "member", expires_at: EXPIRES, invited_by: "Grace" }),
      "POST /api/v1/auth/signup": Response.json({ user: member, csrf_token: "csrf-7" }, { status: 201 }),
    });

    const status = await screen.findByRole("status");
    expect(status).toHaveTextContent("Grace invited you to join as a member.");
    expect(status).toHaveTextContent(`until ${formatDate(EXPIRES)}`);
    const email = screen.getByLabelText("Email");
    expect(email).toHaveValue("ada@example.org");
    expect(email).toHaveAttribute("readonly");
    expect(email).toHaveAccessibleDescription("The invitation is for this address.");
    expect(screen.getByLabelText("Display name")).toHaveFocus();

    await person.type(screen.getByLabelText("Display name"), "Ada");
    await person.type(screen.getByLabelText("Password"), "amber-heron-crosses-lake");
    await person.click(screen.getByRole("button", { name: "Create my account" }));

    await vi.waitFor(() => {
      expect(window.location.pathname).toBe("/");
    });
    // The token travels in bodies only.
    expect(calls.find((call) => call.path === "/api/v1/auth/invitation")?.body).toEqual({ token: "tok-1" });
    expect(calls.find((call) => call.path === "/api/v1/auth/signup")?.body).toEqual({
      email: "ada@example.org",
      password: "amber-heron-crosses-lake",
      display_name: "Ada",
      invitation: "tok-1",
    });
    expect(getCsrfToken()).toBe("csrf-7");
  });

  it("lets anyone holding an open link type their own address", async () => {
    const { person } = renderPage("tok-1", {
      "POST /api/v1/auth/invitation": Response.json({ email: null, role: "admin", expires_at: EXPIRES, invited_by: null }),
    });
    expect(await screen.findByRole("status")).toHaveTextContent("An admin invited you to join as an admin.");
    const email = screen.getByLabelText("Email");
    expect(email).not.toHaveAttribute("readonly");
    await person.type(email, "bob@example.org");
    expect(email).toHaveValue("bob@example.org");
  });

  it("says clearly when the link is unknown, used, revoked or expired", async () => {
    const { calls } = renderPage("tok-1", {
      "POST /api/v1/auth/invitation": problem(404, "the link is unknown, used, revoked or expired", "invitation-invalid"),
    });
    expect(await screen.findByRole("alert")).toHaveTextContent("This invitation link does not work.");
    expect(screen.queryByRole("button", { name: "Create my account" })).toBeNull();
    expect(screen.getByRole("link", { name: "Sign in" })).toHaveAttribute("href", "/sign-in");
    expect(calls.filter((call) => call.path === "/api/v1/auth/signup")).toHaveLength(0);
  });

  it("asks nothing of the server without a token", () => {
    const { calls } = renderPage("", {});
    expect(screen.getByRole("alert")).toHaveTextContent("This invitation link does not work.");
    expect(calls.filter((call) => call.path === "/api/v1/auth/invitation")).toHaveLength(0);
  });

  it("asks someone already signed in to sign out rather than sign up again", async () => {
    const calls = serveApi({
      "POST /api/v1/auth/invitation": Response.json({ email: null, role: "member", expires_at: EXPIRES, invited_by: "Grace" }),
      "POST /api/v1/auth/logout": new Response(null, { status: 204 }),
    });
    const person = userEvent.setup();
    render(
      <SessionProvider>
        <AcceptInvitation token="tok-1" />
      </SessionProvider>,
    );
    expect(await screen.findByText(/You are signed in as/)).toHaveTextContent(member.email);
    expect(screen.queryByRole("form", { name: "Create your account" })).not.toBeInTheDocument();
    await person.click(screen.getByRole("button", { name: "Sign out" }));
    expect(await screen.findByRole("form", { name: "Create your account" })).toBeInTheDocument();
    expect(calls.some((call) => call.path === "/api/v1/auth/logout")).toBe(true);
  });

  it("keeps the form and shows why a sign-up was refused", async () => {
    const { person } = renderPage("tok-1", {
      "POST /api/v1/auth/invitation": Response.json({ email: null, role: "member", expires_at: EXPIRES, invited_by: "Grace" }),
      "POST /api/v1/auth/signup": problem(409, "An account with this email already exists."),
    });
    await person.type(await screen.findByLabelText("Display name"), "Bob");
    await person.type(screen.getByLabelText("Email"), "bob@example.org");
    await person.type(screen.getByLabelText("Password"), "amber-heron-crosses-lake");
    await person.click(screen.getByRole("button", { name: "Create my account" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("An account with this email already exists.");
    expect(screen.getByRole("button", { name: "Create my account" })).toBeEnabled();
  });
});
