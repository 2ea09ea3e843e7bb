import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { noContent, problem, serveApi, type Answer } from "../account/testApi";
import { SessionProvider } from "../session";
import { Settings } from "./Settings";

const thisBrowser = {
  id: "s-1",
  current: true,
  created_at: "2026-11-20T10:00:00Z",
  last_seen_at: "2026-11-23T10:00:00Z",
  expires_at: "2026-12-23T10:00:00Z",
  user_agent: "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
  ip: "127.0.0.1",
};
const phone = {
  ...thisBrowser,
  id: "s-2",
  current: false,
  user_agent: "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Mobile Safari/537.36",
  ip: "192.0.2.7",
};
const token = {
  id: "t-1",
  name: "Backup script",
  hint: "sbx_ab12",
  created_at: "2026-11-01T10:00:00Z",
  last_used_at: null,
  expires_at: null,
};

function renderPage(routes: Record<string, Answer | Answer[]>) {
  const calls = serveApi({
    "GET /api/v1/me/sessions": Response.json([thisBrowser]),
    "GET /api/v1/me/tokens": Response.json([]),
    "GET /api/v1/me/deletion": Response.json({ grace_days: 7 }),
    "GET /api/v1/me/exports": Response.json({ items: [] }),
    ...routes,
  });
  render(
    <SessionProvider>
      <Settings />
    </SessionProvider>,
  );
  return { calls, person: userEvent.setup() };
}

/** The password form (the email form has a "Current password" too). */
function passwordPanel() {
  return within(screen.getByRole("region", { name: "Password" }));
}

