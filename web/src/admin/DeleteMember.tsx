import { useId, useRef, useState } from "react";
import { formatDate } from "../account/format";
import { api } from "../api/client";
import { ErrorMessage } from "../components/ErrorMessage";
import { useAskInPlace } from "../components/useAskInPlace";
import type { User } from "../session";

interface Props {
  member: User;
  /** The server's grace period; `null` while unknown. */
  graceDays: number | null;
  /** After a deletion: when it is due, or `null` when the member was erased at once. */
  onDeleted: (dueAt: string | null) => void;
}

/**
 * An admin deleting a member, asked in place like `ConfirmAction`: the
 * question names the member and offers the grace period or erasing now
 * (only "now" once a deletion is pending, or when there is no grace period).
 */
export function DeleteMember({ member, graceDays, onDeleted }: Props) {
  const [when, setWhen] = useState<"later" | "now">("later");
  const firstChoice = useRef<HTMLInputElement>(null);
  const confirm = useRef<HTMLButtonElement>(null);
  const questionId = useId();
  const { stage, setStage, error, setError, trigger, returnToTrigger, escape } = useAskInPlace(
    () => firstChoice.current ?? confirm.current,
  );
  const name = member.display_name;
  const pending = Boolean(member.deletion_due_at);
  const choice = pending || graceDays === 0 ? "now" : when;

  const run = async () => {
    setStage("running");
    setError(null);
    try {
      const { data, response } = await api.DELETE("/api/v1/admin/users/{id}", {
        params: { path: { id: member.id }, query: choice === "now" ? { now: true } : {} },
      });
      // The card changes or goes; the list says what happened and takes the focus.
      onDeleted(response.status === 202 && data ? data.deletion_due_at : null);
      setStage("idle");
    } catch (caught) {
      setError(caught);
      returnToTrigger();
    }
  };

  const erased = "Their photos, albums and share links, sessions, API tokens, exports and profile are erased.";
  const grace = graceDays === null ? "the grace period" : `the grace period (${graceDays === 1 ? "1 day" : `${graceDays} days`})`;
  return (
    <div className="confirm-action">
      {stage === "asking" ? (
        <div role="group" aria-labelledby={questionId} className="confirm" onKeyDown={escape}>
          <p id={questionId}>
            Delete {name} ({member.email})? {erased}
          </p>
          {pending ? (
            <p>
              Their deletion is already scheduled for {formatDate(member.deletion_due_at ?? "")}; this erases them now instead.{" "}
              <strong>This cannot be undone.</strong>
            </p>
          ) : graceDays === 0 ? (
            <p>
              <strong>They are erased immediately; this cannot be undone.</strong>
            </p>
          ) : (
            <fieldset>
              <legend>When</legend>
              <label>
                <input
                  ref={firstChoice}
                  type="radio"
                  name={`${questionId}-when`}
                  checked={when === "later"}
                  onChange={() => {
                    setWhen("later");
                  }}
                />
                After {grace}: they are signed out now and can sign in again to cancel until then
              </label>
              <label>
                <input
                  type="radio"
                  name={`${questionId}-when`}
                  checked={when === "now"}
                  onChange={() => {
                    setWhen("now");
                  }}
                />
                Now (cannot be undone)
              </label>
            </fieldset>
          )}
          <button ref={confirm} type="button" className="danger" onClick={() => void run()}>
            {choice === "now" ? `Yes, delete ${name} now` : `Yes, schedule the deletion of ${name}`}
          </button>
          <button type="button" onClick={returnToTrigger}>
            Cancel
          </button>
        </div>
      ) : (
        <button
          ref={trigger}
          type="button"
          className="danger"
          aria-label={stage === "running" ? undefined : `${pending ? "Delete now" : "Delete member"}: ${name}`}
          disabled={stage === "running"}
          onClick={() => {
            setError(null);
            setWhen("later");
            setStage("asking");
          }}
        >
          {stage === "running" ? "Deleting…" : pending ? "Delete now" : "Delete member"}
        </button>
      )}
      <ErrorMessage error={error} />
    </div>
  );
}
