import { useEffect, useRef, useState } from "react";
import { api } from "../api/client";
import { ErrorMessage } from "../components/ErrorMessage";
import { Link } from "../components/Link";
import { useSession } from "../session";

type State = { kind: "confirming" } | { kind: "confirmed"; email: string } | { kind: "failed"; error: unknown };

/** Follows a mailed confirmation link: verification after sign-up, or a change of address. */
export function VerifyEmail({ token }: { token: string }) {
  const { user, updateUser } = useSession();
  const [state, setState] = useState<State>(token ? { kind: "confirming" } : { kind: "failed", error: null });
  // A link works once: confirm it once, even when React runs effects twice.
  const started = useRef(false);

  useEffect(() => {
    if (!token || started.current) {
      return;
    }
    started.current = true;
    api.POST("/api/v1/auth/email-verification/confirm", { body: { token } }).then(
      ({ data }) => {
        setState({ kind: "confirmed", email: data?.email ?? "" });
      },
      (error: unknown) => {
        setState({ kind: "failed", error });
      },
    );
  }, [token]);

  // A signed-in member sees the new state at once (banner gone, new address).
  useEffect(() => {
    if (state.kind === "confirmed" && user && (!user.email_verified || user.email !== state.email)) {
      updateUser({ ...user, email: state.email, email_verified: true });
    }
  }, [state, user, updateUser]);

  return (
    <section className="auth">
      <h1>Confirm your email address</h1>
      {state.kind === "confirming" && <p aria-live="polite">Confirming your address…</p>}
      {state.kind === "confirmed" && (
        <div role="status" className="notice">
          <p>
            <strong>{state.email} is confirmed.</strong> Thank you.
          </p>
          <p>{user ? <Link href="/">Continue to your photos</Link> : <Link href="/sign-in">Sign in</Link>}</p>
        </div>
      )}
      {state.kind === "failed" && (
        <>
          {token ? (
            <ErrorMessage error={state.error} />
          ) : (
            <p role="alert">This link has no token. Open the link of the message again, or ask for a new one.</p>
          )}
          <p>
            Links work once and expire. {user ? "Ask for a new one with the banner above, or " : ""}
            <Link href="/sign-in">sign in</Link> to ask for a new one.
          </p>
        </>
      )}
    </section>
  );
}
