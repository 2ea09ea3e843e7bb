import { useEffect, useRef } from "react";

function typingInto(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))
  );
}

/** ← and → step through the list, Esc goes back to it; not while typing or in a dialog. */
export function useViewerKeys(actions: { previous: () => void; next: () => void; back: () => void }) {
  const latest = useRef(actions);
  useEffect(() => {
    latest.current = actions;
  });

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) {
        return;
      }
      if (typingInto(event.target) || document.querySelector("dialog[open]")) {
        return;
      }
      const action = { ArrowLeft: "previous", ArrowRight: "next", Escape: "back" }[event.key] as
        | "previous"
        | "next"
        | "back"
        | undefined;
      if (action) {
        event.preventDefault();
        latest.current[action]();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => {
      window.removeEventListener("keydown", onKey);
    };
  }, []);
}
