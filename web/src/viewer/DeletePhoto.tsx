import { useEffect, useRef, useState } from "react";
import { api } from "../api/client";
import { ErrorMessage } from "../components/ErrorMessage";

/** "Delete photo", confirmed in a modal dialog; `onDeleted` runs once the server has done it. */
export function DeletePhoto({ photoId, onDeleted }: { photoId: string; onDeleted: () => void }) {
  const [open, setOpen] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const element = dialog.current;
    if (!element) {
      return;
    }
    if (open && !element.open) {
      // jsdom has no showModal; browsers all do.
      if (typeof element.showModal === "function") {
        element.showModal();
      } else {
        element.setAttribute("open", "");
      }
      // The safe choice is the one a stray Enter takes.
      cancel.current?.focus();
    } else if (!open && element.open) {
      if (typeof element.close === "function") {
        element.close();
      } else {
        element.removeAttribute("open");
      }
    }
  }, [open]);

  const close = () => {
    setOpen(false);
    setError(null);
    opener.current?.focus();
  };

  const confirm = async () => {
    setDeleting(true);
    setError(null);
    try {
      await api.DELETE("/api/v1/photos/{id}", { params: { path: { id: photoId } } });
      setOpen(false);
      onDeleted();
    } catch (caught) {
      setError(caught);
    } finally {
      setDeleting(false);
    }
  };

  return (
    <>
      <button
        type="button"
        className="danger"
        ref={opener}
        onClick={() => {
          setOpen(true);
        }}
      >
        Delete photo
      </button>
      <dialog
        ref={dialog}
        className="confirm"
        aria-labelledby="delete-photo-title"
        aria-describedby="delete-photo-text"
        onCancel={(event) => {
          event.preventDefault();
          if (!deleting) {
            close();
          }
        }}
      >
        <h2 id="delete-photo-title">Delete this photo?</h2>
        <p id="delete-photo-text">
          It is removed from every album it is in, and its files are deleted. This cannot be undone.
        </p>
        <ErrorMessage error={error} />
        <div className="actions">
          <button type="button" className="danger" disabled={deleting} onClick={() => void confirm()}>
            {deleting ? "Deleting…" : "Delete"}
          </button>
          <button type="button" ref={cancel} disabled={deleting} onClick={close}>
            Cancel
          </button>
        </div>
      </dialog>
    </>
  );
}
