import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ForgotPassword, ResetPassword } from "./PasswordReset";

function problem(status: number, detail: string) {
  return new Response(JSON.stringify({ title: "Refused", status, detail }), {
    status,
    headers: { "content-type": "application/problem+json" },
  });
}

describe("password reset pages", () => {
  let calls: { method: string; path: string; body: unknown }[];

  beforeEach(() => {
    calls = [];
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  function serve(answer: (path: string) => Response) {
    vi.stubGlobal("fetch", async (request: Request) => {
      const path = new URL(request.url).pathname;
      const text = await request.text();
      calls.push({ method: request.method, path, body: text ? JSON.parse(text) : null });
      return answer(path);
    });
  }

  it("asks for a link and says the same whatever the address", async () => {
    serve(() => new Response(null, { status: 202 }));
    const person = userEvent.setup();
    render(<ForgotPassword />);
    await person.type(screen.getByLabelText("Email"), "ada@example.org");
    await person.click(screen.getByRole("button", { name: "Send the link" }));

    expect(await screen.findByRole("status")).toHaveTextContent("If ada@example.org belongs to an account here");
    expect(calls).toEqual([{ method: "POST", path: "/api/v1/auth/password-reset", body: { email: "ada@example.org" } }]);
  });

  it("shows the limit when too many links were asked for", async () => {
    serve(() => problem(429, "try again in 900 seconds"));
    const person = userEvent.setup();
    render(<ForgotPassword />);
    await person.type(screen.getByLabelText("Email"), "ada@example.org");
    await person.click(screen.getByRole("button", { name: "Send the link" }));

    expect(await screen.findByText(/try again in 900 seconds/)).toBeInTheDocument();
    expect(screen.queryByRole("status")).not.toBeInTheDocument();
  });

  it("sets the new password with the link's token", async () => {
    serve(() => new Response(null, { status: 204 }));
    const person = userEvent.setup();
    render(<ResetPassword token="tok-123" />);
    await person.type(screen.getByLabelText("New password"), "amber-heron-crosses-lake");
    await person.click(screen.getByRole("button", { name: "Change the password" }));

    expect(await screen.findByRole("status")).toHaveTextContent("Your password was changed.");
    expect(calls).toEqual([
      {
        method: "POST",
        path: "/api/v1/auth/password-reset/confirm",
        body: { token: "tok-123", password: "amber-heron-crosses-lake" },
      },
    ]);
  });

  it("explains a used or expired link and offers a new one", async () => {
    serve(() => problem(400, "the link is unknown, used or expired; ask for a new one"));
    const person = userEvent.setup();
    render(<ResetPassword token="tok-123" />);
    await person.type(screen.getByLabelText("New password"), "amber-heron-crosses-lake");
    await person.click(screen.getByRole("button", { name: "Change the password" }));

    expect(await screen.findByText(/used or expired/)).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Ask for a new one" })).toHaveAttribute("href", "/forgot-password");
  });

  it("refuses a link without a token before asking the server", () => {
    serve(() => new Response(null, { status: 500 }));
    render(<ResetPassword token="" />);
    expect(screen.getByRole("alert")).toHaveTextContent("This link has no token");
    expect(calls).toEqual([]);
  });
});
