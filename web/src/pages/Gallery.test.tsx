import { act, render, screen, within } from "@testing-library/react";
import { clearPhotoLists } from "../viewer/photoList";
import { Gallery } from "./Gallery";

/** An IntersectionObserver the test scrolls by hand. */
class FakeObserver {
  static current: FakeObserver | null = null;
  constructor(private readonly callback: IntersectionObserverCallback) {
    FakeObserver.current = this;
  }
  observe() {}
  disconnect() {
    if (FakeObserver.current === this) {
      FakeObserver.current = null;
    }
  }
  scrollIntoView() {
    this.callback([{ isIntersecting: true } as IntersectionObserverEntry], this as unknown as IntersectionObserver);
  }
}

function photo(id: string) {
  return {
    id,
    owner_id: "00000000-0000-0000-0000-000000000001",
    status: "ready",
    media_type: "image/jpeg",
    size_bytes: 1000,
    width: 400,
    height: 300,
    original_name: `${id}.jpg`,
    variants: [],
    created_at: "2026-11-23T10:00:00Z",
    updated_at: "2026-11-23T10:00:00Z",
  };
}

describe("Gallery", () => {
  let requests: URL[];

  beforeEach(() => {
    requests = [];
    clearPhotoLists();
    vi.stubGlobal("IntersectionObserver", FakeObserver);
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  function serve(pages: { items: ReturnType<typeof photo>[]; next_cursor: string | null }[]) {
    vi.stubGlobal("fetch", (request: Request) => {
      requests.push(new URL(request.url));
      const page = pages.shift();
      return Promise.resolve(page ? Response.json(page) : new Response(null, { status: 500 }));
    });
  }

  it("loads the next page with the cursor when the end scrolls into view, then stops", async () => {
    serve([
      { items: [photo("a"), photo("b")], next_cursor: "b" },
      { items: [photo("c")], next_cursor: null },
    ]);
    render(<Gallery />);

    await act(async () => {
      FakeObserver.current?.scrollIntoView();
      await Promise.resolve();
    });
    expect(await screen.findAllByRole("img")).toHaveLength(2);
    expect(screen.getByRole("img", { name: "a.jpg" })).toHaveAttribute("src", "/api/v1/photos/a/thumbnail");
    expect(requests[0]?.pathname).toBe("/api/v1/photos");
    expect(requests[0]?.searchParams.get("cursor")).toBeNull();

    await act(async () => {
      FakeObserver.current?.scrollIntoView();
      await Promise.resolve();
    });
    expect(await screen.findByRole("img", { name: "c.jpg" })).toBeInTheDocument();
    expect(requests[1]?.searchParams.get("cursor")).toBe("b");
    expect(screen.getAllByRole("img")).toHaveLength(3);
    // The last page came: nothing is observed any more.
    expect(FakeObserver.current).toBeNull();
    expect(requests).toHaveLength(2);
  });

  it("links each thumbnail to its viewer, and marks photos still processing", async () => {
    serve([{ items: [photo("a"), { ...photo("b"), status: "processing" }], next_cursor: null }]);
    render(<Gallery />);
    await act(async () => {
      FakeObserver.current?.scrollIntoView();
      await Promise.resolve();
    });
    const grid = await screen.findByRole("list", { name: "Photos" });
    expect(await within(grid).findByRole("link", { name: "a.jpg" })).toHaveAttribute("href", "/photos/a");
    const processing = within(grid).getByRole("link", { name: "b.jpg (still processing)" });
    expect(processing).toHaveAttribute("href", "/photos/b");
    // No thumbnail exists yet: none is asked for.
    expect(requests.map((request) => request.pathname)).toEqual(["/api/v1/photos"]);
    expect(processing.querySelector("img")).toBeNull();
  });

  it("shows a thumbnail by itself once its photo is processed", async () => {
    let lookups = 0;
    vi.stubGlobal("fetch", (request: Request) => {
      const path = new URL(request.url).pathname;
      if (path === "/api/v1/photos") {
        return Promise.resolve(Response.json({ items: [{ ...photo("a"), status: "processing" }], next_cursor: null }));
      }
      lookups += 1;
      return Promise.resolve(Response.json(lookups < 2 ? { ...photo("a"), status: "processing" } : photo("a")));
    });
    render(<Gallery />);
    await act(async () => {
      FakeObserver.current?.scrollIntoView();
      await Promise.resolve();
    });
    expect(await screen.findByText("Processing…")).toBeInTheDocument();
    expect(await screen.findByRole("img", { name: "a.jpg" }, { timeout: 8000 })).toHaveAttribute(
      "src",
      "/api/v1/photos/a/thumbnail",
    );
    expect(lookups).toBe(2);
  }, 10_000);

  it("says so when there are no photos, with a way to upload", async () => {
    serve([{ items: [], next_cursor: null }]);
    render(<Gallery />);
    await act(async () => {
      FakeObserver.current?.scrollIntoView();
      await Promise.resolve();
    });
    expect(await screen.findByText(/No photos yet/)).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Upload your first ones" })).toHaveAttribute("href", "/upload");
  });

  it("shows a problem's detail when the listing fails", async () => {
    vi.stubGlobal("fetch", () =>
      Promise.resolve(
        new Response(JSON.stringify({ title: "Unauthorized", status: 401, detail: "Sign in first." }), {
          status: 401,
          headers: { "content-type": "application/problem+json" },
        }),
      ),
    );
    render(<Gallery />);
    await act(async () => {
      FakeObserver.current?.scrollIntoView();
      await Promise.resolve();
    });
    expect(await screen.findByRole("alert")).toHaveTextContent("Sign in first.");
    expect(screen.getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });
});
