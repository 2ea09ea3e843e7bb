import { useEffect, useRef, useState, type SyntheticEvent } from "react";
import { formatDate } from "../account/format";
import { api } from "../api/client";
import { ApiError } from "../api/problem";
import type { components } from "../api/schema";
import { DisplayNameField, EmailField, PasswordField } from "../components/CredentialFields";
import { ErrorMessage } from "../components/ErrorMessage";
import { Link } from "../components/Link";
import { navigate } from "../router";
import { useSession } from "../session";

type Preview = components["schemas"]["InvitationPreviewResponse"];

type Lookup = { state: "loading" } | { state: "invalid" } | { state: "failed"; error: unknown } | { state: "valid"; preview: Preview };

/** The page an invitation link opens: who invited whom, then the sign-up form. */
export function AcceptInvitation({ token }: { token: string }) {
  const { user } = useSession();
  const [lookup, setLookup] = useState<Lookup>(token ? { state: "loading" } : { state: "invalid" });

  useEffect(() => {
    if (!token) {
      return;
    }
    let live = true;
    // The token goes in the body, so that it never sits in a logged URL.
    api.POST("/api/v1/auth/invitation", { body: { token } }).then(
      ({ data }) => {
        if (live && data) {
          setLookup({ state: "valid", preview: data });
        }
      },
      (caught: unknown) => {
        if (live) {
          setLookup(caught instanceof ApiError && caught.status === 404 ? { state: "invalid" } : { state: "failed", error: caught });
        }
      },
    );
    return () => {
      live = false;
    };
  }, [token]);

  return (
    <section className="auth">
      <h1>Accept your invitation</h1>
      {lookup.state === "loading" && <p aria-live="polite">Checking the invitation…</p>}
      {lookup.state === "invalid" && (
        <div role="alert">
          <p>
            <strong>This invitation link does not work.</strong> It may have expired, been used already, been replaced by a newer one, or been
            revoked.
          </p>
          <p>Ask the person who invited you for a new invitation.</p>
        </div>
      )}
      {lookup.state === "failed" && <ErrorMessage error={lookup.error} />}
      {lookup.state === "valid" &&
        user !== undefined &&
        (user ? <SignedInAlready email={user.email} /> : <InvitationSignUp token={token} preview={lookup.preview} />)}
      <p>
        Already have an account? <Link href="/sign-in">Sign in</Link>
      </p>
    </section>
  );
}

/** The invitation is for a new account: someone signed in signs out first. */
function SignedInAlready({ email }: { email: string }) {
  const { signOut } = useSession();
  return (
    <div role="status" className="notice">
      <p>
        You are signed in as <strong>{email}</strong>. This invitation creates a new account: sign out first, then open the link
        again.
      </p>
      <button type="button" onClick={() => void signOut()}>
        Sign out
      </button>
    </div>
  );
}

function InvitationSignUp({ token, preview }: { token: string; preview: Preview }) {
  const { signedIn } = useSession();
  const [email, setEmail] = useState(preview.email ?? "");
  const [password, setPassword] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // An open link on an instance that requires confirmed addresses: where the link went.
  const [pendingEmail, setPendingEmail] = useState("");
  const firstField = useRef<HTMLInputElement>(null);

  useEffect(() => {
    firstField.current?.focus();
  }, []);

  const submit = async (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { data } = await api.POST("/api/v1/auth/signup", {
        body: { email, password, display_name: displayName, invitation: token },
      });
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

  if (pendingEmail) {
    return (
      <div role="status" className="notice">
        <p>
          <strong>Your account is created.</strong> We sent a link to {pendingEmail}: follow it to confirm your address, then{" "}
          <Link href="/sign-in">sign in</Link>.
        </p>
      </div>
    );
  }

  const role = preview.role === "admin" ? "an admin" : "a member";
  return (
    <>
      <div role="status" className="notice">
        <p>
          {preview.invited_by ? <strong>{preview.invited_by}</strong> : "An admin"} invited you to join as {role}.
        </p>
        <p>The invitation works once, until {formatDate(preview.expires_at)}.</p>
      </div>
      <form onSubmit={(event) => void submit(event)} aria-busy={busy} aria-label="Create your account">
        <DisplayNameField value={displayName} onChange={setDisplayName} inputRef={firstField} />
        <EmailField
          value={email}
          onChange={setEmail}
          readOnly={preview.email !== null && preview.email !== undefined}
          describedBy={preview.email ? "invited-email-hint" : undefined}
        />
        {preview.email && (
          <p id="invited-email-hint" className="hint field-hint">
            The invitation is for this address.
          </p>
        )}
        <PasswordField value={password} onChange={setPassword} choosing />
        <ErrorMessage error={error} />
        <button type="submit" disabled={busy}>
          Create my account
        </button>
      </form>
    </>
  );
}
