import { useEffect, useId, useRef, useState } from "react";

interface Props {
  title: string;
  /** The label of the field that holds the secret. */
  label: string;
  value: string;
  warning: string;
  onDone: () => void;
}

/** A secret the server shows only once: focused when it appears, with a copy button and a warning. */
export function SecretReveal({ title, label, value, warning, onDone }: Props) {
  const [copied, setCopied] = useState<"no" | "yes" | "failed">("no");
  const heading = useRef<HTMLHeadingElement>(null);
  const field = useRef<HTMLInputElement>(null);
  const fieldId = useId();
  const headingId = useId();

  useEffect(() => {
    heading.current?.focus();
  }, []);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied("yes");
    } catch {
      field.current?.select();
      setCopied("failed");
    }
  };

  return (
    <div className="secret" role="region" aria-labelledby={headingId}>
      <h3 id={headingId} ref={heading} tabIndex={-1}>
        {title}
      </h3>
      <p className="warning">{warning}</p>
      <label htmlFor={fieldId}>{label}</label>
      <div className="secret-row">
        <input
          id={fieldId}
          ref={field}
          readOnly
          value={value}
          spellCheck={false}
          onFocus={(event) => {
            event.currentTarget.select();
          }}
        />
        <button type="button" onClick={() => void copy()}>
          Copy
        </button>
      </div>
      <p aria-live="polite" className="hint">
        {copied === "yes" && "Copied to the clipboard."}
        {copied === "failed" && "Could not reach the clipboard: the text is selected, copy it with your keyboard."}
      </p>
      <button type="button" onClick={onDone}>
        I have saved it
      </button>
    </div>
  );
}
