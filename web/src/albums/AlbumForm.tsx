import { useEffect, useId, useRef, useState, type SyntheticEvent } from "react";
import { ErrorMessage } from "../components/ErrorMessage";
import { VISIBILITIES, type Visibility } from "./albums";

export interface AlbumFields {
  title: string;
  description: string | null;
  visibility: Visibility;
}

interface Props {
  initial?: AlbumFields;
  submitLabel: string;
  pendingLabel: string;
  onSubmit: (fields: AlbumFields) => Promise<void>;
  onCancel?: () => void;
}

/** Title, description and visibility of an album, for a new one or an edit. The title field takes focus. */
export function AlbumForm({ initial, submitLabel, pendingLabel, onSubmit, onCancel }: Props) {
  const [title, setTitle] = useState(initial?.title ?? "");
  const [description, setDescription] = useState(initial?.description ?? "");
  const [visibility, setVisibility] = useState<Visibility>(initial?.visibility ?? "private");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const titleField = useRef<HTMLInputElement>(null);
  const ids = useId();

  useEffect(() => {
    titleField.current?.focus();
  }, []);

  const submit = async (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const trimmed = description.trim();
      await onSubmit({ title: title.trim(), description: trimmed === "" ? null : trimmed, visibility });
    } catch (caught) {
      setError(caught);
      setBusy(false);
      return;
    }
    setBusy(false);
  };

  return (
    <form className="stack album-form" onSubmit={(event) => void submit(event)}>
      <label>
        Title
        <input ref={titleField} required maxLength={200} value={title} onChange={(event) => { setTitle(event.target.value); }} />
      </label>
      <label>
        <span>
          Description <span className="hint">(optional)</span>
        </span>
        <textarea rows={3} maxLength={2000} value={description} onChange={(event) => { setDescription(event.target.value); }} />
      </label>
      <fieldset className="visibility">
        <legend>Who can see it</legend>
        {VISIBILITIES.map((option) => (
          <label key={option.value} className="choice">
            <input
              type="radio"
              name={`${ids}-visibility`}
              value={option.value}
              checked={visibility === option.value}
              aria-describedby={`${ids}-${option.value}`}
              onChange={() => { setVisibility(option.value); }}
            />
            <span>
              {option.label}
              <span id={`${ids}-${option.value}`} className="hint">
                {" "}
                — {option.hint}
              </span>
            </span>
          </label>
        ))}
      </fieldset>
      <ErrorMessage error={error} />
      <div className="actions">
        <button type="submit" disabled={busy}>
          {busy ? pendingLabel : submitLabel}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
