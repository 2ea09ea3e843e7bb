import { useId, useRef, type ReactNode } from "react";
import { ErrorMessage } from "../components/ErrorMessage";
import { useAskInPlace } from "../components/useAskInPlace";

interface Props {
  /** The button's text, e.g. "Revoke". */
  label: string;
  /** A fuller name for assistive technology when the text alone is ambiguous in a list. */
  accessibleLabel?: string;
  /** What will happen, asked before anything does; without it the action runs at once. */
  question?: ReactNode;
  /** The confirming button's text, e.g. "Yes, revoke". */
  confirmLabel?: string;
  /** Shown on the button while the action runs, e.g. "Revoking…". */
  pendingLabel: string;
  onConfirm: () => Promise<void>;
  danger?: boolean;
}

/**
 * A button whose action asks first, in place: the question and its two
 * answers replace the button, the confirming one takes focus, Escape or
 * Cancel gives focus back to the button. Its error shows next to it.
 */
export function ConfirmAction({ label, accessibleLabel, question, confirmLabel, pendingLabel, onConfirm, danger }: Props) {
  const confirm = useRef<HTMLButtonElement>(null);
  const questionId = useId();
  const { stage, setStage, error, setError, trigger, returnToTrigger, escape } = useAskInPlace(() => confirm.current);

  const run = async () => {
    setStage("running");
    setError(null);
    try {
      await onConfirm();
    } catch (caught) {
      setError(caught);
    }
    returnToTrigger();
  };

  const className = danger ? "danger" : undefined;
  return (
    <div className="confirm-action">
      {stage === "asking" ? (
        <div role="group" aria-labelledby={questionId} className="confirm" onKeyDown={escape}>
          <p id={questionId}>{question}</p>
          <button ref={confirm} type="button" className={className} onClick={() => void run()}>
            {confirmLabel ?? label}
          </button>
          <button type="button" onClick={returnToTrigger}>
            Cancel
          </button>
        </div>
      ) : (
        <button
          ref={trigger}
          type="button"
          className={className}
          aria-label={stage === "running" ? undefined : accessibleLabel}
          disabled={stage === "running"}
          onClick={() => {
            if (question === undefined) {
              void run();
            } else {
              setError(null);
              setStage("asking");
            }
          }}
        >
          {stage === "running" ? pendingLabel : label}
        </button>
      )}
      <ErrorMessage error={error} />
    </div>
  );
}
