// Test helpers: a stubbed fetch that answers by "METHOD /path" and records each call.

export interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

/** A response, or a function of the call that makes one (a promise of one to hold the answer back). */
export type Answer = Response | ((call: Call) => Response | Promise<Response>);

export const admin = {
  id: "00000000-0000-0000-0000-00000000000a",
  email: "admin@example.org",
  display_name: "Admin",
  role: "admin" as const,
  disabled: false,
  email_verified: true,
  created_at: "2026-01-05T10:00:00Z",
  updated_at: "2026-01-05T10:00:00Z",
};

export const member = {
  ...admin,
  id: "00000000-0000-0000-0000-000000000001",
  email: "ada@example.org",
  display_name: "Ada",
  full_name: "Ada Lovelace",
  bio: "Counts things.",
  role: "member" as const,
};

/** A problem document; `slug` is the end of its type, e.g. "wrong-password". */
export function problem(status: number, detail: string, slug = "test"): Response {
  return new Response(JSON.stringify({ type: `/problems/${slug}`, title: "Refused", status, detail }), {
    status,
    headers: { "content-type": "application/problem+json" },
  });
}

export function noContent(): Response {
  return new Response(null, { status: 204 });
}

/**
 * Stubs fetch. `routes` maps "GET /api/v1/me" to an answer; a list of answers
 * is used one per call, the last one repeating. Unknown routes answer 404.
 */
export function serveApi(routes: Record<string, Answer | Answer[]>, signedInAs: object = member): Call[] {
  const calls: Call[] = [];
  const all: Record<string, Answer | Answer[]> = {
    "GET /api/v1/auth/session": Response.json({ user: signedInAs, csrf_token: "csrf-test" }),
    ...routes,
  };
  vi.stubGlobal("fetch", async (request: Request) => {
    const url = new URL(request.url);
    const text = await request.text();
    const call = { method: request.method, path: url.pathname, query: url.searchParams, body: text ? (JSON.parse(text) as unknown) : null };
    calls.push(call);
    const key = `${request.method} ${url.pathname}`;
    const entry = all[key];
    let answer: Answer | undefined;
    if (Array.isArray(entry)) {
      answer = entry.length > 1 ? entry.shift() : entry[0];
    } else {
      answer = entry;
    }
    if (answer === undefined) {
      return problem(404, `No stub for ${key}`);
    }
    // A Response body can be read once; hand out copies so repeated routes work.
    return typeof answer === "function" ? answer(call) : answer.clone();
  });
  return calls;
}
