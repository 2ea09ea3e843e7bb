/** An RFC 9457 problem document, as every Shoebox API error is. */
export interface ProblemDocument {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  instance?: string;
  request_id?: string;
}

/** A failed API call. `message` is fit to show to a person. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: ProblemDocument;

  constructor(status: number, problem: ProblemDocument) {
    super(problem.detail ?? problem.title ?? `The server answered ${status}.`);
    this.name = "ApiError";
    this.status = status;
    this.problem = problem;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** Reads a problem document out of whatever an error body turned out to be. */
export function toProblem(status: number, body: unknown): ProblemDocument {
  if (!isObject(body)) {
    return { status, title: typeof body === "string" && body !== "" ? body : "Request failed" };
  }
  const text = (key: string) => (typeof body[key] === "string" ? body[key] : undefined);
  return {
    type: text("type"),
    title: text("title"),
    status: typeof body.status === "number" ? body.status : status,
    detail: text("detail"),
    instance: text("instance"),
    request_id: text("request_id"),
  };
}
