import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { App } from "../App";
import { album, photo, problem, serve, SOMEONE_ELSE, startAt } from "../viewer/testServer";

describe("SharedAlbum", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("shows the album to a visitor without an account, page after page, each photo opening the viewer", async () => {
    startAt("/shared/tok");
    const calls = serve(
      {
        "GET /api/v1/shared/tok": Response.json(album({ photo_count: 3 })),
        "GET /api/v1/shared/tok/photos": [
          Response.json({ items: [photo("p1", { owner_id: SOMEONE_ELSE }), photo("p2", { owner_id: SOMEONE_ELSE })], next_cursor: "p2" }),
          Response.json({ items: [photo("p3", { owner_id: SOMEONE_ELSE, caption: "Sunset" })], next_cursor: null }),
        ],
        "GET /api/v1/shared/tok/photos/p3": Response.json(photo("p3", { owner_id: SOMEONE_ELSE, caption: "Sunset" })),
        "GET /api/v1/shared/tok/photos/p3/original": new Response("x", { status: 206 }),
      },
      { signedIn: false },
    );
    const person = userEvent.setup();
    render(<App />);

    expect(await screen.findByRole("heading", { level: 1, name: "Summer outing" })).toBeInTheDocument();
    expect(screen.getByText("The club's trip to the lake.")).toBeInTheDocument();
    expect(screen.getByText(/3 photos/)).toBeInTheDocument();
    const grid = screen.getByRole("list", { name: "Photos" });
    expect(await within(grid).findByRole("link", { name: "Sunset" })).toHaveAttribute("href", "/shared/tok/photos/p3");
    expect(within(grid).getByRole("img", { name: "p1.jpg" })).toHaveAttribute("src", "/api/v1/shared/tok/photos/p1/thumbnail");
    expect(within(grid).getAllByRole("link")).toHaveLength(3);
    expect(calls.filter((call) => call.url.startsWith("/api/v1/shared/tok/photos?")).map((call) => call.url)).toEqual([
      "/api/v1/shared/tok/photos?limit=60",
      "/api/v1/shared/tok/photos?limit=60&cursor=p2",
    ]);
    // The visitor is offered to sign in, not the members' navigation.
    expect(screen.getByRole("link", { name: "Sign in" })).toBeInTheDocument();
    expect(screen.queryByRole("link", { name: "Upload" })).toBeNull();

    await person.click(within(grid).getByRole("link", { name: "Sunset" }));
    expect(window.location.pathname).toBe("/shared/tok/photos/p3");
    expect(await screen.findByRole("heading", { level: 1, name: "Sunset" })).toBeInTheDocument();
    expect(screen.getByText("Photo 3 of 3")).toBeInTheDocument();
  });

  it("works for a signed-in member too", async () => {
    startAt("/shared/tok");
    serve({
      "GET /api/v1/shared/tok": Response.json(album({ photo_count: 0, description: null })),
      "GET /api/v1/shared/tok/photos": Response.json({ items: [], next_cursor: null }),
    });
    render(<App />);
    expect(await screen.findByRole("heading", { level: 1, name: "Summer outing" })).toBeInTheDocument();
    expect(await screen.findByText(/This album has no photos yet/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Sign out" })).toBeInTheDocument();
  });

  it("says a revoked, expired or unknown link no longer works", async () => {
    startAt("/shared/revoked");
    serve(
      {
        "GET /api/v1/shared/revoked": problem(404, "share-link-invalid", "this link does not exist or no longer works"),
        "GET /api/v1/shared/revoked/photos": problem(404, "share-link-invalid", "this link does not exist or no longer works"),
      },
      { signedIn: false },
    );
    render(<App />);
    expect(await screen.findByRole("heading", { level: 1, name: "This link no longer works" })).toBeInTheDocument();
    expect(screen.getByText(/Ask them for a new link/)).toBeInTheDocument();
  });

  it("offers to try again after another failure", async () => {
    startAt("/shared/tok");
    serve(
      {
        "GET /api/v1/shared/tok": [problem(503, "unavailable", "The server is busy."), Response.json(album())],
        "GET /api/v1/shared/tok/photos": Response.json({ items: [], next_cursor: null }),
      },
      { signedIn: false },
    );
    const person = userEvent.setup();
    render(<App />);
    expect(await screen.findByRole("alert")).toHaveTextContent("The server is busy.");
    await person.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("heading", { level: 1, name: "Summer outing" })).toBeInTheDocument();
  });
});
