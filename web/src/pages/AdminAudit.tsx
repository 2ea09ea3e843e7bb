import "../account/account.css";
import "../admin/admin.css";
import { useEffect, useRef, useState } from "react";
import { api } from "../api/client";
import { AdminNav } from "../admin/AdminNav";
import { AuditTable } from "../admin/AuditTable";
import type { AuditEntry } from "../admin/audit";
import { useMemberNames } from "../admin/useMemberNames";
import { describeError, ErrorMessage } from "../components/ErrorMessage";

const PAGE_SIZE = 50;

/** What the audit log records for admins (SPEC §8): who did what to which record, newest first, a page at a time. */
export function AdminAudit() {
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  /** The next page's cursor; `undefined` before the first page, `null` after the last. */
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  /** The page to fetch: "first", a cursor, or null when idle. */
  const [request, setRequest] = useState<string | null>("first");
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState("");
  const status = useRef<HTMLParagraphElement>(null);
  const names = useMemberNames();

  useEffect(() => {
    if (request === null) {
      return;
    }
    let live = true;
    const query = request === "first" ? { limit: PAGE_SIZE } : { limit: PAGE_SIZE, cursor: request };
    api.GET("/api/v1/admin/audit", { params: { query } }).then(
      ({ data }) => {
        if (live && data) {
          const last = !data.next_cursor;
          setEntries((previous) => (request === "first" ? data.items : [...previous, ...data.items]));
          setCursor(data.next_cursor ?? null);
          setRequest(null);
          if (request !== "first") {
            const count = data.items.length === 1 ? "1 more entry" : `${data.items.length} more entries`;
            setNotice(last ? `Loaded ${count}. That is the whole log.` : `Loaded ${count}.`);
            if (last) {
              // The button that was pressed is gone; keep keyboard users where the list ends.
              status.current?.focus();
            }
          }
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
    <section className="account wide audit-page">
      <h1>Audit log</h1>
      <AdminNav current="audit" />
      <p>
        Who did what, newest first. The log keeps identifiers only, never names or addresses: the names beside them are
        looked up in the current members list, so an erased member shows only their id.
      </p>
      {names.state === "failed" && (
        <p role="alert" className="error">
          Member names could not be looked up ({describeError(names.error)}). The log shows identifiers only.
        </p>
      )}
      <section aria-labelledby="audit-entries" className="panel">
        <h2 id="audit-entries">Entries</h2>
        {loading && cursor === undefined && <p aria-live="polite">Loading the audit log…</p>}
        {!loading && cursor !== undefined && entries.length === 0 && <p className="empty">Nothing has been logged yet.</p>}
        {entries.length > 0 && <AuditTable entries={entries} names={names} labelledBy="audit-entries" />}
        <p ref={status} tabIndex={-1} role="status" className="success audit-status">
          {notice}
        </p>
        <ErrorMessage error={error} />
        {(typeof cursor === "string" || (error !== null && cursor === undefined)) && (
          <button
            type="button"
            className="more"
            // aria-disabled rather than disabled: the button keeps the focus it had when pressed.
            aria-disabled={loading || undefined}
            onClick={() => {
              if (loading) {
                return;
              }
              setError(null);
              setNotice("");
              setRequest(cursor ?? "first");
            }}
          >
            {loading ? "Loading…" : error !== null ? "Try again" : "Load more"}
          </button>
        )}
      </section>
    </section>
  );
}
