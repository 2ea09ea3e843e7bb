import { useState, type SyntheticEvent } from "react";
import { api } from "../api/client";
import { ErrorMessage } from "../components/ErrorMessage";
import { useSession } from "../session";

/** Changing the address: it takes effect when the link mailed to the new address is followed. */
export function EmailForm() {
  const { user } = useSession();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [saving, setSaving] = useState(false);
  const [sentTo, setSentTo] = useState("");
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSentTo("");
    setError(null);
    setSaving(true);
    try {
      await api.POST("/api/v1/me/email", { body: { email, password } });
      setSentTo(email);
      setEmail("");
      setPassword("");
    } catch (caught) {
      setError(caught);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form className="stack" onSubmit={(event) => void submit(event)}>
      <p>
        Your address is <strong>{user?.email}</strong>
        {user && (user.email_verified ? " (confirmed)." : " (not confirmed yet).")}
      </p>
      <label>
        New email address
        <input
          type="email"
          required
          autoComplete="email"
          value={email}
          onChange={(event) => {
            setEmail(event.target.value);
          }}
        />
      </label>
      <label>
        Current password
        <input
          type="password"
          required
          autoComplete="current-password"
          value={password}
          onChange={(event) => {
            setPassword(event.target.value);
          }}
        />
      </label>
      <div className="actions">
        <button type="submit" disabled={saving}>
          {saving ? "Sending…" : "Change email address"}
        </button>
        <p role="status" className="success">
          {sentTo && `We sent a link to ${sentTo}. Your address changes when you follow it; until then it stays as it is.`}
        </p>
      </div>
      <ErrorMessage error={error} />
    </form>
  );
}
