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
});
