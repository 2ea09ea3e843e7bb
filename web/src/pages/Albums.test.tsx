import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { App } from "../App";
import { album, ME, problem, serve, SOMEONE_ELSE, startAt } from "../viewer/testServer";

const mine = album({ id: "a-mine", owner_id: ME, title: "Club picnic", visibility: "private", photo_count: 1, cover_photo_id: "p9" });
const theirs = album({ id: "a-theirs", owner_id: SOMEONE_ELSE, title: "Regatta", visibility: "members", photo_count: 4 });

describe("Albums", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("lists the member's albums apart from other members' shared ones, with covers, and loads more on demand", async () => {
    startAt("/albums");
    const calls = serve({
      "GET /api/v1/albums": (call) => {
        if (call.url.includes("owned=true")) {
          return call.url.includes("cursor=")
            ? Response.json({ items: [album({ id: "a-old", owner_id: ME, title: "Old times", photo_count: 0 })], next_cursor: null })
            : Response.json({ items: [mine], next_cursor: "a-mine" });
        }
        return Response.json({ items: [mine, theirs], next_cursor: null });
      },
    });
    const person = userEvent.setup();
    render(<App />);

    const own = await screen.findByRole("list", { name: "Your albums" });
    const link = within(own).getByRole("link", { name: /Club picnic/ });
    expect(link).toHaveAttribute("href", "/albums/a-mine");
    expect(link).toHaveTextContent("1 photo · Only me");
    expect(link.querySelector("img")).toHaveAttribute("src", "/api/v1/photos/p9/thumbnail");
    const others = await screen.findByRole("list", { name: "Shared by other members" });
    expect(within(others).getAllByRole("link").map((item) => item.getAttribute("href"))).toEqual(["/albums/a-theirs"]);

    await person.click(screen.getByRole("button", { name: "Show more albums" }));
    expect(await within(own).findByRole("link", { name: /Old times/ })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Show more albums" })).toBeNull();
    expect(calls.filter((call) => call.url.startsWith("/api/v1/albums?")).map((call) => call.url)).toContain(
      "/api/v1/albums?limit=50&owned=true&cursor=a-mine",
    );
  });

  it("creates an album and opens it; a refusal is shown and nothing moves", async () => {
    startAt("/albums");
    const created = album({ id: "a-new", owner_id: ME, title: "Lake day", description: null, visibility: "members", photo_count: 0 });
    const calls = serve({
      "GET /api/v1/albums": Response.json({ items: [], next_cursor: null }),
      "POST /api/v1/albums": [problem(422, "validation", "title must not be empty"), Response.json(created, { status: 201 })],
      "GET /api/v1/albums/a-new": Response.json(created),
      "GET /api/v1/albums/a-new/photos": Response.json({ items: [], next_cursor: null }),
    });
    const person = userEvent.setup();
    render(<App />);

    expect(await screen.findByText(/You have no albums yet/)).toBeInTheDocument();
    expect(await screen.findByText(/No other member shares an album/)).toBeInTheDocument();
    await person.click(screen.getByRole("button", { name: "New album" }));
    const title = screen.getByLabelText("Title");
    expect(title).toHaveFocus();
    await person.type(title, "  ");
    await person.click(screen.getByRole("radio", { name: /All members/ }));
    await person.click(screen.getByRole("button", { name: "Create album" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("title must not be empty");
    expect(window.location.pathname).toBe("/albums");

    await person.clear(title);
    await person.type(title, "Lake day");
    await person.click(screen.getByRole("button", { name: "Create album" }));
    expect(await screen.findByRole("heading", { level: 1, name: "Lake day" })).toBeInTheDocument();
    expect(window.location.pathname).toBe("/albums/a-new");
    expect(JSON.parse(calls.filter((call) => call.method === "POST").at(-1)?.body ?? "null")).toEqual({
      title: "Lake day",
      description: null,
      visibility: "members",
    });
    expect(screen.getByText(/This album is empty/)).toBeInTheDocument();
  });

  it("Cancel closes the form and gives focus back to its button", async () => {
    startAt("/albums");
    serve({ "GET /api/v1/albums": Response.json({ items: [], next_cursor: null }) });
    const person = userEvent.setup();
    render(<App />);
    await person.click(await screen.findByRole("button", { name: "New album" }));
    await person.click(screen.getByRole("button", { name: "Cancel" }));
    expect(screen.queryByLabelText("Title")).toBeNull();
    expect(screen.getByRole("button", { name: "New album" })).toHaveFocus();
  });

  it("says when the albums cannot be loaded and tries again", async () => {
    startAt("/albums");
    serve({
      "GET /api/v1/albums": [problem(500, "internal", "The server had a problem (request r1)."), Response.json({ items: [mine], next_cursor: null })],
    });
    const person = userEvent.setup();
    render(<App />);
    const alerts = await screen.findAllByRole("alert");
    expect(alerts[0]).toHaveTextContent("request r1");
    await person.click(screen.getAllByRole("button", { name: "Try again" })[0] as HTMLElement);
    expect(await screen.findByRole("link", { name: /Club picnic/ })).toBeInTheDocument();
  });
});
