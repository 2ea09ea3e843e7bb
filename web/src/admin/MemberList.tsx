import { useEffect, useState } from "react";
import { api } from "../api/client";
import { ErrorMessage } from "../components/ErrorMessage";
import { useSession, type User } from "../session";
import { MemberCard } from "./MemberCard";

const PAGE_SIZE = 50;

/** Every account, a page at a time. */
export function MemberList() {
  const { user } = useSession();
  const [members, setMembers] = useState<User[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [request, setRequest] = useState<string | null>("first");
  const [error, setError] = useState<unknown>(null);

  // `request` names the page to fetch: "first", a cursor, or null when idle.
  useEffect(() => {
    if (request === null) {
      return;
    }
    let live = true;
    const query = request === "first" ? { limit: PAGE_SIZE } : { limit: PAGE_SIZE, cursor: request };
    api.GET("/api/v1/admin/users", { params: { query } }).then(
      ({ data }) => {
        if (live && data) {
          setMembers((previous) => (request === "first" ? data.items : [...previous, ...data.items]));
          setCursor(data.next_cursor ?? null);
          setRequest(null);
        }
      },
      (caught: unknown) => {
        if (live) {
          setError(caught);
          setRequest(null);
        }
      },
    );
    return () => {
      live = false;
    };
  }, [request]);

  const loading = request !== null;
  return (
    <>
      {loading && cursor === undefined && <p aria-live="polite">Loading members…</p>}
      {!loading && cursor !== undefined && members.length === 0 && <p className="empty">No members yet. Invite someone above.</p>}
      {members.length > 0 && (
        <ul className="cards" aria-label="Members">
          {members.map((member) => (
            <MemberCard
              key={member.id}
              member={member}
              isSelf={member.id === user?.id}
              onChanged={(changed) => {
                setMembers((previous) => previous.map((item) => (item.id === changed.id ? changed : item)));
              }}
            />
          ))}
        </ul>
      )}
      <ErrorMessage error={error} />
      {(typeof cursor === "string" || (error !== null && cursor === undefined)) && (
        <button
          type="button"
          className="more"
          disabled={loading}
          onClick={() => {
            setError(null);
            setRequest(cursor ?? "first");
          }}
        >
          {loading ? "Loading…" : error !== null ? "Try again" : "Load more members"}
        </button>
      )}
    </>
  );
}
