import { useEffect, useRef, useState } from "react";
import { api } from "../api/client";
import type { components } from "../api/schema";
import { ConfirmAction } from "../account/ConfirmAction";
import { formatDate } from "../account/format";
import { SecretReveal } from "../account/SecretReveal";
import { ErrorMessage } from "../components/ErrorMessage";
import { InvitationForm } from "./InvitationForm";

type Invitation = components["schemas"]["InvitationResponse"];

/** What became of an invitation, in words. */
function statusWording(invitation: Invitation): string {
  switch (invitation.status) {
    case "pending":
      return "Pending";
    case "accepted":
      return invitation.ended_at ? `Accepted ${formatDate(invitation.ended_at)}` : "Accepted";
    case "revoked":
      return invitation.ended_at ? `Revoked ${formatDate(invitation.ended_at)}` : "Revoked";
    case "expired":
      return "Expired";
  }
}

/** Invitations of the last 30 days with their status: create, resend (pending addressed ones), revoke (pending ones). */
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

  const [resent, setResent] = useState<{ for: string; url: string } | null>(null);
  const [resending, setResending] = useState<string | null>(null);

  // A fresh link is mailed; the old one stops working. The new link is
  // shown too, for when mail does not reach the invitee.
  const resend = async (id: string, who: string) => {
    setResending(id);
    setError(null);
    try {
      const { data } = await api.POST("/api/v1/admin/invitations/{id}/resend", { params: { path: { id } } });
      if (data) {
        setInvitations((previous) => previous?.map((invitation) => (invitation.id === id ? data.invitation : invitation)) ?? null);
        setResent({ for: who, url: data.link });
        setNotice(`Invitation mailed again to ${who}. The previous link no longer works.`);
      }
    } catch (caught) {
      setError(caught);
    } finally {
      setResending(null);
    }
  };

  const revoke = async (id: string, who: string) => {
    await api.DELETE("/api/v1/admin/invitations/{id}", { params: { path: { id } } });
    const now = new Date().toISOString();
    setInvitations(
      (previous) =>
        previous?.map((invitation) => (invitation.id === id ? { ...invitation, status: "revoked" as const, ended_at: now } : invitation)) ?? null,
    );
    setNotice(`Invitation for ${who} revoked.`);
    heading.current?.focus();
  };

  return (
    <>
      {resent && (
        <SecretReveal
          title={`New link for ${resent.for}`}
          label="Invitation link"
          value={resent.url}
          warning="It was mailed; if the message does not arrive, send this link another way. It works once, and it is shown only now."
          onDone={() => {
            setResent(null);
          }}
        />
      )}
      <InvitationForm
        onCreated={(invitation) => {
          setInvitations((previous) => [invitation, ...(previous ?? [])]);
        }}
      />
      <h3 ref={heading} tabIndex={-1}>
        Invitations
      </h3>
      <p role="status" className="success">
        {notice}
      </p>
      {invitations === null && error === null && <p aria-live="polite">Loading invitations…</p>}
      {invitations?.length === 0 && <p className="empty">No invitations in the last 30 days. Create one above to let someone join.</p>}
      {invitations !== null && invitations.length > 0 && (
        <ul className="cards" aria-label="Invitations">
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
                    <dt>Status</dt>
                    <dd>{statusWording(invitation)}</dd>
                  </dl>
                </div>
                {invitation.status === "pending" && (
                <div className="buttons">
                  {invitation.email && (
                    <button
                      type="button"
                      aria-label={`Resend the invitation to ${who}`}
                      disabled={resending === invitation.id}
                      onClick={() => void resend(invitation.id, who)}
                    >
                      {resending === invitation.id ? "Sending…" : "Resend"}
                    </button>
                  )}
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
                )}
              </li>
            );
          })}
        </ul>
      )}
      <ErrorMessage error={error} />
    </>
  );
}
