import { useEffect, useRef, useState } from "react";
import { api } from "../api/client";
import type { components } from "../api/schema";
import { ErrorMessage } from "../components/ErrorMessage";
import { ConfirmAction } from "./ConfirmAction";
import { describeUserAgent, formatDate } from "./format";

type Session = components["schemas"]["SessionResponse"];

/** Where the member is signed in, this browser marked, each other one revocable. */
export function SessionList({ reload, onSignedOutEverywhere }: { reload: number; onSignedOutEverywhere: () => void }) {
  const [sessions, setSessions] = useState<Session[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    api.GET("/api/v1/me/sessions").then(
      ({ data }) => {
        if (live) {
          setSessions(data ?? []);
          setError(null);
        }
      },
      (caught: unknown) => {
        if (live) {
          setError(caught);
        }
      },
    );
    return () => {
      live = false;
    };
  }, [reload]);

  const [notice, setNotice] = useState("");
  const list = useRef<HTMLUListElement>(null);

  const revoke = async (id: string) => {
    await api.DELETE("/api/v1/me/sessions/{id}", { params: { path: { id } } });
    setSessions((previous) => previous?.filter((session) => session.id !== id) ?? null);
    setNotice("Signed out.");
    list.current?.focus();
  };

  const revokeOthers = async () => {
    for (const session of sessions ?? []) {
      if (!session.current) {
        await revoke(session.id);
      }
    }
  };

  if (sessions === null) {
    return error !== null ? <ErrorMessage error={error} /> : <p aria-live="polite">Loading sessions…</p>;
  }
  const others = sessions.filter((session) => !session.current);
  const ordered = [...sessions].sort((a, b) => Number(b.current) - Number(a.current));
  return (
    <>
      <p role="status" className="success">
        {notice}
      </p>
      <ul ref={list} tabIndex={-1} className="cards" aria-label="Sessions">
        {ordered.map((session) => {
          const device = describeUserAgent(session.user_agent);
          return (
            <li key={session.id}>
              <div>
                <p className="title">
                  {device}
                  {session.current && <span className="badge">This browser</span>}
                </p>
                <dl>
                  {session.ip && (
                    <>
                      <dt>IP address</dt>
                      <dd>{session.ip}</dd>
                    </>
                  )}
                  <dt>Signed in</dt>
                  <dd>{formatDate(session.created_at)}</dd>
                  <dt>Last seen</dt>
                  <dd>{formatDate(session.last_seen_at)}</dd>
                </dl>
              </div>
              {!session.current && (
                <div className="buttons">
                  <ConfirmAction
                    label="Sign out"
                    accessibleLabel={`Sign out ${device}, last seen ${formatDate(session.last_seen_at)}`}
                    question={`Sign out ${device}? It will need the password again.`}
                    confirmLabel="Yes, sign it out"
                    pendingLabel="Signing out…"
                    danger
                    onConfirm={() => revoke(session.id)}
                  />
                </div>
              )}
            </li>
          );
        })}
      </ul>
      {others.length === 0 && <p className="empty">You are signed in only here.</p>}
      <div className="actions section-actions">
        {others.length > 0 && (
          <ConfirmAction
            label="Sign out all other sessions"
            question={`Sign out the ${others.length === 1 ? "other session" : `${others.length} other sessions`}? This browser stays signed in.`}
            confirmLabel="Yes, sign them out"
            pendingLabel="Signing out…"
            danger
            onConfirm={revokeOthers}
          />
        )}
        <ConfirmAction
          label="Sign out everywhere"
          question="Sign out every session, this browser included? You will need your password to come back."
          confirmLabel="Yes, sign out everywhere"
          pendingLabel="Signing out…"
          danger
          onConfirm={async () => {
            await api.DELETE("/api/v1/me/sessions");
            onSignedOutEverywhere();
          }}
        />
      </div>
      <ErrorMessage error={error} />
    </>
  );
}
