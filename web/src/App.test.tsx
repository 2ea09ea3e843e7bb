import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { App } from "./App";

describe("App", () => {
  beforeEach(() => {
    window.history.replaceState(null, "", "/");
    vi.stubGlobal("fetch", () =>
      Promise.resolve(
        new Response(JSON.stringify({ title: "Unauthorized", status: 401 }), {
          status: 401,
          headers: { "content-type": "application/problem+json" },
        }),
      ),
    );
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("asks a visitor to sign in, and navigates in place with focus on the new page", async () => {
    const person = userEvent.setup();
    render(<App />);
    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeInTheDocument();

    const nav = screen.getByRole("navigation", { name: "Main" });
    await person.click(screen.getAllByRole("link", { name: "Sign up" }).find((link) => nav.contains(link)) as HTMLElement);

    expect(window.location.pathname).toBe("/sign-up");
    expect(screen.getByRole("heading", { name: "Create your account" })).toBeInTheDocument();
    expect(screen.getByRole("main")).toHaveFocus();
  });

  it("folds the navigation behind a menu button that closes after navigating", async () => {
    const person = userEvent.setup();
    render(<App />);
    await screen.findByRole("heading", { name: "Sign in" });
    const menu = screen.getByRole("button", { name: "Menu" });
    expect(menu).toHaveAttribute("aria-expanded", "false");
    expect(menu).toHaveAttribute("aria-controls", "main-nav");

    await person.click(menu);
    expect(menu).toHaveAttribute("aria-expanded", "true");
    const nav = screen.getByRole("navigation", { name: "Main" });
    expect(nav).toHaveClass("open");

    await person.click(screen.getAllByRole("link", { name: "Sign up" }).find((link) => nav.contains(link)) as HTMLElement);
    expect(menu).toHaveAttribute("aria-expanded", "false");
    expect(nav).not.toHaveClass("open");
  });
});
