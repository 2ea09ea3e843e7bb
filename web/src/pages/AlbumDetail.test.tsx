import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { App } from "../App";
import { album, ME, photo, problem, serve, startAt, type Call } from "../viewer/testServer";

const ID = "10000000-0000-0000-0000-000000000001";
const PATH = `/api/v1/albums/${ID}`;
const owned = (change: Record<string, unknown> = {}) => album({ owner_id: ME, visibility: "private", photo_count: 3, ...change });
const photos = [photo("p1", { caption: "One" }), photo("p2", { caption: "Two" }), photo("p3", { caption: "Three" })];

function bodies(calls: Call[], method: string, url: string): unknown[] {
  return calls.filter((call) => call.method === method && call.url === url).map((call) => JSON.parse(call.body) as unknown);
}

describe("AlbumDetail", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("shows another member's album without the owner's tools", async () => {
    startAt(`/albums/${ID}`);
    serve({
      [`GET ${PATH}`]: Response.json(album({ visibility: "members" })),
      [`GET ${PATH}/photos`]: Response.json({ items: photos.slice(0, 2), next_cursor: null }),
    });
    render(<App />);
    expect(await screen.findByRole("heading", { level: 1, name: "Summer outing" })).toBeInTheDocument();
    expect(screen.getByText(/Shared by another member/)).toBeInTheDocument();
    const grid = screen.getByRole("list", { name: "Photos" });
    expect(await within(grid).findByRole("link", { name: "Two" })).toHaveAttribute("href", `/albums/${ID}/photos/p2`);
    expect(screen.queryByRole("button", { name: "Add photos" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Share" })).toBeNull();
  });

  it("says when an album is not there or not shared", async () => {
    startAt(`/albums/${ID}`);
    serve({ [`GET ${PATH}`]: problem(404, "not-found", "No such album.") });
    render(<App />);
    expect(await screen.findByRole("heading", { level: 1, name: "Album not found" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "See your albums" })).toHaveAttribute("href", "/albums");
  });

  it("adds chosen photos of the gallery, leaving out those already in", async () => {
    startAt(`/albums/${ID}`);
    const calls = serve({
      [`GET ${PATH}`]: [Response.json(owned({ photo_count: 1 })), Response.json(owned({ photo_count: 3 }))],
      [`GET ${PATH}/photos`]: [Response.json({ items: [photos[0]], next_cursor: null }), Response.json({ items: photos, next_cursor: null })],
      "GET /api/v1/photos": Response.json({ items: photos, next_cursor: null }),
      [`POST ${PATH}/photos`]: Response.json(owned({ photo_count: 3 })),
    });
    const person = userEvent.setup();
    render(<App />);

    expect(await screen.findByRole("link", { name: "One" })).toBeInTheDocument();
    await person.click(screen.getByRole("button", { name: "Add photos" }));
    const picker = await screen.findByRole("list", { name: "Your photos" });
    expect(within(picker).getAllByRole("checkbox")).toHaveLength(2);
    expect(screen.getByRole("button", { name: "Add 0 photos" })).toBeDisabled();
    await person.click(within(picker).getByRole("checkbox", { name: "Three" }));
    await person.click(within(picker).getByRole("checkbox", { name: "Two" }));
    await person.click(screen.getByRole("button", { name: "Add 2 photos" }));

    expect(await screen.findByText("Added 2 photos.")).toBeInTheDocument();
    expect(bodies(calls, "POST", `${PATH}/photos`)).toEqual([{ photo_ids: ["p2", "p3"] }]);
    expect(await screen.findByRole("link", { name: "Three" })).toBeInTheDocument();
    expect(await screen.findByText(/^3 photos/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Add photos" })).toHaveFocus();
  });

  it("moves photos, makes a cover and removes a photo, saving each at once; a refused move is undone", async () => {
    startAt(`/albums/${ID}`);
    const calls = serve({
      [`GET ${PATH}`]: Response.json(owned({ cover_photo_id: "p1" })),
      [`GET ${PATH}/photos`]: Response.json({ items: photos, next_cursor: null }),
      [`PUT ${PATH}/order`]: [Response.json(owned({ cover_photo_id: "p1" })), problem(409, "conflict", "The album changed meanwhile.")],
      [`PATCH ${PATH}`]: Response.json(owned({ cover_photo_id: "p3" })),
      [`DELETE ${PATH}/photos`]: Response.json(owned({ photo_count: 2, cover_photo_id: "p3" })),
    });
    const person = userEvent.setup();
    render(<App />);

    await person.click(await screen.findByRole("button", { name: "Organise" }));
    const list = await screen.findByRole("list", { name: "Photos in album order" });
    const names = () => within(list).getAllByRole("listitem").map((item) => item.querySelector(".organise-name")?.textContent);
    expect(names()).toEqual(["1. OneCover", "2. Two", "3. Three"]);

    await person.click(within(list).getByRole("button", { name: "Move earlier: Three" }));
    expect(await screen.findByText("Three is now number 2 of 3.")).toBeInTheDocument();
    expect(names()).toEqual(["1. OneCover", "2. Three", "3. Two"]);
    expect(bodies(calls, "PUT", `${PATH}/order`)).toEqual([{ photo_ids: ["p1", "p3", "p2"] }]);
    expect(within(list).getByRole("button", { name: "Move earlier: Three" })).toHaveFocus();

    await person.click(within(list).getByRole("button", { name: "Move later: One" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("The album changed meanwhile.");
    expect(names()).toEqual(["1. OneCover", "2. Three", "3. Two"]);
    // The first photo cannot move earlier: no request.
    await person.click(within(list).getByRole("button", { name: "Move earlier: One" }));
    expect(bodies(calls, "PUT", `${PATH}/order`)).toHaveLength(2);

    await person.click(within(list).getByRole("button", { name: "Make cover: Three" }));
    expect(await screen.findByText("Three is the album's cover.")).toBeInTheDocument();
    expect(bodies(calls, "PATCH", PATH)).toEqual([{ cover_photo_id: "p3" }]);
    expect(names()).toEqual(["1. One", "2. ThreeCover", "3. Two"]);

    await person.click(within(list).getByRole("button", { name: "Remove from album: Two" }));
    await person.click(screen.getByRole("button", { name: "Yes, remove" }));
    expect(await screen.findByText(/Two is out of the album/)).toBeInTheDocument();
    expect(bodies(calls, "DELETE", `${PATH}/photos`)).toEqual([{ photo_ids: ["p2"] }]);
    expect(names()).toEqual(["1. One", "2. ThreeCover"]);

    await person.click(screen.getByRole("button", { name: "Done organising" }));
    expect(screen.getByRole("button", { name: "Organise" })).toHaveFocus();
    expect(await screen.findByRole("list", { name: "Photos" })).toBeInTheDocument();
  });

  it("allows link sharing, creates a link shown once, and revokes it", async () => {
    startAt(`/albums/${ID}`);
    const link = { id: "l1", album_id: ID, created_at: "2026-11-23T10:00:00Z" };
    const calls = serve({
      [`GET ${PATH}`]: Response.json(owned()),
      [`GET ${PATH}/photos`]: Response.json({ items: photos, next_cursor: null }),
      [`PATCH ${PATH}`]: Response.json(owned({ visibility: "link" })),
      [`GET ${PATH}/links`]: [
        Response.json([]),
        Response.json([link]),
        Response.json([{ ...link, revoked_at: "2026-11-23T11:00:00Z" }]),
      ],
      [`POST ${PATH}/links`]: Response.json(
        { link, token: "sbx_share_abc", url: "http://localhost:8080/shared/sbx_share_abc" },
        { status: 201 },
      ),
      [`DELETE ${PATH}/links/l1`]: new Response(null, { status: 204 }),
    });
    const person = userEvent.setup();
    render(<App />);

    await person.click(await screen.findByRole("button", { name: "Share" }));
    expect(await screen.findByText("No share links yet.")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Create share link" })).toBeNull();
    await person.click(screen.getByRole("button", { name: "Allow sharing by link" }));
    expect(bodies(calls, "PATCH", PATH)).toEqual([{ visibility: "link" }]);
    expect(await screen.findByText(/Visible to: anyone with a link/)).toBeInTheDocument();

    await person.click(screen.getByRole("button", { name: "Create share link" }));
    expect(await screen.findByLabelText("Share link")).toHaveValue("http://localhost:8080/shared/sbx_share_abc");
    expect(bodies(calls, "POST", `${PATH}/links`)).toEqual([{ expires_at: null }]);
    const links = await screen.findByRole("list", { name: "Share links" });
    expect(within(links).getByText("Works")).toBeInTheDocument();
    await person.click(screen.getByRole("button", { name: "I have saved it" }));
    expect(screen.queryByLabelText("Share link")).toBeNull();

    await person.click(within(links).getByRole("button", { name: "Revoke link 1" }));
    await person.click(screen.getByRole("button", { name: "Yes, revoke" }));
    expect(await screen.findByText("The link is revoked.")).toBeInTheDocument();
    expect(await within(links).findByText("Revoked", { selector: ".badge" })).toBeInTheDocument();
    expect(within(links).queryByRole("button", { name: /Revoke/ })).toBeNull();
  });

  it("sends the chosen expiry as the end of that day", async () => {
    startAt(`/albums/${ID}`);
    const calls = serve({
      [`GET ${PATH}`]: Response.json(owned({ visibility: "link" })),
      [`GET ${PATH}/photos`]: Response.json({ items: [], next_cursor: null }),
      [`GET ${PATH}/links`]: Response.json([]),
      [`POST ${PATH}/links`]: problem(422, "validation", "The expiry is in the past."),
    });
    const person = userEvent.setup();
    render(<App />);
    await person.click(await screen.findByRole("button", { name: "Share" }));
    await person.type(await screen.findByLabelText(/Expires on/), "2031-02-03");
    await person.click(screen.getByRole("button", { name: "Create share link" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("The expiry is in the past.");
    const sent = bodies(calls, "POST", `${PATH}/links`)[0] as { expires_at: string };
    expect(new Date(sent.expires_at).getTime()).toBe(new Date(2031, 1, 3, 23, 59, 59).getTime());
    expect(screen.queryByLabelText("Share link")).toBeNull();
  });

  it("edits the details, and deletes the album after asking", async () => {
    startAt(`/albums/${ID}`);
    const calls = serve({
      [`GET ${PATH}`]: Response.json(owned()),
      [`GET ${PATH}/photos`]: Response.json({ items: [], next_cursor: null }),
      [`PATCH ${PATH}`]: Response.json(owned({ title: "Lake trip", description: null, visibility: "members" })),
      [`DELETE ${PATH}`]: new Response(null, { status: 204 }),
      "GET /api/v1/albums": Response.json({ items: [], next_cursor: null }),
    });
    const person = userEvent.setup();
    render(<App />);

    await person.click(await screen.findByRole("button", { name: "Edit details" }));
    const title = screen.getByLabelText("Title");
    expect(title).toHaveValue("Summer outing");
    await person.clear(title);
    await person.type(title, "Lake trip");
    await person.clear(screen.getByLabelText(/Description/));
    await person.click(screen.getByRole("radio", { name: /All members/ }));
    await person.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByRole("heading", { level: 1, name: "Lake trip" })).toBeInTheDocument();
    expect(screen.getByText("Album saved.")).toBeInTheDocument();
    expect(bodies(calls, "PATCH", PATH)).toEqual([{ title: "Lake trip", description: null, visibility: "members" }]);

    await person.click(screen.getByRole("button", { name: "Edit details" }));
    await person.click(screen.getByRole("button", { name: "Delete album" }));
    await person.click(screen.getByRole("button", { name: "Yes, delete it" }));
    expect(await screen.findByRole("heading", { level: 1, name: "Albums" })).toBeInTheDocument();
    expect(window.location.pathname).toBe("/albums");
    expect(calls.some((call) => call.method === "DELETE" && call.url === PATH)).toBe(true);
  });
});
