import { useState, type SyntheticEvent } from "react";
import { api } from "../api/client";
import type { components } from "../api/schema";
import { SecretReveal } from "../account/SecretReveal";
import { ErrorMessage } from "../components/ErrorMessage";

type Invitation = components["schemas"]["InvitationResponse"];

/** Creating an invitation: mailed when it has an address; its single-use link is also shown here once, to hand over another way. */
export function InvitationForm({ onCreated }: { onCreated: (invitation: Invitation) => void }) {
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<"member" | "admin">("member");
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [link, setLink] = useState<{ for: string; url: string; mailed: boolean } | null>(null);

  const submit = async (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSaving(true);
    setError(null);
    try {
      const address = email.trim();
      const { data } = await api.POST("/api/v1/admin/invitations", {
        body: { role, ...(address ? { email: address } : {}) },
      });
      if (data) {
        setLink({ for: data.invitation.email ?? "anyone holding it", url: data.link, mailed: Boolean(data.invitation.email) });
        setEmail("");
        setRole("member");
        onCreated(data.invitation);
      }
    } catch (caught) {
      setError(caught);
    } finally {
      setSaving(false);
    }
  };

  if (link) {
    return (
      <SecretReveal
        title={`Invitation for ${link.for} created`}
        label="Invitation link"
        value={link.url}
        warning={
          link.mailed
            ? `An invitation is on its way to ${link.for}. If it does not arrive, send this link another way. It works once, and it is shown only now.`
            : "Send this link to the person you invite. It works once, and it is shown only now."
        }
        onDone={() => {
          setLink(null);
        }}
      />
    );
  }
  return (
    <form className="stack" onSubmit={(event) => void submit(event)} aria-label="New invitation">
      <label>
        <span>
          Email <span className="hint">(optional)</span>
        </span>
        <input
          type="email"
          autoComplete="off"
          aria-describedby="invite-email-hint"
          value={email}
          onChange={(event) => {
            setEmail(event.target.value);
          }}
        />
      </label>
      <p id="invite-email-hint" className="hint field-hint">
        With an address, the invitation is mailed and only that person can accept; without one, whoever holds the link can.
      </p>
      <label>
        Role
        <select
          value={role}
          onChange={(event) => {
            setRole(event.target.value === "admin" ? "admin" : "member");
          }}
        >
          <option value="member">Member</option>
          <option value="admin">Admin</option>
        </select>
      </label>
      <div className="actions">
        <button type="submit" disabled={saving}>
          {saving ? "Creating…" : "Create invitation"}
        </button>
      </div>
      <ErrorMessage error={error} />
    </form>
  );
}
