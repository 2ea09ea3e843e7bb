import { ApiError } from "../api/problem";
import { Link } from "../components/Link";

/** Whether the server says a share link is unknown, revoked or expired. */
export function isDeadLink(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404 && (error.problem.type ?? "").endsWith("/share-link-invalid");
}

/** What a visitor sees instead of a shared album whose link no longer works. */
export function DeadLink() {
  return (
    <section className="dead-link">
      <h1>This link no longer works</h1>
      <p>
        The album's owner may have stopped sharing it, or the link has expired or was copied incompletely. Ask them for
        a new link.
      </p>
      <p>
        <Link href="/">Go to Shoebox</Link>
      </p>
    </section>
  );
}
