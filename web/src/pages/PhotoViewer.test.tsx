import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { App } from "../App";
import { album, photo, problem, serve, SOMEONE_ELSE, startAt } from "../viewer/testServer";


describe("PhotoViewer", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("steps with ← and → across a page boundary, and Esc goes back to the grid at that photo", async () => {
    startAt("/photos/b");
    const calls = serve({
      "GET /api/v1/photos": [
        Response.json({ items: [photo("a"), photo("b")], next_cursor: "b" }),
        Response.json({ items: [photo("c")], next_cursor: null }),
      ],
      "GET /api/v1/photos/b": Response.json(photo("b")),
      "GET /api/v1/photos/c": Response.json(photo("c")),
      "GET /api/v1/photos/a": Response.json(photo("a", { caption: "The first one" })),
    });
    const person = userEvent.setup();
    render(<App />);

    expect(await screen.findByRole("heading", { level: 1, name: "b.jpg" })).toBeInTheDocument();
    expect(screen.getByRole("img", { name: "b.jpg" })).toHaveAttribute("src", "/api/v1/photos/b/preview");
    // b is the last photo of the first page: the next page comes without asking.
    expect(await screen.findByText("Photo 2 of 3")).toBeInTheDocument();
    expect(calls.filter((call) => call.url.startsWith("/api/v1/photos?")).map((call) => call.url)).toEqual([
      "/api/v1/photos?limit=60",
      "/api/v1/photos?limit=60&cursor=b",
    ]);

    await person.keyboard("{ArrowRight}");
    expect(window.location.pathname).toBe("/photos/c");
    expect(await screen.findByText("Photo 3 of 3")).toBeInTheDocument();
    expect(await screen.findByRole("img", { name: "c.jpg" })).toHaveAttribute("src", "/api/v1/photos/c/preview");

    // There is nothing after the last photo.
    await person.keyboard("{ArrowRight}");
    expect(window.location.pathname).toBe("/photos/c");
    expect(screen.getByText("Next →")).toHaveAttribute("aria-disabled", "true");

    await person.keyboard("{ArrowLeft}{ArrowLeft}");
    expect(window.location.pathname).toBe("/photos/a");
    expect(await screen.findByRole("heading", { level: 1, name: "The first one" })).toBeInTheDocument();
    expect(screen.getByText("Photo 1 of 3")).toBeInTheDocument();

    await person.keyboard("{Escape}");
    expect(window.location.pathname).toBe("/");
    expect(await screen.findByRole("heading", { level: 1, name: "Photos" })).toBeInTheDocument();
    // The grid kept its pages and puts the keyboard on the photo just seen.
    expect(screen.getAllByRole("link", { name: /\.jpg|The first one/ })).toHaveLength(3);
    await waitFor(() => {
      expect(screen.getByRole("link", { name: "The first one" })).toHaveFocus();
    });
  });

  it("has visible previous and next links, and keeps focus on the one used", async () => {
    startAt("/photos/a");
    serve({
      "GET /api/v1/photos": Response.json({ items: [photo("a"), photo("b"), photo("c")], next_cursor: null }),
      "GET /api/v1/photos/a": Response.json(photo("a")),
      "GET /api/v1/photos/b": Response.json(photo("b")),
    });
    const person = userEvent.setup();
    render(<App />);
    const next = await screen.findByRole("link", { name: "Next →" });
    expect(next).toHaveAttribute("href", "/photos/b");
    await person.click(next);
    expect(window.location.pathname).toBe("/photos/b");
    await waitFor(() => {
      expect(screen.getByRole("link", { name: "Next →" })).toHaveFocus();
    });
    expect(screen.getByRole("link", { name: "← Previous" })).toHaveAttribute("href", "/photos/a");
    expect(screen.getByRole("link", { name: "← Back to photos" })).toHaveAttribute("href", "/");
  });

  it("offers the original to its owner and shows the details", async () => {
    startAt("/photos/a");
    serve({
      "GET /api/v1/photos": Response.json({ items: [photo("a")], next_cursor: null }),
      "GET /api/v1/photos/a": Response.json(
        photo("a", { camera: "Fujifilm X100V", taken_at: "2026-07-14T16:30:00", location: { latitude: 46.5, longitude: 6.6 } }),
      ),
    });
    render(<App />);
    const link = await screen.findByRole("link", { name: "Download original" });
    expect(link).toHaveAttribute("href", "/api/v1/photos/a/original?download=true");
    const details = screen.getByRole("complementary", { name: "Details" });
    expect(within(details).getByText("Fujifilm X100V")).toBeInTheDocument();
    expect(within(details).getByText("1600 × 1200 pixels")).toBeInTheDocument();
    expect(within(details).getByText("2.4 MB (image/jpeg)")).toBeInTheDocument();
    expect(within(details).getByText(/46\.50000° N, 6\.60000° E/)).toBeInTheDocument();
    expect(within(details).getByText(/July 14, 2026.*4:30/)).toBeInTheDocument();
    expect(screen.getByText("Photo 1 of 1")).toBeInTheDocument();
  });

  it("says plainly when the original is withheld from someone else, and offers the preview", async () => {
    startAt("/albums/al/photos/a");
    const calls = serve({
      "GET /api/v1/albums/al/photos": Response.json({ items: [photo("a", { owner_id: SOMEONE_ELSE })], next_cursor: null }),
      "GET /api/v1/photos/a": Response.json(photo("a", { owner_id: SOMEONE_ELSE })),
      "GET /api/v1/photos/a/original": problem(
        403,
        "original-withheld",
        "the original file holds location data that only its owner may see; use the preview",
      ),
    });
    render(<App />);
    expect((await screen.findByText("Original withheld:")).parentElement).toHaveTextContent(
      "Original withheld: the original file holds location data that only its owner may see; use the preview.",
    );
    expect(screen.getByRole("link", { name: "Download the preview" })).toHaveAttribute(
      "href",
      "/api/v1/photos/a/preview?download=true",
    );
    expect(screen.queryByRole("link", { name: "Download original" })).toBeNull();
    expect(calls.find((call) => call.url === "/api/v1/photos/a/original")?.headers.get("range")).toBe("bytes=0-0");
    // Not the owner: nothing to edit or delete.
    expect(screen.queryByRole("button", { name: /caption/ })).toBeNull();
    expect(screen.queryByRole("button", { name: "Delete photo" })).toBeNull();
    expect(screen.getByRole("link", { name: "← Back to the album" })).toHaveAttribute("href", "/albums/al");
  });

  it("edits the caption, and shows why a save failed", async () => {
    startAt("/photos/a");
    const calls = serve({
      "GET /api/v1/photos": Response.json({ items: [photo("a")], next_cursor: null }),
      "GET /api/v1/photos/a": Response.json(photo("a")),
      "PATCH /api/v1/photos/a": [
        problem(422, "invalid", "caption: too long"),
        Response.json(photo("a", { caption: "By the lake" })),
      ],
    });
    const person = userEvent.setup();
    render(<App />);
    await person.click(await screen.findByRole("button", { name: "Add a caption" }));
    const field = screen.getByRole("textbox", { name: "Caption" });
    expect(field).toHaveFocus();
    await person.type(field, "By the lake");
    await person.click(screen.getByRole("button", { name: "Save caption" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("caption: too long");

    await person.click(screen.getByRole("button", { name: "Save caption" }));
    expect(await screen.findByRole("heading", { level: 1, name: "By the lake" })).toBeInTheDocument();
    expect(screen.getByRole("status")).toHaveTextContent("Caption saved.");
    expect(screen.getByRole("button", { name: "Edit caption" })).toHaveFocus();
    const patches = calls.filter((call) => call.method === "PATCH");
    expect(JSON.parse(patches[1]?.body ?? "null")).toEqual({ caption: "By the lake" });
    expect(patches[1]?.headers.get("x-csrf-token")).toBe("csrf");
  });

  it("deletes after confirmation, then shows the next photo", async () => {
    startAt("/photos/a");
    const calls = serve({
      "GET /api/v1/photos": Response.json({ items: [photo("a"), photo("b")], next_cursor: null }),
      "GET /api/v1/photos/a": Response.json(photo("a")),
      "GET /api/v1/photos/b": Response.json(photo("b")),
      "DELETE /api/v1/photos/a": new Response(null, { status: 204 }),
    });
    const person = userEvent.setup();
    render(<App />);
    await person.click(await screen.findByRole("button", { name: "Delete photo" }));
    const dialog = screen.getByRole("dialog", { name: "Delete this photo?" });
    // A stray Enter keeps the photo.
    expect(within(dialog).getByRole("button", { name: "Cancel" })).toHaveFocus();
    // Cancel first: nothing happens.
    await person.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(calls.some((call) => call.method === "DELETE")).toBe(false);

    await person.click(screen.getByRole("button", { name: "Delete photo" }));
    await person.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Delete" }));
    await waitFor(() => {
      expect(window.location.pathname).toBe("/photos/b");
    });
    expect(calls.filter((call) => call.method === "DELETE").map((call) => call.url)).toEqual(["/api/v1/photos/a"]);
    expect(await screen.findByText("Photo 1 of 1")).toBeInTheDocument();
  });

  it("tells that a photo is still processing, and shows it once ready", async () => {
    startAt("/photos/a");
    serve({
      "GET /api/v1/photos": Response.json({ items: [photo("a", { status: "processing" })], next_cursor: null }),
      "GET /api/v1/photos/a": [Response.json(photo("a", { status: "processing" })), Response.json(photo("a"))],
    });
    render(<App />);
    expect(await screen.findByText("Still processing this photo.")).toBeInTheDocument();
    expect(await screen.findByRole("img", { name: "a.jpg" }, { timeout: 5000 })).toHaveAttribute(
      "src",
      "/api/v1/photos/a/preview",
    );
  });

  it("shows a missing photo as such", async () => {
    startAt("/photos/gone");
    serve({ "GET /api/v1/photos": Response.json({ items: [], next_cursor: null }) });
    render(<App />);
    expect(await screen.findByRole("heading", { level: 1, name: "Photo not found" })).toBeInTheDocument();
  });

  it("shows a shared photo without an account, with the shared URLs", async () => {
    startAt("/shared/tok/photos/p");
    serve(
      {
        "GET /api/v1/shared/tok/photos": Response.json({ items: [photo("p", { owner_id: SOMEONE_ELSE })], next_cursor: null }),
        "GET /api/v1/shared/tok/photos/p": Response.json(photo("p", { owner_id: SOMEONE_ELSE })),
        "GET /api/v1/shared/tok/photos/p/original": new Response("x", { status: 206 }),
        "GET /api/v1/shared/tok": Response.json(album()),
      },
      { signedIn: false },
    );
    render(<App />);
    expect(await screen.findByRole("img", { name: "p.jpg" })).toHaveAttribute("src", "/api/v1/shared/tok/photos/p/preview");
    expect(screen.getByRole("link", { name: "Download original" })).toHaveAttribute(
      "href",
      "/api/v1/shared/tok/photos/p/original?download=true",
    );
    expect(screen.getByRole("link", { name: "← Back to the album" })).toHaveAttribute("href", "/shared/tok");
    expect(screen.getByRole("link", { name: "Sign in" })).toBeInTheDocument();
  });

  it("shows a dead share link kindly", async () => {
    startAt("/shared/dead/photos/p");
    serve(
      {
        "GET /api/v1/shared/dead/photos/p": problem(404, "share-link-invalid", "this link does not exist or no longer works"),
        "GET /api/v1/shared/dead/photos": problem(404, "share-link-invalid", "this link does not exist or no longer works"),
      },
      { signedIn: false },
    );
    render(<App />);
    expect(await screen.findByRole("heading", { level: 1, name: "This link no longer works" })).toBeInTheDocument();
  });
});
