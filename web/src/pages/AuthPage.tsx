import { useState, type SyntheticEvent } from "react";
import { formatDate } from "../account/format";
import { api } from "../api/client";
import { ApiError } from "../api/problem";
import { ResendVerification } from "../account/ResendVerification";
import { DisplayNameField, EmailField, PasswordField } from "../components/CredentialFields";
import { ErrorMessage } from "../components/ErrorMessage";
import { Link } from "../components/Link";
import { navigate } from "../router";
import { useSession } from "../session";

/** Sign in and sign up share one form; sign up adds a display name. */
export function AuthPage({ mode }: { mode: "sign-in" | "sign-up" }) {
  const { signedIn, notice } = useSession();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // Sign-up on an instance that requires a confirmed address: where the link went.
  const [pendingEmail, setPendingEmail] = useState("");
  const signingUp = mode === "sign-up";

  const submit = async (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { data } = signingUp
        ? await api.POST("/api/v1/auth/signup", { body: { email, password, display_name: displayName } })
        : await api.POST("/api/v1/auth/login", { body: { email, password } });
      if (data && "csrf_token" in data) {
        signedIn(data);
        navigate("/");
      } else if (data) {
        setPendingEmail(data.email);
      }
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const unverified = error instanceof ApiError && error.problem.type?.endsWith("/email-unverified");

  if (pendingEmail) {
    return (
      <section className="auth">
        <h1>Check your inbox</h1>
        <div role="status" className="notice">
          <p>
            <strong>Your account is created.</strong> We sent a link to {pendingEmail}: follow it to confirm your address, then
            sign in.
          </p>
        </div>
        <ResendVerification email={pendingEmail} />
        <p>
          <Link href="/sign-in">Sign in</Link> once you have confirmed.
        </p>
      </section>
    );
  }

  return (
    <section className="auth">
      <h1>{signingUp ? "Create your account" : "Sign in"}</h1>
      {!signingUp && notice && (
        <div role="status" className="notice">
          {notice.kind === "deletion-scheduled" ? (
            <>
              <p>
                <strong>Your account will be deleted on {formatDate(notice.dueAt)}.</strong> You were signed out everywhere.
              </p>
              <p>Changed your mind? Sign in again before then and cancel the deletion.</p>
            </>
          ) : (
            <p>
              <strong>Your account was deleted.</strong> Everything it held has been erased.
            </p>
          )}
        </div>
      )}
      <form onSubmit={(event) => void submit(event)} aria-busy={busy}>
        {signingUp && <DisplayNameField value={displayName} onChange={setDisplayName} />}
        <EmailField value={email} onChange={setEmail} />
        <PasswordField value={password} onChange={setPassword} choosing={signingUp} />
        <ErrorMessage error={error} />
        <button type="submit" disabled={busy}>
          {signingUp ? "Sign up" : "Sign in"}
        </button>
      </form>
      {unverified && <ResendVerification email={email} />}
      <p>
        {signingUp ? (
          <>
            Already have an account? <Link href="/sign-in">Sign in</Link>
          </>
        ) : (
          <>
            New here? <Link href="/sign-up">Create an account</Link> · <Link href="/forgot-password">Forgot your password?</Link>
          </>
        )}
      </p>
    </section>
  );
}
