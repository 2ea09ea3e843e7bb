import { useState, type SyntheticEvent } from "react";
import { api } from "../api/client";
import { EmailField, PasswordField } from "../components/CredentialFields";
import { ErrorMessage } from "../components/ErrorMessage";
import { Link } from "../components/Link";

/** Asks for a reset link. The answer is the same whether or not the address has an account. */
export function ForgotPassword() {
  const [email, setEmail] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);

  const submit = async (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.POST("/api/v1/auth/password-reset", { body: { email } });
      setSent(true);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="auth">
      <h1>Forgot your password?</h1>
      {sent ? (
        <div role="status" className="notice">
          <p>
            If <strong>{email}</strong> belongs to an account here, a link to choose a new password is on its way. It works once, within an
            hour.
          </p>
        </div>
      ) : (
        <form onSubmit={(event) => void submit(event)} aria-busy={busy}>
          <p>Type the address of your account and we will mail you a link to choose a new password.</p>
          <EmailField value={email} onChange={setEmail} />
          <ErrorMessage error={error} />
          <button type="submit" disabled={busy}>
            Send the link
          </button>
        </form>
      )}
      <p>
        Remembered it? <Link href="/sign-in">Sign in</Link>
      </p>
    </section>
  );
}

/** Chooses a new password with the token of a mailed link. */
export function ResetPassword({ token }: { token: string }) {
  const [password, setPassword] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  const submit = async (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.POST("/api/v1/auth/password-reset/confirm", { body: { token, password } });
      setDone(true);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  if (!token) {
    return (
      <section className="auth">
        <h1>Choose a new password</h1>
        <p role="alert">This link has no token. Open the link of the message again, or ask for a new one.</p>
        <p>
          <Link href="/forgot-password">Ask for a new link</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="auth">
      <h1>Choose a new password</h1>
      {done ? (
        <div role="status" className="notice">
          <p>
            <strong>Your password was changed.</strong> You were signed out everywhere.
          </p>
          <p>
            <Link href="/sign-in">Sign in</Link> with your new password.
          </p>
        </div>
      ) : (
        <>
          <form onSubmit={(event) => void submit(event)} aria-busy={busy}>
            <PasswordField label="New password" value={password} onChange={setPassword} choosing />
            <ErrorMessage error={error} />
            <button type="submit" disabled={busy}>
              Change the password
            </button>
          </form>
          <p>
            Link expired or used? <Link href="/forgot-password">Ask for a new one</Link>
          </p>
        </>
      )}
    </section>
  );
}
