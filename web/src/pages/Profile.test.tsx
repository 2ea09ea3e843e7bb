import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { member, problem, serveApi } from "../account/testApi";
import { SessionProvider, useSession } from "../session";
import { Profile } from "./Profile";

function ShownName() {
  const { user } = useSession();
  return <p data-testid="shell-name">{user?.display_name}</p>;
}

function renderPage() {
  render(
    <SessionProvider>
      <ShownName />
      <Profile />
    </SessionProvider>,
  );
}

describe("Profile", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("saves the edited profile and the app's user shows the new name", async () => {
    const calls = serveApi({
      "GET /api/v1/me/storage": Response.json({ used_bytes: 1_200_000_000, quota_bytes: 5_000_000_000 }),
      "PATCH /api/v1/me": ({ body }) => Response.json({ ...member, ...(body as object) }),
    });
    const person = userEvent.setup();
    renderPage();

    const name = await screen.findByLabelText("Display name");
    expect(name).toHaveValue("Ada");
    expect(screen.getByLabelText(/Full name/)).toHaveValue("Ada Lovelace");
    expect(await screen.findByText(/1.2 GB of 5 GB used \(24%\)/)).toBeInTheDocument();

    await person.clear(name);
    await person.type(name, "Countess");
    await person.click(screen.getByRole("button", { name: "Save profile" }));

    expect(await screen.findByRole("status")).toHaveTextContent("Profile saved.");
    expect(calls.find((call) => call.method === "PATCH")?.body).toEqual({
      display_name: "Countess",
      full_name: "Ada Lovelace",
      bio: "Counts things.",
    });
    expect(screen.getByTestId("shell-name")).toHaveTextContent("Countess");
  });

  it("shows the server's reason when the profile is refused, and storage without a quota", async () => {
    serveApi({
      "GET /api/v1/me/storage": Response.json({ used_bytes: 3_400_000 }),
      "PATCH /api/v1/me": problem(422, "display name must not be empty"),
    });
    const person = userEvent.setup();
    renderPage();

    expect(await screen.findByText(/Your photos use 3.4 MB. There is no storage limit/)).toBeInTheDocument();
    await person.click(screen.getByRole("button", { name: "Save profile" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("display name must not be empty");
    expect(screen.getByRole("status")).toHaveTextContent("");
    expect(screen.getByRole("button", { name: "Save profile" })).toBeEnabled();
  });

  it("says when the storage use cannot be read", async () => {
    serveApi({ "GET /api/v1/me/storage": problem(500, "The server had a problem (request abc).") });
    renderPage();
    expect(await screen.findByRole("alert")).toHaveTextContent("request abc");
  });
});
