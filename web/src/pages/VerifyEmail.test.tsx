import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { StrictMode } from "react";
import { member, problem, serveApi } from "../account/testApi";
import { VerifyEmailBanner } from "../account/VerifyEmailBanner";
import { EmailForm } from "../account/EmailForm";
import { SessionProvider } from "../session";
import { VerifyEmail } from "./VerifyEmail";

const unverified = { ...member, email_verified: false };

function inSession(children: React.ReactNode) {
  return (
    <StrictMode>
      <SessionProvider>{children}</SessionProvider>
    </StrictMode>
  );
}

describe("email confirmation", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("confirms the link's token once and hides the banner", async () => {
    const calls = serveApi(
      { "POST /api/v1/auth/email-verification/confirm": Response.json({ email: "ada@example.org" }) },
      unverified,
    );
    render(
      inSession(
        <>
          <VerifyEmailBanner />
          <VerifyEmail token="tok-1" />
        </>,
      ),
    );
    expect(await screen.findByText("ada@example.org is confirmed.")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Continue to your photos" })).toHaveAttribute("href", "/");
    await waitFor(() => {
      expect(screen.queryByRole("region", { name: "Confirm your email address" })).not.toBeInTheDocument();
    });
    // Once, even under StrictMode's double effects: a link works once.
    const confirms = calls.filter((call) => call.path === "/api/v1/auth/email-verification/confirm");
    expect(confirms).toHaveLength(1);
    expect(confirms[0]?.body).toEqual({ token: "tok-1" });
  });

  it("explains a used or expired link", async () => {
    serveApi({
      "POST /api/v1/auth/email-verification/confirm": problem(400, "the link is unknown, used or expired; ask for a new one"),
    });
    render(inSession(<VerifyEmail token="tok-2" />));
    expect(await screen.findByText(/used or expired/)).toBeInTheDocument();
    expect(screen.queryByText(/is confirmed/)).not.toBeInTheDocument();
  });

  it("asks an unverified member to confirm, and sends a new link", async () => {
    const calls = serveApi({ "POST /api/v1/auth/email-verification": new Response(null, { status: 202 }) }, unverified);
    const person = userEvent.setup();
    render(inSession(<VerifyEmailBanner />));
    const banner = await screen.findByRole("region", { name: "Confirm your email address" });
    expect(banner).toHaveTextContent("We sent a link to ada@example.org");
    await person.click(screen.getByRole("button", { name: "Send the link again" }));
    expect(await screen.findByText(/A new link is on its way to ada@example.org/)).toBeInTheDocument();
    expect(calls.find((call) => call.path === "/api/v1/auth/email-verification")?.body).toEqual({ email: "ada@example.org" });
  });

  it("shows no banner to a confirmed member", async () => {
    serveApi({});
    render(inSession(<VerifyEmailBanner />));
    // The session loads, and still no banner.
    await waitFor(() => {
      expect(screen.queryByRole("region")).not.toBeInTheDocument();
    });
  });

  it("changes the address only through a link mailed to the new one", async () => {
    const calls = serveApi({ "POST /api/v1/me/email": new Response(null, { status: 202 }) });
    const person = userEvent.setup();
    render(inSession(<EmailForm />));
    expect(await screen.findByText("ada@example.org")).toBeInTheDocument();
    await person.type(screen.getByLabelText("New email address"), "ada@new.example");
    await person.type(screen.getByLabelText("Current password"), "my-current-password");
    await person.click(screen.getByRole("button", { name: "Change email address" }));
    expect(await screen.findByText(/We sent a link to ada@new.example/)).toBeInTheDocument();
    expect(calls.find((call) => call.path === "/api/v1/me/email")?.body).toEqual({
      email: "ada@new.example",
      password: "my-current-password",
    });
  });

  it("says when the password is wrong and sends nothing else", async () => {
    serveApi({ "POST /api/v1/me/email": problem(403, "Current password is incorrect", "wrong-current-password") });
    const person = userEvent.setup();
    render(inSession(<EmailForm />));
    await person.type(await screen.findByLabelText("New email address"), "ada@new.example");
    await person.type(screen.getByLabelText("Current password"), "wrong");
    await person.click(screen.getByRole("button", { name: "Change email address" }));
    expect(await screen.findByText(/Current password is incorrect/)).toBeInTheDocument();
    expect(screen.queryByText(/We sent a link/)).not.toBeInTheDocument();
  });
});
