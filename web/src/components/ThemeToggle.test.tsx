import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ThemeToggle } from "./ThemeToggle";

describe("ThemeToggle", () => {
  afterEach(() => {
    delete document.documentElement.dataset.theme;
  });

  it("follows the system until toggled, then cycles light, dark and back", async () => {
    const user = userEvent.setup();
    render(<ThemeToggle />);
    const button = screen.getByRole("button", { name: "Theme: system" });
    expect(document.documentElement.dataset.theme).toBeUndefined();

    await user.click(button);
    expect(button).toHaveTextContent("Theme: light");
    expect(document.documentElement.dataset.theme).toBe("light");
    expect(localStorage.getItem("shoebox.theme")).toBe("light");

    await user.click(button);
    expect(document.documentElement.dataset.theme).toBe("dark");

    await user.click(button);
    expect(button).toHaveTextContent("Theme: system");
    expect(document.documentElement.dataset.theme).toBeUndefined();
    expect(localStorage.getItem("shoebox.theme")).toBeNull();
  });

  it("starts from the stored choice", () => {
    localStorage.setItem("shoebox.theme", "dark");
    render(<ThemeToggle />);
    expect(screen.getByRole("button", { name: "Theme: dark" })).toBeInTheDocument();
    expect(document.documentElement.dataset.theme).toBe("dark");
  });
});
