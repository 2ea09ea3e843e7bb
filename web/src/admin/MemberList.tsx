import { useEffect, useRef, useState } from "react";
import { formatDate } from "../account/format";
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
  const [graceDays, setGraceDays] = useState<number | null>(null);
  const [notice, setNotice] = useState("");
  const status = useRef<HTMLParagraphElement>(null);

  // The grace period a deletion gets, for the delete question to say; without it, it says less.
  useEffect(() => {
    let live = true;
    api.GET("/api/v1/me/deletion").then(
      ({ data }) => {
        if (live && data) {
          setGraceDays(data.grace_days);
        }
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);

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

  const deleted = (member: User, dueAt: string | null) => {
    const name = `${member.display_name} (${member.email})`;
    if (dueAt === null) {
      setMembers((previous) => previous.filter((item) => item.id !== member.id));
      setNotice(`${name} was deleted.`);
    } else {
      setMembers((previous) => previous.map((item) => (item.id === member.id ? { ...item, deletion_due_at: dueAt } : item)));
      setNotice(`The deletion of ${name} is scheduled for ${formatDate(dueAt)}.`);
    }
    status.current?.focus();
  };

  const cancelled = (member: User) => {
    setMembers((previous) => previous.map((item) => (item.id === member.id ? member : item)));
    setNotice(`The deletion of ${member.display_name} (${member.email}) was cancelled.`);
    status.current?.focus();
  };

  const loading = request !== null;
  return (
    <>
      <p ref={status} tabIndex={-1} role="status" className="success member-status">
        {notice}
      </p>
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
              graceDays={graceDays}
              onDeleted={deleted}
              onDeletionCancelled={cancelled}
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