describe("Settings", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("refuses differing new passwords before asking the server", async () => {
    const { calls, person } = renderPage({});
    await person.type(passwordPanel().getByLabelText("Current password"), "old password here");
    await person.type(screen.getByLabelText("New password"), "correct horse battery");
    await person.type(screen.getByLabelText("Confirm new password"), "correct horse battery!");
    await person.click(screen.getByRole("button", { name: "Change password" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("The two new passwords differ");
    expect(screen.getByLabelText("Confirm new password")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByLabelText("Confirm new password")).toHaveFocus();
    expect(calls.some((call) => call.path === "/api/v1/me/password")).toBe(false);
  });

  it("shows why the server refused a password, then confirms a change and lists sessions again", async () => {
    const { calls, person } = renderPage({
      "PUT /api/v1/me/password": [problem(403, "The current password is wrong."), noContent()],
    });
    const fill = async (current: string) => {
      await person.type(passwordPanel().getByLabelText("Current password"), current);
      await person.type(screen.getByLabelText("New password"), "correct horse battery");
      await person.type(screen.getByLabelText("Confirm new password"), "correct horse battery");
      await person.click(screen.getByRole("button", { name: "Change password" }));
    };
    await fill("wrong");
    expect(await screen.findByRole("alert")).toHaveTextContent("The current password is wrong.");

    await person.clear(passwordPanel().getByLabelText("Current password"));
    await person.clear(screen.getByLabelText("New password"));
    await person.clear(screen.getByLabelText("Confirm new password"));
    await fill("right password");
    expect(await screen.findByText(/Password changed\./)).toBeInTheDocument();
    expect(screen.queryByRole("alert")).toBeNull();
    expect(calls.filter((call) => call.method === "PUT").at(-1)?.body).toEqual({
      current_password: "right password",
      new_password: "correct horse battery",
    });
    await vi.waitFor(() => {
      expect(calls.filter((call) => call.path === "/api/v1/me/sessions")).toHaveLength(2);
    });
    expect(passwordPanel().getByLabelText("Current password")).toHaveValue("");
  });

  it("marks this browser and signs another session out after confirming", async () => {
    const { calls, person } = renderPage({
      "GET /api/v1/me/sessions": Response.json([phone, thisBrowser]),
      "DELETE /api/v1/me/sessions/s-2": noContent(),
    });
    const list = await screen.findByRole("list", { name: "Sessions" });
    const items = within(list).getAllByRole("listitem");
    expect(items[0]).toHaveTextContent("Firefox on Linux");
    expect(items[0]).toHaveTextContent("This browser");
    expect(within(items[0] as HTMLElement).queryByRole("button")).toBeNull();
    expect(items[1]).toHaveTextContent("Chrome on Android");

    await person.click(within(items[1] as HTMLElement).getByRole("button", { name: /Sign out Chrome on Android/ }));
    expect(calls.some((call) => call.method === "DELETE")).toBe(false);
    const confirm = screen.getByRole("button", { name: "Yes, sign it out" });
    expect(confirm).toHaveFocus();
    await person.click(confirm);

    await vi.waitFor(() => {
      expect(within(list).getAllByRole("listitem")).toHaveLength(1);
    });
    expect(calls.filter((call) => call.method === "DELETE").map((call) => call.path)).toEqual(["/api/v1/me/sessions/s-2"]);
    expect(screen.getByText("You are signed in only here.")).toBeInTheDocument();
    expect(screen.getByText("Signed out.")).toBeInTheDocument();
    expect(list).toHaveFocus();
  });

  it("signs out all other sessions, then everywhere, which signs this browser out", async () => {
    const { calls, person } = renderPage({
      "GET /api/v1/me/sessions": Response.json([thisBrowser, phone, { ...phone, id: "s-3" }]),
      "DELETE /api/v1/me/sessions/s-2": noContent(),
      "DELETE /api/v1/me/sessions/s-3": noContent(),
      "DELETE /api/v1/me/sessions": noContent(),
      "POST /api/v1/auth/logout": problem(401, "Not signed in."),
    });
    await person.click(await screen.findByRole("button", { name: "Sign out all other sessions" }));
    expect(screen.getByText(/Sign out the 2 other sessions\? This browser stays signed in./)).toBeInTheDocument();
    await person.click(screen.getByRole("button", { name: "Yes, sign them out" }));
    expect(await screen.findByText("You are signed in only here.")).toBeInTheDocument();
    expect(calls.filter((call) => call.method === "DELETE").map((call) => call.path)).toEqual([
      "/api/v1/me/sessions/s-2",
      "/api/v1/me/sessions/s-3",
    ]);

    await person.click(screen.getByRole("button", { name: "Sign out everywhere" }));
    await person.click(screen.getByRole("button", { name: "Yes, sign out everywhere" }));
    await vi.waitFor(() => {
      expect(calls.some((call) => call.method === "POST" && call.path === "/api/v1/auth/logout")).toBe(true);
    });
    expect(calls.some((call) => call.method === "DELETE" && call.path === "/api/v1/me/sessions")).toBe(true);
  });

  it("cancels a confirmation with Escape and gives focus back", async () => {
    const { calls, person } = renderPage({ "GET /api/v1/me/tokens": Response.json([token]) });
    const revoke = await screen.findByRole("button", { name: "Revoke token Backup script" });
    await person.click(revoke);
    expect(screen.getByText(/Anything using it stops working/)).toBeInTheDocument();
    await person.keyboard("{Escape}");
    expect(screen.getByRole("button", { name: "Revoke token Backup script" })).toHaveFocus();
    expect(calls.some((call) => call.method === "DELETE")).toBe(false);
  });

  it("creates a token and shows its secret once, then lists it", async () => {
    const { calls, person } = renderPage({
      "POST /api/v1/me/tokens": Response.json({ token, secret: "sbx_ab12-the-whole-secret" }, { status: 201 }),
    });
    expect(await screen.findByText(/No tokens yet/)).toBeInTheDocument();
    await person.type(screen.getByLabelText("Token name"), "Backup script");
    await person.selectOptions(screen.getByLabelText("Expires after"), "30");
    await person.click(screen.getByRole("button", { name: "Create token" }));

    const secret = await screen.findByLabelText("Your new token");
    expect(secret).toHaveValue("sbx_ab12-the-whole-secret");
    expect(screen.getByRole("heading", { name: "Token “Backup script” created" })).toHaveFocus();
    expect(screen.getByText(/shown only this once/)).toBeInTheDocument();
    expect(calls.find((call) => call.method === "POST")?.body).toEqual({ name: "Backup script", expires_in_days: 30 });
    expect(within(screen.getByRole("list", { name: "API tokens" })).getByText("Backup script")).toBeInTheDocument();

    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    await person.click(screen.getByRole("button", { name: "Copy" }));
    expect(writeText).toHaveBeenCalledWith("sbx_ab12-the-whole-secret");
    expect(await screen.findByText("Copied to the clipboard.")).toBeInTheDocument();

    await person.click(screen.getByRole("button", { name: "I have saved it" }));
    expect(screen.queryByLabelText("Your new token")).toBeNull();
    expect(screen.queryByText("sbx_ab12-the-whole-secret")).toBeNull();
    expect(screen.getByLabelText("Token name")).toHaveValue("");
  });

  it("revokes a token after confirming and shows a refusal next to the button", async () => {
    const { person } = renderPage({
      "GET /api/v1/me/tokens": Response.json([token]),
      "DELETE /api/v1/me/tokens/t-1": [problem(404, "That token does not exist any more."), noContent()],
    });
    await person.click(await screen.findByRole("button", { name: "Revoke token Backup script" }));
    await person.click(screen.getByRole("button", { name: "Yes, revoke it" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("That token does not exist any more.");
    expect(screen.getByRole("button", { name: "Revoke token Backup script" })).toHaveFocus();

    await person.click(screen.getByRole("button", { name: "Revoke token Backup script" }));
    await person.click(screen.getByRole("button", { name: "Yes, revoke it" }));
    expect(await screen.findByText(/No tokens yet/)).toBeInTheDocument();
    expect(screen.getByText("Token “Backup script” revoked.")).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "Your tokens" })).toHaveFocus();
  });

  it("shows when the lists cannot be loaded", async () => {
    renderPage({
      "GET /api/v1/me/sessions": problem(500, "Sessions are unavailable (request r1)."),
      "GET /api/v1/me/tokens": problem(500, "Tokens are unavailable (request r2)."),
      "GET /api/v1/me/exports": problem(500, "Exports are unavailable (request r3)."),
    });
    await vi.waitFor(() => {
      expect(screen.getAllByRole("alert")).toHaveLength(3);
    });
    expect(screen.getAllByRole("alert").map((alert) => alert.textContent)).toEqual([
      "Sessions are unavailable (request r1).",
      "Tokens are unavailable (request r2).",
      "Exports are unavailable (request r3).",
    ]);
    expect(screen.queryByText("Loading exports…")).toBeNull();
  });

  it("has a Your data section with the member's exports, just before Delete account", async () => {
    renderPage({
      "GET /api/v1/me/exports": Response.json({
        items: [
          {
            id: "e-1",
            status: "failed",
            requested_at: "2026-11-20T10:00:00Z",
            finished_at: "2026-11-20T10:01:00Z",
            expires_at: "2026-11-27T10:01:00Z",
          },
        ],
      }),
    });
    const section = within(await screen.findByRole("region", { name: "Your data" }));
    const exports = await section.findByRole("list", { name: "Your exports" });
    expect(within(exports).getByText("Failed — request a new one")).toBeInTheDocument();
    expect(section.getByRole("button", { name: "Request an export" })).toBeInTheDocument();
    expect(screen.getAllByRole("heading", { level: 2 }).map((heading) => heading.textContent)).toEqual([
      "Email address",
      "Password",
      "Sessions",
      "API tokens",
      "Your data",
      "Delete account",
    ]);
  });
});
