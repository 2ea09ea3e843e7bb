import { useEffect, useRef, useState } from "react";
import { api } from "../api/client";
import type { components } from "../api/schema";
import { ConfirmAction } from "../account/ConfirmAction";
import { formatDate } from "../account/format";
import { ErrorMessage } from "../components/ErrorMessage";
import { InvitationForm } from "./InvitationForm";

type Invitation = components["schemas"]["InvitationResponse"];

/** Pending invitations: create, list, revoke. */
export function Invitations() {
  const [invitations, setInvitations] = useState<Invitation[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    api.GET("/api/v1/admin/invitations").then(
      ({ data }) => {
        if (live) {
          setInvitations(data ?? []);
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
  }, []);

  const [notice, setNotice] = useState("");
  const heading = useRef<HTMLHeadingElement>(null);

  const revoke = async (id: string, who: string) => {
    await api.DELETE("/api/v1/admin/invitations/{id}", { params: { path: { id } } });
    setInvitations((previous) => previous?.filter((invitation) => invitation.id !== id) ?? null);
    setNotice(`Invitation for ${who} revoked.`);
    heading.current?.focus();
  };

  return (
    <>
      <InvitationForm
        onCreated={(invitation) => {
          setInvitations((previous) => [invitation, ...(previous ?? [])]);
        }}
      />
      <h3 ref={heading} tabIndex={-1}>
        Pending invitations
      </h3>
      <p role="status" className="success">
        {notice}
      </p>
      {invitations === null && error === null && <p aria-live="polite">Loading invitations…</p>}
      {invitations?.length === 0 && <p className="empty">No pending invitations. Create one above to let someone join.</p>}
      {invitations !== null && invitations.length > 0 && (
        <ul className="cards" aria-label="Pending invitations">
          {invitations.map((invitation) => {
            const who = invitation.email ?? "Anyone with the link";
            return (
              <li key={invitation.id}>
                <div>
                  <p className="title">
                    {who}
                    {invitation.role === "admin" && <span className="badge">Admin</span>}
                  </p>
                  <dl>
                    <dt>Created</dt>
                    <dd>{formatDate(invitation.created_at)}</dd>
                    <dt>Expires</dt>
                    <dd>{formatDate(invitation.expires_at)}</dd>
                  </dl>
                </div>
                <div className="buttons">
                  <ConfirmAction
                    label="Revoke"
                    accessibleLabel={`Revoke the invitation for ${who}`}
                    question={`Revoke the invitation for ${who}? Its link stops working.`}
                    confirmLabel="Yes, revoke it"
                    pendingLabel="Revoking…"
                    danger
                    onConfirm={() => revoke(invitation.id, who)}
                  />
                </div>
              </li>
            );
          })}
        </ul>
      )}
      <ErrorMessage error={error} />
    </>
  );
}
