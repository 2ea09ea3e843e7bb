import { useEffect, useRef, useState, type SyntheticEvent } from "react";
import { api } from "../api/client";
import { ErrorMessage } from "../components/ErrorMessage";
import type { Photo } from "./photoList";

/** The caption, and for its owner a way to change it. */
export function CaptionEditor({ photo, editable, onSaved }: { photo: Photo; editable: boolean; onSaved: (photo: Photo) => void }) {
  const [draft, setDraft] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState("");
  const editButton = useRef<HTMLButtonElement>(null);
  const field = useRef<HTMLTextAreaElement>(null);
  const editing = draft !== null;
  const wasEditing = useRef(false);

  useEffect(() => {
    if (editing) {
      field.current?.focus();
    } else if (wasEditing.current) {
      editButton.current?.focus();
    }
    wasEditing.current = editing;
  }, [editing]);

  const stop = () => {
    setDraft(null);
    setError(null);
  };

  const save = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (draft === null) {
      return;
    }
    setSaving(true);
    setError(null);
    try {
      const caption = draft.trim();
      const { data } = await api.PATCH("/api/v1/photos/{id}", {
        params: { path: { id: photo.id } },
        body: { caption: caption === "" ? null : caption },
      });
      if (data) {
        onSaved(data);
      }
      setStatus(caption === "" ? "Caption removed." : "Caption saved.");
      setDraft(null);
    } catch (caught) {
      setError(caught);
    } finally {
      setSaving(false);
    }
  };

  if (editing) {
    return (
      <form className="caption-form" onSubmit={(event) => void save(event)}>
        <label htmlFor="caption-field">Caption</label>
        <textarea
          id="caption-field"
          ref={field}
          value={draft}
          rows={3}
          maxLength={2000}
          onChange={(event) => {
            setDraft(event.target.value);
          }}
          onKeyDown={(event) => {
            if (event.key === "Escape") {
              event.preventDefault();
              stop();
            }
          }}
        />
        <div className="actions">
          <button type="submit" disabled={saving}>
            {saving ? "Saving…" : "Save caption"}
          </button>
          <button type="button" onClick={stop} disabled={saving}>
            Cancel
          </button>
        </div>
        <ErrorMessage error={error} />
      </form>
    );
  }
  return (
    <div className="caption">
      {/* A caption is the page's heading already. */}
      {editable && !photo.caption && <p className="empty">No caption yet.</p>}
      {editable && (
        <button
          type="button"
          ref={editButton}
          onClick={() => {
            setStatus("");
            setDraft(photo.caption ?? "");
          }}
        >
          {photo.caption ? "Edit caption" : "Add a caption"}
        </button>
      )}
      <p role="status" className="status">
        {status}
      </p>
    </div>
  );
}
