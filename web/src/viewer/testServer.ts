// Test helpers for the viewer's pages: a fetch that answers by route, and
// photos and albums shaped as the API sends them.
import { setCsrfToken } from "../api/client";
import { clearPhotoLists } from "./photoList";

export const ME = "00000000-0000-0000-0000-000000000001";
export const SOMEONE_ELSE = "00000000-0000-0000-0000-000000000002";

export function photo(id: string, change: Record<string, unknown> = {}) {
  return {
    id,
    owner_id: ME,
    status: "ready",
    media_type: "image/jpeg",
    size_bytes: 2_500_000,
    width: 1600,
    height: 1200,
    original_name: `${id}.jpg`,
    variants: [],
    created_at: "2026-11-23T10:00:00Z",
    updated_at: "2026-11-23T10:00:00Z",
    ...change,
  };
}

export function album(change: Record<string, unknown> = {}) {
  return {
    id: "10000000-0000-0000-0000-000000000001",
    owner_id: SOMEONE_ELSE,
    title: "Summer outing",
    description: "The club's trip to the lake.",
    photo_count: 2,
    visibility: "link",
    created_at: "2026-11-23T10:00:00Z",
    updated_at: "2026-11-23T10:00:00Z",
    ...change,
  };
}

export const SESSION = {
  csrf_token: "csrf",
  user: {
    id: ME,
    email: "ada@example.org",
    display_name: "Ada",
    role: "member",
    disabled: false,
    email_verified: true,
    created_at: "2026-11-23T10:00:00Z",
    updated_at: "2026-11-23T10:00:00Z",
  },
};

export function problem(status: number, type: string, detail: string) {
  return new Response(JSON.stringify({ type: `/problems/${type}`, title: "Refused", status, detail }), {
    status,
    headers: { "content-type": "application/problem+json" },
  });
}

export interface Call {
  method: string;
  /** Path and query, e.g. `/api/v1/photos?limit=60`. */
  url: string;
  headers: Headers;
  body: string;
}

type Answer = Response | ((call: Call) => Response | undefined);

/**
 * Stubs fetch: each call takes the first answer registered for its method
 * and path (query left out), or else 404. A list of answers is used up in order.
 */
export function serve(routes: Record<string, Answer | Answer[]>, options: { signedIn?: boolean } = {}): Call[] {
  const calls: Call[] = [];
  const signedIn = options.signedIn ?? true;
  vi.stubGlobal("fetch", async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(new URL(String(input), window.location.origin), init);
    const url = new URL(request.url);
    const call = { method: request.method, url: url.pathname + url.search, headers: request.headers, body: await request.text() };
    calls.push(call);
    const key = `${call.method} ${url.pathname}`;
    if (key === "GET /api/v1/auth/session" && !(key in routes)) {
      return signedIn ? Response.json(SESSION) : problem(401, "unauthenticated", "Sign in first.");
    }
    const route = routes[key];
    const answer = Array.isArray(route) ? (route.length > 1 ? route.shift() : route[0]) : route;
    const response = typeof answer === "function" ? answer(call) : answer?.clone();
    return response ?? problem(404, "not-found", `No ${key} in this test.`);
  });
  return calls;
}

/** An IntersectionObserver that sees its target at once, as a short page would. */
export class SeenObserver {
  constructor(private readonly callback: IntersectionObserverCallback) {}
  observe() {
    queueMicrotask(() => {
      this.callback([{ isIntersecting: true } as IntersectionObserverEntry], this as unknown as IntersectionObserver);
    });
  }
  disconnect() {}
}

/** Before each test: a blank slate at `path`. */
export function startAt(path: string) {
  clearPhotoLists();
  setCsrfToken(null);
  window.history.replaceState(null, "", path);
  vi.stubGlobal("IntersectionObserver", SeenObserver);
}
