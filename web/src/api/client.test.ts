import { ApiError } from "./problem";
import { createApi, setCsrfToken } from "./client";

function recordingFetch(response: () => Response) {
  const requests: Request[] = [];
  const fetchImpl: typeof fetch = (input, init) => {
    requests.push(input instanceof Request ? input : new Request(input, init));
    return Promise.resolve(response());
  };
  return { requests, fetchImpl };
}

describe("the API client", () => {
  afterEach(() => {
    setCsrfToken(null);
  });

  it("sends the CSRF token on unsafe methods only, and includes cookies", async () => {
    setCsrfToken("token-123");
    const { requests, fetchImpl } = recordingFetch(() => Response.json({ status: "ok" }));
    const api = createApi("http://shoebox.test", fetchImpl);

    await api.POST("/api/v1/auth/logout");
    await api.GET("/api/v1/me");

    expect(requests[0]?.method).toBe("POST");
    expect(requests[0]?.headers.get("X-CSRF-Token")).toBe("token-123");
    expect(requests[0]?.credentials).toBe("same-origin");
    expect(requests[1]?.method).toBe("GET");
    expect(requests[1]?.headers.get("X-CSRF-Token")).toBeNull();
  });

  it("turns a problem+json answer into an ApiError with its detail", async () => {
    const { fetchImpl } = recordingFetch(
      () =>
        new Response(
          JSON.stringify({
            type: "https://shoebox.dev/problems/invalid-credentials",
            title: "Invalid credentials",
            status: 401,
            detail: "The email or password is wrong.",
          }),
          { status: 401, headers: { "content-type": "application/problem+json" } },
        ),
    );
    const api = createApi("http://shoebox.test", fetchImpl);

    const call = api.POST("/api/v1/auth/login", { body: { email: "a@b.c", password: "x" } });

    await expect(call).rejects.toBeInstanceOf(ApiError);
    await expect(call).rejects.toMatchObject({
      status: 401,
      message: "The email or password is wrong.",
      problem: { type: "https://shoebox.dev/problems/invalid-credentials" },
    });
  });
});
