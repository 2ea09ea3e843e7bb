import createClient, { type Middleware } from "openapi-fetch";
import type { paths } from "./schema";
import { ApiError, toProblem } from "./problem";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

let csrfToken: string | null = null;

/** Remembers the token that sign-in, sign-up or the session lookup returned. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function getCsrfToken(): string | null {
  return csrfToken;
}

/** Headers an unsafe request needs beside its cookie (SPEC §9.1). */
export function csrfHeaders(method: string): Record<string, string> {
  return !SAFE_METHODS.has(method.toUpperCase()) && csrfToken !== null
    ? { "X-CSRF-Token": csrfToken }
    : {};
}

const csrf: Middleware = {
  onRequest({ request }) {
    for (const [name, value] of Object.entries(csrfHeaders(request.method))) {
      request.headers.set(name, value);
    }
    return request;
  },
};

// Errors become exceptions so that a caller handles one shape: either the
// typed data, or an ApiError carrying the problem document.
const problems: Middleware = {
  async onResponse({ response }) {
    if (response.ok) {
      return response;
    }
    const type = response.headers.get("content-type") ?? "";
    const body: unknown = type.includes("json")
      ? await response.json().catch(() => null)
      : await response.text().catch(() => "");
    throw new ApiError(response.status, toProblem(response.status, body));
  },
};

/** The typed client of the Shoebox API; same origin, cookies included. */
export function createApi(baseUrl = window.location.origin, fetchImpl?: typeof fetch) {
  const client = createClient<paths>({
    baseUrl,
    credentials: "same-origin",
    // Looked up on every call rather than captured once, so tests can stub it.
    fetch: fetchImpl ?? ((request: Request) => globalThis.fetch(request)),
  });
  client.use(csrf, problems);
  return client;
}

export const api = createApi();
