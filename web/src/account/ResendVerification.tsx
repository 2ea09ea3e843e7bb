import { useState } from "react";
import { api } from "../api/client";
import { ErrorMessage } from "../components/ErrorMessage";

/**
 * Asks for a new verification link for `email`. The server answers the same
 * whether or not the address needs one, so the message says "if".
 */
export function ResendVerification({ email, label = "Send the link again" }: { email: string; label?: string }) {
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const resend = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.POST("/api/v1/auth/email-verification", { body: { email } });
      setSent(true);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" disabled={busy || sent} onClick={() => void resend()}>
        {busy ? "Sending…" : label}
      </button>
      <p role="status" className="success">
        {sent && `A new link is on its way to ${email}. Earlier links no longer work.`}
      </p>
      <ErrorMessage error={error} />
    </>
  );
}
