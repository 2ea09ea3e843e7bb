import { useEffect, useRef, useState, type SyntheticEvent } from "react";
import { api } from "../api/client";
import { ApiError } from "../api/problem";
import { ErrorMessage } from "../components/ErrorMessage";
import { navigate } from "../router";
import { useSession } from "../session";
import { formatDate } from "./format";

const DAY_MS = 24 * 60 * 60 * 1000;

/** The grace period, and when a deletion requested now would be carried out. */
interface Policy {
  graceDays: number;
  dueAt: string;
}

/** The server refused the password; nothing changed. */
function isWrongPassword(error: unknown): boolean {
  return error instanceof ApiError && (error.problem.type?.endsWith("wrong-password") ?? false);
}

/**
 * Deleting one's own account (SPEC §8): says what is erased and when, then
 * asks for the password and an explicit acknowledgement. The server ends
 * every session at once, so success signs this browser out.
 */
export function DeleteAccount() {
  const { user, signedOutBy } = useSession();
  const [policy, setPolicy] = useState<Policy | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [password, setPassword] = useState("");
  const [understood, setUnderstood] = useState(false);
  const [unconfirmed, setUnconfirmed] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const passwordInput = useRef<HTMLInputElement>(null);
  const checkbox = useRef<HTMLInputElement>(null);

  useEffect(() => {
    let live = true;
    api.GET("/api/v1/me/deletion").then(
      ({ data }) => {
        if (live && data) {
          // The date is worked out when the page opens, as the server will when asked.
          setPolicy({ graceDays: data.grace_days, dueAt: new Date(Date.now() + data.grace_days * DAY_MS).toISOString() });
        }
      },
      (caught: unknown) => {
        if (live) {
          setLoadError(caught);
        }
      },
    );
    return () => {
      live = false;
    };
  }, []);

  if (user?.deletion_due_at) {
    return (
      <p>
        Your account is already scheduled for deletion on <strong>{formatDate(user.deletion_due_at)}</strong>. To keep it, press
        “Cancel deletion” at the top of the page.
      </p>
    );
  }
  if (policy === null) {
    return loadError !== null ? <ErrorMessage error={loadError} /> : <p aria-live="polite">Loading…</p>;
  }

  const submit = async (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(null);
    if (!understood) {
      setUnconfirmed(true);
      checkbox.current?.focus();
      return;
    }
    setDeleting(true);
    try {
      const { data, response } = await api.DELETE("/api/v1/me", { body: { password } });
      signedOutBy(response.status === 202 && data ? { kind: "deletion-scheduled", dueAt: data.deletion_due_at } : { kind: "deleted" });
      navigate("/sign-in");
    } catch (caught) {
      setError(caught);
      setDeleting(false);
      if (isWrongPassword(caught)) {
        setPassword("");
        passwordInput.current?.focus();
      }
    }
  };

  const immediate = policy.graceDays === 0;
  const date = formatDate(policy.dueAt);
  const wrongPassword = isWrongPassword(error);
  return (
    <>
      <p>
        Deleting your account erases everything you own here: your photos (the originals and every resized copy), your albums
        and their share links, your sessions, API tokens and data exports, and your profile.
      </p>
      {immediate ? (
        <p>
          <strong>It happens immediately and cannot be undone.</strong> You are signed out at once.
        </p>
      ) : (
        <p>
          You are signed out everywhere at once and your API tokens stop working. The erasure happens on{" "}
          <strong>{date}</strong>, {policy.graceDays === 1 ? "a day" : `${policy.graceDays} days`} from now, unless you sign in
          again before then and cancel it.
        </p>
      )}
      <p className="hint">
        Copies in the server’s backups are not touched at once: they expire as old backups are removed under the backup
        retention policy, and are never brought back — restoring a backup erases your account again.
      </p>
      <form className="stack" onSubmit={(event) => void submit(event)}>
        <label>
          Your password
          <input
            ref={passwordInput}
            type="password"
            required
            autoComplete="current-password"
            aria-invalid={wrongPassword || undefined}
            value={password}
            onChange={(event) => {
              setPassword(event.target.value);
            }}
          />
        </label>
        <label className="check">
          <input
            ref={checkbox}
            type="checkbox"
            checked={understood}
            aria-invalid={unconfirmed || undefined}
            aria-describedby={unconfirmed ? "delete-unconfirmed" : undefined}
            onChange={(event) => {
              setUnderstood(event.target.checked);
              setUnconfirmed(false);
            }}
          />
          {immediate
            ? "I understand that my account and everything in it are erased immediately and for good."
            : `I understand that my account and everything in it will be erased on ${date} unless I cancel.`}
        </label>
        {unconfirmed && (
          <p id="delete-unconfirmed" role="alert" className="error">
            Tick the box to confirm that you want your account deleted.
          </p>
        )}
        <div className="actions">
          <button type="submit" className="danger" disabled={deleting}>
            {deleting ? "Deleting…" : "Delete my account"}
          </button>
        </div>
        {wrongPassword ? (
          <p role="alert" className="error">
            The password is incorrect. Nothing was changed: your account stays as it is.
          </p>
        ) : (
          <ErrorMessage error={error} />
        )}
      </form>
    </>
  );
}
