import { useEffect, useRef, useState, type KeyboardEvent } from "react";

export type AskStage = "idle" | "asking" | "running";

/**
 * The mechanics of a question asked in place of its button (`ConfirmAction`,
 * `DeleteMember`): which stage it is at, its error, and the focus — on
 * `focusOnAsk()` when the question opens, back on the button when Cancel,
 * Escape or `returnToTrigger()` closes it.
 */
export function useAskInPlace(focusOnAsk: () => HTMLElement | null) {
  const [stage, setStage] = useState<AskStage>("idle");
  const [error, setError] = useState<unknown>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);
  // The first one given: it only reads the caller's refs, which never change.
  const [focusTarget] = useState(() => focusOnAsk);

  useEffect(() => {
    if (stage === "asking") {
      focusTarget()?.focus();
    } else if (stage === "idle" && returnFocus.current) {
      returnFocus.current = false;
      trigger.current?.focus();
    }
  }, [stage, focusTarget]);

  /** Closes the question (or ends the run) and gives focus back to the button. */
  const returnToTrigger = () => {
    returnFocus.current = true;
    setStage("idle");
  };

  const escape = (event: KeyboardEvent) => {
    if (event.key === "Escape") {
      event.stopPropagation();
      returnToTrigger();
    }
  };

  return { stage, setStage, error, setError, trigger, returnToTrigger, escape };
}
