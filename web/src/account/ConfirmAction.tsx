import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { ErrorMessage } from "../components/ErrorMessage";

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
  const [stage, setStage] = useState<"idle" | "asking" | "running">("idle");
  const [error, setError] = useState<unknown>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const confirm = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);
  const questionId = useId();

  useEffect(() => {
    if (stage === "asking") {
      confirm.current?.focus();
    } else if (stage === "idle" && returnFocus.current) {
      returnFocus.current = false;
      trigger.current?.focus();
    }
  }, [stage]);

  const run = async () => {
    setStage("running");
    setError(null);
    try {
      await onConfirm();
    } catch (caught) {
      setError(caught);
    }
    returnFocus.current = true;
    setStage("idle");
  };

  const cancel = () => {
    returnFocus.current = true;
    setStage("idle");
  };

  const escape = (event: KeyboardEvent) => {
    if (event.key === "Escape") {
      event.stopPropagation();
      cancel();
    }
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
          <button type="button" onClick={cancel}>
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
