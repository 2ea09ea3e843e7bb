import { useState, type SyntheticEvent } from "react";
import { api } from "../api/client";
import { ErrorMessage } from "../components/ErrorMessage";

/** Changing the password; the server then ends every other session and revokes every API token. */
export function PasswordForm({ onChanged }: { onChanged: () => void }) {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [confirm, setConfirm] = useState("");
  const [mismatch, setMismatch] = useState(false);
  const [saving, setSaving] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    setDone(false);
    setError(null);
    if (next !== confirm) {
      setMismatch(true);
      document.getElementById("password-confirm")?.focus();
      return;
    }
    setMismatch(false);
    setSaving(true);
    try {
      await api.PUT("/api/v1/me/password", { body: { current_password: current, new_password: next } });
      setCurrent("");
      setNext("");
      setConfirm("");
      setDone(true);
      onChanged();
    } catch (caught) {
      setError(caught);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form className="stack" onSubmit={(event) => void submit(event)}>
      <label>
        Current password
        <input
          type="password"
          required
          autoComplete="current-password"
          value={current}
          onChange={(event) => {
            setCurrent(event.target.value);
          }}
        />
      </label>
      <label>
        New password
        <input
          type="password"
          required
          minLength={10}
          autoComplete="new-password"
          aria-describedby="password-new-hint"
          value={next}
          onChange={(event) => {
            setNext(event.target.value);
          }}
        />
      </label>
      <p id="password-new-hint" className="hint field-hint">
        At least 10 characters; common passwords are refused. A few unrelated words make a strong one.
      </p>
      <label>
        Confirm new password
        <input
          id="password-confirm"
          type="password"
          required
          autoComplete="new-password"
          aria-invalid={mismatch || undefined}
          aria-describedby={mismatch ? "password-mismatch" : undefined}
          value={confirm}
          onChange={(event) => {
            setConfirm(event.target.value);
            setMismatch(false);
          }}
        />
      </label>
      {mismatch && (
        <p id="password-mismatch" role="alert" className="error">
          The two new passwords differ. Type the same password in both fields.
        </p>
      )}
      <div className="actions">
        <button type="submit" disabled={saving}>
          {saving ? "Changing…" : "Change password"}
        </button>
        <p role="status" className="success">
          {done && "Password changed. Your other sessions were signed out and your API tokens revoked."}
        </p>
      </div>
      <ErrorMessage error={error} />
    </form>
  );
}
