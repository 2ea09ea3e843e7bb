import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { getCsrfToken, setCsrfToken } from "../api/client";
import { SessionProvider } from "../session";
import { AuthPage } from "./AuthPage";

const user = {
  id: "00000000-0000-0000-0000-000000000001",
  email: "ada@example.org",
  display_name: "Ada",
  role: "member",
  disabled: false,
  email_verified: true,
  created_at: "2026-11-23T10:00:00Z",
  updated_at: "2026-11-23T10:00:00Z",
};

function problem(status: number, detail: string) {
  return new Response(JSON.stringify({ title: "Refused", status, detail }), {
    status,
    headers: { "content-type": "application/problem+json" },
  });
}

describe("AuthPage", () => {
  let calls: { method: string; path: string; body: unknown }[];

  beforeEach(() => {
    calls = [];
    window.history.replaceState(null, "", "/sign-up");
  });

  afterEach(() => {
    vi.unstubAllGlobals();
    setCsrfToken(null);
  });

  function serve(answer: (path: string) => Response) {
    vi.stubGlobal("fetch", async (request: Request) => {
      const path = new URL(request.url).pathname;
      const text = await request.text();
      calls.push({ method: request.method, path, body: text ? JSON.parse(text) : null });
      return answer(path);
    });
  }

  it("signs up with the typed body, keeps the CSRF token and opens the gallery", async () => {
    serve((path) =>
      path === "/api/v1/auth/session" ? problem(401, "Not signed in.") : Response.json({ user, csrf_token: "csrf-9" }, { status: 201 }),
    );
    const person = userEvent.setup();
    render(
      <SessionProvider>
        <AuthPage mode="sign-up" />
      </SessionProvider>,
    );

    await person.type(screen.getByLabelText("Display name"), "Ada");
    await person.type(screen.getByLabelText("Email"), "ada@example.org");
    await person.type(screen.getByLabelText("Password"), "correct horse battery staple");
    await person.click(screen.getByRole("button", { name: "Sign up" }));

    await vi.waitFor(() => {
      expect(window.location.pathname).toBe("/");
    });
    expect(calls.find((call) => call.path === "/api/v1/auth/signup")).toEqual({
      method: "POST",
      path: "/api/v1/auth/signup",
      body: { email: "ada@example.org", password: "correct horse battery staple", display_name: "Ada" },
    });
    expect(getCsrfToken()).toBe("csrf-9");
  });

  it("shows why a sign-in was refused and stays on the page", async () => {
    window.history.replaceState(null, "", "/sign-in");
    serve((path) =>
      path === "/api/v1/auth/session" ? problem(401, "Not signed in.") : problem(401, "The email or password is wrong."),
    );
    const person = userEvent.setup();
    render(
      <SessionProvider>
        <AuthPage mode="sign-in" />
      </SessionProvider>,
    );

    await person.type(screen.getByLabelText("Email"), "ada@example.org");
    await person.type(screen.getByLabelText("Password"), "nope");
    await person.click(screen.getByRole("button", { name: "Sign in" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("The email or password is wrong.");
    expect(window.location.pathname).toBe("/sign-in");
    expect(screen.getByRole("button", { name: "Sign in" })).toBeEnabled();
  });

  it("tells a new member to confirm their address when the instance requires it", async () => {
    serve((path) =>
      path === "/api/v1/auth/session"
        ? problem(401, "Not signed in.")
        : path === "/api/v1/auth/signup"
          ? Response.json({ email: "ada@example.org" }, { status: 202 })
          : new Response(null, { status: 202 }),
    );
    const person = userEvent.setup();
    render(
      <SessionProvider>
        <AuthPage mode="sign-up" />
      </SessionProvider>,
    );
    await person.type(screen.getByLabelText("Display name"), "Ada");
    await person.type(screen.getByLabelText("Email"), "ada@example.org");
    await person.type(screen.getByLabelText("Password"), "correct horse battery staple");
    await person.click(screen.getByRole("button", { name: "Sign up" }));

    expect(await screen.findByRole("heading", { name: "Check your inbox" })).toBeInTheDocument();
    expect(screen.getByText(/We sent a link to ada@example.org/)).toBeInTheDocument();
    expect(window.location.pathname).toBe("/sign-up");
    expect(getCsrfToken()).toBeNull();
    await person.click(screen.getByRole("button", { name: "Send the link again" }));
    expect(await screen.findByText(/A new link is on its way/)).toBeInTheDocument();
    expect(calls.at(-1)).toEqual({
      method: "POST",
      path: "/api/v1/auth/email-verification",
      body: { email: "ada@example.org" },
    });
  });

  it("offers a new link when sign-in is refused for an unconfirmed address", async () => {
    window.history.replaceState(null, "", "/sign-in");
    serve((path) =>
      path === "/api/v1/auth/session"
        ? problem(401, "Not signed in.")
        : new Response(
            JSON.stringify({ type: "/problems/email-unverified", title: "Email address not verified", status: 403, detail: "follow the link we mailed to your address" }),
            { status: 403, headers: { "content-type": "application/problem+json" } },
          ),
    );
    const person = userEvent.setup();
    render(
      <SessionProvider>
        <AuthPage mode="sign-in" />
      </SessionProvider>,
    );
    expect(screen.queryByRole("button", { name: "Send the link again" })).not.toBeInTheDocument();
    await person.type(screen.getByLabelText("Email"), "ada@example.org");
    await person.type(screen.getByLabelText("Password"), "correct horse battery staple");
    await person.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("follow the link we mailed to your address");
    expect(screen.getByRole("button", { name: "Send the link again" })).toBeInTheDocument();
  });
});
